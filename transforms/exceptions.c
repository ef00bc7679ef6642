/* exceptions.c - raising becomes explicit checks of the thread's current
 * exception (runtime/rpyrt.h: rpy_exc_value).
 *
 * Requires: low-level graphs as the rtyper leaves them: any op may raise
 * if its flags say so (a direct_call of a runtime routine: the routine's
 * flags); a block whose exitswitch is last_exception ends with the op
 * that raises into handlers, exits[0] being the normal exit and the
 * others naming the caught class by its instance type (FG_C_LLTYPE); a
 * link into the except block passes (etype, evalue) to raise evalue, or
 * Void constants when the exception is already the current one.
 * Run after tf_insert_stack_checks (stack_check raises RecursionError).
 *
 * Provides: no last_exception exitswitch is left. Each op that may raise
 * ends its block, followed by `exc_occurred()` and a bool switch; on True
 * the exception either leaves the graph, through a block that records
 * the frame (`tb_add(location)`) and links to the except block, or is
 * matched against the handlers in order (`exc_peek()`, `tid_in` per
 * handler class, `exc_clear()` in the one that catches it). A raise
 * becomes `exc_raise(value)` and `tb_add(location)`. Every link into the
 * except block then passes Void constants: leaving through it means
 * "return with the exception set", and the except block's inputs are Void.
 *
 * Calls of graphs that cannot raise get no check (effects.c).
 */
#include "transforms.h"

#include <string.h>

static bool op_may_raise(const struct fg_op *op) { return (tf_op_effects(op) & OPF_RAISE) != 0; }

/* ---- building blocks ---- */

static struct fg_op *add_op(struct fg_block *b, enum fg_opcode opc, struct lltype *rtype, struct srcpos pos,
                            int nargs, struct fg_value *a0)
{
    struct fg_value **args = sp_alloc(sizeof(struct fg_value *) * 2);
    args[0] = a0;
    struct fg_value *r = fg_newvar("v");
    r->lltype = rtype;
    struct fg_op *op = fg_newop(opc, args, nargs, r, pos);
    fg_block_addop(b, op);
    return op;
}

static struct fg_value *void_const(void)
{
    struct fg_value *c = fg_const_none();
    c->lltype = &ll_void;
    return c;
}

static struct fg_value *int_const(int64_t v)
{
    struct fg_value *c = fg_const_int(v);
    c->lltype = &ll_signed;
    return c;
}

static struct fg_value *bool_const(bool v)
{
    struct fg_value *c = fg_const_bool(v);
    c->lltype = &ll_bool;
    return c;
}

/* A link into the except block: the exception is set, nothing to pass. */
static void link_out(struct fg_graph *g, struct fg_block *from)
{
    struct fg_link *l = fg_link_to(from, g->exceptblock, NULL);
    sp_vec_push(&l->args, void_const());
    sp_vec_push(&l->args, void_const());
}

static struct fg_value *tbloc(struct fg_graph *g, struct srcpos pos)
{
    struct fg_tbloc *loc = SP_NEW(struct fg_tbloc);
    loc->pos = pos.file ? pos : g->pos;
    loc->func = !g->func ? g->name : g->func->tb_name ? g->func->tb_name : g->func->name;
    struct fg_value *c = fg_const_obj(FG_C_TBLOC, loc);
    c->lltype = &ll_void;
    return c;
}

/* Frames a traceback leaves out, as CPython's C-coded greenlet and the
 * pure-Python rpy package do: those of rpy.greenlet and rpy.tasklets, and
 * the lambda that binds a tasklet's arguments (flowgraph/build_tasklet.c). */
static bool hidden_frame(const struct fg_graph *g)
{
    const struct fg_func *f = g->func;
    if (!f)
        return false;
    if (f->module && f->module->is_stdlib && strncmp(f->module->name, "rpy.", 4) == 0)
        return true;
    return strcmp(f->name, FG_BINDER_NAME) == 0;
}

/* The traceback entry of graph g at pos (none for an adapter); first, for
 * an op inside a comprehension, the entry of the comprehension's frame. */
static void add_tb(struct fg_graph *g, struct fg_block *b, struct srcpos pos)
{
    if (pos.frame && !g->no_traceback && !hidden_frame(g)) {
        struct fg_value *c = tbloc(g, pos);
        ((struct fg_tbloc *)c->obj)->func = pos.frame;
        add_op(b, OP_LL_TB_ADD, &ll_void, pos, 1, c);
    }
    if (!g->no_traceback && !hidden_frame(g))
        add_op(b, OP_LL_TB_ADD, &ll_void, pos, 1, tbloc(g, pos));
}

/* A block that records the frame at pos and leaves the graph. */
static struct fg_block *leave_block(struct fg_graph *g, struct srcpos pos)
{
    struct fg_block *b = fg_newblock(g);
    add_tb(g, b, pos);
    link_out(g, b);
    return b;
}

/* Ends b (whose last op may raise) with the check; the True exit is
 * returned for the caller to fill, the False one is `normal`. */
static struct fg_link *check_after(struct fg_block *b, struct fg_link *normal, struct srcpos pos)
{
    struct fg_op *occ = add_op(b, OP_LL_EXC_OCCURRED, &ll_bool, pos, 0, NULL);
    b->exitswitch = occ->result;
    normal->exitcase = bool_const(false);
    b->exits.n = 0;
    sp_vec_push(&b->exits, normal);
    struct fg_link *raised = SP_NEW(struct fg_link);
    raised->prev = b;
    raised->exitcase = bool_const(true);
    sp_vec_push(&b->exits, raised);
    return raised;
}

/* ---- handlers ----
 * The dispatch after an op that raises into handlers is a chain of
 * blocks, one test per handler class. Each takes the values of the
 * raising block that the handler links pass (`carried`), and reads the
 * exception itself again with exc_peek (a load). */

struct chain {
    struct sp_vec orig;  /* values of the raising block the handlers need */
};

static bool is_caught_var(struct fg_link *h, struct fg_value *v)
{
    return v == h->last_exc_value || v == h->last_exception;
}

static void collect_carried(struct chain *c, struct sp_vec *handlers)
{
    for (int i = 0; i < handlers->n; i++) {
        struct fg_link *h = handlers->v[i];
        for (int k = 0; k < h->args.n; k++) {
            struct fg_value *v = h->args.v[k];
            if (v->kind != FG_VAR || is_caught_var(h, v))
                continue;
            bool seen = false;
            for (int j = 0; j < c->orig.n && !seen; j++)
                seen = c->orig.v[j] == v;
            if (!seen)
                sp_vec_push(&c->orig, v);
        }
    }
}

/* A chain block: one input per carried value (copies, in *copies). */
static struct fg_block *chain_block(struct fg_graph *g, struct chain *c, struct fg_value ***copies)
{
    struct fg_block *b = fg_newblock(g);
    *copies = sp_alloc(sizeof(struct fg_value *) * (size_t)(c->orig.n + 1));
    for (int i = 0; i < c->orig.n; i++) {
        struct fg_value *o = c->orig.v[i], *v = fg_newvar(o->name);
        v->lltype = o->lltype;
        v->ann = o->ann;
        sp_vec_push(&b->inputargs, v);
        (*copies)[i] = v;
    }
    return b;
}

static void pass_carried(struct fg_link *l, struct chain *c, struct fg_value **have)
{
    for (int i = 0; i < c->orig.n; i++)
        sp_vec_push(&l->args, have ? have[i] : c->orig.v[i]);
}

static struct fg_value *local_of(struct chain *c, struct fg_value **have, struct fg_value *v)
{
    for (int i = 0; i < c->orig.n; i++)
        if (c->orig.v[i] == v)
            return have[i];
    return v; /* a constant */
}

/* The block that caught the exception for handler link h: clear it and
 * go to the handler with the exception (cast to h's class). */
static void catch_into(struct fg_graph *g, struct fg_block *from, struct fg_value **have, struct chain *c,
                       struct fg_link *h, struct srcpos pos)
{
    struct fg_value **mine;
    struct fg_block *catch = chain_block(g, c, &mine);
    pass_carried(fg_link_to(from, catch, bool_const(true)), c, have);
    struct lltype *t = h->exitcase->obj;
    struct fg_value *e = add_op(catch, OP_LL_EXC_PEEK, t, pos, 0, NULL)->result;
    /* The catching frame is part of the exception's traceback if it is
     * raised again (`raise e`: runtime/exc.c keeps it at the catch). */
    add_tb(g, catch, pos);
    add_op(catch, OP_LL_EXC_CLEAR, &ll_void, pos, 0, NULL);
    struct fg_link *l = fg_link_to(catch, h->target, NULL);
    for (int i = 0; i < h->args.n; i++) {
        struct fg_value *v = h->args.v[i];
        sp_vec_push(&l->args, is_caught_var(h, v) ? e : local_of(c, mine, v));
    }
}

/* b ends with an op raising into `handlers` (links whose args are b's
 * values); `normal` is where it goes when nothing is raised. */
static void lower_handlers(struct rt_program *prog, struct fg_graph *g, struct fg_block *b, struct fg_link *normal,
                           struct sp_vec *handlers)
{
    struct fg_op *last = b->ops.v[b->ops.n - 1];
    struct srcpos pos = last->pos;
    struct chain c = {0};
    collect_carried(&c, handlers);
    struct fg_link *raised = check_after(b, normal, pos);
    struct fg_value **have;
    struct fg_block *cur = chain_block(g, &c, &have);
    raised->target = cur;
    pass_carried(raised, &c, NULL);
    for (int i = 0; i < handlers->n; i++) {
        struct fg_link *h = handlers->v[i];
        struct lltype *t = h->exitcase->obj;
        struct fg_value *e = add_op(cur, OP_LL_EXC_PEEK, prog->exc_types[0], pos, 0, NULL)->result;
        struct fg_value **args = sp_alloc(sizeof(struct fg_value *) * 3);
        args[0] = e;
        args[1] = int_const(t->tid);
        args[2] = int_const(t->tid_hi);
        struct fg_value *test = fg_newvar("v");
        test->lltype = &ll_bool;
        fg_block_addop(cur, fg_newop(OP_LL_TID_IN, args, 3, test, pos));
        cur->exitswitch = test;
        catch_into(g, cur, have, &c, h, pos);
        struct fg_value **next_have;
        struct fg_block *next = chain_block(g, &c, &next_have);
        pass_carried(fg_link_to(cur, next, bool_const(false)), &c, have);
        cur = next;
        have = next_have;
    }
    /* No handler matches: the exception goes on out of the graph. */
    add_tb(g, cur, pos);
    link_out(g, cur);
}

/* The exception exits of `rest` (made by splitting b: b's one exit goes
 * to rest) as links whose arguments are b's values again. */
static void handlers_before_split(struct fg_block *b, struct fg_block *rest, struct sp_vec *out)
{
    struct fg_link *into = b->exits.v[0];
    for (int i = 1; i < rest->exits.n; i++) {
        struct fg_link *h = rest->exits.v[i], *c = SP_NEW(struct fg_link);
        *c = *h;
        c->prev = b;
        c->args = (struct sp_vec){0};
        for (int k = 0; k < h->args.n; k++) {
            struct fg_value *v = h->args.v[k];
            for (int j = 0; j < rest->inputargs.n; j++)
                if (rest->inputargs.v[j] == v)
                    v = into->args.v[j];
            sp_vec_push(&c->args, v);
        }
        sp_vec_push(out, c);
    }
}

/* ---- raising ops and raise links ---- */

static void raise_link(struct fg_graph *g, struct fg_block *b, struct fg_link *l)
{
    struct fg_value *evalue = l->args.v[1];
    if (evalue->lltype && evalue->lltype->kind == LL_PTR) {
        add_op(b, OP_LL_EXC_RAISE, &ll_void, l->pos, 1, evalue);
        if (!g->no_traceback && !l->no_traceback && !hidden_frame(g))
            add_op(b, OP_LL_TB_ADD, &ll_void, l->pos, 1, tbloc(g, l->pos.file ? l->pos : g->pos));
    }
    l->args.v[0] = void_const();
    l->args.v[1] = void_const();
}

static void transform_block(struct rt_program *prog, struct fg_graph *g, struct fg_block *b)
{
    if (b->exits.n == 1 && ((struct fg_link *)b->exits.v[0])->target == g->exceptblock && !b->exitswitch)
        raise_link(g, b, b->exits.v[0]);
    bool handled = b->exitswitch == fg_last_exception;
    for (int i = 0; i < b->ops.n; i++) {
        struct fg_op *op = b->ops.v[i];
        if (!op_may_raise(op))
            continue;
        if (handled && i == b->ops.n - 1) {
            struct sp_vec handlers = {0};
            for (int k = 1; k < b->exits.n; k++)
                sp_vec_push(&handlers, b->exits.v[k]);
            lower_handlers(prog, g, b, b->exits.v[0], &handlers);
            return;
        }
        struct fg_block *rest = fg_split_block(g, b, i + 1);
        if (handled) {
            /* raises into the same handlers as the rest of the block */
            struct sp_vec handlers = {0};
            handlers_before_split(b, rest, &handlers);
            lower_handlers(prog, g, b, b->exits.v[0], &handlers);
        } else {
            struct fg_link *raised = check_after(b, b->exits.v[0], op->pos);
            if (op->opcode == OP_LL_STACK_CHECK) {
                /* RecursionError at the entry: as in CPython, the frame
                 * that could not start is not in the traceback, the call
                 * that made it is */
                raised->target = fg_newblock(g);
                link_out(g, raised->target);
            } else {
                raised->target = leave_block(g, op->pos);
            }
        }
        transform_block(prog, g, rest);
        return;
    }
    if (handled) { /* no op left that raises */
        b->exitswitch = NULL;
        b->exits.n = 1;
    }
}

static void transform_graph(struct rt_program *prog, struct fg_graph *g)
{
    struct sp_vec blocks = {0};
    fg_graph_blocks(g, &blocks);
    for (int i = 0; i < blocks.n; i++) {
        struct fg_block *b = blocks.v[i];
        if (!b->is_return && !b->is_except)
            transform_block(prog, g, b);
    }
    for (int i = 0; i < g->exceptblock->inputargs.n; i++)
        ((struct fg_value *)g->exceptblock->inputargs.v[i])->lltype = &ll_void;
}

void tf_transform_exceptions(struct rt_program *prog)
{
    tf_compute_effects(prog);
    for (int i = 0; i < prog->graphs.n; i++)
        transform_graph(prog, prog->graphs.v[i]);
}
