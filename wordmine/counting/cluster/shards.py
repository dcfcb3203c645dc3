"""Counting shards on a Dask cluster (the optional ``wordmine[dask]`` extra).

wordmine brings no cluster of its own: counts merge like the corpora they count
(:mod:`wordmine.counting.engine.corpusmerge`), so any engine that can run a function per shard and
combine results pairwise can count a corpus too big for one machine. With Dask:

1. one task per shard file: count it with one process (``jobs=1``; the cluster
   is the parallelism), on a worker that can read the path;
2. merge neighbouring results pairwise on the workers, a tree of depth
   log2(shards), keeping the shards' order so the result is byte-identical to
   counting the files one after another here;
3. bring the last count back to the caller.

Discovery (:func:`pruned_on_dask`) counts the shards the same way, but merges
and prunes them by ranges of first units on the workers instead
(:mod:`wordmine.counting.cluster.pruning`), so only the kept n-grams come back.

>>> parse_scheduler("local:3"), parse_scheduler("tcp://scheduler:8786")
(('local', 3), ('address', 'tcp://scheduler:8786'))
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import signal
import tempfile
import threading
from collections.abc import Iterator
from typing import Any

from wordmine import __version__
from wordmine.config import CountConfig, auto_min_count
from wordmine.counting.cluster.pruning import pruned_on, renumbered_stream, shared_vocabulary
from wordmine.counting.engine.corpusmerge import merge_corpora
from wordmine.counting.engine.counter import count_text
from wordmine.counting.table.corpus import Corpus, PrunedCorpus
from wordmine.counting.table.ngrams import bits_for
from wordmine.errors import WordmineError
from wordmine.io.text import read_blocks, remove_stale, text_source
from wordmine.unitstream import UnitStream


def parse_scheduler(spec: str) -> tuple[str, object]:
    """``local`` or ``local:N`` (a cluster of N worker processes started here), or a scheduler address.

    Raises ValueError for a malformed ``local:N``.
    """
    if spec == "local" or spec.startswith("local:"):
        workers = spec.partition(":")[2] or str(os.cpu_count() or 1)
        if not workers.isdigit() or int(workers) < 1:
            raise ValueError(f"{spec}: give local:N with N a number of workers, e.g. local:2")
        return "local", int(workers)
    return "address", spec


def count_shard(path: str, config: CountConfig, encoding: str) -> Corpus:
    """Count one shard file in this process (a task run on a worker)."""
    return count_text(read_blocks([text_source(path)], encoding), config)


def _merge_pair(first: Corpus, second: Corpus) -> Corpus:
    return merge_corpora([first, second])


@contextlib.contextmanager
def dask_client(scheduler: str, tmp_dir: str | None = None) -> Iterator[Any]:
    """A Dask client of ``scheduler`` (as :func:`parse_scheduler` takes it); a local cluster is gone after.

    Closed in this order, on errors and Ctrl-C too: the client, the local
    cluster (its workers, waited for), the resource tracker its workers
    were started with (:func:`_stopped_resource_tracker`), then the local
    workers' scratch folder, ``wordmine-dask-PID-*`` in ``tmp_dir`` (Dask's own
    default, ``dask-scratch-space`` in the system temporary folder, outlives the run).
    """
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise WordmineError("--dask needs Dask: pip install 'wordmine[dask]'") from None
    kind, where = parse_scheduler(scheduler)
    with _asyncio_quiet():
        yield from _connected(kind, where, Client, LocalCluster, dask, tmp_dir)


@contextlib.contextmanager
def _asyncio_quiet() -> Iterator[None]:
    """asyncio's log muted while the client lives: on Ctrl-C, the client's pending gathers end with
    ``AllExit`` and asyncio logged each one ("Task exception was never retrieved", a traceback)
    before our one line; an error of a task still reaches the caller, raised by ``result()``."""
    log = logging.getLogger("asyncio")
    level = log.level
    log.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        log.setLevel(level)


def _connected(kind: str, where: Any, Client: Any, LocalCluster: Any, dask: Any,
               tmp_dir: str | None) -> Iterator[Any]:
    if kind != "local":
        try:
            client = Client(where)
        except (OSError, ValueError) as exc:  # no scheduler there (after distributed's connect timeout)
            raise WordmineError(f"--dask {where}: cannot reach the scheduler: {exc}") from None
        with client:
            check_workers(client.get_versions(packages=["wordmine", "numpy"]), where)
            yield client
        return
    with contextlib.ExitStack() as stack:
        # Last out: what workers ended in the middle of a task (Ctrl-C) left in tmp_dir, once they are gone.
        stack.callback(remove_stale, tmp_dir, "wordmine-spill-")
        scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix=f"wordmine-dask-{os.getpid()}-", dir=tmp_dir))
        stack.enter_context(dask.config.set({"temporary-directory": scratch}))  # the scheduler's too
        stack.enter_context(_stopped_resource_tracker())
        with _signals_held():
            # The scheduler's HTTP server starts even without a dashboard, on port 8787 unless told
            # otherwise: a second local cluster (another run, a test beside it) then warns on stderr
            # that the port is taken. A port of the system's choosing never collides.
            cluster = stack.enter_context(LocalCluster(
                n_workers=where, threads_per_worker=1, processes=True, dashboard_address=None,
                scheduler_kwargs={"dashboard": False, "dashboard_address": ":0"}, local_directory=scratch,
                silence_logs=logging.CRITICAL))  # a failed task is our error line, not their log
            client = stack.enter_context(Client(cluster))
        yield client


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM held while a local cluster starts, and delivered once it can be closed.

    Ctrl-C goes to the command's whole process group. Let through while the
    cluster starts, it stopped worker processes half-way through their start
    (each printing a traceback) and this process inside ``LocalCluster``'s
    constructor, which has no object yet to close: the run then printed pages
    of Dask and multiprocessing tracebacks at exit, or waited forever for a
    worker that would never come. Held, a Ctrl-C or a SIGTERM is delivered
    when the cluster and its client can be closed, so the run ends as any
    other does (after the start-up's few seconds).

    Two holds, for two reasons. SIGINT is blocked (``pthread_sigmask``) in
    this thread: the threads Dask starts meanwhile inherit the mask, and so do
    the worker processes they spawn, which never see a Ctrl-C at all; they end
    when this process closes the cluster. And where this process handles a
    signal in Python (the command line does, for both), the handler is
    replaced by one that only notes it: a thread started before (a BLAS
    library's) may still receive it, and Python would then raise it in the
    main thread. Each noted signal is raised again once the handlers are back.
    SIGTERM stays unblocked for the workers: it is how their nanny stops them.

    multiprocessing's resource tracker is started first, mask unchanged: the
    call that starts it blocks SIGINT and SIGTERM around the spawn and then
    *unblocks* them (Python 3.11's ``resource_tracker.ensure_running``), which,
    done by Dask's thread on the first worker's start, would let Ctrl-C reach
    the workers again.
    """
    from multiprocessing import resource_tracker

    if not hasattr(signal, "pthread_sigmask"):  # not POSIX
        yield
        return
    resource_tracker.ensure_running()
    noted: list[int] = []
    handlers = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            if callable(signal.getsignal(signum)):
                handlers[signum] = signal.signal(signum, lambda signum, frame: noted.append(signum))
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a Ctrl-C still pending is raised here
        for signum in dict.fromkeys(noted):
            signal.raise_signal(signum)


def check_workers(versions: dict, where: str) -> None:
    """Refuse a cluster whose workers lack this version of wordmine, or numpy.

    ``versions`` is what ``Client.get_versions(packages=["wordmine", "numpy"])``
    returns. A worker that cannot import what a task names cannot unpickle the
    task: Dask logs it on the worker, and the client waits for ever.

    >>> ok = {"packages": {"wordmine": __version__, "numpy": "2.0"}}
    >>> check_workers({"workers": {"tcp://a:1": ok}}, "tcp://s:8786")
    >>> bad = {"packages": {"wordmine": None}}
    >>> check_workers({"workers": {"tcp://a:1": ok, "tcp://b:1": bad}}, "tcp://s:8786")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    wordmine.errors.WordmineError: --dask tcp://s:8786: the worker at tcp://b:1 has no wordmine (this machine has ...
    """
    for address, info in sorted(versions.get("workers", {}).items()):
        packages = info.get("packages", {})
        theirs = packages.get("wordmine")
        if theirs != __version__ or packages.get("numpy") is None:
            has = f"wordmine {theirs}" if theirs else "no wordmine"
            if theirs == __version__:
                has = "no numpy"
            raise WordmineError(f"--dask {where}: the worker at {address} has {has} (this machine has "
                                f"{__version__}): install wordmine {__version__}, with numpy, on every worker")


@contextlib.contextmanager
def _stopped_resource_tracker() -> Iterator[None]:
    """Stop multiprocessing's resource tracker on the way out, if it was not running on the way in.

    A local cluster starts its workers with multiprocessing's "spawn", and the
    first spawn starts a resource tracker: a process that unlinks the named
    semaphores and shared memory its users leave behind. It stops when every
    process holding its pipe has closed it, so by design just *after* the
    process that started it has exited: each ``--dask local:N`` run left it
    alive behind the command for a moment (reparented to init, still in the
    command's session), one process left over per run for a script or a
    benchmark. Once the cluster is closed its workers have exited and been
    waited for, so closing this process's end of the pipe and waiting for the
    tracker ends it here. There is no public call for that; ``_stop`` is what
    multiprocessing's own test clean-up calls (``multiprocessing.util._cleanup_tests``,
    Python 3.10 to 3.13). A tracker running before belongs to the caller and
    is left alone; a process the caller spawns while the cluster runs would
    make the wait last until it exits.
    """
    from multiprocessing import resource_tracker

    tracker = resource_tracker._resource_tracker
    started_here = getattr(tracker, "_fd", None) is None
    try:
        yield
    finally:
        if started_here and hasattr(tracker, "_stop"):
            tracker._stop()


def count_on_dask(scheduler: str, paths: list[str], config: CountConfig, encoding: str = "utf-8") -> Corpus:
    """Count ``paths`` as one corpus (in their order), one task per file, on a Dask cluster.

    ``scheduler`` is as :func:`parse_scheduler` takes it. Every worker must be
    able to read every path (a shared file system), as with any Dask file input.
    """
    paths = [os.path.abspath(p) for p in paths]
    shard_config = dataclasses.replace(config, jobs=1)
    with dask_client(scheduler, config.tmp_dir) as client:
        level = [client.submit(count_shard, p, shard_config, encoding, pure=False) for p in paths]
        while len(level) > 1:
            pairs = [client.submit(_merge_pair, level[i], level[i + 1], pure=False)
                     for i in range(0, len(level) - 1, 2)]
            level = pairs + level[len(level) - len(level) % 2:]
        return level[0].result()


def _units(corpus: Corpus) -> list[str]:
    return corpus.vocab.units


def _total(corpus: Corpus) -> int:
    return corpus.counts.total


def pruned_on_dask(scheduler: str, paths: list[str], config: CountConfig, encoding: str = "utf-8",
                   ranges: int | None = None) -> PrunedCorpus:
    """What discovery needs of ``paths`` (in their order), computed on a Dask cluster.

    The pruned counts and entropies that ``count_text`` with discovery's
    pruning gives on one machine (see :mod:`wordmine.counting.cluster.pruning`),
    and the unit stream for the cut-and-count pass, which runs here. The
    shards' tables never come here; ``ranges`` (default: one per worker) is
    how many ranges of first units they are shuffled into.
    """
    paths = [os.path.abspath(p) for p in paths]
    shard_config = dataclasses.replace(config, jobs=1, prune=False)
    with dask_client(scheduler, config.tmp_dir) as client:
        def submit(fn: Any, *args: Any) -> Any:
            return client.submit(fn, *args, pure=False)

        shards = [submit(count_shard, p, shard_config, encoding) for p in paths]
        vocab, maps = shared_vocabulary(client.gather([submit(_units, s) for s in shards]))
        total = sum(client.gather([submit(_total, s) for s in shards]))
        bits = bits_for(len(vocab), config.bits)
        min_count = config.min_count or auto_min_count(total)
        # Asked for now, so that the streams are renumbered while the ranges are pruned.
        streams = [submit(renumbered_stream, s, m) for s, m in zip(shards, maps)]
        ranges = ranges or max(len(client.nthreads()), 1)
        pruned = pruned_on(submit, lambda future: future.result(), shards, maps, bits, config.order,
                           min_count, ranges)
        del shards
        stream = UnitStream(config.plan.stream_buffer, config.tmp_dir)
        while streams:
            stream.append(streams.pop(0).result(), wide=len(vocab) > 1 << 16)
    return PrunedCorpus(vocab, pruned.counts, stream, config.order, min_count=min_count, entropy=pruned.entropy)
