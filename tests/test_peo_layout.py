"""Report layouts as data: the 2021-09 layout reproduces the hard-coded report, layouts are
checked field by field, a user's codebook gives a report with no code, partial exports."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import peoscales
from peoscales import load_instrument, peo
from peoscales._document import Heading, Paragraph, Table
from peoscales.errors import (
    DefinitionError,
    ParameterError,
    PartialExportWarning,
    SmallExpectedCountWarning,
    SurveyFormatError,
)
from peoscales.peo import code_wave, crosstab_table, frequency_table
from peoscales.peo.report import report

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def frozen():
    return json.loads((DATA / "peo_2021_09_report_frozen.json").read_text("utf-8"))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_2021_layout_reproduces_the_hard_coded_report(frozen, lang):
    # tests/data/peo_2021_09_report_frozen.json was written by the hard-coded report
    # builder (before the layout moved into peo_2021_09.toml): same keys in the same
    # order, and every table's unrounded and displayed frame equal to the last digit.
    result = report(demo=True, lang=lang, charts=False)
    expected = frozen[lang]
    assert result.n == expected["n"] == 178
    # Tabel 2.3, which the hard-coded builder left out, is the one table added since
    keys = list(expected["keys"])
    keys.insert(keys.index("2.2") + 1, "2.3")
    assert list(result.tables) == keys
    for key, table in result.tables.items():
        if key == "2.3":
            continue
        want = expected["tables"][key]
        if key != "2 significance":  # its to_frame holds numbers since (tested below)
            assert table.to_frame().to_csv() == want["frame"], key
        assert table.display_frame().to_csv() == want["display"], key
        assert str(table.title) == want["title"], key


# --------------------------------------------------------------------------------------
# A user's codebook with its own layout
# --------------------------------------------------------------------------------------

TEAM_TOML = DATA / "team_survey.toml"
TEAM_CSV = DATA / "team_survey.csv"


@pytest.fixture(scope="module")
def team():
    return report(TEAM_CSV, codebook=TEAM_TOML, charts=False)


def test_user_codebook_gives_a_report_with_no_code(team):
    assert team.n == 60 and team.wave == "team_survey"
    assert team.title == "Teamonderzoek"
    # sequential numbering: 1, 2, 3 ... per section; the overview is unnumbered
    assert list(team.tables) == ["1.1", "2.1", "2.2", "2.3", "2.4", "2 significance"]
    captions = [b.caption for b in team.document.blocks if isinstance(b, Table)]
    assert captions[:3] == [
        "Tabel 1.1 Team",
        "Tabel 2.1 Stellingen over het werk",
        "Tabel 2.2 Genoeg tijd naar team (percentages per kolom)",
    ]
    # the layout's options reach the table functions
    raw = pd.read_csv(TEAM_CSV)
    coded = code_wave(raw, wave=load_instrument(TEAM_TOML)).data
    frequency = frequency_table(
        coded, "team", codebook=load_instrument(TEAM_TOML), sort="descending"
    )
    pd.testing.assert_frame_equal(team.tables["1.1"].to_frame(), frequency.to_frame())
    # order = "share": the largest team first
    shown = team.tables["1.1"].display_frame()
    assert shown.index[0] == raw["In welk team werk je?"].value_counts().index[0]
    assert team.document.blocks[0] == Heading("Teamonderzoek", 1)
    assert any(
        isinstance(b, Paragraph) and b.text == "Uitkomsten van 60 medewerkers."
        for b in team.document.blocks
    )
    # the table's note from the layout
    means = next(b for b in team.document.blocks if isinstance(b, Table) and b.key == "2.4")
    assert means.all_notes()[-1] == "Cijfers van 1 tot 10."


def test_the_significance_overview_gives_its_tests_as_numbers(team):
    # to_frame holds the crosstabs' own statistics, unformatted; the display keeps APA text
    numbers = team.tables["2 significance"].to_frame()
    crosstabs = {"Genoeg tijd": team.tables["2.2"], "Duidelijke doelen": team.tables["2.3"].table}
    assert list(numbers.index) == list(crosstabs)
    (head,) = numbers.columns.get_level_values("by").unique()
    for label, crosstab in crosstabs.items():
        for statistic in ("chi2", "df", "p", "cramers_v"):
            assert numbers.loc[label, (head, statistic)] == getattr(crosstab, statistic)
    assert numbers.dtypes.map(lambda d: d.kind == "f").all()
    shown = team.tables["2 significance"].display_frame()
    assert shown.loc["Genoeg tijd", f"{head}: χ²(df)"].endswith(f"({crosstabs['Genoeg tijd'].df})")


def test_row_percentages_are_of_the_rows(team):
    table = team.tables["2.3"]
    frame = table.to_frame()
    assert list(frame.columns) == ["(beetje) oneens", "(beetje) eens"]
    np.testing.assert_allclose(frame.sum(axis=1).to_numpy(), 100.0, atol=1e-9)
    # the same numbers as the column percentages of the crosstab, turned a quarter
    book = load_instrument(TEAM_TOML)
    coded = code_wave(pd.read_csv(TEAM_CSV), wave=book).data
    grouping = {"(beetje) oneens": [1, 2], "(beetje) eens": peo.REST}
    with pytest.warns(SmallExpectedCountWarning):  # the report notes it under the table
        ct = crosstab_table(coded, "clear_goals", "team", codebook=book, grouping=grouping)
    pd.testing.assert_frame_equal(frame, ct.to_frame().T)
    caption = next(
        b.caption for b in team.document.blocks if isinstance(b, Table) and b.key == "2.3"
    )
    assert caption.endswith("(percentages per rij)")


def test_english_user_report_and_cli(tmp_path, capsys):
    from peoscales._cli import main

    out = tmp_path / "team.html"
    assert (
        main(
            ["report", str(TEAM_CSV), "--codebook", str(TEAM_TOML), "--lang", "en", "-o", str(out)]
        )
        == 0
    )
    page = out.read_text("utf-8")
    assert "<h1>Team survey</h1>" in page and "Results of 60 employees." in page
    assert "Report of 60 respondents (wave team_survey)" in capsys.readouterr().out


def test_report_file_beside_a_codebook(tmp_path, team):
    # kind = "report": the layout in a file of its own, naming its codebook by path
    text = TEAM_TOML.read_text("utf-8")
    layout = text[text.index("[report]") :]
    (tmp_path / "book.toml").write_text(text[: text.index("[report]")], "utf-8")
    (tmp_path / "layout.toml").write_text(
        f'kind = "report"\ncodebook = "book.toml"\n\n{layout}', "utf-8"
    )
    result = report(TEAM_CSV, codebook=tmp_path / "layout.toml", charts=False)
    assert list(result.tables) == list(team.tables)
    for key in team.tables:
        pd.testing.assert_frame_equal(result.tables[key].to_frame(), team.tables[key].to_frame())
    # or naming a registered codebook: a short layout for the 2021 wave
    (tmp_path / "short.toml").write_text(
        'kind = "report"\ncodebook = "2021-09"\n[report]\ntitle = "Kort"\n'
        '[[report.sections]]\nheading = "Werkplezier"\n'
        '[[report.sections.tables]]\nkind = "means"\nitem = "work_pleasure"\nby = "employer"\n',
        "utf-8",
    )
    short = report(peo.demo_export_path(), codebook=tmp_path / "short.toml", charts=False)
    assert list(short.tables) == ["1.1"] and short.title == "Kort"
    demo = report(demo=True, charts=False)
    pd.testing.assert_frame_equal(
        short.tables["1.1"].to_frame(), demo.tables["2.8 employer"].to_frame()
    )


def test_codebook_without_layout_gets_one_table_per_question(tmp_path):
    text = TEAM_TOML.read_text("utf-8")
    (tmp_path / "plain.toml").write_text(text[: text.index("[report]")], "utf-8")
    result = report(TEAM_CSV, codebook=tmp_path / "plain.toml", charts=False)
    assert list(result.tables) == ["1.1", "1.2", "1.3", "1.4"]
    assert [getattr(t, "item", None) for t in result.tables.values()] == [
        "team", "clear_goals", "enough_time", "satisfaction",
    ]  # fmt: skip


def test_coded_data_of_another_wave_are_recognised():
    # coded 2020 data: columns named by the 2020 codebook's item ids
    book = peo.get_codebook("2020-05")
    rng = np.random.default_rng(1)
    columns = {}
    for item in book.items.values():
        scale = book.response_scale_of(item.id)
        if item.combines or item.other_of or scale.kind in ("text", "multi"):
            continue
        if scale.options:
            columns[item.id] = rng.choice([o.label("nl") for o in scale.options], 40)
        else:
            columns[item.id] = rng.integers(int(scale.min), int(scale.max) + 1, 40)
    coded = pd.DataFrame(columns)
    before = coded.copy()
    for result in (report(coded, charts=False), report(coded, "2020-05", charts=False)):
        assert result.wave == "2020-05" and result.n == 40 and result.tables
    pd.testing.assert_frame_equal(coded, before)


# --------------------------------------------------------------------------------------
# Checking a layout: every field
# --------------------------------------------------------------------------------------

T = "report.sections[{}].tables[{}]"
BAD_LAYOUTS = [
    # (text in team_survey.toml, replaced by, field named, words in the message)
    (
        'item = "team"\norder',
        'item = "teams"\norder',
        T.format(0, 0) + ".item",
        "Did you mean 'team'",
    ),
    ('item = "team"\norder', "item = 3\norder", T.format(0, 0) + ".item", "must be an item id"),
    ('kind = "frequency"', 'kind = "frequencies"', T.format(0, 0) + ".kind", "'frequency'"),
    ('kind = "means"', 'kind = "average"', T.format(1, 3) + ".kind", "multi_response"),
    ('order = "share"', 'order = "random"', T.format(0, 0) + ".order", "'descending', 'share'"),
    ('grouping = "agree2"', 'grouping = "agree3"', T.format(1, 1) + ".grouping", "'agree2'"),
    ('[1, 2], "(beetje) eens"', '[1, 7], "(beetje) eens"', T.format(1, 2) + ".grouping", "7"),
    ('grouping = "agree2"', "grouping = 5", T.format(1, 1) + ".grouping", "inline grouping"),
    ('percent = "row"', 'percent = "cell"', T.format(1, 2) + ".percent", "['column', 'row']"),
    (
        'order = "share"',
        'order = "share"\nchart = "likert"',
        T.format(0, 0) + ".chart",
        "['bars', 'none']",
    ),
    ('order = "share"', 'order = "share"\ncolour = "red"', T.format(0, 0) + ".colour", "takes"),
    (
        'order = "share"',
        'order = "share"\nnumber = "1.1"',
        T.format(0, 0) + ".number",
        "sequential",
    ),
    (
        'for_each_by = ["team"]',
        'for_each_by = ["teem"]',
        T.format(1, 1) + ".for_each_by[0].by",
        "'team'",
    ),
    (
        'for_each_by = ["team"]',
        'for_each_by = "team"',
        T.format(1, 1) + ".for_each_by",
        "must be a list",
    ),
    (
        "{item} naar team{stars}",
        "{itme} naar team",
        T.format(1, 1) + ".caption.nl",
        "{item}, {by}, {stars}",
    ),
    (
        'items = ["clear_goals", "enough_time"]',
        'items = { response_scale = "agree5" }',
        T.format(1, 0) + ".items.response_scale",
        "'agree4'",
    ),
    (
        'items = ["clear_goals", "enough_time"]',
        'items = { scale = "agree4" }',
        T.format(1, 0) + ".items",
        "selects by unknown",
    ),
    (
        'item = "satisfaction"\nby = "team"',
        'item = "satisfaction"',
        T.format(1, 3) + ".by",
        "is missing",
    ),
    (
        'numbering = "sequential"',
        'numbering = "alphabetical"',
        "report.numbering",
        "['published', 'sequential']",
    ),
    (
        'title = { nl = "Teamonderzoek", en = "Team survey" }',
        'title = { de = "Teamumfrage" }',
        "report.title",
        "'de'",
    ),
    (
        'heading = { nl = "Respons", en = "Response" }',
        "",
        "report.sections[0].heading",
        "is missing",
    ),
    ("[report]\n", "[report]\nauthor = 'me'\n", "report.author", "is not a field"),
    (
        'item = "satisfaction"\nby = "team"',
        'item = "team"\nby = "team"',
        T.format(1, 3) + ".item",
        "'team' has a nominal answer scale, which has no mean",
    ),
    (
        '[[report.sections.tables]]\nkind = "frequency"\nitem = "team"\norder = "share"',
        'tables = "team"',
        "report.sections[0].tables",
        "must be a list of tables, got 'team'",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "where", "words"), BAD_LAYOUTS, ids=[b[2] + ":" + b[1][:12] for b in BAD_LAYOUTS]
)
def test_a_wrong_layout_names_the_file_and_the_field(tmp_path, old, new, where, words):
    text = TEAM_TOML.read_text("utf-8")
    assert old in text
    path = tmp_path / "bad.toml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(DefinitionError) as info:
        report(TEAM_CSV, codebook=path, charts=False)
    message = str(info.value)
    assert message.startswith(f"{path}: field '{where}': ")
    assert words in message


def test_sections_that_are_no_list_are_named_as_such(tmp_path):
    text = TEAM_TOML.read_text("utf-8")
    head, _, _ = text.partition("[[report.sections]]")
    path = tmp_path / "bad.toml"
    path.write_text(head.replace("[report]\n", "[report]\nsections = 2\n", 1), "utf-8")
    with pytest.raises(
        DefinitionError, match=r"'report.sections': must be a list of sections, got 2"
    ):
        report(TEAM_CSV, codebook=path, charts=False)


def test_published_numbering_needs_a_note_on_its_gaps(tmp_path):
    text = TEAM_TOML.read_text("utf-8").replace(
        'numbering = "sequential"', 'numbering = "published"'
    )
    text = text.replace('kind = "frequency"', 'number = "1.1"\nkind = "frequency"')
    text = text.replace('kind = "items"', 'number = "2.1"\nkind = "items"')
    text = text.replace('kind = "means"', 'number = "2.4"\nkind = "means"')
    path = tmp_path / "published.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(
        DefinitionError, match=r"field 'report.numbering_note': .*skips '2.2', '2.3'"
    ):
        report(TEAM_CSV, codebook=path, charts=False)
    text = text.replace(
        "[report]\n", '[report]\nnumbering_note = "As published; not included: {missing}."\n'
    )
    path.write_text(text, "utf-8")
    result = report(TEAM_CSV, codebook=path, charts=False)
    assert list(result.tables)[:3] == ["1.1", "2.1", "enough_time team"]
    notes = [
        b.text for b in result.document.blocks if isinstance(b, Paragraph) and b.kind == "note"
    ]
    assert notes == ["As published; not included: 2.2, 2.3."]


def test_the_2021_report_has_every_published_table_number_without_gaps():
    result = report(demo=True, charts=False)
    notes = [
        b.text for b in result.document.blocks if isinstance(b, Paragraph) and b.kind == "note"
    ]
    assert notes == []  # no gap to explain: Tabel 2.3 is in the layout
    numbered = [k for k in result.tables if k[0].isdigit() and " " not in k]
    assert numbered[:12] == [
        "1.1",
        "1.2",
        "1.3",
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "2.5",
        "2.6",
        "2.7",
        "2.8",
        "2.9",
    ]


def test_2021_tabel_2_3_is_the_items_by_group_table_on_163_respondents():
    from peoscales import peo

    table = report(demo=True, charts=False).tables["2.3"]
    coded = peo.code_wave(peo.load_demo_export(), wave="2021-09")
    direct = peo.items_by_group(
        coded,
        ["space_do_what_is_needed", "space_invest_in_relationship", "space_reflect"],
        "employer",
        answer="(ruim) onvoldoende",
        grouping="dichotomy",
        by_grouping="specialist_gi_vs_local",
    )
    pd.testing.assert_frame_equal(table.to_frame(), direct.to_frame())
    assert (direct.counts["Totaal"] == 163).all()  # as printed: n = 163


def test_duplicate_table_keys_are_refused(tmp_path):
    text = TEAM_TOML.read_text("utf-8").replace(
        'kind = "significance"\nnumber = false',
        'kind = "significance"\nkey = "2.1"\nnumber = false',
    )
    path = tmp_path / "dup.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(
        DefinitionError,
        match=r"tables\[4\].key': table key '2.1' is also the key of report.sections\[1\].tables\[0\]",
    ):
        report(TEAM_CSV, codebook=path, charts=False)


def test_the_shipped_layouts_pass_their_own_checks():
    from peoscales.instruments import registry
    from peoscales.peo._layout import KINDS, parse_layout

    checked = []
    for wave in peo.list_waves().index:
        book = peo.get_codebook(wave)
        raw = registry._raw[book.name].get("report")
        if raw is None:
            continue
        layout = parse_layout(raw, book, book.source)
        assert {t.kind for t in layout.tables()} <= set(KINDS)
        assert not layout.gaps or layout.numbering_note
        checked.append(wave)
        if wave == "2021-09":
            assert layout.gaps == ()
            assert len(layout.tables()) == 43
    assert "2021-09" in checked


# --------------------------------------------------------------------------------------
# Partial exports
# --------------------------------------------------------------------------------------


def test_a_partial_export_of_a_named_wave_is_reported_with_a_warning():
    raw = peoscales.read_survey(peo.demo_export_path())
    coded = peo.code_wave(raw, wave="2021-09")
    drop = [coded.matched[i] for i in coded.matched if i.startswith(("influence_", "adjustable_"))]
    subset = dataclasses.replace(
        raw, data=raw.data.drop(columns=drop), columns=raw.columns.drop(index=drop)
    )
    with pytest.warns(PartialExportWarning, match=r"not found: 'adjustable_skj_insufficient'"):
        result = report(subset, wave="2021-09", charts=False)
    full = report(demo=True, charts=False)
    assert list(result.tables) == [k for k in full.tables if k not in ("3.3", "3.4")]
    for key, table in result.tables.items():
        pd.testing.assert_frame_equal(table.to_frame(), full.tables[key].to_frame())
    missing = [
        b.text
        for b in result.document.blocks
        if isinstance(b, Paragraph) and b.text.startswith("Niet in de gegevens")
    ]
    assert (
        len(missing) == 1 and "adjustable_skj" in missing[0] and "influence_workload" in missing[0]
    )


def test_wave_detection_still_refuses_the_wrong_wave():
    raw = peoscales.read_survey(peo.demo_export_path())
    with pytest.raises(SurveyFormatError, match="looks like wave 2021-09"):
        report(raw, wave="2022-04", charts=False)


# --------------------------------------------------------------------------------------
# The report tells the truth about itself
# --------------------------------------------------------------------------------------


def test_the_small_cell_rule_is_stated_as_applied():
    result = report(demo=True, charts=False)
    intro = " ".join(
        b.text for b in result.document.blocks if isinstance(b, Paragraph) and b.kind == "intro"
    )
    assert "groepen met minder dan 5 respondenten en cellen met 1 tot 4" in intro
    assert "Tabellen over alle respondenten samen tonen alle aantallen" in intro
    # one-way tables of everyone show small counts (4 say "ruim onvoldoende") ...
    counts = result.tables["2.1"].table["n"]
    assert counts[counts > 0].min() == 4
    shown = result.tables["2.1"].display_frame().to_numpy().astype(str)
    assert "<5" not in shown
    # ... and crosstabs hide small cells
    assert (result.tables["space_overall employer"].display_frame() == "<5").to_numpy().any()
    everything = report(demo=True, charts=False, min_group_size=None)
    intro = [
        b.text for b in everything.document.blocks if isinstance(b, Paragraph) and b.kind == "intro"
    ]
    assert "geen onderdrukking van kleine cellen" in intro[-1]


def test_every_crosstab_caption_says_what_its_percentages_are_of():
    for lang, words in (("nl", "(percentages per kolom)"), ("en", "(column percentages)")):
        result = report(demo=True, lang=lang, charts=False)
        crosstabs = [
            b
            for b in result.document.blocks
            if isinstance(b, Table) and type(b.result).__name__ == "CrosstabTable"
        ]
        assert len(crosstabs) == 23
        assert all(b.caption.endswith(words) for b in crosstabs)


@pytest.mark.parametrize(("wave", "n"), [("2020-05", 282), ("2022-04", 150)])
def test_demo_of_another_wave_uses_that_waves_export(wave, n):
    result = report(demo=True, wave=wave, charts=False)
    assert result.wave == wave and result.n == n and result.tables


def test_bad_codebook_arguments():
    with pytest.raises(ParameterError, match=r"codebook must be .* got int"):
        report(demo=True, codebook=3)
    with pytest.raises(DefinitionError, match=r"nope\.toml: no such file"):
        report(demo=True, codebook="nope.toml")
    # a codebook of your own has no demo export
    with pytest.raises(ParameterError, match="no demo export of 'team_survey'"):
        report(demo=True, codebook=TEAM_TOML)
    with pytest.raises(ParameterError, match="does not match the codebook"):
        report(TEAM_CSV, "2021-09", codebook=peo.get_codebook("2022-04"))


def test_charts_as_the_layout_asks(tmp_path):
    text = TEAM_TOML.read_text("utf-8")
    text = text.replace('order = "share"', 'order = "share"\nchart = "none"')
    text = text.replace('for_each_by = ["team"]', 'for_each_by = ["team"]\nchart = "bars"')
    path = tmp_path / "charts.toml"
    path.write_text(text, "utf-8")
    result = report(TEAM_CSV, codebook=path)
    charts = {b.key: b.chart for b in result.document.blocks if isinstance(b, Table)}
    # frequency: none asked; items: Likert bars by default; the crosstab: stacked bars
    assert charts["1.1"] is None and charts["2.1"] is not None and charts["2.2"] is not None
    assert charts["2.3"] is None and charts["2.4"] is None
    assert charts["2.2"].to_svg().startswith("<svg")
    assert result.html.count("<svg") == 2


def test_inline_groupings_as_the_table_functions_take_them(tmp_path):
    text = TEAM_TOML.read_text("utf-8").replace(
        '[[report.sections.tables]]\nkind = "significance"',
        '[[report.sections.tables]]\nkind = "frequency"\nitem = "satisfaction"\n'
        'grouping = { bands = [6, 8], unit = "" }\n\n'
        '[[report.sections.tables]]\nkind = "crosstab"\nitem = "enough_time"\nby = "team"\n'
        'by_grouping = { versus_rest = "Noord", label = "Noord", rest_label = "overig" }\n\n'
        '[[report.sections.tables]]\nkind = "significance"',
    )
    path = tmp_path / "inline.toml"
    path.write_text(text, "utf-8")
    result = report(TEAM_CSV, codebook=path, charts=False)
    book = load_instrument(TEAM_TOML)
    coded = code_wave(pd.read_csv(TEAM_CSV), wave=book).data
    bands = frequency_table(coded, "satisfaction", codebook=book, grouping=peo.bands([6, 8]))
    pd.testing.assert_frame_equal(result.tables["2.5"].to_frame(), bands.to_frame())
    versus = crosstab_table(
        coded, "enough_time", "team", codebook=book,
        by_grouping=peo.versus_rest("Noord", label="Noord", rest_label="overig"),
    )  # fmt: skip
    pd.testing.assert_frame_equal(result.tables["2.6"].to_frame(), versus.to_frame())
    assert list(versus.to_frame().columns)[:2] == ["Noord", "overig"]


@pytest.mark.parametrize("wave", ["2020-05", "2021-09", "2022-04"])
def test_coded_demo_data_are_reported_as_their_own_wave(wave):
    # the 2022 items are the 2021 fixed items, with the same ids: the wave whose
    # questions the columns cover best is taken
    coded = peo.code_wave(peo.load_demo_export(wave), wave=wave).data
    assert report(coded, charts=False).wave == wave
