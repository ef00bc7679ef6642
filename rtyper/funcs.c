/* funcs.c - function values (annotator/families.c): their representation.
 *
 * A function value that is not one constant is a pointer to a function
 * object, a small GC struct { fn, env }: fn is the address of an adapter
 * graph with the family's signature (env, args...) -> result, env the
 * environment it needs (a closure's cells, a bound method's receiver;
 * NULL for a plain def). Calling the value calls fn(env, args...)
 * indirectly (calls.c); each adapter calls its description's function
 * directly, converting the arguments and the result. A def used as a value
 * is a prebuilt function object in static memory (env NULL), so taking it
 * costs nothing.
 *
 * Requires the annotator's families; the adapters are built on first use
 * (calls.c, rt_desc_adapter).
 */
#include "internal.h"

#include <string.h>

struct lltype *rt_funcobj_type(void)
{
    static struct lltype *t;
    if (!t) {
        t = ll_struct("funcobj", NULL, false);
        ll_struct_add_field(t, "fn", &ll_word);
        ll_struct_add_field(t, "env", ll_gcref());
    }
    return t;
}

/* The address of graph g, as a word (a function object's fn). */
static struct fg_value *graph_addr(struct fg_graph *g)
{
    struct fg_value *c = fg_const_obj(FG_C_GRAPH, g);
    c->lltype = &ll_word;
    return c;
}

struct fg_value *rt_make_funcobj(struct ann_desc *d, struct fg_value *env)
{
    struct fg_graph *adapter = rt_desc_adapter(d);
    struct fg_value *fo = rt_malloc(rt_funcobj_type());
    rt_setfield(fo, "fn", graph_addr(adapter));
    if (env && env->lltype->kind == LL_PTR)
        rt_setfield(fo, "env", rt_op(OP_LL_CAST_PTR, ll_gcref(), 1, env));
    else
        rt_setfield(fo, "env", rt_cnull(ll_gcref()));
    return fo;
}

/* A def as a value: its prebuilt function object. */
struct fg_value *rt_func_const(struct fg_func *f)
{
    struct ann_desc *d = ann_desc_of_func(f);
    SP_ASSERT(d);
    struct rt_prebuilt_func *pf = NULL;
    for (int i = 0; i < rt_prog->prebuilt_funcs.n; i++) {
        struct rt_prebuilt_func *p = rt_prog->prebuilt_funcs.v[i];
        if (p->desc == d)
            pf = p;
    }
    if (!pf) {
        pf = SP_NEW(struct rt_prebuilt_func);
        pf->desc = d;
        pf->id = rt_prog->prebuilt_funcs.n;
        sp_vec_push(&rt_prog->prebuilt_funcs, pf);
        pf->adapter = rt_desc_adapter(d);
    }
    struct fg_value *c = fg_const_obj(FG_C_OTHER, pf);
    c->str = sp_fmt("((%s)&rpy_pf%d)", rt_funcobj_type()->cname, pf->id);
    c->lltype = rt_funcobj_type();
    return c;
}

/* Converts v to lltype `to` where the annotations allow it: None and
 * constants to the representation, int to float, one pointer type to a
 * base (or function object) type. */
struct fg_value *rt_convert(struct fg_value *v, struct lltype *to)
{
    struct lltype *from = v->lltype;
    if (from == to)
        return v;
    if (to->kind == LL_VOID)
        return rt_cvoid();
    if (v->kind == FG_CONST || !from || from->kind == LL_VOID)
        return rt_arg_as(v, to);
    if (to->kind == LL_FLOAT && (from->kind == LL_SIGNED || from->kind == LL_BOOL))
        return rt_to_float(v);
    if (to->kind == LL_SIGNED && from->kind == LL_BOOL)
        return rt_to_int(v);
    if (to->kind == LL_PTR && from->kind == LL_PTR)
        return rt_op(OP_LL_CAST_PTR, to, 1, v);
    return v;
}
