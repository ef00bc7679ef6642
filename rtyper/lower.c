/* lower.c - the lowering of every high-level op except calls (calls.c).
 *
 * Each case reads the annotations of the op's arguments and emits the
 * low-level ops that compute the same thing: inline ops for unboxed
 * arithmetic, direct_calls of runtime routines for the rest. Container
 * slots are words: values go through cast_to_word / cast_from_word.
 */
#include "internal.h"

#include <string.h>

#define A(i) ann_of(op->args[i])
#define V(i) rt_arg(op->args[i])
#define R (op->result)

static struct lltype *rtype(struct fg_op *op) { return R->lltype; }

static bool is_float(struct ann_value *a) { return a->kind == ANN_FLOAT; }

/* ---- arithmetic ---- */

static enum fg_opcode plain(enum fg_opcode opc)
{
    if (opc >= OP_INPLACE_ADD && opc <= OP_INPLACE_XOR)
        return (enum fg_opcode)(OP_ADD + (opc - OP_INPLACE_ADD));
    return opc;
}

static struct fg_value *float_arith(enum fg_opcode opc, struct fg_value *a, struct fg_value *b)
{
    a = rt_to_float(a);
    b = rt_to_float(b);
    switch (opc) {
    case OP_ADD: return rt_op(OP_LL_FLOAT_ADD, &ll_float, 2, a, b);
    case OP_SUB: return rt_op(OP_LL_FLOAT_SUB, &ll_float, 2, a, b);
    case OP_MUL: return rt_op(OP_LL_FLOAT_MUL, &ll_float, 2, a, b);
    case OP_TRUEDIV: return rt_ext("rpy_float_truediv", &ll_float, 2, a, b);
    case OP_FLOORDIV: return rt_ext("rpy_float_floordiv", &ll_float, 2, a, b);
    case OP_MOD: return rt_ext("rpy_float_mod", &ll_float, 2, a, b);
    case OP_POW: return rt_ext("rpy_float_pow", &ll_float, 2, a, b);
    default: sp_die("float op %s", fg_opname(opc));
    }
}

static struct fg_value *int_arith(enum fg_opcode opc, struct fg_value *a, struct fg_value *b)
{
    a = rt_to_int(a);
    b = rt_to_int(b);
    switch (opc) {
    case OP_ADD: return rt_op(OP_LL_INT_ADD_OVF, &ll_signed, 2, a, b);
    case OP_SUB: return rt_op(OP_LL_INT_SUB_OVF, &ll_signed, 2, a, b);
    case OP_MUL: return rt_op(OP_LL_INT_MUL_OVF, &ll_signed, 2, a, b);
    case OP_FLOORDIV: return rt_op(OP_LL_INT_FLOORDIV, &ll_signed, 2, a, b);
    case OP_MOD: return rt_op(OP_LL_INT_MOD, &ll_signed, 2, a, b);
    case OP_TRUEDIV: return rt_ext("rpy_int_truediv", &ll_float, 2, a, b);
    case OP_POW: return rt_ext("rpy_int_pow", &ll_signed, 2, a, b);
    case OP_LSHIFT: return rt_ext("rpy_int_lshift", &ll_signed, 2, a, b);
    case OP_RSHIFT: return rt_ext("rpy_int_rshift", &ll_signed, 2, a, b);
    case OP_AND_: return rt_op(OP_LL_INT_AND, &ll_signed, 2, a, b);
    case OP_OR_: return rt_op(OP_LL_INT_OR, &ll_signed, 2, a, b);
    case OP_XOR: return rt_op(OP_LL_INT_XOR, &ll_signed, 2, a, b);
    default: sp_die("int op %s", fg_opname(opc));
    }
}

/* a ** b (and pow(a, b)) into result type rt. */
struct fg_value *rt_power(struct fg_value *x, struct ann_value *a, struct fg_value *y, struct ann_value *b,
                          struct lltype *rt)
{
    (void)a;
    (void)b;
    if (rt->kind == LL_FLOAT)
        return float_arith(OP_POW, x, y);
    return int_arith(OP_POW, x, y);
}

/* a | b, a & b, a - b, a ^ b of sets; the in-place forms change a. */
static struct fg_value *set_algebra(struct fg_op *op, enum fg_opcode opc, struct fg_value *x, struct fg_value *y)
{
    const char *name = opc == OP_OR_ ? "union" : opc == OP_AND_ ? "intersection"
                     : opc == OP_SUB ? "difference" : "symmetric_difference";
    if (op->opcode == opc)
        return rt_ext(sp_fmt("rpy_set_%s", name), rtype(op), 2, x, y);
    rt_ext(opc == OP_OR_ ? "rpy_set_update" : sp_fmt("rpy_set_%s_update", name), &ll_void, 2, x, y);
    return x;
}

static struct fg_value *arith(struct fg_op *op)
{
    enum fg_opcode opc = plain(op->opcode);
    struct ann_value *a = A(0), *b = A(1);
    struct fg_value *x = V(0), *y = V(1);
    struct lltype *rt = rtype(op);
    if (opc == OP_TRUEDIV && !is_float(a) && !is_float(b) && rt->kind == LL_FLOAT)
        return rt_ext("rpy_int_truediv", &ll_float, 2, rt_to_int(x), rt_to_int(y));
    if (rt->kind == LL_FLOAT)
        return float_arith(opc, x, y);
    if (rt->kind == LL_SIGNED)
        return int_arith(opc, x, y);
    if (rt->kind == LL_BOOL) { /* bool & | ^ bool */
        struct fg_value *r = int_arith(opc, x, y);
        return rt_op(OP_LL_INT_IS_TRUE, &ll_bool, 1, r);
    }
    if (a->kind == ANN_STR && opc == OP_MOD) { /* %-formatting */
        if (b->kind == ANN_TUPLE)
            return rt_ext("rpy_str_percent", rt, 3, x, y, rt_cti(y->lltype));
        struct lltype *yt = y->lltype->kind == LL_VOID ? &ll_void : y->lltype;
        return rt_ext("rpy_str_percent1", rt, 3, x, rt_to_word(y), rt_cti(yt));
    }
    if (a->kind == ANN_STR && opc == OP_ADD)
        return rt_ext("rpy_str_concat", rt, 2, x, y);
    if (opc == OP_MUL && (a->kind == ANN_STR || b->kind == ANN_STR)) {
        bool str_first = a->kind == ANN_STR;
        return rt_ext("rpy_str_mul", rt, 2, str_first ? x : y, rt_to_int(str_first ? y : x));
    }
    if (a->kind == ANN_LIST && opc == OP_ADD) {
        if (op->opcode == OP_INPLACE_ADD && !x->lltype->is_tuple_list) { /* lst += iterable */
            rt_ext("rpy_list_extend", &ll_void, 2, x, rt_as_list(y, b, x->lltype));
            return x;
        }
        return rt_ext("rpy_list_concat", rt, 2, x, y);
    }
    if (a->kind == ANN_SET && b->kind == ANN_SET)
        return set_algebra(op, opc, x, y);
    if (opc == OP_MUL && (a->kind == ANN_LIST || b->kind == ANN_LIST)) {
        bool list_first = a->kind == ANN_LIST;
        return rt_ext("rpy_list_mul", rt, 2, list_first ? x : y, rt_to_int(list_first ? y : x));
    }
    if (a->kind == ANN_TUPLE && opc == OP_ADD) {
        struct fg_value *t = rt_ext("rpy_tuple_new", rt, 1, rt_cti(rt));
        for (int i = 0; i < a->nitems + b->nitems; i++) {
            struct fg_value *src = i < a->nitems ? x : y;
            int k = i < a->nitems ? i : i - a->nitems;
            struct fg_value *w = rt_op(OP_LL_GETITEM_WORD, &ll_word, 2, src, rt_cint(k));
            rt_op(OP_LL_SETITEM_WORD, &ll_void, 3, t, rt_cint(i), w);
        }
        return t;
    }
    rt_error("the operation %s on %s and %s is not supported yet", fg_opname(op->opcode), ann_describe(a),
             ann_describe(b));
    return NULL;
}

static struct fg_value *unary(struct fg_op *op)
{
    struct fg_value *x = V(0);
    if (A(0)->kind == ANN_FLOAT) {
        if (op->opcode == OP_NEG)
            return rt_op(OP_LL_FLOAT_NEG, &ll_float, 1, x);
        return x;
    }
    x = rt_to_int(x);
    switch (op->opcode) {
    case OP_NEG: return rt_op(OP_LL_INT_NEG_OVF, &ll_signed, 1, x);
    case OP_INVERT: return rt_op(OP_LL_INT_INVERT, &ll_signed, 1, x);
    default: return x;
    }
}

/* ---- comparisons ---- */

static const enum fg_opcode int_cmp[] = {OP_LL_INT_LT, OP_LL_INT_LE, OP_LL_INT_EQ, OP_LL_INT_NE, OP_LL_INT_GT,
                                         OP_LL_INT_GE};
static const enum fg_opcode float_cmp[] = {OP_LL_FLOAT_LT, OP_LL_FLOAT_LE, OP_LL_FLOAT_EQ, OP_LL_FLOAT_NE,
                                           OP_LL_FLOAT_GT, OP_LL_FLOAT_GE};

static bool is_scalar(struct ann_value *a)
{
    return a->kind == ANN_INT || a->kind == ANN_BOOL || a->kind == ANN_FLOAT;
}

/* ---- scalars that may be None (d.get(k) of a dict of ints) ---- */

static struct sp_vec maybe_vals, maybe_flags; /* parallel: value, its "not None" flag */

bool rt_maybe_none(struct ann_value *a)
{
    return a->nullable && (a->kind == ANN_INT || a->kind == ANN_FLOAT || a->kind == ANN_BOOL);
}

void rt_set_maybe_flag(struct fg_value *v, struct fg_value *found)
{
    sp_vec_push(&maybe_vals, v);
    sp_vec_push(&maybe_flags, found);
}

struct fg_value *rt_maybe_flag(struct fg_value *v, struct ann_value *a)
{
    if (!rt_maybe_none(a))
        return NULL;
    for (int i = maybe_vals.n - 1; i >= 0; i--)
        if (maybe_vals.v[i] == v)
            return maybe_flags.v[i];
    sp_die("rtyper: a %s that may be None has no flag", ann_describe(a));
}

/* None compared with a nullable pointer: identity with NULL. */
static struct fg_value *none_compare(struct fg_op *op, int k)
{
    struct fg_value *p = A(0)->kind == ANN_NONE ? V(1) : V(0);
    bool eq = k == 2;
    struct fg_value *found = rt_maybe_flag(p, A(0)->kind == ANN_NONE ? A(1) : A(0));
    if (found)
        return eq ? rt_op(OP_LL_BOOL_NOT, &ll_bool, 1, found) : found;
    if (p->lltype->kind != LL_PTR)
        return rt_cbool(A(0)->kind == A(1)->kind ? eq : !eq);
    return rt_op(eq ? OP_LL_PTR_ISZERO : OP_LL_PTR_NONZERO, &ll_bool, 1, p);
}

static struct fg_value *compare(struct fg_op *op)
{
    int k = op->opcode - OP_LT;
    struct ann_value *a = A(0), *b = A(1);
    struct fg_value *x = V(0), *y = V(1);
    if ((a->kind == ANN_NONE || b->kind == ANN_NONE) && (k == 2 || k == 3))
        return none_compare(op, k);
    if (is_scalar(a) && is_scalar(b)) {
        if (is_float(a) || is_float(b))
            return rt_op(float_cmp[k], &ll_bool, 2, rt_to_float(x), rt_to_float(y));
        return rt_op(int_cmp[k], &ll_bool, 2, rt_to_int(x), rt_to_int(y));
    }
    if (a->kind == ANN_STR && b->kind == ANN_STR) {
        if (k == 2 || k == 3) {
            struct fg_value *eq = rt_ext("rpy_str_eq", &ll_bool, 2, x, y);
            return k == 2 ? eq : rt_op(OP_LL_BOOL_NOT, &ll_bool, 1, eq);
        }
        struct fg_value *c = rt_ext("rpy_str_cmp", &ll_signed, 2, x, y);
        return rt_op(int_cmp[k], &ll_bool, 2, c, rt_cint(0));
    }
    if (a->kind == ANN_INSTANCE && b->kind == ANN_INSTANCE && (k == 2 || k == 3))
        return rt_op(k == 2 ? OP_LL_PTR_EQ : OP_LL_PTR_NE, &ll_bool, 2, x, y);
    /* Containers (and anything else): the generic routines, by typeinfo;
     * rpy_compare_c takes the operator's index for its TypeError message. */
    struct lltype *t = x->lltype;
    if (k == 2 || k == 3) {
        struct fg_value *eq = rt_ext("rpy_eq", &ll_bool, 3, rt_to_word(x), rt_to_word(y), rt_cti(t));
        return k == 2 ? eq : rt_op(OP_LL_BOOL_NOT, &ll_bool, 1, eq);
    }
    struct fg_value *c = rt_ext("rpy_compare_c", &ll_signed, 4, rt_to_word(x), rt_to_word(y), rt_cti(t),
                                rt_cint(k));
    return rt_op(int_cmp[k], &ll_bool, 2, c, rt_cint(0));
}

static struct fg_value *identity(struct fg_op *op)
{
    bool is = op->opcode == OP_IS;
    struct ann_value *a = A(0), *b = A(1);
    struct fg_value *x = V(0), *y = V(1);
    if (a->kind == ANN_NONE || b->kind == ANN_NONE)
        return none_compare(op, is ? 2 : 3);
    if (x->lltype->kind == LL_PTR && y->lltype->kind == LL_PTR)
        return rt_op(is ? OP_LL_PTR_EQ : OP_LL_PTR_NE, &ll_bool, 2, x, y);
    if (is_scalar(a) && is_scalar(b) && !is_float(a) && !is_float(b) && a->kind == b->kind)
        return rt_op(is ? OP_LL_INT_EQ : OP_LL_INT_NE, &ll_bool, 2, rt_to_int(x), rt_to_int(y));
    return rt_cbool(!is);
}

struct fg_value *rt_truth(struct fg_value *v, struct ann_value *a)
{
    switch (a->kind) {
    case ANN_BOOL: return v;
    case ANN_INT: return rt_op(OP_LL_INT_IS_TRUE, &ll_bool, 1, v);
    case ANN_FLOAT: return rt_op(OP_LL_FLOAT_IS_TRUE, &ll_bool, 1, v);
    case ANN_NONE: return rt_cbool(false);
    case ANN_INSTANCE: return rt_op(OP_LL_PTR_NONZERO, &ll_bool, 1, v);
    case ANN_PBC: return rt_cbool(true);
    default:
        return rt_ext("rpy_truth", &ll_bool, 2, rt_to_word(v), rt_cti(v->lltype));
    }
}

static struct fg_value *contains(struct fg_op *op)
{
    struct ann_value *c = A(0);
    struct fg_value *s = V(0), *x = V(1);
    struct lltype *item = s->lltype->kind == LL_PTR ? s->lltype->item : NULL;
    if (item && item->is_tuple_list && x->lltype->kind == LL_PTR && x->lltype->gc == LLG_TUPLE)
        x = rt_as_list(x, A(1), item); /* (1, 2) in a set of tuples of any length */
    switch (c->kind) {
    case ANN_STR:
        return rt_ext("rpy_str_contains", &ll_bool, 2, s, x);
    case ANN_LIST:
        return rt_ext("rpy_list_contains", &ll_bool, 2, s, rt_to_word(x));
    case ANN_DICT:
        return rt_ext("rpy_dict_contains", &ll_bool, 2, s, rt_to_word(x));
    case ANN_SET:
        return rt_ext("rpy_set_contains", &ll_bool, 2, s, rt_to_word(x));
    case ANN_RANGE:
        return rt_ext("rpy_range_contains", &ll_bool, 4, rt_getfield(s, "start"), rt_getfield(s, "stop"),
                      rt_getfield(s, "step"), rt_to_int(x));
    default:
        rt_error("'in' on %s is not supported yet", ann_describe(c));
        return NULL;
    }
}

/* ---- items and slices ---- */

static struct fg_value *getitem(struct fg_op *op)
{
    struct ann_value *c = A(0);
    struct fg_value *s = V(0), *i = V(1);
    struct lltype *rt = rtype(op);
    switch (c->kind) {
    case ANN_LIST:
        return rt_from_word(rt_ext("rpy_list_getitem", &ll_word, 2, s, rt_to_int(i)), rt);
    case ANN_STR:
        return rt_ext("rpy_str_getitem", rt, 2, s, rt_to_int(i));
    case ANN_DICT:
        return rt_from_word(rt_ext("rpy_dict_getitem", &ll_word, 2, s, rt_to_word(i)), rt);
    case ANN_TUPLE: {
        struct ann_value *ia = A(1);
        if (ia->is_const && ia->constv) {
            int64_t k = ia->constv->ival;
            if (k < 0)
                k += c->nitems;
            return rt_from_word(rt_op(OP_LL_GETITEM_WORD, &ll_word, 2, s, rt_cint(k)), rt);
        }
        return rt_from_word(rt_ext("rpy_tuple_getitem", &ll_word, 2, s, rt_to_int(i)), rt);
    }
    default:
        rt_error("indexing %s is not supported yet", ann_describe(c));
        return NULL;
    }
}

static struct fg_value *setitem(struct fg_op *op)
{
    struct ann_value *c = A(0);
    struct fg_value *s = V(0), *i = V(1), *v = V(2);
    struct lltype *item = s->lltype->kind == LL_PTR ? s->lltype->gc == LLG_DICT ? s->lltype->value : s->lltype->item : NULL;
    if (item)
        v = rt_arg_as(op->args[2], item);
    if (c->kind == ANN_LIST)
        rt_ext("rpy_list_setitem", &ll_void, 3, s, rt_to_int(i), rt_to_word(v));
    else if (c->kind == ANN_DICT)
        rt_ext("rpy_dict_setitem", &ll_void, 3, s, rt_to_word(i), rt_to_word(v));
    else
        rt_error("item assignment on %s is not supported yet", ann_describe(c));
    return rt_cvoid();
}

/* A slice bound: (value, present?) */
static void bound(struct fg_op *op, int k, struct fg_value **val, struct fg_value **has)
{
    if (A(k)->kind == ANN_NONE) {
        *val = rt_cint(0);
        *has = rt_cbool(false);
    } else {
        *val = rt_to_int(V(k));
        *has = rt_cbool(true);
    }
}

static struct fg_value *getslice(struct fg_op *op)
{
    if (A(0)->kind == ANN_TUPLE) { /* constant bounds: the items taken are known */
        struct lltype *rt = rtype(op);
        int *idx = sp_alloc(sizeof(int) * (size_t)(A(0)->nitems + 1));
        int k = ann_tuple_slice(A(0)->nitems, A(1), A(2), A(3), idx);
        struct fg_value *t = rt_ext("rpy_tuple_new", rt, 1, rt_cti(rt));
        for (int i = 0; i < k; i++) {
            struct fg_value *w = rt_op(OP_LL_GETITEM_WORD, &ll_word, 2, V(0), rt_cint(idx[i]));
            rt_op(OP_LL_SETITEM_WORD, &ll_void, 3, t, rt_cint(i), w);
        }
        return t;
    }
    struct fg_value *lo, *has_lo, *hi, *has_hi, *step, *has_step;
    bound(op, 1, &lo, &has_lo);
    bound(op, 2, &hi, &has_hi);
    bound(op, 3, &step, &has_step);
    if (!has_step->ival)
        step = rt_cint(1);
    const char *fn = A(0)->kind == ANN_STR ? "rpy_str_slice" : "rpy_list_slice";
    return rt_ext(fn, rtype(op), 6, V(0), lo, has_lo, hi, has_hi, step);
}

/* l[lo:hi:step] = iterable (made a list of l's type), del l[lo:hi:step] */
static struct fg_value *setslice(struct fg_op *op)
{
    struct fg_value *lo, *has_lo, *hi, *has_hi, *step, *has_step;
    bound(op, 1, &lo, &has_lo);
    bound(op, 2, &hi, &has_hi);
    bound(op, 3, &step, &has_step);
    if (!has_step->ival)
        step = rt_cint(1);
    struct fg_value *l = V(0);
    if (op->opcode == OP_DELSLICE) {
        rt_ext("rpy_list_delslice", &ll_void, 6, l, lo, has_lo, hi, has_hi, step);
    } else {
        struct fg_value *items = rt_as_list(V(4), A(4), l->lltype);
        rt_ext("rpy_list_setslice", &ll_void, 7, l, lo, has_lo, hi, has_hi, step, items);
    }
    return rt_cvoid();
}

static struct fg_value *delitem(struct fg_op *op)
{
    if (A(0)->kind == ANN_LIST)
        rt_ext("rpy_list_delitem", &ll_void, 2, V(0), rt_to_int(V(1)));
    else
        rt_ext("rpy_dict_delitem", &ll_void, 2, V(0), rt_to_word(V(1)));
    return rt_cvoid();
}

/* ---- construction ---- */

static struct fg_value *item_word(struct fg_op *op, int k, struct lltype *item)
{
    struct fg_value *v = rt_arg_as(op->args[k], item);
    return rt_to_word(v);
}

static struct fg_value *newtuple(struct fg_op *op);

static struct fg_value *newlist(struct fg_op *op)
{
    struct lltype *t = rtype(op);
    if (t->gc == LLG_TUPLE) /* a mixed list display: a tuple underneath */
        return newtuple(op);
    struct fg_value *l = rt_ext("rpy_list_new", t, 2, rt_cti(t), rt_cint(op->nargs));
    for (int i = 0; i < op->nargs; i++)
        rt_ext("rpy_list_init_item", &ll_void, 3, l, rt_cint(i), item_word(op, i, t->item));
    return l;
}

static struct fg_value *newdict(struct fg_op *op)
{
    struct lltype *t = rtype(op);
    const char *fn = op->opcode == OP_NEWSET ? "rpy_set_new" : "rpy_dict_new";
    struct fg_value *d = rt_ext(fn, t, 1, rt_cti(t));
    for (int i = 0; i < op->nargs; i += op->opcode == OP_NEWSET ? 1 : 2) {
        if (op->opcode == OP_NEWSET)
            rt_ext("rpy_set_add", &ll_void, 2, d, item_word(op, i, t->item));
        else
            rt_ext("rpy_dict_setitem", &ll_void, 3, d, item_word(op, i, t->item),
                   item_word(op, i + 1, t->value));
    }
    return d;
}

static struct fg_value *newtuple(struct fg_op *op)
{
    struct lltype *t = rtype(op);
    struct fg_value *tup = rt_ext("rpy_tuple_new", t, 1, rt_cti(t));
    for (int i = 0; i < op->nargs; i++)
        rt_op(OP_LL_SETITEM_WORD, &ll_void, 3, tup, rt_cint(i), item_word(op, i, t->items[i]));
    return tup;
}

/* ---- iteration ---- */

/* iter(s) for a built-in iterable: a new iterator struct (or it itself). */
struct fg_value *rt_make_iter(struct fg_value *s, struct ann_value *of, struct lltype *it_t)
{
    if (of->kind == ANN_ITER || of->kind == ANN_FILE)
        return s;
    struct fg_value *it = rt_malloc(it_t);
    if (of->kind == ANN_RANGE) {
        rt_setfield(it, "cur", rt_getfield(s, "start"));
        rt_setfield(it, "stop", rt_getfield(s, "stop"));
        rt_setfield(it, "step", rt_getfield(s, "step"));
        return it;
    }
    rt_setfield(it, "seq", s);
    rt_setfield(it, "pos", rt_cint(0));
    if (of->kind == ANN_DICT || of->kind == ANN_SET)
        rt_setfield(it, "used", rt_ext("rpy_dict_len", &ll_signed, 1, s));
    return it;
}

static struct fg_value *iter(struct fg_op *op) { return rt_make_iter(V(0), A(0), rtype(op)); }

/* Advances iterator it over `of`: returns the "there was an item" flag,
 * the item (of type rt, or NULL when Void) in *itemp. */
struct fg_value *rt_iter_next(struct fg_value *it, struct ann_value *of, struct lltype *rt, struct fg_value **itemp)
{
    struct fg_value *has, *item;
    switch (of->kind) {
    case ANN_RANGE: {
        struct fg_value *cur = rt_getfield(it, "cur"), *step = rt_getfield(it, "step");
        has = rt_ext("rpy_range_has", &ll_bool, 3, cur, rt_getfield(it, "stop"), step);
        rt_setfield(it, "cur", rt_op(OP_LL_INT_ADD, &ll_signed, 2, cur, step));
        item = cur;
        break;
    }
    case ANN_LIST:
    case ANN_TUPLE: {
        struct fg_value *seq = rt_getfield(it, "seq"), *pos = rt_getfield(it, "pos");
        const char *len = of->kind == ANN_LIST ? "rpy_list_len" : NULL;
        struct fg_value *n = len ? rt_ext(len, &ll_signed, 1, seq) : rt_cint(of->nitems);
        has = rt_op(OP_LL_INT_LT, &ll_bool, 2, pos, n);
        const char *get = of->kind == ANN_LIST ? "rpy_list_getitem_or0" : "rpy_tuple_getitem_or0";
        item = rt_from_word(rt_ext(get, &ll_word, 2, seq, pos), rt);
        rt_setfield(it, "pos", rt_op(OP_LL_INT_ADD, &ll_signed, 2, pos, rt_cint(1)));
        break;
    }
    case ANN_STR: {
        struct fg_value *seq = rt_getfield(it, "seq"), *pos = rt_getfield(it, "pos");
        item = rt_ext("rpy_str_iter_char", rt, 2, seq, pos);
        has = rt_op(OP_LL_PTR_NONZERO, &ll_bool, 1, item);
        rt_setfield(it, "pos", rt_ext("rpy_str_iter_advance", &ll_signed, 2, seq, pos));
        break;
    }
    case ANN_FILE: /* the next line, NULL at the end */
        item = rt_ext("rpy_file_next_line", ll_str(), 1, it);
        has = rt_op(OP_LL_PTR_NONZERO, &ll_bool, 1, item);
        break;
    case ANN_DICT:
    case ANN_SET: {
        struct fg_value *seq = rt_getfield(it, "seq");
        struct fg_value *pos = rt_ext("rpy_dict_next_entry", &ll_signed, 3, seq, rt_getfield(it, "pos"),
                                      rt_getfield(it, "used"));
        has = rt_op(OP_LL_INT_GE, &ll_bool, 2, pos, rt_cint(0));
        item = rt_from_word(rt_ext("rpy_dict_entry_key", &ll_word, 2, seq, pos), rt);
        rt_setfield(it, "pos", rt_op(OP_LL_INT_ADD, &ll_signed, 2, pos, rt_cint(1)));
        break;
    }
    default:
        rt_error("iterating over %s is not supported yet", ann_describe(of));
        return NULL;
    }
    *itemp = rt->kind != LL_VOID ? item : NULL;
    return has;
}

/* Stores the item in op->result; returns the "there was one" flag. */
static struct fg_value *next(struct fg_op *op)
{
    struct fg_value *item = NULL;
    struct fg_value *has = rt_iter_next(V(0), A(0)->of, rtype(op), &item);
    if (item)
        rt_op_into(R, item);
    return has;
}

static struct fg_value *unpack(struct fg_op *op)
{
    struct ann_value *a = A(0);
    if (a->kind == ANN_TUPLE)
        return V(0);
    if (a->kind == ANN_LIST) {
        struct lltype *t = rtype(op);
        return rt_ext("rpy_list_to_tuple", t, 3, V(0), rt_cint(op->args[1]->ival), rt_cti(t));
    }
    rt_error("unpacking %s is not supported yet", ann_describe(a));
    return NULL;
}

/* ---- globals and attributes ---- */

/* m.x: a constant, the global m.x, or a native value (sys.argv). */
struct fg_value *rt_module_attr(struct fg_module *m, const char *name, struct fg_value *result)
{
    struct ann_value *a = result->ann;
    if (m->is_native && a->kind == ANN_LIST) /* sys.argv: built once by the runtime */
        return rt_ext("rpy_sys_argv", result->lltype, 1, rt_cti(result->lltype));
    if (m->is_native && a->kind == ANN_FILE) /* sys.stdin, sys.stdout, sys.stderr */
        return rt_ext(sp_fmt("rpy_sys_%s", name), ll_file(), 0);
    if (a->is_const && a->constv)
        return result->lltype->kind == LL_VOID ? rt_cvoid() : rt_const_as(a->constv, result->lltype);
    struct ann_global *g = ann_find_global(rt_prog->ann, m, sp_intern(name));
    if (!g) {
        rt_error("module attribute %s.%s", m->name, name);
        return NULL;
    }
    return rt_op(OP_LL_GETGLOBAL, result->lltype, 1, rt_global_slot(g));
}

struct fg_value *rt_global_slot(struct ann_global *g)
{
    struct rt_global *rg = rt_prog->globals.v[g->id];
    struct fg_value *c = fg_const_obj(FG_C_OTHER, rg);
    c->str = rg->cname;
    c->lltype = &ll_void;
    return c;
}

static struct fg_value *getglobal(struct fg_op *op)
{
    struct ann_global *g = ann_find_global(rt_prog->ann, op->args[0]->obj, op->args[1]->str);
    struct ann_value *a = R->ann;
    if (!a || a->kind == ANN_IMPOSSIBLE) { /* read before anything is stored in it */
        const char *name = op->args[1]->str;
        rt_ext("rpy_name_error", &ll_void, 1, rt_cstr(name, strlen(name)));
        return rt_cvoid();
    }
    if (!g || g->is_const || a->is_const) {
        if (R->lltype->kind == LL_VOID)
            return rt_cvoid();
        return rt_const_as(a->constv, R->lltype);
    }
    return rt_op(OP_LL_GETGLOBAL, R->lltype, 1, rt_global_slot(g));
}

static struct fg_value *setglobal(struct fg_op *op)
{
    struct ann_global *g = ann_find_global(rt_prog->ann, op->args[0]->obj, op->args[1]->str);
    if (g->is_const)
        return rt_cvoid();
    struct rt_global *rg = rt_prog->globals.v[g->id];
    struct fg_value *v = rt_arg_as(op->args[2], rg->type);
    rt_op(OP_LL_SETGLOBAL, &ll_void, 2, rt_global_slot(g), v);
    return rt_cvoid();
}

void rt_check_not_none(struct fg_value *v, struct ann_value *a, const char *attr)
{
    if (a->nullable)
        rt_ext("rpy_check_not_none", &ll_void, 2, v, rt_cstr(attr, strlen(attr)));
}

static struct fg_value *getattr(struct fg_op *op)
{
    struct ann_value *a = R->ann;
    const char *name = op->args[1]->str;
    if (a->is_const && a->constv && (A(0)->kind == ANN_PBC || !ll_field_owner(V(0)->lltype, rt_attr_field(name), NULL)))
        return R->lltype->kind == LL_VOID ? rt_cvoid() : rt_const_as(a->constv, R->lltype);
    if (A(0)->kind == ANN_PBC && A(0)->constv->ckind == FG_C_MODULE)
        return rt_module_attr(A(0)->constv->obj, name, R);
    if (A(0)->kind == ANN_PBC) /* Class.ATTR */
        return rt_class_attr(ann_classdef_for(A(0)->constv), name, R->lltype, NULL);
    struct fg_value *p = V(0);
    rt_check_not_none(p, A(0), name);
    const char *field = rt_attr_field(name);
    if (ll_field_owner(p->lltype, rt_attr_flag(name), NULL)) /* may be read before it is set */
        rt_ext("rpy_check_attr_set", &ll_void, 3, rt_getfield(p, rt_attr_flag(name)), rt_op(OP_LL_CAST_PTR, ll_gcref(), 1, p),
               rt_cstr(name, strlen(name)));
    if (ll_field_owner(p->lltype, field, NULL))
        return rt_getfield(p, field);
    if (a->kind == ANN_FUNC) /* obj.method as a value: bound to obj */
        return rt_make_funcobj(ann_bound_desc(A(0)->classdef, name), p);
    /* A class attribute, looked up by the instance's class if subclasses
     * differ. */
    return rt_class_attr(A(0)->classdef, name, R->lltype, p);
}

static struct fg_value *setattr(struct fg_op *op)
{
    struct fg_value *p = V(0);
    rt_check_not_none(p, A(0), op->args[1]->str);
    const char *field = rt_attr_field(op->args[1]->str);
    struct ll_field *f;
    if (!ll_field_owner(p->lltype, field, &f)) {
        rt_error("attribute '%s' cannot be set here", op->args[1]->str);
        return NULL;
    }
    struct fg_value *v = rt_arg_as(op->args[2], f->type);
    if (f->type->kind != LL_VOID)
        rt_setfield(p, field, v);
    if (ll_field_owner(p->lltype, rt_attr_flag(op->args[1]->str), NULL))
        rt_setfield(p, rt_attr_flag(op->args[1]->str), rt_cbool(true));
    return rt_cvoid();
}

/* ---- strings ---- */

struct fg_value *rt_str_of(struct fg_value *v, struct ann_value *a, bool repr)
{
    struct fg_value *found = rt_maybe_flag(v, a);
    if (found)
        return rt_ext("rpy_str_of_maybe", ll_str(), 4, rt_to_word(v), found, rt_cti(v->lltype), rt_cbool(repr));
    switch (a->kind) {
    case ANN_INT: return rt_ext("rpy_str_from_int", ll_str(), 1, rt_to_int(v));
    case ANN_FLOAT: return rt_ext("rpy_str_from_float", ll_str(), 1, v);
    case ANN_BOOL: return rt_ext("rpy_str_from_bool", ll_str(), 1, v);
    case ANN_NONE: return rt_cstr("None", 4);
    case ANN_STR:
        if (!repr && !a->nullable)
            return v;
        break;
    default:
        break;
    }
    const char *fn = repr ? "rpy_repr_of" : "rpy_str_of";
    struct lltype *t = v->lltype->kind == LL_VOID ? &ll_void : v->lltype;
    return rt_ext(fn, ll_str(), 2, rt_to_word(v), rt_cti(t));
}

/* format(value, spec) with the format-spec mini-language (runtime/format.c),
 * as f"{x:spec}" does: by the value's type; after a !r / !s conversion the
 * value is a str. */
struct fg_value *rt_format_value(struct fg_value *v, struct ann_value *a, const char *conv, struct fg_value *spec)
{
    bool empty = spec->kind == FG_CONST && spec->ckind == FG_C_STR && spec->len == 0;
    bool converted = conv && conv[0];
    struct fg_value *found = rt_maybe_flag(v, a);
    if (found && !converted && !empty)
        return rt_ext("rpy_format_maybe", ll_str(), 4, rt_to_word(v), found, rt_cti(v->lltype), spec);
    if (converted || empty) {
        struct fg_value *s = rt_str_of(v, a, conv && conv[0] == 'r');
        return empty ? s : rt_ext("rpy_format_str", ll_str(), 2, s, spec);
    }
    switch (a->kind) {
    case ANN_INT: return rt_ext("rpy_format_int", ll_str(), 2, rt_to_int(v), spec);
    case ANN_BOOL: return rt_ext("rpy_format_bool", ll_str(), 2, v, spec);
    case ANN_FLOAT: return rt_ext("rpy_format_float", ll_str(), 2, v, spec);
    case ANN_STR:
        if (!a->nullable)
            return rt_ext("rpy_format_str", ll_str(), 2, v, spec);
        break;
    default:
        break;
    }
    /* object.__format__: str() of the value, and a non-empty spec raises */
    return rt_ext("rpy_format_value", ll_str(), 3, rt_to_word(v), rt_cti(v->lltype->kind == LL_VOID ? &ll_void : v->lltype),
                  spec);
}

static struct fg_value *format(struct fg_op *op)
{
    struct fg_value *spec = rt_arg_as(op->args[2], ll_str());
    return rt_format_value(V(0), A(0), op->args[1]->str, spec);
}

static struct fg_value *buildstr(struct fg_op *op)
{
    if (op->nargs == 0)
        return rt_cstr("", 0);
    struct fg_value *acc = V(0);
    for (int i = 1; i < op->nargs; i++)
        acc = rt_ext("rpy_str_concat", ll_str(), 2, acc, V(i));
    return acc;
}

struct fg_value *rt_lower_op(struct fg_op *op)
{
    int recv;
    enum ann_special_mode mode;
    const char *special = ann_special_of(op, &recv, &mode);
    if (special)
        return rt_lower_special(op, special, recv, mode);
    switch (op->opcode) {
    case OP_SAME_AS: return V(0);
    case OP_ADD: case OP_SUB: case OP_MUL: case OP_TRUEDIV: case OP_FLOORDIV:
    case OP_MOD: case OP_POW: case OP_LSHIFT: case OP_RSHIFT: case OP_AND_: case OP_OR_: case OP_XOR:
    case OP_INPLACE_ADD: case OP_INPLACE_SUB: case OP_INPLACE_MUL: case OP_INPLACE_TRUEDIV:
    case OP_INPLACE_FLOORDIV: case OP_INPLACE_MOD: case OP_INPLACE_POW: case OP_INPLACE_LSHIFT:
    case OP_INPLACE_RSHIFT: case OP_INPLACE_AND: case OP_INPLACE_OR: case OP_INPLACE_XOR:
        return arith(op);
    case OP_NEG: case OP_POS: case OP_INVERT: return unary(op);
    case OP_BOOL: return rt_truth(V(0), A(0));
    case OP_NOT: return rt_op(OP_LL_BOOL_NOT, &ll_bool, 1, rt_truth(V(0), A(0)));
    case OP_LT: case OP_LE: case OP_EQ: case OP_NE: case OP_GT: case OP_GE: return compare(op);
    case OP_IS: case OP_IS_NOT: return identity(op);
    case OP_CONTAINS: return contains(op);
    case OP_GETITEM: return getitem(op);
    case OP_SETITEM: return setitem(op);
    case OP_GETSLICE: return getslice(op);
    case OP_SETSLICE: case OP_DELSLICE: return setslice(op);
    case OP_DELITEM: return delitem(op);
    case OP_NEWLIST: return newlist(op);
    case OP_NEWDICT: case OP_NEWSET: return newdict(op);
    case OP_NEWTUPLE: return newtuple(op);
    case OP_ITER: return iter(op);
    case OP_NEXT: return next(op);
    case OP_UNPACK: return unpack(op);
    case OP_GETGLOBAL: return getglobal(op);
    case OP_CHECK_BOUND:
        for (int i = 0; i + 1 < op->nargs; i += 2)
            rt_ext("rpy_check_bound", &ll_void, 2, rt_arg_as(op->args[i], &ll_bool),
                   rt_cstr(op->args[i + 1]->str, op->args[i + 1]->len));
        return rt_cvoid();
    case OP_SETGLOBAL: return setglobal(op);
    case OP_GETATTR: return getattr(op);
    case OP_SETATTR: return setattr(op);
    case OP_FORMAT: return format(op);
    case OP_BUILDSTR: return buildstr(op);
    case OP_SIMPLE_CALL: case OP_CALL_ARGS: case OP_CALL_METHOD: case OP_CALL_METHOD_ARGS: case OP_CALL_SUPER:
        return rt_lower_call(op);
    case OP_EXC_TYPE: return V(0);
    case OP_MAKE_CLOSURE: return rt_make_funcobj(ann_desc_of_func(op->args[0]->obj), V(1));
    default:
        rt_error("the operation '%s' is not supported yet", fg_opname(op->opcode));
        return NULL;
    }
}
