"""Coding a raw PEO survey export with the codebook of its wave.

:func:`code_wave` finds every codebook item in the export by its question text,
turns the answer texts into ordered categoricals (numbers for numeric items, the
text itself for open questions) and works out, from the questionnaire's routing,
which respondent was asked which question.

Three states of a cell
----------------------
``answered``
    The respondent was routed to the question and answered it.
``no answer``
    The respondent was routed to the question and left it empty.
``not asked``
    Skip logic did not route the respondent to the question (for example the
    questions for respondents with (ruim) onvoldoende professional space, asked
    of someone whose space is voldoende).

In :attr:`CodedWave.data` both ``no answer`` and ``not asked`` are missing
values; :attr:`CodedWave.asked` (a boolean frame of the same shape) tells them
apart and :meth:`CodedWave.status` spells the three states out. Frequency tables
should count ``no answer`` among the respondents asked and leave ``not asked``
out altogether.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from peoscales._results import Result, preview_rows, sections_html
from peoscales._stack import user_stacklevel
from peoscales._validation import preview, suggest
from peoscales.errors import (
    AmbiguousMatchError,
    DataTypeError,
    DuplicateColumnsError,
    InstrumentNotFoundError,
    MissingColumnsError,
    ParameterError,
    PartialExportWarning,
    SurveyFormatError,
    UnknownLabelError,
)
from peoscales.instruments.model import (
    Instrument,
    Item,
    ResponseOption,
    ResponseScale,
    normalize_label,
    option_column,
)
from peoscales.instruments.registry import get_instrument, list_instruments

__all__ = ["STATUS_LABELS", "CodedWave", "code_wave", "get_codebook", "list_waves"]

#: The three states of a cell, in the order of :meth:`CodedWave.status`'s categories.
STATUS_LABELS = ("answered", "no answer", "not asked")

#: Second-header labels survey tools give the free-text field of an "other" answer.
OTHER_SUBS = (
    "Other (please specify)",
    "Anders (graag specificeren)",
    "Anders (geef nadere toelichting)",
    "Other",
)

#: A header shorter than this (after normalising) is never matched by prefix.
MIN_PREFIX = 12


# ------------------------------------------------------------------ codebooks


def _codebooks() -> dict[str, Instrument]:
    """Registered codebooks with a wave, by wave."""
    table = list_instruments()
    out = {}
    for name in table.index[table["kind"] == "codebook"]:
        book = get_instrument(str(name))
        if book.wave:
            out[str(book.wave)] = book
    return dict(sorted(out.items()))


def list_waves() -> pd.DataFrame:
    """List the PEO waves that have a codebook.

    Returns
    -------
    pandas.DataFrame
        Indexed by wave (``"2021-09"``): the codebook's name, title and the
        number of questions (items with a column of their own in an export).

    Examples
    --------
    >>> from peoscales.peo import list_waves
    >>> list_waves().index.tolist()
    ['2020-05', '2021-09', '2022-04']
    """
    rows = [
        {
            "wave": wave,
            "name": book.name,
            "title": book.title,
            "n_questions": sum(1 for it in book.items.values() if not it.combines),
        }
        for wave, book in _codebooks().items()
    ]
    return pd.DataFrame(rows).set_index("wave")


def get_codebook(wave: str | Instrument) -> Instrument:
    """Return the codebook of a PEO wave.

    Parameters
    ----------
    wave : str or Instrument
        The wave as ``"YYYY-MM"`` (``"2021-09"``), the codebook's name
        (``"peo_2021_09"``, or that of another survey's codebook such as
        ``"mental_fitness_2021"``) or a codebook itself.

    Raises
    ------
    InstrumentNotFoundError
        No codebook for that wave; the message lists the waves there are.

    Examples
    --------
    >>> from peoscales.peo import get_codebook
    >>> book = get_codebook("2021-09")
    >>> book.name, book.items["work_pleasure"].label("en")
    ('peo_2021_09', 'Work pleasure (1-10)')
    """
    if isinstance(wave, Instrument):
        if wave.kind != "codebook":
            raise ParameterError(
                f"wave: {wave.name!r} is an instrument, not a codebook; give a PEO wave such "
                "as '2021-09'."
            )
        return wave
    if not isinstance(wave, str):
        raise ParameterError(
            f"wave must be a wave such as '2021-09' or a codebook, got {type(wave).__name__}."
        )
    books = _codebooks()
    if wave in books:
        return books[wave]
    for book in books.values():
        if book.name == wave:
            return book
    # a registered codebook of a survey that is no PEO wave (e.g. mental_fitness_2021)
    table = list_instruments()
    if wave in table.index and table.loc[wave, "kind"] == "codebook":
        return get_instrument(wave)
    close = suggest(wave, [*books, *(b.name for b in books.values())])
    hint = f" Did you mean {preview(close)}?" if close else ""
    raise InstrumentNotFoundError(
        f"No PEO codebook for wave {wave!r}.{hint} Waves: {preview(list(books), 20)}; "
        "see peoscales.peo.list_waves()."
    )


# ------------------------------------------------------------------ result


@dataclass(frozen=True, eq=False, repr=False)
class CodedWave(Result):
    """A coded PEO wave: one row per respondent, one column per codebook item.

    Attributes
    ----------
    data : pandas.DataFrame
        Indexed like the export (its respondent ids). Categorical items are
        pandas categoricals whose categories are the codebook's answer labels in
        codebook order (``ordered=True`` for ordinal items), including the
        non-substantive answers such as ``weet niet``; numeric items are floats;
        open questions and ``Anders, namelijk`` texts are strings. A
        check-all-that-apply (``multi``) item gives one nullable boolean column per
        option, ``<item>_<option name or code>`` (True chosen, False not chosen, NA
        not asked), plus ``<column>_text`` for its "Anders, namelijk" text. Items that
        combine the branches of a filter question come after the questions.
        Missing values are either ``no answer`` or ``not asked`` (see
        :attr:`asked`).
    asked : pandas.DataFrame
        Booleans, same shape as ``data``: True where the questionnaire's routing
        put the question to the respondent.
    codebook : Instrument
        The codebook used.
    matched : Mapping[str, Hashable]
        Item id to the export column it was read from.
    unmatched : tuple of str
        Codebook items (with a column of their own) not found in the export;
        they are left out of ``data``.
    unused : tuple
        Export columns that no item was read from.
    source : str
        Where the export came from.
    """

    data: pd.DataFrame
    asked: pd.DataFrame
    codebook: Instrument
    matched: Mapping[str, Hashable]
    unmatched: tuple[str, ...]
    unused: tuple[Hashable, ...]
    source: str

    @property
    def wave(self) -> str:
        """The wave, e.g. ``"2021-09"``."""
        return str(self.codebook.wave)

    @property
    def n(self) -> int:
        """Number of respondents."""
        return len(self.data)

    def to_frame(self) -> pd.DataFrame:
        """The coded answers (a copy of :attr:`data`)."""
        return self.data.copy()

    def status(self) -> pd.DataFrame:
        """Each cell as ``answered``, ``no answer`` or ``not asked`` (categoricals).

        Examples
        --------
        >>> from peoscales.peo import code_wave, load_demo_export
        >>> coded = code_wave(load_demo_export(), wave="2021-09")
        >>> coded.status()["limit_skj_insufficient"].value_counts().to_dict()
        {'not asked': 153, 'answered': 25, 'no answer': 0}
        """
        answered = self.data.notna().to_numpy()
        asked = self.asked.to_numpy()
        codes = np.where(answered, 0, np.where(asked, 1, 2))
        return pd.DataFrame(
            {
                col: pd.Categorical.from_codes(codes[:, j], categories=list(STATUS_LABELS))
                for j, col in enumerate(self.data.columns)
            },
            index=self.data.index,
        )

    def codes(self, items: Any = None) -> pd.DataFrame:
        """Numeric codes of categorical and numeric items (floats); the options of a
        check-all-that-apply item are 1.0 (chosen) or 0.0.

        Non-substantive answers (``weet niet``), ``no answer`` and ``not asked``
        are NaN, so means and scale scores never include them. Open questions
        are left out.
        """
        ids = list(self.data.columns) if items is None else _as_list(items)
        unknown = [i for i in ids if i not in self.data.columns]
        if unknown:
            raise MissingColumnsError(
                f"items: {preview(unknown)} are not coded items of this wave. "
                f"Coded items: {preview(list(self.data.columns), 10)}."
            )
        out = {}
        boxes = multi_columns(self.codebook)
        for item_id in ids:
            if item_id in boxes:
                if not boxes[item_id][2]:
                    out[item_id] = self.data[item_id].astype("Float64").astype("float64")
                continue
            scale = self.codebook.response_scale_of(item_id)
            column = self.data[item_id]
            if scale.kind == "text":
                continue
            if scale.kind == "numeric" and not isinstance(column.dtype, pd.CategoricalDtype):
                out[item_id] = column.astype("float64")
                continue
            option_codes = np.array(
                [o.code if o.substantive else np.nan for o in scale.options], dtype=float
            )
            cat_codes = column.cat.codes.to_numpy()
            values = np.where(cat_codes >= 0, option_codes[np.maximum(cat_codes, 0)], np.nan)
            out[item_id] = pd.Series(values, index=self.data.index)
        return pd.DataFrame(out, index=self.data.index)

    def summary(self) -> str:
        """What was matched, what not, and how many respondents."""
        lines = [
            f"PEO wave {self.wave} ({self.codebook.name}) coded from {Path(self.source).name}: "
            f"{self.n} respondents, {len(self.matched)} questions matched"
        ]
        if self.unmatched:
            lines.append(f"Not found in the export: {', '.join(self.unmatched)}")
        if self.unused:
            lines.append(f"Export columns not used: {preview(list(self.unused), 8)}")
        return "\n".join(lines)

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Coded PEO wave {self.wave}"

    def _repr_html_(self) -> str:
        lines = self.summary().split("\n")
        rows = min(10, self.n)
        return sections_html(
            self.title,
            [(f"Answers, first {rows} of {self.n} respondents", preview_rows(self.data, rows))],
            lines,
        )


def _as_list(items: Any) -> list[str]:
    return [items] if isinstance(items, str) else list(items)


# ------------------------------------------------------------------ matching


def _norm(text: str) -> str:
    # normalize_label, and also drop a leading question number ("6. ", "Q6 ") and
    # spaces before punctuation, which survey tools add or remove.
    out = normalize_label(text)
    out = re.sub(r"^(q\s?)?\d{1,3}[.)]\s+", "", out)
    return re.sub(r"\s+([,.;:?!)])", r"\1", out)


def _level(a: str, b: str) -> int:
    """2 equal, 1 one is a prefix of the other (long enough), 0 no match."""
    if not a or not b:
        return 0
    if a == b:
        return 2
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= MIN_PREFIX and long_.startswith(short):
        return 1
    return 0


@dataclass(frozen=True)
class _Cols:
    labels: list[Hashable]
    questions: list[str]
    subs: list[str]
    positions: list[int]


def _column_table(raw: Any) -> tuple[pd.DataFrame, _Cols, str]:
    from peoscales._io import SurveyExport, read_survey

    if isinstance(raw, (str, Path)):
        raw = read_survey(raw)
    if isinstance(raw, SurveyExport):
        table = raw.columns
        return (
            raw.data,
            _Cols(
                labels=list(table.index),
                questions=[str(q) for q in table["question"]],
                subs=[str(s) for s in table["sub"]],
                positions=[int(p) for p in table["position"]],
            ),
            raw.source,
        )
    if isinstance(raw, pd.DataFrame):
        duplicated = raw.columns[raw.columns.duplicated()].unique().tolist()
        if duplicated:
            raise DuplicateColumnsError(
                f"raw has duplicated question columns: {preview(duplicated)}. Each question "
                "must occur once; drop the copies (raw.loc[:, ~raw.columns.duplicated()]) or "
                "read the file with peoscales.read_survey, which keeps repeated questions apart."
            )
        questions, subs = [], []
        for label in raw.columns:
            q, _, s = str(label).partition(" | ")
            questions.append(q.strip())
            subs.append(s.strip())
        return (
            raw,
            _Cols(list(raw.columns), questions, subs, list(range(raw.shape[1]))),
            "<DataFrame>",
        )
    raise DataTypeError(
        f"raw must be a SurveyExport (from peoscales.read_survey), a pandas DataFrame or the "
        f"path of an export, got {type(raw).__name__}."
    )


def _item_keys(book: Instrument, item: Item) -> tuple[list[str], list[str], bool]:
    """Normalised question texts, sub-labels, and whether the sub must match exactly."""
    source = book.items[item.other_of] if item.other_of else item
    questions = [_norm(t) for t in dict.fromkeys(source.text.values()) if t]
    if item.other_of and not item.text:
        subs = [_norm(t) for t in (*item.row.values(), *OTHER_SUBS)]
        return questions, subs, True
    if item.text:
        questions = [_norm(t) for t in dict.fromkeys(item.text.values()) if t]
    return questions, [_norm(t) for t in item.row.values()], False


def _candidates(book: Instrument, cols: _Cols) -> dict[str, list[int]]:
    """For each item with a column of its own, the best-matching column positions."""
    nq = [_norm(q) for q in cols.questions]
    ns = [_norm(s) for s in cols.subs]
    out: dict[str, list[int]] = {}
    for item in book.items.values():
        if item.combines or _is_multi(book, item):
            continue
        questions, subs, exact_sub = _item_keys(book, item)
        best: tuple[int, int] = (0, 0)
        found: list[int] = []
        for j in range(len(nq)):
            q_level = max((_level(q, nq[j]) for q in questions), default=0)
            if not q_level:
                continue
            if subs:
                s_level = max(
                    ((2 if s == ns[j] else 0) if exact_sub else _level_sub(s, ns[j]) for s in subs),
                    default=0,
                )
            else:
                s_level = 2 if ns[j] == "" else 0
            if not s_level:
                continue
            score = (q_level, s_level)
            if score > best:
                best, found = score, [j]
            elif score == best:
                found.append(j)
        out[item.id] = found
    return out


def _level_sub(a: str, b: str) -> int:
    if not a or not b:
        return 0
    if a == b:
        return 2
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return 1 if len(short) >= 4 and long_.startswith(short) else 0


def _describe(cols: _Cols, j: int) -> str:
    label = cols.labels[j]
    return f"{label!r} (column {cols.positions[j] + 1})"


def _resolve(
    book: Instrument, cols: _Cols, cands: dict[str, list[int]], fixed: dict[str, int]
) -> dict[str, int]:
    taken = set(fixed.values())
    groups: dict[tuple[int, ...], list[str]] = {}
    for item_id, options in cands.items():
        if item_id in fixed:
            continue
        free = tuple(j for j in options if j not in taken)
        if free:
            groups.setdefault(free, []).append(item_id)
    assigned = dict(fixed)
    order = {it: k for k, it in enumerate(book.administration_order)}
    for found, group in groups.items():
        ids = sorted(group, key=order.__getitem__)
        if len(found) == len(ids):
            # The same question asked in several branches: match in questionnaire order.
            for item_id, j in zip(ids, sorted(found, key=cols.positions.__getitem__), strict=True):
                assigned[item_id] = j
            continue
        shown = "; ".join(_describe(cols, j) for j in found[:5])
        if len(found) > len(ids):
            keys = {(_norm(cols.questions[j]), _norm(cols.subs[j])) for j in found}
            if len(keys) == 1:
                raise DuplicateColumnsError(
                    f"The export has duplicated question columns: {shown} carry the same "
                    f"question, but the codebook asks it {len(ids)} time(s) (item(s) "
                    f"{preview(ids)}). Remove the copies from the data, or say which column "
                    f"to use: code_wave(..., columns={{{ids[0]!r}: <column>}})."
                )
            raise AmbiguousMatchError(
                f"Item(s) {preview(ids)} match several columns of the export equally well: "
                f"{shown}. Say which to use: code_wave(..., columns={{{ids[0]!r}: <column>}})."
            )
        raise AmbiguousMatchError(
            f"Column(s) {shown} match several codebook items equally well: {preview(ids)} "
            "(a shortened header can be the start of more than one question). Map them "
            f"explicitly: code_wave(..., columns={{{ids[0]!r}: <column>, ...}})."
        )
    used: dict[int, list[str]] = {}
    for item_id, j in assigned.items():
        used.setdefault(j, []).append(item_id)
    clashes = {j: ids for j, ids in used.items() if len(ids) > 1}
    if clashes:
        j, ids = next(iter(clashes.items()))
        raise AmbiguousMatchError(
            f"Column {_describe(cols, j)} matches several codebook items: {preview(ids)}. "
            f"Map them explicitly: code_wave(..., columns={{{ids[0]!r}: <column>, ...}})."
        )
    return assigned


def _column_order(book: Instrument) -> list[str]:
    """Questionnaire order, with each ``Anders, namelijk`` text after its item."""
    order = [i for i in book.administration_order if not book.items[i].other_of]
    for item in book.items.values():
        if item.other_of:
            parent = item.other_of if item.other_of in order else order[-1]
            order.insert(order.index(parent) + 1, item.id)
    return order


def _n_matchable(book: Instrument) -> int:
    return sum(
        1
        for it in book.items.values()
        if not it.combines and not it.other_of and not _is_multi(book, it)
    )


def _match_share(book: Instrument, cols: _Cols) -> tuple[int, int]:
    cands = _candidates(book, cols)
    hits = sum(1 for k, v in cands.items() if v and not book.items[k].other_of)
    return hits, _n_matchable(book)


# ------------------------------------------------------------------ check all that apply


def _is_multi(book: Instrument, item: Item) -> bool:
    return book.response_scales[item.response_scale].kind == "multi"


def multi_columns(book: Instrument) -> dict[str, tuple[str, ResponseOption, bool]]:
    """Coded column -> (multi item, option, whether it is the option's free text)."""
    out: dict[str, tuple[str, ResponseOption, bool]] = {}
    for item in book.items.values():
        if _is_multi(book, item):
            for option in book.response_scale_of(item.id).options:
                column = option_column(item.id, option)
                out[column] = (item.id, option, False)
                if option.other:
                    out[f"{column}_text"] = (item.id, option, True)
    return out


@dataclass(frozen=True)
class _MultiColumns:
    """Where a check-all-that-apply item sits in the export: one column per option
    (``boxes``: option position -> column position), or one column of comma-separated
    choices (``listed``); ``texts``: the "Anders, namelijk" option's text column."""

    boxes: dict[int, int]
    texts: dict[int, int]
    listed: int | None

    def positions(self) -> set[int]:
        out = set(self.boxes.values()) | set(self.texts.values())
        return out | ({self.listed} if self.listed is not None else set())


def _option_keys(option: ResponseOption) -> set[str]:
    keys = {_norm(t) for t in (*option.labels.values(), *option.aliases)}
    if option.other:
        keys |= {_norm(t) for t in OTHER_SUBS}
    return keys - {""}


def _text_column(cols: _Cols, label: Hashable, taken: set[int]) -> int | None:
    """The ``<label>_TEXT`` column Qualtrics gives the text of an "other" choice."""
    wanted = f"{label}_TEXT".casefold()
    found = [
        j for j, lab in enumerate(cols.labels) if str(lab).casefold() == wanted and j not in taken
    ]
    return found[0] if found else None


def _find_multi(
    book: Instrument, item: Item, cols: _Cols, taken: set[int], fixed: Any = None
) -> _MultiColumns | None:
    """The export columns of a check-all-that-apply item, matched on the question (first
    header row) and each option's text (second header row)."""
    options = book.response_scale_of(item.id).options
    other = next((k for k, o in enumerate(options) if o.other), None)
    label_pos = {label: j for j, label in enumerate(cols.labels)}
    if fixed is not None:
        if isinstance(fixed, (list, tuple)):
            if len(fixed) != len(options):
                raise ParameterError(
                    f"columns[{item.id!r}]: give one column per option ({len(options)}: "
                    f"{preview([o.label() for o in options], 8)}), in the codebook's order, "
                    f"or the one column that lists the choices; got {len(fixed)}."
                )
            missing = [c for c in fixed if c not in label_pos]
            if missing:
                raise MissingColumnsError(
                    f"columns[{item.id!r}]: the export has no column(s) {preview(missing)}."
                )
            mapped = {k: label_pos[c] for k, c in enumerate(fixed)}
            texts: dict[int, int] = {}
            if other is not None:
                j = _text_column(cols, fixed[other], taken)
                texts = {other: mapped[other] if j is None else j}
            return _MultiColumns(mapped, texts, None)
        if fixed not in label_pos:
            close = suggest(str(fixed), [str(c) for c in cols.labels])
            hint = f" Did you mean {preview(close)}?" if close else ""
            raise MissingColumnsError(
                f"columns[{item.id!r}]: the export has no column {fixed!r}.{hint}"
            )
        j = label_pos[fixed]
        t = (
            None
            if other is None
            else _text_column(cols, f"{fixed}_{int(options[other].code)}", taken)
        )
        return _MultiColumns({}, {} if t is None or other is None else {other: t}, j)
    questions = [_norm(t) for t in dict.fromkeys(item.text.values()) if t]
    levels = [
        0
        if j in taken
        else max((_level(q, _norm(cols.questions[j])) for q in questions), default=0)
        for j in range(len(cols.labels))
    ]
    best = max(levels, default=0)
    if not best:
        return None
    found = [j for j, level in enumerate(levels) if level == best]
    keys = [_option_keys(o) for o in options]
    boxes: dict[int, list[int]] = {}
    strays: list[int] = []
    lists: list[int] = []
    for j in found:
        sub = _norm(cols.subs[j])
        if not sub:
            lists.append(j)
            continue
        hit = [k for k in range(len(options)) if sub in keys[k]]
        if not hit:
            hit = [k for k in range(len(options)) if any(_level_sub(x, sub) for x in keys[k])]
        if len(hit) == 1:
            boxes.setdefault(hit[0], []).append(j)
        else:
            strays.append(j)
    if strays and (boxes or not lists):
        raise UnknownLabelError(
            f"Column(s) {'; '.join(_describe(cols, j) for j in strays[:5])} carry the question "
            f"of check-all-that-apply item {item.id!r}, but their option text "
            f"{preview([cols.subs[j] for j in strays])} is not one of its options "
            f"({preview([o.label() for o in options], 10)}). Add the text as an alias of its "
            "option in the codebook, or map the columns with "
            f"code_wave(..., columns={{{item.id!r}: [<one column per option>]}})."
        )
    twice = {k: js for k, js in boxes.items() if len(js) > 1}
    if twice:
        k, js = next(iter(twice.items()))
        raise AmbiguousMatchError(
            f"Option {options[k].label()!r} of item {item.id!r} matches several columns: "
            f"{'; '.join(_describe(cols, j) for j in js)}. Map the columns with "
            f"code_wave(..., columns={{{item.id!r}: [<one column per option>]}})."
        )
    if boxes:
        single = {k: js[0] for k, js in boxes.items()}
        texts = {}
        if other is not None and other in single:
            j = _text_column(cols, cols.labels[single[other]], taken | set(single.values()))
            texts = {other: single[other] if j is None else j}
        return _MultiColumns(single, texts, None)
    if len(lists) > 1:
        raise AmbiguousMatchError(
            f"Item {item.id!r} matches several columns equally well: "
            f"{'; '.join(_describe(cols, j) for j in lists[:5])}. Say which to use: "
            f"code_wave(..., columns={{{item.id!r}: <column>}})."
        )
    texts = {}
    if other is not None:
        t = _text_column(cols, f"{cols.labels[lists[0]]}_{int(options[other].code)}", taken)
        texts = {} if t is None else {other: t}
    return _MultiColumns({}, texts, lists[0])


_CHECKED = {"1": True, "1.0": True, "true": True, "0": False, "0.0": False, "false": False}


def _distinct(values: pd.Series) -> tuple[np.ndarray, list[Any], np.ndarray]:
    """Each row's position among the distinct non-missing values (-1 when missing), the
    distinct values, and how often each occurs: the coding looks at each value once."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    codes = np.asarray(codes, dtype=np.int64)
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    return codes, list(uniques), counts


def _code_box(
    values: pd.Series, option: ResponseOption, text_too: bool
) -> tuple[np.ndarray, pd.Series | None, dict[Any, int]]:
    """One option's column: chosen or not, and the typed text of an "other" answer.

    A chosen box holds 1, True, the option's own code (a recoded Qualtrics export) or its
    text (SurveyMonkey); the "other" option's column may hold the typed text itself.
    Empty, 0 and False are not chosen.
    """
    keys = {normalize_label(t) for t in (*option.labels.values(), *option.aliases)}
    keys.add(str(int(option.code)))
    codes, uniques, counts = _distinct(values)
    chosen = np.zeros(len(uniques) + 1, dtype=bool)  # the last entry: missing
    typed = np.full(len(uniques) + 1, None, dtype=object)
    unknown: dict[Any, int] = {}
    for u, value in enumerate(uniques):
        if isinstance(value, (bool, np.bool_)):
            chosen[u] = bool(value)
            continue
        text = str(value).strip()
        key = normalize_label(text)
        if key in _CHECKED:
            chosen[u] = _CHECKED[key]
        elif not key:
            chosen[u] = False
        elif key in keys:
            chosen[u] = True
        elif option.other:
            chosen[u] = True
            typed[u] = text
        else:
            unknown[value] = int(counts[u])
    picked = chosen[codes]  # -1 picks the last entry
    text_out = None
    if text_too:
        text_out = pd.Series(typed[codes], index=values.index, dtype=pd.StringDtype())
    return picked, text_out, unknown


def _code_listed(
    values: pd.Series, options: tuple[ResponseOption, ...]
) -> tuple[np.ndarray, dict[Any, int]]:
    """One column listing the choices ("1,3" or "Collega,Leidinggevende"), as a
    respondents x options array; an option text that holds a comma is found whole."""
    lookup: dict[str, int] = {}
    for k, option in enumerate(options):
        for text in (*option.labels.values(), *option.aliases):
            lookup[normalize_label(text)] = k
        lookup[str(int(option.code))] = k
    codes, uniques, counts = _distinct(values)
    # One row per distinct answer (the last: missing), each answer split once.
    table = np.zeros((len(uniques) + 1, len(options)), dtype=bool)
    unknown: dict[Any, int] = {}
    for u, value in enumerate(uniques):
        if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
            value, (bool, np.bool_)
        ):
            parts = [_format_number(float(value))]
        else:
            parts = re.split(r"[,;]", str(value))
        picked: list[int] = []
        i = 0
        while i < len(parts):
            for end in range(len(parts), i, -1):
                key = normalize_label(",".join(parts[i:end]))
                if key in lookup:
                    picked.append(lookup[key])
                    i = end
                    break
                if not key and end == i + 1:
                    i = end
                    break
            else:
                unknown[value] = int(counts[u])
                break
        else:
            table[u, picked] = True
    return table[codes], unknown


def _format_number(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def _code_multi(
    data: pd.DataFrame, book: Instrument, item: Item, found: _MultiColumns
) -> tuple[dict[str, np.ndarray], dict[str, pd.Series], list[tuple[int, Any, int]]]:
    """Chosen (bool arrays) and "other" texts by coded column, and the unknown values."""
    options = book.response_scale_of(item.id).options
    chosen: dict[str, np.ndarray] = {}
    texts: dict[str, pd.Series] = {}
    problems: list[tuple[int, Any, int]] = []
    if found.listed is not None:
        picked, unknown = _code_listed(data.iloc[:, found.listed], options)
        problems += [(found.listed, v, c) for v, c in unknown.items()]
        for k, option in enumerate(options):
            chosen[option_column(item.id, option)] = picked[:, k]
    else:
        for k, option in enumerate(options):
            column = option_column(item.id, option)
            j = found.boxes.get(k)
            if j is None:
                chosen[column] = np.zeros(len(data), dtype=bool)
                continue
            same = found.texts.get(k) == j
            hit, typed, unknown = _code_box(data.iloc[:, j], option, same)
            problems += [(j, v, c) for v, c in unknown.items()]
            chosen[column] = hit
            if typed is not None:
                texts[f"{column}_text"] = typed
    for k, j in found.texts.items():
        column = option_column(item.id, options[k])
        if f"{column}_text" in texts:
            continue
        series = data.iloc[:, j]
        text = series.where(series.notna()).astype(pd.StringDtype()).str.strip()
        text = text.where(text != "")
        texts[f"{column}_text"] = text
        # Typed text means the option was chosen, also where the box itself is empty.
        chosen[column] = chosen[column] | text.notna().to_numpy()
    return chosen, texts, problems


# ------------------------------------------------------------------ coding


_NUMBER = re.compile(r"^\s*([-+]?\d+(?:[.,]\d+)?)\s*%?\s*$")


def _code_column(
    values: pd.Series, scale: ResponseScale, lang: str
) -> tuple[Any, np.ndarray, dict[Any, int]]:
    """Coded values (categorical / float / str), numeric codes, and unknown answers."""
    present = values.notna().to_numpy()
    unknown: dict[Any, int] = {}
    if scale.kind == "text":
        # An explicit string dtype, so open answers are text under pandas 2 and 3 alike.
        text = values.where(values.notna()).astype(pd.StringDtype())
        return text, np.where(present, 0.0, np.nan), unknown
    uniques = pd.unique(values[present])
    label_map = scale.label_map()
    lookup: dict[Any, float] = {}
    for value in uniques:
        code: float | None = None
        if isinstance(value, str):
            code = label_map.get(normalize_label(value))
            if code is None and scale.kind in ("numeric", "likert"):
                match = _NUMBER.match(value)
                if match:
                    code = float(match.group(1).replace(",", "."))
        elif (
            isinstance(value, (int, float, np.integer, np.floating))
            and not isinstance(value, bool)
            and scale.kind in ("numeric", "likert")
        ):
            code = float(value)
        if code is not None and scale.kind in ("numeric", "likert"):
            valid = code in scale.nonsubstantive_codes or (
                scale.min is not None and scale.max is not None and scale.min <= code <= scale.max
            )
            if scale.kind == "likert" and code not in scale.substantive_codes:
                valid = code in scale.nonsubstantive_codes
            if not valid:
                code = None
        if code is None:
            unknown[value] = 0
        else:
            lookup[value] = code
    if unknown:
        counts = values[present].value_counts()
        for value in unknown:
            unknown[value] = int(counts.get(value, 0))
    codes = values.map(lookup).to_numpy(dtype=float, na_value=np.nan)
    if scale.kind == "numeric" and not scale.options:
        return pd.Series(codes, index=values.index, dtype="float64"), codes, unknown
    if scale.kind == "numeric":
        # A numeric scale with labelled non-substantive answers: numbers, with the
        # labelled answers left out (NaN); codes keep them apart.
        numbers = np.where(np.isin(codes, scale.nonsubstantive_codes), np.nan, codes)
        return pd.Series(numbers, index=values.index, dtype="float64"), codes, unknown
    option_codes = np.array([o.code for o in scale.options], dtype=float)
    position = np.full(len(codes), -1, dtype=np.int64)
    ok = ~np.isnan(codes)
    position[ok] = np.searchsorted(np.sort(option_codes), codes[ok])
    position[ok] = np.argsort(option_codes)[position[ok]]
    categories = [o.label(lang) for o in scale.options]
    cat = pd.Categorical.from_codes(
        position, categories=categories, ordered=scale.kind in ("ordinal", "likert")
    )
    return pd.Series(cat, index=values.index), codes, unknown


def _book_name(book: Instrument) -> str:
    """How messages name a codebook: ``wave 2021-09 (peo_2021_09)``, or the name of a
    codebook that is no PEO wave."""
    return f"wave {book.wave} ({book.name})" if book.wave else f"codebook {book.name}"


def code_wave(
    raw: Any,
    wave: str | Instrument | None = None,
    columns: Mapping[str, Hashable] | None = None,
    *,
    lang: str = "nl",
    check_routing: bool = True,
) -> CodedWave:
    """Code a raw PEO survey export with the codebook of its wave.

    Parameters
    ----------
    raw : SurveyExport, DataFrame or path
        The export as read by :func:`peoscales.read_survey` (or a path, which is
        read with it), or a DataFrame whose column names are the question texts
        (``"question | matrix row"`` for matrix rows). It is never modified.
    wave : str or Instrument, optional
        The wave (``"2020-05"``, ``"2021-09"``, ``"2022-04"``), a codebook name
        or a codebook. Without it the export is coded as 2021-09. Naming the
        wave allows a partial export (a subset of the questions): what is found
        is coded and a :class:`~peoscales.errors.PartialExportWarning` lists the
        questions not found, unless another wave matches more questions.
    columns : mapping of item id to column, optional
        Columns to use for some items, overriding the matching by question text
        (e.g. ``{"work_pleasure": "Werkplezier"}``).
    lang : {"nl", "en"}, default "nl"
        Language of the category labels.
    check_routing : bool, default True
        Raise when a respondent answered a question the routing did not put to
        them (a sign of the wrong wave or a changed questionnaire). With False
        such answers are kept and counted as asked.

    Returns
    -------
    CodedWave
        ``data`` (one row per respondent, in the export's index), ``asked``,
        the matching used, unmatched items and unused columns.

    Raises
    ------
    UnknownLabelError
        Answers the codebook does not know; the message lists every one with its
        column and count.
    AmbiguousMatchError
        An item matches several columns (or a column several items) equally well.
    DuplicateColumnsError
        The same question occurs in more columns than the codebook asks it.
    SurveyFormatError
        Too few items found: the export is of another wave (named when it
        matches one) or not a PEO export. With the wave named, only when no
        question is found or another wave matches more questions.

    Warns
    -----
    PartialExportWarning
        The wave was named and some of its questions are not in the export.

    Notes
    -----
    Question texts are compared after :func:`~peoscales.instruments.model.normalize_label`
    (case, white space, curly quotes, ``…`` and trailing punctuation do not
    matter) and after removing a leading question number. An exact match wins
    over a match where one text is the start of the other (at least
    12 characters), so a header shortened by the survey tool, or one with
    extra notes, is still found. Matrix rows and ``Other (please specify)``
    fields are matched on the second header row as well. A question that the
    questionnaire asks word for word in two branches is matched in
    questionnaire order.

    Examples
    --------
    >>> import peoscales
    >>> from peoscales.peo import code_wave, demo_export_path
    >>> raw = peoscales.read_survey(demo_export_path())
    >>> coded = code_wave(raw, wave="2021-09")
    >>> coded.data["space_overall"].value_counts(sort=False).tolist()
    [4, 21, 126, 27]
    >>> float(round(coded.codes(["work_pleasure"])["work_pleasure"].mean(), 2))
    7.18
    """
    check = {"nl", "en"}
    if lang not in check:
        raise ParameterError(f"lang={lang!r} is not supported; use 'nl' or 'en'.")
    explicit = wave is not None
    book = get_codebook("2021-09" if wave is None else wave)
    data, cols, source = _column_table(raw)
    label_pos = {label: j for j, label in enumerate(cols.labels)}

    fixed: dict[str, int] = {}
    fixed_multi: dict[str, Any] = {}
    for item_id, label in (columns or {}).items():
        if item_id in book.items and _is_multi(book, book.items[item_id]):
            fixed_multi[item_id] = label
            continue
        if item_id not in book.items or book.items[item_id].combines:
            close = suggest(item_id, book.items)
            hint = f" Did you mean {preview(close)}?" if close else ""
            raise ParameterError(
                f"columns: {item_id!r} is not a question of codebook {book.name}.{hint}"
            )
        if label not in label_pos:
            close = suggest(label, [str(c) for c in cols.labels])
            hint = f" Did you mean {preview(close)}?" if close else ""
            raise MissingColumnsError(
                f"columns[{item_id!r}]: the export has no column {label!r}.{hint}"
            )
        fixed[item_id] = label_pos[label]

    cands = _candidates(book, cols)
    for item_id in fixed:
        cands[item_id] = [fixed[item_id]]
    hits, total = _match_share(book, cols)
    hits = max(hits, sum(1 for k in fixed if not book.items[k].other_of))
    if not columns:
        # Another wave fits better when it matches more questions than this one,
        # or when this one matches fewer than half of its questions and the other
        # at least half of its own.
        others = {w: _match_share(b, cols) for w, b in _codebooks().items() if b.name != book.name}
        better = [
            (w, h, t)
            for w, (h, t) in others.items()
            if h > hits or (hits * 2 < total and h * 2 >= t and h / t > hits / max(total, 1))
        ]
        if explicit:
            # A named wave: a subset export is coded (with a warning) unless another
            # wave matches at least as many of the export's questions and fits better
            # by the rule above, or no question is found at all.
            better = [b for b in better if b[1] >= hits]
        if (hits * 2 < total and not (explicit and hits > 0)) or better:
            looks = " It does not look like a PEO export."
            fix = " Check the file and the wave, or map the columns yourself with columns={...}."
            ids = set(book.items) | set(multi_columns(book))
            named_by_id = sum(str(label) in ids for label in cols.labels)
            if not better and named_by_id * 2 >= len(book.items):
                # columns named by item id: these data are coded already
                looks = " Its columns are the codebook's item ids: the data are coded already."
                fix = " Pass them to the table functions (codebook=...) or report() as they are."
            if better:
                w, h, t = max(better, key=lambda x: (x[1] / max(x[2], 1), x[1]))
                looks = f" It looks like wave {w} ({h} of its {t} questions found); use wave={w!r}."
            raise SurveyFormatError(
                f"Only {hits} of the {total} questions of {_book_name(book)} were "
                f"found in the export.{looks}{fix}"
            )
    assigned = _resolve(book, cols, cands, fixed)
    taken = set(assigned.values())
    multi: dict[str, _MultiColumns] = {}
    for item in book.items.values():
        if _is_multi(book, item):
            found = _find_multi(book, item, cols, taken, fixed_multi.get(item.id))
            if found is not None:
                clash = found.positions() & taken
                if clash:
                    j = min(clash)
                    raise AmbiguousMatchError(
                        f"Column {_describe(cols, j)} is mapped to check-all-that-apply item "
                        f"{item.id!r} and to another item. Map each column once with "
                        "code_wave(..., columns={...})."
                    )
                multi[item.id] = found
                taken |= found.positions()

    coded: dict[str, Any] = {}
    codes: dict[str, np.ndarray] = {}
    problems: list[str] = []
    n_unknown = 0
    order = [i for i in _column_order(book) if i in assigned]
    for item_id in order:
        j = assigned[item_id]
        series = data.iloc[:, j]
        scale = book.response_scale_of(item_id)
        values, item_codes, unknown = _code_column(series, scale, lang)
        coded[item_id] = values
        codes[item_id] = item_codes
        for value, count in unknown.items():
            n_unknown += count
            problems.append(f"{cols.labels[j]!r} (item {item_id}): {value!r} x{count}")
    chosen: dict[str, dict[str, np.ndarray]] = {}
    other_texts: dict[str, dict[str, pd.Series]] = {}
    for item_id, found in multi.items():
        chosen[item_id], other_texts[item_id], multi_problems = _code_multi(
            data, book, book.items[item_id], found
        )
        for j, value, count in multi_problems:
            n_unknown += count
            problems.append(f"{cols.labels[j]!r} (item {item_id}): {value!r} x{count}")
    if problems:
        known = {
            item_id: [o.label("nl") for o in book.response_scale_of(item_id).options]
            for item_id in [*order, *multi]
        }
        example = next(
            iter(k for k in [*order, *multi] if known[k] and any(k in p for p in problems)), None
        )
        hint = f" Answers {example} accepts: {preview(known[example], 8)}." if example else ""
        raise UnknownLabelError(
            f"{n_unknown} answer(s) in {len(problems)} distinct value(s) are not in codebook "
            f"{book.name}: " + "; ".join(problems) + f".{hint} Correct the answers in a copy "
            "of the data, add the text as an alias of its answer in the codebook, or check "
            "that the wave is right."
        )

    index = data.index
    n = len(index)
    asked: dict[str, np.ndarray] = {}

    def asked_of(item_id: str) -> np.ndarray:
        if item_id in asked:
            return asked[item_id]
        item = book.items[item_id]
        if item.asked_if is None:
            result = np.ones(n, dtype=bool)
        elif item.asked_if.item not in codes:
            # The filter question is not in the export: routing cannot be checked.
            result = np.ones(n, dtype=bool)
        else:
            filt = codes[item.asked_if.item]
            result = asked_of(item.asked_if.item) & np.isin(filt, item.asked_if.codes)
        asked[item_id] = result
        return result

    routing: list[str] = []
    answered_of = {
        **{k: ~pd.isna(np.asarray(coded[k], dtype=object)) for k in order},
        # A check-all-that-apply item is answered where any of its options was chosen.
        **{k: np.logical_or.reduce(list(boxes.values())) for k, boxes in chosen.items()},
    }
    for item_id, answered in answered_of.items():
        mask = asked_of(item_id)
        stray = answered & ~mask
        if stray.any():
            if check_routing:
                rows = index[stray].tolist()
                routing.append(
                    f"{item_id} ({int(stray.sum())} respondent(s), e.g. {preview(rows, 3)})"
                )
            else:
                asked[item_id] = mask | answered
    if routing:
        raise SurveyFormatError(
            "Answers to questions the routing did not put to the respondent: "
            + "; ".join(routing)
            + ". The export may be of another wave or the questionnaire changed; check the "
            "wave, or pass check_routing=False to keep these answers."
        )

    out_data: dict[str, Any] = {}
    out_asked: dict[str, np.ndarray] = {}
    for item_id in _column_order(book):
        if item_id in coded:
            out_data[item_id] = coded[item_id]
            out_asked[item_id] = asked_of(item_id)
        elif item_id in chosen:
            # Not asked is missing (NA); asked and not chosen is False. A respondent who
            # was asked and chose nothing cannot be told from one who skipped the question.
            mask = asked_of(item_id)
            for column, hit in chosen[item_id].items():
                out_data[column] = pd.Series(pd.arrays.BooleanArray(hit & mask, ~mask), index=index)
                out_asked[column] = mask
            for column, text in other_texts[item_id].items():
                out_data[column] = text.where(mask)
                out_asked[column] = mask
    for item in book.items.values():
        if not item.combines:
            continue
        parts = [c for c in item.combines if c in coded]
        if not parts:
            continue
        first = coded[parts[0]]
        combined = first.copy()
        branch_asked = np.zeros(n, dtype=bool)
        for part in parts:
            mask = out_asked[part]
            combined = combined.where(~(mask & ~branch_asked), coded[part])
            branch_asked |= mask
        out_data[item.id] = combined
        out_asked[item.id] = branch_asked
    frame = pd.DataFrame(out_data, index=index)
    asked_frame = pd.DataFrame(out_asked, index=index)
    unmatched = tuple(
        i
        for i in _column_order(book)
        if i not in assigned and i not in multi and not book.items[i].combines
    )
    if explicit and unmatched:
        missing = [i for i in unmatched if not book.items[i].other_of]
        if missing:
            warnings.warn(
                f"The export holds {total - len(missing)} of the {total} questions of "
                f"{_book_name(book)}; not found: {preview(missing, 12)}. These are "
                "coded as absent; map a question the matching missed with columns={...}.",
                PartialExportWarning,
                stacklevel=user_stacklevel(),
            )
    used = set(assigned.values()) | {j for found in multi.values() for j in found.positions()}
    unused = tuple(cols.labels[j] for j in range(len(cols.labels)) if j not in used)
    return CodedWave(
        data=frame,
        asked=asked_frame,
        codebook=book,
        matched={
            **{k: cols.labels[assigned[k]] for k in order},
            **{
                k: tuple(cols.labels[j] for j in sorted(found.positions()))
                for k, found in multi.items()
            },
        },
        unmatched=unmatched,
        unused=unused,
        source=source,
    )
