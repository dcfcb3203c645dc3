"""The count table in memory: packed n-gram keys and their counts, key sets, and ``Corpus``.

Nothing here touches a disk or a process: ``ngrams`` packs n-grams of unit ids
into 64-bit keys and merges sorted tables, ``keyset`` holds sets of such keys,
``corpus`` bundles a table with its vocabulary and unit stream.
"""
