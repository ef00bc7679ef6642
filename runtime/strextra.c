/* strextra.c - the str methods that reshape text without searching for
 * character classes: padding (zfill, ljust, rjust, center), partition,
 * splitlines and rindex, each with CPython's edge cases (center's odd
 * split of the margin, zfill after a sign, the line boundaries of
 * splitlines) and error messages.
 *
 * Under the moving collector: pad allocates first and reads its strs
 * after (they are rooted); partition makes its two pieces and the tuple
 * one allocation after the other, each piece rooted while the next is
 * made; splitlines roots s and the list and walks s by byte offset,
 * reading s->data afresh after each piece it appends.
 */
#include "runtime/rt_internal.h"

#include <stdlib.h>

/* s with `left` and `right` copies of the one-character fill around it. */
static struct rpy_str *pad(const struct rpy_str *s, rpy_int left, rpy_int right, const struct rpy_str *fill)
{
    rpy_int fn = fill ? fill->nbytes : 1;
    RPY_ROOT(s);
    RPY_ROOT(fill);
    struct rpy_str *r = rt_str_alloc(s->nbytes + (left + right) * fn, s->length + left + right);
    const char *f = fill ? fill->data : " ";
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
    rpy_int zeros = width - s->length;
    char c = s->nbytes ? s->data[0] : 0; /* read before pad allocates */
    struct rpy_str *r = pad(s, zeros, 0, rt_str_ascii_char('0'));
    if (c == '+' || c == '-') {
        r->data[0] = c;
        r->data[zeros] = '0';
    }
    return r;
}

/* ---- partition ---- */

static struct rpy_tuple *triple(const struct rpy_typeinfo *tupti, struct rpy_str *a, struct rpy_str *b,
                                struct rpy_str *c)
{
    RPY_ROOT(a);
    RPY_ROOT(b);
    RPY_ROOT(c);
    struct rpy_tuple *t = rpy_tuple_new(tupti); /* fresh: filled without barriers */
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

/* (s[:at], sep, s[at + len(sep):]) */
static struct rpy_tuple *split_at(const struct rpy_str *s, rpy_int at, const struct rpy_str *sep,
                                  const struct rpy_typeinfo *tupti)
{
    RPY_ROOT(s);
    RPY_ROOT(sep);
    struct rpy_str *head = rt_str_sub(s, 0, at);
    RPY_ROOT(head);
    rpy_int after = at + sep->nbytes;
    struct rpy_str *tail = rt_str_sub(s, after, s->nbytes - after);
    return triple(tupti, head, (struct rpy_str *)sep, tail);
}

struct rpy_tuple *rpy_str_partition(const struct rpy_str *s, const struct rpy_str *sep,
                                    const struct rpy_typeinfo *tupti)
{
    const char *hit = sep_ok(sep) ? memmem(s->data, (size_t)s->nbytes, sep->data, (size_t)sep->nbytes) : NULL;
    if (!hit)
        return triple(tupti, (struct rpy_str *)s, rt_str_empty(), rt_str_empty());
    return split_at(s, hit - s->data, sep, tupti);
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
    return split_at(s, at, sep, tupti);
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

/* Appends bytes [a, z) of s to l. */
static void append_line(struct rpy_list *l, const struct rpy_str *s, rpy_int a, rpy_int z)
{
    RPY_ROOT(l);
    struct rpy_str *line = rt_str_sub(s, a, z - a);
    rpy_list_append(l, rpy_w_from_ptr(line));
}

struct rpy_list *rpy_str_splitlines(const struct rpy_str *s, rpy_bool keepends, const struct rpy_typeinfo *listti)
{
    RPY_ROOT(s);
    struct rpy_list *l = rpy_list_new_cap(listti, 4);
    RPY_ROOT(l);
    rpy_int start = 0;
    for (rpy_int off = 0; off < s->nbytes;) {
        const unsigned char *p = (const unsigned char *)s->data + off; /* s moves when a line is appended */
        int k = line_break_len(p, (const unsigned char *)s->data + s->nbytes);
        if (!k) {
            off += rt_utf8_seqlen(*p);
            continue;
        }
        rpy_int stop = off;
        off += k;
        append_line(l, s, start, keepends ? off : stop);
        start = off;
    }
    if (start < s->nbytes)
        append_line(l, s, start, s->nbytes);
    return l;
}
