def bad(n):
    if n == 1:
        raise ValueError("x")
    return n
print(bad(0))
bad(1)
