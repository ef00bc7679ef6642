# A counter kept in a class attribute: class attributes are constants in
# RPy, so assigning one through the class names it and says what to use.
class Shape:
    count = 0

    def __init__(self, name):
        self.name = name
        Shape.count += 1


s = Shape("square")
print(s.name, Shape.count)
