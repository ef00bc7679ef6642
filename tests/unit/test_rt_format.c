/* test_rt_format.c - format(), %-formatting and str.format against
 * CPython 3.11.
 *
 * The case tables come from tests/unit/gen_format_cases.py, which the
 * Makefile runs when it builds this test: every expected text (or
 * exception type and message) is CPython's own, computed at test time,
 * and lands in $(BUILD)/tests/format_cases.inc. Each table test runs all
 * of its cases, prints every difference, and fails unless there is none.
 *
 * Exceptions are real here: the test defines the built-in exception
 * classes (rpy_exc_tids), so a raise makes an exception object that the
 * test fetches and compares, instead of ending the process.
 *
 * The collector moves objects at any allocation (at every one under
 * RPY_GC_STRESS=1): objects the test makes are rooted while it makes the
 * next, and the arguments include instances whose __str__ allocates (or
 * raises), so a missing root in format.c shows up as a crash or a wrong
 * text. */
#include "runtime/rt_internal.h"

#include <check.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

enum {
    TID_LIST_INT = RPY_TID_FIRST_PROGRAM,
    TID_DICT_SI,
    TID_POINT,
    TID_BAD,
    TID_EXC,                         /* + enum rpy_exc */
    TID_SIG = TID_EXC + RPY_EXC_COUNT, /* + the generated signatures */
};

/* ---- the types of the arguments ---- */

struct point {
    struct rpy_hdr hdr;
    rpy_int x, y;
};

/* Point.__str__ / __repr__ as the compiler's wrappers would be: read the
 * fields, then allocate the result (which may move self). */
static struct rpy_str *point_str(void *self)
{
    const struct point *p = self;
    char buf[64];
    snprintf(buf, sizeof buf, "P(%lld, %lld)", (long long)p->x, (long long)p->y);
    return rpy_str_from_cstr(buf);
}

static struct rpy_str *point_repr(void *self)
{
    const struct point *p = self;
    char buf[64];
    snprintf(buf, sizeof buf, "Point(%lld, %lld)", (long long)p->x, (long long)p->y);
    return rpy_str_from_cstr(buf);
}

/* Bad.__str__ raises ValueError('bad str'); __repr__ returns 'Bad()'. */
static struct rpy_str *bad_str(void *self)
{
    rpy_raise_builtin_c(RPY_EXC_ValueError, "bad str");
    return NULL;
}

static struct rpy_str *bad_repr(void *self) { return rpy_str_from_cstr("Bad()"); }

static const struct rpy_classinfo point_cls = {.name = "Point", .str = point_str, .repr = point_repr};
static const struct rpy_classinfo bad_cls = {.name = "Bad", .str = bad_str, .repr = bad_repr};
static const uint32_t point_offsets[] = {offsetof(struct point, x), offsetof(struct point, y)};
static const struct rpy_typeinfo *const point_fields[] = {&rpy_ti_int, &rpy_ti_int};
static const struct rpy_typeinfo ti_point = {
    .kind = RPY_K_INSTANCE, .tid = TID_POINT, .size = sizeof(struct point), .nitems = 2, .name = "Point",
    .offsets = point_offsets, .fields = point_fields, .cls = &point_cls};
static const struct rpy_typeinfo ti_bad = {
    .kind = RPY_K_INSTANCE, .tid = TID_BAD, .size = 16, .name = "Bad", .cls = &bad_cls};
static const struct rpy_typeinfo ti_list_int = {
    .kind = RPY_K_LIST, .tid = TID_LIST_INT, .size = sizeof(struct rpy_list), .name = "list", .item = &rpy_ti_int};
static const struct rpy_typeinfo ti_dict_si = {
    .kind = RPY_K_DICT, .tid = TID_DICT_SI, .size = sizeof(struct rpy_dict), .name = "dict",
    .item = &rpy_ti_str, .value = &rpy_ti_int};

/* ---- the built-in exception classes ---- */

#include "tests/unit/rt_exc_tables.h"

/* ---- the generated tables ---- */

#define S(lit) lit, (rpy_int)(sizeof(lit) - 1)

struct spec_case {
    char kind; /* i f b s */
    long long i;
    unsigned long long f; /* bits of the double */
    const char *s;
    rpy_int slen;
    const char *spec;
    rpy_int speclen;
    int exc; /* enum rpy_exc, or -1: no error */
    const char *want;
    rpy_int wantlen;
};

struct arg_init {
    char kind; /* see gen_format_cases.py */
    long long i;
    unsigned long long f;
    const char *s;
    rpy_int slen;
};

struct call_case {
    const char *fmt;
    rpy_int fmtlen;
    int sig;   /* tuple type sig_ti[sig]; -1: a single operand (rpy_str_percent1) */
    int first; /* the arguments: case_args[first .. first + nargs) */
    int nargs;
    int exc;
    const char *want;
    rpy_int wantlen;
};

#include "format_cases.inc"

#define X(n, b) [TID_EXC + RPY_EXC_##n] = &exc_ti[RPY_EXC_##n],
const struct rpy_typeinfo *const rpy_typetable[TID_SIG + NSIGS + 1] = {
    NULL, &rpy_ti_str, &rpy_ti_array_raw, &rpy_ti_array_gc,
    [TID_LIST_INT] = &ti_list_int, [TID_DICT_SI] = &ti_dict_si, [TID_POINT] = &ti_point, [TID_BAD] = &ti_bad,
    RPY_BUILTIN_EXCEPTIONS(X) SIG_ENTRIES};
#undef X
const uint32_t rpy_ntypes = TID_SIG + NSIGS + 1;

#define NCASES(t) (sizeof(t) / sizeof(t[0]))

static rpy_word W(const void *p) { return rpy_w_from_ptr(p); }

static double from_bits(unsigned long long b)
{
    double x;
    memcpy(&x, &b, sizeof x);
    return x;
}

/* A str constant, as the backend emits for a literal: prebuilt, outside
 * the heap. */
static struct rpy_str *K(const char *s)
{
    static _Alignas(16) char pool[1 << 14];
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

static const struct rpy_typeinfo *kind_ti(char kind)
{
    switch (kind) {
    case 'i': return &rpy_ti_int;
    case 'f': return &rpy_ti_float;
    case 'b': return &rpy_ti_bool;
    case 's': case 'N': return &rpy_ti_str;
    case 'n': return &rpy_ti_none;
    case 'l': return &ti_list_int;
    case 'd': return &ti_dict_si;
    case 'p': return &ti_point;
    default: return &ti_bad;
    }
}

/* A new value for an argument initialiser (it may allocate). */
static rpy_word make_arg(const struct arg_init *a)
{
    switch (a->kind) {
    case 'i': return rpy_w_from_int(a->i);
    case 'b': return rpy_w_from_bool(a->i != 0);
    case 'f': return (rpy_word)a->f;
    case 's': return W(rpy_str_from_utf8(a->s, a->slen));
    case 'l': {
        struct rpy_list *l = rpy_list_new(&ti_list_int, a->i);
        for (rpy_int k = 0; k < a->i; k++)
            l->items->items[k] = rpy_w_from_int(k);
        return W(l);
    }
    case 'd': {
        struct rpy_dict *d = rpy_dict_new(&ti_dict_si);
        RPY_ROOT(d);
        for (rpy_int k = 0; k < a->i; k++) {
            char key[24];
            snprintf(key, sizeof key, "k%lld", (long long)k);
            struct rpy_str *ks = rpy_str_from_cstr(key); /* may move d: read it after */
            rpy_dict_setitem(d, W(ks), rpy_w_from_int(k));
        }
        return W(d);
    }
    case 'p': {
        struct point *p = rpy_malloc(&ti_point, sizeof *p);
        p->x = a->i;
        p->y = (rpy_int)from_bits(a->f);
        return W(p);
    }
    case 'e': return W(rpy_malloc(&ti_bad, 16));
    default: return 0; /* None */
    }
}

static struct rpy_tuple *make_tuple(const struct call_case *c)
{
    struct rpy_tuple *t = rpy_tuple_new(&sig_ti[c->sig]);
    RPY_ROOT(t);
    for (int k = 0; k < c->nargs; k++) {
        rpy_word w = make_arg(&case_args[c->first + k]);
        rpy_gc_wb(t);
        t->items[k] = w;
    }
    return t;
}

/* ---- comparing outcomes ---- */

static int got_exc;
static char *got_text;
static size_t got_len;

static void keep_got(const char *p, size_t n)
{
    free(got_text);
    got_text = malloc(n + 1);
    ck_assert_ptr_nonnull(got_text);
    memcpy(got_text, p, n);
    got_text[n] = 0;
    got_len = n;
}

/* Whether the call that returned r had the expected outcome; keeps what
 * it got for the report. The result must be a well-formed str. */
static bool same(const struct rpy_str *r, int want_exc, const char *want, rpy_int wantlen)
{
    if (rpy_exc_occurred()) {
        struct rpy_exc_base *e = rpy_exc_fetch();
        got_exc = (int)e->hdr.tid - TID_EXC;
        keep_got(e->msg->data, (size_t)e->msg->nbytes);
    } else {
        got_exc = -1;
        keep_got(r->data, (size_t)r->nbytes);
        if (r->length != rt_utf8_count(r->data, r->nbytes) || r->data[r->nbytes] != 0)
            return false;
    }
    return got_exc == want_exc && got_len == (size_t)wantlen && memcmp(got_text, want, got_len) == 0;
}

static void put_escaped(const char *p, size_t n)
{
    putchar('\'');
    size_t k;
    for (k = 0; k < n && k < 300; k++) {
        unsigned char c = (unsigned char)p[k];
        if (c >= 32 && c < 127 && c != '\\' && c != '\'')
            putchar(c);
        else
            printf("\\%03o", c);
    }
    printf(k < n ? "'...(%zu bytes)" : "'", n);
}

static void put_outcome(int exc, const char *text, size_t n)
{
    if (exc >= 0)
        printf("%s: ", rpy_exc_name((enum rpy_exc)exc));
    put_escaped(text, n);
}

static int failures;

static void report(const char *what, size_t index, int want_exc, const char *want, rpy_int wantlen)
{
    if (++failures > 200)
        return;
    printf("  %s case %zu:\n    got  ", what, index);
    put_outcome(got_exc, got_text, got_len);
    printf("\n    want ");
    put_outcome(want_exc, want, (size_t)wantlen);
    printf("\n");
}

static void describe_args(const struct call_case *c)
{
    printf("    fmt ");
    put_escaped(c->fmt, (size_t)c->fmtlen);
    printf(c->sig < 0 ? " %% one operand:" : " args:");
    for (int k = 0; k < c->nargs; k++) {
        const struct arg_init *a = &case_args[c->first + k];
        printf(" %c:", a->kind);
        if (a->kind == 's')
            put_escaped(a->s, (size_t)a->slen);
        else if (a->kind == 'f')
            printf("%.17g", from_bits(a->f));
        else
            printf("%lld", a->i);
    }
    printf("\n");
}

static void finish_table(const char *what, size_t n)
{
    printf("%s: %zu cases, %d differences\n", what, n, failures);
    fflush(stdout); /* Check ends a failing test with _exit */
    free(got_text);
    got_text = NULL;
    ck_assert_int_eq(failures, 0);
}

/* ---- the tables ---- */

static struct rpy_str *format_spec_case(const struct spec_case *c, const struct rpy_str *spec, bool generic)
{
    RPY_ROOT(spec);
    switch (c->kind) {
    case 'i':
        return generic ? rpy_format_value(rpy_w_from_int(c->i), &rpy_ti_int, spec) : rpy_format_int(c->i, spec);
    case 'b':
        return generic ? rpy_format_value(rpy_w_from_bool(c->i != 0), &rpy_ti_bool, spec)
                       : rpy_format_bool(c->i != 0, spec);
    case 'f':
        return generic ? rpy_format_value((rpy_word)c->f, &rpy_ti_float, spec)
                       : rpy_format_float(from_bits(c->f), spec);
    default: {
        struct rpy_str *s = rpy_str_from_utf8(c->s, c->slen);
        return generic ? rpy_format_value(W(s), &rpy_ti_str, spec) : rpy_format_str(s, spec);
    }
    }
}

START_TEST(format_spec_table)
{
    failures = 0;
    for (size_t k = 0; k < NCASES(spec_cases); k++) {
        const struct spec_case *c = &spec_cases[k];
        for (int generic = 0; generic < 2; generic++) {
            struct rpy_str *spec = rpy_str_from_utf8(c->spec, c->speclen);
            struct rpy_str *r = format_spec_case(c, spec, generic);
            if (same(r, c->exc, c->want, c->wantlen))
                continue;
            report(generic ? "format() via rpy_format_value" : "format()", k, c->exc, c->want, c->wantlen);
            if (failures <= 200) {
                printf("    value %c ", c->kind);
                if (c->kind == 's')
                    put_escaped(c->s, (size_t)c->slen);
                else if (c->kind == 'f')
                    printf("%.17g", from_bits(c->f));
                else
                    printf("%lld", c->i);
                printf(" spec ");
                put_escaped(c->spec, (size_t)c->speclen);
                printf("\n");
            }
            break;
        }
    }
    finish_table("format()", NCASES(spec_cases));
}
END_TEST

START_TEST(percent_table)
{
    failures = 0;
    for (size_t k = 0; k < NCASES(pct_cases); k++) {
        const struct call_case *c = &pct_cases[k];
        struct rpy_str *r;
        if (c->sig < 0) {
            const struct rpy_typeinfo *ti = kind_ti(case_args[c->first].kind);
            rpy_word w = make_arg(&case_args[c->first]);
            RPY_ROOT_WORD(w, rpy_kind_is_gc(ti->kind));
            struct rpy_str *fmt = rpy_str_from_utf8(c->fmt, c->fmtlen); /* moves w: read it after */
            r = rpy_str_percent1(fmt, w, ti);
        } else {
            struct rpy_tuple *t = make_tuple(c);
            RPY_ROOT(t);
            struct rpy_str *fmt = rpy_str_from_utf8(c->fmt, c->fmtlen);
            r = rpy_str_percent(fmt, t, &sig_ti[c->sig]);
        }
        if (!same(r, c->exc, c->want, c->wantlen)) {
            report("%", k, c->exc, c->want, c->wantlen);
            if (failures <= 200)
                describe_args(c);
        }
    }
    finish_table("%-formatting", NCASES(pct_cases));
}
END_TEST

START_TEST(str_format_table)
{
    failures = 0;
    for (size_t k = 0; k < NCASES(sfmt_cases); k++) {
        const struct call_case *c = &sfmt_cases[k];
        struct rpy_tuple *t = make_tuple(c);
        RPY_ROOT(t);
        struct rpy_str *fmt = rpy_str_from_utf8(c->fmt, c->fmtlen);
        struct rpy_str *r = rpy_str_format_method(fmt, t, &sig_ti[c->sig]);
        if (!same(r, c->exc, c->want, c->wantlen)) {
            report("str.format", k, c->exc, c->want, c->wantlen);
            if (failures <= 200)
                describe_args(c);
        }
    }
    finish_table("str.format", NCASES(sfmt_cases));
}
END_TEST

/* ---- by hand: identities, NULL arguments, the generic entry points ---- */

static void expect(const struct rpy_str *r, int exc, const char *want)
{
    if (!same(r, exc, want, (rpy_int)strlen(want))) {
        failures = 0;
        report("hand-written", 0, exc, want, (rpy_int)strlen(want));
        fflush(stdout);
        ck_abort_msg("unexpected outcome");
    }
}

START_TEST(str_identity)
{
    struct rpy_str *s = rpy_str_from_cstr("héllo");
    RPY_ROOT(s);
    /* No padding or truncation: CPython returns the str itself. */
    ck_assert_ptr_eq(rpy_format_str(s, K("")), s);
    ck_assert_ptr_eq(rpy_format_str(s, K("<5")), s);
    ck_assert_ptr_eq(rpy_format_str(s, K(".5s")), s);
    ck_assert_ptr_eq(rpy_format_str(s, K("*^3.9")), s);
    expect(rpy_format_str(s, K(".4")), -1, "héll");
    expect(rpy_format_str(s, K("*^9.2")), -1, "***hé****");
    expect(rpy_format_str(s, K("6.1")), -1, "h     ");
}
END_TEST

START_TEST(null_arguments)
{
    expect(rpy_str_percent(K("100%% of %s"), NULL, NULL), RPY_EXC_TypeError, "not enough arguments for format string");
    expect(rpy_str_percent(K("100%%"), NULL, NULL), -1, "100%");
    expect(rpy_str_format_method(K("{{}} {{x}}"), NULL, NULL), -1, "{} {x}");
    expect(rpy_str_format_method(K("{}"), NULL, NULL), RPY_EXC_IndexError,
           "Replacement index 0 out of range for positional args tuple");
    expect(rpy_str_percent1(K("%s!"), 0, &rpy_ti_none), -1, "None!");
    expect(rpy_str_percent1(K("%d"), 0, &rpy_ti_str), RPY_EXC_TypeError,
           "%d format: a real number is required, not NoneType");
}
END_TEST

START_TEST(generic_values)
{
    struct arg_init list3 = {'l', 3, 0, S("")}, point = {'p', 1, 0x4000000000000000ULL, S("")};
    rpy_word l = make_arg(&list3);
    RPY_ROOT_WORD(l, true);
    rpy_word p = make_arg(&point);
    RPY_ROOT_WORD(p, true);
    expect(rpy_format_value(l, &ti_list_int, K("")), -1, "[0, 1, 2]");
    expect(rpy_format_value(l, &ti_list_int, K(">9")), RPY_EXC_TypeError,
           "unsupported format string passed to list.__format__");
    expect(rpy_format_value(p, &ti_point, K("")), -1, "P(1, 2)");
    expect(rpy_format_value(p, &ti_point, K("s")), RPY_EXC_TypeError,
           "unsupported format string passed to Point.__format__");
    expect(rpy_format_value(0, &rpy_ti_str, K("")), -1, "None");
    expect(rpy_format_value(0, &rpy_ti_none, K("x")), RPY_EXC_TypeError,
           "unsupported format string passed to NoneType.__format__");
    expect(rpy_ascii_of(p, &ti_point), -1, "Point(1, 2)");
    struct rpy_str *s = rpy_str_from_cstr("日本 ü 😀");
    expect(rpy_ascii_of(W(s), &rpy_ti_str), -1, "'\\u65e5\\u672c \\xfc \\U0001f600'");
    /* A tuple given as the single operand of % is the argument tuple: the
     * first successful case with two arguments, through rpy_str_percent1. */
    for (size_t k = 0; k < NCASES(pct_cases); k++) {
        const struct call_case *c = &pct_cases[k];
        if (c->sig < 0 || c->exc >= 0 || c->nargs < 2)
            continue;
        struct rpy_tuple *t = make_tuple(c);
        RPY_ROOT(t);
        struct rpy_str *fmt = rpy_str_from_utf8(c->fmt, c->fmtlen);
        struct rpy_str *r = rpy_str_percent1(fmt, W(t), &sig_ti[c->sig]);
        if (!same(r, c->exc, c->want, c->wantlen)) {
            failures = 0;
            report("% with a tuple operand", k, c->exc, c->want, c->wantlen);
            ck_abort_msg("tuple operand");
        }
        break;
    }
}
END_TEST

/* What RPy does not support raises a ValueError that says so. */
START_TEST(unsupported_features)
{
    struct arg_init dict1 = {'d', 1, 0, S("")};
    rpy_word d = make_arg(&dict1);
    RPY_ROOT_WORD(d, true);
    expect(rpy_str_percent1(K("%(k0)s"), d, &ti_dict_si), RPY_EXC_ValueError,
           "%(name) mapping keys in %-formatting are not supported");
    expect(rpy_str_percent1(K("%(k0)s"), 5, &rpy_ti_int), RPY_EXC_TypeError, "format requires a mapping");
    for (size_t k = 0; k < NCASES(sfmt_cases); k++) {
        const struct call_case *c = &sfmt_cases[k];
        if (c->nargs != 1 || case_args[c->first].kind != 'l')
            continue;
        struct rpy_tuple *t = make_tuple(c); /* a tuple holding one list */
        RPY_ROOT(t);
        const char *msg = "attribute and index lookups in str.format fields ('{0.x}', '{0[1]}') are not supported";
        expect(rpy_str_format_method(K("{0[0]}"), t, &sig_ti[c->sig]), RPY_EXC_ValueError, msg);
        expect(rpy_str_format_method(K("{.x}"), t, &sig_ti[c->sig]), RPY_EXC_ValueError, msg);
        expect(rpy_str_format_method(K("{1[0]}"), t, &sig_ti[c->sig]), RPY_EXC_IndexError,
               "Replacement index 1 out of range for positional args tuple");
        return;
    }
    ck_abort_msg("no str.format case with one list argument");
}
END_TEST

static Suite *format_suite(void)
{
    Suite *s = suite_create("rt_format");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, format_spec_table);
    tcase_add_test(tc, percent_table);
    tcase_add_test(tc, str_format_table);
    tcase_add_test(tc, str_identity);
    tcase_add_test(tc, null_arguments);
    tcase_add_test(tc, generic_values);
    tcase_add_test(tc, unsupported_features);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(format_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
