# Channel preference, schedule() return values, tasklet states, pending
# throw, send_exception, iteration, schedule_remove. Checked by hand.
from rpy.tasklets import (tasklet, channel, schedule, run, getcurrent,
                          getmain, getruncount, TaskletExit, DeadlockError)

log = []


def recv(ch, name):
    log.append(name + " got " + str(ch.receive()))


def send(ch, name, v):
    ch.send(v)
    log.append(name + " sent " + str(v))


def other(name):
    log.append(name)


for pref in (-1, 0, 1):
    ch = channel()
    ch.preference = pref
    log.clear()
    tasklet(recv)(ch, "r")
    schedule()                       # r blocks
    tasklet(other)("o")
    ch.send(1)                       # main sends to a waiting receiver
    log.append("main after send")
    run()
    print("pref", pref, "send:", log)
    log.clear()
    tasklet(send)(ch, "s", 2)
    schedule()                       # s blocks
    tasklet(other)("o")
    log.append("main got " + str(ch.receive()))
    run()
    print("pref", pref, "receive:", log)

print("schedule() returns the current tasklet:", schedule() is getcurrent())
print("schedule(42):", schedule(42))
print("main:", getmain() is getcurrent(), getcurrent().is_main, getruncount())
t = tasklet(other)
print("bound:", t.alive, t.scheduled)
t("t")
print("set up:", t.alive, t.scheduled, getruncount())
run()
print("ran:", t.alive, t.scheduled, log[-1])
try:
    t.throw(ValueError("late"))
except RuntimeError as e:
    print("throw to dead:", e)
print("kill dead:", t.kill())

ch = channel()
w = tasklet(recv)(ch, "w")
schedule()
w.throw(KeyError("pending"), pending=True)
print("pending throw: balance", ch.balance, "blocked", w.blocked, "runcount", getruncount())
try:
    run()
except KeyError as e:
    print("main got", repr(e))

# send_exception / send_throw / iteration
def reader(ch):
    try:
        ch.receive()
    except ValueError as e:
        print("reader got", repr(e))
    for v in ch:
        print("iterated", v)


ch = channel()
tasklet(reader)(ch)
schedule()
ch.send_exception(ValueError, "a", 1)
ch.send(1)
ch.send(2)
ch.close()
run()
print("closed:", ch.closed, ch.balance)

# schedule_remove and insert
def sleeper():
    log.append("sleeper parks")
    schedule_remove()
    log.append("sleeper resumed")


from rpy.tasklets import schedule_remove
log.clear()
sl = tasklet(sleeper)()
run()
print(log, sl.alive, sl.paused, sl.scheduled)
sl.insert()
run()
print(log, sl.alive)
try:
    schedule_remove()
except DeadlockError as e:
    print("main cannot remove itself:", e)
