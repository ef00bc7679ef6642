# An exception escaping a tasklet is raised in the main tasklet; uncaught
# there, its traceback runs through the frames of the tasklet it came from.
from rpy.tasklets import tasklet, run, schedule


def inner(x):
    return 10 // x


def work(x):
    schedule()
    print("work", x)
    return inner(x)


tasklet(work)(1)
tasklet(work)(0)
run()
print("not reached")
