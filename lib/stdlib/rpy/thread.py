"""rpy.thread for compiled programs: green threads on rpy.tasklets.

start_new_thread(f, args) makes a tasklet that calls f(*args); the
compiler binds f and the arguments at the call (flowgraph/build_tasklet.c,
as for tasklets), so here it is a callable of no arguments. Threads run
one at a time and switch where they wait: acquiring a held lock, and
time.sleep(), which the compiler points here in modules that import
rpy.thread (it runs the other threads, or sleeps when none can run).
So a program that waits for its threads by polling under a lock, as
the corpus does, sees them all finish. An exception escaping a thread is
printed on stderr with its traceback, and the program goes on, as with
CPython. One core only: parallel threads come with the STM work.
"""
import time
import _rpystackless
from rpy.tasklets import tasklet, schedule, _any_ready
from rpy.atomic import atomic

_next_id = [1]


def start_new_thread(start, args):
    ident = _next_id[0]
    _next_id[0] += 1

    def run():
        try:
            start()
        except SystemExit:
            pass
        except BaseException:
            # as CPython: reported on stderr, and the program goes on
            _rpystackless.keep_traceback()
            _rpystackless.print_kept_exception("Exception ignored in thread started by: thread " + str(ident))

    tasklet(run)()
    return ident


class _Lock:
    def __init__(self):
        self._held = False

    def acquire(self, blocking=True):
        while self._held:
            if not blocking:
                return False
            if not _any_ready():
                raise RuntimeError("deadlock: the lock is held and no other thread can run")
            schedule()
        self._held = True
        return True

    def release(self):
        if not self._held:
            raise RuntimeError("release unlocked lock")
        self._held = False

    def locked(self):
        return self._held

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, exc_type, exc, tb):
        self.release()


def allocate_lock():
    return _Lock()


def _sleep(seconds):
    # time.sleep() in a program with threads: let the others run
    if not atomic.is_held() and _any_ready():
        schedule()
    else:
        time.sleep(seconds)
