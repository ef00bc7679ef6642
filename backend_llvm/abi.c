/* abi.c - calling the runtime exactly as C code including rpyrt.h would.
 *
 * The low-level graphs name runtime routines by their C symbol and type
 * their arguments and results with lltypes, which need not be the C
 * prototype's types: the C backend relies on C's implicit conversions (a
 * routine returning `int` read as rpy_int, a bool passed where rpy_int is
 * expected). To do the same, the prototypes are read from the very
 * rpyrt.h that the C backend compiles against (found beside librpyrt.a),
 * so the two backends cannot drift apart: each argument is converted to
 * its parameter's C type and the result back to the lltype, as C would.
 *
 * The reader handles what rpyrt.h contains: declarations and inline
 * definitions of functions at file scope, with scalar, enum and pointer
 * types; comments, preprocessor lines, struct bodies and attributes are
 * skipped. A routine it does not know is called with the call site's own
 * types.
 *
 * Inline routines (RPY_INLINE) have no symbol: a call runs inline.c's IR
 * version when there is one, else the out-of-line twin `NAME_x`
 * (runtime/inline_x.c, runtime/llvm_abi.c).
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

static struct lb_map protos; /* name -> struct lb_proto* */

/* ---- a tiny C tokenizer ---- */

struct tok {
    const char *s;
    size_t n;
};

static bool is_ident_char(char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
static bool tok_is(const struct tok *t, const char *s) { return t->n == strlen(s) && memcmp(t->s, s, t->n) == 0; }
static bool tok_ident(const struct tok *t) { return is_ident_char(t->s[0]) && !(t->s[0] >= '0' && t->s[0] <= '9'); }

/* Comments, strings, preprocessor lines (with continuations) removed. */
static void tokenize(const char *src, struct sp_vec *out)
{
    const char *p = src;
    bool line_start = true;
    while (*p) {
        if (line_start) {
            const char *q = p;
            while (*q == ' ' || *q == '\t')
                q++;
            if (*q == '#') {
                while (*q && !(*q == '\n' && q[-1] != '\\'))
                    q++;
                p = q;
                continue;
            }
        }
        line_start = false;
        if (*p == '\n') {
            line_start = true;
            p++;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            p = e ? e + 2 : p + strlen(p);
        } else if (p[0] == '/' && p[1] == '/') {
            while (*p && *p != '\n')
                p++;
        } else if (*p == '"' || *p == '\'') {
            char q = *p++;
            while (*p && *p != q)
                p += (*p == '\\' && p[1]) ? 2 : 1;
            if (*p)
                p++;
        } else if (*p == ' ' || *p == '\t' || *p == '\r') {
            p++;
        } else {
            struct tok *t = SP_NEW(struct tok);
            t->s = p;
            if (is_ident_char(*p)) {
                while (is_ident_char(*p))
                    p++;
            } else if (p[0] == '.' && p[1] == '.' && p[2] == '.') {
                p += 3;
            } else {
                p++;
            }
            t->n = (size_t)(p - t->s);
            sp_vec_push(out, t);
        }
    }
}

/* ---- types ---- */

static bool is_qualifier(const struct tok *t)
{
    static const char *const q[] = {"const", "static", "inline", "extern", "_Noreturn", "RPY_INLINE", "volatile",
                                    "restrict", "__inline__", "__restrict", "register"};
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
        if (tok_is(t, q[i]))
            return true;
    return false;
}

/* The C kind of the type spelled by toks[lo, hi) (a parameter's name, if
 * any, included: it is ignored). */
static enum lb_ckind type_kind(struct tok **toks, int lo, int hi)
{
    for (int i = lo; i < hi; i++)
        if (tok_is(toks[i], "*") || tok_is(toks[i], "[") || tok_is(toks[i], "("))
            return LB_C_PTR;
    for (int i = lo; i < hi; i++) {
        struct tok *t = toks[i];
        if (is_qualifier(t))
            continue;
        static const struct {
            const char *name;
            enum lb_ckind kind;
        } names[] = {
            {"void", LB_C_VOID},      {"rpy_int", LB_C_I64},  {"int64_t", LB_C_I64}, {"long", LB_C_I64},
            {"ssize_t", LB_C_I64},    {"intptr_t", LB_C_I64}, {"rpy_word", LB_C_U64}, {"uint64_t", LB_C_U64},
            {"size_t", LB_C_U64},     {"uintptr_t", LB_C_U64}, {"int", LB_C_I32},    {"int32_t", LB_C_I32},
            {"enum", LB_C_I32},       {"uint32_t", LB_C_U32}, {"unsigned", LB_C_U32}, {"char", LB_C_I8},
            {"rpy_bool", LB_C_BOOL},  {"bool", LB_C_BOOL},    {"_Bool", LB_C_BOOL},  {"rpy_float", LB_C_F64},
            {"double", LB_C_F64},
        };
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
            if (tok_is(t, names[k].name))
                return names[k].kind;
        return LB_C_UNKNOWN; /* a struct by value, a typedef we do not know */
    }
    return LB_C_UNKNOWN;
}

/* A function declarator in toks[lo, hi): TYPE NAME ( PARAMS ) ... */
static void parse_decl(struct tok **toks, int lo, int hi, bool has_body)
{
    int open = -1;
    for (int i = lo + 1; i < hi; i++)
        if (tok_is(toks[i], "(")) {
            if (tok_ident(toks[i - 1]) && !tok_is(toks[i - 1], "__attribute__"))
                open = i;
            break;
        }
    if (open < 0)
        return;
    struct lb_proto *p = SP_NEW(struct lb_proto);
    p->ret = type_kind(toks, lo, open - 1);
    p->is_inline = has_body;
    for (int i = lo; i < open; i++)
        if (tok_is(toks[i], "_Noreturn"))
            p->noreturn = true;
    struct sp_vec params = {0};
    int depth = 0, start = open + 1;
    for (int i = open + 1; i < hi; i++) {
        struct tok *t = toks[i];
        if (tok_is(t, "(")) {
            depth++;
        } else if ((tok_is(t, ",") && depth == 0) || (tok_is(t, ")") && depth-- == 0)) {
            if (i > start) {
                if (i == start + 1 && tok_is(toks[start], "..."))
                    p->variadic = true;
                else if (!(i == start + 1 && tok_is(toks[start], "void")))
                    sp_vec_push(&params, (void *)(intptr_t)type_kind(toks, start, i));
            }
            start = i + 1;
            if (tok_is(t, ")") && depth < 0)
                break;
        }
    }
    p->nparams = params.n;
    p->params = sp_alloc(sizeof *p->params * (size_t)(params.n + 1));
    for (int i = 0; i < params.n; i++)
        p->params[i] = (enum lb_ckind)(intptr_t)params.v[i];
    const struct tok *name = toks[open - 1];
    lb_map_put(&protos, name->s, name->n, p);
}

bool lb_abi_load(const char *header)
{
    FILE *f = fopen(header, "rb");
    if (!f) {
        fprintf(stderr, "rpy: error: cannot read %s: %s\n", header, strerror(errno));
        return false;
    }
    struct sp_buf text = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sp_buf_putn(&text, chunk, n);
    fclose(f);
    struct sp_vec toks = {0};
    tokenize(sp_buf_cstr(&text), &toks);
    struct tok **t = (struct tok **)toks.v;
    /* File-scope declarations end at ';' or at a body '{...}' that follows
     * a ')' (a function definition); other braces are struct or enum
     * bodies, skipped inside the declaration. */
    int start = 0;
    for (int i = 0; i < toks.n; i++) {
        if (tok_is(t[i], ";")) {
            parse_decl(t, start, i, false);
            start = i + 1;
        } else if (tok_is(t[i], "{")) {
            bool is_fn = i > 0 && tok_is(t[i - 1], ")");
            int depth = 0;
            for (; i < toks.n; i++) {
                if (tok_is(t[i], "{"))
                    depth++;
                else if (tok_is(t[i], "}") && --depth == 0)
                    break;
            }
            if (is_fn) {
                parse_decl(t, start, i, true);
                start = i + 1;
            }
        }
    }
    return true;
}

const struct lb_proto *lb_abi_proto(const char *name) { return lb_map_get(&protos, name, strlen(name)); }

/* ---- conversions ---- */

LLVMTypeRef lb_ctype(enum lb_ckind k)
{
    switch (k) {
    case LB_C_VOID: return lb.voidt;
    case LB_C_I64: case LB_C_U64: return lb.i64;
    case LB_C_I32: case LB_C_U32: return lb.i32;
    case LB_C_I8: return lb.i8;
    case LB_C_BOOL: return lb.i1;
    case LB_C_F64: return lb.f64;
    case LB_C_PTR: case LB_C_UNKNOWN: return lb.ptr;
    }
    return lb.i64;
}

static bool is_signed(enum lb_ckind k) { return k == LB_C_I64 || k == LB_C_I32 || k == LB_C_I8; }

/* v (whose LLVM type says what it is) converted to C kind `to`. */
LLVMValueRef lb_convert_to_c(LLVMValueRef v, enum lb_ckind to)
{
    LLVMTypeRef from = LLVMTypeOf(v), tt = lb_ctype(to);
    if (from == tt)
        return v;
    LLVMTypeKind fk = LLVMGetTypeKind(from);
    if (to == LB_C_BOOL) {
        if (fk == LLVMPointerTypeKind)
            return LLVMBuildIsNotNull(lb.b, v, "");
        if (fk == LLVMDoubleTypeKind)
            return LLVMBuildFCmp(lb.b, LLVMRealUNE, v, LLVMConstReal(lb.f64, 0.0), "");
        return LLVMBuildICmp(lb.b, LLVMIntNE, v, LLVMConstNull(from), "");
    }
    if (to == LB_C_PTR || to == LB_C_UNKNOWN)
        return fk == LLVMPointerTypeKind ? LLVMBuildBitCast(lb.b, v, tt, "") : LLVMBuildIntToPtr(lb.b, v, tt, "");
    if (to == LB_C_F64) {
        if (fk == LLVMIntegerTypeKind)
            return from == lb.i1 ? LLVMBuildUIToFP(lb.b, v, tt, "") : LLVMBuildSIToFP(lb.b, v, tt, "");
        return v;
    }
    /* to an integer */
    if (fk == LLVMPointerTypeKind)
        return LLVMBuildPtrToInt(lb.b, v, tt, "");
    if (fk == LLVMDoubleTypeKind)
        return is_signed(to) ? LLVMBuildFPToSI(lb.b, v, tt, "") : LLVMBuildFPToUI(lb.b, v, tt, "");
    unsigned fw = LLVMGetIntTypeWidth(from), tw = LLVMGetIntTypeWidth(tt);
    if (fw > tw)
        return LLVMBuildTrunc(lb.b, v, tt, "");
    /* i1 is C's bool (0 or 1); i32 results of C are signed ints unless U32 */
    return from == lb.i1 ? LLVMBuildZExt(lb.b, v, tt, "") : LLVMBuildSExt(lb.b, v, tt, "");
}

/* A C value of kind k to the register type of lltype t. */
static LLVMValueRef convert_from_c(LLVMValueRef v, enum lb_ckind k, struct lltype *t)
{
    LLVMTypeRef tt = lb_type(t);
    if (LLVMTypeOf(v) == tt)
        return v;
    switch (t->kind) {
    case LL_BOOL: return lb_convert_to_c(v, LB_C_BOOL);
    case LL_FLOAT: return lb_convert_to_c(v, LB_C_F64);
    case LL_PTR: case LL_TIPTR: return lb_convert_to_c(v, LB_C_PTR);
    default:
        if (LLVMGetTypeKind(LLVMTypeOf(v)) == LLVMIntegerTypeKind && (k == LB_C_U32 || k == LB_C_BOOL))
            return LLVMBuildZExt(lb.b, v, tt, "");
        return lb_convert_to_c(v, LB_C_I64);
    }
}

/* ---- declarations ---- */

static LLVMAttributeRef enum_attr(const char *name)
{
    unsigned kind = LLVMGetEnumAttributeKindForName(name, strlen(name));
    return LLVMCreateEnumAttribute(lb.ctx, kind, 0);
}

void lb_set_bool_attrs(LLVMValueRef v, bool is_call, LLVMTypeRef fnty)
{
    LLVMAttributeRef zext = enum_attr("zeroext");
    unsigned n = LLVMCountParamTypes(fnty);
    LLVMTypeRef *pt = sp_alloc(sizeof(LLVMTypeRef) * (n + 1));
    LLVMGetParamTypes(fnty, pt);
    for (unsigned i = 0; i <= n; i++) {
        LLVMTypeRef t = i == 0 ? LLVMGetReturnType(fnty) : pt[i - 1];
        if (t != lb.i1)
            continue;
        if (is_call)
            LLVMAddCallSiteAttribute(v, i, zext);
        else
            LLVMAddAttributeAtIndex(v, i, zext);
    }
}

LLVMValueRef lb_abi_declare(const char *name, const struct lb_proto *p)
{
    LLVMValueRef f = LLVMGetNamedFunction(lb.mod, name);
    if (f)
        return f;
    LLVMTypeRef *pt = sp_alloc(sizeof(LLVMTypeRef) * (size_t)(p->nparams + 1));
    for (int i = 0; i < p->nparams; i++)
        pt[i] = lb_ctype(p->params[i]);
    LLVMTypeRef fnty = LLVMFunctionType(lb_ctype(p->ret), pt, (unsigned)p->nparams, p->variadic);
    f = LLVMAddFunction(lb.mod, name, fnty);
    lb_set_bool_attrs(f, false, fnty);
    if (p->noreturn)
        LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, enum_attr("noreturn"));
    LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, enum_attr("nounwind"));
    return f;
}

LLVMValueRef lb_runtime_global(const char *name, LLVMTypeRef t, bool tls)
{
    LLVMValueRef g = LLVMGetNamedGlobal(lb.mod, name);
    if (g)
        return g;
    g = LLVMAddGlobal(lb.mod, t, name);
    if (tls) {
        LLVMSetThreadLocal(g, 1);
        /* The runtime is linked statically into the executable: the
         * initial-exec model (what GCC uses for extern __thread in a PIE),
         * which the linker relaxes to local-exec. */
        LLVMSetThreadLocalMode(g, LLVMInitialExecTLSModel);
    }
    return g;
}

/* The proto a call site implies when rpyrt.h does not declare the routine. */
static struct lb_proto *site_proto(int nargs, LLVMValueRef *args, struct lltype *rtype)
{
    struct lb_proto *p = SP_NEW(struct lb_proto);
    p->nparams = nargs;
    p->params = sp_alloc(sizeof *p->params * (size_t)(nargs + 1));
    for (int i = 0; i < nargs; i++) {
        LLVMTypeRef t = LLVMTypeOf(args[i]);
        p->params[i] = t == lb.i1 ? LB_C_BOOL : t == lb.f64 ? LB_C_F64 : t == lb.ptr ? LB_C_PTR : LB_C_I64;
    }
    p->ret = !rtype || rtype->kind == LL_VOID ? LB_C_VOID
             : rtype->kind == LL_BOOL         ? LB_C_BOOL
             : rtype->kind == LL_FLOAT        ? LB_C_F64
             : rtype->kind == LL_PTR || rtype->kind == LL_TIPTR ? LB_C_PTR
                                                                : LB_C_I64;
    return p;
}

LLVMValueRef lb_call_runtime(const char *name, int nargs, LLVMValueRef *args, struct lltype *rtype)
{
    const struct lb_proto *p = lb_abi_proto(name);
    if (!p) {
        if (lb.opts->verbose)
            fprintf(stderr, "rpy: llvm: %s is not declared in rpyrt.h: called with the call site's types\n", name);
        p = site_proto(nargs, args, rtype);
    }
    LLVMValueRef fn = NULL;
    if (p->is_inline) {
        fn = lb_inline_fn(name);
        if (!fn) {
            const char *twin = sp_fmt("%s_x", name);
            const struct lb_proto *tp = lb_abi_proto(twin);
            fn = lb_abi_declare(twin, tp ? tp : p);
        }
    } else {
        fn = lb_abi_declare(name, p);
    }
    LLVMTypeRef fnty = LLVMGlobalGetValueType(fn);
    unsigned np = LLVMCountParamTypes(fnty);
    LLVMTypeRef *pt = sp_alloc(sizeof(LLVMTypeRef) * (np + 1));
    LLVMGetParamTypes(fnty, pt);
    LLVMValueRef *cargs = sp_alloc(sizeof(LLVMValueRef) * (size_t)(nargs + 1));
    for (int i = 0; i < nargs; i++) {
        enum lb_ckind k = i < p->nparams ? p->params[i] : LB_C_UNKNOWN;
        if (k == LB_C_UNKNOWN) /* by the call site's type (variadic, unknown typedef) */
            cargs[i] = args[i];
        else
            cargs[i] = lb_convert_to_c(args[i], k);
        if ((unsigned)i < np && LLVMTypeOf(cargs[i]) != pt[i])
            sp_die("LLVM backend: argument %d of %s does not convert to its C type", i + 1, name);
    }
    LLVMValueRef call = LLVMBuildCall2(lb.b, fnty, fn, cargs, (unsigned)nargs, "");
    lb_set_bool_attrs(call, true, fnty);
    if (p->ret == LB_C_VOID || !rtype || rtype->kind == LL_VOID)
        return NULL;
    return convert_from_c(call, p->ret, rtype);
}
