# Ops that never produce a value still run and raise: [].pop(), {}[k], loops over empty containers, inside try.
x = []
try:
    x.pop()
except IndexError as e:
    print("caught", e)
d = {}
try:
    print(d["k"])
except KeyError as e:
    print("key", e)
def f(xs):
    for v in xs:
        print(v)
    return len(xs)
print(f([]))
y = []
print(y.pop())
