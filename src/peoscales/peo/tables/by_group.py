"""Several items against one grouping in one table (seed 001's Tabel 1.3 and 2.3): rows
are items, columns are groups, a cell is the share of one answer (or the mean), with the
group sizes and a test per item."""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from peoscales._results import apa_number, format_p, stars
from peoscales._validation import as_frame, check_option, preview
from peoscales.errors import ParameterError, SmallExpectedCountWarning
from peoscales.instruments.model import Instrument
from peoscales.peo.tables.answers import (
    _answers,
    _check_lang,
    _check_threshold,
    _codebook_or_wave,
    _resolve_codebook,
)
from peoscales.peo.tables.common import _ReportTable, _t
from peoscales.peo.tables.crosstabs import _crosstab
from peoscales.peo.tables.groupings import GroupingSpec
from peoscales.peo.tables.means import group_means

__all__ = ["ItemsByGroup", "items_by_group"]

Statistic = Literal["percent", "mean"]
Sort = Literal["descending", "ascending"] | None


@dataclass(frozen=True, eq=False, repr=False)
class ItemsByGroup(_ReportTable):
    """Items as rows, groups as columns: the share of one answer (or the mean) per group.

    Attributes
    ----------
    table : DataFrame
        One row per item (its label), one column per group and a total column: the
        percentage of respondents giving ``answer`` (``statistic="percent"``) or the mean
        (``statistic="mean"``), unrounded.
    counts : DataFrame
        Respondents per cell's base (group size among those who answered the item).
    tests : DataFrame
        Per item: ``statistic`` (chi-square, or F), ``df``, ``p`` and the effect size
        (``cramers_v``, or ``eta2``).
    """

    items: tuple[str, ...]
    by: str
    statistic: str
    answer: str | None
    table: pd.DataFrame
    counts: pd.DataFrame
    tests: pd.DataFrame
    decimals: int
    min_group_size: int
    lang: str
    title: str = "Items by group"
    grouping_notes: tuple[str, ...] = ()

    _css = "items-by-group"

    def to_frame(self) -> pd.DataFrame:
        """The unrounded cells with each item's test."""
        return self.table.join(self.tests)

    def display_frame(self) -> pd.DataFrame:
        """Cells rounded; cells of groups smaller than ``min_group_size`` left empty."""
        small = self.counts.to_numpy() < self.min_group_size
        values = self.table.to_numpy()
        if self.statistic == "percent":
            text = np.vectorize(lambda v: "" if np.isnan(v) else f"{v:.{self.decimals}f}")(values)
        else:
            text = np.vectorize(lambda v: "" if np.isnan(v) else apa_number(v))(values)
        text = np.where(small, "", text)
        out = pd.DataFrame(text, index=self.table.index, columns=self.table.columns)
        out["p"] = [format_p(p) + stars(p) for p in self.tests["p"].to_numpy()]
        return out

    def notes(self) -> list[str]:
        """What a cell is, the tests, and suppression."""
        what = (
            f"% {self.answer!r}"
            if self.statistic == "percent"
            else ("mean" if self.lang == "en" else "gemiddelde")
        )
        test = "chi-square test" if self.statistic == "percent" else "one-way ANOVA"
        if self.lang == "nl":
            test = "chikwadraattoets" if self.statistic == "percent" else "variantieanalyse"
            out = [f"Cellen: {what} per groep; p van de {test} per item."]
        else:
            out = [f"Cells: {what} per group; p of the {test} per item."]
        if (self.counts.to_numpy() < self.min_group_size).any():
            out.append(_t("suppressed", self.lang, k=self.min_group_size))
        out.extend(self.grouping_notes)
        return out


def items_by_group(
    data: pd.DataFrame,
    items: Sequence[str],
    by: Hashable,
    *,
    answer: str | None = None,
    statistic: Statistic = "percent",
    codebook: Instrument | str | None = None,
    grouping: GroupingSpec | None = None,
    by_grouping: GroupingSpec | None = None,
    sort: Sort = None,
    sort_by: str | None = None,
    lang: str = "nl",
    decimals: int = 0,
    min_group_size: int | None = 5,
    title: str | None = None,
) -> ItemsByGroup:
    """Several items by one grouping: the share of one answer (or the mean) per group.

    Parameters
    ----------
    data : DataFrame or CodedWave
        Coded answers, one row per respondent.
    items : sequence of str
        Item ids, the rows of the table.
    by : str
        The grouping item, the columns (e.g. ``"employer"``).
    answer : str
        With ``statistic="percent"``: the answer (after ``grouping``) whose share is
        shown, e.g. ``"(ruim) voldoende"``.
    statistic : {"percent", "mean"}
        Share of ``answer`` with a chi-square test per item, or the mean of a numeric
        item with one-way ANOVA per item.
    codebook, grouping, by_grouping, lang, decimals, min_group_size, title
        As in :func:`crosstab_table`; groupings may be given inline.
    sort : {"descending", "ascending"}, optional
        Order the items by their value in the ``sort_by`` column (default: the total).

    Returns
    -------
    ItemsByGroup

    Examples
    --------
    >>> from peoscales import peo
    >>> wave = peo.code_wave(peo.load_demo_export(), wave="2021-09")
    >>> t = peo.items_by_group(
    ...     wave, ["space_own_judgement", "space_reflect"], "experience",
    ...     answer="(ruim) voldoende", grouping="dichotomy", sort="descending")
    >>> list(t.table.columns)
    ['0-3', '3-6', '6-10', '10+', 'Totaal']

    Notes
    -----
    Each row is a :func:`crosstab_table` of the item by ``by`` (Pearson's chi-square
    without continuity correction on all answers of the item, Cramér's V), reduced to
    the column percentages of ``answer``; with ``statistic="mean"`` each row is a
    :func:`group_means` (one-way ANOVA, η²).
    """
    frame = as_frame(data)
    if isinstance(items, str) or not isinstance(items, Sequence) or not items:
        raise ParameterError(f"items must be a non-empty list of item ids, got {items!r}.")
    statistic = check_option("statistic", statistic, ("percent", "mean"))
    sort = check_option("sort", sort, ("descending", "ascending", None))
    lang = _check_lang(lang)
    threshold = _check_threshold(min_group_size)
    book = _resolve_codebook(_codebook_or_wave(codebook, data))
    if statistic == "percent" and answer is None:
        raise ParameterError(
            "answer is needed with statistic='percent': name the answer (after grouping) "
            "whose share the cells show, e.g. answer='(ruim) voldoende'."
        )
    if statistic == "mean" and (answer is not None or grouping is not None):
        given = [f"{k}={v!r}" for k, v in (("answer", answer), ("grouping", grouping)) if v]
        raise ParameterError(
            f"{', '.join(given)} apply to statistic='percent'; statistic='mean' averages "
            "each item's codes. Remove them, or use statistic='percent'."
        )
    rows: list[np.ndarray] = []
    sizes: list[np.ndarray] = []
    tests: list[tuple[float, float, float, float]] = []
    notes: list[str] = []
    columns: list[str] | None = None
    labels = []
    for item in items:
        if statistic == "percent":
            row = _answers(frame, item, book, lang, grouping, "items", substantive_only=True)
            col = _answers(
                frame, by, book, lang, by_grouping, "by", substantive_only=True,
                grouping_arg="by_grouping",
            )  # fmt: skip
            if answer not in row.labels:
                raise ParameterError(
                    f"answer={answer!r} is not an answer of item {item!r} (after grouping); "
                    f"its answers are {preview(list(row.labels))}."
                )
            with warnings.catch_warnings():
                # One note per table rather than one warning per item.
                warnings.simplefilter("ignore", SmallExpectedCountWarning)
                ct = _crosstab(row, col, threshold=0, decimals=decimals, lang=lang, title=None)
            position = row.labels.index(answer)
            rows.append(ct.percentages.iloc[position].to_numpy(dtype=float))
            sizes.append(ct.counts.sum(axis=0).to_numpy(dtype=float))
            tests.append((ct.chi2, float(ct.df), ct.p, ct.cramers_v))
            cols = [str(c) for c in ct.percentages.columns]
            labels.append(row.label)
            notes.extend(n for n in (row.grouping_note, col.grouping_note) if n and n not in notes)
        else:
            gm = group_means(
                frame, item, str(by), codebook=book, by_grouping=by_grouping, lang=lang,
                min_group_size=None,
            )  # fmt: skip
            rows.append(gm.table["mean"].to_numpy(dtype=float))
            sizes.append(gm.table["n"].to_numpy(dtype=float))
            tests.append((gm.f, float(gm.df1), gm.p, gm.eta2))
            cols = [str(c) for c in gm.table.index]
            labels.append(book.items[item].label(lang) if book is not None else item)
            notes.extend(n for n in gm.grouping_notes if n not in notes)
        if columns is None:
            columns = cols
        elif cols != columns:
            raise ParameterError(
                f"items give different groups of {by!r} ({preview(columns)} and "
                f"{preview(cols)}); use items of one wave."
            )
    assert columns is not None
    table = pd.DataFrame(np.vstack(rows), index=labels, columns=columns)
    counts = pd.DataFrame(np.vstack(sizes), index=labels, columns=columns).astype(np.int64)
    effect = "cramers_v" if statistic == "percent" else "eta2"
    test_names = ["chi2", "df", "p", effect] if statistic == "percent" else ["f", "df", "p", effect]
    tests_frame = pd.DataFrame(tests, index=labels, columns=test_names)
    if sort is not None:
        key = sort_by if sort_by is not None else columns[-1]
        if key not in table.columns:
            raise ParameterError(
                f"sort_by={key!r} is not a column of the table; choose from {preview(columns)}."
            )
        order = np.argsort(table[key].to_numpy(), kind="stable")
        if sort == "descending":
            order = np.argsort(-table[key].to_numpy(), kind="stable")
        table, counts, tests_frame = table.iloc[order], counts.iloc[order], tests_frame.iloc[order]
    table.index.name = counts.index.name = tests_frame.index.name = None
    return ItemsByGroup(
        items=tuple(str(i) for i in items),
        by=str(by),
        statistic=statistic,
        answer=answer,
        table=table,
        counts=counts,
        tests=tests_frame,
        decimals=int(decimals),
        min_group_size=threshold,
        lang=lang,
        title=title or ("Items by group" if lang == "en" else "Items per groep"),
        grouping_notes=tuple(notes),
    )
