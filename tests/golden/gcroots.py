# The GC-roots transform: pointers live across a call that can collect are
# pushed on the shadow stack and reloaded; a store into an object that may
# be old gets a write barrier, one into a fresh object does not.
class Pair:
    def __init__(self, a, b):
        self.a = a
        self.b = b


def build(n):
    names = []
    last = Pair("x", "y")
    for i in range(n):
        p = Pair(str(i), last.a)
        names.append(p.a)
        last.b = p.a
        last = p
    return names


print(build(3))
