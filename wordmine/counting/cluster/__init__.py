"""Counting and pruning shards on a Dask cluster (the optional ``dask`` extra).

``shards`` counts each shard file on a worker and merges them; ``pruning`` prunes
by ranges of first units on the workers, as discovery's reducer does in one process.
"""
