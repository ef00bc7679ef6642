# Several independent errors, all reported in one run.
def mean(values):
    return sum(values) / count(values)


def shout(text):
    return eval(text).upper()


print(mean([1, 2]), shout("'a'"))
print(undefined_thing)
