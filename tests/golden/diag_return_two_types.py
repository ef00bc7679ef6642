# Two return statements, an int and a str.
def lookup(table, key):
    if key in table:
        return table[key]
    return "missing"


print(lookup({"a": 1}, "a"))
