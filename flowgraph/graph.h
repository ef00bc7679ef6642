/* graph.h - the flow-graph model (SSI form), the builder from the AST,
 * checkgraph, and the text/Graphviz dumps. The flowgraph stage's one
 * public header.
 *
 * The model (see docs/ARCHITECTURE.md):
 *  - A graph has a start block, one return block (one input variable, no
 *    operations) and one except block (two inputs: exception type and
 *    value).
 *  - A block has input variables, operations, an exitswitch and exits.
 *    exitswitch is NULL (one unconditional exit), a variable (bool: exits
 *    with exitcase False/True; int: exitcases int constants, the last may
 *    be the default), or fg_last_exception (the last operation may raise:
 *    exits[0] is the normal exit with exitcase NULL, the others carry an
 *    exception class constant as exitcase and bind last_exception /
 *    last_exc_value).
 *  - A link passes one value per input variable of its target. A variable
 *    is defined once (as a block input or an op result) and used only in
 *    its own block: values cross blocks only through links.
 *  - Constants carry a value (and after the rtyper a low-level type).
 *
 * Everything lives in the compiler arena.
 */
#ifndef RPY_GRAPH_H
#define RPY_GRAPH_H

#include <stdio.h>

#include "../frontend/ast.h"
#include "../support/support.h"
#include "opcodes.h"

struct ann_value; /* annotator/annotator.h: a variable's annotation */
struct lltype;    /* rtyper/lltype.h: a low-level type */
struct fg_func;
struct fg_class;
struct fg_module;

enum fg_value_kind { FG_VAR, FG_CONST };

enum fg_const_kind {
    FG_C_NONE,
    FG_C_UNDEFINED, /* a local not yet bound on this path (reading it is a bug the annotator ignores) */
    FG_C_INT,       /* ival */
    FG_C_FLOAT,     /* fval */
    FG_C_BOOL,      /* ival 0/1 */
    FG_C_STR,       /* str/len: UTF-8 */
    FG_C_FUNC,      /* obj: struct fg_func* */
    FG_C_CLASS,     /* obj: struct fg_class* */
    FG_C_MODULE,    /* obj: struct fg_module* */
    FG_C_BUILTIN,   /* str: name of a builtin function/class/exception ("len", "ValueError") */
    FG_C_SHAPE,     /* obj: struct fg_callshape* */
    FG_C_TUPLE,     /* obj: struct sp_vec of fg_value* constants (defaults, class constants) */
    FG_C_EXTFUNC,   /* obj: struct fg_extfunc* (low level: a runtime routine) */
    FG_C_GRAPH,     /* obj: struct fg_graph* (low level: direct_call target) */
    FG_C_LLTYPE,    /* obj: struct lltype* (low level: malloc argument, an exception link's class) */
    FG_C_TIDTABLE,  /* obj: struct rt_tidtable* (low level: vcall / tid_load) */
    FG_C_TBLOC,     /* obj: struct fg_tbloc* (low level: tb_add) */
    FG_C_DEFAULT,   /* obj: struct fg_default* (a default value computed when the def ran) */
    FG_C_OTHER,     /* obj: stage-private constant (e.g. a global variable slot) */
};

/* A variable or a constant: what an operation reads. */
struct fg_value {
    enum fg_value_kind kind;
    /* variables */
    const char *name; /* source name or "v": printed as name_id */
    int id;           /* unique within the program */
    /* constants */
    enum fg_const_kind ckind;
    int64_t ival;
    double fval;
    const char *str;
    size_t len;
    void *obj;
    /* where the value comes from: a constant's literal, or the assignment /
     * op that defines a variable (zero when unknown). Type errors name it. */
    struct srcpos pos;
    const char *bound_as;    /* a constant: the local it was first assigned to (type errors name it) */
    /* set by later stages */
    struct ann_value *ann;   /* annotator */
    struct lltype *lltype;   /* rtyper */
};

/* Describes the arguments of call_args / call_method_args after the
 * callee (and name): npos positional values, then one value per keyword
 * name, then (if star) one value for the *iterable. */
struct fg_callshape {
    int npos;
    int nkw;
    const char **kwnames; /* interned */
    bool star;
};

/* A runtime routine called by direct_call (low level). */
struct fg_extfunc {
    const char *cname;       /* C symbol in librpyrt.a, e.g. "rpy_list_append" */
    unsigned flags;          /* OPF_RAISE / OPF_COLLECT */
    struct lltype *functype; /* set by the rtyper */
};

/* Where an exception passes through a frame (tb_add's argument). */
struct fg_tbloc {
    struct srcpos pos;
    const char *func;
};

/* A parameter's default that is not a constant: computed when the def
 * ran, kept in a module global (module-level defs) or in the function
 * object's environment (nested functions), and read by the calls that
 * omit the argument. */
struct fg_default {
    bool in_env;              /* else the global `name` of module */
    struct fg_module *module;
    const char *name;         /* the global, or the environment's attribute */
};

struct fg_op {
    enum fg_opcode opcode;
    struct fg_value **args;
    int nargs;
    struct fg_value *result; /* always a variable (Void-typed if unused) */
    struct srcpos pos;
    void *aux;               /* annotator: per-op state (e.g. the listdef a newlist creates) */
};

struct fg_block;
struct fg_link {
    struct fg_block *prev;
    struct fg_block *target;
    struct sp_vec args;           /* fg_value*, one per target->inputargs */
    struct fg_value *exitcase;    /* constant, or NULL (unconditional / normal exit / default) */
    struct fg_value *last_exception; /* exception links: fresh vars that args may use */
    struct fg_value *last_exc_value;
    struct srcpos pos;               /* a raise (link to the except block): the raise statement;
                                      * a return (link to the return block): the return statement */
    bool no_traceback;               /* a raise that adds no traceback entry (a generator's end) */
};

struct fg_block {
    int id;
    struct sp_vec inputargs; /* fg_value* (variables) */
    struct sp_vec ops;       /* fg_op* */
    struct fg_value *exitswitch;
    struct sp_vec exits;     /* fg_link* */
    bool is_return;          /* the graph's return block */
    bool is_except;          /* the graph's except block */
    void *aux;               /* scratch for passes (cleared by the pass that sets it) */
};

/* The exitswitch of a block whose last operation may raise. */
extern struct fg_value *const fg_last_exception;

struct fg_graph {
    const char *name;         /* "fib", "Node.__init__", "<module>" */
    struct fg_func *func;     /* the function it was built from */
    struct fg_block *startblock; /* its inputargs are the parameters */
    struct fg_block *returnblock;
    struct fg_block *exceptblock;
    struct srcpos pos;        /* the def */
    int nblocks;              /* block ids are < nblocks */
    unsigned effects;         /* transforms: OPF_RAISE / OPF_COLLECT if a call of it may raise / collect */
    bool no_traceback;        /* an adapter: an exception passing through adds no traceback entry */
    void *aux;                /* scratch of the stage working on the graph (the backend: its C name) */
};

/* The name of the lambdas that bind a tasklet's, thread's or job's
 * function to its arguments (build_tasklet.c): their frames are the
 * compiler's, and tracebacks leave them out (transforms/exceptions.c). */
#define FG_BINDER_NAME "<rpy binder>"

/* A function of the program (def, method, or a module's top-level code). */
struct fg_func {
    const char *name;        /* "fib" / "__init__" / "<module>" */
    const char *qualname;    /* "fib" / "Node.__init__" / "<module>" */
    struct fg_module *module;
    struct fg_class *cls;    /* the class of a method, else NULL */
    struct ast_node *def;    /* FUNCTIONDEF, or MODULE for module code */
    int nparams;
    const char **params;     /* interned names */
    struct fg_value **defaults; /* per param: a constant, or NULL when no default */
    const char *vararg;      /* name of *args, or NULL */
    int nkwonly;             /* the last nkwonly of params are keyword-only (after *args or *) */
    /* A nested function that reads or writes its enclosing functions'
     * variables: its first parameter, "__env", is the innermost enclosing
     * function's cell object (an instance of cellclass there). */
    bool closure;
    bool env_defaults;       /* a closure whose __env holds its defaults (and __up, the cells) */
    struct fg_class *cellclass; /* this function's own cells, or NULL */
    const char *tb_name;     /* the name tracebacks show when not `name` (a generator's __next__: the generator's) */
    struct fg_class *envclass;  /* env_defaults: the class of its environment */
    struct fg_func *parent;     /* the enclosing function of a nested one */
    const void *bscope;      /* the builder's scope of a nested function */
    struct fg_class *frameclass; /* a generator function: the class of its frames (generator.c) */
    bool is_staticmethod, is_classmethod;
    struct fg_graph *graph;
    void *aux;               /* annotator's function description */
};

/* A class definition. Class-level constants are (name, constant) pairs. */
struct fg_class {
    const char *name;
    struct fg_module *module;
    struct ast_node *def;
    struct sp_vec bases;      /* ast_node* expressions as written */
    struct sp_vec methods;    /* fg_func* */
    struct sp_vec attr_names; /* const char* */
    struct sp_vec attr_values;/* fg_value* constants, parallel to attr_names; NULL: see attr_exprs */
    struct sp_vec attr_exprs; /* parallel: for a value that is not a constant, its expression,
                               * which the module code evaluates into the global fg_class_global() */
    bool synthetic;           /* made by the builder: cells, a closure's environment, a generator's frame */
    void *aux;                /* annotator's class definition */
};

/* A module: its top-level code is a function of its own. */
struct fg_module {
    const char *name;         /* "__main__" for the entry module */
    const char *file;
    struct ast_node *ast;
    struct fg_func *init;     /* module-level code */
    struct sp_vec funcs;      /* fg_func*: module-level defs (not methods) */
    struct sp_vec classes;    /* fg_class* */
    struct sp_vec globals;    /* const char*: every name bound at module level or by `global` */
    bool is_prelude;          /* the compiler's own RPy code (prelude.c) */
    bool is_native;           /* a standard module the compiler implements (math, sys...): no code */
    bool is_stdlib;           /* a standard module written in RPy (lib/stdlib): specialised like the prelude */
    struct sp_vec submodules; /* fg_module*: the package's submodules imported so far */
    void *builder;            /* the builder's state for the module, kept for fg_copy_function */
    void *aux;
};

struct fg_program {
    struct sp_vec modules;    /* fg_module*, in import order; the entry module last */
    struct fg_module *main;
    struct fg_module *prelude;/* built-ins written in RPy (prelude.c), first of modules */
    struct sp_vec allfuncs;   /* fg_func*: every function of every module, methods included */
};

/* The module global holding class attribute `name` of cls when its value
 * is not a constant: "Class.name" (no Python name can clash with it). */
const char *fg_class_global(const struct fg_class *cls, const char *name);

/* ---- construction ---- */
struct fg_value *fg_newvar(const char *name);
struct fg_value *fg_const_int(int64_t v);
struct fg_value *fg_const_float(double v);
struct fg_value *fg_const_bool(bool v);
struct fg_value *fg_const_str(const char *s, size_t len);
struct fg_value *fg_const_none(void);
struct fg_value *fg_const_undefined(void);
struct fg_value *fg_const_obj(enum fg_const_kind kind, void *obj);
struct fg_value *fg_const_builtin(const char *name);
struct fg_block *fg_newblock(struct fg_graph *g);
struct fg_op *fg_newop(enum fg_opcode opc, struct fg_value **args, int nargs,
                       struct fg_value *result, struct srcpos pos);
void fg_block_addop(struct fg_block *b, struct fg_op *op);
struct fg_link *fg_link_to(struct fg_block *from, struct fg_block *to, struct fg_value *exitcase);
struct fg_graph *fg_newgraph(const char *name, struct fg_func *func, struct srcpos pos);
/* All blocks reachable from the start block, in a stable order (DFS from
 * the start, exits in order), return and except blocks included. */
void fg_graph_blocks(struct fg_graph *g, struct sp_vec *out);

/* Moves ops[keep..], the exitswitch and the exits of b into a new block
 * that b reaches by one plain link; the values defined in b before the
 * split and used after it cross that link as fresh variables (same name,
 * annotation and low-level type). Returns the new block. */
struct fg_block *fg_split_block(struct fg_graph *g, struct fg_block *b, int keep);

/* Whether ops[from..], the exitswitch or the exits of b read v; and
 * replacing those uses of old by new_. */
bool fg_block_uses(const struct fg_block *b, const struct fg_value *v, int from);
void fg_block_replace_uses(struct fg_block *b, int from, struct fg_value *old, struct fg_value *new_);

/* Whether a low-level op may raise: its flags, and for a direct_call of
 * a runtime routine the routine's flags (calls of graphs: yes). */
bool fg_llop_may_raise(const struct fg_op *op);

/* ---- the builder ----
 * Builds graphs for the module's top-level code and every function and
 * method. Unsupported constructs are reported through sp_error (with a
 * message naming the construct and "not supported yet" where a later
 * version will support it) and building goes on, so one run reports
 * several errors; the caller checks sp_error_count(). */
struct fg_program *fg_build_program(struct ast_node *module, const char *file);

/* A new function with the same definition as f and a graph built afresh
 * (the annotator's specialisation: one copy per tuple of argument types).
 * The copy is not listed in its module or class. */
struct fg_func *fg_copy_function(struct fg_func *f);

/* Where `import` looks for modules: the entry file's folder comes first
 * (added by fg_build_program), then these folders in order, then the
 * standard modules written in RPy (the compiler's lib/stdlib). */
void fg_add_search_dir(const char *dir);
void fg_set_stdlib_dir(const char *dir);

/* Native standard modules (natives.c): whether one is, and the value of
 * its attribute name (a constant, a built-in "module.attr" or a
 * submodule), or NULL if it has none. */
bool fg_is_native_module(const char *name);
struct fg_value *fg_native_attr_in(struct fg_program *prog, struct fg_module *m, const char *name);
/* The signature of native function full ("math.sqrt"): alternatives
 * separated by '|', each RESULT ':' ARGS ['=' routine], one letter a type:
 * f float (an int argument is converted), i int, b bool, s str, S str or
 * None, n None, L a list (any iterable argument is made one); the routine
 * is rpy_<full with '.' as '_'> unless named. "" for the functions the
 * annotator and rtyper treat one by one; NULL if there is none. */
const char *fg_native_signature(const char *full);

/* The module called name (dotted), or NULL if not imported. */
struct fg_module *fg_find_module(struct fg_program *prog, const char *name);

/* The prelude function `name`, or NULL. */
struct fg_func *fg_prelude_function(struct fg_program *prog, const char *name);

/* ---- verifier ----
 * Checks every rule of the model above; a violation is an internal error
 * (sp_die with the graph and block). `stage` names the stage for the message. */
void fg_checkgraph(struct fg_graph *g, const char *stage);

/* ---- dumps ----
 * Text: stable and diffable; the golden tests are written in it. */
void fg_dump_text(FILE *out, struct fg_graph *g);
void fg_dump_dot(FILE *out, struct fg_graph **graphs, int ngraphs);
const char *fg_value_str(struct fg_value *v); /* "n_0", "2", "'abc'", "None" ... */

/* Later stages describe what they attached to values; the dumps print it
 * (": int" after the annotator, ": Signed" after the rtyper). NULL: nothing. */
extern const char *(*fg_describe_ann)(struct ann_value *ann);
extern const char *(*fg_describe_lltype)(struct lltype *t);

#endif
