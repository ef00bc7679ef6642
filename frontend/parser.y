/* parser.y - the Python 3 grammar as LALR(1), building the AST of ast.h.
 *
 * CPython's own grammar is PEG; this one follows the shape of its older
 * LL(1) grammar (Grammar/Grammar up to 3.8), which LALR accepts almost
 * as is, and has no conflicts (%expect 0). Where the PEG grammar needs
 * unbounded lookahead, this one parses a superset and lets a helper in
 * build.c reject what Python rejects, with Python's message:
 *   - assignment targets are parsed as expressions (`testlist_star_expr
 *     '=' ...`) and then checked (fe_target: `f() = 1` is "cannot assign
 *     to function call");
 *   - call arguments and parameter lists are flat comma lists whose order
 *     rules (keyword after positional, default after non-default, a bare
 *     `*` followed by a name...) are checked item by item (fe_args_*,
 *     fe_params_*);
 *   - `(x)`, `(x,)`, `(x for ...)` share one rule and fe_paren decides.
 * Operator precedence is spelled out as a cascade of rules, lowest first,
 * exactly as in Python's reference grammar, rather than with %left: each
 * level has its Python name, which makes the tree shapes easy to check.
 *
 * The first token (START_MODULE or START_FEXPR, sent by the scanner)
 * selects between a whole file and the expression of an f-string field.
 *
 * Errors: `parse.error custom` with LAC gives the exact set of expected
 * tokens, from which yyreport_syntax_error picks a message ("expected
 * ':'", "unexpected indent", "expected an indented block", or "invalid
 * syntax"), positioned at the offending token. Semantic errors found by
 * actions are reported by the helpers; the scanner then stops the parse
 * (see frontend.h). Bison's "memory exhausted" (more than YYMAXDEPTH
 * nested rules) becomes a positioned error too.
 */

%code requires {
#include "frontend/ast.h"
#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif
struct fe_state;
struct fe_seq;
struct fe_args;
struct fe_params;
struct fe_ifchain;
}

%code provides {
int yylex(YYSTYPE *lval, YYLTYPE *lloc, yyscan_t scanner);
}

%code {
#include "frontend/frontend.h"

#include <string.h>

#define POS(loc) fe_pos(p, (loc).first_line, (loc).first_column)

static void yyerror(YYLTYPE *loc, yyscan_t scanner, struct fe_state *p, const char *msg);
static struct ast_list list1(struct ast_node *node);
static struct ast_node *node_value(enum ast_kind kind, struct srcpos pos, struct ast_node *value);
static struct ast_node *compound(enum ast_kind kind, struct srcpos pos, struct ast_node *target,
                                 struct ast_node *test, struct ast_list body, struct ast_list orelse);
static struct ast_node *comprehension(struct fe_state *p, struct srcpos pos, struct fe_seq *target,
                                      struct ast_node *iter);
static struct ast_node *alias(const char *name, const char *asname, struct srcpos pos);
}

%define api.pure full
%locations
%define parse.error custom
%define parse.lac full
%expect 0
%lex-param {yyscan_t scanner}
%parse-param {yyscan_t scanner} {struct fe_state *p}

%union {
    struct ast_node *node;
    struct ast_list list;
    const char *name;
    enum ast_op op;
    int num;
    struct fe_seq *seq;
    struct fe_args *cargs;
    struct fe_params *params;
    struct fe_ifchain *ifc;
}

%token START_MODULE START_FEXPR
%token NEWLINE INDENT DEDENT
%token <name> NAME
%token <node> NUMBER STRING

%token KW_FALSE "False" KW_NONE "None" KW_TRUE "True" KW_AND "and" KW_AS "as"
%token KW_ASSERT "assert" KW_ASYNC "async" KW_AWAIT "await" KW_BREAK "break"
%token KW_CLASS "class" KW_CONTINUE "continue" KW_DEF "def" KW_DEL "del"
%token KW_ELIF "elif" KW_ELSE "else" KW_EXCEPT "except" KW_FINALLY "finally"
%token KW_FOR "for" KW_FROM "from" KW_GLOBAL "global" KW_IF "if" KW_IMPORT "import"
%token KW_IN "in" KW_IS "is" KW_LAMBDA "lambda" KW_NONLOCAL "nonlocal" KW_NOT "not"
%token KW_OR "or" KW_PASS "pass" KW_RAISE "raise" KW_RETURN "return" KW_TRY "try"
%token KW_WHILE "while" KW_WITH "with" KW_YIELD "yield"

%token ELLIPSIS "..." POW "**" FLOORDIV "//" LSHIFT "<<" RSHIFT ">>"
%token LE "<=" GE ">=" EQ "==" NE "!=" ARROW "->" COLONEQUAL ":="
%token PLUSEQ "+=" MINUSEQ "-=" STAREQ "*=" SLASHEQ "/=" FLOORDIVEQ "//="
%token PERCENTEQ "%=" ATEQ "@=" AMPEQ "&=" PIPEEQ "|=" CARETEQ "^="
%token LSHIFTEQ "<<=" RSHIFTEQ ">>=" POWEQ "**="

%type <list> stmts stmts1 stmt simple_stmt small_stmts suite else_opt finally_opt
%type <list> handlers decorators name_list dotted_as_names import_as_names import_targets
%type <list> with_items comp_clauses strings
%type <node> small_stmt expr_stmt rhs assign_chain del_stmt return_stmt raise_stmt
%type <node> global_stmt nonlocal_stmt assert_stmt import_stmt import_name import_from
%type <node> dotted_as_name import_as_name compound_stmt if_stmt while_stmt for_stmt
%type <node> try_stmt handler with_stmt with_item funcdef classdef decorated decorator
%type <node> returns_opt annot_opt default_opt param_plain param_named lparam_plain
%type <node> test test_opt or_test and_test not_test comparison expr xor_expr and_expr
%type <node> shift_expr arith_expr term factor power atom_expr atom lambdef
%type <node> testlist_star_expr test_or_star star_expr expr_or_star yield_expr
%type <node> or_chain and_chain cmp_chain subscript subscripts comp_for
%type <node> parameters
%type <seq> tsel esel exprlist testlist_comp ssel dict_items
%type <cargs> arglist args_head call_args
%type <params> params params_head lparams lparams_head
%type <ifc> if_chain
%type <name> dotted_name
%type <op> augassign comp_op
%type <num> dots

%%

start
    : START_MODULE file_input
    | START_FEXPR fexpr_input
    ;

/* file_input: (NEWLINE | stmt)* ENDMARKER */
file_input
    : stmts     {
                    p->result = ast_new(AST_MODULE, fe_pos(p, 1, 1));
                    p->result->body = $1;
                }
    ;

/* The expression of an f-string field: f"{a, b!r}" parses `a, b`. */
fexpr_input
    : testlist_star_expr    { p->result = fe_single(p, $1); }
    | yield_expr            { p->result = $1; }
    ;

stmts
    : %empty        { $$ = (struct ast_list){0}; }
    | stmts stmt    { $$ = $1; fe_list_append(&$$, $2); }
    ;

stmts1
    : stmt          { $$ = $1; }
    | stmts1 stmt   { $$ = $1; fe_list_append(&$$, $2); }
    ;

stmt
    : simple_stmt
    | compound_stmt { $$ = list1($1); }
    ;

/* simple_stmt: small_stmt (';' small_stmt)* [';'] NEWLINE */
simple_stmt
    : small_stmts NEWLINE
    | small_stmts ';' NEWLINE
    ;

small_stmts
    : small_stmt                    { $$ = list1($1); }
    | small_stmts ';' small_stmt    { $$ = $1; ast_list_push(&$$, $3); }
    ;

small_stmt
    : expr_stmt
    | del_stmt
    | "pass"            { $$ = ast_new(AST_PASS, POS(@1)); }
    | "break"           { $$ = ast_new(AST_BREAK, POS(@1)); }
    | "continue"        { $$ = ast_new(AST_CONTINUE, POS(@1)); }
    | return_stmt
    | raise_stmt
    | global_stmt
    | nonlocal_stmt
    | import_stmt
    | assert_stmt
    | yield_expr        { $$ = node_value(AST_EXPR, POS(@1), $1); }
    ;

/* expr_stmt: testlist_star_expr (annassign | augassign (yield_expr|testlist) |
 *                                ('=' (yield_expr|testlist_star_expr))*)
 * annassign: ':' test ['=' (yield_expr|testlist_star_expr)] */
expr_stmt
    : testlist_star_expr                    { $$ = node_value(AST_EXPR, POS(@1), fe_single(p, $1)); }
    | testlist_star_expr augassign rhs      {
                    $$ = ast_new(AST_AUGASSIGN, POS(@1));
                    $$->target = fe_target(p, $1, FE_AUGASSIGN);
                    $$->op = $2;
                    $$->value = $3;
                }
    | testlist_star_expr ':' test           {
                    $$ = ast_new(AST_ANNASSIGN, POS(@1));
                    $$->target = fe_target(p, $1, FE_ANNASSIGN);
                    $$->annotation = $3;
                }
    | testlist_star_expr ':' test '=' rhs   {
                    $$ = ast_new(AST_ANNASSIGN, POS(@1));
                    $$->target = fe_target(p, $1, FE_ANNASSIGN);
                    $$->annotation = $3;
                    $$->value = $5;
                }
    | assign_chain
    ;

/* a = b = value: every `=` turns the previous value into a target. */
assign_chain
    : testlist_star_expr '=' rhs    {
                    $$ = ast_new(AST_ASSIGN, POS(@1));
                    ast_list_push(&$$->targets, fe_target(p, $1, FE_ASSIGN_FIRST));
                    $$->value = $3;
                }
    | assign_chain '=' rhs          {
                    $$ = $1;
                    ast_list_push(&$$->targets, fe_target(p, $$->value, FE_ASSIGN));
                    $$->value = $3;
                }
    ;

rhs
    : yield_expr
    | testlist_star_expr    { $$ = fe_single(p, $1); }
    ;

augassign
    : "+="      { $$ = AST_ADD; }
    | "-="      { $$ = AST_SUB; }
    | "*="      { $$ = AST_MULT; }
    | "@="      { $$ = AST_MATMULT; }
    | "/="      { $$ = AST_DIV; }
    | "//="     { $$ = AST_FLOORDIV; }
    | "%="      { $$ = AST_MOD; }
    | "**="     { $$ = AST_POW; }
    | "<<="     { $$ = AST_LSHIFT; }
    | ">>="     { $$ = AST_RSHIFT; }
    | "|="      { $$ = AST_BITOR; }
    | "^="      { $$ = AST_BITXOR; }
    | "&="      { $$ = AST_BITAND; }
    ;

/* del_stmt: 'del' exprlist -- `del a, b` has two targets */
del_stmt
    : "del" exprlist    {
                    $$ = ast_new(AST_DELETE, POS(@1));
                    for (int i = 0; i < $2->elts.n; i++)
                        ast_list_push(&$$->targets, fe_target(p, $2->elts.v[i], FE_DELETE));
                }
    ;

return_stmt
    : "return"                      { $$ = ast_new(AST_RETURN, POS(@1)); }
    | "return" testlist_star_expr   { $$ = node_value(AST_RETURN, POS(@1), fe_single(p, $2)); }
    ;

/* raise_stmt: 'raise' [test ['from' test]] */
raise_stmt
    : "raise"                   { $$ = ast_new(AST_RAISE, POS(@1)); }
    | "raise" test              { $$ = node_value(AST_RAISE, POS(@1), $2); }
    | "raise" test "from" test  { $$ = node_value(AST_RAISE, POS(@1), $2); $$->cause = $4; }
    ;

global_stmt
    : "global" name_list    { $$ = ast_new(AST_GLOBAL, POS(@1)); $$->names = $2; }
    ;

nonlocal_stmt
    : "nonlocal" name_list  { $$ = ast_new(AST_NONLOCAL, POS(@1)); $$->names = $2; }
    ;

name_list
    : NAME                  { $$ = list1(fe_name($1, POS(@1))); }
    | name_list ',' NAME    { $$ = $1; ast_list_push(&$$, fe_name($3, POS(@3))); }
    ;

/* assert_stmt: 'assert' test [',' test] */
assert_stmt
    : "assert" test             { $$ = ast_new(AST_ASSERT, POS(@1)); $$->test = $2; }
    | "assert" test ',' test    { $$ = ast_new(AST_ASSERT, POS(@1)); $$->test = $2; $$->msg = $4; }
    ;

import_stmt
    : import_name
    | import_from
    ;

/* import_name: 'import' dotted_as_names */
import_name
    : "import" dotted_as_names  { $$ = ast_new(AST_IMPORT, POS(@1)); $$->names = $2; }
    ;

dotted_as_names
    : dotted_as_name                        { $$ = list1($1); }
    | dotted_as_names ',' dotted_as_name    { $$ = $1; ast_list_push(&$$, $3); }
    ;

dotted_as_name
    : dotted_name               { $$ = alias($1, NULL, POS(@1)); }
    | dotted_name "as" NAME     { $$ = alias($1, $3, POS(@1)); }
    ;

dotted_name
    : NAME                      { $$ = $1; }
    | dotted_name '.' NAME      { $$ = fe_dotted($1, $3); }
    ;

/* import_from: ('from' (('.' | '...')* dotted_name | ('.' | '...')+)
 *               'import' ('*' | '(' import_as_names ')' | import_as_names)) */
import_from
    : "from" dotted_name "import" import_targets        {
                    $$ = ast_new(AST_IMPORTFROM, POS(@1));
                    $$->name = $2;
                    $$->names = $4;
                }
    | "from" dots dotted_name "import" import_targets   {
                    $$ = ast_new(AST_IMPORTFROM, POS(@1));
                    $$->name = $3;
                    $$->level = $2;
                    $$->names = $5;
                }
    | "from" dots "import" import_targets               {
                    $$ = ast_new(AST_IMPORTFROM, POS(@1));
                    $$->level = $2;
                    $$->names = $4;
                }
    ;

dots
    : '.'           { $$ = 1; }
    | "..."         { $$ = 3; }
    | dots '.'      { $$ = $1 + 1; }
    | dots "..."    { $$ = $1 + 3; }
    ;

import_targets
    : '*'                           { $$ = list1(alias(sp_intern("*"), NULL, POS(@1))); }
    | '(' import_as_names ')'       { $$ = $2; }
    | '(' import_as_names ',' ')'   { $$ = $2; }
    | import_as_names
    ;

import_as_names
    : import_as_name                        { $$ = list1($1); }
    | import_as_names ',' import_as_name    { $$ = $1; ast_list_push(&$$, $3); }
    ;

import_as_name
    : NAME              { $$ = alias($1, NULL, POS(@1)); }
    | NAME "as" NAME    { $$ = alias($1, $3, POS(@1)); }
    ;

compound_stmt
    : if_stmt
    | while_stmt
    | for_stmt
    | try_stmt
    | with_stmt
    | funcdef
    | classdef
    | decorated
    ;

/* if_stmt: 'if' test ':' suite ('elif' test ':' suite)* ['else' ':' suite]
 * Each elif is an IF alone in the orelse of the previous one. */
if_stmt
    : if_chain                      { $$ = $1->first; }
    | if_chain "else" ':' suite     { $1->last->orelse = $4; $$ = $1->first; }
    ;

if_chain
    : "if" test ':' suite               {
                    $$ = SP_NEW(struct fe_ifchain);
                    $$->first = $$->last = compound(AST_IF, POS(@1), NULL, $2, $4,
                                                     (struct ast_list){0});
                }
    | if_chain "elif" test ':' suite    {
                    struct ast_node *elif = compound(AST_IF, POS(@2), NULL, $3, $5,
                                                      (struct ast_list){0});
                    $1->last->orelse = list1(elif);
                    $1->last = elif;
                    $$ = $1;
                }
    ;

/* while_stmt: 'while' test ':' suite ['else' ':' suite] */
while_stmt
    : "while" test ':' suite else_opt   { $$ = compound(AST_WHILE, POS(@1), NULL, $2, $4, $5); }
    ;

/* for_stmt: 'for' exprlist 'in' testlist ':' suite ['else' ':' suite] */
for_stmt
    : "for" exprlist "in" testlist_star_expr ':' suite else_opt {
                    struct ast_node *target = fe_seq_to_expr($2, POS(@2));
                    $$ = compound(AST_FOR, POS(@1), fe_target(p, target, FE_FOR), NULL, $6, $7);
                    $$->iter = fe_single(p, $4);
                }
    ;

else_opt
    : %empty                { $$ = (struct ast_list){0}; }
    | "else" ':' suite      { $$ = $3; }
    ;

finally_opt
    : %empty                { $$ = (struct ast_list){0}; }
    | "finally" ':' suite   { $$ = $3; }
    ;

/* try_stmt: ('try' ':' suite ((except_clause ':' suite)+ ['else' ':' suite]
 *            ['finally' ':' suite] | 'finally' ':' suite)) */
try_stmt
    : "try" ':' suite handlers else_opt finally_opt {
                    $$ = ast_new(AST_TRY, POS(@1));
                    $$->body = $3;
                    $$->handlers = $4;
                    $$->orelse = $5;
                    $$->finalbody = $6;
                }
    | "try" ':' suite "finally" ':' suite           {
                    $$ = ast_new(AST_TRY, POS(@1));
                    $$->body = $3;
                    $$->finalbody = $6;
                }
    ;

handlers
    : handler           { $$ = list1($1); }
    | handlers handler  { $$ = $1; ast_list_push(&$$, $2); }
    ;

/* except_clause: 'except' [test ['as' NAME]] */
handler
    : "except" ':' suite                    {
                    $$ = ast_new(AST_EXCEPTHANDLER, POS(@1));
                    $$->body = $3;
                }
    | "except" test ':' suite               {
                    $$ = ast_new(AST_EXCEPTHANDLER, POS(@1));
                    $$->type = $2;
                    $$->body = $4;
                }
    | "except" test "as" NAME ':' suite     {
                    $$ = ast_new(AST_EXCEPTHANDLER, POS(@1));
                    $$->type = $2;
                    $$->asname = $4;
                    $$->body = $6;
                }
    ;

/* with_stmt: 'with' with_item (',' with_item)* ':' suite */
with_stmt
    : "with" with_items ':' suite   {
                    $$ = ast_new(AST_WITH, POS(@1));
                    $$->items = $2;
                    $$->body = $4;
                }
    ;

with_items
    : with_item                 { $$ = list1($1); }
    | with_items ',' with_item  { $$ = $1; ast_list_push(&$$, $3); }
    ;

/* with_item: test ['as' expr] */
with_item
    : test              { $$ = node_value(AST_WITHITEM, POS(@1), $1); }
    | test "as" expr    {
                    $$ = node_value(AST_WITHITEM, POS(@1), $1);
                    $$->target = fe_target(p, $3, FE_WITH);
                }
    ;

/* suite: simple_stmt | NEWLINE INDENT stmt+ DEDENT */
suite
    : simple_stmt
    | NEWLINE INDENT stmts1 DEDENT  { $$ = $3; }
    ;

/* funcdef: 'def' NAME parameters ['->' test] ':' suite */
funcdef
    : "def" NAME parameters returns_opt ':' suite   {
                    $$ = ast_new(AST_FUNCTIONDEF, POS(@1));
                    $$->name = $2;
                    $$->args = $3;
                    $$->returns = $4;
                    $$->body = $6;
                }
    ;

returns_opt
    : %empty        { $$ = NULL; }
    | "->" test     { $$ = $2; }
    ;

/* parameters: '(' [typedargslist] ')'
 * The items form a flat list; fe_params_push enforces Python's order. */
parameters
    : '(' ')'               { $$ = fe_params_done(p, fe_params_new(POS(@1))); }
    | '(' params ')'        { $$ = fe_params_done(p, $2); $$->pos = POS(@1); }
    | '(' params ',' ')'    { $$ = fe_params_done(p, $2); $$->pos = POS(@1); }
    ;

params
    : params_head param_plain       { $$ = $1; fe_params_push(p, $$, FE_PARAM_PLAIN, $2, POS(@2)); }
    | params_head '*'               { $$ = $1; fe_params_push(p, $$, FE_PARAM_STAR, NULL, POS(@2)); }
    | params_head '*' param_named   { $$ = $1; fe_params_push(p, $$, FE_PARAM_STAR, $3, POS(@2)); }
    | params_head "**" param_named  { $$ = $1; fe_params_push(p, $$, FE_PARAM_DSTAR, $3, POS(@2)); }
    | params_head '/'               { $$ = $1; fe_params_push(p, $$, FE_PARAM_SLASH, NULL, POS(@2)); }
    ;

params_head
    : %empty        { $$ = fe_params_new(POS(@$)); }
    | params ','
    ;

/* tfpdef ['=' test]   with   tfpdef: NAME [':' test] */
param_plain
    : NAME annot_opt default_opt    { $$ = fe_arg($1, $2, $3, POS(@1)); }
    ;

param_named
    : NAME annot_opt                { $$ = fe_arg($1, $2, NULL, POS(@1)); }
    ;

annot_opt
    : %empty        { $$ = NULL; }
    | ':' test      { $$ = $2; }
    ;

default_opt
    : %empty        { $$ = NULL; }
    | '=' test      { $$ = $2; }
    ;

/* classdef: 'class' NAME ['(' [arglist] ')'] ':' suite */
classdef
    : "class" NAME ':' suite            { $$ = fe_classdef(p, $2, NULL, $4, POS(@1)); }
    | "class" NAME call_args ':' suite  { $$ = fe_classdef(p, $2, $3, $5, POS(@1)); }
    ;

/* decorated: decorator+ (classdef | funcdef) */
decorated
    : decorators funcdef    { $$ = $2; $$->decorators = $1; }
    | decorators classdef   { $$ = $2; $$->decorators = $1; }
    ;

decorators
    : decorator             { $$ = list1($1); }
    | decorators decorator  { $$ = $1; ast_list_push(&$$, $2); }
    ;

decorator
    : '@' test NEWLINE      { $$ = $2; }
    ;

/* ---- expressions ---- */

/* testlist_star_expr: (test|star_expr) (',' (test|star_expr))* [',']
 * A lone `*x` is left for the user to reject: as a value it is "can't use
 * starred expression here" (fe_single), as a target fe_target says why. */
testlist_star_expr
    : tsel          { $$ = fe_seq_to_expr($1, POS(@1)); }
    | tsel ','      { $1->trailing_comma = true; $$ = fe_seq_to_expr($1, POS(@1)); }
    ;

tsel
    : test_or_star              { $$ = fe_seq_new($1); }
    | tsel ',' test_or_star     { $$ = $1; ast_list_push(&$$->elts, $3); }
    ;

test_or_star
    : test
    | star_expr
    ;

/* star_expr: '*' expr */
star_expr
    : '*' expr      { $$ = fe_starred($2, POS(@1)); }
    ;

/* exprlist: (expr|star_expr) (',' (expr|star_expr))* [','] */
exprlist
    : esel
    | esel ','      { $$ = $1; $$->trailing_comma = true; }
    ;

esel
    : expr_or_star              { $$ = fe_seq_new($1); }
    | esel ',' expr_or_star     { $$ = $1; ast_list_push(&$$->elts, $3); }
    ;

expr_or_star
    : expr
    | star_expr
    ;

/* test: or_test ['if' or_test 'else' test] | lambdef */
test
    : or_test
    | or_test "if" or_test "else" test  {
                    $$ = ast_new(AST_IFEXP, POS(@1));
                    $$->test = $3;
                    $$->body_expr = $1;
                    $$->orelse_expr = $5;
                }
    | lambdef
    ;

test_opt
    : %empty    { $$ = NULL; }
    | test
    ;

/* lambdef: 'lambda' [varargslist] ':' test */
lambdef
    : "lambda" ':' test             {
                    $$ = ast_new(AST_LAMBDA, POS(@1));
                    $$->args = fe_params_done(p, fe_params_new(POS(@2)));
                    $$->value = $3;
                }
    | "lambda" lparams ':' test     {
                    $$ = ast_new(AST_LAMBDA, POS(@1));
                    $$->args = fe_params_done(p, $2);
                    $$->value = $4;
                }
    | "lambda" lparams ',' ':' test {
                    $$ = ast_new(AST_LAMBDA, POS(@1));
                    $$->args = fe_params_done(p, $2);
                    $$->value = $5;
                }
    ;

lparams
    : lparams_head lparam_plain     { $$ = $1; fe_params_push(p, $$, FE_PARAM_PLAIN, $2, POS(@2)); }
    | lparams_head '*'              { $$ = $1; fe_params_push(p, $$, FE_PARAM_STAR, NULL, POS(@2)); }
    | lparams_head '*' NAME         {
                    $$ = $1;
                    fe_params_push(p, $$, FE_PARAM_STAR, fe_arg($3, NULL, NULL, POS(@3)), POS(@2));
                }
    | lparams_head "**" NAME        {
                    $$ = $1;
                    fe_params_push(p, $$, FE_PARAM_DSTAR, fe_arg($3, NULL, NULL, POS(@3)), POS(@2));
                }
    | lparams_head '/'              { $$ = $1; fe_params_push(p, $$, FE_PARAM_SLASH, NULL, POS(@2)); }
    ;

lparams_head
    : %empty        { $$ = fe_params_new(POS(@$)); }
    | lparams ','
    ;

lparam_plain
    : NAME              { $$ = fe_arg($1, NULL, NULL, POS(@1)); }
    | NAME '=' test     { $$ = fe_arg($1, NULL, $3, POS(@1)); }
    ;

/* or_test: and_test ('or' and_test)* -- one BoolOp for the whole chain */
or_test
    : and_test
    | or_chain
    ;

or_chain
    : and_test "or" and_test    { $$ = fe_boolop($1, AST_OR, $3, POS(@1)); }
    | or_chain "or" and_test    { $$ = $1; ast_list_push(&$$->values, $3); }
    ;

/* and_test: not_test ('and' not_test)* */
and_test
    : not_test
    | and_chain
    ;

and_chain
    : not_test "and" not_test   { $$ = fe_boolop($1, AST_AND, $3, POS(@1)); }
    | and_chain "and" not_test  { $$ = $1; ast_list_push(&$$->values, $3); }
    ;

/* not_test: 'not' not_test | comparison */
not_test
    : "not" not_test    { $$ = fe_unary(AST_NOT, $2, POS(@1)); }
    | comparison
    ;

/* comparison: expr (comp_op expr)* -- one Compare for the whole chain */
comparison
    : expr
    | cmp_chain
    ;

cmp_chain
    : expr comp_op expr         { $$ = fe_compare($1, $2, $3, POS(@1)); }
    | cmp_chain comp_op expr    { $$ = $1; fe_compare_push($$, $2, $3); }
    ;

/* comp_op: '<'|'>'|'=='|'>='|'<='|'!='|'in'|'not' 'in'|'is'|'is' 'not' */
comp_op
    : '<'           { $$ = AST_LT; }
    | '>'           { $$ = AST_GT; }
    | "=="          { $$ = AST_EQ; }
    | ">="          { $$ = AST_GTE; }
    | "<="          { $$ = AST_LTE; }
    | "!="          { $$ = AST_NOTEQ; }
    | "in"          { $$ = AST_IN; }
    | "not" "in"    { $$ = AST_NOTIN; }
    | "is"          { $$ = AST_IS; }
    | "is" "not"    { $$ = AST_ISNOT; }
    ;

/* expr: xor_expr ('|' xor_expr)* */
expr
    : xor_expr
    | expr '|' xor_expr         { $$ = fe_binop($1, AST_BITOR, $3, POS(@1)); }
    ;

xor_expr
    : and_expr
    | xor_expr '^' and_expr     { $$ = fe_binop($1, AST_BITXOR, $3, POS(@1)); }
    ;

and_expr
    : shift_expr
    | and_expr '&' shift_expr   { $$ = fe_binop($1, AST_BITAND, $3, POS(@1)); }
    ;

shift_expr
    : arith_expr
    | shift_expr "<<" arith_expr    { $$ = fe_binop($1, AST_LSHIFT, $3, POS(@1)); }
    | shift_expr ">>" arith_expr    { $$ = fe_binop($1, AST_RSHIFT, $3, POS(@1)); }
    ;

arith_expr
    : term
    | arith_expr '+' term       { $$ = fe_binop($1, AST_ADD, $3, POS(@1)); }
    | arith_expr '-' term       { $$ = fe_binop($1, AST_SUB, $3, POS(@1)); }
    ;

term
    : factor
    | term '*' factor           { $$ = fe_binop($1, AST_MULT, $3, POS(@1)); }
    | term '/' factor           { $$ = fe_binop($1, AST_DIV, $3, POS(@1)); }
    | term "//" factor          { $$ = fe_binop($1, AST_FLOORDIV, $3, POS(@1)); }
    | term '%' factor           { $$ = fe_binop($1, AST_MOD, $3, POS(@1)); }
    | term '@' factor           { $$ = fe_binop($1, AST_MATMULT, $3, POS(@1)); }
    ;

/* factor: ('+'|'-'|'~') factor | power */
factor
    : '+' factor        { $$ = fe_unary(AST_UADD, $2, POS(@1)); }
    | '-' factor        { $$ = fe_unary(AST_USUB, $2, POS(@1)); }
    | '~' factor        { $$ = fe_unary(AST_INVERT, $2, POS(@1)); }
    | power
    ;

/* power: atom_expr ['**' factor] -- so -2**2 is -(2**2), 2**-1 works */
power
    : atom_expr
    | atom_expr "**" factor     { $$ = fe_binop($1, AST_POW, $3, POS(@1)); }
    ;

/* atom_expr: atom trailer*
 * trailer: '(' [arglist] ')' | '[' subscriptlist ']' | '.' NAME */
atom_expr
    : atom
    | atom_expr call_args           { $$ = fe_call(p, $1, $2, POS(@1)); }
    | atom_expr '[' subscripts ']'  {
                    $$ = ast_new(AST_SUBSCRIPT, POS(@1));
                    $$->value = $1;
                    $$->index = $3;
                }
    | atom_expr '.' NAME            {
                    $$ = node_value(AST_ATTRIBUTE, POS(@1), $1);
                    $$->name = $3;
                }
    ;

call_args
    : '(' ')'               { $$ = fe_args_new(); }
    | '(' arglist ')'       { $$ = $2; $$->lparen = POS(@1); }
    | '(' arglist ',' ')'   { $$ = $2; $$->lparen = POS(@1); }
    ;

/* argument: test [comp_for] | test '=' test | '**' test | '*' test */
arglist
    : args_head test                { $$ = $1; fe_args_push(p, $$, $2); }
    | args_head test comp_clauses   { $$ = $1; fe_args_genexp(p, $$, $2, $3); }
    | args_head test '=' test       { $$ = $1; fe_args_keyword(p, $$, $2, $4, POS(@2)); }
    | args_head '*' test            { $$ = $1; fe_args_push(p, $$, fe_starred($3, POS(@2))); }
    | args_head "**" test           { $$ = $1; fe_args_dstar(p, $$, $3, POS(@2)); }
    ;

args_head
    : %empty        { $$ = fe_args_new(); }
    | arglist ','
    ;

/* subscriptlist: subscript (',' subscript)* [',']
 * subscript: test | [test] ':' [test] [':' [test]] */
subscripts
    : ssel          { $$ = fe_subscript_index($1, POS(@1)); }
    | ssel ','      { $1->trailing_comma = true; $$ = fe_subscript_index($1, POS(@1)); }
    ;

ssel
    : subscript             { $$ = fe_seq_new($1); }
    | ssel ',' subscript    { $$ = $1; ast_list_push(&$$->elts, $3); }
    ;

subscript
    : test
    | test_opt ':' test_opt                     {
                    $$ = fe_slice($1, $3, NULL, $1 ? $1->pos : POS(@2));
                }
    | test_opt ':' test_opt ':' test_opt        {
                    $$ = fe_slice($1, $3, $5, $1 ? $1->pos : POS(@2));
                }
    ;

/* atom: '(' [yield_expr|testlist_comp] ')' | '[' [testlist_comp] ']' |
 *       '{' [dictorsetmaker] '}' | NAME | NUMBER | STRING+ | '...' |
 *       'None' | 'True' | 'False' */
atom
    : '(' ')'                   { $$ = ast_new(AST_TUPLE, POS(@1)); }
    | '(' yield_expr ')'        { $$ = $2; }
    | '(' testlist_comp ')'     { $$ = fe_paren(p, $2, POS(@1)); }
    | '[' ']'                   { $$ = ast_new(AST_LIST, POS(@1)); }
    | '[' testlist_comp ']'     { $$ = fe_bracket(p, $2, POS(@1)); }
    | '{' '}'                   { $$ = ast_new(AST_DICT, POS(@1)); }
    | '{' dict_items '}'        { $$ = fe_dict($2, POS(@1)); }
    | '{' dict_items ',' '}'    { $$ = fe_dict($2, POS(@1)); }
    | '{' test ':' test comp_clauses '}'    {
                    $$ = ast_new(AST_DICTCOMP, POS(@1));
                    $$->key = $2;
                    $$->value = $4;
                    $$->generators = $5;
                }
    | '{' testlist_comp '}'     { $$ = fe_brace(p, $2, POS(@1)); }
    | NAME                      { $$ = fe_name($1, POS(@1)); }
    | NUMBER
    | strings                   { $$ = fe_concat(p, $1); }
    | "..."                     { $$ = fe_const(AST_CONST_ELLIPSIS, POS(@1)); }
    | "None"                    { $$ = fe_const(AST_CONST_NONE, POS(@1)); }
    | "True"                    { $$ = fe_const(AST_CONST_TRUE, POS(@1)); }
    | "False"                   { $$ = fe_const(AST_CONST_FALSE, POS(@1)); }
    ;

/* Adjacent literals concatenate: "a" 'b' f"{c}" */
strings
    : STRING            { $$ = list1($1); }
    | strings STRING    { $$ = $1; ast_list_push(&$$, $2); }
    ;

/* testlist_comp: (test|star_expr) ( comp_for | (',' (test|star_expr))* [','] ) */
testlist_comp
    : test_or_star comp_clauses { $$ = fe_seq_new($1); $$->generators = $2; }
    | tsel
    | tsel ','                  { $$ = $1; $$->trailing_comma = true; }
    ;

/* dictorsetmaker, dict half: (test ':' test | '**' expr) (',' ...)* [','] */
dict_items
    : test ':' test                     { $$ = fe_dict_new($1, $3); }
    | "**" expr                         { $$ = fe_dict_new(NULL, $2); }
    | dict_items ',' test ':' test      { $$ = $1; fe_dict_push($$, $3, $5); }
    | dict_items ',' "**" expr          { $$ = $1; fe_dict_push($$, NULL, $4); }
    ;

/* comp_for: 'for' exprlist 'in' or_test [comp_iter]
 * comp_iter: comp_for | comp_if;   comp_if: 'if' or_test [comp_iter]
 * An `if` belongs to the comprehension clause before it. */
comp_clauses
    : comp_for                      { $$ = list1($1); }
    | comp_clauses comp_for         { $$ = $1; ast_list_push(&$$, $2); }
    | comp_clauses "if" or_test     { $$ = $1; ast_list_push(&$$.v[$$.n - 1]->ifs, $3); }
    ;

comp_for
    : "for" exprlist "in" or_test   { $$ = comprehension(p, POS(@1), $2, $4); }
    ;

/* yield_expr: 'yield' [yield_arg];  yield_arg: 'from' test | testlist_star_expr */
yield_expr
    : "yield"                       { $$ = ast_new(AST_YIELD, POS(@1)); }
    | "yield" testlist_star_expr    { $$ = node_value(AST_YIELD, POS(@1), fe_single(p, $2)); }
    | "yield" "from" test           { $$ = node_value(AST_YIELDFROM, POS(@1), $3); }
    ;

%%

static struct ast_list list1(struct ast_node *node)
{
    struct ast_list list = {0};
    ast_list_push(&list, node);
    return list;
}

static struct ast_node *node_value(enum ast_kind kind, struct srcpos pos, struct ast_node *value)
{
    struct ast_node *n = ast_new(kind, pos);
    n->value = value;
    return n;
}

/* if, while, for: a head, a body and an else part */
static struct ast_node *compound(enum ast_kind kind, struct srcpos pos, struct ast_node *target,
                                 struct ast_node *test, struct ast_list body, struct ast_list orelse)
{
    struct ast_node *n = ast_new(kind, pos);
    n->target = target;
    n->test = test;
    n->body = body;
    n->orelse = orelse;
    return n;
}

static struct ast_node *comprehension(struct fe_state *p, struct srcpos pos, struct fe_seq *target,
                                      struct ast_node *iter)
{
    struct ast_node *n = ast_new(AST_COMPREHENSION, pos);
    n->target = fe_target(p, fe_seq_to_expr(target, target->elts.v[0]->pos), FE_COMP);
    n->iter = iter;
    return n;
}

static struct ast_node *alias(const char *name, const char *asname, struct srcpos pos)
{
    struct ast_node *n = ast_new(AST_ALIAS, pos);
    n->name = name;
    n->asname = asname;
    return n;
}

/* ---- error messages ---- */

static void yyerror(YYLTYPE *loc, yyscan_t scanner, struct fe_state *p, const char *msg)
{
    (void)scanner;
    if (strcmp(msg, "memory exhausted") == 0)
        msg = "too deeply nested: the parser ran out of stack";
    fe_error(p, POS(*loc), "%s", msg);
}

/* The name of a token as Python spells it: `if`, `**`, `(`, NAME. */
static const char *symbol_spelling(yysymbol_kind_t sym)
{
    const char *name = yysymbol_name(sym);
    size_t n = strlen(name);
    if (n >= 2 && (name[0] == '"' || name[0] == '\'') && name[n - 1] == name[0])
        return sp_intern_n(name + 1, n - 2);
    return sp_intern(name);
}

const char *fe_token_name(int token)
{
    if (token == YYEOF)
        return "EOF";
    return symbol_spelling(YYTRANSLATE(token));
}

static bool expects(const yysymbol_kind_t *expected, int n, yysymbol_kind_t sym)
{
    for (int i = 0; i < n; i++)
        if (expected[i] == sym)
            return true;
    return false;
}

/* "after 'if' statement on line 3": what the unindented block belongs to. */
static const char *block_owner(struct fe_state *p)
{
    switch (p->prev_stmt_token) {
    case KW_DEF: return "function definition";
    case KW_CLASS: return "class definition";
    case KW_IF: case KW_ELIF: case KW_ELSE: case KW_FOR: case KW_WHILE: case KW_WITH:
    case KW_TRY: case KW_EXCEPT: case KW_FINALLY:
        return sp_fmt("'%s' statement", fe_token_name(p->prev_stmt_token));
    default:
        return NULL;
    }
}

static const char *syntax_message(struct fe_state *p, yysymbol_kind_t tok,
                                  const yysymbol_kind_t *expected, int n)
{
    if (tok == YYSYMBOL_INDENT)
        return "unexpected indent";
    if (tok == YYSYMBOL_KW_ASYNC || tok == YYSYMBOL_KW_AWAIT)
        return sp_fmt("'%s' is not supported: RPy has no coroutines (rpy.greenlet and rpy.tasklets "
                      "give cooperative concurrency)", symbol_spelling(tok));
    if (tok == YYSYMBOL_COLONEQUAL)
        return "assignment expressions (:=) are not supported";
    if (expects(expected, n, YYSYMBOL_INDENT)) {
        const char *owner = block_owner(p);
        if (owner)
            return sp_fmt("expected an indented block after %s on line %d", owner,
                          p->prev_stmt_line);
        return "expected an indented block";
    }
    if (tok == YYSYMBOL_NEWLINE && expects(expected, n, YYTRANSLATE(':')))
        return "expected ':'";
    if (expects(expected, n, YYSYMBOL_KW_EXCEPT) && !expects(expected, n, YYSYMBOL_NAME))
        return "expected 'except' or 'finally' block";
    /* after a statement `else` is expected with any statement start */
    if (expects(expected, n, YYSYMBOL_KW_ELSE) && !expects(expected, n, YYSYMBOL_NAME))
        return "expected 'else' after 'if' expression";
    if (tok == YYSYMBOL_YYEOF)
        return p->mode == FE_MODE_FEXPR ? "invalid syntax" : "unexpected EOF while parsing";
    if (n == 1 && expected[0] != YYSYMBOL_NAME && expected[0] != YYSYMBOL_NEWLINE)
        return sp_fmt("expected '%s'", symbol_spelling(expected[0]));
    return "invalid syntax";
}

/* Like CPython, a lexical error later in the file (an unclosed bracket,
 * an unterminated string) explains a syntax error better than the parser
 * can, so the rest is scanned first. */
static int yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner, struct fe_state *p)
{
    yysymbol_kind_t expected[YYNTOKENS];
    int n = yypcontext_expected_tokens(ctx, expected, YYNTOKENS);
    if (n < 0)
        n = 0;
    const char *msg = syntax_message(p, yypcontext_token(ctx), expected, n);
    if (p->mode == FE_MODE_FEXPR)
        msg = sp_fmt("f-string: %s", msg);
    if (yypcontext_token(ctx) != YYSYMBOL_YYEOF)
        fe_scan_rest(scanner);
    fe_error(p, POS(*yypcontext_location(ctx)), "%s", msg);
    return 0;
}

/* ---- the driver ---- */

struct ast_node *fe_parse(const char *file, const char *text, size_t len,
                          enum fe_mode mode, int line, int col, int fdepth)
{
    struct fe_state st = {.file = file, .mode = mode, .line = line, .col = col, .fdepth = fdepth};
    if (fdepth > FE_MAX_FDEPTH) {
        fe_error(&st, fe_pos(&st, line, col), "f-string: expressions nested too deeply");
        return NULL;
    }
    yyscan_t scanner = fe_scanner_new(&st, text, len);
    int rc = yyparse(scanner, &st);
    fe_scanner_free(scanner);
    if (rc != 0 && !st.failed)
        fe_error(&st, fe_pos(&st, st.line, st.col), "invalid syntax");
    if (st.failed || !st.result)
        return NULL;
    if (mode == FE_MODE_MODULE && !fe_check_depth(&st, st.result))
        return NULL;
    return st.result;
}
