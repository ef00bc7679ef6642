/* rclass.c - the low-level side of classes: instantiation (with the
 * message of exceptions), isinstance, dynamic dispatch through tid
 * tables, super() calls, and the class information the runtime's
 * generic operations read (struct rt_classinfo).
 *
 * Requires the instance types made by rtyper.c (consecutive tids in
 * preorder of the class tree, so a class's subtree is a tid range).
 * A method call whose receiver's class has overriding subclasses becomes
 * `vcall(table, self, args...)`: the table maps each tid of the
 * receiver's static class's range to the graph that class runs, and the
 * backends index it with self's tid. Calls with one possible
 * implementation stay direct calls.
 */
#include "internal.h"

#include <string.h>

/* ---- exceptions ---- */

bool rt_is_keyerror(struct ann_classdef *cd)
{
    for (; cd; cd = cd->base)
        if (cd->builtin && !strcmp(cd->name, "KeyError"))
            return true;
    return false;
}

/* str(exception) from its constructor's arguments, as BaseException
 * computes it: "" for none, str(arg) for one (repr for a KeyError), the
 * repr of the tuple of several. */
struct fg_value *rt_exc_message(struct fg_value **raw, int n, bool keyerror)
{
    if (n == 0)
        return rt_cstr("", 0);
    if (n == 1)
        return rt_str_of(rt_arg(raw[0]), ann_of(raw[0]), keyerror);
    struct lltype *items[n + 1];
    for (int i = 0; i < n; i++)
        items[i] = rt_lltype_of(ann_of(raw[i]));
    struct lltype *t = ll_tuple(n, items);
    struct fg_value *tup = rt_ext("rpy_tuple_new", t, 1, rt_cti(t));
    for (int i = 0; i < n; i++) {
        struct fg_value *v = rt_arg(raw[i]);
        if (v->kind == FG_CONST)
            v = rt_const_as(v, items[i]);
        rt_op(OP_LL_SETITEM_WORD, &ll_void, 3, tup, rt_cint(i), rt_to_word(v));
    }
    return rt_ext("rpy_repr_of", ll_str(), 2, rt_to_word(tup), rt_cti(t));
}

void rt_set_exc_message(struct fg_value *exc, struct fg_value *msg) { rt_setfield(exc, "msg", msg); }

/* ---- isinstance ---- */

struct fg_value *rt_isinstance(struct fg_value *v, struct ann_value *a, struct ann_classdef **classes, int n)
{
    if (a->kind != ANN_INSTANCE)
        return rt_cbool(false);
    struct fg_value *r = NULL;
    for (int i = 0; i < n; i++) {
        struct lltype *t = rt_instance_type(classes[i]);
        struct fg_value *one = rt_op(OP_LL_TID_IN, &ll_bool, 3, v, rt_cint(t->tid), rt_cint(t->tid_hi));
        r = r ? rt_op(OP_LL_INT_OR, &ll_bool, 2, r, one) : one;
    }
    return r ? r : rt_cbool(false);
}

/* ---- dynamic dispatch ---- */

static struct rt_tidtable *new_table(const char *name, struct lltype *t, bool is_method)
{
    struct rt_tidtable *tab = SP_NEW(struct rt_tidtable);
    tab->id = rt_prog->tidtables.n;
    tab->name = name;
    tab->lo = t->tid;
    tab->hi = t->tid_hi;
    tab->entries = sp_alloc(sizeof(struct fg_value *) * (size_t)(tab->hi - tab->lo + 1));
    tab->is_method = is_method;
    sp_vec_push(&rt_prog->tidtables, tab);
    return tab;
}

static struct fg_value *table_const(struct rt_tidtable *tab)
{
    struct fg_value *c = fg_const_obj(FG_C_TIDTABLE, tab);
    c->str = tab->name;
    c->lltype = &ll_void;
    return c;
}

static struct fg_value *graph_entry(struct fg_graph *g)
{
    struct fg_value *c = fg_const_obj(FG_C_GRAPH, g);
    c->lltype = &ll_void;
    return c;
}

/* The table of a call on an instance of static class cd: each target's
 * class's own tid maps to the graph it runs. Tables are shared between
 * call sites with the same targets. */
struct fg_value *rt_method_table(struct ann_classdef *cd, const char *name, struct sp_vec *targets)
{
    struct lltype *t = rt_instance_type(cd);
    const char *tname = sp_fmt("%s.%s", cd->name, name);
    for (int i = 0; i < rt_prog->tidtables.n; i++) {
        struct rt_tidtable *tab = rt_prog->tidtables.v[i];
        if (tab->is_method && tab->lo == t->tid && !strcmp(tab->name, tname))
            return table_const(tab);
    }
    struct rt_tidtable *tab = new_table(tname, t, true);
    for (int i = 0; i < targets->n; i++) {
        struct ann_method_target *mt = targets->v[i];
        int tid = rt_instance_type(mt->cls)->tid;
        tab->entries[tid - tab->lo] = graph_entry(mt->func->graph);
    }
    return table_const(tab);
}

/* A class attribute read through an instance whose subclasses override
 * it: per-tid constants. */
struct fg_value *rt_classattr_table(struct ann_classdef *cd, const char *name, struct lltype *type)
{
    struct lltype *t = rt_instance_type(cd);
    struct rt_tidtable *tab = new_table(sp_fmt("%s.%s", cd->name, name), t, false);
    for (int i = 0; i < rt_prog->classes.n; i++) {
        struct rt_classinfo *ci = rt_prog->classes.v[i];
        struct lltype *ct = ci->type;
        if (ct->tid < tab->lo || ct->tid > tab->hi)
            continue;
        struct ann_classdef *c = (struct ann_classdef *)ct->classdef;
        for (; c; c = c->base) {
            struct fg_value *v = NULL;
            for (int k = 0; c->cls && k < c->cls->attr_names.n; k++)
                if (c->cls->attr_names.v[k] == sp_intern(name))
                    v = c->cls->attr_values.v[k];
            if (v) {
                tab->entries[ct->tid - tab->lo] = rt_const_as(v, type);
                break;
            }
        }
    }
    return table_const(tab);
}

/* ---- what the runtime needs of each class ---- */

static struct fg_graph *special(struct ann_classdef *cd, const char *name)
{
    struct fg_func *m = ann_find_method(cd, name);
    if (!m || !m->graph)
        return NULL;
    for (int i = 0; i < rt_prog->ann->graphs.n; i++)
        if (rt_prog->ann->graphs.v[i] == m->graph)
            return m->graph;
    return NULL;
}

void rt_build_classinfos(struct sp_vec *types)
{
    for (int i = 0; i < types->n; i++) {
        struct lltype *t = types->v[i];
        struct ann_classdef *cd = (struct ann_classdef *)t->classdef;
        struct rt_classinfo *ci = SP_NEW(struct rt_classinfo);
        ci->type = t;
        if (cd->instantiated) {
            ci->str = special(cd, "__str__");
            ci->repr = special(cd, "__repr__");
        }
        sp_vec_push(&rt_prog->classes, ci);
    }
}
