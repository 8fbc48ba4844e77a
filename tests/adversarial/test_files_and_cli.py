"""Hostile files and command lines: the catalogue's part for the readers and the CLI.

Every case writes its files into a fresh folder, then reads them with a public reader
(``read_survey``, ``load_instrument``, ``register_instrument``, the dask readers) or runs
the command line in-process. ``Handled`` cases check the result against what was
written; ``Refused`` cases must raise the named peoscales error naming the file (or
line, column, field, and the values at fault), or ``FileNotFoundError`` naming the path
that names no file. A command line that refuses exits with status 1 or 2 and a one-
line message through peoscales' own errors (never a bare ``ValueError: ...``), and never
writes over an input.
"""

from __future__ import annotations

import csv
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import peoscales
from peoscales import errors as E
from peoscales._cli import main


@dataclass(frozen=True)
class Handled:
    check: Callable[[Any, Path], None]
    warns: tuple[type[Warning], ...] = ()


@dataclass(frozen=True)
class Refused:
    #: A peoscales error, or FileNotFoundError for a path that names no file (as
    #: Python's own readers raise it).
    error: type[E.PeoscalesError] | type[FileNotFoundError]
    match: str


@dataclass(frozen=True)
class Exits:
    """The command line ends with ``status``; stderr matches; ``check`` (if any) holds."""

    status: int
    match: str = ""
    check: Callable[[Path], None] | None = None


@dataclass(frozen=True)
class Case:
    id: str
    area: str
    files: Callable[[Path], None]
    call: Callable[[Path], Any]
    expect: Handled | Refused | Exits


# --- file makers ------------------------------------------------------------------------


def write(name: str, text: str | bytes, encoding: str = "utf-8") -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        path = folder / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding=encoding, newline="")

    return make


def both(*makers: Callable[[Path], None]) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        for m in makers:
            m(folder)

    return make


def rows_csv(rows: list[list[str]], sep: str = ",") -> str:
    from io import StringIO

    out = StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


PLAIN = "id,q1,q2\nr1,1,2\nr2,3,4\nr3,5,6\n"
BRS = peoscales.simulate("brs", 12, seed=4).assign(id=[f"r{i}" for i in range(12)])


def brs_csv(
    name: str = "answers.csv", frame: pd.DataFrame = BRS, **kw: Any
) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        frame.to_csv(folder / name, index=False, **kw)

    return make


def brs_xlsx(name: str = "answers.xlsx") -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        BRS.to_excel(folder / name, index=False)

    return make


def survey_monkey(answer: str) -> str:
    return rows_csv(
        [
            ["Respondent ID", "Collector ID", "Hoe gaat het?", "Toelichting"],
            ["", "", "Response", "Open-Ended Response"],
            ["1", "9", "goed", answer],
            ["2", "9", "slecht", "niets"],
        ]
    )


def qualtrics(answer: str) -> str:
    return rows_csv(
        [
            ["StartDate", "ResponseId", "Q1", "Q2_TEXT"],
            ["Start Date", "Response ID", "Hoe gaat het?", "Toelichting"],
            [
                '{"ImportId":"startDate"}',
                '{"ImportId":"_recordId"}',
                '{"ImportId":"QID1"}',
                '{"ImportId":"QID2_TEXT"}',
            ],
            ["2024-01-01", "R_1", "goed", answer],
            ["2024-01-02", "R_2", "slecht", "niets"],
        ]
    )


def read(name: str, **kw: Any) -> Callable[[Path], Any]:
    return lambda folder: peoscales.read_survey(folder / name, **kw)


#: Answer codes as read_csv_dask reads them: numbers only, one row with a missing answer.
CODES = "id,q1,q2\n1,1,2\n2,3,4\n3,,6\n"


def dask_read(pattern: str, **kw: Any) -> Callable[[Path], Any]:
    """Read the files with read_csv_dask and compute (errors in the blocks surface then)."""
    return lambda folder: peoscales.read_csv_dask(folder / pattern, **kw).compute()


def parquet(name: str, columns: dict[str, Any], **kw: Any) -> Callable[[Path], None]:
    """Write ``columns`` (lists or pyarrow arrays) as a Parquet file; ``kw`` are
    pyarrow's write options (``write_statistics=False``, ``row_group_size=2``)."""

    def make(folder: Path) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.table(columns), folder / name, **kw)

    return make


def pandas_parquet(name: str, frame: pd.DataFrame) -> Callable[[Path], None]:
    """Write a frame as pandas does, its index included."""
    return lambda folder: frame.to_parquet(folder / name)


def parquet_read(pattern: str, **kw: Any) -> Callable[[Path], Any]:
    """Read the files with read_parquet_dask and compute."""
    return lambda folder: peoscales.read_parquet_dask(folder / pattern, **kw).compute()


def _codes_are(
    columns: dict[str, list[float]], rows: list[Any], dtype: str = "float32"
) -> Callable[[Any, Path], None]:
    def check(result: Any, folder: Path) -> None:
        expected = pd.DataFrame(columns, dtype=dtype)
        expected.index = pd.Index(rows, dtype="int64")
        pd.testing.assert_frame_equal(result, expected, check_names=False, check_index_type=False)

    return check


def cli(*args: str) -> Callable[[Path], Any]:
    """Run the command line in ``folder`` (paths relative to it)."""

    def run(folder: Path) -> Any:
        argv = [str(folder / a[1:]) if a.startswith("@") else a for a in args]
        return main(argv)

    return run


def _frame_is(expected: pd.DataFrame) -> Callable[[Any, Path], None]:
    def check(result: Any, folder: Path) -> None:
        got = result.data.reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_names=False)

    return check


def _scores_file_right(name: str) -> Callable[[Path], None]:
    def check(folder: Path) -> None:
        path = folder / name
        got = pd.read_excel(path) if path.suffix == ".xlsx" else pd.read_csv(path)
        expected = peoscales.score(BRS.set_index("id"), "brs")
        np.testing.assert_allclose(got["brs"].to_numpy(), expected["brs"].to_numpy(), rtol=1e-9)

    return check


def _unchanged(name: str, content: str) -> Callable[[Path], None]:
    def check(folder: Path) -> None:
        assert (folder / name).read_text(encoding="utf-8") == content

    return check


# A definition file: the smallest valid instrument, and ways to spoil it.
TOML = """\
name = "mini"
title = "Mini scale"
citation = "Nobody (2026). Unpublished."
licence = "CC BY 4.0"

[key]
source = "Made up for a test"
status = "verified"

[response_scales.agree]
kind = "likert"
min = 1
max = 5
options = [
  { code = 1, nl = "oneens", en = "disagree" },
  { code = 2, nl = "beetje oneens", en = "somewhat disagree" },
  { code = 3, nl = "neutraal", en = "neutral" },
  { code = 4, nl = "beetje eens", en = "somewhat agree" },
  { code = 5, nl = "eens", en = "agree" },
]

[scales.mini]
en = "Mini"
response_scale = "agree"
min_valid = 1
reverse = ["mini_2"]

[[scales.mini.items]]
id = "mini_1"
number = 1
en = "One"

[[scales.mini.items]]
id = "mini_2"
number = 2
en = "Two"
"""


def spoiled(old: str, new: str) -> Callable[[Path], None]:
    assert old in TOML
    return write("mini.toml", TOML.replace(old, new, 1))


CASES: list[Case] = [
    # read_survey: plain CSV -------------------------------------------------------------
    Case(
        "plain csv",
        "read_survey",
        write("a.csv", PLAIN),
        read("a.csv"),
        Handled(lambda r, f: None if r.n == 3 else pytest.fail(str(r.n))),
    ),
    Case(
        "unclosed quote",
        "read_survey",
        write("a.csv", 'id,q1\nr1,"open\nr2,2\nr3,3\n'),
        read("a.csv"),
        Refused(E.SurveyFormatError, r"a\.csv.*line"),
    ),
    Case(
        "row with an extra cell",
        "read_survey",
        write("a.csv", "id,q1\nr1,1\nr2,2,9\n"),
        read("a.csv"),
        Refused(E.SurveyFormatError, r"a\.csv.*line 3"),
    ),
    Case(
        "row cut short",
        "read_survey",
        write("a.csv", "id,q1,q2\nr1,1,2\nr2\n"),
        read("a.csv"),
        Refused(E.SurveyFormatError, r"a\.csv.*line 3"),
    ),
    Case(
        "bad lines skipped are counted",
        "read_survey",
        write("a.csv", "id,q1\nr1,1\nr2,2,9\nr3,3\n"),
        read("a.csv", on_bad_lines="skip"),
        Handled(
            lambda r, f: (
                None if (r.n, r.n_excluded) == (2, 1) else pytest.fail(f"{r.n} {r.n_excluded}")
            ),
            warns=(E.SkippedLinesWarning,),
        ),
    ),
    Case(
        "unknown on_bad_lines",
        "read_survey",
        write("a.csv", PLAIN),
        read("a.csv", on_bad_lines="warn"),
        Refused(E.ParameterError, r"on_bad_lines"),
    ),
    Case(
        "empty file",
        "read_survey",
        write("a.csv", ""),
        read("a.csv"),
        Refused(E.SurveyFormatError, r"a\.csv"),
    ),
    Case(
        "header only",
        "read_survey",
        write("a.csv", "id,q1\n"),
        read("a.csv"),
        Refused(E.SurveyFormatError, r"a\.csv"),
    ),
    Case(
        "only blank lines",
        "read_survey",
        write("a.csv", "\n\n\n"),
        read("a.csv"),
        Refused(E.SurveyFormatError, r"a\.csv"),
    ),
    Case(
        "binary file",
        "read_survey",
        write("a.csv", bytes(range(256)) * 4),
        read("a.csv"),
        Refused(E.SurveyFormatError, r"a\.csv"),
    ),
    Case(
        "zip file named csv",
        "read_survey",
        write("a.csv", b"PK\x03\x04" + b"\x00" * 60),
        read("a.csv"),
        Refused(E.SurveyFormatError, r"a\.csv"),
    ),
    Case(
        "folder instead of file",
        "read_survey",
        lambda f: (f / "d.csv").mkdir(),
        read("d.csv"),
        Refused(E.SurveyFormatError, r"d\.csv"),
    ),
    Case(
        "file that is not there",
        "read_survey",
        lambda f: None,
        read("none.csv"),
        Refused(E.SurveyFormatError, r"none\.csv"),
    ),
    Case(
        "unknown format",
        "read_survey",
        write("a.csv", PLAIN),
        read("a.csv", format="spsss"),
        Refused(E.ParameterError, r"format.*'spsss'"),
    ),
    Case(
        "unknown extension",
        "read_survey",
        write("a.txtx", PLAIN),
        read("a.txtx"),
        Refused(E.SurveyFormatError, r"a\.txtx"),
    ),
    Case(
        "latin-1 file read as utf-8",
        "read_survey",
        write("a.csv", "id,vraag\nr1,café\n", encoding="latin-1"),
        read("a.csv"),
        Refused(E.SurveyFormatError, r"a\.csv.*encoding"),
    ),
    Case(
        "latin-1 file with encoding given",
        "read_survey",
        write("a.csv", "id,vraag\nr1,café\n", encoding="latin-1"),
        read("a.csv", encoding="latin-1"),
        Handled(lambda r, f: None if r.data.iloc[0, -1] == "café" else pytest.fail(repr(r.data))),
    ),
    Case(
        "unknown encoding name",
        "read_survey",
        write("a.csv", PLAIN),
        read("a.csv", encoding="utf-9"),
        Refused(E.ParameterError, r"encoding='utf-9'"),
    ),
    Case(
        "byte-order mark",
        "read_survey",
        write("a.csv", "\ufeff" + PLAIN),
        read("a.csv"),
        Handled(
            lambda r, f: (
                None
                if "id" in [*r.data.columns, r.data.index.name]
                else pytest.fail(str(r.data.columns))
            )
        ),
    ),
    Case(
        "duplicated header",
        "read_survey",
        write("a.csv", "id,q1,q1\nr1,1,2\n"),
        read("a.csv"),
        Refused(E.DuplicateColumnsError, r"q1"),
    ),
    Case(
        "CRLF line ends",
        "read_survey",
        write("a.csv", PLAIN.replace("\n", "\r\n")),
        read("a.csv"),
        Handled(lambda r, f: None if r.n == 3 else pytest.fail(str(r.n))),
    ),
    Case(
        "Dutch semicolons and decimal commas",
        "read_survey",
        write("a.csv", "id;score\nr1;1,5\nr2;2,25\nr3;3\n"),
        read("a.csv"),
        Handled(
            lambda r, f: np.testing.assert_allclose(r.data["score"].to_numpy(float), [1.5, 2.25, 3])
        ),
    ),
    Case(
        "separator cannot be told",
        "read_survey",
        write("a.csv", "a;b,c\n1;2,3\n"),
        read("a.csv"),
        Refused(E.SurveyFormatError, r"a\.csv.*sep"),
    ),
    Case(
        "unknown separator given",
        "read_survey",
        write("a.csv", PLAIN),
        read("a.csv", sep="||"),
        Refused(E.ParameterError, r"sep"),
    ),
    Case(
        "quotes, commas and newlines inside answers",
        "read_survey",
        write(
            "a.csv", rows_csv([["id", "txt"], ["r1", 'zei "ja", toen\nnee; klaar'], ["r2", "x"]])
        ),
        read("a.csv"),
        Handled(
            lambda r, f: (
                None
                if r.data["txt"].tolist() == ['zei "ja", toen\nnee; klaar', "x"]
                else pytest.fail(repr(r.data))
            )
        ),
    ),
    Case(
        "formula-like answers kept as text",
        "read_survey",
        write("a.csv", rows_csv([["id", "txt"], ["r1", "=1+1"], ["r2", "@SUM(A1)"]])),
        read("a.csv"),
        Handled(
            lambda r, f: (
                None
                if r.data["txt"].tolist() == ["=1+1", "@SUM(A1)"]
                else pytest.fail(repr(r.data))
            )
        ),
    ),
    # read_survey: survey exports --------------------------------------------------------
    Case(
        "SurveyMonkey with hostile answer",
        "read_survey",
        write("sm.csv", survey_monkey('a "b", c\nd; e')),
        read("sm.csv", format="surveymonkey"),
        Handled(
            lambda r, f: (
                None if r.data.iloc[0, -1] == 'a "b", c\nd; e' else pytest.fail(repr(r.data))
            )
        ),
    ),
    Case(
        "SurveyMonkey without second header",
        "read_survey",
        write("sm.csv", "Respondent ID,Collector ID,Vraag\n"),
        read("sm.csv", format="surveymonkey"),
        Refused(E.SurveyFormatError, r"sm\.csv"),
    ),
    Case(
        "SurveyMonkey ragged row",
        "read_survey",
        write("sm.csv", survey_monkey("x") + "3,9,goed,x,extra\n"),
        read("sm.csv", format="surveymonkey"),
        Refused(E.SurveyFormatError, r"sm\.csv.*line 5"),
    ),
    Case(
        "Qualtrics with hostile answer",
        "read_survey",
        write("q.csv", qualtrics('a "b", c\nd; e')),
        read("q.csv", format="qualtrics"),
        Handled(
            lambda r, f: (
                None if r.data["Q2_TEXT"].iloc[0] == 'a "b", c\nd; e' else pytest.fail(repr(r.data))
            )
        ),
    ),
    Case(
        "Qualtrics with two header rows only",
        "read_survey",
        write("q.csv", rows_csv([["StartDate", "Q1"], ["Start", "Vraag"]])),
        read("q.csv", format="qualtrics"),
        Refused(E.SurveyFormatError, r"q\.csv"),
    ),
    Case(
        "Qualtrics duplicated question id",
        "read_survey",
        write(
            "q.csv",
            rows_csv(
                [
                    ["ResponseId", "Q1", "Q1"],
                    ["Response ID", "A", "B"],
                    ['{"ImportId":"_recordId"}', '{"ImportId":"QID1"}', '{"ImportId":"QID1"}'],
                    ["R_1", "x", "y"],
                ]
            ),
        ),
        read("q.csv", format="qualtrics"),
        Refused(E.DuplicateColumnsError, r"Q1"),
    ),
    Case(
        "Excel file",
        "read_survey",
        brs_xlsx(),
        read("answers.xlsx"),
        Handled(lambda r, f: None if r.n == 12 else pytest.fail(str(r.n))),
    ),
    Case(
        "Excel sheet that is not there",
        "read_survey",
        brs_xlsx(),
        read("answers.xlsx", sheet="Blad9"),
        Refused(E.SurveyFormatError, r"answers\.xlsx.*'Blad9'"),
    ),
    Case(
        "text file named xlsx",
        "read_survey",
        write("a.xlsx", PLAIN),
        read("a.xlsx"),
        Refused(E.SurveyFormatError, r"a\.xlsx"),
    ),
    # read_csv_dask: folders of answer codes ----------------------------------------------
    Case(
        "files of one layout",
        "read_csv_dask",
        both(write("a.csv", CODES), write("b.csv", "q2,id,q1\n9,4,7\n")),
        dask_read("*.csv"),
        Handled(
            _codes_are(
                {"id": [1.0, 2, 3, 4], "q1": [1.0, 3, np.nan, 7], "q2": [2.0, 4, 6, 9]},
                [0, 1, 2, 3],
            )
        ),
    ),
    Case(
        "file of another layout",
        "read_csv_dask",
        both(write("a.csv", CODES), write("b.csv", "id,q1,q3\n4,1,2\n")),
        dask_read("*.csv"),
        Refused(E.MissingColumnsError, r"b\.csv' has no column\(s\) 'q2'.*its columns: 'id'"),
    ),
    Case(
        "file of another layout without the columns read",
        "read_csv_dask",
        both(write("a.csv", CODES), write("b.csv", "id,q1,q3\n4,1,2\n")),
        dask_read("*.csv", columns=["q1"]),
        Handled(_codes_are({"q1": [1.0, 3, np.nan, 1]}, [0, 1, 2, 3])),
    ),
    Case(
        "text in a number column",
        "read_csv_dask",
        write("a.csv", CODES.replace("3,,6", "3,veel,6")),
        dask_read("a.csv"),
        Refused(E.DataTypeError, r"a\.csv.*column\(s\) 'q1' \(e\.g\. 'veel' in rows 2\)"),
    ),
    Case(
        "text in a number column of the second file",
        "read_csv_dask",
        both(write("a.csv", CODES), write("b.csv", "id,q1,q2\n4,1,2\n5,2,geen\n")),
        dask_read("*.csv"),
        Refused(E.DataTypeError, r"b\.csv.*'q2' \(e\.g\. 'geen' in rows 4\)"),
    ),
    Case(
        "text in a number column, rows by id",
        "read_csv_dask",
        write("a.csv", CODES.replace("3,,6", "3,veel,6")),
        dask_read("a.csv", index="id"),
        Refused(E.DataTypeError, r"a\.csv.*'q1' \(e\.g\. 'veel' in rows 3\)"),
    ),
    Case(
        "decimal commas",
        "read_csv_dask",
        write("a.csv", "id;q1\n1;1,5\n2;2\n"),
        dask_read("a.csv", sep=";"),
        Refused(E.DataTypeError, r"a\.csv.*'q1' \(e\.g\. '1,5' in rows 0\)"),
    ),
    Case(
        "number beyond float32",
        "read_csv_dask",
        write("a.csv", CODES.replace("3,,6", "3,1e39,6")),
        dask_read("a.csv"),
        Refused(
            E.DataTypeError, r"a\.csv.*float32 in column\(s\) 'q1' \(e\.g\. 1e\+39 in rows 2\)"
        ),
    ),
    Case(
        "number beyond float32, read as float64",
        "read_csv_dask",
        write("a.csv", CODES.replace("3,,6", "3,1e39,6")),
        dask_read("a.csv", dtype="float64"),
        Handled(
            _codes_are(
                {"id": [1.0, 2, 3], "q1": [1, 3, 1e39], "q2": [2.0, 4, 6]}, [0, 1, 2], "float64"
            )
        ),
    ),
    Case(
        "inf written in the file",
        "read_csv_dask",
        write("a.csv", CODES.replace("3,,6", "3,-inf,6")),
        dask_read("a.csv"),
        Handled(
            _codes_are({"id": [1.0, 2, 3], "q1": [1, 3, -np.inf], "q2": [2.0, 4, 6]}, [0, 1, 2])
        ),
    ),
    Case(
        "line with an extra field",
        "read_csv_dask",
        write("a.csv", CODES + "4,1,2,3\n"),
        dask_read("a.csv"),
        Refused(E.DataTypeError, r"a\.csv.*Expected 3 columns, got 4.*as many fields"),
    ),
    Case(
        "line cut short",
        "read_csv_dask",
        write("a.csv", CODES + "4\n"),
        dask_read("a.csv"),
        Refused(E.DataTypeError, r"a\.csv.*Expected 3 columns, got 1.*as many fields"),
    ),
    Case(
        "blank line between rows",
        "read_csv_dask",
        write("a.csv", "id,q1\n1,2\n\n2,3\n"),
        dask_read("a.csv"),
        Refused(E.DataTypeError, r"a\.csv.*2 rows read where the file has 3 lines.*index="),
    ),
    Case(
        "blank line at the end",
        "read_csv_dask",
        write("a.csv", "id,q1\n1,2\n2,3\n\n"),
        dask_read("a.csv"),
        Refused(E.DataTypeError, r"a\.csv.*2 rows read where the file has 3 lines.*index="),
    ),
    Case(
        "blank lines, rows by id",
        "read_csv_dask",
        write("a.csv", "id,q1\n1,2\n\n2,3\n\n"),
        dask_read("a.csv", index="id"),
        Handled(_codes_are({"q1": [2.0, 3]}, [1, 2])),
    ),
    Case(
        "blank first line",
        "read_csv_dask",
        write("a.csv", "\n" + CODES),
        dask_read("a.csv"),
        Refused(E.DataTypeError, r"a\.csv' is empty or starts with a blank line"),
    ),
    Case(
        "empty file among others",
        "read_csv_dask",
        both(write("a.csv", CODES), write("b.csv", "")),
        dask_read("*.csv"),
        Refused(E.DataTypeError, r"b\.csv' is empty or starts with a blank line"),
    ),
    Case(
        "header only",
        "read_csv_dask",
        write("a.csv", "id,q1\n"),
        dask_read("a.csv"),
        Handled(_codes_are({"id": [], "q1": []}, [])),
    ),
    Case(
        "byte-order mark",
        "read_csv_dask",
        write("a.csv", "\ufeff" + CODES),
        dask_read("a.csv", columns=["id"]),
        Handled(_codes_are({"id": [1.0, 2, 3]}, [0, 1, 2])),
    ),
    Case(
        "header that is not utf-8",
        "read_csv_dask",
        write("a.csv", "id,café\n1,2\n", encoding="latin-1"),
        dask_read("a.csv"),
        Refused(
            E.DataTypeError, r"a\.csv.*not utf-8 text.*at byte 6: b'\\xe9\\n'.*encoding='latin-1'"
        ),
    ),
    Case(
        "duplicated header",
        "read_csv_dask",
        write("a.csv", "id,q1,q1\n1,2,3\n"),
        dask_read("a.csv"),
        Refused(E.DuplicateColumnsError, r"a\.csv' has more than one column named 'q1';"),
    ),
    Case(
        "file that is not there",
        "read_csv_dask",
        lambda f: None,
        dask_read("none.csv"),
        Refused(FileNotFoundError, r"none\.csv' matches no file"),
    ),
    Case(
        "pattern that matches nothing",
        "read_csv_dask",
        write("a.txt", CODES),
        dask_read("*.csv"),
        Refused(FileNotFoundError, r"\*\.csv' matches no file"),
    ),
    Case(
        "folder as path",
        "read_csv_dask",
        lambda f: (f / "waves").mkdir(),
        dask_read("waves"),
        Refused(FileNotFoundError, r"waves' is a folder.*waves/\*\.csv"),
    ),
    Case(
        "folder the pattern matches",
        "read_csv_dask",
        both(write("a.csv", CODES), lambda f: (f / "old.csv").mkdir()),
        dask_read("*.csv", columns=["q2"]),
        Handled(_codes_are({"q2": [2.0, 4, 6]}, [0, 1, 2])),
    ),
    Case(
        "empty list of paths",
        "read_csv_dask",
        lambda f: None,
        lambda f: peoscales.read_csv_dask([]),
        Refused(E.ParameterError, r"path is an empty list"),
    ),
    Case(
        "path of another type",
        "read_csv_dask",
        lambda f: None,
        lambda f: peoscales.read_csv_dask(3),
        Refused(E.ParameterError, r"path must be a file name, a pattern or a list.*got 3"),
    ),
    Case(
        "columns as one string",
        "read_csv_dask",
        write("a.csv", CODES),
        dask_read("a.csv", columns="q1"),
        Refused(E.ParameterError, r"got the string 'q1'; write columns=\['q1'\]"),
    ),
    Case(
        "columns naming an absent column",
        "read_csv_dask",
        write("a.csv", CODES),
        dask_read("a.csv", columns=["q1", "q9"]),
        Refused(E.MissingColumnsError, r"a\.csv' has no column\(s\) 'q9'"),
    ),
    Case(
        "columns empty",
        "read_csv_dask",
        write("a.csv", CODES),
        dask_read("a.csv", columns=[]),
        Refused(E.ParameterError, r"columns must be a non-empty list.*got \[\]"),
    ),
    Case(
        "columns naming one twice",
        "read_csv_dask",
        write("a.csv", CODES),
        dask_read("a.csv", columns=["q1", "q2", "q1"]),
        Refused(E.ParameterError, r"columns names 'q1' more than once"),
    ),
    Case(
        "columns naming the index",
        "read_csv_dask",
        write("a.csv", CODES),
        dask_read("a.csv", columns=["id", "q1"], index="id"),
        Refused(E.ParameterError, r"columns names 'id', which is index="),
    ),
    Case(
        "index that is no column",
        "read_csv_dask",
        write("a.csv", CODES),
        dask_read("a.csv", index="ID"),
        Refused(E.MissingColumnsError, r"index='ID' is not a column of file '.*a\.csv'"),
    ),
    Case(
        "index of two columns",
        "read_csv_dask",
        write("a.csv", CODES),
        dask_read("a.csv", index=["id", "q1"]),
        Refused(E.ParameterError, r"index must be the name of one column, got \['id', 'q1'\]"),
    ),
    Case(
        "unknown encoding",
        "read_csv_dask",
        write("a.csv", CODES),
        dask_read("a.csv", encoding="utf-9"),
        Refused(E.ParameterError, r"encoding='utf-9'"),
    ),
    Case(
        "unknown dtype",
        "read_csv_dask",
        write("a.csv", CODES),
        dask_read("a.csv", dtype="int8"),
        Refused(E.ParameterError, r"dtype must be one of .*got 'int8'"),
    ),
    Case(
        "blocksize of text",
        "read_csv_dask",
        write("a.csv", CODES),
        dask_read("a.csv", blocksize="lots"),
        Refused(E.ParameterError, r"blocksize .*got 'lots'"),
    ),
    Case(
        "separator of two characters",
        "read_csv_dask",
        write("a.csv", CODES),
        dask_read("a.csv", sep=";;"),
        Refused(E.ParameterError, r"sep must be one character, got ';;'"),
    ),
    # read_parquet_dask: Parquet files of answer codes -------------------------------------
    Case(
        "Parquet files of one layout",
        "read_parquet_dask",
        both(
            parquet("a.parquet", {"q1": [1, 3, None], "q2": [2, 4, 6]}),
            parquet("b.parquet", {"q2": [9], "q1": [7]}),
        ),
        parquet_read("*.parquet", columns=["q1", "q2"]),
        Handled(_codes_are({"q1": [1.0, 3, np.nan, 7], "q2": [2.0, 4, 6, 9]}, [0, 1, 2, 3])),
    ),
    Case(
        "Parquet file of another layout",
        "read_parquet_dask",
        both(parquet("a.parquet", {"q1": [1], "q2": [2]}), parquet("b.parquet", {"q1": [1]})),
        parquet_read("*.parquet"),
        Refused(E.MissingColumnsError, r"b\.parquet' has no column\(s\) 'q2'"),
    ),
    Case(
        "Parquet text column",
        "read_parquet_dask",
        parquet("a.parquet", {"team": ["a", "b"], "q1": [1, 2]}),
        parquet_read("a.parquet"),
        Refused(E.DataTypeError, r"a\.parquet': column\(s\) 'team' \(string\) do not hold numbers"),
    ),
    Case(
        "CSV text named .parquet",
        "read_parquet_dask",
        write("a.parquet", CODES),
        parquet_read("a.parquet"),
        Refused(E.DataTypeError, r"a\.parquet' cannot be read as Parquet"),
    ),
    Case(
        "Parquet ids beyond float32",
        "read_parquet_dask",
        parquet("a.parquet", {"id": [1, 123456789]}),
        parquet_read("a.parquet"),
        Refused(E.DataTypeError, r"'id' holds numbers float32 cannot hold.*dtype='float64'"),
    ),
    Case(
        "Parquet yes/no as True/False",
        "read_parquet_dask",
        parquet("a.parquet", {"yes": [True, None, False]}),
        parquet_read("a.parquet"),
        Handled(_codes_are({"yes": [1.0, np.nan, 0.0]}, [0, 1, 2])),
    ),
    Case(
        "Parquet ids beyond float32, no statistics",
        "read_parquet_dask",
        parquet("a.parquet", {"id": [1, 123456789]}, write_statistics=False),
        parquet_read("a.parquet"),
        Refused(E.DataTypeError, r"row group 0: column 'id' holds numbers float32 cannot hold"),
    ),
    Case(
        "Parquet rounded number between exact ends",
        "read_parquet_dask",
        parquet("a.parquet", {"x": [2**25, 2**24 + 3, 2**26]}),
        parquet_read("a.parquet"),
        Refused(E.DataTypeError, r"'x' holds numbers float32 cannot hold \(e\.g\. 16777219\)"),
    ),
    Case(
        "Parquet whole numbers beyond 2**53 as float64",
        "read_parquet_dask",
        parquet("a.parquet", {"id": [1, 2**53 + 1]}),
        parquet_read("a.parquet", dtype="float64"),
        Refused(E.DataTypeError, r"'id' holds numbers float64 cannot hold.*no float type holds"),
    ),
    Case(
        "Parquet decimals beyond float32's range",
        "read_parquet_dask",
        parquet("a.parquet", {"x": [1.5, None, -1e39]}),
        parquet_read("a.parquet"),
        Refused(E.DataTypeError, r"'x' holds numbers float32 cannot hold \(e\.g\. -1e\+39\)"),
    ),
    Case(
        "Parquet infinite decimals",
        "read_parquet_dask",
        parquet("a.parquet", {"x": [np.inf, 2.5, -np.inf]}),
        parquet_read("a.parquet"),
        Handled(_codes_are({"x": [np.inf, 2.5, -np.inf]}, [0, 1, 2])),
    ),
    Case(
        "Parquet nullable integers from pandas",
        "read_parquet_dask",
        pandas_parquet("a.parquet", pd.DataFrame({"q1": pd.array([5, None, 1], dtype="Int64")})),
        parquet_read("a.parquet"),
        Handled(_codes_are({"q1": [5.0, np.nan, 1.0]}, [0, 1, 2])),
    ),
    Case(
        "Parquet of a filtered frame (its index stored)",
        "read_parquet_dask",
        pandas_parquet("a.parquet", pd.DataFrame({"q1": [1, 2, 3, 4]}).iloc[[0, 2, 3]]),
        parquet_read("a.parquet"),
        Handled(_codes_are({"q1": [1.0, 3.0, 4.0]}, [0, 1, 2])),
    ),
    Case(
        "Parquet categories",
        "read_parquet_dask",
        pandas_parquet(
            "a.parquet", pd.DataFrame({"team": pd.Categorical(["a", "b"]), "q1": [1, 2]})
        ),
        parquet_read("a.parquet"),
        Refused(E.DataTypeError, r"'team' \(dictionary<values=string.*do not hold numbers"),
    ),
    Case(
        "Parquet dates",
        "read_parquet_dask",
        pandas_parquet("a.parquet", pd.DataFrame({"when": pd.to_datetime(["2024-01-02"] * 2)})),
        parquet_read("a.parquet"),
        Refused(E.DataTypeError, r"'when' \(timestamp\[.*\]\) do not hold numbers"),
    ),
    Case(
        "Parquet files without rows",
        "read_parquet_dask",
        both(
            pandas_parquet("a.parquet", pd.DataFrame({"q1": pd.Series([], dtype="int8")})),
            pandas_parquet("b.parquet", pd.DataFrame({"q1": pd.Series([], dtype="int8")})),
        ),
        parquet_read("*.parquet"),
        Handled(_codes_are({"q1": []}, [])),
    ),
    Case(
        "Parquet folder holding other files",
        "read_parquet_dask",
        both(parquet("a.parquet", {"q1": [1, 2]}), write("notes.csv", CODES)),
        lambda folder: peoscales.read_parquet_dask(folder).compute(),
        Handled(_codes_are({"q1": [1.0, 2.0]}, [0, 1])),
    ),
    # definition files -------------------------------------------------------------------
    Case(
        "valid definition",
        "load_instrument",
        write("mini.toml", TOML),
        lambda f: peoscales.load_instrument(f / "mini.toml"),
        Handled(
            lambda r, f: (
                None if list(r.items) == ["mini_1", "mini_2"] else pytest.fail(str(list(r.items)))
            )
        ),
    ),
    Case(
        "id with a trailing newline",
        "load_instrument",
        spoiled('id = "mini_1"', 'id = "mini_1\\n"'),
        lambda f: peoscales.load_instrument(f / "mini.toml"),
        Refused(E.DefinitionError, r"mini\.toml.*id"),
    ),
    Case(
        "infinite maximum",
        "load_instrument",
        spoiled("max = 5", "max = inf"),
        lambda f: peoscales.load_instrument(f / "mini.toml"),
        Refused(E.DefinitionError, r"mini\.toml"),
    ),
    Case(
        "NaN code",
        "load_instrument",
        spoiled("{ code = 2,", "{ code = nan,"),
        lambda f: peoscales.load_instrument(f / "mini.toml"),
        Refused(E.DefinitionError, r"mini\.toml"),
    ),
    Case(
        "reverse naming an unknown item",
        "load_instrument",
        spoiled('reverse = ["mini_2"]', 'reverse = ["mini_3"]'),
        lambda f: peoscales.load_instrument(f / "mini.toml"),
        Refused(E.DefinitionError, r"mini\.toml.*mini_3"),
    ),
    Case(
        "unknown response scale",
        "load_instrument",
        spoiled('response_scale = "agree"', 'response_scale = "agree4"'),
        lambda f: peoscales.load_instrument(f / "mini.toml"),
        Refused(E.DefinitionError, r"mini\.toml.*agree4"),
    ),
    Case(
        "duplicate option code",
        "load_instrument",
        spoiled("{ code = 2,", "{ code = 1,"),
        lambda f: peoscales.load_instrument(f / "mini.toml"),
        Refused(E.DefinitionError, r"mini\.toml"),
    ),
    Case(
        "missing name",
        "load_instrument",
        spoiled('name = "mini"\n', ""),
        lambda f: peoscales.load_instrument(f / "mini.toml"),
        Refused(E.DefinitionError, r"mini\.toml.*name"),
    ),
    Case(
        "name of the wrong type",
        "load_instrument",
        spoiled('name = "mini"', "name = 5"),
        lambda f: peoscales.load_instrument(f / "mini.toml"),
        Refused(E.DefinitionError, r"mini\.toml.*name"),
    ),
    Case(
        "broken TOML",
        "load_instrument",
        write("mini.toml", TOML + "\n[[items]\n"),
        lambda f: peoscales.load_instrument(f / "mini.toml"),
        Refused(E.DefinitionError, r"mini\.toml"),
    ),
    Case(
        "deeply nested TOML",
        "load_instrument",
        write("mini.toml", "x = " + "[" * 5000 + "]" * 5000 + "\n"),
        lambda f: peoscales.load_instrument(f / "mini.toml"),
        Refused(E.DefinitionError, r"mini\.toml"),
    ),
    Case(
        "binary definition",
        "load_instrument",
        write("mini.toml", b"\xff\xfe\x00bad"),
        lambda f: peoscales.load_instrument(f / "mini.toml"),
        Refused(E.DefinitionError, r"mini\.toml"),
    ),
    Case(
        "folder as definition",
        "load_instrument",
        lambda f: (f / "mini.toml").mkdir(),
        lambda f: peoscales.load_instrument(f / "mini.toml"),
        Refused(E.DefinitionError, r"mini\.toml"),
    ),
    Case(
        "definition not there",
        "load_instrument",
        lambda f: None,
        lambda f: peoscales.load_instrument(f / "none.toml"),
        Refused(E.DefinitionError, r"none\.toml"),
    ),
    Case(
        "register a folder",
        "register_instrument",
        lambda f: (f / "mini.toml").mkdir(),
        lambda f: peoscales.register_instrument(f / "mini.toml"),
        Refused(E.DefinitionError, r"mini\.toml"),
    ),
    Case(
        "register a spoiled file",
        "register_instrument",
        spoiled('id = "mini_2"', 'id = "mini 2!"'),
        lambda f: peoscales.register_instrument(f / "mini.toml"),
        Refused(E.DefinitionError, r"mini\.toml.*mini 2!"),
    ),
    # the command line -------------------------------------------------------------------
    Case(
        "score a csv",
        "cli",
        brs_csv(),
        cli("score", "@answers.csv", "-i", "brs", "--id", "id", "-o", "@s.csv"),
        Exits(0, check=_scores_file_right("s.csv")),
    ),
    Case(
        "score to xlsx",
        "cli",
        brs_csv(),
        cli("score", "@answers.csv", "-i", "brs", "--id", "id", "-o", "@s.xlsx"),
        Exits(0, check=_scores_file_right("s.xlsx")),
    ),
    Case(
        "output is the input",
        "cli",
        write("a.csv", PLAIN),
        cli("score", "@a.csv", "-i", "brs", "-o", "@a.csv"),
        Exits(2, r"a\.csv", _unchanged("a.csv", PLAIN)),
    ),
    Case(
        "output is the input, forced",
        "cli",
        write("a.csv", PLAIN),
        cli("score", "@a.csv", "-i", "brs", "-o", "@a.csv", "--force"),
        Exits(2, r"a\.csv", _unchanged("a.csv", PLAIN)),
    ),
    Case(
        "output exists",
        "cli",
        both(brs_csv(), write("s.csv", "keep\n")),
        cli("score", "@answers.csv", "-i", "brs", "--id", "id", "-o", "@s.csv"),
        Exits(2, r"s\.csv.*--force", _unchanged("s.csv", "keep\n")),
    ),
    Case(
        "output exists, forced",
        "cli",
        both(brs_csv(), write("s.csv", "keep\n")),
        cli("score", "@answers.csv", "-i", "brs", "--id", "id", "-o", "@s.csv", "--force"),
        Exits(0, check=_scores_file_right("s.csv")),
    ),
    Case(
        "report output is the input",
        "cli",
        write("a.csv", PLAIN),
        cli("report", "@a.csv", "-o", "@a.csv"),
        Exits(2, r"a\.csv", _unchanged("a.csv", PLAIN)),
    ),
    Case(
        "input not there",
        "cli",
        lambda f: None,
        cli("score", "@none.csv", "-i", "brs", "-o", "@s.csv"),
        Exits(1, r"none\.csv"),
    ),
    Case(
        "binary input",
        "cli",
        write("a.csv", bytes(range(256)) * 4),
        cli("score", "@a.csv", "-i", "brs", "-o", "@s.csv"),
        Exits(1, r"a\.csv"),
    ),
    Case(
        "ragged input",
        "cli",
        write("a.csv", "brs_1,brs_2\n1,2\n3,4,5\n"),
        cli("score", "@a.csv", "-i", "brs", "-o", "@s.csv"),
        Exits(1, r"a\.csv.*line 3"),
    ),
    Case(
        "unknown instrument",
        "cli",
        brs_csv(),
        cli("score", "@answers.csv", "-i", "brx", "-o", "@s.csv"),
        Exits(1, r"brx"),
    ),
    Case(
        "items missing",
        "cli",
        write("a.csv", PLAIN),
        cli("score", "@a.csv", "-i", "brs", "-o", "@s.csv"),
        Exits(1, r"brs_1"),
    ),
    Case(
        "unknown id column",
        "cli",
        brs_csv(),
        cli("score", "@answers.csv", "-i", "brs", "--id", "ID", "-o", "@s.csv"),
        Exits(1, r"'ID'"),
    ),
    Case(
        "unknown output type",
        "cli",
        brs_csv(),
        cli("score", "@answers.csv", "-i", "brs", "--id", "id", "-o", "@s.docx"),
        Exits(1, r"s\.docx.*\.csv"),
    ),
    Case(
        "min-valid of text",
        "cli",
        brs_csv(),
        cli("score", "@answers.csv", "-i", "brs", "--min-valid", "veel", "-o", "@s.csv"),
        Exits(1, r"--min-valid 'veel'"),
    ),
    Case("no command", "cli", lambda f: None, cli(), Exits(2, r"choose a command")),
    Case("unknown command", "cli", lambda f: None, cli("scroe"), Exits(2, r"scroe")),
    Case(
        "report of a file that is no export",
        "cli",
        write("a.csv", PLAIN),
        cli("report", "@a.csv", "-o", "@r.html"),
        Exits(1, r"a\.csv|PEO|export"),
    ),
    Case(
        "report saved in a format it has not",
        "peo.report",
        lambda f: None,
        lambda f: peoscales.peo.report(demo=True, charts=False).save(f / "r.pdf"),
        Refused(E.ParameterError, r"out='.*r\.pdf' must end in \.html, \.htm .* or \.docx"),
    ),
    Case(
        "report written to a format it has not",
        "cli",
        lambda f: None,
        cli("report", "--demo", "-o", "@r.pdf"),
        Exits(1, r"--out .*r\.pdf must end in \.html, \.htm .* or \.docx .*got '\.pdf'"),
    ),
    Case(
        "report layout naming an unknown item",
        "cli",
        both(
            write("a.csv", "Q?\nja\n"),
            write(
                "book.toml",
                'name = "mini"\nkind = "codebook"\ntitle = "Mini"\n'
                '[response_scales.yn]\nkind = "nominal"\noptions = [{ code = 1, nl = "ja" }]\n'
                '[[items]]\nid = "q"\nresponse_scale = "yn"\nnl = "Q?"\n'
                '[report]\n[[report.sections]]\nheading = "A"\n'
                '[[report.sections.tables]]\nkind = "frequency"\nitem = "qq"\n',
            ),
        ),
        cli("report", "@a.csv", "--codebook", "@book.toml", "-o", "@r.html"),
        Exits(1, r"book\.toml: field 'report\.sections\[0\]\.tables\[0\]\.item': 'qq'"),
    ),
    Case(
        "report codebook file that is broken",
        "cli",
        both(write("a.csv", PLAIN), write("book.toml", "name = [")),
        cli("report", "@a.csv", "--codebook", "@book.toml", "-o", "@r.html"),
        Exits(1, r"book\.toml"),
    ),
    Case(
        "columns mapping file that is broken",
        "cli",
        both(brs_csv(), write("map.toml", "brs_1 = [")),
        cli("score", "@answers.csv", "-i", "brs", "--columns", "@map.toml", "-o", "@s.csv"),
        Exits(1, r"map\.toml"),
    ),
    Case(
        "columns mapping naming an absent column",
        "cli",
        both(brs_csv(), write("map.toml", 'brs_1 = "Q9"\n')),
        cli("score", "@answers.csv", "-i", "brs", "--columns", "@map.toml", "-o", "@s.csv"),
        Exits(1, r"Q9"),
    ),
    Case(
        "id with formula text written as text",
        "cli",
        brs_csv(frame=BRS.assign(id=['=HYPERLINK("http://x")'] + [f"r{i}" for i in range(1, 12)])),
        cli("score", "@answers.csv", "-i", "brs", "--id", "id", "-o", "@s.xlsx"),
        Exits(0, check=lambda f: _no_formulas(f / "s.xlsx")),
    ),
]


def _no_formulas(path: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{cell.coordinate} holds a formula: {cell.value!r}"
    assert any(
        cell.value == '=HYPERLINK("http://x")'
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
    )


RAW = re.compile(r"\b(ValueError|TypeError|KeyError|OSError|IndexError|AttributeError|Traceback)\b")


@pytest.mark.parametrize("case", CASES, ids=[f"{c.area}: {c.id}" for c in CASES])
def test_case(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case.files(tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    expect = case.expect
    if isinstance(expect, Refused):
        with pytest.raises(expect.error, match=expect.match):
            case.call(tmp_path)
    elif isinstance(expect, Handled):
        with warnings.catch_warnings():
            for warning in expect.warns:
                warnings.simplefilter("ignore", warning)
            result = case.call(tmp_path)
        expect.check(result, tmp_path)
    else:
        status = case.call(tmp_path)
        _, err = capsys.readouterr()
        assert status == expect.status, err
        if expect.status:
            assert re.search(expect.match, err, re.S), err
            assert not RAW.search(err), f"a raw exception reached the user: {err}"
        if expect.check is not None:
            expect.check(tmp_path)
    # Readers only read: every file that was there is unchanged (outputs may be added,
    # and an existing output replaced only with --force).
    for path, content in before.items():
        if case.id.endswith("forced") and isinstance(expect, Exits) and expect.status == 0:
            continue  # --force replaced the existing output, as asked
        assert path.read_bytes() == content, f"{path.name} was changed"


def test_case_ids_are_unique() -> None:
    ids = [(c.area, c.id) for c in CASES]
    assert len(ids) == len(set(ids))


def test_every_refusal_names_a_specific_error() -> None:
    # The base class would accept any peoscales error: each case says which one.
    vague = [
        c.id for c in CASES if isinstance(c.expect, Refused) and c.expect.error is E.PeoscalesError
    ]
    assert not vague
