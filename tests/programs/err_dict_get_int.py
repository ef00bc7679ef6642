# expect-error: 6: may be None
# d.get(k) of a dict of ints may be None: using it in arithmetic is
# rejected (printing it or testing it against None is not).

d = {"a": 1}
total = d.get("a") + 1
print(total)
