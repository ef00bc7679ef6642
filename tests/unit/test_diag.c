/* test_diag.c - the diagnostics printer: the text form (what rpy build
 * and rpy check print on stderr) and the JSON Lines form of rpy check
 * --json (notes nested in their error, strings escaped, the same
 * diagnostics through captures and replays as without them). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support/support.h"

static const char SRC[] = "x = 1\n\ty = x + \"a\"\n";

/* Redirect fd (1 or 2) into a temporary file until output_end. */
static FILE *out_tmp;
static int out_fd, out_saved;

static void output_begin(int fd)
{
    fflush(NULL);
    out_tmp = tmpfile();
    out_fd = fd;
    out_saved = dup(fd);
    dup2(fileno(out_tmp), fd);
}

static const char *output_end(void)
{
    fflush(NULL);
    dup2(out_saved, out_fd);
    close(out_saved);
    long n = ftell(out_tmp);
    char *text = sp_alloc((size_t)n + 1);
    rewind(out_tmp);
    ck_assert_int_eq(fread(text, 1, (size_t)n, out_tmp), (size_t)n);
    fclose(out_tmp);
    return text;
}

static struct srcpos at(int line, int col) { return (struct srcpos){"t.py", line, col, NULL}; }

START_TEST(test_text_form)
{
    sp_register_source("t.py", SRC, sizeof SRC - 1);
    output_begin(2);
    sp_error(at(2, 10), "type conflict: %s", "str");
    sp_note(at(1, 5), "but it gets an int here");
    sp_error((struct srcpos){0}, "cannot open %s", "u.py");
    const char *got = output_end();
    ck_assert_str_eq(got, "t.py:2:10: error: type conflict: str\n"
                          "    \ty = x + \"a\"\n"
                          "    \t        ^\n"
                          "t.py:1:5: note: but it gets an int here\n"
                          "    x = 1\n"
                          "        ^\n"
                          "rpy: error: cannot open u.py\n");
    ck_assert_int_eq(sp_error_count(), 2);
}
END_TEST

START_TEST(test_json_nests_notes)
{
    sp_diag_set_json(true);
    output_begin(1);
    sp_error(at(2, 10), "first");
    sp_note(at(1, 5), "note one");
    sp_note(at(1, 1), "note two");
    sp_error(at(2, 1), "second");
    /* Nothing of the second error is written before the flush. */
    const char *before = output_end();
    output_begin(1);
    sp_diag_flush();
    const char *after = output_end();
    ck_assert_str_eq(before, "{\"file\": \"t.py\", \"line\": 2, \"col\": 10, \"severity\": \"error\", "
                             "\"message\": \"first\", \"notes\": ["
                             "{\"file\": \"t.py\", \"line\": 1, \"col\": 5, \"message\": \"note one\"}, "
                             "{\"file\": \"t.py\", \"line\": 1, \"col\": 1, \"message\": \"note two\"}]}\n");
    ck_assert_str_eq(after, "{\"file\": \"t.py\", \"line\": 2, \"col\": 1, \"severity\": \"error\", "
                            "\"message\": \"second\", \"notes\": []}\n");
    ck_assert_int_eq(sp_error_count(), 2);
}
END_TEST

START_TEST(test_json_escapes)
{
    sp_diag_set_json(true);
    output_begin(1);
    sp_error((struct srcpos){"d\"ir\\t.py", 3, 4, NULL}, "q\"b\\s\nn\tt\rr\x01\x1f\x7f é €\xff\xc3(\xed\xa0\x80 end");
    sp_diag_flush();
    const char *got = output_end();
    ck_assert_str_eq(got, "{\"file\": \"d\\\"ir\\\\t.py\", \"line\": 3, \"col\": 4, \"severity\": \"error\", "
                          "\"message\": \"q\\\"b\\\\s\\nn\\tt\\rr\\u0001\\u001f\\u007f é €"
                          "\\ufffd\\ufffd(\\ufffd\\ufffd\\ufffd end\", \"notes\": []}\n");
}
END_TEST

START_TEST(test_json_without_position)
{
    sp_diag_set_json(true);
    output_begin(1);
    sp_note(at(1, 1), "a note before any error");
    sp_error((struct srcpos){0}, "cannot open u.py");
    sp_diag_flush();
    const char *got = output_end();
    ck_assert_str_eq(got, "{\"file\": \"t.py\", \"line\": 1, \"col\": 1, \"severity\": \"note\", "
                          "\"message\": \"a note before any error\", \"notes\": []}\n"
                          "{\"file\": null, \"line\": 0, \"col\": 0, \"severity\": \"error\", "
                          "\"message\": \"cannot open u.py\", \"notes\": []}\n");
    ck_assert_int_eq(sp_error_count(), 1);
}
END_TEST

/* A captured error keeps its notes through nested captures and replays;
 * its text (what the annotator compares) is the text form. */
START_TEST(test_json_capture_replay)
{
    sp_register_source("t.py", SRC, sizeof SRC - 1);
    sp_diag_set_json(true);
    output_begin(1);
    sp_capture_begin();
    sp_capture_begin();
    sp_error(at(1, 5), "inner");
    sp_note(at(1, 1), "its note");
    struct sp_captured *inner = sp_capture_end();
    sp_replay(inner);
    struct sp_captured *outer = sp_capture_end();
    ck_assert_int_eq(sp_error_count(), 0);
    ck_assert_str_eq(sp_captured_text(outer), sp_captured_text(inner));
    ck_assert_str_eq(sp_captured_text(outer), "t.py:1:5: error: inner\n    x = 1\n        ^\n"
                                              "t.py:1:1: note: its note\n    x = 1\n    ^\n");
    ck_assert_ptr_null((sp_capture_begin(), sp_capture_end()));
    sp_replay(outer);
    sp_diag_flush();
    const char *got = output_end();
    ck_assert_str_eq(got, "{\"file\": \"t.py\", \"line\": 1, \"col\": 5, \"severity\": \"error\", "
                          "\"message\": \"inner\", \"notes\": ["
                          "{\"file\": \"t.py\", \"line\": 1, \"col\": 1, \"message\": \"its note\"}]}\n");
    ck_assert_int_eq(sp_error_count(), 1);
}
END_TEST

/* col counts bytes; the caret goes under the character all the same. */
START_TEST(test_caret_after_utf8)
{
    static const char src[] = "maß = \"groß\"\n";
    sp_register_source("u.py", src, sizeof src - 1);
    output_begin(2);
    sp_error((struct srcpos){"u.py", 1, 8, NULL}, "here");
    const char *got = output_end();
    ck_assert_str_eq(got, "u.py:1:8: error: here\n    maß = \"groß\"\n          ^\n");
}
END_TEST

/* Messages are not cut at a fixed length. */
START_TEST(test_long_message)
{
    char *big = sp_alloc(5001);
    memset(big, 'a', 5000);
    output_begin(2);
    sp_error((struct srcpos){0}, "%s", big);
    const char *got = output_end();
    ck_assert_str_eq(got, sp_fmt("rpy: error: %s\n", big));
}
END_TEST

static Suite *diag_suite(void)
{
    Suite *s = suite_create("diag");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_text_form);
    tcase_add_test(tc, test_json_nests_notes);
    tcase_add_test(tc, test_json_escapes);
    tcase_add_test(tc, test_json_without_position);
    tcase_add_test(tc, test_json_capture_replay);
    tcase_add_test(tc, test_caret_after_utf8);
    tcase_add_test(tc, test_long_message);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(diag_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
