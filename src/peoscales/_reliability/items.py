"""Input handling for reliability: item sets of an instrument, checks of the item block, polychoric codes."""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from peoscales._kernels import polychoric as _poly
from peoscales._stack import user_stacklevel
from peoscales._validation import (
    as_frame,
    numeric_block,
    preview,
    require_columns,
)
from peoscales.errors import (
    ConstantColumnWarning,
    DataTypeError,
    InsufficientDataError,
    ParameterError,
)


def _item_sets(
    frame: pd.DataFrame,
    instrument: Any,
    scales: Sequence[str] | str | None,
    items: Sequence[Hashable] | Mapping[str, Sequence[Hashable]] | None,
    columns: Any,
    reverse: Sequence[Hashable] | None,
) -> tuple[list[tuple[str, str, list[Hashable], set[Hashable]]], np.ndarray, list[Hashable]]:
    """(scale id, label, columns, reversed columns) per scale, the item block and its columns."""
    if instrument is not None:
        if items is not None or reverse is not None:
            raise ParameterError(
                "Give either instrument= (reverse keys come from its definition) or "
                "items=/reverse= for an ad-hoc item set, not both."
            )
        from peoscales._scoring import _check_ranges, _instruments, _item_columns, _select_scales

        instruments = _instruments(instrument)
        chosen = _select_scales(instruments, scales)
        by_id = {iid: it for inst in instruments for iid, it in inst.items.items()}
        rs_of = {iid: inst.response_scale_of(iid) for inst in instruments for iid in inst.items}
        item_ids = list(dict.fromkeys(i for sc in chosen for i in sc.items))
        mapping = _item_columns(frame, instruments, [by_id[i] for i in item_ids], columns)
        colnames = [mapping[i] for i in item_ids]
        x = numeric_block(frame, colnames, allow_bool=False)  # True/False are no codes
        for j, iid in enumerate(item_ids):
            codes = rs_of[iid].nonsubstantive_codes
            if codes:
                x[np.isin(x[:, j], codes), j] = np.nan
        low = np.array([rs_of[i].min for i in item_ids], dtype=np.float64)
        high = np.array([rs_of[i].max for i in item_ids], dtype=np.float64)
        integer = np.array([rs_of[i].is_integer_coded for i in item_ids])
        _check_ranges(x, frame, colnames, low, high, integer)
        sets = [
            (
                sc.id,
                sc.label("en"),
                [mapping[i] for i in sc.items],
                {mapping[i] for i in sc.items if i in sc.reverse or by_id[i].reverse},
            )
            for sc in chosen
        ]
        # Non-substantive answers are masked in x: hand the cleaned block on.
        return sets, x, colnames
    if scales is not None or columns is not None:
        raise ParameterError(
            "scales= and columns= select scales of an instrument; give instrument= too, "
            "or use items= for an ad-hoc item set."
        )
    if items is None:
        groups: dict[str, list[Hashable]] = {"scale": list(frame.columns)}
    elif isinstance(items, Mapping):
        groups = {str(k): list(v) for k, v in items.items()}
    elif isinstance(items, (str, bytes)):
        raise ParameterError(
            f"items must be a list of column names (or a dict of lists), got the string {items!r}."
        )
    else:
        groups = {"scale": list(items)}
    wanted = [c for cols in groups.values() for c in cols]
    require_columns(frame, wanted, "data")
    reverse_set = set(reverse or [])
    stray = [r for r in (reverse or []) if r not in set(wanted)]
    if stray:
        raise ParameterError(
            f"reverse names {preview(stray)}, which are not among the items "
            f"{preview(wanted)}; list reverse-keyed item columns only."
        )
    sets = [(sid, sid, cols, {c for c in cols if c in reverse_set}) for sid, cols in groups.items()]
    all_cols = list(dict.fromkeys(wanted))
    return sets, numeric_block(frame, all_cols), all_cols


def _check_block(x: np.ndarray, cols: list[Hashable], scale: str) -> None:
    if len(cols) < 2:
        raise InsufficientDataError(
            f"Scale {scale!r} has {len(cols)} item(s) ({preview(cols)}); reliability needs "
            "at least two items."
        )
    _check_answered((~np.isnan(x)).any(axis=0), cols, scale)


def _check_answered(answered: np.ndarray, cols: list[Hashable], scale: str) -> None:
    """Refuse items that no respondent answered (``answered``: a bool per item)."""
    empty = [c for c, ok in zip(cols, answered) if not ok]
    if empty:
        raise InsufficientDataError(
            f"Column(s) {preview(empty)} of scale {scale!r} have no answers at all; "
            "remove them from the item set."
        )


def _constant_items(x: np.ndarray, cols: list[Hashable], scale: str) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        spread = np.nanmax(x, axis=0) - np.nanmin(x, axis=0)
    return _constant_from_spread(spread, cols, scale)


def _constant_from_spread(spread: np.ndarray, cols: list[Hashable], scale: str) -> np.ndarray:
    """Items whose answers do not vary (``spread``: largest minus smallest), with a warning."""
    constant = ~(spread > 0)
    if constant.any():
        names = [c for c, bad in zip(cols, constant) if bad]
        warnings.warn(
            f"Item(s) {preview(names)} of scale {scale!r} have no variance (every answer "
            "the same), so alpha and the item statistics that need it are NaN. Leave "
            "these items out to get the reliability of the others.",
            ConstantColumnWarning,
            stacklevel=user_stacklevel(),
        )
    return constant


def _rows(x: np.ndarray, missing: str) -> tuple[np.ndarray, int]:
    answered = ~np.isnan(x)
    keep = answered.all(axis=1) if missing == "listwise" else answered.any(axis=1)
    return x[keep], int((~keep).sum())


def _check_pairs(n_pairs: np.ndarray, cols: list[Hashable], scale: str) -> None:
    i, j = np.nonzero(np.triu(n_pairs < 2, 1))
    if i.size:
        pairs = [f"{cols[a]!r} & {cols[b]!r}" for a, b in zip(i, j)]
        raise InsufficientDataError(
            f"In scale {scale!r} some item pairs are answered together by fewer than two "
            f"respondents: {preview(pairs, 3)}. Their covariance cannot be estimated; "
            "remove one of each pair."
        )


def _codes(
    x: np.ndarray, argname: str, max_categories: int, columns: Sequence[Hashable] | None = None
) -> tuple[np.ndarray, int]:
    observed = x[~np.isnan(x)]
    if observed.size == 0:
        raise InsufficientDataError(f"{argname} has no answers at all.")
    if np.any(observed != np.round(observed)):
        bad = np.unique(observed[observed != np.round(observed)])
        where = ""
        if columns is not None:
            fractional = (x != np.round(x)) & ~np.isnan(x)
            where = f" in column(s) {preview([c for c, f in zip(columns, fractional.any(axis=0)) if f])}"
        raise DataTypeError(
            f"{argname}: polychoric correlations need whole-number category codes, got "
            f"{preview(bad.tolist(), 4)}{where}. Recode the answers to ordered integers first."
        )
    low, high = observed.min(), observed.max()
    n_cat = int(high - low) + 1
    if n_cat > max_categories:
        raise ParameterError(
            f"{argname} spans {n_cat} categories ({low:g} to {high:g}), more than "
            f"max_categories={max_categories}; polychoric correlations are meant for a few "
            "ordered categories. Use Pearson correlations (ordinal=False), or raise "
            "max_categories."
        )
    codes = np.where(np.isnan(x), -1, x - low).astype(np.int64)
    return codes, n_cat


def _global_rule(codes: np.ndarray) -> bool:
    """psych's rule: item thresholds unless the items' highest codes differ."""
    highest = np.max(codes, axis=0)
    return bool(highest.min() == highest.max())


def _polychoric_r(x: np.ndarray, argname: str, max_categories: int = 8) -> tuple[np.ndarray, bool]:
    codes, n_cat = _codes(x, argname, max_categories)
    rho, _, _, _ = _poly.polychoric_matrix(
        codes, n_cat, global_thresholds=_global_rule(codes), correct=0.5
    )
    if np.isnan(rho).any():
        return rho, False
    smoothed, changed = _poly.smooth_correlation(rho)
    return smoothed, changed


def _adhoc_block(
    items: Any, reverse: Sequence[Hashable] | None, argname: str = "items"
) -> tuple[np.ndarray, list[Hashable], set[Hashable], pd.DataFrame]:
    frame = as_frame(items, argname)
    cols = list(frame.columns)
    stray = [r for r in (reverse or []) if r not in set(cols)]
    if stray:
        raise ParameterError(
            f"reverse names {preview(stray)}, which are not columns of {argname} ({preview(cols)})."
        )
    return numeric_block(frame, cols, argname), cols, set(reverse or []), frame
