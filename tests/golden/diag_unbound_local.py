# A function that assigns a module-level name without declaring it
# global: the name is local there, and read before it is assigned.
counter = 0


def bump():
    counter += 1
    return counter


print(bump())
