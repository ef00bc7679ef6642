# A misspelt function name.
def total(values):
    s = 0
    for v in values:
        s += v
    return s


print(totl([1, 2, 3]))
