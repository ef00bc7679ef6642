# An uncaught exception from a job: run() re-raises it and the traceback
# goes from the program's call of run() to the job's frames (none of the
# rpy package's); the exit status is 1.
from rpy import transaction


def check(n):
    if n == 2:
        {}["missing"]


def job(n):
    check(n)


transaction.add(job, 1)
transaction.add(job, 2)
print("before")
transaction.run()
print("not reached")
