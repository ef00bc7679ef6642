/* frontend.h - what the lexer, the grammar and their helpers share.
 *
 * Private to frontend/ (and its unit tests); the rest of the compiler sees
 * only ast.h.
 *
 * One `struct fe_state` is one parse: the flex scanner keeps it as its
 * `extra` and bison receives it as a parse parameter, so nothing lives in
 * globals and any number of parses may run one after another, or nested:
 * an f-string's {expression} is parsed by a fresh state whose first
 * line:col is where the expression sits in the file, so its nodes carry
 * real positions.
 *
 * Errors: the first error of a parse is printed through sp_error and sets
 * `failed`; later ones are swallowed. A grammar action that finds a
 * semantic error (say `f() = 1`) reports it and carries on with a harmless
 * node; the scanner sees `failed` on its next call and returns YYerror,
 * which makes bison abort without a second message. Hence actions never
 * need to check for errors themselves.
 */
#ifndef RPY_FRONTEND_H
#define RPY_FRONTEND_H

#include "frontend/ast.h"
#include "parser.h"

#define FE_MAX_NEST 200     /* nested brackets */
#define FE_MAX_INDENT 100   /* indentation levels */
#define FE_MAX_FDEPTH 8     /* f-strings inside f-string expressions */
#define FE_MAX_AST_DEPTH 1000 /* nodes inside nodes, checked after the parse */

enum fe_mode {
    FE_MODE_MODULE, /* a whole file */
    FE_MODE_FEXPR,  /* the expression of an f-string field */
};

struct fe_state {
    const char *file;
    enum fe_mode mode;
    bool failed;
    int fdepth;                 /* f-string nesting of this parse */
    struct ast_node *result;

    /* scanner */
    int line, col;              /* position of the next unread byte */
    bool started;               /* the START_* token has been sent */
    int depth;                  /* open brackets (FEXPR starts at 1) */
    int base_depth;
    char open_char[FE_MAX_NEST];
    struct srcpos open_pos[FE_MAX_NEST];
    int nindent;                /* indentation stack, [0] is column 0 */
    int indent[FE_MAX_INDENT + 1];
    int altindent[FE_MAX_INDENT + 1]; /* same with tabs counted as 1 */
    int pending_dedents;
    /* first tokens of the current and the previous logical line, for
     * "expected an indented block after 'if' statement on line 3" */
    bool line_start;
    int stmt_token, stmt_line, prev_stmt_token, prev_stmt_line;
    /* after a syntax error, the rest is scanned for a lexical error
     * (such as an unclosed bracket) that would explain it better */
    bool probing;
};

/* ---- parsing (parser.y) ---- */

/* Parse `len` bytes of already prepared text (see fe_prepare_source) in the
 * given mode, the first byte being at line:col. NULL after an error. */
struct ast_node *fe_parse(const char *file, const char *text, size_t len,
                          enum fe_mode mode, int line, int col, int fdepth);

/* "NAME", "if", "**", "(" ... for a token kind returned by the scanner. */
const char *fe_token_name(int token);

/* Report an error at pos if it is the first of this parse. */
void fe_error(struct fe_state *st, struct srcpos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- scanner (lexer.l) ---- */

void *fe_scanner_new(struct fe_state *st, const char *text, size_t len);
void fe_scanner_free(void *scanner);
/* Scans the remaining tokens; a lexical error among them is reported. */
void fe_scan_rest(void *scanner);

/* Tokens of a source text, for the unit tests. */
struct fe_token {
    int kind;                 /* bison token kind */
    const char *name;         /* fe_token_name(kind) */
    int line, col;
    const char *ident;        /* NAME: the interned identifier */
    struct ast_node *node;    /* NUMBER, STRING: the literal */
};
/* Returns the number of tokens (the final end-of-input token included) or
 * -1 after reporting an error. */
int fe_tokenize(const char *file, const char *text, size_t len, struct fe_token **out);

/* ---- source text (ast.c) ---- */

/* Drops a byte order mark, normalises line ends to \n, registers the text
 * for diagnostics, and rejects NUL bytes and invalid UTF-8. The result is
 * NUL-terminated. */
bool fe_prepare_source(const char *file, const char *text, size_t len,
                       const char **out, size_t *out_len);

/* ---- literals (literal.c) ---- */

struct ast_node *fe_number(struct fe_state *st, struct srcpos pos, const char *text, size_t len);
/* A whole string token, prefix and quotes included. */
struct ast_node *fe_string(struct fe_state *st, struct srcpos pos, const char *text, size_t len);
/* Decode backslash escapes of `raw` (a str or bytes literal body) into buf.
 * `pos` is where raw starts, for error positions. */
bool fe_decode_escapes(struct fe_state *st, struct srcpos pos, const char *raw, size_t len,
                       bool bytes, struct sp_buf *buf);
/* Decode one UTF-8 sequence; returns its length, 0 if invalid. */
int fe_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Is the identifier made of acceptable characters? On failure, *bad is
 * the byte offset of the first offending character. */
bool fe_ident_ok(const char *s, size_t len, size_t *bad);
/* "'€' (U+20AC)" style description of the character at s. */
const char *fe_describe_char(const char *s, size_t len);

/* ---- f-strings (fstring.c) ---- */

/* body: the text between the quotes of an f-string starting at pos. */
struct ast_node *fe_fstring(struct fe_state *st, struct srcpos tokpos, struct srcpos bodypos,
                            const char *body, size_t len, bool raw);

/* ---- AST construction for grammar actions (build.c) ---- */

struct srcpos fe_pos(struct fe_state *st, int line, int col);

/* A comma-separated sequence inside brackets or bare. */
struct fe_seq {
    struct ast_list elts;       /* elements; for a dict display, the keys */
    struct ast_list values;     /* dict display: values, parallel to elts */
    bool trailing_comma;
    struct ast_list generators; /* set when the sequence is `elt for ...` */
};
struct fe_seq *fe_seq_new(struct ast_node *first);
struct ast_node *fe_seq_to_expr(struct fe_seq *seq, struct srcpos pos);
struct ast_node *fe_paren(struct fe_state *st, struct fe_seq *seq, struct srcpos pos);
struct ast_node *fe_bracket(struct fe_state *st, struct fe_seq *seq, struct srcpos pos);
struct ast_node *fe_brace(struct fe_state *st, struct fe_seq *seq, struct srcpos pos);

/* Dict displays: pairs, NULL key for `**value` (as in Python's ast). */
struct fe_seq *fe_dict_new(struct ast_node *key, struct ast_node *value);
void fe_dict_push(struct fe_seq *seq, struct ast_node *key, struct ast_node *value);
struct ast_node *fe_dict(struct fe_seq *seq, struct srcpos pos);

/* Binary nodes start at their first token, which may be a `(` before the
 * left operand, as in CPython. */
struct ast_node *fe_binop(struct ast_node *left, enum ast_op op, struct ast_node *right,
                          struct srcpos pos);
struct ast_node *fe_unary(enum ast_op op, struct ast_node *value, struct srcpos pos);
struct ast_node *fe_boolop(struct ast_node *left, enum ast_op op, struct ast_node *right,
                           struct srcpos pos);
struct ast_node *fe_compare(struct ast_node *left, enum ast_op op, struct ast_node *right,
                            struct srcpos pos);
void fe_compare_push(struct ast_node *cmp, enum ast_op op, struct ast_node *right);
struct ast_node *fe_name(const char *name, struct srcpos pos);
struct ast_node *fe_const(enum ast_const_kind kind, struct srcpos pos);
/* Adjacent string literals (CONSTANT str/bytes, JOINEDSTR) as one node. */
struct ast_node *fe_concat(struct fe_state *st, struct ast_list parts);
/* Append a part to a JOINEDSTR, merging neighbouring constants. */
void fe_joined_push(struct ast_node *joined, struct ast_node *part);
struct ast_node *fe_starred(struct ast_node *value, struct srcpos pos);
struct ast_node *fe_single(struct fe_state *st, struct ast_node *value); /* no bare `*x` */

/* Targets of =, augmented =, del, for, with, comprehensions. The first
 * target of `a = b = c` is told apart for its "Maybe you meant '=='". */
enum fe_target_use { FE_ASSIGN_FIRST, FE_ASSIGN, FE_AUGASSIGN, FE_ANNASSIGN, FE_DELETE, FE_FOR, FE_WITH, FE_COMP };
struct ast_node *fe_target(struct fe_state *st, struct ast_node *t, enum fe_target_use use);

/* Call arguments: positional, keyword, *x, **x in Python's order rules. */
struct fe_args {
    struct ast_list args;
    struct ast_list keywords;
    bool seen_keyword, seen_dstar;
    struct ast_node *bare_genexp; /* an unparenthesised `f(x for x in y)` */
    struct srcpos lparen;       /* the call's `(` */
};
struct fe_args *fe_args_new(void);
void fe_args_push(struct fe_state *st, struct fe_args *a, struct ast_node *arg);
void fe_args_keyword(struct fe_state *st, struct fe_args *a, struct ast_node *name,
                     struct ast_node *value, struct srcpos pos);
void fe_args_dstar(struct fe_state *st, struct fe_args *a, struct ast_node *value, struct srcpos pos);
void fe_args_genexp(struct fe_state *st, struct fe_args *a, struct ast_node *elt,
                    struct ast_list gens);
struct ast_node *fe_call(struct fe_state *st, struct ast_node *func, struct fe_args *a,
                         struct srcpos pos);
struct ast_node *fe_classdef(struct fe_state *st, const char *name, struct fe_args *bases,
                             struct ast_list body, struct srcpos pos);

/* Parameter lists of def and lambda. */
enum fe_param_kind { FE_PARAM_PLAIN, FE_PARAM_STAR, FE_PARAM_DSTAR, FE_PARAM_SLASH };
struct fe_params {
    struct ast_node *args;      /* ARGUMENTS */
    bool star;                  /* a * or *name was seen */
    bool bare_star_open;        /* a bare * still waits for a named parameter */
    bool seen_default;          /* a positional parameter had a default */
    struct srcpos bare_star_pos;
};
struct fe_params *fe_params_new(struct srcpos pos);
void fe_params_push(struct fe_state *st, struct fe_params *ps, enum fe_param_kind kind,
                    struct ast_node *arg, struct srcpos pos);
struct ast_node *fe_params_done(struct fe_state *st, struct fe_params *ps);
struct ast_node *fe_arg(const char *name, struct ast_node *annotation, struct ast_node *value,
                        struct srcpos pos);

/* if/elif chains are built left to right: `last` is the newest IF. */
struct fe_ifchain {
    struct ast_node *first, *last;
};

struct ast_node *fe_subscript_index(struct fe_seq *seq, struct srcpos pos);
struct ast_node *fe_slice(struct ast_node *lower, struct ast_node *upper, struct ast_node *step,
                          struct srcpos pos);
const char *fe_dotted(const char *left, const char *right);
void fe_list_append(struct ast_list *dst, struct ast_list src);

/* Depth check after a successful parse; false (and an error) if too deep. */
bool fe_check_depth(struct fe_state *st, struct ast_node *root);

#endif
