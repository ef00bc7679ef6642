/* checkgraph.c - the verifier of the graph model, run after every stage.
 *
 * Requires nothing but a graph; provides fg_checkgraph, which checks every
 * rule graph.h states and calls sp_die on the first violation (a broken
 * graph is a compiler bug, never a user error). The rules:
 *  - the return block has one input, the except block two; neither has
 *    operations or exits; the start block takes one input per parameter;
 *  - a variable is defined once in the graph (block input, op result, or
 *    the last_exception / last_exc_value of one exception link), and used
 *    only in the block that defines it, after its definition; an exception
 *    link's own variables are used only in that link's arguments;
 *  - a link starts at its block and passes one value per target input;
 *  - the exits match the exitswitch: none (one exit, no exitcase), a
 *    variable (two or more exits with distinct bool/int constants, the
 *    last may be the default), or fg_last_exception (the block has ops,
 *    exits[0] is the normal exit, the others carry constant exitcases);
 *  - ops have the arity of their opcode's table entry, and all ops of the
 *    graph belong to one level (high or low).
 * Blocks are named by their position in fg_graph_blocks, as in the dumps.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct checker {
    const char *stage;
    struct fg_graph *g;
    int blockno;              /* dump number of the block being checked */
    struct fg_ptrmap defblock; /* var -> the block (or link) defining it */
    struct fg_ptrmap seen;     /* vars defined so far in the current block */
    int level;                 /* -1 unknown, 0 high, 1 low */
};

#define FAIL(ck, ...) fail(ck, sp_fmt(__VA_ARGS__))

static _Noreturn void fail(struct checker *ck, const char *msg)
{
    sp_die("checkgraph after %s: graph %s block%d: %s", ck->stage, ck->g->name, ck->blockno, msg);
}

/* What a checked value is, formatted only when the check fails (the
 * checks run after every stage on every graph: formatting each time was
 * half of their cost). */
enum what_kind { W_TEXT, W_RESULT, W_ARG, W_EXIT_ARG };
struct what {
    enum what_kind kind;
    int a, b;
    const char *s;
};

static const char *what_str(struct what w)
{
    switch (w.kind) {
    case W_RESULT: return sp_fmt("result of %s", w.s);
    case W_ARG: return sp_fmt("argument %d of %s", w.a, w.s);
    case W_EXIT_ARG: return sp_fmt("argument %d of exit %d", w.a, w.b);
    default: return w.s;
    }
}

static struct what text(const char *s) { return (struct what){W_TEXT, 0, 0, s}; }

static void define(struct checker *ck, struct fg_value *v, void *where, struct what w)
{
    if (!v)
        FAIL(ck, "%s is NULL", what_str(w));
    if (v->kind != FG_VAR || v == fg_last_exception)
        FAIL(ck, "%s %s is not a variable", what_str(w), fg_value_str(v));
    if (fg_ptrmap_has(&ck->defblock, v))
        FAIL(ck, "variable %s defined twice (again as %s)", fg_value_str(v), what_str(w));
    fg_ptrmap_put(&ck->defblock, v, where);
}

/* Pass 1: every definition of the graph, so that uses can name the block. */
static void collect_defs(struct checker *ck, struct sp_vec *blocks)
{
    size_t n = 0;
    for (int i = 0; i < blocks->n; i++) {
        struct fg_block *b = blocks->v[i];
        n += (size_t)(b->inputargs.n + b->ops.n + 2 * b->exits.n);
    }
    fg_ptrmap_reserve(&ck->defblock, n);
    for (int i = 0; i < blocks->n; i++) {
        struct fg_block *b = blocks->v[i];
        ck->blockno = i;
        for (int k = 0; k < b->inputargs.n; k++)
            define(ck, b->inputargs.v[k], b, text("block input"));
        for (int k = 0; k < b->ops.n; k++) {
            struct fg_op *op = b->ops.v[k];
            if (!op)
                FAIL(ck, "op %d is NULL", k);
            define(ck, op->result, b, (struct what){W_RESULT, 0, 0, fg_opname(op->opcode)});
        }
        for (int k = 0; k < b->exits.n; k++) {
            struct fg_link *l = b->exits.v[k];
            if (!l)
                FAIL(ck, "exit %d is NULL", k);
            if (l->last_exception)
                define(ck, l->last_exception, l, text("last_exception"));
            if (l->last_exc_value)
                define(ck, l->last_exc_value, l, text("last_exc_value"));
        }
    }
}

static void check_use(struct checker *ck, struct fg_value *v, struct fg_block *b, struct what w)
{
    if (!v)
        FAIL(ck, "%s is NULL", what_str(w));
    if (v->kind == FG_CONST)
        return;
    if (v == fg_last_exception)
        FAIL(ck, "%s is last_exception", what_str(w));
    void *def = fg_ptrmap_get(&ck->defblock, v);
    if (!def)
        FAIL(ck, "%s uses %s, which is not defined in the graph", what_str(w), fg_value_str(v));
    if (def != b)
        FAIL(ck, "%s uses %s, which is defined in another block", what_str(w), fg_value_str(v));
    if (!fg_ptrmap_has(&ck->seen, v))
        FAIL(ck, "%s uses %s before its definition", what_str(w), fg_value_str(v));
}

static void check_op(struct checker *ck, struct fg_block *b, struct fg_op *op, int k)
{
    if ((unsigned)op->opcode >= OP_COUNT || op->opcode == OP_FIRST_LL)
        FAIL(ck, "op %d has a bad opcode %d", k, (int)op->opcode);
    const char *name = fg_opname(op->opcode);
    int arity = fg_op_arity(op->opcode);
    if (arity >= 0 && op->nargs != arity)
        FAIL(ck, "op %d (%s) has %d arguments, expected %d", k, name, op->nargs, arity);
    if (op->nargs < 0 || (op->nargs > 0 && !op->args))
        FAIL(ck, "op %d (%s) has no argument array", k, name);
    int level = FG_IS_LLOP(op->opcode) ? 1 : 0;
    if (ck->level >= 0 && level != ck->level)
        FAIL(ck, "op %d (%s) mixes high-level and low-level operations", k, name);
    ck->level = level;
    for (int a = 0; a < op->nargs; a++)
        check_use(ck, op->args[a], b, (struct what){W_ARG, a, 0, name});
    fg_ptrmap_put(&ck->seen, op->result, op);
}

static void check_link(struct checker *ck, struct fg_block *b, struct fg_link *l, int k)
{
    if (l->prev != b)
        FAIL(ck, "exit %d: the link's prev is not its block", k);
    if (!l->target || l->target->id < 0 || l->target->id >= ck->g->nblocks)
        FAIL(ck, "exit %d: bad target", k);
    if (l->args.n != l->target->inputargs.n)
        FAIL(ck, "exit %d passes %d arguments to a block with %d inputs", k, l->args.n,
             l->target->inputargs.n);
    for (int a = 0; a < l->args.n; a++) {
        struct fg_value *v = l->args.v[a];
        if (v && v->kind == FG_VAR && (v == l->last_exception || v == l->last_exc_value))
            continue;
        check_use(ck, v, b, (struct what){W_EXIT_ARG, a, k, NULL});
    }
    if (l->exitcase && l->exitcase->kind != FG_CONST)
        FAIL(ck, "exit %d: exitcase is not a constant", k);
}

static bool same_case(struct fg_value *a, struct fg_value *b)
{
    if (a->ckind != b->ckind)
        return false;
    return a->ival == b->ival;
}

static void check_switch(struct checker *ck, struct fg_block *b)
{
    if (b->exits.n < 2)
        FAIL(ck, "a switch on %s needs at least two exits, has %d", fg_value_str(b->exitswitch), b->exits.n);
    for (int k = 0; k < b->exits.n; k++) {
        struct fg_link *l = b->exits.v[k];
        if (l->last_exception || l->last_exc_value)
            FAIL(ck, "exit %d of a switch binds an exception", k);
        if (!l->exitcase) {
            if (k != b->exits.n - 1)
                FAIL(ck, "exit %d: only the last exit of a switch may be the default", k);
            continue;
        }
        enum fg_const_kind ck_kind = l->exitcase->ckind;
        if (ck_kind != FG_C_BOOL && ck_kind != FG_C_INT)
            FAIL(ck, "exit %d: switch case %s is not a bool or int", k, fg_value_str(l->exitcase));
        for (int j = 0; j < k; j++) {
            struct fg_link *o = b->exits.v[j];
            if (o->exitcase && same_case(o->exitcase, l->exitcase))
                FAIL(ck, "exits %d and %d have the same case %s", j, k, fg_value_str(l->exitcase));
        }
    }
}

static void check_raising(struct checker *ck, struct fg_block *b)
{
    if (b->ops.n == 0)
        FAIL(ck, "exitswitch last_exception on a block without operations");
    if (b->exits.n < 1)
        FAIL(ck, "exitswitch last_exception without exits");
    struct fg_link *normal = b->exits.v[0];
    if (normal->exitcase || normal->last_exception || normal->last_exc_value)
        FAIL(ck, "exit 0 after a raising op must be the plain normal exit");
    for (int k = 1; k < b->exits.n; k++) {
        struct fg_link *l = b->exits.v[k];
        if (!l->exitcase)
            FAIL(ck, "exception exit %d has no exitcase", k);
    }
}

static void check_exits(struct checker *ck, struct fg_block *b)
{
    if (b->exitswitch == NULL) {
        if (b->exits.n != 1)
            FAIL(ck, "a block without exitswitch needs exactly one exit, has %d", b->exits.n);
        struct fg_link *l = b->exits.v[0];
        if (l->exitcase || l->last_exception || l->last_exc_value)
            FAIL(ck, "the unconditional exit has an exitcase or binds an exception");
    } else if (b->exitswitch == fg_last_exception) {
        check_raising(ck, b);
    } else {
        check_use(ck, b->exitswitch, b, text("the exitswitch"));
        if (b->exitswitch->kind != FG_VAR)
            FAIL(ck, "the exitswitch is a constant");
        check_switch(ck, b);
    }
}

static void check_final(struct checker *ck, struct fg_block *b)
{
    int want = b->is_return ? 1 : 2;
    const char *what = b->is_return ? "return" : "except";
    if (b->is_return && b->is_except)
        FAIL(ck, "a block is both the return and the except block");
    if (b != (b->is_return ? ck->g->returnblock : ck->g->exceptblock))
        FAIL(ck, "a stray %s block", what);
    if (b->inputargs.n != want)
        FAIL(ck, "the %s block has %d inputs, expected %d", what, b->inputargs.n, want);
    if (b->ops.n || b->exits.n || b->exitswitch)
        FAIL(ck, "the %s block has operations or exits", what);
}

static void check_block(struct checker *ck, struct fg_block *b)
{
    ck->seen = (struct fg_ptrmap){0};
    fg_ptrmap_reserve(&ck->seen, (size_t)(b->inputargs.n + b->ops.n));
    for (int k = 0; k < b->inputargs.n; k++)
        fg_ptrmap_put(&ck->seen, b->inputargs.v[k], b);
    if (b->is_return || b->is_except) {
        check_final(ck, b);
        return;
    }
    for (int k = 0; k < b->ops.n; k++)
        check_op(ck, b, b->ops.v[k], k);
    for (int k = 0; k < b->exits.n; k++)
        check_link(ck, b, b->exits.v[k], k);
    check_exits(ck, b);
}

static void check_start(struct checker *ck)
{
    struct fg_graph *g = ck->g;
    if (!g->startblock || !g->returnblock || !g->exceptblock)
        FAIL(ck, "missing start, return or except block");
    if (!g->returnblock->is_return || !g->exceptblock->is_except)
        FAIL(ck, "the return/except blocks are not marked as such");
    if (g->startblock->is_return || g->startblock->is_except)
        FAIL(ck, "the start block is the return or except block");
    struct fg_func *f = g->func;
    if (f && f->graph == g) {
        int want = f->nparams + (f->vararg ? 1 : 0);
        if (g->startblock->inputargs.n != want)
            FAIL(ck, "the start block has %d inputs for %d parameters", g->startblock->inputargs.n, want);
    }
    if (g->returnblock->inputargs.n != 1 || g->exceptblock->inputargs.n != 2)
        FAIL(ck, "return block needs one input and except block two");
}

void fg_checkgraph(struct fg_graph *g, const char *stage)
{
    struct checker ck = {.stage = stage ? stage : "?", .g = g, .level = -1};
    check_start(&ck);
    struct sp_vec blocks = {0};
    fg_graph_blocks(g, &blocks);
    collect_defs(&ck, &blocks);
    for (int i = 0; i < blocks.n; i++) {
        ck.blockno = i;
        check_block(&ck, blocks.v[i]);
    }
}
