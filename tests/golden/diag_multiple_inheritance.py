# A class with two base classes; the second one's methods are not found.
class Walker:
    def walk(self):
        return "walking"


class Swimmer:
    def swim(self):
        return "swimming"


class Duck(Walker, Swimmer):
    pass


d = Duck()
print(d.walk(), d.swim())
