/* transforms.c - the order in which the transforms run (see transforms.h). */
#include "transforms.h"

void tf_run_all(struct rt_program *prog)
{
    for (int i = 0; i < prog->graphs.n; i++) {
        struct fg_graph *g = prog->graphs.v[i];
        tf_propagate_copies(g);
        tf_remove_dead_ops(g);
    }
}
