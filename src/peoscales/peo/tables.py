"""Report tables for PEO surveys: frequencies, item tables, crosstabs, group means, trends.

Every function takes the coded data of one wave (one row per respondent, one
column per codebook item, as returned by :func:`peoscales.peo.code_wave`) and
the wave's codebook, and returns a frozen result with ``to_frame()``,
``summary()`` and ``_repr_html_()``. Numbers are stored unrounded; rounding
and the suppression marks are applied when a table is displayed.

Disclosure control
------------------
PEO samples are small workplace surveys. Displayed tables follow one rule,
controlled by ``min_group_size`` (default 5):

* a *group* (the whole sample of a one-way table, a column of a crosstab, a
  group in a table of means) with fewer respondents than the threshold is
  suppressed as a whole, its size shown as ``<5``;
* in a table that crosses an answer with a background group (a crosstab), a
  *cell* with 1 to threshold - 1 respondents is suppressed (``<5``); zero
  cells are shown;
* the row and column totals of a crosstab are published, so further
  (complementary) cells are hidden (``x``) until no hidden cell can be
  computed exactly from the totals and the visible cells. This is checked by
  linear programming, not by a rule of thumb;
* when exactly one group is small, the total of the next smallest group is
  hidden too (``x``): otherwise the small group is the row totals minus the
  others;
* a one-way table of the whole sample shows small counts, also as the row
  totals (``Totaal``) of a crosstab: it attaches an answer to no identifiable
  subgroup (this is how the published PEO reports show, e.g., the 1%
  answering ``nauwelijks``). A crosstab in which one group holds everyone is
  such a one-way table.

Test statistics are computed on the full, unsuppressed table.
"""

from __future__ import annotations

import html
import math
import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import numpy as np
import pandas as pd

from peoscales._deprecation import renamed_arguments
from peoscales._kernels.groups import oneway_anova, welch_anova
from peoscales._kernels.peo_tables import (
    count_codes,
    cross_counts,
    group_moments,
    largest_remainder,
    round_half_up,
    suppress_cells,
)
from peoscales._results import Result, apa_number, apa_p, format_p, stars
from peoscales._validation import as_frame, check_option, preview, require_columns, suggest
from peoscales.errors import (
    InsufficientDataError,
    OutOfRangeError,
    ParameterError,
    SmallExpectedCountWarning,
    UnknownLabelError,
)
from peoscales.instruments.model import Instrument, ResponseScale, normalize_label

__all__ = [
    "CrosstabTable",
    "DichotomyTable",
    "FrequencyTable",
    "GroupMeans",
    "ItemTable",
    "WaveComparison",
    "compare_waves",
    "crosstab_table",
    "dichotomy_table",
    "frequency_table",
    "group_means",
    "item_table",
]

PercentOf = Literal["valid", "substantive", "all"]
Rounding = Literal["largest_remainder"] | None

#: Answer texts that mean "this respondent was not routed to the question".
NOT_ASKED_LABELS = frozenset(
    normalize_label(t) for t in ("not asked", "niet gevraagd", "<not asked>", "<niet gevraagd>")
)

#: Row codes used inside this module (never stored in results).
_MISSING, _NOT_ASKED = -1, -2

_TEXT: dict[str, dict[str, str]] = {
    "n": {"nl": "n", "en": "n"},
    "percent": {"nl": "%", "en": "%"},
    "missing": {"nl": "Geen antwoord", "en": "No answer"},
    "not_asked": {"nl": "Niet gevraagd", "en": "Not asked"},
    "total": {"nl": "Totaal", "en": "Total"},
    "all_groups": {"nl": "Totaal", "en": "Total"},
    "mean": {"nl": "Gemiddelde", "en": "Mean"},
    "sd": {"nl": "SD", "en": "SD"},
    "waves_title": {"nl": "Vergelijking van metingen", "en": "Comparison of waves"},
    "suppressed": {
        "nl": "<{k}: minder dan {k} respondenten, niet getoond om herleidbaarheid te voorkomen.",
        "en": "<{k}: fewer than {k} respondents, not shown so no one can be identified.",
    },
    "complement": {
        "nl": "x: niet getoond omdat de waarde anders uit de totalen te berekenen is.",
        "en": "x: not shown because it could otherwise be computed from the totals.",
    },
    "valid": {
        "nl": "Percentages van de gegeven antwoorden (inclusief {ns}); geen antwoord en niet gevraagd tellen niet mee.",
        "en": "Percentages of the answers given (including {ns}); no answer and not asked are left out.",
    },
    "substantive": {
        "nl": "Percentages van de inhoudelijke antwoorden; {ns}, geen antwoord en niet gevraagd tellen niet mee.",
        "en": "Percentages of the substantive answers; {ns}, no answer and not asked are left out.",
    },
    "all": {
        "nl": "Percentages van alle respondenten, inclusief geen antwoord en niet gevraagd.",
        "en": "Percentages of all respondents, including no answer and not asked.",
    },
    "lr": {
        "nl": "Afgerond met de methode van de grootste restwaarde, zodat de percentages optellen tot 100.",
        "en": "Rounded by the largest-remainder method so the percentages add up to 100.",
    },
    "dontknow": {"nl": "weet niet", "en": "don't know"},
    "small_expected": {
        "nl": "Let op: kleine verwachte aantallen (kleinste {e}); de p-waarde is een benadering.",
        "en": "Note: small expected counts (smallest {e}); the p-value is approximate.",
    },
}


def _t(key: str, lang: str, **kwargs: Any) -> str:
    text = _TEXT[key].get(lang, _TEXT[key]["en"])
    return text.format(**kwargs) if kwargs else text


# --------------------------------------------------------------------------------------
# Reading one item: codes, routing, answer order
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Answers:
    """One item as category indices: ``cat`` is -1 for missing, -2 for not asked."""

    item: str
    label: str
    cat: np.ndarray
    values: np.ndarray  # substantive numeric codes, NaN elsewhere (for means)
    labels: tuple[str, ...]
    substantive: tuple[bool, ...]
    n_ungrouped: int = 0


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


def _to_codes(series: pd.Series, rs: ResponseScale, item: str) -> tuple[np.ndarray, np.ndarray]:
    """Answer codes (NaN = missing) and the not-asked mask of one column."""
    n = len(series)
    not_asked = np.zeros(n, dtype=bool)
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
        not_asked[valid] = asked_flag[position[valid]]
    answered = ~np.isnan(codes)
    allowed = np.asarray([o.code for o in rs.options], dtype=float)
    if rs.kind in ("numeric", "likert") and rs.min is not None and rs.max is not None:
        ok = ((codes >= rs.min) & (codes <= rs.max)) | np.isin(codes, allowed)
    else:
        ok = np.isin(codes, allowed)
    bad = answered & ~ok
    if bad.any():
        values = sorted({float(v) for v in codes[bad]})
        raise OutOfRangeError(
            f"Column {item!r} has code(s) {preview(values)} outside its answers "
            f"(rows {preview(series.index[bad].tolist(), 3)}); allowed: "
            f"{preview(allowed.tolist() or [rs.min, rs.max], 8)}. Correct or remove these values."
        )
    return codes, not_asked


def _answers(
    data: pd.DataFrame,
    item: Hashable,
    codebook: Instrument | None,
    lang: str,
    grouping: str | None = None,
    argname: str = "item",
    substantive_only: bool = False,
    reverse: bool = False,
) -> _Answers:
    entry_of = codebook.items.get(str(item)) if codebook is not None else None
    parts = tuple(getattr(entry_of, "combines", ()) or ())
    if item not in data.columns and parts and all(p in data.columns for p in parts):
        # an item asked in several routed branches: each respondent answered one of them
        series = data[list(parts)].bfill(axis=1).iloc[:, 0].rename(str(item))
    else:
        series = _column(data, item, argname)
    n = len(series)
    if codebook is None or item not in codebook.items:
        if codebook is not None:
            close = suggest(item, codebook.items)
            hint = f" Did you mean {preview(close)}?" if close else ""
            if not isinstance(series.dtype, pd.CategoricalDtype):
                raise ParameterError(
                    f"{argname}={item!r} is not an item of codebook {codebook.name!r}.{hint} "
                    "Use an item id, or make the column an ordered categorical."
                )
        if grouping is not None:
            raise ParameterError(
                f"grouping={grouping!r} needs a codebook item; {item!r} has no codebook entry."
            )
        cat_series = series.astype("category")
        cat = cat_series.cat.codes.to_numpy().astype(np.int64)
        labels = tuple(str(c) for c in cat_series.cat.categories)
        values = np.full(n, np.nan)
        return _Answers(str(item), str(item), cat, values, labels, (True,) * len(labels))

    entry = codebook.items[str(item)]
    rs = codebook.response_scale_of(str(item))
    if rs.kind == "text":
        raise ParameterError(
            f"{argname}={item!r} is an open question (free text); it has no answers to count. "
            "Categorise the texts first, or choose a closed question."
        )
    codes, not_asked = _to_codes(series, rs, str(item))
    missing = np.isnan(codes)
    if entry.asked_if is not None and entry.asked_if.item in data.columns:
        filt = _answers(data, entry.asked_if.item, codebook, lang, argname="asked_if")
        filt_rs = codebook.response_scale_of(entry.asked_if.item)
        filt_codes = np.full(n, np.nan)
        answered = filt.cat >= 0
        option_codes = _row_codes(filt_rs, filt.labels, lang)
        filt_codes[answered] = option_codes[filt.cat[answered]]
        routed_away = answered & ~np.isin(filt_codes, entry.asked_if.codes)
        not_asked |= missing & routed_away
    nonsub_codes = np.asarray(rs.nonsubstantive_codes, dtype=float)
    is_nonsub = np.isin(codes, nonsub_codes)
    values = np.where(is_nonsub, np.nan, codes)

    row_codes: list[float]
    labels_list: list[str]
    subst: list[bool]
    n_ungrouped = 0
    if grouping is not None:
        if grouping not in rs.groupings:
            raise ParameterError(
                f"grouping={grouping!r} is not defined for item {item!r}; its answer scale "
                f"{rs.id!r} has groupings {preview(list(rs.groupings)) or 'none'}."
            )
        groups = rs.groupings[grouping]
        cat = np.full(n, _MISSING, dtype=np.int64)
        for position, group in enumerate(groups.groups):
            cat[(cat == _MISSING) & group.contains(values)] = position
        labels_list = [g.label(lang) for g in groups.groups]
        subst = [True] * len(labels_list)
        next_index = len(labels_list)
        for option in rs.options:
            if not option.substantive:
                cat[codes == option.code] = next_index
                labels_list.append(option.label(lang))
                subst.append(False)
                next_index += 1
        n_ungrouped = int(((cat == _MISSING) & ~np.isnan(values)).sum())
    else:
        if rs.options:
            row_codes = [o.code for o in rs.options if o.substantive]
            labels_list = [o.label(lang) for o in rs.options if o.substantive]
            row_codes += [o.code for o in rs.options if not o.substantive]
            labels_list += [o.label(lang) for o in rs.options if not o.substantive]
            # numeric scales may list only some values as options
            if rs.kind == "numeric":
                extra = sorted(set(np.unique(values[~np.isnan(values)]).tolist()) - set(row_codes))
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
                and np.all(np.isnan(values) | (values == np.round(values)))
            ):
                row_codes = [float(v) for v in np.arange(lo, hi + 1)]
            else:
                row_codes = sorted(np.unique(values[~np.isnan(values)]).tolist())
            labels_list = [_fmt(c) for c in row_codes]
        nonsub = set(rs.nonsubstantive_codes)
        subst = [c not in nonsub for c in row_codes]
        lookup = np.asarray(row_codes, dtype=float)
        order = np.argsort(lookup, kind="stable")
        pos = np.searchsorted(lookup[order], codes)
        pos = np.clip(pos, 0, len(lookup) - 1)
        hit = lookup[order][pos] == codes
        cat = np.where(hit, order[pos], _MISSING).astype(np.int64)
    cat[not_asked] = _NOT_ASKED
    if reverse:
        # substantive answers high to low, non-substantive ones stay last
        k_sub = sum(subst)
        perm = np.r_[np.arange(k_sub)[::-1], np.arange(k_sub, len(labels_list))]
        inverse = np.empty_like(perm)
        inverse[perm] = np.arange(perm.size)
        cat = np.where(cat >= 0, inverse[np.clip(cat, 0, None)], cat)
        labels_list = [labels_list[i] for i in perm]
        subst = [subst[i] for i in perm]
    if substantive_only:
        keep = np.asarray(subst, dtype=bool)
        remap = np.full(len(labels_list), _MISSING, dtype=np.int64)
        remap[keep] = np.arange(int(keep.sum()))
        cat = np.where(cat >= 0, remap[np.clip(cat, 0, None)], cat)
        labels_list = [lab for lab, k in zip(labels_list, keep) if k]
        subst = [True] * len(labels_list)
    return _Answers(
        str(item),
        entry.label(lang),
        cat,
        values,
        tuple(labels_list),
        tuple(subst),
        n_ungrouped,
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


def _fmt(code: float) -> str:
    return str(int(code)) if float(code).is_integer() else f"{code:g}"


def _html_table(frame: pd.DataFrame, title: str, notes: Sequence[str], css: str) -> str:
    body = frame.to_html(border=0, na_rep="", escape=True, classes=["peo-table", css])
    foot = "".join(f"<p class='peo-note'>{html.escape(n)}</p>" for n in notes if n)
    return (
        f"<div class='peoscales-result peo-{css}'><p class='peo-caption'><strong>"
        f"{html.escape(title)}</strong></p>{body}{foot}</div>"
    )


class _ReportTable(Result):
    """What the report tables share: a text and an HTML view of :meth:`display_frame`.

    Subclasses give ``display_frame()``, ``notes()`` and the CSS class ``_css``; the
    caption is the title unless ``_caption`` says otherwise.
    """

    _css: ClassVar[str] = "table"

    def display_frame(self) -> pd.DataFrame:  # pragma: no cover - abstract
        raise NotImplementedError

    def notes(self) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def _caption(self) -> str:
        return self.title

    def summary(self) -> str:
        """The displayed table as text, with its notes."""
        return f"{self._caption}\n{self.display_frame().to_string()}\n" + "\n".join(self.notes())

    def _repr_html_(self) -> str:
        return _html_table(self.display_frame(), self._caption, self.notes(), self._css)


# --------------------------------------------------------------------------------------
# Frequency table
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class FrequencyTable(_ReportTable):
    """Counts and percentages of the answers to one item.

    Attributes
    ----------
    item, label
        The item id and its short label.
    table : DataFrame
        One row per answer in codebook order, then ``missing`` and
        ``not asked``; columns ``n``, ``percent`` (unrounded, NaN outside the
        base), ``kind`` (``answer``, ``nonsubstantive``, ``missing``,
        ``not_asked``).
    n_total, n_base
        Respondents in the data, and in the percentage base.
    """

    item: str
    label: str
    table: pd.DataFrame
    n_total: int
    n_base: int
    percent_of: str
    rounding: str | None
    decimals: int
    min_group_size: int
    lang: str
    n_ungrouped: int = 0
    title: str = "Frequency table"

    @property
    def suppressed(self) -> bool:
        """True when the base is smaller than ``min_group_size`` (nothing is shown)."""
        return 0 < self.n_base < self.min_group_size or (
            self.n_base == 0 and self.min_group_size > 0
        )

    def rounded(self) -> pd.Series:
        """The percentages as displayed (conventional or largest-remainder rounding)."""
        p = self.table["percent"].to_numpy(dtype=float)
        if self.rounding == "largest_remainder":
            out = np.full(p.shape, np.nan)
            ok = ~np.isnan(p)
            out[ok] = largest_remainder(p[ok], self.decimals)
        else:
            out = round_half_up(p, self.decimals)
        return pd.Series(out, index=self.table.index, name="percent")

    def to_frame(self) -> pd.DataFrame:
        """The table with unrounded percentages (no suppression applied)."""
        return self.table.copy()

    def display_frame(self) -> pd.DataFrame:
        """The table as shown in reports: rounded, suppressed, as text."""
        n = self.table["n"].astype(int).astype(str)
        pct = self.rounded().map(lambda v: "" if np.isnan(v) else f"{v:.{self.decimals}f}")
        if self.suppressed:
            n[:] = f"<{self.min_group_size}"
            pct[:] = ""
        out = pd.DataFrame({_t("n", self.lang): n, _t("percent", self.lang): pct})
        out.index.name = self.label
        # "No answer 0 / Not asked 0" says nothing: those rows are shown only when not zero.
        unanswered = self.table["kind"].isin(["missing", "not_asked"]).to_numpy()
        if not self.table["n"].to_numpy()[unanswered].any():
            out = out[~unanswered]
        return out

    def notes(self) -> list[str]:
        """Footnotes: the percentage base, rounding, suppression."""
        ns = ", ".join(
            str(i) for i, k in zip(self.table.index, self.table["kind"]) if k == "nonsubstantive"
        )
        base = _t(self.percent_of, self.lang, ns=ns or _t("dontknow", self.lang))
        out = [f"n = {self.n_base}. {base}"]
        if self.rounding == "largest_remainder":
            out.append(_t("lr", self.lang))
        if self.suppressed:
            out.append(_t("suppressed", self.lang, k=self.min_group_size))
        if self.n_ungrouped:
            out.append(f"{self.n_ungrouped} answer(s) outside the groups are left out.")
        return out

    _css = "frequency"

    @property
    def _caption(self) -> str:
        return self.label


@renamed_arguments(reverse="descending")
def frequency_table(
    data: pd.DataFrame,
    item: Hashable,
    *,
    codebook: Instrument | str | None = None,
    percent_of: PercentOf = "valid",
    grouping: str | None = None,
    lang: str = "nl",
    rounding: Rounding = None,
    decimals: int = 0,
    min_group_size: int | None = 5,
    descending: bool = False,
) -> FrequencyTable:
    """Counts and percentages of the answers to one item, in codebook order.

    Parameters
    ----------
    data : DataFrame
        Coded survey data (one row per respondent), e.g. from
        :func:`peoscales.peo.code_wave`. Item columns hold answer codes or
        answer texts; never modified.
    item : str
        The item's column (its codebook id).
    codebook : Instrument or str, optional
        The wave's codebook or its name (``"2021-09"``). Without one, the column
        must be categorical and its categories give the answers.
    percent_of : {"valid", "substantive", "all"}
        Percentage base: all answers given including non-substantive ones such
        as ``weet niet`` (``"valid"``, as the PEO reports do), substantive
        answers only, or every respondent including missing and not asked.
    grouping : str, optional
        A named grouping of the answer scale (e.g. percentage bands).
    lang : {"nl", "en"}
        Language of the labels.
    rounding : {None, "largest_remainder"}
        ``None`` rounds each percentage half up, as published tables do (their
        sum may be 99 or 101); ``"largest_remainder"`` makes them add up to 100.
    decimals : int
        Decimals of the displayed percentages.
    min_group_size : int or None
        Tables of fewer respondents are suppressed when displayed.
    descending : bool
        List the substantive answers from the highest code down (published
        tables often start with ``ruim voldoende``); non-substantive answers
        stay last.

    Returns
    -------
    FrequencyTable

    Raises
    ------
    MissingColumnsError
        ``item`` is not a column of ``data``.
    UnknownLabelError, OutOfRangeError
        The column holds answers the codebook does not know.

    Notes
    -----
    With :math:`n_j` respondents giving answer :math:`j` and base :math:`B`,
    :math:`p_j = 100\\,n_j / B`. Largest-remainder (Hamilton) rounding gives
    every answer :math:`\\lfloor p_j \\rfloor` and the remaining
    :math:`100 - \\sum_j \\lfloor p_j \\rfloor` units to the answers with the
    largest fractional parts (Balinski & Young, 1982, *Fair Representation*).
    Missing answers and respondents not routed to the question (skip logic)
    are counted in separate rows.

    Examples
    --------
    >>> import pandas as pd, peoscales
    >>> mood = pd.Series(["good", "good", "bad", None, "good"], dtype="category")
    >>> ft = peoscales.frequency_table(pd.DataFrame({"mood": mood}), "mood", min_group_size=None)
    >>> ft.to_frame()[["n", "percent"]].round(1)
                   n  percent
    mood
    bad            1     25.0
    good           3     75.0
    Geen antwoord  1      NaN
    Niet gevraagd  0      NaN
    """
    frame = as_frame(data)
    check_option("percent_of", percent_of, ("valid", "substantive", "all"))
    check_option("rounding", rounding, (None, "largest_remainder"))
    lang = _check_lang(lang)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 3:
        raise ParameterError(f"decimals must be a whole number from 0 to 3, got {decimals!r}.")
    threshold = _check_threshold(min_group_size)
    book = _resolve_codebook(codebook)
    ans = _answers(frame, item, book, lang, grouping, reverse=bool(descending))
    k = len(ans.labels)
    counts = count_codes(ans.cat, k)
    n_missing = int((ans.cat == _MISSING).sum())
    n_not_asked = int((ans.cat == _NOT_ASKED).sum())
    subst = np.asarray(ans.substantive, dtype=bool)
    if percent_of == "valid":
        in_base = np.ones(k, dtype=bool)
        base = int(counts.sum())
    elif percent_of == "substantive":
        in_base = subst
        base = int(counts[subst].sum())
    else:
        in_base = np.ones(k, dtype=bool)
        base = len(frame)
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.where(in_base, 100.0 * counts / base, np.nan) if base else np.full(k, np.nan)
    extra_pct = [np.nan, np.nan]
    if percent_of == "all" and base:
        extra_pct = [100.0 * n_missing / base, 100.0 * n_not_asked / base]
    table = pd.DataFrame(
        {
            "n": np.concatenate([counts, [n_missing, n_not_asked]]).astype(np.int64),
            "percent": np.concatenate([pct, extra_pct]),
            "kind": [("answer" if s else "nonsubstantive") for s in ans.substantive]
            + ["missing", "not_asked"],
        },
        index=pd.Index(
            [*ans.labels, _t("missing", lang), _t("not_asked", lang)], name=ans.label, dtype=object
        ),
    )
    return FrequencyTable(
        item=ans.item,
        label=ans.label,
        table=table,
        n_total=len(frame),
        n_base=base,
        percent_of=percent_of,
        rounding=rounding,
        decimals=decimals,
        min_group_size=threshold,
        lang=lang,
        n_ungrouped=ans.n_ungrouped,
        title=ans.label,
    )


# --------------------------------------------------------------------------------------
# Several items on one answer scale
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class ItemTable(_ReportTable):
    """Percentages of several items that share an answer scale: items as rows.

    Attributes
    ----------
    percentages : DataFrame
        Items (by label) as rows, answers as columns, unrounded.
    counts : DataFrame
        The same layout with counts, plus ``n`` (the base of each row).
    """

    items: tuple[str, ...]
    counts: pd.DataFrame
    percentages: pd.DataFrame
    percent_of: str
    rounding: str | None
    decimals: int
    min_group_size: int
    lang: str
    title: str = "Items"

    _renamed: ClassVar[Mapping[str, str | tuple[str, ...]]] = {"percent": "percentages"}

    def to_frame(self) -> pd.DataFrame:
        """Unrounded percentages with the base ``n`` of each row."""
        out = self.percentages.copy()
        out["n"] = self.counts["n"]
        return out

    def rounded(self) -> pd.DataFrame:
        """Percentages as displayed."""
        p = self.percentages.to_numpy(dtype=float)
        if self.rounding == "largest_remainder":
            out = np.vstack([largest_remainder(row, self.decimals) for row in p])
        else:
            out = round_half_up(p, self.decimals)
        return pd.DataFrame(out, index=self.percentages.index, columns=self.percentages.columns)

    def display_frame(self) -> pd.DataFrame:
        """Rounded percentages as text; rows below ``min_group_size`` suppressed."""
        shown = self.rounded().map(lambda v: "" if np.isnan(v) else f"{v:.{self.decimals}f}")
        n = self.counts["n"].astype(int)
        small = n < self.min_group_size
        shown.loc[small.to_numpy()] = ""
        shown[_t("n", self.lang)] = np.where(small, f"<{self.min_group_size}", n.astype(str))
        return shown

    def notes(self) -> list[str]:
        """Footnotes: the percentage base and suppression."""
        out = [_t(self.percent_of, self.lang, ns=_t("dontknow", self.lang))]
        if self.rounding == "largest_remainder":
            out.append(_t("lr", self.lang))
        if (self.counts["n"] < self.min_group_size).any():
            out.append(_t("suppressed", self.lang, k=self.min_group_size))
        return out

    _css = "items"


@renamed_arguments(reverse="descending")
def item_table(
    data: pd.DataFrame,
    items: Sequence[str],
    *,
    codebook: Instrument | str | None = None,
    percent_of: PercentOf = "valid",
    grouping: str | None = None,
    lang: str = "nl",
    rounding: Rounding = None,
    decimals: int = 0,
    min_group_size: int | None = 5,
    title: str | None = None,
    descending: bool = False,
) -> ItemTable:
    """Percentages of several items with the same answers (items as rows).

    Like seed 001 Tabel 2.2 (the four kinds of professional space) and
    Tabel 3.1 (factors limiting it). Each row is a :func:`frequency_table` of
    one item; missing and not-asked respondents are left out of its base.

    Parameters
    ----------
    data : DataFrame
        Coded survey data; never modified.
    items : list of str
        Item ids; they must share one answer scale (or one grouping).
    codebook, percent_of, grouping, lang, rounding, decimals, min_group_size, descending
        As in :func:`frequency_table`. ``percent_of="all"`` is not offered here.
    title : str, optional
        Caption of the table.

    Returns
    -------
    ItemTable

    Notes
    -----
    Row :math:`i`, answer :math:`j`: :math:`p_{ij} = 100\\,n_{ij} / n_i` with
    :math:`n_i` the answers given to item :math:`i` (``valid``) or its
    substantive answers (``substantive``).

    Examples
    --------
    >>> import pandas as pd
    >>> from peoscales.peo import item_table
    >>> levels = ["no", "yes"]
    >>> df = pd.DataFrame({
    ...     "a": pd.Categorical(["no", "yes", "yes", "yes"], categories=levels),
    ...     "b": pd.Categorical(["no", "no", "no", "yes"], categories=levels)})
    >>> item_table(df, ["a", "b"], min_group_size=None).to_frame()
         no   yes  n
    a  25.0  75.0  4
    b  75.0  25.0  4
    """
    frame = as_frame(data)
    if isinstance(items, str) or not isinstance(items, Sequence) or not items:
        raise ParameterError(f"items must be a non-empty list of item ids, got {items!r}.")
    check_option("percent_of", percent_of, ("valid", "substantive"))
    tables = [
        frequency_table(
            frame,
            it,
            codebook=codebook,
            percent_of=percent_of,
            grouping=grouping,
            lang=lang,
            rounding=rounding,
            decimals=decimals,
            min_group_size=min_group_size,
            descending=descending,
        )
        for it in items
    ]
    answers = [t.table.index[t.table["kind"].isin(["answer", "nonsubstantive"])] for t in tables]
    first = list(answers[0])
    differing = [t.item for t, a in zip(tables, answers) if list(a) != first]
    if differing:
        raise ParameterError(
            f"items {preview(differing)} have other answers than {tables[0].item!r} "
            f"({preview(first)}); an item table needs one answer scale. Make separate tables."
        )
    labels = [t.label for t in tables]
    if len(set(labels)) != len(labels):
        labels = [t.item for t in tables]
    index = pd.Index(labels, dtype=object)
    columns = pd.Index(first, dtype=object)
    counts = pd.DataFrame(
        [t.table["n"].to_numpy()[: len(first)] for t in tables], index=index, columns=columns
    )
    counts["n"] = [t.n_base for t in tables]
    percent = pd.DataFrame(
        [t.table["percent"].to_numpy()[: len(first)] for t in tables], index=index, columns=columns
    )
    percent = percent.dropna(axis=1, how="all") if percent_of == "substantive" else percent
    return ItemTable(
        items=tuple(t.item for t in tables),
        counts=counts,
        percentages=percent,
        percent_of=percent_of,
        rounding=rounding,
        decimals=decimals,
        min_group_size=tables[0].min_group_size,
        lang=tables[0].lang,
        title=title or " / ".join(labels[:3]) + (" ..." if len(labels) > 3 else ""),
    )


# --------------------------------------------------------------------------------------
# Crosstabs with significance
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Association:
    chi2: float
    df: int
    p: float
    cramers_v: float
    fisher_p: float
    n: int
    min_expected: float
    residuals: np.ndarray


def _association(counts: np.ndarray, rows: str = "rows", cols: str = "columns") -> _Association:
    """Pearson chi-square (no continuity correction), Cramér's V, Fisher for 2x2.

    Delegates to :func:`peoscales.crosstab_from_table`, which drops empty rows
    and columns and warns (:class:`~peoscales.errors.SmallExpectedCountWarning`)
    when expected counts are small. A table with fewer than two non-empty rows
    or columns cannot be tested: its statistics are NaN.
    """
    from peoscales._crosstab import crosstab_from_table

    table = np.asarray(counts, dtype=np.int64)
    n = int(table.sum())
    residuals = np.full(table.shape, np.nan)
    if (table.sum(axis=1) > 0).sum() < 2 or (table.sum(axis=0) > 0).sum() < 2:
        return _Association(np.nan, 0, np.nan, np.nan, np.nan, n, np.nan, residuals)
    labelled = pd.DataFrame(
        table,
        index=pd.RangeIndex(table.shape[0], name=rows),
        columns=pd.RangeIndex(table.shape[1], name=cols),
    )
    res = crosstab_from_table(labelled, correction=False)
    return _Association(
        float(res.chi2),
        int(res.df),
        float(res.p),
        float(res.cramers_v),
        np.nan if res.fisher_p is None else float(res.fisher_p),
        n,
        float(np.nanmin(res.expected.to_numpy())),
        res.stdres.to_numpy(dtype=float),
    )


@dataclass(frozen=True, eq=False, repr=False)
class CrosstabTable(_ReportTable):
    """An item crossed with a background variable: column percentages and a test.

    Attributes
    ----------
    counts : DataFrame
        Answers as rows, groups as columns, with an ``all`` column.
    percentages : DataFrame
        Column percentages (unrounded).
    primary, complementary : DataFrame
        Masks of the cells suppressed because they are small, and of those
        hidden so the small ones cannot be computed from the totals.
    chi2, df, p, cramers_v, fisher_p, min_expected
        Pearson's test of independence on the full table (without continuity
        correction); Fisher's exact p for 2x2 tables. Cramér's V is computed
        from the uncorrected statistic.
    stdres : DataFrame
        Adjusted standardised residuals (Haberman), as ``CrosstabResult.stdres``.
    """

    item: str
    by: str
    counts: pd.DataFrame
    percentages: pd.DataFrame
    primary: pd.DataFrame
    complementary: pd.DataFrame
    chi2: float
    df: int
    p: float
    cramers_v: float
    fisher_p: float
    min_expected: float
    n: int
    stdres: pd.DataFrame
    decimals: int
    min_group_size: int
    lang: str
    title: str = "Crosstab"
    published_totals: tuple[bool, ...] = ()

    _renamed: ClassVar[Mapping[str, str | tuple[str, ...]]] = {
        "percent": "percentages",
        "residuals": "stdres",
    }

    def to_frame(self) -> pd.DataFrame:
        """Unrounded column percentages (no suppression applied)."""
        return self.percentages.copy()

    def test_text(self) -> str:
        """``χ²(3) = 12.34, p = .006, V = .19`` (Fisher's p added for 2x2 tables)."""
        if math.isnan(self.chi2):
            return "χ² —"
        text = (
            f"χ²({self.df}) = {apa_number(self.chi2)}, {apa_p(self.p)}"
            f"{stars(self.p)}, V = {apa_number(self.cramers_v, leading_zero=False)}"
        )
        if not math.isnan(self.fisher_p):
            text += f"; Fisher {apa_p(self.fisher_p)}"
        return text

    def display_frame(self) -> pd.DataFrame:
        """Rounded column percentages as text, suppressed cells marked."""
        pct = round_half_up(self.percentages.to_numpy(dtype=float), self.decimals)
        shown = pd.DataFrame(
            [[f"{v:.{self.decimals}f}" if not np.isnan(v) else "" for v in row] for row in pct],
            index=self.percentages.index,
            columns=self.percentages.columns,
        )
        mark = f"<{self.min_group_size}"
        shown = shown.mask(self.primary.to_numpy(), mark).mask(self.complementary.to_numpy(), "x")
        totals = self.counts.sum(axis=0).astype(int)
        small = (totals < self.min_group_size).to_numpy()
        hidden = np.asarray(self.published_totals or [True] * len(small)) == False  # noqa: E712
        n_text = np.where(small, mark, np.where(hidden, "x", totals.astype(str)))
        n_row = pd.DataFrame([n_text], index=["n"], columns=shown.columns)
        return pd.concat([shown, n_row])

    def notes(self) -> list[str]:
        """Footnotes: the test and any suppression."""
        out = [self.test_text()]
        if self.min_expected < 5:
            out.append(_t("small_expected", self.lang, e=apa_number(self.min_expected)))
        if self.primary.to_numpy().any():
            out.append(_t("suppressed", self.lang, k=self.min_group_size))
        if self.complementary.to_numpy().any() or not all(self.published_totals):
            out.append(_t("complement", self.lang))
        return out

    _css = "crosstab"


def _crosstab(
    row: _Answers,
    col: _Answers,
    *,
    threshold: int,
    decimals: int,
    lang: str,
    title: str | None,
    add_all: bool = True,
) -> CrosstabTable:
    kr, kc = len(row.labels), len(col.labels)
    counts = cross_counts(row.cat, col.cat, kr, kc)
    assoc = _association(counts, row.item, col.item)
    full = np.column_stack([counts, counts.sum(axis=1)]) if add_all else counts
    col_labels = [*col.labels, _t("all_groups", lang)] if add_all else list(col.labels)
    totals = full.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.where(totals > 0, 100.0 * full / np.where(totals > 0, totals, 1), np.nan)
    if threshold > 0:
        primary, complement, published = suppress_cells(counts, threshold)
        if add_all:
            # the "all" column holds row totals, which are published; small ones are
            # shown as in a one-way table of the whole sample
            primary = np.column_stack([primary, np.zeros(kr, dtype=bool)])
            complement = np.column_stack([complement, np.zeros(kr, dtype=bool)])
            if totals[-1] < threshold:
                primary[:, -1] = True
            published = np.append(published, totals[-1] >= threshold)
    else:
        primary = np.zeros(full.shape, dtype=bool)
        complement = np.zeros(full.shape, dtype=bool)
        published = np.ones(full.shape[1], dtype=bool)
    index = pd.Index(row.labels, name=row.label, dtype=object)
    columns = pd.Index(col_labels, name=col.label, dtype=object)
    residuals = (
        np.column_stack([assoc.residuals, np.full(kr, np.nan)]) if add_all else assoc.residuals
    )
    return CrosstabTable(
        item=row.item,
        by=col.item,
        counts=pd.DataFrame(full, index=index, columns=columns),
        percentages=pd.DataFrame(pct, index=index, columns=columns),
        primary=pd.DataFrame(primary, index=index, columns=columns),
        complementary=pd.DataFrame(complement, index=index, columns=columns),
        chi2=assoc.chi2,
        df=assoc.df,
        p=assoc.p,
        cramers_v=assoc.cramers_v,
        fisher_p=assoc.fisher_p,
        min_expected=assoc.min_expected,
        n=assoc.n,
        stdres=pd.DataFrame(residuals, index=index, columns=columns),
        decimals=decimals,
        min_group_size=threshold,
        lang=lang,
        title=title or f"{row.label} × {col.label}",
        published_totals=tuple(bool(b) for b in published),
    )


@renamed_arguments(reverse="descending")
def crosstab_table(
    data: pd.DataFrame,
    item: str,
    by: str,
    *,
    codebook: Instrument | str | None = None,
    grouping: str | None = None,
    by_grouping: str | None = None,
    lang: str = "nl",
    decimals: int = 0,
    min_group_size: int | None = 5,
    title: str | None = None,
    descending: bool = False,
) -> CrosstabTable:
    """An item by a background variable: column percentages, chi-square, Cramér's V.

    Like seed 001 Tabel 2.5 (share of working time in direct client contact
    by employer type). Non-substantive answers (``weet niet``), missing and
    not-asked respondents are left out of the table and the test.

    Parameters
    ----------
    data : DataFrame
        Coded survey data; never modified.
    item, by : str
        The answer item (rows) and the background item (columns), e.g.
        ``"employer"`` or ``"experience"``.
    codebook : Instrument or str, optional
        The wave's codebook or its name.
    grouping, by_grouping : str, optional
        Named groupings applied to ``item`` and ``by`` (e.g. percentage bands,
        experience ``0-3`` vs more).
    lang, decimals, min_group_size, title, descending
        As in :func:`frequency_table`.

    Returns
    -------
    CrosstabTable

    Notes
    -----
    :math:`\\chi^2 = \\sum_{ij} (o_{ij} - e_{ij})^2 / e_{ij}` with
    :math:`e_{ij} = n_{i\\cdot} n_{\\cdot j} / n`, no continuity correction,
    df :math:`= (r-1)(c-1)` after empty rows and columns are dropped;
    :math:`V = \\sqrt{\\chi^2 / (n(\\min(r, c) - 1))}` (Cramér, 1946); adjusted
    residuals :math:`(o - e) / \\sqrt{e (1 - n_{i\\cdot}/n)(1 - n_{\\cdot j}/n)}`
    (Haberman, 1973). Equals R's ``chisq.test(correct = FALSE)``.

    Examples
    --------
    >>> import pandas as pd
    >>> from peoscales.peo import crosstab_table
    >>> df = pd.DataFrame({
    ...     "answer": pd.Categorical(["no"] * 20 + ["yes"] * 30 + ["no"] * 35 + ["yes"] * 15),
    ...     "group": pd.Categorical(["a"] * 50 + ["b"] * 50)})
    >>> ct = crosstab_table(df, "answer", "group")
    >>> round(ct.chi2, 4), ct.df, round(ct.cramers_v, 4)
    (9.0909, 1, 0.3015)
    """
    frame = as_frame(data)
    lang = _check_lang(lang)
    threshold = _check_threshold(min_group_size)
    book = _resolve_codebook(codebook)
    row = _answers(
        frame, item, book, lang, grouping, "item", substantive_only=True, reverse=descending
    )
    col = _answers(frame, by, book, lang, by_grouping, "by", substantive_only=True)
    return _crosstab(row, col, threshold=threshold, decimals=decimals, lang=lang, title=title)


@dataclass(frozen=True, eq=False, repr=False)
class DichotomyTable(_ReportTable):
    """Several dichotomised items each crossed with one banded outcome (Tabel 2.10).

    Attributes
    ----------
    tables : dict of CrosstabTable
        One crosstab per item: outcome bands as rows, the item's two groups as
        columns.
    """

    outcome: str
    tables: Mapping[str, CrosstabTable] = field(default_factory=dict)
    lang: str = "nl"
    title: str = "Dichotomised crosstabs"

    def tests(self) -> pd.DataFrame:
        """One row per item: chi2, df, p, Cramér's V, Fisher's p, n."""
        return pd.DataFrame(
            {
                "chi2": [t.chi2 for t in self.tables.values()],
                "df": [t.df for t in self.tables.values()],
                "p": [t.p for t in self.tables.values()],
                "cramers_v": [t.cramers_v for t in self.tables.values()],
                "fisher_p": [t.fisher_p for t in self.tables.values()],
                "n": [t.n for t in self.tables.values()],
            },
            index=pd.Index(list(self.tables), name="item"),
        )

    def to_frame(self) -> pd.DataFrame:
        """Column percentages side by side, columns (item, group)."""
        return pd.concat({k: t.percentages for k, t in self.tables.items()}, axis=1)

    def display_frame(self) -> pd.DataFrame:
        """Rounded, suppressed percentages side by side with significance marks."""
        parts = {}
        for _key, t in self.tables.items():
            label = f"{t.title}{stars(t.p)}"
            part = t.display_frame()
            part.columns.name = None
            parts[label] = part
        out = pd.concat(parts, axis=1)
        out.index.name = self.outcome
        return out

    def notes(self) -> list[str]:
        """One test per item, and suppression marks."""
        out = [f"{t.title}: {t.test_text()}" for t in self.tables.values()]
        if any(t.primary.to_numpy().any() for t in self.tables.values()):
            k = next(iter(self.tables.values())).min_group_size
            out.append(_t("suppressed", self.lang, k=k))
        if any(t.complementary.to_numpy().any() for t in self.tables.values()):
            out.append(_t("complement", self.lang))
        return out

    _css = "dichotomy"


@renamed_arguments(reverse="descending")
def dichotomy_table(
    data: pd.DataFrame,
    items: Sequence[str],
    outcome: str,
    *,
    codebook: Instrument | str,
    grouping: str,
    outcome_grouping: str | None = None,
    lang: str = "nl",
    decimals: int = 0,
    min_group_size: int | None = 5,
    title: str | None = None,
    descending: bool = False,
) -> DichotomyTable:
    """Dichotomised items crossed with a banded outcome, one test per item.

    Seed 001 Tabel 2.10 crosses the space items, each split ``(ruim)
    onvoldoende`` vs ``(ruim) voldoende``, with work pleasure banded ``1-5 /
    6-7 / 8-10``; Tabel 2.11 does the same with the chance of still working in
    youth care in a year.

    Parameters
    ----------
    data : DataFrame
        Coded survey data; never modified.
    items : list of str
        The items to dichotomise (columns of each block).
    outcome : str
        The outcome item (rows).
    codebook : Instrument or str
        The wave's codebook.
    grouping : str
        The grouping of the items' answer scale that splits them in two.
    outcome_grouping : str, optional
        The grouping of the outcome (bands).
    lang, decimals, min_group_size, title
        As in :func:`crosstab_table`.
    descending : bool
        List the outcome's answers from the highest code down.

    Returns
    -------
    DichotomyTable

    Notes
    -----
    Each block is a :func:`crosstab_table` of ``outcome`` by one item, tested
    with Pearson's chi-square without continuity correction.
    """
    frame = as_frame(data)
    if isinstance(items, str) or not isinstance(items, Sequence) or not items:
        raise ParameterError(f"items must be a non-empty list of item ids, got {items!r}.")
    lang = _check_lang(lang)
    threshold = _check_threshold(min_group_size)
    book = _resolve_codebook(codebook)
    out = _answers(
        frame,
        outcome,
        book,
        lang,
        outcome_grouping,
        "outcome",
        substantive_only=True,
        reverse=descending,
    )
    tables = {}
    for it in items:
        col = _answers(frame, it, book, lang, grouping, "items", substantive_only=True)
        tables[it] = _crosstab(
            out,
            col,
            threshold=threshold,
            decimals=decimals,
            lang=lang,
            title=col.label,
            add_all=False,
        )
    return DichotomyTable(outcome=out.label, tables=tables, lang=lang, title=title or out.label)


# --------------------------------------------------------------------------------------
# Group means with one-way ANOVA
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class GroupMeans(_ReportTable):
    """Means of a numeric item per group, with one-way ANOVA and Welch's test.

    Attributes
    ----------
    table : DataFrame
        One row per group and a total row: ``n``, ``mean``, ``sd``,
        ``suppressed`` (shown as ``<5``).
    f, df1, df2, p, eta2
        Classic one-way ANOVA on all groups with data: F, its numerator (between)
        and denominator (within) degrees of freedom, p and η².
    welch_f, welch_df2, welch_p
        Welch's ANOVA (unequal variances).
    """

    item: str
    by: str
    table: pd.DataFrame
    f: float
    df1: int
    df2: int
    p: float
    eta2: float
    welch_f: float
    welch_df2: float
    welch_p: float
    n: int
    n_excluded: int
    min_group_size: int
    lang: str
    title: str = "Group means"

    _renamed: ClassVar[Mapping[str, str | tuple[str, ...]]] = {
        "df_between": "df1",
        "df_within": "df2",
        "eta_squared": "eta2",
    }

    def to_frame(self) -> pd.DataFrame:
        """n, mean, sd per group (unrounded, no suppression applied)."""
        return self.table[["n", "mean", "sd"]].copy()

    def test_text(self) -> str:
        """``F(2, 160) = 4.56, p = .012, η² = .05``."""
        if math.isnan(self.f):
            return "F —"
        return (
            f"F({self.df1}, {self.df2}) = {apa_number(self.f)}, "
            f"{apa_p(self.p)}{stars(self.p)}, η² = "
            f"{apa_number(self.eta2, leading_zero=False)}; Welch F({self.df1}, "
            f"{apa_number(self.welch_df2, 1)}) = {apa_number(self.welch_f)}, "
            f"{apa_p(self.welch_p)}"
        )

    def display_frame(self) -> pd.DataFrame:
        """Rounded means and sds; small groups suppressed."""
        t = self.table
        mark = f"<{self.min_group_size}"
        hide = t["suppressed"].to_numpy()
        return pd.DataFrame(
            {
                _t("n", self.lang): np.where(
                    hide,
                    np.where(t["n"] < self.min_group_size, mark, "x"),
                    t["n"].astype(int).astype(str),
                ),
                _t("mean", self.lang): np.where(
                    hide, "", [apa_number(v) for v in t["mean"].to_numpy()]
                ),
                _t("sd", self.lang): np.where(
                    hide, "", [apa_number(v) for v in t["sd"].to_numpy()]
                ),
            },
            index=t.index,
        )

    def notes(self) -> list[str]:
        """The tests and suppression."""
        out = [self.test_text()]
        hidden = self.table["suppressed"].to_numpy()
        if hidden.any():
            out.append(_t("suppressed", self.lang, k=self.min_group_size))
        if (hidden & (self.table["n"].to_numpy() >= self.min_group_size)).any():
            out.append(_t("complement", self.lang))
        if self.n_excluded:
            out.append(f"{self.n_excluded} respondent(s) without a value or group left out.")
        return out

    _css = "means"


def group_means(
    data: pd.DataFrame,
    item: str,
    by: str,
    *,
    codebook: Instrument | str | None = None,
    by_grouping: str | None = None,
    lang: str = "nl",
    min_group_size: int | None = 5,
    title: str | None = None,
) -> GroupMeans:
    """Mean of a numeric item per group with one-way ANOVA (work pleasure by employer).

    Non-substantive answers (``weet niet``) do not count in a mean.

    Parameters
    ----------
    data : DataFrame
        Coded survey data; never modified.
    item : str
        A numeric or ordinal item (its codes are averaged), e.g. ``"work_pleasure"``.
    by : str
        The grouping item, e.g. ``"employer"``.
    codebook, by_grouping, lang, min_group_size, title
        As in :func:`crosstab_table`.

    Returns
    -------
    GroupMeans

    Notes
    -----
    :math:`F = \\frac{\\sum_g n_g(\\bar x_g - \\bar x)^2/(k-1)}{\\sum_g\\sum_i (x_{gi} -
    \\bar x_g)^2/(n-k)}`, :math:`\\eta^2 = SS_B / SS_T`; Welch's F (Welch, 1951)
    as in R's ``oneway.test(var.equal = FALSE)``. A group below
    ``min_group_size`` is hidden; if exactly one group is hidden its mean could
    be computed from the total row, so the next smallest group is hidden too.

    Examples
    --------
    >>> import pandas as pd
    >>> from peoscales.peo import group_means
    >>> df = pd.DataFrame({"score": [6, 7, 8, 7, 9, 8, 9, 10, 5, 6, 6, 7, 5, 6, 7],
    ...                    "team": pd.Categorical(list("aaaaabbbbbccccc"))})
    >>> gm = group_means(df, "score", "team")
    >>> round(gm.f, 4), gm.df1, gm.df2  # R: summary(aov(score ~ team))
    (1.3651, 2, 12)
    """
    frame = as_frame(data)
    lang = _check_lang(lang)
    threshold = _check_threshold(min_group_size)
    book = _resolve_codebook(codebook)
    series = _column(frame, item)
    if book is not None and item in book.items:
        ans = _answers(frame, item, book, lang)
        values = ans.values
        label = ans.label
    else:
        if not pd.api.types.is_numeric_dtype(series.dtype):
            raise ParameterError(
                f"item={item!r} is not numeric and not a codebook item; give the codebook "
                "or a numeric column."
            )
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        label = str(item)
    grp = _answers(frame, by, book, lang, by_grouping, "by", substantive_only=True)
    k = len(grp.labels)
    moments = group_moments(grp.cat, values, k)
    used = (grp.cat >= 0) & ~np.isnan(values)
    n_used = int(used.sum())
    if n_used < 2:
        raise InsufficientDataError(
            f"group_means needs values of {item!r} with a group in {by!r}; only {n_used} found."
        )
    samples = [values[used & (grp.cat == g)] for g in range(k)]
    nonempty = [s for s in samples if s.size > 0]
    f = p = eta = welch_f = welch_df2 = welch_p = np.nan
    df_b = df_w = 0
    if len(nonempty) >= 2 and n_used > len(nonempty):
        # The same kernels as peoscales.anova (checked against aov and oneway.test);
        # scipy's f_oneway only has the Welch form from scipy 1.16 on.
        sizes = np.array([s.size for s in nonempty], dtype=np.float64)
        means = np.array([s.mean() for s in nonempty])
        variances = np.array([s.var(ddof=1) if s.size > 1 else 0.0 for s in nonempty])
        classic = oneway_anova(sizes, means, variances)
        f, p, eta = classic["F"], classic["p"], classic["eta2"]
        df_b, df_w = len(nonempty) - 1, n_used - len(nonempty)
        if all(s.size >= 2 for s in nonempty):
            welch = welch_anova(sizes, means, variances)
            welch_f, welch_p, welch_df2 = welch["F"], welch["p"], welch["df2"]
    total = values[used]
    n_col = np.append(moments[:, 0], total.size)
    hidden = np.append((moments[:, 0] > 0) & (moments[:, 0] < threshold), total.size < threshold)
    if threshold and hidden[:-1].sum() == 1:
        # the lone hidden group could be computed from the total: hide the next smallest
        shown = np.flatnonzero(~hidden[:-1] & (moments[:, 0] > 0))
        if shown.size:
            hidden[shown[np.argmin(moments[shown, 0])]] = True
    table = pd.DataFrame(
        {
            "n": n_col.astype(np.int64),
            "mean": np.append(moments[:, 1], total.mean()),
            "sd": np.append(moments[:, 2], total.std(ddof=1) if total.size > 1 else np.nan),
            "suppressed": hidden,
        },
        index=pd.Index([*grp.labels, _t("total", lang)], name=grp.label, dtype=object),
    )
    return GroupMeans(
        item=item,
        by=by,
        table=table,
        f=f,
        df1=df_b,
        df2=df_w,
        p=p,
        eta2=eta,
        welch_f=welch_f,
        welch_df2=welch_df2,
        welch_p=welch_p,
        n=n_used,
        n_excluded=len(frame) - n_used,
        min_group_size=threshold,
        lang=lang,
        title=title or f"{label} × {grp.label}",
    )


# --------------------------------------------------------------------------------------
# Two waves
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class WaveComparison(_ReportTable):
    """The fixed items of two waves side by side, with a chi-square test per item.

    Attributes
    ----------
    percentages : DataFrame
        Rows (item, answer), columns the two waves; unrounded percentages of
        the substantive answers.
    tests : DataFrame
        One row per item: chi2, df, p, Cramér's V, n per wave.
    skipped : dict
        Linked items that could not be compared, with the reason.
    """

    waves: tuple[str, str]
    percentages: pd.DataFrame
    counts: pd.DataFrame
    tests: pd.DataFrame
    skipped: Mapping[str, str]
    decimals: int
    min_group_size: int
    lang: str
    title: str = "Comparison of waves"

    _renamed: ClassVar[Mapping[str, str | tuple[str, ...]]] = {"percent": "percentages"}

    def to_frame(self) -> pd.DataFrame:
        """Percentages per wave (unrounded)."""
        return self.percentages.copy()

    def display_frame(self) -> pd.DataFrame:
        """Rounded percentages with a significance mark per item."""
        shown = self.percentages.map(
            lambda v: (
                ""
                if np.isnan(v)
                else f"{float(round_half_up(np.asarray([v]), self.decimals)[0]):.{self.decimals}f}"
            )
        )
        mark = f"<{self.min_group_size}"
        for wave in self.waves:
            small = self.counts[wave].groupby(level=0, sort=False).transform("sum")
            shown.loc[(small < self.min_group_size).to_numpy(), wave] = mark
        p_col = self.tests["p"].reindex(shown.index.get_level_values(0)).to_numpy()
        shown["p"] = [
            f"{format_p(p)}{stars(p)}" if i == 0 else ""
            for p, i in zip(p_col, shown.groupby(level=0, sort=False).cumcount())
        ]
        return shown

    def notes(self) -> list[str]:
        """Tests and skipped items."""
        out = [
            f"{item}: χ²({int(r.df)}) = {apa_number(r.chi2)}, {apa_p(r.p)}"
            for item, r in self.tests.iterrows()
        ]
        out += [f"{item}: {why}" for item, why in self.skipped.items()]
        return out

    _css = "waves"


def _links(a: Instrument, b: Instrument) -> list[tuple[str, str]]:
    wave_a, wave_b = a.wave or a.name, b.wave or b.name
    pairs = []
    for item in a.items.values():
        for ref in item.same_as:
            wave, _, other = ref.partition(":")
            if wave in (wave_b, b.name) and other in b.items:
                pairs.append((item.id, other))
    for item in b.items.values():
        for ref in item.same_as:
            wave, _, other = ref.partition(":")
            if wave in (wave_a, a.name) and other in a.items:
                pairs.append((other, item.id))
    return list(dict.fromkeys(pairs))


def compare_waves(
    data_a: pd.DataFrame,
    data_b: pd.DataFrame,
    *,
    codebook_a: Instrument | str,
    codebook_b: Instrument | str,
    items: Sequence[str] | None = None,
    lang: str = "nl",
    decimals: int = 0,
    min_group_size: int | None = 5,
) -> WaveComparison:
    """Compare the items two waves share: percentages per wave and a chi-square test.

    Items are linked through the codebooks' ``same_as`` entries
    (``same_as = ["2021-09:equipped"]`` in either codebook). A linked pair is
    compared when both waves use the same substantive answer codes; other
    pairs are listed in ``skipped`` with the reason.

    Parameters
    ----------
    data_a, data_b : DataFrame
        Coded data of the two waves; never modified.
    codebook_a, codebook_b : Instrument or str
        Their codebooks (or wave names).
    items : list of str, optional
        Item ids of wave A to compare (default: every linked item).
    lang, decimals, min_group_size
        As in :func:`frequency_table`.

    Returns
    -------
    WaveComparison

    Notes
    -----
    Per item, a wave x answer table of substantive answers is tested with
    Pearson's chi-square without continuity correction; Cramér's V as in
    :func:`crosstab_table`. The waves are independent samples (PEO responses
    are anonymous), so a paired test does not apply.
    """
    fa, fb = as_frame(data_a, "data_a"), as_frame(data_b, "data_b")
    lang = _check_lang(lang)
    threshold = _check_threshold(min_group_size)
    book_a, book_b = _resolve_codebook(codebook_a), _resolve_codebook(codebook_b)
    if book_a is None or book_b is None:
        raise ParameterError("compare_waves needs both codebooks (or their wave names).")
    wave_a, wave_b = book_a.wave or book_a.name, book_b.wave or book_b.name
    pairs = _links(book_a, book_b)
    if items is not None:
        unknown = [i for i in items if i not in {p[0] for p in pairs}]
        if unknown:
            raise ParameterError(
                f"items {preview(unknown)} have no same_as link between {wave_a!r} and "
                f"{wave_b!r}; linked items: {preview([p[0] for p in pairs], 12)}."
            )
        pairs = [p for p in pairs if p[0] in items]
    if not pairs:
        raise ParameterError(
            f"The codebooks {wave_a!r} and {wave_b!r} link no items (same_as); nothing to compare."
        )
    rows_pct: list[pd.DataFrame] = []
    rows_n: list[pd.DataFrame] = []
    tests = []
    skipped: dict[str, str] = {}
    sparse: list[str] = []
    for ia, ib in pairs:
        rs_a, rs_b = book_a.response_scale_of(ia), book_b.response_scale_of(ib)
        if "text" in (rs_a.kind, rs_b.kind):
            skipped[ia] = "open question"
            continue
        if rs_a.substantive_codes != rs_b.substantive_codes:
            skipped[ia] = (
                f"answer codes differ between the waves ({preview(rs_a.substantive_codes)} vs "
                f"{preview(rs_b.substantive_codes)})"
            )
            continue
        if ia not in fa.columns or ib not in fb.columns:
            skipped[ia] = "not in the data of both waves"
            continue
        # numbers (a 1-10 mark, a percentage) are compared in their report bands
        bands = (
            "bands"
            if rs_a.kind == "numeric" and "bands" in rs_a.groupings and "bands" in rs_b.groupings
            else None
        )
        ta = frequency_table(
            fa, ia, codebook=book_a, percent_of="substantive", lang=lang, grouping=bands
        )
        tb = frequency_table(
            fb, ib, codebook=book_b, percent_of="substantive", lang=lang, grouping=bands
        )
        sel = ta.table["kind"] == "answer"
        counts = np.column_stack(
            [
                ta.table.loc[sel, "n"].to_numpy(),
                tb.table.loc[tb.table["kind"] == "answer", "n"].to_numpy(),
            ]
        )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", SmallExpectedCountWarning)
            assoc = _association(counts, ia, "wave")
        label = ta.label
        for caught_warning in caught:
            if issubclass(caught_warning.category, SmallExpectedCountWarning):
                sparse.append(label)
            else:  # pragma: no cover - no other warning is expected here
                warnings.warn(caught_warning.message, caught_warning.category, stacklevel=2)
        index = pd.MultiIndex.from_product(
            [[label], list(ta.table.index[sel])], names=["item", "answer"]
        )
        rows_n.append(pd.DataFrame(counts, index=index, columns=[wave_a, wave_b]))
        with np.errstate(invalid="ignore", divide="ignore"):
            pct = 100.0 * counts / counts.sum(axis=0, keepdims=True)
        rows_pct.append(pd.DataFrame(pct, index=index, columns=[wave_a, wave_b]))
        tests.append(
            {
                "item": label,
                "chi2": assoc.chi2,
                "df": assoc.df,
                "p": assoc.p,
                "cramers_v": assoc.cramers_v,
                f"n_{wave_a}": int(counts[:, 0].sum()),
                f"n_{wave_b}": int(counts[:, 1].sum()),
            }
        )
    if sparse:
        # One warning for the comparison, not one per item.
        sparse = list(dict.fromkeys(sparse))
        warnings.warn(
            f"Expected counts are small in the wave comparison of {len(sparse)} item(s): "
            f"{preview(sparse, 5)}; their chi-square p-values may be inaccurate. Group the "
            "answers (a codebook grouping such as 'dichotomy'), or read these tests with care.",
            SmallExpectedCountWarning,
            stacklevel=2,
        )
    if not tests:
        raise ParameterError(
            f"No linked item could be compared: {preview([f'{k}: {v}' for k, v in skipped.items()])}."
        )
    return WaveComparison(
        waves=(wave_a, wave_b),
        percentages=pd.concat(rows_pct),
        counts=pd.concat(rows_n),
        tests=pd.DataFrame(tests).set_index("item"),
        skipped=skipped,
        decimals=decimals,
        min_group_size=threshold,
        lang=lang,
        title=_t("waves_title", lang),
    )
