/* simplify.c - from the builder's naive graph to tidy SSI.
 *
 * Requires a graph that passes checkgraph. The builder makes every block
 * take every local (and pending temporary) as input, and makes many small
 * blocks; this pass makes the graph look hand-written without changing
 * what it computes:
 *   1. join: a block whose only predecessor reaches it by a single
 *      unconditional link is appended to that predecessor (its inputs
 *      renamed to the link's arguments);
 *   2. forward: an empty block that only passes its inputs on (no ops, one
 *      unconditional exit) is bypassed: its predecessors link straight to
 *      its target;
 *   (1 and 2 repeat until nothing changes; unreachable blocks disappear on
 *   the way, since fg_graph_blocks only sees reachable ones)
 *   3. constants: an input that receives the same constant on every path
 *      (optimistically, around loops too) is replaced by that constant
 *      (a literal pushed as a temporary, a local still <undefined>);
 *   4. dead inputs: an input is live if an op or the exitswitch of its
 *      block uses it, or a link passes it to a live input (the return and
 *      except blocks' inputs are always live); the others are removed with
 *      the link arguments that fed them. The start block keeps its inputs:
 *      they are the parameters.
 * Keeps checkgraph's rules; never moves or removes an operation.
 */
#include "internal.h"

#include <string.h>

/* ---- predecessors ---- */

/* Links into each block (by block id), from reachable blocks only. */
static struct sp_vec *incoming_links(struct fg_graph *g, struct sp_vec *blocks)
{
    struct sp_vec *in = sp_alloc(sizeof(struct sp_vec) * (size_t)(g->nblocks + 1));
    for (int i = 0; i < blocks->n; i++) {
        struct fg_block *b = blocks->v[i];
        for (int k = 0; k < b->exits.n; k++) {
            struct fg_link *l = b->exits.v[k];
            sp_vec_push(&in[l->target->id], l);
        }
    }
    return in;
}

static struct fg_value *renamed(struct fg_ptrmap *map, struct fg_value *v)
{
    struct fg_value *r = v ? fg_ptrmap_get(map, v) : NULL;
    return r ? r : v;
}

static void rename_link(struct fg_ptrmap *map, struct fg_link *l)
{
    for (int i = 0; i < l->args.n; i++)
        l->args.v[i] = renamed(map, l->args.v[i]);
}

/* ---- 1. join straight-line chains ---- */

static bool can_join(struct fg_graph *g, struct fg_block *a, struct sp_vec *in)
{
    if (a->exitswitch || a->exits.n != 1 || a->is_return || a->is_except)
        return false;
    struct fg_block *b = ((struct fg_link *)a->exits.v[0])->target;
    return b != a && b != g->startblock && !b->is_return && !b->is_except && in[b->id].n == 1;
}

/* Append b (a's only successor, of which a is the only predecessor) to a. */
static void join(struct fg_block *a, struct sp_vec *in)
{
    struct fg_link *l = a->exits.v[0];
    struct fg_block *b = l->target;
    struct fg_ptrmap map = {0};
    for (int i = 0; i < b->inputargs.n; i++)
        fg_ptrmap_put(&map, b->inputargs.v[i], l->args.v[i]);
    for (int k = 0; k < b->ops.n; k++) {
        struct fg_op *op = b->ops.v[k];
        for (int j = 0; j < op->nargs; j++)
            op->args[j] = renamed(&map, op->args[j]);
        fg_block_addop(a, op);
    }
    a->exitswitch = b->exitswitch == fg_last_exception ? b->exitswitch : renamed(&map, b->exitswitch);
    a->exits = b->exits;
    for (int k = 0; k < a->exits.n; k++) {
        struct fg_link *out = a->exits.v[k];
        rename_link(&map, out);
        out->prev = a;
    }
    /* a now stands where b was: b's successors keep one predecessor each */
    in[b->id].n = 0;
    b->exits = (struct sp_vec){0};
}

static bool join_chains(struct fg_graph *g, struct sp_vec *blocks, struct sp_vec *in)
{
    bool changed = false;
    for (int i = 0; i < blocks->n; i++) {
        struct fg_block *a = blocks->v[i];
        while (can_join(g, a, in)) {
            join(a, in);
            changed = true;
        }
    }
    return changed;
}

/* ---- 2. bypass forwarding blocks ---- */

static bool is_forwarder(struct fg_graph *g, struct fg_block *f)
{
    if (f == g->startblock || f->is_return || f->is_except || f->ops.n || f->exitswitch || f->exits.n != 1)
        return false;
    return ((struct fg_link *)f->exits.v[0])->target != f;
}

static void bypass(struct fg_block *f, struct sp_vec *in)
{
    struct fg_link *out = f->exits.v[0];
    struct fg_ptrmap map = {0};
    struct sp_vec preds = in[f->id];
    in[f->id] = (struct sp_vec){0};
    for (int p = 0; p < preds.n; p++) {
        struct fg_link *l = preds.v[p];
        map = (struct fg_ptrmap){0};
        for (int i = 0; i < f->inputargs.n; i++)
            fg_ptrmap_put(&map, f->inputargs.v[i], l->args.v[i]);
        struct sp_vec args = {0};
        for (int i = 0; i < out->args.n; i++)
            sp_vec_push(&args, renamed(&map, out->args.v[i]));
        l->args = args;
        l->target = out->target;
        sp_vec_push(&in[out->target->id], l);
    }
}

static bool bypass_forwarders(struct fg_graph *g, struct sp_vec *blocks, struct sp_vec *in)
{
    bool changed = false;
    for (int i = 0; i < blocks->n; i++) {
        struct fg_block *f = blocks->v[i];
        if (in[f->id].n && is_forwarder(g, f) && ((struct fg_link *)f->exits.v[0])->target != f) {
            bypass(f, in);
            changed = true;
        }
    }
    return changed;
}

/* ---- 3. constant inputs ---- */

static bool same_const(struct fg_value *a, struct fg_value *b)
{
    if (a == b)
        return true;
    if (a->ckind != b->ckind || a->lltype != b->lltype)
        return false;
    switch (a->ckind) {
    case FG_C_NONE: case FG_C_UNDEFINED: return true;
    case FG_C_INT: case FG_C_BOOL: return a->ival == b->ival;
    case FG_C_FLOAT: return memcmp(&a->fval, &b->fval, sizeof a->fval) == 0;
    case FG_C_STR: return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
    case FG_C_BUILTIN: return a->str == b->str;
    case FG_C_TUPLE: return false; /* not worth comparing */
    default: return a->obj == b->obj;
    }
}

/* Lattice per input variable: absent = not known yet (top), a constant,
 * or BOTTOM (varies). */
static struct fg_value bottom_marker;
#define BOTTOM (&bottom_marker)

static struct fg_value *meet(struct fg_value *a, struct fg_value *b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    if (a == BOTTOM || b == BOTTOM || !same_const(a, b))
        return BOTTOM;
    return a;
}

/* What a link argument is known to be: its constant, the state of the
 * input it is, or BOTTOM for an op result. */
static struct fg_value *arg_state(struct fg_ptrmap *state, struct fg_ptrmap *isinput, struct fg_value *v)
{
    if (v->kind == FG_CONST)
        return v;
    if (!fg_ptrmap_has(isinput, v))
        return BOTTOM;
    return fg_ptrmap_get(state, v);
}

static bool update_block(struct fg_block *b, struct sp_vec *in, struct fg_ptrmap *state, struct fg_ptrmap *isinput)
{
    bool changed = false;
    for (int i = 0; i < b->inputargs.n; i++) {
        struct fg_value *v = b->inputargs.v[i], *old = fg_ptrmap_get(state, v), *now = NULL;
        if (old == BOTTOM)
            continue;
        for (int k = 0; k < in[b->id].n; k++)
            now = meet(now, arg_state(state, isinput, ((struct fg_link *)in[b->id].v[k])->args.v[i]));
        if (b->exitswitch == v)
            now = BOTTOM;
        if (now != old) {
            fg_ptrmap_put(state, v, now);
            changed = true;
        }
    }
    return changed;
}

static void replace_consts(struct fg_block *b, struct fg_ptrmap *state)
{
    struct fg_ptrmap map = {0};
    for (int i = 0; i < b->inputargs.n; i++) {
        struct fg_value *c = fg_ptrmap_get(state, b->inputargs.v[i]);
        if (c && c != BOTTOM)
            fg_ptrmap_put(&map, b->inputargs.v[i], c);
    }
    if (!map.n)
        return;
    for (int k = 0; k < b->ops.n; k++) {
        struct fg_op *op = b->ops.v[k];
        for (int j = 0; j < op->nargs; j++)
            op->args[j] = renamed(&map, op->args[j]);
    }
    for (int k = 0; k < b->exits.n; k++)
        rename_link(&map, b->exits.v[k]);
}

static void propagate_consts(struct fg_graph *g, struct sp_vec *blocks, struct sp_vec *in)
{
    struct fg_ptrmap state = {0}, isinput = {0};
    for (int i = 0; i < blocks->n; i++) {
        struct fg_block *b = blocks->v[i];
        for (int k = 0; k < b->inputargs.n; k++) {
            fg_ptrmap_put(&isinput, b->inputargs.v[k], b);
            if (b == g->startblock || b->is_return || b->is_except)
                fg_ptrmap_put(&state, b->inputargs.v[k], BOTTOM);
        }
    }
    struct sp_vec work = {0};
    for (int i = blocks->n - 1; i >= 0; i--)
        sp_vec_push(&work, blocks->v[i]);
    while (work.n) {
        struct fg_block *b = sp_vec_pop(&work);
        if (!update_block(b, in, &state, &isinput))
            continue;
        for (int k = 0; k < b->exits.n; k++)
            sp_vec_push(&work, ((struct fg_link *)b->exits.v[k])->target);
    }
    for (int i = 0; i < blocks->n; i++)
        replace_consts(blocks->v[i], &state);
}

/* ---- 4. dead inputs ---- */

struct liveness {
    struct fg_ptrmap live;     /* var -> non-NULL */
    struct fg_ptrmap inputpos; /* input var -> its block */
    struct fg_ptrmap inputidx; /* input var -> its index + 1 */
    struct sp_vec work;        /* live input vars to propagate */
};

static void mark(struct liveness *lv, struct fg_value *v)
{
    if (!v || v->kind != FG_VAR || v == fg_last_exception || fg_ptrmap_has(&lv->live, v))
        return;
    fg_ptrmap_put(&lv->live, v, (void *)1);
    if (fg_ptrmap_has(&lv->inputpos, v))
        sp_vec_push(&lv->work, v);
}


static void compute_liveness(struct liveness *lv, struct sp_vec *blocks, struct sp_vec *in)
{
    for (int i = 0; i < blocks->n; i++) {
        struct fg_block *b = blocks->v[i];
        for (int k = 0; k < b->inputargs.n; k++) {
            fg_ptrmap_put(&lv->inputpos, b->inputargs.v[k], b);
            fg_ptrmap_put(&lv->inputidx, b->inputargs.v[k], (void *)(intptr_t)(k + 1));
        }
    }
    for (int i = 0; i < blocks->n; i++) {
        struct fg_block *b = blocks->v[i];
        for (int k = 0; k < b->ops.n; k++) {
            struct fg_op *op = b->ops.v[k];
            for (int j = 0; j < op->nargs; j++)
                mark(lv, op->args[j]);
        }
        mark(lv, b->exitswitch);
        if (b->is_return || b->is_except)
            for (int k = 0; k < b->inputargs.n; k++)
                mark(lv, b->inputargs.v[k]);
    }
    while (lv->work.n) {
        struct fg_value *v = sp_vec_pop(&lv->work);
        struct fg_block *b = fg_ptrmap_get(&lv->inputpos, v);
        int idx = (int)(intptr_t)fg_ptrmap_get(&lv->inputidx, v) - 1;
        struct sp_vec *links = &in[b->id];
        for (int k = 0; k < links->n; k++)
            mark(lv, ((struct fg_link *)links->v[k])->args.v[idx]);
    }
}

static void drop_dead_inputs(struct fg_graph *g, struct sp_vec *blocks, struct sp_vec *in)
{
    struct liveness lv = {0};
    compute_liveness(&lv, blocks, in);
    for (int i = 0; i < blocks->n; i++) {
        struct fg_block *b = blocks->v[i];
        if (b == g->startblock || b->is_return || b->is_except)
            continue;
        struct sp_vec *links = &in[b->id];
        int n = 0;
        for (int k = 0; k < b->inputargs.n; k++) {
            if (!fg_ptrmap_has(&lv.live, b->inputargs.v[k]))
                continue;
            for (int p = 0; p < links->n; p++) {
                struct fg_link *l = links->v[p];
                l->args.v[n] = l->args.v[k];
            }
            b->inputargs.v[n++] = b->inputargs.v[k];
        }
        b->inputargs.n = n;
        for (int p = 0; p < links->n; p++)
            ((struct fg_link *)links->v[p])->args.n = n;
    }
}

/* ---- driver ---- */

void fg_simplify(struct fg_graph *g)
{
    struct sp_vec blocks = {0};
    struct sp_vec *in;
    for (;;) {
        fg_graph_blocks(g, &blocks);
        in = incoming_links(g, &blocks);
        bool changed = join_chains(g, &blocks, in);
        if (changed) {
            fg_graph_blocks(g, &blocks);
            in = incoming_links(g, &blocks);
        }
        changed |= bypass_forwarders(g, &blocks, in);
        if (!changed)
            break;
    }
    propagate_consts(g, &blocks, in);
    drop_dead_inputs(g, &blocks, in);
}
