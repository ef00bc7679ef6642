/* support.h - what every stage of the compiler shares: source positions,
 * the translation arena, growable vectors, a string builder, and the
 * diagnostics printer.
 *
 * Memory: the compiler allocates everything from one arena per translation
 * (sp_alloc) and never frees; the arena goes away when the process exits.
 * Passes therefore keep no free bookkeeping.
 *
 * Diagnostics: user errors go through sp_error()/sp_note(), which print
 * `file:line:col: error: msg`, the source line and a caret, and count the
 * errors (or, in JSON mode, print JSON Lines on stdout); internal bugs go
 * through sp_die() (C file and line, then abort).
 */
#ifndef RPY_SUPPORT_H
#define RPY_SUPPORT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A position in a source file. line and col start at 1; col counts bytes. */
struct srcpos {
    const char *file; /* file name as given on the command line */
    int line;
    int col;
    const char *frame; /* inside a comprehension: the frame CPython 3.11 runs it in ("<listcomp>"), else NULL */
};

/* ---- arena ---- */
void *sp_alloc(size_t size);                 /* zeroed, 16-byte aligned */
char *sp_strdup(const char *s);
char *sp_strndup(const char *s, size_t n);
char *sp_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define SP_NEW(T) ((T *)sp_alloc(sizeof(T)))

/* ---- vectors of pointers ----
 * struct sp_vec holds void*; typed helpers are thin casts at use sites. */
struct sp_vec {
    void **v;
    int n;
    int cap;
};
void sp_vec_push(struct sp_vec *vec, void *item);
void *sp_vec_pop(struct sp_vec *vec);
void sp_vec_insert(struct sp_vec *vec, int at, void *item);
void sp_vec_remove_at(struct sp_vec *vec, int at);
#define SP_VEC_AT(vec, i) ((vec).v[(i)])

/* ---- string builder (arena backed) ---- */
struct sp_buf {
    char *s;
    size_t len;
    size_t cap;
};
void sp_buf_putc(struct sp_buf *b, char c);
void sp_buf_puts(struct sp_buf *b, const char *s);
void sp_buf_putn(struct sp_buf *b, const char *s, size_t n);
void sp_buf_printf(struct sp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *sp_buf_cstr(struct sp_buf *b); /* NUL-terminated view */

/* ---- interned identifiers: equal strings give equal pointers ---- */
const char *sp_intern(const char *s);
const char *sp_intern_n(const char *s, size_t n);

/* ---- source files ----
 * The diagnostics printer needs the text of a file to show the offending
 * line; every file the frontend reads is registered here. */
void sp_register_source(const char *file, const char *text, size_t len);
const char *sp_source_line(const char *file, int line, size_t *len_out);

/* ---- diagnostics ---- */
void sp_error(struct srcpos pos, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sp_verror(struct srcpos pos, const char *fmt, va_list ap);
void sp_note(struct srcpos pos, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int sp_error_count(void);
/* After this many errors the driver stops; sp_error returns normally. */
#define SP_MAX_ERRORS 20
/* JSON mode (rpy check --json): instead of text on stderr, one JSON object
 * per line on stdout for each error, its notes nested:
 *   {"file": F, "line": N, "col": N, "severity": "error", "message": M,
 *    "notes": [{"file": F, "line": N, "col": N, "message": M}, ...]}
 * (file is null and line, col 0 for an error without a position; a note
 * with no error before it is an object of its own, severity "note"). An
 * error is held back until its notes are complete: sp_diag_flush() writes
 * it; the next error, switching the mode and exit() do so too. Counting is
 * the same in both modes. */
void sp_diag_set_json(bool on);
void sp_diag_flush(void);

/* Capture: between sp_capture_begin and sp_capture_end, diagnostics are
 * recorded (not printed, not counted). The annotator uses it for errors
 * that later growth of the annotations may make moot; sp_replay prints
 * and counts what was captured (into the enclosing capture, if any). */
struct sp_captured;
void sp_capture_begin(void);
struct sp_captured *sp_capture_end(void); /* NULL when nothing was said */
void sp_replay(struct sp_captured *c);
/* What was captured, rendered as text (also in JSON mode), for comparing. */
const char *sp_captured_text(struct sp_captured *c);
bool sp_capture_active(void);  /* a replay now goes into a capture, not to stderr */

_Noreturn void sp_die_at(const char *cfile, int cline, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define sp_die(...) sp_die_at(__FILE__, __LINE__, __VA_ARGS__)
#define SP_ASSERT(c) ((c) ? (void)0 : sp_die("assertion failed: %s", #c))

#endif
