# rpy.transaction: jobs that add jobs; run() returns when none is left; each
# job is inside an atomic block; the scheduler is reusable; run() inside a
# job is refused.
from rpy import transaction
from rpy.atomic import atomic

results = {}
count = [0]
not_atomic = [0]


def fib_job(key, n):
    # splits itself into two jobs until n < 2, adding 1 for each leaf
    count[0] += 1
    if not atomic.is_held():
        not_atomic[0] += 1
    if n < 2:
        results[key] = results.get(key, 0) + n
    else:
        transaction.add(fib_job, key, n - 1)
        transaction.add(fib_job, key, n - 2)


for n in range(12):
    transaction.add(fib_job, n, n)
print("run() returns", transaction.run())
print("fib", [results.get(n, 0) for n in range(12)])
print("jobs", count[0], transaction.number_of_transactions_in_last_run())
print("jobs outside an atomic block", not_atomic[0])

print("empty run", transaction.run(), transaction.number_of_transactions_in_last_run())

log = []


def kw_job(a, b=0, c=0):
    log.append(a + b + c)


transaction.add(kw_job, 1)
transaction.add(kw_job, 1, c=10)
transaction.add(kw_job, a=5, b=100)
transaction.run()
print("kwargs", sorted(log))

for threads in (1, 3):
    transaction.set_num_threads(threads)
    squares = []
    for i in range(50):
        transaction.add(lambda i: squares.append(i * i), i)
    transaction.run()
    print("threads", threads, len(squares), sum(squares))


def nested():
    transaction.run()


transaction.add(nested)
try:
    transaction.run()
except RuntimeError as e:
    print("run() in a job:", e)
