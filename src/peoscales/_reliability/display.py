"""Shared options and the display helpers of the reliability results (numbers, intervals, notes)."""

from __future__ import annotations

import html
from collections.abc import Hashable, Sequence
from typing import Literal

import pandas as pd

from peoscales._results import apa_number

CI = Literal["feldt", "bootstrap"] | None
Missing = Literal["pairwise", "listwise"]

#: Splits enumerated exhaustively up to this many; beyond, this many random splits.
MAX_SPLITS = 10_000


def _fmt(value: float, digits: int = 3) -> str:
    return apa_number(value, digits, leading_zero=False)


#: How a display names the interval methods.
_CI_METHODS = {"feldt": "Feldt", "bootstrap": "percentile bootstrap"}


def _ci_label(level: float) -> str:
    return f"{level * 100:g}% CI"


def _ci(low: float, high: float, digits: int = 3) -> str:
    return f"[{_fmt(low, digits)}, {_fmt(high, digits)}]"


def _alpha_apa(
    alpha: float,
    low: float,
    high: float,
    method: str | None,
    level: float,
    ordinal: bool,
    digits: int,
) -> str:
    symbol = "ordinal α" if ordinal else "α"
    text = f"{symbol} = {_fmt(alpha, digits)}"
    if method is not None:
        text += f", {_ci_label(level)} {_ci(low, high, digits)}"
    return text


def _html(
    title: str, tables: Sequence[tuple[str | None, pd.DataFrame]], notes: Sequence[str]
) -> str:
    """The HTML view: title, display tables of strings (captioned) and notes, all escaped."""
    parts = [f'<div class="peoscales-result"><strong>{html.escape(title)}</strong>']
    for caption, frame in tables:
        if caption:
            parts.append(f"<p><em>{html.escape(caption)}</em></p>")
        parts.append(frame.to_html(border=0, na_rep="—"))
    parts += [f"<p>{html.escape(note)}</p>" for note in notes]
    parts.append("</div>")
    return "".join(parts)


def _text(
    title: str, tables: Sequence[tuple[str | None, pd.DataFrame]], notes: Sequence[str]
) -> str:
    """The text view of the same parts as :func:`_html`."""
    lines = [title]
    for caption, frame in tables:
        if caption:
            lines.append(caption)
        lines.append(frame.to_string(na_rep="—"))
    return "\n".join(lines + list(notes))


def _flip_note(flipped: Sequence[Hashable], where: str = "") -> str:
    names = ", ".join(str(c) for c in flipped)
    return (
        f"Reversed for omega{where} (negative loadings on the general factor, as "
        f"psych::omega): {names}."
    )
