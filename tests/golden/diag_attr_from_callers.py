# Two call sites give the attribute name a str and an int.
class Shape:
    def __init__(self, name):
        self.name = name


def describe(shape):
    return "shape " + str(shape.name)


print(describe(Shape("square")))
print(describe(Shape(4)))
