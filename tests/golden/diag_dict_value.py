# A dict whose values are ints, then one str value.
ages = {"ann": 31, "bob": 27}
ages["cy"] = "unknown"
for name in ages:
    print(name, ages[name])
