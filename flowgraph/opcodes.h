/* opcodes.h - the operation tables of both levels, as X-macros.
 *
 * One list per level drives the enum, the names, the printer, the verifier
 * and the flags, so they cannot drift apart. High-level ops are what the
 * flow-graph builder emits and the annotator reads; low-level ops are what
 * the rtyper emits and the transforms and backends read. A graph holds ops
 * of one level at a time (checkgraph verifies it).
 *
 * Flags:
 *   OPF_RAISE    the op may raise a Python exception
 *   OPF_COLLECT  the op may allocate, so the GC may run (and move objects)
 *   OPF_PURE     no side effect: removable when the result is unused
 *   OPF_UNWIND   the op may unwind the stack (a coroutine switch; only
 *                runtime routines and calls reaching them: effects.c)
 *
 * arity: the number of arguments, or -1 for variadic.
 */
#ifndef RPY_OPCODES_H
#define RPY_OPCODES_H

enum {
    OPF_RAISE = 1,
    OPF_COLLECT = 2,
    OPF_PURE = 4,
    OPF_UNWIND = 8,
};

/* X(NAME, "name", arity, flags)    -- high-level operations
 * Argument conventions are given where not obvious. "const" means the
 * argument is always a constant. */
#define FG_HLOPS(X)                                                                  \
    X(SAME_AS, "same_as", 1, OPF_PURE)                                               \
    /* binary arithmetic: (a, b) */                                                  \
    X(ADD, "add", 2, OPF_RAISE | OPF_COLLECT)                                        \
    X(SUB, "sub", 2, OPF_RAISE | OPF_COLLECT)                                        \
    X(MUL, "mul", 2, OPF_RAISE | OPF_COLLECT)                                        \
    X(MATMUL, "matmul", 2, OPF_RAISE | OPF_COLLECT)                                  \
    X(TRUEDIV, "truediv", 2, OPF_RAISE | OPF_COLLECT)                                \
    X(FLOORDIV, "floordiv", 2, OPF_RAISE | OPF_COLLECT)                              \
    X(MOD, "mod", 2, OPF_RAISE | OPF_COLLECT)                                        \
    X(POW, "pow", 2, OPF_RAISE | OPF_COLLECT)                                        \
    X(LSHIFT, "lshift", 2, OPF_RAISE | OPF_COLLECT)                                  \
    X(RSHIFT, "rshift", 2, OPF_RAISE | OPF_COLLECT)                                  \
    X(AND_, "and_", 2, OPF_RAISE | OPF_COLLECT)                                      \
    X(OR_, "or_", 2, OPF_RAISE | OPF_COLLECT)                                        \
    X(XOR, "xor", 2, OPF_RAISE | OPF_COLLECT)                                        \
    /* augmented assignment: (target value, operand); may mutate lists */            \
    X(INPLACE_ADD, "inplace_add", 2, OPF_RAISE | OPF_COLLECT)                        \
    X(INPLACE_SUB, "inplace_sub", 2, OPF_RAISE | OPF_COLLECT)                        \
    X(INPLACE_MUL, "inplace_mul", 2, OPF_RAISE | OPF_COLLECT)                        \
    X(INPLACE_MATMUL, "inplace_matmul", 2, OPF_RAISE | OPF_COLLECT)                  \
    X(INPLACE_TRUEDIV, "inplace_truediv", 2, OPF_RAISE | OPF_COLLECT)                \
    X(INPLACE_FLOORDIV, "inplace_floordiv", 2, OPF_RAISE | OPF_COLLECT)              \
    X(INPLACE_MOD, "inplace_mod", 2, OPF_RAISE | OPF_COLLECT)                        \
    X(INPLACE_POW, "inplace_pow", 2, OPF_RAISE | OPF_COLLECT)                        \
    X(INPLACE_LSHIFT, "inplace_lshift", 2, OPF_RAISE | OPF_COLLECT)                  \
    X(INPLACE_RSHIFT, "inplace_rshift", 2, OPF_RAISE | OPF_COLLECT)                  \
    X(INPLACE_AND, "inplace_and", 2, OPF_RAISE | OPF_COLLECT)                        \
    X(INPLACE_OR, "inplace_or", 2, OPF_RAISE | OPF_COLLECT)                          \
    X(INPLACE_XOR, "inplace_xor", 2, OPF_RAISE | OPF_COLLECT)                        \
    /* unary */                                                                      \
    X(NEG, "neg", 1, OPF_RAISE | OPF_COLLECT)                                        \
    X(POS, "pos", 1, OPF_RAISE | OPF_COLLECT)                                        \
    X(INVERT, "invert", 1, OPF_RAISE | OPF_COLLECT)                                  \
    X(BOOL, "bool", 1, OPF_RAISE | OPF_COLLECT)       /* truth value, as `if x:` */  \
    X(NOT, "not_", 1, OPF_RAISE | OPF_COLLECT)        /* `not x` */                  \
    /* comparisons: (a, b) -> bool (user __eq__ etc. may return anything) */         \
    X(LT, "lt", 2, OPF_RAISE | OPF_COLLECT)                                          \
    X(LE, "le", 2, OPF_RAISE | OPF_COLLECT)                                          \
    X(EQ, "eq", 2, OPF_RAISE | OPF_COLLECT)                                          \
    X(NE, "ne", 2, OPF_RAISE | OPF_COLLECT)                                          \
    X(GT, "gt", 2, OPF_RAISE | OPF_COLLECT)                                          \
    X(GE, "ge", 2, OPF_RAISE | OPF_COLLECT)                                          \
    X(IS, "is_", 2, OPF_PURE)                                                        \
    X(IS_NOT, "is_not", 2, OPF_PURE)                                                 \
    X(CONTAINS, "contains", 2, OPF_RAISE | OPF_COLLECT) /* (container, item): `item in container` */ \
    /* attributes and items */                                                       \
    X(GETATTR, "getattr", 2, OPF_RAISE | OPF_COLLECT)   /* (obj, const name) */       \
    X(SETATTR, "setattr", 3, OPF_RAISE | OPF_COLLECT)   /* (obj, const name, value) */\
    X(DELATTR, "delattr", 2, OPF_RAISE | OPF_COLLECT)                                \
    X(GETITEM, "getitem", 2, OPF_RAISE | OPF_COLLECT)   /* (obj, index) */            \
    X(SETITEM, "setitem", 3, OPF_RAISE | OPF_COLLECT)   /* (obj, index, value) */     \
    X(DELITEM, "delitem", 2, OPF_RAISE | OPF_COLLECT)                                \
    /* slices: missing bounds are the constant None */                              \
    X(GETSLICE, "getslice", 4, OPF_RAISE | OPF_COLLECT) /* (obj, lower, upper, step) */ \
    X(SETSLICE, "setslice", 5, OPF_RAISE | OPF_COLLECT) /* (obj, lower, upper, step, value) */ \
    X(DELSLICE, "delslice", 4, OPF_RAISE | OPF_COLLECT)                              \
    /* construction */                                                               \
    X(NEWLIST, "newlist", -1, OPF_COLLECT)             /* (items...) */              \
    X(NEWTUPLE, "newtuple", -1, OPF_COLLECT)           /* (items...) */              \
    X(NEWDICT, "newdict", -1, OPF_RAISE | OPF_COLLECT) /* (k1, v1, k2, v2, ...) */   \
    X(NEWSET, "newset", -1, OPF_RAISE | OPF_COLLECT)   /* (items...) */              \
    /* calls; a call shape constant (struct fg_callshape) describes keywords/star */ \
    X(SIMPLE_CALL, "simple_call", -1, OPF_RAISE | OPF_COLLECT)  /* (func, args...) */ \
    X(CALL_ARGS, "call_args", -1, OPF_RAISE | OPF_COLLECT)      /* (func, const shape, args...) */ \
    X(CALL_METHOD, "call_method", -1, OPF_RAISE | OPF_COLLECT)  /* (obj, const name, args...) */ \
    X(CALL_METHOD_ARGS, "call_method_args", -1, OPF_RAISE | OPF_COLLECT) /* (obj, const name, const shape, args...) */ \
    /* super().name(args...) in a method of class cls: (self, const cls, const name, args...) */ \
    X(CALL_SUPER, "call_super", -1, OPF_RAISE | OPF_COLLECT)                         \
    /* iteration: next's block has exitswitch last_exception with a StopIteration link */ \
    X(ITER, "iter", 1, OPF_RAISE | OPF_COLLECT)                                      \
    X(NEXT, "next", 1, OPF_RAISE | OPF_COLLECT)                                      \
    /* sequence unpacking: unpack(v, const n) checks the length and gives a tuple */ \
    X(UNPACK, "unpack", 2, OPF_RAISE | OPF_COLLECT)                                  \
    /* module globals: (const module, const name[, value]) */                        \
    X(GETGLOBAL, "getglobal", 2, OPF_RAISE)                                          \
    /* (bool bound, const name)+: UnboundLocalError unless bound (unbound.c) */       \
    X(CHECK_BOUND, "check_bound", -1, OPF_RAISE)                                     \
    X(SETGLOBAL, "setglobal", 3, 0)                                                  \
    /* f-strings: format(value, const conversion (str "", "s", "r", "a"), spec str) */ \
    X(FORMAT, "format", 3, OPF_RAISE | OPF_COLLECT)                                  \
    X(BUILDSTR, "buildstr", -1, OPF_COLLECT)           /* (str parts...) */          \
    /* a nested function's value: (const function, environment) */                 \
    X(MAKE_CLOSURE, "make_closure", 2, OPF_COLLECT)                                  \
    /* exceptions: the class of an exception instance, for raise links */           \
    X(EXC_TYPE, "exc_type", 1, OPF_PURE)                                             \
    /* generators: removed by flowgraph/generator.c before annotation */          \
    X(YIELD, "yield", 1, 0)

/* X(NAME, "name", arity, flags)    -- low-level operations (see rtyper/) */
#define FG_LLOPS(X)                                                                  \
    X(LL_SAME_AS, "same_as", 1, OPF_PURE)                                            \
    X(LL_INT_ADD, "int_add", 2, OPF_PURE)                                            \
    X(LL_INT_SUB, "int_sub", 2, OPF_PURE)                                            \
    X(LL_INT_MUL, "int_mul", 2, OPF_PURE)                                            \
    X(LL_INT_ADD_OVF, "int_add_ovf", 2, OPF_RAISE)                                   \
    X(LL_INT_SUB_OVF, "int_sub_ovf", 2, OPF_RAISE)                                   \
    X(LL_INT_MUL_OVF, "int_mul_ovf", 2, OPF_RAISE)                                   \
    X(LL_INT_NEG_OVF, "int_neg_ovf", 1, OPF_RAISE)                                   \
    X(LL_INT_ABS_OVF, "int_abs_ovf", 1, OPF_RAISE)                                   \
    X(LL_INT_FLOORDIV, "int_floordiv", 2, OPF_RAISE)                                 \
    X(LL_INT_MOD, "int_mod", 2, OPF_RAISE)                                           \
    X(LL_INT_AND, "int_and", 2, OPF_PURE)                                            \
    X(LL_INT_OR, "int_or", 2, OPF_PURE)                                              \
    X(LL_INT_XOR, "int_xor", 2, OPF_PURE)                                            \
    X(LL_INT_INVERT, "int_invert", 1, OPF_PURE)                                      \
    X(LL_INT_LT, "int_lt", 2, OPF_PURE)                                              \
    X(LL_INT_LE, "int_le", 2, OPF_PURE)                                              \
    X(LL_INT_EQ, "int_eq", 2, OPF_PURE)                                              \
    X(LL_INT_NE, "int_ne", 2, OPF_PURE)                                              \
    X(LL_INT_GT, "int_gt", 2, OPF_PURE)                                              \
    X(LL_INT_GE, "int_ge", 2, OPF_PURE)                                              \
    X(LL_INT_IS_TRUE, "int_is_true", 1, OPF_PURE)                                    \
    X(LL_FLOAT_ADD, "float_add", 2, OPF_PURE)                                        \
    X(LL_FLOAT_SUB, "float_sub", 2, OPF_PURE)                                        \
    X(LL_FLOAT_MUL, "float_mul", 2, OPF_PURE)                                        \
    X(LL_FLOAT_NEG, "float_neg", 1, OPF_PURE)                                        \
    X(LL_FLOAT_ABS, "float_abs", 1, OPF_PURE)                                        \
    X(LL_FLOAT_LT, "float_lt", 2, OPF_PURE)                                          \
    X(LL_FLOAT_LE, "float_le", 2, OPF_PURE)                                          \
    X(LL_FLOAT_EQ, "float_eq", 2, OPF_PURE)                                          \
    X(LL_FLOAT_NE, "float_ne", 2, OPF_PURE)                                          \
    X(LL_FLOAT_GT, "float_gt", 2, OPF_PURE)                                          \
    X(LL_FLOAT_GE, "float_ge", 2, OPF_PURE)                                          \
    X(LL_FLOAT_IS_TRUE, "float_is_true", 1, OPF_PURE)                                \
    X(LL_BOOL_NOT, "bool_not", 1, OPF_PURE)                                          \
    X(LL_CAST_INT_TO_FLOAT, "cast_int_to_float", 1, OPF_PURE)                        \
    X(LL_CAST_BOOL_TO_INT, "cast_bool_to_int", 1, OPF_PURE)                          \
    X(LL_CAST_BOOL_TO_FLOAT, "cast_bool_to_float", 1, OPF_PURE)                      \
    /* containers hold 64-bit words; these convert by the value's low-level type */ \
    X(LL_CAST_TO_WORD, "cast_to_word", 1, OPF_PURE)                                  \
    X(LL_CAST_FROM_WORD, "cast_from_word", 1, OPF_PURE)                              \
    X(LL_PTR_EQ, "ptr_eq", 2, OPF_PURE)                                              \
    X(LL_PTR_NE, "ptr_ne", 2, OPF_PURE)                                              \
    X(LL_PTR_ISZERO, "ptr_iszero", 1, OPF_PURE)                                      \
    X(LL_CAST_PTR, "cast_pointer", 1, OPF_PURE)   /* to the result's pointer type */  \
    X(LL_SELECT, "select", 3, OPF_PURE)           /* (cond, a, b): cond ? a : b */     \
    X(LL_PTR_NONZERO, "ptr_nonzero", 1, OPF_PURE)                                    \
    /* structures: (ptr, const field name[, value]); malloc(const type) */          \
    X(LL_GETFIELD, "getfield", 2, OPF_PURE)                                          \
    X(LL_SETFIELD, "setfield", 3, 0)                                                 \
    X(LL_MALLOC, "malloc", 1, OPF_COLLECT)                                           \
    /* tuples: (ptr, const index[, word]) */                                        \
    X(LL_GETITEM_WORD, "getitem_word", 2, OPF_PURE)                                  \
    X(LL_SETITEM_WORD, "setitem_word", 3, 0)                                         \
    /* global variables: (const global[, value]) */                                 \
    X(LL_GETGLOBAL, "ll_getglobal", 1, OPF_PURE)                                     \
    X(LL_SETGLOBAL, "ll_setglobal", 2, 0)                                            \
    /* calls: (const function, args...); a function constant is a graph or a     */ \
    /* runtime routine (struct fg_extfunc) whose flags say raise/collect          */ \
    X(LL_DIRECT_CALL, "direct_call", -1, OPF_RAISE | OPF_COLLECT)                    \
    X(LL_INDIRECT_CALL, "indirect_call", -1, OPF_RAISE | OPF_COLLECT)                \
    X(LL_KEEPALIVE, "keepalive", 1, 0)                                               \
    /* classes: (obj, const lo, const hi) -> obj's tid in [lo, hi] (obj may be NULL) */ \
    X(LL_TID_IN, "tid_in", 3, OPF_PURE)                                              \
    /* dynamic dispatch: (const tidtable, self, args...) calls the graph for self's tid */ \
    X(LL_VCALL, "vcall", -1, OPF_RAISE | OPF_COLLECT)                                \
    /* (const tidtable, obj) -> the entry for obj's tid (a class attribute) */        \
    X(LL_TID_LOAD, "tid_load", 2, OPF_PURE)                                          \
    /* exceptions, after transforms/exceptions.c: the thread's current one */        \
    X(LL_EXC_OCCURRED, "exc_occurred", 0, 0)                                         \
    X(LL_EXC_PEEK, "exc_peek", 0, 0)                                                 \
    X(LL_EXC_CLEAR, "exc_clear", 0, 0)                                               \
    X(LL_EXC_RAISE, "exc_raise", 1, 0)                                               \
    X(LL_TB_ADD, "tb_add", 1, 0)  /* (const location) */                             \
    /* the collector, after transforms/gcroots.c: save live pointers to the */       \
    /* shadow stack around a call that can collect, reload them after; the */        \
    /* write barrier before storing a pointer into an object */                      \
    X(LL_GC_PUSH, "gc_push_roots", -1, 0)   /* (values...) */                         \
    X(LL_GC_POP, "gc_pop_roots", 1, 0)      /* (const n) */                           \
    X(LL_GC_RELOAD, "gc_reload", 1, 0)      /* (const i): after the pop */            \
    X(LL_GC_WB, "gc_write_barrier", 1, 0)   /* (object) */                            \
    /* RecursionError before the C stack runs out (transforms/stackcheck.c) */      \
    X(LL_STACK_CHECK, "stack_check", 0, OPF_RAISE)

enum fg_opcode {
#define X(name, str, arity, flags) OP_##name,
    FG_HLOPS(X)
    OP_FIRST_LL,
    FG_LLOPS(X)
#undef X
    OP_COUNT
};

#define FG_IS_LLOP(opc) ((opc) > OP_FIRST_LL)

const char *fg_opname(enum fg_opcode opc);
int fg_op_arity(enum fg_opcode opc);
unsigned fg_op_flags(enum fg_opcode opc);

#endif
