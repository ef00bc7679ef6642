# Instances with __eq__ and __hash__ as dict keys and set items, found by
# value: equal but distinct objects replace values, colliding hashes fall
# back to __eq__, list search (index, count, remove, in) and container ==
# call __eq__, != falls back to not __eq__ or uses __ne__. Thousands of
# young keys survive collections (run also under RPY_GC_STRESS=1).


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __eq__(self, other):
        return self.x == other.x and self.y == other.y

    def __hash__(self):
        return self.x  # points with equal x collide: __eq__ decides

    def __repr__(self):
        return "P(" + str(self.x) + ", " + str(self.y) + ")"


class Tag:
    def __init__(self, name):
        self.name = name

    def __eq__(self, other):
        return self.name.lower() == other.name.lower()

    def __ne__(self, other):
        return self.name.lower() != other.name.lower()

    def __hash__(self):
        return hash(self.name.lower())


def grid(n):
    d = {}
    for i in range(n):
        for j in range(n):
            d[Point(i, j)] = i * n + j
    return d


def main():
    d = grid(30)
    for i in range(30):
        d[Point(i, i)] = -i  # replaces: equal key, another object
    print(len(d), d[Point(3, 4)], d[Point(7, 7)], Point(30, 0) in d, d.get(Point(1, 99), -1))
    print(d.pop(Point(2, 2)), len(d), Point(2, 2) in d)
    d2 = {}
    for k in d:
        d2[Point(k.x, k.y)] = d[k]
    print(d2 == d, len(d2))
    d2[Point(0, 0)] = 5
    print(d2 == d)
    s = {Point(1, 2), Point(1, 2), Point(2, 1), Point(1, 3)}
    t = {Point(1, 3), Point(9, 9)}
    print(len(s), Point(2, 1) in s, Point(5, 5) in s, sorted([p.y for p in s]))
    print(len(s.union(t)), len(s.intersection(t)), len(s.difference(t)), s.intersection(t))
    ps = [Point(i % 4, i % 3) for i in range(24)]
    print(ps.index(Point(2, 2)), ps.count(Point(1, 1)), Point(3, 0) in ps, Point(7, 7) in ps)
    ps.remove(Point(0, 0))
    print(len(ps), ps.count(Point(0, 0)), ps[:3])
    print([Point(1, 2), Point(3, 4)] == [Point(1, 2), Point(3, 4)], (Point(1, 1), 2) == (Point(1, 1), 3))
    print(Point(1, 2) == Point(1, 2), Point(1, 2) != Point(1, 2), Point(1, 2) != Point(2, 1))
    tags = {}
    for word in ["Red", "green", "RED", "Blue", "GREEN", "red"]:
        t = Tag(word)
        tags[t] = tags.get(t, 0) + 1
    print(len(tags), tags[Tag("red")], tags[Tag("Green")], Tag("A") != Tag("a"), Tag("A") != Tag("b"))
    counts = {}
    for i in range(200000):  # 8 MB of short-lived keys: collections on the way
        p = Point(i % 7, i % 11)
        counts[p] = counts.get(p, 0) + 1
    print(len(counts), counts[Point(3, 5)], counts[Point(6, 10)])


main()
