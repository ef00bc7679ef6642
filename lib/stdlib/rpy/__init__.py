"""The rpy package of compiled programs (greenlet.py, tasklets.py): written
in RPy on the compiler's native primitives. lib/rpy is its pure-Python twin
for CPython."""
