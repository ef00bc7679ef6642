# A function returning an index or None: an int cannot be None.
def find_index(items, target):
    for i in range(len(items)):
        if items[i] == target:
            return i
    return None


print(find_index([4, 5, 6], 5))
