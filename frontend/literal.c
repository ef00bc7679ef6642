/* literal.c - numbers, string literals and identifier characters.
 *
 * The lexer matches a literal whole; this file gives it its value.
 *
 * Integers: a literal that fits in int64 goes to ival. A larger one sets
 * `big` and keeps its value as decimal digits in str (hexadecimal, octal
 * and binary ones are converted), so later stages can fold
 * -9223372036854775808 or reject the literal with a good message. Like
 * CPython, literals of more than 4300 digits are refused, which also bounds
 * the quadratic base conversion.
 *
 * Strings: escapes are decoded to UTF-8 (str) or raw bytes (bytes) with
 * CPython's rules: unknown escapes such as \d stay as written, \N{...} is
 * rejected since the compiler carries no Unicode name table.
 *
 * Identifiers: CPython accepts letters of any script (XID_Start /
 * XID_Continue). Without the Unicode tables we accept every non-ASCII
 * character except the blocks that hold only punctuation, symbols, spaces
 * and private-use characters, so `café` works and `x€` is "invalid
 * character '€' (U+20AC)".
 */
#include "frontend/frontend.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INT_DIGITS 4300

/* ---- UTF-8 ---- */

int fe_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len == 0)
        return 0;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    int n = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC2 ? 2 : 0;
    if (n == 0 || u[0] > 0xF4 || (size_t)n > len)
        return 0;
    uint32_t c = u[0] & (0x7F >> n);
    for (int i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (u[i] & 0x3F);
    }
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < min[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

static void utf8_encode(struct sp_buf *buf, uint32_t cp)
{
    char out[4];
    int n;
    if (cp < 0x80) {
        out[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    sp_buf_putn(buf, out, (size_t)n);
}

/* ---- identifiers ---- */

static const struct {
    uint32_t lo, hi;
} not_letters[] = {
    {0x80, 0xA9}, {0xAB, 0xB4}, {0xB6, 0xB9}, {0xBB, 0xBF}, {0xD7, 0xD7}, {0xF7, 0xF7},
    {0x2000, 0x206F},   /* general punctuation, spaces */
    {0x20A0, 0x20CF},   /* currency */
    {0x2190, 0x2BFF},   /* arrows, mathematical operators, box drawing, shapes, dingbats */
    {0x2E00, 0x2E7F},   /* supplemental punctuation */
    {0x3000, 0x3004}, {0x3008, 0x3020}, /* CJK punctuation */
    {0xE000, 0xF8FF},   /* private use */
    {0xFE10, 0xFE1F}, {0xFE30, 0xFE4F}, {0xFE50, 0xFE6F}, {0xFEFF, 0xFEFF},
    {0xFF01, 0xFF0F}, {0xFF1A, 0xFF20}, {0xFF3B, 0xFF3E}, {0xFF40, 0xFF40}, {0xFF5B, 0xFF65},
    {0xFFF0, 0xFFFF},
    {0x1F000, 0x1FAFF}, /* emoji and other pictographs */
    {0xE0000, 0x10FFFF}, /* tags, private use planes */
};

static bool is_name_char(uint32_t cp)
{
    if (cp < 0x80)
        return cp == '_' || (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
    for (size_t i = 0; i < sizeof not_letters / sizeof not_letters[0]; i++)
        if (cp >= not_letters[i].lo && cp <= not_letters[i].hi)
            return false;
    return true;
}

bool fe_ident_ok(const char *s, size_t len, size_t *bad)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = fe_utf8_decode(s + i, len - i, &cp);
        if (n == 0 || !is_name_char(cp)) {
            *bad = i;
            return false;
        }
        i += (size_t)n;
    }
    return true;
}

const char *fe_describe_char(const char *s, size_t len)
{
    uint32_t cp;
    int n = fe_utf8_decode(s, len, &cp);
    if (n == 0)
        return sp_fmt("byte 0x%02X", (unsigned char)s[0]);
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
        return sp_fmt("U+%04X", (unsigned)cp);
    return sp_fmt("'%.*s' (U+%04X)", n, s, (unsigned)cp);
}

/* ---- numbers ---- */

/* Multiply a little-endian array of base-10^9 limbs by `base`, add `digit`. */
static void big_muladd(uint32_t *limbs, int *n, unsigned base, unsigned digit)
{
    uint64_t carry = digit;
    for (int i = 0; i < *n; i++) {
        uint64_t v = (uint64_t)limbs[i] * base + carry;
        limbs[i] = (uint32_t)(v % 1000000000u);
        carry = v / 1000000000u;
    }
    while (carry) {
        limbs[(*n)++] = (uint32_t)(carry % 1000000000u);
        carry /= 1000000000u;
    }
}

/* Decimal text of the digits of an int literal in `base`. */
static const char *big_decimal(const char *digits, size_t len, unsigned base)
{
    uint32_t *limbs = sp_alloc(sizeof(uint32_t) * (len / 2 + 2));
    int n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned c = (unsigned char)digits[i];
        unsigned d = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
        big_muladd(limbs, &n, base, d);
    }
    struct sp_buf out = {0};
    sp_buf_printf(&out, "%u", n ? limbs[n - 1] : 0);
    for (int i = n - 2; i >= 0; i--)
        sp_buf_printf(&out, "%09u", limbs[i]);
    return sp_buf_cstr(&out);
}

static unsigned int_base(const char *s, size_t len)
{
    if (len < 2 || s[0] != '0')
        return 10;
    switch (s[1] | 0x20) {
    case 'x': return 16;
    case 'o': return 8;
    case 'b': return 2;
    default: return 10;
    }
}

static struct ast_node *int_literal(struct fe_state *st, struct srcpos pos, const char *digits,
                                    size_t len, unsigned base)
{
    struct ast_node *n = fe_const(AST_CONST_INT, pos);
    if (len > MAX_INT_DIGITS) {
        fe_error(st, pos, "integer literal too long (more than %d digits)", MAX_INT_DIGITS);
        return n;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned c = (unsigned char)digits[i];
        unsigned d = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
        if (v > (UINT64_MAX - d) / base) {
            v = UINT64_MAX;
            break;
        }
        v = v * base + d;
    }
    if (v > (uint64_t)INT64_MAX) {
        n->big = true;
        n->str = big_decimal(digits, len, base);
        n->len = strlen(n->str);
        return n;
    }
    n->ival = (int64_t)v;
    return n;
}

struct ast_node *fe_number(struct fe_state *st, struct srcpos pos, const char *text, size_t len)
{
    unsigned base = int_base(text, len);
    char *clean = sp_alloc(len + 1);
    size_t n = 0;
    for (size_t i = base == 10 ? 0 : 2; i < len; i++)
        if (text[i] != '_')
            clean[n++] = text[i];
    bool is_float = base == 10 && strpbrk(clean, ".eE") != NULL;
    if (!is_float)
        return int_literal(st, pos, clean, n, base);
    struct ast_node *node = fe_const(AST_CONST_FLOAT, pos);
    errno = 0;
    node->fval = strtod(clean, NULL); /* overflow gives inf, as in Python */
    return node;
}

/* ---- string literals ---- */

/* Position of raw[off], raw starting at pos (raw may span lines). */
static struct srcpos pos_at(struct srcpos pos, const char *raw, size_t off)
{
    for (size_t i = 0; i < off; i++) {
        if (raw[i] == '\n') {
            pos.line++;
            pos.col = 1;
        } else {
            pos.col++;
        }
    }
    return pos;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Reads `ndigits` hex digits at s; -1 if there are not enough. */
static long hex_escape(const char *s, size_t avail, int ndigits)
{
    if (avail < (size_t)ndigits)
        return -1;
    long v = 0;
    for (int i = 0; i < ndigits; i++) {
        int d = hex_value(s[i]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

struct escape {
    const char *raw;
    size_t len;
    size_t i;           /* index of the character after the backslash */
    bool bytes;
    struct sp_buf *buf;
};

static void put_code(struct escape *e, uint32_t cp)
{
    if (e->bytes)
        sp_buf_putc(e->buf, (char)cp);
    else
        utf8_encode(e->buf, cp);
}

static const char *escape_octal(struct escape *e)
{
    uint32_t v = 0;
    int n = 0;
    while (n < 3 && e->i < e->len && e->raw[e->i] >= '0' && e->raw[e->i] <= '7') {
        v = v * 8 + (uint32_t)(e->raw[e->i++] - '0');
        n++;
    }
    if (e->bytes && v > 0xFF)
        return "octal escape value outside 0-255 in bytes literal";
    put_code(e, v);
    return NULL;
}

/* \x, \u, \U: the number of hex digits comes from the letter. */
static const char *escape_hex(struct escape *e, char letter)
{
    int ndigits = letter == 'x' ? 2 : letter == 'u' ? 4 : 8;
    long v = hex_escape(e->raw + e->i, e->len - e->i, ndigits);
    if (v < 0)
        return letter == 'x' ? "truncated \\xXX escape"
             : letter == 'u' ? "truncated \\uXXXX escape" : "truncated \\UXXXXXXXX escape";
    if (v > 0x10FFFF)
        return "illegal Unicode character";
    if (v >= 0xD800 && v <= 0xDFFF)
        return "surrogate characters are not supported";
    e->i += (size_t)ndigits;
    put_code(e, (uint32_t)v);
    return NULL;
}

/* One escape; e->i is just after the backslash. NULL or an error. */
static const char *escape_one(struct escape *e)
{
    char c = e->raw[e->i++];
    const char *simple = strchr("\n\\'\"abfnrtv", c);
    static const char simple_values[] = "\0\\'\"\a\b\f\n\r\t\v";
    if (c && simple) {
        if (c != '\n') /* backslash-newline: a line continuation */
            sp_buf_putc(e->buf, simple_values[simple - "\n\\'\"abfnrtv"]);
        return NULL;
    }
    if (c >= '0' && c <= '7') {
        e->i--;
        return escape_octal(e);
    }
    if (c == 'x' || (!e->bytes && (c == 'u' || c == 'U')))
        return escape_hex(e, c);
    if (c == 'N' && !e->bytes)
        return "\\N{...} escapes are not supported";
    sp_buf_putc(e->buf, '\\'); /* unknown escape: kept, as CPython does */
    sp_buf_putc(e->buf, c);
    return NULL;
}

bool fe_decode_escapes(struct fe_state *st, struct srcpos pos, const char *raw, size_t len,
                       bool bytes, struct sp_buf *buf)
{
    struct escape e = {raw, len, 0, bytes, buf};
    while (e.i < len) {
        const char *run = memchr(raw + e.i, '\\', len - e.i);
        size_t stop = run ? (size_t)(run - raw) : len;
        sp_buf_putn(buf, raw + e.i, stop - e.i);
        e.i = stop;
        if (e.i + 1 >= len) { /* none, or a lone final backslash */
            sp_buf_putn(buf, raw + e.i, len - e.i);
            break;
        }
        size_t start = e.i++;
        const char *err = escape_one(&e);
        if (err) {
            fe_error(st, pos_at(pos, raw, start), "%s", err);
            return false;
        }
    }
    sp_buf_cstr(buf);
    return true;
}

struct strtok {
    bool raw, bytes, fmt;
    size_t prefix, quote; /* lengths of the prefix and of one quote */
};

static struct strtok string_kind(const char *text, size_t len)
{
    struct strtok k = {0};
    while (k.prefix < len && text[k.prefix] != '\'' && text[k.prefix] != '"') {
        char c = (char)(text[k.prefix++] | 0x20);
        k.raw |= c == 'r';
        k.bytes |= c == 'b';
        k.fmt |= c == 'f';
    }
    char q = text[k.prefix];
    k.quote = len - k.prefix >= 6 && text[k.prefix + 1] == q && text[k.prefix + 2] == q ? 3 : 1;
    return k;
}

static struct ast_node *bytes_literal(struct fe_state *st, struct srcpos pos, const char *body,
                                      size_t len, bool raw)
{
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)body[i] >= 0x80) {
            fe_error(st, pos_at(pos, body, i), "bytes can only contain ASCII literal characters");
            return NULL;
        }
    }
    struct ast_node *n = fe_const(AST_CONST_BYTES, pos);
    struct sp_buf buf = {0};
    if (raw)
        sp_buf_putn(&buf, body, len);
    else if (!fe_decode_escapes(st, pos, body, len, true, &buf))
        return NULL;
    n->str = sp_buf_cstr(&buf);
    n->len = buf.len;
    return n;
}

struct ast_node *fe_string(struct fe_state *st, struct srcpos pos, const char *text, size_t len)
{
    struct strtok k = string_kind(text, len);
    const char *body = text + k.prefix + k.quote;
    size_t blen = len - k.prefix - 2 * k.quote;
    struct srcpos bodypos = pos_at(pos, text, k.prefix + k.quote);
    if (k.fmt)
        return fe_fstring(st, pos, bodypos, body, blen, k.raw);
    if (k.bytes) {
        struct ast_node *n = bytes_literal(st, bodypos, body, blen, k.raw);
        if (n)
            n->pos = pos;
        return n;
    }
    struct ast_node *n = fe_const(AST_CONST_STR, pos);
    struct sp_buf buf = {0};
    if (k.raw)
        sp_buf_putn(&buf, body, blen);
    else if (!fe_decode_escapes(st, bodypos, body, blen, false, &buf))
        return NULL;
    n->str = sp_buf_cstr(&buf);
    n->len = buf.len;
    return n;
}
