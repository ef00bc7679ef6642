def largest(values):
    best = None
    for v in values:
        if best is None or v > best:
            best = v
    return best


print(largest([3, 9, 4]))
