"""Old names that still work for one minor release, with a warning.

Arguments renamed in a public function are mapped to their new name by the
:func:`renamed_arguments` decorator; result attributes renamed in a result class are
listed in its ``_renamed`` mapping and served by ``Result.__getattr__``
(:mod:`peoscales._results`). Both warn with
:class:`~peoscales.errors.DeprecatedNameWarning` and name the replacement. The new
names are those of the glossary (:mod:`peoscales._glossary`).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from peoscales.errors import DeprecatedNameWarning, ParameterError

__all__ = ["REMOVED_IN", "renamed_arguments", "warn_renamed"]

#: The release from which the old names are gone.
REMOVED_IN = "0.2.0"

F = TypeVar("F", bound=Callable[..., Any])


def warn_renamed(what: str, old: str, new: str, *, stacklevel: int = 3) -> None:
    """Warn that ``old`` (an argument or attribute of ``what``) is now called ``new``."""
    warnings.warn(
        f"{what}: {old!r} has been renamed {new!r}; the old name stops working in "
        f"peoscales {REMOVED_IN}. Use {new!r} instead.",
        DeprecatedNameWarning,
        stacklevel=stacklevel,
    )


def renamed_arguments(**renames: str) -> Callable[[F], F]:
    """Let keyword arguments ``old=`` still reach the function as ``new=``, with a warning.

    Used as ``@renamed_arguments(conf_level="confidence")``. The wrapped function's
    signature (``inspect.signature``) shows only the new names; the mapping is kept in
    ``func._renamed_arguments`` for the tests and the docs.

    Examples
    --------
    >>> import warnings
    >>> @renamed_arguments(level="confidence")
    ... def interval(x, *, confidence=0.95):
    ...     return confidence
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     interval(1, level=0.9)
    0.9
    >>> caught[0].category.__name__
    'DeprecatedNameWarning'
    """

    def decorate(func: F) -> F:
        if func.__name__.startswith("_"):
            # A helper placed between the decorator and the public function would
            # take the decorator and silently drop the old names.
            raise TypeError(f"renamed_arguments decorates public functions, not {func.__name__}")

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in renames.items():
                if old not in kwargs:
                    continue
                if new in kwargs:
                    raise ParameterError(
                        f"{func.__qualname__}() got both {old}= and {new}=; {old!r} is the old "
                        f"name of {new!r}, give only {new}=."
                    )
                warn_renamed(f"{func.__qualname__}()", old, new)
                kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        wrapper._renamed_arguments = dict(renames)  # type: ignore[attr-defined]
        return cast(F, wrapper)

    return decorate


def renamed_attributes(cls: type) -> Mapping[str, str | tuple[str, ...]]:
    """The old → new attribute names of a result class and its bases."""
    merged: dict[str, str | tuple[str, ...]] = {}
    for klass in reversed(cls.__mro__):
        merged.update(getattr(klass, "__dict__", {}).get("_renamed", {}))
    return merged


class RenamedKeys(dict):
    """A dict whose renamed keys still answer (with a warning) under their old names.

    Examples
    --------
    >>> import warnings
    >>> d = RenamedKeys({"f": 2.5}, renamed={"F": "f"}, owner="AnovaResult.welch")
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     d["F"]
    2.5
    """

    def __init__(self, data: Mapping[str, Any], *, renamed: Mapping[str, str], owner: str):
        super().__init__(data)
        self._renamed = dict(renamed)
        self._owner = owner

    def __missing__(self, key: Any) -> Any:
        new = self._renamed.get(key)
        if new is None:
            raise KeyError(key)
        warn_renamed(self._owner, key, new)
        return self[new]
