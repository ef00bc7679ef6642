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
    X(rpy_str_find_slice, N) X(rpy_str_rfind_slice, N) X(rpy_str_count_slice, N)     \
    X(rpy_str_startswith_slice, N) X(rpy_str_endswith_slice, N) X(rpy_str_istitle, N) \
    X(rpy_str_isdecimal, N) X(rpy_str_isnumeric, N) X(rpy_write_maybe, N)            \
    /* errors with fixed messages */                                                 \
    X(rpy_check_not_none, R) X(rpy_check_bound, R) X(rpy_check_attr_set, R) X(rpy_check_callable, R) X(rpy_star_check, R) X(rpy_no_value, N) X(rpy_id_of, N) X(rpy_name_error, R) X(rpy_list_extend_from, C) X(rpy_list_copy_as, C) X(rpy_list_getitem, R) X(rpy_list_setitem, R)           \
    X(rpy_tuple_getitem, R) X(rpy_range_len, R) X(rpy_range_check_step, R)           \
    X(rpy_int_truediv, R) X(rpy_int_pow, R) X(rpy_int_lshift, R) X(rpy_int_rshift, R) \
    X(rpy_float_truediv, R) X(rpy_float_floordiv, R) X(rpy_float_mod, R)             \
    X(rpy_float_pow, R) X(rpy_float_to_int, R) X(rpy_float_round, R)                 \
    X(rpy_float_round_int, R) X(rpy_int_round, R) X(rpy_list_pop, R)                 \
    X(rpy_list_sum_int, R) X(rpy_dict_next_entry, R) X(rpy_str_index, R)             \
    X(rpy_str_rindex, R) X(rpy_stop_iteration_unless, R) X(rpy_int_powmod, R)        \
    X(rpy_str_index_slice, R) X(rpy_str_rindex_slice, R) X(rpy_str_tailmatch_any, R) \
    X(rpy_str_arg_check, R) X(rpy_list_delitem, R) X(rpy_list_delslice, R)           \
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
    X(rpy_dict_values, C) X(rpy_int_hex, C) X(rpy_int_oct, C) X(rpy_int_bin, C)      \
    /* the standard modules: math and random */                                      \
    X(rpy_math_fabs, N) X(rpy_math_radians, N) X(rpy_math_degrees, N)                \
    X(rpy_math_isnan, N) X(rpy_math_isinf, N) X(rpy_math_isfinite, N)                \
    X(rpy_math_copysign, N) X(rpy_random_random, N) X(rpy_random_uniform, N)         \
    X(rpy_random_gauss, N) X(rpy_random_seed, N) X(rpy_random_seed_none, N)          \
    X(rpy_random_getrandbits, R) X(rpy_random_randint, R) X(rpy_random_randrange, R) \
    X(rpy_random_shuffle, N) X(rpy_math_gcd, R) X(rpy_math_isqrt, R)                 \
    X(rpy_math_sqrt, R) X(rpy_math_exp, R) X(rpy_math_log, R) X(rpy_math_log2, R)    \
    X(rpy_math_log10, R) X(rpy_math_log_base, R) X(rpy_math_pow, R)                  \
    X(rpy_math_floor, R) X(rpy_math_ceil, R) X(rpy_math_trunc, R) X(rpy_math_fmod, R) \
    X(rpy_math_hypot, N) X(rpy_math_ldexp, R) X(rpy_math_sin, R) X(rpy_math_cos, R)  \
    X(rpy_math_tan, R) X(rpy_math_asin, R) X(rpy_math_acos, R) X(rpy_math_atan, R)   \
    X(rpy_math_atan2, R) X(rpy_math_sinh, R) X(rpy_math_cosh, R) X(rpy_math_tanh, R) \
    X(rpy_math_factorial, R) X(rpy_math_comb, R) X(rpy_math_perm, R) X(rpy_math_lcm, R) \
    X(rpy_math_isclose, R) X(rpy_math_fsum, R) X(rpy_math_modf, C) X(rpy_math_frexp, C) \
    X(rpy_random_choice, R) X(rpy_sys_exit_int, N) X(rpy_sys_exit_str, N)            \
    X(rpy_math_asinh, R) X(rpy_math_acosh, R) X(rpy_math_atanh, R) X(rpy_math_cbrt, R) \
    X(rpy_math_exp2, R) X(rpy_math_expm1, R) X(rpy_math_log1p, R) X(rpy_math_gamma, R) \
    X(rpy_math_lgamma, R) X(rpy_math_erf, R) X(rpy_math_erfc, R) X(rpy_math_remainder, R) \
    X(rpy_math_dist, R) X(rpy_math_prod_int, R) X(rpy_math_nextafter, N)            \
    X(rpy_math_ulp, N) X(rpy_math_prod_float, N) X(rpy_random_seed_float, N)        \
    X(rpy_random_choice_str, RC)                                                     \
    /* files, sys, os, time */                                                       \
    X(rpy_file_write, R) X(rpy_file_print_str_or, R) X(rpy_file_flush, R)           \
    X(rpy_file_close, R) X(rpy_file_closed, N) X(rpy_file_enter, R) X(rpy_file_exit, R) \
    X(rpy_sys_stdin, N) X(rpy_sys_stdout, N) X(rpy_sys_stderr, N)                    \
    X(rpy_write_err_cstr, N) X(rpy_write_err_int, N) X(rpy_write_err_bool, N)        \
    X(rpy_write_err_float, N) X(rpy_write_err_str_or, N) X(rpy_sys_argv, C)          \
    X(rpy_sys_setrecursionlimit, R) X(rpy_sys_getrecursionlimit, N)                  \
    X(rpy_os_getenv, C) X(rpy_os_getenv1, C) X(rpy_os_path_exists, N)                \
    X(rpy_os_path_join, C) X(rpy_time_time, N) X(rpy_time_perf_counter, N)           \
    X(rpy_time_monotonic, N) X(rpy_time_sleep, R)     \
    X(rpy_str_title, C) X(rpy_str_capitalize, C) X(rpy_str_zfill, C)                 \
    X(rpy_str_splitlines, C) X(rpy_str_of_maybe, C)                                  \
    /* stackless (runtime/stackless.c): U unwinds the stack (a switch) */            \
    X(rpy_sl_new, C) X(rpy_sl_current, N) X(rpy_keep_traceback, N) X(rpy_print_kept_exception, C) X(rpy_sl_switch, CU) X(rpy_sl_exit_to, CU)

enum { RT_N = 0, RT_R = 1, RT_C = 2, RT_RC = 3, RT_U = 4, RT_CU = 6 };

#endif
