def pick(a, b):
    return a or b


def both(x, y):
    return 0 < x < 10 and y != 0


print(pick("", "fallback"), pick("first", "x"), both(5, 1), both(11, 1), not both(1, 0))
