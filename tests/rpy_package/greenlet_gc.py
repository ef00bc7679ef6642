# A suspended greenlet that loses its last reference is killed with
# GreenletExit (its finally blocks run, in the greenlet, at once); a
# greenlet that refers to itself is not collected; nothing is killed at
# exit. Expected output verified with the real greenlet 2.0.2.
import io
import re
import sys
from rpy.greenlet import greenlet, getcurrent, GreenletExit

main = getcurrent()


def f(name):
    try:
        main.switch(1)
    except GreenletExit as e:
        print("  ", name, "got", repr(e))
        raise
    finally:
        print("  finally", name, "current is main:", getcurrent() is main)


g = greenlet(f)
g.switch("a")
print("dropping a")
g = None
print("after dropping a")

greenlet(f).switch("temporary")
print("after a temporary")


def selfref(name):
    me = getcurrent()
    try:
        main.switch(1)
    finally:
        print("finally", name, "(never printed)")


g = greenlet(selfref)
g.switch("cyclic")
g = None
import gc
gc.collect()
print("after dropping cyclic")


def stubborn(name):
    try:
        main.switch(1)
    except GreenletExit:
        print("  stubborn caught GreenletExit, switches back")
        main.switch(2)
    print("never")


def bad():
    try:
        main.switch()
    finally:
        raise KeyError("in finally")


saved = sys.stderr
sys.stderr = io.StringIO()
g = greenlet(stubborn)
g.switch("s")
g = None
b = greenlet(bad)
b.switch()
b = None
err = sys.stderr.getvalue()
sys.stderr = saved
err = re.sub(r"0x[0-9a-f]+", "0x?", err)
err = re.sub(r"<[a-z.]*greenlet\.greenlet object", "<greenlet object", err)
err = re.sub(r'File ".*/', 'File "', err)
print(err, end="")


def at_exit(name):
    try:
        main.switch()
    finally:
        print("finally at exit (never printed)", name)


kept = greenlet(at_exit)
kept.switch("kept")
print("end of program")
