"""read_survey never loses or invents respondents; Dutch spreadsheet CSVs.

Malformed records (an unclosed quote, ragged rows) raise SurveyFormatError naming the
line numbers, or with ``on_bad_lines="skip"`` are left out, counted and warned about.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import peoscales
from peoscales._cli import main
from peoscales.errors import ParameterError, SkippedLinesWarning, SurveyFormatError

HEADER = "respondent_id,Vraag 1,Vraag 2,Toelichting\n"


def rows(n: int, start: int = 1) -> list[str]:
    return [f"{i},ja,nee,tekst {i}\n" for i in range(start, start + n)]


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_well_formed_file_keeps_every_record(tmp_path):
    lines = [HEADER, *rows(10), '11,ja,nee,"met, komma\nen ""quote"" en; puntkomma"\n']
    raw = peoscales.read_survey(write(tmp_path, "ok.csv", lines))
    assert raw.n == 11 and raw.n_excluded == 0 and raw.bad_lines == ()
    assert raw.data.loc[11, "Toelichting"] == 'met, komma\nen "quote" en; puntkomma'


def test_unclosed_quote_is_an_error_naming_the_lines(tmp_path):
    # line 5 opens a quote that is never closed: csv would swallow lines 5-11 into one
    # cell and report 4 respondents instead of 10
    body = rows(10)
    body[3] = '4,ja,nee,"niet gesloten\n'
    path = write(tmp_path, "quote.csv", [HEADER, *body])
    with pytest.raises(SurveyFormatError, match=r"lines 5-11: a quote") as info:
        peoscales.read_survey(path)
    assert "quote.csv" in str(info.value)


def test_unclosed_quote_closed_later_by_another_quote(tmp_path):
    body = rows(11)
    body[3] = '4,ja,nee,"niet gesloten\n'
    body[7] = '8,ja,nee,"wel, gesloten"\n'
    path = write(tmp_path, "quote2.csv", [HEADER, *body])
    with pytest.raises(SurveyFormatError, match=r"lines 5.9"):
        peoscales.read_survey(path)


def test_row_with_extra_cells_is_an_error(tmp_path):
    body = rows(5)
    body[2] = "3,ja,nee,tekst,extra,cellen\n"
    path = write(tmp_path, "long.csv", [HEADER, *body])
    with pytest.raises(SurveyFormatError, match=r"line 4: 6 cells where the header has 4.*'extra'"):
        peoscales.read_survey(path)


def test_row_cut_short_is_an_error(tmp_path):
    body = rows(5)
    body[4] = "5,ja\n"
    path = write(tmp_path, "short.csv", [HEADER, *body])
    with pytest.raises(SurveyFormatError, match=r"line 6: 2 cells where the header has 4") as info:
        peoscales.read_survey(path)
    assert "read the workbook (.xlsx)" in str(info.value)


def test_trailing_empty_cells_are_not_data(tmp_path):
    body = rows(3)
    body[1] = "2,ja,nee,tekst 2,,\n"
    raw = peoscales.read_survey(write(tmp_path, "trail.csv", [HEADER, *body]))
    assert raw.n == 3 and list(raw.data.columns) == ["Vraag 1", "Vraag 2", "Toelichting"]


def test_skip_bad_lines_counts_and_warns(tmp_path):
    body = rows(10)
    body[2] = "3,ja,nee,tekst,extra\n"
    body[6] = "7,ja\n"
    path = write(tmp_path, "skip.csv", [HEADER, *body])
    with pytest.warns(SkippedLinesWarning, match=r"2 malformed lines? .*skip.csv.*4, 8"):
        raw = peoscales.read_survey(path, on_bad_lines="skip")
    assert raw.n == 8 and raw.n_excluded == 2 and raw.bad_lines == (4, 8)
    assert 3 not in raw.data.index and 7 not in raw.data.index
    assert "2 malformed lines left out" in raw.summary()
    with pytest.raises(ParameterError, match="on_bad_lines"):
        peoscales.read_survey(path, on_bad_lines="ignore")


def test_skipped_unclosed_quote_counts_every_line(tmp_path):
    body = rows(10)
    body[3] = '4,ja,nee,"niet gesloten\n'
    path = write(tmp_path, "q.csv", [HEADER, *body])
    with pytest.warns(SkippedLinesWarning):
        raw = peoscales.read_survey(path, on_bad_lines="skip")
    assert raw.n + raw.n_excluded == 10
    assert raw.bad_lines == tuple(range(5, 12))


def test_bad_header_is_never_skipped(tmp_path):
    path = write(tmp_path, "h.csv", ['a,"b\n', "1,2\n"])
    with pytest.raises(SurveyFormatError, match="lines 1-2"):
        peoscales.read_survey(path, on_bad_lines="skip")


def test_surveymonkey_export_with_ragged_row(tmp_path):
    lines = [
        "Respondent ID,Collector ID,Vraag,\n",
        ",,Response,Other (please specify)\n",
        "11,1,ja,\n",
        "12,1,nee,x,y\n",
        "13,1,ja,\n",
    ]
    with pytest.raises(SurveyFormatError, match=r"line 4: 5 cells"):
        peoscales.read_survey(write(tmp_path, "sm.csv", lines))


# ---------------------------------------------------------------- Dutch spreadsheets


DUTCH = 'id;lengte;score;naam\n1;1,75;3;Jan\n2;1,80;4;Piet, Klaas\n3;-0,5;2;"a;b"\n'


def test_dutch_semicolons_and_decimal_commas(tmp_path):
    path = tmp_path / "nl.csv"
    path.write_text("lengte;gewicht\n1,75;70,5\n1,80;80\n1,62;55,25\n", encoding="utf-8")
    raw = peoscales.read_survey(path)
    assert raw.data.shape == (3, 2)
    assert raw.data["lengte"].tolist() == [1.75, 1.80, 1.62]
    assert raw.data["gewicht"].tolist() == [70.5, 80.0, 55.25]
    path.write_text(DUTCH, encoding="utf-8")
    raw = peoscales.read_survey(path)
    assert raw.data["lengte"].tolist() == [1.75, 1.80, -0.5]
    assert raw.data["naam"].tolist() == ["Jan", "Piet, Klaas", "a;b"]


def test_separator_and_decimal_can_be_given(tmp_path):
    path = tmp_path / "nl.txt"
    path.write_text("a|b\n1,5|x\n2|y\n", encoding="utf-8")
    raw = peoscales.read_survey(path, format="csv", sep="|", decimal=",")
    assert raw.data["a"].tolist() == [1.5, 2.0]
    raw = peoscales.read_survey(path, format="csv", sep="|", decimal=".")
    assert raw.data["a"].tolist() == ["1,5", "2"]
    with pytest.raises(ParameterError, match="decimal"):
        peoscales.read_survey(path, decimal=";")
    with pytest.raises(ParameterError, match="sep"):
        peoscales.read_survey(path, sep=";;")


def test_separator_that_cannot_be_told_apart(tmp_path):
    path = tmp_path / "amb.csv"
    path.write_text("Vraag 1, deel a;Vraag 2\nja, zeker;nee\n", encoding="utf-8")
    with pytest.raises(SurveyFormatError, match=r"cannot tell.*separator.*sep=") as info:
        peoscales.read_survey(path)
    assert "header" not in str(info.value).split("sep=")[0].split("cannot")[0]
    raw = peoscales.read_survey(path, sep=";")
    assert list(raw.data.columns) == ["Vraag 1, deel a", "Vraag 2"]
    with pytest.raises(SurveyFormatError, match=r"cannot tell.*separator"):
        peoscales.read_survey(path, format="surveymonkey")


def test_cli_score_reads_a_dutch_csv(tmp_path):
    path = tmp_path / "brs.csv"
    items = [f"brs_{i}" for i in range(1, 7)]
    lines = [";".join(["id", *items])]
    for r in range(1, 6):
        lines.append(";".join([str(r), *[str((r + i) % 5 + 1) for i in range(6)]]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["score", str(path), "-i", "brs", "-o", str(out)]) == 0
    scores = pd.read_csv(out)
    assert len(scores) == 5


def test_cli_score_refuses_a_ragged_csv(tmp_path, capsys):
    path = tmp_path / "brs.csv"
    items = [f"brs_{i}" for i in range(1, 7)]
    lines = [",".join(items)] + [",".join(["3"] * 6)] * 3 + [",".join(["3"] * 4)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["score", str(path), "-i", "brs", "-o", str(out)]) != 0
    err = capsys.readouterr().err
    assert "line 5" in err and not out.exists()


def test_cli_score_on_a_binary_file(tmp_path, capsys):
    path = tmp_path / "data.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100))
    assert main(["score", str(path), "-i", "brs", "-o", str(tmp_path / "o.csv")]) != 0
    assert "binary file" in capsys.readouterr().err


def test_no_warning_on_a_clean_file(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        peoscales.read_survey(write(tmp_path, "ok.csv", [HEADER, *rows(3)]))
