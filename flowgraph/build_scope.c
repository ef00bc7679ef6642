/* build_scope.c - which variables nested functions share (closures).
 *
 * Before the builder builds a top-level def (a module-level function or a
 * method), it analyses the def and every function nested in it (defs,
 * lambdas, generator expressions) as Python's symbol table does: a name a
 * nested scope reads or writes (`nonlocal`) that is not its own, and that
 * an enclosing function binds, is a *free* variable of the nested scope
 * and of every scope in between, and a *cell* of the function that binds
 * it. Module-level names stay globals.
 *
 * The builder then keeps a function's cells in a cell object (an instance
 * of a class of its own, one attribute per cell; the annotator types the
 * attributes like any instance's), created on entry. A nested function
 * that has free variables (or defaults evaluated at run time) is a
 * closure: its first parameter, __env, is the cell object of the nearest
 * enclosing scope that has one, and cell objects of closures link to
 * their own __env through the attribute __up, so every free variable is a
 * chain of attribute reads away (build_state.c).
 *
 * List, set and dict comprehensions are built inline in their function:
 * their variables are not the function's locals, and a nested scope
 * reading one is reported (a limitation).
 */
#include "builder.h"

#include <string.h>

static void set_add(struct sp_vec *list, struct fg_ptrmap *set, const char *name)
{
    if (fg_ptrmap_has(set, name))
        return;
    fg_ptrmap_put(set, name, (void *)1);
    sp_vec_push(list, (void *)name);
}

static struct b_scope *new_scope(struct bprog *bp, const struct ast_node *node, struct b_scope *parent)
{
    struct b_scope *s = SP_NEW(struct b_scope);
    s->node = node;
    s->parent = parent;
    if (parent)
        sp_vec_push(&parent->children, s);
    fg_ptrmap_put(&bp->scopes, node, s);
    return s;
}

static void add_local(struct b_scope *s, const char *name) { set_add(&s->locals, &s->localset, name); }

struct walk {
    struct bprog *bp;
    struct b_scope *scope;
};

static bool walk_node(void *ctx, const char *role, int index, const struct ast_node *n);
static void analyse(struct bprog *bp, const struct ast_node *node, struct b_scope *parent);

static void walk(struct walk *w, const struct ast_node *n)
{
    if (n)
        walk_node(w, NULL, -1, n);
}

static void walk_list(struct walk *w, const struct ast_list *l)
{
    for (int i = 0; i < l->n; i++)
        walk(w, l->v[i]);
}

/* A def's or lambda's defaults belong to the enclosing scope. */
static void walk_defaults(struct walk *w, const struct ast_node *args)
{
    for (int i = 0; args && i < args->posargs.n; i++)
        walk(w, args->posargs.v[i]->value);
    for (int i = 0; args && i < args->kwonlyargs.n; i++)
        walk(w, args->kwonlyargs.v[i]->value);
}

static void comp_target_names(struct b_scope *s, const struct ast_node *t)
{
    if (!t)
        return;
    if (t->kind == AST_NAME)
        fg_ptrmap_put(&s->compnames, t->name, (void *)1);
    for (int i = 0; i < t->elts.n; i++)
        comp_target_names(s, t->elts.v[i]);
    if (t->kind == AST_STARRED)
        comp_target_names(s, t->value);
}

static void target_locals(struct b_scope *s, const struct ast_node *t)
{
    if (!t)
        return;
    if (t->kind == AST_NAME)
        add_local(s, t->name);
    for (int i = 0; i < t->elts.n; i++)
        target_locals(s, t->elts.v[i]);
    if (t->kind == AST_STARRED)
        target_locals(s, t->value);
}

static bool walk_node(void *ctx, const char *role, int index, const struct ast_node *n)
{
    (void)role;
    (void)index;
    struct walk *w = ctx;
    if (!n)
        return true;
    switch (n->kind) {
    case AST_NAME:
        sp_vec_push(&w->scope->uses, (void *)n);
        return true;
    case AST_FUNCTIONDEF:
        walk_defaults(w, n->args);
        walk_list(w, &n->decorators);
        analyse(w->bp, n, w->scope);
        return true;
    case AST_CLASSDEF:
        return true; /* not supported inside functions (build_stmt.c says so) */
    case AST_LAMBDA:
        walk_defaults(w, n->args);
        analyse(w->bp, n, w->scope);
        return true;
    case AST_GENEXP:
        /* the first iterable is evaluated where the expression is */
        if (n->generators.n)
            walk(w, n->generators.v[0]->iter);
        analyse(w->bp, n, w->scope);
        return true;
    case AST_LISTCOMP:
    case AST_SETCOMP:
    case AST_DICTCOMP:
        for (int i = 0; i < n->generators.n; i++)
            comp_target_names(w->scope, n->generators.v[i]->target);
        return ast_each_child(n, walk_node, w);
    default:
        return ast_each_child(n, walk_node, w);
    }
}

static void analyse(struct bprog *bp, const struct ast_node *node, struct b_scope *parent)
{
    struct b_scope *s = new_scope(bp, node, parent);
    struct walk w = {bp, s};
    const struct ast_node *args = node->kind == AST_GENEXP ? NULL : node->args;
    if (node->kind == AST_GENEXP)
        add_local(s, sp_intern(".0")); /* the first iterable, its parameter */
    for (int i = 0; args && i < args->posargs.n; i++)
        add_local(s, args->posargs.v[i]->name);
    for (int i = 0; args && i < args->kwonlyargs.n; i++)
        add_local(s, args->kwonlyargs.v[i]->name);
    if (args && args->vararg)
        add_local(s, args->vararg->name);
    switch (node->kind) {
    case AST_FUNCTIONDEF: {
        struct sp_vec bound, globals, nonlocals;
        b_body_names((struct ast_list *)&node->body, &bound, &globals, &nonlocals);
        for (int i = 0; i < globals.n; i++)
            fg_ptrmap_put(&s->globals, globals.v[i], (void *)1);
        for (int i = 0; i < nonlocals.n; i++)
            set_add(&s->nonlocals, &s->nonlocalset, nonlocals.v[i]);
        for (int i = 0; i < bound.n; i++)
            if (!fg_ptrmap_has(&s->globals, bound.v[i]) && !fg_ptrmap_has(&s->nonlocalset, bound.v[i]))
                add_local(s, bound.v[i]);
        walk_list(&w, &node->body);
        break;
    }
    case AST_LAMBDA:
        walk(&w, node->value);
        break;
    case AST_GENEXP:
        for (int i = 0; i < node->generators.n; i++) {
            struct ast_node *g = node->generators.v[i];
            target_locals(s, g->target); /* the loop targets are its own locals */
            if (i > 0)
                walk(&w, g->iter);
            walk_list(&w, &g->ifs);
        }
        walk(&w, node->elt);
        break;
    default:
        break;
    }
}

/* The scope that binds name as seen from s (s itself excluded), or NULL
 * for a global. */
static struct b_scope *owner_above(struct b_scope *s, const char *name)
{
    for (struct b_scope *p = s->parent; p; p = p->parent)
        if (fg_ptrmap_has(&p->localset, name))
            return p;
    return NULL;
}

static void resolve(struct b_scope *s)
{
    for (int i = 0; i < s->children.n; i++)
        resolve(s->children.v[i]);
    struct sp_vec names = {0};
    for (int i = 0; i < s->uses.n; i++)
        sp_vec_push(&names, (void *)((struct ast_node *)s->uses.v[i])->name);
    for (int i = 0; i < s->nonlocals.n; i++)
        sp_vec_push(&names, s->nonlocals.v[i]);
    for (int i = 0; i < names.n; i++) {
        const char *name = names.v[i];
        if (fg_ptrmap_has(&s->localset, name) || fg_ptrmap_has(&s->globals, name))
            continue;
        if (fg_ptrmap_has(&s->compnames, name) && !fg_ptrmap_has(&s->nonlocalset, name))
            continue; /* a comprehension variable of this very scope */
        struct b_scope *owner = owner_above(s, name);
        if (!owner)
            continue; /* a global or a builtin */
        for (struct b_scope *p = s; p != owner; p = p->parent)
            set_add(&p->frees, &p->freeset, name);
        set_add(&owner->cells, &owner->cellset, name);
    }
    /* A variable of a comprehension built inline in an enclosing scope:
     * a generator expression gets it as an extra argument (it is made and
     * called right there); a lambda or def cannot. */
    for (int i = 0; i < s->uses.n; i++) {
        struct ast_node *u = s->uses.v[i];
        if (fg_ptrmap_has(&s->localset, u->name) || fg_ptrmap_has(&s->freeset, u->name) ||
            fg_ptrmap_has(&s->globals, u->name) || owner_above(s, u->name))
            continue;
        struct b_scope *holder = NULL;
        for (struct b_scope *p = s->parent; p && !holder; p = p->parent)
            if (fg_ptrmap_has(&p->compnames, u->name))
                holder = p;
        if (!holder)
            continue;
        bool ok = true;
        for (struct b_scope *p = s; p != holder && ok; p = p->parent)
            ok = p->node->kind == AST_GENEXP;
        if (!ok) {
            sp_error(u->pos,
                     "a function nested in a comprehension that reads the comprehension's variable '%s' is not "
                     "supported yet (pass it as a default value: %s=%s)",
                     u->name, u->name, u->name);
            continue;
        }
        for (struct b_scope *p = s; p != holder; p = p->parent) {
            if (!fg_ptrmap_has(&p->localset, u->name))
                sp_vec_push(&p->compargs, (void *)u->name);
            add_local(p, u->name);
        }
    }
}

void b_analyse_scopes(struct bprog *bp, const struct ast_node *def) { b_analyse_scopes_in(bp, def, NULL); }

void b_analyse_scopes_in(struct bprog *bp, const struct ast_node *def, const struct sp_vec *compnames)
{
    if (fg_ptrmap_has(&bp->scopes, def))
        return;
    /* module code is no scope, but its comprehensions' variables can be
     * read by a generator expression in them: a stand-in parent holds them */
    struct b_scope *outer = NULL;
    if (compnames && compnames->n) {
        outer = SP_NEW(struct b_scope);
        outer->node = def;
        for (int i = 0; i < compnames->n; i++)
            fg_ptrmap_put(&outer->compnames, compnames->v[i], (void *)1);
    }
    analyse(bp, def, outer);
    resolve(fg_ptrmap_get(&bp->scopes, def));
}

struct b_scope *b_scope_of(struct bprog *bp, const struct ast_node *node)
{
    return fg_ptrmap_get(&bp->scopes, node);
}

bool b_scope_is_cell(const struct b_scope *s, const char *name) { return s && fg_ptrmap_has(&s->cellset, name); }
bool b_scope_is_free(const struct b_scope *s, const char *name) { return s && fg_ptrmap_has(&s->freeset, name); }

struct b_scope *b_scope_env(const struct b_scope *s)
{
    for (struct b_scope *p = s ? s->parent : NULL; p; p = p->parent)
        if (p->cells.n)
            return p;
    return NULL;
}

struct b_scope *b_scope_owner(const struct b_scope *s, const char *name) { return owner_above((struct b_scope *)s, name); }
