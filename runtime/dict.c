/* dict.c - compact, insertion-ordered dicts, and sets on top of them.
 *
 * The layout is CPython's (Objects/dictobject.c since 3.6): `entries` is
 * an array of {hash, key, value} in insertion order, and `index` is an
 * open-addressing hash table of int32 entry numbers (-1 empty, -2 dummy)
 * probed with CPython's perturbation sequence, so iteration order is
 * insertion order and lookups touch one small table. Both live in one
 * raw rpy_array block (index first, then the 8-byte aligned entries);
 * the collector traces keys and values through the dict object,
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
 *
 * Under the moving collector. The storage block is raw: the collector
 * finds keys and values through the dict, so every store of a key or
 * value, and setting d->index/d->entries to a new block, follows
 * rpy_gc_wb(d). Each operation carries its operands in a struct dict_op
 * (dict, key, value or default, hash, probe result). Resizing may
 * collect: make_room roots the operands, rebuild roots the dicts, and the
 * index and entries are re-read after it. A copy gets storage of its own
 * at once (rebuild from the source), never a share of the source's block. Hashing and comparing keys may
 * collect only for key types rt_value_may_collect admits (instances,
 * whose __eq__/__hash__ are program code, and unhashable containers);
 * for those, find_calling_back roots the operands and lookup_calling_back
 * re-reads the table after every comparison, starting over when the
 * comparison changed it (as CPython restarts when __eq__ mutated the
 * dict). Int, str, float and plain tuple keys keep the tight loop, with
 * no roots. popitem and set.pop delete by entry number, comparing
 * nothing.
 *
 * A key's __hash__ or __eq__ may raise: the lookup then ends with
 * IX_FAILED, and the operation stops there, inserting, deleting and
 * raising nothing (the compiled caller sees the exception).
 */
#include "runtime/rt_internal.h"

#include <stdlib.h>

#define IX_EMPTY (-1)
#define IX_DUMMY (-2)
#define IX_FAILED (-3) /* a lookup's result when __hash__ or __eq__ raised */
#define DELETED_HASH (-1)
#define MIN_INDEXSIZE 8
#define PERTURB_SHIFT 5

static const int32_t empty_index[1] = {IX_EMPTY};

static int32_t *index_of(const struct rpy_dict *d) { return (int32_t *)d->index; }

static void set_empty(struct rpy_dict *d)
{
    d->used = d->nentries = d->capacity = 0;
    d->indexsize = 1;
    d->index = (void *)empty_index; /* never written: capacity 0 forces a resize first */
    d->entries = NULL;
}

/* ---- hashing and key equality, with fast paths for int and str ---- */

static const struct rpy_typeinfo *key_ti(const struct rpy_dict *d) { return rt_ti_of(d)->item; }

/* Whether the values of dicts of type ti hold GC pointers (sets have none). */
static bool values_are_gc(const struct rpy_typeinfo *ti)
{
    return ti->kind == RPY_K_DICT && rpy_kind_is_gc(ti->value->kind);
}

static rpy_int key_hash(rpy_word key, const struct rpy_typeinfo *kti)
{
    if (kti->kind == RPY_K_INT)
        return rpy_int_hash(rpy_w_to_int(key));
    return rpy_hash(key, kti);
}

/* For keys that rt_value_may_collect rules out: this cannot collect. */
static bool key_eq(rpy_word a, rpy_word b, const struct rpy_typeinfo *kti)
{
    if (a == b)
        return true;
    switch (kti->kind) {
    case RPY_K_INT:
    case RPY_K_BOOL:
    case RPY_K_NONE:
        return false;
    case RPY_K_STR:
        return rpy_str_eq(rpy_w_to_ptr(a), rpy_w_to_ptr(b));
    default:
        return rpy_eq(a, b, kti);
    }
}

/* ---- probing ---- */

/* The entry number of key, or -1. *slot receives the index slot holding
 * it, or when absent the first free (empty or dummy) slot on its path.
 * Only for keys whose comparison cannot collect. */
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

/* The first free (empty or dummy) slot on the path of hash: where a key
 * known to be absent goes. */
static size_t free_slot_for(const struct rpy_dict *d, rpy_int hash)
{
    const int32_t *index = index_of(d);
    size_t mask = (size_t)d->indexsize - 1, i = (size_t)hash & mask;
    for (uint64_t perturb = (uint64_t)hash; index[i] >= 0;
         perturb >>= PERTURB_SHIFT, i = (i * 5 + perturb + 1) & mask)
        ;
    return i;
}

/* The index slot that holds entry number ix (whose hash is hash). */
static size_t slot_of_entry(const struct rpy_dict *d, rpy_int hash, rpy_int ix)
{
    const int32_t *index = index_of(d);
    size_t mask = (size_t)d->indexsize - 1, i = (size_t)hash & mask;
    for (uint64_t perturb = (uint64_t)hash; index[i] != ix;
         perturb >>= PERTURB_SHIFT, i = (i * 5 + perturb + 1) & mask)
        ;
    return i;
}

/* ---- resizing ---- */

/* New storage for d whose index has at least min_size slots (and so room
 * for 2/3 as many entries), holding the live entries of src in order
 * (dropping deleted ones), the index rebuilt. src is d itself, or the
 * dict that d copies. */
static void rebuild(struct rpy_dict *d, const struct rpy_dict *src, rpy_int min_size)
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
    RPY_ROOT(d);
    RPY_ROOT(src);
    struct rpy_array *block = rpy_malloc(&rpy_ti_array_raw, sizeof(struct rpy_array) + 8 * words);
    block->length = (rpy_int)words;
    int32_t *index = (int32_t *)block->items;
    struct rpy_dict_entry *entries = (struct rpy_dict_entry *)(block->items + size / 2);
    memset(index, 0xff, sizeof(int32_t) * (size_t)size); /* all IX_EMPTY */
    rpy_int n = 0;
    for (rpy_int k = 0; k < src->nentries; k++)
        if (src->entries[k].hash != DELETED_HASH)
            entries[n++] = src->entries[k];
    rpy_gc_wb(d); /* the new block, and the keys and values in it */
    d->index = index;
    d->entries = entries;
    d->indexsize = size;
    d->capacity = cap;
    d->nentries = n;
    d->used = n;
    for (rpy_int k = 0; k < n; k++)
        index[free_slot_for(d, entries[k].hash)] = (int32_t)k;
}

static void delete_at(struct rpy_dict *d, rpy_int ix, size_t slot)
{
    index_of(d)[slot] = IX_DUMMY;
    d->entries[ix] = (struct rpy_dict_entry){DELETED_HASH, 0, 0};
    d->used--;
}

/* ---- one operation: find, then store, insert or remove ---- */

struct dict_op {
    struct rpy_dict *d;
    rpy_word key;
    rpy_word value; /* to store, or the default to return */
    rpy_int hash;
    rpy_int ix;  /* from op_find: entry number of key, or -1 */
    size_t slot; /* its index slot, or the free slot where it would go */
};

/* lookup for keys whose comparison may run program code: it may collect
 * and even change op->d, so the table is re-read after each comparison,
 * and the probe starts over when the entry compared is no longer where it
 * was. The key itself is found without a call (CPython's identity test).
 * IX_FAILED when a comparison raised. op->d and op->key are rooted by the
 * caller. */
static rpy_int lookup_calling_back(struct dict_op *op, const struct rpy_typeinfo *kti)
{
restart:;
    size_t mask = (size_t)op->d->indexsize - 1, i = (size_t)op->hash & mask;
    for (uint64_t perturb = (uint64_t)op->hash;; perturb >>= PERTURB_SHIFT, i = (i * 5 + perturb + 1) & mask) {
        int32_t ix = index_of(op->d)[i];
        if (ix == IX_EMPTY) {
            op->slot = free_slot_for(op->d, op->hash);
            return -1;
        }
        if (ix == IX_DUMMY || op->d->entries[ix].hash != op->hash)
            continue;
        void *key = rpy_w_to_ptr(op->d->entries[ix].key);
        if (rpy_w_from_ptr(key) == op->key) {
            op->slot = i;
            return ix;
        }
        RPY_ROOT(key);
        bool eq = rpy_eq(rpy_w_from_ptr(key), op->key, kti); /* may collect */
        if (rpy_exc_occurred())
            return IX_FAILED;
        const struct rpy_dict *d = op->d;
        bool moved_on = (size_t)d->indexsize - 1 != mask || index_of(d)[i] != ix;
        if (moved_on || d->entries[ix].key != rpy_w_from_ptr(key))
            goto restart;
        if (eq) {
            op->slot = i;
            return ix;
        }
    }
}

/* The slow paths below take the operands by value and return them
 * updated: the caller's struct dict_op never has its address taken, so
 * on the fast paths its fields stay in registers. */

static struct dict_op find_calling_back(struct dict_op op, const struct rpy_typeinfo *ti, bool hashed)
{
    RPY_ROOT(op.d);
    RPY_ROOT_WORD(op.key, true); /* rt_value_may_collect holds only for GC kinds */
    RPY_ROOT_WORD(op.value, values_are_gc(ti));
    if (!hashed)
        op.hash = rpy_hash(op.key, ti->item); /* may collect */
    op.ix = rpy_exc_occurred() ? IX_FAILED : lookup_calling_back(&op, ti->item);
    return op;
}

/* Hashes op->key (unless hashed: op->hash is set) and looks it up in
 * op->d, setting op->ix (>= 0 found, -1 absent, IX_FAILED raised) and
 * op->slot. When that can collect, the operands are rooted meanwhile;
 * either way op holds their current addresses. */
static inline __attribute__((always_inline)) void op_find(struct dict_op *op, bool hashed)
{
    const struct rpy_typeinfo *ti = rt_ti_of(op->d);
    if (rt_value_may_collect(ti->item)) {
        *op = find_calling_back(*op, ti, hashed);
        return;
    }
    if (!hashed)
        op->hash = key_hash(op->key, ti->item);
    op->ix = lookup(op->d, op->key, op->hash, ti->item, &op->slot);
}

/* Resizes op.d for one more entry (CPython's GROWTH_RATE: room for 3 *
 * used); may collect, so the operands are rooted; op.slot is recomputed. */
static struct dict_op make_room(struct dict_op op)
{
    const struct rpy_typeinfo *ti = rt_ti_of(op.d);
    RPY_ROOT(op.d);
    RPY_ROOT_WORD(op.key, rpy_kind_is_gc(ti->item->kind));
    RPY_ROOT_WORD(op.value, values_are_gc(ti));
    rebuild(op.d, op.d, op.d->used * 3);
    op.slot = free_slot_for(op.d, op.hash);
    return op;
}

/* Appends the entry of a key op_find did not find. */
static void op_insert(struct dict_op *op)
{
    if (op->d->nentries >= op->d->capacity)
        *op = make_room(*op);
    struct rpy_dict *d = op->d;
    rpy_int n = d->nentries++;
    rpy_gc_wb(d);
    d->entries[n] = (struct rpy_dict_entry){op->hash, op->key, op->value};
    index_of(d)[op->slot] = (int32_t)n;
    d->used++;
}

/* d[key] = value after op_find. */
static void op_store(struct dict_op *op)
{
    if (op->ix == IX_FAILED)
        return;
    if (op->ix < 0) {
        op_insert(op);
        return;
    }
    rpy_gc_wb(op->d);
    op->d->entries[op->ix].value = op->value;
}

/* Finds and removes op->key: true, with its value in op->value, when it
 * was there (op->ix tells an absent key from a failed lookup). */
static bool op_remove(struct dict_op *op)
{
    op_find(op, false);
    if (op->ix < 0)
        return false;
    op->value = op->d->entries[op->ix].value;
    delete_at(op->d, op->ix, op->slot);
    return true;
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
    struct dict_op op = {.d = d, .key = key};
    op_find(&op, false);
    if (op.ix < 0)
        return false;
    *value = op.d->entries[op.ix].value;
    return true;
}

rpy_word rpy_dict_getitem(struct rpy_dict *d, rpy_word key)
{
    struct dict_op op = {.d = d, .key = key};
    op_find(&op, false);
    if (op.ix >= 0)
        return op.d->entries[op.ix].value;
    if (op.ix != IX_FAILED)
        raise_key_error(op.d, op.key);
    return 0;
}

rpy_word rpy_dict_get(struct rpy_dict *d, rpy_word key, rpy_word dflt)
{
    struct dict_op op = {.d = d, .key = key, .value = dflt};
    op_find(&op, false);
    return op.ix >= 0 ? op.d->entries[op.ix].value : op.value;
}

rpy_bool rpy_dict_contains(struct rpy_dict *d, rpy_word key)
{
    struct dict_op op = {.d = d, .key = key};
    op_find(&op, false);
    return op.ix >= 0;
}

void rpy_dict_setitem(struct rpy_dict *d, rpy_word key, rpy_word value)
{
    struct dict_op op = {.d = d, .key = key, .value = value};
    op_find(&op, false);
    op_store(&op);
}

rpy_word rpy_dict_setdefault(struct rpy_dict *d, rpy_word key, rpy_word dflt)
{
    struct dict_op op = {.d = d, .key = key, .value = dflt};
    op_find(&op, false);
    if (op.ix >= 0)
        return op.d->entries[op.ix].value;
    if (op.ix == IX_FAILED)
        return 0;
    op_insert(&op);
    return op.value;
}

void rpy_dict_delitem(struct rpy_dict *d, rpy_word key)
{
    struct dict_op op = {.d = d, .key = key};
    if (!op_remove(&op) && op.ix != IX_FAILED)
        raise_key_error(op.d, op.key);
}

rpy_word rpy_dict_pop(struct rpy_dict *d, rpy_word key)
{
    struct dict_op op = {.d = d, .key = key};
    if (op_remove(&op))
        return op.value;
    if (op.ix != IX_FAILED)
        raise_key_error(op.d, op.key);
    return 0;
}

rpy_word rpy_dict_pop_default(struct rpy_dict *d, rpy_word key, rpy_word dflt)
{
    struct dict_op op = {.d = d, .key = key, .value = dflt};
    op_remove(&op);
    return op.value;
}

void rpy_dict_update(struct rpy_dict *d, struct rpy_dict *other)
{
    RPY_ROOT(d);
    RPY_ROOT(other);
    for (rpy_int k = 0; k < other->nentries; k++) {
        const struct rpy_dict_entry e = other->entries[k]; /* copy: d may be other */
        if (e.hash == DELETED_HASH)
            continue;
        struct dict_op op = {.d = d, .key = e.key, .value = e.value, .hash = e.hash};
        op_find(&op, true);
        if (op.ix == IX_FAILED)
            return;
        op_store(&op);
    }
}

/* d.update(pairs): pairs is a list of 2-tuples whose fields have the
 * dict's key and value types. */
void rpy_dict_update_pairs(struct rpy_dict *d, const struct rpy_list *pairs)
{
    RPY_ROOT(d);
    RPY_ROOT(pairs);
    for (rpy_int i = 0; i < pairs->length && !rpy_exc_occurred(); i++) {
        const struct rpy_tuple *t = rpy_w_to_ptr(pairs->items->items[i]); /* re-read: setitem may collect */
        rpy_dict_setitem(d, t->items[0], t->items[1]);
    }
}

struct rpy_dict *rpy_dict_copy(struct rpy_dict *d)
{
    RPY_ROOT(d);
    struct rpy_dict *r = rpy_dict_new(rt_ti_of(d));
    if (d->used == 0)
        return r;
    RPY_ROOT(r);
    rebuild(r, d, d->used + d->used / 2 + 1);
    return r;
}

void rpy_dict_clear(struct rpy_dict *d) { set_empty(d); }

void rt_dict_delete_entry(struct rpy_dict *d, rpy_int ix)
{
    delete_at(d, ix, slot_of_entry(d, d->entries[ix].hash, ix));
}

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
    RPY_ROOT(d);
    struct rpy_tuple *t = rpy_tuple_new(tuplti); /* may collect: read the entry after */
    t->items[0] = d->entries[ix].key;            /* t is fresh: no barrier */
    t->items[1] = d->entries[ix].value;
    rt_dict_delete_entry(d, ix);
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
    RPY_ROOT(d);
    struct rpy_list *l = rpy_list_new(listti, d->used); /* fresh: filled without barriers */
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
    RPY_ROOT(d);
    struct rpy_list *l = rpy_list_new(listti, d->used);
    RPY_ROOT(l);
    rpy_int n = 0;
    for (rpy_int k = 0; k < d->nentries; k++) {
        if (d->entries[k].hash == DELETED_HASH)
            continue;
        struct rpy_tuple *t = rpy_tuple_new(tuplti); /* may collect: l may be old now */
        t->items[0] = d->entries[k].key;
        t->items[1] = d->entries[k].value;
        rpy_gc_wb(l->items);
        l->items->items[n++] = rpy_w_from_ptr(t);
    }
    return l;
}

/* ---- sets ---- */

struct rpy_set *rpy_set_new(const struct rpy_typeinfo *ti) { return (struct rpy_set *)rpy_dict_new(ti); }

void rpy_set_add(struct rpy_set *s, rpy_word v)
{
    struct dict_op op = {.d = &s->d, .key = v};
    op_find(&op, false);
    if (op.ix < 0 && op.ix != IX_FAILED)
        op_insert(&op);
}

rpy_bool rpy_set_contains(struct rpy_set *s, rpy_word v) { return rpy_dict_contains(&s->d, v); }

void rpy_set_discard(struct rpy_set *s, rpy_word v)
{
    struct dict_op op = {.d = &s->d, .key = v};
    op_remove(&op);
}

void rpy_set_remove(struct rpy_set *s, rpy_word v)
{
    struct dict_op op = {.d = &s->d, .key = v};
    if (!op_remove(&op) && op.ix != IX_FAILED)
        raise_key_error(op.d, op.key);
}
