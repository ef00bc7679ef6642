/* sort.c - list.sort() and sorted(), with and without key=.
 *
 * A stable natural merge sort: timsort without galloping. Ascending and
 * strictly descending runs are found (descending ones reversed in place,
 * which strictness keeps stable), short runs are extended to MINRUN items
 * by binary insertion, then neighbouring runs are merged pass after pass.
 * Sorted or reversed input is one run and costs one pass, as in CPython.
 * For any consistent ordering every stable sort gives the same result as
 * CPython's timsort, so output matches; only with inconsistent orders
 * (NaNs) may the arrangement differ.
 *
 * Like CPython, the sort uses only `<`, and reverse=True reverses the
 * list, sorts, and reverses again, which keeps equal items in their
 * original order.
 *
 * The machinery is written once, inline, and instantiated per comparison
 * (ints, floats, strs, anything else), so the common sorts compare
 * without a call. A keyed sort orders an array of indexes by the
 * precomputed keys (the compiler evaluates key= once per item, as CPython
 * does), then permutes the list.
 *
 * Under the moving collector. Comparing numbers, tuples of numbers and
 * strs other than None cannot collect, so those sorts run in place on
 * the items array (after one rpy_gc_wb: items move within it) with a
 * malloc'd scratch copy that the collector never sees. Any other
 * comparison may collect: it runs program code (instances) or raises a
 * TypeError (None, dicts), which allocates. Such sorts (sort_calling_back)
 * order item numbers instead: the numbers live in malloc memory, each
 * comparison reads its two keys afresh from the rooted list, and the list
 * is permuted once at the end. The first exception stops the comparisons
 * and leaves the list as it was; a list whose length program code changed
 * meanwhile raises ValueError "list modified during sort", as in CPython.
 * Instances are ordered by rt_lt as CPython's sort orders them: a's
 * __lt__, else b's reflected __gt__, else TypeError. The result is
 * CPython's (stable, see above), but the comparisons made are not
 * exactly timsort's, which only a __lt__ with side effects could tell.
 */
#include "runtime/rt_internal.h"

#include <stdlib.h>

#define MINRUN 32

/* a < b, given the context (a type info, or the keys of a keyed sort). */
typedef bool (*lt_fn)(rpy_word a, rpy_word b, const void *ctx);
#define SORT_INLINE static inline __attribute__((always_inline))

/* Length of the run at the start of a[0, n): non-descending, or strictly
 * descending, which is reversed in place. */
SORT_INLINE rpy_int count_run(rpy_word *a, rpy_int n, lt_fn lt, const void *ctx)
{
    if (n < 2)
        return n;
    rpy_int k = 2;
    if (lt(a[1], a[0], ctx)) {
        while (k < n && lt(a[k], a[k - 1], ctx))
            k++;
        for (rpy_int i = 0, j = k - 1; i < j; i++, j--) {
            rpy_word t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return k;
    }
    while (k < n && !lt(a[k], a[k - 1], ctx))
        k++;
    return k;
}

/* Sorts a[0, n) of which a[0, sorted) is sorted: binary insertion, each
 * item going after the equal ones (stable). */
SORT_INLINE void binary_insertion(rpy_word *a, rpy_int n, rpy_int sorted, lt_fn lt, const void *ctx)
{
    for (rpy_int i = sorted; i < n; i++) {
        rpy_word x = a[i];
        rpy_int lo = 0, hi = i;
        while (lo < hi) {
            rpy_int mid = lo + (hi - lo) / 2;
            if (lt(x, a[mid], ctx))
                hi = mid;
            else
                lo = mid + 1;
        }
        memmove(a + lo + 1, a + lo, sizeof(rpy_word) * (size_t)(i - lo));
        a[lo] = x;
    }
}

/* Merges the sorted runs a[0, mid) and a[mid, n), copying the left run to
 * tmp; taking from the left on ties keeps the sort stable. */
SORT_INLINE void merge(rpy_word *a, rpy_int mid, rpy_int n, rpy_word *tmp, lt_fn lt, const void *ctx)
{
    if (!lt(a[mid], a[mid - 1], ctx))
        return; /* already in order */
    memcpy(tmp, a, sizeof(rpy_word) * (size_t)mid);
    rpy_int i = 0, j = mid, k = 0;
    while (i < mid && j < n) {
        if (lt(a[j], tmp[i], ctx))
            a[k++] = a[j++];
        else
            a[k++] = tmp[i++];
    }
    while (i < mid)
        a[k++] = tmp[i++];
}

/* Scratch space: tmp for n words, bounds for the run boundaries. */
struct scratch {
    rpy_word *tmp;
    rpy_int *bounds;
};

SORT_INLINE void merge_sort(rpy_word *a, rpy_int n, struct scratch *sc, lt_fn lt, const void *ctx)
{
    rpy_int *bounds = sc->bounds, nb = 0;
    for (rpy_int i = 0; i < n;) {
        rpy_int len = count_run(a + i, n - i, lt, ctx);
        if (len < MINRUN) {
            rpy_int forced = n - i < MINRUN ? n - i : MINRUN;
            binary_insertion(a + i, forced, len, lt, ctx);
            len = forced;
        }
        bounds[nb++] = i;
        i += len;
    }
    bounds[nb] = n;
    while (nb > 1) { /* runs r = 0..nb-1 span bounds[r]..bounds[r+1] */
        rpy_int out = 0;
        for (rpy_int r = 0; r < nb; r += 2) {
            if (r + 1 < nb)
                merge(a + bounds[r], bounds[r + 1] - bounds[r], bounds[r + 2] - bounds[r], sc->tmp, lt, ctx);
            bounds[out++] = bounds[r];
        }
        bounds[out] = n;
        nb = out;
    }
}

static bool scratch_init(struct scratch *sc, rpy_int n)
{
    sc->tmp = malloc(sizeof(rpy_word) * (size_t)n);
    sc->bounds = malloc(sizeof(rpy_int) * (size_t)(n / MINRUN + 2));
    if (sc->tmp && sc->bounds)
        return true;
    free(sc->tmp);
    free(sc->bounds);
    rt_memory_error();
    return false;
}

static void scratch_free(struct scratch *sc)
{
    free(sc->tmp);
    free(sc->bounds);
}

static void reverse_words(rpy_word *a, rpy_int n)
{
    for (rpy_int i = 0, j = n - 1; i < j; i++, j--) {
        rpy_word t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

/* ---- comparisons of items ---- */

/* Numbers, or tuples of them: ordering cannot raise nor run program code. */
static bool numbers_only(const struct rpy_typeinfo *ti)
{
    switch (ti->kind) {
    case RPY_K_INT:
    case RPY_K_BOOL:
    case RPY_K_FLOAT:
        return true;
    case RPY_K_TUPLE:
        for (uint32_t i = 0; i < ti->nitems; i++)
            if (!numbers_only(ti->items[i]))
                return false;
        return true;
    default:
        return false;
    }
}

/* Whether ordering the items of l, of type ti, may collect (see the note
 * on top): anything but numbers and tuples of numbers, and strs when one
 * of them is None. */
static bool lt_may_collect(const struct rpy_list *l, const struct rpy_typeinfo *ti)
{
    if (ti->kind != RPY_K_STR)
        return !numbers_only(ti);
    for (rpy_int i = 0; i < l->length; i++)
        if (!l->items->items[i])
            return true;
    return false;
}

static bool lt_int(rpy_word a, rpy_word b, const void *ctx) { return rpy_w_to_int(a) < rpy_w_to_int(b); }
static bool lt_float(rpy_word a, rpy_word b, const void *ctx) { return rpy_w_to_float(a) < rpy_w_to_float(b); }
/* Strs, none of them None. */
static bool lt_str(rpy_word a, rpy_word b, const void *ctx)
{
    return rpy_str_cmp(rpy_w_to_ptr(a), rpy_w_to_ptr(b)) < 0;
}
/* Tuples of numbers. */
static bool lt_any(rpy_word a, rpy_word b, const void *ti) { return rt_lt(a, b, ti); }

/* One copy of the sort per comparison, each with it inlined. */
static void sort_int(rpy_word *a, rpy_int n, struct scratch *sc, const void *ctx)
{
    merge_sort(a, n, sc, lt_int, ctx);
}
static void sort_float(rpy_word *a, rpy_int n, struct scratch *sc, const void *ctx)
{
    merge_sort(a, n, sc, lt_float, ctx);
}
static void sort_str(rpy_word *a, rpy_int n, struct scratch *sc, const void *ctx)
{
    merge_sort(a, n, sc, lt_str, ctx);
}
static void sort_any(rpy_word *a, rpy_int n, struct scratch *sc, const void *ctx)
{
    merge_sort(a, n, sc, lt_any, ctx);
}

/* Items whose comparisons cannot collect (lt_may_collect is false). */
static void sort_words(rpy_word *a, rpy_int n, struct scratch *sc, const struct rpy_typeinfo *ti)
{
    switch (ti->kind) {
    case RPY_K_INT:
    case RPY_K_BOOL:
        sort_int(a, n, sc, ti);
        break;
    case RPY_K_FLOAT:
        sort_float(a, n, sc, ti);
        break;
    case RPY_K_STR:
        sort_str(a, n, sc, ti);
        break;
    default:
        sort_any(a, n, sc, ti);
    }
}

static void sort_calling_back(struct rpy_list *l, struct rpy_list *keys, rpy_bool reverse);

void rpy_list_sort(struct rpy_list *l, rpy_bool reverse)
{
    rpy_int n = l->length;
    if (n < 2)
        return;
    const struct rpy_typeinfo *ti = rt_ti_of(l)->item;
    if (lt_may_collect(l, ti)) {
        sort_calling_back(l, l, reverse);
        return;
    }
    struct scratch sc;
    if (!scratch_init(&sc, n))
        return;
    rpy_word *a = l->items->items; /* nothing below collects */
    rpy_gc_wb(l->items);
    if (reverse)
        reverse_words(a, n);
    sort_words(a, n, &sc, ti);
    if (reverse)
        reverse_words(a, n);
    scratch_free(&sc);
}

/* ---- keyed sort: indexes ordered by keys[index] ---- */

struct keyed {
    const rpy_word *keys; /* the keys' words: for comparisons that cannot collect */
    struct rpy_list *const *list; /* sort_calling_back: its rooted keys list */
    const struct rpy_typeinfo *kti;
};

static bool lt_key_int(rpy_word i, rpy_word j, const void *ctx)
{
    const rpy_word *k = ((const struct keyed *)ctx)->keys;
    return rpy_w_to_int(k[i]) < rpy_w_to_int(k[j]);
}
static bool lt_key_float(rpy_word i, rpy_word j, const void *ctx)
{
    const rpy_word *k = ((const struct keyed *)ctx)->keys;
    return rpy_w_to_float(k[i]) < rpy_w_to_float(k[j]);
}
static bool lt_key_str(rpy_word i, rpy_word j, const void *ctx)
{
    const rpy_word *k = ((const struct keyed *)ctx)->keys;
    return lt_str(k[i], k[j], NULL);
}
static bool lt_key_any(rpy_word i, rpy_word j, const void *ctx)
{
    const struct keyed *kc = ctx;
    return rt_lt(kc->keys[i], kc->keys[j], kc->kti);
}
/* The keys are read from the list at each comparison: the previous one
 * may have moved them, or run program code that changed the list (then
 * the result does not matter, the sort reports it at the end). After an
 * exception, no more comparisons run. */
static bool lt_key_calling_back(rpy_word i, rpy_word j, const void *ctx)
{
    const struct keyed *kc = ctx;
    const struct rpy_list *keys = *kc->list;
    if (rpy_exc_occurred() || (rpy_int)i >= keys->length || (rpy_int)j >= keys->length)
        return false;
    return rt_lt(keys->items->items[i], keys->items->items[j], kc->kti);
}

static void sort_key_int(rpy_word *a, rpy_int n, struct scratch *sc, const void *ctx)
{
    merge_sort(a, n, sc, lt_key_int, ctx);
}
static void sort_key_float(rpy_word *a, rpy_int n, struct scratch *sc, const void *ctx)
{
    merge_sort(a, n, sc, lt_key_float, ctx);
}
static void sort_key_str(rpy_word *a, rpy_int n, struct scratch *sc, const void *ctx)
{
    merge_sort(a, n, sc, lt_key_str, ctx);
}
static void sort_key_any(rpy_word *a, rpy_int n, struct scratch *sc, const void *ctx)
{
    merge_sort(a, n, sc, lt_key_any, ctx);
}
static void sort_key_calling_back(rpy_word *a, rpy_int n, struct scratch *sc, const void *ctx)
{
    merge_sort(a, n, sc, lt_key_calling_back, ctx);
}

/* Applies the permutation order[] to the items of l (in place, via tmp;
 * nothing here collects, so tmp may hold GC pointers for a moment). */
static void permute(struct rpy_list *l, const rpy_word *order, rpy_word *tmp)
{
    rpy_int n = l->length;
    for (rpy_int i = 0; i < n; i++)
        tmp[i] = l->items->items[order[i]];
    rpy_gc_wb(l->items);
    memcpy(l->items->items, tmp, sizeof(rpy_word) * (size_t)n);
}

/* order[0, n) = 0, 1, ... n-1, or reversed (reverse=True keeps equal
 * items in their order: reverse, sort stably, reverse). NULL and
 * MemoryError when out of memory. */
static rpy_word *order_new(rpy_int n, rpy_bool reverse)
{
    rpy_word *order = malloc(sizeof(rpy_word) * (size_t)n);
    if (!order) {
        rt_memory_error();
        return NULL;
    }
    for (rpy_int i = 0; i < n; i++)
        order[i] = (rpy_word)(reverse ? n - 1 - i : i);
    return order;
}

/* Sorts l by keys (keys is l itself for a plain sort) when comparing keys
 * may collect: see the note on top. */
static void sort_calling_back(struct rpy_list *l, struct rpy_list *keys, rpy_bool reverse)
{
    RPY_ROOT(l);
    RPY_ROOT(keys);
    rpy_int n = l->length;
    struct scratch sc;
    if (!scratch_init(&sc, n))
        return;
    rpy_word *order = order_new(n, reverse);
    if (order) {
        struct keyed kc = {.list = &keys, .kti = rt_ti_of(keys)->item};
        sort_key_calling_back(order, n, &sc, &kc);
        if (reverse)
            reverse_words(order, n);
        if (rpy_exc_occurred()) {
            /* the list stays as it was */
        } else if (l->length != n || keys->length != n) {
            rpy_raise_builtin_c(RPY_EXC_ValueError, "list modified during sort");
        } else {
            permute(l, order, sc.tmp);
            if (keys != l)
                permute(keys, order, sc.tmp);
        }
        free(order);
    }
    scratch_free(&sc);
}

void rpy_list_sort_by_keys(struct rpy_list *l, struct rpy_list *keys, rpy_bool reverse)
{
    rpy_int n = l->length;
    if (n < 2 || keys->length != n)
        return;
    const struct rpy_typeinfo *kti = rt_ti_of(keys)->item;
    if (lt_may_collect(keys, kti)) {
        sort_calling_back(l, keys, reverse);
        return;
    }
    struct scratch sc;
    if (!scratch_init(&sc, n))
        return;
    rpy_word *order = order_new(n, reverse);
    if (!order) {
        scratch_free(&sc);
        return;
    }
    struct keyed kc = {.keys = keys->items->items, .kti = kti}; /* nothing below collects */
    if (kti->kind == RPY_K_INT || kti->kind == RPY_K_BOOL)
        sort_key_int(order, n, &sc, &kc);
    else if (kti->kind == RPY_K_FLOAT)
        sort_key_float(order, n, &sc, &kc);
    else if (kti->kind == RPY_K_STR)
        sort_key_str(order, n, &sc, &kc);
    else
        sort_key_any(order, n, &sc, &kc);
    if (reverse)
        reverse_words(order, n);
    permute(l, order, sc.tmp);
    permute(keys, order, sc.tmp);
    free(order);
    scratch_free(&sc);
}
