"""Polychoric correlations: thresholds from the margins, then ML rho, all pairs at once.

The bivariate normal distribution function is Genz's (2004) algorithm, written for
arrays so that one call evaluates every cell boundary of every pair for a trial
value of rho per pair. The one-dimensional maximisation runs as a golden-section
search on all pairs simultaneously. No pandas, no validation.
"""

from __future__ import annotations

import numpy as np
from scipy import special

_TWO_PI = 2.0 * np.pi
# 20-point Gauss-Legendre rule on (0, 2), as in Genz's BVNU for |r| >= 0.75; used for
# every r here, which only adds accuracy.
_T, _W = np.polynomial.legendre.leggauss(20)
_X = 1.0 + _T


def _phi(z: np.ndarray) -> np.ndarray:
    return special.ndtr(z)


def _bvn_upper(h: np.ndarray, k: np.ndarray, r: np.ndarray) -> np.ndarray:
    """P(X > h, Y > k) for finite h, k and |r| < 1 (Genz 2004, BVNU), elementwise."""
    h, k, r = np.broadcast_arrays(h, k, r)
    out = np.empty(h.shape)
    small = np.abs(r) < 0.925
    with np.errstate(all="ignore"):
        # |r| < 0.925: integrate the density along asin(r).
        if small.any():
            hs_, ks_, rs_ = h[small], k[small], r[small]
            hk = hs_ * ks_
            hs = (hs_ * hs_ + ks_ * ks_) / 2.0
            asr = np.arcsin(rs_) / 2.0
            sn = np.sin(asr[..., None] * _X)
            bvn = np.exp((sn * hk[..., None] - hs[..., None]) / (1.0 - sn * sn)) @ _W
            out[small] = bvn * asr / _TWO_PI + _phi(-hs_) * _phi(-ks_)
        big = ~small
        if big.any():
            hb, kb, rb = h[big], k[big], r[big]
            kb = np.where(rb < 0, -kb, kb)
            hk = hb * kb
            as_ = (1.0 - rb) * (1.0 + rb)
            a = np.sqrt(as_)
            bs = (hb - kb) ** 2
            asr = -(bs / as_ + hk) / 2.0
            c = (4.0 - hk) / 8.0
            d = (12.0 - hk) / 80.0
            bvn = np.where(
                asr > -100,
                a * np.exp(asr) * (1.0 - c * (bs - as_) * (1.0 - d * bs) / 3.0 + c * d * as_**2),
                0.0,
            )
            b = np.sqrt(bs)
            sp = np.sqrt(_TWO_PI) * _phi(-b / a)
            bvn = np.where(
                hk > -100,
                bvn - np.exp(-hk / 2.0) * sp * b * (1.0 - c * bs * (1.0 - d * bs) / 3.0),
                bvn,
            )
            a2 = a / 2.0
            xs = (a2[..., None] * _X) ** 2
            asr2 = -(bs[..., None] / xs + hk[..., None]) / 2.0
            spx = 1.0 + c[..., None] * xs * (1.0 + 5.0 * d[..., None] * xs)
            rs = np.sqrt(1.0 - xs)
            ep = np.exp(-(hk[..., None] / 2.0) * xs / (1.0 + rs) ** 2) / rs
            terms = np.where(asr2 > -100, np.exp(asr2) * (spx - ep), 0.0)
            bvn = (a2 * (terms @ _W) - bvn) / _TWO_PI
            pos = bvn + _phi(-np.maximum(hb, kb))
            low = np.where(hb < 0, _phi(kb) - _phi(hb), _phi(-hb) - _phi(-kb))
            neg = np.where(hb >= kb, -bvn, low - bvn)
            out[big] = np.where(rb > 0, pos, neg)
    return np.clip(out, 0.0, 1.0)


def bvn_cdf(h: np.ndarray, k: np.ndarray, r: np.ndarray) -> np.ndarray:
    """P(X < h, Y < k) for a standard bivariate normal with correlation r.

    ``h`` and ``k`` may be infinite; ``|r| < 1``. Accurate to about 1e-15.
    """
    h, k, r = np.broadcast_arrays(np.asarray(h, float), np.asarray(k, float), np.asarray(r, float))
    hf = np.where(np.isfinite(h), h, 0.0)
    kf = np.where(np.isfinite(k), k, 0.0)
    inner = _bvn_upper(-hf, -kf, r)
    out = np.where(np.isposinf(h), _phi(kf), inner)
    out = np.where(np.isposinf(k), np.where(np.isposinf(h), 1.0, _phi(hf)), out)
    return np.where(np.isneginf(h) | np.isneginf(k), 0.0, out)


def thresholds(codes: np.ndarray, n_cat: int) -> tuple[np.ndarray, np.ndarray]:
    """Item thresholds ``Phi^-1`` of the cumulative marginal proportions.

    Parameters
    ----------
    codes : (n, p) int
        Category 0 .. n_cat - 1, -1 where missing.

    Returns
    -------
    tau : (p, n_cat - 1)
    counts : (p, n_cat) category frequencies.
    """
    p = codes.shape[1]
    valid = codes >= 0
    flat = (codes + np.arange(p) * n_cat)[valid]
    counts = np.bincount(flat, minlength=p * n_cat).reshape(p, n_cat).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        cum = np.cumsum(counts, axis=1) / counts.sum(axis=1, keepdims=True)
        tau = special.ndtri(np.clip(cum[:, :-1], 0.0, 1.0))
    return tau, counts


def pair_tables(codes: np.ndarray, n_cat: int) -> np.ndarray:
    """Contingency tables of every pair of items, (p, p, n_cat, n_cat), pairwise complete.

    One matrix product of the one-hot coded data with itself.
    """
    n, p = codes.shape
    onehot = np.zeros((n, p * n_cat))
    rows, cols = np.nonzero(codes >= 0)
    onehot[rows, cols * n_cat + codes[rows, cols]] = 1.0
    cross = onehot.T @ onehot
    return cross.reshape(p, n_cat, p, n_cat).transpose(0, 2, 1, 3)


def _cell_probabilities(
    ta: np.ndarray, tb: np.ndarray, rho: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Cell probabilities and their derivatives in rho for pairs with thresholds ta, tb."""
    m = ta.shape[0]
    inf = np.full((m, 1), np.inf)
    a = np.hstack([-inf, ta, inf])
    b = np.hstack([-inf, tb, inf])
    grid = bvn_cdf(a[:, :, None], b[:, None, :], rho[:, None, None])
    probs = grid[:, 1:, 1:] - grid[:, :-1, 1:] - grid[:, 1:, :-1] + grid[:, :-1, :-1]
    return probs, grid


def _neg_loglik(tables: np.ndarray, ta: np.ndarray, tb: np.ndarray, rho: np.ndarray) -> np.ndarray:
    probs, _ = _cell_probabilities(ta, tb, rho)
    # As psych's polyF: cells with a probability of 0 (a category an item never
    # uses) contribute nothing.
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where((probs > 0) & (tables > 0), tables * np.log(probs), 0.0)
    return -terms.sum(axis=(1, 2))


def polychoric_pairs(
    tables: np.ndarray, ta: np.ndarray, tb: np.ndarray, tol: float = 1e-12
) -> np.ndarray:
    """Maximum-likelihood rho for many pairs at once (thresholds fixed).

    Golden-section search on (-1, 1) for every pair simultaneously, the same
    bracket as psych's ``optimize(polyF, c(-1, 1))`` but run to ``tol``. The
    log-likelihood is flat at its maximum, so rho is located to about 1e-8.
    Tables are proportions or counts, (m, c, c); ta, tb are (m, c - 1).
    """
    m = tables.shape[0]
    gr = (np.sqrt(5.0) - 1.0) / 2.0
    lo = np.full(m, -1.0 + 1e-12)
    hi = np.full(m, 1.0 - 1e-12)
    x1 = hi - gr * (hi - lo)
    x2 = lo + gr * (hi - lo)
    f1 = _neg_loglik(tables, ta, tb, x1)
    f2 = _neg_loglik(tables, ta, tb, x2)
    n_iter = int(np.ceil(np.log(tol / 2.0) / np.log(gr))) + 1
    for _ in range(n_iter):
        left = f1 < f2
        hi = np.where(left, x2, hi)
        lo = np.where(left, lo, x1)
        new_x1 = np.where(left, hi - gr * (hi - lo), x2)
        new_x2 = np.where(left, x1, lo + gr * (hi - lo))
        fp = _neg_loglik(tables, ta, tb, np.where(left, new_x1, new_x2))
        f1, f2 = np.where(left, fp, f2), np.where(left, f1, fp)
        x1, x2 = new_x1, new_x2
    return (lo + hi) / 2.0


def smooth_correlation(r: np.ndarray, eig_tol: float = 1e-12) -> tuple[np.ndarray, bool]:
    """psych's ``cor.smooth``: lift eigenvalues below ``eig_tol`` and rescale.

    Returns the matrix and whether it was changed (only when the smallest
    eigenvalue is below machine epsilon).
    """
    values, vectors = np.linalg.eigh(r)
    if values.min() >= np.finfo(float).eps:
        return r, False
    values = np.where(values < eig_tol, 100.0 * eig_tol, values)
    values = values * r.shape[0] / values.sum()
    out = (vectors * values) @ vectors.T
    d = np.sqrt(np.diag(out))
    return out / np.outer(d, d), True


def pair_thresholds(
    tables: np.ndarray, correct: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per-pair thresholds from each pair's own table, as psych with ``global = FALSE``.

    Rows and columns the pair never uses are left out of the thresholds (they get
    zero width); the remaining empty cells get ``correct / n`` added to the
    proportions (psych's correction for continuity). Returns the corrected
    proportions, the row and column thresholds, and the number of cells corrected.
    """
    tot = tables.sum(axis=(1, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        props = tables / tot[:, None, None]
    rows_used = tables.sum(axis=2) > 0
    cols_used = tables.sum(axis=1) > 0
    empty = (tables == 0) & rows_used[:, :, None] & cols_used[:, None, :]
    if correct > 0:
        props = np.where(empty, correct / tot[:, None, None], props)
    n_fixed = empty.sum(axis=(1, 2)) if correct > 0 else np.zeros(len(tables), dtype=np.intp)

    def cuts(margin: np.ndarray, used: np.ndarray) -> np.ndarray:
        cum = np.cumsum(margin, axis=1)[:, :-1]
        # No used category above a cut: psych drops those categories, i.e. +inf.
        above = np.flip(np.cumsum(np.flip(used, axis=1), axis=1), axis=1)[:, 1:] > 0
        with np.errstate(invalid="ignore"):
            return np.where(above, special.ndtri(np.clip(cum, 0.0, 1.0)), np.inf)

    return props, cuts(props.sum(axis=2), rows_used), cuts(props.sum(axis=1), cols_used), n_fixed


def polychoric_matrix(
    codes: np.ndarray, n_cat: int, *, global_thresholds: bool = True, correct: float = 0.5
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Polychoric correlation matrix of integer-coded items (psych's two-step method).

    Parameters
    ----------
    codes : (n, p) int
        Categories 0 .. n_cat - 1 on one common set of categories, -1 if missing.
    global_thresholds : bool
        Thresholds from each item's own answers (psych's ``global = TRUE``), or from
        each pair's table with the continuity correction ``correct``
        (``global = FALSE``).

    Returns
    -------
    rho : (p, p)
        NaN for pairs never answered together and for items with one category.
    tau : (p, n_cat - 1)
    n_pairs : (p, p) number of rows with both items answered.
    n_corrected : int
        Empty cells given the continuity correction.
    """
    p = codes.shape[1]
    tau, _ = thresholds(codes, n_cat)
    tables = pair_tables(codes, n_cat)
    n_pairs = tables.sum(axis=(2, 3))
    i, j = np.triu_indices(p, 1)
    rho = np.eye(p)
    n_corrected = 0
    if i.size:
        pairs = tables[i, j]
        if global_thresholds:
            values = polychoric_pairs(pairs, tau[i], tau[j])
        else:
            props, ta, tb, fixed = pair_thresholds(pairs, correct)
            values = polychoric_pairs(props, ta, tb)
            n_corrected = int(fixed.sum())
        used = (tables.sum(axis=3) > 0).sum(axis=2)  # categories used, per pair row item
        bad = (n_pairs[i, j] == 0) | (used[i, j] < 2) | (used[j, i] < 2)
        values = np.where(bad, np.nan, values)
        rho[i, j] = values
        rho[j, i] = values
    return rho, tau, n_pairs, n_corrected
