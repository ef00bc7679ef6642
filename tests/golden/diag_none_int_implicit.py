# The function falls off its end (returning None) when the key is missing;
# the caller's arithmetic on the result is not reported again.
def lookup_age(ages, name):
    if name in ages:
        return ages[name]


def next_birthday(ages, name):
    age = lookup_age(ages, name)
    return age + 1


print(next_birthday({"ann": 30}, "ann"))
