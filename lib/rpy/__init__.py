"""The rpy package for CPython.

Programs compiled by RPy may import rpy.greenlet, rpy.tasklets, rpy.thread,
rpy.atomic and rpy.transaction. This package implements the same API in
pure Python, so that the same source runs under python3 (the oracle) with
PYTHONPATH pointing at this folder's parent. (Compiled programs get the
RPy versions in lib/stdlib/rpy instead.)

- rpy.greenlet: greenlets with the semantics of the `greenlet` library
  (greenlet 2.0), each started greenlet running on its own OS thread, the
  threads handing a baton to each other so that one runs at a time.
- rpy.tasklets: Stackless Python's tasklets and channels (FIFO run queue,
  receiver preference, balance, kill, DeadlockError), on rpy.greenlet.

See each module's docstring for the exact semantics and the few
differences from the originals. tests/rpy_package/run.sh tests them.
"""
