"""rpy.transaction: many small jobs, each one atomic, for CPython.

API (as PyPy's lib_pypy/transaction.py): `add(f, *args, **kwds)`, `run()`,
`set_num_threads(n)`, `number_of_transactions_in_last_run()`.

Semantics:
- `add(f, *args)` schedules the job `f(*args)`; it may be called before
  `run()` or from a running job (from any thread). Nothing runs until
  `run()`.
- `run()` runs the scheduled jobs, and the jobs those add, until none is
  left, then returns None. Each job runs as one `with atomic:` block (see
  rpy.atomic), so the jobs behave as if run one after the other, in an
  unspecified order: under CPython they are taken roughly in the order
  they were added (FIFO), by a pool of threads (the calling thread and up
  to `set_num_threads(n) - 1` more; by default as many as there are CPUs,
  at most 4), so the exact order may change from run to run. A job's
  return value is ignored.
- An exception escaping a job ends the run: the jobs not yet started are
  cancelled (dropped, including those the failing job added; no job
  starts after the failing one has ended), the jobs already running finish
  (none, under CPython, since jobs are atomic), and `run()` re-raises the
  exception, its traceback going through the job's frames. If several
  jobs fail (possible only in parallel), the first to fail wins. After
  that, the scheduler is empty and usable again.
- `run()` from inside a job raises RuntimeError (a job cannot wait for
  other jobs: they would need the atomic block it is in). Two threads
  calling `run()` at the same time run their jobs one run after the other.
- Code of other threads outside atomic blocks is not stopped by the jobs
  (see rpy.atomic).
- `number_of_transactions_in_last_run()`: how many jobs the last `run()`
  ran (cancelled jobs not counted).

When an exception re-raised by `run()` is uncaught, the traceback printed
by sys.excepthook leaves out the frames of this package (the program's
line calling `run()`, then the job's frames).
"""

import os
import sys
import _thread
import threading as _threading
from collections import deque as _deque

from rpy.atomic import atomic

__all__ = ["add", "run", "set_num_threads",
           "number_of_transactions_in_last_run"]

_INTERNAL_FILES = {__file__}
_lock = _threading.Lock()
_cond = _threading.Condition(_lock)
_run_lock = _threading.Lock()       # one run() at a time
_pending = _deque()                 # (f, args, kwds) not yet started
_tls = _thread._local()             # .in_job: this thread is running a job
_last_count = [0]


def _default_threads():
    try:
        n = len(os.sched_getaffinity(0))
    except Exception:
        n = os.cpu_count() or 1
    return max(1, min(n, 4))


_num_threads = [_default_threads()]


def set_num_threads(num):
    """Run the jobs of the next run() on `num` threads (at least 1)."""
    num = int(num)
    if num < 1:
        raise ValueError("need at least one thread")
    _num_threads[0] = num


def number_of_transactions_in_last_run():
    """The number of jobs the last run() ran."""
    return _last_count[0]


def add(f, *args, **kwds):
    """Schedule the job f(*args, **kwds) (for the current or next run())."""
    with _cond:
        _pending.append((f, args, kwds))
        _cond.notify()


class _Run(object):
    __slots__ = ("busy", "error", "count", "workers")

    def __init__(self):
        self.busy = 0          # jobs taken from _pending, not yet ended
        self.error = None      # the first exception of a job
        self.count = 0         # jobs run
        self.workers = 0       # worker threads still in _work


def _job(r, f, args, kwds):
    """Run one job as an atomic block; record its exception in r."""
    with atomic:
        if r.error is not None:
            return False       # an earlier job failed: cancelled
        try:
            f(*args, **kwds)
        except BaseException as e:
            with _lock:
                if r.error is None:
                    r.error = e
                    _pending.clear()
        return True


def _work(r):
    """Take and run jobs until none is left (or one failed)."""
    _tls.in_job = True
    try:
        with _cond:
            while r.error is None:
                if _pending:
                    f, args, kwds = _pending.popleft()
                    r.busy += 1
                    _cond.release()
                    try:
                        ran = _job(r, f, args, kwds)
                    finally:
                        _cond.acquire()
                        r.busy -= 1
                    if ran:
                        r.count += 1
                    _cond.notify_all()
                elif r.busy == 0:
                    break
                else:
                    _cond.wait()
            _cond.notify_all()
    finally:
        _tls.in_job = False


def _helper(r):
    try:
        _work(r)
    finally:
        with _cond:
            r.workers -= 1
            _cond.notify_all()


def run():
    """Run the jobs until none is left; re-raise a job's exception."""
    if getattr(_tls, "in_job", False):
        raise RuntimeError("transaction.run() called from a job")
    with _run_lock:
        r = _Run()
        try:
            with _lock:
                extra = min(_num_threads[0], len(_pending)) - 1
            for i in range(max(0, extra)):
                with _lock:
                    r.workers += 1
                try:
                    t = _threading.Thread(target=_helper, args=(r,),
                                          daemon=True)
                    t.start()
                except BaseException:
                    with _lock:
                        r.workers -= 1
                    raise
            _work(r)
            with _cond:
                while r.workers > 0 or r.busy > 0:
                    _cond.wait()
        except BaseException:
            # e.g. KeyboardInterrupt in this thread: cancel everything.
            with _lock:
                if r.error is None:
                    r.error = sys.exc_info()[1]
                _pending.clear()
            _last_count[0] = r.count
            raise
        _last_count[0] = r.count
        err = r.error
        r.error = None
    if err is not None:
        try:
            raise err
        finally:
            err = None


# -- traceback cleaning ----------------------------------------------------

def _clean_tb(tb):
    keep = []
    while tb is not None:
        if tb.tb_frame.f_code.co_filename not in _INTERNAL_FILES:
            keep.append(tb)
        tb = tb.tb_next
    for i in range(len(keep) - 1):
        keep[i].tb_next = keep[i + 1]
    if keep:
        keep[-1].tb_next = None
        return keep[0]
    return None


def _clean_exc(exc):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        try:
            exc.__traceback__ = _clean_tb(exc.__traceback__)
        except Exception:
            pass
        if exc.__cause__ is not None and id(exc.__cause__) not in seen:
            _clean_exc(exc.__cause__)
        exc = exc.__context__


_previous_excepthook = sys.excepthook


def _excepthook(typ, value, tb):
    try:
        if isinstance(value, BaseException):
            _clean_exc(value)
            tb = value.__traceback__
    except Exception:
        pass
    _previous_excepthook(typ, value, tb)


sys.excepthook = _excepthook
