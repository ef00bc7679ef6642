#!/usr/bin/env python3
"""Generate the float repr table of tests/unit/test_rt_float.c.

    python3 tests/unit/gen_float_cases.py > /tmp/cases.inc

then paste the output between the FLOAT_REPR_CASES markers of
test_rt_float.c. Run it with CPython 3.11: its repr() is the reference.
Each line is {bits of the double, repr(x)}. The cases are edge values
(zeros, subnormals, powers of two and ten, the boundaries of the fixed
and exponent layouts, famous round-trip cases) and pseudo-random doubles
from a fixed seed: raw bit patterns, values of moderate magnitude, and
short decimals.
"""
import math
import random
import struct
import sys


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def edge_cases():
    xs = [0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.1 + 0.2, 1 / 3, 2 / 3, 0.5, 1.5, 2.5,
          9007199254740993.0, 9007199254740992.0, 2.0**53 + 2, 1e22, 1e23, 5e-324,
          -5e-324, 1e-323, 2.2250738585072014e-308, 2.225073858507201e-308,
          1.7976931348623157e308, -1.7976931348623157e308, math.inf, -math.inf,
          math.pi, math.e, 1e16, 1e15, 9999999999999998.0, 1e-4, 1e-5, 0.00012345,
          1.5e-7, 123456789.0, 1234567890123456.7, 12345678901234567.0, 1e100,
          1e-100, 4.35, 0.3, 2.675, 1.1, 100.0, 1e21, 1e-7, 5e-5, 0.0001, 1e17,
          123.456, -123.456, 3.0e-310, 1.0e-320, 4.9406564584124654e-324]
    for e in range(-1074, 1024, 7):
        xs.append(2.0**e)
    for e in range(-30, 31):
        xs.append(10.0**e)
    for e in (-1022, -1000, -60, -1, 0, 1, 52, 53, 54, 60, 100, 1000, 1023):
        p = 2.0**e
        xs += [p, math.nextafter(p, 0), math.nextafter(p, math.inf)]
    return xs


def random_cases(rng):
    xs = []
    for _ in range(200):  # raw bit patterns: all magnitudes, subnormals too
        x = from_bits(rng.getrandbits(64))
        if not math.isnan(x):
            xs.append(x)
    for _ in range(100):  # everyday magnitudes with 17 significant digits
        xs.append(rng.uniform(-1e6, 1e6) * 10.0 ** rng.randint(-8, 8))
    for _ in range(100):  # short decimals: shortest digits well below 17
        digits = rng.randint(1, 15)
        m = rng.randint(1, 10**digits - 1)
        xs.append(float(f"{m}e{rng.randint(-25, 25)}"))
    return xs


def main():
    assert sys.version_info[:2] == (3, 11), "generate with CPython 3.11"
    rng = random.Random(20240611)
    seen = set()
    for x in edge_cases() + random_cases(rng):
        b = bits(x)
        if b in seen:
            continue
        seen.add(b)
        print(f'    {{0x{b:016x}ULL, "{x!r}"}},')
    print(f"    /* {len(seen)} cases */")


main()
