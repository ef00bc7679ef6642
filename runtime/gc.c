/* gc.c - the one allocator.
 *
 * Every GC object of a running program comes from rpy_malloc (and arrays
 * that grow, from rt_gc_grow_array). Today it is a bump allocator: each
 * thread carves objects out of its current chunk (8 MiB, fresh from mmap
 * and therefore already zero) and takes a new chunk when that one is
 * full; nothing is ever freed. Objects of 1 MiB and more get a mapping of
 * their own, so they do not waste the tail of a chunk and can grow with
 * mremap, which moves pages instead of copying bytes.
 *
 * Since nothing is reused, fresh memory costs a page fault per 4 KiB:
 * chunks are aligned to 2 MiB and marked MADV_HUGEPAGE so the kernel can
 * back them with huge pages (one fault per 2 MiB) where it allows that.
 *
 * The precise, moving, generational collector described in DESIGN.md will
 * replace the inside of this file: the bump pointer becomes the nursery,
 * the slow path triggers a minor collection. Nothing else in the runtime
 * allocates GC memory, which is what makes that swap local.
 *
 * Environment:
 *   RPY_GC_STATS=1   at exit, print the bytes allocated to stderr.
 *   RPY_GC_STRESS=1  collect at every allocation: accepted, a no-op until
 *                    there is a collector.
 *
 * Under AddressSanitizer (the SAN=1 build) each object is a separate
 * calloc block instead, so ASan sees object boundaries and reports any
 * overflow. The blocks are chained from a global list so that
 * LeakSanitizer sees them as reachable rather than leaked.
 */
#include "runtime/rt_internal.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#if defined(__SANITIZE_ADDRESS__)
#define RT_GC_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RT_GC_SANITIZER 1
#endif
#endif

enum {
    HUGE_PAGE = 2 << 20,
    CHUNK_SIZE = 8 << 20,
    LARGE_OBJECT = 1 << 20,
    PAGE = 4096,
};

/* Bump region of this thread, as integers so that the empty state (both
 * 0) needs no pointer arithmetic on NULL. */
static __thread uintptr_t bump_cur, bump_end;
/* Bytes handed out in chunks this thread has finished, plus large objects;
 * the current chunk's use is added when the report is made. */
static _Atomic size_t bytes_retired;
static __thread uintptr_t chunk_start;

static bool stats_enabled;
static bool stress_enabled;

static void count_bytes(size_t n) { atomic_fetch_add_explicit(&bytes_retired, n, memory_order_relaxed); }

static _Noreturn void out_of_memory(void)
{
    rt_memory_error();
    exit(1); /* a failed allocation cannot hand back a dummy */
}

static size_t array_bytes(rpy_int capacity) { return sizeof(struct rpy_array) + sizeof(rpy_word) * (size_t)capacity; }

#ifdef RT_GC_SANITIZER
/* Each object is preceded by a link to the previous allocation. */
static void *all_objects;

static void *alloc_object(size_t size)
{
    void **block = calloc(1, sizeof(void *) * 2 + size);
    if (!block)
        out_of_memory();
    block[0] = all_objects;
    all_objects = block;
    count_bytes(size);
    return block + 2; /* two words keep 16-byte alignment */
}

static struct rpy_array *grow_array(struct rpy_array *a, rpy_int newcap, const struct rpy_typeinfo *ati)
{
    struct rpy_array *n = rpy_malloc(ati, array_bytes(newcap));
    memcpy(n->items, a->items, sizeof(rpy_word) * (size_t)a->length);
    return n;
}
#else
static void *map_zeroed(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        out_of_memory();
    if (size >= HUGE_PAGE)
        madvise(p, size, MADV_HUGEPAGE); /* a hint; may be refused */
    return p;
}

/* A CHUNK_SIZE mapping aligned to a huge page: map more, trim the ends. */
static char *map_chunk(void)
{
    char *raw = map_zeroed(CHUNK_SIZE + HUGE_PAGE);
    uintptr_t start = ((uintptr_t)raw + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    size_t head = start - (uintptr_t)raw, tail = HUGE_PAGE - head;
    if (head)
        munmap(raw, head);
    if (tail)
        munmap((char *)start + CHUNK_SIZE, tail);
    return (char *)start;
}

static void *alloc_object(size_t size)
{
    if (size >= LARGE_OBJECT) {
        count_bytes(size);
        struct rpy_hdr *h = map_zeroed(size);
        h->gcflags = RT_GC_OWN_MAPPING;
        return h;
    }
    if (chunk_start)
        count_bytes(bump_cur - chunk_start);
    char *chunk = map_chunk();
    chunk_start = (uintptr_t)chunk;
    bump_cur = chunk_start + size;
    bump_end = chunk_start + CHUNK_SIZE;
    return chunk;
}

static size_t page_round(size_t n) { return (n + PAGE - 1) & ~(size_t)(PAGE - 1); }

/* Cheap cases first: a mapping of its own is remapped (the kernel moves
 * the pages; new ones read as zero), and the newest object of the bump
 * region just extends (memory past bump_cur is still zero). */
static struct rpy_array *grow_array(struct rpy_array *a, rpy_int newcap, const struct rpy_typeinfo *ati)
{
    size_t oldsize = array_bytes(a->length), newsize = array_bytes(newcap);
    if (a->hdr.gcflags & RT_GC_OWN_MAPPING) {
        void *p = mremap(a, page_round(oldsize), page_round(newsize), MREMAP_MAYMOVE);
        if (p == MAP_FAILED)
            out_of_memory();
        if (newsize >= HUGE_PAGE)
            madvise(p, page_round(newsize), MADV_HUGEPAGE);
        count_bytes(newsize - oldsize);
        return p;
    }
    if ((uintptr_t)a + oldsize == bump_cur && bump_end - bump_cur >= newsize - oldsize) {
        bump_cur += newsize - oldsize;
        return a;
    }
    struct rpy_array *n = rpy_malloc(ati, newsize);
    memcpy(n->items, a->items, sizeof(rpy_word) * (size_t)a->length);
    return n;
}
#endif

void *rpy_malloc(const struct rpy_typeinfo *ti, size_t size)
{
    size = (size + 7) & ~(size_t)7;
    struct rpy_hdr *obj;
    if (bump_end - bump_cur >= size) {
        obj = (struct rpy_hdr *)bump_cur;
        bump_cur += size;
    } else {
        if (size > (SIZE_MAX >> 2))
            out_of_memory();
        obj = alloc_object(size);
    }
    obj->tid = ti->tid;
    return obj;
}

struct rpy_array *rt_gc_grow_array(struct rpy_array *a, rpy_int newcap, const struct rpy_typeinfo *ati)
{
    if (newcap > (INT64_MAX >> 4))
        out_of_memory();
    struct rpy_array *n;
    if (a->length == 0 || (a->hdr.gcflags & RPY_GC_PREBUILT))
        n = rpy_malloc(ati, array_bytes(newcap));
    else
        n = grow_array(a, newcap, ati);
    n->length = newcap;
    return n;
}

void rt_gc_init(void)
{
    const char *s = getenv("RPY_GC_STATS");
    stats_enabled = s && *s && *s != '0';
    s = getenv("RPY_GC_STRESS");
    stress_enabled = s && *s && *s != '0';
}

void rt_gc_report(void)
{
    if (!stats_enabled)
        return;
    size_t total = atomic_load_explicit(&bytes_retired, memory_order_relaxed);
    if (chunk_start)
        total += bump_cur - chunk_start;
    char line[96];
    int n = snprintf(line, sizeof line, "rpy gc: %zu bytes allocated%s\n", total,
                     stress_enabled ? " (stress mode: no collector yet)" : "");
    rt_write_stderr(line, (size_t)n);
}
