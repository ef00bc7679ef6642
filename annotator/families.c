/* families.c - function values and their call families.
 *
 * A function that is one known constant everywhere stays a constant (a
 * PBC): its calls are direct. Where different functions meet (a variable,
 * a list item, a dict value, an attribute), or where the value is made at
 * run time (a closure, a bound method), the value is an ANN_FUNC: one of
 * the descriptions of a call family. As in RPython, all the values that
 * can meet share one signature: a call through any of them is annotated as
 * a call of every description in the family with the union of all the
 * family's call arguments, and returns the union of their results. The
 * rtyper then represents every such value as a function object (an
 * adapter of that signature and an environment) and calls it indirectly.
 *
 * Requires the model (model.c) and the fixpoint (annotator.c): a family
 * that grows (a new description, wider arguments or result) re-flows the
 * blocks that call through it.
 */
#include "internal.h"

static struct sp_vec families; /* ann_family*: every family ever made */
static struct sp_vec bound_descs;

struct ann_family *ann_family(struct ann_family *f)
{
    while (f->merged)
        f = f->merged;
    return f;
}

void ann_all_families(struct sp_vec *out)
{
    out->n = 0;
    for (int i = 0; i < families.n; i++) {
        struct ann_family *f = families.v[i];
        if (!f->merged)
            sp_vec_push(out, f);
    }
}

static struct ann_desc *new_desc(enum ann_desc_kind kind)
{
    static int next_id;
    struct ann_desc *d = SP_NEW(struct ann_desc);
    d->kind = kind;
    d->id = next_id++;
    struct ann_family *fam = SP_NEW(struct ann_family);
    fam->nargs = -1;
    fam->result = ann_impossible();
    fam->id = families.n;
    sp_vec_push(&families, fam);
    sp_vec_push(&fam->descs, d);
    d->fam = fam;
    return d;
}

struct ann_desc *ann_func_desc(struct fg_func *f)
{
    struct ann_funcinfo *fi = ann_funcinfo(f);
    if (fi->original)
        f = fi->original, fi = ann_funcinfo(f);
    if (!fi->desc) {
        fi->desc = new_desc(f->closure ? ANN_DESC_CLOSURE : ANN_DESC_FUNC);
        fi->desc->func = f;
    }
    return fi->desc;
}

struct ann_desc *ann_desc_of_func(struct fg_func *f)
{
    struct ann_funcinfo *fi = f->aux;
    if (fi && fi->original)
        fi = fi->original->aux;
    return fi ? fi->desc : NULL;
}

struct ann_desc *ann_bound_desc(struct ann_classdef *cd, const char *name)
{
    /* One description per method name and class tree: receivers of
     * subclasses join the same one (their union is a base class). */
    struct ann_classdef *root = cd;
    while (root->base)
        root = root->base;
    for (int i = 0; i < bound_descs.n; i++) {
        struct ann_desc *d = bound_descs.v[i];
        if (d->cls == root && d->method == name)
            return d;
    }
    struct ann_desc *d = new_desc(ANN_DESC_BOUND);
    d->cls = root;
    d->method = name;
    sp_vec_push(&bound_descs, d);
    return d;
}

struct ann_value *ann_func_value(struct ann_desc *d, struct srcpos origin)
{
    struct ann_value *v = ann_new(ANN_FUNC, origin);
    v->fam = ann_family(d->fam);
    return v;
}

/* Grows a description's environment (a closure's cells, a bound method's
 * receiver); the family's calls must see the new one. */
bool ann_desc_grow_env(struct ann_desc *d, struct ann_value *env, struct srcpos pos)
{
    struct ann_value *old = d->env ? d->env : ann_impossible();
    struct ann_value *u = ann_union(old, env);
    if (!u) {
        ann_conflict(pos, "the receiver of this bound method", old, env);
        return false;
    }
    if (d->env && ann_equal(u, old))
        return true;
    d->env = u;
    ann_reflow_readers(&ann_family(d->fam)->readers);
    return true;
}

/* Merges two families: NULL if their calls cannot share a signature. */
struct ann_family *ann_merge_families(struct ann_family *x, struct ann_family *y)
{
    x = ann_family(x);
    y = ann_family(y);
    if (x == y)
        return x;
    if (x->nargs >= 0 && y->nargs >= 0 && x->nargs != y->nargs)
        return NULL;
    if (x->nargs < 0 && y->nargs >= 0) { /* keep the one that has calls */
        struct ann_family *t = x;
        x = y;
        y = t;
    }
    for (int i = 0; y->nargs >= 0 && i < x->nargs; i++) {
        struct ann_value *u = ann_union(x->args[i], y->args[i]);
        if (!u)
            return NULL;
        x->args[i] = u;
    }
    struct ann_value *r = ann_union(x->result, y->result);
    if (!r)
        return NULL;
    x->result = r;
    y->merged = x;
    for (int i = 0; i < y->descs.n; i++)
        sp_vec_push(&x->descs, y->descs.v[i]);
    for (int i = 0; i < y->readers.n; i++)
        sp_vec_push(&x->readers, y->readers.v[i]);
    /* Every call through either must now call the other's descriptions. */
    ann_reflow_readers(&x->readers);
    return x;
}

/* The value of a function constant as a member of a family. */
struct ann_value *ann_func_of_const(struct ann_value *pbc)
{
    return ann_func_value(ann_func_desc(pbc->constv->obj), pbc->origin);
}

bool ann_is_func_const(struct ann_value *a)
{
    return a->kind == ANN_PBC && a->constv->ckind == FG_C_FUNC;
}
