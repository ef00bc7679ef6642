# A dict keyed by strs, then by an int.
def tally(words):
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    counts[0] = len(words)
    return counts


print(tally(["a", "b", "a"]))
