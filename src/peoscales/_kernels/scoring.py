"""Scoring kernel: all scales of all instruments in one pass.

A scale score is the mean of the answered items after reversal. With a keyed
weight matrix ``W`` (+1 for an item in a scale, -1 for a reverse-keyed item, 0
elsewhere) and a reversal offset ``C`` (``min + max`` where an item is reversed),
the sums of all scales are ``X0 @ W + V @ C`` and the answered counts are
``V @ M``, where ``X0`` is the data with missing values set to 0, ``V`` the
answered mask and ``M = |W|``. Two matrix products per block of rows give every
score.
"""

from __future__ import annotations

import numpy as np

#: Rows per block. Blocks bound the temporary memory to a few megabytes
#: whatever the number of respondents; within a block everything is vectorised.
BLOCK_ROWS = 1 << 16


def keyed_weights(
    membership: np.ndarray, reverse: np.ndarray, low: np.ndarray, high: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Build the keyed weight matrix ``W`` and the offsets ``[C | M]``.

    Parameters
    ----------
    membership : (p, s) bool
        Item ``j`` belongs to scale ``k``.
    reverse : (p,) bool
        Item ``j`` is reverse-keyed.
    low, high : (p,) float
        Declared response range of each item.

    Returns
    -------
    weights : (p, s) float64
    offsets : (p, 2 s) float64
        Reversal offsets in the first ``s`` columns, membership in the last ``s``.
    """
    member = membership.astype(np.float64)
    sign = np.where(reverse, -1.0, 1.0)[:, None]
    weights = member * sign
    offset = member * np.where(reverse, low + high, 0.0)[:, None]
    return weights, np.hstack([offset, member])


def score_block(
    x: np.ndarray, weights: np.ndarray, offsets: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Sums and answered counts of every scale for one block of rows."""
    answered = ~np.isnan(x)
    x0 = np.where(answered, x, 0.0)
    s = weights.shape[1]
    both = answered.astype(np.float64) @ offsets
    sums = x0 @ weights + both[:, :s]
    return sums, both[:, s:]


def score_items(
    x: np.ndarray,
    weights: np.ndarray,
    offsets: np.ndarray,
    required: np.ndarray,
    multiplier: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Score every scale for every respondent.

    Parameters
    ----------
    x : (n, p) float64
        Item codes, NaN where not answered; already range-checked.
    weights, offsets
        From :func:`keyed_weights`.
    required : (s,) float
        Least number of answered items a score needs.
    multiplier : (s,) float
        1 for a mean score, the number of items for a prorated sum.

    Returns
    -------
    scores : (n, s) float64
        NaN where fewer than ``required`` items are answered.
    answered : (n, s) float64
        Number of answered items per scale.
    """
    n = x.shape[0]
    s = weights.shape[1]
    scores = np.empty((n, s))
    answered = np.empty((n, s))
    for start in range(0, n, BLOCK_ROWS):
        stop = min(start + BLOCK_ROWS, n)
        sums, counts = score_block(x[start:stop], weights, offsets)
        with np.errstate(invalid="ignore", divide="ignore"):
            block = sums / counts * multiplier
        block[counts < required] = np.nan
        scores[start:stop] = block
        answered[start:stop] = counts
    return scores, answered


def range_violations(
    x: np.ndarray, low: np.ndarray, high: np.ndarray, integer: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of answered codes outside ``[low, high]`` (or not whole).

    Returns the row and column indices of every violation, in row-major order.
    """
    rows_out: list[np.ndarray] = []
    cols_out: list[np.ndarray] = []
    for start in range(0, x.shape[0], BLOCK_ROWS):
        block = x[start : start + BLOCK_ROWS]
        with np.errstate(invalid="ignore"):
            bad = (block < low) | (block > high) | (integer & (np.abs(block - np.round(block)) > 0))
        rows, cols = np.nonzero(bad)
        rows_out.append(rows + start)
        cols_out.append(cols)
    if not rows_out:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    return np.concatenate(rows_out), np.concatenate(cols_out)


def reverse_codes(x: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Reverse codes on their declared range: ``low + high - x`` (NaN stays NaN)."""
    return (low + high) - x


def block_rows_for(p: int) -> int:
    """Rows per block so that one block of ``p`` float64 columns stays in cache (~2 MB)."""
    return int(min(BLOCK_ROWS, max(1024, (1 << 18) // max(p, 1))))


def score_matrix(
    x: np.ndarray,
    weights: np.ndarray,
    offsets: np.ndarray,
    required: np.ndarray,
    multiplier: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    integer: np.ndarray,
    nonsubstantive: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Check ranges and score every scale in one cache-sized pass per block of rows.

    ``x`` is only read (it may be a read-only view of the caller's data). Each block
    of rows is shifted into a small reusable buffer as ``y = x - low`` (transposed,
    items by rows), so that a valid answer lies in ``[0, high - low]``; there
    non-substantive codes and missing values are masked, the range and
    whole-number rules are checked, and two matrix products give the sums and
    answered counts. With the shift, the
    keyed sum of scale ``k`` is ``y @ W + V @ C'`` where ``C'`` holds ``low`` for a
    positively keyed item and ``high`` for a reversed one (``a + b - x = b - y``).
    Peak memory is the output plus a few buffers of :func:`block_rows_for` rows,
    whatever ``n``.

    Parameters
    ----------
    x : (n, p) float
        Item codes, NaN where not answered.
    weights, offsets
        From :func:`keyed_weights` (the offsets are rebuilt here for the shift).
    required, multiplier : (s,) float
        As in :func:`score_items`.
    low, high : (p,) float
        Declared range of each item.
    integer : (p,) bool
        Items whose codes must be whole numbers.
    nonsubstantive : (p, m) float, optional
        Codes that mean "no answer" per item, padded with NaN.

    Returns
    -------
    scores, answered : (n, s) float64
    nonsubstantive_count : (p,) int64
        Number of non-substantive answers per item.
    in_range : bool
        False when some answered code lies outside ``[low, high]`` or is not whole;
        the scores are then meaningless and the caller reports the violations
        (:func:`range_violations`).
    """
    n, p = x.shape
    s = weights.shape[1]
    member = offsets[:, s:]
    reverse = (weights < 0).any(axis=1)
    shifted = member * np.where(reverse, high, low)[:, None]
    counting = np.hstack([shifted, member])
    # Counts and whole-number offsets are exact in float32 (integers below 2**24),
    # which halves the memory traffic of the second product.
    exact32 = bool(np.all(np.trunc(counting) == counting) and np.abs(counting).max() < 2**16)
    ctype = np.float32 if exact32 else np.float64
    counting_t = np.ascontiguousarray(counting.T, dtype=ctype)
    weights_t = np.ascontiguousarray(weights.T)
    low_c, span_c = low[:, None], (high - low)[:, None]
    integer_c = integer[:, None]
    scores = np.empty((n, s))
    answered = np.empty((n, s))
    counts_ns = np.zeros(p, dtype=np.int64)
    # Work on blocks transposed to (items, rows): a DataFrame's float block is stored
    # that way, so x[start:stop].T is read contiguously, and every pass below runs
    # along contiguous rows.
    rows = min(block_rows_for(p), max(n, 1))
    y_buf = np.empty((p, rows))
    t_buf = np.empty((p, rows))
    bool_buf = np.empty((p, rows), dtype=bool)
    ans_buf = np.empty((p, rows), dtype=ctype)
    check_whole = bool(integer.any())
    all_whole = bool(integer.all())
    ns_shifted = None if nonsubstantive is None else nonsubstantive - low[:, None]
    seen_low = np.full(p, np.inf)
    seen_high = np.full(p, -np.inf)
    not_whole = 0
    for start in range(0, n, rows):
        stop = min(start + rows, n)
        b = stop - start
        yb, tb, bb, ab = y_buf[:, :b], t_buf[:, :b], bool_buf[:, :b], ans_buf[:, :b]
        np.subtract(x[start:stop].T, low_c, out=yb)
        if ns_shifted is not None:
            for c in range(ns_shifted.shape[1]):  # a handful of codes (weet niet, n.v.t.)
                np.equal(yb, ns_shifted[:, c : c + 1], out=bb)
                counts_ns += bb.sum(axis=1)
                np.copyto(yb, np.nan, where=bb)
        np.equal(yb, yb, out=ab, casting="unsafe")  # answered: NaN is not equal to itself
        # NaN-ignoring minima and maxima per item (an all-missing item gives NaN,
        # which fmin/fmax ignore in turn).
        np.fmin(seen_low, np.fmin.reduce(yb, axis=1), out=seen_low)
        np.fmax(seen_high, np.fmax.reduce(yb, axis=1), out=seen_high)
        np.fmax(yb, 0.0, out=yb)  # NaN -> 0 (negative codes are caught by seen_low)
        if check_whole:
            np.trunc(yb, out=tb)
            np.not_equal(tb, yb, out=bb)
            if not all_whole:
                bb &= integer_c
            not_whole += int(np.count_nonzero(bb))
        both = counting_t @ ab
        sums = weights_t @ yb
        sums += both[:s]
        counts = both[s:].astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            block = sums / counts
        block *= multiplier[:, None]
        block[counts < required[:, None]] = np.nan
        scores[start:stop] = block.T
        answered[start:stop] = counts.T
    violations = int(np.count_nonzero(seen_low < 0) + np.count_nonzero(seen_high > span_c[:, 0]))
    violations += not_whole
    return scores, answered, counts_ns, violations == 0
