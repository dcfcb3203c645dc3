"""Segmenting shard files on a Dask cluster (the optional ``wordmine[dask]`` extra).

``wordmine segment --model M --dask SCHEDULER a.txt b.txt`` writes what
``wordmine segment --model M a.txt b.txt`` writes, byte for byte. It can,
because every source ends with a line break and a segmenter reads one line at
a time: the output of a list of files is the output of each file, one after
another. So:

1. the model is sent to every worker once (scattered, broadcast): each worker
   holds one copy, and every task it runs uses it;
2. one task per shard file reads it and segments it as one process does here
   (the same blocks, the same pieces of long lines, ``jobs=1``: the cluster is
   the parallelism), writing the output to a part file in a folder every
   worker can write and this process can read (``--tmp-dir``: on a shared file
   system for a cluster of other machines);
3. here, the parts are read back in the shards' order, each as soon as it and
   those before it are done, and removed once read, while the later shards are
   still being segmented. No shard's output is ever held whole in memory.

>>> part_name("/scratch/parts", 7)
'/scratch/parts/000007.txt'
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

from wordmine.counting.cluster.shards import dask_client
from wordmine.errors import WordmineError
from wordmine.io.text import line_pieces, read_blocks, text_source

#: Characters read back from a part file at a time.
READ_CHARS = 1 << 20


def part_name(folder: str, index: int) -> str:
    """Where the output of shard ``index`` goes."""
    return os.path.join(folder, f"{index:06d}.txt")


def segment_shard(segmenter: Any, path: str, encoding: str, errors: str, part: str) -> int:
    """Segment the shard file ``path`` with ``segmenter`` into the file ``part`` (a task run on a worker).

    Returns how many bytes were undecodable (replaced or skipped under
    ``errors``). The part is written under another name and renamed, so that a
    task run again (a worker lost and replaced) never leaves half a part.
    """
    undecodable = [0]

    def count_bad(name: str, n: int) -> None:
        undecodable[0] += n

    blocks = read_blocks([text_source(path)], encoding, errors=errors, on_undecodable=count_bad)
    partial = f"{part}.{os.getpid()}.partial"
    try:
        with open(partial, "w", encoding="utf-8", newline="") as out:
            out.writelines(segmenter.segment_pieces(line_pieces(blocks), 1))
        os.replace(partial, part)
    except OSError as exc:
        raise WordmineError(f"--dask: a worker cannot write its part of the output in {os.path.dirname(part)} "
                            f"({exc.strerror}): give a --tmp-dir that every worker can write and this machine "
                            "can read") from None
    return undecodable[0]


def segmented_on_dask(scheduler: str, segmenter: Any, paths: list[str], encoding: str = "utf-8",
                      errors: str = "strict", tmp_dir: str | None = None,
                      on_bytes: Callable[[int], None] | None = None,
                      on_undecodable: Callable[[str, int], None] | None = None) -> Iterator[str]:
    """The output text of ``paths`` segmented by ``segmenter`` on a Dask cluster, in pieces, in order.

    ``scheduler`` is as :func:`wordmine.counting.cluster.shards.parse_scheduler`
    takes it; every worker must be able to read every path, and to write in
    ``tmp_dir`` (default: the system temporary folder, which only a local
    cluster shares). ``on_bytes(n)`` hears of each shard's size once its output
    has been given; ``on_undecodable(path, n)`` of the bytes replaced or
    skipped in a shard, as reading it here would.
    """
    with tempfile.TemporaryDirectory(prefix=f"wordmine-parts-{os.getpid()}-", dir=tmp_dir) as folder, \
            dask_client(scheduler, tmp_dir) as client:
        model = client.scatter(segmenter, broadcast=True)
        parts = [part_name(folder, i) for i in range(len(paths))]
        tasks = [client.submit(segment_shard, model, os.path.abspath(path), encoding, errors, part, pure=False)
                 for path, part in zip(paths, parts)]
        for path, part, task in zip(paths, parts, tasks):
            bad = task.result()
            if bad and on_undecodable is not None:
                on_undecodable(path, bad)
            with open(part, encoding="utf-8", newline="") as handle:
                while text := handle.read(READ_CHARS):
                    yield text
            os.remove(part)
            if on_bytes is not None:
                on_bytes(os.path.getsize(path))
