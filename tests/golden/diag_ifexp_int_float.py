# A conditional expression whose two arms are a float and an int: the
# message names the expression (not an internal variable) and the fix.
def average(total, count):
    return round(total / count, 3) if count else 0


print(average(10, 4), average(0, 0))
