/* String building: C reference for bench/strbuild/strbuild.py (same
 * records, same transformations, same output). Strings are byte buffers
 * (the text is ASCII): records are formatted with snprintf into one
 * buffer, split and parsed in place, lines are built by appending, and
 * replace/upper/lower/split are loops over the bytes. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 1500000L
static const char *NAMES[] = {"apple", "kiwi", "banana", "fig", "cherry", "lime", "mango", "pear", "plum"};
#define NNAMES 9

typedef struct {
    char *p;
    size_t len, cap;
} Str;

static void reserve(Str *s, size_t extra)
{
    if (s->len + extra + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 64;
        while (s->len + extra + 1 > cap)
            cap *= 2;
        s->p = realloc(s->p, cap);
        s->cap = cap;
    }
}

static void put(Str *s, const char *p, size_t n)
{
    reserve(s, n);
    memcpy(s->p + s->len, p, n);
    s->len += n;
    s->p[s->len] = 0;
}

static void putc_(Str *s, char c)
{
    put(s, &c, 1);
}

static long checksum(const char *s, size_t len)
{
    long h = 0;
    for (size_t i = 0; i < len; i += 101)
        h = (h * 131 + (unsigned char)s[i]) % 1000000007;
    return h;
}

/* print s[a:b] with newlines shown as '/' (a, b already clamped) */
static void print_slice(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        putchar(s[i] == '\n' ? '/' : s[i]);
    putchar('\n');
}

/* records: one buffer "rec\nrec\n...rec" (the Python "\n".join(recs)) */
static Str big;
static size_t *rec_start, *rec_len;

static void format_records(long n)
{
    rec_start = malloc(sizeof(size_t) * n);
    rec_len = malloc(sizeof(size_t) * n);
    for (long i = 0; i < n; i++) {
        double price = (double)(i * 7919 % 100000) / 100.0;
        long qty = i * 31 % 1000;
        const char *name = NAMES[i % NNAMES];
        if (i > 0)
            putc_(&big, '\n');
        reserve(&big, 64);
        int k = snprintf(big.p + big.len, 64, "%07ld;%-8s;%.2f;%4ld", i, name, price, qty);
        rec_start[i] = big.len;
        rec_len[i] = (size_t)k;
        big.len += (size_t)k;
    }
}

static int is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static void parse_records(long n, double *total, long *qty_sum, long *b_names, Str *tags)
{
    *total = 0.0;
    *qty_sum = 0;
    *b_names = 0;
    for (long r = 0; r < n; r++) {
        const char *s = big.p + rec_start[r];
        size_t len = rec_len[r];
        const char *f[4];
        size_t fl[4];
        int nf = 0;
        size_t st = 0;
        for (size_t i = 0; i <= len; i++) {
            if (i == len || s[i] == ';') {
                f[nf] = s + st;
                fl[nf] = i - st;
                nf++;
                st = i + 1;
            }
        }
        /* name = fields[1].strip().upper() */
        const char *a = f[1], *b = f[1] + fl[1];
        while (a < b && is_space(*a))
            a++;
        while (b > a && is_space(b[-1]))
            b--;
        char name[16];
        size_t nl = (size_t)(b - a);
        for (size_t i = 0; i < nl; i++)
            name[i] = (char)toupper((unsigned char)a[i]);
        if ((nl >= 1 && name[0] == 'B') || (nl >= 2 && name[nl - 2] == 'U' && name[nl - 1] == 'M'))
            (*b_names)++;
        char tmp[32];
        memcpy(tmp, f[2], fl[2]);
        tmp[fl[2]] = 0;
        double price = strtod(tmp, NULL);
        memcpy(tmp, f[3], fl[3]);
        tmp[fl[3]] = 0;
        long qty = strtol(tmp, NULL, 10);
        *total += price / (double)(qty + 1);
        *qty_sum += qty;
        /* name[:2] + str(len(fields[0].lstrip("0"))) */
        const char *z = f[0];
        size_t zl = fl[0];
        while (zl > 0 && *z == '0')
            z++, zl--;
        if (r > 0)
            putc_(tags, '-');
        put(tags, name, nl < 2 ? nl : 2);
        char num[24];
        int k = snprintf(num, sizeof num, "%zu", zl);
        put(tags, num, (size_t)k);
    }
}

/* lines joined by '\n' into text; returns the number of lines */
static long build_lines(long n, Str *text, size_t *first_end, size_t *last_start)
{
    long nlines = 0;
    size_t line_len = 0;
    for (long r = 0; r < n; r++) {
        const char *s = big.p + rec_start[r];
        put(text, s, 7);
        putc_(text, '|');
        put(text, s + 8, 2);
        line_len += 10;
        if (line_len > 70) {
            if (nlines == 0)
                *first_end = text->len;
            putc_(text, '\n');
            nlines++;
            line_len = 0;
            *last_start = text->len;
        } else {
            putc_(text, ' ');
            line_len++;
        }
    }
    if (nlines == 0)
        *first_end = text->len;
    return nlines + 1;
}

/* non-overlapping, left to right, as str.replace */
static void replace(Str *out, const char *s, size_t len, const char *old, const char *new_)
{
    size_t ol = strlen(old), nl = strlen(new_);
    size_t i = 0, run = 0; /* s[run:i] is still to be copied */
    reserve(out, len);
    while (i + ol <= len) {
        if (s[i] == old[0] && memcmp(s + i, old, ol) == 0) {
            put(out, s + run, i - run);
            put(out, new_, nl);
            i += ol;
            run = i;
        } else {
            i++;
        }
    }
    put(out, s + run, len - run);
}

static long count(const char *s, size_t len, const char *sub)
{
    size_t sl = strlen(sub);
    long c = 0;
    for (size_t i = 0; i + sl <= len;) {
        if (s[i] == sub[0] && memcmp(s + i, sub, sl) == 0) {
            c++;
            i += sl;
        } else {
            i++;
        }
    }
    return c;
}

static long find(const char *s, size_t len, const char *sub)
{
    size_t sl = strlen(sub);
    for (size_t i = 0; i + sl <= len; i++)
        if (memcmp(s + i, sub, sl) == 0)
            return (long)i;
    return -1;
}

static long rfind(const char *s, size_t len, const char *sub)
{
    size_t sl = strlen(sub);
    for (size_t i = len - sl + 1; i-- > 0;)
        if (memcmp(s + i, sub, sl) == 0)
            return (long)i;
    return -1;
}

int main(void)
{
    format_records(N);
    printf("records %ld text %zu checksum %ld\n", N, big.len, checksum(big.p, big.len));
    print_slice(big.p, 0, 40);
    print_slice(big.p, big.len / 2, big.len / 2 + 40);

    double total;
    long qty_sum, b_names;
    Str tags = {0};
    parse_records(N, &total, &qty_sum, &b_names, &tags);
    printf("total %.3f qty %ld b-names %ld mean %.6f\n", total, qty_sum, b_names, total / (double)qty_sum);
    printf("tags %zu %.30s %s %ld\n", tags.len, tags.p, tags.p + tags.len - 30, checksum(tags.p, tags.len));

    Str text = {0};
    size_t first_end = 0, last_start = 0;
    long nlines = build_lines(N, &text, &first_end, &last_start);
    printf("lines %ld text %zu checksum %ld\n", nlines, text.len, checksum(text.p, text.len));
    fwrite(text.p, 1, first_end, stdout);
    putchar('\n');
    {
        size_t a = last_start, b = text.len;
        while (a < b && is_space(text.p[a]))
            a++;
        while (b > a && is_space(text.p[b - 1]))
            b--;
        fwrite(text.p + a, 1, b - a, stdout);
        putchar('\n');
    }

    Str t1 = {0}, t2 = {0};
    replace(&t1, text.p, text.len, "|", " | ");
    replace(&t2, t1.p, t1.len, "00", "0");
    for (size_t i = 0; i < t2.len; i++)
        t2.p[i] = (char)toupper((unsigned char)t2.p[i]);
    long nwords = 0, n_bars = 0, n_zero = 0, wlen = 0;
    for (size_t i = 0; i < t2.len;) {
        while (i < t2.len && is_space(t2.p[i]))
            i++;
        if (i >= t2.len)
            break;
        size_t st = i;
        while (i < t2.len && !is_space(t2.p[i]))
            i++;
        size_t wl = i - st;
        nwords++;
        if (wl == 1 && t2.p[st] == '|')
            n_bars++;
        else if (t2.p[st] == '0')
            n_zero++;
        wlen += (long)wl;
    }
    printf("words %ld bars %ld zero-led %ld letters %ld\n", nwords, n_bars, n_zero, wlen);
    printf("t2 %zu checksum %ld ", t2.len, checksum(t2.p, t2.len));
    print_slice(t2.p, 100, 140);

    char *low = malloc(t2.len + 1);
    for (size_t i = 0; i < t2.len; i++)
        low[i] = (char)tolower((unsigned char)t2.p[i]);
    printf("lower %ld %ld %ld %ld\n", count(low, t2.len, "ap"), find(low, t2.len, "pl"), rfind(low, t2.len, "ba"),
           checksum(low, t2.len));
    return 0;
}
