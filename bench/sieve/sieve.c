/* Sieve of Eratosthenes: C reference for bench/sieve/sieve.py.
   One byte per flag, as a list of bools would be at best. */
#include <stdio.h>
#include <stdlib.h>

static long sieve(long n)
{
    unsigned char *flags = malloc((size_t)n + 1);
    if (flags == NULL) {
        perror("malloc");
        exit(1);
    }
    for (long k = 0; k <= n; k++)
        flags[k] = 1;
    flags[0] = 0;
    flags[1] = 0;
    for (long i = 2; i * i <= n; i++)
        if (flags[i])
            for (long j = i * i; j <= n; j += i)
                flags[j] = 0;
    long count = 0;
    for (long k = 0; k <= n; k++)
        if (flags[k])
            count++;
    free(flags);
    return count;
}

int main(void)
{
    long n = 3000000, total = 0, c = 0;
    for (int rep = 0; rep < 16; rep++) {
        c = sieve(n);
        total += c;
    }
    printf("primes below %ld = %ld\n", n, c);
    printf("total %ld\n", total);
    return 0;
}
