/* test_graph.c - the flow-graph model: constructors, the opcode tables,
 * how values print, the stable block order, the text and dot dumps,
 * checkgraph (every violation it must catch aborts: SIGABRT), and the
 * simplification pass on hand-made graphs. */
#include <check.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "flowgraph/internal.h"

static struct srcpos P = {"dir/t.py", 3, 1, NULL};

static struct fg_value *op(struct fg_block *b, enum fg_opcode opc, int nargs, struct fg_value *a0,
                           struct fg_value *a1)
{
    struct fg_value *args[2] = {a0, a1};
    struct fg_value *r = fg_newvar("v");
    fg_block_addop(b, fg_newop(opc, args, nargs, r, P));
    return r;
}

static struct fg_link *mklink(struct fg_block *from, struct fg_block *to, struct fg_value *exitcase, int nargs, ...)
{
    struct fg_link *l = fg_link_to(from, to, exitcase);
    va_list ap;
    va_start(ap, nargs);
    for (int i = 0; i < nargs; i++)
        sp_vec_push(&l->args, va_arg(ap, struct fg_value *));
    va_end(ap);
    return l;
}

static struct fg_value *input(struct fg_block *b, const char *name)
{
    struct fg_value *v = fg_newvar(sp_intern(name));
    sp_vec_push(&b->inputargs, v);
    return v;
}

static char *text(struct fg_graph *g)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fg_dump_text(f, g);
    fclose(f);
    char *copy = sp_strdup(buf);
    free(buf);
    return copy;
}

/* graph f(n): if n < 2: return n   else: return n + 1 */
static struct fg_graph *small_graph(void)
{
    struct fg_graph *g = fg_newgraph("f", NULL, P);
    struct fg_value *n = input(g->startblock, "n");
    struct fg_value *t = op(g->startblock, OP_LT, 2, n, fg_const_int(2));
    struct fg_block *b1 = fg_newblock(g);
    struct fg_value *n1 = input(b1, "n");
    g->startblock->exitswitch = t;
    mklink(g->startblock, b1, fg_const_bool(false), 1, n);
    mklink(g->startblock, g->returnblock, fg_const_bool(true), 1, n);
    struct fg_value *s = op(b1, OP_ADD, 2, n1, fg_const_int(1));
    mklink(b1, g->returnblock, NULL, 1, s);
    return g;
}

/* ---- tables and values ---- */

START_TEST(test_opcode_tables)
{
    ck_assert_str_eq(fg_opname(OP_ADD), "add");
    ck_assert_int_eq(fg_op_arity(OP_ADD), 2);
    ck_assert(fg_op_flags(OP_ADD) & OPF_RAISE);
    ck_assert_str_eq(fg_opname(OP_NOT), "not_");
    ck_assert_int_eq(fg_op_arity(OP_NEWLIST), -1);
    ck_assert(fg_op_flags(OP_IS) & OPF_PURE);
    ck_assert_str_eq(fg_opname(OP_LL_INT_ADD_OVF), "int_add_ovf");
    ck_assert(FG_IS_LLOP(OP_LL_DIRECT_CALL));
    ck_assert(!FG_IS_LLOP(OP_YIELD));
}
END_TEST

START_TEST(test_vars_are_unique)
{
    struct fg_value *a = fg_newvar("n"), *b = fg_newvar("n"), *t = fg_newvar(NULL);
    ck_assert_int_ne(a->id, b->id);
    ck_assert_str_eq(fg_value_str(a), sp_fmt("n_%d", a->id));
    ck_assert_str_eq(fg_value_str(t), sp_fmt("v%d", t->id));
    /* a Python variable called v is not a temporary */
    struct fg_value *pv = fg_newvar(sp_intern("v"));
    ck_assert_str_eq(fg_value_str(pv), sp_fmt("v_%d", pv->id));
}
END_TEST

START_TEST(test_const_repr)
{
    ck_assert_str_eq(fg_value_str(fg_const_int(-42)), "-42");
    ck_assert_str_eq(fg_value_str(fg_const_bool(true)), "True");
    ck_assert_str_eq(fg_value_str(fg_const_none()), "None");
    ck_assert_str_eq(fg_value_str(fg_const_undefined()), "<undefined>");
    ck_assert_str_eq(fg_value_str(fg_const_builtin("len")), "len");
    ck_assert_str_eq(fg_value_str(fg_const_str("abc", 3)), "'abc'");
    ck_assert_str_eq(fg_value_str(fg_const_str("it's", 4)), "\"it's\"");
    ck_assert_str_eq(fg_value_str(fg_const_str("a'\"\n\\\x01", 6)), "'a\\'\"\\n\\\\\\x01'");
    ck_assert_str_eq(fg_value_str(fg_const_str("h\xc3\xa9", 3)), "'h\xc3\xa9'");
    struct fg_module m = {.name = "__main__"};
    ck_assert_str_eq(fg_value_str(fg_const_obj(FG_C_MODULE, &m)), "<module __main__>");
    struct fg_func f = {.name = "add", .qualname = "Node.add"};
    ck_assert_str_eq(fg_value_str(fg_const_obj(FG_C_FUNC, &f)), "Node.add");
    struct fg_class c = {.name = "Node"};
    ck_assert_str_eq(fg_value_str(fg_const_obj(FG_C_CLASS, &c)), "Node");
    struct fg_extfunc ef = {.cname = "rpy_list_append"};
    ck_assert_str_eq(fg_value_str(fg_const_obj(FG_C_EXTFUNC, &ef)), "rpy_list_append");
}
END_TEST

START_TEST(test_float_repr)
{
    const struct { double v; const char *s; } cases[] = {
        {1.5, "1.5"}, {2.0, "2.0"}, {0.1, "0.1"}, {-0.0, "-0.0"}, {1e16, "1e+16"},
        {1.5e-7, "1.5e-07"}, {123.456, "123.456"}, {1e-5, "1e-05"}, {0.0001, "0.0001"},
        {1e15, "1000000000000000.0"}, {1.0 / 3, "0.3333333333333333"}, {5e-324, "5e-324"},
        {1.7976931348623157e308, "1.7976931348623157e+308"}, {HUGE_VAL, "inf"}, {-HUGE_VAL, "-inf"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ck_assert_str_eq(fg_value_str(fg_const_float(cases[i].v)), cases[i].s);
    ck_assert_str_eq(fg_value_str(fg_const_float(NAN)), "nan");
}
END_TEST

START_TEST(test_tuple_and_shape_repr)
{
    struct sp_vec items = {0};
    sp_vec_push(&items, fg_const_int(1));
    sp_vec_push(&items, fg_const_str("a", 1));
    ck_assert_str_eq(fg_value_str(fg_const_obj(FG_C_TUPLE, &items)), "(1, 'a')");
    struct sp_vec one = {0};
    sp_vec_push(&one, fg_const_none());
    ck_assert_str_eq(fg_value_str(fg_const_obj(FG_C_TUPLE, &one)), "(None,)");
    const char *kw[] = {"end", "sep"};
    struct fg_callshape s = {.npos = 1, .nkw = 2, .kwnames = kw, .star = false};
    ck_assert_str_eq(fg_value_str(fg_const_obj(FG_C_SHAPE, &s)), "shape(npos=1, kw=[end, sep], star=False)");
}
END_TEST

/* ---- block order and dumps ---- */

START_TEST(test_blocks_dfs_order)
{
    /* start -> (b1, b2); b1 -> b3; b2 -> b3; b3 -> return */
    struct fg_graph *g = fg_newgraph("g", NULL, P);
    struct fg_value *x = input(g->startblock, "x");
    struct fg_block *b1 = fg_newblock(g), *b2 = fg_newblock(g), *b3 = fg_newblock(g);
    struct fg_block *dead = fg_newblock(g);
    mklink(dead, b3, NULL, 0);
    struct fg_value *t = op(g->startblock, OP_BOOL, 1, x, NULL);
    g->startblock->exitswitch = t;
    mklink(g->startblock, b1, fg_const_bool(false), 0);
    mklink(g->startblock, b2, fg_const_bool(true), 0);
    mklink(b1, b3, NULL, 0);
    mklink(b2, b3, NULL, 0);
    mklink(b3, g->returnblock, NULL, 1, fg_const_none());
    struct sp_vec blocks = {0};
    fg_graph_blocks(g, &blocks);
    ck_assert_int_eq(blocks.n, 5);
    ck_assert_ptr_eq(blocks.v[0], g->startblock);
    ck_assert_ptr_eq(blocks.v[1], b1);
    ck_assert_ptr_eq(blocks.v[2], b3);
    ck_assert_ptr_eq(blocks.v[3], g->returnblock);
    ck_assert_ptr_eq(blocks.v[4], b2);
    fg_checkgraph(g, "test");
}
END_TEST

START_TEST(test_dump_text)
{
    struct fg_graph *g = small_graph();
    fg_checkgraph(g, "test");
    ck_assert_str_eq(text(g), "graph f(n_0)\n"
                              "block0(n_0):\n"
                              "    v0 = lt(n_0, 2)                     # t.py:3\n"
                              "    switch v0: False -> block1(n_0), True -> return(n_0)\n"
                              "block1(n_1):\n"
                              "    v1 = add(n_1, 1)                    # t.py:3\n"
                              "    goto return(v1)\n");
}
END_TEST

static const char *fake_ann(struct ann_value *a) { return (const char *)a; }

START_TEST(test_dump_describes_types)
{
    struct fg_graph *g = small_graph();
    ((struct fg_value *)g->startblock->inputargs.v[0])->ann = (struct ann_value *)"int";
    ((struct fg_value *)g->returnblock->inputargs.v[0])->ann = (struct ann_value *)"int";
    fg_describe_ann = fake_ann;
    char *s = text(g);
    fg_describe_ann = NULL;
    ck_assert(strncmp(s, "graph f(n_0: int) -> int\nblock0(n_0):\n", 38) == 0);
}
END_TEST

START_TEST(test_dump_exception_exits)
{
    struct fg_graph *g = fg_newgraph("loop", NULL, P);
    struct fg_value *it = input(g->startblock, "it");
    struct fg_value *x = op(g->startblock, OP_NEXT, 1, it, NULL);
    g->startblock->exitswitch = fg_last_exception;
    mklink(g->startblock, g->returnblock, NULL, 1, x);
    struct fg_link *l = fg_link_to(g->startblock, g->exceptblock, fg_const_builtin("StopIteration"));
    l->last_exception = fg_newvar("etype");
    l->last_exc_value = fg_newvar("evalue");
    sp_vec_push(&l->args, l->last_exception);
    sp_vec_push(&l->args, l->last_exc_value);
    fg_checkgraph(g, "test");
    ck_assert_str_eq(text(g), "graph loop(it_0)\n"
                              "block0(it_0):\n"
                              "    v0 = next(it_0)                     # t.py:3\n"
                              "    exits: normal -> return(v0), StopIteration -> except(etype_0, evalue_0)"
                              " [last_exception etype_0, last_exc_value evalue_0]\n");
}
END_TEST

START_TEST(test_dump_dot)
{
    struct fg_graph *g = small_graph();
    g->name = "f\"<x>";
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fg_dump_dot(f, &g, 1);
    fclose(f);
    ck_assert(strstr(buf, "digraph") == buf);
    ck_assert_ptr_nonnull(strstr(buf, "subgraph cluster_0"));
    ck_assert_ptr_nonnull(strstr(buf, "label=\"f\\\"\\<x\\>\""));
    ck_assert_ptr_nonnull(strstr(buf, "label=\"True: (n_0)\""));
    ck_assert_ptr_nonnull(strstr(buf, "v0 = lt(n_0, 2)"));
    free(buf);
}
END_TEST

/* ---- checkgraph ---- */

START_TEST(test_check_ok)
{
    fg_checkgraph(small_graph(), "test");
}
END_TEST

START_TEST(test_check_var_from_other_block)
{
    struct fg_graph *g = small_graph();
    struct fg_block *b1 = ((struct fg_link *)g->startblock->exits.v[0])->target;
    struct fg_op *add = b1->ops.v[0];
    add->args[0] = g->startblock->inputargs.v[0]; /* n of block0 used in block1 */
    fg_checkgraph(g, "test");
}
END_TEST

START_TEST(test_check_link_arity)
{
    struct fg_graph *g = small_graph();
    struct fg_link *l = g->startblock->exits.v[0];
    sp_vec_push(&l->args, fg_const_int(0));
    fg_checkgraph(g, "test");
}
END_TEST

START_TEST(test_check_defined_twice)
{
    struct fg_graph *g = small_graph();
    struct fg_op *lt = g->startblock->ops.v[0];
    lt->result = g->startblock->inputargs.v[0];
    fg_checkgraph(g, "test");
}
END_TEST

START_TEST(test_check_switch_needs_two_exits)
{
    struct fg_graph *g = small_graph();
    g->startblock->exits.n = 1;
    fg_checkgraph(g, "test");
}
END_TEST

START_TEST(test_check_duplicate_cases)
{
    struct fg_graph *g = small_graph();
    ((struct fg_link *)g->startblock->exits.v[1])->exitcase = fg_const_bool(false);
    fg_checkgraph(g, "test");
}
END_TEST

START_TEST(test_check_op_arity)
{
    struct fg_graph *g = small_graph();
    ((struct fg_op *)g->startblock->ops.v[0])->nargs = 1;
    fg_checkgraph(g, "test");
}
END_TEST

START_TEST(test_check_mixed_levels)
{
    struct fg_graph *g = small_graph();
    struct fg_block *b1 = ((struct fg_link *)g->startblock->exits.v[0])->target;
    ((struct fg_op *)b1->ops.v[0])->opcode = OP_LL_INT_ADD;
    fg_checkgraph(g, "test");
}
END_TEST

START_TEST(test_check_return_block_shape)
{
    struct fg_graph *g = small_graph();
    fg_block_addop(g->returnblock, fg_newop(OP_SAME_AS, (struct fg_value *[]){fg_const_int(1)}, 1, NULL, P));
    fg_checkgraph(g, "test");
}
END_TEST

START_TEST(test_check_use_before_def)
{
    struct fg_graph *g = small_graph();
    struct fg_block *b = g->startblock;
    struct fg_value *t = ((struct fg_op *)b->ops.v[0])->result;
    struct fg_value *args[1] = {t};
    sp_vec_insert(&b->ops, 0, fg_newop(OP_BOOL, args, 1, NULL, P));
    fg_checkgraph(g, "test");
}
END_TEST

START_TEST(test_check_raising_block_shape)
{
    struct fg_graph *g = small_graph();
    struct fg_block *b1 = ((struct fg_link *)g->startblock->exits.v[0])->target;
    b1->exitswitch = fg_last_exception;
    mklink(b1, g->exceptblock, NULL, 2, fg_const_none(), fg_const_none()); /* no exitcase */
    fg_checkgraph(g, "test");
}
END_TEST

START_TEST(test_check_exception_var_elsewhere)
{
    struct fg_graph *g = fg_newgraph("g", NULL, P);
    struct fg_value *it = input(g->startblock, "it");
    struct fg_value *x = op(g->startblock, OP_NEXT, 1, it, NULL);
    g->startblock->exitswitch = fg_last_exception;
    struct fg_link *normal = mklink(g->startblock, g->returnblock, NULL, 1, x);
    struct fg_link *l = fg_link_to(g->startblock, g->exceptblock, fg_const_builtin("StopIteration"));
    l->last_exception = fg_newvar("etype");
    l->last_exc_value = fg_newvar("evalue");
    sp_vec_push(&l->args, l->last_exception);
    sp_vec_push(&l->args, l->last_exc_value);
    normal->args.v[0] = l->last_exc_value; /* used on the normal link */
    fg_checkgraph(g, "test");
}
END_TEST

/* ---- simplify ---- */

START_TEST(test_simplify_chain_forward_dead)
{
    /* start(a, b) -> b1(a, b, 0) -> b2(a, b, c) [empty] -> b3(a, b, c):
     *   r = add(a, c); return r   (b is dead everywhere) */
    struct fg_graph *g = fg_newgraph("s", NULL, P);
    struct fg_value *a = input(g->startblock, "a"), *b = input(g->startblock, "b");
    struct fg_block *b1 = fg_newblock(g), *b2 = fg_newblock(g), *b3 = fg_newblock(g);
    struct fg_value *a1 = input(b1, "a"), *bb1 = input(b1, "b"), *c1 = input(b1, "c");
    struct fg_value *a2 = input(b2, "a"), *bb2 = input(b2, "b"), *c2 = input(b2, "c");
    struct fg_value *a3 = input(b3, "a"), *bb3 = input(b3, "b"), *c3 = input(b3, "c");
    struct fg_value *t = op(g->startblock, OP_BOOL, 1, a, NULL);
    g->startblock->exitswitch = t;
    mklink(g->startblock, b1, fg_const_bool(false), 3, a, b, fg_const_int(0));
    mklink(g->startblock, b3, fg_const_bool(true), 3, a, b, fg_const_int(1));
    struct fg_value *n = op(b1, OP_NEG, 1, c1, NULL);
    mklink(b1, b2, NULL, 3, a1, bb1, n);
    mklink(b2, b3, NULL, 3, a2, bb2, c2);
    struct fg_value *r = op(b3, OP_ADD, 2, a3, c3);
    mklink(b3, g->returnblock, NULL, 1, r);
    (void)bb3;
    fg_checkgraph(g, "before");
    fg_simplify(g);
    fg_checkgraph(g, "simplify");
    ck_assert_str_eq(text(g), "graph s(a_0, b_0)\n"
                              "block0(a_0, b_0):\n"
                              "    v0 = bool(a_0)                      # t.py:3\n"
                              "    switch v0: False -> block1(a_0), True -> block2(a_0, 1)\n"
                              "block1(a_1):\n"
                              "    v1 = neg(0)                         # t.py:3\n"
                              "    goto block2(a_1, v1)\n"
                              "block2(a_2, c_0):\n"
                              "    v2 = add(a_2, c_0)                  # t.py:3\n"
                              "    goto return(v2)\n");
}
END_TEST

START_TEST(test_simplify_loop_keeps_live_inputs)
{
    /* start(n) -> h(n, i=0); h: t = lt(i, n); switch: F -> return(i), T -> body(n, i)
     * body: j = add(i, 1); goto h(n, j). Nothing to remove: n and i are live. */
    struct fg_graph *g = fg_newgraph("l", NULL, P);
    struct fg_value *n = input(g->startblock, "n");
    struct fg_block *h = fg_newblock(g), *body = fg_newblock(g);
    struct fg_value *hn = input(h, "n"), *hi = input(h, "i"), *unused = input(h, "u");
    struct fg_value *bn = input(body, "n"), *bi = input(body, "i"), *bu = input(body, "u");
    mklink(g->startblock, h, NULL, 3, n, fg_const_int(0), fg_const_undefined());
    struct fg_value *t = op(h, OP_LT, 2, hi, hn);
    h->exitswitch = t;
    mklink(h, g->returnblock, fg_const_bool(false), 1, hi);
    mklink(h, body, fg_const_bool(true), 3, hn, hi, unused);
    struct fg_value *j = op(body, OP_ADD, 2, bi, fg_const_int(1));
    mklink(body, h, NULL, 3, bn, j, bu);
    fg_simplify(g);
    fg_checkgraph(g, "simplify");
    ck_assert_str_eq(text(g), "graph l(n_0)\n"
                              "block0(n_0):\n"
                              "    goto block1(n_0, 0)\n"
                              "block1(n_1, i_0):\n"
                              "    v0 = lt(i_0, n_1)                   # t.py:3\n"
                              "    switch v0: False -> return(i_0), True -> block2(n_1, i_0)\n"
                              "block2(n_2, i_1):\n"
                              "    v1 = add(i_1, 1)                    # t.py:3\n"
                              "    goto block1(n_2, v1)\n");
}
END_TEST

START_TEST(test_simplify_constant_inputs)
{
    /* A loop-carried input that only ever receives 7 (directly or from
     * itself) becomes the constant. */
    struct fg_graph *g = fg_newgraph("c", NULL, P);
    struct fg_value *n = input(g->startblock, "n");
    struct fg_block *h = fg_newblock(g);
    struct fg_value *hn = input(h, "n"), *hk = input(h, "k");
    mklink(g->startblock, h, NULL, 2, n, fg_const_int(7));
    struct fg_value *m = op(h, OP_SUB, 2, hn, hk);
    struct fg_value *t = op(h, OP_BOOL, 1, m, NULL);
    h->exitswitch = t;
    mklink(h, g->returnblock, fg_const_bool(false), 1, hk);
    mklink(h, h, fg_const_bool(true), 2, m, hk);
    fg_simplify(g);
    fg_checkgraph(g, "simplify");
    ck_assert_str_eq(text(g), "graph c(n_0)\n"
                              "block0(n_0):\n"
                              "    goto block1(n_0)\n"
                              "block1(n_1):\n"
                              "    v0 = sub(n_1, 7)                    # t.py:3\n"
                              "    v1 = bool(v0)                       # t.py:3\n"
                              "    switch v1: False -> return(7), True -> block1(v0)\n");
}
END_TEST

static Suite *graph_suite(void)
{
    Suite *s = suite_create("graph");
    TCase *tc = tcase_create("model");
    tcase_add_test(tc, test_opcode_tables);
    tcase_add_test(tc, test_vars_are_unique);
    tcase_add_test(tc, test_const_repr);
    tcase_add_test(tc, test_float_repr);
    tcase_add_test(tc, test_tuple_and_shape_repr);
    tcase_add_test(tc, test_blocks_dfs_order);
    tcase_add_test(tc, test_dump_text);
    tcase_add_test(tc, test_dump_describes_types);
    tcase_add_test(tc, test_dump_exception_exits);
    tcase_add_test(tc, test_dump_dot);
    suite_add_tcase(s, tc);

    TCase *ck = tcase_create("checkgraph");
    tcase_add_test(ck, test_check_ok);
    tcase_add_test_raise_signal(ck, test_check_var_from_other_block, SIGABRT);
    tcase_add_test_raise_signal(ck, test_check_link_arity, SIGABRT);
    tcase_add_test_raise_signal(ck, test_check_defined_twice, SIGABRT);
    tcase_add_test_raise_signal(ck, test_check_switch_needs_two_exits, SIGABRT);
    tcase_add_test_raise_signal(ck, test_check_duplicate_cases, SIGABRT);
    tcase_add_test_raise_signal(ck, test_check_op_arity, SIGABRT);
    tcase_add_test_raise_signal(ck, test_check_mixed_levels, SIGABRT);
    tcase_add_test_raise_signal(ck, test_check_return_block_shape, SIGABRT);
    tcase_add_test_raise_signal(ck, test_check_use_before_def, SIGABRT);
    tcase_add_test_raise_signal(ck, test_check_raising_block_shape, SIGABRT);
    tcase_add_test_raise_signal(ck, test_check_exception_var_elsewhere, SIGABRT);
    suite_add_tcase(s, ck);

    TCase *si = tcase_create("simplify");
    tcase_add_test(si, test_simplify_chain_forward_dead);
    tcase_add_test(si, test_simplify_loop_keeps_live_inputs);
    tcase_add_test(si, test_simplify_constant_inputs);
    suite_add_tcase(s, si);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(graph_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
