/* support.c - arena, vectors, string builder, interning and diagnostics.
 *
 * The arena is a chain of large chunks; allocation bumps a pointer. Nothing
 * is ever freed: one translation is one process.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arena ---- */

#define CHUNK_SIZE (1u << 20)

static char *chunk_ptr;
static size_t chunk_left;

void *sp_alloc(size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (size > chunk_left) {
        size_t want = size > CHUNK_SIZE ? size : CHUNK_SIZE;
        chunk_ptr = calloc(1, want);
        if (!chunk_ptr) {
            fprintf(stderr, "rpy: out of memory\n");
            exit(2);
        }
        chunk_left = want;
    }
    void *p = chunk_ptr;
    chunk_ptr += size;
    chunk_left -= size;
    return p;
}

char *sp_strndup(const char *s, size_t n)
{
    char *d = sp_alloc(n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *sp_strdup(const char *s) { return sp_strndup(s, strlen(s)); }

char *sp_fmt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *d = sp_alloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}

/* ---- vectors ---- */

static void vec_grow(struct sp_vec *vec)
{
    int cap = vec->cap ? vec->cap * 2 : 4;
    void **v = sp_alloc(sizeof(void *) * (size_t)cap);
    if (vec->n)
        memcpy(v, vec->v, sizeof(void *) * (size_t)vec->n);
    vec->v = v;
    vec->cap = cap;
}

void sp_vec_push(struct sp_vec *vec, void *item)
{
    if (vec->n == vec->cap)
        vec_grow(vec);
    vec->v[vec->n++] = item;
}

void *sp_vec_pop(struct sp_vec *vec)
{
    SP_ASSERT(vec->n > 0);
    return vec->v[--vec->n];
}

void sp_vec_insert(struct sp_vec *vec, int at, void *item)
{
    if (vec->n == vec->cap)
        vec_grow(vec);
    memmove(vec->v + at + 1, vec->v + at, sizeof(void *) * (size_t)(vec->n - at));
    vec->v[at] = item;
    vec->n++;
}

void sp_vec_remove_at(struct sp_vec *vec, int at)
{
    memmove(vec->v + at, vec->v + at + 1, sizeof(void *) * (size_t)(vec->n - at - 1));
    vec->n--;
}

/* ---- string builder ---- */

static void buf_reserve(struct sp_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap * 2 : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *s = sp_alloc(cap);
    if (b->len)
        memcpy(s, b->s, b->len);
    b->s = s;
    b->cap = cap;
}

void sp_buf_putn(struct sp_buf *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

void sp_buf_putc(struct sp_buf *b, char c) { sp_buf_putn(b, &c, 1); }
void sp_buf_puts(struct sp_buf *b, const char *s) { sp_buf_putn(b, s, strlen(s)); }

void sp_buf_printf(struct sp_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *sp_buf_cstr(struct sp_buf *b)
{
    if (!b->s)
        return "";
    return b->s;
}

/* ---- interning: open addressing on FNV-1a ---- */

static const char **intern_tab;
static size_t intern_cap, intern_n;

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static void intern_grow(void)
{
    size_t cap = intern_cap ? intern_cap * 2 : 1024;
    const char **tab = calloc(cap, sizeof(char *));
    if (!tab)
        sp_die("out of memory");
    for (size_t i = 0; i < intern_cap; i++) {
        const char *s = intern_tab[i];
        if (!s)
            continue;
        size_t j = fnv1a(s, strlen(s)) & (cap - 1);
        while (tab[j])
            j = (j + 1) & (cap - 1);
        tab[j] = s;
    }
    free(intern_tab);
    intern_tab = tab;
    intern_cap = cap;
}

const char *sp_intern_n(const char *s, size_t n)
{
    if ((intern_n + 1) * 2 > intern_cap)
        intern_grow();
    size_t j = fnv1a(s, n) & (intern_cap - 1);
    while (intern_tab[j]) {
        if (strncmp(intern_tab[j], s, n) == 0 && intern_tab[j][n] == 0)
            return intern_tab[j];
        j = (j + 1) & (intern_cap - 1);
    }
    intern_tab[j] = sp_strndup(s, n);
    intern_n++;
    return intern_tab[j];
}

const char *sp_intern(const char *s) { return sp_intern_n(s, strlen(s)); }

/* ---- source registry ---- */

struct source {
    const char *file;
    const char *text;
    size_t len;
    size_t *starts; /* offset of each line (index line - 1), made on first use */
    int nlines;
};
static struct sp_vec sources;

void sp_register_source(const char *file, const char *text, size_t len)
{
    struct source *src = SP_NEW(struct source);
    src->file = file;
    src->text = text;
    src->len = len;
    sp_vec_push(&sources, src);
}

/* The line starts of src, indexed once: diagnostics (also the annotator's
 * tentative ones) look lines up often. */
static void index_lines(struct source *src)
{
    int n = 1;
    for (size_t i = 0; i < src->len; i++)
        n += src->text[i] == '\n';
    src->starts = sp_alloc(sizeof(size_t) * (size_t)(n + 1));
    src->starts[0] = 0;
    int k = 1;
    for (size_t i = 0; i < src->len; i++)
        if (src->text[i] == '\n')
            src->starts[k++] = i + 1;
    src->nlines = n;
}

const char *sp_source_line(const char *file, int line, size_t *len_out)
{
    for (int i = 0; i < sources.n; i++) {
        struct source *src = sources.v[i];
        if (!file || (src->file != file && strcmp(src->file, file) != 0))
            continue;
        if (!src->starts)
            index_lines(src);
        if (line < 1 || line > src->nlines || (src->starts[line - 1] >= src->len && line > 1))
            return NULL;
        const char *p = src->text + src->starts[line - 1], *end = src->text + src->len;
        const char *e = p;
        while (e < end && *e != '\n' && *e != '\r')
            e++;
        *len_out = (size_t)(e - p);
        return p;
    }
    return NULL;
}

/* ---- diagnostics ----
 *
 * Every diagnostic is first a record (severity, position, message). It is
 * rendered as text (`file:line:col: error: msg`, the source line, a caret)
 * for stderr and for captures, whose text the annotator compares to print
 * each conflict once. In JSON mode records go to stdout instead, one line
 * per error with its notes nested, so an error is held back until the next
 * error or the final sp_diag_flush(): only then are its notes complete.
 * Captures keep the records too, so a replay reaches the same sink as a
 * direct report and the two modes always report the same diagnostics. */

struct diag {
    bool is_error; /* else a note */
    struct srcpos pos;
    const char *msg;
};

static int error_count;
static bool diag_json;

int sp_error_count(void) { return error_count; }

static void show_source(struct sp_buf *b, struct srcpos pos)
{
    size_t len;
    const char *line = sp_source_line(pos.file, pos.line, &len);
    if (!line)
        return;
    sp_buf_printf(b, "    %.*s\n    ", (int)len, line);
    /* Keep tabs in the caret line so it lines up under the source; col
     * counts bytes, the caret line characters (a UTF-8 continuation byte
     * takes no column). */
    for (int i = 1; i < pos.col && (size_t)(i - 1) < len; i++) {
        unsigned char c = (unsigned char)line[i - 1];
        if ((c & 0xC0) != 0x80)
            sp_buf_putc(b, c == '\t' ? '\t' : ' ');
    }
    sp_buf_puts(b, "^\n");
}

static void render_text(struct sp_buf *b, const struct diag *d)
{
    const char *severity = d->is_error ? "error" : "note";
    if (d->pos.file)
        sp_buf_printf(b, "%s:%d:%d: %s: %s\n", d->pos.file, d->pos.line, d->pos.col, severity, d->msg);
    else
        sp_buf_printf(b, "rpy: %s: %s\n", severity, d->msg);
    show_source(b, d->pos);
}

/* ---- JSON output ---- */

/* Length (2..4) of the well-formed UTF-8 sequence at s, whose first byte
 * is not ASCII; 0 if ill-formed (overlong, surrogate, beyond U+10FFFF,
 * truncated). */
static int utf8_len(const unsigned char *s)
{
    int n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (n == 0 || s[0] > 0xF4)
        return 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) ||
        (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
        return 0;
    return n;
}

/* A JSON string: quotes, backslashes and control characters escaped,
 * UTF-8 passed through, ill-formed bytes (a file name from the command
 * line may hold any) replaced by U+FFFD so the output is always valid. */
static void json_string(struct sp_buf *b, const char *str)
{
    sp_buf_putc(b, '"');
    for (const unsigned char *s = (const unsigned char *)str; *s;) {
        if (*s >= 0x80) {
            int n = utf8_len(s);
            if (n)
                sp_buf_putn(b, (const char *)s, (size_t)n);
            else
                sp_buf_puts(b, "\\ufffd");
            s += n ? n : 1;
            continue;
        }
        switch (*s) {
        case '"': sp_buf_puts(b, "\\\""); break;
        case '\\': sp_buf_puts(b, "\\\\"); break;
        case '\n': sp_buf_puts(b, "\\n"); break;
        case '\r': sp_buf_puts(b, "\\r"); break;
        case '\t': sp_buf_puts(b, "\\t"); break;
        default:
            if (*s < 0x20 || *s == 0x7F)
                sp_buf_printf(b, "\\u%04x", *s);
            else
                sp_buf_putc(b, (char)*s);
        }
        s++;
    }
    sp_buf_putc(b, '"');
}

/* `"file": ..., "line": N, "col": N`; a diagnostic without a position
 * (a file that cannot be opened) has file null and line and col 0. */
static void json_position(struct sp_buf *b, struct srcpos pos)
{
    sp_buf_puts(b, "\"file\": ");
    if (pos.file)
        json_string(b, pos.file);
    else
        sp_buf_puts(b, "null");
    sp_buf_printf(b, ", \"line\": %d, \"col\": %d", pos.file ? pos.line : 0, pos.file ? pos.col : 0);
}

/* The error waiting for its notes (JSON mode). */
static const struct diag *json_pending;
static struct sp_vec json_notes;

static void json_write(const struct diag *d, struct sp_vec *notes)
{
    struct sp_buf b = {0};
    sp_buf_puts(&b, "{");
    json_position(&b, d->pos);
    sp_buf_printf(&b, ", \"severity\": \"%s\", \"message\": ", d->is_error ? "error" : "note");
    json_string(&b, d->msg);
    sp_buf_puts(&b, ", \"notes\": [");
    for (int i = 0; notes && i < notes->n; i++) {
        const struct diag *n = notes->v[i];
        sp_buf_puts(&b, i ? ", {" : "{");
        json_position(&b, n->pos);
        sp_buf_puts(&b, ", \"message\": ");
        json_string(&b, n->msg);
        sp_buf_puts(&b, "}");
    }
    sp_buf_puts(&b, "]}\n");
    fputs(sp_buf_cstr(&b), stdout);
}

void sp_diag_flush(void)
{
    if (json_pending)
        json_write(json_pending, &json_notes);
    json_pending = NULL;
    json_notes.n = 0;
    fflush(stdout);
}

void sp_diag_set_json(bool on)
{
    static bool registered;
    sp_diag_flush();
    diag_json = on;
    /* An exit on any path must not lose the error held back. */
    if (on && !registered)
        registered = atexit(sp_diag_flush) == 0;
}

static void json_emit(const struct diag *d)
{
    if (d->is_error) {
        sp_diag_flush();
        json_pending = d;
    } else if (json_pending) {
        sp_vec_push(&json_notes, (void *)d);
    } else {
        json_write(d, NULL); /* a note with no error before it stands alone */
    }
}

/* ---- the sink, and captures ---- */

/* A diagnostic that is not captured: printed (or held, in JSON mode) and
 * counted. */
static void emit(const struct diag *d)
{
    if (d->is_error)
        error_count++;
    if (diag_json) {
        json_emit(d);
        return;
    }
    struct sp_buf b = {0};
    render_text(&b, d);
    fputs(sp_buf_cstr(&b), stderr);
}

struct sp_captured {
    struct sp_buf text;  /* the rendering as text, whatever the mode */
    struct sp_vec diags; /* struct diag *, in order */
    int errors;
};
/* Captures nest (an op rule may call a function whose parameter binding
 * captures too): diagnostics go to the innermost. */
static struct sp_vec capture_stack;
#define capturing (capture_stack.n ? (struct sp_captured *)capture_stack.v[capture_stack.n - 1] : NULL)

void sp_capture_begin(void)
{
    sp_vec_push(&capture_stack, SP_NEW(struct sp_captured));
}

struct sp_captured *sp_capture_end(void)
{
    struct sp_captured *c = sp_vec_pop(&capture_stack);
    return c->diags.n ? c : NULL;
}

const char *sp_captured_text(struct sp_captured *c) { return sp_buf_cstr(&c->text); }

bool sp_capture_active(void) { return capturing != NULL; }

static void capture(struct sp_captured *c, const struct diag *d)
{
    render_text(&c->text, d);
    sp_vec_push(&c->diags, (void *)d);
    c->errors += d->is_error;
}

void sp_replay(struct sp_captured *c)
{
    if (!c)
        return;
    struct sp_captured *outer = capturing;
    for (int i = 0; i < c->diags.n; i++) {
        if (outer) /* replayed inside an outer capture: it belongs to that one */
            capture(outer, c->diags.v[i]);
        else
            emit(c->diags.v[i]);
    }
}

static void report(bool is_error, struct srcpos pos, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *msg = sp_alloc((size_t)n + 1);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    struct diag *d = SP_NEW(struct diag);
    d->is_error = is_error;
    d->pos = pos;
    d->msg = msg;
    if (capturing)
        capture(capturing, d);
    else
        emit(d);
}

void sp_verror(struct srcpos pos, const char *fmt, va_list ap)
{
    report(true, pos, fmt, ap);
}

void sp_error(struct srcpos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sp_verror(pos, fmt, ap);
    va_end(ap);
}

void sp_note(struct srcpos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(false, pos, fmt, ap);
    va_end(ap);
}

void sp_die_at(const char *cfile, int cline, const char *fmt, ...)
{
    va_list ap;
    sp_diag_flush(); /* the user's errors so far still reach the editor */
    fprintf(stderr, "rpy: internal error at %s:%d: ", cfile, cline);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
