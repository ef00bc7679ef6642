/* build_state.c - the builder's variable state and block plumbing.
 *
 * Requires the fstate of builder.h; provides emitting ops into the current
 * block, creating blocks that take every slot as input, jumping and
 * switching (links pass a prefix of the slots), temporaries, and the
 * reading and writing of names according to Python's scoping as RPy
 * restricts it: comprehension variables first, then the function's
 * locals, then module globals and builtins through getglobal/setglobal.
 */
#include "builder.h"

#include <stdarg.h>
#include <string.h>

/* ---- constants and ops ---- */

struct fg_value *b_at(struct fg_value *c, struct srcpos pos)
{
    c->pos = pos;
    return c;
}

/* Names in ops (getglobal, getattr, call_method...) are compared by
 * pointer downstream, so the constant holds the interned string. */
struct fg_value *b_name_const(const char *name, struct srcpos pos)
{
    struct fg_value *c = fg_const_str(name, strlen(name));
    c->str = sp_intern(name);
    return b_at(c, pos);
}

struct fg_value *b_none(struct srcpos pos) { return b_at(fg_const_none(), pos); }

static bool is_test_op(enum fg_opcode opc)
{
    switch (opc) {
    case OP_LT: case OP_LE: case OP_EQ: case OP_NE: case OP_GT: case OP_GE:
    case OP_IS: case OP_IS_NOT: case OP_CONTAINS: case OP_NOT: case OP_BOOL:
        return true;
    default:
        return false;
    }
}

struct fg_value *b_emitv(struct fstate *fs, enum fg_opcode opc, struct srcpos pos, struct fg_value **args,
                         int nargs)
{
    b_ensure(fs);
    if (fs->comp_frame && !pos.frame)
        pos.frame = fs->comp_frame;
    struct fg_value *r = fg_newvar("v");
    r->pos = pos;
    fg_block_addop(fs->cur, fg_newop(opc, args, nargs, r, pos));
    if (is_test_op(opc))
        b_mark_test_result(fs, r);
    if (fs->ctxs.n && !fs->nosplit && (fg_op_flags(opc) & OPF_RAISE))
        r = b_split_raising(fs, r);
    return r;
}

struct fg_value *b_emit(struct fstate *fs, enum fg_opcode opc, struct srcpos pos, int nargs, ...)
{
    struct fg_value *args[8];
    SP_ASSERT(nargs <= 8);
    va_list ap;
    va_start(ap, nargs);
    for (int i = 0; i < nargs; i++)
        args[i] = va_arg(ap, struct fg_value *);
    va_end(ap);
    return b_emitv(fs, opc, pos, args, nargs);
}

/* ---- slots ---- */

static void push_slot(struct fstate *fs, struct fg_value *v, const char *name)
{
    sp_vec_push(&fs->slots, v);
    sp_vec_push(&fs->slotnames, (void *)name);
}

int b_push(struct fstate *fs, struct fg_value *v)
{
    push_slot(fs, v, "v");
    return fs->slots.n - 1;
}

void b_push_item(struct fstate *fs, struct fg_value *item, struct ast_node *target)
{
    const char *name = target->kind == AST_NAME ? target->name : "v";
    item->name = name;
    push_slot(fs, item, name);
}

struct fg_value *b_pop(struct fstate *fs)
{
    SP_ASSERT(fs->slots.n > fs->locals.n);
    sp_vec_pop(&fs->slotnames);
    return sp_vec_pop(&fs->slots);
}

struct fg_value *b_slot(struct fstate *fs, int i)
{
    SP_ASSERT(i >= 0 && i < fs->slots.n);
    return fs->slots.v[i];
}

/* ---- blocks and links ---- */

struct fg_block *b_newblock(struct fstate *fs)
{
    struct fg_block *b = fg_newblock(fs->g);
    for (int i = 0; i < fs->slots.n; i++)
        sp_vec_push(&b->inputargs, fg_newvar(fs->slotnames.v[i]));
    return b;
}

struct fg_block *b_newblock_exc(struct fstate *fs)
{
    push_slot(fs, fg_const_none(), "etype");
    push_slot(fs, fg_const_none(), "evalue");
    struct fg_block *b = b_newblock(fs);
    b_pop(fs);
    b_pop(fs);
    return b;
}

/* Enter a block of b_newblock_exc: (etype, evalue) become the top slots. */
void b_enter_exc(struct fstate *fs, struct fg_block *b)
{
    push_slot(fs, fg_const_none(), "etype");
    push_slot(fs, fg_const_none(), "evalue");
    b_enter(fs, b);
}

void b_enter(struct fstate *fs, struct fg_block *b)
{
    if (b->inputargs.n != fs->slots.n)
        sp_die("builder: entering a block of %d inputs with %d slots", b->inputargs.n, fs->slots.n);
    for (int i = 0; i < b->inputargs.n; i++)
        fs->slots.v[i] = b->inputargs.v[i];
    fs->cur = b;
}

/* Code after a return, break or raise is still built (its errors are
 * reported), into a block nothing links to; simplify drops it. */
void b_ensure(struct fstate *fs)
{
    if (!fs->cur)
        b_enter(fs, b_newblock(fs));
}

struct fg_link *b_link(struct fstate *fs, struct fg_block *target, struct fg_value *exitcase)
{
    if (target->inputargs.n > fs->slots.n)
        sp_die("builder: a link to a block of %d inputs from %d slots", target->inputargs.n, fs->slots.n);
    struct fg_link *l = fg_link_to(fs->cur, target, exitcase);
    for (int i = 0; i < target->inputargs.n; i++)
        sp_vec_push(&l->args, fs->slots.v[i]);
    return l;
}

struct fg_link *b_link_exc(struct fstate *fs, struct fg_block *target, struct fg_value *exitcase,
                           struct fg_value *etype, struct fg_value *evalue)
{
    int n = target->inputargs.n - 2;
    if (n < 0 || n > fs->slots.n)
        sp_die("builder: an exception link to a block of %d inputs from %d slots", n + 2, fs->slots.n);
    struct fg_link *l = fg_link_to(fs->cur, target, exitcase);
    for (int i = 0; i < n; i++)
        sp_vec_push(&l->args, fs->slots.v[i]);
    sp_vec_push(&l->args, etype);
    sp_vec_push(&l->args, evalue);
    return l;
}

void b_goto(struct fstate *fs, struct fg_block *target)
{
    if (!fs->cur)
        return;
    b_link(fs, target, NULL);
    fs->cur = NULL;
}

void b_goto_args(struct fstate *fs, struct fg_block *target, struct fg_value **args, int nargs)
{
    if (!fs->cur)
        return;
    SP_ASSERT(nargs == target->inputargs.n);
    struct fg_link *l = fg_link_to(fs->cur, target, NULL);
    for (int i = 0; i < nargs; i++)
        sp_vec_push(&l->args, args[i]);
    fs->cur = NULL;
}

/* exits[0] is the False case, exits[1] the True case. */
void b_switch(struct fstate *fs, struct fg_value *v, struct fg_block *iftrue, struct fg_block *iffalse)
{
    if (!fs->cur)
        return;
    SP_ASSERT(v->kind == FG_VAR);
    fs->cur->exitswitch = v;
    b_link(fs, iffalse, fg_const_bool(false));
    b_link(fs, iftrue, fg_const_bool(true));
    fs->cur = NULL;
}

/* Is v the result of an op that gives a truth value a switch can use
 * directly (so that no bool() is needed)? */
bool b_is_test_result(struct fstate *fs, struct fg_value *v)
{
    return fg_ptrmap_has(&fs->testvals, v);
}

void b_mark_test_result(struct fstate *fs, struct fg_value *v)
{
    fg_ptrmap_put(&fs->testvals, v, (void *)1);
}

void b_return(struct fstate *fs, struct fg_value *v, struct srcpos pos)
{
    struct fg_block *from = fs->cur;
    b_goto_args(fs, fs->g->returnblock, &v, 1);
    if (from) /* the return statement: where a check of v reports (unbound.c) */
        ((struct fg_link *)from->exits.v[from->exits.n - 1])->pos = pos;
}

void b_raise_value(struct fstate *fs, struct fg_value *exc, struct srcpos pos)
{
    struct fg_value *t = b_emit(fs, OP_EXC_TYPE, pos, 1, exc);
    b_raise(fs, t, exc, pos);
}

/* ---- names ---- */

static int comp_slot(struct fstate *fs, const char *name)
{
    for (struct compscope *c = fs->comp; c; c = c->outer)
        for (int i = 0; i < c->names.n; i++)
            if (c->names.v[i] == name)
                return (int)(intptr_t)c->slots.v[i];
    return -1;
}

static int local_slot(struct fstate *fs, const char *name)
{
    int k = comp_slot(fs, name);
    if (k >= 0)
        return k;
    if (fs->is_module || fg_ptrmap_has(&fs->globaldecl, name))
        return -1;
    return (int)(intptr_t)fg_ptrmap_get(&fs->localidx, name) - 1;
}

bool b_is_local_name(struct fstate *fs, const char *name)
{
    if (local_slot(fs, name) >= 0)
        return true;
    return !fs->is_module && fs->scope && !fg_ptrmap_has(&fs->globaldecl, name) &&
           (b_scope_is_cell(fs->scope, name) || b_scope_is_free(fs->scope, name));
}

static struct fg_value *module_const(struct fstate *fs, struct srcpos pos)
{
    return b_at(fg_const_obj(FG_C_MODULE, fs->bp->mod), pos);
}

/* ---- closures (build_scope.c) ---- */

struct fg_value *b_env_start(struct fstate *fs, struct srcpos pos)
{
    struct fg_value *env = b_slot(fs, fs->env_slot);
    if (fs->func->env_defaults) /* the defaults first, then the cells */
        env = b_emit(fs, OP_GETATTR, pos, 2, env, b_name_const("__up", pos));
    return env;
}

struct fg_value *b_env_for_children(struct fstate *fs, struct srcpos pos)
{
    if (fs->cells_slot >= 0)
        return b_slot(fs, fs->cells_slot);
    if (fs->env_slot >= 0 && fs->scope && fs->scope->frees.n)
        return b_env_start(fs, pos);
    return NULL;
}

/* The cell object holding name: this function's, or an enclosing one's
 * reached through the __env / __up chain. NULL: name is not a cell. */
static struct fg_value *cell_holder(struct fstate *fs, const char *name, struct srcpos pos)
{
    struct b_scope *s = fs->scope;
    if (fs->is_module || !s || comp_slot(fs, name) >= 0 || fg_ptrmap_has(&fs->globaldecl, name))
        return NULL;
    if (b_scope_is_cell(s, name))
        return b_slot(fs, fs->cells_slot);
    if (!b_scope_is_free(s, name))
        return NULL;
    struct b_scope *owner = b_scope_owner(s, name);
    struct fg_value *obj = b_env_start(fs, pos);
    for (struct b_scope *t = b_scope_env(s); t && t != owner; t = b_scope_env(t))
        obj = b_emit(fs, OP_GETATTR, pos, 2, obj, b_name_const("__up", pos));
    return obj;
}

/* Built-ins of Python that are outside the dialect: each has its own
 * message (an unknown name would read as a misspelling). */
static const char *unsupported_builtin(const char *name)
{
    static const char *const msgs[][2] = {
        {"eval", "eval() is not supported: it runs code chosen at run time, which cannot be compiled ahead of time"},
        {"exec", "exec() is not supported: it runs code chosen at run time, which cannot be compiled ahead of time"},
        {"compile", "compile() is not supported: code cannot be compiled at run time"},
        {"getattr", "getattr() is not supported: attribute names must be known at compile time (write obj.name)"},
        {"setattr", "setattr() is not supported: attribute names must be known at compile time (write obj.name = value)"},
        {"delattr", "delattr() is not supported: attribute names must be known at compile time (write del obj.name)"},
        {"hasattr", "hasattr() is not supported: the attributes of an object are fixed at compile time (use isinstance)"},
        {"vars", "vars() is not supported: the attributes of an object are fixed at compile time, not a dict"},
        {"globals", "globals() is not supported: variables are fixed at compile time, not a dict"},
        {"locals", "locals() is not supported: variables are fixed at compile time, not a dict"},
        {"__import__", "__import__() is not supported: imports must be import statements naming the module"},
        {"type", "type() is not supported: a value's class is known at compile time (use isinstance)"},
    };
    for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++)
        if (strcmp(name, msgs[i][0]) == 0)
            return msgs[i][1];
    return NULL;
}

/* The first name node among targets t that is `name`, or NULL. */
static const struct ast_node *target_named(const struct ast_node *t, const char *name)
{
    if (!t)
        return NULL;
    if (t->kind == AST_NAME)
        return t->name == name ? t : NULL;
    if (t->kind == AST_STARRED)
        return target_named(t->value, name);
    if (t->kind == AST_TUPLE || t->kind == AST_LIST)
        for (int i = 0; i < t->elts.n; i++) {
            const struct ast_node *n = target_named(t->elts.v[i], name);
            if (n)
                return n;
        }
    return NULL;
}

/* Where the statements of body (not nested functions) first bind name. */
static const struct srcpos *first_binding(const struct ast_list *body, const char *name)
{
    for (int i = 0; i < body->n; i++) {
        const struct ast_node *s = body->v[i], *t = NULL;
        switch (s->kind) {
        case AST_ASSIGN:
            for (int k = 0; k < s->targets.n && !t; k++)
                t = target_named(s->targets.v[k], name);
            break;
        case AST_AUGASSIGN: case AST_ANNASSIGN: case AST_FOR:
            t = target_named(s->target, name);
            break;
        case AST_WITH:
            for (int k = 0; k < s->items.n && !t; k++)
                t = target_named(s->items.v[k]->target, name);
            break;
        case AST_FUNCTIONDEF: case AST_CLASSDEF:
            if (s->name == name)
                return &s->pos;
            continue;
        default:
            break;
        }
        if (t)
            return &t->pos;
        const struct ast_list *parts[] = {&s->body, &s->orelse, &s->finalbody};
        for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
            const struct srcpos *p = first_binding(parts[k], name);
            if (p)
                return p;
        }
        for (int k = 0; k < s->handlers.n; k++) {
            const struct ast_node *h = s->handlers.v[k];
            const struct srcpos *p = h->asname == name ? &h->pos : first_binding(&h->body, name);
            if (p)
                return p;
        }
    }
    return NULL;
}

/* A local read where no path has assigned it yet (CPython's
 * UnboundLocalError, whenever the line runs): a compile-time error. */
static void unbound_local(struct fstate *fs, struct ast_node *node)
{
    const char *name = node->name, *fname = fs->func->qualname;
    if (fg_ptrmap_has(&fs->bp->globalset, name))
        sp_error(node->pos, "local variable '%s' is read before it is assigned (%s() assigns it, so it is local "
                            "there; to use the module's '%s', declare 'global %s' in %s())",
                 name, fname, name, name, fname);
    else
        sp_error(node->pos, "local variable '%s' is read before it is assigned", name);
    const struct srcpos *at = fs->func->def ? first_binding(&fs->func->def->body, name) : NULL;
    if (at && (at->line != node->pos.line || at->file != node->pos.file))
        sp_note(*at, "'%s' is assigned here", name);
}

/* A cell variable's "bound" flag: an attribute of the cell object beside
 * it, False until the variable is first assigned (objects start zeroed),
 * so that reading it before then raises as CPython does, instead of
 * reading a zero (flowgraph/unbound.c does the same for plain locals). */
const char *b_cell_flag(const char *name) { return sp_intern(sp_fmt("__bound_%s", name)); }

struct fg_value *b_load_name(struct fstate *fs, struct ast_node *node)
{
    const char *name = node->name;
    struct fg_value *cells = cell_holder(fs, name, node->pos);
    if (cells) {
        int keep = b_push(fs, cells);
        struct fg_value *flag = b_emit(fs, OP_GETATTR, node->pos, 2, cells, b_name_const(b_cell_flag(name), node->pos));
        /* its own cell: UnboundLocalError; an enclosing function's: NameError */
        const char *what = b_scope_is_cell(fs->scope, name) ? name : sp_fmt("free:%s", name);
        b_emit(fs, OP_CHECK_BOUND, node->pos, 2, flag, b_at(fg_const_str(what, strlen(what)), node->pos));
        cells = b_slot(fs, keep);
        b_pop(fs);
        return b_emit(fs, OP_GETATTR, node->pos, 2, cells, b_name_const(name, node->pos));
    }
    int k = local_slot(fs, name);
    if (k >= 0) {
        struct fg_value *v = b_slot(fs, k);
        if (v->kind == FG_CONST && v->ckind == FG_C_UNDEFINED && !fs->is_module && comp_slot(fs, name) < 0 &&
            fs->cur) {
            unbound_local(fs, node);
            return b_none(node->pos);
        }
        return v;
    }
    if (!fg_ptrmap_has(&fs->bp->globalset, name) && !b_is_builtin_name(name) &&
        !(fs->bp->mod->is_prelude && b_is_prelude_primitive(name))) {
        const char *why = unsupported_builtin(name);
        if (why)
            sp_error(node->pos, "%s", why);
        else if (!fs->bp->star_import)
            sp_error(node->pos, "name '%s' is not defined", name);
        return b_none(node->pos);
    }
    return b_emit(fs, OP_GETGLOBAL, node->pos, 2, module_const(fs, node->pos), b_name_const(name, node->pos));
}

/* `x = f()`: a temporary just made in this block (the op's result, or a
 * join block's input) takes the local's name, so that the dump reads
 * x_0 = simple_call(...) rather than v7. */
static bool defined_here(struct fstate *fs, struct fg_value *v)
{
    struct fg_block *b = fs->cur;
    if (v->kind != FG_VAR || !fg_is_temp_name(v->name) || !b)
        return false;
    if (b->ops.n && ((struct fg_op *)b->ops.v[b->ops.n - 1])->result == v)
        return true;
    for (int i = 0; i < b->inputargs.n; i++)
        if (b->inputargs.v[i] == v)
            return true;
    return false;
}

void b_unbind_local(struct fstate *fs, const char *name)
{
    int k = local_slot(fs, name);
    if (k >= 0)
        fs->slots.v[k] = fg_const_undefined();
}

void b_store_name(struct fstate *fs, const char *name, struct srcpos pos, struct fg_value *v)
{
    if (!fs->is_module && fs->scope && (b_scope_is_cell(fs->scope, name) || b_scope_is_free(fs->scope, name))) {
        int keep = b_push(fs, v); /* reaching the cells may emit ops */
        struct fg_value *cells = cell_holder(fs, name, pos);
        v = b_slot(fs, keep);
        b_pop(fs);
        if (cells) {
            int keepc = b_push(fs, cells);
            b_emit(fs, OP_SETATTR, pos, 3, cells, b_name_const(name, pos), v);
            cells = b_slot(fs, keepc);
            b_pop(fs);
            b_emit(fs, OP_SETATTR, pos, 3, cells, b_name_const(b_cell_flag(name), pos), b_at(fg_const_bool(true), pos));
            return;
        }
    }
    int k = local_slot(fs, name);
    if (k < 0) {
        /* a module-level name bound once to a constant: importers fold it */
        if (fs->is_module && v->kind == FG_CONST && (intptr_t)fg_ptrmap_get(&fs->bp->nbindings, name) == 1)
            fg_ptrmap_put(&fs->bp->constants, name, v);
        b_emit(fs, OP_SETGLOBAL, pos, 3, module_const(fs, pos), b_name_const(name, pos), v);
        return;
    }
    if (defined_here(fs, v))
        v->name = name;
    else if (v->kind == FG_CONST && (v->ckind == FG_C_NONE || v->ckind == FG_C_INT || v->ckind == FG_C_FLOAT ||
                                     v->ckind == FG_C_BOOL || v->ckind == FG_C_STR)) {
        /* a copy: the literal may be a module constant read elsewhere too */
        struct fg_value *c = SP_NEW(struct fg_value);
        *c = *v;
        c->bound_as = name;
        v = c;
    }
    fs->slots.v[k] = v;
}

/* ---- comprehension scopes ---- */

static void comp_targets(struct compscope *c, struct ast_node *t)
{
    if (!t)
        return;
    switch (t->kind) {
    case AST_NAME:
        for (int i = 0; i < c->names.n; i++)
            if (c->names.v[i] == t->name)
                return;
        sp_vec_push(&c->names, (void *)t->name);
        break;
    case AST_TUPLE:
    case AST_LIST:
        for (int i = 0; i < t->elts.n; i++)
            comp_targets(c, t->elts.v[i]);
        break;
    case AST_STARRED:
        comp_targets(c, t->value);
        break;
    default:
        break;
    }
}

/* The targets of a comprehension's `for` clauses become slots of their
 * own: a comprehension variable never touches a local of the same name. */
void b_comp_push(struct fstate *fs, struct ast_list *generators)
{
    struct compscope *c = SP_NEW(struct compscope);
    for (int i = 0; i < generators->n; i++)
        comp_targets(c, generators->v[i]->target);
    for (int i = 0; i < c->names.n; i++) {
        push_slot(fs, fg_const_undefined(), c->names.v[i]);
        sp_vec_push(&c->slots, (void *)(intptr_t)(fs->slots.n - 1));
    }
    c->outer = fs->comp;
    fs->comp = c;
}

void b_comp_pop(struct fstate *fs)
{
    struct compscope *c = fs->comp;
    SP_ASSERT(c && fs->slots.n - c->names.n == (c->names.n ? (int)(intptr_t)c->slots.v[0] : fs->slots.n));
    for (int i = 0; i < c->names.n; i++)
        b_pop(fs);
    fs->comp = c->outer;
}
