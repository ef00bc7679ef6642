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
 * (or true, for !=). == and != are plain equality, which raises only
 * from a user's __eq__ or __ne__.
 * Sequences compare as CPython does: find the first position where the
 * items differ (by ==), then compare those two items with op.
 *
 * A NULL pointer of a pointer kind is None.
 *
 * Instances behave as their dynamic class says (the type info of the
 * object's own tid, whose struct rpy_classinfo holds the compiled special
 * methods): == calls __eq__ when the class has one, else compares
 * identity; != calls __ne__, else negates __eq__; a < b calls a's __lt__,
 * else b's reflected __gt__ (and so on for <= > >=), else raises
 * CPython's TypeError; hash calls __hash__, raises "unhashable type" for
 * a class with __eq__ and no __hash__, else hashes the identity
 * (rpy_gc_identity_hash, stable although the collector moves young
 * objects); truth calls __bool__, else __len__ != 0, else is true. We have
 * no NotImplemented, so the left operand's method decides; and None never
 * reaches a method (compiled methods take an instance): == against None is
 * identity, ordering against None a TypeError. Containers, as CPython's,
 * take identical items as equal without calling __eq__ (rt_item_eq).
 *
 * A method may raise. Then rpy_exc_occurred() is true when it returns,
 * its result is a dummy, and every loop here stops at once: no further
 * method runs with an exception pending, and the routine returns a dummy
 * that its compiled caller discards when it checks.
 *
 * Under the moving collector. These routines recurse into items, and for
 * instances an item's operation will run program code, which may collect;
 * raising (hash of a list, ordering None) collects too. So every routine
 * that visits the items of a list, tuple, dict or set roots the container
 * and reads each item, and the length, afresh from it after the previous
 * item's operation (lengths may also change under program code: CPython
 * re-reads them the same way). An item word is passed down by value and
 * the callee roots what it needs. The cost is one root per container per
 * call, never per item, and nothing for scalars and strs.
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
const struct rpy_typeinfo rpy_ti_gcref = {.kind = RPY_K_ITER, .name = "object"};

struct rpy_tuple *rpy_tuple_new(const struct rpy_typeinfo *ti)
{
    size_t size = sizeof(struct rpy_tuple) + sizeof(rpy_word) * ti->nitems;
    return rpy_malloc(ti, ti->size > size ? ti->size : size);
}

static bool is_none(rpy_word v, const struct rpy_typeinfo *ti)
{
    return ti->kind == RPY_K_NONE || (rpy_kind_is_gc(ti->kind) && v == 0);
}

/* The class of an instance: its dynamic class's, NULL in unit tests that
 * give none. */
static const struct rpy_classinfo *class_of(const void *obj) { return rt_ti_of(obj)->cls; }

/* The class name as CPython's messages print it (a type's tp_name: the
 * bare name, without the module that cls->name may carry). */
static const char *instance_name(const void *obj)
{
    const struct rpy_typeinfo *ti = rt_ti_of(obj);
    const char *name = ti->cls ? ti->cls->name : ti->name ? ti->name : "object";
    const char *dot = strrchr(name, '.');
    return dot ? dot + 1 : name;
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
    case RPY_K_LIST: return ti->flags & RPY_TI_DEQUE ? "collections.deque" : ti->flags & RPY_TI_TUPLE ? "tuple" : "list";
    case RPY_K_DICT: return "dict";
    case RPY_K_SET: return "set";
    case RPY_K_TUPLE: return ti->flags & RPY_TI_MIXED_LIST ? "list" : "tuple";
    case RPY_K_INSTANCE: return instance_name(rpy_w_to_ptr(v));
    default: return ti->name ? ti->name : "object";
    }
}

bool rt_value_may_collect_slow(const struct rpy_typeinfo *ti)
{
    if (ti->kind != RPY_K_TUPLE)
        return true; /* instances run program code; lists, dicts and sets are unhashable */
    for (uint32_t i = 0; i < ti->nitems; i++)
        if (rt_value_may_collect(ti->items[i]))
            return true;
    return false;
}

/* Whether an operation on values of type ti (==, hash) just raised. Only
 * those that may collect can raise (a user's method, an unhashable
 * container), so the others skip the test of the thread's exception. */
static bool raised(const struct rpy_typeinfo *ti) { return rt_value_may_collect(ti) && rpy_exc_occurred(); }

/* ---- lists and tuples alike, read through the object (see the note on top) ---- */

static rpy_int seq_len(const void *seq, const struct rpy_typeinfo *ti)
{
    return ti->kind == RPY_K_LIST ? ((const struct rpy_list *)seq)->length : (rpy_int)ti->nitems;
}

static rpy_word seq_item(const void *seq, const struct rpy_typeinfo *ti, rpy_int i)
{
    if (ti->kind == RPY_K_LIST)
        return ((const struct rpy_list *)seq)->items->items[i];
    return ((const struct rpy_tuple *)seq)->items[i];
}

static const struct rpy_typeinfo *seq_item_ti(const struct rpy_typeinfo *ti, rpy_int i)
{
    return ti->kind == RPY_K_LIST ? ti->item : ti->items[i];
}

/* ---- repr and str ---- */

static void repr_seq(struct rt_buf *b, const void *seq, const struct rpy_typeinfo *ti)
{
    RPY_ROOT(seq);
    for (rpy_int i = 0; i < seq_len(seq, ti) && !rpy_exc_occurred(); i++) {
        if (i)
            rt_buf_put(b, ", ", 2);
        rt_repr_into(b, seq_item(seq, ti, i), seq_item_ti(ti, i));
    }
}

static void repr_dict(struct rt_buf *b, const struct rpy_dict *d, const struct rpy_typeinfo *ti)
{
    bool is_set = ti->kind == RPY_K_SET;
    if (is_set && d->used == 0) {
        rt_buf_put(b, "set()", 5);
        return;
    }
    RPY_ROOT(d);
    rt_buf_putc(b, '{');
    bool first = true;
    for (rpy_int k = 0; k < d->nentries && !rpy_exc_occurred(); k++) {
        if (d->entries[k].hash == -1)
            continue; /* deleted */
        if (!first)
            rt_buf_put(b, ", ", 2);
        first = false;
        rt_repr_into(b, d->entries[k].key, ti->item);
        if (!is_set) {
            rt_buf_put(b, ": ", 2);
            rt_repr_into(b, d->entries[k].value, ti->value); /* entries re-read: the key's repr may collect */
        }
    }
    rt_buf_putc(b, '}');
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
    case RPY_K_LIST:
        if (ti->flags & RPY_TI_DEQUE) {
            rt_deque_repr_into(b, p, ti);
            return;
        }
        if (ti->flags & RPY_TI_TUPLE) {
            rt_buf_putc(b, '(');
            repr_seq(b, p, ti);
            rt_buf_puts(b, ((const struct rpy_list *)p)->length == 1 ? ",)" : ")");
            return;
        }
        rt_buf_putc(b, '[');
        repr_seq(b, p, ti);
        rt_buf_putc(b, ']');
        return;
    case RPY_K_TUPLE:
        if (ti->flags & RPY_TI_MIXED_LIST) {
            rt_buf_putc(b, '[');
            repr_seq(b, p, ti);
            rt_buf_putc(b, ']');
            return;
        }
        rt_buf_putc(b, '(');
        repr_seq(b, p, ti);
        rt_buf_puts(b, ti->nitems == 1 ? ",)" : ")");
        return;
    case RPY_K_DICT:
    case RPY_K_SET:
        repr_dict(b, p, ti);
        return;
    default:
        rt_instance_into(b, (void *)p, false);
        return;
    }
}

void rt_str_into(struct rt_buf *b, rpy_word v, const struct rpy_typeinfo *ti)
{
    const struct rpy_str *s = rpy_w_to_ptr(v);
    if (ti->kind == RPY_K_STR && s)
        rt_buf_put(b, s->data, (size_t)s->nbytes);
    else if (ti->kind == RPY_K_INSTANCE && s)
        rt_instance_into(b, rpy_w_to_ptr(v), true);
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

/* A scalar that may be None (dict.get(k) of a dict of ints, floats or
 * bools): the value when found, else None. */
struct rpy_str *rpy_str_of_maybe(rpy_word v, rpy_bool found, const struct rpy_typeinfo *ti, rpy_bool repr)
{
    if (!found)
        return rt_str_none();
    return repr ? rpy_repr_of(v, ti) : rpy_str_of(v, ti);
}

void rpy_write_maybe(rpy_word v, rpy_bool found, const struct rpy_typeinfo *ti)
{
    rpy_write_value(found ? v : 0, found ? ti : &rpy_ti_none);
}

struct rpy_str *rpy_format_maybe(rpy_word v, rpy_bool found, const struct rpy_typeinfo *ti, const struct rpy_str *spec)
{
    return rpy_format_value(found ? v : 0, found ? ti : &rpy_ti_none, spec);
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

/* CPython's list_richcompare for ==: lengths first, then the items
 * pairwise while both have them. */
static bool seq_eq(const void *x, const void *y, const struct rpy_typeinfo *ti)
{
    if (seq_len(x, ti) != seq_len(y, ti))
        return false;
    RPY_ROOT(x);
    RPY_ROOT(y);
    for (rpy_int i = 0; i < seq_len(x, ti) && i < seq_len(y, ti); i++) {
        bool eq = rt_item_eq(seq_item(x, ti, i), seq_item(y, ti, i), seq_item_ti(ti, i));
        if (!eq || raised(seq_item_ti(ti, i)))
            return false;
    }
    return seq_len(x, ti) == seq_len(y, ti);
}

/* Same size and every key of a in b (with an equal value, for dicts). */
static bool dict_eq(struct rpy_dict *a, struct rpy_dict *b, const struct rpy_typeinfo *ti)
{
    if (a->used != b->used)
        return false;
    RPY_ROOT(a);
    RPY_ROOT(b);
    for (rpy_int k = 0; k < a->nentries; k++) {
        rpy_word bv;
        if (a->entries[k].hash == -1)
            continue;
        if (!rt_dict_find(b, a->entries[k].key, &bv) || raised(ti->item)) /* may collect: re-read below */
            return false;
        if (ti->kind == RPY_K_DICT && (!rt_item_eq(a->entries[k].value, bv, ti->value) || raised(ti->value)))
            return false;
    }
    return true;
}

/* a == b of two instances (not None). */
static bool instance_eq(void *a, void *b)
{
    const struct rpy_classinfo *cls = class_of(a);
    return cls && cls->eq ? cls->eq(a, b) : a == b;
}

static bool instance_ne(void *a, void *b)
{
    const struct rpy_classinfo *cls = class_of(a);
    if (cls && cls->ne)
        return cls->ne(a, b);
    return cls && cls->eq ? !cls->eq(a, b) : a != b;
}

rpy_bool rpy_eq(rpy_word a, rpy_word b, const struct rpy_typeinfo *ti)
{
    if (ti->kind == RPY_K_FLOAT)
        return rpy_w_to_float(a) == rpy_w_to_float(b);
    if (ti->kind == RPY_K_INSTANCE && a && b)
        return instance_eq(rpy_w_to_ptr(a), rpy_w_to_ptr(b)); /* a == a too: __eq__ decides */
    if (a == b)
        return true;
    if (!rpy_kind_is_gc(ti->kind) || !a || !b)
        return false; /* distinct ints/bools, or None against an object */
    void *pa = rpy_w_to_ptr(a), *pb = rpy_w_to_ptr(b);
    switch (ti->kind) {
    case RPY_K_STR:
        return rpy_str_eq(pa, pb);
    case RPY_K_LIST:
    case RPY_K_TUPLE:
        return seq_eq(pa, pb, ti);
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

/* The first items that differ (by ==) decide, else the lengths. As in
 * CPython, an __eq__ that shrinks a sequence makes the lengths decide. */
static int seq_compare(const void *x, const void *y, const struct rpy_typeinfo *ti, const char *op)
{
    RPY_ROOT(x);
    RPY_ROOT(y);
    for (rpy_int i = 0; i < seq_len(x, ti) && i < seq_len(y, ti); i++) {
        const struct rpy_typeinfo *t = seq_item_ti(ti, i);
        bool eq = rt_item_eq(seq_item(x, ti, i), seq_item(y, ti, i), t);
        if (raised(t))
            return 0;
        if (eq)
            continue;
        if (i >= seq_len(x, ti) || i >= seq_len(y, ti))
            break;
        return rpy_compare(seq_item(x, ti, i), seq_item(y, ti, i), t, op);
    }
    rpy_int nx = seq_len(x, ti), ny = seq_len(y, ti);
    return (nx > ny) - (nx < ny);
}

static bool is_subset(struct rpy_dict *a, struct rpy_dict *b)
{
    rpy_word unused;
    if (a->used > b->used)
        return false;
    RPY_ROOT(a);
    RPY_ROOT(b);
    const struct rpy_typeinfo *kti = rt_ti_of(a)->item;
    for (rpy_int k = 0; k < a->nentries; k++)
        if (a->entries[k].hash != -1 && (!rt_dict_find(b, a->entries[k].key, &unused) || raised(kti)))
            return false;
    return true;
}

/* Sets order by inclusion: a < b is "proper subset". */
static int set_compare(struct rpy_dict *a, struct rpy_dict *b, const char *op)
{
    RPY_ROOT(a);
    RPY_ROOT(b);
    bool ab = is_subset(a, b);
    if (rpy_exc_occurred())
        return 0;
    bool ba = is_subset(b, a); /* a and b as they are after the first */
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

/* a op b of two instances (not None), op one of < <= > >=: a's method,
 * else b's reflected one, else TypeError. */
static int instance_compare(void *a, void *b, const char *op)
{
    const struct rpy_classinfo *ca = class_of(a), *cb = class_of(b);
    rpy_bool (*own)(void *, void *) = NULL, (*reflected)(void *, void *) = NULL;
    bool or_equal = op[1] == '=';
    if (op[0] == '<') {
        own = !ca ? NULL : or_equal ? ca->le : ca->lt;
        reflected = !cb ? NULL : or_equal ? cb->ge : cb->gt;
    } else {
        own = !ca ? NULL : or_equal ? ca->ge : ca->gt;
        reflected = !cb ? NULL : or_equal ? cb->le : cb->lt;
    }
    if (own)
        return result_for(op, own(a, b));
    if (reflected)
        return result_for(op, reflected(b, a));
    return unorderable(rpy_w_from_ptr(a), rpy_w_from_ptr(b), rt_ti_of(a), op);
}

int rpy_compare(rpy_word a, rpy_word b, const struct rpy_typeinfo *ti, const char *op)
{
    if (op[0] == '!' && ti->kind == RPY_K_INSTANCE && a && b)
        return instance_ne(rpy_w_to_ptr(a), rpy_w_to_ptr(b)) ? 1 : 0;
    if (op[0] == '=' || op[0] == '!') /* equality: raises only from a user's __eq__ */
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
    case RPY_K_LIST:
    case RPY_K_TUPLE:
        return seq_compare(pa, pb, ti, op);
    case RPY_K_SET:
        return set_compare(pa, pb, op);
    case RPY_K_INSTANCE:
        return instance_compare(pa, pb, op);
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
    RPY_ROOT(t); /* an item's hash may collect */
    const uint64_t p1 = 11400714785074694791ULL, p2 = 14029467366897019727ULL, p5 = 2870177450012600261ULL;
    uint64_t acc = p5;
    for (uint32_t i = 0; i < ti->nitems; i++) {
        uint64_t lane = (uint64_t)rpy_hash(t->items[i], ti->items[i]);
        if (raised(ti->items[i]))
            return 0;
        acc += lane * p2;
        acc = (acc << 31) | (acc >> 33);
        acc *= p1;
    }
    acc += ti->nitems ^ (p5 ^ 3527539UL);
    return acc == (uint64_t)-1 ? 1546275796 : (rpy_int)acc;
}

/* The same over a tuple of any length (a LIST marked RPY_TI_TUPLE). */
static rpy_int varlen_tuple_hash(const struct rpy_list *l, const struct rpy_typeinfo *ti)
{
    RPY_ROOT(l);
    const uint64_t p1 = 11400714785074694791ULL, p2 = 14029467366897019727ULL, p5 = 2870177450012600261ULL;
    uint64_t acc = p5;
    for (rpy_int i = 0; i < l->length; i++) {
        uint64_t lane = (uint64_t)rpy_hash(l->items->items[i], ti->item);
        if (raised(ti->item))
            return 0;
        acc += lane * p2;
        acc = (acc << 31) | (acc >> 33);
        acc *= p1;
    }
    acc += (uint64_t)l->length ^ (p5 ^ 3527539UL);
    return acc == (uint64_t)-1 ? 1546275796 : (rpy_int)acc;
}

static rpy_int unhashable(rpy_word v, const struct rpy_typeinfo *ti)
{
    char msg[200];
    snprintf(msg, sizeof msg, "unhashable type: '%.150s'", rt_type_name(v, ti));
    rpy_raise_builtin_c(RPY_EXC_TypeError, msg);
    return 0;
}

/* __hash__'s result, as CPython's slot_tp_hash takes it: -1 is reserved
 * (an error in C; a deleted entry in our dicts) and becomes -2. */
static rpy_int instance_hash(void *obj)
{
    const struct rpy_classinfo *cls = class_of(obj);
    if (cls && cls->hash) {
        rpy_int h = cls->hash(obj);
        return h == -1 ? -2 : h;
    }
    if (cls && (cls->flags & RPY_CLS_UNHASHABLE))
        return unhashable(rpy_w_from_ptr(obj), rt_ti_of(obj));
    return rpy_gc_identity_hash(obj);
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
        if (ti->flags & RPY_TI_TUPLE)
            return varlen_tuple_hash(rpy_w_to_ptr(v), ti);
        return unhashable(v, ti);
    case RPY_K_DICT:
    case RPY_K_SET:
        return unhashable(v, ti);
    case RPY_K_INSTANCE:
        return instance_hash(rpy_w_to_ptr(v));
    default:
        return rpy_gc_identity_hash(rpy_w_to_ptr(v));
    }
}

/* ---- truth ---- */

/* __bool__, else __len__ != 0 (CPython's ValueError for a negative
 * length), else true. */
static bool instance_truth(void *obj)
{
    const struct rpy_classinfo *cls = class_of(obj);
    if (cls && cls->bool_)
        return cls->bool_(obj);
    if (!cls || !cls->len)
        return true;
    rpy_int n = cls->len(obj);
    if (n < 0 && !rpy_exc_occurred())
        rpy_raise_builtin_c(RPY_EXC_ValueError, "__len__() should return >= 0");
    return n > 0;
}

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
    case RPY_K_INSTANCE:
        return instance_truth(rpy_w_to_ptr(v));
    default:
        return true;
    }
}
