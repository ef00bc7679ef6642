# yield from as a statement: delegating to iterables and to generators,
# recursively.
def chain():
    yield from range(3)
    yield from [10, 20]
def tree(n):
    if n > 0:
        yield from tree(n - 1)
        yield n
        yield from tree(n - 1)
print(list(chain()), list(tree(3)), sum(tree(4)))
