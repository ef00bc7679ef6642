# Lists: slice assignment (plain and extended, growing and shrinking,
# from any iterable, from the list itself), del of items and slices with
# steps, index() with bounds, += of iterables, and the errors with
# CPython's messages.


def show(label, xs):
    print(label, xs, len(xs))


a = list(range(10))
a[2:5] = [20, 30, 40, 50]
show("grow", a)
a[1:8] = [7]
show("shrink", a)
a[5:2] = [1, 2]
show("empty slice", a)
a[::2] = range(100, 100 + len(a[::2]))
show("step 2", a)
a[::-3] = [0] * len(a[::-3])
show("step -3", a)
a[-2:] = (8, 9, 10)
show("tuple", a)
a[:] = a
show("self", a)
a[len(a):] = a[:2]
show("append self part", a)
a[:0] = a[-1:]
show("prepend", a)

w = list("hello")
w[1:3] = "EY"
show("str", w)
w[0:0] = {"q": 1}
show("dict keys", w)

b = list(range(12))
del b[-1]
del b[0]
show("del items", b)
del b[2:5]
show("del slice", b)
del b[::3]
show("del step 3", b)
del b[::-2]
show("del step -2", b)
del b[5:1]
show("del empty", b)
del b[:]
show("del all", b)

c = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]
print(c.index(5), c.index(5, 5), c.index(5, -3), c.index(1, 2, 4), c.index(3, -2, 100), c.count(5))
c += (7, 7)
c += range(2)
c += []
c += {11: "x"}
show("+=", c)
words = ["a"]
words += "bcd"
show("+= str", words)

for fn in range(6):
    try:
        d = [1, 2, 3, 4, 5, 6]
        if fn == 0:
            d[::2] = [1, 2]
        elif fn == 1:
            d[::-1] = []
        elif fn == 2:
            del d[6]
        elif fn == 3:
            d[1:2:0] = [1]
        elif fn == 4:
            print(d.index(9, 0, 3))
        else:
            print(d.index(1, 1))
        print("no error", d)
    except ValueError as e:
        print("ValueError", e)
    except IndexError as e:
        print("IndexError", e)

grid = [[0] * 3 for _ in range(3)]
grid[1][0:2] = [5, 6]
del grid[2][1:]
print(grid)
names = ["eve", "bob", "amy", "dan"]
names[1:3] = sorted(names[1:3], reverse=True)
del names[-1:]
print(names, names == ["eve", "bob", "amy"], names < ["eve", "bz"], [1, 2] * 2 + [3])
