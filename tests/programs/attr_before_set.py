# An instance attribute read before anything set it raises AttributeError,
# as CPython; attributes set at the top level of __init__ (also through
# super().__init__) need no check.
class Base:
    def __init__(self, name):
        self.name = name


class Node(Base):
    def __init__(self, name):
        super().__init__(name)
        if name.startswith("x"):
            self.extra = 1

    def link(self, other):
        self.next = other


a = Node("a")
b = Node("xb")
print(a.name, b.name, b.extra)
try:
    print(a.extra)
except AttributeError as e:
    print("AttributeError:", e)
try:
    print(a.next.name)
except AttributeError as e:
    print("AttributeError:", e)
a.link(b)
print(a.next.name)
