# itertools (written in RPy on generators), tuple(), tuples of any length.
import itertools
from itertools import count, islice, chain, permutations, combinations, product
print(list(islice(count(), 5)), list(islice(count(10, 5), 2, 8, 2)))
print(list(chain([1, 2], [3], [])), list(chain("ab", "cd")))
print(list(permutations([1, 2, 3])), len(list(permutations(range(5), 2))))
print(list(combinations("abcd", 2)), list(combinations(range(4), 3)))
print(list(product([0, 1], repeat=2)), list(product("ab", "xy")))
c = count(1)
print(next(c), next(c))
for i, p in enumerate(itertools.permutations("xyz", 2)):
    print(i, p, "".join(p))
s = set(combinations([3, 1, 2], 2))
print(sorted(s), (1, 2) in s)
print(sum(1 for _ in product(range(3), repeat=3)))
t = tuple([1, 2, 3])
print(t, len(t), t[0])
d = {t: 1}
print(d)
print(tuple("ab"), tuple(x for x in range(3)))
