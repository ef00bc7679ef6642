# Switching at call depth 100: each greenlet recurses 100 calls deep, then
# the two switch N times in all from there.
import sys
import time
from rpy.greenlet import greenlet

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
DEPTH = 100


def rally(depth, n, other):
    if depth > 0:
        return rally(depth - 1, n, other) + 1
    while n > 0:
        n = other[0].switch(n - 1)
    return 0


def left_run(n):
    return rally(DEPTH, n, left_box)


def right_run(n):
    return rally(DEPTH, n, right_box)


left = greenlet(left_run)
right = greenlet(right_run)
left_box = [right]
right_box = [left]
t0 = time.perf_counter()
r = left.switch(N)
t1 = time.perf_counter()
print("switches at depth", DEPTH, N, "ns_per_op", round((t1 - t0) * 1e9 / N, 1))
