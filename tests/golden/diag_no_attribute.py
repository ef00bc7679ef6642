# An attribute that no code assigns.
class Circle:
    def __init__(self, radius):
        self.radius = radius

    def area(self):
        return 3.14159 * self.radius * self.radius


c = Circle(2.0)
print(c.area(), c.diameter)
