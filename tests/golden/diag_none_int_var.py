# A running total that starts as None.
def total_length(words):
    total = None
    for w in words:
        if total is None:
            total = 0
        total += len(w)
    return total


print(total_length(["ab", "c"]))
