"""The codebook of the 2021 mental-fitness survey's other questions (seed 002) and the
demo data's answers to them: the codebook codes the data and its tables give the
published percentages."""

from __future__ import annotations

import pandas as pd
import pytest

import peoscales
from peoscales import peo
from peoscales.demo.make_mental_fitness import build_mental_fitness, build_questions
from peoscales.errors import SurveyFormatError

BOOK = "mental_fitness_2021"


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return peoscales.demo.load_mental_fitness(questions=True)


def test_the_codebook_loads_as_a_secondary_survey_codebook() -> None:
    book = peoscales.get_instrument(BOOK)
    assert book.kind == "codebook" and book.key_status == "secondary"
    assert book.wave is None and BOOK not in peo.list_waves()["name"].tolist()
    assert peo.get_codebook(BOOK) is book
    assert book.response_scales["support"].kind == "multi"
    assert book.response_scales["tasks"].kind == "multi"
    assert [o.label("nl") for o in book.response_scales["changed3"].options] == [
        "niet veranderd",
        "deels veranderd",
        "volledig veranderd",
    ]
    # the background items are the demo data's columns
    for column in ("gender", "age", "education", "care_type", "years_experience"):
        assert column in book.items


def test_the_questions_file_is_what_the_generator_makes() -> None:
    from importlib import resources

    built = build_questions(build_mental_fitness())
    source = resources.files("peoscales.demo").joinpath("mental_fitness_questions.csv")
    stored = source.read_text(encoding="utf-8")
    assert stored == built.to_csv(index=False, lineterminator="\n")
    assert built.shape == (499, 22)


def test_questions_are_added_without_changing_the_data(data: pd.DataFrame) -> None:
    plain = peoscales.demo.load_mental_fitness()
    pd.testing.assert_frame_equal(data[plain.columns], plain)
    assert data.shape == (499, 74)
    assert data["support_colleagues"].dtype == "boolean"
    assert data["client_relation"].cat.ordered


def test_the_codebook_codes_the_raw_answers() -> None:
    raw = build_questions(build_mental_fitness()).set_index("respondent")
    plain = peoscales.demo.load_mental_fitness()
    background = ["gender", "age", "education", "care_type", "years_experience"]
    export = pd.concat([plain[background], raw], axis=1)
    export = export.astype(object)
    columns = {c: c for c in export.columns if c in peoscales.get_instrument(BOOK).items}
    coded = peo.code_wave(export, BOOK, columns=columns)
    assert coded.data["conditions_changed"].cat.categories.tolist() == [
        "niet veranderd",
        "deels veranderd",
        "volledig veranderd",
    ]
    # Qualtrics-style listing of the chosen codes: "1,3" -> options 1 and 3
    first = raw.index[raw["support"].astype(str).str.fullmatch("1,3")][0]
    row = coded.data.loc[first, [c for c in coded.data.columns if c.startswith("support_")]]
    assert row[["support_colleagues", "support_behavioural_scientist"]].tolist() == [True, True]
    assert not row[["support_supervisor", "support_private", "support_nobody"]].any()
    texts = coded.data["support_other_text"].dropna()
    assert (texts == "Huisarts").all() and coded.data["support_other"].sum() == len(texts)
    # the three respondents who stopped before the W-BNS did not reach the questions
    assert coded.data["conditions_changed"].isna().sum() == 3


# ----------------------------------------------------------------------------- seed 002


def test_working_conditions_changed_for_83_percent(data: pd.DataFrame) -> None:
    # "Volgens 83% van de professionals zijn de werkomstandigheden volledig of deels
    # veranderd."
    table = peoscales.frequency_table(data, "conditions_changed", codebook=BOOK, grouping="changed")
    row = table.table.loc["volledig of deels veranderd"]
    assert (row["n"], table.n_base) == (412, 496)
    assert round(row["percent"]) == 83


def test_relation_with_clients_somewhat_worse_for_40_percent(data: pd.DataFrame) -> None:
    # "In totaal geeft 40% van de professionals aan dat de relatie met cliënten
    # enigszins is verslechterd"; "Ruim 40% ... enigszins was verslechterd".
    table = peoscales.frequency_table(data, "client_relation", codebook=BOOK)
    share = table.table.loc["enigszins verslechterd", "percent"]
    assert 40 < share < 41 and table.display_frame().loc["enigszins verslechterd", "%"] == "40"


def test_support_sought_from_colleagues_by_60_percent(data: pd.DataFrame) -> None:
    # "Tevens geeft 60% van de professionals aan ondersteuning te zoeken bij collega's
    # als de werkdruk te hoog was in de coronacrisis."
    table = peo.multi_response_table(data, "support", codebook=BOOK, lang="en")
    share = table.table.loc["Colleagues", "percent_of_respondents"]
    assert round(share) == 60 and table.table["n"].idxmax() == "Colleagues"


def test_positive_about_the_supervisor(data: pd.DataFrame) -> None:
    # "Professionals zijn positief over of hun leidinggevende hun behoefte en problemen
    # kent en of hun leidinggevende hen helpt deze problemen te verhelpen."
    items = ["supervisor_knows_needs", "supervisor_helps"]
    table = peo.item_table(data, items, codebook=BOOK, grouping="agree")
    agree = table.percentages["(helemaal) akkoord"]
    assert (agree > 50).all()
    assert (agree > table.percentages["(helemaal) niet akkoord"]).all()


def test_more_positive_about_technology_in_the_organisation_than_with_clients(
    data: pd.DataFrame,
) -> None:
    # "De houding ... tegenover technologie is positief zowel binnen de organisatie ...
    # als met cliënten. Professionals zijn positiever over het gebruik van technologie
    # in de organisatie, dan het gebruik hiervan in het contact met cliënten."
    items = [c for c in data.columns if c.startswith("tech_attitude_")]
    table = peo.item_table(data, items, codebook=BOOK, grouping="positive")
    positive = table.percentages["(zeer) positief"]
    negative = table.percentages["(zeer) negatief"]
    assert (positive > negative).all()
    clients = positive.iloc[-1]
    assert (positive.iloc[:-1] > clients).all()
    scores = data[items].apply(lambda s: s.cat.codes.where(s.notna()) + 1)
    assert (scores.mean().iloc[:-1] > scores.mean().iloc[-1]).all()
    assert (scores.mean() > 3).all()


def test_most_never_used_the_new_technologies(data: pd.DataFrame) -> None:
    # "nieuwe technologieën als e-learnings, online therapie, VR en biofeedback worden
    # nauwelijks gebruikt"; "de meeste professionals geven aan deze nog niet te hebben
    # gebruikt"; positive about (video)calling, e-mail and WhatsApp.
    items = [c for c in data.columns if c.startswith("tech_use_")]
    table = peo.item_table(data, items, codebook=BOOK, grouping="never")
    never = table.percentages["nooit gebruikt"]
    new = ["E-learning", "Online therapie", "Virtual reality (VR)", "Biofeedback"]
    assert (never.loc[new] > 50).all()
    assert (never.drop(index=new) < 10).all()


def test_no_relation_of_changed_conditions_with_autonomy_or_home_work_balance(
    data: pd.DataFrame,
) -> None:
    # "geen verband gevonden met de veranderde corona-omstandigheden en de hoeveelheid
    # autonomie"; "geen verband ... tussen de privé-werk balans en de veranderde
    # omstandigheden door corona"
    import warnings

    from peoscales.errors import IncompleteScoresWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IncompleteScoresWarning)
        scores = peoscales.score(data, ["swing12", "wbns"])
    frame = pd.concat([data[["conditions_changed"]], scores], axis=1)
    for scale in ("wbns_autonomy", "swing_nhwi"):
        result = peoscales.anova(frame, scale, "conditions_changed", posthoc=None)
        assert result.p > 0.05, scale


# ----------------------------------------------------------------------------- report


def test_study_report_tabulates_the_codebook_questions(data: pd.DataFrame) -> None:
    report = peoscales.study_report(
        data, ["brs"], by="care_type", codebook=BOOK, lang="en", charts=False
    )
    keys = report.to_frame().index.tolist()
    assert keys[keys.index("job_function") :] == [
        "job_function",
        "tasks",
        "conditions_changed",
        "client_relation",
        "support",
        "supervisor_knows_needs supervisor_helps",
        "tech_attitude_colleagues tech_attitude_agencies tech_attitude_admin tech_attitude_clients",
        "tech_use_video_calling tech_use_email tech_use_messaging tech_use_elearning "
        "tech_use_online_therapy tech_use_vr tech_use_biofeedback",
    ]
    direct = peoscales.frequency_table(data, "client_relation", codebook=BOOK, lang="en")
    pd.testing.assert_frame_equal(report.tables["client_relation"].table, direct.table)
    support = peo.multi_response_table(
        data, "support", codebook=BOOK, lang="en", title="Support when the workload was too high"
    )
    pd.testing.assert_frame_equal(report.tables["support"].table, support.table)
    # background columns before the items stay in the sample section, with the codebook
    background = report.tables["background"].to_frame()
    assert background.index.get_level_values(0).unique().tolist() == ["gender", "education"]
    shown = report.tables["background"].display_frame()
    assert shown.index.get_level_values(0).unique().tolist() == ["Gender", "Education"]
    numeric = report.tables["background numeric"].display_frame()
    assert numeric.loc["Age"].tolist() == ["499", "43.2", "10.4", "22–68"]
    assert numeric.notna().all().all()
    assert report.to_frame().loc["groups", "title"] == "Table 1.1 Respondents by Type of youth care"
    assert "support_colleagues" not in str(report.tables["background"].to_frame().index)
    assert report.document.blocks[-1].caption.startswith("Table 6.8 Which technology")


def test_demo_command_shows_the_other_questions(tmp_path, capsys) -> None:
    from peoscales._cli import main

    out = tmp_path / "study.html"
    code = main(["report", "--demo", "-i", "brs", "--by", "care_type", "-o", str(out)])
    assert code == 0
    page = out.read_text("utf-8")
    assert "6 Overige vragen" in page and "Ondersteuning bij te hoge werkdruk" in page


def test_codebook_argument_is_checked(data: pd.DataFrame) -> None:
    from peoscales.errors import InstrumentNotFoundError, ParameterError

    with pytest.raises(ParameterError, match="codebook must name"):
        peoscales.study_report(data, ["brs"], codebook=3)  # type: ignore[arg-type]
    with pytest.raises(InstrumentNotFoundError, match="mental_fitnes_2021"):
        peoscales.study_report(data, ["brs"], codebook="mental_fitnes_2021")


def test_coding_data_that_are_coded_already_says_so(data: pd.DataFrame) -> None:
    with pytest.raises(SurveyFormatError, match="the data are coded already") as info:
        peo.code_wave(data, "mental_fitness_2021")
    assert "Pass them to the table functions" in str(info.value)
    with pytest.raises(SurveyFormatError, match="does not look like a PEO export"):
        peo.code_wave(pd.DataFrame({"a": [1, 2], "b": [3, 4]}), "mental_fitness_2021")
