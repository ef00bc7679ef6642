# Greenlet edge cases: throw() through finally blocks and handlers of nested
# frames, a thousand greenlets suspended at recursion depths up to 50, and
# RecursionError inside a greenlet. Output equals the real greenlet library's.
from rpy.greenlet import greenlet, getcurrent, GreenletExit
main = getcurrent()
log = []

def inner(k):
    try:
        return main.switch(k)
    finally:
        log.append("inner finally " + str(k))

def outer(k):
    total = 0
    try:
        for i in range(3):
            total += inner(k + i)
    except ValueError as e:
        log.append("outer caught " + str(e))
        total = -1
    return total

g = greenlet(outer)
print(g.switch(10))
print(g.switch(1))
print(g.throw(ValueError("boom")))
print(g.dead, log)

def recurse(n):
    if n == 0:
        return main.switch(0)
    return recurse(n - 1) + 1

gs = []
for j in range(1000):
    h = greenlet(recurse)
    h.switch(j % 50)
    gs.append(h)
total = 0
for h in gs:
    total += h.switch(1)
print("total", total, all(h.dead for h in gs))

def deep(n):
    if n == 0:
        return 0
    return deep(n - 1) + 1
d = greenlet(deep)
try:
    print(d.switch(100000))
except RecursionError as e:
    print("RecursionError in greenlet:", d.dead)
