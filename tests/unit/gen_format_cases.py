#!/usr/bin/env python3
"""Generate the case tables of tests/unit/test_rt_format.c.

    python3 tests/unit/gen_format_cases.py OUT.inc

The Makefile runs this when it builds the test (build folder, never
committed), so the expected texts are CPython's own, computed at test
time: the generator formats every case with this interpreter and writes
the result, or the exception's type and message, into a C table. Run it
with CPython 3.11, the reference.

Three tables:
  spec_cases    format(value, spec): ints (0, signs, powers of ten,
                INT64_MIN/MAX, code points), floats (zeros, inf, nan,
                subnormals, huge, values at rounding boundaries), bools
                and strs (non-ASCII too), each crossed with fixed specs
                that cover every field of the grammar and its errors, plus
                random specs from a fixed seed;
  pct_cases     fmt % args (tuple and single operands);
  sfmt_cases    fmt.format(*args).
Arguments of the last two are typed words: kinds i (int), f (float),
b (bool), s (str), N (None in a str slot), n (None), l (list[int], the
ints 0..i-1), d (dict[str, int], k0: 0 ...), p (Point(i, y)) and e (Bad,
whose __str__ raises); the tuple type of each argument list is one of
the signatures emitted as sig_ti.
"""
import math
import random
import string
import struct
import sys


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __str__(self):
        return f"P({self.x}, {self.y})"

    def __repr__(self):
        return f"Point({self.x}, {self.y})"


class Bad:
    def __str__(self):
        raise ValueError("bad str")

    def __repr__(self):
        return "Bad()"


EXCEPTIONS = {"ValueError", "TypeError", "OverflowError", "IndexError", "KeyError"}

# ---- C literals ----


def c_bytes(b):
    """A C string literal of the bytes b (octal escapes: no hex run-on, no trigraphs)."""
    out = ['"']
    for ch in b:
        c = chr(ch)
        if 32 <= ch < 127 and c not in '"\\?':
            out.append(c)
        else:
            out.append("\\%03o" % ch)
    out.append('"')
    return "".join(out)


def c_str(s):
    return "S(" + c_bytes(s.encode("utf-8")) + ")"


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def outcome(fn):
    """('', text) or (exception name, message); None to skip the case."""
    try:
        r = fn()
    except Exception as e:  # noqa: BLE001 - any Python error is an expected outcome
        name = type(e).__name__
        if name not in EXCEPTIONS:
            return None
        return (name, str(e))
    try:
        r.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: not representable in RPy's UTF-8 strs
        return None
    return ("", r)


def c_outcome(oc):
    exc, text = oc
    return ("RPY_EXC_" + exc if exc else "-1") + ", " + c_str(text)


# ---- format(value, spec) ----

INT64_MIN, INT64_MAX = -2**63, 2**63 - 1

INTS = [0, 1, -1, 7, -7, 42, -42, 65, 233, 255, -255, 1000, -1000, 4096, 65535, 123456789,
        -123456789, 987654321012, 2**31 - 1, 2**31, -2**31, 2**32, 2**53 + 1, 0x10FFFF, 0x110000,
        0x1F600, 9999, 99999, 100000, INT64_MAX, INT64_MIN, INT64_MIN + 1]
INTS += [10**k for k in range(19)] + [-10**k for k in (1, 6, 18)]

FLOATS = [0.0, -0.0, math.inf, -math.inf, math.nan, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, 3.5, 0.125,
          0.375, 2.675, 1.005, 0.05, 0.005, 0.015, 0.025, 0.045, 9.995, 99.5, 999999.5, 1234.5,
          123456.789, -123456.789, 1e16, 1e15, 1e17, 9999999999999998.0, 1e-4, 1e-5, 0.0001234,
          1.5e-7, 5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
          -1.7976931348623157e308, 1e100, 1e-100, 1e22, 1e21, 1e23, math.pi, -math.e, 0.1, 0.2,
          0.3, 1 / 3, 2 / 3, 100.0, 12345678.9, 2.0**53, 2.0**63, 2.0**64, 1e300, 0.999999,
          0.9999995, 9.5, 0.95, 1234567.0, -0.001, -1e-300, 42.0, 1e-7, 123.0, 12.0, 0.000999]

BOOLS = [True, False]

STRS = ["", "a", "abc", "hello world", "é", "naïve café", "日本語", "😀x", "tab\tnl\n",
        "x" * 30, "a\0b", "'quoted\"", "Ünïcödé ✓"]

COMMON_SPECS = ["", " ", "+", "-", "<", ">", "^", "=", "0", "1", "5", "12", "<8", ">8", "^8", "^9",
                "=8", "*<8", "*>8", "*^9", "*=9", "0<8", "0>8", "0^8", "0=8", "é^9", "€>7", "😀<6",
                "\0>5", "x", "xx", "<<<", "{^5", "}>5", ".", ".f", ",_", "_,", ",,", "z", "#", "=s",
                "99999999999999999999", ".99999999999999999999", "1200", "^1025", "\x01", "é", "٣",
                "q", "s", "5s", "r", "+s", " s", "#s", "zs", ",s", "_s", ".3s", ">10.2s", "=10s",
                "010", "0=10", "08s", ">8s", "^10s", "<.1s", ".0s", ".0", ".2147483648", ".100",
                "-5", "z5", "+z", "#5", "08", ",", "_", "10,", "10_", "+,", "n", ",n", "_n", "c",
                ",c", "\u0665\u0660"]

INT_SPECS = ["d", "+d", " d", "-d", "5d", "05d", "+05d", " 05d", "=+8d", "x=+8d", "<+8d", "^+9d",
             ",d", "_d", "15,d", "015,d", "05,", "06,", "04,", "08,", "09_", "0=9,", "b", "#b",
             "08b", "#010b", "_b", "#_b", "#016_b", "o", "#o", "_o", "#_o", "x", "#x", "X", "#X",
             "_x", "#_x", "#_X", "#010_x", "04_x", "+#x", " #o", "#x<12", "#X^14", "#,x", ",b",
             "c", ">5c", "^5c", "=5c", "05c", "+c", "#c", "zd", "z.2d", ".2", ".2d", ".0d",
             "n", "5n", "#n", "e", ".0e", ".3e", "#.0e", "E", "f", ".0f", ".2f", "#.0f", ",.2f",
             "_.1f", "F", "g", ".0g", ".3g", "#g", "#.3g", "G", "%", ".1%", "#.0%", ",%", "+.3e",
             "020.3f", "+020,.2f", ".2147483648f", "z.1f", ",e", "_g", "s", "q", "%x"]

FLOAT_SPECS = ["e", "E", ".0e", ".1e", ".3e", ".10e", ".16e", ".17e", ".20e", "#.0e", "+e",
               " e", "+.2E", "f", "F", ".0f", ".1f", ".2f", ".3f", ".5f", ".10f", ".17f", ".20f",
               "#.0f", "#f", "+f", " .2f", "z.1f", "z.0f", "z.3e", "zg", "z", "+z.2f", "g", "G",
               ".0g", ".1g", ".2g", ".3g", ".6g", ".10g", ".15g", ".16g", ".17g", ".20g", "#g",
               "#.0g", "#.3g", "#G", "#.10g", "%", ".0%", ".1%", "#.0%", ",%", "_%", ".0", ".1",
               ".2", ".3", ".10", ".16", ".17", ".20", "#.3", "#.0", "#", ",", "_", ",.2f",
               "_.3f", "15,.2f", "015,.2f", "015_.2f", "+015,.2f", "=+15.3f", "x=+15.3f",
               "<15.3e", "^15.3g", ">15", "015", "020,", "+020_", "n", ".3n", "10n", ",g",
               ",.3e", ",.0f", "d", "c", "b", "x", "s", "%d", ",n", ".2147483648", ".2147483648f",
               ".300f", ".1075e", ".50g", ".40f", "#.30g", "1050.3f", "^1100,.1f", "-.4g"]

BOOL_SPECS = ["d", "5", ">5", "s", "x", "#b", "c", "f", "%", ",", "05", "n", "z", ".2", "g",
              "e", "+", "^7", "=+5", "#x"]


def rand_spec(rng, kind):
    spec = ""
    r = rng.random()
    if r < 0.55:
        align = rng.choice("<>^=")
        if rng.random() < 0.5:
            align = rng.choice(["*", "0", " ", "é", "€", "_", "😀", "x", ",", "#"]) + align
        spec += align
    spec += rng.choice(["", "", "", "+", "-", " "])
    if rng.random() < 0.08:
        spec += "z"
    if rng.random() < 0.2:
        spec += "#"
    if rng.random() < 0.2:
        spec += "0"
    spec += rng.choice(["", "", "1", "3", "7", "12", "25"])
    spec += rng.choice(["", "", "", ",", "_"])
    if kind == "i":
        types = ["", "d", "b", "o", "x", "X", "c", "n", "e", "E", "f", "F", "g", "G", "%"]
    elif kind == "f":
        types = ["", "", "e", "E", "f", "F", "g", "G", "n", "%"]
    else:
        types = ["", "", "s"]
    t = rng.choice(types + ["s", "d", "q"] if rng.random() < 0.05 else types)
    precs = ["", "", ".0", ".1", ".2", ".3", ".5", ".10", ".17", ".25"]
    if kind == "i" and t not in "eEfFgG%":
        precs = ["", "", "", "", "", "", "", "", ".2"]
    spec += rng.choice(precs)
    return spec + t


def spec_cases(rng):
    cases = []

    def add(kind, value, spec):
        oc = outcome(lambda: format(value, spec))
        if oc is not None:
            cases.append((kind, value, spec, oc))

    huge = ("1200", "^1025", "1050.3f", "^1100,.1f", ".300f", ".1075e")
    for v in INTS:
        for spec in COMMON_SPECS + INT_SPECS:
            if spec in huge and v not in (0, -1, INT64_MIN, 255):
                continue
            add("i", v, spec)
        for _ in range(12):
            add("i", v, rand_spec(rng, "i"))
    for v in FLOATS:
        for spec in COMMON_SPECS + FLOAT_SPECS:
            if spec in huge and not (v in (0.0, 1.5, 5e-324, 1e300, 0.1) or math.isinf(v)):
                continue
            add("f", v, spec)
        for _ in range(12):
            add("f", v, rand_spec(rng, "f"))
    # random values: ints of all sizes; doubles from raw bits, of everyday
    # magnitudes, and short decimals; exact binary ties (k/8, k/64, n + 0.5)
    # whose rounding is half-even at the digit asked for
    for _ in range(30):
        v = rng.randint(INT64_MIN, INT64_MAX) >> rng.randint(0, 62)
        for _ in range(8):
            add("i", v, rand_spec(rng, "i"))
    floats = []
    for _ in range(60):
        x = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
        floats.append(x if not math.isnan(x) else 1.25)
    floats += [rng.uniform(-1e6, 1e6) * 10.0 ** rng.randint(-8, 8) for _ in range(60)]
    floats += [float(f"{rng.randint(1, 10**rng.randint(1, 15))}e{rng.randint(-25, 25)}") for _ in range(60)]
    for v in floats:
        for _ in range(8):
            add("f", v, rand_spec(rng, "f"))
        for t in "efg%":
            add("f", v, f".{rng.randint(0, 20)}{t}")
    ties = [k / 8 for k in range(1, 40, 2)] + [k / 64 for k in range(1, 64, 6)] + [n + 0.5 for n in range(-6, 12)]
    ties += [2.0**-k for k in (10, 20, 30)] + [1e23, 5e22, 0.5e-10]
    for v in ties:
        for p in range(0, 8):
            for t in "efg":
                add("f", v, f".{p}{t}")
        add("f", v, "")
        add("f", v, ".0%")
    for v in BOOLS:
        for spec in COMMON_SPECS + BOOL_SPECS:
            add("b", v, spec)
    for v in STRS:
        for spec in COMMON_SPECS:
            add("s", v, spec)
        for _ in range(10):
            add("s", v, rand_spec(rng, "s"))
    return cases


def c_spec_case(kind, value, spec, oc):
    i, f, s = "0", "0", "S(\"\")"
    if kind in "ib":
        i = "INT64_MIN" if value == INT64_MIN else f"{int(value)}LL"
    elif kind == "f":
        f = f"0x{bits(value):016x}ULL"
    else:
        s = c_str(value)
    return f"    {{'{kind}', {i}, {f}, {s}, {c_str(spec)}, {c_outcome(oc)}}},"


# ---- typed arguments for % and str.format ----

SIG_TI = {"i": "&rpy_ti_int", "f": "&rpy_ti_float", "b": "&rpy_ti_bool", "s": "&rpy_ti_str",
          "N": "&rpy_ti_str", "n": "&rpy_ti_none", "l": "&ti_list_int", "d": "&ti_dict_si",
          "p": "&ti_point", "e": "&ti_bad"}


class Arg:
    """A typed argument: kind letter, its Python value, and the C initialiser."""

    def __init__(self, kind, i=0, f=0.0, s=""):
        self.kind, self.i, self.f, self.s = kind, i, f, s

    def py(self):
        k = self.kind
        if k == "i":
            return self.i
        if k == "f":
            return self.f
        if k == "b":
            return bool(self.i)
        if k == "s":
            return self.s
        if k in "Nn":
            return None
        if k == "l":
            return list(range(self.i))
        if k == "d":
            return {f"k{j}": j for j in range(self.i)}
        if k == "p":
            return Point(self.i, int(self.f))
        return Bad()

    def c(self):
        i = "INT64_MIN" if self.i == INT64_MIN else f"{self.i}LL"
        return f"{{'{self.kind}', {i}, 0x{bits(self.f):016x}ULL, {c_str(self.s)}}}"


def A(v):
    """The Arg for a Python value of a simple kind."""
    if isinstance(v, Arg):
        return v
    if isinstance(v, bool):
        return Arg("b", int(v))
    if isinstance(v, int):
        return Arg("i", v)
    if isinstance(v, float):
        return Arg("f", f=v)
    if isinstance(v, str):
        return Arg("s", s=v)
    if v is None:
        return Arg("n")
    raise TypeError(v)


class Tables:
    def __init__(self):
        self.sigs = {}
        self.arg_lines = []
        self.nargs = 0

    def sig(self, args):
        key = "".join(a.kind for a in args)
        if key not in self.sigs:
            self.sigs[key] = len(self.sigs)
        return self.sigs[key]

    def args(self, args):
        first = self.nargs
        for a in args:
            self.arg_lines.append("    " + a.c() + ",")
        self.nargs += len(args)
        return first


def pct_cases(rng):
    """(fmt, [Arg], single) triples; single: the operand is args[0] itself."""
    out = []
    ints = [0, 7, -7, 42, 255, -255, 65, 233, 123456789, INT64_MAX, INT64_MIN, 0x10FFFF, 0x110000]
    floats = [0.0, -0.0, 1.5, -2.25, 2.675, 0.125, 1e16, 1e-5, 123456.789, math.inf, -math.inf,
              math.nan, 1e30, -1e300, 3.9, -3.9, 0.5, 2.5, 5e-324]
    others = [True, False, "abc", "é", "", "😀", None, Arg("N"), Arg("l", 3), Arg("l", 0), Arg("d", 2),
              Arg("p", 3, 4.0), Arg("e")]
    values = ints + floats + others
    convs = "diouxXeEfFgGcrsa"
    flagsets = ["", "-", "+", " ", "#", "0", "-0", "+0", " 0", "#0", "-#", "+#0", "- ", "0-+ #"]
    widths = ["", "1", "5", "12", "*"]
    precs = ["", ".0", ".1", ".3", ".12", ".*", "."]
    for conv in convs:
        for v in values:
            for _ in range(3):
                flags, width, prec = rng.choice(flagsets), rng.choice(widths), rng.choice(precs)
                if prec == "." and rng.random() < 0.7:
                    prec = ".2"
                fmt = "%" + flags + width + prec + conv
                args = []
                if width == "*":
                    args.append(A(rng.choice([0, 3, 8, -8, 15])))
                if prec == ".*":
                    args.append(A(rng.choice([0, 2, 5, -3])))
                args.append(A(v))
                out.append(("[" + fmt + "]", args, False))
    for conv in "dxfsrc":
        for v in [5, -5, 1.5, "z", 233]:
            out.append(("%" + conv, [A(v)], True))
    fixed = [
        ("%5%", []), ("% %", []), ("%-5%|", []), ("%", []), ("abc%", [1]), ("%5", [1]), ("%.", [1]),
        ("%q", []), ("%q", [5]), ("ab%qd", [5]), ("%d %q", [1, 2]), ("%é", [1]), ("%\x01", [1]),
        ("%\x7f", [1]), ("%€", [1]), ("%5%", [1]), ("%.%", [1]), ("%%", [1]), ("%s%%", [1]),
        ("%s %s", [1]), ("%s", [1, 2]), ("%*d", ["a", 1]), ("%.*d", [1.5, 1]), ("%*d", [-5, 1]),
        ("%.*f", [-3, 1.5]), ("%*.*s|", [-6, 2, "abcdef"]), ("%0*.*f", [10, 3, 3.14159]),
        ("%ld", [5]), ("%lld", [5]), ("%hd|%Lf", [5, 1.5]), ("%(a)s", [1]), ("%s %", [1]),
        ("%.2147483648f", [1.0]), ("%99999999999999999999d", [1]), ("%.*d", [2**31, 1]),
        ("%*d", [True, 7]), ("%z", []), ("%c", ["ab"]), ("%c", [-1]), ("%c", [1.5]),
        ("%x", [1.5]), ("%o", [3.0]), ("%d", ["12"]), ("%f", ["a"]), ("%e", [None]),
        ("%d", [None]), ("%c", [None]), ("%c", [Arg("N")]), ("%d", [Arg("p", 1, 2.0)]),
        ("%s", [Arg("e")]), ("%r", [Arg("e")]), ("%a", [Arg("p", 1, 2.0)]), ("%f", [Arg("l", 2)]),
        ("x=%d, y=%.2f, s=%r, t=%s", [3, 2.5, "q'\"", Arg("p", 5, 6.0)]),
        ("%s|%5s|%-5s|%.1s", ["é", "日本", "€", "😀x"]), ("%c%c%c", [233, "x", 0x1F600]),
        ("%#x %#X %#o %x", [255, 255, 8, -255]), ("%+.3e %+.3E % .2f", [12345.678, -0.001, 2.5]),
        ("%s and %s", [Arg("l", 2), Arg("d", 1)]), ("no conversions", []), ("", []),
        ("%s", [Arg("N")]), ("%r %a", ["日本", "日本"]), ("%-08.3f|", [-3.14159]),
        ("%08.3e|%-+8d|", [12.5, 42]), ("%#.0f %#.0e %#g", [2.0, 2.0, 1.5]),
        ("%.0g %g %G", [123.0, 1e16, 1e-10]), ("%u %i", [-3, 3.9]), ("%.50f", [0.1]),
        ("%.300f", [1e300]), ("%1200d|", [5]), ("%-1100s|", ["x"]), ("%.1000e", [5e-324]),
    ]
    for fmt, args in fixed:
        out.append((fmt, [A(a) for a in args], False))
    singles = [("%s", [1, 2]), ("hello", 5), ("hello", "abc"), ("hello", Arg("l", 0)),
               ("hello", Arg("d", 0)), ("hello", Arg("d", 1)), ("hello", Arg("l", 1)),
               ("%s", Arg("l", 2)), ("%s", Arg("d", 2)), ("%d", True), ("%s %s", 1),
               ("%(a)s", Arg("d", 1)), ("%(a)s", 5), ("%s", Arg("N")), ("%s", None), ("%r", "é"),
               ("%s", Arg("p", 7, 8.0)), ("%s", Arg("e")), ("%%", 5), ("%%", Arg("l", 0)),
               ("%5.1f%%", 99.44)]
    for fmt, a in singles:
        if isinstance(a, list):
            continue
        out.append((fmt, [A(a)], True))
    return out


def uses_field_lookup(fmt):
    """Whether a str.format field looks up an attribute or an item ({0.x},
    {0[1]}), which RPy does not support (test_rt_format.c checks its error
    by hand). A format string the parser rejects is kept: its error is
    the expected outcome."""
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return False
    for _, name, spec, _ in fields:
        if name is not None and ("." in name or "[" in name):
            return True
        if spec and uses_field_lookup(spec):
            return True
    return False


def pct_value(fmt, args, single):
    if single:
        return lambda: fmt % args[0].py()
    return lambda: fmt % tuple(a.py() for a in args)


def sfmt_cases(rng):
    out = []
    fixed = [
        ("{", [1]), ("}", [1]), ("a{{b}}c", []), ("{0}{}", [1, 2]), ("{}{0}", [1, 2]), ("{1}", [1]),
        ("{}{}", [1]), ("{0!x}", [1]), ("{0!}", [1]), ("{!r:}", ["a"]), ("{!rr}", [1]),
        ("{0:{1}}", [5, 3]), ("{:{}}", [5, 3]), ("{:{}{}}", [5, ">", 4]), ("{:{:{}}}", [1, 2, 3]),
        ("{0.x}", [1]), ("{0[0]}", [Arg("l", 1)]), ("{a}", [1]), ("{ 0}", [1]), ("{0 }", [1]),
        ("{-1}", [1]), ("{00}", [1]), ("{99999999999999999999}", [1]), ("{:}", [1]), ("{!a}", ["é"]),
        ("{!s:>5}", [1.5]), ("{:d}", ["a"]), ("{:x}", [Arg("l", 1)]), ("{}", [Arg("l", 2)]),
        ("{:}", [Arg("l", 1)]), ("{:5}", [None]), ("{:5}", [Arg("N")]), ("{0:}}", [1]),
        ("{0:{{}}}", [1]), ("{0}}", [1]), ("{{{0}}}", [1]), ("{0!r", [1]), ("{0:", [1]), ("{0", [1]),
        ("{!}", [1]), ("{:{}}", [5]), ("{0:{a}}", [5]), ("{[}", [1]), ("{0[}", [1]), ("{0]}", [1]),
        ("{:%}", [True]), ("{:,}", [True]), ("{!r}", [True]), ("{:c}", [233]), ("{0!é}", [1]),
        ("{0:{1}}", [5, 1.5]), ("{0:{1}}", [5, "é"]), ("{0!r:{1}}", ["a", 5]), ("{:{}}", ["a", True]),
        ("{}", []), ("{}x{", [1]), ("x}y", []), ("{:>{}}", [1, "é"]), ("{{}", []), ("{{}}", []),
        ("}}{{", []), ("{0!s!r}", [1]), ("{0:!r}", [1]), ("{:=5}", ["a"]), ("{0.}", [1]),
        ("{.x}", [1]), ("{[0]}", [Arg("l", 1)]), ("{name}", [1]), ("{é}", [1]), ("{٣}", [1, 2, 3, 4]),
        ("{0}{1}{0}", ["a", "b"]), ("{!s}", [Arg("e")]), ("{!r}", [Arg("e")]), ("{}", [Arg("e")]),
        ("{}", [Arg("p", 1, 2.0)]), ("{!r:>20}", [Arg("p", 1, 2.0)]), ("{:>20}", [Arg("p", 1, 2.0)]),
        ("{!a}", [Arg("p", 3, 4.0)]), ("{}", [Arg("d", 2)]), ("{!r}", [Arg("d", 1)]),
        ("{}|{!r}|{!s}|{!a}", ["日本", "日本", "日本", "日本😀"]), ("{:*^{}}", ["mid", 11]),
        ("{0:{1}.{2}f}", [3.14159, 10, 3]), ("{:{}{}{}}", [42, "+", "0", 8]),
        ("{0:{0}}", [5]), ("{:{}}{}", [1, 2, 3]), ("{:{}}{}", [1, 2]), ("{}{:{}}", [1, 2, 3]),
        ("{:1200}|", [7]), ("{:.300f}", [1e300]), ("{:,}", [INT64_MIN]), ("{:_b}", [INT64_MAX]),
        ("{!r:^9}", [None]), ("{!s:^9}", [Arg("N")]), ("{0!r:}", [Arg("l", 2)]), ("{!x:}", [1]),
        ("{0!\x01}", [1]), ("{0!\x7f}", [1]), ("{:{}}", [1.5, ".3"]), ("{:{}}", [1.5, Arg("l", 1)]),
        ("{:{}}", [1.5, Arg("p", 1, 1.0)]), ("{{{}}}", [1.5]), ("{:s}", [Arg("N")]),
        ("tail {", []), ("{:}x{:}", ["", ""]),
    ]
    for fmt, args in fixed:
        out.append((fmt, [A(a) for a in args]))
    # fields with specs from the format-spec pools, by argument type
    pools = [("i", INT_SPECS, [0, 42, -7, 255, 123456789, INT64_MIN]),
             ("f", FLOAT_SPECS[:90], [0.0, -0.0, 1.5, 2.675, 1e16, math.inf, math.nan, 123456.789]),
             ("s", COMMON_SPECS[:60], ["", "abc", "é日本"]), ("b", BOOL_SPECS, [True, False])]
    for kind, specs, vals in pools:
        for _ in range(90):
            spec = rng.choice(specs)
            if "{" in spec or "}" in spec:
                continue
            v = rng.choice(vals)
            conv = rng.choice(["", "", "", "", "!r", "!s", "!a"])
            field = rng.choice(["", "0"])
            if rng.random() < 0.25 and spec:
                out.append(("<{" + field + conv + ":{" + ("1" if field else "") + "}}>", [A(v), A(spec)]))
            else:
                out.append(("<{" + field + conv + (":" + spec if spec or rng.random() < 0.5 else "") + "}>",
                            [A(v)]))
    return out


def main():
    assert sys.version_info[:2] == (3, 11), "generate with CPython 3.11 (the reference)"
    rng = random.Random(20240612)
    tables = Tables()
    lines = ["/* Generated by tests/unit/gen_format_cases.py with CPython %d.%d.%d: do not edit. */"
             % sys.version_info[:3]]

    specs = spec_cases(rng)
    lines.append("static const struct spec_case spec_cases[] = {")
    lines += [c_spec_case(*c) for c in specs]
    lines.append("};")

    pct_lines = []
    for fmt, args, single in pct_cases(rng):
        if single and args[0].kind in "ld" and "%(" in fmt:
            continue  # %(name)s mapping keys: not supported, checked by hand
        oc = outcome(pct_value(fmt, args, single))
        if oc is None:
            continue
        sig = -1 if single else tables.sig(args)
        first = tables.args(args)
        pct_lines.append(f"    {{{c_str(fmt)}, {sig}, {first}, {len(args)}, {c_outcome(oc)}}},")
    sf_lines = []
    for fmt, args in sfmt_cases(rng):
        if uses_field_lookup(fmt):
            continue
        oc = outcome(lambda: fmt.format(*[a.py() for a in args]))
        if oc is None:
            continue
        sig = tables.sig(args)
        first = tables.args(args)
        sf_lines.append(f"    {{{c_str(fmt)}, {sig}, {first}, {len(args)}, {c_outcome(oc)}}},")

    lines.append("static const struct arg_init case_args[] = {")
    lines += tables.arg_lines or ["    {'i', 0, 0, S(\"\")},"]
    lines.append("};")
    lines.append("static const struct call_case pct_cases[] = {")
    lines += pct_lines
    lines.append("};")
    lines.append("static const struct call_case sfmt_cases[] = {")
    lines += sf_lines
    lines.append("};")

    # tuple types of the argument lists: tids TID_SIG + k
    for key, k in tables.sigs.items():
        items = ", ".join(SIG_TI[ch] for ch in key) or "NULL"
        lines.append(f"static const struct rpy_typeinfo *const sig_items_{k}[] = {{{items}}};")
    lines.append("static const struct rpy_typeinfo sig_ti[] = {")
    for key, k in tables.sigs.items():
        lines.append(f"    {{.kind = RPY_K_TUPLE, .tid = TID_SIG + {k}, .nitems = {len(key)}, .name = \"tuple\", "
                     f".items = sig_items_{k}}},")
    lines.append("};")
    lines.append("#define NSIGS %d" % len(tables.sigs))
    lines.append("#define SIG_ENTRIES " + " ".join(f"[TID_SIG + {k}] = &sig_ti[{k}]," for k in tables.sigs.values()))
    text = "\n".join(lines) + "\n"
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w", encoding="ascii") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    print(f"gen_format_cases: {len(specs)} format() cases, {len(pct_lines)} % cases, {len(sf_lines)} "
          f"str.format cases", file=sys.stderr)


main()
