/* Word frequency: C reference for bench/wordfreq/wordfreq.py (same
 * generator, same text, same counting and order). The text is written into
 * one growing buffer; words are counted in an open-addressing hash table
 * (FNV-1a, linear probing) whose keys point into the text, then sorted
 * with qsort by (-count, word). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VOCAB 20000
#define WORDS 5000000L
static const char LETTERS[] = "etaoinshrdlcumwfgypbvkjxqz";

static long state;

static long next(long n)
{
    state = (state * 1103515245L + 12345L) % 2147483648L;
    return (state >> 8) % n;
}

typedef struct {
    char *buf;
    size_t len, cap;
} Buf;

static void put(Buf *b, const char *s, size_t n)
{
    if (b->len + n > b->cap) {
        while (b->len + n > b->cap)
            b->cap = b->cap ? b->cap * 2 : 4096;
        b->buf = realloc(b->buf, b->cap);
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
}

static char vocab[VOCAB][16];
static size_t vocab_len[VOCAB];

static void make_vocab(void)
{
    for (int i = 0; i < VOCAB; i++) {
        long length = 1 + next(4);
        length += next(6);
        for (long j = 0; j < length; j++)
            vocab[i][j] = LETTERS[next(next(26) + 1)];
        vocab[i][length] = 0;
        vocab_len[i] = (size_t)length;
    }
}

static void make_text(Buf *text, long *nlines)
{
    long in_line = 0;
    int cap = 1;
    *nlines = 1;
    for (long i = 0; i < WORDS; i++) {
        long idx = next(next(VOCAB) + 1);
        char w[20];
        size_t n = vocab_len[idx];
        memcpy(w, vocab[idx], n);
        if (cap) {
            if (w[0] >= 'a' && w[0] <= 'z')
                w[0] = (char)(w[0] - 'a' + 'A');
            cap = 0;
        }
        long r = next(20);
        if (r == 0) {
            w[n++] = '.';
            cap = 1;
        } else if (r < 3) {
            w[n++] = ',';
        }
        if (in_line > 0)
            put(text, " ", 1);
        put(text, w, n);
        in_line++;
        if (in_line >= 12 && next(4) == 0) {
            put(text, "\n", 1);
            (*nlines)++;
            in_line = 0;
        }
    }
}

typedef struct {
    const char *word;
    size_t len;
    long count;
} Slot;

#define TABLE_SIZE (1 << 16) /* > 2 * VOCAB: the most distinct words there can be */
static Slot table[TABLE_SIZE];

static uint32_t fnv(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void count_word(const char *s, size_t n)
{
    size_t i = fnv(s, n) & (TABLE_SIZE - 1);
    for (;;) {
        Slot *t = &table[i];
        if (!t->word) {
            t->word = s;
            t->len = n;
            t->count = 1;
            return;
        }
        if (t->len == n && memcmp(t->word, s, n) == 0) {
            t->count++;
            return;
        }
        i = (i + 1) & (TABLE_SIZE - 1);
    }
}

static int is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static void count_words(char *text, size_t len)
{
    size_t i = 0;
    while (i < len) {
        while (i < len && is_space(text[i]))
            i++;
        if (i >= len)
            break;
        size_t start = i;
        while (i < len && !is_space(text[i]))
            i++;
        size_t end = i;
        while (start < end && (text[start] == '.' || text[start] == ','))
            start++;
        while (end > start && (text[end - 1] == '.' || text[end - 1] == ','))
            end--;
        for (size_t j = start; j < end; j++)
            if (text[j] >= 'A' && text[j] <= 'Z')
                text[j] = (char)(text[j] - 'A' + 'a');
        count_word(text + start, end - start);
    }
}

static int by_count_then_word(const void *pa, const void *pb)
{
    const Slot *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->word, b->word, n);
    if (c)
        return c;
    return a->len < b->len ? -1 : a->len > b->len;
}

static void print_item(const Slot *s)
{
    printf("%-12.*s%8ld\n", (int)s->len, s->word, s->count);
}

int main(void)
{
    state = 20240601;
    make_vocab();
    Buf text = {0};
    long nlines;
    make_text(&text, &nlines);
    printf("text length %zu lines %ld\n", text.len, nlines);
    count_words(text.buf, text.len);
    Slot *items = malloc(sizeof(Slot) * TABLE_SIZE);
    size_t n = 0;
    for (size_t i = 0; i < TABLE_SIZE; i++)
        if (table[i].word)
            items[n++] = table[i];
    qsort(items, n, sizeof(Slot), by_count_then_word);
    long total = 0, letters = 0, once = 0;
    for (size_t i = 0; i < n; i++) {
        total += items[i].count;
        letters += (long)items[i].len * items[i].count;
        if (items[i].count == 1)
            once++;
    }
    printf("words %ld distinct %zu letters %ld hapaxes %ld\n", total, n, letters, once);
    printf("top 20:\n");
    for (size_t i = 0; i < 20 && i < n; i++)
        print_item(&items[i]);
    printf("last 5:\n");
    for (size_t i = n >= 5 ? n - 5 : 0; i < n; i++)
        print_item(&items[i]);
    return 0;
}
