/* rtfuncs.h - what each runtime routine the rtyper calls may do, as an
 * X-macro table: X(name, effects), effects a combination of R (may raise
 * an exception) and C (may allocate, so the collector may run and move
 * objects), or N for neither.
 *
 * The exception transform puts a check after the routines marked R, and
 * the GC-roots transform saves live pointers around the ones marked C, so
 * a routine marked too little is a bug and one marked too much only costs
 * time. A routine that is not listed counts as R and C. Raising a
 * built-in exception whose message is a C string does not collect (the
 * runtime allocates such exceptions without collecting: runtime/exc.c),
 * so a routine whose only allocation is that error is R, not RC. Routines
 * that compare, hash, print or test the truth of values are RC whatever
 * their types: they may call a user's __eq__, __hash__, __str__... */
#ifndef RPY_RTFUNCS_H
#define RPY_RTFUNCS_H

#define RT_RUNTIME_FUNCS(X)                                                          \
    /* no effect */                                                                  \
    X(rpy_list_len, N) X(rpy_str_len, N) X(rpy_dict_len, N) X(rpy_range_has, N)      \
    X(rpy_range_contains, N) X(rpy_str_cmp, N) X(rpy_str_eq, N)                      \
    X(rpy_str_contains, N) X(rpy_str_iter_advance, N) X(rpy_dict_entry_key, N)       \
    X(rpy_list_init_item, N) X(rpy_int_max2, N) X(rpy_int_min2, N)                   \
    X(rpy_float_max2, N) X(rpy_float_min2, N) X(rpy_list_getitem_or0, N)             \
    X(rpy_tuple_getitem_or0, N) X(rpy_list_getitem_nocheck, N) X(rpy_write_int, N)   \
    X(rpy_write_float, N) X(rpy_write_bool, N) X(rpy_write_str, N) X(rpy_write_str_or, N)                 \
    X(rpy_str_startswith, N) X(rpy_str_endswith, N) X(rpy_str_find, N)               \
    X(rpy_str_rfind, N) X(rpy_str_count, N) X(rpy_str_isdigit, N)                    \
    X(rpy_str_isalpha, N) X(rpy_str_isalnum, N) X(rpy_str_isspace, N)                \
    X(rpy_str_isupper, N) X(rpy_str_islower, N) X(rpy_list_clear, N)                 \
    X(rpy_list_reverse, N) X(rpy_dict_clear, N) X(rpy_int_hash, N)                   \
    X(rpy_float_hash, N) X(rpy_list_sum_float, N) X(rpy_list_sum_int_as_float, N)    \
    /* errors with fixed messages */                                                 \
    X(rpy_check_not_none, R) X(rpy_list_getitem, R) X(rpy_list_setitem, R)           \
    X(rpy_tuple_getitem, R) X(rpy_range_len, R) X(rpy_range_check_step, R)           \
    X(rpy_int_truediv, R) X(rpy_int_pow, R) X(rpy_int_lshift, R) X(rpy_int_rshift, R) \
    X(rpy_float_truediv, R) X(rpy_float_floordiv, R) X(rpy_float_mod, R)             \
    X(rpy_float_pow, R) X(rpy_float_to_int, R) X(rpy_float_round, R)                 \
    X(rpy_float_round_int, R) X(rpy_int_round, R) X(rpy_list_pop, R)                 \
    X(rpy_list_sum_int, R) X(rpy_dict_next_entry, R) X(rpy_str_index, R)             \
    X(rpy_str_rindex, R) X(rpy_stop_iteration_unless, R) X(rpy_int_powmod, R)        \
    /* allocation only */                                                            \
    X(rpy_list_append, C) X(rpy_list_new, C) X(rpy_list_new_cap, C)                  \
    X(rpy_list_concat, C) X(rpy_list_copy, C) X(rpy_list_extend, C)                  \
    X(rpy_list_insert, C) X(rpy_list_mul, C) X(rpy_list_from_str, C)                 \
    X(rpy_list_enumerate, C) X(rpy_str_concat, C) X(rpy_str_from_int, C)             \
    X(rpy_str_from_float, C) X(rpy_str_from_bool, C) X(rpy_str_iter_char, C)         \
    X(rpy_str_join, C) X(rpy_str_mul, C) X(rpy_str_replace, C) X(rpy_str_upper, C)   \
    X(rpy_str_lower, C) X(rpy_str_strip, C) X(rpy_str_lstrip, C)                     \
    X(rpy_str_rstrip, C) X(rpy_tuple_new, C) X(rpy_dict_new, C) X(rpy_set_new, C)    \
    X(rpy_dict_copy, C) X(rpy_dict_items, C) X(rpy_dict_keys, C)                     \
    X(rpy_dict_values, C) X(rpy_int_hex, C) X(rpy_int_oct, C) X(rpy_int_bin, C)

enum { RT_N = 0, RT_R = 1, RT_C = 2, RT_RC = 3 };

#endif
