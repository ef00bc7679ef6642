/* test_rt_mathmod.c - the math module's native part against CPython 3.11.
 *
 * The case table comes from tests/unit/gen_math_cases.py, which the
 * Makefile runs when it builds this test: every expected result (the bits
 * of a float, an int, a bool, a tuple) or exception type and message is
 * CPython's own, computed at build time with the same C library, and lands
 * in $(BUILD)/tests/math_cases.inc. The table test runs every case,
 * prints every difference, and fails unless there is none. Floats compare
 * bit for bit (-0.0 is not 0.0); NaNs compare equal to NaNs, whatever
 * their sign bit, which Python cannot print.
 *
 * Exceptions are real here: the test defines the built-in exception
 * classes (rpy_exc_tids), so a raise makes an exception object that the
 * test fetches and compares. Under RPY_GC_STRESS=1 the tuples of modf and
 * frexp and the sequences given to fsum, prod and dist move at every
 * allocation. */
#include "runtime/rt_internal.h"

#include <check.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

enum {
    TID_LIST_FLOAT = RPY_TID_FIRST_PROGRAM,
    TID_LIST_INT,
    TID_TUPLE_FF,
    TID_TUPLE_FI,
    TID_EXC, /* + enum rpy_exc */
    NTIDS = TID_EXC + RPY_EXC_COUNT,
};

static const struct rpy_typeinfo ti_list_float = {
    .kind = RPY_K_LIST, .tid = TID_LIST_FLOAT, .size = sizeof(struct rpy_list), .name = "list", .item = &rpy_ti_float};
static const struct rpy_typeinfo ti_list_int = {
    .kind = RPY_K_LIST, .tid = TID_LIST_INT, .size = sizeof(struct rpy_list), .name = "list", .item = &rpy_ti_int};
static const struct rpy_typeinfo *const ff_items[] = {&rpy_ti_float, &rpy_ti_float};
static const struct rpy_typeinfo *const fi_items[] = {&rpy_ti_float, &rpy_ti_int};
static const struct rpy_typeinfo ti_tuple_ff = {
    .kind = RPY_K_TUPLE, .tid = TID_TUPLE_FF, .size = sizeof(struct rpy_tuple) + 16, .nitems = 2, .name = "tuple",
    .items = ff_items};
static const struct rpy_typeinfo ti_tuple_fi = {
    .kind = RPY_K_TUPLE, .tid = TID_TUPLE_FI, .size = sizeof(struct rpy_tuple) + 16, .nitems = 2, .name = "tuple",
    .items = fi_items};

/* ---- the built-in exception classes ---- */

#include "tests/unit/rt_exc_tables.h"

#define X(n, b) [TID_EXC + RPY_EXC_##n] = &exc_ti[RPY_EXC_##n],
const struct rpy_typeinfo *const rpy_typetable[NTIDS] = {
    NULL, &rpy_ti_str, &rpy_ti_array_raw, &rpy_ti_array_gc,
    [TID_LIST_FLOAT] = &ti_list_float, [TID_LIST_INT] = &ti_list_int,
    [TID_TUPLE_FF] = &ti_tuple_ff, [TID_TUPLE_FI] = &ti_tuple_fi,
    RPY_BUILTIN_EXCEPTIONS(X)};
#undef X
const uint32_t rpy_ntypes = NTIDS;

/* ---- the generated table ---- */

struct math_case {
    const char *name;
    const char *sig;               /* result ':' arguments (see gen_math_cases.py) */
    unsigned long long args[4];    /* float bits, ints, or seq_pool indices */
    char want_kind;                /* f i b t, or e: an exception */
    unsigned long long want[2];
    int exc;                       /* enum rpy_exc, or -1 */
    const char *msg;
};

struct seq_init {
    char container; /* l: list, t: tuple (of two floats) */
    char kind;      /* f: float items, i: int items */
    int first, n;   /* seq_words[first .. first + n) */
};

#include "math_cases.inc"

#define NCASES(t) (sizeof(t) / sizeof(t[0]))

/* ---- the functions under test ---- */

typedef void (*any_fn)(void);
struct math_fn {
    const char *name, *sig;
    any_fn fn;
};
#define FN(name, sig) {#name, sig, (any_fn)rpy_math_##name}
static const struct math_fn fns[] = {
    FN(sqrt, "f:f"), FN(cbrt, "f:f"), FN(exp, "f:f"), FN(exp2, "f:f"), FN(expm1, "f:f"),
    FN(log, "f:f"), FN(log2, "f:f"), FN(log10, "f:f"), FN(log1p, "f:f"), FN(fabs, "f:f"),
    FN(sin, "f:f"), FN(cos, "f:f"), FN(tan, "f:f"), FN(asin, "f:f"), FN(acos, "f:f"),
    FN(atan, "f:f"), FN(sinh, "f:f"), FN(cosh, "f:f"), FN(tanh, "f:f"), FN(asinh, "f:f"),
    FN(acosh, "f:f"), FN(atanh, "f:f"), FN(radians, "f:f"), FN(degrees, "f:f"), FN(gamma, "f:f"),
    FN(lgamma, "f:f"), FN(erf, "f:f"), FN(erfc, "f:f"), FN(ulp, "f:f"),
    FN(pow, "f:ff"), FN(fmod, "f:ff"), FN(remainder, "f:ff"), FN(copysign, "f:ff"), FN(atan2, "f:ff"),
    FN(hypot, "f:ff"), FN(nextafter, "f:ff"), FN(log_base, "f:ff"),
    FN(floor, "i:f"), FN(ceil, "i:f"), FN(trunc, "i:f"),
    FN(isnan, "b:f"), FN(isinf, "b:f"), FN(isfinite, "b:f"), FN(isclose, "b:ffff"),
    FN(ldexp, "f:fi"), FN(modf, "t:f"), FN(frexp, "t:f"),
    FN(gcd, "i:ii"), FN(lcm, "i:ii"), FN(factorial, "i:i"), FN(isqrt, "i:i"), FN(comb, "i:ii"),
    FN(perm, "i:ii"), FN(fsum, "f:s"), FN(dist, "f:ss"), FN(prod_int, "i:si"), FN(prod_float, "f:sf"),
};

static const struct math_fn *find_fn(const char *name)
{
    for (size_t k = 0; k < NCASES(fns); k++)
        if (strcmp(fns[k].name, name) == 0)
            return &fns[k];
    return NULL;
}

static double from_bits(unsigned long long b)
{
    double x;
    memcpy(&x, &b, sizeof x);
    return x;
}

/* A new list or tuple for seq_pool[id] (it may collect). */
static void *make_seq(unsigned long long id)
{
    const struct seq_init *s = &seq_pool[id];
    if (s->container == 't') {
        ck_assert_int_eq(s->n, 2);
        struct rpy_tuple *t = rpy_tuple_new(&ti_tuple_ff);
        for (int k = 0; k < 2; k++)
            t->items[k] = seq_words[s->first + k];
        return t;
    }
    struct rpy_list *l = rpy_list_new(s->kind == 'f' ? &ti_list_float : &ti_list_int, s->n);
    for (int k = 0; k < s->n; k++)
        rpy_list_init_item(l, k, seq_words[s->first + k]);
    return l;
}

/* ---- outcomes ---- */

struct outcome {
    char kind; /* as want_kind */
    rpy_word w[2];
    int exc;
    char msg[200];
};

static void call(const struct math_case *c, const struct math_fn *f, struct outcome *o)
{
    const unsigned long long *a = c->args;
    double x = from_bits(a[0]), y = from_bits(a[1]);
    rpy_int i0 = (rpy_int)a[0], i1 = (rpy_int)a[1];
    const char *sig = f->sig;
    memset(o, 0, sizeof *o);
    o->kind = sig[0];
    if (strcmp(sig, "f:f") == 0) {
        o->w[0] = rpy_w_from_float(((rpy_float(*)(rpy_float))f->fn)(x));
    } else if (strcmp(sig, "f:ff") == 0) {
        o->w[0] = rpy_w_from_float(((rpy_float(*)(rpy_float, rpy_float))f->fn)(x, y));
    } else if (strcmp(sig, "i:f") == 0) {
        o->w[0] = rpy_w_from_int(((rpy_int(*)(rpy_float))f->fn)(x));
    } else if (strcmp(sig, "b:f") == 0) {
        o->w[0] = ((rpy_bool(*)(rpy_float))f->fn)(x);
    } else if (strcmp(sig, "b:ffff") == 0) {
        o->w[0] = rpy_math_isclose(x, y, from_bits(a[2]), from_bits(a[3]));
    } else if (strcmp(sig, "f:fi") == 0) {
        o->w[0] = rpy_w_from_float(rpy_math_ldexp(x, i1));
    } else if (strcmp(sig, "t:f") == 0) {
        bool is_modf = strcmp(f->name, "modf") == 0;
        struct rpy_tuple *t = (is_modf ? rpy_math_modf : rpy_math_frexp)(x, is_modf ? &ti_tuple_ff : &ti_tuple_fi);
        if (!rpy_exc_occurred()) {
            ck_assert_uint_eq(t->hdr.tid, is_modf ? TID_TUPLE_FF : TID_TUPLE_FI);
            o->w[0] = t->items[0];
            o->w[1] = t->items[1];
        }
    } else if (strcmp(sig, "i:i") == 0) {
        o->w[0] = rpy_w_from_int(((rpy_int(*)(rpy_int))f->fn)(i0));
    } else if (strcmp(sig, "i:ii") == 0) {
        o->w[0] = rpy_w_from_int(((rpy_int(*)(rpy_int, rpy_int))f->fn)(i0, i1));
    } else if (strcmp(sig, "f:s") == 0) {
        o->w[0] = rpy_w_from_float(rpy_math_fsum(make_seq(a[0])));
    } else if (strcmp(sig, "f:ss") == 0) {
        void *p = make_seq(a[0]);
        RPY_ROOT(p);
        void *q = make_seq(a[1]);
        o->w[0] = rpy_w_from_float(rpy_math_dist(p, q));
    } else if (strcmp(sig, "i:si") == 0) {
        o->w[0] = rpy_w_from_int(rpy_math_prod_int(make_seq(a[0]), i1));
    } else if (strcmp(sig, "f:sf") == 0) {
        o->w[0] = rpy_w_from_float(rpy_math_prod_float(make_seq(a[0]), y));
    } else {
        ck_abort_msg("unknown signature %s", sig);
    }
    o->exc = -1;
    if (rpy_exc_occurred()) {
        struct rpy_exc_base *e = rpy_exc_fetch();
        o->kind = 'e';
        o->exc = (int)e->hdr.tid - TID_EXC;
        snprintf(o->msg, sizeof o->msg, "%s", e->msg ? e->msg->data : "");
    }
}

static bool same_float(rpy_word a, rpy_word b)
{
    return a == b || (isnan(rpy_w_to_float(a)) && isnan(rpy_w_to_float(b)));
}

static bool same(const struct math_case *c, const struct outcome *o)
{
    if (o->kind != c->want_kind)
        return false;
    switch (c->want_kind) {
    case 'e': return o->exc == c->exc && strcmp(o->msg, c->msg) == 0;
    case 'f': return same_float(o->w[0], c->want[0]);
    case 't':
        return same_float(o->w[0], c->want[0]) &&
               (strcmp(c->name, "modf") == 0 ? same_float(o->w[1], c->want[1]) : o->w[1] == c->want[1]);
    default: return o->w[0] == c->want[0];
    }
}

static void put_value(char kind, const rpy_word *w, int exc, const char *msg)
{
    switch (kind) {
    case 'e': printf("%s: %s", rpy_exc_name((enum rpy_exc)exc), msg); break;
    case 'f': printf("%.17g (0x%016llx)", rpy_w_to_float(w[0]), (unsigned long long)w[0]); break;
    case 't': printf("(%.17g, 0x%016llx)", rpy_w_to_float(w[0]), (unsigned long long)w[1]); break;
    default: printf("%lld", (long long)w[0]); break;
    }
}

static void put_args(const struct math_case *c)
{
    const char *k = c->sig + 2;
    for (int i = 0; k[i]; i++) {
        if (k[i] == 'f')
            printf(" %.17g", from_bits(c->args[i]));
        else if (k[i] == 's')
            printf(" seq#%llu", c->args[i]);
        else
            printf(" %lld", (long long)c->args[i]);
    }
}

START_TEST(math_table)
{
    int failures = 0;
    for (size_t k = 0; k < NCASES(math_cases); k++) {
        const struct math_case *c = &math_cases[k];
        const struct math_fn *f = find_fn(c->name);
        ck_assert_msg(f != NULL, "no function %s", c->name);
        ck_assert_str_eq(f->sig, c->sig);
        struct outcome o;
        call(c, f, &o);
        if (same(c, &o) || ++failures > 100)
            continue;
        printf("  %s(", c->name);
        put_args(c);
        printf(" ):\n    got  ");
        put_value(o.kind, o.w, o.exc, o.msg);
        printf("\n    want ");
        put_value(c->want_kind, (const rpy_word *)c->want, c->exc, c->msg);
        printf("\n");
    }
    printf("math: %zu cases, %d differences\n", NCASES(math_cases), failures);
    fflush(stdout); /* Check ends a failing test with _exit */
    ck_assert_int_eq(failures, 0);
}
END_TEST

/* Every function of the table has cases, and every case a function. */
START_TEST(table_covers_every_function)
{
    ck_assert_uint_eq(NCASES(math_names), NCASES(fns));
    for (size_t k = 0; k < NCASES(fns); k++) {
        bool found = false;
        for (size_t j = 0; j < NCASES(math_names) && !found; j++)
            found = strcmp(math_names[j], fns[k].name) == 0;
        ck_assert_msg(found, "%s has no generated cases", fns[k].name);
    }
}
END_TEST

/* ---- by hand: what math_funcs.py prints, and the GC side ---- */

START_TEST(conformance_values)
{
    ck_assert(rpy_math_sqrt(2.0) == 1.4142135623730951);
    ck_assert_int_eq(rpy_math_floor(-0.5), -1);
    ck_assert_int_eq(rpy_math_ceil(-0.5), 0);
    ck_assert_int_eq(rpy_math_trunc(7.999), 7);
    ck_assert(rpy_math_fmod(-7.5, 2.0) == -1.5);
    ck_assert(signbit(rpy_math_copysign(3.0, -0.0)));
    ck_assert(rpy_math_hypot(3.0, 4.0) == 5.0);
    ck_assert(rpy_math_pow(2.0, 0.5) == rpy_math_sqrt(2.0));
    ck_assert(rpy_math_ldexp(0.75, 4) == 12.0);
    ck_assert(rpy_math_log10(1000.0) == 3.0);
    ck_assert(rpy_math_log2(1024.0) == 10.0);
    ck_assert(rpy_math_isclose(0.1 + 0.2, 0.3, 1e-9, 0.0));
    ck_assert(!rpy_math_isclose(1.0, 1.001, 1e-9, 0.0));
    ck_assert(rpy_math_isclose(1.0, 1.001, 0.01, 0.0));
    struct rpy_list *l = rpy_list_new(&ti_list_float, 10);
    for (int k = 0; k < 10; k++)
        rpy_list_init_item(l, k, rpy_w_from_float(0.1));
    ck_assert(rpy_math_fsum(l) == 1.0);
    struct rpy_tuple *t = rpy_math_modf(-2.5, &ti_tuple_ff);
    ck_assert(rpy_w_to_float(t->items[0]) == -0.5 && rpy_w_to_float(t->items[1]) == -2.0);
    t = rpy_math_frexp(8.0, &ti_tuple_fi);
    ck_assert(rpy_w_to_float(t->items[0]) == 0.5 && rpy_w_to_int(t->items[1]) == 4);
    ck_assert_int_eq(rpy_math_factorial(20), 2432902008176640000LL);
    ck_assert_int_eq(rpy_math_comb(66, 33), 7219428434016265740LL);
    ck_assert_int_eq(rpy_math_isqrt(INT64_MAX), 3037000499LL);
    ck_assert(!rpy_exc_occurred());
}
END_TEST

/* The tuples survive collections (they are ordinary GC objects), and a
 * sequence that moved or grew old is read where it is now. */
START_TEST(results_survive_collections)
{
    struct rpy_tuple *t = rpy_math_frexp(-3.0, &ti_tuple_fi);
    RPY_ROOT(t);
    struct rpy_list *l = rpy_list_new(&ti_list_int, 3);
    RPY_ROOT(l);
    for (int k = 0; k < 3; k++)
        rpy_list_init_item(l, k, rpy_w_from_int(k + 2));
    rpy_gc_collect();
    for (int k = 0; k < 1000; k++)
        rpy_str_from_cstr("garbage"); /* churn the nursery */
    rt_gc_minor_collect();
    ck_assert(rpy_w_to_float(t->items[0]) == -0.75 && rpy_w_to_int(t->items[1]) == 2);
    ck_assert_int_eq(rpy_math_prod_int(l, 1), 24);
    ck_assert(rpy_math_fsum(l) == 9.0);
    ck_assert(rpy_math_prod_float(l, 0.5) == 12.0);
}
END_TEST

static Suite *mathmod_suite(void)
{
    Suite *s = suite_create("rt_mathmod");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, math_table);
    tcase_add_test(tc, table_covers_every_function);
    tcase_add_test(tc, conformance_values);
    tcase_add_test(tc, results_survive_collections);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(mathmod_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
