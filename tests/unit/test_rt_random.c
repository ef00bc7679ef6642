/* test_rt_random.c - the random module against CPython 3.11, call for call.
 *
 * The call table comes from tests/unit/gen_random_cases.py, which the
 * Makefile runs when it builds this test: rows of seed(), random(),
 * getrandbits(), randrange(), randint(), choice(), shuffle(), uniform()
 * and gauss() calls, in order, with CPython's result or exception, in
 * $(BUILD)/tests/random_cases.inc. The test replays them on the runtime's
 * one generator, so the whole stream of Mersenne Twister outputs has to
 * agree; it reports every difference and fails unless there is none.
 * Floats compare bit for bit.
 *
 * Exceptions are real (the test defines the built-in exception classes).
 * Shuffled lists of strs are lists of GC pointers: under RPY_GC_STRESS=1
 * their items move at every allocation around the shuffle, and one test
 * shuffles an old array that holds young strings (the write barrier). */
#include "runtime/rt_internal.h"

#include <check.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

enum {
    TID_LIST_INT = RPY_TID_FIRST_PROGRAM,
    TID_LIST_STR,
    TID_EXC, /* + enum rpy_exc */
    NTIDS = TID_EXC + RPY_EXC_COUNT,
};

static const struct rpy_typeinfo ti_list_int = {
    .kind = RPY_K_LIST, .tid = TID_LIST_INT, .size = sizeof(struct rpy_list), .name = "list", .item = &rpy_ti_int};
static const struct rpy_typeinfo ti_list_str = {
    .kind = RPY_K_LIST, .tid = TID_LIST_STR, .size = sizeof(struct rpy_list), .name = "list", .item = &rpy_ti_str};

#include "tests/unit/rt_exc_tables.h"

#define X(n, b) [TID_EXC + RPY_EXC_##n] = &exc_ti[RPY_EXC_##n],
const struct rpy_typeinfo *const rpy_typetable[NTIDS] = {
    NULL, &rpy_ti_str, &rpy_ti_array_raw, &rpy_ti_array_gc,
    [TID_LIST_INT] = &ti_list_int, [TID_LIST_STR] = &ti_list_str,
    RPY_BUILTIN_EXCEPTIONS(X)};
#undef X
const uint32_t rpy_ntypes = NTIDS;

/* ---- the generated table ---- */

/* op: S seed(a), F seed(float with bits a), r random(), g getrandbits(a),
 * R randrange(a, b, c), 1 randrange(a) (step c), i randint(a, b),
 * c choice(rand_pool[first .. first+n)), C choice(rand_strs[a]),
 * h / H shuffle of that list of ints / of strs "<int>" (the result at
 * rand_pool[want ..]), u uniform(bits a, bits b), G gauss(bits a, bits b). */
struct rand_call {
    char op;
    long long a, b, c;
    int first, n;
    unsigned long long want; /* float bits, an int, or a rand_pool index */
    int exc;                 /* enum rpy_exc, or -1 */
    const char *msg;         /* the exception's message, or choice(str)'s character */
};

#include "random_cases.inc"

#define NCASES(t) (sizeof(t) / sizeof(t[0]))

static double from_bits(unsigned long long b)
{
    double x;
    memcpy(&x, &b, sizeof x);
    return x;
}

static struct rpy_str *str_of_int(long long v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", v);
    return rpy_str_from_cstr(buf);
}

/* A list of the ints rand_pool[first .. first+n), or of their strs. */
static struct rpy_list *make_list(int first, int n, bool strs)
{
    struct rpy_list *l = rpy_list_new(strs ? &ti_list_str : &ti_list_int, n);
    RPY_ROOT(l);
    for (int k = 0; k < n; k++) {
        rpy_word w = strs ? rpy_w_from_ptr(str_of_int(rand_pool[first + k])) : rpy_w_from_int(rand_pool[first + k]);
        rpy_list_setitem(l, k, w); /* l may be old by now: the barrier is needed */
    }
    return l;
}

static bool list_is(const struct rpy_list *l, int first, bool strs)
{
    for (rpy_int k = 0; k < l->length; k++) {
        rpy_word w = l->items->items[k];
        if (strs) {
            char buf[24];
            snprintf(buf, sizeof buf, "%lld", rand_pool[first + k]);
            if (strcmp(((struct rpy_str *)rpy_w_to_ptr(w))->data, buf) != 0)
                return false;
        } else if (rpy_w_to_int(w) != rand_pool[first + k]) {
            return false;
        }
    }
    return true;
}

static char got_msg[256];

/* Replays one call: true when its outcome is the expected one. */
static bool replay(const struct rand_call *c)
{
    rpy_word got = 0;
    bool ok_value = true; /* for calls checked in place (choice of a str, shuffle) */
    got_msg[0] = 0;
    switch (c->op) {
    case 'S': rpy_random_seed(c->a); return true;
    case 'F': rpy_random_seed_float(from_bits((unsigned long long)c->a)); return true;
    case 'r': got = rpy_w_from_float(rpy_random_random()); break;
    case 'g': got = rpy_w_from_int(rpy_random_getrandbits(c->a)); break;
    case 'R': got = rpy_w_from_int(rpy_random_randrange(c->a, c->b, true, c->c)); break;
    case '1': got = rpy_w_from_int(rpy_random_randrange(c->a, 0, false, c->c)); break;
    case 'i': got = rpy_w_from_int(rpy_random_randint(c->a, c->b)); break;
    case 'u': got = rpy_w_from_float(rpy_random_uniform(from_bits(c->a), from_bits(c->b))); break;
    case 'G': got = rpy_w_from_float(rpy_random_gauss(from_bits(c->a), from_bits(c->b))); break;
    case 'c': {
        struct rpy_list *l = make_list(c->first, c->n, false);
        got = rpy_random_choice(l);
        break;
    }
    case 'C': {
        struct rpy_str *s = rpy_str_from_cstr(rand_strs[c->a]);
        struct rpy_str *r = rpy_random_choice_str(s);
        if (!rpy_exc_occurred()) {
            snprintf(got_msg, sizeof got_msg, "%s", r->data);
            ok_value = strcmp(r->data, c->msg) == 0 && r->length == 1;
        }
        break;
    }
    case 'h':
    case 'H': {
        bool strs = c->op == 'H';
        struct rpy_list *l = make_list(c->first, c->n, strs);
        RPY_ROOT(l);
        rpy_random_shuffle(l);
        str_of_int(0); /* a collection after the shuffle (under stress) */
        ok_value = list_is(l, (int)c->want, strs);
        snprintf(got_msg, sizeof got_msg, "a different permutation");
        break;
    }
    default: ck_abort_msg("unknown op %c", c->op);
    }
    if (rpy_exc_occurred()) {
        struct rpy_exc_base *e = rpy_exc_fetch();
        snprintf(got_msg, sizeof got_msg, "%s: %s", rpy_exc_name((enum rpy_exc)(e->hdr.tid - TID_EXC)),
                 e->msg ? e->msg->data : "");
        return c->exc >= 0 && (int)e->hdr.tid - TID_EXC == c->exc && e->msg && strcmp(e->msg->data, c->msg) == 0;
    }
    if (c->exc >= 0)
        return false;
    if (c->op == 'C' || c->op == 'h' || c->op == 'H')
        return ok_value;
    snprintf(got_msg, sizeof got_msg, "%lld (0x%016llx)", (long long)got, (unsigned long long)got);
    return got == c->want;
}

START_TEST(call_table)
{
    int failures = 0;
    for (size_t k = 0; k < NCASES(rand_calls); k++) {
        const struct rand_call *c = &rand_calls[k];
        if (replay(c) || ++failures > 50)
            continue;
        printf("  call %zu: %c(%lld, %lld, %lld) got %s, want ", k, c->op, c->a, c->b, c->c, got_msg);
        if (c->exc >= 0)
            printf("%s: %s\n", rpy_exc_name((enum rpy_exc)c->exc), c->msg);
        else
            printf("%lld (0x%016llx) %s\n", (long long)c->want, c->want, c->msg);
    }
    printf("random: %zu calls, %d differences\n", NCASES(rand_calls), failures);
    fflush(stdout); /* Check ends a failing test with _exit */
    ck_assert_int_eq(failures, 0);
}
END_TEST

/* ---- by hand ---- */

/* Never seeded: the first draw seeds from the system (each test runs in
 * a fresh process, CK_FORK). */
START_TEST(unseeded_first_draw)
{
    double x = rpy_random_random();
    ck_assert(x >= 0.0 && x < 1.0);
    rpy_int r = rpy_random_randint(1, 6);
    ck_assert(r >= 1 && r <= 6);
}
END_TEST

static void draw(double *out, int n)
{
    for (int k = 0; k < n; k++)
        out[k] = rpy_random_random();
}

START_TEST(seed_none_differs_and_seed_repeats)
{
    double a[8], b[8], c[8];
    rpy_random_seed_none();
    draw(a, 8);
    rpy_random_seed_none();
    draw(b, 8);
    ck_assert(memcmp(a, b, sizeof a) != 0);
    rpy_random_seed(-2024); /* CPython takes |n| */
    draw(a, 8);
    rpy_random_seed(2024);
    draw(c, 8);
    ck_assert(memcmp(a, c, sizeof a) == 0);
    rpy_random_seed(0);
    ck_assert(rpy_random_random() == 0.8444218515250481); /* random.seed(0); random.random() */
}
END_TEST

/* seed() forgets gauss()'s cached second value, seed_none() too. */
START_TEST(seed_none_resets_gauss)
{
    rpy_random_seed(3);
    rpy_random_gauss(0.0, 1.0);
    double cached = rpy_random_gauss(0.0, 1.0); /* the pair's second value */
    rpy_random_seed(3);
    rpy_random_gauss(0.0, 1.0);
    rpy_random_seed_none();
    ck_assert(rpy_random_gauss(0.0, 1.0) != cached);
}
END_TEST

/* An old items array holding young strings: the shuffle stores pointers
 * into it, and a minor collection afterwards must still find them all. */
START_TEST(shuffle_old_array_young_items)
{
    enum { N = 200 };
    struct rpy_list *l = rpy_list_new(&ti_list_str, N);
    RPY_ROOT(l);
    rpy_gc_collect(); /* the list and its array are old now */
    for (int k = 0; k < N; k++) {
        struct rpy_str *s = str_of_int(k); /* young */
        rpy_list_setitem(l, k, rpy_w_from_ptr(s));
    }
    rpy_random_seed(77);
    rpy_random_shuffle(l);
    rt_gc_minor_collect();
    for (int k = 0; k < 1000; k++)
        str_of_int(k); /* churn the nursery over the old places */
    rpy_gc_collect();
    bool seen[N] = {false};
    for (int k = 0; k < N; k++) {
        struct rpy_str *s = rpy_w_to_ptr(l->items->items[k]);
        ck_assert_uint_eq(s->hdr.tid, RPY_TID_STR);
        int v = atoi(s->data);
        ck_assert(v >= 0 && v < N && !seen[v]);
        seen[v] = true;
    }
}
END_TEST

START_TEST(choice_of_a_list_of_strs)
{
    struct rpy_list *l = rpy_list_new(&ti_list_str, 3);
    RPY_ROOT(l);
    for (int k = 0; k < 3; k++)
        rpy_list_setitem(l, k, rpy_w_from_ptr(str_of_int(k * 11)));
    rpy_random_seed(1);
    for (int k = 0; k < 50; k++) {
        struct rpy_str *s = rpy_w_to_ptr(rpy_random_choice(l));
        ck_assert(strcmp(s->data, "0") == 0 || strcmp(s->data, "11") == 0 || strcmp(s->data, "22") == 0);
        str_of_int(k); /* s may move now; it is not used again */
    }
}
END_TEST

static Suite *random_suite(void)
{
    Suite *s = suite_create("rt_random");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, call_table);
    tcase_add_test(tc, unseeded_first_draw);
    tcase_add_test(tc, seed_none_differs_and_seed_repeats);
    tcase_add_test(tc, seed_none_resets_gauss);
    tcase_add_test(tc, shuffle_old_array_young_items);
    tcase_add_test(tc, choice_of_a_list_of_strs);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(random_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
