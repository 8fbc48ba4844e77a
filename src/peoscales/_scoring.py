"""Score instruments: response texts to codes, codes to scale scores, scores to bands."""

from __future__ import annotations

import contextlib
import difflib
import re
import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, overload

import numpy as np
import pandas as pd

from peoscales._kernels.scoring import range_violations, score_matrix
from peoscales._results import Result
from peoscales._validation import as_frame, numeric_block, preview, require_columns
from peoscales.errors import (
    IncompleteScoresWarning,
    MissingColumnsError,
    OutOfRangeError,
    ParameterError,
    UnknownLabelError,
)
from peoscales.instruments.model import Instrument, Item, Scale, normalize_label
from peoscales.instruments.registry import get_instrument

__all__ = ["ScoringResult", "categorize", "recode", "score"]

InstrumentLike = str | Instrument
Columns = Mapping[str, Hashable] | Literal["order"] | None


def _instruments(instrument: InstrumentLike | Sequence[InstrumentLike]) -> list[Instrument]:
    if isinstance(instrument, (str, Instrument)):
        return [get_instrument(instrument)]
    if isinstance(instrument, Sequence) and instrument:
        out = [get_instrument(i) for i in instrument]
        names = [i.name for i in out]
        if len(set(names)) != len(names):
            raise ParameterError(f"instrument lists {names}: each instrument may be named once.")
        return out
    raise ParameterError(
        f"instrument must be a name, an Instrument or a list of them, got {instrument!r}."
    )


def _select_scales(instruments: list[Instrument], scales: Sequence[str] | None) -> list[Scale]:
    available: dict[str, Scale] = {}
    for inst in instruments:
        for sid, scale in inst.scales.items():
            if sid in available:
                raise ParameterError(
                    f"Scale {sid!r} is defined by more than one of the instruments given; "
                    "score them in separate calls."
                )
            available[sid] = scale
    if not available:
        raise ParameterError(
            f"{[i.name for i in instruments]} define no scales to score (a codebook has items only)."
        )
    if scales is None:
        return list(available.values())
    if isinstance(scales, str):
        scales = [scales]
    unknown = [s for s in scales if s not in available]
    if unknown:
        raise ParameterError(
            f"scales={list(scales)!r}: unknown scale(s) {preview(unknown)}; "
            f"choose from {preview(list(available), 20)}."
        )
    return [available[s] for s in scales]


def _item_columns(
    data: pd.DataFrame, instruments: list[Instrument], items: list[Item], columns: Columns
) -> dict[str, Hashable]:
    """Map item ids to the caller's column names."""
    if columns is None:
        missing = [it.id for it in items if it.id not in data.columns]
        if missing:
            require_columns(data, [it.id for it in items])
        return {it.id: it.id for it in items}
    if isinstance(columns, str):
        if columns != "order":
            raise ParameterError(
                f"columns={columns!r} is not supported; give a dict of item id -> column name, "
                "or 'order' to take the data's columns in questionnaire order."
            )
        order = [iid for inst in instruments for iid in inst.administration_order]
        if len(order) != data.shape[1]:
            raise ParameterError(
                f"columns='order' needs exactly one column per item ({len(order)} for "
                f"{[i.name for i in instruments]}), but data has {data.shape[1]} columns; "
                "select the item columns first, e.g. data[item_columns]."
            )
        mapping = dict(zip(order, data.columns))
        return {it.id: mapping[it.id] for it in items}
    if not isinstance(columns, Mapping):
        raise ParameterError(
            f"columns must be a dict, 'order' or None, got {type(columns).__name__}."
        )
    known = {iid for inst in instruments for iid in inst.items}
    stray = [k for k in columns if k not in known]
    if stray:
        raise ParameterError(
            f"columns maps unknown item id(s) {preview(stray)}; item ids look like "
            f"{preview(sorted(known)[:4])}."
        )
    result = {it.id: columns.get(it.id, it.id) for it in items}
    absent = [c for c in dict.fromkeys(result.values()) if c not in data.columns]
    if absent:
        try:
            require_columns(data, absent, "data (columns mapping)")
        except MissingColumnsError as exc:
            raise MissingColumnsError(
                f"{exc} Correct the columns mapping or add the missing items to it."
            ) from None
    used = list(result.values())
    twice = sorted({str(c) for c in used if used.count(c) > 1})
    if twice:
        raise ParameterError(f"columns maps several items to the same column(s) {preview(twice)}.")
    return result


def _coding_hint(observed: np.ndarray, low: float, high: float) -> str:
    """Explain a likely coding mix-up from the offending columns' observed ranges."""
    lows = np.nanmin(observed, axis=0)
    highs = np.nanmax(observed, axis=0)
    for shift in (-1.0, 1.0):
        if (
            np.all(lows >= low + shift)
            and np.all(highs <= high + shift)
            and np.any((lows == low + shift) if shift < 0 else (highs == high + shift))
        ):
            return (
                f" These columns look coded {low + shift:g}-{high + shift:g} instead of "
                f"{low:g}-{high:g}; use the instrument variant with that coding (e.g. "
                "'swing12_0to3' for SWING coded 0-3) or recode them."
            )
    return ""


def _check_ranges(
    x: np.ndarray,
    data: pd.DataFrame,
    colnames: list[Hashable],
    low: np.ndarray,
    high: np.ndarray,
    integer: np.ndarray,
) -> None:
    rows, cols = range_violations(x, low, high, integer)
    if rows.size == 0:
        return
    bad_cols = list(dict.fromkeys(cols.tolist()))
    parts = []
    for c in bad_cols[:5]:
        sel = rows[cols == c]
        values = x[sel, c]
        parts.append(
            f"{colnames[c]!r} (expected {'whole numbers ' if integer[c] else ''}"
            f"{low[c]:g}-{high[c]:g}): values "
            f"{preview(sorted({float(v) for v in values}), 4)} in rows "
            f"{preview(data.index[sel].tolist(), 3)}"
        )
    more = f" (and {len(bad_cols) - 5} more columns)" if len(bad_cols) > 5 else ""
    observed = x[:, bad_cols]
    hint = _coding_hint(observed, float(low[bad_cols[0]]), float(high[bad_cols[0]]))
    # Mixed codings: some item columns of one response scale sit one step lower.
    fine = [c for c in range(x.shape[1]) if c not in bad_cols]
    if hint and fine:
        hint += " Other item columns are within the declared range, so the data mixes codings."
    raise OutOfRangeError(
        f"Codes outside the declared response range in {len(bad_cols)} column(s): "
        f"{'; '.join(parts)}{more}.{hint} Fix or remove these values (set them to missing) "
        "before scoring; codes are never clipped silently."
    )


def _single_threaded_blas(size: int) -> contextlib.AbstractContextManager[object]:
    """Run the kernel's thin matrix products (p x s, s < 20) on one BLAS thread.

    Such products are bound by memory, not arithmetic; a threaded BLAS only adds
    start-up and contention costs per block (five times slower on a busy
    two-core machine). Skipped for small inputs, where the limit costs more than
    it saves.
    """
    from peoscales._kernels import native

    if size < 200_000 or native.get() is not None:  # the compiled kernel uses no BLAS
        return contextlib.nullcontext()
    # The shared, reference-counted limit: a limit of this call's own would save another
    # caller's "1" as the original and restore it, leaving the process on one thread.
    from peoscales._kernels._blas import single_blas_thread

    return single_blas_thread()


#: From this many rows on, item columns go to the kernel one by one (see _item_columns_of).
COLUMN_ROWS = 50_000


def _item_columns_of(
    frame: pd.DataFrame, colnames: list[Hashable]
) -> np.ndarray | list[np.ndarray]:
    """The item columns for the kernel: one array per column when there are many rows.

    ``DataFrame.to_numpy()`` of a frame assembled from several blocks (``pd.concat``,
    ``join``, columns added one by one) interleaves them into a new array first, and
    selecting columns in another order than stored copies them: on a million rows that
    took as long as the scoring. Columns of plain numbers are instead handed to the
    kernel as they are stored (read-only views of the caller's data), and it copies
    each block of rows into its own layout as it scores. Small frames, and columns
    that need converting or checking (texts, booleans, nullable types), take
    :func:`_item_matrix`.
    """
    if len(frame) < COLUMN_ROWS:
        return _item_matrix(frame, colnames)
    columns = [frame[name] for name in colnames]
    if not all(
        isinstance(column.dtype, np.dtype) and column.dtype.kind in "iuf" for column in columns
    ):
        return _item_matrix(frame, colnames)
    runs = _stored_runs([column.to_numpy() for column in columns])
    if len(runs) == 1:
        return runs[0].T  # one stored block, read in place
    return runs


def _stored_runs(arrays: list[np.ndarray]) -> list[np.ndarray]:
    """The columns grouped into runs that are consecutive rows of one stored block.

    A pandas block stores its columns as the rows of a (k, n) array. Each run is
    returned as a read-only (k, n) view of those rows, so the kernel copies a run
    with one call per block of rows instead of one per column, or reads it in place
    when all the items form one run (a frame of one float block, as
    ``DataFrame(array)`` or :func:`peoscales.simulate` make). A column stored any other
    way (an integer column, say) is a run of its own, (1, n).
    """
    runs: list[tuple[np.ndarray, int, int]] = []  # root, first row, stop row
    for array in arrays:
        root, row = _stored_row(array)
        if runs and root is not None and _same_memory(runs[-1][0], root) and runs[-1][2] == row:
            runs[-1] = (root, runs[-1][1], row + 1)
        elif root is not None:
            runs.append((root, row, row + 1))
        else:
            runs.append((array[None, :], 0, 1))
    views = []
    for root, first, stop in runs:
        view = root[first:stop]
        view.flags.writeable = False  # only read, as the caller's data
        views.append(view)
    return views


def _same_memory(a: np.ndarray, b: np.ndarray) -> bool:
    """The same array (two view objects of one block may both lead to it)."""
    return (a.__array_interface__["data"][0], a.shape, a.strides) == (
        b.__array_interface__["data"][0],
        b.shape,
        b.strides,
    )


def _stored_row(array: np.ndarray) -> tuple[np.ndarray | None, int]:
    """The (k, n) float64 array whose row ``array`` is, and the row; (None, 0) if none.

    The address of the column inside the array behind it (its ``base``) says which row
    it is; an address inside that array's memory can only be its data.
    """
    root = array
    while isinstance(root.base, np.ndarray):
        root = root.base
    if root.ndim == 2 and root.flags.f_contiguous and not root.flags.c_contiguous:
        root = root.T  # the (n, k) array behind a block, as its (k, n) rows
    if (
        root.ndim != 2
        or not root.flags.c_contiguous
        or root.dtype != np.float64
        or array.dtype != np.float64
        or array.strides != (8,)
        or root.shape[1] != array.shape[0]
    ):
        return None, 0
    offset = array.__array_interface__["data"][0] - root.__array_interface__["data"][0]
    row, rest = divmod(offset, root.strides[0])
    if rest or not 0 <= row < root.shape[0]:
        return None, 0
    return root, int(row)


def _item_matrix(frame: pd.DataFrame, colnames: list[Hashable]) -> np.ndarray:
    """The item columns as an (n, p) float array, without copying when possible.

    Float64 columns come back as a read-only view of the caller's data (the
    kernel copies one small block at a time); other numeric columns are converted
    once; anything else goes through :func:`numeric_block`, which names every
    column holding text.
    """
    # All columns in order (a frame of items only): no selection, which copies.
    block = frame if colnames == list(frame.columns) else frame[colnames]
    dtypes = list(block.dtypes)
    if all(d == np.float64 for d in dtypes):
        return block.to_numpy()
    if all(
        pd.api.types.is_numeric_dtype(d)
        and not pd.api.types.is_bool_dtype(d)
        and not pd.api.types.is_complex_dtype(d)
        for d in dtypes
    ):
        return block.to_numpy(dtype=np.float64, na_value=np.nan)
    # True/False are no codes; complex numbers, dates and text are refused by name.
    return numeric_block(frame, colnames, allow_bool=False)


@dataclass(frozen=True, eq=False, repr=False)
class ScoringResult(Result):
    """Scale scores with the bookkeeping behind them.

    Attributes
    ----------
    scores : DataFrame
        One column per scale, the caller's index.
    answered : DataFrame
        Number of answered items per respondent and scale.
    required : Series
        Least number of answered items a score needs, per scale.
    n_below_minimum : Series
        Respondents whose score is missing because they answered too few items.
    n_nonsubstantive : Series
        Answers such as ``weet niet`` treated as missing, per scale.
    """

    scores: pd.DataFrame
    answered: pd.DataFrame
    required: pd.Series
    n_items: pd.Series
    n_below_minimum: pd.Series
    n_nonsubstantive: pd.Series
    method: pd.Series
    title = "Scale scores"

    def to_frame(self) -> pd.DataFrame:
        """The scores: one column per scale, the caller's index."""
        return self.scores

    def table(self) -> pd.DataFrame:
        """One row per scale: items, rule, n scored, n missing, mean, sd, min, max."""
        described = self.scores.agg(["count", "mean", "std", "min", "max"]).T
        return pd.DataFrame(
            {
                "items": self.n_items,
                "method": self.method,
                "required": self.required,
                "n_scored": described["count"].astype(int),
                "n_below_minimum": self.n_below_minimum,
                "mean": described["mean"],
                "sd": described["std"],
                "min": described["min"],
                "max": described["max"],
            }
        )

    def summary(self) -> str:
        """A text table of the scores per scale."""
        table = self.table()
        return f"Scale scores for {len(self.scores)} respondents\n" + table.to_string(
            float_format=lambda v: f"{v:.2f}"
        )

    def _repr_html_(self) -> str:
        table = self.table().to_html(float_format=lambda v: f"{v:.2f}", border=0)
        return f"<div class='peoscales-result'><strong>{self.title}</strong>{table}</div>"


def _min_valid_override(
    scales: list[Scale], min_valid: int | float | Mapping[str, int | float] | None
) -> np.ndarray:
    required = []
    for scale in scales:
        rule = min_valid.get(scale.id) if isinstance(min_valid, Mapping) else min_valid
        k = len(scale.items)
        if rule is None:
            required.append(scale.required())
            continue
        if isinstance(rule, bool) or not isinstance(rule, (int, float, np.integer, np.floating)):
            raise ParameterError(f"min_valid must be a count or a share, got {rule!r}.")
        if isinstance(rule, (float, np.floating)) and 0 < rule < 1:
            required.append(max(1, int(np.ceil(rule * k - 1e-9))))
        elif float(rule).is_integer() and 1 <= rule <= k:
            required.append(int(rule))
        elif float(rule) == 1.0:
            required.append(1)
        else:
            raise ParameterError(
                f"min_valid={rule!r} for scale {scale.id!r}: give a whole number from 1 to {k} "
                "(answered items) or a share between 0 and 1."
            )
    return np.asarray(required, dtype=np.float64)


@overload
def score(
    data: pd.DataFrame,
    instrument: InstrumentLike | Sequence[InstrumentLike],
    *,
    scales: Sequence[str] | str | None = ...,
    columns: Columns = ...,
    min_valid: int | float | Mapping[str, int | float] | None = ...,
    method: Literal["mean", "sum"] | None = ...,
    details: Literal[False] = ...,
) -> pd.DataFrame: ...


@overload
def score(
    data: pd.DataFrame,
    instrument: InstrumentLike | Sequence[InstrumentLike],
    *,
    scales: Sequence[str] | str | None = ...,
    columns: Columns = ...,
    min_valid: int | float | Mapping[str, int | float] | None = ...,
    method: Literal["mean", "sum"] | None = ...,
    details: Literal[True],
) -> ScoringResult: ...


def score(
    data: pd.DataFrame,
    instrument: InstrumentLike | Sequence[InstrumentLike],
    *,
    scales: Sequence[str] | str | None = None,
    columns: Columns = None,
    min_valid: int | float | Mapping[str, int | float] | None = None,
    method: Literal["mean", "sum"] | None = None,
    details: bool = False,
) -> pd.DataFrame | ScoringResult:
    """Score the scales of one or more instruments.

    Parameters
    ----------
    data : DataFrame
        One row per respondent, item codes in columns (numbers; see :func:`recode`
        for texts). Never modified.
    instrument : str, Instrument or list of them
        E.g. ``"brs"``, ``["brs", "swing12", "wbns"]``. All scales of all
        instruments are scored in one vectorised pass.
    scales : list of str, optional
        Score only these scales (default: all).
    columns : dict or "order", optional
        Maps item ids (``"brs_2"``) to the caller's column names. ``"order"``
        takes the data's columns positionally in questionnaire order. Default:
        columns are found by item id.
    min_valid : int, float or dict, optional
        Least number (int) or share (float in (0, 1)) of answered items a score
        needs, for all scales or per scale (dict). Default: each scale's rule
        from its definition.
    method : {"mean", "sum"}, optional
        Override the scoring method. A sum is prorated: mean x number of items.
    details : bool, default False
        Return a :class:`ScoringResult` with answered counts and the number of
        respondents below the minimum, instead of the scores alone.

    Returns
    -------
    DataFrame or ScoringResult
        Scores with the caller's index, one column per scale.

    Raises
    ------
    MissingColumnsError
        Item columns are absent (the message names them and close matches).
    DataTypeError
        Texts are left in item columns.
    OutOfRangeError
        A code lies outside the declared response range (e.g. a 7 on a 1-5 scale).

    Warns
    -----
    IncompleteScoresWarning
        When some respondents answered too few items; their score is missing.

    Notes
    -----
    For scale :math:`s` with items :math:`j \\in s`, declared range
    :math:`[a, b]` and answered set :math:`A_i` of respondent :math:`i`:

    .. math:: \\text{score}_{is} = \\frac{1}{|A_i \\cap s|} \\sum_{j \\in A_i \\cap s}
              \\tilde x_{ij}, \\qquad \\tilde x_{ij} = \\begin{cases} a + b - x_{ij} &
              j \\text{ reverse-keyed} \\\\ x_{ij} & \\text{otherwise}\\end{cases}

    when :math:`|A_i \\cap s|` reaches the minimum, else missing. A sum score is
    the mean times the number of items (a prorated sum). Reversal uses the
    declared range, never the range observed in the data (unlike
    ``psych::scoreItems``), and nothing is imputed. Answers coded as
    non-substantive (e.g. ``weet niet``) count as not answered.

    Examples
    --------
    >>> import pandas as pd, peoscales
    >>> answers = pd.DataFrame(
    ...     {"brs_1": [4, 2], "brs_2": [2, 4], "brs_3": [5, 2],
    ...      "brs_4": [1, 4], "brs_5": [4, None], "brs_6": [2, 5]},
    ...     index=["anna", "bram"])
    >>> peoscales.score(answers, "brs")
               brs
    anna  4.333333
    bram  1.800000
    """
    frame = as_frame(data)
    instruments = _instruments(instrument)
    chosen = _select_scales(instruments, scales)
    if method is not None and method not in ("mean", "sum"):
        raise ParameterError(f"method={method!r} is not supported; use 'mean' or 'sum'.")
    if not isinstance(details, bool):
        raise ParameterError(f"details must be True or False, got {details!r}.")
    by_id = {iid: item for inst in instruments for iid, item in inst.items.items()}
    rs_of = {iid: inst.response_scale_of(iid) for inst in instruments for iid in inst.items}
    item_ids = list(dict.fromkeys(iid for scale in chosen for iid in scale.items))
    mapping = _item_columns(frame, instruments, [by_id[i] for i in item_ids], columns)
    colnames = [mapping[i] for i in item_ids]
    x = _item_columns_of(frame, colnames)

    low = np.array([rs_of[i].min for i in item_ids], dtype=np.float64)
    high = np.array([rs_of[i].max for i in item_ids], dtype=np.float64)
    # Once per response scale, not per item: a few scales serve dozens of items.
    distinct = {id(rs): rs for rs in rs_of.values()}
    integer_of = {key: rs.is_integer_coded for key, rs in distinct.items()}
    nonsub_of = {key: rs.nonsubstantive_codes for key, rs in distinct.items()}
    integer = np.array([integer_of[id(rs_of[i])] for i in item_ids])
    nonsub_codes = [nonsub_of[id(rs_of[i])] for i in item_ids]
    width = max(len(c) for c in nonsub_codes)
    nonsub = None
    if width:
        nonsub = np.full((len(item_ids), width), np.nan)
        for j, codes in enumerate(nonsub_codes):
            nonsub[j, : len(codes)] = codes

    position = {iid: j for j, iid in enumerate(item_ids)}
    membership = np.zeros((len(item_ids), len(chosen)), dtype=bool)
    for k, scale in enumerate(chosen):
        membership[[position[i] for i in scale.items], k] = True
    reverse = np.array([by_id[i].reverse for i in item_ids])
    required = _min_valid_override(chosen, min_valid)
    methods = [method or scale.method for scale in chosen]
    multiplier = np.array(
        [len(scale.items) if m == "sum" else 1.0 for scale, m in zip(chosen, methods)]
    )
    with _single_threaded_blas(len(frame) * len(colnames)):
        scored = score_matrix(
            x, membership, reverse, low, high, integer, required, multiplier, nonsub,
            answered=details,
        )  # fmt: skip
    if not scored.in_range:
        # Error path only: locate every violation for the message.
        checked = np.array(_item_matrix(frame, colnames), dtype=np.float64)
        if nonsub is not None:
            checked[(checked[:, :, None] == nonsub[None, :, :]).any(axis=2)] = np.nan
        _check_ranges(checked, frame, colnames, low, high, integer)

    names = [scale.id for scale in chosen]
    # The kernel returns scales by rows, the layout of a DataFrame's float block:
    # the frame wraps it without a copy.
    scores = pd.DataFrame(scored.scores.T, index=frame.index, columns=names, copy=False)
    below = pd.Series(scored.below, index=names, name="n_below_minimum")
    if below.any():
        listed = ", ".join(f"{s}: {n}" for s, n in below.items() if n)
        warnings.warn(
            f"Some respondents answered too few items and got a missing score ({listed}). "
            "Lower min_valid to score them, or use details=True to see the counts.",
            IncompleteScoresWarning,
            stacklevel=2,
        )
    if not details:
        return scores
    membership_f = membership.astype(np.int64)
    counts = scored.answered
    if counts is None:  # pragma: no cover - asked for with details=True
        raise RuntimeError("the scoring kernel returned no answered counts")
    return ScoringResult(
        scores=scores,
        answered=pd.DataFrame(counts.T, index=frame.index, columns=names, copy=False),
        required=pd.Series(required.astype(np.int64), index=names, name="required"),
        n_items=pd.Series([len(s.items) for s in chosen], index=names, name="items"),
        n_below_minimum=below,
        n_nonsubstantive=pd.Series(
            scored.nonsubstantive @ membership_f, index=names, name="n_nonsubstantive"
        ),
        method=pd.Series(methods, index=names, name="method"),
    )


_TRAILING_CODE = re.compile(r"^(.*?)\s*\(\s*(-?\d+(?:\.\d+)?)\s*\)$")


def recode(
    data: pd.DataFrame,
    instrument: InstrumentLike | Sequence[InstrumentLike],
    *,
    columns: Mapping[str, Hashable] | None = None,
) -> pd.DataFrame:
    """Turn response texts into codes for every item column found.

    Texts are matched in Dutch or English, ignoring case, white space and
    curly versus straight quotes; a label followed by its code in brackets
    (``"zeer mee eens (5)"``, as SurveyMonkey writes them) and plain numeric
    codes are accepted too. Columns that are not items are returned untouched.

    Parameters
    ----------
    data : DataFrame
        Never modified; a new DataFrame is returned.
    instrument : str, Instrument or list of them
    columns : dict, optional
        Maps item ids to the caller's column names.

    Returns
    -------
    DataFrame
        A copy of ``data`` with item columns as float codes (NaN where empty).

    Raises
    ------
    UnknownLabelError
        Listing every unknown label with its column and count, in one error.
    MissingColumnsError
        None of the instruments' item columns is in ``data``.

    Examples
    --------
    >>> import pandas as pd, peoscales
    >>> raw = pd.DataFrame({"brs_1": ["Zeer mee eens", "sterk mee oneens (1)", None]})
    >>> peoscales.recode(raw, "brs")["brs_1"].tolist()
    [5.0, 1.0, nan]
    """
    frame = as_frame(data)
    instruments = _instruments(instrument)
    columns = dict(columns or {})
    wanted = [columns.get(iid, iid) for inst in instruments for iid in inst.items]
    if not any(col in frame.columns for col in wanted):
        # Nothing to recode is a mistake (wrong instrument, or columns not named by
        # item id), never a silent copy of the texts.
        try:
            require_columns(frame, wanted)
        except MissingColumnsError as exc:
            raise MissingColumnsError(
                f"recode found none of the item columns of "
                f"{', '.join(repr(i.name) for i in instruments)}, so nothing would be "
                f"recoded. {exc} Name the columns by item id, or map them with "
                "columns={item id: column}."
            ) from None
    out = frame.copy()
    unknown: list[str] = []
    for inst in instruments:
        for iid in inst.items:
            col = columns.get(iid, iid)
            if col not in frame.columns:
                continue
            rs = inst.response_scale_of(iid)
            lookup = rs.label_map()
            codes = set(rs.code_labels())
            series = frame[col]
            if pd.api.types.is_numeric_dtype(series.dtype):
                out[col] = series.astype("float64")
                continue
            uniques = pd.unique(series.dropna())
            table: dict[Any, float] = {}
            for value in uniques:
                if isinstance(value, (int, float, np.integer, np.floating)):
                    table[value] = float(value)
                    continue
                text = str(value)
                key = normalize_label(text)
                # Only blank text is "no answer"; "?" or "-" normalise to "" but are
                # answers we do not know, so they are reported, never silently dropped.
                if text.strip() == "":
                    table[value] = np.nan
                elif key in lookup:
                    table[value] = lookup[key]
                elif (
                    (m := _TRAILING_CODE.match(text.strip()))
                    and float(m.group(2)) in codes
                    and (
                        normalize_label(m.group(1))
                        in ("", *[k for k, c in lookup.items() if c == float(m.group(2))])
                    )
                ):
                    table[value] = float(m.group(2))
                else:
                    try:
                        number = float(key)
                    except ValueError:
                        number = np.nan
                    if number in codes:
                        table[value] = number
                    else:
                        count = int((series == value).sum())
                        close = difflib.get_close_matches(key, list(lookup), n=1, cutoff=0.6)
                        # The closest known answer text (label or alias), as normalised.
                        hint = f", did you mean {close[0]!r}?" if close else ""
                        unknown.append(f"{col!r}: {text!r} ({count}x{hint})")
            if not unknown:
                out[col] = series.map(table).astype("float64")
    if unknown:
        raise UnknownLabelError(
            f"{len(unknown)} unknown response text(s): {'; '.join(unknown[:12])}"
            f"{' (and more)' if len(unknown) > 12 else ''}. Correct the texts, or add them as "
            "aliases to the instrument's response scale; nothing was recoded."
        )
    return out


def categorize(
    scores: pd.DataFrame | pd.Series,
    instrument: InstrumentLike | Sequence[InstrumentLike],
    *,
    lang: str = "en",
) -> pd.DataFrame:
    """Assign scores to the norm bands of their scale.

    Parameters
    ----------
    scores : DataFrame or Series
        Output of :func:`score` (columns named by scale id), or one Series named
        by its scale id.
    instrument : str, Instrument or list of them
    lang : {"en", "nl"}
        Language of the band labels.

    Returns
    -------
    DataFrame
        One ordered categorical per scale that has bands; the caller's index.

    Notes
    -----
    Bands are declared as published, as closed intervals at the published
    precision (BRS: low 1.00-2.99, normal 3.00-4.30, high 4.31-5.00). A score
    falls in the band with the largest lower bound not above it, so a prorated
    score between two printed bounds (4.305) stays in the lower band.

    Examples
    --------
    >>> import pandas as pd, peoscales
    >>> s = pd.Series([2.5, 3.0, 4.3, 4.5], name="brs")
    >>> peoscales.categorize(s, "brs")["brs"].tolist()
    ['low', 'normal', 'normal', 'high']
    """
    frame = as_frame(scores, "scores")
    instruments = _instruments(instrument)
    scale_map = {sid: sc for inst in instruments for sid, sc in inst.scales.items() if sc.bands}
    present = [c for c in frame.columns if c in scale_map]
    if not present:
        raise MissingColumnsError(
            f"scores has no column named after a scale with norm bands; expected one of "
            f"{preview(sorted(scale_map))}, got {preview(list(frame.columns))}."
        )
    out = {}
    for col in present:
        bands = scale_map[col].bands
        values = numeric_block(frame, [col], "scores")[:, 0]
        lows = np.array([b.low for b in bands])
        outside = ~np.isnan(values) & ((values < lows[0]) | (values > bands[-1].high))
        if outside.any():
            raise OutOfRangeError(
                f"scores[{col!r}] has values outside the bands {bands[0].low:g}-{bands[-1].high:g}: "
                f"{preview(values[outside].tolist(), 3)} in rows "
                f"{preview(frame.index[outside].tolist(), 3)}. Score with the same instrument first."
            )
        codes = np.searchsorted(lows, values, side="right") - 1
        codes[np.isnan(values)] = -1
        labels = [b.label(lang) for b in bands]
        out[col] = pd.Categorical.from_codes(codes, categories=labels, ordered=True)
    return pd.DataFrame(out, index=frame.index)
