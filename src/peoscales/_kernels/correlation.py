"""Correlation kernels: pairwise Pearson from matrix products, pairwise Spearman, tests.

Pearson with pairwise deletion
------------------------------
Let ``X0`` be the data centred by its column means with missing values set to 0 and
``M`` the answered mask as floats. For every pair of columns ``(i, j)`` the sums over
the rows where *both* are answered come from four matrix products::

    N = M'M          N[i, j]  rows answered in both
    S = X0'M         S[i, j]  sum of x_i over those rows
    Q = (X0**2)'M    Q[i, j]  sum of x_i**2 over those rows
    C = X0'X0        C[i, j]  sum of x_i x_j over those rows

so ``cov_ij = C - S * S' / N`` and ``var_i|j = Q - S**2 / N`` (and ``var_j|i`` its
transpose), and ``r = cov / sqrt(var_i|j var_j|i)`` for all pairs at once. Centring by
the column means first keeps the subtraction well conditioned when the data carry a
large offset (a 1e6 + x column loses no digits). The products are accumulated over
fixed-size blocks of rows, so the temporaries stay a few megabytes whatever the number
of respondents.

Answer codes are whole numbers. Centred on whole numbers, every product and every
partial sum above is then a whole number, and below ``2**24`` single precision adds
them exactly. Such blocks (every answered value whole and within ``sqrt(2**24 / rows)``
of its column's shift) take float32 products: ``[M, X0]'[M, X0]`` (N, S and C) and
``(X0**2)'M`` (Q), whose float64 totals are the exact sums, at about three times the
speed of the float64 products (half the bytes, and one pass writes all operands).
Other blocks take float64, so a column's kind of data never changes its results by
more than rounding.

Spearman with pairwise deletion
-------------------------------
R (``cor(method = "spearman", use = "pairwise.complete.obs")``) ranks each pair anew
on the rows where both are answered. The rank of ``x_i`` among the rows where ``x_j`` is
also answered is a running count in the sort order of ``x_i``: with ``g`` the mask of
``x_j`` in that order and ``c = cumsum(g)``, a row in the tie group ``[s, e)`` gets
``c[s] + (c[e] - c[s] + 1) / 2``. Each column is sorted once; then for each column
``i`` the ranks of ``x_i`` under every partner's mask and the ranks of every partner
under ``x_i``'s mask are one cumulative sum each over an ``n x (p - i - 1)`` block, and
the Pearson correlations of those rank columns are column sums. The loop runs over
columns (``p`` steps), each vectorised over all partners, for ``O(n p**2)`` work in
total; ranking pair by pair as R does costs ``O(n log n)`` per pair.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Literal, NamedTuple

import numpy as np
from scipy import special, stats

from peoscales._kernels import native
from peoscales._kernels._blas import single_blas_thread
from peoscales._kernels._threads import usable_cpus

#: Elements per block of rows (2 MiB of float64): blocks that stay in cache made the
#: products about 15% faster than 16 MiB blocks on 100,000 x 100.
BLOCK_ELEMENTS = 1 << 18

#: A pair whose variance is below this share of its sum of squares about the column
#: mean is treated as constant: its correlation is undefined (NaN).
CONSTANT_TOLERANCE = 1e-12


def _block_rows(n_cols: int) -> int:
    return max(256, BLOCK_ELEMENTS // max(n_cols, 1))


def column_moments(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Count, mean and sample variance (ddof 1) of each column over its answered rows.

    Two passes over blocks of rows (mean, then squared deviations), so no copy of the
    whole array is made. Columns with no answers get NaN mean; fewer than two, NaN
    variance.
    """
    n_rows, p = x.shape
    step = _block_rows(p)
    counts = np.zeros(p)
    sums = np.zeros(p)
    for start in range(0, n_rows, step):
        block = x[start : start + step]
        answered = ~np.isnan(block)
        counts += answered.sum(axis=0)
        sums += np.where(answered, block, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts
    shift = np.where(counts > 0, means, 0.0)
    squares = np.zeros(p)
    deviations = np.zeros(p)
    for start in range(0, n_rows, step):
        block = x[start : start + step] - shift
        answered = ~np.isnan(block)
        centred = np.where(answered, block, 0.0)
        deviations += centred.sum(axis=0)
        squares += (centred * centred).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        variances = (squares - deviations**2 / counts) / (counts - 1)
    variances = np.where(counts > 1, np.maximum(variances, 0.0), np.nan)
    return counts, means, variances


def _shift(x: np.ndarray, rows: int) -> np.ndarray:
    """A value near each column's mean: the mean of its first ``rows`` answered values.

    Any value inside the column's range keeps the centred products well conditioned; the
    first block of rows gives one without an extra pass over the data.
    """
    head = x[:rows]
    answered = ~np.isnan(head)
    counts = answered.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        shift = np.where(answered, head, 0.0).sum(axis=0) / counts
    late = np.flatnonzero(counts == 0)
    for j in late:  # columns with no answer in the first block (rare): first answer
        found = np.flatnonzero(~np.isnan(x[:, j]))
        shift[j] = x[found[0], j] if found.size else 0.0
    # Whole numbers (answer codes) get a whole shift, inside their range all the same:
    # their centred products are then exact in float32 (see the module notes).
    if np.all(answered <= (head == np.rint(head))):
        shift = np.rint(shift)
    return shift


class PairwisePearson(NamedTuple):
    """What :func:`pairwise_pearson` returns."""

    #: (p, p) correlations; NaN where a pair has fewer than two rows or a column without
    #: variance on the shared rows. The diagonal is 1 for columns with variance.
    r: np.ndarray
    #: (p, p) rows answered in both columns (diagonal: rows answered in the column).
    n: np.ndarray
    #: (p, p) bool, pairs with two or more rows in which a column is constant.
    constant: np.ndarray
    #: (p,) mean and sample variance (n - 1) of each column over its answered rows.
    means: np.ndarray
    variances: np.ndarray
    #: Rows with fewer than two answered columns (they enter no pair).
    unpaired_rows: int


def _pearson_result(
    r: np.ndarray,
    count: np.ndarray,
    constant: np.ndarray,
    means: np.ndarray,
    variances: np.ndarray,
    unpaired_rows: int,
) -> PairwisePearson:
    """Clip r, blank pairs that are constant or have fewer than two rows, set the diagonal."""
    r = np.clip(r, -1.0, 1.0)
    undefined = constant | (count < 2)
    r[undefined] = np.nan
    diagonal = np.diag_indices(r.shape[0])
    r[diagonal] = np.where(undefined[diagonal], np.nan, 1.0)
    return PairwisePearson(
        r=r,
        n=count,
        constant=constant & (count >= 2),
        means=means,
        variances=variances,
        unpaired_rows=unpaired_rows,
    )


def _pearson_sums(
    x: np.ndarray, shift: np.ndarray, step: int, first: int, stop: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Pair counts, sums, sums of squares and cross-products over rows ``first:stop``.

    See the module notes: ``N = M'M``, ``S = X0'M``, ``Q = (X0**2)'M``, ``C = X0'X0``
    with ``X0`` centred on ``shift`` and zero where missing; also the number of rows
    with fewer than two answers.
    """
    p = x.shape[1]
    count = np.zeros((p, p))
    sums = np.zeros((p, p))
    squares = np.zeros((p, p))
    cross = np.zeros((p, p))
    unpaired = 0
    rows = max(min(step, stop - first), 0)
    exact = _Float32Operands(x, shift, rows) if np.array_equal(shift, np.rint(shift)) else None
    ones = np.ones(p, dtype=np.float32)
    if exact is not None:
        for start in range(first, stop, step):
            k = min(step, stop - start)
            if not exact.fill(start, start + k):
                break  # this block and the rest in float64, below
            operands = exact.operands[:k]
            mask, paired = operands[:, :p], operands[:, : 2 * p]
            gram = paired.T @ paired  # one symmetric product: N, S' and S, C
            count += gram[:p, :p]
            sums += gram[p:, :p]
            cross += gram[p:, p:]
            squares += operands[:, 2 * p :].T @ mask
            unpaired += int(np.count_nonzero(mask @ ones < 2))
            first = start + k
    if first >= stop:
        return count, sums, squares, cross, unpaired
    # Buffers reused by every block: no allocation (and page faults) inside the loop,
    # laid out like the input so that filling them is a straight copy (a DataFrame's
    # values are column-major).
    order: Literal["C", "F"] = "F" if x.flags.f_contiguous and not x.flags.c_contiguous else "C"
    rows = max(min(step, stop - first), 0)
    both = np.empty((rows, 2 * p), order=order)
    centred_buf = both[:, :p]
    negative_buf = np.empty((rows, p), order=order)
    missing_buf = np.empty((rows, p), dtype=bool, order=order)
    mask32_buf = np.empty((rows, p), dtype=np.float32, order=order)
    mask64_buf = np.empty((rows, p), order=order)
    # Infinite values give NaN quietly here; the public layer reports them.
    with np.errstate(invalid="ignore", over="ignore"):
        for start in range(first, stop, step):
            block = x[start : min(start + step, stop)]
            k = block.shape[0]
            centred, negative = centred_buf[:k], negative_buf[:k]
            missing, mask32, mask64 = missing_buf[:k], mask32_buf[:k], mask64_buf[:k]
            np.subtract(block, shift, out=centred)
            np.isnan(centred, out=missing)
            np.logical_not(missing, out=mask32, casting="unsafe")
            mask64[...] = mask32
            # NaN to 0 without a masked copy (three times slower): fmin and fmax ignore
            # NaN, and min(x, 0) + max(x, 0) is x exactly.
            np.fmin(centred, 0.0, out=negative)
            np.fmax(centred, 0.0, out=centred)
            centred += negative
            answers = mask32 @ ones  # answered columns per row
            unpaired += int(np.count_nonzero(answers < 2))
            # Counts are small integers: exact in float32 (a block has far fewer than 2**24
            # rows), at half the cost of the float64 product.
            count += mask32.T @ mask32
            cross += centred.T @ centred
            np.multiply(centred, centred, out=both[:k, p:])
            # Sums and sums of squares over each pair's rows in one product.
            paired = both[:k].T @ mask64
            sums += paired[:p]
            squares += paired[p:]
    return count, sums, squares, cross, unpaired


#: Single precision adds whole numbers exactly up to this magnitude.
FLOAT32_EXACT = 2.0**24


class _Float32Operands:
    """The float32 operands ``[M, X0, X0**2]`` of blocks of ``x``'s rows, when exact.

    ``operands`` is a column-major ``(rows, 3 p)`` work array; :meth:`fill` writes a
    block's operands into its first rows and says whether the block qualifies: every
    answered value a whole number within ``limit`` of its column's (whole) shift, so
    that no partial sum of a block's products exceeds ``rows * limit**2 <= 2**24``.
    The compiled ``pearson_block`` does it in one pass over columns it can read in
    place; otherwise numpy, with the same (exact) results.
    """

    def __init__(self, x: np.ndarray, shift: np.ndarray, rows: int) -> None:
        p = x.shape[1]
        self.x, self.shift = x, np.ascontiguousarray(shift, dtype=np.float64)
        self.rows = max(rows, 1)
        self.limit = float(np.floor(np.sqrt(FLOAT32_EXACT / self.rows)))
        self._buffer = np.empty((3 * p, self.rows), dtype=np.float32)
        #: (rows, 3 p) column-major: mask, centred values, squares.
        self.operands = self._buffer.T
        # getattr: a build older than the kernel (an in-place build not redone) lacks it.
        compiled = getattr(native.get(), "pearson_block", None)
        in_place = x.dtype in (np.float32, np.float64) and x.flags.f_contiguous
        self._compiled = compiled if in_place else None
        self._columns = [x[:, j] for j in range(p)] if self._compiled is not None else None

    def fill(self, start: int, stop: int) -> bool:
        if self._compiled is not None:
            return bool(
                self._compiled(
                    self._columns,
                    self.shift,
                    self.limit,
                    start,
                    stop,
                    self._buffer.reshape(-1),
                    self.rows,
                )
            )
        block = self.x[start:stop]
        p = block.shape[1]
        with np.errstate(invalid="ignore"):
            answered = ~np.isnan(block)
            values = np.where(answered, block, 0.0)
            centred = np.where(answered, values - self.shift, 0.0)
            if not (np.all(values == np.rint(values)) and np.all(np.abs(centred) <= self.limit)):
                return False
        k = stop - start
        self.operands[:k, :p] = answered
        self.operands[:k, p : 2 * p] = centred
        self.operands[:k, 2 * p :] = centred * centred
        return True


def pairwise_pearson(x: np.ndarray) -> PairwisePearson:
    """Pearson r and n of every pair of columns under pairwise deletion.

    Parameters
    ----------
    x : (n, p) float64
        Data, NaN for missing. Not modified.

    Returns
    -------
    PairwisePearson
        r, n, constant pairs, column means and variances, rows in no pair.
    """
    n_rows, p = x.shape
    step = min(_block_rows(p), max(n_rows, 1))
    with np.errstate(invalid="ignore"):
        shift = _shift(x, step)
    # Two shares of whole blocks of rows, summed in parallel threads (each with a
    # one-thread BLAS) and then added in a fixed order: the result does not depend on
    # the number of cores. The element-wise work on each block (centring, masks) is
    # a third of the time and runs in parallel too, which a threaded BLAS alone would
    # not give.
    n_blocks = -(-n_rows // step)
    middle = -(-n_blocks // 2) * step  # rows in the first half of the blocks
    if middle >= n_rows:
        count, sums, squares, cross, unpaired = _pearson_sums(x, shift, step, 0, n_rows)
    else:
        if usable_cpus() == 1:
            second = _pearson_sums(x, shift, step, middle, n_rows)
            first = _pearson_sums(x, shift, step, 0, middle)
        else:
            with single_blas_thread(), ThreadPoolExecutor(max_workers=1) as pool:
                pending = pool.submit(_pearson_sums, x, shift, step, middle, n_rows)
                first = _pearson_sums(x, shift, step, 0, middle)
                second = pending.result()
        count, sums, squares, cross = (
            first[0] + second[0],
            first[1] + second[1],
            first[2] + second[2],
            first[3] + second[3],
        )
        unpaired = first[4] + second[4]
    with np.errstate(invalid="ignore", divide="ignore"):
        var_ij = squares - sums * sums / count
        cov = cross - sums * sums.T / count
        var_ji = var_ij.T
        constant = (var_ij <= CONSTANT_TOLERANCE * squares) | (
            var_ji <= CONSTANT_TOLERANCE * squares.T
        )
        # Two roots rather than the root of a product: the product of two variances
        # overflows for values beyond 1e77, each variance alone only beyond 1e154.
        r = cov / (np.sqrt(var_ij) * np.sqrt(var_ji))
        n_col = np.diag(count).copy()
        means = shift + np.diag(sums) / n_col
        variances = np.where(n_col > 1, np.maximum(np.diag(var_ij), 0.0) / (n_col - 1), np.nan)
    _recompute_near_constant(x, r, constant, count)
    return _pearson_result(r, count, constant, means, variances, unpaired)


def _recompute_near_constant(
    x: np.ndarray, r: np.ndarray, constant: np.ndarray, count: np.ndarray
) -> None:
    """Decide the pairs the sums flagged as constant from their own rows (in place).

    The one-pass sums cannot tell a pair whose values barely vary on its shared rows
    (e.g. 0, 0 and 1e-6, where the column holds 2 elsewhere) from a constant one: the
    variance is lost in rounding. Such a pair is recomputed from its rows, centred on
    their own means, as R's ``cor(use = "pairwise")`` does; only where the values on
    its rows are all equal is it constant. Columns constant over all their rows make every pair of theirs
    constant, so they are not recomputed: what remains is, in practice, none or a
    handful of pairs, hence the loop over them.
    """
    flagged = np.triu(constant & (count >= 2), k=1)
    if not flagged.any():
        return
    columns = np.unique(np.nonzero(flagged))
    with np.errstate(invalid="ignore"):
        spread = np.fmax.reduce(x[:, columns], axis=0) > np.fmin.reduce(x[:, columns], axis=0)
    varies = np.zeros(x.shape[1], dtype=bool)
    varies[columns] = spread
    for i, j in zip(*np.nonzero(flagged & varies[:, None] & varies[None, :])):
        both = ~np.isnan(x[:, i]) & ~np.isnan(x[:, j])
        a, b = x[both, i], x[both, j]
        if np.ptp(a) == 0 or np.ptp(b) == 0:
            continue  # constant on these rows (their mean can miss the value by an ulp)
        a = a - a.mean()
        b = b - b.mean()
        aa, bb = float(a @ a), float(b @ b)
        if aa > 0 and bb > 0:
            r[i, j] = r[j, i] = float(a @ b) / (np.sqrt(aa) * np.sqrt(bb))
            constant[i, j] = constant[j, i] = False


def rank_columns(x: np.ndarray) -> np.ndarray:
    """Average ranks of each column, NaN kept in place (R's ``rank``, ties averaged)."""
    ranks: np.ndarray = stats.rankdata(x, axis=0, nan_policy="omit")
    return ranks.astype(np.float64)


def _tie_bounds(sorted_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and (exclusive) end position of each sorted row's tie group, per column."""
    n_rows = sorted_values.shape[0]
    positions = np.arange(n_rows)[:, None]
    new = np.ones(sorted_values.shape, dtype=bool)
    # NaN != NaN, so every missing value is a group of its own (they are masked later).
    new[1:] = sorted_values[1:] != sorted_values[:-1]
    start = np.maximum.accumulate(np.where(new, positions, 0), axis=0)
    last = np.ones(sorted_values.shape, dtype=bool)
    last[:-1] = new[1:]
    end = np.minimum.accumulate(np.where(last, positions, n_rows)[::-1], axis=0)[::-1] + 1
    index_type = np.int32 if n_rows < np.iinfo(np.int32).max else np.int64
    return start.astype(index_type), end.astype(index_type)


def _masked_ranks(mask_sorted: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Average ranks among the rows of ``mask_sorted``, in sort order (see module notes)."""
    counts = np.zeros((mask_sorted.shape[0] + 1, mask_sorted.shape[1]), dtype=np.int64)
    np.cumsum(mask_sorted, axis=0, out=counts[1:])
    if start.ndim == 1:
        below = counts[start]
        upto = counts[end]
    else:
        below = np.take_along_axis(counts, start, axis=0)
        upto = np.take_along_axis(counts, end, axis=0)
    return below + (upto - below + 1) / 2.0


def _masked_pearson(a: np.ndarray, b: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Column-wise Pearson r of ``a`` and ``b`` over the rows where ``mask`` is true."""
    n = mask.sum(axis=0)
    a = np.where(mask, a, 0.0)
    b = np.where(mask, b, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        a = np.where(mask, a - a.sum(axis=0) / n, 0.0)
        b = np.where(mask, b - b.sum(axis=0) / n, 0.0)
        saa = np.einsum("ij,ij->j", a, a)
        sbb = np.einsum("ij,ij->j", b, b)
        r = np.einsum("ij,ij->j", a, b) / (np.sqrt(saa) * np.sqrt(sbb))
    r[(saa <= 0) | (sbb <= 0) | (n < 2)] = np.nan
    return np.clip(r, -1.0, 1.0)


def pairwise_spearman(x: np.ndarray) -> np.ndarray:
    """Spearman rho of every pair, each pair re-ranked on its shared rows (as R).

    Parameters
    ----------
    x : (n, p) float64
        Data, NaN for missing.

    Returns
    -------
    (p, p) float64
        Correlations; NaN where undefined (fewer than two shared rows, or ties only).
    """
    n_rows, p = x.shape
    answered = ~np.isnan(x)
    order = np.argsort(x, axis=0, kind="stable")  # NaN sort last
    sorted_values = np.take_along_axis(x, order, axis=0)
    start, end = _tie_bounds(sorted_values)
    r = np.full((p, p), np.nan)
    for i in range(p - 1):
        partners = slice(i + 1, p)
        q = p - i - 1
        both = answered[:, partners] & answered[:, [i]]
        # Ranks of x_i among the rows each partner also answered (sort order of x_i).
        own_sorted = _masked_ranks(answered[order[:, i], partners], start[:, i], end[:, i])
        own = np.empty((n_rows, q))
        own[order[:, i]] = own_sorted
        # Ranks of every partner among the rows x_i answered (each partner's sort order).
        mask_sorted = answered[order[:, partners], i]
        other_sorted = _masked_ranks(mask_sorted, start[:, partners], end[:, partners])
        other = np.empty((n_rows, q))
        np.put_along_axis(other, order[:, partners], other_sorted, axis=0)
        r[i, partners] = _masked_pearson(own, other, both)
    upper = np.triu_indices(p, 1)
    r.T[upper] = r[upper]
    variable = np.array([np.unique(x[answered[:, j], j]).size > 1 for j in range(p)], dtype=bool)
    r[np.diag_indices(p)] = np.where(variable, 1.0, np.nan)
    return r


def correlation_tests(
    r: np.ndarray, n: np.ndarray, level: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two-sided p-values (t with n - 2 df) and Fisher-z confidence limits.

    ``t = r sqrt((n - 2) / (1 - r**2))``; ``p = 2 P(T > |t|)``. The interval is
    ``tanh(atanh(r) -/+ z_{1 - a/2} / sqrt(n - 3))``. p is NaN for n < 3, the interval
    for n < 4 (no standard error). Everything is elementwise.
    """
    r = np.asarray(r, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    df = n - 2
    with np.errstate(invalid="ignore", divide="ignore"):
        t = r * np.sqrt(df / ((1 - r) * (1 + r)))
        p = 2 * special.stdtr(np.where(df > 0, df, np.nan), -np.abs(t))
        z = np.arctanh(r)
        half = special.ndtri(0.5 + level / 2) / np.sqrt(n - 3)
        low = np.tanh(z - half)
        high = np.tanh(z + half)
    p = np.where((df > 0) & ~np.isnan(r), np.minimum(p, 1.0), np.nan)
    no_se = (n < 4) | np.isnan(r)
    low[no_se] = np.nan
    high[no_se] = np.nan
    return p, low, high


class PearsonMoments(NamedTuple):
    """Pairwise-deletion moments of a chunk of rows; chunks combine exactly.

    Entry ``(i, j)`` describes ``x_i`` over the rows where both ``x_i`` and ``x_j`` are
    answered (so the transposes describe ``x_j`` over the same rows). Made by
    :func:`pearson_moments`, combined by :func:`merge_pearson_moments`, finished by
    :func:`pearson_from_moments`.
    """

    #: (p, p) rows answered in both columns.
    n: np.ndarray
    #: (p,) a value near each column's mean (0 for a column without answers).
    shift: np.ndarray
    #: (p, p) mean of x_i over the pair's rows, minus ``shift[i]`` (0 where n is 0).
    #: Kept apart from the shift so that differences of means lose no digits when the
    #: data carry a large offset.
    offset: np.ndarray
    #: (p, p) sum of squared deviations of x_i from its mean over the pair's rows.
    m2: np.ndarray
    #: (p, p) sum of (x_i - mean_i) (x_j - mean_j) over the pair's rows.
    comoment: np.ndarray
    #: (p, p) bounds of x_i over the pair's rows, combined by min and max: its smallest
    #: and largest value there where the chunk's sums left a doubt that it varies, else
    #: ``-inf`` and ``inf``; ``inf`` and ``-inf`` where n is 0. So the pair is constant
    #: on its rows exactly when ``low == high`` for one of its columns.
    low: np.ndarray
    high: np.ndarray
    #: Rows with fewer than two answered columns (they enter no pair).
    unpaired_rows: int


def pearson_moments(x: np.ndarray) -> PearsonMoments:
    """Moments of one chunk of rows for pairwise Pearson correlations.

    The products of :func:`pairwise_pearson` over blocks of rows (the same routine),
    centred by a shift near each column's mean, turned into moments about each pair's own means so
    that chunks with different shifts combine exactly.

    Parameters
    ----------
    x : (n, p) float64 or float32
        Data, NaN for missing. Not modified; read block by block (whole numbers as
        exact float32 operands, other float32 values widened).
    """
    n_rows, p = x.shape
    step = min(_block_rows(p), max(n_rows, 1))
    with np.errstate(invalid="ignore"):
        shift = _shift(x, step).astype(np.float64) if n_rows else np.zeros(p)
    # No BLAS limit here: chunks run in a scheduler's worker threads, and a thread count
    # set and restored from worker threads did not reliably come back for the process
    # (OpenBLAS). The caller limits BLAS around the whole computation instead.
    count, sums, squares, cross, unpaired = _pearson_sums(x, shift, step, 0, n_rows)
    with np.errstate(invalid="ignore", divide="ignore"):
        offset = np.where(count > 0, sums / count, 0.0)
        # As in pairwise_pearson; sums * sums.T / count keeps the co-moment symmetric.
        m2 = np.where(count > 0, squares - sums * sums / count, 0.0)
        comoment = np.where(count > 0, cross - sums * sums.T / count, 0.0)
    offset, m2, comoment, low, high = _settle_near_constant(
        x, step, count, shift, offset, m2, comoment, squares
    )
    return PearsonMoments(count, shift, offset, m2, comoment, low, high, unpaired)


def _settle_near_constant(
    x: np.ndarray,
    step: int,
    count: np.ndarray,
    shift: np.ndarray,
    offset: np.ndarray,
    m2: np.ndarray,
    comoment: np.ndarray,
    squares: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Bounds of each column on each pair's rows, exact wherever the sums leave a doubt.

    The one-pass sums cannot tell a pair constant on its rows from one that barely
    varies there (see :func:`_recompute_near_constant`), and merged chunks cannot read
    their rows again, so each chunk records, per pair and column, bounds of the column's
    values on the pair's rows that merge exactly (by min and max) and are its smallest
    and largest value wherever the sums flag the column as (nearly) constant there.
    Moments the sums cannot resolve are set exactly (arrays changed in place).

    Cost: the smallest and largest value of every column on every pair's rows would take
    ``p`` masked passes over the chunk (over ten times the moments' time for 262,144 rows
    by 20 columns with missing values), and even the bounds of each column one pass
    (about a tenth of the moments' time). Neither is needed where the sums show a spread:
    rounding leaves a constant column a variance of at most about ``3 n eps`` of its sum
    of squares about the shift on a pair's ``n`` rows, so above
    ``CONSTANT_TOLERANCE + 8 n eps`` of it the column varies there, and the bounds
    ``-inf`` and ``inf`` say so. Only what the sums flag is read, in three steps that
    each touch fewer cases:

    1. a column flagged on its own rows (nearly constant in the chunk): its smallest and
       largest value; if they are equal, all its pairs are exact (no spread, no
       co-moment);
    2. a column flagged on a pair's rows that varies in the chunk (in practice none, or
       a few, such as a filter question on the rows of its follow-up items): its
       bounds on the pair's rows (:func:`_pair_bounds`); if they are equal, that pair is
       exact as in 1;
    3. a pair with a column flagged but not constant on its rows (values that barely
       vary, e.g. 0, 0 and 1e-6 in a column that holds 2 elsewhere): its moments about
       its own means, as in-memory correlations recompute it (:func:`_exact_pairs`).
    """
    answered = count > 0
    eps = np.finfo(np.float64).eps
    with np.errstate(invalid="ignore"):
        flagged = answered & ~(m2 > (CONSTANT_TOLERANCE + 8 * eps * count) * squares)
    low = np.where(answered, -np.inf, np.inf)
    high = -low

    def settle(i: np.ndarray, j: np.ndarray, value: np.ndarray) -> None:
        """Column i takes ``value`` on every row of pair (i, j): no spread, exactly."""
        low[i, j] = high[i, j] = value
        m2[i, j] = 0.0
        comoment[i, j] = comoment[j, i] = 0.0
        offset[i, j] = value - shift[i]

    # 1. Columns flagged on their own rows.
    varies = np.ones(x.shape[1], dtype=bool)
    (suspect,) = np.nonzero(np.diag(flagged))
    if suspect.size:
        values = x[:, suspect]
        low_col = np.fmin.reduce(values, axis=0, initial=np.inf).astype(np.float64)
        high_col = np.fmax.reduce(values, axis=0, initial=-np.inf).astype(np.float64)
        low[suspect, suspect], high[suspect, suspect] = low_col, high_col
        varies[suspect] = low_col < high_col
        i, j = np.nonzero(answered & ~varies[:, None])
        settle(i, j, low[i, i])
    # 2. Columns flagged on a pair's rows that vary in the chunk.
    doubt = flagged & varies[:, None]
    np.fill_diagonal(doubt, False)
    i, j = np.nonzero(doubt)
    if i.size:
        side_low, side_high = _pair_bounds(x, i, j, step)
        low[i, j], high[i, j] = side_low, side_high
        still = side_low == side_high
        settle(i[still], j[still], side_low[still])
        # 3. Pairs with a column flagged on their rows that is not constant there.
        recompute = np.zeros_like(doubt)
        recompute[i[~still], j[~still]] = True
        i, j = np.nonzero(np.triu(recompute | recompute.T))
        if i.size:
            exact = _exact_pairs(x, shift, offset, i, j, step)
            offset[i, j], offset[j, i] = exact.offsets
            m2[i, j], m2[j, i] = exact.m2
            comoment[i, j] = comoment[j, i] = exact.comoment
    return offset, m2, comoment, low, high


def _gathered(
    x: np.ndarray, i: np.ndarray, j: np.ndarray, step: int
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Blocks of rows of the columns of pairs ``(i[k], j[k])``, laid out pair by row.

    Yields ``(a, b, both)``: the values of column ``i[k]`` and ``j[k]`` in row ``k``
    (float64) and where both are answered. Each column is copied once per block.
    """
    k = i.size
    used, where = np.unique(np.concatenate([i, j]), return_inverse=True)
    at_a, at_b = where[:k], where[k:]
    rows = max(1, min(step, BLOCK_ELEMENTS // max(k, used.size)))
    for start in range(0, x.shape[0], rows):
        values = np.ascontiguousarray(x[start : start + rows, used].T, dtype=np.float64)
        answered = ~np.isnan(values)
        yield values[at_a], values[at_b], answered[at_a] & answered[at_b]


def _pair_bounds(
    x: np.ndarray, i: np.ndarray, j: np.ndarray, step: int
) -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest value of column ``i[k]`` on the rows where ``j[k]`` is answered too."""
    low = np.full(i.size, np.inf)
    high = np.full(i.size, -np.inf)
    for a, _, both in _gathered(x, i, j, step):
        np.copyto(a, np.nan, where=~both)
        low = np.fmin(low, np.fmin.reduce(a, axis=1, initial=np.inf))
        high = np.fmax(high, np.fmax.reduce(a, axis=1, initial=-np.inf))
    return low, high


class _ExactPairs(NamedTuple):
    offsets: tuple[np.ndarray, np.ndarray]
    m2: tuple[np.ndarray, np.ndarray]
    comoment: np.ndarray


def _exact_pairs(
    x: np.ndarray, shift: np.ndarray, offset: np.ndarray, i: np.ndarray, j: np.ndarray, step: int
) -> _ExactPairs:
    """Moments of the pairs ``(i[k], j[k])`` about their own means, from their rows.

    One pass over blocks of rows, vectorised over the pairs: deviations from each
    column's mean on the pair's rows as the chunk's sums give it (``shift + offset``),
    corrected for that mean's rounding as in the two-pass formula, so that each pair is
    centred on its own means, as :func:`_recompute_near_constant` does. A column constant
    on the pair's rows gets its value as mean, and no spread and no co-moment, exactly.
    """
    k = i.size
    centre_a = (shift[i] + offset[i, j])[:, None]
    centre_b = (shift[j] + offset[j, i])[:, None]
    count = np.zeros(k)
    low_a, low_b = np.full(k, np.inf), np.full(k, np.inf)
    high_a, high_b = np.full(k, -np.inf), np.full(k, -np.inf)
    dev_a, dev_b = np.zeros(k), np.zeros(k)
    ss_a, ss_b, cross = np.zeros(k), np.zeros(k), np.zeros(k)
    for a, b, both in _gathered(x, i, j, step):
        count += both.sum(axis=1)
        low_a = np.minimum(low_a, np.where(both, a, np.inf).min(axis=1))
        high_a = np.maximum(high_a, np.where(both, a, -np.inf).max(axis=1))
        low_b = np.minimum(low_b, np.where(both, b, np.inf).min(axis=1))
        high_b = np.maximum(high_b, np.where(both, b, -np.inf).max(axis=1))
        da = np.where(both, a - centre_a, 0.0)
        db = np.where(both, b - centre_b, 0.0)
        dev_a += da.sum(axis=1)
        dev_b += db.sum(axis=1)
        ss_a += np.einsum("ij,ij->i", da, da)
        ss_b += np.einsum("ij,ij->i", db, db)
        cross += np.einsum("ij,ij->i", da, db)
    # Every pair here has rows (count >= 1): it was flagged among the answered pairs.
    mean_a, mean_b = dev_a / count, dev_b / count
    still_a, still_b = low_a == high_a, low_b == high_b
    return _ExactPairs(
        offsets=(
            np.where(still_a, low_a - shift[i], (centre_a[:, 0] - shift[i]) + mean_a),
            np.where(still_b, low_b - shift[j], (centre_b[:, 0] - shift[j]) + mean_b),
        ),
        m2=(
            np.where(still_a, 0.0, np.maximum(ss_a - dev_a * mean_a, 0.0)),
            np.where(still_b, 0.0, np.maximum(ss_b - dev_b * mean_b, 0.0)),
        ),
        comoment=np.where(still_a | still_b, 0.0, cross - dev_a * mean_b),
    )


def merge_pearson_moments(a: PearsonMoments, b: PearsonMoments) -> PearsonMoments:
    """Combine the moments of two disjoint chunks of rows (Chan et al., 1979).

    With ``d`` the difference of the chunks' means of ``x_i`` on the pair's rows::

        n = n_a + n_b
        mean = mean_a + d n_b / n
        m2 = m2_a + m2_b + d**2 n_a n_b / n
        comoment = comoment_a + comoment_b + d d' n_a n_b / n

    (``d'`` the transpose: the difference of the partner's means on the same rows).
    Exact in exact arithmetic, so the result does not depend on how the rows were split.
    Means are kept as shift + offset, and ``d`` is formed as the (exact) difference of
    the shifts plus the difference of the small offsets, so a column of ``1e6 + x``
    loses no digits.
    """
    a_has = np.diag(a.n) > 0
    shift = np.where(a_has, a.shift, b.shift)
    offset_a = np.where(a.n > 0, (a.shift - shift)[:, None] + a.offset, 0.0)
    offset_b = np.where(b.n > 0, (b.shift - shift)[:, None] + b.offset, 0.0)
    n = a.n + b.n
    with np.errstate(invalid="ignore", divide="ignore"):
        weight = np.where(n > 0, b.n / n, 0.0)
    delta = offset_b - offset_a
    between = a.n * weight
    return PearsonMoments(
        n=n,
        shift=shift,
        offset=offset_a + delta * weight,
        m2=a.m2 + b.m2 + delta * delta * between,
        comoment=a.comoment + b.comoment + delta * delta.T * between,
        low=np.minimum(a.low, b.low),
        high=np.maximum(a.high, b.high),
        unpaired_rows=a.unpaired_rows + b.unpaired_rows,
    )


def pearson_from_moments(moments: PearsonMoments) -> PairwisePearson:
    """Correlations, counts and column moments from (combined) chunk moments.

    ``r_ij = comoment_ij / sqrt(m2_ij m2_ji)``; a pair is constant, as in
    :func:`pairwise_pearson`, exactly when one of its columns takes one value on the
    rows it shares with the other (``low == high``).
    """
    count, m2 = moments.n, moments.m2
    constant = (moments.low == moments.high) | (moments.low.T == moments.high.T)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = moments.comoment / (np.sqrt(m2) * np.sqrt(m2.T))
        n_col = np.diag(count).copy()
        means = np.where(n_col > 0, moments.shift + np.diag(moments.offset), np.nan)
        variances = np.where(n_col > 1, np.maximum(np.diag(m2), 0.0) / (n_col - 1), np.nan)
    return _pearson_result(r, count, constant, means, variances, moments.unpaired_rows)
