# Two independent errors in one program: rpy check reports both, and in
# --json each error carries only its own notes.
def describe(n):
    label = n * 2
    if n > 10:
        label = "big"
    return label


def area(width, height):
    return width * height


print(describe(3))
print(area(5))
