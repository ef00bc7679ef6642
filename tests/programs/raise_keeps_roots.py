# A handler reads a young object after a raise: raising must not move it
# (checked under RPY_GC_STRESS=1, which collects at every allocation).

def f(lst, i):
    s = "abc" + str(i)
    try:
        x = lst[i]
        return s + str(x)
    except IndexError:
        return s + "!"


def g(a, b):
    s = "q" + str(a)
    try:
        return s + str(a // b)
    except ZeroDivisionError:
        return s + "?"


print(f([1, 2], 1), f([1, 2], 5), g(7, 2), g(7, 0))
