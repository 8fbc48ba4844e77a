"""BLAS threads: one thread while the caller runs its own threads.

threadpoolctl finds the BLAS library numpy uses (OpenBLAS, MKL, ...) and sets its
number of threads. The limit is process-wide (BLAS has one thread pool per process),
so concurrent callers share it through a reference count: the first caller to enter
saves the original thread counts and sets one thread, the last caller to leave puts
the saved counts back. A per-caller save/restore would let a second, overlapping
caller save "1" as the original and restore that, leaving the whole process on one
BLAS thread for good.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from typing import Any

_lock = threading.Lock()
_holders = 0  # callers inside single_blas_thread(), in any thread, nested ones included
_saved: Any = None  # threadpoolctl's limiter holding the original counts, while limited


@contextlib.contextmanager
def single_blas_thread() -> Iterator[None]:
    """Limit BLAS to one thread for the duration of a ``with`` block.

    For code that runs its own threads, each doing small matrix products: a threaded
    BLAS inside each would put more threads than cores to work. Also worth it around
    the small products that come before: OpenBLAS keeps its worker threads spinning
    for a while after each call, and threads left spinning took a core from a
    bootstrap's workers (a 2,000 x 18 bootstrap ran 40% slower).

    Nestable and safe under concurrency: blocks entered from several threads at once
    share one limit, and the original thread counts come back when the last block
    exits, normally or by an exception.
    """
    global _holders, _saved
    with _lock:
        if _holders == 0:
            _saved = _blas_controller().limit(limits=1, user_api="blas")
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0:
                limiter, _saved = _saved, None
                limiter.restore_original_limits()


def blas_threads() -> list[int]:
    """The current number of threads of each BLAS library numpy uses (for tests)."""
    return [
        int(info["num_threads"]) for info in _blas_controller().info() if info["user_api"] == "blas"
    ]


@functools.cache
def _blas_controller() -> Any:
    """threadpoolctl's controller, found once (finding the libraries takes ~1 ms)."""
    from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

    return ThreadpoolController()
