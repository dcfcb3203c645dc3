"""Frozen settings, one dataclass per stage, each field with its reason.

Options flow one way: the command line builds these, the stages read them.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field


def machine_memory() -> int:
    """Physical memory in bytes (1 GiB when the system does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 1 << 30


def default_memory() -> int:
    """A quarter of the machine's memory, at least 256 MiB."""
    return max(256 << 20, machine_memory() // 4)


def default_jobs() -> int:
    """The cores this process may run on (its CPU affinity, where the system tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def format_size(n: int) -> str:
    """A byte count the way --memory takes it, to three digits.

    >>> format_size(6 << 30), format_size(500 << 20), format_size(int(5.9 * 2**30)), format_size(1000)
    ('6G', '500M', '5.9G', '1000')
    """
    for unit, shift in (("T", 40), ("G", 30), ("M", 20), ("k", 10)):
        if n >= 1 << shift:
            return f"{n / (1 << shift):.3g}{unit}"
    return str(n)


def parse_size(text: str) -> int:
    """Bytes in a size such as ``500M``, ``2G``, ``64k`` or ``123456``.

    >>> parse_size("500M"), parse_size("2g"), parse_size("1024")
    (524288000, 2147483648, 1024)
    """
    units = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
    body = text.strip().lower().removesuffix("b").removesuffix("i")
    suffix = body[-1:] if body[-1:] in units else ""
    number = body[: len(body) - len(suffix)]
    try:
        value = float(number)
    except ValueError:
        raise ValueError(f"not a size: {text!r} (try 500M or 2G)") from None
    if value <= 0 or not math.isfinite(value):
        raise ValueError(f"not a size: {text!r} (try 500M or 2G)")
    return int(value * units[suffix])


@dataclass(frozen=True)
class CountConfig:
    """How the streaming counter runs."""

    order: int = 4
    """n: counts orders 1..n+1 (n+1 gives the neighbours for boundary entropy of n-grams)."""
    memory: int = field(default_factory=default_memory)
    """Memory budget in bytes; count tables past half of it are spilled to disk."""
    chunk_units: int = 1 << 21
    """Units counted per sort: 2 M keeps a sort cache-friendly and both cores busy."""
    bits: int = 16
    """Starting bits per unit id; widened automatically when the vocabulary outgrows it."""
    tmp_dir: str | None = None
    """Where spilled runs go (default: the system's temporary folder)."""
    jobs: int = field(default_factory=default_jobs)
    """Worker processes that count chunks (the main process reads and merges)."""
    prune: bool = False
    """Keep only what discovery needs: orders 1..order, n-grams of order 2 and up seen
    ``min_count`` times or more, and the boundary entropies of those (wordmine.pruning)."""
    min_count: int | None = None
    """The pruning threshold; None: auto_min_count of the number of units, as discovery's default."""

    @property
    def stream_memory(self) -> int:
        """Bytes of unit stream kept in memory before it moves to a temporary file.

        A sixteenth of the budget, at most 256 MiB: the stream is read in
        order, so on disk it costs one sequential pass per use.
        """
        return min(self.memory // 16, 256 << 20)

    def __post_init__(self) -> None:
        if not 1 <= self.order <= 8:
            raise ValueError(f"order must be 1..8, not {self.order}")
        if self.memory < 1 << 16:
            raise ValueError("a memory budget below 64K is not workable")


@dataclass(frozen=True)
class DiscoverConfig:
    """Thresholds of new-word discovery (ALGORITHMS.md section 3)."""

    order: int = 4
    """n: longest n-gram scored for cohesion; longer words come from joined fragments."""
    min_count: int | None = None
    """Fewest occurrences of a word; None scales it with corpus size (see auto_min_count)."""
    cohesion: tuple[float, ...] = ()
    """Cohesion threshold (nats) per length 2..n; empty means the defaults of auto_cohesion."""
    min_len: int = 2
    max_len: int = 12
    redundancy: bool = True
    """Drop words that are about as probable as their best split into other words."""


def auto_min_count(total_units: int) -> int:
    """Default minimum count: 2 per 100 k units, growing with the square root of size.

    Counts of a fixed word grow linearly with corpus size while chance
    repetitions of a non-word grow more slowly, so a square-root rule keeps
    precision steady: 3 at 100 k units and below, 8 at 1.6 M (a year of news,
    the published setting for a novel), 63 at 100 M (near the published 32-64
    for millions of documents).

    >>> auto_min_count(100_000), auto_min_count(1_600_000), auto_min_count(100_000_000)
    (3, 8, 63)
    """
    return max(3, round(2 * math.sqrt(total_units / 100_000)))


def auto_cohesion(order: int) -> tuple[float, ...]:
    """Default cohesion thresholds for lengths 2..order: 3, 5, 7, ... nats (2L - 1).

    The published thresholds were 1, 3, 5 (small corpora) and 2, 4, 6 (large).
    Measured against the gold vocabularies of four corpora of 80 k to 1.6 M
    characters (news, fiction, treebank, medical forum), 3, 5, 7 gave higher
    precision at every K on all four, with the relative rule of
    ``discover.is_solid`` keeping frequent words from being rejected.

    >>> auto_cohesion(4)
    (3.0, 5.0, 7.0)
    """
    return tuple(2.0 * length - 1.0 for length in range(2, order + 1))
