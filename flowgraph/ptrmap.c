/* ptrmap.c - a pointer-keyed hash map for the passes of flowgraph/.
 *
 * Values and blocks have no general scratch field, so the builder's
 * simplifier, checkgraph and the dumps attach per-variable data (a
 * renaming, a definition site, a printed number) through this map.
 * Open addressing with linear probing, arena backed; entries are never
 * deleted (a pass makes a fresh map instead).
 */
#include "internal.h"

static size_t slot_of(const void *key, size_t cap)
{
    uintptr_t h = (uintptr_t)key;
    h ^= h >> 17;
    h *= (uintptr_t)0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
    return (size_t)h & (cap - 1);
}

static void rehash(struct fg_ptrmap *m, size_t cap)
{
    struct fg_ptrmap bigger = {0};
    bigger.cap = cap;
    bigger.keys = sp_alloc(sizeof(void *) * bigger.cap);
    bigger.vals = sp_alloc(sizeof(void *) * bigger.cap);
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i])
            fg_ptrmap_put(&bigger, m->keys[i], m->vals[i]);
    *m = bigger;
}

void fg_ptrmap_put(struct fg_ptrmap *m, const void *key, void *val)
{
    SP_ASSERT(key != NULL);
    if ((m->n + 1) * 2 > m->cap)
        rehash(m, m->cap ? m->cap * 2 : 16);
    size_t i = slot_of(key, m->cap);
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    if (!m->keys[i]) {
        m->keys[i] = key;
        m->n++;
    }
    m->vals[i] = val;
}

void fg_ptrmap_reserve(struct fg_ptrmap *m, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * (m->n + n) + 2)
        cap *= 2;
    if (cap > m->cap)
        rehash(m, cap);
}

static const size_t NOT_FOUND = (size_t)-1;

static size_t find(const struct fg_ptrmap *m, const void *key)
{
    if (!m->cap || !key)
        return NOT_FOUND;
    size_t i = slot_of(key, m->cap);
    while (m->keys[i]) {
        if (m->keys[i] == key)
            return i;
        i = (i + 1) & (m->cap - 1);
    }
    return NOT_FOUND;
}

void *fg_ptrmap_get(const struct fg_ptrmap *m, const void *key)
{
    size_t i = find(m, key);
    return i == NOT_FOUND ? NULL : m->vals[i];
}

bool fg_ptrmap_has(const struct fg_ptrmap *m, const void *key) { return find(m, key) != NOT_FOUND; }
