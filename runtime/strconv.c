/* strconv.c - int(str) and float(str).
 *
 * Both follow CPython: surrounding whitespace (any Unicode whitespace) is
 * ignored, a sign is allowed, single underscores may separate digits,
 * and any Unicode decimal digit counts ('١٢' is 12). We first transform
 * the text to ASCII the way CPython does (_PyUnicode_TransformDecimal-
 * AndSpaceToASCII: decimal digits to '0'..'9', whitespace to ' ', any
 * other non-ASCII character to a byte no grammar accepts), then parse.
 *
 * Errors carry CPython's messages, with the repr of the original
 * argument: "invalid literal for int() with base 10: 'x'" (repr cut to
 * 200 characters, as CPython's %.200R) and "could not convert string to
 * float: 'abc'". A literal too large for 64 bits raises OverflowError
 * (CPython would make a big int).
 */
#include "runtime/rt_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ASCII view of s for parsing: s->data itself, or a transformed copy. */
struct ascii_text {
    const char *p;
    rpy_int n;
    char *owned;
};

static void ascii_text_init(struct ascii_text *t, const struct rpy_str *s)
{
    t->p = s->data;
    t->n = s->nbytes;
    t->owned = NULL;
    if (rt_str_is_ascii(s))
        return;
    char *out = malloc((size_t)s->length + 1);
    if (!out) {
        rt_memory_error();
        exit(1);
    }
    const unsigned char *p = (const unsigned char *)s->data;
    for (rpy_int i = 0; i < s->length; i++) {
        uint32_t cp = rt_utf8_decode(&p);
        int d = rt_uc_decimal_value(cp);
        out[i] = cp < 0x80 ? (char)cp : d >= 0 ? (char)('0' + d) : rt_uc_isspace(cp) ? ' ' : '\x01';
    }
    t->p = out;
    t->n = s->length;
    t->owned = out;
}

static bool ascii_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f); }

/* Trims whitespace from both ends of [*a, *z). */
static void trim(const char **a, const char **z)
{
    while (*a < *z && ascii_space(**a))
        (*a)++;
    while (*z > *a && ascii_space((*z)[-1]))
        (*z)--;
}

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

/* ---- int() ---- */

static void int_literal_error(const struct rpy_str *s, rpy_int base)
{
    struct rt_buf b;
    rt_buf_init(&b);
    char head[64];
    rt_buf_put(&b, head, (size_t)snprintf(head, sizeof head, "invalid literal for int() with base %d: ",
                                          (int)base));
    struct rt_buf r;
    rt_buf_init(&r);
    rt_str_repr_into(&r, s);
    /* %.200R: at most 200 code points of the repr. */
    const unsigned char *p = (const unsigned char *)r.data, *end = p + r.len;
    for (int k = 0; k < 200 && p < end; k++)
        p += rt_utf8_seqlen(*p);
    rt_buf_put(&b, r.data, (size_t)(p - (const unsigned char *)r.data));
    rt_buf_release(&r);
    rpy_raise_builtin(RPY_EXC_ValueError, rt_buf_to_str(&b));
}

/* Skips a 0x/0o/0b prefix matching base (base 0: any, which sets it). */
static bool skip_prefix(const char **a, const char *z, int *base)
{
    if (z - *a < 2 || (*a)[0] != '0')
        return false;
    char c = (char)((*a)[1] | 0x20);
    int b = c == 'x' ? 16 : c == 'o' ? 8 : c == 'b' ? 2 : 0;
    if (!b || (*base != 0 && *base != b))
        return false;
    *base = b;
    *a += 2;
    return true;
}

/* Digits with single underscores between them (and, after a prefix, one
 * before the first). Accumulates the magnitude; *overflow when it exceeds
 * limit. Returns false on a syntax error. */
static bool parse_digits(const char *a, const char *z, int base, bool lead_underscore, uint64_t limit,
                         uint64_t *value, bool *overflow)
{
    if (lead_underscore && a < z && *a == '_')
        a++;
    if (a == z)
        return false;
    uint64_t v = 0;
    bool prev_digit = false;
    for (; a < z; a++) {
        if (*a == '_') {
            if (!prev_digit)
                return false;
            prev_digit = false;
            continue;
        }
        int d = digit_value(*a);
        if (d >= base)
            return false;
        if (v > (limit - (uint64_t)d) / (uint64_t)base)
            *overflow = true;
        else
            v = v * (uint64_t)base + (uint64_t)d;
        prev_digit = true;
    }
    *value = v;
    return prev_digit;
}

/* Base 0 without a prefix is decimal, where a leading zero is allowed
 * only if the whole number is zero ("00" and "0_0" but not "01"). */
static bool base0_zeros_ok(const char *a, const char *z)
{
    if (a == z || *a != '0')
        return true;
    for (; a < z; a++)
        if (*a != '0' && *a != '_')
            return false;
    return true;
}

rpy_int rpy_int_from_str(const struct rpy_str *s, rpy_int base)
{
    if (base != 0 && (base < 2 || base > 36)) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, "int() base must be >= 2 and <= 36, or 0");
        return 0;
    }
    struct ascii_text t;
    ascii_text_init(&t, s);
    const char *a = t.p, *z = t.p + t.n;
    trim(&a, &z);
    bool neg = a < z && *a == '-';
    if (a < z && (*a == '-' || *a == '+'))
        a++;
    int b = (int)base;
    bool prefixed = (b == 0 || b == 16 || b == 8 || b == 2) && skip_prefix(&a, z, &b);
    bool ok = true;
    if (b == 0) {
        b = 10;
        ok = base0_zeros_ok(a, z);
    }
    uint64_t v = 0;
    bool overflow = false;
    uint64_t limit = neg ? (uint64_t)1 << 63 : ((uint64_t)1 << 63) - 1;
    ok = ok && parse_digits(a, z, b, prefixed, limit, &v, &overflow);
    free(t.owned);
    if (!ok) {
        int_literal_error(s, base);
        return 0;
    }
    if (overflow) {
        rpy_raise_builtin_c(RPY_EXC_OverflowError, "int too large to fit in 64 bits");
        return 0;
    }
    return neg ? (rpy_int)(0 - v) : (rpy_int)v;
}

/* ---- float() ---- */

static bool word_is(const char *a, const char *z, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(z - a) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((a[i] | 0x20) != w[i])
            return false;
    return true;
}

static const char *skip_digits(const char *p, const char *z)
{
    while (p < z && *p >= '0' && *p <= '9')
        p++;
    return p;
}

/* Python's float syntax, underscores already removed:
 * digits [. [digits]] | . digits, then optionally e [sign] digits. */
static bool decimal_syntax(const char *a, const char *z)
{
    const char *p = skip_digits(a, z);
    bool mant = p > a;
    if (p < z && *p == '.') {
        const char *q = skip_digits(p + 1, z);
        mant |= q > p + 1;
        p = q;
    }
    if (!mant)
        return false;
    if (p < z && (*p | 0x20) == 'e') {
        p++;
        if (p < z && (*p == '+' || *p == '-'))
            p++;
        const char *q = skip_digits(p, z);
        if (q == p)
            return false;
        p = q;
    }
    return p == z;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Copies [a, z) to out without underscores; an underscore must sit
 * between two digits. */
static bool drop_underscores(const char *a, const char *z, char *out)
{
    for (const char *p = a; p < z; p++) {
        if (*p == '_') {
            if (p == a || p + 1 == z || !is_digit(p[-1]) || !is_digit(p[1]))
                return false;
            continue;
        }
        *out++ = *p;
    }
    *out = 0;
    return true;
}

static bool parse_float(const char *a, const char *z, char *buf, rpy_float *out)
{
    trim(&a, &z);
    if (!drop_underscores(a, z, buf))
        return false;
    const char *p = buf, *e = buf + strlen(buf);
    bool neg = p < e && *p == '-';
    if (p < e && (*p == '-' || *p == '+'))
        p++;
    if (word_is(p, e, "inf") || word_is(p, e, "infinity")) {
        *out = neg ? -HUGE_VAL : HUGE_VAL;
        return true;
    }
    if (word_is(p, e, "nan")) {
        *out = neg ? -NAN : NAN;
        return true;
    }
    if (!decimal_syntax(p, e))
        return false;
    *out = strtod(buf, NULL); /* overflow gives inf, as in Python */
    return true;
}

rpy_float rpy_float_from_str(const struct rpy_str *s)
{
    struct ascii_text t;
    ascii_text_init(&t, s);
    char small[128];
    char *buf = t.n < (rpy_int)sizeof small ? small : malloc((size_t)t.n + 1);
    rpy_float v = 0.0;
    bool ok = buf && parse_float(t.p, t.p + t.n, buf, &v);
    if (buf != small)
        free(buf);
    free(t.owned);
    if (!ok) {
        struct rpy_str *msg = rt_format_with_repr("could not convert string to float: ",
                                                  rpy_w_from_ptr(s), &rpy_ti_str, "");
        rpy_raise_builtin(RPY_EXC_ValueError, msg);
        return 0.0;
    }
    return v;
}
