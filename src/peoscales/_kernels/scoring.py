"""Scoring kernel: all scales of all instruments in one pass over the data.

Where the compiled kernels are built (:mod:`peoscales._kernels.native`),
:func:`score_matrix` hands the work to ``_native.score_rows`` (:func:`_score_compiled`),
which reads every value once. What follows is the numpy kernel, which an installation
without a C compiler runs; both give the same scores to the last bit.

A scale score is the mean of the answered items after reversal. The data are read
in blocks of rows, transposed to (items, rows) so that every pass runs along
contiguous memory (a DataFrame's float block is stored that way), and each block is
checked and scored while it is in cache:

1. range: per-item minima and maxima (two reductions that skip NaN);
2. missing values are replaced by a per-item fill code (one pass), and the
   whole-number rule is checked on the filled block (two passes);
3. one matrix product gives every scale's keyed sum and answered count at once
   (:class:`_PackedSums`), or, for items whose codes need not be whole numbers,
   the two products of :class:`_MaskedSums`.

A block that breaks the range is re-read with non-substantive codes masked
(:func:`_mask_nonsubstantive`); if it still breaks the range the kernel stops, the
scores being meaningless, and the caller locates the violations
(:func:`range_violations`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType
from typing import NamedTuple

import numpy as np

from peoscales._kernels import native
from peoscales._kernels._threads import usable_cpus

#: Upper bound on rows per block (see :func:`block_rows_for`).
BLOCK_ROWS = 1 << 16


def block_rows_for(p: int) -> int:
    """Rows per block so that one block of ``p`` float64 columns takes about 256 KB.

    The block and the kernel's three buffers of its size then fit in one core's L2
    cache (2 MB on the machines measured), so each of the passes over them reads the
    cache, not shared memory. With 2 MB blocks the working set spilled out of L2 and
    the two threads slowed each other down: 15% more CPU time than one thread, which
    is why two threads gave no speed-up; with 256 KB blocks they cost no more CPU
    than one, and one thread alone spends 8% less.
    """
    return int(min(BLOCK_ROWS, max(1024, (1 << 15) // max(p, 1))))


class ScaleScores(NamedTuple):
    """What :func:`score_matrix` returns.

    Attributes
    ----------
    scores : (s, n) float64
        One row per scale (transposed, as a DataFrame stores its float block);
        NaN where too few items are answered.
    answered : (s, n) int64 or None
        Answered items per scale and respondent, when asked for.
    below : (s,) int64
        Respondents with fewer answered items than required, per scale.
    nonsubstantive : (p,) int64
        Non-substantive answers per item.
    in_range : bool
        False when an answered code lies outside ``[low, high]`` or is not a whole
        number on an integer-coded item; the kernel then stops early and the other
        fields are incomplete.
    """

    scores: np.ndarray
    answered: np.ndarray | None
    below: np.ndarray
    nonsubstantive: np.ndarray
    in_range: bool


class _Rule(NamedTuple):
    """Item keys, ranges and scoring rules shared by the two ways of summing."""

    member: np.ndarray  # (s, p) float64, 1 where item j is in scale k
    reverse: np.ndarray  # (p,) float64, 1 for a reversed item
    low: np.ndarray
    high: np.ndarray
    integer: np.ndarray
    required: np.ndarray
    multiplier: np.ndarray | None  # (s, 1), None for mean scores only
    rows: int


def _lowest(low: np.ndarray) -> float:
    """Shift that makes every keyed code non-negative: 0 unless some code is negative."""
    return min(float(low.min()), 0.0)


class _PackedSums:
    """Keyed sums and answered counts of whole-number codes from one matrix product.

    Every answered item adds ``v' + K`` to its scale's row of the product, where
    ``v' = v - L`` is its keyed code ``v`` (``low + high - x`` if reversed), shifted by
    the lowest declared code ``L`` when that is negative (else ``L = 0``) so that
    ``0 <= v' < K``; a missing item adds 0.
    ``K`` is a power of two above every scale's largest possible sum of ``v'`` and
    above the number of items, so the sum ``D`` and the count ``c`` sit in separate
    binary digits of ``D + K c`` and are read off exactly with integer masks.

    The block is filled, not copied and masked: ``z = fmax(x, t)`` turns NaN into a
    per-item code ``t`` below the range, and the constant parts are moved into
    the product through a row of ones under the block. With ``A = ±1`` for the
    scale's (reversed) items, ``sum_j A_j (z_j - t_j)`` is ``x - t = v' + K`` for an
    answered positive item when ``t = L - K``; for a reversed item ``-(x - t)`` is
    ``v' + K - K^2`` when ``t = low + high - L + K - K^2``: a negative digit,
    cancelled by adding ``K^2`` per reversed item of the scale. Adding ``2^52`` puts
    the integer result into the low bits of the float64 itself, read through an
    int64 view. Every term and partial sum is an integer below ``2^53``, so the
    product is exact in any summation order and the scores equal the plain
    ``sum / count`` to the last bit.
    """

    def __init__(self, rule: _Rule, digit_bits: int) -> None:
        member, reverse, low, high, rows = rule.member, rule.reverse, rule.low, rule.high, rule.rows
        s, p = member.shape
        self.low, self.high = low, high
        self.required = rule.required.astype(np.int64)[:, None]
        self.multiplier = rule.multiplier
        lowest = _lowest(low)
        k = 1 << digit_bits
        self.mask = k - 1
        self.bits = digit_bits
        self.lowest = int(lowest)
        fill = np.where(reverse, low + high - lowest + k - k * k, lowest - k)
        self.fill = fill[:, None]
        keyed = member * np.where(reverse, -1.0, 1.0)
        self.product = np.empty((s, p + 1))
        self.product[:, :p] = keyed
        self.product[:, p] = 2.0**52 - keyed @ fill + k * k * (member @ reverse)
        # The block under a row of ones, which picks up the constants above.
        self.z = np.empty((p + 1, rows))
        self.z[p] = 1.0
        self.whole = np.empty((p, rows))
        self.flags = np.empty((p, rows), dtype=bool)
        self.u = np.empty((s, rows))
        self.sums = np.empty((s, rows), dtype=np.int64)
        self.counts = np.empty((s, rows), dtype=np.int64)
        self.short = np.empty((s, rows), dtype=np.int64)

    @staticmethod
    def digit_bits(member: np.ndarray, low: np.ndarray, high: np.ndarray) -> int | None:
        """Bits per digit, or None when the codes do not fit exactly in a float64."""
        if not (np.all(np.isfinite(low)) and np.all(np.isfinite(high))):
            return None
        if not (np.all(np.trunc(low) == low) and np.all(np.trunc(high) == high)):
            return None
        p = member.shape[1]
        largest = max(float((member @ (high - _lowest(low))).max(initial=0.0)), float(p))
        bits = int(largest).bit_length()
        if 2 * bits + int(p + 2).bit_length() > 50:
            return None
        return bits

    def block(
        self, xb: np.ndarray, scores: np.ndarray, answered: np.ndarray | None
    ) -> np.ndarray | None:
        """Score one block into ``scores`` (scales by rows); None if a code breaks the range.

        Returns the number of respondents below the minimum per scale.
        """
        p, b = xb.shape
        z = self.z[:p, :b]
        np.fmax(xb, self.fill, out=z)  # NaN -> fill code (reads the block from memory)
        if not _in_range(xb, self.low, self.high):
            return None
        whole = self.whole[:, :b]
        np.trunc(z, out=whole)
        flags = self.flags[:, :b]
        np.not_equal(whole, z, out=flags)
        if np.count_nonzero(flags):
            return None
        u = np.matmul(self.product, self.z[:, :b], out=self.u[:, :b])
        bits = u.view(np.int64)
        sums, counts, short = self.sums[:, :b], self.counts[:, :b], self.short[:, :b]
        np.bitwise_and(bits, self.mask, out=sums)
        np.right_shift(bits, self.bits, out=counts)
        np.bitwise_and(counts, self.mask, out=counts)
        if answered is not None:
            answered[...] = counts
        if self.lowest:
            sums += self.lowest * counts
        # Minimum-valid rule in integers: all ones where too few items are answered,
        # which zeroes sum and count there, and 0/0 gives the missing score.
        np.subtract(counts, self.required, out=short)
        np.right_shift(short, 63, out=short)
        below = -np.add.reduce(short, axis=1)
        np.invert(short, out=short)
        sums &= short
        counts &= short
        np.divide(sums, counts, out=scores)
        if self.multiplier is not None:
            scores *= self.multiplier
        return below


class _MaskedSums:
    """Keyed sums and answered counts for codes that need not be whole numbers.

    With ``y = x - low`` (so a valid answer lies in ``[0, high - low]``), missing
    values set to 0 and the answered mask ``V``, the keyed sum of scale ``k`` is
    ``y @ W + V @ C'`` where ``W`` is ±1 for (reversed) items and ``C'`` holds
    ``low`` for a positively keyed item and ``high`` for a reversed one
    (``a + b - x = b - y``); the counts are ``V @ M`` with ``M = |W|``.
    """

    def __init__(self, rule: _Rule) -> None:
        member, reverse, low, high, rows = rule.member, rule.reverse, rule.low, rule.high, rule.rows
        s, p = member.shape
        self.s = s
        self.low, self.high = low, high
        self.required = rule.required[:, None]
        self.multiplier = rule.multiplier
        self.weights = member * np.where(reverse, -1.0, 1.0)
        self.counting = np.vstack([member * np.where(reverse, high, low), member])
        self.low_c = low[:, None]
        self.integer = rule.integer[:, None]
        self.check_whole = bool(rule.integer.any())
        self.y = np.empty((p, rows))
        self.whole = np.empty((p, rows))
        self.flags = np.empty((p, rows), dtype=bool)
        self.answered = np.empty((p, rows))
        self.short = np.empty((s, rows), dtype=bool)

    def block(
        self, xb: np.ndarray, scores: np.ndarray, answered: np.ndarray | None
    ) -> np.ndarray | None:
        """As :meth:`_PackedSums.block`."""
        if not _in_range(xb, self.low, self.high):
            return None
        b = xb.shape[1]
        y, mask = self.y[:, :b], self.answered[:, :b]
        np.subtract(xb, self.low_c, out=y)
        np.equal(y, y, out=mask, casting="unsafe")  # NaN is not equal to itself
        np.fmax(y, 0.0, out=y)  # NaN -> 0 (the range is already checked)
        if self.check_whole:
            whole, flags = self.whole[:, :b], self.flags[:, :b]
            np.trunc(y, out=whole)
            np.not_equal(whole, y, out=flags)
            flags &= self.integer
            if np.count_nonzero(flags):
                return None
        both = self.counting @ mask
        sums = self.weights @ y
        sums += both[: self.s]
        counts = both[self.s :]
        if answered is not None:
            answered[...] = counts
        np.divide(sums, counts, out=scores)
        if self.multiplier is not None:
            scores *= self.multiplier
        short = self.short[:, :b]
        np.less(counts, self.required, out=short)
        np.copyto(scores, np.nan, where=short)
        below: np.ndarray = np.count_nonzero(short, axis=1)
        return below


def _in_range(xb: np.ndarray, low: np.ndarray, high: np.ndarray) -> bool:
    """All answered codes of the block lie in ``[low, high]`` (NaN is skipped)."""
    lows = np.fmin.reduce(xb, axis=1)  # NaN for an all-missing item; compares False
    highs = np.fmax.reduce(xb, axis=1)
    return not ((lows < low).any() or (highs > high).any())


def _mask_nonsubstantive(
    xb: np.ndarray, codes: np.ndarray, out: np.ndarray, flags: np.ndarray, counts: np.ndarray
) -> np.ndarray:
    """Copy of the block with non-substantive codes set to NaN, counted per item."""
    np.copyto(out, xb)
    for c in range(codes.shape[1]):  # a handful of codes (weet niet, n.v.t.)
        np.equal(out, codes[:, c : c + 1], out=flags)
        counts += np.count_nonzero(flags, axis=1)
        np.copyto(out, np.nan, where=flags)
    return out


def score_matrix(
    x: np.ndarray | Sequence[np.ndarray],
    membership: np.ndarray,
    reverse: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    integer: np.ndarray,
    required: np.ndarray,
    multiplier: np.ndarray,
    nonsubstantive: np.ndarray | None = None,
    *,
    answered: bool = False,
) -> ScaleScores:
    """Check ranges and score every scale in one cache-sized pass per block of rows.

    ``x`` is only read (it may be a read-only view of the caller's data). Peak
    memory is the output plus a few buffers of :func:`block_rows_for` rows,
    whatever ``n``.

    Parameters
    ----------
    x : (n, p) float, or a sequence of runs of columns, (k, n) each, p in all
        Item codes, NaN where not answered. Runs (real numbers of any dtype) are
        copied block by block into the kernel's layout (items by rows) as they are
        scored: a frame assembled from several blocks is read without first
        interleaving it into one array.
    membership : (p, s) bool
        Item ``j`` belongs to scale ``k``.
    reverse : (p,) bool
        Item ``j`` is reverse-keyed.
    low, high : (p,) float
        Declared range of each item.
    integer : (p,) bool
        Items whose codes must be whole numbers.
    required : (s,) float
        Least number of answered items a score needs (whole numbers).
    multiplier : (s,) float
        1 for a mean score, the number of items for a prorated sum.
    nonsubstantive : (p, m) float, optional
        Codes that mean "no answer" per item, padded with NaN.
    answered : bool
        Also return the answered counts.

    Returns
    -------
    ScaleScores
    """
    compiled = native.get()
    if compiled is not None:
        return _score_compiled(
            compiled, x, membership, reverse, low, high, integer, required, multiplier,
            nonsubstantive, answered=answered,
        )  # fmt: skip
    matrix, columns = (x, None) if isinstance(x, np.ndarray) else (None, list(x))
    if matrix is not None:
        n, p = matrix.shape
    else:
        n = columns[0].shape[1] if columns else 0
        p = sum(run.shape[0] for run in columns or ())
    s = membership.shape[1]
    rows = min(block_rows_for(p), max(n, 1))
    rule = _Rule(
        member=np.ascontiguousarray(membership.T, dtype=np.float64),
        reverse=reverse.astype(np.float64),
        low=low,
        high=high,
        integer=integer,
        required=required,
        multiplier=None if np.all(multiplier == 1.0) else multiplier[:, None],
        rows=rows,
    )
    digits = _PackedSums.digit_bits(rule.member, low, high) if integer.all() else None
    scores = np.empty((s, n))
    counts_out = np.empty((s, n), dtype=np.int64) if answered else None
    codes = None
    mask_always = False
    if nonsubstantive is not None and not np.all(np.isnan(nonsubstantive)):
        codes = nonsubstantive
        # Codes outside the declared range (the loader's rule) can only be in a block
        # that fails the range check; codes inside it are masked in every block.
        mask_always = bool(((codes >= low[:, None]) & (codes <= high[:, None])).any())

    def run(first: int, last: int) -> tuple[np.ndarray, np.ndarray, bool]:
        """Score rows ``first:last`` block by block with buffers of its own."""
        engine = _MaskedSums(rule) if digits is None else _PackedSums(rule, digits)
        below = np.zeros(s, dtype=np.int64)
        counts_ns = np.zeros(p, dtype=np.int64)
        if codes is not None:
            clean = np.empty((p, rows))
            clean_flags = np.empty((p, rows), dtype=bool)
        if columns is not None:
            gathered = np.empty((p, rows))
        with np.errstate(invalid="ignore", divide="ignore"):
            for start in range(first, last, rows):
                stop = min(start + rows, last)
                b = stop - start
                if matrix is not None:
                    xb = matrix[start:stop].T
                else:
                    xb = gathered[:, :b]
                    first = 0
                    for run in columns or ():  # one per stored block, usually
                        xb[first : first + run.shape[0]] = run[:, start:stop]
                        first += run.shape[0]
                if codes is not None and (mask_always or not _in_range(xb, low, high)):
                    xb = _mask_nonsubstantive(
                        xb, codes, clean[:, :b], clean_flags[:, :b], counts_ns
                    )
                block_below = engine.block(
                    xb,
                    scores[:, start:stop],
                    None if counts_out is None else counts_out[:, start:stop],
                )
                if block_below is None:
                    return below, counts_ns, False
                below += block_below
        return below, counts_ns, True

    # numpy's elementwise work and the matrix products release the GIL, so contiguous
    # shares of the rows are scored in parallel threads, each with its own buffers;
    # every row is scored by the same arithmetic, so the result does not depend on it.
    return _in_shares(run, n, rows, scores, counts_out)


def _in_shares(
    run: Callable[[int, int], tuple[np.ndarray, np.ndarray, bool]],
    n: int,
    rows: int,
    scores: np.ndarray,
    counts_out: np.ndarray | None,
) -> ScaleScores:
    """Score contiguous shares of whole blocks in parallel threads (one for small n).

    ``run(first, last)`` scores its rows into ``scores`` and returns the respondents
    below the minimum, the non-substantive counts and whether every code was in range.
    """
    shares = _thread_shares(n, rows)
    if len(shares) == 1:
        parts = [run(*shares[0])]
    else:
        with ThreadPoolExecutor(max_workers=len(shares)) as pool:
            parts = list(pool.map(lambda share: run(*share), shares))
    below = np.sum([part[0] for part in parts], axis=0)
    found = np.sum([part[1] for part in parts], axis=0)
    return ScaleScores(scores, counts_out, below, found, all(part[2] for part in parts))


#: Most rows per tile of the compiled kernel (``TILE`` in ``_native.c``): its sums,
#: counts and checks of one tile stay in the first-level cache.
COMPILED_TILE = 1024


def _item_columns(x: np.ndarray | Sequence[np.ndarray]) -> list[np.ndarray]:
    """One contiguous float64 or float32 array per item, copied only when it is not one.

    The columns of a DataFrame's float block (the runs' rows, or the columns of the
    Fortran-ordered matrix ``to_numpy`` gives for one block) are used in place.
    """
    if isinstance(x, np.ndarray):
        rows_of = [x[:, j] for j in range(x.shape[1])]  # one view per item (a few dozen)
    else:
        rows_of = [row for run in x for row in run]
    return [
        c if c.dtype in (np.float64, np.float32) and c.flags.c_contiguous
        else np.ascontiguousarray(c, dtype=np.float32 if c.dtype == np.float32 else np.float64)
        for c in rows_of
    ]  # fmt: skip


def _score_compiled(
    compiled: ModuleType,
    x: np.ndarray | Sequence[np.ndarray],
    membership: np.ndarray,
    reverse: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    integer: np.ndarray,
    required: np.ndarray,
    multiplier: np.ndarray,
    nonsubstantive: np.ndarray | None,
    *,
    answered: bool,
) -> ScaleScores:
    """:func:`score_matrix` by the compiled kernel: each value is read once.

    It adds every item's keyed code ``offset + sign x`` (``low + high - x`` when
    reversed) and 1 per answered item to its scales' sums and counts, checks the range
    and whole numbers in the same loop, and treats non-substantive codes as not
    answered, tile by tile of rows. The sums of whole-number codes are exact, so the
    scores equal the numpy kernels' to the last bit.
    """
    columns = _item_columns(x)
    p, s = membership.shape
    n = columns[0].shape[0] if columns else 0
    items = np.column_stack(
        [np.where(reverse, low + high, 0.0), np.where(reverse, -1.0, 1.0), low, high, integer]
    ).astype(np.float64)
    member_of, item_of = np.nonzero(membership.T)  # scale by scale, items in order
    scale_ptr = np.searchsorted(member_of, np.arange(s + 1)).astype(np.int64)
    rules = np.column_stack([required, multiplier]).astype(np.float64)
    codes = None
    if nonsubstantive is not None and not np.all(np.isnan(nonsubstantive)):
        codes = np.ascontiguousarray(nonsubstantive, dtype=np.float64)
    scores = np.empty((s, n))
    counts_out = np.empty((s, n), dtype=np.int64) if answered else None
    tile = min(COMPILED_TILE, block_rows_for(p))

    def run(first: int, last: int) -> tuple[np.ndarray, np.ndarray, bool]:
        below = np.zeros(s, dtype=np.int64)
        found = np.zeros(p, dtype=np.int64)
        ok = compiled.score_rows(
            columns, items, codes, scale_ptr, item_of.astype(np.int64), rules, first, last,
            scores, counts_out, below, found, tile,
        )  # fmt: skip
        return below, found, bool(ok)

    # The kernel releases the GIL: contiguous shares of the rows run in parallel threads.
    return _in_shares(run, n, tile, scores, counts_out)


def _thread_shares(n: int, rows: int) -> list[tuple[int, int]]:
    """Contiguous row ranges of whole blocks, one per thread (one range for small n)."""
    blocks = -(-n // rows) if n else 1
    if blocks < 16:  # too little work to share (and counting the CPUs is not free)
        return [(0, n)]
    threads = max(1, min(usable_cpus(), 8, blocks // 8))
    per = -(-blocks // threads) * rows
    return [(start, min(start + per, n)) for start in range(0, n, per)] or [(0, n)]


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
