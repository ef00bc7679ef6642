/* specials.c - operations on instances become calls of their special
 * methods: `a + b` calls a.__add__(b) (or b.__radd__(a)), `a < b` calls
 * a.__lt__(b) (or b.__gt__(a)), `x[i]` x.__getitem__(i), `v in x`
 * x.__contains__(v), `if x:` x.__bool__() or x.__len__() != 0, `for v
 * in x` x.__iter__() then __next__() until StopIteration, len(x), hash(x),
 * iter(x), next(x).
 *
 * The rule records in the op's info which method, on which argument, in
 * which mode (ann_special_of), and annotates it as a method call (every
 * override in the receiver's instantiated subtree); the rtyper lowers the
 * op as that call. An operation no method answers keeps its default
 * meaning where Python has one (== and != by identity, truth True), and
 * is an error otherwise, with the method name in the message.
 */
#include "internal.h"

#include <string.h>

static const char *binary_name(enum fg_opcode opc, bool reflected)
{
    switch (opc) {
    case OP_ADD: case OP_INPLACE_ADD: return reflected ? "__radd__" : "__add__";
    case OP_SUB: case OP_INPLACE_SUB: return reflected ? "__rsub__" : "__sub__";
    case OP_MUL: case OP_INPLACE_MUL: return reflected ? "__rmul__" : "__mul__";
    case OP_TRUEDIV: case OP_INPLACE_TRUEDIV: return reflected ? "__rtruediv__" : "__truediv__";
    case OP_FLOORDIV: case OP_INPLACE_FLOORDIV: return reflected ? "__rfloordiv__" : "__floordiv__";
    case OP_MOD: case OP_INPLACE_MOD: return reflected ? "__rmod__" : "__mod__";
    case OP_POW: case OP_INPLACE_POW: return reflected ? "__rpow__" : "__pow__";
    case OP_MATMUL: case OP_INPLACE_MATMUL: return reflected ? "__rmatmul__" : "__matmul__";
    case OP_AND_: case OP_INPLACE_AND: return reflected ? "__rand__" : "__and__";
    case OP_OR_: case OP_INPLACE_OR: return reflected ? "__ror__" : "__or__";
    case OP_XOR: case OP_INPLACE_XOR: return reflected ? "__rxor__" : "__xor__";
    case OP_LSHIFT: case OP_INPLACE_LSHIFT: return reflected ? "__rlshift__" : "__lshift__";
    case OP_RSHIFT: case OP_INPLACE_RSHIFT: return reflected ? "__rrshift__" : "__rshift__";
    /* comparisons reflect into their mirror */
    case OP_LT: return reflected ? "__gt__" : "__lt__";
    case OP_LE: return reflected ? "__ge__" : "__le__";
    case OP_GT: return reflected ? "__lt__" : "__gt__";
    case OP_GE: return reflected ? "__le__" : "__ge__";
    case OP_EQ: return "__eq__";
    case OP_NE: return "__ne__";
    default: return NULL;
    }
}

static const char *inplace_name(enum fg_opcode opc)
{
    switch (opc) {
    case OP_INPLACE_ADD: return "__iadd__";
    case OP_INPLACE_SUB: return "__isub__";
    case OP_INPLACE_MUL: return "__imul__";
    default: return NULL;
    }
}

static bool is_instance(struct ann_value *a) { return a && a->kind == ANN_INSTANCE; }

/* Does some instantiated class below (or the static class of) a define name? */
static bool has_method(struct ann_value *a, const char *name)
{
    if (!is_instance(a) || !name)
        return false;
    if (ann_find_method(a->classdef, name))
        return true;
    struct sp_vec classes = {0};
    ann_instantiated_subtree(a->classdef, &classes);
    for (int i = 0; i < classes.n; i++)
        if (ann_find_method(classes.v[i], name))
            return true;
    return false;
}

static struct ann_value *call(struct fg_op *op, int recv, const char *name, enum ann_special_mode mode,
                              struct ann_value **args, int nargs)
{
    struct ann_opinfo *oi = ann_opinfo(op);
    oi->special = name;
    oi->special_recv = recv;
    oi->special_mode = mode;
    struct ann_value *r = ann_call_method_on(args[recv], name, op, args + (recv ? 0 : 1), nargs);
    if (!r || r->kind == ANN_IMPOSSIBLE)
        return r;
    switch (mode) {
    case ANN_SPECIAL_TRUTH_LEN:
    case ANN_SPECIAL_NOT_EQ:
        return ann_new(ANN_BOOL, op->pos);
    case ANN_SPECIAL_TRUTH:
        if (r->kind != ANN_BOOL) {
            sp_error(op->pos, "__bool__ should return bool, returned %s", ann_typename(r));
            return NULL;
        }
        return r;
    default:
        return r;
    }
}

bool ann_instance_special(struct fg_op *op, struct ann_value **args, struct ann_value **result)
{
    enum fg_opcode opc = op->opcode;
    *result = NULL;
    if (opc == OP_BOOL || opc == OP_NOT) {
        if (!is_instance(args[0]))
            return false;
        if (has_method(args[0], "__bool__"))
            *result = call(op, 0, "__bool__", ANN_SPECIAL_TRUTH, args, 0);
        else if (has_method(args[0], "__len__"))
            *result = call(op, 0, "__len__", ANN_SPECIAL_TRUTH_LEN, args, 0);
        else
            return false; /* True unless None: the default */
        if (*result && opc == OP_NOT)
            *result = ann_new(ANN_BOOL, op->pos);
        return true;
    }
    if (opc == OP_NEG || opc == OP_POS || opc == OP_INVERT) {
        if (!is_instance(args[0]))
            return false;
        const char *name = opc == OP_NEG ? "__neg__" : opc == OP_POS ? "__pos__" : "__invert__";
        if (!has_method(args[0], name)) {
            sp_error(op->pos, "bad operand type for unary %s: '%s' (it has no %s method)",
                     opc == OP_NEG ? "-" : opc == OP_POS ? "+" : "~", args[0]->classdef->name, name);
            return true;
        }
        *result = call(op, 0, name, ANN_SPECIAL_PLAIN, args, 0);
        return true;
    }
    if (opc == OP_GETITEM || opc == OP_SETITEM) {
        if (!is_instance(args[0]))
            return false;
        const char *name = opc == OP_GETITEM ? "__getitem__" : "__setitem__";
        if (!has_method(args[0], name)) {
            sp_error(op->pos, "'%s' object is not %s (it has no %s method)", args[0]->classdef->name,
                     opc == OP_GETITEM ? "subscriptable" : "item-assignable", name);
            return true;
        }
        *result = call(op, 0, name, ANN_SPECIAL_PLAIN, args, opc == OP_GETITEM ? 1 : 2);
        return true;
    }
    if (opc == OP_CONTAINS) { /* contains(container, item) */
        if (!is_instance(args[0]))
            return false;
        if (!has_method(args[0], "__contains__")) {
            sp_error(op->pos, "argument of type '%s' is not iterable for 'in' (it has no __contains__ method)",
                     args[0]->classdef->name);
            return true;
        }
        *result = call(op, 0, "__contains__", ANN_SPECIAL_TRUTH, args, 1);
        return true;
    }
    if (opc == OP_ITER || opc == OP_NEXT) {
        if (!is_instance(args[0]))
            return false;
        const char *name = opc == OP_ITER ? "__iter__" : "__next__";
        if (!has_method(args[0], name)) {
            sp_error(op->pos, "'%s' object is not %s (it has no %s method)", args[0]->classdef->name,
                     opc == OP_ITER ? "iterable" : "an iterator", name);
            return true;
        }
        *result = call(op, 0, name, ANN_SPECIAL_PLAIN, args, 0);
        return true;
    }
    const char *name = binary_name(opc, false);
    if (!name)
        return false;
    if ((opc == OP_MOD || opc == OP_INPLACE_MOD) && args[0]->kind == ANN_STR)
        return false; /* %-formatting: its argument may be an instance */
    if (is_instance(args[0])) {
        const char *iname = inplace_name(opc);
        if (iname && has_method(args[0], iname)) {
            *result = call(op, 0, iname, ANN_SPECIAL_PLAIN, args, 1);
            return true;
        }
        if (has_method(args[0], name)) {
            *result = call(op, 0, name, ANN_SPECIAL_PLAIN, args, 1);
            return true;
        }
        if (opc == OP_NE && has_method(args[0], "__eq__")) {
            *result = call(op, 0, "__eq__", ANN_SPECIAL_NOT_EQ, args, 1);
            return true;
        }
    }
    if (is_instance(args[1])) {
        const char *rname = binary_name(opc, true);
        if (has_method(args[1], rname)) {
            *result = call(op, 1, rname, ANN_SPECIAL_PLAIN, args, 1);
            return true;
        }
    }
    if (opc == OP_EQ || opc == OP_NE)
        return false; /* identity */
    if (is_instance(args[0]) || is_instance(args[1])) {
        sp_error(op->pos, "unsupported operand type(s) for this operation: %s and %s (no %s method)",
                 ann_typename(args[0]), ann_typename(args[1]), name);
        return true;
    }
    return false;
}

struct ann_value *ann_special_call(struct fg_op *op, struct ann_value **args, int recv, const char *name)
{
    if (!has_method(args[recv], name)) {
        sp_error(op->pos, "'%s' object has no %s method", args[recv]->classdef->name, name);
        return NULL;
    }
    return call(op, recv, name, ANN_SPECIAL_PLAIN, args, 0);
}

struct ann_value *ann_special_truth(struct fg_op *op, struct ann_value **args, int recv)
{
    if (has_method(args[recv], "__bool__"))
        return call(op, recv, "__bool__", ANN_SPECIAL_TRUTH, args, 0);
    if (has_method(args[recv], "__len__"))
        return call(op, recv, "__len__", ANN_SPECIAL_TRUTH_LEN, args, 0);
    return NULL;
}
