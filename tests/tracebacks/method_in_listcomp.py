class Box:
    def __init__(self, items):
        self.items = items
    def get(self, i):
        return self.items[i]
def helper(b, k):
    return [b.get(j) for j in range(k)]
print(helper(Box([1, 2]), 2))
print(helper(Box([1, 2]), 3))
