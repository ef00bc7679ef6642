# The stackless transform, on the coroutine primitives directly (so the
# dump does not depend on lib/stdlib/rpy): ping() calls switch(), which
# may unwind, so ping gets a save block after the call and a resume entry;
# count() cannot reach a switch and keeps its plain code.
import _rpystackless


def count(n):
    total = 0
    for i in range(n):
        total += i
    return total


def ping(n):
    label = "ping" + str(n)
    while n > 0:
        if _rpystackless.switch(0):
            n = n - 1
        n = n - count(2)
    return len(label)


print(ping(3))
