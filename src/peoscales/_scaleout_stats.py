"""Reliability, descriptives and frequency tables of data larger than memory, with dask.

Each function reads every partition once, reduces it to sufficient statistics that
combine exactly (moments, minima and maxima, counts), merges those in a tree, and
finishes with the code of the in-memory function, so the results equal
:func:`peoscales.reliability`, :func:`peoscales.describe` and
:func:`peoscales.frequency_table` on the whole data set (to rounding).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Hashable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import numpy as np
import pandas as pd

from peoscales._kernels import reliability as _k
from peoscales._kernels.correlation import (
    PearsonMoments,
    merge_pearson_moments,
    pearson_from_moments,
    pearson_moments,
)
from peoscales._kernels.groups import MAD_CONSTANT
from peoscales._reliability.display import Missing
from peoscales._reliability.items import (
    _check_answered,
    _check_pairs,
    _constant_from_spread,
    _item_sets,
)
from peoscales._reliability.results import ReliabilityResult, ScaleReliability
from peoscales._reliability.scale import (
    _check_common,
    _check_respondents,
    _ItemMoments,
    _scale_from_matrices,
)
from peoscales._scaleout import (
    _check_reduction,
    _compute,
    _dask_frame,
    _partition_files,
    _require_dask,
    _tree_reduce,
    _where,
    _with_place,
)
from peoscales._stack import user_stacklevel
from peoscales._validation import generator, numeric_block, preview
from peoscales.errors import MissingDataWarning, ParameterError, PeoscalesError
from peoscales.instruments.model import Instrument

if TYPE_CHECKING:
    from dask.dataframe import DataFrame as DaskDataFrame

    from peoscales._describe import DescribeResult
    from peoscales.peo.tables import FrequencyTable
    from peoscales.peo.tables.common import PercentOf, Rounding
    from peoscales.peo.tables.groupings import GroupingSpec

__all__ = ["describe_dask", "frequency_table_dask", "reliability_dask"]


class _Named:
    """A partition's function whose failure names the file (or partition) it came from.

    A class rather than a closure: worker processes unpickle it by reference.
    """

    def __init__(self, function: Any) -> None:
        self.function = function

    def __call__(self, part: pd.DataFrame, *args: Any, number: int, files: Any, **kw: Any) -> Any:
        try:
            return self.function(part, *args, **kw)
        except (PeoscalesError, KeyError) as exc:
            raise _with_place(exc, _where(files, number)) from None

    def __dask_tokenize__(self) -> tuple[str, str]:
        return (self.function.__module__, self.function.__qualname__)


# --- reliability ---------------------------------------------------------------------------
class _Block(NamedTuple):
    """Sufficient statistics of one item block (a scale) over some rows."""

    moments: PearsonMoments
    #: (k,) smallest and largest answer of each item over the rows used (inf/-inf: none).
    low: np.ndarray
    high: np.ndarray
    #: (k,) answers of each item over all rows (for the "no answers at all" check).
    answered: np.ndarray
    n_used: int
    n_excluded: int


def _block(x: np.ndarray, listwise: bool) -> _Block:
    answered = ~np.isnan(x)
    keep = answered.all(axis=1) if listwise else answered.any(axis=1)
    used = x[keep] if listwise else x  # rows without answers add nothing to pairwise moments
    return _Block(
        moments=pearson_moments(used),
        low=np.fmin.reduce(used, axis=0, initial=np.inf),
        high=np.fmax.reduce(used, axis=0, initial=-np.inf),
        answered=answered.sum(axis=0),
        n_used=int(keep.sum()),
        n_excluded=int((~keep).sum()),
    )


def _merge_blocks(*blocks: _Block) -> _Block:
    return _Block(
        moments=functools.reduce(merge_pearson_moments, (b.moments for b in blocks)),
        low=functools.reduce(np.fmin, (b.low for b in blocks)),
        high=functools.reduce(np.fmax, (b.high for b in blocks)),
        answered=sum((b.answered for b in blocks), start=np.zeros_like(blocks[0].answered)),
        n_used=sum(b.n_used for b in blocks),
        n_excluded=sum(b.n_excluded for b in blocks),
    )


def _reliability_blocks(
    part: pd.DataFrame,
    selection: tuple[Any, ...],
    positions: list[list[int]],
    listwise: bool,
) -> tuple[_Block, ...]:
    """One partition: the item block of every scale (and of all items, for omega_h)."""
    _, x, _ = _item_sets(part, *selection)  # checks codes and ranges, masks non-answers
    return tuple(_block(x[:, pos], listwise) for pos in positions)


def _merge_block_tuples(*parts: tuple[_Block, ...]) -> tuple[_Block, ...]:
    return tuple(_merge_blocks(*blocks) for blocks in zip(*parts))


def _scale_from_block(
    block: _Block,
    sid: str,
    label: str,
    cols: list[Hashable],
    reversed_cols: set[Hashable],
    *,
    ci: Any,
    level: float,
    rng: np.random.Generator,
    missing: str,
) -> ScaleReliability:
    """A scale's statistics from its merged block, as :func:`_scale_reliability` does."""
    if len(cols) < 2:
        raise ParameterError(  # pragma: no cover - _item_sets refuses it on the meta frame
            f"Scale {sid!r} has fewer than two items."
        )
    _check_answered(block.answered > 0, cols, sid)
    _check_respondents(block.n_used, block.n_excluded, sid, missing)
    constant = _constant_from_spread(block.high - block.low, cols, sid)
    pearson = pearson_from_moments(block.moments)
    n_pairs = block.moments.n
    _check_pairs(n_pairs, cols, sid)
    sign = np.array([-1.0 if c in reversed_cols else 1.0 for c in cols])
    signs = np.outer(sign, sign)
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = np.where(n_pairs >= 2, block.moments.comoment / (n_pairs - 1.0), np.nan) * signs
    counts = np.diag(n_pairs).copy()
    items = _ItemMoments(
        n=counts.astype(np.int64), mean=pearson.means, sd=np.sqrt(pearson.variances)
    )
    return _scale_from_matrices(
        cov, pearson.r * signs, sid, label, cols, reversed_cols, n=block.n_used,
        n_excluded=block.n_excluded, constant=constant, item_moments=items, ci=ci,
        level=level, rng=rng, missing=missing, ordinal=False,
    )  # fmt: skip


def reliability_dask(
    ddf: DaskDataFrame,
    instrument: str | Instrument | Sequence[str | Instrument] | None = None,
    *,
    scales: Sequence[str] | str | None = None,
    items: Sequence[Hashable] | Mapping[str, Sequence[Hashable]] | None = None,
    columns: Mapping[str, Hashable] | Literal["order"] | None = None,
    reverse: Sequence[Hashable] | None = None,
    ci_method: Literal["feldt"] | None = "feldt",
    confidence: float = 0.95,
    seed: int | np.random.Generator | None = None,
    missing: Missing = "pairwise",
    split_every: int = 8,
    progress: bool = False,
) -> ReliabilityResult:
    """Reliability and item analysis of each scale of a dask DataFrame, in one pass.

    Every statistic of :func:`peoscales.reliability` follows from each scale's item
    covariances and correlations, its item means, the number of respondents and the
    range of each item; each partition contributes these as sums that combine exactly,
    so the result equals ``reliability`` on the whole data set (to rounding).

    Parameters
    ----------
    ddf : dask DataFrame
        One row per respondent, item codes in columns. Not modified.
    instrument, scales, items, columns, reverse, missing
        As for :func:`peoscales.reliability`.
    ci_method : {"feldt", None}
        Feldt's interval for alpha, or none. A bootstrap resamples respondents, which
        needs all rows in one place (a ``ParameterError`` says so).
    confidence : float, default 0.95
        Confidence level of the interval.
    seed : int or Generator, optional
        Seed for the random split halves.
    split_every : int, default 8
        How many partitions are combined in one step of the tree reduction.
    progress : bool, default False
        Show dask's progress bar while the partitions are read.

    Returns
    -------
    ReliabilityResult
        As :func:`peoscales.reliability` gives (without bootstrap replicates).

    Raises
    ------
    ImportError
        dask is not installed (``pip install "peoscales[dask]"``).
    DataTypeError
        ``ddf`` is not a dask DataFrame, or a partition holds text in an item column.
    MissingColumnsError, ParameterError
        At once: absent item columns, unknown scales or options; ``ci_method="bootstrap"``
        or ``ordinal`` (polychoric) reliability.
    OutOfRangeError
        A code outside the declared range (the message names the file or partition).
    InsufficientDataError
        As for :func:`peoscales.reliability`.

    Warns
    -----
    ReverseKeyWarning, ConstantColumnWarning
        As :func:`peoscales.reliability`, once for the whole data set.

    Notes
    -----
    Per scale each partition gives the pairwise moments of its items (count, means,
    sums of squared deviations and co-moments over the rows where both items of a pair
    are answered), merged exactly by the formulas of Chan, Golub & LeVeque (1979) as in
    :func:`peoscales.corr_matrix_dask`, plus each item's smallest and largest answer
    and the rows used and left out. The pairwise covariance is
    :math:`C_{ij} / (n_{ij} - 1)` and the correlation
    :math:`C_{ij} / \\sqrt{M_{i|j} M_{j|i}}` (R's ``use = "pairwise"``); a reverse-keyed
    item enters as its negation (its row and column change sign). Alpha, standardised
    alpha, lambda-6, the item statistics, omega and the split halves then follow from
    these matrices exactly as in :func:`peoscales.reliability` (whose formulas and
    references apply; it agrees with ``psych::alpha``). With several scales of one
    instrument, omega hierarchical uses the moments of all its items.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import peoscales
    >>> answers = peoscales.simulate("brs", 400, seed=1)
    >>> res = peoscales.reliability_dask(dd.from_pandas(answers, npartitions=4), "brs")
    >>> whole = peoscales.reliability(answers, "brs")
    >>> bool(abs(res["brs"].alpha - whole["brs"].alpha) < 1e-12)
    True
    >>> res.table()[["k", "n", "alpha"]].round(3)
           k    n  alpha
    scale
    brs    6  400  0.812
    """
    dd = _require_dask("reliability_dask")
    meta = _dask_frame(dd, ddf, "reliability_dask", "reliability")
    if ci_method == "bootstrap":
        raise ParameterError(
            "ci_method='bootstrap' is not available in reliability_dask: a bootstrap "
            "resamples respondents, which needs all rows in one place. Use "
            "ci_method='feldt', or peoscales.reliability on data that fit in memory (or on "
            "a sample read with ddf.sample(frac=...).compute())."
        )
    ci, level, _, missing, _ = _check_common(ci_method, confidence, 1000, missing, False)
    _check_reduction(split_every, progress)
    rng = generator(seed)
    selection = (instrument, scales, items, columns, reverse)
    # The item sets from the column names and types alone: options fail at once.
    sets, _, all_cols = _item_sets(meta, *selection)
    position = {c: j for j, c in enumerate(all_cols)}
    positions = [[position[c] for c in cols] for _, _, cols, _ in sets]
    one_instrument = (
        instrument is None
        or isinstance(instrument, (str, Instrument))
        or (isinstance(instrument, Sequence) and len(instrument) == 1)
    )
    every = [c for _, _, cs, _ in sets for c in cs]
    with_general = len(sets) >= 2 and one_instrument and len(set(every)) == len(every)
    if with_general:
        positions.append([position[c] for c in every])
    total = _tree_reduce(
        ddf, _Named(_reliability_blocks), _merge_block_tuples, split_every, selection,
        positions, missing == "listwise", files=_partition_files(ddf),
    )  # fmt: skip
    blocks = _compute(total, progress)
    results = {
        sid: _scale_from_block(
            block, sid, label, cols, rev, ci=ci, level=level, rng=rng, missing=missing
        )
        for (sid, label, cols, rev), block in zip(sets, blocks)
    }
    omega_h = omega_t_all = float("nan")
    general = None
    if with_general:
        rev_all = set().union(*(r for _, _, _, r in sets))
        found = _general_factor(blocks[-1], every, rev_all, len(sets))
        if found is not None:
            omega_h, omega_t_all, loadings = found
            general = pd.Series(loadings, index=pd.Index(every, name="item"), name="g")
    return ReliabilityResult(
        scales=MappingProxyType(results),
        omega_hierarchical=omega_h,
        omega_total_all=omega_t_all,
        general_loadings=general,
    )


def _general_factor(
    block: _Block, cols: list[Hashable], reversed_cols: set[Hashable], n_factors: int
) -> tuple[float, float, np.ndarray] | None:
    """Omega hierarchical from all items' moments, under the conditions of ``reliability``."""
    if block.n_used < 2 or not (block.high - block.low > 0).all():
        return None
    sign = np.array([-1.0 if c in reversed_cols else 1.0 for c in cols])
    corr = pearson_from_moments(block.moments).r * np.outer(sign, sign)
    if not np.isfinite(corr).all():
        return None
    omega_h, omega_t, loadings, _ = _k.omega_hierarchical(corr, n_factors)
    return omega_h, omega_t, loadings


# --- descriptives --------------------------------------------------------------------------
class _Describe(NamedTuple):
    """Per column: count, missing, mean, central moment sums, range, value counts."""

    n: np.ndarray
    missing: np.ndarray
    #: The mean as ``shift + offset``: ``shift`` a value of the column, ``offset`` small.
    #: Differences of means are then formed without losing the digits of a large
    #: common offset (a column of 1e6 + x), as in the correlation moments.
    shift: np.ndarray
    offset: np.ndarray
    m2: np.ndarray
    m3: np.ndarray
    m4: np.ndarray
    low: np.ndarray
    high: np.ndarray
    #: Value counts as three aligned arrays sorted by (column, value), or None for a
    #: column with more distinct values than the limit (``too_many``).
    column: np.ndarray
    value: np.ndarray
    tally: np.ndarray
    too_many: np.ndarray


def _value_counts(
    x: np.ndarray, limit: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(column, value, count) of every distinct answered value, sorted by column then
    value, and the columns with more than ``limit`` distinct values (left out)."""
    p = x.shape[1]
    ordered = np.sort(x.T, axis=1)  # NaN last in each column
    valid = ~np.isnan(ordered)
    new = valid.copy()
    new[:, 1:] &= ordered[:, 1:] != ordered[:, :-1]
    column, start = np.nonzero(new)
    # A run of equal values ends where the next one of its column starts, or at the
    # column's last answered value.
    same_column = np.r_[column[1:] == column[:-1], False]
    ends = np.where(same_column, np.r_[start[1:], 0], valid.sum(axis=1)[column])
    distinct = np.bincount(column, minlength=p)
    too_many = distinct > limit
    keep = ~too_many[column]
    count = (ends - start)[keep].astype(np.int64)
    return column[keep], ordered[column[keep], start[keep]], count, too_many


def _describe_chunk(part: pd.DataFrame, cols: list[Hashable], limit: int) -> _Describe:
    x = numeric_block(part, cols)
    valid = ~np.isnan(x)
    n = valid.sum(axis=0).astype(np.float64)
    column, value, count, too_many = _value_counts(x, limit)
    has = n > 0
    low = np.fmin.reduce(x, axis=0, initial=np.inf)
    high = np.fmax.reduce(x, axis=0, initial=-np.inf)
    shift = np.where(has, low, 0.0)  # a value of the column, near its others
    centred = np.where(valid, x - shift, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        offset = np.where(has, centred.sum(axis=0) / n, 0.0)
    dev = np.where(valid, centred - offset, 0.0)
    sq = dev * dev
    return _Describe(
        n=n,
        missing=(~valid).sum(axis=0).astype(np.float64),
        shift=shift,
        offset=offset,
        m2=sq.sum(axis=0),
        m3=np.einsum("ij,ij->j", sq, dev),
        m4=np.einsum("ij,ij->j", sq, sq),
        low=low,
        high=high,
        column=column,
        value=value,
        tally=count,
        too_many=too_many,
    )


def _merge_two(a: _Describe, b: _Describe, limit: int) -> _Describe:
    """Two sets of rows combined exactly (Pébay, 2008, eqs. 2.1-2.4 for M2 to M4)."""
    n = a.n + b.n
    with np.errstate(invalid="ignore", divide="ignore"):
        wa = np.where(n > 0, a.n / n, 0.0)
        wb = np.where(n > 0, b.n / n, 0.0)
    shift = np.where(a.n > 0, a.shift, b.shift)
    # b's mean about a's shift: the difference of two shifts near each other is exact.
    offset_b = (b.shift - shift) + b.offset
    offset_a = np.where(a.n > 0, a.offset, 0.0)
    delta = np.where((a.n > 0) & (b.n > 0), offset_b - offset_a, 0.0)
    d2 = delta * delta
    ab = a.n * wb  # n_a n_b / n
    m2 = a.m2 + b.m2 + d2 * ab
    m3 = a.m3 + b.m3 + d2 * delta * ab * (wa - wb) + 3.0 * delta * (wa * b.m2 - wb * a.m2)
    m4 = (
        a.m4
        + b.m4
        + d2 * d2 * ab * (wa * wa - wa * wb + wb * wb)
        + 6.0 * d2 * (wa * wa * b.m2 + wb * wb * a.m2)
        + 4.0 * delta * (wa * b.m3 - wb * a.m3)
    )
    too_many = a.too_many | b.too_many
    column = np.concatenate([a.column, b.column])
    value = np.concatenate([a.value, b.value])
    count = np.concatenate([a.tally, b.tally])
    if column.size:  # add up the counts of equal (column, value) pairs
        order = np.lexsort((value, column))
        column, value, count = column[order], value[order], count[order]
        new = np.r_[True, (column[1:] != column[:-1]) | (value[1:] != value[:-1])]
        count = np.bincount(np.cumsum(new) - 1, weights=count).astype(np.int64)
        column, value = column[new], value[new]
    too_many |= np.bincount(column, minlength=too_many.size) > limit
    keep = ~too_many[column]
    return _Describe(
        n=n,
        missing=a.missing + b.missing,
        shift=shift,
        offset=np.where(a.n > 0, offset_a + delta * wb, offset_b),
        m2=m2,
        m3=m3,
        m4=m4,
        low=np.fmin(a.low, b.low),
        high=np.fmax(a.high, b.high),
        column=column[keep],
        value=value[keep],
        tally=count[keep],
        too_many=too_many,
    )


def _merge_describe(*parts: _Describe, limit: int) -> _Describe:
    return functools.reduce(lambda a, b: _merge_two(a, b, limit), parts)


def _at_ranks(
    column: np.ndarray, value: np.ndarray, count: np.ndarray, ranks: np.ndarray
) -> np.ndarray:
    """The value at 0-based rank ``ranks[j]`` of each column ``j`` (NaN where it has none),
    from value counts sorted by (column, value)."""
    p = ranks.size
    per_column = np.bincount(column, weights=count, minlength=p)
    before = np.r_[0.0, np.cumsum(per_column)[:-1]]  # values of the earlier columns
    ends = np.cumsum(count)
    wanted = before + ranks
    found = np.searchsorted(ends, wanted, side="right")
    ok = (per_column > 0) & (ranks >= 0) & (ranks < per_column)
    out = np.full(p, np.nan)
    out[ok] = value[found[ok]]
    return out


def _order_statistics(total: _Describe, trim: float = 0.1) -> dict[str, np.ndarray]:
    """Median, trimmed mean and MAD from the merged value counts (R's definitions)."""
    n = total.n
    lo, hi = (n - 1) // 2, n // 2
    column, value, count = total.column, total.value, total.tally
    median = 0.5 * (_at_ranks(column, value, count, lo) + _at_ranks(column, value, count, hi))
    # R's mean(x, trim): the values of ranks cut .. n - cut - 1, cut = floor(n * trim).
    cut = np.floor(n * trim)
    p = n.size
    per_column = np.bincount(column, weights=count, minlength=p)
    before = np.r_[0.0, np.cumsum(per_column)[:-1]]
    ends = np.cumsum(count) - before[column]
    starts = ends - count
    kept = np.clip(np.minimum(ends, (n - cut)[column]) - np.maximum(starts, cut[column]), 0, None)
    with np.errstate(invalid="ignore", divide="ignore"):
        trimmed = np.bincount(column, weights=value * kept, minlength=p) / (n - 2 * cut)
        deviation = np.abs(value - median[column])
    order = np.lexsort((deviation, column))
    mad = 0.5 * (
        _at_ranks(column[order], deviation[order], count[order], lo)
        + _at_ranks(column[order], deviation[order], count[order], hi)
    )
    blank = total.too_many | (n == 0)
    return {
        "median": np.where(blank, np.nan, median),
        "trimmed": np.where(blank, np.nan, trimmed),
        "mad": np.where(blank, np.nan, MAD_CONSTANT * mad),
    }


def describe_dask(
    ddf: DaskDataFrame,
    columns: Sequence[Hashable] | Hashable | None = None,
    *,
    max_distinct: int = 100_000,
    split_every: int = 8,
    progress: bool = False,
) -> DescribeResult:
    """Describe the numeric columns of a dask DataFrame, as :func:`peoscales.describe`.

    One pass over the data: each partition contributes, per column, the count, the
    mean and the sums of squared, cubed and fourth-power deviations (which combine
    exactly), the smallest and largest value, and its value counts, from which the
    median, trimmed mean and MAD follow exactly.

    Parameters
    ----------
    ddf : dask DataFrame
        Not modified.
    columns : column name or list of them, optional
        Default: every numeric column.
    max_distinct : int, default 100,000
        Most distinct values per column for which value counts are kept. The median,
        trimmed mean and MAD need them; a column with more (a continuous measure over
        millions of rows) gets NaN for these three, with a warning. Answer codes and
        scale scores have few distinct values.
    split_every : int, default 8
        How many partitions are combined in one step of the tree reduction.
    progress : bool, default False
        Show dask's progress bar while the partitions are read.

    Returns
    -------
    DescribeResult
        The table of :func:`peoscales.describe` (n, missing, mean, sd, median, trimmed,
        mad, min, max, range, skew, kurtosis, se).

    Raises
    ------
    ImportError
        dask is not installed.
    DataTypeError
        ``ddf`` is not a dask DataFrame, or a column holds text.
    MissingColumnsError
        A column is absent.
    NonFiniteValueError
        Infinite values, or values of extreme magnitude (beyond 1e150): partitions are
        merged in the data's own unit, which ``describe``'s exact rescaling cannot follow.

    Warns
    -----
    MissingDataWarning
        A column has more than ``max_distinct`` distinct values: its median, trimmed
        mean and MAD are NaN.

    Notes
    -----
    Two sets of rows :math:`a` and :math:`b` with :math:`n = n_a + n_b`,
    :math:`\\delta = \\bar x_b - \\bar x_a` and :math:`M_p = \\sum (x - \\bar x)^p`
    combine as (Pébay, 2008)

    .. math::

        M_2 &= M_{2,a} + M_{2,b} + \\delta^2 \\frac{n_a n_b}{n}, \\\\
        M_3 &= M_{3,a} + M_{3,b} + \\delta^3 \\frac{n_a n_b (n_a - n_b)}{n^2}
              + 3\\delta \\frac{n_a M_{2,b} - n_b M_{2,a}}{n}, \\\\
        M_4 &= M_{4,a} + M_{4,b} + \\delta^4 \\frac{n_a n_b (n_a^2 - n_a n_b + n_b^2)}{n^3}
              + 6\\delta^2 \\frac{n_a^2 M_{2,b} + n_b^2 M_{2,a}}{n^2}
              + 4\\delta \\frac{n_a M_{3,b} - n_b M_{3,a}}{n},

    from which sd, skew and kurtosis are those of :func:`peoscales.describe`
    (``psych::describe``, ``type = 3``). Value counts add up across partitions; the
    median, the 10 % trimmed mean (R's ``mean(x, trim = .1)``) and the MAD
    (:math:`1.4826` times the median absolute deviation from the median) are read
    from the cumulative counts at the ranks R uses.

    Reference: Pébay, P. (2008). *Formulas for robust, one-pass parallel computation of
    covariances and arbitrary-order statistical moments* (SAND2008-6212). Sandia
    National Laboratories.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> import peoscales
    >>> df = pd.DataFrame({"brs": [3.2, 3.8, None, 4.1, 2.5, 3.5], "age": [31, 45, 28, 52, 39, 40]})
    >>> res = peoscales.describe_dask(dd.from_pandas(df, npartitions=3))
    >>> res.to_frame()[["n", "missing", "mean", "median"]].round(3)
              n  missing    mean  median
    variable
    brs       5        1   3.420    3.50
    age       6        0  39.167    39.50
    """
    from peoscales._describe import STATISTICS, DescribeResult, _chosen_columns

    dd = _require_dask("describe_dask")
    meta = _dask_frame(dd, ddf, "describe_dask", "describe")
    if isinstance(max_distinct, bool) or not isinstance(max_distinct, int) or max_distinct < 1:
        raise ParameterError(
            f"max_distinct must be a whole number of 1 or more, got {max_distinct!r}."
        )
    _check_reduction(split_every, progress)
    cols = _chosen_columns(meta, columns, None)
    numeric_block(meta, cols)  # text columns known from the dtypes fail now
    merge = functools.partial(_merge_describe, limit=max_distinct)
    total = _tree_reduce(
        ddf[cols], _Named(_describe_chunk), merge, split_every, cols, max_distinct,
        files=_partition_files(ddf),
    )  # fmt: skip
    merged: _Describe = _compute(total, progress)
    if merged.too_many.any():
        many = [c for c, bad in zip(cols, merged.too_many) if bad]
        warnings.warn(
            f"Column(s) {preview(many)} have more than max_distinct={max_distinct:,} "
            "distinct values, so their median, trimmed mean and MAD are not computed "
            "(NaN). Raise max_distinct if their value counts fit in memory, or describe a "
            "sample in memory.",
            MissingDataWarning,
            stacklevel=user_stacklevel(),
        )
    n = merged.n
    with np.errstate(invalid="ignore", divide="ignore"):
        var = np.where(n > 1, merged.m2 / (n - 1), np.nan)
        sd = np.sqrt(var)
        has = n > 0
        low = np.where(has, merged.low, np.nan)
        high = np.where(has, merged.high, np.nan)
        stats = {
            "n": n,
            "missing": merged.missing,
            "mean": np.where(has, merged.shift + merged.offset, np.nan),
            "sd": sd,
            **_order_statistics(merged),
            "min": low,
            "max": high,
            "range": high - low,
            "skew": merged.m3 / (n * sd**3),
            "kurtosis": merged.m4 / (n * var**2) - 3.0,
            "se": sd / np.sqrt(n),
        }
    table = pd.DataFrame({k: stats[k] for k in STATISTICS}, index=pd.Index(cols, name="variable"))
    table = table.astype({"n": np.int64, "missing": np.int64})
    return DescribeResult(table=table, by=None, n_excluded=0)


# --- frequency tables ----------------------------------------------------------------------
class _Counts(NamedTuple):
    counts: np.ndarray
    negative: dict[int, int]
    n_rows: int
    n_ungrouped: int


def _count_chunk(part: pd.DataFrame, item: Hashable, answers_of: Any) -> _Counts:
    ans = answers_of(part)
    counts, negative = ans.count(len(ans.labels))
    return _Counts(counts, dict(negative), len(part), int(ans.n_ungrouped))


def _merge_counts(*parts: _Counts) -> _Counts:
    negative: dict[int, int] = {}
    for part in parts:
        for code, k in part.negative.items():
            negative[code] = negative.get(code, 0) + k
    return _Counts(
        sum((p.counts for p in parts[1:]), start=parts[0].counts.copy()),
        negative,
        sum(p.n_rows for p in parts),
        sum(p.n_ungrouped for p in parts),
    )


def frequency_table_dask(
    ddf: DaskDataFrame,
    item: Hashable,
    *,
    codebook: Instrument | str | None = None,
    percent_of: PercentOf = "valid",
    grouping: GroupingSpec | None = None,
    lang: str = "nl",
    rounding: Rounding = None,
    decimals: int = 0,
    min_group_size: int | None = 5,
    descending: bool = False,
    sort: Literal["descending", "ascending"] | None = None,
    split_every: int = 8,
    progress: bool = False,
) -> FrequencyTable:
    """Counts and percentages of the answers to one item of a dask DataFrame.

    The same table as :func:`peoscales.frequency_table` on the whole data set: each
    partition counts its answers (and its missing and not-asked rows), and the counts
    are added up.

    Parameters
    ----------
    ddf : dask DataFrame
        Coded survey data (one row per respondent). Not modified.
    item, codebook, percent_of, grouping, lang, rounding, decimals, min_group_size, descending, sort
        As for :func:`peoscales.frequency_table`. Without a codebook the column must be
        categorical with known categories (``ddf[item].astype("category")
        .cat.as_known()``), so that every partition has the same answers.
    split_every : int, default 8
        How many partitions are combined in one step of the tree reduction.
    progress : bool, default False
        Show dask's progress bar while the partitions are read.

    Returns
    -------
    FrequencyTable

    Raises
    ------
    ImportError
        dask is not installed.
    DataTypeError
        ``ddf`` is not a dask DataFrame.
    MissingColumnsError
        ``item`` is not a column.
    ParameterError
        No codebook and a column whose categories dask does not know.
    UnknownLabelError, OutOfRangeError
        A partition holds answers the codebook does not know (the message names the
        file or partition).

    Notes
    -----
    With :math:`n_j = \\sum_k n_{jk}` the respondents giving answer :math:`j` summed
    over partitions :math:`k`, the percentages are those of
    :func:`peoscales.frequency_table`: :math:`p_j = 100\\,n_j / B` on base :math:`B`.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> import peoscales
    >>> mood = pd.Series(["good", "good", "bad", None, "good"], dtype="category")
    >>> ddf = dd.from_pandas(pd.DataFrame({"mood": mood}), npartitions=2)
    >>> ft = peoscales.frequency_table_dask(ddf, "mood", min_group_size=None)
    >>> ft.to_frame()[["n", "percent"]].round(1)
                   n  percent
    mood
    bad            1     25.0
    good           3     75.0
    Geen antwoord  1      NaN
    Niet gevraagd  0      NaN
    """
    from peoscales.peo.tables.answers import _answers, _codebook_or_wave, _resolve_codebook
    from peoscales.peo.tables.frequency import _frequency_from_counts, _frequency_options

    dd = _require_dask("frequency_table_dask")
    meta = _dask_frame(dd, ddf, "frequency_table_dask", "frequency_table")
    lang, threshold = _frequency_options(percent_of, rounding, lang, decimals, min_group_size, sort)
    _check_reduction(split_every, progress)
    book = _resolve_codebook(_codebook_or_wave(codebook, meta))
    answers_of = functools.partial(
        _answers, item=item, codebook=book, lang=lang, grouping=grouping, reverse=bool(descending)
    )
    ans = answers_of(meta)  # checks the item and the grouping now; gives the labels
    if book is None or str(item) not in book.items:
        dtype = meta[item].dtype if item in meta.columns else None
        if not (isinstance(dtype, pd.CategoricalDtype) and ddf[item].cat.known):
            raise ParameterError(
                f"frequency_table_dask needs a codebook for item={item!r}, or a categorical "
                "column whose categories dask knows, so that every partition counts the "
                "same answers. Give codebook=..., or convert the column first: "
                f"ddf[{item!r}] = ddf[{item!r}].astype('category').cat.as_known()."
            )
    total = _tree_reduce(
        ddf, _Named(_count_chunk), _merge_counts, split_every, item, answers_of,
        files=_partition_files(ddf),
    )  # fmt: skip
    merged: _Counts = _compute(total, progress)
    return _frequency_from_counts(
        ans, merged.counts, merged.negative, merged.n_rows, merged.n_ungrouped,
        percent_of=percent_of, rounding=rounding, decimals=decimals, threshold=threshold,
        lang=lang, sort=sort,
    )  # fmt: skip
