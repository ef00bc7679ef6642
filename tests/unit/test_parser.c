/* test_parser.c - the grammar and the trees it builds: operator precedence
 * and associativity, every statement and expression form, f-string parts,
 * node positions, the dump format, and syntax errors with their line:col.
 *
 * Expressions are compared as S-expressions written by sx() below, e.g.
 * "2+3*4" is "(+ 2 (* 3 4))"; statements through ast_dump's text. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontend/ast.h"

/* ---- helpers ---- */

static struct ast_node *parse(const char *src)
{
    struct ast_node *m = ast_parse_string("t.py", src, strlen(src));
    ck_assert_msg(m != NULL, "parse failed: %s", src);
    return m;
}

static const char *dump(const char *src)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ast_dump(f, parse(src));
    fclose(f);
    const char *copy = sp_strdup(buf);
    free(buf);
    return copy;
}

static void sx_to(struct sp_buf *b, const struct ast_node *n);

static void sx_list(struct sp_buf *b, const struct ast_list *l)
{
    for (int i = 0; i < l->n; i++) {
        sp_buf_putc(b, ' ');
        sx_to(b, l->v[i]);
    }
}

static void sx_constant(struct sp_buf *b, const struct ast_node *n)
{
    switch (n->const_kind) {
    case AST_CONST_INT:
        if (n->big)
            sp_buf_printf(b, "%sbig", n->str);
        else
            sp_buf_printf(b, "%lld", (long long)n->ival);
        break;
    case AST_CONST_FLOAT: sp_buf_printf(b, "%g", n->fval); break;
    case AST_CONST_STR: sp_buf_printf(b, "'%.*s'", (int)n->len, n->str); break;
    case AST_CONST_BYTES: sp_buf_printf(b, "b'%.*s'", (int)n->len, n->str); break;
    case AST_CONST_TRUE: sp_buf_puts(b, "True"); break;
    case AST_CONST_FALSE: sp_buf_puts(b, "False"); break;
    case AST_CONST_NONE: sp_buf_puts(b, "None"); break;
    case AST_CONST_ELLIPSIS: sp_buf_puts(b, "..."); break;
    }
}

static void sx_params(struct sp_buf *b, const struct ast_node *a)
{
    sp_buf_putc(b, '(');
    for (int i = 0; i < a->posargs.n; i++)
        sp_buf_printf(b, "%s%s", i ? " " : "", a->posargs.v[i]->name);
    if (a->vararg)
        sp_buf_printf(b, " *%s", a->vararg->name);
    for (int i = 0; i < a->kwonlyargs.n; i++)
        sp_buf_printf(b, " kw:%s", a->kwonlyargs.v[i]->name);
    if (a->kwarg)
        sp_buf_printf(b, " **%s", a->kwarg->name);
    sp_buf_putc(b, ')');
}

static void sx_generators(struct sp_buf *b, const struct ast_list *gens)
{
    for (int i = 0; i < gens->n; i++) {
        const struct ast_node *g = gens->v[i];
        sp_buf_puts(b, " (for ");
        sx_to(b, g->target);
        sp_buf_putc(b, ' ');
        sx_to(b, g->iter);
        for (int j = 0; j < g->ifs.n; j++) {
            sp_buf_puts(b, " (if ");
            sx_to(b, g->ifs.v[j]);
            sp_buf_putc(b, ')');
        }
        sp_buf_putc(b, ')');
    }
}

static void sx_formatted(struct sp_buf *b, const struct ast_node *n)
{
    sp_buf_putc(b, '{');
    sx_to(b, n->value);
    if (n->conversion)
        sp_buf_printf(b, "!%c", n->conversion);
    if (n->spec) {
        sp_buf_putc(b, ':');
        sx_to(b, n->spec);
    }
    sp_buf_putc(b, '}');
}

static void sx_call(struct sp_buf *b, const struct ast_node *n)
{
    sp_buf_puts(b, "(call ");
    sx_to(b, n->func);
    sx_list(b, &n->callargs);
    for (int i = 0; i < n->keywords.n; i++) {
        const struct ast_node *k = n->keywords.v[i];
        sp_buf_printf(b, " %s%s", k->name ? k->name : "**", k->name ? "=" : "");
        sx_to(b, k->value);
    }
    sp_buf_putc(b, ')');
}

static void sx_dict(struct sp_buf *b, const struct ast_node *n)
{
    sp_buf_puts(b, "(dict");
    for (int i = 0; i < n->keys.n; i++) {
        sp_buf_putc(b, ' ');
        if (n->keys.v[i]) {
            sx_to(b, n->keys.v[i]);
            sp_buf_putc(b, ':');
        } else {
            sp_buf_puts(b, "**");
        }
        sx_to(b, n->values.v[i]);
    }
    sp_buf_putc(b, ')');
}

static void sx_to(struct sp_buf *b, const struct ast_node *n)
{
    if (!n) {
        sp_buf_putc(b, '_');
        return;
    }
    switch (n->kind) {
    case AST_NAME: sp_buf_puts(b, n->name); return;
    case AST_CONSTANT: sx_constant(b, n); return;
    case AST_BINOP:
        sp_buf_printf(b, "(%s ", ast_op_spelling(n->op));
        sx_to(b, n->left);
        sp_buf_putc(b, ' ');
        sx_to(b, n->right);
        break;
    case AST_UNARYOP:
        sp_buf_printf(b, "(%s ", ast_op_spelling(n->op));
        sx_to(b, n->value);
        break;
    case AST_BOOLOP:
        sp_buf_printf(b, "(%s", ast_op_spelling(n->op));
        sx_list(b, &n->values);
        break;
    case AST_COMPARE:
        sp_buf_puts(b, "(cmp ");
        sx_to(b, n->left);
        for (int i = 0; i < n->comparators.n; i++) {
            sp_buf_printf(b, " %s ", ast_op_spelling(n->cmpops[i]));
            sx_to(b, n->comparators.v[i]);
        }
        break;
    case AST_IFEXP:
        sp_buf_puts(b, "(if ");
        sx_to(b, n->test);
        sp_buf_putc(b, ' ');
        sx_to(b, n->body_expr);
        sp_buf_putc(b, ' ');
        sx_to(b, n->orelse_expr);
        break;
    case AST_CALL: sx_call(b, n); return;
    case AST_ATTRIBUTE:
        sp_buf_puts(b, "(. ");
        sx_to(b, n->value);
        sp_buf_printf(b, " %s", n->name);
        break;
    case AST_SUBSCRIPT:
        sp_buf_puts(b, "([] ");
        sx_to(b, n->value);
        sp_buf_putc(b, ' ');
        sx_to(b, n->index);
        break;
    case AST_SLICE:
        sp_buf_puts(b, "(slice ");
        sx_to(b, n->lower);
        sp_buf_putc(b, ' ');
        sx_to(b, n->upper);
        sp_buf_putc(b, ' ');
        sx_to(b, n->step);
        break;
    case AST_STARRED:
        sp_buf_puts(b, "(* ");
        sx_to(b, n->value);
        break;
    case AST_TUPLE: sp_buf_puts(b, "(tuple"); sx_list(b, &n->elts); break;
    case AST_LIST: sp_buf_puts(b, "(list"); sx_list(b, &n->elts); break;
    case AST_SET: sp_buf_puts(b, "(set"); sx_list(b, &n->elts); break;
    case AST_DICT: sx_dict(b, n); return;
    case AST_LISTCOMP: case AST_SETCOMP: case AST_GENEXP:
        sp_buf_printf(b, "(%s ", n->kind == AST_LISTCOMP ? "listcomp"
                                 : n->kind == AST_SETCOMP ? "setcomp" : "genexp");
        sx_to(b, n->elt);
        sx_generators(b, &n->generators);
        break;
    case AST_DICTCOMP:
        sp_buf_puts(b, "(dictcomp ");
        sx_to(b, n->key);
        sp_buf_putc(b, ' ');
        sx_to(b, n->value);
        sx_generators(b, &n->generators);
        break;
    case AST_LAMBDA:
        sp_buf_puts(b, "(lambda ");
        sx_params(b, n->args);
        sp_buf_putc(b, ' ');
        sx_to(b, n->value);
        break;
    case AST_YIELD: case AST_YIELDFROM:
        sp_buf_puts(b, n->kind == AST_YIELD ? "(yield " : "(yield-from ");
        sx_to(b, n->value);
        break;
    case AST_JOINEDSTR: sp_buf_puts(b, "(f"); sx_list(b, &n->values); break;
    case AST_FORMATTEDVALUE: sx_formatted(b, n); return;
    default: sp_buf_puts(b, ast_kind_name(n->kind)); return;
    }
    sp_buf_putc(b, ')');
}

static const char *sx(const struct ast_node *n)
{
    struct sp_buf b = {0};
    sx_to(&b, n);
    return sp_buf_cstr(&b);
}

static const char *params(const struct ast_node *args)
{
    struct sp_buf b = {0};
    sx_params(&b, args);
    return sp_buf_cstr(&b);
}

/* The expression of a one-line expression statement. */
static const struct ast_node *expr_node(const char *src)
{
    struct ast_node *m = parse(src);
    ck_assert_int_eq(m->body.n, 1);
    ck_assert_int_eq(m->body.v[0]->kind, AST_EXPR);
    return m->body.v[0]->value;
}

static const char *expr(const char *src)
{
    return sx(expr_node(src));
}

static const char *stmt_kinds(const struct ast_list *body)
{
    struct sp_buf b = {0};
    for (int i = 0; i < body->n; i++)
        sp_buf_printf(&b, "%s%s", i ? " " : "", ast_kind_name(body->v[i]->kind));
    return sp_buf_cstr(&b);
}

/* Everything printed on stderr while parsing `src` (which must fail). */
static const char *parse_stderr(const char *file, const char *src, size_t len)
{
    fflush(stderr);
    int saved = dup(2);
    FILE *tmp = tmpfile();
    dup2(fileno(tmp), 2);
    struct ast_node *m = ast_parse_string(file, src, len);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    ck_assert_msg(m == NULL, "no error for: %s", src);
    struct sp_buf out = {0};
    char chunk[512];
    rewind(tmp);
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, tmp)) > 0)
        sp_buf_putn(&out, chunk, got);
    fclose(tmp);
    return sp_buf_cstr(&out);
}

/* The first line of the error for `src`, without the "t.py:" prefix. */
static const char *perr_n(const char *src, size_t len)
{
    const char *out = parse_stderr("t.py", src, len);
    size_t n = strcspn(out, "\n");
    const char *line = sp_strndup(out, n);
    return strncmp(line, "t.py:", 5) == 0 ? line + 5 : line;
}

static const char *perr(const char *src)
{
    return perr_n(src, strlen(src));
}

/* ---- expressions ---- */

START_TEST(test_precedence)
{
    ck_assert_str_eq(expr("2+3*4"), "(+ 2 (* 3 4))");
    ck_assert_str_eq(expr("(2+3)*4"), "(* (+ 2 3) 4)");
    ck_assert_str_eq(expr("-2**2"), "(- (** 2 2))");
    ck_assert_str_eq(expr("2**-1"), "(** 2 (- 1))");
    ck_assert_str_eq(expr("2**3**2"), "(** 2 (** 3 2))");
    ck_assert_str_eq(expr("a - b - c"), "(- (- a b) c)");
    ck_assert_str_eq(expr("a // b % c @ d / e * f"), "(* (/ (@ (% (// a b) c) d) e) f)");
    ck_assert_str_eq(expr("a | b ^ c & d << e + f * g"), "(| a (^ b (& c (<< d (+ e (* f g))))))");
    ck_assert_str_eq(expr("a >> b << c"), "(<< (>> a b) c)");
    ck_assert_str_eq(expr("~-+x"), "(~ (- (+ x)))");
    ck_assert_str_eq(expr("-x.y[1](2)"), "(- (call ([] (. x y) 1) 2))");
}
END_TEST

START_TEST(test_boolean_and_conditional)
{
    ck_assert_str_eq(expr("not a == b"), "(not (cmp a == b))");
    ck_assert_str_eq(expr("a if b else c"), "(if b a c)");
    ck_assert_str_eq(expr("a if b else c if d else e"), "(if b a (if d c e))");
    ck_assert_str_eq(expr("a + b if c or d else e"), "(if (or c d) (+ a b) e)");
    ck_assert_str_eq(expr("a or b and c"), "(or a (and b c))");
    ck_assert_str_eq(expr("a or b or c"), "(or a b c)");
    ck_assert_str_eq(expr("(a or b) or c"), "(or (or a b) c)");
    ck_assert_str_eq(expr("a and b and not c"), "(and a b (not c))");
    ck_assert_str_eq(expr("not not a"), "(not (not a))");
    ck_assert_str_eq(expr("lambda x: x + 1"), "(lambda (x) (+ x 1))");
    ck_assert_str_eq(expr("lambda: a if b else c"), "(lambda () (if b a c))");
}
END_TEST

START_TEST(test_comparisons)
{
    ck_assert_str_eq(expr("a < b <= c != d"), "(cmp a < b <= c != d)");
    ck_assert_str_eq(expr("a == b > c >= d"), "(cmp a == b > c >= d)");
    ck_assert_str_eq(expr("x in y and z not in w"), "(and (cmp x in y) (cmp z not in w))");
    ck_assert_str_eq(expr("a is not b is c"), "(cmp a is not b is c)");
    ck_assert_str_eq(expr("(a < b) < c"), "(cmp (cmp a < b) < c)");
    ck_assert_str_eq(expr("a < b | c"), "(cmp a < (| b c))");
    const struct ast_node *c = expr_node("1 < 2 < 3 < 4 < 5 < 6");
    ck_assert_int_eq(c->comparators.n, 5);
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(c->cmpops[i], AST_LT);
}
END_TEST

START_TEST(test_atoms_and_literals)
{
    ck_assert_str_eq(expr("(None, True, False, ..., 1.5, 'a', b'b')"),
                     "(tuple None True False ... 1.5 'a' b'b')");
    ck_assert_str_eq(expr("'a' \"b\" '''c'''"), "'abc'");
    ck_assert_str_eq(expr("b'a' b'b'"), "b'ab'");
    ck_assert_str_eq(expr("'a' f'{x}' 'c' 'd'"), "(f 'a' {x} 'cd')");
    ck_assert_str_eq(expr("-9223372036854775808"), "(- 9223372036854775808big)");
    ck_assert_str_eq(expr("9223372036854775807"), "9223372036854775807");
}
END_TEST

START_TEST(test_calls)
{
    ck_assert_str_eq(expr("f()"), "(call f)");
    ck_assert_str_eq(expr("f(a, b,)"), "(call f a b)");
    ck_assert_str_eq(expr("f(a, *b, c, d=1, *e, **f)"), "(call f a (* b) c (* e) d=1 **f)");
    ck_assert_str_eq(expr("f(x for x in y)"), "(call f (genexp x (for x y)))");
    ck_assert_str_eq(expr("f((x for x in y), 1)"), "(call f (genexp x (for x y)) 1)");
    ck_assert_str_eq(expr("print(*a, sep='', end='\\n')"), "(call print (* a) sep='' end='\n')");
    ck_assert_str_eq(expr("a.b.c(d)(e)[f].g"), "(. ([] (call (call (. (. a b) c) d) e) f) g)");
    ck_assert_str_eq(expr("f(key=lambda x: -x)"), "(call f key=(lambda (x) (- x)))");
}
END_TEST

START_TEST(test_subscripts_and_slices)
{
    ck_assert_str_eq(expr("a[1]"), "([] a 1)");
    ck_assert_str_eq(expr("a[1:2]"), "([] a (slice 1 2 _))");
    ck_assert_str_eq(expr("a[1:2:3]"), "([] a (slice 1 2 3))");
    ck_assert_str_eq(expr("a[::2]"), "([] a (slice _ _ 2))");
    ck_assert_str_eq(expr("a[:]"), "([] a (slice _ _ _))");
    ck_assert_str_eq(expr("a[:, 1]"), "([] a (tuple (slice _ _ _) 1))");
    ck_assert_str_eq(expr("a[1,]"), "([] a (tuple 1))");
    ck_assert_str_eq(expr("a[i:j, k]"), "([] a (tuple (slice i j _) k))");
    ck_assert_str_eq(expr("a[...]"), "([] a ...)");
    ck_assert_str_eq(expr("a[-1:]"), "([] a (slice (- 1) _ _))");
}
END_TEST

START_TEST(test_displays_and_comprehensions)
{
    ck_assert_str_eq(expr("[]"), "(list)");
    ck_assert_str_eq(expr("[1, *a, 2,]"), "(list 1 (* a) 2)");
    ck_assert_str_eq(expr("()"), "(tuple)");
    ck_assert_str_eq(expr("(1,)"), "(tuple 1)");
    ck_assert_str_eq(expr("(1)"), "1");
    ck_assert_str_eq(expr("((a))"), "a");
    ck_assert_str_eq(expr("(*a, b)"), "(tuple (* a) b)");
    ck_assert_str_eq(expr("{}"), "(dict)");
    ck_assert_str_eq(expr("{1: 2, **d, 3: 4,}"), "(dict 1:2 **d 3:4)");
    ck_assert_str_eq(expr("{1, 2,}"), "(set 1 2)");
    ck_assert_str_eq(expr("{*a, 1}"), "(set (* a) 1)");
    ck_assert_str_eq(expr("[x for x in y if p if q for z in x]"),
                     "(listcomp x (for x y (if p) (if q)) (for z x))");
    ck_assert_str_eq(expr("{k: v for k, v in d.items()}"),
                     "(dictcomp k v (for (tuple k v) (call (. d items))))");
    ck_assert_str_eq(expr("{x for x in y}"), "(setcomp x (for x y))");
    ck_assert_str_eq(expr("(x for (a, b) in y if not a)"),
                     "(genexp x (for (tuple a b) y (if (not a))))");
    ck_assert_str_eq(expr("[a if b else c for d in e]"), "(listcomp (if b a c) (for d e))");
}
END_TEST

START_TEST(test_fstrings)
{
    ck_assert_str_eq(expr("f'a{x}b'"), "(f 'a' {x} 'b')");
    ck_assert_str_eq(expr("f'{x!r} {y!s:>10} {z!a}'"), "(f {x!r} ' ' {y!s:(f '>10')} ' ' {z!a})");
    ck_assert_str_eq(expr("f'{x:>{w}.{p}f}'"), "(f {x:(f '>' {w} '.' {p} 'f')})");
    ck_assert_str_eq(expr("f'{{a}} }}{{'"), "(f '{a} }{')");
    ck_assert_str_eq(expr("f'{x=}'"), "(f 'x=' {x!r})");
    ck_assert_str_eq(expr("f'{x = :>5}'"), "(f 'x = ' {x:(f '>5')})");
    ck_assert_str_eq(expr("f'{a!=b} {a<=b} {d[\"k\"]} {g(1, 2)}'"),
                     "(f {(cmp a != b)} ' ' {(cmp a <= b)} ' ' {([] d 'k')} ' ' {(call g 1 2)})");
    ck_assert_str_eq(expr("f'{a, b}'"), "(f {(tuple a b)})");
    ck_assert_str_eq(expr("f\"{f'{x}'}\""), "(f {(f {x})})");
    ck_assert_str_eq(expr("f'\\x41{x}\\n'"), "(f 'A' {x} '\n')");
    ck_assert_str_eq(expr("rf'\\d{x}'"), "(f '\\d' {x})");
    ck_assert_str_eq(expr("f''"), "(f)");
    ck_assert_str_eq(expr("f'{ {1: 2}[1] }'"), "(f {([] (dict 1:2) 1)})");
}
END_TEST

START_TEST(test_fstring_positions)
{
    /* x = f'''a
     *   {foo +
     *  bar}''' */
    struct ast_node *m = parse("x = f'''a\n  {foo +\n bar}'''\n");
    const struct ast_node *js = m->body.v[0]->value;
    ck_assert_int_eq(js->kind, AST_JOINEDSTR);
    ck_assert_int_eq(js->pos.line, 1);
    ck_assert_int_eq(js->pos.col, 5);
    const struct ast_node *fv = js->values.v[1];
    ck_assert_int_eq(fv->pos.line, 2);
    ck_assert_int_eq(fv->pos.col, 3);
    ck_assert_int_eq(fv->value->left->pos.line, 2);
    ck_assert_int_eq(fv->value->left->pos.col, 4);
    ck_assert_int_eq(fv->value->right->pos.line, 3);
    ck_assert_int_eq(fv->value->right->pos.col, 2);
    ck_assert_str_eq(fv->value->right->pos.file, "t.py");
}
END_TEST

/* ---- statements ---- */

static const char *every_statement =
    "import a.b as c\n"
    "from .m import x\n"
    "@dec\n"
    "def f(a, *b, **c):\n"
    "    global g\n"
    "    nonlocal_ = 1\n"
    "    return a\n"
    "class C(B):\n"
    "    pass\n"
    "x = y = 1\n"
    "x += 1\n"
    "x: int = 2\n"
    "del x\n"
    "if x:\n    pass\nelif y:\n    pass\nelse:\n    pass\n"
    "while x:\n    break\nelse:\n    continue\n"
    "for i in r:\n    pass\n"
    "try:\n    pass\nexcept E as e:\n    raise\nfinally:\n    pass\n"
    "with a as b, c:\n    pass\n"
    "assert x, 'm'\n"
    "raise E from F\n"
    "f(x); g(y);\n"
    "def h():\n    nonlocal z\n    yield 1\n";

START_TEST(test_every_statement_kind)
{
    struct ast_node *m = parse(every_statement);
    ck_assert_int_eq(m->kind, AST_MODULE);
    ck_assert_str_eq(stmt_kinds(&m->body),
                     "Import ImportFrom FunctionDef ClassDef Assign AugAssign AnnAssign Delete If "
                     "While For Try With Assert Raise Expr Expr FunctionDef");
    const struct ast_node *f = m->body.v[2];
    ck_assert_str_eq(stmt_kinds(&f->body), "Global Assign Return");
    ck_assert_str_eq(stmt_kinds(&m->body.v[17]->body), "Nonlocal Expr");
    ck_assert_int_eq(m->body.v[17]->body.v[1]->value->kind, AST_YIELD);
    ck_assert_str_eq(stmt_kinds(&m->body.v[9]->body), "Break");
    ck_assert_str_eq(stmt_kinds(&m->body.v[9]->orelse), "Continue");
}
END_TEST

START_TEST(test_assignments)
{
    struct ast_node *m = parse("a = b = c\na, *b = c\n[a, (b, c)] = x\nx[1:2] = y\na.b = 1, 2\nx = 1,\n");
    ck_assert_int_eq(m->body.v[0]->targets.n, 2);
    ck_assert_str_eq(sx(m->body.v[0]->targets.v[0]), "a");
    ck_assert_str_eq(sx(m->body.v[0]->targets.v[1]), "b");
    ck_assert_str_eq(sx(m->body.v[0]->value), "c");
    ck_assert_str_eq(sx(m->body.v[1]->targets.v[0]), "(tuple a (* b))");
    ck_assert_str_eq(sx(m->body.v[2]->targets.v[0]), "(list a (tuple b c))");
    ck_assert_str_eq(sx(m->body.v[3]->targets.v[0]), "([] x (slice 1 2 _))");
    ck_assert_str_eq(sx(m->body.v[4]->value), "(tuple 1 2)");
    ck_assert_str_eq(sx(m->body.v[5]->value), "(tuple 1)");

    const char *ops[] = {"+", "-", "*", "@", "/", "//", "%", "**", "<<", ">>", "|", "^", "&"};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        struct ast_node *s = parse(sp_fmt("x.y %s= 2\n", ops[i]))->body.v[0];
        ck_assert_int_eq(s->kind, AST_AUGASSIGN);
        ck_assert_str_eq(ast_op_spelling(s->op), ops[i]);
        ck_assert_str_eq(sx(s->target), "(. x y)");
    }
    struct ast_node *ann = parse("self.x: list[int]\n")->body.v[0];
    ck_assert_int_eq(ann->kind, AST_ANNASSIGN);
    ck_assert_str_eq(sx(ann->annotation), "([] list int)");
    ck_assert_ptr_null(ann->value);
}
END_TEST

START_TEST(test_def_and_lambda)
{
    struct ast_node *m = parse("@d1\n@d2(x)\n"
                               "def f(a, b: int = 1, *args, c, d=2, **kw) -> str:\n    pass\n"
                               "def g(*, a,): pass\n");
    const struct ast_node *f = m->body.v[0];
    ck_assert_str_eq(f->name, "f");
    ck_assert_int_eq(f->decorators.n, 2);
    ck_assert_str_eq(sx(f->decorators.v[1]), "(call d2 x)");
    ck_assert_str_eq(params(f->args), "(a b *args kw:c kw:d **kw)");
    ck_assert_str_eq(sx(f->returns), "str");
    const struct ast_node *b = f->args->posargs.v[1];
    ck_assert_str_eq(sx(b->annotation), "int");
    ck_assert_str_eq(sx(b->value), "1");
    ck_assert_ptr_null(f->args->posargs.v[0]->value);
    ck_assert_str_eq(sx(f->args->kwonlyargs.v[1]->value), "2");
    const struct ast_node *g = m->body.v[1];
    ck_assert_ptr_null(g->args->vararg);
    ck_assert_int_eq(g->args->kwonlyargs.n, 1);

    ck_assert_str_eq(expr("lambda: 0"), "(lambda () 0)");
    ck_assert_str_eq(expr("lambda x, y=1, *a, z, **k: x"), "(lambda (x y *a kw:z **k) x)");
    ck_assert_str_eq(expr("lambda x,: x"), "(lambda (x) x)");
    ck_assert_str_eq(expr("lambda *, a: a"), "(lambda ( kw:a) a)");
    ck_assert_str_eq(sx(expr_node("lambda x=1: x")->args->posargs.v[0]->value), "1");
}
END_TEST

START_TEST(test_classes)
{
    struct ast_node *m = parse("class C(B, D):\n    x = 1\n    def m(self): return 1\n"
                               "class E: pass\nclass F(): pass\n");
    ck_assert_str_eq(m->body.v[0]->name, "C");
    ck_assert_int_eq(m->body.v[0]->bases.n, 2);
    ck_assert_str_eq(stmt_kinds(&m->body.v[0]->body), "Assign FunctionDef");
    ck_assert_int_eq(m->body.v[1]->bases.n, 0);
    ck_assert_int_eq(m->body.v[2]->bases.n, 0);
}
END_TEST

START_TEST(test_imports)
{
    struct ast_node *m = parse("import a.b.c as d, e\nfrom ..m.n import (x as y, z,)\n"
                               "from . import x\nfrom m import *\nfrom ... import q\n");
    const struct ast_node *imp = m->body.v[0];
    ck_assert_str_eq(imp->names.v[0]->name, "a.b.c");
    ck_assert_str_eq(imp->names.v[0]->asname, "d");
    ck_assert_str_eq(imp->names.v[1]->name, "e");
    ck_assert_ptr_null(imp->names.v[1]->asname);
    const struct ast_node *from = m->body.v[1];
    ck_assert_str_eq(from->name, "m.n");
    ck_assert_int_eq(from->level, 2);
    ck_assert_int_eq(from->names.n, 2);
    ck_assert_str_eq(from->names.v[0]->asname, "y");
    ck_assert_ptr_null(m->body.v[2]->name);
    ck_assert_int_eq(m->body.v[2]->level, 1);
    ck_assert_str_eq(m->body.v[3]->names.v[0]->name, "*");
    ck_assert_int_eq(m->body.v[4]->level, 3);
    /* names are interned */
    ck_assert_ptr_eq(imp->names.v[1]->name, sp_intern("e"));
}
END_TEST

START_TEST(test_control_flow)
{
    struct ast_node *m = parse("if a:\n    x\nelif b:\n    y\nelif c:\n    z\nelse:\n    w\n"
                               "for k, v in d.items():\n    pass\nelse:\n    pass\n"
                               "try:\n    pass\nexcept:\n    pass\nexcept E:\n    pass\n"
                               "except (A, B) as e:\n    pass\nelse:\n    pass\n"
                               "with open(p) as f, g() as (h, i):\n    pass\n");
    const struct ast_node *i = m->body.v[0];
    ck_assert_int_eq(i->orelse.n, 1);
    const struct ast_node *elif1 = i->orelse.v[0];
    ck_assert_int_eq(elif1->kind, AST_IF);
    ck_assert_int_eq(elif1->pos.line, 3);
    const struct ast_node *elif2 = elif1->orelse.v[0];
    ck_assert_str_eq(sx(elif2->test), "c");
    ck_assert_str_eq(stmt_kinds(&elif2->orelse), "Expr");
    const struct ast_node *loop = m->body.v[1];
    ck_assert_str_eq(sx(loop->target), "(tuple k v)");
    ck_assert_int_eq(loop->orelse.n, 1);
    const struct ast_node *t = m->body.v[2];
    ck_assert_int_eq(t->handlers.n, 3);
    ck_assert_ptr_null(t->handlers.v[0]->type);
    ck_assert_str_eq(sx(t->handlers.v[2]->type), "(tuple A B)");
    ck_assert_str_eq(t->handlers.v[2]->asname, "e");
    ck_assert_int_eq(t->orelse.n, 1);
    ck_assert_int_eq(t->finalbody.n, 0);
    const struct ast_node *w = m->body.v[3];
    ck_assert_int_eq(w->items.n, 2);
    ck_assert_str_eq(sx(w->items.v[0]->value), "(call open p)");
    ck_assert_str_eq(sx(w->items.v[1]->target), "(tuple h i)");
}
END_TEST

START_TEST(test_simple_statements)
{
    struct ast_node *m = parse("def f():\n    return\n    return a, b\n    return *a, b\n"
                               "    yield\n    x = yield a\n    yield from g()\n    y = (yield)\n"
                               "raise\nraise E\nraise E('x') from None\n"
                               "del a, b[0], c.d\ndel (a, b)\nassert x\nassert x, 'msg'\n"
                               "global a, b\n");
    const struct ast_list *body = &m->body.v[0]->body;
    ck_assert_ptr_null(body->v[0]->value);
    ck_assert_str_eq(sx(body->v[1]->value), "(tuple a b)");
    ck_assert_str_eq(sx(body->v[2]->value), "(tuple (* a) b)");
    ck_assert_str_eq(sx(body->v[3]->value), "(yield _)");
    ck_assert_str_eq(sx(body->v[4]->value), "(yield a)");
    ck_assert_str_eq(sx(body->v[5]->value), "(yield-from (call g))");
    ck_assert_str_eq(sx(body->v[6]->value), "(yield _)");
    ck_assert_ptr_null(m->body.v[1]->value);
    ck_assert_str_eq(sx(m->body.v[3]->cause), "None");
    ck_assert_int_eq(m->body.v[4]->targets.n, 3);
    ck_assert_int_eq(m->body.v[5]->targets.n, 1);
    ck_assert_ptr_null(m->body.v[6]->msg);
    ck_assert_str_eq(sx(m->body.v[7]->msg), "'msg'");
    ck_assert_int_eq(m->body.v[8]->names.n, 2);
    ck_assert_str_eq(m->body.v[8]->names.v[1]->name, "b");
}
END_TEST

/* ---- positions and the dump ---- */

START_TEST(test_positions)
{
    struct ast_node *m = parse("def fib(n):\n    if n < 2:\n        return n\n"
                               "x = (a + b) * c.d\ny, z = 1, 2\n");
    const struct ast_node *f = m->body.v[0];
    ck_assert_int_eq(f->pos.line, 1);
    ck_assert_int_eq(f->pos.col, 1);
    ck_assert_int_eq(f->args->pos.col, 8);
    ck_assert_int_eq(f->args->posargs.v[0]->pos.col, 9);
    const struct ast_node *i = f->body.v[0];
    ck_assert_int_eq(i->pos.line, 2);
    ck_assert_int_eq(i->pos.col, 5);
    ck_assert_int_eq(i->test->pos.col, 8);
    ck_assert_int_eq(i->test->comparators.v[0]->pos.col, 12);
    ck_assert_int_eq(i->body.v[0]->pos.line, 3);
    ck_assert_int_eq(i->body.v[0]->pos.col, 9);
    const struct ast_node *mul = m->body.v[1]->value;
    ck_assert_int_eq(mul->pos.col, 5);        /* at the ( as in CPython */
    ck_assert_int_eq(mul->left->pos.col, 6);  /* a + b */
    ck_assert_int_eq(mul->right->pos.col, 15); /* c.d starts at c */
    const struct ast_node *tup = m->body.v[2];
    ck_assert_int_eq(tup->targets.v[0]->pos.col, 1);
    ck_assert_int_eq(tup->value->pos.col, 8);
}
END_TEST

START_TEST(test_dump_format)
{
    ck_assert_str_eq(dump("def fib(n):\n    if n < 2:\n        return n\n"
                          "x = f'{n!r:>4}' + b'\\x00'\nfrom . import y as z\nd = {**e, 'k': -1.5e-7}\n"),
                     "Module @1:1\n"
                     "  body[0]: FunctionDef fib @1:1\n"
                     "    args: arguments @1:8\n"
                     "      posargs[0]: arg n @1:9\n"
                     "    body[0]: If @2:5\n"
                     "      test: Compare < @2:8\n"
                     "        left: Name n @2:8\n"
                     "        comparators[0]: Constant 2 @2:12\n"
                     "      body[0]: Return @3:9\n"
                     "        value: Name n @3:16\n"
                     "  body[1]: Assign @4:1\n"
                     "    targets[0]: Name x @4:1\n"
                     "    value: BinOp + @4:5\n"
                     "      left: JoinedStr @4:5\n"
                     "        values[0]: FormattedValue !r @4:7\n"
                     "          value: Name n @4:8\n"
                     "          spec: JoinedStr @4:12\n"
                     "            values[0]: Constant '>4' @4:12\n"
                     "      right: Constant b'\\x00' @4:19\n"
                     "  body[2]: ImportFrom level=1 @5:1\n"
                     "    names[0]: alias y as z @5:15\n"
                     "  body[3]: Assign @6:1\n"
                     "    targets[0]: Name d @6:1\n"
                     "    value: Dict @6:5\n"
                     "      keys[0]: <none>\n"
                     "      keys[1]: Constant 'k' @6:11\n"
                     "      values[0]: Name e @6:8\n"
                     "      values[1]: UnaryOp - @6:16\n"
                     "        value: Constant 1.5e-07 @6:17\n");
    ck_assert_str_eq(dump("x = [1.0, 0.1, 1e16, 1e15, 123.0, 1e-5, \"it's\", 'q\"', 2**70]\n"),
                     "Module @1:1\n"
                     "  body[0]: Assign @1:1\n"
                     "    targets[0]: Name x @1:1\n"
                     "    value: List @1:5\n"
                     "      elts[0]: Constant 1.0 @1:6\n"
                     "      elts[1]: Constant 0.1 @1:11\n"
                     "      elts[2]: Constant 1e+16 @1:16\n"
                     "      elts[3]: Constant 1000000000000000.0 @1:22\n"
                     "      elts[4]: Constant 123.0 @1:28\n"
                     "      elts[5]: Constant 1e-05 @1:35\n"
                     "      elts[6]: Constant \"it's\" @1:41\n"
                     "      elts[7]: Constant 'q\"' @1:49\n"
                     "      elts[8]: BinOp ** @1:55\n"
                     "        left: Constant 2 @1:55\n"
                     "        right: Constant 70 @1:58\n");
}
END_TEST

START_TEST(test_names)
{
    ck_assert_str_eq(ast_kind_name(AST_BINOP), "BinOp");
    ck_assert_str_eq(ast_kind_name(AST_GENEXP), "GeneratorExp");
    ck_assert_str_eq(ast_kind_name(AST_COMPREHENSION), "comprehension");
    ck_assert_str_eq(ast_op_spelling(AST_FLOORDIV), "//");
    ck_assert_str_eq(ast_op_spelling(AST_NOTIN), "not in");
    ck_assert_str_eq(ast_op_spelling(AST_ISNOT), "is not");
    ck_assert_str_eq(ast_op_spelling(AST_USUB), "-");
}
END_TEST

/* ---- errors ---- */

/* /work/shared/conformance/errors/compile/syntax_error.py */
static const char syntax_error_py[] =
    "# expect-error: 13: syntax\n"
    "# A missing colon after an if condition.\n"
    "# Everything else in this file is valid RPy.\n"
    "\n\n"
    "def absolute(x):\n"
    "    if x >= 0:\n"
    "        return x\n"
    "    return -x\n"
    "\n\n"
    "def sign(x):\n"
    "    if x < 0\n"
    "        return -1\n"
    "    if x == 0:\n"
    "        return 0\n"
    "    return 1\n";

START_TEST(test_missing_colon)
{
    const char *out = parse_stderr("dir/syntax_error.py", syntax_error_py, sizeof syntax_error_py - 1);
    ck_assert_str_eq(out, "dir/syntax_error.py:13:13: error: expected ':'\n"
                          "        if x < 0\n"
                          "                ^\n");
    ck_assert_str_eq(perr("class A\n    pass\n"), "1:8: error: expected ':'");
    ck_assert_str_eq(perr("for x in y\n    pass\n"), "1:11: error: expected ':'");
}
END_TEST

START_TEST(test_syntax_errors)
{
    ck_assert_str_eq(perr("x = 1 +\n"), "1:8: error: invalid syntax");
    ck_assert_str_eq(perr("x = (1,\ny = 2\n"), "1:5: error: '(' was never closed");
    ck_assert_str_eq(perr("  x = 1\n"), "1:3: error: unexpected indent");
    ck_assert_str_eq(perr("x = 1\n    y = 2\n"), "2:5: error: unexpected indent");
    ck_assert_str_eq(perr("if x:\npass\n"),
                     "2:1: error: expected an indented block after 'if' statement on line 1");
    ck_assert_str_eq(perr("def f():\n\n# c\nx\n"),
                     "4:1: error: expected an indented block after function definition on line 1");
    ck_assert_str_eq(perr("if a:\n        b\n    c\n"),
                     "3:5: error: unindent does not match any outer indentation level");
    ck_assert_str_eq(perr("x = 'abc\n"), "1:5: error: unterminated string literal (detected at line 1)");
    ck_assert_str_eq(perr("async def f(): pass\n"), "1:1: error: 'async' is not supported: RPy has no coroutines "
                                                    "(rpy.greenlet and rpy.tasklets give cooperative concurrency)");
    ck_assert_str_eq(perr("if (n := 1): pass\n"),
                     "1:7: error: assignment expressions (:=) are not supported");
    ck_assert_str_eq(perr("match x:\n    case 1: pass\n"), "1:7: error: invalid syntax");
    ck_assert_str_eq(perr("def f(a, /): pass\n"),
                     "1:10: error: positional-only parameters (/) are not supported");
    ck_assert_str_eq(perr("class A(metaclass=M): pass\n"),
                     "1:9: error: metaclasses are not supported: the compiler makes every class itself (remove metaclass=)");
    ck_assert_str_eq(perr("class A(B, x=1): pass\n"),
                     "1:12: error: keyword arguments in a class definition are not supported");
    ck_assert_str_eq(perr("x = 'a' b'b'\n"), "1:9: error: cannot mix bytes and nonbytes literals");
    ck_assert_str_eq(perr("print 'x'\n"), "1:7: error: invalid syntax");
    ck_assert_str_eq(perr("x = 1 if y\n"), "1:11: error: expected 'else' after 'if' expression");
    ck_assert_str_eq(perr("try:\n    pass\nx = 1\n"), "3:1: error: expected 'except' or 'finally' block");
}
END_TEST

START_TEST(test_target_errors)
{
    ck_assert_str_eq(perr("f() = 1\n"),
                     "1:1: error: cannot assign to function call here. Maybe you meant '==' instead of '='?");
    ck_assert_str_eq(perr("x = f() = 1\n"), "1:5: error: cannot assign to function call");
    ck_assert_str_eq(perr("True = 1\n"), "1:1: error: cannot assign to True");
    ck_assert_str_eq(perr("(a, 1) = x\n"), "1:5: error: cannot assign to literal");
    ck_assert_str_eq(perr("for f() in x: pass\n"), "1:5: error: cannot assign to function call");
    ck_assert_str_eq(perr("a, b += 1\n"), "1:1: error: 'tuple' is an illegal expression for augmented assignment");
    ck_assert_str_eq(perr("(a, b): int\n"), "1:1: error: only single target (not tuple) can be annotated");
    ck_assert_str_eq(perr("del f()\n"), "1:5: error: cannot delete function call");
    ck_assert_str_eq(perr("x = *a\n"), "1:5: error: can't use starred expression here");
    ck_assert_str_eq(perr("*a = b\n"), "1:1: error: starred assignment target must be in a list or tuple");
    ck_assert_str_eq(perr("*a, *b = c\n"), "1:5: error: multiple starred expressions in assignment");
    ck_assert_str_eq(perr("[*a for a in b]\n"), "1:2: error: iterable unpacking cannot be used in comprehension");
    ck_assert_str_eq(perr("with a as f(): pass\n"), "1:11: error: cannot assign to function call");
}
END_TEST

START_TEST(test_argument_errors)
{
    ck_assert_str_eq(perr("f(a=1, b)\n"), "1:8: error: positional argument follows keyword argument");
    ck_assert_str_eq(perr("f(**k, b)\n"),
                     "1:8: error: positional argument follows keyword argument unpacking");
    ck_assert_str_eq(perr("f(**k, *b)\n"),
                     "1:8: error: iterable argument unpacking follows keyword argument unpacking");
    ck_assert_str_eq(perr("f(x for x in y, 1)\n"), "1:3: error: Generator expression must be parenthesized");
    ck_assert_str_eq(perr("f(a.b=1)\n"),
                     "1:3: error: expression cannot contain assignment, perhaps you meant \"==\"?");
    ck_assert_str_eq(perr("f(a=1, a=2)\n"), "1:8: error: keyword argument repeated: a");
    ck_assert_str_eq(perr("def f(a=1, b): pass\n"), "1:12: error: non-default argument follows default argument");
    ck_assert_str_eq(perr("def f(*): pass\n"), "1:7: error: named arguments must follow bare *");
    ck_assert_str_eq(perr("def f(a, a): pass\n"), "1:10: error: duplicate argument 'a' in function definition");
    ck_assert_str_eq(perr("def f(**k, a): pass\n"), "1:12: error: arguments cannot follow var-keyword argument");
    ck_assert_str_eq(perr("def f(*a, *b): pass\n"), "1:11: error: * argument may appear only once");
    ck_assert_str_eq(perr("lambda a, a: 0\n"), "1:11: error: duplicate argument 'a' in function definition");
}
END_TEST

START_TEST(test_fstring_errors)
{
    ck_assert_str_eq(perr("x = f'{}'\n"), "1:7: error: f-string: empty expression not allowed");
    ck_assert_str_eq(perr("x = f'{x!z}'\n"),
                     "1:10: error: f-string: invalid conversion character: expected 's', 'r', or 'a'");
    ck_assert_str_eq(perr("x = f'a}'\n"), "1:8: error: f-string: single '}' is not allowed");
    ck_assert_str_eq(perr("x = f'{x'\n"), "1:7: error: f-string: expecting '}'");
    ck_assert_str_eq(perr("x = f'{a#}'\n"), "1:9: error: f-string expression part cannot include '#'");
    ck_assert_str_eq(perr("x = f'{a\\n}'\n"),
                     "1:9: error: f-string expression part cannot include a backslash");
    ck_assert_str_eq(perr("x = f'{x:{y:{z}}}'\n"), "1:13: error: f-string: expressions nested too deeply");
    /* errors inside the expression point into the file */
    ck_assert_str_eq(perr("x = 1\ny = f'''\n  {a +}'''\n"), "3:7: error: f-string: invalid syntax");
    ck_assert_str_eq(perr("x = f'{a b}'\n"), "1:10: error: f-string: invalid syntax");
    ck_assert_str_eq(perr("x = f'{a)}'\n"), "1:9: error: f-string: unmatched ')'");
}
END_TEST

START_TEST(test_nesting_limits)
{
    struct sp_buf ok = {0}, deep = {0}, chain = {0}, nots = {0};
    sp_buf_puts(&ok, "x = ");
    for (int i = 0; i < 150; i++)
        sp_buf_putc(&ok, '(');
    sp_buf_putc(&ok, '1');
    for (int i = 0; i < 150; i++)
        sp_buf_putc(&ok, ')');
    ck_assert_ptr_nonnull(ast_parse_string("ok.py", ok.s, ok.len));
    for (int i = 0; i < 201; i++)
        sp_buf_putc(&deep, '[');
    ck_assert_str_eq(perr_n(deep.s, deep.len), "1:201: error: too many nested parentheses");
    sp_buf_puts(&chain, "x = 1");
    for (int i = 0; i < 3000; i++)
        sp_buf_puts(&chain, " + 1");
    ck_assert_str_eq(perr_n(chain.s, chain.len), "1:5: error: too deeply nested (more than 1000 levels)");
    sp_buf_puts(&nots, "x = ");
    for (int i = 0; i < 20000; i++)
        sp_buf_puts(&nots, "not ");
    sp_buf_puts(&nots, "y\n");
    const char *e = perr_n(nots.s, nots.len);
    ck_assert_msg(strstr(e, "error: too deeply nested: the parser ran out of stack"), "%s", e);
}
END_TEST

/* ---- files and robustness ---- */

START_TEST(test_parse_file)
{
    char path[] = "/tmp/rpy_test_parser_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "x = 1\r\nprint(x)", 15), 15);
    close(fd);
    struct ast_node *m = ast_parse_file(path);
    unlink(path);
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(m->body.n, 2);
    ck_assert_str_eq(m->body.v[1]->pos.file, path);

    fflush(stderr);
    int saved = dup(2);
    FILE *tmp = tmpfile();
    dup2(fileno(tmp), 2);
    ck_assert_ptr_null(ast_parse_file("/nonexistent/dir/prog.py"));
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char line[256] = "";
    rewind(tmp);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, tmp));
    fclose(tmp);
    ck_assert_str_eq(line, "rpy: error: cannot open /nonexistent/dir/prog.py: No such file or directory\n");
}
END_TEST

START_TEST(test_same_result_every_time)
{
    const char *first = dump(every_statement);
    for (int i = 0; i < 50; i++)
        ck_assert_str_eq(dump(every_statement), first);
}
END_TEST

/* Random inputs from a Python-flavoured alphabet: a tree or an error, and
 * an error is counted. (Heavier fuzzing runs on the sanitizer build.) */
START_TEST(test_random_inputs)
{
    static const char *const pieces[] = {
        "x", "1", " ", "\n", "    ", "\t", "(", ")", "[", "]", "{", "}", ":", ",", "=", "+",
        "*", "**", "if ", "else", "def f", "class C", "lambda", "for ", " in ", "'a", "'", "\"\"\"",
        "f'{", "}", "\\", "#", "\r\n", "yield", "not ", ".", "@", "return", "\xc3\xa9", "\xff", "0x",
        "1e", "9999999999999999999999", "!r", "async", ":="};
    unsigned seed = 12345;
    int before = sp_error_count();
    int rejected = 0;
    fflush(stderr);
    int saved = dup(2);
    FILE *null = fopen("/dev/null", "w");
    dup2(fileno(null), 2);
    for (int round = 0; round < 3000; round++) {
        struct sp_buf src = {0};
        int n = 1 + (int)(rand_r(&seed) % 40);
        for (int i = 0; i < n; i++)
            sp_buf_puts(&src, pieces[rand_r(&seed) % (sizeof pieces / sizeof pieces[0])]);
        if (!ast_parse_string("r.py", src.s, src.len))
            rejected++;
    }
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    fclose(null);
    ck_assert_int_eq(sp_error_count() - before, rejected);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("parser");
    TCase *ex = tcase_create("expressions");
    tcase_add_test(ex, test_precedence);
    tcase_add_test(ex, test_boolean_and_conditional);
    tcase_add_test(ex, test_comparisons);
    tcase_add_test(ex, test_atoms_and_literals);
    tcase_add_test(ex, test_calls);
    tcase_add_test(ex, test_subscripts_and_slices);
    tcase_add_test(ex, test_displays_and_comprehensions);
    tcase_add_test(ex, test_fstrings);
    tcase_add_test(ex, test_fstring_positions);
    suite_add_tcase(s, ex);
    TCase *st = tcase_create("statements");
    tcase_add_test(st, test_every_statement_kind);
    tcase_add_test(st, test_assignments);
    tcase_add_test(st, test_def_and_lambda);
    tcase_add_test(st, test_classes);
    tcase_add_test(st, test_imports);
    tcase_add_test(st, test_control_flow);
    tcase_add_test(st, test_simple_statements);
    tcase_add_test(st, test_positions);
    tcase_add_test(st, test_dump_format);
    tcase_add_test(st, test_names);
    suite_add_tcase(s, st);
    TCase *err = tcase_create("errors");
    tcase_add_test(err, test_missing_colon);
    tcase_add_test(err, test_syntax_errors);
    tcase_add_test(err, test_target_errors);
    tcase_add_test(err, test_argument_errors);
    tcase_add_test(err, test_fstring_errors);
    tcase_add_test(err, test_nesting_limits);
    suite_add_tcase(s, err);
    TCase *rob = tcase_create("robustness");
    tcase_set_timeout(rob, 60);
    tcase_add_test(rob, test_parse_file);
    tcase_add_test(rob, test_same_result_every_time);
    tcase_add_test(rob, test_random_inputs);
    suite_add_tcase(s, rob);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
