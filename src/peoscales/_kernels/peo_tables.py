"""Kernels behind the PEO report tables: counting, rounding, disclosure control.

Private and ndarray-only: no pandas, no validation, no I/O.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "cochran_armitage",
    "count_all_codes",
    "count_codes",
    "cross_counts",
    "group_moments",
    "largest_remainder",
    "linear_by_linear",
    "round_half_up",
    "suppress_cells",
]


def count_codes(cat: np.ndarray, k: int) -> np.ndarray:
    """Counts of category indices ``0..k-1`` (negative indices are ignored)."""
    return count_all_codes(cat, k)[0]


def count_all_codes(
    cat: np.ndarray, k: int, weights: np.ndarray | None = None
) -> tuple[np.ndarray, dict[int, int]]:
    """Counts of category indices ``0..k-1``, and of each negative index (the kinds of
    missing), in one pass: the indices are shifted to start at 0 rather than masked.

    ``weights`` (whole numbers) counts each entry that many times: the categories of
    distinct codes weighted by how often each code occurs.
    """
    cat = np.asarray(cat, dtype=np.int64)
    lowest = min(int(cat.min()), 0) if cat.size else 0
    counts = np.bincount(cat - lowest if lowest else cat, weights=weights, minlength=k - lowest)
    counts = np.rint(counts).astype(np.int64) if weights is not None else counts
    negative = {lowest + i: int(counts[i]) for i in range(-lowest)}
    return counts[-lowest : k - lowest].astype(np.int64), negative


def cross_counts(a: np.ndarray, b: np.ndarray, ka: int, kb: int) -> np.ndarray:
    """A ``ka x kb`` table of joint counts; pairs with a negative index are ignored."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    keep = (a >= 0) & (b >= 0)
    flat = a[keep] * kb + b[keep]
    return np.bincount(flat, minlength=ka * kb)[: ka * kb].reshape(ka, kb).astype(np.int64)


def group_moments(groups: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """n, mean and sample sd (ddof=1) of ``values`` per group ``0..k-1``.

    Pairs with a negative group or a NaN value are ignored. Returns a ``k x 3``
    array; the mean is NaN for empty groups, the sd for groups below two.
    """
    groups = np.asarray(groups, dtype=np.int64)
    values = np.asarray(values, dtype=np.float64)
    keep = (groups >= 0) & ~np.isnan(values)
    g, v = groups[keep], values[keep]
    n = np.bincount(g, minlength=k)[:k].astype(np.float64)
    total = np.bincount(g, weights=v, minlength=k)[:k]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n
        centred = v - mean[g]
        ss = np.bincount(g, weights=centred * centred, minlength=k)[:k]
        sd = np.sqrt(ss / (n - 1))
    sd[n < 2] = np.nan
    return np.column_stack([n, mean, sd])


def cochran_armitage(
    successes: np.ndarray, totals: np.ndarray, scores: np.ndarray
) -> tuple[float, float]:
    """Chi-square (df 1) and p of the Cochran–Armitage test for a trend in proportions.

    ``successes[i]`` of ``totals[i]`` in group ``i`` with score ``scores[i]``; groups
    without respondents are ignored. As R's ``prop.trend.test``:
    ``chi2 = (sum x_i (s_i - s_bar))^2 / (p (1 - p) sum n_i (s_i - s_bar)^2)`` with
    ``s_bar`` the mean score weighted by ``n_i`` and ``p`` the pooled proportion.
    NaN when every proportion is 0 or 1, or all scores are equal.
    """
    from scipy import stats

    x = np.asarray(successes, dtype=np.float64)
    n = np.asarray(totals, dtype=np.float64)
    s = np.asarray(scores, dtype=np.float64)
    keep = n > 0
    x, n, s = x[keep], n[keep], s[keep]
    total = n.sum()
    if total == 0:
        return np.nan, np.nan
    pooled = x.sum() / total
    centred = s - (n * s).sum() / total
    spread = (n * centred * centred).sum()
    denominator = pooled * (1.0 - pooled) * spread
    if not denominator > 0:
        return np.nan, np.nan
    chi2 = float((x * centred).sum() ** 2 / denominator)
    return chi2, float(stats.chi2.sf(chi2, 1))


def linear_by_linear(
    counts: np.ndarray, row_scores: np.ndarray, col_scores: np.ndarray
) -> tuple[float, float]:
    """Chi-square (df 1) and p of the linear-by-linear association test of a table.

    ``M^2 = (N - 1) r^2`` with ``r`` the Pearson correlation of the row and column
    scores over the ``N`` respondents of ``counts`` (Agresti, 2007, sec. 2.5.1).
    NaN when the rows or the columns of the respondents have one score only.
    """
    from scipy import stats

    table = np.asarray(counts, dtype=np.float64)
    u = np.asarray(row_scores, dtype=np.float64)
    v = np.asarray(col_scores, dtype=np.float64)
    total = table.sum()
    if total < 2:
        return np.nan, np.nan
    rows, cols = table.sum(axis=1), table.sum(axis=0)
    du = u - (rows * u).sum() / total
    dv = v - (cols * v).sum() / total
    cov = du @ table @ dv
    var_u, var_v = (rows * du * du).sum(), (cols * dv * dv).sum()
    if not (var_u > 0 and var_v > 0):
        return np.nan, np.nan
    m2 = float((total - 1.0) * cov * cov / (var_u * var_v))
    return m2, float(stats.chi2.sf(m2, 1))


def round_half_up(x: np.ndarray, decimals: int = 0) -> np.ndarray:
    """Round halves away from zero, as published reports do (12.5 -> 13).

    A tiny tolerance absorbs binary noise (``100 * 29 / 200`` is 14.499999...).
    """
    scale = 10.0**decimals
    x = np.asarray(x, dtype=np.float64)
    return np.sign(x) * np.floor(np.abs(x) * scale + 0.5 + 1e-9) / scale


def largest_remainder(percent: np.ndarray, decimals: int = 0, total: float = 100.0) -> np.ndarray:
    """Round percentages so that they add up to ``total`` exactly.

    Every value is first rounded down at ``decimals``; the units still missing
    from the total go to the values with the largest remainders (ties: the
    earlier value). All-NaN or all-zero input is returned rounded as it is.
    """
    p = np.asarray(percent, dtype=np.float64)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if not ok.any() or np.nansum(p) == 0:
        out[ok] = 0.0 if ok.any() else np.nan
        return out
    scale = 10.0**decimals
    scaled = p[ok] * scale
    floors = np.floor(scaled + 1e-9)
    remainders = scaled - floors
    missing = round(total * scale - floors.sum())
    if missing > 0:
        # stable sort on -remainder: ties go to the earlier value
        order = np.argsort(-remainders, kind="stable")[:missing]
        floors[order] += 1
    out[ok] = floors / scale
    return out


def _determined(
    counts: np.ndarray, hidden: np.ndarray, published_cols: np.ndarray | None = None
) -> np.ndarray:
    """Which hidden cells an intruder can compute exactly from the published totals.

    Published: every visible cell, each row total and each column total (or
    only the columns flagged in ``published_cols``). The
    feasible values of a hidden cell form an interval (non-negative solutions
    of the margin equations); it is found with two linear programmes per cell.
    """
    from scipy.optimize import linprog

    rows, cols = np.nonzero(hidden)
    m = rows.size
    determined = np.zeros(counts.shape, dtype=bool)
    if m == 0:
        return determined
    r, c = counts.shape
    # equality constraints: for each row and column, sum of its hidden cells is known
    a_rows = (rows[None, :] == np.arange(r)[:, None]).astype(np.float64)
    a_cols = (cols[None, :] == np.arange(c)[:, None]).astype(np.float64)
    if published_cols is not None:
        # a small group's total is shown as "<k", so it constrains nothing
        a_cols = a_cols[np.asarray(published_cols, dtype=bool)]
    a_eq = np.vstack([a_rows, a_cols])
    hidden_values = counts[rows, cols].astype(np.float64)
    b_eq = a_eq @ hidden_values
    used = a_eq.any(axis=1)
    a_eq, b_eq = a_eq[used], b_eq[used]
    for j in range(m):
        if hidden_values[j] == 0:
            continue
        objective = np.zeros(m)
        objective[j] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        width = -high.fun - low.fun
        # a hidden zero that can be computed reveals that nobody gave the answer,
        # which singles no one out; only positive counts must stay uncertain
        if width < 1 - 1e-9 and hidden_values[j] > 0:
            determined[rows[j], cols[j]] = True
    return determined


def suppress_cells(
    counts: np.ndarray, threshold: int, column_totals: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Primary and complementary suppression for a table of counts.

    Parameters
    ----------
    counts
        ``r x c`` table; row and column totals are assumed to be published.
    threshold
        Cells with ``1 <= count < threshold`` are suppressed (primary), and so
        is every cell of a column whose total lies below the threshold (a small
        group, whose total is then shown as ``<threshold`` too). Row totals and
        the totals of the other columns are assumed published.

    Returns
    -------
    primary, complementary
        Boolean masks. Complementary cells are added, smallest first, in the
        row or column of any hidden cell that the published totals would give
        away, until no hidden cell can be computed exactly (checked by linear
        programming).
    published_totals
        Which column totals may be shown: not those of small groups, and when
        exactly one group is small, not that of the next smallest group.
    """
    counts = np.asarray(counts, dtype=np.int64)
    totals = counts.sum(axis=0) if column_totals is None else np.asarray(column_totals)
    primary = (counts >= 1) & (counts < threshold)
    small = (totals > 0) & (totals < threshold)
    primary[:, small] = True
    published = ~small
    if small.sum() == 1:
        # one small group could be computed as the row totals minus the other groups:
        # hide the total of the next smallest group as well
        others = np.flatnonzero(published & (totals > 0))
        if others.size:
            published[others[np.argmin(totals[others])]] = False
    hidden = primary.copy()
    # at most one complement per hidden cell; the loop ends when nothing is determined
    for _ in range(counts.size):
        # cheap necessary test first: a positive hidden cell alone in its row, or alone
        # in a column with a published total, is given away by subtraction
        positive = hidden & (counts > 0)
        per_row = hidden.sum(axis=1, keepdims=True)
        per_col = hidden.sum(axis=0, keepdims=True)
        determined = positive & ((per_row == 1) | ((per_col == 1) & published[None, :]))
        if not determined.any():
            determined = _determined(counts, hidden, published)
        if not determined.any():
            break
        i, j = np.argwhere(determined)[0]
        best: tuple[bool, int, int, int] | None = None
        empty_rows = counts.sum(axis=1) == 0
        empty_cols = counts.sum(axis=0) == 0
        for cells in (
            [(i, jj) for jj in range(counts.shape[1])],
            [(ii, j) for ii in range(counts.shape[0])],
        ):
            for a, b in cells:
                if hidden[a, b] or empty_rows[a] or empty_cols[b]:
                    continue
                # prefer the smallest positive count; zeros protect little
                key = (counts[a, b] == 0, int(counts[a, b]), a, b)
                if best is None or key < best:
                    best = key
        if best is None:
            # the whole row and column are hidden already: hide one more anywhere
            visible = np.argwhere(~hidden)
            if visible.size == 0:
                break
            a, b = visible[np.argmin(counts[~hidden])]
        else:
            _, _, a, b = best
        hidden[a, b] = True
    return primary, hidden & ~primary, published
