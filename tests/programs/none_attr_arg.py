# An attribute only ever None, read and passed to a function whose
# parameter is a nullable instance (found by the fuzzer).


class Node:
    def __init__(self, key):
        self.key = key
        self.left = None


def count(node, out):
    if node is not None:
        out.append(node.key)
        count(node.left, out)
    return len(out)


print(count(Node(4), []))
print(count(None, [1, 2]))
