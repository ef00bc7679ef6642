/* build_expr.c - expressions to operations.
 *
 * Requires build_state.c's plumbing; provides b_expr (an expression's
 * value) and b_cond (an expression as a condition: a jump to one of two
 * blocks). Operators become one op each (opcodes.h gives the argument
 * conventions). Expressions that branch -- and/or, conditional
 * expressions, chained comparisons, comprehensions -- build blocks; a
 * value computed before such a sub-expression and needed after it is kept
 * in a temporary slot meanwhile (b_push/b_pop), since values cross blocks
 * only through links.
 *
 * Conditions are compiled as jumps, as CPython does: `if a and not b:`
 * calls bool() on a and on b once each and never materialises the and.
 * As values, and/or yield the operand itself (Python's value semantics)
 * through a join block.
 *
 * Unsupported constructs report an error and evaluate to None, so that
 * building goes on and one run reports several errors.
 */
#include "builder.h"

#include <string.h>

static struct fg_value *unsupported(struct ast_node *e, const char *msg)
{
    sp_error(e->pos, "%s", msg);
    return b_none(e->pos);
}

/* ---- evaluation helpers ---- */

void b_eval_n(struct fstate *fs, struct ast_node **nodes, int n, struct fg_value **out, struct srcpos pos)
{
    for (int i = 0; i < n; i++)
        b_push(fs, nodes[i] ? b_expr(fs, nodes[i]) : b_none(pos));
    for (int i = n - 1; i >= 0; i--)
        out[i] = b_pop(fs);
}

static struct fg_value **alloc_values(int n)
{
    return sp_alloc(sizeof(struct fg_value *) * (size_t)(n > 0 ? n : 1));
}

/* A value whose truth a switch can use directly. */
static struct fg_value *truth(struct fstate *fs, struct fg_value *v, struct srcpos pos)
{
    if (b_is_test_result(fs, v))
        return v;
    return b_emit(fs, OP_BOOL, pos, 1, v);
}

int b_const_truth(struct ast_node *e)
{
    if (e->kind == AST_UNARYOP && e->op == AST_USUB && e->value->kind == AST_CONSTANT)
        return b_const_truth(e->value);
    if (e->kind != AST_CONSTANT)
        return -1;
    switch (e->const_kind) {
    case AST_CONST_TRUE: return 1;
    case AST_CONST_FALSE: case AST_CONST_NONE: return 0;
    case AST_CONST_INT: return e->big || e->ival != 0;
    case AST_CONST_FLOAT: return e->fval != 0.0;
    case AST_CONST_STR: case AST_CONST_BYTES: return e->len != 0;
    default: return 1;
    }
}

/* ---- constants and operators ---- */

static struct fg_value *constant(struct ast_node *e)
{
    switch (e->const_kind) {
    case AST_CONST_BYTES:
        return unsupported(e, "bytes literals are not supported yet");
    case AST_CONST_ELLIPSIS:
        return unsupported(e, "Ellipsis is not supported yet");
    case AST_CONST_INT:
        if (e->big) {
            sp_error(e->pos, "integer constant does not fit in 64 bits");
            return b_none(e->pos);
        }
        break;
    default:
        break;
    }
    struct fg_value *c = b_const_expr(e);
    return c ? c : b_none(e->pos);
}

static enum fg_opcode binop_opcode(enum ast_op op)
{
    switch (op) {
    case AST_ADD: return OP_ADD;
    case AST_SUB: return OP_SUB;
    case AST_MULT: return OP_MUL;
    case AST_MATMULT: return OP_MATMUL;
    case AST_DIV: return OP_TRUEDIV;
    case AST_FLOORDIV: return OP_FLOORDIV;
    case AST_MOD: return OP_MOD;
    case AST_POW: return OP_POW;
    case AST_LSHIFT: return OP_LSHIFT;
    case AST_RSHIFT: return OP_RSHIFT;
    case AST_BITOR: return OP_OR_;
    case AST_BITXOR: return OP_XOR;
    case AST_BITAND: return OP_AND_;
    default: sp_die("builder: bad binary operator %d", (int)op);
    }
}

static struct fg_value *binop(struct fstate *fs, struct ast_node *e)
{
    struct ast_node *operands[2] = {e->left, e->right};
    struct fg_value *v[2];
    b_eval_n(fs, operands, 2, v, e->pos);
    return b_emit(fs, binop_opcode(e->op), e->pos, 2, v[0], v[1]);
}

static struct fg_value *unaryop(struct fstate *fs, struct ast_node *e)
{
    /* -1 and +2.5 are literals to the reader: fold them. */
    if ((e->op == AST_USUB || e->op == AST_UADD) && e->value->kind == AST_CONSTANT) {
        struct fg_value *c = b_const_expr(e);
        if (c)
            return c;
    }
    struct fg_value *v = b_expr(fs, e->value);
    switch (e->op) {
    case AST_USUB: return b_emit(fs, OP_NEG, e->pos, 1, v);
    case AST_UADD: return b_emit(fs, OP_POS, e->pos, 1, v);
    case AST_INVERT: return b_emit(fs, OP_INVERT, e->pos, 1, v);
    case AST_NOT: return b_emit(fs, OP_NOT, e->pos, 1, v);
    default: sp_die("builder: bad unary operator %d", (int)e->op);
    }
}

/* ---- comparisons ---- */

static struct fg_value *compare_op(struct fstate *fs, enum ast_op op, struct fg_value *a, struct fg_value *b,
                                   struct srcpos pos)
{
    switch (op) {
    case AST_EQ: return b_emit(fs, OP_EQ, pos, 2, a, b);
    case AST_NOTEQ: return b_emit(fs, OP_NE, pos, 2, a, b);
    case AST_LT: return b_emit(fs, OP_LT, pos, 2, a, b);
    case AST_LTE: return b_emit(fs, OP_LE, pos, 2, a, b);
    case AST_GT: return b_emit(fs, OP_GT, pos, 2, a, b);
    case AST_GTE: return b_emit(fs, OP_GE, pos, 2, a, b);
    case AST_IS: return b_emit(fs, OP_IS, pos, 2, a, b);
    case AST_ISNOT: return b_emit(fs, OP_IS_NOT, pos, 2, a, b);
    case AST_IN: return b_emit(fs, OP_CONTAINS, pos, 2, b, a);
    case AST_NOTIN: return b_emit(fs, OP_NOT, pos, 1, b_emit(fs, OP_CONTAINS, pos, 2, b, a));
    default: sp_die("builder: bad comparison operator %d", (int)op);
    }
}

/* Comparison i of a chain, `a` being its left operand; the right operand
 * comes back in *right (it is the next comparison's left one). */
static struct fg_value *compare_step(struct fstate *fs, struct ast_node *e, int i, struct fg_value *a,
                                     struct fg_value **right)
{
    b_push(fs, a);
    struct fg_value *b = b_expr(fs, e->comparators.v[i]);
    a = b_pop(fs);
    /* b outlives the op, which may end the block (inside a try) */
    int k = b_push(fs, b);
    struct ast_node *at = i == 0 ? e : e->comparators.v[i - 1];
    struct fg_value *r = compare_op(fs, e->cmpops[i], a, b, at->pos);
    *right = b_slot(fs, k);
    b_pop(fs);
    return r;
}

/* `a < b < c` as a value: each operand evaluated once; the first false
 * comparison (or the last one) is the result, through a join block. */
static struct fg_value *compare(struct fstate *fs, struct ast_node *e)
{
    struct fg_value *a = b_expr(fs, e->left), *b, *r = NULL;
    struct fg_block *join = NULL;
    int n = e->comparators.n;
    for (int i = 0; i < n; i++) {
        r = compare_step(fs, e, i, a, &b);
        if (i == n - 1)
            break;
        b_push(fs, r);
        if (!join)
            join = b_newblock(fs);
        b_push(fs, b);
        struct fg_block *next = b_newblock(fs);
        b_switch(fs, truth(fs, r, e->pos), next, join);
        b_enter(fs, next);
        a = b_pop(fs);
        b_pop(fs);
    }
    if (!join)
        return r;
    b_push(fs, r);
    b_goto(fs, join);
    b_enter(fs, join);
    return b_pop(fs);
}

static void compare_cond(struct fstate *fs, struct ast_node *e, struct fg_block *iftrue, struct fg_block *iffalse)
{
    struct fg_value *a = b_expr(fs, e->left), *b;
    int n = e->comparators.n;
    for (int i = 0; i < n - 1; i++) {
        struct fg_value *r = compare_step(fs, e, i, a, &b);
        b_push(fs, b);
        struct fg_block *next = b_newblock(fs);
        b_switch(fs, truth(fs, r, e->pos), next, iffalse);
        b_enter(fs, next);
        a = b_pop(fs);
    }
    struct fg_value *r = compare_step(fs, e, n - 1, a, &b);
    b_switch(fs, truth(fs, r, e->pos), iftrue, iffalse);
}

/* ---- and / or, conditional expressions ---- */

void b_cond(struct fstate *fs, struct ast_node *e, struct fg_block *iftrue, struct fg_block *iffalse)
{
    int known = b_const_truth(e);
    if (known >= 0) {
        b_goto(fs, known ? iftrue : iffalse);
        return;
    }
    if (e->kind == AST_UNARYOP && e->op == AST_NOT) {
        b_cond(fs, e->value, iffalse, iftrue);
        return;
    }
    if (e->kind == AST_BOOLOP && e->values.n > 0) {
        bool is_and = e->op == AST_AND;
        for (int i = 0; i < e->values.n - 1; i++) {
            struct fg_block *next = b_newblock(fs);
            b_cond(fs, e->values.v[i], is_and ? next : iftrue, is_and ? iffalse : next);
            b_enter(fs, next);
        }
        b_cond(fs, e->values.v[e->values.n - 1], iftrue, iffalse);
        return;
    }
    if (e->kind == AST_COMPARE && e->comparators.n > 0) {
        compare_cond(fs, e, iftrue, iffalse);
        return;
    }
    struct fg_value *v = b_expr(fs, e);
    b_switch(fs, truth(fs, v, e->pos), iftrue, iffalse);
}

/* Evaluate e, push its value and jump on its truth: both targets take the
 * value as their last input. Nested and/or test each operand once, as in
 * CPython: in `a and b or c`, a false a goes straight to c. */
static void value_branch(struct fstate *fs, struct ast_node *e, struct fg_block *iftrue, struct fg_block *iffalse)
{
    if (e->kind == AST_BOOLOP && e->values.n > 0) {
        bool is_and = e->op == AST_AND;
        for (int i = 0; i < e->values.n - 1; i++) {
            struct fg_block *next = b_newblock(fs);
            value_branch(fs, e->values.v[i], is_and ? next : iftrue, is_and ? iffalse : next);
            b_pop(fs);
            b_enter(fs, next);
        }
        value_branch(fs, e->values.v[e->values.n - 1], iftrue, iffalse);
        return;
    }
    struct fg_value *v = b_expr(fs, e);
    b_push(fs, v);
    int known = b_const_truth(e);
    if (known >= 0)
        b_goto(fs, known ? iftrue : iffalse);
    else
        b_switch(fs, truth(fs, v, e->pos), iftrue, iffalse);
}

/* `x or y` is x when bool(x) is true, else y; `and` the other way. The
 * result reaches a join block as its last input. */
static struct fg_value *boolop(struct fstate *fs, struct ast_node *e)
{
    bool is_and = e->op == AST_AND;
    b_push(fs, b_none(e->pos)); /* the join takes the result as an extra slot */
    struct fg_block *join = b_newblock(fs);
    b_pop(fs);
    for (int i = 0; i < e->values.n - 1; i++) {
        struct fg_block *next = b_newblock(fs);
        value_branch(fs, e->values.v[i], is_and ? next : join, is_and ? join : next);
        b_pop(fs);
        b_enter(fs, next);
    }
    b_push(fs, b_expr(fs, e->values.v[e->values.n - 1]));
    b_goto(fs, join);
    b_enter(fs, join);
    return b_pop(fs);
}

static struct fg_value *ifexp(struct fstate *fs, struct ast_node *e)
{
    struct fg_block *tb = b_newblock(fs), *fb = b_newblock(fs);
    b_cond(fs, e->test, tb, fb);
    b_enter(fs, tb);
    b_push(fs, b_expr(fs, e->body_expr));
    struct fg_block *join = b_newblock(fs);
    b_goto(fs, join);
    b_pop(fs);
    b_enter(fs, fb);
    b_push(fs, b_expr(fs, e->orelse_expr));
    b_goto(fs, join);
    b_enter(fs, join);
    return b_pop(fs);
}

/* ---- comprehensions ---- */

enum comp_kind { COMP_LIST, COMP_SET, COMP_DICT };

static void comp_element(struct fstate *fs, struct ast_node *e, enum comp_kind kind, int container)
{
    if (kind == COMP_DICT) {
        struct ast_node *kv[2] = {e->key, e->value};
        struct fg_value *v[2];
        b_eval_n(fs, kv, 2, v, e->pos);
        b_emit(fs, OP_SETITEM, e->pos, 3, b_slot(fs, container), v[0], v[1]);
        return;
    }
    struct fg_value *v = b_expr(fs, e->elt);
    const char *method = kind == COMP_LIST ? "append" : "add";
    b_emit(fs, OP_CALL_METHOD, e->elt->pos, 3, b_slot(fs, container), b_name_const(method, e->pos), v);
}

/* One `for` clause: its iterator is the top slot; `done` (which takes the
 * slots below the iterator) is where the loop goes when exhausted. Leaves
 * no current block and pops the iterator. */
static void comp_loop(struct fstate *fs, struct ast_node *e, enum comp_kind kind, int container, int gi,
                      struct fg_block *done)
{
    struct ast_node *gen = e->generators.v[gi];
    struct fg_block *header = b_newblock(fs);
    b_goto(fs, header);
    b_enter(fs, header);
    fs->nosplit = true;
    struct fg_value *item = b_emit(fs, OP_NEXT, gen->target->pos, 1, b_slot(fs, fs->slots.n - 1));
    fs->nosplit = false;
    b_push_item(fs, item, gen->target);
    struct fg_block *body = b_newblock(fs);
    header->exitswitch = fg_last_exception;
    b_link(fs, body, NULL);
    struct fg_link *stop = b_link(fs, done, b_at(fg_const_builtin("StopIteration"), gen->pos));
    stop->last_exception = fg_newvar("etype");
    stop->last_exc_value = fg_newvar("evalue");
    if (fs->ctxs.n)
        b_add_exc_links(fs);
    fs->cur = NULL;
    b_enter(fs, body);
    b_assign(fs, gen->target, b_pop(fs));
    for (int i = 0; i < gen->ifs.n; i++) {
        struct fg_block *pass = b_newblock(fs);
        b_cond(fs, gen->ifs.v[i], pass, header);
        b_enter(fs, pass);
    }
    if (gi + 1 < e->generators.n) {
        struct ast_node *inner = e->generators.v[gi + 1];
        struct fg_value *seq = b_expr(fs, inner->iter);
        b_push(fs, b_emit(fs, OP_ITER, inner->iter->pos, 1, seq));
        comp_loop(fs, e, kind, container, gi + 1, header);
    } else {
        comp_element(fs, e, kind, container);
        b_goto(fs, header);
    }
    b_pop(fs);
}

static struct fg_value *comprehension(struct fstate *fs, struct ast_node *e, enum comp_kind kind)
{
    if (e->generators.n == 0)
        return b_none(e->pos);
    /* The first iterable belongs to the enclosing scope. */
    struct ast_node *first = e->generators.v[0];
    b_push(fs, b_emit(fs, OP_ITER, first->iter->pos, 1, b_expr(fs, first->iter)));
    enum fg_opcode newop = kind == COMP_LIST ? OP_NEWLIST : kind == COMP_SET ? OP_NEWSET : OP_NEWDICT;
    struct fg_value *made = b_emitv(fs, newop, e->pos, NULL, 0);
    struct fg_value *it = b_pop(fs);
    int container = b_push(fs, made);
    b_comp_push(fs, &e->generators);
    /* CPython 3.11 runs a comprehension in a frame of its own, which
     * tracebacks show: the ops of the loop carry its name */
    const char *saved = fs->comp_frame;
    fs->comp_frame = sp_intern(e->kind == AST_GENEXP ? "<genexpr>"
                               : kind == COMP_LIST        ? "<listcomp>"
                               : kind == COMP_SET         ? "<setcomp>"
                                                          : "<dictcomp>");
    struct fg_block *done = b_newblock(fs);
    b_push(fs, it);
    comp_loop(fs, e, kind, container, 0, done);
    fs->comp_frame = saved;
    b_enter(fs, done);
    b_comp_pop(fs);
    return b_pop(fs);
}

/* ---- calls ---- */

/* A generator expression is built as a list where that cannot be told
 * apart: as the one argument of a builtin that consumes it at once, or of
 * a `.join(...)` (str.join reads its whole argument before joining). */
static bool genexp_consumer(struct fstate *fs, struct ast_node *call)
{
    /* any() and all() stop early: they get a real generator */
    static const char *const consumers[] = {"sum", "min", "max", "sorted", "list", "tuple", "set"};
    struct ast_node *f = call->func;
    if (call->callargs.n != 1 || call->callargs.v[0]->kind != AST_GENEXP || call->keywords.n)
        return false;
    if (f->kind == AST_ATTRIBUTE)
        return f->name == sp_intern("join");
    if (f->kind != AST_NAME)
        return false;
    if (fg_ptrmap_has(&fs->bp->globalset, f->name) || fg_ptrmap_has(&fs->localidx, f->name))
        return false; /* shadowed: not the builtin */
    for (size_t i = 0; i < sizeof consumers / sizeof consumers[0]; i++)
        if (f->name == sp_intern(consumers[i]))
            return true;
    return false;
}

struct callparts {
    struct ast_node **nodes; /* positional, keyword values, star: the shape's order */
    int npos, nkw;
    bool star;
    const char **kwnames;
};

/* Python evaluates positional arguments (the *iterable among them), then
 * keyword values; the shape wants positional, keywords, star. */
static void call_parts(struct ast_node *call, struct callparts *cp)
{
    int n = call->callargs.n + call->keywords.n;
    cp->nodes = sp_alloc(sizeof(struct ast_node *) * (size_t)(n + 1));
    cp->kwnames = sp_alloc(sizeof(const char *) * (size_t)(call->keywords.n + 1));
    struct ast_node *star = NULL;
    for (int i = 0; i < call->callargs.n; i++) {
        struct ast_node *a = call->callargs.v[i];
        if (a->kind != AST_STARRED)
            cp->nodes[cp->npos++] = a;
        else if (star || i != call->callargs.n - 1)
            sp_error(a->pos, "only one *argument, after the positional ones, is supported");
        else
            star = a->value;
    }
    for (int i = 0; i < call->keywords.n; i++) {
        struct ast_node *k = call->keywords.v[i];
        if (!k->name) {
            sp_error(k->pos, "**kwargs in a call is not supported yet");
            continue;
        }
        cp->kwnames[cp->nkw] = k->name;
        cp->nodes[cp->npos + cp->nkw++] = k->value;
    }
    if (star) {
        cp->nodes[cp->npos + cp->nkw] = star;
        cp->star = true;
    }
}

/* The values in shape order, evaluated in Python's order. */
static void call_values(struct fstate *fs, struct callparts *cp, struct fg_value **out, struct srcpos pos)
{
    int nk = cp->nkw, np = cp->npos, ns = cp->star ? 1 : 0;
    struct ast_node *order[np + ns + nk + 1];
    for (int i = 0; i < np; i++)
        order[i] = cp->nodes[i];
    if (ns)
        order[np] = cp->nodes[np + nk];
    for (int i = 0; i < nk; i++)
        order[np + ns + i] = cp->nodes[np + i];
    struct fg_value *vals[np + ns + nk + 1];
    b_eval_n(fs, order, np + ns + nk, vals, pos);
    for (int i = 0; i < np; i++)
        out[i] = vals[i];
    for (int i = 0; i < nk; i++)
        out[np + i] = vals[np + ns + i];
    if (ns)
        out[np + nk] = vals[np];
}

static struct fg_value *shape_const(struct callparts *cp, struct srcpos pos)
{
    struct fg_callshape *s = SP_NEW(struct fg_callshape);
    s->npos = cp->npos;
    s->nkw = cp->nkw;
    s->kwnames = cp->kwnames;
    s->star = cp->star;
    return b_at(fg_const_obj(FG_C_SHAPE, s), pos);
}

/* ---- lambda ---- */

/* lambda args: body is a function `<lambda>` whose body returns body;
 * the expression's value is that function (a closure inside a function
 * that it reads variables of). */
static struct fg_value *lambda(struct fstate *fs, struct ast_node *e)
{
    struct ast_node *def = ast_new(AST_FUNCTIONDEF, e->pos);
    def->name = e->name ? e->name : sp_intern("<lambda>"); /* a named one: a binder (build_tasklet.c) */
    def->args = e->args;
    struct ast_node *ret = ast_new(AST_RETURN, e->value->pos);
    ret->value = e->value;
    ast_list_push(&def->body, ret);
    if (!fs->is_module)
        return b_nested_function(fs, e, def);
    bool dyn = false;
    for (int i = 0; e->args && i < e->args->posargs.n; i++)
        dyn |= e->args->posargs.v[i]->value && !b_const_expr(e->args->posargs.v[i]->value);
    if (dyn) {
        /* `lambda x, i=i: ...` in a loop: each function object has its own
         * defaults, so they live in its environment as in a closure */
        b_analyse_scopes(fs->bp, def);
        return b_nested_function(fs, def, def);
    }
    struct fg_func *f = b_new_function(fs->bp, def, NULL);
    b_build_function(fs->bp, f);
    return b_at(fg_const_obj(FG_C_FUNC, f), e->pos);
}

/* ---- generators (generator.c transforms the graphs) ---- */

static struct fg_value *yield(struct fstate *fs, struct ast_node *e)
{
    if (fs->is_module || !fs->scope || fs->scope->node->kind == AST_LAMBDA) {
        sp_error(e->pos, "'yield' outside function");
        return b_none(e->pos);
    }
    fs->has_yield = true;
    struct fg_value *v = e->value ? b_expr(fs, e->value) : b_none(e->pos);
    return b_emit(fs, OP_YIELD, e->pos, 1, v);
}

static struct ast_node *stmt_list1(enum ast_kind kind, struct srcpos pos, struct ast_node *inner)
{
    struct ast_node *s = ast_new(kind, pos);
    ast_list_push(&s->body, inner);
    return s;
}

/* (elt for t in it if c ...) is a generator function <genexpr>(.0) whose
 * body is the loops ending in `yield elt`, called with the first
 * iterable (evaluated here, as in Python). */
static struct fg_value *genexpr(struct fstate *fs, struct ast_node *e)
{
    const char *dot0 = sp_intern(".0");
    struct ast_node *yield_ = ast_new(AST_YIELD, e->elt->pos);
    yield_->value = e->elt;
    struct ast_node *inner = ast_new(AST_EXPR, e->elt->pos);
    inner->value = yield_;
    for (int i = e->generators.n - 1; i >= 0; i--) {
        struct ast_node *g = e->generators.v[i];
        for (int k = g->ifs.n - 1; k >= 0; k--) {
            struct ast_node *s = stmt_list1(AST_IF, g->ifs.v[k]->pos, inner);
            s->test = g->ifs.v[k];
            inner = s;
        }
        struct ast_node *loop = stmt_list1(AST_FOR, g->pos, inner);
        loop->target = g->target;
        if (i == 0) {
            loop->iter = ast_new(AST_NAME, g->iter->pos);
            loop->iter->name = dot0;
        } else {
            loop->iter = g->iter;
        }
        inner = loop;
    }
    struct ast_node *def = ast_new(AST_FUNCTIONDEF, e->pos);
    def->name = sp_intern("<genexpr>");
    def->args = ast_new(AST_ARGUMENTS, e->pos);
    struct ast_node *arg = ast_new(AST_ARG, e->pos);
    arg->name = dot0;
    ast_list_push(&def->args->posargs, arg);
    ast_list_push(&def->body, inner);
    if (fs->is_module) {
        struct sp_vec compnames = {0};
        for (struct compscope *c = fs->comp; c; c = c->outer)
            for (int i = 0; i < c->names.n; i++)
                sp_vec_push(&compnames, c->names.v[i]);
        b_analyse_scopes_in(fs->bp, e, &compnames);
    }
    struct b_scope *sc = b_scope_of(fs->bp, e);
    for (int i = 0; sc && i < sc->compargs.n; i++) { /* comprehension variables it reads */
        struct ast_node *a = ast_new(AST_ARG, e->pos);
        a->name = sc->compargs.v[i];
        ast_list_push(&def->args->posargs, a);
    }
    int first = fs->slots.n;
    b_push(fs, b_nested_function(fs, e, def));
    b_push(fs, b_expr(fs, e->generators.v[0]->iter));
    for (int i = 0; sc && i < sc->compargs.n; i++) {
        struct ast_node *n = ast_new(AST_NAME, e->pos);
        n->name = sc->compargs.v[i];
        b_push(fs, b_load_name(fs, n));
    }
    int nargs = fs->slots.n - first;
    struct fg_value **args = sp_alloc(sizeof(struct fg_value *) * (size_t)(nargs + 1));
    for (int i = 0; i < nargs; i++)
        args[i] = b_slot(fs, first + i);
    while (fs->slots.n > first)
        b_pop(fs);
    return b_emitv(fs, OP_SIMPLE_CALL, e->pos, args, nargs);
}

static bool is_super_call(struct fstate *fs, struct ast_node *e)
{
    return e->kind == AST_CALL && e->func->kind == AST_NAME && e->func->name == sp_intern("super") &&
           !fg_ptrmap_has(&fs->localidx, e->func->name) && !fg_ptrmap_has(&fs->bp->globalset, e->func->name);
}

/* super().name(args) in a method: call_super(self, class, name, args). */
static struct fg_value *super_call(struct fstate *fs, struct ast_node *e)
{
    struct ast_node *f = e->func;
    struct ast_node *sup = f->value;
    if (sup->callargs.n || sup->keywords.n) {
        sp_error(sup->pos, "super() with arguments is not supported; write super()");
        return b_none(e->pos);
    }
    if (!fs->func || !fs->func->cls || fs->func->nparams == 0 || fs->func->is_staticmethod) {
        sp_error(sup->pos, "super() outside a method");
        return b_none(e->pos);
    }
    struct callparts cp = {0};
    call_parts(e, &cp);
    if (cp.nkw || cp.star) {
        sp_error(e->pos, "keyword and * arguments in a super() call are not supported yet");
        return b_none(e->pos);
    }
    struct fg_value **args = alloc_values(3 + cp.npos);
    call_values(fs, &cp, args + 3, e->pos);
    args[0] = b_slot(fs, 0); /* self: the method's first parameter */
    args[1] = b_at(fg_const_obj(FG_C_CLASS, fs->func->cls), sup->pos);
    args[2] = b_name_const(f->name, f->pos);
    return b_emitv(fs, OP_CALL_SUPER, e->pos, args, 3 + cp.npos);
}

/* format(value[, spec]): the f-string field {value:spec}, when `format`
 * is the built-in (no local or global of that name). */
static bool is_builtin_format(struct fstate *fs, struct ast_node *e)
{
    struct ast_node *f = e->func;
    return f->kind == AST_NAME && f->name == sp_intern("format") && !b_is_local_name(fs, f->name) &&
           !fg_ptrmap_has(&fs->bp->globalset, f->name) && e->keywords.n == 0 && e->callargs.n >= 1 &&
           e->callargs.n <= 2 && e->callargs.v[0]->kind != AST_STARRED &&
           (e->callargs.n == 1 || e->callargs.v[1]->kind != AST_STARRED);
}

static struct fg_value *builtin_format(struct fstate *fs, struct ast_node *e)
{
    b_push(fs, b_expr(fs, e->callargs.v[0]));
    struct fg_value *spec = e->callargs.n == 2 ? b_expr(fs, e->callargs.v[1]) : b_at(fg_const_str("", 0), e->pos);
    struct fg_value *v = b_pop(fs);
    return b_emit(fs, OP_FORMAT, e->pos, 3, v, b_at(fg_const_str("", 0), e->pos), spec);
}

static struct fg_value *call(struct fstate *fs, struct ast_node *e)
{
    struct callparts cp = {0};
    struct ast_node *f = e->func;
    if (is_builtin_format(fs, e))
        return builtin_format(fs, e);
    if (f->kind == AST_ATTRIBUTE && is_super_call(fs, f->value))
        return super_call(fs, e);
    bool method = f->kind == AST_ATTRIBUTE;
    bool genexp = genexp_consumer(fs, e);
    if (genexp)
        cp.npos = 1;
    else
        call_parts(e, &cp);
    bool shaped = cp.nkw || cp.star;
    int nvals = cp.npos + cp.nkw + (cp.star ? 1 : 0);
    int head = (method ? 2 : 1) + (shaped ? 1 : 0);
    struct fg_value **args = alloc_values(head + nvals);
    int callee = b_push(fs, b_expr(fs, method ? f->value : f));
    if (genexp) /* sum(x for x in xs): the generator is built as a list */
        args[head] = comprehension(fs, e->callargs.v[0], COMP_LIST);
    else
        call_values(fs, &cp, args + head, e->pos);
    args[0] = b_slot(fs, callee);
    b_pop(fs);
    if (method)
        args[1] = b_name_const(f->name, f->pos);
    if (shaped)
        args[head - 1] = shape_const(&cp, e->pos);
    enum fg_opcode opc = method ? (shaped ? OP_CALL_METHOD_ARGS : OP_CALL_METHOD)
                                : (shaped ? OP_CALL_ARGS : OP_SIMPLE_CALL);
    return b_emitv(fs, opc, e->pos, args, head + nvals);
}

/* ---- displays, subscripts, f-strings ---- */

static bool has_starred(struct ast_list *elts)
{
    for (int i = 0; i < elts->n; i++)
        if (elts->v[i]->kind == AST_STARRED) {
            sp_error(elts->v[i]->pos, "unpacking in a display is not supported yet");
            return true;
        }
    return false;
}

static struct fg_value *display(struct fstate *fs, struct ast_node *e, enum fg_opcode opc)
{
    if (has_starred(&e->elts))
        return b_none(e->pos);
    struct fg_value **vals = alloc_values(e->elts.n);
    b_eval_n(fs, e->elts.v, e->elts.n, vals, e->pos);
    return b_emitv(fs, opc, e->pos, vals, e->elts.n);
}

static struct fg_value *dict_display(struct fstate *fs, struct ast_node *e)
{
    int n = e->keys.n < e->values.n ? e->keys.n : e->values.n;
    struct ast_node **nodes = sp_alloc(sizeof(struct ast_node *) * (size_t)(2 * n + 1));
    for (int i = 0; i < n; i++) {
        if (!e->keys.v[i]) {
            sp_error(e->values.v[i]->pos, "** unpacking in a dict display is not supported yet");
            return b_none(e->pos);
        }
        nodes[2 * i] = e->keys.v[i];
        nodes[2 * i + 1] = e->values.v[i];
    }
    struct fg_value **vals = alloc_values(2 * n);
    b_eval_n(fs, nodes, 2 * n, vals, e->pos);
    return b_emitv(fs, OP_NEWDICT, e->pos, vals, 2 * n);
}

static struct fg_value *subscript(struct fstate *fs, struct ast_node *e)
{
    struct ast_node *ix = e->index;
    if (ix && ix->kind == AST_SLICE) {
        struct ast_node *nodes[4] = {e->value, ix->lower, ix->upper, ix->step};
        struct fg_value *v[4];
        b_eval_n(fs, nodes, 4, v, ix->pos);
        return b_emit(fs, OP_GETSLICE, e->pos, 4, v[0], v[1], v[2], v[3]);
    }
    struct ast_node *nodes[2] = {e->value, ix};
    struct fg_value *v[2];
    b_eval_n(fs, nodes, 2, v, e->pos);
    return b_emit(fs, OP_GETITEM, e->pos, 2, v[0], v[1]);
}

static struct fg_value *joinedstr(struct fstate *fs, struct ast_node *e);

static struct fg_value *formatted(struct fstate *fs, struct ast_node *fv)
{
    b_push(fs, b_expr(fs, fv->value));
    struct fg_value *spec = fv->spec ? joinedstr(fs, fv->spec) : b_at(fg_const_str("", 0), fv->pos);
    struct fg_value *v = b_pop(fs);
    char conv[2] = {(char)fv->conversion, 0};
    struct fg_value *c = b_at(fg_const_str(conv, strlen(conv)), fv->pos);
    return b_emit(fs, OP_FORMAT, fv->pos, 3, v, c, spec);
}

static struct fg_value *joinedstr(struct fstate *fs, struct ast_node *e)
{
    int n = e->values.n, base = fs->slots.n;
    for (int i = 0; i < n; i++) {
        struct ast_node *part = e->values.v[i];
        b_push(fs, part->kind == AST_FORMATTEDVALUE ? formatted(fs, part) : b_expr(fs, part));
    }
    struct fg_value **parts = alloc_values(n);
    for (int i = n - 1; i >= 0; i--)
        parts[i] = b_pop(fs);
    SP_ASSERT(fs->slots.n == base);
    if (n == 0)
        return b_at(fg_const_str("", 0), e->pos);
    if (n == 1 && (parts[0]->kind == FG_CONST || e->values.v[0]->kind == AST_FORMATTEDVALUE))
        return parts[0];
    return b_emitv(fs, OP_BUILDSTR, e->pos, parts, n);
}

/* ---- dispatch ---- */

struct fg_value *b_expr(struct fstate *fs, struct ast_node *e)
{
    b_ensure(fs);
    switch (e->kind) {
    case AST_CONSTANT: return constant(e);
    case AST_NAME: return b_load_name(fs, e);
    case AST_BINOP: return binop(fs, e);
    case AST_UNARYOP: return unaryop(fs, e);
    case AST_BOOLOP: return e->values.n ? boolop(fs, e) : b_none(e->pos);
    case AST_COMPARE: return e->comparators.n ? compare(fs, e) : b_expr(fs, e->left);
    case AST_IFEXP: return ifexp(fs, e);
    case AST_CALL: return call(fs, e);
    case AST_ATTRIBUTE:
        if (e->name == sp_intern("__dict__")) {
            sp_error(e->pos, "__dict__ is not supported: the attributes of an object are fixed at compile time, "
                             "not a dict (read them by name)");
            return b_none(e->pos);
        }
        return b_emit(fs, OP_GETATTR, e->pos, 2, b_expr(fs, e->value), b_name_const(e->name, e->pos));
    case AST_SUBSCRIPT: return subscript(fs, e);
    case AST_LIST: return display(fs, e, OP_NEWLIST);
    case AST_TUPLE: return display(fs, e, OP_NEWTUPLE);
    case AST_SET: return display(fs, e, OP_NEWSET);
    case AST_DICT: return dict_display(fs, e);
    case AST_LISTCOMP: return comprehension(fs, e, COMP_LIST);
    case AST_SETCOMP: return comprehension(fs, e, COMP_SET);
    case AST_DICTCOMP: return comprehension(fs, e, COMP_DICT);
    case AST_JOINEDSTR: return joinedstr(fs, e);
    case AST_FORMATTEDVALUE: return formatted(fs, e);
    case AST_GENEXP: return genexpr(fs, e);
    case AST_LAMBDA: return lambda(fs, e);
    case AST_YIELD: return yield(fs, e);
    case AST_YIELDFROM: return unsupported(e, "yield from is not supported yet");
    case AST_STARRED: return unsupported(e, "starred expressions are not supported yet");
    case AST_SLICE: return unsupported(e, "extended slices are not supported yet");
    default: return unsupported(e, sp_fmt("%s expressions are not supported yet", ast_kind_name(e->kind)));
    }
}
