/* stack.c - the stack budget behind RecursionError, and
 * sys.setrecursionlimit.
 *
 * CPython counts frames; counting costs an increment and a decrement per
 * call, which doubles the time of call-heavy code. We bound the stack in
 * bytes instead: rpy_recursion_limit frames of RPY_STACK_PER_FRAME bytes,
 * but never closer than a safety margin to the real end of the stack, so
 * runaway recursion raises RecursionError instead of crashing. Frames of
 * compiled code are far smaller than the per-frame budget, so every
 * program CPython runs within its limit runs here too.
 *
 * The budget is measured from the frame of the thread's first
 * rpy_stack_init (main() for the main thread), which is saved: a new
 * limit set deep in the program is re-derived from that base, not from
 * the frame that happens to set it. A program that raises the limit past
 * what the stack's soft rlimit allows gets the main thread's rlimit
 * raised (up to the hard limit and at most MAX_MAIN_STACK): Linux grows
 * the main stack on demand up to the current soft limit, and keeps at
 * least 128 MiB free below it for that, so 64 MiB is always safe to ask.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rpyrt.h"

#define SAFETY_MARGIN (256 * 1024)
#define MAX_MAIN_STACK ((uint64_t)64 * 1024 * 1024)

__thread char *rpy_stack_limit;
static __thread char *stack_base;

static bool is_main_thread(void) { return syscall(SYS_gettid) == getpid(); }

/* The bytes of stack the thread may use below its base: the budget, or
 * less when the stack's rlimit is smaller. */
static uint64_t usable_stack(uint64_t budget)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_STACK, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return budget;
    uint64_t want = budget + SAFETY_MARGIN;
    if (want > rl.rlim_cur && is_main_thread()) {
        uint64_t cap = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > MAX_MAIN_STACK ? MAX_MAIN_STACK : rl.rlim_max;
        struct rlimit more = {.rlim_cur = want < cap ? want : cap, .rlim_max = rl.rlim_max};
        if (more.rlim_cur > rl.rlim_cur && setrlimit(RLIMIT_STACK, &more) == 0)
            rl.rlim_cur = more.rlim_cur;
    }
    uint64_t usable = rl.rlim_cur > 2 * SAFETY_MARGIN ? rl.rlim_cur - SAFETY_MARGIN : rl.rlim_cur / 2;
    return budget < usable ? budget : usable;
}

static void derive_limit(void)
{
    uint64_t budget = (uint64_t)rpy_recursion_limit * RPY_STACK_PER_FRAME;
    rpy_stack_limit = stack_base - usable_stack(budget);
}

void rpy_stack_init(void)
{
    if (!stack_base)
        stack_base = (char *)__builtin_frame_address(0);
    derive_limit();
}

void rpy_stack_overflow(void)
{
    rpy_raise_builtin_c(RPY_EXC_RecursionError, "maximum recursion depth exceeded");
}

/* CPython 3.11 also refuses a limit below the current depth (RecursionError
 * "cannot set the recursion limit to N at the recursion depth D"); we do
 * not know the depth in frames, so the next call raises instead. */
void rpy_sys_setrecursionlimit(rpy_int n)
{
    if (n > INT_MAX || n < INT_MIN) {
        rpy_raise_builtin_c(RPY_EXC_OverflowError, "Python int too large to convert to C int");
        return;
    }
    if (n < 1) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, "recursion limit must be greater or equal than 1");
        return;
    }
    rpy_recursion_limit = n;
    if (!stack_base)
        stack_base = (char *)__builtin_frame_address(0); /* a thread that never ran rpy_stack_init */
    derive_limit();
}

rpy_int rpy_sys_getrecursionlimit(void) { return rpy_recursion_limit; }
