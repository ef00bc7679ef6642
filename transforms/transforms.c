/* transforms.c - the order in which the transforms run (see transforms.h). */
#include "transforms.h"

void tf_run_all(struct rt_program *prog)
{
    tf_insert_stack_checks(prog);
    tf_transform_exceptions(prog);
    for (int i = 0; i < prog->graphs.n; i++) {
        struct fg_graph *g = prog->graphs.v[i];
        /* Copies hide that a pointer is only used by getfield/setfield:
         * propagate them first, then again to clean up what malloc
         * removal leaves. */
        tf_propagate_copies(g);
        tf_remove_mallocs(g);
        tf_propagate_copies(g);
        tf_remove_dead_ops(g);
    }
    tf_transform_stackless(prog);
    tf_insert_gc_roots(prog);
}
