"""Crosstabs with the chi-square test of independence, Cramér's V and Fisher's exact test."""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np
import pandas as pd
from scipy import stats

from peoscales._deprecation import renamed_arguments
from peoscales._groups import encode_groups
from peoscales._kernels.groups import chisq_table
from peoscales._results import (
    Result,
    apa_number,
    apa_p,
    ci_text,
    count_text,
    sections_html,
    sections_text,
)
from peoscales._stack import user_stacklevel
from peoscales._validation import as_frame, check_option, preview, require_columns
from peoscales.errors import (
    DataTypeError,
    InsufficientDataError,
    ParameterError,
    SmallExpectedCountWarning,
)

__all__ = ["CrosstabResult", "crosstab", "crosstab_from_table"]

_PERCENT = ("col", "row", "total")


@dataclass(frozen=True, eq=False, repr=False)
class CrosstabResult(Result):
    """A two-way table of counts with the chi-square test of independence.

    Attributes
    ----------
    counts : DataFrame
        Counts; index = row categories, columns = column categories, in the caller's
        order (an ordered categorical stays ordered).
    percent_of : {"col", "row", "total"}
        What :attr:`percentages` are shares of.
    percentages : DataFrame
        Counts as percentages of the column totals, row totals or grand total.
    expected : DataFrame
        Expected counts under independence.
    stdres : DataFrame
        Adjusted standardized residuals (SPSS "Adjusted Residual", R
        ``chisq.test()$stdres``); beyond ±1.96 a cell differs at the 5 % level.
    chi2, df, p : float
        Pearson's chi-square test (Yates-corrected when ``correction`` and 2 x 2).
    correction : bool
        Whether the Yates continuity correction was applied to ``chi2`` and ``p``.
    chi2_uncorrected : float
        The uncorrected statistic, from which ``cramers_v`` is computed.
    cramers_v : float
        Cramér's V, ``sqrt(chi2_uncorrected / (N (min(r, c) - 1)))``.
    fisher_p, odds_ratio, odds_ratio_ci_low, odds_ratio_ci_high : float or None
        Fisher's exact test (two-sided) and the conditional maximum-likelihood odds
        ratio with its exact 95 % CI, as R's ``fisher.test``; 2 x 2 tables only.
    small_expected : bool
        More than 20 % of the expected counts are below 5, or one is below 1.
    n : int
        Cases counted.
    n_excluded : int
        Rows left out for a missing row or column value.
    """

    counts: pd.DataFrame
    percent_of: str
    percentages: pd.DataFrame
    expected: pd.DataFrame
    stdres: pd.DataFrame
    chi2: float
    df: float
    p: float
    correction: bool
    chi2_uncorrected: float
    cramers_v: float
    fisher_p: float | None
    odds_ratio: float | None
    odds_ratio_ci_low: float | None
    odds_ratio_ci_high: float | None
    small_expected: bool
    n: int
    n_excluded: int

    _renamed: ClassVar[Mapping[str, str | tuple[str, ...]]] = {
        "percent": "percent_of",
        "chisq": "chi2",
        "chisq_uncorrected": "chi2_uncorrected",
        "V": "cramers_v",
        "odds_ratio_ci": ("odds_ratio_ci_low", "odds_ratio_ci_high"),
        "n_dropped": "n_excluded",
    }

    def plot(self, ax: Any = None, *, stacked: bool = False, lang: str = "nl", **style: Any) -> Any:
        """The percentages as grouped (or 100%-stacked) bars; see
        :func:`peoscales.plot.grouped_bars`."""
        from peoscales import plot

        return plot.grouped_bars(
            self.percentages, stacked=stacked, n=self.n, lang=lang, ax=ax, **style
        )

    @property
    def title(self) -> str:  # type: ignore[override]
        rows = self.counts.index.name
        columns = self.counts.columns.name
        if rows is None or columns is None:
            return "Crosstab"
        return f"Crosstab of {rows} by {columns}"

    def to_frame(self) -> pd.DataFrame:
        """Counts and percentages side by side, with totals.

        Columns are a MultiIndex (column category, ``"n"`` / ``"%"``); the last row and
        column hold the totals.
        """
        counts = self.counts
        total_label = "Total"
        with_totals = counts.copy()
        with_totals[total_label] = counts.sum(axis=1)
        with_totals.loc[total_label] = with_totals.sum(axis=0)
        pct = self.percentages.copy()
        grand = counts.to_numpy().sum()
        if self.percent_of == "col":
            pct[total_label] = 100 * counts.sum(axis=1) / grand
            pct.loc[total_label] = 100.0
        elif self.percent_of == "row":
            pct[total_label] = 100.0
            pct.loc[total_label] = 100 * with_totals.loc[total_label] / grand
        else:
            pct[total_label] = 100 * counts.sum(axis=1) / grand
            pct.loc[total_label] = 100 * with_totals.loc[total_label] / grand
        pct.index = with_totals.index
        out = pd.concat({"n": with_totals, "%": pct}, axis=1).swaplevel(axis=1)
        order = [(c, k) for c in with_totals.columns for k in ("n", "%")]
        out = out.loc[:, order]
        out.columns = out.columns.set_names([counts.columns.name, None])
        return out

    def to_apa(self) -> str:
        """APA report: ``χ²(1, N = 100) = 9.09, p = .003, V = .30``."""
        return (
            f"χ²({_apa_df(self.df)}, N = {self.n}) = {apa_number(self.chi2)}, "
            f"{apa_p(self.p)}, V = {apa_number(self.cramers_v, leading_zero=False)}"
        )

    def display_frame(self) -> pd.DataFrame:
        """:meth:`to_frame` as display strings: whole counts, percentages to one decimal."""
        frame = self.to_frame()
        out = pd.DataFrame(index=frame.index, columns=frame.columns, dtype=object)
        for column in frame.columns:
            values = frame[column]
            if column[1] == "n":
                out[column] = [count_text(v) for v in values]
            else:
                out[column] = [apa_number(float(v), 1) for v in values]
        return out

    def _notes(self) -> list[str]:
        label = {"col": "column", "row": "row", "total": "total"}[self.percent_of]
        lines = [f"% of {label} totals", self.to_apa()]
        if self.correction:
            lines.append(
                f"Yates-corrected; uncorrected χ² = {apa_number(self.chi2_uncorrected)} (V uses it)"
            )
        if self.fisher_p is not None:
            fisher = f"Fisher's exact test: {apa_p(self.fisher_p)}"
            if (
                self.odds_ratio is not None
                and self.odds_ratio_ci_low is not None
                and self.odds_ratio_ci_high is not None
            ):
                fisher += (
                    f", odds ratio = {apa_number(self.odds_ratio)}, 95% CI "
                    f"{ci_text(self.odds_ratio_ci_low, self.odds_ratio_ci_high, 2)}"
                )
            lines.append(fisher)
        if self.small_expected:
            lines.append("Expected counts are small: interpret the chi-square test with care.")
        lines.append(f"n = {self.n}, rows left out for missing values: {self.n_excluded}")
        return lines

    def summary(self) -> str:
        """Counts with percentages, the test, V and, for 2 x 2, Fisher's exact test."""
        return sections_text(self.title, [(None, self.display_frame())], self._notes())

    def _repr_html_(self) -> str:
        return sections_html(self.title, [(None, self.display_frame())], self._notes())


def _apa_df(df: float) -> str:
    return str(int(df)) if float(df).is_integer() else apa_number(df, 2)


def _check_flags(percent_of: str, correction: Any, fisher: Any) -> None:
    check_option("percent_of", percent_of, _PERCENT)
    if not isinstance(correction, (bool, np.bool_)):
        raise ParameterError(f"correction must be True or False, got {correction!r}.")
    if fisher is not None and not isinstance(fisher, (bool, np.bool_)):
        raise ParameterError(f"fisher must be True, False or None, got {fisher!r}.")


@renamed_arguments(percent="percent_of")
def crosstab(
    data: pd.DataFrame,
    row: Hashable,
    col: Hashable,
    *,
    percent_of: Literal["col", "row", "total"] = "col",
    correction: bool = False,
    fisher: bool | None = None,
) -> CrosstabResult:
    """Cross-tabulate two categorical columns and test their independence.

    Parameters
    ----------
    data : DataFrame
        One row per respondent. Never modified.
    row, col : column name
        The variables of the rows and columns. A categorical keeps its categories and
        their order (also unused ones; an ordered categorical stays ordered); other
        values are sorted.
    percent_of : {"col", "row", "total"}, default "col"
        Percentages of the column totals (SPSS "% within" the column variable), of the
        row totals, or of the grand total.
    correction : bool, default False
        Yates' continuity correction of the test on 2 x 2 tables (R's ``chisq.test``
        default is True; SPSS reports both). Cramér's V always uses the uncorrected
        statistic.
    fisher : bool, optional
        Fisher's exact test. Default (None): reported for every 2 x 2 table, as SPSS
        does. True: required (an error for larger tables); False: not computed.

    Returns
    -------
    CrosstabResult

    Raises
    ------
    MissingColumnsError
        ``row`` or ``col`` is not a column.
    InsufficientDataError
        Fewer than two categories with cases in the rows or the columns.

    Warns
    -----
    SmallExpectedCountWarning
        More than 20 % of the expected counts are below 5, or one is below 1
        (Cochran's rule); for 2 x 2 tables use Fisher's exact test.

    Notes
    -----
    :math:`E_{ij} = r_i c_j / N`, :math:`\\chi^2 = \\sum (O_{ij} - E_{ij})^2 / E_{ij}` with
    :math:`(r-1)(c-1)` df; Yates: :math:`|O - E|` reduced by :math:`\\min(0.5, |O - E|)`
    (as R). Cramér (1946): :math:`V = \\sqrt{\\chi^2 / (N (\\min(r, c) - 1))}` from the
    uncorrected :math:`\\chi^2` (pingouin's ``chi2_independence`` uses the corrected one
    on 2 x 2 tables, which understates V). Adjusted residuals (Haberman, 1973):
    :math:`(O - E) / \\sqrt{E (1 - r_i/N)(1 - c_j/N)}`. Rows and columns without any
    case are shown but left out of the test. Fisher's exact test and the conditional
    odds ratio come from scipy (``fisher_exact``, ``contingency.odds_ratio``), which
    agree with R's ``fisher.test``.

    Examples
    --------
    >>> import pandas as pd, peoscales
    >>> df = pd.DataFrame({"burnout": ["ja"] * 20 + ["nee"] * 30 + ["ja"] * 35 + ["nee"] * 15,
    ...                    "team": ["A"] * 50 + ["B"] * 50})
    >>> res = peoscales.crosstab(df, "burnout", "team")
    >>> res.to_apa()
    'χ²(1, N = 100) = 9.09, p = .003, V = .30'
    >>> res.counts
    team      A   B
    burnout
    ja       20  35
    nee      30  15
    """
    _check_flags(percent_of, correction, fisher)
    frame = as_frame(data)
    require_columns(frame, [row, col])
    if row == col:
        raise ParameterError(f"row and col are both {row!r}; give two different columns.")
    r_codes, r_labels, r_ordered = encode_groups(frame[row])
    c_codes, c_labels, c_ordered = encode_groups(frame[col])
    for name, labels in ((row, r_labels), (col, c_labels)):
        if len(labels) > 1000:
            raise DataTypeError(
                f"column {name!r} has {len(labels)} distinct values (e.g. "
                f"{preview(labels, 3)}); a crosstab needs categories. Band a numeric column "
                "first (peoscales.categorize or pandas.cut)."
            )
    usable = (r_codes >= 0) & (c_codes >= 0)
    nr, nc = len(r_labels), len(c_labels)
    flat = r_codes[usable] * nc + c_codes[usable]
    counts = np.bincount(flat, minlength=nr * nc).reshape(nr, nc)
    index = pd.CategoricalIndex(r_labels, categories=r_labels, ordered=r_ordered, name=row)
    columns = pd.CategoricalIndex(c_labels, categories=c_labels, ordered=c_ordered, name=col)
    table = pd.DataFrame(counts, index=index, columns=columns)
    return _analyse(table, percent_of, correction, fisher, int((~usable).sum()))


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python number it holds (``-1``, not ``np.int64(-1)``)."""
    return value.item() if isinstance(value, np.generic) else value


@renamed_arguments(percent="percent_of")
def crosstab_from_table(
    table: pd.DataFrame | np.ndarray,
    *,
    percent_of: Literal["col", "row", "total"] = "col",
    correction: bool = False,
    fisher: bool | None = None,
) -> CrosstabResult:
    """Test a table of counts that is already made, keeping its labels.

    Parameters
    ----------
    table : DataFrame or 2-D array
        Counts (non-negative whole numbers). A DataFrame's index and columns (and their
        names) label the result.
    percent_of, correction, fisher
        As in :func:`crosstab`.

    Returns
    -------
    CrosstabResult
        As :func:`crosstab`, with ``n_excluded = 0``.

    Examples
    --------
    >>> import pandas as pd, peoscales
    >>> t = pd.DataFrame([[20, 30], [35, 15]], index=pd.Index(["ja", "nee"], name="burnout"),
    ...                  columns=pd.Index(["A", "B"], name="team"))
    >>> round(peoscales.crosstab_from_table(t, correction=True).cramers_v, 4)
    0.3015
    """
    _check_flags(percent_of, correction, fisher)
    if isinstance(table, np.ndarray):
        if table.ndim != 2:
            raise DataTypeError(f"table must be two-dimensional, got shape {table.shape}.")
        table = pd.DataFrame(table)
    if not isinstance(table, pd.DataFrame):
        raise DataTypeError(
            f"table must be a DataFrame or 2-D array of counts, got {type(table).__name__}."
        )
    values = table.to_numpy()
    try:
        numbers = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise DataTypeError(
            f"table must hold counts; it has non-numeric cells such as "
            f"{preview([v for v in values.ravel() if not isinstance(v, (int, float, np.number))], 3)}."
        ) from None
    bad = ~np.isfinite(numbers) | (numbers < 0) | (numbers != np.round(numbers))
    if bad.any():
        rows, cols = np.nonzero(bad)
        shown = [
            f"{table.index[r]!r}/{table.columns[c]!r}: {_plain(values[r, c])!r}"
            for r, c in zip(rows, cols)
        ]
        raise DataTypeError(
            f"table must hold non-negative whole counts; offending cells {preview(shown, 3)}. "
            "Pass counts, not percentages, and fill empty cells with 0."
        )
    counts = pd.DataFrame(numbers.astype(np.int64), index=table.index, columns=table.columns)
    return _analyse(counts, percent_of, correction, fisher, 0)


def _analyse(
    table: pd.DataFrame,
    percent_of: str,
    correction: bool,
    fisher: bool | None,
    n_excluded: int,
) -> CrosstabResult:
    counts = table.to_numpy(dtype=np.float64)
    rows_kept = counts.sum(axis=1) > 0
    cols_kept = counts.sum(axis=0) > 0
    if rows_kept.sum() < 2 or cols_kept.sum() < 2:
        # A table without axis names (an array, a DataFrame built by hand) says
        # "the rows" and "the columns", never "None".
        rows = "the rows" if table.index.name is None else repr(table.index.name)
        cols = "the columns" if table.columns.name is None else repr(table.columns.name)
        raise InsufficientDataError(
            f"crosstab needs at least two categories with cases in both {rows} "
            f"(has {int(rows_kept.sum())}) and {cols} (has {int(cols_kept.sum())}); "
            "a variable with one category cannot be tested."
        )
    sub = counts[np.ix_(rows_kept, cols_kept)]
    res = chisq_table(sub, correction=bool(correction))
    two_by_two = sub.shape == (2, 2)
    if fisher and not two_by_two:
        raise ParameterError(
            f"fisher=True: Fisher's exact test is available for 2 x 2 tables; this table is "
            f"{sub.shape[0]} x {sub.shape[1]}. Merge categories or leave fisher unset."
        )
    expected_full = np.full(counts.shape, np.nan)
    expected_full[np.ix_(rows_kept, cols_kept)] = res["expected"]
    stdres_full = np.full(counts.shape, np.nan)
    stdres_full[np.ix_(rows_kept, cols_kept)] = res["stdres"]
    exp = res["expected"]
    small = bool((exp < 5).mean() > 0.2 or (exp < 1).any())
    if small:
        advice = (
            "Fisher's exact test is reported for this 2 x 2 table (fisher_p)"
            if two_by_two and fisher is not False
            else "Merge sparse categories, or use an exact test"
        )
        warnings.warn(
            f"Expected counts are small in the crosstab of {table.index.name!r} by "
            f"{table.columns.name!r}: {int((exp < 5).sum())} of {exp.size} cells below 5 "
            f"(smallest {exp.min():.2f}); the chi-square p-value may be inaccurate. {advice}.",
            SmallExpectedCountWarning,
            stacklevel=user_stacklevel(),
        )
    fisher_p = odds = odds_low = odds_high = None
    if two_by_two and fisher is not False:
        whole = sub.astype(np.int64)
        fisher_p = float(stats.fisher_exact(whole).pvalue)
        ratio = stats.contingency.odds_ratio(whole, kind="conditional")
        odds = float(ratio.statistic)
        ci = ratio.confidence_interval(confidence_level=0.95)
        odds_low, odds_high = float(ci.low), float(ci.high)
    total = counts.sum()
    if percent_of == "col":
        pct = 100 * counts / np.where(counts.sum(axis=0) > 0, counts.sum(axis=0), np.nan)
    elif percent_of == "row":
        sums = counts.sum(axis=1, keepdims=True)
        pct = 100 * counts / np.where(sums > 0, sums, np.nan)
    else:
        pct = 100 * counts / total

    def label(values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(values, index=table.index, columns=table.columns)

    return CrosstabResult(
        counts=table,
        percent_of=percent_of,
        percentages=label(pct),
        expected=label(expected_full),
        stdres=label(stdres_full),
        chi2=res["chisq"],
        df=res["df"],
        p=res["p"],
        correction=bool(res["yates"]),
        chi2_uncorrected=res["chisq_uncorrected"],
        cramers_v=res["V"],
        fisher_p=fisher_p,
        odds_ratio=odds,
        odds_ratio_ci_low=odds_low,
        odds_ratio_ci_high=odds_high,
        small_expected=small,
        n=int(total),
        n_excluded=n_excluded,
    )
