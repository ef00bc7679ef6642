# Many greenlets that finish (their threads end), a long ping-pong, and a
# program that exits with suspended greenlets (it must exit at once, with
# status 0, without running their finally blocks).
import os
import time
from rpy.greenlet import greenlet, getcurrent

main = getcurrent()


def threads():
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


before = threads()
total = 0
for i in range(5000):
    total += greenlet(lambda x: x + 1).switch(i)
print("5000 finished greenlets:", total)
for _ in range(200):
    if threads() <= before + 1:
        break
    time.sleep(0.05)
print("their threads ended:", threads() <= before + 1)


def pong(n):
    while True:
        n = main.switch(n + 1)


p = greenlet(pong)
n = 0
for i in range(5000):
    n = p.switch(n)
print("ping-pong:", n)


def stay(i):
    try:
        main.switch(i)
    finally:
        print("never printed")


live = [greenlet(stay) for i in range(300)]
print("suspended:", sum(g.switch(i) for i, g in enumerate(live)))
