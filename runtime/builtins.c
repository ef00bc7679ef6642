/* builtins.c - built-in functions of numbers that need more than one
 * operation: hex(), oct(), bin() and the three-argument pow(), with
 * CPython's results and errors.
 *
 * Each allocates only its result, at the end, so it holds no pointer
 * across an allocation.
 */
#include "runtime/rt_internal.h"

/* "-0x1f" style: sign, prefix, digits of |v| in base 2^bits. */
static struct rpy_str *int_in_base(rpy_int v, int bits, char letter)
{
    char buf[72];
    int n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    unsigned mask = (1u << bits) - 1;
    do {
        buf[n++] = "0123456789abcdef"[u & mask];
        u >>= bits;
    } while (u);
    char out[80];
    int k = 0;
    if (v < 0)
        out[k++] = '-';
    out[k++] = '0';
    out[k++] = letter;
    while (n)
        out[k++] = buf[--n];
    struct rpy_str *s = rt_str_alloc(k, k);
    memcpy(s->data, out, (size_t)k);
    return s;
}

struct rpy_str *rpy_int_hex(rpy_int v) { return int_in_base(v, 4, 'x'); }
struct rpy_str *rpy_int_oct(rpy_int v) { return int_in_base(v, 3, 'o'); }
struct rpy_str *rpy_int_bin(rpy_int v) { return int_in_base(v, 1, 'b'); }

/* (a * b) % m for 0 <= a, b < m, without overflow. */
static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m) { return (uint64_t)((unsigned __int128)a * b % m); }

rpy_int rpy_int_powmod(rpy_int base, rpy_int exp, rpy_int mod)
{
    if (mod == 0) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, "pow() 3rd argument cannot be 0");
        return 0;
    }
    if (exp < 0) {
        /* CPython computes an inverse; RPy keeps to what the corpus needs */
        rpy_raise_builtin_c(RPY_EXC_ValueError, "pow() with a negative exponent and a modulus is not supported");
        return 0;
    }
    uint64_t m = mod < 0 ? (uint64_t)0 - (uint64_t)mod : (uint64_t)mod;
    uint64_t mag = base < 0 ? (uint64_t)0 - (uint64_t)base : (uint64_t)base;
    uint64_t b = base < 0 ? (m - mag % m) % m : mag % m, r = 1 % m;
    for (uint64_t e = (uint64_t)exp; e; e >>= 1) {
        if (e & 1)
            r = mulmod(r, b, m);
        b = mulmod(b, b, m);
    }
    /* the result takes the sign of the modulus, as % does */
    if (mod < 0 && r != 0)
        return (rpy_int)(r - m);
    return (rpy_int)r;
}

/* os.getenv(name): os.getenv(name, None). */
struct rpy_str *rpy_os_getenv1(const struct rpy_str *name) { return rpy_os_getenv(name, NULL); }
