/* unbound.c - UnboundLocalError for locals that some path leaves unset.
 *
 * Requires: a simplified high-level graph (fg_simplify): a local that is
 * not bound yet on some path reaches a block as the constant <undefined>
 * on that path's link. Provides: every block input that may be unbound
 * (a link passes <undefined>, or a block input that may itself be unbound)
 * gets a companion bool input, "is bound", which links fill with False,
 * True or the companion of the value they pass; before the first op of
 * the block that reads the input (or before its exits, when the exit
 * switch or a return reads it) the block checks it:
 *
 *     check_bound(bound, 'total')    raises UnboundLocalError, as CPython:
 *         cannot access local variable 'total' where it is not associated with a value
 *
 * Without this the annotator would see only the bound paths (<undefined>
 * is impossible), and a program that CPython stops with an
 * UnboundLocalError would go on with a zero. Locals bound on every path
 * get nothing. A read whose slot is <undefined> on every path is a
 * compile-time error already (build_state.c).
 */
#include "internal.h"

#include <string.h>

struct input {
    struct fg_block *block;
    int index;
    struct fg_value *flag; /* the companion, once made */
};

static bool is_undefined(const struct fg_value *v) { return v->kind == FG_CONST && v->ckind == FG_C_UNDEFINED; }

static struct fg_value *bool_const(bool b, struct srcpos pos)
{
    struct fg_value *c = fg_const_bool(b);
    c->pos = pos;
    return c;
}

/* The maybe-unbound input that v is in block b, or NULL. */
static struct input *maybe_of(struct fg_ptrmap *maybe, struct fg_value *v)
{
    return v->kind == FG_VAR ? fg_ptrmap_get(maybe, v) : NULL;
}

static bool reads(const struct fg_op *op, const struct fg_value *v)
{
    for (int i = 0; i < op->nargs; i++)
        if (op->args[i] == v)
            return true;
    return false;
}

static struct fg_op *check_op(struct input *in, struct fg_value *v, struct srcpos pos)
{
    struct fg_value **args = sp_alloc(sizeof(struct fg_value *) * 2);
    args[0] = in->flag;
    const char *name = v->name ? v->name : "?";
    args[1] = fg_const_str(name, strlen(name));
    args[1]->pos = pos;
    return fg_newop(OP_CHECK_BOUND, args, 2, fg_newvar("v"), pos);
}

/* One more (flag, name) pair on check op c. */
static void add_pair(struct fg_op *c, struct input *in, struct fg_value *v)
{
    struct fg_value **args = sp_alloc(sizeof(struct fg_value *) * (size_t)(c->nargs + 2));
    memcpy(args, c->args, sizeof(struct fg_value *) * (size_t)c->nargs);
    struct fg_op *one = check_op(in, v, c->pos);
    args[c->nargs] = one->args[0];
    args[c->nargs + 1] = one->args[1];
    c->args = args;
    c->nargs += 2;
}

/* A link out of the graph (return, raise) that passes maybe-unbound
 * values goes through a new block that checks them first: the check
 * cannot sit in the source block, whose other exits must not make it. */
static void check_leaving(struct fg_graph *g, struct fg_link *l, struct fg_ptrmap *maybe)
{
    bool any = false;
    for (int k = 0; k < l->args.n; k++)
        any |= maybe_of(maybe, l->args.v[k]) != NULL;
    if (!any)
        return;
    struct fg_block *n = fg_newblock(g);
    struct fg_link *out = fg_link_to(n, l->target, NULL);
    struct sp_vec in_args = {0};
    for (int k = 0; k < l->args.n; k++) {
        struct fg_value *a = l->args.v[k];
        if (a->kind != FG_VAR) {
            sp_vec_push(&out->args, a);
            continue;
        }
        struct fg_value *c = fg_newvar(a->name);
        c->pos = a->pos;
        sp_vec_push(&n->inputargs, c);
        sp_vec_push(&in_args, a);
        sp_vec_push(&out->args, c);
        struct input *in = maybe_of(maybe, a);
        if (!in)
            continue;
        struct input copy = *in;
        copy.flag = fg_newvar("bound");
        sp_vec_push(&n->inputargs, copy.flag);
        sp_vec_push(&in_args, in->flag);
        fg_block_addop(n, check_op(&copy, c, l->pos.file ? l->pos : g->pos));
    }
    l->target = n;
    l->args = in_args;
}

/* b ends with an op raising into handlers (inside try): a check before
 * op `at` must raise into the same handlers. Split b there; b ends with
 * the check and gets copies of the handler links, which must then only
 * pass values b still defines. Returns false (nothing changed) if they
 * pass a value made after the split point. */
static bool guarded_check(struct fg_graph *g, struct fg_block *b, int at, struct fg_op *check)
{
    struct fg_ptrmap later = {0};
    for (int i = at; i < b->ops.n; i++)
        fg_ptrmap_put(&later, ((struct fg_op *)b->ops.v[i])->result, (void *)1);
    for (int e = 0; e < b->exits.n; e++) {
        struct fg_link *l = b->exits.v[e];
        if (!l->exitcase)
            continue;
        for (int k = 0; k < l->args.n; k++)
            if (fg_ptrmap_has(&later, l->args.v[k]))
                return false;
    }
    struct sp_vec handlers = {0};
    for (int e = 0; e < b->exits.n; e++)
        if (((struct fg_link *)b->exits.v[e])->exitcase)
            sp_vec_push(&handlers, b->exits.v[e]);
    struct fg_block *rest = fg_split_block(g, b, at);
    fg_block_addop(b, check);
    b->exitswitch = fg_last_exception;
    for (int h = 0; h < handlers.n; h++) {
        struct fg_link *o = handlers.v[h], *l = SP_NEW(struct fg_link);
        *l = *o;
        l->prev = b;
        l->args = (struct sp_vec){0};
        l->last_exception = fg_newvar("last_exception");
        l->last_exc_value = fg_newvar("last_exc_value");
        /* o now leaves `rest`: its args are rest's inputs or constants;
         * in b they are the values the plain link passes for them */
        struct fg_link *plain = b->exits.v[0];
        for (int k = 0; k < o->args.n; k++) {
            struct fg_value *a = o->args.v[k];
            if (a == o->last_exception)
                a = l->last_exception;
            else if (a == o->last_exc_value)
                a = l->last_exc_value;
            else
                for (int j = 0; j < rest->inputargs.n; j++)
                    if (rest->inputargs.v[j] == a)
                        a = plain->args.v[j];
            sp_vec_push(&l->args, a);
        }
        sp_vec_push(&b->exits, l);
    }
    return true;
}

static void insert_checks(struct fg_graph *g, struct fg_block *b, struct fg_ptrmap *maybe)
{
    /* Inside try (the block raises into handlers), one check of all the
     * block's maybe-unbound reads goes before the first of them, in a
     * block of its own that raises into the same handlers; elsewhere,
     * one check before each first read. */
    bool guarded = b->exitswitch == fg_last_exception;
    struct fg_op *combined = NULL;
    int first = -1, nops = b->ops.n;
    for (int k = 0; k < b->inputargs.n; k++) {
        struct fg_value *v = b->inputargs.v[k];
        struct input *in = maybe_of(maybe, v);
        if (!in)
            continue;
        int at = -1;
        for (int i = 0; i < b->ops.n && at < 0; i++)
            if (reads(b->ops.v[i], v))
                at = i;
        if (at < 0 && b->exitswitch == v)
            at = b->ops.n;
        if (at < 0)
            continue;
        struct srcpos pos = at < b->ops.n ? ((struct fg_op *)b->ops.v[at])->pos : g->pos;
        if (!guarded) {
            sp_vec_insert(&b->ops, at, check_op(in, v, pos));
            continue;
        }
        if (!combined)
            combined = check_op(in, v, pos);
        else
            add_pair(combined, in, v);
        if (first < 0 || at < first) {
            first = at;
            combined->pos = pos;
        }
    }
    if (combined && first >= nops)
        first = nops - 1; /* the raising op stays last */
    if (combined && !guarded_check(g, b, first, combined))
        sp_vec_insert(&b->ops, first, combined);
    for (int e = 0; e < b->exits.n; e++) {
        struct fg_link *l = b->exits.v[e];
        if (l->target == g->returnblock || l->target == g->exceptblock)
            check_leaving(g, l, maybe);
    }
}

void fg_check_unbound(struct fg_graph *g)
{
    struct sp_vec blocks = {0};
    fg_graph_blocks(g, &blocks);
    /* 1. which inputs may be unbound: a fixpoint over the links */
    struct fg_ptrmap maybe = {0};
    for (bool changed = true; changed;) {
        changed = false;
        for (int bi = 0; bi < blocks.n; bi++) {
            struct fg_block *b = blocks.v[bi];
            for (int e = 0; e < b->exits.n; e++) {
                struct fg_link *l = b->exits.v[e];
                struct fg_block *t = l->target;
                if (t->is_return || t->is_except)
                    continue;
                for (int k = 0; k < l->args.n && k < t->inputargs.n; k++) {
                    struct fg_value *a = l->args.v[k], *in = t->inputargs.v[k];
                    if (fg_ptrmap_has(&maybe, in) || !(is_undefined(a) || maybe_of(&maybe, a)))
                        continue;
                    struct input *m = SP_NEW(struct input);
                    m->block = t;
                    m->index = k;
                    fg_ptrmap_put(&maybe, in, m);
                    changed = true;
                }
            }
        }
    }
    if (!maybe.n)
        return;
    /* 2. the companions, in input order */
    for (int bi = 0; bi < blocks.n; bi++) {
        struct fg_block *b = blocks.v[bi];
        int n = b->inputargs.n;
        for (int k = 0; k < n; k++) {
            struct input *in = maybe_of(&maybe, b->inputargs.v[k]);
            if (!in)
                continue;
            in->flag = fg_newvar("bound");
            sp_vec_push(&b->inputargs, in->flag);
        }
    }
    /* 3. the links pass them */
    for (int bi = 0; bi < blocks.n; bi++) {
        struct fg_block *b = blocks.v[bi];
        for (int e = 0; e < b->exits.n; e++) {
            struct fg_link *l = b->exits.v[e];
            struct fg_block *t = l->target;
            if (t->is_return || t->is_except)
                continue;
            int n = l->args.n;
            for (int k = 0; k < n && k < t->inputargs.n; k++) {
                if (!maybe_of(&maybe, t->inputargs.v[k]))
                    continue;
                struct fg_value *a = l->args.v[k];
                struct input *src = maybe_of(&maybe, a);
                sp_vec_push(&l->args, src ? src->flag : bool_const(!is_undefined(a), a->pos));
            }
        }
    }
    /* 4. the checks */
    for (int bi = 0; bi < blocks.n; bi++)
        insert_checks(g, blocks.v[bi], &maybe);
}
