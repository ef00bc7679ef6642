#!/usr/bin/env python3
"""Stackless benchmarks: switch, hand-off and memory figures, and the cost
of --stackless on code that does not switch.

    python3 bench/stackless/run.py --rpy ./rpy [--runs N] [--markdown FILE]

Switching programs (bench/stackless/*.py) time their own loop with
time.perf_counter and print ns per operation; each runs --runs times
(default 5) and the median is reported, with the peak RSS of the run
(/usr/bin/time). many.py suspends 1,000,000 tasklets at once: its peak RSS
divided by the count is the cost of a suspended tasklet. The non-switching
benchmarks of bench/ (fib, richards, binary_trees, nbody) are built with
and without --stackless and run alternately; the overhead is the ratio of
the median wall times, and the lines of generated C that differ are
listed (only main() calls the module code through rpy_sl_run_entry, since
no function of these programs can reach a switch). The programs also run under python3 with
PYTHONPATH=lib, for the CPython column (the pure-Python rpy package).
"""
import argparse, os, re, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ENV = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"}
# (program, what, N for rpy, N for python3: its greenlets are threads)
SWITCHING = [("switch", "greenlet switch (ping-pong)", "1000000", "20000"),
             ("deep", "greenlet switch at call depth 100", "1000000", "20000"),
             ("handoff", "channel send/receive hand-off", "1000000", "20000"),
             ("many", "1,000,000 tasklets blocked once each", "1000000", "2000")]
PLAIN = ["fib", "richards", "binary_trees", "nbody"]


def build(rpy, src, out, extra=()):
    p = subprocess.run([rpy, "build", src, "-O2", "-o", out] + list(extra), cwd=ROOT, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("build failed: %s\n%s" % (src, p.stderr))


def changed_lines(rpy, src, tmp):
    """The lines of generated C that differ with --stackless."""
    texts = []
    for i, extra in enumerate(([], ["--stackless"])):
        d = os.path.join(tmp, "c%d" % i)
        os.makedirs(d, exist_ok=True)
        build(rpy, src, os.path.join(d, "exe"), ["--keep-c", d] + extra)
        texts.append(open(os.path.join(d, "program.c")).read().splitlines())
    a, b = texts
    return [y for x, y in zip(a, b) if x != y] + (["(length differs)"] if len(a) != len(b) else [])


def timed(argv, env=ENV):
    with tempfile.NamedTemporaryFile(suffix=".time") as tf:
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", tf.name] + argv, cwd=ROOT, env=env,
                           capture_output=True, text=True)
        wall = time.perf_counter() - t0
        rss = int(open(tf.name).read().split()[-1])
    if p.returncode != 0:
        sys.exit("run failed: %s\n%s" % (" ".join(argv), p.stderr))
    return wall, rss, p.stdout


def ns_per_op(stdout):
    m = re.search(r"ns_per_op ([0-9.]+)|ns_per_tasklet ([0-9.]+)", stdout)
    return float(m.group(1) or m.group(2))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rpy", default="./rpy")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--markdown")
    args = ap.parse_args()
    rpy = os.path.abspath(args.rpy)
    tmp = tempfile.mkdtemp(prefix="rpy-sl-")
    lines = ["| benchmark | N | rpy ns/op | python3 ns/op | python3/rpy | rpy peak RSS |", "|---|---|---|---|---|---|"]
    for name, what, n, py_n in SWITCHING:
        exe = os.path.join(tmp, name)
        build(rpy, "bench/stackless/%s.py" % name, exe)
        runs = [timed([exe, n]) for _ in range(args.runs)]
        ns = statistics.median(ns_per_op(r[2]) for r in runs)
        rss = max(r[1] for r in runs)
        pyenv = dict(ENV, PYTHONPATH=os.path.join(ROOT, "lib"))
        py = ns_per_op(timed([sys.executable, "bench/stackless/%s.py" % name, py_n], pyenv)[2])
        extra = " (%.0f bytes per suspended tasklet)" % (rss * 1024.0 / int(n)) if name == "many" else ""
        lines.append("| %s | %s | %.1f | %.0f (N=%s) | %.0f | %.1f MB%s |" % (what, n, ns, py, py_n, py / ns,
                                                                          rss / 1024.0, extra))
        print(lines[-1], flush=True)
    lines += ["", "| non-switching benchmark | without --stackless | with --stackless | overhead | generated C that differs |",
              "|---|---|---|---|---|"]
    for name in PLAIN:
        src = "bench/%s/%s.py" % (name, name)
        argsfile = os.path.join(ROOT, "bench", name, "args.txt")
        extra = open(argsfile).read().split() if os.path.exists(argsfile) else []
        a, b = os.path.join(tmp, name + ".plain"), os.path.join(tmp, name + ".sl")
        build(rpy, src, a)
        build(rpy, src, b, ["--stackless"])
        ta, tb = [], []
        for _ in range(args.runs):
            ta.append(timed([a] + extra)[0])
            tb.append(timed([b] + extra)[0])
        ma, mb = statistics.median(ta), statistics.median(tb)
        diff = changed_lines(rpy, src, os.path.join(tmp, name + ".c"))
        what = "none" if not diff else "; ".join(l.strip() for l in diff) if len(diff) <= 2 else "%d lines" % len(diff)
        lines.append("| %s | %.3f s | %.3f s | %+.1f%% | %s |" % (name, ma, mb, (mb / ma - 1) * 100, what))
        print(lines[-1], flush=True)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
