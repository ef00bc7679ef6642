# Locals that some path leaves unset: CPython raises UnboundLocalError
# where such a local is read on that path (and only there).
def last_of(xs):
    for x in xs:
        last = x
    return last


def loop(n):
    total = 0
    for i in range(n):
        if i > 0:
            total += prev * i
        prev = i
    return total


def branches(k):
    if k == 1:
        a = "one"
    elif k == 2:
        a = "two"
    try:
        return a.upper()
    except UnboundLocalError as e:
        return "caught: " + str(e)


def in_while(n):
    while n > 0:
        found = n
        n -= 2
    print("found", found)
    return found


def gen(n):
    for i in range(n):
        if i % 2 == 0:
            even = i
        yield even


def with_finally(flag):
    try:
        if flag:
            value = 42
    finally:
        print("finally runs")
    return value


print(last_of([1, 2, 3]), loop(5), branches(1), branches(2), branches(3))
print(in_while(5))
try:
    print(last_of([]))
except UnboundLocalError as e:
    print("error:", e)
try:
    in_while(0)
except NameError as e:
    print("NameError catches it:", e)
print(list(gen(1)))
try:
    print(list(gen(3)))
except UnboundLocalError as e:
    print("generator:", e)
print(with_finally(True))
print(with_finally(False))
