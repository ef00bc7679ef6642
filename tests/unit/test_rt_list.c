/* test_rt_list.c - lists: append and growth, insert, pop, extend,
 * slicing with steps, concatenation and repetition, search, sort
 * (stability, reverse, floats, strs, tuples), range, min/max, the
 * inline accessors and their `_x` twins, and CPython's error messages.
 *
 * The collector moves objects at any allocation (at every one under
 * RPY_GC_STRESS=1), so the tests follow the runtime's rules: an object
 * used after another allocation is RPY_ROOTed, and no expression holds
 * one object while making another (C leaves the order of function
 * arguments open). */
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
    TID_TUPLE_IS,
    TID_LIST_TUPLE,
    TID_LIST_LIST,
    TID_TUPLE_IST,
    TID_LIST_IST,
};

static const struct rpy_typeinfo ti_list_int = {
    .kind = RPY_K_LIST, .tid = TID_LIST_INT, .size = sizeof(struct rpy_list), .name = "list", .item = &rpy_ti_int};
static const struct rpy_typeinfo ti_list_float = {
    .kind = RPY_K_LIST, .tid = TID_LIST_FLOAT, .size = sizeof(struct rpy_list), .name = "list",
    .item = &rpy_ti_float};
static const struct rpy_typeinfo ti_list_str = {
    .kind = RPY_K_LIST, .tid = TID_LIST_STR, .size = sizeof(struct rpy_list), .name = "list", .item = &rpy_ti_str};
static const struct rpy_typeinfo *const tuple_is_items[] = {&rpy_ti_int, &rpy_ti_str};
static const struct rpy_typeinfo ti_tuple_is = {
    .kind = RPY_K_TUPLE, .tid = TID_TUPLE_IS, .size = sizeof(struct rpy_tuple) + 2 * sizeof(rpy_word),
    .nitems = 2, .name = "tuple", .items = tuple_is_items};
static const struct rpy_typeinfo ti_list_tuple = {
    .kind = RPY_K_LIST, .tid = TID_LIST_TUPLE, .size = sizeof(struct rpy_list), .name = "list",
    .item = &ti_tuple_is};
static const struct rpy_typeinfo ti_list_list = {
    .kind = RPY_K_LIST, .tid = TID_LIST_LIST, .size = sizeof(struct rpy_list), .name = "list",
    .item = &ti_list_int};
/* enumerate() over a list of str: (int, str) pairs */
static const struct rpy_typeinfo *const tuple_ist_items[] = {&rpy_ti_int, &rpy_ti_str};
static const struct rpy_typeinfo ti_tuple_ist = {
    .kind = RPY_K_TUPLE, .tid = TID_TUPLE_IST, .size = sizeof(struct rpy_tuple) + 2 * sizeof(rpy_word),
    .nitems = 2, .name = "tuple", .items = tuple_ist_items};
static const struct rpy_typeinfo ti_list_ist = {
    .kind = RPY_K_LIST, .tid = TID_LIST_IST, .size = sizeof(struct rpy_list), .name = "list",
    .item = &ti_tuple_ist};

const struct rpy_typeinfo *const rpy_typetable[] = {
    NULL, &rpy_ti_str, &rpy_ti_array_raw, &rpy_ti_array_gc,
    [TID_LIST_INT] = &ti_list_int, [TID_LIST_FLOAT] = &ti_list_float, [TID_LIST_STR] = &ti_list_str,
    [TID_TUPLE_IS] = &ti_tuple_is, [TID_LIST_TUPLE] = &ti_list_tuple, [TID_LIST_LIST] = &ti_list_list,
    [TID_TUPLE_IST] = &ti_tuple_ist, [TID_LIST_IST] = &ti_list_ist,
};
const uint32_t rpy_ntypes = sizeof rpy_typetable / sizeof rpy_typetable[0];

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

/* repr(l), for compact checks: valid until the next allocation. */
static const char *R(const struct rpy_list *l) { return rpy_repr_of(rpy_w_from_ptr(l), rt_ti_of(l))->data; }
static rpy_word S(const char *s) { return rpy_w_from_ptr(rpy_str_from_cstr(s)); }

static struct rpy_list *ints(rpy_int n) { return rpy_list_from_range(&ti_list_int, 0, n, 1); }

static struct rpy_list *strs(const char *const *s, int n)
{
    struct rpy_list *l = rpy_list_new_cap(&ti_list_str, 0);
    RPY_ROOT(l);
    for (int i = 0; i < n; i++) {
        rpy_word w = S(s[i]);
        rpy_list_append(l, w);
    }
    return l;
}

/* ---- growth ---- */

START_TEST(list_append_grow)
{
    struct rpy_list *l = rpy_list_new(&ti_list_int, 0);
    RPY_ROOT(l);
    ck_assert_int_eq(l->items->length, 0);
    rpy_int last_cap = 0, reallocs = 0;
    for (rpy_int i = 0; i < 100000; i++) {
        rpy_list_append(l, rpy_w_from_int(i * 3));
        ck_assert_int_ge(l->items->length, l->length);
        if (l->items->length != last_cap) {
            reallocs++;
            last_cap = l->items->length;
        }
    }
    ck_assert_int_eq(l->length, 100000);
    ck_assert_int_lt(reallocs, 100); /* geometric growth */
    for (rpy_int i = 0; i < 100000; i++)
        ck_assert(rpy_w_to_int(rpy_list_getitem(l, i)) == i * 3);
    ck_assert(rpy_w_to_int(rpy_list_getitem(l, -1)) == 99999 * 3);
    ck_assert(rpy_w_to_int(rpy_list_getitem_x(l, -100000)) == 0);
    rpy_list_append_x(l, 7);
    ck_assert_int_eq(rpy_list_len_x(l), 100001);
    rpy_list_setitem(l, -1, 8);
    rpy_list_setitem_x(l, 0, 9);
    ck_assert(rpy_list_getitem_nocheck_x(l, 100000) == 8);
    ck_assert(rpy_list_getitem_nocheck(l, 0) == 9);
    /* CPython's growth pattern for appends: 0, 4, 8, 16, 24, 32, 40, 52 */
    struct rpy_list *m = rpy_list_new(&ti_list_int, 0);
    RPY_ROOT(m);
    rpy_int caps[9], k = 0;
    for (int i = 0; i < 50; i++) {
        rpy_list_append(m, 0);
        if (k == 0 || caps[k - 1] != m->items->length)
            caps[k++] = m->items->length;
    }
    ck_assert_int_eq(k, 7);
    ck_assert_int_eq(caps[0], 4);
    ck_assert_int_eq(caps[1], 8);
    ck_assert_int_eq(caps[2], 16);
    ck_assert_int_eq(caps[6], 52);
}
END_TEST

START_TEST(list_storage_kind)
{
    /* Lists of GC pointers keep them in arrays the collector traces. */
    struct rpy_list *s = rpy_list_new(&ti_list_str, 3);
    RPY_ROOT(s);
    ck_assert_uint_eq(s->items->hdr.tid, RPY_TID_ARRAY_GC);
    struct rpy_list *i = rpy_list_new(&ti_list_int, 3);
    ck_assert_uint_eq(i->items->hdr.tid, RPY_TID_ARRAY_RAW);
    rpy_word x = S("x");
    rpy_list_append(s, x);
    ck_assert_uint_eq(s->items->hdr.tid, RPY_TID_ARRAY_GC);
    ck_assert_uint_eq(s->hdr.tid, TID_LIST_STR);
}
END_TEST

/* ---- insert, pop, remove, extend ---- */

START_TEST(list_insert_pop)
{
    struct rpy_list *l = ints(5);
    RPY_ROOT(l);
    rpy_list_insert(l, 0, 10);
    rpy_list_insert(l, -1, 11);
    rpy_list_insert(l, 100, 12);
    rpy_list_insert(l, -100, 13);
    rpy_list_insert(l, 3, 14);
    ck_assert_str_eq(R(l), "[13, 10, 0, 14, 1, 2, 3, 11, 4, 12]");
    ck_assert(rpy_list_pop(l, -1) == 12);
    ck_assert(rpy_list_pop(l, 0) == 13);
    ck_assert(rpy_list_pop(l, 2) == 14);
    ck_assert_str_eq(R(l), "[10, 0, 1, 2, 3, 11, 4]");
    rpy_list_remove(l, 11);
    ck_assert_str_eq(R(l), "[10, 0, 1, 2, 3, 4]");
    /* Vacated slots are cleared. */
    ck_assert(l->items->items[l->length] == 0);
    struct rpy_list *two = ints(2);
    rpy_list_extend(l, two);
    ck_assert_str_eq(R(l), "[10, 0, 1, 2, 3, 4, 0, 1]");
    rpy_list_extend(l, l);
    ck_assert_int_eq(l->length, 16);
    ck_assert_str_eq(R(l), "[10, 0, 1, 2, 3, 4, 0, 1, 10, 0, 1, 2, 3, 4, 0, 1]");
    rpy_list_clear(l);
    ck_assert_int_eq(l->length, 0);
    rpy_list_append(l, 5);
    ck_assert_str_eq(R(l), "[5]");
}
END_TEST

static void pop_empty(void) { rpy_list_pop(rpy_list_new(&ti_list_int, 0), -1); }
static void pop_out_of_range(void) { rpy_list_pop(ints(1), 5); }
static void pop_out_of_range_neg(void) { rpy_list_pop(ints(3), -4); }
static void getitem_out_of_range(void) { rpy_list_getitem(ints(1), 3); }
static void getitem_out_of_range_neg(void) { rpy_list_getitem(ints(2), -3); }
static void setitem_out_of_range(void) { rpy_list_setitem(ints(2), 2, 0); }
static void remove_missing(void) { rpy_list_remove(ints(3), 7); }
static void index_missing_int(void) { rpy_list_index(ints(3), 3); }
static void index_missing_str(void)
{
    static const char *const s[] = {"a"};
    struct rpy_list *l = strs(s, 1);
    RPY_ROOT(l);
    rpy_word x = S("it's");
    rpy_list_index(l, x);
}
static void index_missing_float(void)
{
    rpy_list_index(rpy_list_new(&ti_list_float, 0), rpy_w_from_float(2.5));
}
static void min_empty(void) { rpy_list_min(rpy_list_new(&ti_list_int, 0)); }
static void max_empty(void) { rpy_list_max(rpy_list_new(&ti_list_str, 0)); }
static void slice_zero_step(void) { rpy_list_slice(ints(3), 0, false, 0, false, 0); }
static void range_zero_step(void) { rpy_range_len(0, 10, 0); }

START_TEST(list_errors)
{
    expect_error(pop_empty, "IndexError: pop from empty list");
    expect_error(pop_out_of_range, "IndexError: pop index out of range");
    expect_error(pop_out_of_range_neg, "IndexError: pop index out of range");
    expect_error(getitem_out_of_range, "IndexError: list index out of range");
    expect_error(getitem_out_of_range_neg, "IndexError: list index out of range");
    expect_error(setitem_out_of_range, "IndexError: list assignment index out of range");
    expect_error(remove_missing, "ValueError: list.remove(x): x not in list");
    expect_error(index_missing_int, "ValueError: 3 is not in list");
    expect_error(index_missing_str, "ValueError: \"it's\" is not in list");
    expect_error(index_missing_float, "ValueError: 2.5 is not in list");
    expect_error(min_empty, "ValueError: min() arg is an empty sequence");
    expect_error(max_empty, "ValueError: max() arg is an empty sequence");
    expect_error(slice_zero_step, "ValueError: slice step cannot be zero");
    expect_error(range_zero_step, "ValueError: range() arg 3 must not be zero");
}
END_TEST

/* ---- slices, concatenation, repetition ---- */

START_TEST(list_slices)
{
    struct rpy_list *l = ints(10);
    RPY_ROOT(l);
    ck_assert_str_eq(R(rpy_list_slice(l, 0, false, 0, false, 3)), "[0, 3, 6, 9]");
    ck_assert_str_eq(R(rpy_list_slice(l, 0, false, 0, false, -3)), "[9, 6, 3, 0]");
    ck_assert_str_eq(R(rpy_list_slice(l, 8, true, 2, true, -2)), "[8, 6, 4]");
    ck_assert_str_eq(R(rpy_list_slice(l, -100, true, 100, true, 4)), "[0, 4, 8]");
    ck_assert_str_eq(R(rpy_list_slice(l, 5, true, 0, false, 1)), "[5, 6, 7, 8, 9]");
    ck_assert_str_eq(R(rpy_list_slice(l, 0, false, -7, true, 1)), "[0, 1, 2]");
    ck_assert_str_eq(R(rpy_list_slice(l, 0, false, 0, false, INT64_MIN)), "[9]");
    ck_assert_str_eq(R(rpy_list_slice(l, 7, true, 3, true, 1)), "[]");
    ck_assert_str_eq(R(rpy_list_slice(l, 0, false, 0, false, -1)), "[9, 8, 7, 6, 5, 4, 3, 2, 1, 0]");
    struct rpy_list *c = rpy_list_copy(l);
    RPY_ROOT(c);
    rpy_list_reverse(c);
    ck_assert_str_eq(R(c), "[9, 8, 7, 6, 5, 4, 3, 2, 1, 0]");
    ck_assert_str_eq(R(l), "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]");
    struct rpy_list *a = ints(2);
    RPY_ROOT(a);
    struct rpy_list *b = ints(3);
    ck_assert_str_eq(R(rpy_list_concat(a, b)), "[0, 1, 0, 1, 2]");
    ck_assert_str_eq(R(rpy_list_mul(ints(2), 3)), "[0, 1, 0, 1, 0, 1]");
    ck_assert_str_eq(R(rpy_list_mul(ints(2), -1)), "[]");
    struct rpy_list *one = rpy_list_new(&ti_list_float, 1);
    RPY_ROOT(one);
    one->items->items[0] = rpy_w_from_float(0.5);
    ck_assert_str_eq(R(rpy_list_mul(one, 4)), "[0.5, 0.5, 0.5, 0.5]");
}
END_TEST

/* Slice assignment and deletion, as CPython's list_ass_subscript. */
START_TEST(list_setslice_delslice)
{
    struct rpy_list *l = ints(8);
    RPY_ROOT(l);
    struct rpy_list *v = ints(3);
    RPY_ROOT(v);
    rpy_list_setslice(l, 2, true, 5, true, 1, v); /* same size */
    ck_assert_str_eq(R(l), "[0, 1, 0, 1, 2, 5, 6, 7]");
    rpy_list_setslice(l, 1, true, 7, true, 1, v); /* shrink */
    ck_assert_str_eq(R(l), "[0, 0, 1, 2, 7]");
    ck_assert_int_eq(l->items->items[5], 0); /* the tail stays zero */
    rpy_list_setslice(l, 4, true, 1, true, 1, v); /* empty slice: insert at 4 */
    ck_assert_str_eq(R(l), "[0, 0, 1, 2, 0, 1, 2, 7]");
    rpy_list_setslice(l, 0, false, 0, true, 1, l); /* a[:0] = a */
    ck_assert_str_eq(R(l), "[0, 0, 1, 2, 0, 1, 2, 7, 0, 0, 1, 2, 0, 1, 2, 7]");
    rpy_list_setslice(l, 0, false, 0, false, 1, v); /* a[:] = v */
    ck_assert_str_eq(R(l), "[0, 1, 2]");
    struct rpy_list *w = ints(10);
    RPY_ROOT(w);
    struct rpy_list *five = rpy_list_from_range(&ti_list_int, 100, 105, 1);
    RPY_ROOT(five);
    rpy_list_setslice(w, 0, false, 0, false, 2, five);
    ck_assert_str_eq(R(w), "[100, 1, 101, 3, 102, 5, 103, 7, 104, 9]");
    rpy_list_setslice(w, 0, false, 0, false, -2, five);
    ck_assert_str_eq(R(w), "[100, 104, 101, 103, 102, 102, 103, 101, 104, 100]");
    ck_assert(!rpy_exc_occurred());
    rpy_list_delslice(w, 0, false, 0, false, 3); /* items 0, 3, 6, 9 */
    ck_assert_str_eq(R(w), "[104, 101, 102, 102, 101, 104]");
    rpy_list_delslice(w, 0, false, 0, false, -2); /* items 5, 3, 1 */
    ck_assert_str_eq(R(w), "[104, 102, 101]");
    rpy_list_delslice(w, 2, true, 1, true, 1);
    ck_assert_str_eq(R(w), "[104, 102, 101]");
    rpy_list_delslice(w, -2, true, 0, false, 1);
    ck_assert_str_eq(R(w), "[104]");
    rpy_list_delitem(w, -1);
    ck_assert_str_eq(R(w), "[]");
    ck_assert_int_eq(w->items->items[0], 0);
    static const char *const s[] = {"a", "b", "c", "d"};
    struct rpy_list *t = strs(s, 4);
    RPY_ROOT(t);
    struct rpy_list *u = strs(s + 2, 2);
    rpy_list_setslice(t, 0, true, 1, true, 1, u); /* grows: may collect; t, u rooted inside */
    ck_assert_str_eq(R(t), "['c', 'd', 'b', 'c', 'd']");
}
END_TEST

static void setslice_extended_size(void)
{
    struct rpy_list *l = ints(6);
    RPY_ROOT(l);
    struct rpy_list *two = ints(2);
    rpy_list_setslice(l, 0, false, 0, false, 2, two);
}
static void setslice_step0(void)
{
    struct rpy_list *l = ints(6);
    RPY_ROOT(l);
    struct rpy_list *two = ints(2);
    rpy_list_setslice(l, 0, false, 0, false, 0, two);
}
static void delslice_step0(void) { rpy_list_delslice(ints(3), 0, false, 0, false, 0); }
static void delitem_range(void) { rpy_list_delitem(ints(3), 3); }
static void index_range_missing(void) { rpy_list_index_range(ints(5), 1, 2, 100); }

START_TEST(list_slice_errors)
{
    expect_error(setslice_extended_size, "ValueError: attempt to assign sequence of size 2 to extended slice of size 3");
    expect_error(setslice_step0, "ValueError: slice step cannot be zero");
    expect_error(delslice_step0, "ValueError: slice step cannot be zero");
    expect_error(delitem_range, "IndexError: list assignment index out of range");
    expect_error(index_range_missing, "ValueError: 1 is not in list");
}
END_TEST

START_TEST(list_search)
{
    static const char *const s[] = {"b", "a", "b", "\u00e9"};
    struct rpy_list *l = strs(s, 4);
    RPY_ROOT(l);
    rpy_word b = S("b");
    RPY_ROOT_WORD(b, true);
    ck_assert_int_eq(rpy_list_index_range(l, b, 1, 4), 2);
    ck_assert_int_eq(rpy_list_index_range(l, b, -4, -3), 0);
    rpy_word x = S("\u00e9");
    ck_assert(rpy_list_contains(l, x));
    x = S("c");
    ck_assert(!rpy_list_contains(l, x));
    x = S("b");
    ck_assert_int_eq(rpy_list_index(l, x), 0);
    x = S("b");
    ck_assert_int_eq(rpy_list_count(l, x), 2);
    x = S("b");
    rpy_list_remove(l, x);
    ck_assert_str_eq(R(l), "['a', 'b', '\u00e9']");
    struct rpy_list *f = rpy_list_new(&ti_list_float, 2);
    f->items->items[0] = rpy_w_from_float(-0.0);
    f->items->items[1] = rpy_w_from_float(1.0);
    ck_assert(rpy_list_contains(f, rpy_w_from_float(0.0))); /* 0.0 == -0.0 */
    ck_assert_int_eq(rpy_list_count(f, rpy_w_from_float(0.0)), 1);
}
END_TEST

/* ---- sort ---- */

START_TEST(list_sort_ints)
{
    struct rpy_list *l = rpy_list_new(&ti_list_int, 0);
    RPY_ROOT(l);
    uint64_t x = 12345;
    for (int i = 0; i < 5000; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        rpy_list_append(l, rpy_w_from_int((rpy_int)(x >> 33) % 1000 - 500));
    }
    struct rpy_list *desc = rpy_list_copy(l);
    RPY_ROOT(desc);
    rpy_list_sort(l, false);
    for (rpy_int i = 1; i < l->length; i++)
        ck_assert(rpy_w_to_int(l->items->items[i - 1]) <= rpy_w_to_int(l->items->items[i]));
    rpy_list_sort(desc, true);
    for (rpy_int i = 1; i < desc->length; i++)
        ck_assert(rpy_w_to_int(desc->items->items[i - 1]) >= rpy_w_to_int(desc->items->items[i]));
    ck_assert(rpy_list_min(l) == l->items->items[0]);
    ck_assert(rpy_list_max(l) == desc->items->items[0]);
    struct rpy_list *small = rpy_list_from_range(&ti_list_int, 5, -6, -3);
    RPY_ROOT(small);
    ck_assert_str_eq(R(small), "[5, 2, -1, -4]");
    rpy_list_sort(small, false);
    ck_assert_str_eq(R(small), "[-4, -1, 2, 5]");
}
END_TEST

static struct rpy_tuple *pair(rpy_int k, const char *s)
{
    rpy_word str = S(s);
    RPY_ROOT_WORD(str, true);
    struct rpy_tuple *t = rpy_tuple_new(&ti_tuple_is);
    t->items[0] = rpy_w_from_int(k);
    t->items[1] = str;
    return t;
}

START_TEST(list_sort_stable_tuples_strs)
{
    /* Equal keys keep their order; generic comparison of tuples. */
    struct rpy_list *l = rpy_list_new(&ti_list_tuple, 0);
    RPY_ROOT(l);
    for (int i = 0; i < 200; i++) {
        char s[8];
        snprintf(s, sizeof s, "%c", 'a' + (i * 7) % 3);
        rpy_word t = rpy_w_from_ptr(pair((i * 37) % 5, s));
        rpy_list_append(l, t);
    }
    rpy_list_sort(l, false);
    for (rpy_int i = 1; i < l->length; i++)
        ck_assert_int_le(rpy_compare(l->items->items[i - 1], l->items->items[i], &ti_tuple_is, "<="), 0);
    static const char *const s[] = {"pear", "apple", "\u00e9clair", "fig", "apple", "Zebra", ""};
    struct rpy_list *w = strs(s, 7);
    RPY_ROOT(w);
    rpy_list_sort(w, false);
    ck_assert_str_eq(R(w), "['', 'Zebra', 'apple', 'apple', 'fig', 'pear', '\u00e9clair']");
    rpy_list_sort(w, true);
    ck_assert_str_eq(R(w), "['\u00e9clair', 'pear', 'fig', 'apple', 'apple', 'Zebra', '']");
    ck_assert_str_eq(((struct rpy_str *)rpy_w_to_ptr(rpy_list_min(w)))->data, "");
}
END_TEST

/* The signs of the zeros in f, in order: 0.0 and -0.0 are equal to a
 * sort, so a stable sort must keep this sequence. */
static void zero_signs(const struct rpy_list *f, char *out)
{
    for (rpy_int i = 0; i < f->length; i++) {
        double x = rpy_w_to_float(f->items->items[i]);
        if (x == 0.0)
            *out++ = signbit(x) ? '-' : '+';
    }
    *out = 0;
}

START_TEST(list_sort_stability_reverse)
{
    static char before[2000], after[2000], after_rev[2000];
    struct rpy_list *f = rpy_list_new(&ti_list_float, 0);
    RPY_ROOT(f);
    for (int i = 0; i < 1000; i++) {
        double x = i % 3 == 0 ? (i % 2 ? -0.0 : 0.0) : (double)(i % 5) - 2.0;
        rpy_list_append(f, rpy_w_from_float(x));
    }
    zero_signs(f, before);
    struct rpy_list *g = rpy_list_copy(f);
    RPY_ROOT(g);
    rpy_list_sort(f, false);
    rpy_list_sort(g, true);
    zero_signs(f, after);
    zero_signs(g, after_rev);
    ck_assert_str_eq(after, before);
    ck_assert_str_eq(after_rev, before); /* reverse=True keeps equal items in order too */
    for (rpy_int i = 1; i < f->length; i++) {
        ck_assert(rpy_w_to_float(f->items->items[i - 1]) <= rpy_w_to_float(f->items->items[i]));
        ck_assert(rpy_w_to_float(g->items->items[i - 1]) >= rpy_w_to_float(g->items->items[i]));
    }
}
END_TEST

START_TEST(list_sort_floats)
{
    struct rpy_list *f = rpy_list_new(&ti_list_float, 0);
    RPY_ROOT(f);
    static const double v[] = {3.5, -1.0, 0.0, -0.0, 1e300, -1e-300, 2.5};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        rpy_list_append(f, rpy_w_from_float(v[i]));
    rpy_list_sort(f, false);
    ck_assert_str_eq(R(f), "[-1.0, -1e-300, 0.0, -0.0, 2.5, 3.5, 1e+300]");
    ck_assert_str_eq(rpy_repr_of(rpy_list_max(f), &rpy_ti_float)->data, "1e+300");
}
END_TEST

START_TEST(list_sort_by_keys)
{
    /* sorted(words, key=len) and with reverse=True: stable both ways. */
    static const char *const w[] = {"pear", "fig", "apple", "kiwi", "date", "banana", "yam"};
    struct rpy_list *l = strs(w, 7);
    RPY_ROOT(l);
    struct rpy_list *keys = rpy_list_new(&ti_list_int, 7);
    RPY_ROOT(keys);
    for (int i = 0; i < 7; i++)
        keys->items->items[i] = rpy_w_from_int(((struct rpy_str *)rpy_w_to_ptr(l->items->items[i]))->length);
    struct rpy_list *l2 = rpy_list_copy(l);
    RPY_ROOT(l2);
    struct rpy_list *keys2 = rpy_list_copy(keys);
    RPY_ROOT(keys2);
    rpy_list_sort_by_keys(l, keys, false);
    ck_assert_str_eq(R(l), "['fig', 'yam', 'pear', 'kiwi', 'date', 'apple', 'banana']");
    ck_assert_str_eq(R(keys), "[3, 3, 4, 4, 4, 5, 6]");
    rpy_list_sort_by_keys(l2, keys2, true);
    ck_assert_str_eq(R(l2), "['banana', 'apple', 'pear', 'kiwi', 'date', 'fig', 'yam']");
    /* Float keys and str keys. */
    struct rpy_list *n = ints(6);
    RPY_ROOT(n);
    struct rpy_list *fk = rpy_list_new(&ti_list_float, 6);
    RPY_ROOT(fk);
    static const double f[] = {0.5, -1.0, 0.5, 2.0, -0.0, 0.0};
    for (int i = 0; i < 6; i++)
        fk->items->items[i] = rpy_w_from_float(f[i]);
    rpy_list_sort_by_keys(n, fk, false);
    ck_assert_str_eq(R(n), "[1, 4, 5, 0, 2, 3]");
    static const char *const sk[] = {"b", "a", "c", "a"};
    struct rpy_list *m = ints(4);
    RPY_ROOT(m);
    struct rpy_list *skl = strs(sk, 4);
    RPY_ROOT(skl);
    rpy_list_sort_by_keys(m, skl, true);
    ck_assert_str_eq(R(m), "[2, 0, 1, 3]");
}
END_TEST

/* ---- under the moving collector ---- */

/* After a minor collection nothing live is young: an item still in the
 * nursery was stored into an old array without the write barrier. (Under
 * RPY_GC_STRESS=1 such an item points into a retired nursery window, and
 * reading its header faults.) */
static void check_items_old(const struct rpy_list *l)
{
    for (rpy_int i = 0; i < l->length; i++) {
        const struct rpy_hdr *h = rpy_w_to_ptr(l->items->items[i]);
        ck_assert_msg(!rt_gc_is_young(h), "item %d missed the barrier", (int)i);
        ck_assert(!h || h->tid == RPY_TID_STR);
    }
}

/* One store path at a time: the list is made old (and the remembered set
 * empty), one young object is stored, a minor collection follows. */
enum store_path { SET, INIT, APPEND, APPEND_GROW, INSERT, EXTEND, N_PATHS };

static void store_one(struct rpy_list *l, enum store_path path)
{
    RPY_ROOT(l);
    rpy_gc_collect();
    static const char *const more[] = {"xx"};
    rpy_word x = path == EXTEND ? rpy_w_from_ptr(strs(more, 1)) : S("new");
    switch (path) {
    case SET: rpy_list_setitem(l, 0, x); break;
    case INIT: rpy_list_init_item(l, 1, x); break;
    case APPEND: rpy_list_append(l, x); break;
    case APPEND_GROW: /* a new young array: the barrier is the list's */
        while (l->length < l->items->length)
            rpy_list_append(l, 0);
        rpy_list_append(l, x);
        break;
    case INSERT: rpy_list_insert(l, 1, x); break;
    case EXTEND: rpy_list_extend(l, rpy_w_to_ptr(x)); break; /* fits: the barrier is the array's */
    default: break;
    }
    rt_gc_minor_collect();
    check_items_old(l);
}

START_TEST(list_barriers)
{
    static const char *const s[] = {"aa", "bb", "cc"};
    for (int path = 0; path < N_PATHS; path++)
        store_one(strs(s, 3), (enum store_path)path); /* capacity 4 */
}
END_TEST

static struct rpy_list *int_lists(const rpy_int *lens, const rpy_int *firsts, int n)
{
    struct rpy_list *l = rpy_list_new(&ti_list_list, 0);
    RPY_ROOT(l);
    for (int i = 0; i < n; i++) {
        struct rpy_list *item = rpy_list_from_range(&ti_list_int, firsts[i], firsts[i] - lens[i], -1);
        rpy_list_append(l, rpy_w_from_ptr(item));
    }
    return l;
}

START_TEST(list_items_calling_back)
{
    /* Lists of lists: comparing items goes through rpy_eq / rt_lt, the
     * paths that root the list and re-read it after every comparison. */
    static const rpy_int lens[] = {2, 2, 1, 3, 1}, firsts[] = {3, 1, 3, 1, 2};
    struct rpy_list *l = int_lists(lens, firsts, 5); /* [[3,2],[1,0],[3],[1,0,-1],[2]] */
    RPY_ROOT(l);
    struct rpy_list *copy = rpy_list_copy(l);
    RPY_ROOT(copy);
    rpy_list_sort(l, false);
    ck_assert_str_eq(R(l), "[[1, 0], [1, 0, -1], [2], [3], [3, 2]]");
    rpy_list_sort(copy, true);
    ck_assert_str_eq(R(copy), "[[3, 2], [3], [2], [1, 0, -1], [1, 0]]");
    ck_assert_str_eq(R(rpy_w_to_ptr(rpy_list_max(l))), "[3, 2]");
    ck_assert_str_eq(R(rpy_w_to_ptr(rpy_list_min(l))), "[1, 0]");
    struct rpy_list *probe = rpy_list_from_range(&ti_list_int, 2, 1, -1); /* [2] */
    RPY_ROOT(probe);
    ck_assert(rpy_list_contains(l, rpy_w_from_ptr(probe)));
    ck_assert_int_eq(rpy_list_index(l, rpy_w_from_ptr(probe)), 2);
    ck_assert_int_eq(rpy_list_count(copy, rpy_w_from_ptr(probe)), 1);
    rpy_list_remove(l, rpy_w_from_ptr(probe));
    ck_assert_str_eq(R(l), "[[1, 0], [1, 0, -1], [3], [3, 2]]");
    ck_assert(rpy_eq(rpy_w_from_ptr(l), rpy_w_from_ptr(l), &ti_list_list));
    ck_assert(!rpy_eq(rpy_w_from_ptr(l), rpy_w_from_ptr(copy), &ti_list_list));
    ck_assert_int_gt(rpy_compare(rpy_w_from_ptr(copy), rpy_w_from_ptr(l), &ti_list_list, ">"), 0);
    ck_assert(rpy_max2(rpy_w_from_ptr(l), rpy_w_from_ptr(copy), &ti_list_list) == rpy_w_from_ptr(copy));
    ck_assert(rpy_min2(rpy_w_from_ptr(l), rpy_w_from_ptr(copy), &ti_list_list) == rpy_w_from_ptr(l));
    /* sorted(words, key=lambda w: [len(w)]): keys that may collect */
    static const char *const w[] = {"pear", "fig", "apple", "kiwi"};
    struct rpy_list *words = strs(w, 4);
    RPY_ROOT(words);
    static const rpy_int klens[] = {1, 1, 1, 1}, kfirsts[] = {4, 3, 5, 4};
    struct rpy_list *keys = int_lists(klens, kfirsts, 4);
    rpy_list_sort_by_keys(words, keys, false);
    ck_assert_str_eq(R(words), "['fig', 'pear', 'kiwi', 'apple']");
}
END_TEST

static void sort_str_none(void)
{
    static const char *const s[] = {"b", "x", "a"};
    struct rpy_list *l = strs(s, 3);
    RPY_ROOT(l);
    rpy_list_setitem(l, 1, 0);
    rpy_list_sort(l, false);
}

START_TEST(list_sort_errors)
{
    expect_error(sort_str_none, "TypeError: '<' not supported between instances of 'NoneType' and 'str'");
}
END_TEST

START_TEST(list_builtins)
{
    /* rtsupport.c: enumerate, unpacking, any/all, sums */
    static const char *const s[] = {"ab", "cd"};
    struct rpy_list *l = strs(s, 2);
    RPY_ROOT(l);
    ck_assert_str_eq(R(rpy_list_enumerate(l, 5, &ti_list_ist, &ti_tuple_ist)), "[(5, 'ab'), (6, 'cd')]");
    struct rpy_tuple *t = rpy_list_to_tuple(l, 2, &ti_tuple_ist);
    ck_assert_str_eq(((struct rpy_str *)rpy_w_to_ptr(t->items[1]))->data, "cd");
    ck_assert(rpy_list_any(l) && rpy_list_all(l));
    rpy_word empty = S("");
    rpy_list_append(l, empty);
    ck_assert(rpy_list_any(l) && !rpy_list_all(l));
    struct rpy_list *n = ints(5);
    ck_assert_int_eq(rpy_list_sum_int(n, 10), 20);
}
END_TEST

/* ---- ranges ---- */

START_TEST(list_ranges)
{
    ck_assert_int_eq(rpy_range_len(0, 10, 1), 10);
    ck_assert_int_eq(rpy_range_len(0, 10, 3), 4);
    ck_assert_int_eq(rpy_range_len(10, 0, -3), 4);
    ck_assert_int_eq(rpy_range_len(0, -10, 1), 0);
    ck_assert_int_eq(rpy_range_len(INT64_MIN, INT64_MAX, INT64_MAX), 3);
    ck_assert_int_eq(rpy_range_len(INT64_MAX, INT64_MIN, INT64_MIN), 2);
    ck_assert_str_eq(R(rpy_list_from_range(&ti_list_int, 10, 0, -4)), "[10, 6, 2]");
    struct rpy_list *n = rpy_list_from_range(&ti_list_int, 0, 10, 1);
    RPY_ROOT(n);
    ck_assert_int_eq(rpy_list_index_range(n, 7, 3, INT64_MAX), 7);
    ck_assert_int_eq(rpy_list_index_range(n, 7, -4, -2), 7);
    ck_assert_int_eq(rpy_list_index_range(n, 0, -100, 1), 0);

    ck_assert_str_eq(R(rpy_list_from_range(&ti_list_int, INT64_MAX - 2, INT64_MAX, 1)),
                     "[9223372036854775805, 9223372036854775806]");
}
END_TEST

static Suite *list_suite(void)
{
    Suite *s = suite_create("rt_list");
    TCase *tc = tcase_create("list");
    tcase_set_timeout(tc, 60); /* error cases fork; slow under ASan */
    tcase_add_test(tc, list_append_grow);
    tcase_add_test(tc, list_storage_kind);
    tcase_add_test(tc, list_insert_pop);
    tcase_add_test(tc, list_errors);
    tcase_add_test(tc, list_slices);
    tcase_add_test(tc, list_setslice_delslice);
    tcase_add_test(tc, list_slice_errors);
    tcase_add_test(tc, list_search);
    tcase_add_test(tc, list_sort_ints);
    tcase_add_test(tc, list_sort_stable_tuples_strs);
    tcase_add_test(tc, list_sort_stability_reverse);
    tcase_add_test(tc, list_sort_floats);
    tcase_add_test(tc, list_ranges);
    tcase_add_test(tc, list_sort_by_keys);
    tcase_add_test(tc, list_barriers);
    tcase_add_test(tc, list_items_calling_back);
    tcase_add_test(tc, list_sort_errors);
    tcase_add_test(tc, list_builtins);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(list_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
