/* test_rt_value.c - the generic operations driven by type info: repr and
 * str of nested containers (CPython's exact text), ==, ordering with
 * CPython's TypeError messages, hash (CPython's values for ints, floats
 * and tuples), truth, and the stdout writers, startup and GC stats.
 *
 * The collector moves objects at any allocation (at every one under
 * RPY_GC_STRESS=1), so the tests follow the runtime's rules: an object
 * used after another allocation is RPY_ROOTed, and no expression holds
 * one new object while making another (C leaves the order of function
 * arguments open); K() gives a str constant outside the heap, as the
 * backend emits for a literal. */
#include "runtime/rt_internal.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

enum {
    TID_LIST_INT = RPY_TID_FIRST_PROGRAM,
    TID_LIST_FLOAT,
    TID_LIST_STR,
    TID_LIST_LIST,
    TID_TUPLE_MIX,
    TID_TUPLE_1,
    TID_TUPLE_0,
    TID_DICT_SL,
    TID_DICT_II,
    TID_SET_INT,
    TID_POINT,
    TID_TUPLE_II,
    TID_LIST_BOOL,
};

#define LIST_TI(tid_, item_) \
    {.kind = RPY_K_LIST, .tid = (tid_), .size = sizeof(struct rpy_list), .name = "list", .item = (item_)}

static const struct rpy_typeinfo ti_list_int = LIST_TI(TID_LIST_INT, &rpy_ti_int);
static const struct rpy_typeinfo ti_list_float = LIST_TI(TID_LIST_FLOAT, &rpy_ti_float);
static const struct rpy_typeinfo ti_list_str = LIST_TI(TID_LIST_STR, &rpy_ti_str);
static const struct rpy_typeinfo ti_list_list = LIST_TI(TID_LIST_LIST, &ti_list_int);
static const struct rpy_typeinfo ti_list_bool = LIST_TI(TID_LIST_BOOL, &rpy_ti_bool);
static const struct rpy_typeinfo *const mix_items[] = {&rpy_ti_int, &rpy_ti_float, &rpy_ti_str, &rpy_ti_none,
                                                       &rpy_ti_bool};
static const struct rpy_typeinfo ti_tuple_mix = {.kind = RPY_K_TUPLE, .tid = TID_TUPLE_MIX, .nitems = 5,
                                                 .name = "tuple", .items = mix_items};
static const struct rpy_typeinfo *const one_items[] = {&rpy_ti_int};
static const struct rpy_typeinfo ti_tuple_1 = {.kind = RPY_K_TUPLE, .tid = TID_TUPLE_1, .nitems = 1,
                                               .name = "tuple", .items = one_items};
static const struct rpy_typeinfo ti_tuple_0 = {.kind = RPY_K_TUPLE, .tid = TID_TUPLE_0, .nitems = 0,
                                               .name = "tuple", .items = NULL};
static const struct rpy_typeinfo *const ii_items[] = {&rpy_ti_int, &rpy_ti_int};
static const struct rpy_typeinfo ti_tuple_ii = {.kind = RPY_K_TUPLE, .tid = TID_TUPLE_II, .nitems = 2,
                                                .name = "tuple", .items = ii_items};
static const struct rpy_typeinfo ti_dict_sl = {.kind = RPY_K_DICT, .tid = TID_DICT_SL, .name = "dict",
                                               .item = &rpy_ti_str, .value = &ti_list_float};
static const struct rpy_typeinfo ti_dict_ii = {.kind = RPY_K_DICT, .tid = TID_DICT_II, .name = "dict",
                                               .item = &rpy_ti_int, .value = &rpy_ti_int};
static const struct rpy_typeinfo ti_set_int = {.kind = RPY_K_SET, .tid = TID_SET_INT, .name = "set",
                                               .item = &rpy_ti_int};
static const struct rpy_typeinfo ti_point = {.kind = RPY_K_INSTANCE, .tid = TID_POINT, .size = 32,
                                             .name = "Point"};

const struct rpy_typeinfo *const rpy_typetable[] = {
    NULL, &rpy_ti_str, &rpy_ti_array_raw, &rpy_ti_array_gc,
    [TID_LIST_INT] = &ti_list_int, [TID_LIST_FLOAT] = &ti_list_float, [TID_LIST_STR] = &ti_list_str,
    [TID_LIST_LIST] = &ti_list_list, [TID_TUPLE_MIX] = &ti_tuple_mix, [TID_TUPLE_1] = &ti_tuple_1,
    [TID_TUPLE_0] = &ti_tuple_0, [TID_DICT_SL] = &ti_dict_sl, [TID_DICT_II] = &ti_dict_ii,
    [TID_SET_INT] = &ti_set_int, [TID_POINT] = &ti_point, [TID_TUPLE_II] = &ti_tuple_ii,
    [TID_LIST_BOOL] = &ti_list_bool,
};
const uint32_t rpy_ntypes = sizeof rpy_typetable / sizeof rpy_typetable[0];

static char child_text[65536];

/* Runs fn in a child with its output fd (1 or 2) going to a pipe; the
 * text lands in child_text; returns the exit status. */
static int run_child_fd(void (*fn)(void), int fd)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], fd);
        close(fds[0]);
        fn();
        exit(0); /* runs the exit hooks, as a program's end does */
    }
    close(fds[1]);
    size_t n = 0;
    ssize_t k;
    while ((k = read(fds[0], child_text + n, sizeof child_text - 1 - n)) > 0)
        n += (size_t)k;
    child_text[n] = 0;
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void expect_error(void (*fn)(void), const char *last)
{
    int status = run_child_fd(fn, 2);
    char want[1024];
    snprintf(want, sizeof want, "Traceback (most recent call last):\n%s\n", last);
    ck_assert_int_eq(status, 1);
    ck_assert_str_eq(child_text, want);
}

static rpy_word W(const void *p) { return rpy_w_from_ptr(p); }
static rpy_word S(const char *s) { return W(rpy_str_from_cstr(s)); }

/* A str constant, as the backend emits for a literal: prebuilt, outside
 * the heap, never moved. */
static rpy_word K(const char *s)
{
    static _Alignas(16) char pool[1 << 16];
    static size_t used;
    size_t n = strlen(s), size = (sizeof(struct rpy_str) + n + 1 + 15) & ~(size_t)15;
    ck_assert(used + size <= sizeof pool);
    struct rpy_str *k = (struct rpy_str *)(pool + used);
    used += size;
    k->hdr.tid = RPY_TID_STR;
    k->hdr.gcflags = RPY_GC_PREBUILT;
    k->hash = -1;
    k->nbytes = (rpy_int)n;
    k->length = rt_utf8_count(s, (rpy_int)n);
    memcpy(k->data, s, n + 1);
    return W(k);
}
static const char *repr(rpy_word v, const struct rpy_typeinfo *ti) { return rpy_repr_of(v, ti)->data; }
static const char *str(rpy_word v, const struct rpy_typeinfo *ti) { return rpy_str_of(v, ti)->data; }

static struct rpy_list *float_list(const double *v, int n)
{
    struct rpy_list *l = rpy_list_new(&ti_list_float, n);
    for (int i = 0; i < n; i++)
        l->items->items[i] = rpy_w_from_float(v[i]);
    return l;
}

static struct rpy_list *int_list(const rpy_int *v, int n)
{
    struct rpy_list *l = rpy_list_new(&ti_list_int, n);
    for (int i = 0; i < n; i++)
        l->items->items[i] = rpy_w_from_int(v[i]);
    return l;
}

static struct rpy_tuple *mix_tuple(rpy_int i, double f, const char *s, bool b)
{
    rpy_word str = S(s);
    RPY_ROOT_WORD(str, true);
    struct rpy_tuple *t = rpy_tuple_new(&ti_tuple_mix);
    t->items[0] = rpy_w_from_int(i);
    t->items[1] = rpy_w_from_float(f);
    t->items[2] = str;
    t->items[4] = rpy_w_from_bool(b);
    return t;
}

/* ---- repr and str ---- */

START_TEST(repr_scalars)
{
    ck_assert_str_eq(repr(rpy_w_from_int(-42), &rpy_ti_int), "-42");
    ck_assert_str_eq(repr(rpy_w_from_float(0.1), &rpy_ti_float), "0.1");
    ck_assert_str_eq(repr(rpy_w_from_float(-0.0), &rpy_ti_float), "-0.0");
    ck_assert_str_eq(repr(1, &rpy_ti_bool), "True");
    ck_assert_str_eq(repr(0, &rpy_ti_none), "None");
    ck_assert_str_eq(repr(S("it's"), &rpy_ti_str), "\"it's\"");
    ck_assert_str_eq(str(S("it's"), &rpy_ti_str), "it's");
    ck_assert_str_eq(repr(0, &rpy_ti_str), "None"); /* a None in a nullable str */
    ck_assert_str_eq(str(0, &rpy_ti_str), "None");
    ck_assert_str_eq(str(rpy_w_from_float(1e16), &rpy_ti_float), "1e+16");
    ck_assert_str_eq(str(0, &rpy_ti_bool), "False");
}
END_TEST

START_TEST(repr_containers)
{
    ck_assert_str_eq(repr(W(mix_tuple(1, 2.5, "a", true)), &ti_tuple_mix), "(1, 2.5, 'a', None, True)");
    struct rpy_tuple *one = rpy_tuple_new(&ti_tuple_1);
    one->items[0] = rpy_w_from_int(7);
    ck_assert_str_eq(repr(W(one), &ti_tuple_1), "(7,)");
    ck_assert_str_eq(repr(W(rpy_tuple_new(&ti_tuple_0)), &ti_tuple_0), "()");

    static const double fv[] = {1.0, -0.0, 0.1, 1e-05, 1e16, NAN, -INFINITY};
    ck_assert_str_eq(repr(W(float_list(fv, 7)), &ti_list_float), "[1.0, -0.0, 0.1, 1e-05, 1e+16, nan, -inf]");
    ck_assert_str_eq(repr(W(rpy_list_new(&ti_list_int, 0)), &ti_list_int), "[]");

    struct rpy_list *strs = rpy_list_new(&ti_list_str, 3);
    RPY_ROOT(strs);
    rpy_word x = S("a'b");
    rpy_list_setitem(strs, 0, x);
    x = S("\u00e9\n");
    rpy_list_setitem(strs, 2, x);
    ck_assert_str_eq(repr(W(strs), &ti_list_str), "[\"a'b\", None, '\u00e9\\n']");
    ck_assert_str_eq(str(W(strs), &ti_list_str), "[\"a'b\", None, '\u00e9\\n']");

    struct rpy_list *nested = rpy_list_new(&ti_list_list, 0);
    RPY_ROOT(nested);
    static const rpy_int a[] = {1, 2}, b[] = {-3};
    x = W(int_list(a, 2));
    rpy_list_append(nested, x);
    x = W(rpy_list_new(&ti_list_int, 0));
    rpy_list_append(nested, x);
    x = W(int_list(b, 1));
    rpy_list_append(nested, x);
    rpy_list_append(nested, 0);
    ck_assert_str_eq(repr(W(nested), &ti_list_list), "[[1, 2], [], [-3], None]");

    struct rpy_dict *d = rpy_dict_new(&ti_dict_sl);
    RPY_ROOT(d);
    static const double kv[] = {1.0, -0.0};
    x = W(float_list(kv, 2));
    rpy_dict_setitem(d, K("k"), x);
    x = S("e");
    RPY_ROOT_WORD(x, true);
    rpy_word e = W(rpy_list_new(&ti_list_float, 0)); /* a young key and a young value */
    rpy_dict_setitem(d, x, e);
    ck_assert_str_eq(repr(W(d), &ti_dict_sl), "{'k': [1.0, -0.0], 'e': []}");
    ck_assert_str_eq(repr(W(rpy_dict_new(&ti_dict_ii)), &ti_dict_ii), "{}");

    struct rpy_set *s = rpy_set_new(&ti_set_int);
    RPY_ROOT(s);
    ck_assert_str_eq(repr(W(s), &ti_set_int), "set()");
    rpy_set_add(s, 1);
    rpy_set_add(s, 2);
    ck_assert_str_eq(repr(W(s), &ti_set_int), "{1, 2}");
    ck_assert_str_eq(repr(0, &ti_set_int), "None");
}
END_TEST

START_TEST(repr_instance)
{
    void *p = rpy_malloc(&ti_point, 32);
    RPY_ROOT(p);
    char want[64];
    /* The address is the object's identity: where it lives once old, the
     * same before and after the collector moves it there. */
    snprintf(want, sizeof want, "<__main__.Point object at %p>", (void *)(uintptr_t)rpy_gc_id(p));
    ck_assert_str_eq(repr(W(p), &ti_point), want);
    ck_assert_str_eq(str(W(p), &ti_point), want);
    rt_gc_minor_collect();
    ck_assert_str_eq(repr(W(p), &ti_point), want);
    snprintf(want, sizeof want, "<__main__.Point object at %p>", p);
    ck_assert_str_eq(repr(W(p), &ti_point), want);
    ck_assert_str_eq(repr(0, &ti_point), "None");
    ck_assert_uint_eq(((struct rpy_hdr *)p)->tid, TID_POINT);
}
END_TEST

/* ---- equality and ordering ---- */

START_TEST(eq_values)
{
    ck_assert(rpy_eq(rpy_w_from_float(0.0), rpy_w_from_float(-0.0), &rpy_ti_float));
    ck_assert(!rpy_eq(rpy_w_from_float(NAN), rpy_w_from_float(NAN), &rpy_ti_float));
    ck_assert(rpy_eq(S("x"), K("x"), &rpy_ti_str));
    ck_assert(!rpy_eq(S("x"), 0, &rpy_ti_str));
    ck_assert(rpy_eq(0, 0, &rpy_ti_str));
    ck_assert(rpy_eq(0, 0, &rpy_ti_none));
    struct rpy_tuple *t = mix_tuple(1, 0.5, "q", false);
    RPY_ROOT(t);
    ck_assert(rpy_eq(W(t), W(mix_tuple(1, 0.5, "q", false)), &ti_tuple_mix)); /* t is read after: rooted */
    ck_assert(!rpy_eq(W(t), W(mix_tuple(1, 0.5, "q", true)), &ti_tuple_mix));
    static const rpy_int a[] = {1, 2, 3}, b[] = {1, 2};
    struct rpy_list *l = int_list(a, 3);
    RPY_ROOT(l);
    ck_assert(rpy_eq(W(l), W(int_list(a, 3)), &ti_list_int));
    ck_assert(!rpy_eq(W(l), W(int_list(b, 2)), &ti_list_int));
    void *p = rpy_malloc(&ti_point, 32);
    RPY_ROOT(p);
    void *q = rpy_malloc(&ti_point, 32);
    RPY_ROOT(q);
    ck_assert(rpy_eq(W(p), W(p), &ti_point));
    ck_assert(!rpy_eq(W(p), W(q), &ti_point));
    /* == and != through rpy_compare never raise. */
    ck_assert_int_eq(rpy_compare(0, 0, &rpy_ti_none, "=="), 0);
    ck_assert_int_ne(rpy_compare(W(p), W(q), &ti_point, "!="), 0);
}
END_TEST

START_TEST(compare_values)
{
    static const rpy_int a[] = {1, 2, 3}, b[] = {1, 2}, c[] = {1, 3};
    struct rpy_list *la = int_list(a, 3);
    RPY_ROOT(la);
    ck_assert_int_gt(rpy_compare(W(la), W(int_list(b, 2)), &ti_list_int, ">"), 0);
    ck_assert_int_lt(rpy_compare(W(la), W(int_list(c, 2)), &ti_list_int, "<"), 0);
    ck_assert_int_eq(rpy_compare(W(la), W(int_list(a, 3)), &ti_list_int, "<="), 0);
    ck_assert_int_lt(rpy_compare(S("abc"), K("abd"), &rpy_ti_str, "<"), 0);
    struct rpy_tuple *t = mix_tuple(1, 0.5, "b", false);
    RPY_ROOT(t);
    ck_assert_int_lt(rpy_compare(W(t), W(mix_tuple(1, 0.5, "c", false)), &ti_tuple_mix, "<"), 0);
    /* NaN: every ordering is false, for the operator asked. */
    rpy_word nan = rpy_w_from_float(NAN), one = rpy_w_from_float(1.0);
    ck_assert(!(rpy_compare(nan, one, &rpy_ti_float, "<") < 0));
    ck_assert(!(rpy_compare(nan, one, &rpy_ti_float, "<=") <= 0));
    ck_assert(!(rpy_compare(nan, one, &rpy_ti_float, ">") > 0));
    ck_assert(!(rpy_compare(nan, one, &rpy_ti_float, ">=") >= 0));
    /* [nan] < [1.0] compares the first differing items with <. */
    struct rpy_list *ln = rpy_list_new(&ti_list_float, 1);
    RPY_ROOT(ln);
    struct rpy_list *l1 = rpy_list_new(&ti_list_float, 1);
    RPY_ROOT(l1);
    ln->items->items[0] = nan;
    l1->items->items[0] = one;
    ck_assert(!(rpy_compare(W(ln), W(l1), &ti_list_float, "<") < 0));
    ck_assert(!(rpy_compare(W(ln), W(l1), &ti_list_float, ">=") >= 0));
    ck_assert(rt_lt(rpy_w_from_int(-5), rpy_w_from_int(3), &rpy_ti_int));
    ck_assert(!rt_lt(1, 1, &rpy_ti_bool));
}
END_TEST

static void compare_dicts(void)
{
    struct rpy_dict *d = rpy_dict_new(&ti_dict_ii);
    RPY_ROOT(d);
    struct rpy_dict *e = rpy_dict_new(&ti_dict_ii);
    rpy_compare(W(d), W(e), &ti_dict_ii, "<");
}
static void compare_nones(void) { rpy_compare(0, 0, &rpy_ti_none, "<"); }
static void compare_list_none(void) { rpy_compare(W(rpy_list_new(&ti_list_int, 0)), 0, &ti_list_int, ">="); }
static void compare_points(void)
{
    void *p = rpy_malloc(&ti_point, 32);
    RPY_ROOT(p);
    void *q = rpy_malloc(&ti_point, 32);
    rpy_compare(W(p), W(q), &ti_point, "<");
}
static void compare_str_none(void) { rpy_compare(0, S("a"), &rpy_ti_str, "<="); }
static void hash_list(void) { rpy_hash(W(rpy_list_new(&ti_list_int, 0)), &ti_list_int); }
static void hash_dict(void) { rpy_hash(W(rpy_dict_new(&ti_dict_ii)), &ti_dict_ii); }

START_TEST(compare_errors)
{
    expect_error(compare_dicts, "TypeError: '<' not supported between instances of 'dict' and 'dict'");
    expect_error(compare_nones, "TypeError: '<' not supported between instances of 'NoneType' and 'NoneType'");
    expect_error(compare_list_none, "TypeError: '>=' not supported between instances of 'list' and 'NoneType'");
    expect_error(compare_points, "TypeError: '<' not supported between instances of 'Point' and 'Point'");
    expect_error(compare_str_none, "TypeError: '<=' not supported between instances of 'NoneType' and 'str'");
    expect_error(hash_list, "TypeError: unhashable type: 'list'");
    expect_error(hash_dict, "TypeError: unhashable type: 'dict'");
}
END_TEST

/* ---- hash and truth ---- */

START_TEST(hash_values)
{
    struct rpy_tuple *t = rpy_tuple_new(&ti_tuple_ii);
    t->items[0] = rpy_w_from_int(1);
    t->items[1] = rpy_w_from_int(2);
    ck_assert(rpy_hash(W(t), &ti_tuple_ii) == -3550055125485641917LL); /* hash((1, 2)) */
    ck_assert(rpy_hash(W(rpy_tuple_new(&ti_tuple_0)), &ti_tuple_0) == 5740354900026072187LL); /* hash(()) */
    ck_assert(rpy_hash(rpy_w_from_int(-1), &rpy_ti_int) == -2);
    ck_assert(rpy_hash(rpy_w_from_float(1.5), &rpy_ti_float) == 1152921504606846977LL);
    ck_assert(rpy_hash(1, &rpy_ti_bool) == 1);
    ck_assert(rpy_hash(S("abc"), &rpy_ti_str) == rpy_hash(K("abc"), &rpy_ti_str));
    ck_assert(rpy_hash(0, &rpy_ti_str) == rpy_hash(0, &rpy_ti_none));
    void *p = rpy_malloc(&ti_point, 32);
    ck_assert(rpy_hash(W(p), &ti_point) == rpy_hash(W(p), &ti_point));
    /* Equal tuples hash equal, even with float fields 0.0 / -0.0. */
    struct rpy_tuple *x = mix_tuple(3, 0.0, "z", true);
    RPY_ROOT(x);
    struct rpy_tuple *y = mix_tuple(3, -0.0, "z", true);
    RPY_ROOT(y);
    ck_assert(rpy_eq(W(x), W(y), &ti_tuple_mix));
    ck_assert(rpy_hash(W(x), &ti_tuple_mix) == rpy_hash(W(y), &ti_tuple_mix));
}
END_TEST

START_TEST(truth_values)
{
    ck_assert(!rpy_truth(0, &rpy_ti_int));
    ck_assert(rpy_truth(rpy_w_from_int(-1), &rpy_ti_int));
    ck_assert(!rpy_truth(rpy_w_from_float(-0.0), &rpy_ti_float));
    ck_assert(rpy_truth(rpy_w_from_float(NAN), &rpy_ti_float));
    ck_assert(!rpy_truth(0, &rpy_ti_none));
    ck_assert(!rpy_truth(S(""), &rpy_ti_str));
    ck_assert(rpy_truth(S("0"), &rpy_ti_str));
    ck_assert(!rpy_truth(0, &rpy_ti_str));
    ck_assert(!rpy_truth(W(rpy_list_new(&ti_list_int, 0)), &ti_list_int));
    ck_assert(rpy_truth(W(rpy_list_new(&ti_list_int, 1)), &ti_list_int));
    ck_assert(!rpy_truth(W(rpy_dict_new(&ti_dict_ii)), &ti_dict_ii));
    ck_assert(!rpy_truth(W(rpy_tuple_new(&ti_tuple_0)), &ti_tuple_0));
    ck_assert(rpy_truth(W(rpy_tuple_new(&ti_tuple_1)), &ti_tuple_1));
    ck_assert(rpy_truth(W(rpy_malloc(&ti_point, 32)), &ti_point));
    ck_assert(!rpy_truth(0, &ti_point));
}
END_TEST

/* ---- output ---- */

static void print_things(void)
{
    rpy_write_int(INT64_MIN);
    rpy_write_cstr(" ");
    rpy_write_float(0.1 + 0.2);
    rpy_write_cstr(" ");
    rpy_write_float(-0.0);
    rpy_write_cstr("\n");
    rpy_write_value(rpy_w_from_float(1e22), &rpy_ti_float);
    rpy_write_value(1, &rpy_ti_bool);
    rpy_write_value(0, &rpy_ti_none);
    rpy_write_value(S(" \u00e9 "), &rpy_ti_str);
    rpy_write_value(0, &rpy_ti_str);
    rpy_write_str(rpy_str_from_cstr("\n"));
    static const rpy_int a[] = {1, 2};
    rpy_write_value(W(int_list(a, 2)), &ti_list_int);
    struct rpy_list *l = rpy_list_new(&ti_list_str, 1);
    RPY_ROOT(l);
    rpy_word q = S("q");
    rpy_list_setitem(l, 0, q);
    rpy_write_value(W(l), &ti_list_str);
    /* More than the buffer holds, to exercise the flushes. */
    for (int i = 0; i < 20000; i++)
        rpy_write_int(i % 10);
    rpy_write_cstr("|end\n");
}

START_TEST(write_stdout)
{
    ck_assert_int_eq(run_child_fd(print_things, 1), 0);
    const char *want_head = "-9223372036854775808 0.30000000000000004 -0.0\n1e+22TrueNone \u00e9 None\n[1, 2]['q']0123";
    ck_assert_int_eq(strncmp(child_text, want_head, strlen(want_head)), 0);
    ck_assert_uint_eq(strlen(child_text), strlen(want_head) - 4 + 20000 + 5);
    ck_assert_str_eq(child_text + strlen(child_text) - 6, "9|end\n");
}
END_TEST

static void print_then_fail(void)
{
    rpy_write_cstr("before\n");
    rpy_write_err_str(rpy_str_from_cstr("to stderr\n"));
    rpy_raise_builtin(RPY_EXC_KeyError, rpy_repr_of(S("kiwi"), &rpy_ti_str));
}

static void raise_no_message(void) { rpy_raise_builtin_c(RPY_EXC_StopIteration, NULL); }
static void raise_empty_message(void) { rpy_raise_builtin(RPY_EXC_ValueError, rpy_str_from_cstr("")); }

START_TEST(errors_flush_stdout_first)
{
    /* stdout and stderr into one pipe: the order must be kept. */
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[0]);
        print_then_fail();
        _exit(0);
    }
    close(fds[1]);
    char buf[512];
    size_t n = 0;
    ssize_t k;
    while ((k = read(fds[0], buf + n, sizeof buf - 1 - n)) > 0)
        n += (size_t)k;
    buf[n] = 0;
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 1);
    ck_assert_str_eq(buf, "before\nto stderr\nTraceback (most recent call last):\nKeyError: 'kiwi'\n");
    expect_error(raise_no_message, "StopIteration");
    expect_error(raise_empty_message, "ValueError");
    ck_assert_str_eq(rpy_exc_name(RPY_EXC_ZeroDivisionError), "ZeroDivisionError");
    ck_assert_str_eq(rpy_exc_name(RPY_EXC_UnicodeError), "UnicodeError");
}
END_TEST

static void startup_with_stats(void)
{
    static char *argv[] = {"prog", "arg", NULL};
    setenv("RPY_GC_STATS", "1", 1);
    rpy_startup(2, argv);
    ck_assert_int_eq(rt_argc, 2);
    for (int i = 0; i < 1000; i++)
        rpy_str_mul(rpy_str_from_cstr("abc"), 100);
    rpy_exit(0);
}

START_TEST(startup_and_gc_stats)
{
    ck_assert_int_eq(run_child_fd(startup_with_stats, 2), 0);
    unsigned long long bytes = 0;
    ck_assert_int_eq(sscanf(child_text, "rpy gc: %llu bytes allocated", &bytes), 1);
    ck_assert_uint_ge(bytes, 1000 * 300);
}
END_TEST

static Suite *value_suite(void)
{
    Suite *s = suite_create("rt_value");
    TCase *tc = tcase_create("value");
    tcase_set_timeout(tc, 60); /* error cases fork; slow under ASan */
    tcase_add_test(tc, repr_scalars);
    tcase_add_test(tc, repr_containers);
    tcase_add_test(tc, repr_instance);
    tcase_add_test(tc, eq_values);
    tcase_add_test(tc, compare_values);
    tcase_add_test(tc, compare_errors);
    tcase_add_test(tc, hash_values);
    tcase_add_test(tc, truth_values);
    tcase_add_test(tc, write_stdout);
    tcase_add_test(tc, errors_flush_stdout_first);
    tcase_add_test(tc, startup_and_gc_stats);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(value_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
