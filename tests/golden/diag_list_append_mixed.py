# One list gets ints and strs from two appends.
def collect(n):
    out = []
    for i in range(n):
        if i % 2 == 0:
            out.append(i)
        else:
            out.append(str(i))
    return out


print(collect(4))
