# Recursive Fibonacci: function calls and int arithmetic.


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def main():
    n = 30
    while n <= 36:
        print("fib(" + str(n) + ") =", fib(n))
        n += 1


main()
