# rpy.transaction: an exception in a job cancels the jobs not yet started
# (those it added itself included) and run() re-raises it; the scheduler is
# then empty and usable again. With one thread the jobs run in FIFO order
# (an implementation detail under CPython, used to count exactly).
from rpy import transaction

transaction.set_num_threads(1)
ran = []


def job(i):
    ran.append(i)
    if i == 3:
        transaction.add(job, 100)       # added by the failing job: cancelled
        raise ValueError("job 3 failed")


for i in range(10):
    transaction.add(job, i)
try:
    transaction.run()
except ValueError as e:
    print("re-raised:", type(e).__name__, e)
print("ran", ran, transaction.number_of_transactions_in_last_run())
print("nothing left:", transaction.run(), transaction.number_of_transactions_in_last_run())
transaction.add(job, 7)
transaction.run()
print("usable again", ran)

# with several threads: whatever ran, the failing job ran and no job
# started after it ended; the others are cancelled
transaction.set_num_threads(4)
ran2 = []


def job2(i):
    if i == 50:
        transaction.add(job2, 1000)
        raise KeyError(i)
    ran2.append(i)


for i in range(200):
    transaction.add(job2, i)
try:
    transaction.run()
except KeyError as e:
    print("re-raised:", repr(e))
print("cancelled some:", len(ran2) < 199, 1000 not in ran2)
print("count matches:", transaction.number_of_transactions_in_last_run() == len(ran2) + 1)
