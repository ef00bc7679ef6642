/* start.c - program start and end, and the recursion limit.
 *
 * The backend's main() calls rpy_startup first: it checks that the type
 * table it emitted agrees with the runtime (a mismatch would make every
 * generic operation misread objects, so it is worth a check at start),
 * saves argv for sys.argv, and reads the GC environment switches.
 * rpy_exit is how a program ends: flush stdout, then exit. Output is also
 * flushed by an exit hook, so exit() from anywhere keeps it.
 *
 * Recursion: CPython raises RecursionError when the depth of Python calls
 * exceeds sys.getrecursionlimit() (1000 by default). The backend counts
 * calls with rpy_enter/rpy_leave; the check is inline, the error here.
 */
#include "runtime/rt_internal.h"

#include <stdlib.h>

int rt_argc;
char **rt_argv;

__thread rpy_int rpy_depth;
rpy_int rpy_recursion_limit = 1000;

static void check_typetable(void)
{
    if (rpy_ntypes < RPY_TID_FIRST_PROGRAM || rpy_typetable[RPY_TID_INVALID] != NULL ||
        rpy_typetable[RPY_TID_STR] != &rpy_ti_str ||
        rpy_typetable[RPY_TID_ARRAY_RAW] != &rpy_ti_array_raw ||
        rpy_typetable[RPY_TID_ARRAY_GC] != &rpy_ti_array_gc ||
        (rpy_typetable[RPY_TID_FILE] != NULL && rpy_typetable[RPY_TID_FILE] != &rpy_ti_file))
        RT_DIE("type table: the runtime's entries 0..4 are not as rpyrt.h specifies");
    for (uint32_t i = 1; i < rpy_ntypes; i++)
        if (rpy_typetable[i] && rpy_typetable[i]->tid != i)
            RT_DIE("type table: an entry's tid differs from its index");
}

static void at_exit(void)
{
    rpy_flush();
    rt_gc_report();
}

void rpy_startup(int argc, char **argv)
{
    check_typetable();
    rt_argc = argc;
    rt_argv = argv;
    rt_gc_init();
    atexit(at_exit);
}

_Noreturn void rpy_exit(int status)
{
    /* exit() runs at_exit, which flushes. */
    exit(status);
}

void rpy_recursion_error(void)
{
    rpy_raise_builtin_c(RPY_EXC_RecursionError, "maximum recursion depth exceeded");
}
