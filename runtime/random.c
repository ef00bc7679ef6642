/* random.c - the random module: CPython 3.11's Mersenne Twister and the
 * methods of random.Random built on it, output for output.
 *
 * The generator is MT19937 as in CPython's Modules/_randommodule.c:
 * seed(n) for an int n feeds the 32-bit chunks of |n|, least significant
 * first, to init_by_array (seed(0) is the one-word key [0]); seed() and
 * seed(None) take 624 words from the system's entropy (getrandom), or the
 * time and the pid if that fails. A program that never seeds is seeded
 * that way at its first draw, as CPython seeds at import. seed(x) for a
 * float x uses hash(x) cast to unsigned 64 bits, as CPython does for
 * non-ints.
 *
 * Everything else follows Lib/random.py (3.11) call for call, because the
 * sequence of 32-bit outputs consumed is what must match: random() is
 * (a*2**26 + b) / 2**53 from two outputs a >> 5 and b >> 6;
 * getrandbits(k) fills 32-bit words from the least significant, dropping
 * the low bits of the last; _randbelow(n) draws getrandbits(n.bit_length())
 * until the value is below n; randrange, randint, choice and shuffle
 * (Fisher-Yates from the end, j = _randbelow(i + 1)) go through it;
 * uniform is a + (b-a)*random(); gauss is the Box-Muller pair whose second
 * value is cached until the next gauss() or seed().
 *
 * Ints are 64-bit here: widths and ranges are computed in 128 bits so
 * that randint(-2**63, 2**63 - 1) works, and getrandbits(k) for k > 63
 * raises OverflowError instead of returning a bigger int.
 *
 * The state is one per process, as the random module's hidden instance
 * is. It is not locked: like CPython (which has the GIL) it relies on
 * the threading model to serialise calls; a race can garble the sequence
 * but never indexes outside the state.
 *
 * Nothing here collects (choice_str excepted: it may allocate the
 * one-character result), and the errors are raised without collecting.
 */
#include "runtime/rt_internal.h"

#include <math.h>
#include <stdio.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

typedef unsigned __int128 u128;
typedef __int128 i128;

#define MT_N 624
#define MT_M 397
#define MT_MATRIX_A 0x9908b0dfu
#define MT_UPPER_MASK 0x80000000u
#define MT_LOWER_MASK 0x7fffffffu

static struct {
    uint32_t mt[MT_N];
    uint32_t index;    /* next word of mt to output; MT_N: twist first; above: never seeded */
    bool has_gauss_next;
    double gauss_next; /* gauss()'s cached second value */
} rng = {.index = MT_N + 1};

/* ---- MT19937 ---- */

static void init_genrand(uint32_t s)
{
    rng.mt[0] = s;
    for (uint32_t i = 1; i < MT_N; i++)
        rng.mt[i] = 1812433253u * (rng.mt[i - 1] ^ (rng.mt[i - 1] >> 30)) + i;
    rng.index = MT_N;
}

static void init_by_array(const uint32_t *key, size_t len)
{
    uint32_t *mt = rng.mt;
    init_genrand(19650218u);
    size_t i = 1, j = 0;
    for (size_t k = MT_N > len ? MT_N : len; k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525u)) + key[j] + (uint32_t)j;
        i++;
        j++;
        if (i >= MT_N) {
            mt[0] = mt[MT_N - 1];
            i = 1;
        }
        if (j >= len)
            j = 0;
    }
    for (size_t k = MT_N - 1; k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941u)) - (uint32_t)i;
        i++;
        if (i >= MT_N) {
            mt[0] = mt[MT_N - 1];
            i = 1;
        }
    }
    mt[0] = 0x80000000u; /* the top bit set: the state is never all zero */
}

static void seed_from_system(void)
{
    uint32_t key[MT_N];
    size_t got = 0;
    while (got < sizeof key) {
        ssize_t n = getrandom((char *)key + got, sizeof key - got, GRND_NONBLOCK);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    if (got == sizeof key) {
        init_by_array(key, MT_N);
        return;
    }
    /* no entropy: CPython's fallback, the clocks and the pid */
    struct timespec now, mono;
    clock_gettime(CLOCK_REALTIME, &now);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    uint64_t t = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
    uint64_t m = (uint64_t)mono.tv_sec * 1000000000u + (uint64_t)mono.tv_nsec;
    uint32_t k5[5] = {(uint32_t)t, (uint32_t)(t >> 32), (uint32_t)getpid(), (uint32_t)m, (uint32_t)(m >> 32)};
    init_by_array(k5, 5);
}

static void twist(void)
{
    static const uint32_t mag01[2] = {0, MT_MATRIX_A};
    uint32_t *mt = rng.mt, y;
    int k;
    for (k = 0; k < MT_N - MT_M; k++) {
        y = (mt[k] & MT_UPPER_MASK) | (mt[k + 1] & MT_LOWER_MASK);
        mt[k] = mt[k + MT_M] ^ (y >> 1) ^ mag01[y & 1];
    }
    for (; k < MT_N - 1; k++) {
        y = (mt[k] & MT_UPPER_MASK) | (mt[k + 1] & MT_LOWER_MASK);
        mt[k] = mt[k + (MT_M - MT_N)] ^ (y >> 1) ^ mag01[y & 1];
    }
    y = (mt[MT_N - 1] & MT_UPPER_MASK) | (mt[0] & MT_LOWER_MASK);
    mt[MT_N - 1] = mt[MT_M - 1] ^ (y >> 1) ^ mag01[y & 1];
}

/* The next 32-bit output (genrand_uint32). */
static uint32_t next32(void)
{
    uint32_t i = rng.index;
    if (i >= MT_N) {
        if (i > MT_N)
            seed_from_system();
        twist();
        i = 0;
    }
    rng.index = i + 1;
    uint32_t y = rng.mt[i];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

/* getrandbits(k) for 0 <= k <= 128 */
static u128 getrandbits_wide(int k)
{
    if (k == 0)
        return 0;
    if (k <= 32)
        return next32() >> (32 - k);
    u128 r = 0;
    for (int shift = 0; k > 0; k -= 32, shift += 32) {
        uint32_t w = next32();
        if (k < 32)
            w >>= 32 - k;
        r |= (u128)w << shift;
    }
    return r;
}

static int bit_length(u128 n)
{
    int k = 0;
    while (n) {
        k++;
        n >>= 1;
    }
    return k;
}

/* random.Random._randbelow_with_getrandbits, n > 0 */
static u128 randbelow(u128 n)
{
    int k = bit_length(n);
    u128 r = getrandbits_wide(k);
    while (r >= n)
        r = getrandbits_wide(k);
    return r;
}

/* ---- seeding ---- */

static void seed_u64(uint64_t n)
{
    uint32_t key[2] = {(uint32_t)n, (uint32_t)(n >> 32)};
    init_by_array(key, key[1] ? 2 : 1);
    rng.has_gauss_next = false;
}

void rpy_random_seed(rpy_int n) { seed_u64(n < 0 ? -(uint64_t)n : (uint64_t)n); }

void rpy_random_seed_float(rpy_float x) { seed_u64((uint64_t)rpy_float_hash(x)); }

void rpy_random_seed_none(void)
{
    seed_from_system();
    rng.has_gauss_next = false;
}

/* ---- draws ---- */

rpy_float rpy_random_random(void)
{
    uint32_t a = next32() >> 5; /* 27 bits, then 26: in this order */
    uint32_t b = next32() >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

rpy_int rpy_random_getrandbits(rpy_int k)
{
    if (k < 0) {
        rpy_raise_builtin_c(RPY_EXC_ValueError, "number of bits must be non-negative");
        return 0;
    }
    if (k > 63) {
        rpy_raise_builtin_c(RPY_EXC_OverflowError,
                            "getrandbits(k) needs k <= 63: the result must fit in 64 bits");
        return 0;
    }
    return (rpy_int)getrandbits_wide((int)k);
}

/* Writes v in decimal (v may need more than 64 bits). */
static void put_i128(char *buf, size_t size, i128 v)
{
    char tmp[48];
    int n = 0;
    u128 m = v < 0 ? -(u128)v : (u128)v;
    do {
        tmp[n++] = (char)('0' + (int)(m % 10));
        m /= 10;
    } while (m);
    size_t o = 0;
    if (v < 0 && o + 1 < size)
        buf[o++] = '-';
    while (n > 0 && o + 1 < size)
        buf[o++] = tmp[--n];
    buf[o] = 0;
}

/* Python's floor division, for b != 0 */
static i128 floordiv_i128(i128 a, i128 b)
{
    i128 q = a / b;
    if (a % b != 0 && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static rpy_int empty_range(i128 start, i128 stop, i128 width)
{
    char a[48], b[48], c[48], msg[200];
    put_i128(a, sizeof a, start);
    put_i128(b, sizeof b, stop);
    put_i128(c, sizeof c, width);
    snprintf(msg, sizeof msg, "empty range for randrange() (%s, %s, %s)", a, b, c);
    rpy_raise_builtin_c(RPY_EXC_ValueError, msg);
    return 0;
}

static rpy_int value_error(const char *msg)
{
    rpy_raise_builtin_c(RPY_EXC_ValueError, msg);
    return 0;
}

/* random.Random.randrange with stop given; stop may be 2**63 (randint). */
static rpy_int randrange3(i128 start, i128 stop, i128 step)
{
    i128 width = stop - start;
    if (step == 1) {
        if (width > 0)
            return (rpy_int)(start + (i128)randbelow((u128)width));
        return empty_range(start, stop, width);
    }
    i128 n;
    if (step > 0)
        n = floordiv_i128(width + step - 1, step);
    else if (step < 0)
        n = floordiv_i128(width + step + 1, step);
    else
        return value_error("zero step for randrange()");
    if (n <= 0)
        return value_error("empty range for randrange()");
    return (rpy_int)(start + step * (i128)randbelow((u128)n));
}

rpy_int rpy_random_randrange(rpy_int start, rpy_int stop, rpy_bool has_stop, rpy_int step)
{
    if (has_stop)
        return randrange3(start, stop, step);
    /* randrange(stop): start holds the stop */
    if (step != 1) {
        rpy_raise_builtin_c(RPY_EXC_TypeError, "Missing a non-None stop argument");
        return 0;
    }
    if (start > 0)
        return (rpy_int)randbelow((u128)start);
    return value_error("empty range for randrange()");
}

rpy_int rpy_random_randint(rpy_int a, rpy_int b) { return randrange3(a, (i128)b + 1, 1); }

rpy_word rpy_random_choice(const struct rpy_list *l)
{
    if (l->length == 0) {
        rpy_raise_builtin_c(RPY_EXC_IndexError, "Cannot choose from an empty sequence");
        return 0;
    }
    return l->items->items[randbelow((u128)l->length)];
}

struct rpy_str *rpy_random_choice_str(const struct rpy_str *s)
{
    if (s->length == 0) {
        rpy_raise_builtin_c(RPY_EXC_IndexError, "Cannot choose from an empty sequence");
        return rt_str_empty();
    }
    return rpy_str_getitem(s, (rpy_int)randbelow((u128)s->length));
}

/* The words move within one array and nothing here can collect, so one
 * barrier covers every store (the items of a GC type are pointers the
 * array already held). */
void rpy_random_shuffle(struct rpy_list *l)
{
    struct rpy_array *a = l->items;
    rpy_gc_wb(a);
    for (rpy_int i = l->length - 1; i > 0; i--) {
        rpy_int j = (rpy_int)randbelow((u128)i + 1);
        rpy_word t = a->items[i];
        a->items[i] = a->items[j];
        a->items[j] = t;
    }
}

rpy_float rpy_random_uniform(rpy_float a, rpy_float b) { return a + (b - a) * rpy_random_random(); }

rpy_float rpy_random_gauss(rpy_float mu, rpy_float sigma)
{
    double z;
    if (rng.has_gauss_next) {
        z = rng.gauss_next;
        rng.has_gauss_next = false;
    } else {
        double x2pi = rpy_random_random() * (2.0 * M_PI);
        double g2rad = sqrt(-2.0 * log(1.0 - rpy_random_random()));
        z = cos(x2pi) * g2rad;
        rng.gauss_next = sin(x2pi) * g2rad;
        rng.has_gauss_next = true;
    }
    return mu + z * sigma;
}
