# More positional arguments than parameters.
def greet(name, greeting="hello"):
    return greeting + ", " + name


print(greet("ann", "hi", "!"))
