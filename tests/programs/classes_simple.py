# A simple class: constructor, attributes, methods, None-able references.


class Counter:
    def __init__(self, name, start):
        self.name = name
        self.count = start
        self.history = []

    def bump(self, by):
        self.count += by
        self.history.append(by)
        return self.count

    def describe(self):
        return self.name + "=" + str(self.count)


def find(counters, name):
    found = None
    for c in counters:
        if c.name == name:
            found = c
    return found


cs = [Counter("a", 0), Counter("b", 10)]
for i in range(5):
    cs[i % 2].bump(i)
for c in cs:
    print(c.describe(), c.history, len(c.history))
hit = find(cs, "b")
miss = find(cs, "z")
print(hit is None, miss is None, hit.count if hit is not None else -1)
