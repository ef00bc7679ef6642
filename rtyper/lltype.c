/* lltype.c - construction and interning of low-level types.
 *
 * Container and tuple types are interned by structure, so equal shapes get
 * one type (and one type id, one typeinfo in the binary). Structs are
 * nominal: each class gets its own.
 */
#include "lltype.h"

#include <stdint.h>
#include <string.h>

struct lltype ll_void = {.kind = LL_VOID, .cname = "void", .tiname = "rpy_ti_none", .pyname = "None"};
struct lltype ll_signed = {.kind = LL_SIGNED, .cname = "rpy_int", .tiname = "rpy_ti_int", .pyname = "int"};
struct lltype ll_float = {.kind = LL_FLOAT, .cname = "rpy_float", .tiname = "rpy_ti_float", .pyname = "float"};
struct lltype ll_bool = {.kind = LL_BOOL, .cname = "rpy_bool", .tiname = "rpy_ti_bool", .pyname = "bool"};
struct lltype ll_word = {.kind = LL_WORD, .cname = "rpy_word", .tiname = "rpy_ti_int", .pyname = "word"};
struct lltype ll_tiptr = {.kind = LL_TIPTR, .cname = "const struct rpy_typeinfo *", .pyname = "typeinfo"};

static struct sp_vec all_ptr_types;
static int next_id = 1;
static int next_tid = 16; /* RPY_TID_FIRST_PROGRAM */

static struct lltype *new_ptr(enum ll_gckind gc, const char *cname, const char *pyname)
{
    struct lltype *t = SP_NEW(struct lltype);
    t->kind = LL_PTR;
    t->gc = gc;
    t->id = next_id++;
    t->cname = cname;
    t->pyname = pyname;
    if (gc == LLG_STR) {
        t->tiname = "rpy_ti_str";
        t->tid = 1; /* RPY_TID_STR */
    } else if (gc == LLG_FILE) {
        t->tiname = "rpy_ti_file";
        t->tid = 4; /* RPY_TID_FILE */
    } else if (gc == LLG_GCREF) {
        t->tiname = "rpy_ti_gcref"; /* never allocated: only says "a GC pointer" */
        t->tid = 0;
    } else {
        t->tid = next_tid++;
        t->tiname = sp_fmt("rpy_ti_%d", t->tid);
    }
    sp_vec_push(&all_ptr_types, t);
    return t;
}

void ll_all_types(struct sp_vec *out) { *out = all_ptr_types; }

struct lltype *ll_str(void)
{
    static struct lltype *str;
    if (!str)
        str = new_ptr(LLG_STR, "struct rpy_str *", "str");
    return str;
}

struct lltype *ll_file(void)
{
    static struct lltype *file;
    if (!file)
        file = new_ptr(LLG_FILE, "struct rpy_file *", "file");
    return file;
}

struct lltype *ll_gcref(void)
{
    static struct lltype *ref;
    if (!ref)
        ref = new_ptr(LLG_GCREF, "void *", "object");
    return ref;
}

bool ll_is_runtime_type(const struct lltype *t) { return t->gc == LLG_STR || t->gc == LLG_FILE || t->gc == LLG_GCREF; }


/* ---- interning: structural types by their shape, in a hash table (a
 * big program makes thousands of types and asks for them per value) ---- */

struct shape {
    enum ll_gckind gc;
    struct lltype *item, *value;
    bool deque, tup, mixed;
    int nitems;
    struct lltype **items;
};

static uint64_t mix(uint64_t h, const void *p)
{
    h ^= (uint64_t)(uintptr_t)p + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    return h;
}

static uint64_t shape_hash(const struct shape *k)
{
    uint64_t h = (uint64_t)k->gc * 31 + (uint64_t)k->deque * 7 + (uint64_t)k->tup * 13 + (uint64_t)k->mixed * 17;
    h = mix(mix(h, k->item), k->value);
    h = mix(h, (void *)(intptr_t)k->nitems);
    for (int i = 0; i < k->nitems; i++)
        h = mix(h, k->items[i]);
    return h;
}

static bool shape_matches(const struct lltype *t, const struct shape *k)
{
    if (t->gc != k->gc)
        return false;
    if (k->gc == LLG_TUPLE) {
        if (t->nitems != k->nitems || t->is_mixed_list != k->mixed)
            return false;
        for (int i = 0; i < k->nitems; i++)
            if (t->items[i] != k->items[i])
                return false;
        return true;
    }
    return t->item == k->item && t->value == k->value && t->is_deque == k->deque && t->is_tuple_list == k->tup;
}

static struct {
    struct lltype **slots;
    size_t cap, n;
} interned;

static struct lltype **intern_slot(const struct shape *k)
{
    size_t i = (size_t)shape_hash(k) & (interned.cap - 1);
    while (interned.slots[i] && !shape_matches(interned.slots[i], k))
        i = (i + 1) & (interned.cap - 1);
    return &interned.slots[i];
}

static struct shape shape_of(const struct lltype *t)
{
    struct shape k = {t->gc, t->item, t->value, t->is_deque, t->is_tuple_list, t->is_mixed_list, t->nitems, t->items};
    return k;
}

static void intern_add(struct lltype *t)
{
    if ((interned.n + 1) * 2 > interned.cap) {
        size_t oldcap = interned.cap;
        struct lltype **old = interned.slots;
        interned.cap = oldcap ? oldcap * 2 : 256;
        interned.slots = sp_alloc(sizeof(struct lltype *) * interned.cap);
        memset(interned.slots, 0, sizeof(struct lltype *) * interned.cap);
        for (size_t i = 0; i < oldcap; i++)
            if (old[i]) {
                struct shape k = shape_of(old[i]);
                *intern_slot(&k) = old[i];
            }
    }
    struct shape k = shape_of(t);
    *intern_slot(&k) = t;
    interned.n++;
}

static struct lltype *intern_find(const struct shape *k)
{
    return interned.cap ? *intern_slot(k) : NULL;
}

static struct lltype *find_container(enum ll_gckind gc, struct lltype *item, struct lltype *value, bool deque,
                                     bool tup)
{
    struct shape k = {gc, item, value, deque, tup, false, 0, NULL};
    return intern_find(&k);
}

static struct lltype *container(enum ll_gckind gc, const char *cname, const char *pyname, struct lltype *item,
                                struct lltype *value)
{
    struct lltype *t = find_container(gc, item, value, false, false);
    if (t)
        return t;
    t = new_ptr(gc, cname, pyname);
    t->item = item;
    t->value = value;
    intern_add(t);
    return t;
}

struct lltype *ll_list(struct lltype *item) { return container(LLG_LIST, "struct rpy_list *", "list", item, NULL); }

/* A deque is a list with a maximum length: its own type (and typeinfo). */
struct lltype *ll_deque(struct lltype *item)
{
    struct lltype *t = find_container(LLG_LIST, item, NULL, true, false);
    if (t)
        return t;
    t = new_ptr(LLG_LIST, "struct rpy_list *", "deque");
    t->item = item;
    t->is_deque = true;
    intern_add(t);
    return t;
}

/* A tuple of any length is a list (immutable, hashable, printed as a
 * tuple): its own type. */
struct lltype *ll_tuple_list(struct lltype *item)
{
    struct lltype *t = find_container(LLG_LIST, item, NULL, false, true);
    if (t)
        return t;
    t = new_ptr(LLG_LIST, "struct rpy_list *", "tuple");
    t->item = item;
    t->is_tuple_list = true;
    intern_add(t);
    return t;
}
struct lltype *ll_set(struct lltype *item) { return container(LLG_SET, "struct rpy_set *", "set", item, NULL); }
struct lltype *ll_dict(struct lltype *key, struct lltype *value)
{
    return container(LLG_DICT, "struct rpy_dict *", "dict", key, value);
}

static struct lltype *tuple_type(int n, struct lltype **items, bool mixed)
{
    struct shape key = {LLG_TUPLE, NULL, NULL, false, false, mixed, n, items};
    struct lltype *found = intern_find(&key);
    if (found)
        return found;
    struct lltype *t = new_ptr(LLG_TUPLE, "struct rpy_tuple *", mixed ? "list" : "tuple");
    t->nitems = n;
    t->is_mixed_list = mixed;
    t->items = sp_alloc(sizeof(struct lltype *) * (size_t)(n + 1));
    memcpy(t->items, items, sizeof(struct lltype *) * (size_t)n);
    intern_add(t);
    return t;
}

struct lltype *ll_tuple(int n, struct lltype **items) { return tuple_type(n, items, false); }
struct lltype *ll_mixed_list(int n, struct lltype **items) { return tuple_type(n, items, true); }

struct lltype *ll_struct(const char *name, struct lltype *parent, bool is_instance)
{
    struct lltype *t = new_ptr(LLG_STRUCT, NULL, name);
    t->sname = sp_fmt("S%d_%s", t->id, name);
    t->cname = sp_fmt("struct %s *", t->sname);
    t->parent = parent;
    t->is_instance = is_instance;
    t->is_iter = !is_instance;
    return t;
}

void ll_struct_add_field(struct lltype *s, const char *name, struct lltype *type)
{
    struct ll_field *f = SP_NEW(struct ll_field);
    f->name = name;
    f->type = type;
    sp_vec_push(&s->fields, f);
}

struct lltype *ll_field_owner(struct lltype *s, const char *name, struct ll_field **field)
{
    for (; s; s = s->parent)
        for (int i = 0; i < s->fields.n; i++) {
            struct ll_field *f = s->fields.v[i];
            if (strcmp(f->name, name) == 0) {
                if (field)
                    *field = f;
                return s;
            }
        }
    return NULL;
}

struct lltype *ll_nullable(struct lltype *t)
{
    /* None is the NULL pointer: nullability needs no representation of
     * its own (the annotation still says it, for printing). */
    return t;
}

static void describe(struct sp_buf *b, struct lltype *t)
{
    switch (t->kind) {
    case LL_VOID: sp_buf_puts(b, "Void"); return;
    case LL_SIGNED: sp_buf_puts(b, "Signed"); return;
    case LL_FLOAT: sp_buf_puts(b, "Float"); return;
    case LL_BOOL: sp_buf_puts(b, "Bool"); return;
    case LL_WORD: sp_buf_puts(b, "Word"); return;
    case LL_TIPTR: sp_buf_puts(b, "TypeInfoPtr"); return;
    case LL_PTR: break;
    }
    sp_buf_puts(b, "Ptr(");
    switch (t->gc) {
    case LLG_STR: sp_buf_puts(b, "str"); break;
    case LLG_FILE: sp_buf_puts(b, "file"); break;
    case LLG_GCREF: sp_buf_puts(b, "GCREF"); break;
    case LLG_LIST: sp_buf_puts(b, "list["); describe(b, t->item); sp_buf_putc(b, ']'); break;
    case LLG_SET: sp_buf_puts(b, "set["); describe(b, t->item); sp_buf_putc(b, ']'); break;
    case LLG_DICT:
        sp_buf_puts(b, "dict[");
        describe(b, t->item);
        sp_buf_puts(b, ", ");
        describe(b, t->value);
        sp_buf_putc(b, ']');
        break;
    case LLG_TUPLE:
        sp_buf_puts(b, "tuple[");
        for (int i = 0; i < t->nitems; i++) {
            if (i)
                sp_buf_puts(b, ", ");
            describe(b, t->items[i]);
        }
        sp_buf_putc(b, ']');
        break;
    case LLG_STRUCT: sp_buf_puts(b, t->sname); break;
    }
    sp_buf_putc(b, ')');
}

const char *ll_describe(struct lltype *t)
{
    struct sp_buf b = {0};
    describe(&b, t);
    return sp_buf_cstr(&b);
}
