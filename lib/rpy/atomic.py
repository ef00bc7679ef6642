"""rpy.atomic: `with atomic:` blocks for CPython, in pure Python.

API: `atomic`, a context manager: `from rpy.atomic import atomic` then
`with atomic:`. The module itself is the same context manager, so
`from rpy import atomic` / `import rpy.atomic` followed by `with atomic:` /
`with rpy.atomic:` work too. Besides: `atomic.is_held()` (is the current
thread inside an atomic block?) and `atomic.depth()` (how deeply nested).

Semantics: an atomic block appears to run alone with respect to every
other atomic block, in every thread (rpy.thread threads, `threading`
threads, the jobs of rpy.transaction, which each run as one atomic block).
Under CPython this is one global re-entrant lock, held from the start to
the end of the outermost block: atomic blocks of different threads never
overlap, and they run one after the other in the order they get the lock.
Blocks nest: an atomic block inside an atomic block (in the same thread)
just goes on. An exception leaving the block ends it (releases the lock)
and propagates. The owner is the thread; greenlets and tasklets (of
rpy.greenlet, which runs each greenlet on its own OS thread) count as the
thread that started them, so switching greenlets inside an atomic block
stays inside it.

Difference from the STM build, documented as PyPy's own non-STM `atomic`
(a plain lock) does: an atomic block does not stop code of other threads
that is outside any atomic block; with STM every piece of code is part of
some transaction and so an atomic block excludes everything. A program
gets the same results under both only if every access to data that an
atomic block shares with another thread is itself inside an atomic block
(or protected by a lock), as in the conformance programs. Also, under
CPython the blocks do not run in parallel, and a block that waits (a
lock, `time.sleep`, I/O) keeps every other atomic block waiting; a thread
that blocks inside an atomic block on something only another atomic block
can provide deadlocks, as it would under STM.
"""

import sys
import types
import _thread

__all__ = ["atomic"]

_get_ident = _thread.get_ident


def _owner():
    """A key for the current thread: the OS thread id of the thread that
    started the current greenlet family (rpy.greenlet runs each greenlet on
    an OS thread of its own), else the current OS thread id."""
    g = sys.modules.get("rpy.greenlet")
    if g is not None:
        st = getattr(g._tls, "st", None)
        if st is not None and st.world is not None \
                and st.world.ident is not None:
            return st.world.ident
    return _get_ident()


class _Atomic(object):
    """The one global re-entrant lock behind `with atomic:`."""
    __slots__ = ("_lock", "_owner", "_count")

    def __init__(self):
        self._lock = _thread.allocate_lock()
        self._owner = None
        self._count = 0

    def __enter__(self):
        me = _owner()
        if self._owner == me:
            self._count += 1
            return self
        self._lock.acquire()
        self._owner = me
        self._count = 1
        return self

    def __exit__(self, exc_type, exc, tb):
        if self._owner != _owner() or self._count <= 0:
            raise RuntimeError("atomic.__exit__(): more exits than enters")
        self._count -= 1
        if self._count == 0:
            self._owner = None
            self._lock.release()
        return False

    def is_held(self):
        """True if the current thread is inside an atomic block."""
        return self._owner == _owner()

    def depth(self):
        """How many atomic blocks the current thread is inside (0 if none)."""
        return self._count if self._owner == _owner() else 0

    def __repr__(self):
        return "<rpy.atomic.atomic>"

    def __reduce__(self):
        raise TypeError("cannot serialize the atomic object")


atomic = _Atomic()


class _AtomicModule(types.ModuleType):
    """The class of this module, so that the module is `atomic` too."""

    def __enter__(self):
        return atomic.__enter__()

    def __exit__(self, exc_type, exc, tb):
        return atomic.__exit__(exc_type, exc, tb)


sys.modules[__name__].__class__ = _AtomicModule
