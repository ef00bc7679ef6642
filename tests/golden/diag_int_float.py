# Overriding methods whose results are an int in one class and a float in
# another: CPython prints 9 and 3.14159, so RPy keeps the two apart and
# says how to make them one type.
class Shape:
    def area(self):
        return 0


class Square(Shape):
    def __init__(self, s):
        self.s = s

    def area(self):
        return self.s * self.s


class Circle(Shape):
    def __init__(self, r):
        self.r = r

    def area(self):
        return 3.14159 * self.r * self.r


for shape in [Square(3), Circle(1.0)]:
    print(shape.area())
