# Errors from instances in the generic operations, caught: CPython's
# TypeError for ordering without __lt__ (sort, sorted, min, max) and for
# a dict key with __eq__ but no __hash__; an exception raised by __eq__,
# __hash__ or __lt__ stops the search, lookup, insertion or sort and
# reaches the handler unchanged. Truth from __len__ and __bool__.


class Plain:
    def __init__(self, n):
        self.n = n


class OnlyEq:
    def __init__(self, n):
        self.n = n

    def __eq__(self, other):
        return self.n == other.n


class Fussy:
    def __init__(self, n):
        self.n = n

    def __eq__(self, other):
        if self.n < 0 or other.n < 0:
            raise ValueError("cannot compare " + str(self.n) + " with " + str(other.n))
        return self.n == other.n

    def __hash__(self):
        if self.n == 13:
            raise KeyError("unlucky")
        return self.n % 4

    def __lt__(self, other):
        if self.n == other.n:
            raise RuntimeError("tie at " + str(self.n))
        return self.n < other.n


class Box:
    def __init__(self, items):
        self.items = items

    def __len__(self):
        return len(self.items)


class Flag:
    def __init__(self, on):
        self.on = on

    def __bool__(self):
        return self.on


def main():
    ps = [Plain(2), Plain(1)]
    try:
        ps.sort()
    except TypeError as e:
        print("sort:", e)
    try:
        print(sorted(ps))
    except TypeError as e:
        print("sorted:", e)
    try:
        print(min(ps).n)
    except TypeError as e:
        print("min:", e)
    try:
        print(max(ps).n)
    except TypeError as e:
        print("max:", e)
    d = {}
    try:
        d[OnlyEq(1)] = 1
    except TypeError as e:
        print("dict:", e)
    print(len(d), OnlyEq(3) == OnlyEq(3), OnlyEq(3) != OnlyEq(4))
    fs = [Fussy(1), Fussy(2), Fussy(-1), Fussy(3)]
    print(fs.index(Fussy(2)))
    try:
        print(fs.index(Fussy(3)))
    except ValueError as e:
        print("index:", e)
    try:
        fs.remove(Fussy(9))
    except ValueError as e:
        print("remove:", e)
    print(len(fs))
    table = {}
    for i in range(8):
        table[Fussy(i)] = i
    try:
        table[Fussy(-5)] = 0
    except ValueError as e:
        print("setitem:", e)
    try:
        print(table[Fussy(13)])
    except KeyError as e:
        print("getitem:", e)
    print(len(table), table[Fussy(5)], Fussy(6) in table)
    try:
        print(sorted([Fussy(3), Fussy(1), Fussy(3)]))
    except RuntimeError as e:
        print("sort:", e)
    boxes = [Box([]), Box([1, 2]), Box([3])]
    for b in boxes:
        if b:
            print("full", len(b))
        else:
            print("empty")
    flags = [Flag(True), Flag(False)]
    for f in flags:
        print("on" if f else "off")


main()
