# 1,000,000 tasklets, each blocked once on a channel: all are suspended at
# once (peak RSS / N is the cost of a suspended tasklet), then main feeds
# them one value each and they finish.
import sys
import time
from rpy.tasklets import tasklet, channel, schedule, run

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000


def waiter(ch, out):
    v = ch.receive()
    out[0] += v


ch = channel()
out = [0]
t0 = time.perf_counter()
for i in range(N):
    tasklet(waiter)(ch, out)
schedule()
blocked = -ch.balance
for i in range(N):
    ch.send(1)
run()
t1 = time.perf_counter()
print("tasklets", N, "blocked at once", blocked, "sum", out[0], "ns_per_tasklet", round((t1 - t0) * 1e9 / N, 1))
