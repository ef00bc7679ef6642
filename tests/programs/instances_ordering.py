# Ordering of instances: sorted() by __lt__ (stable), reverse=True,
# reflected __gt__, min/max, comparisons of tuples and lists of instances.


class Card:
    def __init__(self, rank, tag):
        self.rank = rank
        self.tag = tag

    def __lt__(self, other):
        return self.rank < other.rank

    def __repr__(self):
        return "Card(" + str(self.rank) + ", " + self.tag + ")"


class Version:
    def __init__(self, major, minor):
        self.major = major
        self.minor = minor

    def __gt__(self, other):
        if self.major != other.major:
            return self.major > other.major
        return self.minor > other.minor

    def __eq__(self, other):
        return self.major == other.major and self.minor == other.minor

    def __hash__(self):
        return self.major * 100 + self.minor

    def __repr__(self):
        return str(self.major) + "." + str(self.minor)


def cards():
    out = []
    tags = "abcdefghijklmnopqrstuvwxyz"
    for i in range(26):
        out.append(Card((i * 7) % 5, tags[i]))
    return out


def main():
    cs = cards()
    print(sorted(cs))
    print(sorted(cs, reverse=True))
    cs.sort()
    print(cs[0], cs[-1], min(cs), max(cs))
    vs = [Version(1, 2), Version(0, 9), Version(1, 10), Version(1, 2), Version(2, 0)]
    print(sorted(vs))
    print(min(vs), max(vs), Version(1, 2) < Version(1, 3), Version(3, 0) > Version(2, 9))
    print(vs.index(Version(1, 10)), vs.count(Version(1, 2)), Version(2, 0) in vs, Version(5, 5) in vs)
    vs.remove(Version(1, 2))
    print(vs)
    pairs = [(Version(1, 0), 2), (Version(0, 5), 1), (Version(1, 0), 1)]
    print(sorted(pairs))
    print((Version(1, 0), 1) == (Version(1, 0), 1), [Version(1, 0)] == [Version(1, 0)], [Version(1, 0)] < [Version(1, 1)])
    seen = {}
    for v in vs:
        seen[v] = seen.get(v, 0) + 1
    seen[Version(1, 10)] = 9
    print(len(seen), seen[Version(1, 10)], seen[Version(2, 0)])
    tally = {}
    for i in range(30):
        key = (Version(i % 3, 0), i % 2)
        tally[key] = tally.get(key, 0) + i
    print(len(tally), tally[(Version(2, 0), 1)])
    s = {Version(1, 1), Version(1, 1), Version(2, 2)}
    print(len(s), Version(2, 2) in s, Version(3, 3) in s)


main()
