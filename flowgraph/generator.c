/* generator.c - generator functions as resumable frame objects.
 *
 * Requires: the graph of a function whose body yields, built and
 * simplified as any other (a `yield v` is an op that does not end its
 * block). Provides, as RPython's generator transform does, but on the
 * graphs before annotation so that the annotator types everything:
 *
 *  - a frame class of the function's own (synthetic), whose instances
 *    hold the parameters (__p<i>), the resume point (__state: 0 before
 *    the first next(), k after the k-th yield, -1 when done) and, per
 *    yield point, the values live across it (__y<k>_<j>);
 *  - its __next__ method: the body's blocks, every one taking the frame
 *    as an extra input. A dispatch on __state enters at the start (the
 *    parameters loaded from the frame) or after a yield (its live values
 *    loaded back); a yield stores its live values and the next state and
 *    returns the value; the end of the body (a return, or an exception
 *    leaving it) sets the state to -1, and the end raises StopIteration;
 *  - its __iter__ method (the frame itself);
 *  - the function's graph replaced by one that makes the frame.
 *
 * A for loop over a generator is then a loop over a user iterator. The
 * resume points are blocks entered by a dispatch on a saved state, the
 * same shape a stackless transform needs.
 */
#include "builder.h"

#include <stdarg.h>
#include <string.h>

static struct fg_value *name_const(const char *name, struct srcpos pos) { return b_name_const(sp_intern(name), pos); }

static struct fg_value *add_op(struct fg_block *b, enum fg_opcode opc, struct srcpos pos, int nargs, ...)
{
    struct fg_value **args = sp_alloc(sizeof(struct fg_value *) * (size_t)(nargs + 1));
    va_list ap;
    va_start(ap, nargs);
    for (int i = 0; i < nargs; i++)
        args[i] = va_arg(ap, struct fg_value *);
    va_end(ap);
    struct fg_value *r = fg_newvar("v");
    r->pos = pos;
    fg_block_addop(b, fg_newop(opc, args, nargs, r, pos));
    return r;
}

static struct fg_value *getattr(struct fg_block *b, struct fg_value *obj, const char *name, struct srcpos pos)
{
    return add_op(b, OP_GETATTR, pos, 2, obj, name_const(name, pos));
}

static void setattr(struct fg_block *b, struct fg_value *obj, const char *name, struct fg_value *v, struct srcpos pos)
{
    add_op(b, OP_SETATTR, pos, 3, obj, name_const(name, pos), v);
}

static struct fg_value *self_var(struct srcpos pos)
{
    struct fg_value *v = fg_newvar(sp_intern("self"));
    v->pos = pos;
    return v;
}

/* raise StopIteration from b (its frame input is self) */
static void raise_stop(struct fg_graph *g, struct fg_block *b, struct srcpos pos)
{
    struct fg_value *exc = add_op(b, OP_SIMPLE_CALL, pos, 1, b_at(fg_const_builtin("StopIteration"), pos));
    struct fg_value *t = add_op(b, OP_EXC_TYPE, pos, 1, exc);
    struct fg_link *l = fg_link_to(b, g->exceptblock, NULL);
    sp_vec_push(&l->args, t);
    sp_vec_push(&l->args, exc);
    l->pos = pos;
    l->no_traceback = true; /* as CPython: a finished generator shows no frame */
}

static bool is_yield(struct fg_op *op) { return op->opcode == OP_YIELD; }

/* A method of the frame class with the one parameter self. */
static struct fg_func *frame_method(struct bprog *bp, struct fg_class *fc, struct fg_func *f, const char *name)
{
    struct fg_func *m = SP_NEW(struct fg_func);
    m->name = sp_intern(name);
    m->qualname = f->qualname;
    m->module = f->module;
    m->cls = fc;
    m->def = f->def;
    m->nparams = 1;
    m->params = sp_alloc(sizeof(const char *) * 2);
    m->params[0] = sp_intern("self");
    m->defaults = sp_alloc(sizeof(struct fg_value *) * 2);
    sp_vec_push(&fc->methods, m);
    sp_vec_push(&bp->prog->allfuncs, m);
    return m;
}

void b_generator_transform(struct bprog *bp, struct fg_func *f)
{
    struct fg_graph *g = f->graph;
    struct srcpos pos = f->def->pos;
    struct fg_class *fc = b_synthetic_class(bp, f->qualname, "generator");

    /* The yield expression's value is None (no send()). */
    struct sp_vec blocks = {0};
    fg_graph_blocks(g, &blocks);
    for (int i = 0; i < blocks.n; i++) {
        struct fg_block *b = blocks.v[i];
        for (int k = 0; k < b->ops.n; k++) {
            struct fg_op *op = b->ops.v[k];
            if (!is_yield(op))
                continue;
            for (int j = 0; j < blocks.n; j++)
                fg_block_replace_uses(blocks.v[j], 0, op->result, b_none(op->pos));
        }
    }
    /* Each yield ends its block: what is live across it crosses the link. */
    struct sp_vec yields = {0}; /* blocks ending in a yield */
    for (int i = 0; i < blocks.n; i++) {
        struct fg_block *b = blocks.v[i];
        for (int k = 0; k < b->ops.n; k++) {
            if (!is_yield(b->ops.v[k]))
                continue;
            struct fg_block *rest = fg_split_block(g, b, k + 1);
            sp_vec_push(&yields, b);
            b = rest; /* go on scanning the rest */
            k = -1;
        }
    }

    /* Every block takes the frame and links pass it. While the body runs
     * the state is -1 (set on entry, so that an exception leaving the body
     * finishes the generator, as in CPython); a yield sets the next one. */
    struct fg_block *done = fg_newblock(g);
    struct fg_value *done_self = self_var(pos);
    sp_vec_push(&done->inputargs, done_self);
    fg_graph_blocks(g, &blocks);
    struct fg_ptrmap selfs = {0};
    for (int i = 0; i < blocks.n; i++) {
        struct fg_block *b = blocks.v[i];
        if (b->is_return || b->is_except || b == done)
            continue;
        struct fg_value *s = self_var(pos);
        sp_vec_push(&b->inputargs, s);
        fg_ptrmap_put(&selfs, b, s);
    }
    for (int i = 0; i < blocks.n; i++) {
        struct fg_block *b = blocks.v[i];
        struct fg_value *s = fg_ptrmap_get(&selfs, b);
        if (!s)
            continue;
        for (int k = 0; k < b->exits.n; k++) {
            struct fg_link *l = b->exits.v[k];
            if (l->target == g->exceptblock)
                continue;
            if (l->target == g->returnblock) {
                l->target = done;
                l->args.n = 0;
            }
            sp_vec_push(&l->args, s);
        }
    }
    struct fg_value *minus1 = b_at(fg_const_int(-1), pos);
    raise_stop(g, done, pos);

    /* The yields: store the live values and the next state, return. */
    struct fg_block **resume = sp_alloc(sizeof(struct fg_block *) * (size_t)(yields.n + 1));
    for (int k = 0; k < yields.n; k++) {
        struct fg_block *b = yields.v[k];
        struct fg_op *y = b->ops.v[b->ops.n - 1];
        b->ops.n--;
        struct fg_value *s = fg_ptrmap_get(&selfs, b);
        struct fg_link *l = b->exits.v[0];
        struct fg_block *rest = l->target;
        struct fg_block *e = fg_newblock(g);
        struct fg_value *es = self_var(y->pos);
        sp_vec_push(&e->inputargs, es);
        setattr(e, es, "__state", minus1, y->pos);
        struct fg_link *back = fg_link_to(e, rest, NULL);
        for (int j = 0; j < l->args.n - 1; j++) { /* the last one is self */
            struct fg_value *a = l->args.v[j];
            if (a->kind == FG_CONST) {
                sp_vec_push(&back->args, a);
                continue;
            }
            const char *attr = sp_fmt("__y%d_%d", k, j);
            setattr(b, s, attr, a, y->pos);
            sp_vec_push(&back->args, getattr(e, es, attr, y->pos));
        }
        sp_vec_push(&back->args, es);
        setattr(b, s, "__state", b_at(fg_const_int(k + 1), y->pos), y->pos);
        b->exits.n = 0;
        struct fg_link *ret = fg_link_to(b, g->returnblock, NULL);
        sp_vec_push(&ret->args, y->args[0]);
        resume[k] = e;
    }

    /* The first entry: the parameters from the frame. */
    struct fg_block *body = g->startblock;
    struct fg_block *entry = fg_newblock(g);
    struct fg_value *entry_self = self_var(pos);
    sp_vec_push(&entry->inputargs, entry_self);
    setattr(entry, entry_self, "__state", minus1, pos);
    struct fg_link *in = fg_link_to(entry, body, NULL);
    int nparams = body->inputargs.n - 1; /* the parameters (and *args), then self */
    for (int i = 0; i < nparams; i++)
        sp_vec_push(&in->args, getattr(entry, entry_self, sp_fmt("__p%d", i), pos));
    sp_vec_push(&in->args, entry_self);

    /* The dispatch on the state. */
    struct fg_block *start = fg_newblock(g);
    struct fg_value *self = self_var(pos);
    sp_vec_push(&start->inputargs, self);
    struct fg_value *state = getattr(start, self, "__state", pos);
    struct fg_block *cur = start;
    struct fg_value *cur_self = self, *cur_state = state;
    for (int k = 0; k <= yields.n; k++) {
        struct fg_value *test = add_op(cur, OP_EQ, pos, 2, cur_state, b_at(fg_const_int(k), pos));
        cur->exitswitch = test;
        struct fg_block *next = fg_newblock(g);
        struct fg_value *ns = self_var(pos), *nstate = fg_newvar("state");
        sp_vec_push(&next->inputargs, ns);
        sp_vec_push(&next->inputargs, nstate);
        struct fg_link *no = fg_link_to(cur, next, fg_const_bool(false));
        sp_vec_push(&no->args, cur_self);
        sp_vec_push(&no->args, cur_state);
        struct fg_link *yes = fg_link_to(cur, k == 0 ? entry : resume[k - 1], fg_const_bool(true));
        sp_vec_push(&yes->args, cur_self);
        cur = next;
        cur_self = ns;
        cur_state = nstate;
    }
    raise_stop(g, cur, pos); /* finished (-1): StopIteration again */
    g->startblock = start;

    /* __next__ is the transformed graph; the function makes the frame. */
    struct fg_func *next = frame_method(bp, fc, f, "__next__");
    next->tb_name = f->name; /* CPython's traceback names the generator function */
    next->graph = g;
    g->func = next;
    struct fg_func *iter = frame_method(bp, fc, f, "__iter__");
    iter->graph = fg_newgraph(sp_intern(sp_fmt("%s.__iter__", fc->name)), iter, pos);
    struct fg_value *is = self_var(pos);
    sp_vec_push(&iter->graph->startblock->inputargs, is);
    struct fg_link *ir = fg_link_to(iter->graph->startblock, iter->graph->returnblock, NULL);
    sp_vec_push(&ir->args, is);

    struct fg_graph *mk = fg_newgraph(f->qualname, f, pos);
    struct fg_block *mb = mk->startblock;
    struct fg_value *frame = add_op(mb, OP_SIMPLE_CALL, pos, 1, b_at(fg_const_obj(FG_C_CLASS, fc), pos));
    for (int i = 0; i < nparams; i++) {
        struct fg_value *p = fg_newvar(i < f->nparams ? f->params[i] : f->vararg);
        p->pos = pos;
        sp_vec_push(&mb->inputargs, p);
        setattr(mb, frame, sp_fmt("__p%d", i), p, pos);
    }
    setattr(mb, frame, "__state", b_at(fg_const_int(0), pos), pos);
    struct fg_link *ml = fg_link_to(mb, mk->returnblock, NULL);
    sp_vec_push(&ml->args, frame);
    f->graph = mk;
    f->frameclass = fc;
    fg_checkgraph(g, "generator transform");
    fg_checkgraph(mk, "generator transform");
}
