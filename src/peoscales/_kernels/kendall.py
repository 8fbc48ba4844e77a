"""Kendall's tau-b of every pair of columns under pairwise deletion.

Every pair needs the same four counts over the rows where both columns are answered:
the number of those rows, the pairs of rows tied in each column, and the difference
between concordant and discordant pairs of rows. Two routes give them exactly, both in
integers:

Cross-tables (pairs of columns with at most ``TABLE_LEVELS`` distinct values each)
    With ``O`` the one-hot coding of every column's values (an ``n x K`` matrix of 0/1,
    ``K`` the total number of distinct values, zero rows where a value is missing), the
    product ``O'O`` holds the cross-table of every pair on its shared rows. The ties are
    sums of ``c (c - 1) / 2`` over the margins of each table, and concordant minus
    discordant pairs is ``sum T[u, v] (T[<u, <v] - T[<u, >v])``, two cumulative sums
    over the table. ``O(n K**2)`` time in one matrix product per group of columns: for
    Likert items (``K`` about 5 per column) far less than any per-pair method.

Sorting (every other pair)
    Knight's (1966) method, vectorised over a block of pairs: sort the shared rows by
    ``x`` and ties by ``y``; the discordant pairs are then the inversions of ``y``. The
    inversions are counted one bit of ``y``'s rank at a time from the top (a radix sort
    that counts as it partitions): within each group of equal higher bits, every row
    whose bit is 0 is inverted with each earlier row whose bit is 1, which is a
    cumulative sum. ``O(n log k)`` per pair for ``y`` with ``k`` distinct values (the
    column with fewer values plays ``y``), against the ``O(n**2)`` of comparing all
    pairs of rows.

Blocks bound the memory: the one-hot matrix is built for a block of rows at a time,
the sorting route handles a block of pairs at a time (a single pair once there are more
than ``SORT_BLOCK_ELEMENTS`` rows, when each block is already ``O(n log n)`` work), and
large sets of columns are tabulated in groups.
"""

from __future__ import annotations

import numpy as np

#: Columns with at most this many distinct values are tabulated; pairs with a column
#: above it are sorted. Up to 16 values the tables were faster on 500 to 10,000 rows;
#: the table route grows with the square of the values, so at 32 it depends on n.
TABLE_LEVELS = 16

#: Rows x one-hot columns per block of the tables (1 MiB of float32).
TABLE_BLOCK_ELEMENTS = 1 << 18

#: Pairs x rows per block of the sorting route. The int64 temporaries (256 KiB) stay
#: in cache and reuse freed memory: with 2 MiB blocks every temporary took fresh pages
#: and 2,000 x 20 took about 1.5 times as long.
SORT_BLOCK_ELEMENTS = 1 << 15

#: Distinct values per group of tabulated columns (about: a group may run one column
#: over). A group pair's table is about this squared (2 MiB of int64), and so is each
#: of the few arrays derived from it.
GROUP_LEVELS = 512


def _dense_ranks(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dense ranks 0..k-1 of each column (k for missing), sort order and k per column.

    Equal values share a rank (so infinities rank like any value); missing values get
    rank ``k`` and sort last.
    """
    n_rows, p = x.shape
    order = np.argsort(x, axis=0, kind="stable")  # NaN last
    sorted_values = np.take_along_axis(x, order, axis=0)
    new = np.ones((n_rows, p), dtype=bool)
    # NaN != NaN: missing values start new groups, but they are all re-ranked k below.
    new[1:] = sorted_values[1:] != sorted_values[:-1]
    answered_sorted = ~np.isnan(sorted_values)
    levels = np.where(answered_sorted, new, False).sum(axis=0)
    dense = np.cumsum(new, axis=0) - 1
    dense = np.where(answered_sorted, dense, levels)
    ranks = np.empty((n_rows, p), dtype=np.int64)
    np.put_along_axis(ranks, order, dense, axis=0)
    return ranks, order, levels


def _before_in_run(start: np.ndarray, counted: np.ndarray) -> np.ndarray:
    """For each element, the counted elements before it in its run (along axis 1).

    A run begins where ``start`` is true. Summed over the counted elements this is
    ``sum c (c - 1) / 2`` over runs with ``c`` counted elements: the tied pairs.
    """
    before = np.cumsum(counted, axis=1, dtype=np.int64)
    before -= counted
    # ``before`` never decreases along a row, so a running maximum carries each run's
    # starting value forward. (Products with masks rather than np.where: no branches.)
    before -= np.maximum.accumulate(before * start, axis=1)
    return before


def _gather(values: np.ndarray, order: np.ndarray) -> np.ndarray:
    """``values[r, order[r, c]]`` for every row ``r`` of a 2-d array.

    ``np.take`` on the flat array: about twice as fast as ``np.take_along_axis``.
    """
    offsets = np.arange(values.shape[0])[:, None] * values.shape[1]
    gathered: np.ndarray = np.take(values.ravel(), order + offsets)
    return gathered


def _run_starts(*keys: np.ndarray) -> np.ndarray:
    """True where any of the (sorted) ``keys`` differs from the element before it."""
    start = np.ones(keys[0].shape, dtype=bool)
    start[:, 1:] = keys[0][:, 1:] != keys[0][:, :-1]
    for key in keys[1:]:
        start[:, 1:] |= key[:, 1:] != key[:, :-1]
    return start


def _tied_pairs(counted: np.ndarray, *keys: np.ndarray) -> np.ndarray:
    """Pairs of counted elements with equal keys, per row (rows sorted by the keys)."""
    tied: np.ndarray = (_before_in_run(_run_starts(*keys), counted) * counted).sum(axis=1)
    return tied


def _inversions(y: np.ndarray, n_bits: int) -> np.ndarray:
    """Pairs ``a < b`` with ``y[a] > y[b]`` in each row of ``y`` (non-negative ints < 2**n_bits).

    A pair is decided at the highest bit where the two values differ. At bit ``b`` the
    rows are stably sorted by the bits above ``b`` (most significant digit radix sort),
    so pairs with the same higher bits are contiguous and keep their order; the pairs
    decided there are a 1 before a 0.
    """
    inversions = np.zeros(y.shape[0], dtype=np.int64)
    for bit in range(n_bits - 1, -1, -1):
        if bit == n_bits - 1:
            ordered = y  # no higher bits: one group, the original order
        else:
            grouped = np.argsort(y >> (bit + 1), axis=1, kind="stable")
            ordered = _gather(y, grouped)
        ones = (ordered >> bit) & 1
        ones_before = _before_in_run(_run_starts(ordered >> (bit + 1)), ones)
        inversions += (ones_before * (ones == 0)).sum(axis=1)
    return inversions


def _sorted_counts(
    ranks_t: np.ndarray,
    order_t: np.ndarray,
    sorted_ranks_t: np.ndarray,
    levels: np.ndarray,
    xs: np.ndarray,
    ys: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shared rows, ties in x, ties in y and concordant minus discordant, for column pairs.

    ``ranks_t``, ``order_t`` and ``sorted_ranks_t`` are (p, n): each column's dense ranks,
    its ascending order and its ranks in that order. ``xs`` and ``ys`` index the pairs.
    """
    kx = levels[xs].astype(ranks_t.dtype)[:, None]
    ky = levels[ys].astype(ranks_t.dtype)[:, None]
    # Rows in y's order (missing y last); x's ranks carried along.
    y_sorted = sorted_ranks_t[ys]
    x_in_y_order = _gather(ranks_t[xs], order_t[ys])
    shared = (x_in_y_order < kx) & (y_sorted < ky)
    shared_rows = shared.sum(axis=1, dtype=np.int64)
    y_ties = _tied_pairs(shared, y_sorted)
    # Rows not shared sort last in x and carry y's largest rank: no inversions, no ties.
    # (Ranks are at most k, so the maximum sets exactly the rows not shared to k.)
    x_keys = np.maximum(x_in_y_order, kx * ~shared)
    y_keys = np.maximum(y_sorted, ky * ~shared)
    by_x = np.argsort(x_keys, axis=1, kind="stable")  # stable: ties in x ordered by y
    x_keys = _gather(x_keys, by_x)
    y_keys = _gather(y_keys, by_x)
    shared = x_keys < kx
    x_ties = _tied_pairs(shared, x_keys)
    joint_ties = _tied_pairs(shared, x_keys, y_keys)
    # Sorted by x then y, the discordant pairs are exactly the inversions of y.
    discordant = _inversions(y_keys, int(ky.max()).bit_length())
    all_pairs = shared_rows * (shared_rows - 1) // 2
    # all = concordant + discordant + x ties + y ties - joint ties.
    difference = all_pairs - x_ties - y_ties + joint_ties - 2 * discordant
    return shared_rows, x_ties, y_ties, difference


def _one_hot(ranks: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """(rows, sum(levels)) float32 0/1 coding of each column's ranks; missing rows zero."""
    offsets = np.concatenate(([0], np.cumsum(levels)[:-1]))
    coded = np.zeros((ranks.shape[0], int(levels.sum())), dtype=np.float32)
    answered = ranks < levels
    cells = offsets + ranks * answered  # missing: a cell of the column, set to 0
    np.put_along_axis(coded, cells, answered.astype(np.float32), axis=1)
    return coded


def _before_in_block(values: np.ndarray, starts: np.ndarray, axis: int) -> np.ndarray:
    """Sum of the cells before each cell within its block along ``axis``."""
    lengths = np.diff(np.append(starts, values.shape[axis]))
    before = np.cumsum(values, axis=axis) - values
    first = np.repeat(starts, lengths)
    result: np.ndarray = before - np.take(before, first, axis=axis)
    return result


def _table_counts(
    table: np.ndarray, starts_x: np.ndarray, starts_y: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shared rows, ties in x, ties in y and concordant minus discordant, from tables.

    ``table`` (int64) is a grid of cross-tables: rows in blocks of each x column's
    values (starting at ``starts_x``), columns in blocks of each y column's values.
    Every result is (x columns, y columns).
    """
    x_margins = np.add.reduceat(table, starts_y, axis=1)  # x value by y column
    y_margins = np.add.reduceat(table, starts_x, axis=0)  # x column by y value
    shared_rows = np.add.reduceat(x_margins, starts_x, axis=0)
    x_ties = np.add.reduceat(x_margins * (x_margins - 1) // 2, starts_x, axis=0)
    y_ties = np.add.reduceat(y_margins * (y_margins - 1) // 2, starts_y, axis=1)
    # Rows with a smaller x in the same table, by their y value; then, for each cell,
    # those with a smaller y (concordant with it) minus those with a larger y.
    lower_x = _before_in_block(table, starts_x, axis=0)
    lower_both = _before_in_block(lower_x, starts_y, axis=1)
    lengths_y = np.diff(np.append(starts_y, table.shape[1]))
    lower_x_total = np.repeat(np.add.reduceat(lower_x, starts_y, axis=1), lengths_y, axis=1)
    lower_x_higher_y = lower_x_total - lower_both - lower_x
    score = table * (lower_both - lower_x_higher_y)
    difference = np.add.reduceat(np.add.reduceat(score, starts_x, axis=0), starts_y, axis=1)
    return shared_rows, x_ties, y_ties, difference


def _tabulate(
    ranks: np.ndarray, levels: np.ndarray, first: np.ndarray, second: np.ndarray
) -> np.ndarray:
    """Cross-tables of columns ``first`` by columns ``second`` (int64), over blocks of rows."""
    size = int(levels[first].sum()) + int(levels[second].sum())
    step = max(1, TABLE_BLOCK_ELEMENTS // max(size, 1))
    table = np.zeros((int(levels[first].sum()), int(levels[second].sum())))
    for start in range(0, ranks.shape[0], step):
        block = ranks[start : start + step]
        coded_first = _one_hot(block[:, first], levels[first])
        coded_second = (
            coded_first if first is second else _one_hot(block[:, second], levels[second])
        )
        # Counts of at most ``step`` rows: exact in float32 (step is far below 2**24).
        table += coded_first.T @ coded_second
    return np.rint(table).astype(np.int64)


def _column_groups(columns: np.ndarray, levels: np.ndarray) -> list[np.ndarray]:
    """Consecutive runs of ``columns`` with about ``GROUP_LEVELS`` values in all."""
    cumulative = np.cumsum(levels[columns])
    group = (cumulative - 1) // GROUP_LEVELS
    return [columns[group == g] for g in np.unique(group)]


def pairwise_kendall(x: np.ndarray) -> np.ndarray:
    """Kendall's tau-b of every pair of columns on its shared rows.

    Agrees with R's ``cor(x, method = "kendall", use = "pairwise.complete.obs")`` and
    with :func:`scipy.stats.kendalltau` (``variant="b"``) applied pair by pair.

    Parameters
    ----------
    x : (n, p) float64
        Data, NaN for missing. Not modified.

    Returns
    -------
    (p, p) float64
        Symmetric tau-b. NaN where a pair has fewer than two shared rows or a column is
        constant on them; the diagonal is 1 for columns with two or more distinct
        values and NaN otherwise.

    Notes
    -----
    For the ``n`` rows where both columns are answered, with ``n0 = n (n - 1) / 2``
    pairs of rows, ``n1`` and ``n2`` of them tied in the first and second column, and
    ``C`` and ``D`` concordant and discordant::

        tau_b = (C - D) / sqrt((n0 - n1) (n0 - n2))

    (Kendall, 1945; Agresti, 2010, ch. 7). All counts are integers, so the result
    is exact up to the final division. Pairs of columns with few distinct values come
    from cross-tables, ``O(n K**2)`` for ``K`` distinct values in all; other pairs from
    sorting, ``O(n log n)`` per pair (Knight, 1966). See the module notes.

    References
    ----------
    Agresti, A. (2010). *Analysis of ordinal categorical data* (2nd ed.). Wiley.

    Kendall, M. G. (1945). The treatment of ties in ranking problems. *Biometrika*,
    33(3), 239-251.

    Knight, W. R. (1966). A computer method for calculating Kendall's tau with
    ungrouped data. *Journal of the American Statistical Association*, 61(314),
    436-439.
    """
    n_rows, p = x.shape
    ranks, order, levels = _dense_ranks(x)
    # A column with one value (or none) is constant on every subset of its rows.
    variable = np.flatnonzero(levels > 1)
    shared_rows = np.zeros((p, p), dtype=np.int64)
    ties_first = np.zeros((p, p), dtype=np.int64)  # ties in the column with the lower index
    ties_second = np.zeros((p, p), dtype=np.int64)
    difference = np.zeros((p, p), dtype=np.int64)

    tabulated = variable[levels[variable] <= TABLE_LEVELS]
    groups = _column_groups(tabulated, levels) if tabulated.size else []
    for a, first in enumerate(groups):
        starts_x = np.concatenate(([0], np.cumsum(levels[first])[:-1]))
        for second in groups[a:]:
            starts_y = np.concatenate(([0], np.cumsum(levels[second])[:-1]))
            counts = _table_counts(_tabulate(ranks, levels, first, second), starts_x, starts_y)
            cells = np.ix_(first, second)
            # The first group's columns come first: x is the column with the lower index.
            for target, value in zip((shared_rows, ties_first, ties_second, difference), counts):
                target[cells] = value

    left, right = np.triu_indices(p, 1)
    both = (levels[left] > 1) & (levels[right] > 1)
    sorted_pairs = both & ((levels[left] > TABLE_LEVELS) | (levels[right] > TABLE_LEVELS))
    left, right = left[sorted_pairs], right[sorted_pairs]
    if left.size:
        # The column with fewer values plays y: its ranks have the fewest bits. Pairs
        # grouped by those levels share a bit count within a block.
        swap = levels[left] < levels[right]
        xs, ys = np.where(swap, right, left), np.where(swap, left, right)
        by_levels = np.argsort(levels[ys], kind="stable")
        xs, ys, swap = xs[by_levels], ys[by_levels], swap[by_levels]
        # Ranks (at most n) as int16 when they fit: numpy sorts 16-bit keys by radix.
        dtype = np.int16 if n_rows < np.iinfo(np.int16).max else np.int32
        ranks_t = np.ascontiguousarray(ranks.T, dtype=dtype)
        order_t = np.ascontiguousarray(order.T)
        sorted_ranks_t = np.take_along_axis(ranks_t, order_t, axis=1)
        step = max(1, SORT_BLOCK_ELEMENTS // max(n_rows, 1))
        for start in range(0, xs.size, step):
            block = slice(start, start + step)
            bx, by, bswap = xs[block], ys[block], swap[block]
            rows, x_ties, y_ties, diff = _sorted_counts(
                ranks_t, order_t, sorted_ranks_t, levels, bx, by
            )
            low, high = np.where(bswap, by, bx), np.where(bswap, bx, by)
            shared_rows[low, high] = rows
            ties_first[low, high] = np.where(bswap, y_ties, x_ties)
            ties_second[low, high] = np.where(bswap, x_ties, y_ties)
            difference[low, high] = diff

    tau = np.full((p, p), np.nan)
    upper = np.triu_indices(p, 1)
    pairs = shared_rows[upper] * (shared_rows[upper] - 1) // 2
    untied_first = pairs - ties_first[upper]
    untied_second = pairs - ties_second[upper]
    defined = (untied_first > 0) & (untied_second > 0)  # also excludes n < 2
    with np.errstate(invalid="ignore", divide="ignore"):
        # The same operations, in the same order, as scipy.stats.kendalltau.
        value = difference[upper] / np.sqrt(untied_first) / np.sqrt(untied_second)
    value = np.where(defined, np.clip(value, -1.0, 1.0), np.nan)
    tau[upper] = value
    tau.T[upper] = value
    tau[np.diag_indices(p)] = np.where(levels > 1, 1.0, np.nan)
    return tau
