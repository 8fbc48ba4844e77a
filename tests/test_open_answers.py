"""Open answers: coding frame, coding sheet written and filled by hand, read back and
tabulated as a multiple-response item."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from peoscales import peo
from peoscales.errors import DefinitionError, UnknownLabelError

FRAME = """
name = "fixed"
[[codes]]
code = "admin"
nl = "Administratie"
en = "Administration"
keywords = ["administratie"]
[[codes]]
code = "time"
nl = "Tijd voor cliënten"
en = "Time for clients"
patterns = ["tijd\\\\s+voor"]
[[codes]]
code = "other"
nl = "Anders"
en = "Other"
"""


@pytest.fixture
def answers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "comments": [
                "Veel administratie, weinig tijd voor cliënten.",
                None,
                '=HYPERLINK("x")',
                "Goede collega's",
                "",
            ]
        },
        index=pd.Index(["r1", "r2", "r3", "r4", "r5"], name="id"),
    )


def test_round_trip_write_fill_read_tabulate(answers: pd.DataFrame, tmp_path: Path) -> None:
    frame = peo.load_coding_frame(FRAME)
    path = peo.export_coding_sheet(answers, "comments", tmp_path / "sheet.xlsx", frame=frame)
    book = openpyxl.load_workbook(path)
    sheet = book["answers"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("id", "answer", "suggested", "code_1", "code_2", "code_3")
    assert [r[0] for r in rows[1:]] == ["r1", "r3", "r4"]  # empty answers are not listed
    assert rows[1][2] == "admin; time"  # suggestions from the rules
    assert sheet["B3"].value == '=HYPERLINK("x")' and sheet["B3"].data_type == "s"
    # A person codes the answers (suggestions are not codes until written in).
    sheet["D2"], sheet["E2"] = "admin", "time"
    sheet["D4"] = "other"
    book.save(path)
    coded = peo.read_coding_sheet(path, frame)
    assert coded.loc["r1"].tolist() == [True, True, False]
    assert coded.loc["r3"].tolist() == [False, False, False]
    assert coded.loc["r4"].tolist() == [False, False, True]
    table = peo.multi_response_table(coded, list(coded.columns))
    assert table.table["n"].tolist() == [1, 1, 1]
    assert table.n_base == 3


def test_unknown_codes_are_listed_with_their_rows(answers: pd.DataFrame, tmp_path: Path) -> None:
    frame = peo.load_coding_frame(FRAME)
    path = peo.export_coding_sheet(answers, "comments", tmp_path / "sheet.xlsx", frame=frame)
    book = openpyxl.load_workbook(path)
    book["answers"]["D3"] = "admn"
    book.save(path)
    with pytest.raises(
        UnknownLabelError, match=r"'admn' are not in coding frame 'fixed' \(sheet rows 3\)"
    ):
        peo.read_coding_sheet(path, frame)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('name = "x"\n[[codes]]\ncode = "Bad Code"', "codes[0].code"),
        ('name = "x"\n[[codes]]\ncode = "a"\n[[codes]]\ncode = "a"', "codes[1].code"),
        ('name = "x"\n[[codes]]\ncode = "a"\npatterns = ["("]', "codes[0].patterns"),
        ('[[codes]]\ncode = "a"', "name"),
    ],
)
def test_bad_frames_name_the_field(text: str, field: str) -> None:
    with pytest.raises(DefinitionError, match="field '" + re.escape(field)):
        peo.load_coding_frame(text + "\n")


def test_the_demo_wave_open_question_exports(tmp_path: Path) -> None:
    wave = peo.code_wave(peo.load_demo_export(), wave="2021-09")
    path = peo.export_coding_sheet(wave, "fixed_comments", tmp_path / "s.xlsx")
    rows = list(openpyxl.load_workbook(path)["answers"].iter_rows(values_only=True))
    assert len(rows) - 1 == int(wave.data["fixed_comments"].notna().sum())
