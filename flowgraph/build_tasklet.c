/* build_tasklet.c - the callables given to rpy.tasklets, rpy.thread and
 * rpy.transaction, bound where they are given.
 *
 * Requires: the AST of a module, before scope analysis. Provides, in a
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
 * signature () -> None. `tasklet(F)` not called at once has no such form
 * and is an error.
 *
 * The same binding, for the same reason: `start_new_thread(F, (A0, ..))`
 * in a module that imports rpy.thread becomes
 * `start_new_thread(<binder>, ())`, and `transaction.add(F, A0, ..)` in one
 * that imports rpy.transaction becomes `transaction.add(<binder>)`. In a
 * module that imports rpy.thread, `time.sleep(x)` becomes
 * `_rpy_thread_sleep(x)` (rpy.thread's _sleep, imported under that name):
 * threads are green threads, and sleeping is where they let the others
 * run.
 */
#include "builder.h"

#include <string.h>

static bool is_name(const struct ast_node *f, const char *name)
{
    const char *t = sp_intern(name);
    return (f->kind == AST_NAME && f->name == t) || (f->kind == AST_ATTRIBUTE && f->name == t);
}

static bool is_tasklet_name(const struct ast_node *f) { return is_name(f, "tasklet"); }

/* Whether the module imports rpy.<sub>: import rpy.sub, from rpy.sub
 * import ..., or from rpy import sub. */
static bool imports(const struct ast_node *module, const char *sub)
{
    const char *m = sp_intern(sp_fmt("rpy.%s", sub)), *rpy = sp_intern("rpy"), *name = sp_intern(sub);
    for (int i = 0; i < module->body.n; i++) {
        const struct ast_node *s = module->body.v[i];
        if (s->kind == AST_IMPORTFROM && s->name == m)
            return true;
        if (s->kind == AST_IMPORTFROM && s->name == rpy)
            for (int k = 0; k < s->names.n; k++)
                if (((struct ast_node *)s->names.v[k])->name == name)
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

/* lambda _rpy_f=F, _rpy_a0=args[0], ..: (_rpy_f(_rpy_a0, .., k=..), None)[1],
 * or NULL after an error (what names the construct in its messages). */
static struct ast_node *binder(struct ast_node *f, struct ast_node **args, int nargs, struct ast_list *kws,
                               struct srcpos pos, const char *what)
{
    struct ast_node *lam = ast_new(AST_LAMBDA, pos);
    lam->name = sp_intern(FG_BINDER_NAME); /* tracebacks leave its frame out (exceptions.c) */
    lam->args = ast_new(AST_ARGUMENTS, pos);
    struct ast_node *call = ast_new(AST_CALL, pos);
    call->func = param(lam->args, "_rpy_f", f);
    for (int i = 0; i < nargs; i++) {
        struct ast_node *a = args[i];
        if (a->kind == AST_STARRED) {
            sp_error(a->pos, "%s with *args is not supported: pass the arguments one by one", what);
            return NULL;
        }
        ast_list_push(&call->callargs, param(lam->args, sp_fmt("_rpy_a%d", i), a));
    }
    for (int i = 0; kws && i < kws->n; i++) {
        struct ast_node *kw = kws->v[i];
        if (!kw->name) {
            sp_error(kw->pos, "%s with **kwargs is not supported: pass the arguments one by one", what);
            return NULL;
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
    return lam;
}

/* outer = T(F)(args...): rewrite it in place. */
static void bind(struct ast_node *outer)
{
    struct ast_node *inner = outer->func;
    struct ast_node *lam = binder(inner->callargs.v[0], outer->callargs.v, outer->callargs.n, &outer->keywords,
                                  outer->pos, "tasklet(func)(args)");
    if (!lam)
        return;
    outer->func = inner->func;
    outer->callargs = (struct ast_list){0};
    outer->keywords = (struct ast_list){0};
    ast_list_push(&outer->callargs, lam);
}

/* start_new_thread(F, (A, ..)): the tuple must be a display, to bind each. */
static void bind_thread(struct ast_node *n)
{
    if (n->callargs.n != 2 || n->keywords.n || n->callargs.v[1]->kind != AST_TUPLE) {
        sp_error(n->pos, "start_new_thread(func, args) takes the function and a tuple display of its arguments, "
                         "e.g. start_new_thread(work, (1, 2))");
        return;
    }
    struct ast_node *tup = n->callargs.v[1];
    struct ast_node *lam = binder(n->callargs.v[0], tup->elts.v, tup->elts.n, NULL, n->pos, "start_new_thread()");
    if (!lam)
        return;
    n->callargs.v[0] = lam;
    n->callargs.v[1] = ast_new(AST_TUPLE, tup->pos);
}

/* transaction.add(F, A, ..) */
static void bind_job(struct ast_node *n)
{
    if (n->callargs.n < 1) {
        sp_error(n->pos, "transaction.add() takes the job's function and its arguments");
        return;
    }
    struct ast_node *lam = binder(n->callargs.v[0], n->callargs.v + 1, n->callargs.n - 1, &n->keywords, n->pos,
                                  "transaction.add()");
    if (!lam)
        return;
    n->callargs = (struct ast_list){0};
    n->keywords = (struct ast_list){0};
    ast_list_push(&n->callargs, lam);
}

static bool is_time_sleep(const struct ast_node *f)
{
    return f->kind == AST_ATTRIBUTE && f->name == sp_intern("sleep") && f->value->kind == AST_NAME &&
           f->value->name == sp_intern("time");
}

static bool is_transaction_add(const struct ast_node *f)
{
    return f->kind == AST_ATTRIBUTE && f->name == sp_intern("add") && f->value->kind == AST_NAME &&
           f->value->name == sp_intern("transaction");
}

static bool want_tasklets, want_threads, want_jobs;

static bool visit(void *ctx, const char *role, int index, const struct ast_node *child);

static void walk(struct ast_node *n)
{
    if (n->kind == AST_CALL && want_tasklets) {
        if (n->func && n->func->kind == AST_CALL && is_tasklet_name(n->func->func) && n->func->callargs.n == 1 &&
            n->func->keywords.n == 0 && n->func->callargs.v[0]->kind != AST_STARRED) {
            bind(n);
            ast_each_child(n, visit, NULL);
            return;
        }
        if (is_tasklet_name(n->func))
            sp_error(n->pos,
                     "tasklet(func) must be called at once with the tasklet's arguments: tasklet(func)(args)");
    }
    if (n->kind == AST_CALL && want_threads && is_name(n->func, "start_new_thread"))
        bind_thread(n);
    if (n->kind == AST_CALL && want_threads && is_time_sleep(n->func)) {
        struct srcpos pos = n->func->pos;
        n->func = ast_new(AST_NAME, pos);
        n->func->name = sp_intern("_rpy_thread_sleep");
    }
    if (n->kind == AST_CALL && want_jobs && is_transaction_add(n->func))
        bind_job(n);
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
    want_tasklets = imports(module, "tasklets");
    want_threads = imports(module, "thread");
    want_jobs = imports(module, "transaction");
    if (want_threads) { /* from rpy.thread import _sleep as _rpy_thread_sleep, first */
        struct ast_node *imp = ast_new(AST_IMPORTFROM, module->pos), *alias = ast_new(AST_ALIAS, module->pos);
        imp->name = sp_intern("rpy.thread");
        alias->name = sp_intern("_sleep");
        alias->asname = sp_intern("_rpy_thread_sleep");
        ast_list_push(&imp->names, alias);
        ast_list_push(&module->body, imp);
        memmove(module->body.v + 1, module->body.v, sizeof module->body.v[0] * (size_t)(module->body.n - 1));
        module->body.v[0] = imp;
    }
    if (want_tasklets || want_threads || want_jobs)
        walk(module);
}
