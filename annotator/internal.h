/* internal.h - what the annotator's files share (private to annotator/). */
#ifndef RPY_ANN_INTERNAL_H
#define RPY_ANN_INTERNAL_H

#include "annotator.h"

/* Per-block state, kept in block->aux while annotating. */
struct ann_blockinfo {
    struct fg_graph *graph;
    bool pending;  /* in the work queue */
    bool reached;  /* annotated at least once */
    /* The diagnostics of the block's last flow, if an op rule failed. An
     * annotation may still grow and make it moot (a value that is None
     * only so far), so it is reported only if it stands at the end. */
    struct sp_vec pending_errors; /* struct sp_captured* */
    /* A return block: the local that every link bound so far returns, or
     * NULL (type errors name it); ret_seen once a link bound a value. */
    const char *ret_name;
    bool ret_seen;
};

/* Per-function state, kept in fg_func->aux. */
struct ann_funcinfo {
    bool started;
    struct sp_vec callers; /* blocks to re-flow when the return annotation grows */
    struct sp_vec copies;  /* fg_func*: its specialisations (on the original only) */
    struct fg_func *original;
    struct ann_desc *desc; /* as a function value (families.c); on the original */
    struct ann_listdef *vararg_def; /* f(..., *args): the list the calls of this version pass */
    struct shape_index *by_shape;   /* the prelude's and stdlib's versions by argument shape (annotator.c) */
};
struct ann_funcinfo *ann_funcinfo(struct fg_func *f);

/* Per-op state, kept in op->aux. */
struct ann_opinfo {
    struct ann_listdef *def;   /* the container a newlist/newdict/... op creates */
    struct ann_listdef *def2;  /* a second one (e.g. dict.items()'s list) */
    struct fg_func *target;    /* the user function a call op calls */
    struct ann_classdef *instantiates; /* a call that creates an instance */
    struct sp_vec *targets;    /* method call: ann_method_target*, when several implementations */
    bool exc_init;             /* call_super: BaseException.__init__ */
    bool mixed_list;           /* newlist: a display of mixed item types (a tuple) */
    bool attr_call;            /* call_method: obj.name is a value (attribute, module global) called */
    struct fg_value *callee;   /* m.f(args): the value m.f, called */
    struct fg_value **prelude_vals; /* a built-in call that calls target, a prelude function, */
    int nprelude;              /* with these values as arguments */
    struct fg_value **family_vals; /* a call through a function value completed with keywords */
    int nfamily;               /* and defaults: all its arguments, positional */
    const char *special;       /* the special method the op calls (specials.c) */
    int special_recv;
    enum ann_special_mode special_mode;
    /* isinstance / is_: the variable tested and what it is known to be
     * on the True and the False exit (NULL: no change). */
    struct fg_value *narrow_var;
    struct ann_value *narrow_true, *narrow_false;
};

void ann_mixed_list_error(struct srcpos use, struct ann_value *list, const char *how);

/* model.c */
struct ann_value *ann_new(enum ann_kind kind, struct srcpos origin);
struct ann_value *ann_copy(struct ann_value *a);
struct ann_value *ann_impossible(void);
struct ann_value *ann_of_const(struct fg_value *c);
struct ann_listdef *ann_new_listdef(bool is_dict, struct ann_value *item, struct ann_value *value);
struct ann_value *ann_container(enum ann_kind kind, struct ann_listdef *def, struct srcpos origin);
struct ann_value *ann_union(struct ann_value *a, struct ann_value *b); /* NULL: conflict */
bool ann_equal(struct ann_value *a, struct ann_value *b);
bool ann_can_union(struct ann_value *a, struct ann_value *b);
bool ann_same_shape(struct ann_value *a, struct ann_value *b);
bool ann_unify_defs(struct ann_listdef *x, struct ann_listdef *y, struct ann_value **bad_a,
                    struct ann_value **bad_b);
const char *ann_typename(struct ann_value *a);
struct ann_value *ann_unconst(struct ann_value *a); /* drop const-ness (not of PBCs) */

/* annotator.c: the fixpoint */
struct ann_result *ann_the_result(void);
void ann_reflow_readers(struct sp_vec *readers);
void ann_add_reader(struct sp_vec *readers);  /* the block being annotated reads it */
struct fg_op *ann_current_op(void);
struct fg_block *ann_current_block(void); /* the block being annotated */
struct ann_opinfo *ann_opinfo(struct fg_op *op);
/* Grow a container's item (or a dict's key/value) with `v` at `pos`;
 * reports a conflict and returns false. `what` names the slot ("list item"). */
bool ann_grow_item(struct ann_listdef *def, bool value_slot, struct ann_value *v, struct srcpos pos,
                   const char *what);
/* Call a user function with the given argument annotations (already
 * matched to its parameters). Returns its return annotation so far. */
struct ann_value *ann_call_func(struct fg_func *f, struct ann_value **args, int nargs, struct srcpos pos);
/* The version of f to call with these arguments: f, or a copy of it for
 * argument types that f's other calls already made incompatible
 * (LANGUAGE.md, "Specialisation"); the prelude's functions get one copy
 * per shape of argument types. NULL after an error (too many copies). */
struct fg_func *ann_specialize(struct fg_func *f, struct ann_value **args, int nargs, struct srcpos pos);
struct ann_global *ann_global(struct fg_module *m, const char *name);
void ann_conflict(struct srcpos pos, const char *what, struct ann_value *old, struct ann_value *new_);

/* classes.c */
void ann_init_classes(void);  /* the built-in exception classes */
struct ann_classdef *ann_classdef_of(struct fg_class *cls);
void ann_mark_instantiated(struct ann_classdef *cd);
struct ann_value *ann_instance(struct ann_classdef *cd, bool nullable, struct srcpos pos);
struct ann_value *ann_getattr_instance(struct ann_value *inst, const char *name, struct srcpos pos);
/* After "'C' object has no attribute": a note at the definition of class C
 * (a class of the program). */
void ann_note_class_def(struct ann_classdef *cd);
bool ann_setattr_instance(struct ann_value *inst, const char *name, struct ann_value *v, struct srcpos pos);
/* The classes a call on an instance of cd may dispatch to: cd and its
 * subclasses that are instantiated (registering the reader). */
void ann_instantiated_subtree(struct ann_classdef *cd, struct sp_vec *out);

/* families.c: function values */
struct ann_desc *ann_func_desc(struct fg_func *f);       /* a def (or a nested def) as a value */
struct ann_value *ann_func_value(struct ann_desc *d, struct srcpos origin);
struct ann_value *ann_func_of_const(struct ann_value *pbc);
bool ann_is_func_const(struct ann_value *a);
bool ann_desc_grow_env(struct ann_desc *d, struct ann_value *env, struct srcpos pos);
struct ann_family *ann_merge_families(struct ann_family *x, struct ann_family *y);

/* ops.c: one rule per high-level op; returns the result annotation
 * (impossible: stop annotating the block for now; NULL: error reported). */
struct ann_value *ann_op(struct fg_op *op, struct ann_value **args);

/* builtins.c */
struct ann_value *ann_call_builtin(const char *name, struct fg_op *op, struct ann_value **args, int nargs,
                                   const struct fg_callshape *shape);
struct ann_value *ann_call_method(struct ann_value *obj, const char *name, struct fg_op *op,
                                  struct ann_value **args, int nargs, const struct fg_callshape *shape);
bool ann_is_builtin_name(const char *name);
/* obj.name(args) on an instance, positional arguments only. */
struct ann_value *ann_call_method_on(struct ann_value *obj, const char *name, struct fg_op *op,
                                     struct ann_value **args, int nargs);

/* modules.c: m.name for a module m (NULL after an error). */
struct ann_value *ann_module_attr(struct fg_op *op, struct fg_module *m, const char *name);
bool ann_is_native_value(const char *full);
/* builtins.c: a call of the value callee (a PBC: function, class,
 * built-in) with these arguments (op's callee is elsewhere: m.f(args)). */
struct ann_value *ann_call_value(struct ann_value *callee, struct fg_op *op, struct ann_value **args, int nargs,
                                 const struct fg_callshape *shape);

/* specials.c: if op on an instance calls a special method, annotate that
 * call and return true (*result: its annotation, NULL after an error). */
bool ann_instance_special(struct fg_op *op, struct ann_value **args, struct ann_value **result);
/* A built-in call that is a special method call (len(x): x.__len__()):
 * args are the op's (callee first), recv the receiver's index. */
struct ann_value *ann_special_call(struct fg_op *op, struct ann_value **args, int recv, const char *name);
/* bool(x) of an instance: __bool__ or __len__; NULL if it has neither. */
struct ann_value *ann_special_truth(struct fg_op *op, struct ann_value **args, int recv);
/* ops.c: iter(a) and next(it) for the built-in iterables. */
struct ann_value *ann_iter_rule(struct fg_op *op, struct ann_value *a);
struct ann_value *ann_next_rule(struct fg_op *op, struct ann_value *it);

#endif
