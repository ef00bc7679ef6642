/* builder.h - the AST-to-graph builder's private interface, shared by
 * builder.c (program, classes, functions), build_state.c (blocks, the
 * variable state, names), build_stmt.c (statements) and build_expr.c
 * (expressions).
 *
 * The builder's state while it builds one graph is a list of *slots*, each
 * holding the current value of one thing that must survive a block
 * boundary: first the function's locals (in a fixed order), then, stacked
 * above them, comprehension variables and pending temporaries (an
 * iterator during its loop, the left operands of an expression whose right
 * part branches, ...). Every block the builder creates takes one input per
 * slot in existence when it was created; a link passes the first N slot
 * values, N being its target's input count. Because temporaries form a
 * stack and control flow is structured, a jump outwards (break, the end of
 * a loop) always targets a block whose slots are a prefix of the current
 * ones. simplify.c then removes the inputs nobody needs.
 *
 * Locals not bound yet on a path hold the constant <undefined>.
 *
 * Inside a try statement every op that may raise ends its block (its
 * exception links go to the handlers), so a value kept in a C variable is
 * only good until the next op is emitted: whatever must outlive the
 * evaluation of something else goes into a slot (b_push) and is read back.
 */
#ifndef RPY_FLOWGRAPH_BUILDER_H
#define RPY_FLOWGRAPH_BUILDER_H

#include "internal.h"

/* The whole program being built. */
struct bprog {
    struct fg_program *prog;
    struct fg_module *mod;
    struct fg_ptrmap globalset; /* interned name -> non-NULL: in mod->globals */
    struct fg_ptrmap nbindings; /* interned name -> how many statements bind it (intptr_t) */
    struct fg_ptrmap classshells; /* CLASSDEF node -> its fg_class, made by the scan */
    struct sp_vec shells;       /* those classes, in source order */
    struct fg_ptrmap classnames;/* name -> the class it always means (bound once, by `class`) */
    struct fg_ptrmap constants; /* name -> the constant a module-level name bound once is bound to */
    struct fg_ptrmap scopes;    /* FUNCTIONDEF/LAMBDA/GENEXP node -> its b_scope */
    bool star_import;           /* a `from m import *` was reported: unknown names are not reported again */
};

/* A function's scope (build_scope.c): what it binds, what of it nested
 * functions share (cells), what of its enclosing functions it reaches
 * (frees). */
struct b_scope {
    const struct ast_node *node;  /* FUNCTIONDEF, LAMBDA or GENEXP */
    struct b_scope *parent;       /* the enclosing function's, NULL at the top */
    struct sp_vec locals, cells, frees, nonlocals; /* interned names, in order */
    struct fg_ptrmap localset, cellset, freeset, nonlocalset, globals;
    struct fg_ptrmap compnames;   /* variables of comprehensions built inline in it */
    struct sp_vec uses;           /* AST_NAME nodes in it (not in nested scopes) */
    struct sp_vec children;       /* b_scope* */
    struct sp_vec compargs;       /* GENEXP: enclosing comprehension variables it reads, passed in */
};

struct loopctx {
    struct fg_block *brk;       /* where `break` goes (the after-loop block) */
    struct fg_block *cont;      /* where `continue` goes (the loop header) */
    int ctxdepth;               /* fs->ctxs.n at the loop: the try statements a jump leaves */
    struct loopctx *outer;
};

/* A try statement being built (build_try.c). `try/except/finally` is two
 * contexts: the finally one outside the except one. */
enum ctx_kind { CTX_EXCEPT, CTX_FINALLY };
struct tryctx {
    enum ctx_kind kind;
    int nslots;                 /* slots at the try; its blocks take these + (etype, evalue) */
    struct sp_vec cases;        /* EXCEPT: class constants, in handler order */
    struct sp_vec handlers;     /* EXCEPT: the handler block of each case */
    bool catchall;              /* EXCEPT: the last case catches everything */
    struct fg_block *onexc;     /* FINALLY: runs the finally body, then re-raises */
    struct ast_list *finalbody; /* FINALLY: the body, or NULL for a `with` ... */
    int mgrslot;                /* ... whose manager's __exit__ is the finally body */
    struct srcpos pos;
};

/* A comprehension's own variables: names mapped to slots. */
struct compscope {
    struct sp_vec names;        /* interned */
    struct sp_vec slots;        /* slot index, as intptr_t */
    struct compscope *outer;
};

/* One graph under construction. */
struct fstate {
    const char *comp_frame;     /* building a comprehension: its frame's name for positions (b_emitv) */
    struct bprog *bp;
    struct fg_func *func;
    struct fg_graph *g;
    bool is_module;             /* module code: every name is a global */
    struct sp_vec locals;       /* interned names; local i lives in slot i */
    struct fg_ptrmap localidx;  /* name -> index + 1 */
    struct fg_ptrmap globaldecl;/* names declared `global` in this function */
    struct sp_vec slots;        /* fg_value*: the current value of each slot */
    struct sp_vec slotnames;    /* const char*: names for the block inputs */
    struct fg_block *cur;       /* where ops go; NULL after return/break/... */
    struct loopctx *loop;
    struct compscope *comp;
    struct sp_vec ctxs;         /* tryctx*: the try statements around the code being built */
    struct sp_vec excslots;     /* slot of the (etype, evalue) of each except clause being built */
    bool nosplit;               /* the op being emitted gets its exception links elsewhere */
    struct fg_ptrmap testvals;  /* values that are truth values already (comparison results...) */
    struct b_scope *scope;      /* a function's: its cells and free variables */
    int cells_slot, env_slot;   /* the slots of __cells and __env, or -1 */
    bool has_yield;             /* a generator function (generator.c) */
};

/* ---- builder.c ---- */
/* A constant for a constant expression (literal, -literal, None, True,
 * False, tuples of those), or NULL without reporting anything. */
struct fg_value *b_const_expr(struct ast_node *e);
bool b_is_builtin_name(const char *name);
bool b_is_prelude_primitive(const char *name);
/* prelude.c: the RPy source of the prelude module. */
const char *fg_prelude_source(void);
bool b_is_builtin_exception(const char *name);
/* Builds a module (its code and every function and class in it). */
struct fg_module *b_build_module(struct fg_program *prog, struct ast_node *ast, const char *name, const char *file,
                                 bool stdlib);
/* The constant a module-level name bound once is bound to (a def, a class,
 * an imported module, a literal), or NULL. */
struct fg_value *b_module_constant(struct bprog *bp, const char *name);
/* A def or class met by the module code: its fg_func / fg_class, registered
 * in the program (the graph is built later). */
struct fg_func *b_new_function(struct bprog *bp, struct ast_node *def, struct fg_class *cls);
struct fg_class *b_new_class(struct bprog *bp, struct ast_node *def);
void b_build_function(struct bprog *bp, struct fg_func *f); /* once per function */
/* A def (or the def made of a lambda) nested in the function being built:
 * its value there (a function constant, or a closure made at run time). */
struct fg_value *b_nested_function(struct fstate *fs, const struct ast_node *scopenode, struct ast_node *def);
bool b_has_dyn_defaults(const struct fg_func *f);
void b_set_dyn_defaults(struct fstate *fs, struct fg_func *f);
/* A synthetic class (cells, environments, frames): no body, no bases. */
struct fg_class *b_synthetic_class(struct bprog *bp, const char *owner, const char *what);

void b_body_names(struct ast_list *body, struct sp_vec *bound, struct sp_vec *globals, struct sp_vec *nonlocals);

/* ---- build_scope.c ---- */
void b_analyse_scopes(struct bprog *bp, const struct ast_node *def); /* a top-level def, once */
/* The same inside module code, whose comprehension variables are compnames. */
void b_analyse_scopes_in(struct bprog *bp, const struct ast_node *def, const struct sp_vec *compnames);
struct b_scope *b_scope_of(struct bprog *bp, const struct ast_node *node);
bool b_scope_is_cell(const struct b_scope *s, const char *name);
bool b_scope_is_free(const struct b_scope *s, const char *name);
/* The nearest enclosing scope with a cell object (what __env points to). */
struct b_scope *b_scope_env(const struct b_scope *s);
/* The enclosing scope that binds name (s excluded), or NULL. */
struct b_scope *b_scope_owner(const struct b_scope *s, const char *name);

/* ---- build_state.c ---- */
struct fg_value *b_at(struct fg_value *c, struct srcpos pos); /* sets a constant's pos */
struct fg_value *b_name_const(const char *name, struct srcpos pos); /* interned str constant */
struct fg_value *b_none(struct srcpos pos);
struct fg_value *b_emitv(struct fstate *fs, enum fg_opcode opc, struct srcpos pos, struct fg_value **args,
                         int nargs);
struct fg_value *b_emit(struct fstate *fs, enum fg_opcode opc, struct srcpos pos, int nargs, ...);
struct fg_block *b_newblock(struct fstate *fs);
struct fg_block *b_newblock_exc(struct fstate *fs); /* slots + (etype, evalue) */
void b_enter_exc(struct fstate *fs, struct fg_block *b);
void b_unbind_local(struct fstate *fs, const char *name); /* back to <undefined> */
/* A link from the current block to a block made by b_newblock_exc,
 * passing (etype, evalue) after the slots it takes. */
struct fg_link *b_link_exc(struct fstate *fs, struct fg_block *target, struct fg_value *exitcase,
                           struct fg_value *etype, struct fg_value *evalue);
void b_ensure(struct fstate *fs);                  /* a (dead) block to emit into after a jump */
void b_enter(struct fstate *fs, struct fg_block *b);
/* A link from the current block passing the slots its target takes. */
struct fg_link *b_link(struct fstate *fs, struct fg_block *target, struct fg_value *exitcase);
void b_goto(struct fstate *fs, struct fg_block *target);
void b_goto_args(struct fstate *fs, struct fg_block *target, struct fg_value **args, int nargs);
void b_switch(struct fstate *fs, struct fg_value *v, struct fg_block *iftrue, struct fg_block *iffalse);
bool b_is_test_result(struct fstate *fs, struct fg_value *v);
void b_mark_test_result(struct fstate *fs, struct fg_value *v);
int b_push(struct fstate *fs, struct fg_value *v);  /* a temporary slot; returns its index */
struct fg_value *b_pop(struct fstate *fs);
/* Push the item of a for loop; a simple target names the item's variables. */
void b_push_item(struct fstate *fs, struct fg_value *item, struct ast_node *target);
struct fg_value *b_slot(struct fstate *fs, int i);
void b_return(struct fstate *fs, struct fg_value *v, struct srcpos pos);
void b_raise_value(struct fstate *fs, struct fg_value *exc, struct srcpos pos);
/* build_tasklet.c: tasklet(f)(args) -> tasklet(lambda <args as defaults>: f(args)). */
void b_bind_tasklets(struct ast_node *module);
/* build_desugar.c: str.lower as a value -> lambda s: s.lower(); str.M(x) -> x.M();
 * yield from X as a statement -> for v in X: yield v. */
void b_desugar(struct ast_node *module);
/* Whether name is a variable of the function being built (not a global). */
bool b_is_local_name(struct fstate *fs, const char *name);
struct fg_value *b_load_name(struct fstate *fs, struct ast_node *name);
/* The attribute of a cell object that says whether cell variable name is bound. */
const char *b_cell_flag(const char *name);
/* The object holding the enclosing scopes' cells this function reaches
 * first: its cell object, or its environment's (NULL: none). */
struct fg_value *b_env_for_children(struct fstate *fs, struct srcpos pos);
/* The enclosing scopes' cells as this closure reaches them first. */
struct fg_value *b_env_start(struct fstate *fs, struct srcpos pos);
void b_store_name(struct fstate *fs, const char *name, struct srcpos pos, struct fg_value *v);
void b_comp_push(struct fstate *fs, struct ast_list *generators);
void b_comp_pop(struct fstate *fs);

/* ---- build_stmt.c ---- */
void b_body(struct fstate *fs, struct ast_list *body);
void b_assign(struct fstate *fs, struct ast_node *target, struct fg_value *v);

/* ---- generator.c ---- */
/* f's graph yields: make it a frame class with __next__ and __iter__, and
 * f a function that makes the frame. */
void b_generator_transform(struct bprog *bp, struct fg_func *f);

/* ---- build_import.c ---- */
void b_set_entry_dir(const char *dir); /* searched first */
void b_import(struct fstate *fs, struct ast_node *s);
void b_import_from(struct fstate *fs, struct ast_node *s);
/* `m.C` naming a class of an imported module m, or NULL. */
struct fg_class *b_module_class(struct fstate *fs, struct ast_node *e);

/* ---- build_try.c ---- */
void b_try(struct fstate *fs, struct ast_node *s);
void b_with(struct fstate *fs, struct ast_node *s);
/* After a raising op inside a try: end the block with the op's exception
 * links; returns the op's result in the new current block. */
struct fg_value *b_split_raising(struct fstate *fs, struct fg_value *result);
/* Append the exception links of the try contexts to the current block,
 * whose last op may raise (exitswitch fg_last_exception). */
void b_add_exc_links(struct fstate *fs);
/* Raise (etype, evalue): to the handler that matches, or out of the graph. */
void b_raise(struct fstate *fs, struct fg_value *etype, struct fg_value *evalue, struct srcpos pos);
/* Build the finally bodies of the try statements above `depth` (a return,
 * break or continue leaving them). */
void b_unwind(struct fstate *fs, int depth);

/* ---- build_expr.c ---- */
struct fg_value *b_expr(struct fstate *fs, struct ast_node *e);
/* Evaluate e as a condition: jump to iftrue or iffalse. */
void b_cond(struct fstate *fs, struct ast_node *e, struct fg_block *iftrue, struct fg_block *iffalse);
/* Evaluate n expressions in order into out[] (each kept in a slot while the
 * next is evaluated, in case that one branches); a NULL node gives None. */
void b_eval_n(struct fstate *fs, struct ast_node **nodes, int n, struct fg_value **out, struct srcpos pos);
/* 1 / 0 for a literal whose truth is known, -1 otherwise. */
int b_const_truth(struct ast_node *e);

#endif
