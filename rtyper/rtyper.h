/* rtyper.h - lowering annotated graphs to low-level graphs.
 *
 * Requires: ann_annotate succeeded. Provides: every reachable graph
 * rewritten in place to low-level operations (FG_LLOPS) with an lltype on
 * every variable and constant; the tables the backends emit (types,
 * globals, the entry sequence).
 *
 * Representations: int/float/bool are unboxed; str, list, dict, set and
 * tuple are Ptrs to the runtime's objects, whose slots are words described
 * by typeinfos; instances, ranges and iterators are GcStructs of the
 * program. Operations become low-level ops (int_add_ovf, getfield, ...)
 * or direct_calls of runtime routines (struct fg_extfunc constants).
 */
#ifndef RPY_RTYPER_H
#define RPY_RTYPER_H

#include "../annotator/annotator.h"
#include "lltype.h"

/* A table indexed by the type id of an instance, covering the tids
 * [lo, hi] of one class's subtree: the method each class runs for a
 * dynamically dispatched call (entries are graph constants), or the value
 * of a class attribute each class sees. */
struct rt_tidtable {
    int id;                   /* unique, for C names */
    const char *name;         /* "Shape.area", for dumps */
    int lo, hi;
    struct fg_value **entries;/* hi - lo + 1 constants, NULL where no instance can have that tid */
    bool is_method;
};

/* The special methods the runtime calls on instances of one class, as
 * wrapper graphs with the runtime's calling convention (rpyrt.h, struct
 * rpy_classinfo); NULL where the class does not define one. */
struct rt_classinfo {
    struct lltype *type;      /* the instance type */
    struct fg_graph *str, *repr, *eq, *ne, *lt, *le, *gt, *ge, *hash, *bool_, *len;
    bool unhashable;          /* __eq__ without __hash__ */
    bool keyerror;            /* KeyError or a subclass: its message is repr(arg) */
};

/* A module-level variable of the program (a C global). */
struct rt_global {
    const char *cname;
    struct lltype *type;
};

/* A def used as a function value: its function object, emitted as static
 * data (rpy_pf<id>) by the backends. */
struct rt_prebuilt_func {
    struct ann_desc *desc;
    struct fg_graph *adapter;
    int id;
};

struct rt_program {
    struct ann_result *ann;
    struct sp_vec graphs;       /* fg_graph*: all low-level graphs */
    struct sp_vec entry;        /* fg_graph*: module top-level code, in run order */
    struct sp_vec globals;      /* rt_global* */
    struct sp_vec tidtables;    /* rt_tidtable* */
    struct sp_vec classes;      /* rt_classinfo*, one per instance type, in tid order */
    struct sp_vec prebuilt_funcs; /* rt_prebuilt_func* */
    struct lltype *exc_types[64]; /* the built-in exception classes, by enum rpy_exc */
    /* Coroutines: the module code runs under rpy_sl_run_entry (set by
     * --stackless, and by transforms/stackless.c when a graph unwinds). */
    bool stackless;
};

struct rt_program *rt_specialize(struct ann_result *ann);

/* The lltype an annotation is represented by. */
struct lltype *rt_lltype_of(struct ann_value *a);
/* Function values: struct { rpy_hdr; rpy_word fn; void *env; } (funcs.c). */
struct lltype *rt_funcobj_type(void);

#endif
