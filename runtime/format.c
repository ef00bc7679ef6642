/* format.c - the three ways Python formats values into text, with
 * CPython 3.11's exact output and errors:
 *
 *   format(x, spec) / f"{x:spec}"   the format-spec mini-language
 *       [[fill]align][sign][z][#][0][width][,|_][.precision][type]
 *       (CPython: Python/formatter_unicode.c)
 *   fmt % args                      printf-style conversions
 *       (Objects/unicodeobject.c: PyUnicode_Format)
 *   fmt.format(*args)               replacement fields {0!r:>{1}}
 *       (Objects/stringlib/unicode_format.h)
 *
 * The structure follows CPython's so that the corner cases come out the
 * same: which error wins when a spec has several faults, where zero
 * padding meets thousands separators ('0,001' for format(1, '05,')), when
 * an argument is fetched relative to a bad conversion character.
 *
 * Floats. CPython formats through David Gay's dtoa: a digit string and
 * the decimal point's position, correctly rounded (ties to even on the
 * exact binary value), then PyOS_double_to_string lays the digits out
 * ('e', 'f', 'g', 'r' for repr) with its padding, trimming and exponent
 * rules. glibc's printf("%.*e") and ("%.*f") are correctly rounded in the
 * same sense for any precision, so dtoa_digits() takes the digits from
 * them (mode 2: n significant digits; mode 3: n digits after the point)
 * and from rt_float_repr (mode 0: the shortest round trip), and
 * double_to_text() is PyOS_double_to_string's layout step.
 *
 * Memory. Text is built in struct rt_buf (malloc memory), never in the GC
 * heap, so a collection during the work (str() of an instance runs
 * program code) moves nothing we write into. The GC objects read (the
 * format string, the argument tuple) are rooted, and their data pointers
 * are re-read after every call that may collect. A spec string is parsed
 * into struct spec before anything allocates. Errors are raised with
 * messages built in C memory and allocated without collecting, as
 * rpy_raise_builtin_c does; the functions then return the empty string as
 * their dummy.
 *
 * Not supported (clear errors instead): %(name)s mapping keys, and
 * attribute or index lookups in str.format fields ({0.x}, {0[1]});
 * keyword fields ({name}) take the keyword arguments of
 * rpy_str_format_kw, and raise CPython's KeyError when there is none of
 * that name. The 'n' type uses the C locale, as CPython does
 * unless the program calls locale.setlocale.
 */
#include "runtime/rt_internal.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* errors                                                               */
/* ------------------------------------------------------------------ */

/* Raises e with the message p[0..n) (any bytes, NULs included), allocated
 * without collecting like every built-in raise. */
static void raise_bytes(enum rpy_exc e, const char *p, size_t n)
{
    if (!rpy_exc_tids[e]) {
        /* No exception classes (a unit test of the runtime): rpy_raise_builtin
         * reports and exits; a C string suffices. */
        char *msg = malloc(n + 1);
        if (!msg) {
            rt_memory_error();
            return;
        }
        memcpy(msg, p, n);
        msg[n] = 0;
        rpy_raise_builtin_c(e, msg);
        free(msg);
        return;
    }
    struct rpy_str *s = rt_gc_malloc_nocollect(&rpy_ti_str, sizeof(struct rpy_str) + n + 1);
    s->hash = -1;
    s->nbytes = (rpy_int)n;
    s->length = rt_utf8_count(p, (rpy_int)n);
    memcpy(s->data, p, n);
    s->data[n] = 0;
    rpy_raise_builtin(e, s);
}

static void raise_buf(enum rpy_exc e, struct rt_buf *m)
{
    raise_bytes(e, m->data, m->len);
    rt_buf_release(m);
}

static void raise_f(enum rpy_exc e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void raise_f(enum rpy_exc e, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    raise_bytes(e, msg, n < 0 ? 0 : (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
}

static void value_error(const char *msg) { rpy_raise_builtin_c(RPY_EXC_ValueError, msg); }

/* A presentation type or conversion character in an error message: as
 * itself when printable ASCII (lo < c < hi), else as \x.. (CPython). */
static void put_code(struct rt_buf *m, uint32_t c, uint32_t hi)
{
    char tmp[16];
    if (c > 32 && c < hi)
        rt_buf_putc(m, (char)c);
    else
        rt_buf_put(m, tmp, (size_t)snprintf(tmp, sizeof tmp, "\\x%x", (unsigned)c));
}

/* The name CPython's messages give the type of a value (tp_name): for an
 * instance its own class, without the module. */
static const char *type_name(rpy_word v, const struct rpy_typeinfo *ti)
{
    if (ti->kind == RPY_K_INSTANCE && v) {
        const struct rpy_typeinfo *dyn = rt_ti_of(rpy_w_to_ptr(v));
        const char *name = dyn->cls ? dyn->cls->name : dyn->name ? dyn->name : "object";
        const char *dot = strrchr(name, '.');
        return dot ? dot + 1 : name;
    }
    return rt_type_name(v, ti);
}

/* ------------------------------------------------------------------ */
/* small text helpers                                                   */
/* ------------------------------------------------------------------ */

static void put_cp(struct rt_buf *b, uint32_t cp)
{
    char tmp[4];
    rt_buf_put(b, tmp, (size_t)rt_utf8_encode(tmp, cp));
}

static void put_fill(struct rt_buf *b, uint32_t cp, rpy_int n)
{
    if (n <= 0)
        return;
    char tmp[4];
    size_t k = (size_t)rt_utf8_encode(tmp, cp);
    if ((uint64_t)n > (SIZE_MAX - b->len) / k) { /* a width near 2**63: CPython's MemoryError */
        rt_memory_error();
        return;
    }
    rt_buf_reserve(b, k * (size_t)n);
    if (k == 1) {
        memset(b->data + b->len, tmp[0], (size_t)n);
        b->len += (size_t)n;
        return;
    }
    for (rpy_int i = 0; i < n; i++) {
        memcpy(b->data + b->len, tmp, k);
        b->len += k;
    }
}

/* Bytes taken by the first k code points of p[0..n). */
static size_t cp_bytes(const char *p, size_t n, rpy_int k)
{
    size_t off = 0;
    for (; k > 0 && off < n; k--)
        off += (size_t)rt_utf8_seqlen((unsigned char)p[off]);
    return off < n ? off : n;
}

/* ascii(): the repr text p[0..n) with every non-ASCII code point as
 * \xNN, \uNNNN or \UNNNNNNNN (the backslashreplace of CPython). */
static void ascii_escape_into(struct rt_buf *b, const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p, *end = s + n;
    char tmp[16];
    while (s < end) {
        uint32_t cp = rt_utf8_decode(&s);
        if (cp < 0x80)
            rt_buf_putc(b, (char)cp);
        else if (cp <= 0xff)
            rt_buf_put(b, tmp, (size_t)snprintf(tmp, sizeof tmp, "\\x%02x", (unsigned)cp));
        else if (cp <= 0xffff)
            rt_buf_put(b, tmp, (size_t)snprintf(tmp, sizeof tmp, "\\u%04x", (unsigned)cp));
        else
            rt_buf_put(b, tmp, (size_t)snprintf(tmp, sizeof tmp, "\\U%08x", (unsigned)cp));
    }
}

/* repr(v) escaped to ASCII into b; may run program code (__repr__). */
static void ascii_into(struct rt_buf *b, rpy_word v, const struct rpy_typeinfo *ti)
{
    struct rt_buf r;
    rt_buf_init(&r);
    rt_repr_into(&r, v, ti);
    if (!rpy_exc_occurred())
        ascii_escape_into(b, r.data, r.len);
    rt_buf_release(&r);
}

/* Digits of u in base 2, 8, 10 or 16 into buf (64 bytes); returns the count. */
static int u64_digits(char *buf, uint64_t u, int base, bool upper)
{
    const char *digs = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[64];
    int n = 0;
    do {
        tmp[n++] = digs[u % (unsigned)base];
        u /= (unsigned)base;
    } while (u);
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    return n;
}

static uint64_t magnitude(rpy_int v) { return v < 0 ? 0 - (uint64_t)v : (uint64_t)v; }

/* ------------------------------------------------------------------ */
/* floats as digit strings (dtoa) and their layout                      */
/* ------------------------------------------------------------------ */

/* Reads a decimal numeral ("123.45", "1.5e+16", "0.000") into dig as dtoa
 * returns it: no leading or trailing zeros ("0" for zero), with *decpt
 * the position of the decimal point (value = 0.DIGITS * 10**decpt). */
static void parse_numeral(const char *s, struct rt_buf *dig, rpy_int *decpt)
{
    rpy_int intlen = 0, exp = 0;
    dig->len = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++, intlen++)
        rt_buf_putc(dig, *p);
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            rt_buf_putc(dig, *p);
    if (*p == 'e' || *p == 'E')
        exp = strtol(p + 1, NULL, 10);
    size_t lead = 0;
    while (lead < dig->len && dig->data[lead] == '0')
        lead++;
    if (lead == dig->len) {
        dig->len = 0;
        rt_buf_putc(dig, '0');
        *decpt = 1;
        return;
    }
    memmove(dig->data, dig->data + lead, dig->len - lead);
    dig->len -= lead;
    *decpt = intlen - (rpy_int)lead + exp;
    while (dig->data[dig->len - 1] == '0')
        dig->len--;
}

/* The digits of ax (finite, >= 0) as _Py_dg_dtoa(ax, mode, nd) gives
 * them. mode 0: shortest round trip; 2: nd significant digits (nd >= 1);
 * 3: nd digits after the point. glibc's printf rounds correctly, ties
 * to even, as dtoa does. (A value that mode 3 rounds to nothing comes
 * out as "0" with decpt 1 rather than dtoa's "" with decpt -nd; the text
 * laid out from either is the same.) */
static void dtoa_digits(struct rt_buf *dig, double ax, int mode, long long nd, rpy_int *decpt)
{
    if (mode == 0) {
        char r[RT_FLOAT_BUFSIZE];
        rt_float_repr(r, ax);
        parse_numeral(r, dig, decpt);
        return;
    }
    struct rt_buf tmp;
    rt_buf_init(&tmp);
    size_t room = (size_t)nd + (mode == 2 ? 16 : 330);
    rt_buf_reserve(&tmp, room);
    if (mode == 2)
        snprintf(tmp.data, room, "%.*e", (int)(nd - 1), ax);
    else
        snprintf(tmp.data, room, "%.*f", (int)nd, ax);
    parse_numeral(tmp.data, dig, decpt);
    rt_buf_release(&tmp);
}

static void put_zeros(struct rt_buf *b, rpy_int n) { put_fill(b, '0', n); }

/* Writes [vstart, vend) of the digits d[0..dlen) extended with zeros on
 * both sides, with a point at decpt (vstart < decpt <= vend): exactly
 * one of the three pieces below holds the point. */
static void put_digit_slice(struct rt_buf *out, const char *d, rpy_int dlen, rpy_int decpt, rpy_int vstart,
                            rpy_int vend)
{
    if (decpt <= 0) { /* zeros on the left, the point among them */
        put_zeros(out, decpt - vstart);
        rt_buf_putc(out, '.');
        put_zeros(out, -decpt);
    } else {
        put_zeros(out, -vstart);
    }
    if (0 < decpt && decpt <= dlen) { /* the point among the digits */
        rt_buf_put(out, d, (size_t)decpt);
        rt_buf_putc(out, '.');
        rt_buf_put(out, d + decpt, (size_t)(dlen - decpt));
    } else {
        rt_buf_put(out, d, (size_t)dlen);
    }
    if (dlen < decpt) { /* zeros on the right, the point among them */
        put_zeros(out, decpt - dlen);
        rt_buf_putc(out, '.');
        put_zeros(out, vend - decpt);
    } else {
        put_zeros(out, vend - dlen);
    }
}

enum { DT_ADD_DOT_0 = 1, DT_ALT = 2, DT_NO_NEG_0 = 4 };

/* PyOS_double_to_string(x, code, prec, flags): code is one of e E f F g
 * G r. Appends to out, ASCII. */
static void double_to_text(struct rt_buf *out, double x, char code, long long prec, unsigned flags)
{
    bool upper = code == 'E' || code == 'F' || code == 'G';
    if (upper)
        code = (char)(code - 'A' + 'a');
    int mode = 0;
    switch (code) {
    case 'e': mode = 2; prec++; break;
    case 'f': mode = 3; break;
    case 'g': mode = 2; if (prec == 0) prec = 1; break;
    default: mode = 0; break;
    }
    if (isnan(x)) { /* the sign of a nan is not shown */
        rt_buf_puts(out, upper ? "NAN" : "nan");
        return;
    }
    bool neg = signbit(x) != 0;
    if (isinf(x)) {
        rt_buf_puts(out, neg ? (upper ? "-INF" : "-inf") : (upper ? "INF" : "inf"));
        return;
    }
    struct rt_buf dig;
    rt_buf_init(&dig);
    rpy_int decpt;
    dtoa_digits(&dig, fabs(x), mode, prec, &decpt);
    const char *d = dig.data;
    rpy_int dlen = (rpy_int)dig.len;
    if ((flags & DT_NO_NEG_0) && dlen == 1 && d[0] == '0')
        neg = false; /* 'z': a value that rounds to zero prints unsigned */

    /* The output is a slice [vstart, vend) of the digits padded with zeros
     * on both sides, with the point at decpt (PyOS_double_to_string). */
    bool use_exp = false;
    rpy_int vend = dlen, exp = 0;
    switch (code) {
    case 'e':
        use_exp = true;
        vend = prec;
        break;
    case 'f':
        vend = decpt + prec;
        break;
    case 'g':
        if (decpt <= -4 || decpt > ((flags & DT_ADD_DOT_0) ? prec - 1 : prec))
            use_exp = true;
        if (flags & DT_ALT)
            vend = prec;
        break;
    default: /* 'r': exponent from 1e16 on, as repr */
        if (decpt <= -4 || decpt > 16)
            use_exp = true;
        break;
    }
    if (use_exp) {
        exp = decpt - 1;
        decpt = 1;
    }
    rpy_int vstart = decpt <= 0 ? decpt - 1 : 0;
    if (!use_exp && (flags & DT_ADD_DOT_0))
        vend = vend > decpt ? vend : decpt + 1;
    else
        vend = vend > decpt ? vend : decpt;

    if (neg)
        rt_buf_putc(out, '-');
    put_digit_slice(out, d, dlen, decpt, vstart, vend);
    if (out->data[out->len - 1] == '.' && !(flags & DT_ALT))
        out->len--;
    if (use_exp) {
        char tmp[16];
        rt_buf_putc(out, upper ? 'E' : 'e');
        rt_buf_put(out, tmp, (size_t)snprintf(tmp, sizeof tmp, "%+.02d", (int)exp));
    }
    rt_buf_release(&dig);
}

/* ------------------------------------------------------------------ */
/* the format-spec mini-language                                        */
/* ------------------------------------------------------------------ */

struct spec {
    uint32_t fill;  /* a code point; ' ' by default */
    uint32_t align; /* '<' '>' '^' '=' */
    uint32_t sign;  /* 0, '+', '-', ' ' */
    bool no_neg_0;  /* 'z' */
    bool alt;       /* '#' */
    rpy_int width;  /* -1: not given */
    char sep;       /* 0, ',' or '_' */
    int group;      /* digits between separators: 3, or 4 for '_' with b o x X */
    rpy_int prec;   /* -1: not given */
    uint32_t type;  /* the presentation type; 0 when omitted for floats */
};

static bool is_align(uint32_t c) { return c == '<' || c == '>' || c == '=' || c == '^'; }

/* Decimal digits (any Unicode decimal, as CPython) from c[*i]: returns
 * how many, or -1 after raising on overflow. */
static rpy_int get_number(const uint32_t *c, size_t n, size_t *i, rpy_int *out)
{
    rpy_int acc = 0, nd = 0;
    for (; *i < n; (*i)++, nd++) {
        int d = rt_uc_decimal_value(c[*i]);
        if (d < 0)
            break;
        if (acc > (INT64_MAX - d) / 10) {
            value_error("Too many decimal digits in format string");
            return -1;
        }
        acc = acc * 10 + d;
    }
    *out = acc;
    return nd;
}

static bool sep_error(char sep, uint32_t type)
{
    struct rt_buf m;
    rt_buf_init(&m);
    rt_buf_puts(&m, "Cannot specify '");
    rt_buf_putc(&m, sep);
    rt_buf_puts(&m, "' with '");
    put_code(&m, type, 128);
    rt_buf_puts(&m, "'.");
    raise_buf(RPY_EXC_ValueError, &m);
    return false;
}

/* The rest of a spec from c[i]: [width][,|_][.precision][type]. */
static bool parse_width_on(const uint32_t *c, size_t n, size_t i, const char *text, size_t nbytes,
                           struct spec *sp, const char *tname)
{
    rpy_int nd = get_number(c, n, &i, &sp->width);
    if (nd < 0)
        return false;
    if (nd == 0)
        sp->width = -1;
    if (i < n && c[i] == ',') {
        sp->sep = ',';
        i++;
    }
    if (i < n && c[i] == '_') {
        if (sp->sep) {
            value_error("Cannot specify both ',' and '_'.");
            return false;
        }
        sp->sep = '_';
        i++;
    }
    if (i < n && c[i] == ',' && sp->sep == '_') {
        value_error("Cannot specify both ',' and '_'.");
        return false;
    }
    if (i < n && c[i] == '.') {
        i++;
        nd = get_number(c, n, &i, &sp->prec);
        if (nd < 0)
            return false;
        if (nd == 0) {
            value_error("Format specifier missing precision");
            return false;
        }
    }
    if (n - i > 1) {
        struct rt_buf m;
        rt_buf_init(&m);
        rt_buf_puts(&m, "Invalid format specifier '");
        rt_buf_put(&m, text, nbytes);
        rt_buf_puts(&m, "' for object of type '");
        rt_buf_puts(&m, tname);
        rt_buf_puts(&m, "'");
        raise_buf(RPY_EXC_ValueError, &m);
        return false;
    }
    if (n - i == 1)
        sp->type = c[i];
    if (sp->sep) {
        switch (sp->type) {
        case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case 0:
            break;
        case 'b': case 'o': case 'x': case 'X':
            if (sp->sep == '_') {
                sp->group = 4;
                break;
            }
            return sep_error(sp->sep, sp->type);
        default:
            return sep_error(sp->sep, sp->type);
        }
    }
    return true;
}

/* parse_internal_render_format_spec on the code points c[0..n): the
 * part up to the width, [[fill]align][sign][z][#][0]; text is the spec
 * itself, for the "Invalid format specifier" message. */
static bool parse_cps(const uint32_t *c, size_t n, const char *text, size_t nbytes, struct spec *sp,
                      uint32_t default_type, uint32_t default_align, const char *tname)
{
    *sp = (struct spec){.fill = ' ', .align = default_align, .width = -1, .group = 3, .prec = -1,
                        .type = default_type};
    bool fill_given = false, align_given = false;
    size_t i = 0;
    if (n >= 2 && is_align(c[1])) {
        sp->align = c[1];
        sp->fill = c[0];
        fill_given = align_given = true;
        i = 2;
    } else if (n >= 1 && is_align(c[0])) {
        sp->align = c[0];
        align_given = true;
        i = 1;
    }
    if (i < n && (c[i] == '+' || c[i] == '-' || c[i] == ' '))
        sp->sign = c[i++];
    if (i < n && c[i] == 'z') {
        sp->no_neg_0 = true;
        i++;
    }
    if (i < n && c[i] == '#') {
        sp->alt = true;
        i++;
    }
    if (!fill_given && i < n && c[i] == '0') {
        /* Zero padding: sign-aware for numbers, a plain fill for strs. */
        sp->fill = '0';
        if (!align_given && default_align == '>')
            sp->align = '=';
        i++;
    }
    return parse_width_on(c, n, i, text, nbytes, sp, tname);
}

/* Parses spec text (UTF-8) into *sp; false after raising ValueError. */
static bool parse_spec(const char *text, size_t nbytes, struct spec *sp, uint32_t default_type,
                       uint32_t default_align, const char *tname)
{
    uint32_t small[64];
    uint32_t *c = nbytes <= 64 ? small : malloc(nbytes * sizeof *c);
    if (!c) {
        rt_memory_error();
        return false;
    }
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)text, *end = p + nbytes;
    while (p < end)
        c[n++] = rt_utf8_decode(&p);
    bool ok = parse_cps(c, n, text, nbytes, sp, default_type, default_align, tname);
    if (c != small)
        free(c);
    return ok;
}

static bool unknown_code(uint32_t type, const char *tname)
{
    struct rt_buf m;
    rt_buf_init(&m);
    rt_buf_puts(&m, "Unknown format code '");
    put_code(&m, type, 128);
    rt_buf_puts(&m, "' for object of type '");
    rt_buf_puts(&m, tname);
    rt_buf_puts(&m, "'");
    raise_buf(RPY_EXC_ValueError, &m);
    return false;
}

/* A number ready to be laid out: [sign] prefix digits [.] remainder. */
struct number {
    bool neg;
    const char *prefix; /* "0x" ...; NULL for none */
    const char *digits; /* grouped and zero-padded */
    rpy_int ndigits;
    bool has_decimal;
    const char *rem; /* after the point: fraction, exponent, '%'; or the character of 'c' */
    size_t rem_bytes;
    rpy_int rem_cps;
};

/* _PyUnicode_InsertThousandsGrouping: the digits with `sep` every `group`
 * digits from the right (group 0: no separators), zero-padded on the left
 * (separators between the zeros too) to at least min_width characters.
 * Written right to left into rev; returns the character count. */
static rpy_int group_digits(struct rt_buf *rev, const char *d, rpy_int nd, rpy_int min_width, int group, char sep)
{
    rpy_int count = 0, remaining = nd, pos = nd;
    bool use_sep = false;
    if (min_width < 0)
        min_width = 0;
    for (;;) {
        rpy_int len = remaining > min_width ? remaining : min_width;
        if (len < 1)
            len = 1;
        if (group > 0 && len > group)
            len = group;
        rpy_int zeros = len > remaining ? len - remaining : 0;
        rpy_int chars = remaining < len ? remaining : len;
        if (chars < 0)
            chars = 0;
        if (use_sep) {
            rt_buf_putc(rev, sep);
            count++;
        }
        for (rpy_int k = 0; k < chars; k++)
            rt_buf_putc(rev, d[--pos]);
        put_zeros(rev, zeros);
        count += zeros + chars;
        if (group <= 0)
            return count;
        use_sep = true;
        remaining -= chars;
        min_width -= len;
        if (remaining <= 0 && min_width <= 0)
            return count;
        min_width -= 1;
    }
}

/* calc_number_widths + fill_number: lays num out per sp into out. */
static void put_number(struct rt_buf *out, const struct spec *sp, const struct number *num)
{
    char sign = 0;
    if (sp->sign == '+')
        sign = num->neg ? '-' : '+';
    else if (sp->sign == ' ')
        sign = num->neg ? '-' : ' ';
    else if (num->neg)
        sign = '-';
    rpy_int nprefix = num->prefix ? (rpy_int)strlen(num->prefix) : 0;
    rpy_int nondigit = (sign != 0) + nprefix + num->has_decimal + num->rem_cps;
    rpy_int min_width = sp->fill == '0' && sp->align == '=' ? sp->width - nondigit : 0;

    struct rt_buf rev;
    rt_buf_init(&rev);
    rpy_int ngrouped = 0;
    if (num->ndigits > 0)
        ngrouped = group_digits(&rev, num->digits, num->ndigits, min_width, sp->sep ? sp->group : 0, sp->sep);

    rpy_int lpad = 0, spad = 0, rpad = 0;
    rpy_int padding = sp->width - (nondigit + ngrouped);
    if (padding > 0) {
        switch (sp->align) {
        case '<': rpad = padding; break;
        case '^': lpad = padding / 2; rpad = padding - lpad; break;
        case '=': spad = padding; break;
        default: lpad = padding; break;
        }
    }
    put_fill(out, sp->fill, lpad);
    if (sign)
        rt_buf_putc(out, sign);
    if (nprefix)
        rt_buf_put(out, num->prefix, (size_t)nprefix);
    put_fill(out, sp->fill, spad);
    rt_buf_reserve(out, rev.len);
    for (size_t k = rev.len; k > 0; k--)
        out->data[out->len++] = rev.data[k - 1];
    rt_buf_release(&rev);
    if (num->has_decimal)
        rt_buf_putc(out, '.');
    rt_buf_put(out, num->rem, num->rem_bytes);
    put_fill(out, sp->fill, rpad);
}

/* format_long_internal: the integer presentation types b c d n o x X. */
static bool int_into(struct rt_buf *out, rpy_int v, const struct spec *sp)
{
    if (sp->prec != -1) {
        value_error("Precision not allowed in integer format specifier");
        return false;
    }
    if (sp->no_neg_0) {
        value_error("Negative zero coercion (z) not allowed in integer format specifier");
        return false;
    }
    struct number num = {0};
    char buf[72];
    if (sp->type == 'c') {
        if (sp->sign) {
            value_error("Sign not allowed with integer format specifier 'c'");
            return false;
        }
        if (sp->alt) {
            value_error("Alternate form (#) not allowed with integer format specifier 'c'");
            return false;
        }
        if (v < 0 || v > 0x10ffff) {
            rpy_raise_builtin_c(RPY_EXC_OverflowError, "%c arg not in range(0x110000)");
            return false;
        }
        num.rem = buf;
        num.rem_bytes = (size_t)rt_utf8_encode(buf, (uint32_t)v);
        num.rem_cps = 1;
        put_number(out, sp, &num);
        return true;
    }
    int base = 10;
    switch (sp->type) {
    case 'b': base = 2; num.prefix = "0b"; break;
    case 'o': base = 8; num.prefix = "0o"; break;
    case 'x': base = 16; num.prefix = "0x"; break;
    case 'X': base = 16; num.prefix = "0X"; break;
    default: break;
    }
    if (!sp->alt)
        num.prefix = NULL;
    num.neg = v < 0;
    num.digits = buf;
    num.ndigits = u64_digits(buf, magnitude(v), base, sp->type == 'X');
    num.rem = "";
    put_number(out, sp, &num);
    return true;
}

/* format_float_internal: the float presentation types e E f F g G n %
 * and none. */
static bool float_into(struct rt_buf *out, double x, const struct spec *sp)
{
    if (sp->prec > INT_MAX) {
        value_error("precision too big");
        return false;
    }
    long long prec = sp->prec, default_prec = 6;
    unsigned flags = (sp->alt ? DT_ALT : 0) | (sp->no_neg_0 ? DT_NO_NEG_0 : 0);
    uint32_t type = sp->type;
    if (type == 0) { /* like repr, or 'g' with at least one digit after the point */
        flags |= DT_ADD_DOT_0;
        type = 'r';
        default_prec = 0;
    }
    if (type == 'n')
        type = 'g';
    bool percent = type == '%';
    if (percent) {
        type = 'f';
        x *= 100;
    }
    if (prec < 0)
        prec = default_prec;
    else if (type == 'r')
        type = 'g';
    struct rt_buf text;
    rt_buf_init(&text);
    double_to_text(&text, x, (char)type, prec, flags);
    if (percent)
        rt_buf_putc(&text, '%');
    rt_buf_putc(&text, 0);

    struct number num = {0};
    const char *p = text.data;
    if (*p == '-') {
        num.neg = true;
        p++;
    }
    num.digits = p;
    while (*p >= '0' && *p <= '9')
        p++;
    num.ndigits = p - num.digits;
    if (*p == '.') {
        num.has_decimal = true;
        p++;
    }
    num.rem = p;
    num.rem_bytes = strlen(p);
    num.rem_cps = (rpy_int)num.rem_bytes;
    put_number(out, sp, &num);
    rt_buf_release(&text);
    return true;
}

/* The checks of format_string_internal; false after raising. */
static bool text_spec_ok(const struct spec *sp)
{
    if (sp->sign) {
        value_error(sp->sign == ' ' ? "Space not allowed in string format specifier"
                                    : "Sign not allowed in string format specifier");
        return false;
    }
    if (sp->no_neg_0) {
        value_error("Negative zero coercion (z) not allowed in string format specifier");
        return false;
    }
    if (sp->alt) {
        value_error("Alternate form (#) not allowed in string format specifier");
        return false;
    }
    if (sp->align == '=') {
        value_error("'=' alignment not allowed in string format specifier");
        return false;
    }
    return true;
}

/* Whether format_string_internal returns the str itself: no padding, no
 * truncation. */
static bool text_unchanged(const struct spec *sp, rpy_int ncp)
{
    return (sp->width == -1 || sp->width <= ncp) && (sp->prec == -1 || sp->prec >= ncp);
}

/* format_string_internal: the text p[0..nbytes) of ncp code points. */
static bool text_into(struct rt_buf *out, const char *p, size_t nbytes, rpy_int ncp, const struct spec *sp)
{
    if (!text_spec_ok(sp))
        return false;
    rpy_int len = ncp;
    if (sp->prec >= 0 && len >= sp->prec)
        len = sp->prec;
    size_t bytes = len == ncp ? nbytes : cp_bytes(p, nbytes, len);
    rpy_int total = sp->width > len ? sp->width : len;
    rpy_int lpad = sp->align == '>' ? total - len : sp->align == '^' ? (total - len) / 2 : 0;
    put_fill(out, sp->fill, lpad);
    rt_buf_put(out, p, bytes);
    put_fill(out, sp->fill, total - len - lpad);
    return true;
}

/* format(v, spec) of an int (or a bool: "True" for an empty spec, else
 * an int with 'bool' in the messages) into out. */
static bool format_int_spec(struct rt_buf *out, rpy_int v, bool is_bool, const char *spec, size_t n)
{
    const char *tname = is_bool ? "bool" : "int";
    if (n == 0) {
        char buf[RT_INT_BUFSIZE];
        if (is_bool)
            rt_buf_puts(out, v ? "True" : "False");
        else
            rt_buf_put(out, buf, (size_t)rt_int_format(buf, v));
        return true;
    }
    struct spec sp;
    if (!parse_spec(spec, n, &sp, 'd', '>', tname))
        return false;
    switch (sp.type) {
    case 'b': case 'c': case 'd': case 'o': case 'x': case 'X': case 'n':
        return int_into(out, v, &sp);
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%':
        return float_into(out, (double)v, &sp);
    default:
        return unknown_code(sp.type, tname);
    }
}

static bool format_float_spec(struct rt_buf *out, double x, const char *spec, size_t n)
{
    if (n == 0) {
        char buf[RT_FLOAT_BUFSIZE];
        rt_buf_put(out, buf, (size_t)rt_float_repr(buf, x));
        return true;
    }
    struct spec sp;
    if (!parse_spec(spec, n, &sp, 0, '>', "float"))
        return false;
    switch (sp.type) {
    case 0: case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n': case '%':
        return float_into(out, x, &sp);
    default:
        return unknown_code(sp.type, "float");
    }
}

/* The text p[0..nbytes) is not GC memory, or nothing here allocates
 * before it is copied. */
static bool format_text_spec(struct rt_buf *out, const char *p, size_t nbytes, rpy_int ncp, const char *spec,
                             size_t n)
{
    if (n == 0) {
        rt_buf_put(out, p, nbytes);
        return true;
    }
    struct spec sp;
    if (!parse_spec(spec, n, &sp, 's', '<', "str"))
        return false;
    if (sp.type != 's')
        return unknown_code(sp.type, "str");
    return text_into(out, p, nbytes, ncp, &sp);
}

static bool unsupported_spec(rpy_word v, const struct rpy_typeinfo *ti)
{
    raise_f(RPY_EXC_TypeError, "unsupported format string passed to %.200s.__format__", type_name(v, ti));
    return false;
}

/* format(v, spec) of a value of any type into out; may run program code
 * (str() of an instance), which may collect: spec must not be GC memory. */
static bool format_value_into(struct rt_buf *out, rpy_word v, const struct rpy_typeinfo *ti, const char *spec,
                              size_t n)
{
    switch (ti->kind) {
    case RPY_K_INT:
        return format_int_spec(out, rpy_w_to_int(v), false, spec, n);
    case RPY_K_BOOL:
        return format_int_spec(out, v != 0, true, spec, n);
    case RPY_K_FLOAT:
        return format_float_spec(out, rpy_w_to_float(v), spec, n);
    case RPY_K_STR:
        if (v) {
            const struct rpy_str *s = rpy_w_to_ptr(v);
            return format_text_spec(out, s->data, (size_t)s->nbytes, s->length, spec, n);
        }
        break;
    default:
        break;
    }
    /* object.__format__: str(v) for an empty spec, else TypeError */
    if (n != 0)
        return unsupported_spec(v, ti);
    rt_str_into(out, v, ti);
    return !rpy_exc_occurred();
}

static struct rpy_str *finish(struct rt_buf *b, bool ok)
{
    if (!ok) {
        rt_buf_release(b);
        return rt_str_empty();
    }
    return rt_buf_to_str(b);
}

struct rpy_str *rpy_format_int(rpy_int v, const struct rpy_str *spec)
{
    if (spec->nbytes == 0)
        return rpy_str_from_int(v);
    struct rt_buf b;
    rt_buf_init(&b);
    return finish(&b, format_int_spec(&b, v, false, spec->data, (size_t)spec->nbytes));
}

struct rpy_str *rpy_format_bool(rpy_bool v, const struct rpy_str *spec)
{
    if (spec->nbytes == 0)
        return rpy_str_from_bool(v);
    struct rt_buf b;
    rt_buf_init(&b);
    return finish(&b, format_int_spec(&b, v != 0, true, spec->data, (size_t)spec->nbytes));
}

struct rpy_str *rpy_format_float(rpy_float v, const struct rpy_str *spec)
{
    if (spec->nbytes == 0)
        return rpy_str_from_float(v);
    struct rt_buf b;
    rt_buf_init(&b);
    return finish(&b, format_float_spec(&b, v, spec->data, (size_t)spec->nbytes));
}

struct rpy_str *rpy_format_str(const struct rpy_str *s, const struct rpy_str *spec)
{
    if (spec->nbytes == 0)
        return (struct rpy_str *)s;
    struct spec sp;
    if (!parse_spec(spec->data, (size_t)spec->nbytes, &sp, 's', '<', "str"))
        return rt_str_empty();
    if (sp.type != 's') {
        unknown_code(sp.type, "str");
        return rt_str_empty();
    }
    if (!text_spec_ok(&sp))
        return rt_str_empty();
    if (text_unchanged(&sp, s->length))
        return (struct rpy_str *)s;
    struct rt_buf b;
    rt_buf_init(&b);
    text_into(&b, s->data, (size_t)s->nbytes, s->length, &sp);
    return rt_buf_to_str(&b);
}

struct rpy_str *rpy_format_value(rpy_word v, const struct rpy_typeinfo *ti, const struct rpy_str *spec)
{
    switch (ti->kind) {
    case RPY_K_INT: return rpy_format_int(rpy_w_to_int(v), spec);
    case RPY_K_BOOL: return rpy_format_bool(v != 0, spec);
    case RPY_K_FLOAT: return rpy_format_float(rpy_w_to_float(v), spec);
    case RPY_K_STR:
        if (v)
            return rpy_format_str(rpy_w_to_ptr(v), spec);
        break;
    default:
        break;
    }
    if (spec->nbytes != 0) {
        unsupported_spec(v, ti);
        return rt_str_empty();
    }
    return rpy_str_of(v, ti);
}

struct rpy_str *rpy_ascii_of(rpy_word v, const struct rpy_typeinfo *ti)
{
    struct rt_buf b;
    rt_buf_init(&b);
    ascii_into(&b, v, ti);
    return finish(&b, !rpy_exc_occurred());
}

/* ------------------------------------------------------------------ */
/* %-formatting (PyUnicode_Format)                                      */
/* ------------------------------------------------------------------ */

enum { F_LJUST = 1, F_SIGN = 2, F_BLANK = 4, F_ALT = 8, F_ZERO = 16 };

/* The state of one `fmt % args`. The format string and the arguments
 * are reached through rooted variables of the caller and re-read after
 * anything that may collect. CPython's counters: with a tuple, arglen is
 * its length and argidx the next one; a single non-tuple argument has
 * arglen -1 and argidx -2 until it is taken. */
struct pct {
    struct rpy_str **fmt;
    struct rpy_tuple **tuple;              /* NULL: a single argument */
    const struct rpy_typeinfo *tupti;
    rpy_word *single;
    const struct rpy_typeinfo *single_ti;
    rpy_int arglen, argidx;
    bool mapping; /* a single argument that CPython takes for a mapping (list, dict) */
    size_t pos;   /* byte offset in fmt */
    rpy_int cpos; /* code point index of pos, for messages */
    bool exhausted;
};

/* One conversion specifier, as CPython's unicode_format_arg_t. */
struct pct_arg {
    uint32_t ch;
    int flags;
    rpy_int width;
    rpy_int prec;
    bool sign; /* the converted text is a number whose sign the layout handles */
};

static size_t pct_len(const struct pct *c) { return (size_t)(*c->fmt)->nbytes; }

static uint32_t pct_peek(const struct pct *c)
{
    if (c->pos >= pct_len(c))
        return 0;
    const unsigned char *p = (const unsigned char *)(*c->fmt)->data + c->pos;
    return rt_utf8_decode(&p);
}

/* Reads the next character into *ch, or notes that the format ended
 * (CPython: `if (--fmtcnt >= 0) ch = READ(fmtpos++)`). */
static bool pct_read(struct pct *c, uint32_t *ch)
{
    if (c->pos >= pct_len(c)) {
        c->exhausted = true;
        return false;
    }
    *ch = pct_peek(c);
    c->pos += (size_t)rt_utf8_seqlen((unsigned char)(*c->fmt)->data[c->pos]);
    c->cpos++;
    return true;
}

/* unicode_format_getnextarg: the index of the next argument (-1 for the
 * single one), or -2 after raising. */
static rpy_int pct_next_arg(struct pct *c)
{
    rpy_int i = c->argidx;
    if (i < c->arglen) {
        c->argidx++;
        return c->arglen < 0 ? -1 : i;
    }
    rpy_raise_builtin_c(RPY_EXC_TypeError, "not enough arguments for format string");
    return -2;
}

static rpy_word pct_word(const struct pct *c, rpy_int i)
{
    return i < 0 ? *c->single : (*c->tuple)->items[i];
}

static const struct rpy_typeinfo *pct_ti(const struct pct *c, rpy_int i)
{
    return i < 0 ? c->single_ti : c->tupti->items[i];
}

static bool is_intlike(uint32_t kind) { return kind == RPY_K_INT || kind == RPY_K_BOOL; }

/* A '*' width or precision: the next argument, which must be an int. */
static bool pct_star(struct pct *c, rpy_int *out)
{
    rpy_int i = pct_next_arg(c);
    if (i == -2)
        return false;
    if (!is_intlike(pct_ti(c, i)->kind)) {
        rpy_raise_builtin_c(RPY_EXC_TypeError, "* wants int");
        return false;
    }
    *out = rpy_w_to_int(pct_word(c, i));
    return true;
}

/* unicode_format_arg_parse: flags, width, precision, length modifier. */
static bool pct_parse(struct pct *c, struct pct_arg *a)
{
    if (a->ch == '(') {
        if (!c->mapping)
            rpy_raise_builtin_c(RPY_EXC_TypeError, "format requires a mapping");
        else
            value_error("%(name) mapping keys in %-formatting are not supported");
        return false;
    }
    while (pct_read(c, &a->ch)) {
        switch (a->ch) {
        case '-': a->flags |= F_LJUST; continue;
        case '+': a->flags |= F_SIGN; continue;
        case ' ': a->flags |= F_BLANK; continue;
        case '#': a->flags |= F_ALT; continue;
        case '0': a->flags |= F_ZERO; continue;
        default: break;
        }
        break;
    }
    if (a->ch == '*') {
        if (!pct_star(c, &a->width))
            return false;
        if (a->width < 0) {
            a->flags |= F_LJUST;
            a->width = a->width == INT64_MIN ? INT64_MAX : -a->width;
        }
        pct_read(c, &a->ch);
    } else if (a->ch >= '0' && a->ch <= '9') {
        a->width = a->ch - '0';
        while (pct_read(c, &a->ch)) {
            if (a->ch < '0' || a->ch > '9')
                break;
            int d = (int)a->ch - '0';
            if (a->width > (INT64_MAX - d) / 10) {
                value_error("width too big");
                return false;
            }
            a->width = a->width * 10 + d;
        }
    }
    if (a->ch == '.') {
        a->prec = 0;
        pct_read(c, &a->ch);
        if (a->ch == '*') {
            rpy_int p;
            if (!pct_star(c, &p))
                return false;
            if (p > INT_MAX || p < INT_MIN) {
                rpy_raise_builtin_c(RPY_EXC_OverflowError, "Python int too large to convert to C int");
                return false;
            }
            a->prec = p < 0 ? 0 : p;
            pct_read(c, &a->ch);
        } else if (a->ch >= '0' && a->ch <= '9') {
            a->prec = a->ch - '0';
            while (pct_read(c, &a->ch)) {
                if (a->ch < '0' || a->ch > '9')
                    break;
                int d = (int)a->ch - '0';
                if (a->prec > (INT_MAX - d) / 10) {
                    value_error("precision too big");
                    return false;
                }
                a->prec = a->prec * 10 + d;
            }
        }
    }
    if (!c->exhausted && (a->ch == 'h' || a->ch == 'l' || a->ch == 'L'))
        pct_read(c, &a->ch);
    if (c->exhausted) {
        value_error("incomplete format");
        return false;
    }
    return true;
}

/* The decimal digits of int(x) for a finite float, with its sign. */
static void float_int_digits(struct rt_buf *b, double x)
{
    double t = trunc(x);
    if (fabs(t) < 9.2e18) {
        char buf[RT_INT_BUFSIZE];
        rt_buf_put(b, buf, (size_t)rt_int_format(buf, (rpy_int)t));
        return;
    }
    char buf[400]; /* |x| < 1.8e308: at most 309 digits; glibc prints them exactly */
    rt_buf_put(b, buf, (size_t)snprintf(buf, sizeof buf, "%.0f", t));
}

/* mainformatlong + _PyUnicode_FormatLong: d i u o x X of an int, a bool
 * or (d i u) a float, into tmp: "-"? ("0x"|"0X"|"0o")? digits, at least
 * prec digits. */
static bool pct_long(struct pct *c, const struct pct_arg *a, rpy_int i, struct rt_buf *tmp)
{
    const struct rpy_typeinfo *ti = pct_ti(c, i);
    rpy_word v = pct_word(c, i);
    char type = (char)a->ch;
    bool xo = type == 'o' || type == 'x' || type == 'X';
    if (!is_intlike(ti->kind) && !(ti->kind == RPY_K_FLOAT && !xo)) {
        raise_f(RPY_EXC_TypeError, "%%%c format: %s is required, not %.200s", type, xo ? "an integer" : "a real number",
                type_name(v, ti));
        return false;
    }
    struct rt_buf digits;
    rt_buf_init(&digits);
    bool neg = false;
    if (ti->kind == RPY_K_FLOAT) {
        double x = rpy_w_to_float(v);
        if (isnan(x)) {
            value_error("cannot convert float NaN to integer");
            return false;
        }
        if (isinf(x)) {
            rpy_raise_builtin_c(RPY_EXC_OverflowError, "cannot convert float infinity to integer");
            return false;
        }
        float_int_digits(&digits, x);
    } else {
        char buf[72];
        rpy_int n = rpy_w_to_int(v);
        int base = type == 'o' ? 8 : xo ? 16 : 10;
        if (n < 0)
            rt_buf_putc(&digits, '-');
        rt_buf_put(&digits, buf, (size_t)u64_digits(buf, magnitude(n), base, type == 'X'));
    }
    if (a->prec > INT_MAX - 3) {
        rt_buf_release(&digits);
        rpy_raise_builtin_c(RPY_EXC_OverflowError, "precision too large");
        return false;
    }
    const char *d = digits.data;
    rpy_int nd = (rpy_int)digits.len;
    if (nd && d[0] == '-') {
        neg = true;
        d++;
        nd--;
    }
    if (neg)
        rt_buf_putc(tmp, '-');
    if (xo && (a->flags & F_ALT)) {
        rt_buf_putc(tmp, '0');
        rt_buf_putc(tmp, type);
    }
    put_zeros(tmp, a->prec - nd);
    rt_buf_put(tmp, d, (size_t)nd);
    rt_buf_release(&digits);
    return true;
}

/* formatfloat: e E f F g G of a float, an int or a bool. */
static bool pct_float(struct pct *c, const struct pct_arg *a, rpy_int i, struct rt_buf *tmp)
{
    const struct rpy_typeinfo *ti = pct_ti(c, i);
    rpy_word v = pct_word(c, i);
    double x;
    if (ti->kind == RPY_K_FLOAT)
        x = rpy_w_to_float(v);
    else if (is_intlike(ti->kind))
        x = (double)rpy_w_to_int(v);
    else {
        raise_f(RPY_EXC_TypeError, "must be real number, not %.200s", type_name(v, ti));
        return false;
    }
    double_to_text(tmp, x, (char)a->ch, a->prec < 0 ? 6 : a->prec, (a->flags & F_ALT) ? DT_ALT : 0);
    return true;
}

/* formatchar: %c of an int or a one-character str. */
static bool pct_char(struct pct *c, rpy_int i, struct rt_buf *tmp)
{
    const struct rpy_typeinfo *ti = pct_ti(c, i);
    rpy_word v = pct_word(c, i);
    if (ti->kind == RPY_K_STR && v && ((const struct rpy_str *)rpy_w_to_ptr(v))->length == 1) {
        const struct rpy_str *s = rpy_w_to_ptr(v);
        rt_buf_put(tmp, s->data, (size_t)s->nbytes);
        return true;
    }
    if (!is_intlike(ti->kind)) {
        rpy_raise_builtin_c(RPY_EXC_TypeError, "%c requires int or char");
        return false;
    }
    rpy_int n = rpy_w_to_int(v);
    if (n < 0 || n > 0x10ffff) {
        rpy_raise_builtin_c(RPY_EXC_OverflowError, "%c arg not in range(0x110000)");
        return false;
    }
    put_cp(tmp, (uint32_t)n);
    return true;
}

/* unicode_format_arg_format: takes the argument and converts it into tmp
 * (CPython's fast paths give the same text as the general path here). */
static bool pct_convert(struct pct *c, struct pct_arg *a, struct rt_buf *tmp)
{
    rpy_int i = pct_next_arg(c);
    if (i == -2)
        return false;
    switch (a->ch) {
    case 's': {
        const struct rpy_typeinfo *ti = pct_ti(c, i);
        rt_str_into(tmp, pct_word(c, i), ti);
        return !rpy_exc_occurred();
    }
    case 'r':
        rt_repr_into(tmp, pct_word(c, i), pct_ti(c, i));
        return !rpy_exc_occurred();
    case 'a':
        ascii_into(tmp, pct_word(c, i), pct_ti(c, i));
        return !rpy_exc_occurred();
    case 'i': case 'd': case 'u': case 'o': case 'x': case 'X':
        a->sign = true;
        return pct_long(c, a, i, tmp);
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
        a->sign = true;
        return pct_float(c, a, i, tmp);
    case 'c':
        return pct_char(c, i, tmp);
    default:
        raise_f(RPY_EXC_ValueError, "unsupported format character '%c' (0x%x) at index %lld",
                a->ch >= 31 && a->ch <= 126 ? (char)a->ch : '?', (unsigned)a->ch, (long long)(c->cpos - 1));
        return false;
    }
}

/* unicode_format_arg_output: pads the converted text s (len code points)
 * into out; numbers get their sign and 0x/0o prefix before zero padding. */
static void pct_output(struct rt_buf *out, struct pct_arg *a, const char *s, size_t nbytes)
{
    uint32_t fill = a->sign && (a->flags & F_ZERO) ? '0' : ' ';
    rpy_int len = rt_utf8_count(s, (rpy_int)nbytes);
    if ((a->width == -1 || a->width <= len) && (a->prec == -1 || a->prec >= len) &&
        !(a->flags & (F_SIGN | F_BLANK))) {
        rt_buf_put(out, s, nbytes);
        return;
    }
    if ((a->ch == 's' || a->ch == 'r' || a->ch == 'a') && a->prec >= 0 && len > a->prec)
        len = a->prec;
    size_t pindex = 0;
    char signchar = 0;
    if (a->sign) {
        if (s[0] == '-' || s[0] == '+') {
            signchar = s[0];
            len--;
            pindex++;
        } else if (a->flags & F_SIGN) {
            signchar = '+';
        } else if (a->flags & F_BLANK) {
            signchar = ' ';
        } else {
            a->sign = false;
        }
    }
    rpy_int width = a->width < len ? len : a->width;
    bool prefix = (a->flags & F_ALT) && (a->ch == 'x' || a->ch == 'X' || a->ch == 'o');
    if (a->sign) {
        if (fill != ' ')
            rt_buf_putc(out, signchar);
        if (width > len)
            width--;
    }
    if (prefix) {
        if (fill != ' ') {
            rt_buf_put(out, s + pindex, 2);
            pindex += 2;
        }
        width -= 2;
        if (width < 0)
            width = 0;
        len -= 2;
    }
    if (width > len && !(a->flags & F_LJUST)) {
        put_fill(out, fill, width - len);
        width = len;
    }
    if (fill == ' ') {
        if (a->sign)
            rt_buf_putc(out, signchar);
        if (prefix) {
            rt_buf_put(out, s + pindex, 2);
            pindex += 2;
        }
    }
    if (len > 0)
        rt_buf_put(out, s + pindex, cp_bytes(s + pindex, nbytes - pindex, len));
    put_fill(out, ' ', width - len);
}

/* One conversion after its '%' (unicode_format_arg). */
static bool pct_one(struct pct *c, struct rt_buf *out)
{
    struct pct_arg a = {.ch = pct_peek(c), .width = -1, .prec = -1};
    if (a.ch == '%') {
        pct_read(c, &a.ch);
        rt_buf_putc(out, '%');
        return true;
    }
    if (!pct_parse(c, &a))
        return false;
    struct rt_buf tmp;
    rt_buf_init(&tmp);
    bool ok = pct_convert(c, &a, &tmp);
    if (ok)
        pct_output(out, &a, tmp.data, tmp.len);
    rt_buf_release(&tmp);
    return ok;
}

static struct rpy_str *pct_run(struct pct *c)
{
    struct rt_buf out;
    rt_buf_init(&out);
    while (c->pos < pct_len(c)) {
        const char *f = (*c->fmt)->data;
        if (f[c->pos] != '%') {
            const char *q = memchr(f + c->pos, '%', pct_len(c) - c->pos);
            size_t stop = q ? (size_t)(q - f) : pct_len(c);
            rt_buf_put(&out, f + c->pos, stop - c->pos);
            c->cpos += rt_utf8_count(f + c->pos, (rpy_int)(stop - c->pos));
            c->pos = stop;
            continue;
        }
        c->pos++;
        c->cpos++;
        if (!pct_one(c, &out))
            return finish(&out, false);
    }
    if (c->argidx < c->arglen && !c->mapping) {
        rpy_raise_builtin_c(RPY_EXC_TypeError, "not all arguments converted during string formatting");
        return finish(&out, false);
    }
    return finish(&out, true);
}

struct rpy_str *rpy_str_percent(const struct rpy_str *fmt, const struct rpy_tuple *args,
                                const struct rpy_typeinfo *tupti)
{
    struct rpy_str *f = (struct rpy_str *)fmt;
    RPY_ROOT(f);
    struct rpy_tuple *t = (struct rpy_tuple *)args;
    RPY_ROOT(t);
    struct pct c = {.fmt = &f, .tuple = &t, .tupti = tupti, .arglen = t && tupti ? (rpy_int)tupti->nitems : 0};
    return pct_run(&c);
}

struct rpy_str *rpy_str_percent1(const struct rpy_str *fmt, rpy_word arg, const struct rpy_typeinfo *ti)
{
    if (ti->kind == RPY_K_TUPLE && arg)
        return rpy_str_percent(fmt, rpy_w_to_ptr(arg), ti);
    struct rpy_str *f = (struct rpy_str *)fmt;
    RPY_ROOT(f);
    rpy_word w = arg;
    RPY_ROOT_WORD(w, rpy_kind_is_gc(ti->kind));
    struct pct c = {.fmt = &f, .single = &w, .single_ti = ti, .arglen = -1, .argidx = -2,
                    .mapping = (ti->kind == RPY_K_LIST || ti->kind == RPY_K_DICT) && arg};
    return pct_run(&c);
}

/* ------------------------------------------------------------------ */
/* str.format (unicode_format.h)                                        */
/* ------------------------------------------------------------------ */

/* The format string and the positional arguments (rooted by the caller,
 * re-read after every call that may collect); positions are byte
 * offsets into the format string. */
struct sfmt {
    struct rpy_str **fmt;
    struct rpy_tuple **args;
    const struct rpy_typeinfo *tupti;
    rpy_int nargs;  /* the positional ones: args[0..nargs) */
    struct rpy_tuple **names; /* keyword names (strs), or NULL: their values follow the positional ones */
    rpy_int nnames;
    enum { AN_INIT, AN_AUTO, AN_MANUAL } an_state;
    rpy_int an_next;
};

static const char *sf_data(const struct sfmt *c) { return (*c->fmt)->data; }

/* One parsed replacement field {name!conv:spec}. */
struct field {
    size_t name, name_end;
    uint32_t conversion; /* 0: none */
    size_t spec, spec_end;
    bool expand; /* the spec holds nested fields */
};

/* parse_field: from just after '{' to just after the matching '}'. */
static bool sf_parse_field(const struct sfmt *c, size_t *pos, size_t end, struct field *fl)
{
    const char *d = sf_data(c);
    size_t p = *pos;
    char ch = 0;
    *fl = (struct field){.name = p};
    while (p < end) {
        ch = d[p++];
        if (ch == '{') {
            value_error("unexpected '{' in field name");
            return false;
        }
        if (ch == '[') {
            while (p < end && d[p] != ']')
                p++;
            continue;
        }
        if (ch == '}' || ch == ':' || ch == '!')
            break;
    }
    fl->name_end = p - 1;
    if (ch != '!' && ch != ':') {
        if (ch != '}') {
            value_error("expected '}' before end of string");
            return false;
        }
        *pos = p;
        return true;
    }
    if (ch == '!') {
        if (p >= end) {
            value_error("end of string while looking for conversion specifier");
            return false;
        }
        const unsigned char *q = (const unsigned char *)d + p;
        fl->conversion = rt_utf8_decode(&q);
        p = (size_t)((const char *)q - d);
        if (p < end) {
            ch = d[p++];
            if (ch == '}') {
                fl->spec = fl->spec_end = p;
                *pos = p;
                return true;
            }
            if (ch != ':') {
                value_error("expected ':' after conversion specifier");
                return false;
            }
        }
    }
    fl->spec = p;
    int count = 1;
    while (p < end) {
        ch = d[p++];
        if (ch == '{') {
            fl->expand = true;
            count++;
        } else if (ch == '}' && --count == 0) {
            fl->spec_end = p - 1;
            *pos = p;
            return true;
        }
    }
    value_error("unmatched '{' in format spec");
    return false;
}

/* The argument index of keyword argument name[0..n), or -1. */
static rpy_int sf_keyword_index(const struct sfmt *c, const char *name, size_t n)
{
    for (rpy_int i = 0; i < c->nnames; i++) {
        const struct rpy_str *k = rpy_w_to_ptr((*c->names)->items[i]);
        if ((size_t)k->nbytes == n && memcmp(k->data, name, n) == 0)
            return c->nargs + i;
    }
    return -1;
}

/* field_name_split + the positional lookup: the argument index of the
 * field, or -1 after raising. */
static rpy_int sf_field_index(struct sfmt *c, const struct field *fl)
{
    const char *d = sf_data(c);
    size_t first_end = fl->name;
    while (first_end < fl->name_end && d[first_end] != '.' && d[first_end] != '[')
        first_end++;
    bool empty = first_end == fl->name;
    rpy_int idx = empty ? -1 : 0;
    const unsigned char *p = (const unsigned char *)d + fl->name, *e = (const unsigned char *)d + first_end;
    while (p < e) { /* get_integer */
        int dv = rt_uc_decimal_value(rt_utf8_decode(&p));
        if (dv < 0) {
            idx = -1;
            break;
        }
        if (idx > (INT64_MAX - dv) / 10) {
            value_error("Too many decimal digits in format string");
            return -1;
        }
        idx = idx * 10 + dv;
    }
    bool numeric = empty || idx != -1;
    if (c->an_state == AN_INIT && numeric)
        c->an_state = empty ? AN_AUTO : AN_MANUAL;
    if (numeric && c->an_state == AN_MANUAL && empty) {
        value_error("cannot switch from manual field specification to automatic field numbering");
        return -1;
    }
    if (numeric && c->an_state == AN_AUTO && !empty) {
        value_error("cannot switch from automatic field numbering to manual field specification");
        return -1;
    }
    if (empty)
        idx = c->an_next++;
    if (idx == -1) /* a keyword field */
        idx = sf_keyword_index(c, d + fl->name, first_end - fl->name);
    if (idx == -1) { /* no such keyword argument */
        struct rpy_str *key = malloc(sizeof(struct rpy_str) + (first_end - fl->name) + 1);
        if (!key) {
            rt_memory_error();
            return -1;
        }
        key->nbytes = (rpy_int)(first_end - fl->name);
        memcpy(key->data, d + fl->name, (size_t)key->nbytes);
        key->data[key->nbytes] = 0;
        struct rt_buf m;
        rt_buf_init(&m);
        rt_str_repr_into(&m, key);
        free(key);
        raise_buf(RPY_EXC_KeyError, &m);
        return -1;
    }
    if (numeric && idx >= c->nargs) {
        raise_f(RPY_EXC_IndexError, "Replacement index %lld out of range for positional args tuple", (long long)idx);
        return -1;
    }
    if (first_end < fl->name_end) {
        value_error("attribute and index lookups in str.format fields ('{0.x}', '{0[1]}') are not supported");
        return -1;
    }
    return idx;
}

/* do_conversion: !r !s !a of the argument into conv. */
static bool sf_convert(const struct sfmt *c, rpy_int idx, uint32_t conversion, struct rt_buf *conv)
{
    rpy_word v = (*c->args)->items[idx];
    const struct rpy_typeinfo *ti = c->tupti->items[idx];
    switch (conversion) {
    case 'r': rt_repr_into(conv, v, ti); break;
    case 's': rt_str_into(conv, v, ti); break;
    case 'a': ascii_into(conv, v, ti); break;
    default: {
        struct rt_buf m;
        rt_buf_init(&m);
        rt_buf_puts(&m, "Unknown conversion specifier ");
        put_code(&m, conversion, 127);
        raise_buf(RPY_EXC_ValueError, &m);
        return false;
    }
    }
    return !rpy_exc_occurred();
}

static bool sf_build(struct sfmt *c, size_t start, size_t end, int depth, struct rt_buf *out);

/* output_markup: one replacement field into out. */
static bool sf_field(struct sfmt *c, const struct field *fl, int depth, struct rt_buf *out)
{
    rpy_int idx = sf_field_index(c, fl);
    if (idx < 0)
        return false;
    struct rt_buf conv, spec;
    rt_buf_init(&conv);
    rt_buf_init(&spec);
    bool ok = !fl->conversion || sf_convert(c, idx, fl->conversion, &conv);
    if (ok && fl->expand)
        ok = sf_build(c, fl->spec, fl->spec_end, depth - 1, &spec);
    else if (ok)
        rt_buf_put(&spec, sf_data(c) + fl->spec, fl->spec_end - fl->spec);
    if (ok && fl->conversion)
        ok = format_text_spec(out, conv.data, conv.len, rt_utf8_count(conv.data, (rpy_int)conv.len), spec.data,
                              spec.len);
    else if (ok)
        ok = format_value_into(out, (*c->args)->items[idx], c->tupti->items[idx], spec.data, spec.len);
    rt_buf_release(&conv);
    rt_buf_release(&spec);
    return ok;
}

/* build_string / do_markup / MarkupIterator over fmt[start, end). */
static bool sf_build(struct sfmt *c, size_t start, size_t end, int depth, struct rt_buf *out)
{
    if (depth <= 0) {
        value_error("Max string recursion exceeded");
        return false;
    }
    size_t pos = start;
    while (pos < end) {
        const char *d = sf_data(c);
        size_t lit = pos;
        char ch = 0;
        bool markup = false;
        while (pos < end) {
            ch = d[pos++];
            if (ch == '{' || ch == '}') {
                markup = true;
                break;
            }
        }
        bool at_end = pos >= end;
        size_t len = pos - lit;
        if (ch == '}' && (at_end || d[pos] != '}')) {
            value_error("Single '}' encountered in format string");
            return false;
        }
        if (at_end && ch == '{') {
            value_error("Single '{' encountered in format string");
            return false;
        }
        if (!at_end) {
            if (d[pos] == ch) { /* {{ or }}: the brace is literal text */
                pos++;
                markup = false;
            } else {
                len--;
            }
        }
        rt_buf_put(out, d + lit, len);
        if (!markup)
            continue;
        struct field fl;
        if (!sf_parse_field(c, &pos, end, &fl) || !sf_field(c, &fl, depth, out))
            return false;
    }
    return true;
}

struct rpy_str *rpy_str_format_method(const struct rpy_str *fmt, const struct rpy_tuple *args,
                                      const struct rpy_typeinfo *tupti)
{
    struct rpy_str *f = (struct rpy_str *)fmt;
    RPY_ROOT(f);
    struct rpy_tuple *t = (struct rpy_tuple *)args;
    RPY_ROOT(t);
    struct sfmt c = {.fmt = &f, .args = &t, .tupti = tupti, .nargs = t && tupti ? (rpy_int)tupti->nitems : 0};
    struct rt_buf out;
    rt_buf_init(&out);
    return finish(&out, sf_build(&c, 0, (size_t)f->nbytes, 2, &out));
}

struct rpy_str *rpy_str_format_kw(const struct rpy_str *fmt, const struct rpy_tuple *args,
                                  const struct rpy_typeinfo *tupti, const struct rpy_tuple *names,
                                  const struct rpy_typeinfo *namesti)
{
    struct rpy_str *f = (struct rpy_str *)fmt;
    RPY_ROOT(f);
    struct rpy_tuple *t = (struct rpy_tuple *)args;
    RPY_ROOT(t);
    struct rpy_tuple *k = (struct rpy_tuple *)names;
    RPY_ROOT(k);
    rpy_int nnames = (rpy_int)namesti->nitems;
    struct sfmt c = {.fmt = &f, .args = &t, .tupti = tupti, .nargs = (rpy_int)tupti->nitems - nnames,
                     .names = &k, .nnames = nnames};
    struct rt_buf out;
    rt_buf_init(&out);
    return finish(&out, sf_build(&c, 0, (size_t)f->nbytes, 2, &out));
}
