# Sieve of Eratosthenes over a list of bools, repeated: list indexing,
# while loops, int arithmetic.


def sieve(n):
    flags = [True] * (n + 1)
    flags[0] = False
    flags[1] = False
    i = 2
    while i * i <= n:
        if flags[i]:
            j = i * i
            while j <= n:
                flags[j] = False
                j += i
        i += 1
    count = 0
    for k in range(n + 1):
        if flags[k]:
            count += 1
    return count


def main():
    n = 3000000
    total = 0
    c = 0
    for rep in range(16):
        c = sieve(n)
        total += c
    print("primes below", n, "=", c)
    print("total", total)


main()
