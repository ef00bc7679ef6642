"""rpy.thread: threads and locks for CPython, in pure Python.

API (a subset of Python's `_thread`, the module PyPy calls `thread`):
`start_new_thread(function, args, kwargs=None)`, `allocate_lock()`,
`get_ident()`, `LockType`, `error`.

Semantics:
- `start_new_thread(f, args)` runs `f(*args)` on a new OS thread (a
  `threading.Thread`, so `threading.current_thread()` and friends work in
  it) and returns its thread id, the value `get_ident()` gives in that
  thread. `args` must be a tuple, as with `_thread`.
- The threads are daemonic, as `_thread`'s are: the program ends when its
  main thread ends, without waiting for the other threads (they are stopped
  wherever they are). A program waits for its threads itself, e.g. by
  polling a counter under a lock (`with lock:` ... `time.sleep(0.001)`),
  as the conformance programs do.
- An exception escaping `f` ends that thread only: it is printed on stderr
  by `threading.excepthook` ("Exception in thread Thread-N (f):" and the
  traceback) and the program goes on; `SystemExit` ends the thread
  silently.
- `allocate_lock()` returns a new, unlocked, non-re-entrant lock (Python's
  own `_thread.lock`): `acquire()` blocks until the lock is free and
  returns True; `acquire(False)` (or `acquire(blocking=False)`) returns
  False at once if the lock is taken; `acquire(True, timeout)` waits at
  most timeout seconds; `release()` frees it (any thread may release it;
  releasing an unlocked lock raises `RuntimeError("release unlocked
  lock")`); `locked()`; `with lock:` acquires and releases it. Acquiring
  a lock twice from the same thread blocks for ever.

These locks know nothing of `rpy.atomic`: a thread blocked on a lock
inside an atomic block keeps the atomic block (see rpy.atomic).
"""

import _thread
import threading as _threading

__all__ = ["start_new_thread", "allocate_lock", "get_ident", "LockType",
           "error"]

error = _thread.error          # RuntimeError
LockType = _thread.LockType
get_ident = _thread.get_ident


def allocate_lock():
    """Return a new lock (unlocked; see the module docstring)."""
    return _thread.allocate_lock()


def start_new_thread(function, args, kwargs=None):
    """Run function(*args, **kwargs) on a new daemonic thread; return the
    new thread's id."""
    if not isinstance(args, tuple):
        raise TypeError("2nd arg must be a tuple")
    if kwargs is not None and not isinstance(kwargs, dict):
        raise TypeError("optional 3rd arg must be a dictionary")
    t = _threading.Thread(target=function, args=args,
                          kwargs=kwargs or {}, daemon=True)
    t.start()                  # returns once the thread runs: ident is set
    return t.ident
