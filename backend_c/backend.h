/* backend.h - the one interface both code generators implement (the C
 * emitter here, the LLVM one in backend_llvm/): they read the same
 * low-level graphs and type tables and must produce programs that print
 * the same thing.
 */
#ifndef RPY_BACKEND_H
#define RPY_BACKEND_H

#include "../rtyper/rtyper.h"

struct backend_opts {
    const char *output;     /* the executable to write */
    const char *keep_dir;   /* keep generated sources here (NULL: a temp dir) */
    const char *rt_libdir;  /* where librpyrt.a is */
    const char *rt_incdir;  /* where rpyrt.h is */
    int opt_level;          /* 0..3 */
    bool debug;             /* -g: line info for gdb */
    bool verbose;
    /* --emit: also write the LLVM IR (.ll) / the object file here (NULL:
     * not wanted). The LLVM backend writes both; the C backend ignores them. */
    const char *emit_ll;
    const char *emit_obj;
};

struct backend {
    const char *name;
    /* Generate code for the program and link it with the runtime into
     * opts->output. Returns false (after printing why) on failure. */
    bool (*build)(struct rt_program *prog, const struct backend_opts *opts);
};

extern const struct backend cb_backend_c;

/* The C source of the program (used by build, and by --emit=c). */
void cb_emit_program(FILE *out, struct rt_program *prog);

#endif
