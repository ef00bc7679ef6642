/* floatrepr.c - repr(float) exactly as CPython prints it.
 *
 * CPython's repr is the shortest decimal string that reads back as the
 * same double (David Gay's dtoa, mode 0), and among the shortest, the one
 * nearest the true value; then it lays the digits out in fixed notation
 * when the decimal exponent is in [-4, 16) and in exponent notation
 * otherwise ('0.0001', '1e-05', '123456789.0', '1e+16', '5e-324').
 *
 * We find the digits with the C library, which is exact: snprintf("%.*e")
 * rounds the true binary value correctly and strtod reads correctly, so
 * "the nearest p-digit decimal reads back as x" is a sound test. Two
 * facts keep the number of calls small:
 *
 *  - For a normal double at most one 15-digit decimal reads back as it
 *    (that is what DBL_DIG == 15 guarantees: distinct 15-digit decimals map
 *    to distinct doubles). So if one does, it is the only candidate at every
 *    length <= 15, and the shortest form is it with trailing zeros removed.
 *  - If none of up to 15 digits works, 16 or 17 digits do; the nearest
 *    17-digit decimal always reads back.
 *
 * So a single snprintf("%.16e") gives the 17 correctly rounded digits; the
 * nearest 15- and 16-digit candidates are derived from them (falling back
 * to snprintf in the rare double-rounding case where the dropped digits
 * are exactly 5 followed by zeros), and each candidate costs one strtod.
 *
 * The nearest p-digit decimal is the candidate to try, except when x is a
 * power of two: its interval of doubles that read back as x is narrower
 * below than above, so the nearest decimal may fall just outside it while
 * its upper neighbour is inside. We then also try the neighbours.
 * Subnormals lose the uniqueness property and simply try p = 1, 2, ...
 */
#include "runtime/rt_internal.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* A decimal d[0].d[1]...d[n-1] * 10**e, digits as characters. */
struct dec {
    char d[24];
    int n;
    int e;
};

/* The nearest p-digit decimal to ax (> 0), from the C library. */
static void dec_nearest(struct dec *r, double ax, int p)
{
    char s[48];
    snprintf(s, sizeof s, "%.*e", p - 1, ax);
    const char *q = s;
    r->n = 0;
    for (; *q != 'e'; q++)
        if (*q != '.')
            r->d[r->n++] = *q;
    r->e = atoi(q + 1);
}

static bool dec_reads_back(const struct dec *c, double ax)
{
    char s[48];
    snprintf(s, sizeof s, "%c.%.*se%d", c->d[0], c->n - 1, c->d + 1, c->e);
    return strtod(s, NULL) == ax;
}

/* Rounds the 17 digits of `full` to p digits, half to even. Returns false
 * when the dropped digits are exactly 5 then zeros: they may themselves
 * have been rounded, so only the C library can decide. */
static bool dec_round_from(struct dec *r, const struct dec *full, int p)
{
    char first = full->d[p];
    bool rest_zero = true;
    for (int i = p + 1; i < full->n; i++)
        rest_zero &= full->d[i] == '0';
    if (first == '5' && rest_zero)
        return false;
    memcpy(r->d, full->d, (size_t)p);
    r->n = p;
    r->e = full->e;
    if (first < '5')
        return true;
    int i = p - 1;
    while (i >= 0 && r->d[i] == '9')
        r->d[i--] = '0';
    if (i >= 0) {
        r->d[i]++;
    } else { /* 99..9 -> 100..0: one more power of ten */
        r->d[0] = '1';
        r->e++;
    }
    return true;
}

/* The next p-digit decimal above (dir = 1) or below (dir = -1). */
static void dec_step(struct dec *c, int dir)
{
    int i = c->n - 1;
    if (dir > 0) {
        while (i >= 0 && c->d[i] == '9')
            c->d[i--] = '0';
        if (i >= 0) {
            c->d[i]++;
        } else {
            c->d[0] = '1';
            c->e++;
        }
        return;
    }
    while (i >= 0 && c->d[i] == '0')
        c->d[i--] = '9';
    c->d[i]--; /* the leading digit is nonzero, so i >= 0 */
    if (c->d[0] == '0') { /* 100..0 -> 099..9: renormalise */
        memmove(c->d, c->d + 1, (size_t)c->n - 1);
        c->d[c->n - 1] = '9';
        c->e--;
    }
}

static bool is_power_of_two(double ax)
{
    int e;
    return frexp(ax, &e) == 0.5;
}

/* The nearest p-digit candidate that reads back, trying the neighbours
 * when x is a power of two (the only case where they can win). */
static bool try_digits(struct dec *c, double ax, int p, const struct dec *full)
{
    if (!full || !dec_round_from(c, full, p))
        dec_nearest(c, ax, p);
    if (dec_reads_back(c, ax))
        return true;
    if (!is_power_of_two(ax))
        return false;
    struct dec up = *c, down = *c;
    dec_step(&up, 1);
    if (dec_reads_back(&up, ax)) {
        *c = up;
        return true;
    }
    dec_step(&down, -1);
    if (dec_reads_back(&down, ax)) {
        *c = down;
        return true;
    }
    return false;
}

/* The shortest digits of ax > 0 that read back, nearest among those. */
static void shortest_digits(struct dec *c, double ax)
{
    if (ax < DBL_MIN) {
        for (int p = 1; p < 17; p++)
            if (try_digits(c, ax, p, NULL))
                return;
        dec_nearest(c, ax, 17);
        return;
    }
    struct dec full;
    dec_nearest(&full, ax, 17);
    if (try_digits(c, ax, 15, &full) || try_digits(c, ax, 16, &full))
        return;
    *c = full;
}

/* CPython's 'r' format: exponent form outside 1e-4 <= |x| < 1e16. */
static int layout(char *buf, const struct dec *c, bool neg)
{
    char *p = buf;
    int n = c->n, e = c->e;
    if (neg)
        *p++ = '-';
    if (e < -4 || e >= 16) {
        *p++ = c->d[0];
        if (n > 1) {
            *p++ = '.';
            memcpy(p, c->d + 1, (size_t)n - 1);
            p += n - 1;
        }
        p += sprintf(p, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
    } else if (e < 0) {
        memcpy(p, "0.", 2);
        p += 2;
        memset(p, '0', (size_t)(-e - 1));
        p += -e - 1;
        memcpy(p, c->d, (size_t)n);
        p += n;
    } else if (e + 1 >= n) {
        memcpy(p, c->d, (size_t)n);
        p += n;
        memset(p, '0', (size_t)(e + 1 - n));
        p += e + 1 - n;
        memcpy(p, ".0", 2);
        p += 2;
    } else {
        memcpy(p, c->d, (size_t)e + 1);
        p += e + 1;
        *p++ = '.';
        memcpy(p, c->d + e + 1, (size_t)(n - e - 1));
        p += n - e - 1;
    }
    *p = 0;
    return (int)(p - buf);
}

int rt_float_repr(char *buf, rpy_float x)
{
    if (!isfinite(x)) {
        const char *s = isnan(x) ? "nan" : x > 0 ? "inf" : "-inf";
        strcpy(buf, s);
        return (int)strlen(s);
    }
    double ax = fabs(x);
    if (ax < 1e16 && ax == trunc(ax)) {
        /* Integral values below 1e16 print all their digits: every
         * shorter decimal is a different double. Covers 0.0 and -0.0. */
        int n = 0;
        if (signbit(x))
            buf[n++] = '-';
        n += rt_int_format(buf + n, (rpy_int)ax);
        memcpy(buf + n, ".0", 3);
        return n + 2;
    }
    struct dec c;
    shortest_digits(&c, ax);
    while (c.n > 1 && c.d[c.n - 1] == '0')
        c.n--;
    return layout(buf, &c, x < 0);
}

struct rpy_str *rpy_str_from_float(rpy_float v)
{
    char buf[RT_FLOAT_BUFSIZE];
    int n = rt_float_repr(buf, v);
    struct rpy_str *s = rt_str_alloc(n, n);
    memcpy(s->data, buf, (size_t)n);
    return s;
}
