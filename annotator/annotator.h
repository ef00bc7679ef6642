/* annotator.h - type inference over the flow graphs, from the entry point.
 *
 * The annotator binds every variable of every reachable graph to an
 * annotation (struct ann_value), a point in this lattice:
 *
 *     impossible  <  bool | int | float | str | None | list(listdef) |
 *                    dict(dictdef) | set(setdef) | tuple(items) |
 *                    instance(classdef) | pbc(constant) | iter(of) | range
 *
 * with None joining str, list, dict, set and instance into their nullable
 * forms. Any other join is a type error: there is no "object" top. In
 * particular bool and int never join (a bool printed as an int would differ
 * from CPython), and neither do int and float (no silent widening).
 *
 * List, dict and set definitions are shared: every place that can reach the
 * same container sees one item type; when it grows, every reader block is
 * re-flowed. Class definitions collect attributes from every setattr.
 *
 * Annotations are immutable values; "growing" a binding means replacing it
 * with the union. Each annotation remembers its origin (the position of
 * the op or literal that made it), so a conflict names both places.
 */
#ifndef RPY_ANNOTATOR_H
#define RPY_ANNOTATOR_H

#include "../flowgraph/graph.h"

enum ann_kind {
    ANN_IMPOSSIBLE, /* no value yet (or never) */
    ANN_BOOL,
    ANN_INT,
    ANN_FLOAT,
    ANN_STR,
    ANN_NONE,
    ANN_LIST,
    ANN_DICT,
    ANN_SET,
    ANN_TUPLE,
    ANN_INSTANCE,
    ANN_PBC,   /* a compile-time constant object: function, class, builtin, module */
    ANN_ITER,  /* an iterator over `of` */
    ANN_RANGE, /* a range object */
    ANN_FILE,  /* a text file (open(), sys.stdout...) */
    ANN_FUNC,  /* a function value that is not one constant: a member of a call family (fam) */
};

/* What a function value may be (one description per thing that can be
 * called, unique in the program): a def used as a value, a nested
 * function closing over its enclosing function's cells, or a method bound
 * to its receiver. */
enum ann_desc_kind { ANN_DESC_FUNC, ANN_DESC_CLOSURE, ANN_DESC_BOUND };
struct ann_desc {
    enum ann_desc_kind kind;
    struct fg_func *func;        /* FUNC, CLOSURE: the function as written */
    struct ann_classdef *cls;    /* BOUND: the receiver's class (the root of the calls' union) */
    const char *method;          /* BOUND: the method's name */
    struct ann_value *env;       /* CLOSURE: the cells' annotation; BOUND: the receiver's */
    struct ann_family *fam;      /* its call family (find the representative) */
    /* what a call through the family runs, after specialisation */
    struct fg_func *target;      /* FUNC, CLOSURE; BOUND: the first implementation */
    struct sp_vec *targets;      /* BOUND with several implementations: ann_method_target* */
    void *lowered;               /* the rtyper's adapter graph */
    int id;
};

/* The values that can meet in one variable share one signature: every
 * call through any of them passes `args` (the union over all calls) to
 * each description, and gets `result` (the union of their results).
 * Families merge (union-find) when their values meet. */
struct ann_family {
    struct ann_family *merged;   /* non-NULL: forwarded */
    struct sp_vec descs;         /* ann_desc* */
    int nargs;                   /* positional arguments of the calls; -1 before any call */
    struct ann_value **args;
    struct ann_value *result;
    struct srcpos first_call;    /* where nargs was set */
    struct sp_vec readers;       /* blocks calling through it */
    int id;
};

/* A container definition shared by every annotation that can reach the
 * container. Unification merges two defs (union-find on `merged`). */
struct ann_listdef {
    struct ann_listdef *merged;  /* non-NULL: forwarded to this def */
    struct ann_value *item;      /* list/set item; dict key */
    struct ann_value *value;     /* dict value */
    struct sp_vec readers;       /* blocks (struct ann_blockref*) to re-flow on growth */
    int id;                      /* stable number, for dumps and the rtyper */
    bool is_dict;
    bool resized;                /* append/pop/... seen: a resizable list */
    bool is_deque;               /* a collections.deque (a list with a maximum length) */
    bool is_tuple;               /* a tuple of any length (tuple(xs)): immutable, hashable */
    /* A list standing for another type: "bytes" (str.encode(): ints, one
     * per byte), "dict_keys", "dict_values", "dict_items" (the views are
     * lists of their items). Iterated, measured, indexed, but never
     * printed or compared as a list (that would differ from CPython). */
    const char *stands_for;
};

/* A class of the program, or a built-in exception class (cls NULL). */
struct ann_classdef {
    struct fg_class *cls;        /* NULL for built-in exception classes */
    const char *name;
    struct ann_classdef *base;
    struct sp_vec subclasses;    /* ann_classdef*: direct subclasses known so far */
    struct sp_vec attr_names;    /* const char*: instance attributes */
    struct sp_vec attr_anns;     /* struct ann_value*, parallel */
    struct sp_vec readers;       /* blocks reading any attribute */
    struct sp_vec method_readers;/* blocks calling a method on it: re-flowed when a subclass is instantiated */
    bool instantiated;           /* some instance of exactly this class may exist */
    bool is_exception;           /* BaseException or a subclass of it */
    int builtin;                 /* built-in exception: its enum rpy_exc + 1; else 0 */
    int id;
    void *lowered;               /* the rtyper's instance type */
};

/* A user method that a call on an instance may run: the implementation
 * the receiver's class finds first (one entry per instantiated class). */
struct ann_method_target {
    struct ann_classdef *cls;    /* the receiver's class */
    struct fg_func *func;        /* what it runs */
};

struct ann_value {
    enum ann_kind kind;
    bool nullable;               /* str/list/dict/set/instance may also be None */
    bool is_const;               /* value known at compile time: constv */
    struct fg_value *constv;     /* the constant (ints, floats, bools, strs, None, pbcs) */
    struct ann_listdef *def;     /* LIST, DICT, SET */
    int nitems;                  /* TUPLE */
    struct ann_value **items;
    /* TUPLE: a list display whose items have different types ([1, "a"]).
     * RPy lists are homogeneous, so it is a read-only tuple underneath
     * that prints, compares and measures as the list it stands for. */
    bool mixed_list;
    struct srcpos mixed_at;      /* mixed_list: the display */
    struct ann_classdef *classdef; /* INSTANCE */
    struct ann_value *of;        /* ITER: what is iterated (list, str, range, dict, ...) */
    struct ann_family *fam;      /* FUNC */
    struct srcpos origin;        /* where this annotation was made */
    /* The binding of a variable that a reported type conflict left as it
     * was: the errors of ops reading it would only repeat that one. */
    bool poisoned;
};

/* A module global: its annotation and whether it is a compile-time
 * constant (bound once, to a constant). */
struct ann_global {
    struct fg_module *module;
    const char *name;
    struct ann_value *ann;
    bool is_const;
    struct fg_value *constv;
    struct sp_vec readers;
    int nsets;                   /* setglobal ops naming it */
    int id;
};

/* Everything the later stages need to know of the annotation run. */
struct ann_result {
    struct fg_program *program;
    struct sp_vec graphs;        /* fg_graph*: every annotated graph, entry first */
    struct sp_vec globals;       /* ann_global* */
    void *globals_index;         /* (module, name) -> ann_global: annotator.c */
    struct sp_vec classdefs;     /* ann_classdef* */
};

/* Annotate the program from its entry module's top-level code. Errors go
 * through sp_error; returns NULL if there were any. */
struct ann_result *ann_annotate(struct fg_program *prog);

/* Queries used by the rtyper. */
struct ann_value *ann_of(struct fg_value *v);   /* variables and constants alike */
struct ann_listdef *ann_listdef(struct ann_listdef *def); /* the representative */
struct ann_global *ann_find_global(struct ann_result *r, struct fg_module *m, const char *name);
const char *ann_describe(struct ann_value *a);  /* "int", "list[str]", "Node?" ... */
/* The graph a call op calls, or NULL (set on simple_call/call_args/
 * call_method ops of user functions and methods). */
struct fg_func *ann_call_target(struct fg_op *op);
/* A method call on an instance: every (receiver class, implementation)
 * it may run; NULL unless there are several implementations. */
struct sp_vec *ann_method_targets(struct fg_op *op);
/* The class an instantiating call, isinstance test or exception link
 * names: a class constant or a built-in exception name; else NULL. */
struct ann_classdef *ann_classdef_for(struct fg_value *c);
struct ann_classdef *ann_builtin_classdef(const char *name);
bool ann_is_subclass(struct ann_classdef *sub, struct ann_classdef *cls);
/* The class (cd's or a base's) whose body defines class attribute name,
 * and its index there; NULL if none. A NULL value there means the class
 * statement stored it in the global fg_class_global(owner, name). */
struct fg_class *ann_class_attr_owner(struct ann_classdef *cd, const char *name, int *index);
/* The annotation of class attribute name as cd sees it, or NULL. */
struct ann_value *ann_class_attr(struct ann_classdef *cd, const char *name);

/* The annotation of instance attribute name as cd sees it, or NULL. */
struct ann_value *ann_getattr_value(struct ann_classdef *cd, const char *name);
/* The user method `name` that instances of cd run, or NULL. */
struct fg_func *ann_find_method(struct ann_classdef *cd, const char *name);
/* An operation on an instance that calls a special method (specials.c):
 * its name, which argument is the receiver (the others are the method's
 * arguments, in order), and how the result is used. NULL: none. */
enum ann_special_mode {
    ANN_SPECIAL_PLAIN,     /* the op's result is the method's */
    ANN_SPECIAL_TRUTH,     /* __bool__ / __contains__: a bool */
    ANN_SPECIAL_TRUTH_LEN, /* truth from __len__: result != 0 */
    ANN_SPECIAL_NOT_EQ,    /* != from __eq__: not result */
};
const char *ann_special_of(struct fg_op *op, int *recv, enum ann_special_mode *mode);

/* m.f(args) on a module m: the value m.f that is called (a function,
 * class or built-in constant); else NULL. */
struct fg_value *ann_module_callee(struct fg_op *op);

/* A built-in call that the annotator made a call of a prelude function
 * (ann_call_target): the arguments, in its parameter order; else NULL. */
struct fg_value **ann_prelude_args(struct fg_op *op, int *n);
/* t[lo:hi:step] of a tuple of n items with constant bounds (NULL: none):
 * the indices taken, in order, into idx (room for n); their count, or -1
 * if a bound is not a constant or the step is 0. */
int ann_tuple_slice(int n, struct ann_value *lo, struct ann_value *hi, struct ann_value *step, int *idx);
/* A call through a function value that passes keywords or leaves out
 * parameters with defaults: its arguments completed, positional (NULL if
 * the call passes them all positionally). */
struct fg_value **ann_family_args(struct fg_op *op, int *n);

/* Per-op facts the rtyper reads: what an instantiating call creates, and
 * whether a call_super reaches BaseException.__init__. */
struct ann_classdef *ann_instantiates(struct fg_op *op);
bool ann_is_exc_init(struct fg_op *op);
/* A call_method whose obj.name is a value that is called (a function
 * value in an attribute or a module global), not a method. */
bool ann_is_attr_call(struct fg_op *op);
/* Whether the annotator ever flowed into the block (others are dead). */
bool ann_block_reached(struct fg_block *b);
bool ann_same(struct ann_value *a, struct ann_value *b); /* equal as types (ignoring const-ness) */
struct ann_family *ann_family(struct ann_family *f); /* the representative */
struct ann_desc *ann_desc_of_func(struct fg_func *f); /* a def's description as a value, or NULL */
/* obj.name as a value for a method of cd (made on first use). */
struct ann_desc *ann_bound_desc(struct ann_classdef *cd, const char *name);
/* Every call family of the program, and the descriptions in them. */
void ann_all_families(struct sp_vec *out);

#endif
