# Functions as values: dict dispatch, higher-order, lists of functions, bound methods.
def add(a, b):
    return a + b
def sub(a, b):
    return a - b
OPS = {"+": add, "-": sub}
print(OPS["+"](2, 3), OPS["-"](2, 3))
def apply_twice(f, x):
    return f(f(x))
def inc(x):
    return x + 1
def double(x):
    return x * 2
print(apply_twice(inc, 5), apply_twice(double, 5))
pipeline = [inc, double, inc]
v = 1
for f in pipeline:
    v = f(v)
print(v)
chosen = inc if v > 100 else double
print(chosen(7))
class G:
    def __init__(self, w):
        self.w = w
    def greet(self, n):
        return self.w + " " + n
h = G("hello")
say = h.greet
print(say("ann"))
say = G("bonjour").greet
print(say("bob"), [g("x") for g in [h.greet, say]])
