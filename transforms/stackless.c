/* stackless.c - calls that can switch coroutines become resumable.
 *
 * Requires: low-level graphs after the exception transform and the
 * optimisations, before the GC-roots transform (which then roots the
 * values the new blocks keep across allocation), with effects.c's
 * OPF_UNWIND: a runtime routine marked U (runtime/stackless.c: a switch)
 * sets rpy_sl_unwinding and returns, and so may every call that reaches
 * one. Only the graphs with OPF_UNWIND are rewritten; all others keep
 * zero cost.
 *
 * Provides, for each call that may unwind in such a graph G (numbered k
 * from 1 in block order), with L the values live after it:
 *
 *     r = call(...)                      r = call(...)
 *     rest...                 ==>        u = sl_is_unwinding()
 *                                        switch u:
 *                                          False -> rest(L, r)
 *                                          True  -> save_k(L)
 *
 *     save_k(L):  f = malloc(Frame_G_k); f.fn = &G_resume; f.state = k;
 *                 f.s0.. = L; sl_push(f); return <zero>
 *
 * and a new start block: `sl_is_resuming()` false goes to the old start;
 * true reads the record (`sl_resume_frame()`), dispatches on its state
 * to resume_k, which reloads L, takes r from the runtime
 * (`sl_result_<kind>()`, the return value of the frame resumed before),
 * calls `sl_resumed()` (which restores the exception that frame left, if
 * any) and links to rest(L, r): the exception check after the call then
 * sees it as if the call had raised. G_resume is a new graph, the
 * record's resume function: it calls G with zero arguments (G jumps to
 * the saved point) and hands G's result to the runtime
 * (`sl_set_result_<kind>`). Frame_G_k is a GcStruct whose head is
 * struct rpy_sl_frame (rpyrt.h) and whose slots are L's types, so the
 * collector traces suspended frames.
 *
 * Unwinding passes no `finally` and no handler: the saved frame returns
 * at once, and the code after the call runs when it resumes. Graphs the
 * runtime calls (special methods, through struct rpy_classinfo) cannot
 * be unwound past their C callers: they are not rewritten, and a switch
 * under them stops the program with a message (`sl_cannot_unwind`).
 */
#include <string.h>

#include "transforms.h"

/* ---- values and ops ---- */

static struct fg_value *typed(struct fg_value *v, struct lltype *t)
{
    v->lltype = t;
    return v;
}

static struct fg_value *zero_of(struct lltype *t)
{
    switch (t->kind) {
    case LL_SIGNED: return typed(fg_const_int(0), t);
    case LL_WORD: return typed(fg_const_int(0), t);
    case LL_FLOAT: return typed(fg_const_float(0.0), t);
    case LL_BOOL: return typed(fg_const_bool(false), t);
    default: return typed(fg_const_none(), t); /* Void, and NULL pointers */
    }
}

static struct fg_value *field(struct lltype *owner, const char *name)
{
    struct fg_value *c = fg_const_str(name, strlen(name));
    c->obj = owner;
    c->ckind = FG_C_OTHER;
    return typed(c, &ll_void);
}

static struct fg_value *add(struct fg_block *b, enum fg_opcode opc, struct lltype *rtype, struct srcpos pos, int nargs,
                            struct fg_value *a0, struct fg_value *a1, struct fg_value *a2)
{
    struct fg_value **args = sp_alloc(sizeof(struct fg_value *) * 4);
    args[0] = a0;
    args[1] = a1;
    args[2] = a2;
    struct fg_value *r = typed(fg_newvar("v"), rtype);
    fg_block_addop(b, fg_newop(opc, args, nargs, r, pos));
    return r;
}

/* A call of runtime routine cname (no effects unless flags say so). */
static struct fg_value *ext(struct fg_block *b, const char *cname, struct lltype *rtype, struct srcpos pos,
                            struct fg_value *arg)
{
    struct fg_extfunc *ef = SP_NEW(struct fg_extfunc);
    ef->cname = cname;
    ef->flags = 0;
    struct fg_value *f = typed(fg_const_obj(FG_C_EXTFUNC, ef), &ll_void);
    return add(b, OP_LL_DIRECT_CALL, rtype, pos, arg ? 2 : 1, f, arg, NULL);
}

static struct fg_value *copy_var(struct fg_value *o)
{
    struct fg_value *v = fg_newvar(o->name);
    v->lltype = o->lltype;
    v->ann = o->ann;
    return v;
}

/* The suffix of the runtime's result routines for values of type t, or
 * NULL for Void. */
static const char *result_kind(const struct lltype *t)
{
    switch (t->kind) {
    case LL_SIGNED: return "int";
    case LL_FLOAT: return "float";
    case LL_BOOL: return "bool";
    case LL_WORD: return "word";
    case LL_PTR: return "ptr";
    default: return NULL;
    }
}

static struct lltype *frame_base(void)
{
    static struct lltype *t;
    if (!t) {
        t = ll_struct("sl_frame", NULL, false);
        ll_struct_add_field(t, "next", ll_gcref());
        ll_struct_add_field(t, "fn", &ll_word);
        ll_struct_add_field(t, "state", &ll_signed);
    }
    return t;
}

static bool unwinds(const struct fg_op *op) { return (tf_op_effects(op) & OPF_UNWIND) != 0; }

/* ---- one graph ---- */

struct site {
    int k;
    struct fg_block *rest;   /* where the code after the call goes on */
    struct fg_value *result; /* rest's input that is the call's result, or NULL */
    struct lltype *frame;    /* Frame_G_k */
    struct sp_vec saved;     /* int: index in rest->inputargs of each slot s0, s1... */
};

/* The record's resume function: G_resume() calls G with zeros and passes
 * its result on. */
static struct fg_graph *resume_graph(struct rt_program *prog, struct fg_graph *g)
{
    struct fg_graph *r = fg_newgraph(sp_fmt("%s.resume", g->name), g->func, g->pos);
    r->no_traceback = true;
    typed(r->returnblock->inputargs.v[0], &ll_void);
    typed(r->exceptblock->inputargs.v[0], &ll_void);
    typed(r->exceptblock->inputargs.v[1], &ll_void);
    int n = g->startblock->inputargs.n;
    struct fg_value **args = sp_alloc(sizeof(struct fg_value *) * (size_t)(n + 2));
    struct fg_value *callee = typed(fg_const_obj(FG_C_GRAPH, g), &ll_void);
    args[0] = callee;
    for (int i = 0; i < n; i++)
        args[i + 1] = zero_of(((struct fg_value *)g->startblock->inputargs.v[i])->lltype);
    struct lltype *rt = ((struct fg_value *)g->returnblock->inputargs.v[0])->lltype;
    struct fg_value *v = typed(fg_newvar("v"), rt);
    fg_block_addop(r->startblock, fg_newop(OP_LL_DIRECT_CALL, args, n + 1, v, g->pos));
    const char *kind = result_kind(rt);
    if (kind)
        ext(r->startblock, sp_fmt("rpy_sl_set_result_%s", kind), &ll_void, g->pos, v);
    sp_vec_push(&fg_link_to(r->startblock, r->returnblock, NULL)->args, zero_of(&ll_void));
    sp_vec_push(&prog->graphs, r);
    return r;
}

/* b ends with the unwinding call op, linked plainly to rest: put the
 * unwinding test between them, and build the save block. */
static struct site *instrument(struct fg_graph *g, struct fg_block *b, struct fg_op *call, struct fg_block *rest,
                               int k, struct fg_graph *resume)
{
    struct site *s = SP_NEW(struct site);
    s->k = k;
    s->rest = rest;
    struct fg_link *plain = b->exits.v[0];
    struct srcpos pos = call->pos;

    static int nframes;
    s->frame = ll_struct(sp_fmt("slframe%d", ++nframes), frame_base(), false);
    struct fg_block *save = fg_newblock(g);
    struct fg_link *tosave = SP_NEW(struct fg_link);
    tosave->prev = b;
    tosave->target = save;
    tosave->exitcase = typed(fg_const_bool(true), &ll_bool);
    struct sp_vec copies = {0};
    for (int i = 0; i < plain->args.n; i++) {
        struct fg_value *o = plain->args.v[i], *in = rest->inputargs.v[i];
        if (o == call->result) {
            s->result = in;
            continue;
        }
        if (o->kind != FG_VAR || !o->lltype || o->lltype->kind == LL_VOID)
            continue; /* constants and Void: nothing to keep */
        struct fg_value *c = copy_var(o);
        sp_vec_push(&save->inputargs, c);
        sp_vec_push(&tosave->args, o);
        sp_vec_push(&copies, c);
        sp_vec_push(&s->saved, (void *)(intptr_t)i);
        ll_struct_add_field(s->frame, sp_fmt("s%d", s->saved.n - 1), o->lltype);
    }
    struct fg_value *u = ext(b, "rpy_sl_is_unwinding", &ll_bool, pos, NULL);
    b->exitswitch = u;
    plain->exitcase = typed(fg_const_bool(false), &ll_bool);
    sp_vec_push(&b->exits, tosave);

    struct fg_value *fr = add(save, OP_LL_MALLOC, s->frame, pos, 1, typed(fg_const_obj(FG_C_LLTYPE, s->frame), &ll_void),
                              NULL, NULL);
    add(save, OP_LL_SETFIELD, &ll_void, pos, 3, fr, field(frame_base(), "fn"),
        typed(fg_const_obj(FG_C_GRAPH, resume), &ll_word));
    add(save, OP_LL_SETFIELD, &ll_void, pos, 3, fr, field(frame_base(), "state"), typed(fg_const_int(k), &ll_signed));
    for (int i = 0; i < copies.n; i++)
        add(save, OP_LL_SETFIELD, &ll_void, pos, 3, fr, field(s->frame, sp_fmt("s%d", i)), copies.v[i]);
    ext(save, "rpy_sl_push", &ll_void, pos, fr);
    struct fg_value *rv = g->returnblock->inputargs.v[0];
    sp_vec_push(&fg_link_to(save, g->returnblock, NULL)->args, zero_of(rv->lltype));
    return s;
}

/* resume_k(f): reload the slots, take the call's result, go on. */
static struct fg_block *resume_block(struct fg_graph *g, struct site *s)
{
    struct fg_block *b = fg_newblock(g);
    struct fg_value *f = typed(fg_newvar("frame"), ll_gcref());
    sp_vec_push(&b->inputargs, f);
    struct srcpos pos = g->pos;
    struct fg_value *fk = add(b, OP_LL_CAST_PTR, s->frame, pos, 1, f, NULL, NULL);
    int n = s->rest->inputargs.n;
    struct fg_value **in = sp_alloc(sizeof(struct fg_value *) * (size_t)(n + 1));
    for (int i = 0; i < s->saved.n; i++) {
        int at = (int)(intptr_t)s->saved.v[i];
        struct lltype *t = ((struct fg_value *)s->rest->inputargs.v[at])->lltype;
        in[at] = add(b, OP_LL_GETFIELD, t, pos, 2, fk, field(s->frame, sp_fmt("s%d", i)), NULL);
    }
    for (int i = 0; i < n; i++) {
        struct fg_value *v = s->rest->inputargs.v[i];
        if (in[i])
            continue;
        if (v == s->result) {
            const char *kind = result_kind(v->lltype);
            if (!kind)
                in[i] = zero_of(v->lltype);
            else if (v->lltype->kind == LL_PTR)
                in[i] = add(b, OP_LL_CAST_PTR, v->lltype, pos, 1, ext(b, "rpy_sl_result_ptr", ll_gcref(), pos, NULL),
                            NULL, NULL);
            else
                in[i] = ext(b, sp_fmt("rpy_sl_result_%s", kind), v->lltype, pos, NULL);
        } else {
            in[i] = zero_of(v->lltype); /* Void */
        }
    }
    ext(b, "rpy_sl_resumed", &ll_void, pos, NULL);
    struct fg_link *l = fg_link_to(b, s->rest, NULL);
    for (int i = 0; i < n; i++)
        sp_vec_push(&l->args, in[i]);
    return b;
}

/* The new start: resuming or not; if resuming, which site. */
static void add_resume_entry(struct fg_graph *g, struct sp_vec *sites)
{
    struct fg_block *old = g->startblock, *start = fg_newblock(g);
    struct fg_link *normal = SP_NEW(struct fg_link);
    normal->prev = start;
    normal->target = old;
    normal->exitcase = typed(fg_const_bool(false), &ll_bool);
    for (int i = 0; i < old->inputargs.n; i++) {
        struct fg_value *c = copy_var(old->inputargs.v[i]);
        sp_vec_push(&start->inputargs, c);
        sp_vec_push(&normal->args, c);
    }
    struct fg_value *r = ext(start, "rpy_sl_is_resuming", &ll_bool, g->pos, NULL);
    start->exitswitch = r;
    sp_vec_push(&start->exits, normal);
    struct fg_block *d = fg_newblock(g);
    fg_link_to(start, d, typed(fg_const_bool(true), &ll_bool));
    struct fg_value *f = ext(d, "rpy_sl_resume_frame", ll_gcref(), g->pos, NULL);
    /* a chain of tests on the state; the last site needs none */
    for (int i = 0; i < sites->n; i++) {
        struct site *s = sites->v[i];
        struct fg_block *rb = resume_block(g, s);
        if (i == sites->n - 1) {
            sp_vec_push(&fg_link_to(d, rb, NULL)->args, f);
            break;
        }
        struct fg_value *base = add(d, OP_LL_CAST_PTR, frame_base(), g->pos, 1, f, NULL, NULL);
        struct fg_value *st = add(d, OP_LL_GETFIELD, &ll_signed, g->pos, 2, base, field(frame_base(), "state"), NULL);
        d->exitswitch = add(d, OP_LL_INT_EQ, &ll_bool, g->pos, 2, st, typed(fg_const_int(s->k), &ll_signed), NULL);
        struct fg_block *next = fg_newblock(g);
        struct fg_value *nf = typed(fg_newvar("frame"), ll_gcref());
        sp_vec_push(&next->inputargs, nf);
        sp_vec_push(&fg_link_to(d, next, typed(fg_const_bool(false), &ll_bool))->args, f);
        sp_vec_push(&fg_link_to(d, rb, typed(fg_const_bool(true), &ll_bool))->args, f);
        d = next;
        f = nf;
    }
    g->startblock = start;
}

static void transform_graph(struct rt_program *prog, struct fg_graph *g)
{
    struct fg_graph *resume = NULL;
    struct sp_vec blocks = {0}, sites = {0};
    fg_graph_blocks(g, &blocks);
    /* Blocks made by splitting are scanned in turn (they hold the rest). */
    for (int bi = 0; bi < blocks.n; bi++) {
        struct fg_block *b = blocks.v[bi];
        if (b->is_return || b->is_except)
            continue;
        for (int i = 0; i < b->ops.n; i++) {
            struct fg_op *op = b->ops.v[i];
            if (!unwinds(op))
                continue;
            if (!resume)
                resume = resume_graph(prog, g);
            struct fg_block *rest = fg_split_block(g, b, i + 1);
            sp_vec_push(&sites, instrument(g, b, op, rest, sites.n + 1, resume));
            sp_vec_push(&blocks, rest);
            break;
        }
    }
    if (sites.n)
        add_resume_entry(g, &sites);
}

/* A graph the runtime calls: a switch under it stops the program. */
static void guard_graph(struct fg_graph *g)
{
    struct sp_vec blocks = {0};
    fg_graph_blocks(g, &blocks);
    for (int bi = 0; bi < blocks.n; bi++) {
        struct fg_block *b = blocks.v[bi];
        for (int i = 0; i < b->ops.n; i++) {
            struct fg_op *op = b->ops.v[i];
            if (!unwinds(op))
                continue;
            struct fg_value *ef = ext(b, "rpy_sl_cannot_unwind", &ll_void, op->pos, NULL);
            (void)ef;
            /* move the check right after the call */
            struct fg_op *chk = b->ops.v[b->ops.n - 1];
            sp_vec_insert(&b->ops, i + 1, chk);
            b->ops.n--;
            i++;
        }
    }
}

static bool called_by_runtime(struct rt_program *prog, struct fg_graph *g)
{
    for (int i = 0; i < prog->classes.n; i++) {
        struct rt_classinfo *ci = prog->classes.v[i];
        struct fg_graph *ws[] = {ci->str, ci->repr, ci->eq, ci->ne, ci->lt, ci->le,
                                 ci->gt, ci->ge, ci->hash, ci->bool_, ci->len};
        for (size_t k = 0; k < sizeof ws / sizeof ws[0]; k++)
            if (ws[k] == g)
                return true;
    }
    return false;
}

void tf_transform_stackless(struct rt_program *prog)
{
    tf_compute_effects(prog);
    int n = prog->graphs.n; /* the resume graphs added are not rewritten */
    for (int i = 0; i < n; i++) {
        struct fg_graph *g = prog->graphs.v[i];
        if (!(g->effects & OPF_UNWIND))
            continue;
        if (called_by_runtime(prog, g)) {
            guard_graph(g);
            continue;
        }
        transform_graph(prog, g);
        prog->stackless = true;
    }
}
