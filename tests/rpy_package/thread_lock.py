# rpy.thread: start_new_thread returns the new thread's id; locks block,
# acquire(False) fails on a taken lock, `with lock:`; threads are awaited by
# polling a counter under a lock. The threading subset works alongside.
import threading
import time
from rpy.thread import start_new_thread, allocate_lock, get_ident

lock = allocate_lock()
print("new lock locked:", lock.locked())
print("acquire:", lock.acquire())
print("acquire(False) on a taken lock:", lock.acquire(False))
print("acquire(True, 0.01) on a taken lock:", lock.acquire(True, 0.01))
lock.release()
print("after release:", lock.locked())
try:
    lock.release()
except RuntimeError as e:
    print("release unlocked:", type(e).__name__, e)
with lock:
    print("inside with:", lock.locked())
print("after with:", lock.locked())
try:
    with lock:
        raise ValueError("in block")
except ValueError as e:
    print("exception left the block, lock freed:", not lock.locked(), e)

counter = [0]
done = [0]
ids = {}


gate = allocate_lock()


def worker(n, name):
    with lock:
        ids[name] = get_ident()
    with gate:                  # main holds it until all five run
        pass
    for i in range(n):
        with lock:
            counter[0] += 1
    with lock:
        done[0] += 1


def wait_for(n):
    while True:
        with lock:
            d = done[0]
        if d >= n:
            return
        time.sleep(0.001)


returned = []
with gate:
    for k in range(5):
        returned.append(start_new_thread(worker, (3000, "t" + str(k))))
wait_for(5)
print("counter", counter[0])
print("ids returned are the threads' ids:",
      sorted(returned) == sorted(ids.values()))
print("all alive at once, so distinct, and not main's:", len(set(returned)) == 5 and get_ident() not in returned)

# a lock released by another thread than the one holding it (a signal)
sig = allocate_lock()
sig.acquire()
start_new_thread(lambda: sig.release(), ())
sig.acquire()
print("released from another thread")

# the threading subset on the same lock
ts = [threading.Thread(target=worker, args=(1000, "x" + str(k))) for k in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("counter after threading.Thread", counter[0], "done", done[0])

try:
    start_new_thread(worker, [1, "y"])
except TypeError as e:
    print("args not a tuple:", e)
