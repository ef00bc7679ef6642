/* ops.c - one low-level op as LLVM instructions: a flat dispatcher over
 * the opcodes, with the semantics of backend_c/emit_c.c (emit_op and
 * op_expr), which is the reference:
 *
 *   int_add/sub/mul wrap (the C build has -fwrapv): no nsw flags
 *   int_*_ovf, int_floordiv, int_mod: the runtime's inline routines
 *   float compares: C's (== ordered, != unordered), no fast-math
 *   Bool is i1; a Bool field or global is a byte
 *   exc_* and gc_* ops: the thread-local rpy_exc_value and rpy_ss_top
 *
 * A Void result has no value; ops with Void arguments drop them, as the C
 * backend drops them from calls and parameters alike. An opcode without
 * a case here is an internal error naming it (new transforms must teach
 * both backends).
 */
#include <inttypes.h>
#include <string.h>

#include "../runtime/rpyrt.h"
#include "internal.h"

static LLVMValueRef A(struct fg_op *op, int i) { return lb_value(op->args[i]); }

static void result(struct fg_op *op, LLVMValueRef v)
{
    if (lb_is_void(op->result))
        return;
    if (!v) /* a routine declared void whose result the graph types: C would not compile it */
        v = LLVMConstNull(lb_type(op->result->lltype));
    lb_bind(op->result, v);
}

static LLVMValueRef tls(const char *name) { return lb_runtime_global(name, lb.ptr, true); }

/* &((struct owner *)p)->name */
static LLVMValueRef field_addr(struct fg_op *op, struct lltype **ftype)
{
    struct lltype *owner = op->args[1]->obj;
    unsigned idx = lb_field_index(owner, op->args[1]->str, ftype);
    LLVMTypeRef st = lb_struct_type(owner);
    return LLVMBuildStructGEP2(lb.b, st, lb_cast_ptr(A(op, 0), st), idx, "");
}

/* the TBAA tag of a field: its owner and name (types.c) */
static const char *field_tag(struct fg_op *op)
{
    return sp_fmt("%s.%s", ((struct lltype *)op->args[1]->obj)->sname, op->args[1]->str);
}

/* &p->items[i] of a tuple (rpy_tuple) */
static LLVMValueRef item_addr(struct fg_op *op)
{
    LLVMValueRef at = LLVMBuildAdd(lb.b, lb_cint(lb.i64, (int64_t)offsetof(struct rpy_tuple, items)),
                                   LLVMBuildShl(lb.b, A(op, 1), lb_cint(lb.i64, 3), ""), "");
    LLVMValueRef p = LLVMBuildGEP2(lb.b, lb.i8, A(op, 0), &at, 1, "");
    return lb_cast_ptr(p, lb.i64);
}

/* rpy_ss_top[i] */
static LLVMValueRef ss_slot(int64_t i)
{
    LLVMTypeRef pp = LLVMPointerType(lb.ptr, 0);
    LLVMValueRef top = lb_tbaa(LLVMBuildLoad2(lb.b, pp, lb_cast_ptr(tls("rpy_ss_top"), pp), ""), "rpy.ss_top");
    LLVMValueRef idx = lb_cint(lb.i64, i);
    return LLVMBuildGEP2(lb.b, lb.ptr, top, &idx, 1, "");
}

static void ss_bump(int64_t n)
{
    LLVMTypeRef pp = LLVMPointerType(lb.ptr, 0);
    LLVMValueRef topp = lb_cast_ptr(tls("rpy_ss_top"), pp);
    LLVMValueRef top = lb_tbaa(LLVMBuildLoad2(lb.b, pp, topp, ""), "rpy.ss_top");
    LLVMValueRef idx = lb_cint(lb.i64, n);
    lb_tbaa(LLVMBuildStore(lb.b, LLVMBuildGEP2(lb.b, lb.ptr, top, &idx, 1, ""), topp), "rpy.ss_top");
}

static LLVMValueRef runtime1(const char *name, struct fg_op *op, int nargs, struct lltype *rtype)
{
    LLVMValueRef args[4];
    for (int i = 0; i < nargs; i++)
        args[i] = A(op, i);
    return lb_call_runtime(name, nargs, args, rtype);
}

static LLVMValueRef to_word(struct fg_value *v)
{
    LLVMValueRef x = lb_value(v);
    switch (v->lltype->kind) {
    case LL_FLOAT: return LLVMBuildBitCast(lb.b, x, lb.i64, "");
    case LL_PTR: case LL_TIPTR: return LLVMBuildPtrToInt(lb.b, x, lb.i64, "");
    case LL_BOOL: return LLVMBuildZExt(lb.b, x, lb.i64, "");
    default: return x;
    }
}

static LLVMValueRef from_word(LLVMValueRef w, struct lltype *t)
{
    switch (t->kind) {
    case LL_FLOAT: return LLVMBuildBitCast(lb.b, w, lb.f64, "");
    case LL_PTR: case LL_TIPTR: return LLVMBuildIntToPtr(lb.b, w, lb.ptr, "");
    case LL_BOOL: return LLVMBuildICmp(lb.b, LLVMIntNE, w, LLVMConstNull(lb.i64), "");
    default: return w;
    }
}

/* Calls: the non-Void arguments from args[first..]. */
static LLVMValueRef *call_args(struct fg_op *op, int first, unsigned *n)
{
    LLVMValueRef *v = sp_alloc(sizeof(LLVMValueRef) * (size_t)(op->nargs + 1));
    *n = 0;
    for (int i = first; i < op->nargs; i++)
        if (!lb_is_void(op->args[i]))
            v[(*n)++] = lb_value(op->args[i]);
    return v;
}

static LLVMValueRef call(LLVMTypeRef fnty, LLVMValueRef fn, LLVMValueRef *args, unsigned n)
{
    /* pointers are i8* everywhere, but an argument's type can still
     * differ from a callee's parameter (Bool passed as a Signed slot) */
    LLVMTypeRef *pt = sp_alloc(sizeof(LLVMTypeRef) * (n + 1));
    LLVMGetParamTypes(fnty, pt);
    for (unsigned i = 0; i < n && i < LLVMCountParamTypes(fnty); i++)
        if (LLVMTypeOf(args[i]) != pt[i])
            sp_die("LLVM backend: call in %s: argument %u has the wrong type", lb.graph->name, i + 1);
    LLVMValueRef c = LLVMBuildCall2(lb.b, fnty, fn, args, n, "");
    lb_set_bool_attrs(c, true, fnty);
    return c;
}

static void emit_direct_call(struct fg_op *op)
{
    struct fg_value *callee = op->args[0];
    if (callee->kind == FG_CONST && callee->ckind == FG_C_GRAPH) {
        LLVMValueRef fn = lb_graph_fn(callee->obj);
        unsigned n;
        LLVMValueRef *args = call_args(op, 1, &n);
        LLVMValueRef c = call(LLVMGlobalGetValueType(fn), fn, args, n);
        result(op, lb_is_void(op->result) ? NULL : c);
        return;
    }
    if (callee->kind == FG_CONST && callee->ckind == FG_C_EXTFUNC) {
        struct fg_extfunc *ef = callee->obj;
        LLVMValueRef *args = sp_alloc(sizeof(LLVMValueRef) * (size_t)(op->nargs + 1));
        int n = 0;
        for (int i = 1; i < op->nargs; i++)
            if (!lb_is_void(op->args[i]))
                args[n++] = lb_value(op->args[i]);
        result(op, lb_call_runtime(ef->cname, n, args, op->result->lltype));
        return;
    }
    sp_die("LLVM backend: direct_call of %s", fg_value_str(callee));
}

/* self->tid indexes the table of the receiver's static class; the entry
 * is called through the signature this call site sees (as in C). */
static void emit_vcall(struct fg_op *op)
{
    struct rt_tidtable *tab = op->args[0]->obj;
    LLVMValueRef self = A(op, 1);
    LLVMValueRef tid = lb_tbaa(LLVMBuildLoad2(lb.b, lb.i32, lb_cast_ptr(self, lb.i32), "tid"), "rpy.hdr.tid");
    LLVMValueRef idx[2] = {LLVMConstNull(lb.i64),
                           LLVMBuildZExt(lb.b, LLVMBuildSub(lb.b, tid, LLVMConstInt(lb.i32, (unsigned)tab->lo, 0), ""), lb.i64, "")};
    LLVMValueRef table = lb_tidtable(tab);
    LLVMValueRef slot = LLVMBuildGEP2(lb.b, LLVMGlobalGetValueType(table), table, idx, 2, "");
    LLVMValueRef fp = LLVMBuildLoad2(lb.b, lb.ptr, slot, "");
    LLVMTypeRef fnty = lb_call_fntype(op->result, op->args + 1, op->nargs - 1);
    unsigned n;
    LLVMValueRef *args = call_args(op, 1, &n);
    LLVMValueRef c = call(fnty, lb_cast_ptr(fp, fnty), args, n);
    result(op, lb_is_void(op->result) ? NULL : c);
}

static void emit_indirect_call(struct fg_op *op)
{
    LLVMValueRef fp = A(op, 0);
    if (LLVMTypeOf(fp) != lb.ptr)
        fp = LLVMBuildIntToPtr(lb.b, fp, lb.ptr, "");
    LLVMTypeRef fnty = lb_call_fntype(op->result, op->args + 1, op->nargs - 1);
    unsigned n;
    LLVMValueRef *args = call_args(op, 1, &n);
    LLVMValueRef c = call(fnty, lb_cast_ptr(fp, fnty), args, n);
    result(op, lb_is_void(op->result) ? NULL : c);
}

static LLVMValueRef tid_load(struct fg_op *op)
{
    struct rt_tidtable *tab = op->args[0]->obj;
    LLVMValueRef tid = lb_tbaa(LLVMBuildLoad2(lb.b, lb.i32, lb_cast_ptr(A(op, 1), lb.i32), "tid"), "rpy.hdr.tid");
    LLVMValueRef idx[2] = {LLVMConstNull(lb.i64),
                           LLVMBuildZExt(lb.b, LLVMBuildSub(lb.b, tid, LLVMConstInt(lb.i32, (unsigned)tab->lo, 0), ""), lb.i64, "")};
    LLVMValueRef table = lb_tidtable(tab);
    LLVMTypeRef at = LLVMGlobalGetValueType(table);
    LLVMValueRef slot = LLVMBuildGEP2(lb.b, at, table, idx, 2, "");
    return lb_load(LLVMGetElementType(at), slot, op->result->lltype, NULL);
}

static LLVMValueRef icmp(LLVMIntPredicate p, struct fg_op *op) { return LLVMBuildICmp(lb.b, p, A(op, 0), A(op, 1), ""); }
static LLVMValueRef fcmp(LLVMRealPredicate p, struct fg_op *op) { return LLVMBuildFCmp(lb.b, p, A(op, 0), A(op, 1), ""); }

/* Ops that compute a value from their arguments, no side effect. */
static LLVMValueRef pure_op(struct fg_op *op)
{
    LLVMBuilderRef b = lb.b;
    switch (op->opcode) {
    case OP_LL_SAME_AS: return A(op, 0);
    case OP_LL_INT_ADD: return LLVMBuildAdd(b, A(op, 0), A(op, 1), "");
    case OP_LL_INT_SUB: return LLVMBuildSub(b, A(op, 0), A(op, 1), "");
    case OP_LL_INT_MUL: return LLVMBuildMul(b, A(op, 0), A(op, 1), "");
    case OP_LL_INT_AND: return LLVMBuildAnd(b, A(op, 0), A(op, 1), "");
    case OP_LL_INT_OR: return LLVMBuildOr(b, A(op, 0), A(op, 1), "");
    case OP_LL_INT_XOR: return LLVMBuildXor(b, A(op, 0), A(op, 1), "");
    case OP_LL_INT_INVERT: return LLVMBuildNot(b, A(op, 0), "");
    case OP_LL_INT_LT: return icmp(LLVMIntSLT, op);
    case OP_LL_INT_LE: return icmp(LLVMIntSLE, op);
    case OP_LL_INT_EQ: case OP_LL_PTR_EQ: return icmp(LLVMIntEQ, op);
    case OP_LL_INT_NE: case OP_LL_PTR_NE: return icmp(LLVMIntNE, op);
    case OP_LL_INT_GT: return icmp(LLVMIntSGT, op);
    case OP_LL_INT_GE: return icmp(LLVMIntSGE, op);
    case OP_LL_INT_IS_TRUE: return LLVMBuildICmp(b, LLVMIntNE, A(op, 0), LLVMConstNull(lb.i64), "");
    case OP_LL_FLOAT_ADD: return LLVMBuildFAdd(b, A(op, 0), A(op, 1), "");
    case OP_LL_FLOAT_SUB: return LLVMBuildFSub(b, A(op, 0), A(op, 1), "");
    case OP_LL_FLOAT_MUL: return LLVMBuildFMul(b, A(op, 0), A(op, 1), "");
    case OP_LL_FLOAT_NEG: return LLVMBuildFNeg(b, A(op, 0), "");
    case OP_LL_FLOAT_ABS: {
        LLVMValueRef fn = lb_intrinsic("llvm.fabs", &lb.f64, 1);
        LLVMValueRef x = A(op, 0);
        return LLVMBuildCall2(b, LLVMGlobalGetValueType(fn), fn, &x, 1, "");
    }
    case OP_LL_FLOAT_LT: return fcmp(LLVMRealOLT, op);
    case OP_LL_FLOAT_LE: return fcmp(LLVMRealOLE, op);
    case OP_LL_FLOAT_EQ: return fcmp(LLVMRealOEQ, op);
    case OP_LL_FLOAT_NE: return fcmp(LLVMRealUNE, op);
    case OP_LL_FLOAT_GT: return fcmp(LLVMRealOGT, op);
    case OP_LL_FLOAT_GE: return fcmp(LLVMRealOGE, op);
    case OP_LL_FLOAT_IS_TRUE: return LLVMBuildFCmp(b, LLVMRealUNE, A(op, 0), LLVMConstReal(lb.f64, 0.0), "");
    case OP_LL_BOOL_NOT: return LLVMBuildNot(b, A(op, 0), "");
    case OP_LL_CAST_INT_TO_FLOAT: return LLVMBuildSIToFP(b, A(op, 0), lb.f64, "");
    case OP_LL_CAST_BOOL_TO_INT: return LLVMBuildZExt(b, A(op, 0), lb.i64, "");
    case OP_LL_CAST_BOOL_TO_FLOAT: return LLVMBuildUIToFP(b, A(op, 0), lb.f64, "");
    case OP_LL_CAST_TO_WORD: return to_word(op->args[0]);
    case OP_LL_CAST_FROM_WORD: return from_word(A(op, 0), op->result->lltype);
    case OP_LL_PTR_ISZERO: return LLVMBuildIsNull(b, A(op, 0), "");
    case OP_LL_PTR_NONZERO: return LLVMBuildIsNotNull(b, A(op, 0), "");
    case OP_LL_CAST_PTR: return A(op, 0);
    case OP_LL_SELECT: return LLVMBuildSelect(b, A(op, 0), A(op, 1), A(op, 2), "");
    default: return NULL;
    }
}

void lb_emit_op(struct fg_op *op)
{
    struct fg_value **a = op->args;
    LLVMBuilderRef b = lb.b;
    switch (op->opcode) {
    case OP_LL_INT_ADD_OVF: result(op, runtime1("rpy_int_add_ovf", op, 2, &ll_signed)); return;
    case OP_LL_INT_SUB_OVF: result(op, runtime1("rpy_int_sub_ovf", op, 2, &ll_signed)); return;
    case OP_LL_INT_MUL_OVF: result(op, runtime1("rpy_int_mul_ovf", op, 2, &ll_signed)); return;
    case OP_LL_INT_NEG_OVF: result(op, runtime1("rpy_int_neg_ovf", op, 1, &ll_signed)); return;
    case OP_LL_INT_ABS_OVF: result(op, runtime1("rpy_int_abs_ovf", op, 1, &ll_signed)); return;
    case OP_LL_INT_FLOORDIV: result(op, runtime1("rpy_int_floordiv", op, 2, &ll_signed)); return;
    case OP_LL_INT_MOD: result(op, runtime1("rpy_int_mod", op, 2, &ll_signed)); return;
    case OP_LL_GETFIELD: {
        if (lb_is_void(op->result))
            return;
        struct lltype *ft;
        LLVMValueRef p = field_addr(op, &ft);
        result(op, lb_load(lb_mem_type(ft), p, ft, field_tag(op)));
        return;
    }
    case OP_LL_SETFIELD: {
        if (lb_is_void(a[2]))
            return;
        struct lltype *ft;
        LLVMValueRef p = field_addr(op, &ft);
        lb_store(A(op, 2), p, ft, field_tag(op));
        return;
    }
    case OP_LL_MALLOC: {
        struct lltype *t = a[0]->obj;
        LLVMValueRef args[2] = {lb_typeinfo_ref(t), lb_cint(lb.i64, (int64_t)LLVMABISizeOfType(lb.td, lb_struct_type(t)))};
        result(op, lb_call_runtime("rpy_malloc", 2, args, op->result->lltype->kind == LL_VOID ? &ll_void : op->result->lltype));
        return;
    }
    case OP_LL_GETITEM_WORD: result(op, lb_tbaa(LLVMBuildLoad2(b, lb.i64, item_addr(op), ""), "rpy.word")); return;
    case OP_LL_SETITEM_WORD: lb_tbaa(LLVMBuildStore(b, A(op, 2), item_addr(op)), "rpy.word"); return;
    case OP_LL_GETGLOBAL: {
        if (lb_is_void(op->result))
            return;
        struct lltype *t;
        LLVMValueRef g = lb_global_slot(a[0], &t);
        result(op, lb_load(lb_mem_type(t), g, t, "rpy.global"));
        return;
    }
    case OP_LL_SETGLOBAL: {
        if (lb_is_void(a[1]))
            return;
        struct lltype *t;
        LLVMValueRef g = lb_global_slot(a[0], &t);
        lb_store(A(op, 1), g, t, "rpy.global");
        return;
    }
    case OP_LL_DIRECT_CALL: emit_direct_call(op); return;
    case OP_LL_VCALL: emit_vcall(op); return;
    case OP_LL_INDIRECT_CALL: emit_indirect_call(op); return;
    case OP_LL_KEEPALIVE: return;
    case OP_LL_TID_IN: {
        LLVMValueRef args[3] = {A(op, 0), LLVMConstInt(lb.i32, (unsigned long long)a[1]->ival, 0),
                                LLVMConstInt(lb.i32, (unsigned long long)a[2]->ival, 0)};
        result(op, lb_call_runtime("rpy_tid_in", 3, args, &ll_bool));
        return;
    }
    case OP_LL_TID_LOAD: result(op, tid_load(op)); return;
    case OP_LL_EXC_OCCURRED: {
        LLVMValueRef raised = LLVMBuildIsNotNull(b, lb_tbaa(LLVMBuildLoad2(b, lb.ptr, tls("rpy_exc_value"), ""), "rpy.exc"), "");
        LLVMTypeRef t = lb.i1;
        LLVMValueRef fn = lb_intrinsic("llvm.expect", &t, 1);
        LLVMValueRef args[2] = {raised, LLVMConstNull(lb.i1)};
        result(op, LLVMBuildCall2(b, LLVMGlobalGetValueType(fn), fn, args, 2, ""));
        return;
    }
    case OP_LL_EXC_PEEK: result(op, lb_tbaa(LLVMBuildLoad2(b, lb.ptr, tls("rpy_exc_value"), ""), "rpy.exc")); return;
    case OP_LL_EXC_CLEAR: lb_call_runtime("rpy_exc_fetch", 0, NULL, NULL); return;
    case OP_LL_EXC_RAISE: {
        LLVMValueRef x = A(op, 0);
        lb_call_runtime("rpy_raise", 1, &x, NULL);
        return;
    }
    case OP_LL_TB_ADD: {
        LLVMValueRef loc = lb_tbloc(a[0]->obj);
        lb_call_runtime("rpy_tb_add", 1, &loc, NULL);
        return;
    }
    case OP_LL_GC_PUSH:
        for (int i = 0; i < op->nargs; i++)
            lb_tbaa(LLVMBuildStore(b, A(op, i), ss_slot(i)), "rpy.ss_slot");
        ss_bump(op->nargs);
        return;
    case OP_LL_GC_POP: ss_bump(-a[0]->ival); return;
    case OP_LL_GC_RELOAD: result(op, lb_tbaa(LLVMBuildLoad2(b, lb.ptr, ss_slot(a[0]->ival), ""), "rpy.ss_slot")); return;
    case OP_LL_GC_WB: {
        LLVMValueRef x = A(op, 0);
        lb_call_runtime("rpy_gc_wb", 1, &x, NULL);
        return;
    }
    case OP_LL_STACK_CHECK: lb_call_runtime("rpy_stack_check", 0, NULL, NULL); return;
    default: break;
    }
    LLVMValueRef v = pure_op(op);
    if (!v)
        sp_die("LLVM backend: no emitter for %s", fg_opname(op->opcode));
    result(op, v);
}
