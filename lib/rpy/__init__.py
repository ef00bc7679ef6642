"""The rpy package for CPython.

Programs compiled by RPy may import rpy.greenlet, rpy.tasklets, rpy.thread,
rpy.atomic and rpy.transaction. This package implements the same API in
pure Python, so that the same source runs under python3 (the oracle) with
PYTHONPATH pointing at this folder's parent. (Compiled programs get the
RPy versions in lib/stdlib/rpy instead.)

- rpy.greenlet: greenlets with the semantics of the `greenlet` library
  (greenlet 2.0), each started greenlet running on its own OS thread, the
  threads handing a baton to each other so that one runs at a time.
- rpy.tasklets: Stackless Python's tasklets and channels (FIFO run queue,
  receiver preference, balance, kill, DeadlockError), on rpy.greenlet.
- rpy.thread: `start_new_thread(f, args)` (daemonic threads of the
  `threading` module; returns the thread id), `allocate_lock()` (Python's
  own lock: acquire, acquire(False), release, locked, `with`), get_ident.
- rpy.atomic: `atomic` (also the module itself), one global re-entrant
  lock: atomic blocks of all threads run one after the other. Unlike the
  STM build, code outside any atomic block is not held back by one (as
  with PyPy's own non-STM `atomic`).
- rpy.transaction: `add(f, *args)`, `run()`: the jobs run on a small pool
  of threads, each job inside `with atomic:`; an exception in a job
  cancels the jobs not yet started and is re-raised by run().
- rpy.stm: `last_abort_info()` (always None: nothing aborts under
  CPython), `print_abort_info()` and `conflict_report()` (the conflict
  report: always empty here).

See each module's docstring for the exact semantics and the few
differences from the originals. tests/rpy_package/run.sh tests them.
"""
