# Generators: a for loop, next(), list().
def countdown(n):
    print("start")
    while n > 0:
        yield n
        n -= 1
    print("done")
for v in countdown(3):
    print("got", v)
g = countdown(2)
print(next(g), next(g))
print(list(countdown(2)))
