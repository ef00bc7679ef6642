/* gc.c - the collector: precise, generational, moving.
 *
 * Why this shape. RPy programs allocate many small objects that die
 * young (temporaries, tuples, iterators, tree nodes), so allocation has to
 * be a pointer bump and the cost of a collection has to follow what
 * survives, not what was allocated. A copying nursery gives both: a minor
 * collection touches only the live young objects and the roots. Copying
 * everything again and again is wrong for data that lives long, so a
 * survivor is copied once, into an old generation that never moves its
 * objects (so an old object's address, and any interior pointer into it,
 * stays valid, and big arrays can grow by realloc).
 *
 * Nursery. Each thread bumps rpy_nursery.free towards rpy_nursery.top
 * (inline in rpyrt.h). Memory is zeroed per object at allocation: the
 * compiler then removes the zero stores that the constructor overwrites,
 * and a minor collection never has to touch dead memory. When the nursery
 * is full, the slow path runs a minor collection: the objects reachable
 * from the roots and from the remembered set are copied into the old
 * generation (Cheney style, with an explicit scan stack of the copies
 * instead of a contiguous to-space, since copies go to size-classed pages)
 * and a forwarding pointer is left in word 1 of each young original, which
 * is why every object takes at least 16 bytes. After that the whole
 * nursery is free again. Objects of RPY_GC_LARGE (64 KiB) and more are born
 * old: copying them would cost more than the malloc, and one of them fills
 * 1/64 of the default nursery, so it would make minor collections more
 * frequent for little gain.
 *
 * Invariants.
 *   1. Between collections, a pointer to a young object is held only by
 *      roots, by young objects, and by old or prebuilt objects that are in
 *      the remembered set. An old or prebuilt object that can hold GC
 *      pointers carries RPY_GC_TRACK_YOUNG exactly when it is not in the
 *      remembered set; rpy_gc_wb clears it on the first store. An object
 *      born outside the nursery starts in the remembered set, so runtime
 *      code may fill it without barriers until the next collection, just
 *      as it may fill a young object.
 *   2. After a minor collection the nursery holds no live object and the
 *      remembered set is empty.
 *   3. A major collection starts with a minor one, so marking sees no
 *      young objects and no remembered objects: old objects are the whole
 *      heap, prebuilt objects are extra roots (all of them are traced,
 *      none is marked or freed: RPY_GC_PREBUILT objects are left alone).
 *   4. A free slot of a page has tid 0; a live object never has tid 0.
 *   5. Old memory reserved as a young object's identity (below) exists only
 *      between two minor collections: every major collection starts with
 *      a minor one, which fills or frees each reservation, so a sweep never
 *      meets one (it could not tell it from a free slot or a dead object).
 *
 * Old generation: non-moving mark-sweep. Objects up to 512 bytes live in
 * 64 KiB pages of one size class each (8-byte classes), which a sweep
 * walks slot by slot; larger ones are malloc blocks on a doubly-linked
 * list (so rt_gc_grow_array can realloc one in O(1) bookkeeping). Marking
 * uses an explicit stack, never C recursion: a list of a million items or
 * a linked list of a million nodes costs stack entries, not C frames. A
 * major collection runs when the old generation reaches twice what was
 * live after the previous one (the usual space-for-time trade: marking
 * cost per promoted byte stays constant), but not before 32 MiB, so small
 * programs never pay for one.
 *
 * Identity. id(), the default hash and the default repr of an object
 * need a number that stays the same for its whole life, and unique among
 * the live objects, but a young object moves once, when it is promoted.
 * The number is therefore the address the object will have for good: an
 * old or prebuilt object's own (the old generation never moves objects),
 * and for a young object the address of old memory reserved for its copy
 * the first time its identity is asked for (PyPy's trick). Reservations
 * sit in a small open-addressing table (young address -> reserved slot),
 * and the object carries RT_GCF_RESERVED, so that objects never asked
 * about cost no lookup. A minor collection copies a reserved survivor
 * into its slot instead of a fresh one and gives the slots of the dead
 * back; the table is empty afterwards. So there is no table of old
 * objects to keep, nothing for a major collection to update: a promoted
 * object simply lives at its number, and the hash is CPython's
 * _Py_HashPointer of it (rpy_gc_identity_hash). The cost is one table
 * insertion (and one old allocation made early) per young object the
 * first time it is hashed, a probe for later hashes while it is young,
 * and a flag test otherwise. A reserved object keeps its size: it is
 * never grown in place (rt_gc_grow_array; arrays are internal and never
 * asked for their identity anyway, old ones are realloc'd).
 *
 * All knowledge of object layouts is in one place: the layout table built
 * from rpy_typetable at start (size and pointer offsets of each type), with
 * obj_size() and visit_slots(), which minor collections, marking and the
 * remembered set all use.
 *
 * State. What belongs to the mutator thread (nursery window, root stacks)
 * is __thread; the old generation is shared state in one struct. The
 * collector itself assumes one mutator thread for now.
 *
 * Environment:
 *   RPY_GC_NURSERY=N  nursery bytes, with an optional k/M/G suffix
 *                     (default 4M, clamped to 4k..1G).
 *   RPY_GC_STATS=1    at exit: collections, bytes allocated, peak heap.
 *   RPY_GC_STRESS=1   collect at every allocation (a major one every 256),
 *                     which is how the tests find missing roots. Each
 *                     allocation gets a fresh nursery window of its own,
 *                     with the object at the window's end (an overflow
 *                     faults on the next, inaccessible page); collected
 *                     windows are made inaccessible again, so a stale
 *                     pointer to a moved object faults at once; freed old
 *                     objects are filled with 0xdb.
 *
 * Under AddressSanitizer rpy_malloc always takes the out-of-line path: the
 * unused nursery is poisoned and each object is followed by a poisoned
 * red zone, and every old object is a malloc block of its own (so ASan
 * knows its bounds and reports a use after it is freed). Old objects stay
 * reachable from the collector's list, so LeakSanitizer sees no leak.
 */
#include "runtime/rt_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>

#if RPY_GC_ASAN
#include <sanitizer/asan_interface.h>
#define RT_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define RT_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define RT_POISON(p, n) ((void)(p), (void)(n))
#define RT_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* gcflags bits private to this file (rpyrt.h leaves 0x100 and up to us). */
#define RT_GCF_MARK 0x100u      /* old object reached by the current major collection */
#define RT_GCF_FORWARDED 0x200u /* young object already copied: the copy's address is in word 1 */
#define RT_GCF_MALLOCED 0x400u  /* old object in a malloc block of its own (on the large list) */
#define RT_GCF_RESERVED 0x800u  /* young object whose copy's old memory is reserved (its identity) */

#define NURSERY_DEFAULT ((size_t)4 << 20)
#define NURSERY_MIN ((size_t)4 << 10)
#define NURSERY_MAX ((size_t)1 << 30)
#define HUGE_PAGE ((size_t)2 << 20)
#define OS_PAGE ((size_t)4096)
#define PAGE_BYTES ((size_t)64 << 10) /* one size class per page */
#define SMALL_MAX ((size_t)512)       /* larger old objects are malloc blocks */
#define NCLASSES (SMALL_MAX / 8 - 1)  /* 16, 24, ..., 512 bytes */
#define MAJOR_MIN ((size_t)32 << 20)
#define STRESS_MAJOR_EVERY 256
#define STRESS_SPAN ((size_t)8 << 30) /* virtual range the stress windows walk through */
#define STRESS_RELEASE ((size_t)1 << 20)
#define ASAN_REDZONE 16
#define POISON_BYTE 0xdb

/* A slot that may hold a GC pointer. The collector reads and writes
 * words of every type (rpy_word items, struct pointers) through it. */
typedef void *__attribute__((__may_alias__)) rt_slot;
typedef void rt_visit_fn(rt_slot *slot);

/* ------------------------------------------------------------------ */
/* State                                                                */
/* ------------------------------------------------------------------ */

__thread struct rpy_nursery rpy_nursery;
__thread void **rpy_ss_top;
__thread void **rpy_ss_base;
__thread void ***rpy_rt_roots_top;
__thread void ***rpy_rt_roots_end;

/* Programs (and tests) that define no tables get these empty ones. */
__attribute__((weak)) void **const rpy_gc_global_roots[1] = {NULL};
__attribute__((weak)) void *const rpy_gc_prebuilt_objects[1] = {NULL};

/* The program's tables are longer than the one-entry defaults: reading
 * them through a pointer the optimiser cannot follow keeps it from
 * bounding the loops by the defaults' size. */
static const void *hide_bounds(const void *table)
{
    __asm__("" : "+r"(table));
    return table;
}

struct rt_vec {
    void **v;
    size_t len, cap;
};

enum rt_shape { SHAPE_INVALID, SHAPE_FIXED, SHAPE_STR, SHAPE_ARRAY_RAW, SHAPE_ARRAY_GC, SHAPE_DICT };

/* What the collector needs to know about objects of one tid. */
struct rt_layout {
    uint8_t shape;
    bool has_ptrs;        /* can hold GC pointers: carries TRACK_YOUNG when old */
    bool key_gc, value_gc; /* DICT: entries' keys / values are GC pointers */
    uint32_t size;        /* FIXED, DICT: object bytes (rounded as allocated) */
    uint32_t noffsets;    /* FIXED: byte offsets of the GC pointer fields */
    uint32_t *offsets;
};

struct rt_page {
    struct rt_page *next;
    uint64_t pad; /* slots start 16-byte aligned */
    char slots[];
};

struct rt_class {
    struct rt_page *pages;
    struct rt_vec free;     /* free slots (tid 0), reused from the end */
    char *bump, *bump_end;  /* never used slots of the newest page */
};

/* Header of a malloc'd old object; the object follows. */
struct rt_large {
    struct rt_large *prev, *next;
    size_t size; /* the object's bytes (an array's length may lag behind) */
    size_t pad;  /* objects 16-byte aligned, as malloc's */
};

/* Young objects whose identity was asked for, and the old memory reserved
 * for each (open addressing by the young address; obj NULL: empty). */
struct rt_id_entry {
    struct rpy_hdr *obj, *slot;
};
struct rt_id_table {
    struct rt_id_entry *v;
    size_t len, cap; /* cap: 0 or a power of two, at least twice len */
};

struct rt_gc {
    bool ready, stress, stats;
    size_t nursery_size;
    const struct rt_layout *layouts; /* indexed by tid */
    struct rt_class classes[NCLASSES];
    struct rt_large large;           /* sentinel of the circular list */
    struct rt_vec remset;            /* old/prebuilt objects that may point to young ones */
    struct rt_vec gray;              /* copies to scan (minor) / marked objects to trace (major) */
    struct rt_vec static_roots;      /* addresses from rpy_gc_add_static_root */
    struct rt_id_table ids;          /* identities of young objects (see the note on top) */
    size_t old_bytes;                /* in old objects: live at the last major + added since */
    size_t old_footprint;            /* pages and malloc blocks of the old generation */
    size_t major_threshold;
    uint64_t stress_count;
    char *stress_base;
    uintptr_t stress_released;       /* windows below this were given back to the kernel */
    struct rt_gc_stats st;
};
static struct rt_gc gc;

/* The mutator thread's side. */
struct rt_gc_thread {
    uintptr_t young_lo, young_len; /* the nursery, or in stress mode the current window */
    uintptr_t uncounted;           /* nursery bytes from here to free are not in st.bytes_allocated yet */
    void ***roots_base;            /* the runtime root stack (RPY_ROOT) */
};
static __thread struct rt_gc_thread tl;

static _Noreturn void out_of_memory(void)
{
    rt_memory_error();
    exit(1); /* a failed allocation cannot hand back a dummy */
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p)
        out_of_memory();
    return p;
}

static void vec_grow(struct rt_vec *s)
{
    s->cap = s->cap ? 2 * s->cap : 256;
    s->v = xrealloc(s->v, s->cap * sizeof *s->v);
}

static inline void vec_push(struct rt_vec *s, void *p)
{
    if (s->len == s->cap)
        vec_grow(s);
    s->v[s->len++] = p;
}

static size_t round_up(size_t n, size_t to) { return (n + to - 1) & ~(to - 1); }

/* The bytes an allocation of `size` takes: 8-byte multiple, room for a
 * forwarding pointer. */
static size_t object_bytes(size_t size)
{
    if (size > ((size_t)1 << 48))
        out_of_memory();
    return size < 16 ? 16 : round_up(size, 8);
}

/* ------------------------------------------------------------------ */
/* Object layouts: the one place that knows the kinds                   */
/* ------------------------------------------------------------------ */

static uint32_t fixed_size(size_t minimum, uint32_t tisize)
{
    return (uint32_t)object_bytes(tisize > minimum ? tisize : minimum);
}

static void add_offset(struct rt_layout *lt, uint32_t off, const struct rpy_typeinfo *fti)
{
    if (!fti || !rpy_kind_is_gc(fti->kind))
        return;
    if (off % 8 || off + 8 > lt->size)
        RT_DIE("type table: a GC pointer field lies outside its object or is misaligned");
    lt->offsets[lt->noffsets++] = off;
}

/* Lists, tuples, instances, iterators: a fixed size and fixed pointer
 * fields. A list's one pointer is its items array (even for int items). */
static void layout_fixed(struct rt_layout *lt, const struct rpy_typeinfo *ti)
{
    lt->shape = SHAPE_FIXED;
    size_t nfields = ti->kind == RPY_K_LIST ? 1 : ti->nitems;
    lt->offsets = nfields ? xrealloc(NULL, nfields * sizeof *lt->offsets) : NULL;
    switch (ti->kind) {
    case RPY_K_LIST:
        lt->size = fixed_size(sizeof(struct rpy_list), ti->size);
        add_offset(lt, offsetof(struct rpy_list, items), &rpy_ti_array_gc);
        break;
    case RPY_K_TUPLE:
        lt->size = fixed_size(sizeof(struct rpy_tuple) + 8 * (size_t)ti->nitems, ti->size);
        for (uint32_t i = 0; i < ti->nitems; i++)
            add_offset(lt, (uint32_t)(offsetof(struct rpy_tuple, items) + 8 * i), ti->items[i]);
        break;
    default: /* RPY_K_INSTANCE, RPY_K_ITER */
        lt->size = fixed_size(sizeof(struct rpy_hdr), ti->size);
        for (uint32_t i = 0; i < ti->nitems; i++)
            add_offset(lt, ti->offsets[i], ti->fields[i]);
        break;
    }
    lt->has_ptrs = lt->noffsets > 0;
}

static void layout_of_type(struct rt_layout *lt, const struct rpy_typeinfo *ti, uint32_t tid)
{
    switch (ti->kind) {
    case RPY_K_STR:
        lt->shape = SHAPE_STR;
        break;
    case RPY_K_ARRAY: {
        /* The runtime's two arrays by tid; a program's array type by item. */
        bool gcitems = tid == RPY_TID_ARRAY_GC ||
                       (tid >= RPY_TID_FIRST_PROGRAM && ti->item && rpy_kind_is_gc(ti->item->kind));
        lt->shape = gcitems ? SHAPE_ARRAY_GC : SHAPE_ARRAY_RAW;
        lt->has_ptrs = gcitems;
        break;
    }
    case RPY_K_DICT:
    case RPY_K_SET:
        lt->shape = SHAPE_DICT;
        lt->size = fixed_size(sizeof(struct rpy_dict), ti->size);
        lt->has_ptrs = true; /* its storage block, whatever the key type */
        lt->key_gc = ti->item && rpy_kind_is_gc(ti->item->kind);
        lt->value_gc = ti->kind == RPY_K_DICT && ti->value && rpy_kind_is_gc(ti->value->kind);
        break;
    case RPY_K_LIST:
    case RPY_K_TUPLE:
    case RPY_K_INSTANCE:
    case RPY_K_ITER:
        layout_fixed(lt, ti);
        break;
    default:
        break; /* not a GC type: SHAPE_INVALID */
    }
}

static void build_layouts(void)
{
    struct rt_layout *lts = xrealloc(NULL, (rpy_ntypes ? rpy_ntypes : 1) * sizeof *lts);
    memset(lts, 0, (rpy_ntypes ? rpy_ntypes : 1) * sizeof *lts);
    for (uint32_t tid = 1; tid < rpy_ntypes; tid++)
        if (rpy_typetable[tid])
            layout_of_type(&lts[tid], rpy_typetable[tid], tid);
    gc.layouts = lts;
}

static inline const struct rt_layout *layout_of(const struct rpy_hdr *h) { return &gc.layouts[h->tid]; }

/* The layout of an object the collector is about to copy or trace; a
 * pointer to a freed slot or to garbage ends the program here, which is
 * how a missing root or barrier shows up. */
static const struct rt_layout *layout_checked(const struct rpy_hdr *h)
{
    if (h->tid >= rpy_ntypes || gc.layouts[h->tid].shape == SHAPE_INVALID)
        RT_DIE("gc: a GC pointer to a freed or invalid object (a missing root or write barrier?)");
    return &gc.layouts[h->tid];
}

static size_t obj_size(const struct rpy_hdr *h, const struct rt_layout *lt)
{
    switch (lt->shape) {
    case SHAPE_STR:
        return object_bytes(sizeof(struct rpy_str) + (size_t)((const struct rpy_str *)h)->nbytes + 1);
    case SHAPE_ARRAY_RAW:
    case SHAPE_ARRAY_GC:
        return object_bytes(sizeof(struct rpy_array) + 8 * (size_t)((const struct rpy_array *)h)->length);
    default:
        return lt->size;
    }
}

/* A dict's index and entries are interior pointers into one raw array
 * block (dict.c: resize); capacity 0 means the shared static index and no
 * entries. The block is visited as a slot of its own, and when it moves
 * both pointers follow. Keys and values are visited through the dict. */
static inline __attribute__((always_inline)) void visit_dict(struct rpy_dict *d, const struct rt_layout *lt,
                                                              rt_visit_fn *fn)
{
    if (d->capacity == 0)
        return;
    uintptr_t block = (uintptr_t)d->index - offsetof(struct rpy_array, items);
    rt_slot moved = (void *)block;
    fn(&moved);
    uintptr_t delta = (uintptr_t)moved - block;
    if (delta) {
        d->index = (void *)((uintptr_t)d->index + delta);
        d->entries = (struct rpy_dict_entry *)((uintptr_t)d->entries + delta);
    }
    if (!lt->key_gc && !lt->value_gc)
        return;
    struct rpy_dict_entry *e = d->entries;
    for (rpy_int k = 0; k < d->nentries; k++) {
        if (lt->key_gc)
            fn((rt_slot *)&e[k].key);
        if (lt->value_gc)
            fn((rt_slot *)&e[k].value);
    }
}

/* Calls fn on every slot of h that may hold a GC pointer (NULL included).
 * Always inlined, so each caller gets its own loop with fn inlined. */
static inline __attribute__((always_inline)) void visit_slots(struct rpy_hdr *h, const struct rt_layout *lt,
                                                               rt_visit_fn *fn)
{
    switch (lt->shape) {
    case SHAPE_FIXED:
        for (uint32_t i = 0; i < lt->noffsets; i++)
            fn((rt_slot *)((char *)h + lt->offsets[i]));
        break;
    case SHAPE_ARRAY_GC: {
        struct rpy_array *a = (struct rpy_array *)h;
        for (rpy_int i = 0; i < a->length; i++)
            fn((rt_slot *)&a->items[i]);
        break;
    }
    case SHAPE_DICT:
        visit_dict((struct rpy_dict *)h, lt, fn);
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------------ */
/* Old generation: size-classed pages and malloc blocks                 */
/* ------------------------------------------------------------------ */

static bool old_is_malloced(size_t n) { return RPY_GC_ASAN || n > SMALL_MAX; }

static void new_page(struct rt_class *cl, size_t n)
{
    struct rt_page *pg = calloc(1, PAGE_BYTES); /* zero: unused slots read as free (tid 0) */
    if (!pg)
        out_of_memory();
    pg->next = cl->pages;
    cl->pages = pg;
    cl->bump = pg->slots;
    cl->bump_end = pg->slots + (PAGE_BYTES - sizeof *pg) / n * n;
    gc.old_footprint += PAGE_BYTES;
}

static struct rt_class *class_of(size_t n) { return &gc.classes[n / 8 - 2]; }

static inline void *small_alloc(size_t n)
{
    struct rt_class *cl = class_of(n);
    if (cl->free.len)
        return cl->free.v[--cl->free.len];
    if (cl->bump == cl->bump_end)
        new_page(cl, n);
    void *p = cl->bump;
    cl->bump += n;
    return p;
}

static void large_link(struct rt_large *b)
{
    b->prev = &gc.large;
    b->next = gc.large.next;
    b->next->prev = b;
    gc.large.next = b;
}

static void large_unlink(struct rt_large *b)
{
    b->prev->next = b->next;
    b->next->prev = b->prev;
}

static void *large_alloc(size_t n, bool zero)
{
    struct rt_large *b = zero ? calloc(1, sizeof *b + n) : malloc(sizeof *b + n);
    if (!b)
        out_of_memory();
    large_link(b);
    b->size = n;
    gc.old_footprint += sizeof *b + n;
    return b + 1;
}

/* Old memory for an object of n bytes; its header is the caller's to set
 * (with RT_GCF_MALLOCED when old_is_malloced(n)). Zeroed if asked. */
static inline struct rpy_hdr *old_alloc(size_t n, bool zero)
{
    gc.old_bytes += n;
    if (old_is_malloced(n))
        return large_alloc(n, zero);
    struct rpy_hdr *h = small_alloc(n);
    if (zero)
        memset(h, 0, n);
    return h;
}

static uint32_t old_flags(const struct rt_layout *lt, size_t n)
{
    return (lt->has_ptrs ? RPY_GC_TRACK_YOUNG : 0) | (old_is_malloced(n) ? RT_GCF_MALLOCED : 0);
}

static void poison_freed(void *p, size_t n)
{
    if (gc.stress)
        memset(p, POISON_BYTE, n);
}

/* Frees the unmarked slots of a page and unmarks the rest, adding free
 * slots to the class's list (last slot first, so that reuse goes up in
 * address order). Returns the live bytes. */
static size_t sweep_page(struct rt_class *cl, struct rt_page *pg, size_t n)
{
    size_t nslots = (PAGE_BYTES - sizeof *pg) / n, live = 0;
    for (size_t i = nslots; i-- > 0;) {
        struct rpy_hdr *h = (struct rpy_hdr *)(pg->slots + i * n);
        if (h->tid != 0 && (h->gcflags & RT_GCF_MARK)) {
            h->gcflags &= ~RT_GCF_MARK;
            live += n;
            continue;
        }
        if (h->tid != 0) {
            poison_freed(h, n);
            h->tid = 0;
        }
        vec_push(&cl->free, h);
    }
    return live;
}

/* Pages left with no live object go back to malloc. */
static void sweep_class(struct rt_class *cl, size_t n)
{
    cl->free.len = 0;
    cl->bump = cl->bump_end = NULL; /* never used slots are free slots now */
    for (struct rt_page **link = &cl->pages; *link;) {
        struct rt_page *pg = *link;
        size_t before = cl->free.len, live = sweep_page(cl, pg, n);
        if (live) {
            gc.old_bytes += live;
            link = &pg->next;
            continue;
        }
        cl->free.len = before;
        *link = pg->next;
        free(pg);
        gc.old_footprint -= PAGE_BYTES;
    }
}

static void sweep_large(void)
{
    for (struct rt_large *b = gc.large.next, *next; b != &gc.large; b = next) {
        next = b->next;
        struct rpy_hdr *h = (struct rpy_hdr *)(b + 1);
        size_t n = b->size;
        if (h->gcflags & RT_GCF_MARK) {
            h->gcflags &= ~RT_GCF_MARK;
            gc.old_bytes += n;
            continue;
        }
        large_unlink(b);
        poison_freed(h, n);
        free(b);
        gc.old_footprint -= sizeof *b + n;
    }
}

static void sweep(void)
{
    gc.old_bytes = 0;
    for (size_t c = 0; c < NCLASSES; c++)
        sweep_class(&gc.classes[c], (c + 2) * 8);
    sweep_large();
}

/* ------------------------------------------------------------------ */
/* The nursery                                                          */
/* ------------------------------------------------------------------ */

static inline bool is_young(const void *p) { return (uintptr_t)p - tl.young_lo < tl.young_len; }

static char *map_or_die(size_t size, int prot, int extra_flags)
{
    void *p = mmap(NULL, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | extra_flags, -1, 0);
    if (p == MAP_FAILED)
        out_of_memory();
    return p;
}

static void set_young_range(uintptr_t lo, uintptr_t hi)
{
    tl.young_lo = lo;
    tl.young_len = hi - lo;
    tl.uncounted = lo;
    rpy_nursery.free = lo;
    rpy_nursery.top = hi;
}

/* Aligned to a huge page, marked so the kernel may back it with them:
 * the nursery is touched all over, all the time. */
static void nursery_init(void)
{
    size_t n = gc.nursery_size;
    char *raw = map_or_die(n + HUGE_PAGE, PROT_READ | PROT_WRITE, 0);
    uintptr_t lo = round_up((uintptr_t)raw, HUGE_PAGE);
    size_t head = lo - (uintptr_t)raw;
    if (head)
        munmap(raw, head);
    munmap((char *)lo + n, HUGE_PAGE - head);
    madvise((void *)lo, n, MADV_HUGEPAGE); /* a hint; may be refused */
    RT_POISON((void *)lo, n);
    set_young_range(lo, lo + n);
}

static void stress_init(void)
{
    gc.stress_base = map_or_die(STRESS_SPAN, PROT_NONE, MAP_NORESERVE);
    uintptr_t lo = (uintptr_t)gc.stress_base;
    gc.stress_released = lo;
    set_young_range(lo, lo);
}

/* Stress mode: the windows collected since the last release go back to
 * the kernel, in one call per STRESS_RELEASE bytes (they read as zero
 * when the walk comes round again). */
static void stress_release(uintptr_t upto)
{
    if (upto > gc.stress_released)
        madvise((void *)gc.stress_released, upto - gc.stress_released, MADV_DONTNEED);
    gc.stress_released = upto;
}

/* Stress mode: the collected window becomes inaccessible, and the young
 * range becomes empty. */
static void stress_retire_window(void)
{
    if (tl.young_len && mprotect((void *)tl.young_lo, tl.young_len, PROT_NONE) != 0)
        RT_DIE("gc: cannot protect a stress-mode nursery window");
    uintptr_t end = tl.young_lo + tl.young_len;
    if (end - gc.stress_released >= STRESS_RELEASE)
        stress_release(end);
    set_young_range(end, end);
}

/* Stress mode: a window of its own for one object of n bytes, the object
 * at its very end; the windows walk through the reserved span. */
static void *stress_open_window(size_t n)
{
    size_t span = round_up(n, OS_PAGE);
    uintptr_t base = (uintptr_t)gc.stress_base, w = tl.young_lo;
    if (w + span > base + STRESS_SPAN) {
        stress_release(w);
        w = gc.stress_released = base;
    }
    if (mprotect((void *)w, span, PROT_READ | PROT_WRITE) != 0)
        out_of_memory();
    set_young_range(w, w + span);
    rpy_nursery.free = w + span; /* full: the next allocation collects again */
    tl.uncounted = w + span - n;
    return (void *)(w + span - n);
}

static void *init_object(void *p, const struct rpy_typeinfo *ti, size_t n)
{
    memset(p, 0, n);
    ((struct rpy_hdr *)p)->tid = ti->tid;
    return p;
}

static inline bool nursery_fits(size_t n)
{
    return rpy_nursery.top - rpy_nursery.free >= n + (RPY_GC_ASAN ? ASAN_REDZONE : 0);
}

/* The slow path's bump, also used under ASan for every allocation: there
 * each object is followed by a poisoned red zone. */
static void *nursery_bump(const struct rpy_typeinfo *ti, size_t n)
{
    void *p = (void *)rpy_nursery.free;
    rpy_nursery.free += n;
#if RPY_GC_ASAN
    gc.st.bytes_allocated += n;
    rpy_nursery.free += ASAN_REDZONE;
    tl.uncounted = rpy_nursery.free;
    RT_UNPOISON(p, n);
#endif
    return init_object(p, ti, n);
}

static size_t nursery_in_use(void) { return rpy_nursery.free - tl.young_lo; }

/* After a minor collection: the whole nursery is free again. */
static void nursery_reset(void)
{
    if (gc.stress) {
        stress_retire_window();
        return;
    }
    RT_POISON((void *)tl.young_lo, nursery_in_use());
    set_young_range(tl.young_lo, tl.young_lo + tl.young_len);
}

/* ------------------------------------------------------------------ */
/* Roots                                                                */
/* ------------------------------------------------------------------ */

static inline __attribute__((always_inline)) void visit_roots(rt_visit_fn *fn)
{
    for (void **p = rpy_ss_base; p < rpy_ss_top; p++)
        fn((rt_slot *)p);
    for (void ***r = tl.roots_base; r < rpy_rt_roots_top; r++)
        fn((rt_slot *)*r);
    void **const *globals = hide_bounds(rpy_gc_global_roots);
    for (size_t i = 0; globals[i]; i++)
        fn((rt_slot *)globals[i]);
    for (size_t i = 0; i < gc.static_roots.len; i++)
        fn((rt_slot *)gc.static_roots.v[i]);
    fn((rt_slot *)&rpy_exc_value);
}

void rpy_rt_roots_overflow(void)
{
    size_t used = (size_t)(rpy_rt_roots_top - tl.roots_base);
    size_t cap = (size_t)(rpy_rt_roots_end - tl.roots_base);
    cap = cap ? 2 * cap : 1024;
    tl.roots_base = xrealloc(tl.roots_base, cap * sizeof *tl.roots_base);
    rpy_rt_roots_top = tl.roots_base + used;
    rpy_rt_roots_end = tl.roots_base + cap;
}

void rpy_gc_add_static_root(void **addr) { vec_push(&gc.static_roots, addr); }

/* ------------------------------------------------------------------ */
/* Identity: reserved old memory for young objects (see the note on top) */
/* ------------------------------------------------------------------ */

static size_t id_home(const void *obj, size_t mask)
{
    return (size_t)((((uintptr_t)obj >> 3) * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

/* The entry of obj, or the empty one where it would go. */
static struct rt_id_entry *id_find(const struct rpy_hdr *obj)
{
    size_t mask = gc.ids.cap - 1;
    for (size_t i = id_home(obj, mask);; i = (i + 1) & mask)
        if (gc.ids.v[i].obj == obj || !gc.ids.v[i].obj)
            return &gc.ids.v[i];
}

static void id_grow(void)
{
    struct rt_id_table old = gc.ids;
    gc.ids.cap = old.cap ? 2 * old.cap : 64;
    gc.ids.v = calloc(gc.ids.cap, sizeof *gc.ids.v);
    if (!gc.ids.v)
        out_of_memory();
    for (size_t i = 0; i < old.cap; i++)
        if (old.v[i].obj)
            *id_find(old.v[i].obj) = old.v[i];
    free(old.v);
}

/* Old memory for the copy of young object h, from now on its identity.
 * It is counted as old at once; nothing here collects. */
static struct rpy_hdr *id_reserve(struct rpy_hdr *h)
{
    if (2 * (gc.ids.len + 1) > gc.ids.cap)
        id_grow();
    struct rpy_hdr *slot = old_alloc(obj_size(h, layout_checked(h)), false);
    *id_find(h) = (struct rt_id_entry){h, slot};
    gc.ids.len++;
    h->gcflags |= RT_GCF_RESERVED;
    return slot;
}

rpy_int rpy_gc_id(void *obj)
{
    struct rpy_hdr *h = obj;
    if (!is_young(h))
        return (rpy_int)(uintptr_t)h; /* old or prebuilt: never moves */
    if (h->gcflags & RT_GCF_RESERVED)
        return (rpy_int)(uintptr_t)id_find(h)->slot;
    return (rpy_int)(uintptr_t)id_reserve(h);
}

/* CPython's _Py_HashPointer: the address rotated by 4 bits (the low ones
 * are always zero), never -1. */
rpy_int rpy_gc_identity_hash(void *obj)
{
    uint64_t y = (uint64_t)rpy_gc_id(obj);
    y = (y >> 4) | (y << 60);
    return (rpy_int)y == -1 ? -2 : (rpy_int)y;
}

/* Gives back old memory of n bytes that never held an object. */
static void old_release(struct rpy_hdr *p, size_t n)
{
    gc.old_bytes -= n;
    if (old_is_malloced(n)) {
        struct rt_large *b = (struct rt_large *)p - 1;
        large_unlink(b);
        gc.old_footprint -= sizeof *b + n;
        free(b);
        return;
    }
    p->tid = 0;
    vec_push(&class_of(n)->free, p);
}

/* The end of a minor collection, before the nursery is reset: the
 * survivors went to their reserved slots (forward), the slots of the
 * others go back, and the table is emptied (invariant 5). */
static void id_after_minor(void)
{
    if (!gc.ids.len)
        return;
    for (size_t i = 0; i < gc.ids.cap; i++) {
        struct rt_id_entry *e = &gc.ids.v[i];
        if (e->obj && !(e->obj->gcflags & RT_GCF_FORWARDED))
            old_release(e->slot, obj_size(e->obj, layout_of(e->obj)));
    }
    gc.ids.len = 0;
    if (gc.ids.cap > 4096) { /* a burst of hashing: do not clear a big table at every collection */
        free(gc.ids.v);
        gc.ids = (struct rt_id_table){0};
        return;
    }
    memset(gc.ids.v, 0, gc.ids.cap * sizeof *gc.ids.v);
}

/* ------------------------------------------------------------------ */
/* Minor collection                                                     */
/* ------------------------------------------------------------------ */

/* Most objects are a few words: a loop beats a call to memcpy. */
static inline void copy_object(void *to, const void *from, size_t n)
{
    if (n > 64) {
        memcpy(to, from, n);
        return;
    }
    uint64_t *t = to;
    const uint64_t *f = from;
    for (size_t i = 0; i < n / 8; i++)
        t[i] = f[i];
}

/* Copies a young object into the old generation (once: later calls find
 * the forwarding pointer) and queues the copy for scanning. */
static void *forward(struct rpy_hdr *h)
{
    if (h->gcflags & RT_GCF_FORWARDED)
        return ((void **)h)[1];
    const struct rt_layout *lt = layout_checked(h);
    size_t n = obj_size(h, lt);
    struct rpy_hdr *copy = h->gcflags & RT_GCF_RESERVED ? id_find(h)->slot : old_alloc(n, false);
    gc.st.bytes_promoted += n;
    copy_object(copy, h, n);
    copy->gcflags = old_flags(lt, n);
    h->gcflags |= RT_GCF_FORWARDED;
    ((void **)h)[1] = copy;
    if (lt->has_ptrs)
        vec_push(&gc.gray, copy);
    return copy;
}

static inline void minor_slot(rt_slot *slot)
{
    void *p = *slot;
    if (is_young(p))
        *slot = forward(p);
}

/* Remembered objects are traced like copies, then tracked again. */
static void scan_remembered(void)
{
    for (size_t i = 0; i < gc.remset.len; i++) {
        struct rpy_hdr *h = gc.remset.v[i];
        visit_slots(h, layout_checked(h), minor_slot);
        h->gcflags |= RPY_GC_TRACK_YOUNG;
    }
    gc.remset.len = 0;
}

static void note_peak(void)
{
    size_t heap = gc.old_footprint + nursery_in_use();
    if (heap > gc.st.peak_heap_bytes)
        gc.st.peak_heap_bytes = heap;
}

static void minor_collection(void)
{
    gc.st.minor_collections++;
    gc.st.bytes_allocated += rpy_nursery.free - tl.uncounted;
    tl.uncounted = rpy_nursery.free;
    visit_roots(minor_slot);
    scan_remembered();
    while (gc.gray.len) {
        struct rpy_hdr *h = gc.gray.v[--gc.gray.len];
        visit_slots(h, layout_of(h), minor_slot);
    }
    id_after_minor();
    note_peak();
    nursery_reset();
}

/* ------------------------------------------------------------------ */
/* Major collection                                                     */
/* ------------------------------------------------------------------ */

static inline void mark_slot(rt_slot *slot)
{
    struct rpy_hdr *h = *slot;
    if (!h || (h->gcflags & (RPY_GC_PREBUILT | RT_GCF_MARK)))
        return;
    if (h->gcflags & RT_GCF_FORWARDED)
        RT_DIE("gc: a GC pointer to a moved object (a missing root or write barrier?)");
    const struct rt_layout *lt = layout_checked(h);
    h->gcflags |= RT_GCF_MARK;
    if (lt->has_ptrs)
        vec_push(&gc.gray, h);
}

static void mark_from_roots(void)
{
    visit_roots(mark_slot);
    void *const *prebuilt = hide_bounds(rpy_gc_prebuilt_objects);
    for (size_t i = 0; prebuilt[i]; i++) {
        struct rpy_hdr *h = prebuilt[i];
        visit_slots(h, layout_checked(h), mark_slot);
    }
    while (gc.gray.len) {
        struct rpy_hdr *h = gc.gray.v[--gc.gray.len];
        visit_slots(h, layout_of(h), mark_slot);
    }
    if (gc.gray.cap > ((size_t)1 << 20)) { /* a huge list was marked: do not keep 8 MiB for it */
        free(gc.gray.v);
        gc.gray = (struct rt_vec){0};
    }
}

/* Mark and sweep; the caller has just run a minor collection. */
static void mark_sweep(void)
{
    if (gc.ids.len)
        RT_DIE("gc: identity reservations left over for a major collection");
    gc.st.major_collections++;
    mark_from_roots();
    sweep();
    size_t twice = 2 * gc.old_bytes;
    gc.major_threshold = twice > MAJOR_MIN ? twice : MAJOR_MIN;
}

static void major_collection(void)
{
    minor_collection();
    mark_sweep();
}

void rpy_gc_collect(void)
{
    rt_gc_init();
    major_collection();
}

void rt_gc_minor_collect(void)
{
    rt_gc_init();
    minor_collection();
}

/* ------------------------------------------------------------------ */
/* Allocation                                                           */
/* ------------------------------------------------------------------ */

/* An object born old (large, or larger than the nursery). It can be
 * filled like a young object, so one that can hold pointers starts in
 * the remembered set. */
static void *born_old(const struct rpy_typeinfo *ti, size_t n)
{
    const struct rt_layout *lt = &gc.layouts[ti->tid];
    struct rpy_hdr *h = old_alloc(n, true);
    h->tid = ti->tid;
    h->gcflags = old_flags(lt, n) & ~RPY_GC_TRACK_YOUNG;
    if (lt->has_ptrs)
        vec_push(&gc.remset, h);
    gc.st.bytes_allocated += n;
    note_peak();
    return h;
}

static void *old_object(const struct rpy_typeinfo *ti, size_t n)
{
    if (gc.old_bytes + n >= gc.major_threshold)
        major_collection();
    return born_old(ti, n);
}

/* Never collects, so nothing moves: in the nursery if there is room,
 * else born old (the next allocation that may collect catches up). */
void *rt_gc_malloc_nocollect(const struct rpy_typeinfo *ti, size_t size)
{
    rt_gc_init();
    size_t n = object_bytes(size);
    if (!gc.stress && n < RPY_GC_LARGE && nursery_fits(n))
        return nursery_bump(ti, n);
    return born_old(ti, n);
}

static void *stress_alloc(const struct rpy_typeinfo *ti, size_t n)
{
    minor_collection();
    if (++gc.stress_count % STRESS_MAJOR_EVERY == 0)
        mark_sweep();
    if (n >= RPY_GC_LARGE)
        return old_object(ti, n);
    return init_object(stress_open_window(n), ti, n);
}

void *rpy_gc_malloc_slow(const struct rpy_typeinfo *ti, size_t size)
{
    rt_gc_init();
    size_t n = object_bytes(size);
    if (ti->tid >= rpy_ntypes || gc.layouts[ti->tid].shape == SHAPE_INVALID)
        RT_DIE("rpy_malloc: the type info is not a GC type of rpy_typetable");
    if (gc.stress)
        return stress_alloc(ti, n);
    if (n >= RPY_GC_LARGE)
        return old_object(ti, n);
    if (!nursery_fits(n)) {
        minor_collection();
        if (gc.old_bytes >= gc.major_threshold)
            mark_sweep();
        if (!nursery_fits(n)) /* a nursery smaller than the object */
            return old_object(ti, n);
    }
    return nursery_bump(ti, n);
}

void *rpy_malloc_x(const struct rpy_typeinfo *ti, size_t size)
{
#if RPY_GC_ASAN
    return rpy_gc_malloc_slow(ti, size);
#else
    return rpy_malloc(ti, size);
#endif
}

/* ---- growing a list's array ---- */

static size_t array_bytes(rpy_int capacity) { return sizeof(struct rpy_array) + sizeof(rpy_word) * (size_t)capacity; }

/* The remembered set holds objects by address: a realloc'd one must be
 * renamed there. The array being grown was most likely remembered last. */
static void remset_rename(uintptr_t from, void *to)
{
    for (size_t i = gc.remset.len; i-- > 0;)
        if ((uintptr_t)gc.remset.v[i] == from) {
            gc.remset.v[i] = to;
            return;
        }
}

/* An old array in a malloc block of its own: realloc it (the kernel may
 * move pages instead of bytes). It stays old, so no barrier is needed
 * for the list that points to it. */
static struct rpy_array *grow_malloced(struct rpy_array *a, size_t newsize)
{
    size_t keep = array_bytes(a->length);
    struct rt_large *b = (struct rt_large *)a - 1;
    if (newsize > b->size) {
        uintptr_t was = (uintptr_t)a;
        size_t grown = newsize - b->size;
        b = xrealloc(b, sizeof *b + newsize);
        b->prev->next = b;
        b->next->prev = b;
        b->size = newsize;
        a = (struct rpy_array *)(b + 1);
        if ((uintptr_t)a != was && layout_of(&a->hdr)->has_ptrs && !(a->hdr.gcflags & RPY_GC_TRACK_YOUNG))
            remset_rename(was, a);
        gc.old_bytes += grown;
        gc.old_footprint += grown;
        gc.st.bytes_allocated += grown;
    }
    memset((char *)a + keep, 0, newsize - keep);
    return a;
}

/* Growth without allocating a new object: the newest young object
 * extends into the free nursery; a malloc'd old one is realloc'd. NULL if
 * neither applies. Stress mode always copies, so stale pointers to the
 * old array fault. */
static struct rpy_array *grow_in_place(struct rpy_array *a, size_t newsize)
{
    if (gc.stress || (a->hdr.gcflags & RT_GCF_RESERVED))
        return NULL;
    size_t oldsize = array_bytes(a->length);
    if (!RPY_GC_ASAN && is_young(a) && (uintptr_t)a + oldsize == rpy_nursery.free && newsize < RPY_GC_LARGE &&
        rpy_nursery.top - rpy_nursery.free >= newsize - oldsize) {
        memset((void *)rpy_nursery.free, 0, newsize - oldsize);
        rpy_nursery.free += newsize - oldsize;
        return a;
    }
    if (a->hdr.gcflags & RT_GCF_MALLOCED)
        return grow_malloced(a, newsize);
    return NULL;
}

static struct rpy_array *grow_by_copy(struct rpy_array *a, rpy_int newcap, const struct rpy_typeinfo *ati)
{
    RPY_ROOT(a);
    struct rpy_array *n = rpy_malloc(ati, array_bytes(newcap));
    rpy_int keep = a->length < newcap ? a->length : newcap;
    memcpy(n->items, a->items, sizeof(rpy_word) * (size_t)keep);
    return n;
}

struct rpy_array *rt_gc_grow_array(struct rpy_array *a, rpy_int newcap, const struct rpy_typeinfo *ati)
{
    if (newcap > (INT64_MAX >> 4))
        out_of_memory();
    rt_gc_init();
    struct rpy_array *n = NULL;
    if (a->length > 0 && a->length <= newcap && !(a->hdr.gcflags & RPY_GC_PREBUILT) && a->hdr.tid == ati->tid)
        n = grow_in_place(a, array_bytes(newcap));
    if (!n)
        n = grow_by_copy(a, newcap, ati);
    n->length = newcap;
    return n;
}

/* ---- the write barrier ---- */

void rpy_gc_remember(void *obj)
{
    struct rpy_hdr *h = obj;
    if (!(h->gcflags & RPY_GC_TRACK_YOUNG))
        return;
    h->gcflags &= ~RPY_GC_TRACK_YOUNG;
    vec_push(&gc.remset, h);
}

void rpy_gc_wb_x(void *obj) { rpy_gc_wb(obj); }

/* ------------------------------------------------------------------ */
/* Start, statistics                                                    */
/* ------------------------------------------------------------------ */

static bool env_flag(const char *name)
{
    const char *s = getenv(name);
    return s && *s && *s != '0';
}

/* A byte count: "4194304", "512k", "4M", "1G". Out of range values are
 * clamped, anything unreadable gives the default. */
static size_t env_size(const char *name, size_t dflt, size_t lo, size_t hi)
{
    const char *s = getenv(name);
    if (!s || !*s)
        return dflt;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    int shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    default: break;
    }
    if (end == s || *end)
        return dflt;
    size_t n = v > (hi >> shift) ? hi : (size_t)v << shift;
    return round_up(n < lo ? lo : n, OS_PAGE);
}

/* The shadow stack is a reservation of 8 times the C stack limit (a
 * frame's saved pointers take less room than the frame), committed as
 * compiled code touches it; a guard page stops a runaway. */
static void shadow_stack_init(void)
{
    if (rpy_ss_base)
        return;
    size_t size = (size_t)64 << 20, most = (size_t)1 << 30;
    struct rlimit rl;
    if (getrlimit(RLIMIT_STACK, &rl) == 0)
        size = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > most / 8 ? most
               : rl.rlim_cur * 8 > size                               ? (size_t)rl.rlim_cur * 8
                                                                      : size;
    char *p = map_or_die(size + OS_PAGE, PROT_READ | PROT_WRITE, MAP_NORESERVE);
    mprotect(p + size, OS_PAGE, PROT_NONE);
    rpy_ss_base = rpy_ss_top = (void **)p;
}

void rt_gc_init(void)
{
    if (gc.ready)
        return;
    gc.ready = true;
    gc.stats = env_flag("RPY_GC_STATS");
    gc.stress = env_flag("RPY_GC_STRESS");
    gc.nursery_size = env_size("RPY_GC_NURSERY", NURSERY_DEFAULT, NURSERY_MIN, NURSERY_MAX);
    gc.large.prev = gc.large.next = &gc.large;
    gc.major_threshold = MAJOR_MIN;
    build_layouts();
    shadow_stack_init();
    if (gc.stress)
        stress_init();
    else
        nursery_init();
}

bool rt_gc_is_young(const void *obj) { return is_young(obj); }

void rt_gc_get_stats(struct rt_gc_stats *s)
{
    *s = gc.st;
    s->bytes_allocated += rpy_nursery.free - tl.uncounted;
    s->old_bytes = gc.old_bytes;
    s->heap_bytes = gc.old_footprint + (gc.ready ? nursery_in_use() : 0);
    if (s->heap_bytes > s->peak_heap_bytes)
        s->peak_heap_bytes = s->heap_bytes;
    s->nursery_bytes = gc.nursery_size;
}

void rt_gc_report(void)
{
    if (!gc.stats)
        return;
    struct rt_gc_stats s;
    rt_gc_get_stats(&s);
    char line[200];
    int n = snprintf(line, sizeof line,
                     "rpy gc: %llu bytes allocated; %llu minor, %llu major collections; peak heap %.1f MiB%s\n",
                     (unsigned long long)s.bytes_allocated, (unsigned long long)s.minor_collections,
                     (unsigned long long)s.major_collections, (double)s.peak_heap_bytes / (1 << 20),
                     gc.stress ? " (stress mode)" : "");
    rt_write_stderr(line, (size_t)n);
}
