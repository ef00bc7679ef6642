# Iterators of built-in iterables given to list(), sum(), sorted(), min(),
# set(), any(): consumed from where they are.
it = iter([1, 2, 3])
print(next(it))
for x in it:
    print(x)
print(sum(iter([4, 5])), sorted(iter([3, 1])), [y for y in iter("ab")])
it2 = iter([5, 1, 4])
next(it2)
print(min(iter([3, 2])), set(iter("aab")) == {"a", "b"}, any(iter([0, 1])), list(it2), tuple(iter([1, 2])))
