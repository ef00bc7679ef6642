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
    struct ann_value *star;  /* the *iterable after them, or NULL (print() only) */
};

static struct callargs split_args(struct ann_value **args, int nargs, const struct fg_callshape *shape,
                                  struct fg_value **raw)
{
    struct callargs ca = {args, nargs, NULL, NULL, 0, raw, NULL};
    if (shape) {
        ca.npos = shape->npos;
        ca.kw = args + shape->npos;
        ca.kwnames = shape->kwnames;
        ca.nkw = shape->nkw;
        if (shape->star)
            ca.star = args[shape->npos + shape->nkw];
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

/* The annotation of f's default for parameter i: a constant's, or what
 * the def stored (a global, or an attribute of the closure's
 * environment: params[0] of the call, filled in by call_user). */
static struct ann_value *default_ann(struct fg_func *f, int i, struct fg_op *op)
{
    struct fg_value *c = f->defaults[i];
    if (c->ckind != FG_C_DEFAULT)
        return ann_of(c);
    struct fg_default *d = c->obj;
    if (!d) {
        sp_error(c->pos, "default values here must be constants");
        return NULL;
    }
    if (d->in_env)
        return ann_impossible(); /* filled in by call_user once self is known */
    struct ann_global *g = ann_global(d->module, d->name);
    ann_add_reader(&g->readers);
    (void)op;
    return g->ann;
}

static struct ann_value *iter_item(struct fg_op *op, struct ann_value *a);

/* After an error in a call of f: where f is defined (a function of the
 * program, not of the prelude). */
static void note_def(struct fg_func *f)
{
    if (f->def && f->def->kind == AST_FUNCTIONDEF && !f->module->is_prelude && !f->module->is_stdlib)
        sp_note(f->def->pos, "%s() is defined here", f->qualname);
}

/* Match a call's arguments to f's parameters (after `nbound` already
 * bound ones, e.g. self); fills out[nparams]. Errors name a method as
 * CPython does (Rect.scale(), self counted). */
static bool match_params(struct fg_func *f, struct fg_op *op, struct callargs *ca, int nbound,
                         struct ann_value **out)
{
    int np = f->nparams;
    for (int i = 0; i < np; i++)
        out[i] = NULL;
    int avail = np - f->nkwonly - nbound;
    const char *fname = f->cls && !f->module->is_prelude ? f->qualname : f->name;
    if (ca->npos > avail && !f->vararg) {
        int takes = avail + nbound, given = ca->npos + nbound;
        sp_error(op->pos, "%s() takes %d positional argument%s but %d %s given", fname, takes,
                 takes == 1 ? "" : "s", given, given == 1 ? "was" : "were");
        note_def(f);
        return false;
    }
    for (int i = 0; i < ca->npos && i < avail; i++)
        out[nbound + i] = ca->pos[i];
    for (int k = 0; k < ca->nkw; k++) {
        int at = -1;
        for (int i = nbound; i < np; i++)
            if (f->params[i] == ca->kwnames[k])
                at = i;
        if (at < 0) {
            sp_error(op->pos, "%s() got an unexpected keyword argument '%s'", fname, ca->kwnames[k]);
            note_def(f);
            return false;
        }
        if (out[at]) {
            sp_error(op->pos, "%s() got multiple values for argument '%s'", fname, ca->kwnames[k]);
            note_def(f);
            return false;
        }
        out[at] = ca->kw[k];
    }
    if (ca->star) {
        /* f(a, *items): the items fill the parameters after the explicit
         * positional ones (each gets the item type; the rtyper checks the
         * length), the rest go to *args */
        struct ann_value *item = iter_item(op, ca->star);
        if (!item)
            return false;
        for (int i = nbound + ca->npos; i < np - f->nkwonly && !out[i]; i++) {
            if (f->defaults && f->defaults[i]) {
                sp_error(op->pos, "*args in a call of %s(), which has parameters with default values, is not "
                                  "supported yet", f->name);
                return false;
            }
            out[i] = item;
        }
    }
    int missing = 0;
    struct sp_buf names = {0};
    for (int i = nbound; i < np; i++) {
        if (out[i])
            continue;
        if (f->defaults && f->defaults[i]) {
            out[i] = default_ann(f, i, op);
            if (!out[i])
                return false;
            continue;
        }
        if (missing++)
            sp_buf_puts(&names, " and ");
        sp_buf_printf(&names, "'%s'", f->params[i]);
    }
    if (missing) {
        sp_error(op->pos, "%s() missing %d required positional argument%s: %s", fname, missing,
                 missing == 1 ? "" : "s", sp_buf_cstr(&names));
        note_def(f);
        return false;
    }
    return true;
}

/* A call of f(fixed..., *args): the extra positional arguments and the
 * star's items grow the *args list of the version called. */
static struct ann_value *call_vararg(struct fg_func *f, struct fg_op *op, struct callargs *ca, int nbound,
                                     struct ann_value **params)
{
    /* the items this call passes: part of what picks the version */
    const char *what = sp_fmt("an item of *%s of %s()", f->vararg, f->qualname);
    struct ann_listdef *mine = ann_new_listdef(false, ann_impossible(), NULL);
    for (int i = f->nparams - f->nkwonly - nbound; i < ca->npos; i++)
        if (!ann_grow_item(mine, false, ann_unconst(ca->pos[i]), op->pos, what))
            return NULL;
    if (ca->star) {
        struct ann_value *item = iter_item(op, ca->star);
        if (!item || !ann_grow_item(mine, false, ann_unconst(item), op->pos, what))
            return NULL;
    }
    struct ann_value *all[f->nparams + 2];
    for (int i = 0; i < f->nparams; i++)
        all[i] = params[i];
    all[f->nparams] = ann_container(ANN_LIST, mine, op->pos);
    f = ann_specialize(f, all, f->nparams + 1, op->pos);
    if (!f)
        return NULL;
    ann_opinfo(op)->target = f;
    struct ann_funcinfo *fi = ann_funcinfo(f);
    if (!fi->vararg_def)
        fi->vararg_def = ann_new_listdef(false, ann_impossible(), NULL);
    if (!ann_grow_item(fi->vararg_def, false, ann_listdef(mine)->item, op->pos, what))
        return NULL;
    for (int i = 0; i < f->nparams; i++)
        all[i] = params[i];
    all[f->nparams] = ann_container(ANN_LIST, fi->vararg_def, op->pos);
    return ann_call_func(f, all, f->nparams + 1, op->pos);
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
    if (f->vararg)
        return call_vararg(f, op, ca, nbound, params);
    for (int i = nbound; self && i < f->nparams; i++) {
        /* a closure's defaults are in its environment */
        struct fg_value *c = f->defaults ? f->defaults[i] : NULL;
        bool given = false;
        for (int k = 0; k < ca->npos && !given; k++)
            given = nbound + k == i;
        for (int k = 0; k < ca->nkw && !given; k++)
            given = ca->kwnames[k] == f->params[i];
        if (!given && c && c->ckind == FG_C_DEFAULT && c->obj && ((struct fg_default *)c->obj)->in_env) {
            params[i] = ann_getattr_instance(self, ((struct fg_default *)c->obj)->name, op->pos);
            if (!params[i])
                return NULL;
        }
    }
    f = ann_specialize(f, params, f->nparams, op->pos);
    if (!f)
        return NULL;
    ann_opinfo(op)->target = f;
    return ann_call_func(f, params, f->nparams, op->pos);
}

/* Whether str() of a value of this type is CPython's: not for a list
 * standing for bytes or a dict view (ann_listdef.stands_for), inside a
 * container or not. */
static bool printable(struct ann_value *a)
{
    switch (a->kind) {
    case ANN_PBC: case ANN_ITER: case ANN_IMPOSSIBLE:
        return false;
    case ANN_LIST: case ANN_SET: case ANN_DICT: {
        struct ann_listdef *d = ann_listdef(a->def);
        return !d->stands_for && (d->item->kind == ANN_IMPOSSIBLE || printable(d->item)) &&
               (!d->is_dict || d->value->kind == ANN_IMPOSSIBLE || printable(d->value));
    }
    case ANN_TUPLE:
        for (int i = 0; i < a->nitems; i++)
            if (a->items[i]->kind != ANN_IMPOSSIBLE && !printable(a->items[i]))
                return false;
        return true;
    default:
        return true;
    }
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
    case ANN_FILE: return mk(ANN_STR);
    case ANN_RANGE: return mk(ANN_INT);
    case ANN_ITER: return ann_next_rule(op, a);
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
    static const char *const allowed[] = {"sep", "end", "file", NULL};
    if (!only_kwargs(op, "print", ca, allowed))
        return NULL;
    for (int i = 0; i < ca->npos; i++)
        if (!printable(ca->pos[i])) {
            sp_error(op->pos, "print() of a %s is not supported", ann_typename(ca->pos[i]));
            return NULL;
        }
    if (ca->star) { /* print(*items): str() of each item */
        struct ann_value *item = iter_item(op, ca->star);
        if (!item)
            return NULL;
        if (item->kind != ANN_IMPOSSIBLE && !printable(item)) {
            sp_error(op->pos, "print() of a %s is not supported", ann_typename(item));
            return NULL;
        }
    }
    for (int i = 0; i < ca->nkw; i++)
        if (ca->kwnames[i] == sp_intern("file") ? ca->kw[i]->kind != ANN_FILE
                                                 : ca->kw[i]->kind != ANN_STR && ca->kw[i]->kind != ANN_NONE) {
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

static struct fg_value *const_int(struct fg_op *op, int64_t v)
{
    struct fg_value *c = fg_const_int(v);
    c->pos = op->pos;
    return c;
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

/* An iterable that the built-ins consume with a for loop of the prelude:
 * a user iterator (an instance), or an iterator of a built-in iterable. */
static bool is_instance(struct ann_value *a) { return a->kind == ANN_INSTANCE || a->kind == ANN_ITER; }

static struct ann_value *b_minmax(const char *name, struct fg_op *op, struct callargs *ca)
{
    static const char *const allowed[] = {"key", "default", NULL};
    if (!only_kwargs(op, name, ca, allowed))
        return NULL;
    if (ca->npos == 0) {
        sp_error(op->pos, "%s expected at least 1 argument, got 0", name);
        return NULL;
    }
    struct fg_value *key = kw_value(ca, "key"), *dflt = kw_value(ca, "default");
    if (dflt && ca->npos != 1) {
        sp_error(op->pos, "Cannot specify a default for %s() with multiple positional arguments", name);
        return NULL;
    }
    bool is_min = name[1] == 'i';
    if (dflt && key)
        return call_prelude(op, is_min ? "_min_key_default" : "_max_key_default", 3, ca->raw[0], key, dflt);
    if (dflt)
        return call_prelude(op, is_min ? "_min_default" : "_max_default", 2, ca->raw[0], dflt);
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
static bool method_nargs(struct fg_op *op, const char *tname, const char *name, struct callargs *ca, int lo, int hi);
static struct ann_value *call_value(struct ann_value *callee, struct fg_op *op, struct ann_value **args, int nargs,
                                    const struct fg_callshape *shape, struct fg_value **raw);

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

/* tuple(it): a tuple of any length (a list marked is_tuple); of a tuple,
 * the tuple itself. */
static struct ann_value *b_tuple(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "tuple", ca, 0, 1))
        return NULL;
    if (ca->npos && ca->pos[0]->kind == ANN_TUPLE && !ca->pos[0]->mixed_list)
        return ann_unconst(ca->pos[0]);
    if (ca->npos && is_instance(ca->pos[0]))
        return call_prelude(op, "_tuple", 1, ca->raw[0]);
    if (ca->npos && ca->pos[0]->kind == ANN_LIST && ann_listdef(ca->pos[0]->def)->is_tuple)
        return ca->pos[0];
    struct ann_value *item = ca->npos ? iter_item(op, ca->pos[0]) : ann_impossible();
    if (!item)
        return NULL;
    struct ann_value *r = new_list_of(op, item, 0);
    if (r)
        ann_listdef(r->def)->is_tuple = true;
    return r;
}

/* id(x): the identity of an object (stable across the collector's moves). */
static struct ann_value *b_id(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "id", ca, 1, 1))
        return NULL;
    return mk(ANN_INT);
}

static struct ann_value *b_enumerate(struct fg_op *op, struct callargs *ca)
{
    static const char *const allowed[] = {"start", NULL};
    if (ca->nkw && !only_kwargs(op, "enumerate", ca, allowed))
        return NULL;
    struct fg_value *start = ca->npos == 2 ? ca->raw[1] : kw_value(ca, "start");
    if (ca->npos + ca->nkw < 1 || ca->npos + ca->nkw > 2 || (ca->npos == 2 && ca->nkw)) {
        sp_error(op->pos, "enumerate() takes an iterable and an optional start");
        return NULL;
    }
    if (ca->npos == 0) {
        sp_error(op->pos, "enumerate() missing required argument 'iterable'");
        return NULL;
    }
    if (start) {
        struct ann_value *sa = ann_of(start);
        if (sa->kind != ANN_INT && sa->kind != ANN_BOOL) {
            sp_error(op->pos, "enumerate() start must be an int, not %s", ann_typename(sa));
            return NULL;
        }
    }
    if (is_instance(ca->pos[0])) /* a user iterator: lazily, a generator */
        return call_prelude(op, "_enumerate", 2, ca->raw[0], start ? start : const_int(op, 0));
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
    if (ca->npos == 2 && ca->pos[0]->kind == ANN_INSTANCE) /* a user iterator: catch its StopIteration */
        return call_prelude(op, "_next_default", 2, ca->raw[0], ca->raw[1]);
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
    if (c->kind == ANN_TUPLE && c->nitems > 0) { /* (int, float): any of them */
        int any = 0;
        for (int i = 0; i < c->nitems; i++) {
            int k = isinstance_builtin_type(x, c->items[i]);
            if (k < 0)
                return -1;
            any |= k;
        }
        return any;
    }
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
    if (ca->npos && is_instance(ca->pos[0]))
        return call_prelude(op, "_set", 1, ca->raw[0]);
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
    if (ca->star && !ca->npos && !ca->nkw) /* zip(*rows): tuples of any length (tuple(xs)) */
        return call_prelude(op, "_zip_star", 1, ca->raw[0]);
    if (ca->star) {
        sp_error(op->pos, "zip() with *args and other arguments is not supported yet");
        return NULL;
    }
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

/* collections.deque(iterable=(), maxlen=None): a list-like container of
 * its own type (a deque and a list never meet in one variable). */
static struct ann_value *b_deque(struct fg_op *op, struct callargs *ca)
{
    static const char *const allowed[] = {"maxlen", NULL};
    if (!only_kwargs(op, "deque", ca, allowed))
        return NULL;
    if (ca->npos > 2) {
        sp_error(op->pos, "deque expected at most 2 arguments, got %d", ca->npos);
        return NULL;
    }
    struct ann_value *item = ca->npos ? iter_item(op, ca->pos[0]) : ann_impossible();
    if (!item)
        return NULL;
    struct ann_value *maxlen = ca->npos == 2 ? ca->pos[1] : ca->nkw ? ca->kw[0] : NULL;
    if (maxlen && !is_intlike(maxlen) && maxlen->kind != ANN_NONE) {
        sp_error(op->pos, "an integer is required (maxlen), not %s", ann_typename(maxlen));
        return NULL;
    }
    struct ann_opinfo *oi = ann_opinfo(op);
    if (!oi->def) {
        oi->def = ann_new_listdef(false, NULL, NULL);
        oi->def->is_deque = true;
        oi->def->resized = true;
    }
    if (!ann_grow_item(oi->def, false, item, op->pos, "deque item"))
        return NULL;
    struct ann_value *r = mk(ANN_LIST);
    r->def = oi->def;
    return r;
}

/* The methods of a deque: those of a list, and the ends. */
static struct ann_value *deque_method(struct ann_value *dv, const char *name, struct fg_op *op, struct callargs *ca)
{
    struct ann_listdef *d = ann_listdef(dv->def);
#define NARGS(lo, hi) if (!method_nargs(op, "deque", name, ca, lo, hi)) return NULL
    if (!strcmp(name, "append") || !strcmp(name, "appendleft")) {
        NARGS(1, 1);
        return ann_grow_item(d, false, ca->pos[0], op->pos, "deque item") ? mk(ANN_NONE) : NULL;
    }
    if (!strcmp(name, "pop") || !strcmp(name, "popleft")) {
        NARGS(0, 0);
        ann_add_reader(&d->readers);
        return d->item;
    }
    if (!strcmp(name, "extend") || !strcmp(name, "extendleft")) {
        NARGS(1, 1);
        struct ann_value *item = iter_item(op, ca->pos[0]);
        if (!item)
            return NULL;
        return ann_grow_item(d, false, item, op->pos, "deque item") ? mk(ANN_NONE) : NULL;
    }
    if (!strcmp(name, "rotate")) {
        NARGS(0, 1);
        if (ca->npos && !is_intlike(ca->pos[0])) {
            sp_error(op->pos, "deque.rotate() takes an int");
            return NULL;
        }
        return mk(ANN_NONE);
    }
    if (!strcmp(name, "clear") || !strcmp(name, "reverse")) {
        NARGS(0, 0);
        return mk(ANN_NONE);
    }
    if (!strcmp(name, "count")) {
        NARGS(1, 1);
        return mk(ANN_INT);
    }
    if (!strcmp(name, "remove")) {
        NARGS(1, 1);
        return mk(ANN_NONE);
    }
#undef NARGS
    sp_error(op->pos, "'collections.deque' object has no attribute '%s'", name);
    return NULL;
}

/* open(path, mode="r") and input(prompt=""): text files and stdin. */
static struct ann_value *b_open(struct fg_op *op, struct callargs *ca)
{
    static const char *const allowed[] = {"mode", "encoding", NULL};
    if (!only_kwargs(op, "open", ca, allowed))
        return NULL;
    if (ca->npos < 1 || ca->npos > 2) {
        sp_error(op->pos, "open() takes a file name and a mode, %d arguments given", ca->npos);
        return NULL;
    }
    for (int i = 0; i < ca->npos + ca->nkw; i++) {
        struct ann_value *a = i < ca->npos ? ca->pos[i] : ca->kw[i - ca->npos];
        if (a->kind != ANN_STR) {
            sp_error(op->pos, "open() arguments must be str, not %s", ann_typename(a));
            return NULL;
        }
    }
    return mk(ANN_FILE);
}

static struct ann_value *b_input(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "input", ca, 0, 1))
        return NULL;
    if (ca->npos && ca->pos[0]->kind != ANN_STR) {
        sp_error(op->pos, "input() prompt must be a str, not %s", ann_typename(ca->pos[0]));
        return NULL;
    }
    return mk(ANN_STR);
}

/* The methods of a text file. */
static struct ann_value *file_method(const char *name, struct fg_op *op, struct callargs *ca)
{
#define NARGS(lo, hi) if (!method_nargs(op, "file", name, ca, lo, hi)) return NULL
    if (!strcmp(name, "read") || !strcmp(name, "readline")) {
        NARGS(0, 1);
        if (ca->npos && !is_intlike(ca->pos[0])) {
            sp_error(op->pos, "argument should be integer, not '%s'", ann_typename(ca->pos[0]));
            return NULL;
        }
        return mk(ANN_STR);
    }
    if (!strcmp(name, "readlines")) {
        NARGS(0, 0);
        return new_list_of(op, mk(ANN_STR), 0);
    }
    if (!strcmp(name, "write")) {
        NARGS(1, 1);
        if (ca->pos[0]->kind != ANN_STR || ca->pos[0]->nullable) {
            sp_error(op->pos, "write() argument must be str, not %s", ann_typename(ca->pos[0]));
            return NULL;
        }
        return mk(ANN_INT);
    }
    if (!strcmp(name, "close") || !strcmp(name, "flush")) {
        NARGS(0, 0);
        return mk(ANN_NONE);
    }
    if (!strcmp(name, "__enter__")) {
        NARGS(0, 0);
        return mk(ANN_FILE);
    }
    if (!strcmp(name, "__exit__")) {
        NARGS(3, 3);
        return mk(ANN_BOOL);
    }
#undef NARGS
    sp_error(op->pos, "file objects have no method '%s' that RPy supports", name);
    return NULL;
}

/* The native functions that are not a simple signature. */
static struct ann_value *b_math_pair(const char *name, struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, name, ca, 1, 1))
        return NULL;
    if (!is_num(ca->pos[0])) {
        sp_error(op->pos, "must be real number, not %s", ann_typename(ca->pos[0]));
        return NULL;
    }
    /* modf: (fractional, integral) floats; frexp: (mantissa, exponent) */
    return tuple_of(mk(ANN_FLOAT), mk(!strcmp(name, "math.frexp") ? ANN_INT : ANN_FLOAT));
}

/* math.prod(iterable, start=1): an int of ints, else a float. */
static struct ann_value *b_prod(struct fg_op *op, struct callargs *ca)
{
    static const char *const allowed[] = {"start", NULL};
    if (!only_kwargs(op, "prod", ca, allowed))
        return NULL;
    if (ca->npos != 1) {
        sp_error(op->pos, "prod() takes one iterable (and start=)");
        return NULL;
    }
    struct ann_value *item = iter_item(op, ca->pos[0]);
    if (!item)
        return NULL;
    struct ann_value *start = ca->nkw ? ca->kw[0] : NULL;
    if ((item->kind != ANN_IMPOSSIBLE && !is_num(item)) || (start && !is_num(start))) {
        sp_error(op->pos, "prod() multiplies numbers");
        return NULL;
    }
    bool is_float = item->kind == ANN_FLOAT || (start && start->kind == ANN_FLOAT);
    return mk(is_float ? ANN_FLOAT : ANN_INT);
}

static struct ann_value *b_isclose(struct fg_op *op, struct callargs *ca)
{
    static const char *const allowed[] = {"rel_tol", "abs_tol", NULL};
    if (!only_kwargs(op, "isclose", ca, allowed))
        return NULL;
    if (ca->npos != 2 || !is_num(ca->pos[0]) || !is_num(ca->pos[1])) {
        sp_error(op->pos, "isclose() takes two numbers (and rel_tol=, abs_tol=)");
        return NULL;
    }
    for (int i = 0; i < ca->nkw; i++)
        if (!is_num(ca->kw[i])) {
            sp_error(op->pos, "isclose() %s must be a number", ca->kwnames[i]);
            return NULL;
        }
    return mk(ANN_BOOL);
}

static struct ann_value *b_choice(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "choice", ca, 1, 1))
        return NULL;
    if (ca->pos[0]->kind == ANN_STR)
        return mk(ANN_STR);
    if (ca->pos[0]->kind != ANN_LIST) {
        sp_error(op->pos, "random.choice() of a %s is not supported (a list or a str is)", ann_typename(ca->pos[0]));
        return NULL;
    }
    return iter_item(op, ca->pos[0]);
}

static struct ann_value *b_randrange(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "randrange", ca, 1, 3))
        return NULL;
    for (int i = 0; i < ca->npos; i++)
        if (!is_intlike(ca->pos[i])) {
            sp_error(op->pos, "randrange() arguments must be ints, not %s", ann_typename(ca->pos[i]));
            return NULL;
        }
    return mk(ANN_INT);
}

static struct ann_value *b_sys_exit(struct fg_op *op, struct callargs *ca)
{
    if (!nargs_between(op, "exit", ca, 0, 1))
        return NULL;
    if (ca->npos && !is_intlike(ca->pos[0]) && ca->pos[0]->kind != ANN_STR && ca->pos[0]->kind != ANN_NONE) {
        sp_error(op->pos, "sys.exit() of a %s is not supported (an int, a str or None is)", ann_typename(ca->pos[0]));
        return NULL;
    }
    return mk(ANN_NONE); /* it does not return (the runtime routine exits) */
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
    X("tuple", b_tuple(op, &ca))                                                     \
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
    X("collections.deque", b_deque(op, &ca))                                         \
    X("open", b_open(op, &ca))                                                       \
    X("input", b_input(op, &ca))                                                     \
    X("math.modf", b_math_pair("math.modf", op, &ca))                                \
    X("math.frexp", b_math_pair("math.frexp", op, &ca))                              \
    X("math.isclose", b_isclose(op, &ca))                                            \
    X("math.prod", b_prod(op, &ca))                                                  \
    X("random.choice", b_choice(op, &ca))                                            \
    X("random.randrange", b_randrange(op, &ca))                                      \
    X("sys.exit", b_sys_exit(op, &ca))                                               \
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
    X("dict", b_dict(op, &ca))                                                       \
    X("id", b_id(op, &ca))

static const char *const other_builtins[] = {
    "tuple", "super", "object", "type", "__name__",
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

/* Does annotation a fit signature letter c (flowgraph/natives.c)? */
static bool fits_letter(struct ann_value *a, char c)
{
    switch (c) {
    case 'f': return is_num(a);
    case 'i': return is_intlike(a);
    case 'b': return a->kind == ANN_BOOL;
    case 's': return a->kind == ANN_STR && !a->nullable;
    case 'S': return a->kind == ANN_STR || a->kind == ANN_NONE;
    case 'L': return a->kind == ANN_LIST || a->kind == ANN_STR || a->kind == ANN_RANGE || a->kind == ANN_TUPLE ||
                     a->kind == ANN_DICT || a->kind == ANN_SET;
    default: return false;
    }
}

static struct ann_value *of_letter(struct fg_op *op, char c)
{
    switch (c) {
    case 'f': return mk(ANN_FLOAT);
    case 'i': return mk(ANN_INT);
    case 'b': return mk(ANN_BOOL);
    case 's': return mk(ANN_STR);
    case 'S': {
        struct ann_value *r = mk(ANN_STR);
        r->nullable = true;
        return r;
    }
    default: return mk(ANN_NONE);
    }
}

/* A native function with a simple signature: the alternative with as
 * many parameters as there are arguments. */
static struct ann_value *native_call(const char *name, const char *sig, struct fg_op *op, struct callargs *ca)
{
    if (ca->nkw) {
        sp_error(op->pos, "%s() takes no keyword arguments", name);
        return NULL;
    }
    for (const char *alt = sig; *alt;) {
        const char *args = strchr(alt, ':') + 1;
        int n = (int)strcspn(args, "|=");
        if (n == ca->npos) {
            for (int i = 0; i < n; i++)
                if (!fits_letter(ca->pos[i], args[i])) {
                    sp_error(op->pos, "%s() argument %d must be %s, not %s", name, i + 1,
                             args[i] == 'f' ? "a number" : args[i] == 'i' ? "an int" : args[i] == 'L' ? "an iterable"
                                                                                                     : "a str",
                             ann_typename(ca->pos[i]));
                    return NULL;
                }
            if (strchr("L", args[0]) && ca->npos)
                (void)iter_item(op, ca->pos[0]); /* a reader of the list */
            return of_letter(op, alt[0]);
        }
        const char *bar = strchr(alt, '|');
        if (!bar)
            break;
        alt = bar + 1;
    }
    sp_error(op->pos, "%s() does not take %d argument%s", name, ca->npos, ca->npos == 1 ? "" : "s");
    return NULL;
}

static struct ann_value *call_builtin(const char *name, struct fg_op *op, struct callargs ca)
{
#define X(n, call) if (strcmp(name, n) == 0) return call;
    BUILTIN_FUNCS(X)
#undef X
    const char *sig = fg_native_signature(name);
    if (sig && *sig)
        return native_call(name, sig, op, &ca);
    sp_error(op->pos, "the built-in %s() is not supported yet", name);
    return NULL;
}

struct ann_value *ann_call_builtin(const char *name, struct fg_op *op, struct ann_value **args, int nargs,
                                   const struct fg_callshape *shape)
{
    (void)name;
    int skip = shape ? 2 : 1;
    return call_value(args[0], op, args + skip, nargs - skip, shape, op->args + skip);
}

struct ann_value *ann_call_value(struct ann_value *callee, struct fg_op *op, struct ann_value **args, int nargs,
                                 const struct fg_callshape *shape)
{
    return call_value(callee, op, args, nargs, shape, op->args + (op->nargs - nargs));
}

static struct ann_value *call_instance_method(struct ann_value *obj, const char *name, struct fg_op *op,
                                              struct callargs *ca);

/* One description of a family called with the family's arguments. */
static struct ann_value *call_desc(struct ann_desc *d, struct ann_family *fam, struct fg_op *op)
{
    struct callargs ca = {fam->args, fam->nargs, NULL, NULL, 0, NULL, NULL};
    struct ann_opinfo *oi = ann_opinfo(op);
    struct ann_value *r;
    switch (d->kind) {
    case ANN_DESC_FUNC:
        r = call_user(d->func, op, &ca, NULL);
        break;
    case ANN_DESC_CLOSURE:
        if (!d->env)
            return ann_impossible(); /* no closure made yet */
        r = call_user(d->func, op, &ca, d->env);
        break;
    case ANN_DESC_BOUND:
        if (!d->env)
            return ann_impossible();
        r = call_instance_method(d->env, d->method, op, &ca);
        d->targets = r ? oi->targets : NULL;
        break;
    default:
        return NULL;
    }
    if (r)
        d->target = oi->target;
    return r;
}

/* f(args) where f is a function value (families.c): every description of
 * its family, with the union of the family's arguments. */
static bool same_default(const struct fg_value *a, const struct fg_value *b)
{
    if (!a || !b || a->kind != FG_CONST || b->kind != FG_CONST || a->ckind != b->ckind)
        return false;
    switch (a->ckind) {
    case FG_C_NONE: return true;
    case FG_C_INT: case FG_C_BOOL: return a->ival == b->ival;
    case FG_C_FLOAT: return a->fval == b->fval;
    case FG_C_STR: return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
    default: return false; /* computed defaults (FG_C_DEFAULT) live with each function */
    }
}

/* A call through a function value that passes keywords, or fewer
 * arguments than the functions have parameters: when every function of
 * the family (defs and closures) has the same parameter names, and the
 * same constant default for each one left out, the call is completed
 * here, statically, as a direct call would be, and becomes a positional
 * call (its values kept for the rtyper: ann_family_args). Returns false
 * after reporting an error. */
static bool complete_family_call(struct ann_family *fam, struct fg_op *op, struct callargs *ca)
{
    const char **params = NULL;
    int n = -1;
    for (int k = 0; k < fam->descs.n; k++) {
        struct ann_desc *d = fam->descs.v[k];
        if (d->kind != ANN_DESC_FUNC && d->kind != ANN_DESC_CLOSURE)
            return true;
        struct fg_func *f = d->func;
        int skip = f->closure ? 1 : 0;
        if (f->vararg || f->nkwonly)
            return true;
        if (n < 0) {
            n = f->nparams - skip;
            params = f->params + skip;
        } else if (f->nparams - skip != n) {
            return true;
        } else {
            for (int i = 0; i < n; i++)
                if (params[i] != f->params[skip + i])
                    return true;
        }
    }
    if (n < 0 || ca->npos > n)
        return true;
    /* How many positions the call must pass: as many as the family's
     * other calls (fam->nargs), and up to its last keyword; parameters
     * after those are filled by each function's own call (its defaults,
     * computed ones too: rtyper's adapters). */
    int m = ca->npos > fam->nargs ? ca->npos : fam->nargs;
    for (int j = 0; j < ca->nkw; j++)
        for (int i = 0; i < n; i++)
            if (params[i] == ca->kwnames[j] && i + 1 > m)
                m = i + 1;
    if (m == ca->npos && !ca->nkw)
        return true;
    struct fg_value **vals = sp_alloc(sizeof(struct fg_value *) * (size_t)(n + 1));
    struct ann_value **anns = sp_alloc(sizeof(struct ann_value *) * (size_t)(n + 1));
    for (int i = 0; i < ca->npos; i++) {
        vals[i] = ca->raw[i];
        anns[i] = ca->pos[i];
    }
    for (int j = 0; j < ca->nkw; j++) {
        int at = -1;
        for (int i = 0; i < n; i++)
            if (params[i] == ca->kwnames[j])
                at = i;
        if (at < 0) {
            sp_error(op->pos,
                     "this call of a function value passes the keyword argument '%s', but no parameter of the "
                     "function%s called through the value has that name",
                     ca->kwnames[j], fam->descs.n == 1 ? "" : "s");
            return false;
        }
        if (at < ca->npos || vals[at]) {
            sp_error(op->pos, "this call of a function value passes '%s' twice", ca->kwnames[j]);
            return false;
        }
        vals[at] = ca->raw[ca->npos + j];
        anns[at] = ca->kw[j];
    }
    for (int i = ca->npos; i < m; i++) {
        if (vals[i])
            continue;
        struct fg_value *dflt = NULL;
        bool ok = true;
        for (int k = 0; k < fam->descs.n && ok; k++) {
            struct ann_desc *d = fam->descs.v[k];
            struct fg_value *dv = d->func->defaults[i + (d->func->closure ? 1 : 0)];
            if (!dflt)
                dflt = dv;
            ok = same_default(dflt, dv);
        }
        if (!ok || !dflt) {
            sp_error(op->pos,
                     "this call of a function value passes no argument for parameter '%s'%s", params[i],
                     dflt ? " (the functions that meet in the value have different defaults for it: pass it)" : "");
            return false;
        }
        vals[i] = dflt;
        anns[i] = ann_of_const(dflt);
    }
    for (int i = m; i < n; i++)
        if (vals[i]) {
            sp_error(op->pos, "this call of a function value passes '%s' by keyword but not the parameters before it",
                     params[i]);
            return false;
        }
    struct ann_opinfo *oi = ann_opinfo(op);
    oi->family_vals = vals;
    oi->nfamily = m;
    ca->pos = anns;
    ca->npos = m;
    ca->raw = vals;
    ca->nkw = 0;
    return true;
}

/* Whether every function of the family has the same constant default
 * for each parameter in [from, to): then calls passing only `from`
 * arguments can be completed (complete_family_call). */
static bool fam_params_default(struct ann_family *fam, int from, int to)
{
    for (int k = 0; k < fam->descs.n; k++) {
        struct ann_desc *d = fam->descs.v[k];
        if (d->kind != ANN_DESC_FUNC && d->kind != ANN_DESC_CLOSURE)
            return false;
        struct fg_func *f = d->func, *f0 = ((struct ann_desc *)fam->descs.v[0])->func;
        int skip = f->closure ? 1 : 0, skip0 = f0->closure ? 1 : 0;
        if (f->vararg || f->nkwonly || f->nparams - skip < to)
            return false;
        for (int i = from; i < to; i++)
            if (!same_default(f->defaults[skip + i], f0->defaults[skip0 + i]))
                return false;
    }
    return fam->descs.n > 0;
}

static struct ann_value *call_family(struct ann_value *callee, struct fg_op *op, struct callargs *ca)
{
    if (ca->star) {
        sp_error(op->pos, "calling a function value with *args is not supported yet (pass positional arguments)");
        return NULL;
    }
    struct ann_family *fam = ann_family(callee->fam);
    if ((ca->nkw || ca->npos < fam->nargs) && !complete_family_call(fam, op, ca))
        return NULL;
    if (fam->nargs >= 0 && ca->npos > fam->nargs && fam_params_default(fam, fam->nargs, ca->npos)) {
        /* a call passing more than the others: the family's signature
         * grows, and the other calls are completed with the defaults */
        struct ann_value **args = sp_alloc(sizeof(struct ann_value *) * (size_t)(ca->npos + 1));
        for (int i = 0; i < ca->npos; i++)
            args[i] = i < fam->nargs ? fam->args[i] : ann_impossible();
        fam->args = args;
        fam->nargs = ca->npos;
        ann_reflow_readers(&fam->readers);
    }
    if (ca->nkw) {
        sp_error(op->pos, "calling a function value with keyword arguments is not supported here: the functions that "
                          "meet in the value do not share their parameter names (pass positional arguments)");
        return NULL;
    }
    ann_add_reader(&fam->readers);
    if (fam->nargs < 0) {
        fam->nargs = ca->npos;
        fam->args = sp_alloc(sizeof(struct ann_value *) * (size_t)(ca->npos + 1));
        for (int i = 0; i < ca->npos; i++)
            fam->args[i] = ann_impossible();
        fam->first_call = op->pos;
    } else if (fam->nargs != ca->npos) {
        sp_error(op->pos,
                 "this call passes %d argument%s to a function value that another call passes %d: the functions "
                 "that can meet in one value must be called with one signature",
                 ca->npos, ca->npos == 1 ? "" : "s", fam->nargs);
        sp_note(fam->first_call, "the other call");
        return NULL;
    }
    for (int i = 0; i < ca->npos; i++) {
        struct ann_value *a = ann_unconst(ca->pos[i]);
        struct ann_value *u = ann_union(fam->args[i], a);
        if (!u) {
            /* name the functions: they meet in one value, so they share one signature */
            struct sp_buf names = {0};
            for (int k = 0; k < fam->descs.n && k < 4; k++) {
                struct ann_desc *d = fam->descs.v[k];
                sp_buf_printf(&names, "%s%s()", k ? ", " : "", d->kind == ANN_DESC_BOUND ? d->method : d->func->qualname);
            }
            if (fam->descs.n > 4)
                sp_buf_puts(&names, ", ...");
            ann_conflict(op->pos, sp_fmt("argument %d of the calls of this function value (one of %s, which share "
                                         "one signature)", i + 1, sp_buf_cstr(&names)),
                         fam->args[i], a);
            return NULL;
        }
        fam = ann_family(fam); /* a union may merge families */
        fam->args[i] = u;
    }
    struct ann_value *res = ann_impossible();
    for (int i = 0; i < fam->descs.n; i++) {
        struct ann_value *r = call_desc(fam->descs.v[i], fam, op);
        if (!r)
            return NULL;
        struct ann_value *u = ann_union(res, r);
        if (!u) {
            ann_conflict(op->pos, "the result of the functions called through this value", res, r);
            return NULL;
        }
        res = u;
    }
    fam = ann_family(fam);
    struct ann_value *u = ann_union(fam->result, res);
    if (!u) {
        ann_conflict(op->pos, "the result of the functions called through this value", fam->result, res);
        return NULL;
    }
    if (!ann_equal(u, fam->result)) {
        fam->result = u;
        ann_reflow_readers(&fam->readers);
    }
    return fam->result;
}

static struct ann_value *call_value(struct ann_value *callee, struct fg_op *op, struct ann_value **args, int nargs,
                                    const struct fg_callshape *shape, struct fg_value **raw)
{
    struct callargs ca = split_args(args, nargs, shape, raw);
    if (callee->kind == ANN_FUNC)
        return call_family(callee, op, &ca);
    bool star_ok = callee->kind == ANN_PBC && ((callee->constv->ckind == FG_C_BUILTIN &&
                                                (!strcmp(callee->constv->str, "print") || /* print(*items) */
                                                 !strcmp(callee->constv->str, "zip"))) || /* zip(*rows) */
                                               callee->constv->ckind == FG_C_FUNC);
    if (shape && shape->star && !star_ok) {
        sp_error(op->pos, "*args in calls is not supported yet");
        return NULL;
    }
    if (callee->kind != ANN_PBC) {
        static const char *const pynames[] = {[ANN_BOOL] = "bool", [ANN_INT] = "int", [ANN_FLOAT] = "float",
                                              [ANN_STR] = "str", [ANN_NONE] = "NoneType", [ANN_LIST] = "list",
                                              [ANN_DICT] = "dict", [ANN_SET] = "set", [ANN_TUPLE] = "tuple"};
        const char *py = (size_t)callee->kind < sizeof pynames / sizeof pynames[0] ? pynames[callee->kind] : NULL;
        if (!py) {
            sp_error(op->pos, "calling a value of type %s is not supported yet", ann_typename(callee));
            return NULL;
        }
        sp_error(op->pos, "'%s' object is not callable", py);
        if (callee->origin.file && callee->origin.line != op->pos.line)
            sp_note(callee->origin, "the %s value called comes from here", ann_typename(callee));
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

/* A built-in method's parameters: positional ones in order, and whether
 * each also takes its value by keyword (CPython's signatures). */
struct mparam {
    const char *name;
    bool kw;
};

/* Binds the call's arguments to the parameters ps[0..np) of tname.name(),
 * of which the first `required` are; out[i] is the argument's annotation,
 * NULL when omitted. CPython's messages. */
static bool bind_params(struct fg_op *op, const char *tname, const char *name, struct callargs *ca,
                        const struct mparam *ps, int np, int required, struct ann_value **out)
{
    for (int i = 0; i < np; i++)
        out[i] = i < ca->npos ? ca->pos[i] : NULL;
    if (ca->npos > np) {
        sp_error(op->pos, "%s.%s() takes at most %d argument%s (%d given)", tname, name, np, np == 1 ? "" : "s",
                 ca->npos);
        return false;
    }
    for (int k = 0; k < ca->nkw; k++) {
        int at = -1;
        for (int i = 0; i < np; i++)
            if (ps[i].kw && ca->kwnames[k] == sp_intern(ps[i].name))
                at = i;
        if (at < 0) {
            bool any = false;
            for (int i = 0; i < np; i++)
                any |= ps[i].kw;
            if (any)
                sp_error(op->pos, "%s.%s() got an unexpected keyword argument '%s'", tname, name, ca->kwnames[k]);
            else
                sp_error(op->pos, "%s.%s() takes no keyword arguments", tname, name);
            return false;
        }
        if (out[at]) {
            sp_error(op->pos, "argument for %s.%s() given by name ('%s') and position (%d)", tname, name,
                     ps[at].name, at + 1);
            return false;
        }
        out[at] = ca->kw[k];
    }
    for (int i = 0; i < required; i++)
        if (!out[i]) {
            sp_error(op->pos, "%s.%s() missing required argument '%s' (pos %d)", tname, name, ps[i].name, i + 1);
            return false;
        }
    return true;
}

/* An optional argument that must be an int (or bool); `or_none` also
 * admits None (slice-like bounds). */
static bool int_arg(struct fg_op *op, const char *what, struct ann_value *a, bool or_none)
{
    if (!a || is_intlike(a) || (or_none && a->kind == ANN_NONE))
        return true;
    sp_error(op->pos, "%s must be an int%s, not %s", what, or_none ? " or None" : "", ann_typename(a));
    return false;
}

/* An argument searched for among items of type `item` (count, index,
 * remove, discard, `in`): of a type that can be compared with them. */
static bool item_arg_ok(struct fg_op *op, const char *what, struct ann_value *item, struct ann_value *x)
{
    if (item->kind == ANN_IMPOSSIBLE || x->kind == ANN_IMPOSSIBLE || ann_can_union(item, x) ||
        (is_num(item) && is_num(x)))
        return true;
    sp_error(op->pos, "%s: a %s is never among %s items", what, ann_typename(x), ann_typename(item));
    return false;
}

static struct ann_value *list_method(struct ann_value *l, const char *name, struct fg_op *op, struct callargs *ca)
{
    struct ann_listdef *d = ann_listdef(l->def);
    if (d->stands_for && (strcmp(d->stands_for, "bytes") || (strcmp(name, "count") && strcmp(name, "index")))) {
        bool bytes = !strcmp(d->stands_for, "bytes");
        sp_error(op->pos, "%s.%s() is not supported (a %s can be iterated and measured%s)", d->stands_for, name,
                 d->stands_for, bytes ? ", indexed and sliced" : "; make it a list() first");
        return NULL;
    }
    if (d->is_tuple && strcmp(name, "count") && strcmp(name, "index")) {
        sp_error(op->pos, "'tuple' object has no attribute '%s'", name);
        return NULL;
    }
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
    if (!strcmp(name, "count") || !strcmp(name, "remove")) {
        NARGS(1, 1);
        ann_add_reader(&d->readers);
        if (!item_arg_ok(op, sp_fmt("list.%s()", name), d->item, ca->pos[0]))
            return NULL;
        d->resized |= name[0] == 'r';
        return mk(name[0] == 'c' ? ANN_INT : ANN_NONE);
    }
    if (!strcmp(name, "index")) {
        NARGS(1, 3);
        ann_add_reader(&d->readers);
        if (!item_arg_ok(op, "list.index()", d->item, ca->pos[0]))
            return NULL;
        for (int i = 1; i < ca->npos; i++)
            if (!int_arg(op, "a list.index() bound", ca->pos[i], false))
                return NULL;
        return mk(ANN_INT);
    }
    if (!strcmp(name, "pop")) {
        NARGS(0, 1);
        if (ca->npos && !int_arg(op, "list.pop() index", ca->pos[0], false))
            return NULL;
        d->resized = true;
        ann_add_reader(&d->readers);
        return d->item;
    }
    if (!strcmp(name, "insert")) {
        NARGS(2, 2);
        if (!int_arg(op, "list.insert() index", ca->pos[0], false))
            return NULL;
        d->resized = true;
        return ann_grow_item(d, false, ca->pos[1], op->pos, "list item") ? mk(ANN_NONE) : NULL;
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

/* ---- dict.get(k): a value that may be None ----
 * For a dict whose values cannot be None (ints, floats, bools), d.get(k)
 * is a value of a type that cannot hold None that may still be None.
 * It is accepted where every use of it needs only its text or whether it
 * is None: each use is in the block that computes it and is an argument
 * of print(), str() or repr(), an f-string field, or a comparison with
 * None (is, is not, ==, !=); and it leaves the block only when the block
 * ends with `if v is None:` (or `is not`), whose exits know it as None
 * and as a plain scalar. Its annotation is the value type marked nullable
 * ("int?"), which no other rule is ever shown; the rtyper keeps the value
 * and a "found" flag (docs/ARCHITECTURE.md). */

static bool is_builtin_named(struct fg_value *v, const char *name)
{
    struct ann_value *a = v->ann ? v->ann : v->kind == FG_CONST ? ann_of(v) : NULL;
    return a && a->kind == ANN_PBC && a->constv->ckind == FG_C_BUILTIN && !strcmp(a->constv->str, name);
}

static bool is_none_const(struct fg_value *v) { return v->kind == FG_CONST && v->ckind == FG_C_NONE; }

/* Whether argument j of op o uses a maybe-None value as allowed above. */
static bool maybe_none_use_ok(struct fg_op *o, int j)
{
    switch (o->opcode) {
    case OP_FORMAT:
        return j == 0;
    case OP_IS: case OP_IS_NOT: case OP_EQ: case OP_NE:
        return o->nargs == 2 && is_none_const(o->args[1 - j]);
    case OP_SIMPLE_CALL:
        if (j == 0)
            return false;
        if (is_builtin_named(o->args[0], "print"))
            return true;
        return o->nargs == 2 && (is_builtin_named(o->args[0], "str") || is_builtin_named(o->args[0], "repr"));
    case OP_CALL_ARGS: {
        const struct fg_callshape *s = o->args[1]->obj;
        return is_builtin_named(o->args[0], "print") && j >= 2 && j < 2 + s->npos;
    }
    default:
        return false;
    }
}

/* Whether b switches on `r is None` / `r is not None`: then each exit
 * knows r, None on one and a plain scalar on the other (narrowing). */
static bool exits_test_none(struct fg_block *b, struct fg_value *r)
{
    struct fg_value *v = b->exitswitch;
    for (int i = b->ops.n - 1; v && v != fg_last_exception && i >= 0; i--) {
        struct fg_op *o = b->ops.v[i];
        if (o->result != v)
            continue;
        if ((o->opcode == OP_BOOL || o->opcode == OP_SAME_AS) && o->args[0]->kind == FG_VAR) {
            v = o->args[0];
            continue;
        }
        return (o->opcode == OP_IS || o->opcode == OP_IS_NOT) &&
               ((o->args[0] == r && is_none_const(o->args[1])) || (o->args[1] == r && is_none_const(o->args[0])));
    }
    return false;
}

static bool only_printed_or_tested(struct fg_op *op)
{
    struct fg_block *b = ann_current_block();
    struct fg_value *r = op->result;
    if (!b || b->exitswitch == r)
        return false;
    for (int i = 0; i < b->exits.n && !exits_test_none(b, r); i++) {
        struct fg_link *l = b->exits.v[i];
        for (int k = 0; k < l->args.n; k++)
            if (l->args.v[k] == r)
                return false;
    }
    bool after = false;
    for (int i = 0; i < b->ops.n; i++) {
        struct fg_op *o = b->ops.v[i];
        for (int j = 0; after && j < o->nargs; j++)
            if (o->args[j] == r && !maybe_none_use_ok(o, j))
                return false;
        after |= o == op;
    }
    return true;
}

static struct ann_value *dict_get(struct ann_listdef *d, struct fg_op *op, struct callargs *ca)
{
    struct ann_value *value = ann_listdef(d)->value;
    bool scalar = value->kind == ANN_INT || value->kind == ANN_FLOAT || value->kind == ANN_BOOL;
    if (ca->npos == 1 || ca->pos[1]->kind == ANN_NONE) {
        struct ann_value *none = ca->npos == 2 ? ca->pos[1] : mk(ANN_NONE);
        struct ann_value *u = ann_union(value, none);
        if (u || !scalar) {
            if (!u)
                ann_conflict(op->pos, "the result of dict.get()", value, none);
            return u ? ann_unconst(u) : NULL;
        }
        if (!only_printed_or_tested(op)) {
            const char *t = ann_typename(value);
            sp_error(op->pos, "d.get(key) may be None, which a%s %s cannot be: give a default (d.get(key, 0)), "
                              "or use the result only in print(), str(), repr() or a test `is None`",
                     t[0] == 'i' ? "n" : "", t);
            return NULL;
        }
        struct ann_value *r = ann_copy(ann_unconst(value));
        r->nullable = true;
        return r;
    }
    struct ann_value *u = ann_union(value, ca->pos[1]);
    if (!u) {
        ann_conflict(op->pos, "the result of dict.get()", value, ca->pos[1]);
        return NULL;
    }
    return ann_unconst(u);
}

/* d.update(other) / d.update(pairs) / d.update(k=v, ...) */
static struct ann_value *dict_update(struct ann_listdef *d, struct fg_op *op, struct callargs *ca)
{
    if (ca->npos > 1) {
        sp_error(op->pos, "update expected at most 1 argument, got %d", ca->npos);
        return NULL;
    }
    if (ca->npos) {
        struct ann_value *o = ca->pos[0], *k, *v;
        if (o->kind == ANN_DICT) {
            struct ann_listdef *od = ann_listdef(o->def);
            ann_add_reader(&od->readers);
            k = od->item;
            v = od->value;
        } else {
            struct ann_value *item = o->kind == ANN_LIST ? iter_item(op, o) : NULL;
            if (item && item->kind == ANN_IMPOSSIBLE)
                return mk(ANN_NONE);
            if (!item || item->kind != ANN_TUPLE || item->nitems != 2) {
                sp_error(op->pos, "dict.update() of a %s is not supported (a dict, or a list of pairs, is)",
                         ann_typename(o));
                return NULL;
            }
            k = item->items[0];
            v = item->items[1];
        }
        if (!ann_grow_item(d, false, k, op->pos, "dict key") || !ann_grow_item(d, true, v, op->pos, "dict value"))
            return NULL;
    }
    for (int i = 0; i < ca->nkw; i++)
        if (!ann_grow_item(d, false, mk(ANN_STR), op->pos, "dict key") ||
            !ann_grow_item(d, true, ca->kw[i], op->pos, "dict value"))
            return NULL;
    return mk(ANN_NONE);
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
        return dict_get(d, op, ca);
    }
    if (!strcmp(name, "items") || !strcmp(name, "popitem")) {
        NARGS(0, 0);
        d = ann_listdef(d);
        /* popitem() of a dict never filled raises: a pair of nothings (not
         * an impossible result, which would cut the block's handlers) */
        bool unknown = d->item->kind == ANN_IMPOSSIBLE || d->value->kind == ANN_IMPOSSIBLE;
        if (name[0] == 'p')
            return tuple_of(d->item, d->value);
        struct ann_value *r = new_list_of(op, unknown ? ann_impossible() : tuple_of(d->item, d->value), 0);
        if (r)
            ann_listdef(r->def)->stands_for = "dict_items";
        return r;
    }
    if (!strcmp(name, "keys") || !strcmp(name, "values")) {
        NARGS(0, 0);
        struct ann_value *r = new_list_of(op, name[0] == 'k' ? d->item : d->value, 0);
        if (r)
            ann_listdef(r->def)->stands_for = name[0] == 'k' ? "dict_keys" : "dict_values";
        return r;
    }
    if (!strcmp(name, "clear")) {
        NARGS(0, 0);
        return mk(ANN_NONE);
    }
    if (!strcmp(name, "copy")) {
        NARGS(0, 0);
        return dv;
    }
    if (!strcmp(name, "pop")) {
        NARGS(1, 2);
        if (!ann_grow_item(d, false, ca->pos[0], op->pos, "dict key"))
            return NULL;
        struct ann_value *value = ann_listdef(d)->value;
        if (ca->npos == 1)
            return value;
        struct ann_value *u = ann_union(value, ca->pos[1]);
        if (!u) {
            ann_conflict(op->pos, "the result of dict.pop()", value, ca->pos[1]);
            return NULL;
        }
        return ann_unconst(u);
    }
    if (!strcmp(name, "setdefault")) {
        NARGS(1, 2);
        struct ann_value *dflt = ca->npos == 2 ? ca->pos[1] : mk(ANN_NONE);
        if (!ann_grow_item(d, false, ca->pos[0], op->pos, "dict key") ||
            !ann_grow_item(d, true, dflt, op->pos, "dict value"))
            return NULL;
        return ann_listdef(d)->value;
    }
    if (!strcmp(name, "update"))
        return dict_update(d, op, ca);
#undef NARGS
    sp_error(op->pos, "'dict' object has no attribute '%s'", name);
    return NULL;
}

/* The set methods that take other collections. For a set the two share
 * one definition; any other iterable is made a set of the receiver's type
 * (the rtyper's as_set), so its items join the receiver's. */
static bool set_other_ok(struct ann_value *sv, struct ann_value *o, struct fg_op *op, const char *name)
{
    if (o->kind == ANN_SET) {
        struct ann_value *bad_a, *bad_b;
        if (!ann_unify_defs(sv->def, o->def, &bad_a, &bad_b)) {
            ann_conflict(op->pos, "set item", bad_a, bad_b);
            return false;
        }
        return true;
    }
    if (o->kind == ANN_ITER) {
        sp_error(op->pos, "set.%s() of an iterator is not supported yet", name);
        return false;
    }
    struct ann_value *item = iter_item(op, o);
    return item && ann_grow_item(ann_listdef(sv->def), false, item, op->pos, "set item");
}

static struct ann_value *set_method(struct ann_value *sv, const char *name, struct fg_op *op, struct callargs *ca)
{
    struct ann_listdef *d = ann_listdef(sv->def);
#define NARGS(lo, hi) if (!method_nargs(op, "set", name, ca, lo, hi)) return NULL
    if (!strcmp(name, "add") || !strcmp(name, "remove") || !strcmp(name, "discard")) {
        NARGS(1, 1);
        if (name[0] == 'a')
            return ann_grow_item(d, false, ca->pos[0], op->pos, "set item") ? mk(ANN_NONE) : NULL;
        ann_add_reader(&d->readers);
        return item_arg_ok(op, sp_fmt("set.%s()", name), d->item, ca->pos[0]) ? mk(ANN_NONE) : NULL;
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
    /* any number of others; the in-place ones return None */
    static const char *const varargs[] = {"union", "intersection", "difference", "symmetric_difference", "update",
                                          "intersection_update", "difference_update",
                                          "symmetric_difference_update", NULL};
    for (int i = 0; varargs[i]; i++)
        if (!strcmp(name, varargs[i])) {
            bool one = strstr(name, "symmetric") != NULL;
            NARGS(one ? 1 : 0, one ? 1 : 64);
            for (int k = 0; k < ca->npos; k++)
                if (!set_other_ok(sv, ca->pos[k], op, name))
                    return NULL;
            return strstr(name, "update") ? mk(ANN_NONE) : sv;
        }
    static const char *const tests[] = {"issubset", "issuperset", "isdisjoint", NULL};
    for (int i = 0; tests[i]; i++)
        if (!strcmp(name, tests[i])) {
            NARGS(1, 1);
            return set_other_ok(sv, ca->pos[0], op, name) ? mk(ANN_BOOL) : NULL;
        }
#undef NARGS
    sp_error(op->pos, "'set' object has no attribute '%s'", name);
    return NULL;
}

/* A str argument (or, with or_none, None). */
static bool str_arg(struct fg_op *op, const char *name, int i, struct ann_value *a, bool or_none)
{
    if (!a || a->kind == ANN_STR || (or_none && a->kind == ANN_NONE))
        return true;
    sp_error(op->pos, "str.%s() argument %d must be str%s, not %s", name, i + 1, or_none ? " or None" : "",
             ann_typename(a));
    return false;
}

/* startswith / endswith: a str or a tuple of strs. */
static bool prefix_arg(struct fg_op *op, const char *name, struct ann_value *a)
{
    bool ok = a->kind == ANN_STR;
    if (a->kind == ANN_TUPLE) {
        ok = true;
        for (int i = 0; i < a->nitems; i++)
            ok &= a->items[i]->kind == ANN_STR;
    }
    if (!ok)
        sp_error(op->pos, "%s first arg must be str or a tuple of str, not %s", name, ann_typename(a));
    return ok;
}

/* s.encode(): bytes, as a list of ints that stands for bytes. */
static struct ann_value *str_encode(struct fg_op *op, struct ann_value **args)
{
    for (int i = 0; i < 2; i++) {
        struct ann_value *a = args[i];
        if (!a)
            continue;
        const char *ok = i == 0 ? "utf-8 utf8 UTF-8 UTF8 utf_8" : "strict";
        bool known = a->kind == ANN_STR && a->is_const && a->constv;
        if (known) {
            const char *s = a->constv->str, *hit = strstr(ok, s);
            known = hit && a->constv->len && (hit[a->constv->len] == ' ' || hit[a->constv->len] == 0) &&
                    (hit == ok || hit[-1] == ' ');
        }
        if (!known) {
            sp_error(op->pos, "str.encode() supports only %s", i == 0 ? "encoding='utf-8'" : "errors='strict'");
            return NULL;
        }
    }
    struct ann_value *r = new_list_of(op, mk(ANN_INT), 0);
    if (r)
        ann_listdef(r->def)->stands_for = "bytes";
    return r;
}

/* The str methods that take the same arguments, by result. */
static const char *const str_to_str[] = {"upper", "lower", "title", "capitalize", NULL};
static const char *const str_preds[] = {"isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower",
                                        "istitle", "isdecimal", "isnumeric", NULL};
static const char *const str_search[] = {"find", "rfind", "index", "rindex", "count", NULL};

static bool in_list(const char *name, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        if (!strcmp(name, names[i]))
            return true;
    return false;
}

static struct ann_value *str_method(const char *name, struct fg_op *op, struct callargs *ca)
{
    struct ann_value *a[3];
#define BIND(req, ...)                                                                                  \
    do {                                                                                                \
        static const struct mparam ps_[] = {__VA_ARGS__};                                               \
        if (!bind_params(op, "str", name, ca, ps_, (int)(sizeof ps_ / sizeof ps_[0]), req, a))          \
            return NULL;                                                                                \
    } while (0)
    if (in_list(name, str_to_str) || in_list(name, str_preds)) {
        if (!method_nargs(op, "str", name, ca, 0, 0))
            return NULL;
        return mk(in_list(name, str_preds) ? ANN_BOOL : ANN_STR);
    }
    if (!strcmp(name, "strip") || !strcmp(name, "lstrip") || !strcmp(name, "rstrip")) {
        BIND(0, {"chars", false});
        return str_arg(op, name, 0, a[0], true) ? mk(ANN_STR) : NULL;
    }
    if (in_list(name, str_search)) {
        BIND(1, {"sub", false}, {"start", false}, {"end", false});
        if (!str_arg(op, name, 0, a[0], false) || !int_arg(op, "slice index", a[1], true) ||
            !int_arg(op, "slice index", a[2], true))
            return NULL;
        return mk(ANN_INT);
    }
    if (!strcmp(name, "startswith") || !strcmp(name, "endswith")) {
        BIND(1, {"prefix", false}, {"start", false}, {"end", false});
        if (!prefix_arg(op, name, a[0]) || !int_arg(op, "slice index", a[1], true) ||
            !int_arg(op, "slice index", a[2], true))
            return NULL;
        return mk(ANN_BOOL);
    }
    if (!strcmp(name, "replace")) {
        BIND(2, {"old", false}, {"new", false}, {"count", false});
        if (!str_arg(op, name, 0, a[0], false) || !str_arg(op, name, 1, a[1], false) ||
            !int_arg(op, "str.replace() count", a[2], false))
            return NULL;
        return mk(ANN_STR);
    }
    if (!strcmp(name, "split") || !strcmp(name, "rsplit")) {
        BIND(0, {"sep", true}, {"maxsplit", true});
        if (!str_arg(op, name, 0, a[0], true) || !int_arg(op, "maxsplit", a[1], false))
            return NULL;
        return new_list_of(op, mk(ANN_STR), 0);
    }
    if (!strcmp(name, "splitlines")) {
        BIND(0, {"keepends", true});
        if (!int_arg(op, "keepends", a[0], false))
            return NULL;
        return new_list_of(op, mk(ANN_STR), 0);
    }
    if (!strcmp(name, "zfill")) {
        BIND(1, {"width", false});
        return int_arg(op, "str.zfill() width", a[0], false) ? mk(ANN_STR) : NULL;
    }
    if (!strcmp(name, "ljust") || !strcmp(name, "rjust") || !strcmp(name, "center")) {
        BIND(1, {"width", false}, {"fillchar", false});
        if (!int_arg(op, sp_fmt("str.%s() width", name), a[0], false) || !str_arg(op, name, 1, a[1], false))
            return NULL;
        return mk(ANN_STR);
    }
    if (!strcmp(name, "partition") || !strcmp(name, "rpartition")) {
        BIND(1, {"sep", false});
        if (!str_arg(op, name, 0, a[0], false))
            return NULL;
        struct ann_value *t = mk(ANN_TUPLE);
        t->nitems = 3;
        t->items = sp_alloc(sizeof(struct ann_value *) * 4);
        for (int i = 0; i < 3; i++)
            t->items[i] = mk(ANN_STR);
        return t;
    }
    if (!strcmp(name, "encode")) {
        BIND(0, {"encoding", true}, {"errors", true});
        return str_encode(op, a);
    }
    if (!strcmp(name, "format")) {
        for (int i = 0; i < ca->npos + ca->nkw; i++) {
            struct ann_value *x = i < ca->npos ? ca->pos[i] : ca->kw[i - ca->npos];
            if (!printable(x)) {
                sp_error(op->pos, "str.format() of a %s is not supported", ann_typename(x));
                return NULL;
            }
        }
        return mk(ANN_STR);
    }
    if (!strcmp(name, "join")) {
        BIND(1, {"iterable", false});
        struct ann_value *item = iter_item(op, a[0]);
        if (!item)
            return NULL;
        if (item->kind != ANN_STR && item->kind != ANN_IMPOSSIBLE) {
            sp_error(op->pos, "str.join() expects strings, not %s items", ann_typename(item));
            return NULL;
        }
        return mk(ANN_STR);
    }
#undef BIND
    sp_error(op->pos, "'str' object has no attribute '%s'", name);
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
            ann_note_class_def(cd);
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
    struct callargs ca = {args, nargs, NULL, NULL, 0, NULL, NULL};
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

/* Whether instances of cd or of a subclass have a method `name`. */
static bool method_in_subtree(struct ann_classdef *cd, const char *name)
{
    if (ann_find_method(cd, name))
        return true;
    for (int i = 0; i < cd->subclasses.n; i++)
        if (method_in_subtree(cd->subclasses.v[i], name))
            return true;
    return false;
}

struct ann_value *ann_call_method(struct ann_value *obj, const char *name, struct fg_op *op,
                                  struct ann_value **args, int nargs, const struct fg_callshape *shape)
{
    struct callargs ca = split_args(args, nargs, shape, op->args + (op->nargs - nargs));
    if (shape && shape->star && obj->kind != ANN_INSTANCE) {
        sp_error(op->pos, "*args in calls is not supported yet");
        return NULL;
    }
    switch (obj->kind) {
    case ANN_LIST:
        if (ann_listdef(obj->def)->is_deque)
            return deque_method(obj, name, op, &ca);
        return list_method(obj, name, op, &ca);
    case ANN_DICT:
        return dict_method(obj, name, op, &ca);
    case ANN_SET:
        return set_method(obj, name, op, &ca);
    case ANN_FILE:
        return file_method(name, op, &ca);
    case ANN_STR:
        return str_method(name, op, &ca);
    case ANN_INSTANCE:
        if (!method_in_subtree(obj->classdef, name)) {
            /* obj.attr(args): an attribute holding a function value */
            struct ann_value *f = ann_getattr_instance(obj, name, op->pos);
            if (!f || f->kind == ANN_IMPOSSIBLE)
                return f;
            if (f->kind == ANN_FUNC || ann_is_func_const(f)) {
                ann_opinfo(op)->attr_call = true;
                return call_value(f, op, args, nargs, shape, ca.raw);
            }
            sp_error(op->pos, "'%s' object attribute '%s' is %s, which is not callable", obj->classdef->name, name,
                     ann_typename(f));
            return NULL;
        }
        return call_instance_method(obj, name, op, &ca);
    case ANN_PBC:
        if (obj->constv->ckind == FG_C_CLASS)
            return call_class_method(ann_classdef_of(obj->constv->obj), name, op, &ca);
        if (obj->constv->ckind == FG_C_MODULE) { /* m.f(args): a call of m.f */
            struct ann_value *callee = ann_module_attr(op, obj->constv->obj, name);
            if (!callee)
                return NULL;
            if (callee->kind == ANN_FUNC) { /* a module global holding a function value */
                ann_opinfo(op)->attr_call = true;
                return call_value(callee, op, args, nargs, shape, ca.raw);
            }
            if (callee->kind != ANN_PBC) {
                sp_error(op->pos, "'%s.%s' is not callable", ((struct fg_module *)obj->constv->obj)->name, name);
                return NULL;
            }
            ann_opinfo(op)->callee = callee->constv;
            return call_value(callee, op, args, nargs, shape, ca.raw);
        }
        break;
    case ANN_TUPLE:
        if (obj->mixed_list) {
            ann_mixed_list_error(op->pos, obj, sp_fmt("changed with .%s()", name));
            return NULL;
        }
        break;
    default:
        break;
    }
    sp_error(op->pos, "'%s' object has no attribute '%s'", ann_typename(obj), name);
    return NULL;
}
