"""Several items by one grouping in one table, checked against pandas crosstabs and
scipy's chi-square test computed here independently."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from peoscales import peo
from peoscales.errors import ParameterError

ITEMS = ["space_own_judgement", "space_reflect", "space_overall"]
GOOD = ["voldoende", "ruim voldoende"]


@pytest.fixture(scope="module")
def wave() -> peo.CodedWave:
    return peo.code_wave(peo.load_demo_export(), wave="2021-09")


def test_cells_are_column_percentages_and_tests_are_chi_square(wave: peo.CodedWave) -> None:
    t = peo.items_by_group(
        wave, ITEMS, "experience", answer="(ruim) voldoende", grouping="dichotomy"
    )
    book = wave.codebook
    for item in ITEMS:
        answered = wave.data[[item, "experience"]].dropna()
        good = answered[item].isin(GOOD)
        table = pd.crosstab(good, answered["experience"])
        order = ["0-3", "3-6", "6-10", "10+"]
        table = table[order]
        expected = 100 * table.loc[True] / table.sum(axis=0)
        label = book.items[item].label("nl")
        np.testing.assert_allclose(
            t.table.loc[label, order].to_numpy(), expected.to_numpy(), rtol=1e-12
        )
        total = 100 * good.mean()
        assert t.table.loc[label, "Totaal"] == pytest.approx(total, rel=1e-12)
        np.testing.assert_array_equal(
            t.counts.loc[label, order].to_numpy(), table.sum(axis=0).to_numpy()
        )
        # The test is on the item's answers (after grouping) by the group.
        chi2, p, df, _ = stats.chi2_contingency(table.to_numpy(), correction=False)
        assert t.tests.loc[label, "chi2"] == pytest.approx(chi2, rel=1e-10)
        assert t.tests.loc[label, "p"] == pytest.approx(p, rel=1e-10)
        assert t.tests.loc[label, "df"] == df


def test_sorting_by_share(wave: peo.CodedWave) -> None:
    t = peo.items_by_group(
        wave,
        ITEMS,
        "experience",
        answer="(ruim) voldoende",
        grouping="dichotomy",
        sort="descending",
    )
    totals = t.table["Totaal"].to_numpy()
    assert list(totals) == sorted(totals, reverse=True)
    up = peo.items_by_group(
        wave, ITEMS, "experience", answer="(ruim) voldoende", grouping="dichotomy",
        sort="ascending", sort_by="0-3",
    )  # fmt: skip
    assert list(up.table["0-3"]) == sorted(up.table["0-3"])


def test_means_by_group_with_anova(wave: peo.CodedWave) -> None:
    items = ["work_pleasure", "pct_direct_contact"]
    t = peo.items_by_group(wave, items, "experience", statistic="mean")
    for item in items:
        d = wave.data[[item, "experience"]].dropna()
        groups = [
            d.loc[d["experience"] == g, item].to_numpy() for g in ["0-3", "3-6", "6-10", "10+"]
        ]
        f, p = stats.f_oneway(*groups)
        label = wave.codebook.items[item].label("nl")
        assert t.tests.loc[label, "f"] == pytest.approx(f, rel=1e-10)
        assert t.tests.loc[label, "p"] == pytest.approx(p, rel=1e-10)
        np.testing.assert_allclose(
            t.table.loc[label].to_numpy()[:4], [g.mean() for g in groups], rtol=1e-12
        )


def test_small_groups_are_not_shown(wave: peo.CodedWave) -> None:
    t = peo.items_by_group(
        wave,
        ITEMS,
        "experience",
        answer="(ruim) voldoende",
        grouping="dichotomy",
        min_group_size=30,
    )
    shown = t.display_frame()
    small = t.counts.to_numpy() < 30
    assert small.any()
    assert (shown.drop(columns="p").to_numpy()[small] == "").all()
    assert any("<30" in n or "30" in n for n in t.notes())


def test_an_answer_is_needed_and_checked(wave: peo.CodedWave) -> None:
    with pytest.raises(ParameterError, match="answer is needed"):
        peo.items_by_group(wave, ITEMS, "experience", grouping="dichotomy")
    with pytest.raises(ParameterError, match=r"answer='goed' is not an answer"):
        peo.items_by_group(wave, ITEMS, "experience", answer="goed", grouping="dichotomy")


def test_an_answer_with_means_is_refused_not_ignored(wave: peo.CodedWave) -> None:
    with pytest.raises(ParameterError, match=r"answer='voldoende' apply to statistic='percent'"):
        peo.items_by_group(wave, ["equipped"], "employer", answer="voldoende", statistic="mean")
    with pytest.raises(ParameterError, match=r"grouping='dichotomy' apply to"):
        peo.items_by_group(wave, ["equipped"], "employer", grouping="dichotomy", statistic="mean")


def test_frequency_table_sorts_by_share_with_other_last(wave: peo.CodedWave) -> None:
    t = peo.frequency_table(wave, "employer", sort="descending")
    answers = t.table[t.table["kind"] == "answer"]
    assert answers.index[-1].startswith("Anders")
    counts = answers["n"].to_numpy()[:-1]
    assert list(counts) == sorted(counts, reverse=True)
    expected = wave.data["employer"].value_counts()
    expected = expected[~expected.index.str.startswith("Anders")]
    assert [int(v) for v in counts] == [int(v) for v in expected.sort_values(ascending=False)]
    assert list(t.table.index[-2:]) == list(peo.frequency_table(wave, "employer").table.index[-2:])
