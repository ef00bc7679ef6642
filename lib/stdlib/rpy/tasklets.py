"""rpy.tasklets for compiled programs: Stackless tasklets and channels on
the coroutines of runtime/stackless.c (module _rpystackless).

The compiler rewrites `tasklet(func)(args)` into `tasklet(start)`, start
being a lambda of no arguments that calls func(args) (flowgraph/
build_tasklet.c), so a tasklet holds one callable whatever its arguments.

Scheduling is Stackless': a FIFO run queue without the current tasklet;
schedule() puts the current one at the end and runs the first; a send to
a waiting receiver runs the receiver at once and puts the sender at the
end of the queue; a receive from a waiting sender takes its value and
makes the sender runnable (at the end), going on itself. A tasklet that
would block when nothing else can run raises DeadlockError if it is the
blocking tasklet (a tasklet that does not catch it dies, and main gets
it), and a blocked main tasklet gets it when the last other runnable
tasklet ends. kill() turns the run queue to the victim, as Stackless'
circular queue does. An exception escaping a tasklet
(other than TaskletExit) is raised in the main tasklet, as in Stackless.
A tasklet that ends while the next one has not started yet runs it in its
own coroutine, so a million short tasklets reuse a few coroutines.

The queues are lists read from a head index (O(1) at both ends; the read
part is dropped when it is more than half), since the run queue of a
million tasklets must not shift on every popleft.
"""
import _rpystackless


class TaskletExit(SystemExit):
    pass


class DeadlockError(RuntimeError):
    pass


_DEADLOCK = "Deadlock: the last runnable tasklet cannot be blocked."


class _Tasklet:
    def __init__(self, start):
        self.start = start
        self.alive = True
        self.blocked = False  # waiting on a channel (blocked_on)
        self.blocked_on = None
        self._started = False
        self._coro = -1
        self._exc = None  # exceptions to raise when it resumes (made on demand)

    def kill(self):
        # TaskletExit is raised in the tasklet at once (one that has not
        # started dies without running). As in Stackless' circular run
        # queue, a runnable victim runs now, then the tasklets after it,
        # then the killer, then those before it; a blocked one leaves its
        # channel and runs now, then the killer.
        global _runnable, _head
        if not self.alive:
            return
        if self is _current:
            raise TaskletExit()
        i = _index(_runnable, _head, self)
        if i >= 0:
            turned = _runnable[i + 1:]
            turned.append(_current)
            turned.extend(_runnable[_head:i])
            _runnable = turned
            _head = 0
        else:
            _unlink(self)
            _ready_first(_current)
        _post(self, TaskletExit())
        _switch(self)


class channel:
    def __init__(self):
        self.balance = 0
        self._receivers = []
        self._rhead = 0
        self._senders = []
        self._values = []
        self._shead = 0
        self._handoff = []

    def send(self, value):
        me = _current
        if self._rhead < len(self._receivers):
            r = self._receivers[self._rhead]
            self._rhead += 1
            if self._rhead * 2 > len(self._receivers):
                del self._receivers[:self._rhead]
                self._rhead = 0
            self.balance += 1
            r.blocked = False
            r.blocked_on = None
            self._handoff.append(value)  # all channels of a program carry one type
            _ready(me)
            _switch(r)
            return
        self._senders.append(me)
        self._values.append(value)  # all channels of a program carry one type
        self.balance += 1
        me.blocked = True
        me.blocked_on = self
        _switch(_block(me))

    def receive(self):
        me = _current
        if self._shead < len(self._senders):
            s = self._senders[self._shead]
            v = self._values[self._shead]
            self._shead += 1
            if self._shead * 2 > len(self._senders):
                del self._senders[:self._shead]
                del self._values[:self._shead]
                self._shead = 0
            self.balance -= 1
            s.blocked = False
            s.blocked_on = None
            _ready(s)
            return v
        self._receivers.append(me)
        self.balance -= 1
        me.blocked = True
        me.blocked_on = self
        _switch(_block(me))
        return self._handoff.pop()


def _noop():
    pass


_runnable = []
_head = 0
_main = _Tasklet(_noop)
_main._started = True
_main._coro = _rpystackless.current()
_current = _main


def tasklet(start):
    t = _Tasklet(start)
    _runnable.append(t)
    return t


def getcurrent():
    return _current


def schedule():
    if not _any_ready():
        return
    _ready(_current)
    _switch(_next_ready())


def run():
    while _any_ready():
        schedule()


# ---- the run queue ----

def _any_ready():
    return _head < len(_runnable)


def _ready(t):
    _runnable.append(t)


def _ready_first(t):
    global _head
    if _head > 0:
        _head -= 1
        _runnable[_head] = t
    else:
        _runnable.insert(0, t)


def _next_ready():
    global _head
    t = _runnable[_head]
    _head += 1
    if _head * 2 > len(_runnable):
        del _runnable[:_head]
        _head = 0
    return t


def _index(q, start, t):
    for i in range(start, len(q)):
        if q[i] is t:
            return i
    return -1


def _unlink(t):
    # takes t out of the run queue or the channel it waits on
    ch = t.blocked_on
    if ch is None:
        i = _index(_runnable, _head, t)
        if i >= 0:
            del _runnable[i]
        return
    t.blocked = False
    t.blocked_on = None
    i = _index(ch._receivers, ch._rhead, t)
    if i >= 0:
        del ch._receivers[i]
        ch.balance += 1
        return
    i = _index(ch._senders, ch._shead, t)
    if i >= 0:
        del ch._senders[i]
        del ch._values[i]
        ch.balance -= 1


def _block(me):
    # me waits on a channel: the tasklet to run instead; if none can run,
    # the DeadlockError is raised in me (a tasklet that does not catch it
    # dies, and main, blocked too, gets it)
    if _any_ready():
        return _next_ready()
    _unlink(me)
    raise DeadlockError(_DEADLOCK)


def _deadlocked_main():
    _unlink(_main)
    _post(_main, DeadlockError(_DEADLOCK))
    return _main


def _post(t, e):
    if t._exc is None:
        t._exc = []
    t._exc.append(e)


def _switch(t):
    global _current
    if t is not _current:
        _current = t
        if not t._started:
            t._started = True
            t._coro = _rpystackless.new()
        if _rpystackless.switch(t._coro):
            _bootstrap(t)
    me = _current
    if me._exc is not None and len(me._exc) > 0:
        e = me._exc.pop()
        raise e


def _bootstrap(t):
    global _current
    while True:
        try:
            if t._exc is not None and len(t._exc) > 0:
                e = t._exc.pop()
                raise e
            t.start()
        except TaskletExit:
            pass
        except BaseException as e:
            _rpystackless.keep_traceback()
            _unlink(_main)
            _post(_main, e)
            _ready_first(_main)
        t.alive = False
        if _any_ready():
            nxt = _next_ready()
        else:
            nxt = _deadlocked_main()
        _current = nxt
        if nxt._started:
            _rpystackless.exit_to(nxt._coro)
            return
        nxt._started = True
        nxt._coro = t._coro
        t = nxt
