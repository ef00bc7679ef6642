#!/usr/bin/env python3
"""Translation-speed benchmark: how fast rpy annotates and rtypes big programs.

    python3 bench/translation/run.py --rpy ./rpy

Generates programs of about 1,000, 10,000, 30,000 and 100,000 lines with
gen.py (same seed, so the same programs every time), then runs rpy on each
up to the rtyper, RUNS times, sizes alternating (1k 10k 30k 100k 1k ...),
and reports the median time of each stage (rpy -v prints them: parse,
flowgraph, annotate, rtype), the process's wall and CPU time and its peak
RSS (/usr/bin/time -f '%e %U %S %M').

By default rpy runs as `rpy flowgraph FILE --stage rtyped --func run0 -v`:
the pipeline of `rpy build` stopped after the rtyper (with the same
checkgraph after each stage), dumping one 40-line graph (run0) to
/dev/null, so neither the C backend nor a big dump is in the figures.
--mode build measures a whole `rpy build` instead (C compile included).
(`rpy check` stops after type inference: it has no rtyper time to give.)

The targets (the issue): annotate+rtype of the 10,000-line program under
1 s, and of the 100,000-line one under 11 times that (near-linear).

Before measuring, a small generated program is compiled and run, and its
output compared with python3's (--verify-lines, 0 to skip).

The figures go into the "Translation speed" section of bench/RESULTS.md,
between its begin/end markers (the section is appended if missing; nothing
else in the file changes). --no-write only prints them.
"""
import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in bench/translation
sys.path.insert(0, HERE)
import gen  # noqa: E402

STAGES = ["parse", "flowgraph", "annotate", "rtype", "transforms", "backend"]
BEGIN = "<!-- translation-speed:begin (written by bench/translation/run.py) -->"
END = "<!-- translation-speed:end -->"
SECTION_TITLE = "## Translation speed"
TARGET_10K_MS = 1000.0
TARGET_RATIO = 11.0


def sh(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def detect_mode(rpy):
    helptext = sh([rpy, "--help"]).stdout
    if "--stage" in helptext and "rtyped" in helptext:
        return "flowgraph"
    return "build"


def command(rpy, mode, path, tmpdir):
    if mode == "flowgraph":
        return [rpy, "flowgraph", path, "--stage", "rtyped", "--func", "run0", "-v"]
    return [rpy, "build", path, "-o", os.path.join(tmpdir, "prog.bin"), "-v"]


STAGE_RE = re.compile(r"^rpy: (\w+)\s+([0-9.]+) ms\s*$")


def run_once(cmd, tmpdir):
    tfile = os.path.join(tmpdir, "time.txt")
    full = ["/usr/bin/time", "-o", tfile, "-f", "%e %U %S %M"] + cmd
    with open(os.devnull, "w") as devnull:
        p = subprocess.run(full, stdout=devnull, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit("rpy failed (%d) on %s:\n%s" % (p.returncode, cmd[2], p.stderr[-3000:]))
    stages = {}
    for line in p.stderr.splitlines():
        m = STAGE_RE.match(line)
        if m:
            stages[m.group(1)] = float(m.group(2))
    with open(tfile) as f:
        wall, user, sys_, rss = f.read().split()[-4:]
    return {"stages": stages, "wall": float(wall), "cpu": float(user) + float(sys_), "rss_kb": int(rss)}


def verify(rpy, lines, seed, tmpdir):
    """Compile and run a small generated program; its output must be python3's."""
    src = os.path.join(tmpdir, "verify.py")
    with open(src, "w") as f:
        f.write(gen.generate(lines, seed))
    exe = os.path.join(tmpdir, "verify.bin")
    b = sh([rpy, "build", src, "-o", exe, "-O0"])
    if b.returncode != 0:
        sys.exit("verify: rpy build failed:\n" + b.stderr[-3000:])
    ours = sh([exe])
    ref = sh([sys.executable, src])
    if ours.returncode != 0 or ref.returncode != 0 or ours.stdout != ref.stdout:
        sys.exit("verify: the compiled program's output differs from python3's (kept in %s)" % tmpdir)
    return len(ref.stdout.splitlines())


def count_lines(src):
    lines = src.split("\n")[:-1]
    code = [l for l in lines if l.strip() and not l.lstrip().startswith("#")]
    return len(lines), len(code)


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return "%s, %d cores (%s)" % (platform.machine(), os.cpu_count() or 0, cpu or "?")


def rpy_version(rpy):
    repo = os.path.dirname(os.path.abspath(rpy))  # git finds the checkout from any folder in it
    rev = sh(["git", "-C", repo, "rev-parse", "--short", "HEAD"]).stdout.strip()
    dirty = sh(["git", "-C", repo, "status", "--porcelain", "--untracked-files=no"]).stdout.strip()
    built = datetime.datetime.fromtimestamp(os.path.getmtime(rpy)).strftime("%Y-%m-%d %H:%M")
    return "built %s; checkout at commit %s" % (built, (rev or "?") + (" + uncommitted changes" if rev and dirty else ""))


def fmt_ms(x):
    return "%.0f" % x if x >= 100 else "%.1f" % x


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rpy", default="./rpy", help="the rpy executable (default ./rpy)")
    ap.add_argument("--sizes", default="1000,10000,30000,100000",
                    help="program sizes in lines, comma separated (default 1000,10000,30000,100000)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per size (default 3; the median is kept)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mode", choices=["auto", "flowgraph", "build"], default="auto",
                    help="how to run rpy (default: flowgraph --stage rtyped if rpy has it, else build)")
    ap.add_argument("--verify-lines", type=int, default=2000,
                    help="size of the program compiled and checked against python3 first (0: skip)")
    ap.add_argument("--keep", metavar="DIR", help="write the generated programs into DIR and keep them")
    ap.add_argument("--results", default=os.path.join(os.path.dirname(HERE), "RESULTS.md"),
                    help="the markdown file whose 'Translation speed' section gets the figures")
    ap.add_argument("--no-write", action="store_true", help="print the figures, do not touch RESULTS.md")
    a = ap.parse_args()

    rpy = a.rpy if os.sep in a.rpy else shutil.which(a.rpy) or a.rpy
    if not os.path.exists(rpy):
        sys.exit("no rpy executable at %s (build it: make, or make BUILD=DIR)" % rpy)
    rpy = os.path.abspath(rpy)
    mode = detect_mode(rpy) if a.mode == "auto" else a.mode
    sizes = [int(s) for s in a.sizes.split(",") if s]
    tmpdir = tempfile.mkdtemp(prefix="rpy-tspeed-")
    progdir = a.keep or tmpdir
    os.makedirs(progdir, exist_ok=True)
    load_before = os.getloadavg()

    if a.verify_lines:
        n = verify(rpy, a.verify_lines, a.seed, tmpdir)
        print("verify: %d-line program: compiled output == python3 output (%d lines)" % (a.verify_lines, n))

    progs = {}
    for n in sizes:
        src = gen.generate(n, a.seed)
        path = os.path.join(progdir, "gen_%d.py" % n)
        with open(path, "w") as f:
            f.write(src)
        total, code = count_lines(src)
        progs[n] = {"path": path, "lines": total, "code": code, "units": src.count("# ---- unit "),
                    "funcs": len(re.findall(r"^\s*def ", src, re.M)),
                    "classes": len(re.findall(r"^class ", src, re.M)), "runs": []}

    print("rpy: %s (%s), mode: %s, %d runs per size" % (rpy, rpy_version(rpy), mode, a.runs))
    for r in range(a.runs):
        for n in sizes:
            res = run_once(command(rpy, mode, progs[n]["path"], tmpdir), tmpdir)
            progs[n]["runs"].append(res)
            st = res["stages"]
            print("  run %d  %6d lines: %s  wall %.2f s  rss %.0f MB" % (
                r + 1, progs[n]["lines"],
                " ".join("%s %s" % (s, fmt_ms(st[s])) for s in STAGES if s in st),
                res["wall"], res["rss_kb"] / 1024), flush=True)
    load_after = os.getloadavg()

    rows = []
    for n in sizes:
        p = progs[n]
        runs = p["runs"]
        for need in ("annotate", "rtype"):
            if any(need not in x["stages"] for x in runs):
                sys.exit("rpy -v printed no '%s' time (mode %s)" % (need, mode))
        med = {s: median([x["stages"][s] for x in runs]) for s in STAGES if s in runs[0]["stages"]}
        ar = [x["stages"]["annotate"] + x["stages"]["rtype"] for x in runs]
        rows.append({"n": n, "lines": p["lines"], "code": p["code"], "units": p["units"], "funcs": p["funcs"],
                     "classes": p["classes"], "med": med, "ar": median(ar),
                     "wall": median([x["wall"] for x in runs]), "cpu": median([x["cpu"] for x in runs]),
                     "rss": max(x["rss_kb"] for x in runs) / 1024})

    out = []
    out.append("- date: %s; machine: %s; load average %.1f before, %.1f after" % (
        datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), machine(), load_before[0], load_after[0]))
    how = {"flowgraph": "`rpy flowgraph FILE --stage rtyped --func run0 -v` (the build pipeline up to the "
                        "rtyper, checkgraph included; one small graph dumped to /dev/null)",
           "build": "`rpy build FILE -v` (whole build, C compile included)"}[mode]
    out.append("- rpy: %s (%s); command: %s" % (os.path.relpath(rpy), rpy_version(rpy), how))
    out.append("- programs: `bench/translation/gen.py N --seed %d`; times: median of %d runs (sizes "
               "alternating), in ms; wall/CPU/RSS: the whole process, from /usr/bin/time" % (a.seed, a.runs))
    out.append("")
    hdr = ["lines (code)", "units / classes / defs"] + [s for s in STAGES if s in rows[0]["med"]] + \
        ["annotate+rtype", "µs/line", "wall", "CPU", "peak RSS"]
    out.append("| " + " | ".join(hdr) + " |")
    out.append("|" + "---|" * len(hdr))
    for row in rows:
        cells = ["%d (%d)" % (row["lines"], row["code"]), "%d / %d / %d" % (row["units"], row["classes"], row["funcs"])]
        cells += [fmt_ms(row["med"][s]) for s in STAGES if s in rows[0]["med"]]
        cells += ["**%s**" % fmt_ms(row["ar"]), "%.1f" % (row["ar"] * 1000 / row["lines"]),
                  "%.2f s" % row["wall"], "%.2f s" % row["cpu"], "%.0f MB" % row["rss"]]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")

    by = {row["n"]: row for row in rows}
    if 10000 in by:
        t = by[10000]["ar"]
        out.append("- 10,000 lines: annotate+rtype **%.0f ms** (target < %.0f ms): %s" % (
            t, TARGET_10K_MS, "met" if t < TARGET_10K_MS else "NOT met"))
    if 10000 in by and 100000 in by:
        ratio = by[100000]["ar"] / by[10000]["ar"]
        out.append("- 100,000 / 10,000 lines: annotate+rtype ratio **%.1f** (target < %.0f): %s" % (
            ratio, TARGET_RATIO, "met" if ratio < TARGET_RATIO else "NOT met"))
        per = ", ".join("%s %.1f" % (s, by[100000]["med"][s] / by[10000]["med"][s])
                        for s in STAGES if s in by[10000]["med"] and by[10000]["med"][s] > 0)
        out.append("- ratio 100k/10k per stage: %s; peak RSS %.1f" % (per, by[100000]["rss"] / by[10000]["rss"]))
    text = "\n".join(out) + "\n"
    print()
    print(text, end="")

    if not a.no_write:
        write_results(a.results, text)
        print("written to %s" % a.results)
    if not a.keep:
        shutil.rmtree(tmpdir, ignore_errors=True)


def write_results(path, text):
    try:
        with open(path) as f:
            doc = f.read()
    except FileNotFoundError:
        doc = ""
    block = BEGIN + "\n" + text + END + "\n"
    if BEGIN in doc and END in doc:
        i = doc.index(BEGIN)
        j = doc.index(END, i) + len(END)
        if doc[j:j + 1] == "\n":
            j += 1
        doc = doc[:i] + block + doc[j:]
    else:
        if doc and not doc.endswith("\n"):
            doc += "\n"
        doc += "\n" + SECTION_TITLE + "\n\n" + block
    with open(path, "w") as f:
        f.write(doc)


if __name__ == "__main__":
    main()
