/* rtyper.c - representations, the emission helpers, and the driver of the
 * lowering: every reached block of every annotated graph gets its ops
 * replaced by low-level ops, its variables typed, its constant switches
 * resolved and its iterator exits turned into plain tests.
 *
 * Requires: annotated graphs. Breaks: the high-level ops (replaced).
 * Afterwards checkgraph must still hold, with only FG_LLOPS in the graphs.
 */
#include "internal.h"
#include "rtfuncs.h"

#include <stdarg.h>
#include <string.h>

struct rt_emit rt_cur;
struct rt_program *rt_prog;

void rt_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sp_verror(rt_cur.pos, fmt, ap);
    va_end(ap);
}

/* ---- representations ---- */

static struct lltype *value_type(struct ann_value *a)
{
    struct lltype *t = rt_lltype_of(a);
    return t;
}

const char *rt_attr_field(const char *attr) { return sp_fmt("a_%s", attr); }

/* ---- classes ----
 * Every class gets a GcStruct whose first member is its base's struct.
 * The type ids of instance types are consecutive in preorder of the class
 * tree, so a class's subtree is the tid range [tid, tid_hi]: isinstance
 * and except matching are two compares, and dispatch tables are indexed
 * by tid. All instance structs are therefore made before any other
 * program type (rt_build_classes), and get their fields afterwards.
 * BaseException's one field, msg, holds str(exception). */

static struct sp_vec class_cds, class_types; /* parallel */

struct lltype *rt_instance_type(struct ann_classdef *cd)
{
    if (!cd->lowered)
        sp_die("rtyper: class %s has no type", cd->name);
    return cd->lowered;
}

static const char *printed_name(struct ann_classdef *cd)
{
    if (cd->builtin || !cd->cls || cd->cls->module->name == sp_intern("__main__"))
        return cd->name;
    return sp_fmt("%s.%s", cd->cls->module->name, cd->name);
}

static int make_tree(struct ann_classdef *cd, struct lltype *parent)
{
    struct lltype *t = ll_struct(cd->name, parent, true);
    t->is_exception = cd->is_exception;
    t->qualname = printed_name(cd);
    t->classdef = cd;
    cd->lowered = t;
    sp_vec_push(&class_cds, cd);
    sp_vec_push(&class_types, t);
    if (cd->builtin)
        rt_prog->exc_types[cd->builtin - 1] = t;
    int hi = t->tid;
    for (int i = 0; i < cd->subclasses.n; i++)
        hi = make_tree(cd->subclasses.v[i], t);
    t->tid_hi = hi;
    return hi;
}

/* ---- attributes that may be read before they are set ----
 * CPython raises AttributeError for an instance attribute read before any
 * assignment; a field would read as zero. An attribute that every
 * instance gets at the top level of its __init__ (following super().__init__
 * calls there) is always set when read; any other gets a flag field
 * "h_<attr>", set by every assignment and tested by every read. */

static struct fg_func *init_of(struct ann_classdef *cd)
{
    for (; cd; cd = cd->base) {
        if (!cd->cls)
            return NULL;
        for (int i = 0; i < cd->cls->methods.n; i++) {
            struct fg_func *m = cd->cls->methods.v[i];
            if (m->name == sp_intern("__init__"))
                return m;
        }
    }
    return NULL;
}

/* Whether class cd itself defines method f. */
static bool init_in(struct ann_classdef *cd, struct fg_func *f)
{
    for (int i = 0; cd->cls && i < cd->cls->methods.n; i++)
        if (cd->cls->methods.v[i] == f)
            return true;
    return false;
}

static bool is_super_init(const struct ast_node *st)
{
    if (st->kind != AST_EXPR || !st->value || st->value->kind != AST_CALL)
        return false;
    const struct ast_node *f = st->value->func;
    return f->kind == AST_ATTRIBUTE && f->name == sp_intern("__init__") && f->value->kind == AST_CALL &&
           f->value->func->kind == AST_NAME && f->value->func->name == sp_intern("super");
}

/* Whether __init__ f (of class cd) assigns self.name on every path before
 * anything else can read it: a top-level statement, or one of the base's
 * __init__ called at the top level. */
static bool init_sets(struct fg_func *f, struct ann_classdef *cd, const char *name)
{
    if (!f || !f->def || f->def->kind != AST_FUNCTIONDEF || f->nparams < 1)
        return false;
    const char *self = f->params[0];
    for (int i = 0; i < f->def->body.n; i++) {
        const struct ast_node *st = f->def->body.v[i];
        if (st->kind == AST_ASSIGN)
            for (int k = 0; k < st->targets.n; k++) {
                const struct ast_node *t = st->targets.v[k];
                if (t->kind == AST_ATTRIBUTE && t->name == name && t->value->kind == AST_NAME && t->value->name == self)
                    return true;
            }
        if (st->kind == AST_ANNASSIGN && st->value && st->target->kind == AST_ATTRIBUTE && st->target->name == name &&
            st->target->value->kind == AST_NAME && st->target->value->name == self)
            return true;
        if (is_super_init(st)) {
            struct ann_classdef *owner = cd;
            while (owner && owner->cls && !init_in(owner, f))
                owner = owner->base;
            if (owner && owner->base && init_sets(init_of(owner->base), owner->base, name))
                return true;
        }
    }
    return false;
}

/* Whether every instance of cd and its subclasses sets name in __init__. */
static bool always_set(struct ann_classdef *cd, const char *name)
{
    if (cd->instantiated && !init_sets(init_of(cd), cd, name))
        return false;
    for (int i = 0; i < cd->subclasses.n; i++)
        if (!always_set(cd->subclasses.v[i], name))
            return false;
    return true;
}

const char *rt_attr_flag(const char *attr) { return sp_fmt("h_%s", attr); }

static void build_classes(struct ann_result *ann)
{
    for (int i = 0; i < ann->classdefs.n; i++) {
        struct ann_classdef *cd = ann->classdefs.v[i];
        if (!cd->base)
            make_tree(cd, NULL);
    }
    for (int i = 0; i < class_cds.n; i++) {
        struct ann_classdef *cd = class_cds.v[i];
        struct lltype *t = class_types.v[i];
        if (cd->builtin == 1) /* BaseException */
            ll_struct_add_field(t, "msg", ll_str());
        for (int k = 0; k < cd->attr_names.n; k++) {
            const char *name = cd->attr_names.v[k];
            ll_struct_add_field(t, rt_attr_field(name), value_type(cd->attr_anns.v[k]));
            /* (the compiler's own classes, synthetic ones and those of
             * lib/stdlib, read their attributes only where they are set) */
            if (cd->cls && !cd->cls->synthetic && !(cd->cls->module && cd->cls->module->is_stdlib) &&
                !cd->is_exception && !ann_class_attr(cd, name) && !always_set(cd, name))
                ll_struct_add_field(t, rt_attr_flag(name), &ll_bool);
        }
    }
    rt_build_classinfos(&class_types);
}

struct lltype *rt_range_type(void)
{
    static struct lltype *t;
    if (!t) {
        t = ll_struct("range", NULL, false);
        ll_struct_add_field(t, "start", &ll_signed);
        ll_struct_add_field(t, "stop", &ll_signed);
        ll_struct_add_field(t, "step", &ll_signed);
    }
    return t;
}

/* Iterators: one struct per iterated low-level type. */
struct lltype *rt_iter_type(struct ann_value *of)
{
    if (of->kind == ANN_FILE) /* a file is its own iterator */
        return ll_file();
    struct lltype *ofl = of->kind == ANN_RANGE ? rt_range_type() : rt_lltype_of(of);
    if (ofl->iter_type)
        return ofl->iter_type;
    struct lltype *t = ll_struct(sp_fmt("iter_%s", ofl->pyname), NULL, false);
    switch (of->kind) {
    case ANN_RANGE:
        ll_struct_add_field(t, "cur", &ll_signed);
        ll_struct_add_field(t, "stop", &ll_signed);
        ll_struct_add_field(t, "step", &ll_signed);
        break;
    case ANN_DICT:
    case ANN_SET:
        ll_struct_add_field(t, "seq", ofl);
        ll_struct_add_field(t, "pos", &ll_signed);
        ll_struct_add_field(t, "used", &ll_signed);
        break;
    default: /* list, str, tuple */
        ll_struct_add_field(t, "seq", ofl);
        ll_struct_add_field(t, "pos", &ll_signed);
        break;
    }
    ofl->iter_type = t;
    return t;
}

struct lltype *rt_lltype_of(struct ann_value *a)
{
    if (!a)
        return &ll_void;
    switch (a->kind) {
    case ANN_IMPOSSIBLE:
    case ANN_NONE:
    case ANN_PBC:
        return &ll_void;
    case ANN_BOOL:
        return &ll_bool;
    case ANN_INT:
        return &ll_signed;
    case ANN_FLOAT:
        return &ll_float;
    case ANN_STR:
        return ll_str();
    case ANN_FILE:
        return ll_file();
    case ANN_FUNC:
        return rt_funcobj_type();
    case ANN_LIST: {
        struct ann_listdef *d = ann_listdef(a->def);
        return d->is_deque ? ll_deque(value_type(d->item))
               : d->is_tuple ? ll_tuple_list(value_type(d->item))
                             : ll_list(value_type(d->item));
    }
    case ANN_SET:
        return ll_set(value_type(ann_listdef(a->def)->item));
    case ANN_DICT: {
        struct ann_listdef *d = ann_listdef(a->def);
        return ll_dict(value_type(d->item), value_type(d->value));
    }
    case ANN_TUPLE: {
        struct lltype *items[a->nitems + 1];
        for (int i = 0; i < a->nitems; i++)
            items[i] = value_type(a->items[i]);
        return a->mixed_list ? ll_mixed_list(a->nitems, items) : ll_tuple(a->nitems, items);
    }
    case ANN_INSTANCE:
        return rt_instance_type(a->classdef);
    case ANN_RANGE:
        return rt_range_type();
    case ANN_ITER:
        return rt_iter_type(a->of);
    }
    return &ll_void;
}

/* ---- values ---- */

struct fg_value *rt_var(struct lltype *t)
{
    struct fg_value *v = fg_newvar("v");
    v->lltype = t;
    return v;
}

static struct fg_value *typed(struct fg_value *c, struct lltype *t)
{
    c->lltype = t;
    c->pos = rt_cur.pos;
    return c;
}

struct fg_value *rt_cint(int64_t v) { return typed(fg_const_int(v), &ll_signed); }
struct fg_value *rt_cfloat(double v) { return typed(fg_const_float(v), &ll_float); }
struct fg_value *rt_cbool(bool v) { return typed(fg_const_bool(v), &ll_bool); }
struct fg_value *rt_cstr(const char *s, size_t len) { return typed(fg_const_str(s, len), ll_str()); }
struct fg_value *rt_cnull(struct lltype *t) { return typed(fg_const_none(), t); }
struct fg_value *rt_cvoid(void) { return typed(fg_const_none(), &ll_void); }
struct fg_value *rt_cti(struct lltype *t) { return typed(fg_const_obj(FG_C_LLTYPE, t), &ll_tiptr); }

struct fg_value *rt_cfield(struct lltype *owner, const char *name)
{
    struct fg_value *c = fg_const_str(name, strlen(name));
    c->obj = owner;
    c->ckind = FG_C_OTHER;
    return typed(c, &ll_void);
}

/* A copy of constant c typed as t (constants may be shared between uses). */
struct fg_value *rt_const_as(struct fg_value *c, struct lltype *t)
{
    if (c->ckind == FG_C_FUNC && t == rt_funcobj_type())
        return rt_func_const(c->obj);
    struct fg_value *d = SP_NEW(struct fg_value);
    *d = *c;
    d->lltype = t;
    if (t->kind == LL_FLOAT && c->ckind == FG_C_INT) {
        d->ckind = FG_C_FLOAT;
        d->fval = (double)c->ival;
    }
    return d;
}

/* What a Void variable holds: its constant (a def, a class), else None. */
static struct fg_value *void_value(struct fg_value *v)
{
    struct ann_value *a = v->ann;
    return a && a->is_const && a->constv ? a->constv : fg_const_none();
}

struct fg_value *rt_arg(struct fg_value *v)
{
    /* A Void variable carries no value (a folded constant, None): its uses
     * become Void constants, so the variable need not be defined. */
    if (v->kind == FG_VAR)
        return v->lltype && v->lltype->kind == LL_VOID ? rt_const_as(void_value(v), &ll_void) : v;
    return rt_const_as(v, rt_lltype_of(ann_of(v)));
}

/* v as an argument of low-level type t: constants (and Void variables,
 * which hold None) become constants of t. */
struct fg_value *rt_arg_as(struct fg_value *v, struct lltype *t)
{
    if (v->kind == FG_CONST)
        return rt_const_as(v, t);
    if (v->lltype && v->lltype->kind == LL_VOID)
        return rt_const_as(void_value(v), t);
    return v;
}

/* ---- emission ---- */

static struct fg_value *emitv(enum fg_opcode opc, struct lltype *rtype, int nargs, struct fg_value **args)
{
    struct fg_value *r = rt_var(rtype);
    struct fg_value **a = sp_alloc(sizeof(struct fg_value *) * (size_t)(nargs + 1));
    memcpy(a, args, sizeof(struct fg_value *) * (size_t)nargs);
    sp_vec_push(rt_cur.ops, fg_newop(opc, a, nargs, r, rt_cur.pos));
    return r;
}

struct fg_value *rt_op(enum fg_opcode opc, struct lltype *rtype, int nargs, ...)
{
    struct fg_value *args[nargs + 1];
    va_list ap;
    va_start(ap, nargs);
    for (int i = 0; i < nargs; i++)
        args[i] = va_arg(ap, struct fg_value *);
    va_end(ap);
    return emitv(opc, rtype, nargs, args);
}

/* The effects of a runtime routine (rtfuncs.h): unlisted ones may do
 * everything. */
static unsigned routine_flags(const char *cname)
{
    static const struct {
        const char *name;
        int effects;
    } table[] = {
#define X(name, eff) {#name, RT_##eff},
        RT_RUNTIME_FUNCS(X)
#undef X
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (!strcmp(table[i].name, cname))
            return (table[i].effects & RT_R ? OPF_RAISE : 0) | (table[i].effects & RT_C ? OPF_COLLECT : 0) |
                   (table[i].effects & RT_U ? OPF_UNWIND : 0);
    return OPF_RAISE | OPF_COLLECT;
}

struct fg_value *rt_extv(const char *cname, struct lltype *rtype, int nargs, struct fg_value **argv)
{
    struct fg_extfunc *ef = SP_NEW(struct fg_extfunc);
    ef->cname = cname;
    ef->flags = routine_flags(cname);
    struct fg_value *args[nargs + 2];
    args[0] = typed(fg_const_obj(FG_C_EXTFUNC, ef), &ll_void);
    for (int i = 0; i < nargs; i++)
        args[i + 1] = argv[i];
    return emitv(OP_LL_DIRECT_CALL, rtype, nargs + 1, args);
}

struct fg_value *rt_ext(const char *cname, struct lltype *rtype, int nargs, ...)
{
    struct fg_extfunc *ef = SP_NEW(struct fg_extfunc);
    ef->cname = cname;
    ef->flags = routine_flags(cname);
    struct fg_value *args[nargs + 2];
    args[0] = typed(fg_const_obj(FG_C_EXTFUNC, ef), &ll_void);
    va_list ap;
    va_start(ap, nargs);
    for (int i = 0; i < nargs; i++)
        args[i + 1] = va_arg(ap, struct fg_value *);
    va_end(ap);
    return emitv(OP_LL_DIRECT_CALL, rtype, nargs + 1, args);
}

void rt_op_into(struct fg_value *result, struct fg_value *v)
{
    struct fg_value **a = sp_alloc(sizeof(struct fg_value *));
    a[0] = v;
    sp_vec_push(rt_cur.ops, fg_newop(OP_LL_SAME_AS, a, 1, result, rt_cur.pos));
}

struct fg_value *rt_to_word(struct fg_value *v)
{
    if (v->lltype->kind == LL_WORD)
        return v;
    if (v->lltype->kind == LL_VOID)
        return typed(fg_const_int(0), &ll_word);
    return rt_op(OP_LL_CAST_TO_WORD, &ll_word, 1, v);
}

struct fg_value *rt_from_word(struct fg_value *w, struct lltype *t)
{
    if (t->kind == LL_VOID)
        return rt_cvoid();
    return rt_op(OP_LL_CAST_FROM_WORD, t, 1, w);
}

struct fg_value *rt_to_int(struct fg_value *v)
{
    if (v->lltype->kind == LL_BOOL)
        return rt_op(OP_LL_CAST_BOOL_TO_INT, &ll_signed, 1, v);
    return v;
}

struct fg_value *rt_to_float(struct fg_value *v)
{
    if (v->lltype->kind == LL_FLOAT)
        return v;
    if (v->lltype->kind == LL_BOOL)
        return rt_op(OP_LL_CAST_BOOL_TO_FLOAT, &ll_float, 1, v);
    return rt_op(OP_LL_CAST_INT_TO_FLOAT, &ll_float, 1, v);
}

static struct lltype *struct_of(struct fg_value *p) { return p->lltype; }

struct fg_value *rt_getfield(struct fg_value *p, const char *name)
{
    struct ll_field *f;
    struct lltype *owner = ll_field_owner(struct_of(p), name, &f);
    SP_ASSERT(owner);
    return rt_op(OP_LL_GETFIELD, f->type, 2, p, rt_cfield(owner, name));
}

void rt_setfield(struct fg_value *p, const char *name, struct fg_value *v)
{
    struct ll_field *f;
    struct lltype *owner = ll_field_owner(struct_of(p), name, &f);
    SP_ASSERT(owner);
    if (v->kind == FG_CONST && v->lltype != f->type)
        v = rt_const_as(v, f->type);
    rt_op(OP_LL_SETFIELD, &ll_void, 3, p, rt_cfield(owner, name), v);
}

struct fg_value *rt_malloc(struct lltype *t)
{
    return rt_op(OP_LL_MALLOC, t, 1, typed(fg_const_obj(FG_C_LLTYPE, t), &ll_void));
}

/* ---- rewriting blocks ---- */

static void type_var(struct fg_value *v) { v->lltype = rt_lltype_of(v->ann); }

/* A constant switch (e.g. on `__name__ == "__main__"`) keeps its one live
 * exit; a switch on a variable stays. */
static void resolve_const_switch(struct fg_block *b)
{
    struct ann_value *sw = ann_of(b->exitswitch);
    if (!sw->is_const || !sw->constv)
        return;
    for (int i = 0; i < b->exits.n; i++) {
        struct fg_link *l = b->exits.v[i];
        if (l->exitcase && l->exitcase->ival == sw->constv->ival) {
            l->exitcase = NULL;
            b->exits.v[0] = l;
            b->exits.n = 1;
            b->exitswitch = NULL;
            return;
        }
    }
}

static void lower_links(struct fg_block *b)
{
    for (int i = 0; i < b->exits.n; i++) {
        struct fg_link *l = b->exits.v[i];
        for (int k = 0; k < l->args.n; k++) {
            struct fg_value *a = l->args.v[k];
            struct fg_value *in = l->target->inputargs.v[k];
            if (a->kind == FG_VAR && a->lltype && a->lltype->kind == LL_VOID)
                a = l->args.v[k] = rt_arg(a);
            if (a->kind == FG_CONST)
                l->args.v[k] = rt_const_as(a, in->lltype ? in->lltype : rt_lltype_of(in->ann));
        }
        if (l->exitcase)
            l->exitcase = rt_const_as(l->exitcase, &ll_bool);
    }
}

/* The block's annotation stopped at an op whose result never became known
 * (a call that never returns normally): cut the block there. */
static void cut_block(struct fg_block *b, struct fg_graph *g)
{
    b->exitswitch = NULL;
    b->exits.n = 0;
    struct fg_link *l = fg_link_to(b, g->exceptblock, NULL);
    sp_vec_push(&l->args, rt_cnull(&ll_void));
    sp_vec_push(&l->args, rt_cnull(&ll_void));
}

static bool lower_next_exit(struct fg_block *b, struct fg_graph *g, struct fg_value *has, int guarded_from,
                            struct fg_block **test);

/* A block whose last high-level op may raise into handlers keeps its
 * exception exits for transforms/exceptions.c, each naming the caught
 * class by its instance type; the caught exception is a pointer to that
 * type. Every low-level op of such a block that may raise raises into
 * them: the ops before the last high-level one cannot raise (the
 * builder ends a block after each op that can, inside a try). */
static struct fg_block *lower_exception_exits(struct fg_block *b, struct fg_graph *g, int guarded_from)
{
    bool raises = false;
    for (int i = guarded_from; i < b->ops.n; i++)
        raises |= fg_llop_may_raise(b->ops.v[i]);
    if (!raises) {
        /* What could raise lowered to something that cannot (a constant
         * global, a folded test): only the normal exit remains. */
        b->exitswitch = NULL;
        b->exits.n = 1;
        return b;
    }
    /* The ops before the guarded one go first, in a block of their own. */
    if (guarded_from > 0)
        b = fg_split_block(g, b, guarded_from);
    for (int i = 1; i < b->exits.n; i++) {
        struct fg_link *l = b->exits.v[i];
        struct ann_classdef *cd = ann_classdef_for(l->exitcase);
        SP_ASSERT(cd);
        struct lltype *t = rt_instance_type(cd);
        l->exitcase = fg_const_obj(FG_C_LLTYPE, t);
        l->exitcase->lltype = &ll_void;
        if (l->last_exception)
            type_var(l->last_exception);
        if (l->last_exc_value)
            type_var(l->last_exc_value);
    }
    return b;
}

static void lower_block(struct fg_block *b, struct fg_graph *g)
{
    struct sp_vec newops = {0};
    rt_cur.ops = &newops;
    rt_cur.graph = g;
    for (int i = 0; i < b->inputargs.n; i++)
        type_var(b->inputargs.v[i]);
    struct fg_value *has_next = NULL;
    int last_first = 0; /* where the lowering of the last high-level op starts */
    for (int i = 0; i < b->ops.n; i++) {
        struct fg_op *op = b->ops.v[i];
        rt_cur.pos = op->pos;
        if (!op->result->ann) {
            /* The annotation stopped here: an op that never runs (an
             * argument never has a value), or one that runs but never
             * produces a value: a call whose callee never returns
             * normally, [].pop(), {}[k]... It still runs, and raises;
             * nothing after it runs. */
            bool runs = true;
            for (int k = 0; k < op->nargs && runs; k++)
                runs = ann_of(op->args[k])->kind != ANN_IMPOSSIBLE;
            struct fg_value *where = rt_cstr(g->name, strlen(g->name));
            int recv;
            enum ann_special_mode mode;
            if (runs && op->opcode == OP_NEXT && i == b->ops.n - 1 && b->exitswitch == fg_last_exception &&
                b->exits.n >= 2 && !ann_special_of(op, &recv, &mode)) {
                /* a built-in iterable that never has an item: the loop ends */
                struct fg_link *stop = b->exits.v[1];
                stop->exitcase = NULL;
                stop->last_exception = stop->last_exc_value = NULL;
                b->exits.v[0] = stop;
                b->exits.n = 1;
                b->exitswitch = NULL;
                b->ops = newops;
                lower_links(b);
                return;
            }
            if (runs) {
                int first = newops.n;
                type_var(op->result);
                bool lowered = rt_lower_op(op) != NULL;
                if (lowered && i == b->ops.n - 1 && b->exitswitch == fg_last_exception) {
                    /* inside a try: what it raises goes to the handlers;
                     * its normal exit is a dead end */
                    struct fg_block *dead = fg_newblock(g);
                    struct sp_vec deadops = {0};
                    rt_cur.ops = &deadops;
                    rt_ext("rpy_no_value", &ll_void, 1, where);
                    dead->ops = deadops;
                    cut_block(dead, g);
                    rt_cur.ops = &newops;
                    struct fg_link *normal = b->exits.v[0];
                    normal->target = dead;
                    normal->args.n = 0;
                    b->ops = newops;
                    struct fg_block *guarded = lower_exception_exits(b, g, first);
                    lower_links(b);
                    if (guarded != b)
                        lower_links(guarded);
                    return;
                }
                if (lowered)
                    rt_ext("rpy_no_value", &ll_void, 1, where);
            }
            b->ops = newops;
            cut_block(b, g);
            return;
        }
        type_var(op->result);
        int first_new = newops.n;
        last_first = first_new;
        struct fg_value *r = rt_lower_op(op);
        if (!r)
            continue; /* error reported */
        int recv;
        enum ann_special_mode mode;
        if (op->opcode == OP_NEXT && !ann_special_of(op, &recv, &mode)) {
            /* Lowering `next` stored the item in op->result and returned
             * the "there was an item" flag the exits switch on. */
            has_next = r;
            continue;
        }
        if (r == op->result || op->result->lltype->kind == LL_VOID)
            continue;
        /* Usually the lowering's last op computes the result: let it
         * write op->result directly instead of copying. */
        struct fg_op *last = newops.n > first_new ? newops.v[newops.n - 1] : NULL;
        if (last && last->result == r && r->lltype == op->result->lltype)
            last->result = op->result;
        else
            rt_op_into(op->result, r);
    }
    b->ops = newops;
    struct fg_block *guarded = b;
    struct fg_block *test = NULL;
    if (b->exitswitch == fg_last_exception) {
        if (!has_next || !lower_next_exit(b, g, has_next, last_first, &test) || test)
            guarded = lower_exception_exits(b, g, last_first);
    } else if (b->exitswitch) {
        resolve_const_switch(b);
    }
    lower_links(b);
    if (guarded != b)
        lower_links(guarded);
    if (test)
        lower_links(test);
}

/* `x = next(it)` with a StopIteration exit became a test: the block now
 * switches on `has` (True: the normal exit, False: the StopIteration one).
 * Inside a try block the other exits are its handlers: when the lowered
 * ops may raise (a dict that changed size, a closed file) the handlers stay
 * on them and the test moves to a block of its own, returned in *test (the
 * caller then lowers the exception exits). False: not that shape. */
static bool lower_next_exit(struct fg_block *b, struct fg_graph *g, struct fg_value *has, int guarded_from,
                            struct fg_block **test)
{
    if (b->exits.n < 2)
        return false;
    struct fg_link *normal = b->exits.v[0], *stop = b->exits.v[1];
    if (!stop->exitcase || stop->exitcase->ckind != FG_C_BUILTIN || strcmp(stop->exitcase->str, "StopIteration"))
        return false;
    bool raises = false;
    for (int i = guarded_from; i < b->ops.n; i++)
        raises |= fg_llop_may_raise(b->ops.v[i]);
    struct sp_vec handlers = {0};
    if (raises)
        for (int i = 2; i < b->exits.n; i++)
            sp_vec_push(&handlers, b->exits.v[i]);
    b->exitswitch = has;
    normal->exitcase = fg_const_bool(true);
    stop->exitcase = fg_const_bool(false);
    stop->last_exception = stop->last_exc_value = NULL;
    b->exits.n = 2;
    b->exits.v[0] = stop;
    b->exits.v[1] = normal;
    if (!handlers.n)
        return true;
    lower_links(b);
    *test = fg_split_block(g, b, b->ops.n);
    b->exitswitch = fg_last_exception;
    for (int i = 0; i < handlers.n; i++)
        sp_vec_push(&b->exits, handlers.v[i]);
    return true;
}

static bool block_reached(struct fg_block *b)
{
    return b->is_return || b->is_except || ann_block_reached(b);
}

static void lower_graph(struct fg_graph *g)
{
    struct sp_vec blocks = {0};
    fg_graph_blocks(g, &blocks);
    type_var(g->returnblock->inputargs.v[0]);
    for (int i = 0; i < g->exceptblock->inputargs.n; i++)
        type_var(g->exceptblock->inputargs.v[i]);
    for (int i = 0; i < blocks.n; i++) {
        struct fg_block *b = blocks.v[i];
        if (b->is_return || b->is_except)
            continue;
        if (!block_reached(b)) {
            /* Never annotated: no path reaches it (its links are gone
             * after constant switches are resolved). */
            for (int k = 0; k < b->inputargs.n; k++)
                type_var(b->inputargs.v[k]);
            b->ops.n = 0;
            b->exitswitch = NULL;
            b->exits.n = 0;
            cut_block(b, g);
            continue;
        }
        lower_block(b, g);
    }
}

static const char *describe_hook(struct lltype *t) { return ll_describe(t); }

/* name with everything but [A-Za-z0-9_] replaced: a C identifier part
 * ("Class.ATTR" globals, non-ASCII names); the id prefix keeps it unique. */
static const char *c_ident(const char *name)
{
    char *s = sp_strdup(name);
    for (char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
            *p = '_';
    return s;
}

struct rt_program *rt_specialize(struct ann_result *ann)
{
    rt_prog = SP_NEW(struct rt_program);
    rt_prog->ann = ann;
    fg_describe_lltype = describe_hook;
    build_classes(ann);
    /* Globals next: their types are needed by getglobal/setglobal. They
     * are numbered per module, so that the prelude does not shift the names
     * of the program's globals. */
    struct sp_vec mods = {0}, counts = {0};
    for (int i = 0; i < ann->globals.n; i++) {
        struct ann_global *gl = ann->globals.v[i];
        struct rt_global *rg = SP_NEW(struct rt_global);
        int m = 0;
        while (m < mods.n && mods.v[m] != gl->module)
            m++;
        if (m == mods.n) {
            sp_vec_push(&mods, gl->module);
            sp_vec_push(&counts, (void *)0);
        }
        int n = (int)(intptr_t)counts.v[m];
        counts.v[m] = (void *)(intptr_t)(n + 1);
        if (gl->module->name == sp_intern("__main__"))
            rg->cname = sp_fmt("g_%d_%s", n, c_ident(gl->name));
        else
            rg->cname = sp_fmt("g_%s_%d_%s", c_ident(gl->module->name), n, c_ident(gl->name));
        rg->type = gl->is_const ? &ll_void : rt_lltype_of(gl->ann);
        sp_vec_push(&rt_prog->globals, rg);
    }
    int errors = sp_error_count();
    for (int i = 0; i < ann->graphs.n; i++) {
        struct fg_graph *g = ann->graphs.v[i];
        lower_graph(g);
        sp_vec_push(&rt_prog->graphs, g);
    }
    for (int i = 0; i < ann->program->modules.n; i++) {
        struct fg_module *m = ann->program->modules.v[i];
        if (!m->is_prelude && !m->is_native)
            sp_vec_push(&rt_prog->entry, m->init->graph);
    }
    return sp_error_count() > errors ? NULL : rt_prog;
}
