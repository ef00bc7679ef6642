/* mathmod.c - the native part of the math module, with CPython 3.11's
 * results and errors.
 *
 * CPython's math module is mostly the C library behind two checkers, and
 * so is this file: the results are the C library's (the one CPython uses
 * on the same machine), and the checkers turn IEEE special results into
 * CPython's exceptions. For a function of one argument (math_1): a NaN
 * from a non-NaN argument is ValueError "math domain error"; an infinity
 * from a finite argument is OverflowError "math range error" when the
 * function can overflow (exp, cosh, sinh...) and ValueError when it has a
 * singularity there (log(0), atanh(1)); errno from the library catches
 * what is left, with underflow (ERANGE and a result below 1.5 in
 * magnitude) not an error. Functions of two arguments (math_2) set errno
 * from the result the same way. gamma, lgamma, erf, erfc trust errno only
 * (math_1a).
 *
 * Where CPython does not call the library, or calls it only after
 * handling special values itself, this file does the same computation in
 * the same order, since bits depend on it: log/log2/log10 (special
 * arguments), pow, fmod, atan2, modf, frexp, ldexp, remainder, ulp;
 * hypot and dist (CPython's vector_norm: a scaled sum of squares with
 * error-free products and compensated additions, then one Newton step);
 * gamma and lgamma (CPython's Lanczos approximation, N = 13, with its
 * reflection formula and its accurate sin(pi*x)); fsum (Shewchuk's exact
 * partials, below); radians/degrees (one multiplication by pi/180 or
 * 180/pi rounded to a double).
 *
 * The integer functions are exact on RPy's 64-bit ints. A result that does
 * not fit in 64 bits (21!, comb(70, 35), gcd(-2**63, 0)) raises
 * OverflowError "<name>() result does not fit in 64 bits", where CPython
 * would grow the int (LANGUAGE.md: a deviation, but loud). floor, ceil and
 * trunc of a float return an int with int()'s errors.
 *
 * Nothing here collects except modf and frexp (they allocate their
 * result tuple); raising a built-in error never collects.
 */
#include "runtime/rt_internal.h"

#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- errors ---- */

static rpy_float domain_error(void)
{
    rpy_raise_builtin_c(RPY_EXC_ValueError, "math domain error");
    return 0.0;
}

static rpy_float range_error(void)
{
    rpy_raise_builtin_c(RPY_EXC_OverflowError, "math range error");
    return 0.0;
}

/* CPython's is_error: errno is set after computing r; raises and returns
 * true, or returns false for an underflow. */
static bool errno_is_error(rpy_float r)
{
    int e = errno;
    if (e == EDOM) {
        domain_error();
    } else if (e == ERANGE) {
        if (fabs(r) < 1.5)
            return false;
        range_error();
    } else {
        /* PyErr_SetFromErrno(ValueError): str() of (errno, strerror) */
        char msg[160];
        snprintf(msg, sizeof msg, "(%d, '%s')", e, strerror(e));
        rpy_raise_builtin_c(RPY_EXC_ValueError, msg);
    }
    return true;
}

/* One argument, library semantics checked on the result. */
static rpy_float math_1(rpy_float x, double (*f)(double), bool can_overflow)
{
    errno = 0;
    rpy_float r = f(x);
    if (isnan(r) && !isnan(x))
        return domain_error();
    if (isinf(r) && isfinite(x))
        return can_overflow ? range_error() : domain_error();
    if (isfinite(r) && errno && errno_is_error(r))
        return 0.0;
    return r;
}

/* One argument, for functions known to set errno properly. */
static rpy_float math_1a(rpy_float x, double (*f)(double))
{
    errno = 0;
    rpy_float r = f(x);
    if (errno && errno_is_error(r))
        return 0.0;
    return r;
}

/* Two arguments: errno derived from the result. */
static rpy_float math_2(rpy_float x, rpy_float y, double (*f)(double, double))
{
    errno = 0;
    rpy_float r = f(x, y);
    if (isnan(r))
        errno = !isnan(x) && !isnan(y) ? EDOM : 0;
    else if (isinf(r))
        errno = isfinite(x) && isfinite(y) ? ERANGE : 0;
    if (errno && errno_is_error(r))
        return 0.0;
    return r;
}

static rpy_int int_overflow(const char *msg)
{
    rpy_raise_builtin_c(RPY_EXC_OverflowError, msg);
    return 0;
}

/* ---- sequences of numbers (fsum, prod, dist) ---- */

/* A list or tuple whose items are ints, bools or floats, read as
 * doubles the way CPython's PyFloat_AsDouble reads them (an int rounds to
 * the nearest double, as the C conversion does). The items are read in
 * place: nothing may allocate while a view is in use. */
struct numseq {
    const rpy_word *items;
    rpy_int len;
    const struct rpy_typeinfo *item;          /* list: the item type */
    const struct rpy_typeinfo *const *fields; /* tuple: the type of each field */
};

static void numseq_of(const void *seq, struct numseq *v)
{
    const struct rpy_typeinfo *ti = rt_ti_of(seq);
    if (ti->kind == RPY_K_LIST) {
        const struct rpy_list *l = seq;
        *v = (struct numseq){l->items->items, l->length, ti->item, NULL};
    } else if (ti->kind == RPY_K_TUPLE) {
        const struct rpy_tuple *t = seq;
        *v = (struct numseq){t->items, ti->nitems, NULL, ti->items};
    } else {
        RT_DIE("math: argument is neither a list nor a tuple");
    }
}

static uint32_t numseq_kind(const struct numseq *v, rpy_int k)
{
    return (v->fields ? v->fields[k] : v->item)->kind;
}

static double numseq_float(const struct numseq *v, rpy_int k)
{
    rpy_word w = v->items[k];
    switch (numseq_kind(v, k)) {
    case RPY_K_FLOAT: return rpy_w_to_float(w);
    case RPY_K_INT: return (double)rpy_w_to_int(w);
    case RPY_K_BOOL: return w ? 1.0 : 0.0;
    default: RT_DIE("math: an item is not a number");
    }
}

/* ---- powers and logarithms ---- */

rpy_float rpy_math_sqrt(rpy_float x) { return math_1(x, sqrt, false); }
rpy_float rpy_math_cbrt(rpy_float x) { return math_1(x, cbrt, false); }
rpy_float rpy_math_exp(rpy_float x) { return math_1(x, exp, true); }
rpy_float rpy_math_exp2(rpy_float x) { return math_1(x, exp2, true); }
rpy_float rpy_math_expm1(rpy_float x) { return math_1(x, expm1, true); }

/* CPython's m_log / m_log2 / m_log10: special arguments are handled here,
 * positive finite ones go to the library. */
static double log_special(double x, double (*f)(double))
{
    if (isfinite(x)) {
        if (x > 0.0)
            return f(x);
        errno = EDOM;
        return x == 0.0 ? -INFINITY : NAN;
    }
    if (isnan(x) || x > 0.0)
        return x;
    errno = EDOM;
    return NAN;
}

static double m_log(double x) { return log_special(x, log); }
static double m_log2(double x) { return log_special(x, log2); }
static double m_log10(double x) { return log_special(x, log10); }
/* log1p(-0.0) is -0.0 on every platform this way */
static double m_log1p(double x) { return x == 0.0 ? x : log1p(x); }

rpy_float rpy_math_log(rpy_float x) { return math_1(x, m_log, false); }
rpy_float rpy_math_log2(rpy_float x) { return math_1(x, m_log2, false); }
rpy_float rpy_math_log10(rpy_float x) { return math_1(x, m_log10, false); }
rpy_float rpy_math_log1p(rpy_float x) { return math_1(x, m_log1p, false); }

/* log(x, base) is log(x) / log(base), each checked, then a float
 * division (ZeroDivisionError "float division by zero" for base 1). */
rpy_float rpy_math_log_base(rpy_float x, rpy_float base)
{
    rpy_float num = math_1(x, m_log, false);
    if (rpy_exc_occurred())
        return 0.0;
    rpy_float den = math_1(base, m_log, false);
    if (rpy_exc_occurred())
        return 0.0;
    return rpy_float_truediv(num, den);
}

/* math.pow: IEEE special values first (C99 Annex F), then the library. */
static bool is_odd_integer(double y) { return isfinite(y) && fmod(fabs(y), 2.0) == 1.0; }

static double pow_special(double x, double y)
{
    if (isnan(x))
        return y == 0.0 ? 1.0 : x;
    if (isnan(y))
        return x == 1.0 ? 1.0 : y;
    if (isinf(x)) {
        if (y > 0.0)
            return is_odd_integer(y) ? x : fabs(x);
        if (y == 0.0)
            return 1.0;
        return is_odd_integer(y) ? copysign(0.0, x) : 0.0;
    }
    /* y is infinite */
    if (fabs(x) == 1.0)
        return 1.0;
    if (y > 0.0 && fabs(x) > 1.0)
        return y;
    if (y < 0.0 && fabs(x) < 1.0)
        return -y;
    return 0.0;
}

rpy_float rpy_math_pow(rpy_float x, rpy_float y)
{
    rpy_float r;
    errno = 0;
    if (!isfinite(x) || !isfinite(y)) {
        r = pow_special(x, y);
    } else {
        r = pow(x, y);
        /* NaN: a negative base to a non-integer power; infinity: 0 to a
         * negative power (a singularity) or an overflow */
        if (isnan(r))
            errno = EDOM;
        else if (isinf(r))
            errno = x == 0.0 ? EDOM : ERANGE;
    }
    if (errno && errno_is_error(r))
        return 0.0;
    return r;
}

/* ---- rounding and decomposition ---- */

rpy_float rpy_math_fabs(rpy_float x) { return fabs(x); }
/* int(): OverflowError "cannot convert float infinity to integer",
 * ValueError "cannot convert float NaN to integer", and OverflowError
 * "int too large to fit in 64 bits" past 64 bits. */
rpy_int rpy_math_floor(rpy_float x) { return rpy_float_to_int(floor(x)); }
rpy_int rpy_math_ceil(rpy_float x) { return rpy_float_to_int(ceil(x)); }
rpy_int rpy_math_trunc(rpy_float x) { return rpy_float_to_int(x); }

rpy_float rpy_math_fmod(rpy_float x, rpy_float y)
{
    if (isinf(y) && isfinite(x))
        return x; /* fmod(x, +-inf) is x for finite x */
    errno = 0;
    rpy_float r = fmod(x, y);
    if (isnan(r))
        errno = !isnan(x) && !isnan(y) ? EDOM : 0;
    if (errno && errno_is_error(r))
        return 0.0;
    return r;
}

/* IEEE remainder: x - n*y for the multiple n*y nearest x, ties to even n;
 * exact. Compares the remainder m of |x| by |y| with its complement
 * |y| - m rather than with |y| / 2, which may not be representable. */
static double m_remainder(double x, double y)
{
    if (isfinite(x) && isfinite(y)) {
        if (y == 0.0)
            return NAN;
        double ax = fabs(x), ay = fabs(y);
        double m = fmod(ax, ay);
        double c = ay - m, r;
        if (m < c)
            r = m;
        else if (m > c)
            r = -c;
        else /* a tie: m if ax is an even multiple of ay plus m, else -m */
            r = m - 2.0 * fmod(0.5 * (ax - m), ay);
        return copysign(1.0, x) * r;
    }
    if (isnan(x))
        return x;
    if (isnan(y))
        return y;
    if (isinf(x))
        return NAN;
    return x; /* y infinite */
}

rpy_float rpy_math_remainder(rpy_float x, rpy_float y) { return math_2(x, y, m_remainder); }
rpy_float rpy_math_copysign(rpy_float x, rpy_float y) { return math_2(x, y, copysign); }
rpy_float rpy_math_nextafter(rpy_float x, rpy_float y) { return nextafter(x, y); }

rpy_float rpy_math_ulp(rpy_float x)
{
    if (isnan(x))
        return x;
    x = fabs(x);
    if (isinf(x))
        return x;
    double up = nextafter(x, INFINITY);
    if (isinf(up)) /* x is the largest finite float */
        return x - nextafter(x, -INFINITY);
    return up - x;
}

struct rpy_tuple *rpy_math_modf(rpy_float x, const struct rpy_typeinfo *tupti)
{
    double frac, whole;
    if (isinf(x)) {
        frac = copysign(0.0, x);
        whole = x;
    } else if (isnan(x)) {
        frac = whole = x;
    } else {
        frac = modf(x, &whole);
    }
    struct rpy_tuple *t = rpy_tuple_new(tupti); /* fresh: no barrier */
    t->items[0] = rpy_w_from_float(frac);
    t->items[1] = rpy_w_from_float(whole);
    return t;
}

struct rpy_tuple *rpy_math_frexp(rpy_float x, const struct rpy_typeinfo *tupti)
{
    int e = 0;
    if (!isnan(x) && !isinf(x) && x != 0.0)
        x = frexp(x, &e);
    struct rpy_tuple *t = rpy_tuple_new(tupti);
    t->items[0] = rpy_w_from_float(x);
    t->items[1] = rpy_w_from_int(e);
    return t;
}

rpy_float rpy_math_ldexp(rpy_float x, rpy_int i)
{
    rpy_float r;
    errno = 0;
    if (x == 0.0 || !isfinite(x)) {
        r = x; /* zeros, infinities and NaNs unchanged */
    } else if (i > INT_MAX) {
        r = copysign(HUGE_VAL, x);
        errno = ERANGE;
    } else if (i < INT_MIN) {
        r = copysign(0.0, x);
    } else {
        r = ldexp(x, (int)i);
        if (isinf(r))
            errno = ERANGE;
        else
            errno = 0; /* an underflow is no error */
    }
    if (errno && errno_is_error(r))
        return 0.0;
    return r;
}

/* ---- trigonometry ---- */

rpy_float rpy_math_sin(rpy_float x) { return math_1(x, sin, false); }
rpy_float rpy_math_cos(rpy_float x) { return math_1(x, cos, false); }
rpy_float rpy_math_tan(rpy_float x) { return math_1(x, tan, false); }
rpy_float rpy_math_asin(rpy_float x) { return math_1(x, asin, false); }
rpy_float rpy_math_acos(rpy_float x) { return math_1(x, acos, false); }
rpy_float rpy_math_atan(rpy_float x) { return math_1(x, atan, false); }
rpy_float rpy_math_sinh(rpy_float x) { return math_1(x, sinh, true); }
rpy_float rpy_math_cosh(rpy_float x) { return math_1(x, cosh, true); }
rpy_float rpy_math_tanh(rpy_float x) { return math_1(x, tanh, false); }
rpy_float rpy_math_asinh(rpy_float x) { return math_1(x, asinh, false); }
rpy_float rpy_math_acosh(rpy_float x) { return math_1(x, acosh, false); }
rpy_float rpy_math_atanh(rpy_float x) { return math_1(x, atanh, false); }

/* atan2 with C99's special values spelled out (CPython's m_atan2). */
static double m_atan2(double y, double x)
{
    if (isnan(x) || isnan(y))
        return NAN;
    if (isinf(y)) {
        if (isinf(x))
            return copysign(copysign(1.0, x) == 1.0 ? 0.25 * M_PI : 0.75 * M_PI, y);
        return copysign(0.5 * M_PI, y);
    }
    if (isinf(x) || y == 0.0)
        return copysign(copysign(1.0, x) == 1.0 ? 0.0 : M_PI, y);
    return atan2(y, x);
}

rpy_float rpy_math_atan2(rpy_float y, rpy_float x) { return math_2(y, x, m_atan2); }

/* One rounded multiplication, as CPython: not x * pi / 180. */
static const double deg_to_rad = M_PI / 180.0;
static const double rad_to_deg = 180.0 / M_PI;
rpy_float rpy_math_radians(rpy_float x) { return x * deg_to_rad; }
rpy_float rpy_math_degrees(rpy_float x) { return x * rad_to_deg; }

/* ---- hypot and dist: CPython's vector_norm ----
 * The coordinates (absolute values, finite) are scaled by a power of two
 * that brings the largest into [0.5, 1), so squaring neither overflows nor
 * underflows. Each square is split exactly into a double and its error
 * (fma), added to a running sum that starts at 1.0 (so every addition is
 * of a smaller number to a larger one: two-sum without a comparison) and
 * the rounding errors are kept aside. The square root of the total is
 * then corrected by one Newton step against the same exact residual,
 * which makes the result correctly rounded in all but rare cases. */

struct two_double {
    double hi, lo;
};

/* a + b and its rounding error, for |a| >= |b| */
static struct two_double fast_two_sum(double a, double b)
{
    double s = a + b;
    return (struct two_double){s, (a - s) + b};
}

/* x * y and its rounding error */
static struct two_double two_product(double x, double y)
{
    double p = x * y;
    return (struct two_double){p, fma(x, y, -p)};
}

static double vector_norm(rpy_int n, double *vec, double max, bool found_nan)
{
    if (isinf(max))
        return max;
    if (found_nan)
        return NAN;
    if (max == 0.0 || n <= 1)
        return max;
    int max_e;
    frexp(max, &max_e);
    if (max_e < -1023) {
        /* all subnormal: 2**-max_e would overflow; make them normal first */
        for (rpy_int i = 0; i < n; i++)
            vec[i] /= DBL_MIN;
        return DBL_MIN * vector_norm(n, vec, max / DBL_MIN, found_nan);
    }
    double scale = ldexp(1.0, -max_e);
    double csum = 1.0, frac1 = 0.0, frac2 = 0.0;
    for (rpy_int i = 0; i < n; i++) {
        double x = vec[i] * scale; /* exact */
        struct two_double sq = two_product(x, x);
        struct two_double sum = fast_two_sum(csum, sq.hi);
        csum = sum.hi;
        frac1 += sq.lo;
        frac2 += sum.lo;
    }
    double h = sqrt(csum - 1.0 + (frac1 + frac2));
    struct two_double sq = two_product(-h, h);
    struct two_double sum = fast_two_sum(csum, sq.hi);
    csum = sum.hi;
    frac1 += sq.lo;
    frac2 += sum.lo;
    double residual = csum - 1.0 + (frac1 + frac2);
    h += residual / (2.0 * h);
    return h / scale;
}

rpy_float rpy_math_hypot(rpy_float x, rpy_float y)
{
    double v[2] = {fabs(x), fabs(y)}, max = 0.0;
    for (int i = 0; i < 2; i++)
        if (v[i] > max) /* never a NaN */
            max = v[i];
    return vector_norm(2, v, max, isnan(v[0]) || isnan(v[1]));
}

rpy_float rpy_math_dist(const void *p, const void *q)
{
    struct numseq vp, vq;
    numseq_of(p, &vp);
    numseq_of(q, &vq);
    if (vp.len != vq.len) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, "both points must have the same number of dimensions");
        return 0.0;
    }
    double inl[16], *diffs = inl;
    if (vp.len > 16) {
        diffs = malloc((size_t)vp.len * sizeof *diffs);
        if (!diffs)
            rt_memory_error();
    }
    double max = 0.0;
    bool found_nan = false;
    for (rpy_int i = 0; i < vp.len; i++) {
        double d = fabs(numseq_float(&vp, i) - numseq_float(&vq, i));
        diffs[i] = d;
        found_nan |= isnan(d);
        if (d > max)
            max = d;
    }
    double r = vector_norm(vp.len, diffs, max, found_nan);
    if (diffs != inl)
        free(diffs);
    return r;
}

/* ---- gamma and lgamma: CPython's Lanczos approximation ----
 * For x > 0, Gamma(x) = L(x) * (x+g-0.5)**(x-0.5) / exp(x+g-0.5) with
 * the Lanczos sum L a rational function of x (N = 13, g as below, the
 * coefficients Boost uses); x + g - 0.5 is rounded, and its rounding error
 * e is fed back as the factor (1 + e*g/y). Negative x use the reflection
 * formula with an accurate sin(pi*x). Integers up to 23 come from a table
 * (exact), tiny arguments from 1/x, large ones overflow or underflow
 * directly. */

#define LANCZOS_N 13
static const double lanczos_g = 6.024680040776729583740234375;
static const double lanczos_g_minus_half = 5.524680040776729583740234375;
static const double lanczos_num[LANCZOS_N] = {
    23531376880.410759688572007674451636754734846804940,
    42919803642.649098768957899047001988850926355848959,
    35711959237.355668049440185451547166705960488635843,
    17921034426.037209699919755754458931112671403265390,
    6039542586.3520280050642916443072979210699388420708,
    1439720407.3117216736632230727949123939715485786772,
    248874557.86205415651146038641322942321632125127801,
    31426415.585400194380614231628318205362874684987640,
    2876370.6289353724412254090516208496135991145378768,
    186056.26539522349504029498971604569928220784236328,
    8071.6720023658162106380029022722506138218516325024,
    210.82427775157934587250973392071336271166969580291,
    2.5066282746310002701649081771338373386264310793408,
};
/* the denominator x*(x+1)*...*(x+11), as polynomial coefficients */
static const double lanczos_den[LANCZOS_N] = {
    0.0, 39916800.0, 120543840.0, 150917976.0, 105258076.0, 45995730.0, 13339535.0,
    2637558.0, 357423.0, 32670.0, 1925.0, 66.0, 1.0,
};
#define NGAMMA_INTEGRAL 23
static const double gamma_integral[NGAMMA_INTEGRAL] = {
    1.0, 1.0, 2.0, 6.0, 24.0, 120.0, 720.0, 5040.0, 40320.0, 362880.0, 3628800.0, 39916800.0,
    479001600.0, 6227020800.0, 87178291200.0, 1307674368000.0, 20922789888000.0,
    355687428096000.0, 6402373705728000.0, 121645100408832000.0, 2432902008176640000.0,
    51090942171709440000.0, 1124000727777607680000.0,
};
static const double logpi = 1.144729885849400174143427351353058711647;

/* L(x) for x > 0: by Horner in x below 5, in 1/x above (no overflow). */
static double lanczos_sum(double x)
{
    double num = 0.0, den = 0.0;
    if (x < 5.0) {
        for (int i = LANCZOS_N; --i >= 0;) {
            num = num * x + lanczos_num[i];
            den = den * x + lanczos_den[i];
        }
    } else {
        for (int i = 0; i < LANCZOS_N; i++) {
            num = num / x + lanczos_num[i];
            den = den / x + lanczos_den[i];
        }
    }
    return num / den;
}

/* sin(pi*x) for finite x, accurate near integers: reduce to [0, 2) and
 * pick the quadrant. */
static double sinpi(double x)
{
    double y = fmod(fabs(x), 2.0), r;
    switch ((int)round(2.0 * y)) {
    case 0: r = sin(M_PI * y); break;
    case 1: r = cos(M_PI * (y - 0.5)); break;
    case 2: r = sin(M_PI * (1.0 - y)); break; /* not -sin(pi*(y-1)): +0.0 at y == 1 */
    case 3: r = -cos(M_PI * (y - 1.5)); break;
    default: r = sin(M_PI * (y - 2.0)); break;
    }
    return copysign(1.0, x) * r;
}

static double m_tgamma(double x)
{
    if (!isfinite(x)) {
        if (isnan(x) || x > 0.0)
            return x;
        errno = EDOM;
        return NAN;
    }
    if (x == 0.0) {
        errno = EDOM;
        return copysign(HUGE_VAL, x);
    }
    if (x == floor(x)) {
        if (x < 0.0) {
            errno = EDOM;
            return NAN;
        }
        if (x <= NGAMMA_INTEGRAL)
            return gamma_integral[(int)x - 1];
    }
    double absx = fabs(x);
    if (absx < 1e-20) {
        double r = 1.0 / x;
        if (isinf(r))
            errno = ERANGE;
        return r;
    }
    if (absx > 200.0) {
        if (x < 0.0)
            return 0.0 / sinpi(x);
        errno = ERANGE;
        return HUGE_VAL;
    }
    double y = absx + lanczos_g_minus_half;
    /* z: the rounding error of y, computed without cancellation */
    double z;
    if (absx > lanczos_g_minus_half) {
        double q = y - absx;
        z = q - lanczos_g_minus_half;
    } else {
        double q = y - lanczos_g_minus_half;
        z = q - absx;
    }
    z = z * lanczos_g / y;
    double r;
    if (x < 0.0) {
        r = -M_PI / sinpi(absx) / absx * exp(y) / lanczos_sum(absx);
        r -= z * r;
        if (absx < 140.0) {
            r /= pow(y, absx - 0.5);
        } else {
            double sqrtpow = pow(y, absx / 2.0 - 0.25);
            r /= sqrtpow;
            r /= sqrtpow;
        }
    } else {
        r = lanczos_sum(absx) / exp(y);
        r += z * r;
        if (absx < 140.0) {
            r *= pow(y, absx - 0.5);
        } else {
            double sqrtpow = pow(y, absx / 2.0 - 0.25);
            r *= sqrtpow;
            r *= sqrtpow;
        }
    }
    if (isinf(r))
        errno = ERANGE;
    return r;
}

static double m_lgamma(double x)
{
    if (!isfinite(x))
        return isnan(x) ? x : HUGE_VAL;
    if (x == floor(x) && x <= 2.0) {
        if (x <= 0.0) {
            errno = EDOM; /* a pole */
            return HUGE_VAL;
        }
        return 0.0; /* lgamma(1) == lgamma(2) == 0 */
    }
    double absx = fabs(x);
    if (absx < 1e-20)
        return -log(absx);
    double r = log(lanczos_sum(absx)) - lanczos_g;
    r += (absx - 0.5) * (log(absx + lanczos_g - 0.5) - 1);
    if (x < 0.0)
        r = logpi - log(fabs(sinpi(absx))) - log(absx) - r;
    if (isinf(r))
        errno = ERANGE;
    return r;
}

rpy_float rpy_math_gamma(rpy_float x) { return math_1a(x, m_tgamma); }
rpy_float rpy_math_lgamma(rpy_float x) { return math_1a(x, m_lgamma); }
rpy_float rpy_math_erf(rpy_float x) { return math_1a(x, erf); }
rpy_float rpy_math_erfc(rpy_float x) { return math_1a(x, erfc); }

/* ---- predicates ---- */

rpy_bool rpy_math_isnan(rpy_float x) { return isnan(x); }
rpy_bool rpy_math_isinf(rpy_float x) { return isinf(x); }
rpy_bool rpy_math_isfinite(rpy_float x) { return isfinite(x); }

/* Boost's "weak" test: |a-b| within rel_tol of either, or within abs_tol.
 * Equal values (two same-signed infinities) are close; an infinity is
 * close to nothing else. */
rpy_bool rpy_math_isclose(rpy_float a, rpy_float b, rpy_float rel_tol, rpy_float abs_tol)
{
    if (rel_tol < 0.0 || abs_tol < 0.0) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, "tolerances must be non-negative");
        return false;
    }
    if (a == b)
        return true;
    if (isinf(a) || isinf(b))
        return false;
    double diff = fabs(b - a);
    return diff <= fabs(rel_tol * b) || diff <= fabs(rel_tol * a) || diff <= abs_tol;
}

/* ---- fsum: exactly rounded, by Shewchuk's partials ----
 * The running total is kept exactly, as a short array of doubles whose
 * exact sum it is: non-overlapping, increasing in magnitude. Adding x
 * runs it up the array with two-sum (hi = a + b rounded, lo = the exact
 * error, computed by the larger-first formula); each nonzero error stays
 * as a partial, and what is left of x goes on top. At the end the
 * partials are added from the top down while that is exact; where it
 * stops being exact, the error and the next partial below decide whether
 * round-half-even has to go the other way (sum([1e-16, 1, 1e16])).
 * Infinities and NaNs among the items are summed aside (inf + -inf is a
 * ValueError); an infinite total of finite items is an intermediate
 * overflow. */

struct partials {
    double *p;
    size_t n, cap;
    double inl[32];
};

static void partials_push(struct partials *ps, double x)
{
    if (ps->n == ps->cap) {
        size_t cap = ps->cap * 2;
        double *p = ps->p == ps->inl ? malloc(cap * sizeof *p) : realloc(ps->p, cap * sizeof *p);
        if (!p)
            rt_memory_error();
        if (ps->p == ps->inl)
            memcpy(p, ps->inl, sizeof ps->inl);
        ps->p = p;
        ps->cap = cap;
    }
    ps->p[ps->n++] = x;
}

/* Adds x to the exact total; returns the part left at the top (0.0 if
 * none, maybe not finite), not yet stored. */
static double partials_add(struct partials *ps, double x)
{
    size_t kept = 0;
    for (size_t j = 0; j < ps->n; j++) {
        double y = ps->p[j];
        if (fabs(x) < fabs(y)) {
            double t = x;
            x = y;
            y = t;
        }
        double hi = x + y;
        double lo = y - (hi - x);
        if (lo != 0.0)
            ps->p[kept++] = lo;
        x = hi;
    }
    ps->n = kept;
    return x;
}

/* The exact total rounded to the nearest double, ties to even. */
static double partials_round(const struct partials *ps)
{
    size_t n = ps->n;
    if (n == 0)
        return 0.0;
    double hi = ps->p[--n], lo = 0.0;
    while (n > 0) {
        double x = hi, y = ps->p[--n];
        hi = x + y;
        lo = y - (hi - x);
        if (lo != 0.0)
            break;
    }
    /* hi + lo is exact and lo is half an ulp of hi or less; if the
     * partials below push the same way, a tie was really past half */
    if (n > 0 && ((lo < 0.0 && ps->p[n - 1] < 0.0) || (lo > 0.0 && ps->p[n - 1] > 0.0))) {
        double y = lo * 2.0;
        double x = hi + y;
        if (y == x - hi)
            hi = x;
    }
    return hi;
}

rpy_float rpy_math_fsum(const void *seq)
{
    struct numseq v;
    numseq_of(seq, &v);
    struct partials ps;
    ps.p = ps.inl;
    ps.n = 0;
    ps.cap = sizeof ps.inl / sizeof ps.inl[0];
    double special = 0.0, infs = 0.0; /* sums of the non-finite items, of the infinite ones */
    double result = 0.0;
    for (rpy_int k = 0; k < v.len; k++) {
        double item = numseq_float(&v, k);
        double top = partials_add(&ps, item);
        if (top == 0.0)
            continue;
        if (isfinite(top)) {
            partials_push(&ps, top);
            continue;
        }
        if (isfinite(item)) {
            rpy_raise_builtin_c(RPY_EXC_OverflowError, "intermediate overflow in fsum");
            goto done;
        }
        if (isinf(item))
            infs += item;
        special += item;
        ps.n = 0;
    }
    if (special != 0.0) {
        if (isnan(infs))
            rpy_raise_builtin_c(RPY_EXC_ValueError, "-inf + inf in fsum");
        else
            result = special;
    } else {
        result = partials_round(&ps);
    }
done:
    if (ps.p != ps.inl)
        free(ps.p);
    return result;
}

/* math.prod: the product from left to right, start first. */
rpy_int rpy_math_prod_int(const void *seq, rpy_int start)
{
    struct numseq v;
    numseq_of(seq, &v);
    rpy_int r = start;
    for (rpy_int k = 0; k < v.len; k++) {
        if (numseq_kind(&v, k) == RPY_K_FLOAT)
            RT_DIE("math.prod: a float item in an int product");
        if (__builtin_mul_overflow(r, rpy_w_to_int(v.items[k]), &r))
            return int_overflow("integer multiplication overflow");
    }
    return r;
}

rpy_float rpy_math_prod_float(const void *seq, rpy_float start)
{
    struct numseq v;
    numseq_of(seq, &v);
    double r = start;
    for (rpy_int k = 0; k < v.len; k++)
        r *= numseq_float(&v, k);
    return r;
}

/* ---- integer functions ---- */

static uint64_t magnitude(rpy_int a) { return a < 0 ? -(uint64_t)a : (uint64_t)a; }

static uint64_t gcd_u64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

rpy_int rpy_math_gcd(rpy_int a, rpy_int b)
{
    uint64_t g = gcd_u64(magnitude(a), magnitude(b));
    if (g > INT64_MAX)
        return int_overflow("gcd() result does not fit in 64 bits");
    return (rpy_int)g;
}

rpy_int rpy_math_lcm(rpy_int a, rpy_int b)
{
    if (a == 0 || b == 0)
        return 0;
    uint64_t ua = magnitude(a), ub = magnitude(b);
    unsigned __int128 r = (unsigned __int128)(ua / gcd_u64(ua, ub)) * ub;
    if (r > INT64_MAX)
        return int_overflow("lcm() result does not fit in 64 bits");
    return (rpy_int)r;
}

rpy_int rpy_math_factorial(rpy_int n)
{
    if (n < 0) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, "factorial() not defined for negative values");
        return 0;
    }
    if (n > 20)
        return int_overflow("factorial() result does not fit in 64 bits");
    rpy_int r = 1;
    for (rpy_int k = 2; k <= n; k++)
        r *= k;
    return r;
}

rpy_int rpy_math_isqrt(rpy_int n)
{
    if (n < 0) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, "isqrt() argument must be nonnegative");
        return 0;
    }
    uint64_t un = (uint64_t)n, r = (uint64_t)sqrt((double)n); /* within one of the answer */
    while (r * r > un)
        r--;
    while ((r + 1) * (r + 1) <= un)
        r++;
    return (rpy_int)r;
}

static bool check_n_k(rpy_int n, rpy_int k)
{
    if (n < 0 || k < 0) {
        rpy_raise_builtin_c(RPY_EXC_ValueError,
                            n < 0 ? "n must be a non-negative integer" : "k must be a non-negative integer");
        return false;
    }
    return true;
}

/* C(n, j) for j = 1, 2, ... k (k <= n/2) grows with j, and each is exact
 * from the previous one: r * (n - j + 1) / j. An intermediate past 64
 * bits means the result is too. */
rpy_int rpy_math_comb(rpy_int n, rpy_int k)
{
    if (!check_n_k(n, k))
        return 0;
    if (k > n)
        return 0;
    if (k > n - k)
        k = n - k;
    unsigned __int128 r = 1;
    for (rpy_int j = 1; j <= k; j++) {
        r = r * (uint64_t)(n - j + 1) / (uint64_t)j;
        if (r > INT64_MAX)
            return int_overflow("comb() result does not fit in 64 bits");
    }
    return (rpy_int)r;
}

/* n * (n-1) * ... * (n-k+1): the factors are >= 1, so the product only
 * grows and the first overflow is final. */
rpy_int rpy_math_perm(rpy_int n, rpy_int k)
{
    if (!check_n_k(n, k))
        return 0;
    if (k > n)
        return 0;
    rpy_int r = 1;
    for (rpy_int j = 0; j < k; j++)
        if (__builtin_mul_overflow(r, n - j, &r))
            return int_overflow("perm() result does not fit in 64 bits");
    return r;
}
