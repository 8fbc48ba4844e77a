"""Coding open answers: a coding frame (TOML), a coding sheet (.xlsx) to fill in by hand,
and the filled sheet read back as a multiple-response item.

Rules in the frame (keywords, regular expressions) only pre-fill a *suggested* column;
the codes that count are the ones a person writes in the code columns, so no answer is
coded without review. Open answers are personal data: they are written only to the coding
sheet asked for, never to a report.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from peoscales._validation import as_frame, preview, require_columns
from peoscales.errors import DefinitionError, ParameterError, UnknownLabelError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["Code", "CodingFrame", "export_coding_sheet", "load_coding_frame", "read_coding_sheet"]

_ID = re.compile(r"[a-z][a-z0-9_]*")
#: How many code columns a coding sheet offers per answer.
CODE_COLUMNS = 3


@dataclass(frozen=True)
class Code:
    """One code of a coding frame: an id, labels and the rules that suggest it."""

    code: str
    nl: str
    en: str
    keywords: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()

    def label(self, lang: str = "nl") -> str:
        """The code's label in ``lang``."""
        return self.nl if lang == "nl" else self.en

    def suggests(self, text: str) -> bool:
        """Whether a rule of this code matches the answer (case-insensitive)."""
        low = text.casefold()
        return any(k.casefold() in low for k in self.keywords) or any(
            re.search(p, text, re.IGNORECASE) for p in self.patterns
        )


@dataclass(frozen=True)
class CodingFrame:
    """The codes of an open question, in order (a definition, like an instrument)."""

    name: str
    codes: tuple[Code, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per code: labels and rules."""
        return pd.DataFrame(
            {
                "nl": [c.nl for c in self.codes],
                "en": [c.en for c in self.codes],
                "keywords": ["; ".join(c.keywords) for c in self.codes],
                "patterns": ["; ".join(c.patterns) for c in self.codes],
            },
            index=pd.Index([c.code for c in self.codes], name="code"),
        )

    def suggest(self, text: str) -> list[str]:
        """The codes whose rules match an answer (a suggestion, never final)."""
        return [c.code for c in self.codes if c.suggests(text)]


def load_coding_frame(source: str | Path) -> CodingFrame:
    """Read a coding frame from a TOML file (or TOML text).

    Examples
    --------
    >>> from peoscales.peo import load_coding_frame
    >>> frame = load_coding_frame('''
    ... name = "limiting"
    ... [[codes]]
    ... code = "workload"
    ... nl = "Werkdruk"
    ... en = "Workload"
    ... keywords = ["werkdruk", "te veel"]
    ... [[codes]]
    ... code = "admin"
    ... nl = "Administratie"
    ... en = "Administration"
    ... patterns = ["administrati(e|ef)", "registratie"]
    ... ''')
    >>> frame.suggest("Veel administratie en te veel werk")
    ['workload', 'admin']
    """
    text, where = _text_of(source)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(f"{where}: not valid TOML ({exc}).") from None
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise DefinitionError(
            f"{where}: field 'name': give the frame a name, e.g. name = \"limiting\"."
        )
    entries = raw.get("codes")
    if not isinstance(entries, list) or not entries:
        raise DefinitionError(f"{where}: field 'codes': list the codes as [[codes]] tables.")
    codes = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        field = f"codes[{i}]"
        code = entry.get("code") if isinstance(entry, dict) else None
        if not isinstance(code, str) or not _ID.fullmatch(code):
            raise DefinitionError(
                f"{where}: field '{field}.code': {code!r} is not a valid code; use lower-case "
                "snake_case such as 'workload'."
            )
        if code in seen:
            raise DefinitionError(f"{where}: field '{field}.code': code {code!r} is listed twice.")
        seen.add(code)
        patterns = tuple(str(p) for p in entry.get("patterns", []))
        for p in patterns:
            try:
                re.compile(p)
            except re.error as exc:
                raise DefinitionError(
                    f"{where}: field '{field}.patterns': {p!r} is not a regular expression ({exc})."
                ) from None
        codes.append(
            Code(
                code=code,
                nl=str(entry.get("nl", code)),
                en=str(entry.get("en", entry.get("nl", code))),
                keywords=tuple(str(k) for k in entry.get("keywords", [])),
                patterns=patterns,
            )
        )
    return CodingFrame(name=name, codes=tuple(codes))


def _text_of(source: str | Path) -> tuple[str, str]:
    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source):
        path = Path(source)
        from peoscales.instruments.registry import read_definition_text

        return read_definition_text(path), str(path)
    return str(source), "<coding frame>"


def export_coding_sheet(
    data: pd.DataFrame,
    item: Hashable,
    path: str | Path,
    *,
    frame: CodingFrame | None = None,
) -> Path:
    """Write the answers to an open question to an .xlsx coding sheet.

    Sheet ``answers`` has one row per non-empty answer: the respondent id (the data's
    index), the answer, the codes the frame's rules suggest, and empty columns ``code_1``
    ... ``code_3`` to fill in. Sheet ``frame`` lists the codes. Text is stored as text,
    never as a formula.
    """
    from peoscales._optional import require
    from peoscales._spreadsheet import keep_text_as_text

    openpyxl = require("openpyxl", "Writing a coding sheet")
    table = as_frame(data)
    require_columns(table, [item])
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise ParameterError(f"path={str(target)!r} must end in .xlsx.")
    answers = table[item]
    given = answers.notna() & (answers.astype("string").str.strip() != "")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "answers"
    sheet.append(["id", "answer", "suggested", *[f"code_{i + 1}" for i in range(CODE_COLUMNS)]])
    for rid, text in answers[given].items():
        suggested = "; ".join(frame.suggest(str(text))) if frame is not None else ""
        sheet.append([str(rid), str(text), suggested, *[None] * CODE_COLUMNS])
    keep_text_as_text(sheet)
    codes = book.create_sheet("frame")
    codes.append(["code", "nl", "en"])
    for code in frame.codes if frame is not None else ():
        codes.append([code.code, code.nl, code.en])
    keep_text_as_text(codes)
    book.save(target)
    return target


def read_coding_sheet(path: str | Path, frame: CodingFrame) -> pd.DataFrame:
    """Read a filled coding sheet back: one True/False column per code, by respondent id.

    Only the ``code_*`` columns count (the suggestions are never taken as codes). A code
    that the frame does not have raises :class:`UnknownLabelError` listing it with its
    rows. The result is a multiple-response item: pass it to
    :func:`peoscales.peo.multi_response_table`.
    """
    from peoscales._optional import require

    require("openpyxl", "Reading a coding sheet")
    sheet = pd.read_excel(Path(path), sheet_name="answers", dtype=object)
    code_columns = [c for c in sheet.columns if str(c).startswith("code_")]
    missing = [c for c in ("id", "answer") if c not in sheet.columns]
    if missing or not code_columns:
        raise ParameterError(
            f"{path}: the 'answers' sheet needs the columns id, answer and code_1 ... as "
            f"written by export_coding_sheet; it has {preview(list(sheet.columns))}."
        )
    known = [c.code for c in frame.codes]
    cells = sheet[code_columns].to_numpy(dtype=object)
    text = np.vectorize(
        lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip()
    )(cells)
    unknown = sorted({str(t) for t in text.ravel() if t and t not in known})
    if unknown:
        rows = [int(i) + 2 for i in np.flatnonzero(np.isin(text, unknown).any(axis=1))]
        raise UnknownLabelError(
            f"{path}: code(s) {preview(unknown)} are not in coding frame {frame.name!r} (sheet "
            f"rows {preview(rows, 5)}); its codes are {preview(known, 12)}. Correct them, or "
            "add them to the frame."
        )
    coded = pd.DataFrame(
        {c: (text == c).any(axis=1) for c in known},
        index=pd.Index(sheet["id"].astype(str), name="id"),
    )
    return coded


def multi_response_labels(frame: CodingFrame, lang: str = "nl") -> dict[str, str]:
    """Code → label, to rename the columns of :func:`read_coding_sheet` for display."""
    return {c.code: c.label(lang) for c in frame.codes}
