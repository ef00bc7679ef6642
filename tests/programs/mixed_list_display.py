# A list display of mixed item types: read-only, prints as a list.
x = [1, "a", 2.5]
print(x, len(x), x[1], str(x), repr([x]))
print(x == [1, "a", 2.5])
y = [3, None]
print(y)
