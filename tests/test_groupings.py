"""Answer groupings in every table function: a codebook grouping's name, an inline mapping
of new labels to answers, bands of a numeric item, one answer against the rest. A grouping
places non-substantive answers as it says, in every table, and the notes say where."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from peoscales import peo
from peoscales.errors import ParameterError, UnknownLabelError
from peoscales.peo import REST, bands, versus_rest

# Sparse demo crosstabs warn about small expected counts; that is not what is tested here.
pytestmark = pytest.mark.filterwarnings("ignore::peoscales.errors.SmallExpectedCountWarning")


def _body(ct: peo.CrosstabTable) -> pd.DataFrame:
    """The counts without the total column."""
    return ct.counts.iloc[:, :-1]


@pytest.fixture(scope="module")
def wave() -> peo.CodedWave:
    return peo.code_wave(peo.load_demo_export(), wave="2021-09")


@pytest.fixture(scope="module")
def data(wave: peo.CodedWave) -> pd.DataFrame:
    return wave.data


def _counts(data: pd.DataFrame, item: str) -> dict[str, int]:
    return {str(k): int(v) for k, v in data[item].value_counts().items()}


# --- the named grouping future3 puts "weet niet" in the middle group, in every table -----

MIDDLE = "klein noch groot"


def test_future3_in_frequency_table(data: pd.DataFrame) -> None:
    counts = _counts(data, "stay_one_year")
    table = peo.frequency_table(data, "stay_one_year", codebook="2021-09", grouping="future3")
    n = table.table["n"]
    assert int(n[MIDDLE]) == counts["niet groot, niet klein"] + counts["weet niet"]
    assert "weet niet" not in n.index
    assert any("'weet niet' in 'klein noch groot'" in note for note in table.notes())


def test_future3_in_crosstab_table(data: pd.DataFrame) -> None:
    ct = peo.crosstab_table(
        data, "stay_one_year", "experience", codebook="2021-09", grouping="future3"
    )
    assert ct.n == data["stay_one_year"].notna().sum() == 178
    assert int(_body(ct).loc[MIDDLE].sum()) == 28
    assert any("weet niet" in note for note in ct.notes())


def test_future3_in_dichotomy_table_is_tabel_2_11(data: pd.DataFrame) -> None:
    dt = peo.dichotomy_table(
        data, ["space_overall"], "stay_one_year", codebook="2021-09",
        grouping="dichotomy", outcome_grouping="future3",
    )  # fmt: skip
    table = next(iter(dt.tables.values()))
    assert table.n == 178  # 171 when "weet niet" was dropped
    assert any("weet niet" in note for note in dt.notes())


def test_future3_in_group_means_by_grouping(data: pd.DataFrame) -> None:
    gm = peo.group_means(
        data, "work_pleasure", "stay_one_year", codebook="2021-09", by_grouping="future3"
    )
    middle = gm.table.loc[MIDDLE, "n"]
    wp = data["work_pleasure"].notna()
    expected = data.loc[wp, "stay_one_year"].isin(["niet groot, niet klein", "weet niet"]).sum()
    assert int(middle) == int(expected)


# --- inline mappings -------------------------------------------------------------------

SPACE = {"(ruim) onvoldoende": ["ruim onvoldoende", "onvoldoende"], "(ruim) voldoende": [3, 4]}


def test_inline_mapping_by_labels_and_codes_in_frequency_table(data: pd.DataFrame) -> None:
    counts = _counts(data, "space_overall")
    table = peo.frequency_table(data, "space_overall", codebook="2021-09", grouping=SPACE)
    n = table.table["n"]
    assert list(n.index[:2]) == ["(ruim) onvoldoende", "(ruim) voldoende"]
    assert int(n.iloc[0]) == counts["ruim onvoldoende"] + counts["onvoldoende"]
    assert int(n.iloc[1]) == counts["voldoende"] + counts["ruim voldoende"]


def test_inline_mapping_in_crosstab_table_both_sides(data: pd.DataFrame) -> None:
    by = {"short": ["0-3", "3-6"], "long": ["6-10", "10+"]}
    ct = peo.crosstab_table(
        data, "space_overall", "experience", codebook="2021-09", grouping=SPACE, by_grouping=by
    )
    expected = pd.crosstab(
        data["space_overall"].isin(["voldoende", "ruim voldoende"]),
        data["experience"].isin(["6-10", "10+"]),
    ).to_numpy()
    np.testing.assert_array_equal(_body(ct).to_numpy(), expected)


def test_inline_mapping_in_dichotomy_and_group_means(data: pd.DataFrame) -> None:
    dt = peo.dichotomy_table(
        data, ["space_overall"], "stay_one_year", codebook="2021-09", grouping=SPACE,
        outcome_grouping={"klein": [1, 2], "midden": [3, "weet niet"], "groot": [4, 5]},
    )  # fmt: skip
    assert next(iter(dt.tables.values())).n == 178
    gm = peo.group_means(
        data, "work_pleasure", "space_overall", codebook="2021-09", by_grouping=SPACE
    )
    assert list(gm.table.index)[:2] == list(SPACE)


def test_item_table_takes_an_inline_grouping(data: pd.DataFrame) -> None:
    items = ["space_own_judgement", "space_do_what_is_needed"]
    rs = peo.get_codebook("2021-09").response_scale_of(items[0])
    low = [o.code for o in rs.options if o.substantive][:2]
    rest = [o.code for o in rs.options if o.substantive][2:]
    table = peo.item_table(data, items, codebook="2021-09", grouping={"low": low, "high": rest})
    assert {"low", "high"} <= set(map(str, table.to_frame().columns.get_level_values(-1))) or {
        "low",
        "high",
    } <= set(map(str, table.to_frame().columns))


# --- bands of a numeric item -------------------------------------------------------------


def test_bands_in_frequency_and_crosstab(data: pd.DataFrame) -> None:
    pct = data["pct_direct_contact"]
    table = peo.frequency_table(
        data, "pct_direct_contact", codebook="2021-09", grouping=bands([50], unit="%")
    )
    n = table.table["n"]
    assert int(n["< 50%"]) == int((pct < 50).sum())
    assert int(n["50% of meer"]) == int((pct >= 50).sum())  # 50 itself is in the upper band
    ct = peo.crosstab_table(
        data,
        "pct_direct_contact",
        "experience",
        codebook="2021-09",
        grouping=bands([50], unit="%"),
        lang="en",
    )
    assert list(_body(ct).index) == ["< 50%", "50% or more"]
    assert int(_body(ct).to_numpy().sum()) == int(pct.notna().sum())


def test_bands_as_the_group_of_group_means(data: pd.DataFrame) -> None:
    gm = peo.group_means(
        data, "work_pleasure", "pct_direct_contact", codebook="2021-09",
        by_grouping=bands([40, 70]),
    )  # fmt: skip
    pct = data["pct_direct_contact"]
    wp = data["work_pleasure"]
    mid = (pct >= 40) & (pct < 70) & wp.notna()
    assert gm.table.loc["40 – 70", "n"] == int(mid.sum())
    assert gm.table.loc["40 – 70", "mean"] == pytest.approx(float(wp[mid].mean()), abs=1e-12)


def test_bands_refuse_unordered_cuts() -> None:
    with pytest.raises(ParameterError, match="increasing"):
        bands([50, 20])
    with pytest.raises(ParameterError, match="one label per band"):
        bands([50], labels=["only one"])


# --- one answer against the rest ---------------------------------------------------------

GI = "Gecertificeerde instelling (gedwongen kader)"


def test_versus_rest_in_frequency_and_crosstab(data: pd.DataFrame) -> None:
    spec = versus_rest(GI, label="GI", rest_label="rest")
    table = peo.frequency_table(data, "employer", codebook="2021-09", grouping=spec)
    n = table.table["n"]
    assert int(n["GI"]) == int((data["employer"] == GI).sum())
    assert int(n["rest"]) == int((data["employer"] != GI).sum())
    ct = peo.crosstab_table(data, "space_overall", "employer", codebook="2021-09", by_grouping=spec)
    assert list(_body(ct).columns) == ["GI", "rest"]


def test_rest_in_a_mapping_takes_every_other_substantive_answer(data: pd.DataFrame) -> None:
    table = peo.frequency_table(
        data, "stay_one_year", codebook="2021-09", grouping={"groot": [4, 5], "niet groot": REST}
    )
    n = table.table["n"]
    assert int(n["niet groot"]) == 4 + 14 + 21  # klein, redelijk klein, neither
    assert int(n["weet niet"]) == 7  # non-substantive: kept apart, as the note says
    assert any("kept apart" in note or "apart van" in note for note in table.notes())


# --- bad groupings -----------------------------------------------------------------------


def test_an_unknown_answer_in_a_grouping_is_named(data: pd.DataFrame) -> None:
    with pytest.raises(UnknownLabelError, match=r"'ruim voldoend'.*space_overall"):
        peo.frequency_table(
            data, "space_overall", codebook="2021-09", grouping={"a": ["ruim voldoend"]}
        )


def test_an_answer_in_two_groups_is_refused(data: pd.DataFrame) -> None:
    with pytest.raises(ParameterError, match="in both group"):
        peo.crosstab_table(
            data, "space_overall", "experience", codebook="2021-09",
            grouping={"a": [1, 2], "b": [2, 3]},
        )  # fmt: skip


def test_an_unknown_grouping_name_suggests_inline_groupings(data: pd.DataFrame) -> None:
    with pytest.raises(ParameterError, match=r"by_grouping='nope'.*inline"):
        peo.group_means(
            data, "work_pleasure", "space_overall", codebook="2021-09", by_grouping="nope"
        )
