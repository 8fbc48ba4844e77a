"""Two waves side by side: the items they share, with a test of change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from peoscales._kernels.peo_tables import (
    round_half_up,
)
from peoscales._results import apa_number, apa_p, format_p, stars
from peoscales._validation import as_frame, preview
from peoscales.errors import (
    ParameterError,
)
from peoscales.instruments.model import Instrument
from peoscales.peo.tables.answers import (
    _check_lang,
    _check_threshold,
    _codebook_or_wave,
    _resolve_codebook,
)
from peoscales.peo.tables.common import _ReportTable, _t
from peoscales.peo.tables.trend import _links, _trend_parts, _Wave


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
    are anonymous), so a paired test does not apply. This is :func:`peoscales.peo.trend` of two
    waves (the same shares and tests, computed by the same code); ``trend`` adds the
    trend test, the means of numeric items and more than two waves.
    """
    fa, fb = as_frame(data_a, "data_a"), as_frame(data_b, "data_b")
    lang = _check_lang(lang)
    threshold = _check_threshold(min_group_size)
    book_a = _resolve_codebook(_codebook_or_wave(codebook_a, data_a))
    book_b = _resolve_codebook(_codebook_or_wave(codebook_b, data_b))
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
    # Two waves are the shortest trend: the shares and the chi-square tests are trend's.
    parts = _trend_parts(
        [_Wave(wave_a, fa, book_a), _Wave(wave_b, fb, book_b)],
        [(a, b) for a, b in pairs],
        grouping=None, answer=None, ordered=False, scores=np.array([1.0, 2.0]),
        confidence=0.95, lang=lang, with_means=False,
    )  # fmt: skip
    counts = parts.counts.astype(np.int64)
    counts.columns = pd.Index([wave_a, wave_b])
    percentages = parts.percentages.set_axis([wave_a, wave_b], axis=1)
    tests = parts.tests[["chi2", "df", "p", "cramers_v"]].copy()
    totals = counts.groupby(level=0, sort=False).sum()
    tests[f"n_{wave_a}"] = totals.iloc[:, 0].reindex(tests.index).to_numpy()
    tests[f"n_{wave_b}"] = totals.iloc[:, 1].reindex(tests.index).to_numpy()
    return WaveComparison(
        waves=(wave_a, wave_b),
        percentages=percentages,
        counts=counts,
        tests=tests,
        skipped=parts.skipped,
        decimals=decimals,
        min_group_size=threshold,
        lang=lang,
        title=_t("waves_title", lang),
    )
