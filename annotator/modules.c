/* modules.c - attributes of modules: `m.x` and `m.f(args)` for the
 * program's modules (their globals) and the native standard modules
 * (flowgraph/natives.c: constants, built-in functions, objects such as
 * sys.stdout, values such as sys.argv).
 *
 * Requires the fixpoint (annotator.c) and the built-in rules (builtins.c).
 * A call m.f(args) is annotated as a call of the value m.f: the op's info
 * records that value (ann_module_callee), which the rtyper lowers as the
 * callee of a plain call.
 */
#include "internal.h"

#include <string.h>

/* The value of a native module's attribute that is a run-time value
 * rather than a constant. */
static struct ann_value *native_value(struct fg_op *op, const char *full)
{
    if (!strcmp(full, "sys.stdout") || !strcmp(full, "sys.stderr") || !strcmp(full, "sys.stdin"))
        return ann_new(ANN_FILE, op->pos);
    if (!strcmp(full, "sys.argv")) {
        static struct ann_listdef *argv_def;
        if (!argv_def)
            argv_def = ann_new_listdef(false, ann_new(ANN_STR, op->pos), NULL);
        return ann_container(ANN_LIST, argv_def, op->pos);
    }
    return NULL;
}

struct ann_value *ann_module_attr(struct fg_op *op, struct fg_module *m, const char *name)
{
    if (m->is_native) {
        struct fg_value *c = fg_native_attr_in(ann_the_result()->program, m, name);
        if (!c) {
            sp_error(op->pos, "module '%s' has no attribute '%s'", m->name, name);
            return NULL;
        }
        if (c->ckind == FG_C_BUILTIN) {
            struct ann_value *v = native_value(op, c->str);
            if (v)
                return v;
        }
        c->pos = op->pos;
        return ann_of(c);
    }
    const char *full = sp_intern(sp_fmt("%s.%s", m->name, name));
    for (int i = 0; i < m->submodules.n; i++) {
        struct fg_module *sub = m->submodules.v[i];
        if (sub->name == full)
            return ann_of(fg_const_obj(FG_C_MODULE, sub));
    }
    struct ann_global *g = ann_find_global(NULL, m, sp_intern(name));
    if (!g) {
        sp_error(op->pos, "module '%s' has no attribute '%s'", m->name, name);
        return NULL;
    }
    if (!g->is_const)
        ann_add_reader(&g->readers);
    return g->ann;
}

/* Whether a native value such as sys.argv (the rtyper reads it with a
 * runtime call, not as a constant). */
bool ann_is_native_value(const char *full)
{
    return !strcmp(full, "sys.argv") || !strcmp(full, "sys.stdout") || !strcmp(full, "sys.stderr") ||
           !strcmp(full, "sys.stdin");
}
