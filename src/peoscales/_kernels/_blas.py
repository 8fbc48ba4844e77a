"""BLAS threads: one thread while the caller runs its own threads.

threadpoolctl finds the BLAS library numpy uses (OpenBLAS, MKL, ...) and sets its
number of threads for the duration of a ``with`` block.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from typing import Any

_blas_limit = threading.local()


@contextlib.contextmanager
def single_blas_thread() -> Iterator[None]:
    """Limit BLAS to one thread for the duration of a ``with`` block (nestable).

    For code that runs its own threads, each doing small matrix products: a threaded
    BLAS inside each would put more threads than cores to work. Also worth it around
    the small products that come before: OpenBLAS keeps its worker threads spinning
    for a while after each call, and threads left spinning took a core from a
    bootstrap's workers (a 2,000 x 18 bootstrap ran 40% slower). Inner blocks in the
    same thread cost nothing.
    """
    if getattr(_blas_limit, "active", False):
        yield
        return
    _blas_limit.active = True
    try:
        with _blas_controller().limit(limits=1, user_api="blas"):
            yield
    finally:
        _blas_limit.active = False


@functools.cache
def _blas_controller() -> Any:
    """threadpoolctl's controller, found once (finding the libraries takes ~1 ms)."""
    from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

    return ThreadpoolController()
