/* rt_internal.h - what the runtime's own files share and compiled programs
 * never see.
 *
 * The public ABI is rpyrt.h. This header adds the plumbing behind it: a
 * growable byte buffer used to build strings (repr of containers, str
 * methods that cannot size their result up front), the number formatters
 * that write into caller-provided char arrays (so printing an int or a
 * float allocates nothing), slice index normalisation shared by str and
 * list, UTF-8 helpers, the Unicode property tables, and a few error
 * shortcuts. Everything here has the `rt_` prefix.
 *
 * The collector moves objects, so the runtime's C code follows two rules
 * (rpyrt.h, "the collector"): a GC pointer used after a call that may
 * collect is rooted (RPY_ROOT, RPY_ROOT_WORD) and interior pointers
 * (s->data, l->items->items, d->entries) are re-read after such a call;
 * a GC pointer stored into an object that may be old goes after
 * rpy_gc_wb(object). Calls that may collect: every allocation (rt_str_alloc,
 * rpy_list_new, rpy_str_from_*, rt_buf_to_str, ...), every raise, and the
 * generic operations on values whose types rt_value_may_collect admits.
 * The rt_buf byte buffer is malloc memory (or on the C stack), never GC
 * memory, so text built in it survives collections.
 */
#ifndef RPY_RT_INTERNAL_H
#define RPY_RT_INTERNAL_H

#include "runtime/rpyrt.h"

#include <stdint.h>
#include <stdlib.h>

/* ---- diagnostics for runtime bugs (not Python errors) ---- */
_Noreturn void rt_die(const char *file, int line, const char *msg);
#define RT_DIE(msg) rt_die(__FILE__, __LINE__, (msg))

/* MemoryError, raised when a size computation overflows. */
void rt_memory_error(void);

/* The type info of a GC object, from its header. */
static inline const struct rpy_typeinfo *rt_ti_of(const void *obj)
{
    return rpy_typetable[((const struct rpy_hdr *)obj)->tid];
}

/* An allocation that never runs the collector (nothing moves): what
 * raising a built-in exception uses, so that a routine whose only
 * allocation is its error does not collect (rtyper/rtfuncs.h). */
void *rt_gc_malloc_nocollect(const struct rpy_typeinfo *ti, size_t size);

/* ---- gc.c ---- */
/* Reads RPY_GC_NURSERY / RPY_GC_STRESS / RPY_GC_STATS and sets up the
 * heap and the shadow stack; later calls do nothing. The first allocation
 * calls it if nobody did (runtime unit tests). */
void rt_gc_init(void);
void rt_gc_report(void);        /* RPY_GC_STATS=1: collections, bytes, peak heap, to stderr */
void rt_gc_minor_collect(void); /* a minor collection (tests; rpy_gc_collect is a major one) */
struct rt_gc_stats {
    uint64_t minor_collections, major_collections;
    uint64_t bytes_allocated; /* by rpy_malloc and array growth, since the start */
    uint64_t bytes_promoted;  /* copied out of the nursery into the old generation */
    uint64_t old_bytes;       /* in old objects: live at the last major + promoted or born old since */
    uint64_t heap_bytes;      /* now: old-generation pages and blocks + the nursery in use */
    uint64_t peak_heap_bytes; /* the most heap_bytes seen at a collection (or now) */
    uint64_t nursery_bytes;   /* the nursery's size */
};
void rt_gc_get_stats(struct rt_gc_stats *s);
bool rt_gc_is_young(const void *obj); /* in the nursery (tests) */
/* Grows the items array of a list (its only referent) to newcap words:
 * same items, zeros after, possibly at a new address. It may collect, like
 * any allocation (a is protected inside): the caller roots the list, then
 * stores the result with a barrier (rpy_gc_wb(l); l->items = result), as
 * the result may be young while the list is old. Cheaper than
 * allocate-and-copy when the array is the newest object of the nursery
 * (it extends in place) or a large old one (realloc). ati:
 * rpy_ti_array_raw or rpy_ti_array_gc. */
struct rpy_array *rt_gc_grow_array(struct rpy_array *a, rpy_int newcap, const struct rpy_typeinfo *ati);

/* ---- io.c ---- */
void rt_write_bytes(const char *p, size_t n);  /* to the stdout buffer */
void rt_write_stderr(const char *p, size_t n); /* flushes stdout first */

/* ---- growable byte buffer (str.c) ----
 * Starts in an inline array; spills to malloc. rt_buf_to_str copies the
 * bytes into a new rpy_str and releases the buffer. */
struct rt_buf {
    char *data;
    size_t len, cap;
    char inl[240];
};
void rt_buf_init(struct rt_buf *b);
void rt_buf_reserve_slow(struct rt_buf *b, size_t extra);
void rt_buf_release(struct rt_buf *b);
struct rpy_str *rt_buf_to_str(struct rt_buf *b);
static inline void rt_buf_reserve(struct rt_buf *b, size_t extra)
{
    if (b->cap - b->len < extra)
        rt_buf_reserve_slow(b, extra);
}
static inline void rt_buf_put(struct rt_buf *b, const char *s, size_t n)
{
    rt_buf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
}
static inline void rt_buf_putc(struct rt_buf *b, char c)
{
    rt_buf_reserve(b, 1);
    b->data[b->len++] = c;
}
static inline void rt_buf_puts(struct rt_buf *b, const char *s) { rt_buf_put(b, s, strlen(s)); }

/* ---- str allocation (str.c) ---- */
/* A new str of nbytes bytes (data[nbytes] = NUL, rest zero) and `length`
 * code points; the caller fills data. */
struct rpy_str *rt_str_alloc(rpy_int nbytes, rpy_int length);
/* Counts code points of valid UTF-8. */
rpy_int rt_utf8_count(const char *s, rpy_int nbytes);
/* The prebuilt one-character string for an ASCII code c (0..127). */
struct rpy_str *rt_str_ascii_char(unsigned c);
struct rpy_str *rt_str_empty(void);
struct rpy_str *rt_str_none(void); /* "None" */
/* The repr of s appended to b (CPython's quoting and escapes). */
void rt_str_repr_into(struct rt_buf *b, const struct rpy_str *s);
/* Bytes [off, off + nbytes) of s (on character boundaries) as a str: s
 * itself when that is all of it, a static one for "" and ASCII characters,
 * else a copy (s is rooted across the allocation). */
struct rpy_str *rt_str_sub(const struct rpy_str *s, rpy_int off, rpy_int nbytes);

/* ---- UTF-8 ---- */
static inline bool rt_str_is_ascii(const struct rpy_str *s) { return s->length == s->nbytes; }
/* Decodes the code point at p (valid UTF-8), advancing *p. */
static inline uint32_t rt_utf8_decode(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    if (c < 0x80) {
        *p = s + 1;
        return c;
    }
    if (c < 0xe0) {
        *p = s + 2;
        return ((c & 0x1f) << 6) | (s[1] & 0x3f);
    }
    if (c < 0xf0) {
        *p = s + 3;
        return ((c & 0x0f) << 12) | ((s[1] & 0x3fu) << 6) | (s[2] & 0x3f);
    }
    *p = s + 4;
    return ((c & 0x07) << 18) | ((s[1] & 0x3fu) << 12) | ((s[2] & 0x3fu) << 6) | (s[3] & 0x3f);
}
/* Writes cp as UTF-8 into out (4 bytes room); returns the byte count. */
int rt_utf8_encode(char *out, uint32_t cp);
/* Bytes in the UTF-8 sequence that starts with byte c. */
static inline int rt_utf8_seqlen(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/* ---- Unicode properties (unicode.c), for code points of any value ---- */
bool rt_uc_isprintable(uint32_t cp);
bool rt_uc_isspace(uint32_t cp);
bool rt_uc_isalpha(uint32_t cp);
bool rt_uc_isdecimal(uint32_t cp);
bool rt_uc_isdigit(uint32_t cp);
bool rt_uc_isnumeric(uint32_t cp);
bool rt_uc_isupper(uint32_t cp);
bool rt_uc_islower(uint32_t cp);
bool rt_uc_istitle(uint32_t cp);
bool rt_uc_iscased(uint32_t cp);         /* Unicode Cased */
bool rt_uc_iscaseignorable(uint32_t cp); /* Unicode Case_Ignorable */
int rt_uc_decimal_value(uint32_t cp); /* 0..9, or -1 */
/* Full case mappings: writes 1..3 code points to out, returns the count. */
int rt_uc_toupper(uint32_t cp, uint32_t out[3]);
int rt_uc_tolower(uint32_t cp, uint32_t out[3]);
int rt_uc_totitle(uint32_t cp, uint32_t out[3]);

/* ---- number formatting (int.c, floatrepr.c) ---- */
#define RT_INT_BUFSIZE 24
#define RT_FLOAT_BUFSIZE 32
int rt_int_format(char *buf, rpy_int v);   /* decimal; returns length, no NUL */
int rt_float_repr(char *buf, rpy_float x); /* repr(x); returns length, NUL-terminated */

/* ---- slices (list.c) ----
 * Python's PySlice_Unpack + PySlice_AdjustIndices: normalises start/stop
 * for a sequence of length len and returns the slice length. step != 0. */
rpy_int rt_slice_adjust(rpy_int len, rpy_int *start, rpy_bool has_start, rpy_int *stop,
                        rpy_bool has_stop, rpy_int *step);

/* ---- generic values (value.c) ---- */
void rt_repr_into(struct rt_buf *b, rpy_word v, const struct rpy_typeinfo *ti);
void rt_str_into(struct rt_buf *b, rpy_word v, const struct rpy_typeinfo *ti);
/* The equality of containers (CPython's PyObject_RichCompareBool): an
 * item is equal to itself without a call of its __eq__, which matters
 * for instances whose __eq__ is not reflexive, or costly. Searching,
 * counting, removing, dict and set lookups and container == use it. */
static inline bool rt_item_eq(rpy_word a, rpy_word b, const struct rpy_typeinfo *ti)
{
    return a == b || rpy_eq(a, b, ti);
}
/* Python's `a < b` on slot values (the ordering sort, min and max use). */
bool rt_lt(rpy_word a, rpy_word b, const struct rpy_typeinfo *ti);
/* Name of the Python type for error messages: 'int', 'dict', 'NoneType'... */
const char *rt_type_name(rpy_word v, const struct rpy_typeinfo *ti);
/* Whether rpy_eq, rpy_hash, repr or str of values of type ti may collect:
 * for instances they run program code (__eq__, __hash__, __repr__...),
 * and hashing a list, dict or set raises. False for numbers, None, str
 * and tuples of those, so their dict lookups and list searches take the
 * paths without roots. (Ordering is another matter: comparing None or
 * dicts raises, so anything but numbers, and strs without None, may
 * collect in rt_lt; see sort.c.) */
bool rt_value_may_collect_slow(const struct rpy_typeinfo *ti);
static inline bool rt_value_may_collect(const struct rpy_typeinfo *ti)
{
    return ti->kind > RPY_K_STR && rt_value_may_collect_slow(ti);
}

/* str(obj) / repr(obj) of an instance into b (instance.c); may call the
 * class's __str__ / __repr__, which may raise. */
void rt_instance_into(struct rt_buf *b, void *obj, bool str);

/* repr of a deque (deque.c) */
void rt_deque_repr_into(struct rt_buf *b, const void *deque, const struct rpy_typeinfo *ti);

/* Error helper: "<prefix><repr(v)><suffix>" as a str. */
struct rpy_str *rt_format_with_repr(const char *prefix, rpy_word v, const struct rpy_typeinfo *ti,
                                    const char *suffix);

/* ---- dict.c ---- */
/* Looks key up; true and its value in *value when present. May collect
 * when rt_value_may_collect(key type), and then also raise (the key's
 * __hash__ or __eq__): false, and rpy_exc_occurred(). */
bool rt_dict_find(struct rpy_dict *d, rpy_word key, rpy_word *value);
/* Deletes the live entry number ix (from rpy_dict_next_entry): no key
 * comparison, so it cannot collect. */
void rt_dict_delete_entry(struct rpy_dict *d, rpy_int ix);

/* ---- start.c ---- */
extern int rt_argc;
extern char **rt_argv;

#endif
