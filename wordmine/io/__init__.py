"""Bytes in and out: decoded text in blocks, atomic outputs, the checked binary container, table writers.

May import the shared modules only.
"""
