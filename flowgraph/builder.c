/* builder.c - fg_build_program: from the entry module's AST to one graph
 * per function, method and the module's top-level code.
 *
 * Requires a parsed module (frontend/ast.h); provides the fg_program of
 * graph.h with every graph built, simplified (simplify.c) and verified
 * (checkgraph.c). Statements and expressions are in build_stmt.c and
 * build_expr.c; the block/variable plumbing in build_state.c.
 *
 * The work happens in three passes, because a function may read a
 * module-level name bound further down the file:
 *   1. scan the module for every name bound at module level or declared
 *      `global` in a function (module->globals; reading any other name
 *      that is not a builtin is a compile error);
 *   2. build the module's code; each def and class met on the way becomes
 *      an fg_func / fg_class and a setglobal of its constant, and its
 *      graph (its methods' graphs) is built there and then, so that errors
 *      come out in source order.
 * Scoping inside a function is Python's: a name bound anywhere in the body
 * is local to the whole body, unless declared `global`.
 */
#include "builder.h"

#include <string.h>

#include "../runtime/rpyrt.h" /* RPY_BUILTIN_EXCEPTIONS: one list for every stage */

/* ---- builtins ---- */

static const char *const builtin_names[] = {
    "print", "len", "range", "enumerate", "zip", "reversed", "sorted", "min", "max", "sum", "abs",
    "round", "divmod", "pow", "int", "float", "str", "bool", "repr", "ord", "chr", "hex", "oct",
    "bin", "isinstance", "hash", "id", "iter", "next", "list", "dict", "set", "tuple", "any", "all",
    "map", "filter", "input", "open", "super", "object", "type", "True", "False", "None", "__name__",
#define X(name, base) #name,
    RPY_BUILTIN_EXCEPTIONS(X)
#undef X
};

/* The prelude's own primitives (prelude.c): names no user code can call. */
bool b_is_prelude_primitive(const char *name) { return strncmp(name, "_rpy_", 5) == 0; }

bool b_is_builtin_name(const char *name)
{
    static struct fg_ptrmap set;
    if (!set.n)
        for (size_t i = 0; i < sizeof builtin_names / sizeof builtin_names[0]; i++)
            fg_ptrmap_put(&set, sp_intern(builtin_names[i]), (void *)1);
    return fg_ptrmap_has(&set, sp_intern(name));
}

bool b_is_builtin_exception(const char *name)
{
    static const char *const names[] = {
#define X(name, base) #name,
        RPY_BUILTIN_EXCEPTIONS(X)
#undef X
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

/* ---- constant expressions (defaults, class attributes) ---- */

static struct fg_value *negate(struct fg_value *c, struct ast_node *operand)
{
    if (operand->kind == AST_CONSTANT && operand->const_kind == AST_CONST_INT && operand->big &&
        operand->str && strcmp(operand->str, "9223372036854775808") == 0)
        return fg_const_int(INT64_MIN);
    if (!c)
        return NULL;
    if (c->ckind == FG_C_INT && c->ival != INT64_MIN)
        return fg_const_int(-c->ival);
    if (c->ckind == FG_C_FLOAT)
        return fg_const_float(-c->fval);
    return NULL;
}

static struct fg_value *literal(struct ast_node *e)
{
    switch (e->const_kind) {
    case AST_CONST_INT: return e->big ? NULL : fg_const_int(e->ival);
    case AST_CONST_FLOAT: return fg_const_float(e->fval);
    case AST_CONST_STR: return fg_const_str(e->str, e->len);
    case AST_CONST_TRUE: return fg_const_bool(true);
    case AST_CONST_FALSE: return fg_const_bool(false);
    case AST_CONST_NONE: return fg_const_none();
    default: return NULL;
    }
}

struct fg_value *b_const_expr(struct ast_node *e)
{
    struct fg_value *c = NULL;
    if (!e)
        return NULL;
    if (e->kind == AST_CONSTANT) {
        c = literal(e);
    } else if (e->kind == AST_UNARYOP && (e->op == AST_USUB || e->op == AST_UADD) && e->value &&
               e->value->kind == AST_CONSTANT) {
        c = e->op == AST_USUB ? negate(literal(e->value), e->value) : literal(e->value);
        if (c && c->ckind != FG_C_INT && c->ckind != FG_C_FLOAT)
            c = NULL;
    } else if (e->kind == AST_TUPLE) {
        struct sp_vec *items = SP_NEW(struct sp_vec);
        for (int i = 0; i < e->elts.n; i++) {
            struct fg_value *item = b_const_expr(e->elts.v[i]);
            if (!item)
                return NULL;
            sp_vec_push(items, item);
        }
        c = fg_const_obj(FG_C_TUPLE, items);
    }
    return c ? b_at(c, e->pos) : NULL;
}

/* ---- pass 1: names bound in a body ---- */

struct names {
    struct sp_vec list;       /* interned, in order of first appearance */
    struct fg_ptrmap set;
};

static void add_name(struct names *ns, const char *name)
{
    if (!name || fg_ptrmap_has(&ns->set, name))
        return;
    fg_ptrmap_put(&ns->set, name, (void *)1);
    sp_vec_push(&ns->list, (void *)name);
}

static void target_names(struct names *ns, struct ast_node *t)
{
    if (!t)
        return;
    if (t->kind == AST_NAME)
        add_name(ns, t->name);
    else if (t->kind == AST_TUPLE || t->kind == AST_LIST)
        for (int i = 0; i < t->elts.n; i++)
            target_names(ns, t->elts.v[i]);
    else if (t->kind == AST_STARRED)
        target_names(ns, t->value);
}

/* The name `import a.b.c` binds: a (or the asname). */
static const char *import_binding(struct ast_node *alias, bool from)
{
    if (alias->asname)
        return alias->asname;
    if (!alias->name || from)
        return alias->name;
    const char *dot = strchr(alias->name, '.');
    return dot ? sp_intern_n(alias->name, (size_t)(dot - alias->name)) : alias->name;
}

/* The names a statement binds itself, not counting its nested bodies;
 * `nonlocal` declarations go into nonlocals (if given). */
static void own_names(struct names *bound, struct names *globals, struct names *nonlocals, struct ast_node *s)
{
    switch (s->kind) {
    case AST_FUNCTIONDEF:
    case AST_CLASSDEF:
        add_name(bound, s->name);
        break;
    case AST_ASSIGN:
    case AST_DELETE:
        for (int i = 0; i < s->targets.n; i++)
            target_names(bound, s->targets.v[i]);
        break;
    case AST_AUGASSIGN:
    case AST_ANNASSIGN:
    case AST_FOR:
        target_names(bound, s->target);
        break;
    case AST_WITH:
        for (int i = 0; i < s->items.n; i++)
            target_names(bound, s->items.v[i]->target);
        break;
    case AST_TRY:
        for (int i = 0; i < s->handlers.n; i++)
            add_name(bound, s->handlers.v[i]->asname);
        break;
    case AST_IMPORT:
    case AST_IMPORTFROM:
        for (int i = 0; i < s->names.n; i++)
            if (!s->names.v[i]->name || strcmp(s->names.v[i]->name, "*") != 0)
                add_name(bound, import_binding(s->names.v[i], s->kind == AST_IMPORTFROM));
        break;
    case AST_GLOBAL:
        for (int i = 0; i < s->names.n; i++)
            add_name(globals, s->names.v[i]->name);
        break;
    case AST_NONLOCAL:
        for (int i = 0; nonlocals && i < s->names.n; i++)
            add_name(nonlocals, s->names.v[i]->name);
        break;
    default:
        break;
    }
}

/* Every body nested in a statement (not a def's or class's: a new scope). */
static void nested_bodies(struct ast_node *s, struct sp_vec *out)
{
    out->n = 0;
    if (s->kind == AST_FUNCTIONDEF || s->kind == AST_CLASSDEF)
        return;
    sp_vec_push(out, &s->body);
    sp_vec_push(out, &s->orelse);
    sp_vec_push(out, &s->finalbody);
    for (int i = 0; i < s->handlers.n; i++)
        sp_vec_push(out, &s->handlers.v[i]->body);
}

/* The names bound anywhere in a function body, and those it declares
 * `global`. */
static void body_names3(struct names *bound, struct names *globals, struct names *nonlocals, struct ast_list *body)
{
    for (int i = 0; i < body->n; i++) {
        struct ast_node *s = body->v[i];
        own_names(bound, globals, nonlocals, s);
        struct sp_vec inner = {0};
        nested_bodies(s, &inner);
        for (int k = 0; k < inner.n; k++)
            body_names3(bound, globals, nonlocals, inner.v[k]);
    }
}

static void body_names(struct names *bound, struct names *globals, struct ast_list *body)
{
    body_names3(bound, globals, NULL, body);
}

void b_body_names(struct ast_list *body, struct sp_vec *bound, struct sp_vec *globals, struct sp_vec *nonlocals)
{
    struct names b = {0}, g = {0}, n = {0};
    body_names3(&b, &g, &n, body);
    *bound = b.list;
    *globals = g.list;
    *nonlocals = n.list;
}

static void add_global(struct bprog *bp, const char *name)
{
    intptr_t n = (intptr_t)fg_ptrmap_get(&bp->nbindings, name);
    fg_ptrmap_put(&bp->nbindings, name, (void *)(n + 1));
    if (fg_ptrmap_has(&bp->globalset, name))
        return;
    fg_ptrmap_put(&bp->globalset, name, (void *)1);
    sp_vec_push(&bp->mod->globals, (void *)name);
}

/* A def's `global` declarations (each may rebind the name), and for a
 * class its methods'. */
static void scan_def(struct bprog *bp, struct ast_node *def)
{
    if (def->kind == AST_CLASSDEF) {
        for (int i = 0; i < def->body.n; i++)
            if (def->body.v[i]->kind == AST_FUNCTIONDEF)
                scan_def(bp, def->body.v[i]);
        return;
    }
    struct names bound = {0}, globals = {0};
    body_names(&bound, &globals, &def->body);
    for (int i = 0; i < globals.list.n; i++)
        add_global(bp, globals.list.v[i]);
}

/* A class statement's fg_class exists from the scan on, so that code built
 * before the statement is reached (a function above it) can name it. */
static void class_shell(struct bprog *bp, struct ast_node *def)
{
    struct fg_class *cls = SP_NEW(struct fg_class);
    cls->name = def->name;
    cls->module = bp->mod;
    cls->def = def;
    fg_ptrmap_put(&bp->classshells, def, cls);
    sp_vec_push(&bp->shells, cls);
}

/* Module-level statements in order: their bindings (counted), the classes
 * and the `global` declarations of the defs among them, nested in
 * if/for/... too. */
static void scan_module(struct bprog *bp, struct ast_list *body)
{
    for (int i = 0; i < body->n; i++) {
        struct ast_node *s = body->v[i];
        struct names bound = {0}, globals = {0};
        own_names(&bound, &globals, NULL, s);
        for (int k = 0; k < bound.list.n; k++)
            add_global(bp, bound.list.v[k]);
        if (s->kind == AST_CLASSDEF)
            class_shell(bp, s);
        if (s->kind == AST_FUNCTIONDEF || s->kind == AST_CLASSDEF)
            scan_def(bp, s);
        struct sp_vec inner = {0};
        nested_bodies(s, &inner);
        for (int k = 0; k < inner.n; k++)
            scan_module(bp, inner.v[k]);
    }
}

/* A name bound once, by a class statement, always means that class. */
static void find_class_constants(struct bprog *bp)
{
    for (int i = 0; i < bp->shells.n; i++) {
        struct fg_class *cls = bp->shells.v[i];
        if ((intptr_t)fg_ptrmap_get(&bp->nbindings, cls->name) == 1)
            fg_ptrmap_put(&bp->classnames, cls->name, cls);
    }
}

/* ---- functions ---- */

static void set_params(struct fg_func *f, struct ast_node *args)
{
    int npos = args ? args->posargs.n : 0;
    int n = npos + (args ? args->kwonlyargs.n : 0);
    f->nparams = n;
    f->nkwonly = n - npos;
    f->params = sp_alloc(sizeof(const char *) * (size_t)(n + 1));
    f->defaults = sp_alloc(sizeof(struct fg_value *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        struct ast_node *a = i < npos ? args->posargs.v[i] : args->kwonlyargs.v[i - npos];
        f->params[i] = a->name;
        /* a default that is not a constant is computed when the def runs:
         * the def statement says where it is kept (b_set_dyn_defaults) */
        if (a->value && !(f->defaults[i] = b_const_expr(a->value)))
            f->defaults[i] = b_at(fg_const_obj(FG_C_DEFAULT, NULL), a->value->pos);
    }
    if (!args)
        return;
    if (args->vararg)
        f->vararg = args->vararg->name;
    if (args->kwarg)
        sp_error(args->kwarg->pos, "**kwargs parameters are not supported yet");
}

bool b_has_dyn_defaults(const struct fg_func *f)
{
    for (int i = 0; i < f->nparams; i++)
        if (f->defaults[i] && f->defaults[i]->ckind == FG_C_DEFAULT)
            return true;
    return false;
}

/* A closure's first parameter: the environment (build_scope.c). */
static void prefix_env_param(struct fg_func *f)
{
    const char **params = sp_alloc(sizeof(const char *) * (size_t)(f->nparams + 2));
    struct fg_value **defaults = sp_alloc(sizeof(struct fg_value *) * (size_t)(f->nparams + 2));
    params[0] = sp_intern("__env");
    defaults[0] = NULL;
    for (int i = 0; i < f->nparams; i++) {
        params[i + 1] = f->params[i];
        defaults[i + 1] = f->defaults[i];
    }
    f->params = params;
    f->defaults = defaults;
    f->nparams++;
    f->closure = true;
}

static bool is_name(struct ast_node *e, const char *name)
{
    return e && e->kind == AST_NAME && e->name == sp_intern(name);
}

static void method_decorators(struct fg_func *f, struct ast_node *def)
{
    for (int i = 0; i < def->decorators.n; i++) {
        struct ast_node *d = def->decorators.v[i];
        if (f->cls && is_name(d, "staticmethod") && !f->is_classmethod)
            f->is_staticmethod = true;
        else if (f->cls && is_name(d, "classmethod") && !f->is_staticmethod)
            f->is_classmethod = true;
        else
            sp_error(d->pos, "decorators other than @staticmethod and @classmethod are not supported yet");
    }
}

struct fg_func *b_new_function(struct bprog *bp, struct ast_node *def, struct fg_class *cls)
{
    struct fg_func *f = SP_NEW(struct fg_func);
    f->name = def->name;
    f->qualname = cls ? sp_intern(sp_fmt("%s.%s", cls->name, def->name)) : def->name;
    f->module = bp->mod;
    f->cls = cls;
    f->def = def;
    set_params(f, def->args);
    method_decorators(f, def);
    sp_vec_push(&bp->prog->allfuncs, f);
    return f;
}

/* ---- classes ---- */

static void class_attr(struct fg_class *cls, const char *name, struct fg_value *c, struct ast_node *expr)
{
    for (int i = 0; i < cls->attr_names.n; i++)
        if (cls->attr_names.v[i] == name) {
            /* rebinding: the last value wins, as in Python */
            cls->attr_values.v[i] = c;
            cls->attr_exprs.v[i] = c ? NULL : expr;
            return;
        }
    sp_vec_push(&cls->attr_names, (void *)name);
    sp_vec_push(&cls->attr_values, c);
    sp_vec_push(&cls->attr_exprs, c ? NULL : expr);
}

static void class_assign(struct fg_class *cls, struct ast_node *s, struct ast_node *target)
{
    struct fg_value *c = b_const_expr(s->value);
    if (!target || target->kind != AST_NAME) {
        sp_error(target ? target->pos : s->pos, "only names can be assigned in a class body");
        return;
    }
    class_attr(cls, target->name, c, s->value);
}

static void class_stmt(struct bprog *bp, struct fg_class *cls, struct ast_node *s)
{
    switch (s->kind) {
    case AST_PASS:
        break;
    case AST_EXPR:
        if (s->value->kind != AST_CONSTANT) /* a docstring */
            sp_error(s->pos, "only methods and constant attributes are supported in a class body");
        break;
    case AST_FUNCTIONDEF: {
        struct fg_func *m = b_new_function(bp, s, cls);
        if (b_has_dyn_defaults(m))
            for (int i = 0; i < m->nparams; i++)
                if (m->defaults[i] && m->defaults[i]->ckind == FG_C_DEFAULT)
                    sp_error(m->defaults[i]->pos, "default values of methods must be constants");
        sp_vec_push(&cls->methods, m);
        break;
    }
    case AST_ASSIGN:
        for (int i = 0; i < s->targets.n; i++)
            class_assign(cls, s, s->targets.v[i]);
        break;
    case AST_ANNASSIGN:
        if (s->value)
            class_assign(cls, s, s->target);
        break;
    case AST_CLASSDEF:
        sp_error(s->pos, "nested classes are not supported yet");
        break;
    default:
        sp_error(s->pos, "only methods and constant attributes are supported in a class body");
        break;
    }
}

struct fg_class *b_new_class(struct bprog *bp, struct ast_node *def)
{
    struct fg_class *cls = fg_ptrmap_get(&bp->classshells, def);
    if (!cls)
        sp_die("builder: class %s was not seen by the scan", def->name);
    if (def->decorators.n)
        sp_error(def->decorators.v[0]->pos, "class decorators are not supported yet");
    for (int i = 0; i < def->bases.n; i++) {
        struct ast_node *base = def->bases.v[i];
        sp_vec_push(&cls->bases, base);
        if (base->kind == AST_NAME && !fg_ptrmap_has(&bp->globalset, base->name) &&
            !b_is_builtin_name(base->name))
            sp_error(base->pos, "name '%s' is not defined", base->name);
    }
    for (int i = 0; i < def->body.n; i++)
        class_stmt(bp, cls, def->body.v[i]);
    sp_vec_push(&bp->mod->classes, cls);
    return cls;
}

/* ---- building one graph ---- */

static void add_local(struct fstate *fs, const char *name, struct fg_value *v)
{
    if (fg_ptrmap_has(&fs->localidx, name))
        return;
    sp_vec_push(&fs->locals, (void *)name);
    fg_ptrmap_put(&fs->localidx, name, (void *)(intptr_t)fs->locals.n);
    sp_vec_push(&fs->slots, v);
    sp_vec_push(&fs->slotnames, (void *)name);
}

static void param_local(struct fstate *fs, const char *name, struct srcpos pos)
{
    struct fg_value *v = fg_newvar(name);
    v->pos = pos;
    sp_vec_push(&fs->g->startblock->inputargs, v);
    if (fg_ptrmap_has(&fs->localidx, name)) {
        sp_error(pos, "duplicate argument '%s' in function definition", name);
        return;
    }
    if (fg_ptrmap_has(&fs->globaldecl, name))
        sp_error(pos, "name '%s' is parameter and global", name);
    add_local(fs, name, v);
}

/* Parameters first (the start block's inputs), then every other name the
 * body binds, holding <undefined> until assigned. */
static void function_locals(struct fstate *fs, struct ast_node *def)
{
    struct names bound = {0}, globals = {0};
    body_names(&bound, &globals, &def->body);
    for (int i = 0; i < globals.list.n; i++)
        fg_ptrmap_put(&fs->globaldecl, globals.list.v[i], (void *)1);
    struct ast_node *args = def->args;
    fs->env_slot = fs->cells_slot = -1;
    if (fs->func->closure) {
        param_local(fs, sp_intern("__env"), def->pos);
        fs->env_slot = fs->locals.n - 1;
    }
    for (int i = 0; args && i < args->posargs.n; i++)
        param_local(fs, args->posargs.v[i]->name, args->posargs.v[i]->pos);
    for (int i = 0; args && i < args->kwonlyargs.n; i++)
        param_local(fs, args->kwonlyargs.v[i]->name, args->kwonlyargs.v[i]->pos);
    if (args && args->vararg)
        param_local(fs, args->vararg->name, args->vararg->pos);
    if (args && args->kwarg) /* reported (not supported): its uses are not reported again */
        add_local(fs, args->kwarg->name, b_none(args->kwarg->pos));
    struct b_scope *sc = fs->scope;
    for (int i = 0; i < bound.list.n; i++) {
        const char *name = bound.list.v[i];
        if (fg_ptrmap_has(&fs->globaldecl, name))
            continue;
        /* nonlocal names are the enclosing function's; cells live in the
         * cell object, not in slots */
        if (sc && (fg_ptrmap_has(&sc->nonlocalset, name) || b_scope_is_cell(sc, name)))
            continue;
        add_local(fs, name, fg_const_undefined());
    }
    if (sc && sc->cells.n) {
        add_local(fs, sp_intern("__cells"), fg_const_undefined());
        fs->cells_slot = fs->locals.n - 1;
    }
}

struct fg_class *b_synthetic_class(struct bprog *bp, const char *owner, const char *what)
{
    struct fg_class *cls = SP_NEW(struct fg_class);
    struct sp_buf b = {0};
    for (const char *p = owner; *p; p++)
        sp_buf_putc(&b, (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ? *p : '_');
    sp_buf_printf(&b, "_%s", what);
    cls->name = sp_intern(sp_buf_cstr(&b));
    cls->module = bp->mod;
    cls->synthetic = true;
    return cls;
}

/* On entry: the cell object, holding the parameters that are cells and
 * (for a closure) the link to the enclosing cells. */
static void make_cells(struct fstate *fs)
{
    if (fs->cells_slot < 0)
        return;
    struct fg_func *f = fs->func;
    struct srcpos pos = f->def->pos;
    if (!f->cellclass)
        f->cellclass = b_synthetic_class(fs->bp, f->qualname, "cells");
    struct fg_value *cells = b_emit(fs, OP_SIMPLE_CALL, pos, 1, b_at(fg_const_obj(FG_C_CLASS, f->cellclass), pos));
    fs->slots.v[fs->cells_slot] = cells;
    if (f->closure && fs->scope->frees.n) /* the chain to the enclosing cells */
        b_emit(fs, OP_SETATTR, pos, 3, cells, b_name_const("__up", pos), b_env_start(fs, pos));
    for (int i = f->closure ? 1 : 0; i < f->nparams; i++)
        if (b_scope_is_cell(fs->scope, f->params[i])) {
            b_emit(fs, OP_SETATTR, pos, 3, cells, b_name_const(f->params[i], pos),
                   b_slot(fs, (int)(intptr_t)fg_ptrmap_get(&fs->localidx, f->params[i]) - 1));
            b_emit(fs, OP_SETATTR, pos, 3, cells, b_name_const(b_cell_flag(f->params[i]), pos),
                   b_at(fg_const_bool(true), pos));
        }
}

static void finish_graph(struct fstate *fs, struct srcpos endpos)
{
    if (fs->cur) {
        struct fg_value *none = b_none(endpos);
        if (!fs->is_module) /* type errors say where the None comes from */
            none->bound_as = sp_intern("<end of function>");
        b_return(fs, none, endpos);
    }
    fg_simplify(fs->g);
    fg_check_unbound(fs->g);
    fg_checkgraph(fs->g, "flowgraph");
}

static struct srcpos end_pos(struct ast_list *body, struct srcpos dflt)
{
    return body->n ? body->v[body->n - 1]->pos : dflt;
}

void b_build_function(struct bprog *bp, struct fg_func *f)
{
    if (f->graph)
        return;
    struct fstate fs = {.bp = bp, .func = f};
    if (!f->parent && f->def->kind == AST_FUNCTIONDEF)
        b_analyse_scopes(bp, f->def);
    fs.scope = f->bscope ? (struct b_scope *)f->bscope : b_scope_of(bp, f->def);
    fs.g = f->graph = fg_newgraph(f->qualname, f, f->def->pos);
    function_locals(&fs, f->def);
    fs.cur = fs.g->startblock;
    make_cells(&fs);
    b_body(&fs, &f->def->body);
    finish_graph(&fs, end_pos(&f->def->body, f->def->pos));
    if (fs.has_yield && !sp_error_count())
        b_generator_transform(bp, f);
}

struct fg_value *b_nested_function(struct fstate *fs, const struct ast_node *scopenode, struct ast_node *def)
{
    struct bprog *bp = fs->bp;
    struct srcpos pos = def->pos;
    struct b_scope *sc = b_scope_of(bp, scopenode);
    struct fg_func *f = b_new_function(bp, def, NULL);
    f->parent = fs->func;
    f->bscope = sc;
    f->qualname = sp_intern(sp_fmt("%s.<locals>.%s", fs->func->qualname, def->name));
    bool dyn = b_has_dyn_defaults(f);
    bool frees = sc && sc->frees.n;
    if (!frees && !dyn) { /* reads nothing of its enclosing functions: a plain def */
        b_build_function(bp, f);
        return b_at(fg_const_obj(FG_C_FUNC, f), pos);
    }
    prefix_env_param(f);
    struct fg_value *env;
    if (dyn) {
        /* Defaults computed now: each function object keeps its own, in
         * its environment, next to the link to the enclosing cells. */
        f->env_defaults = true;
        f->envclass = b_synthetic_class(bp, f->qualname, "env");
        int first = fs->slots.n;
        for (int i = 1; i < f->nparams; i++)
            if (f->defaults[i] && f->defaults[i]->ckind == FG_C_DEFAULT)
                b_push(fs, b_expr(fs, (i - 1 < def->args->posargs.n ? def->args->posargs.v[i - 1]
                                                                     : def->args->kwonlyargs.v[i - 1 - def->args->posargs.n])
                                          ->value));
        int objslot = b_push(fs, b_emit(fs, OP_SIMPLE_CALL, pos, 1, b_at(fg_const_obj(FG_C_CLASS, f->envclass), pos)));
        if (frees) {
            struct fg_value *up = b_env_for_children(fs, pos);
            b_emit(fs, OP_SETATTR, pos, 3, b_slot(fs, objslot), b_name_const("__up", pos), up);
        }
        int k = first;
        for (int i = 1; i < f->nparams; i++) {
            if (!f->defaults[i] || f->defaults[i]->ckind != FG_C_DEFAULT)
                continue;
            struct fg_default *d = SP_NEW(struct fg_default);
            d->in_env = true;
            d->module = bp->mod;
            d->name = sp_intern(sp_fmt("__d%d", i));
            struct fg_value *c = b_at(fg_const_obj(FG_C_DEFAULT, d), f->defaults[i]->pos);
            f->defaults[i] = c;
            b_emit(fs, OP_SETATTR, pos, 3, b_slot(fs, objslot), b_name_const(d->name, pos), b_slot(fs, k++));
        }
        env = b_slot(fs, objslot);
        while (fs->slots.n > first)
            b_pop(fs);
    } else {
        env = b_env_for_children(fs, pos);
    }
    b_build_function(bp, f);
    return b_emit(fs, OP_MAKE_CLOSURE, pos, 2, b_at(fg_const_obj(FG_C_FUNC, f), pos), env);
}

/* A module-level def's defaults that are not constants: computed now, kept
 * in globals the calls that omit them read. */
void b_set_dyn_defaults(struct fstate *fs, struct fg_func *f)
{
    for (int i = 0; i < f->nparams; i++) {
        if (!f->defaults[i] || f->defaults[i]->ckind != FG_C_DEFAULT)
            continue;
        struct ast_node *a = f->def->args->posargs.n > i ? f->def->args->posargs.v[i]
                                                         : f->def->args->kwonlyargs.v[i - f->def->args->posargs.n];
        struct ast_node *e = a->value;
        struct fg_default *d = SP_NEW(struct fg_default);
        d->module = fs->bp->mod;
        d->name = sp_intern(sp_fmt("%s.<default %s>", f->qualname, f->params[i]));
        struct fg_value *c = b_at(fg_const_obj(FG_C_DEFAULT, d), f->defaults[i]->pos);
        f->defaults[i] = c;
        b_emit(fs, OP_SETGLOBAL, e->pos, 3, b_at(fg_const_obj(FG_C_MODULE, fs->bp->mod), e->pos),
               b_name_const(d->name, e->pos), b_expr(fs, e));
    }
}

static struct fg_func *build_module_code(struct bprog *bp, struct ast_node *module)
{
    struct fg_func *f = SP_NEW(struct fg_func);
    f->name = f->qualname = sp_intern("<module>");
    f->module = bp->mod;
    f->def = module;
    f->params = sp_alloc(sizeof(const char *));
    f->defaults = sp_alloc(sizeof(struct fg_value *));
    sp_vec_push(&bp->prog->allfuncs, f);
    struct fstate fs = {.bp = bp, .func = f, .is_module = true, .cells_slot = -1, .env_slot = -1};
    fs.g = f->graph = fg_newgraph(f->qualname, f, module->pos);
    fs.cur = fs.g->startblock;
    b_body(&fs, &module->body);
    finish_graph(&fs, end_pos(&module->body, module->pos));
    return f;
}

static struct fg_module *build_module(struct fg_program *prog, struct ast_node *ast, const char *name,
                                      const char *file, bool prelude, bool stdlib)
{
    if (!ast || ast->kind != AST_MODULE)
        sp_die("fg_build_program: not a module");
    struct bprog *bp = SP_NEW(struct bprog);
    bp->prog = prog;
    bp->mod = SP_NEW(struct fg_module);
    bp->mod->name = sp_intern(name);
    bp->mod->file = file;
    bp->mod->ast = ast;
    bp->mod->is_prelude = prelude;
    bp->mod->is_stdlib = stdlib;
    bp->mod->builder = bp;
    if (!prelude) {
        b_desugar(ast);
        b_bind_tasklets(ast);
    }
    scan_module(bp, &ast->body);
    find_class_constants(bp);
    bp->mod->init = build_module_code(bp, ast);
    /* after the modules it imports: module code runs in this order */
    sp_vec_push(&prog->modules, bp->mod);
    return bp->mod;
}

struct fg_module *b_build_module(struct fg_program *prog, struct ast_node *ast, const char *name, const char *file,
                                 bool stdlib)
{
    return build_module(prog, ast, name, file, false, stdlib);
}

struct fg_value *b_module_constant(struct bprog *bp, const char *name)
{
    return fg_ptrmap_get(&bp->constants, sp_intern(name));
}

struct fg_program *fg_build_program(struct ast_node *module, const char *file)
{
    struct fg_program *prog = SP_NEW(struct fg_program);
    const char *src = fg_prelude_source();
    struct ast_node *pre = ast_parse_string("<rpy prelude>", src, strlen(src));
    if (!pre)
        sp_die("the prelude does not parse");
    prog->prelude = build_module(prog, pre, "__rpy_prelude__", "<rpy prelude>", true, false);
    /* the entry file's folder is the first place imports look */
    const char *slash = strrchr(file, '/');
    b_set_entry_dir(slash ? sp_strndup(file, (size_t)(slash - file)) : ".");
    prog->main = build_module(prog, module, "__main__", file, false, false);
    /* The module code built every function it met; this is a safety net. */
    for (int i = 0; i < prog->allfuncs.n; i++) {
        struct fg_func *f = prog->allfuncs.v[i];
        b_build_function(f->module->builder, f);
    }
    return prog;
}

struct fg_func *fg_copy_function(struct fg_func *f)
{
    struct fg_func *c = SP_NEW(struct fg_func);
    *c = *f;
    c->graph = NULL;
    c->aux = NULL;
    b_build_function(f->module->builder, c);
    return c;
}

struct fg_func *fg_prelude_function(struct fg_program *prog, const char *name)
{
    name = sp_intern(name);
    for (int i = 0; prog->prelude && i < prog->prelude->funcs.n; i++) {
        struct fg_func *f = prog->prelude->funcs.v[i];
        if (f->name == name)
            return f;
    }
    return NULL;
}
