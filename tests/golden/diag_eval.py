# eval() runs code chosen at run time.
def calculate(expression):
    return eval(expression)


print(calculate("2 + 3"))
