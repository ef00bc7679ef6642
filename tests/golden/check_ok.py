# A correct program: rpy check prints nothing and exits 0.
def mean(values):
    total = 0
    for v in values:
        total += v
    return total / len(values)


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


p = Point(1, 2)
print(mean([1, 2, 3]), p.x + p.y, f"{p.x:>4}")
