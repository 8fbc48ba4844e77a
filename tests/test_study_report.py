"""The study report of instruments: its tables are the package's own results.

Every number the report shows is checked against a direct call of the function
that computes it (score, reliability, categorize, corr_matrix, ttest, anova); the
demo data's report states the findings of seed report 002 with its numbers.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import peoscales
from peoscales._document import Table, table_cells
from peoscales.errors import (
    DataTypeError,
    IncompleteScoresWarning,
    MissingColumnsError,
    ParameterError,
    ReverseKeyWarning,
)

INSTRUMENTS = ["brs", "swing12", "wbns"]


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return peoscales.demo.load_mental_fitness()


@pytest.fixture(scope="module")
def report(data: pd.DataFrame) -> peoscales.StudyReport:
    return peoscales.study_report(data, INSTRUMENTS, by="care_type", lang="en", charts=False)


@pytest.fixture(scope="module")
def scores(data: pd.DataFrame) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IncompleteScoresWarning)
        return peoscales.score(data, INSTRUMENTS)


def _block(report: peoscales.StudyReport, key: str) -> Table:
    found = [b for b in report.document.blocks if isinstance(b, Table) and b.key == key]
    assert len(found) == 1, key
    return found[0]


def _shown(report: peoscales.StudyReport, key: str) -> pd.DataFrame:
    return _block(report, key).frame()


# ----------------------------------------------------------------------------- structure


def test_sections_and_captions_in_order(report: peoscales.StudyReport) -> None:
    assert report.to_frame().index.tolist() == [
        "groups",
        "background",
        "background numeric",
        "scores",
        "bands",
        "correlations",
        "by care_type",
        "pairs by care_type",
    ]
    captions = report.to_frame()["title"].tolist()
    assert captions[0] == "Table 1.1 Respondents by care_type"
    assert captions[-2:] == [
        "Table 5.1 Scale scores by care_type",
        "Table 5.2 Pairwise differences (Games–Howell)",
    ]
    headings = [b.text for b in report.document.blocks if type(b).__name__ == "Heading"]
    assert headings[0] == "Study report: BRS, SWING12, WBNS"
    assert headings[1:] == [
        "1 Sample",
        "2 Scale scores and reliability",
        "3 Norm bands",
        "4 Correlations of the scales",
        "5 Differences by care_type",
    ]
    assert report.n == 499 and report.instruments == tuple(INSTRUMENTS)
    assert report.by == "care_type" and report.min_group_size == 5


def test_the_page_shows_every_table_of_the_document(report: peoscales.StudyReport) -> None:
    page = report.html
    assert page.startswith("<!DOCTYPE html>") and "<h1>Study report" in page
    for block in report.document.blocks:
        if isinstance(block, Table):
            assert block.caption in page
            for row in table_cells(block.frame()).body:
                for cell in row:
                    assert cell.replace("<", "&lt;") in page


def test_data_is_not_modified(data: pd.DataFrame) -> None:
    copy = data.copy()
    peoscales.study_report(data, ["brs"], by="gender", charts=False)
    pd.testing.assert_frame_equal(data, copy)


# ----------------------------------------------------------------------------- numbers


def test_sample_tables_are_the_counts(report: peoscales.StudyReport, data: pd.DataFrame) -> None:
    groups = report.tables["groups"].to_frame()
    counts = data["care_type"].value_counts(sort=False)
    assert groups["n"].tolist() == counts.tolist()
    np.testing.assert_allclose(groups["%"], 100 * counts / 499, rtol=1e-12)
    shown = _shown(report, "groups")
    assert shown.loc["Total"].tolist() == ["499", "100"]
    background = _shown(report, "background")
    assert background.loc[("gender", "vrouw")].tolist() == ["424", "85"]
    # two respondents without a gender: fewer than 5, so not shown
    assert background.loc[("gender", "unknown")].tolist() == ["< 5", ""]
    assert background.loc[("education", "hbo"), "n"] == str((data["education"] == "hbo").sum())
    numeric = report.tables["background numeric"].to_frame()
    assert numeric.loc["age", "mean"] == pytest.approx(data["age"].mean(), rel=1e-12)
    assert _shown(report, "background numeric").loc["age", "Range"] == "22–68"


def test_scores_and_reliability_equal_the_direct_calls(
    report: peoscales.StudyReport, data: pd.DataFrame, scores: pd.DataFrame
) -> None:
    pd.testing.assert_frame_equal(report.tables["scoring"].scores, scores)
    direct = peoscales.reliability(data, INSTRUMENTS).table()
    pd.testing.assert_frame_equal(report.tables["reliability"].table(), direct)
    numbers = report.tables["scores"].to_frame()
    np.testing.assert_allclose(numbers["mean"], scores.mean(), rtol=1e-12)
    np.testing.assert_allclose(numbers["sd"], scores.std(), rtol=1e-12)
    np.testing.assert_allclose(numbers["alpha"], direct["alpha"], rtol=1e-12)
    assert numbers["n"].tolist() == scores.count().tolist()
    assert numbers["n_excluded"].tolist() == [0, 0, 0, 3, 3, 3]
    shown = _shown(report, "scores")
    row = shown.loc["Resilience"]
    alpha = direct.loc["brs"]
    assert row["α"] == f"{alpha['alpha']:.2f}".lstrip("0")
    assert row["95% CI"] == (f"[{alpha['ci_low']:.2f}, {alpha['ci_high']:.2f}]".replace("0.", "."))
    assert row["M"] == f"{scores['brs'].mean():.2f}"


def test_bands_are_the_categorized_scores(
    report: peoscales.StudyReport, scores: pd.DataFrame
) -> None:
    bands = peoscales.categorize(scores[["brs"]], "brs", lang="en")["brs"]
    numbers = report.tables["bands"].to_frame()
    expected = bands.value_counts(sort=False)
    assert numbers["n"].tolist() == expected.tolist()
    np.testing.assert_allclose(numbers["%"], 100 * expected / expected.sum(), rtol=1e-12)
    assert numbers.index.get_level_values(1).tolist() == ["low", "normal", "high"]
    assert _shown(report, "bands").loc[("Resilience", "low"), "Range"] == "1.00–2.99"


def test_correlations_equal_corr_matrix(
    report: peoscales.StudyReport, data: pd.DataFrame, scores: pd.DataFrame
) -> None:
    direct = peoscales.corr_matrix(scores)
    pd.testing.assert_frame_equal(report.tables["correlations"].r, direct.r)
    alphas = peoscales.reliability(data, INSTRUMENTS).table()["alpha"]
    shown = _shown(report, "correlations")
    # alpha on the diagonal, in parentheses, as the APA table shows it
    assert shown.iloc[0]["1"] == f"({alphas['brs']:.2f})".replace("0.", ".")
    r = direct.r.loc["swing_nwhi", "brs"]
    assert direct.p.loc["swing_nwhi", "brs"] < 0.001
    assert shown.iloc[1]["1"] == f"{r:.2f}".replace("-0.", "−.") + "***"
    assert "Cronbach" in " ".join(_block(report, "correlations").all_notes())


def test_group_comparisons_equal_anova(
    report: peoscales.StudyReport, data: pd.DataFrame, scores: pd.DataFrame
) -> None:
    frame = pd.concat([data[["care_type"]], scores], axis=1)
    for scale in scores.columns:
        direct = peoscales.anova(frame, scale, "care_type", welch=True, posthoc=None)
        got = report.tables[f"{scale} by care_type"]
        assert got.welch["f"] == pytest.approx(direct.welch["f"], rel=1e-12)
        assert got.welch["p"] == pytest.approx(direct.welch["p"], rel=1e-12)
        assert got.eta2 == pytest.approx(direct.eta2, rel=1e-12)
        pd.testing.assert_frame_equal(got.descriptives, direct.descriptives)
    # pairs only where Welch's test finds a difference (here resilience only)
    full = peoscales.anova(frame, "brs", "care_type", welch=True)
    pairs = report.tables["pairs by care_type"].to_frame()
    assert pairs.index.get_level_values(0).unique().tolist() == ["Resilience"]
    np.testing.assert_allclose(pairs["diff"], full.posthoc["diff"], rtol=1e-12)
    np.testing.assert_allclose(pairs["p_adjusted"], full.posthoc["p"], rtol=1e-12)
    shown = _shown(report, "by care_type")
    assert shown.loc["Resilience", "p"] == "< .001"
    desc = full.descriptives.loc["jeugdhulp"]
    assert shown.loc["Resilience", "jeugdhulp"] == f"{desc['mean']:.2f} ({desc['sd']:.2f})"


def test_two_groups_give_a_welch_t_test_with_d(data: pd.DataFrame, scores: pd.DataFrame) -> None:
    rep = peoscales.study_report(data, ["brs"], by="gender", lang="en", charts=False)
    frame = pd.concat([data[["gender"]], scores], axis=1)
    direct = peoscales.ttest(frame, "brs", "gender")
    got = rep.tables["brs by gender"]
    assert got.t == pytest.approx(direct.t, rel=1e-12)
    assert got.d_ci_low == pytest.approx(direct.d_ci_low, rel=1e-12)
    shown = _shown(rep, "by gender")
    assert shown.loc["Resilience", "d"] == f"{direct.d:.2f}".replace("-", "−")
    note = " ".join(_block(rep, "by gender").all_notes())
    assert "Welch" in note and "2 respondent(s) without a value of gender" in note
    # one scale: no correlation section
    assert "correlations" not in rep.tables
    # the answers to the instruments not reported are not background
    notes = [b.text for b in rep.document.blocks if type(b).__name__ == "Paragraph"]
    assert any("does not cover): 'swing_nwhi_1', 'swing_nwhi_2'" in n for n in notes)
    assert "swing_nwhi_1" not in str(rep.tables["background"].to_frame().index)


def test_small_groups_are_not_compared(data: pd.DataFrame) -> None:
    few = data[data["care_type"] != "overig"]
    few = pd.concat([few, data[data["care_type"] == "overig"].iloc[:3]])
    rep = peoscales.study_report(few, ["brs"], by="care_type", lang="en", charts=False)
    shown = _shown(rep, "groups")
    assert shown.loc["overig"].tolist() == ["< 5", ""]
    got = rep.tables["brs by care_type"]
    assert got.descriptives.index.tolist() == ["jeugd-ggz", "jeugdhulp", "jeugdbescherming"]
    note = " ".join(_block(rep, "by care_type").all_notes())
    assert "Not compared (fewer than 5 respondents): overig." in note
    everything = peoscales.study_report(
        few, ["brs"], by="care_type", min_group_size=None, charts=False
    )
    assert len(everything.tables["brs by care_type"].descriptives) == 4


def test_a_scale_that_cannot_be_tested_does_not_stop_the_report(data: pd.DataFrame) -> None:
    # one respondent in a group: no t-test is defined; without suppression it stays in
    one = pd.concat(
        [data[data["care_type"] == "jeugdhulp"], data[data["gender"] == "man"].iloc[:1]]
    )
    one = one.assign(care_type=one["care_type"].astype(str))
    one.loc[one.index[-1], "care_type"] = "overig"
    rep = peoscales.study_report(
        one, ["brs"], by="care_type", lang="en", min_group_size=None, charts=False
    )
    assert "brs by care_type" not in rep.tables
    shown = _shown(rep, "by care_type")
    assert shown.loc["Resilience"].tolist() == ["—", "—"]
    note = " ".join(_block(rep, "by care_type").all_notes())
    assert "Resilience: not tested. ttest: group(s) 'overig' (n = 1)" in note


def test_no_comparison_with_fewer_than_two_groups(data: pd.DataFrame) -> None:
    one = data[data["care_type"] == "jeugdhulp"]
    rep = peoscales.study_report(one, ["brs"], by="care_type", lang="en", charts=False)
    assert "by care_type" not in rep.tables
    assert "Fewer than two groups" in rep.html


def test_dutch_labels_and_charts(data: pd.DataFrame, tmp_path) -> None:
    rep = peoscales.study_report(
        data, ["brs", "wbns"], by="care_type", out=tmp_path / "studie.html"
    )
    page = (tmp_path / "studie.html").read_text("utf-8")
    assert page == rep.html
    assert "Tabel 2.1 Schaalscores en interne consistentie" in page
    assert "Veerkracht" in page and "Verbondenheid" in page
    assert page.count("<svg") == 3  # bands, correlations, group means
    charts = [b.chart for b in rep.document.blocks if isinstance(b, Table) and b.chart]
    assert len(charts) == 3


# ----------------------------------------------------------------------------- errors


def test_bad_input_is_refused_clearly(data: pd.DataFrame, tmp_path) -> None:
    with pytest.raises(DataTypeError, match="data must be a pandas DataFrame"):
        peoscales.study_report(data.to_numpy(), ["brs"])
    with pytest.raises(MissingColumnsError, match="care_typ"):
        peoscales.study_report(data, ["brs"], by="care_typ")
    with pytest.raises(ParameterError, match="lang"):
        peoscales.study_report(data, ["brs"], lang="de")
    with pytest.raises(ParameterError, match="min_group_size"):
        peoscales.study_report(data, ["brs"], min_group_size=-1)
    with pytest.raises(ParameterError, match="confidence"):
        peoscales.study_report(data, ["brs"], confidence=95)
    with pytest.raises(ParameterError, match="survey codebook"):
        peoscales.study_report(data, ["peo_2021_09"])
    with pytest.raises(ParameterError, match="instruments must name"):
        peoscales.study_report(data, [])
    with pytest.raises(ParameterError, match=r"\.docx"):
        peoscales.study_report(data, ["brs"], out=tmp_path / "r.pdf")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        peoscales.study_report(data, ["brs"], out=tmp_path / "no" / "r.html")
    with pytest.raises(MissingColumnsError):
        peoscales.study_report(data.drop(columns=["brs_1"]), ["brs"])


# ----------------------------------------------------------------------------- seed 002


def test_report_states_the_findings_of_seed_002(report: peoscales.StudyReport) -> None:
    """Seed 002 (Garage2020 & PGGM&CO, 2021), as the demo data's report shows it."""
    # "In totaal hebben 499 zorgprofessionals deelgenomen ... 85% was vrouw, de
    # gemiddelde leeftijd was 43 jaar"; "de jongste respondent was 22 jaar, de oudste 68".
    assert report.n == 499
    assert _shown(report, "background").loc[("gender", "vrouw"), "%"] == "85"
    age = report.tables["background numeric"].to_frame().loc["age"]
    assert round(age["mean"]) == 43 and (age["min"], age["max"]) == (22, 68)
    # "Ruim 80% ... ervaart een gemiddeld of hoge mate van veerkracht"
    bands = report.tables["bands"].to_frame().loc["Resilience"]
    assert bands.loc[["normal", "high"], "%"].sum() > 80
    # "Professionals die werken in de jeugdhulp ervaren een significant hogere mate van
    # veerkracht dan professionals die werken in de jeugdbescherming"
    pairs = report.tables["pairs by care_type"].to_frame().loc["Resilience"]
    pair = pairs.loc["jeugdhulp – jeugdbescherming"]
    assert pair["diff"] > 0 and pair["p_adjusted"] < 0.05
    r = report.tables["correlations"].r
    p = report.tables["correlations"].p
    needs = ["wbns_autonomy", "wbns_competence", "wbns_relatedness"]
    # "De mate van veerkracht ... [heeft] een positief verband ... met competentie,
    # autonomie en verbondenheid"
    assert all(r.loc["brs", n] > 0 and p.loc["brs", n] < 0.05 for n in needs)
    # "Wanneer de professional negatieve effecten ervaart van het werk op haar
    # privéleven, heeft zij ook een lagere mate van veerkracht én ervaart zij minder
    # competentie, autonomie en verbondenheid"
    for other in ["brs", *needs]:
        assert r.loc["swing_nwhi", other] < 0 and p.loc["swing_nwhi", other] < 0.05
    # "gemiddeld gezien alle drie de aspecten positief ... Competentie scoort hierbij net
    # wat hoger"; "verbondenheid ... scoort even hoog als autonomie"
    means = report.tables["scores"].to_frame()["mean"]
    assert (means[needs] > 3).all()
    assert means["wbns_competence"] > max(means["wbns_autonomy"], means["wbns_relatedness"])
    assert abs(means["wbns_relatedness"] - means["wbns_autonomy"]) < 0.1
    # "een negatief effect ... van privé op werk, maar niet van werk op privé":
    # home-to-work interference is the more frequent (SWING: 1 = (bijna) nooit, 2 = soms)
    assert means["swing_nhwi"] > means["swing_nwhi"]


def test_competence_rises_with_age(data: pd.DataFrame, scores: pd.DataFrame) -> None:
    # "Hoe ouder, hoe competenter men zich voelt." (a background column, not a scale)
    frame = pd.concat([data[["age"]], scores[["wbns_competence"]]], axis=1)
    corr = peoscales.corr_matrix(frame)
    assert corr.r.loc["age", "wbns_competence"] > 0 and corr.p.loc["age", "wbns_competence"] < 0.05


@pytest.mark.xfail(
    strict=True,
    reason="the demo data were built before this check: jeugd-ggz and jeugdbescherming "
    "differ (Games-Howell p = .026), where seed 002 sees no difference between the other "
    "types of care; the data are kept as they are (other results depend on them)",
)
def test_no_difference_between_the_other_types_of_care(report: peoscales.StudyReport) -> None:
    # "Tussen de andere typen van jeugdzorg is geen verschil te zien."
    pairs = report.tables["pairs by care_type"].to_frame().loc["Resilience"]
    others = pairs.drop(index="jeugdhulp – jeugdbescherming")
    assert (others["p_adjusted"] >= 0.05).all()


# ----------------------------------------------------------------------------- command


def test_command_writes_a_study_report(tmp_path, capsys) -> None:
    from peoscales._cli import main

    out = tmp_path / "study.html"
    code = main(
        ["report", "--demo", "-i", "brs", "-i", "wbns", "--by", "care_type", "-o", str(out)]
    )
    printed = capsys.readouterr().out
    assert code == 0 and out.exists()
    assert "Study report of 499 respondents (brs, wbns)" in printed
    # the demo data come with their codebook, which names the columns
    assert "Tabel 5.1 Schaalscores naar Type jeugdzorg" in out.read_text("utf-8")


def test_command_reads_a_data_file(tmp_path, capsys, data: pd.DataFrame) -> None:
    from peoscales._cli import main

    source = tmp_path / "data.csv"
    data.to_csv(source)
    out = tmp_path / "study.html"
    code = main(["report", str(source), "-i", "brs", "--by", "education", "-o", str(out)])
    assert code == 0
    page = out.read_text("utf-8")
    assert "Tabel 1.1 Respondenten naar education" in page
    # the respondent ids are the index, not a background variable
    assert "respondent" not in _background_rows(page)


def test_columns_map_items_named_otherwise(tmp_path, capsys, data: pd.DataFrame) -> None:
    from peoscales._cli import main

    names = {f"brs_{i}": f"Q7_{i}" for i in range(1, 7)}
    renamed = data.rename(columns=names)
    before = renamed.copy()
    rep = peoscales.study_report(renamed, ["brs"], columns=names, charts=False)
    pd.testing.assert_frame_equal(renamed, before)
    direct = peoscales.study_report(data, ["brs"], charts=False)
    pd.testing.assert_frame_equal(
        rep.tables["scores"].to_frame(), direct.tables["scores"].to_frame()
    )
    with pytest.raises(MissingColumnsError, match="Q7_9"):
        peoscales.study_report(renamed, ["brs"], columns={"brs_1": "Q7_9"})
    with pytest.raises(ParameterError, match="columns must map"):
        peoscales.study_report(renamed, ["brs"], columns=["Q7_1"])
    # the command reads the mapping from a file
    source = tmp_path / "data.csv"
    renamed.to_csv(source)
    mapping = tmp_path / "map.toml"
    mapping.write_text("\n".join(f'{k} = "{v}"' for k, v in names.items()), "utf-8")
    out = tmp_path / "r.html"
    code = main(["report", str(source), "-i", "brs", "--columns", str(mapping), "-o", str(out)])
    assert code == 0 and "Veerkracht" in out.read_text("utf-8")


def _background_rows(page: str) -> str:
    start = page.index("Tabel 1.2")
    return page[start : page.index("Tabel 2.1")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "--demo", "--by", "care_type"], "--by compares groups in a study report"),
        (["report", "--demo", "-i", "brs", "--wave", "2021-09"], "--wave is for PEO wave"),
        (["report", "--demo", "-i", "brs", "--columns", "m.toml"], "--columns maps the columns"),
    ],
)
def test_command_refuses_options_of_the_other_report(tmp_path, capsys, args, message) -> None:
    from peoscales._cli import main

    code = main([*args, "-o", str(tmp_path / "r.html")])
    assert code == 2
    assert message in capsys.readouterr().err


# ----------------------------------------------------------------------------- Word


def test_word_file_holds_the_tables_of_the_page(data: pd.DataFrame, tmp_path) -> None:
    docx = pytest.importorskip("docx")
    path = tmp_path / "study.docx"
    rep = peoscales.study_report(data, ["brs", "swing12"], by="care_type", out=path)
    word = docx.Document(str(path))
    blocks = [b for b in rep.document.blocks if isinstance(b, Table)]
    assert len(word.tables) == len(blocks) == 8
    for table, block in zip(word.tables, blocks):
        cells = [[cell.text for cell in row.cells] for row in table.rows]
        assert cells == table_cells(block.frame()).rows, block.key
    captions = [p.text.replace("\n", " ") for p in word.paragraphs if p.style.name == "Caption"]
    assert captions == [b.caption for b in blocks]
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == rep.title and headings[-1] == "5 Verschillen naar care_type"
    assert len(word.inline_shapes) == 3  # bands, correlations, group means


def test_workbook_holds_the_tables_as_shown(data: pd.DataFrame, tmp_path, capsys) -> None:
    from openpyxl import load_workbook

    from peoscales._cli import main

    out, xlsx = tmp_path / "r.html", tmp_path / "r.xlsx"
    code = main(["report", "--demo", "-i", "brs", "--by", "care_type", "-o", str(out),
                 "--xlsx", str(xlsx)])  # fmt: skip
    assert code == 0 and "tables to" in capsys.readouterr().out
    book = load_workbook(xlsx)
    rep = peoscales.study_report(
        peoscales.demo.load_mental_fitness(questions=True), ["brs"], by="care_type",
        codebook="mental_fitness_2021", charts=False,
    )  # fmt: skip
    blocks = [b for b in rep.document.blocks if isinstance(b, Table)]
    assert len(book.sheetnames) == len(blocks)
    sheet = book[book.sheetnames[blocks.index(_block(rep, "scores"))]]
    # the cells as the page shows them (formatted text), then the title and the notes
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Schaal", "k", "n", "n_excluded", "M", "SD", "α", "95% CI", "ωt"]
    shown = table_cells(_block(rep, "scores").frame()).rows
    assert rows[1] == shown[1]
    assert rows[3][0] == "Schaalscores en interne consistentie"
    assert rows[4][0].startswith("n: respondenten met een score")
    with pytest.raises(ParameterError, match=r"\.xlsx"):
        rep.to_excel(tmp_path / "r.csv")


def test_command_writes_a_word_file(tmp_path, capsys) -> None:
    docx = pytest.importorskip("docx")
    from peoscales._cli import main

    out = tmp_path / "study.docx"
    code = main(["report", "--demo", "-i", "brs", "--by", "gender", "-o", str(out)])
    assert code == 0
    word = docx.Document(str(out))
    assert any(p.text.startswith("Tabel 5.1") for p in word.paragraphs)


# ----------------------------------------------------------------------------- properties


@settings(max_examples=8, deadline=None)
@given(
    n=st.integers(min_value=12, max_value=150),
    seed=st.integers(min_value=0, max_value=10_000),
    n_groups=st.integers(min_value=2, max_value=4),
    k=st.sampled_from([None, 5, 10]),
)
def test_counts_add_up_and_nothing_is_lost(n: int, seed: int, n_groups: int, k) -> None:
    rng = np.random.default_rng(seed)
    items = peoscales.simulate("brs", n, seed=seed, missing_share=0.05)
    items.index = pd.Index([f"r{i}" for i in range(n)], name="id")
    labels = np.array(["a", "b", "c", "d"][:n_groups], dtype=object)
    group = rng.choice(labels, size=n, p=rng.dirichlet(np.ones(n_groups)))
    group[rng.random(n) < 0.05] = None
    data = items.assign(team=group)
    before = data.copy()
    with warnings.catch_warnings():
        # small random samples: omega may reverse an item (and says so)
        warnings.simplefilter("ignore", ReverseKeyWarning)
        rep = peoscales.study_report(
            data, "brs", by="team", min_group_size=k, lang="en", charts=False
        )
    pd.testing.assert_frame_equal(data, before)
    assert rep.n == n
    groups = rep.tables["groups"].to_frame()
    assert groups["n"].sum() == n
    scores = rep.tables["scores"].to_frame().loc["brs"]
    assert scores["n"] + scores["n_excluded"] == n
    assert rep.tables["scoring"].scores.index.equals(data.index)
    bands = rep.tables["bands"].to_frame()
    assert bands["n"].sum() == scores["n"]
    test = rep.tables.get("brs by team")
    counts = data["team"].value_counts()
    kept = counts[counts >= (k or 0)]
    notes = " ".join(n for b in rep.document.blocks if isinstance(b, Table) for n in b.all_notes())
    if test is None:
        # too few groups, or the test is undefined (a group of one, or without variance)
        assert len(kept) < 2 or "Resilience: not tested." in notes
    else:
        assert test.descriptives.index.tolist() == sorted(kept.index)
        scored = rep.tables["scoring"].scores["brs"].notna()
        in_groups = data["team"].isin(kept.index) & scored
        assert int(test.descriptives["n"].sum()) == int(in_groups.sum())
