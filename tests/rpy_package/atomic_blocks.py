# rpy.atomic: atomic blocks of several threads never overlap; they nest;
# an exception leaves the block (and frees it); every import spelling gives
# the same global block; greenlets switched to inside a block are inside it.
import time
import rpy.atomic
from rpy import atomic as atomic_module
from rpy.atomic import atomic
from rpy.thread import start_new_thread
from rpy.greenlet import greenlet

print("outside:", atomic.is_held(), atomic.depth())
with atomic:
    with atomic_module:
        with rpy.atomic:
            with rpy.atomic.atomic:
                print("nested:", atomic.is_held(), atomic.depth())
    print("back to depth", atomic.depth())
print("after:", atomic.is_held(), atomic.depth())
try:
    with atomic:
        with atomic:
            raise KeyError("k")
except KeyError as e:
    print("exception left both blocks:", repr(e), atomic.depth())

inside = [0]
overlaps = [0]
total = [0]
done = [0]


def worker(n):
    for i in range(n):
        with atomic:
            inside[0] += 1
            if inside[0] != 1:
                overlaps[0] += 1
            total[0] += 1
            if i % 100 == 0:
                time.sleep(0)       # a chance to switch threads
            inside[0] -= 1
    with atomic:
        done[0] += 1


for k in range(4):
    start_new_thread(worker, (2000,))
while True:
    with atomic:
        d = done[0]
    if d == 4:
        break
    time.sleep(0.001)
print("total", total[0], "overlaps", overlaps[0])

# another thread cannot enter while this one is inside
entered = []
with atomic:
    start_new_thread(lambda: (atomic.__enter__(), entered.append(1),
                              atomic.__exit__(None, None, None)), ())
    time.sleep(0.05)
    print("other thread entered while held:", len(entered))
while True:
    with atomic:
        if entered:
            break
    time.sleep(0.001)
print("other thread entered after:", len(entered))

# greenlets of this thread share its block
main_depths = []


def g_run():
    with atomic:                    # nested, not a deadlock
        main_depths.append(atomic.depth())
    return "g done"


with atomic:
    g = greenlet(g_run)
    print(g.switch(), main_depths)
try:
    with atomic:
        pass
    atomic.__exit__(None, None, None)
except RuntimeError as e:
    print(e)
