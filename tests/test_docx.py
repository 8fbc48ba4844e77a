"""Word output of report documents: read every file back with python-docx and check that
it holds what the HTML page shows (the same text grid per table), in APA layout."""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peoscales._document import Chart, Document, Heading, Paragraph, Table, table_cells
from peoscales._results import Result
from peoscales.errors import MissingDependencyError, ParameterError

docx = pytest.importorskip("docx")

from peoscales._docx import render_docx  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class _Frame(Result):
    """A table result made by hand: a frame to show and its notes."""

    def __init__(self, frame: pd.DataFrame, notes: tuple[str, ...] = ()) -> None:
        self.frame = frame
        self._notes = notes

    def to_frame(self) -> pd.DataFrame:
        return self.frame

    def notes(self) -> list[str]:
        return list(self._notes)

    def summary(self) -> str:
        return self.frame.to_string()

    def _repr_html_(self) -> str:
        return self.frame.to_html()


def _frequency() -> pd.DataFrame:
    return pd.DataFrame(
        {"n": ["59", "47", "<5"], "%": ["33", "26", "x"]},
        index=pd.Index(["Specialistisch", "Gecertificeerd", "Anders"], name="Type werkgever"),
    )


def _crosstab() -> pd.DataFrame:
    columns = pd.MultiIndex.from_tuples(
        [
            ("Ruimte algemeen***", "(ruim) onvoldoende"),
            ("Ruimte algemeen***", "(ruim) voldoende"),
            ("Reflecteren*", "(ruim) onvoldoende"),
            ("Reflecteren*", "(ruim) voldoende"),
            ("Totaal", ""),
        ],
        names=["Ruimte", None],
    )
    return pd.DataFrame(
        [
            ["x", "x", "9", "6", "7"],
            ["64", "49", "61", "44", "51"],
            ["25", "153", "75", "103", "178"],
        ],
        index=pd.Index(["1-5", "6-7", "n"], name="Werkplezier"),
        columns=columns,
    )


def _wide() -> pd.DataFrame:
    labels = [f"Een lange kolomkop nummer {i} met uitleg" for i in range(12)]
    return pd.DataFrame([["12.5"] * 12, ["8.0"] * 12], index=["a", "b"], columns=labels)


def _draw(fig: Any) -> None:
    fig.add_subplot().bar([1, 2], [3, 4])


CHART = Chart(_draw, 1.5, "Type werkgever, staafdiagram")


def _document(lang: str = "nl") -> Document:
    word = "Tabel" if lang == "nl" else "Table"
    return Document(
        title="Rapport 2021",
        lang=lang,
        blocks=(
            Heading("Rapport 2021", 1),
            Paragraph("Rapportage van 178 respondenten.", "intro"),
            Heading("1 Respons", 2),
            Table(
                "1.1",
                f"{word} 1.1 Type werkgever",
                _Frame(_frequency(), ("Percentages van 178 respondenten.",)),
                chart=CHART,
                notes=("x: minder dan 5.",),
            ),
            Heading("2 Vast onderdeel", 2),
            Heading("Relaties", 3),
            Table("2.10", f"{word} 2.10 Werkplezier naar ruimte", _Frame(_crosstab())),
            Table("wide", "Een brede tabel zonder nummer", _Frame(_wide())),
            Paragraph("Een noot bij het geheel.", "note"),
            Heading("3 Thematisch deel", 2),
            Table("3.1", f"{word} 3.1 Nog eens", _Frame(_frequency())),
        ),
        n=178,
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Document, Path]:
    document = _document()
    path = render_docx(document, tmp_path_factory.mktemp("docx") / "rapport.docx")
    return document, path


def _cells(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _tables(document: Document) -> list[Table]:
    return [b for b in document.blocks if isinstance(b, Table)]


def test_every_table_holds_the_grid_the_html_shows(written: tuple[Document, Path]) -> None:
    document, path = written
    word = docx.Document(str(path))
    blocks = _tables(document)
    assert len(word.tables) == len(blocks)
    for table, block in zip(word.tables, blocks):
        assert _cells(table) == table_cells(block.frame()).rows, block.key


def test_spanning_header_labels_are_merged_cells(written: tuple[Document, Path]) -> None:
    _, path = written
    table = docx.Document(str(path)).tables[1]
    top = table.rows[0]._tr.tc_lst
    # the index cell, two labels over two columns each, and "Totaal"
    assert [tc.grid_span for tc in top] == [1, 2, 2, 1]
    assert [tc.grid_span for tc in table.rows[1]._tr.tc_lst] == [1] * 6
    assert table.rows[0].cells[1].text == "Ruimte algemeen***"


def test_apa_rules_only_above_under_the_heads_and_below(written: tuple[Document, Path]) -> None:
    _, path = written
    table = docx.Document(str(path)).tables[1]
    borders = table._tbl.tblPr.find(f"{W}tblBorders")
    sides = {child.tag.replace(W, ""): child.get(f"{W}val") for child in borders}
    assert sides == {
        "top": "single",
        "bottom": "single",
        "left": "nil",
        "right": "nil",
        "insideH": "nil",
        "insideV": "nil",
    }

    def bottom_rule(tc: Any) -> str | None:
        rule = tc.find(f"{W}tcPr/{W}tcBorders/{W}bottom")
        return None if rule is None else rule.get(f"{W}val")

    # every cell of the last header row has the rule under the column heads
    assert {bottom_rule(tc) for tc in table.rows[1]._tr.tc_lst} == {"single"}
    # in the row above, only the labels spanning columns are underlined
    assert [bottom_rule(tc) for tc in table.rows[0]._tr.tc_lst] == [None, "single", "single", None]
    assert all(bottom_rule(tc) is None for row in table.rows[2:] for tc in row._tr.tc_lst)
    # header rows repeat on a new page; header text bold, numbers right-aligned
    assert all(row._tr.trPr.find(f"{W}tblHeader") is not None for row in table.rows[:2])
    assert all(row._tr.trPr.find(f"{W}tblHeader") is None for row in table.rows[2:])
    assert all(run.bold for cell in table.rows[1].cells for p in cell.paragraphs for run in p.runs)
    body = table.rows[3].cells
    assert body[0].paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.LEFT
    assert {c.paragraphs[0].alignment for c in body[1:]} == {
        docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    }


# The schema's order of the children Word checks (ECMA-376 Part 1, 17.4.60, 17.4.70,
# 17.7.5.1 and 17.15.1.78 ff.); a file with them out of order is "unreadable" to Word.
SCHEMA_ORDER = {
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize "
    "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
    "tblDescription tblPrChange",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
    "tcFitText vAlign hideMark headers cellIns cellDel cellMerge tcPrChange",
    "tcBorders": "top start left bottom end right insideH insideV tl2br tr2bl",
    "tblBorders": "top start left bottom end right insideH insideV",
    "settings": "writeProtection view zoom removePersonalInformation removeDateAndTime "
    "doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText "
    "printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts "
    "saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges "
    "bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors "
    "hideGrammaticalErrors activeWritingStyle proofState formsDesign attachedTemplate "
    "linkStyles stylePaneFormatFilter stylePaneSortMethod documentType mailMerge "
    "revisionView trackRevisions doNotTrackMoves doNotTrackFormatting documentProtection "
    "autoFormatOverride styleLockTheme styleLockQFSet defaultTabStop autoHyphenation "
    "consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps showEnvelope "
    "summaryLength clickAndTypeStyle defaultTableStyle evenAndOddHeaders "
    "bookFoldRevPrinting bookFoldPrinting bookFoldPrintingSheets "
    "drawingGridHorizontalSpacing drawingGridVerticalSpacing "
    "displayHorizontalDrawingGridEvery displayVerticalDrawingGridEvery "
    "doNotUseMarginsForDrawingGridOrigin drawingGridHorizontalOrigin "
    "drawingGridVerticalOrigin doNotShadeFormData noPunctuationKerning "
    "characterSpacingControl printTwoOnOne strictFirstAndLastChars noLineBreaksAfter "
    "noLineBreaksBefore savePreviewPicture doNotValidateAgainstSchema saveInvalidXml "
    "ignoreMixedContent alwaysShowPlaceholderText doNotDemarcateInvalidXml "
    "saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags "
    "alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr endnotePr compat "
    "docVars rsids mathPr attachedSchema themeFontLang clrSchemeMapping "
    "doNotIncludeSubdocsInStats doNotAutoCompressPictures forceUpgrade captions "
    "readModeInkLockDown smartTagType schemaLibrary shapeDefaults doNotEmbedSmartTags "
    "decimalSymbol listSeparator",
}


def _local(element: Any) -> str:
    return element.tag.rsplit("}", 1)[-1]


def test_word_finds_every_element_it_checks_in_the_schema_order(
    written: tuple[Document, Path],
) -> None:
    _, path = written
    word = docx.Document(str(path))
    parents = [*word.element.body.iter(), *word.settings.element.iter()]
    checked = 0
    for parent in parents:
        order = SCHEMA_ORDER.get(_local(parent))
        if order is None:
            continue
        names = order.split()
        # extension elements of later Word versions (w14:...) follow the schema's own
        children = [_local(c) for c in parent if c.tag.startswith(W)]
        assert all(c in names for c in children), (_local(parent), children)
        positions = [names.index(c) for c in children]
        assert positions == sorted(positions), (_local(parent), children)
        checked += 1
    assert checked > 50


def test_headings_use_word_heading_styles_in_order(written: tuple[Document, Path]) -> None:
    document, path = written
    word = docx.Document(str(path))
    got = [
        (p.text, int(p.style.name.split()[-1]))
        for p in word.paragraphs
        if p.style.name.startswith("Heading")
    ]
    assert got == [(b.text, b.level) for b in document.blocks if isinstance(b, Heading)]
    # the navigation pane lists paragraphs with an outline level: the Heading styles have it
    styles = {p.style.name for p in word.paragraphs if p.style.name.startswith("Heading")}
    for name in styles:
        outline = word.styles[name].element.find(f"{W}pPr/{W}outlineLvl")
        assert outline is not None and int(outline.get(f"{W}val")) == int(name[-1]) - 1


def _instructions(paragraph: Any) -> str:
    return "".join(t.text for t in paragraph._p.iter(f"{W}instrText"))


def test_captions_are_numbered_word_captions_above_their_tables(
    written: tuple[Document, Path],
) -> None:
    document, path = written
    word = docx.Document(str(path))
    body = list(word.element.body.iterchildren())
    captions = [p for p in word.paragraphs if p.style.name == "Caption"]
    blocks = _tables(document)
    assert [c.text.replace("\n", " ") for c in captions] == [b.caption for b in blocks]
    for caption, block, table in zip(captions, blocks, word.tables):
        # the caption is the paragraph right above its table
        assert body.index(caption._p) + 1 == body.index(table._tbl)
        match = re.match(r"Tabel (?:\d+\.)*(\d+) ", block.caption)
        if match:
            assert _instructions(caption) == f" SEQ Tabel \\* ARABIC \\r {match.group(1)} "
            assert caption.runs[0].bold and caption.runs[-1].italic
        else:
            assert _instructions(caption) == ""


def test_notes_follow_their_table_and_start_with_noot(written: tuple[Document, Path]) -> None:
    _, path = written
    word = docx.Document(str(path))
    notes = [p.text for p in word.paragraphs if p.style.name == "Table Note"]
    expected = [
        "Noot. Percentages van 178 respondenten.",
        "x: minder dan 5.",
        "Een noot bij het geheel.",
    ]
    assert notes == expected
    first = next(p for p in word.paragraphs if p.text == expected[0])
    assert first.runs[0].text == "Noot." and first.runs[0].italic


def test_one_picture_per_chart_with_its_title_as_alt_text(written: tuple[Document, Path]) -> None:
    document, path = written
    word = docx.Document(str(path))
    charts = [b.chart for b in _tables(document) if b.chart is not None]
    assert len(word.inline_shapes) == len(charts) == 1
    section = word.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    assert 0.5 * text_width < word.inline_shapes[0].width <= text_width
    described = word.element.body.xpath(".//wp:docPr/@descr")
    assert described == [c.title for c in charts]
    with zipfile.ZipFile(path) as package:
        assert [n for n in package.namelist() if n.startswith("word/media/")] == [
            "word/media/image1.png"
        ]


def test_no_pictures_without_charts(tmp_path: Path) -> None:
    path = render_docx(_document(), tmp_path / "a.docx", charts=False)
    assert len(docx.Document(str(path)).inline_shapes) == 0


def _section_of_each_table(word: Any) -> list[int]:
    """The index of the section each table is in (a section ends at a paragraph
    holding a sectPr; the last one at the body's own sectPr)."""
    found, section = [], 0
    for element in word.element.body.iterchildren():
        if element.tag == f"{W}tbl":
            found.append(section)
        elif element.find(f"{W}pPr/{W}sectPr") is not None:
            section += 1
    return found


def test_a_wide_table_gets_a_page_on_its_side_and_fits_it(written: tuple[Document, Path]) -> None:
    _, path = written
    word = docx.Document(str(path))
    orientation = docx.enum.section.WD_ORIENT
    sections = word.sections
    # upright, then on its side from the wide table, upright again at the next heading
    assert [s.orientation for s in sections] == [
        orientation.PORTRAIT,
        orientation.LANDSCAPE,
        orientation.PORTRAIT,
    ]
    assert [(round(s.page_width.cm, 1), round(s.page_height.cm, 1)) for s in sections] == [
        (21.0, 29.7),
        (29.7, 21.0),
        (21.0, 29.7),
    ]
    assert _section_of_each_table(word) == [0, 0, 1, 2]
    for table, index in zip(word.tables, _section_of_each_table(word)):
        section = sections[index]
        text_width = section.page_width - section.left_margin - section.right_margin
        assert sum(column.width for column in table.columns) <= text_width
    # the wide table needs more than an upright page gives
    wide = word.tables[2]
    assert (
        sum(column.width for column in wide.columns)
        > sections[0].page_width - 2 * sections[0].left_margin
    )


def test_caption_table_and_notes_keep_together(written: tuple[Document, Path]) -> None:
    _, path = written
    word = docx.Document(str(path))
    assert word.styles["Caption"].paragraph_format.keep_with_next

    def keeps(table: Any) -> list[bool]:
        return [
            bool(c.paragraphs[0].paragraph_format.keep_with_next)
            for r in table.rows
            for c in r.cells
        ]

    # Tabel 1.1 has notes: every row keeps with the next paragraph, down to the first note
    assert all(keeps(word.tables[0]))
    notes = [p for p in word.paragraphs if p.style.name == "Table Note"][:2]
    assert [bool(p.paragraph_format.keep_with_next) for p in notes] == [True, False]
    # the wide table has none: its last row may end a page
    wide = word.tables[2]
    last = len(wide.columns)
    assert all(keeps(wide)[:-last]) and not any(keeps(wide)[-last:])


def test_every_page_is_numbered_at_the_top_right(written: tuple[Document, Path]) -> None:
    _, path = written
    sections = docx.Document(str(path)).sections
    header = sections[0].header.paragraphs[0]
    assert _instructions(header) == " PAGE "
    assert header.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert all(s.header.is_linked_to_previous for s in sections[1:])


def test_a_heading_goes_with_the_wide_table_it_leads_to(tmp_path: Path) -> None:
    document = Document(
        "t",
        "nl",
        (
            Heading("Rapport", 1),
            Paragraph("Inleiding."),
            Heading("Breed", 2),
            Paragraph("Over de brede tabel."),
            Table("b", "Tabel 1 Breed", _Frame(_wide())),
            Heading("Smal", 2),
            Table("s", "Tabel 2 Smal", _Frame(_frequency())),
        ),
    )
    word = docx.Document(str(render_docx(document, tmp_path / "a.docx")))
    section_of: dict[str, int] = {}
    section = 0
    for element in word.element.body.iterchildren():
        text = "".join(t.text or "" for t in element.iter(f"{W}t"))
        section_of.setdefault(text, section)
        if element.find(f"{W}pPr/{W}sectPr") is not None:
            section += 1
    orientation = docx.enum.section.WD_ORIENT
    assert [s.orientation for s in word.sections] == [
        orientation.PORTRAIT,
        orientation.LANDSCAPE,
        orientation.PORTRAIT,
    ]
    assert section_of["Inleiding."] == 0
    assert section_of["Breed"] == section_of["Over de brede tabel."] == 1
    assert section_of["Smal"] == 2


def test_the_document_carries_its_language_title_and_no_date(tmp_path: Path) -> None:
    for lang, tag in (("nl", "nl-NL"), ("en", "en-GB")):
        path = render_docx(_document(lang), tmp_path / f"{lang}.docx")
        word = docx.Document(str(path))
        lang_default = word.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
        assert lang_default.get(f"{W}val") == tag
        fonts = word.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
        assert {fonts.get(f"{W}{k}") for k in ("ascii", "hAnsi", "cs")} == {"Calibri"}
        props = word.core_properties
        assert (props.title, props.language, props.author) == ("Rapport 2021", tag, "")
        assert props.created is None and props.modified is None
        section = word.sections[0]
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
        assert round(section.left_margin.cm, 2) == 2.5
    notes = [p.text for p in word.paragraphs if p.style.name == "Table Note"]
    assert notes[0].startswith("Note. ")


def test_two_runs_give_identical_files(tmp_path: Path) -> None:
    first = render_docx(_document(), tmp_path / "a.docx").read_bytes()
    second = render_docx(_document(), tmp_path / "b.docx").read_bytes()
    assert first == second


def test_the_file_refers_to_nothing_outside_it(written: tuple[Document, Path]) -> None:
    _, path = written
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        names = package.namelist()
        assert "docProps/thumbnail.jpeg" not in names
        for name in names:
            if name.endswith(".rels"):
                text = package.read(name).decode("utf-8")
                assert 'TargetMode="External"' not in text, name
                assert "http://" not in re.sub(r'Type="[^"]*"|xmlns="[^"]*"', "", text), name


def test_the_result_frames_are_not_changed(tmp_path: Path) -> None:
    document = _document()
    before = [b.frame().copy() for b in _tables(document)]
    render_docx(document, tmp_path / "a.docx")
    for block, frame in zip(_tables(document), before):
        pd.testing.assert_frame_equal(block.frame(), frame)


def test_bad_paths_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match=r"path='.*a\.html' must end in \.docx"):
        render_docx(_document(), tmp_path / "a.html")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        render_docx(_document(), tmp_path / "no" / "a.docx")


def test_missing_python_docx_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(MissingDependencyError, match=r'pip install "peoscales\[report\]"'):
        render_docx(_document(), tmp_path / "a.docx")


_LABEL = st.text(alphabet="abcéMW <>&%*()0123456789\n\t\x0b", min_size=0, max_size=40)


@st.composite
def _frames(draw: Any) -> pd.DataFrame:
    n_rows = draw(st.integers(1, 5))
    n_cols = draw(st.integers(1, 30))
    levels = draw(st.integers(1, 3))
    tops = draw(st.lists(st.sampled_from(["A", "B", "C b", ""]), min_size=n_cols, max_size=n_cols))
    tuples = [
        tuple([top] * (levels - 1) + [f"k{j}"]) if levels > 1 else (f"k{j}",)
        for j, top in enumerate(tops)
    ]
    columns = pd.MultiIndex.from_tuples(tuples) if levels > 1 else pd.Index([t[0] for t in tuples])
    values = draw(
        st.lists(
            st.lists(_LABEL, min_size=n_cols, max_size=n_cols), min_size=n_rows, max_size=n_rows
        )
    )
    if draw(st.booleans()):
        index = pd.MultiIndex.from_tuples(
            [(draw(st.sampled_from(["g1", "g2"])), f"r{i}") for i in range(n_rows)],
            names=["groep", "rij"],
        )
    else:
        index = pd.Index([f"r{i}" for i in range(n_rows)], name=draw(st.sampled_from([None, "x"])))
    return pd.DataFrame(values, index=index, columns=columns)


@settings(max_examples=30)  # each example writes and reads a Word file
@given(frame=_frames())
def test_any_frame_reads_back_as_its_grid(frame: pd.DataFrame) -> None:
    import tempfile

    document = Document("t", "en", (Table("t", "Table 1 t", _Frame(frame)),))
    with tempfile.TemporaryDirectory() as folder:
        path = render_docx(document, Path(folder) / "t.docx")
        word = docx.Document(str(path))
        (table,) = word.tables
        expected = [
            [text.replace("\x0b", "\ufffd") for text in row] for row in table_cells(frame).rows
        ]
        assert _cells(table) == expected
        # nothing is cut: the columns fit the text width of the page the table is on
        section = word.sections[-1]
        text_width = section.page_width - section.left_margin - section.right_margin
        assert sum(column.width for column in table.columns) <= text_width


def test_characters_xml_cannot_hold_are_replaced_not_fatal(tmp_path: Path) -> None:
    # a vertical tab is how some spreadsheets export a line break inside a cell
    frame = pd.DataFrame({"n\x0b%": ["1\x0b2"]}, index=pd.Index(["a\x01b"], name="x\x00"))
    document = Document(
        "t\x0c",
        "nl",
        (Heading("kop\x0b", 1), Paragraph("p\x1fq"), Table("t", "Tabel 1 t\x0b", _Frame(frame))),
    )
    word = docx.Document(str(render_docx(document, tmp_path / "a.docx")))
    assert [p.text for p in word.paragraphs[:2]] == ["kop\ufffd", "p\ufffdq"]
    assert _cells(word.tables[0]) == [["x\ufffd", "n\ufffd%"], ["a\ufffdb", "1\ufffd2"]]
    assert word.core_properties.title == "t\ufffd"
