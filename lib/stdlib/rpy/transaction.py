"""rpy.transaction for compiled programs: add(f, *args) and run().

The compiler binds each job's function and arguments at the call of add()
(flowgraph/build_tasklet.c), so a job is a callable of no arguments. run()
runs the jobs one after the other, in the order they were added (one of
the orders the API allows), each as one atomic block; a job may add more.
An exception in a job drops the jobs not yet run and is raised by run().
Running them in parallel is the STM work still to come.
"""
from rpy.atomic import atomic

_jobs = []
_head = [0]
_count = [0]
_threads = [1]
_running = [False]


def add(job):
    _jobs.append(job)


def run():
    if _running[0]:
        raise RuntimeError("transaction.run() called from a job")
    _count[0] = 0
    _running[0] = True
    try:
        while _head[0] < len(_jobs):
            job = _jobs[_head[0]]
            _head[0] += 1
            _count[0] += 1
            with atomic:
                job()
    finally:
        del _jobs[:]
        _head[0] = 0
        _running[0] = False


def set_num_threads(num):
    # the jobs run one after the other: the number of threads is kept for
    # the parallel version (STM)
    if num < 1:
        raise ValueError("need at least one thread")
    _threads[0] = num


def number_of_transactions_in_last_run():
    return _count[0]
