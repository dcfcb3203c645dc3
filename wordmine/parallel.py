"""An ordered, bounded parallel map over blocks of text (``--jobs`` for segmenting).

Segmenting is independent per line, so blocks of whole lines can go to worker
processes and come back in input order. Two things matter beyond
``multiprocessing.Pool.imap``:

* memory: ``imap`` reads its whole input ahead; here at most ``ahead`` blocks
  per worker are in flight, so a 1 GB input is never held at once;
* the function (a segmenter holding a model of many megabytes) reaches the
  workers by ``fork``, not by pickling it with every block.

Workers ignore Ctrl-C: the parent stops them, so one interrupt gives one exit.

>>> list(ordered_map(str.upper, ["a", "b", "c"], jobs=2))
['A', 'B', 'C']
"""

from __future__ import annotations

import collections
import multiprocessing
import signal
from collections.abc import Callable, Iterable, Iterator
from typing import Any

_worker_function: Callable[[Any], Any] | None = None
"""The function a worker process applies; set in the worker only, never in the caller's process."""


def _start_worker(function: Callable[[Any], Any]) -> None:
    """In each forked worker: ignore Ctrl-C and keep the function (inherited by fork, not pickled)."""
    global _worker_function
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_function = function


def _call(item: Any) -> Any:
    return _worker_function(item)


def ordered_map(function: Callable[[Any], Any], items: Iterable[Any], jobs: int, ahead: int = 2) -> Iterator[Any]:
    """``map(function, items)`` on ``jobs`` processes, results in input order."""
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(function, items)
        return
    pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_start_worker, initargs=(function,))
    try:
        pending: collections.deque = collections.deque()
        for item in items:
            pending.append(pool.apply_async(_call, (item,)))
            if len(pending) >= jobs * ahead:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
        pool.close()
    finally:
        pool.terminate()
        pool.join()
