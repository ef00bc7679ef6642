class Node:
    def __init__(self, value, next_node):
        self.value = value
        self.next_node = next_node

    def length(self):
        n = 1
        cur = self.next_node
        while cur is not None:
            n += 1
            cur = cur.next_node
        return n


head = Node(1, Node(2, Node(3, None)))
print(head.length(), head.next_node.value)
