"""Two waves side by side: the items they share, with a test of change."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from peoscales._kernels.peo_tables import (
    round_half_up,
)
from peoscales._results import apa_number, apa_p, format_p, stars
from peoscales._stack import user_stacklevel
from peoscales._validation import as_frame, preview
from peoscales.errors import (
    ParameterError,
    SmallExpectedCountWarning,
)
from peoscales.instruments.model import Instrument
from peoscales.peo.tables.answers import (
    _check_lang,
    _check_threshold,
    _codebook_or_wave,
    _resolve_codebook,
)
from peoscales.peo.tables.common import _ReportTable, _t
from peoscales.peo.tables.crosstabs import _association
from peoscales.peo.tables.frequency import frequency_table


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
                warnings.warn(
                    caught_warning.message, caught_warning.category, stacklevel=user_stacklevel()
                )
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
            stacklevel=user_stacklevel(),
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
