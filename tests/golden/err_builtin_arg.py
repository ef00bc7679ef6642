# A built-in function passed where an int is expected, inside the callee's
# own recursive call (found by the fuzzer: the conflict was once dropped).
def ackermann(m, n):
    if m == 0:
        return n + 1
    return ackermann(m - 1, ackermann(print, n - 1))


print(ackermann(2, 3))
