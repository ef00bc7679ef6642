/* effects.c - which graphs may raise, which may collect, which may unwind.
 *
 * Requires: low-level graphs. Sets g->effects for every graph of the
 * program: OPF_RAISE if calling it may raise (it has a raising op or a
 * link into its except block), OPF_COLLECT if calling it may run the
 * collector (an op that allocates, or a call of a graph that may),
 * OPF_UNWIND if calling it may switch coroutines (it calls a runtime
 * routine marked U, or a graph that may). A call is judged by its callee,
 * a vcall by all the graphs of its table, an indirect call by every graph
 * whose address is taken (a function object's adapter), a runtime
 * routine by its flags (rtyper/rtfuncs.h); other ops by their opcode
 * flags. The effects only grow, from none, until nothing changes:
 * recursive graphs get exactly what their cycle does.
 *
 * tf_op_effects answers for one op with the graphs' effects as known; the
 * exception and GC-roots transforms use it to skip checks and root saves
 * around calls that need none.
 */
#include "transforms.h"

#define EFFECTS (OPF_RAISE | OPF_COLLECT | OPF_UNWIND)

/* Whether some graph whose address is taken may unwind: then every
 * indirect call may. */
static bool indirect_unwinds;

unsigned tf_op_effects(const struct fg_op *op)
{
    unsigned f = fg_op_flags(op->opcode) & EFFECTS;
    if (!f)
        return 0;
    switch (op->opcode) {
    case OP_LL_DIRECT_CALL:
        if (op->args[0]->ckind == FG_C_EXTFUNC)
            return ((struct fg_extfunc *)op->args[0]->obj)->flags & EFFECTS;
        if (op->args[0]->ckind == FG_C_GRAPH)
            return ((struct fg_graph *)op->args[0]->obj)->effects;
        return f;
    case OP_LL_VCALL: {
        struct rt_tidtable *tab = op->args[0]->obj;
        unsigned e = 0;
        for (int i = 0; i <= tab->hi - tab->lo; i++)
            if (tab->entries[i])
                e |= ((struct fg_graph *)tab->entries[i]->obj)->effects;
        return e;
    }
    case OP_LL_INDIRECT_CALL:
        return f | (indirect_unwinds ? OPF_UNWIND : 0);
    default:
        return f;
    }
}

/* The graphs whose address is an operand (not a direct_call's callee),
 * and the adapters of prebuilt function objects. */
static void address_taken(struct rt_program *prog, struct sp_vec *out)
{
    for (int i = 0; i < prog->prebuilt_funcs.n; i++)
        sp_vec_push(out, ((struct rt_prebuilt_func *)prog->prebuilt_funcs.v[i])->adapter);
    struct sp_vec blocks = {0};
    for (int i = 0; i < prog->graphs.n; i++) {
        fg_graph_blocks(prog->graphs.v[i], &blocks);
        for (int b = 0; b < blocks.n; b++) {
            struct fg_block *blk = blocks.v[b];
            for (int k = 0; k < blk->ops.n; k++) {
                struct fg_op *op = blk->ops.v[k];
                for (int a = op->opcode == OP_LL_DIRECT_CALL ? 1 : 0; a < op->nargs; a++)
                    if (op->args[a]->kind == FG_CONST && op->args[a]->ckind == FG_C_GRAPH)
                        sp_vec_push(out, op->args[a]->obj);
            }
        }
    }
}

static unsigned scan(struct fg_graph *g)
{
    struct sp_vec blocks = {0};
    fg_graph_blocks(g, &blocks);
    unsigned e = 0;
    for (int i = 0; i < blocks.n; i++) {
        struct fg_block *b = blocks.v[i];
        for (int k = 0; k < b->exits.n; k++)
            if (((struct fg_link *)b->exits.v[k])->target == g->exceptblock)
                e |= OPF_RAISE;
        for (int k = 0; k < b->ops.n; k++)
            e |= tf_op_effects(b->ops.v[k]);
    }
    return e;
}

void tf_compute_effects(struct rt_program *prog)
{
    for (int i = 0; i < prog->graphs.n; i++)
        ((struct fg_graph *)prog->graphs.v[i])->effects = 0;
    struct sp_vec taken = {0};
    address_taken(prog, &taken);
    indirect_unwinds = false;
    for (bool changed = true; changed;) {
        changed = false;
        for (int i = 0; i < taken.n && !indirect_unwinds; i++)
            if (((struct fg_graph *)taken.v[i])->effects & OPF_UNWIND)
                changed = indirect_unwinds = true;
        for (int i = 0; i < prog->graphs.n; i++) {
            struct fg_graph *g = prog->graphs.v[i];
            unsigned e = g->effects | scan(g);
            if (e != g->effects) {
                g->effects = e;
                changed = true;
            }
        }
    }
}
