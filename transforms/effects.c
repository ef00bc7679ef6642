/* effects.c - which graphs may raise and which may collect.
 *
 * Requires: low-level graphs. Sets g->effects for every graph of the
 * program: OPF_RAISE if calling it may raise (it has a raising op or a
 * link into its except block), OPF_COLLECT if calling it may run the
 * collector (an op that allocates, or a call of a graph that may). A call
 * is judged by its callee, a vcall by all the graphs of its table, a
 * runtime routine by its flags (rtyper/rtfuncs.h); other ops by their
 * opcode flags. The effects only grow, from none, until nothing changes:
 * recursive graphs get exactly what their cycle does.
 *
 * tf_op_effects answers for one op with the graphs' effects as known; the
 * exception and GC-roots transforms use it to skip checks and root saves
 * around calls that need none.
 */
#include "transforms.h"

unsigned tf_op_effects(const struct fg_op *op)
{
    unsigned f = fg_op_flags(op->opcode) & (OPF_RAISE | OPF_COLLECT);
    if (!f)
        return 0;
    switch (op->opcode) {
    case OP_LL_DIRECT_CALL:
        if (op->args[0]->ckind == FG_C_EXTFUNC)
            return ((struct fg_extfunc *)op->args[0]->obj)->flags & (OPF_RAISE | OPF_COLLECT);
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
    default:
        return f;
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
    for (bool changed = true; changed;) {
        changed = false;
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
