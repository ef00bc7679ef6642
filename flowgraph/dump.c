/* dump.c - the text and Graphviz forms of graphs.
 *
 * The text form is what golden tests are written in, so it must be stable:
 * blocks come in fg_graph_blocks order and are numbered by it, and
 * variables are renumbered per graph in order of first appearance (n_0,
 * n_1 per source name, v0, v1 for temporaries), so that a dump does not
 * change when an unrelated graph of the program does. Example:
 *
 *     graph fib(n_0: int) -> int
 *     block0(n_0):
 *         v0 = lt(n_0, 2)                     # fib.py:2
 *         switch v0: False -> block1(n_0), True -> return(n_0)
 *
 * Annotations (": int") appear on the parameters and the result in the
 * header, through the hooks the annotator and rtyper install; the lltype
 * wins once the rtyper has run. Exits print as `goto T(args)`,
 * `switch v: case -> T(args), ...` or, after an op that may raise,
 * `exits: normal -> T(args), Exc -> T(args) [last_exception e_0, ...]`
 * (the bracket only when the link passes those variables on).
 */
#include "internal.h"

#include <string.h>

#define OP_COMMENT_COLUMN 40

/* ---- per-graph names ---- */

struct namer {
    struct fg_ptrmap names;   /* var -> printed name */
    struct fg_ptrmap counts;  /* interned source name -> (count + 1) as a pointer */
    struct fg_ptrmap blockno; /* block -> (dump number + 1) as a pointer */
};

static void name_var(struct namer *nm, struct fg_value *v)
{
    if (!v || v->kind != FG_VAR || v == fg_last_exception || fg_ptrmap_has(&nm->names, v))
        return;
    static const char temp_key[] = "<temporary>";
    bool temp = fg_is_temp_name(v->name);
    const char *src = temp ? temp_key : sp_intern(v->name);
    intptr_t n = (intptr_t)fg_ptrmap_get(&nm->counts, src);
    fg_ptrmap_put(&nm->counts, src, (void *)(n + 1));
    const char *printed = temp ? sp_fmt("v%d", (int)n) : sp_fmt("%s_%d", src, (int)n);
    fg_ptrmap_put(&nm->names, v, (void *)printed);
}

static void name_link(struct namer *nm, struct fg_link *l)
{
    for (int i = 0; i < l->args.n; i++)
        name_var(nm, l->args.v[i]);
    name_var(nm, l->last_exception);
    name_var(nm, l->last_exc_value);
}

static void name_block(struct namer *nm, struct fg_block *b)
{
    for (int i = 0; i < b->inputargs.n; i++)
        name_var(nm, b->inputargs.v[i]);
    for (int i = 0; i < b->ops.n; i++) {
        struct fg_op *op = b->ops.v[i];
        for (int a = 0; a < op->nargs; a++)
            name_var(nm, op->args[a]);
        name_var(nm, op->result);
    }
    name_var(nm, b->exitswitch);
    for (int i = 0; i < b->exits.n; i++)
        name_link(nm, b->exits.v[i]);
}

static void namer_init(struct namer *nm, struct fg_graph *g, struct sp_vec *blocks)
{
    *nm = (struct namer){0};
    fg_graph_blocks(g, blocks);
    int no = 0;
    for (int i = 0; i < blocks->n; i++) {
        struct fg_block *b = blocks->v[i];
        if (!b->is_return && !b->is_except)
            fg_ptrmap_put(&nm->blockno, b, (void *)(intptr_t)(++no));
        name_block(nm, b);
    }
}

static const char *vstr(struct namer *nm, struct fg_value *v)
{
    const char *s = v ? fg_ptrmap_get(&nm->names, v) : NULL;
    return s ? s : fg_value_str(v);
}

static const char *block_name(struct namer *nm, struct fg_block *b)
{
    if (b->is_return)
        return "return";
    if (b->is_except)
        return "except";
    intptr_t n = (intptr_t)fg_ptrmap_get(&nm->blockno, b);
    return n ? sp_fmt("block%d", (int)(n - 1)) : sp_fmt("<block id %d>", b->id);
}

static const char *describe(struct fg_value *v)
{
    if (v->lltype && fg_describe_lltype)
        return fg_describe_lltype(v->lltype);
    if (v->ann && fg_describe_ann)
        return fg_describe_ann(v->ann);
    return NULL;
}

static void put_values(struct sp_buf *out, struct namer *nm, struct fg_value **vals, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            sp_buf_puts(out, ", ");
        sp_buf_puts(out, vstr(nm, vals[i]));
    }
}

/* ---- text ---- */

static void put_link(struct sp_buf *out, struct namer *nm, struct fg_link *l)
{
    sp_buf_printf(out, "%s(", block_name(nm, l->target));
    put_values(out, nm, (struct fg_value **)l->args.v, l->args.n);
    sp_buf_putc(out, ')');
    bool uses_exc = false;
    for (int i = 0; i < l->args.n; i++)
        uses_exc |= l->args.v[i] && (l->args.v[i] == l->last_exception || l->args.v[i] == l->last_exc_value);
    if (uses_exc && l->last_exception && l->last_exc_value)
        sp_buf_printf(out, " [last_exception %s, last_exc_value %s]", vstr(nm, l->last_exception),
                      vstr(nm, l->last_exc_value));
}

static const char *case_str(struct fg_link *l, bool exc)
{
    if (!l->exitcase)
        return exc ? "normal" : "default";
    return fg_value_str(l->exitcase);
}

static void put_exits(struct sp_buf *out, struct namer *nm, struct fg_block *b)
{
    if (!b->exitswitch && b->exits.n == 1) {
        sp_buf_puts(out, "    goto ");
        put_link(out, nm, b->exits.v[0]);
        sp_buf_putc(out, '\n');
        return;
    }
    bool exc = b->exitswitch == fg_last_exception;
    if (exc)
        sp_buf_puts(out, "    exits: ");
    else
        sp_buf_printf(out, "    switch %s: ", b->exitswitch ? vstr(nm, b->exitswitch) : "<none>");
    for (int i = 0; i < b->exits.n; i++) {
        struct fg_link *l = b->exits.v[i];
        sp_buf_printf(out, "%s%s -> ", i ? ", " : "", case_str(l, exc));
        put_link(out, nm, l);
    }
    sp_buf_putc(out, '\n');
}

static const char *basename_of(const char *file)
{
    const char *slash = strrchr(file, '/');
    return slash ? slash + 1 : file;
}

static void put_op(struct sp_buf *out, struct namer *nm, struct fg_op *op)
{
    size_t start = out->len;
    sp_buf_printf(out, "    %s = %s(", vstr(nm, op->result), fg_opname(op->opcode));
    put_values(out, nm, op->args, op->nargs);
    sp_buf_putc(out, ')');
    if (op->pos.file) {
        size_t width = out->len - start;
        do
            sp_buf_putc(out, ' ');
        while (++width < OP_COMMENT_COLUMN);
        sp_buf_printf(out, "# %s:%d", basename_of(op->pos.file), op->pos.line);
    }
    sp_buf_putc(out, '\n');
}

static void put_header(struct sp_buf *out, struct namer *nm, struct fg_graph *g)
{
    sp_buf_printf(out, "graph %s(", g->name);
    struct fg_block *s = g->startblock;
    for (int i = 0; i < s->inputargs.n; i++) {
        struct fg_value *v = s->inputargs.v[i];
        const char *d = describe(v);
        sp_buf_printf(out, "%s%s%s%s", i ? ", " : "", vstr(nm, v), d ? ": " : "", d ? d : "");
    }
    sp_buf_putc(out, ')');
    const char *ret = g->returnblock->inputargs.n ? describe(g->returnblock->inputargs.v[0]) : NULL;
    if (ret)
        sp_buf_printf(out, " -> %s", ret);
    sp_buf_putc(out, '\n');
}

void fg_dump_text(FILE *out, struct fg_graph *g)
{
    struct namer nm;
    struct sp_vec blocks = {0};
    namer_init(&nm, g, &blocks);
    struct sp_buf buf = {0};
    put_header(&buf, &nm, g);
    for (int i = 0; i < blocks.n; i++) {
        struct fg_block *b = blocks.v[i];
        if (b->is_return || b->is_except)
            continue;
        sp_buf_printf(&buf, "%s(", block_name(&nm, b));
        put_values(&buf, &nm, (struct fg_value **)b->inputargs.v, b->inputargs.n);
        sp_buf_puts(&buf, "):\n");
        for (int k = 0; k < b->ops.n; k++)
            put_op(&buf, &nm, b->ops.v[k]);
        put_exits(&buf, &nm, b);
    }
    fputs(sp_buf_cstr(&buf), out);
}

/* ---- Graphviz ---- */

/* Text inside a double-quoted dot label: lines end with \l (left
 * justified); quotes, backslashes and braces are escaped. */
static void dot_escape(struct sp_buf *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            sp_buf_puts(out, "\\l");
        else if (strchr("\"\\{}<>|", *s))
            sp_buf_printf(out, "\\%c", *s);
        else
            sp_buf_putc(out, *s);
    }
}

static void dot_block(FILE *out, struct namer *nm, int gi, struct fg_block *b)
{
    struct sp_buf text = {0};
    sp_buf_printf(&text, "%s(", block_name(nm, b));
    put_values(&text, nm, (struct fg_value **)b->inputargs.v, b->inputargs.n);
    sp_buf_puts(&text, ")\n");
    for (int k = 0; k < b->ops.n; k++)
        put_op(&text, nm, b->ops.v[k]);
    if (b->exitswitch)
        sp_buf_printf(&text, "switch %s\n", b->exitswitch == fg_last_exception ? "last_exception" : vstr(nm, b->exitswitch));
    struct sp_buf label = {0};
    dot_escape(&label, sp_buf_cstr(&text));
    const char *style = b->is_return || b->is_except ? ", style=rounded" : "";
    fprintf(out, "    g%d_b%d [shape=box%s, fontname=\"monospace\", label=\"%s\"];\n", gi, b->id, style,
            sp_buf_cstr(&label));
}

static void dot_edges(FILE *out, struct namer *nm, int gi, struct fg_block *b)
{
    bool exc = b->exitswitch == fg_last_exception;
    for (int k = 0; k < b->exits.n; k++) {
        struct fg_link *l = b->exits.v[k];
        struct sp_buf text = {0};
        if (b->exitswitch)
            sp_buf_printf(&text, "%s: ", case_str(l, exc));
        sp_buf_putc(&text, '(');
        put_values(&text, nm, (struct fg_value **)l->args.v, l->args.n);
        sp_buf_putc(&text, ')');
        struct sp_buf label = {0};
        dot_escape(&label, sp_buf_cstr(&text));
        fprintf(out, "    g%d_b%d -> g%d_b%d [label=\"%s\"];\n", gi, b->id, gi, l->target->id, sp_buf_cstr(&label));
    }
}

void fg_dump_dot(FILE *out, struct fg_graph **graphs, int ngraphs)
{
    fprintf(out, "digraph rpy {\n    node [fontsize=10];\n    edge [fontsize=9];\n");
    for (int gi = 0; gi < ngraphs; gi++) {
        struct fg_graph *g = graphs[gi];
        struct namer nm;
        struct sp_vec blocks = {0};
        namer_init(&nm, g, &blocks);
        struct sp_buf title = {0};
        dot_escape(&title, g->name);
        fprintf(out, "  subgraph cluster_%d {\n    label=\"%s\";\n", gi, sp_buf_cstr(&title));
        for (int i = 0; i < blocks.n; i++)
            dot_block(out, &nm, gi, blocks.v[i]);
        for (int i = 0; i < blocks.n; i++)
            dot_edges(out, &nm, gi, blocks.v[i]);
        fprintf(out, "  }\n");
    }
    fprintf(out, "}\n");
}
