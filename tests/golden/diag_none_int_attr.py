# An attribute set to None in __init__ and to an int later.
class Node:
    def __init__(self, value):
        self.value = value
        self.depth = None

    def set_depth(self, d):
        self.depth = d


n = Node("root")
n.set_depth(3)
print(n.value, n.depth)
