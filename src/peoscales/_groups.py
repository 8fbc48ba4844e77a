"""Group comparisons: two-group t-test and Mann–Whitney test, one-way ANOVA and Kruskal–Wallis.

Each function takes a DataFrame, the dependent variable and the grouping column, drops rows
with a missing value in either (and counts them), and returns a frozen result with the
test, effect sizes, group descriptives and post-hoc comparisons.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np
import pandas as pd
from scipy import stats

from peoscales._deprecation import RenamedKeys, renamed_arguments
from peoscales._kernels import groups as kern
from peoscales._kernels.posthoc import ADJUST_METHODS, dunn, p_adjust
from peoscales._results import (
    Result,
    Section,
    apa_number,
    apa_p,
    ci_text,
    count_text,
    format_p,
    sections_html,
    sections_text,
)
from peoscales._validation import (
    as_frame,
    check_finite,
    check_option,
    check_probability,
    numeric_block,
    numeric_like,
    preview,
    require_columns,
)
from peoscales.errors import DataTypeError, InsufficientDataError, ParameterError

__all__ = ["AnovaResult", "KruskalResult", "MannWhitneyResult", "TTestResult", "anova", "ttest"]

_ALTERNATIVES = ("two-sided", "less", "greater")


# ---------------------------------------------------------------------------------------
# shared helpers (also used by describe and crosstab)
# ---------------------------------------------------------------------------------------


def _apa_df(df: float) -> str:
    return str(int(df)) if float(df).is_integer() else apa_number(df, 2)


def _fixed(value: float, digits: int = 3, *, bounded: bool = False) -> str:
    """One displayed number: fixed decimals, a true minus, no leading zero when bounded."""
    return apa_number(float(value), digits, leading_zero=not bounded)


#: Readable labels of the descriptive columns, and their decimals.
_DESCRIPTIVE_LABELS = {"n": "n", "mean": "M", "sd": "SD", "se": "SE", "median": "Median"}
_DESCRIPTIVE_LABELS["mean_rank"] = "Mean rank"


def descriptives_display(desc: pd.DataFrame) -> pd.DataFrame:
    """Group descriptives as display strings: whole n, three decimals, readable labels."""
    out = pd.DataFrame(index=desc.index)
    for column in desc.columns:
        label = _DESCRIPTIVE_LABELS.get(str(column), str(column))
        if column == "n":
            out[label] = [count_text(v) for v in desc[column]]
        else:
            out[label] = [_fixed(v) for v in desc[column]]
    return out


def pair_label(first: Any, second: Any) -> str:
    """How a pair of groups is shown: ``A – B`` (the difference is A minus B)."""
    return f"{first} – {second}"


def encode_groups(series: pd.Series) -> tuple[np.ndarray, list[Any], bool]:
    """Integer codes (``-1`` for missing), the labels in the caller's order, ordered flag.

    A categorical keeps its categories and their order (unused categories included);
    other columns are sorted (numbers numerically, texts alphabetically), as R's
    ``factor``.
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy(dtype=np.int64)
        return codes, list(series.cat.categories), bool(series.cat.ordered)
    try:
        codes, uniques = pd.factorize(series, sort=True)
    except TypeError:  # mixed types that cannot be sorted: first-appearance order
        codes, uniques = pd.factorize(series, sort=False)
    return np.asarray(codes, dtype=np.int64), list(uniques), False


def numeric_outcome(frame: pd.DataFrame, dv: Hashable, argname: str = "dv") -> np.ndarray:
    """The dependent variable as float64 (NaN for missing), or a specific error."""
    series = frame[dv]
    if series.dtype == np.float64:
        # The usual score column: a read-only view, checked without a copy.
        y = series.to_numpy()
        check_finite(y[:, None], [dv], series.index, argname)
        return y
    if numeric_like(series):
        # The shared checks: complex numbers, infinite or overflow-size values.
        return numeric_block(frame, [dv], argname)[:, 0]
    present = series.notna().to_numpy(dtype=bool)
    if isinstance(series.dtype, pd.CategoricalDtype):
        converted = None  # categories are labels, not scores
        bad = present
    else:
        converted = pd.to_numeric(series, errors="coerce")
        bad = converted.isna().to_numpy(dtype=bool) & present
    if converted is None or bad.any():
        values = series[bad].astype(object).tolist()
        rows = series.index[bad].tolist()
        raise DataTypeError(
            f"{argname}={dv!r} must be a numeric column (the outcome to compare), but it holds "
            f"text or categories such as {preview(values, 3)} in rows {preview(rows, 3)}. "
            "Pass a numeric score as the outcome (did you swap the outcome and the grouping "
            "column?), or convert the codes with pandas.to_numeric first."
        )
    y = converted.to_numpy(dtype=np.float64, na_value=np.nan)
    check_finite(y[:, None], [dv], series.index, argname)
    return y


class _Prepared:
    """The outcome and group of every row, and the rows' group bins.

    ``bins`` holds the group code ``0..k-1`` of a usable row and ``k`` or more for a
    row left out (outside the chosen groups, no group, or no outcome), so statistics
    that bin by group (:func:`peoscales._kernels.groups.binned_moments`) read the
    caller's rows as they are. ``y`` and ``codes`` are the usable rows alone,
    compressed on first use.
    """

    def __init__(
        self, y_all: np.ndarray, bins: np.ndarray, labels: list[Any], n_excluded: int
    ) -> None:
        self.y_all = y_all
        self.bins = bins
        self.labels = labels
        self.n_excluded = n_excluded

    @functools.cached_property
    def _usable(self) -> np.ndarray:
        return self.bins < len(self.labels)

    @functools.cached_property
    def y(self) -> np.ndarray:
        """Outcome of the usable rows."""
        return self.y_all[self._usable]

    @functools.cached_property
    def codes(self) -> np.ndarray:
        """Group code ``0..k-1`` of the usable rows."""
        return self.bins[self._usable].astype(np.int64)


def _prepare(
    data: Any,
    dv: Hashable,
    group: Hashable,
    *,
    select: Sequence[Any] | None,
    min_groups: int,
    max_groups: int | None,
    function: str,
) -> _Prepared:
    frame = as_frame(data)
    for name, value in (("dv", dv), ("group", group)):
        if not isinstance(value, Hashable) or isinstance(value, (list, tuple)):
            raise ParameterError(f"{name} must be one column name, got {value!r}.")
    require_columns(frame, [dv, group])
    if dv == group:
        raise ParameterError(
            f"dv and group are both {dv!r}; give the outcome and the grouping column."
        )
    y = numeric_outcome(frame, dv)
    codes, labels, _ = encode_groups(frame[group])
    # Bins of the rows: 0..k-1 the groups, k outside the chosen groups, k + 1 left out
    # (no group, or no outcome). Binning, not compressing, keeps the work to a few
    # passes over the caller's rows.
    if select is not None:
        if isinstance(select, (str, bytes)) or len(select) != 2:
            raise ParameterError(
                f"groups must name two groups of {group!r}, e.g. groups=({preview(labels, 2)}), "
                f"got {select!r}."
            )
        unknown = [g for g in select if g not in labels]
        if unknown:
            raise ParameterError(
                f"groups={tuple(select)!r}: {preview(unknown)} is not a value of column "
                f"{group!r}; its values are {preview(labels, 10)}."
            )
        if select[0] == select[1]:
            raise ParameterError(f"groups={tuple(select)!r} names the same group twice.")
        outside, left_out = 2, 3
        table = np.full(len(labels) + 1, outside, dtype=np.intp)
        for pos, g in enumerate(select):
            table[labels.index(g)] = pos
        labels = list(select)
    else:
        outside, left_out = len(labels), len(labels) + 1
        table = np.arange(len(labels) + 1, dtype=np.intp)
    table[-1] = left_out  # code -1: no group
    bins = table[codes]
    np.copyto(bins, left_out, where=np.isnan(y) & (bins != outside))
    binned = np.bincount(bins, minlength=left_out + 1)
    n_excluded = int(binned[left_out])
    counts = binned[:outside]
    present = counts > 0
    if present.sum() < min_groups:
        found = [labels[i] for i in np.flatnonzero(present)]
        raise InsufficientDataError(
            f"{function} needs at least {min_groups} groups with a value of {dv!r}, but column "
            f"{group!r} has {len(found)}: {preview(found) or 'none'}. Check the grouping "
            "column, or whether the outcome is missing for the other groups."
        )
    if max_groups is not None and present.sum() > max_groups:
        found = [labels[i] for i in np.flatnonzero(present)]
        raise ParameterError(
            f"column {group!r} has {len(found)} groups ({preview(found)}); a t-test compares "
            f"two. Choose them with groups=({found[0]!r}, {found[1]!r}), or compare all "
            "groups with peoscales.anova."
        )
    single = [(labels[i], int(counts[i])) for i in np.flatnonzero(present & (counts < 2))]
    if single:
        shown = ", ".join(f"{g!r} (n = {c})" for g, c in single[:5])
        raise InsufficientDataError(
            f"{function}: group(s) {shown} of column {group!r} have fewer than two cases with "
            f"a value of {dv!r}; every group needs at least two. Merge such a group with "
            "another or leave it out, e.g. data[data[group] != label]."
        )
    kept_labels = [labels[i] for i in np.flatnonzero(present)]
    if not present.all():
        # Groups without cases (unused categories) are left out; renumber the rest.
        kept = len(kept_labels)
        renumber = np.full(left_out + 1, kept, dtype=np.intp)
        renumber[np.flatnonzero(present)] = np.arange(kept)
        bins = renumber[bins]
    return _Prepared(y, bins, kept_labels, n_excluded)


def _descriptives(
    labels: list[Any], n: np.ndarray, mean: np.ndarray, var: np.ndarray, name: Hashable
) -> pd.DataFrame:
    sd = np.sqrt(var)
    return pd.DataFrame(
        {"n": n.astype(np.int64), "mean": mean, "sd": sd, "se": sd / np.sqrt(n)},
        index=pd.Index(labels, name=name),
    )


def _check_spread(var: np.ndarray, labels: list[Any], dv: Hashable, *, every: bool) -> None:
    zero = var <= 0
    if (every and zero.any()) or zero.all():
        which = [labels[i] for i in np.flatnonzero(zero)]
        scope = "in group(s) " + preview(which) if every else "in every group"
        raise InsufficientDataError(
            f"{dv!r} has no variance {scope}, so the test statistic is undefined. "
            + (
                "Use welch=False (pooled variance) or a rank test (method='kruskal')."
                if every
                else "Check the outcome column."
            )
        )


def _check_alternative(alternative: str) -> None:
    check_option("alternative", alternative, _ALTERNATIVES)


def _bool_option(name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ParameterError(f"{name} must be True or False, got {value!r}.")
    return bool(value)


class _GroupTest(Result):
    """What the group-comparison results share: n, the footer line and the HTML view.

    Subclasses have ``descriptives`` (with an ``n`` column), ``n_excluded`` and ``to_apa()``.
    """

    descriptives: pd.DataFrame
    n_excluded: int

    _renamed: ClassVar[Mapping[str, str | tuple[str, ...]]] = {"n_dropped": "n_excluded"}

    def to_apa(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def n(self) -> int:
        """Number of cases used."""
        return int(self.descriptives["n"].sum())

    def _footer(self) -> str:
        return f"n = {self.n}, rows left out for missing values: {self.n_excluded}"

    def _heading(self) -> str:
        return self.title

    def _sections(self) -> list[Section]:  # pragma: no cover - abstract
        raise NotImplementedError

    def summary(self) -> str:
        """Descriptives, the test and its effect sizes as text (as the HTML view)."""
        return sections_text(self._heading(), self._sections(), [self.to_apa(), self._footer()])

    def _repr_html_(self) -> str:
        return sections_html(self._heading(), self._sections(), [self.to_apa(), self._footer()])


# ---------------------------------------------------------------------------------------
# two groups
# ---------------------------------------------------------------------------------------


def _plot_group_means(
    result: Any,
    ax: Any,
    data: pd.DataFrame | None,
    kind: str,
    lang: str,
    pairs: pd.DataFrame | None,
    style: dict[str, Any],
) -> Any:
    """The group-means chart of a t-test or ANOVA result (with the raw data when given)."""
    from peoscales import plot

    raw = None
    if data is not None:
        values = pd.to_numeric(data[result.dv], errors="coerce")
        raw = {g: values[data[result.between] == g].to_numpy() for g in result.descriptives.index}
    style.setdefault("ylabel", str(result.dv))
    return plot.group_means(
        result.descriptives,
        confidence=result.confidence,
        raw=raw,
        kind=kind,
        pairs=pairs,
        lang=lang,
        ax=ax,
        **style,
    )


@dataclass(frozen=True, eq=False, repr=False)
class TTestResult(_GroupTest):
    """An independent-samples t-test (Welch or Student) with effect sizes.

    Attributes
    ----------
    dv, between : column names
    groups : tuple
        The two group labels; the difference is ``groups[0] - groups[1]``.
    equal_var : bool
        True for Student's test (pooled variance), False for Welch's.
    t, df, p : float
    diff, se, ci_low, ci_high : float
        Mean difference, its standard error and confidence interval (one-sided
        alternatives give a one-sided interval, as R's ``t.test``).
    d, d_ci_low, d_ci_high : float
        Cohen's d (pooled SD) with its noncentral-t confidence interval.
    g, g_ci_low, g_ci_high : float
        Hedges' g: d and its limits times the exact correction J.
    descriptives : DataFrame
        n, mean, sd and se per group.
    n_excluded : int
        Rows of the two groups (or without a group) left out for a missing value.
    """

    dv: Hashable
    between: Hashable
    groups: tuple[Any, Any]
    equal_var: bool
    alternative: str
    confidence: float
    t: float
    df: float
    p: float
    diff: float
    se: float
    ci_low: float
    ci_high: float
    d: float
    g: float
    descriptives: pd.DataFrame
    n_excluded: int

    _renamed: ClassVar[Mapping[str, str | tuple[str, ...]]] = {
        "group": "between",
        "conf_level": "confidence",
    }

    @functools.cached_property
    def _d_limits(self) -> tuple[float, float]:
        """The noncentral-t limits of d, solved on first use.

        Inverting the noncentral t takes two root searches, more time than the whole
        test; most callers read p and d only. (A frozen dataclass without slots keeps
        an instance ``__dict__``, where ``cached_property`` stores the pair.)
        """
        n = self.descriptives["n"].to_numpy(dtype=np.float64)
        df_pooled = float(n.sum()) - 2
        scale = math.sqrt(1 / n[0] + 1 / n[1])
        level = self.confidence
        two_sided_level = level if self.alternative == "two-sided" else 2 * level - 1
        lo, hi = kern.nct_ci(self.d / scale, df_pooled, two_sided_level)
        d_lo, d_hi = lo * scale, hi * scale
        if self.alternative == "less":
            d_lo = -math.inf
        elif self.alternative == "greater":
            d_hi = math.inf
        return d_lo, d_hi

    @property
    def d_ci_low(self) -> float:
        """Lower confidence limit of d (noncentral t; computed on first access)."""
        return self._d_limits[0]

    @property
    def d_ci_high(self) -> float:
        """Upper confidence limit of d (noncentral t; computed on first access)."""
        return self._d_limits[1]

    @property
    def g_ci_low(self) -> float:
        """Lower confidence limit of g: d's limit times J."""
        return self.d_ci_low * self._hedges_j

    @property
    def g_ci_high(self) -> float:
        """Upper confidence limit of g: d's limit times J."""
        return self.d_ci_high * self._hedges_j

    @property
    def _hedges_j(self) -> float:
        # The J of ttest(), from the same pooled df.
        return kern.hedges_j(float(self.descriptives["n"].sum()) - 2)

    def plot(
        self,
        ax: Any = None,
        *,
        data: pd.DataFrame | None = None,
        kind: str = "strip",
        lang: str = "nl",
        **style: Any,
    ) -> Any:
        """Group means with their confidence intervals.

        Pass the analysed ``data`` to draw the observations behind the means
        (``kind="strip"`` or ``"violin"``). See :func:`peoscales.plot.group_means`.
        """
        return _plot_group_means(self, ax, data, kind, lang, None, style)

    @property
    def title(self) -> str:  # type: ignore[override]
        kind = "Student's" if self.equal_var else "Welch's"
        return f"{kind} t-test of {self.dv} by {self.between}"

    def to_frame(self) -> pd.DataFrame:
        """One row: test, mean difference with CI, d and g with CIs, n and n_excluded."""
        level = f"{self.confidence:.0%}"
        return pd.DataFrame(
            {
                "t": self.t,
                "df": self.df,
                "p": self.p,
                "diff": self.diff,
                "se": self.se,
                f"diff {level} low": self.ci_low,
                f"diff {level} high": self.ci_high,
                "d": self.d,
                f"d {level} low": self.d_ci_low,
                f"d {level} high": self.d_ci_high,
                "g": self.g,
                f"g {level} low": self.g_ci_low,
                f"g {level} high": self.g_ci_high,
                "n": self.n,
                "n_excluded": self.n_excluded,
            },
            index=pd.Index([f"{self.groups[0]} - {self.groups[1]}"], name=self.between),
        )

    def to_apa(self) -> str:
        """APA report: ``t(46.31) = 1.95, p = .058, d = 0.50``."""
        return (
            f"t({_apa_df(self.df)}) = {apa_number(self.t)}, {apa_p(self.p)}, "
            f"d = {apa_number(self.d)}"
        )

    def _heading(self) -> str:
        side = "" if self.alternative == "two-sided" else f" ({self.alternative})"
        return f"{self.title}{side}"

    def _sections(self) -> list[Section]:
        level = f"{self.confidence:.0%} CI"
        test = pd.DataFrame(
            {
                "Difference": [_fixed(self.diff)],
                level: [ci_text(self.ci_low, self.ci_high)],
                "t": [_fixed(self.t, 2)],
                "df": [count_text(self.df)],
                "p": [format_p(self.p)],
            },
            index=pd.Index([pair_label(*self.groups)], name=self.between),
        )
        effects = pd.DataFrame(
            {
                "Estimate": [_fixed(self.d), _fixed(self.g)],
                level: [
                    ci_text(self.d_ci_low, self.d_ci_high),
                    ci_text(self.g_ci_low, self.g_ci_high),
                ],
            },
            index=pd.Index(["Cohen's d", "Hedges' g"], name="Effect size"),
        )
        return [
            (None, descriptives_display(self.descriptives)),
            ("Mean difference", test),
            (None, effects),
        ]


@dataclass(frozen=True, eq=False, repr=False)
class MannWhitneyResult(_GroupTest):
    """A Mann–Whitney U test (Wilcoxon rank-sum test) with the rank-biserial correlation.

    Attributes
    ----------
    u : float
        The statistic of the first group, ``R_1 - n_1 (n_1 + 1) / 2`` (R's ``W``).
    p : float
    exact : bool
        Whether p is exact (no ties, both groups under 50) or the normal approximation
        with continuity and tie correction.
    r_rb, r_rb_ci_low, r_rb_ci_high : float
        Rank-biserial correlation ``2U / (n_1 n_2) - 1`` (positive when the first group
        tends to be higher) and its CI from Fisher's z with the SE of Kerby (2014).
    descriptives : DataFrame
        n, median and mean rank per group.
    """

    dv: Hashable
    between: Hashable
    groups: tuple[Any, Any]
    alternative: str
    confidence: float
    u: float
    p: float
    exact: bool
    r_rb: float
    r_rb_ci_low: float
    r_rb_ci_high: float
    descriptives: pd.DataFrame
    n_excluded: int

    _renamed: ClassVar[Mapping[str, str | tuple[str, ...]]] = {
        "group": "between",
        "conf_level": "confidence",
        "U": "u",
        "r": "r_rb",
        "r_ci_low": "r_rb_ci_low",
        "r_ci_high": "r_rb_ci_high",
    }

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Mann–Whitney test of {self.dv} by {self.between}"

    def to_frame(self) -> pd.DataFrame:
        """One row: u, p, r_rb with CI, n and n_excluded."""
        level = f"{self.confidence:.0%}"
        return pd.DataFrame(
            {
                "u": self.u,
                "p": self.p,
                "exact": self.exact,
                "r_rb": self.r_rb,
                f"r_rb {level} low": self.r_rb_ci_low,
                f"r_rb {level} high": self.r_rb_ci_high,
                "n": self.n,
                "n_excluded": self.n_excluded,
            },
            index=pd.Index([f"{self.groups[0]} - {self.groups[1]}"], name=self.between),
        )

    def to_apa(self) -> str:
        """APA report: ``U = 39.0, p = .004, r = −.63``."""
        return (
            f"U = {apa_number(self.u, 1)}, {apa_p(self.p)}, "
            f"r = {apa_number(self.r_rb, leading_zero=False)}"
        )

    def _heading(self) -> str:
        kind = "exact" if self.exact else "normal approximation, continuity corrected"
        side = "" if self.alternative == "two-sided" else f", {self.alternative}"
        return f"{self.title} ({kind}{side})"

    def _sections(self) -> list[Section]:
        test = pd.DataFrame(
            {
                "U": [_fixed(self.u, 1)],
                "p": [format_p(self.p)],
                "p from": ["exact" if self.exact else "normal approximation"],
                "rank-biserial r": [_fixed(self.r_rb, bounded=True)],
                f"{self.confidence:.0%} CI": [
                    ci_text(self.r_rb_ci_low, self.r_rb_ci_high, leading_zero=False)
                ],
            },
            index=pd.Index([pair_label(*self.groups)], name=self.between),
        )
        return [(None, descriptives_display(self.descriptives)), (None, test)]


@renamed_arguments(group="between", conf_level="confidence")
def ttest(
    data: pd.DataFrame,
    dv: Hashable,
    between: Hashable,
    *,
    groups: Sequence[Any] | None = None,
    equal_var: bool = False,
    alternative: Literal["two-sided", "less", "greater"] = "two-sided",
    confidence: float = 0.95,
    method: Literal["t", "mann-whitney"] = "t",
    exact: bool | None = None,
) -> TTestResult | MannWhitneyResult:
    """Compare two groups: Welch's t-test (default), Student's, or Mann–Whitney.

    Parameters
    ----------
    data : DataFrame
        One row per respondent. Never modified.
    dv : column name
        The numeric outcome.
    between : column name
        The grouping column. With exactly two groups they are compared in their order
        (category order for a categorical, else sorted); otherwise choose with ``groups``.
    groups : pair of labels, optional
        Which two groups to compare, in this order: the difference is
        ``groups[0] - groups[1]``. Other groups are ignored.
    equal_var : bool, default False
        False: Welch's test (no equal-variance assumption). True: Student's test.
    alternative : {"two-sided", "less", "greater"}
        The alternative hypothesis about ``groups[0] - groups[1]``.
    confidence : float, default 0.95
        Level of the confidence intervals.
    method : {"t", "mann-whitney"}
        ``"mann-whitney"`` gives the Mann–Whitney U test instead.
    exact : bool, optional
        Mann–Whitney only: exact p-value. Default as R: exact when both groups have
        fewer than 50 cases and there are no ties.

    Returns
    -------
    TTestResult or MannWhitneyResult

    Raises
    ------
    MissingColumnsError
        ``dv`` or ``between`` is not a column (close names are suggested).
    DataTypeError
        ``dv`` holds text.
    InsufficientDataError
        Fewer than two groups, or a group with fewer than two cases.
    ParameterError
        More than two groups and ``groups`` not given; an unknown option.

    Notes
    -----
    Welch: :math:`t = (\\bar x_1 - \\bar x_2) / \\sqrt{s_1^2/n_1 + s_2^2/n_2}` with the
    Welch–Satterthwaite df; Student: pooled variance, :math:`n_1 + n_2 - 2` df (as R's
    ``t.test``). Cohen's :math:`d = (\\bar x_1 - \\bar x_2) / s_p` uses the pooled SD
    whichever test is chosen; its CI inverts the noncentral t distribution with
    :math:`n_1 + n_2 - 2` df (Steiger & Fouladi, 1997; as ``MBESS::conf.limits.nct`` and
    ``effectsize::cohens_d``, solved here to full precision). Hedges'
    :math:`g = J d` with the exact :math:`J = \\Gamma(\\nu/2) / (\\sqrt{\\nu/2}\\,
    \\Gamma((\\nu-1)/2))` (Hedges, 1981), applied to the limits too. For one-sided
    alternatives all intervals are one-sided.

    Mann–Whitney: :math:`U = R_1 - n_1(n_1+1)/2`, p as R's ``wilcox.test(correct=TRUE)``
    (scipy's ``mannwhitneyu``); rank-biserial :math:`r = 2U/(n_1 n_2) - 1` with CI
    :math:`\\tanh(\\operatorname{atanh} r \\pm z \\sqrt{(n_1+n_2+1)/(3 n_1 n_2)})`
    (as ``effectsize::rank_biserial``).

    Examples
    --------
    >>> import pandas as pd, peoscales
    >>> df = pd.DataFrame({"brs": [3.2, 3.8, 4.1, 3.5, 2.9, 3.0, 2.7, 3.4],
    ...                    "type": ["jh"] * 4 + ["jb"] * 4})
    >>> res = peoscales.ttest(df, "brs", "type", groups=("jh", "jb"))
    >>> res.to_apa()
    't(5.60) = 2.67, p = .040, d = 1.89'
    >>> round(res.diff, 3)
    0.65
    """
    check_option("method", method, ("t", "mann-whitney"))
    _check_alternative(alternative)
    level = check_probability("confidence", confidence)
    equal_var = _bool_option("equal_var", equal_var)
    if exact is not None:
        exact = _bool_option("exact", exact)
        if method == "t":
            raise ParameterError("exact applies to method='mann-whitney' only.")
    prep = _prepare(data, dv, between, select=groups, min_groups=2, max_groups=2, function="ttest")
    labels = (prep.labels[0], prep.labels[1])
    if method == "mann-whitney":
        return _mann_whitney(prep, dv, between, labels, alternative, level, exact)
    n, mean, var = kern.binned_moments(prep.y_all, prep.bins, 2)
    _check_spread(var, prep.labels, dv, every=False)
    res = kern.two_sample_t(
        n, mean, var, equal_var=equal_var, alternative=alternative, conf_level=level
    )
    # Cohen's d from the pooled SD; its noncentral-t CI is solved when first read.
    df_pooled = n.sum() - 2
    sp = math.sqrt(((n[0] - 1) * var[0] + (n[1] - 1) * var[1]) / df_pooled)
    d = (mean[0] - mean[1]) / sp
    j = kern.hedges_j(df_pooled)
    return TTestResult(
        dv=dv,
        between=between,
        groups=labels,
        equal_var=equal_var,
        alternative=alternative,
        confidence=level,
        t=res["t"],
        df=res["df"],
        p=res["p"],
        diff=res["diff"],
        se=res["se"],
        ci_low=res["ci_low"],
        ci_high=res["ci_high"],
        d=float(d),
        g=float(d * j),
        descriptives=_descriptives(prep.labels, n, mean, var, between),
        n_excluded=prep.n_excluded,
    )


def _mann_whitney(
    prep: _Prepared,
    dv: Hashable,
    between: Hashable,
    labels: tuple[Any, Any],
    alternative: str,
    level: float,
    exact: bool | None,
) -> MannWhitneyResult:
    x = prep.y[prep.codes == 0]
    y = prep.y[prep.codes == 1]
    n1, n2 = x.size, y.size
    ties = np.unique(prep.y).size < prep.y.size
    if exact is None:
        exact = n1 < 50 and n2 < 50 and not ties
    elif exact and ties:
        raise ParameterError(
            f"exact=True: {dv!r} has tied values, and the exact Mann–Whitney p-value assumes "
            "none. Leave exact unset to get the normal approximation with tie correction."
        )
    # scipy's mannwhitneyu gives R's wilcox.test(correct=TRUE) p-values (checked against R).
    res = stats.mannwhitneyu(
        x,
        y,
        use_continuity=True,
        alternative=alternative,
        method="exact" if exact else "asymptotic",
    )
    u = float(res.statistic)
    r = 2 * u / (n1 * n2) - 1
    z = stats.norm.ppf(1 - (1 - level) / 2) if alternative == "two-sided" else stats.norm.ppf(level)
    se = math.sqrt((n1 + n2 + 1) / (3 * n1 * n2))
    r_lo = math.tanh(math.atanh(r) - z * se) if abs(r) < 1 else r
    r_hi = math.tanh(math.atanh(r) + z * se) if abs(r) < 1 else r
    if alternative == "less":
        r_lo = -1.0
    elif alternative == "greater":
        r_hi = 1.0
    ranks = stats.rankdata(prep.y)
    desc = pd.DataFrame(
        {
            "n": [n1, n2],
            "median": [float(np.median(x)), float(np.median(y))],
            "mean_rank": [
                float(ranks[prep.codes == 0].mean()),
                float(ranks[prep.codes == 1].mean()),
            ],
        },
        index=pd.Index(list(labels), name=between),
    )
    return MannWhitneyResult(
        dv=dv,
        between=between,
        groups=labels,
        alternative=alternative,
        confidence=level,
        u=u,
        p=float(res.pvalue),
        exact=bool(exact),
        r_rb=r,
        r_rb_ci_low=r_lo,
        r_rb_ci_high=r_hi,
        descriptives=desc,
        n_excluded=prep.n_excluded,
    )


# ---------------------------------------------------------------------------------------
# more than two groups
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class AnovaResult(_GroupTest):
    """A one-way ANOVA with effect sizes, optional Welch test and post-hoc pairs.

    Attributes
    ----------
    table : DataFrame
        Rows ``between``, ``within``, ``total``; columns ``SS, df, MS, F, p``.
    f, df1, df2, p : float
        The classical F test: F with its numerator (between) and denominator (within)
        degrees of freedom.
    eta2, omega2 : float
        η² = SS_between / SS_total and ω² = (SS_b − df_b MS_w) / (SS_t + MS_w).
    welch : dict or None
        Welch's test: ``f``, ``df1``, ``df2``, ``p`` (when ``welch=True``).
    posthoc : DataFrame or None
        One row per pair (``group1``, ``group2``): ``diff`` (= mean1 − mean2), ``se``,
        ``q``, ``df``, ``p`` (adjusted), CI; ``posthoc_method`` names the procedure.
    descriptives : DataFrame
        n, mean, sd, se per group.
    n_excluded : int
        Rows left out for a missing outcome or group.
    """

    dv: Hashable
    between: Hashable
    table: pd.DataFrame
    f: float
    df1: float
    df2: float
    p: float
    eta2: float
    omega2: float
    welch: dict[str, float] | None
    posthoc: pd.DataFrame | None
    posthoc_method: str | None
    confidence: float
    descriptives: pd.DataFrame
    n_excluded: int

    _renamed: ClassVar[Mapping[str, str | tuple[str, ...]]] = {
        "F": "f",
        "df_between": "df1",
        "df_within": "df2",
        "conf_level": "confidence",
    }

    def plot(
        self,
        ax: Any = None,
        *,
        data: pd.DataFrame | None = None,
        kind: str = "strip",
        lang: str = "nl",
        **style: Any,
    ) -> Any:
        """Group means with their confidence intervals and post-hoc brackets (adjusted p).

        Pass the analysed ``data`` to draw the observations behind the means
        (``kind="strip"`` or ``"violin"``). See :func:`peoscales.plot.group_means`.
        """
        return _plot_group_means(self, ax, data, kind, lang, self.posthoc, style)

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"One-way ANOVA of {self.dv} by {self.between}"

    def to_frame(self) -> pd.DataFrame:
        """The ANOVA table (SS, df, MS, F, p)."""
        return self.table

    def to_apa(self) -> str:
        """APA report: ``F(3, 96) = 6.98, p < .001, η² = .18`` (Welch's F when requested)."""
        eta = f"η² = {apa_number(self.eta2, leading_zero=False)}"
        if self.welch is not None:
            w = self.welch
            return (
                f"Welch's F({_apa_df(w['df1'])}, {_apa_df(w['df2'])}) = {apa_number(w['f'])}, "
                f"{apa_p(w['p'])}, {eta}"
            )
        return (
            f"F({_apa_df(self.df1)}, {_apa_df(self.df2)}) = "
            f"{apa_number(self.f)}, {apa_p(self.p)}, {eta}"
        )

    def _sections(self) -> list[Section]:
        t = self.table

        def cells(column: str, digits: int, bounded: bool = False) -> list[str]:
            return ["" if math.isnan(v) else _fixed(v, digits, bounded=bounded) for v in t[column]]

        effect = ["", ""]
        table = pd.DataFrame(
            {
                "SS": cells("SS", 3),
                "df": [count_text(v) for v in t["df"]],
                "MS": cells("MS", 3),
                "F": cells("F", 2),
                "p": ["" if math.isnan(v) else format_p(v) for v in t["p"]],
                "η²": [_fixed(self.eta2, bounded=True), *effect],
                "ω²": [_fixed(self.omega2, bounded=True), *effect],
            },
            index=pd.Index(["Between groups", "Within groups", "Total"], name="Source"),
        )
        out: list[Section] = [(None, descriptives_display(self.descriptives)), (None, table)]
        if self.welch is not None:
            w = self.welch
            welch = pd.DataFrame(
                {
                    "F": [_fixed(w["f"], 2)],
                    "df1": [count_text(w["df1"])],
                    "df2": [count_text(w["df2"])],
                    "p": [format_p(w["p"])],
                },
                index=pd.Index(["Welch's test"], name="Source"),
            )
            out.append((None, welch))
        if self.posthoc is not None:
            out.append((f"Post-hoc comparisons ({self.posthoc_method})", self._posthoc_display()))
        return out

    def _posthoc_display(self) -> pd.DataFrame:
        ph = self.posthoc if self.posthoc is not None else pd.DataFrame()
        low, high = ph.columns[-2], ph.columns[-1]
        return pd.DataFrame(
            {
                "Difference": [_fixed(v) for v in ph["diff"]],
                "SE": [_fixed(v) for v in ph["se"]],
                "q": [_fixed(v, 2) for v in ph["q"]],
                "df": [count_text(v) for v in ph["df"]],
                "p (adjusted)": [format_p(v) for v in ph["p"]],
                f"{self.confidence:.0%} CI": [ci_text(lo, hi) for lo, hi in zip(ph[low], ph[high])],
            },
            index=pd.Index(
                [pair_label(a, b) for a, b in zip(ph["group1"], ph["group2"])], name="Pair"
            ),
        )


@dataclass(frozen=True, eq=False, repr=False)
class KruskalResult(_GroupTest):
    """A Kruskal–Wallis test with the rank effect size η²_H.

    Attributes
    ----------
    h, df, p : float
        The tie-corrected statistic, its chi-square df and p (R's ``kruskal.test``).
    eta2_h : float
        η²_H = (H − k + 1) / (n − k) (Tomczak & Tomczak, 2014). This is not ε²
        (H / (n − 1)), a different rank effect size.
    descriptives : DataFrame
        n, median and mean rank per group.
    posthoc : DataFrame or None
        Dunn's test of every pair (``posthoc="dunn"``): ``group1``, ``group2``, ``diff``
        (mean rank of group1 minus that of group2), ``z``, ``p`` and ``p_adjusted``
        (by ``adjust``).
    adjust : str or None
        The p-value adjustment of the post-hoc tests.
    """

    dv: Hashable
    between: Hashable
    h: float
    df: float
    p: float
    eta2_h: float
    descriptives: pd.DataFrame
    n_excluded: int
    posthoc: pd.DataFrame | None = None
    adjust: str | None = None

    _renamed: ClassVar[Mapping[str, str | tuple[str, ...]]] = {"H": "h", "eta2_H": "eta2_h"}

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Kruskal–Wallis test of {self.dv} by {self.between}"

    def to_frame(self) -> pd.DataFrame:
        """One row: h, df, p, eta2_h (η²_H), n, n_excluded."""
        return pd.DataFrame(
            {
                "h": [self.h],
                "df": [self.df],
                "p": [self.p],
                "eta2_h": [self.eta2_h],
                "n": [self.n],
                "n_excluded": [self.n_excluded],
            },
            index=pd.Index([self.dv], name="dv"),
        )

    def to_apa(self) -> str:
        """APA report: ``H(3) = 12.31, p = .006, η²H = .10``."""
        return (
            f"H({_apa_df(self.df)}) = {apa_number(self.h)}, {apa_p(self.p)}, "
            f"η²H = {apa_number(self.eta2_h, leading_zero=False)}"
        )

    def _sections(self) -> list[Section]:
        test = pd.DataFrame(
            {
                "H": [_fixed(self.h, 2)],
                "df": [count_text(self.df)],
                "p": [format_p(self.p)],
                "η²H": [_fixed(self.eta2_h, bounded=True)],
            },
            index=pd.Index([str(self.dv)], name="Outcome"),
        )
        out: list[Section] = [(None, descriptives_display(self.descriptives)), (None, test)]
        if self.posthoc is not None:
            ph = self.posthoc
            pairs = pd.DataFrame(
                {
                    "Mean rank difference": [_fixed(v, 2) for v in ph["diff"]],
                    "z": [_fixed(v, 2) for v in ph["z"]],
                    "p": [format_p(v) for v in ph["p"]],
                    f"p ({self.adjust})": [format_p(v) for v in ph["p_adjusted"]],
                },
                index=pd.Index(
                    [pair_label(a, b) for a, b in zip(ph["group1"], ph["group2"])], name="Pair"
                ),
            )
            out.append(("Post-hoc comparisons (Dunn)", pairs))
        return out


_DEFAULT = "default"


@renamed_arguments(conf_level="confidence")
def anova(
    data: pd.DataFrame,
    dv: Hashable,
    between: Hashable,
    *,
    welch: bool = False,
    posthoc: Literal["tukey", "games-howell", "dunn", "default"] | None = "default",
    method: Literal["anova", "kruskal"] = "anova",
    confidence: float = 0.95,
    adjust: Literal["holm", "bonferroni", "fdr_bh", "none"] = "holm",
) -> AnovaResult | KruskalResult:
    """One-way ANOVA (or Kruskal–Wallis) of ``dv`` over the groups in ``between``.

    Parameters
    ----------
    data : DataFrame
        One row per respondent. Never modified.
    dv : column name
        The numeric outcome.
    between : column name
        The grouping column (category order kept for a categorical; otherwise sorted).
    welch : bool, default False
        Also give Welch's ANOVA (no equal-variance assumption); ``to_apa`` then reports it.
    posthoc : {"tukey", "games-howell", None}
        Pairwise comparisons of all groups. Default: Tukey's HSD, or Games–Howell when
        ``welch=True``. None: no post-hoc tests. With ``method="kruskal"``:
        ``"dunn"`` (Dunn's rank test of every pair) or None (the default).
    method : {"anova", "kruskal"}
        ``"kruskal"``: the Kruskal–Wallis rank test instead.
    confidence : float, default 0.95
        Family-wise level of the post-hoc confidence intervals.
    adjust : {"holm", "bonferroni", "fdr_bh", "none"}
        Adjustment of Dunn's p-values for multiple comparisons (R's ``p.adjust``; BH is
        ``"fdr_bh"``).

    Returns
    -------
    AnovaResult or KruskalResult

    Raises
    ------
    MissingColumnsError, DataTypeError, InsufficientDataError, ParameterError
        Unknown column, text outcome, fewer than two groups or a group with fewer than
        two cases, an unknown option.

    Notes
    -----
    :math:`SS_b = \\sum_j n_j (\\bar y_j - \\bar y)^2`, :math:`SS_w = \\sum_j (n_j - 1)
    s_j^2`, :math:`F = (SS_b / (k-1)) / (SS_w / (N-k))`; :math:`\\eta^2 = SS_b / SS_t`,
    :math:`\\omega^2 = (SS_b - (k-1) MS_w) / (SS_t + MS_w)`. Welch's ANOVA as R's
    ``oneway.test(var.equal = FALSE)`` (Welch, 1951).

    Dunn's test (Dunn, 1964), after Kruskal–Wallis: :math:`z_{ij} = (\\bar R_i - \\bar
    R_j) / \\sqrt{(N(N+1)/12 - \\sum (t^3 - t)/(12(N-1)))(1/n_i + 1/n_j)}` on the ranks
    of all cases, two-sided normal p (as ``FSA::dunnTest``), then adjusted.

    Tukey's HSD is the Tukey–Kramer procedure, as R's ``TukeyHSD``:
    :math:`q = |\\bar y_i - \\bar y_j| / \\sqrt{MS_w/2\\,(1/n_i + 1/n_j)}` referred to the
    studentized range with :math:`k` and :math:`N - k` df. Games–Howell (Games & Howell,
    1976; the formula of ``rstatix::games_howell_test``) uses
    :math:`\\sqrt{(s_i^2/n_i + s_j^2/n_j)/2}` and the Welch–Satterthwaite df per pair.
    Differences are ``group1 - group2`` (SPSS's "I - J"; R's ``TukeyHSD`` prints
    ``group2 - group1``).

    Kruskal–Wallis: tie-corrected H as R's ``kruskal.test``;
    :math:`\\eta^2_H = (H - k + 1)/(N - k)` (Tomczak & Tomczak, 2014).

    Examples
    --------
    >>> import pandas as pd, peoscales
    >>> df = pd.DataFrame({"brs": [3.1, 3.5, 3.3, 2.6, 2.9, 2.4, 3.9, 4.2, 3.6],
    ...                    "type": ["a"] * 3 + ["b"] * 3 + ["c"] * 3})
    >>> res = peoscales.anova(df, "brs", "type")
    >>> res.to_apa()
    'F(2, 6) = 18.69, p = .003, η² = .86'
    >>> res.posthoc[["group1", "group2", "diff"]].round(2)
      group1 group2  diff
    0      a      b  0.67
    1      a      c -0.60
    2      b      c -1.27
    """
    check_option("method", method, ("anova", "kruskal"))
    check_option("posthoc", posthoc, ("tukey", "games-howell", "dunn", None, _DEFAULT))
    check_option("adjust", adjust, tuple(ADJUST_METHODS))
    welch = _bool_option("welch", welch)
    level = check_probability("confidence", confidence)
    if method == "kruskal" and posthoc not in (None, _DEFAULT, "dunn"):
        raise ParameterError(
            f"posthoc={posthoc!r} compares means and does not apply to method='kruskal'; "
            "use posthoc='dunn' (Dunn's rank test) or posthoc=None."
        )
    if method == "anova" and posthoc == "dunn":
        raise ParameterError(
            "posthoc='dunn' is a rank test and follows method='kruskal'; for means use "
            "posthoc='tukey' or 'games-howell'."
        )
    if method == "kruskal" and welch:
        raise ParameterError("welch=True does not apply to method='kruskal'.")
    prep = _prepare(data, dv, between, select=None, min_groups=2, max_groups=None, function="anova")
    k = len(prep.labels)
    if method == "kruskal":
        res = kern.kruskal_wallis(prep.y, prep.codes, k)
        n = np.bincount(prep.codes, minlength=k)
        order = np.argsort(prep.codes, kind="stable")
        starts = np.r_[0, np.cumsum(n)[:-1]]
        ys = prep.y[order]
        medians = [float(np.median(ys[s : s + c])) for s, c in zip(starts, n)]
        desc = pd.DataFrame(
            {"n": n, "median": medians, "mean_rank": res["mean_rank"]},
            index=pd.Index(prep.labels, name=between),
        )
        dunn_table = None
        if posthoc == "dunn":
            dn = dunn(prep.y, prep.codes, k)
            names = np.asarray(prep.labels, dtype=object)
            dunn_table = pd.DataFrame(
                {
                    "group1": names[dn["i"]],
                    "group2": names[dn["j"]],
                    "diff": dn["diff"],
                    "z": dn["z"],
                    "p": dn["p"],
                    "p_adjusted": p_adjust(dn["p"], adjust),
                }
            )
        return KruskalResult(
            dv=dv,
            between=between,
            h=res["H"],
            df=res["df"],
            p=res["p"],
            eta2_h=res["eta2_H"],
            descriptives=desc,
            n_excluded=prep.n_excluded,
            posthoc=dunn_table,
            adjust=None if dunn_table is None else adjust,
        )

    n, mean, var = kern.group_moments(prep.y, prep.codes, k)
    _check_spread(var, prep.labels, dv, every=False)
    res = kern.oneway_anova(n, mean, var)
    welch_res = None
    if welch:
        _check_spread(var, prep.labels, dv, every=True)
        welch_res = kern.welch_anova(n, mean, var)
    if posthoc == _DEFAULT:
        posthoc = "games-howell" if welch else "tukey"
    table = pd.DataFrame(
        {
            "SS": [res["ss_between"], res["ss_within"], res["ss_between"] + res["ss_within"]],
            "df": [res["df_between"], res["df_within"], res["df_between"] + res["df_within"]],
            "MS": [res["ms_between"], res["ms_within"], np.nan],
            "F": [res["F"], np.nan, np.nan],
            "p": [res["p"], np.nan, np.nan],
        },
        index=pd.Index(["between", "within", "total"], name="source"),
    )
    pairs = None
    if posthoc is not None:
        if posthoc == "tukey":
            ph = kern.tukey_hsd(n, mean, res["ms_within"], res["df_within"], level)
        else:
            _check_spread(var, prep.labels, dv, every=True)
            ph = kern.games_howell(n, mean, var, level)
        labels = np.asarray(prep.labels, dtype=object)
        pct = f"{level:.0%}"
        pairs = pd.DataFrame(
            {
                "group1": labels[ph["i"]],
                "group2": labels[ph["j"]],
                "diff": ph["diff"],
                "se": ph["se"],
                "q": ph["q"],
                "df": ph["df"],
                "p": ph["p"],
                f"{pct} low": ph["ci_low"],
                f"{pct} high": ph["ci_high"],
            }
        )
    return AnovaResult(
        dv=dv,
        between=between,
        table=table,
        f=res["F"],
        df1=res["df_between"],
        df2=res["df_within"],
        p=res["p"],
        eta2=res["eta2"],
        omega2=res["omega2"],
        welch=None
        if welch_res is None
        else RenamedKeys(
            {("f" if key == "F" else key): value for key, value in welch_res.items()},
            renamed={"F": "f"},
            owner="AnovaResult.welch",
        ),
        posthoc=pairs,
        posthoc_method=None
        if posthoc is None
        else ("Tukey HSD" if posthoc == "tukey" else "Games–Howell"),
        confidence=level,
        descriptives=_descriptives(prep.labels, n, mean, var, between),
        n_excluded=prep.n_excluded,
    )
