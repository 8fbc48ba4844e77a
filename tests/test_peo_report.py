"""Tests of the PEO HTML report: seed 001's published numbers, self-containment, xlsx."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from peoscales.errors import DataTypeError, ParameterError
from peoscales.peo.report import report

# Seed 001 (PEO September 2021, n = 178): published percentages, answers as printed.
PUBLISHED = {
    "1.1": [33, 26, 32, 8],
    "1.2": [23, 23, 11, 43],
    "2.1": [15, 71, 12, 2],
    "2.4": [28, 66, 6, 1],
    "2.7": [51, 43, 6],
    "2.8": {3: 4, 4: 2, 5: 2, 6: 17, 7: 34, 8: 27, 9: 12, 10: 3},
    "2.9": [43, 31, 12, 8, 2, 4],
}
#: Tabel 2.2 rows; the third row's published 6 / 27 / 52 / 2 does not add up to 100
#: (a known misprint), so only its first three numbers are checked.
PUBLISHED_2_2 = [[5, 8, 54, 33], [8, 28, 51, 14], [6, 27, 52, None], [6, 36, 47, 11]]


@pytest.fixture(scope="module")
def demo():
    return report(demo=True)


def _html_table(page: str, key: str) -> pd.DataFrame:
    ident = "t-" + re.sub(r"[^0-9a-z]+", "-", key.lower()).strip("-")
    match = re.search(rf"<section class='peo-block' id='{ident}'>(.*?)</section>", page, re.S)
    assert match, f"table {key} is not in the page"
    return pd.read_html(io.StringIO(match.group(1)), index_col=0)[0]


@pytest.mark.parametrize("key", sorted(PUBLISHED))
def test_demo_report_reproduces_seed001(demo, key):
    table = _html_table(demo.html, key)
    pct = pd.to_numeric(table.iloc[:, 1], errors="coerce")
    expected = PUBLISHED[key]
    if isinstance(expected, dict):
        got = {int(k): int(v) for k, v in pct.items() if str(k).isdigit() and int(k) in expected}
        assert got == expected
    else:
        assert pct.iloc[: len(expected)].astype(int).tolist() == expected


def test_demo_report_reproduces_seed001_table_2_2(demo):
    table = _html_table(demo.html, "2.2")
    values = table.iloc[:, :4].to_numpy()
    for row, expected in zip(values, PUBLISHED_2_2):
        for got, want in zip(row, expected):
            if want is not None:
                assert int(got) == want


def test_report_is_self_contained(demo):
    page = demo.html
    assert page.startswith("<!DOCTYPE html>")
    # namespace declarations of the inline SVG name no resource; nothing else may
    bare = re.sub(r'xmlns(:\w+)?="[^"]*"', "", page)
    for needle in ("http://", "https://", "<link", "<script", "@import", "src="):
        assert needle not in bare, needle
    # references inside the page (SVG clip paths, markers) only
    assert re.findall(r"url\(([^)]*)\)", bare) and all(
        u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", bare)
    )
    assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', bare))
    assert page.count("<svg") >= 10
    assert "<html lang='nl'>" in page


def test_report_marks_significance_and_suppression(demo):
    overview = _html_table(demo.html, "2 significance")
    assert overview.shape[0] == 11
    assert "&lt;5" in demo.html
    assert "χ²(" in demo.html


def test_english_report_and_outputs(tmp_path):
    out, xlsx = tmp_path / "report.html", tmp_path / "tables.xlsx"
    result = report(demo=True, lang="en", out=out, xlsx=xlsx, charts=False)
    page = out.read_text("utf-8")
    assert page == result.html and "<html lang='en'>" in page
    assert "Fixed part" in page and "Vast onderdeel" not in page
    sheets = pd.read_excel(xlsx, sheet_name=None)
    assert len(sheets) == len(result.tables)
    assert all(len(name) <= 31 for name in sheets)


def test_report_does_not_modify_coded_data():
    from peoscales import peo

    coded = peo.code_wave(peo.load_demo_export(), wave="2021-09").data
    before = coded.copy()
    result = report(coded, charts=False)
    pd.testing.assert_frame_equal(coded, before)
    assert result.n == len(coded) == 178


def test_report_bad_input(tmp_path):
    with pytest.raises(ParameterError, match="demo=True"):
        report()
    with pytest.raises(ParameterError, match="not both"):
        report(pd.DataFrame(), demo=True)
    with pytest.raises(DataTypeError, match="DataFrame or a path"):
        report([1, 2, 3])
    with pytest.raises(ParameterError, match="lang"):
        report(demo=True, lang="fr")
    with pytest.raises(ParameterError, match="min_group_size"):
        report(demo=True, min_group_size=-1)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        report(demo=True, charts=False, out=tmp_path / "nowhere" / "r.html")


def test_cli_report(tmp_path, capsys):
    from peoscales._cli import main

    out = tmp_path / "r.html"
    assert main(["report", "--demo", "-o", str(out), "--lang", "en"]) == 0
    assert "<html lang='en'>" in out.read_text("utf-8")
    assert "178 respondents" in capsys.readouterr().out
    assert main(["report", "-o", str(out)]) == 2
    assert "INPUT or --demo" in capsys.readouterr().err


def test_report_from_an_export_file():
    from peoscales import peo

    result = report(peo.demo_export_path(), wave="2021-09", charts=False)
    assert result.n == 178
    assert _html_table(result.html, "2.1").iloc[:4, 1].astype(int).tolist() == PUBLISHED["2.1"]


def test_small_groups_are_hidden_in_the_page():
    result = report(demo=True, charts=False, min_group_size=20)
    means = _html_table(result.html, "2.8 employer")
    # "Anders" (15 respondents) is below 20: its size and mean are not shown, and the
    # next smallest group is hidden with it so the total row gives nothing away
    shown = means.iloc[:, 0].astype(str).tolist()
    assert shown[:4] == ["59", "x", "57", "<20"]
    assert means.iloc[[1, 3], 1].isna().all()
    table = result.tables["2.8 employer"]
    assert table.table["suppressed"].tolist()[:4] == [False, True, False, True]
