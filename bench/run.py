#!/usr/bin/env python3
"""Benchmark RPy against CPython, PyPy and hand-written C.

    python3 bench/run.py --rpy ./rpy [--only fib,nbody] [--runs N] [--quick]
                         [--markdown FILE] [--strict]

Each benchmark is a folder bench/NAME/ holding NAME.py (the RPy program,
also run by python3 and pypy3), NAME.c (the C reference: gcc -O2, scalar,
single-threaded) and optionally args.txt (command-line arguments for all).

Method (../shared/BENCHMARKING.md): the implementations of one benchmark run
back to back, alternating (A B C D A B C D ...), one warm-up round and then
N timed rounds (default 5); the figure is the median whole-process wall time.
The warm-up round also checks that every implementation prints exactly what
python3 prints: one that differs is reported as MISMATCH and not timed, and
each timed run is checked again. Everything runs with a clean environment
(PATH=/usr/bin:/bin HOME=/tmp LANG=C.UTF-8) and the real interpreter binary
(not a version-manager shim). Peak RSS comes from /usr/bin/time -f '%e %M'.
"""
import argparse, datetime, math, os, platform, shlex, shutil, signal, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLEAN_ENV = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"}
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
RATIO_NOTE = [
    "python3/rpy: CPython time / rpy time (>1: rpy is that many times faster than CPython)",
    "pypy3/rpy:   PyPy time / rpy time (>1: rpy is faster than PyPy; PyPy's time includes its JIT warm-up)",
    "rpy/C:       rpy time / C time (>1: rpy is that many times slower than the gcc -O2 C reference)",
    "llvm/rpy:    rpy --backend=llvm time / rpy (C backend) time (>1: the LLVM backend is slower)",
]


def real_interpreter(name, explicit=None):
    """(path of the real binary, sys.version) of an interpreter, or None."""
    if explicit:
        cand = shutil.which(explicit) or explicit
    elif os.path.exists("/usr/bin/" + name):
        cand = "/usr/bin/" + name
    else:
        cand = shutil.which(name)
    if not cand:
        return None
    try:  # ask it: a shim (pyenv) resolves only with the caller's PATH
        p = subprocess.run([cand, "-c", "import sys; print(sys.executable); print(sys.version)"],
                           capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if p.returncode != 0:
        return None
    exe, version = p.stdout.split("\n", 1)
    exe = os.path.realpath(exe if exe and os.path.isfile(exe) else cand)
    return exe, " ".join(version.split())


class Result:
    def __init__(self, wall, rss_kb, stdout, status):
        self.wall, self.rss_kb, self.stdout, self.status = wall, rss_kb, stdout, status


def run_once(argv, timeout):
    """Run argv once; status is None on a clean exit, else a short reason."""
    with tempfile.NamedTemporaryFile(prefix="rpy-bench-", suffix=".time") as tf:
        full = [GNU_TIME, "-f", "%e %M", "-o", tf.name] + argv if GNU_TIME else argv
        start = time.perf_counter()
        p = subprocess.Popen(full, cwd=ROOT, env=CLEAN_ENV, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, start_new_session=True)
        try:
            stdout, stderr = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)  # time's child too, not only time
            p.communicate()
            return Result(None, None, b"", "TIMEOUT")
        wall = time.perf_counter() - start
        rss = None
        if GNU_TIME:
            lines = open(tf.name).read().split("\n")
            fields = [l for l in lines if l.strip()][-1:]
            if fields and len(fields[0].split()) == 2 and fields[0].split()[1].isdigit():
                rss = int(fields[0].split()[1])
            if "signal" in " ".join(lines):  # GNU time: "Command terminated by signal N"
                return Result(wall, rss, stdout, "FAILED (killed by signal)")
    if p.returncode != 0:
        err = stderr.decode(errors="replace").strip().splitlines()
        if p.returncode < 0:
            return Result(wall, rss, stdout, "FAILED (killed by signal %d)" % -p.returncode)
        return Result(wall, rss, stdout, "FAILED (exit %d%s)" % (p.returncode, ": " + err[-1][:100] if err else ""))
    return Result(wall, rss, stdout, None)


def build(argv, what, timeout=900):
    try:
        p = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        print("  %s: build timed out after %d s" % (what, timeout))
        return False
    except OSError as e:
        print("  %s: cannot run %s: %s" % (what, argv[0], e))
        return False
    if p.returncode != 0:
        print("  %s: build failed (exit %d): %s" % (what, p.returncode, " ".join(map(shlex.quote, argv))))
        for line in (p.stderr + p.stdout).strip().splitlines()[:15]:
            print("    " + line)
        return False
    return True


def bench_one(name, args, interp, rounds_warm, runs):
    """Return {impl: median seconds or status string}, rpy peak RSS in KB."""
    src = "bench/%s/%s.py" % (name, name)
    argsfile = os.path.join(ROOT, "bench", name, "args.txt")
    extra = shlex.split(open(argsfile).read()) if os.path.exists(argsfile) else []
    os.makedirs(os.path.join(ROOT, "build", "bench"), exist_ok=True)
    out = {}
    impls = [("python3", [interp["python3"][0], src] + extra)]
    rpy_bin = "build/bench/%s.rpy" % name
    if build([args.rpy, "build", src, "-O2", "-o", rpy_bin], "rpy"):
        impls.append(("rpy", [os.path.join(ROOT, rpy_bin)] + extra))
    else:
        out["rpy"] = "BUILD FAILED"
    llvm_bin = "build/bench/%s.llvm" % name
    if build([args.rpy, "build", src, "-O2", "--backend=llvm", "-o", llvm_bin], "rpy --backend=llvm"):
        impls.append(("llvm", [os.path.join(ROOT, llvm_bin)] + extra))
    else:
        out["llvm"] = "BUILD FAILED"
    c_bin = "build/bench/%s.c.bin" % name
    if build(["gcc", "-O2", "-o", c_bin, "bench/%s/%s.c" % (name, name), "-lm"], "C"):
        impls.append(("C", [os.path.join(ROOT, c_bin)] + extra))
    else:
        out["C"] = "BUILD FAILED"
    if interp.get("pypy3"):
        impls.append(("pypy3", [interp["pypy3"][0], src] + extra))
    times = {label: [] for label, _ in impls}
    rss = []
    reference = None
    active = list(impls)
    for rnd in range(rounds_warm + runs):
        for label, argv in list(active):
            r = run_once(argv, args.timeout)
            if label == "python3" and reference is None:
                if r.status:
                    print("  python3 (the reference) failed: %s" % r.status)
                    return {"python3": r.status}, None
                reference = r.stdout
            status = r.status or (None if r.stdout == reference else "MISMATCH")
            if status:
                out[label] = status
                active.remove((label, argv))
                print("  %s: %s" % (label, status))
                if status == "MISMATCH":
                    show_mismatch(reference, r.stdout)
                continue
            if rnd >= rounds_warm:
                times[label].append(r.wall)
                if label == "rpy" and r.rss_kb is not None:
                    rss.append(r.rss_kb)
    for label, _ in active:
        out[label] = statistics.median(times[label])
    print("  median of %d: %s" % (runs, "  ".join(
        "%s %s" % (l, fmt_secs(out[l])) for l in ("python3", "rpy", "llvm", "C", "pypy3") if l in out)))
    return out, (max(rss) if rss else None)


def show_mismatch(expected, actual):
    import difflib
    diff = list(difflib.unified_diff(expected.decode(errors="replace").splitlines(),
                                     actual.decode(errors="replace").splitlines(),
                                     "python3", "this implementation", lineterm=""))
    for line in diff[:12]:
        print("    " + line)


def fmt_secs(v):
    return "%.3f s" % v if isinstance(v, float) else v


def ratio(a, b):
    return a / b if isinstance(a, float) and isinstance(b, float) and b > 0 else None


def make_rows(results):
    rows, cols = [], {"python3/rpy": [], "pypy3/rpy": [], "rpy/C": [], "llvm/rpy": []}
    for name, (res, rss) in results:
        rpy = res.get("rpy", "-")
        r = {"python3/rpy": ratio(res.get("python3"), rpy), "pypy3/rpy": ratio(res.get("pypy3"), rpy),
             "rpy/C": ratio(rpy, res.get("C")), "llvm/rpy": ratio(res.get("llvm"), rpy)}
        for k, v in r.items():
            if v is not None:
                cols[k].append(v)
        cell = lambda k: "%.2f" % r[k] if r[k] is not None else "-"
        rows.append([name, fmt_secs(rpy) if rpy != "-" else "-", cell("python3/rpy"), cell("pypy3/rpy"),
                     cell("rpy/C"), "%.1f MB" % (rss / 1024.0) if rss else "-",
                     fmt_secs(res["llvm"]) if "llvm" in res else "-", cell("llvm/rpy")])
    geo = lambda xs: "%.2f" % math.exp(sum(map(math.log, xs)) / len(xs)) if xs else "-"
    if len(results) > 1:
        rows.append(["geomean", "", geo(cols["python3/rpy"]), geo(cols["pypy3/rpy"]), geo(cols["rpy/C"]), "", "",
                     geo(cols["llvm/rpy"])])
    return rows


HEADER = ["benchmark", "rpy median", "python3/rpy", "pypy3/rpy", "rpy/C", "rpy peak RSS", "llvm median", "llvm/rpy"]


def text_table(rows):
    widths = [max(len(str(r[i])) for r in [HEADER] + rows) for i in range(len(HEADER))]
    line = lambda r: "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([line(HEADER), line(["-" * w for w in widths])] + [line(r) for r in rows])


def markdown_table(rows):
    out = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rpy", default=os.path.join(ROOT, "rpy"), help="the compiler (default ./rpy)")
    ap.add_argument("--only", help="comma-separated benchmark names")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per implementation (default 5)")
    ap.add_argument("--quick", action="store_true", help="one run, no warm-up")
    ap.add_argument("--markdown", metavar="FILE", help="also write the table as markdown")
    ap.add_argument("--strict", action="store_true", help="exit 1 if any build, run or output check failed")
    ap.add_argument("--timeout", type=float, default=300, help="per-run limit in seconds (default 300)")
    ap.add_argument("--python", help="CPython to use (default /usr/bin/python3, else python3 on PATH)")
    ap.add_argument("--pypy", help="PyPy to use (default pypy3 if installed)")
    args = ap.parse_args()
    if os.sep in args.rpy or os.path.exists(args.rpy):
        args.rpy = os.path.abspath(args.rpy)
    runs, warm = (1, 0) if args.quick else (args.runs, 1)
    if runs < 1:
        ap.error("--runs must be at least 1")
    bench_dir = os.path.join(ROOT, "bench")
    names = sorted(n for n in os.listdir(bench_dir) if os.path.isfile(os.path.join(bench_dir, n, n + ".py")))
    if args.only:
        wanted = [w.strip() for w in args.only.split(",") if w.strip()]
        unknown = [w for w in wanted if w not in names]
        if unknown:
            ap.error("unknown benchmark(s): %s (have: %s)" % (", ".join(unknown), ", ".join(names)))
        names = [n for n in names if n in wanted]
    if not names:
        print("bench: no benchmarks found under %s" % bench_dir)
        return 1

    interp = {"python3": real_interpreter("python3", args.python), "pypy3": real_interpreter("pypy3", args.pypy)}
    if not interp["python3"]:
        print("bench: no working python3 found")
        return 1
    cc = subprocess.run(["gcc", "-dumpfullversion"], capture_output=True, text=True).stdout.strip()
    info = ["date: %s; machine: %s, %d cores (%s)" % (datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
                                                     platform.machine(), os.cpu_count() or 0, cpu_model()),
            "method: median wall time of %d run(s)%s, implementations alternating, clean environment"
            % (runs, " after 1 warm-up" if warm else ", no warm-up (--quick)"),
            "python3: %s (%s)" % interp["python3"],
            "pypy3: %s" % ("%s (%s); its time includes JIT warm-up" % interp["pypy3"] if interp["pypy3"]
                           else "not installed (column empty)"),
            "C: gcc %s -O2; rpy: %s build -O2 (C backend); llvm: the same with --backend=llvm" % (cc, args.rpy)]
    if not GNU_TIME:
        info.append("peak RSS: /usr/bin/time not installed (column empty)")
    for line in info:
        print(line)
    results, failures = [], 0
    for name in names:
        print("%s:" % name)
        sys.stdout.flush()
        res, rss = bench_one(name, args, interp, warm, runs)
        failures += sum(1 for v in res.values() if isinstance(v, str))
        results.append((name, (res, rss)))
    rows = make_rows(results)
    print()
    for line in RATIO_NOTE:
        print(line)
    print(text_table(rows))
    for name, (res, _) in results:
        bad = ["%s %s" % (k, v) for k, v in res.items() if isinstance(v, str)]
        if bad:
            print("%s: %s" % (name, "; ".join(bad)))
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("\n".join("- " + l for l in info + RATIO_NOTE) + "\n\n" + markdown_table(rows) + "\n")
        print("markdown table written to %s" % args.markdown)
    return 1 if args.strict and failures else 0


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


if __name__ == "__main__":
    sys.exit(main())
