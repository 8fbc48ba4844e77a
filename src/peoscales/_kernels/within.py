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

__all__ = [
    "friedman",
    "one_sample_t",
    "orthonormal_contrasts",
    "pairwise_paired_t",
    "repeated_measures",
    "signed_rank",
]


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


def orthonormal_contrasts(k: int) -> np.ndarray:
    """A (k, k - 1) matrix of orthonormal contrasts (columns sum to zero)."""
    helmert = np.zeros((k, k - 1))
    for j in range(1, k):  # k - 1 columns: a handful of conditions
        helmert[:j, j - 1] = 1.0
        helmert[j, j - 1] = -float(j)
    return helmert / np.linalg.norm(helmert, axis=0)


def repeated_measures(y: np.ndarray, codes: np.ndarray, n_groups: int) -> dict[str, float]:
    """Repeated-measures ANOVA of ``y`` (persons x conditions) with an optional group code.

    Sums of squares as R's ``aov(y ~ between * within + Error(subject / within))`` (= type
    II of ``car::Anova`` on the multivariate model). The within-person parts are computed
    on orthonormal contrasts ``Z = Y C``; their error SSP matrix ``E`` gives Mauchly's
    test and the Greenhouse–Geisser and Huynh–Feldt epsilons (as ``car``).
    """
    n, k = y.shape
    p = k - 1
    contrasts = orthonormal_contrasts(k)
    z = y @ contrasts
    counts = np.bincount(codes, minlength=n_groups).astype(np.float64)
    z_group = np.stack(
        [np.bincount(codes, weights=z[:, j], minlength=n_groups) for j in range(p)], 1
    ).astype(np.float64)
    z_group = z_group / counts[:, None]
    z_mean = z.mean(axis=0)
    resid = z - z_group[codes]
    sspe = resid.T @ resid  # error SSP matrix of the contrasts
    ss_within = n * float(z_mean @ z_mean)
    ss_interaction = float((counts[:, None] * (z_group - z_mean) ** 2).sum())
    ss_error_within = float(np.trace(sspe))
    person = y.mean(axis=1)
    person_group = np.bincount(codes, weights=person, minlength=n_groups) / counts
    ss_between = k * float((counts * (person_group - person.mean()) ** 2).sum())
    ss_error_between = k * float(((person - person_group[codes]) ** 2).sum())
    df_error = n - n_groups
    # Sphericity: Mauchly's W and the epsilons from E (p x p).
    trace = float(np.trace(sspe))
    if p > 1 and trace > 0:
        w = max(float(np.linalg.det(sspe) / (trace / p) ** p), 0.0)
        factor = df_error - (2 * p**2 + p + 2) / (6 * p)
        # A singular E (fewer persons than conditions) gives W = 0: sphericity rejected.
        chi2 = -factor * math.log(w) if w > 0 else math.inf
        df_m = p * (p + 1) / 2 - 1
        # Second-order term of Anderson (1958) as R's mauchly.test (zero for p = 2).
        # R writes one "3 p" of it with the number of conditions k = p + 1; kept so,
        # to give R's p-values (the difference is in the fourth decimal at most).
        rho = factor / df_error
        w2 = (
            (p + 2)
            * (p - 1)
            * (p - 2)
            * (2 * p**3 + 6 * p**2 + 3 * k + 2)
            / (288 * (df_error * p * rho) ** 2)
        )
        first, second = stats.chi2.sf(chi2, df_m), stats.chi2.sf(chi2, df_m + 4)
        p_m = float(first + w2 * (second - first))
        gg = trace**2 / (p * float(np.trace(sspe @ sspe)))
        hf = ((df_error + 1) * p * gg - 2) / (p * (df_error - p * gg))
    else:
        w = chi2 = df_m = p_m = math.nan
        gg = hf = 1.0
    return {
        "ss_within": ss_within,
        "ss_interaction": ss_interaction,
        "ss_error_within": ss_error_within,
        "ss_between": ss_between,
        "ss_error_between": ss_error_between,
        "df_within": float(p),
        "df_interaction": float(p * (n_groups - 1)),
        "df_error_within": float(p * df_error),
        "df_between": float(n_groups - 1),
        "df_error_between": float(df_error),
        "mauchly_w": w,
        "mauchly_chi2": chi2,
        "mauchly_df": df_m,
        "mauchly_p": p_m,
        "epsilon_gg": gg,
        "epsilon_hf": float(hf),
    }


def pairwise_paired_t(y: np.ndarray) -> dict[str, np.ndarray]:
    """Paired t-tests of every pair of columns of ``y`` (persons x conditions), as arrays."""
    n, k = y.shape
    i, j = np.triu_indices(k, 1)
    d = y[:, i] - y[:, j]
    mean = d.mean(axis=0)
    se = d.std(axis=0, ddof=1) / math.sqrt(n)
    t = mean / se
    return {
        "i": i,
        "j": j,
        "diff": mean,
        "se": se,
        "t": t,
        "df": np.full(i.size, n - 1.0),
        "p": 2 * stats.t.sf(np.abs(t), n - 1),
    }


def grouped_paired_t(y: np.ndarray, codes: np.ndarray, g: int) -> dict[str, np.ndarray]:
    """Paired t-tests of every pair of columns of ``y`` inside each of ``g`` groups.

    Rows are group-major: group 0's pairs (in ``triu`` order), then group 1's, ...
    The per-group sums are one matrix product with the group indicator, so no loop runs
    over persons, pairs or groups.
    """
    n, k = y.shape
    i, j = np.triu_indices(k, 1)
    d = y[:, i] - y[:, j]
    member = np.zeros((g, n))
    member[codes, np.arange(n)] = 1.0
    size = member.sum(axis=1)
    mean = (member @ d) / size[:, None]
    centred = d - mean[codes]
    # A group of one person has no variance: its tests are NaN.
    with np.errstate(divide="ignore", invalid="ignore"):
        var = (member @ centred**2) / (size[:, None] - 1)
        se = np.sqrt(var / size[:, None])
        t = mean / se
    df = np.repeat(size - 1, i.size)
    return {
        "group": np.repeat(np.arange(g), i.size),
        "i": np.tile(i, g),
        "j": np.tile(j, g),
        "diff": mean.ravel(),
        "se": se.ravel(),
        "t": t.ravel(),
        "df": df,
        "p": 2 * stats.t.sf(np.abs(t.ravel()), df),
    }


def grouped_welch_t(y: np.ndarray, codes: np.ndarray, g: int) -> dict[str, np.ndarray]:
    """Welch t-tests of every pair of groups on each column of ``y`` (as R's ``t.test``).

    Rows are column-major: column 0's group pairs (in ``triu`` order), then column 1's.
    ``t = (m_a - m_b) / sqrt(v_a/n_a + v_b/n_b)`` with Welch–Satterthwaite df.
    """
    n, k = y.shape
    member = np.zeros((g, n))
    member[codes, np.arange(n)] = 1.0
    size = member.sum(axis=1)
    mean = (member @ y) / size[:, None]
    a, b = np.triu_indices(g, 1)
    diff = mean[a] - mean[b]
    with np.errstate(divide="ignore", invalid="ignore"):
        var = (member @ (y - mean[codes]) ** 2) / (size[:, None] - 1)
        va, vb = var[a] / size[a, None], var[b] / size[b, None]  # pairs x columns
        se = np.sqrt(va + vb)
        t = diff / se
        df = (va + vb) ** 2 / (va**2 / (size[a, None] - 1) + vb**2 / (size[b, None] - 1))
    return {
        "level": np.repeat(np.arange(k), a.size),
        "a": np.tile(a, k),
        "b": np.tile(b, k),
        "diff": diff.T.ravel(),
        "se": se.T.ravel(),
        "t": t.T.ravel(),
        "df": df.T.ravel(),
        "p": 2 * stats.t.sf(np.abs(t.T.ravel()), df.T.ravel()),
    }


def friedman(y: np.ndarray) -> dict[str, float | np.ndarray]:
    """Friedman's rank test of the columns of ``y`` (persons x conditions), as R's
    ``friedman.test`` (ties within a person corrected), with Kendall's W."""
    n, k = y.shape
    ranks = stats.rankdata(y, axis=1)
    rank_sums = ranks.sum(axis=0)
    tie_total = 0.0
    sorted_rows = np.sort(y, axis=1)
    # Ties within each row: runs of equal values, counted at once for all rows.
    new_run = np.ones((n, k), dtype=bool)
    new_run[:, 1:] = sorted_rows[:, 1:] != sorted_rows[:, :-1]
    run_id = np.cumsum(new_run.ravel()) - 1
    sizes = np.bincount(run_id).astype(np.float64)
    tie_total = float((sizes**3 - sizes).sum())
    chi2 = (
        12
        * float(((rank_sums - n * (k + 1) / 2) ** 2).sum())
        / (n * k * (k + 1) - tie_total / (k - 1))
    )
    df = k - 1.0
    return {
        "chi2": chi2,
        "df": df,
        "p": float(stats.chi2.sf(chi2, df)),
        "kendalls_w": chi2 / (n * (k - 1)),
        "mean_rank": rank_sums / n,
    }
