/* value.c - the generic operations on slot values: str, repr, ==, <,
 * hash and truth, for any type, driven by its rpy_typeinfo.
 *
 * Containers hold unboxed words, so one routine per operation serves
 * every list, tuple, dict and set type: the type info says how to read
 * each word (an int, the bits of a float, a pointer to a str...), and
 * nested containers recurse with the item type. What these print and
 * return is CPython's: `[1, 2.5, 'a', None, True]`, `(1,)`, `{}`,
 * `set()`, hash((1, 2)) equal to CPython's, TypeError messages as
 * CPython words them.
 *
 * Comparison returns a three-way int, but Python's operators are not
 * always three-way (NaN, set inclusion). So rpy_compare returns a value
 * R such that `R op 0` is exactly Python's `a op b` for the `op` it was
 * given: for unordered operands it picks an R that makes that op false
 * (or true, for !=). == and != are plain equality and never raise.
 * Sequences compare as CPython does: find the first position where the
 * items differ (by ==), then compare those two items with op.
 *
 * A NULL pointer of a pointer kind is None. Instances are, for now,
 * compared and hashed by identity and printed as <__main__.C object at
 * 0x...>; __repr__/__eq__ dispatch through vtables will come here.
 */
#include "runtime/rt_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- the runtime's own type infos ---- */

const struct rpy_typeinfo rpy_ti_none = {.kind = RPY_K_NONE, .name = "NoneType"};
const struct rpy_typeinfo rpy_ti_int = {.kind = RPY_K_INT, .name = "int"};
const struct rpy_typeinfo rpy_ti_float = {.kind = RPY_K_FLOAT, .name = "float"};
const struct rpy_typeinfo rpy_ti_bool = {.kind = RPY_K_BOOL, .name = "bool"};
const struct rpy_typeinfo rpy_ti_str = {
    .kind = RPY_K_STR, .tid = RPY_TID_STR, .size = sizeof(struct rpy_str), .name = "str"};
/* Arrays: the tid alone tells whether the words are GC pointers. */
const struct rpy_typeinfo rpy_ti_array_raw = {
    .kind = RPY_K_ARRAY, .tid = RPY_TID_ARRAY_RAW, .size = sizeof(struct rpy_array), .name = "array"};
const struct rpy_typeinfo rpy_ti_array_gc = {
    .kind = RPY_K_ARRAY, .tid = RPY_TID_ARRAY_GC, .size = sizeof(struct rpy_array), .name = "array"};

struct rpy_tuple *rpy_tuple_new(const struct rpy_typeinfo *ti)
{
    size_t size = sizeof(struct rpy_tuple) + sizeof(rpy_word) * ti->nitems;
    return rpy_malloc(ti, ti->size > size ? ti->size : size);
}

static bool is_none(rpy_word v, const struct rpy_typeinfo *ti)
{
    return ti->kind == RPY_K_NONE || (rpy_kind_is_gc(ti->kind) && v == 0);
}

const char *rt_type_name(rpy_word v, const struct rpy_typeinfo *ti)
{
    if (is_none(v, ti))
        return "NoneType";
    switch (ti->kind) {
    case RPY_K_INT: return "int";
    case RPY_K_FLOAT: return "float";
    case RPY_K_BOOL: return "bool";
    case RPY_K_STR: return "str";
    case RPY_K_LIST: return "list";
    case RPY_K_DICT: return "dict";
    case RPY_K_SET: return "set";
    case RPY_K_TUPLE: return "tuple";
    default: return ti->name ? ti->name : "object";
    }
}

/* ---- repr and str ---- */

static void repr_seq(struct rt_buf *b, const rpy_word *items, rpy_int n, const struct rpy_typeinfo *item_ti,
                     const struct rpy_typeinfo *const *item_tis)
{
    for (rpy_int i = 0; i < n; i++) {
        if (i)
            rt_buf_put(b, ", ", 2);
        rt_repr_into(b, items[i], item_tis ? item_tis[i] : item_ti);
    }
}

static void repr_dict(struct rt_buf *b, const struct rpy_dict *d, const struct rpy_typeinfo *ti)
{
    bool is_set = ti->kind == RPY_K_SET;
    if (is_set && d->used == 0) {
        rt_buf_put(b, "set()", 5);
        return;
    }
    rt_buf_putc(b, '{');
    bool first = true;
    for (rpy_int k = 0; k < d->nentries; k++) {
        const struct rpy_dict_entry *e = &d->entries[k];
        if (e->hash == -1)
            continue; /* deleted */
        if (!first)
            rt_buf_put(b, ", ", 2);
        first = false;
        rt_repr_into(b, e->key, ti->item);
        if (!is_set) {
            rt_buf_put(b, ": ", 2);
            rt_repr_into(b, e->value, ti->value);
        }
    }
    rt_buf_putc(b, '}');
}

static void repr_instance(struct rt_buf *b, const void *obj, const struct rpy_typeinfo *ti)
{
    /* A dotted name is already qualified by its module. */
    const char *name = ti->name ? ti->name : "object";
    char tmp[64];
    if (!strchr(name, '.'))
        rt_buf_puts(b, "<__main__.");
    else
        rt_buf_putc(b, '<');
    rt_buf_puts(b, name);
    rt_buf_put(b, tmp, (size_t)snprintf(tmp, sizeof tmp, " object at %p>", obj));
}

void rt_repr_into(struct rt_buf *b, rpy_word v, const struct rpy_typeinfo *ti)
{
    if (is_none(v, ti)) {
        rt_buf_put(b, "None", 4);
        return;
    }
    char tmp[RT_FLOAT_BUFSIZE];
    const void *p = rpy_w_to_ptr(v);
    switch (ti->kind) {
    case RPY_K_INT:
        rt_buf_put(b, tmp, (size_t)rt_int_format(tmp, rpy_w_to_int(v)));
        return;
    case RPY_K_FLOAT:
        rt_buf_put(b, tmp, (size_t)rt_float_repr(tmp, rpy_w_to_float(v)));
        return;
    case RPY_K_BOOL:
        rt_buf_puts(b, v ? "True" : "False");
        return;
    case RPY_K_STR:
        rt_str_repr_into(b, p);
        return;
    case RPY_K_LIST: {
        const struct rpy_list *l = p;
        rt_buf_putc(b, '[');
        repr_seq(b, l->items->items, l->length, ti->item, NULL);
        rt_buf_putc(b, ']');
        return;
    }
    case RPY_K_TUPLE:
        rt_buf_putc(b, '(');
        repr_seq(b, ((const struct rpy_tuple *)p)->items, ti->nitems, NULL, ti->items);
        rt_buf_puts(b, ti->nitems == 1 ? ",)" : ")");
        return;
    case RPY_K_DICT:
    case RPY_K_SET:
        repr_dict(b, p, ti);
        return;
    default:
        repr_instance(b, p, ti);
        return;
    }
}

void rt_str_into(struct rt_buf *b, rpy_word v, const struct rpy_typeinfo *ti)
{
    const struct rpy_str *s = rpy_w_to_ptr(v);
    if (ti->kind == RPY_K_STR && s)
        rt_buf_put(b, s->data, (size_t)s->nbytes);
    else
        rt_repr_into(b, v, ti);
}

static struct rpy_str *scalar_str(rpy_word v, const struct rpy_typeinfo *ti)
{
    switch (ti->kind) {
    case RPY_K_INT: return rpy_str_from_int(rpy_w_to_int(v));
    case RPY_K_FLOAT: return rpy_str_from_float(rpy_w_to_float(v));
    case RPY_K_BOOL: return rpy_str_from_bool(v != 0);
    default: return NULL;
    }
}

struct rpy_str *rpy_str_of(rpy_word v, const struct rpy_typeinfo *ti)
{
    struct rpy_str *s = scalar_str(v, ti);
    if (s)
        return s;
    if (ti->kind == RPY_K_STR && v)
        return rpy_w_to_ptr(v);
    if (is_none(v, ti))
        return rt_str_none();
    struct rt_buf b;
    rt_buf_init(&b);
    rt_str_into(&b, v, ti);
    return rt_buf_to_str(&b);
}

struct rpy_str *rpy_repr_of(rpy_word v, const struct rpy_typeinfo *ti)
{
    struct rpy_str *s = scalar_str(v, ti);
    if (s)
        return s;
    if (is_none(v, ti))
        return rt_str_none();
    struct rt_buf b;
    rt_buf_init(&b);
    rt_repr_into(&b, v, ti);
    return rt_buf_to_str(&b);
}

struct rpy_str *rt_format_with_repr(const char *prefix, rpy_word v, const struct rpy_typeinfo *ti,
                                    const char *suffix)
{
    struct rt_buf b;
    rt_buf_init(&b);
    rt_buf_puts(&b, prefix);
    rt_repr_into(&b, v, ti);
    rt_buf_puts(&b, suffix);
    return rt_buf_to_str(&b);
}

/* ---- equality ---- */

/* Container items: identical words are equal (CPython's identity
 * shortcut in containers), else ==. */
static bool item_eq(rpy_word a, rpy_word b, const struct rpy_typeinfo *ti) { return a == b || rpy_eq(a, b, ti); }

static bool seq_eq(const rpy_word *a, const rpy_word *b, rpy_int n, const struct rpy_typeinfo *ti,
                   const struct rpy_typeinfo *const *tis)
{
    for (rpy_int i = 0; i < n; i++)
        if (!item_eq(a[i], b[i], tis ? tis[i] : ti))
            return false;
    return true;
}

/* Same size and every key of a in b (with an equal value, for dicts). */
static bool dict_eq(struct rpy_dict *a, struct rpy_dict *b, const struct rpy_typeinfo *ti)
{
    if (a->used != b->used)
        return false;
    for (rpy_int k = 0; k < a->nentries; k++) {
        const struct rpy_dict_entry *e = &a->entries[k];
        rpy_word bv;
        if (e->hash == -1)
            continue;
        if (!rt_dict_find(b, e->key, &bv))
            return false;
        if (ti->kind == RPY_K_DICT && !item_eq(e->value, bv, ti->value))
            return false;
    }
    return true;
}

rpy_bool rpy_eq(rpy_word a, rpy_word b, const struct rpy_typeinfo *ti)
{
    if (ti->kind == RPY_K_FLOAT)
        return rpy_w_to_float(a) == rpy_w_to_float(b);
    if (a == b)
        return true;
    if (!rpy_kind_is_gc(ti->kind) || !a || !b)
        return false; /* distinct ints/bools, or None against an object */
    void *pa = rpy_w_to_ptr(a), *pb = rpy_w_to_ptr(b);
    switch (ti->kind) {
    case RPY_K_STR:
        return rpy_str_eq(pa, pb);
    case RPY_K_LIST: {
        const struct rpy_list *x = pa, *y = pb;
        return x->length == y->length && seq_eq(x->items->items, y->items->items, x->length, ti->item, NULL);
    }
    case RPY_K_TUPLE:
        return seq_eq(((struct rpy_tuple *)pa)->items, ((struct rpy_tuple *)pb)->items, ti->nitems, NULL,
                      ti->items);
    case RPY_K_DICT:
    case RPY_K_SET:
        return dict_eq(pa, pb, ti);
    default:
        return false; /* instances: identity */
    }
}

/* ---- ordering ---- */

static int unorderable(rpy_word a, rpy_word b, const struct rpy_typeinfo *ti, const char *op)
{
    char msg[200];
    snprintf(msg, sizeof msg, "'%s' not supported between instances of '%s' and '%s'", op,
             rt_type_name(a, ti), rt_type_name(b, ti));
    rpy_raise_builtin_c(RPY_EXC_TypeError, msg);
    return 0;
}

/* R such that `R op 0` is `value` (op is one of < <= > >= == !=). */
static int result_for(const char *op, bool value)
{
    switch (op[0]) {
    case '<':
        return value ? -1 : 1;
    case '>':
        return value ? 1 : -1;
    case '=':
        return value ? 0 : 1;
    default:
        return value ? 1 : 0; /* != */
    }
}

/* Unordered operands (a NaN): every comparison is false but !=. */
static int unordered_result(const char *op) { return result_for(op, op[0] == '!'); }

static int seq_compare(const rpy_word *a, rpy_int na, const rpy_word *b, rpy_int nb,
                       const struct rpy_typeinfo *ti, const struct rpy_typeinfo *const *tis, const char *op)
{
    rpy_int n = na < nb ? na : nb;
    for (rpy_int i = 0; i < n; i++) {
        const struct rpy_typeinfo *t = tis ? tis[i] : ti;
        if (!item_eq(a[i], b[i], t))
            return rpy_compare(a[i], b[i], t, op);
    }
    return (na > nb) - (na < nb);
}

static bool is_subset(struct rpy_dict *a, struct rpy_dict *b)
{
    rpy_word unused;
    if (a->used > b->used)
        return false;
    for (rpy_int k = 0; k < a->nentries; k++)
        if (a->entries[k].hash != -1 && !rt_dict_find(b, a->entries[k].key, &unused))
            return false;
    return true;
}

/* Sets order by inclusion: a < b is "proper subset". */
static int set_compare(struct rpy_dict *a, struct rpy_dict *b, const char *op)
{
    bool ab = is_subset(a, b), ba = is_subset(b, a);
    bool or_equal = op[1] == '=';
    bool value;
    switch (op[0]) {
    case '<':
        value = or_equal ? ab : ab && !ba;
        break;
    case '>':
        value = or_equal ? ba : ba && !ab;
        break;
    case '=':
        value = ab && ba;
        break;
    default:
        value = !(ab && ba);
    }
    return result_for(op, value);
}

int rpy_compare(rpy_word a, rpy_word b, const struct rpy_typeinfo *ti, const char *op)
{
    if (op[0] == '=' || op[0] == '!') /* == and != never raise: equality */
        return rpy_eq(a, b, ti) ? 0 : 1;
    switch (ti->kind) {
    case RPY_K_INT:
        return (rpy_w_to_int(a) > rpy_w_to_int(b)) - (rpy_w_to_int(a) < rpy_w_to_int(b));
    case RPY_K_BOOL:
        return (a > b) - (a < b);
    case RPY_K_FLOAT: {
        rpy_float x = rpy_w_to_float(a), y = rpy_w_to_float(b);
        if (x < y)
            return -1;
        if (x > y)
            return 1;
        return x == y ? 0 : unordered_result(op);
    }
    default:
        break;
    }
    if (is_none(a, ti) || is_none(b, ti))
        return unorderable(a, b, ti, op);
    void *pa = rpy_w_to_ptr(a), *pb = rpy_w_to_ptr(b);
    switch (ti->kind) {
    case RPY_K_STR:
        return rpy_str_cmp(pa, pb);
    case RPY_K_LIST: {
        const struct rpy_list *x = pa, *y = pb;
        return seq_compare(x->items->items, x->length, y->items->items, y->length, ti->item, NULL, op);
    }
    case RPY_K_TUPLE:
        return seq_compare(((struct rpy_tuple *)pa)->items, ti->nitems, ((struct rpy_tuple *)pb)->items,
                           ti->nitems, NULL, ti->items, op);
    case RPY_K_SET:
        return set_compare(pa, pb, op);
    default:
        return unorderable(a, b, ti, op);
    }
}

bool rt_lt(rpy_word a, rpy_word b, const struct rpy_typeinfo *ti) { return rpy_compare(a, b, ti, "<") < 0; }

/* ---- hash ---- */

#define HASH_NONE 0xFCA86420 /* any constant will do: CPython 3.11 hashes None by address */

/* CPython's tuplehash (xxHash-based, since 3.8): hash((1, 2)) matches. */
static rpy_int tuple_hash(const struct rpy_tuple *t, const struct rpy_typeinfo *ti)
{
    const uint64_t p1 = 11400714785074694791ULL, p2 = 14029467366897019727ULL, p5 = 2870177450012600261ULL;
    uint64_t acc = p5;
    for (uint32_t i = 0; i < ti->nitems; i++) {
        uint64_t lane = (uint64_t)rpy_hash(t->items[i], ti->items[i]);
        acc += lane * p2;
        acc = (acc << 31) | (acc >> 33);
        acc *= p1;
    }
    acc += ti->nitems ^ (p5 ^ 3527539UL);
    return acc == (uint64_t)-1 ? 1546275796 : (rpy_int)acc;
}

/* CPython's _Py_HashPointer: the address rotated by 4 bits. */
static rpy_int pointer_hash(const void *p)
{
    uint64_t y = (uint64_t)(uintptr_t)p;
    y = (y >> 4) | (y << 60);
    return (rpy_int)y == -1 ? -2 : (rpy_int)y;
}

static rpy_int unhashable(const struct rpy_typeinfo *ti)
{
    char msg[100];
    snprintf(msg, sizeof msg, "unhashable type: '%s'", rt_type_name(1, ti));
    rpy_raise_builtin_c(RPY_EXC_TypeError, msg);
    return 0;
}

rpy_int rpy_hash(rpy_word v, const struct rpy_typeinfo *ti)
{
    switch (ti->kind) {
    case RPY_K_INT:
        return rpy_int_hash(rpy_w_to_int(v));
    case RPY_K_FLOAT:
        return rpy_float_hash(rpy_w_to_float(v));
    case RPY_K_BOOL:
        return v != 0;
    default:
        break;
    }
    if (is_none(v, ti))
        return HASH_NONE;
    switch (ti->kind) {
    case RPY_K_STR:
        return rpy_str_hash(rpy_w_to_ptr(v));
    case RPY_K_TUPLE:
        return tuple_hash(rpy_w_to_ptr(v), ti);
    case RPY_K_LIST:
    case RPY_K_DICT:
    case RPY_K_SET:
        return unhashable(ti);
    default:
        return pointer_hash(rpy_w_to_ptr(v));
    }
}

/* ---- truth ---- */

rpy_bool rpy_truth(rpy_word v, const struct rpy_typeinfo *ti)
{
    switch (ti->kind) {
    case RPY_K_NONE:
        return false;
    case RPY_K_INT:
    case RPY_K_BOOL:
        return v != 0;
    case RPY_K_FLOAT:
        return rpy_w_to_float(v) != 0.0; /* NaN is true */
    default:
        break;
    }
    if (!v)
        return false;
    switch (ti->kind) {
    case RPY_K_STR:
        return ((const struct rpy_str *)rpy_w_to_ptr(v))->nbytes != 0;
    case RPY_K_LIST:
        return ((const struct rpy_list *)rpy_w_to_ptr(v))->length != 0;
    case RPY_K_DICT:
    case RPY_K_SET:
        return ((const struct rpy_dict *)rpy_w_to_ptr(v))->used != 0;
    case RPY_K_TUPLE:
        return ti->nitems != 0;
    default:
        return true;
    }
}
