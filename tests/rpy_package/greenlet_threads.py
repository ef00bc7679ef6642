# Greenlets belong to their thread: each thread has its own main greenlet,
# and switching to a greenlet of another thread raises greenlet.error.
# Expected output verified with the real greenlet 2.0.2.
import threading
from rpy.greenlet import greenlet, getcurrent, error

main = getcurrent()
g = greenlet(lambda: main.switch("suspended") or "finished")
print(g.switch())
out = []


def in_thread():
    m = getcurrent()
    out.append(("thread main is another greenlet", m is not main, m.parent))
    try:
        g.switch()
    except error as e:
        out.append(("switch to other thread", type(e).__name__, str(e)))
    try:
        g.throw()
    except error as e:
        out.append(("throw to other thread", str(e)))
    h = greenlet(lambda x: x * 2)
    out.append(("own greenlet", h.switch(21)))
    try:
        h2 = greenlet(lambda: 1)
        h2.parent = g
        out.append(("reparent to a greenlet of another thread", "allowed before start"))
        h2.switch()
    except error as e:
        out.append(("start with a parent of another thread", str(e)))
    except ValueError as e:
        out.append(("ValueError", str(e)))


t = threading.Thread(target=in_thread)
t.start()
t.join()
for o in out:
    print(*o)
print(g.switch(), g.dead)
