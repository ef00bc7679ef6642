# enumerate() with start=, positional or keyword, over str, list and generators.
for i, c in enumerate("abc", start=1):
    print(i, c)
print(list(enumerate([5, 6], 10)), list(enumerate("xy", start=5)))
def g():
    yield "p"
    yield "q"
print(list(enumerate(g(), start=100)))
