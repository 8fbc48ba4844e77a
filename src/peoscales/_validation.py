"""Input checks shared by the public functions.

Public functions validate here, convert to plain ndarrays, call a kernel from
:mod:`peoscales._kernels` and label the result. Nothing in this module mutates
the caller's data.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from peoscales.errors import (
    DataTypeError,
    DuplicateColumnsError,
    MissingColumnsError,
    NonFiniteValueError,
    ParameterError,
)

#: How many offending values or row labels an error message shows.
MAX_SHOWN = 5

#: Largest magnitude a column may have in functions whose results carry the data's unit
#: (t tests, regression, reliability): fourth powers (kurtosis, Welch's df) stay below
#: 1e256, so their sums over up to 1e8 rows cannot overflow (float64 ends at 1.8e308).
#: A column of 1e300s would otherwise give an infinite variance, a raw OverflowError or a
#: wrong "no variance" answer.
MAX_MAGNITUDE = 1e64

#: Smallest largest-magnitude a (non-zero) column may have in those functions: fourth
#: powers of a column of 1e-200s vanish below the smallest float, so its variance is 0
#: and it would wrongly have "no variance".
MIN_MAGNITUDE = 1e-64


def preview(values: Iterable[Any], limit: int = MAX_SHOWN) -> str:
    """Return ``'a', 'b', 'c' (and 7 more)`` for an error message."""
    values = list(values)
    shown = ", ".join(repr(v) for v in values[:limit])
    if len(values) > limit:
        shown += f" (and {len(values) - limit} more)"
    return shown


def check_option(name: str, value: Any, allowed: Sequence[Any]) -> Any:
    """Raise :class:`ParameterError` unless ``value`` is one of ``allowed``."""
    if value not in allowed:
        raise ParameterError(
            f"{name}={value!r} is not supported; use one of {preview(allowed, len(allowed))}."
        )
    return value


def physical_memory() -> int | None:
    """Bytes of physical memory, or None where the system does not say."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):  # e.g. Windows has no sysconf
        return None


def check_memory(what: str, needed: float, fix: str) -> None:
    """Refuse, before allocating, work whose arrays cannot fit in this computer's memory.

    ``needed`` is a lower bound in bytes; numpy would raise a bare ``MemoryError`` (or
    the machine would swap for minutes) instead of saying which argument is too large.
    """
    memory = physical_memory()
    if memory is not None and needed > memory:
        raise ParameterError(
            f"{what} needs about {needed / 2**30:,.1f} GiB, more than this computer's "
            f"{memory / 2**30:,.1f} GiB of memory. {fix}"
        )


def check_count(name: str, value: Any, minimum: int = 1, maximum: int | None = None) -> int:
    """Raise :class:`ParameterError` unless ``value`` is a whole number in range; return it."""
    whole = isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
    if not whole or value < minimum or (maximum is not None and value > maximum):
        upper = f" and at most {maximum}" if maximum is not None else ""
        raise ParameterError(
            f"{name} must be a whole number of at least {minimum}{upper}, got {value!r}."
        )
    return int(value)


def check_probability(name: str, value: float, *, open_interval: bool = True) -> float:
    """Raise :class:`ParameterError` unless ``value`` lies in (0, 1)."""
    try:
        as_float = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a number between 0 and 1, got {value!r}.") from None
    ok = 0 < as_float < 1 if open_interval else 0 <= as_float <= 1
    if not ok:
        raise ParameterError(f"{name} must lie between 0 and 1, got {value!r}.")
    return as_float


def generator(seed: Any, argname: str = "seed") -> np.random.Generator:
    """A numpy Generator from ``seed`` (None, a non-negative whole number or a Generator).

    Raises :class:`ParameterError` naming the argument for anything else, where numpy
    would raise a bare ``TypeError`` (a text) or accept a bool as 0/1.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (isinstance(seed, (int, np.integer)) and not isinstance(seed, bool)):
        if seed is not None and seed < 0:
            raise ParameterError(f"{argname} must be a non-negative whole number, got {seed!r}.")
        return np.random.default_rng(seed)
    raise ParameterError(
        f"{argname} must be None, a whole number or a numpy Generator, got {seed!r} "
        f"({type(seed).__name__})."
    )


def as_frame(data: Any, argname: str = "data") -> pd.DataFrame:
    """Check that ``data`` is a DataFrame with unique column names.

    The frame is returned as is (not copied); callers never write to it.
    """
    if isinstance(data, pd.Series):
        data = data.to_frame()
    if type(data).__name__ in _WRAPPERS and isinstance(getattr(data, "data", None), pd.DataFrame):
        # peoscales' own containers (a coded wave, a read survey export) hold their
        # answers in .data: accept them as they are, rather than send the user to unwrap.
        data = data.data
    if not isinstance(data, pd.DataFrame):
        raise DataTypeError(
            f"{argname} must be a pandas DataFrame, got {type(data).__name__}: one row per "
            f"respondent, one column per variable. {_how_to_frame(data)}"
        )
    if not data.columns.is_unique:
        duplicated = data.columns[data.columns.duplicated()].unique().tolist()
        raise DuplicateColumnsError(
            f"{argname} has duplicated column names: {preview(duplicated)}. "
            "Rename them so each column name is unique (e.g. data.columns = [...])."
        )
    return data


#: Containers of answers that every function accepts in place of their ``.data``.
_WRAPPERS = frozenset({"CodedWave", "SurveyExport"})


def _how_to_frame(data: Any) -> str:
    """A fix that works for what was given."""
    if isinstance(data, np.ndarray):
        return "Make one with pandas.DataFrame(array, columns=[...names...])."
    if isinstance(data, dict):
        return "Make one with pandas.DataFrame(your_dict) (one list of values per column)."
    if isinstance(data, (list, tuple)):
        return "Make one with pandas.DataFrame(rows, columns=[...names...])."
    if isinstance(data, (str, bytes)) or hasattr(data, "__fspath__"):
        return "To read a file, use peoscales.read_survey(path) or pandas.read_csv(path)."
    return "Pass a pandas DataFrame of the answers."


def _squash(name: Hashable) -> str:
    return re.sub(r"[^0-9a-z]", "", str(name).casefold())


def suggest(name: Hashable, candidates: Iterable[Hashable], n: int = 3) -> list[str]:
    """Return up to ``n`` candidate names close to ``name``.

    Names that differ only in case, spaces or punctuation come first
    (``BRS1`` for ``brs_1``), then close spellings.
    """
    names = [str(c) for c in candidates]
    target = _squash(name)
    same = [c for c in names if _squash(c) == target]
    squashed = {_squash(c): c for c in names}
    close = difflib.get_close_matches(target, list(squashed), n=n, cutoff=0.6)
    out = list(dict.fromkeys([*same, *(squashed[c] for c in close)]))
    return out[:n]


def require_columns(data: pd.DataFrame, columns: Iterable[Hashable], argname: str = "data") -> None:
    """Raise :class:`MissingColumnsError` naming absent columns and close matches."""
    columns = list(columns)
    present = set(data.columns)
    missing = [c for c in columns if c not in present]
    if not missing:
        return
    # Suggest only columns that are not already taken by another requested name.
    spare = [c for c in data.columns if c not in set(columns)]
    hints = []
    for name in missing[:MAX_SHOWN]:
        close = suggest(name, spare)
        if close:
            hints.append(f"{name!r}: did you mean {preview(close)}?")
    hint = (" " + " ".join(hints)) if hints else ""
    raise MissingColumnsError(
        f"{argname} has no column {preview(missing)}.{hint} "
        f"Available columns: {preview(list(data.columns), 10)}."
    )


def numeric_block(
    data: pd.DataFrame,
    columns: Sequence[Hashable],
    argname: str = "data",
    *,
    allow_bool: bool = True,
    extreme: str = "raise",
) -> np.ndarray:
    """Return the given columns as a float64 array (NaN for missing): the one path by
    which numeric input enters every public function.

    Raises :class:`DataTypeError` listing every non-numeric column (text, complex
    numbers; True/False where codes are needed, ``allow_bool=False``) with a few
    offending values and their row labels, and :class:`NonFiniteValueError` for
    infinite values and (with ``extreme="raise"``) columns of extreme magnitude; see
    :func:`check_finite`.
    """
    out = _numeric_block(data, list(columns), argname, allow_bool)
    check_finite(out, list(columns), data.index, argname, extreme=extreme)
    return out


def check_finite(
    x: np.ndarray,
    columns: Sequence[Hashable],
    index: pd.Index,
    argname: str = "data",
    *,
    extreme: str = "raise",
) -> np.ndarray:
    """Refuse infinite values, and columns whose magnitude sums cannot handle.

    NaN is missing, and allowed. A column is of extreme magnitude when its largest
    absolute value lies beyond :data:`MAX_MAGNITUDE`, or is non-zero and below
    :data:`MIN_MAGNITUDE`. ``extreme="raise"`` refuses such columns; ``"allow"`` lets
    them through, for callers that compute on an exactly rescaled copy
    (:func:`power_of_two_scales`), as correlations and descriptives do. Two passes
    (``fmax``/``fmin`` per column, no temporary copy) in the usual case; the offending
    cells are located only when there are some.

    Returns each column's largest absolute value (NaN for a column without values), for
    :func:`power_of_two_scales`.
    """
    if x.size == 0:
        return np.zeros(x.shape[1] if x.ndim == 2 else 0)
    x2 = x.reshape(len(index), -1)
    top, bottom = _column_bounds(x2)
    infinite = np.isinf(top) | np.isinf(bottom)
    if infinite.any():
        problems = []
        for j in np.flatnonzero(infinite):
            rows = index[np.isinf(x2[:, j])].tolist()
            problems.append(f"{columns[int(j)]!r} (rows {preview(rows, 3)})")
        raise NonFiniteValueError(
            f"{argname} has infinite values in column(s) {'; '.join(problems)}. Replace "
            "them with NaN (missing) or valid numbers."
        )
    size: np.ndarray = np.fmax(np.abs(top), np.abs(bottom))  # NaN: a column without values
    if extreme == "allow":
        return size
    odd = (size > MAX_MAGNITUDE) | ((size > 0) & (size < MIN_MAGNITUDE))
    if odd.any():
        shown = [
            f"{columns[int(j)]!r} (largest |value| {size[j]:.3g})" for j in np.flatnonzero(odd)
        ]
        raise NonFiniteValueError(
            f"{argname} has values of extreme magnitude in column(s) {', '.join(shown)}: "
            f"beyond +/-{MAX_MAGNITUDE:g}, or all within +/-{MIN_MAGNITUDE:g}, their sums of "
            "squares overflow or vanish in double precision and the results would be wrong. "
            "Rescale the column to a sensible unit (e.g. multiply or divide it by a power of ten)."
        )
    return size


#: Elements per column-major copy in :func:`_column_bounds` (8 MB of float64).
_BOUNDS_BLOCK = 2**20


def _column_bounds(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each column's largest and smallest value, NaN ignored (NaN: no value).

    Column reductions of a row-major array run row by row (0.17 ms for 2,000 x 18);
    column-major copies of blocks of rows (a few MB each, so memory stays bounded)
    cost 0.03 ms and reduce ten times faster.
    """
    if x.flags.f_contiguous or x.shape[1] == 1:
        return np.fmax.reduce(x, axis=0), np.fmin.reduce(x, axis=0)
    step = max(1, _BOUNDS_BLOCK // x.shape[1])
    top = np.full(x.shape[1], np.nan, dtype=x.dtype)
    bottom = top.copy()
    for start in range(0, x.shape[0], step):
        block = np.asfortranarray(x[start : start + step])
        np.fmax(top, np.fmax.reduce(block, axis=0), out=top)
        np.fmin(bottom, np.fmin.reduce(block, axis=0), out=bottom)
    return top, bottom


def power_of_two_scales(x: np.ndarray, size: np.ndarray | None = None) -> np.ndarray | None:
    """Per-column powers of two that bring columns of extreme magnitude near 1, or None.

    Dividing by a power of two is exact in floating point (short of the subnormal
    range), so statistics that do not depend on scale (correlations, skew) are
    unchanged, and those in the data's unit (means, SDs) come back exactly when
    multiplied back. None when no column needs it (the usual case). ``size``: each
    column's largest absolute value, when :func:`check_finite` has found it already.
    """
    if x.size == 0:
        return None
    if size is None:
        size = np.fmax(np.abs(np.fmin.reduce(x, axis=0)), np.abs(np.fmax.reduce(x, axis=0)))
    odd = (size > MAX_MAGNITUDE) | ((size > 0) & (size < MIN_MAGNITUDE))
    if not odd.any():
        return None
    _, exponent = np.frexp(np.where(odd, size, 1.0))
    return np.where(odd, np.ldexp(1.0, exponent), 1.0)


def numeric_like(series: pd.Series) -> bool:
    """Whether :func:`numeric_block` is the right judge of the column: numbers, True/False,
    a categorical of numbers, or dates and complex numbers (which it refuses by name)."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return pd.api.types.is_numeric_dtype(dtype.categories.dtype)
    return bool(
        pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype) or _is_time(dtype)
    )


def _is_time(dtype: Any) -> bool:
    return bool(
        pd.api.types.is_datetime64_any_dtype(dtype)
        or pd.api.types.is_timedelta64_dtype(dtype)
        or isinstance(dtype, pd.PeriodDtype)
    )


def _numeric_block(
    data: pd.DataFrame, columns: list[Hashable], argname: str, allow_bool: bool
) -> np.ndarray:
    everything = columns == list(data.columns)
    if (
        0 < len(columns) <= 64
        and not everything
        and len(set(columns)) == len(columns)
        and data.columns.is_unique
    ):
        # A few columns of a larger frame (a model's variables): one Series per column
        # is cheaper than selecting them as a frame, which builds a new frame and
        # copies. (All columns in order go the way below: taking a Series costs tens of
        # microseconds in pandas 3, 0.57 ms for 18 columns against 0.04 ms for one
        # conversion of the frame.)
        series = [data[col] for col in columns]
        if all(isinstance(s.dtype, np.dtype) and s.dtype.kind in "iuf" for s in series):
            out = np.empty((len(data), len(columns)))
            for j, column in enumerate(series):  # one copy per column, not per value
                out[:, j] = column.to_numpy()
            return out
    if columns and len(set(columns)) == len(columns):
        # All columns in order (the usual call): no column selection, which copies.
        block = data if everything else data[columns]
        if all(isinstance(dt, np.dtype) and dt.kind in "iuf" for dt in block.dtypes):
            # Plain numpy numbers (the usual case): one conversion for all columns
            # instead of one per column, into a new row-major array (to_numpy may
            # return a read-only view of the frame's data).
            out = np.empty((len(block), len(columns)))
            out[...] = block.to_numpy(dtype=np.float64)
            return out
    problems = []
    arrays = []
    for col in columns:
        series = data[col]
        if _is_time(series.dtype):
            # pandas would turn them into nanoseconds: numbers, but not the caller's.
            raise DataTypeError(
                f"{argname} column {col!r} holds dates or durations (e.g. "
                f"{preview(series.dropna().unique()[:3].tolist(), 3)}), not numbers. Convert "
                "them to a number in a unit first, e.g. (column - start).dt.days."
            )
        if isinstance(series.dtype, pd.CategoricalDtype):
            # A categorical stands for its categories' values: numbers if they are.
            series = series.astype(
                series.cat.categories.dtype if len(series.cat.categories) else float
            )
        if pd.api.types.is_complex_dtype(series.dtype):
            raise DataTypeError(
                f"{argname} column {col!r} holds complex numbers (e.g. "
                f"{preview(series.dropna().unique().tolist(), 3)}); give real numbers, e.g. "
                "the real part (.real) or the modulus (abs()) if that is what is meant."
            )
        if pd.api.types.is_bool_dtype(series.dtype) and not allow_bool:
            raise DataTypeError(
                f"{argname} column {col!r} holds True/False, not answer codes. Convert it "
                "to the codes it stands for (e.g. .map({False: 1, True: 2})) or leave it out."
            )
        if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
            arrays.append(series.to_numpy(dtype="float64", na_value=np.nan))
            continue
        converted = pd.to_numeric(series, errors="coerce")
        if pd.api.types.is_complex_dtype(converted.dtype):
            raise DataTypeError(
                f"{argname} column {col!r} holds complex numbers (e.g. "
                f"{preview(series.dropna().unique()[:3].tolist(), 3)}); give real numbers."
            )
        bad = converted.isna() & series.notna()
        if bad.any():
            rows = series.index[bad.to_numpy()]
            # Distinct values: a column of 'vrouw', 'vrouw', 'vrouw' shows one 'vrouw'.
            values = list(dict.fromkeys(series[bad.to_numpy()].tolist()))
            problems.append(
                f"{col!r} (e.g. {preview(values, 3)} in rows {preview(rows.tolist(), 3)})"
            )
            continue
        arrays.append(converted.to_numpy(dtype="float64", na_value=np.nan))
    if problems:
        raise DataTypeError(
            f"{argname} has non-numeric values in column(s) {'; '.join(problems)}. "
            "Convert the texts to codes first (peoscales.recode for instrument items), "
            "summarise categorical variables with peoscales.frequency_table or "
            "peoscales.crosstab, or leave these columns out."
        )
    if not arrays:
        return np.empty((len(data), 0))
    return np.column_stack(arrays)
