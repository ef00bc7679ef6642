/* internal.h - what the files of the LLVM backend share; private to
 * backend_llvm/.
 *
 * One translation builds one module; its state lives in `lb` (there is
 * one program per rpy run, as in the C backend). The files, one concern
 * each:
 *
 *   map.c     byte-keyed hash maps (values, strings, traceback locations)
 *   abi.c     the runtime's C prototypes, read from rpyrt.h itself, and
 *             calls of runtime routines with C's argument conversions
 *   types.c   lltype -> LLVM types; struct layouts and field indices
 *   data.c    type tables, typeinfos, classinfos, tid tables, prebuilt
 *             strings and function objects, globals, traceback locations
 *   inline.c  the IR bodies of rpyrt.h's inline fast paths
 *   func.c    one LLVM function per graph: blocks, links as phi nodes
 *   ops.c     one low-level op -> instructions
 *   debug.c   DWARF through the DIBuilder (-g)
 *   build.c   the module, verifier, passes, object file, link; the backend
 *
 * Value representation: Signed and Word are i64, Float double, Bool i1 in
 * registers and i8 in memory (C's bool), every pointer (GC objects,
 * typeinfos, functions) i8*; typed pointers are made only for a GEP.
 */
#ifndef RPY_LB_INTERNAL_H
#define RPY_LB_INTERNAL_H

#include <llvm-c/Core.h>
#include <llvm-c/DebugInfo.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>

#include "backend_llvm.h"

/* ---- map.c ---- */
struct lb_map {
    struct lb_map_entry *slots;
    size_t cap, n;
};
void *lb_map_get(struct lb_map *m, const void *key, size_t len);
void lb_map_put(struct lb_map *m, const void *key, size_t len, void *val);
/* pointer keys */
void *lb_map_getp(struct lb_map *m, const void *p);
void lb_map_putp(struct lb_map *m, const void *p, void *val);
void lb_map_clear(struct lb_map *m);

/* ---- the translation's state ---- */
struct lb_state {
    LLVMContextRef ctx;
    LLVMModuleRef mod;
    LLVMBuilderRef b;
    LLVMTargetDataRef td;
    struct rt_program *prog;
    const struct backend_opts *opts;
    /* common types */
    LLVMTypeRef i1, i8, i32, i64, f64, ptr, voidt, hdr;
    LLVMTypeRef ti_type, ci_type, tb_type; /* rpy_typeinfo, rpy_classinfo, rpy_tb_loc */
    /* the function being built */
    LLVMValueRef fn;
    struct fg_graph *graph;
    struct lb_map values;   /* fg_value* -> LLVMValueRef */
    bool inline_fast_paths; /* inline.c's IR fast paths (not under a sanitized runtime) */
    /* debug info (debug.c), NULL without -g */
    LLVMDIBuilderRef di;
};
extern struct lb_state lb;

/* ---- abi.c ---- */
enum lb_ckind { LB_C_VOID, LB_C_I64, LB_C_U64, LB_C_I32, LB_C_U32, LB_C_I8, LB_C_BOOL, LB_C_F64, LB_C_PTR, LB_C_UNKNOWN };
struct lb_proto {
    enum lb_ckind ret;
    int nparams;
    enum lb_ckind *params;
    bool variadic, noreturn, is_inline;
};
/* Reads the prototypes of rpyrt.h (false, after saying why, if unreadable). */
bool lb_abi_load(const char *header);
const struct lb_proto *lb_abi_proto(const char *name);
/* The function `name` of the runtime, declared with its C prototype. */
LLVMValueRef lb_abi_declare(const char *name, const struct lb_proto *p);
/* Calls runtime routine `name` on LLVM values (typed as lb_type says), converting
 * them as C converts arguments, and the result to rtype (NULL: none). An
 * inline routine of rpyrt.h runs inline.c's IR, or its `_x` twin. */
LLVMValueRef lb_call_runtime(const char *name, int nargs, LLVMValueRef *args, struct lltype *rtype);
/* C's conversion of a value of LLVM type `from` to kind `to`, and back. */
LLVMValueRef lb_convert_to_c(LLVMValueRef v, enum lb_ckind to);
LLVMTypeRef lb_ctype(enum lb_ckind k);
/* call-site / declaration attributes: zeroext on i1 (C's bool) */
void lb_set_bool_attrs(LLVMValueRef fn_or_call, bool is_call, LLVMTypeRef fnty);
/* An external thread-local or plain global of the runtime. */
LLVMValueRef lb_runtime_global(const char *name, LLVMTypeRef t, bool tls);

/* ---- types.c ---- */
LLVMTypeRef lb_type(struct lltype *t);       /* in a register; void for Void */
LLVMTypeRef lb_mem_type(struct lltype *t);   /* in memory */
LLVMTypeRef lb_struct_type(struct lltype *t);/* a GcStruct's body */
bool lb_is_void(const struct fg_value *v);
/* Index of own field `name` of struct owner in its LLVM body. */
unsigned lb_field_index(struct lltype *owner, const char *name, struct lltype **ftype);
/* The LLVM function type of a graph, or of a call through a pointer. */
LLVMTypeRef lb_graph_fntype(struct fg_graph *g);
LLVMTypeRef lb_call_fntype(struct fg_value *result, struct fg_value **args, int nargs);
/* memory <-> register for Bool */
LLVMValueRef lb_load(LLVMTypeRef memty, LLVMValueRef addr, struct lltype *t, const char *tag);
void lb_store(LLVMValueRef v, LLVMValueRef addr, struct lltype *t, const char *tag);
LLVMValueRef lb_cast_ptr(LLVMValueRef p, LLVMTypeRef pointee);
/* TBAA: inst (a load or store) accesses memory of kind `tag` only */
LLVMValueRef lb_tbaa(LLVMValueRef inst, const char *tag);
void lb_types_reset(void); /* a new module */

/* ---- data.c ---- */
void lb_emit_data(struct rt_program *prog);  /* everything but function bodies */
void lb_emit_data_late(struct rt_program *prog); /* the classinfos (after the functions) */
LLVMValueRef lb_typeinfo_ref(struct lltype *t);  /* &rpy_ti_... as i8* */
LLVMValueRef lb_str_const(struct fg_value *c);   /* a prebuilt str, as i8* */
LLVMValueRef lb_tbloc(struct fg_tbloc *loc);     /* &rpy_tbN as i8* */
LLVMValueRef lb_global_slot(struct fg_value *slot, struct lltype **type); /* a program global's address */
LLVMValueRef lb_prebuilt_func(struct rt_prebuilt_func *pf);
LLVMValueRef lb_tidtable(struct rt_tidtable *tab); /* the table global */
LLVMValueRef lb_const(struct fg_value *c);       /* a constant's value, typed by its lltype */
LLVMValueRef lb_const_mem(struct fg_value *c, struct lltype *t); /* for static data */

/* ---- inline.c ---- */
/* The module's internal alwaysinline IR version of inline routine name,
 * or NULL if it has none. */
LLVMValueRef lb_inline_fn(const char *name);
void lb_inline_finish(void);

/* ---- func.c ---- */
LLVMValueRef lb_graph_fn(struct fg_graph *g); /* declared on first use */
void lb_emit_function(struct fg_graph *g);
void lb_emit_main(struct rt_program *prog);
LLVMValueRef lb_value(struct fg_value *v);    /* a variable's or constant's value */
void lb_bind(struct fg_value *var, LLVMValueRef v);

/* ---- ops.c ---- */
void lb_emit_op(struct fg_op *op);

/* ---- debug.c ---- */
void lb_debug_init(const char *mainfile);
void lb_debug_function(struct fg_graph *g, LLVMValueRef fn);
void lb_debug_position(struct srcpos pos);    /* the location of what follows */
void lb_debug_finish(void);

/* ---- helpers ---- */
LLVMValueRef lb_intrinsic(const char *name, LLVMTypeRef *overload, int noverload);
LLVMValueRef lb_cint(LLVMTypeRef t, int64_t v);
#define LB_NEW_BB(name) LLVMAppendBasicBlockInContext(lb.ctx, lb.fn, name)

#endif
