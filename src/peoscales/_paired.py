"""Within-person comparisons of two scores, and one-sample tests.

:func:`paired_test` compares two columns measured on the same respondents (paired
t-test or Wilcoxon signed-rank test); :func:`one_sample_test` compares one column with a
fixed value. Rows with a missing value in a compared column are left out and counted.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np
import pandas as pd

from peoscales._groups import _apa_df, _fixed, descriptives_display, numeric_outcome
from peoscales._kernels import within as kern
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
from peoscales._validation import as_frame, check_option, check_probability, require_columns
from peoscales.errors import InsufficientDataError, ParameterError

__all__ = ["PairedTTestResult", "WilcoxonResult", "one_sample_test", "paired_test"]

_ALTERNATIVES = ("two-sided", "less", "greater")


class _WithinTest(Result):
    """What the paired and one-sample results share: the label, footer and views."""

    x: Hashable
    y: Hashable | None
    mu: float
    n: int
    n_excluded: int
    descriptives: pd.DataFrame

    def to_apa(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def _sections(self) -> list[Section]:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def label(self) -> str:
        """What is tested: ``x – y`` or ``x – mu``."""
        if self.y is None:
            return f"{self.x} – {apa_number(self.mu, 3) if self.mu % 1 else int(self.mu)}"
        return f"{self.x} – {self.y}"

    def _footer(self) -> str:
        what = "pairs" if self.y is not None else "cases"
        return f"n = {self.n} {what}, rows left out for missing values: {self.n_excluded}"

    def summary(self) -> str:
        """Descriptives, the test and its effect sizes as text (as the HTML view)."""
        return sections_text(self.title, self._sections(), [self.to_apa(), self._footer()])

    def _repr_html_(self) -> str:
        return sections_html(self.title, self._sections(), [self.to_apa(), self._footer()])


@dataclass(frozen=True, eq=False, repr=False)
class PairedTTestResult(_WithinTest):
    """A paired-samples or one-sample t-test with Cohen's d_z (and d_av) and CIs.

    Attributes
    ----------
    x, y : column names
        The compared columns; ``y`` is None for a one-sample test.
    mu : float
        The tested value of the mean (difference).
    t, df, p : float
    diff, se, ci_low, ci_high : float
        Mean difference ``mean(x - y) - mu`` (one-sample: ``mean(x) - mu``), its
        standard error and confidence interval (one-sided for one-sided alternatives).
    dz, dz_ci_low, dz_ci_high : float
        Cohen's d_z: ``diff / sd(x - y)``, with the noncentral-t interval.
    gz, gz_ci_low, gz_ci_high : float
        Hedges' correction of d_z: d_z and its limits times ``J(n - 1)``.
    d_av, d_av_ci_low, d_av_ci_high : float
        Paired tests only (NaN otherwise): ``diff / ((sd(x) + sd(y)) / 2)``.
    g_av : float
        Hedges' correction of d_av (``J(n - 1) d_av``).
    descriptives : DataFrame
        n, mean, sd, se of x, y and of the difference.
    n, n_excluded : int
        Pairs (cases) used; rows left out for a missing value in x or y.
    """

    x: Hashable
    y: Hashable | None
    mu: float
    alternative: str
    confidence: float
    t: float
    df: float
    p: float
    diff: float
    se: float
    ci_low: float
    ci_high: float
    dz: float
    dz_ci_low: float
    dz_ci_high: float
    gz: float
    gz_ci_low: float
    gz_ci_high: float
    d_av: float
    d_av_ci_low: float
    d_av_ci_high: float
    g_av: float
    descriptives: pd.DataFrame
    n: int
    n_excluded: int

    # Hedges' correction of d_z is written like dz (gz), as g_av follows d_av.
    _renamed: ClassVar[Mapping[str, str | tuple[str, ...]]] = {
        "g_z": "gz",
        "g_z_ci_low": "gz_ci_low",
        "g_z_ci_high": "gz_ci_high",
    }

    @property
    def title(self) -> str:  # type: ignore[override]
        kind = "Paired-samples" if self.y is not None else "One-sample"
        side = "" if self.alternative == "two-sided" else f" ({self.alternative})"
        return f"{kind} t-test of {self.label}{side}"

    def to_frame(self) -> pd.DataFrame:
        """One row: t, df, p, the difference with CI, d_z, gz and d_av with CIs, n."""
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
                "dz": self.dz,
                f"dz {level} low": self.dz_ci_low,
                f"dz {level} high": self.dz_ci_high,
                "gz": self.gz,
                "d_av": self.d_av,
                f"d_av {level} low": self.d_av_ci_low,
                f"d_av {level} high": self.d_av_ci_high,
                "g_av": self.g_av,
                "n": self.n,
                "n_excluded": self.n_excluded,
            },
            index=pd.Index([self.label], name="comparison"),
        )

    def to_apa(self) -> str:
        """APA report: ``t(57) = 2.31, p = .025, dz = 0.30``."""
        return (
            f"t({_apa_df(self.df)}) = {apa_number(self.t)}, {apa_p(self.p)}, "
            f"dz = {apa_number(self.dz)}"
        )

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
            index=pd.Index([self.label], name="Comparison"),
        )
        names = ["Cohen's dz", "Hedges' gz"]
        estimates = [_fixed(self.dz), _fixed(self.gz)]
        intervals = [
            ci_text(self.dz_ci_low, self.dz_ci_high),
            ci_text(self.gz_ci_low, self.gz_ci_high),
        ]
        if self.y is not None:
            names += ["Cohen's d_av", "Hedges' g_av"]
            estimates += [_fixed(self.d_av), _fixed(self.g_av)]
            intervals += [ci_text(self.d_av_ci_low, self.d_av_ci_high), ""]
        effects = pd.DataFrame(
            {"Estimate": estimates, level: intervals},
            index=pd.Index(names, name="Effect size"),
        )
        return [
            (None, descriptives_display(self.descriptives)),
            ("Mean difference", test),
            (None, effects),
        ]


@dataclass(frozen=True, eq=False, repr=False)
class WilcoxonResult(_WithinTest):
    """A Wilcoxon signed-rank test with the matched-pairs rank-biserial correlation.

    Attributes
    ----------
    w : float
        Sum of the ranks of the positive differences (R's ``V``).
    p : float
    exact : bool
        Whether p is exact or from the normal approximation.
    z : float
        The (continuity-corrected) normal deviate; NaN when p is exact.
    r_rb, r_rb_ci_low, r_rb_ci_high : float
        Matched-pairs rank-biserial correlation ``(W+ - W-) / (W+ + W-)`` with CI.
    n_zero : int
        Pairs with a zero difference (left out of the ranks, as R does).
    descriptives : DataFrame
        n, median, mean and sd of x, y and of the difference.
    """

    x: Hashable
    y: Hashable | None
    mu: float
    alternative: str
    confidence: float
    w: float
    p: float
    exact: bool
    z: float
    r_rb: float
    r_rb_ci_low: float
    r_rb_ci_high: float
    n_zero: int
    descriptives: pd.DataFrame
    n: int
    n_excluded: int

    @property
    def title(self) -> str:  # type: ignore[override]
        kind = "exact" if self.exact else "normal approximation"
        side = "" if self.alternative == "two-sided" else f", {self.alternative}"
        return f"Wilcoxon signed-rank test of {self.label} ({kind}{side})"

    def to_frame(self) -> pd.DataFrame:
        """One row: w, p, exact, z, r_rb with CI, n, n_zero, n_excluded."""
        level = f"{self.confidence:.0%}"
        return pd.DataFrame(
            {
                "w": self.w,
                "p": self.p,
                "exact": self.exact,
                "z": self.z,
                "r_rb": self.r_rb,
                f"r_rb {level} low": self.r_rb_ci_low,
                f"r_rb {level} high": self.r_rb_ci_high,
                "n": self.n,
                "n_zero": self.n_zero,
                "n_excluded": self.n_excluded,
            },
            index=pd.Index([self.label], name="comparison"),
        )

    def to_apa(self) -> str:
        """APA report: ``V = 512.0, p = .031, r = .28``."""
        return (
            f"V = {apa_number(self.w, 1)}, {apa_p(self.p)}, "
            f"r = {apa_number(self.r_rb, leading_zero=False)}"
        )

    def _sections(self) -> list[Section]:
        test = pd.DataFrame(
            {
                "V": [_fixed(self.w, 1)],
                "p": [format_p(self.p)],
                "p from": ["exact" if self.exact else "normal approximation"],
                "rank-biserial r": [_fixed(self.r_rb, bounded=True)],
                f"{self.confidence:.0%} CI": [
                    ci_text(self.r_rb_ci_low, self.r_rb_ci_high, leading_zero=False)
                ],
            },
            index=pd.Index([self.label], name="Comparison"),
        )
        return [(None, descriptives_display(self.descriptives)), (None, test)]


def _column(frame: pd.DataFrame, name: Hashable, argname: str) -> np.ndarray:
    if not isinstance(name, Hashable) or isinstance(name, (list, tuple)):
        raise ParameterError(f"{argname} must be one column name, got {name!r}.")
    return numeric_outcome(frame, name, argname)


def _describe(values: dict[str, np.ndarray], rank: bool) -> pd.DataFrame:
    rows = {}
    for label, v in values.items():
        sd = float(v.std(ddof=1)) if v.size > 1 else math.nan
        row = {"n": v.size, "mean": float(v.mean()), "sd": sd, "se": sd / math.sqrt(v.size)}
        if rank:
            row = {"n": v.size, "median": float(np.median(v)), "mean": row["mean"], "sd": sd}
        rows[label] = row
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("variable")


def _run(
    data: Any,
    x: Hashable,
    y: Hashable | None,
    mu: float,
    method: str,
    alternative: str,
    confidence: float,
    exact: bool | None,
    correction: bool,
) -> PairedTTestResult | WilcoxonResult:
    check_option("method", method, ("t", "wilcoxon"))
    check_option("alternative", alternative, _ALTERNATIVES)
    level = check_probability("confidence", confidence)
    for name, flag in (("correction", correction), ("exact", exact)):
        if flag is not None and not isinstance(flag, (bool, np.bool_)):
            raise ParameterError(f"{name} must be True or False, got {flag!r}.")
    if method == "t" and (exact is not None or correction is not True):
        raise ParameterError("exact and correction apply to method='wilcoxon' only.")
    try:
        mu = float(mu)
    except (TypeError, ValueError):
        raise ParameterError(f"mu must be a number, got {mu!r}.") from None
    if not math.isfinite(mu):
        raise ParameterError(f"mu must be a finite number, got {mu!r}.")
    frame = as_frame(data)
    require_columns(frame, [x] if y is None else [x, y])
    if y is not None and x == y:
        raise ParameterError(f"x and y are both {x!r}; give the two columns to compare.")
    xs = _column(frame, x, "x")
    ys = _column(frame, y, "y") if y is not None else None
    keep = ~np.isnan(xs) if ys is None else ~(np.isnan(xs) | np.isnan(ys))
    n = int(keep.sum())
    n_excluded = int(keep.size - n)
    what = "pairs with both values" if ys is not None else "values"
    if n < 2:
        raise InsufficientDataError(
            f"The test needs at least two {what} of {x!r}"
            + (f" and {y!r}" if y is not None else "")
            + f", found {n} ({n_excluded} rows have a missing value). Check the columns."
        )
    xv = xs[keep]
    yv = ys[keep] if ys is not None else None
    d = xv - yv if yv is not None else xv
    parts = {str(x): xv} if yv is None else {str(x): xv, str(y): yv, "difference": d}
    if method == "wilcoxon":
        if not (d - mu).any():
            raise InsufficientDataError(
                f"Every {'difference' if yv is not None else 'value'} of {x!r} equals "
                f"{mu:g}: nothing to rank. Check the columns and mu."
            )
        res = kern.signed_rank(
            d - mu, alternative=alternative, exact=exact, correction=correction, level=level
        )
        return WilcoxonResult(
            x=x,
            y=y,
            mu=mu,
            alternative=alternative,
            confidence=level,
            w=res["w"],
            p=res["p"],
            exact=res["exact"],
            z=res["z"],
            r_rb=res["r_rb"],
            r_rb_ci_low=res["r_rb_ci_low"],
            r_rb_ci_high=res["r_rb_ci_high"],
            n_zero=res["n_zero"],
            descriptives=_describe(parts, rank=True),
            n=n,
            n_excluded=n_excluded,
        )
    if float(d.std(ddof=1)) == 0:
        raise InsufficientDataError(
            f"The {'differences' if yv is not None else 'values'} of {x!r} have no variance, "
            "so t is undefined. Check the columns, or use method='wilcoxon'."
        )
    s_av = None if yv is None else (float(xv.std(ddof=1)) + float(yv.std(ddof=1))) / 2
    res = kern.one_sample_t(d, mu, alternative=alternative, level=level, s_av=s_av)
    j = res["j"]
    d_av = res.get("d_av", math.nan)
    return PairedTTestResult(
        x=x,
        y=y,
        mu=mu,
        alternative=alternative,
        confidence=level,
        t=res["t"],
        df=res["df"],
        p=res["p"],
        diff=res["diff"],
        se=res["se"],
        ci_low=res["ci_low"],
        ci_high=res["ci_high"],
        dz=res["dz"],
        dz_ci_low=res["dz_ci_low"],
        dz_ci_high=res["dz_ci_high"],
        gz=j * res["dz"],
        gz_ci_low=j * res["dz_ci_low"],
        gz_ci_high=j * res["dz_ci_high"],
        d_av=d_av,
        d_av_ci_low=res.get("d_av_ci_low", math.nan),
        d_av_ci_high=res.get("d_av_ci_high", math.nan),
        g_av=j * d_av,
        descriptives=_describe(parts, rank=False),
        n=n,
        n_excluded=n_excluded,
    )


def paired_test(
    data: pd.DataFrame,
    x: Hashable,
    y: Hashable,
    *,
    method: Literal["t", "wilcoxon"] = "t",
    mu: float = 0.0,
    alternative: Literal["two-sided", "less", "greater"] = "two-sided",
    confidence: float = 0.95,
    exact: bool | None = None,
    correction: bool = True,
) -> PairedTTestResult | WilcoxonResult:
    """Compare two scores of the same respondents: paired t-test or Wilcoxon signed-rank.

    Parameters
    ----------
    data : DataFrame
        One row per respondent (wide: one column per score). Never modified.
    x, y : column name
        The two scores; the difference is ``x - y``.
    method : {"t", "wilcoxon"}
        ``"t"``: paired t-test. ``"wilcoxon"``: Wilcoxon signed-rank test.
    mu : float, default 0
        The mean (t) or location (Wilcoxon) of ``x - y`` under the null hypothesis.
    alternative : {"two-sided", "less", "greater"}
        The alternative hypothesis about ``x - y``.
    confidence : float, default 0.95
        Level of the confidence intervals.
    exact : bool, optional
        Wilcoxon only: exact p. Default as R: exact when fewer than 50 non-zero
        differences and no ties or zeros (with ties or zeros the normal approximation is
        used, as R does).
    correction : bool, default True
        Wilcoxon only: continuity correction of the normal approximation.

    Returns
    -------
    PairedTTestResult or WilcoxonResult

    Raises
    ------
    MissingColumnsError, DataTypeError
        ``x`` or ``y`` is not a column, or holds text.
    InsufficientDataError
        Fewer than two complete pairs, or differences without variance.
    ParameterError
        An unknown option.

    Notes
    -----
    Rows with a missing value in ``x`` or ``y`` are left out (``n_excluded``).
    The paired t-test is the one-sample test of :math:`d = x - y`:
    :math:`t = (\\bar d - \\mu) / (s_d / \\sqrt n)` with :math:`n - 1` df, as R's
    ``t.test(x, y, paired = TRUE)``. Cohen's :math:`d_z = (\\bar d - \\mu) / s_d`; its
    interval inverts the noncentral t distribution of :math:`t` (noncentrality
    :math:`d_z \\sqrt n`; Steiger & Fouladi, 1997). :math:`d_{av} = (\\bar d - \\mu) /
    ((s_x + s_y)/2)` (Cumming, 2012; Lakens, 2013); its limits are those of :math:`d_z`
    times :math:`s_d / s_{av}` (the SD ratio taken as known, an approximation). Hedges'
    correction multiplies by :math:`J(n-1) = \\Gamma(\\tfrac{n-1}{2}) /
    (\\sqrt{\\tfrac{n-1}{2}}\\,\\Gamma(\\tfrac{n-2}{2}))`.

    Wilcoxon: zero differences are dropped; :math:`V` is the sum of the ranks of the
    positive :math:`|d|`, p exact (``psignrank``) or normal with tie-corrected variance
    and continuity correction, as R's ``wilcox.test(paired = TRUE)``. The matched-pairs
    rank-biserial correlation :math:`r = (W_+ - W_-)/(W_+ + W_-)` (Kerby, 2014) has the
    interval :math:`\\tanh(\\operatorname{atanh} r \\pm z\\,SE)` with
    :math:`SE = \\sqrt{(2n^3 + 3n^2 + n)/6} / (n(n+1)/2)` (as ``effectsize``).

    Examples
    --------
    >>> import pandas as pd, peoscales
    >>> df = pd.DataFrame({"home_work": [2.1, 2.8, 3.0, 2.4, 3.3, 2.9],
    ...                    "work_home": [2.0, 2.2, 2.9, 2.0, 2.6, 2.8]})
    >>> res = peoscales.paired_test(df, "home_work", "work_home")
    >>> res.to_apa()
    't(5) = 2.99, p = .031, dz = 1.22'
    >>> peoscales.paired_test(df, "home_work", "work_home", method="wilcoxon").to_apa()
    'V = 21.0, p = .034, r = 1.00'
    """
    return _run(data, x, y, mu, method, alternative, confidence, exact, correction)


def one_sample_test(
    data: pd.DataFrame,
    x: Hashable,
    *,
    mu: float = 0.0,
    method: Literal["t", "wilcoxon"] = "t",
    alternative: Literal["two-sided", "less", "greater"] = "two-sided",
    confidence: float = 0.95,
    exact: bool | None = None,
    correction: bool = True,
) -> PairedTTestResult | WilcoxonResult:
    """Compare the scores in one column with a fixed value ``mu``.

    The same test as :func:`paired_test` applied to ``x - mu``: a one-sample t-test
    (with Cohen's d and Hedges' g, reported as ``dz`` and ``gz``) or a Wilcoxon
    signed-rank test. Parameters, errors and formulas as :func:`paired_test`; the
    result has ``y = None``.

    Examples
    --------
    >>> import pandas as pd, peoscales
    >>> df = pd.DataFrame({"brs": [3.2, 3.8, 4.1, 3.5, 2.9, 3.6, 3.4]})
    >>> peoscales.one_sample_test(df, "brs", mu=3).to_apa()
    't(6) = 3.38, p = .015, dz = 1.28'
    """
    return _run(data, x, None, mu, method, alternative, confidence, exact, correction)
