# del of a variable (del of items and attributes is supported).
def process(items):
    total = sum(items)
    del items
    return total


print(process([1, 2, 3]))
