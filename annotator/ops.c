/* ops.c - the annotation rule of every high-level operation.
 *
 * Each rule maps argument annotations to a result annotation, growing
 * shared definitions (list items, attributes, globals) on the way. A rule
 * returns ann_impossible() when its result is not known yet (the block is
 * re-flowed later) and NULL after reporting an error.
 */
#include "internal.h"

#include <string.h>

static struct ann_value *mk(enum ann_kind k) { return ann_new(k, ann_current_op()->pos); }

static bool is_num(struct ann_value *a) { return a->kind == ANN_INT || a->kind == ANN_BOOL || a->kind == ANN_FLOAT; }
static bool is_intlike(struct ann_value *a) { return a->kind == ANN_INT || a->kind == ANN_BOOL; }

static const char *opsymbol(enum fg_opcode opc)
{
    switch (opc) {
    case OP_ADD: case OP_INPLACE_ADD: return "+";
    case OP_SUB: case OP_INPLACE_SUB: return "-";
    case OP_MUL: case OP_INPLACE_MUL: return "*";
    case OP_MATMUL: case OP_INPLACE_MATMUL: return "@";
    case OP_TRUEDIV: case OP_INPLACE_TRUEDIV: return "/";
    case OP_FLOORDIV: case OP_INPLACE_FLOORDIV: return "//";
    case OP_MOD: case OP_INPLACE_MOD: return "%";
    case OP_POW: case OP_INPLACE_POW: return "**";
    case OP_LSHIFT: case OP_INPLACE_LSHIFT: return "<<";
    case OP_RSHIFT: case OP_INPLACE_RSHIFT: return ">>";
    case OP_AND_: case OP_INPLACE_AND: return "&";
    case OP_OR_: case OP_INPLACE_OR: return "|";
    case OP_XOR: case OP_INPLACE_XOR: return "^";
    case OP_LT: return "<";
    case OP_LE: return "<=";
    case OP_GT: return ">";
    case OP_GE: return ">=";
    default: return fg_opname(opc);
    }
}

static struct ann_value *unsupported_operands(struct fg_op *op, struct ann_value *a, struct ann_value *b)
{
    sp_error(op->pos, "unsupported operand types for %s: %s and %s", opsymbol(op->opcode), ann_typename(a),
             ann_typename(b));
    return NULL;
}

/* The plain binary op behind an in-place one. */
static enum fg_opcode plain_op(enum fg_opcode opc)
{
    if (opc >= OP_INPLACE_ADD && opc <= OP_INPLACE_XOR)
        return (enum fg_opcode)(OP_ADD + (opc - OP_INPLACE_ADD));
    return opc;
}

/* A dict view (d.keys(), d.values(), d.items()): a list that must not
 * be concatenated, repeated or compared as one (ann_listdef.stands_for). */
static bool is_view(struct ann_value *a)
{
    const char *sf = a->kind == ANN_LIST ? ann_listdef(a->def)->stands_for : NULL;
    return sf && !strncmp(sf, "dict_", 5);
}

/* A list standing for bytes or a dict view, or a container holding one:
 * its str() would not be CPython's. */
static bool shows_differently(struct ann_value *a)
{
    switch (a->kind) {
    case ANN_LIST: case ANN_SET: case ANN_DICT: {
        struct ann_listdef *d = ann_listdef(a->def);
        return d->stands_for || shows_differently(d->item) || (d->is_dict && shows_differently(d->value));
    }
    case ANN_TUPLE:
        for (int i = 0; i < a->nitems; i++)
            if (shows_differently(a->items[i]))
                return true;
        return false;
    default:
        return false;
    }
}

static struct ann_value *list_concat(struct fg_op *op, struct ann_value *a, struct ann_value *b, bool inplace)
{
    if (is_view(a) || is_view(b))
        return unsupported_operands(op, a, b);
    struct ann_value *bad_a, *bad_b;
    if (!ann_unify_defs(a->def, b->def, &bad_a, &bad_b)) {
        ann_conflict(op->pos, "list item", bad_a, bad_b);
        return NULL;
    }
    ann_listdef(a->def)->resized |= inplace;
    struct ann_value *r = mk(ANN_LIST);
    r->def = a->def;
    return r;
}

/* lst += iterable: the iterable's items join the list's. */
static struct ann_value *list_extend_by(struct fg_op *op, struct ann_value *a, struct ann_value *b)
{
    if (b->kind == ANN_ITER)
        return unsupported_operands(op, a, b);
    struct ann_value *it = ann_iter_rule(op, b);
    struct ann_value *item = it ? ann_next_rule(op, it) : NULL;
    if (!item || !ann_grow_item(a->def, false, item, op->pos, "list item"))
        return NULL;
    ann_listdef(a->def)->resized = true;
    return a;
}

/* a | b, a & b, a - b, a ^ b of sets (and their in-place forms): one
 * item type; the result is a new set, or a itself in place. */
static struct ann_value *set_algebra(struct fg_op *op, struct ann_value *a, struct ann_value *b)
{
    struct ann_value *bad_a, *bad_b;
    if (!ann_unify_defs(a->def, b->def, &bad_a, &bad_b)) {
        ann_conflict(op->pos, "set item", bad_a, bad_b);
        return NULL;
    }
    struct ann_value *r = mk(ANN_SET);
    r->def = a->def;
    return r;
}

static struct ann_value *tuple_concat(struct ann_value *a, struct ann_value *b)
{
    struct ann_value *r = mk(ANN_TUPLE);
    r->nitems = a->nitems + b->nitems;
    r->items = sp_alloc(sizeof(struct ann_value *) * (size_t)(r->nitems + 1));
    for (int i = 0; i < a->nitems; i++)
        r->items[i] = a->items[i];
    for (int i = 0; i < b->nitems; i++)
        r->items[a->nitems + i] = b->items[i];
    return r;
}

static struct ann_value *arith(struct fg_op *op, struct ann_value *a, struct ann_value *b)
{
    enum fg_opcode opc = plain_op(op->opcode);
    bool inplace = opc != op->opcode;
    if (is_num(a) && is_num(b)) {
        bool flt = a->kind == ANN_FLOAT || b->kind == ANN_FLOAT;
        switch (opc) {
        case OP_TRUEDIV:
            return mk(ANN_FLOAT);
        case OP_POW:
            /* int ** negative literal is a float, as in Python. */
            if (!flt && b->is_const && b->constv->ival < 0)
                return mk(ANN_FLOAT);
            return mk(flt ? ANN_FLOAT : ANN_INT);
        case OP_AND_: case OP_OR_: case OP_XOR:
            if (flt)
                return unsupported_operands(op, a, b);
            return mk(a->kind == ANN_BOOL && b->kind == ANN_BOOL ? ANN_BOOL : ANN_INT);
        case OP_LSHIFT: case OP_RSHIFT:
            if (flt)
                return unsupported_operands(op, a, b);
            return mk(ANN_INT);
        case OP_MATMUL:
            return unsupported_operands(op, a, b);
        default:
            return mk(flt ? ANN_FLOAT : ANN_INT);
        }
    }
    if (opc == OP_ADD) {
        if (a->kind == ANN_STR && b->kind == ANN_STR)
            return mk(ANN_STR);
        if (a->kind == ANN_LIST && inplace && ann_listdef(a->def)->stands_for)
            return unsupported_operands(op, a, b); /* bytes and views are not extended in place */
        if (a->kind == ANN_LIST && b->kind == ANN_LIST && !(inplace && is_view(b)))
            return list_concat(op, a, b, inplace);
        if (a->kind == ANN_LIST && inplace) /* lst += iterable extends */
            return list_extend_by(op, a, b);
        if (a->kind == ANN_TUPLE && b->kind == ANN_TUPLE)
            return tuple_concat(a, b);
    }
    if (opc == OP_MUL) {
        struct ann_value *seq = is_intlike(b) ? a : b, *n = is_intlike(b) ? b : a;
        if (is_intlike(n) && seq->kind == ANN_STR)
            return mk(ANN_STR);
        if (is_intlike(n) && seq->kind == ANN_LIST && !is_view(seq)) {
            struct ann_value *r = mk(ANN_LIST);
            r->def = seq->def;
            return r;
        }
    }
    if (a->kind == ANN_SET && b->kind == ANN_SET &&
        (opc == OP_OR_ || opc == OP_AND_ || opc == OP_SUB || opc == OP_XOR))
        return set_algebra(op, a, b);
    if (opc == OP_MOD && a->kind == ANN_STR) {
        /* %-formatting: a tuple of values, or one value */
        if (b->kind == ANN_PBC || b->kind == ANN_ITER || b->kind == ANN_DICT || shows_differently(b)) {
            sp_error(op->pos, "%%-formatting with a %s is not supported", ann_typename(b));
            return NULL;
        }
        return mk(ANN_STR);
    }
    return unsupported_operands(op, a, b);
}

static struct ann_value *unary(struct fg_op *op, struct ann_value *a)
{
    switch (op->opcode) {
    case OP_NEG:
    case OP_POS:
        if (a->kind == ANN_FLOAT)
            return mk(ANN_FLOAT);
        if (is_intlike(a))
            return mk(ANN_INT);
        break;
    case OP_INVERT:
        if (is_intlike(a))
            return mk(ANN_INT);
        break;
    default:
        break;
    }
    sp_error(op->pos, "bad operand type for unary %s: %s",
             op->opcode == OP_NEG ? "-" : op->opcode == OP_POS ? "+" : "~", ann_typename(a));
    return NULL;
}

/* bool(x) / not x. Folds constants so that `if __name__ == "__main__"`
 * annotates only the branch taken. */
static struct ann_value *truth(struct fg_op *op, struct ann_value *a)
{
    struct ann_value *r = mk(ANN_BOOL);
    if (a->is_const && a->constv && (a->kind == ANN_BOOL || a->kind == ANN_INT || a->kind == ANN_NONE)) {
        bool v = a->kind != ANN_NONE && a->constv->ival != 0;
        if (op->opcode == OP_NOT)
            v = !v;
        r->is_const = true;
        r->constv = fg_const_bool(v);
    }
    return r;
}

static bool comparable(struct ann_value *a, struct ann_value *b)
{
    if (is_num(a) && is_num(b))
        return true;
    if (a->kind == ANN_NONE || b->kind == ANN_NONE)
        return true;
    if (a->kind != b->kind)
        return false;
    if (a->kind == ANN_TUPLE) {
        if (a->nitems != b->nitems)
            return true; /* different lengths compare unequal / by length */
        for (int i = 0; i < a->nitems; i++)
            if (!comparable(a->items[i], b->items[i]))
                return false;
        return true;
    }
    if (a->kind == ANN_LIST || a->kind == ANN_DICT || a->kind == ANN_SET) {
        struct ann_listdef *x = ann_listdef(a->def), *y = ann_listdef(b->def);
        return x == y || (comparable(x->item, y->item) && comparable(x->value, y->value)) ||
               x->item->kind == ANN_IMPOSSIBLE || y->item->kind == ANN_IMPOSSIBLE;
    }
    return true;
}

static struct ann_value *compare(struct fg_op *op, struct ann_value *a, struct ann_value *b)
{
    if (is_view(a) || is_view(b)) {
        sp_error(op->pos, "comparing a %s is not supported (make it a list() or a set() first)",
                 ann_typename(is_view(a) ? a : b));
        return NULL;
    }
    if (!comparable(a, b)) {
        if (op->opcode == OP_EQ || op->opcode == OP_NE) {
            sp_error(op->pos, "comparing %s with %s is always %s: not supported", ann_typename(a),
                     ann_typename(b), op->opcode == OP_EQ ? "False" : "True");
            return NULL;
        }
        sp_error(op->pos, "'%s' not supported between instances of '%s' and '%s'", opsymbol(op->opcode),
                 ann_typename(a), ann_typename(b));
        return NULL;
    }
    struct ann_value *r = mk(ANN_BOOL);
    /* Fold comparisons of two constants of the same simple kind: it lets
     * `if __name__ == "__main__":` select one branch. */
    if (a->is_const && b->is_const && a->kind == ANN_STR && b->kind == ANN_STR &&
        (op->opcode == OP_EQ || op->opcode == OP_NE)) {
        bool eq = a->constv->len == b->constv->len && memcmp(a->constv->str, b->constv->str, a->constv->len) == 0;
        r->is_const = true;
        r->constv = fg_const_bool(op->opcode == OP_EQ ? eq : !eq);
    }
    return r;
}

static struct ann_value *item_of(struct ann_value *container, struct srcpos pos)
{
    struct ann_listdef *d = ann_listdef(container->def);
    ann_add_reader(&d->readers);
    (void)pos;
    return d->item;
}

/* A tuple literal where a tuple of any length is wanted ((1, 2) in a set
 * of itertools.combinations()): its items must fit the other's. */
static bool tuple_fits(struct ann_value *want, struct ann_value *x)
{
    if (want->kind != ANN_LIST || !ann_listdef(want->def)->is_tuple || x->kind != ANN_TUPLE || x->mixed_list)
        return false;
    for (int i = 0; i < x->nitems; i++)
        if (!ann_can_union(ann_listdef(want->def)->item, x->items[i]))
            return false;
    return true;
}

static struct ann_value *contains(struct fg_op *op, struct ann_value *c, struct ann_value *x)
{
    switch (c->kind) {
    case ANN_STR:
        if (x->kind != ANN_STR)
            break;
        return mk(ANN_BOOL);
    case ANN_LIST:
    case ANN_SET:
    case ANN_DICT: {
        struct ann_value *item = item_of(c, op->pos);
        if (item->kind != ANN_IMPOSSIBLE && !tuple_fits(item, x) && !ann_union(item, x) && !comparable(item, x))
            break;
        return mk(ANN_BOOL);
    }
    case ANN_TUPLE:
    case ANN_RANGE:
        return mk(ANN_BOOL);
    default:
        break;
    }
    sp_error(op->pos, "'in' is not supported for %s in %s", ann_typename(x), ann_typename(c));
    return NULL;
}

static int const_index(struct ann_value *idx, int n, bool *ok)
{
    *ok = idx->is_const && idx->constv && is_intlike(idx);
    if (!*ok)
        return 0;
    int64_t i = idx->constv->ival;
    if (i < 0)
        i += n;
    *ok = i >= 0 && i < n;
    return (int)i;
}

static struct ann_value *getitem(struct fg_op *op, struct ann_value *c, struct ann_value *idx)
{
    switch (c->kind) {
    case ANN_LIST:
        if (is_view(c)) {
            sp_error(op->pos, "'%s' object is not subscriptable", ann_typename(c));
            return NULL;
        }
        if (!is_intlike(idx))
            break;
        return item_of(c, op->pos);
    case ANN_STR:
        if (!is_intlike(idx))
            break;
        return mk(ANN_STR);
    case ANN_DICT: {
        struct ann_listdef *d = ann_listdef(c->def);
        if (!ann_grow_item(d, false, idx, op->pos, "dict key"))
            return NULL;
        ann_add_reader(&d->readers);
        return ann_listdef(c->def)->value;
    }
    case ANN_TUPLE: {
        bool ok;
        int i = const_index(idx, c->nitems, &ok);
        if (ok)
            return c->items[i];
        if (idx->is_const) {
            sp_error(op->pos, "tuple index out of range");
            return NULL;
        }
        /* A variable index needs all items of one type. */
        struct ann_value *u = ann_impossible();
        for (int k = 0; k < c->nitems && u; k++)
            u = ann_union(u, c->items[k]);
        if (u && c->nitems > 0)
            return u;
        sp_error(op->pos, "indexing a tuple of mixed types with a variable index is not supported");
        return NULL;
    }
    default:
        break;
    }
    sp_error(op->pos, "%s indices must be integers or a supported key type, not %s", ann_typename(c),
             ann_typename(idx));
    return NULL;
}

static struct ann_value *setitem(struct fg_op *op, struct ann_value *c, struct ann_value *idx, struct ann_value *v)
{
    if (c->kind == ANN_LIST && is_intlike(idx) && !ann_listdef(c->def)->stands_for && !ann_listdef(c->def)->is_tuple) {
        if (!ann_grow_item(c->def, false, v, op->pos, "list item"))
            return NULL;
        return mk(ANN_NONE);
    }
    if (c->kind == ANN_DICT) {
        if (!ann_grow_item(c->def, false, idx, op->pos, "dict key") ||
            !ann_grow_item(c->def, true, v, op->pos, "dict value"))
            return NULL;
        return mk(ANN_NONE);
    }
    if (c->kind == ANN_TUPLE && c->mixed_list)
        ann_mixed_list_error(op->pos, c, "assigned to");
    else
        sp_error(op->pos, "'%s' object does not support item assignment", ann_typename(c));
    return NULL;
}

static bool slice_bound_ok(struct ann_value *a) { return a->kind == ANN_NONE || is_intlike(a); }

/* A constant slice bound: *v its value, false for None. */
static bool slice_const(struct ann_value *a, int64_t *v, bool *ok)
{
    if (a->kind == ANN_NONE)
        return false;
    if (!a->is_const || !a->constv)
        *ok = false;
    else
        *v = a->constv->ival;
    return *ok;
}

int ann_tuple_slice(int n, struct ann_value *lo, struct ann_value *hi, struct ann_value *step, int *idx)
{
    bool ok = true;
    int64_t l = 0, h = 0, s = 1;
    bool has_l = slice_const(lo, &l, &ok), has_h = slice_const(hi, &h, &ok);
    slice_const(step, &s, &ok);
    if (!ok || s == 0)
        return -1;
    /* CPython's PySlice_AdjustIndices */
    if (!has_l)
        l = s < 0 ? n - 1 : 0;
    else if (l < 0)
        l = l + n < 0 ? (s < 0 ? -1 : 0) : l + n;
    else if (l >= n)
        l = s < 0 ? n - 1 : n;
    if (!has_h)
        h = s < 0 ? -1 : n;
    else if (h < 0)
        h = h + n < 0 ? (s < 0 ? -1 : 0) : h + n;
    else if (h >= n)
        h = s < 0 ? n - 1 : n;
    int k = 0;
    for (int64_t i = l; s > 0 ? i < h : i > h; i += s)
        idx[k++] = (int)i;
    return k;
}

static struct ann_value *getslice(struct fg_op *op, struct ann_value **args)
{
    struct ann_value *c = args[0];
    if (!slice_bound_ok(args[1]) || !slice_bound_ok(args[2]) || !slice_bound_ok(args[3])) {
        sp_error(op->pos, "slice indices must be integers or None");
        return NULL;
    }
    if (c->kind == ANN_STR)
        return mk(ANN_STR);
    if (c->kind == ANN_LIST && !is_view(c)) {
        struct ann_value *r = mk(ANN_LIST);
        r->def = c->def;
        return r;
    }
    if (c->kind == ANN_TUPLE && !c->mixed_list) {
        int *idx = sp_alloc(sizeof(int) * (size_t)(c->nitems + 1));
        int k = ann_tuple_slice(c->nitems, args[1], args[2], args[3], idx);
        if (k < 0) {
            sp_error(op->pos, "slicing a tuple needs constant bounds (its items have fixed types), and a step other "
                              "than 0");
            return NULL;
        }
        struct ann_value *r = mk(ANN_TUPLE);
        r->nitems = k;
        r->items = sp_alloc(sizeof(struct ann_value *) * (size_t)(k + 1));
        for (int i = 0; i < k; i++)
            r->items[i] = c->items[idx[i]];
        return r;
    }
    sp_error(op->pos, "slicing %s is not supported yet", ann_typename(c));
    return NULL;
}

/* del c[i] */
static struct ann_value *delitem(struct fg_op *op, struct ann_value *c, struct ann_value *idx)
{
    if (c->kind == ANN_LIST && is_intlike(idx) && !ann_listdef(c->def)->stands_for && !ann_listdef(c->def)->is_tuple) {
        ann_listdef(c->def)->resized = true;
        return mk(ANN_NONE);
    }
    if (c->kind == ANN_DICT) {
        if (!ann_grow_item(c->def, false, idx, op->pos, "dict key"))
            return NULL;
        return mk(ANN_NONE);
    }
    sp_error(op->pos, "'%s' object doesn't support item deletion", ann_typename(c));
    return NULL;
}

/* c[lo:hi:step] = iterable, del c[lo:hi:step]: lists only. */
static struct ann_value *setslice(struct fg_op *op, struct ann_value **args, bool del)
{
    struct ann_value *c = args[0];
    if (!slice_bound_ok(args[1]) || !slice_bound_ok(args[2]) || !slice_bound_ok(args[3])) {
        sp_error(op->pos, "slice indices must be integers or None");
        return NULL;
    }
    if (c->kind != ANN_LIST || ann_listdef(c->def)->stands_for || ann_listdef(c->def)->is_tuple) {
        sp_error(op->pos, del ? "'%s' object doesn't support item deletion"
                              : "'%s' object does not support item assignment", ann_typename(c));
        return NULL;
    }
    ann_listdef(c->def)->resized = true;
    if (del)
        return mk(ANN_NONE);
    struct ann_value *v = args[4];
    if (v->kind == ANN_ITER) {
        sp_error(op->pos, "assigning an iterator to a slice is not supported yet (make it a list first)");
        return NULL;
    }
    struct ann_value *it = ann_iter_rule(op, v);
    struct ann_value *item = it ? ann_next_rule(op, it) : NULL;
    if (!item || !ann_grow_item(c->def, false, item, op->pos, "list item"))
        return NULL;
    return mk(ANN_NONE);
}

static struct ann_value *newtuple(struct fg_op *op, struct ann_value **args);

static struct ann_value *newcontainer(struct fg_op *op, struct ann_value **args)
{
    struct ann_opinfo *oi = ann_opinfo(op);
    bool is_dict = op->opcode == OP_NEWDICT;
    if (op->opcode == OP_NEWLIST && op->nargs >= 2 && !oi->def) {
        /* [1, "a"]: items of different types make a mixed list (a
         * read-only tuple that prints as a list); decided on the first
         * flow, when the items are known. */
        struct ann_value *u = ann_impossible();
        for (int i = 0; i < op->nargs && u; i++)
            u = ann_union(u, args[i]);
        if (!u || oi->mixed_list) {
            oi->mixed_list = true;
            struct ann_value *t = newtuple(op, args);
            t->mixed_list = true;
            t->mixed_at = op->pos;
            return t;
        }
    }
    if (!oi->def)
        oi->def = ann_new_listdef(is_dict, NULL, NULL);
    const char *what = op->opcode == OP_NEWSET ? "set item" : "list item";
    for (int i = 0; i < op->nargs; i += is_dict ? 2 : 1) {
        if (!ann_grow_item(oi->def, false, args[i], op->pos, is_dict ? "dict key" : what))
            return NULL;
        if (is_dict && !ann_grow_item(oi->def, true, args[i + 1], op->pos, "dict value"))
            return NULL;
    }
    enum ann_kind k = is_dict ? ANN_DICT : op->opcode == OP_NEWSET ? ANN_SET : ANN_LIST;
    struct ann_value *r = mk(k);
    r->def = oi->def;
    return r;
}

static struct ann_value *newtuple(struct fg_op *op, struct ann_value **args)
{
    struct ann_value *r = mk(ANN_TUPLE);
    r->nitems = op->nargs;
    r->items = sp_alloc(sizeof(struct ann_value *) * (size_t)(op->nargs + 1));
    for (int i = 0; i < op->nargs; i++) {
        r->items[i] = ann_unconst(args[i]);
    }
    return r;
}

struct ann_value *ann_iter_rule(struct fg_op *op, struct ann_value *a)
{
    switch (a->kind) {
    case ANN_LIST: case ANN_STR: case ANN_DICT: case ANN_SET: case ANN_RANGE: case ANN_TUPLE: case ANN_FILE:
        break;
    case ANN_ITER:
        return a;
    default:
        sp_error(op->pos, "'%s' object is not iterable", ann_typename(a));
        return NULL;
    }
    if (a->kind == ANN_TUPLE) {
        struct ann_value *u = ann_impossible();
        for (int k = 0; k < a->nitems && u; k++)
            u = ann_union(u, a->items[k]);
        if (!u) {
            if (a->mixed_list)
                ann_mixed_list_error(op->pos, a, "iterated");
            else
                sp_error(op->pos, "iterating over a tuple of mixed types is not supported");
            return NULL;
        }
    }
    struct ann_value *r = mk(ANN_ITER);
    r->of = a;
    return r;
}

struct ann_value *ann_next_rule(struct fg_op *op, struct ann_value *it)
{
    if (it->kind != ANN_ITER) {
        sp_error(op->pos, "'%s' object is not an iterator", ann_typename(it));
        return NULL;
    }
    struct ann_value *of = it->of;
    switch (of->kind) {
    case ANN_LIST:
    case ANN_SET:
    case ANN_DICT:
        return item_of(of, op->pos);
    case ANN_STR:
    case ANN_FILE: /* the lines */
        return mk(ANN_STR);
    case ANN_RANGE:
        return mk(ANN_INT);
    case ANN_TUPLE: {
        struct ann_value *u = ann_impossible();
        for (int k = 0; k < of->nitems; k++)
            u = ann_union(u, of->items[k]);
        return u;
    }
    default:
        sp_die("next over %s", ann_describe(of));
    }
}

static struct ann_value *unpack(struct fg_op *op, struct ann_value *v, int n)
{
    if (v->kind == ANN_TUPLE) {
        if (v->nitems != n) {
            sp_error(op->pos, "%s values to unpack (expected %d, got %d)",
                     v->nitems > n ? "too many" : "not enough", n, v->nitems);
            return NULL;
        }
        return v;
    }
    if (v->kind == ANN_LIST || v->kind == ANN_STR) {
        struct ann_value *item = v->kind == ANN_STR ? mk(ANN_STR) : item_of(v, op->pos);
        struct ann_value *r = mk(ANN_TUPLE);
        r->nitems = n;
        r->items = sp_alloc(sizeof(struct ann_value *) * (size_t)(n + 1));
        for (int i = 0; i < n; i++)
            r->items[i] = item;
        return r;
    }
    sp_error(op->pos, "cannot unpack a value of type %s", ann_typename(v));
    return NULL;
}

static struct ann_value *getglobal(struct fg_op *op)
{
    struct fg_module *m = op->args[0]->obj;
    const char *name = op->args[1]->str;
    struct ann_global *g = ann_find_global(NULL, m, name);
    if (g) {
        if (!g->is_const)
            ann_add_reader(&g->readers);
        return g->ann;
    }
    if (name == sp_intern("__name__")) {
        struct fg_value *c = fg_const_str(m->name, strlen(m->name));
        return ann_of(c);
    }
    if (ann_is_builtin_name(name))
        return ann_of(fg_const_builtin(name));
    sp_error(op->pos, "name '%s' is not defined", name);
    return NULL;
}

static struct ann_value *setglobal(struct fg_op *op, struct ann_value *v)
{
    struct ann_global *g = ann_global(op->args[0]->obj, op->args[1]->str);
    if (g->is_const)
        return mk(ANN_NONE);
    struct ann_value *u = ann_union(g->ann, v);
    if (!u) {
        ann_conflict(op->pos, sp_fmt("global '%s'", g->name), g->ann, v);
        return NULL;
    }
    u = ann_unconst(u);
    if (!ann_equal(u, g->ann)) {
        g->ann = u;
        ann_reflow_readers(&g->readers);
    }
    return mk(ANN_NONE);
}

static struct ann_value *getattr(struct fg_op *op, struct ann_value *obj, const char *name)
{
    if (obj->kind == ANN_INSTANCE)
        return ann_getattr_instance(obj, name, op->pos);
    if (obj->kind == ANN_PBC && obj->constv->ckind == FG_C_MODULE)
        return ann_module_attr(op, obj->constv->obj, name);
    if (obj->kind == ANN_PBC && obj->constv->ckind == FG_C_CLASS) {
        struct fg_class *cls = obj->constv->obj;
        struct ann_value *a = ann_class_attr(ann_classdef_of(cls), name);
        if (a)
            return a;
        sp_error(op->pos, "type object '%s' has no attribute '%s'", cls->name, name);
        return NULL;
    }
    sp_error(op->pos, "attribute '%s' of %s is not supported yet", name, ann_typename(obj));
    return NULL;
}

static struct ann_value *setattr(struct fg_op *op, struct ann_value *obj, const char *name, struct ann_value *v)
{
    if (obj->kind == ANN_INSTANCE) {
        if (!ann_setattr_instance(obj, name, v, op->pos))
            return NULL;
        return mk(ANN_NONE);
    }
    if (obj->kind == ANN_PBC && obj->constv->ckind == FG_C_CLASS) {
        struct fg_class *cls = obj->constv->obj;
        sp_error(op->pos,
                 "assigning the class attribute '%s.%s' is not supported: class attributes are constants in RPy "
                 "(keep the value in a module-level variable, or in an instance attribute)",
                 cls->name, name);
        return NULL;
    }
    if (obj->kind == ANN_PBC && obj->constv->ckind == FG_C_MODULE) {
        sp_error(op->pos,
                 "assigning the module attribute '%s.%s' from outside its module is not supported (give the "
                 "module a function that sets it)",
                 ((struct fg_module *)obj->constv->obj)->name, name);
        return NULL;
    }
    sp_error(op->pos, "cannot set attribute '%s' of %s", name, ann_typename(obj));
    return NULL;
}

static struct ann_value *format(struct fg_op *op, struct ann_value **args)
{
    if (args[0]->kind == ANN_PBC || args[0]->kind == ANN_ITER || shows_differently(args[0])) {
        sp_error(op->pos, "cannot format a value of type %s", ann_typename(args[0]));
        return NULL;
    }
    return mk(ANN_STR);
}

static struct ann_value *call(struct fg_op *op, struct ann_value **args)
{
    bool has_shape = op->opcode == OP_CALL_ARGS || op->opcode == OP_CALL_METHOD_ARGS;
    bool is_method = op->opcode == OP_CALL_METHOD || op->opcode == OP_CALL_METHOD_ARGS;
    int first = 1 + is_method + has_shape;
    const struct fg_callshape *shape = has_shape ? op->args[first - 1]->obj : NULL;
    if (is_method)
        return ann_call_method(args[0], op->args[1]->str, op, args + first, op->nargs - first, shape);
    return ann_call_builtin(NULL, op, args, op->nargs, shape);
}

/* `x is None`: on the exit where it holds x is None, on the other x is
 * not None (recorded for flow_exits). */
static struct ann_value *identity(struct fg_op *op, struct ann_value *a, struct ann_value *b)
{
    struct fg_value *var = op->args[0];
    struct ann_value *x = a;
    if (a->kind == ANN_NONE && op->args[1]->kind == FG_VAR) {
        var = op->args[1];
        x = b;
    } else if (b->kind != ANN_NONE) {
        return mk(ANN_BOOL);
    }
    struct ann_value *r = mk(ANN_BOOL);
    if (x->kind == ANN_NONE || !x->nullable) {
        /* Known: None is None; a value that cannot be None is not. */
        r->is_const = true;
        r->constv = fg_const_bool((x->kind == ANN_NONE) == (op->opcode == OP_IS));
        return r;
    }
    if (var->kind == FG_VAR) {
        struct ann_opinfo *oi = ann_opinfo(op);
        struct ann_value *nonnull = ann_copy(x);
        nonnull->nullable = false;
        struct ann_value *none = ann_of(fg_const_none());
        oi->narrow_var = var;
        oi->narrow_true = op->opcode == OP_IS ? none : nonnull;
        oi->narrow_false = op->opcode == OP_IS ? nonnull : none;
    }
    return r;
}

/* The class of a raised value: raising needs an exception instance. */
static struct ann_value *exc_type(struct fg_op *op, struct ann_value *a)
{
    if (a->kind != ANN_INSTANCE || !a->classdef->is_exception) {
        sp_error(op->pos, "exceptions must derive from BaseException, not %s", ann_typename(a));
        return NULL;
    }
    if (a->nullable) {
        sp_error(op->pos, "the raised exception may be None");
        return NULL;
    }
    return a;
}

/* super().name(args): the implementation above the method's class. */
static struct ann_value *call_super(struct fg_op *op, struct ann_value **args)
{
    struct ann_classdef *cd = ann_classdef_of(op->args[1]->obj);
    const char *name = op->args[2]->str;
    struct ann_value *self = args[0];
    int nargs = op->nargs - 3;
    struct fg_func *impl = cd->base ? ann_find_method(cd->base, name) : NULL;
    if (impl) {
        if (impl->is_staticmethod || impl->is_classmethod) {
            sp_error(op->pos, "super().%s() of a static or class method is not supported", name);
            return NULL;
        }
        if (impl->nparams != nargs + 1) {
            sp_error(op->pos, "%s() takes %d positional arguments but %d were given", impl->qualname,
                     impl->nparams, nargs + 1);
            return NULL;
        }
        struct ann_value *params[nargs + 2];
        params[0] = self;
        for (int i = 0; i < nargs; i++)
            params[i + 1] = args[3 + i];
        impl = ann_specialize(impl, params, nargs + 1, op->pos);
        if (!impl)
            return NULL;
        ann_opinfo(op)->target = impl;
        return ann_call_func(impl, params, nargs + 1, op->pos);
    }
    if (name == sp_intern("__init__") && cd->is_exception) {
        for (int i = 0; i < nargs; i++)
            if (args[3 + i]->kind == ANN_PBC || args[3 + i]->kind == ANN_ITER) {
                sp_error(op->pos, "an exception argument of type %s is not supported", ann_typename(args[3 + i]));
                return NULL;
            }
        ann_opinfo(op)->exc_init = true;
        return mk(ANN_NONE);
    }
    if (name == sp_intern("__init__") && !cd->base) {
        if (nargs) {
            sp_error(op->pos, "object.__init__() takes exactly one argument (the instance to initialize)");
            return NULL;
        }
        return mk(ANN_NONE);
    }
    sp_error(op->pos, "'super' object has no attribute '%s'", name);
    return NULL;
}

struct ann_value *ann_op(struct fg_op *op, struct ann_value **args)
{
    struct ann_value *special;
    if (ann_instance_special(op, args, &special))
        return special;
    switch (op->opcode) {
    case OP_SAME_AS:
        return args[0];
    case OP_ADD: case OP_SUB: case OP_MUL: case OP_MATMUL: case OP_TRUEDIV: case OP_FLOORDIV:
    case OP_MOD: case OP_POW: case OP_LSHIFT: case OP_RSHIFT: case OP_AND_: case OP_OR_: case OP_XOR:
    case OP_INPLACE_ADD: case OP_INPLACE_SUB: case OP_INPLACE_MUL: case OP_INPLACE_MATMUL:
    case OP_INPLACE_TRUEDIV: case OP_INPLACE_FLOORDIV: case OP_INPLACE_MOD: case OP_INPLACE_POW:
    case OP_INPLACE_LSHIFT: case OP_INPLACE_RSHIFT: case OP_INPLACE_AND: case OP_INPLACE_OR:
    case OP_INPLACE_XOR:
        return arith(op, args[0], args[1]);
    case OP_NEG: case OP_POS: case OP_INVERT:
        return unary(op, args[0]);
    case OP_BOOL: case OP_NOT:
        return truth(op, args[0]);
    case OP_LT: case OP_LE: case OP_EQ: case OP_NE: case OP_GT: case OP_GE:
        return compare(op, args[0], args[1]);
    case OP_IS: case OP_IS_NOT:
        return identity(op, args[0], args[1]);
    case OP_MAKE_CLOSURE: {
        struct ann_desc *d = ann_func_desc(op->args[0]->obj);
        if (args[1]->kind != ANN_IMPOSSIBLE && !ann_desc_grow_env(d, ann_unconst(args[1]), op->pos))
            return NULL;
        return ann_func_value(d, op->pos);
    }
    case OP_EXC_TYPE:
        return exc_type(op, args[0]);
    case OP_CALL_SUPER:
        return call_super(op, args);
    case OP_CONTAINS:
        return contains(op, args[0], args[1]);
    case OP_GETATTR:
        return getattr(op, args[0], op->args[1]->str);
    case OP_SETATTR:
        return setattr(op, args[0], op->args[1]->str, args[2]);
    case OP_GETITEM:
        return getitem(op, args[0], args[1]);
    case OP_SETITEM:
        return setitem(op, args[0], args[1], args[2]);
    case OP_GETSLICE:
        return getslice(op, args);
    case OP_DELITEM:
        return delitem(op, args[0], args[1]);
    case OP_SETSLICE: case OP_DELSLICE:
        return setslice(op, args, op->opcode == OP_DELSLICE);
    case OP_NEWLIST: case OP_NEWDICT: case OP_NEWSET:
        return newcontainer(op, args);
    case OP_NEWTUPLE:
        return newtuple(op, args);
    case OP_SIMPLE_CALL: case OP_CALL_ARGS: case OP_CALL_METHOD: case OP_CALL_METHOD_ARGS:
        return call(op, args);
    case OP_ITER:
        return ann_iter_rule(op, args[0]);
    case OP_NEXT:
        return ann_next_rule(op, args[0]);
    case OP_UNPACK:
        return unpack(op, args[0], (int)op->args[1]->ival);
    case OP_GETGLOBAL:
        return getglobal(op);
    case OP_CHECK_BOUND:
        return ann_new(ANN_NONE, op->pos);
    case OP_SETGLOBAL:
        return setglobal(op, args[2]);
    case OP_FORMAT:
        return format(op, args);
    case OP_BUILDSTR:
        return mk(ANN_STR);
    default:
        sp_error(op->pos, "the operation '%s' is not supported yet", fg_opname(op->opcode));
        return NULL;
    }
}
