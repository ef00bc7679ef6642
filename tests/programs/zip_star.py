# zip(*rows): transposing, with tuples of any length.
m = [[1, 2, 3], [4, 5, 6]]
print(list(zip(*m)), [list(c) for c in zip(*m)])
for col in zip(*m):
    print(sum(col), max(col), len(col))
print(list(zip(*["ab", "cd", "ef"])), list(zip(*[[1], [2, 3]])))
empty = [[0]]
empty.clear()
print(list(zip(*empty)))
t = list(zip(*m))
print(t[0] + t[1], t[0] == t[0], sorted(t, reverse=True))
