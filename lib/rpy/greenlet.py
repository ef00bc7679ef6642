"""rpy.greenlet: greenlets for CPython, in pure Python.

The same API and observable behaviour as the `greenlet` library (checked
against greenlet 2.0): `greenlet(run=None, parent=None)`, `g.switch(*args,
**kwargs)`, `g.throw(typ=GreenletExit, val=None, tb=None)`, `g.parent`
(settable), `g.dead`, `bool(g)` (active), `g.run`, `getcurrent()`,
`GreenletExit`, `error`.

Semantics (as greenlet):
- The first switch into a greenlet calls `run(*args, **kwargs)`. Later
  switches resume the target's pending `switch()`, which returns: the one
  argument; `()` for none; the tuple for several; the kwargs dict; or
  `(args, kwargs)` for both.
- Switching to a dead greenlet goes to its parent (the first live or
  unstarted one up the chain); switching to the current greenlet returns
  the arguments at once.
- When `run` returns, its value goes to the parent (starting the parent if
  it has not started). An exception escaping `run` is raised in the parent
  instead; a `GreenletExit` escaping `run` is not: the exception object
  becomes the greenlet's return value.
- `throw()` raises the exception in the greenlet at its switch point. A
  greenlet that has not started dies at once (its `run` is never called):
  the exception goes to its parent, or for a GreenletExit the exception
  object is returned to the parent as a value. On a dead greenlet, throw()
  sends the exception (a GreenletExit: the exception object, as a value) to
  the parent.
- A suspended greenlet that loses its last reference gets a GreenletExit
  ("Killing the greenlet because all references have vanished.") thrown in,
  from the greenlet that dropped the reference, which is its parent for the
  time of the kill; an exception other than GreenletExit coming out of it is
  reported as unraisable; a greenlet that survives the GreenletExit is
  reported with "GreenletExit did not kill ...". As with greenlet 2.0, a
  greenlet whose own frames refer to it (or that is referenced from any
  suspended frame) is never collected, and nothing is killed at interpreter
  exit: a program may end with suspended greenlets, their finally blocks do
  not run.
- A greenlet starts with the recursion depth of the code that started it
  (greenlet copies the thread's depth), so RecursionError comes at the same
  depth as with greenlet.
- Greenlets belong to the thread that started them; switching to one from
  another thread raises `error("cannot switch to a different thread")`.

Implementation: every started, not yet finished greenlet runs on its own OS
thread (started on the first switch, ended when `run` finishes, so any
number of greenlets can come and go). Exactly one thread of a thread's
greenlet family runs at a time: each greenlet has a lock used as a baton;
a switch stores the message in the target, releases the target's lock and
blocks on its own. The threads are daemonic (a program may exit with live
greenlets) and get a stack as large as the main thread's (at least 8 MiB).
Differences from greenlet that a program can observe: thread identity
(`threading.get_ident()`, `threading.local`, `threading.current_thread()`
differ between greenlets; signal handlers run in the main thread; a
`KeyboardInterrupt` that arrives while the main greenlet is suspended is
re-raised in the running greenlet), and `gr_frame`, `settrace` and
`gettrace` are not provided. For an uncaught exception the traceback
printed by sys.excepthook leaves out the frames of this package, as
greenlet (written in C) has none.
"""

import sys
import _thread
from types import TracebackType as _TracebackType
try:
    import ctypes as _ctypes
    _ctypes.pythonapi.PyThreadState_SetAsyncExc
except Exception:            # pragma: no cover
    _ctypes = None

__all__ = ["greenlet", "getcurrent", "GreenletExit", "error"]


class error(Exception):
    """Raised for a switch that is not possible (greenlet.error)."""


class GreenletExit(BaseException):
    """Thrown into a greenlet to kill it; never propagates to the parent."""


_NEW, _ACTIVE, _DEAD = 0, 1, 2
_VAL, _EXC = 0, 1

_get_ident = _thread.get_ident
_allocate_lock = _thread.allocate_lock
_tls = _thread._local()        # .st: the _State of the greenlet on this thread
_INTERNAL_FILES = {__file__}    # frames hidden from uncaught tracebacks
_shutting_down = False
_zombies = []                  # finished greenlets whose thread may still run


def _default_stack_size():
    size = 8 << 20
    try:
        import resource
        soft = resource.getrlimit(resource.RLIMIT_STACK)[0]
        if soft != resource.RLIM_INFINITY and soft > size:
            size = min(soft, 256 << 20)
    except Exception:
        pass
    return size


_STACK_SIZE = _default_stack_size()


class _State(object):
    """The internal state of one greenlet.

    A greenlet's own thread refers only to this object, never to the
    public greenlet (`pub` is set only while the greenlet runs, and always
    for a main greenlet), so that a suspended greenlet nobody refers to can
    be collected and killed as with greenlet.
    """
    __slots__ = ("pub", "lock", "status", "parent", "world", "inbox",
                 "origin", "is_main", "run", "out", "pad", "inherit",
                 "done", "extra", "ident", "running")

    def __init__(self):
        self.pub = None        # the public greenlet, while it runs
        self.lock = None       # the baton: locked while suspended
        self.status = _NEW
        self.parent = None     # the public parent greenlet
        self.world = None      # the _State of the thread's main greenlet
        self.inbox = None      # message being delivered to this greenlet
        self.origin = None     # _State of the greenlet that switched here
        self.is_main = False
        self.run = None        # run callable, between start and bootstrap
        self.out = None        # the message a finished run sends on
        self.pad = 0           # inherited recursion depth (frames)
        self.inherit = True    # inherit the starter's recursion depth
        self.done = None       # tells when the thread has ended
        self.extra = None      # for rpy.tasklets: the thread's scheduler
        self.ident = None      # the thread the greenlet runs on
        self.running = None    # (main greenlets) the greenlet running now


def _make_main():
    st = _State()
    st.status = _ACTIVE
    st.is_main = True
    st.world = st
    st.lock = _allocate_lock()
    st.lock.acquire()
    st.ident = _get_ident()
    st.running = st
    g = object.__new__(greenlet)
    g._st = st
    st.pub = g
    _tls.st = st
    return st


def _cur():
    try:
        return _tls.st
    except AttributeError:
        return _make_main()


def getcurrent():
    """Return the greenlet that is running now."""
    try:
        return _tls.st.pub
    except AttributeError:
        return _make_main().pub


def _world_state():
    """The _State of the current thread's main greenlet (for rpy.tasklets)."""
    return _cur().world


def _lineage_world(st):
    while st is not None:
        if st.world is not None:
            return st.world
        p = st.parent
        st = p._st if p is not None else None
    return None


def _check_greenlet(obj):
    if not isinstance(obj, greenlet):
        raise TypeError("GreenletChecker: Expected any type of greenlet, not "
                        + type(obj).__name__)


def _raise(exc):
    """Raise exc here, keeping the context it had (as greenlet does: the
    exception is restored, not raised anew inside our except blocks)."""
    ctx = exc.__context__
    sup = exc.__suppress_context__
    try:
        raise exc
    except BaseException:
        exc.__context__ = ctx
        exc.__suppress_context__ = sup
        raise


def _deliver(msg):
    if msg[0] == _VAL:
        args = msg[1]
        kwargs = msg[2]
        if kwargs:
            if args:
                return (args, kwargs)
            return kwargs
        if len(args) == 1:
            return args[0]
        return args
    _raise(msg[1])


def _frames_from(f):
    n = 0
    while f is not None:
        n += 1
        f = f.f_back
    return n


def _reap_zombies():
    zs = _zombies
    while zs and zs[0].done():
        del zs[0]
    if len(zs) > 64:
        zs[:] = [z for z in zs if not z.done()]
        if len(zs) > 4096:          # no way to tell: long finished anyway
            del zs[:2048]


def _bootstrap(st, done_setter):
    st.done = done_setter()
    st.ident = _get_ident()
    _tls.st = st
    if st.pad > 0:
        _padded(st.pad, st)
    else:
        _body(st)
    _finish(st)


def _padded(n, st):
    # One frame per inherited level of recursion.
    if n > 1:
        _padded(n - 1, st)
    else:
        _body(st)


def _body(st):
    run = st.run
    st.run = None
    msg = st.inbox
    st.inbox = None
    origin = st.origin
    st.origin = None
    st.world.running = st
    if origin is not None and not origin.is_main:
        origin.pub = None
    origin = None
    if msg[0] == _VAL:
        args = msg[1]
        kwargs = msg[2]
        msg = None
        try:
            if kwargs:
                result = run(*args, **kwargs)
            else:
                result = run(*args)
        except GreenletExit as e:
            st.out = (_VAL, (e,), None)
        except BaseException as e:
            tb = e.__traceback__
            if tb is not None and tb.tb_frame.f_code is _body.__code__:
                e.__traceback__ = tb.tb_next
            tb = None
            st.out = (_EXC, e)
        else:
            st.out = (_VAL, (result,), None)
        result = args = kwargs = run = None
    else:
        exc = msg[1]
        msg = run = None
        if isinstance(exc, GreenletExit):
            st.out = (_VAL, (exc,), None)
        else:
            st.out = (_EXC, exc)
        exc = None


def _start(ts, t, run, msg, origin, pad):
    """Start the unstarted greenlet t (state ts) on a new thread."""
    ts.inbox = msg
    ts.origin = origin
    ts.pub = t
    ts.run = run
    ts.world = origin.world
    ts.pad = pad if ts.inherit else 0
    ts.status = _ACTIVE
    lock = _allocate_lock()
    lock.acquire()
    ts.lock = lock
    if _zombies:
        _reap_zombies()
    old = None
    try:
        try:
            old = _thread.stack_size(_STACK_SIZE)
        except (ValueError, RuntimeError):
            old = None
        _thread.start_new_thread(_bootstrap, (ts, _done_setter))
    except BaseException:
        ts.inbox = ts.origin = ts.pub = ts.run = ts.world = ts.lock = None
        ts.status = _NEW
        raise
    finally:
        if old is not None:
            try:
                _thread.stack_size(old)
            except (ValueError, RuntimeError):
                pass


if hasattr(_thread, "_set_sentinel"):
    def _done_setter():
        lock = _thread._set_sentinel()   # released when the thread ends

        def done():
            if lock.acquire(False):
                lock.release()
                return True
            return False
        return done
else:                                     # pragma: no cover
    def _done_setter():
        return lambda: False


def _park(cur):
    """Block the current thread until its greenlet is switched to."""
    acquire = cur.lock.acquire
    while True:
        try:
            acquire()
            return
        except BaseException as e:
            # A signal handler raised while this (main) thread waited: raise
            # it in the greenlet that runs now, as greenlet would.
            _forward_async(cur, e)


def _forward_async(cur, exc):
    target = cur.world.running
    if target is None or target is cur or target.ident is None:
        raise exc
    if _ctypes is None:
        raise exc
    _ctypes.pythonapi.PyThreadState_SetAsyncExc(
        _ctypes.c_ulong(target.ident), _ctypes.py_object(type(exc)))


def _wake(cur):
    msg = cur.inbox
    cur.inbox = None
    origin = cur.origin
    cur.origin = None
    cur.world.running = cur
    if origin is not None and not origin.is_main:
        origin.pub = None      # may collect (and kill) the origin greenlet
    origin = None
    return _deliver(msg)


def _transfer(cur, target, msg, skip):
    """Switch from the running greenlet (state cur) to greenlet target with
    msg; return what this greenlet gets when it is switched back to.
    skip: how many of our frames lie above the caller's frame."""
    w = _lineage_world(target._st)
    if w is not None and w is not cur.world:
        raise error("cannot switch to a different thread")
    t = target
    while True:
        ts = t._st
        if ts.status == _ACTIVE:
            if ts is cur:
                return _deliver(msg)
            ts.inbox = msg
            ts.origin = cur
            ts.pub = t
            release = ts.lock.release
            break
        if ts.status == _NEW:
            run = t.run                  # AttributeError: run
            if ts.status != _NEW:        # started meanwhile: retry
                continue
            pad = _frames_from(sys._getframe(skip)) - 1
            _start(ts, t, run, msg, cur, pad)
            release = None
            break
        t = ts.parent
        if t is None:                    # pragma: no cover
            raise error("cannot switch to a dead greenlet with no parent")
    ts = t = msg = target = None
    if release is not None:
        release()
    _park(cur)
    return _wake(cur)


def _finish(st):
    """The greenlet of this thread has finished: hand its result to the
    parent chain, then let the thread end."""
    out = st.out
    st.out = None
    st.status = _DEAD
    t = st.parent
    while True:
        ts = t._st
        if ts.status == _ACTIVE:
            ts.inbox = out
            ts.origin = st
            ts.pub = t
            release = ts.lock.release
            break
        if ts.status == _NEW:
            try:
                run = t.run
                _start(ts, t, run, out, st, st.pad)
            except BaseException as e:
                out = (_EXC, e)
                run = e = None
                t = ts.parent
                continue
            release = None
            break
        t = ts.parent
    # Nothing of the program may be released by this thread once another
    # greenlet runs: keep our state alive until the thread has ended.
    _zombies.append(st)
    out = t = ts = run = None
    if release is not None:
        release()


class greenlet(object):
    """greenlet(run=None, parent=None): a coroutine with its own stack."""

    def __new__(cls, *args, **kwargs):
        self = object.__new__(cls)
        st = _State()
        st.parent = getcurrent()
        self._st = st
        return self

    def __init__(self, run=None, parent=None):
        if run is not None:
            greenlet.run.__set__(self, run)
        if parent is not None:
            greenlet.parent.__set__(self, parent)

    # -- attributes -----------------------------------------------------
    def _get_run(self):
        st = self._st
        if st.is_main:
            raise AttributeError("Main greenlets do not have a run attribute.")
        if st.status != _NEW or st.run is None:
            raise AttributeError("run")
        return st.run

    def _set_run(self, run):
        st = self._st
        if st.is_main:
            raise AttributeError("Main greenlets do not have a run attribute.")
        if st.status != _NEW:
            raise AttributeError("run cannot be set after the start of the greenlet")
        st.run = run

    def _del_run(self):
        st = self._st
        if st.is_main:
            raise AttributeError("Main greenlets do not have a run attribute.")
        if st.status != _NEW:
            raise AttributeError("run cannot be set after the start of the greenlet")
        st.run = None

    run = property(_get_run, _set_run, _del_run)

    def _get_parent(self):
        return self._st.parent

    def _set_parent(self, parent):
        _check_greenlet(parent)
        st = self._st
        if st.is_main:
            raise AttributeError("cannot set the parent of a main greenlet")
        p = parent
        world = None
        while p is not None:
            ps = p._st
            if ps is st:
                raise ValueError("cyclic parent chain")
            if ps.world is not None:
                world = ps.world
            p = ps.parent
        if st.status != _NEW and world is not st.world:
            raise ValueError("parent cannot be on a different thread")
        st.parent = parent

    def _del_parent(self):
        raise AttributeError("can't delete attribute")

    parent = property(_get_parent, _set_parent, _del_parent)

    @property
    def dead(self):
        return self._st.status == _DEAD

    def __bool__(self):
        return self._st.status == _ACTIVE

    def __repr__(self):
        st = self._st
        tid = id(st.world) if st.world is not None else 0
        if st.status == _DEAD:
            state = " dead"
        elif st.status == _NEW:
            state = ""
        else:
            cur = getattr(_tls, "st", None)
            state = (" current" if cur is st else " suspended") + " active started"
            if st.is_main:
                state += " main"
        return "<%s.%s object at 0x%x (otid=0x%x)%s>" % (
            type(self).__module__, type(self).__qualname__, id(self), tid, state)

    # -- switching ------------------------------------------------------
    def switch(self, *args, **kwargs):
        """Switch to this greenlet, passing args (see the module doc)."""
        return _transfer(_cur(), self, (_VAL, args, kwargs), 2)

    def throw(self, typ=GreenletExit, val=None, tb=None):
        """Raise an exception in this greenlet at its switch point."""
        if isinstance(typ, BaseException):
            if val is not None:
                raise TypeError("instance exception may not have a separate value")
            exc = typ
        elif isinstance(typ, type) and issubclass(typ, BaseException):
            if isinstance(val, typ):
                exc = val
            elif val is None:
                exc = typ()
            elif isinstance(val, tuple):
                exc = typ(*val)
            else:
                exc = typ(val)
        else:
            raise TypeError("exceptions must be classes, or instances, not "
                            + type(typ).__name__)
        if tb is not None and not isinstance(tb, _TracebackType):
            raise TypeError("throw() third argument must be a traceback object")
        exc.__traceback__ = tb
        st = self._st
        if st.status == _DEAD and isinstance(exc, GreenletExit):
            msg = (_VAL, (exc,), None)
        else:
            msg = (_EXC, exc)
        exc = None
        return _transfer(_cur(), self, msg, 2)

    def __del__(self):
        try:
            st = self.__dict__.get("_st")
            if (st is None or st.status != _ACTIVE or st.is_main
                    or _shutting_down is not False):
                return
            cur = getattr(_tls, "st", None)
            if cur is None or cur is st or cur.world is not st.world:
                return
        except Exception:
            return
        old_parent = st.parent
        st.parent = cur.pub
        try:
            _transfer(cur, self, (_EXC, GreenletExit(
                "Killing the greenlet because all references have vanished.")), 2)
        except BaseException as e:
            _unraisable(e, self)
        finally:
            st.parent = old_parent
        if st.status == _ACTIVE:
            try:
                sys.stderr.write("GreenletExit did not kill %r\n" % (self,))
            except Exception:
                pass

    def __reduce__(self):
        raise TypeError("cannot serialize '%s' object" % type(self).__name__)


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


_unraisable_args_type = []


def _unraisable(exc, obj):
    """Report exc as PyErr_WriteUnraisable(obj) would."""
    _clean_exc(exc)
    try:
        if not _unraisable_args_type:
            # sys.UnraisableHookArgs is not exposed: catch one to learn it.
            old = sys.unraisablehook
            sys.unraisablehook = lambda a: _unraisable_args_type.append(type(a))
            try:
                class _Probe(object):
                    def __del__(self):
                        raise Exception
                _Probe()
            finally:
                sys.unraisablehook = old
        args = _unraisable_args_type[0](
            (type(exc), exc, exc.__traceback__, None, obj))
        sys.unraisablehook(args)
    except Exception:
        pass


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


def _at_exit():
    global _shutting_down
    _shutting_down = True


import atexit as _atexit
_atexit.register(_at_exit)
del _atexit
