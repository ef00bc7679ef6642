/* classes.c - class definitions: the class tree (user classes and the
 * built-in exception classes), instance attributes, and which classes are
 * instantiated.
 *
 * Requires the annotator's fixpoint (annotator.c). Provides one
 * ann_classdef per class reachable from the program, linked to its base
 * and its subclasses, and the attribute and method queries the op rules
 * use.
 *
 * Attributes. Every assignment `obj.x = v` anywhere adds x to the class
 * of obj, unless a base already has it. An attribute lives on the most
 * general class that uses it: when a base class starts to use an
 * attribute some subclasses already have (assigned or read through the
 * base), the subclasses' versions move up into the base and their types
 * are unioned, so that one field at one offset serves the whole subtree.
 * Readers of the classes involved are re-flowed.
 *
 * Instantiation. A method call on an instance of C may run any override
 * in C's subtree, but only classes that are instantiated somewhere can
 * be the receiver's class. So calls look only at instantiated classes
 * (ann_instantiated_subtree) and are re-flowed when a new subclass gets
 * instantiated. The built-in exception classes are all instantiated from
 * the start: the runtime raises them.
 */
#include "internal.h"

#include <string.h>

#include "../runtime/rpyrt.h" /* RPY_BUILTIN_EXCEPTIONS */

static struct ann_classdef *builtin_cds[RPY_EXC_COUNT];
static struct sp_vec *all_classdefs; /* the ann_result's list */

static struct ann_classdef *new_classdef(const char *name, struct ann_classdef *base)
{
    struct ann_classdef *cd = SP_NEW(struct ann_classdef);
    cd->name = name;
    cd->base = base;
    cd->id = all_classdefs->n;
    cd->is_exception = base && base->is_exception;
    sp_vec_push(all_classdefs, cd);
    if (base)
        sp_vec_push(&base->subclasses, cd);
    return cd;
}

void ann_init_classes(void)
{
    all_classdefs = &ann_the_result()->classdefs;
    static const int bases[] = {
#define X(name, base) RPY_EXC_##base,
        RPY_BUILTIN_EXCEPTIONS(X)
#undef X
    };
    static const char *const names[] = {
#define X(name, base) #name,
        RPY_BUILTIN_EXCEPTIONS(X)
#undef X
    };
    for (int i = 0; i < RPY_EXC_COUNT; i++) {
        struct ann_classdef *base = bases[i] == i ? NULL : builtin_cds[bases[i]];
        struct ann_classdef *cd = new_classdef(sp_intern(names[i]), base);
        cd->is_exception = true;
        cd->builtin = i + 1;
        cd->instantiated = true;
        builtin_cds[i] = cd;
    }
}

struct ann_classdef *ann_builtin_classdef(const char *name)
{
    for (int i = 0; i < RPY_EXC_COUNT; i++)
        if (strcmp(builtin_cds[i]->name, name) == 0)
            return builtin_cds[i];
    return NULL;
}

/* The base a class statement names: object (NULL), a built-in exception
 * class or a class of the program. */
static bool resolve_base(struct fg_class *cls, struct ast_node *base, struct ann_classdef **out)
{
    *out = NULL;
    if (base->kind != AST_NAME) {
        sp_error(base->pos, "a base class must be a name");
        return false;
    }
    struct ann_global *g = ann_find_global(NULL, cls->module, base->name);
    if (g) {
        if (g->is_const && g->constv->ckind == FG_C_CLASS) {
            *out = ann_classdef_of(g->constv->obj);
            return true;
        }
        sp_error(base->pos, "the base class '%s' must be a class bound once, by a class statement", base->name);
        return false;
    }
    if (base->name == sp_intern("object"))
        return true;
    if (base->name == sp_intern("type")) {
        sp_error(base->pos, "metaclasses are not supported: a class cannot derive from 'type'");
        return false;
    }
    if ((*out = ann_builtin_classdef(base->name)))
        return true;
    sp_error(base->pos, "'%s' cannot be a base class (only object, exception classes and classes of "
                        "the program can)", base->name);
    return false;
}

struct ann_classdef *ann_classdef_of(struct fg_class *cls)
{
    if (cls->aux)
        return cls->aux;
    struct ann_classdef *base = NULL;
    if (cls->bases.n > 1)
        sp_error(((struct ast_node *)cls->bases.v[1])->pos,
                 "multiple inheritance is not supported: a class has one base class");
    if (cls->bases.n >= 1)
        resolve_base(cls, cls->bases.v[0], &base);
    if (cls->aux) /* a class that names itself as its base (resolved above) */
        return cls->aux;
    struct ann_classdef *cd = new_classdef(cls->name, base);
    cd->cls = cls;
    cls->aux = cd;
    return cd;
}

struct ann_classdef *ann_classdef_for(struct fg_value *c)
{
    if (!c || c->kind != FG_CONST)
        return NULL;
    if (c->ckind == FG_C_CLASS)
        return ann_classdef_of(c->obj);
    if (c->ckind == FG_C_BUILTIN)
        return ann_builtin_classdef(c->str);
    return NULL;
}

bool ann_is_subclass(struct ann_classdef *sub, struct ann_classdef *cls)
{
    for (; sub; sub = sub->base)
        if (sub == cls)
            return true;
    return false;
}

struct ann_value *ann_instance(struct ann_classdef *cd, bool nullable, struct srcpos pos)
{
    struct ann_value *a = ann_new(ANN_INSTANCE, pos);
    a->classdef = cd;
    a->nullable = nullable;
    return a;
}

/* ---- instantiation ---- */

void ann_mark_instantiated(struct ann_classdef *cd)
{
    if (cd->instantiated)
        return;
    cd->instantiated = true;
    for (struct ann_classdef *c = cd; c; c = c->base)
        ann_reflow_readers(&c->method_readers);
}

static void subtree(struct ann_classdef *cd, struct sp_vec *out)
{
    if (cd->instantiated)
        sp_vec_push(out, cd);
    for (int i = 0; i < cd->subclasses.n; i++)
        subtree(cd->subclasses.v[i], out);
}

void ann_instantiated_subtree(struct ann_classdef *cd, struct sp_vec *out)
{
    ann_add_reader(&cd->method_readers);
    subtree(cd, out);
}

struct fg_func *ann_find_method(struct ann_classdef *cd, const char *name)
{
    name = sp_intern(name);
    for (; cd; cd = cd->base) {
        if (!cd->cls)
            continue;
        for (int i = 0; i < cd->cls->methods.n; i++) {
            struct fg_func *m = cd->cls->methods.v[i];
            if (m->name == name)
                return m;
        }
    }
    return NULL;
}

/* ---- attributes ---- */

static int attr_index(struct ann_classdef *cd, const char *name)
{
    for (int i = 0; i < cd->attr_names.n; i++)
        if (cd->attr_names.v[i] == name)
            return i;
    return -1;
}

/* The class (this or a base) that holds instance attribute `name`. */
static struct ann_classdef *attr_owner(struct ann_classdef *cd, const char *name)
{
    for (; cd; cd = cd->base)
        if (attr_index(cd, name) >= 0)
            return cd;
    return NULL;
}

static void reflow_subtree(struct ann_classdef *cd)
{
    ann_reflow_readers(&cd->readers);
    for (int i = 0; i < cd->subclasses.n; i++)
        reflow_subtree(cd->subclasses.v[i]);
}

/* Remove `name` from every class below cd, unioning their types into *u;
 * false on a conflict (reported). */
static bool pull_up(struct ann_classdef *cd, const char *name, struct ann_value **u, struct ann_classdef *top)
{
    for (int k = 0; k < cd->subclasses.n; k++) {
        struct ann_classdef *sub = cd->subclasses.v[k];
        int i = attr_index(sub, name);
        if (i >= 0) {
            struct ann_value *a = sub->attr_anns.v[i];
            struct ann_value *n = ann_union(*u, a);
            if (!n) {
                ann_conflict(a->origin, sp_fmt("attribute '%s' of %s", name, top->name), *u, a);
                return false;
            }
            *u = n;
            sp_vec_remove_at(&sub->attr_names, i);
            sp_vec_remove_at(&sub->attr_anns, i);
        }
        if (!pull_up(sub, name, u, top))
            return false;
    }
    return true;
}

/* Make `name` an attribute of cd, moving it up from subclasses that have
 * it; returns its index, or -1 after a conflict. */
static int add_attr(struct ann_classdef *cd, const char *name)
{
    struct ann_value *u = ann_impossible();
    if (!pull_up(cd, name, &u, cd))
        return -1;
    sp_vec_push(&cd->attr_names, (void *)name);
    sp_vec_push(&cd->attr_anns, ann_unconst(u));
    reflow_subtree(cd);
    return cd->attr_names.n - 1;
}

static bool in_subtree(struct ann_classdef *cd, const char *name)
{
    for (int k = 0; k < cd->subclasses.n; k++) {
        struct ann_classdef *sub = cd->subclasses.v[k];
        if (attr_index(sub, name) >= 0 || in_subtree(sub, name))
            return true;
    }
    return false;
}

struct fg_class *ann_class_attr_owner(struct ann_classdef *cd, const char *name, int *index)
{
    name = sp_intern(name);
    for (; cd; cd = cd->base)
        if (cd->cls)
            for (int i = 0; i < cd->cls->attr_names.n; i++)
                if (cd->cls->attr_names.v[i] == name) {
                    *index = i;
                    return cd->cls;
                }
    return NULL;
}

static bool is_class_constant(struct ann_classdef *cd, const char *name)
{
    int i;
    return ann_class_attr_owner(cd, name, &i) != NULL;
}

struct ann_value *ann_class_attr(struct ann_classdef *cd, const char *name)
{
    int i;
    struct fg_class *owner = ann_class_attr_owner(cd, name, &i);
    if (!owner)
        return NULL;
    struct fg_value *c = owner->attr_values.v[i];
    if (c)
        return ann_of(c);
    /* evaluated by the class statement into a global of its own */
    struct ann_global *g = ann_global(owner->module, fg_class_global(owner, owner->attr_names.v[i]));
    ann_add_reader(&g->readers);
    return g->ann;
}

bool ann_setattr_instance(struct ann_value *inst, const char *name, struct ann_value *v, struct srcpos pos)
{
    struct ann_classdef *cd = attr_owner(inst->classdef, name);
    if (!cd) {
        cd = inst->classdef;
        if (cd->builtin) {
            sp_error(pos, "cannot set attributes of a built-in %s", cd->name);
            return false;
        }
        if (add_attr(cd, name) < 0)
            return false;
    }
    int i = attr_index(cd, name);
    struct ann_value *old = cd->attr_anns.v[i];
    struct ann_value *u = ann_union(old, v);
    if (!u) {
        ann_conflict(pos, sp_fmt("attribute '%s' of %s", name, cd->name), old, v);
        return false;
    }
    u = ann_unconst(u);
    if (!ann_equal(u, old)) {
        cd->attr_anns.v[i] = u;
        reflow_subtree(cd);
        for (struct ann_classdef *c = cd->base; c; c = c->base)
            ann_reflow_readers(&c->readers);
    }
    return true;
}

static bool class_constant_below(struct ann_classdef *cd, const char *name)
{
    for (int k = 0; k < cd->subclasses.n; k++) {
        struct ann_classdef *sub = cd->subclasses.v[k];
        if (sub->cls)
            for (int i = 0; i < sub->cls->attr_names.n; i++)
                if (sub->cls->attr_names.v[i] == name)
                    return true;
        if (class_constant_below(sub, name))
            return true;
    }
    return false;
}

/* self.CONST: each instantiated class below cd sees its own (nearest)
 * value; one constant if they agree, else their union. */
static struct ann_value *class_constant_union(struct ann_classdef *cd, const char *name, struct srcpos pos)
{
    struct sp_vec classes = {0};
    ann_instantiated_subtree(cd, &classes);
    struct ann_value *c = ann_class_attr(cd, name);
    struct ann_value *u = c ? c : ann_impossible();
    for (int i = 0; i < classes.n; i++) {
        struct ann_classdef *x = classes.v[i];
        struct ann_value *cx = ann_class_attr(x, name);
        if (!cx) {
            sp_error(pos, "'%s' object has no attribute '%s'", x->name, name);
            return NULL;
        }
        struct ann_value *n = ann_union(u, cx);
        if (!n) {
            ann_conflict(pos, sp_fmt("class attribute '%s'", name), u, cx);
            return NULL;
        }
        u = n;
    }
    return u;
}

void ann_note_class_def(struct ann_classdef *cd)
{
    struct fg_class *c = cd->cls;
    if (!c || !c->def || c->synthetic || !c->module || c->module->is_prelude || c->module->is_stdlib)
        return;
    sp_note(c->def->pos, "class %s is defined here", cd->name);
    for (struct ann_classdef *x = cd; x && x->cls; x = x->base)
        if (x->cls->bases.n > 1) {
            sp_note(((struct ast_node *)x->cls->bases.v[1])->pos,
                    "only the first base class of %s counts (multiple inheritance is not supported)", x->name);
            break;
        }
}

struct ann_value *ann_getattr_value(struct ann_classdef *cd, const char *name)
{
    struct ann_classdef *owner = attr_owner(cd, name);
    return owner ? owner->attr_anns.v[attr_index(owner, name)] : NULL;
}

struct ann_value *ann_getattr_instance(struct ann_value *inst, const char *name, struct srcpos pos)
{
    struct ann_classdef *top = inst->classdef;
    for (struct ann_classdef *c = top; c; c = c->base)
        ann_add_reader(&c->readers);
    struct ann_classdef *cd = attr_owner(top, name);
    if (cd)
        return cd->attr_anns.v[attr_index(cd, name)];
    if (in_subtree(top, name)) {
        /* Read through a base class: the attribute moves up to it. */
        int i = add_attr(top, name);
        return i < 0 ? NULL : top->attr_anns.v[i];
    }
    if (is_class_constant(top, name) || class_constant_below(top, name))
        return class_constant_union(top, name, pos);
    struct fg_func *m = ann_find_method(top, name);
    if (m && !m->is_staticmethod && !m->is_classmethod) {
        /* obj.method as a value: a bound method (families.c) */
        struct ann_desc *d = ann_bound_desc(top, name);
        struct ann_value *recv = ann_instance(top, false, pos);
        if (!ann_desc_grow_env(d, recv, pos))
            return NULL;
        return ann_func_value(d, pos);
    }
    /* Not assigned anywhere yet: it may be later in the program. If it
     * never is, this error stands at the end. */
    sp_error(pos, "'%s' object has no attribute '%s'", top->name, name);
    ann_note_class_def(top);
    return ann_impossible();
}
