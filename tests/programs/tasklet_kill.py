# tasklet.kill(), an exception escaping a tasklet (raised in the main
# tasklet), tasklets that create tasklets, and channels of str.
from rpy.tasklets import tasklet, channel, schedule, run, getcurrent, TaskletExit

log = []


def looper(name, ch):
    try:
        while True:
            log.append(name + " got " + ch.receive())
    finally:
        log.append(name + " cleaned up")


ch = channel()
t = tasklet(looper)("L", ch)
schedule()
ch.send("a")
ch.send("b")
print("balance before kill", ch.balance, t.alive)
t.kill()
print("after kill", t.alive, ch.balance)
print(log)

log.clear()


def spawner(n):
    log.append("spawner " + str(n))
    if n > 0:
        tasklet(spawner)(n - 1)
        schedule()
    log.append("spawner done " + str(n))


tasklet(spawner)(3)
run()
print(" ".join(log))


def bad(x):
    schedule()
    raise ValueError("bad tasklet " + str(x))


tasklet(bad)(7)
try:
    run()
    print("no exception?")
except ValueError as e:
    print("main caught", e)


def stopper():
    raise TaskletExit()


tasklet(stopper)()
run()
print("TaskletExit is silent; current is main:", getcurrent() is not None)
