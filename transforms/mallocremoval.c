/* mallocremoval.c - objects that do not escape become local variables.
 *
 * Requires: low-level graphs. For each `p = malloc(T)` it finds the family
 * of variables that can hold p: p itself and every block input that links
 * pass a family member to. The object is virtual if every use of every
 * family member is the object operand of a getfield or setfield, and
 * every input in the family receives family members only (so no other
 * object can reach those uses). A virtual object's fields become
 * variables: the malloc goes, setfield updates the current value of a
 * field, getfield becomes a copy of it, and links carry the fields where
 * they carried the pointer. Typical food: range objects and iterators of
 * for-loops, small instances used locally.
 * Breaks: nothing; leaves same_as copies for copyprop.c.
 */
#include <string.h>

#include "transforms.h"

/* ---- fields of a struct, parents included ---- */

static void flat_fields(struct lltype *t, struct sp_vec *out)
{
    if (t->parent)
        flat_fields(t->parent, out);
    for (int i = 0; i < t->fields.n; i++)
        sp_vec_push(out, t->fields.v[i]);
}

static int field_index(struct sp_vec *fields, const char *name)
{
    for (int i = 0; i < fields->n; i++)
        if (strcmp(((struct ll_field *)fields->v[i])->name, name) == 0)
            return i;
    return -1;
}

static struct fg_value *zero_of(struct lltype *t)
{
    struct fg_value *c;
    switch (t->kind) {
    case LL_FLOAT: c = fg_const_float(0.0); break;
    case LL_BOOL: c = fg_const_bool(false); break;
    case LL_PTR: case LL_VOID: c = fg_const_none(); break;
    default: c = fg_const_int(0); break;
    }
    c->lltype = t;
    return c;
}

/* ---- the family of a malloc ---- */

static bool in(struct sp_vec *set, void *x)
{
    for (int i = 0; i < set->n; i++)
        if (set->v[i] == x)
            return true;
    return false;
}

static void grow_family(struct sp_vec *blocks, struct sp_vec *family)
{
    bool changed = true;
    while (changed) {
        changed = false;
        for (int i = 0; i < blocks->n; i++) {
            struct fg_block *b = blocks->v[i];
            for (int e = 0; e < b->exits.n; e++) {
                struct fg_link *l = b->exits.v[e];
                for (int k = 0; k < l->args.n; k++) {
                    struct fg_value *in_var = l->target->inputargs.v[k];
                    if (in(family, l->args.v[k]) && !in(family, in_var)) {
                        sp_vec_push(family, in_var);
                        changed = true;
                    }
                }
            }
        }
    }
}

static bool only_field_uses(struct fg_block *b, struct sp_vec *family)
{
    for (int k = 0; k < b->ops.n; k++) {
        struct fg_op *op = b->ops.v[k];
        for (int a = 0; a < op->nargs; a++) {
            if (!in(family, op->args[a]))
                continue;
            bool ok = a == 0 && (op->opcode == OP_LL_GETFIELD || op->opcode == OP_LL_SETFIELD);
            if (!ok)
                return false;
        }
    }
    if (in(family, b->exitswitch))
        return false;
    for (int e = 0; e < b->exits.n; e++) {
        struct fg_link *l = b->exits.v[e];
        for (int k = 0; k < l->args.n; k++) {
            bool arg_in = in(family, l->args.v[k]), target_in = in(family, l->target->inputargs.v[k]);
            if (arg_in != target_in || (arg_in && (l->target->is_return || l->target->is_except)))
                return false;
        }
    }
    return true;
}

static bool is_virtualizable(struct sp_vec *blocks, struct sp_vec *family)
{
    for (int i = 0; i < blocks->n; i++)
        if (!only_field_uses(blocks->v[i], family))
            return false;
    return true;
}

/* ---- rewriting ---- */

/* Current field values of each family variable live in the block. */
struct vstate {
    struct fg_value *var;
    struct fg_value **fields;
};

static struct vstate *state_of(struct sp_vec *states, struct fg_value *v)
{
    for (int i = 0; i < states->n; i++) {
        struct vstate *s = states->v[i];
        if (s->var == v)
            return s;
    }
    return NULL;
}

static struct vstate *new_state(struct sp_vec *states, struct fg_value *var, int nfields)
{
    struct vstate *s = SP_NEW(struct vstate);
    s->var = var;
    s->fields = sp_alloc(sizeof(struct fg_value *) * (size_t)(nfields + 1));
    sp_vec_push(states, s);
    return s;
}

static void rewrite_inputs(struct fg_block *b, struct sp_vec *family, struct sp_vec *fields, struct sp_vec *states)
{
    struct sp_vec inputs = {0};
    for (int i = 0; i < b->inputargs.n; i++) {
        struct fg_value *v = b->inputargs.v[i];
        if (!in(family, v)) {
            sp_vec_push(&inputs, v);
            continue;
        }
        struct vstate *s = new_state(states, v, fields->n);
        for (int f = 0; f < fields->n; f++) {
            struct ll_field *fd = fields->v[f];
            s->fields[f] = fg_newvar(fd->name);
            s->fields[f]->lltype = fd->type;
            sp_vec_push(&inputs, s->fields[f]);
        }
    }
    b->inputargs = inputs;
}

static void rewrite_ops(struct fg_block *b, struct fg_op *malloc_op, struct sp_vec *fields, struct sp_vec *states)
{
    int n = 0;
    for (int k = 0; k < b->ops.n; k++) {
        struct fg_op *op = b->ops.v[k];
        if (op == malloc_op) {
            struct vstate *s = new_state(states, op->result, fields->n);
            for (int f = 0; f < fields->n; f++)
                s->fields[f] = zero_of(((struct ll_field *)fields->v[f])->type);
            continue;
        }
        struct vstate *s = op->nargs ? state_of(states, op->args[0]) : NULL;
        if (s && op->opcode == OP_LL_SETFIELD) {
            s->fields[field_index(fields, op->args[1]->str)] = op->args[2];
            continue;
        }
        if (s && op->opcode == OP_LL_GETFIELD) {
            struct fg_value *cur = s->fields[field_index(fields, op->args[1]->str)];
            struct fg_value **a = sp_alloc(sizeof(struct fg_value *));
            a[0] = cur;
            op->opcode = OP_LL_SAME_AS;
            op->args = a;
            op->nargs = 1;
        }
        b->ops.v[n++] = op;
    }
    b->ops.n = n;
}

static void rewrite_links(struct fg_block *b, struct sp_vec *fields, struct sp_vec *states)
{
    for (int e = 0; e < b->exits.n; e++) {
        struct fg_link *l = b->exits.v[e];
        struct sp_vec args = {0};
        for (int k = 0; k < l->args.n; k++) {
            struct vstate *s = state_of(states, l->args.v[k]);
            if (!s) {
                sp_vec_push(&args, l->args.v[k]);
                continue;
            }
            for (int f = 0; f < fields->n; f++)
                sp_vec_push(&args, s->fields[f]);
        }
        l->args = args;
    }
}

static void virtualize(struct sp_vec *blocks, struct fg_op *malloc_op, struct sp_vec *family)
{
    struct sp_vec fields = {0};
    flat_fields(malloc_op->args[0]->obj, &fields);
    for (int i = 0; i < blocks->n; i++) {
        struct fg_block *b = blocks->v[i];
        struct sp_vec states = {0};
        rewrite_inputs(b, family, &fields, &states);
        rewrite_ops(b, malloc_op, &fields, &states);
        rewrite_links(b, &fields, &states);
    }
}

/* One malloc removed per call; returns false when none is left. */
static bool remove_one(struct fg_graph *g, struct sp_vec *blocks, struct sp_vec *refused)
{
    for (int i = 0; i < blocks->n; i++) {
        struct fg_block *b = blocks->v[i];
        for (int k = 0; k < b->ops.n; k++) {
            struct fg_op *op = b->ops.v[k];
            if (op->opcode != OP_LL_MALLOC || in(refused, op))
                continue;
            struct lltype *t = op->args[0]->obj;
            if (t->kind != LL_PTR || t->gc != LLG_STRUCT) {
                sp_vec_push(refused, op);
                continue;
            }
            struct sp_vec family = {0};
            sp_vec_push(&family, op->result);
            grow_family(blocks, &family);
            if (!is_virtualizable(blocks, &family)) {
                sp_vec_push(refused, op);
                continue;
            }
            virtualize(blocks, op, &family);
            return true;
        }
    }
    (void)g;
    return false;
}

void tf_remove_mallocs(struct fg_graph *g)
{
    struct sp_vec blocks = {0}, refused = {0};
    fg_graph_blocks(g, &blocks);
    while (remove_one(g, &blocks, &refused))
        ;
}
