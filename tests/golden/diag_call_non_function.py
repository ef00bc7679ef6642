# Calling an int.
def run():
    limit = 10
    return limit(5)


print(run())
