/* Recursive Fibonacci: C reference for bench/fib/fib.py (same algorithm). */
#include <stdio.h>

static long fib(long n)
{
    if (n < 2)
        return n;
    return fib(n - 1) + fib(n - 2);
}

int main(void)
{
    for (long n = 30; n <= 36; n++)
        printf("fib(%ld) = %ld\n", n, fib(n));
    return 0;
}
