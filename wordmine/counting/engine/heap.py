"""Keep freed arrays in the process heap while counting, instead of handing them back to the system.

Counting allocates arrays of the same few sizes over and over: every chunk of 2 M
units builds a 16 MB record array, sorts a copy of it, groups it, and frees it
all before the next chunk. glibc's malloc serves requests of 128 KiB and more
(a threshold it raises, at most to 32 MiB, as such blocks are freed) by mapping
fresh pages, and gives the top of its heap back to the system once more than
twice that threshold lies free there. Each chunk then faults its arrays in again,
a page of 4 KiB at a time, every page zeroed by the kernel.

Raising both limits keeps those pages in the process: on a 100 MB corpus the
minor page faults fell by more than half, with one process and with two
workers, where every worker has a heap of its own (figures: docs/notes/). That
is system time the parallel count spent on top of the single process, so it
matters most for ``--jobs``.

The cost is memory the process holds on to, at most ``keep_bytes`` above what
is in use. It changes the whole process, so the library never does it by
itself: the command line opts in around counting (:func:`freed_arrays_kept`),
giving it ``MemoryPlan.heap_keep`` (a sixteenth of the memory budget, shared by
the parent and the workers, at most ``KEEP_FREE_BYTES`` each), and restores glibc's default limits
(128 KiB; glibc's own adjustment of them stays off) when counting ends: the full amount under the default budget (a quarter of the machine's
memory) on most machines. Much less does not help: most page faults stay. The
bound matters: without it the peak of counting 1 GB under ``--memory 2G`` rose
past what the budget allows for. Blocks larger than ``MAP_THRESHOLD_BYTES`` (the merged
tables of a large corpus) are still mapped and returned at once.

On other C libraries, or where the call is not found, nothing changes.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
from collections.abc import Iterator

#: glibc's mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3

#: The largest threshold glibc accepts on 64-bit systems: every chunk array fits under it.
MAP_THRESHOLD_BYTES = 32 << 20
#: glibc's defaults for both limits, restored when counting ends.
DEFAULT_THRESHOLD_BYTES = 128 << 10


@contextlib.contextmanager
def freed_arrays_kept(keep_bytes: int) -> Iterator[bool]:
    """Within the block, malloc reuses freed chunk arrays (forked workers inherit it); restored after.

    Yields True when glibc took the settings.
    """
    kept = _set_limits(MAP_THRESHOLD_BYTES, keep_bytes)
    try:
        yield kept
    finally:
        if kept:
            _set_limits(DEFAULT_THRESHOLD_BYTES, DEFAULT_THRESHOLD_BYTES)


@functools.lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL:
    """The C library, loaded once; raises OSError where there is none to load.

    By glibc's name first: ``ctypes.util.find_library`` runs ``ldconfig -p`` in a
    subprocess, which took longer than discovering the words of a 100 KB file.
    """
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        from ctypes.util import find_library

        return ctypes.CDLL(find_library("c") or "libc.so.6")


def _set_limits(map_threshold: int, trim_threshold: int) -> bool:
    try:
        mallopt = _libc().mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    # Setting the mmap threshold also stops glibc adjusting both limits by itself.
    return bool(mallopt(_M_MMAP_THRESHOLD, map_threshold)) and bool(mallopt(_M_TRIM_THRESHOLD, trim_threshold))


def give_back_freed() -> bool:
    """Hand the heap's free pages back to the system now (glibc's ``malloc_trim``); True if it did.

    For a process about to fork workers after a large stage: pages it no longer uses would
    otherwise stay resident in it, and count again in every worker until written.

    >>> give_back_freed() in (True, False)
    True
    """
    try:
        trim = _libc().malloc_trim
    except (OSError, AttributeError):
        return False
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return bool(trim(0))
