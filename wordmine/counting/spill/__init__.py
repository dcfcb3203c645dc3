"""Sorted runs on disk: a table spilled as a run, runs merged a range of first units at a time.

``runs`` writes and reads the runs and plans the partitions a merge yields;
``compact`` is their layout on disk (a few bytes a row where the table takes 16);
``passes`` groups the runs of a multi-pass merge when there are more than the
fan-in allows open at once.
"""
