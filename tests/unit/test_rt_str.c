/* test_rt_str.c - the str runtime on ASCII and non-ASCII text: repr
 * quoting and escapes, indexing and slicing by code point, search,
 * replace, split/join, strip, case mapping, predicates, chr/ord, and the
 * exact errors. Expected values are CPython 3.11's.
 *
 * The collector moves objects at any allocation (at every one under
 * RPY_GC_STRESS=1). The str being worked on is made with S(), a young
 * object like a program's computed strs, and RPY_ROOTed when it is used
 * after another allocation; the other arguments are K() constants, which
 * live outside the heap as the backend's literals do, so that a call
 * never holds one new object while making another. */
#include "runtime/rt_internal.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

enum { TID_LIST_STR = RPY_TID_FIRST_PROGRAM, TID_TUPLE_SSS, TID_LIST_INT };

static const struct rpy_typeinfo ti_list_str = {
    .kind = RPY_K_LIST, .tid = TID_LIST_STR, .size = sizeof(struct rpy_list), .name = "list", .item = &rpy_ti_str};
static const struct rpy_typeinfo ti_list_int = {
    .kind = RPY_K_LIST, .tid = TID_LIST_INT, .size = sizeof(struct rpy_list), .name = "list", .item = &rpy_ti_int};
static const struct rpy_typeinfo *const sss_items[] = {&rpy_ti_str, &rpy_ti_str, &rpy_ti_str};
static const struct rpy_typeinfo ti_tuple_sss = {
    .kind = RPY_K_TUPLE, .tid = TID_TUPLE_SSS, .nitems = 3, .name = "tuple", .items = sss_items};

const struct rpy_typeinfo *const rpy_typetable[] = {
    NULL, &rpy_ti_str, &rpy_ti_array_raw, &rpy_ti_array_gc, [TID_LIST_STR] = &ti_list_str,
    [TID_TUPLE_SSS] = &ti_tuple_sss, [TID_LIST_INT] = &ti_list_int};
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

static struct rpy_str *S(const char *s) { return rpy_str_from_cstr(s); }

/* A str constant, as the backend emits for a literal: prebuilt, outside
 * the heap, never moved. */
static struct rpy_str *K(const char *s)
{
    static _Alignas(16) char pool[1 << 20];
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
    return k;
}

/* A well-formed str: NUL-terminated, length counting code points. */
static void check_str(const struct rpy_str *s, const char *want)
{
    ck_assert_str_eq(s->data, want);
    ck_assert_int_eq(s->nbytes, (rpy_int)strlen(want));
    ck_assert_int_eq(s->length, rt_utf8_count(want, (rpy_int)strlen(want)));
    ck_assert_int_eq(s->data[s->nbytes], 0);
}

/* The items of a list of str joined with '|', for compact checks. */
static const char *items(const struct rpy_list *l)
{
    static char buf[1024];
    size_t n = 0;
    buf[0] = 0;
    for (rpy_int i = 0; i < l->length; i++) {
        const struct rpy_str *s = rpy_w_to_ptr(l->items->items[i]);
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? "|" : "", s->data);
    }
    return buf;
}

static const char *const HW = "h\u00e9llo w\u00f6rld"; /* 'héllo wörld' */
static const char *const JP = "\u65e5\u672c\u8a9e";    /* '日本語' */

/* ---- basics ---- */

START_TEST(str_basics)
{
    struct rpy_str *s = S(HW);
    RPY_ROOT(s);
    ck_assert_int_eq(rpy_str_len(s), 11);
    ck_assert_int_eq(s->nbytes, 13);
    ck_assert_int_eq(rpy_str_len(S(JP)), 3);
    check_str(rpy_str_concat(S("ab"), K(JP)), "ab\u65e5\u672c\u8a9e");
    struct rpy_str *ab = S("ab");
    RPY_ROOT(ab);
    struct rpy_str *jp = S(JP);
    check_str(rpy_str_concat(jp, ab), "\u65e5\u672c\u8a9eab"); /* both young */
    ck_assert_ptr_eq(rpy_str_concat(K(""), s), s);
    check_str(rpy_str_mul(S("ab"), 3), "ababab");
    check_str(rpy_str_mul(S(JP), 2), "\u65e5\u672c\u8a9e\u65e5\u672c\u8a9e");
    check_str(rpy_str_mul(S("ab"), 0), "");
    check_str(rpy_str_mul(S("ab"), -5), "");
    check_str(rpy_str_from_bool(true), "True");
    check_str(rpy_str_from_bool(false), "False");
    /* One-character ASCII strings are shared static objects. */
    ck_assert_ptr_eq(rpy_str_getitem(S("xyz"), 1), rpy_str_from_cstr("y"));
}
END_TEST

START_TEST(str_index_and_slice)
{
    struct rpy_str *s = S(HW);
    RPY_ROOT(s);
    struct rpy_str *jp = S(JP);
    RPY_ROOT(jp);
    check_str(rpy_str_getitem(s, 1), "\u00e9");
    check_str(rpy_str_getitem(s, -1), "d");
    check_str(rpy_str_getitem(jp, 1), "\u672c");
    check_str(rpy_str_getitem(jp, -3), "\u65e5");
    check_str(rpy_str_slice(s, 1, true, 4, true, 1), "\u00e9ll");
    check_str(rpy_str_slice(s, 0, false, 0, false, -1), "dlr\u00f6w oll\u00e9h");
    check_str(rpy_str_slice(s, 0, false, 0, false, 2), "hlowrd");
    check_str(rpy_str_slice(s, -3, true, 0, false, 1), "rld");
    check_str(rpy_str_slice(s, 1, true, -1, true, 3), "\u00e9o\u00f6");
    check_str(rpy_str_slice(jp, 0, false, 0, false, -1), "\u8a9e\u672c\u65e5");
    check_str(rpy_str_slice(S("abcdef"), 1, true, 5, true, 2), "bd");
    check_str(rpy_str_slice(S("abcdef"), 5, true, 1, true, -2), "fd");
    check_str(rpy_str_slice(S("abcdef"), -100, true, 100, true, 1), "abcdef");
    check_str(rpy_str_slice(S("abcdef"), 4, true, 2, true, 1), "");
    check_str(rpy_str_slice(S("abcdef"), 0, false, 0, false, INT64_MIN), "f");
    ck_assert_ptr_eq(rpy_str_slice(s, 0, false, 0, false, 1), s);
}
END_TEST

static void str_index_error(void) { rpy_str_getitem(S("abc"), 5); }
static void str_index_error_neg(void) { rpy_str_getitem(S(JP), -4); }
static void str_slice_zero_step(void) { rpy_str_slice(S("abc"), 0, false, 0, false, 0); }

START_TEST(str_index_errors)
{
    expect_error(str_index_error, "IndexError: string index out of range");
    expect_error(str_index_error_neg, "IndexError: string index out of range");
    expect_error(str_slice_zero_step, "ValueError: slice step cannot be zero");
}
END_TEST

START_TEST(str_compare_and_hash)
{
    ck_assert(rpy_str_eq(S("abc"), K("abc")));
    ck_assert(!rpy_str_eq(S("abc"), K("abd")));
    ck_assert(!rpy_str_eq(S("abc"), NULL));
    ck_assert(rpy_str_eq(NULL, NULL));
    ck_assert_int_lt(rpy_str_cmp(S("abc"), K("abd")), 0);
    ck_assert_int_lt(rpy_str_cmp(S("ab"), K("abc")), 0);
    ck_assert_int_gt(rpy_str_cmp(S("b"), K("abc")), 0);
    ck_assert_int_eq(rpy_str_cmp(S(JP), K(JP)), 0);
    ck_assert_int_gt(rpy_str_cmp(S("\u00e9"), K("z")), 0); /* code point order */
    ck_assert_int_lt(rpy_str_cmp(S("\uffff"), K("\U00010000")), 0);
    struct rpy_str *a = S(HW);
    RPY_ROOT(a);
    struct rpy_str *b = S(HW);
    RPY_ROOT(b);
    ck_assert(rpy_str_hash(a) == rpy_str_hash(b));
    ck_assert(rpy_str_hash(a) != -1);
    ck_assert(rpy_str_hash(S("abc")) != rpy_str_hash(K("abd")));
    ck_assert(rpy_str_contains(a, K("w\u00f6")));
    ck_assert(!rpy_str_contains(a, K("wo")));
    ck_assert(rpy_str_contains(a, K("")));
}
END_TEST

/* ---- repr ---- */

START_TEST(str_repr)
{
    static const struct { const char *s, *repr; } cases[] = {
        {"hello", "'hello'"},
        {"it's", "\"it's\""},
        {"say \"hi\"", "'say \"hi\"'"},
        {"both ' and \"", "'both \\' and \"'"},
        {"tab\there\nnl\r\x01\x7f\x1b", "'tab\\there\\nnl\\r\\x01\\x7f\\x1b'"},
        {"back\\slash", "'back\\\\slash'"},
        {"h\u00e9llo w\u00f6rld", "'h\u00e9llo w\u00f6rld'"},
        {"\u65e5\u672c\u8a9e", "'\u65e5\u672c\u8a9e'"},
        {"\u00a0\u00ad\u2028\u200b\ufeff\U0001f600\U000e0001\xc2\x85" "\ud7ff\ue000",
         "'\\xa0\\xad\\u2028\\u200b\\ufeff\U0001f600\\U000e0001\\x85\\ud7ff\\ue000'"},
        {"\u0378", "'\\u0378'"},
        {"", "''"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_str(rpy_str_repr(S(cases[i].s)), cases[i].repr);
    /* An embedded NUL needs from_utf8 with a length. */
    check_str(rpy_str_repr(rpy_str_from_utf8("a\0b", 3)), "'a\\x00b'");
}
END_TEST

/* ---- search and replace ---- */

START_TEST(str_find_count)
{
    struct rpy_str *s = S(HW);
    RPY_ROOT(s);
    ck_assert_int_eq(rpy_str_find(s, K("w\u00f6")), 6);
    ck_assert_int_eq(rpy_str_rfind(s, K("l")), 9);
    ck_assert_int_eq(rpy_str_find(s, K("l")), 2);
    ck_assert_int_eq(rpy_str_find(s, K("xyz")), -1);
    ck_assert_int_eq(rpy_str_rfind(s, K("xyz")), -1);
    ck_assert_int_eq(rpy_str_find(s, K("")), 0);
    ck_assert_int_eq(rpy_str_rfind(s, K("")), 11);
    ck_assert_int_eq(rpy_str_index(S(JP), K("\u8a9e")), 2);
    ck_assert_int_eq(rpy_str_count(s, K("l")), 3);
    ck_assert_int_eq(rpy_str_count(S("aaaa"), K("aa")), 2);
    ck_assert_int_eq(rpy_str_count(S("abc"), K("")), 4);
    ck_assert_int_eq(rpy_str_count(S(JP), K("")), 4);
    ck_assert_int_eq(rpy_str_rfind(S("abcabc"), K("bc")), 4);
    ck_assert_int_eq(rpy_str_rfind(S("abcabc"), K("abcabcd")), -1);
    ck_assert(rpy_str_startswith(s, K("h\u00e9")));
    ck_assert(!rpy_str_startswith(S("ab"), K("abc")));
    ck_assert(rpy_str_endswith(s, K("rld")));
    ck_assert(rpy_str_endswith(s, K("")));
    ck_assert(!rpy_str_endswith(S("ab"), K("xab")));
}
END_TEST

/* find/rfind/count/index/startswith/endswith in s[start:end], with
 * CPython's bounds rules (expected values from CPython 3.11). */
START_TEST(str_search_slices)
{
    struct rpy_str *s = S(HW); /* 'héllo wörld' */
    RPY_ROOT(s);
    ck_assert_int_eq(rpy_str_find_slice(s, K("l"), 3, INT64_MAX), 3);
    ck_assert_int_eq(rpy_str_find_slice(s, K("l"), 4, INT64_MAX), 9);
    ck_assert_int_eq(rpy_str_find_slice(s, K("l"), 4, 9), -1);
    ck_assert_int_eq(rpy_str_find_slice(s, K("\u00f6"), -5, -1), 7);
    ck_assert_int_eq(rpy_str_find_slice(s, K(""), 11, INT64_MAX), 11);
    ck_assert_int_eq(rpy_str_find_slice(s, K(""), 12, INT64_MAX), -1);
    ck_assert_int_eq(rpy_str_find_slice(s, K(""), -100, 3), 0);
    ck_assert_int_eq(rpy_str_rfind_slice(s, K("l"), 0, 9), 3);
    ck_assert_int_eq(rpy_str_rfind_slice(s, K("l"), 0, 10), 9);
    ck_assert_int_eq(rpy_str_rfind_slice(s, K("h\u00e9"), 0, 2), 0);
    ck_assert_int_eq(rpy_str_rfind_slice(s, K("h\u00e9"), 1, INT64_MAX), -1);
    ck_assert_int_eq(rpy_str_rfind_slice(s, K(""), 2, 5), 5);
    ck_assert_int_eq(rpy_str_rfind_slice(s, K(""), 5, 2), -1);
    ck_assert_int_eq(rpy_str_count_slice(s, K("l"), 0, 4), 2);
    ck_assert_int_eq(rpy_str_count_slice(s, K("l"), -2, INT64_MAX), 1);
    ck_assert_int_eq(rpy_str_count_slice(s, K(""), 3, 6), 4);
    ck_assert_int_eq(rpy_str_count_slice(s, K(""), 30, INT64_MAX), 0);
    ck_assert_int_eq(rpy_str_count_slice(S("aaaaa"), K("aa"), 1, INT64_MAX), 2);
    ck_assert_int_eq(rpy_str_index_slice(s, K("\u00f6"), 5, INT64_MAX), 7);
    ck_assert_int_eq(rpy_str_rindex_slice(s, K("o"), 0, 6), 4);
    ck_assert(rpy_str_startswith_slice(s, K("w\u00f6"), 6, INT64_MAX));
    ck_assert(!rpy_str_startswith_slice(s, K("w\u00f6"), 6, 7));
    ck_assert(rpy_str_startswith_slice(s, K(""), 11, INT64_MAX));
    ck_assert(!rpy_str_startswith_slice(s, K(""), 12, INT64_MAX));
    ck_assert(rpy_str_endswith_slice(s, K("llo"), 0, 5));
    ck_assert(rpy_str_endswith_slice(s, K("\u00e9"), -100, 2));
    ck_assert(!rpy_str_endswith_slice(s, K("rld"), 0, -1));
}
END_TEST

START_TEST(str_istitle_encode)
{
    ck_assert(rpy_str_istitle(K("Hello World")));
    ck_assert(rpy_str_istitle(K("A1 B2-C")));
    ck_assert(!rpy_str_istitle(K("Hello world")));
    ck_assert(!rpy_str_istitle(K("HEllo")));
    ck_assert(!rpy_str_istitle(K("123")));
    ck_assert(!rpy_str_istitle(K("")));
    ck_assert(rpy_str_istitle(K("\u01c5a"))); /* titlecase Dz, then lowercase */
    ck_assert(rpy_str_isdecimal(K("0123")));
    ck_assert(!rpy_str_isdecimal(K("\u00b2")));
    ck_assert(rpy_str_isnumeric(K("\u00b2\u00bd")));
    ck_assert(!rpy_str_isnumeric(K("")));
    struct rpy_list *b = rpy_str_encode(S("h\u00e9"), &ti_list_int);
    ck_assert_int_eq(b->length, 3);
    ck_assert_int_eq(rpy_w_to_int(b->items->items[0]), 104);
    ck_assert_int_eq(rpy_w_to_int(b->items->items[1]), 0xc3);
    ck_assert_int_eq(rpy_w_to_int(b->items->items[2]), 0xa9);
    ck_assert_int_eq(rpy_str_encode(K(""), &ti_list_int)->length, 0);
}
END_TEST

static void encode_surrogate(void) { rpy_str_encode(rpy_str_chr(0xd800), &ti_list_int); }
static void rindex_slice_missing(void) { rpy_str_rindex_slice(S("abc"), K("c"), 0, 2); }

START_TEST(str_slice_errors)
{
    expect_error(encode_surrogate, "UnicodeError: 'utf-8' codec can't encode character '\\ud800' in position 0: "
                                   "surrogates not allowed");
    expect_error(rindex_slice_missing, "ValueError: substring not found");
}
END_TEST

static void str_index_missing(void) { rpy_str_index(S("abc"), K("z")); }

START_TEST(str_index_missing_error) { expect_error(str_index_missing, "ValueError: substring not found"); }
END_TEST

START_TEST(str_replace)
{
    struct rpy_str *s = S(HW);
    RPY_ROOT(s);
    check_str(rpy_str_replace(s, K("\u00f6"), K("o"), -1), "h\u00e9llo world");
    check_str(rpy_str_replace(s, K(""), K("-"), -1), "-h-\u00e9-l-l-o- -w-\u00f6-r-l-d-");
    check_str(rpy_str_replace(s, K("l"), K("L"), 2), "h\u00e9LLo w\u00f6rld");
    check_str(rpy_str_replace(S("abc"), K(""), K("-"), 2), "-a-bc");
    check_str(rpy_str_replace(S("aaa"), K("a"), K("b"), 0), "aaa");
    check_str(rpy_str_replace(S("aaa"), K("a"), K(JP), -1),
              "\u65e5\u672c\u8a9e\u65e5\u672c\u8a9e\u65e5\u672c\u8a9e");
    check_str(rpy_str_replace(S("a.b.c"), K("."), K(""), -1), "abc");
    ck_assert_ptr_eq(rpy_str_replace(s, K("zz"), K("y"), -1), s);
}
END_TEST

/* ---- split, join, strip ---- */

START_TEST(str_split_join)
{
    ck_assert_str_eq(items(rpy_str_split(S(HW), NULL, -1, &ti_list_str)), "h\u00e9llo|w\u00f6rld");
    ck_assert_str_eq(items(rpy_str_split(S(HW), K("\u00f6"), -1, &ti_list_str)), "h\u00e9llo w|rld");
    ck_assert_str_eq(items(rpy_str_split(S("  a b  c "), NULL, -1, &ti_list_str)), "a|b|c");
    ck_assert_str_eq(items(rpy_str_split(S(" a b c "), NULL, 1, &ti_list_str)), "a|b c ");
    ck_assert_str_eq(items(rpy_str_split(S("a,b,,c"), K(","), -1, &ti_list_str)), "a|b||c");
    ck_assert_str_eq(items(rpy_str_split(S("a,b,,c"), K(","), 2, &ti_list_str)), "a|b|,c");
    ck_assert_int_eq(rpy_str_split(S(""), NULL, -1, &ti_list_str)->length, 0);
    ck_assert_int_eq(rpy_str_split(S("   "), NULL, -1, &ti_list_str)->length, 0);
    ck_assert_int_eq(rpy_str_split(S(""), K(","), -1, &ti_list_str)->length, 1);
    ck_assert_str_eq(items(rpy_str_split(S("\u3000x\u2003y\xc2\x85"), NULL, -1, &ti_list_str)), "x|y");
    ck_assert_str_eq(items(rpy_str_split(S("a::b::c"), K("::"), -1, &ti_list_str)), "a|b|c");
    struct rpy_str *text = S("a::b::c"); /* a young separator too */
    RPY_ROOT(text);
    struct rpy_str *sep = S("::");
    ck_assert_str_eq(items(rpy_str_split(text, sep, -1, &ti_list_str)), "a|b|c");

    struct rpy_list *l = rpy_str_split(S("x y z"), NULL, -1, &ti_list_str);
    RPY_ROOT(l);
    check_str(rpy_str_join(K(", "), l), "x, y, z");
    sep = S(JP);
    check_str(rpy_str_join(sep, l), "x\u65e5\u672c\u8a9ey\u65e5\u672c\u8a9ez");
    check_str(rpy_str_join(K("-"), rpy_list_new(&ti_list_str, 0)), "");
    struct rpy_list *one = rpy_list_from_str(S(JP), &ti_list_str);
    RPY_ROOT(one);
    ck_assert_str_eq(items(one), "\u65e5|\u672c|\u8a9e");
    check_str(rpy_str_join(K(""), one), JP);
}
END_TEST

static void split_empty_sep(void) { rpy_str_split(S("a b"), K(""), -1, &ti_list_str); }
static void join_none(void)
{
    struct rpy_list *l = rpy_list_new(&ti_list_str, 2);
    RPY_ROOT(l);
    rpy_word a = rpy_w_from_ptr(S("a"));
    l->items->items[0] = a;
    rpy_str_join(K(","), l);
}

START_TEST(str_split_join_errors)
{
    expect_error(split_empty_sep, "ValueError: empty separator");
    expect_error(join_none, "TypeError: sequence item 1: expected str instance, NoneType found");
}
END_TEST

START_TEST(str_strip)
{
    check_str(rpy_str_strip(S(" \t\nxy\x1c "), NULL), "xy");
    check_str(rpy_str_strip(S("xxhixx"), K("x")), "hi");
    check_str(rpy_str_strip(S("\u00e1bc\u00e1"), K("\u00e1")), "bc");
    check_str(rpy_str_lstrip(S("  x "), NULL), "x ");
    check_str(rpy_str_rstrip(S("  x "), NULL), "  x");
    check_str(rpy_str_strip(S("\u3000\u00a0x\u2003"), NULL), "x");
    check_str(rpy_str_strip(S("   "), NULL), "");
    check_str(rpy_str_strip(S("abcba"), K("ab")), "c");
    check_str(rpy_str_rstrip(S("\u65e5\u672c\u8a9e\u8a9e"), K("\u8a9e")), "\u65e5\u672c");
}
END_TEST

/* ---- case and predicates ---- */

START_TEST(str_case)
{
    check_str(rpy_str_upper(S(HW)), "H\u00c9LLO W\u00d6RLD");
    check_str(rpy_str_lower(S("H\u00c9LLO W\u00d6RLD")), HW);
    check_str(rpy_str_upper(S("abc-XYZ 123")), "ABC-XYZ 123");
    check_str(rpy_str_lower(S("abc-XYZ 123")), "abc-xyz 123");
    check_str(rpy_str_upper(S("stra\u00dfe")), "STRASSE");
    check_str(rpy_str_lower(S("\u0130")), "i\u0307");
    check_str(rpy_str_lower(S("\u0391\u03a3")), "\u03b1\u03c2");
    check_str(rpy_str_lower(S("\u03a3\u0391\u03a3 \u03a3\u0391")), "\u03c3\u03b1\u03c2 \u03c3\u03b1");
    check_str(rpy_str_lower(S("\u03a3")), "\u03c3");
    check_str(rpy_str_upper(S(JP)), JP);
}
END_TEST

START_TEST(str_predicates)
{
    ck_assert(rpy_str_isdigit(S("0123")));
    ck_assert(rpy_str_isdigit(S("\u0661\u0662\u0663")));
    ck_assert(rpy_str_isdigit(S("\u00b2")));
    ck_assert(!rpy_str_isdigit(S("\u00bd")));
    ck_assert(!rpy_str_isdigit(S("")));
    ck_assert(!rpy_str_isdigit(S("12a")));
    ck_assert(rpy_str_isalnum(S("ab1")));
    ck_assert(rpy_str_isalnum(S("\u00bd")));
    ck_assert(!rpy_str_isalnum(S("a b")));
    ck_assert(rpy_str_isalpha(S("\u00e9a")));
    ck_assert(rpy_str_isalpha(S(JP)));
    ck_assert(!rpy_str_isalpha(S("a1")));
    ck_assert(rpy_str_isupper(S("ABC")));
    ck_assert(rpy_str_isupper(S("A1")));
    ck_assert(!rpy_str_isupper(S("1")));
    ck_assert(!rpy_str_isupper(S("\u01c5")));
    ck_assert(!rpy_str_islower(S("\u01c5")));
    ck_assert(rpy_str_isupper(S("\u00c9COLE")));
    ck_assert(rpy_str_islower(S("\u00e9cole")));
    ck_assert(!rpy_str_islower(S("\u00e9cOle")));
    ck_assert(rpy_str_isspace(S(" \u3000\t")));
    ck_assert(!rpy_str_isspace(S("")));
    ck_assert(!rpy_str_isspace(S(" x")));
}
END_TEST

/* ---- chr, ord ---- */

START_TEST(str_chr_ord)
{
    check_str(rpy_str_chr(65), "A");
    check_str(rpy_str_chr(0xe9), "\u00e9");
    check_str(rpy_str_chr(0x65e5), "\u65e5");
    check_str(rpy_str_chr(0x1f600), "\U0001f600");
    ck_assert_int_eq(rpy_str_ord(S("A")), 65);
    ck_assert_int_eq(rpy_str_ord(S("\u00e9")), 0xe9);
    ck_assert_int_eq(rpy_str_ord(S("\U0001f600")), 0x1f600);
    for (rpy_int cp = 1; cp < 0x110000; cp += 97)
        if (cp < 0xd800 || cp > 0xdfff)
            ck_assert_int_eq(rpy_str_ord(rpy_str_chr(cp)), cp);
}
END_TEST

static void chr_too_big(void) { rpy_str_chr(0x110000); }
static void chr_negative(void) { rpy_str_chr(-1); }
static void ord_two(void) { rpy_str_ord(S("ab")); }
static void ord_empty(void) { rpy_str_ord(S("")); }

START_TEST(str_chr_ord_errors)
{
    expect_error(chr_too_big, "ValueError: chr() arg not in range(0x110000)");
    expect_error(chr_negative, "ValueError: chr() arg not in range(0x110000)");
    expect_error(ord_two, "TypeError: ord() expected a character, but string of length 2 found");
    expect_error(ord_empty, "TypeError: ord() expected a character, but string of length 0 found");
}
END_TEST

/* ---- the methods beyond rpyrt.h's original set ---- */

static const char *R3(const struct rpy_tuple *t)
{
    return rpy_repr_of(rpy_w_from_ptr(t), &ti_tuple_sss)->data;
}

START_TEST(str_title_capitalize)
{
    check_str(rpy_str_title(S("hello wORLD")), "Hello World");
    check_str(rpy_str_title(S("they're bill's")), "They'Re Bill'S");
    check_str(rpy_str_title(S("a1b \u01c6a \u00dfx")), "A1B \u01c5a Ssx");
    check_str(rpy_str_title(S("\u03c3\u03a3")), "\u03a3\u03c2");
    check_str(rpy_str_capitalize(S("hELLO World")), "Hello world");
    check_str(rpy_str_capitalize(S("\u03a3\u03a3 x")), "\u03a3\u03c2 x");
    check_str(rpy_str_capitalize(S("\ufb01x")), "Fix");
    check_str(rpy_str_capitalize(S("")), "");
}
END_TEST

START_TEST(str_padding)
{
    check_str(rpy_str_center(S("abc"), 8, K("*")), "**abc***");
    check_str(rpy_str_center(S("abc"), 9, K("*")), "***abc***");
    check_str(rpy_str_center(S("ab"), 7, NULL), "   ab  ");
    check_str(rpy_str_center(S("abc"), 2, NULL), "abc");
    check_str(rpy_str_ljust(S("ab"), 5, K("\u00e9")), "ab\u00e9\u00e9\u00e9");
    check_str(rpy_str_rjust(S("ab"), 5, NULL), "   ab");
    check_str(rpy_str_rjust(S("\u65e5"), 3, K("-")), "--\u65e5");
    struct rpy_str *text = S("ab"), *fill = NULL; /* a young fill too */
    RPY_ROOT(text);
    fill = S("\u00e9");
    check_str(rpy_str_center(text, 5, fill), "\u00e9\u00e9ab\u00e9");
    check_str(rpy_str_zfill(S("-42"), 6), "-00042");
    check_str(rpy_str_zfill(S("+x"), 4), "+00x");
    check_str(rpy_str_zfill(S("\u00e9"), 3), "00\u00e9");
    check_str(rpy_str_zfill(S("12345"), 3), "12345");
}
END_TEST

START_TEST(str_partition_rsplit_lines)
{
    ck_assert_str_eq(R3(rpy_str_partition(S("abc"), K("b"), &ti_tuple_sss)), "('a', 'b', 'c')");
    ck_assert_str_eq(R3(rpy_str_partition(S("abc"), K("x"), &ti_tuple_sss)), "('abc', '', '')");
    ck_assert_str_eq(R3(rpy_str_rpartition(S("aXbXc"), K("X"), &ti_tuple_sss)), "('aXb', 'X', 'c')");
    ck_assert_str_eq(R3(rpy_str_rpartition(S("abc"), K("x"), &ti_tuple_sss)), "('', '', 'abc')");
    ck_assert_str_eq(items(rpy_str_rsplit(S(" a b  c "), NULL, 1, &ti_list_str)), " a b|c");
    ck_assert_str_eq(items(rpy_str_rsplit(S(" a b c "), NULL, 0, &ti_list_str)), " a b c");
    ck_assert_str_eq(items(rpy_str_rsplit(S("a,b,c"), K(","), 1, &ti_list_str)), "a,b|c");
    ck_assert_str_eq(items(rpy_str_rsplit(S("a  b"), NULL, -1, &ti_list_str)), "a|b");
    ck_assert_str_eq(items(rpy_str_rsplit(S(JP), K("\u672c"), -1, &ti_list_str)), "\u65e5|\u8a9e");
    ck_assert_str_eq(items(rpy_str_splitlines(S("a\r\nb\rc\nd\ve\x1c" "f\xc2\x85" "g\u2028h\n"), false,
                                              &ti_list_str)),
                     "a|b|c|d|e|f|g|h");
    ck_assert_str_eq(items(rpy_str_splitlines(S("a\nb\r\n"), true, &ti_list_str)), "a\n|b\r\n");
    ck_assert_int_eq(rpy_str_splitlines(S(""), false, &ti_list_str)->length, 0);
    ck_assert_str_eq(items(rpy_str_splitlines(S("\n\nx"), false, &ti_list_str)), "||x");
    ck_assert_int_eq(rpy_str_rindex(S("abcabc"), K("b")), 4);
    struct rpy_str *text = S("key->value"); /* a young separator too */
    RPY_ROOT(text);
    struct rpy_str *sep = S("->");
    ck_assert_str_eq(R3(rpy_str_partition(text, sep, &ti_tuple_sss)), "('key', '->', 'value')");
    sep = S("->");
    ck_assert_str_eq(R3(rpy_str_rpartition(text, sep, &ti_tuple_sss)), "('key', '->', 'value')");
}
END_TEST

static void bad_fill(void) { rpy_str_center(S("a"), 5, K("ab")); }
static void partition_empty(void) { rpy_str_partition(S("a"), K(""), &ti_tuple_sss); }
static void rindex_missing(void) { rpy_str_rindex(S("a"), K("b")); }

START_TEST(str_more_errors)
{
    expect_error(bad_fill, "TypeError: The fill character must be exactly one character long");
    expect_error(partition_empty, "ValueError: empty separator");
    expect_error(rindex_missing, "ValueError: substring not found");
}
END_TEST

static Suite *str_suite(void)
{
    Suite *s = suite_create("rt_str");
    TCase *tc = tcase_create("str");
    tcase_set_timeout(tc, 60); /* error cases fork; slow under ASan */
    tcase_add_test(tc, str_basics);
    tcase_add_test(tc, str_index_and_slice);
    tcase_add_test(tc, str_index_errors);
    tcase_add_test(tc, str_compare_and_hash);
    tcase_add_test(tc, str_repr);
    tcase_add_test(tc, str_find_count);
    tcase_add_test(tc, str_index_missing_error);
    tcase_add_test(tc, str_search_slices);
    tcase_add_test(tc, str_istitle_encode);
    tcase_add_test(tc, str_slice_errors);
    tcase_add_test(tc, str_replace);
    tcase_add_test(tc, str_split_join);
    tcase_add_test(tc, str_split_join_errors);
    tcase_add_test(tc, str_strip);
    tcase_add_test(tc, str_case);
    tcase_add_test(tc, str_predicates);
    tcase_add_test(tc, str_chr_ord);
    tcase_add_test(tc, str_chr_ord_errors);
    tcase_add_test(tc, str_title_capitalize);
    tcase_add_test(tc, str_padding);
    tcase_add_test(tc, str_partition_rsplit_lines);
    tcase_add_test(tc, str_more_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(str_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
