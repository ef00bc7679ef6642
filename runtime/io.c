/* io.c - program output.
 *
 * print() is lowered by the backend to calls of rpy_write_*; they append
 * to one 64 KiB stdout buffer, written out with write(2) when full, by
 * rpy_flush, at exit, and before anything goes to stderr (so a terminal
 * shows output and error messages in the order the program made them, as
 * with CPython, whose stderr is unbuffered and whose stdout is flushed
 * before a traceback). When stdout is a terminal the buffer is also
 * flushed at each newline, like CPython's line buffering.
 *
 * Numbers are formatted into a small array on the stack and copied into
 * the buffer: printing an int or a float allocates nothing.
 *
 * Not yet thread safe: threads will take a lock around the buffer.
 */
#include "runtime/rt_internal.h"

#include <errno.h>
#include <unistd.h>

enum { OUT_SIZE = 1 << 16 };

static char out_buf[OUT_SIZE];
static size_t out_len;
static int out_tty = -1; /* unknown until the first write */

static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return; /* a closed pipe or full disk: drop the output, as there is nobody to tell */
        }
        p += k;
        n -= (size_t)k;
    }
}

void rpy_flush(void)
{
    if (out_len) {
        size_t n = out_len;
        out_len = 0;
        write_all(1, out_buf, n);
    }
}

/* Also flush at exit when the program never called rpy_startup (unit
 * tests, or a backend main that forgot). */
__attribute__((destructor)) static void flush_at_exit(void) { rpy_flush(); }

static void line_flush_if_tty(const char *p, size_t n)
{
    if (out_tty < 0)
        out_tty = isatty(1);
    if (out_tty && memchr(p, '\n', n))
        rpy_flush();
}

void rt_write_bytes(const char *p, size_t n)
{
    if (n <= OUT_SIZE - out_len) {
        memcpy(out_buf + out_len, p, n);
        out_len += n;
    } else {
        rpy_flush();
        if (n >= OUT_SIZE)
            write_all(1, p, n);
        else {
            memcpy(out_buf, p, n);
            out_len = n;
        }
    }
    if (out_tty != 0)
        line_flush_if_tty(p, n);
}

void rt_write_stderr(const char *p, size_t n)
{
    rpy_flush();
    write_all(2, p, n);
}

void rpy_write_str(const struct rpy_str *s)
{
    if (!s)
        rt_write_bytes("None", 4);
    else
        rt_write_bytes(s->data, (size_t)s->nbytes);
}

void rpy_write_cstr(const char *s) { rt_write_bytes(s, strlen(s)); }

void rpy_write_int(rpy_int v)
{
    char buf[RT_INT_BUFSIZE];
    rt_write_bytes(buf, (size_t)rt_int_format(buf, v));
}

void rpy_write_bool(rpy_bool v)
{
    if (v)
        rt_write_bytes("True", 4);
    else
        rt_write_bytes("False", 5);
}

void rpy_write_float(rpy_float v)
{
    char buf[RT_FLOAT_BUFSIZE];
    rt_write_bytes(buf, (size_t)rt_float_repr(buf, v));
}

void rpy_write_value(rpy_word v, const struct rpy_typeinfo *ti)
{
    switch (ti->kind) {
    case RPY_K_INT:
        rpy_write_int(rpy_w_to_int(v));
        return;
    case RPY_K_FLOAT:
        rpy_write_float(rpy_w_to_float(v));
        return;
    case RPY_K_BOOL:
        rpy_write_cstr(v ? "True" : "False");
        return;
    case RPY_K_NONE:
        rt_write_bytes("None", 4);
        return;
    case RPY_K_STR:
        rpy_write_str(rpy_w_to_ptr(v));
        return;
    default: {
        /* Containers: build the text in a scratch buffer, not a str. */
        struct rt_buf b;
        rt_buf_init(&b);
        rt_str_into(&b, v, ti);
        rt_write_bytes(b.data, b.len);
        rt_buf_release(&b);
    }
    }
}

/* ---- print(..., file=sys.stderr) ----
 * stderr is unbuffered (CPython's is line buffered, which a reader of a
 * terminal or a file cannot tell apart at the end): each piece is written
 * at once, after the stdout buffer, so the order of the two is kept. */

void rpy_write_err_str(const struct rpy_str *s)
{
    if (!s)
        rt_write_stderr("None", 4);
    else
        rt_write_stderr(s->data, (size_t)s->nbytes);
}

void rpy_write_err_str_or(const struct rpy_str *s, const struct rpy_str *dflt) { rpy_write_err_str(s ? s : dflt); }

void rpy_write_err_cstr(const char *s) { rt_write_stderr(s, strlen(s)); }

void rpy_write_err_int(rpy_int v)
{
    char buf[RT_INT_BUFSIZE];
    rt_write_stderr(buf, (size_t)rt_int_format(buf, v));
}

void rpy_write_err_bool(rpy_bool v) { rpy_write_err_cstr(v ? "True" : "False"); }

void rpy_write_err_float(rpy_float v)
{
    char buf[RT_FLOAT_BUFSIZE];
    rt_write_stderr(buf, (size_t)rt_float_repr(buf, v));
}

void rpy_write_err_value(rpy_word v, const struct rpy_typeinfo *ti)
{
    switch (ti->kind) {
    case RPY_K_INT:
        rpy_write_err_int(rpy_w_to_int(v));
        return;
    case RPY_K_FLOAT:
        rpy_write_err_float(rpy_w_to_float(v));
        return;
    case RPY_K_BOOL:
        rpy_write_err_bool(v != 0);
        return;
    case RPY_K_NONE:
        rt_write_stderr("None", 4);
        return;
    case RPY_K_STR:
        rpy_write_err_str(rpy_w_to_ptr(v));
        return;
    default: {
        /* As rpy_write_value: str() of a container or an instance may run
         * __str__, which may raise (nothing is written then). */
        struct rt_buf b;
        rt_buf_init(&b);
        rt_str_into(&b, v, ti);
        if (!rpy_exc_occurred())
            rt_write_stderr(b.data, b.len);
        rt_buf_release(&b);
    }
    }
}
