/* ast.c - the frontend's public face: node construction, names, the
 * entry points that read and parse a file, and the tree dump.
 *
 * Source text is prepared once before lexing (fe_prepare_source): a UTF-8
 * byte order mark is dropped; line ends become \n, as Python's universal
 * newlines do, so a CRLF file and its LF twin give the same tokens, string
 * values and positions; the text is registered for diagnostics; NUL bytes
 * and invalid UTF-8 are rejected with their position, as CPython refuses
 * such files. The lexer can then assume clean UTF-8.
 *
 * The dump walks one table of child fields (`child_fields`) in a fixed
 * order, so it shows every field of every kind without a per-kind printer
 * that could fall out of date; the depth check uses the same walk.
 */
#include "frontend/frontend.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- construction and names ---- */

struct ast_node *ast_new(enum ast_kind kind, struct srcpos pos)
{
    struct ast_node *n = SP_NEW(struct ast_node);
    n->kind = kind;
    n->pos = pos;
    return n;
}

void ast_list_push(struct ast_list *list, struct ast_node *node)
{
    if (list->n == list->cap) {
        int cap = list->cap ? list->cap * 2 : 4;
        struct ast_node **v = sp_alloc(sizeof(*v) * (size_t)cap);
        if (list->n)
            memcpy(v, list->v, sizeof(*v) * (size_t)list->n);
        list->v = v;
        list->cap = cap;
    }
    list->v[list->n++] = node;
}

const char *ast_kind_name(enum ast_kind kind)
{
    static const char *const names[] = {
#define X(k, py, fields) py,
        AST_KINDS(X)
#undef X
    };
    if ((unsigned)kind >= AST_NKINDS)
        return "?";
    return names[kind];
}

const char *ast_op_spelling(enum ast_op op)
{
    static const char *const spellings[] = {
        "",
#define X(name, spelling) spelling,
        AST_OPS(X)
#undef X
    };
    if ((unsigned)op >= AST_NOPS)
        return "?";
    return spellings[op];
}

/* ---- source text ---- */

static size_t normalize_newlines(const char *text, size_t len, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\r') {
            out[n++] = '\n';
            if (i + 1 < len && text[i + 1] == '\n')
                i++;
        } else {
            out[n++] = text[i];
        }
    }
    out[n] = 0;
    return n;
}

/* The first NUL byte or invalid UTF-8 sequence is an error. */
static bool check_encoding(const char *file, const char *s, size_t len)
{
    int line = 1, col = 1;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = s[i] == 0 ? 0 : fe_utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            struct srcpos pos = {file, line, col, NULL};
            if (s[i] == 0)
                sp_error(pos, "source code cannot contain null bytes");
            else
                sp_error(pos, "invalid UTF-8 (byte 0x%02X)", (unsigned char)s[i]);
            return false;
        }
        if (s[i] == '\n') {
            line++;
            col = 1;
        } else {
            col += n;
        }
        i += (size_t)n;
    }
    return true;
}

bool fe_prepare_source(const char *file, const char *text, size_t len,
                       const char **out, size_t *out_len)
{
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) { /* UTF-8 byte order mark */
        text += 3;
        len -= 3;
    }
    char *buf = sp_alloc(len + 1);
    size_t n = normalize_newlines(text, len, buf);
    sp_register_source(file, buf, n);
    if (!check_encoding(file, buf, n))
        return false;
    *out = buf;
    *out_len = n;
    return true;
}

/* ---- parsing entry points ---- */

#define MAX_SOURCE_SIZE ((size_t)1 << 30)

struct ast_node *ast_parse_string(const char *file, const char *text, size_t len)
{
    file = sp_intern(file);
    if (len > MAX_SOURCE_SIZE) {
        sp_error((struct srcpos){file, 1, 1, NULL}, "source file too large");
        return NULL;
    }
    const char *src;
    size_t n;
    if (!fe_prepare_source(file, text, len, &src, &n))
        return NULL;
    return fe_parse(file, src, n, FE_MODE_MODULE, 1, 1, 0);
}

struct ast_node *ast_parse_file(const char *file)
{
    FILE *f = fopen(file, "rb");
    if (!f) {
        sp_error((struct srcpos){0}, "cannot open %s: %s", file, strerror(errno));
        return NULL;
    }
    struct sp_buf buf = {0};
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && buf.len <= MAX_SOURCE_SIZE)
        sp_buf_putn(&buf, chunk, got);
    int err = ferror(f) ? errno : 0;
    fclose(f);
    if (err) {
        sp_error((struct srcpos){0}, "cannot read %s: %s", file, strerror(err));
        return NULL;
    }
    return ast_parse_string(file, buf.s ? buf.s : "", buf.len);
}

/* ---- walking the children ---- */

/* Every child field, single or list, in the order the dump shows them. */
static const struct {
    const char *role;
    size_t offset;
    bool is_list;
} child_fields[] = {
#define ONE(f) {#f, offsetof(struct ast_node, f), false}
#define LIST(f) {#f, offsetof(struct ast_node, f), true}
    LIST(decorators), LIST(bases), ONE(args), LIST(posargs), ONE(vararg), LIST(kwonlyargs),
    ONE(kwarg), ONE(returns), LIST(targets), ONE(target), ONE(annotation), ONE(test),
    ONE(left), ONE(key), ONE(elt), ONE(func), ONE(value), ONE(type), ONE(iter), ONE(cause),
    ONE(msg), ONE(lower), ONE(upper), ONE(step), ONE(index), ONE(body_expr), ONE(orelse_expr),
    ONE(right), LIST(callargs), LIST(keywords), LIST(elts), LIST(keys), LIST(values),
    LIST(comparators), LIST(generators), LIST(ifs), LIST(names), LIST(items), ONE(spec),
    LIST(body), LIST(handlers), LIST(orelse), LIST(finalbody),
#undef ONE
#undef LIST
};

typedef ast_child_fn child_fn;

bool ast_each_child(const struct ast_node *n, ast_child_fn *fn, void *ctx)
{
    for (size_t f = 0; f < sizeof child_fields / sizeof child_fields[0]; f++) {
        const char *field = (const char *)n + child_fields[f].offset;
        if (!child_fields[f].is_list) {
            const struct ast_node *child = *(struct ast_node *const *)field;
            if (child && !fn(ctx, child_fields[f].role, -1, child))
                return false;
            continue;
        }
        const struct ast_list *list = (const struct ast_list *)field;
        for (int i = 0; i < list->n; i++)
            if (!fn(ctx, child_fields[f].role, i, list->v[i]))
                return false;
    }
    return true;
}

struct depth_walk {
    struct fe_state *st;
    int depth;
};

static bool depth_child(void *ctx, const char *role, int index, const struct ast_node *child)
{
    (void)role;
    (void)index;
    struct depth_walk *w = ctx;
    if (!child)
        return true;
    if (w->depth >= FE_MAX_AST_DEPTH) {
        fe_error(w->st, child->pos, "too deeply nested (more than %d levels)", FE_MAX_AST_DEPTH);
        return false;
    }
    w->depth++;
    bool ok = ast_each_child(child, depth_child, w);
    w->depth--;
    return ok;
}

bool fe_check_depth(struct fe_state *st, struct ast_node *root)
{
    struct depth_walk w = {st, 0};
    return ast_each_child(root, depth_child, &w);
}

/* ---- the dump ---- */

/* Characters Python's repr escapes although they are not ASCII controls:
 * C1 controls, spaces and format characters, surrogates, private use,
 * non-characters (an approximation of not str.isprintable()). */
static bool unprintable(uint32_t cp)
{
    return (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD || (cp >= 0x2000 && cp <= 0x200F) ||
           (cp >= 0x2028 && cp <= 0x202F) || (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 ||
           (cp >= 0xE000 && cp <= 0xF8FF) || cp == 0xFEFF || (cp >= 0xFFF0 && cp <= 0xFFFF) ||
           cp >= 0xF0000;
}

static void repr_char(FILE *out, const char *s, size_t len, size_t *i, bool bytes)
{
    unsigned char c = (unsigned char)s[*i];
    uint32_t cp;
    int n = bytes || c < 0x80 ? 0 : fe_utf8_decode(s + *i, len - *i, &cp);
    if (n == 0) { /* ASCII, a byte of bytes, or (never from the parser) bad UTF-8 */
        if (c < 0x20 || c >= 0x7F)
            fprintf(out, "\\x%02x", c);
        else
            fputc(c, out);
        (*i)++;
        return;
    }
    if (!unprintable(cp))
        fprintf(out, "%.*s", n, s + *i);
    else if (cp <= 0xFF)
        fprintf(out, "\\x%02x", (unsigned)cp);
    else if (cp <= 0xFFFF)
        fprintf(out, "\\u%04x", (unsigned)cp);
    else
        fprintf(out, "\\U%08x", (unsigned)cp);
    *i += (size_t)n;
}

/* Python's repr of a str or bytes value. */
static void repr_text(FILE *out, const char *s, size_t len, bool bytes)
{
    bool has_single = memchr(s, '\'', len) != NULL, has_double = memchr(s, '"', len) != NULL;
    char quote = has_single && !has_double ? '"' : '\'';
    fprintf(out, "%s%c", bytes ? "b" : "", quote);
    for (size_t i = 0; i < len;) {
        char c = s[i];
        const char *esc = c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
                        : c == '\t' ? "\\t" : NULL;
        if (esc)
            fputs(esc, out);
        else if (c == quote)
            fprintf(out, "\\%c", c);
        else {
            repr_char(out, s, len, &i, bytes);
            continue;
        }
        i++;
    }
    fputc(quote, out);
}

static void put_zeros(FILE *out, int n)
{
    for (int i = 0; i < n; i++)
        fputc('0', out);
}

/* Python's repr of a float: the shortest digits that read back the same,
 * positional for exponents -4..15, else scientific with 2+ exponent digits. */
static void repr_float(FILE *out, double v)
{
    if (isnan(v)) {
        fputs("nan", out);
        return;
    }
    if (isinf(v)) {
        fputs(v < 0 ? "-inf" : "inf", out);
        return;
    }
    char sci[40];
    for (int prec = 0; prec < 17; prec++) {
        snprintf(sci, sizeof sci, "%.*e", prec, v);
        if (strtod(sci, NULL) == v)
            break;
    }
    /* sci is [-]d[.ddd]e[+-]xx */
    char digits[32];
    size_t nd = 0;
    const char *p = sci;
    bool neg = *p == '-';
    if (neg)
        p++;
    for (; *p != 'e'; p++)
        if (*p != '.')
            digits[nd++] = *p;
    int exp = atoi(p + 1);
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    if (neg)
        fputc('-', out);
    if (exp < -4 || exp >= 16) {
        fprintf(out, "%c", digits[0]);
        if (nd > 1)
            fprintf(out, ".%.*s", (int)nd - 1, digits + 1);
        fprintf(out, "e%c%02d", exp < 0 ? '-' : '+', abs(exp));
    } else if (exp < 0) {
        fputs("0.", out);
        put_zeros(out, -exp - 1);
        fprintf(out, "%.*s", (int)nd, digits);
    } else if ((size_t)exp + 1 >= nd) {
        fprintf(out, "%.*s", (int)nd, digits);
        put_zeros(out, exp + 1 - (int)nd);
        fputs(".0", out);
    } else {
        fprintf(out, "%.*s.%.*s", exp + 1, digits, (int)nd - exp - 1, digits + exp + 1);
    }
}

static void dump_constant(FILE *out, const struct ast_node *n)
{
    fputc(' ', out);
    switch (n->const_kind) {
    case AST_CONST_INT:
        if (n->big)
            fprintf(out, "%.*s big", (int)n->len, n->str);
        else
            fprintf(out, "%lld", (long long)n->ival);
        break;
    case AST_CONST_FLOAT: repr_float(out, n->fval); break;
    case AST_CONST_STR: repr_text(out, n->str, n->len, false); break;
    case AST_CONST_BYTES: repr_text(out, n->str, n->len, true); break;
    case AST_CONST_TRUE: fputs("True", out); break;
    case AST_CONST_FALSE: fputs("False", out); break;
    case AST_CONST_NONE: fputs("None", out); break;
    case AST_CONST_ELLIPSIS: fputs("Ellipsis", out); break;
    }
}

static void dump_scalars(FILE *out, const struct ast_node *n)
{
    if (n->name)
        fprintf(out, " %s", n->name);
    else if (n->kind == AST_KEYWORD)
        fputs(" **", out);
    if (n->asname)
        fprintf(out, " as %s", n->asname);
    if (n->op != AST_OP_NONE)
        fprintf(out, " %s", ast_op_spelling(n->op));
    for (int i = 0; n->cmpops && i < n->comparators.n; i++)
        fprintf(out, " %s", ast_op_spelling(n->cmpops[i]));
    if (n->conversion)
        fprintf(out, " !%c", n->conversion);
    if (n->level)
        fprintf(out, " level=%d", n->level);
    if (n->kind == AST_CONSTANT)
        dump_constant(out, n);
}

struct dump_walk {
    FILE *out;
    int indent;
};

static void dump_node(struct dump_walk *w, const char *role, int index, const struct ast_node *n);

static bool dump_child(void *ctx, const char *role, int index, const struct ast_node *child)
{
    struct dump_walk *w = ctx;
    w->indent++;
    dump_node(w, role, index, child);
    w->indent--;
    return true;
}

static void dump_node(struct dump_walk *w, const char *role, int index, const struct ast_node *n)
{
    fprintf(w->out, "%*s", 2 * w->indent, "");
    if (role && index >= 0)
        fprintf(w->out, "%s[%d]: ", role, index);
    else if (role)
        fprintf(w->out, "%s: ", role);
    if (!n) {
        fputs("<none>\n", w->out);
        return;
    }
    fputs(ast_kind_name(n->kind), w->out);
    dump_scalars(w->out, n);
    fprintf(w->out, " @%d:%d\n", n->pos.line, n->pos.col);
    ast_each_child(n, dump_child, w);
}

void ast_dump(FILE *out, const struct ast_node *node)
{
    struct dump_walk w = {out, 0};
    dump_node(&w, NULL, -1, node);
}
