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

/* A new tuple of the values raw[0..n) (high-level values: op arguments
 * or constants), typed by their annotations. */
struct fg_value *rt_make_tuple(struct fg_value **raw, int n)
{
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
    return tup;
}

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
    struct fg_value *tup = rt_make_tuple(raw, n);
    return rt_ext("rpy_repr_of", ll_str(), 2, rt_to_word(tup), rt_cti(tup->lltype));
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
        int k;
        struct fg_class *owner = ann_class_attr_owner(c, name, &k);
        if (!owner)
            continue;
        struct fg_value *v = owner->attr_values.v[k];
        if (!v) {
            rt_error("class attribute '%s' differs between subclasses and is not a constant in %s: "
                     "not supported yet", name, owner->name);
            return table_const(tab);
        }
        tab->entries[ct->tid - tab->lo] = rt_const_as(v, type);
    }
    return table_const(tab);
}

/* obj.NAME (or Class.NAME when obj is NULL) for a class attribute: one
 * definition seen by every class that can be obj's, a constant or the
 * global the class statement filled; else per-class constants. */
struct fg_value *rt_class_attr(struct ann_classdef *cd, const char *name, struct lltype *t, struct fg_value *obj)
{
    int i0;
    struct fg_class *owner = ann_class_attr_owner(cd, name, &i0);
    bool one = true;
    if (obj) {
        struct lltype *ct = rt_instance_type(cd);
        for (int i = 0; i < rt_prog->classes.n; i++) {
            struct lltype *x = ((struct rt_classinfo *)rt_prog->classes.v[i])->type;
            struct ann_classdef *xcd = (struct ann_classdef *)x->classdef;
            int ix;
            if (x->tid >= ct->tid && x->tid <= ct->tid_hi && xcd->instantiated)
                one &= ann_class_attr_owner(xcd, name, &ix) == owner && ix == i0;
        }
    }
    if (one && owner) {
        struct fg_value *c = owner->attr_values.v[i0];
        if (c)
            return t->kind == LL_VOID ? rt_cvoid() : rt_const_as(c, t);
        struct ann_global *g = ann_find_global(rt_prog->ann, owner->module, fg_class_global(owner, owner->attr_names.v[i0]));
        return rt_op(OP_LL_GETGLOBAL, t, 1, rt_global_slot(g));
    }
    if (!obj) {
        rt_error("class attribute '%s' is not found", name);
        return NULL;
    }
    return rt_op(OP_LL_TID_LOAD, t, 2, rt_classattr_table(cd, name, t), obj);
}

/* ---- what the runtime needs of each class ---- */

/* The graph of cd's special method `name`, called by the runtime with the
 * signature of struct rpy_classinfo: pointers in, and a bool (compare,
 * __bool__), an int (__hash__, __len__) or a str (__str__, __repr__) out.
 * A method whose result is not of that type is an error: the runtime could
 * not read it. */
static struct fg_graph *special(struct ann_classdef *cd, const char *name)
{
    struct fg_func *m = ann_find_method(cd, name);
    if (!m || !m->graph || m->is_staticmethod || m->is_classmethod)
        return NULL;
    bool annotated = false;
    for (int i = 0; i < rt_prog->ann->graphs.n && !annotated; i++)
        annotated = rt_prog->ann->graphs.v[i] == m->graph;
    if (!annotated)
        return NULL;
    struct ann_value *r = ((struct fg_value *)m->graph->returnblock->inputargs.v[0])->ann;
    enum ann_kind want = !strcmp(name, "__str__") || !strcmp(name, "__repr__")     ? ANN_STR
                         : !strcmp(name, "__hash__") || !strcmp(name, "__len__") ? ANN_INT
                                                                                 : ANN_BOOL;
    if (!r || r->kind != want || r->nullable) {
        sp_error(m->def->pos, "%s() must return %s, not %s", m->qualname,
                 want == ANN_STR ? "a str" : want == ANN_INT ? "an int" : "a bool",
                 r ? ann_describe(r) : "nothing");
        return NULL;
    }
    return m->graph;
}

void rt_build_classinfos(struct sp_vec *types)
{
    for (int i = 0; i < types->n; i++) {
        struct lltype *t = types->v[i];
        struct ann_classdef *cd = (struct ann_classdef *)t->classdef;
        struct rt_classinfo *ci = SP_NEW(struct rt_classinfo);
        ci->type = t;
        ci->keyerror = rt_is_keyerror(cd);
        if (cd->instantiated) {
            ci->str = special(cd, "__str__");
            ci->repr = special(cd, "__repr__");
            ci->eq = special(cd, "__eq__");
            ci->ne = special(cd, "__ne__");
            ci->lt = special(cd, "__lt__");
            ci->le = special(cd, "__le__");
            ci->gt = special(cd, "__gt__");
            ci->ge = special(cd, "__ge__");
            ci->hash = special(cd, "__hash__");
            ci->bool_ = special(cd, "__bool__");
            ci->len = special(cd, "__len__");
            ci->unhashable = ci->eq && !ci->hash;
        }
        sp_vec_push(&rt_prog->classes, ci);
    }
}
