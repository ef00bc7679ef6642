/* dict.c - compact, insertion-ordered dicts, and sets on top of them.
 *
 * The layout is CPython's (Objects/dictobject.c since 3.6): `entries` is
 * an array of {hash, key, value} in insertion order, and `index` is an
 * open-addressing hash table of int32 entry numbers (-1 empty, -2 dummy)
 * probed with CPython's perturbation sequence, so iteration order is
 * insertion order and lookups touch one small table. Both live in one
 * raw rpy_array block (index first, then the 8-byte aligned entries);
 * the collector will trace keys and values through the dict object,
 * whose type info (rpy_typetable[tid]: item = key type, value = value
 * type) says which of them are GC pointers.
 *
 * Deleting leaves the entry in place with hash -1 (no real hash is -1:
 * rpy_hash never returns it) and key/value zeroed, and its index slot a
 * dummy; a resize compacts the entries. As in CPython 3.11 the table is
 * at most 2/3 full and a resize makes room for 3 * used entries, so a
 * dict that only ever grows resizes O(log n) times and a dict with many
 * deletions shrinks.
 *
 * An empty dict points at a shared one-slot index and has no entries; the
 * first insertion allocates. Keys compare by hash first, then by word
 * identity (identical bits are equal: ints, bools, the same str or
 * object), then by rpy_eq.
 *
 * A set is a dict whose values are unused.
 */
#include "runtime/rt_internal.h"

#include <stdlib.h>

#define IX_EMPTY (-1)
#define IX_DUMMY (-2)
#define DELETED_HASH (-1)
#define MIN_INDEXSIZE 8
#define PERTURB_SHIFT 5

static const int32_t empty_index[1] = {IX_EMPTY};

static const struct rpy_typeinfo *key_ti(const struct rpy_dict *d) { return rt_ti_of(d)->item; }

static int32_t *index_of(const struct rpy_dict *d) { return (int32_t *)d->index; }

static void set_empty(struct rpy_dict *d)
{
    d->used = d->nentries = d->capacity = 0;
    d->indexsize = 1;
    d->index = (void *)empty_index; /* never written: capacity 0 forces a resize first */
    d->entries = NULL;
}

/* ---- hashing and key equality, with fast paths for int and str ---- */

static rpy_int key_hash(rpy_word key, const struct rpy_typeinfo *kti)
{
    if (kti->kind == RPY_K_INT)
        return rpy_int_hash(rpy_w_to_int(key));
    return rpy_hash(key, kti);
}

static bool key_eq(rpy_word a, rpy_word b, const struct rpy_typeinfo *kti)
{
    if (a == b)
        return true;
    switch (kti->kind) {
    case RPY_K_INT:
    case RPY_K_BOOL:
    case RPY_K_NONE:
    case RPY_K_INSTANCE:
        return false;
    case RPY_K_STR:
        return rpy_str_eq(rpy_w_to_ptr(a), rpy_w_to_ptr(b));
    default:
        return rpy_eq(a, b, kti);
    }
}

/* ---- probing ---- */

/* The entry number of key, or -1. *slot receives the index slot holding
 * it, or when absent the first free (empty or dummy) slot on its path. */
static rpy_int lookup(const struct rpy_dict *d, rpy_word key, rpy_int hash, const struct rpy_typeinfo *kti,
                      size_t *slot)
{
    const int32_t *index = index_of(d);
    size_t mask = (size_t)d->indexsize - 1, i = (size_t)hash & mask;
    size_t free_slot = SIZE_MAX;
    for (uint64_t perturb = (uint64_t)hash;; perturb >>= PERTURB_SHIFT, i = (i * 5 + perturb + 1) & mask) {
        int32_t ix = index[i];
        if (ix == IX_EMPTY) {
            *slot = free_slot != SIZE_MAX ? free_slot : i;
            return -1;
        }
        if (ix == IX_DUMMY) {
            if (free_slot == SIZE_MAX)
                free_slot = i;
            continue;
        }
        const struct rpy_dict_entry *e = &d->entries[ix];
        if (e->hash == hash && key_eq(e->key, key, kti)) {
            *slot = i;
            return ix;
        }
    }
}

/* A free slot for a hash known to be absent, in a table with no dummies
 * (just rebuilt) or where any free slot will do. */
static size_t free_slot_for(const struct rpy_dict *d, rpy_int hash)
{
    const int32_t *index = index_of(d);
    size_t mask = (size_t)d->indexsize - 1, i = (size_t)hash & mask;
    for (uint64_t perturb = (uint64_t)hash; index[i] >= 0;
         perturb >>= PERTURB_SHIFT, i = (i * 5 + perturb + 1) & mask)
        ;
    return i;
}

/* ---- resizing ---- */

/* New storage whose index has at least min_size slots (and so room for
 * 2/3 as many entries); live entries are copied in order (dropping
 * deleted ones) and the index is rebuilt. */
static void resize(struct rpy_dict *d, rpy_int min_size)
{
    rpy_int size = MIN_INDEXSIZE;
    while (size < min_size) {
        if (size > ((rpy_int)1 << 30)) {
            rt_memory_error();
            return;
        }
        size <<= 1;
    }
    rpy_int cap = (size << 1) / 3;
    size_t words = (size_t)size / 2 + (size_t)cap * 3;
    struct rpy_array *block = rpy_malloc(&rpy_ti_array_raw, sizeof(struct rpy_array) + 8 * words);
    block->length = (rpy_int)words;
    int32_t *index = (int32_t *)block->items;
    struct rpy_dict_entry *entries = (struct rpy_dict_entry *)(block->items + size / 2);
    memset(index, 0xff, sizeof(int32_t) * (size_t)size); /* all IX_EMPTY */
    rpy_int n = 0;
    for (rpy_int k = 0; k < d->nentries; k++)
        if (d->entries[k].hash != DELETED_HASH)
            entries[n++] = d->entries[k];
    d->index = index;
    d->entries = entries;
    d->indexsize = size;
    d->capacity = cap;
    d->nentries = n;
    d->used = n;
    for (rpy_int k = 0; k < n; k++)
        index[free_slot_for(d, entries[k].hash)] = (int32_t)k;
}

/* Appends a new entry for a key known to be absent. */
static void insert_new(struct rpy_dict *d, rpy_word key, rpy_int hash, rpy_word value, size_t slot)
{
    if (d->nentries >= d->capacity) {
        resize(d, d->used * 3); /* CPython's GROWTH_RATE */
        slot = free_slot_for(d, hash);
    }
    rpy_int n = d->nentries++;
    d->entries[n] = (struct rpy_dict_entry){hash, key, value};
    index_of(d)[slot] = (int32_t)n;
    d->used++;
}

static void delete_at(struct rpy_dict *d, rpy_int ix, size_t slot)
{
    index_of(d)[slot] = IX_DUMMY;
    d->entries[ix] = (struct rpy_dict_entry){DELETED_HASH, 0, 0};
    d->used--;
}

/* ---- dict API ---- */

struct rpy_dict *rpy_dict_new(const struct rpy_typeinfo *ti)
{
    size_t size = ti->size > sizeof(struct rpy_dict) ? ti->size : sizeof(struct rpy_dict);
    struct rpy_dict *d = rpy_malloc(ti, size);
    set_empty(d);
    return d;
}

static void raise_key_error(const struct rpy_dict *d, rpy_word key)
{
    rpy_raise_builtin(RPY_EXC_KeyError, rpy_repr_of(key, key_ti(d)));
}

bool rt_dict_find(struct rpy_dict *d, rpy_word key, rpy_word *value)
{
    const struct rpy_typeinfo *kti = key_ti(d);
    size_t slot;
    rpy_int ix = lookup(d, key, key_hash(key, kti), kti, &slot);
    if (ix < 0)
        return false;
    *value = d->entries[ix].value;
    return true;
}

rpy_word rpy_dict_getitem(struct rpy_dict *d, rpy_word key)
{
    rpy_word v;
    if (rt_dict_find(d, key, &v))
        return v;
    raise_key_error(d, key);
    return 0;
}

rpy_word rpy_dict_get(struct rpy_dict *d, rpy_word key, rpy_word dflt)
{
    rpy_word v;
    return rt_dict_find(d, key, &v) ? v : dflt;
}

rpy_bool rpy_dict_contains(struct rpy_dict *d, rpy_word key)
{
    rpy_word v;
    return rt_dict_find(d, key, &v);
}

void rpy_dict_setitem(struct rpy_dict *d, rpy_word key, rpy_word value)
{
    const struct rpy_typeinfo *kti = key_ti(d);
    rpy_int hash = key_hash(key, kti);
    size_t slot;
    rpy_int ix = lookup(d, key, hash, kti, &slot);
    if (ix >= 0)
        d->entries[ix].value = value;
    else
        insert_new(d, key, hash, value, slot);
}

rpy_word rpy_dict_setdefault(struct rpy_dict *d, rpy_word key, rpy_word dflt)
{
    const struct rpy_typeinfo *kti = key_ti(d);
    rpy_int hash = key_hash(key, kti);
    size_t slot;
    rpy_int ix = lookup(d, key, hash, kti, &slot);
    if (ix >= 0)
        return d->entries[ix].value;
    insert_new(d, key, hash, dflt, slot);
    return dflt;
}

/* Removes key; returns whether it was there, its value in *value. */
static bool remove_key(struct rpy_dict *d, rpy_word key, rpy_word *value)
{
    const struct rpy_typeinfo *kti = key_ti(d);
    size_t slot;
    rpy_int ix = lookup(d, key, key_hash(key, kti), kti, &slot);
    if (ix < 0)
        return false;
    *value = d->entries[ix].value;
    delete_at(d, ix, slot);
    return true;
}

void rpy_dict_delitem(struct rpy_dict *d, rpy_word key)
{
    rpy_word v;
    if (!remove_key(d, key, &v))
        raise_key_error(d, key);
}

rpy_word rpy_dict_pop(struct rpy_dict *d, rpy_word key)
{
    rpy_word v;
    if (remove_key(d, key, &v))
        return v;
    raise_key_error(d, key);
    return 0;
}

rpy_word rpy_dict_pop_default(struct rpy_dict *d, rpy_word key, rpy_word dflt)
{
    rpy_word v;
    return remove_key(d, key, &v) ? v : dflt;
}

void rpy_dict_update(struct rpy_dict *d, struct rpy_dict *other)
{
    const struct rpy_typeinfo *kti = key_ti(d);
    for (rpy_int k = 0; k < other->nentries; k++) {
        const struct rpy_dict_entry e = other->entries[k]; /* copy: d may be other */
        if (e.hash == DELETED_HASH)
            continue;
        size_t slot;
        rpy_int ix = lookup(d, e.key, e.hash, kti, &slot);
        if (ix >= 0)
            d->entries[ix].value = e.value;
        else
            insert_new(d, e.key, e.hash, e.value, slot);
    }
}

struct rpy_dict *rpy_dict_copy(struct rpy_dict *d)
{
    struct rpy_dict *r = rpy_dict_new(rt_ti_of(d));
    if (d->used == 0)
        return r;
    /* Resizing a copy of d's header compacts its entries into new
     * storage (the source storage is only read). */
    *r = (struct rpy_dict){r->hdr, d->used, d->nentries, d->capacity, d->indexsize, d->index, d->entries};
    resize(r, d->used + d->used / 2 + 1);
    return r;
}

void rpy_dict_clear(struct rpy_dict *d) { set_empty(d); }

/* The last inserted item, removed (LIFO, as CPython). */
struct rpy_tuple *rpy_dict_popitem(struct rpy_dict *d, const struct rpy_typeinfo *tuplti)
{
    rpy_int ix = d->nentries - 1;
    while (ix >= 0 && d->entries[ix].hash == DELETED_HASH)
        ix--;
    if (ix < 0) {
        rpy_raise_builtin(RPY_EXC_KeyError, rpy_str_from_cstr("'popitem(): dictionary is empty'"));
        return NULL;
    }
    struct rpy_tuple *t = rpy_tuple_new(tuplti);
    struct rpy_dict_entry e = d->entries[ix];
    t->items[0] = e.key;
    t->items[1] = e.value;
    size_t slot;
    lookup(d, e.key, e.hash, key_ti(d), &slot);
    delete_at(d, ix, slot);
    d->nentries = ix; /* CPython reuses the tail entry too */
    return t;
}

rpy_int rpy_dict_next_entry(struct rpy_dict *d, rpy_int pos, rpy_int expected_used)
{
    if (d->used != expected_used) {
        bool is_set = rt_ti_of(d)->kind == RPY_K_SET;
        rpy_raise_builtin_c(RPY_EXC_RuntimeError, is_set ? "Set changed size during iteration"
                                                         : "dictionary changed size during iteration");
        return -1;
    }
    while (pos < d->nentries && d->entries[pos].hash == DELETED_HASH)
        pos++;
    return pos < d->nentries ? pos : -1;
}

/* ---- keys(), values(), items() as lists ---- */

static struct rpy_list *collect(struct rpy_dict *d, const struct rpy_typeinfo *listti, bool keys)
{
    struct rpy_list *l = rpy_list_new(listti, d->used);
    rpy_int n = 0;
    for (rpy_int k = 0; k < d->nentries; k++)
        if (d->entries[k].hash != DELETED_HASH)
            l->items->items[n++] = keys ? d->entries[k].key : d->entries[k].value;
    return l;
}

struct rpy_list *rpy_dict_keys(struct rpy_dict *d, const struct rpy_typeinfo *listti)
{
    return collect(d, listti, true);
}

struct rpy_list *rpy_dict_values(struct rpy_dict *d, const struct rpy_typeinfo *listti)
{
    return collect(d, listti, false);
}

struct rpy_list *rpy_dict_items(struct rpy_dict *d, const struct rpy_typeinfo *listti,
                                const struct rpy_typeinfo *tuplti)
{
    struct rpy_list *l = rpy_list_new(listti, d->used);
    rpy_int n = 0;
    for (rpy_int k = 0; k < d->nentries; k++) {
        if (d->entries[k].hash == DELETED_HASH)
            continue;
        struct rpy_tuple *t = rpy_tuple_new(tuplti);
        t->items[0] = d->entries[k].key;
        t->items[1] = d->entries[k].value;
        l->items->items[n++] = rpy_w_from_ptr(t);
    }
    return l;
}

/* ---- sets ---- */

struct rpy_set *rpy_set_new(const struct rpy_typeinfo *ti) { return (struct rpy_set *)rpy_dict_new(ti); }

void rpy_set_add(struct rpy_set *s, rpy_word v)
{
    const struct rpy_typeinfo *kti = key_ti(&s->d);
    rpy_int hash = key_hash(v, kti);
    size_t slot;
    if (lookup(&s->d, v, hash, kti, &slot) < 0)
        insert_new(&s->d, v, hash, 0, slot);
}

rpy_bool rpy_set_contains(struct rpy_set *s, rpy_word v) { return rpy_dict_contains(&s->d, v); }

void rpy_set_discard(struct rpy_set *s, rpy_word v)
{
    rpy_word unused;
    remove_key(&s->d, v, &unused);
}

void rpy_set_remove(struct rpy_set *s, rpy_word v)
{
    rpy_word unused;
    if (!remove_key(&s->d, v, &unused))
        raise_key_error(&s->d, v);
}
