# kill(), exceptions escaping tasklets (re-raised in main: in run(), while
# main is blocked on a channel, uncaught at the end), deadlock in a non-main
# tasklet. Expected output checked by hand against Stackless' scheduler.
from rpy.tasklets import tasklet, channel, schedule, run, getcurrent, TaskletExit, DeadlockError
log = []
def blocker(ch, name):
    try:
        log.append(name + " got " + str(ch.receive()))
    except TaskletExit:
        log.append(name + " killed")
        raise
    finally:
        log.append(name + " finally")
def looper(name):
    for i in range(3):
        log.append(name + str(i))
        schedule()
ch = channel()
b = tasklet(blocker)(ch, "b")
l1 = tasklet(looper)("L1")
l2 = tasklet(looper)("L2")
schedule()
print(log, ch.balance, b.alive, b.blocked)
log.clear()
b.kill()
print(log, ch.balance, b.alive, b.blocked)
log.clear()
n = tasklet(looper)("N")
n.kill()
print("killed new:", log, n.alive)
run()
print(log)
def bad():
    schedule()
    raise ValueError("bad tasklet")
tasklet(bad)()
tasklet(looper)("W")
try:
    run()
except ValueError as e:
    print("main caught", e)
log.clear()
run()
print(log)
# exception while main blocked on a channel
def bad2(ch):
    raise KeyError("k2")
ch2 = channel()
tasklet(bad2)(ch2)
try:
    ch2.receive()
except KeyError as e:
    print("main caught while blocked", repr(e), ch2.balance)
# non-main deadlock while main blocked
def waiter(c):
    try:
        c.receive()
    except DeadlockError as e:
        print("waiter deadlock:", e)
        raise
ch3 = channel(); ch4 = channel()
tasklet(waiter)(ch4)
try:
    ch3.receive()
except DeadlockError as e:
    print("main got", e, ch3.balance, ch4.balance)
tasklet(lambda: 1/0)()
run()
