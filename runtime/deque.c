/* deque.c - collections.deque: a list with a maximum length.
 *
 * A deque is an rpy_list followed by its maxlen (struct rpy_deque), with
 * RPY_TI_DEQUE in its typeinfo: the collector traces it as a list, and
 * len, indexing, iteration, `in`, sum/min/max work through the list
 * routines. What is a deque's own is here: the ends (appendleft and
 * popleft move the items, which is linear in the length; the corpus's
 * queues are short), the maximum length (items fall off the other end),
 * rotation, and CPython's messages.
 *
 * GC: the list routines root and barrier what they store; d is rooted
 * across them since each may allocate.
 */
#include "runtime/rt_internal.h"

#include <stdio.h>

static rpy_int len_of(const struct rpy_deque *d) { return d->l.length; }

struct rpy_deque *rpy_deque_new(const struct rpy_typeinfo *ti, const struct rpy_list *items, rpy_int maxlen)
{
    RPY_ROOT(items);
    struct rpy_deque *d = (struct rpy_deque *)rpy_list_new_cap(ti, 0);
    d->maxlen = maxlen < 0 ? -1 : maxlen;
    if (items) {
        RPY_ROOT(d);
        rpy_deque_extend(d, items);
        return d;
    }
    return d;
}

void rpy_deque_append(struct rpy_deque *d, rpy_word v)
{
    if (d->maxlen == 0)
        return;
    RPY_ROOT(d);
    if (d->maxlen > 0 && len_of(d) >= d->maxlen)
        rpy_list_pop(&d->l, 0);
    rpy_list_append(&d->l, v);
}

void rpy_deque_appendleft(struct rpy_deque *d, rpy_word v)
{
    if (d->maxlen == 0)
        return;
    RPY_ROOT(d);
    if (d->maxlen > 0 && len_of(d) >= d->maxlen)
        rpy_list_pop(&d->l, -1);
    rpy_list_insert(&d->l, 0, v);
}

rpy_word rpy_deque_pop(struct rpy_deque *d)
{
    if (!len_of(d)) {
        rpy_raise_builtin_c(RPY_EXC_IndexError, "pop from an empty deque");
        return 0;
    }
    return rpy_list_pop(&d->l, -1);
}

rpy_word rpy_deque_popleft(struct rpy_deque *d)
{
    if (!len_of(d)) {
        rpy_raise_builtin_c(RPY_EXC_IndexError, "pop from an empty deque");
        return 0;
    }
    return rpy_list_pop(&d->l, 0);
}

void rpy_deque_extend(struct rpy_deque *d, const struct rpy_list *items)
{
    RPY_ROOT(d);
    RPY_ROOT(items);
    rpy_int n = items->length;
    for (rpy_int i = 0; i < n && i < items->length; i++)
        rpy_deque_append(d, items->items->items[i]);
}

void rpy_deque_extendleft(struct rpy_deque *d, const struct rpy_list *items)
{
    RPY_ROOT(d);
    RPY_ROOT(items);
    rpy_int n = items->length;
    for (rpy_int i = 0; i < n && i < items->length; i++)
        rpy_deque_appendleft(d, items->items->items[i]);
}

static void reverse(rpy_word *w, rpy_int i, rpy_int j)
{
    for (; i < j; i++, j--) {
        rpy_word t = w[i];
        w[i] = w[j];
        w[j] = t;
    }
}

/* rotate(n): n steps to the right (negative: to the left), in place by
 * three reversals: no allocation, no word leaves the array. */
void rpy_deque_rotate(struct rpy_deque *d, rpy_int n)
{
    rpy_int len = len_of(d);
    if (len <= 1)
        return;
    n %= len;
    if (n < 0)
        n += len;
    if (!n)
        return;
    rpy_gc_wb(d->l.items);
    rpy_word *w = d->l.items->items;
    reverse(w, 0, len - 1);
    reverse(w, 0, n - 1);
    reverse(w, n, len - 1);
}

struct rpy_list *rpy_deque_to_list(const struct rpy_deque *d, const struct rpy_typeinfo *listti)
{
    RPY_ROOT(d);
    rpy_int n = len_of(d);
    struct rpy_list *l = rpy_list_new(listti, n);
    for (rpy_int i = 0; i < n; i++)
        rpy_list_init_item(l, i, d->l.items->items[i]);
    return l;
}

/* deque([1, 2]) / deque([1, 2], maxlen=3): the items as a list's repr. */
void rt_deque_repr_into(struct rt_buf *b, const void *p, const struct rpy_typeinfo *ti)
{
    const struct rpy_deque *d = p;
    RPY_ROOT(d); /* an item's repr may collect */
    rpy_int maxlen = d->maxlen;
    rt_buf_puts(b, "deque([");
    for (rpy_int i = 0; i < d->l.length; i++) {
        if (i)
            rt_buf_put(b, ", ", 2);
        rt_repr_into(b, d->l.items->items[i], ti->item);
        if (rpy_exc_occurred())
            return;
    }
    rt_buf_putc(b, ']');
    if (maxlen >= 0) {
        char tmp[40];
        rt_buf_put(b, tmp, (size_t)snprintf(tmp, sizeof tmp, ", maxlen=%lld", (long long)maxlen));
    }
    rt_buf_putc(b, ')');
}
