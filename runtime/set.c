/* set.c - set algebra and the rest of the set methods.
 *
 * A set is a dict without values (dict.c); these are built from its
 * public operations. The result of a binary operation has the type of
 * its left operand, and its items come in the order Python's own
 * definition visits them (left operand first), although programs may not
 * rely on a set's order.
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

struct rpy_set *rpy_set_union(struct rpy_set *a, struct rpy_set *b)
{
    struct rpy_set *r = rpy_set_copy(a);
    rpy_set_update(r, b);
    return r;
}

/* Items of a that are (want = true) or are not (false) in b. */
static struct rpy_set *filter(struct rpy_set *a, struct rpy_set *b, bool want)
{
    struct rpy_set *r = rpy_set_new(rt_ti_of(a));
    FOR_EACH_ITEM(a, k)
    {
        rpy_word v = a->d.entries[k].key;
        if (rpy_set_contains(b, v) == want)
            rpy_set_add(r, v);
    }
    return r;
}

struct rpy_set *rpy_set_intersection(struct rpy_set *a, struct rpy_set *b) { return filter(a, b, true); }
struct rpy_set *rpy_set_difference(struct rpy_set *a, struct rpy_set *b) { return filter(a, b, false); }

struct rpy_set *rpy_set_symmetric_difference(struct rpy_set *a, struct rpy_set *b)
{
    struct rpy_set *r = filter(a, b, false);
    FOR_EACH_ITEM(b, k)
    {
        rpy_word v = b->d.entries[k].key;
        if (!rpy_set_contains(a, v))
            rpy_set_add(r, v);
    }
    return r;
}

rpy_bool rpy_set_isdisjoint(struct rpy_set *a, struct rpy_set *b)
{
    FOR_EACH_ITEM(a, k)
    if (rpy_set_contains(b, a->d.entries[k].key))
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
    rpy_set_discard(s, v);
    return v;
}

struct rpy_set *rpy_set_from_list(const struct rpy_typeinfo *ti, const struct rpy_list *l)
{
    struct rpy_set *s = rpy_set_new(ti);
    for (rpy_int i = 0; i < l->length; i++)
        rpy_set_add(s, l->items->items[i]);
    return s;
}

struct rpy_list *rpy_set_to_list(struct rpy_set *s, const struct rpy_typeinfo *listti)
{
    return rpy_dict_keys(&s->d, listti);
}
