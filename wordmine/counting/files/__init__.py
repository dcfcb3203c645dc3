"""The ``.wmc`` count file: written whole or a range at a time, read a range at a time, merged.

``countfile`` holds the format and its checks; ``countstream`` writes and reads it
by ranges of first units; ``filemerge`` merges count files within the budget.
"""
