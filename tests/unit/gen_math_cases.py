#!/usr/bin/env python3
"""Generate the case table of tests/unit/test_rt_mathmod.c.

    python3 tests/unit/gen_math_cases.py OUT.inc

The Makefile runs this when it builds the test (into the build folder,
never committed), so every expected result is CPython's own, computed at
test time on the same machine and C library: for each case the function
is called here and its result (the bits of a float, an int, a bool, a
tuple) or its exception's type and message go into a C table. Run it with
CPython 3.11, the reference.

The inputs: special values (zeros, infinities, NaN, subnormals, the
largest floats, the edges of overflow and of the integer tables) for
every float function, crossed with each other for the two-argument ones;
pseudo-random doubles from a fixed seed at every magnitude; thousands of
random pairs and triples for hypot and dist (their result is CPython's
own algorithm, not the C library's); classic hard cases and random
cancelling lists for fsum; 64-bit edge cases for the int functions.

Where RPy deviates on purpose (an int result beyond 64 bits raises
OverflowError), the generator writes the deviation as expected, with the
message the runtime documents.
"""
import math
import random
import struct
import sys

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def word(v):
    """The 64-bit word of an argument: a float's bits or an int's two's complement."""
    if isinstance(v, float):
        return bits(v)
    return v & 0xFFFFFFFFFFFFFFFF


# ---- the functions: name -> (signature, how CPython computes it) ----
# Signatures: result ':' arguments, with f float, i int, b bool, t the
# tuple of modf/frexp, s a sequence (list or tuple of numbers).

F1 = ("sqrt cbrt exp exp2 expm1 log log2 log10 log1p fabs sin cos tan asin acos atan sinh cosh tanh "
      "asinh acosh atanh radians degrees gamma lgamma erf erfc ulp").split()
F2 = "pow fmod remainder copysign atan2 hypot nextafter".split()
FUNCS = {name: ("f:f", getattr(math, name)) for name in F1}
FUNCS.update({name: ("f:ff", getattr(math, name)) for name in F2})
FUNCS.update({
    "log_base": ("f:ff", lambda x, b: math.log(x, b)),
    "floor": ("i:f", math.floor),
    "ceil": ("i:f", math.ceil),
    "trunc": ("i:f", math.trunc),
    "isnan": ("b:f", math.isnan),
    "isinf": ("b:f", math.isinf),
    "isfinite": ("b:f", math.isfinite),
    "isclose": ("b:ffff", lambda a, b, r, t: math.isclose(a, b, rel_tol=r, abs_tol=t)),
    "ldexp": ("f:fi", math.ldexp),
    "modf": ("t:f", math.modf),
    "frexp": ("t:f", math.frexp),
    "gcd": ("i:ii", math.gcd),
    "lcm": ("i:ii", math.lcm),
    "factorial": ("i:i", lambda n: bounded(math.factorial, n, n, n)),
    "isqrt": ("i:i", math.isqrt),
    "comb": ("i:ii", lambda n, k: bounded(math.comb, n, k, min(k, n - k))),
    "perm": ("i:ii", lambda n, k: bounded(math.perm, n, k, k)),
    "fsum": ("f:s", math.fsum),
    "dist": ("f:ss", math.dist),
    "prod_int": ("i:si", lambda s, start: math.prod(s, start=start)),
    "prod_float": ("f:sf", lambda s, start: math.prod(s, start=start)),
})

class TooBig(Exception):
    """A result far past 64 bits, not worth computing: factorial(2**62)."""


def bounded(fn, n, k, size):
    """fn(*args) when its size (the number of factors: k! <= result) is
    small; otherwise the result is known to be past 64 bits (21! already
    is, and C(n, k) >= C(68, 34) > 2**63 when min(k, n - k) >= 34) once
    CPython's argument checks pass."""
    if n >= 0 and k >= 0 and k <= n and size > 100:
        raise TooBig
    return fn(n) if fn is math.factorial else fn(n, k)


# RPy's messages for int results past 64 bits.
INT_OVERFLOW = {
    "floor": "int too large to fit in 64 bits",
    "ceil": "int too large to fit in 64 bits",
    "trunc": "int too large to fit in 64 bits",
    "prod_int": "integer multiplication overflow",
}


def overflow_message(name):
    return INT_OVERFLOW.get(name, f"{name}() result does not fit in 64 bits")


# ---- inputs ----

INF, NAN = math.inf, math.nan
SPECIAL = [0.0, -0.0, INF, -INF, NAN, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0, 10.0, 0.1, -0.1,
           1e-300, -1e-300, 5e-324, -5e-324, 2.2250738585072014e-308, 1e-310,
           1.7976931348623157e308, -1.7976931348623157e308, 1e300, -1e300, 1e22,
           700.0, 709.78, 709.79, 710.0, -708.0, -745.1, -746.0, 1023.0, 1024.0, -1074.0, -1075.0,
           1e16, 2.0**52 + 0.5, 2.0**53, 2.0**62, 2.0**63, -(2.0**63), 2.0**64, 9.3e18,
           0.99999, 1.00001, 1 - 2**-53, 1 + 2**-52, math.pi, math.pi / 2, -math.pi / 2, math.e,
           1e-20, -1e-20, 1e-21, 170.0, 171.0, 171.6, 171.7, 200.0, 200.5, -200.5, 0.25, 1.5,
           -1.5, -2.5, -0.9999999, 22.0, 23.0, 24.0, 139.9, 140.1, -140.5, -170.5, -171.5, -1000.5,
           1e-8, 30.0, 27.5, -27.5, 5.0, 4.99999, 5.5246800407767296, 0.7, 1e308, 88.0, 355.0]
# A smaller set to cross with itself for the two-argument functions.
PAIRS = [0.0, -0.0, INF, -INF, NAN, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0, 2.5, -2.5, 0.1,
         1e-300, 5e-324, 1.7976931348623157e308, 1e308, 1024.0, -1075.0, 1e16, math.pi, 7.5, -7.5]


def random_floats(rng, n):
    xs = []
    for _ in range(n // 4):  # everyday values
        xs.append(rng.uniform(-10.0, 10.0))
    for _ in range(n // 4):  # every magnitude, both signs
        xs.append(rng.choice([-1, 1]) * 10.0 ** rng.uniform(-320, 308))
    for _ in range(n // 4):  # raw bit patterns
        x = from_bits(rng.getrandbits(64))
        xs.append(0.0 if math.isnan(x) else x)
    for _ in range(n // 4):  # near the domain edges of asin, acosh, atanh, log1p...
        xs.append(rng.choice([-1.0, 1.0, 0.0]) + rng.uniform(-1e-3, 1e-3))
    return xs


def run(fn, args):
    try:
        return "ok", fn(*args)
    except TooBig:
        return "ok", 2**64
    except (ValueError, OverflowError, ZeroDivisionError) as e:
        return type(e).__name__, str(e)


class Table:
    def __init__(self):
        self.lines = []
        self.seqs = []  # (container, item kind, first word, n)
        self.words = []
        self.names = set()

    def seq(self, container, kind, items):
        first = len(self.words)
        self.words += [word(float(v) if kind == "f" else v) for v in items]
        self.seqs.append((container, kind, first, len(items)))
        return len(self.seqs) - 1

    def add(self, name, args, seq_objs=()):
        """args: the C words' values (ints, floats, or sequence ids); seq_objs:
        the Python sequences standing for the sequence ids, in order."""
        sig, fn = FUNCS[name]
        pyargs = []
        objs = iter(seq_objs)
        for kind, a in zip(sig[2:], args):
            pyargs.append(next(objs) if kind == "s" else a)
        status, r = run(fn, pyargs)
        want, wkind, exc, msg = [0, 0], "f", "-1", ""
        if status != "ok":
            wkind, exc, msg = "e", "RPY_EXC_" + status, r
        elif sig[0] == "f":
            want[0] = bits(r)
        elif sig[0] == "b":
            wkind, want[0] = "b", int(r)
        elif sig[0] == "i":
            wkind = "i"
            if not INT64_MIN <= r <= INT64_MAX or (name == "prod_int" and prod_overflows(pyargs)):
                wkind, exc, msg = "e", "RPY_EXC_OverflowError", overflow_message(name)
            else:
                want[0] = word(r)
        else:  # a tuple (float, float) or (float, int)
            wkind, want = "t", [word(r[0]), word(r[1])]
        cargs = ", ".join(f"0x{word(a):016x}ULL" for a in args)
        self.names.add(name)
        self.lines.append(f'    {{"{name}", "{sig}", {{{cargs}}}, \'{wkind}\', '
                          f'{{0x{want[0]:016x}ULL, 0x{want[1]:016x}ULL}}, {exc}, {c_string(msg)}}},')


def prod_overflows(args):
    seq, r = args
    for v in seq:
        r *= v
        if not INT64_MIN <= r <= INT64_MAX:
            return True
    return False


def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---- the cases ----

def float_cases(t, rng):
    for name, (sig, _) in FUNCS.items():
        if sig in ("f:f", "i:f", "b:f", "t:f"):
            for x in SPECIAL + random_floats(rng, 240):
                t.add(name, [x])
        elif sig == "f:ff":
            for x in PAIRS:
                for y in PAIRS:
                    t.add(name, [x, y])
            for x, y in zip(random_floats(rng, 200), random_floats(rng, 200)):
                t.add(name, [x, y])
            for _ in range(100):
                t.add(name, [rng.uniform(-5, 5), rng.uniform(-5, 5)])
    for _ in range(4000):  # hypot is CPython's algorithm: many chances to differ
        scale = 10.0 ** rng.randint(-310, 300)
        t.add("hypot", [rng.random() * scale, rng.random() * scale * rng.choice([1, 1e-3, 1e-9])])
    for _ in range(300):
        t.add("pow", [rng.uniform(0, 10), rng.uniform(-50, 50)])
        t.add("pow", [-rng.randint(1, 9) * 1.0, rng.choice([rng.uniform(-5, 5), float(rng.randint(-9, 9))])])
    for x in PAIRS + random_floats(rng, 40):
        for i in (0, 1, -1, 4, 10, 1023, 1024, -1022, -1074, -1075, 2000, -2000, 2**31, -(2**31) - 1,
                  INT64_MAX, INT64_MIN):
            t.add("ldexp", [x, i])
    tols = [(1e-9, 0.0), (0.01, 0.0), (0.0, 0.0), (1e-9, 1e-3), (0.0, INF), (-1.0, 0.0), (0.0, -1e-9)]
    for a in PAIRS:
        for b in [a, 1.0, 1.001, INF, -INF, NAN, 0.0, 1e-300]:
            for r, at in tols:
                t.add("isclose", [a, b, r, at])
    for _ in range(200):
        a = rng.uniform(-100, 100)
        t.add("isclose", [a, a * (1 + rng.choice([1e-10, 1e-9, 2e-9, 1e-8])), 1e-9, 0.0])


INTS = [0, 1, 2, 3, 5, 6, 12, 20, 21, 30, 33, 34, 35, 60, 61, 62, 63, 64, 66, 67, 68, 100, 1000,
        2**31, 2**32, 2**32 + 1, 3037000499, 3037000500, 2**62, INT64_MAX - 1, INT64_MAX,
        -1, -2, -20, -(2**62), INT64_MIN + 1, INT64_MIN]


def int_cases(t, rng):
    for n in INTS + [rng.randint(0, 10**6) for _ in range(30)] + [rng.randint(0, INT64_MAX) for _ in range(60)]:
        t.add("factorial", [n])
        t.add("isqrt", [n])
        s = math.isqrt(n) if n >= 0 else 0
        for m in (s * s - 1, s * s, s * s + 1, (s + 1) ** 2 - 1):
            if 0 <= m <= INT64_MAX:
                t.add("isqrt", [m])
    small = [0, 1, 2, 3, 5, 10, 20, 30, 33, 34, 35, 60, 62, 63, 66, 67, 68, 100, 1000, 10**6,
             2**32, INT64_MAX, -1, INT64_MIN]
    for n in small:
        for k in small + [n - 1, n - 2, n // 2, n // 2 + 1]:
            if INT64_MIN <= k <= INT64_MAX:
                t.add("comb", [n, k])
                t.add("perm", [n, k])
    for a in INTS:
        for b in INTS:
            t.add("gcd", [a, b])
            t.add("lcm", [a, b])
    for _ in range(200):
        a, b = rng.randint(-10**9, 10**9), rng.randint(-10**9, 10**9)
        g = rng.randint(1, 1000)
        t.add("gcd", [a * g, b * g])
        t.add("lcm", [a, b])
        t.add("comb", [rng.randint(0, 70), rng.randint(0, 70)])
        t.add("perm", [rng.randint(0, 30), rng.randint(0, 30)])


FSUM_LISTS = [
    [], [0.0], [-0.0], [1e-16, 1.0, 1e16], [1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50],
    [2.0**53, -0.5, -(2.0**-54)], [2.0**53, 1.0, 2.0**-100], [2.0**53 - 1.0, 0.5, 2.0**-54],
    [1e308, 1e308, -1e308], [1.7976931348623157e308, 1e292], [INF, -INF], [INF, INF], [-INF, 1.0],
    [NAN, 1.0], [NAN, INF], [INF, NAN, -INF], [1e308, 1e308, INF], [INF, 1e308, 1e308],
    [0.1] * 10, [1.0, -1.0] * 50, [1e-300] * 7 + [-1e-300] * 3, [5e-324, 5e-324, -5e-324],
    [2.0**1023, 2.0**1023, -(2.0**1023)], [1.0, 2.0**-53, 2.0**-106], [1.0, -(2.0**-53), -(2.0**-106)],
    [3.0, 2.0**-52, 2.0**-104], [0.3, -0.1, -0.2],
]


def seq_cases(t, rng):
    lists = [list(x) for x in FSUM_LISTS]
    for _ in range(400):
        n = rng.randint(0, 40)
        xs = [rng.choice([-1, 1]) * rng.random() * 10.0 ** rng.randint(-30, 30) for _ in range(n)]
        if xs and rng.random() < 0.5:
            xs += [-x for x in rng.sample(xs, len(xs) // 2)]  # heavy cancellation
            rng.shuffle(xs)
        lists.append(xs)
    for _ in range(100):  # long sums of everyday values
        lists.append([rng.uniform(-1000, 1000) for _ in range(rng.randint(50, 300))])
    for xs in lists:
        t.add("fsum", [t.seq("l", "f", xs)], [xs])
    for xs in ([], [1, 2, 3], [2**53 + 1, 1, -(2**53)], [INT64_MAX, INT64_MAX, INT64_MIN], [10**18] * 10):
        t.add("fsum", [t.seq("l", "i", xs)], [xs])
    for xs in ([1.5, 2.25], [1e308, 1e308], [0.1, 0.2], [INF, -INF], [NAN, 1.0]):
        t.add("fsum", [t.seq("t", "f", xs)], [tuple(xs)])
    for n in (2, 3, 5, 17, 40):
        for _ in range(150):
            scale = 10.0 ** rng.randint(-300, 300)
            p = [rng.uniform(-1, 1) * scale for _ in range(n)]
            q = [rng.uniform(-1, 1) * scale for _ in range(n)]
            t.add("dist", [t.seq("l", "f", p), t.seq("l", "f", q)], [p, q])
    for p, q in (([], []), ([1.0], [1.0, 2.0]), ([INF, 0.0], [NAN, 0.0]), ([NAN, 0.0], [1.0, 0.0]),
                 ([5e-324, 5e-324], [0.0, 0.0]), ([1e308, -1e308], [-1e308, 1e308]), ([3.0], [-1.0])):
        t.add("dist", [t.seq("l", "f", p), t.seq("l", "f", q)], [p, q])
    for p, q in (([3.0, 4.0], [0.0, 0.0]), ([1.5, 2.5], [-7.0, 11.0])):
        t.add("dist", [t.seq("t", "f", p), t.seq("t", "f", q)], [tuple(p), tuple(q)])
    t.add("dist", [t.seq("l", "i", [1, 2, 3]), t.seq("l", "i", [4, 6, 8])], [[1, 2, 3], [4, 6, 8]])
    int_lists = [[], [1, 2, 3, 4], [2**31, 2**31], [2**31, 2**32], [-(2**62), 2], [-(2**62), -2],
                 [2**62, 4, 0], [INT64_MAX], [3] * 39, [3] * 40, [-1] * 7]
    for xs in int_lists:
        for start in (1, -1, 0, 7, INT64_MAX):
            t.add("prod_int", [t.seq("l", "i", xs), start], [xs])
    for xs in ([], [1.5, 2.0, -3.25], [1e200, 1e200], [1e200, 1e200, 0.0], [INF, 0.0], [0.1] * 30):
        for start in (1.0, -0.0, 3.5, NAN):
            t.add("prod_float", [t.seq("l", "f", xs), start], [xs])
    for xs in ([1, 2, 3], [2**60, 2**60], [7]):
        t.add("prod_float", [t.seq("l", "i", xs), 0.5], [xs])
    t.add("prod_float", [t.seq("t", "f", [1.5, 4.0]), 2.0], [(1.5, 4.0)])


def main():
    assert sys.version_info[:2] == (3, 11), "generate with CPython 3.11"
    out = open(sys.argv[1], "w") if len(sys.argv) > 1 else sys.stdout
    rng = random.Random(20240607)
    t = Table()
    float_cases(t, rng)
    int_cases(t, rng)
    seq_cases(t, rng)
    missing = set(FUNCS) - t.names
    assert not missing, missing
    w = out.write
    w("/* Generated by tests/unit/gen_math_cases.py from CPython's results: do not edit. */\n")
    w("static const struct math_case math_cases[] = {\n")
    w("\n".join(t.lines) + "\n};\n")
    w("static const struct seq_init seq_pool[] = {\n")
    for c, k, first, n in t.seqs:
        w(f"    {{'{c}', '{k}', {first}, {n}}},\n")
    if not t.seqs:
        w("    {0},\n")
    w("};\n")
    w("static const unsigned long long seq_words[] = {\n")
    for i in range(0, len(t.words), 4):
        w("    " + " ".join(f"0x{v:016x}ULL," for v in t.words[i:i + 4]) + "\n")
    w("    0};\n")
    w("static const char *const math_names[] = {\n")
    for name in sorted(FUNCS):
        w(f'    "{name}",\n')
    w("};\n")


main()
