/* fstring.c - f-strings: split into literal parts and {fields}.
 *
 * Python 3.11 scans an f-string like any other string (the lexer has
 * already found where it ends) and then splits its body, which is what
 * this file does, following CPython 3.11's fstring_find_literal and
 * fstring_find_expr:
 *
 *   literal text   `{{` and `}}` stand for braces; escapes are decoded
 *                  per chunk, after the split (so f"\x7b" is a brace);
 *   {expr}         the expression text ends at a `!`, `:`, `=` or `}` at
 *                  bracket depth 0 outside quotes (`!=`, `==`, `<=`, `>=`
 *                  do not end it); it may not contain a backslash or `#`;
 *   {expr=}        the text of `expr=` (with its spaces) becomes a literal
 *                  part and the conversion defaults to !r;
 *   {expr!r}       conversion s, r or a;
 *   {expr:spec}    the spec is itself an f-string body (one level deep
 *                  again: f"{x:{w}.{p}f}") and becomes a JOINEDSTR.
 *
 * The expression text is parsed by a nested parse (fe_parse in
 * FE_MODE_FEXPR) that starts at the real line:col of the text, so nodes
 * inside f-strings and errors in them point into the file. Positions
 * inside the body are found by a cursor that moves forward only (asked
 * for an earlier one it starts again, so callers ask in order).
 */
#include "frontend/frontend.h"

#include <string.h>

struct fsplit {
    struct fe_state *st;
    const char *s;
    size_t len;
    bool raw;
    /* the position cursor: s[cur] is at line:col */
    struct srcpos start;
    size_t cur;
    int line, col;
};

static struct srcpos fs_pos(struct fsplit *fs, size_t idx)
{
    if (idx < fs->cur) {
        fs->cur = 0;
        fs->line = fs->start.line;
        fs->col = fs->start.col;
    }
    for (; fs->cur < idx && fs->cur < fs->len; fs->cur++) {
        if (fs->s[fs->cur] == '\n') {
            fs->line++;
            fs->col = 1;
        } else {
            fs->col++;
        }
    }
    return (struct srcpos){fs->start.file, fs->line, fs->col, NULL};
}

static bool fs_fail(struct fsplit *fs, size_t idx, const char *msg)
{
    fe_error(fs->st, fs_pos(fs, idx), "%s", msg);
    return false;
}

static bool fs_body(struct fsplit *fs, size_t *i, int level, struct ast_node *joined);

static struct ast_node *str_part(const char *s, size_t len, struct srcpos pos)
{
    struct ast_node *n = fe_const(AST_CONST_STR, pos);
    n->str = sp_strndup(s, len);
    n->len = len;
    return n;
}

/* Literal text up to the next field (or, in a spec, its closing brace). */
static bool fs_literal(struct fsplit *fs, size_t *i, int level, struct ast_node *joined)
{
    const char *s = fs->s;
    size_t start = *i;
    struct sp_buf chunk = {0};
    while (*i < fs->len) {
        char c = s[*i];
        char next = *i + 1 < fs->len ? s[*i + 1] : 0;
        if (!fs->raw && c == '\\') {
            if (next == 'N' && *i + 2 < fs->len && s[*i + 2] == '{')
                return fs_fail(fs, *i, "\\N{...} escapes are not supported");
            /* `\{` is a backslash and then a field, as in CPython */
            sp_buf_putn(&chunk, s + *i, next && next != '{' && next != '}' ? 2 : 1);
            *i += next && next != '{' && next != '}' ? 2 : 1;
            continue;
        }
        if (c == '{' || c == '}') {
            if (level == 0 && next == c) {
                sp_buf_putc(&chunk, c);
                *i += 2;
                continue;
            }
            if (c == '}' && level == 0)
                return fs_fail(fs, *i, "f-string: single '}' is not allowed");
            break;
        }
        sp_buf_putc(&chunk, c);
        (*i)++;
    }
    if (chunk.len == 0)
        return true;
    struct srcpos pos = fs_pos(fs, start);
    if (fs->raw) {
        fe_joined_push(joined, str_part(chunk.s, chunk.len, pos));
        return true;
    }
    struct sp_buf value = {0};
    if (!fe_decode_escapes(fs->st, pos, chunk.s, chunk.len, false, &value))
        return false;
    fe_joined_push(joined, str_part(sp_buf_cstr(&value), value.len, pos));
    return true;
}

static char closer(char open)
{
    return open == '(' ? ')' : open == '[' ? ']' : '}';
}

/* Skips a quoted string inside an expression; *i is at the quote. */
static bool fs_skip_quoted(struct fsplit *fs, size_t *i)
{
    const char *s = fs->s;
    char q = s[*i];
    size_t qlen = *i + 2 < fs->len && s[*i + 1] == q && s[*i + 2] == q ? 3 : 1;
    size_t open = *i;
    for (*i += qlen; *i < fs->len; (*i)++) {
        if (s[*i] == q && (qlen == 1 || (*i + 2 < fs->len && s[*i + 1] == q && s[*i + 2] == q))) {
            *i += qlen;
            return true;
        }
    }
    return fs_fail(fs, open, "f-string: unterminated string");
}

struct brackets {
    char open[FE_MAX_NEST];
    size_t at[FE_MAX_NEST];
    int depth;
};

static bool fs_bracket(struct fsplit *fs, size_t i, struct brackets *b)
{
    char c = fs->s[i];
    if (c == '(' || c == '[' || c == '{') {
        if (b->depth >= FE_MAX_NEST)
            return fs_fail(fs, i, "f-string: too many nested parentheses");
        b->open[b->depth] = c;
        b->at[b->depth++] = i;
        return true;
    }
    if (b->depth == 0)
        return fs_fail(fs, i, sp_fmt("f-string: unmatched '%c'", c));
    if (c != closer(b->open[b->depth - 1]))
        return fs_fail(fs, i, sp_fmt("f-string: closing parenthesis '%c' does not match "
                                     "opening parenthesis '%c'", c, b->open[b->depth - 1]));
    b->depth--;
    return true;
}

/* Finds the end of a field's expression: *i stops at `!`, `:`, `=` or `}`. */
static bool fs_expr_end(struct fsplit *fs, size_t *i)
{
    const char *s = fs->s;
    struct brackets b;
    b.depth = 0;
    while (*i < fs->len) {
        char c = s[*i];
        char next = *i + 1 < fs->len ? s[*i + 1] : 0;
        if (c == '\\')
            return fs_fail(fs, *i, "f-string expression part cannot include a backslash");
        if (c == '#')
            return fs_fail(fs, *i, "f-string expression part cannot include '#'");
        if (c == '\'' || c == '"') {
            if (!fs_skip_quoted(fs, i))
                return false;
            continue;
        }
        if (c == 0)
            return fs_fail(fs, *i, "f-string: invalid character");
        if (b.depth == 0 && strchr("!=<>", c) && next == '=') {
            *i += 2;
            continue;
        }
        if (b.depth == 0 && strchr("!:=}", c))
            return true;
        if (strchr("([{)]}", c) && !fs_bracket(fs, *i, &b))
            return false;
        (*i)++;
    }
    if (b.depth > 0)
        return fs_fail(fs, b.at[b.depth - 1], sp_fmt("f-string: unmatched '%c'", b.open[b.depth - 1]));
    return true;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static bool all_space(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!is_space(s[i]))
            return false;
    return true;
}

struct field {
    struct ast_node *value;
    bool debug;
    size_t text_start, text_end; /* the `expr=` text of a debug field */
    struct srcpos text_pos;
    int conversion;
    struct ast_node *spec;
};

static bool fs_expression(struct fsplit *fs, size_t *i, size_t open, struct field *f)
{
    size_t start = *i;
    if (!fs_expr_end(fs, i))
        return false;
    if (*i >= fs->len)
        return fs_fail(fs, open, "f-string: expecting '}'");
    if (all_space(fs->s + start, *i - start))
        return fs_fail(fs, open, "f-string: empty expression not allowed");
    struct srcpos pos = fs_pos(fs, start);
    f->text_pos = pos;
    f->value = fe_parse(fs->st->file, fs->s + start, *i - start, FE_MODE_FEXPR, pos.line, pos.col,
                        fs->st->fdepth + 1);
    if (!f->value) {
        fs->st->failed = true; /* already reported by the nested parse */
        return false;
    }
    if (fs->s[*i] == '=') {
        f->debug = true;
        for ((*i)++; *i < fs->len && is_space(fs->s[*i]); (*i)++)
            ;
        f->text_start = start;
        f->text_end = *i;
    }
    return true;
}

static bool fs_conversion(struct fsplit *fs, size_t *i, struct field *f)
{
    if (*i >= fs->len || fs->s[*i] != '!')
        return true;
    (*i)++;
    if (*i >= fs->len || (fs->s[*i] != 's' && fs->s[*i] != 'r' && fs->s[*i] != 'a'))
        return fs_fail(fs, *i, "f-string: invalid conversion character: expected 's', 'r', or 'a'");
    f->conversion = fs->s[(*i)++];
    return true;
}

static bool fs_spec(struct fsplit *fs, size_t *i, int level, struct field *f)
{
    if (*i >= fs->len || fs->s[*i] != ':')
        return true;
    (*i)++;
    f->spec = ast_new(AST_JOINEDSTR, fs_pos(fs, *i));
    return fs_body(fs, i, level + 1, f->spec);
}

/* {expr[=][!c][:spec]}; *i is at the `{`. */
static bool fs_field(struct fsplit *fs, size_t *i, int level, struct ast_node *joined)
{
    size_t open = (*i)++;
    struct srcpos openpos = fs_pos(fs, open);
    if (level >= 2)
        return fs_fail(fs, open, "f-string: expressions nested too deeply");
    struct field f = {0};
    if (!fs_expression(fs, i, open, &f) || !fs_conversion(fs, i, &f) || !fs_spec(fs, i, level, &f))
        return false;
    if (*i >= fs->len || fs->s[*i] != '}')
        return fs_fail(fs, open, "f-string: expecting '}'");
    (*i)++;
    if (f.debug) {
        fe_joined_push(joined, str_part(fs->s + f.text_start, f.text_end - f.text_start,
                                        f.text_pos));
        if (!f.conversion && !f.spec)
            f.conversion = 'r';
    }
    struct ast_node *fv = ast_new(AST_FORMATTEDVALUE, openpos);
    fv->value = f.value;
    fv->conversion = f.conversion;
    fv->spec = f.spec;
    fe_joined_push(joined, fv);
    return true;
}

/* Literal parts and fields; a spec (level > 0) stops at its `}`. */
static bool fs_body(struct fsplit *fs, size_t *i, int level, struct ast_node *joined)
{
    while (*i < fs->len) {
        if (!fs_literal(fs, i, level, joined))
            return false;
        if (*i >= fs->len || fs->s[*i] == '}')
            return true;
        if (!fs_field(fs, i, level, joined))
            return false;
    }
    return true;
}

struct ast_node *fe_fstring(struct fe_state *st, struct srcpos tokpos, struct srcpos bodypos,
                            const char *body, size_t len, bool raw)
{
    struct fsplit fs = {st, body, len, raw, bodypos, 0, bodypos.line, bodypos.col};
    struct ast_node *joined = ast_new(AST_JOINEDSTR, tokpos);
    size_t i = 0;
    if (!fs_body(&fs, &i, 0, joined))
        return NULL;
    return joined;
}
