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
