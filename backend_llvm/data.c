/* data.c - the program's static data as LLVM globals, the same objects
 * the C backend writes as initialisers (backend_c/emit_c.c), under the
 * same symbol names:
 *
 *   rpy_ti_N        a typeinfo per program type (external: the C build's are)
 *   rpy_typetable, rpy_ntypes, rpy_exc_tids, rpy_gc_global_roots,
 *   rpy_gc_prebuilt_objects
 *                   the tables the runtime reads (external)
 *   rpy_ciN         classinfos: name, flags and special-method wrappers
 *   rpy_vtN/rpy_ctN tid tables: methods / class attributes by type id
 *   rpy_sN          prebuilt strs (writable: the runtime caches hashes)
 *   rpy_pfN         prebuilt function objects
 *   rpy_tbN         traceback locations
 *   program globals zero-initialised, internal
 *
 * rpyrt.h is included for its constants and struct sizes, so kinds, flags
 * and the sizes in typeinfos are the runtime's own; the layouts of the
 * runtime structs written here are checked against it when the module is
 * set up (build.c).
 */
#include <string.h>

#include "../runtime/rpyrt.h"
#include "internal.h"

static struct lb_map strs, cstrs, tblocs;
static int nstrs, ntblocs;

static LLVMValueRef as_ptr(LLVMValueRef c) { return LLVMConstBitCast(c, lb.ptr); }
static LLVMValueRef u32(uint32_t v) { return LLVMConstInt(lb.i32, v, 0); }
static LLVMValueRef null_ptr(void) { return LLVMConstNull(lb.ptr); }

/* A NUL-terminated C string constant, as i8*. */
static LLVMValueRef cstring(const char *s)
{
    LLVMValueRef g = lb_map_get(&cstrs, s, strlen(s));
    if (g)
        return g;
    LLVMValueRef init = LLVMConstStringInContext(lb.ctx, s, (unsigned)strlen(s), 0);
    LLVMValueRef gv = LLVMAddGlobal(lb.mod, LLVMTypeOf(init), ".str");
    LLVMSetInitializer(gv, init);
    LLVMSetGlobalConstant(gv, 1);
    LLVMSetLinkage(gv, LLVMPrivateLinkage);
    LLVMSetUnnamedAddress(gv, LLVMGlobalUnnamedAddr);
    g = as_ptr(gv);
    lb_map_put(&cstrs, s, strlen(s), g);
    return g;
}

static LLVMValueRef internal_global(LLVMTypeRef t, const char *name, LLVMValueRef init, bool constant)
{
    LLVMValueRef g = LLVMGetNamedGlobal(lb.mod, name);
    if (!g)
        g = LLVMAddGlobal(lb.mod, t, name);
    if (init)
        LLVMSetInitializer(g, init);
    LLVMSetGlobalConstant(g, constant);
    LLVMSetLinkage(g, LLVMInternalLinkage);
    return g;
}

static LLVMValueRef const_array(LLVMTypeRef elem, struct sp_vec *items, const char *name, bool external)
{
    LLVMValueRef init = LLVMConstArray(elem, (LLVMValueRef *)items->v, (unsigned)items->n);
    LLVMValueRef g = LLVMAddGlobal(lb.mod, LLVMTypeOf(init), name);
    LLVMSetInitializer(g, init);
    LLVMSetGlobalConstant(g, 1);
    LLVMSetLinkage(g, external ? LLVMExternalLinkage : LLVMInternalLinkage);
    return g;
}

/* ---- references ---- */

LLVMValueRef lb_typeinfo_ref(struct lltype *t)
{
    if (!t || !t->tiname)
        return null_ptr();
    LLVMValueRef g = LLVMGetNamedGlobal(lb.mod, t->tiname);
    if (!g) { /* the runtime's (rpy_ti_int, rpy_ti_str ...) */
        g = LLVMAddGlobal(lb.mod, lb.ti_type, t->tiname);
        LLVMSetGlobalConstant(g, 1);
    }
    return as_ptr(g);
}

static LLVMValueRef classinfo_ref(int tid)
{
    const char *name = sp_fmt("rpy_ci%d", tid);
    LLVMValueRef g = LLVMGetNamedGlobal(lb.mod, name);
    if (!g)
        g = internal_global(lb.ci_type, name, NULL, true);
    return as_ptr(g);
}

static int64_t utf8_length(const char *s, size_t n)
{
    int64_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += ((unsigned char)s[i] & 0xC0) != 0x80;
    return len;
}

LLVMValueRef lb_str_const(struct fg_value *c)
{
    LLVMValueRef g = lb_map_get(&strs, c->str, c->len);
    if (g)
        return g;
    LLVMValueRef hdr[2] = {u32(RPY_TID_STR), u32(RPY_GC_PREBUILT)};
    LLVMValueRef fields[5] = {
        LLVMConstNamedStruct(lb.hdr, hdr, 2),
        lb_cint(lb.i64, -1),
        lb_cint(lb.i64, utf8_length(c->str, c->len)),
        lb_cint(lb.i64, (int64_t)c->len),
        LLVMConstStringInContext(lb.ctx, c->str, (unsigned)c->len, 0), /* with its NUL */
    };
    LLVMValueRef init = LLVMConstStructInContext(lb.ctx, fields, 5, 0);
    LLVMValueRef gv = internal_global(LLVMTypeOf(init), sp_fmt("rpy_s%d", nstrs++), init, false);
    LLVMSetAlignment(gv, 8);
    g = as_ptr(gv);
    lb_map_put(&strs, c->str, c->len, g);
    return g;
}

LLVMValueRef lb_tbloc(struct fg_tbloc *loc)
{
    struct {
        const char *file;
        int line;
    } key = {loc->pos.file, loc->pos.line};
    struct sp_buf k = {0};
    sp_buf_putn(&k, (const char *)&key, sizeof key);
    sp_buf_puts(&k, loc->func);
    LLVMValueRef g = lb_map_get(&tblocs, sp_buf_cstr(&k), k.len);
    if (g)
        return g;
    LLVMValueRef f[3] = {cstring(loc->pos.file ? loc->pos.file : "?"), cstring(loc->func), u32((uint32_t)loc->pos.line)};
    g = as_ptr(internal_global(lb.tb_type, sp_fmt("rpy_tb%d", ntblocs++), LLVMConstNamedStruct(lb.tb_type, f, 3), true));
    lb_map_put(&tblocs, sp_buf_cstr(&k), k.len, g);
    return g;
}

LLVMValueRef lb_global_slot(struct fg_value *slot, struct lltype **type)
{
    struct rt_global *rg = slot->obj;
    *type = rg->type;
    return LLVMGetNamedGlobal(lb.mod, rg->cname);
}

LLVMValueRef lb_prebuilt_func(struct rt_prebuilt_func *pf)
{
    return as_ptr(LLVMGetNamedGlobal(lb.mod, sp_fmt("rpy_pf%d", pf->id)));
}

LLVMValueRef lb_tidtable(struct rt_tidtable *tab)
{
    return LLVMGetNamedGlobal(lb.mod, sp_fmt(tab->is_method ? "rpy_vt%d" : "rpy_ct%d", tab->id));
}

static LLVMValueRef fn_ptr(struct fg_graph *g) { return g ? as_ptr(lb_graph_fn(g)) : null_ptr(); }

/* A routine of the runtime used as a value: its address. */
static LLVMValueRef extfunc_ptr(struct fg_extfunc *ef)
{
    const struct lb_proto *p = lb_abi_proto(ef->cname);
    static const struct lb_proto none = {LB_C_VOID, 0, NULL, false, false, false};
    return as_ptr(lb_abi_declare(ef->cname, p && !p->is_inline ? p : &none));
}

LLVMValueRef lb_const(struct fg_value *v)
{
    struct lltype *t = v->lltype;
    if (!t || t->kind == LL_VOID)
        return NULL;
    LLVMTypeRef ty = lb_type(t);
    LLVMValueRef r = NULL;
    switch (v->ckind) {
    case FG_C_INT:
    case FG_C_BOOL:
        if (t->kind == LL_FLOAT)
            return LLVMConstReal(ty, (double)v->ival);
        if (t->kind == LL_BOOL)
            return LLVMConstInt(ty, v->ival != 0, 0);
        if (t->kind == LL_PTR || t->kind == LL_TIPTR)
            return LLVMConstIntToPtr(lb_cint(lb.i64, v->ival), ty);
        return lb_cint(ty, v->ival);
    case FG_C_FLOAT:
        if (t->kind == LL_FLOAT)
            return LLVMConstReal(ty, v->fval);
        return lb_cint(ty, (int64_t)v->fval);
    case FG_C_STR: r = lb_str_const(v); break;
    case FG_C_NONE:
    case FG_C_UNDEFINED: return LLVMConstNull(ty);
    case FG_C_LLTYPE: r = lb_typeinfo_ref(v->obj); break;
    case FG_C_GRAPH: r = fn_ptr(v->obj); break;
    case FG_C_EXTFUNC: r = extfunc_ptr(v->obj); break;
    case FG_C_OTHER:
        for (int i = 0; i < lb.prog->prebuilt_funcs.n; i++)
            if (lb.prog->prebuilt_funcs.v[i] == v->obj)
                r = lb_prebuilt_func(v->obj);
        if (r)
            break;
        /* fall through */
    default: sp_die("LLVM backend: constant %s of type %s", fg_value_str(v), ll_describe(t));
    }
    /* r is a pointer */
    if (ty == lb.i64)
        return LLVMConstPtrToInt(r, lb.i64);
    return r;
}

LLVMValueRef lb_const_mem(struct fg_value *c, struct lltype *t)
{
    LLVMValueRef v = lb_const(c);
    if (!v)
        return LLVMConstNull(lb_mem_type(t));
    if (t->kind == LL_BOOL)
        return LLVMConstZExt(v, lb.i8);
    return v;
}

/* ---- typeinfos and the type table ---- */

static uint32_t kind_of(struct lltype *t)
{
    switch (t->gc) {
    case LLG_STR: return RPY_K_STR;
    case LLG_FILE: case LLG_GCREF: return RPY_K_ITER;
    case LLG_LIST: return RPY_K_LIST;
    case LLG_DICT: return RPY_K_DICT;
    case LLG_SET: return RPY_K_SET;
    case LLG_TUPLE: return RPY_K_TUPLE;
    case LLG_STRUCT: return t->is_instance ? RPY_K_INSTANCE : RPY_K_ITER;
    }
    return RPY_K_NONE;
}

static void typeinfo_init(struct lltype *t)
{
    uint64_t size = 0;
    uint32_t nitems = 0;
    LLVMValueRef items = null_ptr(), offsets = null_ptr(), fields = null_ptr();
    if (t->gc == LLG_TUPLE) {
        nitems = (uint32_t)t->nitems;
        size = sizeof(struct rpy_tuple) + (uint64_t)nitems * sizeof(rpy_word);
        struct sp_vec v = {0};
        for (int i = 0; i < t->nitems; i++)
            sp_vec_push(&v, lb_typeinfo_ref(t->items[i]));
        items = as_ptr(const_array(lb.ptr, &v, sp_fmt("%s_items", t->tiname), false));
    } else if (t->gc == LLG_STRUCT) {
        size = LLVMABISizeOfType(lb.td, lb_struct_type(t));
        struct sp_vec offs = {0}, types = {0};
        for (struct lltype *s = t; s; s = s->parent) {
            /* a parent is at offset 0 of its child: offsets within s are within t */
            unsigned idx = 1;
            for (int i = 0; i < s->fields.n; i++) {
                struct ll_field *f = s->fields.v[i];
                if (f->type->kind == LL_VOID)
                    continue;
                sp_vec_push(&offs, u32((uint32_t)LLVMOffsetOfElement(lb.td, lb_struct_type(s), idx++)));
                sp_vec_push(&types, lb_typeinfo_ref(f->type));
                nitems++;
            }
        }
        if (nitems) {
            offsets = as_ptr(const_array(lb.i32, &offs, sp_fmt("%s_offsets", t->tiname), false));
            fields = as_ptr(const_array(lb.ptr, &types, sp_fmt("%s_fields", t->tiname), false));
        }
    } else if (t->gc == LLG_LIST) {
        size = t->is_deque ? sizeof(struct rpy_deque) : sizeof(struct rpy_list);
    } else if (t->gc == LLG_DICT) {
        size = sizeof(struct rpy_dict);
    } else if (t->gc == LLG_SET) {
        size = sizeof(struct rpy_set);
    }
    uint32_t flags = t->is_deque ? RPY_TI_DEQUE : t->is_mixed_list ? RPY_TI_MIXED_LIST : t->is_tuple_list ? RPY_TI_TUPLE : 0;
    LLVMValueRef f[12] = {
        u32(kind_of(t)), u32((uint32_t)t->tid), u32((uint32_t)size), u32(nitems),
        cstring(t->pyname), lb_typeinfo_ref(t->item), lb_typeinfo_ref(t->value), items, offsets, fields,
        t->is_instance ? classinfo_ref(t->tid) : null_ptr(), u32(flags),
    };
    LLVMValueRef g = LLVMGetNamedGlobal(lb.mod, t->tiname);
    LLVMSetInitializer(g, LLVMConstNamedStruct(lb.ti_type, f, 12));
    LLVMSetGlobalConstant(g, 1);
}

static void emit_types(void)
{
    struct sp_vec types = {0};
    ll_all_types(&types);
    int maxtid = RPY_TID_FIRST_PROGRAM - 1;
    /* declared first: typeinfos point at each other */
    for (int i = 0; i < types.n; i++) {
        struct lltype *t = types.v[i];
        if (!ll_is_runtime_type(t)) {
            LLVMAddGlobal(lb.mod, lb.ti_type, t->tiname);
            if (t->tid > maxtid)
                maxtid = t->tid;
        }
    }
    for (int i = 0; i < types.n; i++)
        if (!ll_is_runtime_type(types.v[i]))
            typeinfo_init(types.v[i]);
    struct sp_vec table = {0};
    for (int tid = 0; tid <= maxtid; tid++)
        sp_vec_push(&table, null_ptr());
    table.v[RPY_TID_STR] = lb_typeinfo_ref(ll_str());
    LLVMValueRef raw = LLVMAddGlobal(lb.mod, lb.ti_type, "rpy_ti_array_raw");
    LLVMValueRef gc = LLVMAddGlobal(lb.mod, lb.ti_type, "rpy_ti_array_gc");
    LLVMSetGlobalConstant(raw, 1);
    LLVMSetGlobalConstant(gc, 1);
    table.v[RPY_TID_ARRAY_RAW] = as_ptr(raw);
    table.v[RPY_TID_ARRAY_GC] = as_ptr(gc);
    for (int i = 0; i < types.n; i++) {
        struct lltype *t = types.v[i];
        if (t->gc != LLG_STR && t->gc != LLG_GCREF && t->tid >= RPY_TID_FILE)
            table.v[t->tid] = lb_typeinfo_ref(t);
    }
    const_array(lb.ptr, &table, "rpy_typetable", true);
    LLVMValueRef n = LLVMAddGlobal(lb.mod, lb.i32, "rpy_ntypes");
    LLVMSetInitializer(n, u32((uint32_t)maxtid + 1));
    LLVMSetGlobalConstant(n, 1);
}

/* ---- globals, function objects, tables ---- */

static void emit_globals(struct rt_program *prog)
{
    struct sp_vec roots = {0};
    for (int i = 0; i < prog->globals.n; i++) {
        struct rt_global *g = prog->globals.v[i];
        if (g->type->kind == LL_VOID)
            continue;
        LLVMTypeRef t = lb_mem_type(g->type);
        LLVMValueRef gv = internal_global(t, g->cname, LLVMConstNull(t), false);
        if (g->type->kind == LL_PTR)
            sp_vec_push(&roots, as_ptr(gv));
    }
    sp_vec_push(&roots, null_ptr());
    const_array(lb.ptr, &roots, "rpy_gc_global_roots", true);
    struct sp_vec none = {0};
    sp_vec_push(&none, null_ptr());
    const_array(lb.ptr, &none, "rpy_gc_prebuilt_objects", true);

    struct sp_vec tids = {0};
    for (int i = 0; i < RPY_EXC_COUNT; i++)
        sp_vec_push(&tids, u32(i < 64 && prog->exc_types[i] ? (uint32_t)prog->exc_types[i]->tid : 0));
    /* as C's initialiser: the entries after the first missing one stay 0 */
    for (int i = 0; i < RPY_EXC_COUNT; i++)
        if (!prog->exc_types[i]) {
            for (int k = i; k < RPY_EXC_COUNT; k++)
                tids.v[k] = u32(0);
            break;
        }
    const_array(lb.i32, &tids, "rpy_exc_tids", true);
}

static void emit_prebuilt_funcs(struct rt_program *prog)
{
    struct lltype *t = rt_funcobj_type();
    LLVMTypeRef st = lb_struct_type(t);
    for (int i = 0; i < prog->prebuilt_funcs.n; i++) {
        struct rt_prebuilt_func *pf = prog->prebuilt_funcs.v[i];
        struct sp_vec f = {0};
        LLVMValueRef hdr[2] = {u32((uint32_t)t->tid), u32(RPY_GC_PREBUILT)};
        sp_vec_push(&f, LLVMConstNamedStruct(lb.hdr, hdr, 2));
        for (int k = 0; k < t->fields.n; k++) {
            struct ll_field *fd = t->fields.v[k];
            if (fd->type->kind == LL_VOID)
                continue;
            if (strcmp(fd->name, "fn") == 0)
                sp_vec_push(&f, LLVMConstPtrToInt(fn_ptr(pf->adapter), lb.i64));
            else
                sp_vec_push(&f, LLVMConstNull(lb_mem_type(fd->type)));
        }
        LLVMValueRef gv = internal_global(st, sp_fmt("rpy_pf%d", pf->id),
                                          LLVMConstNamedStruct(st, (LLVMValueRef *)f.v, (unsigned)f.n), false);
        LLVMSetAlignment(gv, 8);
    }
}

static void emit_tidtables(struct rt_program *prog)
{
    for (int i = 0; i < prog->tidtables.n; i++) {
        struct rt_tidtable *tab = prog->tidtables.v[i];
        int n = tab->hi - tab->lo + 1;
        struct sp_vec items = {0};
        if (tab->is_method) {
            for (int k = 0; k < n; k++)
                sp_vec_push(&items, tab->entries[k] ? fn_ptr(tab->entries[k]->obj) : null_ptr());
            const_array(lb.ptr, &items, sp_fmt("rpy_vt%d", tab->id), false);
            continue;
        }
        struct lltype *t = NULL;
        for (int k = 0; k < n && !t; k++)
            if (tab->entries[k])
                t = tab->entries[k]->lltype;
        if (!t)
            t = &ll_signed;
        for (int k = 0; k < n; k++)
            sp_vec_push(&items, tab->entries[k] ? lb_const_mem(tab->entries[k], t) : LLVMConstNull(lb_mem_type(t)));
        const_array(lb_mem_type(t), &items, sp_fmt("rpy_ct%d", tab->id), false);
    }
}

static void emit_classinfos(struct rt_program *prog)
{
    for (int i = 0; i < prog->classes.n; i++) {
        struct rt_classinfo *ci = prog->classes.v[i];
        uint32_t flags = (ci->type->is_exception ? RPY_CLS_EXCEPTION : 0) | (ci->unhashable ? RPY_CLS_UNHASHABLE : 0) |
                         (ci->keyerror ? RPY_CLS_KEYERROR : 0);
        LLVMValueRef f[13] = {
            cstring(ci->type->qualname ? ci->type->qualname : ci->type->pyname), u32(flags),
            fn_ptr(ci->str), fn_ptr(ci->repr), fn_ptr(ci->eq), fn_ptr(ci->ne), fn_ptr(ci->lt), fn_ptr(ci->le),
            fn_ptr(ci->gt), fn_ptr(ci->ge), fn_ptr(ci->hash), fn_ptr(ci->bool_), fn_ptr(ci->len),
        };
        classinfo_ref(ci->type->tid);
        LLVMSetInitializer(LLVMGetNamedGlobal(lb.mod, sp_fmt("rpy_ci%d", ci->type->tid)),
                           LLVMConstNamedStruct(lb.ci_type, f, 13));
    }
}

void lb_emit_data(struct rt_program *prog)
{
    emit_types();
    emit_globals(prog);
    emit_prebuilt_funcs(prog);
    emit_tidtables(prog);
}

void lb_emit_data_late(struct rt_program *prog)
{
    emit_classinfos(prog);
}
