"""Conventions shared by every result object, and display-time formatting.

Results are frozen dataclasses holding unrounded numbers. Rounding, stars and
APA strings are produced here, at display time, never stored.

A result class is declared as::

    @dataclass(frozen=True, eq=False, repr=False)
    class MyResult(Result):
        table: pd.DataFrame
        def to_frame(self) -> pd.DataFrame: ...
        def summary(self) -> str: ...

``eq=False`` because results hold DataFrames, whose ``==`` is elementwise.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, ClassVar

import pandas as pd

from peoscales._deprecation import renamed_attributes, warn_renamed

__all__ = [
    "Result",
    "apa_number",
    "apa_p",
    "ci_text",
    "count_text",
    "format_p",
    "preview_rows",
    "sections_html",
    "sections_text",
    "stars",
]

#: Default significance thresholds and their marks, strictest last.
DEFAULT_STARS: tuple[tuple[float, str], ...] = ((0.05, "*"), (0.01, "**"), (0.001, "***"))


def apa_number(value: float, digits: int = 2, *, leading_zero: bool = True) -> str:
    """Format a number for a report: fixed decimals, a true minus sign.

    ``leading_zero=False`` gives APA style for statistics bounded by 1
    (correlations, proportions, p): ``.42`` instead of ``0.42``.

    Examples
    --------
    >>> apa_number(0.4237, leading_zero=False)
    '.42'
    >>> apa_number(-0.05, 3, leading_zero=False)
    '−.050'
    >>> apa_number(-0.625, leading_zero=False)
    '−.63'
    >>> apa_number(float("nan"))
    '—'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if math.isinf(value):
        return "−∞" if value < 0 else "∞"
    # Round half away from zero, as APA manuals and SPSS print (.625 -> .63);
    # Python's format() rounds the binary value half to even.
    rounded = Decimal(repr(abs(float(value)))).quantize(
        Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP
    )
    text = f"{rounded:.{digits}f}"
    if not leading_zero and text.startswith("0."):
        text = text[1:]
    negative = value < 0 and float(text or 0) != 0
    return ("−" if negative else "") + text


def format_p(p: float, digits: int = 3) -> str:
    """Format a p-value the APA way: ``.017``, ``< .001``.

    Examples
    --------
    >>> format_p(0.01712)
    '.017'
    >>> format_p(0.00002)
    '< .001'
    >>> format_p(1.0)
    '1.000'
    """
    if p is None or math.isnan(p):
        return "—"
    floor = 10.0**-digits
    if p < floor:
        return f"< {apa_number(floor, digits, leading_zero=False)}"
    if p >= 1:
        return f"{1:.{digits}f}"
    return apa_number(p, digits, leading_zero=False)


def apa_p(p: float, digits: int = 3) -> str:
    """The p clause of an APA report: ``p = .017``, ``p < .001`` (never ``p = < .001``).

    Examples
    --------
    >>> apa_p(0.01712), apa_p(0.00002)
    ('p = .017', 'p < .001')
    """
    text = format_p(p, digits)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def stars(p: float, thresholds: Sequence[tuple[float, str]] = DEFAULT_STARS) -> str:
    """Return the significance mark for ``p`` (``''`` when not significant or NaN).

    Examples
    --------
    >>> stars(0.03), stars(0.004), stars(0.0002), stars(0.2)
    ('*', '**', '***', '')
    """
    if p is None or math.isnan(p):
        return ""
    mark = ""
    for level, symbol in sorted(thresholds, key=lambda t: -t[0]):
        if p < level:
            mark = symbol
    return mark


class Result:
    """Mixin giving results a text ``repr`` and an HTML view for Jupyter.

    Subclasses implement :meth:`to_frame` and :meth:`summary`; they may override
    :meth:`_repr_html_` for a richer view.
    """

    #: Title shown above the HTML table; subclasses override.
    title: str = "Result"

    #: Attributes renamed to the glossary's names: old name -> new name. The old names
    #: still work, with a DeprecatedNameWarning, until peoscales 0.2.0.
    #: A tuple of new names stands for an old attribute that held them as a pair.
    _renamed: ClassVar[Mapping[str, str | tuple[str, ...]]] = {}

    if not TYPE_CHECKING:  # keeps mypy's check of attribute names on results

        def __getattr__(self, name: str) -> Any:
            # Only reached when normal lookup fails, so current names cost nothing.
            new = renamed_attributes(type(self)).get(name)
            if new is None:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            if isinstance(new, tuple):
                warn_renamed(type(self).__name__, name, " and ".join(new))
                values = tuple(getattr(self, part) for part in new)
                return None if all(v is None for v in values) else values
            warn_renamed(type(self).__name__, name, new)
            return getattr(self, new)

    def to_frame(self) -> pd.DataFrame:  # pragma: no cover - abstract
        raise NotImplementedError

    def summary(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        frame = self.to_frame()
        table = frame.to_html(float_format=lambda x: apa_number(x, 3), na_rep=MISSING, border=0)
        return (
            f'<div class="peoscales-result"><strong>{html.escape(self.title)}</strong>{table}</div>'
        )


# --------------------------------------------------------------------------------------
# Display tables: one frame of strings feeds both the text summary and the HTML view
# --------------------------------------------------------------------------------------

#: What a display shows for a missing value.
MISSING = "—"


def ci_text(low: float, high: float, digits: int = 3, *, leading_zero: bool = True) -> str:
    """A confidence interval as ``[−0.391, 0.106]``, both limits formatted alike.

    Examples
    --------
    >>> ci_text(-0.3914, 0.1062)
    '[−0.391, 0.106]'
    >>> ci_text(0.12, 0.456, 2, leading_zero=False)
    '[.12, .46]'
    """
    return (
        f"[{apa_number(low, digits, leading_zero=leading_zero)}, "
        f"{apa_number(high, digits, leading_zero=leading_zero)}]"
    )


def count_text(value: float) -> str:
    """A count or whole degrees of freedom as ``12``; a fractional df with two decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return str(int(value)) if float(value).is_integer() else apa_number(float(value), 2)


Section = tuple[str | None, pd.DataFrame]


def sections_text(title: str, sections: Sequence[Section], notes: Sequence[str] = ()) -> str:
    """The text view: title, each display table (captioned) and the note lines."""
    lines = [title]
    for caption, frame in sections:
        lines += ["", caption] if caption else [""]
        lines.append(frame.to_string(na_rep=MISSING))
    lines += list(notes)
    return "\n".join(lines)


def sections_html(title: str, sections: Sequence[Section], notes: Sequence[str] = ()) -> str:
    """The HTML view of the same parts as :func:`sections_text`, all text escaped."""
    parts = [f'<div class="peoscales-result"><strong>{html.escape(title)}</strong>']
    for caption, frame in sections:
        if caption:
            parts.append(f"<p><em>{html.escape(caption)}</em></p>")
        parts.append(frame.to_html(border=0, na_rep=MISSING))
    parts += [f"<p>{html.escape(note)}</p>" for note in notes]
    parts.append("</div>")
    return "".join(parts)


def _cell_text(value: object) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return MISSING
    if isinstance(value, float):
        if math.isnan(value):
            return MISSING
        if value.is_integer():
            return apa_number(value, 0)
        return f"{value:g}".replace("-", "−")
    text = str(value)
    return text if text.strip() else MISSING


def preview_rows(frame: pd.DataFrame, rows: int = 5) -> pd.DataFrame:
    """The first ``rows`` rows of data as display strings, "—" for empty or missing cells.

    Examples
    --------
    >>> preview_rows(pd.DataFrame({"a": [1.0, None], "b": ["ja", ""]}))
       a  b
    0  1  ja
    1  —  —
    """
    head = frame.head(rows)
    return pd.DataFrame(
        {column: [_cell_text(v) for v in head[column].tolist()] for column in head.columns},
        index=head.index,
    )
