def gen(n):
    for i in range(n):
        yield 10 // (2 - i)
total = 0
for v in gen(5):
    total += v
