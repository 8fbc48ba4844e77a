"""Correlation matrices with n, p-values, adjusted p-values and confidence intervals.

:func:`corr_matrix` gives every pair's r, n, p and Fisher-z interval as labelled
DataFrames, agreeing with R's ``psych::corr.test`` and ``stats::cor``; the result's
:meth:`~CorrelationResult.to_apa` lays out the correlation table of a published report.
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np
import pandas as pd

from peoscales._deprecation import renamed_arguments
from peoscales._kernels.correlation import (
    column_moments,
    correlation_tests,
    pairwise_pearson,
    pairwise_spearman,
    rank_columns,
)
from peoscales._kernels.kendall import pairwise_kendall
from peoscales._results import DEFAULT_STARS, Result, apa_number, format_p
from peoscales._results import stars as star_for
from peoscales._stack import user_stacklevel
from peoscales._validation import (
    as_frame,
    check_finite,
    check_option,
    check_probability,
    numeric_block,
    power_of_two_scales,
    preview,
    require_columns,
)
from peoscales.apa import ApaTable, Cell, star_note
from peoscales.errors import (
    ConstantColumnWarning,
    InsufficientDataError,
    ParameterError,
)

__all__ = ["CorrelationResult", "corr_matrix"]

METHODS = ("pearson", "spearman", "kendall")
MISSING = ("pairwise", "listwise")
ADJUST = ("none", "holm", "bonferroni", "fdr_bh")

_METHOD_NAMES = {"pearson": "Pearson", "spearman": "Spearman", "kendall": "Kendall tau-b"}
_ADJUST_NAMES = {"holm": "Holm", "bonferroni": "Bonferroni", "fdr_bh": "Benjamini-Hochberg"}
_SYMBOLS = {"pearson": "r", "spearman": "ρ", "kendall": "τ"}


@dataclass(frozen=True, eq=False, repr=False)
class CorrelationResult(Result):
    """Pairwise correlations with their n, p-values and confidence intervals.

    Every matrix is a DataFrame labelled with the caller's column names. Off the
    diagonal, entry ``(i, j)`` describes the pair; the diagonal holds 1 in ``r``, the
    number of answers in ``n`` and NaN in the test statistics.

    Attributes
    ----------
    r : DataFrame
        Correlations (NaN where undefined: a constant column, fewer than two rows).
    n : DataFrame
        Rows used for each pair (pairwise) or the complete rows (listwise).
    p : DataFrame
        Two-sided p-values from the t distribution with n - 2 df (NaN for n < 3).
    p_adjusted : DataFrame
        p-values adjusted for the number of pairs (``adjust``); equal to ``p`` for
        ``adjust="none"``.
    ci_low, ci_high : DataFrame
        Fisher-z confidence limits at level ``confidence`` (NaN for n < 4).
    mean, sd, n_obs : Series
        Mean, standard deviation (n - 1) and number of answers per variable, over the
        rows the correlations use (all rows for pairwise deletion).
    method, missing, adjust : str
        The options the result was computed with.
    confidence : float
        Confidence level of the intervals.
    n_rows : int
        Rows in the data.
    n_excluded : int
        Rows used by no correlation: rows with a missing value (listwise) or with fewer
        than two answered variables (pairwise).
    """

    r: pd.DataFrame
    n: pd.DataFrame
    p: pd.DataFrame
    p_adjusted: pd.DataFrame
    ci_low: pd.DataFrame
    ci_high: pd.DataFrame
    mean: pd.Series
    sd: pd.Series
    n_obs: pd.Series
    method: str
    missing: str
    adjust: str
    confidence: float
    n_rows: int
    n_excluded: int
    title = "Correlations"

    _renamed: ClassVar[Mapping[str, str | tuple[str, ...]]] = {"ci_level": "confidence"}

    def plot(
        self,
        ax: Any = None,
        *,
        alpha: Mapping[Hashable, float] | None = None,
        labels: Mapping[Hashable, str] | None = None,
        lang: str = "nl",
        **style: Any,
    ) -> Any:
        """Lower-triangle heatmap of r with stars (adjusted p when ``adjust`` was set).

        See :func:`peoscales.plot.correlation_heatmap`; ``alpha`` goes on the diagonal.
        Columns named after a scale of a registered instrument are labelled with the
        scale's label in ``lang`` unless ``labels`` names them.
        """
        from peoscales import plot

        labels = {**plot.scale_labels(self.r.columns, lang), **(labels or {})}
        p = self.p_adjusted if self.adjust != "none" else self.p
        n = self.n_rows - self.n_excluded if self.missing == "listwise" else None
        return plot.correlation_heatmap(
            self.r, p=p, alpha=alpha, labels=labels, n=n, lang=lang, ax=ax, **style
        )

    @property
    def columns(self) -> list[Hashable]:
        """The variables, in the caller's order and spelling."""
        return list(self.r.columns)

    def _pair_n(self) -> tuple[int, int]:
        k = len(self.columns)
        upper = self.n.to_numpy()[np.triu_indices(k, 1)]
        return int(upper.min()), int(upper.max())

    def to_frame(self) -> pd.DataFrame:
        """One row per pair (each pair once, in column order): n, r, CI, p, adjusted p."""
        k = len(self.columns)
        i, j = np.triu_indices(k, 1)
        names = np.array(self.columns, dtype=object)
        return pd.DataFrame(
            {
                "var1": names[i],
                "var2": names[j],
                "n": self.n.to_numpy()[i, j],
                "r": self.r.to_numpy()[i, j],
                "ci_low": self.ci_low.to_numpy()[i, j],
                "ci_high": self.ci_high.to_numpy()[i, j],
                "p": self.p.to_numpy()[i, j],
                "p_adjusted": self.p_adjusted.to_numpy()[i, j],
            }
        )

    def _description(self) -> str:
        low, high = self._pair_n()
        n_text = f"n = {low}" if low == high else f"n = {low}–{high} per pair"
        text = (
            f"{_METHOD_NAMES[self.method]} correlations of {len(self.columns)} variables, "
            f"{self.missing} deletion, {n_text} ({self.n_rows} rows"
        )
        text += f", {self.n_excluded} left out)" if self.n_excluded else ")"
        if self.adjust != "none":
            text += f"; p adjusted ({_ADJUST_NAMES[self.adjust]}, {self._n_tests()} tests)"
        return text

    def _n_tests(self) -> int:
        k = len(self.columns)
        return int(np.isfinite(self.p.to_numpy()[np.triu_indices(k, 1)]).sum())

    def summary(self) -> str:
        """A text listing of every pair with r, its CI, n and p."""
        frame = self.to_frame()
        level = f"{100 * self.confidence:g}% CI"
        shown = pd.DataFrame(
            {
                "pair": [f"{a} – {b}" for a, b in zip(frame["var1"], frame["var2"])],
                "n": frame["n"],
                _SYMBOLS[self.method]: [apa_number(v, 3) for v in frame["r"]],
                level: [
                    f"[{apa_number(lo, 3)}, {apa_number(hi, 3)}]"
                    for lo, hi in zip(frame["ci_low"], frame["ci_high"])
                ],
                "p": [format_p(v) for v in frame["p"]],
            }
        )
        if self.adjust != "none":
            shown["p (adj.)"] = [format_p(v) for v in frame["p_adjusted"]]
        return self._description() + "\n" + shown.to_string(index=False)

    def _repr_html_(self) -> str:
        return (
            f'<div class="peoscales-result"><p>{html.escape(self._description())}</p>'
            f"{self.to_apa().to_html()}</div>"
        )

    @renamed_arguments(digits="decimals")
    def to_apa(
        self,
        *,
        labels: Mapping[Any, str] | Sequence[str] | None = None,
        diagonal: Mapping[Hashable, float] | pd.Series | None = None,
        diagonal_label: str = "Cronbach's α",
        stars: Sequence[tuple[float, str]] = DEFAULT_STARS,
        adjusted: bool | None = None,
        decimals: int = 2,
        descriptives: bool = True,
        title: str = "Means, standard deviations and correlations",
    ) -> ApaTable:
        """The correlation table of a report: M, SD and the lower triangle with stars.

        Parameters
        ----------
        labels : mapping or sequence of str, optional
            Display names of the variables (a mapping from column to label, or one label
            per column in order). Unlabelled columns show their name.
        diagonal : mapping or Series, optional
            Values for the diagonal, e.g. Cronbach's alpha per scale, shown in
            parentheses; variables without a value show "—".
        diagonal_label : str
            What the diagonal values are, for the note.
        stars : sequence of (threshold, mark)
            Significance marks; default ``*`` p < .05, ``**`` p < .01, ``***`` p < .001.
        adjusted : bool, optional
            Star on the adjusted p-values; default: when the result was adjusted.
        decimals : int
            Decimals of M, SD and the correlations.
        descriptives : bool
            Include the M and SD columns.
        title : str
            Title above the table.

        Returns
        -------
        ApaTable
            Render with ``.to_text()``, ``.to_markdown()``, ``.to_html()``,
            ``.to_latex()``, or write with ``.to_excel(path)``, ``.to_docx(path)``.
        """
        cols = self.columns
        k = len(cols)
        names = self._labels(labels)
        diag = self._diagonal(diagonal)
        use_adjusted = self.adjust != "none" if adjusted is None else bool(adjusted)
        if use_adjusted and self.adjust == "none":
            raise ParameterError(
                "adjusted=True but the correlations were not adjusted; compute them with "
                "corr_matrix(..., adjust='holm') (or 'bonferroni', 'fdr_bh')."
            )
        thresholds = _check_stars(stars)
        r = self.r.to_numpy()
        p = (self.p_adjusted if use_adjusted else self.p).to_numpy()
        header = ["Variable", *(["M", "SD"] if descriptives else []), *map(str, range(1, k + 1))]
        rows = []
        for i in range(k):
            row = [Cell(f"{i + 1}. {names[i]}")]
            if descriptives:
                row += [
                    Cell(apa_number(self.mean.iloc[i], decimals)),
                    Cell(apa_number(self.sd.iloc[i], decimals)),
                ]
            for j in range(k):
                if j < i:
                    row.append(
                        Cell(
                            apa_number(r[i, j], decimals, leading_zero=False),
                            star_for(p[i, j], thresholds),
                        )
                    )
                elif j == i:
                    value = diag[i]
                    text = (
                        "—"
                        if np.isnan(value)
                        else f"({apa_number(value, decimals, leading_zero=False)})"
                    )
                    row.append(Cell(text))
                else:
                    row.append(Cell(""))
            rows.append(tuple(row))
        return ApaTable(
            header=tuple(header),
            rows=tuple(rows),
            note=self._note(thresholds, use_adjusted, diagonal is not None, diagonal_label),
            title=title,
        )

    def _labels(self, labels: Mapping[Any, str] | Sequence[str] | None) -> list[str]:
        cols = self.columns
        if labels is None:
            return [str(c) for c in cols]
        if isinstance(labels, Mapping):
            unknown = [key for key in labels if key not in cols]
            if unknown:
                raise ParameterError(
                    f"labels names column(s) {preview(unknown)} that are not in the "
                    f"correlation matrix; its columns are {preview(cols, 10)}."
                )
            return [str(labels.get(c, c)) for c in cols]
        if isinstance(labels, str) or len(labels) != len(cols):
            raise ParameterError(
                f"labels must be a mapping from column to label or one label per column "
                f"({len(cols)}), got {labels!r}."
            )
        return [str(label) for label in labels]

    def _diagonal(self, diagonal: Mapping[Hashable, float] | pd.Series | None) -> np.ndarray:
        cols = self.columns
        if diagonal is None:
            return np.full(len(cols), np.nan)
        items = diagonal.items() if isinstance(diagonal, (Mapping, pd.Series)) else None
        if items is None:
            raise ParameterError(
                f"diagonal must map columns to values (a dict or Series), got "
                f"{type(diagonal).__name__}."
            )
        values = dict(items)
        unknown = [key for key in values if key not in cols]
        if unknown:
            raise ParameterError(
                f"diagonal names column(s) {preview(unknown)} that are not in the "
                f"correlation matrix; its columns are {preview(cols, 10)}."
            )
        try:
            return np.array([float(values.get(c, np.nan)) for c in cols])
        except (TypeError, ValueError):
            raise ParameterError(
                f"diagonal values must be numbers, got {preview(list(values.values()))}."
            ) from None

    def _note(
        self,
        thresholds: Sequence[tuple[float, str]],
        adjusted: bool,
        has_diagonal: bool,
        diagonal_label: str,
    ) -> str:
        low, high = self._pair_n()
        if self.missing == "listwise":
            parts = [f"N = {low} (listwise deletion"]
            parts[0] += (
                f"; {self.n_excluded} rows with missing values left out)."
                if self.n_excluded
                else ")."
            )
        elif low == high:
            parts = [f"N = {low}."]
        else:
            parts = [
                f"n = {low}–{high} per pair (pairwise deletion); M and SD over the answered values."
            ]
        if self.method != "pearson":
            parts.append(
                f"Correlations are {_METHOD_NAMES[self.method]} ({_SYMBOLS[self.method]})."
            )
        if has_diagonal:
            parts.append(f"Values in parentheses on the diagonal are {diagonal_label}.")
        parts.append(star_note(thresholds))
        if adjusted:
            parts.append(
                f"p-values adjusted for {self._n_tests()} tests ({_ADJUST_NAMES[self.adjust]})."
            )
        return " ".join(parts)


def _check_stars(stars: Sequence[tuple[float, str]]) -> list[tuple[float, str]]:
    try:
        out = [(float(level), str(mark)) for level, mark in stars]
    except (TypeError, ValueError):
        raise ParameterError(
            f"stars must be pairs of (threshold, mark) like ((0.05, '*'), (0.01, '**')), "
            f"got {stars!r}."
        ) from None
    bad = [level for level, _ in out if not 0 < level < 1]
    if bad:
        raise ParameterError(f"stars thresholds must lie between 0 and 1, got {preview(bad)}.")
    return out


def _adjust(p: np.ndarray, method: str) -> np.ndarray:
    """Adjust the upper triangle (each pair once), mirror it; NaN p-values are not counted.

    As ``psych::corr.test``, which adjusts ``p[upper.tri(p)]``. The diagonal (no test)
    and pairs without a p-value (n < 3) are left out of the count, as R's ``p.adjust``
    leaves out NA; counting them (as placeholder zeros or ones) would change every
    adjusted value.
    """
    from statsmodels.stats.multitest import multipletests

    if method == "none":
        return p.copy()
    k = p.shape[0]
    i, j = np.triu_indices(k, 1)
    values = p[i, j]
    tested = np.isfinite(values)
    out = np.full_like(p, np.nan)
    if tested.any():
        adjusted = np.full(values.shape, np.nan)
        adjusted[tested] = multipletests(values[tested], method=method)[1]
        out[i, j] = adjusted
        out[j, i] = adjusted
    return out


def _columns(frame: pd.DataFrame, columns: Sequence[Hashable] | None) -> list[Hashable]:
    if columns is None:
        return list(frame.columns)
    if isinstance(columns, (str, bytes)) or not isinstance(columns, Sequence | pd.Index):
        raise ParameterError(
            f"columns must be a list of column names, got {columns!r}; "
            f"e.g. columns=[{preview(list(frame.columns)[:2])}]."
        )
    cols = list(columns)
    twice = sorted({str(c) for c in cols if cols.count(c) > 1})
    if twice:
        raise ParameterError(f"columns lists {preview(twice)} more than once; name each once.")
    require_columns(frame, cols)
    return cols


def _numeric(frame: pd.DataFrame, cols: list[Hashable]) -> tuple[np.ndarray, np.ndarray | None]:
    """The columns as float64, without a copy when they already are plain float64, and
    the powers of two that columns of extreme magnitude are to be divided by (or None).

    The kernels never write to their input, so a read-only view of the caller's data is
    safe; other dtypes (integers, nullable, text) go through the checked conversion.
    Either way infinite values are refused; extreme magnitudes (1e300, 1e-300) are let
    through, for corr_matrix computes on an exactly rescaled copy.
    """
    dtypes = frame.dtypes[cols] if frame.columns.is_unique else None
    if dtypes is not None and all(isinstance(d, np.dtype) and d.kind == "f" for d in dtypes):
        x = frame[cols].to_numpy(dtype=np.float64)
        size = check_finite(x, cols, frame.index, extreme="allow")
        return x, power_of_two_scales(x, size)  # no second pass over the data
    x = numeric_block(frame, cols, extreme="allow")
    return x, power_of_two_scales(x)


@renamed_arguments(ci="confidence")
def corr_matrix(
    data: pd.DataFrame,
    *,
    columns: Sequence[Hashable] | None = None,
    method: Literal["pearson", "spearman", "kendall"] = "pearson",
    missing: Literal["pairwise", "listwise"] = "pairwise",
    adjust: Literal["none", "holm", "bonferroni", "fdr_bh"] = "none",
    confidence: float = 0.95,
) -> CorrelationResult:
    """Correlation matrix with each pair's n, p-value, adjusted p-value and CI.

    Parameters
    ----------
    data : DataFrame
        One column per variable; missing values as NaN. Not modified.
    columns : sequence of column names, optional
        Variables to correlate, in this order; default all columns.
    method : {"pearson", "spearman", "kendall"}
        Pearson r, Spearman rho or Kendall tau-b.
    missing : {"pairwise", "listwise"}
        Pairwise deletion uses, for each pair, every row answered in both; listwise
        uses only rows answered in all columns (the rows left out are counted in
        ``n_excluded``).
    adjust : {"none", "holm", "bonferroni", "fdr_bh"}
        Adjustment of the p-values for the number of pairs.
    confidence : float, default 0.95
        Confidence level of the intervals.

    Returns
    -------
    CorrelationResult
        ``r``, ``n``, ``p``, ``p_adjusted``, ``ci_low``, ``ci_high`` (DataFrames),
        ``mean``, ``sd``, ``n_obs`` (Series); ``to_apa()`` for the report table.

    Raises
    ------
    DataTypeError
        Non-numeric columns (all are listed, with offending values).
    InsufficientDataError
        Fewer than two columns, a column with no answers at all, or fewer than three
        complete rows under listwise deletion.
    ParameterError
        An unknown option, or infinite values.

    Warns
    -----
    ConstantColumnWarning
        A column without variance (its correlations are NaN), or a pair that is
        constant on the rows it shares.

    Notes
    -----
    Pearson's r of a pair is computed on the rows answered in both; all pairs come from
    four matrix products over the centred, zero-filled data and its missingness mask (see
    :mod:`peoscales._kernels.correlation`). Spearman's rho ranks each pair anew on its
    shared rows, as R's ``cor(method = "spearman", use = "pairwise.complete.obs")``
    does; when nothing is missing the columns are ranked once. Kendall's tau-b is
    R's ``cor(method = "kendall")``.

    The p-value is two-sided from ``t = r sqrt(n - 2) / sqrt(1 - r**2)`` with ``n - 2``
    df, and the interval is ``tanh(atanh(r) -/+ z / sqrt(n - 3))``, for all three
    methods, as ``psych::corr.test`` does (for rho and tau these are the usual large-sample
    approximations). p is NaN for n < 3 and the interval for n < 4. Adjustment treats
    each pair once (the upper triangle, as ``psych::corr.test``) and counts only pairs
    that have a p-value. Results agree with R 4.2 / psych 2.2.9 to 1e-12.

    Unlike ``psych::corr.test(use = "complete")``, which reports the smallest pairwise
    count as n, listwise deletion here uses the number of complete rows for n and p.

    References: Revelle, W. (2022). *psych: Procedures for psychological, psychometric,
    and personality research* (``corr.test``). Fisher, R. A. (1921). On the probable
    error of a coefficient of correlation. *Metron*, 1, 3-32.

    Examples
    --------
    >>> import pandas as pd
    >>> import peoscales
    >>> data = pd.DataFrame({
    ...     "resilience": [3.2, 4.0, 2.8, 3.6, 4.4, 3.0, None, 3.8],
    ...     "workload": [3.5, 2.5, 4.0, 3.0, 2.0, 3.0, 3.5, 2.5],
    ...     "autonomy": [3, 4, 2, 4, 5, 3, 3, 4],
    ... })
    >>> res = peoscales.corr_matrix(data)
    >>> res.r.round(2)
                resilience  workload  autonomy
    resilience        1.00     -0.92      0.96
    workload         -0.92      1.00     -0.94
    autonomy          0.96     -0.94      1.00
    >>> int(res.n.loc["resilience", "workload"])
    7
    >>> print(res.to_apa(title="").to_text())
    ──────────────────────────────────────────────
    Variable       M     SD    1        2        3
    ──────────────────────────────────────────────
    1. resilience  3.54  0.57     —
    2. workload    3.00  0.65  −.92**      —
    3. autonomy    3.50  0.93   .96***  −.94***  —
    ──────────────────────────────────────────────
    Note. n = 7–8 per pair (pairwise deletion); M and SD over the answered values. * p < .05. ** p < .01. *** p < .001.
    """
    frame = as_frame(data)
    check_option("method", method, METHODS)
    check_option("missing", missing, MISSING)
    check_option("adjust", adjust, ADJUST)
    level = check_probability("confidence", confidence)
    cols = _columns(frame, columns)
    if len(cols) < 2:
        raise InsufficientDataError(
            f"A correlation matrix needs at least two columns, got {len(cols)} "
            f"({preview(cols)}); pass data with two or more numeric columns."
        )
    x, scales = _numeric(frame, cols)
    # Columns of extreme magnitude (1e300, or 1e-300) would overflow (vanish) in the
    # sums of squares; correlations do not depend on scale, and dividing by a power of
    # two is exact, so they are computed on a rescaled copy.
    if scales is not None:
        x = x / scales
    n_rows = x.shape[0]
    answered: np.ndarray | None = None
    if missing == "listwise":
        answered = ~np.isnan(x)
        _check_values(cols, x, answered.sum(axis=0))
        complete = answered.all(axis=1)
        n_complete = int(complete.sum())
        if n_complete < 3:
            raise InsufficientDataError(
                f"Listwise deletion leaves {n_complete} of {n_rows} rows (a correlation "
                "test needs at least 3); use missing='pairwise' or fewer columns."
            )
        n_excluded = n_rows - n_complete
        if n_excluded:
            x = x[complete]
            answered = answered[complete]

    if method == "pearson":
        # One pass over the data gives r, n, the column moments and the rows in no pair;
        # the checks for empty columns and infinite values read its results.
        pearson = pairwise_pearson(x)
        r, n, means, variances = pearson.r, pearson.n, pearson.means, pearson.variances
        counts = np.diag(n).copy()
        _check_values(cols, x, counts, means)
        if missing == "pairwise":
            n_excluded = pearson.unpaired_rows
    else:
        if answered is None:
            answered = ~np.isnan(x)
            n_excluded = int((answered.sum(axis=1) < 2).sum())
        counts, means, variances = column_moments(x)
        _check_values(cols, x, counts, means)
        if method == "spearman" and answered.all():
            r = pairwise_pearson(rank_columns(x)).r
        elif method == "spearman":
            r = pairwise_spearman(x)
        else:
            r = pairwise_kendall(x)
        mask = answered.astype(np.float64)
        n = mask.T @ mask
    _warn_constant(cols, r, n)

    return _correlation_result(
        cols, r, n, means=means, variances=variances, counts=counts, method=method,
        missing=missing, adjust=adjust, level=level, n_rows=n_rows, n_excluded=n_excluded,
        scales=scales,
    )  # fmt: skip


def _correlation_result(
    cols: list[Hashable],
    r: np.ndarray,
    n: np.ndarray,
    *,
    means: np.ndarray,
    variances: np.ndarray,
    counts: np.ndarray,
    method: str,
    missing: str,
    adjust: str,
    level: float,
    n_rows: int,
    n_excluded: int,
    scales: np.ndarray | None = None,
) -> CorrelationResult:
    """Tests, intervals and adjustment for ``r`` and ``n``, labelled with ``cols``.

    Shared by :func:`corr_matrix` and :func:`peoscales.corr_matrix_dask`. ``scales``:
    the powers of two the columns were divided by (means and SDs are scaled back).
    """
    p, low, high = correlation_tests(r, n, level)
    diagonal = np.diag_indices(len(cols))
    for matrix in (p, low, high):
        matrix[diagonal] = np.nan
    p_adjusted = _adjust(p, adjust)
    index = pd.Index(cols)

    def label(matrix: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(matrix, index=index, columns=index)

    return CorrelationResult(
        r=label(r),
        n=label(n.astype(np.int64)),
        p=label(p),
        p_adjusted=label(p_adjusted),
        ci_low=label(low),
        ci_high=label(high),
        mean=pd.Series(means if scales is None else means * scales, index=index, name="mean"),
        sd=pd.Series(
            np.sqrt(variances) * (1.0 if scales is None else scales), index=index, name="sd"
        ),
        n_obs=pd.Series(counts.astype(np.int64), index=index, name="n"),
        method=method,
        missing=missing,
        adjust=adjust,
        confidence=level,
        n_rows=n_rows,
        n_excluded=n_excluded,
    )


def _check_values(
    cols: list[Hashable], x: np.ndarray, counts: np.ndarray, means: np.ndarray | None = None
) -> None:
    """Refuse columns without any answer and infinite values (found from the means)."""
    empty = [c for c, k in zip(cols, counts) if k == 0]
    if empty:
        raise InsufficientDataError(
            f"Column(s) {preview(empty)} have no answers at all, so they correlate with "
            "nothing; leave them out with columns=[...]."
        )
    suspect = np.arange(len(cols)) if means is None else np.flatnonzero(~np.isfinite(means))
    if suspect.size:
        infinite = [cols[j] for j in suspect if np.isinf(x[:, j]).any()]
        if infinite:
            raise ParameterError(
                f"data has infinite values in column(s) {preview(infinite)}; "
                "replace them with NaN (missing) or valid numbers."
            )


def _warn_constant(cols: list[Hashable], r: np.ndarray, n: np.ndarray) -> None:
    k = len(cols)
    constant = [c for c, value in zip(cols, np.diag(r)) if np.isnan(value)]
    if constant:
        warnings.warn(
            f"Column(s) {preview(constant)} have no variance (one value, or one answer); "
            "their correlations are NaN. Leave them out with columns=[...].",
            ConstantColumnWarning,
            stacklevel=user_stacklevel(),
        )
    i, j = np.triu_indices(k, 1)
    defined = ~np.isnan(np.diag(r))
    odd = np.isnan(r[i, j]) & defined[i] & defined[j] & (n[i, j] >= 2)
    if odd.any():
        pairs = [f"{cols[a]!r}–{cols[b]!r}" for a, b in zip(i[odd], j[odd])]
        warnings.warn(
            f"Pair(s) {', '.join(pairs[:5])}{' (and more)' if len(pairs) > 5 else ''} "
            "do not vary on the rows they share; their correlations are NaN.",
            ConstantColumnWarning,
            stacklevel=user_stacklevel(),
        )
