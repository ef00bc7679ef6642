/* stack.c - the stack budget behind RecursionError.
 *
 * CPython counts frames; counting costs an increment and a decrement per
 * call, which doubles the time of call-heavy code. We bound the stack in
 * bytes instead: rpy_recursion_limit frames of RPY_STACK_PER_FRAME bytes,
 * but never closer than a safety margin to the real end of the stack, so
 * runaway recursion raises RecursionError instead of crashing. Frames of
 * compiled code are far smaller than the per-frame budget, so every
 * program CPython runs within its limit runs here too.
 */
#include <stdint.h>
#include <sys/resource.h>

#include "rpyrt.h"

#define SAFETY_MARGIN (256 * 1024)

__thread char *rpy_stack_limit;

void rpy_stack_init(void)
{
    char *here = (char *)__builtin_frame_address(0);
    uint64_t budget = (uint64_t)rpy_recursion_limit * RPY_STACK_PER_FRAME;
    struct rlimit rl;
    if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
        uint64_t usable = rl.rlim_cur > 2 * SAFETY_MARGIN ? rl.rlim_cur - SAFETY_MARGIN : rl.rlim_cur / 2;
        if (budget > usable)
            budget = usable;
    }
    rpy_stack_limit = here - budget;
}

void rpy_stack_overflow(void)
{
    rpy_raise_builtin_c(RPY_EXC_RecursionError, "maximum recursion depth exceeded");
}
