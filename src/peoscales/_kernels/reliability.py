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
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import DTypeLike
from scipy import stats

from peoscales._kernels import native
from peoscales._kernels._blas import single_blas_thread
from peoscales._kernels._threads import usable_cpus

#: Rows per block when forming per-row cross-products (bounds memory to a few MB).
BLOCK_ROWS = 4096
#: Per-row features of the bootstrap are built once when they take at most this much.
PLAN_BYTES = 64 * 2**20

#: The largest work array :func:`scratch` keeps per thread and name.
SCRATCH_BYTES = 8 * 2**20
_scratch_of_thread = threading.local()


def scratch(name: str, shape: tuple[int, ...], dtype: DTypeLike) -> np.ndarray:
    """A work array of ``shape`` kept by this thread between calls (contents undefined).

    A temporary of a megabyte or more that the allocator returns to the system at every
    call must be paged in again at the next one; on a virtual machine that costs more
    than the arithmetic done on it (a 1.4 MB temporary: 1.3 ms of page faults against
    0.1 ms of products, measured). The bootstrap's per-batch temporaries are therefore
    kept per thread, one per ``name``, grown when a call needs more: a few MB per
    thread that runs bootstraps. Arrays above :data:`SCRATCH_BYTES` are not kept.
    """
    nbytes = math.prod(shape) * np.dtype(dtype).itemsize
    if nbytes > SCRATCH_BYTES:
        return np.empty(shape, dtype=dtype)
    store: dict[str, np.ndarray] | None = getattr(_scratch_of_thread, "arrays", None)
    if store is None:
        store = _scratch_of_thread.arrays = {}
    kept = store.get(name)
    if kept is None or kept.nbytes < nbytes:
        kept = store[name] = np.empty(max(nbytes, 1), dtype=np.uint8)
    return kept[:nbytes].view(dtype).reshape(shape)


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
        return _apply_pairwise_plan(_pairwise_plan(x0, mask, dtype), weights)
    counts = mask.sum(axis=0)
    if x.shape[0] and counts.min(initial=x.shape[0]) == x.shape[0]:
        # Complete data: every n_ij is n and s_ij the column sum of the centred data
        # (zero up to rounding), so one product gives the covariances.
        x0 = x - x.mean(axis=0)
        nn = np.full((x.shape[1], x.shape[1]), float(x.shape[0]))
        s = np.broadcast_to(x0.sum(axis=0)[:, None], nn.shape)
        q = x0.T @ x0
    else:
        centre = np.where(mask, x, 0.0).sum(axis=0) / np.maximum(counts, 1)
        x0 = np.where(mask, x - centre, 0.0)
        m = mask.astype(np.float64)
        nn = m.T @ m
        s = x0.T @ m
        q = x0.T @ x0
    st = np.swapaxes(s, -1, -2)
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = (q - s * st / nn) / (nn - 1.0)
    cov = np.where(nn >= 2, cov, np.nan)
    return cov, nn


@functools.cache
def _upper(k: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of the pairs ``i <= j``, cached and read-only.

    ``np.triu_indices`` takes about 0.1 ms; once per batch of replicates, that added up.
    """
    iu, ju = np.triu_indices(k)
    iu.flags.writeable = False
    ju.flags.writeable = False
    return iu, ju


class _PairwisePlan(NamedTuple):
    """Per-row features for batched pairwise covariances (see :func:`_pairwise_plan`)."""

    #: Zero-filled data (whole-number codes) or data centred and zero-filled (other),
    #: transposed: (k, n).
    x0t: np.ndarray
    #: Missing-answer indicator (1.0 where missing), in the products' dtype, (k, n).
    missing_t: np.ndarray
    dtype: type[np.floating]
    #: Row ranges ``(start, stop)`` whose features are formed together.
    blocks: list[tuple[int, int]]
    #: The features of each block, or None: formed per block at each use.
    built: list[_BlockFeatures] | None


class _BlockFeatures(NamedTuple):
    #: (t + k + 1, rows): ``x_i x_j`` (i <= j), ``x_i`` and 1 of every row.
    pairs: np.ndarray
    #: (k, L) row numbers where item j is missing, padded with row 0 (its features 0).
    segment_rows: np.ndarray
    #: (k, 2k, L): ``x`` and the missing indicator of those rows (zero padding).
    segment_features: np.ndarray


def _pairwise_plan(x0: np.ndarray, mask: np.ndarray, dtype: type[np.floating]) -> _PairwisePlan:
    """The features of batched pairwise covariances, built once when they are small.

    Pairwise sums are written as sums over *all* rows minus sums over the rows where
    an item is missing (see :func:`_pairwise_triangle`), so that every row needs only
    ``t + k + 1`` features (``t = k(k+1)/2``) and the rows missing item ``j`` a further
    ``2k``. The cost of the missing answers grows with their number, not with the
    number of rows that have one. Features are stored one per row of the array (the
    data transposed), which makes building them and the products contiguous.
    """
    x0t = np.ascontiguousarray(x0.T, dtype=dtype)
    missing_t = np.ascontiguousarray((~mask).T, dtype=dtype)
    k, n = x0t.shape
    t = k * (k + 1) // 2
    per_row = (t + k + 1 + 2 * k * k) * np.dtype(dtype).itemsize
    if n * per_row <= PLAN_BYTES:
        built = [_block_features(x0t, missing_t, 0, n)]
        return _PairwisePlan(x0t, missing_t, dtype, [(0, n)], built)
    blocks = [(a, min(a + BLOCK_ROWS, n)) for a in range(0, n, BLOCK_ROWS)]
    return _PairwisePlan(x0t, missing_t, dtype, blocks, None)


def _block_features(
    x0t: np.ndarray, missing_t: np.ndarray, start: int, stop: int
) -> _BlockFeatures:
    xb = x0t[:, start:stop]
    ub = missing_t[:, start:stop]
    k, rows = xb.shape
    iu, ju = _upper(k)
    t = iu.size
    pairs = np.empty((t + k + 1, rows), dtype=xb.dtype)
    np.take(xb, iu, axis=0, out=pairs[:t], mode="clip")
    factor = scratch("pair_factor", (t, rows), xb.dtype)
    np.take(xb, ju, axis=0, out=factor, mode="clip")
    pairs[:t] *= factor
    pairs[t : t + k] = xb
    pairs[t + k] = 1.0
    # Rows missing item j, item by item, padded to the longest list: one batched
    # product then covers every item (padding rows have zero features).
    item, row = np.nonzero(ub)
    per_item = np.bincount(item, minlength=k)
    width = int(per_item.max(initial=0))
    first = np.concatenate([[0], np.cumsum(per_item)[:-1]])
    slot = np.arange(item.size) - first[item]
    segment_rows = np.zeros((k, width), dtype=np.intp)
    segment_rows[item, slot] = row + start
    segment_features = np.zeros((k, 2 * k, width), dtype=xb.dtype)
    segment_features[item, :k, slot] = xb[:, row].T
    segment_features[item, k:, slot] = ub[:, row].T
    return _BlockFeatures(pairs, segment_rows, segment_features)


def _apply_pairwise_plan(plan: _PairwisePlan, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairwise covariances and counts (B, k, k) for a batch of row weights (B, n)."""
    tri, nn = _pairwise_triangle(plan, weights)
    b = tri.shape[1]
    k = plan.x0t.shape[0]
    iu, ju = _upper(k)
    cov = np.empty((b, k, k))
    cov[:, iu, ju] = tri.T
    cov[:, ju, iu] = tri.T
    counts = np.empty((b, k, k))
    counts[:, iu, ju] = nn.T
    counts[:, ju, iu] = nn.T
    return cov, counts


def _pairwise_triangle(plan: _PairwisePlan, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Covariances and counts (t, B) of the pairs ``i <= j`` (row-major order).

    ``weights`` is (B, n): one row of row weights per replicate.
    """
    return _triangle_from_sums(*_pairwise_sums(plan, weights))


def _pairwise_sums(
    plan: _PairwisePlan, weights: np.ndarray, picked: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The weighted sums of the plan's features, for weights (B, n).

    Returns ``sums`` (t + k + 1, B) over all rows and ``segments`` (k, 2k, B) over the
    rows missing each item (see :func:`_triangle_from_sums`). The products run in
    ``plan.dtype`` (float32 only when every sum is a whole number below 2**24, hence
    exact) and are accumulated in float64. Both are work arrays of this thread, valid
    until its next call. ``picked`` (B, k, L): the weights of the
    rows missing each item (``segment_rows`` of a plan built in one block), when the
    caller has them already; else they are gathered here.
    """
    assert picked is None or len(plan.blocks) == 1, "picked weights need a one-block plan"
    k = plan.x0t.shape[0]
    b = weights.shape[0]
    # Kept per thread (see scratch): callers use the sums at once and keep only what
    # they compute from them.
    sums = scratch("sums", (k * (k + 1) // 2 + k + 1, b), np.float64)
    segments = scratch("segments", (k, 2 * k, b), np.float64)
    sums[...] = 0.0
    segments[...] = 0.0
    weights = weights.astype(plan.dtype, copy=False)
    for index, (start, stop) in enumerate(plan.blocks):
        if plan.built is not None:
            feats = plan.built[index]
        else:
            feats = _block_features(plan.x0t, plan.missing_t, start, stop)
        sums += np.matmul(
            feats.pairs, weights[:, start:stop].T, out=scratch("pair_sums", sums.shape, plan.dtype)
        )
        if feats.segment_rows.shape[1]:
            block_picked = picked
            if block_picked is None:
                # (B, k, L): the weights of the rows missing each item. mode="clip": the
                # rows are valid, and take buffers ``out`` in mode "raise".
                block_picked = np.take(
                    weights,
                    feats.segment_rows,
                    axis=1,
                    out=scratch("picked", (b, *feats.segment_rows.shape), plan.dtype),
                    mode="clip",
                )
            segments += np.matmul(
                feats.segment_features,
                block_picked.transpose(1, 2, 0),
                out=scratch("segment_sums", segments.shape, plan.dtype),
            )
    return sums, segments


def _triangle_from_sums(sums: np.ndarray, segments: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairwise covariances and counts (t, B) from the sums of :func:`_pairwise_sums`.

    Notes
    -----
    With weights ``w``, data ``x`` zero-filled and ``u`` the missing indicator, the
    sums over all rows ``q_ij = sum w x_i x_j``, ``X_i = sum w x_i`` and
    ``N = sum w``, and over the rows missing item ``j``, ``C_ji = sum w x_i u_j`` and
    ``V_ji = sum w u_i u_j``, give for the rows where both ``i`` and ``j`` are
    answered ``n_ij = N - V_ii - V_jj + V_ij`` and ``s_ij = X_i - C_ji`` (the sum of
    ``x_i``), and ``cov_ij = (q_ij - s_ij s_ji / n_ij) / (n_ij - 1)``.
    """
    k = segments.shape[0]
    shape = (k * (k + 1) // 2, sums.shape[1])
    tri, nn = np.empty(shape), np.empty(shape)
    _triangle_into(sums, segments, tri, nn, np.empty(shape), np.empty(shape))
    return tri, nn


def _triangle_into(
    sums: np.ndarray,
    segments: np.ndarray,
    tri: np.ndarray,
    nn: np.ndarray,
    work: np.ndarray,
    other: np.ndarray,
) -> None:
    """:func:`_triangle_from_sums` written into ``tri`` and ``nn`` (t, B), with two work
    arrays of that shape: no temporary of that size is made."""
    k = segments.shape[0]
    iu, ju = _upper(k)
    t = iu.size
    q, xs, total = sums[:t], sums[t : t + k], sums[t + k]
    # segments[j, i] = C_ji and segments[j, k + i] = V_ji are rows j 2k + i and
    # j 2k + k + i of the flat (2k^2, B) view.
    flat = segments.reshape(2 * k * k, -1)
    lost = flat[np.arange(k) * (2 * k + 1) + k]  # V_ii: the weight of the rows missing i

    def gather(source: np.ndarray, rows: np.ndarray, out: np.ndarray) -> np.ndarray:
        return np.take(source, rows, axis=0, out=out, mode="clip")

    np.subtract(total, gather(lost, iu, work), out=nn)
    nn -= gather(lost, ju, work)
    nn += gather(flat, ju * 2 * k + k + iu, work)
    np.subtract(gather(xs, iu, tri), gather(flat, ju * 2 * k + iu, work), out=tri)  # s_ij
    np.subtract(gather(xs, ju, other), gather(flat, iu * 2 * k + ju, work), out=other)  # s_ji
    with np.errstate(invalid="ignore", divide="ignore"):
        tri *= other
        tri /= nn
        np.subtract(q, tri, out=tri)
        np.subtract(nn, 1.0, out=other)
        tri /= other
    tri[nn < 2] = np.nan


def _alpha_from_sums(sums: np.ndarray, segments: np.ndarray) -> np.ndarray:
    """Alpha of each replicate from the sums of :func:`_pairwise_sums`.

    ``k/(k-1) (1 - trace / total)`` of the covariances of :func:`_triangle_from_sums`,
    formed in this thread's work arrays: a bootstrap forms them for every batch, and
    fresh arrays of that size cost more in page faults than the arithmetic done on them.
    """
    k = segments.shape[0]
    # getattr: a build older than the kernel (an in-place build not redone) lacks it.
    compiled = getattr(native.get(), "alpha_from_sums", None)
    if compiled is not None and k >= 2 and sums.shape[1]:
        # The same formulas pair by pair, in registers (the same alphas to the bit).
        out = np.empty(sums.shape[1])
        compiled(np.ascontiguousarray(sums), np.ascontiguousarray(segments), out)
        return out
    iu, ju = _upper(k)
    tri, nn, work, other = (
        scratch(f"alpha_{i}", (iu.size, sums.shape[1]), np.float64) for i in range(4)
    )
    _triangle_into(sums, segments, tri, nn, work, other)
    # Sums pair after pair, as the compiled kernel adds them (a sum may add in another
    # order, e.g. pairwise for one replicate), without a copy of the off-diagonal rows:
    # the total is twice the sum over all pairs i <= j less the trace.
    trace = np.add.accumulate(tri[iu == ju], axis=0)[-1]
    total = 2.0 * np.add.accumulate(tri, axis=0, out=work)[-1] - trace
    with np.errstate(invalid="ignore", divide="ignore"):
        return k / (k - 1.0) * (1.0 - trace / total)


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
    return pairwise_cov_cor(x)[2]


def pairwise_cov_cor(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`pairwise_cov` (covariances and pair counts) and :func:`pairwise_cor` of
    data with missing values, from one set of matrix products.

    With the notation of :func:`pairwise_cov` and ``q2_ij = sum X0_i**2 M_j``: the
    co-moment ``c_ij = q_ij - s_ij s_ji / n_ij`` gives ``cov_ij = c_ij / (n_ij - 1)``
    and ``r_ij = c_ij / sqrt(v_ij v_ji)`` with ``v_ij = q2_ij - s_ij**2 / n_ij``, the
    sum of squares of item ``i`` about its mean on the pair's rows.
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
        cov = np.where(nn >= 2, cross / (nn - 1.0), np.nan)
    r = np.where(nn >= 2, r, np.nan)
    np.fill_diagonal(r, np.where(np.diag(ss_i) > 0, 1.0, np.nan))
    return cov, nn, r


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
BOOT_CHUNK = 64


def _batch_plan(
    n: int, n_boot: int, rng: np.random.Generator, chunk: int | None
) -> tuple[int, list[Batch]]:
    """Batch size and, per batch of replicates, its generator state, first replicate and size.

    Each batch draws from its own SFC64 generator, so the resamples are fixed by the
    seed whichever thread draws them and in whatever order. The states come from one
    seed sequence whose entropy is drawn from ``rng``: three words per batch, seeded as
    numpy's ``SFC64`` seeds itself (:func:`_sfc64_states`), all at once. (A child seed
    sequence and an ``SFC64`` object per batch cost more than a small bootstrap's
    draws.) SFC64 is among the fastest generators numpy has, and simple enough for the
    compiled kernel to run the same stream.
    """
    if chunk is None:
        chunk = max(1, min(BOOT_CHUNK, 2**18 // max(n, 1)))
    chunk = max(1, min(chunk, n_boot))
    starts = range(0, n_boot, chunk)
    root = np.random.SeedSequence(rng.integers(0, 2**63, size=4, dtype=np.int64).tolist())
    states = _sfc64_states(root.generate_state(3 * len(starts), np.uint64).reshape(-1, 3))
    return chunk, [(states[i], s, min(chunk, n_boot - s)) for i, s in enumerate(starts)]


def _sfc64_states(seeds: np.ndarray) -> np.ndarray:
    """SFC64 states (m, 4) from seeds (m, 3), as ``numpy.random.SFC64`` seeds itself.

    The state is ``(a, b, c, 1)`` from the three words, advanced by 12 draws that are
    discarded; all ``m`` states at once.
    """
    a, b, c = (np.array(seeds[:, j], dtype=np.uint64) for j in range(3))
    w = np.ones_like(a)
    eleven, three, left, right = np.uint64(11), np.uint64(3), np.uint64(24), np.uint64(40)
    with np.errstate(over="ignore"):
        for _ in range(12):
            tmp = a + b + w
            w += np.uint64(1)
            a = b ^ (b >> eleven)
            b = c + (c << three)
            c = ((c << left) | (c >> right)) + tmp
    return np.ascontiguousarray(np.column_stack([a, b, c, w]))


def _row_numbers(raw: np.ndarray, n: int) -> np.ndarray:
    """Row numbers ``floor(r n / 2^64)`` of 64-bit random words ``r`` (n < 2^32), exactly.

    Lemire's multiply-shift without its rejection step: a row's probability differs
    from ``1/n`` by less than ``n / 2^64``. The high half of the 128-bit product is
    assembled from 32-bit halves, as ``_native.c`` does where it has no 128-bit type.
    ``raw`` is overwritten; the result is an int64 array.
    """
    size, half = np.uint64(n), np.uint64(32)
    high = raw >> half
    np.bitwise_and(raw, np.uint64(0xFFFFFFFF), out=raw)
    raw *= size
    raw >>= half
    high *= size
    high += raw
    high >>= half
    return high.view(np.int64)  # below 2^32: the same values


def _draw_counts(
    batches: list[Batch], n: int, out: np.ndarray, gather: np.ndarray | None = None
) -> np.ndarray:
    """Resampling counts of consecutive batches, written into ``out`` (float64 or float32).

    Returns the first ``sum(b)`` rows of ``out``, one per replicate. With ``gather``
    (G,) int64, a row of ``out`` holds ``n + G`` values: the counts, then the counts of
    rows ``gather`` (copied while the replicate's counts are in cache, for products
    that read the counts of chosen rows as a block). Replicate ``r`` of
    a batch takes the ``n`` next 64-bit words of the batch's SFC64 generator, each made
    a row number by :func:`_row_numbers`. The compiled kernel counts them as it draws
    them, in one pass and one call for all the batches; without it, numpy draws a
    batch's ``b n`` words, offsets replicate ``r``'s row numbers by ``r n`` and counts
    them with one ``np.bincount``: the same counts, three passes. (Numbering by
    replicate first keeps each replicate's counting within its own 8n bytes, which
    stay in cache.)
    """
    rows = sum(b for _, _, b in batches)
    compiled = native.get()
    if compiled is not None and (gather is None or _gathers(compiled)):
        # Every batch but the last is full, so batch i starts at row i * chunk.
        states = np.array([state for state, _, _ in batches], dtype=np.uint64)
        if gather is None:
            compiled.bootstrap_counts(states, n, batches[0][2], out[:rows])
        else:
            compiled.bootstrap_counts(states, n, batches[0][2], out[:rows], gather)
        return out[:rows]
    first = 0
    bits = np.random.SFC64()
    for state, _, b in batches:
        bits.state = {"bit_generator": "SFC64", "state": {"state": state}, "has_uint32": 0,
                      "uinteger": 0}  # fmt: skip
        numbers = _row_numbers(bits.random_raw(b * n), n).reshape(b, n)
        numbers += (np.arange(b, dtype=np.int64) * n)[:, None]
        counts = np.bincount(numbers.ravel(), minlength=b * n).reshape(b, n)
        np.copyto(out[first : first + b, :n], counts, casting="unsafe")
        if gather is not None:
            np.copyto(out[first : first + b, n:], counts[:, gather], casting="unsafe")
        first += b
    return out[:rows]


def _gathers(compiled: Any) -> bool:
    """Whether the compiled counts take ``gather`` (an older in-place build does not)."""
    return "gather" in (getattr(compiled.bootstrap_counts, "__doc__", None) or "")


def bootstrap_count_batches(
    n: int, n_boot: int, rng: np.random.Generator, chunk: int | None = None
) -> Iterator[np.ndarray]:
    """Resampling counts (b, n), float64, in batches of replicates (the last may be smaller).

    Default batch: :data:`BOOT_CHUNK` replicates, fewer for very many rows so that
    a batch holds at most 2**18 indices. The same generator and batch size give the
    same resamples as :func:`bootstrap_alphas`; each batch is a new array.
    """
    chunk, batches = _batch_plan(n, n_boot, rng, chunk)
    for batch in batches:
        yield _draw_counts([batch], n, np.empty((batch[2], n)))


#: One batch of bootstrap replicates: its SFC64 state (4 words), first replicate and size.
Batch = tuple[np.ndarray, int, int]


#: Counts drawn per call (replicates x rows) inside a thread's share: a few MB, so that
#: they are still in the cache when the product with the features reads them.
SHARE_COUNTS = 2**18


def _groups_of(share: list[Batch], n: int) -> list[list[Batch]]:
    """A share's batches in consecutive groups of at most :data:`SHARE_COUNTS` counts."""
    per = max(1, SHARE_COUNTS // max(n * share[0][2], 1))
    return [share[i : i + per] for i in range(0, len(share), per)]


def _boot_threads(n_batches: int) -> int:
    """Threads for the batches: one for small bootstraps, else up to the cores (max 8)."""
    return max(1, min(usable_cpus(), 8, n_batches // 4))


#: Shares per thread in :func:`run_in_shares`: threads take the next share when they
#: finish one, so a thread the system holds up for a while does not hold up the result.
SHARES_PER_THREAD = 4


def run_in_shares(run: Callable[[list[Batch]], None], batches: list[Batch]) -> None:
    """Run ``run`` over contiguous shares of the batches in parallel threads.

    Drawing, counting and the products release the GIL; each batch has its own
    generator and its own slice of the output, so the result does not depend on the
    threads. Shares are handed out as threads come free (a few per thread): with one
    share per thread, the whole call waited for the slowest, and on a shared machine
    one thread was often set back by a few milliseconds. One BLAS thread per worker: a
    threaded BLAS inside each worker would put more threads than cores on the small
    products and slow them down.
    """
    threads = _boot_threads(len(batches))
    if threads == 1:
        run(batches)
        return
    per = max(1, -(-len(batches) // (threads * SHARES_PER_THREAD)))
    shares = [batches[i : i + per] for i in range(0, len(batches), per)]
    taken = itertools.count()  # next() of a count is atomic under the GIL

    def work() -> None:
        for index in iter(lambda: next(taken), None):
            if index >= len(shares):
                return
            run(shares[index])

    with single_blas_thread():
        # The other threads start first; then this thread takes shares too.
        pending = [_share_pool().submit(work) for _ in range(threads - 1)]
        work()
        for future in pending:
            future.result()


_pool: tuple[int, ThreadPoolExecutor] | None = None
_pool_lock = threading.Lock()


def _share_pool() -> ThreadPoolExecutor:
    """The worker threads of :func:`run_in_shares`, started once per process.

    Starting and joining threads at every call cost more than a small bootstrap's
    work on a busy machine. The pool's tasks never submit to it, so callers in several
    threads at once only queue. A process forked after the pool started gets a new
    one (threads do not survive a fork).
    """
    global _pool
    with _pool_lock:
        if _pool is None or _pool[0] != os.getpid():
            workers = max(1, min(usable_cpus(), 8) - 1)
            _pool = (os.getpid(), ThreadPoolExecutor(workers, thread_name_prefix="peoscales"))
        return _pool[1]


def bootstrap_alphas(x: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Alpha of ``n_boot`` bootstrap resamples of the rows of ``x``.

    The per-row features are built once; each batch of replicates is then one
    matrix product of its resampling counts with them. Small batches keep the
    counts in the CPU cache between drawing and the product, and keep every
    temporary array small enough to be reused by the memory allocator: a fresh
    page costs more than the arithmetic done on it.
    """
    n, k = x.shape
    out = np.empty(n_boot)
    chunk, batches = _batch_plan(n, n_boot, rng, None)
    gather: np.ndarray | None = None
    if np.isnan(x).any():
        mask = ~np.isnan(x)
        x0, dtype = _weighted_inputs(x, mask, float(n))
        plan = _pairwise_plan(x0, mask, dtype)
        if plan.built is not None and plan.built[0].segment_rows.size:
            # The counts of the rows missing each item are copied next to the counts as
            # they are drawn, so the products read them as a block (no gather per batch).
            gather = plan.built[0].segment_rows.ravel().astype(np.int64)

        def alphas(counts: np.ndarray) -> np.ndarray:
            if gather is None:
                return _alpha_from_sums(*_pairwise_sums(plan, counts))
            picked = counts[:, n:].reshape(counts.shape[0], k, -1)
            return _alpha_from_sums(*_pairwise_sums(plan, counts[:, :n], picked))

    else:
        feats, dtype = _total_features(x, float(n))

        def alphas(counts: np.ndarray) -> np.ndarray:
            return _alpha_from_total_sums(feats @ counts.T, k)

    def run(share: list[Batch]) -> None:
        # Per-thread buffers, reused group after group (no page faults of new arrays).
        groups = _groups_of(share, n)
        width = n if gather is None else n + gather.size
        buffer = scratch("counts", (chunk * len(groups[0]), width), dtype)
        for group in groups:
            counts = _draw_counts(group, n, buffer, gather)
            start = group[0][1]
            out[start : start + counts.shape[0]] = alphas(counts)

    run_in_shares(run, batches)
    return out


def _total_features(x: np.ndarray, total_weight: float) -> tuple[np.ndarray, type[np.floating]]:
    """``[x, sum_i x_i^2, T, T^2, 1]`` of complete data, one row per feature (k + 4, n).

    ``T`` is the row total.
    """
    total = x.sum(axis=1)
    whole = bool(np.all(x == np.round(x)))
    dtype: type[np.floating] = np.float64
    if whole and float(np.max(total * total, initial=0.0)) * total_weight < 2**24:
        # Whole-number sums below 2**24: exact in float32 (see _weighted_inputs).
        dtype = np.float32
    else:
        x = x - x.mean(axis=0)
        total = x.sum(axis=1)
    feats = np.empty((x.shape[1] + 4, x.shape[0]), dtype=dtype)
    feats[:-4] = x.T
    feats[-4] = np.einsum("ij,ij->i", x, x)
    feats[-3] = total
    feats[-2] = total * total
    feats[-1] = 1.0
    return feats, dtype


def _alpha_from_total_sums(sums: np.ndarray, k: int) -> np.ndarray:
    """Alpha from weighted sums of :func:`_total_features` (one column per replicate).

    ``sum_i var(x_i) = (sum w sum_i x_i^2 - sum_i (sum w x_i)^2 / N) / (N - 1)``, so the
    item variances need only their sum of squares in total, not one per item.
    """
    sums = sums.astype(np.float64)
    n = sums[-1]
    with np.errstate(invalid="ignore", divide="ignore"):
        item_var = (sums[k] - np.einsum("ij,ij->j", sums[:k], sums[:k]) / n) / (n - 1.0)
        total_var = (sums[-2] - sums[-3] ** 2 / n) / (n - 1.0)
        return k / (k - 1.0) * (1.0 - item_var / total_var)


def bootstrap_alpha(x: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Alpha of every replicate of one batch of resampling counts (B, n).

    With missing answers: from batched pairwise covariance matrices. Without: alpha
    needs only the item variances and the variance of the total,
    ``k/(k-1) (1 - sum_i var(x_i) / var(sum_i x_i))``, so each replicate takes one
    weighted sum of ``[x, sum x^2, T, T^2, 1]`` per row (k + 4 numbers instead of the
    k(k+1)/2 cross-products).
    """
    if np.isnan(x).any():
        cov, _ = pairwise_cov(x, counts)
        return alpha_from_cov(cov)
    feats, dtype = _total_features(x, float(counts.sum(axis=1).max(initial=0.0)))
    return _alpha_from_total_sums(feats @ counts.astype(dtype, copy=False).T, x.shape[1])


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
    from scipy import optimize

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
