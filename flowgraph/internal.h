/* internal.h - what the files of flowgraph/ share and nobody else needs.
 *
 * A pointer map (the model has no scratch field on values, so passes that
 * attach data to variables use one of these), and the simplification pass
 * the builder runs on every graph (also called by the unit tests).
 */
#ifndef RPY_FLOWGRAPH_INTERNAL_H
#define RPY_FLOWGRAPH_INTERNAL_H

#include "graph.h"

/* ---- pointer map: open addressing, arena backed, no deletion ---- */
struct fg_ptrmap {
    const void **keys;
    void **vals;
    size_t cap;  /* a power of two, or 0 */
    size_t n;
};
/* Make room for n entries up front (saves rehashing in hot passes). */
void fg_ptrmap_reserve(struct fg_ptrmap *m, size_t n);
void fg_ptrmap_put(struct fg_ptrmap *m, const void *key, void *val);
/* The value stored for key, or NULL. */
void *fg_ptrmap_get(const struct fg_ptrmap *m, const void *key);
bool fg_ptrmap_has(const struct fg_ptrmap *m, const void *key);

/* ---- graph.c ----
 * Is this a temporary's name ("v" as the builder, the rtyper and
 * fg_newvar(NULL) spell it)? A Python variable called `v` has the
 * interned "v" instead, so that the two never print alike ("v3" for a
 * temporary, "v_3" for the variable). */
bool fg_is_temp_name(const char *name);

/* ---- simplify.c ----
 * Turns the builder's naive graph (every block takes every local) into
 * tidy SSI: merges straight-line chains, bypasses empty forwarding blocks,
 * drops unreachable blocks and removes dead block inputs. Requires a graph
 * that satisfies checkgraph; keeps it so. */
void fg_simplify(struct fg_graph *g);
/* unbound.c: UnboundLocalError checks for locals some path leaves unset. */
void fg_check_unbound(struct fg_graph *g);

#endif
