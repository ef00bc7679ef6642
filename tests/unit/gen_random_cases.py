#!/usr/bin/env python3
"""Generate the call table of tests/unit/test_rt_random.c.

    python3 tests/unit/gen_random_cases.py OUT.inc

The Makefile runs this when it builds the test (into the build folder,
never committed): each row is one call of the random module, in order,
with CPython's result (the bits of a float, an int, the chosen item or
character, the permutation a shuffle leaves) or its exception. The C test
makes the same calls in the same order on the runtime's generator, so the
whole stream of Mersenne Twister outputs has to agree, not just the first
numbers. Run it with CPython 3.11, the reference.

The calls: seed(n) for ints (0, 1, 42, 2**32 + 5, negative seeds, which
CPython takes by absolute value, 64-bit extremes) and for floats; then,
for each seed, a long mixed sequence of random, getrandbits of every
width up to 63, randrange with and without steps (negative ones too),
randint over small, large and full 64-bit ranges, choice of lists and of
strs (non-ASCII too), shuffle of lists, uniform and gauss (whose cached
second value must survive other calls and die at seed()); and the error
cases with their messages. The conformance program random_mt.py is one of
the sequences.

RPy deviates in one place: getrandbits(k) for k > 63 raises OverflowError
(the int would not fit in 64 bits) without drawing; the generator writes
that and does not draw either.
"""
import random
import struct
import sys

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def c_string(s):
    out = []
    for b in s.encode():
        c = chr(b)
        out.append(c if 32 <= b < 127 and c not in '"\\?' else f"\\{b:03o}")
    return '"' + "".join(out) + '"'


class Table:
    def __init__(self):
        self.rows = []
        self.pool = []
        self.strs = []

    def ints(self, xs):
        first = len(self.pool)
        self.pool += xs
        return first

    def row(self, op, a=0, b=0, c=0, first=0, n=0, want=0, exc=None, msg=""):
        excs = f"RPY_EXC_{exc}" if exc else "-1"
        a, b, c = (x if isinstance(x, str) else lit(x) for x in (a, b, c))
        self.rows.append(f"    {{'{op}', {a}, {b}, {c}, {first}, {n}, 0x{want & (2**64 - 1):016x}ULL, "
                         f"{excs}, {c_string(msg)}}},")

    def call(self, op, fn, args, encode, **fields):
        """Calls fn(*args) under CPython and records the outcome."""
        try:
            r = fn(*args)
        except (ValueError, TypeError, IndexError) as e:
            self.row(op, exc=type(e).__name__, msg=str(e), **fields)
            return None
        self.row(op, want=encode(r), **fields)
        return r


def lit(v):
    """A C long long literal for v in [-2**63, 2**64) (bit patterns wrap)."""
    if v > INT64_MAX:
        v -= 2**64
    return f"{v}LL" if v != INT64_MIN else "(-9223372036854775807LL - 1)"


def seed(t, s):
    if isinstance(s, float):
        t.row("F", a=bits(s))
    else:
        t.row("S", a=lit(s))
    random.seed(s)


def op_random(t):
    t.call("r", random.random, (), bits)


def op_getrandbits(t, k):
    if k > 63:
        t.row("g", a=k, exc="OverflowError", msg="getrandbits(k) needs k <= 63: the result must fit in 64 bits")
        return
    t.call("g", random.getrandbits, (k,), int, a=k)


def op_randrange(t, start, stop=None, step=1):
    if stop is None:
        t.call("1", lambda: random.randrange(start, step=step) if step != 1 else random.randrange(start), (),
               int, a=lit(start), c=lit(step))
    else:
        t.call("R", random.randrange, (start, stop, step), int, a=lit(start), b=lit(stop), c=lit(step))


def op_randint(t, a, b):
    t.call("i", random.randint, (a, b), int, a=lit(a), b=lit(b))


def op_choice(t, xs):
    t.call("c", random.choice, (xs,), int, first=t.ints(xs), n=len(xs))


def op_choice_str(t, s):
    t.strs.append(s)
    try:
        r = random.choice(s)
    except IndexError as e:
        t.row("C", a=len(t.strs) - 1, exc="IndexError", msg=str(e))
        return
    t.row("C", a=len(t.strs) - 1, msg=r)


def op_shuffle(t, xs, gc_items):
    first = t.ints(list(xs))
    random.shuffle(xs)
    t.row("H" if gc_items else "h", first=first, n=len(xs), want=t.ints(list(xs)))


def op_uniform(t, a, b):
    t.call("u", random.uniform, (a, b), bits, a=bits(a), b=bits(b))


def op_gauss(t, mu, sigma):
    t.call("G", random.gauss, (mu, sigma), bits, a=bits(mu), b=bits(sigma))


STRS = ["abcdefghijklmnopqrstuvwxyz", "héllo wörld ✓ 𝄞", "x", "ACGT", ""]


def mixed_sequence(t, plan, length):
    """`length` calls drawn from `plan` (an RNG of its own, not the one tested)."""
    for _ in range(length):
        kind = plan.randrange(14)
        if kind == 0:
            op_random(t)
        elif kind == 1:
            op_getrandbits(t, plan.choice([0, 1, 2, 7, 8, 31, 32, 33, 52, 53, 63, plan.randint(0, 63)]))
        elif kind == 2:
            op_randrange(t, plan.choice([1, 2, 3, 10, 100, 2**31, 2**32, 2**32 + 1, 2**40, 2**62 + 1, INT64_MAX]))
        elif kind == 3:
            a = plan.randint(-1000, 1000)
            op_randrange(t, a, a + plan.choice([1, 2, 5, 17, 1000, 2**33, 2**50]))
        elif kind == 4:
            a, b = plan.randint(-1000, 1000), plan.randint(-1000, 1000)
            op_randrange(t, a, b, plan.choice([2, 3, 7, -1, -2, -5, 100, -100]))
        elif kind == 5:
            op_randint(t, *plan.choice([(1, 6), (0, 1), (-1000000, 1000000), (0, 99), (5, 5), (1, 2**40),
                                        (INT64_MIN, INT64_MAX), (0, INT64_MAX), (INT64_MIN, -1),
                                        (-(2**62), 2**62)]))
        elif kind == 6:
            op_choice(t, [plan.randint(-99, 99) for _ in range(plan.choice([1, 2, 3, 5, 13, 100]))])
        elif kind == 7:
            op_choice_str(t, plan.choice(STRS[:4]))
        elif kind == 8:
            op_shuffle(t, [plan.randint(0, 999) for _ in range(plan.choice([0, 1, 2, 3, 13, 52, 300]))],
                       plan.random() < 0.3)
        elif kind == 9:
            op_uniform(t, plan.uniform(-10, 10), plan.uniform(-10, 10))
        elif kind in (10, 11):
            op_gauss(t, plan.choice([0.0, 1.0, -3.5, 100.0]), plan.choice([1.0, 0.5, 2.0, 0.0]))
        else:
            op_random(t)


def conformance_program(t):
    """What ../shared/conformance/modules/random_mt.py calls, in order."""
    seed(t, 42)
    for _ in range(5):
        op_random(t)
    for _ in range(20):
        op_randint(t, 1, 6)
    for _ in range(5):
        op_randint(t, -1000000, 1000000)
    for _ in range(10):
        op_randrange(t, 10)
    for _ in range(5):
        op_randrange(t, 0, 100, 5)
    for _ in range(8):
        op_choice(t, [0, 1, 2, 3, 4])  # the five colours, by index
    op_shuffle(t, list(range(1, 14)), False)
    op_shuffle(t, [0, 1, 2, 3, 4], True)
    for _ in range(3):
        op_uniform(t, -1.0, 1.0)
    for _ in range(4):
        op_gauss(t, 0.0, 1.0)
    seed(t, 2024)
    for _ in range(6):
        op_randint(t, 0, 99)
    seed(t, 7)
    for _ in range(2000):  # past several twists of the 624-word state
        op_random(t)
    seed(t, 99)
    for _ in range(600):
        op_randint(t, 1, 6)
    for _ in range(200):
        op_choice(t, [-1, 1])
    for _ in range(3):
        op_randrange(t, 1, 2**40)
    op_random(t)


def error_cases(t):
    seed(t, 5)
    op_getrandbits(t, -1)
    op_getrandbits(t, 64)
    op_getrandbits(t, 200)
    op_randrange(t, 0)
    op_randrange(t, -5)
    op_randrange(t, 10, step=2)
    op_randrange(t, 1, 1)
    op_randrange(t, 5, 1)
    op_randrange(t, 1, 5, 0)
    op_randrange(t, 1, 1, 0)
    op_randrange(t, 5, 1, 2)
    op_randrange(t, 1, 5, -1)
    op_randrange(t, INT64_MAX, INT64_MIN)
    op_randrange(t, INT64_MIN, INT64_MIN)
    op_randint(t, 5, 1)
    op_randint(t, INT64_MAX, INT64_MIN)
    op_choice(t, [])
    op_choice_str(t, "")
    op_random(t)  # the errors drew nothing
    op_randrange(t, INT64_MIN, INT64_MAX)
    op_randrange(t, INT64_MAX, INT64_MIN, -1)
    op_randrange(t, INT64_MIN, INT64_MAX, 2**62)
    op_randrange(t, 0, 2**62, 2**61 + 1)
    op_randint(t, INT64_MAX, INT64_MAX)
    op_randint(t, INT64_MIN, INT64_MIN)


def gauss_cache(t):
    """The second Box-Muller value waits across other calls; seed() drops it."""
    seed(t, 11)
    op_gauss(t, 0.0, 1.0)
    op_random(t)
    op_gauss(t, 5.0, 2.0)  # the cached one
    op_gauss(t, 0.0, 1.0)
    seed(t, 11)
    op_gauss(t, 0.0, 1.0)  # fresh pair again, not the cached second value
    op_gauss(t, 0.0, 1.0)
    seed(t, 12)
    op_gauss(t, 0.0, 1.0)
    seed(t, 12.0)  # a float seed resets it too (and hash(12.0) == 12)
    op_gauss(t, 0.0, 1.0)


SEEDS = [0, 1, 42, 2**32 + 5, -1, -42, 2**32 - 1, 2**32, 2**31, 2**63 - 1, INT64_MIN, INT64_MIN + 1,
         12345678901234, 2024, 7, 99, 1.5, -2.25, 0.0, 1e300, -0.5, 3.141592653589793]


def main():
    assert sys.version_info[:2] == (3, 11), "generate with CPython 3.11"
    out = open(sys.argv[1], "w") if len(sys.argv) > 1 else sys.stdout
    t = Table()
    plan = random.Random(1234567)
    conformance_program(t)
    error_cases(t)
    gauss_cache(t)
    for s in SEEDS:
        seed(t, s)
        mixed_sequence(t, plan, 400)
    w = out.write
    w("/* Generated by tests/unit/gen_random_cases.py from CPython's outputs: do not edit. */\n")
    w("static const struct rand_call rand_calls[] = {\n")
    w("\n".join(t.rows) + "\n};\n")
    w("static const long long rand_pool[] = {\n")
    for i in range(0, len(t.pool), 12):
        w("    " + " ".join(f"{lit(v)}," for v in t.pool[i:i + 12]) + "\n")
    w("    0};\n")
    w("static const char *const rand_strs[] = {\n")
    for s in t.strs:
        w(f"    {c_string(s)},\n")
    w("};\n")


main()
