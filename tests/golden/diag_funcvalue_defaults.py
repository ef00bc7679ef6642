# Functions that meet in one value but differ in a default, and a keyword
# that none of them has: both calls are named.
def a(x, y=1):
    return x + y


def b(x, y=2):
    return x * y


fs = [a, b]
print(fs[0](3), fs[1](3, z=4))
