"""Kernels for multiple comparisons: p-value adjustment and Dunn's rank test.

Plain ndarrays in and out; pairs are formed with ``np.triu_indices`` and evaluated as
arrays.
"""

from __future__ import annotations

import numpy as np
from scipy import stats
from scipy.special import ndtr

__all__ = ["ADJUST_METHODS", "dunn", "p_adjust"]

#: The adjustment methods, as R's ``p.adjust`` names them: ours -> R's.
ADJUST_METHODS = {"holm": "holm", "bonferroni": "bonferroni", "fdr_bh": "BH", "none": "none"}


def p_adjust(p: np.ndarray, method: str) -> np.ndarray:
    """Adjusted p-values, as R's ``p.adjust`` (``holm``, ``bonferroni``, ``fdr_bh``, ``none``)."""
    p = np.asarray(p, dtype=np.float64)
    if np.isnan(p).any():  # as R: a missing p stays missing and is no comparison
        with_gaps = np.full(p.shape, np.nan)
        with_gaps[~np.isnan(p)] = p_adjust(p[~np.isnan(p)], method)
        return with_gaps
    m = p.size
    if method == "none" or m == 0:
        return p.copy()
    if method == "bonferroni":
        return np.minimum(1.0, p * m)
    if method == "holm":
        order = np.argsort(p, kind="stable")
        stepped = np.maximum.accumulate((m - np.arange(m)) * p[order])
        out = np.empty(m)
        out[order] = np.minimum(1.0, stepped)
        return out
    if method == "fdr_bh":
        order = np.argsort(p, kind="stable")[::-1]
        stepped = np.minimum.accumulate(m / np.arange(m, 0, -1) * p[order])
        out = np.empty(m)
        out[order] = np.minimum(1.0, stepped)
        return out
    raise ValueError(f"unknown adjustment {method!r}")


def p_adjust_by(p: np.ndarray, family: np.ndarray, method: str) -> np.ndarray:
    """:func:`p_adjust` applied within each family of tests (``family`` labels each p)."""
    p = np.asarray(p, dtype=np.float64)
    out = np.empty_like(p)
    for label in np.unique(family):
        part = family == label
        out[part] = p_adjust(p[part], method)
    return out


def dunn(y: np.ndarray, codes: np.ndarray, k: int) -> dict[str, np.ndarray]:
    """Dunn's (1964) z test of every pair of groups on the pooled ranks, tie-corrected.

    ``z = (R̄_i - R̄_j) / sqrt((N(N+1)/12 - Σ(t³ - t) / (12 (N - 1))) (1/n_i + 1/n_j))``;
    two-sided p from the normal law (as ``dunn.test`` and ``FSA::dunnTest``).
    """
    ranks = stats.rankdata(y)
    total = float(y.size)
    n = np.bincount(codes, minlength=k).astype(np.float64)
    mean_rank = np.bincount(codes, weights=ranks, minlength=k) / n
    _, ties = np.unique(y, return_counts=True)
    spread = total * (total + 1) / 12 - float((ties**3 - ties).sum()) / (12 * (total - 1))
    i, j = np.triu_indices(k, 1)
    diff = mean_rank[i] - mean_rank[j]
    z = diff / np.sqrt(spread * (1 / n[i] + 1 / n[j]))
    return {"i": i, "j": j, "diff": diff, "z": z, "p": 2 * ndtr(-np.abs(z))}
