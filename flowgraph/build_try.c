/* build_try.c - try/except/else/finally, raise and re-raise.
 *
 * Requires build_state.c and build_stmt.c; provides b_try and the hooks
 * that make code inside a try statement jump to its handlers.
 *
 * The model (graph.h): an op that may raise inside a try body ends its
 * block, with exitswitch fg_last_exception; exits[0] is the normal exit,
 * then one exception link per `except` class, innermost try first, in
 * source order (the first link whose class matches the exception is taken;
 * an exception no link matches leaves the graph, as from any op outside a
 * try). Each exception link binds fresh last_exception / last_exc_value
 * variables and passes them, after the slots of the try statement, to the
 * handler block. A try with a finally adds, after its inner handlers, a
 * link for BaseException to a block that runs the finally body and then
 * raises the exception again.
 *
 * A `raise` statement has no op that raises, so inside a try it dispatches
 * by hand: `isinstance(value, Class)` and a switch per handler, in order,
 * then out of the graph (the except block) if nothing matched. A bare
 * `raise` in an except clause raises that clause's (etype, evalue) again.
 *
 * Except clauses must name classes the builder can resolve: a builtin
 * exception, or a module-level class statement whose name nothing else
 * binds. finally bodies are built once per way out (normal end, exception,
 * and at each return/break/continue that leaves them), as CPython does.
 */
#include "builder.h"

#include <string.h>

static struct tryctx *ctx_at(struct fstate *fs, int i) { return fs->ctxs.v[i]; }

/* ---- exception links of raising ops ---- */

static bool has_case(struct fg_block *b, struct fg_value *c)
{
    for (int i = 1; i < b->exits.n; i++) {
        struct fg_value *o = ((struct fg_link *)b->exits.v[i])->exitcase;
        if (o && o->ckind == c->ckind && (o->ckind == FG_C_BUILTIN ? o->str == c->str : o->obj == c->obj))
            return true;
    }
    return false;
}

static void exc_link(struct fstate *fs, struct fg_block *target, struct fg_value *exitcase)
{
    struct fg_value *etype = fg_newvar("etype"), *evalue = fg_newvar("evalue");
    struct fg_link *l = b_link_exc(fs, target, exitcase, etype, evalue);
    l->last_exception = etype;
    l->last_exc_value = evalue;
}

void b_add_exc_links(struct fstate *fs)
{
    struct fg_block *b = fs->cur;
    SP_ASSERT(b && b->exitswitch == fg_last_exception);
    for (int i = fs->ctxs.n - 1; i >= 0; i--) {
        struct tryctx *c = ctx_at(fs, i);
        if (c->kind == CTX_FINALLY) {
            exc_link(fs, c->onexc, fg_const_builtin("BaseException"));
            return;
        }
        for (int k = 0; k < c->cases.n; k++)
            if (!has_case(b, c->cases.v[k]))
                exc_link(fs, c->handlers.v[k], c->cases.v[k]);
        if (c->catchall)
            return;
    }
}

struct fg_value *b_split_raising(struct fstate *fs, struct fg_value *result)
{
    b_push(fs, result);
    struct fg_block *next = b_newblock(fs);
    fs->cur->exitswitch = fg_last_exception;
    b_link(fs, next, NULL);
    b_add_exc_links(fs);
    fs->cur = NULL;
    b_enter(fs, next);
    struct fg_value *v = b_pop(fs);
    if (b_is_test_result(fs, result))
        b_mark_test_result(fs, v);
    return v;
}

/* ---- raise ---- */

/* Try the handlers of one except context in order; returns false when the
 * exception surely went to one (a catch-all). */
static bool dispatch(struct fstate *fs, struct tryctx *c, struct fg_value **etype, struct fg_value **evalue,
                     struct srcpos pos)
{
    for (int k = 0; k < c->cases.n; k++) {
        struct fg_block *handler = c->handlers.v[k];
        if (c->catchall && k == c->cases.n - 1) {
            b_link_exc(fs, handler, NULL, *etype, *evalue);
            fs->cur = NULL;
            return false;
        }
        fs->nosplit = true;
        struct fg_value *test = b_emit(fs, OP_SIMPLE_CALL, pos, 3, b_at(fg_const_builtin("isinstance"), pos),
                                       *evalue, c->cases.v[k]);
        fs->nosplit = false;
        int k_type = b_push(fs, *etype);
        b_push(fs, *evalue);
        struct fg_block *next = b_newblock(fs);
        fs->cur->exitswitch = test;
        b_link(fs, next, fg_const_bool(false));
        b_link_exc(fs, handler, fg_const_bool(true), *etype, *evalue);
        fs->cur = NULL;
        b_enter(fs, next);
        *etype = b_slot(fs, k_type);
        *evalue = b_slot(fs, k_type + 1);
        b_pop(fs);
        b_pop(fs);
    }
    return true;
}

void b_raise(struct fstate *fs, struct fg_value *etype, struct fg_value *evalue, struct srcpos pos)
{
    for (int i = fs->ctxs.n - 1; i >= 0 && fs->cur; i--) {
        struct tryctx *c = ctx_at(fs, i);
        if (c->kind == CTX_FINALLY) {
            b_link_exc(fs, c->onexc, NULL, etype, evalue);
            fs->cur = NULL;
            return;
        }
        /* handlers run outside their own try */
        int saved = fs->ctxs.n;
        fs->ctxs.n = i;
        bool go_on = dispatch(fs, c, &etype, &evalue, pos);
        fs->ctxs.n = saved;
        if (!go_on)
            return;
    }
    struct fg_value *args[2] = {etype, evalue};
    struct fg_block *from = fs->cur;
    b_goto_args(fs, fs->g->exceptblock, args, 2);
    if (from) /* the raise statement: the frame's traceback entry (exceptions.c) */
        ((struct fg_link *)from->exits.v[from->exits.n - 1])->pos = pos;
}

/* ---- finally on the way out ---- */

/* mgr.__exit__(etype, evalue, None), or with three Nones on a normal exit. */
static struct fg_value *exit_manager(struct fstate *fs, struct tryctx *c, struct fg_value *etype,
                                     struct fg_value *evalue)
{
    struct fg_value *args[5] = {b_slot(fs, c->mgrslot), b_name_const("__exit__", c->pos),
                                etype ? etype : b_none(c->pos), evalue ? evalue : b_none(c->pos), b_none(c->pos)};
    return b_emitv(fs, OP_CALL_METHOD, c->pos, args, 5);
}

void b_unwind(struct fstate *fs, int depth)
{
    int saved = fs->ctxs.n;
    for (int i = saved - 1; i >= depth && fs->cur; i--) {
        struct tryctx *c = ctx_at(fs, i);
        if (c->kind != CTX_FINALLY)
            continue;
        fs->ctxs.n = i; /* the finally body runs outside its try */
        if (c->finalbody)
            b_body(fs, c->finalbody);
        else
            exit_manager(fs, c, NULL, NULL);
    }
    fs->ctxs.n = saved;
}

/* ---- except clauses ---- */

static void add_case(struct fstate *fs, struct tryctx *c, struct fg_value *cls, struct fg_block *handler)
{
    sp_vec_push(&c->cases, cls);
    sp_vec_push(&c->handlers, handler);
}

/* The class constants an except clause names. */
static void handler_cases(struct fstate *fs, struct tryctx *c, struct ast_node *type, struct fg_block *handler)
{
    if (!type || (type->kind == AST_NAME && type->name == sp_intern("BaseException") &&
                  !fg_ptrmap_has(&fs->bp->globalset, type->name))) {
        add_case(fs, c, b_at(fg_const_builtin("BaseException"), type ? type->pos : (struct srcpos){0}), handler);
        c->catchall = true;
        return;
    }
    if (type->kind == AST_TUPLE) {
        for (int i = 0; i < type->elts.n; i++)
            handler_cases(fs, c, type->elts.v[i], handler);
        return;
    }
    struct fg_class *cls = type->kind == AST_NAME ? fg_ptrmap_get(&fs->bp->classnames, type->name)
                                                  : b_module_class(fs, type);
    bool local = type->kind == AST_NAME && !fs->is_module && fg_ptrmap_has(&fs->localidx, type->name) &&
                 !fg_ptrmap_has(&fs->globaldecl, type->name);
    if (type->kind == AST_ATTRIBUTE && cls) {
        add_case(fs, c, b_at(fg_const_obj(FG_C_CLASS, cls), type->pos), handler);
        return;
    }
    if (cls && !local) {
        add_case(fs, c, b_at(fg_const_obj(FG_C_CLASS, cls), type->pos), handler);
    } else if (type->kind == AST_NAME && !local && !fg_ptrmap_has(&fs->bp->globalset, type->name) &&
               b_is_builtin_exception(type->name)) {
        add_case(fs, c, b_at(fg_const_builtin(type->name), type->pos), handler);
    } else {
        sp_error(type->pos, "except clauses must name exception classes (a builtin exception, a class of "
                            "this module or module.Class of an imported one)");
    }
}

/* Handlers come after the catch-all one can never run. */
static void check_order(struct ast_node *s)
{
    for (int i = 0; i < s->handlers.n - 1; i++)
        if (!s->handlers.v[i]->type) {
            sp_error(s->handlers.v[i]->pos, "default 'except:' must be last");
            return;
        }
}

static void build_handler(struct fstate *fs, struct ast_node *h, struct fg_block *block, struct fg_block *after)
{
    b_enter_exc(fs, block);
    int k = fs->slots.n - 2;
    sp_vec_push(&fs->excslots, (void *)(intptr_t)k);
    if (h->asname)
        b_store_name(fs, h->asname, h->pos, b_slot(fs, k + 1));
    b_body(fs, &h->body);
    if (h->asname) /* Python deletes the name at the end of the clause */
        b_unbind_local(fs, h->asname);
    sp_vec_pop(&fs->excslots);
    b_pop(fs);
    b_pop(fs);
    b_goto(fs, after);
}

static void try_except(struct fstate *fs, struct ast_node *s)
{
    struct tryctx *c = SP_NEW(struct tryctx);
    c->kind = CTX_EXCEPT;
    c->nslots = fs->slots.n;
    struct fg_block *after = b_newblock(fs);
    struct fg_block **blocks = sp_alloc(sizeof(struct fg_block *) * (size_t)(s->handlers.n + 1));
    check_order(s);
    for (int i = 0; i < s->handlers.n && !c->catchall; i++) {
        blocks[i] = b_newblock_exc(fs);
        handler_cases(fs, c, s->handlers.v[i]->type, blocks[i]);
    }
    sp_vec_push(&fs->ctxs, c);
    b_body(fs, &s->body);
    sp_vec_pop(&fs->ctxs);
    b_body(fs, &s->orelse); /* no longer guarded by this try's handlers */
    b_goto(fs, after);
    for (int i = 0; i < s->handlers.n; i++) {
        if (!blocks[i]) /* after a catch-all: never runs, but report its errors */
            blocks[i] = b_newblock_exc(fs);
        build_handler(fs, s->handlers.v[i], blocks[i], after);
    }
    b_enter(fs, after);
}

static void try_finally(struct fstate *fs, struct ast_node *s)
{
    struct tryctx *c = SP_NEW(struct tryctx);
    c->kind = CTX_FINALLY;
    c->nslots = fs->slots.n;
    c->finalbody = &s->finalbody;
    c->onexc = b_newblock_exc(fs);
    struct fg_block *after = b_newblock(fs);
    sp_vec_push(&fs->ctxs, c);
    if (s->handlers.n)
        try_except(fs, s);
    else
        b_body(fs, &s->body);
    sp_vec_pop(&fs->ctxs);
    if (fs->cur)
        b_body(fs, &s->finalbody);
    b_goto(fs, after);
    /* the exception path: the finally body, then the same exception again */
    b_enter_exc(fs, c->onexc);
    int k = fs->slots.n - 2;
    b_body(fs, &s->finalbody);
    if (fs->cur)
        b_raise(fs, b_slot(fs, k), b_slot(fs, k + 1), s->pos);
    b_pop(fs);
    b_pop(fs);
    b_enter(fs, after);
}

void b_try(struct fstate *fs, struct ast_node *s)
{
    if (s->finalbody.n)
        try_finally(fs, s);
    else
        try_except(fs, s);
}

/* ---- with ----
 * `with m as x: body` is
 *     x = m.__enter__()
 *     try: body
 *     finally-like: m.__exit__(None, None, None) on the way out, and on an
 *         exception m.__exit__(etype, evalue, None), which swallows the
 *         exception when it returns a true value.
 * Several items nest. The manager stays in a slot meanwhile. */
static void with_exception_path(struct fstate *fs, struct tryctx *c, struct fg_block *after)
{
    b_enter_exc(fs, c->onexc);
    int k = fs->slots.n - 2;
    struct fg_value *r = exit_manager(fs, c, b_slot(fs, k), b_slot(fs, k + 1));
    struct fg_block *reraise = b_newblock(fs);
    struct fg_value *t = b_is_test_result(fs, r) ? r : b_emit(fs, OP_BOOL, c->pos, 1, r);
    b_switch(fs, t, after, reraise);
    b_enter(fs, reraise);
    b_raise(fs, b_slot(fs, k), b_slot(fs, k + 1), c->pos);
    b_pop(fs);
    b_pop(fs);
}

static void with_items(struct fstate *fs, struct ast_node *s, int i)
{
    if (i == s->items.n) {
        b_body(fs, &s->body);
        return;
    }
    struct ast_node *item = s->items.v[i];
    struct tryctx *c = SP_NEW(struct tryctx);
    c->kind = CTX_FINALLY;
    c->pos = item->value->pos;
    c->mgrslot = b_push(fs, b_expr(fs, item->value));
    struct fg_value *entered = b_emit(fs, OP_CALL_METHOD, c->pos, 2, b_slot(fs, c->mgrslot),
                                      b_name_const("__enter__", c->pos));
    if (item->target)
        b_assign(fs, item->target, entered);
    c->nslots = fs->slots.n;
    c->onexc = b_newblock_exc(fs);
    struct fg_block *after = b_newblock(fs);
    sp_vec_push(&fs->ctxs, c);
    with_items(fs, s, i + 1);
    sp_vec_pop(&fs->ctxs);
    if (fs->cur)
        exit_manager(fs, c, NULL, NULL);
    b_goto(fs, after);
    with_exception_path(fs, c, after);
    b_enter(fs, after);
    b_pop(fs);
}

void b_with(struct fstate *fs, struct ast_node *s)
{
    with_items(fs, s, 0);
}
