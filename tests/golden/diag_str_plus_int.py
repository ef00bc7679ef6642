# Adding an int to a str.
def next_id(text):
    return text + 1


print(next_id("41"))
