# switch() argument packing, dead/self switches, throw() variants,
# attribute errors. Expected output verified with the real greenlet 2.0.2.
from rpy.greenlet import greenlet, getcurrent, GreenletExit, error

main = getcurrent()


def show(v):
    print(type(v).__name__, repr(v))


def f(*a, **k):
    print("f", a, k)
    for _ in range(4):
        r = main.switch()
        print("got", repr(r))
    return (1,)


g = greenlet(f)
show(g.switch(1, 2, x=3))
show(g.switch())
show(g.switch(1, 2))
show(g.switch(x=1))
show(g.switch(1, x=1))
print("dead", g.dead, bool(g))
print("dead switch", repr(g.switch(5)), repr(g.switch(5, 6)), repr(g.switch()))
print("self switch", repr(main.switch(9)), repr(main.switch()), repr(main.switch(a=1)))

g2 = greenlet(f)
r = g2.throw()
print("unstarted throw:", type(r).__name__, repr(r), g2.dead)
g3 = greenlet(f)
try:
    g3.throw(ValueError("v"))
except ValueError as e:
    print("unstarted throw ValueError:", repr(e), g3.dead)
g4 = greenlet(f)
try:
    g4.throw(ValueError, "v2")
except ValueError as e:
    print("class and value:", repr(e), g4.dead)
g4b = greenlet(f)
try:
    g4b.throw(KeyError, ("a", "b"))
except KeyError as e:
    print("class and tuple:", repr(e))
r = g.throw()
print("dead throw GreenletExit:", type(r).__name__, repr(r))
try:
    g.throw(KeyError("k"))
except KeyError as e:
    print("dead throw KeyError:", repr(e))


def h():
    try:
        main.switch("h suspended")
    except GreenletExit as e:
        print("h caught", repr(e), e.args)
        raise


g5 = greenlet(h)
print(g5.switch())
r = g5.throw(GreenletExit)
print("returned", type(r).__name__, repr(r), g5.dead)
g6 = greenlet(h)
g6.switch()
r = g6.throw(GreenletExit("a", "b"))
print("returned", repr(r), r.args)


class MyExit(GreenletExit):
    pass


def h2():
    main.switch()
    return "never"


g7 = greenlet(h2)
g7.switch()
r = g7.throw(MyExit)
print("subclass of GreenletExit:", type(r).__name__, g7.dead)

print(greenlet(f).dead, bool(greenlet(f)), main.dead, bool(main), main.parent)
for action in ["g7.parent = None", "main.parent = g7", "g8.parent = g8",
               "delattr(g8, 'parent')", "main.run = h2", "greenlet(h2, parent=5)", "g8.throw(5)",
               "g8.throw(ValueError('x'), 5)", "greenlet().switch()",
               "greenlet().throw()", "g7.run", "g7.run = h2",
               "greenlet(h2).run is h2", "getcurrent().run"]:
    g8 = greenlet(h2)
    try:
        print(action, "->", eval(action) if "=" not in action.replace("==", "")
              or action.startswith("greenlet(") else exec(action))
    except Exception as e:
        print(action, "->", type(e).__name__, e)
print(g8.dead)

# parent chains: a dead greenlet's switch goes up to the first live parent
outer = greenlet(lambda: main.switch("outer waits") or "outer done")
print(outer.switch())
child = greenlet(lambda: "child result", parent=outer)
print(child.switch(), child.dead, outer.dead)
# a greenlet whose parent has not started starts the parent with its result
late = greenlet(lambda x: ("late got", x))
first = greenlet(lambda: "from first", parent=late)
late.parent = main
print(first.switch(), first.dead, late.dead)
# reparenting
a = greenlet(lambda: main.switch("a1") or "a end")
b = greenlet(lambda: "b end", parent=a)
print(a.switch())
b.parent = main
print(b.switch(), a.dead)
print(a.switch(), a.dead)
