# Calls through function values with keywords and left-out defaults: the
# annotator completes them when the functions share their parameters.
def counter():
    n = 0
    def inc(k=1):
        nonlocal n
        n += k
        return n
    return inc


c = counter()
print(c(), c(5), c(), c(k=10))


def greet(name, greeting="hello", punct="!"):
    return greeting + ", " + name + punct


def shout(name, greeting="hello", punct="!"):
    return (greeting + ", " + name + punct).upper()


fs = [greet, shout]
for f in fs:
    print(f("bob"), f("ann", "hi"), f("cy", punct="?"), f(greeting="yo", name="dee"))
handlers = {"a": lambda x, scale=2: x * scale, "b": lambda x, scale=2: x + scale}
print(handlers["a"](5), handlers["b"](5), handlers["a"](5, scale=10))
