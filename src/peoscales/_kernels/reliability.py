"""Reliability kernels: pairwise covariances, alpha family, split halves, minres, omega.

Everything works on covariance matrices, batched along leading axes, so that a
bootstrap with ``B`` replicates is one stack of ``B`` covariance matrices built by
a few matrix products (resampling counts times per-row cross-products), not ``B``
refits. No pandas and no validation here.
"""

from __future__ import annotations

import functools
import itertools
import math
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from scipy import optimize, stats

#: Rows per block when forming per-row cross-products (bounds memory to a few MB).
BLOCK_ROWS = 4096
#: Per-row features of the bootstrap are built once when they take at most this much.
PLAN_BYTES = 64 * 2**20


def pairwise_cov(x: np.ndarray, weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Covariances with pairwise deletion, optionally for many row weightings at once.

    Parameters
    ----------
    x : (n, p) float64
        Data, NaN where missing.
    weights : (B, n) float64, optional
        Frequency weights per replicate (bootstrap resampling counts). Default:
        one replicate with every row once.

    Returns
    -------
    cov : (p, p) or (B, p, p)
        ``cov[i, j]`` uses the rows where both ``i`` and ``j`` are present, with
        means over those rows and divisor ``n_ij - 1`` (R's
        ``cov(use = "pairwise")``). NaN where ``n_ij < 2``.
    n : (p, p) or (B, p, p)
        The pairwise numbers of rows ``n_ij``.

    Notes
    -----
    With the answered mask ``M``, zero-filled centred data ``X0`` and weights
    ``w``: ``n_ij = sum w M_i M_j``, ``s_ij = sum w X0_i M_j``,
    ``q_ij = sum w X0_i X0_j`` and ``cov_ij = (q_ij - s_ij s_ji / n_ij) / (n_ij - 1)``.
    Centring on the column means first keeps the subtraction exact to ~1e-15.
    """
    mask = ~np.isnan(x)
    if weights is not None:
        x0, dtype = _weighted_inputs(x, mask, float(weights.sum(axis=1).max(initial=0.0)))
        plan = _pairwise_plan(x0, mask, dtype)
        return _apply_pairwise_plan(plan, x0, mask, weights, dtype)
    counts = mask.sum(axis=0)
    centre = np.where(mask, x, 0.0).sum(axis=0) / np.maximum(counts, 1)
    x0 = np.where(mask, x - centre, 0.0)
    m = mask.astype(np.float64)
    if weights is None:
        nn = m.T @ m
        s = x0.T @ m
        q = x0.T @ x0
    else:  # pragma: no cover - handled above
        raise AssertionError
    st = np.swapaxes(s, -1, -2)
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = (q - s * st / nn) / (nn - 1.0)
    cov = np.where(nn >= 2, cov, np.nan)
    return cov, nn


def _pairwise_plan(
    x0: np.ndarray, mask: np.ndarray, dtype: type[np.floating]
) -> list[tuple[slice | np.ndarray, np.ndarray | None, bool]]:
    """Row groups for batched pairwise covariances, with their per-row features.

    Only the upper triangle of pairs is formed. Complete rows need the cross-products
    ``x_i x_j``, the values and a 1 (for the count); incomplete rows also the mask
    products ``m_i m_j`` and the masked values ``x_i m_j`` and ``x_j m_i``. Features
    are built once when they fit in :data:`PLAN_BYTES`; otherwise (``None``) per
    block of rows at each use. A contiguous group of rows (all rows, when none or all
    are complete) is a slice, which avoids copying the weights.
    """
    x0 = x0.astype(dtype)
    m = mask.astype(dtype)
    p = x0.shape[1]
    iu, ju = np.triu_indices(p)
    t = iu.size
    full = mask.all(axis=1)
    plan: list[tuple[slice | np.ndarray, np.ndarray | None, bool]] = []
    for rows, complete in ((np.flatnonzero(full), True), (np.flatnonzero(~full), False)):
        if rows.size == 0:
            continue
        width = t + p + 1 if complete else 4 * t
        contiguous = rows[-1] - rows[0] + 1 == rows.size
        sel: slice | np.ndarray = slice(rows[0], rows[-1] + 1) if contiguous else rows
        feats = None
        if rows.size * width * np.dtype(dtype).itemsize <= PLAN_BYTES:
            feats = _pair_features(x0[sel], m[sel], complete, iu, ju)
        plan.append((sel, feats, complete))
    return plan


def _pair_features(
    xb: np.ndarray, mb: np.ndarray, complete: bool, iu: np.ndarray, ju: np.ndarray
) -> np.ndarray:
    if complete:
        return np.hstack([xb[:, iu] * xb[:, ju], xb, np.ones((len(xb), 1), xb.dtype)])
    return np.hstack(
        [xb[:, iu] * xb[:, ju], mb[:, iu] * mb[:, ju], xb[:, iu] * mb[:, ju], xb[:, ju] * mb[:, iu]]
    )


def _apply_pairwise_plan(
    plan: list[tuple[slice | np.ndarray, np.ndarray | None, bool]],
    x0: np.ndarray,
    mask: np.ndarray,
    weights: np.ndarray,
    dtype: type[np.floating],
) -> tuple[np.ndarray, np.ndarray]:
    """Pairwise covariances and counts (B, p, p) for a batch of row weights.

    Each group is one matrix product ``weights @ features`` in ``dtype`` (float32
    only when every sum is a whole number below 2**24, hence exact), accumulated in
    float64.
    """
    weights = weights.astype(dtype, copy=False)
    b = weights.shape[0]
    p = x0.shape[1]
    iu, ju = np.triu_indices(p)
    t = iu.size
    sums_c = np.zeros((b, t + p + 1))
    sums_i = np.zeros((b, 4 * t))
    for sel, feats, complete in plan:
        target = sums_c if complete else sums_i
        if feats is not None:
            target += weights[:, sel] @ feats
            continue
        rows = np.arange(x0.shape[0])[sel]
        for start in range(0, rows.size, BLOCK_ROWS):
            block = rows[start : start + BLOCK_ROWS]
            xb = x0[block].astype(dtype)
            mb = mask[block].astype(dtype)
            target += weights[:, block] @ _pair_features(xb, mb, complete, iu, ju)
    xs = sums_c[:, t : t + p]
    q = sums_c[:, :t] + sums_i[:, :t]
    nn = sums_c[:, t + p : t + p + 1] + sums_i[:, t : 2 * t]
    s_ij = xs[:, iu] + sums_i[:, 2 * t : 3 * t]
    s_ji = xs[:, ju] + sums_i[:, 3 * t :]
    with np.errstate(invalid="ignore", divide="ignore"):
        tri = (q - s_ij * s_ji / nn) / (nn - 1.0)
    tri = np.where(nn >= 2, tri, np.nan)
    cov = np.empty((b, p, p))
    cov[:, iu, ju] = tri
    cov[:, ju, iu] = tri
    counts = np.empty((b, p, p))
    counts[:, iu, ju] = nn
    counts[:, ju, iu] = nn
    return cov, counts


def _weighted_inputs(
    x: np.ndarray, mask: np.ndarray, total_weight: float
) -> tuple[np.ndarray, type[np.floating]]:
    """Zero-filled data and the dtype of the batched products.

    Whole-number codes with integer weights give whole-number sums; below 2**24 they
    are exact in float32, whose matrix products run twice as fast. Other data are
    centred and kept in float64.
    """
    raw = np.where(mask, x, 0.0)
    bound = float(np.max(raw * raw, initial=0.0)) * total_weight
    if bool(np.all(raw == np.round(raw))) and bound < 2**24:
        return raw, np.float32
    counts = mask.sum(axis=0)
    centre = raw.sum(axis=0) / np.maximum(counts, 1)
    return np.where(mask, x - centre, 0.0), np.float64


def pairwise_cor(x: np.ndarray) -> np.ndarray:
    """Correlations with pairwise deletion, as R's ``cor(use = "pairwise")``.

    Unlike ``cov_to_cor(pairwise_cov(x))``, each pair's standard deviations are
    taken over the rows where both items are present.
    """
    mask = ~np.isnan(x)
    counts = mask.sum(axis=0)
    centre = np.where(mask, x, 0.0).sum(axis=0) / np.maximum(counts, 1)
    x0 = np.where(mask, x - centre, 0.0)
    m = mask.astype(np.float64)
    nn = m.T @ m
    s = x0.T @ m
    q = x0.T @ x0
    q2 = (x0 * x0).T @ m
    with np.errstate(invalid="ignore", divide="ignore"):
        cross = q - s * s.T / nn
        ss_i = q2 - s * s / nn
        r = cross / np.sqrt(ss_i * ss_i.T)
    r = np.where(nn >= 2, r, np.nan)
    np.fill_diagonal(r, np.where(np.diag(ss_i) > 0, 1.0, np.nan))
    return r


def cov_to_cor(cov: np.ndarray) -> np.ndarray:
    """Correlations from (batched) covariances (NaN where a variance is 0)."""
    d = np.sqrt(np.diagonal(cov, axis1=-2, axis2=-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = cov / (d[..., :, None] * d[..., None, :])
    return r


def smc(r: np.ndarray) -> np.ndarray:
    """Squared multiple correlations ``1 - 1 / diag(R^+)``, clipped to [0, 1] as psych does."""
    if not np.isfinite(r).all():
        return np.full(r.shape[:-1], np.nan)
    inv = np.linalg.pinv(r, hermitian=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 1.0 - 1.0 / np.diagonal(inv, axis1=-2, axis2=-1)
    return np.clip(out, 0.0, 1.0)


def _total(a: np.ndarray) -> np.ndarray:
    return a.sum(axis=(-2, -1))


def _trace(a: np.ndarray) -> np.ndarray:
    return np.trace(a, axis1=-2, axis2=-1)


def alpha_from_cov(cov: np.ndarray) -> np.ndarray:
    """Cronbach's alpha ``k/(k-1) (1 - tr C / 1'C1)`` for a stack of covariance matrices."""
    k = cov.shape[-1]
    with np.errstate(invalid="ignore", divide="ignore"):
        return k / (k - 1.0) * (1.0 - _trace(cov) / _total(cov))


def scale_statistics(cov: np.ndarray) -> dict[str, np.ndarray]:
    """Every scale- and item-level statistic of one covariance matrix (k >= 2).

    Returns a dict of scalars (as 0-d arrays) and (k,) arrays:
    ``raw_alpha``, ``std_alpha``, ``g6``, ``average_r``, ``median_r``;
    per item ``std_r``, ``r_cor``, ``r_drop``, ``alpha_if_deleted``,
    ``std_alpha_if_deleted``. Formulas follow ``psych::alpha`` (Revelle, 2022).
    """
    k = cov.shape[-1]
    r = cov_to_cor(cov)
    total_c = _total(cov)
    total_r = _total(r)
    tr_c = _trace(cov)
    col_c = cov.sum(axis=0)
    col_r = r.sum(axis=0)
    var = np.diagonal(cov)
    lower = r[np.tril_indices(k, -1)]
    smc_r = smc(r)
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = k / (k - 1.0) * (1.0 - tr_c / total_c)
        std = k / (k - 1.0) * (1.0 - k / total_r)
        g6 = 1.0 - (k - smc_r.sum()) / total_r
        average_r = (total_r - k) / (k * (k - 1.0))
        std_r = col_r / np.sqrt(total_r)
        rc_col = col_r - 1.0 + smc_r
        r_cor = rc_col / np.sqrt(total_r - k + smc_r.sum())
        rest_sum = total_c - 2.0 * col_c + var
        r_drop = (col_c - var) / np.sqrt(var * rest_sum)
        if k > 2:
            drop_alpha = (k - 1.0) / (k - 2.0) * (1.0 - (tr_c - var) / rest_sum)
            rest_r = total_r - 2.0 * col_r + 1.0
            drop_std = (k - 1.0) / (k - 2.0) * (1.0 - (k - 1.0) / rest_r)
        else:
            # One item left: alpha is undefined.
            drop_alpha = np.full(k, np.nan)
            drop_std = np.full(k, np.nan)
    return {
        "raw_alpha": raw,
        "std_alpha": std,
        "g6": g6,
        "average_r": average_r,
        "median_r": np.median(lower) if lower.size else np.asarray(np.nan),
        "std_r": std_r,
        "r_cor": r_cor,
        "r_drop": r_drop,
        "alpha_if_deleted": drop_alpha,
        "std_alpha_if_deleted": drop_std,
    }


def feldt_interval(alpha: float, n: int, k: int, level: float) -> tuple[float, float]:
    """Feldt's (1965) interval: ``1 - (1 - alpha) F`` with F on (n-1, (n-1)(k-1)) df."""
    if n < 2 or k < 2 or not np.isfinite(alpha):
        return math.nan, math.nan
    df1 = n - 1.0
    df2 = df1 * (k - 1.0)
    tail = (1.0 - level) / 2.0
    low = 1.0 - (1.0 - alpha) * stats.f.ppf(1.0 - tail, df1, df2)
    high = 1.0 - (1.0 - alpha) * stats.f.ppf(tail, df1, df2)
    return float(low), float(high)


def bootstrap_counts(n: int, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Resampling counts (n_boot, n): all indices drawn at once, then counted per replicate."""
    return np.vstack(list(bootstrap_count_batches(n, n_boot, rng, chunk=max(n_boot, 1))))


#: Replicates per batch: bounds each batch's indices and counts to a few MB, so that
#: drawing, counting and the product with the features stay in the CPU cache.
BOOT_CHUNK = 128


def _index_dtype(n: int) -> type[np.unsignedinteger]:
    """Smallest unsigned type holding the row indices 0..n-1 (fewer random bits to draw)."""
    if n <= 2**16:
        return np.uint16
    if n <= 2**32:
        return np.uint32
    return np.uint64


def _batch_plan(
    n: int, n_boot: int, rng: np.random.Generator, chunk: int | None
) -> tuple[int, list[tuple[np.random.Generator, int, int]]]:
    """Batch size and, per batch of replicates, its generator, first replicate and size.

    Each batch draws from its own generator, seeded by a child of one seed sequence
    whose entropy is drawn from ``rng``, so the resamples are fixed by the seed
    whichever thread draws them and in whatever order. (``Generator.spawn`` would do
    the same but needs numpy 1.25.)
    """
    if chunk is None:
        chunk = max(1, min(BOOT_CHUNK, 2**18 // max(n, 1)))
    chunk = max(1, min(chunk, n_boot))
    starts = range(0, n_boot, chunk)
    root = np.random.SeedSequence(rng.integers(0, 2**63, size=4, dtype=np.int64).tolist())
    kind = type(rng.bit_generator)
    children = [np.random.Generator(kind(child)) for child in root.spawn(len(starts))]
    return chunk, [(g, s, min(chunk, n_boot - s)) for g, s in zip(children, starts)]


def _draw_counts(
    gen: np.random.Generator, n: int, b: int, flat: np.ndarray, out: np.ndarray
) -> np.ndarray:
    """Resampling counts (b, n) of one batch, written into ``out`` (any float dtype).

    The ``b x n`` row indices are drawn in one call as the smallest unsigned type that
    holds them, replicate ``r`` is offset by ``r n`` (into ``flat``, intp) and all are
    counted with one ``np.bincount``.
    """
    idx = gen.integers(0, n, size=(b, n), dtype=_index_dtype(n))
    offsets = (np.arange(b, dtype=np.intp) * n)[:, None]
    np.add(idx, offsets, out=flat[:b], dtype=np.intp)
    counts = np.bincount(flat[:b].ravel(), minlength=b * n).reshape(b, n)
    np.copyto(out[:b], counts, casting="unsafe")
    return out[:b]


def bootstrap_count_batches(
    n: int, n_boot: int, rng: np.random.Generator, chunk: int | None = None
) -> Iterator[np.ndarray]:
    """Resampling counts (float64) in batches of replicates (the last may be smaller).

    Default batch: :data:`BOOT_CHUNK` replicates, fewer for very many rows so that
    a batch holds at most 2**18 indices. The same generator and batch size give the
    same resamples as :func:`bootstrap_alphas`; each batch is a new array.
    """
    chunk, batches = _batch_plan(n, n_boot, rng, chunk)
    flat = np.empty((chunk, n), dtype=np.intp)
    for gen, _, b in batches:
        yield _draw_counts(gen, n, b, flat, np.empty((b, n)))


def _boot_threads(n_batches: int) -> int:
    """Threads for the batches: one for small bootstraps, else up to the cores (max 8)."""
    return max(1, min(os.cpu_count() or 1, 8, n_batches // 4))


def bootstrap_alphas(x: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Alpha of ``n_boot`` bootstrap resamples of the rows of ``x``.

    The per-row features are built once; each batch of replicates is then one
    matrix product of its resampling counts with them. Batches bound memory and keep
    the counts in the CPU cache between drawing and the product.
    """
    n, k = x.shape
    out = np.empty(n_boot)
    chunk, batches = _batch_plan(n, n_boot, rng, None)
    if np.isnan(x).any():
        mask = ~np.isnan(x)
        x0, dtype = _weighted_inputs(x, mask, float(n))
        plan = _pairwise_plan(x0, mask, dtype)

        def alphas(counts: np.ndarray) -> np.ndarray:
            return alpha_from_cov(_apply_pairwise_plan(plan, x0, mask, counts, dtype)[0])

    else:
        feats, dtype = _total_features(x, float(n))

        def alphas(counts: np.ndarray) -> np.ndarray:
            return _alpha_from_total_sums(counts @ feats, k)

    def run(share: list[tuple[np.random.Generator, int, int]]) -> None:
        # Per-thread buffers, reused batch after batch (no page faults of new arrays).
        flat = np.empty((chunk, n), dtype=np.intp)
        buffer = np.empty((chunk, n), dtype=dtype)
        for gen, start, b in share:
            out[start : start + b] = alphas(_draw_counts(gen, n, b, flat, buffer))

    # Drawing, counting and the products release the GIL, so contiguous shares of the
    # batches run in parallel threads; each batch has its own generator and its own
    # slice of the output, so the result does not depend on the threads.
    threads = _boot_threads(len(batches))
    if threads == 1:
        run(batches)
    else:
        per = -(-len(batches) // threads)
        shares = [batches[i : i + per] for i in range(0, len(batches), per)]
        # One BLAS thread per worker: a threaded BLAS inside each worker would put
        # more threads than cores on the small products and slow them down.
        with (
            _blas_controller().limit(limits=1, user_api="blas"),
            ThreadPoolExecutor(max_workers=len(shares) - 1) as pool,
        ):
            # The other shares start first, while this thread waits for nothing;
            # then this thread takes the first share itself.
            pending = [pool.submit(run, share) for share in shares[1:]]
            run(shares[0])
            for future in pending:
                future.result()
    return out


@functools.cache
def _blas_controller() -> Any:
    """threadpoolctl's controller, found once (finding the libraries takes ~1 ms)."""
    from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

    return ThreadpoolController()


def _total_features(x: np.ndarray, total_weight: float) -> tuple[np.ndarray, type[np.floating]]:
    """Per-row ``[x, x^2, T, T^2, 1]`` for complete data (T the row total)."""
    total = x.sum(axis=1)
    whole = bool(np.all(x == np.round(x)))
    dtype: type[np.floating] = np.float64
    if whole and float(np.max(total * total, initial=0.0)) * total_weight < 2**24:
        # Whole-number sums below 2**24: exact in float32 (see _weighted_inputs).
        dtype = np.float32
    else:
        x = x - x.mean(axis=0)
        total = x.sum(axis=1)
    feats = np.column_stack([x, x * x, total, total * total, np.ones(len(x))]).astype(dtype)
    return feats, dtype


def _alpha_from_total_sums(sums: np.ndarray, k: int) -> np.ndarray:
    sums = sums.astype(np.float64)
    n = sums[:, -1:]
    with np.errstate(invalid="ignore", divide="ignore"):
        item_var = (sums[:, k : 2 * k] - sums[:, :k] ** 2 / n) / (n - 1.0)
        total_var = (sums[:, -2] - sums[:, -3] ** 2 / n[:, 0]) / (n[:, 0] - 1.0)
        return k / (k - 1.0) * (1.0 - item_var.sum(axis=1) / total_var)


def bootstrap_alpha(x: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Alpha of every replicate of one batch of resampling counts (B, n).

    With missing answers: from batched pairwise covariance matrices. Without: alpha
    needs only the item variances and the variance of the total,
    ``k/(k-1) (1 - sum_i var(x_i) / var(sum_i x_i))``, so each replicate takes one
    weighted sum of ``[x, x^2, T, T^2, 1]`` per row (2k + 3 numbers instead of the
    k(k+1)/2 cross-products).
    """
    if np.isnan(x).any():
        cov, _ = pairwise_cov(x, counts)
        return alpha_from_cov(cov)
    feats, dtype = _total_features(x, float(counts.sum(axis=1).max(initial=0.0)))
    return _alpha_from_total_sums(counts.astype(dtype, copy=False) @ feats, x.shape[1])


def split_vectors(k: int, max_splits: int, rng: np.random.Generator) -> tuple[np.ndarray, bool]:
    """Half memberships (m, k) of 0/1: all splits if there are at most ``max_splits``.

    Halves hold ``k // 2`` and ``k - k // 2`` items; each split appears once.
    Returns the memberships and whether the enumeration is exhaustive.
    """
    h = k // 2
    count = math.comb(k, h) // (2 if k % 2 == 0 else 1)
    if count <= max_splits:
        combos = np.array(list(itertools.combinations(range(k), h)), dtype=np.intp)
        if k % 2 == 0:
            combos = combos[combos[:, 0] == 0]
        out = np.zeros((combos.shape[0], k))
        np.put_along_axis(out, combos, 1.0, axis=1)
        return out, True
    # Random halves: argsort of uniforms gives a random permutation per row.
    perm = np.argsort(rng.random((max_splits, k)), axis=1)[:, :h]
    out = np.zeros((max_splits, k))
    np.put_along_axis(out, perm, 1.0, axis=1)
    return out, False


def spearman_brown_splits(cov: np.ndarray, halves: np.ndarray) -> np.ndarray:
    """Spearman-Brown ``2 r / (1 + r)`` of the half-sum correlation for each split."""
    other = 1.0 - halves
    c_ab = np.einsum("mi,ij,mj->m", halves, cov, other)
    c_aa = np.einsum("mi,ij,mj->m", halves, cov, halves)
    c_bb = np.einsum("mi,ij,mj->m", other, cov, other)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = c_ab / np.sqrt(c_aa * c_bb)
        return 2.0 * r / (1.0 + r)


# --------------------------------------------------------------------------------------
# Factor models for omega
# --------------------------------------------------------------------------------------
# factor_analyzer's FactorAnalyzer.fit fails with current scikit-learn (it passes the
# removed ``force_all_finite`` keyword to check_array), and its optimiser stops at
# default L-BFGS-B tolerances. The minres fit below is the same estimator as
# ``psych::fa(fm = "minres")``: minimise half the sum of squared residual eigenvalues
# of ``R - diag(psi)`` over the uniquenesses ``psi`` in [0.005, 1] from ``1 - smc``,
# with the analytic gradient, to tight tolerances. Rotations use factor_analyzer's
# Rotator, which works.


def minres(r: np.ndarray, n_factors: int) -> np.ndarray:
    """Minimum-residual (unweighted least squares) loadings, unrotated, (p, n_factors)."""
    p = r.shape[0]

    def loadings(psi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        values, vectors = np.linalg.eigh(r - np.diag(psi))
        order = np.argsort(values)[::-1]
        values, vectors = values[order], vectors[:, order]
        load = vectors[:, :n_factors] * np.sqrt(np.maximum(values[:n_factors], 0.0))
        return load, values

    def objective(psi: np.ndarray) -> tuple[float, np.ndarray]:
        load, values = loadings(psi)
        rest = values[n_factors:]
        grad = np.diag(load @ load.T) + psi - np.diag(r)
        return 0.5 * float(rest @ rest), grad

    start = np.clip(1.0 - smc(r), 0.005, 1.0)
    fit = optimize.minimize(
        objective,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=[(0.005, 1.0)] * p,
        options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000},
    )
    load, _ = loadings(fit.x)
    # Sign convention: each factor's loadings sum to a positive number.
    signs = np.where(load.sum(axis=0) < 0, -1.0, 1.0)
    return load * signs


def general_keys(g: np.ndarray) -> np.ndarray:
    """+1/-1 per item: -1 where the general-factor loading is negative (psych's ``flip``)."""
    return np.where(g < 0, -1.0, 1.0)


def omega_one_factor(r: np.ndarray, flip: bool = True) -> tuple[float, np.ndarray, np.ndarray]:
    """Omega total from a one-factor minres model, as ``psych::omega(nfactors = 1)``.

    The factor is oriented so that its loadings sum to a positive number (as
    ``psych::fa``). With ``flip`` the items loading negatively are reversed (the
    correlation matrix is keyed by the signs of the loadings), as psych's default
    ``flip = TRUE``; then ``omega_t = (1'R1 - sum(1 - h2)) / 1'R1`` with ``R`` keyed
    and ``h2`` the communalities.

    Returns
    -------
    omega_t : float
    loadings : (p,) the loadings after keying (all >= 0 with ``flip``)
    keys : (p,) +1/-1, -1 for the items reversed (all +1 without ``flip``)
    """
    load = minres(r, 1)[:, 0]
    keys = general_keys(load) if flip else np.ones_like(load)
    total = float((r * np.outer(keys, keys)).sum())
    h2 = load**2
    return float((total - (1.0 - h2).sum()) / total), load * keys, keys


def omega_total(r: np.ndarray, flip: bool = True) -> float:
    """McDonald's omega total of :func:`omega_one_factor`."""
    return omega_one_factor(r, flip)[0]


def schmid_leiman(r: np.ndarray, n_factors: int) -> dict[str, np.ndarray]:
    """Schmid-Leiman transformation as in ``psych::schmid`` (minres, oblimin).

    Fits ``n_factors`` minres factors, rotates them obliquely (quartimin, i.e.
    oblimin with gamma 0, after varimax as psych does), factors the factor
    correlations with one minres factor (two factors: both loadings
    ``sqrt(phi_12)``, psych's ``option = "equal"``) and returns the general-factor
    loadings ``g = F g_phi`` and communalities ``h2``.
    """
    from factor_analyzer.rotator import Rotator

    load = minres(r, n_factors)
    h2 = (load**2).sum(axis=1)
    varimax = Rotator(method="varimax", normalize=True, tol=1e-10, max_iter=5000)
    orth = varimax.fit_transform(load)
    # psych::fa reflects rotated factors so that each column of loadings sums to a
    # positive number; the direction of the general factor (and so which items
    # psych's flip reverses) follows from it.
    orth = orth * np.where(orth.sum(axis=0) < 0, -1.0, 1.0)
    oblimin = Rotator(method="oblimin", gamma=0, tol=1e-10, max_iter=5000)
    pattern = oblimin.fit_transform(orth)
    phi = oblimin.phi_
    if n_factors == 2:
        root = math.sqrt(abs(phi[0, 1]))
        gload = np.array([root, math.copysign(root, phi[0, 1])])
    else:
        gload = minres(phi, 1)[:, 0]
    g = pattern @ gload
    return {"g": g, "h2": h2, "pattern": pattern, "phi": phi, "gload": gload}


def omega_hierarchical(
    r: np.ndarray, n_factors: int, flip: bool = True
) -> tuple[float, float, np.ndarray, np.ndarray]:
    """Omega hierarchical and omega total of a correlation matrix (``psych::omega``).

    With ``flip``, items whose general loading is negative are reversed, as psych
    does with its default ``flip = TRUE``; then ``omega_h = (sum g)^2 / 1'R1`` and
    ``omega_t = (1'R1 - sum(1 - h2)) / 1'R1`` with ``R`` keyed. Returns both, the
    general loadings after keying and the keys (+1/-1).
    """
    sl = schmid_leiman(r, n_factors)
    keys = general_keys(sl["g"]) if flip else np.ones_like(sl["g"])
    total = float((r * np.outer(keys, keys)).sum())
    g = sl["g"] * keys
    omega_h = float(g.sum() ** 2 / total)
    omega_t = float((total - (1.0 - sl["h2"]).sum()) / total)
    return omega_h, omega_t, g, keys
