/* build.c - AST construction for the grammar actions.
 *
 * The LALR grammar parses a little more than Python allows (targets as
 * expressions, flat argument and parameter lists); the helpers here build
 * the nodes and reject the rest with CPython's wording, at the position of
 * the offending piece. They always return a usable node, even after an
 * error: the parse is stopped by the scanner (see frontend.h), so the
 * actions need no error paths of their own.
 */
#include "frontend/frontend.h"

#include <string.h>

void fe_error(struct fe_state *st, struct srcpos pos, const char *fmt, ...)
{
    if (st->failed)
        return;
    st->failed = true;
    va_list ap;
    va_start(ap, fmt);
    sp_verror(pos, fmt, ap);
    va_end(ap);
}

struct srcpos fe_pos(struct fe_state *st, int line, int col)
{
    return (struct srcpos){st->file, line, col, NULL};
}

void fe_list_append(struct ast_list *dst, struct ast_list src)
{
    for (int i = 0; i < src.n; i++)
        ast_list_push(dst, src.v[i]);
}

/* ---- simple nodes ---- */

struct ast_node *fe_name(const char *name, struct srcpos pos)
{
    struct ast_node *n = ast_new(AST_NAME, pos);
    n->name = name;
    return n;
}

struct ast_node *fe_const(enum ast_const_kind kind, struct srcpos pos)
{
    struct ast_node *n = ast_new(AST_CONSTANT, pos);
    n->const_kind = kind;
    return n;
}

struct ast_node *fe_binop(struct ast_node *left, enum ast_op op, struct ast_node *right,
                          struct srcpos pos)
{
    struct ast_node *n = ast_new(AST_BINOP, pos);
    n->left = left;
    n->op = op;
    n->right = right;
    return n;
}

struct ast_node *fe_unary(enum ast_op op, struct ast_node *value, struct srcpos pos)
{
    struct ast_node *n = ast_new(AST_UNARYOP, pos);
    n->op = op;
    n->value = value;
    return n;
}

struct ast_node *fe_boolop(struct ast_node *left, enum ast_op op, struct ast_node *right,
                           struct srcpos pos)
{
    struct ast_node *n = ast_new(AST_BOOLOP, pos);
    n->op = op;
    ast_list_push(&n->values, left);
    ast_list_push(&n->values, right);
    return n;
}

struct ast_node *fe_compare(struct ast_node *left, enum ast_op op, struct ast_node *right,
                            struct srcpos pos)
{
    struct ast_node *n = ast_new(AST_COMPARE, pos);
    n->left = left;
    fe_compare_push(n, op, right);
    return n;
}

/* cmpops grows with the capacity of comparators, so it stays parallel. */
void fe_compare_push(struct ast_node *cmp, enum ast_op op, struct ast_node *right)
{
    int cap = cmp->comparators.cap;
    ast_list_push(&cmp->comparators, right);
    if (cmp->comparators.cap != cap) {
        enum ast_op *ops = sp_alloc(sizeof(enum ast_op) * (size_t)cmp->comparators.cap);
        if (cmp->cmpops)
            memcpy(ops, cmp->cmpops, sizeof(enum ast_op) * (size_t)(cmp->comparators.n - 1));
        cmp->cmpops = ops;
    }
    cmp->cmpops[cmp->comparators.n - 1] = op;
}

struct ast_node *fe_starred(struct ast_node *value, struct srcpos pos)
{
    struct ast_node *n = ast_new(AST_STARRED, pos);
    n->value = value;
    return n;
}

const char *fe_dotted(const char *left, const char *right)
{
    return sp_intern(sp_fmt("%s.%s", left, right));
}

/* ---- sequences: tuples, lists, sets, subscripts ---- */

struct fe_seq *fe_seq_new(struct ast_node *first)
{
    struct fe_seq *seq = SP_NEW(struct fe_seq);
    ast_list_push(&seq->elts, first);
    return seq;
}

struct ast_node *fe_single(struct fe_state *st, struct ast_node *value)
{
    if (value->kind == AST_STARRED)
        fe_error(st, value->pos, "can't use starred expression here");
    return value;
}

static struct ast_node *seq_to_tuple(struct fe_seq *seq, struct srcpos pos)
{
    struct ast_node *n = ast_new(AST_TUPLE, pos);
    n->elts = seq->elts;
    return n;
}

/* `a` stays `a`; `a,` and `a, b` are tuples starting at `a`. */
struct ast_node *fe_seq_to_expr(struct fe_seq *seq, struct srcpos pos)
{
    if (seq->elts.n == 1 && !seq->trailing_comma)
        return seq->elts.v[0];
    return seq_to_tuple(seq, pos);
}

static struct ast_node *comprehension_of(struct fe_state *st, enum ast_kind kind,
                                         struct fe_seq *seq, struct srcpos pos)
{
    struct ast_node *n = ast_new(kind, pos);
    n->elt = seq->elts.v[0];
    n->generators = seq->generators;
    if (n->elt->kind == AST_STARRED)
        fe_error(st, n->elt->pos, "iterable unpacking cannot be used in comprehension");
    return n;
}

/* ( ... ): a parenthesised expression, a tuple or a generator expression. */
struct ast_node *fe_paren(struct fe_state *st, struct fe_seq *seq, struct srcpos pos)
{
    if (seq->generators.n)
        return comprehension_of(st, AST_GENEXP, seq, pos);
    if (seq->elts.n == 1 && !seq->trailing_comma)
        return fe_single(st, seq->elts.v[0]);
    return seq_to_tuple(seq, pos);
}

struct ast_node *fe_bracket(struct fe_state *st, struct fe_seq *seq, struct srcpos pos)
{
    if (seq->generators.n)
        return comprehension_of(st, AST_LISTCOMP, seq, pos);
    struct ast_node *n = ast_new(AST_LIST, pos);
    n->elts = seq->elts;
    return n;
}

struct ast_node *fe_brace(struct fe_state *st, struct fe_seq *seq, struct srcpos pos)
{
    if (seq->generators.n)
        return comprehension_of(st, AST_SETCOMP, seq, pos);
    struct ast_node *n = ast_new(AST_SET, pos);
    n->elts = seq->elts;
    return n;
}

struct fe_seq *fe_dict_new(struct ast_node *key, struct ast_node *value)
{
    struct fe_seq *seq = SP_NEW(struct fe_seq);
    fe_dict_push(seq, key, value);
    return seq;
}

void fe_dict_push(struct fe_seq *seq, struct ast_node *key, struct ast_node *value)
{
    ast_list_push(&seq->elts, key);
    ast_list_push(&seq->values, value);
}

struct ast_node *fe_dict(struct fe_seq *seq, struct srcpos pos)
{
    struct ast_node *n = ast_new(AST_DICT, pos);
    n->keys = seq->elts;
    n->values = seq->values;
    return n;
}

struct ast_node *fe_subscript_index(struct fe_seq *seq, struct srcpos pos)
{
    if (seq->elts.n == 1 && !seq->trailing_comma)
        return seq->elts.v[0];
    return seq_to_tuple(seq, pos);
}

struct ast_node *fe_slice(struct ast_node *lower, struct ast_node *upper, struct ast_node *step,
                          struct srcpos pos)
{
    struct ast_node *n = ast_new(AST_SLICE, pos);
    n->lower = lower;
    n->upper = upper;
    n->step = step;
    return n;
}

/* ---- string literal concatenation ---- */

static bool is_bytes(const struct ast_node *n)
{
    return n->kind == AST_CONSTANT && n->const_kind == AST_CONST_BYTES;
}

static struct ast_node *const_join(struct ast_node *a, struct ast_node *b)
{
    struct ast_node *n = fe_const(a->const_kind, a->pos);
    char *s = sp_alloc(a->len + b->len + 1);
    memcpy(s, a->str, a->len);
    memcpy(s + a->len, b->str, b->len);
    n->str = s;
    n->len = a->len + b->len;
    return n;
}

void fe_joined_push(struct ast_node *joined, struct ast_node *part)
{
    struct ast_list *v = &joined->values;
    if (part->kind == AST_CONSTANT && part->len == 0)
        return;
    if (part->kind == AST_CONSTANT && v->n > 0 && v->v[v->n - 1]->kind == AST_CONSTANT) {
        v->v[v->n - 1] = const_join(v->v[v->n - 1], part);
        return;
    }
    ast_list_push(v, part);
}

/* Runs of constant parts are gathered in one buffer, so that joining n
 * literals costs their total length, not n times it. */
struct concat {
    struct ast_node *joined;    /* NULL while every part is a constant */
    struct sp_buf run;
    struct ast_node *run_first; /* the first constant of the current run */
};

static void concat_flush(struct concat *c)
{
    if (!c->run_first)
        return;
    struct ast_node *n = fe_const(c->run_first->const_kind, c->run_first->pos);
    n->str = sp_buf_cstr(&c->run);
    n->len = c->run.len;
    if (c->joined && n->len)
        ast_list_push(&c->joined->values, n);
    else if (!c->joined)
        c->joined = n;
    c->run = (struct sp_buf){0};
    c->run_first = NULL;
}

static void concat_part(struct concat *c, struct ast_node *part)
{
    if (part->kind == AST_CONSTANT) {
        if (!c->run_first)
            c->run_first = part;
        sp_buf_putn(&c->run, part->str, part->len);
        return;
    }
    concat_flush(c);
    ast_list_push(&c->joined->values, part);
}

/* "a" 'b' -> 'ab';  "a" f"{b}" "c" -> JoinedStr('a', {b}, 'c'). */
struct ast_node *fe_concat(struct fe_state *st, struct ast_list parts)
{
    struct ast_node *first = parts.v[0];
    for (int i = 1; i < parts.n; i++) {
        if (is_bytes(parts.v[i]) != is_bytes(first)) {
            fe_error(st, parts.v[i]->pos, "cannot mix bytes and nonbytes literals");
            return first;
        }
    }
    if (parts.n == 1)
        return first;
    struct concat c = {0};
    for (int i = 0; i < parts.n; i++) {
        struct ast_node *p = parts.v[i];
        if (p->kind == AST_JOINEDSTR && !c.joined)
            c.joined = ast_new(AST_JOINEDSTR, first->pos);
        if (p->kind != AST_JOINEDSTR) {
            concat_part(&c, p);
            continue;
        }
        for (int j = 0; j < p->values.n; j++)
            concat_part(&c, p->values.v[j]);
    }
    concat_flush(&c);
    return c.joined;
}

/* ---- assignment targets ---- */

static const char *describe(const struct ast_node *n)
{
    switch (n->kind) {
    case AST_CALL: return "function call";
    case AST_CONSTANT:
        switch (n->const_kind) {
        case AST_CONST_TRUE: return "True";
        case AST_CONST_FALSE: return "False";
        case AST_CONST_NONE: return "None";
        case AST_CONST_ELLIPSIS: return "ellipsis";
        default: return "literal";
        }
    case AST_COMPARE: return "comparison";
    case AST_LAMBDA: return "lambda";
    case AST_IFEXP: return "conditional expression";
    case AST_DICT: return "dict literal";
    case AST_SET: return "set display";
    case AST_LISTCOMP: return "list comprehension";
    case AST_SETCOMP: return "set comprehension";
    case AST_DICTCOMP: return "dict comprehension";
    case AST_GENEXP: return "generator expression";
    case AST_YIELD: case AST_YIELDFROM: return "yield expression";
    case AST_JOINEDSTR: case AST_FORMATTEDVALUE: return "f-string expression";
    case AST_TUPLE: return "tuple";
    case AST_LIST: return "list";
    case AST_STARRED: return "starred";
    default: return "expression";
    }
}

/* `f() = 1`, `1 = x`: was `==` meant? (CPython's choice of cases.) */
static bool maybe_comparison(const struct ast_node *t)
{
    switch (t->kind) {
    case AST_CALL: case AST_BINOP: case AST_UNARYOP: case AST_BOOLOP: case AST_JOINEDSTR:
        return true;
    case AST_CONSTANT:
        return t->const_kind < AST_CONST_TRUE || t->const_kind == AST_CONST_ELLIPSIS;
    default:
        return false;
    }
}

static void bad_target(struct fe_state *st, struct ast_node *t, enum fe_target_use use)
{
    if (use == FE_DELETE)
        fe_error(st, t->pos, "cannot delete %s", describe(t));
    else if (use == FE_ASSIGN_FIRST && maybe_comparison(t))
        fe_error(st, t->pos, "cannot assign to %s here. Maybe you meant '==' instead of '='?",
                 describe(t));
    else
        fe_error(st, t->pos, "cannot assign to %s", describe(t));
}

static void check_target(struct fe_state *st, struct ast_node *t, enum fe_target_use use,
                         bool in_sequence)
{
    switch (t->kind) {
    case AST_NAME:
    case AST_ATTRIBUTE:
    case AST_SUBSCRIPT:
        return;
    case AST_STARRED:
        if (use == FE_DELETE)
            fe_error(st, t->pos, "cannot delete starred");
        else if (!in_sequence)
            fe_error(st, t->pos, "starred assignment target must be in a list or tuple");
        else
            check_target(st, t->value, use == FE_ASSIGN_FIRST ? FE_ASSIGN : use, false);
        return;
    case AST_TUPLE:
    case AST_LIST: {
        int stars = 0;
        for (int i = 0; i < t->elts.n; i++) {
            if (t->elts.v[i]->kind == AST_STARRED && ++stars == 2)
                fe_error(st, t->elts.v[i]->pos, "multiple starred expressions in assignment");
            check_target(st, t->elts.v[i], use == FE_ASSIGN_FIRST ? FE_ASSIGN : use, true);
        }
        return;
    }
    default:
        bad_target(st, t, use);
    }
}

struct ast_node *fe_target(struct fe_state *st, struct ast_node *t, enum fe_target_use use)
{
    bool single = t->kind == AST_NAME || t->kind == AST_ATTRIBUTE || t->kind == AST_SUBSCRIPT;
    if (use == FE_AUGASSIGN && !single)
        fe_error(st, t->pos, "'%s' is an illegal expression for augmented assignment", describe(t));
    else if (use == FE_ANNASSIGN && (t->kind == AST_TUPLE || t->kind == AST_LIST))
        fe_error(st, t->pos, "only single target (not %s) can be annotated", describe(t));
    else if (use == FE_ANNASSIGN && !single)
        fe_error(st, t->pos, "illegal target for annotation");
    else
        check_target(st, t, use, false);
    return t;
}

/* ---- call arguments ---- */

struct fe_args *fe_args_new(void)
{
    return SP_NEW(struct fe_args);
}

void fe_args_push(struct fe_state *st, struct fe_args *a, struct ast_node *arg)
{
    if (arg->kind == AST_STARRED) {
        if (a->seen_dstar)
            fe_error(st, arg->pos, "iterable argument unpacking follows keyword argument unpacking");
    } else if (a->seen_dstar) {
        fe_error(st, arg->pos, "positional argument follows keyword argument unpacking");
    } else if (a->seen_keyword) {
        fe_error(st, arg->pos, "positional argument follows keyword argument");
    }
    ast_list_push(&a->args, arg);
}

static struct ast_node *keyword(const char *name, struct ast_node *value, struct srcpos pos)
{
    struct ast_node *n = ast_new(AST_KEYWORD, pos);
    n->name = name;
    n->value = value;
    return n;
}

void fe_args_keyword(struct fe_state *st, struct fe_args *a, struct ast_node *name,
                     struct ast_node *value, struct srcpos pos)
{
    if (name->kind != AST_NAME) {
        if (name->kind == AST_CONSTANT && name->const_kind >= AST_CONST_TRUE &&
            name->const_kind <= AST_CONST_NONE)
            fe_error(st, name->pos, "cannot assign to %s", describe(name));
        else
            fe_error(st, name->pos,
                     "expression cannot contain assignment, perhaps you meant \"==\"?");
        return;
    }
    for (int i = 0; i < a->keywords.n; i++)
        if (a->keywords.v[i]->name == name->name)
            fe_error(st, name->pos, "keyword argument repeated: %s", name->name);
    a->seen_keyword = true;
    ast_list_push(&a->keywords, keyword(name->name, value, pos));
}

void fe_args_dstar(struct fe_state *st, struct fe_args *a, struct ast_node *value, struct srcpos pos)
{
    (void)st;
    a->seen_dstar = true;
    ast_list_push(&a->keywords, keyword(NULL, value, pos));
}

/* f(x for x in y): the generator expression needs no parentheses of its
 * own when it is the only argument; fe_call checks that it is. */
void fe_args_genexp(struct fe_state *st, struct fe_args *a, struct ast_node *elt,
                    struct ast_list gens)
{
    struct ast_node *n = ast_new(AST_GENEXP, elt->pos);
    n->elt = elt;
    n->generators = gens;
    if (elt->kind == AST_STARRED)
        fe_error(st, elt->pos, "iterable unpacking cannot be used in comprehension");
    fe_args_push(st, a, n);
    if (!a->bare_genexp)
        a->bare_genexp = n;
}

/* The call's parentheses are the generator's: it starts at the `(`. */
static void check_bare_genexp(struct fe_state *st, struct fe_args *a)
{
    if (!a->bare_genexp)
        return;
    if (a->args.n + a->keywords.n > 1)
        fe_error(st, a->bare_genexp->pos, "Generator expression must be parenthesized");
    else
        a->bare_genexp->pos = a->lparen;
}

struct ast_node *fe_call(struct fe_state *st, struct ast_node *func, struct fe_args *a,
                         struct srcpos pos)
{
    check_bare_genexp(st, a);
    struct ast_node *n = ast_new(AST_CALL, pos);
    n->func = func;
    n->callargs = a->args;
    n->keywords = a->keywords;
    return n;
}

struct ast_node *fe_classdef(struct fe_state *st, const char *name, struct fe_args *bases,
                             struct ast_list body, struct srcpos pos)
{
    struct ast_node *n = ast_new(AST_CLASSDEF, pos);
    n->name = name;
    n->body = body;
    if (!bases)
        return n;
    check_bare_genexp(st, bases);
    if (bases->keywords.n && bases->keywords.v[0]->name == sp_intern("metaclass"))
        fe_error(st, bases->keywords.v[0]->pos,
                 "metaclasses are not supported: the compiler makes every class itself (remove metaclass=)");
    else if (bases->keywords.n)
        fe_error(st, bases->keywords.v[0]->pos,
                 "keyword arguments in a class definition are not supported");
    for (int i = 0; i < bases->args.n; i++)
        if (bases->args.v[i]->kind == AST_STARRED)
            fe_error(st, bases->args.v[i]->pos, "starred class bases are not supported");
    n->bases = bases->args;
    return n;
}

/* ---- parameters ---- */

struct ast_node *fe_arg(const char *name, struct ast_node *annotation, struct ast_node *value,
                        struct srcpos pos)
{
    struct ast_node *n = ast_new(AST_ARG, pos);
    n->name = name;
    n->annotation = annotation;
    n->value = value;
    return n;
}

struct fe_params *fe_params_new(struct srcpos pos)
{
    struct fe_params *ps = SP_NEW(struct fe_params);
    ps->args = ast_new(AST_ARGUMENTS, pos);
    return ps;
}

static bool list_has(const struct ast_list *list, const char *name)
{
    for (int i = 0; i < list->n; i++)
        if (list->v[i]->name == name)
            return true;
    return false;
}

static void check_duplicate(struct fe_state *st, struct ast_node *args, struct ast_node *arg)
{
    if (list_has(&args->posargs, arg->name) || list_has(&args->kwonlyargs, arg->name) ||
        (args->vararg && args->vararg->name == arg->name) ||
        (args->kwarg && args->kwarg->name == arg->name))
        fe_error(st, arg->pos, "duplicate argument '%s' in function definition", arg->name);
}

static void push_plain(struct fe_state *st, struct fe_params *ps, struct ast_node *arg)
{
    struct ast_node *args = ps->args;
    if (ps->star) {
        ps->bare_star_open = false;
        ast_list_push(&args->kwonlyargs, arg);
        return;
    }
    if (arg->value)
        ps->seen_default = true;
    else if (ps->seen_default)
        fe_error(st, arg->pos, "non-default argument follows default argument");
    ast_list_push(&args->posargs, arg);
}

void fe_params_push(struct fe_state *st, struct fe_params *ps, enum fe_param_kind kind,
                    struct ast_node *arg, struct srcpos pos)
{
    struct ast_node *args = ps->args;
    if (args->kwarg)
        fe_error(st, pos, "arguments cannot follow var-keyword argument");
    if (arg)
        check_duplicate(st, args, arg);
    switch (kind) {
    case FE_PARAM_PLAIN:
        push_plain(st, ps, arg);
        break;
    case FE_PARAM_STAR:
        if (ps->star)
            fe_error(st, pos, "* argument may appear only once");
        ps->star = true;
        args->vararg = arg;
        ps->bare_star_open = !arg;
        ps->bare_star_pos = pos;
        break;
    case FE_PARAM_DSTAR:
        if (ps->bare_star_open)
            fe_error(st, ps->bare_star_pos, "named arguments must follow bare *");
        args->kwarg = arg;
        break;
    case FE_PARAM_SLASH:
        fe_error(st, pos, "positional-only parameters (/) are not supported");
        break;
    }
}

struct ast_node *fe_params_done(struct fe_state *st, struct fe_params *ps)
{
    if (ps->bare_star_open)
        fe_error(st, ps->bare_star_pos, "named arguments must follow bare *");
    return ps->args;
}
