/* sysmod.c - the process-level parts of sys, os and time.
 *
 * sys.argv is built once, from the argv rpy_startup saved, and kept in a
 * static root: the program may change the list, and sys.argv must then
 * show the change. Its strs, like os.getenv's values, are decoded as
 * CPython decodes what comes from the OS (UTF-8 with surrogateescape).
 *
 * sys.exit ends the process here and now: exit() runs the hooks that
 * flush stdout (start.c, io.c) and the open files (fileio.c). CPython
 * raises SystemExit instead, so its finally blocks and `except
 * SystemExit` handlers run first; ours do not (a deviation until the
 * exception machinery can end a program with a status of its choosing).
 *
 * The clocks are CPython's: time() is CLOCK_REALTIME and perf_counter()
 * CLOCK_MONOTONIC, both taken in nanoseconds and divided as CPython does;
 * sleep() converts its argument with CPython's rounding (away from zero)
 * and range checks before it checks the sign.
 *
 * Deviations: sys.argv[0] is the path of the executable as it was run
 * (CPython's is the script's); see also sys.exit above.
 */
#include "runtime/rt_internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>

/* ---- sys ---- */

static struct rpy_list *argv_list; /* a static root once built */

struct rpy_list *rpy_sys_argv(const struct rpy_typeinfo *listti)
{
    if (argv_list)
        return argv_list;
    struct rpy_list *l = rpy_list_new_cap(listti, rt_argc > 0 ? rt_argc : 0);
    RPY_ROOT(l);
    for (int i = 0; i < rt_argc && rt_argv; i++) {
        struct rpy_str *s = rpy_str_from_os_bytes(rt_argv[i], strlen(rt_argv[i]));
        rpy_list_append(l, rpy_w_from_ptr(s));
    }
    argv_list = l;
    rpy_gc_add_static_root((void **)&argv_list);
    return argv_list;
}

_Noreturn void rpy_sys_exit_int(rpy_int code) { exit((int)code); }

_Noreturn void rpy_sys_exit_str(const struct rpy_str *msg)
{
    if (!msg)
        exit(0);
    rt_write_stderr(msg->data, (size_t)msg->nbytes);
    rt_write_stderr("\n", 1);
    exit(1);
}

/* ---- os ---- */

struct rpy_str *rpy_os_getenv(const struct rpy_str *name, struct rpy_str *dflt)
{
    /* os.environ has no key with "=" or NUL in it; getenv would match a
     * prefix of an entry instead. */
    if (memchr(name->data, 0, (size_t)name->nbytes) || strchr(name->data, '='))
        return dflt;
    const char *v = getenv(name->data);
    if (!v)
        return dflt;
    return rpy_str_from_os_bytes(v, strlen(v)); /* v is the environment's memory: it stays put */
}

/* ---- time ---- */

static int64_t clock_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* _PyTime_AsSecondsDouble: whole seconds and the rest divided apart when
 * the nanoseconds do not fit a double exactly. */
static rpy_float ns_to_seconds(int64_t ns)
{
    if (ns % 1000000000 == 0)
        return (rpy_float)(ns / 1000000000);
    return (rpy_float)ns / 1e9;
}

rpy_float rpy_time_time(void) { return ns_to_seconds(clock_ns(CLOCK_REALTIME)); }
rpy_float rpy_time_perf_counter(void) { return ns_to_seconds(clock_ns(CLOCK_MONOTONIC)); }
rpy_float rpy_time_monotonic(void) { return ns_to_seconds(clock_ns(CLOCK_MONOTONIC)); }

void rpy_time_sleep(rpy_float secs)
{
    if (isnan(secs)) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, "Invalid value NaN (not a number)");
        return;
    }
    /* _PyTime_FromSecondsObject with _PyTime_ROUND_TIMEOUT */
    double d = secs * 1e9;
    d = d >= 0 ? ceil(d) : floor(d);
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) {
        rpy_raise_builtin_c(RPY_EXC_OverflowError, "timestamp out of range for platform time_t");
        return;
    }
    int64_t ns = (int64_t)d;
    if (ns < 0) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, "sleep length must be non-negative");
        return;
    }
    /* An absolute deadline, so that signals do not stretch the sleep. */
    struct timespec now, deadline;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t end_s = now.tv_sec + ns / 1000000000, end_ns = now.tv_nsec + ns % 1000000000;
    if (end_ns >= 1000000000) {
        end_s++;
        end_ns -= 1000000000;
    }
    deadline.tv_sec = (time_t)end_s;
    deadline.tv_nsec = (long)end_ns;
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL) == EINTR)
        ;
}
