def describe(n):
    label = n * 2
    if n > 10:
        label = "big"
    return label


print(describe(3))
