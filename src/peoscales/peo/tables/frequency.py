"""Frequency table of one item."""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from peoscales._deprecation import renamed_arguments
from peoscales._kernels.peo_tables import (
    largest_remainder,
    round_half_up,
)
from peoscales._validation import as_frame, check_option
from peoscales.errors import (
    ParameterError,
)
from peoscales.instruments.model import Instrument
from peoscales.peo.tables.answers import (
    _answers,
    _check_lang,
    _check_threshold,
    _codebook_or_wave,
    _resolve_codebook,
)
from peoscales.peo.tables.common import _MISSING, _NOT_ASKED, PercentOf, Rounding, _ReportTable, _t
from peoscales.peo.tables.groupings import GroupingSpec


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
    grouping_notes: tuple[str, ...] = ()
    title: str = "Frequency table"

    def plot(self, ax: Any = None, **style: Any) -> Any:
        """Horizontal bars of the answers' percentages (none when the table is
        suppressed); see :func:`peoscales.plot.bars`."""
        from peoscales import plot

        frame = self.table[self.table["kind"].isin(["answer", "nonsubstantive"])]
        pct = frame["percent"] * (np.nan if self.suppressed else 1.0)
        style.setdefault("title", self.label)
        style.setdefault("lang", self.lang)
        return plot.bars(pct, n=None if self.suppressed else self.n_base, ax=ax, **style)

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
        out.extend(self.grouping_notes)
        return out

    _css = "frequency"

    @property
    def _caption(self) -> str:
        return self.label


#: Answer texts that stay last when rows are sorted by share ("Anders, namelijk...").
_OTHER = re.compile(r"^\s*(anders|overig|other)\b", re.IGNORECASE)


def _sorted_by_share(table: pd.DataFrame, sort: str) -> pd.DataFrame:
    """Substantive answers ordered by count, "Anders" / "other" last; the other rows
    (non-substantive, missing, not asked) keep their place at the end."""
    answers = table[table["kind"] == "answer"]
    rest = table[table["kind"] != "answer"]
    other = np.asarray([bool(_OTHER.match(str(label))) for label in answers.index])
    n = answers["n"].to_numpy()
    key = -n if sort == "descending" else n
    order = np.lexsort((key, other))  # other last, then by count (stable on ties)
    return pd.concat([answers.iloc[order], rest])


@renamed_arguments(reverse="descending")
def frequency_table(
    data: pd.DataFrame,
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
    sort : {"descending", "ascending"}, optional
        Order the substantive answers by their count (seed 001's Tabel 3.1-3.5), with
        "Anders" / "other" last; non-substantive answers, missing and not asked stay at
        the end.

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
    lang, threshold = _frequency_options(percent_of, rounding, lang, decimals, min_group_size, sort)
    book = _resolve_codebook(_codebook_or_wave(codebook, data))
    ans = _answers(frame, item, book, lang, grouping, reverse=bool(descending))
    counts, negative = ans.count(len(ans.labels))
    return _frequency_from_counts(
        ans, counts, negative, len(frame), ans.n_ungrouped, percent_of=percent_of,
        rounding=rounding, decimals=decimals, threshold=threshold, lang=lang, sort=sort,
    )  # fmt: skip


def _frequency_options(
    percent_of: Any,
    rounding: Any,
    lang: Any,
    decimals: Any,
    min_group_size: Any,
    sort: Any,
) -> tuple[str, int]:
    """Check the display options of a frequency table; the language and threshold."""
    check_option("percent_of", percent_of, ("valid", "substantive", "all"))
    check_option("rounding", rounding, (None, "largest_remainder"))
    lang = _check_lang(lang)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 3:
        raise ParameterError(f"decimals must be a whole number from 0 to 3, got {decimals!r}.")
    if sort is not None:
        check_option("sort", sort, ("descending", "ascending"))
    return lang, _check_threshold(min_group_size)


def _frequency_from_counts(
    ans: Any,
    counts: np.ndarray,
    negative: dict[int, int],
    n_total: int,
    n_ungrouped: int,
    *,
    percent_of: str,
    rounding: str | None,
    decimals: int,
    threshold: int,
    lang: str,
    sort: str | None,
) -> FrequencyTable:
    """The table from the counts of the answers (``ans`` gives labels and kinds), so
    that counts summed over pieces of the data give the table of the whole."""
    k = len(ans.labels)
    n_missing = negative.get(_MISSING, 0)
    n_not_asked = negative.get(_NOT_ASKED, 0)
    subst = np.asarray(ans.substantive, dtype=bool)
    if percent_of == "valid":
        in_base = np.ones(k, dtype=bool)
        base = int(counts.sum())
    elif percent_of == "substantive":
        in_base = subst
        base = int(counts[subst].sum())
    else:
        in_base = np.ones(k, dtype=bool)
        base = n_total
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
    if sort is not None:
        table = _sorted_by_share(table, sort)
    return FrequencyTable(
        item=ans.item,
        label=ans.label,
        table=table,
        n_total=n_total,
        n_base=base,
        percent_of=percent_of,
        rounding=rounding,
        decimals=decimals,
        min_group_size=threshold,
        lang=lang,
        n_ungrouped=n_ungrouped,
        grouping_notes=(ans.grouping_note,) if ans.grouping_note else (),
        title=ans.label,
    )
