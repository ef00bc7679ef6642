/* rpyrt.h - the runtime's one public header: the ABI between compiled RPy
 * programs (C emitted by backend_c, later LLVM IR) and librpyrt.a.
 *
 * Value model. A compiled program keeps locals in their natural C types:
 * rpy_int (int64), rpy_float (double), rpy_bool, and pointers to GC objects
 * (a NULL pointer is Python's None for nullable types). Inside containers
 * (list items, dict keys/values, set items, tuple fields) every value is one
 * 64-bit rpy_word; the static type of the slot is described by a
 * `struct rpy_typeinfo`, so one generic runtime routine serves lists of any
 * item type (repr, ==, <, hash, sort) while the items stay unboxed.
 *
 * GC objects. Every GC object starts with struct rpy_hdr, whose tid indexes
 * the type table (rpy_typetable). Tids below RPY_TID_FIRST_PROGRAM are the
 * runtime's own types; the backend emits the rest. All allocation goes
 * through rpy_malloc (one allocator: the collector plugs in there).
 *
 * Errors. Runtime routines that detect a Python error call
 * rpy_raise_builtin(), which makes the exception the thread's current one;
 * the routine then returns a dummy value, and the compiled caller checks
 * for the exception after the call (see "Exceptions" below).
 *
 * Functions marked "inline" below are RPY_INLINE here so the C backend
 * gets them inlined; each also has an out-of-line twin named with a `_x`
 * suffix for backends that cannot include C (LLVM).
 */
#ifndef RPY_RPYRT_H
#define RPY_RPYRT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The runtime's small routines are inlined into compiled code even in its
 * very large functions (GCC's inlining budget would otherwise give up). */
#define RPY_INLINE static inline __attribute__((always_inline))

typedef int64_t rpy_int;
typedef double rpy_float;
typedef bool rpy_bool;
typedef uint64_t rpy_word;

/* ------------------------------------------------------------------ */
/* GC objects and type information                                      */
/* ------------------------------------------------------------------ */

struct rpy_hdr {
    uint32_t tid;     /* index into rpy_typetable */
    uint32_t gcflags; /* RPY_GC_*; bits 0x100 and up are private to gc.c */
};
/* Objects are 8-byte aligned and take at least 16 bytes (word 1 holds the
 * forwarding address while a collection moves the object). */
#define RPY_GC_PREBUILT 0x1u    /* static data emitted by the backend or the runtime: never moved or freed */
#define RPY_GC_TRACK_YOUNG 0x2u /* an old or prebuilt object not in the remembered set: storing a GC
                                 * pointer into it must first call rpy_gc_remember (rpy_gc_wb) */

enum rpy_kind {
    RPY_K_NONE,     /* the None type: slot holds 0 */
    RPY_K_INT,      /* slot holds an rpy_int */
    RPY_K_FLOAT,    /* slot holds the bits of an rpy_float */
    RPY_K_BOOL,     /* slot holds 0 or 1 */
    RPY_K_STR,      /* GC pointer to struct rpy_str (NULL = None) */
    RPY_K_LIST,     /* GC pointer to struct rpy_list */
    RPY_K_DICT,     /* GC pointer to struct rpy_dict */
    RPY_K_SET,      /* GC pointer to struct rpy_set */
    RPY_K_TUPLE,    /* GC pointer to struct rpy_tuple */
    RPY_K_INSTANCE, /* GC pointer to an instance (struct rpy_instance first) */
    RPY_K_ARRAY,    /* GC pointer to struct rpy_array (internal storage) */
    RPY_K_ITER,     /* GC pointer to an iterator object (internal) */
};

/* Describes one static type: of a slot, and for GC types also of objects.
 * Emitted by the backend as static const data for the program's types;
 * the runtime provides the ones below for its own. */
struct rpy_typeinfo {
    uint32_t kind;                      /* enum rpy_kind */
    uint32_t tid;                       /* GC types: index in rpy_typetable; else 0 */
    uint32_t size;                      /* GC types: fixed size in bytes */
    uint32_t nitems;                    /* TUPLE: arity; INSTANCE: number of fields */
    const char *name;                   /* "tuple", class name, ... (diagnostics, repr) */
    const struct rpy_typeinfo *item;    /* LIST/SET item, DICT key, ARRAY item */
    const struct rpy_typeinfo *value;   /* DICT value */
    const struct rpy_typeinfo *const *items; /* TUPLE: type of each field */
    const uint32_t *offsets;            /* INSTANCE: offset of each field */
    const struct rpy_typeinfo *const *fields; /* INSTANCE: type of each field */
    const struct rpy_classinfo *cls;    /* INSTANCE: the class (NULL in runtime unit tests) */
    uint32_t flags;                     /* RPY_TI_* */
};
#define RPY_TI_DEQUE 0x1u /* a LIST that is a collections.deque: struct rpy_deque */
#define RPY_TI_MIXED_LIST 0x2u /* a TUPLE standing for a list display of mixed types: repr [a, b] */
#define RPY_TI_TUPLE 0x4u      /* a LIST that is a tuple of any length (tuple(xs)): repr (a, b), hashable */

/* The class of an instance type: what the runtime's generic operations
 * need to treat instances as CPython would. The special methods are
 * wrappers the compiler emits around the user's methods (NULL: not
 * defined, the default behaviour applies). A wrapper may raise: the
 * caller checks rpy_exc_occurred() after it. */
struct rpy_classinfo {
    const char *name;          /* as CPython prints it: "ParseError", "stock.OutOfStock" */
    uint32_t flags;            /* RPY_CLS_* */
    struct rpy_str *(*str)(void *self);   /* __str__ */
    struct rpy_str *(*repr)(void *self);  /* __repr__ */
    /* The binary ones are called with an instance of the same slot type as
     * other (the runtime only compares values of one static type). */
    rpy_bool (*eq)(void *self, void *other); /* __eq__; NULL: identity */
    rpy_bool (*ne)(void *self, void *other); /* __ne__; NULL: not __eq__ */
    rpy_bool (*lt)(void *self, void *other); /* __lt__ ... NULL: not orderable */
    rpy_bool (*le)(void *self, void *other);
    rpy_bool (*gt)(void *self, void *other);
    rpy_bool (*ge)(void *self, void *other);
    rpy_int (*hash)(void *self);             /* __hash__; NULL: by identity (or unhashable with __eq__) */
    rpy_bool (*bool_)(void *self);           /* __bool__ */
    rpy_int (*len)(void *self);              /* __len__ (truth when there is no __bool__) */
};
#define RPY_CLS_EXCEPTION 0x1u  /* a subclass of BaseException: starts like struct rpy_exc_base */
#define RPY_CLS_UNHASHABLE 0x2u /* defines __eq__ but not __hash__: hash() raises TypeError */
#define RPY_CLS_KEYERROR 0x4u   /* KeyError or a subclass: str() of it is already repr(arg) */

/* True for kinds whose slot holds a GC pointer. */
RPY_INLINE bool rpy_kind_is_gc(uint32_t kind) { return kind >= RPY_K_STR; }

/* Built-in type infos. */
extern const struct rpy_typeinfo rpy_ti_none, rpy_ti_int, rpy_ti_float, rpy_ti_bool, rpy_ti_str;
/* Item storage: arrays of non-GC words and of GC-pointer words. */
extern const struct rpy_typeinfo rpy_ti_array_raw, rpy_ti_array_gc;
/* The type of a field that may point to a GC object of any type (a
 * function object's environment): only says "trace this". */
extern const struct rpy_typeinfo rpy_ti_gcref;

enum {
    RPY_TID_INVALID = 0,
    RPY_TID_STR = 1,
    RPY_TID_ARRAY_RAW = 2,
    RPY_TID_ARRAY_GC = 3,
    RPY_TID_FILE = 4, /* struct rpy_file, rpy_ti_file (fileio.c) */
    RPY_TID_FIRST_PROGRAM = 16,
};

/* Emitted by the backend: entry 0 is NULL, entries 1..4 point at the
 * runtime's rpy_ti_str, rpy_ti_array_raw, rpy_ti_array_gc, rpy_ti_file,
 * the rest up to RPY_TID_FIRST_PROGRAM are NULL, then the program's GC
 * types. (Entry 4 may be NULL in a program that opens no file: rpy_startup
 * accepts that, and open() then stops with an internal error.) */
extern const struct rpy_typeinfo *const rpy_typetable[];
extern const uint32_t rpy_ntypes;

/* Word conversions (inline; bit casts, no range checks). */
RPY_INLINE rpy_word rpy_w_from_int(rpy_int v) { return (rpy_word)v; }
RPY_INLINE rpy_int rpy_w_to_int(rpy_word w) { return (rpy_int)w; }
RPY_INLINE rpy_word rpy_w_from_float(rpy_float v) { rpy_word w; memcpy(&w, &v, 8); return w; }
RPY_INLINE rpy_float rpy_w_to_float(rpy_word w) { rpy_float v; memcpy(&v, &w, 8); return v; }
RPY_INLINE rpy_word rpy_w_from_bool(rpy_bool v) { return v ? 1u : 0u; }
RPY_INLINE rpy_bool rpy_w_to_bool(rpy_word w) { return w != 0; }
RPY_INLINE rpy_word rpy_w_from_ptr(const void *p) { return (rpy_word)(uintptr_t)p; }
RPY_INLINE void *rpy_w_to_ptr(rpy_word w) { return (void *)(uintptr_t)w; }

/* ---- allocation: the one allocator ----
 * Returns zeroed memory of `size` bytes whose header is initialised with
 * ti->tid (gcflags 0). Out of memory: prints "MemoryError" and exits 1.
 *
 * Any allocation may run the collector, which MOVES young objects: every
 * GC pointer held across a call that can allocate (directly or through
 * compiled code called back) must be a root, or it is stale afterwards.
 * Compiled code keeps its roots on the shadow stack (transforms/gcroots.c);
 * runtime C code protects its local variables with RPY_ROOT below.
 *
 * Inline: the fast path bumps the running thread's nursery pointer. The
 * slow path (nursery full: a minor collection; objects of RPY_GC_LARGE
 * bytes or more: born in the old generation) is rpy_gc_malloc_slow. Under
 * AddressSanitizer every allocation goes out of line, so that the
 * collector can keep the free nursery poisoned. rpy_malloc_x is the
 * out-of-line twin. */
#if defined(__SANITIZE_ADDRESS__)
#define RPY_GC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RPY_GC_ASAN 1
#endif
#endif
#ifndef RPY_GC_ASAN
#define RPY_GC_ASAN 0
#endif
#define RPY_GC_LARGE 65536u
struct rpy_nursery {
    uintptr_t free; /* the next object goes here */
    uintptr_t top;  /* end of the room; free == top: every allocation is slow */
};
extern __thread struct rpy_nursery rpy_nursery;
void *rpy_gc_malloc_slow(const struct rpy_typeinfo *ti, size_t size);
void *rpy_malloc_x(const struct rpy_typeinfo *ti, size_t size);
RPY_INLINE void *rpy_malloc(const struct rpy_typeinfo *ti, size_t size)
{
#if RPY_GC_ASAN
    return rpy_malloc_x(ti, size);
#else
    /* free and top are multiples of 8, so room >= n implies room for n
     * rounded up; and n is never rounded past SIZE_MAX. */
    size_t n = size < 16 ? 16 : size;
    uintptr_t p = rpy_nursery.free;
    if (__builtin_expect(n < RPY_GC_LARGE && rpy_nursery.top - p >= n, 1)) {
        n = (n + 7) & ~(size_t)7;
        rpy_nursery.free = p + n;
        memset((void *)p, 0, n);
        ((struct rpy_hdr *)p)->tid = ti->tid;
        return (void *)p;
    }
    return rpy_gc_malloc_slow(ti, size);
#endif
}

/* ---- the collector (gc.c) ----
 * Precise, generational, moving: a bump-pointer nursery whose survivors
 * are copied into a non-moving mark-sweep old generation. Roots:
 *   - the shadow stack [rpy_ss_base, rpy_ss_top): GC pointers (or NULL)
 *     saved by compiled code around calls that can collect;
 *   - the runtime's protected C variables (RPY_ROOT);
 *   - the program's global variables (rpy_gc_global_roots, emitted by the
 *     backend) and static roots registered with rpy_gc_add_static_root;
 *   - the current exception (rpy_exc_value);
 *   - prebuilt objects that hold GC pointers (rpy_gc_prebuilt_objects),
 *     which are also never moved nor freed.
 * Invariant (write barrier): an old or prebuilt object that may point to a
 * young object is in the remembered set. Its TRACK_YOUNG flag is clear
 * while it is there; rpy_gc_wb(obj) before every store of a GC pointer
 * into an object keeps the invariant. Objects allocated in the nursery
 * need no barrier until the next collection, and neither do objects that
 * rpy_malloc returns from outside it (large ones): they start in the
 * remembered set.
 * What the collector traces, by kind (the type table says which slots are
 * GC pointers): a list's items array (a list of ints too); a dict's or
 * set's storage, which is one rpy_array block that `index` and `entries`
 * point into (dict.c: resize), or capacity 0 and no block; its keys and
 * values; tuple items and instance fields. A pointer to memory outside the
 * heap must be to an object with RPY_GC_PREBUILT (a prebuilt dict's
 * storage too is such a block); a prebuilt object that holds GC pointers
 * must be in rpy_gc_prebuilt_objects and carry TRACK_YOUNG. */
void rpy_gc_remember(void *obj);
RPY_INLINE void rpy_gc_wb(void *obj)
{
    if (((struct rpy_hdr *)obj)->gcflags & RPY_GC_TRACK_YOUNG)
        rpy_gc_remember(obj);
}
void rpy_gc_wb_x(void *obj);               /* out-of-line twin */
void rpy_gc_collect(void);                 /* a full (major) collection */
void rpy_gc_add_static_root(void **addr);  /* a C static holding a GC pointer (or NULL) */
/* Identity that survives moves: rpy_gc_id(obj) is the address obj has, or
 * for a young object will have, in the old generation, where it never
 * moves again; so it is the same for the object's whole life and differs
 * between live objects: id(obj), and the address the default repr
 * prints. rpy_gc_identity_hash is CPython's pointer hash of it (never -1),
 * the hash of an instance without __hash__. Neither collects nor raises. */
rpy_int rpy_gc_id(void *obj);
/* id(x): rpy_gc_id, and 0 for None (CPython gives None's address). */
rpy_int rpy_id_of(void *obj);
rpy_int rpy_gc_identity_hash(void *obj);

/* The shadow stack of the running thread: compiled code stores live GC
 * pointers at rpy_ss_top[0..n-1], bumps rpy_ss_top by n around a call that
 * can collect, and reloads them afterwards (the collector updates moved
 * objects in place). */
extern __thread void **rpy_ss_top;
extern __thread void **rpy_ss_base;

/* Emitted by the backend: addresses of the program's global variables
 * that hold GC pointers, and the prebuilt objects that hold GC pointers;
 * both NULL-terminated. */
extern void **const rpy_gc_global_roots[];
extern void *const rpy_gc_prebuilt_objects[];

/* Runtime roots. `RPY_ROOT(p);` after the declaration of a GC pointer
 * variable p (of any pointer type) makes p a root until the end of the
 * enclosing block: when the object moves, the collector updates p. The
 * protection is popped automatically (GCC/Clang cleanup attribute), so
 * early returns are safe. Protect every GC pointer that is read after a
 * call that can allocate; re-read interior pointers (l->items,
 * d->entries) after such calls. */
extern __thread void ***rpy_rt_roots_top;
extern __thread void ***rpy_rt_roots_end;
void rpy_rt_roots_overflow(void);
RPY_INLINE void **rpy_rt_root_push(void **addr)
{
    if (rpy_rt_roots_top == rpy_rt_roots_end)
        rpy_rt_roots_overflow();
    *rpy_rt_roots_top++ = addr;
    return (void **)addr;
}
RPY_INLINE void rpy_rt_root_pop(void ***unused)
{
    (void)unused;
    rpy_rt_roots_top--;
}
#define RPY_CAT2(a, b) a##b
#define RPY_CAT(a, b) RPY_CAT2(a, b)
#define RPY_ROOT(var)                                                                \
    void **RPY_CAT(rpy_root_, __LINE__) __attribute__((cleanup(rpy_rt_root_pop), unused)) = \
        rpy_rt_root_push((void **)&(var))
/* `RPY_ROOT_WORD(w, is_gc);` does the same for an rpy_word variable w
 * that holds a GC pointer (or 0 for None) exactly when is_gc, i.e. when
 * rpy_kind_is_gc(kind) for the type info describing w. When is_gc is false
 * a local NULL slot is rooted instead, so an int or the bits of a float
 * are never taken for a pointer. (The collector updates w through a
 * void **: a word and a pointer have one size and representation.) */
#define RPY_ROOT_WORD(w, is_gc)                                                      \
    _Static_assert(sizeof(w) == sizeof(void *), "RPY_ROOT_WORD needs a 64-bit word"); \
    void *RPY_CAT(rpy_noroot_, __LINE__) = NULL;                                     \
    void **RPY_CAT(rpy_root_, __LINE__) __attribute__((cleanup(rpy_rt_root_pop), unused)) = \
        rpy_rt_root_push((is_gc) ? (void **)(void *)&(w) : &RPY_CAT(rpy_noroot_, __LINE__))

/* ------------------------------------------------------------------ */
/* Generic operations on slot values, driven by type info                */
/* ------------------------------------------------------------------ */
struct rpy_str;
struct rpy_str *rpy_str_of(rpy_word v, const struct rpy_typeinfo *ti);  /* str(v) */
struct rpy_str *rpy_repr_of(rpy_word v, const struct rpy_typeinfo *ti); /* repr(v) */
rpy_bool rpy_eq(rpy_word a, rpy_word b, const struct rpy_typeinfo *ti); /* a == b */
/* Python ordering: returns <0, 0, >0. Unorderable (dicts, None) raise
 * TypeError with CPython's message ("'<' not supported between instances
 * of 'dict' and 'dict'"); op is the operator spelling for that message. */
int rpy_compare(rpy_word a, rpy_word b, const struct rpy_typeinfo *ti, const char *op);
rpy_int rpy_hash(rpy_word v, const struct rpy_typeinfo *ti);            /* hash(v) */
rpy_bool rpy_truth(rpy_word v, const struct rpy_typeinfo *ti);          /* bool(v) */
/* A scalar that may be None (d.get(k) of a dict of ints, floats or
 * bools: the value when found, else None): str()/repr(), print, format. */
struct rpy_str *rpy_str_of_maybe(rpy_word v, rpy_bool found, const struct rpy_typeinfo *ti, rpy_bool repr);
void rpy_write_maybe(rpy_word v, rpy_bool found, const struct rpy_typeinfo *ti);
struct rpy_str *rpy_format_maybe(rpy_word v, rpy_bool found, const struct rpy_typeinfo *ti, const struct rpy_str *spec);

/* ------------------------------------------------------------------ */
/* Exceptions (see the note at the top)                                 */
/* ------------------------------------------------------------------ */
/* The built-in exception classes, each after its base (the root's base is
 * itself): CPython's hierarchy. X(name, base). */
#define RPY_BUILTIN_EXCEPTIONS(X)                                                    \
    X(BaseException, BaseException)                                                  \
    X(SystemExit, BaseException)                                                     \
    X(KeyboardInterrupt, BaseException)                                              \
    X(GeneratorExit, BaseException)                                                  \
    X(Exception, BaseException)                                                      \
    X(ArithmeticError, Exception)                                                    \
    X(ZeroDivisionError, ArithmeticError)                                            \
    X(OverflowError, ArithmeticError)                                                \
    X(FloatingPointError, ArithmeticError)                                           \
    X(LookupError, Exception)                                                        \
    X(IndexError, LookupError)                                                       \
    X(KeyError, LookupError)                                                         \
    X(ValueError, Exception)                                                         \
    X(UnicodeError, ValueError)                                                      \
    X(TypeError, Exception)                                                          \
    X(AssertionError, Exception)                                                     \
    X(AttributeError, Exception)                                                     \
    X(NameError, Exception)                                                          \
    X(UnboundLocalError, NameError)                                                  \
    X(RuntimeError, Exception)                                                       \
    X(RecursionError, RuntimeError)                                                  \
    X(NotImplementedError, RuntimeError)                                             \
    X(StopIteration, Exception)                                                      \
    X(OSError, Exception)                                                            \
    X(FileNotFoundError, OSError)                                                    \
    X(EOFError, Exception)                                                           \
    X(MemoryError, Exception)
enum rpy_exc {
#define X(name, base) RPY_EXC_##name,
    RPY_BUILTIN_EXCEPTIONS(X)
#undef X
    RPY_EXC_COUNT
};
const char *rpy_exc_name(enum rpy_exc e);

/* Raising. An exception is an instance of an exception class: a GC
 * object whose layout starts like struct rpy_exc_base (BaseException's
 * one field, `msg`, is str(exception) as CPython computes it from the
 * constructor's arguments: "" for none, str(arg) for one, repr(arg) for
 * a KeyError's one, the repr of the tuple for several). Raising stores
 * the instance in the thread's current exception and returns; the caller
 * returns a dummy value, and compiled code checks rpy_exc_occurred()
 * after every call that can raise (transforms/exceptions.c), unwinding
 * frame by frame with a traceback entry each (rpy_tb_add). */
struct rpy_exc_base {
    struct rpy_hdr hdr;
    struct rpy_str *msg;
};
extern __thread void *rpy_exc_value; /* the exception being raised, or NULL (a GC root) */
RPY_INLINE rpy_bool rpy_exc_occurred(void) { return rpy_exc_value != NULL; }
void rpy_raise(void *exc);  /* start raising exc (an exception instance) */
void *rpy_exc_fetch(void);  /* the current exception, now caught: cleared, traceback dropped */
/* A frame the exception passes through (static data, one per raising op). */
struct rpy_tb_loc {
    const char *file;
    const char *func;
    int32_t line;
};
void rpy_tb_add(const struct rpy_tb_loc *loc);
/* Keeps the traceback of the exception caught last: raising that object
 * again continues it (stackless: an exception carried between tasklets). */
void rpy_keep_traceback(void);
/* Prints header, then the kept exception with its traceback (rpy.thread). */
void rpy_print_kept_exception(const struct rpy_str *header);
/* An exception reached the top: print the traceback and CPython's last
 * line ("Name: message", "Name" when str() is empty), then exit 1. */
_Noreturn void rpy_report_uncaught(void);
/* Emitted by the backend: the type id of each built-in exception class
 * (the runtime allocates these when it raises). A program that defines no
 * table (unit tests of the runtime) gets all zeros: raising then prints
 * the error and exits at once, as an uncaught exception would. */
extern const uint32_t rpy_exc_tids[RPY_EXC_COUNT];
/* Raise a built-in exception with a message (msg may be NULL: no message).
 * `KeyError` formats its message argument with repr, as CPython does, so
 * callers pass the key's repr already made by rpy_repr_of. */
void rpy_raise_builtin(enum rpy_exc e, struct rpy_str *msg);
void rpy_raise_builtin_c(enum rpy_exc e, const char *msg);
void rpy_stop_iteration_unless(rpy_bool has); /* next(it): StopIteration at the end */
/* isinstance: instance classes have consecutive type ids in preorder of
 * the class tree, so `obj` is an instance of the class whose subtree has
 * ids [lo, hi] exactly when its tid is in that range. */
RPY_INLINE rpy_bool rpy_tid_in(const void *obj, uint32_t lo, uint32_t hi)
{
    return obj && ((const struct rpy_hdr *)obj)->tid - lo <= hi - lo;
}
/* Runs at program start / end: stdout buffering, argv, type table checks;
 * rpy_exit flushes stdout and exits. */
void rpy_startup(int argc, char **argv);
_Noreturn void rpy_exit(int status);
/* Call depth for RecursionError: the backend emits rpy_enter/rpy_leave
 * around each function body. */
extern __thread rpy_int rpy_depth;
extern rpy_int rpy_recursion_limit; /* CPython's default: 1000 */
void rpy_recursion_error(void);
RPY_INLINE void rpy_enter(void)
{
    if (++rpy_depth > rpy_recursion_limit)
        rpy_recursion_error();
}
RPY_INLINE void rpy_leave(void) { --rpy_depth; }

/* ------------------------------------------------------------------ */
/* int and float arithmetic with Python semantics (inline)              */
/* ------------------------------------------------------------------ */
RPY_INLINE rpy_int rpy_int_add_ovf(rpy_int a, rpy_int b)
{
    rpy_int r;
    if (__builtin_add_overflow(a, b, &r))
        rpy_raise_builtin_c(RPY_EXC_OverflowError, "integer addition overflow");
    return r;
}
RPY_INLINE rpy_int rpy_int_sub_ovf(rpy_int a, rpy_int b)
{
    rpy_int r;
    if (__builtin_sub_overflow(a, b, &r))
        rpy_raise_builtin_c(RPY_EXC_OverflowError, "integer subtraction overflow");
    return r;
}
RPY_INLINE rpy_int rpy_int_mul_ovf(rpy_int a, rpy_int b)
{
    rpy_int r;
    if (__builtin_mul_overflow(a, b, &r))
        rpy_raise_builtin_c(RPY_EXC_OverflowError, "integer multiplication overflow");
    return r;
}
RPY_INLINE rpy_int rpy_int_neg_ovf(rpy_int a)
{
    if (a == INT64_MIN) {
        rpy_raise_builtin_c(RPY_EXC_OverflowError, "integer negation overflow");
        return 0;
    }
    return -a;
}
RPY_INLINE rpy_int rpy_int_abs_ovf(rpy_int a) { return a < 0 ? rpy_int_neg_ovf(a) : a; }
/* floor division and modulo: ZeroDivisionError "integer division or modulo
 * by zero" (//) and "integer modulo by zero" (%), as CPython 3.11 words
 * them; INT64_MIN // -1 raises OverflowError. */
RPY_INLINE rpy_int rpy_int_floordiv(rpy_int a, rpy_int b)
{
    if (b == 0) {
        rpy_raise_builtin_c(RPY_EXC_ZeroDivisionError, "integer division or modulo by zero");
        return 0;
    }
    if (b == -1)
        return rpy_int_neg_ovf(a);
    rpy_int q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}
RPY_INLINE rpy_int rpy_int_mod(rpy_int a, rpy_int b)
{
    if (b == 0) {
        rpy_raise_builtin_c(RPY_EXC_ZeroDivisionError, "integer modulo by zero");
        return 0;
    }
    if (b == -1)
        return 0;
    rpy_int r = a % b;
    if (r != 0 && ((r < 0) != (b < 0)))
        r += b;
    return r;
}
/* Out of line (they are not hot or not small): */
rpy_float rpy_int_truediv(rpy_int a, rpy_int b);       /* ZeroDivisionError: division by zero */
rpy_int rpy_int_pow(rpy_int a, rpy_int b);             /* b < 0: ValueError; overflow: OverflowError */
rpy_int rpy_int_lshift(rpy_int a, rpy_int b);          /* b < 0: ValueError "negative shift count"; overflow */
rpy_int rpy_int_rshift(rpy_int a, rpy_int b);          /* arithmetic; b >= 64 gives 0 or -1 */
rpy_float rpy_float_truediv(rpy_float a, rpy_float b); /* ZeroDivisionError: float division by zero */
rpy_float rpy_float_floordiv(rpy_float a, rpy_float b);/* ZeroDivisionError: float floor division by zero */
rpy_float rpy_float_mod(rpy_float a, rpy_float b);     /* ZeroDivisionError: float modulo; Python sign rules */
rpy_float rpy_float_pow(rpy_float a, rpy_float b);     /* CPython's float_pow incl. its errors */
rpy_int rpy_float_to_int(rpy_float f);                 /* int(f): truncation; inf/nan raise like CPython */
rpy_float rpy_float_round(rpy_float x, rpy_int ndigits); /* round(x, n): correctly rounded, half-even */
rpy_int rpy_float_round_int(rpy_float x);               /* round(x): half-even, to int */
rpy_int rpy_int_round(rpy_int x, rpy_int ndigits);      /* round(int, n) for n < 0: half-even */
rpy_int rpy_float_hash(rpy_float x);
rpy_int rpy_int_hash(rpy_int x);
/* divmod pieces reuse floordiv/mod. */

/* ------------------------------------------------------------------ */
/* str                                                                   */
/* ------------------------------------------------------------------ */
/* Immutable. data holds UTF-8, NUL-terminated; length counts code points.
 * An ASCII string has length == nbytes, and indexing is O(1) for it. */
struct rpy_str {
    struct rpy_hdr hdr;
    rpy_int hash;   /* -1 until computed */
    rpy_int length; /* code points */
    rpy_int nbytes; /* bytes of UTF-8 in data, not counting the NUL */
    char data[];
};
/* Prebuilt string constants are emitted by the backend with this layout. */
#define RPY_STR_PREBUILT_TYPE(n)                                                     \
    struct { struct rpy_hdr hdr; rpy_int hash, length, nbytes; char data[(n) + 1]; }

/* s must not point into a GC object (the allocation may move it): the
 * runtime copies from another str with rt_str_sub. */
struct rpy_str *rpy_str_from_utf8(const char *s, rpy_int nbytes);
struct rpy_str *rpy_str_from_cstr(const char *s);
rpy_int rpy_str_len(const struct rpy_str *s);
struct rpy_str *rpy_str_concat(const struct rpy_str *a, const struct rpy_str *b);
struct rpy_str *rpy_str_mul(const struct rpy_str *s, rpy_int n);    /* n <= 0 gives "" */
struct rpy_str *rpy_str_getitem(const struct rpy_str *s, rpy_int i);/* IndexError: string index out of range */
/* Slicing with Python's rules; has_* false means the bound was omitted.
 * step 0: ValueError "slice step cannot be zero". */
struct rpy_str *rpy_str_slice(const struct rpy_str *s, rpy_int start, rpy_bool has_start,
                              rpy_int stop, rpy_bool has_stop, rpy_int step);
rpy_bool rpy_str_eq(const struct rpy_str *a, const struct rpy_str *b);
int rpy_str_cmp(const struct rpy_str *a, const struct rpy_str *b); /* code point order */
rpy_bool rpy_str_contains(const struct rpy_str *haystack, const struct rpy_str *needle);
rpy_int rpy_str_hash(struct rpy_str *s);
struct rpy_str *rpy_str_repr(const struct rpy_str *s); /* CPython's quoting rules */
struct rpy_str *rpy_str_upper(const struct rpy_str *s);
struct rpy_str *rpy_str_lower(const struct rpy_str *s);
struct rpy_str *rpy_str_strip(const struct rpy_str *s, const struct rpy_str *chars);  /* chars NULL: whitespace */
struct rpy_str *rpy_str_lstrip(const struct rpy_str *s, const struct rpy_str *chars);
struct rpy_str *rpy_str_rstrip(const struct rpy_str *s, const struct rpy_str *chars);
rpy_bool rpy_str_startswith(const struct rpy_str *s, const struct rpy_str *prefix);
rpy_bool rpy_str_endswith(const struct rpy_str *s, const struct rpy_str *suffix);
rpy_int rpy_str_find(const struct rpy_str *s, const struct rpy_str *sub);   /* -1 if absent */
rpy_int rpy_str_rfind(const struct rpy_str *s, const struct rpy_str *sub);
rpy_int rpy_str_index(const struct rpy_str *s, const struct rpy_str *sub);  /* ValueError: substring not found */
rpy_int rpy_str_count(const struct rpy_str *s, const struct rpy_str *sub);
struct rpy_str *rpy_str_replace(const struct rpy_str *s, const struct rpy_str *old,
                                const struct rpy_str *new_, rpy_int count); /* count -1: all */
rpy_bool rpy_str_isdigit(const struct rpy_str *s);
rpy_bool rpy_str_isalpha(const struct rpy_str *s);
rpy_bool rpy_str_isalnum(const struct rpy_str *s);
rpy_bool rpy_str_isspace(const struct rpy_str *s);
rpy_bool rpy_str_isupper(const struct rpy_str *s);
rpy_bool rpy_str_islower(const struct rpy_str *s);
rpy_bool rpy_str_istitle(const struct rpy_str *s);
rpy_bool rpy_str_isdecimal(const struct rpy_str *s);
rpy_bool rpy_str_isnumeric(const struct rpy_str *s);
/* The same searches in s[start:end] (CPython's bounds rules: negative
 * from the end, clamped; the compiler passes 0 and INT64_MAX for omitted
 * or None bounds). */
rpy_int rpy_str_find_slice(const struct rpy_str *s, const struct rpy_str *sub, rpy_int start, rpy_int end);
rpy_int rpy_str_rfind_slice(const struct rpy_str *s, const struct rpy_str *sub, rpy_int start, rpy_int end);
rpy_int rpy_str_index_slice(const struct rpy_str *s, const struct rpy_str *sub, rpy_int start, rpy_int end);
rpy_int rpy_str_rindex_slice(const struct rpy_str *s, const struct rpy_str *sub, rpy_int start, rpy_int end);
rpy_int rpy_str_count_slice(const struct rpy_str *s, const struct rpy_str *sub, rpy_int start, rpy_int end);
rpy_bool rpy_str_startswith_slice(const struct rpy_str *s, const struct rpy_str *prefix, rpy_int start, rpy_int end);
rpy_bool rpy_str_endswith_slice(const struct rpy_str *s, const struct rpy_str *suffix, rpy_int start, rpy_int end);
struct rpy_tuple;
struct rpy_list;
/* startswith / endswith (at_end) of a tuple of strs (tupti: its type):
 * whether any matches; a None in it raises TypeError. */
rpy_bool rpy_str_tailmatch_any(const struct rpy_str *s, const struct rpy_tuple *subs, const struct rpy_typeinfo *tupti,
                               rpy_int start, rpy_int end, rpy_bool at_end);
/* A str argument that may be None: TypeError "must be str, not NoneType". */
void rpy_str_arg_check(const struct rpy_str *arg);
/* s.encode() (UTF-8): bytes, represented as a list of ints (listti) one
 * per byte; a surrogate raises UnicodeError as CPython's encoder. */
struct rpy_list *rpy_str_encode(const struct rpy_str *s, const struct rpy_typeinfo *listti);
struct rpy_list;
/* split(sep=None, maxsplit=-1): sep NULL splits on whitespace runs. The
 * result is a list of str whose list type info is `listti`. */
struct rpy_list *rpy_str_split(const struct rpy_str *s, const struct rpy_str *sep, rpy_int maxsplit,
                               const struct rpy_typeinfo *listti);
struct rpy_str *rpy_str_join(const struct rpy_str *sep, const struct rpy_list *items);
struct rpy_list *rpy_list_from_str(const struct rpy_str *s, const struct rpy_typeinfo *listti); /* list("ab") */
/* Conversions */
struct rpy_str *rpy_str_from_int(rpy_int v);
struct rpy_str *rpy_str_from_float(rpy_float v);  /* repr(float): CPython's shortest round trip */
struct rpy_str *rpy_str_from_bool(rpy_bool v);
rpy_int rpy_int_from_str(const struct rpy_str *s, rpy_int base); /* int('x'): ValueError with CPython's message */
rpy_float rpy_float_from_str(const struct rpy_str *s);           /* float('inf'), '1e500', ValueError */
struct rpy_str *rpy_str_chr(rpy_int cp);  /* ValueError: chr() arg not in range(0x110000) */
rpy_int rpy_str_ord(const struct rpy_str *s); /* TypeError unless length 1 */
/* hex() oct() bin() of an int; pow(base, exp, mod) (runtime/builtins.c) */
struct rpy_str *rpy_int_hex(rpy_int v);
struct rpy_str *rpy_int_oct(rpy_int v);
struct rpy_str *rpy_int_bin(rpy_int v);
rpy_int rpy_int_powmod(rpy_int base, rpy_int exp, rpy_int mod);
struct rpy_str;
struct rpy_str *rpy_os_getenv1(const struct rpy_str *name); /* os.getenv(name) */

/* ------------------------------------------------------------------ */
/* list: {length, items}; items is an array of words (unboxed values)   */
/* ------------------------------------------------------------------ */
struct rpy_array {
    struct rpy_hdr hdr;
    rpy_int length;   /* capacity in words */
    rpy_word items[];
};
struct rpy_list {
    struct rpy_hdr hdr;
    rpy_int length;
    struct rpy_array *items;
};
/* `ti` is the list's type info (kind LIST, item = item type).
 *
 * Under the moving collector: every store of an item goes through
 * rpy_gc_wb(l->items) first (the array is the object written; for arrays
 * of ints or floats the barrier's flag is never set, so it costs a test).
 * rpy_list_new and rpy_list_new_cap allocate the items array last, so the
 * caller may fill a fresh list's items without a barrier until its next
 * call that can collect. Routines that can collect (growth, anything that
 * compares or prints items) root the list and re-read l->items afterwards;
 * the inline fast paths below cannot collect and take no roots. */
struct rpy_list *rpy_list_new(const struct rpy_typeinfo *ti, rpy_int length); /* items zeroed */
struct rpy_list *rpy_list_new_cap(const struct rpy_typeinfo *ti, rpy_int capacity); /* empty */
RPY_INLINE rpy_int rpy_list_len(const struct rpy_list *l) { return l->length; }
void rpy_list_index_error(void); /* raises IndexError: list index out of range */
/* getitem/setitem with Python index rules (negative from the end) (inline) */
RPY_INLINE rpy_word rpy_list_getitem(const struct rpy_list *l, rpy_int i)
{
    if ((uint64_t)i >= (uint64_t)l->length) {
        if (i < 0 && i >= -l->length) {
            i += l->length;
        } else {
            rpy_list_index_error();
            return 0;
        }
    }
    return l->items->items[i];
}
RPY_INLINE void rpy_list_setitem(struct rpy_list *l, rpy_int i, rpy_word v)
{
    if ((uint64_t)i >= (uint64_t)l->length) {
        if (i < 0 && i >= -l->length) {
            i += l->length;
        } else {
            rpy_raise_builtin_c(RPY_EXC_IndexError, "list assignment index out of range");
            return;
        }
    }
    struct rpy_array *a = l->items;
    rpy_gc_wb(a);
    a->items[i] = v;
}
/* No index check: for loops that the rtyper proved in range (inline). */
RPY_INLINE rpy_word rpy_list_getitem_nocheck(const struct rpy_list *l, rpy_int i)
{
    return l->items->items[i];
}
/* Sets l->length = newlength (>= the old length), reallocating items with
 * over-allocation as CPython does when the capacity is exceeded. May
 * collect (l itself is kept up to date inside; a caller that uses l or
 * other GC pointers afterwards roots them). */
void rpy_list_grow(struct rpy_list *l, rpy_int newlength);
/* Append when the items array is full: grows it (may collect; l and v are
 * rooted inside), then stores v. */
void rpy_list_append_slow(struct rpy_list *l, rpy_word v);
RPY_INLINE void rpy_list_append(struct rpy_list *l, rpy_word v)
{
    rpy_int n = l->length;
    struct rpy_array *a = l->items;
    if (__builtin_expect(n >= a->length, 0)) {
        rpy_list_append_slow(l, v);
        return;
    }
    l->length = n + 1;
    rpy_gc_wb(a);
    a->items[n] = v;
}
rpy_word rpy_list_pop(struct rpy_list *l, rpy_int i);  /* IndexError: pop from empty list / pop index out of range */
void rpy_list_insert(struct rpy_list *l, rpy_int i, rpy_word v);
void rpy_list_extend(struct rpy_list *l, const struct rpy_list *other);
/* A copy of l with typeinfo ti (same item representation): tuple(a_list). */
struct rpy_list *rpy_list_copy_as(const struct rpy_list *l, const struct rpy_typeinfo *ti);
/* l.extend(other[skip:]) (a call's *args from its star argument) */
void rpy_list_extend_from(struct rpy_list *l, const struct rpy_list *other, rpy_int skip);
/* f(..., *star): TypeError unless star fills the `need` parameters after
 * the `given` explicit positional ones (exactly, when f has no *args). */
void rpy_star_check(const struct rpy_list *star, rpy_int need, rpy_int given, rpy_bool has_vararg,
                    const struct rpy_str *fname);
struct rpy_list *rpy_list_concat(const struct rpy_list *a, const struct rpy_list *b);
struct rpy_list *rpy_list_mul(const struct rpy_list *l, rpy_int n);
struct rpy_list *rpy_list_slice(const struct rpy_list *l, rpy_int start, rpy_bool has_start,
                                rpy_int stop, rpy_bool has_stop, rpy_int step);
struct rpy_list *rpy_list_copy(const struct rpy_list *l);
void rpy_list_clear(struct rpy_list *l);
void rpy_list_reverse(struct rpy_list *l);
rpy_int rpy_list_index(const struct rpy_list *l, rpy_word v);   /* ValueError: X is not in list */
rpy_int rpy_list_count(const struct rpy_list *l, rpy_word v);
void rpy_list_remove(struct rpy_list *l, rpy_word v);           /* ValueError: list.remove(x): x not in list */
rpy_bool rpy_list_contains(const struct rpy_list *l, rpy_word v);
void rpy_list_sort(struct rpy_list *l, rpy_bool reverse);        /* stable */
/* list.index(v, start, stop) with CPython's bounds (negative from the end) */
rpy_int rpy_list_index_range(const struct rpy_list *l, rpy_word v, rpy_int start, rpy_int stop);
/* del l[i]: IndexError "list assignment index out of range" */
void rpy_list_delitem(struct rpy_list *l, rpy_int i);
/* l[start:stop:step] = v (a list of l's type; v may be l): step 1 replaces
 * the slice, any other needs as many items as the slice has (ValueError
 * "attempt to assign sequence of size 2 to extended slice of size 3");
 * step 0: ValueError "slice step cannot be zero". del l[start:stop:step]. */
void rpy_list_setslice(struct rpy_list *l, rpy_int start, rpy_bool has_start, rpy_int stop, rpy_bool has_stop,
                       rpy_int step, const struct rpy_list *v);
void rpy_list_delslice(struct rpy_list *l, rpy_int start, rpy_bool has_start, rpy_int stop, rpy_bool has_stop,
                       rpy_int step);
/* print(..., *l, sep=sep): str() of each item, sep (NULL: " ") between
 * them and, when lead, before the first. */
void rpy_write_list_items(const struct rpy_list *l, const struct rpy_str *sep, rpy_bool lead);
struct rpy_list *rpy_list_from_range(const struct rpy_typeinfo *ti, rpy_int start, rpy_int stop, rpy_int step);
rpy_int rpy_range_len(rpy_int start, rpy_int stop, rpy_int step); /* step 0: ValueError "range() arg 3 must not be zero" */
/* min/max/sum over a list: empty min/max raise ValueError "min() arg is an empty sequence" */
rpy_word rpy_list_min(const struct rpy_list *l);
rpy_word rpy_list_max(const struct rpy_list *l);

/* ------------------------------------------------------------------ */
/* tuple: fixed fields, one word each                                   */
/* ------------------------------------------------------------------ */
struct rpy_tuple {
    struct rpy_hdr hdr;
    rpy_word items[];
};
struct rpy_tuple *rpy_tuple_new(const struct rpy_typeinfo *ti); /* ti->nitems fields, zeroed */

/* ------------------------------------------------------------------ */
/* dict: compact and insertion ordered, as CPython's                     */
/* ------------------------------------------------------------------ */
struct rpy_dict_entry {
    rpy_int hash;
    rpy_word key;
    rpy_word value;
};
struct rpy_dict {
    struct rpy_hdr hdr;
    rpy_int used;        /* live entries */
    rpy_int nentries;    /* entries used incl. deleted ones */
    rpy_int capacity;    /* entries allocated */
    rpy_int indexsize;   /* slots in the index table, a power of two */
    void *index;         /* int32/int64 slots: entry number, -1 empty, -2 dummy */
    struct rpy_dict_entry *entries; /* a deleted entry has hash == -1 and key 0 ... see dict.c */
};
struct rpy_dict *rpy_dict_new(const struct rpy_typeinfo *ti);
RPY_INLINE rpy_int rpy_dict_len(const struct rpy_dict *d) { return d->used; }
/* getitem raises KeyError(repr(key)) when absent. */
rpy_word rpy_dict_getitem(struct rpy_dict *d, rpy_word key);
void rpy_dict_setitem(struct rpy_dict *d, rpy_word key, rpy_word value);
void rpy_dict_delitem(struct rpy_dict *d, rpy_word key);
rpy_bool rpy_dict_contains(struct rpy_dict *d, rpy_word key);
rpy_word rpy_dict_get(struct rpy_dict *d, rpy_word key, rpy_word dflt);
rpy_word rpy_dict_pop(struct rpy_dict *d, rpy_word key);            /* KeyError */
rpy_word rpy_dict_pop_default(struct rpy_dict *d, rpy_word key, rpy_word dflt);
rpy_word rpy_dict_setdefault(struct rpy_dict *d, rpy_word key, rpy_word dflt);
void rpy_dict_update(struct rpy_dict *d, struct rpy_dict *other);
void rpy_dict_update_pairs(struct rpy_dict *d, const struct rpy_list *pairs); /* a list of (key, value) tuples */
struct rpy_dict *rpy_dict_copy(struct rpy_dict *d);
void rpy_dict_clear(struct rpy_dict *d);
/* Lists of keys / values / (key, value) tuples in insertion order;
 * listti is the result's list type, tuplti the pair type for items(). */
struct rpy_list *rpy_dict_keys(struct rpy_dict *d, const struct rpy_typeinfo *listti);
struct rpy_list *rpy_dict_values(struct rpy_dict *d, const struct rpy_typeinfo *listti);
struct rpy_list *rpy_dict_items(struct rpy_dict *d, const struct rpy_typeinfo *listti,
                                const struct rpy_typeinfo *tuplti);
/* Iteration by entry position: returns the next live entry index >= pos,
 * or -1 at the end. Raises RuntimeError "dictionary changed size during
 * iteration" when d->used differs from `expected_used`. */
rpy_int rpy_dict_next_entry(struct rpy_dict *d, rpy_int pos, rpy_int expected_used);

/* ------------------------------------------------------------------ */
/* set: same hashing as dict, no values                                  */
/* ------------------------------------------------------------------ */
struct rpy_set {
    struct rpy_dict d; /* values unused */
};
struct rpy_set *rpy_set_new(const struct rpy_typeinfo *ti);
void rpy_set_add(struct rpy_set *s, rpy_word v);
rpy_bool rpy_set_contains(struct rpy_set *s, rpy_word v);
void rpy_set_discard(struct rpy_set *s, rpy_word v);
void rpy_set_remove(struct rpy_set *s, rpy_word v); /* KeyError */

/* ------------------------------------------------------------------ */
/* output                                                                */
/* ------------------------------------------------------------------ */
/* print(): the backend lowers print(a, b, sep=s, end=e) to write calls.
 * stdout is block buffered and flushed at exit and before anything is
 * written to stderr, so the interleaving a terminal user sees is kept. */
void rpy_write_str(const struct rpy_str *s);          /* to stdout */
void rpy_write_cstr(const char *s);
void rpy_write_value(rpy_word v, const struct rpy_typeinfo *ti); /* str(v) to stdout, no str built for scalars */
void rpy_write_int(rpy_int v);
void rpy_write_bool(rpy_bool v);
void rpy_write_float(rpy_float v);
void rpy_write_err_str(const struct rpy_str *s);       /* to stderr */
void rpy_flush(void);

/* ------------------------------------------------------------------ */
/* Support for the rtyper's lowerings (runtime/rtsupport.c)            */
/* ------------------------------------------------------------------ */
/* Reached only through a path the compiler proved dead: a bug. */
_Noreturn void rpy_unreachable(const char *where);
/* rpy_compare for the rtyper: op is the index of < <= == != > >= */
rpy_int rpy_compare_c(rpy_word a, rpy_word b, const struct rpy_typeinfo *ti, rpy_int op);
/* Recursion depth is bounded by stack space, checked at the entry of every
 * function that can recurse (transforms/stackcheck.c): one compare of the
 * frame address with a thread-local limit, nothing on return. The budget
 * follows the recursion limit (RPY_STACK_PER_FRAME bytes per allowed
 * frame), capped by the real stack size. */
#define RPY_STACK_PER_FRAME 2048
extern __thread char *rpy_stack_limit;
void rpy_stack_init(void);            /* the calling thread's limit */
void rpy_stack_overflow(void);        /* raises RecursionError */
RPY_INLINE void rpy_stack_check(void)
{
    if (__builtin_expect((char *)__builtin_frame_address(0) < rpy_stack_limit, 0))
        rpy_stack_overflow();
}
/* An instance attribute read before any assignment set it (the rtyper's
 * flag fields): AttributeError, as CPython. */
void rpy_attr_missing(void *obj, const struct rpy_str *name);
RPY_INLINE void rpy_check_attr_set(rpy_bool set, void *obj, const struct rpy_str *name)
{
    if (__builtin_expect(!set, 0))
        rpy_attr_missing(obj, name);
}
void rpy_check_attr_set_x(rpy_bool set, void *obj, const struct rpy_str *name);
/* A local that some path leaves unset, read (flowgraph/unbound.c):
 * UnboundLocalError with CPython's message. */
void rpy_unbound_local(const struct rpy_str *name);
RPY_INLINE void rpy_check_bound(rpy_bool bound, const struct rpy_str *name)
{
    if (__builtin_expect(!bound, 0))
        rpy_unbound_local(name);
}
void rpy_check_bound_x(rpy_bool bound, const struct rpy_str *name);
/* obj.attr on None: AttributeError: 'NoneType' object has no attribute 'attr' */
void rpy_none_attribute_error(const struct rpy_str *attr);
RPY_INLINE void rpy_check_not_none(const void *obj, const struct rpy_str *attr)
{
    if (!obj)
        rpy_none_attribute_error(attr);
}
/* After an op that cannot produce a value returned one: a compiler bug. */
_Noreturn void rpy_no_value(const struct rpy_str *where);
/* NameError: name 'x' is not defined (a global read before it is set) */
void rpy_name_error(const struct rpy_str *name);
/* f(...) on None: TypeError: 'NoneType' object is not callable */
void rpy_none_call_error(void);
RPY_INLINE void rpy_check_callable(const void *funcobj)
{
    if (!funcobj)
        rpy_none_call_error();
}
/* Writes s, or dflt when s is None (print's sep= and end=). */
void rpy_write_str_or(const struct rpy_str *s, const struct rpy_str *dflt);

/* range objects are GcStructs of the program; these do their arithmetic */
RPY_INLINE rpy_bool rpy_range_has(rpy_int cur, rpy_int stop, rpy_int step)
{
    return step > 0 ? cur < stop : cur > stop;
}
void rpy_range_check_step(rpy_int step);     /* ValueError: range() arg 3 must not be zero */
rpy_bool rpy_range_contains(rpy_int start, rpy_int stop, rpy_int step, rpy_int x);

/* Iteration: the item at i, or 0 past the end (the loop's test looks at
 * the index; fetching first keeps the loop one block). */
RPY_INLINE rpy_word rpy_list_getitem_or0(const struct rpy_list *l, rpy_int i)
{
    return i < l->length ? l->items->items[i] : 0;
}
/* Fills item i of a list that rpy_list_new has just made (a list literal).
 * The array is fresh, so in the nursery, and nothing between the two can
 * collect, but the barrier stays: it is one flag test on a header in
 * cache, and it keeps this correct if a transform ever puts a call that
 * collects in between, or if the collector allocates a large array
 * outside the nursery. */
RPY_INLINE void rpy_list_init_item(struct rpy_list *l, rpy_int i, rpy_word v)
{
    struct rpy_array *a = l->items;
    rpy_gc_wb(a);
    a->items[i] = v;
}
rpy_word rpy_tuple_getitem_or0(const struct rpy_tuple *t, rpy_int i);
rpy_word rpy_tuple_getitem(const struct rpy_tuple *t, rpy_int i); /* IndexError: tuple index out of range */
/* The character at byte offset pos, or NULL at the end; and the offset of
 * the next character. */
struct rpy_str *rpy_str_iter_char(const struct rpy_str *s, rpy_int pos);
rpy_int rpy_str_iter_advance(const struct rpy_str *s, rpy_int pos);
/* The key of live entry pos (from rpy_dict_next_entry), or 0 if pos < 0. */
rpy_word rpy_dict_entry_key(const struct rpy_dict *d, rpy_int pos);
/* a, b = lst: ValueError "too many values to unpack (expected 2)" /
 * "not enough values to unpack (expected 3, got 2)". */
struct rpy_tuple *rpy_list_to_tuple(const struct rpy_list *l, rpy_int n, const struct rpy_typeinfo *tupti);

/* Built-ins over lists */
rpy_int rpy_list_sum_int(const struct rpy_list *l, rpy_int start);         /* items int or bool */
rpy_float rpy_list_sum_float(const struct rpy_list *l, rpy_float start);   /* items float */
rpy_float rpy_list_sum_int_as_float(const struct rpy_list *l, rpy_float start); /* int items, float start */
rpy_bool rpy_list_any(const struct rpy_list *l);
rpy_bool rpy_list_all(const struct rpy_list *l);
struct rpy_list *rpy_list_enumerate(const struct rpy_list *l, rpy_int start, const struct rpy_typeinfo *listti,
                                    const struct rpy_typeinfo *tupti);
/* min/max of two values with Python's rule: the first wins ties and NaNs */
RPY_INLINE rpy_int rpy_int_max2(rpy_int a, rpy_int b) { return b > a ? b : a; }
RPY_INLINE rpy_int rpy_int_min2(rpy_int a, rpy_int b) { return b < a ? b : a; }
RPY_INLINE rpy_float rpy_float_max2(rpy_float a, rpy_float b) { return b > a ? b : a; }
RPY_INLINE rpy_float rpy_float_min2(rpy_float a, rpy_float b) { return b < a ? b : a; }
rpy_word rpy_max2(rpy_word a, rpy_word b, const struct rpy_typeinfo *ti);
rpy_word rpy_min2(rpy_word a, rpy_word b, const struct rpy_typeinfo *ti);

/* ------------------------------------------------------------------ */
/* Additions by the runtime (appended; runtime/inline_x.c)              */
/* ------------------------------------------------------------------ */
/* The out-of-line twins of the inline functions above, for backends that
 * cannot include C (LLVM): same behaviour, same errors. */
bool rpy_kind_is_gc_x(uint32_t kind);
rpy_word rpy_w_from_int_x(rpy_int v);
rpy_int rpy_w_to_int_x(rpy_word w);
rpy_word rpy_w_from_float_x(rpy_float v);
rpy_float rpy_w_to_float_x(rpy_word w);
rpy_word rpy_w_from_bool_x(rpy_bool v);
rpy_bool rpy_w_to_bool_x(rpy_word w);
rpy_word rpy_w_from_ptr_x(const void *p);
void *rpy_w_to_ptr_x(rpy_word w);
void rpy_enter_x(void);
void rpy_leave_x(void);
rpy_int rpy_int_add_ovf_x(rpy_int a, rpy_int b);
rpy_int rpy_int_sub_ovf_x(rpy_int a, rpy_int b);
rpy_int rpy_int_mul_ovf_x(rpy_int a, rpy_int b);
rpy_int rpy_int_neg_ovf_x(rpy_int a);
rpy_int rpy_int_abs_ovf_x(rpy_int a);
rpy_int rpy_int_floordiv_x(rpy_int a, rpy_int b);
rpy_int rpy_int_mod_x(rpy_int a, rpy_int b);
rpy_int rpy_list_len_x(const struct rpy_list *l);
rpy_word rpy_list_getitem_x(const struct rpy_list *l, rpy_int i);
void rpy_list_setitem_x(struct rpy_list *l, rpy_int i, rpy_word v);
rpy_word rpy_list_getitem_nocheck_x(const struct rpy_list *l, rpy_int i);
void rpy_list_append_x(struct rpy_list *l, rpy_word v);
rpy_int rpy_dict_len_x(const struct rpy_dict *d);

/* More str methods (strmethods.c, strextra.c), CPython's semantics and
 * errors. fill NULL means ' '; a fill of another length than 1 raises
 * TypeError "The fill character must be exactly one character long". */
struct rpy_str *rpy_str_title(const struct rpy_str *s);
struct rpy_str *rpy_str_capitalize(const struct rpy_str *s);
struct rpy_str *rpy_str_zfill(const struct rpy_str *s, rpy_int width);
struct rpy_str *rpy_str_ljust(const struct rpy_str *s, rpy_int width, const struct rpy_str *fill);
struct rpy_str *rpy_str_rjust(const struct rpy_str *s, rpy_int width, const struct rpy_str *fill);
struct rpy_str *rpy_str_center(const struct rpy_str *s, rpy_int width, const struct rpy_str *fill);
rpy_int rpy_str_rindex(const struct rpy_str *s, const struct rpy_str *sub); /* ValueError: substring not found */
/* rsplit(sep=None, maxsplit=-1), like rpy_str_split. */
struct rpy_list *rpy_str_rsplit(const struct rpy_str *s, const struct rpy_str *sep, rpy_int maxsplit,
                                const struct rpy_typeinfo *listti);
struct rpy_list *rpy_str_splitlines(const struct rpy_str *s, rpy_bool keepends, const struct rpy_typeinfo *listti);
/* (head, sep, tail) as a tuple of type tupti (three str fields);
 * ValueError "empty separator". */
struct rpy_tuple *rpy_str_partition(const struct rpy_str *s, const struct rpy_str *sep,
                                    const struct rpy_typeinfo *tupti);
struct rpy_tuple *rpy_str_rpartition(const struct rpy_str *s, const struct rpy_str *sep,
                                     const struct rpy_typeinfo *tupti);

/* sort(key=f) / sorted(key=f): the compiler computes keys (one per item,
 * in order, as CPython calls f); l is sorted stably by them, keys permuted
 * alike (sort.c). */
void rpy_list_sort_by_keys(struct rpy_list *l, struct rpy_list *keys, rpy_bool reverse);

/* dict.popitem(): the last inserted (key, value) as a tuple of type
 * tuplti; KeyError 'popitem(): dictionary is empty'. */
struct rpy_tuple *rpy_dict_popitem(struct rpy_dict *d, const struct rpy_typeinfo *tuplti);

/* Sets (set.c). Binary operations return a new set of a's type. Set
 * comparisons (<, <=, ... as inclusion) and == go through rpy_compare /
 * rpy_eq; iteration through rpy_dict_next_entry(&s->d, ...). */
struct rpy_set *rpy_set_copy(struct rpy_set *s);
void rpy_set_clear(struct rpy_set *s);
void rpy_set_update(struct rpy_set *s, struct rpy_set *other); /* s |= other */
struct rpy_set *rpy_set_union(struct rpy_set *a, struct rpy_set *b);
struct rpy_set *rpy_set_intersection(struct rpy_set *a, struct rpy_set *b);
struct rpy_set *rpy_set_difference(struct rpy_set *a, struct rpy_set *b);
struct rpy_set *rpy_set_symmetric_difference(struct rpy_set *a, struct rpy_set *b);
rpy_bool rpy_set_isdisjoint(struct rpy_set *a, struct rpy_set *b);
/* s &= other, s -= other, s ^= other: s changes in place (other may be s) */
void rpy_set_intersection_update(struct rpy_set *s, struct rpy_set *other);
void rpy_set_difference_update(struct rpy_set *s, struct rpy_set *other);
void rpy_set_symmetric_difference_update(struct rpy_set *s, struct rpy_set *other);
rpy_word rpy_set_pop(struct rpy_set *s); /* KeyError: 'pop from an empty set' */
struct rpy_set *rpy_set_from_list(const struct rpy_typeinfo *ti, const struct rpy_list *l);
struct rpy_list *rpy_set_to_list(struct rpy_set *s, const struct rpy_typeinfo *listti);

/* ------------------------------------------------------------------ */
/* formatting (format.c): format(), f-strings, %, str.format            */
/* ------------------------------------------------------------------ */
/* CPython 3.11's output and errors, byte for byte. Each returns a new str
 * (or, where CPython returns the object itself, the argument); on a
 * Python error it raises (ValueError, TypeError, OverflowError,
 * IndexError, KeyError with CPython's messages) and returns the empty
 * string as a dummy. All may collect: every argument is protected
 * inside, but the caller's own pointers are not.
 *
 * The format-spec mini-language, [[fill]align][sign][z][#][0][width]
 * [,|_][.precision][type]: format(v, spec) and f"{v:spec}". spec is a
 * str, never None; an empty spec gives str(v). A bool formats as "True"
 * with an empty spec and as an int (1) with any other, with 'bool' in
 * the messages. */
struct rpy_str *rpy_format_int(rpy_int v, const struct rpy_str *spec);
struct rpy_str *rpy_format_float(rpy_float v, const struct rpy_str *spec);
struct rpy_str *rpy_format_bool(rpy_bool v, const struct rpy_str *spec);
struct rpy_str *rpy_format_str(const struct rpy_str *s, const struct rpy_str *spec);
/* Any type: the four above by kind; None, containers and instances are
 * str(v) for an empty spec and raise TypeError "unsupported format string
 * passed to list.__format__" for any other (object.__format__). */
struct rpy_str *rpy_format_value(rpy_word v, const struct rpy_typeinfo *ti, const struct rpy_str *spec);
/* ascii(v): repr(v) with non-ASCII as \xNN, \uNNNN, \UNNNNNNNN (f"{v!a}"). */
struct rpy_str *rpy_ascii_of(rpy_word v, const struct rpy_typeinfo *ti);

/* fmt % args. The compiler passes a tuple operand as it is: its items
 * are the arguments (tupti describes them; args may be NULL with tupti
 * NULL or of arity 0 for ()). Any other right operand is one argument:
 * rpy_str_percent1 (a tuple-typed one is forwarded to rpy_str_percent),
 * where, as in CPython, a list or dict operand is a mapping that is not
 * required to be used up ("abc" % [] == "abc"). Conversions d i u o x X
 * e E f F g G c r s a %, flags - + space # 0, width, precision, '*'.
 * Not supported: %(name)s keys (ValueError when the operand is a list or
 * dict; TypeError "format requires a mapping" otherwise, as CPython). */
struct rpy_str *rpy_str_percent(const struct rpy_str *fmt, const struct rpy_tuple *args,
                                const struct rpy_typeinfo *tupti);
struct rpy_str *rpy_str_percent1(const struct rpy_str *fmt, rpy_word arg, const struct rpy_typeinfo *ti);

/* fmt.format(*args): the positional arguments as a tuple (args NULL for
 * none). Fields {} {0} {!r} {0!s:>{1}} (nested fields in the spec),
 * escapes {{ }}. A keyword field {name} raises KeyError('name') as
 * CPython's format with no keyword arguments does; attribute and index
 * lookups ({0.x}, {0[1]}) raise ValueError "... not supported". */
struct rpy_str *rpy_str_format_method(const struct rpy_str *fmt, const struct rpy_tuple *args,
                                      const struct rpy_typeinfo *tupti);
/* fmt.format(*pos, **kw): args holds the positional arguments then the
 * keyword ones, whose names are the strs of tuple `names` (namesti its
 * type, of arity nkw >= 1); {name} fields take those. */
struct rpy_str *rpy_str_format_kw(const struct rpy_str *fmt, const struct rpy_tuple *args,
                                  const struct rpy_typeinfo *tupti, const struct rpy_tuple *names,
                                  const struct rpy_typeinfo *namesti);

/* ------------------------------------------------------------------ */
/* standard modules: files, sys, os, time (fileio.c, sysmod.c, io.c,  */
/* stack.c)                                                             */
/* ------------------------------------------------------------------ */
/* Each entry says what it may do, for rtyper/rtfuncs.h: R raises, C
 * collects (allocates), N neither. A raising routine returns a dummy
 * (NULL, 0, or "") after it raised. CPython 3.11's messages throughout;
 * the deviations are listed at the top of fileio.c and sysmod.c.
 *
 * Text files. open() returns a struct rpy_file, a GC object of the fixed
 * type RPY_TID_FILE with no GC fields: its state (descriptor, buffers) is
 * malloc memory the object points to, so the collector may move the
 * object freely. impl == NULL means closed. Files are UTF-8 text with
 * universal newlines on input ("\r\n" and "\r" read as "\n"); files not
 * closed by the program are flushed and closed at exit. sys.stdin,
 * sys.stdout and sys.stderr are prebuilt rpy_file objects, so every
 * method below works on them too (sys.stdout.write(s) is
 * rpy_file_write(rpy_sys_stdout(), s), and it goes through the stdout
 * buffer that print() uses). */
struct rt_file;
struct rpy_file {
    struct rpy_hdr hdr;
    struct rt_file *impl; /* private to fileio.c; NULL once closed */
};
extern const struct rpy_typeinfo rpy_ti_file; /* kind RPY_K_ITER, tid RPY_TID_FILE, "_io.TextIOWrapper" */
/* open(path, mode): mode NULL means "r". Modes r, w, a, x, each with an
 * optional t. RC. Errors: ValueError "invalid mode: 'rr'" and CPython's
 * other mode messages, "embedded null byte" (path); FileNotFoundError
 * "[Errno 2] No such file or directory: 'name'" (name as repr() shows
 * it); OSError with the same "[Errno N] strerror: 'name'" text for every
 * other errno, where CPython raises a subclass (PermissionError,
 * IsADirectoryError, also for a directory opened for reading,
 * NotADirectoryError, FileExistsError for "x"); NotImplementedError for
 * the valid modes RPy does not do (b, +). */
struct rpy_file *rpy_file_open(const struct rpy_str *path, const struct rpy_str *mode);
/* f.read(n): n < 0 reads to the end; else at most n characters. RC. All
 * the reading routines raise ValueError "I/O operation on closed file.",
 * OSError "not readable" on a file not opened for reading, OSError
 * "[Errno N] ..." when read(2) fails, and UnicodeError "'utf-8' codec
 * can't decode byte 0xff in position 7: invalid start byte" (CPython's
 * text) on bytes that are not UTF-8. */
struct rpy_str *rpy_file_read(struct rpy_file *f, rpy_int n);
/* f.readline(limit): the next line with its "\n", "" at the end; limit
 * < 0 for none (readline()), else at most limit characters. RC. */
struct rpy_str *rpy_file_readline(struct rpy_file *f, rpy_int limit);
/* f.readlines(): the remaining lines as a list of str of type listti. RC. */
struct rpy_list *rpy_file_readlines(struct rpy_file *f, const struct rpy_typeinfo *listti);
/* `for line in f`: the next line, or NULL at the end (no StopIteration).
 * RC. */
struct rpy_str *rpy_file_next_line(struct rpy_file *f);
/* f.write(s): returns len(s). Buffered (8 KiB; at each newline when the
 * file is a terminal); sys.stdout's goes to the stdout buffer, sys.stderr's
 * is written at once after flushing stdout. R: closed, OSError "not
 * writable", OSError "[Errno 28] No space left on device" when the buffer
 * is written out, UnicodeError "'utf-8' codec can't encode character
 * '\ud800' in position 0: surrogates not allowed" (files only). */
rpy_int rpy_file_write(struct rpy_file *f, const struct rpy_str *s);
/* print(..., file=f): str(v) / s (dflt when s is NULL: sep= and end=)
 * written as f.write would, with its errors. print_value is RC (str(v)
 * may run __str__), print_str_or R. print(file=sys.stderr) may use these
 * on rpy_sys_stderr() or the rpy_write_err_* below (N). */
void rpy_file_print_value(struct rpy_file *f, rpy_word v, const struct rpy_typeinfo *ti);
void rpy_file_print_str_or(struct rpy_file *f, const struct rpy_str *s, const struct rpy_str *dflt);
void rpy_file_flush(struct rpy_file *f); /* f.flush(): R (closed, write errors) */
/* f.close(): flushes and closes; again is a no-op. R (the flush's
 * OSError: the file is closed all the same). Closing a standard stream
 * marks it closed but leaves its descriptor open (CPython's closefd=False). */
void rpy_file_close(struct rpy_file *f);
rpy_bool rpy_file_closed(const struct rpy_file *f); /* f.closed: N */
/* `with open(...) as f`: __enter__ returns f (R: ValueError when closed),
 * __exit__ closes it (R, as rpy_file_close). */
struct rpy_file *rpy_file_enter(struct rpy_file *f);
void rpy_file_exit(struct rpy_file *f);
/* sys.stdin, sys.stdout, sys.stderr: prebuilt objects, never moved. N.
 * stdin splits lines at "\n" only (CPython's newline="\n" on POSIX). */
struct rpy_file *rpy_sys_stdin(void);
struct rpy_file *rpy_sys_stdout(void);
struct rpy_file *rpy_sys_stderr(void);
/* input(prompt): prompt NULL for input(). Writes the prompt to stdout,
 * flushes stdout, reads a line from sys.stdin and returns it without its
 * "\n". RC: EOFError "EOF when reading a line" at the end of input,
 * ValueError "I/O operation on closed file." when stdin is closed, or
 * stdout and there is a prompt, and the errors of rpy_file_readline. */
struct rpy_str *rpy_input(const struct rpy_str *prompt);
/* Bytes from the OS (argv, the environment, file names) as a str, as
 * CPython decodes them: UTF-8, each byte of an invalid sequence as the
 * lone surrogate U+DC80..U+DCFF (surrogateescape). p is C memory. C. */
struct rpy_str *rpy_str_from_os_bytes(const char *p, size_t n);

/* print(..., file=sys.stderr): the stderr twins of rpy_write_* (io.c).
 * Each flushes stdout first, so the order a terminal shows is kept. N,
 * except rpy_write_err_value, which is RC like rpy_write_value. */
void rpy_write_err_cstr(const char *s);
void rpy_write_err_int(rpy_int v);
void rpy_write_err_bool(rpy_bool v);
void rpy_write_err_float(rpy_float v);
void rpy_write_err_value(rpy_word v, const struct rpy_typeinfo *ti);
void rpy_write_err_str_or(const struct rpy_str *s, const struct rpy_str *dflt);

/* sys (sysmod.c). sys.maxsize is the compiler's constant INT64_MAX. */
/* sys.argv: one list for the whole run (built at the first call from
 * rpy_startup's argv, then returned again, so changes to it are seen),
 * of type listti (list of str). argv[0] is the executable's path as it
 * was run. C. */
struct rpy_list *rpy_sys_argv(const struct rpy_typeinfo *listti);
/* sys.exit(code) / sys.exit() (code 0) / sys.exit(msg): end the program
 * now, flushing stdout and the open files: exit status code (& 0xff, as
 * the OS keeps it); for a str, msg and "\n" to stderr and status 1 (msg
 * NULL, i.e. None: status 0). No SystemExit is raised: finally blocks and
 * except SystemExit do not run (a deviation). */
_Noreturn void rpy_sys_exit_int(rpy_int code);
_Noreturn void rpy_sys_exit_str(const struct rpy_str *msg);
/* sys.setrecursionlimit(n) (stack.c): sets rpy_recursion_limit and moves
 * the calling thread's stack limit to n * RPY_STACK_PER_FRAME bytes below
 * the base of its stack (still capped by the stack's size, which for the
 * main thread it raises up to 64 MiB when the hard limit allows). R:
 * ValueError "recursion limit must be greater or equal than 1",
 * OverflowError "Python int too large to convert to C int". */
void rpy_sys_setrecursionlimit(rpy_int n);
rpy_int rpy_sys_getrecursionlimit(void); /* N */

/* os (sysmod.c; os.path in fileio.c). */
/* os.getenv(name, dflt): the variable's value, or dflt (NULL: None) when
 * it is not set. C. */
struct rpy_str *rpy_os_getenv(const struct rpy_str *name, struct rpy_str *dflt);
rpy_bool rpy_os_path_exists(const struct rpy_str *path); /* N: False for any error */
/* os.path.join(a, b): POSIX rules (an absolute b replaces a). C. */
struct rpy_str *rpy_os_path_join(const struct rpy_str *a, const struct rpy_str *b);

/* time (sysmod.c). */
rpy_float rpy_time_time(void);         /* seconds since the epoch: N */
rpy_float rpy_time_perf_counter(void); /* CLOCK_MONOTONIC seconds: N */
rpy_float rpy_time_monotonic(void);    /* the same clock: N */
/* time.sleep(secs): R: ValueError "sleep length must be non-negative",
 * "Invalid value NaN (not a number)", OverflowError "timestamp out of
 * range for platform time_t". */
void rpy_time_sleep(rpy_float secs);


/* ------------------------------------------------------------------ */
/* standard modules: math, random (mathmod.c, random.c)                 */
/* ------------------------------------------------------------------ */
/* Each entry ends with its mark for rtyper/rtfuncs.h: R raises, C
 * collects (allocates), N neither, RC both.
 *
 * math: CPython 3.11's results bit for bit (the same C library for what
 * CPython leaves to it, CPython's own algorithms for the rest) and its
 * errors: ValueError "math domain error" (sqrt(-1), log(0), acos(2),
 * cos(inf)), OverflowError "math range error" (exp(1000), gamma(200)).
 * The constants pi e tau inf nan are the compiler's. Float parameters
 * take ints converted by the compiler (CPython rounds them the same way);
 * floor, ceil and trunc of an int are the int itself (the compiler's
 * business: converting would round ints past 2**53). The int functions
 * are exact; a result past 64 bits raises OverflowError "<name>() result
 * does not fit in 64 bits" (CPython would grow the int). CPython's
 * variadic gcd and lcm fold from the 2-argument forms (gcd() is 0, lcm()
 * is 1, gcd(a) and lcm(a) are abs(a)). A sequence argument (seq, p, q)
 * is a list or a tuple of ints, bools or floats: its typeinfo says which. */
rpy_float rpy_math_sqrt(rpy_float x);                     /* math.sqrt(x). R */
rpy_float rpy_math_cbrt(rpy_float x);                     /* math.cbrt(x). R */
rpy_float rpy_math_exp(rpy_float x);                      /* math.exp(x). R */
rpy_float rpy_math_exp2(rpy_float x);                     /* math.exp2(x): 2**x. R */
rpy_float rpy_math_expm1(rpy_float x);                    /* math.expm1(x): exp(x) - 1. R */
rpy_float rpy_math_log(rpy_float x);                      /* math.log(x). R */
/* math.log(x, base): log(x) / log(base); base 1: ZeroDivisionError "float
 * division by zero". R */
rpy_float rpy_math_log_base(rpy_float x, rpy_float base);
rpy_float rpy_math_log2(rpy_float x);                     /* math.log2(x). R */
rpy_float rpy_math_log10(rpy_float x);                    /* math.log10(x). R */
rpy_float rpy_math_log1p(rpy_float x);                    /* math.log1p(x): log(1 + x). R */
rpy_float rpy_math_pow(rpy_float x, rpy_float y);         /* math.pow(x, y) (0.0 ** -1.0 is a domain error here). R */
rpy_float rpy_math_fabs(rpy_float x);                     /* math.fabs(x). N */
/* math.floor(x) of a float; inf, nan and past 64 bits raise as int(x)
 * does. R */
rpy_int rpy_math_floor(rpy_float x);
rpy_int rpy_math_ceil(rpy_float x);                       /* math.ceil(x) of a float, the same errors. R */
rpy_int rpy_math_trunc(rpy_float x);                      /* math.trunc(x) of a float, the same errors. R */
rpy_float rpy_math_fmod(rpy_float x, rpy_float y);        /* math.fmod(x, y): C's fmod, the sign of x. R */
rpy_float rpy_math_remainder(rpy_float x, rpy_float y);   /* math.remainder(x, y): IEEE remainder. R */
rpy_float rpy_math_copysign(rpy_float x, rpy_float y);    /* math.copysign(x, y). N */
rpy_float rpy_math_nextafter(rpy_float x, rpy_float y);   /* math.nextafter(x, y). N */
rpy_float rpy_math_ulp(rpy_float x);                      /* math.ulp(x). N */
/* math.modf(x) as a tuple (float, float) of type tupti: (fraction,
 * integral part). C */
struct rpy_tuple *rpy_math_modf(rpy_float x, const struct rpy_typeinfo *tupti);
/* math.frexp(x) as a tuple (float, int) of type tupti: (mantissa,
 * exponent). C */
struct rpy_tuple *rpy_math_frexp(rpy_float x, const struct rpy_typeinfo *tupti);
rpy_float rpy_math_ldexp(rpy_float x, rpy_int i);         /* math.ldexp(x, i): x * 2**i. R */
rpy_float rpy_math_sin(rpy_float x);                      /* math.sin(x). R */
rpy_float rpy_math_cos(rpy_float x);                      /* math.cos(x). R */
rpy_float rpy_math_tan(rpy_float x);                      /* math.tan(x). R */
rpy_float rpy_math_asin(rpy_float x);                     /* math.asin(x). R */
rpy_float rpy_math_acos(rpy_float x);                     /* math.acos(x). R */
rpy_float rpy_math_atan(rpy_float x);                     /* math.atan(x). R */
rpy_float rpy_math_atan2(rpy_float y, rpy_float x);       /* math.atan2(y, x). R */
rpy_float rpy_math_sinh(rpy_float x);                     /* math.sinh(x). R */
rpy_float rpy_math_cosh(rpy_float x);                     /* math.cosh(x). R */
rpy_float rpy_math_tanh(rpy_float x);                     /* math.tanh(x). R */
rpy_float rpy_math_asinh(rpy_float x);                    /* math.asinh(x). R */
rpy_float rpy_math_acosh(rpy_float x);                    /* math.acosh(x). R */
rpy_float rpy_math_atanh(rpy_float x);                    /* math.atanh(x). R */
rpy_float rpy_math_radians(rpy_float x);                  /* math.radians(x). N */
rpy_float rpy_math_degrees(rpy_float x);                  /* math.degrees(x). N */
rpy_float rpy_math_hypot(rpy_float x, rpy_float y);       /* math.hypot(x, y). N */
/* math.dist(p, q); ValueError "both points must have the same number of
 * dimensions". R */
rpy_float rpy_math_dist(const void *p, const void *q);
rpy_float rpy_math_gamma(rpy_float x);                    /* math.gamma(x). R */
rpy_float rpy_math_lgamma(rpy_float x);                   /* math.lgamma(x). R */
rpy_float rpy_math_erf(rpy_float x);                      /* math.erf(x). R */
rpy_float rpy_math_erfc(rpy_float x);                     /* math.erfc(x). R */
rpy_bool rpy_math_isnan(rpy_float x);                     /* math.isnan(x). N */
rpy_bool rpy_math_isinf(rpy_float x);                     /* math.isinf(x). N */
rpy_bool rpy_math_isfinite(rpy_float x);                  /* math.isfinite(x). N */
/* math.isclose(a, b, rel_tol=1e-09, abs_tol=0.0) (the defaults are the
 * compiler's); ValueError "tolerances must be non-negative". R */
rpy_bool rpy_math_isclose(rpy_float a, rpy_float b, rpy_float rel_tol, rpy_float abs_tol);
/* math.fsum(seq), exactly rounded; OverflowError "intermediate overflow
 * in fsum", ValueError "-inf + inf in fsum". R */
rpy_float rpy_math_fsum(const void *seq);
/* math.prod(seq, start=start): of ints (OverflowError "integer
 * multiplication overflow"), R; with a float among the items or start, N. */
rpy_int rpy_math_prod_int(const void *seq, rpy_int start);
rpy_float rpy_math_prod_float(const void *seq, rpy_float start);
rpy_int rpy_math_gcd(rpy_int a, rpy_int b);               /* math.gcd(a, b). R (gcd(-2**63, 0)) */
rpy_int rpy_math_lcm(rpy_int a, rpy_int b);               /* math.lcm(a, b). R */
/* math.factorial(n); ValueError "factorial() not defined for negative
 * values", OverflowError past 20. R */
rpy_int rpy_math_factorial(rpy_int n);
/* math.isqrt(n), exact; ValueError "isqrt() argument must be nonnegative". R */
rpy_int rpy_math_isqrt(rpy_int n);
/* math.comb(n, k) and math.perm(n, k); ValueError "n must be a
 * non-negative integer", "k must be a non-negative integer" (perm(n) is
 * factorial(n), with its errors). R */
rpy_int rpy_math_comb(rpy_int n, rpy_int k);
rpy_int rpy_math_perm(rpy_int n, rpy_int k);

/* random: the module-level functions of CPython 3.11's random, output for
 * output after seed(n): one hidden Mersenne Twister per process. A
 * program that never seeds is seeded from system entropy at its first
 * draw, as CPython is at import. */
void rpy_random_seed(rpy_int n);                          /* random.seed(n) for an int (a bool: 0 or 1). N */
void rpy_random_seed_float(rpy_float x);                  /* random.seed(x) for a float: by hash(x), as CPython. N */
void rpy_random_seed_none(void);                          /* random.seed() and random.seed(None): system entropy. N */
rpy_float rpy_random_random(void);                        /* random.random(): in [0.0, 1.0), 53 bits. N */
/* random.getrandbits(k); ValueError "number of bits must be
 * non-negative", OverflowError for k > 63 (not a 64-bit int). R */
rpy_int rpy_random_getrandbits(rpy_int k);
/* random.randrange(start, stop, step); with has_stop false
 * random.randrange(stop), the stop passed as start (step must then be 1,
 * else TypeError "Missing a non-None stop argument"). ValueError "empty
 * range for randrange() (1, 1, 0)" (step 1: start, stop, width), "empty
 * range for randrange()", "zero step for randrange()". R */
rpy_int rpy_random_randrange(rpy_int start, rpy_int stop, rpy_bool has_stop, rpy_int step);
rpy_int rpy_random_randint(rpy_int a, rpy_int b); /* random.randint(a, b): randrange(a, b + 1), any a, b. R */
/* random.choice(l): the item's word; IndexError "Cannot choose from an
 * empty sequence". R */
rpy_word rpy_random_choice(const struct rpy_list *l);
/* random.choice(s) of a str: one character, the same IndexError. RC */
struct rpy_str *rpy_random_choice_str(const struct rpy_str *s);
void rpy_random_shuffle(struct rpy_list *l);              /* random.shuffle(l) in place, any item type. N */
rpy_float rpy_random_uniform(rpy_float a, rpy_float b);   /* random.uniform(a, b): a + (b-a) * random(). N */
/* random.gauss(mu=0.0, sigma=1.0) (the defaults are the compiler's). N */
rpy_float rpy_random_gauss(rpy_float mu, rpy_float sigma);

/* ------------------------------------------------------------------ */
/* collections.deque (runtime/deque.c)                                  */
/* ------------------------------------------------------------------ */
/* A deque is a list (kind LIST, RPY_TI_DEQUE in its typeinfo) with a
 * maximum length: every list routine works on it; these add what only a
 * deque does. maxlen -1: unbounded. */
struct rpy_deque {
    struct rpy_list l;
    rpy_int maxlen;
};
struct rpy_deque *rpy_deque_new(const struct rpy_typeinfo *ti, const struct rpy_list *items, rpy_int maxlen);
void rpy_deque_append(struct rpy_deque *d, rpy_word v);     /* drops from the left when full */
void rpy_deque_appendleft(struct rpy_deque *d, rpy_word v); /* drops from the right when full */
rpy_word rpy_deque_pop(struct rpy_deque *d);                /* IndexError: pop from an empty deque */
rpy_word rpy_deque_popleft(struct rpy_deque *d);
void rpy_deque_extend(struct rpy_deque *d, const struct rpy_list *items);
void rpy_deque_extendleft(struct rpy_deque *d, const struct rpy_list *items);
void rpy_deque_rotate(struct rpy_deque *d, rpy_int n);
struct rpy_list *rpy_deque_to_list(const struct rpy_deque *d, const struct rpy_typeinfo *listti);


/* ------------------------------------------------------------------ */
/* stackless: coroutines by unwinding (runtime/stackless.c,           */
/* transforms/stackless.c)                                              */
/* ------------------------------------------------------------------ */
/* The head of every frame record the stackless transform saves; the
 * program's record types add their typed slots after it. fn is the
 * record's resume function: void fn(void), called with rpy_sl_resuming
 * set and the record as rpy_sl_resume_frame(). */
struct rpy_sl_frame {
    struct rpy_hdr hdr;
    struct rpy_sl_frame *next;
    rpy_word fn;
    rpy_int state;
};
extern rpy_bool rpy_sl_unwinding, rpy_sl_resuming;
RPY_INLINE rpy_bool rpy_sl_is_unwinding(void) { return rpy_sl_unwinding; }
RPY_INLINE rpy_bool rpy_sl_is_resuming(void) { return rpy_sl_resuming; }
rpy_bool rpy_sl_is_unwinding_x(void);
rpy_bool rpy_sl_is_resuming_x(void);
void rpy_sl_push(void *frame);
void *rpy_sl_resume_frame(void);
void rpy_sl_resumed(void); /* the frame is reloaded: stop resuming, restore the pending exception */
rpy_int rpy_sl_result_int(void);
rpy_float rpy_sl_result_float(void);
rpy_bool rpy_sl_result_bool(void);
rpy_word rpy_sl_result_word(void);
void *rpy_sl_result_ptr(void);
void rpy_sl_set_result_int(rpy_int v);
void rpy_sl_set_result_float(rpy_float v);
void rpy_sl_set_result_bool(rpy_bool v);
void rpy_sl_set_result_word(rpy_word v);
void rpy_sl_set_result_ptr(void *v);
void rpy_sl_cannot_unwind(void);
void rpy_sl_run_entry(void (*entry)(void));
/* module _rpystackless (lib/stdlib/rpy/greenlet.py's primitives) */
rpy_int rpy_sl_new(void);
rpy_int rpy_sl_current(void);
rpy_bool rpy_sl_switch(rpy_int target);
void rpy_sl_exit_to(rpy_int target);

#endif
