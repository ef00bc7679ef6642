/* gcroots.c - precise roots for a moving collector, and write barriers.
 *
 * Requires: final low-level graphs; run last, after the exception
 * transform and the optimisations (fewer live pointers, fewer calls), and
 * with effects.c's g->effects computed. Nothing may run after it that
 * adds ops which collect or moves uses across ops that collect.
 *
 * Roots. The collector moves young objects, so a GC pointer held in a C
 * local across an op that can collect would be stale after it. For every
 * such op (malloc, a call of a graph that may collect, a runtime routine
 * marked C in rtyper/rtfuncs.h, a vcall whose table holds one), the
 * pointer values that are live across it - defined before it in its
 * block (a block input or an earlier op's result) and used after it (a
 * later op, the exitswitch, an exit link) - are pushed on the shadow
 * stack before the op:
 *
 *     gc_push_roots(p, q)            rpy_ss_top[0] = p; rpy_ss_top[1] = q; rpy_ss_top += 2;
 *     v = direct_call(f, ...)
 *     gc_pop_roots(2)                rpy_ss_top -= 2;
 *     p' = gc_reload(0)              p' = rpy_ss_top[0];
 *     q' = gc_reload(1)              q' = rpy_ss_top[1];
 *
 * and the rest of the block reads p', q'. Values only cross blocks through
 * links, so liveness is a scan of one block: no dataflow analysis.
 *
 * Write barriers. Before a setfield that stores a pointer into an object,
 * `gc_write_barrier(obj)`, unless obj was allocated by a malloc earlier in
 * the same block with no collecting op since (it is still young). The
 * runtime's routines put their own barriers.
 */
#include <string.h>

#include "transforms.h"

static bool is_gc_ptr(const struct fg_value *v)
{
    return v->kind == FG_VAR && v->lltype && v->lltype->kind == LL_PTR;
}

static bool collects(const struct fg_op *op) { return (tf_op_effects(op) & OPF_COLLECT) != 0; }

static struct fg_value *int_const(int64_t v)
{
    struct fg_value *c = fg_const_int(v);
    c->lltype = &ll_signed;
    return c;
}

static struct fg_op *new_op(enum fg_opcode opc, struct lltype *rtype, struct srcpos pos, int nargs,
                            struct fg_value **args)
{
    struct fg_value *r = fg_newvar("v");
    r->lltype = rtype;
    struct fg_value **a = sp_alloc(sizeof(struct fg_value *) * (size_t)(nargs + 1));
    for (int i = 0; i < nargs; i++)
        a[i] = args[i];
    return fg_newop(opc, a, nargs, r, pos);
}

/* The pointers defined before op i of b that are used after it. */
static void live_across(struct fg_block *b, int i, struct sp_vec *out)
{
    out->n = 0;
    for (int k = 0; k < b->inputargs.n; k++) {
        struct fg_value *v = b->inputargs.v[k];
        if (is_gc_ptr(v) && fg_block_uses(b, v, i + 1))
            sp_vec_push(out, v);
    }
    for (int k = 0; k < i; k++) {
        struct fg_value *v = ((struct fg_op *)b->ops.v[k])->result;
        if (is_gc_ptr(v) && fg_block_uses(b, v, i + 1))
            sp_vec_push(out, v);
    }
}

/* Saves the live values around op i; returns the index of the last op
 * inserted after it. */
static int root_op(struct fg_block *b, int i, struct sp_vec *live)
{
    struct fg_op *op = b->ops.v[i];
    int n = live->n;
    sp_vec_insert(&b->ops, i, new_op(OP_LL_GC_PUSH, &ll_void, op->pos, n, (struct fg_value **)live->v));
    i++; /* op */
    struct fg_value *count = int_const(n);
    sp_vec_insert(&b->ops, i + 1, new_op(OP_LL_GC_POP, &ll_void, op->pos, 1, &count));
    int at = i + 2;
    for (int k = 0; k < n; k++) {
        struct fg_value *old = live->v[k];
        struct fg_value *slot = int_const(k);
        struct fg_op *reload = new_op(OP_LL_GC_RELOAD, old->lltype, op->pos, 1, &slot);
        reload->result->name = old->name;
        sp_vec_insert(&b->ops, at, reload);
        fg_block_replace_uses(b, at + 1, old, reload->result);
        at++;
    }
    return at - 1;
}

static void add_roots(struct fg_block *b)
{
    struct sp_vec live = {0};
    for (int i = 0; i < b->ops.n; i++) {
        if (!collects(b->ops.v[i]))
            continue;
        live_across(b, i, &live);
        if (live.n)
            i = root_op(b, i, &live);
    }
}

/* ---- write barriers ---- */

static bool in_vec(struct sp_vec *v, void *x)
{
    for (int i = 0; i < v->n; i++)
        if (v->v[i] == x)
            return true;
    return false;
}

/* Does op store a GC pointer into an object? (setfield of a pointer
 * field; setitem_word into a tuple field of a pointer type) */
static bool stores_pointer(const struct fg_op *op)
{
    if (op->opcode != OP_LL_SETFIELD && op->opcode != OP_LL_SETITEM_WORD)
        return false;
    if (!is_gc_ptr(op->args[0]))
        return false;
    /* A constant (None, a prebuilt str) is never young: no barrier. */
    if (op->args[2]->kind == FG_CONST)
        return false;
    if (op->opcode == OP_LL_SETFIELD)
        return op->args[2]->lltype && op->args[2]->lltype->kind == LL_PTR;
    if (op->opcode == OP_LL_SETITEM_WORD) {
        struct lltype *t = op->args[0]->lltype;
        int64_t k = op->args[1]->kind == FG_CONST ? op->args[1]->ival : -1;
        return t->gc != LLG_TUPLE || k < 0 || k >= t->nitems || t->items[k]->kind == LL_PTR;
    }
    return false;
}

/* An op whose result is a new object (young until the next collection). */
static bool allocates_new(const struct fg_op *op)
{
    if (op->opcode == OP_LL_MALLOC)
        return true;
    if (op->opcode != OP_LL_DIRECT_CALL || op->args[0]->ckind != FG_C_EXTFUNC)
        return false;
    const char *f = ((struct fg_extfunc *)op->args[0]->obj)->cname;
    return !strcmp(f, "rpy_tuple_new") || !strcmp(f, "rpy_list_new") || !strcmp(f, "rpy_list_new_cap");
}

static void add_barriers(struct fg_block *b)
{
    struct sp_vec young = {0}; /* new objects since the last collecting op */
    for (int i = 0; i < b->ops.n; i++) {
        struct fg_op *op = b->ops.v[i];
        if (stores_pointer(op) && !in_vec(&young, op->args[0])) {
            struct fg_value *obj = op->args[0];
            sp_vec_insert(&b->ops, i, new_op(OP_LL_GC_WB, &ll_void, op->pos, 1, &obj));
            i++;
            continue;
        }
        if (allocates_new(op)) {
            /* the allocation may collect: older new ones may be old now */
            young.n = 0;
            sp_vec_push(&young, op->result);
        } else if (collects(op)) {
            young.n = 0;
        }
    }
}

void tf_insert_gc_roots(struct rt_program *prog)
{
    tf_compute_effects(prog);
    for (int i = 0; i < prog->graphs.n; i++) {
        struct sp_vec blocks = {0};
        fg_graph_blocks(prog->graphs.v[i], &blocks);
        for (int k = 0; k < blocks.n; k++) {
            struct fg_block *b = blocks.v[k];
            add_barriers(b);
            add_roots(b);
        }
    }
}
