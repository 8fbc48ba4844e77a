"""Share of one answer (or answer group) per group, for several items."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from peoscales._deprecation import renamed_arguments
from peoscales._results import stars
from peoscales._validation import as_frame
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
from peoscales.peo.tables.common import _ReportTable, _t
from peoscales.peo.tables.crosstabs import CrosstabTable, _crosstab
from peoscales.peo.tables.groupings import GroupingSpec


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
        for t in self.tables.values():
            out.extend(n for n in t.grouping_notes if n not in out)
        return out

    _css = "dichotomy"


@renamed_arguments(reverse="descending")
def dichotomy_table(
    data: pd.DataFrame,
    items: Sequence[str],
    outcome: str,
    *,
    codebook: Instrument | str | None = None,
    grouping: GroupingSpec,
    outcome_grouping: GroupingSpec | None = None,
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
    book = _resolve_codebook(_codebook_or_wave(codebook, data))
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
        col = _answers(
            frame, it, book, lang, grouping, "items", substantive_only=True, grouping_arg="grouping"
        )
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
