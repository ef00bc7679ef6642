/* rtsupport.c - small routines the rtyper's lowerings call: iteration
 * steps, unpacking, and the built-ins that work over a whole list. They
 * are built only on the public routines of the other runtime files, so
 * container internals stay in list.c / dict.c / str.c.
 *
 * Under the moving collector: a routine that allocates roots the lists it
 * reads afterwards, and a list it stores into after a later allocation
 * gets a barrier; a str's character is copied out before the allocation
 * of its one-character str. any(), all(), max2 and min2 call the generic
 * operations, which may run program code, so they root their operands.
 */
#include <stdio.h>
#include <stdlib.h>

#include "rpyrt.h"

static const struct rpy_typeinfo *typeinfo_of(const void *obj)
{
    return rpy_typetable[((const struct rpy_hdr *)obj)->tid];
}

void rpy_unreachable(const char *where)
{
    rpy_flush();
    fprintf(stderr, "rpy: internal error: unreachable code reached in %s\n", where);
    abort();
}

rpy_int rpy_compare_c(rpy_word a, rpy_word b, const struct rpy_typeinfo *ti, rpy_int op)
{
    static const char *const spelling[] = {"<", "<=", "==", "!=", ">", ">="};
    return rpy_compare(a, b, ti, spelling[op]);
}

void rpy_none_attribute_error(const struct rpy_str *attr)
{
    char msg[256];
    snprintf(msg, sizeof msg, "'NoneType' object has no attribute '%.200s'", attr->data);
    rpy_raise_builtin_c(RPY_EXC_AttributeError, msg);
}

void rpy_no_value(const struct rpy_str *where)
{
    rpy_flush();
    fprintf(stderr, "rpy: internal error: an operation in %s that never produces a value returned one\n", where->data);
    abort();
}

rpy_int rpy_id_of(void *obj) { return obj ? rpy_gc_id(obj) : 0; }

void rpy_name_error(const struct rpy_str *name)
{
    char msg[256];
    snprintf(msg, sizeof msg, "name '%.200s' is not defined", name->data);
    rpy_raise_builtin_c(RPY_EXC_NameError, msg);
}

void rpy_attr_missing(void *obj, const struct rpy_str *name)
{
    const struct rpy_typeinfo *ti = rpy_typetable[((const struct rpy_hdr *)obj)->tid];
    char msg[400];
    snprintf(msg, sizeof msg, "'%.150s' object has no attribute '%.200s'", ti->cls ? ti->cls->name : ti->name,
             name->data);
    rpy_raise_builtin_c(RPY_EXC_AttributeError, msg);
}

void rpy_unbound_local(const struct rpy_str *name)
{
    char msg[300];
    if (!strncmp(name->data, "free:", 5)) { /* an enclosing function's variable (a closure's cell) */
        snprintf(msg, sizeof msg,
                 "cannot access free variable '%.200s' where it is not associated with a value in enclosing scope",
                 name->data + 5);
        rpy_raise_builtin_c(RPY_EXC_NameError, msg);
        return;
    }
    snprintf(msg, sizeof msg, "cannot access local variable '%.200s' where it is not associated with a value", name->data);
    rpy_raise_builtin_c(RPY_EXC_UnboundLocalError, msg);
}

void rpy_none_call_error(void) { rpy_raise_builtin_c(RPY_EXC_TypeError, "'NoneType' object is not callable"); }

void rpy_write_str_or(const struct rpy_str *s, const struct rpy_str *dflt)
{
    rpy_write_str(s ? s : dflt);
}

void rpy_range_check_step(rpy_int step)
{
    if (step == 0)
        rpy_raise_builtin_c(RPY_EXC_ValueError, "range() arg 3 must not be zero");
}

rpy_bool rpy_range_contains(rpy_int start, rpy_int stop, rpy_int step, rpy_int x)
{
    if (step > 0 ? (x < start || x >= stop) : (x > start || x <= stop))
        return false;
    /* Offsets from start may exceed int64 for extreme ranges: use unsigned. */
    uint64_t off = step > 0 ? (uint64_t)x - (uint64_t)start : (uint64_t)start - (uint64_t)x;
    uint64_t st = step > 0 ? (uint64_t)step : -(uint64_t)step;
    return off % st == 0;
}

rpy_word rpy_tuple_getitem_or0(const struct rpy_tuple *t, rpy_int i)
{
    return i < (rpy_int)typeinfo_of(t)->nitems ? t->items[i] : 0;
}

rpy_word rpy_tuple_getitem(const struct rpy_tuple *t, rpy_int i)
{
    rpy_int n = (rpy_int)typeinfo_of(t)->nitems;
    if (i < 0)
        i += n;
    if (i < 0 || i >= n) {
        rpy_raise_builtin_c(RPY_EXC_IndexError, "tuple index out of range");
        return 0;
    }
    return t->items[i];
}

static rpy_int utf8_seq_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

struct rpy_str *rpy_str_iter_char(const struct rpy_str *s, rpy_int pos)
{
    if (pos >= s->nbytes)
        return NULL;
    char c[4]; /* copied out: allocating the result may move s */
    rpy_int n = utf8_seq_len((unsigned char)s->data[pos]);
    memcpy(c, s->data + pos, (size_t)n);
    return rpy_str_from_utf8(c, n);
}

rpy_int rpy_str_iter_advance(const struct rpy_str *s, rpy_int pos)
{
    if (pos >= s->nbytes)
        return pos;
    return pos + utf8_seq_len((unsigned char)s->data[pos]);
}

rpy_word rpy_dict_entry_key(const struct rpy_dict *d, rpy_int pos)
{
    return pos < 0 ? 0 : d->entries[pos].key;
}

struct rpy_tuple *rpy_list_to_tuple(const struct rpy_list *l, rpy_int n, const struct rpy_typeinfo *tupti)
{
    if (l->length != n) {
        char msg[96];
        if (l->length > n)
            snprintf(msg, sizeof msg, "too many values to unpack (expected %lld)", (long long)n);
        else
            snprintf(msg, sizeof msg, "not enough values to unpack (expected %lld, got %lld)", (long long)n,
                     (long long)l->length);
        rpy_raise_builtin_c(RPY_EXC_ValueError, msg);
        return NULL;
    }
    RPY_ROOT(l);
    struct rpy_tuple *t = rpy_tuple_new(tupti); /* fresh: filled without barriers */
    for (rpy_int i = 0; i < n; i++)
        t->items[i] = l->items->items[i];
    return t;
}

rpy_int rpy_list_sum_int(const struct rpy_list *l, rpy_int start)
{
    rpy_int acc = start;
    for (rpy_int i = 0; i < l->length; i++)
        acc = rpy_int_add_ovf(acc, (rpy_int)l->items->items[i]);
    return acc;
}

rpy_float rpy_list_sum_float(const struct rpy_list *l, rpy_float start)
{
    rpy_float acc = start;
    for (rpy_int i = 0; i < l->length; i++)
        acc += rpy_w_to_float(l->items->items[i]);
    return acc;
}

rpy_float rpy_list_sum_int_as_float(const struct rpy_list *l, rpy_float start)
{
    rpy_float acc = start;
    for (rpy_int i = 0; i < l->length; i++)
        acc += (rpy_float)(rpy_int)l->items->items[i];
    return acc;
}

rpy_bool rpy_list_any(const struct rpy_list *l)
{
    const struct rpy_typeinfo *item = typeinfo_of(l)->item;
    RPY_ROOT(l); /* rpy_truth may run __bool__ or __len__, which may raise */
    for (rpy_int i = 0; i < l->length; i++)
        if (rpy_truth(l->items->items[i], item) || rpy_exc_occurred())
            return true;
    return false;
}

rpy_bool rpy_list_all(const struct rpy_list *l)
{
    const struct rpy_typeinfo *item = typeinfo_of(l)->item;
    RPY_ROOT(l);
    for (rpy_int i = 0; i < l->length; i++)
        if (!rpy_truth(l->items->items[i], item) || rpy_exc_occurred())
            return false;
    return true;
}

struct rpy_list *rpy_list_enumerate(const struct rpy_list *l, rpy_int start, const struct rpy_typeinfo *listti,
                                    const struct rpy_typeinfo *tupti)
{
    rpy_int n = l->length;
    RPY_ROOT(l);
    struct rpy_list *r = rpy_list_new(listti, n);
    RPY_ROOT(r);
    for (rpy_int i = 0; i < n; i++) {
        rpy_int k = rpy_int_add_ovf(start, i); /* may raise: before t exists */
        struct rpy_tuple *t = rpy_tuple_new(tupti); /* may collect: r may be old afterwards */
        t->items[0] = rpy_w_from_int(k);
        t->items[1] = l->items->items[i];
        rpy_gc_wb(r->items);
        r->items->items[i] = rpy_w_from_ptr(t);
    }
    return r;
}

/* rpy_compare may collect (program code, or the TypeError for None). */
rpy_word rpy_max2(rpy_word a, rpy_word b, const struct rpy_typeinfo *ti)
{
    RPY_ROOT_WORD(a, rpy_kind_is_gc(ti->kind));
    RPY_ROOT_WORD(b, rpy_kind_is_gc(ti->kind));
    return rpy_compare(b, a, ti, ">") > 0 ? b : a;
}

rpy_word rpy_min2(rpy_word a, rpy_word b, const struct rpy_typeinfo *ti)
{
    RPY_ROOT_WORD(a, rpy_kind_is_gc(ti->kind));
    RPY_ROOT_WORD(b, rpy_kind_is_gc(ti->kind));
    return rpy_compare(b, a, ti, "<") < 0 ? b : a;
}
