# Instances without __eq__ and __hash__ are dict keys and set items by
# identity: the hash stays the same while the collector moves the young
# keys (100000 short-lived objects force collections in between; run also
# under RPY_GC_STRESS=1), an equal-looking object is another key, == is
# identity, list search finds the object itself.


class Node:
    def __init__(self, name):
        self.name = name
        self.edges = []


def build(n):
    nodes = []
    for i in range(n):
        nodes.append(Node("n" + str(i)))
    for i in range(n):
        nodes[i].edges.append(nodes[(i * 7 + 3) % n])
        nodes[i].edges.append(nodes[(i * 5 + 1) % n])
    return nodes


def reachable(start):
    seen = {start}
    order = [start]
    work = [start]
    while work:
        cur = work.pop()
        for nxt in cur.edges:
            if nxt not in seen:
                seen.add(nxt)
                order.append(nxt)
                work.append(nxt)
    return order


def main():
    nodes = build(200)
    depth = {}
    for i in range(len(nodes)):
        depth[nodes[i]] = i * 2
    garbage = []
    for i in range(100000):
        garbage.append(Node("g" + str(i)))
        if len(garbage) > 100:
            garbage = []
    total = 0
    for nd in nodes:
        total += depth[nd]
    print(total, len(depth))
    order = reachable(nodes[0])
    print(len(order), order[0].name, order[-1].name)
    twin = Node("n0")
    print(twin in depth, nodes[0] in depth, nodes.index(nodes[17]), twin in nodes)
    s = {nodes[1], nodes[2], nodes[1]}
    print(len(s), nodes[2] in s, nodes[3] in s)
    print(depth.get(twin, -1), depth.get(nodes[5], -1))
    depth.pop(nodes[5])
    print(len(depth), nodes[5] in depth)
    print(nodes[3] == nodes[3], nodes[3] == nodes[4], nodes[3] != nodes[4])


main()
