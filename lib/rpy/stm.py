"""rpy.stm: information on STM conflicts, for CPython.

API (as PyPy-STM's): `last_abort_info()`, `print_abort_info(mintime=0.0)`,
`conflict_report()`.

With the STM build of RPy, atomic blocks (and rpy.transaction jobs) run in
parallel as transactions, and a transaction that conflicts with another is
aborted and run again; these functions tell about the aborts, so that a
program can find the conflicts that cost it time:
- `last_abort_info()`: information on the last abort of the current
  thread's transactions, or None if none was aborted.
- `print_abort_info(mintime=0.0)`: prints the conflict report (the
  conflicts that cost at least mintime seconds, where in the source they
  were) on stderr; prints nothing if there was none.
- `conflict_report()`: the same report as a str ("" if none).

Under CPython the atomic blocks run one after the other under a lock
(see rpy.atomic): nothing is ever aborted, so `last_abort_info()` is
always None, the report is always empty and `print_abort_info()` prints
nothing. A program that prints these results is therefore deterministic
only under CPython; the conformance programs do not print them.
"""

__all__ = ["last_abort_info", "print_abort_info", "conflict_report"]


def last_abort_info():
    """Information on the last aborted transaction: always None here."""
    return None


def conflict_report():
    """The conflict report as a str: always empty here."""
    return ""


def print_abort_info(mintime=0.0):
    """Print the conflict report on stderr: nothing to print here."""
    report = conflict_report()
    if report:                  # pragma: no cover (never, under CPython)
        import sys
        sys.stderr.write(report)
