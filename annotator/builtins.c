/* builtins.c - calls: user functions (argument matching), classes
 * (instantiation), built-in functions and the methods of built-in types.
 *
 * Each built-in is one row of BUILTIN_FUNCS with its own rule; the rtyper
 * has the matching lowering. Argument errors use CPython's wording, since
 * that is what users know.
 */
#include "internal.h"

#include <stdarg.h>
#include <string.h>

#include "../runtime/rpyrt.h" /* the built-in exception names: one list for both */

static struct ann_value *mk(enum ann_kind k) { return ann_new(k, ann_current_op()->pos); }
static bool is_intlike(struct ann_value *a) { return a->kind == ANN_INT || a->kind == ANN_BOOL; }
static bool is_num(struct ann_value *a) { return is_intlike(a) || a->kind == ANN_FLOAT; }

/* ---- argument matching ---- */

struct callargs {
    struct ann_value **pos;  /* positional */
    int npos;
    struct ann_value **kw;   /* keyword values */
    const char **kwnames;
    int nkw;
    struct fg_value **raw;   /* the op's values: positional then keyword ones */
};

static struct callargs split_args(struct ann_value **args, int nargs, const struct fg_callshape *shape,
                                  struct fg_value **raw)
{
    struct callargs ca = {args, nargs, NULL, NULL, 0, raw};
    if (shape) {
        ca.npos = shape->npos;
        ca.kw = args + shape->npos;
        ca.kwnames = shape->kwnames;
        ca.nkw = shape->nkw;
    }
    return ca;
}

static bool only_kwargs(struct fg_op *op, const char *fname, struct callargs *ca, const char *const *allowed)
{
    for (int i = 0; i < ca->nkw; i++) {
        bool ok = false;
        for (int j = 0; allowed && allowed[j]; j++)
            ok |= ca->kwnames[i] == sp_intern(allowed[j]);
        if (!ok) {
            sp_error(op->pos, "%s() got an unexpected keyword argument '%s'", fname, ca->kwnames[i]);
            return false;
        }
    }
    return true;
}

/* Match a call's arguments to f's parameters (after `nbound` already
 * bound ones, e.g. self); fills out[nparams]. */
static bool match_params(struct fg_func *f, struct fg_op *op, struct callargs *ca, int nbound,
                         struct ann_value **out)
{
    int np = f->nparams;
    for (int i = 0; i < np; i++)
        out[i] = NULL;
    int avail = np - nbound;
    if (ca->npos > avail && !f->vararg) {
        sp_error(op->pos, "%s() takes %d positional argument%s but %d %s given", f->name, avail,
                 avail == 1 ? "" : "s", ca->npos, ca->npos == 1 ? "was" : "were");
        return false;
    }
    if (f->vararg) {
        sp_error(op->pos, "calling a function with *args is not supported yet");
        return false;
    }
    for (int i = 0; i < ca->npos; i++)
        out[nbound + i] = ca->pos[i];
    for (int k = 0; k < ca->nkw; k++) {
        int at = -1;
        for (int i = nbound; i < np; i++)
            if (f->params[i] == ca->kwnames[k])
                at = i;
        if (at < 0) {
            sp_error(op->pos, "%s() got an unexpected keyword argument '%s'", f->name, ca->kwnames[k]);
            return false;
        }
        if (out[at]) {
            sp_error(op->pos, "%s() got multiple values for argument '%s'", f->name, ca->kwnames[k]);
            return false;
        }
        out[at] = ca->kw[k];
    }
    int missing = 0;
    struct sp_buf names = {0};
    for (int i = nbound; i < np; i++) {
        if (out[i])
            continue;
        if (f->defaults && f->defaults[i]) {
            out[i] = ann_of(f->defaults[i]);
            continue;
        }
        if (missing++)
            sp_buf_puts(&names, " and ");
        sp_buf_printf(&names, "'%s'", f->params[i]);
    }
    if (missing) {
        sp_error(op->pos, "%s() missing %d required positional argument%s: %s", f->name, missing,
                 missing == 1 ? "" : "s", sp_buf_cstr(&names));
        return false;
    }
    return true;
}

static struct ann_value *call_user(struct fg_func *f, struct fg_op *op, struct callargs *ca,
                                   struct ann_value *self)
{
    struct ann_value *params[f->nparams + 1];
    int nbound = self ? 1 : 0;
    if (self && f->nparams == 0) {
        sp_error(op->pos, "%s() takes 0 positional arguments but 1 was given", f->name);
        return NULL;
    }
    if (!match_params(f, op, ca, nbound, params))
        return NULL;
    if (self)
        params[0] = self;
    f = ann_specialize(f, params, f->nparams, op->pos);
    if (!f)
        return NULL;
    ann_opinfo(op)->target = f;
    return ann_call_func(f, params, f->nparams, op->pos);
}

static bool printable(struct ann_value *a)
{
    return a->kind != ANN_PBC && a->kind != ANN_ITER && a->kind != ANN_IMPOSSIBLE;
}

/* ---- classes ---- */

/* The special methods the runtime itself may call on any instance of an
 * instantiated class (printing containers, ==, hashing in dicts, sorting,
 * truth): annotated as soon as the class is instantiated, with instances
 * of the class as operands. */
static const struct {
    const char *name;
    int nargs; /* self included */
} runtime_specials[] = {
    {"__str__", 1}, {"__repr__", 1}, {"__eq__", 2}, {"__ne__", 2}, {"__lt__", 2}, {"__le__", 2},
    {"__gt__", 2}, {"__ge__", 2}, {"__hash__", 1}, {"__len__", 1}, {"__bool__", 1},
};

static void call_runtime_specials(struct ann_classdef *cd, struct fg_op *op)
{
    for (size_t i = 0; i < sizeof runtime_specials / sizeof runtime_specials[0]; i++) {
        struct fg_func *m = ann_find_method(cd, runtime_specials[i].name);
        if (!m || m->is_staticmethod || m->is_classmethod)
            continue;
        int n = runtime_specials[i].nargs;
        if (m->nparams != n) {
            sp_error(m->def->pos, "%s() must take %d parameter%s", m->qualname, n, n == 1 ? "" : "s");
            continue;
        }
        struct ann_value *args[2] = {ann_instance(cd, false, op->pos), ann_instance(cd, false, op->pos)};
        ann_call_func(m, args, n, m->def->pos);
    }
}

/* Arguments of an exception class's constructor become str(exception). */
static bool exc_args_ok(struct fg_op *op, struct ann_classdef *cd, struct callargs *ca)
{
    if (ca->nkw && !ann_find_method(cd, "__init__")) {
        sp_error(op->pos, "%s() takes no keyword arguments", cd->name);
        return false;
    }
    for (int i = 0; i < ca->npos; i++)
        if (!printable(ca->pos[i])) {
            sp_error(op->pos, "an exception argument of type %s is not supported", ann_typename(ca->pos[i]));
            return false;
        }
    return true;
}

static struct ann_value *instantiate(struct ann_classdef *cd, struct fg_op *op, struct callargs *ca)
{
    struct ann_value *inst = ann_instance(cd, false, op->pos);
    ann_opinfo(op)->instantiates = cd;
    if (!cd->instantiated) {
        ann_mark_instantiated(cd);
        call_runtime_specials(cd, op);
    }
    if (cd->is_exception && !exc_args_ok(op, cd, ca))
        return NULL;
    struct fg_func *init = ann_find_method(cd, "__init__");
    if (!init) {
        if (!cd->is_exception && (ca->npos || ca->nkw)) {
            sp_error(op->pos, "%s() takes no arguments", cd->name);
            return NULL;
        }
        return inst;
    }
    struct ann_value *r = call_user(init, op, ca, inst);
    if (!r)
        return NULL;
    return inst;
}

/* ---- built-in functions ---- */

static struct ann_value *new_list_of(struct fg_op *op, struct ann_value *item, int which)
{
    struct ann_opinfo *oi = ann_opinfo(op);
    struct ann_listdef **slot = which ? &oi->def2 : &oi->def;
    if (!*slot)
        *slot = ann_new_listdef(false, NULL, NULL);
    if (!ann_grow_item(*slot, false, item, op->pos, "list item"))
        return NULL;
    struct ann_value *r = mk(ANN_LIST);
    r->def = *slot;
    return r;
}

static struct ann_value *tuple_of(struct ann_value *a, struct ann_value *b)
{
    struct ann_value *t = mk(ANN_TUPLE);
    t->nitems = 2;
    t->items = sp_alloc(sizeof(struct ann_value *) * 3);
    t->items[0] = a;
    t->items[1] = b;
    return t;
}

/* The item annotation of an iterable, registering the reader. */
static struct ann_value *iter_item(struct fg_op *op, struct ann_value *a)
{
    switch (a->kind) {
    case ANN_LIST: case ANN_SET: case ANN_DICT: {
        struct ann_listdef *d = ann_listdef(a->def);
        ann_add_reader(&d->readers);
        return d->item;
    }
    case ANN_STR: return mk(ANN_STR);
    case ANN_RANGE: return mk(ANN_INT);
    case ANN_TUPLE: {
        struct ann_value *u = ann_impossible();
        for (int i = 0; i < a->nitems && u; i++)
            u = ann_union(u, a->items[i]);
        if (u)
            return u;
        break;
    }
    default:
        break;
    }
    sp_error(op->pos, "'%s' object is not iterable", ann_typename(a));
    return NULL;
}

static struct ann_value *b_print(struct fg_op *op, struct callargs *ca)
{
    static const char *const allowed[] = {"sep", "end", NULL};
    if (!only_kwargs(op, "print", ca, allowed))
        return NULL;
    for (int i = 0; i < ca->npos; i++)
        if (!printable(ca->pos[i])) {
            sp_error(op->pos, "print() of a %s is not supported", ann_typename(ca->pos[i]));
            return NULL;
        }
    for (int i = 0; i < ca->nkw; i++)
        if (ca->kw[i]->kind != ANN_STR && ca->kw[i]->kind != ANN_NONE) {
            sp_error(op->pos, "%s must be None or a string, not %s", ca->kwnames[i], ann_typename(ca->kw[i]));
            return NULL;
        }
    return mk(ANN_NONE);
}

static bool nargs_between(struct fg_op *op, const char *name, struct callargs *ca, int lo, int hi)
{
    if (ca->nkw && !only_kwargs(op, name, ca, NULL))
        return false;
    if (ca->npos < lo || ca->npos > hi) {
        if (lo == hi)
            sp_error(op->pos, "%s() takes exactly %d argument%s (%d given)", name, lo, lo == 1 ? "" : "s", ca->npos);
        else if (ca->npos < lo)
            sp_error(op->pos, "%s expected at least %d argument%s, got %d", name, lo, lo == 1 ? "" : "s", ca->npos);
        else
            sp_error(op->pos, "%s expected at most %d arguments, got %d", name, hi, ca->npos);
        return false;
    }
    return true;
}

/* ---- built-ins written in RPy (flowgraph/prelude.c) ---- */

static struct fg_value *kw_value(struct callargs *ca, const char *name)
{
    for (int i = 0; i < ca->nkw; i++)
        if (ca->kwnames[i] == sp_intern(name))
            return ca->raw[ca->npos + i];
    return NULL;
}

static struct fg_value *const_false(struct fg_op *op)
{
    struct fg_value *c = fg_const_bool(false);
    c->pos = op->pos;
    return c;
}

/* The op calls prelude function `name` with vals (in its parameter
 * order): the rtyper lowers it as that call. */
static struct ann_value *call_prelude(struct fg_op *op, const char *name, int n, ...)
{
    struct fg_value **vals = sp_alloc(sizeof(struct fg_value *) * (size_t)(n + 1));
    struct ann_value *args[n + 1];
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        vals[i] = va_arg(ap, struct fg_value *);
        args[i] = ann_of(vals[i]);
    }
    va_end(ap);
    struct fg_func *f = fg_prelude_function(ann_the_result()->program, name);
    if (!f)
        sp_die("the prelude has no %s()", name);
    f = ann_specialize(f, args, n, op->pos);
    if (!f)
        return NULL;
    struct ann_opinfo *oi = ann_opinfo(op);
    oi->target = f;
    oi->prelude_vals = vals;
    oi->nprelude = n;
    return ann_call_func(f, args, n, op->pos);
}

static bool is_instance(struct ann_value *a) { return a->kind == ANN_INSTANCE; }

static struct ann_value *b_minmax(const char *name, struct fg_op *op, struct callargs *ca)
{
    static const char *const allowed[] = {"key", NULL};
    if (!only_kwargs(op, name, ca, allowed))
        return NULL;
    if (ca->npos == 0) {
        sp_error(op->pos, "%s expected at least 1 argument, got 0", name);
        return NULL;
    }
    struct fg_value *key = kw_value(ca, "key");
    if (key && ca->npos == 1)
        return call_prelude(op, name[1] == 'i' ? "_min_key" : "_max_key", 2, ca->raw[0], key);
    if (key) {
        sp_error(op->pos, "%s() with key= and several arguments is not supported yet", name);
        return NULL;
    }
    if (ca->npos == 1 && is_instance(ca->pos[0]))
        return call_prelude(op, name[1] == 'i' ? "_min" : "_max", 1, ca->raw[0]);
    if (ca->npos == 1)
        return iter_item(op, ca->pos[0]);
    struct ann_value *u = ann_impossible();
    for (int i = 0; i < ca->npos; i++) {
        struct ann_value *n = ann_union(u, ca->pos[i]);
        if (!n) {
            ann_conflict(op->pos, sp_fmt("the result of %s()", name), u, ca->pos[i]);
            return NULL;
        }
        u = n;
    }
    return ann_unconst(u);
}

static struct ann_value *b_sum(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "sum", ca, 1, 2))
        return NULL;
    if (is_instance(ca->pos[0])) {
        struct fg_value *start = ca->npos == 2 ? ca->raw[1] : fg_const_int(0);
        return call_prelude(op, "_sum", 2, ca->raw[0], start);
    }
    struct ann_value *item = iter_item(op, ca->pos[0]);
    if (!item)
        return NULL;
    if (item->kind == ANN_IMPOSSIBLE)
        return ca->npos == 2 ? ca->pos[1] : mk(ANN_INT);
    if (!is_num(item)) {
        sp_error(op->pos, "sum() of %s items is not supported", ann_typename(item));
        return NULL;
    }
    bool flt = item->kind == ANN_FLOAT || (ca->npos == 2 && ca->pos[1]->kind == ANN_FLOAT);
    return mk(flt ? ANN_FLOAT : ANN_INT);
}

static struct ann_value *b_round(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "round", ca, 1, 2))
        return NULL;
    struct ann_value *x = ca->pos[0];
    if (!is_num(x) || (ca->npos == 2 && !is_intlike(ca->pos[1]))) {
        sp_error(op->pos, "round() of %s is not supported", ann_typename(x));
        return NULL;
    }
    if (ca->npos == 1 || ca->pos[1]->kind == ANN_NONE)
        return mk(ANN_INT);
    return mk(x->kind == ANN_FLOAT ? ANN_FLOAT : ANN_INT);
}

static bool on_instance(struct fg_op *op, struct callargs *ca);

static struct ann_value *b_conversion(const char *name, struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, name, ca, 0, strcmp(name, "int") == 0 ? 2 : 1))
        return NULL;
    struct ann_value *x = ca->npos ? ca->pos[0] : NULL;
    if (strcmp(name, "bool") == 0) {
        struct ann_value *r = on_instance(op, ca) ? ann_special_truth(op, ca->pos - 1, 1) : NULL;
        return r ? r : mk(ANN_BOOL);
    }
    if (strcmp(name, "str") == 0 || strcmp(name, "repr") == 0) {
        if (x && !printable(x)) {
            sp_error(op->pos, "%s() of a %s is not supported", name, ann_typename(x));
            return NULL;
        }
        return mk(ANN_STR);
    }
    enum ann_kind k = strcmp(name, "int") == 0 ? ANN_INT : ANN_FLOAT;
    if (x && !is_num(x) && x->kind != ANN_STR) {
        sp_error(op->pos, "%s() argument must be a string or a number, not '%s'", name, ann_typename(x));
        return NULL;
    }
    return mk(k);
}

static struct ann_value *b_list(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "list", ca, 0, 1))
        return NULL;
    if (ca->npos && is_instance(ca->pos[0]))
        return call_prelude(op, "_list", 1, ca->raw[0]);
    struct ann_value *item = ca->npos ? iter_item(op, ca->pos[0]) : ann_impossible();
    if (!item)
        return NULL;
    struct ann_value *r = new_list_of(op, item, 0);
    if (r)
        ann_listdef(r->def)->resized = true;
    return r;
}

static struct ann_value *b_enumerate(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "enumerate", ca, 1, 2))
        return NULL;
    struct ann_value *item = iter_item(op, ca->pos[0]);
    if (!item)
        return NULL;
    if (item->kind == ANN_IMPOSSIBLE)
        return ann_impossible();
    return new_list_of(op, tuple_of(mk(ANN_INT), item), 0);
}

/* A built-in whose argument is an instance calls a special method. */
static bool on_instance(struct fg_op *op, struct callargs *ca)
{
    return ca->npos == 1 && !ca->nkw && ca->pos[0]->kind == ANN_INSTANCE && op->opcode == OP_SIMPLE_CALL;
}

static struct ann_value *b_iter(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "iter", ca, 1, 1))
        return NULL;
    if (on_instance(op, ca))
        return ann_special_call(op, ca->pos - 1, 1, "__iter__");
    return ann_iter_rule(op, ca->pos[0]);
}

static struct ann_value *b_next(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "next", ca, 1, 2))
        return NULL;
    if (ca->npos == 1 && on_instance(op, ca))
        return ann_special_call(op, ca->pos - 1, 1, "__next__");
    struct ann_value *item = ann_next_rule(op, ca->pos[0]);
    if (!item || ca->npos == 1)
        return item;
    /* next(it, default) */
    struct ann_value *u = ann_union(item, ca->pos[1]);
    if (!u) {
        ann_conflict(op->pos, "the result of next()", item, ca->pos[1]);
        return NULL;
    }
    return ann_unconst(u);
}

static struct ann_value *b_hash(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "hash", ca, 1, 1))
        return NULL;
    /* instances: the runtime's rpy_hash calls __hash__ (annotated with the
     * class), mapping -1 to -2 as CPython does */
    if (!printable(ca->pos[0])) {
        sp_error(op->pos, "hash() of a %s is not supported", ann_typename(ca->pos[0]));
        return NULL;
    }
    return mk(ANN_INT);
}

static struct ann_value *b_len(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "len", ca, 1, 1))
        return NULL;
    if (on_instance(op, ca))
        return ann_special_call(op, ca->pos - 1, 1, "__len__");
    switch (ca->pos[0]->kind) {
    case ANN_LIST: case ANN_STR: case ANN_DICT: case ANN_SET: case ANN_TUPLE: case ANN_RANGE:
        return mk(ANN_INT);
    default:
        sp_error(op->pos, "object of type '%s' has no len()", ann_typename(ca->pos[0]));
        return NULL;
    }
}

static struct ann_value *b_abs(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "abs", ca, 1, 1))
        return NULL;
    struct ann_value *x = ca->pos[0];
    if (!is_num(x)) {
        sp_error(op->pos, "bad operand type for abs(): '%s'", ann_typename(x));
        return NULL;
    }
    return mk(x->kind == ANN_FLOAT ? ANN_FLOAT : ANN_INT);
}

static struct ann_value *b_range(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "range", ca, 1, 3))
        return NULL;
    for (int i = 0; i < ca->npos; i++)
        if (!is_intlike(ca->pos[i])) {
            sp_error(op->pos, "'%s' object cannot be interpreted as an integer", ann_typename(ca->pos[i]));
            return NULL;
        }
    return mk(ANN_RANGE);
}

static struct ann_value *b_anyall(const char *name, struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, name, ca, 1, 1))
        return NULL;
    if (is_instance(ca->pos[0]))
        return call_prelude(op, name[1] == 'n' ? "_any" : "_all", 1, ca->raw[0]);
    if (!iter_item(op, ca->pos[0]))
        return NULL;
    return mk(ANN_BOOL);
}

static struct ann_value *b_sorted(struct fg_op *op, struct callargs *ca)
{
    static const char *const allowed[] = {"reverse", "key", NULL};
    if (!only_kwargs(op, "sorted", ca, allowed))
        return NULL;
    if (ca->npos != 1) {
        sp_error(op->pos, "sorted expected 1 argument, got %d", ca->npos);
        return NULL;
    }
    struct fg_value *key = kw_value(ca, "key"), *rev = kw_value(ca, "reverse");
    if (key)
        return call_prelude(op, "_sorted_key", 3, ca->raw[0], key, rev ? rev : const_false(op));
    if (is_instance(ca->pos[0]))
        return call_prelude(op, "_sorted", 2, ca->raw[0], rev ? rev : const_false(op));
    struct ann_value *item = iter_item(op, ca->pos[0]);
    if (!item)
        return NULL;
    struct ann_value *r = new_list_of(op, item, 0);
    if (r)
        ann_listdef(r->def)->resized = true;
    return r;
}

static struct ann_value *b_divmod(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "divmod", ca, 2, 2))
        return NULL;
    if (!is_num(ca->pos[0]) || !is_num(ca->pos[1])) {
        sp_error(op->pos, "unsupported operand type(s) for divmod(): '%s' and '%s'", ann_typename(ca->pos[0]),
                 ann_typename(ca->pos[1]));
        return NULL;
    }
    enum ann_kind k = ca->pos[0]->kind == ANN_FLOAT || ca->pos[1]->kind == ANN_FLOAT ? ANN_FLOAT : ANN_INT;
    return tuple_of(mk(k), mk(k));
}

/* The classes an isinstance() second argument names (a class, a built-in
 * exception class, or a tuple of those); false if it names anything else. */
static bool isinstance_classes(struct ann_value *c, struct sp_vec *out)
{
    if (c->kind == ANN_PBC) {
        struct ann_classdef *cd = ann_classdef_for(c->constv);
        if (cd)
            sp_vec_push(out, cd);
        return cd != NULL;
    }
    if (c->kind == ANN_TUPLE) {
        for (int i = 0; i < c->nitems; i++)
            if (!isinstance_classes(c->items[i], out))
                return false;
        return true;
    }
    return false;
}

/* isinstance(x, builtin type): known from x's annotation. */
static int isinstance_builtin_type(struct ann_value *x, struct ann_value *c)
{
    if (c->kind != ANN_PBC || c->constv->ckind != FG_C_BUILTIN)
        return -1;
    static const struct { const char *name; enum ann_kind kind; } types[] = {
        {"int", ANN_INT}, {"float", ANN_FLOAT}, {"str", ANN_STR}, {"bool", ANN_BOOL},
        {"list", ANN_LIST}, {"dict", ANN_DICT}, {"set", ANN_SET}, {"tuple", ANN_TUPLE},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(c->constv->str, types[i].name))
            return x->kind == types[i].kind || (types[i].kind == ANN_INT && x->kind == ANN_BOOL);
    return -1;
}

static struct ann_value *b_isinstance(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "isinstance", ca, 2, 2))
        return NULL;
    struct ann_value *x = ca->pos[0], *c = ca->pos[1];
    struct ann_value *r = mk(ANN_BOOL);
    int known = isinstance_builtin_type(x, c);
    if (known >= 0) {
        if (x->nullable && known) {
            sp_error(op->pos, "isinstance() of a value that may be None is not supported for built-in types");
            return NULL;
        }
        r->is_const = true;
        r->constv = fg_const_bool(known);
        return r;
    }
    struct sp_vec classes = {0};
    if (!isinstance_classes(c, &classes)) {
        sp_error(op->pos, "isinstance() arg 2 must be a class or a tuple of classes");
        return NULL;
    }
    if (x->kind != ANN_INSTANCE) {
        if (x->kind != ANN_NONE) {
            r->is_const = true;
            r->constv = fg_const_bool(false);
        }
        return r;
    }
    bool always = false, maybe = false;
    for (int i = 0; i < classes.n; i++) {
        struct ann_classdef *cd = classes.v[i];
        always |= ann_is_subclass(x->classdef, cd);
        maybe |= ann_is_subclass(cd, x->classdef);
    }
    if ((always && !x->nullable) || (!always && !maybe)) {
        r->is_const = true;
        r->constv = fg_const_bool(always && !x->nullable);
        return r;
    }
    /* `if isinstance(x, C):` knows x is a C on its True exit. */
    if (op->opcode == OP_SIMPLE_CALL && op->args[1]->kind == FG_VAR) {
        struct ann_opinfo *oi = ann_opinfo(op);
        oi->narrow_var = op->args[1];
        if (classes.n == 1 && ann_is_subclass(classes.v[0], x->classdef))
            oi->narrow_true = ann_instance(classes.v[0], false, x->origin);
        else if (always)
            oi->narrow_true = ann_instance(x->classdef, false, x->origin);
    }
    return r;
}

/* set() / set(iterable) / dict() / dict(d): new containers (their defs
 * kept in the op's info, like the literals'). */
static struct ann_value *b_set(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "set", ca, 0, 1))
        return NULL;
    struct ann_value *item = ca->npos ? iter_item(op, ca->pos[0]) : ann_impossible();
    if (!item)
        return NULL;
    struct ann_opinfo *oi = ann_opinfo(op);
    if (!oi->def)
        oi->def = ann_new_listdef(false, NULL, NULL);
    if (!ann_grow_item(oi->def, false, item, op->pos, "set item"))
        return NULL;
    struct ann_value *r = mk(ANN_SET);
    r->def = oi->def;
    return r;
}

static struct ann_value *b_dict(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "dict", ca, 0, 1))
        return NULL;
    if (ca->npos) {
        if (ca->pos[0]->kind != ANN_DICT)
            return call_prelude(op, "_dict_of_pairs", 1, ca->raw[0]);
        struct ann_value *r = mk(ANN_DICT);
        r->def = ca->pos[0]->def;
        return r;
    }
    struct ann_opinfo *oi = ann_opinfo(op);
    if (!oi->def)
        oi->def = ann_new_listdef(true, NULL, NULL);
    struct ann_value *r = mk(ANN_DICT);
    r->def = oi->def;
    return r;
}

static struct ann_value *b_int_to_str(const char *name, struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, name, ca, 1, 1))
        return NULL;
    if (!is_intlike(ca->pos[0])) {
        sp_error(op->pos, "'%s' object cannot be interpreted as an integer", ann_typename(ca->pos[0]));
        return NULL;
    }
    return mk(ANN_STR);
}

static struct ann_value *b_ord(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "ord", ca, 1, 1))
        return NULL;
    if (ca->pos[0]->kind != ANN_STR) {
        sp_error(op->pos, "ord() expected string of length 1, but %s found", ann_typename(ca->pos[0]));
        return NULL;
    }
    return mk(ANN_INT);
}

/* pow(a, b) is a ** b; pow(a, b, m) of ints is modular. */
static struct ann_value *b_pow(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "pow", ca, 2, 3))
        return NULL;
    for (int i = 0; i < ca->npos; i++)
        if (!is_num(ca->pos[i]) || (ca->npos == 3 && !is_intlike(ca->pos[i]))) {
            sp_error(op->pos, "unsupported operand type(s) for pow(): %s", ann_typename(ca->pos[i]));
            return NULL;
        }
    if (ca->npos == 3)
        return mk(ANN_INT);
    bool flt = ca->pos[0]->kind == ANN_FLOAT || ca->pos[1]->kind == ANN_FLOAT ||
               (ca->pos[1]->is_const && ca->pos[1]->constv && ca->pos[1]->constv->ival < 0);
    return mk(flt ? ANN_FLOAT : ANN_INT);
}

/* zip, reversed, map and filter: the prelude builds their lists. */
static struct ann_value *b_zip(struct fg_op *op, struct callargs *ca)
{
    if (ca->nkw || ca->npos < 2 || ca->npos > 3) {
        sp_error(op->pos, "zip() of %d iterables is not supported yet (2 or 3 are)", ca->npos);
        return NULL;
    }
    if (ca->npos == 2)
        return call_prelude(op, "_zip2", 2, ca->raw[0], ca->raw[1]);
    return call_prelude(op, "_zip3", 3, ca->raw[0], ca->raw[1], ca->raw[2]);
}

static struct ann_value *b_reversed(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "reversed", ca, 1, 1))
        return NULL;
    return call_prelude(op, "_reversed", 1, ca->raw[0]);
}

static struct ann_value *b_map(struct fg_op *op, struct callargs *ca)
{
    if (ca->nkw || ca->npos < 2 || ca->npos > 3) {
        sp_error(op->pos, "map() with %d iterables is not supported yet (1 or 2 are)", ca->npos - 1);
        return NULL;
    }
    if (ca->npos == 2)
        return call_prelude(op, "_map", 2, ca->raw[0], ca->raw[1]);
    return call_prelude(op, "_map2", 3, ca->raw[0], ca->raw[1], ca->raw[2]);
}

static struct ann_value *b_filter(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "filter", ca, 2, 2))
        return NULL;
    if (ca->pos[0]->kind == ANN_NONE)
        return call_prelude(op, "_filter_true", 1, ca->raw[1]);
    return call_prelude(op, "_filter", 2, ca->raw[0], ca->raw[1]);
}

/* _rpy_sort_by_keys(lst, keys, reverse): the prelude's key sort. */
static struct ann_value *b_sort_by_keys(struct fg_op *op, struct callargs *ca)
{
    if (ca->npos != 3 || ca->pos[0]->kind != ANN_LIST || ca->pos[1]->kind != ANN_LIST) {
        sp_error(op->pos, "_rpy_sort_by_keys(list, keys, reverse)");
        return NULL;
    }
    ann_listdef(ca->pos[0]->def)->resized = true;
    return mk(ANN_NONE);
}

/* X(name, handler call) */
#define BUILTIN_FUNCS(X)                                                             \
    X("print", b_print(op, &ca))                                                     \
    X("len", b_len(op, &ca))                                                         \
    X("range", b_range(op, &ca))                                                     \
    X("round", b_round(op, &ca))                                                     \
    X("abs", b_abs(op, &ca))                                                         \
    X("min", b_minmax("min", op, &ca))                                               \
    X("max", b_minmax("max", op, &ca))                                               \
    X("sum", b_sum(op, &ca))                                                         \
    X("int", b_conversion("int", op, &ca))                                           \
    X("float", b_conversion("float", op, &ca))                                       \
    X("bool", b_conversion("bool", op, &ca))                                         \
    X("str", b_conversion("str", op, &ca))                                           \
    X("repr", b_conversion("repr", op, &ca))                                         \
    X("list", b_list(op, &ca))                                                       \
    X("sorted", b_sorted(op, &ca))                                                   \
    X("enumerate", b_enumerate(op, &ca))                                             \
    X("any", b_anyall("any", op, &ca))                                               \
    X("all", b_anyall("all", op, &ca))                                               \
    X("divmod", b_divmod(op, &ca))                                                   \
    X("isinstance", b_isinstance(op, &ca))                                           \
    X("iter", b_iter(op, &ca))                                                       \
    X("next", b_next(op, &ca))                                                       \
    X("hash", b_hash(op, &ca))                                                       \
    X("_rpy_sort_by_keys", b_sort_by_keys(op, &ca))                                 \
    X("set", b_set(op, &ca))                                                         \
    X("hex", b_int_to_str("hex", op, &ca))                                           \
    X("oct", b_int_to_str("oct", op, &ca))                                           \
    X("bin", b_int_to_str("bin", op, &ca))                                           \
    X("chr", b_int_to_str("chr", op, &ca))                                           \
    X("ord", b_ord(op, &ca))                                                         \
    X("pow", b_pow(op, &ca))                                                         \
    X("zip", b_zip(op, &ca))                                                         \
    X("reversed", b_reversed(op, &ca))                                               \
    X("map", b_map(op, &ca))                                                         \
    X("filter", b_filter(op, &ca))                                                   \
    X("dict", b_dict(op, &ca))

static const char *const other_builtins[] = {
    "id", "tuple", "input", "open", "super", "object", "type", "__name__",
#define X(name, base) #name,
    RPY_BUILTIN_EXCEPTIONS(X)
#undef X
    NULL,
};

bool ann_is_builtin_name(const char *name)
{
#define X(n, call) if (strcmp(name, n) == 0) return true;
    BUILTIN_FUNCS(X)
#undef X
    for (int i = 0; other_builtins[i]; i++)
        if (strcmp(name, other_builtins[i]) == 0)
            return true;
    return false;
}

static struct ann_value *call_builtin(const char *name, struct fg_op *op, struct callargs ca)
{
#define X(n, call) if (strcmp(name, n) == 0) return call;
    BUILTIN_FUNCS(X)
#undef X
    sp_error(op->pos, "the built-in %s() is not supported yet", name);
    return NULL;
}

struct ann_value *ann_call_builtin(const char *name, struct fg_op *op, struct ann_value **args, int nargs,
                                   const struct fg_callshape *shape)
{
    (void)name;
    struct ann_value *callee = args[0];
    int skip = shape ? 2 : 1;
    struct callargs ca = split_args(args + skip, nargs - skip, shape, op->args + skip);
    if (shape && shape->star) {
        sp_error(op->pos, "*args in calls is not supported yet");
        return NULL;
    }
    if (callee->kind != ANN_PBC) {
        sp_error(op->pos, "calling a value of type %s is not supported yet", ann_typename(callee));
        return NULL;
    }
    struct fg_value *c = callee->constv;
    switch (c->ckind) {
    case FG_C_FUNC:
        return call_user(c->obj, op, &ca, NULL);
    case FG_C_CLASS:
        return instantiate(ann_classdef_of(c->obj), op, &ca);
    case FG_C_BUILTIN: {
        struct ann_classdef *cd = ann_builtin_classdef(c->str);
        if (cd)
            return instantiate(cd, op, &ca);
        return call_builtin(c->str, op, ca);
    }
    default:
        sp_error(op->pos, "'%s' is not callable", fg_value_str(c));
        return NULL;
    }
}

/* ---- methods of built-in types ---- */

static bool method_nargs(struct fg_op *op, const char *tname, const char *name, struct callargs *ca, int lo, int hi)
{
    if (ca->nkw) {
        sp_error(op->pos, "%s.%s() takes no keyword arguments", tname, name);
        return false;
    }
    if (ca->npos < lo || ca->npos > hi) {
        if (lo == hi && lo == 0)
            sp_error(op->pos, "%s.%s() takes no arguments (%d given)", tname, name, ca->npos);
        else if (lo == hi)
            sp_error(op->pos, "%s.%s() takes exactly %s argument (%d given)", tname, name, lo == 1 ? "one" : "two",
                     ca->npos);
        else
            sp_error(op->pos, "%s.%s() takes from %d to %d arguments (%d given)", tname, name, lo, hi, ca->npos);
        return false;
    }
    return true;
}

static struct ann_value *list_method(struct ann_value *l, const char *name, struct fg_op *op, struct callargs *ca)
{
    struct ann_listdef *d = ann_listdef(l->def);
#define NARGS(lo, hi) if (!method_nargs(op, "list", name, ca, lo, hi)) return NULL
    if (!strcmp(name, "append")) {
        NARGS(1, 1);
        d->resized = true;
        return ann_grow_item(d, false, ca->pos[0], op->pos, "list item") ? mk(ANN_NONE) : NULL;
    }
    if (!strcmp(name, "clear") || !strcmp(name, "reverse")) {
        NARGS(0, 0);
        d->resized |= name[0] == 'c';
        return mk(ANN_NONE);
    }
    if (!strcmp(name, "count") || !strcmp(name, "index")) {
        NARGS(1, 1);
        return mk(ANN_INT);
    }
    if (!strcmp(name, "pop")) {
        NARGS(0, 1);
        d->resized = true;
        ann_add_reader(&d->readers);
        return d->item;
    }
    if (!strcmp(name, "insert")) {
        NARGS(2, 2);
        d->resized = true;
        return ann_grow_item(d, false, ca->pos[1], op->pos, "list item") ? mk(ANN_NONE) : NULL;
    }
    if (!strcmp(name, "remove")) {
        NARGS(1, 1);
        d->resized = true;
        return mk(ANN_NONE);
    }
    if (!strcmp(name, "extend")) {
        NARGS(1, 1);
        d->resized = true;
        struct ann_value *item = iter_item(op, ca->pos[0]);
        if (!item)
            return NULL;
        return ann_grow_item(d, false, item, op->pos, "list item") ? mk(ANN_NONE) : NULL;
    }
    if (!strcmp(name, "copy")) {
        NARGS(0, 0);
        struct ann_value *r = mk(ANN_LIST);
        r->def = d;
        return r;
    }
    if (!strcmp(name, "sort")) {
        static const char *const allowed[] = {"reverse", "key", NULL};
        if (!only_kwargs(op, "sort", ca, allowed))
            return NULL;
        if (ca->npos) {
            sp_error(op->pos, "sort() takes no positional arguments");
            return NULL;
        }
        struct fg_value *key = kw_value(ca, "key"), *rev = kw_value(ca, "reverse");
        if (key)
            return call_prelude(op, "_sort_key", 3, op->args[0], key, rev ? rev : const_false(op));
        return mk(ANN_NONE);
    }
#undef NARGS
    sp_error(op->pos, "'list' object has no attribute '%s'", name);
    return NULL;
}

static struct ann_value *dict_method(struct ann_value *dv, const char *name, struct fg_op *op, struct callargs *ca)
{
    struct ann_listdef *d = ann_listdef(dv->def);
#define NARGS(lo, hi) if (!method_nargs(op, "dict", name, ca, lo, hi)) return NULL
    ann_add_reader(&d->readers);
    if (!strcmp(name, "get")) {
        NARGS(1, 2);
        if (!ann_grow_item(d, false, ca->pos[0], op->pos, "dict key"))
            return NULL;
        struct ann_value *dflt = ca->npos == 2 ? ca->pos[1] : mk(ANN_NONE);
        struct ann_value *u = ann_union(ann_listdef(d)->value, dflt);
        if (!u) {
            ann_conflict(op->pos, "the result of dict.get()", ann_listdef(d)->value, dflt);
            return NULL;
        }
        return u;
    }
    if (!strcmp(name, "items")) {
        NARGS(0, 0);
        if (d->item->kind == ANN_IMPOSSIBLE || d->value->kind == ANN_IMPOSSIBLE)
            return new_list_of(op, ann_impossible(), 0);
        return new_list_of(op, tuple_of(d->item, d->value), 0);
    }
    if (!strcmp(name, "keys") || !strcmp(name, "values")) {
        NARGS(0, 0);
        return new_list_of(op, name[0] == 'k' ? d->item : d->value, 0);
    }
    if (!strcmp(name, "clear")) {
        NARGS(0, 0);
        return mk(ANN_NONE);
    }
    if (!strcmp(name, "copy")) {
        NARGS(0, 0);
        return dv;
    }
    if (!strcmp(name, "pop") || !strcmp(name, "setdefault")) {
        NARGS(name[0] == 'p' ? 1 : 2, 2);
        if (!ann_grow_item(d, false, ca->pos[0], op->pos, "dict key"))
            return NULL;
        if (ca->npos == 2 && !ann_grow_item(d, true, ca->pos[1], op->pos, "dict value"))
            return NULL;
        return ann_listdef(d)->value;
    }
#undef NARGS
    sp_error(op->pos, "'dict' object has no attribute '%s'", name);
    return NULL;
}

static struct ann_value *set_method(struct ann_value *sv, const char *name, struct fg_op *op, struct callargs *ca)
{
    struct ann_listdef *d = ann_listdef(sv->def);
#define NARGS(lo, hi) if (!method_nargs(op, "set", name, ca, lo, hi)) return NULL
    if (!strcmp(name, "add") || !strcmp(name, "remove") || !strcmp(name, "discard")) {
        NARGS(1, 1);
        if (name[0] == 'a' && !ann_grow_item(d, false, ca->pos[0], op->pos, "set item"))
            return NULL;
        return mk(ANN_NONE);
    }
    if (!strcmp(name, "pop")) {
        NARGS(0, 0);
        ann_add_reader(&d->readers);
        return d->item;
    }
    if (!strcmp(name, "clear")) {
        NARGS(0, 0);
        return mk(ANN_NONE);
    }
    if (!strcmp(name, "copy")) {
        NARGS(0, 0);
        return sv;
    }
    static const char *const binary[] = {"union", "intersection", "difference", "symmetric_difference",
                                         "update", "issubset", "issuperset", "isdisjoint", NULL};
    for (int i = 0; binary[i]; i++)
        if (!strcmp(name, binary[i])) {
            NARGS(1, 1);
            struct ann_value *o = ca->pos[0];
            if (o->kind != ANN_SET) {
                sp_error(op->pos, "set.%s() of a %s is not supported yet (only of a set)", name, ann_typename(o));
                return NULL;
            }
            struct ann_value *bad_a, *bad_b;
            if (!ann_unify_defs(sv->def, o->def, &bad_a, &bad_b)) {
                ann_conflict(op->pos, "set item", bad_a, bad_b);
                return NULL;
            }
            if (name[0] == 'i' && name[1] == 's')
                return mk(ANN_BOOL);
            if (name[0] == 'u' && name[1] == 'p')
                return mk(ANN_NONE);
            return sv;
        }
#undef NARGS
    sp_error(op->pos, "'set' object has no attribute '%s'", name);
    return NULL;
}

static bool all_str(struct fg_op *op, const char *name, struct callargs *ca)
{
    for (int i = 0; i < ca->npos; i++)
        if (ca->pos[i]->kind != ANN_STR && !(ca->pos[i]->kind == ANN_NONE && !strcmp(name, "split"))) {
            sp_error(op->pos, "str.%s() argument %d must be str, not %s", name, i + 1, ann_typename(ca->pos[i]));
            return false;
        }
    return true;
}

static struct ann_value *str_method(const char *name, struct fg_op *op, struct callargs *ca)
{
    static const char *const to_str[] = {"upper", "lower", "strip", "lstrip", "rstrip", NULL};
    static const char *const to_bool[] = {"startswith", "endswith", "isdigit", "isalpha", "isalnum",
                                          "isspace", "isupper", "islower", NULL};
    static const char *const to_int[] = {"find", "rfind", "index", "count", NULL};
#define NARGS(lo, hi) if (!method_nargs(op, "str", name, ca, lo, hi)) return NULL
    for (int i = 0; to_str[i]; i++)
        if (!strcmp(name, to_str[i])) {
            NARGS(0, name[1] == 's' || name[0] == 's' ? 1 : 0);
            return all_str(op, name, ca) ? mk(ANN_STR) : NULL;
        }
    for (int i = 0; to_bool[i]; i++)
        if (!strcmp(name, to_bool[i])) {
            NARGS(name[0] == 'i' ? 0 : 1, name[0] == 'i' ? 0 : 1);
            return all_str(op, name, ca) ? mk(ANN_BOOL) : NULL;
        }
    for (int i = 0; to_int[i]; i++)
        if (!strcmp(name, to_int[i])) {
            NARGS(1, 1);
            return all_str(op, name, ca) ? mk(ANN_INT) : NULL;
        }
    if (!strcmp(name, "replace")) {
        NARGS(2, 2);
        return all_str(op, name, ca) ? mk(ANN_STR) : NULL;
    }
    if (!strcmp(name, "split")) {
        NARGS(0, 2);
        if (ca->npos == 2 && !is_intlike(ca->pos[1])) {
            sp_error(op->pos, "str.split() maxsplit must be an int");
            return NULL;
        }
        if (ca->npos >= 1 && ca->pos[0]->kind != ANN_STR && ca->pos[0]->kind != ANN_NONE) {
            sp_error(op->pos, "str.split() separator must be str or None");
            return NULL;
        }
        return new_list_of(op, mk(ANN_STR), 0);
    }
    if (!strcmp(name, "format")) {
        if (ca->nkw) {
            sp_error(op->pos, "str.format() with keyword arguments is not supported yet");
            return NULL;
        }
        for (int i = 0; i < ca->npos; i++)
            if (!printable(ca->pos[i])) {
                sp_error(op->pos, "str.format() of a %s is not supported", ann_typename(ca->pos[i]));
                return NULL;
            }
        return mk(ANN_STR);
    }
    if (!strcmp(name, "join")) {
        NARGS(1, 1);
        struct ann_value *item = iter_item(op, ca->pos[0]);
        if (!item)
            return NULL;
        if (item->kind != ANN_STR && item->kind != ANN_IMPOSSIBLE) {
            sp_error(op->pos, "str.join() expects strings, not %s items", ann_typename(item));
            return NULL;
        }
        return mk(ANN_STR);
    }
#undef NARGS
    sp_error(op->pos, "the str method '%s' is not supported yet", name);
    return NULL;
}

/* ---- methods of user classes ---- */

/* impl called on a receiver: an instance (self), or for a classmethod its
 * class, or nothing for a staticmethod. */
static struct ann_value *call_bound(struct fg_func *impl, struct fg_op *op, struct callargs *ca,
                                    struct ann_value *self)
{
    if (impl->is_staticmethod)
        return call_user(impl, op, ca, NULL);
    if (impl->is_classmethod) {
        struct ann_classdef *cd = self->classdef;
        if (!cd->cls) {
            sp_error(op->pos, "classmethods of built-in classes are not supported");
            return NULL;
        }
        return call_user(impl, op, ca, ann_of(fg_const_obj(FG_C_CLASS, cd->cls)));
    }
    return call_user(impl, op, ca, self);
}

/* obj.name(args) on an instance: every instantiated class below obj's
 * may be the receiver's; each runs the implementation it finds first. */
static struct ann_value *call_instance_method(struct ann_value *obj, const char *name, struct fg_op *op,
                                              struct callargs *ca)
{
    struct ann_classdef *cd = obj->classdef;
    struct sp_vec classes = {0};
    ann_instantiated_subtree(cd, &classes);
    if (!ann_find_method(cd, name)) {
        bool somewhere = false;
        for (int i = 0; i < classes.n; i++)
            somewhere |= ann_find_method(classes.v[i], name) != NULL;
        if (!somewhere) {
            sp_error(op->pos, "'%s' object has no attribute '%s'", cd->name, name);
            return NULL;
        }
    }
    struct sp_vec *targets = SP_NEW(struct sp_vec);
    struct fg_func *first = NULL;
    bool several = false;
    struct ann_value *result = ann_impossible();
    for (int i = 0; i < classes.n; i++) {
        struct ann_classdef *x = classes.v[i];
        struct fg_func *impl = ann_find_method(x, name);
        if (!impl) {
            sp_error(op->pos, "'%s' object has no attribute '%s' (called on a %s)", x->name, name, cd->name);
            return NULL;
        }
        struct ann_value *r = call_bound(impl, op, ca, ann_instance(x, false, op->pos));
        if (!r)
            return NULL;
        impl = ann_opinfo(op)->target; /* the specialised version */
        struct ann_method_target *t = SP_NEW(struct ann_method_target);
        t->cls = x;
        t->func = impl;
        sp_vec_push(targets, t);
        several |= first && impl != first;
        if (!first)
            first = impl;
        struct ann_value *u = ann_union(result, r);
        if (!u) {
            ann_conflict(op->pos, sp_fmt("the result of %s.%s()", cd->name, name), result, r);
            return NULL;
        }
        result = u;
    }
    struct ann_opinfo *oi = ann_opinfo(op);
    oi->target = first;
    oi->targets = several ? targets : NULL;
    return result;
}

struct ann_value *ann_call_method_on(struct ann_value *obj, const char *name, struct fg_op *op,
                                     struct ann_value **args, int nargs)
{
    struct callargs ca = {args, nargs, NULL, NULL, 0, NULL};
    return call_instance_method(obj, name, op, &ca);
}

/* Class.name(args): a staticmethod, a classmethod, or a plain method
 * called with an explicit self. */
static struct ann_value *call_class_method(struct ann_classdef *cd, const char *name, struct fg_op *op,
                                           struct callargs *ca)
{
    struct fg_func *impl = ann_find_method(cd, name);
    if (!impl) {
        sp_error(op->pos, "type object '%s' has no attribute '%s'", cd->name, name);
        return NULL;
    }
    if (impl->is_staticmethod)
        return call_user(impl, op, ca, NULL);
    if (impl->is_classmethod)
        return call_user(impl, op, ca, ann_of(fg_const_obj(FG_C_CLASS, cd->cls)));
    return call_user(impl, op, ca, NULL);
}

struct ann_value *ann_call_method(struct ann_value *obj, const char *name, struct fg_op *op,
                                  struct ann_value **args, int nargs, const struct fg_callshape *shape)
{
    struct callargs ca = split_args(args, nargs, shape, op->args + (op->nargs - nargs));
    if (shape && shape->star) {
        sp_error(op->pos, "*args in calls is not supported yet");
        return NULL;
    }
    switch (obj->kind) {
    case ANN_LIST:
        return list_method(obj, name, op, &ca);
    case ANN_DICT:
        return dict_method(obj, name, op, &ca);
    case ANN_SET:
        return set_method(obj, name, op, &ca);
    case ANN_STR:
        return str_method(name, op, &ca);
    case ANN_INSTANCE:
        return call_instance_method(obj, name, op, &ca);
    case ANN_PBC:
        if (obj->constv->ckind == FG_C_CLASS)
            return call_class_method(ann_classdef_of(obj->constv->obj), name, op, &ca);
        break;
    default:
        break;
    }
    sp_error(op->pos, "'%s' object has no attribute '%s'", ann_typename(obj), name);
    return NULL;
}
