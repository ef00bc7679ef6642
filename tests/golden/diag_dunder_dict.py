# An object's __dict__: its attributes as a dict.
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


p = Point(1, 2)
for name in p.__dict__:
    print(name)
