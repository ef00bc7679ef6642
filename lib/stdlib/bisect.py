# bisect: binary search in sorted lists, written in RPy for the compiler
# (the standard module of the same name, same results). Each function is
# specialised per element type by the compiler.


def bisect_left(a, x):
    lo = 0
    hi = len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def bisect_right(a, x):
    lo = 0
    hi = len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if x < a[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


def bisect(a, x):
    return bisect_right(a, x)


def insort_left(a, x):
    a.insert(bisect_left(a, x), x)


def insort_right(a, x):
    a.insert(bisect_right(a, x), x)


def insort(a, x):
    insort_right(a, x)
