"""Check-all-that-apply questions in a codebook (``kind = "multi"``), read from
SurveyMonkey and Qualtrics exports by ``code_wave`` and tabulated by
``multi_response_table``. The expected choices are the ones written into each export,
so every count is known before coding."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import peoscales
from peoscales import peo
from peoscales.errors import (
    AmbiguousMatchError,
    DefinitionError,
    ParameterError,
    SurveyFormatError,
    UnknownLabelError,
)
from peoscales.instruments.loader import parse_definition

Q_ASKS = "Vraag je weleens om steun bij je werk?"
Q_WHOM = "Aan wie vraag je steun? (meer antwoorden mogelijk)"
#: Option texts as on the questionnaire; the third holds a comma, as real ones do.
TEXTS = ["Collega", "Leidinggevende", "Partner, familie of vrienden", "Anders, namelijk"]
COLUMNS = ["support_colleague", "support_manager", "support_3", "support_other"]
CODES = [1, 2, 3, 9]

TOML = f"""
name = "support_codebook"
kind = "codebook"
title = "Support (test)"

[response_scales.yes_no]
kind = "nominal"
options = [ {{ code = 1, nl = "Ja", en = "Yes" }}, {{ code = 2, nl = "Nee", en = "No" }} ]

[response_scales.support]
kind = "multi"
options = [
  {{ code = 1, name = "colleague", nl = "Collega", en = "Colleague" }},
  {{ code = 2, name = "manager", nl = "Leidinggevende", en = "Manager", aliases = ["Mijn leidinggevende"] }},
  {{ code = 3, nl = "{TEXTS[2]}", en = "Partner, family or friends" }},
  {{ code = 9, name = "other", nl = "Anders, namelijk", en = "Other, namely", other = true }},
]

[[items]]
id = "asks_support"
number = 1
response_scale = "yes_no"
nl = "{Q_ASKS}"

[[items]]
id = "support"
number = 2
response_scale = "support"
nl = "{Q_WHOM}"
short = {{ nl = "Steun van", en = "Support from" }}
asked_if = {{ item = "asks_support", codes = [1] }}
"""


@pytest.fixture(scope="module")
def book() -> peoscales.instruments.Instrument:
    return parse_definition(TOML, "support.toml")


# ----------------------------------------------------------------- export writers
# Each writes the same answers: ``asks`` ("Ja"/"Nee"), ``picks`` (respondents x 4
# booleans, all False for "Nee") and ``other`` (the typed text, "" when none).


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def surveymonkey(path: Path, asks: list[str], picks: np.ndarray, other: list[str]) -> Path:
    """One column per option; a chosen box holds the option's text, the "other" column
    the typed text."""
    head1 = ["Respondent ID", Q_ASKS, Q_WHOM, "", "", ""]
    head2 = ["", "Response", *TEXTS[:3], "Other (please specify)"]
    rows = [
        [str(100 + i), a, *(t if p else "" for t, p in zip(TEXTS[:3], pk[:3], strict=True)), o]
        for i, (a, pk, o) in enumerate(zip(asks, picks, other, strict=True))
    ]
    return _write(path, [head1, head2, *rows])


def _qualtrics_head(names: list[str], texts: list[str]) -> list[list[str]]:
    ids = ["ResponseId", *names]
    text = ["Response ID", *texts]
    imports = ['{"ImportId":"_recordId"}', *(f'{{"ImportId":"QID{n[1:]}"}}' for n in names)]
    return [ids, text, imports]


def qualtrics_boxes(path: Path, asks: list[str], picks: np.ndarray, other: list[str]) -> Path:
    """Q2_1 ... Q2_9 holding 1 or empty, and Q2_9_TEXT the typed text."""
    names = ["Q1", *(f"Q2_{c}" for c in CODES), "Q2_9_TEXT"]
    texts = [Q_ASKS, *(f"{Q_WHOM} - {t}" for t in TEXTS), f"{Q_WHOM} - {TEXTS[3]} - Text"]
    rows = [
        [f"R_{i}", a, *("1" if p else "" for p in pk), o]
        for i, (a, pk, o) in enumerate(zip(asks, picks, other, strict=True))
    ]
    return _write(path, [*_qualtrics_head(names, texts), *rows])


def qualtrics_listed(path: Path, asks: list[str], picks: np.ndarray, other: list[str]) -> Path:
    """One column of comma-separated choices: codes for even rows, texts for odd ones."""
    names = ["Q1", "Q2", "Q2_9_TEXT"]
    texts = [Q_ASKS, Q_WHOM, f"{Q_WHOM} - {TEXTS[3]} - Text"]
    rows = []
    for i, (a, pk, o) in enumerate(zip(asks, picks, other, strict=True)):
        chosen = [
            str(c) if i % 2 == 0 else t for c, t, p in zip(CODES, TEXTS, pk, strict=True) if p
        ]
        rows.append([f"R_{i}", a, ",".join(chosen), o])
    return _write(path, [*_qualtrics_head(names, texts), *rows])


WRITERS = {
    "surveymonkey": surveymonkey,
    "qualtrics_boxes": qualtrics_boxes,
    "qualtrics_listed": qualtrics_listed,
}

ASKS = ["Ja", "Ja", "Nee", "Ja", "Ja"]
PICKS = np.array(
    [
        [True, False, False, False],
        [False, True, True, True],
        [False, False, False, False],
        [False, False, False, False],
        [True, True, True, False],
    ]
)
OTHER = ["", "mijn coach", "", "", ""]


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_each_export_layout_codes_to_one_column_per_option(kind, book, tmp_path):
    raw = peoscales.read_survey(WRITERS[kind](tmp_path / "export.csv", ASKS, PICKS, OTHER))
    coded = peo.code_wave(raw, book)
    assert list(coded.data.columns) == ["asks_support", *COLUMNS, "support_other_text"]
    for column in COLUMNS:
        assert coded.data[column].dtype == "boolean"
    got = coded.data[COLUMNS]
    # Asked (Ja) rows hold True/False; the respondent routed past the question holds NA.
    assert got.iloc[2].isna().all()
    expected = PICKS[[0, 1, 3, 4]]
    np.testing.assert_array_equal(got.iloc[[0, 1, 3, 4]].to_numpy(dtype=bool), expected)
    assert coded.data["support_other_text"].tolist()[1] == "mijn coach"
    assert coded.data["support_other_text"].isna().sum() == 4
    assert coded.status()["support_colleague"].tolist() == [
        "answered",
        "answered",
        "not asked",
        "answered",
        "answered",
    ]
    np.testing.assert_array_equal(
        coded.codes(["support_manager"])["support_manager"].to_numpy(),
        [0.0, 1.0, np.nan, 0.0, 1.0],
    )
    assert "support" not in coded.unmatched and not coded.unused


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_the_coded_item_is_a_multiple_response_table(kind, book, tmp_path):
    raw = peoscales.read_survey(WRITERS[kind](tmp_path / "export.csv", ASKS, PICKS, OTHER))
    t = peo.multi_response_table(
        peo.code_wave(raw, book), "support", lang="en", min_group_size=None
    )
    assert list(t.table.index) == [
        "Colleague",
        "Manager",
        "Partner, family or friends",
        "Other, namely",
    ]
    # Base: the four respondents asked (one routed past is excluded, and counted).
    assert (t.n_base, t.n_excluded) == (4, 1)
    assert t.table["n"].tolist() == [2, 2, 2, 1]
    np.testing.assert_allclose(t.table["percent_of_respondents"], [50.0, 50.0, 50.0, 25.0])
    np.testing.assert_allclose(t.table["percent_of_responses"], 100 * np.array([2, 2, 2, 1]) / 7)
    assert t.n_chosen.tolist() == [1, 1, 0, 2, 0]
    assert t.mean_chosen == pytest.approx(7 / 4, abs=1e-12)


def test_codebook_labels_and_aliases_and_the_raw_is_left_alone(book):
    frame = pd.DataFrame(
        {
            Q_ASKS: ["Ja", "Ja"],
            f"{Q_WHOM} | Collega": ["COLLEGA ", None],
            f"{Q_WHOM} | Leidinggevende": [None, "Mijn leidinggevende"],
            f"{Q_WHOM} | {TEXTS[2]}": [0, 3],  # a recoded export: the option's own code
            f"{Q_WHOM} | Anders, namelijk": ["", None],
        },
        index=pd.Index([7, 8], name="id"),
    )
    before = frame.copy()
    coded = peo.code_wave(frame, book)
    pd.testing.assert_frame_equal(frame, before)
    assert coded.data.index.tolist() == [7, 8]
    assert coded.data[COLUMNS].to_numpy(dtype=bool).tolist() == [
        [True, False, False, False],
        [False, True, True, False],
    ]


def test_unknown_answers_in_an_option_column_are_listed(book):
    frame = pd.DataFrame(
        {
            Q_ASKS: ["Ja", "Ja", "Ja"],
            f"{Q_WHOM} | Collega": ["Collega", "Leidinggevende", "Leidinggevende"],
            f"{Q_WHOM} | Leidinggevende": [None, "3", None],
        }
    )
    with pytest.raises(UnknownLabelError, match=r"'Leidinggevende' x2.*'3' x1"):
        peo.code_wave(frame, book)


def test_an_option_text_the_codebook_lacks_is_named(book):
    frame = pd.DataFrame(
        {Q_ASKS: ["Ja"], f"{Q_WHOM} | Collega": ["Collega"], f"{Q_WHOM} | Buurman": ["x"]}
    )
    with pytest.raises(UnknownLabelError, match=r"'Buurman' is not one of its options"):
        peo.code_wave(frame, book)


def test_unknown_choices_in_a_listed_column(book):
    frame = pd.DataFrame({Q_ASKS: ["Ja", "Ja"], Q_WHOM: ["1,4", "Collega,Buurman"]})
    with pytest.raises(UnknownLabelError, match=r"'1,4' x1.*'Collega,Buurman' x1"):
        peo.code_wave(frame, book)


def test_a_listed_column_read_as_numbers(book):
    frame = pd.DataFrame({Q_ASKS: ["Ja", "Ja", "Nee"], Q_WHOM: [1, 3, np.nan]})
    coded = peo.code_wave(frame, book)
    assert coded.data[COLUMNS].iloc[:2].to_numpy(dtype=bool).tolist() == [
        [True, False, False, False],
        [False, False, True, False],
    ]
    assert coded.data[COLUMNS].iloc[2].isna().all()


def test_choices_of_a_respondent_not_asked(book):
    frame = pd.DataFrame({Q_ASKS: ["Nee", "Ja"], Q_WHOM: ["1", "2"]}, index=["a", "b"])
    with pytest.raises(SurveyFormatError, match=r"support \(1 respondent\(s\), e.g. 'a'\)"):
        peo.code_wave(frame, book)
    kept = peo.code_wave(frame, book, check_routing=False)
    assert kept.data.loc["a", "support_colleague"]
    assert bool(kept.asked.loc["a", "support_colleague"])


def test_columns_can_be_mapped(book):
    frame = pd.DataFrame(
        {"q1": ["Ja", "Ja"], "a": ["1", ""], "b": ["", "1"], "c": ["", ""], "d": ["", "x"]}
    )
    coded = peo.code_wave(
        frame, book, columns={"asks_support": "q1", "support": ["a", "b", "c", "d"]}
    )
    assert coded.data[COLUMNS].to_numpy(dtype=bool).tolist() == [
        [True, False, False, False],
        [False, True, False, True],
    ]
    assert coded.data["support_other_text"].tolist()[1] == "x"
    with pytest.raises(ParameterError, match=r"one column per option \(4"):
        peo.code_wave(frame, book, columns={"asks_support": "q1", "support": ["a", "b"]})
    listed = pd.DataFrame({"q1": ["Ja"], "choices": ["2,9"]})
    coded = peo.code_wave(listed, book, columns={"asks_support": "q1", "support": "choices"})
    assert coded.data[COLUMNS].to_numpy(dtype=bool).tolist() == [[False, True, False, True]]


def test_two_columns_for_one_option(book):
    frame = pd.DataFrame(
        {
            Q_ASKS: ["Ja"],
            f"{Q_WHOM} | Collega": ["Collega"],
            f"{Q_WHOM} | collega ": ["Collega"],
        }
    )
    with pytest.raises(AmbiguousMatchError, match="Option 'Collega'"):
        peo.code_wave(frame, book)


def test_other_tables_point_to_the_multiple_response_table(book):
    coded = peo.code_wave(pd.DataFrame({Q_ASKS: ["Ja"], Q_WHOM: ["1"]}), book)
    with pytest.raises(ParameterError, match=r"check-all-that-apply.*multi_response_table"):
        peo.frequency_table(coded, "support")
    with pytest.raises(ParameterError, match=r"option of check-all-that-apply question 'support'"):
        peo.frequency_table(coded, "support_manager")
    with pytest.raises(ParameterError, match="chosen="):
        peo.multi_response_table(coded, "support", chosen=1)
    with pytest.raises(ParameterError, match="check-all-that-apply"):
        peo.multi_response_table(coded, "asks_support")
    with pytest.raises(ParameterError, match="no codebook"):
        peo.multi_response_table(coded.data, "support")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ('{ code = 1, nl = "Collega" }', "two or more options"),
        ('{ code = 1, nl = "A" }, { code = 1.5, nl = "B" }', "not whole numbers"),
        ('{ code = 1, nl = "A", name = "x" }, { code = 2, nl = "B", name = "x" }', "used twice"),
        (
            '{ code = 1, nl = "A", other = true }, { code = 2, nl = "B", other = true }',
            "more than one",
        ),
        ('{ code = 1, nl = "A", other = "ja" }, { code = 2, nl = "B" }', "true or false"),
        ('{ code = 1 }, { code = 2, nl = "B" }', "have no text"),
    ],
)
def test_bad_multi_scales_are_refused(change, message):
    text = f"""
name = "bad"
kind = "codebook"
[response_scales.boxes]
kind = "multi"
options = [ {change} ]
[[items]]
id = "whom"
response_scale = "boxes"
nl = "Wie?"
"""
    with pytest.raises(DefinitionError, match=message):
        parse_definition(text, "bad.toml")


def test_option_columns_may_not_take_an_item_id():
    text = TOML + '\n[[items]]\nid = "support_manager"\nresponse_scale = "yes_no"\nnl = "x"\n'
    with pytest.raises(DefinitionError, match="option column 'support_manager' is also item"):
        parse_definition(text, "clash.toml")


def test_multi_items_do_not_route_and_names_stay_with_multi():
    routed = TOML + (
        '\n[[items]]\nid = "later"\nresponse_scale = "yes_no"\nnl = "x"\n'
        'asked_if = { item = "support", codes = [1] }\n'
    )
    with pytest.raises(DefinitionError, match="cannot route"):
        parse_definition(routed, "routed.toml")
    named = TOML.replace(
        '{ code = 2, nl = "Nee", en = "No" }', '{ code = 2, nl = "Nee", name = "no" }'
    )
    with pytest.raises(DefinitionError, match="only a multi scale uses"):
        parse_definition(named, "named.toml")


# ----------------------------------------------------------------- round trip

answers = st.integers(min_value=1, max_value=25).flatmap(
    lambda n: st.tuples(
        st.lists(st.booleans(), min_size=n, max_size=n),
        st.lists(st.lists(st.booleans(), min_size=4, max_size=4), min_size=n, max_size=n),
        st.lists(st.sampled_from(["", "coach", "de buren, soms"]), min_size=n, max_size=n),
    )
)


@settings(max_examples=25, deadline=None)
@given(answers, st.sampled_from(sorted(WRITERS)))
def test_round_trip_through_each_export_layout(drawn, kind):
    """Write random choices in an export layout, read and code it, and get them back;
    the table counts exactly the choices of the respondents asked."""
    asked_list, pick_list, typed = drawn
    asked = np.asarray(asked_list)
    picks = np.asarray(pick_list) & asked[:, None]
    # The "other" text exists exactly when the "other" option is chosen.
    other = [t or "iemand" if p else "" for t, p in zip(typed, picks[:, 3], strict=True)]
    book = parse_definition(TOML, "support.toml")
    with tempfile.TemporaryDirectory() as folder:
        path = WRITERS[kind](
            Path(folder) / "export.csv", ["Ja" if a else "Nee" for a in asked], picks, other
        )
        coded = peo.code_wave(peoscales.read_survey(path), book)
    got = coded.data[COLUMNS]
    np.testing.assert_array_equal(got.isna().to_numpy(), np.repeat(~asked[:, None], 4, axis=1))
    np.testing.assert_array_equal(got.fillna(False).to_numpy(dtype=bool), picks)
    texts = coded.data["support_other_text"].fillna("").tolist()
    assert texts == other
    t = peo.multi_response_table(coded, "support", min_group_size=None)
    assert t.n_base == int(asked.sum()) and t.n_excluded == int((~asked).sum())
    assert t.table["n"].tolist() == picks.sum(axis=0).tolist()
    assert t.n_chosen.sum() == t.n_base


def test_a_report_shows_the_question_as_a_multiple_response_table(book):
    frame = pd.DataFrame(
        {Q_ASKS: ["Ja"] * 6 + ["Nee"], Q_WHOM: ["1,2", "1", "2,3", "1,9", "1", "2", ""]}
    )
    coded = peo.code_wave(frame, book)
    # A codebook without a layout: one table per question, this one by option.
    page = peo.report(coded, codebook=book, lang="en")
    table = page.tables["1.2"]
    assert isinstance(table, peo.MultiResponseTable)
    assert table.table["n"].tolist() == [4, 3, 1, 1] and table.n_base == 6
    assert "Colleague" in page.html
    # A layout lists the item once: items = ["support"] is the item, not one column.
    listed = peo.multi_response_table(coded, ["support"], min_group_size=None)
    pd.testing.assert_frame_equal(listed.table, table.table.set_axis(listed.table.index))
