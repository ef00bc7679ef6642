/* build_desugar.c - small rewrites of the AST into constructs the builder
 * has.
 *
 * Requires: the AST of a module, before scope analysis. Provides:
 *
 *     str.M(x, args...)   ->  x.M(args...)
 *     str.M  (a value)    ->  lambda _rpy_s: _rpy_s.M()
 *
 * for M a method of str that takes no argument (the value form) or any
 * (the call form), so `sorted(words, key=str.lower)` and
 * `map(str.strip, lines)` work: RPy has no unbound methods of built-in
 * types, and each of these is what the method does with its receiver.
 * A module that binds the name `str` itself is left alone.
 *
 *     yield from X  (a statement)  ->  for _rpy_yfN in X: yield _rpy_yfN
 *
 * which is what it does when nothing is sent into the generator (RPy
 * generators have no send()); `v = yield from X`, which needs the
 * subgenerator's return value, stays unsupported.
 */
#include "builder.h"

#include <string.h>

/* The methods of str that need no argument besides the receiver. */
static const char *const unary_methods[] = {
    "lower", "upper", "strip", "lstrip", "rstrip", "title", "capitalize", "swapcase", "casefold", "split",
    "splitlines", "isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "istitle", "isdecimal",
    "isnumeric", NULL,
};

static bool is_str_attr(const struct ast_node *n)
{
    return n->kind == AST_ATTRIBUTE && n->value && n->value->kind == AST_NAME && n->value->name == sp_intern("str");
}

static bool unary(const char *name)
{
    for (int i = 0; unary_methods[i]; i++)
        if (!strcmp(unary_methods[i], name))
            return true;
    return false;
}

static bool visit(void *ctx, const char *role, int index, const struct ast_node *child);

static bool rewrite_strs;

/* Each `yield from X` statement of list l becomes a for loop. */
static void yield_froms(struct ast_list *l)
{
    static int counter;
    for (int i = 0; i < l->n; i++) {
        struct ast_node *st = l->v[i];
        if (st->kind != AST_EXPR || !st->value || st->value->kind != AST_YIELDFROM)
            continue;
        struct srcpos pos = st->pos;
        const char *var = sp_intern(sp_fmt("_rpy_yf%d", ++counter));
        struct ast_node *loop = ast_new(AST_FOR, pos), *target = ast_new(AST_NAME, pos);
        struct ast_node *item = ast_new(AST_NAME, pos), *y = ast_new(AST_YIELD, pos), *ex = ast_new(AST_EXPR, pos);
        target->name = item->name = var;
        loop->target = target;
        loop->iter = st->value->value;
        y->value = item;
        ex->value = y;
        ast_list_push(&loop->body, ex);
        l->v[i] = loop;
    }
}

static void walk(struct ast_node *n)
{
    yield_froms(&n->body);
    yield_froms(&n->orelse);
    yield_froms(&n->finalbody);
    if (!rewrite_strs) {
        ast_each_child(n, visit, NULL);
        return;
    }
    if (n->kind == AST_CALL && is_str_attr(n->func) && n->callargs.n >= 1 &&
        n->callargs.v[0]->kind != AST_STARRED) {
        /* str.M(x, ...) -> x.M(...) */
        struct ast_node *recv = n->callargs.v[0];
        n->func->value = recv;
        memmove(n->callargs.v, n->callargs.v + 1, sizeof n->callargs.v[0] * (size_t)(n->callargs.n - 1));
        n->callargs.n--;
    } else if (is_str_attr(n) && unary(n->name)) {
        /* str.M -> lambda _rpy_s: _rpy_s.M() */
        struct srcpos pos = n->pos;
        const char *method = n->name;
        struct ast_node *arg = ast_new(AST_ARG, pos), *self = ast_new(AST_NAME, pos);
        arg->name = self->name = sp_intern("_rpy_s");
        struct ast_node *attr = ast_new(AST_ATTRIBUTE, pos), *call = ast_new(AST_CALL, pos);
        attr->value = self;
        attr->name = method;
        call->func = attr;
        n->kind = AST_LAMBDA;
        n->name = NULL;
        n->args = ast_new(AST_ARGUMENTS, pos);
        ast_list_push(&n->args->posargs, arg);
        n->value = call;
        return;
    }
    ast_each_child(n, visit, NULL);
}

static bool visit(void *ctx, const char *role, int index, const struct ast_node *child)
{
    (void)ctx, (void)role, (void)index;
    if (child)
        walk((struct ast_node *)child);
    return true;
}

/* Whether the module binds `str` at its top level (then str is not the
 * built-in there). */
static bool binds_str(const struct ast_node *module)
{
    const char *s = sp_intern("str");
    for (int i = 0; i < module->body.n; i++) {
        const struct ast_node *st = module->body.v[i];
        if ((st->kind == AST_FUNCTIONDEF || st->kind == AST_CLASSDEF) && st->name == s)
            return true;
        if (st->kind == AST_ASSIGN)
            for (int k = 0; k < st->targets.n; k++) {
                const struct ast_node *t = st->targets.v[k];
                if (t->kind == AST_NAME && t->name == s)
                    return true;
            }
    }
    return false;
}

void b_desugar(struct ast_node *module)
{
    rewrite_strs = !binds_str(module);
    walk(module);
}
