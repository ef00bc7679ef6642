# Variables captured by nested functions (cells) that a path leaves unset:
# NameError in the nested function, UnboundLocalError in their own, as
# CPython; and nonlocal writes that bind them.
def f(flag):
    if flag:
        x = 1

    def g():
        return x

    return g()


def counter(start):
    if start > 0:
        n = start

    def inc():
        nonlocal n
        n = n + 1 if start > 0 else 1
        return n

    return inc


def own(flag):
    if flag:
        y = 5

    def peek():
        return y

    return y + (peek() if flag else 0)


print(f(True))
try:
    print(f(False))
except NameError as e:
    print("NameError:", e)
c = counter(3)
print(c(), c())
d = counter(0)
print(d(), d())
print(own(True))
try:
    own(False)
except UnboundLocalError as e:
    print("UnboundLocalError:", e)
