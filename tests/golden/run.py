#!/usr/bin/env python3
"""Golden tests: compare the compiler's dumps and messages with expected files.

For each tests/golden/NAME.py, every expected file beside it is one test:
  NAME.parse.txt      rpy parse NAME.py
  NAME.flow.txt       rpy flowgraph NAME.py --stage flow --format text
  NAME.annotated.txt  ... --stage annotated      NAME.rtyped.txt  ... --stage rtyped
  NAME.final.txt      ... --stage final          NAME.dot  ... --stage flow --format dot
  NAME.err            rpy build NAME.py -o TMP must fail; stderr must equal the file
  NAME.out            rpy build NAME.py -o TMP, run TMP; stdout must equal the file
  NAME.check          rpy check NAME.py; stderr must equal the file, stdout must
                      be empty, the exit status 1 if it printed errors, else 0
  NAME.check.json     rpy check NAME.py --json; stdout must equal the file, every
                      line must be a JSON diagnostic object, stderr must be empty,
                      the exit status 1 if it printed errors, else 0
NAME.args, if present, holds extra arguments appended to every rpy command
(e.g. --func fib). Commands run in tests/golden with the relative name NAME.py.

usage: run.py [--rpy PATH] [--update] [NAME ...]
"""
import argparse, difflib, glob, json, os, shlex, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = ["build", "{py}", "-o", "{tmp}/prog"]
KINDS = {"parse.txt": ["parse", "{py}"]}
for st in ("flow", "annotated", "rtyped", "final"):
    KINDS[st + ".txt"] = ["flowgraph", "{py}", "--stage", st, "--format", "text"]
KINDS.update({"dot": ["flowgraph", "{py}", "--stage", "flow", "--format", "dot"], "err": BUILD, "out": BUILD})
KINDS.update({"check": ["check", "{py}"], "check.json": ["check", "{py}", "--json"]})


def run(argv):
    try:
        return subprocess.run(argv, cwd=HERE, capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(argv, -1, b"", b"timeout after 120 s\n")


def json_problem(text):
    """What is wrong with rpy check --json output (JSON Lines), or ''."""
    position = {"file": (str, type(None)), "line": int, "col": int, "message": str}
    for n, line in enumerate(text.decode("utf-8").splitlines(), 1):
        try:
            d = json.loads(line)
        except ValueError as e:
            return "line %d is not JSON (%s): %s" % (n, e, line)
        fields = dict(position, severity=str, notes=list)
        if not isinstance(d, dict) or set(d) != set(fields) or d["severity"] not in ("error", "note"):
            return "line %d is not a diagnostic object: %s" % (n, line)
        for note in [d] + d["notes"]:
            want = fields if note is d else position
            if not isinstance(note, dict) or set(note) != set(want) or \
                    any(not isinstance(note[k], t) for k, t in want.items()):
                return "line %d: bad field in %s" % (n, json.dumps(note))
    return ""


def check_output(p, kind):
    """rpy check: (the compared output or None, problem text). It exits 1
    when it reports errors, 0 when it reports nothing."""
    got, other = (p.stdout, p.stderr) if kind == "check.json" else (p.stderr, p.stdout)
    want_rc = 1 if got else 0
    if p.returncode != want_rc:
        return None, "expected exit status %d, got %d: %s" % (want_rc, p.returncode, p.stderr.decode(errors="replace")[:2000])
    if other:
        return None, "unexpected output on std%s: %s" % ("err" if kind == "check.json" else "out", other.decode(errors="replace")[:2000])
    if kind == "check.json":
        try:
            problem = json_problem(got)
        except UnicodeDecodeError as e:
            problem = "not UTF-8: %s" % e
        if problem:
            return None, problem
    return got, ""


def actual_output(rpy, name, kind, extra, tmp):
    """Return (output bytes or None, problem text)."""
    argv = [rpy] + [a.format(py=name + ".py", tmp=tmp) for a in KINDS[kind]] + extra
    p = run(argv)
    if kind in ("check", "check.json"):
        return check_output(p, kind)
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
