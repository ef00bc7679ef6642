/* dce.c - dead operation removal.
 *
 * Requires: low-level graphs. Removes every op flagged OPF_PURE whose
 * result is used by no op, exitswitch or link of its block (values never
 * cross blocks except through links, so that is the whole use set), and
 * repeats until nothing changes, since removing one op can make the ops
 * feeding it dead. Keeps: everything else. Typical food: the same_as and
 * getfield ops the rtyper emits generically, and casts of unused values.
 */
#include "transforms.h"

static bool sweep_block(struct fg_block *b)
{
    bool changed = false;
    for (int i = b->ops.n - 1; i >= 0; i--) {
        struct fg_op *op = b->ops.v[i];
        if (!(fg_op_flags(op->opcode) & OPF_PURE) || fg_block_uses(b, op->result, i + 1))
            continue;
        for (int k = i; k + 1 < b->ops.n; k++)
            b->ops.v[k] = b->ops.v[k + 1];
        b->ops.n--;
        changed = true;
    }
    return changed;
}

void tf_remove_dead_ops(struct fg_graph *g)
{
    struct sp_vec blocks = {0};
    fg_graph_blocks(g, &blocks);
    for (int i = 0; i < blocks.n; i++)
        while (sweep_block(blocks.v[i]))
            ;
}
