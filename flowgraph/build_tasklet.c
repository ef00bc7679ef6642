/* build_tasklet.c - `tasklet(func)(args)` of rpy.tasklets, bound at once.
 *
 * Requires: the AST of a module, before scope analysis. Provides: in a
 * module that imports rpy.tasklets, every call `T(F)(A0, .., k=K)` whose
 * callee T is the name `tasklet` (or an attribute `.tasklet`) becomes
 *
 *     T(lambda _rpy_f=F, _rpy_a0=A0, .., _rpy_k0=K: (_rpy_f(_rpy_a0, .., k=_rpy_k0), None)[1])
 *
 * so the compiled rpy.tasklets receives one callable of no arguments that
 * returns None (a tasklet's result is dropped; without the [1], tasklet
 * functions returning int and None could not share one signature).
 * Stackless binds a tasklet's function and arguments of any types, which
 * one attribute of one type could not hold; a lambda whose defaults are
 * the values keeps them per tasklet (lambda defaults are computed when
 * the lambda is made, into its own environment), evaluated in CPython's
 * order (F, then the arguments), and all such lambdas share the
 * signature () -> result. `tasklet(F)` not called at once has no such
 * form and is an error.
 */
#include "builder.h"

#include <string.h>

static bool is_tasklet_name(const struct ast_node *f)
{
    const char *t = sp_intern("tasklet");
    return (f->kind == AST_NAME && f->name == t) || (f->kind == AST_ATTRIBUTE && f->name == t);
}

static bool imports_tasklets(const struct ast_node *module)
{
    const char *m = sp_intern("rpy.tasklets");
    for (int i = 0; i < module->body.n; i++) {
        const struct ast_node *s = module->body.v[i];
        if (s->kind == AST_IMPORTFROM && s->name == m)
            return true;
        if (s->kind == AST_IMPORT)
            for (int k = 0; k < s->names.n; k++)
                if (((struct ast_node *)s->names.v[k])->name == m)
                    return true;
    }
    return false;
}

static struct ast_node *name_node(const char *name, struct srcpos pos)
{
    struct ast_node *n = ast_new(AST_NAME, pos);
    n->name = sp_intern(name);
    return n;
}

static struct ast_node *param(struct ast_node *args, const char *name, struct ast_node *dflt)
{
    struct ast_node *a = ast_new(AST_ARG, dflt->pos);
    a->name = sp_intern(name);
    a->value = dflt;
    ast_list_push(&args->posargs, a);
    return name_node(name, dflt->pos);
}

/* outer = T(F)(args...): rewrite it in place. */
static void bind(struct ast_node *outer)
{
    struct ast_node *inner = outer->func;
    struct srcpos pos = outer->pos;
    struct ast_node *lam = ast_new(AST_LAMBDA, pos);
    lam->args = ast_new(AST_ARGUMENTS, pos);
    struct ast_node *call = ast_new(AST_CALL, pos);
    call->func = param(lam->args, "_rpy_f", inner->callargs.v[0]);
    for (int i = 0; i < outer->callargs.n; i++) {
        struct ast_node *a = outer->callargs.v[i];
        if (a->kind == AST_STARRED) {
            sp_error(a->pos, "tasklet(func)(*args) is not supported: pass the arguments one by one");
            return;
        }
        ast_list_push(&call->callargs, param(lam->args, sp_fmt("_rpy_a%d", i), a));
    }
    for (int i = 0; i < outer->keywords.n; i++) {
        struct ast_node *kw = outer->keywords.v[i];
        if (!kw->name) {
            sp_error(kw->pos, "tasklet(func)(**kwargs) is not supported: pass the arguments one by one");
            return;
        }
        struct ast_node *k = ast_new(AST_KEYWORD, kw->pos);
        k->name = kw->name;
        k->value = param(lam->args, sp_fmt("_rpy_k%d", i), kw->value);
        ast_list_push(&call->keywords, k);
    }
    struct ast_node *pair = ast_new(AST_TUPLE, pos);
    ast_list_push(&pair->elts, call);
    struct ast_node *none = ast_new(AST_CONSTANT, pos);
    none->const_kind = AST_CONST_NONE;
    ast_list_push(&pair->elts, none);
    struct ast_node *second = ast_new(AST_SUBSCRIPT, pos);
    second->value = pair;
    second->index = ast_new(AST_CONSTANT, pos);
    second->index->const_kind = AST_CONST_INT;
    second->index->ival = 1;
    lam->value = second;
    outer->func = inner->func;
    outer->callargs = (struct ast_list){0};
    outer->keywords = (struct ast_list){0};
    ast_list_push(&outer->callargs, lam);
}

static bool visit(void *ctx, const char *role, int index, const struct ast_node *child);

static void walk(struct ast_node *n)
{
    if (n->kind == AST_CALL && n->func && n->func->kind == AST_CALL && is_tasklet_name(n->func->func) &&
        n->func->callargs.n == 1 && n->func->keywords.n == 0 && n->func->callargs.v[0]->kind != AST_STARRED) {
        bind(n);
        ast_each_child(n, visit, NULL);
        return;
    }
    if (n->kind == AST_CALL && is_tasklet_name(n->func))
        sp_error(n->pos, "tasklet(func) must be called at once with the tasklet's arguments: tasklet(func)(args)");
    ast_each_child(n, visit, NULL);
}

static bool visit(void *ctx, const char *role, int index, const struct ast_node *child)
{
    (void)ctx, (void)role, (void)index;
    if (child)
        walk((struct ast_node *)child);
    return true;
}

void b_bind_tasklets(struct ast_node *module)
{
    if (imports_tasklets(module))
        walk(module);
}
