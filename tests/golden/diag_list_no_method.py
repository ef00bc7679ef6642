# Methods that list and str do not have.
values = [3, 1, 2]
values.push(4)
name = "abc"
print(name.reverse())
