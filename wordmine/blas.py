"""BLAS threads held to one while the CRF learns, and given back afterwards.

Learning multiplies small matrices thousands of times (a batch's statistics by
its four tag gradients). OpenBLAS, which numpy ships, runs such products on
every core and keeps its idle threads spinning between calls, so two cores
burn on thread hand-offs the time one core would spend on the sums. One
thread gives the same bits (each product is summed in the same order whatever
the thread count), so the model is identical, only cheaper to learn.

The thread count is set through OpenBLAS' own ``*_set_num_threads`` function,
found in the library numpy loaded, as threadpoolctl does (Olivier Grisel et al.,
"threadpoolctl", 2019, https://github.com/joblib/threadpoolctl); where no
OpenBLAS is loaded (another BLAS, another platform) nothing changes.

>>> with one_blas_thread():
...     inside = blas_threads()
>>> inside in (None, 1)
True
"""

from __future__ import annotations

import contextlib
import ctypes
from collections.abc import Iterator
from functools import lru_cache

#: The names OpenBLAS builds give their thread functions: plain or SciPy's prefix, and 64-bit integer builds'
#: suffix (numpy's wheels load ``scipy_openblas_set_num_threads64_``).
_NAMES = [(f"{prefix}_get_num_threads{suffix}", f"{prefix}_set_num_threads{suffix}")
          for prefix in ("scipy_openblas", "openblas") for suffix in ("64_", "")]


@lru_cache(maxsize=1)
def _openblas() -> tuple[object, object] | None:
    """OpenBLAS' (get, set) thread-count functions, from the library this process loaded; None without one."""
    import numpy  # noqa: F401 - the library to find is the one numpy loads

    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = sorted({line.split()[-1] for line in maps if "openblas" in line.lower() and "/" in line})
    except OSError:
        return None
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for get_name, set_name in _NAMES:
            get, put = getattr(lib, get_name, None), getattr(lib, set_name, None)
            if get is not None and put is not None:
                get.restype = ctypes.c_int
                return get, put
    return None


def blas_threads() -> int | None:
    """How many threads OpenBLAS uses now; None where no OpenBLAS is loaded."""
    found = _openblas()
    return None if found is None else int(found[0]())


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the block with one BLAS thread, then restore the caller's count (also on an error)."""
    found = _openblas()
    if found is None:
        yield
        return
    get, put = found
    before = int(get())
    put(1)
    try:
        yield
    finally:
        put(before)
