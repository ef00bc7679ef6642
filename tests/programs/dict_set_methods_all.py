# Dict and set methods with every argument form: get (also of a dict of
# ints with no default, printed or tested against None), pop, setdefault,
# update from a dict, a list of pairs and keywords, popitem, del; set
# operators and their in-place forms on aliases, the methods with any
# iterable and several arguments, comparisons, and the errors.

d = {"a": 1, "b": 2}
print(d.get("a"), d.get("z"), d.get("z", None) is None, d.get("a") is None, d.get("b") is not None)
print(str(d.get("q")), repr(d.get("a")), f"{d.get('a')}|{d.get('zz')}|{d.get('b'):>4}|")
print(d.get("a") == None, d.get("nope") != None, d.get("a", 7), d.get("x", -1))
fl = {0.5: 1.5}
flags = {"on": True}
print(fl.get(0.5), fl.get(2.0), flags.get("on"), flags.get("off"), repr(flags.get("off")))
names = {"k": "v"}
print(names.get("k"), names.get("x"), names.get("x") is None)

d.update({"c": 3, "a": 10})
d.update([("d", 4), ("b", 20)])
d.update(e=5, a=100)
print(d, d.setdefault("f", 6), d.setdefault("a", 0), d.pop("c"), d.pop("zz", -9))
print(d.popitem(), d.popitem(), d, len(d))
del d["a"]
print(d, "a" in d, "b" in d, d == {"b": 20, "d": 4}, d != {"b": 20})
opt = {"x": [1]}
opt.setdefault("y")
print(opt, opt.get("y") is None)
counts = {}
for ch in "mississippi":
    counts[ch] = counts.get(ch, 0) + 1
print(sorted(counts.items()), list(counts.keys()), list(counts.values()), "s" in counts.keys(), len(counts.items()))
e = counts.copy()
e.clear()
print(e, counts == e, len(counts))
try:
    del counts["z"]
except KeyError as err:
    print("KeyError", err)
try:
    print({}.popitem())
except KeyError as err:
    print("KeyError", err)
try:
    for k in counts:
        counts[k + k] = 1
except RuntimeError as err:
    print("RuntimeError", err)

a = {1, 2, 3, 4}
b = {3, 4, 5}
alias = a
a |= b
print(sorted(alias), alias is a)
a &= {1, 3, 5, 7}
print(sorted(alias))
a -= {5}
print(sorted(alias))
a ^= {3, 8}
print(sorted(alias))
a ^= a
print(sorted(alias), len(a))
s = {1, 2, 3}
print(sorted(s.union([4], (5,), range(6, 8))), sorted(s.intersection([2, 3, 9], {3, 2})), sorted(s.difference([])),
      sorted(s.difference([1], [2])), sorted(s.symmetric_difference([3, 4])), sorted(s.union()))
t = {"x", "y"}
t.update("yz", ["w"])
print(sorted(t))
t.intersection_update("xyzq")
print(sorted(t))
t.difference_update(["x"], {"q"})
print(sorted(t))
t.symmetric_difference_update({"z", "n"})
print(sorted(t))
print(s.issubset([1, 2, 3, 4]), s.issuperset((1,)), s.isdisjoint([9]), s.isdisjoint({3}), s <= {1, 2, 3})
print(s < {1, 2, 3}, s > {1}, s >= s, s == {3, 2, 1}, s != {1}, {1} < s, {1, 9} < s)
c = s.copy()
c.add(10)
c.discard(1)
c.discard(99)
print(sorted(c), sorted(s), c.pop() in {2, 3, 10}, len(c))
try:
    c.remove(42)
except KeyError as err:
    print("KeyError", err)
try:
    one = {1}
    one.pop()
    one.pop()
except KeyError as err:
    print("KeyError", err)


def bump(scores, name):
    old = scores.get(name)
    if old is None:
        scores[name] = 1
        return 0
    scores[name] = old + 1
    return old


scores = {"ann": 3}
print(bump(scores, "ann"), bump(scores, "bob"), bump(scores, "bob"), scores)


def total(ratios, keys):
    r = 0.0
    for key in keys:
        got = ratios.get(key)
        if got is not None:
            r += got
    return r


print(total({"x": 0.5}, ["x", "y", "x"]))
