# A class attribute that an instance attribute of the same name shadows
# once assigned: before that, the instance reads the class's value.
class C:
    b = 7
    def __init__(self):
        self.a = 1
    def setb(self):
        self.b = 2
c = C()
print(c.b)
c.setb()
print(c.b, C.b, C().b)
