/* test_rt_instance.c - instances in the generic operations, as CPython
 * treats them: ==, !=, ordering, hash and truth through the special
 * methods of the object's dynamic class (struct rpy_classinfo), identity
 * where the class defines none, and the containers built on them: dict
 * and set keys with and without __hash__, list index/count/remove/in,
 * container == and ordering, sorting by __lt__ (stable, reverse, the
 * reflected __gt__), min/max, CPython's TypeError and ValueError
 * messages, and a user method that raises stopping the operation.
 *
 * The classes are fake: type infos and class infos written here, whose
 * methods are C functions that behave as compiled methods do. They
 * allocate and now and then run a minor or a major collection (churn),
 * so the runtime's roots across the calls are tested; they root their
 * own arguments for that, as the shadow stack would. A method that
 * raises calls rpy_raise with an instance of MyError (a class of this
 * file): the unit tests have no compiled program, so a built-in
 * exception would print its error and exit, which the error tests check
 * in a child process instead.
 *
 * The same workloads run under a normal nursery and, in gc_stress_*, with
 * RPY_GC_STRESS=1 set before the collector starts (a collection at every
 * allocation: a stale pointer faults); the whole binary may also run
 * under RPY_GC_STRESS=1. Everything a test holds across an allocation is
 * rooted. */
#include "runtime/rt_internal.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

enum {
    TID_POINT = RPY_TID_FIRST_PROGRAM,
    TID_PLAIN,
    TID_ITEM,
    TID_GTONLY,
    TID_RAISER,
    TID_UNHASHABLE,
    TID_BOOLY,
    TID_SIZED,
    TID_BASE,
    TID_LEFT,
    TID_RIGHT,
    TID_MYERR,
    TID_NE,
    TID_LIST_POINT,
    TID_DICT_POINT_INT,
    TID_SET_POINT,
    TID_LIST_PLAIN,
    TID_DICT_PLAIN_INT,
    TID_SET_PLAIN,
    TID_LIST_ITEM,
    TID_LIST_GTONLY,
    TID_LIST_RAISER,
    TID_DICT_RAISER_INT,
    TID_SET_RAISER,
    TID_TUPLE_POINT_INT,
    TID_TUPLE_RAISER_INT,
    TID_LIST_TUPLE_PI,
    TID_LIST_BASE,
    TID_DICT_BASE_INT,
    TID_DICT_UNHASHABLE_INT,
};

/* Every fake class has two int fields. */
struct obj {
    struct rpy_hdr hdr;
    rpy_int a, b;
};

static const uint32_t obj_offsets[] = {offsetof(struct obj, a), offsetof(struct obj, b)};
static const struct rpy_typeinfo *const obj_fields[] = {&rpy_ti_int, &rpy_ti_int};
#define OBJ_TI(tid_, name_, ci)                                                                       \
    {.kind = RPY_K_INSTANCE, .tid = (tid_), .size = sizeof(struct obj), .nitems = 2, .name = (name_), \
     .offsets = obj_offsets, .fields = obj_fields, .cls = (ci)}

/* ---- what the methods share: call counts, churn, raising ---- */

static int n_eq, n_ne, n_hash, n_lt, n_gt, n_repr, n_bool, n_len;
static unsigned churn_count;

/* An allocation, and every so often a collection: what a compiled
 * method's body may do to the runtime that called it. */
static void churn(void)
{
    churn_count++;
    if (churn_count % 13 == 0)
        rt_gc_minor_collect();
    else if (churn_count % 97 == 0)
        rpy_gc_collect();
    else
        rpy_str_from_cstr("garbage made by a method");
}

static const struct rpy_classinfo ci_myerr = {.name = "MyError", .flags = RPY_CLS_EXCEPTION};
static const uint32_t myerr_offsets[] = {offsetof(struct rpy_exc_base, msg)};
static const struct rpy_typeinfo *const myerr_fields[] = {&rpy_ti_str};
static const struct rpy_typeinfo ti_myerr = {
    .kind = RPY_K_INSTANCE, .tid = TID_MYERR, .size = sizeof(struct rpy_exc_base), .nitems = 1,
    .name = "MyError", .offsets = myerr_offsets, .fields = myerr_fields, .cls = &ci_myerr};

/* `raise MyError()` in a method. */
static void raise_myerr(void)
{
    struct rpy_exc_base *e = rpy_malloc(&ti_myerr, sizeof *e);
    rpy_raise(e);
}

/* The pending exception is a MyError: caught (cleared). */
static bool caught_myerr(void)
{
    struct rpy_hdr *e = rpy_exc_fetch();
    return e && e->tid == TID_MYERR;
}

static struct obj *O(void *p) { return p; }

/* ---- Point: __eq__, __hash__ (x alone: equal x collide), __lt__, __repr__ ---- */

static rpy_bool point_eq(void *self, void *other)
{
    RPY_ROOT(self);
    RPY_ROOT(other);
    n_eq++;
    churn();
    return O(self)->a == O(other)->a && O(self)->b == O(other)->b;
}

static rpy_int point_hash(void *self)
{
    RPY_ROOT(self);
    n_hash++;
    churn();
    return O(self)->a;
}

static rpy_bool point_lt(void *self, void *other)
{
    RPY_ROOT(self);
    RPY_ROOT(other);
    n_lt++;
    churn();
    struct obj *p = self, *q = other;
    return p->a < q->a || (p->a == q->a && p->b < q->b);
}

static struct rpy_str *point_repr(void *self)
{
    char buf[64];
    n_repr++;
    snprintf(buf, sizeof buf, "P(%lld, %lld)", (long long)O(self)->a, (long long)O(self)->b);
    return rpy_str_from_cstr(buf);
}

static const struct rpy_classinfo ci_point = {
    .name = "Point", .repr = point_repr, .eq = point_eq, .lt = point_lt, .hash = point_hash};
static const struct rpy_typeinfo ti_point = OBJ_TI(TID_POINT, "Point", &ci_point);

/* ---- Plain: no special method at all (identity) ---- */

static const struct rpy_classinfo ci_plain = {.name = "Plain"};
static const struct rpy_typeinfo ti_plain = OBJ_TI(TID_PLAIN, "Plain", &ci_plain);

/* ---- Item: __lt__ on a alone (b numbers the items: stability) ---- */

static rpy_bool item_lt(void *self, void *other)
{
    RPY_ROOT(self);
    RPY_ROOT(other);
    n_lt++;
    churn();
    return O(self)->a < O(other)->a;
}

static const struct rpy_classinfo ci_item = {.name = "Item", .lt = item_lt};
static const struct rpy_typeinfo ti_item = OBJ_TI(TID_ITEM, "Item", &ci_item);

/* ---- GtOnly: __gt__ and nothing else (a < b is b.__gt__(a)) ---- */

static rpy_bool gtonly_gt(void *self, void *other)
{
    RPY_ROOT(self);
    RPY_ROOT(other);
    n_gt++;
    churn();
    return O(self)->a > O(other)->a;
}

static const struct rpy_classinfo ci_gtonly = {.name = "GtOnly", .gt = gtonly_gt};
static const struct rpy_typeinfo ti_gtonly = OBJ_TI(TID_GTONLY, "GtOnly", &ci_gtonly);

/* ---- Raiser: every method raises MyError (after allocating), and
 * returns a dummy that would mislead a caller that did not check ---- */

static rpy_bool raiser_eq(void *self, void *other)
{
    n_eq++;
    raise_myerr();
    return true;
}

static rpy_bool raiser_lt(void *self, void *other)
{
    n_lt++;
    raise_myerr();
    return true;
}

/* a == 0: hashes to 1 (so Raisers collide); a == 1: raises. */
static rpy_int raiser_hash(void *self)
{
    n_hash++;
    if (O(self)->a == 0)
        return 1;
    raise_myerr();
    return 1;
}

static struct rpy_str *raiser_repr(void *self)
{
    n_repr++;
    raise_myerr();
    return NULL;
}

static rpy_bool raiser_bool(void *self)
{
    n_bool++;
    raise_myerr();
    return true;
}

static const struct rpy_classinfo ci_raiser = {.name = "Raiser", .repr = raiser_repr, .eq = raiser_eq,
                                               .lt = raiser_lt, .hash = raiser_hash, .bool_ = raiser_bool};
static const struct rpy_typeinfo ti_raiser = OBJ_TI(TID_RAISER, "Raiser", &ci_raiser);

/* ---- Unhashable: __eq__ without __hash__, in a module ---- */

static const struct rpy_classinfo ci_unhashable = {
    .name = "shapes.Unhashable", .flags = RPY_CLS_UNHASHABLE, .eq = point_eq};
static const struct rpy_typeinfo ti_unhashable = OBJ_TI(TID_UNHASHABLE, "Unhashable", &ci_unhashable);

/* ---- truth: Booly has __bool__ (a != 0) and __len__ (b); Sized __len__ (b) ---- */

static rpy_bool booly_bool(void *self)
{
    RPY_ROOT(self);
    n_bool++;
    churn();
    return O(self)->a != 0;
}

static rpy_int sized_len(void *self)
{
    RPY_ROOT(self);
    n_len++;
    churn();
    return O(self)->b;
}

static const struct rpy_classinfo ci_booly = {.name = "Booly", .bool_ = booly_bool, .len = sized_len};
static const struct rpy_typeinfo ti_booly = OBJ_TI(TID_BOOLY, "Booly", &ci_booly);
static const struct rpy_classinfo ci_sized = {.name = "Sized", .len = sized_len};
static const struct rpy_typeinfo ti_sized = OBJ_TI(TID_SIZED, "Sized", &ci_sized);

/* ---- a static type Base and two subclasses: the dynamic class decides.
 * Left (in module geo) has __eq__ and __hash__ on a, Right nothing. ---- */

static rpy_bool left_eq(void *self, void *other)
{
    n_eq++;
    return O(self)->a == O(other)->a;
}

static rpy_int left_hash(void *self)
{
    n_hash++;
    return O(self)->a == -1 ? -1 : O(self)->a * 7;
}

static const struct rpy_classinfo ci_base = {.name = "Base"};
static const struct rpy_typeinfo ti_base = OBJ_TI(TID_BASE, "Base", &ci_base);
static const struct rpy_classinfo ci_left = {.name = "geo.Left", .eq = left_eq, .hash = left_hash};
static const struct rpy_typeinfo ti_left = OBJ_TI(TID_LEFT, "Left", &ci_left);
static const struct rpy_classinfo ci_right = {.name = "Right"};
static const struct rpy_typeinfo ti_right = OBJ_TI(TID_RIGHT, "Right", &ci_right);

/* ---- Ne: __ne__ of its own (always true), __eq__ on a ---- */
static rpy_bool always_ne(void *self, void *other)
{
    n_ne++;
    return true;
}
static const struct rpy_classinfo ci_ne = {.name = "Ne", .eq = left_eq, .ne = always_ne};
static const struct rpy_typeinfo ti_ne = OBJ_TI(TID_NE, "Ne", &ci_ne);

/* ---- containers ---- */

#define LIST_TI(tid_, item_) {.kind = RPY_K_LIST, .tid = (tid_), .size = sizeof(struct rpy_list), .name = "list", .item = (item_)}
#define DICT_TI(tid_, key_, value_) \
    {.kind = RPY_K_DICT, .tid = (tid_), .size = sizeof(struct rpy_dict), .name = "dict", .item = (key_), .value = (value_)}
#define SET_TI(tid_, item_) {.kind = RPY_K_SET, .tid = (tid_), .size = sizeof(struct rpy_set), .name = "set", .item = (item_)}

static const struct rpy_typeinfo ti_list_point = LIST_TI(TID_LIST_POINT, &ti_point);
static const struct rpy_typeinfo ti_dict_point_int = DICT_TI(TID_DICT_POINT_INT, &ti_point, &rpy_ti_int);
static const struct rpy_typeinfo ti_set_point = SET_TI(TID_SET_POINT, &ti_point);
static const struct rpy_typeinfo ti_list_plain = LIST_TI(TID_LIST_PLAIN, &ti_plain);
static const struct rpy_typeinfo ti_dict_plain_int = DICT_TI(TID_DICT_PLAIN_INT, &ti_plain, &rpy_ti_int);
static const struct rpy_typeinfo ti_set_plain = SET_TI(TID_SET_PLAIN, &ti_plain);
static const struct rpy_typeinfo ti_list_item = LIST_TI(TID_LIST_ITEM, &ti_item);
static const struct rpy_typeinfo ti_list_gtonly = LIST_TI(TID_LIST_GTONLY, &ti_gtonly);
static const struct rpy_typeinfo ti_list_raiser = LIST_TI(TID_LIST_RAISER, &ti_raiser);
static const struct rpy_typeinfo ti_dict_raiser_int = DICT_TI(TID_DICT_RAISER_INT, &ti_raiser, &rpy_ti_int);
static const struct rpy_typeinfo ti_set_raiser = SET_TI(TID_SET_RAISER, &ti_raiser);
static const struct rpy_typeinfo *const tuple_pi_items[] = {&ti_point, &rpy_ti_int};
static const struct rpy_typeinfo ti_tuple_pi = {
    .kind = RPY_K_TUPLE, .tid = TID_TUPLE_POINT_INT, .size = sizeof(struct rpy_tuple) + 2 * sizeof(rpy_word),
    .nitems = 2, .name = "tuple", .items = tuple_pi_items};
static const struct rpy_typeinfo *const tuple_ri_items[] = {&ti_raiser, &rpy_ti_int};
static const struct rpy_typeinfo ti_tuple_ri = {
    .kind = RPY_K_TUPLE, .tid = TID_TUPLE_RAISER_INT, .size = sizeof(struct rpy_tuple) + 2 * sizeof(rpy_word),
    .nitems = 2, .name = "tuple", .items = tuple_ri_items};
static const struct rpy_typeinfo ti_list_tuple_pi = LIST_TI(TID_LIST_TUPLE_PI, &ti_tuple_pi);
static const struct rpy_typeinfo ti_list_base = LIST_TI(TID_LIST_BASE, &ti_base);
static const struct rpy_typeinfo ti_dict_base_int = DICT_TI(TID_DICT_BASE_INT, &ti_base, &rpy_ti_int);
static const struct rpy_typeinfo ti_dict_unhashable_int =
    DICT_TI(TID_DICT_UNHASHABLE_INT, &ti_unhashable, &rpy_ti_int);

const struct rpy_typeinfo *const rpy_typetable[] = {
    NULL, &rpy_ti_str, &rpy_ti_array_raw, &rpy_ti_array_gc,
    [TID_POINT] = &ti_point, [TID_PLAIN] = &ti_plain, [TID_ITEM] = &ti_item, [TID_GTONLY] = &ti_gtonly,
    [TID_RAISER] = &ti_raiser, [TID_UNHASHABLE] = &ti_unhashable, [TID_BOOLY] = &ti_booly,
    [TID_SIZED] = &ti_sized, [TID_BASE] = &ti_base, [TID_LEFT] = &ti_left, [TID_RIGHT] = &ti_right,
    [TID_MYERR] = &ti_myerr, [TID_NE] = &ti_ne, [TID_LIST_POINT] = &ti_list_point, [TID_DICT_POINT_INT] = &ti_dict_point_int,
    [TID_SET_POINT] = &ti_set_point, [TID_LIST_PLAIN] = &ti_list_plain,
    [TID_DICT_PLAIN_INT] = &ti_dict_plain_int, [TID_SET_PLAIN] = &ti_set_plain,
    [TID_LIST_ITEM] = &ti_list_item, [TID_LIST_GTONLY] = &ti_list_gtonly,
    [TID_LIST_RAISER] = &ti_list_raiser, [TID_DICT_RAISER_INT] = &ti_dict_raiser_int,
    [TID_SET_RAISER] = &ti_set_raiser, [TID_TUPLE_POINT_INT] = &ti_tuple_pi,
    [TID_TUPLE_RAISER_INT] = &ti_tuple_ri, [TID_LIST_TUPLE_PI] = &ti_list_tuple_pi,
    [TID_LIST_BASE] = &ti_list_base, [TID_DICT_BASE_INT] = &ti_dict_base_int,
    [TID_DICT_UNHASHABLE_INT] = &ti_dict_unhashable_int,
};
const uint32_t rpy_ntypes = sizeof rpy_typetable / sizeof rpy_typetable[0];

/* ---- helpers ---- */

static rpy_word W(const void *p) { return rpy_w_from_ptr(p); }

static void *new_obj(const struct rpy_typeinfo *ti, rpy_int a, rpy_int b)
{
    struct obj *o = rpy_malloc(ti, sizeof *o);
    o->a = a;
    o->b = b;
    return o;
}

static void append_new(struct rpy_list *l, const struct rpy_typeinfo *ti, rpy_int a, rpy_int b)
{
    RPY_ROOT(l);
    rpy_word w = W(new_obj(ti, a, b));
    rpy_list_append(l, w);
}

static struct obj *item_at(const struct rpy_list *l, rpy_int i) { return rpy_w_to_ptr(rpy_list_getitem(l, i)); }

/* repr(v), copied out (valid until the next call). */
static const char *R(rpy_word v, const struct rpy_typeinfo *ti)
{
    static char text[4096];
    struct rpy_str *s = rpy_repr_of(v, ti);
    snprintf(text, sizeof text, "%s", s->data);
    return text;
}

static void reset_counts(void) { n_eq = n_ne = n_hash = n_lt = n_gt = n_repr = n_bool = n_len = 0; }

static char err_text[8192];

static int run_child(void (*fn)(void))
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
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
    while ((k = read(fds[0], err_text + n, sizeof err_text - 1 - n)) > 0)
        n += (size_t)k;
    err_text[n] = 0;
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void expect_error(void (*fn)(void), const char *last)
{
    int status = run_child(fn);
    char want[1024];
    snprintf(want, sizeof want, "Traceback (most recent call last):\n%s\n", last);
    ck_assert_int_eq(status, 1);
    ck_assert_str_eq(err_text, want);
}

/* ------------------------------------------------------------------ */
/* The workloads (also run in stress mode)                              */
/* ------------------------------------------------------------------ */

/* dict[Point, int]: keys equal by value, hashes that collide (x alone),
 * equal but distinct objects replacing values, lookups with fresh keys. */
static void dict_of_points(void)
{
    struct rpy_dict *d = rpy_dict_new(&ti_dict_point_int);
    RPY_ROOT(d);
    for (rpy_int i = 0; i < 60; i++) {
        void *k = new_obj(&ti_point, i % 6, i % 10);
        rpy_dict_setitem(d, W(k), (rpy_word)i);
    }
    ck_assert_int_eq(rpy_dict_len(d), 30); /* (i % 6, i % 10) repeats with period 30 */
    for (rpy_int i = 0; i < 30; i++) {
        void *k = new_obj(&ti_point, i % 6, i % 10);
        RPY_ROOT(k);
        ck_assert(rpy_dict_contains(d, W(k)));
        ck_assert_int_eq((rpy_int)rpy_dict_getitem(d, W(k)), i + 30);
    }
    void *absent = new_obj(&ti_point, 2, 3); /* x = 2 collides, (2, 3) is not a key */
    RPY_ROOT(absent);
    ck_assert(!rpy_dict_contains(d, W(absent)));
    ck_assert_int_eq((rpy_int)rpy_dict_get(d, W(absent), 77), 77);
    void *k = new_obj(&ti_point, 1, 1);
    RPY_ROOT(k);
    ck_assert_int_eq((rpy_int)rpy_dict_pop(d, W(k)), 31);
    ck_assert(!rpy_dict_contains(d, W(k)));
    rpy_dict_delitem(d, rpy_w_from_ptr(new_obj(&ti_point, 0, 0)));
    ck_assert_int_eq(rpy_dict_len(d), 28);
    rpy_gc_collect();
    struct rpy_dict *c = rpy_dict_copy(d);
    RPY_ROOT(c);
    ck_assert(rpy_eq(W(c), W(d), &ti_dict_point_int));
    rpy_dict_setitem(c, W(k), 5);
    ck_assert(!rpy_eq(W(c), W(d), &ti_dict_point_int));
    ck_assert(!rpy_exc_occurred());
}

/* dict[Plain, int] and set[Plain]: identity hash and identity equality,
 * kept through minor and major collections while the keys move. */
static void identity_keys(void)
{
    struct rpy_list *keys = rpy_list_new_cap(&ti_list_plain, 0);
    RPY_ROOT(keys);
    struct rpy_dict *d = rpy_dict_new(&ti_dict_plain_int);
    RPY_ROOT(d);
    struct rpy_set *s = rpy_set_new(&ti_set_plain);
    RPY_ROOT(s);
    for (rpy_int i = 0; i < 100; i++) {
        append_new(keys, &ti_plain, i, 0);
        rpy_word k = rpy_list_getitem(keys, i);
        RPY_ROOT_WORD(k, true);
        rpy_int h = rpy_hash(k, &ti_plain);
        rpy_dict_setitem(d, k, (rpy_word)(i * 3));
        rpy_set_add(s, k);
        ck_assert_int_eq(rpy_hash(k, &ti_plain), h);
        if (i % 10 == 3)
            rt_gc_minor_collect();
        if (i % 50 == 7)
            rpy_gc_collect();
        ck_assert_int_eq(rpy_hash(k, &ti_plain), h); /* stable although k moved */
    }
    rt_gc_minor_collect();
    rpy_gc_collect();
    ck_assert_int_eq(rpy_dict_len(d), 100);
    for (rpy_int i = 0; i < 100; i++) {
        rpy_word k = rpy_list_getitem(keys, i);
        ck_assert_int_eq((rpy_int)rpy_dict_getitem(d, k), i * 3);
        ck_assert(rpy_set_contains(s, k));
        ck_assert_int_eq(rpy_hash(k, &ti_plain), rpy_gc_identity_hash(rpy_w_to_ptr(k)));
    }
    void *twin = new_obj(&ti_plain, 5, 0); /* equal fields, another object */
    RPY_ROOT(twin);
    ck_assert(!rpy_dict_contains(d, W(twin)));
    ck_assert(!rpy_set_contains(s, W(twin)));
    ck_assert(!rpy_eq(W(twin), rpy_list_getitem(keys, 5), &ti_plain));
    ck_assert(rpy_eq(W(twin), W(twin), &ti_plain));
    ck_assert_int_eq(rpy_list_index(keys, rpy_list_getitem(keys, 42)), 42);
    ck_assert(!rpy_list_contains(keys, W(twin)));
}

/* set[Point]: duplicates by value collapse, membership by value. */
static void set_of_points(void)
{
    struct rpy_set *s = rpy_set_new(&ti_set_point);
    RPY_ROOT(s);
    for (rpy_int i = 0; i < 40; i++) {
        void *p = new_obj(&ti_point, i % 4, i % 5);
        rpy_set_add(s, W(p));
    }
    ck_assert_int_eq(rpy_dict_len(&s->d), 20);
    void *p = new_obj(&ti_point, 3, 4);
    RPY_ROOT(p);
    ck_assert(rpy_set_contains(s, W(p)));
    rpy_set_discard(s, W(p));
    ck_assert(!rpy_set_contains(s, W(p)));
    struct rpy_set *t = rpy_set_copy(s);
    RPY_ROOT(t);
    rpy_set_add(t, W(p));
    struct rpy_set *u = rpy_set_difference(t, s);
    ck_assert_str_eq(R(W(u), &ti_set_point), "{P(3, 4)}");
    ck_assert(rpy_compare(W(s), W(t), &ti_set_point, "<") < 0); /* proper subset */
    ck_assert(!rpy_exc_occurred());
}

/* list[Point]: index, count, remove and `in` by value; == and ordering
 * of lists and tuples through the items' methods. */
static void list_of_points(void)
{
    struct rpy_list *l = rpy_list_new_cap(&ti_list_point, 0);
    RPY_ROOT(l);
    for (rpy_int i = 0; i < 12; i++)
        append_new(l, &ti_point, i % 4, 0);
    void *p = new_obj(&ti_point, 2, 0);
    RPY_ROOT(p);
    ck_assert_int_eq(rpy_list_index(l, W(p)), 2);
    ck_assert_int_eq(rpy_list_count(l, W(p)), 3);
    ck_assert(rpy_list_contains(l, W(p)));
    rpy_list_remove(l, W(p));
    ck_assert_int_eq(rpy_list_len(l), 11);
    ck_assert_int_eq(rpy_list_index(l, W(p)), 5);
    ck_assert_int_eq(rpy_list_count(l, W(p)), 2);
    struct rpy_list *c = rpy_list_copy(l);
    RPY_ROOT(c);
    ck_assert(rpy_eq(W(l), W(c), &ti_list_point));
    rpy_list_setitem(c, 10, W(p)); /* P(3, 0) -> P(2, 0): c < l */
    ck_assert(!rpy_eq(W(l), W(c), &ti_list_point));
    ck_assert(rpy_compare(W(c), W(l), &ti_list_point, "<") < 0);
    ck_assert(rpy_compare(W(l), W(c), &ti_list_point, ">") > 0);
    ck_assert(rpy_compare(W(l), W(c), &ti_list_point, "!=") != 0);
    ck_assert(!rpy_exc_occurred());
}

/* Sorting by __lt__ is stable, reverse=True keeps equal items in order,
 * and a class with only __gt__ sorts through the reflected method. */
static void sorting(void)
{
    struct rpy_list *l = rpy_list_new_cap(&ti_list_item, 0);
    RPY_ROOT(l);
    for (rpy_int i = 0; i < 150; i++)
        append_new(l, &ti_item, (i * 7) % 10, i);
    rpy_list_sort(l, false);
    for (rpy_int i = 1; i < 150; i++) {
        struct obj *x = item_at(l, i - 1), *y = item_at(l, i);
        ck_assert(x->a < y->a || (x->a == y->a && x->b < y->b));
    }
    rpy_list_sort(l, true);
    for (rpy_int i = 1; i < 150; i++) {
        struct obj *x = item_at(l, i - 1), *y = item_at(l, i);
        ck_assert(x->a > y->a || (x->a == y->a && x->b < y->b));
    }
    struct rpy_list *g = rpy_list_new_cap(&ti_list_gtonly, 0);
    RPY_ROOT(g);
    for (rpy_int i = 0; i < 40; i++)
        append_new(g, &ti_gtonly, (i * 11) % 17, i);
    reset_counts();
    rpy_list_sort(g, false);
    ck_assert_int_gt(n_gt, 0);
    for (rpy_int i = 1; i < 40; i++)
        ck_assert_int_le(item_at(g, i - 1)->a, item_at(g, i)->a);
    /* min and max: item < best, item > best; only __gt__ (and __lt__ reflected) */
    ck_assert_int_eq(O(rpy_w_to_ptr(rpy_list_min(g)))->a, 0);
    ck_assert_int_eq(O(rpy_w_to_ptr(rpy_list_max(g)))->a, 16);
    ck_assert_int_eq(O(rpy_w_to_ptr(rpy_list_max(l)))->a, 9);
    ck_assert_int_eq(O(rpy_w_to_ptr(rpy_list_min(l)))->b, 0); /* the first of the equal minima */
    /* a keyed sort whose keys are tuples holding instances */
    struct rpy_list *pts = rpy_list_new_cap(&ti_list_point, 0);
    RPY_ROOT(pts);
    struct rpy_list *keys = rpy_list_new_cap(&ti_list_tuple_pi, 0);
    RPY_ROOT(keys);
    for (rpy_int i = 0; i < 30; i++) {
        append_new(pts, &ti_point, i, 0);
        void *kp = new_obj(&ti_point, i % 3, 0);
        RPY_ROOT(kp);
        struct rpy_tuple *t = rpy_tuple_new(&ti_tuple_pi); /* fresh: no barrier */
        t->items[0] = W(kp);
        t->items[1] = (rpy_word)(-i);
        rpy_list_append(keys, W(t));
    }
    rpy_list_sort_by_keys(pts, keys, false);
    for (rpy_int i = 0; i < 30; i++) {
        rpy_int want = (i / 10) + 3 * (9 - i % 10); /* by x = j % 3, then by -j */
        ck_assert_int_eq(item_at(pts, i)->a, want);
    }
    ck_assert(!rpy_exc_occurred());
}

/* The class of the object decides, not the static type of the slot. */
static void dynamic_class(void)
{
    struct rpy_dict *d = rpy_dict_new(&ti_dict_base_int);
    RPY_ROOT(d);
    void *l1 = new_obj(&ti_left, 4, 0);
    RPY_ROOT(l1);
    void *l2 = new_obj(&ti_left, 4, 1);
    RPY_ROOT(l2);
    void *r = new_obj(&ti_right, 4, 0);
    RPY_ROOT(r);
    reset_counts();
    ck_assert(rpy_eq(W(l1), W(l2), &ti_base));
    ck_assert_int_eq(n_eq, 1);
    ck_assert_int_eq(rpy_hash(W(l1), &ti_base), 28);
    rpy_dict_setitem(d, W(l1), 1);
    rpy_dict_setitem(d, W(l2), 2);
    rpy_dict_setitem(d, W(r), 3);
    ck_assert_int_eq(rpy_dict_len(d), 2);
    ck_assert_int_eq((rpy_int)rpy_dict_getitem(d, W(l1)), 2);
    ck_assert(!rpy_eq(W(r), W(l1), &ti_base)); /* Right has no __eq__: identity */
    struct obj *m = new_obj(&ti_left, -1, 0);
    ck_assert_int_eq(rpy_hash(W(m), &ti_base), -2); /* __hash__ returning -1 */
}

static void truth(void)
{
    void *b0 = new_obj(&ti_booly, 0, 5);
    RPY_ROOT(b0);
    void *b1 = new_obj(&ti_booly, 1, 0);
    RPY_ROOT(b1);
    void *s0 = new_obj(&ti_sized, 0, 0);
    RPY_ROOT(s0);
    void *s3 = new_obj(&ti_sized, 0, 3);
    RPY_ROOT(s3);
    void *plain = new_obj(&ti_plain, 0, 0);
    RPY_ROOT(plain);
    reset_counts();
    ck_assert(!rpy_truth(W(b0), &ti_booly)); /* __bool__ wins over __len__ */
    ck_assert(rpy_truth(W(b1), &ti_booly));
    ck_assert_int_eq(n_len, 0);
    ck_assert(!rpy_truth(W(s0), &ti_sized));
    ck_assert(rpy_truth(W(s3), &ti_sized));
    ck_assert_int_eq(n_len, 2);
    ck_assert(rpy_truth(W(plain), &ti_plain));
    ck_assert(!rpy_truth(0, &ti_plain));
    ck_assert(!rpy_exc_occurred());
}

static void run_workloads(void)
{
    dict_of_points();
    identity_keys();
    set_of_points();
    list_of_points();
    sorting();
    dynamic_class();
    truth();
}

/* ------------------------------------------------------------------ */
/* Tests                                                                */
/* ------------------------------------------------------------------ */

START_TEST(inst_eq_ne)
{
    void *p = new_obj(&ti_point, 1, 2);
    RPY_ROOT(p);
    void *q = new_obj(&ti_point, 1, 2);
    RPY_ROOT(q);
    void *r = new_obj(&ti_point, 1, 3);
    RPY_ROOT(r);
    reset_counts();
    ck_assert(rpy_eq(W(p), W(q), &ti_point));
    ck_assert(!rpy_eq(W(p), W(r), &ti_point));
    ck_assert(rpy_eq(W(p), W(p), &ti_point));
    ck_assert_int_eq(n_eq, 3); /* == calls __eq__ even on the same object */
    ck_assert(rpy_compare(W(p), W(r), &ti_point, "!=") != 0); /* no __ne__: not __eq__ */
    ck_assert(rpy_compare(W(p), W(q), &ti_point, "!=") == 0);
    ck_assert(rpy_compare(W(p), W(q), &ti_point, "==") == 0);
    ck_assert_int_eq(n_eq, 6);
    /* None against an instance: identity, no call */
    ck_assert(!rpy_eq(W(p), 0, &ti_point));
    ck_assert(!rpy_eq(0, W(p), &ti_point));
    ck_assert(rpy_eq(0, 0, &ti_point));
    ck_assert_int_eq(n_eq, 6);
    /* no __eq__: identity */
    void *a = new_obj(&ti_plain, 1, 2);
    RPY_ROOT(a);
    void *b = new_obj(&ti_plain, 1, 2);
    ck_assert(!rpy_eq(W(a), W(b), &ti_plain));
    ck_assert(rpy_eq(W(a), W(a), &ti_plain));
    ck_assert(rpy_compare(W(a), W(b), &ti_plain, "!=") != 0);
    /* tuples compare their instance items with __eq__ */
    struct rpy_tuple *t = rpy_tuple_new(&ti_tuple_pi);
    RPY_ROOT(t);
    t->items[0] = W(p);
    t->items[1] = 7;
    struct rpy_tuple *u = rpy_tuple_new(&ti_tuple_pi);
    RPY_ROOT(u);
    rpy_gc_wb(u);
    u->items[0] = W(q);
    u->items[1] = 7;
    ck_assert(rpy_eq(W(t), W(u), &ti_tuple_pi));
    ck_assert_int_eq(rpy_hash(W(t), &ti_tuple_pi), rpy_hash(W(u), &ti_tuple_pi));
    rpy_gc_wb(u);
    u->items[0] = W(r);
    ck_assert(rpy_compare(W(t), W(u), &ti_tuple_pi, "<") < 0); /* P(1, 2) < P(1, 3) */
}
END_TEST

START_TEST(inst_ne_method)
{
    struct obj *x = new_obj(&ti_ne, 1, 0);
    RPY_ROOT(x);
    struct obj *y = new_obj(&ti_right, 1, 0);
    RPY_ROOT(y);
    reset_counts();
    ck_assert(rpy_compare(W(x), W(x), &ti_base, "!=") != 0); /* __ne__ decides, even for x != x */
    ck_assert(rpy_compare(W(x), W(x), &ti_base, "==") == 0);
    ck_assert_int_eq(n_ne, 1);
    ck_assert_int_eq(n_eq, 1);
    ck_assert(rpy_compare(W(y), W(y), &ti_base, "!=") == 0); /* neither: identity */
    ck_assert(rpy_compare(W(y), W(x), &ti_base, "!=") != 0);
    ck_assert_int_eq(n_ne + n_eq, 2);
}
END_TEST

START_TEST(inst_identity_in_containers)
{
    /* An item is equal to itself without a call (CPython's identity
     * shortcut), although its __eq__ may say otherwise. */
    struct rpy_list *l = rpy_list_new_cap(&ti_list_point, 0);
    RPY_ROOT(l);
    for (rpy_int i = 0; i < 5; i++)
        append_new(l, &ti_point, i, 0);
    rpy_word third = rpy_list_getitem(l, 3);
    RPY_ROOT_WORD(third, true);
    reset_counts();
    ck_assert_int_eq(rpy_list_index(l, third), 3);
    ck_assert_int_eq(n_eq, 3); /* items 0..2 compared, item 3 is the object itself */
    struct rpy_dict *d = rpy_dict_new(&ti_dict_point_int);
    RPY_ROOT(d);
    rpy_dict_setitem(d, third, 1);
    reset_counts();
    ck_assert_int_eq((rpy_int)rpy_dict_getitem(d, third), 1);
    ck_assert_int_eq(n_eq, 0);
    ck_assert_int_eq(n_hash, 1);
    struct rpy_list *c = rpy_list_copy(l);
    RPY_ROOT(c);
    reset_counts();
    ck_assert(rpy_eq(W(l), W(c), &ti_list_point));
    ck_assert_int_eq(n_eq, 0);
}
END_TEST

START_TEST(inst_ordering)
{
    void *p = new_obj(&ti_point, 1, 2);
    RPY_ROOT(p);
    void *q = new_obj(&ti_point, 2, 0);
    RPY_ROOT(q);
    reset_counts();
    ck_assert(rpy_compare(W(p), W(q), &ti_point, "<") < 0);
    ck_assert(!(rpy_compare(W(q), W(p), &ti_point, "<") < 0));
    ck_assert(rt_lt(W(p), W(q), &ti_point));
    ck_assert_int_eq(n_lt, 3);
    /* > with no __gt__: q > p is p.__lt__(q), reflected */
    ck_assert(rpy_compare(W(q), W(p), &ti_point, ">") > 0);
    ck_assert(!(rpy_compare(W(p), W(q), &ti_point, ">") > 0));
    ck_assert_int_eq(n_lt, 5);
    /* only __gt__: a < b is b.__gt__(a), a > b a.__gt__(b) */
    void *g1 = new_obj(&ti_gtonly, 1, 0);
    RPY_ROOT(g1);
    void *g2 = new_obj(&ti_gtonly, 2, 0);
    RPY_ROOT(g2);
    reset_counts();
    ck_assert(rpy_compare(W(g1), W(g2), &ti_gtonly, "<") < 0);
    ck_assert(rpy_compare(W(g2), W(g1), &ti_gtonly, ">") > 0);
    ck_assert(!(rpy_compare(W(g1), W(g2), &ti_gtonly, ">") > 0));
    ck_assert_int_eq(n_gt, 3);
    /* max2/min2 as the rtyper uses them */
    ck_assert_ptr_eq(rpy_w_to_ptr(rpy_max2(W(g1), W(g2), &ti_gtonly)), g2);
    ck_assert_ptr_eq(rpy_w_to_ptr(rpy_min2(W(g1), W(g2), &ti_gtonly)), g1);
}
END_TEST

START_TEST(inst_hash)
{
    void *p = new_obj(&ti_point, 9, 2);
    RPY_ROOT(p);
    reset_counts();
    ck_assert_int_eq(rpy_hash(W(p), &ti_point), 9);
    ck_assert_int_eq(n_hash, 1);
    ck_assert_int_eq(rpy_hash(0, &ti_point), rpy_hash(0, &ti_plain)); /* None */
    void *a = new_obj(&ti_plain, 0, 0);
    RPY_ROOT(a);
    rpy_int h = rpy_hash(W(a), &ti_plain), id = rpy_gc_id(a);
    ck_assert_int_ne(h, -1);
    /* CPython's pointer hash of the identity: the address rotated by 4 */
    ck_assert_int_eq(h, (rpy_int)(((uint64_t)id >> 4) | ((uint64_t)id << 60)));
    rt_gc_minor_collect();
    ck_assert_int_eq(rpy_hash(W(a), &ti_plain), h);
    ck_assert_int_eq((rpy_int)(uintptr_t)a, id); /* promoted to the address it was given */
    rpy_gc_collect();
    ck_assert_int_eq(rpy_hash(W(a), &ti_plain), h);
}
END_TEST

START_TEST(inst_repr_in_containers)
{
    struct rpy_list *l = rpy_list_new_cap(&ti_list_point, 0);
    RPY_ROOT(l);
    append_new(l, &ti_point, 1, 2);
    append_new(l, &ti_point, 3, 4);
    ck_assert_str_eq(R(W(l), &ti_list_point), "[P(1, 2), P(3, 4)]");
    struct rpy_list *pl = rpy_list_new_cap(&ti_list_plain, 0);
    RPY_ROOT(pl);
    append_new(pl, &ti_plain, 0, 0);
    void *o = item_at(pl, 0);
    char want[80];
    snprintf(want, sizeof want, "[<__main__.Plain object at %p>]", (void *)(uintptr_t)rpy_gc_id(o));
    ck_assert_str_eq(R(W(pl), &ti_list_plain), want);
    rt_gc_minor_collect();
    ck_assert_str_eq(R(W(pl), &ti_list_plain), want); /* the same address after the move */
}
END_TEST

START_TEST(inst_workloads)
{
    run_workloads();
}
END_TEST

/* The same, with a collection at every allocation. */
START_TEST(gc_stress_workloads)
{
    setenv("RPY_GC_STRESS", "1", 1);
    run_workloads();
    struct rt_gc_stats s;
    rt_gc_get_stats(&s);
    ck_assert_uint_gt(s.major_collections, 0);
}
END_TEST

/* ---- a user method that raises stops the operation ---- */

static struct rpy_list *raisers(int n)
{
    struct rpy_list *l = rpy_list_new_cap(&ti_list_raiser, 0);
    RPY_ROOT(l);
    for (int i = 0; i < n; i++)
        append_new(l, &ti_raiser, 0, i);
    return l;
}

START_TEST(inst_raise_in_eq_stops)
{
    struct rpy_list *l = raisers(4);
    RPY_ROOT(l);
    void *x = new_obj(&ti_raiser, 0, 99);
    RPY_ROOT(x);
    reset_counts();
    (void)rpy_eq(W(x), rpy_list_getitem(l, 0), &ti_raiser);
    ck_assert(caught_myerr());
    /* searches: one call, no ValueError over MyError (which would exit) */
    ck_assert_int_lt(rpy_list_index(l, W(x)), 0);
    ck_assert(caught_myerr());
    ck_assert(!rpy_list_contains(l, W(x)));
    ck_assert(caught_myerr());
    rpy_list_count(l, W(x));
    ck_assert(caught_myerr());
    rpy_list_remove(l, W(x));
    ck_assert(caught_myerr());
    ck_assert_int_eq(rpy_list_len(l), 4);
    ck_assert_int_eq(n_eq, 5);
    /* the object itself is found without a call */
    ck_assert_int_eq(rpy_list_index(l, rpy_list_getitem(l, 0)), 0);
    ck_assert(!rpy_exc_occurred());
    ck_assert_int_eq(n_eq, 5);
    /* list == list, tuple ==, ordering of lists */
    reset_counts();
    struct rpy_list *m = raisers(4);
    RPY_ROOT(m);
    rpy_eq(W(l), W(m), &ti_list_raiser);
    ck_assert(caught_myerr());
    rpy_compare(W(l), W(m), &ti_list_raiser, "<");
    ck_assert(caught_myerr());
    ck_assert_int_eq(n_eq, 2);
    ck_assert_int_eq(n_lt, 0);
    /* dicts: Raisers with a == 0 all hash to 1, so the second key compares */
    struct rpy_dict *d = rpy_dict_new(&ti_dict_raiser_int);
    RPY_ROOT(d);
    rpy_dict_setitem(d, rpy_list_getitem(l, 0), 10);
    ck_assert(!rpy_exc_occurred());
    reset_counts();
    rpy_dict_setitem(d, W(x), 11);
    ck_assert(caught_myerr());
    ck_assert_int_eq(rpy_dict_len(d), 1);
    rpy_dict_getitem(d, W(x)); /* no KeyError */
    ck_assert(caught_myerr());
    ck_assert(!rpy_dict_contains(d, W(x)));
    ck_assert(caught_myerr());
    rpy_dict_delitem(d, W(x));
    ck_assert(caught_myerr());
    rpy_dict_pop(d, W(x));
    ck_assert(caught_myerr());
    rpy_dict_setdefault(d, W(x), 12);
    ck_assert(caught_myerr());
    ck_assert_int_eq(rpy_dict_len(d), 1);
    ck_assert_int_eq(n_eq, 6);
    ck_assert_int_eq((rpy_int)rpy_dict_getitem(d, rpy_list_getitem(l, 0)), 10); /* identity: no call */
    ck_assert(!rpy_exc_occurred());
    /* sets */
    struct rpy_set *s = rpy_set_new(&ti_set_raiser);
    RPY_ROOT(s);
    rpy_set_add(s, rpy_list_getitem(l, 1));
    rpy_set_add(s, W(x));
    ck_assert(caught_myerr());
    ck_assert_int_eq(rpy_dict_len(&s->d), 1);
    rpy_set_remove(s, W(x)); /* no KeyError */
    ck_assert(caught_myerr());
    struct rpy_set *f = rpy_set_from_list(&ti_set_raiser, l);
    ck_assert(caught_myerr());
    ck_assert_int_le(rpy_dict_len(&f->d), 1);
}
END_TEST

START_TEST(inst_raise_in_hash_stops)
{
    void *bad = new_obj(&ti_raiser, 1, 0); /* a == 1: __hash__ raises */
    RPY_ROOT(bad);
    struct rpy_dict *d = rpy_dict_new(&ti_dict_raiser_int);
    RPY_ROOT(d);
    reset_counts();
    rpy_hash(W(bad), &ti_raiser);
    ck_assert(caught_myerr());
    rpy_dict_setitem(d, W(bad), 1);
    ck_assert(caught_myerr());
    ck_assert_int_eq(rpy_dict_len(d), 0);
    rpy_dict_getitem(d, W(bad));
    ck_assert(caught_myerr());
    struct rpy_set *s = rpy_set_new(&ti_set_raiser);
    RPY_ROOT(s);
    rpy_set_add(s, W(bad));
    ck_assert(caught_myerr());
    ck_assert_int_eq(rpy_dict_len(&s->d), 0);
    struct rpy_tuple *t = rpy_tuple_new(&ti_tuple_ri);
    t->items[0] = W(bad);
    rpy_hash(W(t), &ti_tuple_ri);
    ck_assert(caught_myerr());
    ck_assert_int_eq(n_hash, 5);
    ck_assert_int_eq(n_eq, 0);
}
END_TEST

START_TEST(inst_raise_in_lt_stops)
{
    struct rpy_list *l = raisers(50);
    RPY_ROOT(l);
    reset_counts();
    rpy_list_sort(l, false);
    ck_assert(caught_myerr());
    ck_assert_int_eq(n_lt, 1);
    for (rpy_int i = 0; i < 50; i++)
        ck_assert_int_eq(item_at(l, i)->b, i); /* left as it was */
    rpy_list_sort(l, true);
    ck_assert(caught_myerr());
    rpy_list_min(l);
    ck_assert(caught_myerr());
    rpy_list_max(l);
    ck_assert(caught_myerr());
    ck_assert_int_eq(n_lt, 4);
    ck_assert_int_eq(item_at(l, 0)->b, 0);
}
END_TEST

START_TEST(inst_raise_in_repr_and_bool_stops)
{
    struct rpy_list *l = raisers(3);
    RPY_ROOT(l);
    reset_counts();
    rpy_repr_of(W(l), &ti_list_raiser);
    ck_assert(caught_myerr());
    ck_assert_int_eq(n_repr, 1);
    rpy_truth(rpy_list_getitem(l, 0), &ti_raiser);
    ck_assert(caught_myerr());
    ck_assert_int_eq(n_bool, 1);
}
END_TEST

/* ---- CPython's errors (a built-in exception exits: in a child) ---- */

static void lt_plain(void)
{
    void *a = new_obj(&ti_plain, 0, 0);
    RPY_ROOT(a);
    void *b = new_obj(&ti_plain, 0, 0);
    rpy_compare(W(a), W(b), &ti_plain, "<");
}
static void ge_plain(void)
{
    void *a = new_obj(&ti_plain, 0, 0);
    RPY_ROOT(a);
    void *b = new_obj(&ti_plain, 0, 0);
    rpy_compare(W(a), W(b), &ti_plain, ">=");
}
static void lt_left_right(void)
{
    void *a = new_obj(&ti_left, 0, 0);
    RPY_ROOT(a);
    void *b = new_obj(&ti_right, 0, 0);
    rpy_compare(W(a), W(b), &ti_base, "<");
}
static void lt_plain_none(void)
{
    void *a = new_obj(&ti_plain, 0, 0);
    rpy_compare(W(a), 0, &ti_plain, "<=");
}
static void sort_plain(void)
{
    struct rpy_list *l = rpy_list_new_cap(&ti_list_plain, 0);
    RPY_ROOT(l);
    append_new(l, &ti_plain, 0, 0);
    append_new(l, &ti_plain, 1, 0);
    rpy_list_sort(l, false);
}
static void max_plain(void)
{
    struct rpy_list *l = rpy_list_new_cap(&ti_list_plain, 0);
    RPY_ROOT(l);
    append_new(l, &ti_plain, 0, 0);
    append_new(l, &ti_plain, 1, 0);
    rpy_list_max(l);
}
static void hash_unhashable(void)
{
    void *a = new_obj(&ti_unhashable, 0, 0);
    rpy_hash(W(a), &ti_unhashable);
}
static void dict_unhashable(void)
{
    struct rpy_dict *d = rpy_dict_new(&ti_dict_unhashable_int);
    RPY_ROOT(d);
    void *a = new_obj(&ti_unhashable, 0, 0);
    rpy_dict_setitem(d, W(a), 1);
}
static void len_negative(void)
{
    void *a = new_obj(&ti_sized, 0, -1);
    rpy_truth(W(a), &ti_sized);
}
static void index_missing(void)
{
    struct rpy_list *l = rpy_list_new_cap(&ti_list_point, 0);
    RPY_ROOT(l);
    append_new(l, &ti_point, 1, 1);
    void *p = new_obj(&ti_point, 7, 7);
    rpy_list_index(l, W(p));
}
static void remove_missing(void)
{
    struct rpy_list *l = rpy_list_new_cap(&ti_list_point, 0);
    RPY_ROOT(l);
    append_new(l, &ti_point, 1, 1);
    void *p = new_obj(&ti_point, 7, 7);
    rpy_list_remove(l, W(p));
}
static void key_missing(void)
{
    struct rpy_dict *d = rpy_dict_new(&ti_dict_point_int);
    RPY_ROOT(d);
    void *p = new_obj(&ti_point, 7, 1);
    RPY_ROOT(p);
    rpy_dict_setitem(d, W(p), 1);
    void *q = new_obj(&ti_point, 7, 2); /* same hash, not equal */
    rpy_dict_getitem(d, W(q));
}

START_TEST(inst_errors)
{
    expect_error(lt_plain, "TypeError: '<' not supported between instances of 'Plain' and 'Plain'");
    expect_error(ge_plain, "TypeError: '>=' not supported between instances of 'Plain' and 'Plain'");
    expect_error(lt_left_right, "TypeError: '<' not supported between instances of 'Left' and 'Right'");
    expect_error(lt_plain_none, "TypeError: '<=' not supported between instances of 'Plain' and 'NoneType'");
    expect_error(sort_plain, "TypeError: '<' not supported between instances of 'Plain' and 'Plain'");
    expect_error(max_plain, "TypeError: '>' not supported between instances of 'Plain' and 'Plain'");
    expect_error(hash_unhashable, "TypeError: unhashable type: 'Unhashable'");
    expect_error(dict_unhashable, "TypeError: unhashable type: 'Unhashable'");
    expect_error(len_negative, "ValueError: __len__() should return >= 0");
    expect_error(index_missing, "ValueError: P(7, 7) is not in list");
    expect_error(remove_missing, "ValueError: list.remove(x): x not in list");
    expect_error(key_missing, "KeyError: P(7, 2)");
}
END_TEST

static Suite *instance_suite(void)
{
    Suite *s = suite_create("rt_instance");
    TCase *tc = tcase_create("instance");
    tcase_set_timeout(tc, 120); /* stress mode and forks; slow under ASan */
    tcase_add_test(tc, inst_eq_ne);
    tcase_add_test(tc, inst_ne_method);
    tcase_add_test(tc, inst_identity_in_containers);
    tcase_add_test(tc, inst_ordering);
    tcase_add_test(tc, inst_hash);
    tcase_add_test(tc, inst_repr_in_containers);
    tcase_add_test(tc, inst_workloads);
    tcase_add_test(tc, gc_stress_workloads);
    tcase_add_test(tc, inst_raise_in_eq_stops);
    tcase_add_test(tc, inst_raise_in_hash_stops);
    tcase_add_test(tc, inst_raise_in_lt_stops);
    tcase_add_test(tc, inst_raise_in_repr_and_bool_stops);
    tcase_add_test(tc, inst_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(instance_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
