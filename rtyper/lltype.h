/* lltype.h - low-level types: what the rtyper assigns to every variable and
 * constant, and what the backends map to C types or LLVM types.
 *
 *   Void                 no storage (None, compile-time constants)
 *   Signed Float Bool    rpy_int, rpy_float, rpy_bool
 *   Word                 rpy_word: one container slot (see runtime/rpyrt.h)
 *   TypeInfoPtr          const struct rpy_typeinfo *: argument of the
 *                        runtime's generic routines
 *   Ptr(T)               a GC pointer; T is the runtime's str, list, dict,
 *                        set or tuple, or a GcStruct of the program
 *                        (instances, ranges, iterators) whose first field
 *                        inlines its parent struct (inheritance)
 *
 * Pointer types are interned: two annotations with the same low-level
 * shape share one lltype, so `list[int]` has one type id in the program.
 */
#ifndef RPY_LLTYPE_H
#define RPY_LLTYPE_H

#include "../support/support.h"

enum ll_kind {
    LL_VOID,
    LL_SIGNED,
    LL_FLOAT,
    LL_BOOL,
    LL_WORD,
    LL_TIPTR,
    LL_PTR,
};

/* What a Ptr points to. */
enum ll_gckind {
    LLG_STR,
    LLG_FILE,  /* the runtime's struct rpy_file (text files, sys.stdout) */
    LLG_GCREF, /* a pointer to a GC object of any type (a function object's environment) */
    LLG_LIST,
    LLG_DICT,
    LLG_SET,
    LLG_TUPLE,
    LLG_STRUCT,
};

struct ll_field {
    const char *name;    /* C field name (sanitised) */
    struct lltype *type;
};

struct lltype {
    enum ll_kind kind;
    enum ll_gckind gc;       /* Ptr only */
    int id;                  /* unique number */
    int tid;                 /* Ptr to a program type: its GC type id (0 for str) */
    const char *cname;       /* the C type of a value: "rpy_int", "struct rpy_list *" */
    const char *tiname;      /* C name of its struct rpy_typeinfo ("rpy_ti_int", "rpy_ti_7") */
    const char *pyname;      /* name in messages and repr: "list", "Node" */
    /* containers: item/key and value types (value types, never Void) */
    struct lltype *item, *value;
    /* tuples: field types */
    int nitems;
    struct lltype **items;
    /* structs */
    const char *sname;       /* struct tag, e.g. "S5_Node" */
    struct sp_vec fields;    /* struct ll_field*: own fields */
    struct lltype *parent;   /* inlined parent struct (Ptr type), or NULL */
    bool is_instance;        /* a class instance (typeinfo kind INSTANCE) */
    int tid_hi;              /* instances: the last tid of the class's subtree (tids are preorder) */
    bool is_exception;       /* instances: an exception class */
    const char *qualname;    /* instances: the name CPython prints ("ParseError", "mod.Cls") */
    const void *classdef;    /* instances: the annotator's class (opaque here) */
    bool is_iter;            /* internal: range and iterator structs */
    bool is_deque;           /* lists: a collections.deque (struct rpy_deque) */
    bool is_mixed_list;      /* tuples: a list display of mixed item types */
    bool is_tuple_list;      /* lists: a tuple of any length (tuple(xs)) */
    struct lltype *iter_type;/* the rtyper's iterator struct over this type, once made */
};

extern struct lltype ll_void, ll_signed, ll_float, ll_bool, ll_word, ll_tiptr;

struct lltype *ll_str(void);
struct lltype *ll_file(void);
struct lltype *ll_gcref(void);
/* str and file: types whose typeinfo the runtime defines, not the program. */
bool ll_is_runtime_type(const struct lltype *t);
struct lltype *ll_list(struct lltype *item);
struct lltype *ll_deque(struct lltype *item);
struct lltype *ll_tuple_list(struct lltype *item);
struct lltype *ll_dict(struct lltype *key, struct lltype *value);
struct lltype *ll_set(struct lltype *item);
struct lltype *ll_tuple(int n, struct lltype **items);
/* A mixed list display ([1, "a"]): a tuple that prints as a list. */
struct lltype *ll_mixed_list(int n, struct lltype **items);
/* A new GcStruct type (instances, iterators): fields added afterwards. */
struct lltype *ll_struct(const char *name, struct lltype *parent, bool is_instance);
void ll_struct_add_field(struct lltype *s, const char *name, struct lltype *type);
/* The struct (s or a parent) that holds field `name`, or NULL. */
struct lltype *ll_field_owner(struct lltype *s, const char *name, struct ll_field **field);
/* None is NULL: a nullable Ptr type is the type itself. */
struct lltype *ll_nullable(struct lltype *t);

/* Every Ptr type made so far, in creation order (the backend emits a
 * typeinfo for each; program types get tids from RPY_TID_FIRST_PROGRAM). */
void ll_all_types(struct sp_vec *out);
const char *ll_describe(struct lltype *t); /* "Signed", "Ptr(list[Signed])" ... */

#endif
