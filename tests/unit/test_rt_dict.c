/* test_rt_dict.c - dicts and sets: many int keys with deletions (order
 * and lookups), str keys, tuple keys, float keys (0.0 == -0.0), get /
 * pop / setdefault / update / copy / clear, keys/values/items, iteration
 * by entry position and its size-change error, sets, and KeyError with
 * the key's repr.
 *
 * The collector moves objects at any allocation (at every one under
 * RPY_GC_STRESS=1), so the tests follow the runtime's rules: an object
 * used after another allocation is RPY_ROOTed, and no expression holds
 * one object while making another (C leaves the order of function
 * arguments open). */
#include "runtime/rt_internal.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

enum {
    TID_DICT_II = RPY_TID_FIRST_PROGRAM,
    TID_DICT_SI,
    TID_TUPLE_IS,
    TID_DICT_TS,
    TID_DICT_FI,
    TID_SET_I,
    TID_SET_S,
    TID_LIST_I,
    TID_LIST_S,
    TID_TUPLE_II,
    TID_LIST_T,
    TID_DICT_SS,
    TID_POINT,
    TID_DICT_PI,
    TID_SET_P,
    TID_LIST_P,
    TID_TUPLE_SS,
    TID_LIST_TSS,
};

static const struct rpy_typeinfo ti_dict_ii = {
    .kind = RPY_K_DICT, .tid = TID_DICT_II, .size = sizeof(struct rpy_dict), .name = "dict",
    .item = &rpy_ti_int, .value = &rpy_ti_int};
static const struct rpy_typeinfo ti_dict_si = {
    .kind = RPY_K_DICT, .tid = TID_DICT_SI, .size = sizeof(struct rpy_dict), .name = "dict",
    .item = &rpy_ti_str, .value = &rpy_ti_int};
static const struct rpy_typeinfo *const tuple_is_items[] = {&rpy_ti_int, &rpy_ti_str};
static const struct rpy_typeinfo ti_tuple_is = {
    .kind = RPY_K_TUPLE, .tid = TID_TUPLE_IS, .size = sizeof(struct rpy_tuple) + 2 * sizeof(rpy_word),
    .nitems = 2, .name = "tuple", .items = tuple_is_items};
static const struct rpy_typeinfo ti_dict_ts = {
    .kind = RPY_K_DICT, .tid = TID_DICT_TS, .size = sizeof(struct rpy_dict), .name = "dict",
    .item = &ti_tuple_is, .value = &rpy_ti_str};
static const struct rpy_typeinfo ti_dict_fi = {
    .kind = RPY_K_DICT, .tid = TID_DICT_FI, .size = sizeof(struct rpy_dict), .name = "dict",
    .item = &rpy_ti_float, .value = &rpy_ti_int};
static const struct rpy_typeinfo ti_set_i = {
    .kind = RPY_K_SET, .tid = TID_SET_I, .size = sizeof(struct rpy_set), .name = "set", .item = &rpy_ti_int};
static const struct rpy_typeinfo ti_set_s = {
    .kind = RPY_K_SET, .tid = TID_SET_S, .size = sizeof(struct rpy_set), .name = "set", .item = &rpy_ti_str};
static const struct rpy_typeinfo ti_list_i = {
    .kind = RPY_K_LIST, .tid = TID_LIST_I, .size = sizeof(struct rpy_list), .name = "list", .item = &rpy_ti_int};
static const struct rpy_typeinfo ti_list_s = {
    .kind = RPY_K_LIST, .tid = TID_LIST_S, .size = sizeof(struct rpy_list), .name = "list", .item = &rpy_ti_str};
static const struct rpy_typeinfo *const tuple_ii_items[] = {&rpy_ti_int, &rpy_ti_int};
static const struct rpy_typeinfo ti_tuple_ii = {
    .kind = RPY_K_TUPLE, .tid = TID_TUPLE_II, .size = sizeof(struct rpy_tuple) + 2 * sizeof(rpy_word),
    .nitems = 2, .name = "tuple", .items = tuple_ii_items};
static const struct rpy_typeinfo ti_list_t = {
    .kind = RPY_K_LIST, .tid = TID_LIST_T, .size = sizeof(struct rpy_list), .name = "list", .item = &ti_tuple_ii};
static const struct rpy_typeinfo ti_dict_ss = {
    .kind = RPY_K_DICT, .tid = TID_DICT_SS, .size = sizeof(struct rpy_dict), .name = "dict",
    .item = &rpy_ti_str, .value = &rpy_ti_str};
/* Instances: their == and hash will run program code, so dicts keyed by
 * them take the lookup path that roots and re-reads. */
static const struct rpy_typeinfo ti_point = {
    .kind = RPY_K_INSTANCE, .tid = TID_POINT, .size = 32, .name = "Point"};
static const struct rpy_typeinfo ti_dict_pi = {
    .kind = RPY_K_DICT, .tid = TID_DICT_PI, .size = sizeof(struct rpy_dict), .name = "dict",
    .item = &ti_point, .value = &rpy_ti_int};
static const struct rpy_typeinfo ti_set_p = {
    .kind = RPY_K_SET, .tid = TID_SET_P, .size = sizeof(struct rpy_set), .name = "set", .item = &ti_point};
static const struct rpy_typeinfo *const tuple_ss_items[] = {&rpy_ti_str, &rpy_ti_str};
static const struct rpy_typeinfo ti_tuple_ss = {
    .kind = RPY_K_TUPLE, .tid = TID_TUPLE_SS, .size = sizeof(struct rpy_tuple) + 2 * sizeof(rpy_word),
    .nitems = 2, .name = "tuple", .items = tuple_ss_items};
static const struct rpy_typeinfo ti_list_tss = {
    .kind = RPY_K_LIST, .tid = TID_LIST_TSS, .size = sizeof(struct rpy_list), .name = "list",
    .item = &ti_tuple_ss};
static const struct rpy_typeinfo ti_list_p = {
    .kind = RPY_K_LIST, .tid = TID_LIST_P, .size = sizeof(struct rpy_list), .name = "list", .item = &ti_point};

const struct rpy_typeinfo *const rpy_typetable[] = {
    NULL, &rpy_ti_str, &rpy_ti_array_raw, &rpy_ti_array_gc,
    [TID_DICT_II] = &ti_dict_ii, [TID_DICT_SI] = &ti_dict_si, [TID_TUPLE_IS] = &ti_tuple_is,
    [TID_DICT_TS] = &ti_dict_ts, [TID_DICT_FI] = &ti_dict_fi, [TID_SET_I] = &ti_set_i,
    [TID_SET_S] = &ti_set_s, [TID_LIST_I] = &ti_list_i, [TID_LIST_S] = &ti_list_s,
    [TID_TUPLE_II] = &ti_tuple_ii, [TID_LIST_T] = &ti_list_t, [TID_DICT_SS] = &ti_dict_ss,
    [TID_POINT] = &ti_point, [TID_DICT_PI] = &ti_dict_pi, [TID_SET_P] = &ti_set_p, [TID_LIST_P] = &ti_list_p,
    [TID_TUPLE_SS] = &ti_tuple_ss, [TID_LIST_TSS] = &ti_list_tss,
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

static rpy_word S(const char *s) { return rpy_w_from_ptr(rpy_str_from_cstr(s)); }

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
    return rpy_w_from_ptr(k);
}
static const char *R(const void *obj) { return rpy_repr_of(rpy_w_from_ptr(obj), rt_ti_of(obj))->data; }

static rpy_word pair(rpy_int k, const char *s)
{
    rpy_word str = S(s);
    RPY_ROOT_WORD(str, true);
    struct rpy_tuple *t = rpy_tuple_new(&ti_tuple_is);
    t->items[0] = rpy_w_from_int(k);
    t->items[1] = str;
    return rpy_w_from_ptr(t);
}

/* d[key] = value for a key and value that are both new objects. */
static void set_pair_str(struct rpy_dict *d, rpy_int k, const char *ks, const char *vs)
{
    RPY_ROOT(d);
    rpy_word key = pair(k, ks);
    RPY_ROOT_WORD(key, true);
    rpy_word value = S(vs);
    rpy_dict_setitem(d, key, value);
}

/* ---- many int keys ---- */

START_TEST(dict_int_keys_100k)
{
    const rpy_int n = 100000;
    struct rpy_dict *d = rpy_dict_new(&ti_dict_ii);
    RPY_ROOT(d);
    for (rpy_int i = 0; i < n; i++)
        rpy_dict_setitem(d, rpy_w_from_int(i * 7 - 300000), rpy_w_from_int(i));
    ck_assert_int_eq(rpy_dict_len(d), n);
    /* Overwriting keeps the size and the position. */
    rpy_dict_setitem(d, rpy_w_from_int(-300000), rpy_w_from_int(-1));
    ck_assert_int_eq(rpy_dict_len_x(d), n);
    for (rpy_int i = 1; i < n; i += 2)
        rpy_dict_delitem(d, rpy_w_from_int(i * 7 - 300000));
    ck_assert_int_eq(rpy_dict_len(d), n / 2);
    for (rpy_int i = 0; i < n; i++) {
        rpy_word key = rpy_w_from_int(i * 7 - 300000);
        ck_assert(rpy_dict_contains(d, key) == (i % 2 == 0));
        if (i % 2 == 0 && i > 0)
            ck_assert(rpy_w_to_int(rpy_dict_getitem(d, key)) == i);
    }
    ck_assert(rpy_w_to_int(rpy_dict_getitem(d, rpy_w_from_int(-300000))) == -1);
    /* Insertion order survives deletions and the resizes of more inserts. */
    for (rpy_int i = 0; i < 1000; i++)
        rpy_dict_setitem(d, rpy_w_from_int(1000000 + i), rpy_w_from_int(i));
    struct rpy_list *keys = rpy_dict_keys(d, &ti_list_i);
    RPY_ROOT(keys);
    ck_assert_int_eq(keys->length, n / 2 + 1000);
    for (rpy_int j = 0; j < n / 2; j++)
        ck_assert(rpy_w_to_int(keys->items->items[j]) == 2 * j * 7 - 300000);
    for (rpy_int j = 0; j < 1000; j++)
        ck_assert(rpy_w_to_int(keys->items->items[n / 2 + j]) == 1000000 + j);
    /* Re-inserting a deleted key puts it last. */
    rpy_dict_setitem(d, rpy_w_from_int(7 - 300000), 5);
    keys = rpy_dict_keys(d, &ti_list_i);
    ck_assert(rpy_w_to_int(keys->items->items[keys->length - 1]) == 7 - 300000);
}
END_TEST

START_TEST(dict_delete_all_shrinks)
{
    struct rpy_dict *d = rpy_dict_new(&ti_dict_ii);
    RPY_ROOT(d);
    for (int round = 0; round < 50; round++) {
        for (rpy_int i = 0; i < 1000; i++)
            rpy_dict_setitem(d, rpy_w_from_int(i + round * 1000), rpy_w_from_int(i));
        for (rpy_int i = 0; i < 1000; i++)
            ck_assert(rpy_w_to_int(rpy_dict_pop(d, rpy_w_from_int(i + round * 1000))) == i);
        ck_assert_int_eq(rpy_dict_len(d), 0);
    }
    /* Deleted entries are compacted away, not accumulated. */
    ck_assert_int_le(d->capacity, 2048);
    ck_assert_str_eq(R(d), "{}");
}
END_TEST

/* ---- str, tuple and float keys ---- */

START_TEST(dict_str_keys)
{
    struct rpy_dict *d = rpy_dict_new(&ti_dict_si);
    RPY_ROOT(d);
    static const char *const words[] = {"kiwi", "apple", "\u65e5\u672c", "", "it's"};
    for (int i = 0; i < 5; i++) {
        rpy_word key = S(words[i]);
        rpy_dict_setitem(d, key, rpy_w_from_int(i));
    }
    ck_assert_str_eq(R(d), "{'kiwi': 0, 'apple': 1, '\u65e5\u672c': 2, '': 3, \"it's\": 4}");
    /* Lookups by equal but distinct str objects. */
    char buf[8] = "app";
    strcat(buf, "le");
    rpy_word key = S(buf);
    ck_assert(rpy_w_to_int(rpy_dict_getitem(d, key)) == 1);
    key = S("fig");
    ck_assert(rpy_dict_get(d, key, rpy_w_from_int(-7)) == rpy_w_from_int(-7));
    key = S("fig");
    ck_assert(rpy_dict_setdefault(d, key, 9) == 9);
    key = S("fig");
    ck_assert(rpy_dict_setdefault(d, key, 10) == 9);
    key = S("nope");
    ck_assert(rpy_dict_pop_default(d, key, 3) == 3);
    key = S("kiwi");
    ck_assert(rpy_dict_pop_default(d, key, 3) == 0);
    ck_assert_str_eq(R(rpy_dict_values(d, &ti_list_i)), "[1, 2, 3, 4, 9]");
    ck_assert_str_eq(R(rpy_dict_keys(d, &ti_list_s)), "['apple', '\u65e5\u672c', '', \"it's\", 'fig']");
}
END_TEST

START_TEST(dict_tuple_keys)
{
    struct rpy_dict *d = rpy_dict_new(&ti_dict_ts);
    RPY_ROOT(d);
    for (int i = 0; i < 300; i++) {
        char s[16];
        snprintf(s, sizeof s, "k%d", i % 10);
        set_pair_str(d, i / 10, s, s);
    }
    ck_assert_int_eq(rpy_dict_len(d), 300);
    rpy_word key = pair(29, "k9");
    ck_assert(rpy_dict_contains(d, key));
    key = pair(30, "k0");
    ck_assert(!rpy_dict_contains(d, key));
    key = pair(3, "k4");
    ck_assert_str_eq(((struct rpy_str *)rpy_w_to_ptr(rpy_dict_getitem(d, key)))->data, "k4");
    set_pair_str(d, 3, "k4", "new");
    ck_assert_int_eq(rpy_dict_len(d), 300);
    struct rpy_dict *small = rpy_dict_new(&ti_dict_ts);
    RPY_ROOT(small);
    set_pair_str(small, 1, "a", "x");
    ck_assert_str_eq(R(small), "{(1, 'a'): 'x'}");
}
END_TEST

START_TEST(dict_float_keys)
{
    struct rpy_dict *d = rpy_dict_new(&ti_dict_fi);
    RPY_ROOT(d);
    rpy_dict_setitem(d, rpy_w_from_float(0.0), 1);
    rpy_dict_setitem(d, rpy_w_from_float(-0.0), 2); /* same key */
    rpy_dict_setitem(d, rpy_w_from_float(1.5), 3);
    ck_assert_int_eq(rpy_dict_len(d), 2);
    ck_assert_str_eq(R(d), "{0.0: 2, 1.5: 3}");
    ck_assert(rpy_dict_getitem(d, rpy_w_from_float(-0.0)) == 2);
}
END_TEST

/* ---- whole-dict operations ---- */

START_TEST(dict_update_copy_clear_items)
{
    struct rpy_dict *a = rpy_dict_new(&ti_dict_ii);
    RPY_ROOT(a);
    struct rpy_dict *b = rpy_dict_new(&ti_dict_ii);
    RPY_ROOT(b);
    for (rpy_int i = 0; i < 5; i++)
        rpy_dict_setitem(a, rpy_w_from_int(i), rpy_w_from_int(i * i));
    for (rpy_int i = 3; i < 8; i++)
        rpy_dict_setitem(b, rpy_w_from_int(i), rpy_w_from_int(-i));
    rpy_dict_delitem(a, rpy_w_from_int(1));
    struct rpy_dict *c = rpy_dict_copy(a);
    RPY_ROOT(c);
    rpy_dict_update(a, b);
    ck_assert_str_eq(R(a), "{0: 0, 2: 4, 3: -3, 4: -4, 5: -5, 6: -6, 7: -7}");
    ck_assert_str_eq(R(c), "{0: 0, 2: 4, 3: 9, 4: 16}");
    ck_assert_str_eq(R(rpy_dict_items(c, &ti_list_t, &ti_tuple_ii)), "[(0, 0), (2, 4), (3, 9), (4, 16)]");
    rpy_dict_update(c, c);
    ck_assert_int_eq(rpy_dict_len(c), 4);
    struct rpy_dict *c2 = rpy_dict_copy(c);
    ck_assert(rpy_eq(rpy_w_from_ptr(c), rpy_w_from_ptr(c2), &ti_dict_ii));
    ck_assert(!rpy_eq(rpy_w_from_ptr(c), rpy_w_from_ptr(a), &ti_dict_ii));
    rpy_dict_clear(a);
    ck_assert_int_eq(rpy_dict_len(a), 0);
    ck_assert(!rpy_dict_contains(a, rpy_w_from_int(0)));
    rpy_dict_setitem(a, rpy_w_from_int(42), 1);
    ck_assert_str_eq(R(a), "{42: 1}");
    ck_assert_str_eq(R(rpy_dict_copy(rpy_dict_new(&ti_dict_ii))), "{}");
}
END_TEST

START_TEST(dict_iteration)
{
    struct rpy_dict *d = rpy_dict_new(&ti_dict_ii);
    RPY_ROOT(d);
    for (rpy_int i = 0; i < 10; i++)
        rpy_dict_setitem(d, rpy_w_from_int(i), rpy_w_from_int(i));
    rpy_dict_delitem(d, rpy_w_from_int(0));
    rpy_dict_delitem(d, rpy_w_from_int(5));
    rpy_dict_delitem(d, rpy_w_from_int(9));
    rpy_int seen = 0, sum = 0, used = rpy_dict_len(d);
    for (rpy_int pos = rpy_dict_next_entry(d, 0, used); pos >= 0; pos = rpy_dict_next_entry(d, pos + 1, used)) {
        sum += rpy_w_to_int(d->entries[pos].key);
        seen++;
    }
    ck_assert_int_eq(seen, 7);
    ck_assert_int_eq(sum, 45 - 14);
    ck_assert_int_eq(rpy_dict_next_entry(rpy_dict_new(&ti_dict_ii), 0, 0), -1);
}
END_TEST

static void missing_key(const struct rpy_typeinfo *ti, rpy_word key)
{
    RPY_ROOT_WORD(key, true);
    struct rpy_dict *d = rpy_dict_new(ti);
    rpy_dict_getitem(d, key);
}
static void missing_str_key(void) { missing_key(&ti_dict_si, S("kiwi")); }
static void missing_tuple_key(void) { missing_key(&ti_dict_ts, pair(1, "a")); }
static void missing_int_key_del(void) { rpy_dict_delitem(rpy_dict_new(&ti_dict_ii), rpy_w_from_int(3)); }
static void missing_int_key_pop(void) { rpy_dict_pop(rpy_dict_new(&ti_dict_ii), rpy_w_from_int(-3)); }
static void missing_quote_key(void) { missing_key(&ti_dict_si, S("it's")); }
static void set_remove_missing(void)
{
    struct rpy_set *s = rpy_set_new(&ti_set_s);
    RPY_ROOT(s);
    rpy_word x = S("x");
    rpy_set_remove(s, x);
}
static void dict_changed_size(void)
{
    struct rpy_dict *d = rpy_dict_new(&ti_dict_ii);
    RPY_ROOT(d);
    rpy_dict_setitem(d, 1, 1);
    rpy_int pos = rpy_dict_next_entry(d, 0, 1);
    rpy_dict_setitem(d, 2, 2);
    rpy_dict_next_entry(d, pos + 1, 1);
}
static void set_changed_size(void)
{
    struct rpy_set *s = rpy_set_new(&ti_set_i);
    RPY_ROOT(s);
    rpy_set_add(s, 1);
    rpy_set_discard(s, 1);
    rpy_dict_next_entry(&s->d, 0, 1);
}

START_TEST(dict_errors)
{
    expect_error(missing_str_key, "KeyError: 'kiwi'");
    expect_error(missing_tuple_key, "KeyError: (1, 'a')");
    expect_error(missing_int_key_del, "KeyError: 3");
    expect_error(missing_int_key_pop, "KeyError: -3");
    expect_error(missing_quote_key, "KeyError: \"it's\"");
    expect_error(set_remove_missing, "KeyError: 'x'");
    expect_error(dict_changed_size, "RuntimeError: dictionary changed size during iteration");
    expect_error(set_changed_size, "RuntimeError: Set changed size during iteration");
}
END_TEST

/* ---- sets ---- */

START_TEST(set_ops)
{
    struct rpy_set *s = rpy_set_new(&ti_set_i);
    RPY_ROOT(s);
    ck_assert_str_eq(R(s), "set()");
    for (rpy_int i = 0; i < 1000; i++)
        rpy_set_add(s, rpy_w_from_int(i % 100));
    ck_assert_int_eq(rpy_dict_len(&s->d), 100);
    ck_assert(rpy_set_contains(s, rpy_w_from_int(99)));
    ck_assert(!rpy_set_contains(s, rpy_w_from_int(100)));
    for (rpy_int i = 0; i < 100; i += 2)
        rpy_set_discard(s, rpy_w_from_int(i));
    rpy_set_discard(s, rpy_w_from_int(12345));
    rpy_set_remove(s, rpy_w_from_int(1));
    ck_assert_int_eq(rpy_dict_len(&s->d), 49);
    struct rpy_set *t = rpy_set_new(&ti_set_i);
    RPY_ROOT(t);
    rpy_set_add(t, 3);
    ck_assert_str_eq(R(t), "{3}");
    /* Inclusion order: {3} < s, s > {3}, not s <= {3}. */
    ck_assert_int_lt(rpy_compare(rpy_w_from_ptr(t), rpy_w_from_ptr(s), &ti_set_i, "<"), 0);
    ck_assert_int_gt(rpy_compare(rpy_w_from_ptr(s), rpy_w_from_ptr(t), &ti_set_i, ">"), 0);
    ck_assert(!(rpy_compare(rpy_w_from_ptr(s), rpy_w_from_ptr(t), &ti_set_i, "<=") <= 0));
    ck_assert(!(rpy_compare(rpy_w_from_ptr(t), rpy_w_from_ptr(t), &ti_set_i, "<") < 0));
    ck_assert(rpy_compare(rpy_w_from_ptr(t), rpy_w_from_ptr(t), &ti_set_i, "<=") <= 0);
    struct rpy_set *u = rpy_set_new(&ti_set_i);
    RPY_ROOT(u);
    rpy_set_add(u, 4);
    ck_assert(!(rpy_compare(rpy_w_from_ptr(t), rpy_w_from_ptr(u), &ti_set_i, "<") < 0));
    ck_assert(!(rpy_compare(rpy_w_from_ptr(t), rpy_w_from_ptr(u), &ti_set_i, ">") > 0));
    ck_assert(!rpy_eq(rpy_w_from_ptr(t), rpy_w_from_ptr(u), &ti_set_i));
    rpy_set_add(u, 3);
    rpy_set_discard(u, 4);
    ck_assert(rpy_eq(rpy_w_from_ptr(t), rpy_w_from_ptr(u), &ti_set_i));
}
END_TEST

START_TEST(dict_popitem)
{
    struct rpy_dict *d = rpy_dict_new(&ti_dict_ii);
    RPY_ROOT(d);
    for (rpy_int i = 1; i <= 3; i++)
        rpy_dict_setitem(d, rpy_w_from_int(i), rpy_w_from_int(i * 10));
    ck_assert_str_eq(R(rpy_dict_popitem(d, &ti_tuple_ii)), "(3, 30)");
    rpy_dict_setitem(d, 7, 70);
    ck_assert_str_eq(R(rpy_dict_popitem(d, &ti_tuple_ii)), "(7, 70)");
    ck_assert_str_eq(R(rpy_dict_popitem(d, &ti_tuple_ii)), "(2, 20)");
    ck_assert_str_eq(R(d), "{1: 10}");
    rpy_dict_setitem(d, 2, 5);
    ck_assert_str_eq(R(d), "{1: 10, 2: 5}");
}
END_TEST

static struct rpy_set *iset(const rpy_int *v, int n)
{
    struct rpy_set *s = rpy_set_new(&ti_set_i);
    RPY_ROOT(s);
    for (int i = 0; i < n; i++)
        rpy_set_add(s, rpy_w_from_int(v[i]));
    return s;
}

START_TEST(set_algebra)
{
    static const rpy_int av[] = {1, 2, 3, 4}, bv[] = {3, 4, 5};
    struct rpy_set *a = iset(av, 4);
    RPY_ROOT(a);
    struct rpy_set *b = iset(bv, 3);
    RPY_ROOT(b);
    ck_assert_str_eq(R(rpy_set_union(a, b)), "{1, 2, 3, 4, 5}");
    ck_assert_str_eq(R(rpy_set_intersection(a, b)), "{3, 4}");
    ck_assert_str_eq(R(rpy_set_difference(a, b)), "{1, 2}");
    ck_assert_str_eq(R(rpy_set_symmetric_difference(a, b)), "{1, 2, 5}");
    ck_assert(!rpy_set_isdisjoint(a, b));
    struct rpy_set *diff = rpy_set_difference(a, b);
    ck_assert(rpy_set_isdisjoint(diff, b));
    struct rpy_set *c = rpy_set_copy(a);
    RPY_ROOT(c);
    rpy_set_update(c, b);
    ck_assert_int_eq(rpy_dict_len(&c->d), 5);
    ck_assert_int_eq(rpy_dict_len(&a->d), 4);
    rpy_word v = rpy_set_pop(c);
    ck_assert(!rpy_set_contains(c, v));
    ck_assert_int_eq(rpy_dict_len(&c->d), 4);
    rpy_set_clear(c);
    ck_assert_str_eq(R(c), "set()");
    struct rpy_list *l = rpy_list_from_range(&ti_list_i, 0, 10, 1);
    RPY_ROOT(l);
    rpy_list_append(l, 3);
    struct rpy_set *fromlist = rpy_set_from_list(&ti_set_i, l);
    ck_assert_int_eq(rpy_dict_len(&fromlist->d), 10);
    ck_assert_str_eq(R(rpy_set_to_list(b, &ti_list_i)), "[3, 4, 5]");
}
END_TEST

/* The in-place forms: s |= t, s &= t, s -= t, s ^= t (also with t = s). */
START_TEST(set_inplace_updates)
{
    static const rpy_int av[] = {1, 2, 3, 4}, bv[] = {3, 4, 5};
    struct rpy_set *a = iset(av, 4);
    RPY_ROOT(a);
    struct rpy_set *b = iset(bv, 3);
    RPY_ROOT(b);
    struct rpy_set *c = rpy_set_copy(a);
    RPY_ROOT(c);
    rpy_set_intersection_update(c, b);
    ck_assert_str_eq(R(c), "{3, 4}");
    rpy_set_intersection_update(c, c);
    ck_assert_str_eq(R(c), "{3, 4}");
    rpy_set_symmetric_difference_update(c, a);
    ck_assert_str_eq(R(c), "{1, 2}");
    rpy_set_symmetric_difference_update(c, b);
    ck_assert_str_eq(R(c), "{1, 2, 3, 4, 5}");
    rpy_set_difference_update(c, b);
    ck_assert_str_eq(R(c), "{1, 2}");
    rpy_set_difference_update(c, c);
    ck_assert_str_eq(R(c), "set()");
    rpy_set_update(c, a);
    rpy_set_symmetric_difference_update(c, c);
    ck_assert_str_eq(R(c), "set()");
    struct rpy_set *s = rpy_set_new(&ti_set_s); /* str items: growing may collect */
    RPY_ROOT(s);
    struct rpy_set *t = rpy_set_new(&ti_set_s);
    RPY_ROOT(t);
    for (int i = 0; i < 20; i++) {
        char buf[16];
        snprintf(buf, sizeof buf, "k%d", i);
        rpy_word w = S(buf);
        RPY_ROOT_WORD(w, true);
        rpy_set_add(i % 2 ? s : t, w);
    }
    rpy_set_symmetric_difference_update(s, t);
    ck_assert_int_eq(rpy_dict_len(&s->d), 20);
    rpy_set_intersection_update(s, t);
    ck_assert_int_eq(rpy_dict_len(&s->d), 10);
    rpy_word k4 = S("k4");
    ck_assert(rpy_set_contains(s, k4));
    rpy_word k5 = S("k5");
    ck_assert(!rpy_set_contains(s, k5));
}
END_TEST

/* d.update(list of pairs), and the maybe-None helpers of d.get(k). */
START_TEST(dict_update_pairs_maybe)
{
    struct rpy_dict *d = rpy_dict_new(&ti_dict_ii);
    RPY_ROOT(d);
    rpy_dict_setitem(d, 1, 10);
    struct rpy_list *l = rpy_list_new_cap(&ti_list_t, 0);
    RPY_ROOT(l);
    for (rpy_int k = 0; k < 3; k++) {
        struct rpy_tuple *t = rpy_tuple_new(&ti_tuple_ii);
        t->items[0] = rpy_w_from_int(k);
        t->items[1] = rpy_w_from_int(k * 100);
        rpy_list_append(l, rpy_w_from_ptr(t));
    }
    rpy_dict_update_pairs(d, l);
    ck_assert_str_eq(R(d), "{1: 100, 0: 0, 2: 200}");
    ck_assert_str_eq(rpy_str_of_maybe(7, true, &rpy_ti_int, false)->data, "7");
    ck_assert_str_eq(rpy_str_of_maybe(7, false, &rpy_ti_int, true)->data, "None");
    ck_assert_str_eq(rpy_str_of_maybe(rpy_w_from_float(0.5), true, &rpy_ti_float, true)->data, "0.5");
    ck_assert_str_eq(rpy_format_maybe(7, true, &rpy_ti_int, rpy_str_from_cstr(">3"))->data, "  7");
    ck_assert_str_eq(rpy_format_maybe(7, false, &rpy_ti_int, rpy_str_from_cstr(""))->data, "None");
}
END_TEST

static void popitem_empty(void) { rpy_dict_popitem(rpy_dict_new(&ti_dict_ii), &ti_tuple_ii); }
static void set_pop_empty(void) { rpy_set_pop(rpy_set_new(&ti_set_i)); }

START_TEST(dict_set_more_errors)
{
    expect_error(popitem_empty, "KeyError: 'popitem(): dictionary is empty'");
    expect_error(set_pop_empty, "KeyError: 'pop from an empty set'");
}
END_TEST

/* ---- under the moving collector ---- */

/* After a minor collection nothing live is young: a key or value still in
 * the nursery was stored into an old dict without the write barrier.
 * (Under RPY_GC_STRESS=1 it points into a retired window: reading its
 * header faults.) */
static void check_entries_old(const struct rpy_dict *d)
{
    bool values = rt_ti_of(d)->kind == RPY_K_DICT;
    for (rpy_int k = 0; k < d->nentries; k++) {
        if (d->entries[k].hash == -1)
            continue;
        const struct rpy_hdr *key = rpy_w_to_ptr(d->entries[k].key);
        ck_assert_msg(!rt_gc_is_young(key) && key->tid == RPY_TID_STR, "key %d missed the barrier", (int)k);
        const struct rpy_hdr *value = values ? rpy_w_to_ptr(d->entries[k].value) : NULL;
        ck_assert_msg(!value || (!rt_gc_is_young(value) && value->tid == RPY_TID_STR),
                      "value %d missed the barrier", (int)k);
    }
}

enum store_path { SET_NEW, SET_OLD, SETDEFAULT, UPDATE, RESIZE, SET_ADD, N_PATHS };

/* One store path at a time, into a dict (or set) made old first. */
static void store_one(enum store_path path)
{
    struct rpy_dict *d = path == SET_ADD ? &rpy_set_new(&ti_set_s)->d : rpy_dict_new(&ti_dict_ss);
    RPY_ROOT(d);
    for (int i = 0; i < 4; i++) { /* 4 entries, room for 5 */
        char k[16];
        snprintf(k, sizeof k, "k%d", i);
        rpy_word key = S(k);
        RPY_ROOT_WORD(key, true);
        if (path == SET_ADD)
            rpy_set_add((struct rpy_set *)d, key);
        else
            rpy_dict_setitem(d, key, K("old"));
    }
    rpy_gc_collect();
    rpy_word key = S(path == SET_OLD ? "k1" : "new-key");
    RPY_ROOT_WORD(key, true);
    rpy_word value = S("new-value");
    RPY_ROOT_WORD(value, true);
    struct rpy_dict *other = NULL;
    RPY_ROOT(other);
    switch (path) {
    case SET_NEW:
    case SET_OLD: rpy_dict_setitem(d, key, value); break;
    case SETDEFAULT: rpy_dict_setdefault(d, key, value); break;
    case UPDATE:
        other = rpy_dict_new(&ti_dict_ss);
        rpy_dict_setitem(other, key, value);
        rpy_dict_update(d, other);
        break;
    case RESIZE: /* a new young storage block */
        for (int i = 0; d->nentries < d->capacity; i++) {
            char k[16];
            snprintf(k, sizeof k, "f%d", i);
            rpy_dict_setitem(d, K(k), K("old"));
        }
        rpy_dict_setitem(d, key, value);
        break;
    case SET_ADD: rpy_set_add((struct rpy_set *)d, key); break;
    default: break;
    }
    rt_gc_minor_collect();
    check_entries_old(d);
}

START_TEST(dict_barriers)
{
    for (int path = 0; path < N_PATHS; path++)
        store_one((enum store_path)path);
}
END_TEST

START_TEST(dict_str_keys_grow)
{
    /* Young str keys and values through many resizes; lookups by equal
     * strs made afresh. */
    struct rpy_dict *d = rpy_dict_new(&ti_dict_ss);
    RPY_ROOT(d);
    for (int i = 0; i < 3000; i++) {
        char k[24], v[24];
        snprintf(k, sizeof k, "key%d", i);
        snprintf(v, sizeof v, "value%d", i);
        rpy_word key = S(k);
        RPY_ROOT_WORD(key, true);
        rpy_word value = S(v);
        rpy_dict_setitem(d, key, value);
    }
    for (int i = 0; i < 3000; i += 7) {
        char k[24], v[24];
        snprintf(k, sizeof k, "key%d", i);
        snprintf(v, sizeof v, "value%d", i);
        rpy_word key = S(k);
        ck_assert_str_eq(((struct rpy_str *)rpy_w_to_ptr(rpy_dict_getitem(d, key)))->data, v);
    }
    struct rpy_dict *c = rpy_dict_copy(d);
    RPY_ROOT(c);
    rpy_word key = S("key2999");
    ck_assert(rpy_dict_contains(c, key));
    ck_assert(rpy_eq(rpy_w_from_ptr(c), rpy_w_from_ptr(d), &ti_dict_ss));
    struct rpy_list *items = rpy_dict_items(c, &ti_list_tss, &ti_tuple_ss);
    RPY_ROOT(items);
    ck_assert_int_eq(items->length, 3000);
    rpy_gc_collect();
    const struct rpy_tuple *last = rpy_w_to_ptr(items->items->items[2999]);
    ck_assert_str_eq(((struct rpy_str *)rpy_w_to_ptr(last->items[1]))->data, "value2999");
}
END_TEST

START_TEST(dict_instance_keys)
{
    /* The rooted lookup path. The points are made old first: an
     * instance hashes by its address, which changes when it moves. */
    struct rpy_list *pts = rpy_list_new(&ti_list_p, 0);
    RPY_ROOT(pts);
    for (int i = 0; i < 300; i++) {
        rpy_word p = rpy_w_from_ptr(rpy_malloc(&ti_point, 32));
        rpy_list_append(pts, p);
    }
    rpy_gc_collect();
    struct rpy_dict *d = rpy_dict_new(&ti_dict_pi);
    RPY_ROOT(d);
    struct rpy_set *s = rpy_set_new(&ti_set_p);
    RPY_ROOT(s);
    for (rpy_int i = 0; i < 300; i++) {
        rpy_dict_setitem(d, pts->items->items[i], rpy_w_from_int(i));
        rpy_set_add(s, pts->items->items[i]);
        rpy_set_add(s, pts->items->items[i / 2]);
    }
    ck_assert_int_eq(rpy_dict_len(d), 300);
    ck_assert_int_eq(rpy_dict_len(&s->d), 300);
    for (rpy_int i = 0; i < 300; i += 2)
        rpy_dict_delitem(d, pts->items->items[i]);
    for (rpy_int i = 0; i < 300; i++) {
        rpy_word p = pts->items->items[i];
        ck_assert(rpy_dict_contains(d, p) == (i % 2 == 1));
        ck_assert(rpy_dict_get(d, p, rpy_w_from_int(-1)) == rpy_w_from_int(i % 2 ? i : -1));
        ck_assert(rpy_set_contains(s, p));
    }
    ck_assert(rpy_dict_setdefault(d, pts->items->items[0], 7) == 7);
    ck_assert(rpy_dict_pop(d, pts->items->items[0]) == 7);
    struct rpy_set *t = rpy_set_copy(s);
    RPY_ROOT(t);
    rpy_set_discard(t, pts->items->items[5]);
    ck_assert(rpy_compare(rpy_w_from_ptr(t), rpy_w_from_ptr(s), &ti_set_p, "<") < 0);
    struct rpy_set *u = rpy_set_intersection(s, t);
    ck_assert(rpy_eq(rpy_w_from_ptr(u), rpy_w_from_ptr(t), &ti_set_p));
}
END_TEST

static Suite *dict_suite(void)
{
    Suite *s = suite_create("rt_dict");
    TCase *tc = tcase_create("dict");
    tcase_set_timeout(tc, 60); /* error cases fork; slow under ASan */
    tcase_add_test(tc, dict_int_keys_100k);
    tcase_add_test(tc, dict_delete_all_shrinks);
    tcase_add_test(tc, dict_str_keys);
    tcase_add_test(tc, dict_tuple_keys);
    tcase_add_test(tc, dict_float_keys);
    tcase_add_test(tc, dict_update_copy_clear_items);
    tcase_add_test(tc, dict_iteration);
    tcase_add_test(tc, dict_errors);
    tcase_add_test(tc, set_ops);
    tcase_add_test(tc, dict_popitem);
    tcase_add_test(tc, set_algebra);
    tcase_add_test(tc, set_inplace_updates);
    tcase_add_test(tc, dict_update_pairs_maybe);
    tcase_add_test(tc, dict_set_more_errors);
    tcase_add_test(tc, dict_barriers);
    tcase_add_test(tc, dict_str_keys_grow);
    tcase_add_test(tc, dict_instance_keys);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(dict_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
