/* strmethods.c - the str methods that look at characters: case mapping
 * (upper, lower, title, capitalize), strip, search, replace, split,
 * rsplit, join and the is...() predicates.
 *
 * Searching works on bytes (memchr/memmem; a match inside valid UTF-8 is
 * always on a character boundary) and converts byte offsets to code point
 * indexes only for results the program sees, and only for non-ASCII
 * text. Character classes (whitespace, digits, case) are CPython's for
 * every code point: ASCII from a table here, the rest from unicode.c,
 * whose tables were generated from CPython 3.11 itself. Case mapping is
 * the full one (German sharp s uppercases to "SS") with CPython's final
 * sigma rule.
 *
 * Under the moving collector: most methods build text in an rt_buf (not
 * GC memory) and allocate once at the end, or return a piece made by
 * rt_str_sub. Those that allocate more than once, split and rsplit (one
 * str per piece, and the list grows), root the strs and the list and
 * read s->data afresh after each piece; join and upper/lower of ASCII
 * root their arguments across the one allocation after which they read
 * them.
 */
#include "runtime/rt_internal.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- ASCII character classes ---- */

enum { C_SPACE = 1, C_DIGIT = 2, C_UPPER = 4, C_LOWER = 8 };

/* str.isspace() is true for \t \n \v \f \r, the separators \x1c..\x1f
 * and space. */
static const unsigned char ascii_class[128] = {
    ['\t'] = C_SPACE, ['\n'] = C_SPACE, ['\v'] = C_SPACE, ['\f'] = C_SPACE, ['\r'] = C_SPACE,
    [0x1c] = C_SPACE, [0x1d] = C_SPACE, [0x1e] = C_SPACE, [0x1f] = C_SPACE, [' '] = C_SPACE,
    ['0'] = C_DIGIT, ['1'] = C_DIGIT, ['2'] = C_DIGIT, ['3'] = C_DIGIT, ['4'] = C_DIGIT,
    ['5'] = C_DIGIT, ['6'] = C_DIGIT, ['7'] = C_DIGIT, ['8'] = C_DIGIT, ['9'] = C_DIGIT,
    ['A'] = C_UPPER, ['B'] = C_UPPER, ['C'] = C_UPPER, ['D'] = C_UPPER, ['E'] = C_UPPER,
    ['F'] = C_UPPER, ['G'] = C_UPPER, ['H'] = C_UPPER, ['I'] = C_UPPER, ['J'] = C_UPPER,
    ['K'] = C_UPPER, ['L'] = C_UPPER, ['M'] = C_UPPER, ['N'] = C_UPPER, ['O'] = C_UPPER,
    ['P'] = C_UPPER, ['Q'] = C_UPPER, ['R'] = C_UPPER, ['S'] = C_UPPER, ['T'] = C_UPPER,
    ['U'] = C_UPPER, ['V'] = C_UPPER, ['W'] = C_UPPER, ['X'] = C_UPPER, ['Y'] = C_UPPER,
    ['Z'] = C_UPPER,
    ['a'] = C_LOWER, ['b'] = C_LOWER, ['c'] = C_LOWER, ['d'] = C_LOWER, ['e'] = C_LOWER,
    ['f'] = C_LOWER, ['g'] = C_LOWER, ['h'] = C_LOWER, ['i'] = C_LOWER, ['j'] = C_LOWER,
    ['k'] = C_LOWER, ['l'] = C_LOWER, ['m'] = C_LOWER, ['n'] = C_LOWER, ['o'] = C_LOWER,
    ['p'] = C_LOWER, ['q'] = C_LOWER, ['r'] = C_LOWER, ['s'] = C_LOWER, ['t'] = C_LOWER,
    ['u'] = C_LOWER, ['v'] = C_LOWER, ['w'] = C_LOWER, ['x'] = C_LOWER, ['y'] = C_LOWER,
    ['z'] = C_LOWER,
};

static bool is_space(uint32_t cp) { return cp < 128 ? ascii_class[cp] & C_SPACE : rt_uc_isspace(cp); }

/* Code point index of byte offset off (on a boundary). */
static rpy_int cp_index(const struct rpy_str *s, rpy_int off)
{
    return rt_str_is_ascii(s) ? off : rt_utf8_count(s->data, off);
}

/* Start of the code point that ends just before byte offset off. */
static rpy_int prev_boundary(const char *data, rpy_int off)
{
    do
        off--;
    while (off > 0 && ((unsigned char)data[off] & 0xc0) == 0x80);
    return off;
}

static uint32_t decode_at(const char *data, rpy_int off)
{
    const unsigned char *p = (const unsigned char *)data + off;
    return rt_utf8_decode(&p);
}

/* The str of bytes [a, z) of s (s itself when that is all of it). */
static struct rpy_str *sub_bytes(const struct rpy_str *s, rpy_int a, rpy_int z)
{
    return rt_str_sub(s, a, z - a);
}

/* ---- case ---- */

/* CPython's Final_Sigma rule: a capital sigma (two bytes at off)
 * lowercases to final sigma when, skipping case-ignorable characters, a
 * cased character precedes it and no cased character follows. */
static bool final_sigma(const struct rpy_str *s, rpy_int off)
{
    rpy_int j = off;
    uint32_t c = 0;
    do {
        if (j == 0)
            return false;
        j = prev_boundary(s->data, j);
        c = decode_at(s->data, j);
    } while (rt_uc_iscaseignorable(c));
    if (!rt_uc_iscased(c))
        return false;
    for (rpy_int k = off + 2; k < s->nbytes;) {
        const unsigned char *p = (const unsigned char *)s->data + k;
        c = rt_utf8_decode(&p);
        if (!rt_uc_iscaseignorable(c))
            return !rt_uc_iscased(c);
        k = (const char *)p - s->data;
    }
    return true;
}

enum case_mode { CASE_UPPER, CASE_LOWER, CASE_TITLE, CASE_CAPITALIZE };

/* The full case mapping of cp (at byte offset off of s) for mode;
 * word_start: no cased character precedes it (title()). */
static int map_char(const struct rpy_str *s, rpy_int off, uint32_t cp, enum case_mode mode, bool word_start,
                    uint32_t out[3])
{
    if (mode == CASE_UPPER)
        return rt_uc_toupper(cp, out);
    if (mode == CASE_TITLE ? word_start : mode == CASE_CAPITALIZE && off == 0)
        return rt_uc_totitle(cp, out);
    int n = rt_uc_tolower(cp, out);
    if (cp == 0x3a3 && final_sigma(s, off))
        out[0] = 0x3c2;
    return n;
}

static struct rpy_str *ascii_upper_lower(const struct rpy_str *s, bool upper)
{
    RPY_ROOT(s);
    struct rpy_str *r = rt_str_alloc(s->nbytes, s->length);
    unsigned flip = upper ? C_LOWER : C_UPPER;
    for (rpy_int i = 0; i < s->nbytes; i++) {
        unsigned char c = (unsigned char)s->data[i];
        r->data[i] = (char)((ascii_class[c] & flip) ? c ^ 0x20 : c);
    }
    return r;
}

static struct rpy_str *map_case(const struct rpy_str *s, enum case_mode mode)
{
    if (rt_str_is_ascii(s) && (mode == CASE_UPPER || mode == CASE_LOWER))
        return ascii_upper_lower(s, mode == CASE_UPPER);
    struct rt_buf b;
    rt_buf_init(&b);
    bool prev_cased = false;
    const unsigned char *p = (const unsigned char *)s->data, *end = p + s->nbytes;
    while (p < end) {
        rpy_int off = (const char *)p - s->data;
        uint32_t cp = rt_utf8_decode(&p), out[3];
        int n = map_char(s, off, cp, mode, !prev_cased, out);
        prev_cased = rt_uc_iscased(cp);
        for (int k = 0; k < n; k++) {
            char enc[4];
            rt_buf_put(&b, enc, (size_t)rt_utf8_encode(enc, out[k]));
        }
    }
    return rt_buf_to_str(&b);
}

struct rpy_str *rpy_str_upper(const struct rpy_str *s) { return map_case(s, CASE_UPPER); }
struct rpy_str *rpy_str_lower(const struct rpy_str *s) { return map_case(s, CASE_LOWER); }
struct rpy_str *rpy_str_title(const struct rpy_str *s) { return map_case(s, CASE_TITLE); }
struct rpy_str *rpy_str_capitalize(const struct rpy_str *s) { return map_case(s, CASE_CAPITALIZE); }

/* ---- strip ---- */

/* The characters to strip: whitespace (chars == NULL), or those of chars,
 * with a bitmap for the ASCII ones. */
struct charset {
    const struct rpy_str *chars;
    uint64_t ascii[2];
};

static void charset_init(struct charset *cs, const struct rpy_str *chars)
{
    cs->chars = chars;
    cs->ascii[0] = cs->ascii[1] = 0;
    if (!chars)
        return;
    for (rpy_int i = 0; i < chars->nbytes; i++) {
        unsigned char c = (unsigned char)chars->data[i];
        if (c < 128)
            cs->ascii[c >> 6] |= (uint64_t)1 << (c & 63);
    }
}

static bool charset_has(const struct charset *cs, uint32_t cp)
{
    if (!cs->chars)
        return is_space(cp);
    if (cp < 128)
        return (cs->ascii[cp >> 6] >> (cp & 63)) & 1;
    char enc[5];
    int n = rt_utf8_encode(enc, cp);
    enc[n] = 0;
    return memmem(cs->chars->data, (size_t)cs->chars->nbytes, enc, (size_t)n) != NULL;
}

static struct rpy_str *strip(const struct rpy_str *s, const struct rpy_str *chars, bool left, bool right)
{
    struct charset cs;
    charset_init(&cs, chars);
    rpy_int a = 0, z = s->nbytes;
    if (left) {
        while (a < z) {
            const unsigned char *p = (const unsigned char *)s->data + a;
            if (!charset_has(&cs, rt_utf8_decode(&p)))
                break;
            a = (const char *)p - s->data;
        }
    }
    if (right) {
        while (z > a) {
            rpy_int prev = prev_boundary(s->data, z);
            if (!charset_has(&cs, decode_at(s->data, prev)))
                break;
            z = prev;
        }
    }
    return sub_bytes(s, a, z);
}

struct rpy_str *rpy_str_strip(const struct rpy_str *s, const struct rpy_str *chars)
{
    return strip(s, chars, true, true);
}
struct rpy_str *rpy_str_lstrip(const struct rpy_str *s, const struct rpy_str *chars)
{
    return strip(s, chars, true, false);
}
struct rpy_str *rpy_str_rstrip(const struct rpy_str *s, const struct rpy_str *chars)
{
    return strip(s, chars, false, true);
}

/* ---- prefix, suffix, search ---- */

rpy_bool rpy_str_startswith(const struct rpy_str *s, const struct rpy_str *prefix)
{
    return prefix->nbytes <= s->nbytes && memcmp(s->data, prefix->data, (size_t)prefix->nbytes) == 0;
}

rpy_bool rpy_str_endswith(const struct rpy_str *s, const struct rpy_str *suffix)
{
    return suffix->nbytes <= s->nbytes &&
           memcmp(s->data + s->nbytes - suffix->nbytes, suffix->data, (size_t)suffix->nbytes) == 0;
}

/* Byte offset of the first match of sub at or after byte `from`, or -1. */
static rpy_int find_bytes(const struct rpy_str *s, const struct rpy_str *sub, rpy_int from)
{
    const char *hay = s->data + from;
    size_t n = (size_t)(s->nbytes - from);
    const char *hit = sub->nbytes == 1 ? memchr(hay, sub->data[0], n)
                                       : memmem(hay, n, sub->data, (size_t)sub->nbytes);
    return hit ? hit - s->data : -1;
}

/* Byte offset of the last match of sub, or -1. */
static rpy_int rfind_bytes(const struct rpy_str *s, const struct rpy_str *sub)
{
    rpy_int m = sub->nbytes;
    if (m == 0)
        return s->nbytes;
    for (rpy_int end = s->nbytes; end >= m;) {
        const char *hit = memrchr(s->data, sub->data[m - 1], (size_t)end);
        if (!hit)
            return -1;
        rpy_int last = hit - s->data;
        if (last + 1 >= m && memcmp(s->data + last + 1 - m, sub->data, (size_t)m) == 0)
            return last + 1 - m;
        end = last;
    }
    return -1;
}

rpy_int rpy_str_find(const struct rpy_str *s, const struct rpy_str *sub)
{
    if (sub->nbytes == 0)
        return 0;
    rpy_int off = find_bytes(s, sub, 0);
    return off < 0 ? -1 : cp_index(s, off);
}

rpy_int rpy_str_rfind(const struct rpy_str *s, const struct rpy_str *sub)
{
    rpy_int off = rfind_bytes(s, sub);
    return off < 0 ? -1 : cp_index(s, off);
}

rpy_int rpy_str_index(const struct rpy_str *s, const struct rpy_str *sub)
{
    rpy_int i = rpy_str_find(s, sub);
    if (i < 0)
        rpy_raise_builtin_c(RPY_EXC_ValueError, "substring not found");
    return i;
}

rpy_int rpy_str_count(const struct rpy_str *s, const struct rpy_str *sub)
{
    if (sub->nbytes == 0)
        return s->length + 1;
    rpy_int n = 0;
    for (rpy_int off = 0; (off = find_bytes(s, sub, off)) >= 0; off += sub->nbytes)
        n++;
    return n;
}

/* ---- search in s[start:end] ---- */

/* CPython's ADJUST_INDICES: end clamped to the length, negative indexes
 * from the end (not below 0); start may stay past the end. The compiler
 * passes 0 and INT64_MAX for omitted (or None) bounds. */
static void adjust_indices(const struct rpy_str *s, rpy_int *start, rpy_int *end)
{
    rpy_int len = s->length;
    if (*end > len) {
        *end = len;
    } else if (*end < 0) {
        *end += len;
        if (*end < 0)
            *end = 0;
    }
    if (*start < 0) {
        *start += len;
        if (*start < 0)
            *start = 0;
    }
}

/* Byte offset of code point i of s (0 <= i <= length). */
static rpy_int byte_offset(const struct rpy_str *s, rpy_int i)
{
    if (rt_str_is_ascii(s))
        return i;
    const unsigned char *p = (const unsigned char *)s->data;
    while (i-- > 0)
        p += rt_utf8_seqlen(*p);
    return (const char *)p - s->data;
}

/* The bytes [*a, *z) of s[start:end] after adjusting the bounds; false
 * when the window is shorter than sub (nothing can match). */
static bool window(const struct rpy_str *s, const struct rpy_str *sub, rpy_int *start, rpy_int *end, rpy_int *a,
                   rpy_int *z)
{
    adjust_indices(s, start, end);
    if (*end - *start < sub->length)
        return false;
    *a = byte_offset(s, *start);
    *z = byte_offset(s, *end);
    return true;
}

/* Byte offset of the last match of sub inside bytes [a, z), or -1. */
static rpy_int rfind_window(const struct rpy_str *s, const struct rpy_str *sub, rpy_int a, rpy_int z)
{
    rpy_int m = sub->nbytes;
    if (m == 0)
        return z;
    for (rpy_int end = z; end - a >= m;) {
        const char *lo = s->data + a + m - 1; /* the last byte of a match that starts at a */
        const char *hit = memrchr(lo, sub->data[m - 1], (size_t)(s->data + end - lo));
        if (!hit)
            return -1;
        rpy_int last = hit - s->data;
        if (memcmp(s->data + last + 1 - m, sub->data, (size_t)m) == 0)
            return last + 1 - m;
        end = last;
    }
    return -1;
}

rpy_int rpy_str_find_slice(const struct rpy_str *s, const struct rpy_str *sub, rpy_int start, rpy_int end)
{
    rpy_int a, z;
    if (!window(s, sub, &start, &end, &a, &z))
        return -1;
    if (sub->nbytes == 0)
        return start;
    const char *hit = memmem(s->data + a, (size_t)(z - a), sub->data, (size_t)sub->nbytes);
    return hit ? cp_index(s, hit - s->data) : -1;
}

rpy_int rpy_str_rfind_slice(const struct rpy_str *s, const struct rpy_str *sub, rpy_int start, rpy_int end)
{
    rpy_int a, z;
    if (!window(s, sub, &start, &end, &a, &z))
        return -1;
    if (sub->nbytes == 0)
        return end;
    rpy_int off = rfind_window(s, sub, a, z);
    return off < 0 ? -1 : cp_index(s, off);
}

rpy_int rpy_str_index_slice(const struct rpy_str *s, const struct rpy_str *sub, rpy_int start, rpy_int end)
{
    rpy_int i = rpy_str_find_slice(s, sub, start, end);
    if (i < 0)
        rpy_raise_builtin_c(RPY_EXC_ValueError, "substring not found");
    return i;
}

rpy_int rpy_str_rindex_slice(const struct rpy_str *s, const struct rpy_str *sub, rpy_int start, rpy_int end)
{
    rpy_int i = rpy_str_rfind_slice(s, sub, start, end);
    if (i < 0)
        rpy_raise_builtin_c(RPY_EXC_ValueError, "substring not found");
    return i;
}

rpy_int rpy_str_count_slice(const struct rpy_str *s, const struct rpy_str *sub, rpy_int start, rpy_int end)
{
    rpy_int a, z;
    if (!window(s, sub, &start, &end, &a, &z))
        return 0;
    if (sub->nbytes == 0)
        return end - start + 1;
    rpy_int n = 0;
    for (const char *p = s->data + a, *e = s->data + z;
         (p = memmem(p, (size_t)(e - p), sub->data, (size_t)sub->nbytes)) != NULL; p += sub->nbytes)
        n++;
    return n;
}

/* CPython's tailmatch: whether s[start:end] starts (at_end false) or
 * ends with sub. */
static bool tailmatch(const struct rpy_str *s, const struct rpy_str *sub, rpy_int start, rpy_int end, bool at_end)
{
    adjust_indices(s, &start, &end);
    end -= sub->length;
    if (end < start)
        return false;
    if (sub->length == 0)
        return true;
    rpy_int off = byte_offset(s, at_end ? end : start);
    return off + sub->nbytes <= s->nbytes && memcmp(s->data + off, sub->data, (size_t)sub->nbytes) == 0;
}

rpy_bool rpy_str_startswith_slice(const struct rpy_str *s, const struct rpy_str *prefix, rpy_int start, rpy_int end)
{
    return tailmatch(s, prefix, start, end, false);
}

rpy_bool rpy_str_endswith_slice(const struct rpy_str *s, const struct rpy_str *suffix, rpy_int start, rpy_int end)
{
    return tailmatch(s, suffix, start, end, true);
}

rpy_bool rpy_str_tailmatch_any(const struct rpy_str *s, const struct rpy_tuple *subs, const struct rpy_typeinfo *tupti,
                               rpy_int start, rpy_int end, rpy_bool at_end)
{
    for (uint32_t i = 0; i < tupti->nitems; i++) {
        const struct rpy_str *sub = rpy_w_to_ptr(subs->items[i]);
        if (!sub) {
            rpy_raise_builtin_c(RPY_EXC_TypeError, at_end ? "tuple for endswith must only contain str, not NoneType"
                                                          : "tuple for startswith must only contain str, not NoneType");
            return false;
        }
        if (tailmatch(s, sub, start, end, at_end))
            return true;
    }
    return false;
}

void rpy_str_arg_check(const struct rpy_str *arg)
{
    if (!arg)
        rpy_raise_builtin_c(RPY_EXC_TypeError, "must be str, not NoneType");
}

/* ---- replace ---- */

/* old == "": new goes before every character and at the end, at most
 * count times. */
static struct rpy_str *replace_empty(const struct rpy_str *s, const struct rpy_str *new_, rpy_int count)
{
    struct rt_buf b;
    rt_buf_init(&b);
    const unsigned char *p = (const unsigned char *)s->data, *end = p + s->nbytes;
    for (;;) {
        if (count != 0) {
            rt_buf_put(&b, new_->data, (size_t)new_->nbytes);
            count--;
        }
        if (p >= end)
            break;
        int k = rt_utf8_seqlen(*p);
        rt_buf_put(&b, (const char *)p, (size_t)k);
        p += k;
    }
    return rt_buf_to_str(&b);
}

struct rpy_str *rpy_str_replace(const struct rpy_str *s, const struct rpy_str *old, const struct rpy_str *new_,
                                rpy_int count)
{
    if (count < 0)
        count = INT64_MAX;
    if (count == 0)
        return (struct rpy_str *)s;
    if (old->nbytes == 0)
        return replace_empty(s, new_, count);
    struct rt_buf b;
    rt_buf_init(&b);
    rpy_int off = 0, hits = 0;
    for (rpy_int at; hits < count && (at = find_bytes(s, old, off)) >= 0; hits++) {
        rt_buf_put(&b, s->data + off, (size_t)(at - off));
        rt_buf_put(&b, new_->data, (size_t)new_->nbytes);
        off = at + old->nbytes;
    }
    if (hits == 0) {
        rt_buf_release(&b);
        return (struct rpy_str *)s;
    }
    rt_buf_put(&b, s->data + off, (size_t)(s->nbytes - off));
    return rt_buf_to_str(&b);
}

/* ---- predicates ---- */

/* True when s is nonempty and every code point satisfies the test. */
static bool all_chars(const struct rpy_str *s, unsigned ascii_mask, bool (*uc)(uint32_t))
{
    if (s->nbytes == 0)
        return false;
    const unsigned char *p = (const unsigned char *)s->data, *end = p + s->nbytes;
    while (p < end) {
        if (*p < 0x80) {
            if (!(ascii_class[*p++] & ascii_mask))
                return false;
        } else if (!uc(rt_utf8_decode(&p))) {
            return false;
        }
    }
    return true;
}

static bool uc_isalnum(uint32_t cp) { return rt_uc_isalpha(cp) || rt_uc_isnumeric(cp); }

rpy_bool rpy_str_isdigit(const struct rpy_str *s) { return all_chars(s, C_DIGIT, rt_uc_isdigit); }
rpy_bool rpy_str_isalpha(const struct rpy_str *s) { return all_chars(s, C_UPPER | C_LOWER, rt_uc_isalpha); }
rpy_bool rpy_str_isalnum(const struct rpy_str *s)
{
    return all_chars(s, C_UPPER | C_LOWER | C_DIGIT, uc_isalnum);
}
rpy_bool rpy_str_isspace(const struct rpy_str *s) { return all_chars(s, C_SPACE, rt_uc_isspace); }

/* CPython: no character of the opposite case (or titlecase), and at least
 * one of the wanted case. */
static bool cased_as(const struct rpy_str *s, bool upper)
{
    bool seen = false;
    const unsigned char *p = (const unsigned char *)s->data, *end = p + s->nbytes;
    while (p < end) {
        uint32_t cp = rt_utf8_decode(&p);
        bool up = rt_uc_isupper(cp), lo = rt_uc_islower(cp);
        if ((upper ? lo : up) || rt_uc_istitle(cp))
            return false;
        seen |= upper ? up : lo;
    }
    return seen;
}

rpy_bool rpy_str_isupper(const struct rpy_str *s) { return cased_as(s, true); }
rpy_bool rpy_str_islower(const struct rpy_str *s) { return cased_as(s, false); }

/* CPython: uppercase (or titlecase) characters only after uncased ones,
 * lowercase ones only after cased ones, and at least one cased. */
rpy_bool rpy_str_istitle(const struct rpy_str *s)
{
    bool cased = false, prev_cased = false;
    const unsigned char *p = (const unsigned char *)s->data, *end = p + s->nbytes;
    while (p < end) {
        uint32_t cp = rt_utf8_decode(&p);
        if (rt_uc_isupper(cp) || rt_uc_istitle(cp)) {
            if (prev_cased)
                return false;
            prev_cased = cased = true;
        } else if (rt_uc_islower(cp)) {
            if (!prev_cased)
                return false;
            prev_cased = cased = true;
        } else {
            prev_cased = false;
        }
    }
    return cased;
}

rpy_bool rpy_str_isdecimal(const struct rpy_str *s) { return all_chars(s, C_DIGIT, rt_uc_isdecimal); }
rpy_bool rpy_str_isnumeric(const struct rpy_str *s) { return all_chars(s, C_DIGIT, rt_uc_isnumeric); }

/* ---- encode ---- */

/* s.encode() is bytes; RPy represents bytes as a list of ints, one per
 * byte (the annotator lets a program only measure and iterate it). The
 * UTF-8 bytes are s's own, except that CPython refuses surrogates. */
struct rpy_list *rpy_str_encode(const struct rpy_str *s, const struct rpy_typeinfo *listti)
{
    const unsigned char *p = (const unsigned char *)s->data, *end = p + s->nbytes;
    for (rpy_int i = 0; p < end; i++) {
        uint32_t cp = rt_utf8_decode(&p);
        if (cp >= 0xd800 && cp < 0xe000) {
            char msg[120];
            snprintf(msg, sizeof msg,
                     "'utf-8' codec can't encode character '\\u%04x' in position %lld: surrogates not allowed",
                     (unsigned)cp, (long long)i);
            rpy_raise_builtin_c(RPY_EXC_UnicodeError, msg);
            return rpy_list_new(listti, 0);
        }
    }
    RPY_ROOT(s);
    struct rpy_list *l = rpy_list_new(listti, s->nbytes); /* fresh: filled without barriers */
    for (rpy_int i = 0; i < s->nbytes; i++)
        l->items->items[i] = rpy_w_from_int((unsigned char)s->data[i]);
    return l;
}

/* ---- split and join ---- */

/* Appends bytes [a, z) of s to l (may collect; callers root l and s). */
static void append_piece(struct rpy_list *l, const struct rpy_str *s, rpy_int a, rpy_int z)
{
    RPY_ROOT(l);
    struct rpy_str *piece = sub_bytes(s, a, z);
    rpy_list_append(l, rpy_w_from_ptr(piece));
}

/* Byte offset of the first non-whitespace character at or after off. */
static rpy_int skip_space(const struct rpy_str *s, rpy_int off, bool want_space)
{
    while (off < s->nbytes) {
        const unsigned char *p = (const unsigned char *)s->data + off;
        if (is_space(rt_utf8_decode(&p)) != want_space)
            break;
        off = (const char *)p - s->data;
    }
    return off;
}

/* split(): runs of whitespace separate; no empty strings; after maxsplit
 * splits the rest, from its first non-whitespace, is the last item. */
static void split_whitespace(struct rpy_list *l, const struct rpy_str *s, rpy_int maxsplit)
{
    RPY_ROOT(l);
    RPY_ROOT(s);
    rpy_int off = skip_space(s, 0, true);
    while (off < s->nbytes) {
        if (maxsplit-- == 0) { /* the rest, trailing whitespace and all */
            append_piece(l, s, off, s->nbytes);
            return;
        }
        rpy_int end = skip_space(s, off, false);
        append_piece(l, s, off, end);
        off = skip_space(s, end, true);
    }
}

/* What split() and rsplit() share: a negative maxsplit means no limit, an
 * empty separator raises (NULL), else the result list to fill. */
static struct rpy_list *split_start(const struct rpy_str *sep, rpy_int *maxsplit, const struct rpy_typeinfo *listti)
{
    if (*maxsplit < 0)
        *maxsplit = INT64_MAX;
    if (sep && sep->nbytes == 0) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, "empty separator");
        return NULL;
    }
    return rpy_list_new_cap(listti, 4);
}

struct rpy_list *rpy_str_split(const struct rpy_str *s, const struct rpy_str *sep, rpy_int maxsplit,
                               const struct rpy_typeinfo *listti)
{
    RPY_ROOT(s);
    RPY_ROOT(sep);
    struct rpy_list *l = split_start(sep, &maxsplit, listti);
    if (!l)
        return rpy_list_new(listti, 0);
    RPY_ROOT(l);
    if (!sep) {
        split_whitespace(l, s, maxsplit);
        return l;
    }
    rpy_int off = 0;
    for (rpy_int at; maxsplit > 0 && (at = find_bytes(s, sep, off)) >= 0; maxsplit--) {
        append_piece(l, s, off, at);
        off = at + sep->nbytes;
    }
    append_piece(l, s, off, s->nbytes);
    return l;
}

/* rsplit() on whitespace: split_whitespace from the right. */
static void rsplit_whitespace(struct rpy_list *l, const struct rpy_str *s, rpy_int maxsplit)
{
    RPY_ROOT(l);
    RPY_ROOT(s);
    rpy_int end = s->nbytes;
    while (end > 0) {
        while (end > 0 && is_space(decode_at(s->data, prev_boundary(s->data, end))))
            end = prev_boundary(s->data, end);
        if (end == 0)
            break;
        if (maxsplit-- == 0) { /* the rest, leading whitespace and all */
            append_piece(l, s, 0, end);
            break;
        }
        rpy_int start = end;
        while (start > 0 && !is_space(decode_at(s->data, prev_boundary(s->data, start))))
            start = prev_boundary(s->data, start);
        append_piece(l, s, start, end);
        end = start;
    }
}

/* rsplit(): the pieces are found from the right, then put in order. */
struct rpy_list *rpy_str_rsplit(const struct rpy_str *s, const struct rpy_str *sep, rpy_int maxsplit,
                                const struct rpy_typeinfo *listti)
{
    RPY_ROOT(s);
    RPY_ROOT(sep);
    struct rpy_list *l = split_start(sep, &maxsplit, listti);
    if (!l)
        return rpy_list_new(listti, 0);
    RPY_ROOT(l);
    if (!sep) {
        rsplit_whitespace(l, s, maxsplit);
    } else {
        rpy_int end = s->nbytes;
        for (; maxsplit > 0; maxsplit--) {
            rpy_int at = -1;
            for (rpy_int k = end - sep->nbytes; k >= 0 && at < 0; k--)
                if (memcmp(s->data + k, sep->data, (size_t)sep->nbytes) == 0)
                    at = k;
            if (at < 0)
                break;
            append_piece(l, s, at + sep->nbytes, end);
            end = at;
        }
        append_piece(l, s, 0, end);
    }
    rpy_list_reverse(l);
    return l;
}

struct rpy_str *rpy_str_join(const struct rpy_str *sep, const struct rpy_list *items)
{
    rpy_int n = items->length, nbytes = 0, length = 0;
    for (rpy_int i = 0; i < n; i++) {
        const struct rpy_str *it = rpy_w_to_ptr(items->items->items[i]);
        if (!it) {
            char msg[100];
            snprintf(msg, sizeof msg, "sequence item %lld: expected str instance, NoneType found",
                     (long long)i);
            rpy_raise_builtin_c(RPY_EXC_TypeError, msg);
            return rt_str_empty();
        }
        nbytes += it->nbytes;
        length += it->length;
    }
    if (n == 0)
        return rt_str_empty();
    if (n == 1)
        return rpy_w_to_ptr(items->items->items[0]);
    nbytes += sep->nbytes * (n - 1);
    length += sep->length * (n - 1);
    RPY_ROOT(sep);
    RPY_ROOT(items);
    struct rpy_str *r = rt_str_alloc(nbytes, length); /* the items are read after it */
    char *p = r->data;
    for (rpy_int i = 0; i < n; i++) {
        const struct rpy_str *it = rpy_w_to_ptr(items->items->items[i]);
        if (i > 0) {
            memcpy(p, sep->data, (size_t)sep->nbytes);
            p += sep->nbytes;
        }
        memcpy(p, it->data, (size_t)it->nbytes);
        p += it->nbytes;
    }
    return r;
}
