/* internal.h - what the rtyper's files share (private to rtyper/). */
#ifndef RPY_RT_INTERNAL_H
#define RPY_RT_INTERNAL_H

#include "rtyper.h"

/* Emission context: the ops of the block being lowered. */
struct rt_emit {
    struct sp_vec *ops;       /* the new op list of the block */
    struct srcpos pos;        /* position of the high-level op being lowered */
    struct fg_graph *graph;
};
extern struct rt_emit rt_cur;
extern struct rt_program *rt_prog;

/* values */
struct fg_value *rt_var(struct lltype *t);
struct fg_value *rt_cint(int64_t v);
struct fg_value *rt_cfloat(double v);
struct fg_value *rt_cbool(bool v);
struct fg_value *rt_cstr(const char *s, size_t len);
struct fg_value *rt_cnull(struct lltype *t);
struct fg_value *rt_cvoid(void);
struct fg_value *rt_cti(struct lltype *t);      /* &typeinfo of t */
struct fg_value *rt_cfield(struct lltype *owner, const char *name); /* a field name for getfield */
/* An op argument as a low-level value: constants copied with their lltype. */
struct fg_value *rt_arg(struct fg_value *v);
struct fg_value *rt_const_as(struct fg_value *c, struct lltype *t);
struct fg_value *rt_arg_as(struct fg_value *v, struct lltype *t);

/* emission */
struct fg_value *rt_op(enum fg_opcode opc, struct lltype *rtype, int nargs, ...);
void rt_op_into(struct fg_value *result, struct fg_value *v); /* result = same_as(v) */
/* A direct_call of runtime routine cname; its effects come from rtfuncs.h. */
struct fg_value *rt_ext(const char *cname, struct lltype *rtype, int nargs, ...);
struct fg_value *rt_extv(const char *cname, struct lltype *rtype, int nargs, struct fg_value **args);
struct fg_value *rt_to_word(struct fg_value *v);
struct fg_value *rt_from_word(struct fg_value *w, struct lltype *t);
struct fg_value *rt_to_int(struct fg_value *v);   /* bool -> Signed */
struct fg_value *rt_to_float(struct fg_value *v); /* int/bool -> Float */
struct fg_value *rt_getfield(struct fg_value *p, const char *name);
void rt_setfield(struct fg_value *p, const char *name, struct fg_value *v);
struct fg_value *rt_malloc(struct lltype *t);
/* Raises AttributeError if a nullable instance v is None. */
void rt_check_not_none(struct fg_value *v, struct ann_value *a, const char *attr);
struct fg_value *rt_truth(struct fg_value *v, struct ann_value *a);
struct fg_value *rt_str_of(struct fg_value *v, struct ann_value *a, bool repr);
struct fg_value *rt_power(struct fg_value *x, struct ann_value *a, struct fg_value *y, struct ann_value *b,
                          struct lltype *rt);
struct fg_value *rt_format_value(struct fg_value *v, struct ann_value *a, const char *conv, struct fg_value *spec);
void rt_write(struct fg_value *v, struct ann_value *a);
/* A list holding the items of any iterable the annotator accepted, of
 * list type listt (a list is itself) (calls.c). */
struct fg_value *rt_as_list(struct fg_value *v, struct ann_value *a, struct lltype *listt);
/* Scalars that may be None (d.get(k) of a dict of ints: annotator/
 * builtins.c, dict_get): their annotation is the scalar's marked
 * nullable, and next to the value the rtyper keeps the flag "not None",
 * which their uses (print, str, repr, format, `is None`) read (lower.c). */
bool rt_maybe_none(struct ann_value *a);
void rt_set_maybe_flag(struct fg_value *v, struct fg_value *found);
struct fg_value *rt_maybe_flag(struct fg_value *v, struct ann_value *a); /* NULL unless rt_maybe_none(a) */

/* iteration over built-in iterables (lower.c) */
struct fg_value *rt_make_iter(struct fg_value *s, struct ann_value *of, struct lltype *it_t);
struct fg_value *rt_iter_next(struct fg_value *it, struct ann_value *of, struct lltype *rt, struct fg_value **itemp);

/* representations */
struct lltype *rt_range_type(void);
struct lltype *rt_iter_type(struct ann_value *of);
struct lltype *rt_instance_type(struct ann_classdef *cd);
const char *rt_attr_field(const char *attr);
/* The flag field of an instance attribute that may be read before it is
 * set (rtyper.c: build_classes), if the struct has one. */
const char *rt_attr_flag(const char *attr);

/* function values (funcs.c, calls.c) */
struct fg_value *rt_make_funcobj(struct ann_desc *d, struct fg_value *env);
struct fg_value *rt_func_const(struct fg_func *f);
struct fg_value *rt_convert(struct fg_value *v, struct lltype *to);
struct fg_graph *rt_desc_adapter(struct ann_desc *d);

/* classes (rclass.c) */
struct fg_value *rt_make_tuple(struct fg_value **raw, int n);
bool rt_is_keyerror(struct ann_classdef *cd);
struct fg_value *rt_exc_message(struct fg_value **raw, int n, bool keyerror);
void rt_set_exc_message(struct fg_value *exc, struct fg_value *msg);
struct fg_value *rt_isinstance(struct fg_value *v, struct ann_value *a, struct ann_classdef **classes, int n);
struct fg_value *rt_method_table(struct ann_classdef *cd, const char *name, struct sp_vec *targets);
struct fg_value *rt_classattr_table(struct ann_classdef *cd, const char *name, struct lltype *type);
void rt_build_classinfos(struct sp_vec *types);
struct fg_value *rt_class_attr(struct ann_classdef *cd, const char *name, struct lltype *t, struct fg_value *obj);
struct fg_value *rt_global_slot(struct ann_global *g);
struct fg_value *rt_module_attr(struct fg_module *m, const char *name, struct fg_value *result);

/* lowering of one high-level op; returns the result value */
struct fg_value *rt_lower_op(struct fg_op *op);
struct fg_value *rt_lower_call(struct fg_op *op);
struct fg_value *rt_lower_special(struct fg_op *op, const char *name, int recv, enum ann_special_mode mode);
void rt_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
