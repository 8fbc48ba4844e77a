"""Descriptive statistics per column, optionally per group, as ``psych::describe``."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from peoscales._groups import encode_groups
from peoscales._kernels.groups import DESCRIBE_KEYS, describe_columns
from peoscales._results import Result, apa_number, count_text, sections_html, sections_text
from peoscales._validation import (
    as_frame,
    numeric_block,
    power_of_two_scales,
    preview,
    require_columns,
)
from peoscales.errors import DataTypeError, InsufficientDataError, ParameterError

__all__ = ["DescribeResult", "describe"]

#: Columns of the table, in display order.
STATISTICS = DESCRIBE_KEYS


@dataclass(frozen=True, eq=False, repr=False)
class DescribeResult(Result):
    """Descriptive statistics, one row per variable (and group).

    Attributes
    ----------
    table : DataFrame
        Index: variable, or (group, variable) with ``by``. Columns: n, missing, mean, sd,
        median, trimmed (10 %), mad, min, max, range, skew, kurtosis, se.
    by : column name or None
        The grouping column.
    n_excluded : int
        Rows without a group value (left out of the per-group statistics).
    """

    table: pd.DataFrame
    by: Hashable | None
    n_excluded: int

    _renamed: ClassVar[Mapping[str, str | tuple[str, ...]]] = {"n_group_missing": "n_excluded"}
    title = "Descriptive statistics"

    def to_frame(self) -> pd.DataFrame:
        """The table of statistics (unrounded)."""
        return self.table

    def to_apa(self) -> str:
        """One line per row: ``brs (n = 97): M = 3.35, SD = 0.71``."""
        lines = []
        for key, row in self.table.iterrows():
            label = ", ".join(str(k) for k in key) if isinstance(key, tuple) else str(key)
            lines.append(
                f"{label} (n = {int(row['n'])}): M = {apa_number(row['mean'])}, "
                f"SD = {apa_number(row['sd'])}"
            )
        return "\n".join(lines)

    def display_frame(self) -> pd.DataFrame:
        """The table as display strings: readable labels, three decimals, "—" for missing."""
        out = pd.DataFrame(index=self.table.index)
        for column in self.table.columns:
            label = _LABELS.get(str(column), str(column))
            values = self.table[column]
            if column in ("n", "missing"):
                out[label] = [count_text(v) for v in values]
            else:
                out[label] = [apa_number(float(v), 3) for v in values]
        return out

    def _notes(self) -> list[str]:
        if self.by is None:
            return []
        return [f"rows without a value of {self.by!r}: {self.n_excluded}"]

    def summary(self) -> str:
        """The table as text, three decimals; group rows left out are counted."""
        return sections_text(self.title, [(None, self.display_frame())], self._notes())

    def _repr_html_(self) -> str:
        return sections_html(self.title, [(None, self.display_frame())], self._notes())


#: Readable column labels of the display.
_LABELS = {
    "missing": "Missing",
    "mean": "M",
    "sd": "SD",
    "median": "Median",
    "trimmed": "Trimmed M (10%)",
    "mad": "MAD",
    "min": "Min",
    "max": "Max",
    "range": "Range",
    "skew": "Skew",
    "kurtosis": "Kurtosis",
    "se": "SE",
}


def _frame(stats: dict[str, np.ndarray], names: pd.Index) -> pd.DataFrame:
    table = pd.DataFrame({k: stats[k] for k in STATISTICS}, index=names)
    return table.astype({"n": np.int64, "missing": np.int64})


#: Statistics in the unit of the data (the others, counts, skew and kurtosis, have none).
_IN_DATA_UNITS = ("mean", "sd", "median", "trimmed", "mad", "min", "max", "range", "se")


def _scaled_back(stats: dict[str, np.ndarray], scales: np.ndarray | None) -> dict[str, np.ndarray]:
    if scales is None:
        return stats
    return {k: v * scales if k in _IN_DATA_UNITS else v for k, v in stats.items()}


def _default_columns(frame: pd.DataFrame, by: Hashable | None) -> list[Hashable]:
    cols = [
        c
        for c in frame.columns
        if c != by
        and (
            pd.api.types.is_numeric_dtype(frame[c].dtype)
            or pd.api.types.is_bool_dtype(frame[c].dtype)
        )
    ]
    if not cols:
        raise DataTypeError(
            f"data has no numeric columns to describe (columns: "
            f"{preview(list(frame.columns), 10)}); convert codes to numbers or pass columns=[...]."
        )
    return cols


def _chosen_columns(
    frame: pd.DataFrame, columns: Sequence[Hashable] | Hashable | None, by: Hashable | None
) -> list[Hashable]:
    """The columns to describe: those named (checked), or every numeric one but ``by``."""
    if columns is None:
        return _default_columns(frame, by)
    if isinstance(columns, (str, int)) or not isinstance(columns, Sequence):
        columns = [columns]
    cols = list(columns)
    if not cols:
        raise ParameterError("columns is empty; name at least one column or leave it out.")
    require_columns(frame, cols)
    if by is not None and by in cols:
        raise ParameterError(f"by={by!r} is also listed in columns; describe it separately.")
    return cols


def describe(
    data: pd.DataFrame,
    columns: Sequence[Hashable] | Hashable | None = None,
    *,
    by: Hashable | None = None,
) -> DescribeResult:
    """Describe numeric columns: n, missing, mean, SD, median, range, skew, kurtosis, SE.

    Parameters
    ----------
    data : DataFrame
        Never modified.
    columns : column name or list of them, optional
        Default: every numeric column (except ``by``).
    by : column name, optional
        Describe per group, in the order of the caller's categories (a categorical
        keeps its category order; other values are sorted). Rows without a group value
        are counted in ``n_excluded``.

    Returns
    -------
    DescribeResult

    Raises
    ------
    MissingColumnsError
        A column is absent (close names are suggested).
    DataTypeError
        A column to describe holds text.

    Notes
    -----
    Missing values are left out per column (``missing`` counts them). With ``n`` values,
    mean :math:`m` and SD :math:`s` (divisor :math:`n - 1`), the estimators of
    ``psych::describe`` (Revelle, 2022) with its default ``type = 3``:
    skew :math:`= \\sum (x - m)^3 / (n s^3)` (:math:`b_1`) and kurtosis
    :math:`= \\sum (x - m)^4 / (n s^4) - 3` (:math:`b_2 - 3`; Joanes & Gill, 1998);
    ``trimmed`` is the 10 % trimmed mean (R's ``mean(x, trim = .1)``), ``mad`` the median
    absolute deviation times 1.4826, ``se`` :math:`= s / \\sqrt n`.

    Examples
    --------
    >>> import pandas as pd, peoscales
    >>> df = pd.DataFrame({"brs": [3.2, 3.8, None, 4.1, 2.5], "group": list("aabbb")})
    >>> res = peoscales.describe(df, "brs")
    >>> res.to_frame()[["n", "missing", "mean", "median"]]
              n  missing  mean  median
    variable
    brs       4        1   3.4     3.5
    >>> print(peoscales.describe(df, "brs", by="group").to_apa())
    a, brs (n = 2): M = 3.50, SD = 0.42
    b, brs (n = 2): M = 3.30, SD = 1.13
    """
    frame = as_frame(data)
    if by is not None and not isinstance(by, Hashable):
        raise ParameterError(f"by must be one column name, got {by!r}.")
    if by is not None:
        require_columns(frame, [by], "data (by)")
    cols = _chosen_columns(frame, columns, by)
    x = numeric_block(frame, cols, extreme="allow")
    # Columns of extreme magnitude (1e300, 1e-300) are described on an exact power-of-two
    # scale, where sums of fourth powers neither overflow nor vanish, and scaled back.
    scales = power_of_two_scales(x)
    if scales is not None:
        x = x / scales
    names = pd.Index(cols, name="variable")
    if by is None:
        table = _frame(_scaled_back(describe_columns(x), scales), names)
        return DescribeResult(table=table, by=None, n_excluded=0)

    codes, labels, ordered = encode_groups(frame[by])
    if not len(labels):
        raise InsufficientDataError(
            f"by={by!r} has no values (all {len(frame)} rows are missing), so there are no "
            "groups to describe. Choose a column with groups, or leave by out."
        )
    parts = []
    # One kernel call per group (few groups); each call is vectorised over rows and columns.
    for code, _label in enumerate(labels):
        parts.append(_frame(_scaled_back(describe_columns(x[codes == code]), scales), names))
    groups: Any = pd.CategoricalIndex(labels, categories=labels, ordered=ordered, name=by)
    table = pd.concat(parts, keys=groups, names=[by, "variable"])
    return DescribeResult(table=table, by=by, n_excluded=int((codes < 0).sum()))
