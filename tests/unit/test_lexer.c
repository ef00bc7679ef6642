/* test_lexer.c - the scanner alone, through fe_tokenize: token sequences
 * with INDENT/DEDENT, implicit and explicit line joining, positions, the
 * value of every literal form, and lexical errors with their positions.
 *
 * Token sequences are compared as text: identifiers print as themselves,
 * keywords and operators as Python spells them, numbers as their value
 * (#1, #1.5), strings as s'...' / b'...' / f'...' (f-strings print their
 * constant parts only), layout tokens as NEWLINE, INDENT, DEDENT, EOF. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontend/frontend.h"

static void put_text(struct sp_buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n')
            sp_buf_puts(b, "\\n");
        else if (c == '\\')
            sp_buf_puts(b, "\\\\");
        else if (c < 0x20 || c >= 0x7f)
            sp_buf_printf(b, "\\x%02x", c);
        else
            sp_buf_putc(b, (char)c);
    }
}

static void put_literal(struct sp_buf *b, const struct ast_node *n)
{
    if (n->kind == AST_JOINEDSTR) {
        sp_buf_puts(b, "f'");
        for (int i = 0; i < n->values.n; i++)
            if (n->values.v[i]->kind == AST_CONSTANT)
                put_text(b, n->values.v[i]->str, n->values.v[i]->len);
            else
                sp_buf_puts(b, "{}");
        sp_buf_putc(b, '\'');
    } else if (n->const_kind == AST_CONST_INT) {
        if (n->big)
            sp_buf_printf(b, "#big:%s", n->str);
        else
            sp_buf_printf(b, "#%lld", (long long)n->ival);
    } else if (n->const_kind == AST_CONST_FLOAT) {
        sp_buf_printf(b, "#%.17g", n->fval);
    } else {
        sp_buf_puts(b, n->const_kind == AST_CONST_BYTES ? "b'" : "s'");
        put_text(b, n->str, n->len);
        sp_buf_putc(b, '\'');
    }
}

static const char *toks(const char *src)
{
    struct fe_token *t;
    int n = fe_tokenize("t.py", src, strlen(src), &t);
    if (n < 0)
        return "ERROR";
    struct sp_buf b = {0};
    for (int i = 0; i < n; i++) {
        if (i)
            sp_buf_putc(&b, ' ');
        if (t[i].ident)
            sp_buf_puts(&b, t[i].ident);
        else if (t[i].node)
            put_literal(&b, t[i].node);
        else
            sp_buf_puts(&b, t[i].name);
    }
    return sp_buf_cstr(&b);
}

/* The value of the only literal in `src`. */
static const struct ast_node *literal(const char *src, size_t len)
{
    struct fe_token *t;
    int n = fe_tokenize("t.py", src, len, &t);
    ck_assert_int_ge(n, 1);
    ck_assert_ptr_nonnull(t[0].node);
    return t[0].node;
}

static void assert_str_value(const char *src, const char *want, size_t want_len)
{
    const struct ast_node *n = literal(src, strlen(src));
    ck_assert_int_eq(n->kind, AST_CONSTANT);
    ck_assert_uint_eq(n->len, want_len);
    ck_assert_mem_eq(n->str, want, want_len);
}

/* The first line printed on stderr while tokenizing, without "t.py:". */
static const char *lex_error(const char *src, size_t len)
{
    fflush(stderr);
    int saved = dup(2);
    FILE *tmp = tmpfile();
    dup2(fileno(tmp), 2);
    struct fe_token *t;
    int n = fe_tokenize("t.py", src, len, &t);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    ck_assert_int_eq(n, -1);
    static char line[512];
    rewind(tmp);
    if (!fgets(line, sizeof line, tmp))
        line[0] = 0;
    fclose(tmp);
    line[strcspn(line, "\n")] = 0;
    return strncmp(line, "t.py:", 5) == 0 ? line + 5 : line;
}

#define LEX_ERROR(src) lex_error(src, sizeof(src) - 1)

/* ---- layout ---- */

START_TEST(test_simple_statement)
{
    ck_assert_str_eq(toks("x = 1\n"), "x = #1 NEWLINE EOF");
    ck_assert_str_eq(toks("x = 1"), "x = #1 NEWLINE EOF"); /* no final newline */
    ck_assert_str_eq(toks(""), "EOF");
    ck_assert_str_eq(toks("\n\n   \n# only a comment\n  # indented comment"), "EOF");
}
END_TEST

START_TEST(test_indent_dedent_nested)
{
    ck_assert_str_eq(toks("if a:\n    if b:\n        c\n    d\ne\n"),
                     "if a : NEWLINE INDENT if b : NEWLINE INDENT c NEWLINE DEDENT "
                     "d NEWLINE DEDENT e NEWLINE EOF");
    /* two levels closed at once, and at the end of input without newline */
    ck_assert_str_eq(toks("if a:\n  if b:\n    c\nd"),
                     "if a : NEWLINE INDENT if b : NEWLINE INDENT c NEWLINE DEDENT DEDENT "
                     "d NEWLINE EOF");
    ck_assert_str_eq(toks("def f():\n    return 1"),
                     "def f ( ) : NEWLINE INDENT return #1 NEWLINE DEDENT EOF");
}
END_TEST

START_TEST(test_blank_and_comment_lines_ignored)
{
    ck_assert_str_eq(toks("if a:\n\n    b  # c\n# at col 0\n        # deeper\n\n    c\n"),
                     "if a : NEWLINE INDENT b NEWLINE c NEWLINE DEDENT EOF");
}
END_TEST

START_TEST(test_bracket_joining)
{
    ck_assert_str_eq(toks("x = (1,\n     2)\ny = [\n3\n]\nz = {\n  'k':\n    4}\n"),
                     "x = ( #1 , #2 ) NEWLINE y = [ #3 ] NEWLINE z = { s'k' : #4 } NEWLINE EOF");
    ck_assert_str_eq(toks("f(a,  # comment\n\n  b)\n"), "f ( a , b ) NEWLINE EOF");
}
END_TEST

START_TEST(test_backslash_continuation)
{
    ck_assert_str_eq(toks("x = 1 + \\\n    2\n"), "x = #1 + #2 NEWLINE EOF");
    ck_assert_str_eq(toks("if a:\n  b\n\\\n  c\n"),
                     "if a : NEWLINE INDENT b NEWLINE c NEWLINE DEDENT EOF");
}
END_TEST

START_TEST(test_tabs)
{
    /* a tab goes to the next multiple of 8 */
    ck_assert_str_eq(toks("if a:\n\tb\n\tc\n"), "if a : NEWLINE INDENT b NEWLINE c NEWLINE DEDENT EOF");
    /* 8 spaces equal a tab in width but not with tabs counted as 1 */
    ck_assert_str_eq(LEX_ERROR("if a:\n\tb\n        c\n"),
                     "3:9: error: inconsistent use of tabs and spaces in indentation");
}
END_TEST

START_TEST(test_crlf_is_lf)
{
    ck_assert_str_eq(toks("if a:\r\n    b = '''x\r\ny'''\r\n"),
                     "if a : NEWLINE INDENT b = s'x\\ny' NEWLINE DEDENT EOF");
    ck_assert_str_eq(toks("a\rb\r"), "a NEWLINE b NEWLINE EOF");
}
END_TEST

START_TEST(test_operators_and_keywords)
{
    ck_assert_str_eq(toks("** // << >> <= >= == != -> += -= *= /= //= %= @= &= |= ^= <<= >>= **= ..."),
                     "** // << >> <= >= == != -> += -= *= /= //= %= @= &= |= ^= <<= >>= **= ... "
                     "NEWLINE EOF");
    ck_assert_str_eq(toks("+ - * / % @ & | ^ ~ < > = . , : ; ( ) [ ] { }"),
                     "+ - * / % @ & | ^ ~ < > = . , : ; ( ) [ ] { } NEWLINE EOF");
    ck_assert_str_eq(toks("if iff not_ None none class_ lambda match _ café"),
                     "if iff not_ None none class_ lambda match _ café NEWLINE EOF");
}
END_TEST

START_TEST(test_token_positions)
{
    struct fe_token *t;
    const char *src = "if x:\n\ty = 'a\\\nb' + f(\n  2)\n";
    int n = fe_tokenize("t.py", src, strlen(src), &t);
    /* if x : NEWLINE INDENT y = STRING + f ( 2 ) NEWLINE DEDENT EOF */
    ck_assert_int_eq(n, 16);
    int want[][2] = {{1, 1}, {1, 4}, {1, 5}, {1, 6}, {2, 2}, {2, 2}, {2, 4}, {2, 6},
                     {3, 4}, {3, 6}, {3, 7}, {4, 3}, {4, 4}, {4, 5}, {5, 1}, {5, 1}};
    for (int i = 0; i < n; i++) {
        ck_assert_msg(t[i].line == want[i][0] && t[i].col == want[i][1],
                      "token %d (%s) at %d:%d, want %d:%d", i, t[i].name, t[i].line, t[i].col,
                      want[i][0], want[i][1]);
    }
}
END_TEST

/* ---- literals ---- */

START_TEST(test_int_literals)
{
    ck_assert_str_eq(toks("0 7 123 1_000_000 0x1F 0XfF 0o17 0O7 0b101 0B1_0 00 0_0"),
                     "#0 #7 #123 #1000000 #31 #255 #15 #7 #5 #2 #0 #0 NEWLINE EOF");
    ck_assert_str_eq(toks("9223372036854775807"), "#9223372036854775807 NEWLINE EOF");
    ck_assert_str_eq(toks("9223372036854775808"), "#big:9223372036854775808 NEWLINE EOF");
    ck_assert_str_eq(toks("0xFFFFFFFFFFFFFFFFFF"), "#big:4722366482869645213695 NEWLINE EOF");
    ck_assert_str_eq(toks("0b1" "0000000000000000000000000000000000000000000000000000000000000000"),
                     "#big:18446744073709551616 NEWLINE EOF");
}
END_TEST

START_TEST(test_float_literals)
{
    const char *src[] = {"1.5", "1.", ".5", "1e10", "1_000.5", "1E-3", "1e+2", "0.0", "00.5", "1e400"};
    double want[] = {1.5, 1.0, 0.5, 1e10, 1000.5, 1e-3, 100.0, 0.0, 0.5, HUGE_VAL};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct ast_node *n = literal(src[i], strlen(src[i]));
        ck_assert_int_eq(n->const_kind, AST_CONST_FLOAT);
        ck_assert_msg(n->fval == want[i], "%s gave %g", src[i], n->fval);
    }
    ck_assert_str_eq(toks("x.y 1 .5"), "x . y #1 #0.5 NEWLINE EOF");
}
END_TEST

START_TEST(test_string_forms)
{
    ck_assert_str_eq(toks("'a' \"b\" '''c\nd''' \"\"\"e\"f\"\"\" '' \"\""),
                     "s'a' s'b' s'c\\nd' s'e\"f' s'' s'' NEWLINE EOF");
    ck_assert_str_eq(toks("r'\\n' R\"\\t\" u'x' U'y'"), "s'\\\\n' s'\\\\t' s'x' s'y' NEWLINE EOF");
    ck_assert_str_eq(toks("b'a' B\"b\" rb'\\n' bR'\\x' Br'q' RB'''z'''"),
                     "b'a' b'b' b'\\\\n' b'\\\\x' b'q' b'z' NEWLINE EOF");
    ck_assert_str_eq(toks("f'a{x}b' F\"{y}\" rf'{z}\\n' fR'{w}' Rf'' FR\"\""),
                     "f'a{}b' f'{}' f'{}\\\\n' f'{}' f'' f'' NEWLINE EOF");
    ck_assert_str_eq(toks("'it\\'s' \"q\\\"\" r'\\''"), "s'it's' s'q\"' s'\\\\'' NEWLINE EOF");
    /* prefixes that are not prefixes are names */
    ck_assert_str_eq(toks("bu'x' rr"), "bu s'x' rr NEWLINE EOF");
}
END_TEST

START_TEST(test_escapes)
{
    assert_str_value("'\\n\\t\\\\\\'\\\"\\r\\a\\b\\f\\v'", "\n\t\\'\"\r\a\b\f\v", 10);
    assert_str_value("'\\0'", "\0", 1);
    assert_str_value("'\\101\\7\\60x'", "A\a0x", 4);
    assert_str_value("'\\x41\\x7e'", "A~", 2);
    assert_str_value("'\\u00e9'", "\xc3\xa9", 2);
    assert_str_value("'\\u20AC'", "\xe2\x82\xac", 3);
    assert_str_value("'\\U0001F600'", "\xf0\x9f\x98\x80", 4);
    assert_str_value("'\\x80'", "\xc2\x80", 2);       /* str: U+0080 */
    assert_str_value("b'\\x80\\377'", "\x80\xff", 2); /* bytes: raw */
    assert_str_value("b'\\u1234'", "\\u1234", 6);     /* no \u in bytes */
    assert_str_value("'\\d\\w'", "\\d\\w", 4);        /* unknown escapes stay */
    assert_str_value("'a\\\nb'", "ab", 2);            /* escaped newline */
    assert_str_value("'é日'", "\xc3\xa9\xe6\x97\xa5", 5);
}
END_TEST

START_TEST(test_fstring_token_parts)
{
    const struct ast_node *n = literal("f'a{x!r}{{b}}{y:>{w}}'", 22);
    ck_assert_int_eq(n->kind, AST_JOINEDSTR);
    ck_assert_int_eq(n->values.n, 4);
    ck_assert_str_eq(n->values.v[0]->str, "a");
    ck_assert_int_eq(n->values.v[1]->kind, AST_FORMATTEDVALUE);
    ck_assert_int_eq(n->values.v[1]->conversion, 'r');
    ck_assert_str_eq(n->values.v[2]->str, "{b}");
    ck_assert_ptr_nonnull(n->values.v[3]->spec);
}
END_TEST

/* ---- errors ---- */

START_TEST(test_unterminated_strings)
{
    ck_assert_str_eq(LEX_ERROR("x = 1\ny = 'abc\nz = 2\n"),
                     "2:5: error: unterminated string literal (detected at line 2)");
    ck_assert_str_eq(LEX_ERROR("x = f\"abc"),
                     "1:5: error: unterminated string literal (detected at line 1)");
    ck_assert_str_eq(LEX_ERROR("s = '''abc\n\ndef\n"),
                     "1:5: error: unterminated triple-quoted string literal (detected at line 3)");
}
END_TEST

START_TEST(test_bad_indentation)
{
    ck_assert_str_eq(LEX_ERROR("if a:\n        b\n    c\n"),
                     "3:5: error: unindent does not match any outer indentation level");
    struct sp_buf deep = {0};
    for (int i = 0; i <= FE_MAX_INDENT + 1; i++) { /* line i+1 is i levels deep */
        for (int j = 0; j < i; j++)
            sp_buf_putc(&deep, ' ');
        sp_buf_puts(&deep, "if x:\n");
    }
    ck_assert_str_eq(lex_error(deep.s, deep.len), "102:102: error: too many levels of indentation");
}
END_TEST

START_TEST(test_brackets)
{
    ck_assert_str_eq(LEX_ERROR("x = (1,\n 2]\n"),
                     "2:3: error: closing parenthesis ']' does not match opening parenthesis '(' on line 1");
    ck_assert_str_eq(LEX_ERROR("x = [1)\n"),
                     "1:7: error: closing parenthesis ')' does not match opening parenthesis '['");
    ck_assert_str_eq(LEX_ERROR("x = 1)\n"), "1:6: error: unmatched ')'");
    ck_assert_str_eq(LEX_ERROR("x = {1,\n"), "1:5: error: '{' was never closed");
    struct sp_buf deep = {0};
    for (int i = 0; i <= FE_MAX_NEST; i++)
        sp_buf_putc(&deep, '(');
    ck_assert_str_eq(lex_error(deep.s, deep.len), "1:201: error: too many nested parentheses");
}
END_TEST

START_TEST(test_bad_characters)
{
    ck_assert_str_eq(LEX_ERROR("x = a € b\n"), "1:7: error: invalid character '€' (U+20AC)");
    ck_assert_str_eq(LEX_ERROR("x€ = 1\n"), "1:2: error: invalid character '€' (U+20AC)");
    ck_assert_str_eq(LEX_ERROR("x = \x01\n"), "1:5: error: invalid non-printable character U+0001");
    ck_assert_str_eq(LEX_ERROR("x = 'a'\ny = 1\0\n"), "2:6: error: source code cannot contain null bytes");
    ck_assert_str_eq(LEX_ERROR("# ok\nx = '\xff'\n"), "2:6: error: invalid UTF-8 (byte 0xFF)");
    ck_assert_str_eq(LEX_ERROR("x = 1 \\ 2\n"),
                     "1:7: error: unexpected character after line continuation character");
    ck_assert_str_eq(LEX_ERROR("x = 1 \\\n"), "1:7: error: unexpected EOF while parsing");
}
END_TEST

START_TEST(test_bad_literals)
{
    ck_assert_str_eq(LEX_ERROR("x = 1j\n"), "1:5: error: imaginary literals are not supported");
    ck_assert_str_eq(LEX_ERROR("x = 0777\n"),
                     "1:5: error: leading zeros in decimal integer literals are not permitted; "
                     "use an 0o prefix for octal integers");
    ck_assert_str_eq(LEX_ERROR("x = 'ab\\x4'\n"), "1:8: error: truncated \\xXX escape");
    ck_assert_str_eq(LEX_ERROR("x = '\\N{BULLET}'\n"), "1:6: error: \\N{...} escapes are not supported");
    ck_assert_str_eq(LEX_ERROR("x = '\\U00110000'\n"), "1:6: error: illegal Unicode character");
    ck_assert_str_eq(LEX_ERROR("x = b'é'\n"), "1:7: error: bytes can only contain ASCII literal characters");
}
END_TEST

START_TEST(test_many_tokenizations)
{
    /* The scanner keeps no global state: the same text gives the same tokens. */
    const char *first = toks("if a:\n  b\n");
    for (int i = 0; i < 100; i++)
        ck_assert_str_eq(toks("if a:\n  b\n"), first);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lexer");
    TCase *layout = tcase_create("layout");
    tcase_add_test(layout, test_simple_statement);
    tcase_add_test(layout, test_indent_dedent_nested);
    tcase_add_test(layout, test_blank_and_comment_lines_ignored);
    tcase_add_test(layout, test_bracket_joining);
    tcase_add_test(layout, test_backslash_continuation);
    tcase_add_test(layout, test_tabs);
    tcase_add_test(layout, test_crlf_is_lf);
    tcase_add_test(layout, test_operators_and_keywords);
    tcase_add_test(layout, test_token_positions);
    tcase_add_test(layout, test_many_tokenizations);
    suite_add_tcase(s, layout);
    TCase *lit = tcase_create("literals");
    tcase_add_test(lit, test_int_literals);
    tcase_add_test(lit, test_float_literals);
    tcase_add_test(lit, test_string_forms);
    tcase_add_test(lit, test_escapes);
    tcase_add_test(lit, test_fstring_token_parts);
    suite_add_tcase(s, lit);
    TCase *err = tcase_create("errors");
    tcase_add_test(err, test_unterminated_strings);
    tcase_add_test(err, test_bad_indentation);
    tcase_add_test(err, test_brackets);
    tcase_add_test(err, test_bad_characters);
    tcase_add_test(err, test_bad_literals);
    suite_add_tcase(s, err);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
