def f(a, b=2, *rest):
    x = [i ** 2 for i in range(a) if i % 2]
    y = {"k": (1, 2.5, 'z')}
    return f"{a!r:>4} {b}" if x else -a
