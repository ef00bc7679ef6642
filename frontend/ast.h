/* ast.h - the abstract syntax tree, the frontend's one public header.
 *
 * The tree mirrors Python's own `ast` module closely (same node names, same
 * child roles) so that anyone who knows Python's AST can read it. Every node
 * carries the file:line:col of its first token.
 *
 * One struct serves every kind: each field has one meaning wherever it is
 * used, and the table below says which fields each kind uses. Unused fields
 * are NULL / empty. Nodes live in the compiler arena.
 *
 * Strings: STR literals hold their decoded value as UTF-8 bytes in
 * str/len (may contain NUL). Identifiers (name, asname) are interned
 * (sp_intern), so they compare with ==.
 */
#ifndef RPY_AST_H
#define RPY_AST_H

#include "../support/support.h"

/* X(kind, python name, fields used) */
#define AST_KINDS(X)                                                                 \
    /* ---- module and statements ---- */                                           \
    X(MODULE, "Module", "body")                                                      \
    X(FUNCTIONDEF, "FunctionDef", "name args body decorators returns")              \
    X(CLASSDEF, "ClassDef", "name bases body decorators")                            \
    X(RETURN, "Return", "value?")                                                    \
    X(DELETE, "Delete", "targets")                                                   \
    X(ASSIGN, "Assign", "targets value  (a = b = v: targets [a, b])")              \
    X(AUGASSIGN, "AugAssign", "target op value")                                     \
    X(ANNASSIGN, "AnnAssign", "target annotation value?")                            \
    X(FOR, "For", "target iter body orelse")                                         \
    X(WHILE, "While", "test body orelse")                                            \
    X(IF, "If", "test body orelse  (elif: orelse holds one IF)")                   \
    X(WITH, "With", "items(WITHITEM) body")                                          \
    X(RAISE, "Raise", "value? cause?")                                               \
    X(TRY, "Try", "body handlers(EXCEPTHANDLER) orelse finalbody")                   \
    X(ASSERT, "Assert", "test msg?")                                                 \
    X(IMPORT, "Import", "names(ALIAS)")                                              \
    X(IMPORTFROM, "ImportFrom", "name(module, may be NULL) names(ALIAS) level")     \
    X(GLOBAL, "Global", "names(NAME)")                                               \
    X(NONLOCAL, "Nonlocal", "names(NAME)")                                           \
    X(EXPR, "Expr", "value")                                                         \
    X(PASS, "Pass", "")                                                              \
    X(BREAK, "Break", "")                                                            \
    X(CONTINUE, "Continue", "")                                                      \
    /* ---- expressions ---- */                                                     \
    X(BOOLOP, "BoolOp", "op(AST_AND/AST_OR) values")                                 \
    X(BINOP, "BinOp", "left op right")                                               \
    X(UNARYOP, "UnaryOp", "op(AST_UADD/USUB/INVERT/NOT) value")                      \
    X(LAMBDA, "Lambda", "args value(the body expression)")                           \
    X(IFEXP, "IfExp", "test body_expr orelse_expr")                                  \
    X(DICT, "Dict", "keys values")                                                   \
    X(SET, "Set", "elts")                                                            \
    X(LISTCOMP, "ListComp", "elt generators(COMPREHENSION)")                         \
    X(SETCOMP, "SetComp", "elt generators")                                          \
    X(DICTCOMP, "DictComp", "key value generators")                                  \
    X(GENEXP, "GeneratorExp", "elt generators")                                      \
    X(YIELD, "Yield", "value?")                                                      \
    X(YIELDFROM, "YieldFrom", "value")                                               \
    X(COMPARE, "Compare", "left cmpops comparators")                                 \
    X(CALL, "Call", "func args(may hold STARRED) keywords(KEYWORD)")                 \
    X(FORMATTEDVALUE, "FormattedValue", "value conversion spec?(JOINEDSTR)")         \
    X(JOINEDSTR, "JoinedStr", "values(STR and FORMATTEDVALUE)")                      \
    X(CONSTANT, "Constant", "const_kind ival/fval/str+len")                          \
    X(ATTRIBUTE, "Attribute", "value name")                                          \
    X(SUBSCRIPT, "Subscript", "value index")                                         \
    X(STARRED, "Starred", "value")                                                   \
    X(NAME, "Name", "name")                                                          \
    X(LIST, "List", "elts")                                                          \
    X(TUPLE, "Tuple", "elts")                                                        \
    X(SLICE, "Slice", "lower? upper? step?")                                         \
    /* ---- helper nodes ---- */                                                    \
    X(COMPREHENSION, "comprehension", "target iter ifs")                             \
    X(EXCEPTHANDLER, "ExceptHandler", "type? asname? body")                          \
    X(ARGUMENTS, "arguments", "posargs(ARG) vararg? kwonlyargs(ARG) kwarg?")         \
    X(ARG, "arg", "name annotation? value?(default)")                                \
    X(KEYWORD, "keyword", "name(NULL for **expr) value")                             \
    X(ALIAS, "alias", "name(dotted) asname?")                                        \
    X(WITHITEM, "withitem", "value(context expr) target?")

enum ast_kind {
#define X(k, py, fields) AST_##k,
    AST_KINDS(X)
#undef X
    AST_NKINDS
};

/* Operators: binary, unary, boolean, comparison. X(name, python spelling) */
#define AST_OPS(X)                                                                   \
    X(ADD, "+") X(SUB, "-") X(MULT, "*") X(MATMULT, "@") X(DIV, "/")                 \
    X(FLOORDIV, "//") X(MOD, "%") X(POW, "**") X(LSHIFT, "<<") X(RSHIFT, ">>")       \
    X(BITOR, "|") X(BITXOR, "^") X(BITAND, "&")                                      \
    X(UADD, "+") X(USUB, "-") X(INVERT, "~") X(NOT, "not")                           \
    X(AND, "and") X(OR, "or")                                                        \
    X(EQ, "==") X(NOTEQ, "!=") X(LT, "<") X(LTE, "<=") X(GT, ">") X(GTE, ">=")       \
    X(IS, "is") X(ISNOT, "is not") X(IN, "in") X(NOTIN, "not in")

enum ast_op {
    AST_OP_NONE,
#define X(name, spelling) AST_##name,
    AST_OPS(X)
#undef X
    AST_NOPS
};

/* CONSTANT values */
enum ast_const_kind {
    AST_CONST_INT,      /* ival (a literal beyond int64 sets `big` and keeps the text in str) */
    AST_CONST_FLOAT,    /* fval */
    AST_CONST_STR,      /* str/len, decoded UTF-8 */
    AST_CONST_BYTES,    /* str/len, raw bytes */
    AST_CONST_TRUE,
    AST_CONST_FALSE,
    AST_CONST_NONE,
    AST_CONST_ELLIPSIS,
};

struct ast_node;
struct ast_list {
    struct ast_node **v;
    int n;
    int cap;
};

struct ast_node {
    enum ast_kind kind;
    struct srcpos pos;

    /* scalars */
    enum ast_op op;                 /* BOOLOP, BINOP, UNARYOP, AUGASSIGN */
    enum ast_const_kind const_kind; /* CONSTANT */
    int64_t ival;                   /* CONSTANT int */
    double fval;                    /* CONSTANT float */
    bool big;                       /* CONSTANT int literal that does not fit in int64 */
    const char *str;                /* CONSTANT str/bytes (or big int digits) */
    size_t len;
    int conversion;                 /* FORMATTEDVALUE: 0, 's', 'r' or 'a' */
    int level;                      /* IMPORTFROM: number of leading dots */
    const char *name;               /* interned identifier (NAME, ATTRIBUTE, FUNCTIONDEF, ...) */
    const char *asname;             /* ALIAS, EXCEPTHANDLER `as` name */

    /* single children */
    struct ast_node *value, *target, *test, *left, *right, *iter, *elt, *key;
    struct ast_node *type;          /* EXCEPTHANDLER exception expression */
    struct ast_node *cause, *msg, *spec, *annotation, *returns;
    struct ast_node *index;         /* SUBSCRIPT: expression, SLICE, or TUPLE of them */
    struct ast_node *lower, *upper, *step;
    struct ast_node *body_expr, *orelse_expr; /* IFEXP */
    struct ast_node *func;          /* CALL */
    struct ast_node *args;          /* FUNCTIONDEF, LAMBDA: an ARGUMENTS node */
    struct ast_node *vararg, *kwarg;/* ARGUMENTS */

    /* lists */
    struct ast_list body, orelse, finalbody, handlers;
    struct ast_list targets, elts, keys, values, generators, ifs;
    struct ast_list callargs;       /* CALL positional args (STARRED allowed) */
    struct ast_list keywords;       /* CALL */
    struct ast_list names;          /* IMPORT, IMPORTFROM, GLOBAL, NONLOCAL */
    struct ast_list decorators, bases;
    struct ast_list posargs, kwonlyargs; /* ARGUMENTS */
    struct ast_list items;          /* WITH */
    struct ast_list comparators;    /* COMPARE: n comparators */
    enum ast_op *cmpops;            /* COMPARE: n operators, parallel to comparators */
};

/* Construction (used by the parser; also handy in unit tests). */
struct ast_node *ast_new(enum ast_kind kind, struct srcpos pos);
void ast_list_push(struct ast_list *list, struct ast_node *node);

/* Calls fn on each child of n, in dump order (index -1 for single
 * children; NULL entries of lists, like the key of `**d` in a dict
 * display, are passed too). Stops, returning false, when fn does. */
typedef bool ast_child_fn(void *ctx, const char *role, int index, const struct ast_node *child);
bool ast_each_child(const struct ast_node *n, ast_child_fn *fn, void *ctx);

const char *ast_kind_name(enum ast_kind kind);  /* "BinOp" ... */
const char *ast_op_spelling(enum ast_op op);    /* "+" ... */

/* Parse a whole file. `file` is the name used in positions and messages.
 * On a syntax error prints `file:line:col: error: ...` with the source line
 * and a caret (through sp_error) and returns NULL. Never crashes, whatever
 * the bytes. The text is registered with sp_register_source. */
struct ast_node *ast_parse_file(const char *file);
struct ast_node *ast_parse_string(const char *file, const char *text, size_t len);

/* `rpy parse`: an indented, stable dump of the tree, one node per line with
 * its line:col, to `out`. */
#include <stdio.h>
void ast_dump(FILE *out, const struct ast_node *node);

#endif
