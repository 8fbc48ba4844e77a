"""Answer counts of many items on one response scale, for Likert charts."""

from __future__ import annotations

import numpy as np


def count_answers(
    x: np.ndarray, codes: np.ndarray, group: np.ndarray | None = None, n_groups: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Counts per group, item and code, and answered cells per group and item.

    ``x`` is (items, respondents) of float codes, NaN for missing; ``group`` holds a
    group number per respondent (-1: in no group). Returns ``counts`` of shape
    (groups, items, codes) and ``answered`` (groups, items): the non-missing cells,
    so ``answered - counts.sum(-1)`` counts values that are not among ``codes``.

    One comparison pass per code (a scale has a handful) instead of a sort or a
    hash of every cell: each pass is a vectorised compare-and-count over the whole
    array. Groups are summed with a matrix product against the group indicator.
    """
    m, n = x.shape
    k = len(codes)
    if group is None:
        counts = np.empty((1, m, k), dtype=np.int64)
        for j, code in enumerate(codes):  # a loop over the scale's codes only
            counts[0, :, j] = np.count_nonzero(x == code, axis=1)
        answered = (n - np.count_nonzero(np.isnan(x), axis=1))[None, :]
        return counts, answered
    # exact in float32 below 2**24 respondents per cell; float64 beyond
    dtype = np.float32 if n < 2**24 else np.float64
    member = np.zeros((n, n_groups), dtype=dtype)
    inside = group >= 0
    member[np.flatnonzero(inside), group[inside]] = 1
    counts = np.empty((n_groups, m, k), dtype=np.int64)
    for j, code in enumerate(codes):
        counts[:, :, j] = np.rint((x == code).astype(dtype) @ member).T
    answered = np.rint((~np.isnan(x)).astype(dtype) @ member).T.astype(np.int64)
    return counts, answered
