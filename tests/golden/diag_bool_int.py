# A counter that is assigned a bool: bools and ints do not mix.
def count_flags(flags):
    n = 0
    for f in flags:
        if f:
            n = True
        else:
            n = n + 1
    return n


print(count_flags([True, False]))
