/* test_rt_fileio.c - text files, the standard streams, input(), sys, os
 * and time (runtime/fileio.c, sysmod.c, stack.c, io.c).
 *
 * Files live in a temporary folder made with mkdtemp and removed at the
 * end. Expected texts and error messages are CPython 3.11's (checked
 * against python3.11 when the test was written: the same open() calls,
 * the same bytes decoded, the same modes).
 *
 * Exceptions are real: the test defines the built-in exception classes
 * (rpy_exc_tids), so a raise makes an exception object that the test
 * fetches and compares.
 *
 * What depends on the process (exit hooks, stdin, argv, the standard
 * streams, sys.exit) runs in a child: the test binary executes itself
 * with "--child NAME ..." (so the child starts clean, through
 * rpy_startup, as a compiled program does), feeds it stdin through a pipe
 * and collects its stdout, stderr and exit status.
 *
 * The collector moves objects at any allocation (at every one under
 * RPY_GC_STRESS=1): the file objects and strs the test keeps across calls
 * are RPY_ROOTed; literals are K() constants outside the heap, as the
 * backend emits them. */
#include "runtime/rt_internal.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- types: the runtime's, three lists, the exception classes ---- */

enum { TID_LIST_STR = RPY_TID_FIRST_PROGRAM, TID_LIST_INT, TID_LIST_FILE, TID_EXC };

static const struct rpy_typeinfo ti_list_str = {
    .kind = RPY_K_LIST, .tid = TID_LIST_STR, .size = sizeof(struct rpy_list), .name = "list", .item = &rpy_ti_str};
static const struct rpy_typeinfo ti_list_int = {
    .kind = RPY_K_LIST, .tid = TID_LIST_INT, .size = sizeof(struct rpy_list), .name = "list", .item = &rpy_ti_int};
static const struct rpy_typeinfo ti_list_file = {
    .kind = RPY_K_LIST, .tid = TID_LIST_FILE, .size = sizeof(struct rpy_list), .name = "list", .item = &rpy_ti_file};

#include "tests/unit/rt_exc_tables.h"

#define X(n, b) [TID_EXC + RPY_EXC_##n] = &exc_ti[RPY_EXC_##n],
const struct rpy_typeinfo *const rpy_typetable[TID_EXC + RPY_EXC_COUNT] = {
    NULL, &rpy_ti_str, &rpy_ti_array_raw, &rpy_ti_array_gc, &rpy_ti_file,
    [TID_LIST_STR] = &ti_list_str, [TID_LIST_INT] = &ti_list_int, [TID_LIST_FILE] = &ti_list_file,
    RPY_BUILTIN_EXCEPTIONS(X)};
#undef X
const uint32_t rpy_ntypes = TID_EXC + RPY_EXC_COUNT;

/* In a child (below) Check cannot report: REQUIRE works in both. */
static bool in_child;
static void child_fail(int line, const char *what)
{
    rpy_flush();
    fprintf(stderr, "child check failed at line %d: %s\n", line, what);
    _exit(3);
}
#define REQUIRE(c)                                                                                      \
    do {                                                                                                \
        if (in_child) {                                                                                 \
            if (!(c))                                                                                   \
                child_fail(__LINE__, #c);                                                               \
        } else                                                                                          \
            ck_assert(c);                                                                               \
    } while (0)

/* ---- strs ---- */

/* A str constant of n bytes (valid UTF-8, NULs allowed), prebuilt. */
static struct rpy_str *KN(const char *s, size_t n)
{
    static _Alignas(16) char pool[1 << 20];
    static size_t used;
    size_t size = (sizeof(struct rpy_str) + n + 1 + 15) & ~(size_t)15;
    REQUIRE(used + size <= sizeof pool);
    struct rpy_str *k = (struct rpy_str *)(pool + used);
    used += size;
    k->hdr.tid = RPY_TID_STR;
    k->hdr.gcflags = RPY_GC_PREBUILT;
    k->hash = -1;
    k->nbytes = (rpy_int)n;
    k->length = rt_utf8_count(s, (rpy_int)n);
    memcpy(k->data, s, n);
    k->data[n] = 0;
    return k;
}
static struct rpy_str *K(const char *s) { return KN(s, strlen(s)); }

static void str_is(const struct rpy_str *s, const char *want, rpy_int length)
{
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s->data, want);
    ck_assert_int_eq(s->nbytes, (rpy_int)strlen(want));
    ck_assert_int_eq(s->length, length);
}
#define STR_IS(s, want) str_is((s), (want), rt_utf8_count((want), (rpy_int)strlen(want)))

/* ---- exceptions ---- */

static void no_exc(void)
{
    if (rpy_exc_occurred()) {
        struct rpy_exc_base *x = rpy_exc_fetch();
        if (in_child)
            child_fail(__LINE__, x->msg ? x->msg->data : "an exception");
        ck_abort_msg("unexpected exception: tid %u: %s", x->hdr.tid, x->msg ? x->msg->data : "");
    }
}

static void expect_exc(enum rpy_exc e, const char *msg)
{
    ck_assert_msg(rpy_exc_occurred(), "no exception; wanted %s: %s", rpy_exc_name(e), msg);
    struct rpy_exc_base *x = rpy_exc_fetch();
    ck_assert_msg(x->hdr.tid == rpy_exc_tids[e], "wanted %s, got tid %u (%s)", rpy_exc_name(e), x->hdr.tid,
                  x->msg->data);
    ck_assert_str_eq(x->msg->data, msg);
}

/* ---- the temporary folder and raw file access ---- */

static char tmpdir[256];

static const char *tpath(const char *name)
{
    static char buf[4][512];
    static int k;
    char *b = buf[k++ & 3];
    snprintf(b, 512, "%s/%s", tmpdir, name);
    return b;
}
static struct rpy_str *P(const char *name) { return K(tpath(name)); }

static void write_raw(const char *name, const char *bytes, size_t n)
{
    FILE *f = fopen(tpath(name), "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(bytes, 1, n, f), n);
    fclose(f);
}

/* The file's bytes (malloc'd, NUL-terminated) and their count. */
static char *read_raw(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot read %s", path);
    size_t cap = 1 << 16, len = 0;
    char *b = malloc(cap + 1);
    size_t k;
    while ((k = fread(b + len, 1, cap - len, f)) > 0) {
        len += k;
        if (len == cap)
            b = realloc(b, (cap *= 2) + 1);
    }
    fclose(f);
    b[len] = 0;
    *n = len;
    return b;
}

static void file_is(const char *name, const char *want)
{
    size_t n;
    char *got = read_raw(tpath(name), &n);
    ck_assert_str_eq(got, want);
    free(got);
}

static struct rpy_file *open_ok(const char *name, const char *mode)
{
    struct rpy_file *f = rpy_file_open(P(name), mode ? K(mode) : NULL);
    no_exc();
    REQUIRE(f != NULL);
    return f;
}

static void close_ok(struct rpy_file *f)
{
    rpy_file_close(f);
    no_exc();
}

/* ---- children ---- */

struct child_result {
    int status; /* exit status, or 128 + signal */
    char out[1 << 17], err[1 << 14];
    size_t nout, nerr;
};
static struct child_result child;

/* Runs this binary as "--child scenario tmpdir args...", with `input` on
 * its stdin; merge sends its stderr into the stdout pipe. */
static void run_child(const char *scenario, const char *input, const char *const *args, bool merge)
{
    int in[2], out[2], err[2];
    ck_assert_int_eq(pipe(in), 0);
    ck_assert_int_eq(pipe(out), 0);
    ck_assert_int_eq(pipe(err), 0);
    rpy_flush();
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(merge ? out[1] : err[1], 2);
        for (int i = 0; i < 2; i++) {
            close(in[i]);
            close(out[i]);
            close(err[i]);
        }
        const char *argv[16] = {"test_rt_fileio", "--child", scenario, tmpdir};
        int n = 4;
        for (; args && *args && n < 15; args++)
            argv[n++] = *args;
        argv[n] = NULL;
        execv("/proc/self/exe", (char *const *)argv);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    size_t nin = input ? strlen(input) : 0;
    ck_assert_int_eq(write(in[1], input ? input : "", nin), (ssize_t)nin);
    close(in[1]);
    child.nout = child.nerr = 0;
    struct pollfd fds[2] = {{.fd = out[0], .events = POLLIN}, {.fd = err[0], .events = POLLIN}};
    int open_fds = 2;
    while (open_fds) {
        ck_assert_int_ge(poll(fds, 2, 10000), 1);
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !fds[i].revents)
                continue;
            char *buf = i ? child.err : child.out;
            size_t *len = i ? &child.nerr : &child.nout;
            size_t cap = (i ? sizeof child.err : sizeof child.out) - 1;
            ssize_t k = read(fds[i].fd, buf + *len, cap - *len);
            if (k <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
            } else
                *len += (size_t)k;
        }
    }
    child.out[child.nout] = child.err[child.nerr] = 0;
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    child.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* ------------------------------------------------------------------ */
/* Files                                                                */
/* ------------------------------------------------------------------ */

START_TEST(test_write_read_modes)
{
    struct rpy_file *f = open_ok("a.txt", "w");
    RPY_ROOT(f);
    ck_assert_int_eq(rpy_file_write(f, K("hello\n")), 6);
    ck_assert_int_eq(rpy_file_write(f, K("w\xc3\xb6rld\n")), 6);
    ck_assert_int_eq(rpy_file_write(f, K("")), 0);
    no_exc();
    file_is("a.txt", ""); /* still in the buffer */
    rpy_file_flush(f);
    no_exc();
    file_is("a.txt", "hello\nw\xc3\xb6rld\n");
    close_ok(f);
    ck_assert(rpy_file_closed(f));

    f = open_ok("a.txt", NULL); /* mode "r" */
    str_is(rpy_file_read(f, -1), "hello\nw\xc3\xb6rld\n", 12);
    STR_IS(rpy_file_read(f, -1), "");
    close_ok(f);

    f = open_ok("a.txt", "a");
    ck_assert_int_eq(rpy_file_write(f, K("more")), 4);
    close_ok(f);
    file_is("a.txt", "hello\nw\xc3\xb6rld\nmore");

    f = open_ok("a.txt", "wt"); /* truncates */
    ck_assert_int_eq(rpy_file_write(f, K("new")), 3);
    close_ok(f);
    file_is("a.txt", "new");

    f = open_ok("a.txt", "tr");
    STR_IS(rpy_file_read(f, -1), "new");
    close_ok(f);

    rpy_file_open(P("a.txt"), K("x"));
    char want[600];
    snprintf(want, sizeof want, "[Errno 17] File exists: '%s'", tpath("a.txt"));
    expect_exc(RPY_EXC_OSError, want);
    f = open_ok("fresh.txt", "x");
    rpy_file_write(f, K("made"));
    close_ok(f);
    file_is("fresh.txt", "made");
    close_ok(f); /* a second close does nothing */
}
END_TEST

/* The lines of s, ends kept, as str.splitlines(True) for "\n" only. */
static int split_lines(const char *s, char lines[][64])
{
    int n = 0;
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) + 1 : strlen(s);
        memcpy(lines[n], s, len);
        lines[n++][len] = 0;
        s += len;
    }
    return n;
}

START_TEST(test_lines)
{
    static const char *const contents[] = {"a\nbb\nccc\n", "a\nbb\nccc", "", "\n\n", "x", "\xc3\xa9t\xc3\xa9\n\xe2\x82\xac"};
    for (size_t c = 0; c < sizeof contents / sizeof contents[0]; c++) {
        write_raw("l.txt", contents[c], strlen(contents[c]));
        char want[8][64];
        int nwant = split_lines(contents[c], want);

        struct rpy_file *f = open_ok("l.txt", "r");
        RPY_ROOT(f);
        for (int i = 0; i < nwant; i++)
            STR_IS(rpy_file_readline(f, -1), want[i]);
        STR_IS(rpy_file_readline(f, -1), "");
        STR_IS(rpy_file_readline(f, -1), ""); /* and again */
        close_ok(f);

        f = open_ok("l.txt", "r");
        struct rpy_list *l = rpy_file_readlines(f, &ti_list_str);
        no_exc();
        ck_assert_int_eq(l->length, nwant);
        for (int i = 0; i < nwant; i++)
            STR_IS((struct rpy_str *)rpy_w_to_ptr(l->items->items[i]), want[i]);
        ck_assert_int_eq(rpy_file_readlines(f, &ti_list_str)->length, 0);
        close_ok(f);

        f = open_ok("l.txt", "r");
        int i = 0;
        struct rpy_str *line;
        while ((line = rpy_file_next_line(f)) != NULL) {
            ck_assert_int_lt(i, nwant);
            STR_IS(line, want[i]);
            i++;
        }
        no_exc();
        ck_assert_int_eq(i, nwant);
        ck_assert_ptr_null(rpy_file_next_line(f));
        close_ok(f);
    }
}
END_TEST

START_TEST(test_readline_limit_and_read_n)
{
    write_raw("n.txt", "abcdef\n\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e!\n", 18);
    struct rpy_file *f = open_ok("n.txt", "r");
    RPY_ROOT(f);
    STR_IS(rpy_file_readline(f, 0), "");
    STR_IS(rpy_file_readline(f, 3), "abc");
    STR_IS(rpy_file_readline(f, 100), "def\n");
    str_is(rpy_file_read(f, 1), "\xc3\xa9", 1);
    str_is(rpy_file_read(f, 2), "\xe2\x82\xac\xf0\x9d\x84\x9e", 2);
    STR_IS(rpy_file_read(f, 0), "");
    STR_IS(rpy_file_read(f, 10), "!\n");
    STR_IS(rpy_file_read(f, 10), "");
    close_ok(f);
}
END_TEST

START_TEST(test_non_ascii_round_trip)
{
    const char *text = "h\xc3\xa9llo \xe2\x82\xac\xf0\x9d\x84\x9e\n\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\n";
    struct rpy_file *f = open_ok("u.txt", "w");
    RPY_ROOT(f);
    ck_assert_int_eq(rpy_file_write(f, K(text)), 13);
    close_ok(f);
    file_is("u.txt", text);
    f = open_ok("u.txt", "r");
    str_is(rpy_file_read(f, 1), "h", 1);
    str_is(rpy_file_read(f, 2), "\xc3\xa9l", 2);
    str_is(rpy_file_readline(f, -1), "lo \xe2\x82\xac\xf0\x9d\x84\x9e\n", 6);
    str_is(rpy_file_read(f, -1), "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\n", 4);
    close_ok(f);
}
END_TEST

START_TEST(test_universal_newlines)
{
    write_raw("crlf.txt", "a\r\nb\rc\n\r", 8);
    struct rpy_file *f = open_ok("crlf.txt", "r");
    RPY_ROOT(f);
    STR_IS(rpy_file_read(f, -1), "a\nb\nc\n\n");
    close_ok(f);
    f = open_ok("crlf.txt", "r");
    struct rpy_list *l = rpy_file_readlines(f, &ti_list_str);
    ck_assert_int_eq(l->length, 4);
    STR_IS((struct rpy_str *)rpy_w_to_ptr(l->items->items[1]), "b\n");
    close_ok(f);
    /* Writing keeps "\n" as it is (POSIX). */
    f = open_ok("w.txt", "w");
    rpy_file_write(f, K("x\r\ny\n"));
    close_ok(f);
    file_is("w.txt", "x\r\ny\n");
}
END_TEST

/* Lines and characters across the 64 KiB chunks the reader asks for. */
START_TEST(test_chunk_boundaries)
{
    size_t n = 65535;
    char *b = malloc(3 * 65536);
    memset(b, 'x', n);
    memcpy(b + n, "\r\ny", 3); /* the chunk ends between \r and \n */
    write_raw("cb1.txt", b, n + 3);
    struct rpy_file *f = open_ok("cb1.txt", "r");
    RPY_ROOT(f);
    struct rpy_str *line = rpy_file_readline(f, -1);
    ck_assert_int_eq(line->length, 65536);
    ck_assert_int_eq(line->data[65535], '\n');
    STR_IS(rpy_file_readline(f, -1), "y");
    close_ok(f);

    memset(b, 'a', n);
    memcpy(b + n, "\xe2\x82\xac\n\xc3\xa9", 6); /* a character split by the chunk end */
    write_raw("cb2.txt", b, n + 6);
    f = open_ok("cb2.txt", "r");
    line = rpy_file_readline(f, -1);
    ck_assert_int_eq(line->length, 65537);
    ck_assert_int_eq(line->nbytes, 65539);
    ck_assert(memcmp(line->data + 65535, "\xe2\x82\xac\n", 4) == 0);
    str_is(rpy_file_readline(f, -1), "\xc3\xa9", 1);
    close_ok(f);

    /* read(n) across chunks, of a file bigger than the buffer. */
    for (size_t i = 0; i < 3 * 65536; i++)
        b[i] = (char)('a' + i % 26);
    write_raw("cb3.txt", b, 3 * 65536);
    f = open_ok("cb3.txt", "r");
    struct rpy_str *s = rpy_file_read(f, 100000);
    ck_assert_int_eq(s->length, 100000);
    ck_assert(memcmp(s->data, b, 100000) == 0);
    s = rpy_file_read(f, -1);
    ck_assert_int_eq(s->length, 3 * 65536 - 100000);
    ck_assert(memcmp(s->data, b + 100000, (size_t)s->nbytes) == 0);
    close_ok(f);

    /* readline(limit) on a line longer than a chunk */
    f = open_ok("cb3.txt", "r");
    s = rpy_file_readline(f, 150000);
    ck_assert_int_eq(s->length, 150000);
    ck_assert(memcmp(s->data, b, 150000) == 0);
    s = rpy_file_readline(f, -1);
    ck_assert_int_eq(s->length, 3 * 65536 - 150000);
    close_ok(f);
    free(b);
}
END_TEST

START_TEST(test_many_lines)
{
    enum { N = 100000 };
    struct rpy_file *f = open_ok("big.txt", "w");
    RPY_ROOT(f);
    for (int i = 0; i < N; i++) {
        char line[32];
        snprintf(line, sizeof line, "line %d\n", i);
        struct rpy_str *s = rpy_str_from_cstr(line); /* young: may move at the next allocation */
        ck_assert_int_eq(rpy_file_write(f, s), (rpy_int)strlen(line));
    }
    close_ok(f);
    f = open_ok("big.txt", "r");
    int i = 0;
    struct rpy_str *line;
    while ((line = rpy_file_next_line(f)) != NULL) {
        char want[32];
        snprintf(want, sizeof want, "line %d\n", i++);
        ck_assert_str_eq(line->data, want);
    }
    ck_assert_int_eq(i, N);
    close_ok(f);
    f = open_ok("big.txt", "r");
    struct rpy_list *l = rpy_file_readlines(f, &ti_list_str);
    ck_assert_int_eq(l->length, N);
    STR_IS((struct rpy_str *)rpy_w_to_ptr(l->items->items[N - 1]), "line 99999\n");
    close_ok(f);
}
END_TEST

START_TEST(test_open_errors)
{
    char want[700];
    rpy_file_open(P("missing.txt"), NULL);
    snprintf(want, sizeof want, "[Errno 2] No such file or directory: '%s'", tpath("missing.txt"));
    expect_exc(RPY_EXC_FileNotFoundError, want);
    rpy_file_open(P("no/such/dir.txt"), K("w"));
    snprintf(want, sizeof want, "[Errno 2] No such file or directory: '%s'", tpath("no/such/dir.txt"));
    expect_exc(RPY_EXC_FileNotFoundError, want);
    rpy_file_open(K(""), NULL);
    expect_exc(RPY_EXC_FileNotFoundError, "[Errno 2] No such file or directory: ''");
    /* The name is shown by repr(). */
    rpy_file_open(K("it's \xc3\xa9\n"), NULL);
    expect_exc(RPY_EXC_FileNotFoundError, "[Errno 2] No such file or directory: \"it's \xc3\xa9\\n\"");

    rpy_file_open(K(tmpdir), NULL);
    snprintf(want, sizeof want, "[Errno 21] Is a directory: '%s'", tmpdir);
    expect_exc(RPY_EXC_OSError, want);
    rpy_file_open(K(tmpdir), K("w"));
    expect_exc(RPY_EXC_OSError, want);
    write_raw("plain", "", 0);
    rpy_file_open(P("plain/x"), NULL);
    snprintf(want, sizeof want, "[Errno 20] Not a directory: '%s'", tpath("plain/x"));
    expect_exc(RPY_EXC_OSError, want);

    rpy_file_open(KN("a\0b", 3), NULL);
    expect_exc(RPY_EXC_ValueError, "embedded null byte");

    static const struct {
        const char *mode;
        enum rpy_exc exc;
        const char *msg;
    } modes[] = {
        {"rr", RPY_EXC_ValueError, "invalid mode: 'rr'"},
        {"rb+q", RPY_EXC_ValueError, "invalid mode: 'rb+q'"},
        {"U", RPY_EXC_ValueError, "invalid mode: 'U'"},
        {"rU", RPY_EXC_ValueError, "invalid mode: 'rU'"},
        {"rw", RPY_EXC_ValueError, "must have exactly one of create/read/write/append mode"},
        {"t", RPY_EXC_ValueError, "Must have exactly one of create/read/write/append mode and at most one plus"},
        {"", RPY_EXC_ValueError, "Must have exactly one of create/read/write/append mode and at most one plus"},
        {"bt", RPY_EXC_ValueError, "can't have text and binary mode at once"},
        {"rb", RPY_EXC_NotImplementedError, "open(): RPy has text files in the modes r, w, a and x only, not 'rb'"},
        {"r+", RPY_EXC_NotImplementedError, "open(): RPy has text files in the modes r, w, a and x only, not 'r+'"},
    };
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        rpy_file_open(P("a.txt"), K(modes[i].mode));
        expect_exc(modes[i].exc, modes[i].msg);
    }
    rpy_file_open(P("a.txt"), KN("r\0", 2));
    expect_exc(RPY_EXC_ValueError, "embedded null character");
}
END_TEST

START_TEST(test_closed_and_wrong_direction)
{
    const char *closed = "I/O operation on closed file.";
    struct rpy_file *f = open_ok("c.txt", "w");
    RPY_ROOT(f);
    ck_assert(!rpy_file_closed(f));
    rpy_file_read(f, -1);
    expect_exc(RPY_EXC_OSError, "not readable");
    rpy_file_readline(f, -1);
    expect_exc(RPY_EXC_OSError, "not readable");
    rpy_file_readlines(f, &ti_list_str);
    expect_exc(RPY_EXC_OSError, "not readable");
    ck_assert_ptr_null(rpy_file_next_line(f));
    expect_exc(RPY_EXC_OSError, "not readable");
    ck_assert_ptr_eq(rpy_file_enter(f), f);
    no_exc();
    rpy_file_exit(f); /* closes */
    no_exc();
    ck_assert(rpy_file_closed(f));
    rpy_file_write(f, K("x"));
    expect_exc(RPY_EXC_ValueError, closed);
    rpy_file_read(f, -1);
    expect_exc(RPY_EXC_ValueError, closed);
    rpy_file_readline(f, -1);
    expect_exc(RPY_EXC_ValueError, closed);
    rpy_file_readlines(f, &ti_list_str);
    expect_exc(RPY_EXC_ValueError, closed);
    rpy_file_next_line(f);
    expect_exc(RPY_EXC_ValueError, closed);
    rpy_file_flush(f);
    expect_exc(RPY_EXC_ValueError, closed);
    rpy_file_enter(f);
    expect_exc(RPY_EXC_ValueError, closed);
    rpy_file_print_value(f, rpy_w_from_int(1), &rpy_ti_int);
    expect_exc(RPY_EXC_ValueError, closed);
    rpy_file_close(f);
    no_exc();

    f = open_ok("c.txt", "r");
    rpy_file_write(f, K("x"));
    expect_exc(RPY_EXC_OSError, "not writable");
    rpy_file_print_str_or(f, NULL, K("\n"));
    expect_exc(RPY_EXC_OSError, "not writable");
    close_ok(f);
}
END_TEST

/* Write errors surface when the buffer is written out (CPython's too). */
START_TEST(test_write_errors)
{
    if (access("/dev/full", W_OK) != 0)
        return;
    const char *full = "[Errno 28] No space left on device";
    struct rpy_file *f = rpy_file_open(K("/dev/full"), K("w"));
    no_exc();
    RPY_ROOT(f);
    ck_assert_int_eq(rpy_file_write(f, K("x")), 1);
    no_exc();
    rpy_file_flush(f);
    expect_exc(RPY_EXC_OSError, full);
    ck_assert(!rpy_file_closed(f));
    rpy_file_write(f, K("y"));
    no_exc();
    rpy_file_close(f);
    expect_exc(RPY_EXC_OSError, full);
    ck_assert(rpy_file_closed(f));
    f = rpy_file_open(K("/dev/full"), K("a"));
    struct rpy_str *big = rpy_str_mul(K("z"), 9000);
    rpy_file_write(f, big);
    expect_exc(RPY_EXC_OSError, full);
    rpy_file_close(f);
    no_exc();
}
END_TEST

START_TEST(test_unicode_errors)
{
    static const struct {
        const char *bytes;
        size_t n;
        const char *msg;
    } cases[] = {
        {"ab\xff", 3, "'utf-8' codec can't decode byte 0xff in position 2: invalid start byte"},
        {"ab\xe4\x41", 4, "'utf-8' codec can't decode byte 0xe4 in position 2: invalid continuation byte"},
        {"\xe4\xb8\x41", 3, "'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte"},
        {"\xed\xa0\x80", 3, "'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte"},
        {"\xc0\x80", 2, "'utf-8' codec can't decode byte 0xc0 in position 0: invalid start byte"},
        {"\xe0\x80\x80", 3, "'utf-8' codec can't decode byte 0xe0 in position 0: invalid continuation byte"},
        {"\xf4\x90\x80\x80", 4, "'utf-8' codec can't decode byte 0xf4 in position 0: invalid continuation byte"},
        {"a\xe4\xb8", 3, "'utf-8' codec can't decode bytes in position 1-2: unexpected end of data"},
        {"\xf0\x9f\x98", 3, "'utf-8' codec can't decode bytes in position 0-2: unexpected end of data"},
        {"\x80", 1, "'utf-8' codec can't decode byte 0x80 in position 0: invalid start byte"},
        {"ok\r\n\xe2", 5, "'utf-8' codec can't decode byte 0xe2 in position 4: unexpected end of data"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_raw("bad.txt", cases[i].bytes, cases[i].n);
        struct rpy_file *f = open_ok("bad.txt", "r");
        RPY_ROOT(f);
        rpy_file_read(f, -1);
        expect_exc(RPY_EXC_UnicodeError, cases[i].msg);
        close_ok(f);
    }
    /* As CPython's incremental decoder: a sequence cut by the end of the
     * file is an error only when the reader gets there. */
    write_raw("bad.txt", "ok\r\n\xe2", 5);
    struct rpy_file *g = open_ok("bad.txt", "r");
    RPY_ROOT(g);
    STR_IS(rpy_file_readline(g, -1), "ok\n");
    rpy_file_readline(g, -1);
    expect_exc(RPY_EXC_UnicodeError, "'utf-8' codec can't decode byte 0xe2 in position 4: unexpected end of data");
    close_ok(g);
    /* Lone surrogates cannot be written (CPython's UnicodeEncodeError). */
    struct rpy_file *f = open_ok("sur.txt", "w");
    RPY_ROOT(f);
    rpy_file_write(f, K("a\xed\xa0\x80"));
    expect_exc(RPY_EXC_UnicodeError,
               "'utf-8' codec can't encode character '\\ud800' in position 1: surrogates not allowed");
    rpy_file_write(f, K("\xc3\xa9\xed\xb3\xbf\xed\xa0\x80z"));
    expect_exc(RPY_EXC_UnicodeError, "'utf-8' codec can't encode characters in position 1-2: surrogates not allowed");
    ck_assert_int_eq(rpy_file_write(f, K("\xed\x9f\xbf")), 1); /* U+D7FF is no surrogate */
    no_exc();
    close_ok(f);
    file_is("sur.txt", "\xed\x9f\xbf");
}
END_TEST

START_TEST(test_print_to_file)
{
    struct rpy_file *f = open_ok("p.txt", "w");
    RPY_ROOT(f);
    struct rpy_list *l = rpy_list_new(&ti_list_int, 2);
    l->items->items[0] = 1;
    l->items->items[1] = 2;
    RPY_ROOT(l);
    rpy_file_print_value(f, rpy_w_from_int(42), &rpy_ti_int);
    rpy_file_print_str_or(f, NULL, K(" "));
    rpy_file_print_value(f, rpy_w_from_float(0.1), &rpy_ti_float);
    rpy_file_print_str_or(f, K(", "), K(" "));
    rpy_file_print_value(f, rpy_w_from_ptr(l), &ti_list_int);
    rpy_file_print_str_or(f, NULL, K(" "));
    rpy_file_print_value(f, rpy_w_from_ptr(K("\xc3\xa9")), &rpy_ti_str);
    rpy_file_print_value(f, 0, &rpy_ti_str); /* None */
    rpy_file_print_value(f, rpy_w_from_bool(true), &rpy_ti_bool);
    rpy_file_print_str_or(f, NULL, K("\n"));
    no_exc();
    close_ok(f);
    file_is("p.txt", "42 0.1, [1, 2] \xc3\xa9NoneTrue\n");
}
END_TEST

/* File objects are GC objects: they move, lists of them are traced, and
 * their state goes with them. */
START_TEST(test_files_move)
{
    enum { N = 40 };
    struct rpy_list *l = rpy_list_new(&ti_list_file, 0);
    RPY_ROOT(l);
    for (int i = 0; i < N; i++) {
        char name[32];
        snprintf(name, sizeof name, "m%d.txt", i);
        struct rpy_file *f = open_ok(name, "w");
        rpy_list_append(l, rpy_w_from_ptr(f));
    }
    rt_gc_minor_collect();
    rpy_gc_collect();
    ck_assert(!rt_gc_is_young(rpy_w_to_ptr(l->items->items[0])));
    for (int i = 0; i < N; i++) {
        char text[32];
        snprintf(text, sizeof text, "file %d\n", i);
        struct rpy_str *s = rpy_str_from_cstr(text); /* may move the files: fetch f after it */
        struct rpy_file *f = rpy_w_to_ptr(l->items->items[i]);
        ck_assert_uint_eq(f->hdr.tid, RPY_TID_FILE);
        rpy_file_write(f, s);
        no_exc();
        close_ok(f);
    }
    for (int i = 0; i < N; i++) {
        char name[32], text[32];
        snprintf(name, sizeof name, "m%d.txt", i);
        snprintf(text, sizeof text, "file %d\n", i);
        file_is(name, text);
    }
}
END_TEST

/* A terminal is line buffered: a complete line is written at once. */
START_TEST(test_tty_line_buffering)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0)
        return; /* no pseudo-terminals here */
    struct rpy_file *f = rpy_file_open(K(ptsname(master)), K("w"));
    no_exc();
    RPY_ROOT(f);
    rpy_file_write(f, K("part"));
    struct pollfd p = {.fd = master, .events = POLLIN};
    ck_assert_int_eq(poll(&p, 1, 100), 0); /* nothing yet */
    rpy_file_write(f, K("ial\n"));
    ck_assert_int_eq(poll(&p, 1, 2000), 1);
    char buf[64];
    ssize_t k = read(master, buf, sizeof buf - 1);
    ck_assert_int_ge(k, 7);
    ck_assert(memcmp(buf, "partial", 7) == 0);
    close_ok(f);
    close(master);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Children: exit, the standard streams, input, argv                    */
/* ------------------------------------------------------------------ */

static void child_exit_flush(int argc, char **argv)
{
    /* Files left open, small (still buffered) and large. */
    struct rpy_file *a = open_ok("unclosed1.txt", "w");
    RPY_ROOT(a);
    rpy_file_write(a, K("left open\n"));
    struct rpy_file *b = open_ok("unclosed2.txt", "w");
    RPY_ROOT(b);
    for (int i = 0; i < 3000; i++)
        rpy_file_write(b, K("0123456789"));
    rpy_write_cstr("stdout text\n");
    if (argc > 4 && strcmp(argv[4], "raise") == 0) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, "boom");
        rpy_report_uncaught();
    }
    rpy_exit(0);
}

START_TEST(test_exit_flushes_files)
{
    run_child("exit_flush", NULL, NULL, false);
    ck_assert_int_eq(child.status, 0);
    ck_assert_str_eq(child.out, "stdout text\n");
    ck_assert_str_eq(child.err, "");
    file_is("unclosed1.txt", "left open\n");
    size_t n;
    char *big = read_raw(tpath("unclosed2.txt"), &n);
    ck_assert_uint_eq(n, 30000);
    free(big);

    const char *args[] = {"raise", NULL};
    unlink(tpath("unclosed1.txt"));
    run_child("exit_flush", NULL, args, false);
    ck_assert_int_eq(child.status, 1);
    ck_assert_str_eq(child.out, "stdout text\n");
    ck_assert_str_eq(child.err, "Traceback (most recent call last):\nValueError: boom\n");
    file_is("unclosed1.txt", "left open\n");
}
END_TEST

/* Files left open go out after stdout, as with CPython (which flushes
 * sys.stdout before it finalizes the files of the program). */
static void child_exit_order(int argc, char **argv)
{
    struct rpy_file *f = rpy_file_open(K("/dev/stdout"), K("w"));
    RPY_ROOT(f);
    rpy_write_cstr("a\n");
    rpy_file_write(f, K("b\n"));
    rpy_file_write(rpy_sys_stderr(), K("c\n"));
    rpy_write_cstr("d\n");
    no_exc();
    rpy_exit(0);
}

START_TEST(test_exit_order)
{
    run_child("exit_order", NULL, NULL, true);
    ck_assert_int_eq(child.status, 0);
    ck_assert_str_eq(child.out, "a\nc\nd\nb\n"); /* python3 prints the same */
}
END_TEST

static void child_sys_exit(int argc, char **argv)
{
    rpy_write_cstr("before exit\n"); /* in the stdout buffer: exit flushes it */
    if (strcmp(argv[4], "int") == 0)
        rpy_sys_exit_int(atoi(argv[5]));
    if (strcmp(argv[4], "none") == 0)
        rpy_sys_exit_str(NULL);
    rpy_sys_exit_str(K(argv[5]));
}

START_TEST(test_sys_exit)
{
    const char *a3[] = {"int", "3", NULL};
    run_child("sys_exit", NULL, a3, false);
    ck_assert_int_eq(child.status, 3);
    ck_assert_str_eq(child.out, "before exit\n");
    ck_assert_str_eq(child.err, "");
    const char *a256[] = {"int", "256", NULL};
    run_child("sys_exit", NULL, a256, false);
    ck_assert_int_eq(child.status, 0);
    const char *am1[] = {"int", "-1", NULL};
    run_child("sys_exit", NULL, am1, false);
    ck_assert_int_eq(child.status, 255);
    const char *anone[] = {"none", NULL};
    run_child("sys_exit", NULL, anone, false);
    ck_assert_int_eq(child.status, 0);
    ck_assert_str_eq(child.err, "");
    const char *amsg[] = {"str", "bye \xc3\xa9", NULL};
    run_child("sys_exit", NULL, amsg, true);
    ck_assert_int_eq(child.status, 1);
    ck_assert_str_eq(child.out, "before exit\nbye \xc3\xa9\n");
}
END_TEST

static void put_repr(const struct rpy_str *s)
{
    rpy_write_str(rpy_str_repr(s));
    rpy_write_cstr("|");
}

static void child_input(int argc, char **argv)
{
    put_repr(rpy_input(K("name? ")));
    put_repr(rpy_input(NULL));
    put_repr(rpy_input(K("")));
    put_repr(rpy_input(K("\xc3\xa9> ")));
    no_exc();
    rpy_input(K("last? "));
    struct rpy_exc_base *x = rpy_exc_fetch();
    REQUIRE((x->hdr.tid) == (rpy_exc_tids[RPY_EXC_EOFError]));
    rpy_write_cstr("EOFError: ");
    rpy_write_str(x->msg);
    rpy_input(NULL); /* at the end still */
    x = rpy_exc_fetch();
    REQUIRE((x) != NULL);
    rpy_exit(0);
}

START_TEST(test_input)
{
    run_child("input", "first\nsecond\r\n\nthird \xc3\xa9", NULL, false);
    ck_assert_int_eq(child.status, 0);
    ck_assert_str_eq(child.out,
                     "name? 'first'|'second\\r'|''|\xc3\xa9> 'third \xc3\xa9'|last? EOFError: EOF when reading a line");
    ck_assert_str_eq(child.err, "");
}
END_TEST

static void child_stdin(int argc, char **argv)
{
    struct rpy_file *in = rpy_sys_stdin();
    put_repr(rpy_file_readline(in, -1));
    put_repr(rpy_file_next_line(in));
    put_repr(rpy_input(NULL));
    put_repr(rpy_file_read(in, 3));
    put_repr(rpy_file_read(in, -1));
    put_repr(rpy_file_readline(in, -1));
    REQUIRE((rpy_file_next_line(in)) == NULL);
    struct rpy_list *l = rpy_file_readlines(in, &ti_list_str);
    REQUIRE((l->length) == (0));
    rpy_file_write(in, K("x"));
    struct rpy_exc_base *x = rpy_exc_fetch();
    REQUIRE((x) != NULL);
    rpy_write_str(x->msg);
    rpy_exit(0);
}

START_TEST(test_stdin)
{
    run_child("stdin", "l1\nl2\r\nl3\nabcdef\ng", NULL, false);
    ck_assert_int_eq(child.status, 0);
    ck_assert_str_eq(child.out, "'l1\\n'|'l2\\r\\n'|'l3'|'abc'|'def\\ng'|''|not writable");
}
END_TEST

static void child_stdin_lines(int argc, char **argv)
{
    struct rpy_file *in = rpy_sys_stdin();
    struct rpy_list *l = rpy_file_readlines(in, &ti_list_str);
    rpy_write_int(l->length);
    rpy_write_cstr("\n");
    rpy_exit(0);
}

START_TEST(test_stdin_many_lines)
{
    size_t n = 20000 * 6;
    char *text = malloc(n + 1);
    for (int i = 0; i < 20000; i++)
        memcpy(text + 6 * i, "abcde\n", 6);
    text[n] = 0;
    /* More than a pipe holds: the child reads while the parent writes. */
    run_child("stdin_lines", text, NULL, false);
    free(text);
    ck_assert_int_eq(child.status, 0);
    ck_assert_str_eq(child.out, "20000\n");
}
END_TEST

static void child_std_streams(int argc, char **argv)
{
    /* print, sys.stdout.write and sys.stderr.write interleave in program
     * order (stderr and stdout share one pipe here). */
    rpy_write_cstr("1");
    REQUIRE(rpy_file_write(rpy_sys_stdout(), K("2\xc3\xa9")) == 2);
    rpy_write_cstr("3");
    REQUIRE(rpy_file_write(rpy_sys_stderr(), K("[e]")) == 3);
    rpy_write_cstr("4");
    rpy_write_err_int(-42);
    rpy_write_err_str_or(NULL, K(" "));
    rpy_write_err_float(0.1);
    rpy_write_err_cstr(" ");
    rpy_write_err_bool(false);
    rpy_write_err_str_or(K(","), K(" "));
    struct rpy_list *l = rpy_list_new(&ti_list_int, 2);
    l->items->items[0] = 1;
    l->items->items[1] = 2;
    rpy_write_err_value(rpy_w_from_ptr(l), &ti_list_int);
    rpy_write_err_value(rpy_w_from_float(1e16), &rpy_ti_float);
    rpy_write_err_value(0, &rpy_ti_none);
    rpy_file_print_value(rpy_sys_stdout(), rpy_w_from_int(5), &rpy_ti_int);
    rpy_file_print_str_or(rpy_sys_stderr(), NULL, K("\n"));
    rpy_file_flush(rpy_sys_stdout());
    rpy_file_read(rpy_sys_stdout(), -1);
    struct rpy_exc_base *x = rpy_exc_fetch();
    rpy_write_str(x->msg);
    /* A closed standard stream refuses writes; print itself goes on. */
    rpy_file_close(rpy_sys_stdout());
    no_exc();
    REQUIRE(rpy_file_closed(rpy_sys_stdout()));
    rpy_file_write(rpy_sys_stdout(), K("x"));
    x = rpy_exc_fetch();
    rpy_write_cstr("|");
    rpy_write_str(x->msg);
    rpy_input(K("p")); /* the prompt cannot be written */
    x = rpy_exc_fetch();
    rpy_write_cstr("|");
    rpy_write_str(x->msg);
    rpy_input(NULL); /* no prompt: the closed stdout does not matter */
    x = rpy_exc_fetch();
    REQUIRE(x->hdr.tid == rpy_exc_tids[RPY_EXC_EOFError]);
    rpy_write_cstr("|");
    rpy_write_str(x->msg);
    rpy_file_close(rpy_sys_stdin());
    rpy_input(NULL);
    x = rpy_exc_fetch();
    rpy_write_cstr("|");
    rpy_write_str(x->msg);
    rpy_exit(0);
}

START_TEST(test_std_streams)
{
    run_child("std_streams", NULL, NULL, true);
    ck_assert_int_eq(child.status, 0);
    ck_assert_str_eq(child.out, "12\xc3\xa9" "3[e]4-42 0.1 False,[1, 2]1e+16None5\nnot readable|I/O operation on closed "
                                "file.|I/O operation on closed file.|EOF when reading a line|I/O operation on closed file.");
}
END_TEST

static void child_argv(int argc, char **argv)
{
    struct rpy_list *l = rpy_sys_argv(&ti_list_str);
    RPY_ROOT(l);
    REQUIRE((rpy_sys_argv(&ti_list_str)) == (l));
    for (rpy_int i = 0; i < l->length; i++)
        put_repr(rpy_w_to_ptr(l->items->items[i]));
    rpy_list_append(l, rpy_w_from_ptr(K("added")));
    rpy_gc_collect();
    struct rpy_list *again = rpy_sys_argv(&ti_list_str);
    rpy_write_int(again->length);
    rpy_exit(0);
}

START_TEST(test_sys_argv)
{
    const char *args[] = {"a b", "\xc3\xa9", "x\xff", "\xe4\xb8", NULL};
    run_child("argv", NULL, args, false);
    ck_assert_int_eq(child.status, 0);
    char want[1024];
    snprintf(want, sizeof want, "'test_rt_fileio'|'--child'|'argv'|'%s'|'a b'|'\xc3\xa9'|'x\\udcff'|'\\udce4\\udcb8'|9",
             tmpdir);
    ck_assert_str_eq(child.out, want);
}
END_TEST

/* ------------------------------------------------------------------ */
/* sys, os, time in this process                                        */
/* ------------------------------------------------------------------ */

START_TEST(test_getenv)
{
    setenv("RPY_TEST_VAR", "v\xc3\xa9", 1);
    setenv("RPY_TEST_EMPTY", "", 1);
    setenv("RPY_TEST_BAD", "\xff!", 1);
    unsetenv("RPY_TEST_UNSET");
    str_is(rpy_os_getenv(K("RPY_TEST_VAR"), NULL), "v\xc3\xa9", 2);
    STR_IS(rpy_os_getenv(K("RPY_TEST_EMPTY"), K("dflt")), "");
    str_is(rpy_os_getenv(K("RPY_TEST_BAD"), NULL), "\xed\xb3\xbf!", 2); /* '\udcff!' */
    ck_assert_ptr_null(rpy_os_getenv(K("RPY_TEST_UNSET"), NULL));
    struct rpy_str *d = K("fallback");
    ck_assert_ptr_eq(rpy_os_getenv(K("RPY_TEST_UNSET"), d), d);
    setenv("RPY_TEST_A", "B=c", 1);
    ck_assert_ptr_eq(rpy_os_getenv(K("RPY_TEST_A=B"), d), d); /* not getenv's prefix match */
    ck_assert_ptr_eq(rpy_os_getenv(KN("RPY_TEST_VAR\0x", 14), d), d);
    ck_assert_ptr_null(rpy_os_getenv(K(""), NULL));
}
END_TEST

START_TEST(test_os_path)
{
    write_raw("here.txt", "x", 1);
    ck_assert(rpy_os_path_exists(P("here.txt")));
    ck_assert(rpy_os_path_exists(K(tmpdir)));
    ck_assert(!rpy_os_path_exists(P("not-here.txt")));
    ck_assert(!rpy_os_path_exists(K("")));
    ck_assert(!rpy_os_path_exists(KN("a\0b", 3)));
    ck_assert(!rpy_os_path_exists(K("\xed\xa0\x80"))); /* a surrogate the OS cannot take */
    /* surrogateescape round trip: a name with the byte 0xff */
    write_raw("b\xff", "x", 1);
    ck_assert(rpy_os_path_exists(P("b\xed\xb3\xbf")));
    struct rpy_file *f = open_ok("b\xed\xb3\xbf", "r");
    RPY_ROOT(f);
    STR_IS(rpy_file_read(f, -1), "x");
    close_ok(f);

    static const char *const joins[][3] = {
        {"a", "b", "a/b"}, {"a/", "b", "a/b"}, {"", "b", "b"}, {"a", "/b", "/b"},
        {"a", "", "a/"},   {"/", "x", "/x"},   {"", "", ""},  {"d\xc3\xa9j\xc3\xa0", "\xe2\x82\xac", "d\xc3\xa9j\xc3\xa0/\xe2\x82\xac"},
    };
    for (size_t i = 0; i < sizeof joins / sizeof joins[0]; i++)
        STR_IS(rpy_os_path_join(K(joins[i][0]), K(joins[i][1])), joins[i][2]);
}
END_TEST

START_TEST(test_time)
{
    double t = rpy_time_time();
    ck_assert(fabs(t - (double)time(NULL)) < 2.0);
    double p0 = rpy_time_perf_counter(), m0 = rpy_time_monotonic();
    rpy_time_sleep(0.05);
    no_exc();
    double p1 = rpy_time_perf_counter(), m1 = rpy_time_monotonic();
    ck_assert(p1 - p0 >= 0.05 && p1 - p0 < 5.0);
    ck_assert(m1 >= m0);
    rpy_time_sleep(0.0);
    rpy_time_sleep(-0.0);
    no_exc();
    rpy_time_sleep(-1.0);
    expect_exc(RPY_EXC_ValueError, "sleep length must be non-negative");
    rpy_time_sleep(-1e-12); /* rounded away from zero: -1 ns */
    expect_exc(RPY_EXC_ValueError, "sleep length must be non-negative");
    rpy_time_sleep(NAN);
    expect_exc(RPY_EXC_ValueError, "Invalid value NaN (not a number)");
    rpy_time_sleep(1e300);
    expect_exc(RPY_EXC_OverflowError, "timestamp out of range for platform time_t");
    rpy_time_sleep(9.3e9);
    expect_exc(RPY_EXC_OverflowError, "timestamp out of range for platform time_t");
    rpy_time_sleep(-INFINITY);
    expect_exc(RPY_EXC_OverflowError, "timestamp out of range for platform time_t");
}
END_TEST

static char *limit_at_depth(int depth, rpy_int n)
{
    volatile char pad[512];
    pad[0] = 0;
    if (depth > 0)
        return limit_at_depth(depth - 1, n) + pad[0];
    rpy_sys_setrecursionlimit(n);
    return rpy_stack_limit;
}

START_TEST(test_recursion_limit)
{
    rpy_stack_init();
    ck_assert_int_eq(rpy_sys_getrecursionlimit(), 1000);
    char *base_limit = rpy_stack_limit;
    rpy_sys_setrecursionlimit(0);
    expect_exc(RPY_EXC_ValueError, "recursion limit must be greater or equal than 1");
    rpy_sys_setrecursionlimit(-5);
    expect_exc(RPY_EXC_ValueError, "recursion limit must be greater or equal than 1");
    rpy_sys_setrecursionlimit((rpy_int)1 << 31);
    expect_exc(RPY_EXC_OverflowError, "Python int too large to convert to C int");
    rpy_sys_setrecursionlimit(-((rpy_int)1 << 40));
    expect_exc(RPY_EXC_OverflowError, "Python int too large to convert to C int");
    ck_assert_int_eq(rpy_sys_getrecursionlimit(), 1000);
    ck_assert_ptr_eq(rpy_stack_limit, base_limit);

    /* The limit is measured from the thread's base, not from where the
     * call is made. */
    char *l500 = limit_at_depth(40, 500);
    no_exc();
    ck_assert_int_eq(rpy_sys_getrecursionlimit(), 500);
    ck_assert_int_eq(l500 - base_limit, 500 * RPY_STACK_PER_FRAME);
    rpy_sys_setrecursionlimit(1000);
    ck_assert_ptr_eq(rpy_stack_limit, base_limit);

    /* A limit past the stack's rlimit raises the rlimit (main thread). */
    struct rlimit before;
    getrlimit(RLIMIT_STACK, &before);
    rpy_sys_setrecursionlimit(20000);
    no_exc();
    struct rlimit after;
    getrlimit(RLIMIT_STACK, &after);
    uint64_t used = (uint64_t)(base_limit - rpy_stack_limit) + 1000 * RPY_STACK_PER_FRAME;
    if (before.rlim_cur != RLIM_INFINITY) {
        ck_assert(used <= after.rlim_cur);
        if (before.rlim_max == RLIM_INFINITY || before.rlim_max >= 64u << 20)
            ck_assert_uint_eq(used, 20000 * RPY_STACK_PER_FRAME);
    }
    rpy_sys_setrecursionlimit(1000);
}
END_TEST

/* ------------------------------------------------------------------ */

static const struct {
    const char *name;
    void (*fn)(int, char **);
} scenarios[] = {
    {"exit_flush", child_exit_flush}, {"exit_order", child_exit_order}, {"sys_exit", child_sys_exit},       {"input", child_input},
    {"stdin", child_stdin},           {"stdin_lines", child_stdin_lines}, {"std_streams", child_std_streams},
    {"argv", child_argv},
};

static int child_main(int argc, char **argv)
{
    in_child = true;
    rpy_startup(argc, argv);
    rpy_stack_init();
    snprintf(tmpdir, sizeof tmpdir, "%s", argv[3]);
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++)
        if (strcmp(argv[2], scenarios[i].name) == 0) {
            scenarios[i].fn(argc, argv);
            rpy_exit(0);
        }
    fprintf(stderr, "no such scenario: %s\n", argv[2]);
    return 2;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

static Suite *fileio_suite(void)
{
    Suite *s = suite_create("rt_fileio");
    TCase *tc = tcase_create("files");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_write_read_modes);
    tcase_add_test(tc, test_lines);
    tcase_add_test(tc, test_readline_limit_and_read_n);
    tcase_add_test(tc, test_non_ascii_round_trip);
    tcase_add_test(tc, test_universal_newlines);
    tcase_add_test(tc, test_chunk_boundaries);
    tcase_add_test(tc, test_many_lines);
    tcase_add_test(tc, test_open_errors);
    tcase_add_test(tc, test_closed_and_wrong_direction);
    tcase_add_test(tc, test_write_errors);
    tcase_add_test(tc, test_unicode_errors);
    tcase_add_test(tc, test_print_to_file);
    tcase_add_test(tc, test_files_move);
    tcase_add_test(tc, test_tty_line_buffering);
    suite_add_tcase(s, tc);
    TCase *tp = tcase_create("process");
    tcase_set_timeout(tp, 120);
    tcase_add_test(tp, test_exit_flushes_files);
    tcase_add_test(tp, test_exit_order);
    tcase_add_test(tp, test_sys_exit);
    tcase_add_test(tp, test_input);
    tcase_add_test(tp, test_stdin);
    tcase_add_test(tp, test_stdin_many_lines);
    tcase_add_test(tp, test_std_streams);
    tcase_add_test(tp, test_sys_argv);
    tcase_add_test(tp, test_getenv);
    tcase_add_test(tp, test_os_path);
    tcase_add_test(tp, test_time);
    tcase_add_test(tp, test_recursion_limit);
    suite_add_tcase(s, tp);
    return s;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "--child") == 0)
        return child_main(argc, argv);
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/rpy-fileio-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    SRunner *sr = srunner_create(fileio_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return failed ? 1 : 0;
}
