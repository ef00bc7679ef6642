/* strextra.c - the str methods that reshape text without searching for
 * character classes: padding (zfill, ljust, rjust, center), partition,
 * splitlines and rindex, each with CPython's edge cases (center's odd
 * split of the margin, zfill after a sign, the line boundaries of
 * splitlines) and error messages.
 */
#include "runtime/rt_internal.h"

#include <stdlib.h>

/* s with `left` and `right` copies of the one-character fill around it. */
static struct rpy_str *pad(const struct rpy_str *s, rpy_int left, rpy_int right, const struct rpy_str *fill)
{
    const char *f = fill ? fill->data : " ";
    rpy_int fn = fill ? fill->nbytes : 1;
    struct rpy_str *r = rt_str_alloc(s->nbytes + (left + right) * fn, s->length + left + right);
    char *p = r->data;
    for (rpy_int i = 0; i < left; i++, p += fn)
        memcpy(p, f, (size_t)fn);
    memcpy(p, s->data, (size_t)s->nbytes);
    p += s->nbytes;
    for (rpy_int i = 0; i < right; i++, p += fn)
        memcpy(p, f, (size_t)fn);
    return r;
}

static bool fill_ok(const struct rpy_str *fill)
{
    if (!fill || fill->length == 1)
        return true;
    rpy_raise_builtin_c(RPY_EXC_TypeError, "The fill character must be exactly one character long");
    return false;
}

struct rpy_str *rpy_str_ljust(const struct rpy_str *s, rpy_int width, const struct rpy_str *fill)
{
    if (!fill_ok(fill) || width <= s->length)
        return (struct rpy_str *)s;
    return pad(s, 0, width - s->length, fill);
}

struct rpy_str *rpy_str_rjust(const struct rpy_str *s, rpy_int width, const struct rpy_str *fill)
{
    if (!fill_ok(fill) || width <= s->length)
        return (struct rpy_str *)s;
    return pad(s, width - s->length, 0, fill);
}

/* CPython puts the odd extra space on the left only when width is odd. */
struct rpy_str *rpy_str_center(const struct rpy_str *s, rpy_int width, const struct rpy_str *fill)
{
    if (!fill_ok(fill) || width <= s->length)
        return (struct rpy_str *)s;
    rpy_int marg = width - s->length;
    rpy_int left = marg / 2 + (marg & width & 1);
    return pad(s, left, marg - left, fill);
}

/* Zeros on the left, after a leading sign. */
struct rpy_str *rpy_str_zfill(const struct rpy_str *s, rpy_int width)
{
    if (width <= s->length)
        return (struct rpy_str *)s;
    struct rpy_str *r = pad(s, width - s->length, 0, rt_str_ascii_char('0'));
    char c = s->nbytes ? s->data[0] : 0;
    if (c == '+' || c == '-') {
        r->data[0] = c;
        r->data[width - s->length] = '0';
    }
    return r;
}

/* ---- partition ---- */

static struct rpy_tuple *triple(const struct rpy_typeinfo *tupti, struct rpy_str *a, struct rpy_str *b,
                                struct rpy_str *c)
{
    struct rpy_tuple *t = rpy_tuple_new(tupti);
    t->items[0] = rpy_w_from_ptr(a);
    t->items[1] = rpy_w_from_ptr(b);
    t->items[2] = rpy_w_from_ptr(c);
    return t;
}

static bool sep_ok(const struct rpy_str *sep)
{
    if (sep->nbytes)
        return true;
    rpy_raise_builtin_c(RPY_EXC_ValueError, "empty separator");
    return false;
}

struct rpy_tuple *rpy_str_partition(const struct rpy_str *s, const struct rpy_str *sep,
                                    const struct rpy_typeinfo *tupti)
{
    const char *hit = sep_ok(sep) ? memmem(s->data, (size_t)s->nbytes, sep->data, (size_t)sep->nbytes) : NULL;
    if (!hit)
        return triple(tupti, (struct rpy_str *)s, rt_str_empty(), rt_str_empty());
    rpy_int at = hit - s->data;
    return triple(tupti, rpy_str_from_utf8(s->data, at), (struct rpy_str *)sep,
                  rpy_str_from_utf8(hit + sep->nbytes, s->nbytes - at - sep->nbytes));
}

struct rpy_tuple *rpy_str_rpartition(const struct rpy_str *s, const struct rpy_str *sep,
                                     const struct rpy_typeinfo *tupti)
{
    rpy_int at = -1;
    if (sep_ok(sep))
        for (rpy_int k = s->nbytes - sep->nbytes; k >= 0 && at < 0; k--)
            if (memcmp(s->data + k, sep->data, (size_t)sep->nbytes) == 0)
                at = k;
    if (at < 0)
        return triple(tupti, rt_str_empty(), rt_str_empty(), (struct rpy_str *)s);
    return triple(tupti, rpy_str_from_utf8(s->data, at), (struct rpy_str *)sep,
                  rpy_str_from_utf8(s->data + at + sep->nbytes, s->nbytes - at - sep->nbytes));
}

rpy_int rpy_str_rindex(const struct rpy_str *s, const struct rpy_str *sub)
{
    rpy_int i = rpy_str_rfind(s, sub);
    if (i < 0)
        rpy_raise_builtin_c(RPY_EXC_ValueError, "substring not found");
    return i;
}

/* ---- splitlines ---- */

/* Bytes of the line boundary at p (0 if none): \n \r \r\n \v \f
 * \x1c \x1d \x1e, and U+0085, U+2028, U+2029. */
static int line_break_len(const unsigned char *p, const unsigned char *end)
{
    switch (p[0]) {
    case '\r':
        return p + 1 < end && p[1] == '\n' ? 2 : 1;
    case '\n': case '\v': case '\f': case 0x1c: case 0x1d: case 0x1e:
        return 1;
    case 0xc2:
        return p[1] == 0x85 ? 2 : 0;
    case 0xe2:
        return p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9) ? 3 : 0;
    default:
        return 0;
    }
}

struct rpy_list *rpy_str_splitlines(const struct rpy_str *s, rpy_bool keepends, const struct rpy_typeinfo *listti)
{
    struct rpy_list *l = rpy_list_new_cap(listti, 4);
    const unsigned char *data = (const unsigned char *)s->data, *end = data + s->nbytes;
    rpy_int start = 0;
    for (const unsigned char *p = data; p < end;) {
        int k = line_break_len(p, end);
        if (!k) {
            p += rt_utf8_seqlen(*p);
            continue;
        }
        rpy_int stop = p - data;
        p += k;
        rpy_int piece_end = keepends ? p - data : stop;
        rpy_list_append(l, rpy_w_from_ptr(rpy_str_from_utf8(s->data + start, piece_end - start)));
        start = p - data;
    }
    if (start < s->nbytes)
        rpy_list_append(l, rpy_w_from_ptr(rpy_str_from_utf8(s->data + start, s->nbytes - start)));
    return l;
}
