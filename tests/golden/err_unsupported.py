def countdown(n):
    while n > 0:
        yield n
        n -= 1


for k in countdown(3):
    print(k)
