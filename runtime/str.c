/* str.c - the str object: allocation, indexing, slicing, comparison,
 * hashing, repr.
 *
 * A str holds UTF-8 bytes (NUL-terminated, so C functions can read it)
 * and caches its length in code points. ASCII strings (length == nbytes)
 * take fast paths everywhere: indexing is a byte access. Other strings
 * are indexed by walking the lead bytes, O(i); programs that index long
 * non-ASCII text in a loop pay for it, the price of UTF-8 storage (which
 * makes printing, concatenation and searching plain byte operations).
 *
 * UTF-8 byte order is code point order, so comparison is memcmp, and a
 * byte-level substring match in valid UTF-8 always starts on a character
 * boundary, so searching is memmem.
 *
 * The empty string, the 128 one-character ASCII strings, "True", "False"
 * and "None" are static objects: s[i], iteration over ASCII text and
 * str(digit) allocate nothing.
 *
 * Also here: the growable byte buffer (struct rt_buf) the runtime builds
 * text in, and chr/ord/bool conversions.
 *
 * Under the moving collector: a routine that allocates its result and
 * then copies from its arguments roots them and reads s->data only after
 * the allocation. Substrings go through rt_str_sub, which does that;
 * rpy_str_from_utf8 is for bytes outside the GC heap (an rt_buf, a C
 * string, a few bytes copied to the stack). The static strings above
 * never move.
 */
#include "runtime/rt_internal.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- static strings ---- */

struct small_str { /* same layout as RPY_STR_PREBUILT_TYPE(n) for n < 8 */
    struct rpy_hdr hdr;
    rpy_int hash, length, nbytes;
    char data[8];
};

static struct small_str ascii_chars[128];
static struct small_str empty_str = {{RPY_TID_STR, RPY_GC_PREBUILT}, -1, 0, 0, ""};
static struct small_str true_str = {{RPY_TID_STR, RPY_GC_PREBUILT}, -1, 4, 4, "True"};
static struct small_str false_str = {{RPY_TID_STR, RPY_GC_PREBUILT}, -1, 5, 5, "False"};
static struct small_str none_str = {{RPY_TID_STR, RPY_GC_PREBUILT}, -1, 4, 4, "None"};

__attribute__((constructor)) static void init_ascii_chars(void)
{
    for (unsigned c = 0; c < 128; c++) {
        struct small_str *s = &ascii_chars[c];
        s->hdr.tid = RPY_TID_STR;
        s->hdr.gcflags = RPY_GC_PREBUILT;
        s->hash = -1;
        s->length = s->nbytes = 1;
        s->data[0] = (char)c;
    }
}

struct rpy_str *rt_str_ascii_char(unsigned c) { return (struct rpy_str *)&ascii_chars[c & 127]; }
struct rpy_str *rt_str_empty(void) { return (struct rpy_str *)&empty_str; }
struct rpy_str *rt_str_none(void) { return (struct rpy_str *)&none_str; }

struct rpy_str *rpy_str_from_bool(rpy_bool v)
{
    return (struct rpy_str *)(v ? &true_str : &false_str);
}

/* ---- allocation ---- */

struct rpy_str *rt_str_alloc(rpy_int nbytes, rpy_int length)
{
    if (nbytes < 0 || nbytes > INT64_MAX / 2) {
        rt_memory_error();
        return rt_str_empty();
    }
    struct rpy_str *s = rpy_malloc(&rpy_ti_str, sizeof(struct rpy_str) + (size_t)nbytes + 1);
    s->hash = -1;
    s->length = length;
    s->nbytes = nbytes;
    return s;
}

rpy_int rt_utf8_count(const char *s, rpy_int nbytes)
{
    rpy_int n = 0;
    for (rpy_int i = 0; i < nbytes; i++)
        n += ((unsigned char)s[i] & 0xc0) != 0x80;
    return n;
}

int rt_utf8_encode(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

struct rpy_str *rpy_str_from_utf8(const char *s, rpy_int nbytes)
{
    if (nbytes == 0)
        return rt_str_empty();
    if (nbytes == 1 && (unsigned char)s[0] < 0x80)
        return rt_str_ascii_char((unsigned char)s[0]);
    struct rpy_str *r = rt_str_alloc(nbytes, rt_utf8_count(s, nbytes));
    memcpy(r->data, s, (size_t)nbytes);
    return r;
}

struct rpy_str *rpy_str_from_cstr(const char *s) { return rpy_str_from_utf8(s, (rpy_int)strlen(s)); }

struct rpy_str *rt_str_sub(const struct rpy_str *s, rpy_int off, rpy_int nbytes)
{
    if (off == 0 && nbytes == s->nbytes)
        return (struct rpy_str *)s;
    if (nbytes == 0)
        return rt_str_empty();
    if (nbytes == 1 && (unsigned char)s->data[off] < 0x80)
        return rt_str_ascii_char((unsigned char)s->data[off]);
    rpy_int length = rt_str_is_ascii(s) ? nbytes : rt_utf8_count(s->data + off, nbytes);
    RPY_ROOT(s);
    struct rpy_str *r = rt_str_alloc(nbytes, length);
    memcpy(r->data, s->data + off, (size_t)nbytes);
    return r;
}

rpy_int rpy_str_len(const struct rpy_str *s) { return s->length; }

/* ---- the byte buffer ---- */

void rt_buf_init(struct rt_buf *b)
{
    b->data = b->inl;
    b->len = 0;
    b->cap = sizeof b->inl;
}

void rt_buf_reserve_slow(struct rt_buf *b, size_t extra)
{
    size_t need = b->len + extra;
    size_t cap = b->cap * 2;
    if (cap < need)
        cap = need;
    char *p = b->data == b->inl ? malloc(cap) : realloc(b->data, cap);
    if (!p) {
        rt_memory_error();
        exit(1);
    }
    if (b->data == b->inl)
        memcpy(p, b->inl, b->len);
    b->data = p;
    b->cap = cap;
}

void rt_buf_release(struct rt_buf *b)
{
    if (b->data != b->inl)
        free(b->data);
    rt_buf_init(b);
}

struct rpy_str *rt_buf_to_str(struct rt_buf *b)
{
    struct rpy_str *s = rpy_str_from_utf8(b->data, (rpy_int)b->len);
    rt_buf_release(b);
    return s;
}

/* ---- concatenation and repetition ---- */

struct rpy_str *rpy_str_concat(const struct rpy_str *a, const struct rpy_str *b)
{
    if (a->nbytes == 0)
        return (struct rpy_str *)b;
    if (b->nbytes == 0)
        return (struct rpy_str *)a;
    RPY_ROOT(a);
    RPY_ROOT(b);
    struct rpy_str *r = rt_str_alloc(a->nbytes + b->nbytes, a->length + b->length);
    memcpy(r->data, a->data, (size_t)a->nbytes);
    memcpy(r->data + a->nbytes, b->data, (size_t)b->nbytes);
    return r;
}

struct rpy_str *rpy_str_mul(const struct rpy_str *s, rpy_int n)
{
    if (n <= 0 || s->nbytes == 0)
        return rt_str_empty();
    if (n == 1)
        return (struct rpy_str *)s;
    if (s->nbytes > INT64_MAX / 2 / n) {
        rt_memory_error();
        return rt_str_empty();
    }
    rpy_int total = s->nbytes * n;
    RPY_ROOT(s);
    struct rpy_str *r = rt_str_alloc(total, s->length * n);
    memcpy(r->data, s->data, (size_t)s->nbytes);
    /* Double the filled prefix: log(n) memcpy calls. */
    for (rpy_int done = s->nbytes; done < total;) {
        rpy_int k = done < total - done ? done : total - done;
        memcpy(r->data + done, r->data, (size_t)k);
        done += k;
    }
    return r;
}

/* ---- indexing and slicing ---- */

/* k code points after p (valid UTF-8). */
static const char *cp_advance(const char *p, rpy_int k)
{
    const unsigned char *q = (const unsigned char *)p;
    while (k-- > 0)
        q += rt_utf8_seqlen(*q);
    return (const char *)q;
}

/* Address of code point i (0 <= i <= length) of a non-ASCII string. */
static const char *cp_addr(const struct rpy_str *s, rpy_int i) { return cp_advance(s->data, i); }

/* The code point at byte offset off of s, as a str (static for ASCII). */
static struct rpy_str *char_at(const struct rpy_str *s, rpy_int off)
{
    char c[4]; /* copied out: allocating the result may move s */
    int n = rt_utf8_seqlen((unsigned char)s->data[off]);
    memcpy(c, s->data + off, (size_t)n);
    return rpy_str_from_utf8(c, n);
}

struct rpy_str *rpy_str_getitem(const struct rpy_str *s, rpy_int i)
{
    if (i < 0)
        i += s->length;
    if ((uint64_t)i >= (uint64_t)s->length) {
        rpy_raise_builtin_c(RPY_EXC_IndexError, "string index out of range");
        return rt_str_empty();
    }
    if (rt_str_is_ascii(s))
        return rt_str_ascii_char((unsigned char)s->data[i]);
    return char_at(s, cp_addr(s, i) - s->data);
}

/* Non-ASCII slice with a step other than 1: byte offset of every code
 * point first, then gather. */
static struct rpy_str *slice_stepped(const struct rpy_str *s, rpy_int start, rpy_int step,
                                     rpy_int count)
{
    rpy_int *offs = malloc(sizeof(rpy_int) * (size_t)(s->length + 1));
    if (!offs) {
        rt_memory_error();
        return rt_str_empty();
    }
    const unsigned char *p = (const unsigned char *)s->data;
    for (rpy_int i = 0; i <= s->length; i++) {
        offs[i] = (const char *)p - s->data;
        if (i < s->length)
            p += rt_utf8_seqlen(*p);
    }
    struct rt_buf b;
    rt_buf_init(&b);
    for (rpy_int k = 0; k < count; k++) {
        rpy_int i = start + k * step; /* in range; a running sum could overflow past the end */
        rt_buf_put(&b, s->data + offs[i], (size_t)(offs[i + 1] - offs[i]));
    }
    free(offs);
    return rt_buf_to_str(&b);
}

struct rpy_str *rpy_str_slice(const struct rpy_str *s, rpy_int start, rpy_bool has_start, rpy_int stop,
                              rpy_bool has_stop, rpy_int step)
{
    if (step == 0) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, "slice step cannot be zero");
        return rt_str_empty();
    }
    rpy_int n = rt_slice_adjust(s->length, &start, has_start, &stop, has_stop, &step);
    if (n <= 0)
        return rt_str_empty();
    if (n == s->length && step == 1)
        return (struct rpy_str *)s;
    bool ascii = rt_str_is_ascii(s);
    if (step == 1) {
        const char *a = ascii ? s->data + start : cp_addr(s, start);
        const char *z = ascii ? s->data + stop : cp_advance(a, n);
        return rt_str_sub(s, a - s->data, z - a);
    }
    if (!ascii)
        return slice_stepped(s, start, step, n);
    if (n == 1)
        return rt_str_ascii_char((unsigned char)s->data[start]);
    RPY_ROOT(s);
    struct rpy_str *r = rt_str_alloc(n, n);
    for (rpy_int k = 0; k < n; k++)
        r->data[k] = s->data[start + k * step];
    return r;
}

/* ---- comparison and hashing ---- */

rpy_bool rpy_str_eq(const struct rpy_str *a, const struct rpy_str *b)
{
    if (a == b)
        return true;
    if (!a || !b || a->nbytes != b->nbytes)
        return false;
    if (a->hash != -1 && b->hash != -1 && a->hash != b->hash)
        return false;
    return memcmp(a->data, b->data, (size_t)a->nbytes) == 0;
}

int rpy_str_cmp(const struct rpy_str *a, const struct rpy_str *b)
{
    rpy_int n = a->nbytes < b->nbytes ? a->nbytes : b->nbytes;
    int c = memcmp(a->data, b->data, (size_t)n);
    if (c)
        return c < 0 ? -1 : 1;
    return (a->nbytes > b->nbytes) - (a->nbytes < b->nbytes);
}

rpy_bool rpy_str_contains(const struct rpy_str *haystack, const struct rpy_str *needle)
{
    if (needle->nbytes == 0)
        return true;
    if (needle->nbytes == 1)
        return memchr(haystack->data, needle->data[0], (size_t)haystack->nbytes) != NULL;
    return memmem(haystack->data, (size_t)haystack->nbytes, needle->data, (size_t)needle->nbytes) != NULL;
}

static uint64_t hash_mix(uint64_t a, uint64_t b)
{
    unsigned __int128 r = (unsigned __int128)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/* A fast multiply-mix hash over 8-byte words (CPython's str hash is
 * randomised per process anyway, so no program can depend on its values).
 * Never -1, which marks "not computed". */
rpy_int rpy_str_hash(struct rpy_str *s)
{
    if (s->hash != -1)
        return s->hash;
    const uint64_t k1 = 0xa0761d6478bd642fULL, k2 = 0xe7037ed1a0b428dbULL;
    uint64_t h = 0x8ebc6af09c88c6e3ULL ^ (uint64_t)s->nbytes;
    const char *p = s->data;
    rpy_int n = s->nbytes;
    for (; n >= 8; n -= 8, p += 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = hash_mix(h ^ w, k1);
    }
    uint64_t tail = 0;
    memcpy(&tail, p, (size_t)n);
    h = hash_mix(h ^ tail, k2);
    h = hash_mix(h, k1);
    rpy_int r = (rpy_int)h;
    if (r == -1)
        r = -2;
    s->hash = r;
    return r;
}

/* ---- repr ---- */

static void put_escape(struct rt_buf *b, char kind, uint32_t cp, int digits)
{
    static const char hex[] = "0123456789abcdef";
    char tmp[10];
    tmp[0] = '\\';
    tmp[1] = kind;
    for (int i = 0; i < digits; i++)
        tmp[2 + i] = hex[(cp >> (4 * (digits - 1 - i))) & 15];
    rt_buf_put(b, tmp, (size_t)digits + 2);
}

static void repr_char(struct rt_buf *b, uint32_t cp, const unsigned char *src, int len, char quote)
{
    if (cp == (uint32_t)quote || cp == '\\') {
        rt_buf_putc(b, '\\');
        rt_buf_putc(b, (char)cp);
    } else if (cp == '\t') {
        rt_buf_put(b, "\\t", 2);
    } else if (cp == '\n') {
        rt_buf_put(b, "\\n", 2);
    } else if (cp == '\r') {
        rt_buf_put(b, "\\r", 2);
    } else if (cp < ' ' || cp == 0x7f) {
        put_escape(b, 'x', cp, 2);
    } else if (cp < 0x80 || rt_uc_isprintable(cp)) {
        rt_buf_put(b, (const char *)src, (size_t)len);
    } else if (cp <= 0xff) {
        put_escape(b, 'x', cp, 2);
    } else if (cp <= 0xffff) {
        put_escape(b, 'u', cp, 4);
    } else {
        put_escape(b, 'U', cp, 8);
    }
}

/* CPython's unicode_repr: single quotes unless the text has a ' and no ". */
void rt_str_repr_into(struct rt_buf *b, const struct rpy_str *s)
{
    size_t n = (size_t)s->nbytes;
    char quote = '\'';
    if (memchr(s->data, '\'', n) && !memchr(s->data, '"', n))
        quote = '"';
    rt_buf_reserve(b, n + 2);
    rt_buf_putc(b, quote);
    const unsigned char *p = (const unsigned char *)s->data, *end = p + n;
    while (p < end) {
        const unsigned char *start = p;
        uint32_t cp = rt_utf8_decode(&p);
        if (cp >= ' ' && cp < 0x7f && cp != (uint32_t)quote && cp != '\\')
            rt_buf_putc(b, (char)cp);
        else
            repr_char(b, cp, start, (int)(p - start), quote);
    }
    rt_buf_putc(b, quote);
}

struct rpy_str *rpy_str_repr(const struct rpy_str *s)
{
    struct rt_buf b;
    rt_buf_init(&b);
    rt_str_repr_into(&b, s);
    return rt_buf_to_str(&b);
}

/* ---- chr, ord, list("...") ---- */

struct rpy_str *rpy_str_chr(rpy_int cp)
{
    if (cp < 0 || cp >= 0x110000) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, "chr() arg not in range(0x110000)");
        return rt_str_empty();
    }
    if (cp < 0x80)
        return rt_str_ascii_char((unsigned)cp);
    char buf[4];
    int n = rt_utf8_encode(buf, (uint32_t)cp);
    struct rpy_str *r = rt_str_alloc(n, 1);
    memcpy(r->data, buf, (size_t)n);
    return r;
}

rpy_int rpy_str_ord(const struct rpy_str *s)
{
    if (s->length != 1) {
        char msg[100];
        snprintf(msg, sizeof msg, "ord() expected a character, but string of length %lld found",
                 (long long)s->length);
        rpy_raise_builtin_c(RPY_EXC_TypeError, msg);
        return 0;
    }
    const unsigned char *p = (const unsigned char *)s->data;
    return rt_utf8_decode(&p);
}

struct rpy_list *rpy_list_from_str(const struct rpy_str *s, const struct rpy_typeinfo *listti)
{
    RPY_ROOT(s);
    struct rpy_list *l = rpy_list_new(listti, s->length);
    if (rt_str_is_ascii(s)) { /* static characters: l stays fresh, no barrier */
        for (rpy_int i = 0; i < s->length; i++)
            l->items->items[i] = rpy_w_from_ptr(rt_str_ascii_char((unsigned char)s->data[i]));
        return l;
    }
    /* char_at allocates: l is rooted, may be old afterwards (barrier) */
    RPY_ROOT(l);
    rpy_int off = 0;
    for (rpy_int i = 0; i < s->length; i++) {
        struct rpy_str *c = char_at(s, off);
        rpy_gc_wb(l->items);
        l->items->items[i] = rpy_w_from_ptr(c);
        off += c->nbytes;
    }
    return l;
}
