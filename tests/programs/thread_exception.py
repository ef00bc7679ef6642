# An exception that ends a thread is printed on stderr; the program goes on
# (exit status 0), as with CPython. Only main prints on stdout.
import time
from rpy.thread import start_new_thread, allocate_lock

lock = allocate_lock()
done = [0]
ok = []


def work(n):
    with lock:
        done[0] += 1
    if n == 1:
        raise ValueError("thread failed " + str(n))
    with lock:
        ok.append(n)


for i in range(3):
    start_new_thread(work, (i,))
while True:
    with lock:
        if done[0] == 3 and len(ok) == 2:
            break
    time.sleep(0.001)
print("main goes on", done[0], sorted(ok))
