/* exc.c - raising, catching and reporting exceptions.
 *
 * An exception is an instance of an exception class (struct rpy_exc_base
 * at its start). Raising makes it the thread's current exception and
 * returns: the compiled code checks after every call that can raise and
 * unwinds by returning, each frame adding its location to the traceback
 * (rpy_tb_add), so C code never jumps over C frames and the runtime's
 * routines simply return a dummy after raising. A handler takes the
 * exception with rpy_exc_fetch, which also forgets the traceback recorded
 * so far. At the top, rpy_report_uncaught prints CPython's report:
 *
 *     Traceback (most recent call last):
 *       File "prog.py", line 12, in <module>
 *         print(f(0))
 *       File "prog.py", line 3, in f
 *         return 1 // x
 *     ZeroDivisionError: integer division or modulo by zero
 *
 * The source lines are read back from the file when it is still there;
 * runs of identical entries (deep recursion) are folded the way CPython
 * folds them ("[Previous line repeated 996 more times]").
 *
 * Without an exception class table (a runtime unit test linked without a
 * compiled program) a raise cannot allocate an instance: it reports the
 * error and exits at once, as an uncaught exception would.
 */
#include "runtime/rt_internal.h"

#include <stdio.h>
#include <stdlib.h>

__thread void *rpy_exc_value;

/* The default for programs that define no table: see the note on top. */
__attribute__((weak)) const uint32_t rpy_exc_tids[RPY_EXC_COUNT];

static const char *const exc_names[RPY_EXC_COUNT] = {
#define X(name, base) #name,
    RPY_BUILTIN_EXCEPTIONS(X)
#undef X
};

const char *rpy_exc_name(enum rpy_exc e)
{
    if ((unsigned)e >= RPY_EXC_COUNT)
        return "Exception";
    return exc_names[e];
}

/* ---- the traceback: innermost frame first ----
 * tb[0 .. TB_MAX) holds the frames in the order the exception passed
 * them; past TB_MAX (deep recursion), the last TB_KEEP_OUTER slots are a
 * ring of the most recent entries, so the outermost frames (the module
 * code that started the recursion) are still printed. */

enum { TB_MAX = 4096, TB_KEEP_OUTER = 64 };
static __thread const struct rpy_tb_loc *tb[TB_MAX];
static __thread rpy_int tb_len; /* frames passed, may exceed TB_MAX */

void rpy_tb_add(const struct rpy_tb_loc *loc)
{
    if (tb_len < TB_MAX)
        tb[tb_len] = loc;
    else
        tb[TB_MAX - TB_KEEP_OUTER + (tb_len - TB_MAX) % TB_KEEP_OUTER] = loc;
    tb_len++;
}

/* The entry of frame i (0: innermost) if it was kept, else NULL. */
static const struct rpy_tb_loc *tb_entry(rpy_int i)
{
    if (tb_len <= TB_MAX)
        return i < tb_len ? tb[i] : NULL;
    rpy_int inner = TB_MAX - TB_KEEP_OUTER;
    if (i < inner)
        return tb[i];
    if (i < tb_len - TB_KEEP_OUTER)
        return NULL; /* overwritten */
    return tb[inner + ((i - TB_MAX) % TB_KEEP_OUTER + TB_KEEP_OUTER) % TB_KEEP_OUTER];
}

/* A caught exception raised again (`except E as e: ... raise e`) goes on
 * with the traceback it had when caught, as a CPython exception's
 * __traceback__ does: the catch saves the innermost CAUGHT_MAX entries
 * with the exception (last_caught), and raising that object restores
 * them. rpy_keep_traceback keeps a whole traceback longer, for stackless:
 * an exception carried out of a tasklet or greenlet, caught and raised
 * again in another one after other catches. */
enum { CAUGHT_MAX = 64 };
static __thread void *last_caught; /* a static root once used */
static __thread const struct rpy_tb_loc *caught_tb[CAUGHT_MAX];
static __thread rpy_int caught_len;
static __thread void *kept_exc; /* a static root once used */
static __thread const struct rpy_tb_loc **kept_tb;
static __thread rpy_int kept_len;

static void restore(const struct rpy_tb_loc *const *from, rpy_int len, rpy_int cap)
{
    rpy_int n = len < cap ? len : cap;
    memcpy(tb, from, sizeof *tb * (size_t)(n < TB_MAX ? n : TB_MAX));
    tb_len = n;
}

void rpy_raise(void *exc)
{
    rpy_exc_value = exc;
    tb_len = 0;
    if (kept_exc && exc == kept_exc) {
        restore(kept_tb, kept_len, TB_MAX);
        kept_exc = NULL;
    } else if (last_caught && exc == last_caught) {
        restore(caught_tb, caught_len, CAUGHT_MAX);
    }
}

void *rpy_exc_fetch(void)
{
    static __thread bool rooted;
    if (!rooted) {
        rpy_gc_add_static_root(&last_caught);
        rooted = true;
    }
    void *e = rpy_exc_value;
    rpy_exc_value = NULL;
    last_caught = e;
    caught_len = tb_len;
    memcpy(caught_tb, tb, sizeof *tb * (size_t)(tb_len < CAUGHT_MAX ? tb_len : CAUGHT_MAX));
    tb_len = 0;
    return e;
}

void rpy_keep_traceback(void)
{
    static __thread bool rooted;
    if (!rooted) {
        rpy_gc_add_static_root(&kept_exc);
        rooted = true;
    }
    if (!kept_tb && !(kept_tb = malloc(sizeof *kept_tb * TB_MAX)))
        RT_DIE("out of memory for a traceback");
    kept_len = caught_len;
    memcpy(kept_tb, tb, sizeof *tb * (size_t)(kept_len < TB_MAX ? kept_len : TB_MAX));
    kept_exc = last_caught;
}

/* ---- raising built-in exceptions ---- */

/* CPython prints just the class name when str(exc) is empty. */
static void write_last_line(const char *name, const char *msg, size_t msglen)
{
    rt_write_stderr(name, strlen(name));
    if (msg && msglen) {
        rt_write_stderr(": ", 2);
        rt_write_stderr(msg, msglen);
    }
    rt_write_stderr("\n", 1);
}

static _Noreturn void report_and_exit(enum rpy_exc e, const char *msg, size_t msglen)
{
    static const char header[] = "Traceback (most recent call last):\n";
    rt_write_stderr(header, sizeof header - 1);
    write_last_line(rpy_exc_name(e), msg, msglen);
    exit(1);
}

/* Raising allocates without collecting (see rt_gc_malloc_nocollect):
 * callers need not save their roots for an error they may raise. */
void rpy_raise_builtin(enum rpy_exc e, struct rpy_str *msg)
{
    uint32_t tid = rpy_exc_tids[e];
    if (!tid)
        report_and_exit(e, msg ? msg->data : NULL, msg ? (size_t)msg->nbytes : 0);
    const struct rpy_typeinfo *ti = rpy_typetable[tid];
    struct rpy_exc_base *x = rt_gc_malloc_nocollect(ti, ti->size);
    x->msg = msg ? msg : rt_str_empty();
    rpy_raise(x);
}

void rpy_raise_builtin_c(enum rpy_exc e, const char *msg)
{
    if (!rpy_exc_tids[e])
        report_and_exit(e, msg, msg ? strlen(msg) : 0);
    struct rpy_str *s = NULL;
    if (msg && *msg) {
        rpy_int n = (rpy_int)strlen(msg);
        s = rt_gc_malloc_nocollect(&rpy_ti_str, sizeof(struct rpy_str) + (size_t)n + 1);
        s->hash = -1;
        s->nbytes = n;
        s->length = rt_utf8_count(msg, n);
        memcpy(s->data, msg, (size_t)n + 1);
    }
    rpy_raise_builtin(e, s);
}

void rpy_stop_iteration_unless(rpy_bool has)
{
    if (!has)
        rpy_raise_builtin_c(RPY_EXC_StopIteration, NULL);
}

void rt_memory_error(void)
{
    /* No memory for an instance: report directly. */
    report_and_exit(RPY_EXC_MemoryError, NULL, 0);
}

/* ---- the report ---- */

/* Line `line` of `file` without its newline and leading blanks, into buf;
 * false if the file cannot be read. */
static bool source_line(const char *file, int32_t line, char *buf, size_t size)
{
    FILE *f = fopen(file, "r");
    if (!f)
        return false;
    int32_t n = 1;
    bool found = false;
    while (fgets(buf, (int)size, f)) {
        size_t len = strlen(buf);
        bool whole = len && buf[len - 1] == '\n';
        if (n == line) {
            found = true;
            break;
        }
        if (whole)
            n++;
    }
    fclose(f);
    if (!found)
        return false;
    size_t len = strlen(buf);
    while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        buf[--len] = 0;
    size_t skip = strspn(buf, " \t");
    memmove(buf, buf + skip, len - skip + 1);
    return buf[0] != 0;
}

static void write_entry(const struct rpy_tb_loc *loc)
{
    char text[1024];
    int n = snprintf(text, sizeof text, "  File \"%s\", line %d, in %s\n", loc->file, (int)loc->line, loc->func);
    rt_write_stderr(text, (size_t)n < sizeof text ? (size_t)n : sizeof text - 1);
    char src[512];
    if (source_line(loc->file, loc->line, src, sizeof src)) {
        n = snprintf(text, sizeof text, "    %s\n", src);
        rt_write_stderr(text, (size_t)n < sizeof text ? (size_t)n : sizeof text - 1);
    }
}

/* Outermost first; after three identical entries in a row, CPython counts
 * the rest instead of printing them. */
static void write_traceback(void)
{
    static const char header[] = "Traceback (most recent call last):\n";
    rt_write_stderr(header, sizeof header - 1);
    const struct rpy_tb_loc *prev = NULL;
    rpy_int repeats = 0;
    for (rpy_int i = tb_len - 1; i >= 0; i--) {
        const struct rpy_tb_loc *loc = tb_entry(i);
        if (!loc) /* not kept: deep recursion repeats the entries around it */
            loc = prev;
        repeats = loc == prev ? repeats + 1 : 0;
        if (repeats < 3)
            write_entry(loc);
        const struct rpy_tb_loc *next = i > 0 ? tb_entry(i - 1) : NULL;
        if (repeats >= 3 && (i == 0 || (next && next != loc))) {
            char text[96];
            int n = snprintf(text, sizeof text, "  [Previous line repeated %lld more time%s]\n",
                             (long long)(repeats - 2), repeats - 2 == 1 ? "" : "s");
            rt_write_stderr(text, (size_t)n);
        }
        prev = loc;
    }
}

/* The traceback in tb[] and the last line for exception exc. */
static void write_exception(void *exc)
{
    write_traceback();
    rpy_exc_value = NULL; /* __str__ below runs with no exception pending */
    RPY_ROOT(exc);
    const struct rpy_typeinfo *ti = rt_ti_of(exc);
    const struct rpy_classinfo *cls = ti->cls;
    struct rpy_str *msg = NULL;
    if (cls && cls->str) {
        msg = cls->str(exc); /* may collect: exc is rooted */
        if (rpy_exc_occurred())
            msg = NULL;
        rpy_exc_value = NULL;
    }
    if (!msg)
        msg = ((struct rpy_exc_base *)exc)->msg;
    write_last_line(cls ? cls->name : ti->name, msg ? msg->data : NULL, msg ? (size_t)msg->nbytes : 0);
}

_Noreturn void rpy_report_uncaught(void)
{
    write_exception(rpy_exc_value);
    exit(1);
}

/* An exception that ended a thread (rpy.thread): the header line, then
 * its traceback and last line, as CPython prints it for a thread started
 * by start_new_thread; the program goes on. It is the exception caught
 * last, whose traceback rpy_keep_traceback kept. */
void rpy_print_kept_exception(const struct rpy_str *header)
{
    if (!kept_exc)
        return;
    rpy_flush();
    rt_write_stderr(header->data, (size_t)header->nbytes);
    rt_write_stderr("\n", 1);
    rpy_int saved = tb_len;
    tb_len = kept_len;
    memcpy(tb, kept_tb, sizeof *tb * (size_t)(kept_len < TB_MAX ? kept_len : TB_MAX));
    void *exc = kept_exc;
    kept_exc = NULL;
    write_exception(exc);
    tb_len = saved;
}

/* ---- runtime bugs (not Python errors) ---- */

_Noreturn void rt_die(const char *file, int line, const char *msg)
{
    rpy_flush();
    fprintf(stderr, "rpy runtime: internal error at %s:%d: %s\n", file, line, msg);
    abort();
}
