# Several independent type errors, all reported in one run.
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


names = ["ann", "bob"]
names.append(3)
p = Point(1, 2)
print(names, p.z)
print(Point(1))
