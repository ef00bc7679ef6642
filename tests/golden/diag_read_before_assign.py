# A local read on the line before its assignment.
def report(values):
    print("total:", total)
    total = sum(values)
    return total


report([1, 2])
