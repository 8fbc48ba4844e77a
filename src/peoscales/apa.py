"""Tables in APA style, rendered as text, Markdown, HTML or LaTeX, or written to Word/Excel.

An :class:`ApaTable` is a small model of a published table: a title, a header row, body
rows of :class:`Cell` objects (already formatted strings, plus an optional mark such as
significance stars) and a note. Results build one (for example
:meth:`peoscales.CorrelationResult.to_apa`); this module only lays it out, so every
format shows exactly the same cells.

Writing ``.xlsx`` and ``.docx`` files needs the optional ``report`` extra
(``pip install peoscales[report]``: openpyxl and python-docx), imported only when a
file is written.
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from peoscales._deprecation import renamed_arguments
from peoscales._results import Result
from peoscales._spreadsheet import keep_text_as_text
from peoscales.errors import ParameterError

__all__ = ["ApaTable", "Cell"]


@dataclass(frozen=True)
class Cell:
    """One formatted table cell: its text and an optional trailing mark (``'**'``).

    The mark is kept apart so that text layouts can align numbers on their last digit
    with the stars hanging to the right, as in printed tables.
    """

    text: str
    mark: str = ""

    def __str__(self) -> str:
        return self.text + self.mark


def _cell(value: Cell | str) -> Cell:
    return value if isinstance(value, Cell) else Cell(str(value))


def _require(module: str, package: str) -> Any:
    """Import an optional dependency of the ``report`` extra, or say how to get it."""
    from peoscales._optional import require

    kind = "a .docx file" if package == "python-docx" else "an .xlsx file"
    return require(module, f"Writing {kind}")


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "−": "$-$",
    "—": "---",
    "–": "--",
    "α": r"$\alpha$",
    "ω": r"$\omega$",
}


def _latex(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)


def _markdown(text: str) -> str:
    for ch in ("\\", "*", "_", "|", "`"):
        text = text.replace(ch, "\\" + ch)
    return text


@dataclass(frozen=True, eq=False, repr=False)
class ApaTable(Result):
    """A table laid out as in an APA-style report.

    Parameters
    ----------
    header : sequence of str
        Column headings; the first heads the row labels.
    rows : sequence of sequence of Cell or str
        Body rows, each as long as ``header``.
    note : str, optional
        The note under the table, without the leading "Note.".
    title : str, optional
        Title above the table.
    align : str, optional
        One letter per column: ``l`` left, ``r`` right, ``d`` numbers aligned on their
        last digit with marks (stars) hanging right. Default: first column ``l``, the
        rest ``d``.

    Examples
    --------
    >>> table = ApaTable(
    ...     header=("Variable", "M", "1"),
    ...     rows=((Cell("1. A"), Cell("3.10"), Cell("—")),
    ...           (Cell("2. B"), Cell("2.50"), Cell(".42", "**"))),
    ...     note="** p < .01.",
    ... )
    >>> print(table.to_text())
    ─────────────────────
    Variable  M     1
    ─────────────────────
    1. A      3.10    —
    2. B      2.50  .42**
    ─────────────────────
    Note. ** p < .01.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""
    title: str = ""
    align: str = field(default="")

    def __post_init__(self) -> None:
        header = tuple(str(h) for h in self.header)
        rows = tuple(tuple(_cell(c) for c in row) for row in self.rows)
        bad = [i for i, row in enumerate(rows) if len(row) != len(header)]
        if bad:
            raise ParameterError(
                f"rows {bad[:5]} have a different number of cells than the header "
                f"({len(header)}); give one cell per column."
            )
        align = self.align or "l" + "d" * (len(header) - 1)
        if len(align) != len(header) or set(align) - set("lrd"):
            raise ParameterError(
                f"align={self.align!r} must give one of 'l', 'r', 'd' per column "
                f"({len(header)} columns)."
            )
        object.__setattr__(self, "header", header)
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "align", align)

    # -- plain forms --------------------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """The cells as strings (stars attached), the row labels as index."""
        body = [[str(c) for c in row[1:]] for row in self.rows]
        index = pd.Index([str(row[0]) for row in self.rows], name=self.header[0])
        return pd.DataFrame(body, index=index, columns=list(self.header[1:]), dtype=object)

    def summary(self) -> str:
        """The table as plain text (same as :meth:`to_text`)."""
        return self.to_text()

    def _note_line(self) -> str:
        return f"Note. {self.note}" if self.note else ""

    # -- renderers ----------------------------------------------------------------------
    def to_text(self) -> str:
        """Monospaced text with rules above and below the header and under the body."""
        columns = list(zip(*([Cell(h) for h in self.header], *self.rows)))
        rendered: list[list[str]] = []
        for j, cells in enumerate(columns):
            head, body = cells[0].text, cells[1:]
            text_w = max((len(c.text) for c in body), default=0)
            mark_w = max((len(c.mark) for c in body), default=0)
            if self.align[j] == "d":
                strings = [c.text.rjust(text_w) + c.mark.ljust(mark_w) for c in body]
            else:
                strings = [str(c) for c in body]
            width = max([len(head), *(len(s) for s in strings)])
            just = str.ljust if self.align[j] == "l" else str.rjust
            if self.align[j] == "d":
                # Numbers right-aligned under the heading's start, marks hanging right.
                column = [head.ljust(width), *(s.ljust(width) for s in strings)]
            else:
                column = [just(head, width), *(just(s, width) for s in strings)]
            rendered.append(column)
        lines = ["  ".join(parts).rstrip() for parts in zip(*rendered)]
        rule = "─" * max(len(line) for line in lines)
        out = []
        if self.title:
            out.append(self.title)
        out += [rule, lines[0], rule, *lines[1:], rule]
        if self.note:
            out.append(self._note_line())
        return "\n".join(out)

    def to_markdown(self) -> str:
        """A GitHub-flavoured Markdown table; the note follows as an italic-led line."""
        align = {"l": ":---", "r": "---:", "d": "---:"}
        lines = []
        if self.title:
            lines += [f"**{_markdown(self.title)}**", ""]
        lines.append("| " + " | ".join(_markdown(h) for h in self.header) + " |")
        lines.append("| " + " | ".join(align[a] for a in self.align) + " |")
        for row in self.rows:
            lines.append("| " + " | ".join(_markdown(str(c)) for c in row) + " |")
        if self.note:
            lines += ["", f"*Note.* {_markdown(self.note)}"]
        return "\n".join(lines)

    def to_html(self) -> str:
        """An HTML ``<table>`` with the title as caption and the note in the footer."""
        style = {"l": "left", "r": "right", "d": "right"}
        parts = ['<table class="peoscales-apa">']
        if self.title:
            parts.append(f"<caption>{html.escape(self.title)}</caption>")
        parts.append("<thead><tr>")
        for h, a in zip(self.header, self.align):
            parts.append(f'<th style="text-align: {style[a]}">{html.escape(h)}</th>')
        parts.append("</tr></thead><tbody>")
        for row in self.rows:
            parts.append("<tr>")
            for c, a in zip(row, self.align):
                mark = f'<span class="mark">{html.escape(c.mark)}</span>' if c.mark else ""
                parts.append(f'<td style="text-align: {style[a]}">{html.escape(c.text)}{mark}</td>')
            parts.append("</tr>")
        parts.append("</tbody>")
        if self.note:
            parts.append(
                f'<tfoot><tr><td colspan="{len(self.header)}" style="text-align: left">'
                f"<em>Note.</em> {html.escape(self.note)}</td></tr></tfoot>"
            )
        parts.append("</table>")
        return "".join(parts)

    def _repr_html_(self) -> str:
        return f'<div class="peoscales-result">{self.to_html()}</div>'

    def to_latex(self) -> str:
        """A ``tabular`` with booktabs rules (``\\usepackage{booktabs}``), note below."""
        spec = "".join("l" if a == "l" else "r" for a in self.align)
        lines = []
        if self.title:
            lines.append(f"\\textit{{{_latex(self.title)}}}\\\\[4pt]")
        lines += [f"\\begin{{tabular}}{{{spec}}}", "\\toprule"]
        lines.append(" & ".join(_latex(h) for h in self.header) + r" \\")
        lines.append("\\midrule")
        for row in self.rows:
            cells = [_latex(c.text) + (f"$^{{{c.mark}}}$" if c.mark else "") for c in row]
            lines.append(" & ".join(cells) + r" \\")
        lines += ["\\bottomrule", "\\end{tabular}"]
        if self.note:
            lines.append(f"\\par\\smallskip{{\\footnotesize\\textit{{Note.}} {_latex(self.note)}}}")
        return "\n".join(lines)

    # -- files --------------------------------------------------------------------------
    @renamed_arguments(sheet_name="sheet")
    def to_excel(self, path: str | os.PathLike[str], *, sheet: str = "Table") -> None:
        """Write the table to an ``.xlsx`` file (title, header, body, note), as text cells.

        Text that starts like a formula (``=``, ``+``, ``-``, ``@``) is stored as text,
        never as a formula. Needs openpyxl (``pip install peoscales[report]``). An existing file is
        overwritten.
        """
        openpyxl = _require("openpyxl", "openpyxl")
        styles = _require("openpyxl.styles", "openpyxl")
        book = openpyxl.Workbook()
        worksheet = book.active
        worksheet.title = sheet
        if self.title:
            worksheet.append([self.title])
            worksheet.cell(row=worksheet.max_row, column=1).font = styles.Font(italic=True)
        worksheet.append(list(self.header))
        header_row = worksheet.max_row
        for j, a in enumerate(self.align, start=1):
            cell = worksheet.cell(row=header_row, column=j)
            cell.font = styles.Font(bold=True)
            cell.alignment = styles.Alignment(horizontal="left" if a == "l" else "right")
        for row in self.rows:
            worksheet.append([str(c) for c in row])
            for j, a in enumerate(self.align, start=1):
                worksheet.cell(row=worksheet.max_row, column=j).alignment = styles.Alignment(
                    horizontal="left" if a == "l" else "right"
                )
        if self.note:
            worksheet.append([self._note_line()])
        widths = [max(len(str(c)) for c in col) for col in zip(self.header, *self.rows)]
        for j, width in enumerate(widths, start=1):
            worksheet.column_dimensions[openpyxl.utils.get_column_letter(j)].width = width + 2
        keep_text_as_text(worksheet)  # a title or label "=..." must not become a formula
        book.save(os.fspath(path))

    def to_docx(self, path: str | os.PathLike[str]) -> None:
        """Write the table to a Word ``.docx`` file: title, table, note.

        Laid out as APA's tables are (and as the tables of a report's Word file): the
        title in italics above, a rule above the table, one under the column heads
        (in bold, repeated when the table runs onto another page) and one under the
        table, no vertical rules, numbers right-aligned, the note below. Needs
        python-docx (``pip install peoscales[report]``). An existing file is
        overwritten.
        """
        docx = _require("docx", "python-docx")
        enum_text = _require("docx.enum.text", "python-docx")
        from docx.shared import Cm, Pt

        from peoscales._wordxml import (
            apa_rules,
            body_font,
            element,
            longest_word_ems,
            rule_under,
            text_ems,
            xml_text,
        )

        right = enum_text.WD_ALIGN_PARAGRAPH.RIGHT
        document = docx.Document()
        body_font(document, "Calibri")  # as the reports' Word files
        if self.title:
            document.add_paragraph().add_run(xml_text(self.title)).italic = True
        table = document.add_table(rows=1 + len(self.rows), cols=len(self.header))
        apa_rules(table)
        # columns as wide as their text (row labels wrap at about 30 letters), all
        # shrunk alike if that is wider than the page
        size = (document.styles["Normal"].font.size or Pt(11)).pt
        ems = [
            max(
                [longest_word_ems(head, bold=True)]
                + [
                    min(text_ems(str(row[j])), 16.0) if j == 0 else text_ems(str(row[j]))
                    for row in self.rows
                ]
            )
            for j, head in enumerate(self.header)
        ]
        widths = [max(e * size * 2.54 / 72 + 0.4, 1.0) for e in ems]
        section = document.sections[0]
        room = (section.page_width - section.left_margin - section.right_margin) / Cm(1) - 0.1
        scale = min(1.0, room / sum(widths))
        table.autofit = False
        for j, width in enumerate(widths):
            table.columns[j].width = Cm(width * scale)
            for cell in table.columns[j].cells:
                cell.width = Cm(width * scale)
        # repeat the column heads on every page the table runs onto
        table.rows[0]._tr.get_or_add_trPr().append(element("w:tblHeader"))
        for i, row in enumerate([[Cell(h) for h in self.header], *self.rows]):
            for j, (cell, a) in enumerate(zip(row, self.align)):
                target = table.cell(i, j)
                run = target.paragraphs[0].add_run(xml_text(str(cell)))
                if i == 0:
                    run.bold = True
                    rule_under(target, 6)
                if a != "l":
                    target.paragraphs[0].alignment = right
        if self.note:
            paragraph = document.add_paragraph()
            paragraph.add_run("Note.").italic = True
            paragraph.add_run(f" {xml_text(self.note)}")
        document.save(os.fspath(path))


def star_note(thresholds: Sequence[tuple[float, str]]) -> str:
    """``'* p < .05. ** p < .01. *** p < .001.'`` for the given thresholds.

    Examples
    --------
    >>> star_note([(0.05, "*"), (0.01, "**")])
    '* p < .05. ** p < .01.'
    """
    parts = []
    for level, mark in sorted(thresholds, key=lambda t: -t[0]):
        text = f"{level:.3f}".rstrip("0")
        text = text[1:] if text.startswith("0.") else text
        parts.append(f"{mark} p < {text}.")
    return " ".join(parts)
