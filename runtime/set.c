/* set.c - set algebra and the rest of the set methods.
 *
 * A set is a dict without values (dict.c); these are built from its
 * public operations. The result of a binary operation has the type of
 * its left operand, and its items come in the order Python's own
 * definition visits them (left operand first), although programs may not
 * rely on a set's order.
 *
 * Under the moving collector: adding to the result may collect (it
 * grows), and so may a membership test whose items' __eq__ is program
 * code. The sets are rooted for the whole operation, FOR_EACH_ITEM
 * re-reads the entries through the set at every step, and the item being
 * moved from one set to the other is rooted while it is tested. When an
 * item's __hash__ or __eq__ raises, the loop stops there (the result is
 * a dummy the compiled caller drops).
 */
#include "runtime/rt_internal.h"

#define FOR_EACH_ITEM(s, k) \
    for (rpy_int k = 0; k < (s)->d.nentries; k++) \
        if ((s)->d.entries[k].hash != -1)

struct rpy_set *rpy_set_copy(struct rpy_set *s) { return (struct rpy_set *)rpy_dict_copy(&s->d); }

void rpy_set_clear(struct rpy_set *s) { rpy_dict_clear(&s->d); }

/* Adds every item of other (|=). */
void rpy_set_update(struct rpy_set *s, struct rpy_set *other)
{
    rpy_dict_update(&s->d, &other->d);
}

/* Whether the items of s are GC pointers. */
static bool items_are_gc(const struct rpy_set *s) { return rpy_kind_is_gc(rt_ti_of(s)->item->kind); }

struct rpy_set *rpy_set_union(struct rpy_set *a, struct rpy_set *b)
{
    RPY_ROOT(b);
    struct rpy_set *r = rpy_set_copy(a);
    RPY_ROOT(r);
    rpy_set_update(r, b);
    return r;
}

/* Adds to r the items of a that are (want = true) or are not (false) in b. */
static void add_filtered(struct rpy_set *r, struct rpy_set *a, struct rpy_set *b, bool want)
{
    RPY_ROOT(r);
    RPY_ROOT(a);
    RPY_ROOT(b);
    bool gc = items_are_gc(a);
    FOR_EACH_ITEM(a, k)
    {
        rpy_word v = a->d.entries[k].key;
        RPY_ROOT_WORD(v, gc);
        bool in_b = rpy_set_contains(b, v);
        if (gc && rpy_exc_occurred())
            return;
        if (in_b == want)
            rpy_set_add(r, v);
    }
}

static struct rpy_set *filter(struct rpy_set *a, struct rpy_set *b, bool want)
{
    RPY_ROOT(a);
    RPY_ROOT(b);
    struct rpy_set *r = rpy_set_new(rt_ti_of(a));
    RPY_ROOT(r);
    add_filtered(r, a, b, want);
    return r;
}

struct rpy_set *rpy_set_intersection(struct rpy_set *a, struct rpy_set *b) { return filter(a, b, true); }
struct rpy_set *rpy_set_difference(struct rpy_set *a, struct rpy_set *b) { return filter(a, b, false); }

struct rpy_set *rpy_set_symmetric_difference(struct rpy_set *a, struct rpy_set *b)
{
    RPY_ROOT(a);
    RPY_ROOT(b);
    struct rpy_set *r = filter(a, b, false);
    RPY_ROOT(r);
    add_filtered(r, b, a, false);
    return r;
}

/* s &= other: deletes, by entry number, the items of s not in other
 * (entries stay in place while s is walked). */
void rpy_set_intersection_update(struct rpy_set *s, struct rpy_set *other)
{
    if (s == other)
        return;
    RPY_ROOT(s);
    RPY_ROOT(other);
    bool gc = items_are_gc(s);
    FOR_EACH_ITEM(s, k)
    {
        rpy_word v = s->d.entries[k].key;
        RPY_ROOT_WORD(v, gc);
        bool keep = rpy_set_contains(other, v);
        if (gc && rpy_exc_occurred())
            return;
        if (!keep && s->d.entries[k].key == v) /* an __eq__ may have changed s */
            rt_dict_delete_entry(&s->d, k);
    }
}

/* s -= other */
void rpy_set_difference_update(struct rpy_set *s, struct rpy_set *other)
{
    if (s == other) {
        rpy_set_clear(s);
        return;
    }
    RPY_ROOT(s);
    RPY_ROOT(other);
    bool gc = items_are_gc(s);
    FOR_EACH_ITEM(other, k)
    {
        rpy_set_discard(s, other->d.entries[k].key);
        if (gc && rpy_exc_occurred())
            return;
    }
}

/* s ^= other: each item of other leaves s if there, else joins it. */
void rpy_set_symmetric_difference_update(struct rpy_set *s, struct rpy_set *other)
{
    if (s == other) {
        rpy_set_clear(s);
        return;
    }
    RPY_ROOT(s);
    RPY_ROOT(other);
    bool gc = items_are_gc(s);
    FOR_EACH_ITEM(other, k)
    {
        rpy_word v = other->d.entries[k].key;
        RPY_ROOT_WORD(v, gc);
        bool in_s = rpy_set_contains(s, v);
        if (gc && rpy_exc_occurred())
            return;
        if (in_s)
            rpy_set_discard(s, v);
        else
            rpy_set_add(s, v);
        if (rpy_exc_occurred())
            return;
    }
}

rpy_bool rpy_set_isdisjoint(struct rpy_set *a, struct rpy_set *b)
{
    RPY_ROOT(a);
    RPY_ROOT(b);
    FOR_EACH_ITEM(a, k)
    if (rpy_set_contains(b, a->d.entries[k].key) || rpy_exc_occurred())
        return false;
    return true;
}

/* Removes and returns an item: the oldest, here (CPython's choice is
 * another; either is "arbitrary"). */
rpy_word rpy_set_pop(struct rpy_set *s)
{
    rpy_int pos = rpy_dict_next_entry(&s->d, 0, s->d.used);
    if (pos < 0) {
        rpy_raise_builtin(RPY_EXC_KeyError, rpy_str_from_cstr("'pop from an empty set'"));
        return 0;
    }
    rpy_word v = s->d.entries[pos].key;
    rt_dict_delete_entry(&s->d, pos); /* no comparison: nothing collects */
    return v;
}

struct rpy_set *rpy_set_from_list(const struct rpy_typeinfo *ti, const struct rpy_list *l)
{
    RPY_ROOT(l);
    struct rpy_set *s = rpy_set_new(ti);
    RPY_ROOT(s);
    for (rpy_int i = 0; i < l->length && !rpy_exc_occurred(); i++)
        rpy_set_add(s, l->items->items[i]);
    return s;
}

struct rpy_list *rpy_set_to_list(struct rpy_set *s, const struct rpy_typeinfo *listti)
{
    return rpy_dict_keys(&s->d, listti);
}
