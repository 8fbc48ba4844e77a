"""Several items on one answer scale in one table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from peoscales._deprecation import renamed_arguments
from peoscales._kernels.peo_tables import (
    largest_remainder,
    round_half_up,
)
from peoscales._validation import as_frame, check_option, preview
from peoscales.errors import (
    ParameterError,
)
from peoscales.instruments.model import Instrument
from peoscales.peo.tables.answers import _codebook_or_wave
from peoscales.peo.tables.common import PercentOf, Rounding, _ReportTable, _t
from peoscales.peo.tables.frequency import frequency_table
from peoscales.peo.tables.groupings import GroupingSpec


@dataclass(frozen=True, eq=False, repr=False)
class ItemTable(_ReportTable):
    """Percentages of several items that share an answer scale: items as rows.

    Attributes
    ----------
    percentages : DataFrame
        Items (by label) as rows, answers as columns, unrounded.
    counts : DataFrame
        The same layout with counts, plus ``n`` (the base of each row).
    nonsubstantive : tuple of str
        The answer columns that are non-substantive (such as *weet niet*); a
        chart leaves them out of the Likert bars and names them.
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
    nonsubstantive: tuple[str, ...] = ()

    _renamed: ClassVar[Mapping[str, str | tuple[str, ...]]] = {"percent": "percentages"}

    def plot(self, ax: Any = None, **style: Any) -> Any:
        """Diverging Likert bars of the items; items answered by fewer than
        ``min_group_size`` people are left out. See :func:`peoscales.plot.likert`."""
        from peoscales import plot

        frame = self.percentages.copy()
        frame["n"] = self.counts["n"].to_numpy()
        frame = frame[frame["n"] >= self.min_group_size]
        style.setdefault("title", self.title)
        style.setdefault("lang", self.lang)
        shown = [c for c in self.nonsubstantive if c in frame.columns]
        style.setdefault("nonsubstantive", shown)
        return plot.likert(frame, ax=ax, **style)

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
    grouping: GroupingSpec | None = None,
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
    codebook = _codebook_or_wave(codebook, data)
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
        nonsubstantive=tuple(
            tables[0].table.index[tables[0].table["kind"] == "nonsubstantive"].astype(str)
        ),
    )
