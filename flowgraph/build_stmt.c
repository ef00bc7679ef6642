/* build_stmt.c - statements to blocks and links.
 *
 * Requires build_expr.c for expressions and build_state.c for the
 * plumbing; provides b_body (a statement list into the current block and
 * the blocks it creates) and b_assign (binding a value to any assignment
 * target).
 *
 * Control flow is structured, so each statement creates its blocks up
 * front: `if` a then-block, maybe an else-block and an after-block;
 * `while` a header (the continue target), a body and an after-block (the
 * break target); `for` the same, with `x = next(it)` as the header's last
 * op and a StopIteration exception link out of the loop. return, raise,
 * break and continue end the current block; whatever follows them is
 * built into a block nothing links to (so its errors are still reported)
 * and simplify removes it.
 */
#include "builder.h"

static void stmt(struct fstate *fs, struct ast_node *s);

void b_body(struct fstate *fs, struct ast_list *body)
{
    for (int i = 0; i < body->n; i++)
        stmt(fs, body->v[i]);
}

/* ---- assignment ---- */

/* Object and index (or slice bounds) of a subscript target, in order. */
struct subparts {
    struct fg_value *v[4]; /* obj, index | obj, lower, upper, step */
    bool slice;
};

static void subscript_parts(struct fstate *fs, struct ast_node *t, struct subparts *p)
{
    struct ast_node *ix = t->index;
    p->slice = ix && ix->kind == AST_SLICE;
    if (p->slice) {
        struct ast_node *nodes[4] = {t->value, ix->lower, ix->upper, ix->step};
        b_eval_n(fs, nodes, 4, p->v, ix->pos);
    } else {
        struct ast_node *nodes[2] = {t->value, ix};
        b_eval_n(fs, nodes, 2, p->v, t->pos);
    }
}

static void assign_tuple(struct fstate *fs, struct ast_node *t, struct fg_value *v)
{
    int n = t->elts.n;
    for (int i = 0; i < n; i++)
        if (t->elts.v[i]->kind == AST_STARRED) {
            sp_error(t->elts.v[i]->pos, "starred assignment targets are not supported yet");
            return;
        }
    struct fg_value *tup = b_emit(fs, OP_UNPACK, t->pos, 2, v, b_at(fg_const_int(n), t->pos));
    int k = b_push(fs, tup);
    for (int i = 0; i < n; i++) {
        struct ast_node *elt = t->elts.v[i];
        struct fg_value *item = b_emit(fs, OP_GETITEM, elt->pos, 2, b_slot(fs, k), b_at(fg_const_int(i), elt->pos));
        b_assign(fs, elt, item);
    }
    b_pop(fs);
}

void b_assign(struct fstate *fs, struct ast_node *t, struct fg_value *v)
{
    b_ensure(fs);
    switch (t->kind) {
    case AST_NAME:
        b_store_name(fs, t->name, t->pos, v);
        break;
    case AST_TUPLE:
    case AST_LIST:
        assign_tuple(fs, t, v);
        break;
    case AST_ATTRIBUTE: {
        b_push(fs, v);
        struct fg_value *obj = b_expr(fs, t->value);
        v = b_pop(fs);
        b_emit(fs, OP_SETATTR, t->pos, 3, obj, b_name_const(t->name, t->pos), v);
        break;
    }
    case AST_SUBSCRIPT: {
        struct subparts p;
        b_push(fs, v);
        subscript_parts(fs, t, &p);
        v = b_pop(fs);
        if (p.slice)
            b_emit(fs, OP_SETSLICE, t->pos, 5, p.v[0], p.v[1], p.v[2], p.v[3], v);
        else
            b_emit(fs, OP_SETITEM, t->pos, 3, p.v[0], p.v[1], v);
        break;
    }
    case AST_STARRED:
        sp_error(t->pos, "starred assignment targets are not supported yet");
        break;
    default:
        sp_error(t->pos, "cannot assign to %s", ast_kind_name(t->kind));
        break;
    }
}

static void assign_stmt(struct fstate *fs, struct ast_node *s)
{
    int k = b_push(fs, b_expr(fs, s->value));
    for (int i = 0; i < s->targets.n; i++)
        b_assign(fs, s->targets.v[i], b_slot(fs, k));
    b_pop(fs);
}

static enum fg_opcode inplace_opcode(enum ast_op op)
{
    switch (op) {
    case AST_ADD: return OP_INPLACE_ADD;
    case AST_SUB: return OP_INPLACE_SUB;
    case AST_MULT: return OP_INPLACE_MUL;
    case AST_MATMULT: return OP_INPLACE_MATMUL;
    case AST_DIV: return OP_INPLACE_TRUEDIV;
    case AST_FLOORDIV: return OP_INPLACE_FLOORDIV;
    case AST_MOD: return OP_INPLACE_MOD;
    case AST_POW: return OP_INPLACE_POW;
    case AST_LSHIFT: return OP_INPLACE_LSHIFT;
    case AST_RSHIFT: return OP_INPLACE_RSHIFT;
    case AST_BITOR: return OP_INPLACE_OR;
    case AST_BITXOR: return OP_INPLACE_XOR;
    case AST_BITAND: return OP_INPLACE_AND;
    default: sp_die("builder: bad augmented operator %d", (int)op);
    }
}

/* The operand is evaluated after the target is read, as in Python. */
static struct fg_value *inplace(struct fstate *fs, struct ast_node *s, struct fg_value *current)
{
    b_push(fs, current);
    struct fg_value *operand = b_expr(fs, s->value);
    current = b_pop(fs);
    return b_emit(fs, inplace_opcode(s->op), s->pos, 2, current, operand);
}

/* x.a += v and x[i] += v evaluate x (and i) once. */
static void augassign(struct fstate *fs, struct ast_node *s)
{
    struct ast_node *t = s->target;
    if (t->kind == AST_NAME) {
        b_store_name(fs, t->name, t->pos, inplace(fs, s, b_load_name(fs, t)));
    } else if (t->kind == AST_ATTRIBUTE) {
        int k = b_push(fs, b_expr(fs, t->value));
        struct fg_value *name = b_name_const(t->name, t->pos);
        struct fg_value *r = inplace(fs, s, b_emit(fs, OP_GETATTR, t->pos, 2, b_slot(fs, k), name));
        b_emit(fs, OP_SETATTR, t->pos, 3, b_slot(fs, k), name, r);
        b_pop(fs);
    } else if (t->kind == AST_SUBSCRIPT) {
        struct subparts p;
        subscript_parts(fs, t, &p);
        int n = p.slice ? 4 : 2, base = fs->slots.n;
        for (int i = 0; i < n; i++)
            b_push(fs, p.v[i]);
        struct fg_value *cur = p.slice ? b_emit(fs, OP_GETSLICE, t->pos, 4, p.v[0], p.v[1], p.v[2], p.v[3])
                                       : b_emit(fs, OP_GETITEM, t->pos, 2, p.v[0], p.v[1]);
        struct fg_value *r = inplace(fs, s, cur);
        for (int i = 0; i < n; i++)
            p.v[i] = b_slot(fs, base + i);
        if (p.slice)
            b_emit(fs, OP_SETSLICE, t->pos, 5, p.v[0], p.v[1], p.v[2], p.v[3], r);
        else
            b_emit(fs, OP_SETITEM, t->pos, 3, p.v[0], p.v[1], r);
        for (int i = 0; i < n; i++)
            b_pop(fs);
    } else {
        sp_error(t->pos, "cannot assign to %s", ast_kind_name(t->kind));
    }
}

static void delete_target(struct fstate *fs, struct ast_node *t)
{
    switch (t->kind) {
    case AST_SUBSCRIPT: {
        struct subparts p;
        subscript_parts(fs, t, &p);
        if (p.slice)
            b_emit(fs, OP_DELSLICE, t->pos, 4, p.v[0], p.v[1], p.v[2], p.v[3]);
        else
            b_emit(fs, OP_DELITEM, t->pos, 2, p.v[0], p.v[1]);
        break;
    }
    case AST_ATTRIBUTE:
        b_emit(fs, OP_DELATTR, t->pos, 2, b_expr(fs, t->value), b_name_const(t->name, t->pos));
        break;
    case AST_TUPLE:
    case AST_LIST:
        for (int i = 0; i < t->elts.n; i++)
            delete_target(fs, t->elts.v[i]);
        break;
    case AST_NAME:
        sp_error(t->pos, "deleting a variable is not supported yet");
        break;
    default:
        sp_error(t->pos, "cannot delete %s", ast_kind_name(t->kind));
        break;
    }
}

/* ---- control flow ---- */

static void if_stmt(struct fstate *fs, struct ast_node *s)
{
    struct fg_block *then = b_newblock(fs), *after = b_newblock(fs);
    struct fg_block *orelse = s->orelse.n ? b_newblock(fs) : after;
    b_cond(fs, s->test, then, orelse);
    b_enter(fs, then);
    b_body(fs, &s->body);
    b_goto(fs, after);
    if (s->orelse.n) {
        b_enter(fs, orelse);
        b_body(fs, &s->orelse);
        b_goto(fs, after);
    }
    b_enter(fs, after);
}

static void loop_body(struct fstate *fs, struct ast_list *body, struct fg_block *brk, struct fg_block *cont)
{
    struct loopctx ctx = {brk, cont, fs->ctxs.n, fs->loop};
    fs->loop = &ctx;
    b_body(fs, body);
    fs->loop = ctx.outer;
    b_goto(fs, cont);
}

static void while_stmt(struct fstate *fs, struct ast_node *s)
{
    struct fg_block *header = b_newblock(fs);
    b_goto(fs, header);
    b_enter(fs, header);
    struct fg_block *body = b_newblock(fs), *after = b_newblock(fs);
    struct fg_block *orelse = s->orelse.n ? b_newblock(fs) : after;
    b_cond(fs, s->test, body, orelse);
    b_enter(fs, body);
    loop_body(fs, &s->body, after, header);
    if (s->orelse.n) {
        b_enter(fs, orelse);
        b_body(fs, &s->orelse);
        b_goto(fs, after);
    }
    b_enter(fs, after);
}

/*   it = iter(seq)
 * header:  x = next(it)   -- exits: normal -> body, StopIteration -> else/after */
static void for_stmt(struct fstate *fs, struct ast_node *s)
{
    struct fg_value *it = b_emit(fs, OP_ITER, s->iter->pos, 1, b_expr(fs, s->iter));
    struct fg_block *after = b_newblock(fs);
    struct fg_block *orelse = s->orelse.n ? b_newblock(fs) : after;
    int k = b_push(fs, it);
    struct fg_block *header = b_newblock(fs);
    b_goto(fs, header);
    b_enter(fs, header);
    fs->nosplit = true;
    b_push_item(fs, b_emit(fs, OP_NEXT, s->target->pos, 1, b_slot(fs, k)), s->target);
    fs->nosplit = false;
    struct fg_block *body = b_newblock(fs);
    header->exitswitch = fg_last_exception;
    b_link(fs, body, NULL);
    struct fg_link *stop = b_link(fs, orelse, b_at(fg_const_builtin("StopIteration"), s->pos));
    stop->last_exception = fg_newvar("etype");
    stop->last_exc_value = fg_newvar("evalue");
    b_add_exc_links(fs);
    fs->cur = NULL;
    b_enter(fs, body);
    b_assign(fs, s->target, b_pop(fs));
    loop_body(fs, &s->body, after, header);
    b_pop(fs);
    if (s->orelse.n) {
        b_enter(fs, orelse);
        b_body(fs, &s->orelse);
        b_goto(fs, after);
    }
    b_enter(fs, after);
}

/* break and continue leave the try statements inside the loop: their
 * finally bodies run first. */
static void jump(struct fstate *fs, struct ast_node *s, bool is_break)
{
    if (!fs->loop) {
        sp_error(s->pos, "'%s' outside loop", is_break ? "break" : "continue");
        return;
    }
    b_unwind(fs, fs->loop->ctxdepth);
    b_goto(fs, is_break ? fs->loop->brk : fs->loop->cont);
}

static void return_stmt(struct fstate *fs, struct ast_node *s)
{
    if (fs->is_module)
        sp_error(s->pos, "'return' outside function");
    b_push(fs, s->value ? b_expr(fs, s->value) : b_none(s->pos));
    b_unwind(fs, 0);
    b_return(fs, b_pop(fs), s->pos);
}

/* raise X / raise X(args): a bare class (a name or attribute) is
 * instantiated, a call is used as is. The cause is evaluated, not kept. */
static void raise_stmt(struct fstate *fs, struct ast_node *s)
{
    if (!s->value) {
        if (!fs->excslots.n) {
            sp_error(s->pos, "bare 'raise' outside an except clause is not supported");
            return;
        }
        int k = (int)(intptr_t)fs->excslots.v[fs->excslots.n - 1];
        b_raise(fs, b_slot(fs, k), b_slot(fs, k + 1), s->pos);
        return;
    }
    struct fg_value *exc = b_expr(fs, s->value);
    if ((s->value->kind == AST_NAME && !b_is_local_name(fs, s->value->name)) || s->value->kind == AST_ATTRIBUTE)
        exc = b_emit(fs, OP_SIMPLE_CALL, s->value->pos, 1, exc);
    if (s->cause) {
        b_push(fs, exc);
        b_expr(fs, s->cause);
        exc = b_pop(fs);
    }
    b_raise_value(fs, exc, s->pos);
}

static void assert_stmt(struct fstate *fs, struct ast_node *s)
{
    struct fg_block *ok = b_newblock(fs), *fail = b_newblock(fs);
    b_cond(fs, s->test, ok, fail);
    b_enter(fs, fail);
    struct fg_value *cls = b_at(fg_const_builtin("AssertionError"), s->pos);
    struct fg_value *exc = s->msg ? b_emit(fs, OP_SIMPLE_CALL, s->pos, 2, cls, b_expr(fs, s->msg))
                                  : b_emit(fs, OP_SIMPLE_CALL, s->pos, 1, cls);
    b_raise_value(fs, exc, s->pos);
    b_enter(fs, ok);
}

/* ---- definitions ---- */

static void def_stmt(struct fstate *fs, struct ast_node *s)
{
    if (!fs->is_module) {
        if (s->kind == AST_FUNCTIONDEF) {
            for (int i = 0; i < s->decorators.n; i++)
                sp_error(s->decorators.v[i]->pos, "decorators are not supported yet");
            b_store_name(fs, s->name, s->pos, b_nested_function(fs, s, s));
            return;
        }
        sp_error(s->pos, "classes inside functions are not supported yet");
        b_store_name(fs, s->name, s->pos, b_none(s->pos));
        return;
    }
    struct fg_value *c;
    if (s->kind == AST_FUNCTIONDEF) {
        struct fg_func *f = b_new_function(fs->bp, s, NULL);
        sp_vec_push(&fs->bp->mod->funcs, f);
        b_set_dyn_defaults(fs, f);
        b_build_function(fs->bp, f);
        c = fg_const_obj(FG_C_FUNC, f);
    } else {
        struct fg_class *cls = b_new_class(fs->bp, s);
        for (int i = 0; i < cls->methods.n; i++)
            b_build_function(fs->bp, cls->methods.v[i]);
        /* Class attributes that are not constants: the class statement
         * evaluates them, in order, into globals of their own. */
        for (int i = 0; i < cls->attr_names.n; i++) {
            struct ast_node *e = cls->attr_exprs.v[i];
            if (!e)
                continue;
            struct fg_value *v = b_expr(fs, e);
            b_emit(fs, OP_SETGLOBAL, e->pos, 3, b_at(fg_const_obj(FG_C_MODULE, fs->bp->mod), e->pos),
                   b_name_const(fg_class_global(cls, cls->attr_names.v[i]), e->pos), v);
        }
        c = fg_const_obj(FG_C_CLASS, cls);
    }
    b_store_name(fs, s->name, s->pos, b_at(c, s->pos));
}

static void stmt(struct fstate *fs, struct ast_node *s)
{
    b_ensure(fs);
    switch (s->kind) {
    case AST_EXPR:
        if (s->value->kind != AST_CONSTANT) /* a docstring or `...` does nothing */
            b_expr(fs, s->value);
        break;
    case AST_ASSIGN: assign_stmt(fs, s); break;
    case AST_AUGASSIGN: augassign(fs, s); break;
    case AST_ANNASSIGN:
        if (s->value)
            b_assign(fs, s->target, b_expr(fs, s->value));
        break;
    case AST_IF: if_stmt(fs, s); break;
    case AST_WHILE: while_stmt(fs, s); break;
    case AST_FOR: for_stmt(fs, s); break;
    case AST_BREAK: jump(fs, s, true); break;
    case AST_CONTINUE: jump(fs, s, false); break;
    case AST_RETURN: return_stmt(fs, s); break;
    case AST_RAISE: raise_stmt(fs, s); break;
    case AST_ASSERT: assert_stmt(fs, s); break;
    case AST_DELETE:
        for (int i = 0; i < s->targets.n; i++)
            delete_target(fs, s->targets.v[i]);
        break;
    case AST_PASS: case AST_GLOBAL: break; /* `global`: see the scoping in builder.c */
    case AST_NONLOCAL: /* build_scope.c made the names the enclosing function's */
        for (int i = 0; i < s->names.n; i++)
            if (!fs->scope || !b_scope_is_free(fs->scope, s->names.v[i]->name))
                sp_error(s->names.v[i]->pos, "no binding for nonlocal '%s' found", s->names.v[i]->name);
        break;
    case AST_FUNCTIONDEF: case AST_CLASSDEF: def_stmt(fs, s); break;
    case AST_TRY: b_try(fs, s); break;
    case AST_WITH: b_with(fs, s); break;
    case AST_IMPORT: b_import(fs, s); break;
    case AST_IMPORTFROM: b_import_from(fs, s); break;
    default: sp_error(s->pos, "%s statements are not supported yet", ast_kind_name(s->kind)); break;
    }
}
