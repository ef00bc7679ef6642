# Binary trees (the Benchmarks Game algorithm): build full binary trees of
# depth d out of small class instances and walk them to count the nodes.
# One long-lived tree stays alive while many short-lived trees of
# increasing depth are built and dropped: allocation of instances, a
# nullable (None) attribute per child, recursive method calls.


class Node:
    def __init__(self, left, right):
        self.left = left
        self.right = right

    def check(self):
        left = self.left
        right = self.right
        if left is None or right is None:
            return 1
        return 1 + left.check() + right.check()


def make_tree(depth):
    if depth == 0:
        return Node(None, None)
    return Node(make_tree(depth - 1), make_tree(depth - 1))


def main():
    n = 16
    min_depth = 4
    max_depth = n
    if max_depth < min_depth + 2:
        max_depth = min_depth + 2

    stretch_depth = max_depth + 1
    stretch = make_tree(stretch_depth)
    print("stretch tree of depth " + str(stretch_depth) + "\t check: " + str(stretch.check()))
    stretch = None

    long_lived = make_tree(max_depth)

    depth = min_depth
    while depth <= max_depth:
        iterations = 1 << (max_depth - depth + min_depth)
        check = 0
        for i in range(iterations):
            check += make_tree(depth).check()
        print(str(iterations) + "\t trees of depth " + str(depth) + "\t check: " + str(check))
        depth += 2

    print("long lived tree of depth " + str(max_depth) + "\t check: " + str(long_lived.check()))


main()
