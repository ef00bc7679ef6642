/* transforms.h - graph-to-graph passes over the low-level graphs, run by
 * the driver between the rtyper and the backend, in this order:
 *
 *   tf_insert_stack_checks  RecursionError in recursive graphs (stackcheck.c)
 *   tf_transform_exceptions  explicit checks after raising ops (exceptions.c)
 *   tf_remove_mallocs    objects that do not escape become locals (mallocremoval.c)
 *   tf_propagate_copies  removes same_as copies (copyprop.c)
 *   tf_remove_dead_ops   pure ops whose result is unused (dce.c)
 *   tf_transform_stackless  calls that can switch coroutines resume (stackless.c)
 *   tf_insert_gc_roots   shadow-stack roots and write barriers (gcroots.c)
 *
 * The STM transform joins this list in a later issue; each is one file
 * with its contract at the top.
 */
#ifndef RPY_TRANSFORMS_H
#define RPY_TRANSFORMS_H

#include "../rtyper/rtyper.h"

void tf_remove_mallocs(struct fg_graph *g);
void tf_propagate_copies(struct fg_graph *g);
void tf_remove_dead_ops(struct fg_graph *g);
void tf_insert_stack_checks(struct rt_program *prog);
void tf_transform_exceptions(struct rt_program *prog);
void tf_insert_gc_roots(struct rt_program *prog);
void tf_transform_stackless(struct rt_program *prog);

/* effects.c: g->effects of every graph (OPF_RAISE / OPF_COLLECT / OPF_UNWIND), and
 * what one op may do given those. */
void tf_compute_effects(struct rt_program *prog);
unsigned tf_op_effects(const struct fg_op *op);

/* Every transform, in order, over every graph of the program. */
void tf_run_all(struct rt_program *prog);

#endif
