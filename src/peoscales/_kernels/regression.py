"""Regression kernels: standardized coefficients, VIF, collinearity and R² change.

The least-squares fit itself is statsmodels' (``OLS``); these are the pieces it does
not give, or gives only one model at a time: SPSS-style standardized coefficients, the
variance inflation factors of all predictors from one matrix inverse, the exact
linear dependencies of a rank-deficient design, and the F test of an R² change.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

#: Relative size below which a singular value of the column-normalised design counts
#: as zero (perfect collinearity). R's ``lm`` uses a QR tolerance of 1e-7 in the same
#: spirit; designs that are merely close to collinear stay well above it.
RANK_TOL = 1e-9


def standardized_coefficients(x: np.ndarray, y: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return ``b_j * sd(x_j) / sd(y)`` for each column of ``x`` (no intercept column).

    This is SPSS's "Standardized Coefficients Beta": the slopes of the regression of
    ``z(y)`` on the z-scored design columns.
    """
    sd_x = x.std(axis=0, ddof=1)
    sd_y = y.std(ddof=1)
    return b * sd_x / sd_y


def variance_inflation(x: np.ndarray) -> np.ndarray:
    """Return the VIF of each column of ``x`` (no intercept column).

    ``VIF_j = 1 / (1 - R²_j)`` where ``R²_j`` comes from regressing column ``j`` on the
    other columns with an intercept; these are the diagonal elements of the inverse
    of the columns' correlation matrix, so one inverse gives them all.
    """
    p = x.shape[1]
    if p == 1:
        return np.ones(1)
    corr = np.corrcoef(x, rowvar=False)
    return np.diag(np.linalg.inv(corr)).copy()


def _normalised(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=0)
    norms[norms == 0] = 1.0
    return x / norms


def design_rank(x: np.ndarray, tol: float = RANK_TOL) -> int:
    """Numerical rank of ``x`` after scaling its columns to unit length."""
    if x.shape[1] == 0:
        return 0
    # The singular values of x are those of R in x = QR: a thin QR of the tall matrix,
    # then the SVD of a small p x p triangle.
    r = np.linalg.qr(_normalised(x), mode="r")
    s = np.linalg.svd(r, compute_uv=False)
    return int(np.sum(s > tol * s[0]))


def linear_dependencies(
    x: np.ndarray, tol: float = RANK_TOL
) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """Find the columns of ``x`` that are exact linear combinations of earlier ones.

    Columns are taken in order (like R's pivoting ``lm``); a column that adds no rank
    to the columns kept so far is reported with the kept columns that reproduce it.

    Returns
    -------
    list of (j, columns, weights)
        Column ``j`` equals ``x[:, columns] @ weights`` up to rounding; only columns
        with a non-negligible weight are listed.
    """
    z = _normalised(x)
    scale = np.linalg.norm(x, axis=0)
    kept: list[int] = []
    found: list[tuple[int, np.ndarray, np.ndarray]] = []
    # A loop over design columns (a handful), run only when the design is singular.
    for j in range(x.shape[1]):
        if not kept:
            if scale[j] == 0:
                found.append((j, np.empty(0, dtype=int), np.empty(0)))
            else:
                kept.append(j)
            continue
        if design_rank(z[:, [*kept, j]], tol) > len(kept):
            kept.append(j)
            continue
        cols = np.asarray(kept)
        weights, *_ = np.linalg.lstsq(x[:, cols], x[:, j], rcond=None)
        contribution = np.abs(weights) * scale[cols]
        keep = contribution > 1e-6 * max(scale[j], 1e-300)
        found.append((j, cols[keep], weights[keep]))
    return found


def r2_change_test(ssr_reduced: float, ssr_full: float, df1: int, df2: int) -> tuple[float, float]:
    """F test of an R² change (SPSS "F Change"), equal to R's ``anova(reduced, full)``.

    ``F = ((RSS_reduced - RSS_full) / df1) / (RSS_full / df2)``, which is
    ``(ΔR² / df1) / ((1 - R²_full) / df2)``, with ``df1`` the number of added design
    columns and ``df2`` the residual df of the larger model. Returns ``(F, p)``.
    """
    f = ((ssr_reduced - ssr_full) / df1) / (ssr_full / df2)
    p = float(stats.f.sf(f, df1, df2))
    return float(f), p


def generalized_vif(x: np.ndarray, groups: list[np.ndarray]) -> np.ndarray:
    """Generalised VIF of each group of columns of ``x`` (no intercept column).

    ``GVIF = det(R_11) det(R_22) / det(R)`` with ``R`` the correlation matrix of all
    columns, ``R_11`` that of the group and ``R_22`` that of the others (Fox & Monette,
    1992; ``car::vif``). A group of one column gives its ordinary VIF. Determinants
    are taken as log-determinants, which stay accurate for near-singular matrices.
    """
    p = x.shape[1]
    if p == 1:
        return np.ones(len(groups))
    corr = np.corrcoef(x, rowvar=False)
    whole = np.linalg.slogdet(corr)[1]
    out = np.empty(len(groups))
    for g, cols in enumerate(groups):  # one per model term: a handful
        rest = np.setdiff1d(np.arange(p), cols)
        inside = np.linalg.slogdet(corr[np.ix_(cols, cols)])[1]
        outside = np.linalg.slogdet(corr[np.ix_(rest, rest)])[1] if rest.size else 0.0
        out[g] = np.exp(inside + outside - whole)
    return out
