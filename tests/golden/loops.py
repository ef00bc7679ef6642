def total(values):
    s = 0
    for v in values:
        if v < 0:
            continue
        s += v
    return s


def first_square_above(limit):
    i = 0
    while True:
        i += 1
        if i * i > limit:
            break
    else:
        return -1
    return i


print(total([3, -1, 4]), first_square_above(50))
for k in range(3):
    print(k, end=" ")
print()
