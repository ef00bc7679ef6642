def f(xs):
    return sum(10 // x for x in xs)
def g(xs):
    return {x: 10 // x for x in xs}
print(f([1, 2]), g([5]))
try:
    g([0])
except ZeroDivisionError as e:
    print("caught", e)
f([1, 0])
