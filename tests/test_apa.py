"""Tests of the APA correlation table and its renderers and file writers.

Expected cells are formatted from R's values (``tests/reference/correlation_expected.json``),
never from our own output.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import peoscales
from peoscales.apa import ApaTable, Cell, star_note
from peoscales.errors import ParameterError

REF = Path(__file__).parent / "reference"
COLUMNS = ["veerkracht", "werkdruk", "autonomie", "offset", "verloop", "verzuim"]


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((REF / "correlation_expected.json").read_text())


@pytest.fixture(scope="module")
def result() -> peoscales.CorrelationResult:
    return peoscales.corr_matrix(pd.read_csv(REF / "correlation_data.csv"))


def r_cell(r: float, p: float, thresholds=((0.05, "*"), (0.01, "**"), (0.001, "***"))) -> str:
    """Format R's r and p independently: two decimals, no leading zero, true minus, stars."""
    text = f"{abs(r):.2f}".removeprefix("0")
    mark = ""
    for level, symbol in sorted(thresholds, reverse=True):
        if p < level:
            mark = symbol
    return ("−" if r < 0 else "") + text + mark


def test_cells_match_r(result, expected):
    table = result.to_apa()
    frame = table.to_frame()
    r = expected["pearson_pairwise"]["r"]
    p = expected["pearson_pairwise"]["p"]
    assert table.header == ("Variable", "M", "SD", "1", "2", "3", "4", "5", "6")
    for i in range(6):
        row = frame.iloc[i]
        assert frame.index[i] == f"{i + 1}. {COLUMNS[i]}"
        assert row["M"] == f"{expected['means'][i]:.2f}".replace("-", "−")
        assert row["SD"] == f"{expected['sds'][i]:.2f}"
        for j in range(6):
            cell = row[str(j + 1)]
            if j < i:
                assert cell == r_cell(r[i][j], p[i][j]), (i, j)
            elif j == i:
                assert cell == "—"
            else:
                assert cell == ""


def test_stars_on_known_p_values():
    # |r| chosen so that p falls on known sides of .05, .01 and .001 with n = 20.
    rng = np.random.default_rng(1)
    base = rng.standard_normal(20)
    df = pd.DataFrame({"x": base, "y": base + rng.standard_normal(20) * 0.3})
    res = peoscales.corr_matrix(df)
    p = res.p.loc["y", "x"]
    assert p < 0.001
    cell = res.to_apa().to_frame().loc["2. y", "1"]
    assert cell.endswith("***") and not cell.startswith("0")
    custom = res.to_apa(stars=[(0.10, "†"), (0.05, "*")]).to_frame().loc["2. y", "1"]
    assert custom.endswith("*") and not custom.endswith("**")


def test_threshold_edges():
    from peoscales._results import stars

    assert stars(0.05) == "" and stars(0.0499) == "*"
    assert stars(0.01) == "*" and stars(0.001) == "**"


def test_adjusted_stars_and_note(expected):
    data = pd.read_csv(REF / "correlation_data.csv")
    res = peoscales.corr_matrix(data, adjust="bonferroni")
    table = res.to_apa()
    p_adj = expected["pearson_pairwise"]["p_bonferroni"]
    r = expected["pearson_pairwise"]["r"]
    frame = table.to_frame()
    for i in range(6):
        for j in range(i):
            assert frame.iloc[i][str(j + 1)] == r_cell(r[i][j], p_adj[i][j])
    assert "p-values adjusted for 15 tests (Bonferroni)." in table.note
    raw = res.to_apa(adjusted=False)
    assert "adjusted" not in raw.note
    with pytest.raises(ParameterError, match="adjusted=True but the correlations were not"):
        peoscales.corr_matrix(data).to_apa(adjusted=True)


def test_diagonal_labels_and_note(result, expected):
    table = result.to_apa(
        diagonal={"veerkracht": 0.812, "werkdruk": 0.7949},
        labels={"veerkracht": "Veerkracht (BRS)"},
        diagonal_label="Cronbach's α",
        descriptives=False,
    )
    frame = table.to_frame()
    assert table.header[:3] == ("Variable", "1", "2")
    assert frame.index[0] == "1. Veerkracht (BRS)"
    assert frame.loc["1. Veerkracht (BRS)", "1"] == "(.81)"
    assert frame.loc["2. werkdruk", "2"] == "(.79)"
    assert frame.loc["3. autonomie", "3"] == "—"
    n = np.array(expected["pearson_pairwise"]["n"])
    off = n[~np.eye(6, dtype=bool)]
    assert table.note.startswith(f"n = {off.min()}–{off.max()} per pair (pairwise deletion)")
    assert "Values in parentheses on the diagonal are Cronbach's α." in table.note
    assert table.note.endswith("* p < .05. ** p < .01. *** p < .001.")
    with pytest.raises(ParameterError, match=r"diagonal names column.*'alpha'"):
        result.to_apa(diagonal={"alpha": 0.8})
    with pytest.raises(ParameterError, match=r"labels names column.*'Veerkracht'"):
        result.to_apa(labels={"Veerkracht": "x"})
    with pytest.raises(ParameterError, match="one label per column \\(6\\)"):
        result.to_apa(labels=["a", "b"])
    with pytest.raises(ParameterError, match="stars thresholds must lie between 0 and 1"):
        result.to_apa(stars=[(5, "*")])


def test_listwise_note():
    df = pd.DataFrame({"a": [1.0, 2, 3, 4, np.nan], "b": [2.0, 1, 4, 3, 5], "c": [1, 2, 2, 3, 1]})
    note = peoscales.corr_matrix(df, missing="listwise", method="spearman").to_apa().note
    assert note.startswith("N = 4 (listwise deletion; 1 rows with missing values left out).")
    assert "Spearman (ρ)" in note


def small_table() -> ApaTable:
    return ApaTable(
        header=("Variable", "M", "1", "2"),
        rows=(
            (Cell("1. A & B_1 <x>"), Cell("3.10"), Cell("—"), Cell("")),
            (Cell("2. C"), Cell("−2.50"), Cell("−.42", "**"), Cell("—")),
        ),
        note="** p < .01.",
        title="Table 1",
    )


def test_text_aligns_numbers_and_hangs_stars():
    text = small_table().to_text()
    lines = text.splitlines()
    assert lines[0] == "Table 1"
    assert lines[1] == lines[3] == lines[-2] and set(lines[1]) == {"─"}
    row_a, row_c = lines[4], lines[5]
    # The last digit of −.42 lines up with the dash above it; the stars hang right.
    assert row_a.index("—") == row_c.index("−.42") + len("−.42") - 1
    assert lines[-1] == "Note. ** p < .01."


def test_markdown_escapes_stars():
    md = small_table().to_markdown()
    assert "| 2. C | −2.50 | −.42\\*\\* | — |" in md
    assert "| :--- | ---: | ---: | ---: |" in md
    assert md.endswith("*Note.* \\*\\* p < .01.")
    assert "A & B\\_1" in md


def test_html_escapes_and_has_note():
    html = small_table().to_html()
    assert "<caption>Table 1</caption>" in html
    assert "1. A &amp; B_1 &lt;x&gt;" in html
    assert '−.42<span class="mark">**</span>' in html
    assert '<td colspan="4" style="text-align: left"><em>Note.</em> ** p &lt; .01.</td>' in html
    assert small_table()._repr_html_().startswith('<div class="peoscales-result"><table')


def test_latex_escapes_specials():
    tex = small_table().to_latex()
    assert "\\begin{tabular}{lrrr}" in tex and "\\toprule" in tex and "\\bottomrule" in tex
    assert "1. A \\& B\\_1 <x> & 3.10 & --- &  \\\\" in tex
    assert "2. C & $-$2.50 & $-$.42$^{**}$ & --- \\\\" in tex
    assert "\\textit{Note.} ** p < .01." in tex


def test_rows_must_match_header():
    with pytest.raises(ParameterError, match=r"rows \[0\] have a different number of cells"):
        ApaTable(header=("a", "b"), rows=((Cell("x"),),))
    with pytest.raises(ParameterError, match="align='lx'"):
        ApaTable(header=("a", "b"), rows=(), align="lx")


def test_star_note():
    assert star_note([(0.05, "*"), (0.01, "**"), (0.001, "***")]) == (
        "* p < .05. ** p < .01. *** p < .001."
    )
    assert star_note([(0.1, "†")]) == "† p < .1."


def test_excel_file_has_the_cells(result, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    table = result.to_apa(diagonal={"veerkracht": 0.81})
    path = tmp_path / "correlaties.xlsx"
    table.to_excel(path, sheet="Bijlage 2")
    sheet = openpyxl.load_workbook(path)["Bijlage 2"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Means, standard deviations and correlations"
    assert list(rows[1]) == list(table.header)
    frame = table.to_frame()
    for i in range(6):
        assert rows[2 + i][0] == frame.index[i]
        assert [v or "" for v in rows[2 + i][1:]] == list(frame.iloc[i])
    assert rows[2][3] == "(.81)"
    assert rows[8][0] == "Note. " + table.note


def test_docx_file_has_the_cells(result, tmp_path):
    docx = pytest.importorskip("docx")
    table = result.to_apa()
    path = tmp_path / "correlaties.docx"
    table.to_docx(path)
    document = docx.Document(str(path))
    (written,) = document.tables
    cells = [[c.text for c in row.cells] for row in written.rows]
    assert cells[0] == list(table.header)
    assert cells[2][:4] == [
        "2. werkdruk",
        table.to_frame().iloc[1]["M"],
        table.to_frame().iloc[1]["SD"],
        table.to_frame().iloc[1]["1"],
    ]
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == table.title
    assert paragraphs[-1] == "Note. " + table.note


def test_docx_table_has_the_apa_rules(result, tmp_path):
    docx = pytest.importorskip("docx")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    path = tmp_path / "correlaties.docx"
    result.to_apa().to_docx(path)
    (table,) = docx.Document(str(path)).tables
    tbl_pr = table._tbl.tblPr
    sides = {c.tag.replace(w, ""): c.get(f"{w}val") for c in tbl_pr.find(f"{w}tblBorders")}
    assert sides == {
        "top": "single",
        "bottom": "single",
        "left": "nil",
        "right": "nil",
        "insideH": "nil",
        "insideV": "nil",
    }
    # in the schema's order (ECMA-376 17.4.60): borders before the table look
    children = [c.tag.replace(w, "") for c in tbl_pr]
    assert children.index("tblBorders") < children.index("tblLook")
    head = table.rows[0]
    assert head._tr.trPr.find(f"{w}tblHeader") is not None
    assert all(run.bold for cell in head.cells for run in cell.paragraphs[0].runs)
    rules = [tc.find(f"{w}tcPr/{w}tcBorders/{w}bottom") for tc in head._tr.tc_lst]
    assert all(rule is not None and rule.get(f"{w}val") == "single" for rule in rules)
    assert all(
        tc.find(f"{w}tcPr/{w}tcBorders") is None for row in table.rows[1:] for tc in row._tr.tc_lst
    )


@pytest.mark.parametrize(("module", "writer"), [("docx", "to_docx"), ("openpyxl", "to_excel")])
def test_missing_report_extra_names_the_install(monkeypatch, tmp_path, module, writer):
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail
    with pytest.raises(ImportError, match=r"pip install \"peoscales\[report\]\""):
        getattr(small_table(), writer)(tmp_path / "t.out")
