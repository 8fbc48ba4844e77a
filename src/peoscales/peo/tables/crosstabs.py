"""Crosstabs of an item by a group, with the chi-square test and Cramer's V."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from peoscales._deprecation import renamed_arguments
from peoscales._kernels.peo_tables import (
    cross_counts,
    round_half_up,
    suppress_cells,
)
from peoscales._results import apa_number, apa_p, stars
from peoscales._validation import as_frame
from peoscales.errors import ParameterError
from peoscales.instruments.model import Instrument
from peoscales.peo.tables.answers import (
    _Answers,
    _answers,
    _check_lang,
    _check_threshold,
    _codebook_or_wave,
    _resolve_codebook,
)
from peoscales.peo.tables.common import _ReportTable, _t
from peoscales.peo.tables.groupings import GroupingSpec


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
    grouping_notes: tuple[str, ...] = ()

    _renamed: ClassVar[Mapping[str, str | tuple[str, ...]]] = {
        "percent": "percentages",
        "residuals": "stdres",
    }

    def plot(self, ax: Any = None, *, stacked: bool = True, **style: Any) -> Any:
        """Column percentages as 100%-stacked (or grouped) bars; suppressed cells
        are not drawn. See :func:`peoscales.plot.grouped_bars`."""
        from peoscales import plot

        hidden = self.primary.to_numpy(dtype=bool) | self.complementary.to_numpy(dtype=bool)
        style.setdefault("title", self.title)
        style.setdefault("lang", self.lang)
        return plot.grouped_bars(
            self.percentages, suppressed=hidden, stacked=stacked,
            min_group_size=self.min_group_size, n=self.n, ax=ax, **style,
        )  # fmt: skip

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
        out.extend(self.grouping_notes)
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
        grouping_notes=tuple(a.grouping_note for a in (row, col) if a.grouping_note),
    )


@renamed_arguments(reverse="descending")
def crosstab_table(
    data: pd.DataFrame,
    item: str,
    by: str,
    *,
    codebook: Instrument | str | None = None,
    grouping: GroupingSpec | None = None,
    by_grouping: GroupingSpec | None = None,
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
    if item == by and by_grouping is None and grouping is None:
        # A table of an item by itself is its frequencies on the diagonal, with a
        # chi-square that says nothing: a mix-up of arguments, most likely.
        raise ParameterError(
            f"item and by are both {item!r}; a crosstab needs two different questions "
            "(use frequency_table for one)."
        )
    lang = _check_lang(lang)
    threshold = _check_threshold(min_group_size)
    book = _resolve_codebook(_codebook_or_wave(codebook, data))
    row = _answers(
        frame, item, book, lang, grouping, "item", substantive_only=True, reverse=descending
    )
    col = _answers(
        frame, by, book, lang, by_grouping, "by", substantive_only=True, grouping_arg="by_grouping"
    )
    return _crosstab(row, col, threshold=threshold, decimals=decimals, lang=lang, title=title)
