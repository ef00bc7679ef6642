/* Dict of int keys: C reference for bench/dict_int/dict_int.py (same keys,
 * same operations, same order of iteration). The dict is an insertion-
 * ordered hash table like CPython's: a dense array of entries in insertion
 * order plus an open-addressing index table (linear probing, deleted slots
 * marked, rebuilt when full of live and deleted entries). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define N 1000000L
#define MASK 4294967295L
#define MULT 2654435761L
#define ROUNDS 8

#define EMPTY (-1)
#define DUMMY (-2)

typedef struct {
    long key, value;
    int live;
} Entry;

typedef struct {
    int32_t *index;      /* slot -> entry number, EMPTY or DUMMY */
    size_t mask;         /* index size - 1 */
    Entry *entries;
    size_t nentries;     /* entries used, live or dead */
    size_t cap;          /* entries allocated */
    size_t len;          /* live entries */
} Dict;

static size_t hash_of(long k)
{
    return (size_t)((uint64_t)k * 0x9E3779B97F4A7C15ULL >> 20);
}

static void rebuild(Dict *d, size_t want)
{
    size_t size = 8;
    while (size * 2 < want * 3)
        size *= 2;
    /* compact the entries, keeping their order */
    size_t j = 0;
    for (size_t i = 0; i < d->nentries; i++)
        if (d->entries[i].live)
            d->entries[j++] = d->entries[i];
    d->nentries = j;
    d->cap = size * 2 / 3;
    d->entries = realloc(d->entries, d->cap * sizeof(Entry));
    free(d->index);
    d->index = malloc(size * sizeof(int32_t));
    for (size_t i = 0; i < size; i++)
        d->index[i] = EMPTY;
    d->mask = size - 1;
    for (size_t i = 0; i < d->nentries; i++) {
        size_t s = hash_of(d->entries[i].key) & d->mask;
        while (d->index[s] != EMPTY)
            s = (s + 1) & d->mask;
        d->index[s] = (int32_t)i;
    }
}

static void dict_init(Dict *d)
{
    d->index = NULL;
    d->entries = NULL;
    d->nentries = d->len = d->cap = 0;
    rebuild(d, 0);
}

/* the slot holding key k, or -1 */
static long find_slot(const Dict *d, long k)
{
    size_t s = hash_of(k) & d->mask;
    for (;;) {
        int32_t e = d->index[s];
        if (e == EMPTY)
            return -1;
        if (e >= 0 && d->entries[e].key == k)
            return (long)s;
        s = (s + 1) & d->mask;
    }
}

static Entry *lookup(const Dict *d, long k)
{
    long s = find_slot(d, k);
    return s < 0 ? NULL : &d->entries[d->index[s]];
}

static void set_item(Dict *d, long k, long v)
{
    Entry *e = lookup(d, k);
    if (e) {
        e->value = v;
        return;
    }
    if (d->nentries == d->cap)
        rebuild(d, d->len * 2 + 1);
    size_t s = hash_of(k) & d->mask;
    while (d->index[s] >= 0)
        s = (s + 1) & d->mask;
    d->index[s] = (int32_t)d->nentries;
    d->entries[d->nentries].key = k;
    d->entries[d->nentries].value = v;
    d->entries[d->nentries].live = 1;
    d->nentries++;
    d->len++;
}

static void del_item(Dict *d, long k)
{
    long s = find_slot(d, k);
    if (s < 0) {
        fprintf(stderr, "KeyError: %ld\n", k);
        exit(1);
    }
    d->entries[d->index[s]].live = 0;
    d->index[s] = DUMMY;
    d->len--;
}

static long key_of(long i)
{
    return (i * MULT) & MASK;
}

static void build(Dict *d, long n)
{
    dict_init(d);
    for (long i = 0; i < n; i++)
        set_item(d, key_of(i), i);
}

static void probe_get(const Dict *d, long n, int rounds)
{
    long hits = 0, misses = 0, total = 0;
    for (long r = 0; r < rounds; r++) {
        long i = r * 7919;
        for (long j = 0; j < n; j++) {
            i += 3;
            if (i >= 2 * n)
                i -= 2 * n;
            Entry *e = lookup(d, key_of(i));
            long v = e ? e->value : -1;
            if (v >= 0) {
                hits++;
                total += v;
            } else {
                misses++;
            }
        }
    }
    printf("get: hits %ld misses %ld sum %ld\n", hits, misses, total);
}

static void probe_in(const Dict *d, long n)
{
    long hits = 0, total = 0;
    for (long j = 0; j < 2 * n; j++) {
        Entry *e = lookup(d, key_of(j * 5 + 1));
        if (e) {
            hits++;
            total = (total + e->value) & MASK;
        }
    }
    printf("in: hits %ld sum %ld\n", hits, total);
}

static void mutate(Dict *d, long n)
{
    for (long i = 0; i < n; i += 3)
        del_item(d, key_of(i));
    for (long i = 1; i < n; i += 3)
        lookup(d, key_of(i))->value += i;
    for (long i = 0; i < n; i += 6)
        set_item(d, key_of(i + 5 * n), i * 2);
    for (long i = 2; i < n; i += 3)
        set_item(d, key_of(i), lookup(d, key_of(i))->value * 3 - i);
}

static void pop_setdefault(Dict *d, long n)
{
    long popped = 0, kept = 0;
    for (long i = n - 1000; i < n + 1000; i++) {
        long s = find_slot(d, key_of(i));
        if (s < 0) {
            popped += -1;
        } else {
            popped += d->entries[d->index[s]].value;
            del_item(d, key_of(i));
        }
    }
    for (long i = 0; i < 2000; i++) {
        Entry *e = lookup(d, key_of(i));
        if (e) {
            kept += e->value;
        } else {
            set_item(d, key_of(i), 7);
            kept += 7;
        }
    }
    printf("pop %ld setdefault %ld size %zu\n", popped, kept, d->len);
}

static long order_checksum(const Dict *d)
{
    long acc = 0, pos = 0;
    for (size_t i = 0; i < d->nentries; i++) {
        if (!d->entries[i].live)
            continue;
        acc = ((acc * 31) ^ (d->entries[i].key + d->entries[i].value + pos)) & MASK;
        pos++;
    }
    return acc;
}

int main(void)
{
    Dict d;
    build(&d, N);
    printf("size %zu\n", d.len);
    probe_get(&d, N, ROUNDS);
    probe_in(&d, N);
    mutate(&d, N);
    printf("size after mutate %zu\n", d.len);
    pop_setdefault(&d, N);
    probe_get(&d, N, ROUNDS);
    probe_in(&d, N);
    long s = 0;
    for (size_t i = 0; i < d.nentries; i++)
        if (d.entries[i].live)
            s += d.entries[i].value;
    printf("sum of values %ld\n", s);
    printf("order checksum %ld\n", order_checksum(&d));
    return 0;
}
