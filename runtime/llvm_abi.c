/* llvm_abi.c - out-of-line twins of the rpyrt.h inline routines that
 * runtime/inline_x.c does not cover, for the LLVM backend.
 *
 * The LLVM backend (backend_llvm/abi.c) calls an inline routine NAME of
 * rpyrt.h through a symbol NAME_x when it has no IR version of its own
 * (and always under a sanitized runtime, where it inlines nothing). Each
 * twin is the inline function itself, so the two cannot disagree; the
 * prototypes are the inline ones with the suffix, declared here because
 * only the backend calls them.
 */
#include "runtime/rt_internal.h"

rpy_bool rpy_exc_occurred_x(void);
rpy_bool rpy_tid_in_x(const void *obj, uint32_t lo, uint32_t hi);
void rpy_stack_check_x(void);
void rpy_check_not_none_x(const void *obj, const struct rpy_str *attr);
void rpy_check_callable_x(const void *funcobj);
rpy_bool rpy_range_has_x(rpy_int cur, rpy_int stop, rpy_int step);
rpy_word rpy_list_getitem_or0_x(const struct rpy_list *l, rpy_int i);
void rpy_list_init_item_x(struct rpy_list *l, rpy_int i, rpy_word v);
rpy_int rpy_int_max2_x(rpy_int a, rpy_int b);
rpy_int rpy_int_min2_x(rpy_int a, rpy_int b);
rpy_float rpy_float_max2_x(rpy_float a, rpy_float b);
rpy_float rpy_float_min2_x(rpy_float a, rpy_float b);

rpy_bool rpy_exc_occurred_x(void) { return rpy_exc_occurred(); }
rpy_bool rpy_tid_in_x(const void *obj, uint32_t lo, uint32_t hi) { return rpy_tid_in(obj, lo, hi); }
/* Out of line, the frame compared is this one's, a few bytes below the
 * caller's: the check fires that much earlier, never later. */
void rpy_stack_check_x(void) { rpy_stack_check(); }
void rpy_check_not_none_x(const void *obj, const struct rpy_str *attr) { rpy_check_not_none(obj, attr); }
void rpy_check_callable_x(const void *funcobj) { rpy_check_callable(funcobj); }
rpy_bool rpy_range_has_x(rpy_int cur, rpy_int stop, rpy_int step) { return rpy_range_has(cur, stop, step); }
rpy_word rpy_list_getitem_or0_x(const struct rpy_list *l, rpy_int i) { return rpy_list_getitem_or0(l, i); }
void rpy_list_init_item_x(struct rpy_list *l, rpy_int i, rpy_word v) { rpy_list_init_item(l, i, v); }
rpy_int rpy_int_max2_x(rpy_int a, rpy_int b) { return rpy_int_max2(a, b); }
rpy_int rpy_int_min2_x(rpy_int a, rpy_int b) { return rpy_int_min2(a, b); }
rpy_float rpy_float_max2_x(rpy_float a, rpy_float b) { return rpy_float_max2(a, b); }
rpy_float rpy_float_min2_x(rpy_float a, rpy_float b) { return rpy_float_min2(a, b); }
