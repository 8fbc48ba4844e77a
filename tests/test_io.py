"""read_survey: SurveyMonkey (CSV, Excel), Qualtrics, SPSS, plain tables, bad input."""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

import peoscales
from peoscales.errors import DuplicateColumnsError, ParameterError, SurveyFormatError
from peoscales.peo import demo_export_path


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def grid_of_demo() -> list[list[str]]:
    with open(demo_export_path(), encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_demo_is_a_surveymonkey_export():
    path = demo_export_path()
    raw_bytes = path.read_bytes()
    assert raw_bytes.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    before = digest(path)
    raw = peoscales.read_survey(path)
    assert digest(path) == before  # the file is only read
    assert raw.format == "surveymonkey" and raw.encoding == "utf-8-sig"
    assert raw.n == 178
    assert raw.data.index.name == "Respondent ID" and raw.data.index.is_unique
    assert raw.data.index.dtype == "int64"
    assert list(raw.metadata.columns[:4]) == [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
    ]
    # forward-filled question of the "Other (please specify)" column
    row = raw.columns.iloc[1]
    assert row["question"] == "Ik ben werkzaam bij:" and row["sub"] == "Other (please specify)"
    assert raw.columns.index[1] == "Ik ben werkzaam bij: | Other (please specify)"
    # "Response" is not kept as a sub-label
    assert raw.columns.iloc[0]["sub"] == ""
    # the question asked word for word in both branches gets unique labels
    most = raw.columns[raw.columns["question"].str.startswith("Welke van deze factoren")]
    assert len(most[most["sub"] == ""]) == 2
    assert most.index[most["sub"] == ""][1].endswith("(2)")
    assert raw.columns["position"].is_monotonic_increasing
    assert "178 respondents" in raw.summary()
    assert "<table" in raw._repr_html_()
    assert repr(raw) == raw.summary() == str(raw)
    page = raw._repr_html_()
    assert "Answers, first 5 of 178 respondents" in page and "—" in page
    assert not re.search(r">(nan|NaN|None|<NA>)<", page)


def test_surveymonkey_excel_equals_csv(tmp_path):
    grid = grid_of_demo()
    path = tmp_path / "export.xlsx"
    pd.DataFrame(grid).to_excel(path, header=False, index=False)
    from_excel = peoscales.read_survey(path)
    from_csv = peoscales.read_survey(demo_export_path())
    assert from_excel.format == "surveymonkey"
    pd.testing.assert_frame_equal(from_excel.columns, from_csv.columns)
    pd.testing.assert_frame_equal(from_excel.data, from_csv.data)


def write(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_qualtrics_three_header_rows(tmp_path):
    rows = [
        ["StartDate", "ResponseId", "Q1", "Q2_1", "Q2_2"],
        [
            "Start Date",
            "Response ID",
            "Ik ben werkzaam bij:",
            "Stem van de matrix - Je werkdruk",
            "Stem van de matrix - Samenwerking met andere professionals",
        ],
        [
            '{"ImportId":"startDate"}',
            '{"ImportId":"_recordId"}',
            '{"ImportId":"QID1"}',
            '{"ImportId":"QID2_1"}',
            '{"ImportId":"QID2_2"}',
        ],
        [
            "2021-09-13",
            "R_abc",
            "Gecertificeerde instelling (gedwongen kader)",
            "Enige invloed",
            "",
        ],
        ["2021-09-14", "R_def", "Anders, namelijk...", "Geen invloed", "Sterke invloed"],
    ]
    raw = peoscales.read_survey(write(tmp_path / "q.csv", rows))
    assert raw.format == "qualtrics"
    assert raw.data.index.tolist() == ["R_abc", "R_def"]
    assert list(raw.data.columns) == ["Q1", "Q2_1", "Q2_2"]
    assert raw.columns.loc["Q2_1", "question"] == "Stem van de matrix"
    assert raw.columns.loc["Q2_2", "sub"] == "Samenwerking met andere professionals"
    assert raw.columns.loc["Q1", "name"] == "Q1"
    assert pd.isna(raw.data.loc["R_abc", "Q2_2"])
    assert list(raw.metadata.columns) == ["StartDate", "ResponseId"]


def test_spss_value_labels(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = pd.DataFrame(
        {"respondent_id": [11.0, 12.0, 13.0], "v1": [1.0, 2.0, None], "v2": [7.0, 8.0, 6.0]}
    )
    path = tmp_path / "peo.sav"
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels=["respondent", "Mijn professionele ruimte is:", "Werkplezier"],
        variable_value_labels={"v1": {1.0: "Ruim onvoldoende", 2.0: "Onvoldoende"}},
    )
    raw = peoscales.read_survey(path)
    assert raw.format == "spss"
    assert raw.data.index.tolist() == [11, 12, 13]
    assert raw.data["v1"].tolist()[:2] == ["Ruim onvoldoende", "Onvoldoende"]
    assert pd.isna(raw.data["v1"].iloc[2])
    assert raw.data["v2"].tolist() == [7.0, 8.0, 6.0]
    assert raw.columns.loc["v1", "question"] == "Mijn professionele ruimte is:"


def test_spss_without_pyreadstat_says_how_to_install(tmp_path, monkeypatch):
    path = tmp_path / "x.sav"
    path.write_bytes(b"$FL2 not really")
    monkeypatch.setitem(sys.modules, "pyreadstat", None)
    with pytest.raises(ImportError, match=r"pip install 'peoscales\[spss\]'"):
        peoscales.read_survey(path)


def test_spss_unreadable(tmp_path):
    pytest.importorskip("pyreadstat")
    path = tmp_path / "x.sav"
    path.write_bytes(b"this is no sav file at all")
    with pytest.raises(SurveyFormatError, match="not a readable SPSS"):
        peoscales.read_survey(path)


def test_plain_csv_and_semicolons(tmp_path):
    rows = [
        ["respondent_id", "Mijn professionele ruimte is:", "Werkplezier"],
        ["1", "Voldoende", "7"],
        ["2", "", "8"],
    ]
    raw = peoscales.read_survey(write(tmp_path / "plain.csv", rows))
    assert raw.format == "csv"
    assert raw.data.index.tolist() == [1, 2]
    assert list(raw.data.columns) == ["Mijn professionele ruimte is:", "Werkplezier"]
    semi = tmp_path / "semi.csv"
    semi.write_text("a;b;c\n1;x;y\n2;z;w\n", encoding="utf-8")
    assert peoscales.read_survey(semi).data.shape == (2, 3)


def test_plain_excel(tmp_path):
    path = tmp_path / "plain.xlsx"
    pd.DataFrame({"Vraag": ["a", "b"], "Werkplezier": [7, 8]}).to_excel(path, index=False)
    raw = peoscales.read_survey(path)
    assert raw.format == "excel"
    assert raw.data["Werkplezier"].tolist() == ["7", "8"]


def test_format_can_be_forced(tmp_path):
    grid = grid_of_demo()
    path = write(tmp_path / "export.txt", grid)
    assert peoscales.read_survey(path, format="surveymonkey").n == 178
    with pytest.raises(ParameterError, match="format='sav' is not supported"):
        peoscales.read_survey(path, format="sav")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(SurveyFormatError, match=r"empty.csv is empty \(0 bytes\)"):
        peoscales.read_survey(path)
    path.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(SurveyFormatError, match="only white space"):
        peoscales.read_survey(path)


def test_header_but_no_respondents(tmp_path):
    path = write(tmp_path / "h.csv", grid_of_demo()[:2])
    with pytest.raises(SurveyFormatError, match=r"2 header row.*no respondents"):
        peoscales.read_survey(path)


def test_not_a_survey_export(tmp_path):
    png = tmp_path / "chart.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100))
    with pytest.raises(SurveyFormatError, match="binary file, not a CSV survey export"):
        peoscales.read_survey(png)
    doc = tmp_path / "notes.json"
    doc.write_text('{"a": 1}', encoding="utf-8")
    with pytest.raises(SurveyFormatError, match=r"\.json is not a survey export format"):
        peoscales.read_survey(doc)
    single = tmp_path / "lines.csv"
    single.write_text("just\nsome\nlines\n", encoding="utf-8")
    with pytest.raises(SurveyFormatError, match="single column"):
        peoscales.read_survey(single)
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    with pytest.raises(SurveyFormatError, match="not a readable Excel file"):
        peoscales.read_survey(fake)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(SurveyFormatError, match="no such file"):
        peoscales.read_survey(tmp_path / "nope.csv")
    with pytest.raises(SurveyFormatError, match="is a folder"):
        peoscales.read_survey(tmp_path)


def test_wrong_encoding_is_reported_with_the_fix(tmp_path):
    rows = [
        ["Respondent ID", "Mijn professionele ruimte is:"],
        ["", "Response"],
        ["1", "Voldoende"],
        ["2", "Ruim voldoende – ëë"],
    ]
    path = write(tmp_path / "ansi.csv", rows, encoding="cp1252")
    before = digest(path)
    with pytest.raises(SurveyFormatError, match=r"not valid utf-8-sig text.*encoding='cp1252'"):
        peoscales.read_survey(path)
    raw = peoscales.read_survey(path, encoding="cp1252")
    assert raw.data.iloc[1, 0] == "Ruim voldoende – ëë"
    assert raw.encoding == "cp1252"
    assert digest(path) == before
    with pytest.raises(ParameterError, match="not a known text encoding"):
        peoscales.read_survey(path, encoding="klingon")


def test_duplicated_columns_in_a_plain_table(tmp_path):
    rows = [["Werkplezier", "Werkplezier", "Vraag"], ["7", "8", "x"]]
    with pytest.raises(DuplicateColumnsError, match="duplicated question columns: 'Werkplezier'"):
        peoscales.read_survey(write(tmp_path / "dup.csv", rows))


def test_surveymonkey_without_leading_question(tmp_path):
    rows = [["Respondent ID", "", "Vraag"], ["", "Response", "Response"], ["1", "a", "b"]]
    with pytest.raises(SurveyFormatError, match="column 2 has no question text"):
        peoscales.read_survey(write(tmp_path / "bad.csv", rows), format="surveymonkey")


def test_utf16_export(tmp_path):
    path = tmp_path / "u16.csv"
    path.write_text("Vraag,Andere\nja,nee\n", encoding="utf-16")
    raw = peoscales.read_survey(path)
    assert raw.data.iloc[0].tolist() == ["ja", "nee"]
