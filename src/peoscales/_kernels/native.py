"""The compiled kernels (``_native.c``), when they were built, and the switch to numpy.

The C extension is optional (see ``setup.py``): an installation without a C compiler
runs the numpy kernels, which give the same results to the last bit (the tests check
both ways). ``PEOSCALES_NO_NATIVE=1`` in the environment, or :func:`disabled`, selects
the numpy kernels although the compiled ones exist.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from types import ModuleType

_module: ModuleType | None
try:
    from peoscales._kernels import _native as _module  # type: ignore[attr-defined,no-redef]
except ImportError:  # built without a C compiler
    _module = None

_off = os.environ.get("PEOSCALES_NO_NATIVE", "") not in ("", "0")


def get() -> ModuleType | None:
    """The compiled module, or None when it is missing or switched off."""
    return None if _off else _module


def built() -> bool:
    """Whether the compiled kernels were built (whether or not switched off)."""
    return _module is not None


@contextlib.contextmanager
def disabled() -> Iterator[None]:
    """Run the numpy kernels inside a ``with`` block (for tests and comparisons)."""
    global _off
    saved, _off = _off, True
    try:
        yield
    finally:
        _off = saved
