# Channel hand-off: a producer tasklet sends N ints to a consumer tasklet.
import sys
import time
from rpy.tasklets import tasklet, channel, run

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000


def producer(ch, n):
    for i in range(n):
        ch.send(i)


def consumer(ch, n, out):
    total = 0
    for _ in range(n):
        total += ch.receive()
    out.append(total)


ch = channel()
out = []
tasklet(consumer)(ch, N, out)
tasklet(producer)(ch, N)
t0 = time.perf_counter()
run()
t1 = time.perf_counter()
print("handoffs", N, "total", out[0], "ns_per_op", round((t1 - t0) * 1e9 / N, 1))
