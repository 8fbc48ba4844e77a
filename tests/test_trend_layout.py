"""Trend tables in report layouts (``kind = "trend"``): the earlier waves' data come from
``report(compare_with=...)`` or, for the demo, the other demo waves."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from peoscales import peo
from peoscales.errors import DefinitionError, ParameterError, SmallExpectedCountWarning

WAVES = ("2020-05", "2021-09", "2022-04")

LAYOUT = """kind = "report"
codebook = "2022-04"

[report]
title = "Trends"

[[report.sections]]
heading = {{ nl = "Trend", en = "Trend" }}

[[report.sections.tables]]
kind = "trend"
items = ["equipped", "work_pleasure", "space_overall"]
{waves}
grouping = "dichotomy"
chart = "{chart}"
"""


def _layout(tmp_path, waves='waves = ["2020-05", "2021-09"]', chart="none"):
    path = tmp_path / "trend.toml"
    path.write_text(LAYOUT.format(waves=waves, chart=chart), "utf-8")
    return path


def test_a_trend_table_of_the_demo_report_is_peo_trend_on_the_demo_waves(tmp_path) -> None:
    result = peo.report(demo=True, wave="2022-04", codebook=_layout(tmp_path), charts=False)
    table = result.tables["1.1"]
    assert isinstance(table, peo.TrendTable)
    demo = {w: peo.load_demo_export(wave=w) for w in WAVES}
    direct = peo.trend(demo, ["equipped", "work_pleasure", "space_overall"], grouping="dichotomy")
    assert table.waves == WAVES
    pd.testing.assert_frame_equal(table.to_frame(), direct.to_frame())
    pd.testing.assert_frame_equal(table.tests, direct.tests)
    pd.testing.assert_frame_equal(table.means, direct.means)
    assert "Trend over metingen" in result.html


def test_earlier_waves_given_as_data_and_a_chart_per_item(tmp_path) -> None:
    pytest.importorskip("matplotlib")
    earlier = {w: peo.demo_export_path(w) for w in WAVES[:2]}
    data = peo.code_wave(peo.load_demo_export(wave="2022-04"), wave="2022-04")
    result = peo.report(
        data, codebook=_layout(tmp_path, chart="lines"), compare_with=earlier, lang="en"
    )
    assert result.tables["1.1"].waves == WAVES
    from peoscales._document import Table

    (chart,) = [b.chart for b in result.document.blocks if isinstance(b, Table) and b.chart]
    figure = chart.figure()
    shown = [ax for ax in figure.axes if ax.get_visible()]  # two to a row: one cell empty
    assert [ax.get_title(loc="left") for ax in shown] == list(result.tables["1.1"].tests.index)
    assert len(shown) == 3
    assert "<svg" in result.html


def test_a_trend_table_without_earlier_data_is_left_out_with_a_note(tmp_path) -> None:
    data = peo.code_wave(peo.load_demo_export(wave="2022-04"), wave="2022-04")
    result = peo.report(data, codebook=_layout(tmp_path), charts=False, lang="en")
    assert "1.1" not in result.tables
    assert "Trend tables are left out: no data of 2020-05, 2021-09 were given." in result.html
    # only one earlier wave given: the trend runs over the two
    one = peo.report(
        data,
        codebook=_layout(tmp_path),
        charts=False,
        compare_with={"2021-09": peo.demo_export_path("2021-09")},
    )
    assert one.tables["1.1"].waves == ("2021-09", "2022-04")


@pytest.mark.parametrize(
    ("waves", "words"),
    [
        ('waves = "2021-09"', "must be a list of wave names"),
        ("waves = []", "must be a list of wave names"),
        ('waves = ["2021-09", "2022-04"]', "the report's own wave '2022-04'"),
        ("", "is missing"),
        ('waves = ["2019-01"]', "'2019-01' is not a wave with a codebook"),
    ],
)
def test_a_wrong_waves_field_names_the_file_and_the_field(tmp_path, waves, words) -> None:
    path = _layout(tmp_path, waves=waves)
    with pytest.raises(DefinitionError) as info:
        peo.report(demo=True, wave="2022-04", codebook=path, charts=False)
    message = str(info.value)
    assert message.startswith(f"{path}: field 'report.sections[0].tables[0].waves': ")
    assert words in message


def test_compare_with_is_checked(tmp_path) -> None:
    data = peo.code_wave(peo.load_demo_export(wave="2022-04"), wave="2022-04")
    path = _layout(tmp_path)
    with pytest.raises(ParameterError, match="compare_with must be a mapping"):
        peo.report(data, codebook=path, compare_with=["2021-09"], charts=False)
    with pytest.raises(ParameterError, match="the report's own wave '2022-04'"):
        peo.report(data, codebook=path, compare_with={"2022-04": data}, charts=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallExpectedCountWarning)
        coded = peo.code_wave(peo.load_demo_export(wave="2021-09"), wave="2021-09")
        result = peo.report(data, codebook=path, compare_with={"2021-09": coded}, charts=False)
    assert result.tables["1.1"].waves == ("2021-09", "2022-04")


def test_the_command_line_takes_earlier_exports(tmp_path, capsys) -> None:
    from peoscales._cli import main

    path = _layout(tmp_path)
    out = tmp_path / "report.html"
    code = main(
        [
            "report", str(peo.demo_export_path("2022-04")), "--codebook", str(path),
            "--compare-with", f"2021-09={peo.demo_export_path('2021-09')}",
            "--compare-with", f"2020-05={peo.demo_export_path('2020-05')}",
            "-o", str(out), "--lang", "en",
        ]
    )  # fmt: skip
    assert code == 0 and "Trend across waves" in out.read_text("utf-8")
    assert "Not in 2020-05: Work pleasure (1-10); Overall professional space." in out.read_text(
        "utf-8"
    )
    for bad, words in (("2021-09", "takes WAVE=FILE"), ("2021-09=nothing.csv", "is not a file")):
        code = main(["report", "--demo", "--wave", "2022-04", "--compare-with", bad,
                     "-o", str(tmp_path / "x.html")])  # fmt: skip
        assert code != 0 and words in capsys.readouterr().err


def test_the_2022_report_compares_with_2021_and_2020_where_items_match() -> None:
    result = peo.report(demo=True, wave="2022-04", charts=False)
    first, second = result.tables["5.1"], result.tables["5.2"]
    demo = {w: peo.load_demo_export(wave=w) for w in WAVES}
    direct = peo.trend(
        demo,
        ["equipped", "space_overall", "space_own_judgement", "space_do_what_is_needed",
         "space_invest_in_relationship", "space_reflect"],
        grouping="dichotomy",
    )  # fmt: skip
    pd.testing.assert_frame_equal(first.to_frame(), direct.to_frame())
    pd.testing.assert_frame_equal(first.tests, direct.tests)
    # only equipped was asked in 2020
    assert set(first.missing_waves) == set(first.tests.index) - {"Toegerust om vak uit te oefenen"}
    assert second.waves == ("2021-09", "2022-04")
    assert list(second.mean_tests.index) == ["Werkplezier (1-10)"]
    # a user's 2022 export without the earlier waves: the section is left out, and said so
    data = peo.code_wave(peo.load_demo_export(wave="2022-04"), wave="2022-04")
    alone = peo.report(data, charts=False)
    assert not any(isinstance(t, peo.TrendTable) for t in alone.tables.values())
    assert "Trendtabellen zijn weggelaten: geen gegevens van 2020-05, 2021-09" in alone.html


def test_only_an_earlier_wave_that_lacks_some_items_follows_the_others(tmp_path) -> None:
    # 2020-05 asked only 'equipped' of the table's items: the table follows that item over
    # 2020-05 and 2022-04 and a note names the others, instead of refusing the report.
    data = peo.code_wave(peo.load_demo_export(wave="2022-04"), wave="2022-04")
    earlier = {"2020-05": peo.demo_export_path("2020-05")}
    result = peo.report(data, codebook=_layout(tmp_path), compare_with=earlier, charts=False)
    table = result.tables["1.1"]
    direct = peo.trend(
        {w: peo.load_demo_export(wave=w) for w in ("2020-05", "2022-04")},
        ["equipped"],
        grouping="dichotomy",
    )
    assert table.waves == ("2020-05", "2022-04")
    pd.testing.assert_frame_equal(table.to_frame(), direct.to_frame())
    pd.testing.assert_frame_equal(table.tests, direct.tests)
    book = peo.get_codebook("2022-04")
    labels = [book.items[i].label("nl") for i in ("work_pleasure", "space_overall")]
    note = f"Niet in de trendtabellen, want niet gevraagd in 2020-05: {', '.join(labels)}."
    assert note in result.html
    # the demo report of 2022-04 (both earlier waves) keeps every linked item
    full = peo.report(demo=True, wave="2022-04", codebook=_layout(tmp_path), charts=False)
    assert len(full.tables["1.1"].tests) == 3 and "Niet in de trendtabellen" not in full.html


def test_an_answer_the_item_has_not_names_the_file_and_the_table(tmp_path) -> None:
    path = _layout(tmp_path, waves='waves = ["2020-05", "2021-09"]\nanswer = "blah"')
    with pytest.raises(DefinitionError) as info:
        peo.report(demo=True, wave="2022-04", codebook=path, charts=False)
    message = str(info.value)
    assert message.startswith(f"{path}: field 'report.sections[0].tables[0]': answer='blah' ")
    assert "its answers are 'onvoldoende of nauwelijks', '(meer dan) voldoende'" in message
