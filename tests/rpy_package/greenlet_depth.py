# A greenlet starts with the recursion depth of the code that started it
# (greenlet copies the thread's depth), so RecursionError comes at the same
# depth as with greenlet; deep recursion in a greenlet works. Expected
# output verified with the real greenlet 2.0.2 on CPython 3.11.
import sys
from rpy.greenlet import greenlet, getcurrent


def depth(n=0):
    try:
        return depth(n + 1)
    except RecursionError:
        return n


def nest(k):
    if k == 0:
        return greenlet(lambda: depth()).switch()
    return nest(k - 1)


def inner():
    return depth()


def outer():
    return greenlet(inner).switch()


main_depth = depth()
print("greenlet from top", main_depth - greenlet(lambda: depth()).switch())
print("greenlet from depth 100", main_depth - nest(100))
print("nested greenlets", main_depth - greenlet(outer).switch())

sys.setrecursionlimit(60000)


def rec(n):
    return 0 if n == 0 else 1 + rec(n - 1)


class Node:
    def __init__(self, d):
        self.child = Node(d - 1) if d else None


def deep():
    r = rec(50000)
    Node(3000)
    return r


print("deep recursion in a greenlet", greenlet(deep).switch())
