# A parenthesis that is never closed.
def area(w, h):
    return (w * h


print(area(2, 3))
