"""The data model of instruments and survey codebooks.

One model serves both validated instruments (items grouped into scales, reverse
keys, a scoring rule, norm bands) and survey codebooks (categorical items with
ordered answer labels, non-substantive answers, named groupings of answers and
routing). Every object is a frozen dataclass built by
:mod:`peoscales.instruments.loader` from a TOML definition; no code is ever
executed from a definition.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import numpy as np
import pandas as pd

__all__ = [
    "AnswerGroup",
    "AskedIf",
    "Band",
    "Grouping",
    "Instrument",
    "Item",
    "ResponseOption",
    "ResponseScale",
    "Scale",
    "normalize_label",
    "option_column",
]

ResponseKind = Literal["likert", "ordinal", "nominal", "numeric", "text", "multi"]
ScoringMethod = Literal["mean", "sum"]
KeyStatus = Literal["verified", "secondary", "to verify"]


def _empty() -> Mapping[str, str]:
    return MappingProxyType({})


_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "`": "'"})


def normalize_label(text: str) -> str:
    """Normalise a response text or question for tolerant matching.

    Case, surrounding and repeated white space, curly versus straight quotes,
    the ellipsis character and trailing punctuation do not matter.

    Examples
    --------
    >>> normalize_label("  Sterk  mee ONEENS ")
    'sterk mee oneens'
    >>> normalize_label("Anders, namelijk…") == normalize_label("anders, namelijk...")
    True
    """
    text = unicodedata.normalize("NFKC", str(text)).translate(_QUOTES)
    text = text.replace("…", "...").replace("\u00a0", " ")
    text = re.sub(r"\s+", " ", text).strip().casefold()
    return text.rstrip(" .:;?!,")


def _text(labels: Mapping[str, str], lang: str) -> str:
    """Pick ``lang`` from a {language: text} mapping, falling back sensibly."""
    if lang in labels:
        return labels[lang]
    for fallback in ("en", "nl"):
        if fallback in labels:
            return labels[fallback]
    return next(iter(labels.values()), "")


@dataclass(frozen=True)
class ResponseOption:
    """One answer a respondent can give, with its numeric code.

    ``substantive=False`` marks answers such as ``weet niet`` that count in a
    frequency table but not in a mean or a scale score. For an option of a
    check-all-that-apply (``multi``) question, ``name`` names its coded column
    (``<item>_<name>``, else ``<item>_<code>``) and ``other=True`` marks the
    "Anders, namelijk ..." option whose free text is kept beside it.
    """

    code: float
    labels: Mapping[str, str] = field(default_factory=_empty)
    substantive: bool = True
    aliases: tuple[str, ...] = ()
    name: str | None = None
    other: bool = False

    def label(self, lang: str = "nl") -> str:
        """The answer text in ``lang`` (``"nl"`` or ``"en"``)."""
        return _text(self.labels, lang) or _format_code(self.code)


def _format_code(code: float) -> str:
    return str(int(code)) if float(code).is_integer() else str(code)


def option_column(item: str, option: ResponseOption) -> str:
    """The coded column of one option of a check-all-that-apply item.

    Examples
    --------
    >>> option_column("support", ResponseOption(code=2, name="manager"))
    'support_manager'
    >>> option_column("support", ResponseOption(code=9))
    'support_9'
    """
    return f"{item}_{option.name or _format_code(option.code)}"


@dataclass(frozen=True)
class AnswerGroup:
    """A named group of answers, e.g. ``(ruim) onvoldoende`` = codes 1 and 2.

    A group lists codes, or (for numeric items) a closed interval of values, or is
    the rest: every substantive answer that no other group of its grouping takes.
    """

    name: str
    labels: Mapping[str, str] = field(default_factory=_empty)
    codes: tuple[float, ...] = ()
    interval: tuple[float, float] | None = None
    #: "Every other substantive answer": the rest group of "this answer vs the rest".
    rest: bool = False

    def label(self, lang: str = "nl") -> str:
        """The group's label in ``lang``."""
        return _text(self.labels, lang) or self.name

    def contains(self, values: np.ndarray) -> np.ndarray:
        """Boolean mask of the values that fall in this group (NaN never does)."""
        values = np.asarray(values, dtype=float)
        if self.interval is not None:
            low, high = self.interval
            return (values >= low) & (values <= high)
        return np.isin(values, np.asarray(self.codes, dtype=float))


@dataclass(frozen=True)
class Grouping:
    """An ordered set of answer groups used in reports (a recode into bands)."""

    name: str
    groups: tuple[AnswerGroup, ...]

    def apply(self, values: pd.Series | np.ndarray, lang: str = "nl") -> pd.Categorical:
        """Map codes to the group labels as an ordered categorical (NaN outside)."""
        arr = np.asarray(values, dtype=float)
        labels = [g.label(lang) for g in self.groups]
        codes = np.full(arr.shape, -1, dtype=np.int64)
        for position, group in enumerate(self.groups):
            codes[(codes == -1) & group.contains(arr)] = position
        return pd.Categorical.from_codes(codes, categories=labels, ordered=True)


@dataclass(frozen=True)
class ResponseScale:
    """The answers an item accepts.

    Attributes
    ----------
    kind
        ``likert`` (numeric codes on a declared range, used for scale scores),
        ``ordinal`` (ordered labels), ``nominal`` (unordered labels), ``numeric``
        (a number in ``[min, max]``, e.g. a 1-10 mark or a percentage), ``text``
        (an open answer) or ``multi`` (check all that apply: each option is
        chosen or not, coded as one True/False column per option).
    options
        The answers in their declared order: substantive answers first, then
        non-substantive ones.
    min, max
        The declared range of substantive codes. Reversal uses this range,
        never the range seen in the data.
    """

    id: str
    kind: ResponseKind
    options: tuple[ResponseOption, ...] = ()
    min: float | None = None
    max: float | None = None
    groupings: Mapping[str, Grouping] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def substantive_codes(self) -> tuple[float, ...]:
        """Codes of the substantive answers, in order."""
        return tuple(o.code for o in self.options if o.substantive)

    @property
    def nonsubstantive_codes(self) -> tuple[float, ...]:
        """Codes that mean "no substantive answer" (``weet niet``, ``n.v.t.``)."""
        return tuple(o.code for o in self.options if not o.substantive)

    @property
    def is_integer_coded(self) -> bool:
        """True when valid codes are whole numbers (every built-in scale)."""
        return all(float(c).is_integer() for c in self.substantive_codes) or (
            not self.options
            and self.min is not None
            and float(self.min).is_integer()
            and self.max is not None
            and float(self.max).is_integer()
        )

    def label_map(self) -> dict[str, float]:
        """Normalised answer text (Dutch, English and aliases) to code."""
        mapping: dict[str, float] = {}
        for option in self.options:
            for text in (*option.labels.values(), *option.aliases):
                mapping[normalize_label(text)] = option.code
        return mapping

    def code_labels(self, lang: str = "nl") -> dict[float, str]:
        """Code to answer text in ``lang``."""
        return {o.code: o.label(lang) for o in self.options}


@dataclass(frozen=True)
class AskedIf:
    """Routing: the item is asked only when ``item`` has one of ``codes``."""

    item: str
    codes: tuple[float, ...]


@dataclass(frozen=True)
class Item:
    """One question.

    Attributes
    ----------
    id
        Stable snake_case name, e.g. ``wbns_competence_2`` (scale and position)
        or ``work_pleasure``.
    number
        Position in the administered questionnaire (used by ``columns="order"``).
    scale, position
        The scale the item belongs to and its position there (``None`` for
        codebook items outside scales).
    reverse
        Reverse-keyed within its scale.
    same_as
        Ids of the same question in other waves (``"2020-05:equipped"``).
    row
        The sub-question label shown under the question in a survey export: a
        matrix row (``"Je werkdruk"``) or the ``Anders, namelijk`` field.
    other_of
        For the free text of an ``Anders, namelijk ...`` answer: the id of the
        item whose answer it explains (the text shares that item's question).
    combines
        For a derived item: the ids of routed items (one per branch of a
        filter question) whose answers it combines; it has no column of its own.
    """

    id: str
    response_scale: str
    text: Mapping[str, str] = field(default_factory=_empty)
    short: Mapping[str, str] = field(default_factory=_empty)
    number: int | None = None
    scale: str | None = None
    position: int | None = None
    reverse: bool = False
    asked_if: AskedIf | None = None
    same_as: tuple[str, ...] = ()
    row: Mapping[str, str] = field(default_factory=_empty)
    other_of: str | None = None
    combines: tuple[str, ...] = ()

    def label(self, lang: str = "nl") -> str:
        """A short label for tables (falls back to the full text)."""
        return _text(self.short, lang) or _text(self.text, lang) or self.id

    def question(self, lang: str = "nl") -> str:
        """The question text as administered in ``lang``."""
        return _text(self.text, lang)


@dataclass(frozen=True)
class Band:
    """A norm band: a label and a closed interval of scores, as published."""

    name: str
    low: float
    high: float
    labels: Mapping[str, str] = field(default_factory=_empty)

    def label(self, lang: str = "en") -> str:
        """The band's label in ``lang``."""
        return _text(self.labels, lang) or self.name


@dataclass(frozen=True)
class Scale:
    """A set of items scored together.

    The score is the mean (or the prorated sum) of the answered items after
    reversal, provided at least :meth:`required` items are answered.
    """

    id: str
    items: tuple[str, ...]
    response_scale: str
    labels: Mapping[str, str] = field(default_factory=_empty)
    reverse: frozenset[str] = frozenset()
    method: ScoringMethod = "mean"
    min_valid: int | None = None
    min_valid_share: float | None = None
    bands: tuple[Band, ...] = ()
    bands_source: str = ""

    def label(self, lang: str = "en") -> str:
        """The scale's name in ``lang``."""
        return _text(self.labels, lang) or self.id

    def required(self) -> int:
        """How many answered items a score needs (at least one)."""
        k = len(self.items)
        if self.min_valid is not None:
            return max(1, min(k, self.min_valid))
        if self.min_valid_share is not None:
            return max(1, int(np.ceil(self.min_valid_share * k - 1e-9)))
        return k


@dataclass(frozen=True)
class Instrument:
    """A validated instrument or a survey codebook.

    Build one with :func:`peoscales.load_instrument` (from TOML) or get a built-in
    one with :func:`peoscales.get_instrument`.
    """

    name: str
    title: str
    kind: Literal["instrument", "codebook"]
    response_scales: Mapping[str, ResponseScale]
    items: Mapping[str, Item]
    scales: Mapping[str, Scale]
    description: str = ""
    citation: str = ""
    licence: str = ""
    key_source: str = ""
    key_status: KeyStatus = "to verify"
    key_note: str = ""
    wave: str | None = None
    source: str = "<memory>"

    def __repr__(self) -> str:
        return (
            f"<{self.kind.capitalize()} {self.name!r}: {self.title}; "
            f"{len(self.items)} items, {len(self.scales)} scales; key {self.key_status}>"
        )

    def scale_items(self, scale: str) -> tuple[Item, ...]:
        """The items of ``scale`` in scale order."""
        return tuple(self.items[i] for i in self.scales[scale].items)

    def response_scale_of(self, item: str) -> ResponseScale:
        """The response scale of item ``item``."""
        return self.response_scales[self.items[item].response_scale]

    @property
    def administration_order(self) -> tuple[str, ...]:
        """Item ids in the order they are administered (by ``number``)."""
        items = list(self.items.values())
        ordered = sorted(items, key=lambda it: (it.number is None, it.number or 0, items.index(it)))
        return tuple(it.id for it in ordered)
