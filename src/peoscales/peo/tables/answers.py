"""Reading one item of a coded wave: its codes, routing (who was asked), non-substantive answers and the order of the answers."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from peoscales._kernels.peo_tables import count_all_codes
from peoscales._validation import check_option, preview, require_columns, suggest
from peoscales.errors import (
    OutOfRangeError,
    ParameterError,
    UnknownLabelError,
)
from peoscales.instruments.model import Instrument, ResponseScale, normalize_label
from peoscales.peo.tables.common import _MISSING, _NOT_ASKED, NOT_ASKED_LABELS, _fmt
from peoscales.peo.tables.groupings import GroupingSpec, resolve_grouping


class _Answers:
    """One item as category indices: ``cat`` is -1 for missing, -2 for not asked.

    ``values`` holds the substantive numeric codes, NaN elsewhere (for means). An item
    read through its codebook is mapped from its few distinct codes
    (``unique_cat``, one category per distinct code of ``coded``): the per-row
    ``cat`` and ``values`` are formed only when a table needs them, and
    :meth:`count` counts the answers from the counts of the distinct codes, so a
    frequency table costs one hashing pass over the rows, as ``value_counts``.
    """

    def __init__(
        self,
        item: str,
        label: str,
        labels: tuple[str, ...],
        substantive: tuple[bool, ...],
        *,
        cat: np.ndarray | None = None,
        values: np.ndarray | None = None,
        coded: _Codes | None = None,
        unique_cat: np.ndarray | None = None,
        nonsubstantive: np.ndarray | None = None,
        n_ungrouped: int = 0,
        grouping_note: str = "",
    ) -> None:
        self.item = item
        self.label = label
        self.labels = labels
        self.substantive = substantive
        self.n_ungrouped = n_ungrouped
        self.grouping_note = grouping_note  # where a grouping put the non-substantive answers
        self._coded = coded
        self._unique_cat = unique_cat
        self._nonsubstantive = nonsubstantive
        if cat is not None:
            self.cat = cat
        if values is not None:
            self.values = values

    @functools.cached_property
    def cat(self) -> np.ndarray:
        """Category index per row (-1 missing, -2 not asked)."""
        coded, unique_cat = self._coded, self._unique_cat
        if coded is None or unique_cat is None:  # pragma: no cover - set in __init__
            raise AttributeError("cat")
        cat = coded.per_row(unique_cat, _MISSING)
        if coded.not_asked is not None:
            cat[coded.not_asked] = _NOT_ASKED
        return cat

    @functools.cached_property
    def values(self) -> np.ndarray:
        """Substantive numeric codes per row, NaN elsewhere."""
        if self._coded is None or self._nonsubstantive is None:  # pragma: no cover
            raise AttributeError("values")
        codes = self._coded.codes
        return np.where(np.isin(codes, self._nonsubstantive), np.nan, codes)

    def count(self, k: int) -> tuple[np.ndarray, dict[int, int]]:
        """Counts of the categories ``0..k-1`` and of the kinds of missing (as
        :func:`peoscales._kernels.peo_tables.count_all_codes`)."""
        coded, unique_cat = self._coded, self._unique_cat
        if "cat" in self.__dict__ or coded is None or unique_cat is None:
            return count_all_codes(self.cat, k)
        counts, negative = count_all_codes(unique_cat, k, weights=coded.unique_counts)
        if coded.not_asked is not None:
            # Rows not asked have no code: they are among the missing ones.
            n_not_asked = int(np.count_nonzero(coded.not_asked))
            negative[_MISSING] = negative.get(_MISSING, 0) - n_not_asked
            negative[_NOT_ASKED] = negative.get(_NOT_ASKED, 0) + n_not_asked
        return counts, negative


def _resolve_codebook(codebook: Instrument | str | None) -> Instrument | None:
    if codebook is None or isinstance(codebook, Instrument):
        return codebook
    if not isinstance(codebook, str):
        raise ParameterError(
            f"codebook must be a wave name such as '2021-09', a codebook or None, "
            f"got {type(codebook).__name__}."
        )
    from peoscales.peo.coding import get_codebook

    result: Instrument = get_codebook(codebook)
    return result


def _codebook_or_wave(codebook: Instrument | str | None, data: object) -> Instrument | str | None:
    """The codebook given, else the codebook of a coded wave passed as the data."""
    if codebook is None and type(data).__name__ == "CodedWave":
        wave_book: Instrument = data.codebook  # type: ignore[attr-defined]
        return wave_book
    return codebook


def _check_lang(lang: str) -> str:
    return str(check_option("lang", lang, ("nl", "en")))


def _check_threshold(min_group_size: int | None) -> int:
    if min_group_size is None:
        return 0
    if (
        isinstance(min_group_size, bool)
        or not isinstance(min_group_size, (int, np.integer))
        or min_group_size < 0
    ):
        raise ParameterError(
            f"min_group_size must be a whole number >= 0 (or None for no suppression), "
            f"got {min_group_size!r}."
        )
    return int(min_group_size)


def _column(data: pd.DataFrame, item: Hashable, argname: str = "item") -> pd.Series:
    if not isinstance(item, Hashable) or isinstance(item, (list, tuple)):
        raise ParameterError(f"{argname} must be one column name, got {item!r}.")
    require_columns(data, [item])
    return data[item]


def _to_codes(series: pd.Series, rs: ResponseScale, item: str) -> _Codes:
    """Answer codes (NaN = missing) and the not-asked mask of one column."""
    n = len(series)
    not_asked: np.ndarray | None = None
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
        codes = series.to_numpy(dtype="float64", na_value=np.nan)
    else:
        if isinstance(series.dtype, pd.CategoricalDtype):
            keys = [str(c) for c in series.cat.categories]
            position = series.cat.codes.to_numpy()
        else:
            present = series.notna().to_numpy()
            text = series.astype("string").to_numpy(dtype=object, na_value=None)
            uniques, inverse = np.unique(
                np.asarray([str(t) for t in text[present]], dtype=object), return_inverse=True
            )
            keys = [str(u) for u in uniques]
            position = np.full(n, -1, dtype=np.int64)
            position[present] = inverse
        mapping = rs.label_map()
        lookup = np.full(len(keys), np.nan)
        asked_flag = np.zeros(len(keys), dtype=bool)
        unknown = []
        for i, key in enumerate(keys):
            norm = normalize_label(key)
            if norm in mapping:
                lookup[i] = mapping[norm]
            elif norm in NOT_ASKED_LABELS:
                asked_flag[i] = True
            else:
                try:
                    lookup[i] = float(key)
                except ValueError:
                    unknown.append(key)
        if unknown:
            rows = series.index[np.isin(position, [keys.index(u) for u in unknown])]
            raise UnknownLabelError(
                f"Column {item!r} has answer(s) {preview(unknown)} that the codebook does not "
                f"know (rows {preview(rows.tolist(), 3)}); known answers: "
                f"{preview([o.label('nl') for o in rs.options], 8)}. Recode them, or code the "
                "raw export with peoscales.peo.code_wave first."
            )
        valid = position >= 0
        codes = np.full(n, np.nan)
        codes[valid] = lookup[position[valid]]
        if asked_flag.any():
            not_asked = np.zeros(n, dtype=bool)
            not_asked[valid] = asked_flag[position[valid]]
    # The distinct codes and their counts, by hashing (one pass, value_counts itself):
    # every check and mapping below works on the few distinct codes, not on every row.
    distinct = pd.Series(codes, copy=False).value_counts(dropna=False, sort=False)
    uniques = distinct.index.to_numpy(dtype=float)
    unique_counts = distinct.to_numpy(dtype=np.int64)
    allowed = np.asarray([o.code for o in rs.options], dtype=float)
    if rs.kind in ("numeric", "likert") and rs.min is not None and rs.max is not None:
        ok = ((uniques >= rs.min) & (uniques <= rs.max)) | np.isin(uniques, allowed)
    else:
        ok = np.isin(uniques, allowed)
    ok |= np.isnan(uniques)  # missing
    if not ok.all():
        bad = np.isin(codes, uniques[~ok])
        values = sorted({float(v) for v in uniques[~ok]})
        raise OutOfRangeError(
            f"Column {item!r} has code(s) {preview(values)} outside its answers "
            f"(rows {preview(series.index[bad].tolist(), 3)}); allowed: "
            f"{preview(allowed.tolist() or [rs.min, rs.max], 8)}. Correct or remove these values."
        )
    return _Codes(codes, not_asked, uniques, unique_counts)


@dataclass(frozen=True)
class _Codes:
    """One column's answer codes (NaN = missing), the not-asked mask (None when no
    row is marked not asked), and the distinct codes (NaN among them for missing)
    with their counts."""

    codes: np.ndarray
    not_asked: np.ndarray | None
    uniques: np.ndarray
    unique_counts: np.ndarray

    def lookup(self, table: Mapping[float, int], default: int) -> np.ndarray:
        """Per distinct code, ``table[code]`` (``default`` for codes not in it and NaN)."""
        return np.asarray([table.get(float(u), default) for u in self.uniques], dtype=np.int64)

    def per_row(self, per_unique: np.ndarray, default: int) -> np.ndarray:
        """Per row, the entry of ``per_unique`` for its distinct code (a new array)."""
        inverse, found = pd.factorize(self.codes)  # NaN gets -1
        at = pd.Index(self.uniques).get_indexer(np.asarray(found, dtype=float))
        table = np.append(per_unique[at], default)  # -1 picks the last entry: default
        return table.astype(np.int64)[inverse]


def _answers(
    data: pd.DataFrame,
    item: Hashable,
    codebook: Instrument | None,
    lang: str,
    grouping: GroupingSpec | None = None,
    argname: str = "item",
    substantive_only: bool = False,
    reverse: bool = False,
    grouping_arg: str = "grouping",
) -> _Answers:
    entry_of = codebook.items.get(str(item)) if codebook is not None else None
    in_codebook = entry_of is not None
    if (
        in_codebook
        and codebook is not None
        and codebook.response_scale_of(str(item)).kind == "multi"
    ):
        raise ParameterError(
            f"{argname}={item!r} is a check-all-that-apply question: each of its options "
            "is chosen or not. Tabulate it with peo.multi_response_table(data, "
            f"{str(item)!r})."
        )
    parts = tuple(getattr(entry_of, "combines", ()) or ())
    if item not in data.columns and parts and all(p in data.columns for p in parts):
        # an item asked in several routed branches: each respondent answered one of them
        series = data[list(parts)].bfill(axis=1).iloc[:, 0].rename(str(item))
    else:
        series = _column(data, item, argname)
    n = len(series)
    if codebook is None or item not in codebook.items:
        if codebook is not None:
            from peoscales.peo.coding import multi_columns

            owner = multi_columns(codebook).get(str(item))
            if owner is not None:
                raise ParameterError(
                    f"{argname}={item!r} is an option of check-all-that-apply question "
                    f"{owner[0]!r}. Tabulate the question with peo.multi_response_table(data, "
                    f"{owner[0]!r}); for this option alone, data[{item!r}].value_counts()."
                )
            close = suggest(item, codebook.items)
            hint = f" Did you mean {preview(close)}?" if close else ""
            if not isinstance(series.dtype, pd.CategoricalDtype):
                raise ParameterError(
                    f"{argname}={item!r} is not an item of codebook {codebook.name!r}.{hint} "
                    "Use an item id, or make the column an ordered categorical."
                )
        if grouping is not None:
            raise ParameterError(
                f"{grouping_arg}={grouping!r} needs a codebook item; {item!r} has no codebook "
                "entry."
            )
        cat_series = series.astype("category")
        labels = tuple(str(c) for c in cat_series.cat.categories)
        return _Answers(
            str(item),
            str(item),
            labels,
            (True,) * len(labels),
            cat=cat_series.cat.codes.to_numpy().astype(np.int64),
            values=np.full(n, np.nan),
        )

    entry = codebook.items[str(item)]
    rs = codebook.response_scale_of(str(item))
    if rs.kind == "text":
        raise ParameterError(
            f"{argname}={item!r} is an open question (free text); it has no answers to count. "
            "Categorise the texts first, or choose a closed question."
        )
    coded = _to_codes(series, rs, str(item))
    codes = coded.codes
    if entry.asked_if is not None and entry.asked_if.item in data.columns:
        filt = _answers(data, entry.asked_if.item, codebook, lang, argname="asked_if")
        filt_rs = codebook.response_scale_of(entry.asked_if.item)
        filt_codes = np.full(n, np.nan)
        answered = filt.cat >= 0
        option_codes = _row_codes(filt_rs, filt.labels, lang)
        filt_codes[answered] = option_codes[filt.cat[answered]]
        routed_away = answered & ~np.isin(filt_codes, entry.asked_if.codes)
        not_asked = np.isnan(codes) & routed_away
        if coded.not_asked is not None:
            not_asked |= coded.not_asked
        coded = dataclasses.replace(coded, not_asked=not_asked)
    nonsub_codes = np.asarray(rs.nonsubstantive_codes, dtype=float)
    # The substantive distinct codes (a numeric scale's table lists those it finds).
    distinct = coded.uniques[~np.isnan(coded.uniques) & ~np.isin(coded.uniques, nonsub_codes)]

    row_codes: list[float]
    labels_list: list[str]
    subst: list[bool]
    n_ungrouped = 0
    grouping_note = ""
    cat: np.ndarray | None = None  # per row, or per distinct code in unique_cat
    unique_cat: np.ndarray | None = None
    values: np.ndarray | None = None  # per row, formed here for a grouping only
    if grouping is not None:
        values = np.where(np.isin(codes, nonsub_codes), np.nan, codes)
        groups = resolve_grouping(grouping, rs, str(item), grouping_arg)
        cat = np.full(n, _MISSING, dtype=np.int64)
        for position, group in enumerate(groups.groups):
            if group.rest:
                continue
            # Listed codes match the raw codes, so that a non-substantive answer a grouping
            # names (future3 counts "weet niet" in the middle) joins its group.
            mask = group.contains(values) if group.interval is not None else group.contains(codes)
            cat[(cat == _MISSING) & mask] = position
        for position, group in enumerate(groups.groups):
            if group.rest:
                cat[(cat == _MISSING) & ~np.isnan(values)] = position
        labels_list = [g.label(lang) for g in groups.groups]
        subst = [True] * len(labels_list)
        next_index = len(labels_list)
        merged = []
        for option in rs.options:
            if option.substantive:
                continue
            joined = [g for g in groups.groups if not g.rest and option.code in g.codes]
            if joined:
                merged.append(f"'{option.label(lang)}' in '{joined[0].label(lang)}'")
                continue
            cat[codes == option.code] = next_index
            labels_list.append(option.label(lang))
            subst.append(False)
            next_index += 1
        n_ungrouped = int(((cat == _MISSING) & ~np.isnan(values)).sum())
        grouping_note = _grouping_note(entry.label(lang), rs, merged, lang)
    else:
        if rs.options:
            row_codes = [o.code for o in rs.options if o.substantive]
            labels_list = [o.label(lang) for o in rs.options if o.substantive]
            row_codes += [o.code for o in rs.options if not o.substantive]
            labels_list += [o.label(lang) for o in rs.options if not o.substantive]
            # numeric scales may list only some values as options
            if rs.kind == "numeric":
                extra = sorted(set(distinct.tolist()) - set(row_codes))
                row_codes = (
                    sorted(row_codes[: len(rs.substantive_codes)] + extra)
                    + row_codes[len(rs.substantive_codes) :]
                )
                lab = rs.code_labels(lang)
                labels_list = [lab.get(c, _fmt(c)) for c in row_codes]
        else:
            lo, hi = rs.min, rs.max
            if (
                rs.is_integer_coded
                and lo is not None
                and hi is not None
                and hi - lo <= 20
                and np.all(distinct == np.round(distinct))
            ):
                row_codes = [float(v) for v in np.arange(lo, hi + 1)]
            else:
                row_codes = sorted(np.unique(distinct).tolist())
            labels_list = [_fmt(c) for c in row_codes]
        nonsub = set(rs.nonsubstantive_codes)
        subst = [c not in nonsub for c in row_codes]
        row_of: dict[float, int] = {}
        for position, code in enumerate(row_codes):
            row_of.setdefault(float(code), position)
        unique_cat = coded.lookup(row_of, _MISSING)
    if cat is not None and coded.not_asked is not None:
        cat[coded.not_asked] = _NOT_ASKED
    # The orderings below renumber categories: done on the distinct codes' categories
    # when the rows' categories are not formed yet.
    if reverse:
        # substantive answers high to low, non-substantive ones stay last
        k_sub = sum(subst)
        perm = np.r_[np.arange(k_sub)[::-1], np.arange(k_sub, len(labels_list))]
        inverse = np.empty_like(perm)
        inverse[perm] = np.arange(perm.size)
        cat, unique_cat = (_renumber(c, inverse) for c in (cat, unique_cat))
        labels_list = [labels_list[i] for i in perm]
        subst = [subst[i] for i in perm]
    if substantive_only:
        keep = np.asarray(subst, dtype=bool)
        remap = np.full(len(labels_list), _MISSING, dtype=np.int64)
        remap[keep] = np.arange(int(keep.sum()))
        cat, unique_cat = (_renumber(c, remap) for c in (cat, unique_cat))
        labels_list = [lab for lab, k in zip(labels_list, keep) if k]
        subst = [True] * len(labels_list)
    return _Answers(
        str(item),
        entry.label(lang),
        tuple(labels_list),
        tuple(subst),
        cat=cat,
        values=values,
        coded=coded,
        unique_cat=unique_cat,
        nonsubstantive=nonsub_codes,
        n_ungrouped=n_ungrouped,
        grouping_note=grouping_note,
    )


def _renumber(cat: np.ndarray | None, new: np.ndarray) -> np.ndarray | None:
    """Categories ``c >= 0`` renumbered to ``new[c]``; missing and not asked kept."""
    if cat is None:
        return None
    return np.where(cat >= 0, new[np.clip(cat, 0, None)], cat)


def _grouping_note(label: str, rs: ResponseScale, merged: list[str], lang: str) -> str:
    """Where a grouping put the non-substantive answers, for the table's notes."""
    apart = [o.label(lang) for o in rs.options if not o.substantive]
    if not apart:
        return ""
    if merged:
        joined = "; ".join(merged)
        return (
            f"{label}: {joined} (zo gegroepeerd)."
            if lang == "nl"
            else f"{label}: {joined}, as grouped."
        )
    names = ", ".join(f"'{a}'" for a in apart)
    return (
        f"{label}: {names} apart van de groepen gehouden."
        if lang == "nl"
        else f"{label}: {names} kept apart from the groups."
    )


def _row_codes(rs: ResponseScale, labels: tuple[str, ...], lang: str) -> np.ndarray:
    """Codes of the rows of an ungrouped item (to evaluate routing)."""
    by_label = {v: k for k, v in rs.code_labels(lang).items()}
    out = []
    for lab in labels:
        if lab in by_label:
            out.append(by_label[lab])
        else:
            try:
                out.append(float(lab))
            except ValueError:
                out.append(np.nan)
    return np.asarray(out, dtype=float)
