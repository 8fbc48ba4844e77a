"""Text that starts like a formula is written to spreadsheets as text, never as a formula."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import peoscales
from peoscales._cli import main
from peoscales._spreadsheet import formula_like
from peoscales.apa import ApaTable

HOSTILE = [
    '=HYPERLINK("http://x.example","click")',
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]


def _formulas(path: Path) -> list[str]:
    """Cells stored as formulas anywhere in the workbook (read from the XML itself)."""
    with zipfile.ZipFile(path) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        return [n for n in sheets if "<f>" in book.read(n).decode("utf-8")]


def _texts(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path)
    return [
        c.value for ws in book.worksheets for row in ws.iter_rows() for c in row
        if isinstance(c.value, str)
    ]  # fmt: skip


def test_apa_table_title_and_cells_stay_text(tmp_path: Path) -> None:
    table = ApaTable(header=("=Variable", "M"), rows=(("=1+1", "3.10"), ("@x", "-2")), title="=1+1")
    path = tmp_path / "t.xlsx"
    table.to_excel(path)
    assert _formulas(path) == []
    texts = _texts(path)
    for value in ("=Variable", "=1+1", "@x", "-2"):
        assert value in texts
    cell = openpyxl.load_workbook(path).active["A1"]
    assert cell.value == "=1+1" and cell.data_type == "s" and cell.quotePrefix


def _hostile_input(tmp_path: Path) -> Path:
    """An .xlsx input whose id cells hold formula-like text, stored as text."""
    data = peoscales.simulate("brs", len(HOSTILE), seed=2)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", *data.columns])
    for rid, row in zip(HOSTILE, data.itertuples(index=False)):
        sheet.append([rid, *row])
    for cell in sheet["A"][1:]:
        cell.data_type = "s"
    source = tmp_path / "answers.xlsx"
    book.save(source)
    return source


def test_cli_xlsx_keeps_hostile_ids_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _hostile_input(tmp_path)
    out = tmp_path / "scores.xlsx"
    assert main(["score", str(source), "-i", "brs", "--id", "id", "-o", str(out)]) == 0
    assert _formulas(out) == []
    back = pd.read_excel(out, index_col=0)
    # Excel and openpyxl keep the text; a leading tab or CR survives as written.
    assert list(back.index) == HOSTILE


def test_cli_csv_keeps_values_and_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _hostile_input(tmp_path)
    out = tmp_path / "scores.csv"
    assert main(["score", str(source), "-i", "brs", "--id", "id", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "would read as a formula" in err and "=1+1" in err and ".xlsx" in err
    back = pd.read_csv(out, index_col=0, keep_default_na=False)
    assert [str(v) for v in back.index][:5] == HOSTILE[:5]  # values exactly as they were


def test_cli_csv_without_formula_text_does_not_warn(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = peoscales.simulate("brs", 4, seed=2)
    data.insert(0, "id", ["a", "b", "c", "d"])
    source = tmp_path / "answers.csv"
    data.to_csv(source, index=False)
    assert (
        main(["score", str(source), "-i", "brs", "--id", "id", "-o", str(tmp_path / "s.csv")]) == 0
    )
    assert "formula" not in capsys.readouterr().err


def test_report_workbook_has_no_formulas(tmp_path: Path) -> None:
    result = peoscales.peo.report(demo=True, out=tmp_path / "r.html", xlsx=tmp_path / "r.xlsx")
    assert result.tables
    assert _formulas(tmp_path / "r.xlsx") == []


def test_formula_like_ignores_negative_numbers() -> None:
    frame = pd.DataFrame({"score": [-1.0, 2.0], "note": ["-x", "ok"]}, index=["=a", "b"])
    found = formula_like(frame)
    assert found == {"index": ["=a"], "note": ["-x"]}
