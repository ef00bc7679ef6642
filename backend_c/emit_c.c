/* emit_c.c - the C backend: one C function per low-level graph, blocks as
 * labels, links as parallel assignments plus goto, #line directives that
 * map back to the .py source; type tables and prebuilt constants as C
 * initialisers; then cc links it with librpyrt.a.
 *
 * Requires: rtyped graphs (only FG_LLOPS, every value typed). Void values
 * have no C variable: Void arguments are dropped from calls and
 * parameters alike, so both sides of a call agree.
 */
#include "backend.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static FILE *out;
static struct sp_vec strconsts; /* fg_value* (str constants), index = name */

/* ---- names ---- */

static const char *sanitize(const char *s)
{
    struct sp_buf b = {0};
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        sp_buf_putc(&b, (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? (char)c : '_');
    }
    return sp_buf_cstr(&b);
}

static const char *fname(struct fg_graph *g)
{
    if (!g->aux)
        g->aux = (void *)sp_fmt("f_%s_%d", sanitize(g->name), ((struct fg_value *)g->returnblock->inputargs.v[0])->id);
    return g->aux;
}

static bool is_void(struct fg_value *v) { return !v->lltype || v->lltype->kind == LL_VOID; }

/* ---- constants ---- */

static int strconst_index(struct fg_value *c)
{
    for (int i = 0; i < strconsts.n; i++) {
        struct fg_value *s = strconsts.v[i];
        if (s->len == c->len && memcmp(s->str, c->str, c->len) == 0)
            return i;
    }
    sp_vec_push(&strconsts, c);
    return strconsts.n - 1;
}

static const char *float_literal(double f)
{
    if (isnan(f))
        return signbit(f) ? "(-__builtin_nan(\"\"))" : "__builtin_nan(\"\")";
    if (isinf(f))
        return f < 0 ? "(-__builtin_inf())" : "__builtin_inf()";
    return sp_fmt("%a", f);
}

static const char *int_literal(int64_t v)
{
    if (v == INT64_MIN)
        return "(-INT64_C(9223372036854775807) - 1)";
    return sp_fmt("INT64_C(%" PRId64 ")", v);
}

static const char *cval(struct fg_value *v)
{
    if (v->kind == FG_VAR)
        return sp_fmt("v%d", v->id);
    struct lltype *t = v->lltype;
    switch (v->ckind) {
    case FG_C_INT:
    case FG_C_BOOL:
        if (t->kind == LL_FLOAT)
            return float_literal((double)v->ival);
        if (t->kind == LL_BOOL)
            return v->ival ? "1" : "0";
        if (t->kind == LL_WORD)
            return sp_fmt("((rpy_word)%s)", int_literal(v->ival));
        return int_literal(v->ival);
    case FG_C_FLOAT:
        return float_literal(v->fval);
    case FG_C_STR:
        return sp_fmt("((struct rpy_str *)&rpy_s%d)", strconst_index(v));
    case FG_C_NONE:
    case FG_C_UNDEFINED:
        if (t->kind == LL_PTR)
            return sp_fmt("((%s)NULL)", t->cname);
        if (t->kind == LL_FLOAT)
            return "0.0";
        return "0";
    case FG_C_LLTYPE:
        return sp_fmt("(&%s)", ((struct lltype *)v->obj)->tiname);
    case FG_C_GRAPH:
        if (t->kind == LL_WORD) /* a function object's fn */
            return sp_fmt("((rpy_word)&%s)", fname(v->obj));
        return fname(v->obj);
    case FG_C_EXTFUNC:
        return ((struct fg_extfunc *)v->obj)->cname;
    case FG_C_OTHER:
        return v->str;
    default:
        sp_die("C backend: constant %s of type %s", fg_value_str(v), ll_describe(t));
    }
}

/* ---- types ---- */

static void emit_struct(struct lltype *t)
{
    fprintf(out, "struct %s {\n", t->sname);
    if (t->parent)
        fprintf(out, "    struct %s super;\n", t->parent->sname);
    else
        fprintf(out, "    struct rpy_hdr hdr;\n");
    for (int i = 0; i < t->fields.n; i++) {
        struct ll_field *f = t->fields.v[i];
        if (f->type->kind != LL_VOID)
            fprintf(out, "    %s %s;\n", f->type->cname, f->name);
    }
    fprintf(out, "};\n");
}

/* Path from a struct to one of its (possibly inherited) fields. */
static const char *field_path(struct lltype *t, struct lltype *owner, const char *name)
{
    struct sp_buf b = {0};
    for (struct lltype *s = t; s != owner; s = s->parent)
        sp_buf_puts(&b, "super.");
    sp_buf_puts(&b, name);
    return sp_buf_cstr(&b);
}

static const char *kind_name(struct lltype *t)
{
    switch (t->gc) {
    case LLG_STR: return "RPY_K_STR";
    case LLG_FILE: return "RPY_K_ITER";
    case LLG_GCREF: return "RPY_K_ITER";
    case LLG_LIST: return "RPY_K_LIST";
    case LLG_DICT: return "RPY_K_DICT";
    case LLG_SET: return "RPY_K_SET";
    case LLG_TUPLE: return "RPY_K_TUPLE";
    case LLG_STRUCT: return t->is_instance ? "RPY_K_INSTANCE" : "RPY_K_ITER";
    }
    return "RPY_K_NONE";
}

static void emit_typeinfo(struct lltype *t)
{
    const char *size = "0", *items = "NULL", *offsets = "NULL", *fields = "NULL";
    int nitems = 0;
    if (t->gc == LLG_TUPLE) {
        nitems = t->nitems;
        size = sp_fmt("sizeof(struct rpy_tuple) + %d * sizeof(rpy_word)", nitems);
        fprintf(out, "static const struct rpy_typeinfo *const %s_items[] = {", t->tiname);
        for (int i = 0; i < nitems; i++)
            fprintf(out, "%s&%s", i ? ", " : "", t->items[i]->tiname);
        fprintf(out, "};\n");
        items = sp_fmt("%s_items", t->tiname);
    } else if (t->gc == LLG_STRUCT) {
        size = sp_fmt("sizeof(struct %s)", t->sname);
        struct sp_buf offs = {0}, types = {0};
        for (struct lltype *s = t; s; s = s->parent)
            for (int i = 0; i < s->fields.n; i++) {
                struct ll_field *f = s->fields.v[i];
                if (f->type->kind == LL_VOID)
                    continue;
                sp_buf_printf(&offs, "%soffsetof(struct %s, %s)", nitems ? ", " : "", t->sname,
                              field_path(t, s, f->name));
                sp_buf_printf(&types, "%s&%s", nitems ? ", " : "", f->type->tiname);
                nitems++;
            }
        if (nitems) {
            fprintf(out, "static const uint32_t %s_offsets[] = {%s};\n", t->tiname, sp_buf_cstr(&offs));
            fprintf(out, "static const struct rpy_typeinfo *const %s_fields[] = {%s};\n", t->tiname,
                    sp_buf_cstr(&types));
            offsets = sp_fmt("%s_offsets", t->tiname);
            fields = sp_fmt("%s_fields", t->tiname);
        }
    } else if (t->gc == LLG_LIST) {
        size = t->is_deque ? "sizeof(struct rpy_deque)" : "sizeof(struct rpy_list)";
    } else if (t->gc == LLG_DICT) {
        size = "sizeof(struct rpy_dict)";
    } else if (t->gc == LLG_SET) {
        size = "sizeof(struct rpy_set)";
    }
    const char *cls = t->is_instance ? sp_fmt("&rpy_ci%d", t->tid) : "NULL";
    fprintf(out, "const struct rpy_typeinfo %s = {%s, %d, %s, %d, \"%s\", %s%s, %s%s, %s, %s, %s, %s, %s};\n", t->tiname,
            kind_name(t), t->tid, size, nitems, t->pyname, t->item ? "&" : "", t->item ? t->item->tiname : "NULL",
            t->value ? "&" : "", t->value ? t->value->tiname : "NULL", items, offsets, fields, cls,
            t->is_deque        ? "RPY_TI_DEQUE"
            : t->is_mixed_list ? "RPY_TI_MIXED_LIST"
            : t->is_tuple_list ? "RPY_TI_TUPLE"
                               : "0");
}

static void emit_types(void)
{
    struct sp_vec types;
    ll_all_types(&types);
    for (int i = 0; i < types.n; i++) {
        struct lltype *t = types.v[i];
        if (t->gc == LLG_STRUCT)
            fprintf(out, "struct %s;\n", t->sname);
    }
    /* Parents before children: creation order guarantees it. */
    for (int i = 0; i < types.n; i++) {
        struct lltype *t = types.v[i];
        if (t->gc == LLG_STRUCT)
            emit_struct(t);
    }
    int maxtid = 15;
    for (int i = 0; i < types.n; i++) {
        struct lltype *t = types.v[i];
        if (!ll_is_runtime_type(t)) {
            fprintf(out, "extern const struct rpy_typeinfo %s;\n", t->tiname);
            if (t->tid > maxtid)
                maxtid = t->tid;
        }
    }
    for (int i = 0; i < types.n; i++) {
        struct lltype *t = types.v[i];
        if (!ll_is_runtime_type(t))
            emit_typeinfo(t);
    }
    const char **table = sp_alloc(sizeof(char *) * (size_t)(maxtid + 1));
    for (int i = 0; i < types.n; i++) {
        struct lltype *t = types.v[i];
        if (t->gc != LLG_STR && t->gc != LLG_GCREF)
            table[t->tid] = t->tiname;
    }
    fprintf(out, "const struct rpy_typeinfo *const rpy_typetable[] = {\n    NULL, &rpy_ti_str, &rpy_ti_array_raw, &rpy_ti_array_gc,\n");
    for (int tid = 4; tid <= maxtid; tid++)
        fprintf(out, "    %s%s,\n", table[tid] ? "&" : "", table[tid] ? table[tid] : "NULL");
    fprintf(out, "};\nconst uint32_t rpy_ntypes = %d;\n\n", maxtid + 1);
}

/* ---- prebuilt strings ---- */

static int64_t utf8_length(const char *s, size_t n)
{
    int64_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += ((unsigned char)s[i] & 0xC0) != 0x80;
    return len;
}

static void emit_strconsts(void)
{
    for (int i = 0; i < strconsts.n; i++) {
        struct fg_value *c = strconsts.v[i];
        fprintf(out, "static RPY_STR_PREBUILT_TYPE(%zu) rpy_s%d = {{RPY_TID_STR, RPY_GC_PREBUILT}, -1, %" PRId64 ", %zu, \"",
                c->len, i, utf8_length(c->str, c->len), c->len);
        for (size_t k = 0; k < c->len; k++) {
            unsigned char ch = (unsigned char)c->str[k];
            if (ch == '"' || ch == '\\')
                fprintf(out, "\\%c", ch);
            else if (ch >= 0x20 && ch < 0x7f && ch != '?')
                fputc(ch, out);
            else
                fprintf(out, "\\%03o", ch);
        }
        fprintf(out, "\"};\n");
    }
}

/* ---- functions ---- */

static void emit_signature(struct fg_graph *g)
{
    struct fg_value *ret = g->returnblock->inputargs.v[0];
    fprintf(out, "static %s %s(", is_void(ret) ? "void" : ret->lltype->cname, fname(g));
    int n = 0;
    for (int i = 0; i < g->startblock->inputargs.n; i++) {
        struct fg_value *p = g->startblock->inputargs.v[i];
        if (!is_void(p))
            fprintf(out, "%s%s v%d", n++ ? ", " : "", p->lltype->cname, p->id);
    }
    fprintf(out, "%s)", n ? "" : "void");
}

static void emit_line(struct srcpos pos)
{
    if (pos.file && pos.line > 0)
        fprintf(out, "#line %d \"%s\"\n", pos.line, pos.file);
}

static void emit_call(struct fg_op *op)
{
    fprintf(out, "%s(", cval(op->args[0]));
    int n = 0;
    for (int i = 1; i < op->nargs; i++)
        if (!is_void(op->args[i]))
            fprintf(out, "%s%s", n++ ? ", " : "", cval(op->args[i]));
    fprintf(out, ");\n");
}

/* self->tid indexes the table of the receiver's static class. The entries
 * are graphs whose self parameter has each class's own pointer type; all
 * pointers pass alike, so they are called through the signature this call
 * site sees. */
static void emit_vcall(struct fg_op *op)
{
    struct rt_tidtable *tab = op->args[0]->obj;
    struct fg_value *self = op->args[1];
    fprintf(out, "((%s (*)(", is_void(op->result) ? "void" : op->result->lltype->cname);
    int n = 0;
    for (int i = 1; i < op->nargs; i++)
        if (!is_void(op->args[i]))
            fprintf(out, "%s%s", n++ ? ", " : "", op->args[i]->lltype->cname);
    fprintf(out, "%s))rpy_vt%d[((struct rpy_hdr *)%s)->tid - %d])(", n ? "" : "void", tab->id, cval(self), tab->lo);
    n = 0;
    for (int i = 1; i < op->nargs; i++)
        if (!is_void(op->args[i]))
            fprintf(out, "%s%s", n++ ? ", " : "", cval(op->args[i]));
    fprintf(out, ");\n");
}

/* fn(env, args...) through a function object's adapter (rtyper/funcs.c):
 * called through the signature of the call's values. */
static void emit_indirect_call(struct fg_op *op)
{
    fprintf(out, "((%s (*)(", is_void(op->result) ? "void" : op->result->lltype->cname);
    int n = 0;
    for (int i = 1; i < op->nargs; i++)
        if (!is_void(op->args[i]))
            fprintf(out, "%s%s", n++ ? ", " : "", op->args[i]->lltype->cname);
    fprintf(out, "%s))%s)(", n ? "" : "void", cval(op->args[0]));
    n = 0;
    for (int i = 1; i < op->nargs; i++)
        if (!is_void(op->args[i]))
            fprintf(out, "%s%s", n++ ? ", " : "", cval(op->args[i]));
    fprintf(out, ");\n");
}

/* ---- traceback locations ---- */

static struct sp_vec tblocs; /* fg_tbloc*, index = name */

static int tbloc_index(struct fg_tbloc *loc)
{
    for (int i = 0; i < tblocs.n; i++) {
        struct fg_tbloc *o = tblocs.v[i];
        if (o->pos.line == loc->pos.line && o->pos.file == loc->pos.file && !strcmp(o->func, loc->func))
            return i;
    }
    sp_vec_push(&tblocs, loc);
    return tblocs.n - 1;
}

static void c_string(const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch >= 0x20 && ch < 0x7f && ch != '?')
            fputc(ch, out);
        else
            fprintf(out, "\\%03o", ch);
    }
    fputc('"', out);
}

static void emit_tblocs(void)
{
    for (int i = 0; i < tblocs.n; i++) {
        struct fg_tbloc *l = tblocs.v[i];
        fprintf(out, "static const struct rpy_tb_loc rpy_tb%d = {", i);
        c_string(l->pos.file ? l->pos.file : "?");
        fputs(", ", out);
        c_string(l->func);
        fprintf(out, ", %d};\n", l->pos.line);
    }
}

/* ---- tid tables: methods and class attributes ---- */

static void emit_tidtables(struct rt_program *prog)
{
    for (int i = 0; i < prog->tidtables.n; i++) {
        struct rt_tidtable *tab = prog->tidtables.v[i];
        int n = tab->hi - tab->lo + 1;
        if (tab->is_method) {
            fprintf(out, "static void *const rpy_vt%d[%d] = {", tab->id, n);
            for (int k = 0; k < n; k++)
                fprintf(out, "%s%s", k ? ", " : "", tab->entries[k] ? sp_fmt("(void *)%s", fname(tab->entries[k]->obj)) : "NULL");
        } else {
            struct lltype *t = NULL;
            for (int k = 0; k < n && !t; k++)
                if (tab->entries[k])
                    t = tab->entries[k]->lltype;
            fprintf(out, "static %s const rpy_ct%d[%d] = {", t ? t->cname : "rpy_int", tab->id, n);
            for (int k = 0; k < n; k++)
                fprintf(out, "%s%s", k ? ", " : "", tab->entries[k] ? cval(tab->entries[k]) : "0");
        }
        fprintf(out, "};\n");
    }
}

/* ---- classes ---- */

static const char *fnptr(struct fg_graph *g, const char *type)
{
    return g ? sp_fmt("(%s)%s", type, fname(g)) : "NULL";
}

static void emit_classinfos(struct rt_program *prog)
{
    const char *cmp = "rpy_bool (*)(void *, void *)";
    for (int i = 0; i < prog->classes.n; i++) {
        struct rt_classinfo *ci = prog->classes.v[i];
        fprintf(out, "static const struct rpy_classinfo rpy_ci%d = {", ci->type->tid);
        c_string(ci->type->qualname ? ci->type->qualname : ci->type->pyname);
        fprintf(out, ", %s%s%s, ", ci->type->is_exception ? "RPY_CLS_EXCEPTION" : "0",
                ci->unhashable ? " | RPY_CLS_UNHASHABLE" : "", ci->keyerror ? " | RPY_CLS_KEYERROR" : "");
        fprintf(out, "%s, %s, ", fnptr(ci->str, "struct rpy_str *(*)(void *)"),
                fnptr(ci->repr, "struct rpy_str *(*)(void *)"));
        fprintf(out, "%s, %s, %s, %s, %s, %s, ", fnptr(ci->eq, cmp), fnptr(ci->ne, cmp), fnptr(ci->lt, cmp),
                fnptr(ci->le, cmp), fnptr(ci->gt, cmp), fnptr(ci->ge, cmp));
        fprintf(out, "%s, %s, %s};\n", fnptr(ci->hash, "rpy_int (*)(void *)"), fnptr(ci->bool_, "rpy_bool (*)(void *)"),
                fnptr(ci->len, "rpy_int (*)(void *)"));
    }
    fprintf(out, "const uint32_t rpy_exc_tids[RPY_EXC_COUNT] = {");
    for (int i = 0; prog->exc_types[i]; i++)
        fprintf(out, "%s%d", i ? ", " : "", prog->exc_types[i]->tid);
    fprintf(out, "};\n\n");
}

static const char *word_cast(struct fg_value *v)
{
    const char *x = cval(v);
    switch (v->lltype->kind) {
    case LL_FLOAT: return sp_fmt("rpy_w_from_float(%s)", x);
    case LL_PTR: return sp_fmt("rpy_w_from_ptr(%s)", x);
    default: return sp_fmt("(rpy_word)%s", x);
    }
}

static const char *from_word(struct fg_value *w, struct lltype *t)
{
    const char *x = cval(w);
    switch (t->kind) {
    case LL_FLOAT: return sp_fmt("rpy_w_to_float(%s)", x);
    case LL_PTR: return sp_fmt("(%s)rpy_w_to_ptr(%s)", t->cname, x);
    case LL_BOOL: return sp_fmt("(%s != 0)", x);
    default: return sp_fmt("(%s)%s", t->cname, x);
    }
}

static const char *binop_symbol(enum fg_opcode opc)
{
    switch (opc) {
    case OP_LL_INT_AND: return "&";
    case OP_LL_INT_OR: return "|";
    case OP_LL_INT_XOR: return "^";
    case OP_LL_INT_LT: case OP_LL_FLOAT_LT: return "<";
    case OP_LL_INT_LE: case OP_LL_FLOAT_LE: return "<=";
    case OP_LL_INT_EQ: case OP_LL_FLOAT_EQ: case OP_LL_PTR_EQ: return "==";
    case OP_LL_INT_NE: case OP_LL_FLOAT_NE: case OP_LL_PTR_NE: return "!=";
    case OP_LL_INT_GT: case OP_LL_FLOAT_GT: return ">";
    case OP_LL_INT_GE: case OP_LL_FLOAT_GE: return ">=";
    case OP_LL_FLOAT_ADD: return "+";
    case OP_LL_FLOAT_SUB: return "-";
    case OP_LL_FLOAT_MUL: return "*";
    default: return NULL;
    }
}

/* The C expression computing op's result (calls are statements). */
static const char *op_expr(struct fg_op *op)
{
    struct fg_value **a = op->args;
    const char *sym = binop_symbol(op->opcode);
    if (sym)
        return sp_fmt("%s %s %s", cval(a[0]), sym, cval(a[1]));
    switch (op->opcode) {
    case OP_LL_SAME_AS: return cval(a[0]);
    case OP_LL_INT_ADD: return sp_fmt("(rpy_int)((uint64_t)%s + (uint64_t)%s)", cval(a[0]), cval(a[1]));
    case OP_LL_INT_SUB: return sp_fmt("(rpy_int)((uint64_t)%s - (uint64_t)%s)", cval(a[0]), cval(a[1]));
    case OP_LL_INT_MUL: return sp_fmt("(rpy_int)((uint64_t)%s * (uint64_t)%s)", cval(a[0]), cval(a[1]));
    case OP_LL_INT_ADD_OVF: return sp_fmt("rpy_int_add_ovf(%s, %s)", cval(a[0]), cval(a[1]));
    case OP_LL_INT_SUB_OVF: return sp_fmt("rpy_int_sub_ovf(%s, %s)", cval(a[0]), cval(a[1]));
    case OP_LL_INT_MUL_OVF: return sp_fmt("rpy_int_mul_ovf(%s, %s)", cval(a[0]), cval(a[1]));
    case OP_LL_INT_NEG_OVF: return sp_fmt("rpy_int_neg_ovf(%s)", cval(a[0]));
    case OP_LL_INT_ABS_OVF: return sp_fmt("rpy_int_abs_ovf(%s)", cval(a[0]));
    case OP_LL_INT_FLOORDIV: return sp_fmt("rpy_int_floordiv(%s, %s)", cval(a[0]), cval(a[1]));
    case OP_LL_INT_MOD: return sp_fmt("rpy_int_mod(%s, %s)", cval(a[0]), cval(a[1]));
    case OP_LL_INT_INVERT: return sp_fmt("~%s", cval(a[0]));
    case OP_LL_INT_IS_TRUE: return sp_fmt("%s != 0", cval(a[0]));
    case OP_LL_FLOAT_NEG: return sp_fmt("-%s", cval(a[0]));
    case OP_LL_FLOAT_ABS: return sp_fmt("fabs(%s)", cval(a[0]));
    case OP_LL_FLOAT_IS_TRUE: return sp_fmt("%s != 0.0", cval(a[0]));
    case OP_LL_BOOL_NOT: return sp_fmt("!%s", cval(a[0]));
    case OP_LL_CAST_INT_TO_FLOAT: return sp_fmt("(rpy_float)%s", cval(a[0]));
    case OP_LL_CAST_BOOL_TO_INT: return sp_fmt("(rpy_int)%s", cval(a[0]));
    case OP_LL_CAST_BOOL_TO_FLOAT: return sp_fmt("(rpy_float)%s", cval(a[0]));
    case OP_LL_CAST_TO_WORD: return word_cast(a[0]);
    case OP_LL_CAST_FROM_WORD: return from_word(a[0], op->result->lltype);
    case OP_LL_PTR_ISZERO: return sp_fmt("%s == NULL", cval(a[0]));
    case OP_LL_PTR_NONZERO: return sp_fmt("%s != NULL", cval(a[0]));
    case OP_LL_GETFIELD: {
        struct lltype *owner = a[1]->obj;
        return sp_fmt("((struct %s *)%s)->%s", owner->sname, cval(a[0]), a[1]->str);
    }
    case OP_LL_MALLOC: {
        struct lltype *t = a[0]->obj;
        return sp_fmt("(%s)rpy_malloc(&%s, sizeof(struct %s))", t->cname, t->tiname, t->sname);
    }
    case OP_LL_GETITEM_WORD: return sp_fmt("%s->items[%s]", cval(a[0]), cval(a[1]));
    case OP_LL_CAST_PTR: return sp_fmt("(%s)%s", op->result->lltype->cname, cval(a[0]));
    case OP_LL_SELECT: return sp_fmt("%s ? %s : %s", cval(a[0]), cval(a[1]), cval(a[2]));
    case OP_LL_TID_IN:
        return sp_fmt("rpy_tid_in(%s, %" PRId64 ", %" PRId64 ")", cval(a[0]), a[1]->ival, a[2]->ival);
    case OP_LL_TID_LOAD: {
        struct rt_tidtable *tab = a[0]->obj;
        return sp_fmt("rpy_ct%d[((struct rpy_hdr *)%s)->tid - %d]", tab->id, cval(a[1]), tab->lo);
    }
    case OP_LL_EXC_OCCURRED: return "__builtin_expect(rpy_exc_value != NULL, 0)";
    case OP_LL_EXC_PEEK: return sp_fmt("(%s)rpy_exc_value", op->result->lltype->cname);
    case OP_LL_GC_RELOAD: return sp_fmt("(%s)rpy_ss_top[%" PRId64 "]", op->result->lltype->cname, a[0]->ival);
    case OP_LL_GETGLOBAL: return cval(a[0]);
    default: return NULL;
    }
}

static void emit_op(struct fg_op *op)
{
    emit_line(op->pos);
    struct fg_value **a = op->args;
    const char *res = is_void(op->result) ? NULL : cval(op->result);
    switch (op->opcode) {
    case OP_LL_DIRECT_CALL:
        fprintf(out, "    %s%s", res ? res : "", res ? " = " : "");
        emit_call(op);
        return;
    case OP_LL_SETFIELD: {
        if (is_void(a[2]))
            return;
        struct lltype *owner = a[1]->obj;
        fprintf(out, "    ((struct %s *)%s)->%s = %s;\n", owner->sname, cval(a[0]), a[1]->str, cval(a[2]));
        return;
    }
    case OP_LL_SETITEM_WORD:
        fprintf(out, "    %s->items[%s] = %s;\n", cval(a[0]), cval(a[1]), cval(a[2]));
        return;
    case OP_LL_SETGLOBAL:
        if (!is_void(a[1]))
            fprintf(out, "    %s = %s;\n", cval(a[0]), cval(a[1]));
        return;
    case OP_LL_KEEPALIVE:
        return;
    case OP_LL_VCALL:
        fprintf(out, "    %s%s", res ? res : "", res ? " = " : "");
        emit_vcall(op);
        return;
    case OP_LL_INDIRECT_CALL:
        fprintf(out, "    %s%s", res ? res : "", res ? " = " : "");
        emit_indirect_call(op);
        return;
    case OP_LL_EXC_CLEAR:
        fprintf(out, "    rpy_exc_fetch();\n");
        return;
    case OP_LL_GC_PUSH:
        for (int i = 0; i < op->nargs; i++)
            fprintf(out, "    rpy_ss_top[%d] = (void *)%s;\n", i, cval(a[i]));
        fprintf(out, "    rpy_ss_top += %d;\n", op->nargs);
        return;
    case OP_LL_GC_POP:
        fprintf(out, "    rpy_ss_top -= %" PRId64 ";\n", a[0]->ival);
        return;
    case OP_LL_GC_WB:
        fprintf(out, "    rpy_gc_wb(%s);\n", cval(a[0]));
        return;
    case OP_LL_EXC_RAISE:
        fprintf(out, "    rpy_raise(%s);\n", cval(a[0]));
        return;
    case OP_LL_TB_ADD:
        fprintf(out, "    rpy_tb_add(&rpy_tb%d);\n", tbloc_index(a[0]->obj));
        return;
    case OP_LL_STACK_CHECK:
        fprintf(out, "    rpy_stack_check();\n");
        return;
    default:
        break;
    }
    const char *e = op_expr(op);
    if (!e)
        sp_die("C backend: no emitter for %s", fg_opname(op->opcode));
    if (res)
        fprintf(out, "    %s = %s;\n", res, e);
    else if (op->opcode == OP_LL_MALLOC)
        fprintf(out, "    (void)(%s);\n", e);
}

static void emit_link(struct fg_link *l, struct fg_graph *g)
{
    struct fg_block *t = l->target;
    if (t->is_return) {
        struct fg_value *v = l->args.v[0];
        if (is_void(t->inputargs.v[0]))
            fprintf(out, "    return;\n");
        else
            fprintf(out, "    return %s;\n", cval(v));
        return;
    }
    if (t->is_except) {
        /* The exception is set (transforms/exceptions.c): return; the
         * caller checks. The value returned is never read. */
        struct fg_value *ret = g->returnblock->inputargs.v[0];
        if (is_void(ret))
            fprintf(out, "    return;\n");
        else
            fprintf(out, "    return (%s)0;\n", ret->lltype->cname);
        return;
    }
    /* Parallel assignment through temporaries. */
    fprintf(out, "    {\n");
    for (int i = 0; i < l->args.n; i++) {
        struct fg_value *in = t->inputargs.v[i];
        if (!is_void(in))
            fprintf(out, "        %s t%d = %s;\n", in->lltype->cname, i, cval(l->args.v[i]));
    }
    for (int i = 0; i < l->args.n; i++) {
        struct fg_value *in = t->inputargs.v[i];
        if (!is_void(in))
            fprintf(out, "        v%d = t%d;\n", in->id, i);
    }
    fprintf(out, "    }\n    goto block%d;\n", t->id);
}

static void emit_exits(struct fg_block *b, struct fg_graph *g)
{
    if (!b->exitswitch) {
        emit_link(b->exits.v[0], g);
        return;
    }
    SP_ASSERT(b->exitswitch != fg_last_exception);
    if (b->exitswitch->lltype->kind == LL_BOOL && b->exits.n == 2) {
        struct fg_link *t = b->exits.v[0], *f = b->exits.v[1];
        if (!t->exitcase->ival) {
            struct fg_link *x = t;
            t = f;
            f = x;
        }
        fprintf(out, "    if (%s) {\n", cval(b->exitswitch));
        emit_link(t, g);
        fprintf(out, "    }\n");
        emit_link(f, g);
        return;
    }
    fprintf(out, "    switch (%s) {\n", cval(b->exitswitch));
    for (int i = 0; i < b->exits.n; i++) {
        struct fg_link *l = b->exits.v[i];
        if (l->exitcase)
            fprintf(out, "    case %s: {\n", int_literal(l->exitcase->ival));
        else
            fprintf(out, "    default: {\n");
        emit_link(l, g);
        fprintf(out, "    }\n");
    }
    fprintf(out, "    }\n");
}

static void declare(struct fg_value *v, struct sp_vec *seen)
{
    if (is_void(v) || v->kind != FG_VAR)
        return;
    for (int i = 0; i < seen->n; i++)
        if (seen->v[i] == v)
            return;
    sp_vec_push(seen, v);
    fprintf(out, "    %s v%d;\n", v->lltype->cname, v->id);
}

static void emit_function(struct fg_graph *g)
{
    struct sp_vec blocks = {0}, seen = {0};
    fg_graph_blocks(g, &blocks);
    emit_signature(g);
    fprintf(out, "\n{\n");
    for (int i = 0; i < g->startblock->inputargs.n; i++)
        sp_vec_push(&seen, g->startblock->inputargs.v[i]);
    for (int i = 0; i < blocks.n; i++) {
        struct fg_block *b = blocks.v[i];
        if (b->is_return || b->is_except)
            continue;
        for (int k = 0; k < b->inputargs.n; k++)
            declare(b->inputargs.v[k], &seen);
        for (int k = 0; k < b->ops.n; k++)
            declare(((struct fg_op *)b->ops.v[k])->result, &seen);
    }
    /* No exception is pending when a function starts: telling the C
     * compiler lets it drop the checks after inlined runtime routines
     * whose error path was not taken (transforms/exceptions.c). */
    fprintf(out, "    if (rpy_exc_value)\n        __builtin_unreachable();\n");
    fprintf(out, "    goto block%d;\n", g->startblock->id);
    for (int i = 0; i < blocks.n; i++) {
        struct fg_block *b = blocks.v[i];
        if (b->is_return || b->is_except)
            continue;
        fprintf(out, "block%d:;\n", b->id);
        for (int k = 0; k < b->ops.n; k++)
            emit_op(b->ops.v[k]);
        emit_exits(b, g);
    }
    fprintf(out, "}\n\n");
}

/* The globals, and the collector's table of those that hold pointers. */
static void emit_globals(struct rt_program *prog)
{
    for (int i = 0; i < prog->globals.n; i++) {
        struct rt_global *g = prog->globals.v[i];
        if (g->type->kind != LL_VOID)
            fprintf(out, "static %s %s;\n", g->type->cname, g->cname);
    }
    fprintf(out, "void **const rpy_gc_global_roots[] = {");
    for (int i = 0; i < prog->globals.n; i++) {
        struct rt_global *g = prog->globals.v[i];
        if (g->type->kind == LL_PTR)
            fprintf(out, "(void **)&%s, ", g->cname);
    }
    fprintf(out, "NULL};\nvoid *const rpy_gc_prebuilt_objects[] = {NULL};\n\n");
}

void cb_emit_program(FILE *f, struct rt_program *prog)
{
    /* Functions first into a buffer, then the tables that point at them:
     * emitting both discovers the string constants and traceback
     * locations, which must be defined before use. */
    char *body = NULL, *tables = NULL;
    size_t body_len = 0, tables_len = 0;
    out = open_memstream(&body, &body_len);
    for (int i = 0; i < prog->graphs.n; i++)
        emit_function(prog->graphs.v[i]);
    fprintf(out, "int main(int argc, char **argv)\n{\n    rpy_startup(argc, argv);\n    rpy_stack_init();\n");
    for (int i = 0; i < prog->entry.n; i++)
        fprintf(out, prog->stackless ? "    rpy_sl_run_entry(%s);\n    if (rpy_exc_value)\n        rpy_report_uncaught();\n"
                                     : "    %s();\n    if (rpy_exc_value)\n        rpy_report_uncaught();\n",
                fname(prog->entry.v[i]));
    fprintf(out, "    rpy_exit(0);\n}\n");
    fclose(out);
    out = open_memstream(&tables, &tables_len);
    emit_tidtables(prog);
    emit_classinfos(prog);
    fclose(out);

    out = f;
    fprintf(out, "/* Generated by rpy: do not edit. */\n#include <stddef.h>\n#include <math.h>\n#include \"rpyrt.h\"\n\n");
    for (int i = 0; i < prog->classes.n; i++)
        fprintf(out, "static const struct rpy_classinfo rpy_ci%d;\n",
                ((struct rt_classinfo *)prog->classes.v[i])->type->tid);
    emit_types();
    emit_strconsts();
    emit_tblocs();
    emit_globals(prog);
    for (int i = 0; i < prog->graphs.n; i++) {
        emit_signature(prog->graphs.v[i]);
        fprintf(out, ";\n");
    }
    /* defs used as function values: static function objects */
    for (int i = 0; i < prog->prebuilt_funcs.n; i++) {
        struct rt_prebuilt_func *pf = prog->prebuilt_funcs.v[i];
        struct lltype *t = rt_funcobj_type();
        fprintf(out, "static struct %s rpy_pf%d = {{%d, RPY_GC_PREBUILT}, (rpy_word)&%s, NULL};\n", t->sname, pf->id,
                t->tid, fname(pf->adapter));
    }
    fprintf(out, "\n");
    fwrite(tables, 1, tables_len, out);
    fwrite(body, 1, body_len, out);
    free(body);
    free(tables);
}

/* ---- building ---- */

static int run(char *const argv[], bool verbose)
{
    if (verbose) {
        for (int i = 0; argv[i]; i++)
            fprintf(stderr, "%s%s", i ? " " : "", argv[i]);
        fputc('\n', stderr);
    }
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execvp(argv[0], argv);
        fprintf(stderr, "rpy: error: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static bool build_c(struct rt_program *prog, const struct backend_opts *o)
{
    char tmpl[] = "/tmp/rpy-XXXXXX";
    const char *dir = o->keep_dir;
    if (!dir) {
        const char *tmp = getenv("TMPDIR");
        char *t = sp_fmt("%s/rpy-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        dir = mkdtemp(t);
        if (!dir)
            dir = mkdtemp(tmpl);
        if (!dir) {
            fprintf(stderr, "rpy: error: cannot make a temporary folder: %s\n", strerror(errno));
            return false;
        }
    } else {
        mkdir(dir, 0777);
    }
    const char *cfile = sp_fmt("%s/program.c", dir);
    FILE *f = fopen(cfile, "w");
    if (!f) {
        fprintf(stderr, "rpy: error: cannot write %s: %s\n", cfile, strerror(errno));
        return false;
    }
    cb_emit_program(f, prog);
    fclose(f);
    const char *cc = getenv("CC");
    struct sp_vec argv = {0};
    sp_vec_push(&argv, (void *)(cc && *cc ? cc : "cc"));
    sp_vec_push(&argv, "-std=gnu11");
    sp_vec_push(&argv, (void *)sp_fmt("-O%d", o->opt_level));
    sp_vec_push(&argv, "-w");
    sp_vec_push(&argv, "-fwrapv");
    if (o->debug)
        sp_vec_push(&argv, "-g");
    const char *extra = getenv("RPY_CFLAGS_EXTRA");
    if (extra && *extra) {
        char *copy = sp_strdup(extra);
        for (char *tok = strtok(copy, " "); tok; tok = strtok(NULL, " "))
            sp_vec_push(&argv, tok);
    }
    sp_vec_push(&argv, (void *)sp_fmt("-I%s", o->rt_incdir));
    sp_vec_push(&argv, "-o");
    sp_vec_push(&argv, (void *)o->output);
    sp_vec_push(&argv, (void *)cfile);
    sp_vec_push(&argv, (void *)sp_fmt("%s/librpyrt.a", o->rt_libdir));
    sp_vec_push(&argv, "-lm");
    sp_vec_push(&argv, NULL);
    int rc = run((char *const *)argv.v, o->verbose);
    if (!o->keep_dir) {
        unlink(cfile);
        rmdir(dir);
    }
    if (rc != 0) {
        fprintf(stderr, "rpy: error: the C compiler failed (status %d)%s\n", rc,
                o->keep_dir ? "" : "; use --keep-c DIR to keep the generated C");
        return false;
    }
    return true;
}

const struct backend cb_backend_c = {"c", build_c};
