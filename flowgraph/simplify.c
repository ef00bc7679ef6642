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
    fg_ptrmap_reserve(&map, (size_t)b->inputargs.n);
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
        fg_ptrmap_reserve(&map, (size_t)f->inputargs.n);
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

/* Passes 3 and 4 keep what they know about each block input here. */
struct input {
    struct fg_block *block;
    int index;
    struct fg_value *state; /* pass 3: NULL (not known yet), a constant, or BOTTOM */
    bool live;              /* pass 4 */
};

static struct fg_ptrmap index_inputs(struct sp_vec *blocks)
{
    size_t n = 0;
    for (int i = 0; i < blocks->n; i++)
        n += (size_t)((struct fg_block *)blocks->v[i])->inputargs.n;
    struct fg_ptrmap inputs = {0};
    fg_ptrmap_reserve(&inputs, n);
    struct input *info = sp_alloc(sizeof(struct input) * (n + 1));
    for (int i = 0; i < blocks->n; i++) {
        struct fg_block *b = blocks->v[i];
        for (int k = 0; k < b->inputargs.n; k++, info++) {
            info->block = b;
            info->index = k;
            fg_ptrmap_put(&inputs, b->inputargs.v[k], info);
        }
    }
    return inputs;
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
 * input it is, or BOTTOM for an op result or an exception variable. */
static struct fg_value *arg_state(struct fg_ptrmap *inputs, struct fg_value *v)
{
    if (v->kind == FG_CONST)
        return v;
    struct input *in = fg_ptrmap_get(inputs, v);
    return in ? in->state : BOTTOM;
}

static bool update_block(struct fg_block *b, struct sp_vec *in, struct fg_ptrmap *inputs)
{
    bool changed = false;
    for (int i = 0; i < b->inputargs.n; i++) {
        struct input *info = fg_ptrmap_get(inputs, b->inputargs.v[i]);
        struct fg_value *now = NULL;
        if (info->state == BOTTOM)
            continue;
        for (int k = 0; k < in[b->id].n && now != BOTTOM; k++)
            now = meet(now, arg_state(inputs, ((struct fg_link *)in[b->id].v[k])->args.v[i]));
        if (b->exitswitch == b->inputargs.v[i])
            now = BOTTOM;
        if (now != info->state) {
            info->state = now;
            changed = true;
        }
    }
    return changed;
}

static void replace_consts(struct fg_block *b, struct fg_ptrmap *inputs)
{
    struct fg_ptrmap map = {0};
    for (int i = 0; i < b->inputargs.n; i++) {
        struct input *info = fg_ptrmap_get(inputs, b->inputargs.v[i]);
        if (info->state && info->state != BOTTOM)
            fg_ptrmap_put(&map, b->inputargs.v[i], info->state);
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

/* Optimistic: every input starts unknown and only goes down, so a loop
 * that passes a constant around keeps it. */
static void propagate_consts(struct fg_graph *g, struct sp_vec *blocks, struct sp_vec *in, struct fg_ptrmap *inputs)
{
    for (int i = 0; i < blocks->n; i++) {
        struct fg_block *b = blocks->v[i];
        if (b == g->startblock || b->is_return || b->is_except)
            for (int k = 0; k < b->inputargs.n; k++)
                ((struct input *)fg_ptrmap_get(inputs, b->inputargs.v[k]))->state = BOTTOM;
    }
    struct sp_vec work = {0};
    for (int i = blocks->n - 1; i >= 0; i--)
        sp_vec_push(&work, blocks->v[i]);
    while (work.n) {
        struct fg_block *b = sp_vec_pop(&work);
        if (!update_block(b, in, inputs))
            continue;
        for (int k = 0; k < b->exits.n; k++)
            sp_vec_push(&work, ((struct fg_link *)b->exits.v[k])->target);
    }
    for (int i = 0; i < blocks->n; i++)
        replace_consts(blocks->v[i], inputs);
}

/* ---- 4. dead inputs ---- */

static void mark(struct fg_ptrmap *inputs, struct sp_vec *work, struct fg_value *v)
{
    struct input *info = v && v->kind == FG_VAR ? fg_ptrmap_get(inputs, v) : NULL;
    if (!info || info->live)
        return;
    info->live = true;
    sp_vec_push(work, info);
}

static void compute_liveness(struct sp_vec *blocks, struct sp_vec *in, struct fg_ptrmap *inputs)
{
    struct sp_vec work = {0};
    for (int i = 0; i < blocks->n; i++) {
        struct fg_block *b = blocks->v[i];
        for (int k = 0; k < b->ops.n; k++) {
            struct fg_op *op = b->ops.v[k];
            for (int j = 0; j < op->nargs; j++)
                mark(inputs, &work, op->args[j]);
        }
        mark(inputs, &work, b->exitswitch);
        if (b->is_return || b->is_except)
            for (int k = 0; k < b->inputargs.n; k++)
                mark(inputs, &work, b->inputargs.v[k]);
    }
    while (work.n) {
        struct input *info = sp_vec_pop(&work);
        struct sp_vec *links = &in[info->block->id];
        for (int k = 0; k < links->n; k++)
            mark(inputs, &work, ((struct fg_link *)links->v[k])->args.v[info->index]);
    }
}

static void drop_dead_inputs(struct fg_graph *g, struct sp_vec *blocks, struct sp_vec *in, struct fg_ptrmap *inputs)
{
    compute_liveness(blocks, in, inputs);
    for (int i = 0; i < blocks->n; i++) {
        struct fg_block *b = blocks->v[i];
        if (b == g->startblock || b->is_return || b->is_except)
            continue;
        struct sp_vec *links = &in[b->id];
        int n = 0;
        for (int k = 0; k < b->inputargs.n; k++) {
            if (!((struct input *)fg_ptrmap_get(inputs, b->inputargs.v[k]))->live)
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
    struct fg_ptrmap inputs = index_inputs(&blocks);
    propagate_consts(g, &blocks, in, &inputs);
    drop_dead_inputs(g, &blocks, in, &inputs);
}
