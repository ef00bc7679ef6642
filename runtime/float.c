/* float.c - float arithmetic with CPython's results and errors.
 *
 * Each function follows the corresponding routine of CPython 3.11's
 * Objects/floatobject.c (float_divmod, float_rem, float_pow, double_round,
 * _Py_HashDouble) so that special values (signed zeros, infinities, NaN)
 * come out the same. Where CPython returns a complex number (a negative
 * base to a fractional power) RPy raises ValueError: it has no complex
 * type, and a loud error is the rule for deviations.
 */
#include "runtime/rt_internal.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

rpy_float rpy_float_truediv(rpy_float a, rpy_float b)
{
    if (b == 0.0) {
        rpy_raise_builtin_c(RPY_EXC_ZeroDivisionError, "float division by zero");
        return 0.0;
    }
    return a / b;
}

/* CPython's _float_div_mod: the floor quotient is computed from fmod so
 * that q * b + m == a as closely as doubles allow. */
static void float_div_mod(rpy_float vx, rpy_float wx, rpy_float *floordiv, rpy_float *mod)
{
    rpy_float m = fmod(vx, wx);
    rpy_float div = (vx - m) / wx;
    if (m != 0.0) {
        if ((wx < 0) != (m < 0)) {
            m += wx;
            div -= 1.0;
        }
    } else {
        m = copysign(0.0, wx);
    }
    if (div != 0.0) {
        rpy_float fl = floor(div);
        if (div - fl > 0.5)
            fl += 1.0;
        div = fl;
    } else {
        div = copysign(0.0, vx / wx);
    }
    *floordiv = div;
    *mod = m;
}

rpy_float rpy_float_floordiv(rpy_float a, rpy_float b)
{
    if (b == 0.0) {
        rpy_raise_builtin_c(RPY_EXC_ZeroDivisionError, "float floor division by zero");
        return 0.0;
    }
    rpy_float q, m;
    float_div_mod(a, b, &q, &m);
    return q;
}

rpy_float rpy_float_mod(rpy_float a, rpy_float b)
{
    if (b == 0.0) {
        rpy_raise_builtin_c(RPY_EXC_ZeroDivisionError, "float modulo");
        return 0.0;
    }
    rpy_float m = fmod(a, b);
    if (m != 0.0) {
        if ((b < 0) != (m < 0))
            m += b;
    } else {
        m = copysign(0.0, b);
    }
    return m;
}

static bool is_odd_integer(rpy_float x) { return fmod(fabs(x), 2.0) == 1.0; }

/* float_pow's special cases, in CPython's order; finite operands with a
 * positive base other than 1 go to the C library. */
rpy_float rpy_float_pow(rpy_float iv, rpy_float iw)
{
    if (iw == 0.0)
        return 1.0; /* even 0**0 and nan**0 */
    if (isnan(iv))
        return iv;
    if (isnan(iw))
        return iv == 1.0 ? 1.0 : iw;
    if (isinf(iw)) {
        iv = fabs(iv);
        if (iv == 1.0)
            return 1.0;
        return ((iw > 0.0) == (iv > 1.0)) ? fabs(iw) : 0.0;
    }
    if (isinf(iv)) {
        bool odd = is_odd_integer(iw);
        if (iw > 0.0)
            return odd ? iv : fabs(iv);
        return odd ? copysign(0.0, iv) : 0.0;
    }
    if (iv == 0.0) {
        if (iw < 0.0) {
            rpy_raise_builtin_c(RPY_EXC_ZeroDivisionError, "0.0 cannot be raised to a negative power");
            return 0.0;
        }
        return is_odd_integer(iw) ? iv : 0.0;
    }
    bool negate = false;
    if (iv < 0.0) {
        if (iw != floor(iw)) {
            rpy_raise_builtin_c(RPY_EXC_ValueError,
                                "negative number cannot be raised to a fractional power "
                                "(RPy has no complex numbers)");
            return 0.0;
        }
        iv = -iv;
        negate = is_odd_integer(iw);
    }
    if (iv == 1.0)
        return negate ? -1.0 : 1.0;
    rpy_float r = pow(iv, iw);
    if (isinf(r)) {
        /* CPython reports errno ERANGE this way. */
        rpy_raise_builtin_c(RPY_EXC_OverflowError, "(34, 'Numerical result out of range')");
        return 0.0;
    }
    return negate ? -r : r;
}

/* ---- conversions to int ---- */

/* The float's value is an integer in [-2**63, 2**63) or it raised. */
static bool float_check_int_range(rpy_float f)
{
    if (isnan(f)) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, "cannot convert float NaN to integer");
        return false;
    }
    if (isinf(f)) {
        rpy_raise_builtin_c(RPY_EXC_OverflowError, "cannot convert float infinity to integer");
        return false;
    }
    if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0)) {
        rpy_raise_builtin_c(RPY_EXC_OverflowError, "int too large to fit in 64 bits");
        return false;
    }
    return true;
}

rpy_int rpy_float_to_int(rpy_float f)
{
    f = trunc(f);
    return float_check_int_range(f) ? (rpy_int)f : 0;
}

/* round(x): to the nearest integer, exact halves to even. */
rpy_int rpy_float_round_int(rpy_float x)
{
    rpy_float r = round(x); /* halves away from zero */
    if (fabs(x - r) == 0.5)
        r = 2.0 * round(x / 2.0);
    return float_check_int_range(r) ? (rpy_int)r : 0;
}

/* ---- round(x, n) ---- */

/* Bounds of n outside which the answer is x itself or a zero (CPython's
 * NDIGITS_MAX / NDIGITS_MIN; 0.30103 bounds log10(2) from above). */
#define NDIGITS_MAX ((int)((DBL_MANT_DIG - DBL_MIN_EXP) * 0.30103))
#define NDIGITS_MIN (-(int)((DBL_MAX_EXP + 1) * 0.30103))

/* Rounds the decimal digit string digits[0..n) (an integer) at the
 * position `keep` digits from the left, half to even, with `sticky`
 * telling whether the true value has more nonzero digits after the
 * string. Returns the number of digits kept (one more on a carry out). */
static int round_digit_string(char *digits, int n, int keep, bool sticky)
{
    bool up = false;
    if (keep < n) {
        char first = digits[keep];
        bool rest_nonzero = sticky;
        for (int i = keep + 1; i < n && !rest_nonzero; i++)
            rest_nonzero = digits[i] != '0';
        bool odd = keep > 0 && ((digits[keep - 1] - '0') & 1);
        up = first > '5' || (first == '5' && (rest_nonzero || odd));
    }
    if (!up)
        return keep;
    for (int i = keep - 1; i >= 0; i--) {
        if (digits[i] != '9') {
            digits[i]++;
            return keep;
        }
        digits[i] = '0';
    }
    memmove(digits + 1, digits, (size_t)keep);
    digits[0] = '1';
    return keep + 1;
}

/* Negative n: round |x| to a multiple of 10**-n. The integer part of x
 * printed exactly gives the digits, the fractional part is only a sticky
 * bit, so there is a single rounding. */
static rpy_float round_to_tens(rpy_float x, int ndigits)
{
    char digits[400], text[420];
    rpy_float ip = trunc(fabs(x));
    int n = snprintf(digits, sizeof digits, "%.0f", ip);
    bool sticky = ip != fabs(x);
    int keep = n + ndigits; /* digits left of the rounding position */
    if (keep < 0)
        return copysign(0.0, x);
    if (keep == 0) { /* rounding 0.xyz * 10**n: only > half rounds up */
        memmove(digits + 1, digits, (size_t)n + 1);
        digits[0] = '0';
        n++;
        keep = 1;
    }
    int kept = round_digit_string(digits, n, keep, sticky);
    int exp = n - keep - 0;
    snprintf(text, sizeof text, "%s%.*se%d", x < 0 ? "-" : "", kept, digits, exp);
    return strtod(text, NULL);
}

rpy_float rpy_float_round(rpy_float x, rpy_int ndigits)
{
    if (!isfinite(x) || x == 0.0)
        return x;
    if (ndigits > NDIGITS_MAX)
        return x;
    if (ndigits < NDIGITS_MIN)
        return 0.0 * x;
    rpy_float r;
    if (ndigits >= 0) {
        /* glibc's printf is exact and rounds ties to even: one rounding
         * of the true binary value, as CPython's dtoa-based round. */
        char text[400 + 2 * NDIGITS_MAX];
        snprintf(text, sizeof text, "%.*f", (int)ndigits, x);
        r = strtod(text, NULL);
    } else {
        r = round_to_tens(x, (int)ndigits);
    }
    if (isinf(r)) {
        rpy_raise_builtin_c(RPY_EXC_OverflowError, "rounded value too large to represent");
        return 0.0;
    }
    return r;
}

/* ---- hash ---- */

#define HASH_BITS 61
#define HASH_MODULUS (((uint64_t)1 << HASH_BITS) - 1)
#define HASH_INF 314159

/* CPython's _Py_HashDouble: the value modulo 2**61 - 1, so that integral
 * floats hash like the equal int. CPython hashes a NaN by object identity;
 * unboxed floats have none, so all NaNs hash to 0 (as before 3.10). */
rpy_int rpy_float_hash(rpy_float v)
{
    if (!isfinite(v))
        return isinf(v) ? (v > 0 ? HASH_INF : -HASH_INF) : 0;
    int e;
    rpy_float m = frexp(v, &e);
    int sign = 1;
    if (m < 0) {
        sign = -1;
        m = -m;
    }
    uint64_t x = 0;
    while (m != 0.0) { /* 28 bits at a time */
        x = ((x << 28) & HASH_MODULUS) | x >> (HASH_BITS - 28);
        m *= 268435456.0;
        e -= 28;
        uint64_t y = (uint64_t)m;
        m -= (rpy_float)y;
        x += y;
        if (x >= HASH_MODULUS)
            x -= HASH_MODULUS;
    }
    e = e >= 0 ? e % HASH_BITS : HASH_BITS - 1 - ((-1 - e) % HASH_BITS);
    x = ((x << e) & HASH_MODULUS) | x >> (HASH_BITS - e);
    if (sign < 0)
        x = 0 - x;
    rpy_int r = (rpy_int)x;
    return r == -1 ? -2 : r;
}
