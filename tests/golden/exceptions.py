# The exception transform: checks after raising ops, handlers matched by
# class (tid ranges), a raise, finally on both paths.
class Empty(Exception):
    pass


def first(items):
    if len(items) == 0:
        raise Empty("no items")
    return items[0]


def safe_first(items):
    try:
        return first(items)
    except Empty:
        return -1
    finally:
        print("checked")


print(safe_first([3, 4]), safe_first([]))
