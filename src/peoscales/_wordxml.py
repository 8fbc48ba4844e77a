"""Pieces of WordprocessingML shared by the Word writers (report documents and
:class:`~peoscales.apa.ApaTable`): elements in the schema's order, APA rules of a
table, fields, text XML can hold, and zip files that are the same on every run.

python-docx is imported inside the functions, only when a file is written.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

__all__ = [
    "apa_rules",
    "body_font",
    "border",
    "element",
    "field",
    "fixed_dates",
    "longest_word_ems",
    "replace_child",
    "rule_under",
    "text_ems",
    "xml_text",
]

# The elements that follow tblBorders in a tblPr (ECMA-376 17.4.60) and tcBorders in
# a tcPr (17.4.70): Word wants children in the schema's order (a file with them out of
# order is "unreadable" to it), so new ones go before these.
AFTER_TBL_BORDERS = (
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
)
AFTER_TC_BORDERS = (
    "w:shd",
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
    "w:headers",
    "w:cellIns",
    "w:cellDel",
    "w:cellMerge",
    "w:tcPrChange",
)
# Character widths in ems, close to (a little over) Calibri's, Word's narrow body font.
_NARROW = frozenset(" .,:;'’!|()[]{}ijlrtfI-")
_WIDE = frozenset("mwMW%@")
# Fixed date of every member of the zip file, so two runs give the same bytes.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def element(tag: str, **attributes: str) -> Any:
    """A new ``w:`` element with ``w:`` attributes: ``element("w:lang", val="nl-NL")``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    made = OxmlElement(tag)
    for name, value in attributes.items():
        made.set(qn(f"w:{name}"), value)
    return made


def replace_child(parent: Any, child: Any) -> None:
    """Put ``child`` in ``parent``, replacing an element of the same tag."""
    for old in parent.findall(child.tag):
        parent.remove(old)
    parent.append(child)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` with the characters XML cannot hold (control characters such as the
    vertical tab some spreadsheets put in a cell) shown as U+FFFD, the replacement
    character, instead of failing the whole file.

    Examples
    --------
    >>> xml_text("a\x0bb")
    'a\ufffdb'
    """
    return _NOT_XML.sub("\ufffd", text)


def field(paragraph: Any, instruction: str, shown: str, bold: bool = False) -> None:
    """A Word field (begin, instruction, separate, the value shown, end) at the end
    of ``paragraph``; Word recomputes the value when fields are updated."""
    runs = [paragraph.add_run() for _ in range(5)]
    runs[0]._r.append(element("w:fldChar", fldCharType="begin"))
    code = element("w:instrText")
    code.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    code.text = instruction
    runs[1]._r.append(code)
    runs[2]._r.append(element("w:fldChar", fldCharType="separate"))
    runs[3].text = shown
    runs[4]._r.append(element("w:fldChar", fldCharType="end"))
    for run in runs:
        run.bold = bold


def border(side: str, size: int) -> Any:
    """A rule (``size`` in eighths of a point) or, with ``size`` 0, no rule."""
    if size == 0:
        return element(f"w:{side}", val="nil")
    return element(f"w:{side}", val="single", sz=str(size), space="0", color="000000")


def text_ems(text: str, bold: bool = False) -> float:
    """Estimated width of ``text`` in ems (bold type is some 5% wider), from widths
    close to (a little over) Calibri's; they decide the widths of table columns.

    Examples
    --------
    >>> round(text_ems("n = 178"), 2)
    3.2
    """
    width = sum(
        0.3 if ch in _NARROW else 0.85 if ch in _WIDE else 0.62 if ch.isupper() else 0.52
        for ch in text
    )
    return width * (1.05 if bold else 1.0)


def longest_word_ems(text: str, bold: bool = False) -> float:
    """Estimated width in ems of the longest word of ``text`` (where it can wrap)."""
    return max((text_ems(word, bold) for word in text.split()), default=0.0)


def body_font(word: Any, font: str) -> Any:
    """Set the document's default font (its run defaults) to ``font`` and return
    those run defaults (``w:rPr``). python-docx's template takes its body font,
    Cambria, from the theme; Calibri is Word's own body font and one APA names."""
    from docx.oxml.ns import qn

    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:  # pragma: no cover - the template has them
        defaults = element("w:docDefaults")
        styles.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:  # pragma: no cover - the template has them
        run_defaults = element("w:rPrDefault")
        defaults.insert(0, run_defaults)
    rpr = run_defaults.find(qn("w:rPr"))
    if rpr is None:  # pragma: no cover - the template has them
        rpr = element("w:rPr")
        run_defaults.append(rpr)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:  # pragma: no cover - the template has them
        fonts = element("w:rFonts")
        rpr.insert(0, fonts)
    for name in ("asciiTheme", "hAnsiTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{name}"), None)
    for name in ("ascii", "hAnsi", "cs"):
        fonts.set(qn(f"w:{name}"), font)
    return rpr


def apa_rules(table: Any) -> None:
    """APA's rules of a table (Publication Manual, 7th ed., 7.12): one above the table
    and one under it, no vertical rules and none between rows. The rule under the
    column heads goes on their cells (:func:`rule_under`)."""
    borders = element("w:tblBorders")
    for side, size in (("top", 8), ("left", 0), ("bottom", 8), ("right", 0)):
        borders.append(border(side, size))
    borders.append(border("insideH", 0))
    borders.append(border("insideV", 0))
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(borders.tag):
        tbl_pr.remove(old)
    tbl_pr.insert_element_before(borders, *AFTER_TBL_BORDERS)


def rule_under(cell: Any, size: int) -> None:
    """A rule under ``cell`` (``size`` in eighths of a point)."""
    from docx.oxml.ns import qn

    tc_pr = cell._tc.get_or_add_tcPr()
    tc_borders = tc_pr.find(qn("w:tcBorders"))
    if tc_borders is None:
        tc_borders = element("w:tcBorders")
        tc_pr.insert_element_before(tc_borders, *AFTER_TC_BORDERS)
    replace_child(tc_borders, border("bottom", size))


def fixed_dates(package: bytes) -> bytes:
    """The zip file with every member dated the same fixed day, in the same order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, source.read(info.filename))
    return out.getvalue()
