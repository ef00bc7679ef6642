#!/usr/bin/env python3
"""Golden tests: compare the compiler's dumps and messages with expected files.

For each tests/golden/NAME.py, every expected file beside it is one test:
  NAME.parse.txt      rpy parse NAME.py
  NAME.flow.txt       rpy flowgraph NAME.py --stage flow --format text
  NAME.annotated.txt  ... --stage annotated      NAME.rtyped.txt  ... --stage rtyped
  NAME.final.txt      ... --stage final          NAME.dot  ... --stage flow --format dot
  NAME.err            rpy build NAME.py -o TMP must fail; stderr must equal the file
  NAME.out            rpy build NAME.py -o TMP, run TMP; stdout must equal the file
NAME.args, if present, holds extra arguments appended to every rpy command
(e.g. --func fib). Commands run in tests/golden with the relative name NAME.py.

usage: run.py [--rpy PATH] [--update] [NAME ...]
"""
import argparse, difflib, glob, os, shlex, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = ["build", "{py}", "-o", "{tmp}/prog"]
KINDS = {"parse.txt": ["parse", "{py}"]}
for st in ("flow", "annotated", "rtyped", "final"):
    KINDS[st + ".txt"] = ["flowgraph", "{py}", "--stage", st, "--format", "text"]
KINDS.update({"dot": ["flowgraph", "{py}", "--stage", "flow", "--format", "dot"], "err": BUILD, "out": BUILD})


def run(argv):
    try:
        return subprocess.run(argv, cwd=HERE, capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(argv, -1, b"", b"timeout after 120 s\n")


def actual_output(rpy, name, kind, extra, tmp):
    """Return (output bytes or None, problem text)."""
    argv = [rpy] + [a.format(py=name + ".py", tmp=tmp) for a in KINDS[kind]] + extra
    p = run(argv)
    if kind == "err":
        if p.returncode <= 0:
            return None, "expected a compile error, got exit status %d" % p.returncode
        return p.stderr, ""
    if p.returncode != 0:
        return None, "exit status %d: %s" % (p.returncode, p.stderr.decode(errors="replace")[:2000])
    if kind == "out":
        p = run([os.path.join(tmp, "prog")])
        if p.returncode < 0:  # only stdout is compared, but a crash is never a pass
            return None, "program killed by signal %d: %s" % (-p.returncode, p.stderr.decode(errors="replace")[-2000:])
    return p.stdout, ""


def main():
    ap = argparse.ArgumentParser(description="RPy golden tests")
    ap.add_argument("--rpy", default=os.path.join(ROOT, "rpy"))
    ap.add_argument("--update", action="store_true", help="rewrite expected files from actual output")
    ap.add_argument("names", nargs="*", help="only these tests (NAME of NAME.py)")
    args = ap.parse_args()
    rpy = os.path.abspath(args.rpy) if os.sep in args.rpy or os.path.exists(args.rpy) else args.rpy
    names = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(HERE, "*.py")))
    names = [n for n in names if n != "run"]
    if args.names:
        names = [n for n in names if n in args.names]
    if not names:
        print("golden: no tests found in %s%s" % (HERE, " matching " + " ".join(args.names) if args.names else ""))
        print("0 passed, 1 failed")
        return 1
    passed = failed = 0
    for name in names:
        argsfile = os.path.join(HERE, name + ".args")
        extra = shlex.split(open(argsfile).read()) if os.path.exists(argsfile) else []
        kinds = [k for k in KINDS if os.path.exists(os.path.join(HERE, name + "." + k))]
        if not kinds:
            print("FAIL %s: no expected files (create e.g. %s.flow.txt and run --update)" % (name, name))
            failed += 1
        for kind in kinds:
            path = os.path.join(HERE, name + "." + kind)
            with tempfile.TemporaryDirectory(prefix="rpy-golden-") as tmp:
                got, problem = actual_output(rpy, name, kind, extra, tmp)
            expected = open(path, "rb").read()
            if got is not None and args.update and got != expected:
                open(path, "wb").write(got)
                print("UPDATED %s.%s" % (name, kind))
                expected = got
            if got is not None and got == expected:
                passed += 1
                print("PASS %s.%s" % (name, kind))
                continue
            failed += 1
            print("FAIL %s.%s%s" % (name, kind, ": " + problem.rstrip() if problem else ""))
            if got is not None:
                diff = list(difflib.unified_diff(expected.decode(errors="replace").splitlines(),
                                                 got.decode(errors="replace").splitlines(),
                                                 "expected/" + name + "." + kind, "actual", lineterm=""))
                if not diff:
                    diff = ["(they differ only in line endings or the final newline)"]
                for line in diff[:30]:
                    print("    " + line)
                if len(diff) > 30:
                    print("    ... (%d more diff lines)" % (len(diff) - 30))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
