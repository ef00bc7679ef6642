def word_lengths(text):
    lengths = {}
    for w in text.split():
        lengths[w] = len(w)
    return lengths


def pairs(n):
    return [(i, i * 0.5) for i in range(n)]


d = word_lengths("a bb ccc bb")
print(d, sorted(d.keys()), d.get("zz", -1))
print(pairs(3), pairs(2)[1][1])
