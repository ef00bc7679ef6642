def bad(n):
    if n == 1:
        raise ValueError("x")
    return n
try:
    bad(1)
except ValueError:
    pass
print(bad(0))
def outer():
    try:
        bad(1)
    except ValueError as e:
        raise e
outer()
