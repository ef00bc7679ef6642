# Greenlet ping-pong: two greenlets switch to each other N times in all.
import sys
import time
from rpy.greenlet import greenlet

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000


def ping_run(n):
    while n > 0:
        n = pong.switch(n - 1)
    return 0


def pong_run(n):
    while n > 0:
        n = ping.switch(n - 1)
    return 0


ping = greenlet(ping_run)
pong = greenlet(pong_run)
t0 = time.perf_counter()
ping.switch(N)
t1 = time.perf_counter()
print("switches", N, "ns_per_op", round((t1 - t0) * 1e9 / N, 1))
