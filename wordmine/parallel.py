"""An ordered, bounded parallel map over blocks of text (``--jobs`` for segmenting).

Segmenting is independent per line, so blocks of whole lines can go to worker
processes and come back in input order. Two things matter beyond
``multiprocessing.Pool.imap``:

* memory: ``imap`` reads its whole input ahead; here at most ``ahead`` blocks
  per worker are in flight, so a 1 GB input is never held at once;
* the function (a segmenter holding a model of many megabytes) reaches the
  workers by ``fork``, not by pickling it with every block.

Workers ignore Ctrl-C and end at once on SIGTERM or with their parent: the parent stops them, so one
interrupt gives one exit and one message.

>>> list(ordered_map(str.upper, ["a", "b", "c"], jobs=2))
['A', 'B', 'C']
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import itertools
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from typing import Any

_worker_function: Callable[[Any], Any] | None = None
"""The function a worker process applies; set in the worker only, never in the caller's process."""


_STOPS = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back while worker processes are forked, and deliver them after.

    A signal that lands inside ``fork`` runs its handler in an at-fork hook,
    whose exceptions Python ignores: the interrupt would be lost and the run go
    on. Held, it arrives once the workers exist, where the parent can stop them.
    The workers start with both held, and call :func:`release_signals`.
    """
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def release_signals() -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """End this worker when its parent ends, however it ends (SIGKILL, or a signal taken mid-fork).

    Linux's ``prctl(PR_SET_PDEATHSIG)`` has the kernel send SIGKILL; elsewhere
    this only checks that the parent is still there. Without it a worker whose
    parent is gone waits on its inbox forever, holding the terminal's stderr.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # gone before the request was made
        os._exit(1)


def _start_worker(function: Callable[[Any], Any], parent: int) -> None:
    """In each forked worker: ignore Ctrl-C, end on SIGTERM or with the parent, and keep the function
    (inherited by fork, not pickled)."""
    global _worker_function
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent)
    release_signals()
    _worker_function = function


def _call(item: Any) -> Any:
    return _worker_function(item)


def ordered_map(function: Callable[[Any], Any], items: Iterable[Any], jobs: int, ahead: int = 2) -> Iterator[Any]:
    """``map(function, items)`` on ``jobs`` processes, results in input order.

    With a single item (a small input read in one block) no process starts: the
    item would wait for the pool's start and then be done by one process anyway.
    """
    items = iter(items)
    first = list(itertools.islice(items, 2))
    items = itertools.chain(first, items)
    if jobs <= 1 or len(first) < 2:
        yield from map(function, items)
        return
    import multiprocessing  # here: one job never pays for its import

    if "fork" not in multiprocessing.get_all_start_methods():
        yield from map(function, items)
        return
    with signals_held():
        pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_start_worker,
                                                        initargs=(function, os.getpid()))
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
