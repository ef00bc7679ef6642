/* exc.c - raising built-in exceptions.
 *
 * Until the exception transform exists, a Python error detected inside the
 * runtime ends the program the way an uncaught exception ends CPython:
 * stdout is flushed (so the user sees everything printed before the
 * error, in order), then stderr gets the traceback header and CPython's
 * last line, `Name: message` or just `Name` when there is no message, and
 * the process exits with status 1. The frames of the traceback will come
 * with the transform; the last line is what tests compare.
 *
 * The signature already allows the later behaviour (record the exception
 * in the thread state and return), so every runtime routine returns a
 * harmless dummy after calling rpy_raise_builtin.
 */
#include "runtime/rt_internal.h"

#include <stdio.h>
#include <stdlib.h>

static const char *const exc_names[RPY_EXC_COUNT] = {
#define X(name) #name,
    RPY_BUILTIN_EXCEPTIONS(X)
#undef X
};

const char *rpy_exc_name(enum rpy_exc e)
{
    if ((unsigned)e >= RPY_EXC_COUNT)
        return "Exception";
    return exc_names[e];
}

/* CPython prints just the class name when str(exc) is empty. */
static void report_and_exit(enum rpy_exc e, const char *msg, size_t msglen)
{
    static const char header[] = "Traceback (most recent call last):\n";
    rt_write_stderr(header, sizeof header - 1);
    const char *name = rpy_exc_name(e);
    rt_write_stderr(name, strlen(name));
    if (msg && msglen) {
        rt_write_stderr(": ", 2);
        rt_write_stderr(msg, msglen);
    }
    rt_write_stderr("\n", 1);
    exit(1);
}

void rpy_raise_builtin(enum rpy_exc e, struct rpy_str *msg)
{
    report_and_exit(e, msg ? msg->data : NULL, msg ? (size_t)msg->nbytes : 0);
}

void rpy_raise_builtin_c(enum rpy_exc e, const char *msg)
{
    report_and_exit(e, msg, msg ? strlen(msg) : 0);
}

void rt_memory_error(void) { rpy_raise_builtin_c(RPY_EXC_MemoryError, NULL); }

_Noreturn void rt_die(const char *file, int line, const char *msg)
{
    rpy_flush();
    fprintf(stderr, "rpy runtime: internal error at %s:%d: %s\n", file, line, msg);
    abort();
}
