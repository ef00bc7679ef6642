#!/usr/bin/env python3
"""Generate a realistic RPy program of about N lines (translation-speed benchmark).

    python3 bench/translation/gen.py 10000 [--seed 1] [-o prog.py]

The program is a sequence of "units" (about 150-250 lines each), each one
like a small module of an application:

- a class hierarchy: a base class with a class constant, __init__, several
  methods, a nullable link to another instance, a @staticmethod and a
  @classmethod; two subclasses overriding methods (one through super()).
  About a third of the base classes inherit from an earlier unit's base
  class, so some hierarchies span many units (depth up to 4);
- an exception class (some inherit from an earlier unit's);
- sometimes a class with __eq__/__hash__/__lt__/__add__/__repr__ used as a
  dict key and sorted, a context-manager class, a global counter;
- 6 to 9 functions drawn from templates: integer loops with if/elif,
  string processing (split/join/replace/f-strings/%/format), dicts
  (get/setdefault/items/del), lists (comprehensions, sort with key=,
  slices, zip, itertools.combinations/islice/chain), tuples, a function
  specialised for int and float, try/except/finally with built-in and
  user exceptions, recursion, nested lists, per-character scanning,
  instances walked through their links and called through a base-class
  reference, a nested function writing an enclosing variable (nonlocal),
  a lambda reading one, a list of functions and a bound method as values,
  a generator function used by list() and by a generator expression, a
  *args function called with arguments and with a starred slice;
- run<u>(), which calls every function of the unit and a few functions of
  earlier units, folds the results into a checksum and prints it.

main() calls every run<u>() (through group functions of 25 units) and
prints the total, so the whole program is reachable from the entry point.
The output is deterministic and the same under python3 and the compiled
binary. Only features that compile today are used (see RESULTS.md,
"Translation speed", for those avoided).
"""
import argparse
import random
import sys
from string import Template

MOD = 1000003

WORD_POOL = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi "
    "omicron pi rho sigma tau upsilon phi chi psi omega apple banana cherry "
    "date elder fig grape honeydew kiwi lemon mango nectarine olive papaya "
    "quince raspberry strawberry tangerine ugli vanilla watermelon yam zucchini "
    "red green blue cyan magenta yellow black white north south east west "
    "node edge graph tree leaf root branch stem seed"
).split()


def T(text, **kw):
    """Dedent-free template: text uses $name placeholders, lines as written."""
    return Template(text).substitute(**kw)


class Unit:
    def __init__(self, u, rng, prev):
        self.u = u
        self.rng = rng
        self.prev = prev          # earlier Unit objects
        self.lines = []
        # call makers: call(rng, caller_unit) -> statement lines of run<caller>
        # that call a function and fold its result into acc
        self.calls = []           # everything run<u> calls in its own unit
        self.entries = []         # the functions later units may call too
        self.depth = 0            # inheritance depth of Rec<u>
        self.words = "WORDS%d" % u
        self.tmp = 0              # numbering of temporaries in run<u>

    def emit(self, text):
        self.lines.extend(text.rstrip("\n").split("\n"))


def small(rng, lo, hi):
    return rng.randint(lo, hi)


def pick_words(rng, units, own):
    if units and rng.random() < 0.5:
        return rng.choice(units).words
    return own


# ---------------------------------------------------------------- classes

def gen_classes(un):
    u, rng = un.u, un.rng
    parents = [p for p in un.prev[-12:] if p.depth < 4]
    base = None
    if parents and rng.random() < 0.35:
        base = rng.choice(parents)
    scale = small(rng, 2, 9)
    if base is None:
        un.depth = 1
        un.emit(T('''class Rec$u:
    SCALE = $scale

    def __init__(self, name, value):
        self.name = name
        self.value = value
        self.tags = []
        self.next = None

    def weight(self):
        return self.value * Rec$u.SCALE + len(self.name)

    def tag(self, t):
        self.tags.append(t)
        return len(self.tags)

    def describe(self):
        return f"{self.name}={self.weight()}:{len(self.tags)}"

    @staticmethod
    def make(n):
        return Rec$u("s" + str(n), n % $scale)

    @classmethod
    def default(cls):
        return cls("default", $scale)
''', u=u, scale=scale))
    else:
        un.depth = base.depth + 1
        un.emit(T('''class Rec$u(Rec$b):
    SCALE = $scale

    def __init__(self, name, value):
        super().__init__(name, value)
        self.level = value % $scale

    def weight(self):
        return self.value * Rec$u.SCALE + self.level

    def describe(self):
        return "[" + self.name + "]" + str(self.weight())
''', u=u, b=base.u, scale=scale))
    un.emit(T('''

class Rec${u}A(Rec$u):
    def __init__(self, name, value, factor):
        super().__init__(name, value)
        self.factor = factor

    def weight(self):
        return self.value * self.factor - 1


class Rec${u}B(Rec$u):
    def weight(self):
        return super().weight() + $k

    def describe(self):
        return "B:" + self.name + "/" + str(len(self.tags))

''', u=u, k=small(rng, 1, 20)))

    # exception class
    eparents = [p for p in un.prev[-8:]]
    if eparents and rng.random() < 0.3:
        ep = rng.choice(eparents)
        un.emit(T('''
class Err$u(Err$e):
    def __init__(self, code):
        super().__init__(code + $k)
        self.origin = code

''', u=u, e=ep.u, k=small(rng, 1, 9)))
    else:
        un.emit(T('''
class Err$u(Exception):
    def __init__(self, code):
        super().__init__("err$u " + str(code))
        self.code = code

''', u=u))


# ---------------------------------------------------------------- function templates
# Each takes (unit, name) and returns (text, call): the definitions, and a call
# maker (see Unit.calls).

def acc_stmt(expr):
    return ["    acc = (acc * 31 + %s) %% MOD" % expr]


def t_calc(un, name):
    rng = un.rng
    c1 = small(rng, 3, 7)
    text = T('''def $name(n, m):
    total = $c0
    i = 0
    while i < n:
        if i % $c1 == 0:
            total += i * m
        elif i % $c1 == 1:
            total -= m // $c3 + 1
        else:
            total = (total * $c4 + i) % MOD
        i += 1
    for j in range($c5):
        if j > m and j % 2 == 0:
            break
        total ^= (j << 2) & 255
    return total % MOD
''', name=name, c0=small(rng, 0, 99), c1=c1, c3=small(rng, 2, 9), c4=small(rng, 3, 41), c5=small(rng, 4, 30))

    def call(rng, caller):
        return acc_stmt("%s(acc %% %d + 3, acc %% %d)" % (name, small(rng, 5, 40), small(rng, 5, 30)))
    return text, call


def t_text(un, name):
    rng = un.rng
    ch = rng.choice("aeiourst")
    ch2 = rng.choice("XYZ")
    text = T('''def $name(words, sep):
    parts = []
    for w in words:
        if len(w) > $c0:
            parts.append(w.upper())
        elif w.startswith("$ch"):
            parts.append(w.replace("$ch", "$ch2") + str(len(w)))
        else:
            parts.append(w[::-1])
    text = sep.join(parts)
    pieces = text.split(sep)
    head = text[:$c1]
    summary = f"{head}|{len(pieces)}|{text.find('$ch')}"
    label = "%s-%03d" % (head.lower(), len(text) % 1000)
    return summary + label.strip() + "{:>6}".format(pieces[0][:4])
''', name=name, c0=small(rng, 3, 7), ch=ch, ch2=ch2, c1=small(rng, 4, 12))

    def call(rng, caller):
        w = pick_words(rng, caller.prev, caller.words)
        sep = rng.choice([",", ";", " ", "::", "-"])
        if rng.random() < 0.5:
            return acc_stmt('len(%s(%s, "%s"))' % (name, w, sep))
        return acc_stmt('ord(%s(%s, "%s")[0])' % (name, w, sep))
    return text, call


def t_table(un, name):
    rng = un.rng
    text = T('''def $name(keys, limit):
    counts = {}
    firsts = {}
    for pos, k in enumerate(keys):
        counts[k] = counts.get(k, 0) + 1
        if k not in firsts:
            firsts[k] = pos
    groups = {}
    for k, v in counts.items():
        groups.setdefault(v, []).append(k)
    best = ""
    bestv = -1
    for k in sorted(counts.keys()):
        if counts[k] > bestv and len(k) <= limit:
            best = k
            bestv = counts[k]
    if best in firsts:
        del firsts[best]
    return len(groups) * $c0 + bestv + len(firsts) + sum(counts.values())
''', name=name, c0=small(rng, 2, 50))

    def call(rng, caller):
        w1 = pick_words(rng, caller.prev, caller.words)
        w2 = pick_words(rng, caller.prev, caller.words)
        return acc_stmt("%s(%s + %s, acc %% 6 + 2)" % (name, w1, w2))
    return text, call


def t_nums(un, name):
    rng = un.rng
    c4 = small(rng, 2, 5)
    text = T('''def $name(n, seed):
    xs = [(seed * $c0 + j * $c1) % $c2 for j in range(n)]
    evens = [x for x in xs if x % 2 == 0]
    xs.sort()
    ys = sorted(xs, key=lambda v: (v % $c3, -v))
    top = xs[-$c4:] if len(xs) >= $c4 else xs[:]
    while len(top) > 2:
        top.pop()
    total = sum(evens) + max(xs) - min(ys)
    for a, b in zip(xs, ys):
        if a == b:
            total += 1
    if $c5 in xs:
        total += xs.index($c5)
    mid = xs[1:len(xs) // 2]
    total += len(mid) + len(top) + TABLE[n % len(TABLE)]
    for a, b in itertools.islice(itertools.combinations(xs, 2), $c6):
        total += (a * b) % 7
    for v in itertools.chain(evens, mid):
        total += v % 3
    return total
''', name=name, c0=small(rng, 3, 99), c1=small(rng, 3, 99), c2=small(rng, 50, 997),
           c3=small(rng, 2, 9), c4=c4, c5=small(rng, 0, 50), c6=small(rng, 2, 12))

    def call(rng, caller):
        return acc_stmt("%s(acc %% %d + 4, acc %% 100)" % (name, small(rng, 5, 20)))
    return text, call


def t_pair(un, name):
    rng = un.rng
    text = T('''def $name(a, b):
    lo, hi = (a, b) if a <= b else (b, a)
    span = hi - lo
    kind = "wide" if span > $c0 else ("narrow" if span > 0 else "flat")
    pts = [(lo + j, hi - j) for j in range(3)]
    pts.sort(key=lambda p: p[1])
    best = max(pts)
    if 0 <= lo < hi <= $c1:
        kind = kind + "!"
    return lo * $c2 + hi, kind, best[0] + best[1]
''', name=name, c0=small(rng, 5, 40), c1=small(rng, 20, 60), c2=small(rng, 2, 13))

    def call(rng, caller):
        caller.tmp += 1
        t = "t%d" % caller.tmp
        return ["    %s = %s(acc %% %d, acc %% %d)" % (t, name, small(rng, 10, 60), small(rng, 10, 60)),
                "    acc = (acc * 31 + %s[0] + len(%s[1]) * %s[2]) %% MOD" % (t, t, t)]
    return text, call


def t_fscale(un, name):
    rng = un.rng
    text = T('''def $name(a, b):
    r = a * b + a / $c0
    if r > $c1:
        r = r - b
    return r
''', name=name, c0=small(rng, 2, 9), c1=small(rng, 5, 50))

    def call(rng, caller):
        return acc_stmt("int(%s(acc %% 10, %d) * 10) + int(%s(1.5, 0.25 + acc %% 3) * 100)"
                        % (name, small(rng, 1, 9), name))
    return text, call


def t_safe(un, name):
    rng = un.rng
    u = un.u
    chk = name.replace("safe", "check")
    text = T('''def $chk(v):
    if v % $c0 == $c1:
        raise Err$u(v)
    if v < 0:
        raise ValueError("negative " + str(v))
    return v * 2


def $name(xs, n):
    total = 0
    for j in range(n):
        try:
            total += $chk(xs[j % len(xs)] + j)
        except Err$u as e:
            total += e.code % 7
        except ValueError:
            total -= 1
        try:
            total += xs[j * 3]
        except IndexError:
            total += 2
    try:
        total += int("$num") // (n - $c2)
    except ZeroDivisionError:
        total += 5
    finally:
        total += 1
    return total
''', name=name, chk=chk, u=u, c0=small(rng, 3, 7), c1=small(rng, 0, 2), num=small(rng, 10, 999),
           c2=small(rng, 2, 9))

    def call(rng, caller):
        return acc_stmt("%s([acc %% 5, %d, -1, %d], acc %% 8 + 2)" % (name, small(rng, 0, 9), small(rng, 0, 9)))
    return text, call


def t_objs(un, name):
    rng = un.rng
    u = un.u
    text = T('''def $name(n):
    items = []
    for j in range(n):
        if j % 3 == 0:
            items.append(Rec$u("r" + str(j), j))
        elif j % 3 == 1:
            items.append(Rec${u}A("a" + str(j), j, $c0))
        else:
            items.append(Rec${u}B("b" + str(j), j))
    items.append(Rec$u.make(n))
    items.append(Rec$u.default())
    head = None
    for it in items:
        it.next = head
        head = it
        it.tag("t" + str(len(it.name)))
    total = 0
    node = head
    while node is not None:
        total += node.weight()
        node = node.next
    names = [it.describe() for it in items if isinstance(it, Rec${u}A)]
    total += len("".join(names)) + len(items[0].describe())
    return total % MOD
''', name=name, u=u, c0=small(rng, 2, 9))

    def call(rng, caller):
        return acc_stmt("%s(acc %% %d + 2)" % (name, small(rng, 4, 9)))
    return text, call


def t_fmt(un, name):
    rng = un.rng
    text = T('''def $name(x, y):
    ratio = x / (y + 1)
    s1 = f"{x:>6}|{y:<4}|{ratio:.3f}|{x * y:,}"
    s2 = "%d/%d=%.2f" % (x, y, ratio)
    s3 = "{} and {}".format(x, str(y).zfill($c0))
    s4 = repr(s3[:5]) + str(round(ratio, 2))
    return len(s1) + len(s2) * $c1 + len(s3) + len(s4) + ord(s4[1])
''', name=name, c0=small(rng, 2, 6), c1=small(rng, 1, 9))

    def call(rng, caller):
        return acc_stmt("%s(acc %% 1000, acc %% %d)" % (name, small(rng, 5, 30)))
    return text, call


def t_rec(un, name):
    rng = un.rng
    text = T('''def $name(n, acc):
    if n <= 0:
        return acc % MOD
    if n % 2 == 0:
        return $name(n - 1, acc + n * $c0)
    return $name(n // 2, acc * 2 + 1)
''', name=name, c0=small(rng, 2, 30))

    def call(rng, caller):
        return acc_stmt("%s(acc %% %d, 1)" % (name, small(rng, 10, 40)))
    return text, call


def t_grid(un, name):
    rng = un.rng
    text = T('''def $name(w, h):
    g = [[0] * w for _ in range(h)]
    for r in range(h):
        for c in range(w):
            g[r][c] = (r * $c0 + c * $c1) % $c2
    total = 0
    for row in g:
        total += max(row) - min(row)
        row.reverse()
    diag = [g[k][k] for k in range(min(w, h))]
    return total + sum(diag) + len(g[0])
''', name=name, c0=small(rng, 2, 30), c1=small(rng, 2, 30), c2=small(rng, 7, 101))

    def call(rng, caller):
        return acc_stmt("%s(acc %% 4 + 1, acc %% 5 + 1)" % name)
    return text, call


def t_scan(un, name):
    text = T('''def $name(text):
    vowels = 0
    digits = 0
    words = 0
    inword = False
    for ch in text:
        if ch in "aeiou":
            vowels += 1
        elif ch.isdigit():
            digits += 1
        if ch.isspace():
            inword = False
        elif not inword:
            inword = True
            words += 1
    return vowels * 100 + digits * 10 + words
''', name=name)

    def call(rng, caller):
        w = pick_words(rng, caller.prev, caller.words)
        return acc_stmt('%s(" ".join(%s) + str(acc))' % (name, w))
    return text, call


def t_hof(un, name):
    rng = un.rng
    u = un.u
    text = T('''def ${name}_inc(v):
    return v + $c0


def ${name}_mul(v):
    return v * $c1 % 1009


def $name(xs, k):
    count = 0

    def bump(v):
        nonlocal count
        count += 1
        return v * k + count

    steps = [${name}_inc, ${name}_mul]
    if k % 2 == 0:
        steps.append(${name}_inc)
    picked = sorted(xs, key=lambda v: (v * k) % $c2)
    total = 0
    for v in picked:
        for f in steps:
            v = f(v)
        total += bump(v)
    rec = Rec$u("h", k)
    w = rec.weight
    return (total + count + w()) % MOD
''', name=name, u=u, c0=small(rng, 1, 9), c1=small(rng, 2, 31), c2=small(rng, 3, 17))

    def call(rng, caller):
        return acc_stmt("%s([acc %% 7, %d, acc %% 13, %d], acc %% 10 + 1)" % (name, small(rng, 0, 50), small(rng, 0, 50)))
    return text, call


def t_gen(un, name):
    rng = un.rng
    text = T('''def ${name}_items(n, step):
    i = 0
    while i < n:
        if i % $c0 != 1:
            yield i * step
        i += 1


def ${name}_total(*parts):
    t = 0
    for p in parts:
        t += p
    return t


def $name(n, step):
    xs = list(${name}_items(n, step))
    big = sum(x for x in ${name}_items(n, step + 1) if x > $c1)
    best = max(xs) if xs else 0
    hits = sum(1 for x in xs if x % $c2 == 0)
    return ${name}_total(len(xs), big % MOD, best, hits) + ${name}_total(*xs[:3])
''', name=name, c0=small(rng, 2, 5), c1=small(rng, 5, 60), c2=small(rng, 3, 19))

    def call(rng, caller):
        return acc_stmt("%s(acc %% %d + 1, acc %% 7 + 1)" % (name, small(rng, 5, 30)))
    return text, call


TEMPLATES = [
    ("calc", t_calc, 3), ("text", t_text, 3), ("table", t_table, 2), ("nums", t_nums, 2),
    ("pair", t_pair, 2), ("fscale", t_fscale, 1), ("safe", t_safe, 2), ("objs", t_objs, 2),
    ("fmt", t_fmt, 2), ("rec", t_rec, 1), ("grid", t_grid, 1), ("scan", t_scan, 1),
    ("hof", t_hof, 2), ("gen", t_gen, 2),
]


def gen_extras(un):
    """Occasional extra classes: a value class with dunders, a context manager, a global counter."""
    u, rng = un.u, un.rng
    if rng.random() < 0.3:
        un.emit(T('''class Pt$u:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __add__(self, o):
        return Pt$u(self.x + o.x, self.y + o.y)

    def __eq__(self, o):
        return self.x == o.x and self.y == o.y

    def __hash__(self):
        return self.x * 7919 + self.y

    def __lt__(self, o):
        return (self.x, self.y) < (o.x, o.y)

    def __repr__(self):
        return f"Pt$u({self.x}, {self.y})"


def pts$u(n):
    seen = {}
    pts = []
    for j in range(n):
        p = Pt$u(j % $c0, j % $c1) + Pt$u(1, 0)
        seen[p] = seen.get(p, 0) + 1
        pts.append(p)
    pts.sort()
    return len(seen) * 100 + len(repr(pts[0])) + seen[Pt$u(1, 0)]

''', u=u, c0=small(rng, 2, 5), c1=small(rng, 2, 5)))
        un.calls.append(lambda rng, caller, u=u: acc_stmt("pts%d(acc %% 9 + 1)" % u))
    if rng.random() < 0.2:
        un.emit(T('''class Guard$u:
    def __init__(self, label):
        self.label = label
        self.log = []

    def __enter__(self):
        self.log.append("enter " + self.label)
        return self

    def __exit__(self, exc_type, exc, tb):
        self.log.append("exit")
        return False


def guarded$u(n):
    with Guard$u("g$u") as g:
        for j in range(n):
            g.log.append(str(j))
    return len(g.log) + len(g.log[0])

''', u=u))
        un.calls.append(lambda rng, caller, u=u: acc_stmt("guarded%d(acc %% 6)" % u))
    if rng.random() < 0.2:
        un.emit(T('''COUNT$u = 0


def bump$u(k):
    global COUNT$u
    COUNT$u += k
    return COUNT$u

''', u=u))
        un.calls.append(lambda rng, caller, u=u: acc_stmt("bump%d(acc %% 3 + 1)" % u))


def gen_unit(u, rng, prev):
    un = Unit(u, rng, prev)
    un.emit("# ---- unit %d ----" % u)
    words = rng.sample(WORD_POOL, rng.randint(5, 10))
    un.emit("WORDS%d = [%s]" % (u, ", ".join('"%s"' % w for w in words)))
    un.emit("")
    gen_classes(un)
    gen_extras(un)
    kinds = [k for k in TEMPLATES for _ in range(k[2])]
    nfun = rng.randint(6, 9)
    chosen = rng.sample(kinds, nfun)
    if not any(k[0] == "objs" for k in chosen):
        chosen[0] = [k for k in TEMPLATES if k[0] == "objs"][0]
    for i, (kname, tfun, _) in enumerate(chosen):
        name = "%s%d_%d" % (kname, u, i)
        text, call = tfun(un, name)
        un.emit(text)
        un.emit("")
        un.calls.append(call)
        un.entries.append(call)
    # run<u>: everything of this unit, and 2-4 functions of earlier units
    body = []
    for call in un.calls:
        body.extend(call(rng, un))
    if prev:
        for _ in range(rng.randint(2, 4)):
            other = rng.choice(prev[-40:] if rng.random() < 0.7 else prev)
            body.extend(rng.choice(other.entries)(rng, un))
    un.emit("def run%d():" % u)
    un.emit("    acc = %d" % rng.randint(1, 999))
    un.lines.extend(body)
    un.emit('    print("unit %d", acc)' % u)
    un.emit("    return acc")
    un.emit("")
    un.emit("")
    return un


HEADER = '''# Generated by bench/translation/gen.py (seed $seed, about $n lines): a
# translation-speed benchmark for rpy. Valid RPy and plain Python 3.

import itertools

MOD = $mod

TABLE = []
for _i in range(64):
    TABLE.append((_i * 37 + 11) % 101)

'''


def generate(n_lines, seed=1):
    rng = random.Random(seed)
    out = T(HEADER, seed=seed, n=n_lines, mod=MOD).split("\n")
    units = []
    footer_est = 12
    total = len(out)
    while total + footer_est + (len(units) // 25 + 1) * 3 + len(units) < n_lines or not units:
        un = gen_unit(len(units), rng, units)
        units.append(un)
        out.extend(un.lines)
        total += len(un.lines)
    groups = [units[i:i + 25] for i in range(0, len(units), 25)]
    for g, members in enumerate(groups):
        out.append("def group%d():" % g)
        out.append("    total = 0")
        for un in members:
            out.append("    total = (total * 7 + run%d()) %% MOD" % un.u)
        out.append("    return total")
        out.append("")
        out.append("")
    out.append("def main():")
    out.append("    total = 0")
    for g in range(len(groups)):
        out.append("    total = (total * 13 + group%d()) %% MOD" % g)
    out.append('    print("total", total, len(TABLE))')
    out.append("")
    out.append("")
    out.append('if __name__ == "__main__":')
    out.append("    main()")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("lines", type=int, help="about how many lines to generate")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", help="file to write (default: stdout)")
    a = ap.parse_args()
    src = generate(a.lines, a.seed)
    if a.output:
        with open(a.output, "w") as f:
            f.write(src)
    else:
        sys.stdout.write(src)


if __name__ == "__main__":
    main()
