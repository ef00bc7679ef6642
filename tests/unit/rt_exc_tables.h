/* rt_exc_tables.h - the built-in exception classes for runtime unit tests.
 *
 * A compiled program gets these tables from the backend; a unit test that
 * links the runtime alone defines them with this header, so a raise makes
 * a real exception object the test can inspect. Define TID_EXC (the tid of
 * the first built-in exception class) before including it; the test's own
 * rpy_typetable maps [TID_EXC + RPY_EXC_x] to &exc_ti[RPY_EXC_x].
 */
#ifndef RPY_TESTS_RT_EXC_TABLES_H
#define RPY_TESTS_RT_EXC_TABLES_H

#include "runtime/rpyrt.h"

#include <stddef.h>

#define X(n, b) {.name = #n, .flags = RPY_CLS_EXCEPTION},
static const struct rpy_classinfo exc_cls[RPY_EXC_COUNT] = {RPY_BUILTIN_EXCEPTIONS(X)};
#undef X
static const uint32_t exc_offsets[] = {offsetof(struct rpy_exc_base, msg)};
static const struct rpy_typeinfo *const exc_fields[] = {&rpy_ti_str};
#define X(n, b)                                                                                         \
    {.kind = RPY_K_INSTANCE, .tid = TID_EXC + RPY_EXC_##n, .size = sizeof(struct rpy_exc_base), .nitems = 1, \
     .name = #n, .offsets = exc_offsets, .fields = exc_fields, .cls = &exc_cls[RPY_EXC_##n]},
static const struct rpy_typeinfo exc_ti[RPY_EXC_COUNT] = {RPY_BUILTIN_EXCEPTIONS(X)};
#undef X
#define X(n, b) TID_EXC + RPY_EXC_##n,
const uint32_t rpy_exc_tids[RPY_EXC_COUNT] = {RPY_BUILTIN_EXCEPTIONS(X)};
#undef X

#endif
