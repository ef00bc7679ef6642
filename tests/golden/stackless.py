# The stackless transform: ping() calls switch(), which may unwind, so ping
# gets a save block after the call and a resume entry; count() cannot
# reach a switch and keeps its plain code.
from rpy.greenlet import greenlet, getcurrent

main = getcurrent()


def count(n):
    total = 0
    for i in range(n):
        total += i
    return total


def ping(n):
    label = "ping" + str(n)
    while n > 0:
        n = main.switch(n - 1) + count(2)
    return len(label)


g = greenlet(ping)
v = g.switch(3)
while not g.dead:
    print("main got", v)
    v = g.switch(v)
print("finished with", v)
