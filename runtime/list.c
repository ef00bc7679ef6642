/* list.c - resizable lists of unboxed slot values.
 *
 * A list is {length, items}: items is an rpy_array whose length is the
 * capacity. The array's tid tells the collector whether the words are GC
 * pointers (rpy_ti_array_gc, for lists of str, lists, instances...) or
 * plain numbers (rpy_ti_array_raw), chosen from the list's item type
 * (rpy_typetable[list tid]->item). Slots past the length are kept zero so
 * that a collector never sees a stale pointer there.
 *
 * Growth follows CPython's list_resize (about 12.5% over-allocation), so
 * append is amortised O(1). A list created empty shares one static
 * zero-capacity array until its first append.
 *
 * Sorting is in sort.c.
 *
 * Under the moving collector. A new list is allocated before its items
 * array, so the array is the newest object and callers fill it without a
 * barrier; setting l->items afterwards takes rpy_gc_wb(l), since the
 * array's allocation may have promoted the list. Growth and the routines
 * that allocate root the lists (and a GC item word with RPY_ROOT_WORD)
 * and re-read l->items after the call. Searching compares items with
 * rpy_eq and min/max with rt_lt, which may run program code: unless the
 * item type rules that out (rt_value_may_collect), the list is rooted
 * and each item re-read from it, and the length too, as CPython does
 * when __eq__ changes the list. Every store of items into an array that
 * may be old, moves within one included, follows rpy_gc_wb(array).
 * An item is equal to itself without a call (rt_item_eq), and when an
 * __eq__ or __lt__ raises, the search or the scan stops at once, raising
 * nothing of its own (no ValueError over the user's exception).
 *
 * Also here: slice index normalisation (shared with str), range lengths.
 */
#include "runtime/rt_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static struct {
    struct rpy_hdr hdr;
    rpy_int length;
} empty_array = {{RPY_TID_ARRAY_RAW, RPY_GC_PREBUILT}, 0};

#define EMPTY_ARRAY ((struct rpy_array *)&empty_array)

static const struct rpy_typeinfo *item_ti(const struct rpy_list *l) { return rt_ti_of(l)->item; }
static bool items_are_gc(const struct rpy_list *l) { return rpy_kind_is_gc(item_ti(l)->kind); }

static struct rpy_array *array_new(const struct rpy_typeinfo *listti, rpy_int cap)
{
    if (cap == 0)
        return EMPTY_ARRAY;
    if (cap < 0 || cap > (INT64_MAX >> 4)) {
        rt_memory_error();
        return EMPTY_ARRAY;
    }
    const struct rpy_typeinfo *ati = rpy_kind_is_gc(listti->item->kind) ? &rpy_ti_array_gc : &rpy_ti_array_raw;
    struct rpy_array *a = rpy_malloc(ati, sizeof(struct rpy_array) + sizeof(rpy_word) * (size_t)cap);
    a->length = cap;
    return a;
}

/* The list first, its array last: see the note on top. */
static struct rpy_list *list_alloc(const struct rpy_typeinfo *ti, rpy_int length, rpy_int cap)
{
    size_t size = ti->size > sizeof(struct rpy_list) ? ti->size : sizeof(struct rpy_list);
    struct rpy_list *l = rpy_malloc(ti, size);
    l->length = length;
    if (cap == 0) {
        l->items = EMPTY_ARRAY; /* prebuilt, never young: no barrier */
        return l;
    }
    RPY_ROOT(l);
    struct rpy_array *a = array_new(ti, cap);
    rpy_gc_wb(l);
    l->items = a;
    return l;
}

struct rpy_list *rpy_list_new(const struct rpy_typeinfo *ti, rpy_int length)
{
    if (length < 0)
        length = 0;
    return list_alloc(ti, length, length);
}

struct rpy_list *rpy_list_new_cap(const struct rpy_typeinfo *ti, rpy_int capacity)
{
    return list_alloc(ti, 0, capacity < 0 ? 0 : capacity);
}

void rpy_list_index_error(void) { rpy_raise_builtin_c(RPY_EXC_IndexError, "list index out of range"); }

/* Capacity for newlength items (CPython's list_resize). */
static rpy_int grown_capacity(rpy_int oldlength, rpy_int newlength)
{
    rpy_int cap = (newlength + (newlength >> 3) + 6) & ~(rpy_int)3;
    if (newlength - oldlength > cap - newlength)
        cap = (newlength + 3) & ~(rpy_int)3;
    return cap;
}

void rpy_list_grow(struct rpy_list *l, rpy_int newlength)
{
    if (newlength <= l->items->length) {
        l->length = newlength;
        return;
    }
    if (newlength > (INT64_MAX >> 4)) {
        rt_memory_error();
        return;
    }
    const struct rpy_typeinfo *ati = items_are_gc(l) ? &rpy_ti_array_gc : &rpy_ti_array_raw;
    RPY_ROOT(l);
    /* Slots between length and the old capacity are zero already. */
    struct rpy_array *a = rt_gc_grow_array(l->items, grown_capacity(l->length, newlength), ati);
    rpy_gc_wb(l);
    l->items = a;
    l->length = newlength;
}

void rpy_list_append_slow(struct rpy_list *l, rpy_word v)
{
    RPY_ROOT(l);
    RPY_ROOT_WORD(v, items_are_gc(l));
    rpy_int n = l->length;
    rpy_list_grow(l, n + 1);
    struct rpy_array *a = l->items;
    rpy_gc_wb(a);
    a->items[n] = v;
}

/* ---- removing and inserting ---- */

rpy_word rpy_list_pop(struct rpy_list *l, rpy_int i)
{
    rpy_int n = l->length;
    if (n == 0) {
        rpy_raise_builtin_c(RPY_EXC_IndexError, "pop from empty list");
        return 0;
    }
    if (i < 0)
        i += n;
    if (i < 0 || i >= n) {
        rpy_raise_builtin_c(RPY_EXC_IndexError, "pop index out of range");
        return 0;
    }
    struct rpy_array *a = l->items;
    rpy_word v = a->items[i];
    rpy_gc_wb(a);
    memmove(a->items + i, a->items + i + 1, sizeof(rpy_word) * (size_t)(n - i - 1));
    a->items[n - 1] = 0;
    l->length = n - 1;
    return v;
}

void rpy_list_insert(struct rpy_list *l, rpy_int i, rpy_word v)
{
    RPY_ROOT(l);
    RPY_ROOT_WORD(v, items_are_gc(l));
    rpy_int n = l->length;
    if (i < 0) {
        i += n;
        if (i < 0)
            i = 0;
    } else if (i > n) {
        i = n;
    }
    rpy_list_grow(l, n + 1); /* may collect */
    struct rpy_array *a = l->items;
    rpy_gc_wb(a);
    memmove(a->items + i + 1, a->items + i, sizeof(rpy_word) * (size_t)(n - i));
    a->items[i] = v;
}

void rpy_list_extend(struct rpy_list *l, const struct rpy_list *other)
{
    rpy_int n = l->length, m = other->length; /* read m first: other may be l */
    if (m == 0)
        return;
    RPY_ROOT(l);
    RPY_ROOT(other);
    rpy_list_grow(l, n + m); /* may collect */
    struct rpy_array *a = l->items;
    rpy_gc_wb(a);
    memcpy(a->items + n, other->items->items, sizeof(rpy_word) * (size_t)m);
}

void rpy_list_extend_from(struct rpy_list *l, const struct rpy_list *other, rpy_int skip)
{
    rpy_int n = l->length, m = other->length - skip;
    if (m <= 0)
        return;
    RPY_ROOT(l);
    RPY_ROOT(other);
    rpy_list_grow(l, n + m); /* may collect */
    struct rpy_array *a = l->items;
    rpy_gc_wb(a);
    memcpy(a->items + n, other->items->items + skip, sizeof(rpy_word) * (size_t)m);
}

void rpy_star_check(const struct rpy_list *star, rpy_int need, rpy_int given, rpy_bool has_vararg,
                    const struct rpy_str *fname)
{
    rpy_int len = star->length;
    char msg[320];
    if (len < need) {
        rpy_int missing = need - len;
        snprintf(msg, sizeof msg, "%.200s() missing %" PRId64 " required positional argument%s", fname->data,
                 (int64_t)missing, missing == 1 ? "" : "s");
        rpy_raise_builtin_c(RPY_EXC_TypeError, msg);
    } else if (!has_vararg && len > need) {
        rpy_int takes = given + need, got = given + len;
        snprintf(msg, sizeof msg, "%.200s() takes %" PRId64 " positional argument%s but %" PRId64 " were given",
                 fname->data, (int64_t)takes, takes == 1 ? "" : "s", (int64_t)got);
        rpy_raise_builtin_c(RPY_EXC_TypeError, msg);
    }
}

void rpy_list_clear(struct rpy_list *l)
{
    /* Like CPython, drop the storage rather than keep the capacity. The
     * empty array is prebuilt, never young: no barrier. */
    l->items = EMPTY_ARRAY;
    l->length = 0;
}

void rpy_list_reverse(struct rpy_list *l)
{
    rpy_gc_wb(l->items);
    rpy_word *a = l->items->items;
    for (rpy_int i = 0, j = l->length - 1; i < j; i++, j--) {
        rpy_word t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

/* ---- new lists from old ---- */

/* The results below are fresh lists: filling them needs no barrier. */

struct rpy_list *rpy_list_copy(const struct rpy_list *l)
{
    RPY_ROOT(l);
    struct rpy_list *r = rpy_list_new(rt_ti_of(l), l->length);
    memcpy(r->items->items, l->items->items, sizeof(rpy_word) * (size_t)l->length);
    return r;
}

struct rpy_list *rpy_list_copy_as(const struct rpy_list *l, const struct rpy_typeinfo *ti)
{
    RPY_ROOT(l);
    struct rpy_list *c = rpy_list_new(ti, l->length); /* fresh: filled without barriers */
    if (l->length)
        memcpy(c->items->items, l->items->items, sizeof(rpy_word) * (size_t)l->length);
    return c;
}

struct rpy_list *rpy_list_concat(const struct rpy_list *a, const struct rpy_list *b)
{
    RPY_ROOT(a);
    RPY_ROOT(b);
    struct rpy_list *r = rpy_list_new(rt_ti_of(a), a->length + b->length);
    memcpy(r->items->items, a->items->items, sizeof(rpy_word) * (size_t)a->length);
    memcpy(r->items->items + a->length, b->items->items, sizeof(rpy_word) * (size_t)b->length);
    return r;
}

struct rpy_list *rpy_list_mul(const struct rpy_list *l, rpy_int n)
{
    rpy_int len = l->length;
    const struct rpy_typeinfo *ti = rt_ti_of(l);
    if (n <= 0 || len == 0)
        return rpy_list_new(ti, 0);
    if (len > (INT64_MAX >> 4) / n) {
        rt_memory_error();
        return rpy_list_new(ti, 0);
    }
    RPY_ROOT(l);
    struct rpy_list *r = rpy_list_new(ti, len * n);
    rpy_word *dst = r->items->items;
    if (len == 1) { /* [x] * n: the common way to make a table */
        for (rpy_int i = 0; i < n; i++)
            dst[i] = l->items->items[0];
        return r;
    }
    for (rpy_int i = 0; i < n; i++)
        memcpy(dst + i * len, l->items->items, sizeof(rpy_word) * (size_t)len);
    return r;
}

rpy_int rt_slice_adjust(rpy_int len, rpy_int *start, rpy_bool has_start, rpy_int *stop, rpy_bool has_stop,
                        rpy_int *step)
{
    rpy_int st = *step;
    if (st < -INT64_MAX)
        st = -INT64_MAX; /* so that -step cannot overflow */
    rpy_int a = has_start ? *start : st < 0 ? INT64_MAX : 0;
    rpy_int z = has_stop ? *stop : st < 0 ? INT64_MIN : INT64_MAX;
    if (a < 0) {
        a += len;
        if (a < 0)
            a = st < 0 ? -1 : 0;
    } else if (a >= len) {
        a = st < 0 ? len - 1 : len;
    }
    if (z < 0) {
        z += len;
        if (z < 0)
            z = st < 0 ? -1 : 0;
    } else if (z >= len) {
        z = st < 0 ? len - 1 : len;
    }
    *start = a;
    *stop = z;
    *step = st;
    if (st < 0)
        return z < a ? (a - z - 1) / (-st) + 1 : 0;
    return a < z ? (z - a - 1) / st + 1 : 0;
}

struct rpy_list *rpy_list_slice(const struct rpy_list *l, rpy_int start, rpy_bool has_start, rpy_int stop,
                                rpy_bool has_stop, rpy_int step)
{
    const struct rpy_typeinfo *ti = rt_ti_of(l);
    if (step == 0) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, "slice step cannot be zero");
        return rpy_list_new(ti, 0);
    }
    rpy_int n = rt_slice_adjust(l->length, &start, has_start, &stop, has_stop, &step);
    RPY_ROOT(l);
    struct rpy_list *r = rpy_list_new(ti, n);
    const rpy_word *src = l->items->items;
    rpy_word *dst = r->items->items;
    if (step == 1) {
        memcpy(dst, src + start, sizeof(rpy_word) * (size_t)n);
        return r;
    }
    for (rpy_int k = 0; k < n; k++) /* start + k * step stays in range; a running sum may not */
        dst[k] = src[start + k * step];
    return r;
}

/* ---- slice assignment and deletion ---- */

void rpy_list_delitem(struct rpy_list *l, rpy_int i)
{
    rpy_int n = l->length;
    if (i < 0)
        i += n;
    if (i < 0 || i >= n) {
        rpy_raise_builtin_c(RPY_EXC_IndexError, "list assignment index out of range");
        return;
    }
    rpy_list_pop(l, i);
}

/* Replaces items [a, b) (a <= b <= length) by the k words at src, which
 * is not inside l's array. May collect when the list grows: the caller
 * roots what src points into, and src is re-read through *srcl. */
static void replace_range(struct rpy_list *l, rpy_int a, rpy_int b, const struct rpy_list *const *srcl)
{
    rpy_int n = l->length, k = (*srcl)->length, grow = k - (b - a);
    if (grow > 0) {
        RPY_ROOT(l);
        rpy_list_grow(l, n + grow); /* may collect */
    }
    struct rpy_array *arr = l->items;
    rpy_gc_wb(arr);
    memmove(arr->items + b + grow, arr->items + b, sizeof(rpy_word) * (size_t)(n - b));
    memcpy(arr->items + a, (*srcl)->items->items, sizeof(rpy_word) * (size_t)k);
    if (grow < 0) {
        memset(arr->items + n + grow, 0, sizeof(rpy_word) * (size_t)(-grow)); /* keep the tail zero */
        l->length = n + grow;
    }
}

void rpy_list_setslice(struct rpy_list *l, rpy_int start, rpy_bool has_start, rpy_int stop, rpy_bool has_stop,
                       rpy_int step, const struct rpy_list *v)
{
    if (step == 0) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, "slice step cannot be zero");
        return;
    }
    RPY_ROOT(l);
    if (v == l) /* a[i:j] = a: the items as they were */
        v = rpy_list_copy(l);
    RPY_ROOT(v);
    rpy_int n = rt_slice_adjust(l->length, &start, has_start, &stop, has_stop, &step);
    if (step == 1) {
        replace_range(l, start, stop < start ? start : stop, &v);
        return;
    }
    if (v->length != n) {
        char msg[160];
        snprintf(msg, sizeof msg, "attempt to assign sequence of size %lld to extended slice of size %lld",
                 (long long)v->length, (long long)n);
        rpy_raise_builtin_c(RPY_EXC_ValueError, msg);
        return;
    }
    struct rpy_array *arr = l->items;
    rpy_gc_wb(arr);
    for (rpy_int k = 0; k < n; k++)
        arr->items[start + k * step] = v->items->items[k];
}

void rpy_list_delslice(struct rpy_list *l, rpy_int start, rpy_bool has_start, rpy_int stop, rpy_bool has_stop,
                       rpy_int step)
{
    if (step == 0) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, "slice step cannot be zero");
        return;
    }
    rpy_int len = l->length;
    rpy_int n = rt_slice_adjust(len, &start, has_start, &stop, has_stop, &step);
    if (n <= 0)
        return;
    if (step < 0) { /* the same items, visited upwards */
        start += step * (n - 1);
        step = -step;
    }
    struct rpy_array *arr = l->items;
    rpy_gc_wb(arr);
    rpy_word *a = arr->items;
    rpy_int j = start;
    for (rpy_int i = start; i < len; i++) {
        rpy_int d = i - start;
        if (d % step == 0 && d / step < n)
            continue;
        a[j++] = a[i];
    }
    memset(a + j, 0, sizeof(rpy_word) * (size_t)(len - j));
    l->length = j;
}

/* print(*items, sep=sep): str() of each item, sep (NULL: " ") between
 * them, and before the first too when lead (positional arguments came
 * before). */
void rpy_write_list_items(const struct rpy_list *l, const struct rpy_str *sep, rpy_bool lead)
{
    const struct rpy_typeinfo *ti = item_ti(l);
    RPY_ROOT(l);
    RPY_ROOT(sep);
    for (rpy_int i = 0; i < l->length; i++) {
        if (lead || i > 0)
            rpy_write_str_or(sep, rt_str_ascii_char(' '));
        rpy_write_value(l->items->items[i], ti); /* may run __str__: l is re-read */
        if (rpy_exc_occurred())
            return;
    }
}

/* ---- searching ---- */

/* find_item when == may run program code: l and v are rooted, and the
 * items and the length are read afresh after every comparison. */
static rpy_int find_item_calling_back(const struct rpy_list *l, rpy_word v, const struct rpy_typeinfo *ti,
                                      rpy_int lo, rpy_int hi)
{
    RPY_ROOT(l);
    RPY_ROOT_WORD(v, true); /* rt_value_may_collect holds only for GC kinds */
    for (rpy_int i = lo; i < hi && i < l->length; i++) {
        bool eq = rt_item_eq(l->items->items[i], v, ti);
        if (rpy_exc_occurred())
            return -1;
        if (eq)
            return i;
    }
    return -1;
}

/* Position of the first item equal to v among those at [lo, hi), or -1
 * (also when an __eq__ raised). Ints and bools compare as words;
 * everything else through rpy_eq. */
static rpy_int find_item_in(const struct rpy_list *l, rpy_word v, rpy_int lo, rpy_int hi)
{
    const struct rpy_typeinfo *ti = item_ti(l);
    if (rt_value_may_collect(ti))
        return find_item_calling_back(l, v, ti, lo, hi);
    const rpy_word *a = l->items->items;
    rpy_int n = hi < l->length ? hi : l->length;
    if (ti->kind == RPY_K_INT || ti->kind == RPY_K_BOOL) {
        for (rpy_int i = lo; i < n; i++)
            if (a[i] == v)
                return i;
        return -1;
    }
    for (rpy_int i = lo; i < n; i++)
        if (rpy_eq(a[i], v, ti))
            return i;
    return -1;
}

static rpy_int find_item(const struct rpy_list *l, rpy_word v) { return find_item_in(l, v, 0, l->length); }

rpy_bool rpy_list_contains(const struct rpy_list *l, rpy_word v) { return find_item(l, v) >= 0; }

rpy_int rpy_list_index(const struct rpy_list *l, rpy_word v) { return rpy_list_index_range(l, v, 0, INT64_MAX); }

/* list.index(v, start, stop): negative bounds count from the end (not
 * below 0), as CPython's list_index_impl. */
rpy_int rpy_list_index_range(const struct rpy_list *l, rpy_word v, rpy_int start, rpy_int stop)
{
    const struct rpy_typeinfo *ti = item_ti(l);
    RPY_ROOT_WORD(v, rpy_kind_is_gc(ti->kind)); /* for the message */
    if (start < 0 && (start += l->length) < 0)
        start = 0;
    if (stop < 0 && (stop += l->length) < 0)
        stop = 0;
    rpy_int i = find_item_in(l, v, start, stop);
    if (i < 0 && !rpy_exc_occurred())
        rpy_raise_builtin(RPY_EXC_ValueError, rt_format_with_repr("", v, ti, " is not in list"));
    return i;
}

rpy_int rpy_list_count(const struct rpy_list *l, rpy_word v)
{
    const struct rpy_typeinfo *ti = item_ti(l);
    RPY_ROOT(l);
    RPY_ROOT_WORD(v, rpy_kind_is_gc(ti->kind));
    rpy_int c = 0;
    bool calls_back = rt_value_may_collect(ti);
    for (rpy_int i = 0; i < l->length; i++) {
        c += calls_back ? rt_item_eq(l->items->items[i], v, ti) : rpy_eq(l->items->items[i], v, ti);
        if (calls_back && rpy_exc_occurred()) /* l and v are rooted: rpy_eq may have collected */
            return 0;
    }
    return c;
}

void rpy_list_remove(struct rpy_list *l, rpy_word v)
{
    RPY_ROOT(l);
    rpy_int i = find_item(l, v);
    if (i < 0) {
        if (!rpy_exc_occurred())
            rpy_raise_builtin_c(RPY_EXC_ValueError, "list.remove(x): x not in list");
        return;
    }
    rpy_list_pop(l, i);
}

/* ---- ranges, min, max ---- */

rpy_int rpy_range_len(rpy_int start, rpy_int stop, rpy_int step)
{
    if (step == 0) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, "range() arg 3 must not be zero");
        return 0;
    }
    uint64_t n;
    if (step > 0)
        n = start < stop ? ((uint64_t)stop - (uint64_t)start - 1) / (uint64_t)step + 1 : 0;
    else
        n = start > stop ? ((uint64_t)start - (uint64_t)stop - 1) / (0 - (uint64_t)step) + 1 : 0;
    if (n > (uint64_t)INT64_MAX) {
        rpy_raise_builtin_c(RPY_EXC_OverflowError, "Python int too large to convert to C ssize_t");
        return 0;
    }
    return (rpy_int)n;
}

struct rpy_list *rpy_list_from_range(const struct rpy_typeinfo *ti, rpy_int start, rpy_int stop, rpy_int step)
{
    rpy_int n = rpy_range_len(start, stop, step);
    struct rpy_list *l = rpy_list_new(ti, n);
    rpy_word *a = l->items->items;
    uint64_t v = (uint64_t)start; /* wraps only past the last item */
    for (rpy_int i = 0; i < n; i++, v += (uint64_t)step)
        a[i] = (rpy_word)v;
    return l;
}

/* min keeps the first of equal items, and so does max: an item replaces
 * the current one only when strictly smaller (larger), which is asked as
 * CPython's min_max asks it: `item < best`, `item > best` (so an item's
 * __lt__ or __gt__, else best's reflected one, decides). The comparison
 * may collect for anything but numbers (program code, or the TypeError
 * for None), so that loop roots l, best and the item compared. */
static rpy_word list_extreme(const struct rpy_list *l, bool want_max, const char *empty_msg)
{
    if (l->length == 0) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, empty_msg);
        return 0;
    }
    const struct rpy_typeinfo *ti = item_ti(l);
    rpy_word best = l->items->items[0];
    if (ti->kind == RPY_K_INT) {
        const rpy_word *a = l->items->items;
        for (rpy_int i = 1; i < l->length; i++)
            if (want_max ? rpy_w_to_int(a[i]) > rpy_w_to_int(best) : rpy_w_to_int(a[i]) < rpy_w_to_int(best))
                best = a[i];
        return best;
    }
    bool gc = rpy_kind_is_gc(ti->kind);
    RPY_ROOT(l);
    RPY_ROOT_WORD(best, gc);
    for (rpy_int i = 1; i < l->length; i++) {
        rpy_word x = l->items->items[i];
        RPY_ROOT_WORD(x, gc);
        bool better = want_max ? rpy_compare(x, best, ti, ">") > 0 : rpy_compare(x, best, ti, "<") < 0;
        if (rpy_exc_occurred())
            return 0;
        if (better)
            best = x;
    }
    return best;
}

rpy_word rpy_list_min(const struct rpy_list *l) { return list_extreme(l, false, "min() arg is an empty sequence"); }
rpy_word rpy_list_max(const struct rpy_list *l) { return list_extreme(l, true, "max() arg is an empty sequence"); }
