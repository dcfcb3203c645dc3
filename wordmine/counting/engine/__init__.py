"""Counting text within the budget: chunks, worker processes, spilling, and the sources counted.

``chunkcount`` counts one chunk with one sort; ``counter`` streams chunks
through workers and spills past the budget; ``corpusmerge`` joins shard corpora;
``sources`` counts paths, lines or a count file and hands the merged table to a
reducer; ``heap`` keeps freed memory for the next chunk.
"""
