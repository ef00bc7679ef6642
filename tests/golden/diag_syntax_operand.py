# An operator without its right operand.
def total(a, b):
    return a +


print(total(1, 2))
