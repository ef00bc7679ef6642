#!/usr/bin/env python3
"""Mutation fuzzer for the RPy compiler's front and middle stages.

    python3 tools/fuzz.py --rpy build-asan/rpy --count N [--seed S] [--jobs 2]
                          [--keep DIR] [--timeout SECS] [--case I]

Seeds are every .py under ../shared/conformance (the checkout's sibling
shared folder) and tests/programs. Case I is made from seed file and
mutations drawn from random.Random("S:I"), so any case can be rebuilt alone
(--case I) whatever --jobs is. Each mutant (1-3 mutations of one seed file,
written as NAME.py into a scratch folder beside copies of its program's
other modules) goes through `RPY flowgraph NAME.py --stage final`, which
runs every stage before the C compiler, under ASan/UBSan options.

Verdicts:
  accepted          exit status 0
  rejected cleanly  exit status 1 and a `file:line:col: error: ` line on stderr
  crash             death by a signal, exit status other than 0 and 1, or a
                    sanitizer report / "internal error" on stderr
  bad rejection     exit status 1 without a `file:line:col: error: ` line
  timeout           no answer within --timeout seconds (default 20)
Failures are kept under --keep DIR (default build/fuzz-failures): the mutant,
its stderr and a note saying how it was made. The last line printed is
"N passed, N failed" (passed = accepted + rejected cleanly); exit status 1
if anything failed.
"""
import argparse, concurrent.futures, keyword, os, random, re, shutil, signal, subprocess, sys, tempfile, threading

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
ERROR_LINE = re.compile(rb"^[^:\n]+:\d+:\d+: error: ", re.M)
CRASH_MARKERS = [b"AddressSanitizer", b"UndefinedBehaviorSanitizer", b"runtime error:", b"internal error",
                 b"LeakSanitizer"]
TOKEN = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*|\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|\*\*=?|//=?|>>=?|<<=?|"
                   rb"[-+*/%&|^=<>!]=|->|:=|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|[^\sA-Za-z0-9_]")
IDENT = re.compile(rb"\b[A-Za-z_][A-Za-z0-9_]*\b")
NUMBER = re.compile(rb"\b\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?\b")
INTERESTING = [b"(", b")", b"[", b"]", b":", b",", b'"', b"'", b"\\", b"\t", b"\n", b"#", b"{", b"}", b"=",
               b"*", b"\x00", b".", b"@", b";", b"$", b"?", b"`", b"\r", b"\x0c"] + [bytes([c]) for c in (0x80, 0xc3,
               0xe2, 0xef, 0xf0, 0xff, 0xa0, 0xbf, 0xfe)]
OPERATORS = [b"+", b"-", b"*", b"/", b"//", b"%", b"**", b"<<", b">>", b"&", b"|", b"^", b"~", b"<", b">", b"<=",
             b">=", b"==", b"!=", b"=", b"+=", b"-=", b"->", b":=", b"...", b"lambda:", b"not", b"is not", b"not in",
             b"*args", b"**kw", b"@", b"yield", b"await", b"async"]
HUGE_NUMBERS = [b"99999999999999999999", b"0x", b"9223372036854775807", b"9223372036854775808",
                b"-9223372036854775809", b"1e999", b"1e-999", b"0b", b"0o8", b"1_", b"1__0", b"00", b"07", b"1.",
                b".5e", b"1j", b"0xffffffffffffffffff", b"1" * 400, b"0.1" + b"0" * 300 + b"1"]


# ------------------------------------------------------------------ mutations

def lines_of(data):
    return data.splitlines(keepends=True) or [b""]


def m_delete_line(rng, data):
    ls = lines_of(data)
    del ls[rng.randrange(len(ls))]
    return b"".join(ls)


def m_delete_char(rng, data):
    if not data:
        return data
    i = rng.randrange(len(data))
    return data[:i] + data[i + 1:]


def m_delete_token(rng, data):
    toks = list(TOKEN.finditer(data))
    if not toks:
        return data
    t = rng.choice(toks)
    return data[:t.start()] + data[t.end():]


def m_duplicate_line(rng, data):
    ls = lines_of(data)
    i = rng.randrange(len(ls))
    ls.insert(rng.randrange(len(ls) + 1), ls[i] if ls[i].endswith(b"\n") else ls[i] + b"\n")
    return b"".join(ls)


def m_swap_lines(rng, data):
    ls = lines_of(data)
    i, j = rng.randrange(len(ls)), rng.randrange(len(ls))
    ls[i], ls[j] = ls[j], ls[i]
    return b"".join(l if l.endswith(b"\n") else l + b"\n" for l in ls)


def m_insert_char(rng, data):
    i = rng.randrange(len(data) + 1)
    return data[:i] + rng.choice(INTERESTING) + data[i:]


def m_insert_keyword(rng, data):
    word = rng.choice([w.encode() for w in keyword.kwlist] + OPERATORS)
    starts = [t.start() for t in TOKEN.finditer(data)] or [0]
    i = rng.choice(starts)
    return data[:i] + word + rng.choice([b" ", b"", b"\n"]) + data[i:]


def m_indent(rng, data):
    ls = lines_of(data)
    i = rng.randrange(len(ls))
    body = ls[i].lstrip(b" \t")
    indent = len(ls[i]) - len(body)
    ls[i] = rng.choice([b" " * (indent + rng.choice([1, 2, 4, 8])), b" " * max(0, indent - rng.choice([1, 4])),
                        b"\t" + b" " * indent, b"", b" " * indent + b"\t"]) + body
    return b"".join(ls)


def m_truncate(rng, data):
    return data[:rng.randrange(len(data) + 1)]


def m_replace_ident(rng, data):
    ids = list(IDENT.finditer(data))
    if not ids:
        return data
    t = rng.choice(ids)
    names = sorted(set(m.group() for m in ids)) + [b"None", b"True", b"self", b"print", b"len", b"__init__",
                                                   b"undefined_name", b"x" * 300]
    return data[:t.start()] + rng.choice(names) + data[t.end():]


def m_replace_number(rng, data):
    nums = list(NUMBER.finditer(data))
    if not nums:
        return m_insert_keyword(rng, data)
    t = rng.choice(nums)
    return data[:t.start()] + rng.choice(HUGE_NUMBERS) + data[t.end():]


MUTATIONS = [m_delete_line, m_delete_char, m_delete_token, m_duplicate_line, m_swap_lines, m_insert_char,
             m_insert_char, m_insert_keyword, m_indent, m_truncate, m_replace_ident, m_replace_number,
             m_replace_number]


def make_case(seeds, seed, index):
    """Deterministic (source path, mutant bytes, names of mutations) for case index."""
    rng = random.Random("%s:%d" % (seed, index))
    src = rng.choice(seeds)
    data = open(src, "rb").read()
    applied = []
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        m = rng.choice(MUTATIONS)
        data = m(rng, data)
        applied.append(m.__name__[2:])
    return src, data, applied


# ------------------------------------------------------------------ running

def find_seeds():
    seeds = []
    for top in (os.path.join(SHARED, "conformance"), os.path.join(ROOT, "tests", "programs")):
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
            seeds += [os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".py")]
    return seeds


def is_program_dir(d):
    """A multi-file program (difftest's rule): its modules go with the mutant."""
    return os.path.isfile(os.path.join(d, "main.py")) or os.path.basename(os.path.dirname(d)) == "modules"


def run_case(cfg, index):
    src, data, applied = make_case(cfg.seeds, cfg.seed, index)
    work = tempfile.mkdtemp(prefix="rpy-fuzz-")
    try:
        name = os.path.basename(src)
        entry = name
        srcdir = os.path.dirname(src)
        if is_program_dir(srcdir):
            for f in os.listdir(srcdir):
                if f.endswith(".py") and f != name:
                    shutil.copy(os.path.join(srcdir, f), work)
            if os.path.exists(os.path.join(srcdir, "main.py")):
                entry = "main.py"
        with open(os.path.join(work, name), "wb") as f:
            f.write(data)
        env = dict(os.environ, TMPDIR=work, ASAN_OPTIONS="detect_leaks=0:abort_on_error=1",
                   UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
        p = subprocess.Popen([cfg.rpy, "flowgraph", entry, "--stage", "final"], cwd=work, env=env,
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             start_new_session=True)
        try:
            _, err = p.communicate(timeout=cfg.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            _, err = p.communicate()
            return index, src, data, applied, "timeout", b"(no answer in %g s)\n" % cfg.timeout + err
        rc = p.returncode
        if rc < 0:
            verdict = "crash (signal %d)" % -rc
        elif rc not in (0, 1):
            verdict = "crash (exit status %d)" % rc
        elif any(m in err for m in CRASH_MARKERS):
            verdict = "crash (sanitizer or internal error report)"
        elif rc == 1 and not ERROR_LINE.search(err):
            verdict = "bad rejection (exit 1 without file:line:col: error:)"
        else:
            verdict = "accepted" if rc == 0 else "rejected"
        return index, src, data, applied, verdict, err
    finally:
        shutil.rmtree(work, ignore_errors=True)


def keep_failure(cfg, index, src, data, applied, verdict, err):
    base = os.path.join(cfg.keep, "case%06d-%s" % (index, os.path.basename(src)[:-3]))
    os.makedirs(cfg.keep, exist_ok=True)
    with open(base + ".py", "wb") as f:
        f.write(data)
    with open(base + ".stderr", "wb") as f:
        f.write(err)
    with open(base + ".txt", "w") as f:
        f.write("verdict: %s\nseed file: %s\nmutations: %s\nrebuild: python3 tools/fuzz.py --rpy %s --seed %s "
                "--case %d\n" % (verdict, src, ", ".join(applied), cfg.rpy, cfg.seed, index))
    return base + ".py"


def main():
    ap = argparse.ArgumentParser(description="Mutation fuzzer for the rpy compiler (all stages before cc).")
    ap.add_argument("--rpy", default=os.path.join(ROOT, "build-asan", "rpy"))
    ap.add_argument("--count", type=int, default=1000, help="number of mutants (default 1000)")
    ap.add_argument("--seed", default="1", help="random seed (default 1)")
    ap.add_argument("--jobs", "-j", type=int, default=2)
    ap.add_argument("--keep", default=os.path.join(ROOT, "build", "fuzz-failures"),
                    help="where failing mutants are kept (default build/fuzz-failures)")
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per case (default 20)")
    ap.add_argument("--case", type=int, help="run only case I (reproduce a failure)")
    cfg = ap.parse_args()
    if cfg.jobs < 1 or cfg.count < 0:
        ap.error("--jobs must be >= 1 and --count >= 0")
    if not (os.path.isfile(cfg.rpy) and os.access(cfg.rpy, os.X_OK)):
        print("fuzz: compiler not found or not executable: %s" % cfg.rpy)
        return 2
    cfg.rpy = os.path.abspath(cfg.rpy)
    cfg.keep = os.path.abspath(cfg.keep)
    if not os.path.isdir(SHARED):
        print("fuzz: warning: shared folder %s is missing; using tests/programs only" % SHARED)
    cfg.seeds = find_seeds()
    if not cfg.seeds:
        print("fuzz: no seed programs found (../shared/conformance, tests/programs)")
        print("0 passed, 1 failed")
        return 1
    indices = [cfg.case] if cfg.case is not None else list(range(cfg.count))
    print("fuzz: %d cases from %d seed files, seed %s, %d jobs, %s" % (len(indices), len(cfg.seeds), cfg.seed,
                                                                      cfg.jobs, cfg.rpy))
    sys.stdout.flush()
    counts = {"accepted": 0, "rejected": 0}
    failures = []
    done = 0
    lock = threading.Lock()
    with concurrent.futures.ThreadPoolExecutor(max_workers=cfg.jobs) as pool:
        try:
            for index, src, data, applied, verdict, err in pool.map(lambda i: run_case(cfg, i), indices):
                with lock:
                    done += 1
                    if verdict in counts:
                        counts[verdict] += 1
                    else:
                        kept = keep_failure(cfg, index, src, data, applied, verdict, err)
                        failures.append((index, src, applied, verdict, err, kept))
                    if done % 500 == 0:
                        print("fuzz: %d/%d done, %d failures" % (done, len(indices), len(failures)))
                        sys.stdout.flush()
        except KeyboardInterrupt:
            pool.shutdown(wait=False, cancel_futures=True)
            print("interrupted")
            return 130
    print("fuzz: %d accepted, %d rejected cleanly, %d failures" % (counts["accepted"], counts["rejected"],
                                                                    len(failures)))
    for index, src, applied, verdict, err, kept in failures[:50]:
        print("FAIL case %d: %s: %s (from %s; %s)" % (index, verdict, kept, os.path.relpath(src, ROOT),
                                                      ", ".join(applied)))
        for line in err.decode(errors="replace").splitlines()[:5]:
            print("    " + line[:200])
    if len(failures) > 50:
        print("... and %d more failures under %s" % (len(failures) - 50, cfg.keep))
    print("%d passed, %d failed" % (counts["accepted"] + counts["rejected"], len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
