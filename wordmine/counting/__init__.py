"""Counting: exact n-gram counts of a corpus within a memory budget, count files, merging and shards.

May import ``io`` and the shared modules; nothing above it.
"""
