/* model.c - annotation values: construction, union, equality, printing.
 *
 * Annotations are immutable; the fixpoint replaces a binding by the union
 * of the old and the new value. Container definitions are the one mutable
 * part: they are shared, and unify by union-find (ann_listdef()).
 */
#include "internal.h"

#include <string.h>

struct ann_value *ann_new(enum ann_kind kind, struct srcpos origin)
{
    struct ann_value *a = SP_NEW(struct ann_value);
    a->kind = kind;
    a->origin = origin;
    return a;
}

struct ann_value *ann_copy(struct ann_value *a)
{
    struct ann_value *c = SP_NEW(struct ann_value);
    *c = *a;
    return c;
}

static struct ann_value impossible_value;
struct ann_value *ann_impossible(void) { return &impossible_value; }

struct ann_listdef *ann_listdef(struct ann_listdef *def)
{
    while (def->merged)
        def = def->merged;
    return def;
}

static int next_def_id;

struct ann_listdef *ann_new_listdef(bool is_dict, struct ann_value *item, struct ann_value *value)
{
    struct ann_listdef *def = SP_NEW(struct ann_listdef);
    def->is_dict = is_dict;
    def->item = item ? item : ann_impossible();
    def->value = value ? value : ann_impossible();
    def->id = next_def_id++;
    return def;
}

struct ann_value *ann_container(enum ann_kind kind, struct ann_listdef *def, struct srcpos origin)
{
    struct ann_value *a = ann_new(kind, origin);
    a->def = def;
    return a;
}

/* ---- constants ---- */

struct ann_value *ann_of_const(struct fg_value *c)
{
    struct ann_value *a;
    switch (c->ckind) {
    case FG_C_NONE:
        a = ann_new(ANN_NONE, c->pos);
        break;
    case FG_C_UNDEFINED:
        return ann_impossible();
    case FG_C_INT:
        a = ann_new(ANN_INT, c->pos);
        break;
    case FG_C_FLOAT:
        a = ann_new(ANN_FLOAT, c->pos);
        break;
    case FG_C_BOOL:
        a = ann_new(ANN_BOOL, c->pos);
        break;
    case FG_C_STR:
        a = ann_new(ANN_STR, c->pos);
        break;
    case FG_C_TUPLE: {
        struct sp_vec *items = c->obj;
        a = ann_new(ANN_TUPLE, c->pos);
        a->nitems = items->n;
        a->items = sp_alloc(sizeof(struct ann_value *) * (size_t)(items->n + 1));
        for (int i = 0; i < items->n; i++)
            a->items[i] = ann_of_const(items->v[i]);
        break;
    }
    default:
        a = ann_new(ANN_PBC, c->pos);
        break;
    }
    a->is_const = true;
    a->constv = c;
    return a;
}

struct ann_value *ann_of(struct fg_value *v)
{
    if (v->ann)
        return v->ann;
    if (v->kind == FG_CONST)
        return v->ann = ann_of_const(v);
    return ann_impossible();
}

/* ---- equality ---- */

static bool const_equal(struct fg_value *a, struct fg_value *b)
{
    if (a == b)
        return true;
    if (!a || !b)
        return false;
    if (a->ckind != b->ckind)
        return false;
    switch (a->ckind) {
    case FG_C_NONE:
        return true;
    case FG_C_INT:
    case FG_C_BOOL:
        return a->ival == b->ival;
    case FG_C_FLOAT:
        return memcmp(&a->fval, &b->fval, sizeof(double)) == 0;
    case FG_C_STR:
        return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
    case FG_C_BUILTIN:
        return a->str == b->str;
    default:
        return a->obj == b->obj;
    }
}

bool ann_same(struct ann_value *a, struct ann_value *b)
{
    if (a == b)
        return true;
    if (a->kind != b->kind || a->nullable != b->nullable)
        return false;
    switch (a->kind) {
    case ANN_LIST:
    case ANN_DICT:
    case ANN_SET:
        return ann_listdef(a->def) == ann_listdef(b->def);
    case ANN_TUPLE:
        if (a->nitems != b->nitems || a->mixed_list != b->mixed_list)
            return false;
        for (int i = 0; i < a->nitems; i++)
            if (!ann_same(a->items[i], b->items[i]))
                return false;
        return true;
    case ANN_INSTANCE:
        return a->classdef == b->classdef;
    case ANN_PBC:
        return const_equal(a->constv, b->constv);
    case ANN_ITER:
        return ann_same(a->of, b->of);
    case ANN_FUNC:
        return ann_family(a->fam) == ann_family(b->fam);
    default:
        return true;
    }
}

/* Same type and same const-ness: the fixpoint's "did it grow?" test. */
bool ann_equal(struct ann_value *a, struct ann_value *b)
{
    if (!ann_same(a, b))
        return false;
    if (a->is_const != b->is_const)
        return false;
    return !a->is_const || const_equal(a->constv, b->constv);
}

/* ---- union ---- */

static bool nullable_kind(enum ann_kind k)
{
    return k == ANN_STR || k == ANN_LIST || k == ANN_DICT || k == ANN_SET || k == ANN_INSTANCE || k == ANN_FILE ||
           k == ANN_FUNC;
}

/* A function value (a constant def or an ANN_FUNC) as an ANN_FUNC. */
static struct ann_value *as_func(struct ann_value *a)
{
    return a->kind == ANN_FUNC ? a : ann_func_of_const(a);
}

static bool is_funcish(struct ann_value *a) { return a->kind == ANN_FUNC || ann_is_func_const(a); }

/* Merge two container definitions. Returns false on an item conflict,
 * with *bad_a / *bad_b naming the conflicting item annotations. */
bool ann_unify_defs(struct ann_listdef *x, struct ann_listdef *y, struct ann_value **bad_a,
                    struct ann_value **bad_b)
{
    if (ann_listdef(x)->is_deque != ann_listdef(y)->is_deque || ann_listdef(x)->is_tuple != ann_listdef(y)->is_tuple) {
        /* a deque, a tuple and a list are different types: name both */
        *bad_a = ann_container(ANN_LIST, x, (struct srcpos){0});
        *bad_b = ann_container(ANN_LIST, y, (struct srcpos){0});
        return false;
    }
    x = ann_listdef(x);
    y = ann_listdef(y);
    if (x == y)
        return true;
    struct ann_value *item = ann_union(x->item, y->item);
    struct ann_value *value = ann_union(x->value, y->value);
    if (!item || !value) {
        *bad_a = item ? x->value : x->item;
        *bad_b = item ? y->value : y->item;
        return false;
    }
    /* y forwards to x; readers of both must see the merged items. */
    y->merged = x;
    bool x_grew = !ann_equal(item, x->item) || !ann_equal(value, x->value);
    bool y_grew = !ann_equal(item, y->item) || !ann_equal(value, y->value);
    x->item = item;
    x->value = value;
    x->resized |= y->resized;
    if (!x->stands_for)
        x->stands_for = y->stands_for;
    if (y_grew)
        ann_reflow_readers(&y->readers);
    if (x_grew)
        ann_reflow_readers(&x->readers);
    for (int i = 0; i < y->readers.n; i++)
        sp_vec_push(&x->readers, y->readers.v[i]);
    return true;
}

static struct ann_value *union_same_kind(struct ann_value *a, struct ann_value *b)
{
    struct ann_value *bad_a, *bad_b;
    switch (a->kind) {
    case ANN_LIST:
    case ANN_DICT:
    case ANN_SET:
        if (!ann_unify_defs(a->def, b->def, &bad_a, &bad_b))
            return NULL;
        return a;
    case ANN_TUPLE: {
        if (a->nitems != b->nitems || a->mixed_list != b->mixed_list)
            return NULL;
        struct ann_value *t = ann_copy(a);
        t->items = sp_alloc(sizeof(struct ann_value *) * (size_t)(a->nitems + 1));
        for (int i = 0; i < a->nitems; i++) {
            t->items[i] = ann_union(a->items[i], b->items[i]);
            if (!t->items[i])
                return NULL;
        }
        return t;
    }
    case ANN_INSTANCE: {
        /* The common base class, if any. */
        for (struct ann_classdef *x = a->classdef; x; x = x->base)
            for (struct ann_classdef *y = b->classdef; y; y = y->base)
                if (x == y) {
                    struct ann_value *r = ann_copy(a);
                    r->classdef = x;
                    return r;
                }
        return NULL;
    }
    case ANN_PBC:
        return const_equal(a->constv, b->constv) ? a : NULL;
    case ANN_ITER: {
        struct ann_value *of = ann_union(a->of, b->of);
        if (!of)
            return NULL;
        struct ann_value *r = ann_copy(a);
        r->of = of;
        return r;
    }
    case ANN_FUNC: {
        struct ann_family *f = ann_merge_families(a->fam, b->fam);
        if (!f)
            return NULL;
        if (f == a->fam)
            return a;
        struct ann_value *r = ann_copy(a);
        r->fam = f;
        return r;
    }
    default:
        return a;
    }
}

struct ann_value *ann_union(struct ann_value *a, struct ann_value *b)
{
    if (a->kind == ANN_IMPOSSIBLE)
        return b;
    if (b->kind == ANN_IMPOSSIBLE)
        return a;
    if (a->kind == ANN_NONE && b->kind == ANN_NONE)
        return a;
    if (a->kind == ANN_NONE || b->kind == ANN_NONE) {
        struct ann_value *other = a->kind == ANN_NONE ? b : a;
        if (ann_is_func_const(other)) /* a callback that may be None */
            other = as_func(other);
        if (!nullable_kind(other->kind))
            return NULL;
        if (other->nullable && !other->is_const)
            return other;
        struct ann_value *r = ann_copy(other);
        r->nullable = true;
        r->is_const = false;
        r->constv = NULL;
        return r;
    }
    if (is_funcish(a) && is_funcish(b) && !(a->kind == ANN_PBC && b->kind == ANN_PBC && const_equal(a->constv, b->constv))) {
        /* different functions meet: a call family */
        a = as_func(a);
        b = as_func(b);
    }
    if (a->kind != b->kind)
        return NULL;
    struct ann_value *r = union_same_kind(a, b);
    if (!r)
        return NULL;
    bool keep_const = a->is_const && b->is_const && const_equal(a->constv, b->constv);
    if ((r->nullable != (a->nullable || b->nullable)) || (r->is_const && !keep_const)) {
        r = ann_copy(r);
        r->nullable = a->nullable || b->nullable;
        if (!keep_const) {
            r->is_const = false;
            r->constv = NULL;
        }
    }
    return r;
}

/* Whether ann_union(a, b) would succeed; unlike it, changes nothing
 * (container definitions are compared, not unified). */
bool ann_can_union(struct ann_value *a, struct ann_value *b)
{
    if (a->kind == ANN_IMPOSSIBLE || b->kind == ANN_IMPOSSIBLE)
        return true;
    if (a->kind == ANN_NONE || b->kind == ANN_NONE) {
        struct ann_value *other = a->kind == ANN_NONE ? b : a;
        return other->kind == ANN_NONE || nullable_kind(other->kind) || ann_is_func_const(other);
    }
    if (is_funcish(a) && is_funcish(b)) {
        if (a->kind == ANN_FUNC && b->kind == ANN_FUNC) {
            struct ann_family *x = ann_family(a->fam), *y = ann_family(b->fam);
            return x == y || x->nargs < 0 || y->nargs < 0 || x->nargs == y->nargs;
        }
        return true;
    }
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case ANN_LIST:
    case ANN_DICT:
    case ANN_SET: {
        struct ann_listdef *x = ann_listdef(a->def), *y = ann_listdef(b->def);
        return x == y || (ann_can_union(x->item, y->item) && ann_can_union(x->value, y->value));
    }
    case ANN_TUPLE:
        if (a->nitems != b->nitems || a->mixed_list != b->mixed_list)
            return false;
        for (int i = 0; i < a->nitems; i++)
            if (!ann_can_union(a->items[i], b->items[i]))
                return false;
        return true;
    case ANN_ITER:
        return ann_can_union(a->of, b->of);
    case ANN_INSTANCE:
    case ANN_PBC:
        return union_same_kind(a, b) != NULL; /* no side effect for these */
    default:
        return true;
    }
}

/* Same shape as types, container definitions compared by their item
 * types (the specialisation key of the prelude's functions). */
bool ann_same_shape(struct ann_value *a, struct ann_value *b)
{
    if (a->kind != b->kind || a->nullable != b->nullable)
        return false;
    switch (a->kind) {
    case ANN_LIST:
    case ANN_DICT:
    case ANN_SET: {
        struct ann_listdef *x = ann_listdef(a->def), *y = ann_listdef(b->def);
        return x == y || (ann_same_shape(x->item, y->item) && ann_same_shape(x->value, y->value));
    }
    case ANN_TUPLE:
        if (a->nitems != b->nitems || a->mixed_list != b->mixed_list)
            return false;
        for (int i = 0; i < a->nitems; i++)
            if (!ann_same_shape(a->items[i], b->items[i]))
                return false;
        return true;
    case ANN_ITER:
        return ann_same_shape(a->of, b->of);
    default:
        return ann_same(a, b);
    }
}

/* ---- printing ---- */

static void describe(struct sp_buf *b, struct ann_value *a)
{
    switch (a->kind) {
    case ANN_IMPOSSIBLE: sp_buf_puts(b, "impossible"); return;
    case ANN_BOOL: sp_buf_puts(b, "bool"); break;
    case ANN_INT: sp_buf_puts(b, "int"); break;
    case ANN_FLOAT: sp_buf_puts(b, "float"); break;
    case ANN_STR: sp_buf_puts(b, "str"); break;
    case ANN_NONE: sp_buf_puts(b, "None"); return;
    case ANN_RANGE: sp_buf_puts(b, "range"); break;
    case ANN_FILE: sp_buf_puts(b, "file"); break;
    case ANN_FUNC: sp_buf_puts(b, "function"); break;
    case ANN_LIST:
    case ANN_SET: {
        struct ann_listdef *d = ann_listdef(a->def);
        if (a->kind == ANN_LIST && d->stands_for) {
            sp_buf_puts(b, d->stands_for);
            break;
        }
        sp_buf_puts(b, a->kind == ANN_LIST ? (d->is_deque ? "deque[" : d->is_tuple ? "tuple[" : "list[") : "set[");
        describe(b, d->item);
        sp_buf_puts(b, a->kind == ANN_LIST && d->is_tuple ? ", ...]" : "]");
        break;
    }
    case ANN_DICT: {
        struct ann_listdef *d = ann_listdef(a->def);
        sp_buf_puts(b, "dict[");
        describe(b, d->item);
        sp_buf_puts(b, ", ");
        describe(b, d->value);
        sp_buf_putc(b, ']');
        break;
    }
    case ANN_TUPLE:
        sp_buf_puts(b, a->mixed_list ? "list[" : "tuple[");
        for (int i = 0; i < a->nitems; i++) {
            if (i)
                sp_buf_puts(b, ", ");
            describe(b, a->items[i]);
        }
        sp_buf_putc(b, ']');
        break;
    case ANN_INSTANCE:
        sp_buf_puts(b, a->classdef->name);
        break;
    case ANN_PBC:
        sp_buf_printf(b, "const %s", fg_value_str(a->constv));
        return;
    case ANN_ITER:
        sp_buf_puts(b, "iter[");
        describe(b, a->of);
        sp_buf_putc(b, ']');
        break;
    }
    if (a->nullable)
        sp_buf_putc(b, '?');
}

const char *ann_describe(struct ann_value *a)
{
    struct sp_buf b = {0};
    describe(&b, a);
    return sp_buf_cstr(&b);
}

/* The user-facing name of a type in messages: like ann_describe, but a
 * constant int is just "int". */
const char *ann_typename(struct ann_value *a)
{
    if (a->kind == ANN_PBC && a->constv->ckind == FG_C_FUNC)
        return "function";
    if (a->kind == ANN_PBC && a->constv->ckind == FG_C_CLASS)
        return "class";
    if (a->kind == ANN_PBC && a->constv->ckind == FG_C_BUILTIN)
        return sp_fmt("built-in %s", a->constv->str);
    if (a->kind == ANN_PBC && a->constv->ckind == FG_C_MODULE)
        return "module";
    return ann_describe(a);
}
