"""The rpy package for CPython.

Programs compiled by RPy may import rpy.greenlet, rpy.tasklets, rpy.thread,
rpy.atomic and rpy.transaction. This package implements the same API in
pure Python, so that the same source runs under python3 (the oracle) with
PYTHONPATH pointing at this folder's parent. The modules arrive with the
stackless and STM issues.
"""
