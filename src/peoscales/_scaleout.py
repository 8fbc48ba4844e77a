"""Scoring and correlations for data larger than memory, with dask.

:func:`score_dask` scores a dask DataFrame partition by partition and stays lazy;
:func:`corr_matrix_dask` computes pairwise Pearson correlations from moments that each
partition contributes and that combine exactly, so the result equals
:func:`peoscales.corr_matrix` on the whole data set. dask is an optional dependency
(``pip install "peoscales[dask]"``) and is imported only when these functions are called.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, overload

import numpy as np
import pandas as pd

from peoscales._correlation import (
    ADJUST,
    METHODS,
    MISSING,
    CorrelationResult,
    _columns,
    _correlation_result,
    _numeric,
    _warn_constant,
)
from peoscales._deprecation import renamed_arguments
from peoscales._kernels._blas import single_blas_thread
from peoscales._kernels.correlation import (
    PearsonMoments,
    merge_pearson_moments,
    pearson_from_moments,
    pearson_moments,
)
from peoscales._scoring import Columns, InstrumentLike, score
from peoscales._validation import (
    as_frame,
    check_finite,
    check_option,
    check_probability,
    power_of_two_scales,
    preview,
)
from peoscales.errors import (
    DataTypeError,
    IncompleteScoresWarning,
    InsufficientDataError,
    MissingColumnsError,
    ParameterError,
    PeoscalesError,
)

if TYPE_CHECKING:
    from dask.dataframe import DataFrame as DaskDataFrame
    from dask.delayed import Delayed

__all__ = ["corr_matrix_dask", "score_dask"]

_INSTALL = 'pip install "peoscales[dask]"'

#: Warnings about respondents below the minimum, issued by ``score`` inside a partition,
#: are attributed (stacklevel 2) to this module; they are silenced here and only here,
#: so that a data set of many partitions does not print one warning per partition.
_QUIET_PARTITIONS = {
    "action": "ignore",
    "category": IncompleteScoresWarning,
    "module": r"peoscales\._scaleout\Z",
}
# Also at import, so that worker processes (which import this module to run a
# partition) are quiet too.
warnings.filterwarnings(**_QUIET_PARTITIONS)  # type: ignore[arg-type]


def _require_dask(function: str) -> Any:
    """Import dask.dataframe, or explain how to install it."""
    try:
        import dask.dataframe as dd
    except ImportError as exc:
        raise ImportError(
            f"{function} needs dask, which is not installed; install it with {_INSTALL} "
            "(or pip install 'dask[dataframe]')."
        ) from exc
    return dd


def _dask_frame(dd: Any, ddf: Any, function: str, in_memory: str) -> pd.DataFrame:
    """Check that ``ddf`` is a dask DataFrame; return its (empty) pandas meta frame."""
    if not isinstance(ddf, dd.DataFrame):
        hint = (
            f"use peoscales.{in_memory} for a pandas DataFrame"
            if isinstance(ddf, pd.DataFrame)
            else "read the data with dask.dataframe.read_csv / read_parquet"
        )
        raise DataTypeError(
            f"{function} needs a dask DataFrame, got {type(ddf).__name__}; {hint}, or "
            "convert it with dask.dataframe.from_pandas(data, npartitions=...)."
        )
    return as_frame(ddf._meta)


def _partition_files(ddf: Any) -> list[str | None] | None:
    """The file each partition was read from, for error messages; None when unknown.

    ``dask.dataframe.read_csv`` (and other readers built on ``from_map``) keep, per
    partition, a task whose first argument is the open file. This is dask's internal
    structure, so the look-up is best effort: any surprise gives None, and messages
    then name the partition number only.
    """
    try:
        stack = [ddf.expr]
        while stack:
            node = stack.pop()
            if type(node).__name__.startswith("FromMap"):
                files: list[str | None] = []
                for task in node.operand("iterables")[0]:
                    args = getattr(task, "args", ())
                    # dask's readers: a task whose first argument is the open file;
                    # peoscales.read_csv_dask: a block of a file, which has its path.
                    piece = args[0] if args else task
                    path = getattr(piece, "path", None)
                    files.append(str(path) if path else None)
                return files if len(files) == ddf.npartitions else None
            stack.extend(o for o in getattr(node, "operands", ()) if hasattr(o, "operands"))
    except Exception:  # a diagnosis aid only
        return None
    return None


def _where(files: list[str | None] | None, number: int | None) -> str:
    """'file 'x.csv' (partition 3)' or 'partition 3' for messages."""
    if number is None:
        return "a partition"
    path = files[number] if files is not None and number < len(files) else None
    return f"file {path!r} (partition {number})" if path else f"partition {number}"


def _with_place(exc: Exception, where: str) -> Exception:
    """The same peoscales error with the file or partition in front of its message."""
    kind = type(exc) if isinstance(exc, PeoscalesError) else DataTypeError
    text = str(exc) if isinstance(exc, PeoscalesError) else f"{type(exc).__name__}: {exc}"
    if isinstance(exc, KeyError):
        kind = MissingColumnsError
        text = (
            f"it has no column(s) {exc.args[0] if exc.args else exc}, which the first file has: the files read have "
            "different columns. Read only files of one layout, or select their common "
            "columns"
        )
    elif not isinstance(exc, PeoscalesError):
        text += ". The file may be damaged or not of the same layout as the first one"
    return kind(f"{where}: {text}")


def _score_partition(
    part: pd.DataFrame,
    instrument: InstrumentLike | Sequence[InstrumentLike],
    files: list[str | None] | None = None,
    partition_info: Mapping[str, Any] | None = None,
    **options: Any,
) -> pd.DataFrame:
    # ``score`` warns with stacklevel 2, i.e. from this frame: see _QUIET_PARTITIONS.
    try:
        return score(part, instrument, **options)
    except PeoscalesError as exc:
        # Name the file (or partition): a folder of exports may hold one odd file.
        number = partition_info.get("number") if partition_info else None
        raise _with_place(exc, _where(files, number)) from None


def score_dask(
    ddf: DaskDataFrame,
    instrument: InstrumentLike | Sequence[InstrumentLike],
    *,
    scales: Sequence[str] | str | None = None,
    columns: Columns = None,
    min_valid: int | float | Mapping[str, int | float] | None = None,
    method: Literal["mean", "sum"] | None = None,
    details: bool = False,
) -> DaskDataFrame:
    """Score the scales of one or more instruments in a dask DataFrame, lazily.

    Each partition is scored by :func:`peoscales.score` with the same options, so the
    scores are those of ``score`` on the whole data set. Nothing is computed until the
    result is (``.compute()``, ``.to_parquet(...)``, ...).

    Parameters
    ----------
    ddf : dask DataFrame
        One row per respondent, item codes in columns. Never modified.
    instrument : str, Instrument or list of them
        As for :func:`peoscales.score`.
    scales, columns, min_valid, method
        As for :func:`peoscales.score`.
    details : bool, default False
        Must be False: a :class:`~peoscales.ScoringResult` holds in-memory tables.
        Missing scores are the respondents below the minimum; count them with
        ``scores.isna().sum().compute()``.

    Returns
    -------
    dask DataFrame
        Lazy scores: one float64 column per scale, the partitions and index of ``ddf``.

    Raises
    ------
    ImportError
        dask is not installed (``pip install "peoscales[dask]"``).
    DataTypeError
        ``ddf`` is not a dask DataFrame (at once), or texts are left in item columns
        (when computed).
    MissingColumnsError, ParameterError
        At once: item columns absent from ``ddf``, unknown scales or options.
    OutOfRangeError
        When computed: a code lies outside the declared response range (the message
        names the rows of the partition where it was found).

    Errors raised when the result is computed name the partition, and the file it
    was read from when ``ddf`` comes from ``dask.dataframe.read_csv`` (or another
    reader of files): a folder with one file of another layout fails with a
    :class:`~peoscales.errors.MissingColumnsError` naming that file. A file that
    dask's reader cannot parse at all fails in dask, before peoscales sees it.

    Notes
    -----
    Scores are computed partition by partition with the formula of
    :func:`peoscales.score` (the mean of the keyed answered items, reversed on the
    declared range, when at least the minimum number of items is answered). A
    respondent's score depends on that respondent's answers only, so splitting the
    rows into partitions cannot change it.

    Unlike :func:`peoscales.score`, no :class:`~peoscales.errors.IncompleteScoresWarning`
    is issued: the partitions are scored when the result is computed, and one warning
    per partition would flood the output. A score is missing exactly when the
    respondent answered too few items, so ``scores.isna().sum().compute()`` gives the
    ``n_below_minimum`` of ``score(..., details=True)``.

    The scores keep the index of ``ddf``. ``dask.dataframe.read_csv`` numbers the rows
    of every file from 0 again; to keep respondents apart across files, make their id
    the index first (``dd.read_csv(...).set_index("respondent", sorted=True)``), or read
    the files with :func:`peoscales.read_csv_dask`, which numbers the rows across the
    files (or takes ``index="respondent"``). The
    result is lazy, so a progress bar wraps its computation:
    ``with dask.diagnostics.ProgressBar(): scores.to_parquet(...)``.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> import peoscales
    >>> answers = pd.DataFrame(
    ...     {"brs_1": [4, 2, 5], "brs_2": [2, 4, 1], "brs_3": [5, 2, 4],
    ...      "brs_4": [1, 4, 2], "brs_5": [4, None, 5], "brs_6": [2, 5, 1]},
    ...     index=["anna", "bram", "cor"])
    >>> scores = peoscales.score_dask(dd.from_pandas(answers, npartitions=2), "brs")
    >>> scores.npartitions
    2
    >>> scores.compute()
               brs
    anna  4.333333
    bram  1.800000
    cor   4.666667
    """
    dd = _require_dask("score_dask")
    meta_frame = _dask_frame(dd, ddf, "score_dask", "score")
    if details is not False:
        raise ParameterError(
            f"details={details!r} is not supported by score_dask: a ScoringResult holds "
            "in-memory tables. Count the respondents below the minimum with "
            "scores.isna().sum().compute(), or call peoscales.score(..., details=True) "
            "on data that fits in memory."
        )
    options: dict[str, Any] = {
        "scales": scales,
        "columns": columns,
        "min_valid": min_valid,
        "method": method,
    }
    # Scoring the empty meta frame checks every option and column now, not at compute
    # time, and gives the result's columns and dtypes.
    meta = score(meta_frame, instrument, **options)
    # In front of any filter added since import (e.g. warnings turned into errors).
    warnings.filterwarnings(**_QUIET_PARTITIONS)  # type: ignore[arg-type]
    return ddf.map_partitions(
        _score_partition, instrument, files=_partition_files(ddf), meta=meta, **options
    )


def _check_reduction(split_every: Any, progress: Any) -> None:
    """Check the options every reduction over partitions takes."""
    if isinstance(split_every, bool) or not isinstance(split_every, int) or split_every < 2:
        raise ParameterError(
            f"split_every must be a whole number of 2 or more, got {split_every!r}."
        )
    if not isinstance(progress, bool):
        raise ParameterError(f"progress must be True or False, got {progress!r}.")


def _tree_reduce(
    ddf: Any, chunk: Any, merge: Any, split_every: int, *args: Any, **kwargs: Any
) -> Delayed:
    """``chunk(partition, *args, number=i, **kwargs)`` for every partition, combined by
    ``merge`` in a tree of ``split_every`` inputs per step: one lazy object."""
    import dask

    make = dask.delayed(chunk, pure=True)
    combine = dask.delayed(merge, pure=True)
    nodes = [make(part, *args, number=i, **kwargs) for i, part in enumerate(ddf.to_delayed())]
    while len(nodes) > 1:
        nodes = [combine(*nodes[i : i + split_every]) for i in range(0, len(nodes), split_every)]
    return nodes[0]


def _active_client() -> Any:
    """The dask.distributed Client in use, or None (distributed missing or no client)."""
    try:
        from distributed import default_client
    except ImportError:
        return None
    try:
        return default_client()
    except ValueError:
        return None


def _compute(total: Delayed, progress: bool) -> Any:
    """Compute one lazy object, with one BLAS thread in this process, and a progress bar.

    The BLAS limit is set here, in the calling thread: dask's threads run partitions
    side by side, and a threaded BLAS inside each oversubscribes the cores. (A limit set
    and restored inside the worker threads did not reliably come back for the process;
    the workers of dask.distributed start with one BLAS thread already.) The progress
    bar is dask's own: ``distributed.progress`` when a Client is active, else
    ``dask.diagnostics.ProgressBar`` for the local schedulers.
    """
    import dask

    with single_blas_thread():
        if not progress:
            return dask.compute(total)[0]
        client = _active_client()
        if client is not None:
            from distributed import progress as show_progress

            future = client.compute(total)
            show_progress(future)
            return future.result()
        from dask.diagnostics import ProgressBar

        with ProgressBar():
            return dask.compute(total)[0]


class _Chunk(NamedTuple):
    moments: PearsonMoments
    n_rows: int
    n_excluded: int


def _chunk_moments(
    part: pd.DataFrame, cols: list[Hashable], listwise: bool, number: int | None = None
) -> _Chunk:
    """Moments of one partition (listwise: of its complete rows); ``number`` unused (a
    failure is located afterwards, see :func:`_locate_failure`)."""
    # Infinite values are refused (NonFiniteValueError, a ParameterError, naming the
    # columns and rows) in the same pass that measures the columns' magnitudes.
    x, scales = _partition_values(part, cols)
    if scales is not None:
        # Partitions are summed into one set of moments, so a per-partition rescaling
        # cannot be undone: columns of extreme magnitude are refused here, by name.
        check_finite(x.astype(np.float64), cols, part.index)
    n_rows = x.shape[0]
    n_excluded = 0
    if listwise:
        complete = ~np.isnan(x).any(axis=1)
        n_excluded = n_rows - int(complete.sum())
        if n_excluded:
            x = x[complete]
    return _Chunk(pearson_moments(x), n_rows, n_excluded)


def _partition_values(
    part: pd.DataFrame, cols: list[Hashable]
) -> tuple[np.ndarray, np.ndarray | None]:
    """The columns as an array for the moments, and the rescaling of extreme columns.

    float32 columns (answer codes read as such) are kept as they are, without a
    float64 copy of the partition: the moments kernel reads them block by block (whole
    numbers as float32 operands whose products are exact, other values widened), which
    gives the same numbers. Other types go through :func:`_numeric`.
    """
    if not part.columns.is_unique:
        return _numeric(part, cols)
    # The partition itself when it holds just these columns in order (the usual case):
    # selecting them builds a new frame, about 1 ms for 20 columns.
    same = list(part.columns) == list(cols)
    dtypes = part.dtypes if same else part.dtypes[cols]
    if all(d == np.float32 for d in dtypes):
        x = (part if same else part[cols]).to_numpy()  # no copy for one float32 block
        size = check_finite(x, cols, part.index, extreme="allow").astype(np.float64)
        return x, power_of_two_scales(x, size)
    return _numeric(part, cols)


def _locate_failure(ddf: Any, cols: list[Hashable], listwise: bool, exc: Exception) -> Exception:
    """Find the partition (and file) that failed, to say which one in the error.

    Runs only after a failure: each partition is read again on its own until one fails.
    """
    files = _partition_files(ddf)
    for number in range(ddf.npartitions):
        try:
            part = ddf.partitions[number].compute()
            missing = [c for c in cols if c not in part.columns]
            if missing:
                raise KeyError(preview(missing))
            _chunk_moments(part[cols], cols, listwise)
        except Exception as found:  # this partition is the culprit
            return _with_place(found, _where(files, number))
    return exc if isinstance(exc, PeoscalesError) else _with_place(exc, "reading the data")


def _merge_chunks(*chunks: _Chunk) -> _Chunk:
    moments = functools.reduce(merge_pearson_moments, (c.moments for c in chunks))
    return _Chunk(
        moments,
        sum(c.n_rows for c in chunks),
        sum(c.n_excluded for c in chunks),
    )


class _Finished(NamedTuple):
    result: CorrelationResult
    r: np.ndarray
    n: np.ndarray


def _finish(
    total: _Chunk, cols: list[Hashable], missing: str, adjust: str, level: float
) -> _Finished:
    """The CorrelationResult from the combined moments, as :func:`corr_matrix` builds it."""
    pearson = pearson_from_moments(total.moments)
    r, n = pearson.r, pearson.n
    counts = np.diag(n).copy()
    empty = [c for c, k in zip(cols, counts) if k == 0]
    if missing == "listwise":
        n_complete = total.n_rows - total.n_excluded
        if n_complete < 3:
            raise InsufficientDataError(
                f"Listwise deletion leaves {n_complete} of {total.n_rows} rows (a correlation "
                "test needs at least 3); use missing='pairwise' or fewer columns."
            )
        n_excluded = total.n_excluded
    else:
        n_excluded = pearson.unpaired_rows
    if empty:
        raise InsufficientDataError(
            f"Column(s) {preview(empty)} have no answers at all, so they correlate with "
            "nothing; leave them out with columns=[...]."
        )
    result = _correlation_result(
        cols, r, n, means=pearson.means, variances=pearson.variances, counts=counts,
        method="pearson", missing=missing, adjust=adjust, level=level,
        n_rows=total.n_rows, n_excluded=n_excluded,
    )  # fmt: skip
    return _Finished(result, r, n)


def _finish_and_warn(
    total: _Chunk, cols: list[Hashable], missing: str, adjust: str, level: float
) -> CorrelationResult:
    finished = _finish(total, cols, missing, adjust, level)
    _warn_constant(cols, finished.r, finished.n)
    return finished.result


@overload
def corr_matrix_dask(
    ddf: DaskDataFrame,
    *,
    columns: Sequence[Hashable] | None = ...,
    method: Literal["pearson", "spearman", "kendall"] = ...,
    missing: Literal["pairwise", "listwise"] = ...,
    adjust: Literal["none", "holm", "bonferroni", "fdr_bh"] = ...,
    confidence: float = ...,
    split_every: int = ...,
    compute: Literal[True] = ...,
    progress: bool = ...,
) -> CorrelationResult: ...


@overload
def corr_matrix_dask(
    ddf: DaskDataFrame,
    *,
    columns: Sequence[Hashable] | None = ...,
    method: Literal["pearson", "spearman", "kendall"] = ...,
    missing: Literal["pairwise", "listwise"] = ...,
    adjust: Literal["none", "holm", "bonferroni", "fdr_bh"] = ...,
    confidence: float = ...,
    split_every: int = ...,
    compute: Literal[False],
    progress: bool = ...,
) -> Delayed: ...


@renamed_arguments(ci="confidence")
def corr_matrix_dask(
    ddf: DaskDataFrame,
    *,
    columns: Sequence[Hashable] | None = None,
    method: Literal["pearson", "spearman", "kendall"] = "pearson",
    missing: Literal["pairwise", "listwise"] = "pairwise",
    adjust: Literal["none", "holm", "bonferroni", "fdr_bh"] = "none",
    confidence: float = 0.95,
    split_every: int = 8,
    compute: bool = True,
    progress: bool = False,
) -> CorrelationResult | Delayed:
    """Pearson correlation matrix of a dask DataFrame, with n, p and CIs per pair.

    One pass over the data: every partition contributes the moments of each pair of
    columns, which combine exactly, so the result equals :func:`peoscales.corr_matrix`
    on the whole data set (to rounding) however the rows are partitioned.

    Parameters
    ----------
    ddf : dask DataFrame
        One column per variable; missing values as NaN. Not modified.
    columns : sequence of column names, optional
        Variables to correlate, in this order; default all columns.
    method : {"pearson"}
        Only Pearson: Spearman's rho and Kendall's tau rank each pair on all its rows,
        which does not split into partitions (a ``ParameterError`` says so).
    missing : {"pairwise", "listwise"}
        As for :func:`peoscales.corr_matrix`.
    adjust : {"none", "holm", "bonferroni", "fdr_bh"}
        Adjustment of the p-values for the number of pairs.
    confidence : float, default 0.95
        Confidence level of the intervals.
    split_every : int, default 8
        How many partitions' moments are combined in one step of the tree reduction.
    compute : bool, default True
        Compute now and return the result; ``False`` returns a ``dask.delayed`` object
        whose ``.compute()`` gives the result (to build it into a larger pipeline of
        delayed tasks; a ConstantColumnWarning is then issued when it is computed).
    progress : bool, default False
        Show dask's progress bar while the partitions are read (``distributed.progress``
        when a ``dask.distributed`` Client is active, else
        ``dask.diagnostics.ProgressBar``).

    Returns
    -------
    CorrelationResult
        The same result as :func:`peoscales.corr_matrix` (``r``, ``n``, ``p``,
        ``p_adjusted``, ``ci_low``, ``ci_high``, ``mean``, ``sd``, ``n_obs``,
        ``to_apa()``); a ``dask.delayed`` object with ``compute=False``.

    Raises
    ------
    ImportError
        dask is not installed (``pip install "peoscales[dask]"``).
    ParameterError
        ``method`` other than Pearson, an unknown option, or infinite values.
    DataTypeError
        ``ddf`` is not a dask DataFrame, non-numeric values, or a partition that cannot
        be read (a damaged file); the message names the file (or partition).
    MissingColumnsError
        ``columns`` names columns that ``ddf`` lacks, or a partition lacks them (a file
        of another layout in the folder read; the message names the file).
    InsufficientDataError
        Fewer than two columns, a column without answers, or fewer than three complete
        rows under listwise deletion.

    Warns
    -----
    ConstantColumnWarning
        A column without variance, or a pair constant on the rows it shares.

    Notes
    -----
    For each pair :math:`(i, j)` a partition :math:`k` gives, over its rows where both
    are answered, the count :math:`n_k`, the means :math:`\\bar x_{i,k}` and
    :math:`\\bar x_{j,k}`, the sums of squared deviations :math:`M_{i,k}` and the
    co-moment :math:`C_k = \\sum (x_i - \\bar x_{i,k})(x_j - \\bar x_{j,k})` (computed
    from matrix products as in :func:`peoscales.corr_matrix`). Two sets of rows
    :math:`a` and :math:`b` combine exactly (Chan, Golub & LeVeque, 1979) with
    :math:`\\delta_i = \\bar x_{i,b} - \\bar x_{i,a}` and :math:`n = n_a + n_b`:

    .. math::

        \\bar x_i = \\bar x_{i,a} + \\delta_i \\frac{n_b}{n}, \\quad
        M_i = M_{i,a} + M_{i,b} + \\delta_i^2 \\frac{n_a n_b}{n}, \\quad
        C = C_a + C_b + \\delta_i \\delta_j \\frac{n_a n_b}{n},

    and :math:`r_{ij} = C / \\sqrt{M_i M_j}` over all rows. Means are kept as a
    per-column shift plus a small offset, so a column with a large offset (``1e6 + x``)
    loses no digits, and no sum of raw squares is ever formed.

    A pair is constant (NaN, with a ``ConstantColumnWarning``) exactly when one of its
    columns takes one value on the rows the two share, as in
    :func:`peoscales.corr_matrix`. Moments cannot always tell (rounding can hide a tiny
    spread), so wherever they leave a doubt a partition also gives the smallest and
    largest value of the column on the pair's rows, which combine by min and max, and,
    for a pair that barely varies there, its moments about its own means from its rows.

    The p-values, Fisher-z intervals and adjustment are those of
    :func:`peoscales.corr_matrix`, which agree with R's ``psych::corr.test``;
    ``n_excluded`` counts the rows in no pair (pairwise) or with a missing value
    (listwise) over all partitions.

    References: Chan, T. F., Golub, G. H., & LeVeque, R. J. (1979). Updating formulae
    and a pairwise algorithm for computing sample variances. Stanford CS report
    STAN-CS-79-773. Revelle, W. (2022). *psych* (``corr.test``).

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> import peoscales
    >>> data = pd.DataFrame({
    ...     "resilience": [3.2, 4.0, 2.8, 3.6, 4.4, 3.0, None, 3.8],
    ...     "workload": [3.5, 2.5, 4.0, 3.0, 2.0, 3.0, 3.5, 2.5],
    ...     "autonomy": [3, 4, 2, 4, 5, 3, 3, 4],
    ... })
    >>> res = peoscales.corr_matrix_dask(dd.from_pandas(data, npartitions=3))
    >>> res.r.round(2)
                resilience  workload  autonomy
    resilience        1.00     -0.92      0.96
    workload         -0.92      1.00     -0.94
    autonomy          0.96     -0.94      1.00
    >>> int(res.n.loc["resilience", "workload"])
    7
    """
    dd = _require_dask("corr_matrix_dask")
    import dask

    meta_frame = _dask_frame(dd, ddf, "corr_matrix_dask", "corr_matrix")
    check_option("method", method, METHODS)
    if method != "pearson":
        raise ParameterError(
            f"method={method!r} is not supported by corr_matrix_dask: rank correlations "
            "rank each pair on all its rows, which does not combine across partitions. "
            "Compute the ranks first and correlate them with method='pearson' (Spearman's "
            "rho on complete data), or use peoscales.corr_matrix on data that fits in memory."
        )
    check_option("missing", missing, MISSING)
    check_option("adjust", adjust, ADJUST)
    level = check_probability("confidence", confidence)
    _check_reduction(split_every, progress)
    if not isinstance(compute, bool):
        raise ParameterError(f"compute must be True or False, got {compute!r}.")
    cols = _columns(meta_frame, columns)
    if len(cols) < 2:
        raise InsufficientDataError(
            f"A correlation matrix needs at least two columns, got {len(cols)} "
            f"({preview(cols)}); pass data with two or more numeric columns."
        )
    listwise = missing == "listwise"
    total = _tree_reduce(ddf[cols], _chunk_moments, _merge_chunks, split_every, cols, listwise)
    if not compute:
        return dask.delayed(_finish_and_warn, pure=True)(total, cols, missing, adjust, level)
    try:
        combined = _compute(total, progress)
    except Exception as exc:  # re-raised, named, below
        raise _locate_failure(ddf, cols, listwise, exc) from None
    finished = _finish(combined, cols, missing, adjust, level)
    _warn_constant(cols, finished.r, finished.n)
    return finished.result
