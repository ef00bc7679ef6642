/* map.c - open-addressing hash maps with byte-string keys for the LLVM
 * backend: fg_value* -> LLVM value per function, str constants by their
 * bytes, traceback locations by content. Keys are copied into the arena
 * (pointer keys are their own bytes); entries are never removed, only the
 * whole map cleared between functions.
 */
#include <string.h>

#include "internal.h"

struct lb_map_entry {
    const void *key; /* NULL: empty */
    size_t len;
    uint64_t hash;
    void *val;
};

static uint64_t hash_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 1099511628211ull;
    return h ^ (h >> 29);
}

static struct lb_map_entry *find(struct lb_map *m, const void *key, size_t len, uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct lb_map_entry *e = &m->slots[i];
        if (!e->key || (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0))
            return e;
    }
}

static void grow(struct lb_map *m)
{
    struct lb_map_entry *old = m->slots;
    size_t oldcap = m->cap;
    m->cap = oldcap ? oldcap * 2 : 64;
    m->slots = sp_alloc(sizeof *m->slots * m->cap);
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].key)
            *find(m, old[i].key, old[i].len, old[i].hash) = old[i];
}

void *lb_map_get(struct lb_map *m, const void *key, size_t len)
{
    if (!m->n)
        return NULL;
    struct lb_map_entry *e = find(m, key, len, hash_bytes(key, len));
    return e->key ? e->val : NULL;
}

void lb_map_put(struct lb_map *m, const void *key, size_t len, void *val)
{
    if ((m->n + 1) * 2 > m->cap)
        grow(m);
    uint64_t h = hash_bytes(key, len);
    struct lb_map_entry *e = find(m, key, len, h);
    if (!e->key) {
        void *k = sp_alloc(len ? len : 1);
        memcpy(k, key, len);
        e->key = k;
        e->len = len;
        e->hash = h;
        m->n++;
    }
    e->val = val;
}

void *lb_map_getp(struct lb_map *m, const void *p) { return lb_map_get(m, &p, sizeof p); }
void lb_map_putp(struct lb_map *m, const void *p, void *val) { lb_map_put(m, &p, sizeof p, val); }

void lb_map_clear(struct lb_map *m)
{
    /* The arena never frees: a fresh table is cheaper than zeroing. */
    m->slots = NULL;
    m->cap = m->n = 0;
}
