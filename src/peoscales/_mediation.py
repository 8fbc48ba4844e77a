"""Mediation: does the effect of x on y run through one or more mediators?

:func:`mediate` fits the paths of a (parallel) mediation model by least squares and
gives the indirect effects with bootstrap intervals (percentile and BCa), the Sobel test,
the direct and total effects and the proportion mediated.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Literal

import numpy as np
import pandas as pd

from peoscales._kernels import mediation as kern
from peoscales._kernels._blas import single_blas_thread
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
    check_memory,
    check_option,
    check_probability,
    generator,
    numeric_block,
    preview,
    require_columns,
)
from peoscales.errors import CollinearityError, InsufficientDataError, ParameterError

__all__ = ["MediationResult", "mediate"]


def _fixed(value: float, digits: int = 3) -> str:
    return apa_number(float(value), digits)


@dataclass(frozen=True, eq=False, repr=False)
class MediationResult(Result):
    """A mediation model: paths, indirect effects with bootstrap CIs, Sobel tests.

    Attributes
    ----------
    x, y : column names
        The predictor and the outcome.
    m : tuple of column names
        The mediators (parallel: each is regressed on x, all enter the model of y).
    covariates : tuple of column names
        Covariates in every model.
    paths : DataFrame
        One row per path, ``a`` (x → m, per mediator), ``b`` (m → y given x), ``c``
        (total effect of x) and ``c'`` (direct effect of x given the mediators);
        columns ``path, from, to, b, se, t, df, p, ci_low, ci_high``.
    effects : DataFrame
        Indirect effect per mediator (and their total when there are several), the direct
        and the total effect: ``effect, se, ci_low, ci_high, p`` and, for the indirect
        effects, the percentile and BCa limits. The SE of an indirect effect is the SD of
        its bootstrap replicates; its p is Sobel's.
    indirect, ci_low, ci_high : float
        The (total) indirect effect and its bootstrap interval by ``ci_method``.
    direct, total : float
        c' and c.
    proportion_mediated : float
        indirect / total (unstable when the total effect is near zero).
    sobel : DataFrame
        Sobel's test per mediator: ``indirect, se, z, p``.
    ci_method : {"percentile", "bca"}
    confidence : float
    n_boot : int
    replicates : ndarray
        Bootstrap replicates of the indirect effects, (n_boot, number of mediators).
    n, n_excluded : int
        Rows used; rows left out for a missing value in x, m, y or a covariate.
    """

    x: Hashable
    m: tuple[Hashable, ...]
    y: Hashable
    covariates: tuple[Hashable, ...]
    indirect: float
    ci_low: float
    ci_high: float
    direct: float
    total: float
    proportion_mediated: float
    ci_method: str
    confidence: float
    n_boot: int
    replicates: np.ndarray
    n: int
    n_excluded: int
    # The three tables are built when first read: a DataFrame costs more than most of
    # the fit, and a bootstrap loop over mediate() may never look at them.
    _build_tables: Callable[[], tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]] = field(repr=False)
    _tables: list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]] = field(
        default_factory=list, repr=False
    )

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled (and copied) with its tables built: the closure that builds them is not
        # picklable.
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.init}
        values["_build_tables"] = functools.partial(_built, (self.paths, self.effects, self.sobel))
        values.pop("_tables", None)
        return (_restore, (type(self), values))

    def _table(self, which: int) -> pd.DataFrame:
        if not self._tables:
            self._tables.append(self._build_tables())
        return self._tables[0][which]

    @property
    def paths(self) -> pd.DataFrame:
        """Paths a, b, c and c′: ``from, to, b, se, t, df, p, ci_low, ci_high``."""
        return self._table(0)

    @property
    def effects(self) -> pd.DataFrame:
        """Indirect (per mediator and total), direct and total effects with CIs and p."""
        return self._table(1)

    @property
    def sobel(self) -> pd.DataFrame:
        """Sobel's test per mediator: ``indirect, se, z, p``."""
        return self._table(2)

    @property
    def title(self) -> str:  # type: ignore[override]
        via = ", ".join(str(v) for v in self.m)
        return f"Mediation of {self.x} → {self.y} through {via}"

    def to_frame(self) -> pd.DataFrame:
        """The effects table (indirect, direct, total) with SEs, CIs and p."""
        return self.effects

    def to_apa(self) -> str:
        """APA report of the (total) indirect and the direct effect."""
        method = "percentile" if self.ci_method == "percentile" else "BCa"
        return (
            f"indirect effect = {apa_number(self.indirect)}, "
            f"{self.confidence:.0%} CI {ci_text(self.ci_low, self.ci_high, 2)} "
            f"({method} bootstrap, {self.n_boot:,} resamples); direct effect c′ = "
            f"{apa_number(self.direct)}, {apa_p(self.paths.loc['c′', 'p'])}"
        )

    def _sections(self) -> list[Section]:
        level = f"{self.confidence:.0%} CI"
        p = self.paths
        paths = pd.DataFrame(
            {
                "From": [str(v) for v in p["from"]],
                "To": [str(v) for v in p["to"]],
                "b": [_fixed(v) for v in p["b"]],
                "SE": [_fixed(v) for v in p["se"]],
                "t": [_fixed(v, 2) for v in p["t"]],
                "df": [count_text(v) for v in p["df"]],
                "p": [format_p(v) for v in p["p"]],
                level: [ci_text(lo, hi) for lo, hi in zip(p["ci_low"], p["ci_high"])],
            },
            index=pd.Index(list(p.index), name="Path"),
        )
        e = self.effects
        effects = pd.DataFrame(
            {
                "Effect": [_fixed(v) for v in e["effect"]],
                "SE": [_fixed(v) for v in e["se"]],
                level: [ci_text(lo, hi) for lo, hi in zip(e["ci_low"], e["ci_high"])],
                "p": [format_p(v) for v in e["p"]],
            },
            index=pd.Index(list(e.index), name="Effect"),
        )
        return [("Paths", paths), ("Effects", effects)]

    def _notes(self) -> list[str]:
        method = "percentile" if self.ci_method == "percentile" else "bias-corrected (BCa)"
        return [
            self.to_apa(),
            f"Indirect effects: SE = SD of {self.n_boot:,} bootstrap resamples, {method} "
            "interval, p from the Sobel test. Proportion mediated: "
            f"{apa_number(self.proportion_mediated)}.",
            f"n = {self.n}, rows left out for missing values: {self.n_excluded}",
        ]

    def summary(self) -> str:
        """Paths and effects as text (as the HTML view)."""
        return sections_text(self.title, self._sections(), self._notes())

    def _repr_html_(self) -> str:
        return sections_html(self.title, self._sections(), self._notes())


def _built(
    tables: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return tables


def _restore(cls: type[MediationResult], values: dict[str, Any]) -> MediationResult:
    return cls(**values)


def _names(value: Any, argname: str, *, allow_empty: bool) -> list[Hashable]:
    if value is None:
        names: list[Hashable] = []
    elif isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        names = [value]
    else:
        names = list(value)
    if not names and not allow_empty:
        raise ParameterError(f"{argname} must name at least one column.")
    return names


def mediate(
    data: pd.DataFrame,
    x: Hashable,
    m: Hashable | Sequence[Hashable],
    y: Hashable,
    *,
    covariates: Sequence[Hashable] | None = None,
    n_boot: int = 5000,
    ci_method: Literal["percentile", "bca"] = "percentile",
    confidence: float = 0.95,
    seed: int | np.random.Generator | None = None,
) -> MediationResult:
    """Test whether the effect of ``x`` on ``y`` runs through the mediator(s) ``m``.

    Parameters
    ----------
    data : DataFrame
        One row per respondent. Never modified.
    x, y : column name
        Predictor and outcome (numeric).
    m : column name or list of column names
        One mediator, or several parallel mediators.
    covariates : list of column names, optional
        Numeric covariates, entered in every model.
    n_boot : int, default 5000
        Bootstrap resamples for the intervals of the indirect effects.
    ci_method : {"percentile", "bca"}
        Which bootstrap interval gives ``ci_low``/``ci_high``; ``effects`` holds both.
    confidence : float, default 0.95
    seed : int or Generator, optional
        Makes the resamples reproducible.

    Returns
    -------
    MediationResult

    Raises
    ------
    MissingColumnsError, DataTypeError
        A named column is absent or holds text.
    InsufficientDataError
        Fewer complete rows than the model of y has coefficients plus two.
    CollinearityError
        Collinear variables (e.g. a mediator equal to x): a column that x, the
        covariates and the mediators before it determine up to 1e-7 of its norm, the
        criterion by which R's ``lm`` gives it no coefficient; or a constant column.
    ParameterError
        A column used twice, an unknown option, ``n_boot`` below 100.

    Notes
    -----
    Rows with a missing value in any of the columns are left out (``n_excluded``).
    Models (ordinary least squares; Hayes, 2022, model 4): :math:`m_j = i_j + a_j x +
    \\gamma_j' c`; :math:`y = i + c' x + \\sum_j b_j m_j + \\delta' c`; :math:`y = i +
    c x + \\delta' c`. The indirect effect through :math:`m_j` is :math:`a_j b_j`; with
    several mediators their sum is the total indirect effect, and :math:`c = c' +
    \\sum_j a_j b_j`. Proportion mediated: :math:`\\sum_j a_j b_j / c`.

    Bootstrap: rows are resampled with replacement ``n_boot`` times; each replicate's
    paths are solved from its weighted cross-products (no model is refitted). Percentile
    limits are the replicate quantiles (R's ``quantile`` type 7); BCa (Efron, 1987)
    corrects them with :math:`z_0 = \\Phi^{-1}(\\#\\{\\theta^* < \\hat\\theta\\}/B)` and the
    jackknife acceleration. Sobel (1982): :math:`z = a b / \\sqrt{b^2 s_a^2 + a^2 s_b^2}`.

    Examples
    --------
    >>> import numpy as np, pandas as pd, peoscales
    >>> rng = np.random.default_rng(3)
    >>> x = rng.normal(size=200)
    >>> m = 0.5 * x + rng.normal(size=200)
    >>> y = 0.4 * m + 0.1 * x + rng.normal(size=200)
    >>> res = peoscales.mediate(pd.DataFrame({"x": x, "m": m, "y": y}), "x", "m", "y",
    ...                         n_boot=2000, seed=1)
    >>> round(res.indirect, 3), res.ci_low > 0
    (0.203, True)
    """
    frame = as_frame(data)
    mediators = _names(m, "m", allow_empty=False)
    covs = _names(covariates, "covariates", allow_empty=True)
    for name, value in (("x", x), ("y", y)):
        if not isinstance(value, Hashable) or isinstance(value, (list, tuple)):
            raise ParameterError(f"{name} must be one column name, got {value!r}.")
    columns = [x, *mediators, *covs, y]
    if len(set(columns)) != len(columns):
        twice = [c for c in dict.fromkeys(columns) if columns.count(c) > 1]
        raise ParameterError(
            f"column(s) {preview(twice)} appear more than once among x, m, y and "
            "covariates; each variable has one role."
        )
    require_columns(frame, columns)
    check_option("ci_method", ci_method, ("percentile", "bca"))
    level = check_probability("confidence", confidence)
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 100:
        raise ParameterError(f"n_boot must be a whole number of at least 100, got {n_boot!r}.")
    # Each replicate keeps a cross-product matrix of the model's variables (and one more).
    check_memory(
        f"n_boot={n_boot:,}",
        8.0 * n_boot * (len(columns) + 1) ** 2,
        "Use fewer replicates (5,000 is plenty for a 95% interval).",
    )
    # One BLAS thread for the whole fit: the bootstrap spreads its batches over threads
    # itself, and OpenBLAS threads left spinning after the small fits before it would
    # take a core from its workers (a third of its time on two cores).
    with single_blas_thread():
        return _fit(frame, columns, x, mediators, y, covs, level, n_boot, ci_method, seed)


def _fit(
    frame: pd.DataFrame,
    columns: list[Hashable],
    x: Hashable,
    mediators: list[Hashable],
    y: Hashable,
    covs: list[Hashable],
    level: float,
    n_boot: int,
    ci_method: str,
    seed: Any,
) -> MediationResult:
    """The paths, the bootstrap and the result of :func:`mediate` (arguments checked)."""
    values = numeric_block(frame, columns)
    complete = ~np.isnan(values).any(axis=1)
    values = values[complete]
    n = values.shape[0]
    n_excluded = int(complete.size - n)
    k, q = len(mediators), len(covs)
    if n < k + q + 4:
        raise InsufficientDataError(
            f"mediate needs at least {k + q + 4} complete rows for {k} mediator(s) and "
            f"{q} covariate(s), found {n} ({n_excluded} rows have a missing value)."
        )
    # [1, x, m, c, y], centred: slopes are unchanged and the cross-products well scaled.
    v = np.column_stack([np.ones(n), values - values.mean(axis=0)])
    # The three models are leading runs of the columns [1, x, c, m, y]: one QR of them
    # fits all three (kern.nested_ols) and shows collinear columns, as R's lm does.
    order = np.r_[0, 1, np.arange(2 + k, 2 + k + q), np.arange(2, 2 + k), 2 + k + q]
    z = v[:, order]
    r = np.asarray(np.linalg.qr(z, mode="r"))
    if kern.collinear_columns(z[:, :-1], r[:-1, :-1]).size or np.ptp(values, axis=0).min() == 0:
        raise CollinearityError(
            f"x, the mediators and the covariates ({preview(columns[:-1])}) are perfectly "
            "collinear or one is constant, so the paths are not identified. Leave out the "
            "redundant column."
        )
    # Coefficients: 0 intercept, 1 x, 2..2+q covariates, then the mediators.
    first_m, col_y = 2 + q, 2 + q + k
    fits = kern.nested_ols(
        r, n, [(first_m, first_m + j) for j in range(k)] + [(col_y, col_y), (first_m, col_y)]
    )
    a_fit, y_fit, c_fit = fits[:k], fits[k], fits[k + 1]
    rows = []

    def row(path: str, source: Any, target: Any, fit: dict[str, Any], i: int) -> dict[str, Any]:
        crit = kern.t_quantile(1 - (1 - level) / 2, float(fit["df"]))
        b, se = float(fit["b"][i]), float(fit["se"][i])
        return {
            "path": path,
            "from": source,
            "to": target,
            "b": b,
            "se": se,
            "t": float(fit["t"][i]),
            "df": float(fit["df"]),
            "p": float(fit["p"][i]),
            "ci_low": b - crit * se,
            "ci_high": b + crit * se,
        }

    labels = []
    for j, (med, fit) in enumerate(zip(mediators, a_fit)):
        rows.append(row("a", x, med, fit, 1))
        labels.append(f"a{j + 1}" if k > 1 else "a")
    for j, med in enumerate(mediators):
        rows.append(row("b", med, y, y_fit, first_m + j))
        labels.append(f"b{j + 1}" if k > 1 else "b")
    rows.append(row("c", x, y, c_fit, 1))
    rows.append(row("c′", x, y, y_fit, 1))
    labels += ["c", "c′"]
    a = np.array([fit["b"][1] for fit in a_fit])
    se_a = np.array([fit["se"][1] for fit in a_fit])
    b = y_fit["b"][first_m : first_m + k]
    se_b = y_fit["se"][first_m : first_m + k]
    estimate = a * b
    sob = kern.sobel(a, se_a, b, se_b)

    rng = generator(seed)
    reps = kern.bootstrap_indirect(v, k, q, n_boot, rng)
    jack = kern.jackknife_indirect(v, k, q)
    if k > 1:  # the total indirect effect as an extra column
        reps_all = np.column_stack([reps, reps.sum(axis=1)])
        jack_all = np.column_stack([jack, jack.sum(axis=1)])
        est_all = np.r_[estimate, estimate.sum()]
    else:
        reps_all, jack_all, est_all = reps, jack, estimate
    ordered = np.sort(reps_all, axis=0)  # one sort for both intervals
    p_lo, p_hi = kern.percentile(reps_all, level, ordered)
    bca_lo, bca_hi = kern.bca_interval(reps_all, est_all, jack_all, level, ordered)
    lo, hi = (p_lo, p_hi) if ci_method == "percentile" else (bca_lo, bca_hi)
    names = [f"indirect via {name}" for name in mediators]
    if k > 1:
        names.append("total indirect")
    # Rows "direct" (c') and "total" (c) after the indirect effects; only CIs of the
    # indirect effects come from the bootstrap.
    c_prime, c_total = y_fit, c_fit
    crit = (
        kern.t_quantile(1 - (1 - level) / 2, float(y_fit["df"])),
        kern.t_quantile(1 - (1 - level) / 2, float(c_fit["df"])),
    )
    direct_total = np.array([c_prime["b"][1], c_total["b"][1]])
    se_direct_total = np.array([c_prime["se"][1], c_total["se"][1]])

    def build_tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        paths = pd.DataFrame(
            {key: [r[key] for r in rows] for key in rows[0] if key != "path"},
            index=pd.Index(labels, name="path", dtype=object),
        )
        nan2 = np.full(2, np.nan)
        effects = pd.DataFrame(
            {
                "effect": np.r_[est_all, direct_total],
                "se": np.r_[reps_all.std(axis=0, ddof=1), se_direct_total],
                "ci_low": np.r_[lo, direct_total - np.asarray(crit) * se_direct_total],
                "ci_high": np.r_[hi, direct_total + np.asarray(crit) * se_direct_total],
                "p": np.r_[sob["p"], [np.nan] * (k > 1), c_prime["p"][1], c_total["p"][1]],
                "percentile_low": np.r_[p_lo, nan2],
                "percentile_high": np.r_[p_hi, nan2],
                "bca_low": np.r_[bca_lo, nan2],
                "bca_high": np.r_[bca_hi, nan2],
            },
            index=pd.Index([*names, "direct", "total"], name="effect"),
        )
        sobel = pd.DataFrame(
            {"indirect": estimate, "se": sob["se"], "z": sob["z"], "p": sob["p"]},
            index=pd.Index(mediators, name="mediator"),
        )
        return paths, effects, sobel

    total_indirect = float(est_all[-1])
    total = float(c_fit["b"][1])  # the paths' rows c and c′, without a label lookup
    return MediationResult(
        x=x,
        m=tuple(mediators),
        y=y,
        covariates=tuple(covs),
        indirect=total_indirect,
        ci_low=float(lo[-1]),
        ci_high=float(hi[-1]),
        direct=float(y_fit["b"][1]),
        total=total,
        proportion_mediated=total_indirect / total if total != 0 else math.nan,
        ci_method=ci_method,
        confidence=level,
        n_boot=int(n_boot),
        replicates=reps,
        n=n,
        n_excluded=n_excluded,
        _build_tables=build_tables,
    )
