"""Import of raw survey exports: SurveyMonkey, Qualtrics, SPSS and plain tables.

:func:`read_survey` reads a file into a :class:`SurveyExport`. Every format ends
up in the same column model, so that :func:`peoscales.peo.code_wave` can find the
questions by their text:

``SurveyExport.data``
    The answers, one row per respondent (indexed by the export's respondent id
    when it has a unique one), one column per answer field. Cells hold the texts
    (or numbers) as exported; empty cells are missing. Column labels are unique:
    ``"question"`` for a single answer, ``"question | sub"`` for a matrix row or
    an ``Other (please specify)`` field, with `` (2)``, `` (3)`` appended when a
    branched questionnaire repeats a question word for word. For Qualtrics the
    labels are the question ids (``Q5_1``), for SPSS the variable names.
``SurveyExport.columns``
    One row per data column: ``question`` (the question text), ``sub`` (the
    second header row: matrix row, ``Other (please specify)``, or empty),
    ``position`` (0-based column position in the file) and ``name`` (Qualtrics
    question id or SPSS variable name, else empty).
``SurveyExport.metadata``
    Metadata columns (Respondent ID, Collector ID, Start Date, ...) as exported.

The file is only read, never written.
"""

from __future__ import annotations

import csv
import io as _io
import json
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from peoscales._results import Result, preview_rows, sections_html
from peoscales._stack import user_stacklevel
from peoscales._validation import check_option, preview
from peoscales.errors import (
    DuplicateColumnsError,
    ParameterError,
    SkippedLinesWarning,
    SurveyFormatError,
)

__all__ = ["SurveyExport", "read_survey"]

FORMATS = ("surveymonkey", "qualtrics", "spss", "csv", "excel")

#: The metadata columns a SurveyMonkey export starts with, in its order.
SURVEYMONKEY_HEADER = (
    "Respondent ID",
    "Collector ID",
    "Start Date",
    "End Date",
    "IP Address",
    "Email Address",
    "First Name",
    "Last Name",
    "Custom Data 1",
)
#: Metadata columns of SurveyMonkey exports (first header row, second row empty).
SURVEYMONKEY_METADATA = (*SURVEYMONKEY_HEADER, "Custom Data")
#: Metadata columns of Qualtrics exports (first header row).
QUALTRICS_METADATA = (
    "StartDate",
    "EndDate",
    "Status",
    "IPAddress",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "RecordedDate",
    "ResponseId",
    "RecipientLastName",
    "RecipientFirstName",
    "RecipientEmail",
    "ExternalReference",
    "LocationLatitude",
    "LocationLongitude",
    "DistributionChannel",
    "UserLanguage",
)
_SUB_RESPONSE = {"response", "open-ended response", "antwoord", "open antwoord"}


@dataclass(frozen=True, eq=False, repr=False)
class SurveyExport(Result):
    """A raw survey export, read but not yet coded.

    Attributes
    ----------
    data : pandas.DataFrame
        The answers (see the module documentation for the column model).
    columns : pandas.DataFrame
        ``question``, ``sub``, ``position`` and ``name`` of every data column,
        indexed by the data column label.
    metadata : pandas.DataFrame
        The export's metadata columns, same index as ``data``.
    format : str
        ``"surveymonkey"``, ``"qualtrics"``, ``"spss"``, ``"csv"`` or ``"excel"``.
    source : str
        The file read.
    encoding : str or None
        The text encoding used (``None`` for binary formats).
    n_excluded : int
        Lines of the file left out as malformed (only with ``on_bad_lines="skip"``).
    bad_lines : tuple of int
        Their line numbers in the file (1-based).
    """

    data: pd.DataFrame
    columns: pd.DataFrame
    metadata: pd.DataFrame
    format: str
    source: str
    encoding: str | None
    n_excluded: int = 0
    bad_lines: tuple[int, ...] = ()

    @property
    def n(self) -> int:
        """Number of respondents (rows)."""
        return len(self.data)

    def to_frame(self) -> pd.DataFrame:
        """The answers as a DataFrame (a copy)."""
        return self.data.copy()

    def summary(self) -> str:
        """A short text description of the export."""
        questions = self.columns["question"].nunique()
        return (
            f"{self.format} export {Path(self.source).name}: {self.n} respondents, "
            f"{len(self.columns)} answer columns ({questions} questions), "
            f"{self.metadata.shape[1]} metadata columns"
            + (f", encoding {self.encoding}" if self.encoding else "")
            + (
                f", {self.n_excluded} malformed line{'s' if self.n_excluded != 1 else ''} "
                f"left out (line {preview(list(self.bad_lines))})"
                if self.n_excluded
                else ""
            )
            + "."
        )

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Survey export {Path(self.source).name}"

    def _repr_html_(self) -> str:
        rows = min(5, self.n)
        shown = min(20, len(self.columns))
        return sections_html(
            self.title,
            [
                (f"Answers, first {rows} of {self.n} respondents", preview_rows(self.data, rows)),
                (
                    f"Answer columns, first {shown} of {len(self.columns)}",
                    preview_rows(self.columns, shown),
                ),
            ],
            [self.summary()],
        )


def read_survey(
    path: str | Path,
    format: str | None = None,
    *,
    encoding: str | None = None,
    sheet: str | int = 0,
    sep: str | None = None,
    decimal: str | None = None,
    on_bad_lines: str = "error",
) -> SurveyExport:
    """Read a raw survey export.

    Parameters
    ----------
    path : str or Path
        A SurveyMonkey export (CSV or Excel, two header rows), a Qualtrics CSV
        (three header rows), an SPSS ``.sav`` file (needs the ``spss`` extra:
        ``pip install peoscales[spss]``) or a plain CSV/Excel table with one
        header row.
    format : {"surveymonkey", "qualtrics", "spss", "csv", "excel"}, optional
        Detected from the extension and the header rows when not given.
    encoding : str, optional
        Text encoding of a CSV file. By default UTF-8 (with or without a
        byte-order mark) is tried; give e.g. ``"cp1252"`` for a file saved by
        Excel as "CSV (comma delimited)".
    sheet : str or int, default 0
        The worksheet of an Excel file.
    sep : str, optional
        The separator of a CSV file. Detected when not given: the one of comma,
        semicolon and tab under which every line has the header's number of cells.
    decimal : {".", ","}, optional
        The decimal mark of a CSV file. Detected when not given: ``","`` when the
        file is not comma-separated and its numbers have decimal commas (``1,75``)
        and none has a decimal point, as Dutch Excel writes them.
    on_bad_lines : {"error", "skip"}, default "error"
        What to do with a malformed line of a CSV file (more or fewer cells than
        the header, a quote left open): raise, or leave it out. Lines left out are
        counted in ``n_excluded``, listed in ``bad_lines`` and reported in a
        :class:`~peoscales.errors.SkippedLinesWarning`. The header is never skipped.

    Returns
    -------
    SurveyExport
        The answers, the question of every column and the metadata.

    Raises
    ------
    SurveyFormatError
        The file is empty, not a table, not in the requested format, not in the
        expected encoding, or has no respondents; a CSV file has malformed lines
        (the message gives their line numbers), or its separator cannot be told.
    DuplicateColumnsError
        A plain table has two columns with the same name.

    Notes
    -----
    SurveyMonkey writes the question text only above the first column of a
    question; the following columns (matrix rows, ``Other (please specify)``)
    have an empty first header and are filled forward. Qualtrics matrix headers
    ``"Stem - Row"`` are split into question and sub-label when the question id
    has a row suffix (``Q5_1``). SPSS value labels replace the stored codes, and
    the variable label is the question text.

    A CSV file is read record by record, and the number of respondents always
    agrees with its records: a line with more cells than the header (other than
    empty trailing cells), one cut short, or a quote left open (which would make
    the following lines one cell) is an error naming the line, never a phantom
    column or a lost respondent. Blank lines are not respondents. In a file with
    decimal commas, a column whose cells are all numbers becomes numeric
    (``"1,75"`` becomes 1.75); other cells keep the text as exported.

    Examples
    --------
    >>> import peoscales
    >>> from peoscales.peo import demo_export_path
    >>> raw = peoscales.read_survey(demo_export_path())
    >>> raw.format, raw.n
    ('surveymonkey', 178)
    >>> raw.columns["question"].iloc[0]
    'Ik ben werkzaam bij:'
    """
    path = Path(path)
    if format is not None:
        check_option("format", format, FORMATS)
    _check_csv_options(sep, decimal, on_bad_lines)
    if not path.exists():
        raise SurveyFormatError(f"path: no such file {str(path)!r}. Check the file name.")
    if path.is_dir():
        raise SurveyFormatError(f"path: {str(path)!r} is a folder; give the export file itself.")
    if path.stat().st_size == 0:
        raise SurveyFormatError(
            f"{path.name} is empty (0 bytes). Export the responses again from the survey tool."
        )
    suffix = path.suffix.lower()
    table: _CsvTable | None = None
    if format == "spss" or (format is None and suffix in (".sav", ".zsav")):
        return _read_spss(path)
    if format == "excel" or (format is None and suffix in (".xlsx", ".xlsm", ".xls")):
        grid = _excel_grid(path, sheet)
        enc = None
    elif format in (None, "csv", "surveymonkey", "qualtrics") and (
        suffix in (".csv", ".txt", ".tsv") or format is not None
    ):
        table = _read_csv_table(path, encoding, sep, decimal, on_bad_lines)
        grid, enc = table.grid, table.encoding
    else:
        raise SurveyFormatError(
            f"{path.name}: {suffix or 'no extension'} is not a survey export format peoscales "
            "reads. Export the responses as CSV or Excel (.xlsx) from SurveyMonkey or "
            "Qualtrics, or as SPSS (.sav), or pass format=... if the extension is misleading."
        )
    if format in (None, "excel") and suffix in (".xlsx", ".xlsm", ".xls"):
        detected = _detect(grid)
        kind = detected if format is None or detected != "csv" else "excel"
        if kind == "csv":
            kind = "excel"
    else:
        kind = format or _detect(grid)
    if kind == "surveymonkey":
        export = _from_surveymonkey(grid, path, enc, "surveymonkey")
    elif kind == "qualtrics":
        export = _from_qualtrics(grid, path, enc)
    else:
        export = _from_plain(grid, path, enc, kind)
    if table is None:
        return export
    data = _decimal_comma_numbers(export.data) if table.decimal == "," else export.data
    if table.bad_lines:
        n = len(table.bad_lines)
        warnings.warn(
            f"{n} malformed line{'s' if n != 1 else ''} of {path.name} left out "
            f"(on_bad_lines='skip'): line {preview(list(table.bad_lines))}. "
            f"{export.n} respondents read.",
            SkippedLinesWarning,
            stacklevel=user_stacklevel(),
        )
    return replace(export, data=data, n_excluded=len(table.bad_lines), bad_lines=table.bad_lines)


def _decimal_comma_numbers(data: pd.DataFrame) -> pd.DataFrame:
    """Columns whose cells are all numbers with a decimal comma become numeric."""
    out = data.copy()
    for j, label in enumerate(data.columns):
        cells = data.iloc[:, j].dropna().astype(str)
        if cells.empty or not cells.str.contains(",", regex=False).any():
            continue
        if cells.map(lambda c: bool(_NUMBER_OR_COMMA.fullmatch(c))).all():
            column = data.iloc[:, j].map(
                lambda c: float(str(c).strip().replace(",", ".")) if c is not None else np.nan
            )
            out[label] = column.astype("float64")
    return out


# ---------------------------------------------------------------- raw grids


@dataclass
class _Records:
    """The records of a CSV text read with one separator, with where each came from."""

    sep: str
    records: list[list[str]]
    lines: list[tuple[int, int]]  # first and last physical line (1-based) of each record
    problems: dict[int, str]  # record index -> what is wrong with it

    @property
    def width(self) -> int:
        return len(self.records[0]) if self.records else 0


class _Lines:
    """Iterates the physical lines of a text, keeping them for the quote check."""

    def __init__(self, text: str) -> None:
        self.lines: list[str] = []
        self._source = _io.StringIO(text, newline="")

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._source)
        self.lines.append(line)
        return line


def _span(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}-{last}"


def _records(text: str, sep: str) -> _Records:
    """Split a CSV text into records and check each against the first (the header).

    A record fits when it has the header's number of cells (cells beyond it may only
    be empty, as spreadsheets write them). Each record is also read again strictly, so
    that a quote left open, which makes a lenient reader swallow the lines up to the
    next quote into one cell, is found even when the cell count happens to fit.
    """
    source = _Lines(text)
    reader = csv.reader(source, delimiter=sep)
    records: list[list[str]] = []
    spans: list[tuple[int, int]] = []
    problems: dict[int, str] = {}
    last = 0
    for record in reader:
        first, last = last + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue  # a blank line or one of separators only: no respondent
        raw = "".join(source.lines[first - 1 : last])
        if '"' in raw:
            try:
                list(csv.reader(_io.StringIO(raw, newline=""), delimiter=sep, strict=True))
            except csv.Error:
                problems[len(records)] = (
                    f'{_span(first, last)}: a quote (") is opened and not closed where the '
                    "cell ends, so the lines after it were read into one cell"
                    if first != last or raw.count('"') % 2
                    else f'{_span(first, last)}: a stray quote (") inside a cell'
                )
        records.append(record)
        spans.append((first, last))
    width = len(records[0]) if records else 0
    for i, record in enumerate(records):
        if i in problems or len(record) == width:
            continue
        extra = [c for c in record[width:] if c.strip()]
        if len(record) > width and not extra:
            continue
        first, last = spans[i]
        what = f"{_span(first, last)}: {len(record)} cells where the header has {width}"
        if extra:
            what += f" (extra: {preview(extra)})"
        if first != last:
            what += f"; a quote opened on line {first} may be left unclosed"
        problems[i] = what
    return _Records(sep, records, spans, problems)


_NUMBER_COMMA = re.compile(r"[+-]?\d+,\d+")
_NUMBER_POINT = re.compile(r"[+-]?\d*\.\d+")
_NUMBER_OR_COMMA = re.compile(r"\s*[+-]?(\d+(,\d*)?|,\d+)\s*")


def _choose_separator(text: str, name: str) -> _Records:
    """The separator under which the file is a table; raise when it cannot be told."""
    # Only separators that split the header are read in full.
    head = text.lstrip("\r\n")[:65536]
    tried = [
        _records(text, sep)
        for sep in _SEPARATORS
        if len(next(csv.reader(_io.StringIO(head, newline=""), delimiter=sep), [])) >= 2
    ]
    usable = [r for r in tried if r.width >= 2]
    if not usable:
        raise SurveyFormatError(
            f"{name} has a single column, so it is not a table of survey answers. "
            "Check the separator (comma, semicolon or tab) or export the responses as CSV."
        )
    clean = [r for r in usable if not r.problems]
    if len(clean) == 1:
        return clean[0]
    if not clean:
        # The separator is clear when one alone makes a table, or makes far fewer
        # malformed lines than the others: then the file has malformed lines.
        usable.sort(key=lambda r: len(r.problems))
        best = usable[0]
        if len(usable) == 1 or (
            len(best.problems) < len(usable[1].problems)
            and len(best.problems) <= len(best.records) // 2
        ):
            return best
    candidates = clean or usable
    described = "; ".join(
        f"with {_SEP_NAMES[r.sep]} the header has {r.width} columns and "
        f"{len(r.records) - len(r.problems)} of {len(r.records)} lines fit"
        for r in candidates
    )
    raise SurveyFormatError(
        f"{name}: cannot tell which separator the file uses ({described}). Pass the "
        "separator as sep=',', sep=';' or sep='\\t' to read_survey."
    )


_SEPARATORS = (",", ";", "\t")
_SEP_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}


def _detect_decimal(records: list[list[str]], sep: str) -> str:
    """``","`` when numbers are written with a decimal comma (and never with a point)."""
    if sep == ",":
        return "."
    comma = point = False
    for record in records[1:]:
        for cell in record:
            cell = cell.strip()
            comma = comma or bool(_NUMBER_COMMA.fullmatch(cell))
            point = point or bool(_NUMBER_POINT.fullmatch(cell))
    return "," if comma and not point else "."


def _decode(path: Path, raw: bytes, encoding: str | None) -> tuple[str, str]:
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SurveyFormatError(
            f"{path.name} is a binary file, not a CSV survey export. Export the responses "
            "as CSV or Excel, or read an SPSS file with format='spss'."
        )
    if encoding is None:
        tries = ["utf-16"] if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else ["utf-8-sig"]
    else:
        tries = [encoding]
    text = None
    used = tries[0]
    for enc in tries:
        try:
            text = raw.decode(enc)
            used = enc
            break
        except UnicodeDecodeError as exc:
            position = exc.start
            snippet = raw[max(0, position - 20) : position + 20]
            problem = (
                f"{path.name} is not valid {enc} text (byte {raw[position]:#04x} at "
                f"position {position}, near {snippet!r})."
            )
        except LookupError:
            raise ParameterError(
                f"encoding={encoding!r} is not a known text encoding; use e.g. 'utf-8' or 'cp1252'."
            ) from None
    if text is None:
        raise SurveyFormatError(
            f"{problem} SurveyMonkey and Qualtrics export UTF-8; a file re-saved by Excel "
            "is often Windows-1252. Pass encoding='cp1252' (or the file's encoding) to "
            "read_survey, or export the responses again."
        )
    if used == "utf-8-sig" and not raw.startswith(b"\xef\xbb\xbf"):
        used = "utf-8"
    if not text.strip():
        raise SurveyFormatError(
            f"{path.name} holds only white space. Export the responses again from the survey tool."
        )
    return text.lstrip("\ufeff"), used


@dataclass
class _CsvTable:
    grid: list[list[str]]
    encoding: str
    sep: str
    decimal: str
    bad_lines: tuple[int, ...]


def _check_csv_options(sep: str | None, decimal: str | None, on_bad_lines: str) -> None:
    if sep is not None and (not isinstance(sep, str) or len(sep) != 1 or sep in '"\r\n'):
        raise ParameterError(
            f"sep={sep!r}: give the one character between cells, e.g. sep=',', sep=';' "
            "or sep='\\t'."
        )
    if decimal is not None:
        check_option("decimal", decimal, (".", ","))
    check_option("on_bad_lines", on_bad_lines, ("error", "skip"))


def _read_csv_table(
    path: Path,
    encoding: str | None,
    sep: str | None = None,
    decimal: str | None = None,
    on_bad_lines: str = "error",
) -> _CsvTable:
    """Read a CSV file into a grid of text cells, every record checked.

    Raises :class:`SurveyFormatError` naming the line numbers of malformed records,
    unless ``on_bad_lines="skip"``: then they are left out, and their lines are
    returned in ``bad_lines`` for the caller to count and report.
    """
    text, used = _decode(path, path.read_bytes(), encoding)
    table = _choose_separator(text, path.name) if sep is None else _records(text, sep)
    if table.width < 2:
        raise SurveyFormatError(
            f"{path.name} has a single column with sep={table.sep!r}, so it is not a table of "
            "survey answers. Check the separator (comma, semicolon or tab)."
        )
    problems = table.problems
    if problems and (on_bad_lines == "error" or 0 in problems):
        shown = [problems[i] for i in sorted(problems)[:5]]
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise SurveyFormatError(
            f"{path.name}: {len(problems)} malformed line(s), so the number of respondents "
            f"cannot be trusted: {'; '.join(shown)}{more}. Repair the file (or export it "
            "again)"
            + (
                "."
                if 0 in problems
                else ", or pass on_bad_lines='skip' to leave these lines out (counted)."
            )
            + (
                " A spreadsheet program can leave out the empty cells at the end of a "
                "line when it saves CSV; if so, read the workbook (.xlsx) itself."
                if any(len(table.records[i]) < table.width for i in problems)
                else ""
            )
        )
    bad: list[int] = []
    for i in sorted(problems):
        first, last = table.lines[i]
        bad.extend(range(first, last + 1))
    width = table.width
    grid = [r[:width] for i, r in enumerate(table.records) if i not in problems]
    found = decimal or _detect_decimal(grid, table.sep)
    return _CsvTable(grid, used, table.sep, found, tuple(bad))


def read_csv_frame(path: Path) -> pd.DataFrame:
    """A plain CSV table as a DataFrame, read with the checks of :func:`read_survey`.

    One row per record of the file (blank lines are not rows); numbers become numbers
    (with the detected decimal mark), as :func:`pandas.read_csv` types them.
    """
    table = _read_csv_table(path, None)
    buffer = _io.StringIO()
    csv.writer(buffer, delimiter=table.sep, lineterminator="\n").writerows(table.grid)
    buffer.seek(0)
    return pd.read_csv(buffer, sep=table.sep, decimal=table.decimal, skip_blank_lines=False)


def _excel_grid(path: Path, sheet: str | int) -> list[list[str]]:
    head = path.read_bytes()[:8]
    if not head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise SurveyFormatError(
            f"{path.name} is not a readable Excel file (it is not an .xlsx or .xls workbook). "
            "Export the responses again as .xlsx or CSV, or pass format='csv' for a CSV file "
            "with an Excel extension."
        )
    try:
        frame = pd.read_excel(path, sheet_name=sheet, header=None, dtype=object)
    except ImportError as exc:  # pragma: no cover - openpyxl is a test dependency
        raise ImportError(
            f"Reading Excel needs openpyxl ({exc}); pip install 'peoscales[report]'."
        ) from None
    except (ValueError, KeyError) as exc:
        raise SurveyFormatError(
            f"{path.name}: cannot read sheet {sheet!r} as a table ({exc}). "
            "Give the sheet with the responses as sheet=..., or export as CSV."
        ) from None
    except Exception as exc:  # zipfile.BadZipFile and friends: not an Excel file
        raise SurveyFormatError(
            f"{path.name} is not a readable Excel file ({type(exc).__name__}: {exc}). "
            "Export the responses again as .xlsx or CSV."
        ) from None
    frame = frame.dropna(how="all")
    if frame.empty or frame.shape[1] < 2:
        raise SurveyFormatError(
            f"{path.name}: sheet {sheet!r} holds no table of answers. Give the sheet with the "
            "responses as sheet=..., or export as CSV."
        )

    def cell(v: Any) -> str:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)

    return [[cell(v) for v in row] for row in frame.itertuples(index=False)]


def _detect(grid: list[list[str]]) -> str:
    first = [c.strip() for c in grid[0]]
    second = [c.strip().casefold() for c in grid[1]] if len(grid) > 1 else []
    third = [c.strip() for c in grid[2]] if len(grid) > 2 else []
    if third and any(c.startswith('{"ImportId"') for c in third):
        return "qualtrics"
    if "ResponseId" in first and third and any(c.startswith("{") for c in third):
        return "qualtrics"
    has_meta = first and first[0] in ("Respondent ID", "RespondentID", "respondent_id")
    has_sub = any(c in _SUB_RESPONSE for c in second)
    if has_sub or (has_meta and len(grid) > 1 and not any(second[: len(SURVEYMONKEY_METADATA)])):
        return "surveymonkey"
    return "csv"


# ---------------------------------------------------------------- formats


def _unique_labels(labels: Sequence[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        k = seen.get(label, 0) + 1
        seen[label] = k
        out.append(label if k == 1 else f"{label} ({k})")
    return out


def _frame(rows: list[list[str]], positions: list[int], labels: list[str]) -> pd.DataFrame:
    block = np.array([[r[p] for p in positions] for r in rows], dtype=object).reshape(
        len(rows), len(positions)
    )
    blank = np.char.strip(block.astype(str)) == ""
    block[blank] = None
    frame = pd.DataFrame(block, columns=pd.Index(labels, dtype=object), dtype=object)
    return frame


def _index_from(metadata: pd.DataFrame, names: Sequence[str]) -> pd.Index | None:
    for name in names:
        if name in metadata.columns:
            ids = metadata[name]
            if ids.notna().all() and ids.is_unique:
                numeric = pd.to_numeric(ids, errors="coerce")
                if numeric.notna().all() and (numeric == numeric.round()).all():
                    return pd.Index(numeric.astype("int64"), name=name)
                return pd.Index(ids.astype(str), name=name)
    return None


def _no_rows(path: Path, header_rows: int) -> SurveyFormatError:
    return SurveyFormatError(
        f"{path.name} has the {header_rows} header row(s) of a survey export but no "
        "respondents. Export the responses again, including all completed responses."
    )


def _from_surveymonkey(
    grid: list[list[str]], path: Path, enc: str | None, fmt: str
) -> SurveyExport:
    if len(grid) < 2:
        raise SurveyFormatError(
            f"{path.name} does not look like a SurveyMonkey export: it needs two header rows "
            "(question texts, then 'Response' or the answer option). Export 'All responses' "
            "as CSV or .xlsx in the condensed or expanded layout, or read it with format='csv'."
        )
    first, second, rows = grid[0], grid[1], grid[2:]
    if first and first[0].startswith("\ufeff"):
        first = [first[0].lstrip("\ufeff"), *first[1:]]
    if not rows:
        raise _no_rows(path, 2)
    meta_pos, pos, questions, subs = [], [], [], []
    current = ""
    for j, (q, s) in enumerate(zip(first, second, strict=True)):
        q, s = q.strip(), s.strip()
        if q in SURVEYMONKEY_METADATA and not s:
            meta_pos.append(j)
            current = ""
            continue
        if q:
            current = q
        if not current:
            raise SurveyFormatError(
                f"{path.name}: column {j + 1} has no question text above {s!r} and follows no "
                "question. This is not a SurveyMonkey export, or its first header row was "
                "edited; export the responses again or read it with format='csv'."
            )
        pos.append(j)
        questions.append(current)
        subs.append("" if s.casefold() in _SUB_RESPONSE else s)
    labels = _unique_labels(
        [f"{q} | {s}" if s else q for q, s in zip(questions, subs, strict=True)]
    )
    return _assemble(
        path,
        enc,
        fmt,
        rows,
        pos,
        labels,
        questions,
        subs,
        [""] * len(pos),
        meta_pos,
        [first[j].strip() for j in meta_pos],
        ("Respondent ID",),
    )


def _from_qualtrics(grid: list[list[str]], path: Path, enc: str | None) -> SurveyExport:
    if len(grid) < 3:
        raise SurveyFormatError(
            f"{path.name} does not look like a Qualtrics export: it needs three header rows "
            "(question ids, question texts, ImportId). Export with 'Use choice text' as CSV."
        )
    ids, texts, imports, rows = grid[0], grid[1], grid[2], grid[3:]
    ids = [ids[0].lstrip("\ufeff"), *ids[1:]]
    if not rows:
        raise _no_rows(path, 3)
    meta_pos, pos, questions, subs, names = [], [], [], [], []
    for j, (qid, text, imp) in enumerate(zip(ids, texts, imports, strict=True)):
        qid, text = qid.strip(), text.strip()
        try:
            import_id = str(json.loads(imp).get("ImportId", "")) if imp.strip() else ""
        except (json.JSONDecodeError, AttributeError):
            import_id = ""
        if (
            qid in QUALTRICS_METADATA
            or import_id.startswith("_")
            or (import_id and import_id.casefold() in {m.casefold() for m in QUALTRICS_METADATA})
        ):
            meta_pos.append(j)
            continue
        question, sub = text, ""
        if re.search(r"_\d+(_TEXT)?$", import_id or qid) and " - " in text:
            question, sub = (part.strip() for part in text.rsplit(" - ", 1))
        pos.append(j)
        questions.append(question)
        subs.append(sub)
        names.append(qid)
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise DuplicateColumnsError(
            f"{path.name}: question ids {preview(dup)} occur more than once in the first "
            "header row. Export the survey again; Qualtrics ids are unique."
        )
    return _assemble(
        path,
        enc,
        "qualtrics",
        rows,
        pos,
        names,
        questions,
        subs,
        names,
        meta_pos,
        [ids[j].strip() for j in meta_pos],
        ("ResponseId",),
    )


def _from_plain(grid: list[list[str]], path: Path, enc: str | None, fmt: str) -> SurveyExport:
    header = [c.strip() for c in grid[0]]
    header[0] = header[0].lstrip("\ufeff")
    rows = grid[1:]
    if not rows:
        raise _no_rows(path, 1)
    blank = [j + 1 for j, h in enumerate(header) if not h]
    if blank:
        raise SurveyFormatError(
            f"{path.name}: column(s) {preview(blank)} have no header. A plain table needs "
            "one name per column; if this is a SurveyMonkey export pass format='surveymonkey'."
        )
    dup = sorted({h for h in header if header.count(h) > 1})
    if dup:
        raise DuplicateColumnsError(
            f"{path.name} has duplicated question columns: {preview(dup)}. Each question "
            "must occur once; remove or rename the copies in the file (a copy of the file, "
            "the export itself is left as it is)."
        )
    meta_names = set(SURVEYMONKEY_METADATA) | set(QUALTRICS_METADATA) | {"respondent_id", "id"}
    meta_pos = [j for j, h in enumerate(header) if h in meta_names]
    pos = [j for j in range(len(header)) if j not in meta_pos]
    questions, subs = [], []
    for j in pos:
        q, _, s = header[j].partition(" | ")
        questions.append(q.strip())
        subs.append(s.strip())
    labels = [header[j] for j in pos]
    return _assemble(
        path,
        enc,
        fmt,
        rows,
        pos,
        labels,
        questions,
        subs,
        [""] * len(pos),
        meta_pos,
        [header[j] for j in meta_pos],
        ("Respondent ID", "ResponseId", "respondent_id", "id"),
    )


def _assemble(
    path: Path,
    enc: str | None,
    fmt: str,
    rows: list[list[str]],
    pos: list[int],
    labels: list[str],
    questions: list[str],
    subs: list[str],
    names: list[str],
    meta_pos: list[int],
    meta_labels: list[str],
    id_names: Sequence[str],
) -> SurveyExport:
    if not pos:
        raise SurveyFormatError(
            f"{path.name} has metadata columns only and no answers. Export the responses "
            "with all questions."
        )
    data = _frame(rows, pos, labels)
    metadata = _frame(rows, meta_pos, _unique_labels(meta_labels))
    index = _index_from(metadata, id_names)
    if index is not None:
        data.index = index
        metadata.index = index
    columns = pd.DataFrame(
        {"question": questions, "sub": subs, "position": pos, "name": names},
        index=pd.Index(labels, name="column", dtype=object),
    )
    return SurveyExport(
        data=data, columns=columns, metadata=metadata, format=fmt, source=str(path), encoding=enc
    )


def _read_spss(path: Path) -> SurveyExport:
    try:
        import pyreadstat
    except ImportError:
        raise ImportError(
            "Reading SPSS .sav files needs pyreadstat: pip install 'peoscales[spss]'."
        ) from None
    try:
        frame, meta = pyreadstat.read_sav(str(path), user_missing=False)
    except Exception as exc:  # pyreadstat.ReadstatError and OSError variants
        raise SurveyFormatError(
            f"{path.name} is not a readable SPSS .sav file ({exc}). Save it again from SPSS "
            "or export the responses as CSV."
        ) from None
    if frame.empty:
        raise _no_rows(path, 0)
    value_labels = meta.variable_value_labels or {}
    data = {}
    for name in frame.columns:
        column = frame[name]
        labels = value_labels.get(name)
        if labels:
            mapped = column.map(lambda v, lab=labels: lab.get(v, v) if pd.notna(v) else None)
            data[name] = mapped.astype(object)
        else:
            data[name] = column.astype(object).where(column.notna(), None)
    out = pd.DataFrame(data, index=frame.index, dtype=object)
    names = list(frame.columns)
    texts = [str((meta.column_names_to_labels or {}).get(n) or n) for n in names]
    meta_names = {"Respondent ID", "ResponseId", "respondent_id", "RespondentID", "id"}
    meta_cols = [n for n in names if n in meta_names]
    ans_cols = [n for n in names if n not in meta_names]
    metadata = out[meta_cols]
    data_frame = out[ans_cols]
    index = _index_from(metadata, meta_cols)
    if index is not None:
        data_frame.index = index
        metadata.index = index
    questions, subs = [], []
    for n in ans_cols:
        q, _, s = texts[names.index(n)].partition(" | ")
        questions.append(q.strip())
        subs.append(s.strip())
    columns = pd.DataFrame(
        {
            "question": questions,
            "sub": subs,
            "position": [names.index(n) for n in ans_cols],
            "name": ans_cols,
        },
        index=pd.Index(ans_cols, name="column", dtype=object),
    )
    return SurveyExport(
        data=data_frame,
        columns=columns,
        metadata=metadata,
        format="spss",
        source=str(path),
        encoding=None,
    )
