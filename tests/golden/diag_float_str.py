# A float on one path, a str on the other.
def average(values):
    if not values:
        result = "n/a"
    else:
        result = sum(values) / len(values)
    return result


print(average([1.5, 2.5]))
