"""The report document model: the text grid of a table and its HTML rendering."""

from __future__ import annotations

from html.parser import HTMLParser

import numpy as np
import pandas as pd

from peoscales._document import Document, Heading, Paragraph, Table, render_html, table_cells
from peoscales._results import Result
from peoscales.peo.report import _FrameResult


class _Cells(HTMLParser):
    """Read an HTML table back into its grid, repeating a cell over its colspan."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._span = 1
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._span = int(dict(attrs).get("colspan") or 1)
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._text is not None:
            self.rows[-1].extend(["".join(self._text)] * self._span)
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def _crosstab() -> pd.DataFrame:
    columns = pd.MultiIndex.from_tuples(
        [("GI", "n"), ("GI", "%"), ("Lokaal", "n"), ("Lokaal", "%")], names=["werkgever", None]
    )
    index = pd.MultiIndex.from_tuples(
        [("ruimte", "laag"), ("ruimte", "hoog"), ("plezier", "laag")], names=["vraag", "antwoord"]
    )
    values = [["3", "30", "5", "50"], ["7", "70", "5", "50"], ["1", np.nan, "9", "90"]]
    return pd.DataFrame(values, index=index, columns=columns)


def test_grid_of_a_crosstab_has_one_header_row_per_column_level() -> None:
    grid = table_cells(_crosstab())
    assert grid.n_index == 2
    assert grid.rows == [
        ["", "werkgever", "GI", "GI", "Lokaal", "Lokaal"],
        ["vraag", "antwoord", "n", "%", "n", "%"],
        ["ruimte", "laag", "3", "30", "5", "50"],
        ["", "hoog", "7", "70", "5", "50"],
        ["plezier", "laag", "1", "", "9", "90"],
    ]


def test_html_shows_exactly_the_grid() -> None:
    frame = _crosstab()
    doc = Document(
        "T",
        "nl",
        (Heading("T", 1), Paragraph("p", "intro"), Table("2.1", "Tabel 2.1", _FrameResult(frame))),
    )
    page = render_html(doc)
    parser = _Cells()
    parser.feed(page[page.index("<table") :])
    assert parser.rows == table_cells(frame).rows
    assert "colspan='2'>GI</th>" in page
    assert doc.tables() == {"2.1": doc.blocks[2].result}  # type: ignore[union-attr]


def test_notes_come_from_the_result_then_the_block() -> None:
    result: Result = _FrameResult(pd.DataFrame({"a": [1.5]}), note="from the result")
    block = Table("k", "c", result, notes=("from the layout",))
    assert block.all_notes() == ["from the result", "from the layout"]
    assert table_cells(block.frame()).rows == [["", "a"], ["0", "1.5"]]
