/* graph.c - the flow-graph model: constructors, the opcode tables, the
 * stable block order, and how a value prints.
 *
 * Provides everything graph.h declares under "construction", plus
 * fg_opname/fg_op_arity/fg_op_flags (driven by the X-macro tables of
 * opcodes.h, so names and flags cannot drift from the enum),
 * fg_last_exception, the describe hooks of later stages, and
 * fg_value_str, which prints constants the way Python's repr() would so
 * that dumps read like the source.
 *
 * Temporaries are named "v" and print as v12; a variable named after a
 * source name prints as n_12 (see fg_is_temp_name for a Python `v`).
 * Variables get program-wide unique ids from one counter: the C backend
 * names its locals after them. Dumps renumber per graph (dump.c), so ids
 * never show up in golden files.
 */
#include "internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- opcode tables ---- */

struct opinfo {
    const char *name;
    int arity;
    unsigned flags;
};

static const struct opinfo optable[OP_COUNT] = {
#define X(name, str, arity, flags) [OP_##name] = {str, arity, flags},
    FG_HLOPS(X)
    FG_LLOPS(X)
#undef X
    [OP_FIRST_LL] = {"<first_ll>", 0, 0},
};

static const struct opinfo *opinfo(enum fg_opcode opc)
{
    if ((unsigned)opc >= OP_COUNT)
        sp_die("bad opcode %d", (int)opc);
    return &optable[opc];
}

const char *fg_opname(enum fg_opcode opc) { return opinfo(opc)->name; }
int fg_op_arity(enum fg_opcode opc) { return opinfo(opc)->arity; }
unsigned fg_op_flags(enum fg_opcode opc) { return opinfo(opc)->flags; }

/* ---- hooks and the last-exception sentinel ---- */

const char *(*fg_describe_ann)(struct ann_value *ann) = NULL;
const char *(*fg_describe_lltype)(struct lltype *t) = NULL;

static struct fg_value last_exception_sentinel = {
    .kind = FG_VAR,
    .name = "last_exception",
    .id = -1,
};
struct fg_value *const fg_last_exception = &last_exception_sentinel;

/* ---- values ---- */

static int next_var_id;

struct fg_value *fg_newvar(const char *name)
{
    struct fg_value *v = SP_NEW(struct fg_value);
    v->kind = FG_VAR;
    v->name = name ? name : "v";
    v->id = next_var_id++;
    return v;
}

static struct fg_value *newconst(enum fg_const_kind ckind)
{
    struct fg_value *c = SP_NEW(struct fg_value);
    c->kind = FG_CONST;
    c->ckind = ckind;
    return c;
}

struct fg_value *fg_const_int(int64_t v)
{
    struct fg_value *c = newconst(FG_C_INT);
    c->ival = v;
    return c;
}

struct fg_value *fg_const_float(double v)
{
    struct fg_value *c = newconst(FG_C_FLOAT);
    c->fval = v;
    return c;
}

struct fg_value *fg_const_bool(bool v)
{
    struct fg_value *c = newconst(FG_C_BOOL);
    c->ival = v ? 1 : 0;
    return c;
}

struct fg_value *fg_const_str(const char *s, size_t len)
{
    struct fg_value *c = newconst(FG_C_STR);
    c->str = sp_strndup(s ? s : "", s ? len : 0);
    c->len = s ? len : 0;
    return c;
}

struct fg_value *fg_const_none(void) { return newconst(FG_C_NONE); }
struct fg_value *fg_const_undefined(void) { return newconst(FG_C_UNDEFINED); }

struct fg_value *fg_const_obj(enum fg_const_kind kind, void *obj)
{
    struct fg_value *c = newconst(kind);
    c->obj = obj;
    return c;
}

/* Builtins are compared by pointer downstream: the name is interned. */
struct fg_value *fg_const_builtin(const char *name)
{
    struct fg_value *c = newconst(FG_C_BUILTIN);
    c->str = sp_intern(name);
    c->len = strlen(name);
    return c;
}

/* ---- blocks, ops, links, graphs ---- */

struct fg_block *fg_newblock(struct fg_graph *g)
{
    struct fg_block *b = SP_NEW(struct fg_block);
    b->id = g->nblocks++;
    return b;
}

struct fg_op *fg_newop(enum fg_opcode opc, struct fg_value **args, int nargs,
                       struct fg_value *result, struct srcpos pos)
{
    struct fg_op *op = SP_NEW(struct fg_op);
    op->opcode = opc;
    op->nargs = nargs;
    op->args = sp_alloc(sizeof(struct fg_value *) * (size_t)(nargs > 0 ? nargs : 1));
    for (int i = 0; i < nargs; i++)
        op->args[i] = args[i];
    op->result = result ? result : fg_newvar("v");
    op->pos = pos;
    return op;
}

void fg_block_addop(struct fg_block *b, struct fg_op *op) { sp_vec_push(&b->ops, op); }

struct fg_link *fg_link_to(struct fg_block *from, struct fg_block *to, struct fg_value *exitcase)
{
    struct fg_link *l = SP_NEW(struct fg_link);
    l->prev = from;
    l->target = to;
    l->exitcase = exitcase;
    sp_vec_push(&from->exits, l);
    return l;
}

struct fg_graph *fg_newgraph(const char *name, struct fg_func *func, struct srcpos pos)
{
    struct fg_graph *g = SP_NEW(struct fg_graph);
    g->name = name;
    g->func = func;
    g->pos = pos;
    g->startblock = fg_newblock(g);
    g->returnblock = fg_newblock(g);
    g->returnblock->is_return = true;
    sp_vec_push(&g->returnblock->inputargs, fg_newvar("result"));
    g->exceptblock = fg_newblock(g);
    g->exceptblock->is_except = true;
    sp_vec_push(&g->exceptblock->inputargs, fg_newvar("etype"));
    sp_vec_push(&g->exceptblock->inputargs, fg_newvar("evalue"));
    return g;
}

/* Preorder DFS from the start block, exits in order. An explicit stack
 * (children pushed in reverse, visited checked on pop) gives exactly the
 * recursive order without recursion: fuzzed programs make deep graphs. */
void fg_graph_blocks(struct fg_graph *g, struct sp_vec *out)
{
    out->n = 0;
    bool *seen = sp_alloc((size_t)g->nblocks + 1);
    struct sp_vec stack = {0};
    sp_vec_push(&stack, g->startblock);
    while (stack.n) {
        struct fg_block *b = sp_vec_pop(&stack);
        if (b->id < 0 || b->id >= g->nblocks)
            sp_die("graph %s: block id %d out of range", g->name, b->id);
        if (seen[b->id])
            continue;
        seen[b->id] = true;
        sp_vec_push(out, b);
        for (int i = b->exits.n - 1; i >= 0; i--) {
            struct fg_link *l = b->exits.v[i];
            if (l->target && !seen[l->target->id])
                sp_vec_push(&stack, l->target);
        }
    }
}

/* ---- printing values ---- */

/* Python's repr of a float: the shortest digits that round-trip, in
 * fixed notation for exponents -4..15 and scientific otherwise. */
static const char *float_repr(double f)
{
    if (isnan(f))
        return "nan";
    if (isinf(f))
        return f < 0 ? "-inf" : "inf";
    char buf[64];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, f);
        if (strtod(buf, NULL) == f)
            break;
    }
    /* buf is [-]d[.ddd]e[+-]XX: split into sign, digits, exponent. */
    const char *p = buf;
    bool neg = *p == '-';
    if (neg)
        p++;
    char digits[32];
    int nd = 0;
    for (; *p && *p != 'e'; p++)
        if (*p != '.')
            digits[nd++] = *p;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    digits[nd] = 0;
    int exp = atoi(p + 1);
    struct sp_buf out = {0};
    if (neg)
        sp_buf_putc(&out, '-');
    if (exp < -4 || exp >= 16) {
        sp_buf_putc(&out, digits[0]);
        if (nd > 1) {
            sp_buf_putc(&out, '.');
            sp_buf_puts(&out, digits + 1);
        }
        sp_buf_printf(&out, "e%c%02d", exp < 0 ? '-' : '+', abs(exp));
    } else if (exp < 0) {
        sp_buf_puts(&out, "0.");
        for (int i = -1; i > exp; i--)
            sp_buf_putc(&out, '0');
        sp_buf_puts(&out, digits);
    } else {
        for (int i = 0; i <= exp; i++)
            sp_buf_putc(&out, i < nd ? digits[i] : '0');
        sp_buf_putc(&out, '.');
        sp_buf_puts(&out, nd > exp + 1 ? digits + exp + 1 : "0");
    }
    return sp_buf_cstr(&out);
}

/* Python's repr of a str (UTF-8 bytes): single quotes unless the text has
 * a single quote and no double quote; control characters escaped. */
static void str_repr(struct sp_buf *out, const char *s, size_t len)
{
    bool has_sq = memchr(s, '\'', len) != NULL, has_dq = memchr(s, '"', len) != NULL;
    char q = has_sq && !has_dq ? '"' : '\'';
    sp_buf_putc(out, q);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == (unsigned char)q || c == '\\')
            sp_buf_printf(out, "\\%c", c);
        else if (c == '\n')
            sp_buf_puts(out, "\\n");
        else if (c == '\r')
            sp_buf_puts(out, "\\r");
        else if (c == '\t')
            sp_buf_puts(out, "\\t");
        else if (c < 0x20 || c == 0x7f)
            sp_buf_printf(out, "\\x%02x", c);
        else if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
                 (unsigned char)s[i + 1] <= 0xa0) {
            /* C1 controls and the no-break space print escaped in Python */
            sp_buf_printf(out, "\\x%02x", (unsigned char)s[++i]);
        } else
            sp_buf_putc(out, (char)c);
    }
    sp_buf_putc(out, q);
}

static void value_repr(struct sp_buf *out, struct fg_value *v);

static void tuple_repr(struct sp_buf *out, struct sp_vec *items)
{
    sp_buf_putc(out, '(');
    for (int i = 0; items && i < items->n; i++) {
        if (i)
            sp_buf_puts(out, ", ");
        value_repr(out, items->v[i]);
    }
    if (items && items->n == 1)
        sp_buf_putc(out, ',');
    sp_buf_putc(out, ')');
}

static void shape_repr(struct sp_buf *out, struct fg_callshape *s)
{
    sp_buf_printf(out, "shape(npos=%d, kw=[", s->npos);
    for (int i = 0; i < s->nkw; i++)
        sp_buf_printf(out, "%s%s", i ? ", " : "", s->kwnames[i]);
    sp_buf_printf(out, "], star=%s)", s->star ? "True" : "False");
}

static void const_repr(struct sp_buf *out, struct fg_value *v)
{
    switch (v->ckind) {
    case FG_C_NONE: sp_buf_puts(out, "None"); break;
    case FG_C_UNDEFINED: sp_buf_puts(out, "<undefined>"); break;
    case FG_C_INT: sp_buf_printf(out, "%" PRId64, v->ival); break;
    case FG_C_FLOAT: sp_buf_puts(out, float_repr(v->fval)); break;
    case FG_C_BOOL: sp_buf_puts(out, v->ival ? "True" : "False"); break;
    case FG_C_STR: str_repr(out, v->str ? v->str : "", v->str ? v->len : 0); break;
    case FG_C_FUNC: sp_buf_puts(out, ((struct fg_func *)v->obj)->qualname); break;
    case FG_C_CLASS: sp_buf_puts(out, ((struct fg_class *)v->obj)->name); break;
    case FG_C_MODULE: sp_buf_printf(out, "<module %s>", ((struct fg_module *)v->obj)->name); break;
    case FG_C_BUILTIN: sp_buf_puts(out, v->str); break;
    case FG_C_SHAPE: shape_repr(out, v->obj); break;
    case FG_C_TUPLE: tuple_repr(out, v->obj); break;
    case FG_C_EXTFUNC: sp_buf_puts(out, ((struct fg_extfunc *)v->obj)->cname); break;
    case FG_C_GRAPH: sp_buf_puts(out, ((struct fg_graph *)v->obj)->name); break;
    case FG_C_LLTYPE:
        sp_buf_puts(out, fg_describe_lltype && v->obj ? fg_describe_lltype(v->obj) : "<lltype>");
        break;
    case FG_C_OTHER: sp_buf_puts(out, v->str ? v->str : "<other>"); break;
    case FG_C_DEFAULT: sp_buf_printf(out, "<default %s>", ((struct fg_default *)v->obj)->name); break;
    case FG_C_TIDTABLE: sp_buf_printf(out, "<table %s>", v->str ? v->str : "?"); break;
    case FG_C_TBLOC: {
        struct fg_tbloc *l = v->obj;
        sp_buf_printf(out, "<%s line %d>", l->func, l->pos.line);
        break;
    }
    }
}

static void value_repr(struct sp_buf *out, struct fg_value *v)
{
    if (!v) {
        sp_buf_puts(out, "<null>");
        return;
    }
    if (v->kind == FG_CONST) {
        const_repr(out, v);
        return;
    }
    if (v == fg_last_exception)
        sp_buf_puts(out, "last_exception");
    else if (fg_is_temp_name(v->name))
        sp_buf_printf(out, "v%d", v->id);
    else
        sp_buf_printf(out, "%s_%d", v->name, v->id);
}

bool fg_is_temp_name(const char *name)
{
    return !name || (strcmp(name, "v") == 0 && name != sp_intern("v"));
}

const char *fg_value_str(struct fg_value *v)
{
    struct sp_buf out = {0};
    value_repr(&out, v);
    return sp_buf_cstr(&out);
}

bool fg_llop_may_raise(const struct fg_op *op)
{
    if (!(fg_op_flags(op->opcode) & OPF_RAISE))
        return false;
    if (op->opcode == OP_LL_DIRECT_CALL && op->args[0]->ckind == FG_C_EXTFUNC)
        return (((struct fg_extfunc *)op->args[0]->obj)->flags & OPF_RAISE) != 0;
    return true;
}

/* ---- editing ---- */

static struct fg_value *copy_var(const struct fg_value *v)
{
    struct fg_value *c = fg_newvar(v->name);
    c->pos = v->pos;
    c->ann = v->ann;
    c->lltype = v->lltype;
    return c;
}

static struct fg_value *renamed(struct fg_ptrmap *map, struct fg_value *v)
{
    if (v->kind != FG_VAR || v == fg_last_exception)
        return v;
    struct fg_value *r = fg_ptrmap_get(map, v);
    return r ? r : v;
}

/* Every variable defined in b before op `keep` that `use` reads and the
 * map does not have yet gets a fresh copy, an input of n. */
struct carried {
    struct fg_ptrmap defined; /* values defined in b before the split */
    struct fg_ptrmap map;     /* original -> its copy in the new block */
    struct sp_vec originals;  /* in the order of the new block's inputs */
};

static void carry(struct carried *c, struct fg_block *n, struct fg_value *use)
{
    if (use->kind != FG_VAR || !fg_ptrmap_has(&c->defined, use) || fg_ptrmap_has(&c->map, use))
        return;
    struct fg_value *v = copy_var(use);
    fg_ptrmap_put(&c->map, use, v);
    sp_vec_push(&n->inputargs, v);
    sp_vec_push(&c->originals, use);
}

struct fg_block *fg_split_block(struct fg_graph *g, struct fg_block *b, int keep)
{
    struct carried c = {0};
    for (int i = 0; i < b->inputargs.n; i++)
        fg_ptrmap_put(&c.defined, b->inputargs.v[i], (void *)1);
    for (int i = 0; i < keep; i++)
        fg_ptrmap_put(&c.defined, ((struct fg_op *)b->ops.v[i])->result, (void *)1);
    struct fg_block *n = fg_newblock(g);
    for (int i = keep; i < b->ops.n; i++) {
        struct fg_op *op = b->ops.v[i];
        for (int k = 0; k < op->nargs; k++) {
            carry(&c, n, op->args[k]);
            op->args[k] = renamed(&c.map, op->args[k]);
        }
        sp_vec_push(&n->ops, op);
    }
    if (b->exitswitch) {
        carry(&c, n, b->exitswitch);
        n->exitswitch = renamed(&c.map, b->exitswitch);
    }
    for (int i = 0; i < b->exits.n; i++) {
        struct fg_link *l = b->exits.v[i];
        for (int k = 0; k < l->args.n; k++) {
            carry(&c, n, l->args.v[k]);
            l->args.v[k] = renamed(&c.map, l->args.v[k]);
        }
        l->prev = n;
        sp_vec_push(&n->exits, l);
    }
    b->ops.n = keep;
    b->exitswitch = NULL;
    b->exits.n = 0;
    struct fg_link *l = fg_link_to(b, n, NULL);
    for (int i = 0; i < c.originals.n; i++)
        sp_vec_push(&l->args, c.originals.v[i]);
    return n;
}

bool fg_block_uses(const struct fg_block *b, const struct fg_value *v, int from)
{
    for (int i = from; i < b->ops.n; i++) {
        const struct fg_op *op = b->ops.v[i];
        for (int k = 0; k < op->nargs; k++)
            if (op->args[k] == v)
                return true;
    }
    if (b->exitswitch == v)
        return true;
    for (int i = 0; i < b->exits.n; i++) {
        const struct fg_link *l = b->exits.v[i];
        for (int k = 0; k < l->args.n; k++)
            if (l->args.v[k] == v)
                return true;
    }
    return false;
}

void fg_block_replace_uses(struct fg_block *b, int from, struct fg_value *old, struct fg_value *new_)
{
    for (int i = from; i < b->ops.n; i++) {
        struct fg_op *op = b->ops.v[i];
        for (int k = 0; k < op->nargs; k++)
            if (op->args[k] == old)
                op->args[k] = new_;
    }
    if (b->exitswitch == old)
        b->exitswitch = new_;
    for (int i = 0; i < b->exits.n; i++) {
        struct fg_link *l = b->exits.v[i];
        for (int k = 0; k < l->args.n; k++)
            if (l->args.v[k] == old)
                l->args.v[k] = new_;
    }
}

const char *fg_class_global(const struct fg_class *cls, const char *name)
{
    return sp_intern(sp_fmt("%s.%s", cls->name, name));
}
