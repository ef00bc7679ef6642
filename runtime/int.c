/* int.c - the int operations too big to inline, and int formatting.
 *
 * RPy ints are 64-bit; where CPython would grow a big int we raise
 * OverflowError instead (LANGUAGE.md: a deviation, but a loud one). The
 * results that do fit are CPython's exactly: true division is correctly
 * rounded like CPython's long_true_divide, round() rounds half to even,
 * and hash() is CPython's modular hash (so hash(-1) == -2 and hash(2**61
 * - 1) == 0), which also makes equal ints and floats hash alike.
 */
#include "runtime/rt_internal.h"

#include <math.h>

/* ---- formatting ---- */

static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* Two digits per division: printing ints is hot in benchmarks. */
int rt_int_format(char *buf, rpy_int v)
{
    char tmp[RT_INT_BUFSIZE];
    char *p = tmp + sizeof tmp;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    while (u >= 100) {
        unsigned r = (unsigned)(u % 100);
        u /= 100;
        p -= 2;
        memcpy(p, digit_pairs + 2 * r, 2);
    }
    if (u >= 10) {
        p -= 2;
        memcpy(p, digit_pairs + 2 * u, 2);
    } else {
        *--p = (char)('0' + u);
    }
    if (v < 0)
        *--p = '-';
    int n = (int)(tmp + sizeof tmp - p);
    memcpy(buf, p, (size_t)n);
    return n;
}

struct rpy_str *rpy_str_from_int(rpy_int v)
{
    if (v >= 0 && v < 10)
        return rt_str_ascii_char((unsigned)('0' + v));
    char buf[RT_INT_BUFSIZE];
    int n = rt_int_format(buf, v);
    struct rpy_str *s = rt_str_alloc(n, n);
    memcpy(s->data, buf, (size_t)n);
    return s;
}

/* ---- true division ---- */

static int bit_length(uint64_t u) { return u ? 64 - __builtin_clzll(u) : 0; }

/* q * 2**exp rounded to the nearest double, ties to even; `sticky` says
 * whether nonzero bits were dropped below q. q has at least 64 bits. */
static rpy_float round_u128(unsigned __int128 q, bool sticky, int exp)
{
    int hi = bit_length((uint64_t)(q >> 64));
    int len = hi ? 64 + hi : bit_length((uint64_t)q);
    int drop = len - 53;
    unsigned __int128 mask = ((unsigned __int128)1 << drop) - 1;
    unsigned __int128 rest = q & mask, half = (unsigned __int128)1 << (drop - 1);
    uint64_t m = (uint64_t)(q >> drop);
    if (rest > half || (rest == half && (sticky || (m & 1))))
        m++; /* may carry to 2**53: still exact in a double */
    return ldexp((double)m, exp + drop);
}

/* Like CPython: exact operands up to 2**53 divide in hardware (the result
 * is then correctly rounded); larger ones get a 128-bit quotient with at
 * least 64 significant bits plus a sticky bit, rounded once. */
rpy_float rpy_int_truediv(rpy_int a, rpy_int b)
{
    if (b == 0) {
        rpy_raise_builtin_c(RPY_EXC_ZeroDivisionError, "division by zero");
        return 0.0;
    }
    const rpy_int lim = (rpy_int)1 << 53;
    if (a >= -lim && a <= lim && b >= -lim && b <= lim)
        return (rpy_float)a / (rpy_float)b;
    bool neg = (a < 0) != (b < 0);
    uint64_t ua = a < 0 ? 0 - (uint64_t)a : (uint64_t)a;
    uint64_t ub = b < 0 ? 0 - (uint64_t)b : (uint64_t)b;
    if (ua == 0)
        return neg ? -0.0 : 0.0;
    int shift = 128 - bit_length(ua); /* top bit of the dividend at bit 127 */
    unsigned __int128 n = (unsigned __int128)ua << shift;
    unsigned __int128 q = n / ub;
    bool sticky = n % ub != 0;
    rpy_float r = round_u128(q, sticky, -shift);
    return neg ? -r : r;
}

/* ---- power and shifts ---- */

static void pow_overflow(void)
{
    rpy_raise_builtin_c(RPY_EXC_OverflowError, "integer exponentiation overflow");
}

rpy_int rpy_int_pow(rpy_int a, rpy_int b)
{
    if (b < 0) {
        /* CPython would return a float; the annotator made this an int. */
        rpy_raise_builtin_c(RPY_EXC_ValueError,
                            "negative exponent in int ** int (RPy: use a float base for a float result)");
        return 0;
    }
    rpy_int result = 1, base = a;
    for (;;) {
        if (b & 1) {
            if (__builtin_mul_overflow(result, base, &result)) {
                pow_overflow();
                return 0;
            }
        }
        b >>= 1;
        if (b == 0)
            return result;
        if (__builtin_mul_overflow(base, base, &base)) {
            /* b has bits left, so result (nonzero) will be multiplied
             * by at least this square: the final result overflows too. */
            pow_overflow();
            return 0;
        }
    }
}

rpy_int rpy_int_lshift(rpy_int a, rpy_int b)
{
    if (b < 0) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, "negative shift count");
        return 0;
    }
    if (a == 0)
        return 0;
    if (b >= 64) {
        rpy_raise_builtin_c(RPY_EXC_OverflowError, "integer left shift overflow");
        return 0;
    }
    /* Shift as unsigned (no UB), then check that shifting back is exact. */
    rpy_int r = (rpy_int)((uint64_t)a << b);
    if ((r >> b) != a) {
        rpy_raise_builtin_c(RPY_EXC_OverflowError, "integer left shift overflow");
        return 0;
    }
    return r;
}

rpy_int rpy_int_rshift(rpy_int a, rpy_int b)
{
    if (b < 0) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, "negative shift count");
        return 0;
    }
    if (b >= 64)
        return a < 0 ? -1 : 0;
    return a >> b; /* gcc: arithmetic shift, as Python floors */
}

/* ---- round(int, n) ---- */

/* For n >= 0 an int is its own rounding. For n < 0, round to a multiple
 * of 10**-n, ties to even multiples (round(1250, -2) == 1200). */
rpy_int rpy_int_round(rpy_int x, rpy_int ndigits)
{
    if (ndigits >= 0)
        return x;
    if (ndigits < -19)
        return 0; /* |x| < 9.3e18 < 10**20 / 2 */
    __int128 p = 1;
    for (rpy_int i = 0; i < -ndigits; i++)
        p *= 10;
    __int128 q = x / p, r = x % p;
    if (r < 0) { /* floor division */
        r += p;
        q -= 1;
    }
    if (2 * r > p || (2 * r == p && (q & 1)))
        q += 1;
    __int128 res = q * p;
    if (res > INT64_MAX || res < INT64_MIN) {
        rpy_raise_builtin_c(RPY_EXC_OverflowError, "rounded int does not fit in 64 bits");
        return 0;
    }
    return (rpy_int)res;
}

/* ---- hash ---- */

#define HASH_BITS 61
#define HASH_MODULUS (((uint64_t)1 << HASH_BITS) - 1)

/* CPython's: the int modulo 2**61 - 1, with the sign of the int. */
rpy_int rpy_int_hash(rpy_int x)
{
    if (x > -(rpy_int)HASH_MODULUS && x < (rpy_int)HASH_MODULUS) /* no division for most ints */
        return x == -1 ? -2 : x;
    uint64_t u = x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
    uint64_t h = u % HASH_MODULUS;
    rpy_int r = x < 0 ? -(rpy_int)h : (rpy_int)h;
    return r == -1 ? -2 : r;
}
