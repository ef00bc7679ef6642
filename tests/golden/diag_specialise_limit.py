# Each recursive call nests the list once more: a new argument type, and
# a new specialised copy, every time.
def wrap(x, depth):
    if depth == 0:
        return 0
    return wrap([x], depth - 1)


print(wrap(1, 30))
