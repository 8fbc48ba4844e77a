"""Reports as documents: a sequence of blocks rendered to HTML (and to Word).

Every report (a PEO wave report, an instrument study report) is built once as a
:class:`Document` of headings, paragraphs and tables (each table with its
result object, caption, notes and an optional chart). The renderers read the
same blocks, so an HTML page and a Word file of one report always hold the
same tables: both show exactly the text grid of :func:`table_cells`.

Charts are kept as a drawing function, not as a picture, so each renderer
draws the picture it needs: inline SVG for HTML (text stays text), PNG for
Word (which does not show SVG everywhere).
"""

from __future__ import annotations

import html
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from peoscales._results import Result
from peoscales.errors import ParameterError

__all__ = [
    "Chart",
    "Document",
    "Grid",
    "Heading",
    "Paragraph",
    "Table",
    "check_output",
    "render_html",
    "save",
    "table_cells",
    "write_workbook",
]


@dataclass(frozen=True)
class Heading:
    """A heading; level 1 is the report's title."""

    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    """Running text; ``kind`` is ``""``, ``"intro"`` or ``"note"``."""

    text: str
    kind: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart kept as the function that draws it.

    ``draw(fig)`` draws on an empty matplotlib ``Figure`` of ``(7.0, height)``
    inches; :meth:`to_svg` and :meth:`to_png` call it on a fresh figure.
    """

    draw: Callable[[Any], None]
    height: float
    title: str

    def figure(self) -> Any:
        """A new matplotlib figure with the chart drawn on it."""
        try:
            from matplotlib.figure import Figure
        except ImportError as exc:  # pragma: no cover - the report extra installs it
            raise ImportError(
                "Report charts are drawn with matplotlib: pip install 'peoscales[report]'."
            ) from exc
        fig = Figure(figsize=(7.0, self.height))
        self.draw(fig)
        return fig

    def to_svg(self) -> str:
        """The chart as an inline ``<svg>`` element (text kept as text)."""
        from peoscales.plot import to_svg

        return to_svg(self.figure(), self.title)

    def to_png(self, dpi: int = 200) -> bytes:
        """The chart as PNG bytes (no date or software stamp, so runs are identical)."""
        buffer = io.BytesIO()
        self.figure().savefig(
            buffer, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None}
        )
        return buffer.getvalue()


@dataclass(frozen=True)
class Table:
    """A table of the report: its result object, caption, notes and optional chart."""

    key: str
    caption: str
    result: Result
    chart: Chart | None = None
    notes: tuple[str, ...] = ()

    def frame(self) -> pd.DataFrame:
        """The frame shown: ``result.display_frame()`` if it exists, else ``to_frame()``."""
        show = getattr(self.result, "display_frame", None)
        frame: pd.DataFrame = show() if callable(show) else self.result.to_frame()
        return frame

    def all_notes(self) -> list[str]:
        """The result's own notes (``result.notes()``), then the block's."""
        own = getattr(self.result, "notes", None)
        return [*(own() if callable(own) else ()), *self.notes]


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Document:
    """A report as blocks, in reading order."""

    title: str
    lang: str
    blocks: tuple[Block, ...]
    n: int = 0

    def tables(self) -> dict[str, Result]:
        """The result behind every table, keyed by the table's key."""
        return {b.key: b.result for b in self.blocks if isinstance(b, Table)}


# --------------------------------------------------------------------------------------
# The text grid of a table
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grid:
    """The text of a table as shown: header rows, body rows, and how many leading
    columns hold the row labels (the index)."""

    header: tuple[tuple[str, ...], ...]
    body: tuple[tuple[str, ...], ...]
    n_index: int

    @property
    def rows(self) -> list[list[str]]:
        """Header and body rows together."""
        return [list(r) for r in (*self.header, *self.body)]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return f"{value:.6g}"
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def table_cells(frame: pd.DataFrame) -> Grid:
    """The text grid a report shows for ``frame``.

    One header row per level of the columns; the cells above the row labels
    hold the columns' level names, and the last header row the index names.
    Repeated row labels of an outer index level are left blank, as printed
    tables do. Missing values show as empty cells; numbers as up to six
    significant digits (report tables are formatted before they get here).

    Examples
    --------
    >>> frame = pd.DataFrame({"%": ["40", "60"]}, index=pd.Index(["ja", "nee"], name="antwoord"))
    >>> table_cells(frame).rows
    [['antwoord', '%'], ['ja', '40'], ['nee', '60']]
    """
    columns = frame.columns
    index = frame.index
    n_index = index.nlevels
    col_levels = columns.nlevels
    header: list[tuple[str, ...]] = []
    for level in range(col_levels):
        values = columns.get_level_values(level) if col_levels > 1 else pd.Index(list(columns))
        if level == col_levels - 1:
            lead = [_text(name) for name in index.names]
        else:
            lead = [""] * n_index
            lead[-1] = _text(columns.names[level])
        header.append(tuple(lead + [_text(v) for v in values]))
    body: list[tuple[str, ...]] = []
    previous: tuple[Any, ...] | None = None
    for position in range(len(frame)):
        label = index[position]
        labels = tuple(label) if n_index > 1 else (label,)
        shown = []
        for level, value in enumerate(labels):
            # blank an outer label that repeats the row above (inner labels always show)
            same = (
                previous is not None
                and level < n_index - 1
                and labels[: level + 1] == previous[: level + 1]
            )
            shown.append("" if same else _text(value))
        previous = labels
        cells = [_text(v) for v in frame.iloc[position].tolist()]
        body.append(tuple(shown + cells))
    return Grid(tuple(header), tuple(body), n_index)


def header_spans(row: tuple[str, ...], above: tuple[str, ...] | None, start: int) -> list[int]:
    """Column spans of one header row from column ``start`` on: runs of the same
    label (under the same label in the row above) merge; 0 marks a merged-away cell.

    Examples
    --------
    >>> header_spans(("", "a", "a", "b"), None, 1)
    [1, 2, 0, 1]
    """
    spans = [1] * len(row)
    anchor = None
    for j in range(start, len(row)):
        joins = (
            anchor is not None
            and row[j] == row[anchor]
            and row[j] != ""
            and (above is None or above[j] == above[anchor])
        )
        if joins and anchor is not None:
            spans[anchor] += 1
            spans[j] = 0
        else:
            anchor = j
    return spans


# --------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------


def _css() -> str:
    return resources.files("peoscales.peo").joinpath("templates/report.css").read_text("utf-8")


#: A head cell of one word up to this long stays on one line (class ``peo-word``): a
#: browser may break after a hyphen, and "6-" above "10" misreads an answer band.
_WORD_CHARS = 12


def _head_class(text: str) -> str:
    one_word = text and len(text) <= _WORD_CHARS and not any(c.isspace() for c in text)
    return " class='peo-word'" if one_word else ""


def _html_table(grid: Grid) -> str:
    parts = ["<table class='peo-table'><thead>"]
    last = len(grid.header) - 1
    for r, row in enumerate(grid.header):
        # every header row but the last (the leaf labels) merges repeated labels
        above = grid.header[r - 1] if r > 0 else None
        spans = header_spans(row, above, grid.n_index) if r < last else [1] * len(row)
        cells = []
        for j, (text, span) in enumerate(zip(row, spans)):
            if span == 0:
                continue
            scope = "" if j < grid.n_index else " scope='col'"
            colspan = f" colspan='{span}'" if span > 1 else ""
            cells.append(f"<th{scope}{_head_class(text)}{colspan}>{html.escape(text)}</th>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</thead><tbody>")
    for row in grid.body:
        heads = "".join(
            f"<th scope='row'{_head_class(t)}>{html.escape(t)}</th>" for t in row[: grid.n_index]
        )
        data = "".join(f"<td>{html.escape(t)}</td>" for t in row[grid.n_index :])
        parts.append(f"<tr>{heads}{data}</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _anchor(key: str) -> str:
    return "t-" + re.sub(r"[^0-9a-z]+", "-", key.lower()).strip("-")


def framed(page: str) -> str:
    """A whole HTML page shown inside a notebook cell: an ``<iframe>`` whose ``srcdoc``
    holds the page, so its styles stay inside the frame.

    Examples
    --------
    >>> frame = framed("<p>a & b</p>")
    >>> frame.startswith("<iframe") and 'srcdoc="&lt;p&gt;a &amp; b&lt;/p&gt;"' in frame
    True
    """
    return (
        "<iframe style='width:100%;height:600px;border:1px solid #ccc' srcdoc=\""
        + html.escape(page, quote=True)
        + '"></iframe>'
    )


def render_html(document: Document, charts: bool = True) -> str:
    """The document as one self-contained HTML page (styles inline, charts as SVG).

    Examples
    --------
    >>> doc = Document("Titel", "nl", (Heading("Titel", 1), Paragraph("Tekst <1>")))
    >>> page = render_html(doc)
    >>> "<h1>Titel</h1>" in page and "Tekst &lt;1&gt;" in page
    True
    """
    body: list[str] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 6)
            body.append(f"<h{level}>{html.escape(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            css = f" class='peo-{block.kind}'" if block.kind else ""
            body.append(f"<p{css}>{html.escape(block.text)}</p>")
        else:
            table = _html_table(table_cells(block.frame()))
            notes = "".join(f"<p class='peo-note'>{html.escape(n)}</p>" for n in block.all_notes())
            chart = block.chart.to_svg() if charts and block.chart is not None else ""
            figure = f"<figure class='peo-figure'>{chart}</figure>" if chart else ""
            body.append(
                f"<section class='peo-block' id='{_anchor(block.key)}'>"
                f"<h3>{html.escape(block.caption)}</h3>"
                f"<div class='peo-table-wrap'>{table}</div>{notes}{figure}</section>"
            )
    return (
        f"<!DOCTYPE html>\n<html lang='{html.escape(document.lang)}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(document.title)}</title><style>{_css()}</style></head>"
        f"<body><main>{''.join(body)}</main></body></html>\n"
    )


# --------------------------------------------------------------------------------------
# Saving: the format follows the file name
# --------------------------------------------------------------------------------------

#: The file types a report is written as, by suffix.
FORMATS = {".html": "HTML page", ".htm": "HTML page", ".docx": "Word file"}


def check_output(path: str | Path, argument: str = "out") -> Path:
    """``path`` as a Path if a report can be written there: a known suffix
    (:data:`FORMATS`) and a folder that exists. Checked before a report is built.

    Examples
    --------
    >>> check_output("rapport.docx").suffix
    '.docx'
    """
    target = Path(path)
    if target.suffix.lower() not in FORMATS:
        raise ParameterError(
            f"{argument}={str(target)!r} must end in .html, .htm (a web page) or .docx "
            f"(a Word file), got {target.suffix or 'no suffix'!r}."
        )
    if not target.parent.exists():
        raise FileNotFoundError(
            f"{argument}={str(target)!r}: folder {str(target.parent)!r} does not exist."
        )
    return target


def save(document: Document, path: str | Path, *, html: str | None = None) -> Path:
    """Write ``document`` to ``path`` as the suffix says: ``.html``/``.htm`` an HTML
    page (``html`` if already rendered), ``.docx`` a Word file. Returns the path."""
    target = check_output(path)
    if target.suffix.lower() == ".docx":
        from peoscales._docx import render_docx

        return render_docx(document, target)
    target.write_text(render_html(document) if html is None else html, encoding="utf-8")
    return target


# --------------------------------------------------------------------------------------
# Workbook: every table as displayed
# --------------------------------------------------------------------------------------


def write_workbook(tables: list[tuple[str, Result]], path: str | Path) -> Path:
    """Write each (key, result) table, as displayed (rounded and suppressed), to a sheet
    of an .xlsx workbook, its title and notes under it; return the path.

    Text that starts like a formula is stored as text, never as a formula."""
    from peoscales._spreadsheet import keep_text_as_text

    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise ParameterError(f"xlsx={str(target)!r} must end in .xlsx.")
    if not target.parent.exists():
        raise FileNotFoundError(
            f"xlsx={str(target)!r}: folder {str(target.parent)!r} does not exist."
        )
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for number, (key, table) in enumerate(tables, start=1):
            # Excel sheet names: at most 31 characters, unique, no []:*?/\
            name = re.sub(r"[\[\]:*?/\\]", "_", f"{number:02d} {key}")[:31]
            block = Table("", "", table)
            frame = block.frame()
            frame.to_excel(writer, sheet_name=name)
            sheet = writer.sheets[name]
            row = frame.shape[0] + (frame.columns.nlevels if frame.columns.nlevels > 1 else 1) + 2
            sheet.cell(row=row, column=1, value=getattr(table, "title", key))
            for offset, note in enumerate(block.all_notes(), start=1):
                sheet.cell(row=row + offset, column=1, value=note)
            keep_text_as_text(sheet)  # labels and titles from codebooks stay text
    return target
