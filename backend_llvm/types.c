/* types.c - low-level types as LLVM types.
 *
 * A GcStruct is a named LLVM struct laid out as the C backend's struct:
 * the parent struct (or struct rpy_hdr for a root) first, then the own
 * fields that are not Void, in order, with C's natural alignment (LLVM's
 * default struct layout for the host's data layout is C's). So offsets,
 * sizes and the typeinfos built from them agree with the C build, and the
 * runtime, compiled as C, reads the same memory.
 */
#include <string.h>

#include "internal.h"

static struct lb_map structs; /* lltype* -> LLVMTypeRef */

bool lb_is_void(const struct fg_value *v) { return !v->lltype || v->lltype->kind == LL_VOID; }

LLVMTypeRef lb_type(struct lltype *t)
{
    if (!t)
        return lb.voidt;
    switch (t->kind) {
    case LL_VOID: return lb.voidt;
    case LL_SIGNED: case LL_WORD: return lb.i64;
    case LL_FLOAT: return lb.f64;
    case LL_BOOL: return lb.i1;
    case LL_TIPTR: case LL_PTR: return lb.ptr;
    }
    return lb.i64;
}

LLVMTypeRef lb_mem_type(struct lltype *t) { return t->kind == LL_BOOL ? lb.i8 : lb_type(t); }

LLVMTypeRef lb_struct_type(struct lltype *t)
{
    LLVMTypeRef st = lb_map_getp(&structs, t);
    if (st)
        return st;
    st = LLVMStructCreateNamed(lb.ctx, t->sname);
    lb_map_putp(&structs, t, st);
    struct sp_vec elems = {0};
    sp_vec_push(&elems, t->parent ? lb_struct_type(t->parent) : lb.hdr);
    for (int i = 0; i < t->fields.n; i++) {
        struct ll_field *f = t->fields.v[i];
        if (f->type->kind != LL_VOID)
            sp_vec_push(&elems, lb_mem_type(f->type));
    }
    LLVMStructSetBody(st, (LLVMTypeRef *)elems.v, (unsigned)elems.n, 0);
    return st;
}

unsigned lb_field_index(struct lltype *owner, const char *name, struct lltype **ftype)
{
    unsigned idx = 1;
    for (int i = 0; i < owner->fields.n; i++) {
        struct ll_field *f = owner->fields.v[i];
        if (f->type->kind == LL_VOID)
            continue;
        if (strcmp(f->name, name) == 0) {
            *ftype = f->type;
            return idx;
        }
        idx++;
    }
    sp_die("LLVM backend: struct %s has no field %s", owner->sname, name);
}

LLVMTypeRef lb_graph_fntype(struct fg_graph *g)
{
    struct sp_vec params = {0};
    for (int i = 0; i < g->startblock->inputargs.n; i++) {
        struct fg_value *p = g->startblock->inputargs.v[i];
        if (!lb_is_void(p))
            sp_vec_push(&params, lb_type(p->lltype));
    }
    struct fg_value *ret = g->returnblock->inputargs.v[0];
    return LLVMFunctionType(lb_type(lb_is_void(ret) ? NULL : ret->lltype), (LLVMTypeRef *)params.v,
                            (unsigned)params.n, 0);
}

/* The signature a vcall or indirect_call site sees: its non-Void args. */
LLVMTypeRef lb_call_fntype(struct fg_value *result, struct fg_value **args, int nargs)
{
    struct sp_vec params = {0};
    for (int i = 0; i < nargs; i++)
        if (!lb_is_void(args[i]))
            sp_vec_push(&params, lb_type(args[i]->lltype));
    return LLVMFunctionType(lb_type(lb_is_void(result) ? NULL : result->lltype), (LLVMTypeRef *)params.v,
                            (unsigned)params.n, 0);
}

LLVMValueRef lb_cast_ptr(LLVMValueRef p, LLVMTypeRef pointee)
{
    return LLVMBuildBitCast(lb.b, p, LLVMPointerType(pointee, 0), "");
}

/* tag NULL: no TBAA tag (may alias anything) */
LLVMValueRef lb_load(LLVMTypeRef memty, LLVMValueRef addr, struct lltype *t, const char *tag)
{
    LLVMValueRef v = LLVMBuildLoad2(lb.b, memty, addr, "");
    if (tag)
        lb_tbaa(v, tag);
    if (t && t->kind == LL_BOOL)
        v = LLVMBuildICmp(lb.b, LLVMIntNE, v, LLVMConstNull(lb.i8), "");
    return v;
}

void lb_store(LLVMValueRef v, LLVMValueRef addr, struct lltype *t, const char *tag)
{
    if (t && t->kind == LL_BOOL && LLVMTypeOf(v) == lb.i1)
        v = LLVMBuildZExt(lb.b, v, lb.i8, "");
    LLVMValueRef s = LLVMBuildStore(lb.b, v, addr);
    if (tag)
        lb_tbaa(s, tag);
}

/* ---- type-based alias analysis ----
 * What GCC knows from C's types under strict aliasing (the C backend does
 * not turn it off), said to LLVM with TBAA tags: a store to a list item
 * (a word) cannot change a list's length, a field of another name, the
 * thread's exception or the shadow stack pointer, so loads of those are
 * not redone after it (in particular the exception check after an
 * inlined list store). A tag is a scalar type under one root; the rule
 * that makes this sound is that every memory location is only ever
 * accessed, in the module, under one tag: each program field has its
 * own (owner struct and name), each runtime slot kind its own. Memory
 * the runtime's C code touches is reached only through calls, which
 * LLVM treats as clobbering everything. */
static struct lb_map tbaa_tags;
static LLVMMetadataRef root;
static unsigned kind;

LLVMValueRef lb_tbaa(LLVMValueRef inst, const char *tag)
{
    if (!root) {
        LLVMMetadataRef name = LLVMMDStringInContext2(lb.ctx, "rpy tbaa", 8);
        root = LLVMMDNodeInContext2(lb.ctx, &name, 1);
        kind = LLVMGetMDKindIDInContext(lb.ctx, "tbaa", 4);
    }
    LLVMMetadataRef access = lb_map_get(&tbaa_tags, tag, strlen(tag));
    if (!access) {
        LLVMMetadataRef zero = LLVMValueAsMetadata(LLVMConstNull(lb.i64));
        LLVMMetadataRef tnode[3] = {LLVMMDStringInContext2(lb.ctx, tag, strlen(tag)), root, zero};
        LLVMMetadataRef type = LLVMMDNodeInContext2(lb.ctx, tnode, 3);
        LLVMMetadataRef anode[3] = {type, type, zero};
        access = LLVMMDNodeInContext2(lb.ctx, anode, 3);
        lb_map_put(&tbaa_tags, tag, strlen(tag), access);
    }
    LLVMSetMetadata(inst, kind, LLVMMetadataAsValue(lb.ctx, access));
    return inst;
}

void lb_types_reset(void)
{
    lb_map_clear(&tbaa_tags);
    lb_map_clear(&structs);
    root = NULL;
}
