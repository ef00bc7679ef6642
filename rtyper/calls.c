/* calls.c - lowering of calls: user functions and methods (direct_call of
 * their graphs, arguments matched to parameters exactly as the annotator
 * matched them), instantiation (malloc + __init__), built-in functions
 * and the methods of str, list and dict (runtime routines).
 */
#include "internal.h"

#include <string.h>

#define R (op->result)

/* The call's arguments, after the callee (and method name / shape). */
struct args {
    struct fg_value **v; /* raw (high-level) values */
    int npos;
    int nkw;
    const char **kwnames;
    bool star;           /* a *iterable follows the keyword values */
};

static struct args call_args_of(struct fg_op *op, int first, const struct fg_callshape *shape)
{
    struct args a = {op->args + first, op->nargs - first, 0, NULL, false};
    if (shape) {
        a.npos = shape->npos;
        a.nkw = shape->nkw;
        a.kwnames = shape->kwnames;
        a.star = shape->star;
    }
    return a;
}

static struct fg_value *kw(struct args *a, const char *name)
{
    for (int i = 0; i < a->nkw; i++)
        if (a->kwnames[i] == sp_intern(name))
            return a->v[a->npos + i];
    return NULL;
}

/* Convert a high-level argument to the low-level type `t`. */
static struct fg_value *as_type(struct fg_value *v, struct lltype *t)
{
    v = rt_arg(v); /* a Void variable (None) is not defined: use a constant */
    if (v->kind == FG_CONST)
        return rt_const_as(v, t);
    if (t->kind == LL_FLOAT && v->lltype->kind != LL_FLOAT)
        return rt_to_float(v);
    return v;
}

static struct fg_value *graph_const(struct fg_graph *g)
{
    struct fg_value *c = fg_const_obj(FG_C_GRAPH, g);
    c->lltype = &ll_void;
    return c;
}

static struct fg_value *as_list(struct fg_value *v, struct ann_value *a, struct lltype *listt);
static struct lltype *list_type_for(struct ann_value *a);

static struct fg_value *lowv(struct fg_value *v) { return rt_arg(v); }

static int graph_nargs(struct fg_func *f) { return f->nparams + (f->vararg ? 1 : 0); }

static struct lltype *param_type(struct fg_func *f, int i)
{
    struct fg_value *p = f->graph->startblock->inputargs.v[i];
    return p->lltype ? p->lltype : rt_lltype_of(p->ann);
}

/* The low-level arguments of a call of f: self (if any) then the call's
 * arguments matched to f's parameters, defaults filled in, then the *args
 * list; into out[0..graph_nargs(f)). A *iterable in the call fills the
 * parameters after the explicit positional ones (its length checked), the
 * rest of it goes to *args. */
static void graph_args(struct fg_func *f, struct fg_value *self, struct args *a, struct fg_value **out)
{
    struct fg_block *start = f->graph->startblock;
    int np = f->nparams;
    struct fg_value *params[np + 1];
    for (int i = 0; i < np; i++)
        params[i] = NULL;
    int nb = self ? 1 : 0;
    if (self)
        params[0] = self;
    int npos = np - f->nkwonly;
    for (int i = 0; i < a->npos && nb + i < npos; i++)
        params[nb + i] = a->v[i];
    for (int k = 0; k < a->nkw; k++)
        for (int i = 0; i < np; i++)
            if (f->params[i] == a->kwnames[k])
                params[i] = a->v[a->npos + k];
    struct fg_value *star = NULL;
    int nstar = 0;
    if (a->star) {
        struct fg_value *sv = a->v[a->npos + a->nkw];
        struct ann_value *sa = ann_of(sv);
        star = as_list(lowv(sv), sa, list_type_for(sa));
        for (int i = nb + a->npos; i < npos && !params[i]; i++)
            nstar++;
        rt_ext("rpy_star_check", &ll_void, 5, star, rt_cint(nstar), rt_cint(a->npos), rt_cbool(f->vararg != NULL),
               rt_cstr(f->name, strlen(f->name)));
        for (int k = 0; k < nstar; k++) {
            struct fg_value *w = rt_ext("rpy_list_getitem_or0", &ll_word, 2, star, rt_cint(k));
            out[nb + a->npos + k] = rt_convert(rt_from_word(w, star->lltype->item), param_type(f, nb + a->npos + k));
        }
    }
    if (f->vararg) {
        struct lltype *vt = param_type(f, np);
        int avail = npos - nb;
        int nextra = a->npos > avail ? a->npos - avail : 0;
        struct fg_value *l = rt_ext("rpy_list_new", vt, 2, rt_cti(vt), rt_cint(nextra));
        for (int i = 0; i < nextra; i++)
            rt_ext("rpy_list_init_item", &ll_void, 3, l, rt_cint(i),
                   rt_to_word(as_type(a->v[avail + i], vt->item)));
        if (star) {
            if (star->lltype->item != vt->item) {
                rt_error("the items of *%s in this call are %s, the function's *%s holds %s", f->vararg,
                         ll_describe(star->lltype->item), f->vararg, ll_describe(vt->item));
                return;
            }
            rt_ext("rpy_list_extend_from", &ll_void, 3, l, star, rt_cint(nstar));
        }
        out[np] = l;
    }
    for (int i = 0; i < np; i++) {
        struct fg_value *p = start->inputargs.v[i];
        struct lltype *pt = p->lltype ? p->lltype : rt_lltype_of(p->ann);
        if (!params[i] && star && i >= nb + a->npos && i < nb + a->npos + nstar)
            continue; /* from the star, above */
        struct fg_value *v = params[i] ? params[i] : f->defaults[i];
        if (!params[i] && v->ckind == FG_C_DEFAULT) { /* computed when the def ran */
            struct fg_default *d = v->obj;
            if (d->in_env) {
                out[i] = rt_convert(rt_getfield(rt_arg(params[0]), rt_attr_field(d->name)), pt);
            } else {
                struct ann_global *g = ann_find_global(rt_prog->ann, d->module, d->name);
                if (g->is_const)
                    out[i] = rt_const_as(g->constv, pt);
                else
                    out[i] = rt_convert(rt_op(OP_LL_GETGLOBAL, rt_lltype_of(g->ann), 1, rt_global_slot(g)), pt);
            }
            continue;
        }
        out[i] = as_type(v, pt);
    }
}

static struct fg_value *emit_call(enum fg_opcode opc, struct fg_value *callee, struct fg_value *self, int nargs,
                                  struct fg_value **args, struct lltype *rtype)
{
    int head = self ? 2 : 1;
    struct fg_value **argv = sp_alloc(sizeof(struct fg_value *) * (size_t)(nargs + head + 1));
    argv[0] = callee;
    if (self)
        argv[1] = self;
    memcpy(argv + head, args, sizeof(struct fg_value *) * (size_t)nargs);
    struct fg_value *r = rt_var(rtype);
    sp_vec_push(rt_cur.ops, fg_newop(opc, argv, nargs + head, r, rt_cur.pos));
    return r;
}

static struct fg_value *call_graph(struct fg_func *f, struct fg_value *self, struct args *a, struct lltype *rtype)
{
    struct fg_value *args[graph_nargs(f) + 1];
    graph_args(f, self, a, args);
    return emit_call(OP_LL_DIRECT_CALL, graph_const(f->graph), NULL, graph_nargs(f), args, rtype);
}

static struct ann_value *ann_of_result(struct fg_func *f)
{
    return ((struct fg_value *)f->graph->returnblock->inputargs.v[0])->ann;
}

static struct lltype *return_type(struct fg_func *f)
{
    return rt_lltype_of(((struct fg_value *)f->graph->returnblock->inputargs.v[0])->ann);
}

static struct fg_value *instantiate(struct fg_op *op, struct args *a)
{
    struct ann_classdef *cd = ann_instantiates(op);
    struct fg_value *p = rt_malloc(R->lltype);
    /* An instance attribute that a class attribute of the same name
     * shadows until it is assigned reads the class's value until then. */
    for (struct ann_classdef *c = cd; c; c = c->base)
        for (int k = 0; k < c->attr_names.n; k++) {
            const char *name = c->attr_names.v[k];
            struct ann_value *ca = ann_class_attr(cd, name);
            struct ll_field *f;
            if (!ca || ca->kind == ANN_FUNC || !ll_field_owner(p->lltype, rt_attr_field(name), &f) ||
                f->type->kind == LL_VOID || rt_lltype_of(ca) != f->type)
                continue;
            rt_setfield(p, rt_attr_field(name), rt_class_attr(cd, name, f->type, NULL));
        }
    if (cd->is_exception)
        rt_set_exc_message(p, rt_exc_message(a->v, a->npos, rt_is_keyerror(cd)));
    struct fg_func *init = ann_call_target(op);
    if (init)
        call_graph(init, p, a, return_type(init));
    return p;
}

/* f called on a receiver: self is an instance, the class (a Void
 * constant) for a classmethod, nothing for a staticmethod. */
static struct fg_value *call_bound(struct fg_func *f, struct fg_value *self, struct args *a, struct lltype *rtype)
{
    if (f->is_staticmethod)
        return call_graph(f, NULL, a, rtype);
    if (f->is_classmethod)
        return call_graph(f, rt_cvoid(), a, rtype);
    return call_graph(f, self, a, rtype);
}

/* obj.name(args) where the receiver's class decides the implementation:
 * all of them take the same arguments, matched to the first's. */
static struct fg_value *dispatch_on(struct ann_value *recv, const char *name, struct fg_value *obj,
                                    struct sp_vec *targets, struct args *a, struct lltype *rtype)
{
    struct ann_method_target *first = targets->v[0];
    struct fg_func *f = first->func;
    for (int i = 0; i < targets->n; i++) {
        struct fg_func *g = ((struct ann_method_target *)targets->v[i])->func;
        bool same = g->nparams == f->nparams && !g->is_staticmethod && !g->is_classmethod;
        for (int k = 1; same && k < f->nparams; k++) {
            struct fg_value *pf = f->graph->startblock->inputargs.v[k], *pg = g->graph->startblock->inputargs.v[k];
            same = g->params[k] == f->params[k] && pf->lltype == pg->lltype;
        }
        if (!same) {
            rt_error("the overriding methods %s and %s must take the same parameters, with the same types",
                     f->qualname, g->qualname);
            return NULL;
        }
    }
    struct fg_value *table = rt_method_table(recv->classdef, name, targets);
    struct fg_value *args[graph_nargs(f) + 1];
    graph_args(f, obj, a, args);
    return emit_call(OP_LL_VCALL, table, NULL, graph_nargs(f), args, rtype);
}

static struct fg_value *dispatch(struct fg_op *op, struct fg_value *obj, struct sp_vec *targets, struct args *a)
{
    return dispatch_on(ann_of(op->args[0]), op->args[1]->str, obj, targets, a, R->lltype);
}

/* An op on an instance that calls a special method (annotator/specials.c). */
struct fg_value *rt_lower_special(struct fg_op *op, const char *name, int recv, enum ann_special_mode mode)
{
    struct fg_value *others[op->nargs + 1];
    int n = 0;
    int first = op->opcode == OP_SIMPLE_CALL ? 1 : 0; /* len(x): not the callee */
    for (int i = first; i < op->nargs; i++)
        if (i != recv)
            others[n++] = op->args[i];
    struct args a = {others, n, 0, NULL, false};
    struct ann_value *ra = ann_of(op->args[recv]);
    struct fg_value *obj = rt_arg(op->args[recv]);
    rt_check_not_none(obj, ra, name);
    struct fg_func *f = ann_call_target(op);
    struct lltype *rtype = mode == ANN_SPECIAL_PLAIN ? R->lltype : return_type(f);
    struct sp_vec *targets = ann_method_targets(op);
    struct fg_value *r = targets ? dispatch_on(ra, name, obj, targets, &a, rtype) : call_bound(f, obj, &a, rtype);
    switch (mode) {
    case ANN_SPECIAL_TRUTH_LEN:
        r = rt_op(OP_LL_INT_NE, &ll_bool, 2, rt_to_int(r), rt_cint(0));
        break;
    case ANN_SPECIAL_NOT_EQ:
        r = rt_op(OP_LL_BOOL_NOT, &ll_bool, 1, rt_truth(r, ann_of_result(f)));
        break;
    case ANN_SPECIAL_TRUTH:
        r = rt_truth(r, ann_of_result(f));
        break;
    default:
        return r;
    }
    return op->opcode == OP_NOT ? rt_op(OP_LL_BOOL_NOT, &ll_bool, 1, r) : r;
}

static struct fg_value *call_super(struct fg_op *op)
{
    struct args a = {op->args + 3, op->nargs - 3, 0, NULL, false};
    struct fg_value *self = rt_arg(op->args[0]);
    struct fg_func *f = ann_call_target(op);
    if (f)
        return call_graph(f, self, &a, R->lltype);
    if (ann_is_exc_init(op)) {
        struct ann_classdef *cd = ann_classdef_for(op->args[1]);
        rt_set_exc_message(self, rt_exc_message(a.v, a.npos, rt_is_keyerror(cd)));
    }
    return rt_cvoid(); /* object.__init__ */
}

/* ---- built-in functions ---- */


/* print(..., file=f): every piece through the file (str(v) first). */
static struct fg_value *print_to_file(struct fg_op *op, struct args *a, struct fg_value *f)
{
    struct fg_value *sep = kw(a, "sep"), *end = kw(a, "end");
    struct fg_value *file = lowv(f);
    const struct fg_callshape *shape = op->opcode == OP_CALL_ARGS ? op->args[1]->obj : NULL;
    if (shape && shape->star) {
        rt_error("print(*items, file=...) is not supported yet");
        return NULL;
    }
    for (int i = 0; i < a->npos; i++) {
        if (i > 0) {
            struct fg_value *sv = sep && ann_of(sep)->kind == ANN_STR ? lowv(sep) : rt_cnull(ll_str());
            rt_ext("rpy_file_print_str_or", &ll_void, 3, file, sv, rt_cstr(" ", 1));
        }
        struct fg_value *s = rt_str_of(lowv(a->v[i]), ann_of(a->v[i]), false);
        rt_ext("rpy_file_print_str_or", &ll_void, 3, file, s, rt_cstr("", 0));
    }
    struct fg_value *ev = end && ann_of(end)->kind == ANN_STR ? lowv(end) : rt_cnull(ll_str());
    rt_ext("rpy_file_print_str_or", &ll_void, 3, file, ev, rt_cstr("\n", 1));
    return rt_cvoid();
}

static struct fg_value *b_print(struct fg_op *op, struct args *a)
{
    struct fg_value *sep = kw(a, "sep"), *end = kw(a, "end"), *file = kw(a, "file");
    if (file && ann_of(file)->kind == ANN_FILE)
        return print_to_file(op, a, file);
    for (int i = 0; i < a->npos; i++) {
        if (i > 0) {
            if (sep && ann_of(sep)->kind == ANN_STR)
                rt_ext("rpy_write_str_or", &ll_void, 2, lowv(sep), rt_cstr(" ", 1));
            else
                rt_ext("rpy_write_str", &ll_void, 1, rt_cstr(" ", 1));
        }
        rt_write(lowv(a->v[i]), ann_of(a->v[i]));
    }
    const struct fg_callshape *shape = op->opcode == OP_CALL_ARGS ? op->args[1]->obj : NULL;
    if (shape && shape->star) { /* print(..., *items): the star value follows the keyword ones */
        struct fg_value *star = a->v[a->npos + a->nkw];
        struct ann_value *sa = ann_of(star);
        struct fg_value *l = as_list(lowv(star), sa, list_type_for(sa));
        struct fg_value *sepv = sep && ann_of(sep)->kind == ANN_STR ? lowv(sep) : rt_cnull(ll_str());
        rt_ext("rpy_write_list_items", &ll_void, 3, l, sepv, rt_cbool(a->npos > 0));
    }
    if (end && ann_of(end)->kind == ANN_STR)
        rt_ext("rpy_write_str_or", &ll_void, 2, lowv(end), rt_cstr("\n", 1));
    else
        rt_ext("rpy_write_str", &ll_void, 1, rt_cstr("\n", 1));
    return rt_cvoid();
}

void rt_write(struct fg_value *v, struct ann_value *a)
{
    struct fg_value *found = rt_maybe_flag(v, a);
    if (found) { /* a scalar that may be None */
        rt_ext("rpy_write_maybe", &ll_void, 3, rt_to_word(v), found, rt_cti(v->lltype));
        return;
    }
    switch (a->kind) {
    case ANN_INT: rt_ext("rpy_write_int", &ll_void, 1, v); return;
    case ANN_BOOL: rt_ext("rpy_write_bool", &ll_void, 1, v); return;
    case ANN_FLOAT: rt_ext("rpy_write_float", &ll_void, 1, v); return;
    case ANN_NONE: rt_ext("rpy_write_str", &ll_void, 1, rt_cstr("None", 4)); return;
    case ANN_STR:
        if (!a->nullable) {
            rt_ext("rpy_write_str", &ll_void, 1, v);
            return;
        }
        break;
    default:
        break;
    }
    struct lltype *t = v->lltype;
    rt_ext("rpy_write_value", &ll_void, 2, rt_to_word(v), rt_cti(t));
}

static struct fg_value *range_of(struct args *a)
{
    struct fg_value *start = rt_cint(0), *stop, *step = rt_cint(1);
    if (a->npos == 1) {
        stop = rt_to_int(lowv(a->v[0]));
    } else {
        start = rt_to_int(lowv(a->v[0]));
        stop = rt_to_int(lowv(a->v[1]));
        if (a->npos == 3) {
            step = rt_to_int(lowv(a->v[2]));
            rt_ext("rpy_range_check_step", &ll_void, 1, step);
        }
    }
    struct fg_value *r = rt_malloc(rt_range_type());
    rt_setfield(r, "start", start);
    rt_setfield(r, "stop", stop);
    rt_setfield(r, "step", step);
    return r;
}

/* A list holding the items of any iterable the annotator accepted. */
static struct fg_value *as_list(struct fg_value *v, struct ann_value *a, struct lltype *listt)
{
    switch (a->kind) {
    case ANN_LIST:
        if (v->lltype->is_deque && !listt->is_deque) /* list(a_deque) */
            return rt_ext("rpy_deque_to_list", listt, 2, v, rt_cti(listt));
        return v;
    case ANN_STR:
        return rt_ext("rpy_list_from_str", listt, 2, v, rt_cti(listt));
    case ANN_RANGE:
        return rt_ext("rpy_list_from_range", listt, 4, rt_cti(listt),
                      rt_getfield(v, "start"), rt_getfield(v, "stop"), rt_getfield(v, "step"));
    case ANN_DICT:
    case ANN_SET:
        return rt_ext("rpy_dict_keys", listt, 2, v, rt_cti(listt));
    case ANN_TUPLE: {
        struct fg_value *l = rt_ext("rpy_list_new", listt, 2, rt_cti(listt), rt_cint(a->nitems));
        for (int i = 0; i < a->nitems; i++) {
            struct fg_value *w = rt_op(OP_LL_GETITEM_WORD, &ll_word, 2, v, rt_cint(i));
            rt_ext("rpy_list_init_item", &ll_void, 3, l, rt_cint(i), w);
        }
        return l;
    }
    default:
        rt_error("converting %s to a list is not supported yet", ann_describe(a));
        return rt_cnull(listt);
    }
}

struct fg_value *rt_as_list(struct fg_value *v, struct ann_value *a, struct lltype *listt)
{
    return as_list(v, a, listt);
}

/* The list type holding items of iterable annotation a. */
static struct lltype *list_type_for(struct ann_value *a)
{
    if (a->kind == ANN_LIST)
        return rt_lltype_of(a);
    if (a->kind == ANN_STR)
        return ll_list(ll_str());
    if (a->kind == ANN_RANGE)
        return ll_list(&ll_signed);
    if (a->kind == ANN_DICT || a->kind == ANN_SET)
        return ll_list(rt_lltype_of(a)->item);
    if (a->kind == ANN_TUPLE && a->nitems)
        return ll_list(rt_lltype_of(a)->items[0]);
    return ll_list(&ll_void);
}

static struct fg_value *b_minmax(bool is_max, struct fg_op *op, struct args *a)
{
    struct lltype *rt = R->lltype;
    if (a->npos == 1) {
        struct ann_value *sa = ann_of(a->v[0]);
        struct fg_value *l = as_list(lowv(a->v[0]), sa, list_type_for(sa));
        return rt_from_word(rt_ext(is_max ? "rpy_list_max" : "rpy_list_min", &ll_word, 1, l), rt);
    }
    struct fg_value *acc = as_type(lowv(a->v[0]), rt);
    for (int i = 1; i < a->npos; i++) {
        struct fg_value *x = as_type(lowv(a->v[i]), rt);
        if (rt->kind == LL_SIGNED)
            acc = rt_ext(is_max ? "rpy_int_max2" : "rpy_int_min2", rt, 2, acc, x);
        else if (rt->kind == LL_FLOAT)
            acc = rt_ext(is_max ? "rpy_float_max2" : "rpy_float_min2", rt, 2, acc, x);
        else
            acc = rt_from_word(rt_ext(is_max ? "rpy_max2" : "rpy_min2", &ll_word, 3, rt_to_word(acc),
                                      rt_to_word(x), rt_cti(rt)),
                               rt);
    }
    return acc;
}

static struct fg_value *b_conversion(const char *name, struct fg_op *op, struct args *a)
{
    struct fg_value *x = a->npos ? lowv(a->v[0]) : NULL;
    struct ann_value *xa = a->npos ? ann_of(a->v[0]) : NULL;
    if (!strcmp(name, "bool"))
        return x ? rt_truth(x, xa) : rt_cbool(false);
    if (!strcmp(name, "str") || !strcmp(name, "repr"))
        return x ? rt_str_of(x, xa, name[0] == 'r') : rt_cstr("", 0);
    if (!strcmp(name, "int")) {
        if (!x)
            return rt_cint(0);
        switch (xa->kind) {
        case ANN_FLOAT: return rt_ext("rpy_float_to_int", &ll_signed, 1, x);
        case ANN_STR: {
            struct fg_value *base = a->npos == 2 ? rt_to_int(lowv(a->v[1])) : rt_cint(10);
            return rt_ext("rpy_int_from_str", &ll_signed, 2, x, base);
        }
        default: return rt_to_int(x);
        }
    }
    /* float */
    if (!x)
        return rt_cfloat(0.0);
    if (xa->kind == ANN_STR)
        return rt_ext("rpy_float_from_str", &ll_float, 1, x);
    return rt_to_float(x);
}

static struct fg_value *b_round(struct fg_op *op, struct args *a)
{
    struct fg_value *x = lowv(a->v[0]);
    struct ann_value *xa = ann_of(a->v[0]);
    bool has_nd = a->npos == 2 && ann_of(a->v[1])->kind != ANN_NONE;
    if (xa->kind != ANN_FLOAT) {
        x = rt_to_int(x);
        return has_nd ? rt_ext("rpy_int_round", &ll_signed, 2, x, rt_to_int(lowv(a->v[1]))) : x;
    }
    if (!has_nd)
        return rt_ext("rpy_float_round_int", &ll_signed, 1, x);
    return rt_ext("rpy_float_round", &ll_float, 2, x, rt_to_int(lowv(a->v[1])));
}

static struct fg_value *b_len(struct fg_op *op, struct args *a)
{
    struct fg_value *x = lowv(a->v[0]);
    struct ann_value *xa = ann_of(a->v[0]);
    switch (xa->kind) {
    case ANN_LIST: return rt_ext("rpy_list_len", &ll_signed, 1, x);
    case ANN_STR: return rt_ext("rpy_str_len", &ll_signed, 1, x);
    case ANN_DICT: case ANN_SET: return rt_ext("rpy_dict_len", &ll_signed, 1, x);
    case ANN_TUPLE: return rt_cint(xa->nitems);
    case ANN_RANGE:
        return rt_ext("rpy_range_len", &ll_signed, 3, rt_getfield(x, "start"), rt_getfield(x, "stop"),
                      rt_getfield(x, "step"));
    default: rt_error("len() of %s", ann_describe(xa)); return NULL;
    }
}

static struct fg_value *b_sum(struct fg_op *op, struct args *a)
{
    struct ann_value *sa = ann_of(a->v[0]);
    struct fg_value *l = as_list(lowv(a->v[0]), sa, list_type_for(sa));
    if (R->lltype->kind == LL_FLOAT) {
        struct fg_value *start = a->npos == 2 ? rt_to_float(lowv(a->v[1])) : rt_cfloat(0.0);
        bool items_float = l->lltype->item->kind == LL_FLOAT;
        return rt_ext(items_float ? "rpy_list_sum_float" : "rpy_list_sum_int_as_float", &ll_float, 2, l, start);
    }
    struct fg_value *start = a->npos == 2 ? rt_to_int(lowv(a->v[1])) : rt_cint(0);
    return rt_ext("rpy_list_sum_int", &ll_signed, 2, l, start);
}

static struct fg_value *b_list_like(const char *name, struct fg_op *op, struct args *a)
{
    struct lltype *lt = R->lltype;
    if (a->npos == 0)
        return rt_ext("rpy_list_new", lt, 2, rt_cti(lt), rt_cint(0));
    struct ann_value *sa = ann_of(a->v[0]);
    struct fg_value *src = lowv(a->v[0]);
    struct fg_value *l = sa->kind == ANN_LIST && !src->lltype->is_deque ? rt_ext("rpy_list_copy", lt, 1, src)
                                                                         : as_list(src, sa, lt);
    if (!strcmp(name, "sorted")) {
        struct fg_value *rev = kw(a, "reverse");
        rt_ext("rpy_list_sort", &ll_void, 2, l, rev ? rt_truth(lowv(rev), ann_of(rev)) : rt_cbool(false));
    }
    return l;
}

static struct fg_value *b_enumerate(struct fg_op *op, struct args *a)
{
    struct lltype *lt = R->lltype;
    struct ann_value *sa = ann_of(a->v[0]);
    struct fg_value *l = as_list(lowv(a->v[0]), sa, list_type_for(sa));
    struct fg_value *sv = a->npos == 2 ? a->v[1] : kw(a, "start");
    struct fg_value *start = sv ? rt_to_int(lowv(sv)) : rt_cint(0);
    return rt_ext("rpy_list_enumerate", lt, 4, l, start, rt_cti(lt), rt_cti(lt->item));
}

static struct fg_value *b_anyall(bool is_any, struct fg_op *op, struct args *a)
{
    struct ann_value *sa = ann_of(a->v[0]);
    struct fg_value *l = as_list(lowv(a->v[0]), sa, list_type_for(sa));
    return rt_ext(is_any ? "rpy_list_any" : "rpy_list_all", &ll_bool, 1, l);
}

static struct fg_value *b_divmod(struct fg_op *op, struct args *a)
{
    struct lltype *t = R->lltype;
    struct fg_value *x = lowv(a->v[0]), *y = lowv(a->v[1]);
    struct fg_value *q, *r;
    if (t->items[0]->kind == LL_FLOAT) {
        x = rt_to_float(x);
        y = rt_to_float(y);
        q = rt_ext("rpy_float_floordiv", &ll_float, 2, x, y);
        r = rt_ext("rpy_float_mod", &ll_float, 2, x, y);
    } else {
        x = rt_to_int(x);
        y = rt_to_int(y);
        q = rt_op(OP_LL_INT_FLOORDIV, &ll_signed, 2, x, y);
        r = rt_op(OP_LL_INT_MOD, &ll_signed, 2, x, y);
    }
    struct fg_value *tup = rt_ext("rpy_tuple_new", t, 1, rt_cti(t));
    rt_op(OP_LL_SETITEM_WORD, &ll_void, 3, tup, rt_cint(0), rt_to_word(q));
    rt_op(OP_LL_SETITEM_WORD, &ll_void, 3, tup, rt_cint(1), rt_to_word(r));
    return tup;
}

static struct fg_value *b_abs(struct fg_op *op, struct args *a)
{
    struct fg_value *x = lowv(a->v[0]);
    if (x->lltype->kind == LL_FLOAT)
        return rt_op(OP_LL_FLOAT_ABS, &ll_float, 1, x);
    return rt_op(OP_LL_INT_ABS_OVF, &ll_signed, 1, rt_to_int(x));
}

static void classes_named(struct ann_value *c, struct sp_vec *out)
{
    if (c->kind == ANN_PBC) {
        struct ann_classdef *cd = ann_classdef_for(c->constv);
        if (cd)
            sp_vec_push(out, cd);
    } else if (c->kind == ANN_TUPLE) {
        for (int i = 0; i < c->nitems; i++)
            classes_named(c->items[i], out);
    }
}

static struct fg_value *b_isinstance(struct fg_op *op, struct args *a)
{
    struct ann_value *r = R->ann;
    if (r->is_const && r->constv)
        return rt_cbool(r->constv->ival != 0);
    struct sp_vec classes = {0};
    classes_named(ann_of(a->v[1]), &classes);
    return rt_isinstance(lowv(a->v[0]), ann_of(a->v[0]), (struct ann_classdef **)classes.v, classes.n);
}

static struct fg_value *b_iter(struct fg_op *op, struct args *a)
{
    return rt_make_iter(lowv(a->v[0]), ann_of(a->v[0]), R->lltype);
}

static struct fg_value *b_next(struct fg_op *op, struct args *a)
{
    struct fg_value *item = NULL;
    struct fg_value *has = rt_iter_next(lowv(a->v[0]), ann_of(a->v[0])->of, R->lltype, &item);
    if (!has)
        return NULL;
    if (a->npos == 2) /* next(it, default) */
        return item ? rt_op(OP_LL_SELECT, R->lltype, 3, has, item, as_type(a->v[1], R->lltype)) : rt_cvoid();
    rt_ext("rpy_stop_iteration_unless", &ll_void, 1, has);
    return item ? item : rt_cvoid();
}

static struct fg_value *b_hash(struct fg_op *op, struct args *a)
{
    struct fg_value *x = lowv(a->v[0]);
    return rt_ext("rpy_hash", &ll_signed, 2, rt_to_word(x), rt_cti(x->lltype->kind == LL_VOID ? &ll_void : x->lltype));
}

/* A native function with a simple signature (flowgraph/natives.c). */
static struct fg_value *native_call(const char *name, const char *sig, struct fg_op *op, struct args *a)
{
    for (const char *alt = sig; *alt;) {
        const char *letters = strchr(alt, ':') + 1;
        int n = (int)strcspn(letters, "|=");
        const char *end = alt + strcspn(alt, "|");
        if (n == a->npos) {
            const char *eq = memchr(alt, '=', (size_t)(end - alt));
            const char *cname;
            if (eq) {
                cname = sp_strndup(eq + 1, (size_t)(end - eq - 1));
            } else {
                char *c = sp_fmt("rpy_%s", name);
                for (char *p = c; *p; p++)
                    if (*p == '.')
                        *p = '_';
                cname = c;
            }
            struct fg_value *args[n + 1];
            for (int i = 0; i < n; i++) {
                struct fg_value *v = lowv(a->v[i]);
                struct ann_value *va = ann_of(a->v[i]);
                switch (letters[i]) {
                case 'f': args[i] = rt_to_float(v); break;
                case 'i': args[i] = rt_to_int(v); break;
                case 'S': args[i] = va->kind == ANN_NONE ? rt_cnull(ll_str()) : v; break;
                case 'L': args[i] = as_list(v, va, list_type_for(va)); break;
                default: args[i] = v; break;
                }
            }
            return rt_extv(cname, alt[0] == 'n' ? &ll_void : R->lltype, n, args);
        }
        if (!*end)
            break;
        alt = end + 1;
    }
    rt_error("%s() with %d arguments", name, a->npos);
    return NULL;
}

static struct fg_value *call_builtin(const char *name, struct fg_op *op, struct args *a)
{
    if ((!strcmp(name, "math.floor") || !strcmp(name, "math.ceil") || !strcmp(name, "math.trunc")) &&
        a->npos == 1 && ann_of(a->v[0])->kind != ANN_FLOAT)
        return rt_to_int(lowv(a->v[0])); /* of an int: the int itself (no trip through a double) */
    const char *sig = fg_native_signature(name);
    if (sig && *sig)
        return native_call(name, sig, op, a);
    if (!strcmp(name, "math.modf") || !strcmp(name, "math.frexp"))
        return rt_ext(!strcmp(name, "math.modf") ? "rpy_math_modf" : "rpy_math_frexp", R->lltype, 2,
                      rt_to_float(lowv(a->v[0])), rt_cti(R->lltype));
    if (!strcmp(name, "math.prod")) {
        struct ann_value *sa = ann_of(a->v[0]);
        struct fg_value *l = as_list(lowv(a->v[0]), sa, list_type_for(sa));
        struct fg_value *start = kw(a, "start");
        if (R->lltype->kind == LL_FLOAT)
            return rt_ext("rpy_math_prod_float", &ll_float, 2, l, start ? rt_to_float(lowv(start)) : rt_cfloat(1.0));
        return rt_ext("rpy_math_prod_int", &ll_signed, 2, l, start ? rt_to_int(lowv(start)) : rt_cint(1));
    }
    if (!strcmp(name, "math.isclose")) {
        struct fg_value *rel = kw(a, "rel_tol"), *abs_ = kw(a, "abs_tol");
        return rt_ext("rpy_math_isclose", &ll_bool, 4, rt_to_float(lowv(a->v[0])), rt_to_float(lowv(a->v[1])),
                      rel ? rt_to_float(lowv(rel)) : rt_cfloat(1e-09), abs_ ? rt_to_float(lowv(abs_)) : rt_cfloat(0.0));
    }
    if (!strcmp(name, "random.choice")) {
        struct fg_value *s = lowv(a->v[0]);
        if (ann_of(a->v[0])->kind == ANN_STR)
            return rt_ext("rpy_random_choice_str", ll_str(), 1, s);
        return rt_from_word(rt_ext("rpy_random_choice", &ll_word, 1, s), R->lltype);
    }
    if (!strcmp(name, "random.randrange")) {
        struct fg_value *x = rt_to_int(lowv(a->v[0]));
        struct fg_value *stop = a->npos >= 2 ? rt_to_int(lowv(a->v[1])) : rt_cint(0);
        struct fg_value *step = a->npos == 3 ? rt_to_int(lowv(a->v[2])) : rt_cint(1);
        return rt_ext("rpy_random_randrange", &ll_signed, 4, x, stop, rt_cbool(a->npos >= 2), step);
    }
    if (!strcmp(name, "sys.exit")) {
        struct ann_value *xa = a->npos ? ann_of(a->v[0]) : NULL;
        if (xa && xa->kind == ANN_STR)
            rt_ext("rpy_sys_exit_str", &ll_void, 1, lowv(a->v[0]));
        else
            rt_ext("rpy_sys_exit_int", &ll_void, 1, xa && xa->kind != ANN_NONE ? rt_to_int(lowv(a->v[0])) : rt_cint(0));
        return rt_cvoid();
    }
    if (!strcmp(name, "print")) return b_print(op, a);
    if (!strcmp(name, "open")) {
        struct fg_value *mode = a->npos == 2 ? a->v[1] : kw(a, "mode");
        return rt_ext("rpy_file_open", ll_file(), 2, lowv(a->v[0]), mode ? lowv(mode) : rt_cnull(ll_str()));
    }
    if (!strcmp(name, "input"))
        return rt_ext("rpy_input", ll_str(), 1, a->npos ? lowv(a->v[0]) : rt_cnull(ll_str()));
    if (!strcmp(name, "len")) return b_len(op, a);
    if (!strcmp(name, "range")) return range_of(a);
    if (!strcmp(name, "round")) return b_round(op, a);
    if (!strcmp(name, "abs")) return b_abs(op, a);
    if (!strcmp(name, "min") || !strcmp(name, "max")) return b_minmax(name[1] == 'a', op, a);
    if (!strcmp(name, "sum")) return b_sum(op, a);
    if (!strcmp(name, "int") || !strcmp(name, "float") || !strcmp(name, "bool") || !strcmp(name, "str") ||
        !strcmp(name, "repr"))
        return b_conversion(name, op, a);
    if (!strcmp(name, "list") || !strcmp(name, "sorted")) return b_list_like(name, op, a);
    if (!strcmp(name, "enumerate")) return b_enumerate(op, a);
    if (!strcmp(name, "any") || !strcmp(name, "all")) return b_anyall(name[1] == 'n', op, a);
    if (!strcmp(name, "divmod")) return b_divmod(op, a);
    if (!strcmp(name, "isinstance")) return b_isinstance(op, a);
    if (!strcmp(name, "iter")) return b_iter(op, a);
    if (!strcmp(name, "next")) return b_next(op, a);
    if (!strcmp(name, "hash")) return b_hash(op, a);
    if (!strcmp(name, "hex") || !strcmp(name, "oct") || !strcmp(name, "bin"))
        return rt_ext(sp_fmt("rpy_int_%s", name), ll_str(), 1, rt_to_int(lowv(a->v[0])));
    if (!strcmp(name, "chr"))
        return rt_ext("rpy_str_chr", ll_str(), 1, rt_to_int(lowv(a->v[0])));
    if (!strcmp(name, "ord"))
        return rt_ext("rpy_str_ord", &ll_signed, 1, lowv(a->v[0]));
    if (!strcmp(name, "pow")) {
        if (a->npos == 3)
            return rt_ext("rpy_int_powmod", &ll_signed, 3, rt_to_int(lowv(a->v[0])), rt_to_int(lowv(a->v[1])),
                          rt_to_int(lowv(a->v[2])));
        return rt_power(lowv(a->v[0]), ann_of(a->v[0]), lowv(a->v[1]), ann_of(a->v[1]), R->lltype);
    }
    if (!strcmp(name, "collections.deque")) {
        struct lltype *t = R->lltype;
        struct fg_value *items = rt_cnull(ll_list(t->item));
        if (a->npos >= 1) {
            struct ann_value *sa = ann_of(a->v[0]);
            items = as_list(lowv(a->v[0]), sa, list_type_for(sa));
        }
        struct fg_value *maxlen = a->npos == 2 ? a->v[1] : kw(a, "maxlen");
        struct fg_value *ml = maxlen && ann_of(maxlen)->kind != ANN_NONE ? rt_to_int(lowv(maxlen)) : rt_cint(-1);
        return rt_ext("rpy_deque_new", t, 3, rt_cti(t), items, ml);
    }
    if (!strcmp(name, "id")) {
        struct fg_value *v = lowv(a->v[0]);
        if (v->lltype->kind == LL_PTR)
            return rt_ext("rpy_id_of", &ll_signed, 1, rt_op(OP_LL_CAST_PTR, ll_gcref(), 1, v));
        return rt_ext("rpy_int_hash", &ll_signed, 1, rt_to_int(rt_to_word(v))); /* a scalar: its value */
    }
    if (!strcmp(name, "tuple")) {
        struct lltype *t = R->lltype;
        if (!a->npos)
            return rt_ext("rpy_list_new", t, 2, rt_cti(t), rt_cint(0));
        struct ann_value *sa = ann_of(a->v[0]);
        if (sa->kind == ANN_TUPLE || (sa->kind == ANN_LIST && lowv(a->v[0])->lltype == t))
            return lowv(a->v[0]); /* a tuple already */
        if (sa->kind == ANN_LIST)
            return rt_ext("rpy_list_copy_as", t, 2, lowv(a->v[0]), rt_cti(t));
        return as_list(lowv(a->v[0]), sa, t);
    }
    if (!strcmp(name, "set")) {
        struct lltype *t = R->lltype;
        if (!a->npos)
            return rt_ext("rpy_set_new", t, 1, rt_cti(t));
        struct ann_value *sa = ann_of(a->v[0]);
        return rt_ext("rpy_set_from_list", t, 2, rt_cti(t), as_list(lowv(a->v[0]), sa, list_type_for(sa)));
    }
    if (!strcmp(name, "dict")) {
        struct lltype *t = R->lltype;
        if (!a->npos)
            return rt_ext("rpy_dict_new", t, 1, rt_cti(t));
        return rt_ext("rpy_dict_copy", t, 1, lowv(a->v[0]));
    }
    if (!strcmp(name, "_rpy_sort_by_keys")) {
        rt_ext("rpy_list_sort_by_keys", &ll_void, 3, lowv(a->v[0]), lowv(a->v[1]), rt_truth(lowv(a->v[2]), ann_of(a->v[2])));
        return rt_cvoid();
    }
    rt_error("the built-in %s() is not supported yet", name);
    return NULL;
}

/* ---- methods of built-in types ---- */

static struct fg_value *wordarg(struct fg_value *v, struct lltype *t)
{
    return rt_to_word(as_type(v, t));
}

/* A deque: its own ends; the rest as a list's (the object is one). */
static struct fg_value *list_method(const char *name, struct fg_op *op, struct fg_value *l, struct args *a);

static struct fg_value *deque_method(const char *name, struct fg_op *op, struct fg_value *d, struct args *a)
{
    struct lltype *it = d->lltype->item, *rt = R->lltype;
    if (!strcmp(name, "append") || !strcmp(name, "appendleft")) {
        rt_ext(sp_fmt("rpy_deque_%s", name), &ll_void, 2, d, wordarg(a->v[0], it));
        return rt_cvoid();
    }
    if (!strcmp(name, "pop") || !strcmp(name, "popleft"))
        return rt_from_word(rt_ext(sp_fmt("rpy_deque_%s", name), &ll_word, 1, d), rt);
    if (!strcmp(name, "extend") || !strcmp(name, "extendleft")) {
        struct ann_value *sa = ann_of(a->v[0]);
        rt_ext(sp_fmt("rpy_deque_%s", name), &ll_void, 2, d, as_list(lowv(a->v[0]), sa, list_type_for(sa)));
        return rt_cvoid();
    }
    if (!strcmp(name, "rotate")) {
        rt_ext("rpy_deque_rotate", &ll_void, 2, d, a->npos ? rt_to_int(lowv(a->v[0])) : rt_cint(1));
        return rt_cvoid();
    }
    return list_method(name, op, d, a);
}

static struct fg_value *list_method(const char *name, struct fg_op *op, struct fg_value *l, struct args *a)
{
    struct lltype *it = l->lltype->item, *rt = R->lltype;
    rt_check_not_none(l, ann_of(op->args[0]), name);
    if (!strcmp(name, "append")) {
        rt_ext("rpy_list_append", &ll_void, 2, l, wordarg(a->v[0], it));
        return rt_cvoid();
    }
    if (!strcmp(name, "clear") || !strcmp(name, "reverse")) {
        rt_ext(name[0] == 'c' ? "rpy_list_clear" : "rpy_list_reverse", &ll_void, 1, l);
        return rt_cvoid();
    }
    if (!strcmp(name, "count"))
        return rt_ext("rpy_list_count", &ll_signed, 2, l, wordarg(a->v[0], it));
    if (!strcmp(name, "index")) {
        if (a->npos == 1)
            return rt_ext("rpy_list_index", &ll_signed, 2, l, wordarg(a->v[0], it));
        struct fg_value *stop = a->npos == 3 ? rt_to_int(lowv(a->v[2])) : rt_cint(INT64_MAX);
        return rt_ext("rpy_list_index_range", &ll_signed, 4, l, wordarg(a->v[0], it), rt_to_int(lowv(a->v[1])), stop);
    }
    if (!strcmp(name, "remove")) {
        rt_ext("rpy_list_remove", &ll_void, 2, l, wordarg(a->v[0], it));
        return rt_cvoid();
    }
    if (!strcmp(name, "pop")) {
        struct fg_value *i = a->npos ? rt_to_int(lowv(a->v[0])) : rt_cint(-1);
        return rt_from_word(rt_ext("rpy_list_pop", &ll_word, 2, l, i), rt);
    }
    if (!strcmp(name, "insert")) {
        rt_ext("rpy_list_insert", &ll_void, 3, l, rt_to_int(lowv(a->v[0])), wordarg(a->v[1], it));
        return rt_cvoid();
    }
    if (!strcmp(name, "extend")) {
        struct ann_value *sa = ann_of(a->v[0]);
        rt_ext("rpy_list_extend", &ll_void, 2, l, as_list(lowv(a->v[0]), sa, l->lltype));
        return rt_cvoid();
    }
    if (!strcmp(name, "copy"))
        return rt_ext("rpy_list_copy", rt, 1, l);
    if (!strcmp(name, "sort")) {
        struct fg_value *rev = kw(a, "reverse");
        rt_ext("rpy_list_sort", &ll_void, 2, l, rev ? rt_truth(lowv(rev), ann_of(rev)) : rt_cbool(false));
        return rt_cvoid();
    }
    rt_error("list.%s() is not supported yet", name);
    return NULL;
}

/* d.get(k) of a dict of scalars, which may be None: the value (or 0) and
 * the flag "found" that its uses read (annotator: dict_get). */
static struct fg_value *dict_get_maybe(struct fg_op *op, struct fg_value *d, struct fg_value *key)
{
    struct lltype *kt = d->lltype->item, *vt = d->lltype->value;
    /* the key word twice: a word is not a GC root across the first call */
    struct fg_value *found = rt_ext("rpy_dict_contains", &ll_bool, 2, d, wordarg(key, kt));
    struct fg_value *w = rt_ext("rpy_dict_get", &ll_word, 3, d, wordarg(key, kt), rt_to_word(rt_cnull(vt)));
    rt_set_maybe_flag(op->result, found);
    return rt_from_word(w, R->lltype);
}

/* d.update(other), d.update(pairs), d.update(name=value, ...) */
static void dict_update(struct fg_value *d, struct args *a)
{
    if (a->npos) {
        struct ann_value *oa = ann_of(a->v[0]);
        if (oa->kind == ANN_DICT)
            rt_ext("rpy_dict_update", &ll_void, 2, d, lowv(a->v[0]));
        else
            rt_ext("rpy_dict_update_pairs", &ll_void, 2, d, lowv(a->v[0]));
    }
    for (int i = 0; i < a->nkw; i++) {
        struct fg_value *k = rt_cstr(a->kwnames[i], strlen(a->kwnames[i]));
        rt_ext("rpy_dict_setitem", &ll_void, 3, d, rt_to_word(k), wordarg(a->v[a->npos + i], d->lltype->value));
    }
}

static struct fg_value *dict_method(const char *name, struct fg_op *op, struct fg_value *d, struct args *a)
{
    struct lltype *kt = d->lltype->item, *vt = d->lltype->value, *rt = R->lltype;
    rt_check_not_none(d, ann_of(op->args[0]), name);
    if (!strcmp(name, "get")) {
        if (rt_maybe_none(R->ann))
            return dict_get_maybe(op, d, a->v[0]);
        struct fg_value *dflt = a->npos == 2 ? wordarg(a->v[1], vt) : rt_to_word(rt_cnull(vt));
        return rt_from_word(rt_ext("rpy_dict_get", &ll_word, 3, d, wordarg(a->v[0], kt), dflt), rt);
    }
    if (!strcmp(name, "items"))
        return rt_ext("rpy_dict_items", rt, 3, d, rt_cti(rt), rt_cti(rt->item));
    if (!strcmp(name, "popitem"))
        return rt_ext("rpy_dict_popitem", rt, 2, d, rt_cti(rt));
    if (!strcmp(name, "keys") || !strcmp(name, "values"))
        return rt_ext(name[0] == 'k' ? "rpy_dict_keys" : "rpy_dict_values", rt, 2, d, rt_cti(rt));
    if (!strcmp(name, "clear")) {
        rt_ext("rpy_dict_clear", &ll_void, 1, d);
        return rt_cvoid();
    }
    if (!strcmp(name, "copy"))
        return rt_ext("rpy_dict_copy", rt, 1, d);
    if (!strcmp(name, "pop")) {
        if (a->npos == 2)
            return rt_from_word(rt_ext("rpy_dict_pop_default", &ll_word, 3, d, wordarg(a->v[0], kt),
                                       wordarg(a->v[1], vt)), rt);
        return rt_from_word(rt_ext("rpy_dict_pop", &ll_word, 2, d, wordarg(a->v[0], kt)), rt);
    }
    if (!strcmp(name, "setdefault")) {
        struct fg_value *dflt = a->npos == 2 ? wordarg(a->v[1], vt) : rt_to_word(rt_cnull(vt));
        return rt_from_word(rt_ext("rpy_dict_setdefault", &ll_word, 3, d, wordarg(a->v[0], kt), dflt), rt);
    }
    if (!strcmp(name, "update")) {
        dict_update(d, a);
        return rt_cvoid();
    }
    rt_error("dict.%s() is not supported yet", name);
    return NULL;
}

/* Another collection as a set of type st (set methods take any iterable). */
static struct fg_value *as_set(struct fg_value *o, struct lltype *st)
{
    struct ann_value *oa = ann_of(o);
    if (oa->kind == ANN_SET)
        return lowv(o);
    return rt_ext("rpy_set_from_list", st, 2, rt_cti(st), as_list(lowv(o), oa, ll_list(st->item)));
}

static struct fg_value *set_method(const char *name, struct fg_op *op, struct fg_value *s, struct args *a)
{
    struct lltype *it = s->lltype->item, *st = s->lltype;
    rt_check_not_none(s, ann_of(op->args[0]), name);
    if (!strcmp(name, "add") || !strcmp(name, "remove") || !strcmp(name, "discard")) {
        rt_ext(sp_fmt("rpy_set_%s", name), &ll_void, 2, s, wordarg(a->v[0], it));
        return rt_cvoid();
    }
    if (!strcmp(name, "pop"))
        return rt_from_word(rt_ext("rpy_set_pop", &ll_word, 1, s), R->lltype);
    if (!strcmp(name, "clear")) {
        rt_ext("rpy_set_clear", &ll_void, 1, s);
        return rt_cvoid();
    }
    if (!strcmp(name, "copy"))
        return rt_ext("rpy_set_copy", st, 1, s);
    if (!strcmp(name, "isdisjoint"))
        return rt_ext("rpy_set_isdisjoint", &ll_bool, 2, s, as_set(a->v[0], st));
    if (!strcmp(name, "issubset") || !strcmp(name, "issuperset")) {
        /* inclusion is the set order: a <= b, a >= b */
        bool sub = name[4] == 'b';
        struct fg_value *o = as_set(a->v[0], st);
        struct fg_value *c = rt_ext("rpy_compare_c", &ll_signed, 4, rt_to_word(s), rt_to_word(o), rt_cti(st),
                                    rt_cint(sub ? 1 : 5));
        return rt_op(sub ? OP_LL_INT_LE : OP_LL_INT_GE, &ll_bool, 2, c, rt_cint(0));
    }
    if (strstr(name, "update")) { /* update, intersection_update, ...: in place, each other in turn */
        const char *fn = !strcmp(name, "update") ? "rpy_set_update" : sp_fmt("rpy_set_%s", name);
        for (int i = 0; i < a->npos; i++)
            rt_ext(fn, &ll_void, 2, s, as_set(a->v[i], st));
        return rt_cvoid();
    }
    /* union, intersection, difference, symmetric_difference: a new set */
    if (a->npos == 0)
        return rt_ext("rpy_set_copy", st, 1, s);
    struct fg_value *r = s;
    for (int i = 0; i < a->npos; i++)
        r = rt_ext(sp_fmt("rpy_set_%s", name), st, 2, r, as_set(a->v[i], st));
    return r;
}

/* Argument i of a str method, positional or (where CPython takes it by
 * keyword) named; NULL when omitted (annotator: bind_params). */
static struct fg_value *arg_at(struct args *a, int i, const char *kwname)
{
    if (i < a->npos)
        return a->v[i];
    return kwname ? kw(a, kwname) : NULL;
}

static bool omitted(struct fg_value *v) { return !v || ann_of(v)->kind == ANN_NONE; }

/* A str argument; None, where it may be, raises TypeError. NULL when
 * omitted or None and or_null (strip's chars, split's sep). */
static struct fg_value *str_arg(struct fg_value *v, bool or_null)
{
    if (omitted(v))
        return or_null ? rt_cnull(ll_str()) : NULL;
    struct fg_value *s = lowv(v);
    if (ann_of(v)->nullable && !or_null)
        rt_ext("rpy_str_arg_check", &ll_void, 1, s);
    return s;
}

/* A slice-like bound of a str search: omitted and None are 0 / the end. */
static struct fg_value *bound_arg(struct fg_value *v, int64_t dflt)
{
    return omitted(v) ? rt_cint(dflt) : rt_to_int(lowv(v));
}

static struct fg_value *str_search(const char *name, struct fg_op *op, struct fg_value *s, struct args *a)
{
    struct lltype *rt = R->lltype;
    struct fg_value *sub = arg_at(a, 0, NULL), *start = arg_at(a, 1, NULL), *end = arg_at(a, 2, NULL);
    bool whole = omitted(start) && omitted(end);
    struct fg_value *lo = bound_arg(start, 0), *hi = bound_arg(end, INT64_MAX);
    bool tail = !strcmp(name, "startswith") || !strcmp(name, "endswith");
    if (tail && ann_of(sub)->kind == ANN_TUPLE) {
        struct fg_value *t = lowv(sub);
        return rt_ext("rpy_str_tailmatch_any", rt, 6, s, t, rt_cti(t->lltype), lo, hi, rt_cbool(name[0] == 'e'));
    }
    struct fg_value *x = str_arg(sub, false);
    if (whole)
        return rt_ext(sp_fmt("rpy_str_%s", name), rt, 2, s, x);
    return rt_ext(sp_fmt("rpy_str_%s_slice", name), rt, 4, s, x, lo, hi);
}

/* s.format(*args, **kwargs) */
static struct fg_value *str_format(struct fg_op *op, struct fg_value *s, struct args *a)
{
    struct lltype *rt = R->lltype;
    struct fg_value *tup = rt_make_tuple(a->v, a->npos + a->nkw);
    if (!a->nkw)
        return rt_ext("rpy_str_format_method", rt, 3, s, tup, rt_cti(tup->lltype));
    struct fg_value *names[a->nkw + 1];
    for (int i = 0; i < a->nkw; i++)
        names[i] = fg_const_str(a->kwnames[i], strlen(a->kwnames[i]));
    struct fg_value *nt = rt_make_tuple(names, a->nkw);
    return rt_ext("rpy_str_format_kw", rt, 5, s, tup, rt_cti(tup->lltype), nt, rt_cti(nt->lltype));
}

static struct fg_value *str_method(const char *name, struct fg_op *op, struct fg_value *s, struct args *a)
{
    struct lltype *rt = R->lltype;
    rt_check_not_none(s, ann_of(op->args[0]), name);
    static const char *const simple[] = {"upper", "lower", "title", "capitalize", "isdigit", "isalpha", "isalnum",
                                         "isspace", "isupper", "islower", "istitle", "isdecimal", "isnumeric", NULL};
    for (int i = 0; simple[i]; i++)
        if (!strcmp(name, simple[i]))
            return rt_ext(sp_fmt("rpy_str_%s", name), rt, 1, s);
    if (!strcmp(name, "strip") || !strcmp(name, "lstrip") || !strcmp(name, "rstrip"))
        return rt_ext(sp_fmt("rpy_str_%s", name), rt, 2, s, str_arg(arg_at(a, 0, NULL), true));
    static const char *const search[] = {"startswith", "endswith", "find", "rfind", "index", "rindex", "count", NULL};
    for (int i = 0; search[i]; i++)
        if (!strcmp(name, search[i]))
            return str_search(name, op, s, a);
    if (!strcmp(name, "replace")) {
        struct fg_value *count = a->npos == 3 ? rt_to_int(lowv(a->v[2])) : rt_cint(-1);
        return rt_ext("rpy_str_replace", rt, 4, s, str_arg(a->v[0], false), str_arg(a->v[1], false), count);
    }
    if (!strcmp(name, "split") || !strcmp(name, "rsplit")) {
        struct fg_value *sep = str_arg(arg_at(a, 0, "sep"), true), *maxsplit = arg_at(a, 1, "maxsplit");
        struct fg_value *n = maxsplit ? rt_to_int(lowv(maxsplit)) : rt_cint(-1);
        return rt_ext(sp_fmt("rpy_str_%s", name), rt, 4, s, sep, n, rt_cti(rt));
    }
    if (!strcmp(name, "splitlines")) {
        struct fg_value *k = arg_at(a, 0, "keepends");
        struct fg_value *keep = k ? rt_truth(lowv(k), ann_of(k)) : rt_cbool(false);
        return rt_ext("rpy_str_splitlines", rt, 3, s, keep, rt_cti(rt));
    }
    if (!strcmp(name, "zfill"))
        return rt_ext("rpy_str_zfill", rt, 2, s, rt_to_int(lowv(a->v[0])));
    if (!strcmp(name, "ljust") || !strcmp(name, "rjust") || !strcmp(name, "center")) {
        struct fg_value *fill = a->npos == 2 ? str_arg(a->v[1], false) : rt_cnull(ll_str());
        return rt_ext(sp_fmt("rpy_str_%s", name), rt, 3, s, rt_to_int(lowv(a->v[0])), fill);
    }
    if (!strcmp(name, "partition") || !strcmp(name, "rpartition"))
        return rt_ext(sp_fmt("rpy_str_%s", name), rt, 3, s, str_arg(a->v[0], false), rt_cti(rt));
    if (!strcmp(name, "encode"))
        return rt_ext("rpy_str_encode", rt, 2, s, rt_cti(rt));
    if (!strcmp(name, "format"))
        return str_format(op, s, a);
    if (!strcmp(name, "join")) {
        struct ann_value *sa = ann_of(a->v[0]);
        struct fg_value *l = as_list(lowv(a->v[0]), sa, list_type_for(sa));
        return rt_ext("rpy_str_join", rt, 2, s, l);
    }
    rt_error("str.%s() is not supported yet", name);
    return NULL;
}

static struct fg_value *call_constant(struct fg_op *op, struct fg_value *c, struct args *ap);

static struct fg_value *file_method(const char *name, struct fg_op *op, struct fg_value *f, struct args *a)
{
    if (!strcmp(name, "read") || !strcmp(name, "readline")) {
        struct fg_value *n = a->npos ? rt_to_int(lowv(a->v[0])) : rt_cint(-1);
        return rt_ext(sp_fmt("rpy_file_%s", name), ll_str(), 2, f, n);
    }
    if (!strcmp(name, "readlines"))
        return rt_ext("rpy_file_readlines", R->lltype, 2, f, rt_cti(R->lltype));
    if (!strcmp(name, "write"))
        return rt_ext("rpy_file_write", &ll_signed, 2, f, lowv(a->v[0]));
    if (!strcmp(name, "close") || !strcmp(name, "flush")) {
        rt_ext(sp_fmt("rpy_file_%s", name), &ll_void, 1, f);
        return rt_cvoid();
    }
    if (!strcmp(name, "__enter__"))
        return rt_ext("rpy_file_enter", ll_file(), 1, f);
    if (!strcmp(name, "__exit__")) {
        rt_ext("rpy_file_exit", &ll_void, 1, f);
        return rt_cbool(false);
    }
    rt_error("file.%s() is not supported yet", name);
    return NULL;
}

/* ---- function values (funcs.c) ---- */

static struct lltype *family_arg_type(struct ann_family *fam, int i) { return rt_lltype_of(fam->args[i]); }
static struct lltype *family_result_type(struct ann_family *fam) { return rt_lltype_of(fam->result); }

static const char *desc_name(struct ann_desc *d)
{
    if (d->kind == ANN_DESC_BOUND)
        return sp_fmt("%s.%s", d->cls->name, d->method);
    return d->func->qualname;
}

/* The graph a function object of description d points to: the family's
 * signature (env, args...) -> result, calling d's function. */
struct fg_graph *rt_desc_adapter(struct ann_desc *d)
{
    if (d->lowered)
        return d->lowered;
    struct ann_family *fam = ann_family(d->fam);
    int n = fam->nargs < 0 ? 0 : fam->nargs;
    struct srcpos pos = d->func ? d->func->def->pos : rt_cur.pos;
    struct fg_graph *g = fg_newgraph(sp_intern(sp_fmt("%s<value>", desc_name(d))), NULL, pos);
    g->no_traceback = true; /* the frame of the function it calls is the one shown */
    d->lowered = g;
    struct rt_emit saved = rt_cur;
    struct sp_vec ops = {0};
    rt_cur.ops = &ops;
    rt_cur.graph = g;
    rt_cur.pos = pos;
    struct fg_block *b = g->startblock;
    struct fg_value *env = rt_var(ll_gcref());
    sp_vec_push(&b->inputargs, env);
    struct fg_value **args = sp_alloc(sizeof(struct fg_value *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        args[i] = rt_var(family_arg_type(fam, i));
        sp_vec_push(&b->inputargs, args[i]);
    }
    struct lltype *rtype = family_result_type(fam);
    ((struct fg_value *)g->returnblock->inputargs.v[0])->lltype = rtype;
    for (int i = 0; i < g->exceptblock->inputargs.n; i++)
        ((struct fg_value *)g->exceptblock->inputargs.v[i])->lltype = &ll_void;
    struct args a = {args, n, 0, NULL, false};
    struct fg_value *r = NULL;
    if (fam->nargs < 0 || !d->target) {
        r = rt_cnull(rtype); /* never called */
    } else if (d->kind == ANN_DESC_FUNC) {
        r = call_graph(d->target, NULL, &a, return_type(d->target));
    } else {
        struct fg_value *self = rt_op(OP_LL_CAST_PTR, rt_lltype_of(d->env), 1, env);
        if (d->kind == ANN_DESC_CLOSURE)
            r = call_graph(d->target, self, &a, return_type(d->target));
        else if (d->targets)
            r = dispatch_on(d->env, d->method, self, d->targets, &a, rtype);
        else
            r = call_bound(d->target, self, &a, return_type(d->target));
    }
    r = r ? rt_convert(r, rtype) : rt_cnull(rtype);
    b->ops = ops;
    struct fg_link *l = fg_link_to(b, g->returnblock, NULL);
    sp_vec_push(&l->args, rtype->kind == LL_VOID ? rt_cvoid() : r);
    rt_cur = saved;
    sp_vec_push(&rt_prog->graphs, g);
    return g;
}

/* f(args) where f is a function value (fo, of annotation ca):
 * fn(env, args...) indirectly. */
static struct fg_value *call_funcobj(struct fg_op *op, struct fg_value *fo, struct ann_value *ca, struct args *a)
{
    struct ann_family *fam = ann_family(ca->fam);
    int nfam;
    struct fg_value **completed = ann_family_args(op, &nfam);
    struct args full = {completed, nfam, 0, NULL, false};
    if (completed) /* keywords and defaults filled in by the annotator */
        a = &full;
    if (ca->nullable)
        rt_ext("rpy_check_callable", &ll_void, 1, fo);
    struct fg_value **argv = sp_alloc(sizeof(struct fg_value *) * (size_t)(a->npos + 3));
    argv[0] = rt_getfield(fo, "fn");
    argv[1] = rt_getfield(fo, "env");
    for (int i = 0; i < a->npos; i++)
        argv[2 + i] = rt_convert(lowv(a->v[i]), family_arg_type(fam, i));
    struct fg_value *r = rt_var(family_result_type(fam));
    sp_vec_push(rt_cur.ops, fg_newop(OP_LL_INDIRECT_CALL, argv, a->npos + 2, r, rt_cur.pos));
    return rt_convert(r, R->lltype);
}

static struct fg_value *call_through(struct fg_op *op, struct fg_value *callee, struct args *a)
{
    return call_funcobj(op, lowv(callee), ann_of(callee), a);
}

/* obj.name(args) where obj.name is a function value (an attribute or a
 * module global), not a method. */
static struct fg_value *call_attr(struct fg_op *op, struct args *a)
{
    struct ann_value *oa = ann_of(op->args[0]);
    const char *name = op->args[1]->str;
    struct fg_value *fo;
    struct ann_value *fa;
    if (oa->kind == ANN_INSTANCE) {
        struct fg_value *obj = rt_arg(op->args[0]);
        rt_check_not_none(obj, oa, name);
        struct ll_field *f;
        if (!ll_field_owner(obj->lltype, rt_attr_field(name), &f) || f->type->kind == LL_VOID)
            return call_graph(ann_call_target(op), NULL, a, R->lltype); /* always the same def */
        fo = rt_getfield(obj, rt_attr_field(name));
        fa = ann_getattr_value(oa->classdef, name);
    } else {
        struct ann_global *g = ann_find_global(rt_prog->ann, oa->constv->obj, sp_intern(name));
        fo = rt_op(OP_LL_GETGLOBAL, rt_lltype_of(g->ann), 1, rt_global_slot(g));
        fa = g->ann;
    }
    return call_funcobj(op, fo, fa, a);
}

struct fg_value *rt_lower_call(struct fg_op *op)
{
    if (op->opcode == OP_CALL_SUPER)
        return call_super(op);
    int nprelude;
    struct fg_value **prelude = ann_prelude_args(op, &nprelude);
    if (prelude) { /* a built-in the annotator made a call of the prelude */
        struct args pa = {prelude, nprelude, 0, NULL, false};
        return call_graph(ann_call_target(op), NULL, &pa, R->lltype);
    }
    bool has_shape = op->opcode == OP_CALL_ARGS || op->opcode == OP_CALL_METHOD_ARGS;
    bool is_method = op->opcode == OP_CALL_METHOD || op->opcode == OP_CALL_METHOD_ARGS;
    int first = 1 + is_method + has_shape;
    const struct fg_callshape *shape = has_shape ? op->args[first - 1]->obj : NULL;
    struct args a = call_args_of(op, first, shape);
    struct ann_value *callee = ann_of(op->args[0]);
    if (is_method && ann_is_attr_call(op))
        return call_attr(op, &a);
    if (is_method) {
        const char *name = op->args[1]->str;
        struct fg_value *obj = rt_arg(op->args[0]);
        switch (callee->kind) {
        case ANN_LIST: return obj->lltype->is_deque ? deque_method(name, op, obj, &a) : list_method(name, op, obj, &a);
        case ANN_DICT: return dict_method(name, op, obj, &a);
        case ANN_SET: return set_method(name, op, obj, &a);
        case ANN_STR: return str_method(name, op, obj, &a);
        case ANN_FILE: return file_method(name, op, obj, &a);
        case ANN_INSTANCE: {
            rt_check_not_none(obj, callee, name);
            struct sp_vec *targets = ann_method_targets(op);
            if (targets)
                return dispatch(op, obj, targets, &a);
            return call_bound(ann_call_target(op), obj, &a, R->lltype);
        }
        case ANN_PBC: {
            struct fg_value *mc = ann_module_callee(op);
            if (mc) /* m.f(args): a plain call of the value m.f */
                return call_constant(op, mc, &a);
            /* Class.name(args): static, class or plain (explicit self) method */
            return call_bound(ann_call_target(op), NULL, &a, R->lltype);
        }
        default: rt_error("method %s of %s", name, ann_describe(callee)); return NULL;
        }
    }
    if (callee->kind == ANN_FUNC)
        return call_through(op, op->args[0], &a);
    SP_ASSERT(callee->kind == ANN_PBC);
    return call_constant(op, callee->constv, &a);
}

/* A call of constant c (a function, class or built-in) with the op's
 * arguments a. */
static struct fg_value *call_constant(struct fg_op *op, struct fg_value *c, struct args *ap)
{
    struct args a = *ap;
    switch (c->ckind) {
    case FG_C_FUNC: return call_graph(ann_call_target(op), NULL, &a, R->lltype); /* the specialised version */
    case FG_C_CLASS: return instantiate(op, &a);
    case FG_C_BUILTIN:
        if (ann_instantiates(op))
            return instantiate(op, &a);
        return call_builtin(c->str, op, &a);
    default: rt_error("calling %s is not supported", fg_value_str(c)); return NULL;
    }
}
