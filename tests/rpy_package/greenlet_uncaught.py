# An exception escaping run() is raised in the parent at its pending
# switch(), keeping its own context (not the parent's); uncaught in the
# main greenlet it prints CPython's traceback and exits with status 1.
# Expected stdout/stderr verified with the real greenlet 2.0.2.
from rpy.greenlet import greenlet, getcurrent

main = getcurrent()


def inner(n):
    if n == 0:
        raise ValueError("boom")
    return inner(n - 1)


def work(x):
    main.switch(x)
    try:
        {}["k"]
    except KeyError:
        inner(2)


g = greenlet(work)
print(g.switch(1))
try:
    1 / 0
except ZeroDivisionError:
    g.switch()
