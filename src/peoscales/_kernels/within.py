"""Kernels for within-person comparisons: paired and one-sample tests, signed ranks.

Plain ndarrays in and out: no pandas, no validation. Inputs are free of NaN (the
wrappers remove incomplete pairs and count them).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import stats

from peoscales._kernels.groups import hedges_j, nct_ci

__all__ = ["one_sample_t", "signed_rank"]


def _limits(estimate: float, se: float, quantile: float, alternative: str) -> tuple[float, float]:
    if alternative == "less":
        return -math.inf, estimate + quantile * se
    if alternative == "greater":
        return estimate - quantile * se, math.inf
    return estimate - quantile * se, estimate + quantile * se


def one_sample_t(
    d: np.ndarray, mu: float, *, alternative: str, level: float, s_av: float | None = None
) -> dict[str, float]:
    """One-sample t test of ``mean(d) = mu`` with Cohen's d_z (and d_av) and their CIs.

    ``d`` holds the differences of a paired test (or the values of a one-sample test).
    ``s_av`` is the mean of the two SDs of a paired test; it gives ``d_av``.
    Formulas as R's ``t.test``; effect-size intervals invert the noncentral t.
    """
    n = float(d.size)
    df = n - 1
    mean = float(d.mean())
    sd = float(d.std(ddof=1))
    se = sd / math.sqrt(n)
    diff = mean - mu
    t = diff / se
    if alternative == "less":
        p = float(stats.t.cdf(t, df))
    elif alternative == "greater":
        p = float(stats.t.sf(t, df))
    else:
        p = float(2 * stats.t.sf(abs(t), df))
    quantile = float(stats.t.ppf(level if alternative != "two-sided" else 1 - (1 - level) / 2, df))
    low, high = _limits(diff, se, quantile, alternative)
    # d_z: the noncentrality of t is d_z sqrt(n); invert the noncentral t for its limits.
    dz = diff / sd
    two_sided_level = level if alternative == "two-sided" else 2 * level - 1
    nlo, nhi = nct_ci(t, df, two_sided_level)
    dz_lo, dz_hi = nlo / math.sqrt(n), nhi / math.sqrt(n)
    if alternative == "less":
        dz_lo = -math.inf
    elif alternative == "greater":
        dz_hi = math.inf
    j = hedges_j(df)
    out = {
        "n": n,
        "mean": mean,
        "sd": sd,
        "t": float(t),
        "df": df,
        "p": p,
        "diff": diff,
        "se": se,
        "ci_low": low,
        "ci_high": high,
        "dz": dz,
        "dz_ci_low": dz_lo,
        "dz_ci_high": dz_hi,
        "j": j,
    }
    if s_av is not None:
        # d_av = diff / s_av; its limits are those of d_z rescaled by sd / s_av.
        ratio = sd / s_av
        out.update(d_av=dz * ratio, d_av_ci_low=dz_lo * ratio, d_av_ci_high=dz_hi * ratio)
    return out


def signed_rank(
    d: np.ndarray, *, alternative: str, exact: bool | None, correction: bool, level: float
) -> dict[str, Any]:
    """Wilcoxon signed-rank test of differences ``d`` against zero, as R's ``wilcox.test``.

    Zero differences are dropped (R's default). ``exact=None``: exact when fewer than 50
    non-zero differences and no ties. The normal approximation uses the tie-corrected
    variance and, with ``correction``, the continuity correction of R. The matched-pairs
    rank-biserial correlation ``r_rb = (W+ - W-) / (W+ + W-)`` has a Fisher-z interval
    with the SE of ``effectsize::rank_biserial``.
    """
    nonzero = d[d != 0]
    n_zero = int(d.size - nonzero.size)
    n = nonzero.size
    ranks = stats.rankdata(np.abs(nonzero))
    w = float(ranks[nonzero > 0].sum())
    total = n * (n + 1) / 2
    _, ties = np.unique(np.abs(nonzero), return_counts=True)
    has_ties = bool((ties > 1).any())
    if exact is None:
        exact = n < 50 and not has_ties and n_zero == 0
    if exact and (has_ties or n_zero):
        exact = False  # R falls back to the normal approximation (and warns)
    if exact:
        # scipy's exact signed-rank law; statistic W+ for one-sided, p as R two-sided.
        if alternative == "two-sided":
            lower = stats.wilcoxon(nonzero, alternative="less", method="exact").pvalue
            upper = stats.wilcoxon(nonzero, alternative="greater", method="exact").pvalue
            p = min(1.0, 2 * min(lower, upper))
        else:
            p = stats.wilcoxon(nonzero, alternative=alternative, method="exact").pvalue
        z = math.nan
    else:
        centre = w - n * (n + 1) / 4
        sigma = math.sqrt(n * (n + 1) * (2 * n + 1) / 24 - float((ties**3 - ties).sum()) / 48)
        shift = 0.0
        if correction:
            if alternative == "two-sided":
                shift = math.copysign(0.5, centre) if centre != 0 else 0.0
            else:
                shift = 0.5 if alternative == "greater" else -0.5
        z = (centre - shift) / sigma
        if alternative == "less":
            p = float(stats.norm.cdf(z))
        elif alternative == "greater":
            p = float(stats.norm.sf(z))
        else:
            p = float(2 * min(stats.norm.cdf(z), stats.norm.sf(z)))
    r = (2 * w - total) / total
    se = math.sqrt((2 * n**3 + 3 * n**2 + n) / 6) / total
    zq = float(stats.norm.ppf(level if alternative != "two-sided" else 1 - (1 - level) / 2))
    if abs(r) < 1:
        r_lo, r_hi = math.tanh(math.atanh(r) - zq * se), math.tanh(math.atanh(r) + zq * se)
    else:
        r_lo = r_hi = r
    if alternative == "less":
        r_lo = -1.0
    elif alternative == "greater":
        r_hi = 1.0
    return {
        "w": w,
        "p": float(p),
        "z": float(z),
        "exact": bool(exact),
        "n_zero": n_zero,
        "r_rb": r,
        "r_rb_ci_low": r_lo,
        "r_rb_ci_high": r_hi,
    }
