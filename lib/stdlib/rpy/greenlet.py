"""rpy.greenlet for compiled programs: greenlets on the coroutines of
runtime/stackless.c (module _rpystackless).

A greenlet is a coroutine number and the greenlet semantics around it:
values and exceptions travel through two module lists (one value type and
one exception type program-wide, as the annotator merges them), the first
switch starts the greenlet's run function, and when run ends, its result
or exception goes to the parent (or the parent's first live ancestor).
`_rpystackless.switch(c)` returns False when the switching greenlet is
resumed, and True in a new coroutine that starts as a copy of the frame
that switched (fork): that copy calls _bootstrap.

One deviation from CPython's greenlet, forced by static types: when
GreenletExit escapes run(), the parent's switch() returns the last value
the dead greenlet received, not the GreenletExit object.
"""
import _rpystackless


class GreenletExit(BaseException):
    pass


class greenlet:
    def __init__(self, run, parent=None):
        self.run = run
        if parent is None:
            parent = _current
        self.parent = parent
        self.dead = False
        self._started = False
        self._coro = -1

    def switch(self, value):
        # _switch_to, written out: one frame fewer to save and resume
        global _current
        _values.append(value)  # all switch() values of a program have one type
        target = _live(self)
        if target is _current:
            return _receive(target)
        if not target._started:
            target._started = True
            target._coro = _rpystackless.new()
        _current = target
        if _rpystackless.switch(target._coro):
            _bootstrap(target)
        return _receive(_current)

    def throw(self, exc=None):
        if exc is None:
            exc = GreenletExit()
        _exceptions.append(exc)
        return _switch_to(self)


def _keep(value):
    # the run function of the main greenlet, which never calls it
    return value


_values = []
_exceptions = []
_current = greenlet(_keep)
_current.parent = None
_current._started = True
_current._coro = _rpystackless.current()


def getcurrent():
    return _current


def _live(g):
    while g.dead:
        g = g.parent
    return g


def _receive(g):
    if len(_exceptions) > 0:
        e = _exceptions.pop()
        raise e
    v = _values.pop()
    g._last = v
    return v


def _switch_to(target):
    global _current
    target = _live(target)
    if target is _current:
        return _receive(target)
    if not target._started:
        target._started = True
        target._coro = _rpystackless.new()
    _current = target
    if _rpystackless.switch(target._coro):
        _bootstrap(target)
    return _receive(_current)


def _bootstrap(g):
    # runs g, then hands its result to its parent; a parent that has not
    # started yet runs here, in the same coroutine
    global _current
    while True:
        try:
            r = g.run(_receive(g))
            _values.append(r)  # run()'s result is a switch value: one type for all
        except GreenletExit:
            _values.append(g._last)
        except BaseException as e:
            _rpystackless.keep_traceback()
            _exceptions.append(e)
        g.dead = True
        parent = _live(g.parent)
        _current = parent
        if parent._started:
            _rpystackless.exit_to(parent._coro)
            return
        parent._started = True
        parent._coro = g._coro
        g = parent
