/* test_rt_int.c - int arithmetic of the runtime: floor division and
 * modulo on every sign combination and at INT64_MIN, pow, shifts, true
 * division (correctly rounded like CPython), round(int, n), hash(), int
 * formatting and int(str) parsing, and the exact error of each failing
 * case. Expected values come from CPython 3.11. */
#include "runtime/rt_internal.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

const struct rpy_typeinfo *const rpy_typetable[RPY_TID_FIRST_PROGRAM] = {
    NULL, &rpy_ti_str, &rpy_ti_array_raw, &rpy_ti_array_gc};
const uint32_t rpy_ntypes = RPY_TID_FIRST_PROGRAM;

/* ---- running a failing operation in a child and reading its stderr ---- */

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

/* fn must exit with status 1 after printing CPython's traceback header
 * and `last` as the final line. */
static void expect_error(void (*fn)(void), const char *last)
{
    int status = run_child(fn);
    char want[1024];
    snprintf(want, sizeof want, "Traceback (most recent call last):\n%s\n", last);
    ck_assert_int_eq(status, 1);
    ck_assert_str_eq(err_text, want);
}

static volatile rpy_int sink;

/* ---- floor division and modulo ---- */

START_TEST(floordiv_mod_signs)
{
    static const struct { rpy_int a, b, q, r; } cases[] = {
        {7, 2, 3, 1},     {-7, 2, -4, 1},  {7, -2, -4, -1}, {-7, -2, 3, -1}, {6, 3, 2, 0},
        {-6, 3, -2, 0},   {6, -3, -2, 0},  {-6, -3, 2, 0},  {0, 5, 0, 0},    {0, -5, 0, 0},
        {1, 5, 0, 1},     {-1, 5, -1, 4},  {1, -5, -1, -4}, {-1, -5, 0, -1},
        {INT64_MIN, 1, INT64_MIN, 0},      {INT64_MIN, 2, INT64_MIN / 2, 0},
        {INT64_MIN, -2, INT64_MAX / 2 + 1, 0},
        {INT64_MIN, 3, -3074457345618258603, 1},
        {INT64_MIN, -3, 3074457345618258602, -2},
        {INT64_MAX, -1, -INT64_MAX, 0},    {INT64_MAX, INT64_MIN, -1, -1},
        {INT64_MIN, INT64_MAX, -2, INT64_MAX - 1},
        {INT64_MIN, INT64_MIN, 1, 0},      {5, INT64_MIN, -1, INT64_MIN + 5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_msg(rpy_int_floordiv(cases[i].a, cases[i].b) == cases[i].q, "case %zu: %lld // %lld", i,
                      (long long)cases[i].a, (long long)cases[i].b);
        ck_assert_msg(rpy_int_mod(cases[i].a, cases[i].b) == cases[i].r, "case %zu: %lld %% %lld", i,
                      (long long)cases[i].a, (long long)cases[i].b);
        ck_assert(rpy_int_floordiv_x(cases[i].a, cases[i].b) == cases[i].q);
        ck_assert(rpy_int_mod_x(cases[i].a, cases[i].b) == cases[i].r);
    }
    ck_assert(rpy_int_mod(INT64_MIN, -1) == 0);
}
END_TEST

static void floordiv_by_zero(void) { sink = rpy_int_floordiv(1, 0); }
static void floordiv_min(void) { sink = rpy_int_floordiv(INT64_MIN, -1); }
static void add_overflow(void) { sink = rpy_int_add_ovf(INT64_MAX, 1); }
static void mul_overflow(void) { sink = rpy_int_mul_ovf(INT64_MIN, -1); }
static void neg_overflow(void) { sink = rpy_int_neg_ovf_x(INT64_MIN); }

START_TEST(int_errors)
{
    expect_error(floordiv_by_zero, "ZeroDivisionError: integer division or modulo by zero");
    expect_error(floordiv_min, "OverflowError: integer negation overflow");
    expect_error(add_overflow, "OverflowError: integer addition overflow");
    expect_error(mul_overflow, "OverflowError: integer multiplication overflow");
    expect_error(neg_overflow, "OverflowError: integer negation overflow");
}
END_TEST

/* ---- pow ---- */

START_TEST(int_pow)
{
    ck_assert(rpy_int_pow(2, 10) == 1024);
    ck_assert(rpy_int_pow(0, 0) == 1);
    ck_assert(rpy_int_pow(0, 5) == 0);
    ck_assert(rpy_int_pow(-1, INT64_MAX) == -1);
    ck_assert(rpy_int_pow(-1, INT64_MAX - 1) == 1);
    ck_assert(rpy_int_pow(1, INT64_MAX) == 1);
    ck_assert(rpy_int_pow(-2, 63) == INT64_MIN);
    ck_assert(rpy_int_pow(2, 62) == (rpy_int)1 << 62);
    ck_assert(rpy_int_pow(3, 39) == 4052555153018976267LL);
    ck_assert(rpy_int_pow(7, 22) == 3909821048582988049LL);
    ck_assert(rpy_int_pow(-3, 3) == -27);
    ck_assert(rpy_int_pow(10, 18) == 1000000000000000000LL);
}
END_TEST

static void pow_overflow(void) { sink = rpy_int_pow(2, 63); }
static void pow_overflow_big(void) { sink = rpy_int_pow(10, 19); }
static void pow_negative(void) { sink = rpy_int_pow(2, -1); }

START_TEST(int_pow_errors)
{
    expect_error(pow_overflow, "OverflowError: integer exponentiation overflow");
    expect_error(pow_overflow_big, "OverflowError: integer exponentiation overflow");
    ck_assert_int_eq(run_child(pow_negative), 1);
    ck_assert_ptr_nonnull(strstr(err_text, "ValueError: "));
}
END_TEST

/* ---- shifts ---- */

START_TEST(int_shifts)
{
    ck_assert(rpy_int_lshift(1, 62) == (rpy_int)1 << 62);
    ck_assert(rpy_int_lshift(-1, 63) == INT64_MIN);
    ck_assert(rpy_int_lshift(0, 1000) == 0);
    ck_assert(rpy_int_lshift(-3, 2) == -12);
    ck_assert(rpy_int_lshift(5, 0) == 5);
    ck_assert(rpy_int_rshift(-1, 1000) == -1);
    ck_assert(rpy_int_rshift(12345, 64) == 0);
    ck_assert(rpy_int_rshift(-7, 1) == -4); /* floors */
    ck_assert(rpy_int_rshift(7, 1) == 3);
    ck_assert(rpy_int_rshift(INT64_MIN, 63) == -1);
}
END_TEST

static void lshift_negative(void) { sink = rpy_int_lshift(1, -1); }
static void rshift_negative(void) { sink = rpy_int_rshift(1, -1); }
static void lshift_overflow(void) { sink = rpy_int_lshift(1, 63); }
static void lshift_overflow_big(void) { sink = rpy_int_lshift(3, 64); }

START_TEST(int_shift_errors)
{
    expect_error(lshift_negative, "ValueError: negative shift count");
    expect_error(rshift_negative, "ValueError: negative shift count");
    expect_error(lshift_overflow, "OverflowError: integer left shift overflow");
    expect_error(lshift_overflow_big, "OverflowError: integer left shift overflow");
}
END_TEST

/* ---- true division ---- */

START_TEST(int_truediv)
{
    static const struct { rpy_int a, b; const char *repr; } cases[] = {
        {INT64_MAX, 3, "3.0744573456182584e+18"},
        {INT64_MIN, 7, "-1.3176245766935393e+18"},
        {INT64_MAX, INT64_MAX, "1.0"},
        {INT64_MIN, -1, "9.223372036854776e+18"},
        {9007199254740993LL, 1, "9007199254740992.0"},
        {1000000000000000001LL, 1000000007, "999999993.0"},
        {1, INT64_MAX, "1.0842021724855044e-19"},
        {INT64_MIN, INT64_MAX, "-1.0"},
        {INT64_MAX, 9007199254740993LL, "1023.9999999999999"},
        {123456789012345678LL, -987654321, "-124999998.8734375"},
        {1, 3, "0.3333333333333333"},
        {-7, 2, "-3.5"},
        {0, -5, "-0.0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[RT_FLOAT_BUFSIZE];
        rt_float_repr(buf, rpy_int_truediv(cases[i].a, cases[i].b));
        ck_assert_msg(strcmp(buf, cases[i].repr) == 0, "case %zu: got %s want %s", i, buf, cases[i].repr);
    }
}
END_TEST

static void truediv_zero(void) { rpy_int_truediv(1, 0); }

START_TEST(int_truediv_error) { expect_error(truediv_zero, "ZeroDivisionError: division by zero"); }
END_TEST

/* ---- round(int, n) and hash ---- */

START_TEST(int_round)
{
    ck_assert(rpy_int_round(1250, -2) == 1200);
    ck_assert(rpy_int_round(1350, -2) == 1400);
    ck_assert(rpy_int_round(1251, -2) == 1300);
    ck_assert(rpy_int_round(-1250, -2) == -1200);
    ck_assert(rpy_int_round(-1350, -2) == -1400);
    ck_assert(rpy_int_round(-1251, -2) == -1300);
    ck_assert(rpy_int_round(15, -1) == 20);
    ck_assert(rpy_int_round(25, -1) == 20);
    ck_assert(rpy_int_round(12345, 3) == 12345);
    ck_assert(rpy_int_round(49, -2) == 0);
    ck_assert(rpy_int_round(50, -2) == 0);
    ck_assert(rpy_int_round(51, -2) == 100);
    ck_assert(rpy_int_round(INT64_MAX, -30) == 0);
    ck_assert(rpy_int_round(INT64_MAX, -18) == 9000000000000000000LL);
    ck_assert(rpy_int_round(INT64_MIN, -18) == -9000000000000000000LL);
}
END_TEST

static void round_overflow(void) { sink = rpy_int_round(INT64_MAX, -19); }

START_TEST(int_round_overflow)
{
    ck_assert_int_eq(run_child(round_overflow), 1);
    ck_assert_ptr_nonnull(strstr(err_text, "OverflowError: "));
}
END_TEST

START_TEST(int_hash)
{
    ck_assert(rpy_int_hash(0) == 0);
    ck_assert(rpy_int_hash(1) == 1);
    ck_assert(rpy_int_hash(-1) == -2);
    ck_assert(rpy_int_hash(-2) == -2);
    ck_assert(rpy_int_hash(INT64_MAX) == 3);
    ck_assert(rpy_int_hash(INT64_MIN) == -4);
    ck_assert(rpy_int_hash(((rpy_int)1 << 61) - 1) == 0);
    ck_assert(rpy_int_hash((rpy_int)1 << 61) == 1);
    ck_assert(rpy_int_hash(-((rpy_int)1 << 61)) == -2);
    ck_assert(rpy_int_hash(123456789) == 123456789);
}
END_TEST

/* ---- formatting and parsing ---- */

START_TEST(int_format)
{
    static const rpy_int vals[] = {0, 7, -7, 10, 99, 100, -100, 12345, INT64_MAX, INT64_MIN, -1};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        char want[32], got[RT_INT_BUFSIZE + 1];
        snprintf(want, sizeof want, "%lld", (long long)vals[i]);
        got[rt_int_format(got, vals[i])] = 0;
        ck_assert_str_eq(got, want);
        ck_assert_str_eq(rpy_str_from_int(vals[i])->data, want);
    }
}
END_TEST

static rpy_int parse(const char *s, rpy_int base) { return rpy_int_from_str(rpy_str_from_cstr(s), base); }

START_TEST(int_from_str)
{
    ck_assert(parse("42", 10) == 42);
    ck_assert(parse("  -17\n", 10) == -17);
    ck_assert(parse("+1_000_000", 10) == 1000000);
    ck_assert(parse("0x_1f", 0) == 31);
    ck_assert(parse("0X1F", 16) == 31);
    ck_assert(parse("1f", 16) == 31);
    ck_assert(parse("-0o17", 0) == -15);
    ck_assert(parse("0b101", 0) == 5);
    ck_assert(parse("0b1", 16) == 0xb1);
    ck_assert(parse("00", 0) == 0);
    ck_assert(parse("0_0", 0) == 0);
    ck_assert(parse("01", 10) == 1);
    ck_assert(parse("zz", 36) == 1295);
    ck_assert(parse("9223372036854775807", 10) == INT64_MAX);
    ck_assert(parse("-9223372036854775808", 10) == INT64_MIN);
    ck_assert(parse("\u0661\u0662", 10) == 12);        /* Arabic-Indic digits */
    ck_assert(parse("\u3000\uff11\uff12 ", 10) == 12); /* ideographic space, fullwidth digits */
}
END_TEST

static void int_bad_x(void) { parse("x", 10); }
static void int_bad_spaces(void) { parse(" 12a ", 10); }
static void int_bad_base0(void) { parse("01", 0); }
static void int_bad_underscores(void) { parse("1__0", 10); }
static void int_bad_trailing_underscore(void) { parse("1_", 10); }
static void int_bad_empty(void) { parse("", 10); }
static void int_bad_base(void) { parse("12", 1); }
static void int_bad_quote(void) { parse("it's", 10); }
static void int_too_big(void) { parse("9223372036854775808", 10); }
static void int_long_literal(void)
{
    char s[302];
    memset(s, '1', 300);
    s[300] = 'x';
    s[301] = 0;
    parse(s, 10);
}

START_TEST(int_from_str_errors)
{
    expect_error(int_bad_x, "ValueError: invalid literal for int() with base 10: 'x'");
    expect_error(int_bad_spaces, "ValueError: invalid literal for int() with base 10: ' 12a '");
    expect_error(int_bad_base0, "ValueError: invalid literal for int() with base 0: '01'");
    expect_error(int_bad_underscores, "ValueError: invalid literal for int() with base 10: '1__0'");
    expect_error(int_bad_trailing_underscore, "ValueError: invalid literal for int() with base 10: '1_'");
    expect_error(int_bad_empty, "ValueError: invalid literal for int() with base 10: ''");
    expect_error(int_bad_base, "ValueError: int() base must be >= 2 and <= 36, or 0");
    expect_error(int_bad_quote, "ValueError: invalid literal for int() with base 10: \"it's\"");
    ck_assert_int_eq(run_child(int_too_big), 1);
    ck_assert_ptr_nonnull(strstr(err_text, "OverflowError: "));
    /* CPython cuts the repr to 200 characters (%.200R). */
    char want[300];
    strcpy(want, "ValueError: invalid literal for int() with base 10: '");
    memset(want + strlen(want), '1', 199);
    want[53 + 199] = 0;
    expect_error(int_long_literal, want);
}
END_TEST

/* ---- recursion limit ---- */

static volatile bool stop_recursion;

static void recurse_deeper(void)
{
    rpy_enter();
    if (!stop_recursion)
        recurse_deeper();
    rpy_leave();
}

static void recurse(void) { recurse_deeper(); }

START_TEST(recursion_error)
{
    expect_error(recurse, "RecursionError: maximum recursion depth exceeded");
    rpy_enter_x();
    ck_assert(rpy_depth == 1);
    rpy_leave_x();
    ck_assert(rpy_depth == 0);
}
END_TEST

static Suite *int_suite(void)
{
    Suite *s = suite_create("rt_int");
    TCase *tc = tcase_create("int");
    tcase_set_timeout(tc, 60); /* error cases fork; slow under ASan */
    tcase_add_test(tc, floordiv_mod_signs);
    tcase_add_test(tc, int_errors);
    tcase_add_test(tc, int_pow);
    tcase_add_test(tc, int_pow_errors);
    tcase_add_test(tc, int_shifts);
    tcase_add_test(tc, int_shift_errors);
    tcase_add_test(tc, int_truediv);
    tcase_add_test(tc, int_truediv_error);
    tcase_add_test(tc, int_round);
    tcase_add_test(tc, int_round_overflow);
    tcase_add_test(tc, int_hash);
    tcase_add_test(tc, int_format);
    tcase_add_test(tc, int_from_str);
    tcase_add_test(tc, int_from_str_errors);
    tcase_add_test(tc, recursion_error);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(int_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
