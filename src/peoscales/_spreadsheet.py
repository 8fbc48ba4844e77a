"""Spreadsheet output that keeps text as text.

A text cell beginning with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return)
is read by Excel as a formula when it is typed in, and openpyxl writes a string that
begins with ``=`` as a live formula. Survey data and table titles come from respondents
and users, so such text must never run: an id ``=HYPERLINK("http://...")`` would become
a link, and worse formulas exist. Every ``.xlsx`` writer of the package passes its
worksheets through :func:`keep_text_as_text` before saving.

CSV files are written with the values exactly as they are, because a CSV is data for R,
SPSS and pandas as much as for Excel, and a changed value (the usual remedy is a leading
apostrophe) would be data lost for them. :func:`formula_like` finds the text cells that
Excel would run, so the command line can warn about them and point to ``.xlsx``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["FORMULA_STARTS", "formula_like", "keep_text_as_text"]

#: First characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def keep_text_as_text(worksheet: Any) -> int:
    """Store every text cell of an openpyxl worksheet as text, never as a formula.

    Cells whose text starts like a formula are stored as text (``t="inlineStr"``) and
    marked with a quote prefix, so that Excel shows them as written and keeps them as
    text even when the cell is edited. Numbers are left alone. Returns the number of
    cells that were changed.
    """
    changed = 0
    for row in worksheet.iter_rows():
        for cell in row:
            value = cell.value
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                cell.data_type = "s"
                cell.quotePrefix = True
                changed += 1
    return changed


def formula_like(frame: pd.DataFrame) -> dict[str, list[str]]:
    """Text cells (and index labels) that a spreadsheet would read as formulas, by column.

    Numbers are not text: a negative number is a number, not a formula.
    """
    found: dict[str, list[str]] = {}
    columns: list[tuple[str, pd.Index | pd.Series]] = [
        (f"index {frame.index.name or ''}".strip(), frame.index)
    ]
    columns += [
        (str(name), frame[name])
        for name in frame.columns
        if not pd.api.types.is_numeric_dtype(frame[name])
    ]
    columns += [("header", pd.Index([str(c) for c in frame.columns]))]
    for name, values in columns:
        array = np.asarray(values, dtype=object)
        text = [v for v in array if isinstance(v, str) and v.startswith(FORMULA_STARTS)]
        if text:
            found[name] = text
    return found
