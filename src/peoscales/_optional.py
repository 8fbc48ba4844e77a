"""Optional dependencies: import one when a feature needs it, or say which extra brings it.

The extras (``pyproject.toml``): ``report`` (matplotlib, openpyxl, python-docx: charts,
.xlsx and .docx), ``parquet`` (pyarrow), ``spss`` (pyreadstat: .sav files), ``dask``
(larger-than-memory data).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from peoscales.errors import MissingDependencyError

__all__ = ["require"]

#: The package that provides a module, and the extra that installs it.
_PROVIDERS = {
    "matplotlib": ("matplotlib", "report"),
    "openpyxl": ("openpyxl", "report"),
    "docx": ("python-docx", "report"),
    "pyarrow": ("pyarrow", "parquet"),
    "pyreadstat": ("pyreadstat", "spss"),
    "dask": ("dask", "dask"),
}


def require(module: str, purpose: str) -> ModuleType:
    """Import ``module`` for ``purpose`` ("Writing .xlsx files"), or raise
    :class:`MissingDependencyError` naming the extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        package, extra = _PROVIDERS[module.split(".")[0]]
        raise MissingDependencyError(
            f"{purpose} needs the optional package {package!r}, which is not installed. "
            f'Install it with: pip install "peoscales[{extra}]"'
        ) from None
