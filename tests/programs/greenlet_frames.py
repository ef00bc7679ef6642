# Greenlet switches from inside loops, try/finally, handlers, generators and
# recursion, with live locals of every kind (int, float, str, list, object),
# which the stackless transform must save and reload exactly.
from rpy.greenlet import greenlet, getcurrent

main = getcurrent()


class Acc:
    def __init__(self, name):
        self.name = name
        self.items = []

    def add(self, x):
        self.items.append(x)
        return len(self.items)


def worker(n):
    f = 0.5
    s = "w"
    acc = Acc("acc")
    xs = [1, 2]
    for i in range(n):
        try:
            got = main.switch(i)
            f = f * 2.0 + got
            s = s + str(got)
            acc.add(got)
            xs.append(got * 10)
        finally:
            xs.append(-1)
    return int(f) + len(s) + len(acc.items) + sum(xs)


def gen(n):
    for i in range(n):
        r = main.switch(100 + i)
        yield r * 2


def consumer(n):
    total = 0
    for v in gen(n):
        total += v
    return total


def deep(d):
    if d == 0:
        return main.switch(-d)
    return deep(d - 1) + 1


def fails(n):
    main.switch(n)
    try:
        main.switch(n + 1)
        raise KeyError("inner")
    except KeyError as e:
        main.switch(n + 2)
        raise ValueError("failed after " + str(e))


g = greenlet(worker)
v = g.switch(4)
while not g.dead:
    print("worker at", v)
    v = g.switch(v + 1)
print("worker result", v)

c = greenlet(consumer)
v = c.switch(3)
while not c.dead:
    print("generator paused at", v)
    v = c.switch(v - 100)
print("consumer total", v)

d = greenlet(deep)
print("deep paused", d.switch(50))
print("deep result", d.switch(7), d.dead)

f = greenlet(fails)
print(f.switch(1), f.switch(0), f.switch(0))
try:
    f.switch(0)
except ValueError as e:
    print("caught", e, f.dead)
