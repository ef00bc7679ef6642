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

const char *sp_source_line(const char *file, int line, size_t *len_out)
{
    for (int i = 0; i < sources.n; i++) {
        struct source *src = sources.v[i];
        if (!file || strcmp(src->file, file) != 0)
            continue;
        const char *p = src->text, *end = src->text + src->len;
        for (int l = 1; l < line && p < end; p++)
            if (*p == '\n')
                l++;
        if (p >= end && line > 1)
            return NULL;
        const char *e = p;
        while (e < end && *e != '\n' && *e != '\r')
            e++;
        *len_out = (size_t)(e - p);
        return p;
    }
    return NULL;
}

/* ---- diagnostics ---- */

static int error_count;
static bool diag_json;

void sp_diag_set_json(bool on) { diag_json = on; }
int sp_error_count(void) { return error_count; }

static void json_string(struct sp_buf *b, const char *s)
{
    sp_buf_putc(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            sp_buf_printf(b, "\\%c", c);
        else if (c < 0x20)
            sp_buf_printf(b, "\\u%04x", c);
        else
            sp_buf_putc(b, (char)c);
    }
    sp_buf_putc(b, '"');
}

static void show_source(struct sp_buf *b, struct srcpos pos)
{
    size_t len;
    const char *line = sp_source_line(pos.file, pos.line, &len);
    if (!line)
        return;
    sp_buf_printf(b, "    %.*s\n    ", (int)len, line);
    /* Keep tabs in the caret line so it lines up under the source. */
    for (int i = 1; i < pos.col && (size_t)(i - 1) < len; i++)
        sp_buf_putc(b, line[i - 1] == '\t' ? '\t' : ' ');
    sp_buf_puts(b, "^\n");
}

struct sp_captured {
    struct sp_buf text;
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
    return c->text.len ? c : NULL;
}

const char *sp_captured_text(struct sp_captured *c) { return sp_buf_cstr(&c->text); }

bool sp_capture_active(void) { return capturing != NULL; }

void sp_replay(struct sp_captured *c)
{
    if (!c)
        return;
    if (capturing) {
        /* Replayed inside an outer capture: it belongs to that one. */
        sp_buf_puts(&capturing->text, sp_buf_cstr(&c->text));
        capturing->errors += c->errors;
        return;
    }
    fputs(sp_buf_cstr(&c->text), stderr);
    error_count += c->errors;
}

static void report(const char *severity, struct srcpos pos, const char *fmt, va_list ap)
{
    char msg[2048];
    vsnprintf(msg, sizeof msg, fmt, ap);
    struct sp_buf b = {0};
    if (diag_json) {
        /* One JSON object per line; notes are separate objects with
         * severity "note" following their error. */
        sp_buf_puts(&b, "{\"file\": ");
        json_string(&b, pos.file ? pos.file : "");
        sp_buf_printf(&b, ", \"line\": %d, \"col\": %d, \"severity\": \"%s\", \"message\": ", pos.line,
                      pos.col, severity);
        json_string(&b, msg);
        sp_buf_puts(&b, "}\n");
    } else {
        if (pos.file)
            sp_buf_printf(&b, "%s:%d:%d: %s: %s\n", pos.file, pos.line, pos.col, severity, msg);
        else
            sp_buf_printf(&b, "rpy: %s: %s\n", severity, msg);
        show_source(&b, pos);
    }
    if (capturing) {
        sp_buf_puts(&capturing->text, sp_buf_cstr(&b));
        capturing->errors += strcmp(severity, "error") == 0;
        return;
    }
    fputs(sp_buf_cstr(&b), stderr);
    if (strcmp(severity, "error") == 0)
        error_count++;
}

void sp_verror(struct srcpos pos, const char *fmt, va_list ap)
{
    report("error", pos, fmt, ap);
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
    report("note", pos, fmt, ap);
    va_end(ap);
}

void sp_die_at(const char *cfile, int cline, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "rpy: internal error at %s:%d: ", cfile, cline);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
