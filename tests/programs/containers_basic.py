# Lists, dicts and tuples: aliasing, growth, printing, iteration.


def squares(n):
    out = []
    for i in range(n):
        out.append(i * i)
    return out


def histogram(words):
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    return counts


a = squares(10)
b = a
b.append(100)
print(a, len(a), a[-1], a[2:5], a[::3], a[::-4])
print(sum(a), min(a), max(a), sorted([5, 3, 9, 1]), 9 in a, 10 in a)
c = a + [1, 2]
c.pop()
c.insert(0, -1)
print(c, c.index(4), c.count(1))
h = histogram("the cat and the hat and the bat".split())
print(h, len(h), h["the"], "cat" in h, "dog" in h)
for k, v in h.items():
    print(k, "->", v)
print(list(h.keys()), list(h.values()))
pairs = [(1, "one"), (2, "two"), (3, "three")]
for n, name in pairs:
    print(n, name, name.upper())
grid = [[0] * 3 for _ in range(3)]
grid[1][2] = 7
print(grid, [row[2] for row in grid])
t = (1, 2.5, "x", None, True)
print(t, t[0], t[-1], len(t))
words = ["pear", "apple", "fig"]
words.sort()
print(words, ",".join(words), [len(w) for w in words])
print([x for x in range(20) if x % 3 == 0], {w: len(w) for w in words})
