/* func.c - one LLVM function per low-level graph, and main().
 *
 * Requires: final low-level graphs (no last_exception exitswitch left:
 * transforms/exceptions.c). A graph's blocks become basic blocks and
 * their input variables phi nodes; a link adds one incoming value per
 * non-Void input of its target. Two kinds of edges need care:
 *
 *  - The start block's inputs are the parameters. When links also lead
 *    into the start block, an entry block comes first and the start
 *    block's phis take the parameters from it.
 *  - A phi has one entry per predecessor block, so two links from one
 *    block to the same target (both arms of a bool switch, cases of an
 *    int switch) cannot both be direct: each goes through a block of its
 *    own that only branches (LLVM's CFG simplification merges them back
 *    when the values agree).
 *
 * The return block is a block with a phi and a `ret`; the except block
 * returns a zero (the exception is pending, the caller checks it, as in
 * the C backend). Functions are internal, with C's calling convention:
 * their addresses go into tables that the runtime calls through.
 */
#include <string.h>

#include "internal.h"

static struct lb_map graph_fns; /* fg_graph* -> LLVMValueRef */
static struct lb_map block_bbs; /* fg_block* -> LLVMBasicBlockRef (per function) */

static const char *sanitize(const char *s)
{
    struct sp_buf b = {0};
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        sp_buf_putc(&b, (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? (char)c : '_');
    }
    return sp_buf_cstr(&b);
}

LLVMValueRef lb_graph_fn(struct fg_graph *g)
{
    LLVMValueRef f = lb_map_getp(&graph_fns, g);
    if (f)
        return f;
    /* The C backend's names, so backtraces and symbols read alike. */
    const char *name = sp_fmt("f_%s_%d", sanitize(g->name), ((struct fg_value *)g->returnblock->inputargs.v[0])->id);
    LLVMTypeRef fnty = lb_graph_fntype(g);
    f = LLVMAddFunction(lb.mod, name, fnty);
    LLVMSetLinkage(f, LLVMInternalLinkage);
    lb_set_bool_attrs(f, false, fnty);
    unsigned kind = LLVMGetEnumAttributeKindForName("nounwind", 8);
    LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(lb.ctx, kind, 0));
    lb_map_putp(&graph_fns, g, f);
    return f;
}

void lb_bind(struct fg_value *var, LLVMValueRef v) { lb_map_putp(&lb.values, var, v); }

LLVMValueRef lb_value(struct fg_value *v)
{
    if (v->kind == FG_CONST)
        return lb_const(v);
    LLVMValueRef r = lb_map_getp(&lb.values, v);
    if (!r)
        sp_die("LLVM backend: %s used in %s before it is defined", fg_value_str(v), lb.graph->name);
    return r;
}

static LLVMBasicBlockRef bb_of(struct fg_block *b) { return lb_map_getp(&block_bbs, b); }

/* v converted to the LLVM type t (a link argument whose lltype differs
 * from its target's input, e.g. a None constant typed by another slot). */
static LLVMValueRef coerce(LLVMValueRef v, LLVMTypeRef t)
{
    if (LLVMTypeOf(v) == t)
        return v;
    enum lb_ckind k = t == lb.i1 ? LB_C_BOOL : t == lb.f64 ? LB_C_F64 : t == lb.ptr ? LB_C_PTR : LB_C_I64;
    return lb_convert_to_c(v, k);
}

/* The incoming values of link l into its target's phis, from block `from`
 * (the builder is in `from`, before its terminator). */
static void add_incoming(struct fg_link *l, LLVMBasicBlockRef from)
{
    struct fg_block *t = l->target;
    if (t->is_except)
        return;
    LLVMValueRef phi = LLVMGetFirstInstruction(bb_of(t));
    for (int i = 0; i < t->inputargs.n; i++) {
        struct fg_value *in = t->inputargs.v[i];
        if (lb_is_void(in))
            continue;
        LLVMValueRef v = coerce(lb_value(l->args.v[i]), LLVMTypeOf(phi));
        LLVMAddIncoming(phi, &v, &from, 1);
        phi = LLVMGetNextInstruction(phi);
    }
}

static bool is_duplicate(struct fg_block *b, struct fg_link *l)
{
    for (int i = 0; i < b->exits.n; i++) {
        struct fg_link *o = b->exits.v[i];
        if (o != l && o->target == l->target)
            return true;
    }
    return false;
}

/* Where a branch for link l goes: the target, or a block of its own. */
static LLVMBasicBlockRef edge(struct fg_block *b, struct fg_link *l, LLVMBasicBlockRef from)
{
    if (!is_duplicate(b, l)) {
        add_incoming(l, from);
        return bb_of(l->target);
    }
    LLVMBasicBlockRef here = LLVMGetInsertBlock(lb.b);
    LLVMBasicBlockRef e = LB_NEW_BB("edge");
    LLVMPositionBuilderAtEnd(lb.b, e);
    add_incoming(l, e);
    LLVMBuildBr(lb.b, bb_of(l->target));
    LLVMPositionBuilderAtEnd(lb.b, here);
    return e;
}

static void emit_exits(struct fg_block *b)
{
    LLVMBasicBlockRef from = LLVMGetInsertBlock(lb.b);
    if (!b->exitswitch) {
        LLVMBasicBlockRef to = edge(b, b->exits.v[0], from);
        LLVMBuildBr(lb.b, to);
        return;
    }
    if (b->exitswitch == fg_last_exception)
        sp_die("LLVM backend: %s: a last_exception switch is left (run the exception transform)", lb.graph->name);
    LLVMValueRef cond = lb_value(b->exitswitch);
    if (b->exitswitch->lltype->kind == LL_BOOL && b->exits.n == 2) {
        struct fg_link *t = b->exits.v[0], *f = b->exits.v[1];
        if (!t->exitcase->ival) {
            struct fg_link *x = t;
            t = f;
            f = x;
        }
        LLVMBasicBlockRef bt = edge(b, t, from), bf = edge(b, f, from);
        LLVMBuildCondBr(lb.b, cond, bt, bf);
        return;
    }
    struct fg_link *dflt = NULL;
    for (int i = 0; i < b->exits.n; i++)
        if (!((struct fg_link *)b->exits.v[i])->exitcase)
            dflt = b->exits.v[i];
    LLVMBasicBlockRef dbb;
    if (dflt) {
        dbb = edge(b, dflt, from);
    } else {
        LLVMBasicBlockRef here = LLVMGetInsertBlock(lb.b);
        dbb = LB_NEW_BB("nodefault");
        LLVMPositionBuilderAtEnd(lb.b, dbb);
        LLVMBuildUnreachable(lb.b);
        LLVMPositionBuilderAtEnd(lb.b, here);
    }
    struct sp_vec cases = {0};
    for (int i = 0; i < b->exits.n; i++) {
        struct fg_link *l = b->exits.v[i];
        if (l->exitcase)
            sp_vec_push(&cases, edge(b, l, from));
    }
    LLVMValueRef sw = LLVMBuildSwitch(lb.b, cond, dbb, (unsigned)cases.n);
    int k = 0;
    for (int i = 0; i < b->exits.n; i++) {
        struct fg_link *l = b->exits.v[i];
        if (l->exitcase)
            LLVMAddCase(sw, LLVMConstInt(LLVMTypeOf(cond), (unsigned long long)l->exitcase->ival, 1), cases.v[k++]);
    }
}

static void make_phis(struct fg_block *b)
{
    LLVMPositionBuilderAtEnd(lb.b, bb_of(b));
    for (int i = 0; i < b->inputargs.n; i++) {
        struct fg_value *in = b->inputargs.v[i];
        if (!lb_is_void(in))
            lb_bind(in, LLVMBuildPhi(lb.b, lb_type(in->lltype), ""));
    }
}

/* The return and except blocks: a ret each. */
static void emit_return_blocks(struct fg_graph *g)
{
    /* either may be missing from the graph's blocks: none reaches it */
    struct fg_value *ret = g->returnblock->inputargs.v[0];
    if (bb_of(g->returnblock)) {
        LLVMPositionBuilderAtEnd(lb.b, bb_of(g->returnblock));
        if (lb_is_void(ret))
            LLVMBuildRetVoid(lb.b);
        else
            LLVMBuildRet(lb.b, lb_value(ret));
    }
    if (bb_of(g->exceptblock)) {
        LLVMPositionBuilderAtEnd(lb.b, bb_of(g->exceptblock));
        if (lb_is_void(ret))
            LLVMBuildRetVoid(lb.b);
        else
            LLVMBuildRet(lb.b, LLVMConstNull(lb_type(ret->lltype)));
    }
}

/* A block that no link reaches (the return block of a graph that always
 * raises) keeps phis without entries, which the verifier rejects. */
static void drop_dead_phis(void)
{
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(lb.fn); bb; bb = LLVMGetNextBasicBlock(bb)) {
        LLVMValueRef i = LLVMGetFirstInstruction(bb);
        while (i && LLVMIsAPHINode(i)) {
            LLVMValueRef next = LLVMGetNextInstruction(i);
            if (LLVMCountIncoming(i) == 0) {
                LLVMReplaceAllUsesWith(i, LLVMGetUndef(LLVMTypeOf(i)));
                LLVMInstructionEraseFromParent(i);
            }
            i = next;
        }
    }
}

/* No exception is pending when a function starts: telling LLVM lets it
 * drop the checks after inlined fast paths that did not raise (the C
 * backend says the same with __builtin_unreachable). */
static void assume_no_exception(void)
{
    LLVMValueRef exc = lb_tbaa(LLVMBuildLoad2(lb.b, lb.ptr, lb_runtime_global("rpy_exc_value", lb.ptr, true), ""), "rpy.exc");
    LLVMValueRef fn = lb_intrinsic("llvm.assume", NULL, 0);
    LLVMValueRef none = LLVMBuildIsNull(lb.b, exc, "");
    LLVMBuildCall2(lb.b, LLVMGlobalGetValueType(fn), fn, &none, 1, "");
}

void lb_emit_function(struct fg_graph *g)
{
    struct sp_vec blocks = {0};
    fg_graph_blocks(g, &blocks);
    lb.fn = lb_graph_fn(g);
    lb.graph = g;
    lb_map_clear(&lb.values);
    lb_map_clear(&block_bbs);
    lb_debug_function(g, lb.fn);

    bool start_has_preds = false;
    for (int i = 0; i < blocks.n; i++) {
        struct fg_block *b = blocks.v[i];
        for (int k = 0; k < b->exits.n; k++)
            if (((struct fg_link *)b->exits.v[k])->target == g->startblock)
                start_has_preds = true;
    }
    LLVMBasicBlockRef entry = LB_NEW_BB("entry");
    for (int i = 0; i < blocks.n; i++) {
        struct fg_block *b = blocks.v[i];
        lb_map_putp(&block_bbs, b, LB_NEW_BB(b->is_return ? "return" : b->is_except ? "except" : sp_fmt("block%d", b->id)));
    }
    for (int i = 0; i < blocks.n; i++) {
        struct fg_block *b = blocks.v[i];
        if ((b != g->startblock || start_has_preds) && !b->is_except)
            make_phis(b);
    }

    LLVMPositionBuilderAtEnd(lb.b, entry);
    lb_debug_position(g->pos);
    unsigned k = 0;
    LLVMValueRef phi = start_has_preds ? LLVMGetFirstInstruction(bb_of(g->startblock)) : NULL;
    for (int i = 0; i < g->startblock->inputargs.n; i++) {
        struct fg_value *p = g->startblock->inputargs.v[i];
        if (lb_is_void(p))
            continue;
        LLVMValueRef param = LLVMGetParam(lb.fn, k++);
        if (phi) {
            LLVMAddIncoming(phi, &param, &entry, 1);
            phi = LLVMGetNextInstruction(phi);
        } else {
            lb_bind(p, param);
        }
    }
    assume_no_exception();
    LLVMBuildBr(lb.b, bb_of(g->startblock));

    for (int i = 0; i < blocks.n; i++) {
        struct fg_block *b = blocks.v[i];
        if (b->is_return || b->is_except)
            continue;
        LLVMPositionBuilderAtEnd(lb.b, bb_of(b));
        for (int j = 0; j < b->ops.n; j++) {
            struct fg_op *op = b->ops.v[j];
            lb_debug_position(op->pos);
            lb_emit_op(op);
        }
        emit_exits(b);
    }
    emit_return_blocks(g);
    drop_dead_phis();
}

void lb_emit_main(struct rt_program *prog)
{
    LLVMTypeRef params[2] = {lb.i32, LLVMPointerType(lb.ptr, 0)};
    LLVMValueRef fn = LLVMAddFunction(lb.mod, "main", LLVMFunctionType(lb.i32, params, 2, 0));
    lb.fn = fn;
    if (lb.di)
        LLVMSetCurrentDebugLocation2(lb.b, NULL);
    LLVMPositionBuilderAtEnd(lb.b, LB_NEW_BB("entry"));
    LLVMValueRef args[2] = {LLVMGetParam(fn, 0), LLVMGetParam(fn, 1)};
    lb_call_runtime("rpy_startup", 2, args, NULL);
    lb_call_runtime("rpy_stack_init", 0, NULL, NULL);
    LLVMValueRef excp = lb_runtime_global("rpy_exc_value", lb.ptr, true);
    for (int i = 0; i < prog->entry.n; i++) {
        LLVMValueRef f = lb_graph_fn(prog->entry.v[i]);
        if (prog->stackless) { /* the scheduler runs it (as in emit_c.c) */
            LLVMValueRef fp = LLVMConstBitCast(f, lb.ptr);
            lb_call_runtime("rpy_sl_run_entry", 1, &fp, NULL);
        } else {
            LLVMBuildCall2(lb.b, LLVMGlobalGetValueType(f), f, NULL, 0, "");
        }
        LLVMValueRef raised = LLVMBuildIsNotNull(lb.b, LLVMBuildLoad2(lb.b, lb.ptr, excp, ""), "");
        LLVMBasicBlockRef report = LB_NEW_BB("uncaught"), next = LB_NEW_BB("next");
        LLVMBuildCondBr(lb.b, raised, report, next);
        LLVMPositionBuilderAtEnd(lb.b, report);
        lb_call_runtime("rpy_report_uncaught", 0, NULL, NULL);
        LLVMBuildUnreachable(lb.b);
        LLVMPositionBuilderAtEnd(lb.b, next);
    }
    LLVMValueRef zero = LLVMConstNull(lb.i32);
    lb_call_runtime("rpy_exit", 1, &zero, NULL);
    LLVMBuildUnreachable(lb.b);
}
