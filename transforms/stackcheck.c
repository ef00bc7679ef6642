/* stackcheck.c - RecursionError instead of a crash.
 *
 * Requires: low-level graphs whose calls are direct_calls of graph
 * constants. Inserts `stack_check()` as the first op of every graph that
 * lies on a cycle of the call graph; only those can recurse without bound,
 * so every other function keeps zero cost. Finds the cycles with Tarjan's
 * strongly connected components over the direct_call edges.
 */
#include <string.h>

#include "transforms.h"

struct node {
    struct fg_graph *g;
    struct sp_vec callees; /* struct node* */
    int index, lowlink;
    bool on_stack, recursive, self_call;
};

static struct node *node_of(struct sp_vec *nodes, struct fg_graph *g)
{
    for (int i = 0; i < nodes->n; i++) {
        struct node *n = nodes->v[i];
        if (n->g == g)
            return n;
    }
    return NULL;
}

static void add_edge(struct sp_vec *nodes, struct node *n, struct fg_graph *g)
{
    struct node *callee = node_of(nodes, g);
    if (callee)
        sp_vec_push(&n->callees, callee);
    n->self_call |= callee == n;
}

static void collect_edges(struct sp_vec *nodes, struct node *n)
{
    struct sp_vec blocks = {0};
    fg_graph_blocks(n->g, &blocks);
    for (int i = 0; i < blocks.n; i++) {
        struct fg_block *b = blocks.v[i];
        for (int k = 0; k < b->ops.n; k++) {
            struct fg_op *op = b->ops.v[k];
            if (op->opcode == OP_LL_VCALL) {
                struct rt_tidtable *tab = op->args[0]->obj;
                for (int e = 0; e <= tab->hi - tab->lo; e++)
                    if (tab->entries[e])
                        add_edge(nodes, n, tab->entries[e]->obj);
            }
            if (op->opcode == OP_LL_DIRECT_CALL && op->args[0]->ckind == FG_C_GRAPH)
                add_edge(nodes, n, op->args[0]->obj);
        }
    }
}

static int counter;
static struct sp_vec stack;

static void strongconnect(struct node *v)
{
    v->index = v->lowlink = ++counter;
    sp_vec_push(&stack, v);
    v->on_stack = true;
    for (int i = 0; i < v->callees.n; i++) {
        struct node *w = v->callees.v[i];
        if (!w->index) {
            strongconnect(w);
            if (w->lowlink < v->lowlink)
                v->lowlink = w->lowlink;
        } else if (w->on_stack && w->index < v->lowlink) {
            v->lowlink = w->index;
        }
    }
    if (v->lowlink != v->index)
        return;
    /* v roots a component: more than one member, or a self call, recurses. */
    int start = stack.n;
    while (stack.v[start - 1] != v)
        start--;
    bool cycle = stack.n - start + 1 > 1 || v->self_call;
    for (int i = start - 1; i < stack.n; i++) {
        struct node *w = stack.v[i];
        w->on_stack = false;
        w->recursive = cycle;
    }
    stack.n = start - 1;
}

static void insert_check(struct fg_graph *g)
{
    struct fg_value *r = fg_newvar("v");
    r->lltype = &ll_void;
    struct fg_op *op = fg_newop(OP_LL_STACK_CHECK, NULL, 0, r, g->pos);
    sp_vec_insert(&g->startblock->ops, 0, op);
}

void tf_insert_stack_checks(struct rt_program *prog)
{
    struct sp_vec nodes = {0};
    for (int i = 0; i < prog->graphs.n; i++) {
        struct node *n = SP_NEW(struct node);
        n->g = prog->graphs.v[i];
        sp_vec_push(&nodes, n);
    }
    for (int i = 0; i < nodes.n; i++)
        collect_edges(&nodes, nodes.v[i]);
    counter = 0;
    stack.n = 0;
    for (int i = 0; i < nodes.n; i++)
        if (!((struct node *)nodes.v[i])->index)
            strongconnect(nodes.v[i]);
    for (int i = 0; i < nodes.n; i++) {
        struct node *n = nodes.v[i];
        if (n->recursive)
            insert_check(n->g);
    }
}
