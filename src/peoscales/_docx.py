"""Word output of a report :class:`~peoscales._document.Document`.

The same blocks the HTML page shows become a Word file: headings in Word's own
Heading 1/2/3 styles (so the navigation pane shows them), every table a real
Word table with exactly the text grid of :func:`~peoscales._document.table_cells`,
laid out in APA style, its caption above it and its notes below it, and each
chart as a PNG picture. python-docx is imported only here, when a file is
written (the ``report`` extra).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peoscales._document import (
    Document,
    Grid,
    Heading,
    Paragraph,
    Table,
    header_spans,
    table_cells,
)
from peoscales._wordxml import (
    apa_rules,
    body_font,
    element,
    field,
    fixed_dates,
    longest_word_ems,
    rule_under,
    text_ems,
    xml_text,
)
from peoscales.errors import ParameterError

__all__ = ["render_docx"]

#: The language tag Word gets for a report language (spelling check, hyphenation).
LANGUAGE_TAGS = {"nl": "nl-NL", "en": "en-GB"}
_NOTE_WORD = {"nl": "Noot.", "en": "Note."}

# A4, with margins of 2.5 cm: the text is 16.0 cm wide upright and 24.7 cm on its side.
_PAGE_CM = (21.0, 29.7)
_MARGIN_CM = 2.5
_TEXT_CM = {False: _PAGE_CM[0] - 2 * _MARGIN_CM, True: _PAGE_CM[1] - 2 * _MARGIN_CM}
_FONT = "Calibri"
# Table text size, and the smaller one for tables too wide even for a page on its side.
_TABLE_PT = 9.0
_SMALL_PT = 7.5
# The padding of a cell (Word's default cell margins, 0.19 cm a side), the narrowest
# column, and centimetres per point.
_PAD_CM = 0.4
_MIN_COL_CM = 1.0
# Room left for Word's rounding of each width to a twentieth of a point.
_SLACK_CM = 0.1
_CM_PER_PT = 2.54 / 72
# Row labels and header labels wrap: a row label to lines of about this many ems
# (16 ems are some 30 letters; 10 if that keeps the page upright), a header label to
# at most 3 lines (6 if that keeps the page upright).
_LABEL_EMS = (16.0, 10.0)
_HEADER_LINES = (3, 6)
# "Tabel 2.4 Title" / "Table 1 Title": the label, the number's prefix ("2.") and
# its last part ("4"), which Word's SEQ field shows.
_NUMBERED = re.compile(r"^(Tabel|Table)\s+((?:\d+\.)*)(\d+)(?=\s|$)\s*(.*)$", re.S)
# The elements that follow themeFontLang in the settings (ECMA-376 17.15.1.88):
# Word wants children in the schema's order, so a new one goes before these.
_AFTER_FONT_LANG = (
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)


def render_docx(document: Document, path: str | Path, *, charts: bool = True) -> Path:
    """Write ``document`` as a Word file and return its path.

    Parameters
    ----------
    document : Document
        The report's blocks (headings, paragraphs, tables with their charts).
    path : str or Path
        The ``.docx`` file to write (an existing file is replaced). Its folder
        must exist.
    charts : bool
        Put each table's chart under it as a PNG picture (needs matplotlib).

    Returns
    -------
    Path
        ``path``.

    Notes
    -----
    Tables follow the APA Publication Manual (7th ed., section 7.8-7.14): no
    vertical rules, a rule above and below the column heads and one under the
    table; the caption above the table (number in bold, title in italics on
    the next line) in Word's Caption style, with the number as a ``SEQ`` field
    (fixed to the report's number with ``\\r``, so published numbering with
    gaps survives a field update); notes under the table, the first starting
    with *Noot.* / *Note.*. Header labels that span several columns of a
    multi-level header are merged cells. A table too wide for an upright A4
    page goes in a section on its side (with the heading and text leading to
    it, and the tables after it up to the next heading); one too wide for that
    too is set in a smaller type with its columns shrunk to the page. Column
    widths come from the text, estimated with Calibri's character widths (the
    body font set); pages are numbered at the top right (APA 7th ed., 2.18).

    The file holds no creation or modification date and every zip member has
    the same fixed date, so two runs on the same report give identical bytes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from peoscales._document import Document, Heading, Paragraph
    >>> doc = Document("Rapport", "nl", (Heading("Rapport", 1), Paragraph("Tekst.")))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     render_docx(doc, pathlib.Path(folder) / "rapport.docx").name
    'rapport.docx'
    """
    from peoscales._optional import require

    require("docx", "Writing a .docx report")
    target = Path(path)
    if target.suffix.lower() != ".docx":
        raise ParameterError(f"path={str(target)!r} must end in .docx.")
    if not target.parent.exists():
        raise FileNotFoundError(
            f"path={str(target)!r}: folder {str(target.parent)!r} does not exist."
        )
    writer = _Writer(document.lang)
    writer.set_up(document)
    tables = {
        i: _Prepared.of(block)
        for i, block in enumerate(document.blocks)
        if isinstance(block, Table)
    }
    leads_to_side = _lead_ins(document.blocks, tables)
    for i, block in enumerate(document.blocks):
        if isinstance(block, Heading):
            writer.heading(block, landscape=leads_to_side[i])
        elif isinstance(block, Paragraph):
            writer.paragraph(block, landscape=leads_to_side[i])
        elif isinstance(block, Table):
            writer.table(block, tables[i], charts=charts)
        else:  # pragma: no cover - Document only holds the three kinds
            raise ParameterError(f"document.blocks: cannot render a {type(block).__name__}.")
    buffer = io.BytesIO()
    writer.word.save(buffer)
    target.write_bytes(fixed_dates(buffer.getvalue()))
    return target


# --------------------------------------------------------------------------------------
# Column widths
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """How one table is set: column widths (cm), type size and page orientation."""

    widths: tuple[float, ...]
    size_pt: float
    landscape: bool


def _wrapped(text: str, lines: int) -> float:
    """Ems per line that a bold header label needs to fit in ``lines`` lines."""
    return max(longest_word_ems(text, True), text_ems(text, True) / lines) if text else 0.0


#: The ways a table is tried, in order, until it fits: (type size, on its side,
#: header lines, row label ems).
_ATTEMPTS = (
    (_TABLE_PT, False, _HEADER_LINES[0], _LABEL_EMS[0]),
    (_TABLE_PT, False, _HEADER_LINES[1], _LABEL_EMS[0]),
    (_TABLE_PT, False, _HEADER_LINES[1], _LABEL_EMS[1]),
    (_TABLE_PT, True, _HEADER_LINES[0], _LABEL_EMS[0]),
    (_TABLE_PT, True, _HEADER_LINES[1], _LABEL_EMS[0]),
    (_SMALL_PT, True, _HEADER_LINES[1], _LABEL_EMS[1]),
)


def _layout(grid: Grid, spans: Sequence[Sequence[int]]) -> _Layout:
    """Column widths from the text, and whether the table needs a page on its side.

    Tried in order until the table fits (:data:`_ATTEMPTS`): upright in normal
    type, header and row labels wrapped more and more; then on its side; then in
    small type on its side; else the columns shrink to the page."""
    widths: list[float] = []
    for size, landscape, lines, label in _ATTEMPTS:
        ems = _column_ems(grid, spans, lines, label)
        widths = [max(e * size * _CM_PER_PT + _PAD_CM, _MIN_COL_CM) for e in ems]
        if sum(widths) <= _TEXT_CM[landscape] - _SLACK_CM:
            return _Layout(tuple(widths), size, landscape)
    scale = (_TEXT_CM[True] - _SLACK_CM) / sum(widths)
    return _Layout(tuple(w * scale for w in widths), _SMALL_PT, True)


def _column_ems(
    grid: Grid, spans: Sequence[Sequence[int]], lines: int, label: float
) -> list[float]:
    """Ems per line each column needs: header labels wrapped to ``lines`` lines, row
    labels to ``label`` ems, numbers on one line."""
    ems: list[float] = [0.0] * len(grid.rows[0])
    for row in grid.body:
        for j, text in enumerate(row):
            width = text_ems(text)
            need = width if j >= grid.n_index else max(min(width, label), longest_word_ems(text))
            ems[j] = max(ems[j], need)
    for row, row_spans in zip(grid.header, spans):
        for j, (text, span) in enumerate(zip(row, row_spans)):
            if span == 1:
                ems[j] = max(ems[j], _wrapped(text, lines))
    # a label spanning several columns widens them evenly if it does not fit
    for row, row_spans in zip(grid.header, spans):
        for j, (text, span) in enumerate(zip(row, row_spans)):
            if span > 1:
                short = _wrapped(text, lines) - sum(ems[j : j + span])
                for k in range(j, j + span):
                    ems[k] += max(short, 0.0) / span
    return ems


def _lead_ins(blocks: Sequence[Any], tables: dict[int, _Prepared]) -> list[bool]:
    """Which blocks lead in to a table on a page on its side, and go there with it:
    the text right above the table and the heading(s) above that text (never the
    report's title, and no text above those headings)."""
    leads = [False] * len(blocks)
    state = ""  # "text": above a wide table; "headings": above its text
    for i in reversed(range(len(blocks))):
        block = blocks[i]
        if i in tables:
            state = "text" if tables[i].layout.landscape else ""
        elif isinstance(block, Heading):
            leads[i] = bool(state) and block.level > 1
            state = "headings" if leads[i] else ""
        else:
            leads[i] = state == "text"
            state = state if leads[i] else ""
    return leads


@dataclass(frozen=True)
class _Prepared:
    """A table's text grid, header spans and layout, worked out before writing."""

    grid: Grid
    spans: list[list[int]]
    layout: _Layout

    @classmethod
    def of(cls, block: Table) -> _Prepared:
        grid = table_cells(block.frame())
        spans = _header_spans(grid)
        return cls(grid, spans, _layout(grid, spans))


def _header_spans(grid: Grid) -> list[list[int]]:
    """Column spans per header row: every row but the leaf row merges repeated labels."""
    last = len(grid.header) - 1
    spans = []
    for r, row in enumerate(grid.header):
        above = grid.header[r - 1] if r > 0 else None
        spans.append(header_spans(row, above, grid.n_index) if r < last else [1] * len(row))
    return spans


# --------------------------------------------------------------------------------------
# The writer
# --------------------------------------------------------------------------------------


class _Writer:
    def __init__(self, lang: str) -> None:
        import docx

        self.word = docx.Document()
        self.lang = lang
        self.landscape = False
        self.has_content = False
        self.style_ids: dict[str, str] = {}

    # -- the document as a whole ---------------------------------------------------------

    def set_up(self, document: Document) -> None:
        from docx.enum.section import WD_ORIENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.shared import Cm, Pt, RGBColor

        word = self.word
        section = word.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(_PAGE_CM[0]), Cm(_PAGE_CM[1])
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(_MARGIN_CM))
        # APA: the page number at the top right of every page (later sections
        # take this header over, as Word links them to the previous one)
        number = section.header.paragraphs[0]
        number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        field(number, " PAGE ", "1")
        tag = LANGUAGE_TAGS.get(document.lang, document.lang)
        self._set_font_and_language(tag)

        caption = word.styles["Caption"]
        caption.font.size = Pt(10)
        caption.font.bold = False
        caption.font.italic = False
        caption.font.color.rgb = RGBColor(0, 0, 0)
        caption.paragraph_format.keep_with_next = True
        caption.paragraph_format.space_before = Pt(12)
        caption.paragraph_format.space_after = Pt(4)
        note = word.styles.add_style("Table Note", 1)  # 1: a paragraph style
        note.base_style = word.styles["Normal"]
        note.font.size = Pt(_TABLE_PT)
        note.paragraph_format.space_before = Pt(2)
        note.paragraph_format.space_after = Pt(2)

        # What the file says about itself: the report's title and language, no
        # author, program or dates (no date keeps two runs byte-identical).
        props = word.core_properties
        props.title = xml_text(document.title)
        props.language = tag
        props.author = ""
        props.comments = ""
        props.last_modified_by = ""
        props.revision = 1
        for name in ("created", "modified", "lastPrinted"):
            for old in props._element.xpath(f"dcterms:{name} | cp:{name}"):
                props._element.remove(old)
        # the template's thumbnail pictures an empty page, not this report
        package_rels = word.part.package.rels
        for r_id, rel in list(package_rels.items()):
            if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
                package_rels.pop(r_id)

    def _set_font_and_language(self, tag: str) -> None:
        from docx.oxml.ns import qn

        rpr = body_font(self.word, _FONT)
        language = rpr.find(qn("w:lang"))
        if language is None:  # pragma: no cover - the template has one
            language = element("w:lang")
            rpr.insert_element_before(language, "w:eastAsianLayout", "w:specVanish", "w:oMath")
        language.set(qn("w:val"), tag)
        settings = self.word.settings.element
        for old in settings.findall(qn("w:themeFontLang")):
            settings.remove(old)
        settings.insert_element_before(element("w:themeFontLang", val=tag), *_AFTER_FONT_LANG)

    def _orient(self, landscape: bool) -> None:
        """Start a new section on its side (or upright) if the current one is not."""
        from docx.enum.section import WD_ORIENT, WD_SECTION
        from docx.shared import Cm

        if landscape == self.landscape:
            return
        section = (
            self.word.sections[-1]
            if not self.has_content
            else self.word.add_section(WD_SECTION.NEW_PAGE)
        )
        short, long = Cm(_PAGE_CM[0]), Cm(_PAGE_CM[1])
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (long, short) if landscape else (short, long)
        self.landscape = landscape

    # -- blocks ----------------------------------------------------------------------------

    def heading(self, block: Heading, landscape: bool) -> None:
        # a new part starts upright (unless its first table needs a page on its
        # side); tables after a wide one stay on its side until then, so narrow
        # and wide tables do not alternate page by page
        self._orient(landscape)
        self.word.add_heading(xml_text(block.text), level=min(max(block.level, 1), 9))
        self.has_content = True

    def paragraph(self, block: Paragraph, landscape: bool) -> None:
        if landscape:
            self._orient(True)
        paragraph = self._paragraph("Table Note" if block.kind == "note" else "")
        paragraph.add_run(xml_text(block.text))
        self.has_content = True

    def table(self, block: Table, prepared: _Prepared, charts: bool) -> None:
        if prepared.layout.landscape:
            self._orient(True)
        self._caption(block.caption)
        notes = block.all_notes()
        self._grid(prepared, block.caption, keep_with_notes=bool(notes))
        self._notes(notes)
        if charts and block.chart is not None:
            self._picture(block.chart.to_png(), block.chart.title)
        self.has_content = True

    def _paragraph(self, style: str) -> Any:
        """A new paragraph in ``style`` ("" for Normal). The style is set by its id:
        python-docx looks a style name up anew for every paragraph, slowly."""
        paragraph = self.word.add_paragraph()
        if style:
            if style not in self.style_ids:
                self.style_ids[style] = self.word.styles[style].style_id
            paragraph._p.get_or_add_pPr().style = self.style_ids[style]
        return paragraph

    def _caption(self, caption: str) -> None:
        """The caption in Word's Caption style; a numbered one as APA: "Tabel 2.4" in
        bold (the last number a SEQ field) and the title in italics on the next line."""
        from docx.enum.text import WD_BREAK

        paragraph = self._paragraph("Caption")
        match = _NUMBERED.match(caption)
        if match is None:
            paragraph.add_run(xml_text(caption)).italic = True
            return
        label, prefix, number, title = match.groups()
        paragraph.add_run(f"{label} {prefix}").bold = True
        # the SEQ field Word's Insert Caption makes, fixed to the report's number
        # with \r so that updating fields keeps the report's numbering
        field(paragraph, f" SEQ {label} \\* ARABIC \\r {number} ", number, bold=True)
        if title:
            paragraph.add_run().add_break(WD_BREAK.LINE)
            paragraph.add_run(xml_text(title)).italic = True

    def _grid(self, prepared: _Prepared, caption: str, keep_with_notes: bool) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt

        grid, spans, layout = prepared.grid, prepared.spans, prepared.layout
        rows = grid.rows
        n_header = len(grid.header)
        table = self.word.add_table(rows=len(rows), cols=len(rows[0]))
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        apa_rules(table)
        tbl_pr.append(element("w:tblCaption", val=xml_text(caption)))  # a screen reader's title
        for j, width in enumerate(layout.widths):
            table.columns[j].width = Cm(width)
        total = tbl_pr.find(qn("w:tblW"))
        total.set(qn("w:type"), "dxa")
        total.set(qn("w:w"), str(sum(Cm(w).twips for w in layout.widths)))

        for r, texts in enumerate(rows):
            row = table.rows[r]
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(element("w:cantSplit"))
            header = r < n_header
            if header:  # repeat the column heads on every page the table runs onto
                tr_pr.append(element("w:tblHeader"))
            cells = row.cells
            row_spans = spans[r] if header else [1] * len(texts)
            for j, (text, span) in enumerate(zip(texts, row_spans)):
                if span == 0:
                    continue
                cell = cells[j].merge(cells[j + span - 1]) if span > 1 else cells[j]
                cell.width = Cm(sum(layout.widths[j : j + span]))
                paragraph = cell.paragraphs[0]
                run = paragraph.add_run(xml_text(text))
                run.font.size = Pt(layout.size_pt)
                label = j < grid.n_index
                if header:
                    run.bold = True
                    paragraph.alignment = (
                        WD_ALIGN_PARAGRAPH.LEFT if label else WD_ALIGN_PARAGRAPH.CENTER
                    )
                else:
                    paragraph.alignment = (
                        WD_ALIGN_PARAGRAPH.LEFT if label else WD_ALIGN_PARAGRAPH.RIGHT
                    )
                fmt = paragraph.paragraph_format
                fmt.space_before = fmt.space_after = Pt(1)
                # keep the table on one page with its caption and notes where it fits
                fmt.keep_with_next = r < len(rows) - 1 or keep_with_notes
                if r == n_header - 1:
                    rule_under(cell, 6)  # the rule under the column heads
                elif header and span > 1 and text:
                    rule_under(cell, 4)  # a thinner rule under a label that spans columns

    def _notes(self, notes: Sequence[str]) -> None:
        for i, note in enumerate(notes):
            paragraph = self._paragraph("Table Note")
            if i == 0:
                paragraph.add_run(_NOTE_WORD.get(self.lang, "Note.")).italic = True
                paragraph.add_run(" ")
            paragraph.add_run(xml_text(note))
            paragraph.paragraph_format.keep_with_next = i < len(notes) - 1

    def _picture(self, png: bytes, title: str) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.image.image import Image
        from docx.shared import Cm

        # the chart at the size it was drawn, made smaller only to fit the text
        # width and (with room for a caption) the text height of its page
        image = Image.from_blob(png)
        width_cm = image.px_width / image.horz_dpi * 2.54
        height_cm = image.px_height / image.vert_dpi * 2.54
        room_height = _TEXT_CM[not self.landscape] - 3.0
        scale = min(1.0, _TEXT_CM[self.landscape] / width_cm, room_height / height_cm)
        self.word.add_picture(io.BytesIO(png), width=Cm(width_cm * scale))
        paragraph = self.word.paragraphs[-1]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # the chart's title as its alternative text, for screen readers
        for properties in paragraph._p.xpath(".//wp:docPr"):
            properties.set("descr", xml_text(title))
            properties.set("title", xml_text(title))
