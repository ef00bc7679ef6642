/* inline.c - the IR of rpyrt.h's inline fast paths.
 *
 * The C backend gets the runtime's small routines (list indexing,
 * append, the allocator's bump pointer, the write barrier, overflow
 * checks) inlined from rpyrt.h; calling their out-of-line `_x` twins
 * instead would cost a call on every list access. Each function here is
 * the same routine written in IR, internal and alwaysinline, built the
 * first time a call needs it, with the C prototype's types. Its slow or
 * failing path calls the `_x` twin (or the runtime routine the inline
 * code itself calls), so errors are raised by the runtime's own code and
 * cannot differ. Struct offsets come from rpyrt.h (offsetof).
 *
 * A routine without an IR version here is called through its twin.
 * Under a sanitized runtime (RPY_CFLAGS_EXTRA with -fsanitize=address)
 * nothing is inlined: the allocator must go out of line there (rpyrt.h).
 */
#include <string.h>

#include "../runtime/rpyrt.h"
#include "internal.h"

static LLVMBuilderRef B;
static LLVMValueRef F; /* the function being built */

static LLVMValueRef P(unsigned i) { return LLVMGetParam(F, i); }
static LLVMBasicBlockRef BB(const char *name) { return LLVMAppendBasicBlockInContext(lb.ctx, F, name); }
static LLVMValueRef I64(int64_t v) { return lb_cint(lb.i64, v); }

/* *(T *)((char *)p + off + idx * 8) */
static LLVMValueRef addr(LLVMValueRef p, size_t off, LLVMValueRef idx, LLVMTypeRef t)
{
    LLVMValueRef at = I64((int64_t)off);
    if (idx)
        at = LLVMBuildAdd(B, at, LLVMBuildShl(B, idx, I64(3), ""), "");
    LLVMValueRef q = LLVMBuildGEP2(B, lb.i8, p, &at, 1, "");
    return LLVMBuildBitCast(B, q, LLVMPointerType(t, 0), "");
}
static LLVMValueRef load(LLVMValueRef p, size_t off, LLVMValueRef idx, LLVMTypeRef t, const char *tag)
{
    return lb_tbaa(LLVMBuildLoad2(B, t, addr(p, off, idx, t), ""), tag);
}
static void store(LLVMValueRef v, LLVMValueRef p, size_t off, LLVMValueRef idx, const char *tag)
{
    lb_tbaa(LLVMBuildStore(B, v, addr(p, off, idx, LLVMTypeOf(v))), tag);
}

static LLVMValueRef expect(LLVMValueRef cond, bool likely)
{
    LLVMTypeRef t = lb.i1;
    LLVMValueRef fn = lb_intrinsic("llvm.expect", &t, 1);
    LLVMValueRef args[2] = {cond, LLVMConstInt(lb.i1, likely, 0)};
    return LLVMBuildCall2(B, LLVMGlobalGetValueType(fn), fn, args, 2, "");
}

/* A call of a runtime routine from inside a fast path (its slow path). */
static LLVMValueRef rcall(const char *name, int nargs, LLVMValueRef *args)
{
    const struct lb_proto *p = lb_abi_proto(name);
    if (!p)
        sp_die("LLVM backend: rpyrt.h does not declare %s", name);
    LLVMValueRef fn = lb_abi_declare(name, p);
    LLVMTypeRef fnty = LLVMGlobalGetValueType(fn);
    LLVMValueRef c = LLVMBuildCall2(B, fnty, fn, args, (unsigned)nargs, "");
    lb_set_bool_attrs(c, true, fnty);
    return c;
}
/* the `_x` twin of the routine being built, on the same arguments */
static LLVMValueRef twin(const char *name)
{
    unsigned n = LLVMCountParams(F);
    LLVMValueRef args[8];
    for (unsigned i = 0; i < n && i < 8; i++)
        args[i] = P(i);
    return rcall(sp_fmt("%s_x", name), (int)n, args);
}

/* if (cond) { slow } ... : the slow block is returned, the builder is left
 * at the start of the fast continuation. */
static LLVMBasicBlockRef branch_unlikely(LLVMValueRef cond, LLVMBasicBlockRef *cont)
{
    LLVMBasicBlockRef slow = BB("slow");
    *cont = BB("fast");
    LLVMBuildCondBr(B, expect(cond, false), slow, *cont);
    return slow;
}

/* ---- lists ---- */

/* TBAA tags of the runtime's slots (types.c: lb_tbaa) */
#define T_ITEM "rpy.word"        /* rpy_array and rpy_tuple items */
#define T_LEN "rpy.list.length"
#define T_ITEMS "rpy.list.items" /* the list's array pointer */
#define T_CAP "rpy.array.length"
#define T_HDR_TID "rpy.hdr.tid"
#define T_HDR_FLAGS "rpy.hdr.gcflags"
static LLVMValueRef list_items(LLVMValueRef l) { return load(l, offsetof(struct rpy_list, items), NULL, lb.ptr, T_ITEMS); }
static LLVMValueRef list_length(LLVMValueRef l) { return load(l, offsetof(struct rpy_list, length), NULL, lb.i64, T_LEN); }
static const size_t array_items = offsetof(struct rpy_array, items);

static void gen_gc_wb_on(LLVMValueRef obj);

static void gen_list_len(const char *name) { (void)name; LLVMBuildRet(B, list_length(P(0))); }
static void gen_dict_len(const char *name) { (void)name; LLVMBuildRet(B, load(P(0), offsetof(struct rpy_dict, used), NULL, lb.i64, "rpy.dict.used")); }

static void gen_list_getitem(const char *name)
{
    LLVMValueRef out = LLVMBuildICmp(B, LLVMIntUGE, P(1), list_length(P(0)), "");
    LLVMBasicBlockRef cont, slow = branch_unlikely(out, &cont);
    LLVMPositionBuilderAtEnd(B, slow);
    LLVMBuildRet(B, twin(name));
    LLVMPositionBuilderAtEnd(B, cont);
    LLVMBuildRet(B, load(list_items(P(0)), array_items, P(1), lb.i64, T_ITEM));
}

static void gen_list_setitem(const char *name)
{
    LLVMValueRef out = LLVMBuildICmp(B, LLVMIntUGE, P(1), list_length(P(0)), "");
    LLVMBasicBlockRef cont, slow = branch_unlikely(out, &cont);
    LLVMPositionBuilderAtEnd(B, slow);
    twin(name);
    LLVMBuildRetVoid(B);
    LLVMPositionBuilderAtEnd(B, cont);
    LLVMValueRef a = list_items(P(0));
    gen_gc_wb_on(a);
    store(P(2), a, array_items, P(1), T_ITEM);
    LLVMBuildRetVoid(B);
}

static void gen_list_getitem_nocheck(const char *name)
{
    (void)name;
    LLVMBuildRet(B, load(list_items(P(0)), array_items, P(1), lb.i64, T_ITEM));
}

static void gen_list_getitem_or0(const char *name)
{
    (void)name;
    LLVMBasicBlockRef in = BB("in"), past = BB("past");
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, P(1), list_length(P(0)), ""), in, past);
    LLVMPositionBuilderAtEnd(B, past);
    LLVMBuildRet(B, I64(0));
    LLVMPositionBuilderAtEnd(B, in);
    LLVMBuildRet(B, load(list_items(P(0)), array_items, P(1), lb.i64, T_ITEM));
}

static void gen_list_init_item(const char *name)
{
    (void)name;
    LLVMValueRef a = list_items(P(0));
    gen_gc_wb_on(a);
    store(P(2), a, array_items, P(1), T_ITEM);
    LLVMBuildRetVoid(B);
}

static void gen_list_append(const char *name)
{
    (void)name;
    LLVMValueRef l = P(0), n = list_length(l), a = list_items(l);
    LLVMValueRef full = LLVMBuildICmp(B, LLVMIntSGE, n, load(a, offsetof(struct rpy_array, length), NULL, lb.i64, T_CAP), "");
    LLVMBasicBlockRef cont, slow = branch_unlikely(full, &cont);
    LLVMPositionBuilderAtEnd(B, slow);
    LLVMValueRef args[2] = {l, P(1)};
    rcall("rpy_list_append_slow", 2, args);
    LLVMBuildRetVoid(B);
    LLVMPositionBuilderAtEnd(B, cont);
    store(LLVMBuildAdd(B, n, I64(1), ""), l, offsetof(struct rpy_list, length), NULL, T_LEN);
    gen_gc_wb_on(a);
    store(P(1), a, array_items, n, T_ITEM);
    LLVMBuildRetVoid(B);
}

/* ---- the collector ---- */

/* rpy_gc_wb(obj) inline, continuing in a new block */
static void gen_gc_wb_on(LLVMValueRef obj)
{
    LLVMValueRef flags = load(obj, offsetof(struct rpy_hdr, gcflags), NULL, lb.i32, T_HDR_FLAGS);
    LLVMValueRef track = LLVMBuildICmp(B, LLVMIntNE, LLVMBuildAnd(B, flags, LLVMConstInt(lb.i32, RPY_GC_TRACK_YOUNG, 0), ""),
                                       LLVMConstNull(lb.i32), "");
    LLVMBasicBlockRef cont, slow = branch_unlikely(track, &cont);
    LLVMPositionBuilderAtEnd(B, slow);
    rcall("rpy_gc_remember", 1, &obj);
    LLVMBuildBr(B, cont);
    LLVMPositionBuilderAtEnd(B, cont);
}

static void gen_gc_wb(const char *name)
{
    (void)name;
    gen_gc_wb_on(P(0));
    LLVMBuildRetVoid(B);
}

static void gen_malloc(const char *name)
{
    (void)name;
    LLVMValueRef ti = P(0), size = P(1);
    LLVMTypeRef nt = LLVMStructTypeInContext(lb.ctx, (LLVMTypeRef[]){lb.i64, lb.i64}, 2, 0);
    LLVMValueRef nursery = lb_runtime_global("rpy_nursery", nt, true);
    LLVMValueRef freep = LLVMBuildStructGEP2(B, nt, nursery, 0, ""), topp = LLVMBuildStructGEP2(B, nt, nursery, 1, "");
    LLVMValueRef small = LLVMBuildICmp(B, LLVMIntULT, size, I64(16), "");
    LLVMValueRef n = LLVMBuildSelect(B, small, I64(16), size, "");
    LLVMValueRef p = lb_tbaa(LLVMBuildLoad2(B, lb.i64, freep, ""), "rpy.nursery.free");
    LLVMValueRef top = lb_tbaa(LLVMBuildLoad2(B, lb.i64, topp, ""), "rpy.nursery.top");
    LLVMValueRef fits = LLVMBuildAnd(B, LLVMBuildICmp(B, LLVMIntULT, n, I64(RPY_GC_LARGE), ""),
                                     LLVMBuildICmp(B, LLVMIntUGE, LLVMBuildSub(B, top, p, ""), n, ""), "");
    LLVMBasicBlockRef fast = BB("fast"), slow = BB("slow");
    LLVMBuildCondBr(B, expect(fits, true), fast, slow);
    LLVMPositionBuilderAtEnd(B, slow);
    LLVMValueRef args[2] = {ti, size};
    LLVMBuildRet(B, rcall("rpy_gc_malloc_slow", 2, args));
    LLVMPositionBuilderAtEnd(B, fast);
    n = LLVMBuildAnd(B, LLVMBuildAdd(B, n, I64(7), ""), I64(~(int64_t)7), "");
    lb_tbaa(LLVMBuildStore(B, LLVMBuildAdd(B, p, n, ""), freep), "rpy.nursery.free");
    LLVMValueRef obj = LLVMBuildIntToPtr(B, p, lb.ptr, "");
    LLVMBuildMemSet(B, obj, LLVMConstNull(lb.i8), n, 8);
    store(load(ti, offsetof(struct rpy_typeinfo, tid), NULL, lb.i32, "rpy.typeinfo.tid"), obj, offsetof(struct rpy_hdr, tid), NULL,
          T_HDR_TID);
    LLVMBuildRet(B, obj);
}

/* ---- arithmetic ---- */

static void gen_ovf(const char *name)
{
    const char *op = strstr(name, "add") ? "llvm.sadd.with.overflow" : strstr(name, "sub") ? "llvm.ssub.with.overflow"
                                                                                          : "llvm.smul.with.overflow";
    LLVMTypeRef t = lb.i64;
    LLVMValueRef fn = lb_intrinsic(op, &t, 1);
    LLVMValueRef args[2] = {P(0), P(1)};
    LLVMValueRef r = LLVMBuildCall2(B, LLVMGlobalGetValueType(fn), fn, args, 2, "");
    LLVMBasicBlockRef cont, slow = branch_unlikely(LLVMBuildExtractValue(B, r, 1, ""), &cont);
    LLVMPositionBuilderAtEnd(B, slow);
    LLVMBuildRet(B, twin(name));
    LLVMPositionBuilderAtEnd(B, cont);
    LLVMBuildRet(B, LLVMBuildExtractValue(B, r, 0, ""));
}

static void gen_neg_ovf(const char *name)
{
    LLVMBasicBlockRef cont, slow = branch_unlikely(LLVMBuildICmp(B, LLVMIntEQ, P(0), I64(INT64_MIN), ""), &cont);
    LLVMPositionBuilderAtEnd(B, slow);
    LLVMBuildRet(B, twin(name));
    LLVMPositionBuilderAtEnd(B, cont);
    LLVMBuildRet(B, LLVMBuildNeg(B, P(0), ""));
}

static void gen_abs_ovf(const char *name)
{
    LLVMBasicBlockRef neg = BB("neg"), pos = BB("pos");
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, P(0), I64(0), ""), neg, pos);
    LLVMPositionBuilderAtEnd(B, pos);
    LLVMBuildRet(B, P(0));
    LLVMPositionBuilderAtEnd(B, neg);
    LLVMBasicBlockRef cont, slow = branch_unlikely(LLVMBuildICmp(B, LLVMIntEQ, P(0), I64(INT64_MIN), ""), &cont);
    LLVMPositionBuilderAtEnd(B, slow);
    LLVMBuildRet(B, twin(name));
    LLVMPositionBuilderAtEnd(B, cont);
    LLVMBuildRet(B, LLVMBuildNeg(B, P(0), ""));
}

/* floor division and modulo: b == 0 (error) and b == -1 (overflow or 0)
 * go to the twin; else C's truncating ops corrected towards -inf. */
static void gen_divmod(const char *name)
{
    bool is_mod = strstr(name, "mod") != NULL;
    LLVMValueRef a = P(0), b = P(1);
    LLVMValueRef special = LLVMBuildICmp(B, LLVMIntULT, LLVMBuildAdd(B, b, I64(1), ""), I64(2), ""); /* b in {-1, 0} */
    LLVMBasicBlockRef cont, slow = branch_unlikely(special, &cont);
    LLVMPositionBuilderAtEnd(B, slow);
    LLVMBuildRet(B, twin(name));
    LLVMPositionBuilderAtEnd(B, cont);
    LLVMValueRef r = LLVMBuildSRem(B, a, b, "");
    LLVMValueRef sign_differs = LLVMBuildICmp(B, LLVMIntSLT, LLVMBuildXor(B, is_mod ? r : a, b, ""), I64(0), "");
    LLVMValueRef adjust = LLVMBuildAnd(B, LLVMBuildICmp(B, LLVMIntNE, r, I64(0), ""), sign_differs, "");
    if (is_mod) {
        LLVMBuildRet(B, LLVMBuildSelect(B, adjust, LLVMBuildAdd(B, r, b, ""), r, ""));
    } else {
        LLVMValueRef q = LLVMBuildSDiv(B, a, b, "");
        LLVMBuildRet(B, LLVMBuildSub(B, q, LLVMBuildZExt(B, adjust, lb.i64, ""), ""));
    }
}

static void gen_minmax(const char *name)
{
    bool is_max = strstr(name, "max") != NULL, is_float = strstr(name, "float") != NULL;
    LLVMValueRef a = P(0), b = P(1), take_b;
    if (is_float)
        take_b = LLVMBuildFCmp(B, is_max ? LLVMRealOGT : LLVMRealOLT, b, a, "");
    else
        take_b = LLVMBuildICmp(B, is_max ? LLVMIntSGT : LLVMIntSLT, b, a, "");
    LLVMBuildRet(B, LLVMBuildSelect(B, take_b, b, a, ""));
}

static void gen_range_has(const char *name)
{
    (void)name;
    LLVMValueRef up = LLVMBuildICmp(B, LLVMIntSGT, P(2), I64(0), "");
    LLVMBuildRet(B, LLVMBuildSelect(B, up, LLVMBuildICmp(B, LLVMIntSLT, P(0), P(1), ""),
                                    LLVMBuildICmp(B, LLVMIntSGT, P(0), P(1), ""), ""));
}

/* ---- checks ---- */

static void gen_tid_in(const char *name)
{
    (void)name;
    LLVMBasicBlockRef some = BB("obj"), none = BB("none");
    LLVMBuildCondBr(B, LLVMBuildIsNull(B, P(0), ""), none, some);
    LLVMPositionBuilderAtEnd(B, none);
    LLVMBuildRet(B, LLVMConstNull(lb.i1));
    LLVMPositionBuilderAtEnd(B, some);
    LLVMValueRef tid = load(P(0), offsetof(struct rpy_hdr, tid), NULL, lb.i32, T_HDR_TID);
    LLVMBuildRet(B, LLVMBuildICmp(B, LLVMIntULE, LLVMBuildSub(B, tid, P(1), ""), LLVMBuildSub(B, P(2), P(1), ""), ""));
}

static void gen_check_null(const char *name)
{
    bool callable = strstr(name, "callable") != NULL;
    LLVMBasicBlockRef cont, slow = branch_unlikely(LLVMBuildIsNull(B, P(0), ""), &cont);
    LLVMPositionBuilderAtEnd(B, slow);
    if (callable) {
        rcall("rpy_none_call_error", 0, NULL);
    } else {
        LLVMValueRef attr = P(1);
        rcall("rpy_none_attribute_error", 1, &attr);
    }
    LLVMBuildRetVoid(B);
    LLVMPositionBuilderAtEnd(B, cont);
    LLVMBuildRetVoid(B);
}

static void gen_stack_check(const char *name)
{
    (void)name;
    LLVMValueRef fa = lb_intrinsic("llvm.frameaddress", &lb.ptr, 1);
    LLVMValueRef zero = LLVMConstNull(lb.i32);
    LLVMValueRef frame = LLVMBuildCall2(B, LLVMGlobalGetValueType(fa), fa, &zero, 1, "");
    LLVMValueRef limit = lb_tbaa(LLVMBuildLoad2(B, lb.ptr, lb_runtime_global("rpy_stack_limit", lb.ptr, true), ""), "rpy.stack_limit");
    LLVMBasicBlockRef cont, slow = branch_unlikely(LLVMBuildICmp(B, LLVMIntULT, frame, limit, ""), &cont);
    LLVMPositionBuilderAtEnd(B, slow);
    rcall("rpy_stack_overflow", 0, NULL);
    LLVMBuildRetVoid(B);
    LLVMPositionBuilderAtEnd(B, cont);
    LLVMBuildRetVoid(B);
}

static void gen_exc_occurred(const char *name)
{
    (void)name;
    LLVMValueRef exc = lb_tbaa(LLVMBuildLoad2(B, lb.ptr, lb_runtime_global("rpy_exc_value", lb.ptr, true), ""), "rpy.exc");
    LLVMBuildRet(B, LLVMBuildIsNotNull(B, exc, ""));
}

static const struct {
    const char *name;
    void (*gen)(const char *name);
} gens[] = {
    {"rpy_list_len", gen_list_len},
    {"rpy_dict_len", gen_dict_len},
    {"rpy_list_getitem", gen_list_getitem},
    {"rpy_list_setitem", gen_list_setitem},
    {"rpy_list_getitem_nocheck", gen_list_getitem_nocheck},
    {"rpy_list_getitem_or0", gen_list_getitem_or0},
    {"rpy_list_init_item", gen_list_init_item},
    {"rpy_list_append", gen_list_append},
    {"rpy_gc_wb", gen_gc_wb},
    {"rpy_malloc", gen_malloc},
    {"rpy_int_add_ovf", gen_ovf},
    {"rpy_int_sub_ovf", gen_ovf},
    {"rpy_int_mul_ovf", gen_ovf},
    {"rpy_int_neg_ovf", gen_neg_ovf},
    {"rpy_int_abs_ovf", gen_abs_ovf},
    {"rpy_int_floordiv", gen_divmod},
    {"rpy_int_mod", gen_divmod},
    {"rpy_int_max2", gen_minmax},
    {"rpy_int_min2", gen_minmax},
    {"rpy_float_max2", gen_minmax},
    {"rpy_float_min2", gen_minmax},
    {"rpy_range_has", gen_range_has},
    {"rpy_tid_in", gen_tid_in},
    {"rpy_check_not_none", gen_check_null},
    {"rpy_check_callable", gen_check_null},
    {"rpy_stack_check", gen_stack_check},
    {"rpy_exc_occurred", gen_exc_occurred},
};

LLVMValueRef lb_inline_fn(const char *name)
{
    if (!lb.inline_fast_paths)
        return NULL;
    const char *iname = sp_fmt("lb.%s", name);
    LLVMValueRef f = LLVMGetNamedFunction(lb.mod, iname);
    if (f)
        return f;
    for (size_t i = 0; i < sizeof gens / sizeof gens[0]; i++) {
        if (strcmp(gens[i].name, name) != 0)
            continue;
        const struct lb_proto *p = lb_abi_proto(name);
        if (!p)
            return NULL;
        LLVMTypeRef *pt = sp_alloc(sizeof(LLVMTypeRef) * (size_t)(p->nparams + 1));
        for (int k = 0; k < p->nparams; k++)
            pt[k] = lb_ctype(p->params[k]);
        LLVMTypeRef fnty = LLVMFunctionType(lb_ctype(p->ret), pt, (unsigned)p->nparams, 0);
        f = LLVMAddFunction(lb.mod, iname, fnty);
        LLVMSetLinkage(f, LLVMInternalLinkage);
        unsigned kind = LLVMGetEnumAttributeKindForName("alwaysinline", 12);
        LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(lb.ctx, kind, 0));
        lb_set_bool_attrs(f, false, fnty);
        if (!B)
            B = LLVMCreateBuilderInContext(lb.ctx);
        LLVMValueRef saved = F;
        F = f;
        LLVMPositionBuilderAtEnd(B, BB("entry"));
        gens[i].gen(name);
        F = saved;
        return f;
    }
    return NULL;
}

void lb_inline_finish(void)
{
    if (B)
        LLVMDisposeBuilder(B);
    B = NULL;
}
