/* inline_x.c - out-of-line twins of rpyrt.h's inline functions.
 *
 * The C backend includes rpyrt.h and gets the inline versions; a backend
 * that emits LLVM IR cannot, and calls these `_x` functions instead. Each
 * is the inline function itself, so the two can never disagree.
 */
#include "runtime/rt_internal.h"

bool rpy_kind_is_gc_x(uint32_t kind) { return rpy_kind_is_gc(kind); }
rpy_word rpy_w_from_int_x(rpy_int v) { return rpy_w_from_int(v); }
rpy_int rpy_w_to_int_x(rpy_word w) { return rpy_w_to_int(w); }
rpy_word rpy_w_from_float_x(rpy_float v) { return rpy_w_from_float(v); }
rpy_float rpy_w_to_float_x(rpy_word w) { return rpy_w_to_float(w); }
rpy_word rpy_w_from_bool_x(rpy_bool v) { return rpy_w_from_bool(v); }
rpy_bool rpy_w_to_bool_x(rpy_word w) { return rpy_w_to_bool(w); }
rpy_word rpy_w_from_ptr_x(const void *p) { return rpy_w_from_ptr(p); }
void *rpy_w_to_ptr_x(rpy_word w) { return rpy_w_to_ptr(w); }
void rpy_enter_x(void) { rpy_enter(); }
void rpy_leave_x(void) { rpy_leave(); }
void rpy_check_bound_x(rpy_bool bound, const struct rpy_str *name) { rpy_check_bound(bound, name); }
void rpy_check_attr_set_x(rpy_bool set, void *obj, const struct rpy_str *name) { rpy_check_attr_set(set, obj, name); }
rpy_bool rpy_sl_is_unwinding_x(void) { return rpy_sl_is_unwinding(); }
rpy_bool rpy_sl_is_resuming_x(void) { return rpy_sl_is_resuming(); }
rpy_int rpy_int_add_ovf_x(rpy_int a, rpy_int b) { return rpy_int_add_ovf(a, b); }
rpy_int rpy_int_sub_ovf_x(rpy_int a, rpy_int b) { return rpy_int_sub_ovf(a, b); }
rpy_int rpy_int_mul_ovf_x(rpy_int a, rpy_int b) { return rpy_int_mul_ovf(a, b); }
rpy_int rpy_int_neg_ovf_x(rpy_int a) { return rpy_int_neg_ovf(a); }
rpy_int rpy_int_abs_ovf_x(rpy_int a) { return rpy_int_abs_ovf(a); }
rpy_int rpy_int_floordiv_x(rpy_int a, rpy_int b) { return rpy_int_floordiv(a, b); }
rpy_int rpy_int_mod_x(rpy_int a, rpy_int b) { return rpy_int_mod(a, b); }
rpy_int rpy_list_len_x(const struct rpy_list *l) { return rpy_list_len(l); }
rpy_word rpy_list_getitem_x(const struct rpy_list *l, rpy_int i) { return rpy_list_getitem(l, i); }
void rpy_list_setitem_x(struct rpy_list *l, rpy_int i, rpy_word v) { rpy_list_setitem(l, i, v); }
rpy_word rpy_list_getitem_nocheck_x(const struct rpy_list *l, rpy_int i) { return rpy_list_getitem_nocheck(l, i); }
void rpy_list_append_x(struct rpy_list *l, rpy_word v) { rpy_list_append(l, v); }
rpy_int rpy_dict_len_x(const struct rpy_dict *d) { return rpy_dict_len(d); }
