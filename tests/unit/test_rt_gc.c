/* test_rt_gc.c - the collector: objects survive minor and major
 * collections with their contents through every kind of root (shadow
 * stack, RPY_ROOT, the global roots table, static roots, the current
 * exception, prebuilt objects, the remembered set), roots are updated in
 * place when objects move and sharing is kept, only GC fields are traced
 * (an int that looks like a pointer is left alone), unreachable objects
 * are reclaimed (the heap stays bounded, old memory is reused), dicts keep
 * their interior index/entries pointers across moves, a million-node list
 * survives marking without C recursion, large objects are born old, list
 * arrays grow across collections, the environment switches, stress mode
 * (collections at every allocation; a stale pointer faults), and
 * identities (rpy_gc_id, rpy_gc_identity_hash) that stay the same when
 * young objects move, differ between live objects, and give their
 * reserved memory back when the object dies young.
 *
 * Every test runs in a child process of its own (fork mode), so each can
 * set RPY_GC_* before the collector starts. Everything a test holds across
 * an allocation is rooted; the runtime's own routines are used only where
 * they allocate at most once, or with a nursery big enough that they
 * cannot collect. */
#include "runtime/rt_internal.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum {
    TID_NODE = RPY_TID_FIRST_PROGRAM,
    TID_LIST_NODE,
    TID_LIST_INT,
    TID_DICT_SI,
    TID_DICT_SS,
    TID_SET_S,
    TID_TUPLE_SIN,
    TID_ITER,
};

/* A class instance: two node fields, an int, a str. */
struct node {
    struct rpy_hdr hdr;
    struct node *left, *right;
    rpy_int value;
    struct rpy_str *name;
};
struct iter {
    struct rpy_hdr hdr;
    rpy_int pos;
    struct rpy_list *list;
};

static const struct rpy_typeinfo ti_node;
static const struct rpy_typeinfo ti_list_node = {
    .kind = RPY_K_LIST, .tid = TID_LIST_NODE, .size = sizeof(struct rpy_list), .name = "list", .item = &ti_node};
static const uint32_t node_offsets[] = {offsetof(struct node, left), offsetof(struct node, right),
                                        offsetof(struct node, value), offsetof(struct node, name)};
static const struct rpy_typeinfo *const node_fields[] = {&ti_node, &ti_node, &rpy_ti_int, &rpy_ti_str};
static const struct rpy_typeinfo ti_node = {
    .kind = RPY_K_INSTANCE, .tid = TID_NODE, .size = sizeof(struct node), .nitems = 4, .name = "Node",
    .offsets = node_offsets, .fields = node_fields};
static const struct rpy_typeinfo ti_list_int = {
    .kind = RPY_K_LIST, .tid = TID_LIST_INT, .size = sizeof(struct rpy_list), .name = "list", .item = &rpy_ti_int};
static const struct rpy_typeinfo ti_dict_si = {
    .kind = RPY_K_DICT, .tid = TID_DICT_SI, .size = sizeof(struct rpy_dict), .name = "dict",
    .item = &rpy_ti_str, .value = &rpy_ti_int};
static const struct rpy_typeinfo ti_dict_ss = {
    .kind = RPY_K_DICT, .tid = TID_DICT_SS, .size = sizeof(struct rpy_dict), .name = "dict",
    .item = &rpy_ti_str, .value = &rpy_ti_str};
static const struct rpy_typeinfo ti_set_s = {
    .kind = RPY_K_SET, .tid = TID_SET_S, .size = sizeof(struct rpy_set), .name = "set", .item = &rpy_ti_str};
static const struct rpy_typeinfo *const tuple_sin_items[] = {&rpy_ti_str, &rpy_ti_int, &ti_node};
static const struct rpy_typeinfo ti_tuple_sin = {
    .kind = RPY_K_TUPLE, .tid = TID_TUPLE_SIN, .size = sizeof(struct rpy_tuple) + 3 * sizeof(rpy_word),
    .nitems = 3, .name = "tuple", .items = tuple_sin_items};
static const uint32_t iter_offsets[] = {offsetof(struct iter, pos), offsetof(struct iter, list)};
static const struct rpy_typeinfo *const iter_fields[] = {&rpy_ti_int, &ti_list_node};
static const struct rpy_typeinfo ti_iter = {
    .kind = RPY_K_ITER, .tid = TID_ITER, .size = sizeof(struct iter), .nitems = 2, .name = "iterator",
    .offsets = iter_offsets, .fields = iter_fields};

const struct rpy_typeinfo *const rpy_typetable[] = {
    NULL, &rpy_ti_str, &rpy_ti_array_raw, &rpy_ti_array_gc,
    [TID_NODE] = &ti_node, [TID_LIST_NODE] = &ti_list_node, [TID_LIST_INT] = &ti_list_int,
    [TID_DICT_SI] = &ti_dict_si, [TID_DICT_SS] = &ti_dict_ss, [TID_SET_S] = &ti_set_s,
    [TID_TUPLE_SIN] = &ti_tuple_sin, [TID_ITER] = &ti_iter,
};
const uint32_t rpy_ntypes = sizeof rpy_typetable / sizeof rpy_typetable[0];

/* The program's global variables, as the backend would list them. */
static struct node *g_node;
static struct rpy_str *g_str;
void **const rpy_gc_global_roots[] = {(void **)&g_node, (void **)&g_str, NULL};

/* A prebuilt instance that holds GC pointers, as the backend emits it. */
static struct node prebuilt_node = {{TID_NODE, RPY_GC_PREBUILT | RPY_GC_TRACK_YOUNG}, NULL, NULL, 7, NULL};
void *const rpy_gc_prebuilt_objects[] = {&prebuilt_node, NULL};

static struct rt_gc_stats stats(void)
{
    struct rt_gc_stats s;
    rt_gc_get_stats(&s);
    return s;
}

static struct node *new_node(rpy_int value, struct node *left, struct node *right)
{
    RPY_ROOT(left);
    RPY_ROOT(right);
    struct node *n = rpy_malloc(&ti_node, sizeof *n);
    n->left = left;
    n->right = right;
    n->value = value;
    return n;
}

/* A full tree whose values number the nodes in postorder from *next. */
static struct node *make_tree(int depth, rpy_int *next)
{
    if (depth == 0)
        return new_node((*next)++, NULL, NULL);
    struct node *l = make_tree(depth - 1, next);
    RPY_ROOT(l);
    struct node *r = make_tree(depth - 1, next);
    return new_node((*next)++, l, r);
}

/* Mismatches between a tree and the numbering make_tree gave it. */
static rpy_int tree_errors(const struct node *n, int depth, rpy_int *next)
{
    if (!n)
        return 1;
    rpy_int bad = 0;
    if (depth > 0) {
        bad += tree_errors(n->left, depth - 1, next);
        bad += tree_errors(n->right, depth - 1, next);
    } else if (n->left || n->right) {
        bad++;
    }
    return bad + (n->value != (*next)++);
}

static bool tree_ok(const struct node *n, int depth)
{
    rpy_int next = 0;
    return tree_errors(n, depth, &next) == 0;
}

static const char *S(const struct rpy_str *s) { return s->data; }

/* ---- roots ---- */

START_TEST(gc_shadow_stack_root)
{
    rt_gc_init();
    rpy_int next = 0;
    void **frame = rpy_ss_top;
    frame[0] = make_tree(10, &next);
    frame[1] = NULL;
    rpy_ss_top += 2;
    void *before = frame[0];
    ck_assert(rt_gc_is_young(before));
    rt_gc_minor_collect();
    ck_assert_ptr_ne(frame[0], before); /* moved, and the slot updated */
    ck_assert(!rt_gc_is_young(frame[0]));
    ck_assert(tree_ok(frame[0], 10));
    ck_assert_ptr_null(frame[1]);
    void *old = frame[0];
    rpy_gc_collect();
    ck_assert_ptr_eq(frame[0], old); /* old objects do not move */
    ck_assert(tree_ok(frame[0], 10));
    rpy_ss_top -= 2;
    ck_assert_uint_eq(stats().major_collections, 1);
}
END_TEST

START_TEST(gc_runtime_root)
{
    rt_gc_init();
    struct rpy_str *s = rpy_str_from_cstr("hello, collector");
    RPY_ROOT(s);
    struct node *n = new_node(42, NULL, NULL);
    RPY_ROOT(n);
    n->name = s;
    struct rpy_str *s0 = s;
    rt_gc_minor_collect();
    ck_assert_ptr_ne(s, s0);
    ck_assert_str_eq(S(s), "hello, collector");
    ck_assert_int_eq(s->length, 16);
    ck_assert_int_eq(n->value, 42);
    ck_assert_ptr_eq(n->name, s); /* sharing kept */
    rpy_gc_collect();
    ck_assert_str_eq(S(n->name), "hello, collector");
}
END_TEST

START_TEST(gc_global_and_static_roots)
{
    rt_gc_init();
    static struct node *s_root;
    rpy_gc_add_static_root((void **)&s_root);
    rpy_int next = 0;
    g_node = make_tree(6, &next);
    next = 0;
    s_root = make_tree(6, &next);
    g_str = rpy_str_from_cstr("global");
    for (int i = 0; i < 3; i++) {
        rt_gc_minor_collect();
        rpy_gc_collect();
    }
    ck_assert(!rt_gc_is_young(g_node) && !rt_gc_is_young(s_root) && !rt_gc_is_young(g_str));
    ck_assert(tree_ok(g_node, 6));
    ck_assert(tree_ok(s_root, 6));
    ck_assert_str_eq(S(g_str), "global");
}
END_TEST

START_TEST(gc_exception_root)
{
    rt_gc_init();
    rpy_exc_value = new_node(99, NULL, NULL);
    void *before = rpy_exc_value;
    rpy_gc_collect();
    ck_assert_ptr_ne(rpy_exc_value, before);
    ck_assert_int_eq(((struct node *)rpy_exc_value)->value, 99);
    rpy_exc_value = NULL;
}
END_TEST

/* A prebuilt object is a root of its own fields: stored through the
 * barrier it joins the remembered set, a minor collection tracks it
 * again, and majors keep what it points to. */
START_TEST(gc_prebuilt_object)
{
    rt_gc_init();
    rpy_int next = 0;
    struct node *t = make_tree(5, &next);
    ck_assert(prebuilt_node.hdr.gcflags & RPY_GC_TRACK_YOUNG);
    rpy_gc_wb(&prebuilt_node);
    ck_assert(!(prebuilt_node.hdr.gcflags & RPY_GC_TRACK_YOUNG));
    prebuilt_node.left = t;
    rt_gc_minor_collect();
    ck_assert(prebuilt_node.hdr.gcflags & RPY_GC_TRACK_YOUNG);
    ck_assert_ptr_ne(prebuilt_node.left, t);
    ck_assert(tree_ok(prebuilt_node.left, 5));
    for (int i = 0; i < 100000; i++) /* garbage, then majors */
        new_node(i, NULL, NULL);
    rpy_gc_collect();
    rpy_gc_collect();
    ck_assert(tree_ok(prebuilt_node.left, 5));
    ck_assert_int_eq(prebuilt_node.value, 7);
    ck_assert_uint_eq(prebuilt_node.hdr.gcflags, RPY_GC_PREBUILT | RPY_GC_TRACK_YOUNG);
}
END_TEST

/* An old object that gets a young pointer through the barrier. */
START_TEST(gc_remembered_set)
{
    rt_gc_init();
    struct node *old = new_node(1, NULL, NULL);
    RPY_ROOT(old);
    rt_gc_minor_collect();
    ck_assert(!rt_gc_is_young(old));
    ck_assert(old->hdr.gcflags & RPY_GC_TRACK_YOUNG);
    struct node *young = new_node(2, NULL, NULL);
    young->name = rpy_str_from_cstr("young"); /* young->name: no barrier needed */
    rpy_gc_wb(old);
    ck_assert(!(old->hdr.gcflags & RPY_GC_TRACK_YOUNG));
    rpy_gc_wb(old); /* a second barrier is a no-op */
    old->left = young;
    old->right = young;
    young = NULL;
    rt_gc_minor_collect();
    ck_assert(old->hdr.gcflags & RPY_GC_TRACK_YOUNG);
    ck_assert(!rt_gc_is_young(old->left));
    ck_assert_ptr_eq(old->left, old->right);
    ck_assert_int_eq(old->left->value, 2);
    ck_assert_str_eq(S(old->left->name), "young");
    rpy_gc_collect();
    ck_assert_str_eq(S(old->left->name), "young");
}
END_TEST

/* Only GC fields are traced: an int holding a nursery address is data. */
START_TEST(gc_precise_fields)
{
    rt_gc_init();
    struct node *n = new_node(0, NULL, NULL);
    RPY_ROOT(n);
    struct node *other = new_node(5, NULL, NULL);
    n->value = (rpy_int)(uintptr_t)other;
    struct rpy_tuple *t = rpy_tuple_new(&ti_tuple_sin);
    RPY_ROOT(t);
    t->items[1] = (rpy_word)(uintptr_t)other;
    t->items[2] = rpy_w_from_ptr(other);
    struct rpy_str *s = rpy_str_from_cstr("tuple item");
    t->items[0] = rpy_w_from_ptr(s);
    rpy_int addr = (rpy_int)(uintptr_t)other;
    rt_gc_minor_collect();
    ck_assert_int_eq(n->value, addr);
    ck_assert_int_eq((rpy_int)t->items[1], addr);
    ck_assert_int_ne((rpy_int)t->items[2], addr); /* the node field moved */
    ck_assert_int_eq(((struct node *)rpy_w_to_ptr(t->items[2]))->value, 5);
    ck_assert_str_eq(S(rpy_w_to_ptr(t->items[0])), "tuple item");
}
END_TEST

/* One node reachable from two roots and two fields stays one node. */
START_TEST(gc_sharing_kept)
{
    rt_gc_init();
    struct node *a = new_node(1, NULL, NULL);
    RPY_ROOT(a);
    struct node *b = a;
    RPY_ROOT(b);
    struct node *p = new_node(2, a, a);
    RPY_ROOT(p);
    struct iter *it = rpy_malloc(&ti_iter, sizeof *it);
    RPY_ROOT(it);
    it->list = rpy_list_new_cap(&ti_list_node, 0);
    it->pos = 3;
    rt_gc_minor_collect();
    ck_assert_ptr_eq(a, b);
    ck_assert_ptr_eq(p->left, a);
    ck_assert_ptr_eq(p->right, a);
    ck_assert(!rt_gc_is_young(it->list));
    ck_assert_int_eq(it->list->length, 0);
    ck_assert_int_eq(it->pos, 3);
    rpy_gc_collect();
    ck_assert_ptr_eq(p->left, b);
}
END_TEST

/* Nursery memory is reused after a minor collection: new objects must
 * still come back zeroed, and so must the tail of a grown array. */
START_TEST(gc_fresh_memory_zeroed)
{
    rt_gc_init();
    struct rt_gc_stats s0 = stats();
    while (stats().minor_collections < s0.minor_collections + 2) {
        struct node *n = new_node(-1, NULL, NULL);
        n->left = n->right = n;
        n->name = (struct rpy_str *)n;
    }
    for (int i = 0; i < 1000; i++) {
        struct node *n = rpy_malloc(&ti_node, sizeof *n);
        ck_assert(!n->left && !n->right && !n->value && !n->name);
        ck_assert_uint_eq(n->hdr.tid, TID_NODE);
        ck_assert_uint_eq(n->hdr.gcflags, 0);
        struct rpy_array *a = rpy_malloc(&rpy_ti_array_raw, sizeof(struct rpy_array) + 3 * sizeof(rpy_word));
        a->length = 3;
        a->items[2] = 77;
        a = rt_gc_grow_array(a, 40, &rpy_ti_array_raw); /* the newest object: extends in place */
        ck_assert_int_eq(a->length, 40);
        ck_assert_uint_eq(a->items[2], 77);
        for (int k = 3; k < 40; k++)
            ck_assert_uint_eq(a->items[k], 0);
    }
}
END_TEST

/* The out-of-line twins behave as the inline functions. */
START_TEST(gc_out_of_line_twins)
{
    rt_gc_init();
    struct node *n = rpy_malloc_x(&ti_node, sizeof *n);
    RPY_ROOT(n);
    ck_assert(rt_gc_is_young(n));
    ck_assert_uint_eq(n->hdr.tid, TID_NODE);
    ck_assert(!n->left && !n->value);
    rt_gc_minor_collect();
    ck_assert(n->hdr.gcflags & RPY_GC_TRACK_YOUNG);
    rpy_gc_wb_x(n);
    ck_assert(!(n->hdr.gcflags & RPY_GC_TRACK_YOUNG));
    n->left = rpy_malloc_x(&ti_node, sizeof *n);
    n->left->value = 3;
    rt_gc_minor_collect();
    ck_assert_int_eq(n->left->value, 3);
    ck_assert(!rt_gc_is_young(n->left));
}
END_TEST

/* ---- reclaiming ---- */

START_TEST(gc_garbage_reclaimed)
{
    rt_gc_init();
    struct node *keep = new_node(-1, NULL, NULL);
    RPY_ROOT(keep);
    for (int i = 0; i < 4000000; i++) { /* 160 MB, all dead at once */
        struct node *n = new_node(i, NULL, NULL);
        if (i % 1000000 == 0) {
            rpy_gc_wb(keep);
            keep->left = n;
        }
    }
    struct rt_gc_stats s = stats();
    ck_assert_uint_ge(s.bytes_allocated, 4000000u * sizeof(struct node));
    ck_assert_uint_ge(s.minor_collections, s.bytes_allocated / s.nursery_bytes);
    ck_assert_uint_lt(s.peak_heap_bytes, s.nursery_bytes + (1u << 20));
    ck_assert_int_eq(keep->left->value, 3000000);
}
END_TEST

/* Objects that survive one minor collection and then die: old memory is
 * reused, majors run, the heap stays bounded. */
START_TEST(gc_old_memory_reused)
{
    setenv("RPY_GC_NURSERY", "256k", 1);
    rt_gc_init();
    enum { RING = 4096 };
    struct rpy_array *ring = rpy_malloc(&rpy_ti_array_gc, sizeof(struct rpy_array) + RING * sizeof(rpy_word));
    ring->length = RING;
    RPY_ROOT(ring);
    enum { N = 4000000 };
    for (int i = 0; i < N; i++) {
        struct node *n = new_node(i, NULL, NULL);
        rpy_gc_wb(ring);
        ring->items[i % RING] = rpy_w_from_ptr(n);
    }
    struct rt_gc_stats s = stats();
    ck_assert_uint_ge(s.major_collections, 2);
    ck_assert_uint_lt(s.peak_heap_bytes, 80u << 20);
    /* Had nothing been freed, the heap would hold all it promoted. */
    ck_assert_uint_gt(s.bytes_promoted, s.peak_heap_bytes + (16u << 20));
    for (int k = 0; k < RING; k++) {
        const struct node *n = rpy_w_to_ptr(ring->items[k]);
        ck_assert_int_eq(n->value % RING, k);
        ck_assert_int_ge(n->value, N - RING);
    }
    rpy_gc_collect();
    ck_assert_uint_lt(stats().old_bytes, (size_t)RING * 2 * sizeof(struct node) + (1u << 16));
}
END_TEST

/* ---- dicts: interior pointers into a block that moves ---- */

static struct rpy_str *key(const char *prefix, int i)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%s%d", prefix, i);
    return rpy_str_from_cstr(buf);
}

/* The dict's index and entries point into one block, entries after the
 * index's int32 slots. */
static void check_dict_storage(const struct rpy_dict *d)
{
    const char *index = d->index;
    const struct rpy_array *block = (const struct rpy_array *)(index - offsetof(struct rpy_array, items));
    ck_assert_uint_eq(block->hdr.tid, RPY_TID_ARRAY_RAW);
    ck_assert_ptr_eq((const void *)d->entries, (const void *)(block->items + d->indexsize / 2));
    ck_assert_int_ge(block->length, d->indexsize / 2 + 3 * d->capacity);
}

static void check_dict_si(struct rpy_dict *d, int n)
{
    RPY_ROOT(d);
    check_dict_storage(d);
    ck_assert_int_eq(d->used, n - n / 3);
    rpy_int k = 0;
    for (int i = 0; i < n; i++) {
        if (i % 3 == 1)
            continue;
        while (d->entries[k].hash == -1)
            k++;
        char want[32];
        snprintf(want, sizeof want, "key%d", i);
        ck_assert_str_eq(S(rpy_w_to_ptr(d->entries[k].key)), want); /* insertion order */
        k++;
        struct rpy_str *probe = key("key", i);
        ck_assert_int_eq(rpy_w_to_int(rpy_dict_getitem(d, rpy_w_from_ptr(probe))), i * 10);
    }
    struct rpy_str *absent = key("key", 1);
    ck_assert(!rpy_dict_contains(d, rpy_w_from_ptr(absent)));
}

/* Built with no collection in between (a nursery far bigger than the
 * dict), then moved: dict.c itself is not yet written for a moving GC. */
static struct rpy_dict *build_dict_si(int n)
{
    struct rpy_dict *d = rpy_dict_new(&ti_dict_si);
    RPY_ROOT(d);
    for (int i = 0; i < n; i++) {
        struct rpy_str *k = key("key", i);
        rpy_dict_setitem(d, rpy_w_from_ptr(k), rpy_w_from_int(i * 10));
    }
    for (int i = 1; i < n; i += 3) {
        struct rpy_str *k = key("key", i);
        rpy_dict_delitem(d, rpy_w_from_ptr(k));
    }
    return d;
}

START_TEST(gc_dict_moves)
{
    setenv("RPY_GC_NURSERY", "64M", 1);
    rt_gc_init();
    struct rpy_dict *d = build_dict_si(1000); /* its block stays below RPY_GC_LARGE */
    RPY_ROOT(d);
    ck_assert_uint_eq(stats().minor_collections, 0);
    ck_assert(rt_gc_is_young(d) && rt_gc_is_young(d->index));
    void *index0 = d->index;
    rt_gc_minor_collect();
    ck_assert(!rt_gc_is_young(d) && !rt_gc_is_young(d->index));
    ck_assert_ptr_ne(d->index, index0);
    check_dict_si(d, 1000);
    rpy_gc_collect();
    check_dict_si(d, 1000);
    /* An old dict gets a young key and value: the barrier on the dict. */
    struct rpy_dict *ss = rpy_dict_new(&ti_dict_ss);
    RPY_ROOT(ss);
    for (int i = 0; i < 50; i++) {
        struct rpy_str *k = key("k", i), *v = NULL;
        RPY_ROOT(k);
        v = key("v", i);
        rpy_dict_setitem(ss, rpy_w_from_ptr(k), rpy_w_from_ptr(v));
    }
    rt_gc_minor_collect();
    struct rpy_str *k7 = key("k", 7), *nv = NULL;
    RPY_ROOT(k7);
    RPY_ROOT(nv);
    nv = rpy_str_from_cstr("new value");
    rpy_gc_wb(ss);
    rpy_dict_setitem(ss, rpy_w_from_ptr(k7), rpy_w_from_ptr(nv));
    rt_gc_minor_collect();
    ck_assert(!rt_gc_is_young(nv));
    for (int i = 0; i < 50; i++) {
        struct rpy_str *k = key("k", i);
        struct rpy_str *v = rpy_w_to_ptr(rpy_dict_getitem(ss, rpy_w_from_ptr(k)));
        char want[32];
        snprintf(want, sizeof want, "v%d", i);
        ck_assert_str_eq(S(v), i == 7 ? "new value" : want);
    }
    check_dict_storage(ss);
}
END_TEST

/* A dict whose block is large is born old: only the dict moves. */
START_TEST(gc_dict_large_block)
{
    setenv("RPY_GC_NURSERY", "64M", 1);
    rt_gc_init();
    struct rpy_dict *d = build_dict_si(9000);
    RPY_ROOT(d);
    ck_assert_uint_eq(stats().minor_collections, 0);
    ck_assert(!rt_gc_is_young(d->index));
    void *index0 = d->index;
    rt_gc_minor_collect();
    ck_assert_ptr_eq(d->index, index0);
    check_dict_si(d, 9000);
    rpy_gc_collect();
    rpy_gc_collect();
    check_dict_si(d, 9000);
}
END_TEST

START_TEST(gc_set_moves)
{
    setenv("RPY_GC_NURSERY", "64M", 1);
    rt_gc_init();
    struct rpy_set *s = rpy_set_new(&ti_set_s);
    RPY_ROOT(s);
    for (int i = 0; i < 300; i++) {
        struct rpy_str *k = key("item", i);
        rpy_set_add(s, rpy_w_from_ptr(k));
    }
    rt_gc_minor_collect();
    rpy_gc_collect();
    check_dict_storage(&s->d);
    for (int i = 0; i < 300; i++) {
        struct rpy_str *k = key("item", i);
        ck_assert(rpy_set_contains(s, rpy_w_from_ptr(k)));
    }
}
END_TEST

/* ---- long structures and large objects ---- */

START_TEST(gc_long_linked_list)
{
    rt_gc_init();
    enum { N = 1000000 };
    struct node *head = NULL;
    RPY_ROOT(head);
    for (int i = 0; i < N; i++)
        head = new_node(i, head, NULL);
    rpy_gc_collect();
    rt_gc_minor_collect();
    rpy_gc_collect();
    rpy_int expect = N - 1;
    for (const struct node *n = head; n; n = n->left, expect--)
        ck_assert_int_eq(n->value, expect);
    ck_assert_int_eq(expect, -1);
}
END_TEST

START_TEST(gc_large_objects)
{
    setenv("RPY_GC_NURSERY", "64M", 1);
    rt_gc_init();
    enum { N = 1 << 17 }; /* 1 MiB of slots */
    struct rpy_array *big = rpy_malloc(&rpy_ti_array_gc, sizeof(struct rpy_array) + N * sizeof(rpy_word));
    RPY_ROOT(big);
    big->length = N;
    ck_assert(!rt_gc_is_young(big));
    ck_assert(!(big->hdr.gcflags & RPY_GC_TRACK_YOUNG)); /* born in the remembered set */
    for (int i = 0; i < N; i += 64)                     /* no barrier needed yet */
        big->items[i] = rpy_w_from_ptr(new_node(i, NULL, NULL));
    struct rpy_array *big0 = big;
    rt_gc_minor_collect();
    ck_assert_ptr_eq(big, big0);
    ck_assert(big->hdr.gcflags & RPY_GC_TRACK_YOUNG);
    for (int i = 0; i < N; i++) {
        const struct node *n = rpy_w_to_ptr(big->items[i]);
        if (i % 64) {
            ck_assert_ptr_null(n);
        } else {
            ck_assert(!rt_gc_is_young(n));
            ck_assert_int_eq(n->value, i);
        }
    }
    struct rpy_str *s = rt_str_alloc(200000, 200000);
    RPY_ROOT(s);
    memset(s->data, 'x', 200000);
    rpy_gc_collect();
    ck_assert_int_eq(((const struct node *)rpy_w_to_ptr(big->items[N - 64]))->value, N - 64);
    ck_assert_int_eq((int)strspn(s->data, "x"), 200000);
    /* 1 GiB of large garbage in a bounded heap */
    for (int i = 0; i < 1024; i++) {
        struct rpy_array *g = rpy_malloc(&rpy_ti_array_raw, 1 << 20);
        g->length = ((1 << 20) - sizeof(struct rpy_array)) / 8;
    }
    struct rt_gc_stats st = stats();
    ck_assert_uint_ge(st.major_collections, 10);
    ck_assert_uint_lt(st.peak_heap_bytes, 100u << 20);
}
END_TEST

/* A list of nodes grown as list.c grows it, with the root and barrier a
 * caller owes rt_gc_grow_array. */
static void append_node(struct rpy_list *l, struct node *n)
{
    RPY_ROOT(l);
    RPY_ROOT(n);
    if (l->length == l->items->length) {
        rpy_int cap = l->length + (l->length >> 3) + 6;
        struct rpy_array *a = rt_gc_grow_array(l->items, cap, &rpy_ti_array_gc);
        rpy_gc_wb(l);
        l->items = a;
    }
    rpy_gc_wb(l->items);
    l->items->items[l->length++] = rpy_w_from_ptr(n);
}

static void check_list(const struct rpy_list *l, int n)
{
    ck_assert_int_eq(l->length, n);
    for (int i = 0; i < n; i++)
        ck_assert_int_eq(((const struct node *)rpy_w_to_ptr(l->items->items[i]))->value, i);
    for (rpy_int i = n; i < l->items->length; i++)
        ck_assert_uint_eq(l->items->items[i], 0);
}

static void grow_list(int n)
{
    struct rpy_list *l = rpy_list_new_cap(&ti_list_node, 0);
    RPY_ROOT(l);
    for (int i = 0; i < n; i++) {
        struct node *nd = new_node(i, NULL, NULL);
        append_node(l, nd);
        if (i % 50000 == 0)
            rt_gc_minor_collect();
    }
    check_list(l, n);
    rpy_gc_collect();
    check_list(l, n);
}

START_TEST(gc_grow_array)
{
    rt_gc_init();
    grow_list(300000); /* ends as a large, realloc'd array */
    ck_assert_uint_ge(stats().minor_collections, 6);
}
END_TEST

/* ---- identity ---- */

/* Old and prebuilt objects are their address; a young object is the
 * address it will be promoted to, and is promoted there. */
START_TEST(gc_identity_stable)
{
    rt_gc_init();
    struct node *old = new_node(1, NULL, NULL);
    RPY_ROOT(old);
    rt_gc_minor_collect();
    ck_assert(!rt_gc_is_young(old));
    ck_assert_int_eq(rpy_gc_id(old), (rpy_int)(uintptr_t)old);
    ck_assert_int_eq(rpy_gc_id(&prebuilt_node), (rpy_int)(uintptr_t)&prebuilt_node);
    struct node *young = new_node(2, old, NULL);
    RPY_ROOT(young);
    ck_assert(rt_gc_is_young(young));
    rpy_int id = rpy_gc_id(young), h = rpy_gc_identity_hash(young);
    ck_assert_int_ne(id, (rpy_int)(uintptr_t)young);
    ck_assert_int_eq(rpy_gc_id(young), id); /* asked again: the same */
    ck_assert_int_ne(id, rpy_gc_id(old));
    ck_assert_int_eq(h, (rpy_int)(((uint64_t)id >> 4) | ((uint64_t)id << 60)));
    rt_gc_minor_collect();
    ck_assert_int_eq((rpy_int)(uintptr_t)young, id); /* moved to its identity */
    ck_assert_int_eq(rpy_gc_id(young), id);
    ck_assert_int_eq(rpy_gc_identity_hash(young), h);
    ck_assert_int_eq(young->value, 2);
    ck_assert_ptr_eq(young->left, old);
    rpy_gc_collect();
    ck_assert_int_eq((rpy_int)(uintptr_t)young, id);
    ck_assert_int_eq(young->value, 2);
}
END_TEST

static void ids_preorder(const struct node *n, rpy_int *ids, size_t *k, bool take)
{
    if (!n)
        return;
    ids[*k] = take ? rpy_gc_id((void *)n) : (rpy_int)(uintptr_t)n;
    (*k)++;
    ids_preorder(n->left, ids, k, take);
    ids_preorder(n->right, ids, k, take);
}

static int cmp_int(const void *a, const void *b)
{
    rpy_int x = *(const rpy_int *)a, y = *(const rpy_int *)b;
    return (x > y) - (x < y);
}

/* Thousands of young objects with identities (the table grows): all
 * distinct, each object promoted to its own; the reservations of those
 * that died young are given back, so the old generation grows by the
 * survivors alone. */
START_TEST(gc_identity_many)
{
    rt_gc_init();
    enum { DEPTH = 12, N = (1 << (DEPTH + 1)) - 1 };
    uint64_t old0 = stats().old_bytes;
    rpy_int next = 0;
    struct node *t = make_tree(DEPTH, &next);
    RPY_ROOT(t);
    rpy_int *ids = malloc(N * sizeof *ids), *sorted = malloc(N * sizeof *ids), *now = malloc(N * sizeof *ids);
    size_t k = 0;
    ids_preorder(t, ids, &k, true);
    ck_assert_uint_eq(k, N);
    for (int i = 0; i < 5000; i++) { /* garbage with identities */
        struct node *g = new_node(i, NULL, NULL);
        rpy_gc_identity_hash(g);
    }
    memcpy(sorted, ids, N * sizeof *ids);
    qsort(sorted, N, sizeof *sorted, cmp_int);
    for (size_t i = 1; i < N; i++)
        ck_assert_int_ne(sorted[i - 1], sorted[i]);
    rt_gc_minor_collect();
    ck_assert_uint_eq(stats().old_bytes - old0, (uint64_t)N * sizeof(struct node));
    ck_assert(tree_ok(t, DEPTH));
    k = 0;
    ids_preorder(t, now, &k, false);
    for (size_t i = 0; i < N; i++)
        ck_assert_int_eq(now[i], ids[i]);
    rpy_gc_collect();
    k = 0;
    ids_preorder(t, now, &k, true);
    for (size_t i = 0; i < N; i++)
        ck_assert_int_eq(now[i], ids[i]);
    free(ids);
    free(sorted);
    free(now);
}
END_TEST

/* Stress mode: every allocation collects (a major one every 256), so each
 * object is young only until the next allocation. */
START_TEST(gc_identity_stress)
{
    setenv("RPY_GC_STRESS", "1", 1);
    rt_gc_init();
    enum { N = 2000 };
    struct rpy_array *keep = rpy_malloc(&rpy_ti_array_gc, sizeof(struct rpy_array) + N * sizeof(rpy_word));
    keep->length = N;
    RPY_ROOT(keep);
    rpy_int *ids = malloc(N * sizeof *ids), *hashes = malloc(N * sizeof *ids);
    for (int i = 0; i < N; i++) {
        struct node *n = new_node(i, NULL, NULL);
        ck_assert(rt_gc_is_young(n));
        ids[i] = rpy_gc_id(n);
        hashes[i] = rpy_gc_identity_hash(n);
        rpy_gc_wb(keep);
        keep->items[i] = rpy_w_from_ptr(n);
        struct node *g = new_node(-i, NULL, NULL); /* garbage with an identity */
        rpy_gc_id(g);
    }
    rpy_gc_collect();
    for (int i = 0; i < N; i++) {
        struct node *n = rpy_w_to_ptr(keep->items[i]);
        ck_assert_int_eq((rpy_int)(uintptr_t)n, ids[i]);
        ck_assert_int_eq(rpy_gc_identity_hash(n), hashes[i]);
        ck_assert_int_eq(n->value, i);
    }
    ck_assert_uint_le(stats().old_bytes, (uint64_t)N * sizeof(struct node) + (1u << 20));
    free(ids);
    free(hashes);
}
END_TEST

/* A young array with an identity keeps its size: growth copies it. */
START_TEST(gc_identity_no_growth_in_place)
{
    rt_gc_init();
    struct rpy_array *a = rpy_malloc(&rpy_ti_array_raw, sizeof(struct rpy_array) + 8 * sizeof(rpy_word));
    a->length = 8;
    struct rpy_array *grown = rt_gc_grow_array(a, 16, &rpy_ti_array_raw);
    if (!RPY_GC_ASAN)
        ck_assert_ptr_eq(grown, a); /* the newest object: in place (under ASan nothing grows in place) */
    struct rpy_array *b = rpy_malloc(&rpy_ti_array_raw, sizeof(struct rpy_array) + 8 * sizeof(rpy_word));
    b->length = 8;
    b->items[7] = 77;
    rpy_gc_id(b);
    struct rpy_array *c = rt_gc_grow_array(b, 16, &rpy_ti_array_raw);
    ck_assert_ptr_ne(c, b);
    ck_assert_int_eq(c->length, 16);
    ck_assert_int_eq((rpy_int)c->items[7], 77);
    rt_gc_minor_collect(); /* b died young: its reservation goes back */
    ck_assert_uint_eq(stats().old_bytes, 0);
}
END_TEST

/* ---- environment ---- */

START_TEST(gc_nursery_env)
{
    static const struct {
        const char *text;
        uint64_t bytes;
    } cases[] = {{"262144", 262144}, {"256k", 262144}, {"1M", 1 << 20}, {"1G", 1 << 30}, {"9G", 1 << 30},
                 {"1", 4096}, {"12q", 4 << 20}, {"", 4 << 20}};
    int i = _i;
    setenv("RPY_GC_NURSERY", cases[i].text, 1);
    rt_gc_init();
    ck_assert_uint_eq(stats().nursery_bytes, cases[i].bytes);
    struct node *n = new_node(1, NULL, NULL); /* works with any nursery */
    RPY_ROOT(n);
    struct rpy_str *s = rt_str_alloc(10000, 10000); /* more than a 4k nursery */
    RPY_ROOT(s);
    memset(s->data, 'y', 10000);
    for (int k = 0; k < 20000; k++)
        new_node(k, NULL, NULL);
    rpy_gc_collect();
    ck_assert_int_eq(n->value, 1);
    ck_assert_int_eq((int)strspn(s->data, "y"), 10000);
}
END_TEST

static char child_err[4096];

/* Runs fn in a child process, its stderr captured; returns the wait status. */
static int run_child(void (*fn)(void))
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        fn();
        _exit(0);
    }
    close(fds[1]);
    size_t n = 0;
    ssize_t k;
    while ((k = read(fds[0], child_err + n, sizeof child_err - 1 - n)) > 0)
        n += (size_t)k;
    child_err[n] = 0;
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    return status;
}

static void stats_child(void)
{
    setenv("RPY_GC_STATS", "1", 1);
    setenv("RPY_GC_NURSERY", "1M", 1);
    rt_gc_init();
    for (int i = 0; i < 100000; i++)
        new_node(i, NULL, NULL);
    rpy_gc_collect();
    rt_gc_report();
}

START_TEST(gc_stats_report)
{
    int status = run_child(stats_child);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    unsigned long long minor, major, bytes;
    double mib;
    static const char format[] = "rpy gc: %llu bytes allocated; %llu minor, %llu major collections; peak heap %lf MiB";
    ck_assert_int_eq(sscanf(child_err, format, &bytes, &minor, &major, &mib), 4);
    ck_assert_uint_ge(minor, 4);
    ck_assert_uint_eq(major, 1);
    ck_assert_uint_eq(bytes, 100000 * sizeof(struct node));
    ck_assert(mib > 0.1 && mib < 3);
}
END_TEST

/* ---- stress mode ---- */

START_TEST(gc_stress_mode)
{
    setenv("RPY_GC_STRESS", "1", 1);
    rt_gc_init();
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rpy_int next = 0;
    struct node *t = make_tree(12, &next); /* 8191 nodes */
    RPY_ROOT(t);
    ck_assert(tree_ok(t, 12));
    struct rt_gc_stats s = stats();
    ck_assert_uint_eq(s.minor_collections, 8191);
    ck_assert_uint_ge(s.major_collections, 8191 / 256);
    grow_list(3000);
    struct rpy_dict *d = rpy_dict_new(&ti_dict_si); /* one allocation, then an old dict */
    RPY_ROOT(d);
    ck_assert(tree_ok(t, 12));
    for (int i = 0; i < 30000; i++) /* garbage */
        new_node(i, t, t);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    ck_assert_msg(secs < 20, "stress mode took %.1f s", secs);
    ck_assert(tree_ok(t, 12));
    ck_assert_int_eq(d->used, 0);
}
END_TEST

static void stale_pointer_child(void)
{
    setenv("RPY_GC_STRESS", "1", 1);
    rt_gc_init();
    struct node *n = new_node(1, NULL, NULL); /* not rooted */
    new_node(2, NULL, NULL);                  /* n moved (or died) */
    volatile rpy_int v = n->value;            /* faults */
    (void)v;
}

START_TEST(gc_stress_stale_pointer_faults)
{
    int status = run_child(stale_pointer_child);
    ck_assert_msg(!(WIFEXITED(status) && WEXITSTATUS(status) == 0), "a stale pointer was read without a fault");
}
END_TEST

/* An overflow past a young object runs into an inaccessible page. */
static void overflow_child(void)
{
    setenv("RPY_GC_STRESS", "1", 1);
    rt_gc_init();
    struct node *n = new_node(1, NULL, NULL);
    volatile char *p = (volatile char *)n;
    p[sizeof *n] = 1;
}

START_TEST(gc_stress_overflow_faults)
{
    int status = run_child(overflow_child);
    ck_assert_msg(!(WIFEXITED(status) && WEXITSTATUS(status) == 0), "an overflow went unnoticed");
}
END_TEST

/* Each test starts from the defaults; those that want a switch set it. */
static void clear_env(void)
{
    unsetenv("RPY_GC_STRESS");
    unsetenv("RPY_GC_NURSERY");
    unsetenv("RPY_GC_STATS");
}

static Suite *gc_suite(void)
{
    Suite *s = suite_create("rt_gc");
    TCase *tc = tcase_create("gc");
    tcase_set_timeout(tc, 120); /* big heaps; slow under ASan */
    tcase_add_checked_fixture(tc, clear_env, NULL);
    tcase_add_test(tc, gc_shadow_stack_root);
    tcase_add_test(tc, gc_runtime_root);
    tcase_add_test(tc, gc_global_and_static_roots);
    tcase_add_test(tc, gc_exception_root);
    tcase_add_test(tc, gc_prebuilt_object);
    tcase_add_test(tc, gc_remembered_set);
    tcase_add_test(tc, gc_precise_fields);
    tcase_add_test(tc, gc_sharing_kept);
    tcase_add_test(tc, gc_fresh_memory_zeroed);
    tcase_add_test(tc, gc_out_of_line_twins);
    tcase_add_test(tc, gc_garbage_reclaimed);
    tcase_add_test(tc, gc_old_memory_reused);
    tcase_add_test(tc, gc_dict_moves);
    tcase_add_test(tc, gc_dict_large_block);
    tcase_add_test(tc, gc_set_moves);
    tcase_add_test(tc, gc_long_linked_list);
    tcase_add_test(tc, gc_large_objects);
    tcase_add_test(tc, gc_grow_array);
    tcase_add_loop_test(tc, gc_nursery_env, 0, 8);
    tcase_add_test(tc, gc_stats_report);
    tcase_add_test(tc, gc_stress_mode);
    tcase_add_test(tc, gc_stress_stale_pointer_faults);
    tcase_add_test(tc, gc_stress_overflow_faults);
    tcase_add_test(tc, gc_identity_stable);
    tcase_add_test(tc, gc_identity_many);
    tcase_add_test(tc, gc_identity_stress);
    tcase_add_test(tc, gc_identity_no_growth_in_place);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(gc_suite());
    srunner_set_fork_status(sr, CK_FORK); /* each test starts the collector afresh */
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
