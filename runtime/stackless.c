/* stackless.c - coroutines for stackless programs: the bottom of every
 * call chain, where unwound frames are kept and from which they resume.
 *
 * The compiled code cooperates (transforms/stackless.c): a switch sets
 * rpy_sl_unwinding and returns; every transformed caller then saves its
 * live values in a heap frame record (struct rpy_sl_frame and typed
 * slots, a GC object), pushes it with rpy_sl_push and returns, so the C
 * stack empties down to rpy_sl_run_entry. There the chain of records,
 * innermost first, becomes the suspended coroutine's state, and the
 * target coroutine resumes: its innermost record's resume function runs
 * (it calls the graph with rpy_sl_resuming set; the graph jumps to the
 * saved point and goes on), and when that function returns, its result
 * goes to the next record, one frame per return. A switch while resuming
 * puts the new records in front of those not yet resumed.
 *
 * Coroutines are numbered (0 is the main one, which runs the module
 * code). A fresh coroutine has no frames: the switch that starts it
 * copies the switching function's own record (the innermost one) as its
 * only frame, and the switch call returns True there, False everywhere
 * else. That is fork: rpy/greenlet.py's _switch_to, resumed in the new
 * coroutine, sees True and calls the greenlet's run function. A
 * coroutine ends with rpy_sl_exit_to, which drops its frames.
 *
 * One thread: the state is process-wide. The records of suspended
 * coroutines live in a GC array (a static root), so the collector traces
 * and moves them like any object.
 */
#include "runtime/rt_internal.h"

#include <stdlib.h>
#include <string.h>

rpy_bool rpy_sl_unwinding;
rpy_bool rpy_sl_resuming;

enum { SL_FREE, SL_FRESH, SL_STARTED };

static struct {
    struct rpy_sl_frame *unwound;   /* records pushed by this unwinding, outermost first (a root) */
    struct rpy_sl_frame *resuming;  /* the record being resumed (a root) */
    void *exc;                      /* the exception a resumed frame must see (a root) */
    void *ret_ptr;                  /* the result of the last resumed frame, if a pointer (a root) */
    rpy_word ret_word;              /* ... otherwise */
    struct rpy_array *chains;       /* per coroutine: its records, innermost first (a root) */
    unsigned char *state;           /* per coroutine: SL_* */
    rpy_int *free;                  /* free coroutine numbers */
    rpy_int nfree, cap, current, target;
    bool exiting;                   /* the current coroutine ends (rpy_sl_exit_to) */
    bool ready;
} sl;

static void grow(void)
{
    rpy_int cap = sl.cap ? sl.cap * 2 : 64;
    struct rpy_array *a = rpy_malloc(&rpy_ti_array_gc, sizeof(struct rpy_array) + (size_t)cap * sizeof(rpy_word));
    a->length = cap;
    if (sl.chains)
        memcpy(a->items, sl.chains->items, (size_t)sl.cap * sizeof(rpy_word));
    sl.chains = a;
    sl.state = realloc(sl.state, (size_t)cap);
    sl.free = realloc(sl.free, (size_t)cap * sizeof(rpy_int));
    if (!sl.state || !sl.free)
        RT_DIE("out of memory for coroutines");
    memset(sl.state + sl.cap, SL_FREE, (size_t)(cap - sl.cap));
    for (rpy_int i = cap - 1; i >= sl.cap; i--)
        if (i != 0)
            sl.free[sl.nfree++] = i;
    sl.cap = cap;
}

static void init(void)
{
    if (sl.ready)
        return;
    sl.ready = true;
    rpy_gc_add_static_root((void **)&sl.unwound);
    rpy_gc_add_static_root((void **)&sl.resuming);
    rpy_gc_add_static_root((void **)&sl.exc);
    rpy_gc_add_static_root((void **)&sl.ret_ptr);
    rpy_gc_add_static_root((void **)&sl.chains);
    grow();
    sl.state[0] = SL_STARTED;
    sl.current = 0;
}

static struct rpy_sl_frame *chain_of(rpy_int c) { return (struct rpy_sl_frame *)sl.chains->items[c]; }

static void set_chain(rpy_int c, struct rpy_sl_frame *f)
{
    rpy_gc_wb(sl.chains);
    sl.chains->items[c] = (rpy_word)(uintptr_t)f;
}

static void set_next(struct rpy_sl_frame *f, struct rpy_sl_frame *next)
{
    rpy_gc_wb(f);
    f->next = next;
}

/* ---- what compiled code calls ---- */

void rpy_sl_push(void *frame)
{
    struct rpy_sl_frame *f = frame;
    f->next = sl.unwound; /* f is fresh from the nursery: no barrier */
    sl.unwound = f;
}

void *rpy_sl_resume_frame(void) { return sl.resuming; }

void rpy_sl_resumed(void)
{
    rpy_sl_resuming = false;
    sl.resuming = NULL;
    rpy_exc_value = sl.exc;
    sl.exc = NULL;
}

rpy_int rpy_sl_result_int(void) { return (rpy_int)sl.ret_word; }
rpy_float rpy_sl_result_float(void) { return rpy_w_to_float(sl.ret_word); }
rpy_bool rpy_sl_result_bool(void) { return sl.ret_word != 0; }
rpy_word rpy_sl_result_word(void) { return sl.ret_word; }
void *rpy_sl_result_ptr(void) { return sl.ret_ptr; }
void rpy_sl_set_result_int(rpy_int v) { sl.ret_word = (rpy_word)v; }
void rpy_sl_set_result_float(rpy_float v) { sl.ret_word = rpy_w_from_float(v); }
void rpy_sl_set_result_bool(rpy_bool v) { sl.ret_word = v; }
void rpy_sl_set_result_word(rpy_word v) { sl.ret_word = v; }
void rpy_sl_set_result_ptr(void *v) { sl.ret_ptr = v; }

/* A call from the runtime into compiled code tried to switch: the C
 * frames in between cannot be saved. */
void rpy_sl_cannot_unwind(void)
{
    if (rpy_sl_unwinding)
        RT_DIE("a switch from code that the runtime called (a special method such as __str__, __eq__ or "
               "__hash__, or a sort key) is not supported");
}

/* ---- the primitives of rpy/greenlet.py (module _rpystackless) ---- */

rpy_int rpy_sl_new(void)
{
    init();
    if (!sl.nfree)
        grow();
    rpy_int c = sl.free[--sl.nfree];
    sl.state[c] = SL_FRESH;
    set_chain(c, NULL);
    return c;
}

rpy_int rpy_sl_current(void)
{
    init();
    return sl.current;
}

static void request(rpy_int target, bool exiting)
{
    init();
    if (target < 0 || target >= sl.cap || sl.state[target] == SL_FREE)
        RT_DIE("switch to a coroutine that does not exist");
    sl.target = target;
    sl.exiting = exiting;
    rpy_sl_unwinding = true;
}

rpy_bool rpy_sl_switch(rpy_int target)
{
    request(target, false);
    return false;
}

void rpy_sl_exit_to(rpy_int target) { request(target, true); }

/* ---- the bottom ---- */

/* The records of this unwinding, innermost first, then `rest`. */
static struct rpy_sl_frame *take_unwound(struct rpy_sl_frame *rest)
{
    struct rpy_sl_frame *f = sl.unwound, *out = rest;
    sl.unwound = NULL;
    while (f) {
        struct rpy_sl_frame *next = f->next;
        set_next(f, out);
        out = f;
        f = next;
    }
    return out;
}

/* A copy of record f (a fresh coroutine's first frame). */
static struct rpy_sl_frame *clone(struct rpy_sl_frame *f)
{
    const struct rpy_typeinfo *ti = rpy_typetable[f->hdr.tid];
    set_chain(sl.current, f); /* rooted while we allocate */
    struct rpy_sl_frame *c = rpy_malloc(ti, ti->size);
    f = chain_of(sl.current);
    memcpy((char *)c + sizeof(struct rpy_hdr), (char *)f + sizeof(struct rpy_hdr), ti->size - sizeof(struct rpy_hdr));
    c->next = NULL;
    return c;
}

/* Runs the module code of one module with coroutines: returns when the
 * main coroutine's bottom frame (entry) has returned, normally or with
 * an exception. */
void rpy_sl_run_entry(void (*entry)(void))
{
    init();
    entry();
    while (rpy_sl_unwinding) {
        rpy_sl_unwinding = false;
        rpy_int from = sl.current, to = sl.target;
        /* The frames of `from` not resumed yet follow the new ones. */
        struct rpy_sl_frame *chain = take_unwound(chain_of(from));
        bool fresh = sl.state[to] == SL_FRESH;
        if (fresh) {
            if (!chain || sl.exiting)
                RT_DIE("a coroutine started from nowhere");
            set_chain(to, clone(chain));
            chain = chain_of(from);
            sl.state[to] = SL_STARTED;
        }
        if (sl.exiting) {
            set_chain(from, NULL);
            sl.state[from] = SL_FREE;
            sl.free[sl.nfree++] = from;
        } else {
            set_chain(from, chain);
        }
        sl.current = to;
        sl.ret_word = fresh;
        sl.ret_ptr = NULL;
        /* Resume `to`, one frame per return, until it switches again or
         * its bottom frame returns. */
        for (;;) {
            struct rpy_sl_frame *f = chain_of(to);
            if (!f) {
                if (to == 0)
                    return;
                RT_DIE("a coroutine's bottom frame returned");
            }
            set_chain(to, f->next);
            sl.resuming = f;
            sl.exc = rpy_exc_value;
            rpy_exc_value = NULL;
            rpy_sl_resuming = true;
            ((void (*)(void))(uintptr_t)f->fn)();
            if (rpy_sl_unwinding)
                break;
        }
    }
}
