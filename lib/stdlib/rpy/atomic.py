"""rpy.atomic for compiled programs: `with atomic:` blocks.

Threads (rpy.thread) are green threads on the stackless coroutines: they
run one at a time and switch only where they wait (a held lock,
time.sleep), so a block that does not wait runs alone; while a block
runs, time.sleep does not switch either (thread.py asks is_held()).
Parallel threads, where atomic blocks become transactions, are the STM
work still to come.
"""


class _Atomic:
    def __init__(self):
        self._depth = 0

    def __enter__(self):
        self._depth += 1
        return self

    def __exit__(self, exc_type, exc, tb):
        self._depth -= 1

    def is_held(self):
        return self._depth > 0

    def depth(self):
        return self._depth


atomic = _Atomic()
