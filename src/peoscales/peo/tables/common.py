"""What the table kinds share: option types, the Dutch and English texts, the table base class."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any, ClassVar, Literal

import pandas as pd

from peoscales._results import Result
from peoscales.instruments.model import normalize_label

PercentOf = Literal["valid", "substantive", "all"]
Rounding = Literal["largest_remainder"] | None

#: Answer texts that mean "this respondent was not routed to the question".
NOT_ASKED_LABELS = frozenset(
    normalize_label(t) for t in ("not asked", "niet gevraagd", "<not asked>", "<niet gevraagd>")
)

#: Row codes used inside this module (never stored in results).
_MISSING, _NOT_ASKED = -1, -2

_TEXT: dict[str, dict[str, str]] = {
    "n": {"nl": "n", "en": "n"},
    "percent": {"nl": "%", "en": "%"},
    "missing": {"nl": "Geen antwoord", "en": "No answer"},
    "not_asked": {"nl": "Niet gevraagd", "en": "Not asked"},
    "total": {"nl": "Totaal", "en": "Total"},
    "all_groups": {"nl": "Totaal", "en": "Total"},
    "mean": {"nl": "Gemiddelde", "en": "Mean"},
    "sd": {"nl": "SD", "en": "SD"},
    "waves_title": {"nl": "Vergelijking van metingen", "en": "Comparison of waves"},
    "trend_title": {"nl": "Trend over metingen", "en": "Trend across waves"},
    "mean_ci": {"nl": "Gemiddelde [{c}%-BI]", "en": "Mean [{c}% CI]"},
    "not_in_wave": {"nl": "Niet in {waves}: {items}.", "en": "Not in {waves}: {items}."},
    "adjusted": {
        "nl": "p-waarden gecorrigeerd voor het aantal items ({method}).",
        "en": "p-values adjusted for the number of items ({method}).",
    },
    "suppressed": {
        "nl": "<{k}: minder dan {k} respondenten, niet getoond om herleidbaarheid te voorkomen.",
        "en": "<{k}: fewer than {k} respondents, not shown so no one can be identified.",
    },
    "complement": {
        "nl": "x: niet getoond omdat de waarde anders uit de totalen te berekenen is.",
        "en": "x: not shown because it could otherwise be computed from the totals.",
    },
    "valid": {
        "nl": "Percentages van de gegeven antwoorden (inclusief {ns}); geen antwoord en niet gevraagd tellen niet mee.",
        "en": "Percentages of the answers given (including {ns}); no answer and not asked are left out.",
    },
    "substantive": {
        "nl": "Percentages van de inhoudelijke antwoorden; {ns}, geen antwoord en niet gevraagd tellen niet mee.",
        "en": "Percentages of the substantive answers; {ns}, no answer and not asked are left out.",
    },
    "all": {
        "nl": "Percentages van alle respondenten, inclusief geen antwoord en niet gevraagd.",
        "en": "Percentages of all respondents, including no answer and not asked.",
    },
    "lr": {
        "nl": "Afgerond met de methode van de grootste restwaarde, zodat de percentages optellen tot 100.",
        "en": "Rounded by the largest-remainder method so the percentages add up to 100.",
    },
    "dontknow": {"nl": "weet niet", "en": "don't know"},
    "item": {"nl": "Vraag", "en": "Item"},
    "answer": {"nl": "Antwoord", "en": "Answer"},
    "small_expected": {
        "nl": "Let op: kleine verwachte aantallen (kleinste {e}); de p-waarde is een benadering.",
        "en": "Note: small expected counts (smallest {e}); the p-value is approximate.",
    },
}


def _t(key: str, lang: str, **kwargs: Any) -> str:
    text = _TEXT[key].get(lang, _TEXT[key]["en"])
    return text.format(**kwargs) if kwargs else text


def _fmt(code: float) -> str:
    return str(int(code)) if float(code).is_integer() else f"{code:g}"


def _html_table(frame: pd.DataFrame, title: str, notes: Sequence[str], css: str) -> str:
    body = frame.to_html(border=0, na_rep="", escape=True, classes=["peo-table", css])
    foot = "".join(f"<p class='peo-note'>{html.escape(n)}</p>" for n in notes if n)
    return (
        f"<div class='peoscales-result peo-{css}'><p class='peo-caption'><strong>"
        f"{html.escape(title)}</strong></p>{body}{foot}</div>"
    )


class _ReportTable(Result):
    """What the report tables share: a text and an HTML view of :meth:`display_frame`.

    Subclasses give ``display_frame()``, ``notes()`` and the CSS class ``_css``; the
    caption is the title unless ``_caption`` says otherwise.
    """

    _css: ClassVar[str] = "table"

    def display_frame(self) -> pd.DataFrame:  # pragma: no cover - abstract
        raise NotImplementedError

    def notes(self) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def _caption(self) -> str:
        return self.title

    def summary(self) -> str:
        """The displayed table as text, with its notes."""
        return f"{self._caption}\n{self.display_frame().to_string()}\n" + "\n".join(self.notes())

    def _repr_html_(self) -> str:
        return _html_table(self.display_frame(), self._caption, self.notes(), self._css)
