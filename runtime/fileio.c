/* fileio.c - text files, the standard streams, input() and os.path.
 *
 * A file object (struct rpy_file) is a GC object of the runtime's fixed
 * type RPY_TID_FILE with no GC fields: a header and a pointer to its
 * state, a struct rt_file in malloc memory. The collector may move the
 * object; the state never moves, so the routines below work on the state
 * and never read the object again after they allocate. Closing frees the
 * state and clears the pointer, which is also the closed flag. Open files
 * are on a list that an exit hook walks to flush and close them, as
 * CPython does when it finalizes the file objects of a program that did
 * not close them.
 *
 * Reading is ours, on read(2), because text mode transforms the bytes:
 * each chunk read is checked to be UTF-8 as CPython's strict decoder
 * would (same error texts, and the rpy_str invariant that data is valid
 * UTF-8), and for files, not stdin, "\r\n" and "\r" become "\n" (universal
 * newlines; CPython's stdin on POSIX splits at "\n" only). The buffer then
 * holds text ready to hand out: [rstart, rend) decoded, [rend, rraw) the
 * first bytes of a UTF-8 sequence whose end is not read yet. A "\r" at
 * the end of a chunk is turned into "\n" at once and a "\n" starting the
 * next chunk is dropped (skip_lf), which is what CPython's
 * IncrementalNewlineDecoder produces.
 *
 * Writing appends to an 8 KiB buffer per file, written out when full, by
 * flush() and close(), at exit, and at each newline when the file is a
 * terminal (CPython's line buffering for ttys). sys.stdout writes into
 * io.c's stdout buffer, the one print() uses, so the two never reorder;
 * sys.stderr writes at once after flushing stdout, as io.c does for
 * error messages.
 *
 * Deviations from CPython (loud, or invisible to most programs):
 *   - CPython's io.UnsupportedOperation ("not readable", "not writable")
 *     is raised as OSError (UnsupportedOperation is a subclass of OSError
 *     and ValueError: `except OSError` catches both; `except ValueError`
 *     catches CPython's but not ours).
 *   - errno-specific OSError subclasses other than FileNotFoundError
 *     (PermissionError, IsADirectoryError, NotADirectoryError,
 *     FileExistsError) are raised as OSError with CPython's message;
 *     UnicodeDecodeError and UnicodeEncodeError as UnicodeError.
 *   - A decode error's position counts from the start of the file;
 *     CPython's counts from the start of the chunk it decodes (the same
 *     for read() of a whole file and within its first 8 KiB).
 *   - An unreachable file that was not closed stays open until exit (no
 *     finalizers: CPython closes it when its last reference goes).
 *   - Modes with b or + raise NotImplementedError.
 *   - print() after sys.stdout.close() still prints (CPython raises
 *     ValueError): io.c's writers cannot raise.
 *   - repr(f) is the default <_io.TextIOWrapper object at 0x...>.
 * Not thread safe yet, like io.c.
 */
#include "runtime/rt_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
    READ_CHUNK = 64 * 1024, /* bytes asked of each read(2) */
    WRITE_BUF = 8192,       /* CPython's text chunk size */
};

const struct rpy_typeinfo rpy_ti_file = {
    .kind = RPY_K_ITER, .tid = RPY_TID_FILE, .size = sizeof(struct rpy_file), .name = "_io.TextIOWrapper"};

enum stream_kind {
    SK_FD,     /* a file of the program, or stdin: our own buffers on a descriptor */
    SK_STDOUT, /* io.c's stdout buffer */
    SK_STDERR, /* io.c's stderr writer */
};

struct rt_file {
    int fd;
    uint8_t kind;       /* enum stream_kind */
    bool readable, writable;
    bool std;           /* a standard stream: static state, descriptor not ours to close */
    bool translate;     /* universal newlines on input */
    bool line_buffered; /* a terminal: written out at each newline */
    bool eof;           /* read(2) returned 0 */
    bool skip_lf;       /* the last byte read was a "\r", already given as "\n" */
    char *rbuf;         /* read buffer (NULL until the first read) */
    size_t rstart, rend, rraw, rcap;
    int64_t raw_off;    /* offset in the stream of the byte at rbuf[rend] (decode errors) */
    char *wbuf;         /* WRITE_BUF bytes (NULL until the first write) */
    size_t wlen;
    struct rt_file *prev, *next; /* the list of open files */
};

/* ------------------------------------------------------------------ */
/* The standard streams                                                 */
/* ------------------------------------------------------------------ */

static struct rt_file stdin_state = {.fd = 0, .kind = SK_FD, .readable = true, .std = true};
static struct rt_file stdout_state = {.fd = 1, .kind = SK_STDOUT, .writable = true, .std = true};
static struct rt_file stderr_state = {.fd = 2, .kind = SK_STDERR, .writable = true, .std = true};

/* Prebuilt objects: outside the heap, never moved nor freed, and with no
 * GC fields, so the collector never needs to look into them. */
#define STD_FILE(state) {.hdr = {.tid = RPY_TID_FILE, .gcflags = RPY_GC_PREBUILT}, .impl = &(state)}
static struct rpy_file std_files[3] = {STD_FILE(stdin_state), STD_FILE(stdout_state), STD_FILE(stderr_state)};

struct rpy_file *rpy_sys_stdin(void) { return &std_files[0]; }
struct rpy_file *rpy_sys_stdout(void) { return &std_files[1]; }
struct rpy_file *rpy_sys_stderr(void) { return &std_files[2]; }

/* ------------------------------------------------------------------ */
/* Errors                                                               */
/* ------------------------------------------------------------------ */

static void raise_closed(void) { rpy_raise_builtin_c(RPY_EXC_ValueError, "I/O operation on closed file."); }

/* OSError(errno, strerror): "[Errno 28] No space left on device" */
static void raise_errno(int err)
{
    char msg[256];
    snprintf(msg, sizeof msg, "[Errno %d] %s", err, strerror(err));
    rpy_raise_builtin_c(RPY_EXC_OSError, msg);
}

/* OSError(errno, strerror, filename): "[Errno 2] No such file or
 * directory: 'name'", FileNotFoundError for ENOENT. */
static void raise_errno_path(int err, const struct rpy_str *path)
{
    struct rt_buf b;
    rt_buf_init(&b);
    char head[256];
    rt_buf_put(&b, head, (size_t)snprintf(head, sizeof head, "[Errno %d] %s: ", err, strerror(err)));
    rt_str_repr_into(&b, path);
    struct rpy_str *msg = rt_buf_to_str(&b); /* may collect: nothing is held */
    rpy_raise_builtin(err == ENOENT ? RPY_EXC_FileNotFoundError : RPY_EXC_OSError, msg);
}

/* The state of f for reading or writing, or NULL with the error raised.
 * A read starts with eof clear: every read operation asks the stream
 * again, as CPython does (a terminal gives more after a Ctrl-D). */
static struct rt_file *usable(const struct rpy_file *f, bool for_write)
{
    struct rt_file *fp = f->impl;
    if (!fp) {
        raise_closed();
        return NULL;
    }
    if (for_write ? !fp->writable : !fp->readable) {
        rpy_raise_builtin_c(RPY_EXC_OSError, for_write ? "not writable" : "not readable");
        return NULL;
    }
    if (!for_write)
        fp->eof = false;
    return fp;
}

/* ------------------------------------------------------------------ */
/* UTF-8 as CPython's strict decoder sees it                            */
/* ------------------------------------------------------------------ */

enum utf8_status { U8_OK, U8_INVALID_START, U8_INVALID_CONT, U8_TRUNCATED };

/* The sequence at p (avail > 0 bytes there): its length when it is
 * complete and valid. Otherwise 0, with why in *st and in *span how many
 * bytes CPython's error covers (the bytes before the offending one). The
 * second byte's range excludes overlong forms, surrogates and code points
 * past U+10FFFF, as in CPython. */
static int utf8_seq(const unsigned char *p, size_t avail, enum utf8_status *st, int *span)
{
    unsigned c = p[0];
    *st = U8_OK;
    if (c < 0x80)
        return 1;
    int need;
    unsigned lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf)
        need = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        need = 3;
        if (c == 0xe0)
            lo = 0xa0;
        if (c == 0xed)
            hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 4;
        if (c == 0xf0)
            lo = 0x90;
        if (c == 0xf4)
            hi = 0x8f;
    } else {
        *st = U8_INVALID_START;
        *span = 1;
        return 0;
    }
    for (int i = 1; i < need; i++) {
        if ((size_t)i >= avail) {
            *st = U8_TRUNCATED;
            *span = i;
            return 0;
        }
        unsigned d = p[i];
        if (d < lo || d > hi) {
            *st = U8_INVALID_CONT;
            *span = i;
            return 0;
        }
        lo = 0x80;
        hi = 0xbf;
    }
    return need;
}

/* Length of the longest valid prefix of p[0..n); *st says why it ends
 * early (U8_OK: it does not), *span as utf8_seq. */
static size_t utf8_valid_prefix(const unsigned char *p, size_t n, enum utf8_status *st, int *span)
{
    size_t i = 0;
    *st = U8_OK;
    while (i < n) {
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (w & 0x8080808080808080u)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        int k = utf8_seq(p + i, n - i, st, span);
        if (!k)
            return i;
        i += (size_t)k;
    }
    return i;
}

/* UnicodeDecodeError's text (raised as UnicodeError). */
static void raise_decode_error(const unsigned char *p, int64_t pos, enum utf8_status st, int span)
{
    const char *why = st == U8_INVALID_START  ? "invalid start byte"
                      : st == U8_INVALID_CONT ? "invalid continuation byte"
                                              : "unexpected end of data";
    char msg[200];
    if (span == 1)
        snprintf(msg, sizeof msg, "'utf-8' codec can't decode byte 0x%02x in position %lld: %s", p[0],
                 (long long)pos, why);
    else
        snprintf(msg, sizeof msg, "'utf-8' codec can't decode bytes in position %lld-%lld: %s", (long long)pos,
                 (long long)(pos + span - 1), why);
    rpy_raise_builtin_c(RPY_EXC_UnicodeError, msg);
}

struct rpy_str *rpy_str_from_os_bytes(const char *p, size_t n)
{
    const unsigned char *u = (const unsigned char *)p;
    enum utf8_status st;
    int span;
    if (utf8_valid_prefix(u, n, &st, &span) == n)
        return rpy_str_from_utf8(p, (rpy_int)n);
    /* surrogateescape: every byte CPython's decoder rejects becomes
     * U+DC00 + byte; the bytes of a rejected span are each invalid on
     * their own, so one byte at a time gives CPython's result. */
    struct rt_buf b;
    rt_buf_init(&b);
    for (size_t i = 0; i < n;) {
        int k = utf8_seq(u + i, n - i, &st, &span);
        if (k) {
            rt_buf_put(&b, p + i, (size_t)k);
            i += (size_t)k;
        } else {
            char esc[4];
            rt_buf_put(&b, esc, (size_t)rt_utf8_encode(esc, 0xdc00u + u[i]));
            i++;
        }
    }
    return rt_buf_to_str(&b);
}

/* A str holds a surrogate as its three-byte form ED A0..BF xx (an ED
 * byte always starts a sequence). CPython's strict encoder refuses them:
 * UnicodeEncodeError (raised as UnicodeError) naming the first run of
 * them. True when p[0..n) has none. */
static bool check_no_surrogates(const char *p, size_t n)
{
    const unsigned char *u = (const unsigned char *)p, *e;
    size_t i = 0;
    while ((e = memchr(u + i, 0xed, n - i)) != NULL) {
        i = (size_t)(e - u);
        if (u[i + 1] >= 0xa0)
            break;
        i += 3;
    }
    if (!e)
        return true;
    rpy_int count = 0;
    for (size_t j = i; j + 3 <= n && u[j] == 0xed && u[j + 1] >= 0xa0; j += 3)
        count++;
    rpy_int pos = rt_utf8_count(p, (rpy_int)i);
    char msg[200];
    if (count == 1) {
        const unsigned char *q = u + i;
        snprintf(msg, sizeof msg,
                 "'utf-8' codec can't encode character '\\u%04x' in position %lld: surrogates not allowed",
                 (unsigned)rt_utf8_decode(&q), (long long)pos);
    } else
        snprintf(msg, sizeof msg,
                 "'utf-8' codec can't encode characters in position %lld-%lld: surrogates not allowed",
                 (long long)pos, (long long)(pos + count - 1));
    rpy_raise_builtin_c(RPY_EXC_UnicodeError, msg);
    return false;
}

/* ------------------------------------------------------------------ */
/* The list of open files, flushed and closed at exit                   */
/* ------------------------------------------------------------------ */

static struct rt_file *open_files;

static bool write_all(int fd, const char *p, size_t n, int *err)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            *err = errno;
            return false;
        }
        p += k;
        n -= (size_t)k;
    }
    return true;
}

/* Writes out the write buffer; 0 or the errno of the failure (the
 * buffered text is dropped then, as CPython drops it on close). */
static int flush_state(struct rt_file *fp)
{
    int err = 0;
    if (fp->kind == SK_STDOUT)
        rpy_flush();
    else if (fp->wlen) {
        size_t n = fp->wlen;
        fp->wlen = 0;
        write_all(fp->fd, fp->wbuf, n, &err);
    }
    return err;
}

/* CPython flushes sys.stdout before it finalizes the file objects left
 * open, which matters when both go to one place (open("/dev/stdout")).
 * The states stay on the list (and allocated) until the process is gone:
 * the files are closed, not freed. */
static void close_all_at_exit(void)
{
    rpy_flush();
    for (struct rt_file *fp = open_files; fp; fp = fp->next) {
        flush_state(fp); /* nobody is left to tell of an error */
        close(fp->fd);
        fp->writable = fp->readable = false;
    }
}

static void list_add(struct rt_file *fp)
{
    static bool hooked;
    if (!hooked) {
        hooked = true;
        atexit(close_all_at_exit);
    }
    fp->next = open_files;
    if (open_files)
        open_files->prev = fp;
    open_files = fp;
}

static void list_remove(struct rt_file *fp)
{
    if (fp->prev)
        fp->prev->next = fp->next;
    else
        open_files = fp->next;
    if (fp->next)
        fp->next->prev = fp->prev;
}

/* ------------------------------------------------------------------ */
/* open()                                                               */
/* ------------------------------------------------------------------ */

/* CPython's _io.open mode checks, in its order; on success *flags are
 * the open(2) flags, *readable whether it reads. */
static bool parse_mode(const struct rpy_str *mode, int *flags, bool *readable)
{
    const char *m = mode ? mode->data : "r";
    size_t n = mode ? (size_t)mode->nbytes : 1;
    if (memchr(m, 0, n)) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, "embedded null character");
        return false;
    }
    int creating = 0, reading = 0, writing = 0, appending = 0, updating = 0, text = 0, binary = 0;
    for (size_t i = 0; i < n; i++) {
        int *which = m[i] == 'x' ? &creating : m[i] == 'r' ? &reading : m[i] == 'w' ? &writing
                     : m[i] == 'a' ? &appending : m[i] == '+' ? &updating : m[i] == 't' ? &text
                     : m[i] == 'b' ? &binary : NULL;
        if (!which || memchr(m + i + 1, m[i], n - i - 1)) {
            char msg[300];
            snprintf(msg, sizeof msg, "invalid mode: '%.*s'", (int)(n < 250 ? n : 250), m);
            rpy_raise_builtin_c(RPY_EXC_ValueError, msg);
            return false;
        }
        *which = 1;
    }
    const char *bad = NULL;
    if (text && binary)
        bad = "can't have text and binary mode at once";
    else if (creating + reading + writing + appending > 1)
        bad = "must have exactly one of create/read/write/append mode";
    else if (creating + reading + writing + appending == 0)
        bad = "Must have exactly one of create/read/write/append mode and at most one plus";
    if (bad) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, bad);
        return false;
    }
    if (binary || updating) {
        char msg[300];
        snprintf(msg, sizeof msg, "open(): RPy has text files in the modes r, w, a and x only, not '%.*s'",
                 (int)(n < 250 ? n : 250), m);
        rpy_raise_builtin_c(RPY_EXC_NotImplementedError, msg);
        return false;
    }
    *readable = reading;
    *flags = O_CLOEXEC | (reading ? O_RDONLY : O_WRONLY | O_CREAT) | (writing ? O_TRUNC : 0) |
             (appending ? O_APPEND : 0) | (creating ? O_EXCL : 0);
    return true;
}

/* The bytes of a path for the OS (surrogateescape, the inverse of
 * rpy_str_from_os_bytes): s's own data when it has no surrogate, else a
 * malloc'd copy in *owned. NULL with ValueError or UnicodeError raised
 * ("embedded null byte"; a surrogate outside U+DC80..U+DCFF) when raise_,
 * silently otherwise. No allocation in the GC heap. */
static const char *os_path_bytes(const struct rpy_str *s, char **owned, bool raise_)
{
    *owned = NULL;
    size_t n = (size_t)s->nbytes;
    if (memchr(s->data, 0, n)) {
        if (raise_)
            rpy_raise_builtin_c(RPY_EXC_ValueError, "embedded null byte");
        return NULL;
    }
    if (!memchr(s->data, 0xed, n))
        return s->data;
    const unsigned char *u = (const unsigned char *)s->data;
    char *out = malloc(n + 1);
    if (!out) {
        rt_memory_error();
        return NULL;
    }
    size_t j = 0;
    for (size_t i = 0; i < n;) {
        if (u[i] == 0xed && u[i + 1] >= 0xa0) {
            if (u[i + 1] != 0xb2 && u[i + 1] != 0xb3) { /* not U+DC80..U+DCFF */
                free(out);
                if (raise_)
                    check_no_surrogates(s->data, n);
                return NULL;
            }
            out[j++] = (char)(0x80 + ((u[i + 1] & 1) << 6) + (u[i + 2] & 0x3f));
            i += 3;
        } else
            out[j++] = (char)u[i++];
    }
    out[j] = 0;
    *owned = out;
    return out;
}

static void check_file_type(void)
{
    if (rpy_typetable[RPY_TID_FILE] != &rpy_ti_file)
        RT_DIE("type table: entry 4 (RPY_TID_FILE) must be &rpy_ti_file in a program that opens files");
}

/* The descriptor of path opened with flags, or -1 with errno set. A
 * directory opened for reading fails with EISDIR, as in CPython. */
static int open_fd(const char *p, int flags)
{
    int fd;
    do
        fd = open(p, flags, 0666);
    while (fd < 0 && errno == EINTR);
    if (fd >= 0 && (flags & O_ACCMODE) == O_RDONLY) {
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
            close(fd);
            errno = EISDIR;
            return -1;
        }
    }
    return fd;
}

struct rpy_file *rpy_file_open(const struct rpy_str *path, const struct rpy_str *mode)
{
    check_file_type();
    int flags;
    bool readable;
    if (!parse_mode(mode, &flags, &readable))
        return NULL;
    char *owned;
    const char *p = os_path_bytes(path, &owned, true);
    if (!p)
        return NULL;
    int fd = open_fd(p, flags);
    int err = errno;
    free(owned);
    if (fd < 0) {
        raise_errno_path(err, path);
        return NULL;
    }
    struct rt_file *fp = calloc(1, sizeof *fp);
    if (!fp) {
        close(fd);
        rt_memory_error();
        return NULL;
    }
    fp->fd = fd;
    fp->kind = SK_FD;
    fp->readable = readable;
    fp->writable = !readable;
    fp->translate = true;
    fp->line_buffered = !readable && isatty(fd);
    list_add(fp);
    struct rpy_file *f = rpy_malloc(&rpy_ti_file, sizeof *f); /* may collect: only C memory is held */
    f->impl = fp;
    return f;
}

/* ------------------------------------------------------------------ */
/* Reading                                                              */
/* ------------------------------------------------------------------ */

/* "\r\n" and "\r" to "\n" in place over p[0..n); returns the new length. */
static size_t translate_newlines(struct rt_file *fp, char *p, size_t n)
{
    size_t r = 0, w = 0;
    if (fp->skip_lf && n) {
        fp->skip_lf = false;
        if (p[0] == '\n')
            r = 1;
    }
    char *cr = memchr(p + r, '\r', n - r);
    if (!cr) {
        if (r)
            memmove(p, p + 1, n - 1);
        return n - r;
    }
    for (; r < n; r++) {
        char c = p[r];
        if (c == '\r') {
            p[w++] = '\n';
            if (r + 1 < n && p[r + 1] == '\n')
                r++;
            else if (r + 1 == n)
                fp->skip_lf = true;
        } else
            p[w++] = c;
    }
    return w;
}

/* Makes room for one more chunk after rraw, moving the pending bytes to
 * the front of the buffer first. */
static void reserve_chunk(struct rt_file *fp)
{
    if (fp->rstart) {
        memmove(fp->rbuf, fp->rbuf + fp->rstart, fp->rraw - fp->rstart);
        fp->rend -= fp->rstart;
        fp->rraw -= fp->rstart;
        fp->rstart = 0;
    }
    if (fp->rcap - fp->rraw >= READ_CHUNK)
        return;
    size_t cap = fp->rcap ? fp->rcap * 2 : READ_CHUNK;
    while (cap - fp->rraw < READ_CHUNK)
        cap *= 2;
    char *nb = realloc(fp->rbuf, cap);
    if (!nb) {
        rt_memory_error();
        exit(1);
    }
    fp->rbuf = nb;
    fp->rcap = cap;
}

/* Reads one chunk and decodes it onto the end of the text; sets eof at
 * the end of the stream. False with the error raised. */
static bool fill(struct rt_file *fp)
{
    reserve_chunk(fp);
    ssize_t k;
    do
        k = read(fp->fd, fp->rbuf + fp->rraw, fp->rcap - fp->rraw);
    while (k < 0 && errno == EINTR);
    if (k < 0) {
        raise_errno(errno);
        return false;
    }
    fp->rraw += (size_t)k;
    unsigned char *raw = (unsigned char *)fp->rbuf + fp->rend;
    size_t nraw = fp->rraw - fp->rend;
    enum utf8_status st;
    int span;
    size_t ok = utf8_valid_prefix(raw, nraw, &st, &span);
    if (k == 0)
        fp->eof = true;
    if (st == U8_INVALID_START || st == U8_INVALID_CONT || (st == U8_TRUNCATED && fp->eof)) {
        raise_decode_error(raw + ok, fp->raw_off + (int64_t)ok, st, span);
        return false;
    }
    size_t held = nraw - ok; /* the start of a sequence the next chunk completes */
    size_t text = fp->translate ? translate_newlines(fp, (char *)raw, ok) : ok;
    if (held && text != ok)
        memmove(raw + text, raw + ok, held);
    fp->raw_off += (int64_t)ok;
    fp->rend += text;
    fp->rraw = fp->rend + held;
    return true;
}

/* The text not handed out yet (no buffer before the first read). */
static const char *text_of(const struct rt_file *fp) { return fp->rbuf ? fp->rbuf + fp->rstart : ""; }

/* The next n bytes of text as a str, consumed. */
static struct rpy_str *take(struct rt_file *fp, size_t n)
{
    if (n == 0)
        return rt_str_empty();
    struct rpy_str *s = rpy_str_from_utf8(fp->rbuf + fp->rstart, (rpy_int)n); /* the buffer is C memory */
    fp->rstart += n;
    if (fp->rstart == fp->rraw && fp->rcap > 4 * READ_CHUNK) {
        /* After a big read(): give the memory back. */
        free(fp->rbuf);
        fp->rbuf = NULL;
        fp->rstart = fp->rend = fp->rraw = fp->rcap = 0;
    }
    return s;
}

/* Bytes taken by the first k characters of p[0..n) (all n if fewer);
 * *got is how many characters that is. */
static size_t bytes_of_chars(const char *p, size_t n, rpy_int k, rpy_int *got)
{
    rpy_int c = 0;
    size_t i = 0;
    while (i < n && c < k) {
        i += (size_t)rt_utf8_seqlen((unsigned char)p[i]);
        c++;
    }
    *got = c;
    return i;
}

/* Makes the buffer hold the next line ("\n" included; at most limit
 * characters when limit >= 0) or the rest of the stream; its byte length
 * in *n. False with an error raised. */
static bool find_line(struct rt_file *fp, rpy_int limit, size_t *n)
{
    size_t scanned = 0; /* bytes of text searched (and counted) so far */
    rpy_int chars = 0;  /* the characters among them */
    for (;;) {
        const char *base = text_of(fp);
        size_t avail = fp->rend - fp->rstart;
        const char *nl = avail > scanned ? memchr(base + scanned, '\n', avail - scanned) : NULL;
        size_t len = nl ? (size_t)(nl - base) + 1 : avail;
        if (limit >= 0) {
            rpy_int more;
            size_t cut = scanned + bytes_of_chars(base + scanned, len - scanned, limit - chars, &more);
            chars += more;
            if (chars == limit) {
                *n = cut;
                return true;
            }
        }
        if (nl || fp->eof) {
            *n = len;
            return true;
        }
        scanned = avail;
        if (!fill(fp))
            return false;
    }
}

static struct rpy_str *read_line(struct rt_file *fp, rpy_int limit)
{
    size_t n;
    if (!find_line(fp, limit, &n))
        return rt_str_empty();
    return take(fp, n);
}

static struct rpy_str *read_all(struct rt_file *fp)
{
    while (!fp->eof)
        if (!fill(fp))
            return rt_str_empty();
    return take(fp, fp->rend - fp->rstart);
}

static struct rpy_str *read_chars(struct rt_file *fp, rpy_int k)
{
    size_t n = 0;   /* bytes of the characters counted so far */
    rpy_int got = 0;
    for (;;) {
        rpy_int more;
        n += bytes_of_chars(text_of(fp) + n, fp->rend - fp->rstart - n, k - got, &more);
        got += more;
        if (got == k || fp->eof)
            return take(fp, n);
        if (!fill(fp))
            return rt_str_empty();
    }
}

struct rpy_str *rpy_file_read(struct rpy_file *f, rpy_int n)
{
    struct rt_file *fp = usable(f, false);
    if (!fp)
        return rt_str_empty();
    return n < 0 ? read_all(fp) : read_chars(fp, n);
}

struct rpy_str *rpy_file_readline(struct rpy_file *f, rpy_int limit)
{
    struct rt_file *fp = usable(f, false);
    if (!fp)
        return rt_str_empty();
    return read_line(fp, limit);
}

struct rpy_str *rpy_file_next_line(struct rpy_file *f)
{
    struct rt_file *fp = usable(f, false);
    if (!fp)
        return NULL;
    size_t n;
    if (!find_line(fp, -1, &n) || n == 0)
        return NULL;
    return take(fp, n);
}

struct rpy_list *rpy_file_readlines(struct rpy_file *f, const struct rpy_typeinfo *listti)
{
    struct rt_file *fp = usable(f, false);
    if (!fp)
        return NULL;
    struct rpy_list *l = rpy_list_new(listti, 0);
    RPY_ROOT(l);
    for (;;) {
        size_t n;
        if (!find_line(fp, -1, &n))
            return l;
        if (n == 0)
            return l;
        struct rpy_str *line = take(fp, n);
        rpy_list_append(l, rpy_w_from_ptr(line)); /* roots line and l when it grows */
    }
}

/* CPython's builtin_input without a terminal: the prompt is written to
 * sys.stdout (ValueError when it is closed), stdout is flushed (an error
 * there is ignored), then a line is read from sys.stdin. */
struct rpy_str *rpy_input(const struct rpy_str *prompt)
{
    if (prompt) {
        if (!std_files[1].impl) {
            raise_closed();
            return rt_str_empty();
        }
        rt_write_bytes(prompt->data, (size_t)prompt->nbytes);
    }
    rpy_flush();
    struct rt_file *in = std_files[0].impl;
    if (!in) {
        raise_closed();
        return rt_str_empty();
    }
    in->eof = false;
    size_t n;
    if (!find_line(in, -1, &n))
        return rt_str_empty();
    if (n == 0) {
        rpy_raise_builtin_c(RPY_EXC_EOFError, "EOF when reading a line");
        return rt_str_empty();
    }
    bool nl = in->rbuf[in->rstart + n - 1] == '\n';
    struct rpy_str *s = take(in, n - nl);
    in->rstart += nl;
    return s;
}

/* ------------------------------------------------------------------ */
/* Writing                                                              */
/* ------------------------------------------------------------------ */

/* Text p[0..n) (valid UTF-8, possibly with surrogates) to fp. False
 * with the error raised. Allocates nothing in the GC heap. */
static bool put_text(struct rt_file *fp, const char *p, size_t n)
{
    if (fp->kind == SK_STDOUT) {
        rt_write_bytes(p, n);
        return true;
    }
    if (fp->kind == SK_STDERR) {
        rt_write_stderr(p, n);
        return true;
    }
    if (!check_no_surrogates(p, n))
        return false;
    int err = 0;
    if (fp->wlen + n > WRITE_BUF && (err = flush_state(fp)) != 0) {
        raise_errno(err);
        return false;
    }
    if (n >= WRITE_BUF) {
        if (!write_all(fp->fd, p, n, &err)) {
            raise_errno(err);
            return false;
        }
        return true;
    }
    if (!fp->wbuf && !(fp->wbuf = malloc(WRITE_BUF))) {
        rt_memory_error();
        return false;
    }
    memcpy(fp->wbuf + fp->wlen, p, n);
    fp->wlen += n;
    if (fp->line_buffered && memchr(p, '\n', n) && (err = flush_state(fp)) != 0) {
        raise_errno(err);
        return false;
    }
    return true;
}

rpy_int rpy_file_write(struct rpy_file *f, const struct rpy_str *s)
{
    struct rt_file *fp = usable(f, true);
    if (!fp || !put_text(fp, s->data, (size_t)s->nbytes))
        return 0;
    return s->length;
}

void rpy_file_print_str_or(struct rpy_file *f, const struct rpy_str *s, const struct rpy_str *dflt)
{
    struct rt_file *fp = usable(f, true);
    if (!s)
        s = dflt;
    if (fp)
        put_text(fp, s->data, (size_t)s->nbytes);
}

void rpy_file_print_value(struct rpy_file *f, rpy_word v, const struct rpy_typeinfo *ti)
{
    if (ti->kind == RPY_K_STR && v) {
        const struct rpy_str *s = rpy_w_to_ptr(v);
        struct rt_file *fp = usable(f, true);
        if (fp)
            put_text(fp, s->data, (size_t)s->nbytes);
        return;
    }
    /* str(v) first, as print() does: it may run __str__, which may raise
     * or collect (f is rooted; its state is not GC memory). */
    RPY_ROOT(f);
    struct rt_buf b;
    rt_buf_init(&b);
    rt_str_into(&b, v, ti);
    if (!rpy_exc_occurred()) {
        struct rt_file *fp = usable(f, true);
        if (fp)
            put_text(fp, b.data, b.len);
    }
    rt_buf_release(&b);
}

void rpy_file_flush(struct rpy_file *f)
{
    struct rt_file *fp = f->impl;
    if (!fp) {
        raise_closed();
        return;
    }
    int err = flush_state(fp);
    if (err)
        raise_errno(err);
}

/* ------------------------------------------------------------------ */
/* Closing                                                              */
/* ------------------------------------------------------------------ */

void rpy_file_close(struct rpy_file *f)
{
    struct rt_file *fp = f->impl;
    if (!fp)
        return;
    f->impl = NULL;
    int err = flush_state(fp);
    if (fp->std)
        return; /* closefd=False: the descriptor stays open, the state static */
    list_remove(fp);
    if (close(fp->fd) != 0 && !err && errno != EINTR)
        err = errno;
    free(fp->rbuf);
    free(fp->wbuf);
    free(fp);
    if (err)
        raise_errno(err);
}

rpy_bool rpy_file_closed(const struct rpy_file *f) { return f->impl == NULL; }

struct rpy_file *rpy_file_enter(struct rpy_file *f)
{
    if (!f->impl)
        raise_closed();
    return f;
}

void rpy_file_exit(struct rpy_file *f) { rpy_file_close(f); }

/* ------------------------------------------------------------------ */
/* os.path                                                              */
/* ------------------------------------------------------------------ */

rpy_bool rpy_os_path_exists(const struct rpy_str *path)
{
    char *owned;
    const char *p = os_path_bytes(path, &owned, false);
    if (!p)
        return false; /* CPython: False for ValueError as for OSError */
    struct stat st;
    bool ok = stat(p, &st) == 0;
    free(owned);
    return ok;
}

struct rpy_str *rpy_os_path_join(const struct rpy_str *a, const struct rpy_str *b)
{
    if (b->nbytes && b->data[0] == '/')
        return (struct rpy_str *)b;
    if (a->nbytes == 0)
        return (struct rpy_str *)b;
    struct rt_buf buf;
    rt_buf_init(&buf);
    rt_buf_put(&buf, a->data, (size_t)a->nbytes);
    if (a->data[a->nbytes - 1] != '/')
        rt_buf_putc(&buf, '/');
    rt_buf_put(&buf, b->data, (size_t)b->nbytes);
    return rt_buf_to_str(&buf); /* a and b are not used after it allocates */
}
