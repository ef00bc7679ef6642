# print(*iterable) with sep= and end=, after positional arguments, of
# lists, tuples, strings, ranges, sets (sorted) and dicts, of instances
# with __str__, and of an empty iterable.


class P:
    def __init__(self, n):
        self.n = n

    def __str__(self):
        return "P" + str(self.n)


print(*[1, 2, 3])
print(*["p", "q"], sep="-")
print("head", *(1.5, 2.5), sep=", ", end="!\n")
print(*"abc", sep="")
print(*range(4), end=" |\n")
print("only", *[])
print(*[], sep="x")
print(*sorted({3, 1, 2}), sep=":")
print(*{"k": 1, "j": 2})
print(*[P(1), P(2)], sep=" & ")
rows = [["a", "b"], ["c", "d"]]
for r in rows:
    print(*r, sep="")
print(*[[1], [2, 3]], sep=None)
print(*["x", None, "y"])
