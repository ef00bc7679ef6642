# An assignment expression.
def first_long(words):
    for w in words:
        if (n := len(w)) > 3:
            return n
    return 0


print(first_long(["a", "abcd"]))
