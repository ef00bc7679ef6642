/* copyprop.c - copy propagation: removes `x = same_as(y)`.
 *
 * Requires: low-level graphs. Since a variable is used only in the block
 * that defines it, replacing x by y in the rest of the block (later ops,
 * the exitswitch, the exit links) removes every use, and the op goes.
 * Keeps: same_as whose result is a block input of its own block (cannot
 * happen in SSI form, checked by checkgraph anyway).
 */
#include "transforms.h"

/* A switch on a value that turned out constant keeps only the exit the
 * constant selects. Returns false if no exit matches (left alone). */
static bool fold_switch(struct fg_block *b, struct fg_value *c)
{
    for (int i = 0; i < b->exits.n; i++) {
        struct fg_link *l = b->exits.v[i];
        if (l->exitcase && l->exitcase->ival == c->ival) {
            l->exitcase = NULL;
            b->exits.v[0] = l;
            b->exits.n = 1;
            b->exitswitch = NULL;
            return true;
        }
    }
    return false;
}

static void propagate_block(struct fg_block *b)
{
    int n = 0;
    for (int i = 0; i < b->ops.n; i++) {
        struct fg_op *op = b->ops.v[i];
        bool copy = op->opcode == OP_LL_SAME_AS && op->result->lltype == op->args[0]->lltype;
        if (copy && b->exitswitch == op->result && op->args[0]->kind == FG_CONST &&
            !fold_switch(b, op->args[0]))
            copy = false;
        if (copy) {
            fg_block_replace_uses(b, i + 1, op->result, op->args[0]);
            continue;
        }
        b->ops.v[n++] = op;
    }
    b->ops.n = n;
}

void tf_propagate_copies(struct fg_graph *g)
{
    struct sp_vec blocks = {0};
    fg_graph_blocks(g, &blocks);
    for (int i = 0; i < blocks.n; i++)
        propagate_block(blocks.v[i]);
}
