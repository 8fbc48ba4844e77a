"""Report layouts as data: the 2021-09 layout reproduces the hard-coded report, layouts are
checked field by field, a user's codebook gives a report with no code, partial exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peoscales.peo.report import report

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def frozen():
    return json.loads((DATA / "peo_2021_09_report_frozen.json").read_text("utf-8"))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_2021_layout_reproduces_the_hard_coded_report(frozen, lang):
    # tests/data/peo_2021_09_report_frozen.json was written by the hard-coded report
    # builder (before the layout moved into peo_2021_09.toml): same keys in the same
    # order, and every table's unrounded and displayed frame equal to the last digit.
    result = report(demo=True, lang=lang, charts=False)
    expected = frozen[lang]
    assert result.n == expected["n"] == 178
    assert list(result.tables) == expected["keys"]
    for key, table in result.tables.items():
        want = expected["tables"][key]
        assert table.to_frame().to_csv() == want["frame"], key
        assert table.display_frame().to_csv() == want["display"], key
        assert str(table.title) == want["title"], key
