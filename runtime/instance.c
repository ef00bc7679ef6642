/* instance.c - str() and repr() of instances, as CPython computes them.
 *
 * The dynamic class (the typeinfo of the object's own tid, not the static
 * type of the slot it was found in) decides: its __str__ / __repr__ (the
 * wrappers the compiler put in struct rpy_classinfo), else for an
 * exception its message (str) or Name('message') (repr), else the default
 * `<__main__.Name object at 0x...>`, whose address is the object's
 * identity (rpy_gc_id: the same for its whole life, as CPython's id(),
 * although the collector moves young objects). str() falls back to
 * repr() as object.__str__ does.
 *
 * A user method may raise: the caller checks rpy_exc_occurred(). It may
 * also collect, which moves objects but not the C buffer being filled;
 * nothing here reads the object after the call.
 */
#include "runtime/rt_internal.h"

#include <stdio.h>

static void default_repr(struct rt_buf *b, const void *obj, const struct rpy_typeinfo *ti)
{
    /* A dotted name is already qualified by its module. */
    const char *name = ti->cls ? ti->cls->name : ti->name ? ti->name : "object";
    char tmp[64];
    rt_buf_puts(b, strchr(name, '.') ? "<" : "<__main__.");
    rt_buf_puts(b, name);
    void *id = (void *)(uintptr_t)rpy_gc_id((void *)obj);
    rt_buf_put(b, tmp, (size_t)snprintf(tmp, sizeof tmp, " object at %p>", id));
}

static void put_str(struct rt_buf *b, const struct rpy_str *s)
{
    if (s)
        rt_buf_put(b, s->data, (size_t)s->nbytes);
}

void rt_instance_into(struct rt_buf *b, void *obj, bool str)
{
    const struct rpy_typeinfo *ti = rt_ti_of(obj);
    const struct rpy_classinfo *cls = ti->cls;
    if (cls && str && cls->str) {
        put_str(b, cls->str(obj));
        return;
    }
    if (cls && cls->repr) {
        put_str(b, cls->repr(obj));
        return;
    }
    if (cls && (cls->flags & RPY_CLS_EXCEPTION)) {
        const struct rpy_str *msg = ((struct rpy_exc_base *)obj)->msg;
        if (str) {
            put_str(b, msg);
            return;
        }
        rt_buf_puts(b, cls->name);
        rt_buf_putc(b, '(');
        if (msg && msg->nbytes && (cls->flags & RPY_CLS_KEYERROR))
            put_str(b, msg); /* KeyError('k'): its message is the repr already */
        else if (msg && msg->nbytes)
            rt_str_repr_into(b, msg);
        rt_buf_putc(b, ')');
        return;
    }
    default_repr(b, obj, ti);
}
