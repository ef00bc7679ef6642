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
};

static struct args call_args_of(struct fg_op *op, int first, const struct fg_callshape *shape)
{
    struct args a = {op->args + first, op->nargs - first, 0, NULL};
    if (shape) {
        a.npos = shape->npos;
        a.nkw = shape->nkw;
        a.kwnames = shape->kwnames;
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

static struct fg_value *call_graph(struct fg_func *f, struct fg_value *self, struct args *a, struct lltype *rtype)
{
    struct fg_block *start = f->graph->startblock;
    int np = f->nparams;
    struct fg_value *params[np + 1];
    for (int i = 0; i < np; i++)
        params[i] = NULL;
    int nb = self ? 1 : 0;
    if (self)
        params[0] = self;
    for (int i = 0; i < a->npos; i++)
        params[nb + i] = a->v[i];
    for (int k = 0; k < a->nkw; k++)
        for (int i = 0; i < np; i++)
            if (f->params[i] == a->kwnames[k])
                params[i] = a->v[a->npos + k];
    struct fg_value *args[np + 2];
    args[0] = graph_const(f->graph);
    for (int i = 0; i < np; i++) {
        struct fg_value *p = start->inputargs.v[i];
        struct fg_value *v = params[i] ? params[i] : f->defaults[i];
        args[i + 1] = as_type(v, p->lltype ? p->lltype : rt_lltype_of(p->ann));
    }
    struct fg_value *r = rt_var(rtype);
    struct fg_value **argv = sp_alloc(sizeof(struct fg_value *) * (size_t)(np + 2));
    memcpy(argv, args, sizeof(struct fg_value *) * (size_t)(np + 1));
    sp_vec_push(rt_cur.ops, fg_newop(OP_LL_DIRECT_CALL, argv, np + 1, r, rt_cur.pos));
    return r;
}

static struct lltype *return_type(struct fg_func *f)
{
    return rt_lltype_of(((struct fg_value *)f->graph->returnblock->inputargs.v[0])->ann);
}

static struct fg_value *instantiate(struct fg_op *op, struct args *a)
{
    struct fg_value *p = rt_malloc(R->lltype);
    struct fg_func *init = ann_call_target(op);
    if (init)
        call_graph(init, p, a, return_type(init));
    return p;
}

/* ---- built-in functions ---- */

static struct fg_value *lowv(struct fg_value *v) { return rt_arg(v); }

static struct fg_value *b_print(struct fg_op *op, struct args *a)
{
    struct fg_value *sep = kw(a, "sep"), *end = kw(a, "end");
    for (int i = 0; i < a->npos; i++) {
        if (i > 0) {
            if (sep && ann_of(sep)->kind == ANN_STR)
                rt_ext("rpy_write_str_or", 0, &ll_void, 2, lowv(sep), rt_cstr(" ", 1));
            else
                rt_ext("rpy_write_str", 0, &ll_void, 1, rt_cstr(" ", 1));
        }
        rt_write(lowv(a->v[i]), ann_of(a->v[i]));
    }
    if (end && ann_of(end)->kind == ANN_STR)
        rt_ext("rpy_write_str_or", 0, &ll_void, 2, lowv(end), rt_cstr("\n", 1));
    else
        rt_ext("rpy_write_str", 0, &ll_void, 1, rt_cstr("\n", 1));
    return rt_cvoid();
}

void rt_write(struct fg_value *v, struct ann_value *a)
{
    switch (a->kind) {
    case ANN_INT: rt_ext("rpy_write_int", 0, &ll_void, 1, v); return;
    case ANN_FLOAT: rt_ext("rpy_write_float", 0, &ll_void, 1, v); return;
    case ANN_NONE: rt_ext("rpy_write_str", 0, &ll_void, 1, rt_cstr("None", 4)); return;
    case ANN_STR:
        if (!a->nullable) {
            rt_ext("rpy_write_str", 0, &ll_void, 1, v);
            return;
        }
        break;
    default:
        break;
    }
    struct lltype *t = v->lltype;
    rt_ext("rpy_write_value", 0, &ll_void, 2, rt_to_word(v), rt_cti(t));
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
            rt_ext("rpy_range_check_step", OPF_RAISE, &ll_void, 1, step);
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
        return v;
    case ANN_STR:
        return rt_ext("rpy_list_from_str", OPF_COLLECT, listt, 2, v, rt_cti(listt));
    case ANN_RANGE:
        return rt_ext("rpy_list_from_range", OPF_RAISE | OPF_COLLECT, listt, 4, rt_cti(listt),
                      rt_getfield(v, "start"), rt_getfield(v, "stop"), rt_getfield(v, "step"));
    case ANN_DICT:
    case ANN_SET:
        return rt_ext("rpy_dict_keys", OPF_COLLECT, listt, 2, v, rt_cti(listt));
    default:
        rt_error("converting %s to a list is not supported yet", ann_describe(a));
        return rt_cnull(listt);
    }
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
    return ll_list(&ll_void);
}

static struct fg_value *b_minmax(bool is_max, struct fg_op *op, struct args *a)
{
    struct lltype *rt = R->lltype;
    if (a->npos == 1) {
        struct ann_value *sa = ann_of(a->v[0]);
        struct fg_value *l = as_list(lowv(a->v[0]), sa, list_type_for(sa));
        return rt_from_word(rt_ext(is_max ? "rpy_list_max" : "rpy_list_min", OPF_RAISE, &ll_word, 1, l), rt);
    }
    struct fg_value *acc = as_type(lowv(a->v[0]), rt);
    for (int i = 1; i < a->npos; i++) {
        struct fg_value *x = as_type(lowv(a->v[i]), rt);
        if (rt->kind == LL_SIGNED)
            acc = rt_ext(is_max ? "rpy_int_max2" : "rpy_int_min2", 0, rt, 2, acc, x);
        else if (rt->kind == LL_FLOAT)
            acc = rt_ext(is_max ? "rpy_float_max2" : "rpy_float_min2", 0, rt, 2, acc, x);
        else
            acc = rt_from_word(rt_ext(is_max ? "rpy_max2" : "rpy_min2", OPF_RAISE, &ll_word, 3, rt_to_word(acc),
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
        case ANN_FLOAT: return rt_ext("rpy_float_to_int", OPF_RAISE, &ll_signed, 1, x);
        case ANN_STR: {
            struct fg_value *base = a->npos == 2 ? rt_to_int(lowv(a->v[1])) : rt_cint(10);
            return rt_ext("rpy_int_from_str", OPF_RAISE, &ll_signed, 2, x, base);
        }
        default: return rt_to_int(x);
        }
    }
    /* float */
    if (!x)
        return rt_cfloat(0.0);
    if (xa->kind == ANN_STR)
        return rt_ext("rpy_float_from_str", OPF_RAISE, &ll_float, 1, x);
    return rt_to_float(x);
}

static struct fg_value *b_round(struct fg_op *op, struct args *a)
{
    struct fg_value *x = lowv(a->v[0]);
    struct ann_value *xa = ann_of(a->v[0]);
    bool has_nd = a->npos == 2 && ann_of(a->v[1])->kind != ANN_NONE;
    if (xa->kind != ANN_FLOAT) {
        x = rt_to_int(x);
        return has_nd ? rt_ext("rpy_int_round", OPF_RAISE, &ll_signed, 2, x, rt_to_int(lowv(a->v[1]))) : x;
    }
    if (!has_nd)
        return rt_ext("rpy_float_round_int", OPF_RAISE, &ll_signed, 1, x);
    return rt_ext("rpy_float_round", OPF_RAISE, &ll_float, 2, x, rt_to_int(lowv(a->v[1])));
}

static struct fg_value *b_len(struct fg_op *op, struct args *a)
{
    struct fg_value *x = lowv(a->v[0]);
    struct ann_value *xa = ann_of(a->v[0]);
    switch (xa->kind) {
    case ANN_LIST: return rt_ext("rpy_list_len", 0, &ll_signed, 1, x);
    case ANN_STR: return rt_ext("rpy_str_len", 0, &ll_signed, 1, x);
    case ANN_DICT: case ANN_SET: return rt_ext("rpy_dict_len", 0, &ll_signed, 1, x);
    case ANN_TUPLE: return rt_cint(xa->nitems);
    case ANN_RANGE:
        return rt_ext("rpy_range_len", OPF_RAISE, &ll_signed, 3, rt_getfield(x, "start"), rt_getfield(x, "stop"),
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
        return rt_ext(items_float ? "rpy_list_sum_float" : "rpy_list_sum_int_as_float", OPF_RAISE, &ll_float, 2, l, start);
    }
    struct fg_value *start = a->npos == 2 ? rt_to_int(lowv(a->v[1])) : rt_cint(0);
    return rt_ext("rpy_list_sum_int", OPF_RAISE, &ll_signed, 2, l, start);
}

static struct fg_value *b_list_like(const char *name, struct fg_op *op, struct args *a)
{
    struct lltype *lt = R->lltype;
    if (a->npos == 0)
        return rt_ext("rpy_list_new", OPF_COLLECT, lt, 2, rt_cti(lt), rt_cint(0));
    struct ann_value *sa = ann_of(a->v[0]);
    struct fg_value *src = lowv(a->v[0]);
    struct fg_value *l = sa->kind == ANN_LIST ? rt_ext("rpy_list_copy", OPF_COLLECT, lt, 1, src) : as_list(src, sa, lt);
    if (!strcmp(name, "sorted")) {
        struct fg_value *rev = kw(a, "reverse");
        rt_ext("rpy_list_sort", OPF_RAISE, &ll_void, 2, l, rev ? rt_truth(lowv(rev), ann_of(rev)) : rt_cbool(false));
    }
    return l;
}

static struct fg_value *b_enumerate(struct fg_op *op, struct args *a)
{
    struct lltype *lt = R->lltype;
    struct ann_value *sa = ann_of(a->v[0]);
    struct fg_value *l = as_list(lowv(a->v[0]), sa, list_type_for(sa));
    struct fg_value *start = a->npos == 2 ? rt_to_int(lowv(a->v[1])) : rt_cint(0);
    return rt_ext("rpy_list_enumerate", OPF_COLLECT, lt, 4, l, start, rt_cti(lt), rt_cti(lt->item));
}

static struct fg_value *b_anyall(bool is_any, struct fg_op *op, struct args *a)
{
    struct ann_value *sa = ann_of(a->v[0]);
    struct fg_value *l = as_list(lowv(a->v[0]), sa, list_type_for(sa));
    return rt_ext(is_any ? "rpy_list_any" : "rpy_list_all", 0, &ll_bool, 1, l);
}

static struct fg_value *b_divmod(struct fg_op *op, struct args *a)
{
    struct lltype *t = R->lltype;
    struct fg_value *x = lowv(a->v[0]), *y = lowv(a->v[1]);
    struct fg_value *q, *r;
    if (t->items[0]->kind == LL_FLOAT) {
        x = rt_to_float(x);
        y = rt_to_float(y);
        q = rt_ext("rpy_float_floordiv", OPF_RAISE, &ll_float, 2, x, y);
        r = rt_ext("rpy_float_mod", OPF_RAISE, &ll_float, 2, x, y);
    } else {
        x = rt_to_int(x);
        y = rt_to_int(y);
        q = rt_op(OP_LL_INT_FLOORDIV, &ll_signed, 2, x, y);
        r = rt_op(OP_LL_INT_MOD, &ll_signed, 2, x, y);
    }
    struct fg_value *tup = rt_ext("rpy_tuple_new", OPF_COLLECT, t, 1, rt_cti(t));
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

static struct fg_value *call_builtin(const char *name, struct fg_op *op, struct args *a)
{
    if (!strcmp(name, "print")) return b_print(op, a);
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
    rt_error("the built-in %s() is not supported yet", name);
    return NULL;
}

/* ---- methods of built-in types ---- */

static struct fg_value *wordarg(struct fg_value *v, struct lltype *t)
{
    return rt_to_word(as_type(v, t));
}

static struct fg_value *list_method(const char *name, struct fg_op *op, struct fg_value *l, struct args *a)
{
    struct lltype *it = l->lltype->item, *rt = R->lltype;
    if (!strcmp(name, "append")) {
        rt_ext("rpy_list_append", OPF_COLLECT, &ll_void, 2, l, wordarg(a->v[0], it));
        return rt_cvoid();
    }
    if (!strcmp(name, "clear") || !strcmp(name, "reverse")) {
        rt_ext(name[0] == 'c' ? "rpy_list_clear" : "rpy_list_reverse", 0, &ll_void, 1, l);
        return rt_cvoid();
    }
    if (!strcmp(name, "count"))
        return rt_ext("rpy_list_count", OPF_RAISE, &ll_signed, 2, l, wordarg(a->v[0], it));
    if (!strcmp(name, "index"))
        return rt_ext("rpy_list_index", OPF_RAISE, &ll_signed, 2, l, wordarg(a->v[0], it));
    if (!strcmp(name, "remove")) {
        rt_ext("rpy_list_remove", OPF_RAISE, &ll_void, 2, l, wordarg(a->v[0], it));
        return rt_cvoid();
    }
    if (!strcmp(name, "pop")) {
        struct fg_value *i = a->npos ? rt_to_int(lowv(a->v[0])) : rt_cint(-1);
        return rt_from_word(rt_ext("rpy_list_pop", OPF_RAISE, &ll_word, 2, l, i), rt);
    }
    if (!strcmp(name, "insert")) {
        rt_ext("rpy_list_insert", OPF_COLLECT, &ll_void, 3, l, rt_to_int(lowv(a->v[0])), wordarg(a->v[1], it));
        return rt_cvoid();
    }
    if (!strcmp(name, "extend")) {
        struct ann_value *sa = ann_of(a->v[0]);
        rt_ext("rpy_list_extend", OPF_COLLECT, &ll_void, 2, l, as_list(lowv(a->v[0]), sa, l->lltype));
        return rt_cvoid();
    }
    if (!strcmp(name, "copy"))
        return rt_ext("rpy_list_copy", OPF_COLLECT, rt, 1, l);
    if (!strcmp(name, "sort")) {
        struct fg_value *rev = kw(a, "reverse");
        rt_ext("rpy_list_sort", OPF_RAISE, &ll_void, 2, l, rev ? rt_truth(lowv(rev), ann_of(rev)) : rt_cbool(false));
        return rt_cvoid();
    }
    rt_error("list.%s() is not supported yet", name);
    return NULL;
}

static struct fg_value *dict_method(const char *name, struct fg_op *op, struct fg_value *d, struct args *a)
{
    struct lltype *kt = d->lltype->item, *vt = d->lltype->value, *rt = R->lltype;
    if (!strcmp(name, "get")) {
        struct fg_value *dflt = a->npos == 2 ? wordarg(a->v[1], vt) : rt_to_word(rt_cnull(vt));
        return rt_from_word(rt_ext("rpy_dict_get", OPF_RAISE, &ll_word, 3, d, wordarg(a->v[0], kt), dflt), rt);
    }
    if (!strcmp(name, "items"))
        return rt_ext("rpy_dict_items", OPF_COLLECT, rt, 3, d, rt_cti(rt), rt_cti(rt->item));
    if (!strcmp(name, "keys") || !strcmp(name, "values"))
        return rt_ext(name[0] == 'k' ? "rpy_dict_keys" : "rpy_dict_values", OPF_COLLECT, rt, 2, d, rt_cti(rt));
    if (!strcmp(name, "clear")) {
        rt_ext("rpy_dict_clear", 0, &ll_void, 1, d);
        return rt_cvoid();
    }
    if (!strcmp(name, "copy"))
        return rt_ext("rpy_dict_copy", OPF_COLLECT, rt, 1, d);
    if (!strcmp(name, "pop")) {
        if (a->npos == 2)
            return rt_from_word(rt_ext("rpy_dict_pop_default", OPF_RAISE, &ll_word, 3, d, wordarg(a->v[0], kt),
                                       wordarg(a->v[1], vt)), rt);
        return rt_from_word(rt_ext("rpy_dict_pop", OPF_RAISE, &ll_word, 2, d, wordarg(a->v[0], kt)), rt);
    }
    if (!strcmp(name, "setdefault"))
        return rt_from_word(rt_ext("rpy_dict_setdefault", OPF_RAISE | OPF_COLLECT, &ll_word, 3, d,
                                   wordarg(a->v[0], kt), wordarg(a->v[1], vt)), rt);
    rt_error("dict.%s() is not supported yet", name);
    return NULL;
}

static struct fg_value *str_method(const char *name, struct fg_op *op, struct fg_value *s, struct args *a)
{
    struct lltype *rt = R->lltype;
    static const char *const simple[] = {"upper", "lower", "isdigit", "isalpha", "isalnum", "isspace",
                                         "isupper", "islower", NULL};
    for (int i = 0; simple[i]; i++)
        if (!strcmp(name, simple[i]))
            return rt_ext(sp_fmt("rpy_str_%s", name), OPF_COLLECT, rt, 1, s);
    if (!strcmp(name, "strip") || !strcmp(name, "lstrip") || !strcmp(name, "rstrip")) {
        struct fg_value *chars = a->npos ? lowv(a->v[0]) : rt_cnull(ll_str());
        return rt_ext(sp_fmt("rpy_str_%s", name), OPF_COLLECT, rt, 2, s, chars);
    }
    static const char *const two[] = {"startswith", "endswith", "find", "rfind", "index", "count", NULL};
    for (int i = 0; two[i]; i++)
        if (!strcmp(name, two[i]))
            return rt_ext(sp_fmt("rpy_str_%s", name), OPF_RAISE, rt, 2, s, lowv(a->v[0]));
    if (!strcmp(name, "replace"))
        return rt_ext("rpy_str_replace", OPF_COLLECT, rt, 4, s, lowv(a->v[0]), lowv(a->v[1]), rt_cint(-1));
    if (!strcmp(name, "split")) {
        struct fg_value *sep = a->npos >= 1 && ann_of(a->v[0])->kind == ANN_STR ? lowv(a->v[0]) : rt_cnull(ll_str());
        struct fg_value *maxsplit = a->npos == 2 ? rt_to_int(lowv(a->v[1])) : rt_cint(-1);
        return rt_ext("rpy_str_split", OPF_RAISE | OPF_COLLECT, rt, 4, s, sep, maxsplit, rt_cti(rt));
    }
    if (!strcmp(name, "join")) {
        struct ann_value *sa = ann_of(a->v[0]);
        struct fg_value *l = as_list(lowv(a->v[0]), sa, list_type_for(sa));
        return rt_ext("rpy_str_join", OPF_COLLECT, rt, 2, s, l);
    }
    rt_error("str.%s() is not supported yet", name);
    return NULL;
}

struct fg_value *rt_lower_call(struct fg_op *op)
{
    bool has_shape = op->opcode == OP_CALL_ARGS || op->opcode == OP_CALL_METHOD_ARGS;
    bool is_method = op->opcode == OP_CALL_METHOD || op->opcode == OP_CALL_METHOD_ARGS;
    int first = 1 + is_method + has_shape;
    const struct fg_callshape *shape = has_shape ? op->args[first - 1]->obj : NULL;
    struct args a = call_args_of(op, first, shape);
    struct ann_value *callee = ann_of(op->args[0]);
    if (is_method) {
        const char *name = op->args[1]->str;
        struct fg_value *obj = rt_arg(op->args[0]);
        switch (callee->kind) {
        case ANN_LIST: return list_method(name, op, obj, &a);
        case ANN_DICT: return dict_method(name, op, obj, &a);
        case ANN_STR: return str_method(name, op, obj, &a);
        case ANN_INSTANCE:
            rt_check_not_none(obj, callee, name);
            return call_graph(ann_call_target(op), obj, &a, R->lltype);
        default: rt_error("method %s of %s", name, ann_describe(callee)); return NULL;
        }
    }
    SP_ASSERT(callee->kind == ANN_PBC);
    struct fg_value *c = callee->constv;
    switch (c->ckind) {
    case FG_C_FUNC: return call_graph(c->obj, NULL, &a, R->lltype);
    case FG_C_CLASS: return instantiate(op, &a);
    case FG_C_BUILTIN: return call_builtin(c->str, op, &a);
    default: rt_error("calling %s is not supported", fg_value_str(c)); return NULL;
    }
}
