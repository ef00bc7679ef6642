# Non-ASCII names in messages and notes pass through the JSON as UTF-8.
def größe(n):
    maß = n * 2
    if n > 10:
        maß = "groß"
    return maß


print(größe(3))
