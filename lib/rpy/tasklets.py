"""rpy.tasklets: Stackless Python's tasklets and channels, on rpy.greenlet.

API: `tasklet(func)(*args, **kwargs)` makes a tasklet, appends it to the
run queue and returns it; `channel()` with `send(value)`, `receive()`,
`balance`, `send_exception(cls, *args)`, `send_throw(exc, val, tb)`,
`preference`, iteration; `schedule(retval=None)`, `schedule_remove()`,
`run()`, `getcurrent()`, `getmain()`, `getruncount()`; tasklet methods
`bind`, `setup`, `insert`, `remove`, `run`, `kill(pending=False)`,
`throw(exc, val, tb, pending=False)`, `raise_exception(cls, *args)` and
attributes `alive`, `blocked`, `scheduled`, `paused`, `is_main`,
`is_current`; `TaskletExit`, `DeadlockError`.

Scheduling follows Stackless (its C scheduler, not just its documents),
and is deterministic:
- The run queue is FIFO and circular; the running tasklet is at its head.
  `schedule()` moves the current tasklet to the end and runs the next one;
  it returns retval (the current tasklet by default).
- `channel.balance` is the number of blocked senders minus the number of
  blocked receivers; blocked tasklets wait in FIFO order.
- Default preference (-1, prefer the receiver): a send to a waiting
  receiver runs the receiver at once and puts the sender at the end of the
  run queue; a receive from a waiting sender takes the value and goes on,
  the sender is appended to the run queue. (preference 1 prefers the
  sender, 0 neither: then the woken tasklet is appended and the caller goes
  on.)
- `run()` (main tasklet only) takes the main tasklet off the run queue and
  runs the others until none is runnable; then main continues (tasklets
  still blocked on channels stay blocked).
- Deadlock: when the running tasklet would block on a channel and no other
  tasklet can run, the blocking call raises
  `DeadlockError("Deadlock: the last runnable tasklet cannot be blocked.")`
  in that tasklet and the channel is left as it was. (If main is inside
  `run()`, a non-main tasklet blocks normally and `run()` returns.) When
  the last runnable tasklet ends while main is blocked on a channel, main's
  call raises the same DeadlockError and main is taken off the channel
  (Stackless raises a RuntimeError "the main tasklet is receiving without
  a sender available." there; the one message is kept, as the RPy
  language reference has it). DeadlockError is a RuntimeError, as
  Stackless' deadlock error is.
- An exception escaping a non-main tasklet (other than TaskletExit, which
  ends it silently) is not printed: as in Stackless, it is re-raised in the
  main tasklet, at the point where main waits (schedule(), run(), a channel
  operation; main is taken off its channel first). Uncaught there, Python
  prints the traceback (main's frames, then the tasklet's) and exits with
  status 1.
- `kill()` raises TaskletExit (a SystemExit, as in Stackless, so `except
  Exception` does not catch it) in the tasklet at once: a blocked tasklet
  is taken off its channel and runs next, the killer right after it; a
  runnable one is switched to where it stands in the run queue (Stackless'
  circular queue rotates to it); a tasklet that has not started dies
  without running its function; killing a dead tasklet does nothing.
  `throw()`/`raise_exception()` work the same way with other exceptions.
- Each tasklet starts with a fresh recursion depth, as in Stackless.
Not provided: pickling, channel callbacks, watchdog/preemptive run(timeout),
atomic, tasklets of other threads (each thread has its own scheduler), and
killing tasklets on garbage collection or at exit (a program may end with
blocked tasklets; their finally blocks do not run).
"""

from collections import deque as _deque

from rpy import greenlet as _gmod
from rpy.greenlet import greenlet as _greenlet

__all__ = ["tasklet", "channel", "schedule", "schedule_remove", "run",
           "getcurrent", "getmain", "getruncount", "TaskletExit",
           "DeadlockError"]

_gmod._INTERNAL_FILES.add(__file__)
_raise = _gmod._raise


class TaskletExit(SystemExit):
    """Raised in a tasklet by kill(); ends the tasklet silently."""


class DeadlockError(RuntimeError):
    """A blocking channel operation when nothing else can run."""


_DEADLOCK = "Deadlock: the last runnable tasklet cannot be blocked."


class _Bomb(object):
    __slots__ = ("exc",)

    def __init__(self, exc):
        self.exc = exc


def _make_exc(exc, val, tb):
    if isinstance(exc, BaseException):
        if val is not None:
            raise TypeError("instance exception may not have a separate value")
        e = exc
    elif isinstance(exc, type) and issubclass(exc, BaseException):
        if isinstance(val, exc):
            e = val
        elif val is None:
            e = exc()
        elif isinstance(val, tuple):
            e = exc(*val)
        else:
            e = exc(val)
    else:
        raise TypeError("exceptions must be classes, or instances, not "
                        + type(exc).__name__)
    if tb is not None:
        e = e.with_traceback(tb)
    return e


class _Scheduler(object):
    def __init__(self):
        main = tasklet.__new__(tasklet)
        main._init_state(self)
        main._g = _gmod.getcurrent()
        main._is_main = True
        self.main = main
        self.current = main
        self.rq = _deque([main])

    def switch(self, prev, nxt):
        """Run nxt (already placed at the head of the run queue) instead of
        prev; return prev's tempval when it runs again."""
        if prev is not nxt:
            self.current = nxt
            nxt._g.switch()
        return prev._claim()

    def prepare(self, t):
        """Make t the head of the run queue, as Stackless' schedule_task
        does for a tasklet it switches to."""
        rq = self.rq
        if t._blocked:
            t._channel._remove(t)
            rq.appendleft(t)
            return
        for i, x in enumerate(rq):
            if x is t:
                rq.rotate(-i)
                return
        rq.appendleft(t)

    def cannot_block(self, src):
        """src (the current tasklet, alone in the run queue) is about to
        block. Return the tasklet to run instead, or raise DeadlockError."""
        main = self.main
        if src is main or main._blocked or main._done:
            raise DeadlockError(_DEADLOCK)
        return main          # main is inside run(): it continues

    def end(self, t, exc):
        """The current tasklet t has finished (exc: the exception that
        escaped it, or None). Arrange who runs next."""
        rq = self.rq
        if rq and rq[0] is t:
            rq.popleft()
        t._done = True
        main = self.main
        if exc is not None:
            main._tempval = _Bomb(exc)
            self.prepare(main)
            nxt = main
        elif rq:
            nxt = rq[0]
        else:
            nxt = main
            if main._blocked:
                # (Stackless says "the main tasklet is receiving without a
                # sender available." here; we keep the one message.)
                main._tempval = _Bomb(DeadlockError(_DEADLOCK))
            self.prepare(main)
        self.current = nxt
        t._g.parent = nxt._g        # t's greenlet returns into nxt


def _sched():
    w = _gmod._world_state()
    s = w.extra
    if s is None:
        s = w.extra = _Scheduler()
    return s


class tasklet(object):
    """tasklet(func=None, args=None, kwargs=None); t(*args) sets it up and
    appends it to the run queue."""

    def _init_state(self, sched):
        self._sched = sched
        self._func = None
        self._args = None
        self._kwargs = None
        self._g = None
        self._done = False
        self._blocked = 0
        self._channel = None
        self._tempval = None
        self._is_main = False

    def __init__(self, func=None, args=None, kwargs=None):
        self._init_state(_sched())
        if func is not None:
            self.bind(func)
        if args is not None or kwargs is not None:
            self.setup(*(args or ()), **(kwargs or {}))

    def bind(self, func=None, args=None, kwargs=None):
        if func is not None and not callable(func):
            raise TypeError("tasklet function must be a callable")
        if self.alive:
            raise RuntimeError("tasklet is alive")
        self._func = func
        if args is not None or kwargs is not None:
            self.setup(*(args or ()), **(kwargs or {}))
        return self

    def __call__(self, *args, **kwargs):
        return self.setup(*args, **kwargs)

    def setup(self, *args, **kwargs):
        if self._func is None:
            raise RuntimeError("the tasklet was not bound to a function")
        if self._g is not None:
            raise RuntimeError("tasklet is already bound to a frame")
        s = self._sched
        self._args = args
        self._kwargs = kwargs
        g = _greenlet(self._grun, s.main._g)
        g._st.inherit = False       # a fresh recursion depth
        self._g = g
        self._done = False
        s.rq.append(self)
        return self

    def _claim(self):
        v = self._tempval
        self._tempval = None
        if type(v) is _Bomb:
            _raise(v.exc)
        return v

    def _grun(self, *_ignored):
        # The greenlet body of a tasklet.
        s = self._sched
        exc = None
        try:
            self._claim()            # killed before it started?
            func = self._func
            args = self._args
            kwargs = self._kwargs
            self._args = self._kwargs = None
            func(*args, **kwargs)
        except TaskletExit:
            pass
        except BaseException as e:
            tb = e.__traceback__
            if tb is not None and tb.tb_frame.f_code is tasklet._grun.__code__:
                e.__traceback__ = tb.tb_next
            tb = None
            exc = e
        func = args = kwargs = None
        s.end(self, exc)
        exc = None

    # -- state ------------------------------------------------------------
    @property
    def alive(self):
        return self._g is not None and not self._done

    @property
    def blocked(self):
        return bool(self._blocked)

    @property
    def scheduled(self):
        if self._blocked:
            return True
        return any(x is self for x in self._sched.rq)

    @property
    def paused(self):
        return self.alive and not self.scheduled

    @property
    def is_main(self):
        return self._is_main

    @property
    def is_current(self):
        return self._sched.current is self

    def __repr__(self):
        return "<%s.%s object at 0x%x>" % (
            type(self).__module__, type(self).__qualname__, id(self))

    # -- scheduling -------------------------------------------------------
    def insert(self):
        if self._blocked:
            raise RuntimeError("You cannot run a blocked tasklet")
        if not self.alive:
            raise RuntimeError("You cannot run an unbound(dead) tasklet")
        rq = self._sched.rq
        if not any(x is self for x in rq):
            rq.append(self)

    def remove(self):
        if self._blocked:
            raise RuntimeError("You cannot remove a blocked tasklet.")
        s = self._sched
        if s.current is self:
            raise RuntimeError("The current tasklet cannot be removed.")
        rq = s.rq
        for i, x in enumerate(rq):
            if x is self:
                del rq[i]
                break
        return self

    def run(self):
        """Switch to this tasklet at once."""
        if self._blocked:
            raise RuntimeError("You cannot run a blocked tasklet")
        if not self.alive:
            raise RuntimeError("You cannot run an unbound(dead) tasklet")
        s = self._sched
        cur = s.current
        if cur is self:
            return None
        s.prepare(self)
        return s.switch(cur, self)

    def throw(self, exc=None, val=None, tb=None, pending=False):
        """Raise an exception in this tasklet (at once, unless pending)."""
        if exc is None:
            exc = TaskletExit
        e = _make_exc(exc, val, tb)
        s = self._sched
        cur = s.current
        if cur is self:
            raise e
        if not self.alive:
            if isinstance(e, TaskletExit):
                return None
            raise RuntimeError("You cannot throw to a dead tasklet")
        self._tempval = _Bomb(e)
        e = None
        if pending:
            if self._blocked:
                self._channel._remove(self)
            if not any(x is self for x in s.rq):
                s.rq.append(self)
            return None
        s.prepare(self)
        return s.switch(cur, self)

    def raise_exception(self, exc_class, *args):
        """Raise exc_class(*args) in this tasklet at once."""
        e = exc_class(*args)
        s = self._sched
        cur = s.current
        if cur is self or not self.alive:
            raise e
        self._tempval = _Bomb(e)
        e = None
        s.prepare(self)
        return s.switch(cur, self)

    def kill(self, pending=False):
        """Raise TaskletExit in this tasklet; it dies silently. Nothing
        happens for a dead tasklet."""
        if not self.alive:
            return None
        return self.throw(TaskletExit, pending=pending)


class channel(object):
    """A channel for tasklets; see the module doc for the scheduling."""

    def __init__(self):
        self._q = _deque()
        self.balance = 0
        self.preference = -1
        self.schedule_all = False
        self.closing = False

    def __repr__(self):
        return "<%s.%s object at 0x%x>" % (
            type(self).__module__, type(self).__qualname__, id(self))

    @property
    def queue(self):
        return self._q[0] if self._q else None

    @property
    def closed(self):
        return self.closing and self.balance == 0

    def close(self):
        self.closing = True

    def open(self):
        self.closing = False

    def _remove(self, t):
        q = self._q
        for i, x in enumerate(q):
            if x is t:
                del q[i]
                break
        self.balance -= t._blocked
        t._blocked = 0
        t._channel = None

    def send(self, value):
        """Send value; block until a receiver takes it."""
        self._action(value, 1)

    def send_exception(self, exc_class, *args):
        """Send an exception: the receiver raises exc_class(*args)."""
        self._action(_Bomb(exc_class(*args)), 1)

    def send_throw(self, exc, val=None, tb=None):
        """Send an exception: the receiver raises it."""
        self._action(_Bomb(_make_exc(exc, val, tb)), 1)

    def receive(self):
        """Receive a value; block until a sender provides one."""
        return self._action(None, -1)

    def __iter__(self):
        return self

    def __next__(self):
        if self.closing and self.balance <= 0:
            raise StopIteration
        return self._action(None, -1)

    def _action(self, arg, d):
        s = _sched()
        src = s.current
        rq = s.rq
        if (self.balance < 0) if d > 0 else (self.balance > 0):
            # somebody is waiting: exchange the values
            target = self._q.popleft()
            self.balance -= target._blocked
            target._blocked = 0
            target._channel = None
            src._tempval = target._tempval
            target._tempval = arg
            if self.schedule_all:
                rq.append(target)
                rq.rotate(-1)
                return s.switch(src, rq[0])
            if self.preference == -d:
                # the woken one runs now, right before us in the queue
                rq.insert(1, target)
                rq.rotate(-1)
                return s.switch(src, target)
            rq.append(target)
            return s.switch(src, src)
        # nobody is waiting: block
        if self.closing:
            raise ValueError("Send/receive operation on a closed channel")
        if len(rq) == 1:
            nxt = s.cannot_block(src)       # or DeadlockError, unchanged
        else:
            nxt = None
        rq.popleft()
        self._q.append(src)
        src._blocked = d
        src._channel = self
        self.balance += d
        src._tempval = arg
        if nxt is None:
            nxt = rq[0]
        else:
            rq.appendleft(nxt)
        return s.switch(src, nxt)


def getcurrent():
    """The tasklet that runs now."""
    return _sched().current


def getmain():
    """The main tasklet (the one that first used tasklets in this thread)."""
    return _sched().main


def getruncount():
    """The number of runnable tasklets, the current one included."""
    return len(_sched().rq)


def schedule(retval=None):
    """Put the current tasklet at the end of the run queue and run the next
    one. Returns retval (default: the current tasklet)."""
    s = _sched()
    prev = s.current
    prev._tempval = prev if retval is None else retval
    rq = s.rq
    if len(rq) > 1:
        rq.rotate(-1)
        return s.switch(prev, rq[0])
    return prev._claim()


def schedule_remove(retval=None):
    """Like schedule(), but the current tasklet leaves the run queue."""
    s = _sched()
    prev = s.current
    rq = s.rq
    if len(rq) == 1:
        nxt = s.cannot_block(prev)
    else:
        nxt = None
    prev._tempval = prev if retval is None else retval
    rq.popleft()
    if nxt is None:
        nxt = rq[0]
    else:
        rq.appendleft(nxt)
    return s.switch(prev, nxt)


def run():
    """Run the other tasklets until none is runnable (main tasklet only)."""
    s = _sched()
    cur = s.current
    if cur is not s.main:
        raise RuntimeError("run() must be run from the main tasklet")
    rq = s.rq
    if len(rq) <= 1:
        return None
    rq.popleft()                 # main floats until nothing else can run
    cur._tempval = None
    s.switch(cur, rq[0])
    return None
