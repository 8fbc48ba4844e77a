"""Moderation: does the effect of x on y depend on a moderator w?

:func:`moderate` fits ``y ~ x + w + x·w (+ covariates)`` with mean-centred x and w
(by default), and gives simple slopes of x at chosen values of w, the Johnson–Neyman
region of significance and the data of an interaction plot.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import stdtr

from peoscales._kernels import mediation as kern
from peoscales._results import (
    Result,
    Section,
    apa_number,
    apa_p,
    ci_text,
    format_p,
    sections_html,
    sections_text,
)
from peoscales._validation import (
    as_frame,
    check_probability,
    numeric_block,
    preview,
    require_columns,
)
from peoscales.errors import CollinearityError, InsufficientDataError, ParameterError

__all__ = ["ModerationResult", "moderate"]


#: Points along x per line of the interaction plot (its bands are curved).
_PLOT_POINTS = 21
#: Points along the moderator's range in the Johnson–Neyman plot.
_PLOT_POINTS_JN = 101


def _fixed(value: float, digits: int = 3) -> str:
    return apa_number(float(value), digits)


@dataclass(frozen=True, eq=False, repr=False)
class ModerationResult(Result):
    """A moderated regression with simple slopes and the Johnson–Neyman interval.

    Attributes
    ----------
    x, moderator, y : column names
        Predictor, moderator (w) and outcome.
    covariates : tuple of column names
    center : bool
        Whether x and w were mean-centred before forming their product.
    coefficients : DataFrame
        ``Intercept``, x, w, ``x:w`` and the covariates: ``b, se, t, p, ci_low,
        ci_high`` (in the centred metric when ``center``).
    r2 : float
        R² of the model with the interaction.
    r2_change, f_change, df1_change, df2_change, p_change : float
        R² added by the interaction and its F test (``f_change`` = t² of ``x:w``).
    simple_slopes : DataFrame
        Slope of x at each chosen value of the moderator (its own scale): ``value, b, se,
        t, df, p, ci_low, ci_high``.
    johnson_neyman : tuple of float
        Values of w (own scale) where the slope of x is exactly significant at
        ``1 - confidence``: none, one or two.
    regions : DataFrame
        The observed range of the moderator cut at those values: ``low, high,
        significant``.
    conditional_effects : DataFrame
        The slope of x at 101 values of w across its observed range (own scale), for a
        Johnson–Neyman plot: ``moderator``, ``b``, ``se``, ``ci_low``, ``ci_high``.
    plot_data : DataFrame
        The interaction plot's lines: predicted y at 21 values of x from mean − 1 SD to
        mean + 1 SD for each chosen w (covariates at their means), ``at`` (label),
        ``moderator``, ``x``, ``y``, and the confidence interval of the predicted mean,
        ``se``, ``ci_low``, ``ci_high``.
    confidence : float
    n, n_excluded : int
    """

    x: Hashable
    moderator: Hashable
    y: Hashable
    covariates: tuple[Hashable, ...]
    center: bool
    coefficients: pd.DataFrame
    r2: float
    r2_change: float
    f_change: float
    df1_change: int
    df2_change: int
    p_change: float
    simple_slopes: pd.DataFrame
    johnson_neyman: tuple[float, ...]
    regions: pd.DataFrame
    plot_data: pd.DataFrame
    confidence: float
    n: int
    n_excluded: int
    conditional_effects: pd.DataFrame | None = None

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Moderation of {self.x} → {self.y} by {self.moderator}"

    def to_frame(self) -> pd.DataFrame:
        """The simple slopes table."""
        return self.simple_slopes

    def to_apa(self) -> str:
        """APA report of the interaction: ``b = 0.21, t(113) = 2.45, p = .016, ΔR² = .04``."""
        row = self.coefficients.loc[self._term]
        return (
            f"interaction b = {apa_number(row['b'])}, t({self.df2_change}) = "
            f"{apa_number(row['t'])}, {apa_p(row['p'])}, "
            f"ΔR² = {apa_number(self.r2_change, leading_zero=False)}"
        )

    @property
    def _term(self) -> str:
        return f"{self.x}:{self.moderator}"

    def _sections(self) -> list[Section]:
        level = f"{self.confidence:.0%} CI"
        c = self.coefficients
        coefficients = pd.DataFrame(
            {
                "b": [_fixed(v) for v in c["b"]],
                "SE": [_fixed(v) for v in c["se"]],
                "t": [_fixed(v, 2) for v in c["t"]],
                "p": [format_p(v) for v in c["p"]],
                level: [ci_text(lo, hi) for lo, hi in zip(c["ci_low"], c["ci_high"])],
            },
            index=pd.Index([str(v) for v in c.index], name="Term"),
        )
        s = self.simple_slopes
        slopes = pd.DataFrame(
            {
                str(self.moderator): [_fixed(v) for v in s["value"]],
                "Slope": [_fixed(v) for v in s["b"]],
                "SE": [_fixed(v) for v in s["se"]],
                "t": [_fixed(v, 2) for v in s["t"]],
                "p": [format_p(v) for v in s["p"]],
                level: [ci_text(lo, hi) for lo, hi in zip(s["ci_low"], s["ci_high"])],
            },
            index=pd.Index([str(v) for v in s.index], name="At"),
        )
        return [("Coefficients", coefficients), (f"Simple slopes of {self.x}", slopes)]

    def _notes(self) -> list[str]:
        if self.johnson_neyman:
            bounds = ", ".join(_fixed(v) for v in self.johnson_neyman)
            parts = [
                f"{'significant' if r.significant else 'not significant'} for {self.moderator} in "
                f"[{_fixed(r.low)}, {_fixed(r.high)}]"
                for r in self.regions.itertuples()
            ]
            jn = f"Johnson–Neyman: boundary at {self.moderator} = {bounds}; slope {'; '.join(parts)}."
        else:
            jn = (
                "Johnson–Neyman: no boundary; the slope of x is "
                + (
                    "significant"
                    if bool(self.regions["significant"].iloc[0])
                    else "not significant"
                )
                + f" at every value of {self.moderator}."
            )
        centred = "x and w mean-centred" if self.center else "x and w not centred"
        return [
            self.to_apa(),
            jn,
            f"R² = {apa_number(self.r2, 3, leading_zero=False)}; {centred}; n = {self.n}, "
            f"rows left out for missing values: {self.n_excluded}",
        ]

    def plot(self, ax: Any = None, *, band: bool = True, lang: str = "nl", **style: Any) -> Any:
        """The interaction plot: predicted y along x at each moderator value, with bands.

        See :func:`peoscales.plot.interaction`; the lines are :attr:`plot_data`.

        Examples
        --------
        >>> import numpy as np, pandas as pd, peoscales
        >>> rng = np.random.default_rng(4)
        >>> x, w = rng.normal(size=200), rng.normal(size=200)
        >>> data = pd.DataFrame({"x": x, "w": w, "y": 0.3 * x + 0.25 * x * w + rng.normal(size=200)})
        >>> ax = peoscales.moderate(data, "x", "w", "y").plot(lang="en")
        >>> len(ax.get_lines()), ax.get_legend().get_title().get_text()
        (3, 'w')
        """
        from peoscales import plot

        return plot.interaction(
            self.plot_data,
            xlabel=str(self.x),
            ylabel=str(self.y),
            moderator=str(self.moderator),
            band=band,
            confidence=self.confidence,
            n=self.n,
            lang=lang,
            ax=ax,
            **style,
        )

    def plot_johnson_neyman(self, ax: Any = None, *, lang: str = "nl", **style: Any) -> Any:
        """The slope of x across the moderator with its interval and the Johnson–Neyman
        values. See :func:`peoscales.plot.johnson_neyman`.

        Examples
        --------
        >>> import numpy as np, pandas as pd, peoscales
        >>> rng = np.random.default_rng(4)
        >>> x, w = rng.normal(size=200), rng.normal(size=200)
        >>> data = pd.DataFrame({"x": x, "w": w, "y": 0.3 * x + 0.25 * x * w + rng.normal(size=200)})
        >>> ax = peoscales.moderate(data, "x", "w", "y").plot_johnson_neyman(lang="en")
        >>> ax.get_xlabel()
        'w'
        """
        from peoscales import plot

        if self.conditional_effects is None:
            raise ParameterError(
                "This result has no conditional_effects; fit it again with peoscales.moderate."
            )
        return plot.johnson_neyman(
            self.conditional_effects,
            johnson_neyman=self.johnson_neyman,
            xlabel=str(self.moderator),
            ylabel={"nl": f"Helling van {self.x}", "en": f"Slope of {self.x}"}.get(lang),
            confidence=self.confidence,
            n=self.n,
            lang=lang,
            ax=ax,
            **style,
        )

    def summary(self) -> str:
        """Coefficients, simple slopes and the Johnson–Neyman interval as text."""
        return sections_text(self.title, self._sections(), self._notes())

    def _repr_html_(self) -> str:
        return sections_html(self.title, self._sections(), self._notes())


def moderate(
    data: pd.DataFrame,
    x: Hashable,
    moderator: Hashable,
    y: Hashable,
    *,
    covariates: Sequence[Hashable] | None = None,
    center: bool = True,
    values: Sequence[float] | None = None,
    confidence: float = 0.95,
) -> ModerationResult:
    """Test whether the effect of ``x`` on ``y`` depends on the moderator ``w``.

    Parameters
    ----------
    data : DataFrame
        One row per respondent. Never modified.
    x, moderator, y : column name
        Predictor, moderator (w in the formulas) and outcome (numeric).
    covariates : list of column names, optional
        Numeric covariates (not centred, not in the interaction).
    center : bool, default True
        Mean-centre x and w before forming the product. It changes the meaning of the
        x and w coefficients (effects at the other's mean) and removes most of their
        collinearity with the product; the interaction, the simple slopes and the
        Johnson–Neyman values do not change.
    values : list of float, optional
        Values of w (own scale) for the simple slopes and the plot. Default: mean − 1 SD,
        mean, mean + 1 SD.
    confidence : float, default 0.95

    Returns
    -------
    ModerationResult

    Raises
    ------
    MissingColumnsError, DataTypeError
        A column is absent or holds text.
    ParameterError
        A column in two roles, values that are not numbers.
    CollinearityError
        x or w constant, or the design not of full rank.
    InsufficientDataError
        Too few complete rows.

    Notes
    -----
    Model (OLS; Aiken & West, 1991; Hayes, 2022, model 1): :math:`y = b_0 + b_1 x + b_2 w
    + b_3 x w + \\gamma' c`, with x and w centred when ``center``. The slope of x at
    :math:`w_0` is :math:`b_1 + b_3 w_0` with
    :math:`SE^2 = V_{11} + 2 w_0 V_{13} + w_0^2 V_{33}` (:math:`V` the covariance matrix
    of :math:`b`; :math:`w_0` centred like w) and the residual df. Johnson–Neyman
    (Johnson & Neyman, 1936; Bauer & Curran, 2005): the :math:`w_0` solving
    :math:`(b_1 + b_3 w_0)^2 = t_{crit}^2\\,SE^2(w_0)`, a quadratic. ΔR² of the
    interaction: :math:`t_3^2 (1 - R^2) / df`.

    Examples
    --------
    >>> import numpy as np, pandas as pd, peoscales
    >>> rng = np.random.default_rng(4)
    >>> x, w = rng.normal(size=300), rng.normal(size=300)
    >>> y = 0.3 * x + 0.2 * w + 0.25 * x * w + rng.normal(size=300)
    >>> res = peoscales.moderate(pd.DataFrame({"x": x, "w": w, "y": y}), "x", "w", "y")
    >>> res.simple_slopes.index.tolist()
    ['−1 SD', 'mean', '+1 SD']
    >>> res.to_apa()
    'interaction b = 0.26, t(296) = 4.70, p < .001, ΔR² = .06'
    """
    frame = as_frame(data)
    covs: list[Hashable] = [] if covariates is None else list(covariates)
    if isinstance(covariates, (str, bytes)):
        covs = [covariates]
    w = moderator
    for name, value in (("x", x), ("moderator", w), ("y", y)):
        if not isinstance(value, Hashable) or isinstance(value, (list, tuple)):
            raise ParameterError(f"{name} must be one column name, got {value!r}.")
    columns = [x, w, *covs, y]
    if len(set(columns)) != len(columns):
        twice = [c for c in dict.fromkeys(columns) if columns.count(c) > 1]
        raise ParameterError(
            f"column(s) {preview(twice)} appear more than once among x, moderator, y and "
            "covariates; "
            "each variable has one role."
        )
    require_columns(frame, columns)
    level = check_probability("confidence", confidence)
    if not isinstance(center, (bool, np.bool_)):
        raise ParameterError(f"center must be True or False, got {center!r}.")
    block = numeric_block(frame, columns)
    complete = ~np.isnan(block).any(axis=1)
    block = block[complete]
    n = block.shape[0]
    n_excluded = int(complete.size - n)
    q = len(covs)
    if n < q + 6:
        raise InsufficientDataError(
            f"moderate needs at least {q + 6} complete rows, found {n} ({n_excluded} rows "
            "have a missing value)."
        )
    xv, wv, cv, yv = block[:, 0], block[:, 1], block[:, 2 : 2 + q], block[:, -1]
    if np.ptp(xv) == 0 or np.ptp(wv) == 0:
        raise CollinearityError(f"x={x!r} or moderator={w!r} is constant in the analysis sample.")
    x_shift = float(xv.mean()) if center else 0.0
    w_shift = float(wv.mean()) if center else 0.0
    xc, wc = xv - x_shift, wv - w_shift
    design = np.column_stack([np.ones(n), xc, wc, xc * wc, cv])
    if np.linalg.matrix_rank(design) < design.shape[1]:
        raise CollinearityError(
            f"The predictors ({preview(columns[:-1])}) and the product of x and w are "
            "perfectly collinear; leave out the redundant column."
        )
    fit = kern.ols(design, yv)
    df = float(fit["df"])
    crit = kern.t_quantile(1 - (1 - level) / 2, df)
    term = f"{x}:{w}"
    names = ["Intercept", str(x), str(w), term, *[str(c) for c in covs]]
    b, se = fit["b"], fit["se"]
    coefficients = pd.DataFrame(
        {
            "b": b,
            "se": se,
            "t": fit["t"],
            "p": fit["p"],
            "ci_low": b - crit * se,
            "ci_high": b + crit * se,
        },
        index=pd.Index(names, name="term"),
    )
    total_ss = float(((yv - yv.mean()) ** 2).sum())
    r2 = 1 - float(fit["sse"]) / total_ss
    f_change = float(fit["t"][3] ** 2)
    r2_change = f_change * (1 - r2) / df
    # Simple slopes at the chosen values of w (own scale).
    w_mean, w_sd = float(wv.mean()), float(wv.std(ddof=1))
    if values is None:
        labels = ["−1 SD", "mean", "+1 SD"]
        at = np.array([w_mean - w_sd, w_mean, w_mean + w_sd])
    else:
        try:
            at = np.asarray([float(v) for v in values], dtype=np.float64)
        except (TypeError, ValueError):
            raise ParameterError(f"values must be numbers (values of w), got {values!r}.") from None
        if at.size == 0 or not np.isfinite(at).all():
            raise ParameterError(f"values must be finite numbers, got {values!r}.")
        labels = [f"{w} = {v:g}" for v in at]
    cov = fit["cov"]
    w0 = at - w_shift
    slope = b[1] + b[3] * w0
    slope_se = np.sqrt(cov[1, 1] + 2 * w0 * cov[1, 3] + w0**2 * cov[3, 3])
    slope_t = slope / slope_se
    simple = pd.DataFrame(
        {
            "value": at,
            "b": slope,
            "se": slope_se,
            "t": slope_t,
            "df": df,
            "p": 2 * stdtr(df, -np.abs(slope_t)),
            "ci_low": slope - crit * slope_se,
            "ci_high": slope + crit * slope_se,
        },
        index=pd.Index(labels, name="at"),
    )
    # Johnson–Neyman: (b1 + b3 w)^2 = t^2 (V11 + 2 w V13 + w^2 V33), a quadratic in w.
    t2 = crit**2
    qa = b[3] ** 2 - t2 * cov[3, 3]
    qb = 2 * (b[1] * b[3] - t2 * cov[1, 3])
    qc = b[1] ** 2 - t2 * cov[1, 1]
    roots: list[float] = []
    if qa != 0:
        disc = qb**2 - 4 * qa * qc
        if disc >= 0:
            root = math.sqrt(disc)
            roots = sorted(((-qb - root) / (2 * qa), (-qb + root) / (2 * qa)))
    elif qb != 0:
        roots = [-qc / qb]
    bounds = tuple(float(r + w_shift) for r in roots)
    low, high = float(wv.min()), float(wv.max())
    cuts = [low, *[v for v in bounds if low < v < high], high]
    mids = (np.asarray(cuts[:-1]) + np.asarray(cuts[1:])) / 2 - w_shift
    mid_slope = b[1] + b[3] * mids
    mid_se = np.sqrt(cov[1, 1] + 2 * mids * cov[1, 3] + mids**2 * cov[3, 3])
    regions = pd.DataFrame(
        {
            "low": cuts[:-1],
            "high": cuts[1:],
            "significant": np.abs(mid_slope / mid_se) > crit,
        }
    )
    # Johnson–Neyman plot: the slope of x and its interval across w's observed range.
    w_grid = np.linspace(low, high, _PLOT_POINTS_JN)
    g0 = w_grid - w_shift
    grid_slope = b[1] + b[3] * g0
    grid_se = np.sqrt(cov[1, 1] + 2 * g0 * cov[1, 3] + g0**2 * cov[3, 3])
    conditional_effects = pd.DataFrame(
        {
            "moderator": w_grid,
            "b": grid_slope,
            "se": grid_se,
            "ci_low": grid_slope - crit * grid_se,
            "ci_high": grid_slope + crit * grid_se,
        }
    )
    # Interaction plot: predicted y with its interval along x (mean ± 1 SD) at each w,
    # covariates at their means; the interval is that of the predicted mean,
    # SE = sqrt(g' V g) for the design row g, so the band curves (narrowest at x's mean).
    x_mean, x_sd = float(xv.mean()), float(xv.std(ddof=1))
    x_grid = np.linspace(x_mean - x_sd, x_mean + x_sd, _PLOT_POINTS)
    grid_w = np.repeat(at, _PLOT_POINTS) - w_shift
    grid_x = np.tile(x_grid, at.size) - x_shift
    rows = np.column_stack(
        [
            np.ones(grid_x.size),
            grid_x,
            grid_w,
            grid_x * grid_w,
            np.broadcast_to(cv.mean(axis=0), (grid_x.size, q)),
        ]
    )
    predicted = rows @ b
    predicted_se = np.sqrt(np.einsum("ij,jk,ik->i", rows, cov, rows))
    plot_data = pd.DataFrame(
        {
            "at": np.repeat(labels, _PLOT_POINTS),
            "moderator": np.repeat(at, _PLOT_POINTS),
            "x": np.tile(x_grid, at.size),
            "y": predicted,
            "se": predicted_se,
            "ci_low": predicted - crit * predicted_se,
            "ci_high": predicted + crit * predicted_se,
        }
    )
    return ModerationResult(
        x=x,
        moderator=w,
        y=y,
        covariates=tuple(covs),
        center=bool(center),
        coefficients=coefficients,
        r2=r2,
        r2_change=r2_change,
        f_change=f_change,
        df1_change=1,
        df2_change=int(df),
        p_change=float(fit["p"][3]),
        simple_slopes=simple,
        johnson_neyman=bounds,
        regions=regions,
        plot_data=plot_data,
        confidence=level,
        n=n,
        n_excluded=n_excluded,
        conditional_effects=conditional_effects,
    )
