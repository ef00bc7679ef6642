# Closures: bound self, recursion, nonlocal, lambdas in lists, callbacks in attributes, None-able callbacks.
class Counter:
    def __init__(self):
        self.n = 0
    def make_inc(self, step):
        def inc():
            self.n += step
            return self.n
        return inc


c = Counter()
f = c.make_inc(3)
print(f(), f(), c.n)


def fact_maker():
    def fact(n):
        return 1 if n <= 1 else n * fact(n - 1)
    return fact


print(fact_maker()(10))


def outer(xs):
    total = 0
    def add(x):
        nonlocal total
        total += x
    for x in xs:
        add(x)
    return total


print(outer([1, 2, 3, 4]))


def make_ops():
    base = 10
    return [lambda x: x + base, lambda x: x * base, lambda x: x - base]


print([op(5) for op in make_ops()])


def sorter(words, rev):
    key = lambda w: (len(w), w)
    return sorted(words, key=key, reverse=rev)


print(sorter(["bb", "a", "ccc", "aa"], False), sorter(["bb", "a", "ccc"], True))


def counter():
    count = [0]
    def bump():
        count[0] += 1
        return count[0]
    return bump


b = counter()
b()
b()
print(b())


class Button:
    def __init__(self, label, action):
        self.label = label
        self.action = action

    def click(self, v):
        return self.label + ":" + str(self.action(v))


def scale(k):
    return lambda v: v * k


btns = [Button("x2", scale(2)), Button("x3", scale(3))]
print([bt.click(7) for bt in btns])
cb = None
if len(btns) > 1:
    cb = scale(10)
if cb is not None:
    print(cb(4))
