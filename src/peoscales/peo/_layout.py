"""Report layouts as data: what a PEO report shows, read from the codebook's ``[report]`` table.

A layout declares the report's title and introduction, its numbering policy and its
sections, each a list of tables (which item, which table kind, which grouping, the
order of the answers, the caption, notes and chart). :func:`parse_layout` checks a
layout against its codebook field by field, so a wrong item id, table kind, grouping
or option is a :class:`~peoscales.errors.DefinitionError` naming the file and the
field (``report.sections[1].tables[3].item``) and listing the valid choices.
:func:`build_document` renders a checked layout on coded data into a
:class:`~peoscales._document.Document`. The schema is described in ``docs/peo.rst``.

Table kinds are registered in :data:`KINDS` (:func:`register_table_kind`): a new kind
of table is one builder function and one registration. A ``trend`` table follows items
across the earlier waves it names (``waves = ["2020-05", "2021-09"]``), whose data the
report is given (``report(compare_with=...)``; the demo report uses the demo waves).
"""

from __future__ import annotations

import dataclasses
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from peoscales._document import Chart, Document, Heading, Paragraph, Table
from peoscales._results import Result, apa_number, format_p, stars
from peoscales._validation import preview, suggest
from peoscales.errors import DefinitionError, ParameterError, PeoscalesError
from peoscales.instruments.loader import _Ctx, _labels
from peoscales.instruments.model import Instrument

__all__ = [
    "KINDS",
    "KindSpec",
    "Layout",
    "SectionSpec",
    "TableSpec",
    "build_document",
    "generic_layout",
    "parse_layout",
    "register_table_kind",
]

_LANGS = ("nl", "en")
NUMBERING = ("published", "sequential")
ORDERS = ("ascending", "descending", "share")
CHARTS = ("bars", "likert", "none")
PERCENTS = ("column", "row")
#: Fields every table entry may have, whatever its kind.
COMMON_FIELDS = ("kind", "number", "key", "caption", "note", "chart", "for_each_by")
#: Placeholders a caption may use.
CAPTION_FIELDS = ("item", "by", "stars")
_REPORT_FIELDS = ("title", "intro", "numbering", "numbering_note", "sections")
_SECTION_FIELDS = ("heading", "intro", "tables")

_TEXT: dict[str, dict[str, str]] = {
    "title": {
        "nl": "Rapportage {name}",
        "en": "Report {name}",
    },
    "intro": {"nl": "Rapportage van {n} respondenten.", "en": "Report on {n} respondents."},
    "disclosure": {
        "nl": "In tabellen naar groep (kruistabellen, gemiddelden en percentages per groep) "
        "worden groepen met minder dan {k} respondenten en cellen met 1 tot {k1} "
        "respondenten niet getoond (<{k}); cellen die anders uit de totalen terug te "
        "rekenen zijn, zijn ook verborgen (x). Tabellen over alle respondenten samen "
        "tonen alle aantallen, ook kleine (tenzij het er samen minder dan {k} zijn): zij "
        "koppelen een antwoord aan geen herkenbare groep.",
        "en": "In tables by group (crosstabs, means and percentages per group), groups with "
        "fewer than {k} respondents and cells with 1 to {k1} respondents are not shown "
        "(<{k}); cells that could otherwise be worked out from the totals are hidden too "
        "(x). Tables of all respondents together show every count, small ones included "
        "(unless they are fewer than {k} in all): they attach an answer to no "
        "identifiable group.",
    },
    "no_disclosure": {
        "nl": "Alle aantallen worden getoond, ook kleine (geen onderdrukking van kleine cellen).",
        "en": "Every count is shown, small ones included (no suppression of small cells).",
    },
    "missing": {"nl": "Niet in de gegevens: {items}.", "en": "Not in the data: {items}."},
    "table": {"nl": "Tabel", "en": "Table"},
    "column": {"nl": " (percentages per kolom)", "en": " (column percentages)"},
    "row": {"nl": " (percentages per rij)", "en": " (row percentages)"},
    "item": {"nl": "Vraag", "en": "Item"},
    "sig": {
        "nl": "Toetsen van de kruistabellen",
        "en": "Tests of the crosstabs",
    },
    "sig_note": {
        "nl": "Chi-kwadraattoets zonder continuïteitscorrectie op de inhoudelijke antwoorden; "
        "* p < .05, ** p < .01, *** p < .001.",
        "en": "Chi-square test without continuity correction on the substantive answers; "
        "* p < .05, ** p < .01, *** p < .001.",
    },
    "questions": {"nl": "Vragen", "en": "Questions"},
    "unlinked": {
        "nl": "Niet in de trendtabellen, want niet gevraagd in {waves}: {items}.",
        "en": "Not in the trend tables, as not asked in {waves}: {items}.",
    },
    "no_waves": {
        "nl": "Trendtabellen zijn weggelaten: geen gegevens van {waves} meegegeven.",
        "en": "Trend tables are left out: no data of {waves} were given.",
    },
}


def _t(key: str, lang: str, **kwargs: Any) -> str:
    text = _TEXT[key].get(lang, _TEXT[key]["en"])
    return text.format(**kwargs) if kwargs else text


# --------------------------------------------------------------------------------------
# The parsed layout
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableSpec:
    """One table of a layout, checked against the codebook (``for_each_by`` expanded)."""

    kind: str
    key: str
    number: str | None
    where: str
    item: str | None = None
    items: tuple[str, ...] = ()
    by: str | None = None
    outcome: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    caption: Mapping[str, str] = field(default_factory=dict)
    note: Mapping[str, str] = field(default_factory=dict)
    chart: str = "none"
    by_label: Mapping[str, str] = field(default_factory=dict)

    def referenced(self) -> tuple[str, ...]:
        """Every item the table needs, in order."""
        single = tuple(i for i in (self.item, self.by, self.outcome) if i is not None)
        return (*single[:1], *self.items, *single[1:])


@dataclass(frozen=True)
class SectionSpec:
    """A section: its heading, an optional introduction and its tables."""

    heading: Mapping[str, str]
    tables: tuple[TableSpec, ...]
    intro: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Layout:
    """A checked report layout."""

    title: Mapping[str, str]
    intro: Mapping[str, str]
    numbering: str
    sections: tuple[SectionSpec, ...]
    numbering_note: Mapping[str, str] = field(default_factory=dict)
    gaps: tuple[str, ...] = ()
    source: str = "<layout>"
    generic: bool = False

    def tables(self) -> tuple[TableSpec, ...]:
        """Every table, in order."""
        return tuple(t for s in self.sections for t in s.tables)


# --------------------------------------------------------------------------------------
# Table kinds
# --------------------------------------------------------------------------------------


@dataclass
class _Context:
    """What a table builder needs: the data, the codebook and the display settings."""

    data: pd.DataFrame
    book: Instrument
    lang: str
    min_group_size: int | None
    charts: bool
    crosstabs: list[tuple[str, str, Result]] = field(default_factory=list)
    #: Other waves' coded data for trend tables, each loaded when first needed.
    other_waves: Mapping[str, Callable[[], pd.DataFrame]] = field(default_factory=dict)
    _loaded: dict[str, pd.DataFrame] = field(default_factory=dict)

    def wave_data(self, wave: str) -> pd.DataFrame | None:
        """Coded data of another wave, or None when the report was given none."""
        if wave not in self._loaded:
            load = self.other_waves.get(wave)
            if load is None:
                return None
            self._loaded[wave] = load()
        return self._loaded[wave]

    def has(self, item: str) -> bool:
        if item in self.data.columns:
            return True
        entry = self.book.items.get(item)
        parts = tuple(getattr(entry, "combines", ()) or ())
        if entry is not None and self.book.response_scale_of(item).kind == "multi":
            # A check-all-that-apply item is coded as one column per option.
            from peoscales.instruments.model import option_column

            options = self.book.response_scale_of(item).options
            parts = tuple(option_column(item, o) for o in options)
        return bool(parts) and all(p in self.data.columns for p in parts)

    def label(self, item: str) -> str:
        return self.book.items[item].label(self.lang)


#: A builder: the table's spec and the context give the result and its chart (or None).
Builder = Callable[[TableSpec, _Context], "tuple[Result, Chart | None]"]


@dataclass(frozen=True)
class KindSpec:
    """A table kind: its builder, the fields it takes and its charts (the first is the
    default)."""

    name: str
    build: Builder
    fields: tuple[str, ...]
    required: tuple[str, ...]
    charts: tuple[str, ...] = ("none",)
    orders: tuple[str, ...] = ()


KINDS: dict[str, KindSpec] = {}


def register_table_kind(
    name: str,
    build: Builder,
    *,
    fields: Sequence[str] = (),
    required: Sequence[str] = (),
    charts: Sequence[str] = ("none",),
    orders: Sequence[str] = (),
) -> None:
    """Make ``kind = name`` available in layouts.

    ``build(spec, context)`` returns the table's result and its chart (or None);
    ``fields`` are the fields an entry of this kind may have besides
    :data:`COMMON_FIELDS` (``item``, ``items``, ``by``, ``outcome`` are checked
    against the codebook; any other field is passed through in ``spec.options``).
    """
    KINDS[name] = KindSpec(
        name, build, tuple(fields), tuple(required), tuple(charts), tuple(orders)
    )


def _order(spec: TableSpec) -> dict[str, Any]:
    order = spec.options.get("order")
    if order == "descending":
        return {"descending": True}
    return {}


def _sort(spec: TableSpec) -> dict[str, Any]:
    return {"sort": "descending"} if spec.options.get("order") == "share" else {}


def _common(spec: TableSpec, ctx: _Context) -> dict[str, Any]:
    return {"codebook": ctx.book, "lang": ctx.lang, "min_group_size": ctx.min_group_size}


def _pick(spec: TableSpec, *names: str) -> dict[str, Any]:
    return {n: spec.options[n] for n in names if n in spec.options}


def _bar_chart(table: Any) -> Chart:
    """A frequency table's bars, drawn by :func:`peoscales.plot.bars`."""
    frame = table.table[table.table["kind"].isin(["answer", "nonsubstantive"])]

    def draw(fig: Any) -> None:
        from peoscales import plot

        plot.bars(frame["percent"], lang=table.lang, ax=fig.add_subplot())

    return Chart(draw, 0.45 + 0.32 * len(frame), table.label)


def _stacked_chart(table: Any) -> Chart:
    """An item table as diverging Likert bars (:func:`peoscales.plot.likert`)."""

    def draw(fig: Any) -> None:
        table.plot(ax=fig.add_subplot(), title=None)

    return Chart(draw, 1.8 + 0.35 * len(table.percentages), table.title)


def _grouped_chart(table: Any) -> Chart:
    """A crosstab's column percentages as stacked bars."""

    def draw(fig: Any) -> None:
        table.plot(ax=fig.add_subplot(), title=None)

    return Chart(draw, 1.2 + 0.4 * table.percentages.shape[1], table.title)


def _frequency(spec: TableSpec, ctx: _Context) -> tuple[Result, Chart | None]:
    from peoscales.peo.tables import frequency_table

    assert spec.item is not None
    table = frequency_table(
        ctx.data, spec.item, **_common(spec, ctx), **_pick(spec, "grouping"), **_order(spec),
        **_sort(spec),
    )  # fmt: skip
    chart = _bar_chart(table) if spec.chart == "bars" and not table.suppressed else None
    return table, chart


def _items(spec: TableSpec, ctx: _Context) -> tuple[Result, Chart | None]:
    from peoscales.peo.tables import item_table

    table = item_table(
        ctx.data, list(spec.items), **_common(spec, ctx), **_pick(spec, "grouping"),
        title=_caption_text(spec, ctx, {}) or None, **_order(spec),
    )  # fmt: skip
    return table, _stacked_chart(table) if spec.chart == "likert" else None


def _crosstab(spec: TableSpec, ctx: _Context) -> tuple[Result, Chart | None]:
    from peoscales.peo.tables import crosstab_table

    assert spec.item is not None and spec.by is not None
    table = crosstab_table(
        ctx.data, spec.item, spec.by, **_common(spec, ctx),
        **_pick(spec, "grouping", "by_grouping"), **_order(spec),
    )  # fmt: skip
    by_label = spec.by_label.get(ctx.lang) or ctx.label(spec.by)
    ctx.crosstabs.append((ctx.label(spec.item), by_label, table))
    return table, _grouped_chart(table) if spec.chart == "bars" else None


def _dichotomy(spec: TableSpec, ctx: _Context) -> tuple[Result, Chart | None]:
    from peoscales.peo.tables import dichotomy_table

    assert spec.outcome is not None
    table = dichotomy_table(
        ctx.data, list(spec.items), spec.outcome, **_common(spec, ctx),
        grouping=spec.options["grouping"], **_pick(spec, "outcome_grouping"),
        title=_caption_text(spec, ctx, {}) or None, **_order(spec),
    )  # fmt: skip
    return table, None


def _means(spec: TableSpec, ctx: _Context) -> tuple[Result, Chart | None]:
    from peoscales.peo.tables import group_means

    assert spec.item is not None and spec.by is not None
    table = group_means(
        ctx.data, spec.item, spec.by, **_common(spec, ctx), **_pick(spec, "by_grouping")
    )
    return table, None


def _items_by_group(spec: TableSpec, ctx: _Context) -> tuple[Result, Chart | None]:
    from peoscales.peo.tables.by_group import items_by_group

    assert spec.by is not None
    options = _pick(spec, "answer", "statistic", "grouping", "by_grouping")
    if isinstance(options.get("answer"), Mapping):  # labels follow the report's language
        options["answer"] = options["answer"][ctx.lang]
    table = items_by_group(
        ctx.data, list(spec.items), spec.by, **_common(spec, ctx), **options, **_sort(spec)
    )
    return table, None


def _multi_response(spec: TableSpec, ctx: _Context) -> tuple[Result, Chart | None]:
    from peoscales.peo.tables.multi import multi_response_table

    by: dict[str, Any] = {"by": spec.by} if spec.by is not None else {}
    table = multi_response_table(
        ctx.data, list(spec.items), **_common(spec, ctx), **_pick(spec, "chosen", "grouping"),
        **by, **_sort(spec),
    )  # fmt: skip
    return table, None


@dataclass(frozen=True, eq=False, repr=False)
class _FrameResult(Result):
    """A table of the report that is formatted already (the significance overview);
    ``numbers``, when given, holds its unformatted values for :meth:`to_frame`."""

    frame: pd.DataFrame
    note: str = ""
    title: str = ""
    numbers: pd.DataFrame | None = None

    def to_frame(self) -> pd.DataFrame:
        return (self.frame if self.numbers is None else self.numbers).copy()

    def display_frame(self) -> pd.DataFrame:
        return self.frame

    def notes(self) -> list[str]:
        return [self.note] if self.note else []

    def summary(self) -> str:
        return f"{self.title}\n{self.frame.to_string()}"


def _significance(spec: TableSpec, ctx: _Context) -> tuple[Result, Chart | None]:
    """One row per item crossed earlier in the section, one column group per ``by``."""
    heads: list[str] = []
    cells: dict[str, dict[str, Any]] = {}
    for item_label, by_label, table in ctx.crosstabs:
        if by_label not in heads:
            heads.append(by_label)
        cells.setdefault(item_label, {})[by_label] = table
    rows = []
    values = []  # the same tests unformatted, for to_frame
    for by_tables in cells.values():
        row: dict[str, str] = {}
        value: dict[tuple[str, str], float] = {}
        for head in heads:
            ct: Any = by_tables.get(head)
            test = ("chi2", "df", "p", "cramers_v")
            missing = ct is None or np.isnan(ct.p)
            value.update({(head, k): np.nan if missing else float(getattr(ct, k)) for k in test})
            if missing:
                row[f"{head}: χ²(df)"] = row[f"{head}: p"] = row[f"{head}: V"] = "—"
                continue
            row[f"{head}: χ²(df)"] = f"{apa_number(ct.chi2)} ({ct.df})"
            row[f"{head}: p"] = f"{format_p(ct.p)}{stars(ct.p)}"
            row[f"{head}: V"] = apa_number(ct.cramers_v, leading_zero=False)
        rows.append(row)
        values.append(value)
    index = pd.Index(list(cells), name=_t("item", ctx.lang))
    frame = pd.DataFrame(rows, index=index)
    numbers = pd.DataFrame(values, index=index)
    numbers.columns = pd.MultiIndex.from_tuples(numbers.columns, names=["by", "statistic"])
    title = _caption_text(spec, ctx, {}) or _t("sig", ctx.lang)
    return _FrameResult(frame, _t("sig_note", ctx.lang), title, numbers), None


@dataclass(frozen=True, eq=False, repr=False)
class _RowPercentages(Result):
    """A crosstab shown with the groups as rows: each row's percentages add up to 100."""

    table: Any
    title: str = ""

    def to_frame(self) -> pd.DataFrame:
        frame: pd.DataFrame = self.table.to_frame().T
        return frame

    def display_frame(self) -> pd.DataFrame:
        frame: pd.DataFrame = self.table.display_frame().T
        return frame

    def notes(self) -> list[str]:
        notes: list[str] = self.table.notes()
        return notes

    def summary(self) -> str:
        return f"{self.title}\n{self.display_frame().to_string()}\n" + "\n".join(self.notes())


register_table_kind(
    "frequency", _frequency, fields=("item", "grouping", "order"), required=("item",),
    charts=("bars", "none"), orders=ORDERS,
)  # fmt: skip
register_table_kind(
    "items", _items, fields=("items", "grouping", "order"), required=("items",),
    charts=("likert", "none"), orders=("ascending", "descending"),
)  # fmt: skip
register_table_kind(
    "crosstab", _crosstab,
    fields=("item", "by", "grouping", "by_grouping", "order", "percent"),
    required=("item", "by"), charts=("none", "bars"), orders=("ascending", "descending"),
)  # fmt: skip
register_table_kind(
    "dichotomy", _dichotomy, fields=("items", "outcome", "grouping", "outcome_grouping", "order"),
    required=("items", "outcome", "grouping"), orders=("ascending", "descending"),
)  # fmt: skip
register_table_kind("means", _means, fields=("item", "by", "by_grouping"), required=("item", "by"))
register_table_kind(
    "items_by_group", _items_by_group,
    fields=("items", "by", "answer", "statistic", "grouping", "by_grouping", "order"),
    required=("items", "by"), orders=("share",),
)  # fmt: skip
register_table_kind(
    "multi_response", _multi_response,
    fields=("items", "by", "chosen", "grouping", "order"), required=("items",), orders=("share",),
)  # fmt: skip
register_table_kind("significance", _significance)


def _trend_waves(spec: TableSpec, ctx: _Context) -> dict[str, pd.DataFrame]:
    """The waves of a trend table with data, oldest first, ending with the report's wave."""
    waves: dict[str, pd.DataFrame] = {}
    for wave in spec.options["waves"]:
        data = ctx.wave_data(wave)
        if data is not None:
            waves[wave] = data
    return waves


def _trend_items(spec: TableSpec, ctx: _Context) -> tuple[list[str], list[str]]:
    """The trend table's items that some earlier wave with data has (a same_as link in
    either codebook), and those that none of them has."""
    from peoscales.peo.coding import get_codebook
    from peoscales.peo.tables.trend import _chains

    earlier = [get_codebook(wave) for wave in _trend_waves(spec, ctx)]
    # each chain: the item id of each wave given, the report's own wave last
    chains = _chains([*earlier, ctx.book]) if earlier else []
    linked = {c[-1] for c in chains if c[-1] is not None and any(c[:-1])}
    return [i for i in spec.items if i in linked], [i for i in spec.items if i not in linked]


def _trend(spec: TableSpec, ctx: _Context) -> tuple[Result, Chart | None]:
    """The report's items followed across earlier waves (:func:`peoscales.peo.trend`)."""
    from peoscales.peo.tables.trend import trend

    current = str(ctx.book.wave or ctx.book.name)
    waves: dict[str, Any] = {**_trend_waves(spec, ctx), current: ctx.data}
    table = trend(
        waves, list(spec.items), codebooks={current: ctx.book}, lang=ctx.lang,
        min_group_size=ctx.min_group_size, title=_caption_text(spec, ctx, {}) or None,
        **_pick(spec, "grouping", "answer"),
    )  # fmt: skip
    chart = _trend_chart(table) if spec.chart == "lines" else None
    return table, chart


def _trend_chart(table: Any) -> Chart:
    """One panel per item, two to a row: its shares (or its mean) per wave as lines."""
    import textwrap

    labels = list(table.tests.index)
    columns = min(2, len(labels))
    rows = -(-len(labels) // columns)

    def draw(fig: Any) -> None:
        # constrained layout keeps the panels' titles, wave labels and legends apart
        fig.set_layout_engine("constrained")
        axes = fig.subplots(rows, columns, squeeze=False).ravel()
        for position, (ax, label) in enumerate(zip(axes, labels)):
            table.plot(label, ax=ax, title=textwrap.fill(str(label), 40))
            if position % columns:
                ax.set_ylabel("")  # the left panel of the row names the axis
            legend = ax.get_legend()
            if legend is not None:
                for text in legend.get_texts():
                    text.set_fontsize(7)
        for ax in axes[len(labels) :]:
            ax.set_visible(False)

    return Chart(draw, 0.6 + 3.3 * rows, table.title)


register_table_kind(
    "trend", _trend, fields=("items", "waves", "grouping", "answer"),
    required=("items", "waves"), charts=("lines", "none"),
)  # fmt: skip


# --------------------------------------------------------------------------------------
# Checking a layout
# --------------------------------------------------------------------------------------


def _texts(
    value: Any, ctx: _Ctx, where: str, *, placeholders: Sequence[str] = ()
) -> dict[str, str]:
    """A text in both languages: a string (used for both) or a table ``{nl, en}``."""
    if value is None:
        return {}
    if isinstance(value, str):
        out = dict.fromkeys(_LANGS, value)
    elif isinstance(value, dict):
        unknown = [k for k in value if k not in _LANGS]
        if unknown:
            raise ctx.fail(
                where,
                f"has language(s) {preview(unknown)}",
                f'Use {list(_LANGS)}: {{ nl = "...", en = "..." }}.',
            )
        out = dict(_labels(value, ctx, where))
        if not out:
            raise ctx.fail(where, "is empty", 'Write { nl = "...", en = "..." }.')
        for lang in _LANGS:  # one language given: used for both
            out.setdefault(lang, out[next(iter(out))])
    else:
        raise ctx.fail(
            where,
            f"must be text or a table {{ nl, en }}, got {value!r}",
            'Write { nl = "...", en = "..." }.',
        )
    for lang, text in out.items():
        try:
            names = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
        except ValueError as exc:
            raise ctx.fail(
                f"{where}.{lang}", f"has an unpaired brace ({exc})", "Write {{ and }} for braces."
            ) from None
        bad = [n for n in names if n not in placeholders]
        if bad:
            allowed = ", ".join("{" + p + "}" for p in placeholders) or "none"
            raise ctx.fail(
                f"{where}.{lang}",
                f"uses placeholder(s) {preview(bad)}",
                f"Allowed here: {allowed}.",
            )
    return out


def _choice(value: Any, ctx: _Ctx, where: str, choices: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise ctx.fail(where, f"{value!r} is not valid", f"Choose one of {list(choices)}.")
    return value


def _item_id(value: Any, ctx: _Ctx, where: str, book: Instrument) -> str:
    if not isinstance(value, str):
        raise ctx.fail(where, f"must be an item id (text), got {value!r}", "Quote the item id.")
    if value not in book.items:
        close = suggest(value, book.items)
        hint = f" Did you mean {preview(close)}?" if close else ""
        raise ctx.fail(
            where,
            f"{value!r} is not an item of codebook {book.name}",
            f"{hint} Items: {preview(list(book.items), 12)}.".strip(),
        )
    return value


_SELECTOR_FIELDS = ("combines", "response_scale")


def _item_ids(value: Any, ctx: _Ctx, where: str, book: Instrument) -> tuple[str, ...]:
    """A list of item ids, or a selector ``{ combines = true, response_scale = "..." }``."""
    if isinstance(value, dict):
        unknown = [k for k in value if k not in _SELECTOR_FIELDS]
        if unknown:
            raise ctx.fail(
                where, f"selects by unknown field(s) {preview(unknown)}",
                f"A selector takes {list(_SELECTOR_FIELDS)}.",
            )  # fmt: skip
        chosen = list(book.items.values())
        if "combines" in value:
            if not isinstance(value["combines"], bool):
                raise ctx.fail(
                    f"{where}.combines", "must be true or false", "Write combines = true."
                )
            chosen = [i for i in chosen if bool(i.combines) == value["combines"]]
        if "response_scale" in value:
            rs = value["response_scale"]
            if rs not in book.response_scales:
                close = suggest(str(rs), book.response_scales)
                hint = f" Did you mean {preview(close)}?" if close else ""
                raise ctx.fail(
                    f"{where}.response_scale",
                    f"{rs!r} is not a response scale of codebook {book.name}",
                    f"{hint} Choose from {preview(list(book.response_scales), 12)}.".strip(),
                )
            chosen = [i for i in chosen if i.response_scale == rs]
        if not chosen:
            raise ctx.fail(where, "selects no item", "Check the selector's fields.")
        return tuple(i.id for i in chosen)
    if not isinstance(value, list) or not value:
        raise ctx.fail(
            where, f"must be a list of item ids or a selector, got {value!r}",
            'Write items = ["a", "b"] or items = { combines = true, response_scale = "..." }.',
        )  # fmt: skip
    return tuple(_item_id(v, ctx, f"{where}[{i}]", book) for i, v in enumerate(value))


def _grouping(value: Any, ctx: _Ctx, where: str, book: Instrument, item: str | None) -> Any:
    """A codebook grouping's name or an inline grouping, checked on ``item``'s answers."""
    from peoscales.peo.tables.groupings import REST, bands, resolve_grouping, versus_rest

    spec: Any
    if isinstance(value, str):
        spec = value
    elif isinstance(value, dict) and "bands" in value:
        extra = [k for k in value if k not in ("bands", "labels", "unit")]
        if extra:
            raise ctx.fail(
                where,
                f"has unknown field(s) {preview(extra)}",
                "Bands take bands, labels and unit.",
            )
        try:
            spec = bands(value["bands"], labels=value.get("labels"), unit=value.get("unit", ""))
        except (PeoscalesError, TypeError) as exc:
            raise ctx.fail(
                f"{where}.bands", str(exc).rstrip("."), "Give increasing cut points."
            ) from None
    elif isinstance(value, dict) and "versus_rest" in value:
        extra = [k for k in value if k not in ("versus_rest", "label", "rest_label")]
        if extra:
            raise ctx.fail(
                where, f"has unknown field(s) {preview(extra)}",
                "versus_rest takes versus_rest, label and rest_label.",
            )  # fmt: skip
        try:
            spec = versus_rest(
                value["versus_rest"], label=value.get("label"), rest_label=value.get("rest_label")
            )
        except PeoscalesError as exc:
            raise ctx.fail(where, str(exc).rstrip("."), "Name one or more answers.") from None
    elif isinstance(value, dict) and value:
        # a mapping of new label to answers; "REST" takes every answer not listed
        spec = {k: REST if v == "REST" else v for k, v in value.items()}
    else:
        raise ctx.fail(
            where, f"must be a grouping's name or an inline grouping, got {value!r}",
            'Write "bands", { bands = [30, 50], unit = "%" }, { versus_rest = "GI" } or '
            '{ "new label" = ["answer", ...], "other" = "REST" }.',
        )  # fmt: skip
    if item is not None:
        rs = book.response_scale_of(item)
        if isinstance(spec, str) and spec not in rs.groupings:
            raise ctx.fail(
                where,
                f"{spec!r} is not a grouping of item {item!r} (answer scale {rs.id!r})",
                f"Its groupings: {preview(list(rs.groupings)) or 'none'}; or give one inline.",
            )
        try:
            resolve_grouping(spec, rs, item, where)
        except PeoscalesError as exc:
            raise ctx.fail(where, str(exc).rstrip("."), "Correct the grouping.") from None
    return spec


def _other_waves(value: Any, ctx: _Ctx, where: str, book: Instrument) -> tuple[str, ...]:
    """The earlier waves a trend table compares with, oldest first."""
    own = book.wave or book.name
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        raise ctx.fail(
            where, f"must be a list of wave names, got {value!r}",
            'Write waves = ["2020-05", "2021-09"] (the earlier waves, oldest first).',
        )  # fmt: skip
    from peoscales.peo.coding import get_codebook

    for wave in value:  # a trend needs each wave's codebook for its same_as links
        try:
            get_codebook(wave)
        except (LookupError, ValueError) as exc:
            raise ctx.fail(where, f"{wave!r} is not a wave with a codebook", str(exc)) from None
    if own in value or len(set(value)) != len(value):
        raise ctx.fail(
            where, f"names a wave twice or the report's own wave {own!r}",
            "List each earlier wave once; the report's wave is added last.",
        )  # fmt: skip
    return tuple(value)


def _number(value: Any, ctx: _Ctx, where: str, numbering: str) -> str | None:
    if value is None or value is False:
        return None
    if numbering == "sequential":
        raise ctx.fail(
            where, 'numbering = "sequential" numbers the tables itself',
            'Remove number (or write number = false for an unnumbered table), or use '
            'numbering = "published".',
        )  # fmt: skip
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ctx.fail(
            where, f"must be text such as \"2.4\", got {value!r}",
            'Quote the number: "2.10" written without quotes would be read as 2.1.',
        )  # fmt: skip
    return str(value)


def _for_each(value: Any, ctx: _Ctx, where: str, book: Instrument) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value:
        raise ctx.fail(
            where, f"must be a list, got {value!r}",
            'Write for_each_by = ["employer", { by = "experience", by_grouping = "experience_3" }].',
        )  # fmt: skip
    out = []
    for i, entry in enumerate(value):
        here = f"{where}[{i}]"
        if isinstance(entry, str):
            entry = {"by": entry}
        if not isinstance(entry, dict) or "by" not in entry:
            raise ctx.fail(
                here,
                f"must be an item id or a table with by, got {entry!r}",
                'Write { by = "employer" }.',
            )
        extra = [k for k in entry if k not in ("by", "by_grouping", "label")]
        if extra:
            raise ctx.fail(
                here, f"has unknown field(s) {preview(extra)}", "Use by, by_grouping and label."
            )
        by = _item_id(entry["by"], ctx, f"{here}.by", book)
        one: dict[str, Any] = {"by": by, "label": _texts(entry.get("label"), ctx, f"{here}.label")}
        if "by_grouping" in entry:
            one["by_grouping"] = _grouping(
                entry["by_grouping"], ctx, f"{here}.by_grouping", book, by
            )
        out.append(one)
    return out


def _table(
    raw: Any, ctx: _Ctx, where: str, book: Instrument, numbering: str
) -> list[tuple[TableSpec, dict[str, Any]]]:
    """One table entry, checked; ``for_each_by`` gives one spec per ``by``."""
    if not isinstance(raw, dict):
        raise ctx.fail(where, "must be a table", "Write [[report.sections.tables]] entries.")
    kind = raw.get("kind")
    if kind not in KINDS:
        close = suggest(str(kind), KINDS) if isinstance(kind, str) else []
        hint = f"Did you mean {preview(close)}? " if close else ""
        raise ctx.fail(
            f"{where}.kind", f"{kind!r} is not a table kind", f"{hint}Choose from {sorted(KINDS)}."
        )
    spec = KINDS[kind]
    allowed = (*COMMON_FIELDS, *spec.fields)
    unknown = [k for k in raw if k not in allowed]
    if unknown:
        name = unknown[0]
        close = suggest(name, allowed)
        hint = f"Did you mean {preview(close)}? " if close else ""
        raise ctx.fail(
            f"{where}.{name}", f"is not a field of a {kind!r} table",
            f"{hint}A {kind!r} table takes {sorted(allowed)}.",
        )  # fmt: skip
    repeat = raw.get("for_each_by")
    if repeat is not None and "by" not in spec.fields:
        raise ctx.fail(f"{where}.for_each_by", f"a {kind!r} table has no by", "Remove for_each_by.")
    if repeat is not None and ("by" in raw or "by_grouping" in raw):
        raise ctx.fail(
            f"{where}.for_each_by", "is given with by or by_grouping",
            "Give the groupings of each by inside for_each_by: { by = ..., by_grouping = ... }.",
        )  # fmt: skip
    for name in spec.required:
        if name not in raw and not (name == "by" and repeat is not None):
            raise ctx.fail(
                f"{where}.{name}", f"is missing (a {kind!r} table needs it)", f"Add {name} = ...."
            )

    item = _item_id(raw["item"], ctx, f"{where}.item", book) if "item" in raw else None
    if kind == "means" and item is not None:
        from peoscales.peo.tables.means import UNORDERED_KINDS

        scale = book.response_scale_of(item)
        if scale.kind in UNORDERED_KINDS:
            raise ctx.fail(
                f"{where}.item", f"{item!r} has a {scale.kind} answer scale, which has no mean",
                f'Give a numeric, Likert or ordinal item, or use kind = "crosstab" for {item!r}.',
            )  # fmt: skip
    items = _item_ids(raw["items"], ctx, f"{where}.items", book) if "items" in raw else ()
    outcome = _item_id(raw["outcome"], ctx, f"{where}.outcome", book) if "outcome" in raw else None
    options: dict[str, Any] = {}
    if "grouping" in raw:
        # a grouping applies to every item of the table: checked on the first
        options["grouping"] = _grouping(
            raw["grouping"], ctx, f"{where}.grouping", book, item or items[0]
        )
    if "outcome_grouping" in raw:
        options["outcome_grouping"] = _grouping(
            raw["outcome_grouping"], ctx, f"{where}.outcome_grouping", book, outcome
        )
    if "order" in raw:
        options["order"] = _choice(raw["order"], ctx, f"{where}.order", spec.orders)
    percent = _choice(raw.get("percent", "column"), ctx, f"{where}.percent", PERCENTS)
    if "percent" in raw:
        options["percent"] = percent
    for name in ("answer", "chosen"):
        if name in raw:
            options[name] = raw[name]
    if isinstance(raw.get("answer"), dict):  # an answer label per language
        options["answer"] = _texts(raw["answer"], ctx, f"{where}.answer")
    if "waves" in raw:
        options["waves"] = _other_waves(raw["waves"], ctx, f"{where}.waves", book)
    if "statistic" in raw:
        options["statistic"] = _choice(
            raw["statistic"], ctx, f"{where}.statistic", ("percent", "mean")
        )
    for name in spec.fields:  # fields of kinds registered elsewhere pass through
        if (
            name in raw
            and name not in options
            and name not in ("item", "items", "by", "outcome", "by_grouping")
        ):
            options[name] = raw[name]
    chart = _choice(raw.get("chart", spec.charts[0]), ctx, f"{where}.chart", spec.charts)
    caption = _texts(raw.get("caption"), ctx, f"{where}.caption", placeholders=CAPTION_FIELDS)
    note = _texts(raw.get("note"), ctx, f"{where}.note")
    number = _number(raw.get("number"), ctx, f"{where}.number", numbering)
    key = raw.get("key")
    if key is not None and not (isinstance(key, str) and key.strip()):
        raise ctx.fail(
            f"{where}.key", f"must be non-empty text, got {key!r}", 'Write key = "2.8 employer".'
        )

    bys: list[dict[str, Any]]
    if repeat is not None:
        bys = _for_each(repeat, ctx, f"{where}.for_each_by", book)
    elif "by" in raw:
        by = _item_id(raw["by"], ctx, f"{where}.by", book)
        one: dict[str, Any] = {"by": by, "label": {}}
        if "by_grouping" in raw:
            one["by_grouping"] = _grouping(
                raw["by_grouping"], ctx, f"{where}.by_grouping", book, by
            )
        bys = [one]
    else:
        bys = [{}]
    out = []
    for entry in bys:
        opts = dict(options)
        if "by_grouping" in entry:
            opts["by_grouping"] = entry["by_grouping"]
        base = key or number or item or (items[0] if items else None)
        if repeat is not None:
            full_key = f"{base} {entry['by']}"
        elif key or number:
            full_key = str(key or number)
        elif entry.get("by") and base:
            full_key = f"{base} {entry['by']}"
        else:
            full_key = ""  # given its number or a default key once numbering is known
        out.append(
            (
                TableSpec(
                    kind=kind, key=full_key, number=number, where=where, item=item, items=items,
                    by=entry.get("by"), outcome=outcome, options=MappingProxyType(opts),
                    caption=caption, note=note, chart=chart,
                    by_label=MappingProxyType(entry.get("label", {})),
                ),
                raw,
            )
        )  # fmt: skip
    return out


def _gaps(numbers: list[str]) -> list[str]:
    """Numbers missing between the published ones, per prefix (2.2, 2.4 -> 2.3)."""
    series: dict[tuple[int, ...], list[int]] = {}
    for number in numbers:
        parts = number.split(".")
        if not all(p.isdigit() for p in parts):
            continue
        values = [int(p) for p in parts]
        series.setdefault(tuple(values[:-1]), []).append(values[-1])
    missing = []
    for prefix, lasts in series.items():
        for value in range(1, max(lasts)):
            if value not in lasts:
                missing.append(".".join(str(p) for p in (*prefix, value)))
    return missing


def parse_layout(raw: Any, book: Instrument, source: str) -> Layout:
    """Check the ``[report]`` table ``raw`` against ``book`` and return the layout."""
    ctx = _Ctx(source)
    if not isinstance(raw, dict):
        raise ctx.fail(
            "report", "must be a table", "Write [report] with title and [[report.sections]]."
        )
    unknown = [k for k in raw if k not in _REPORT_FIELDS]
    if unknown:
        raise ctx.fail(
            f"report.{unknown[0]}", "is not a field of [report]", f"Use {list(_REPORT_FIELDS)}."
        )
    numbering = _choice(raw.get("numbering", "sequential"), ctx, "report.numbering", NUMBERING)
    title = _texts(raw.get("title"), ctx, "report.title", placeholders=("wave", "name"))
    intro = _texts(raw.get("intro"), ctx, "report.intro", placeholders=("n", "k"))
    note = _texts(
        raw.get("numbering_note"), ctx, "report.numbering_note", placeholders=("missing",)
    )
    sections_raw = raw.get("sections")
    if sections_raw is not None and not isinstance(sections_raw, list):
        raise ctx.fail(
            "report.sections", f"must be a list of sections, got {sections_raw!r}",
            'Write each section as [[report.sections]] with heading = { nl = "...", en = "..." }.',
        )  # fmt: skip
    if not sections_raw:
        raise ctx.fail(
            "report.sections", "at least one section is needed",
            'Add [[report.sections]] with heading = { nl = "...", en = "..." } and its tables.',
        )  # fmt: skip
    sections = []
    keys: dict[str, str] = {}
    numbers: list[str] = []
    for s, section in enumerate(sections_raw):
        where = f"report.sections[{s}]"
        if not isinstance(section, dict):
            raise ctx.fail(where, "must be a table", "Write [[report.sections]].")
        extra = [k for k in section if k not in _SECTION_FIELDS]
        if extra:
            raise ctx.fail(
                f"{where}.{extra[0]}",
                "is not a field of a section",
                f"Use {list(_SECTION_FIELDS)}.",
            )
        heading = _texts(section.get("heading"), ctx, f"{where}.heading")
        if not heading:
            raise ctx.fail(
                f"{where}.heading", "is missing", 'Add heading = { nl = "...", en = "..." }.'
            )
        tables_raw = section.get("tables")
        if tables_raw is not None and not isinstance(tables_raw, list):
            raise ctx.fail(
                f"{where}.tables",
                f"must be a list of tables, got {tables_raw!r}",
                'Write each table as [[report.sections.tables]] with kind = "..." and its items.',
            )
        if not tables_raw:
            raise ctx.fail(
                f"{where}.tables",
                "a section needs at least one table",
                "Add [[report.sections.tables]].",
            )
        tables: list[TableSpec] = []
        counter = 0
        for t, entry in enumerate(tables_raw):
            for spec, raw_entry in _table(entry, ctx, f"{where}.tables[{t}]", book, numbering):
                if numbering == "sequential" and raw_entry.get("number") is not False:
                    counter += 1
                    number = f"{s + 1}.{counter}"
                    spec = dataclasses.replace(
                        spec, number=number, key=spec.key if raw_entry.get("key") else number
                    )
                if not spec.key:
                    base = spec.number or (
                        f"{s + 1} {spec.kind}"
                        if spec.kind == "significance"
                        else spec.item or (spec.items[0] if spec.items else spec.kind)
                    )
                    spec = dataclasses.replace(spec, key=str(base))
                if spec.key in keys:
                    raise ctx.fail(
                        f"{spec.where}.key", f"table key {spec.key!r} is also the key of {keys[spec.key]}",
                        "Give every table its own number or key.",
                    )  # fmt: skip
                keys[spec.key] = spec.where
                if spec.number is not None and numbering == "published":
                    numbers.append(spec.number)
                tables.append(spec)
        sections.append(
            SectionSpec(heading, tuple(tables), _texts(section.get("intro"), ctx, f"{where}.intro"))
        )
    gaps = tuple(_gaps(numbers)) if numbering == "published" else ()
    if gaps and not note:
        raise ctx.fail(
            "report.numbering_note", f"is missing, and the published numbering skips {preview(list(gaps), 8)}",
            'Explain the gaps, e.g. numbering_note = { nl = "Nummering als in de publicatie; '
            'niet opgenomen: {missing}.", en = "..." }, or use numbering = "sequential".',
        )  # fmt: skip
    return Layout(title, intro, numbering, tuple(sections), note, gaps, source)


def generic_layout(book: Instrument) -> Layout:
    """One frequency table per question, in codebook order (a wave with no layout)."""
    tables = []
    counter = 0
    for item in book.items.values():
        if book.response_scale_of(item.id).kind == "text" or item.other_of:
            continue
        counter += 1
        number = f"1.{counter}"
        if book.response_scale_of(item.id).kind == "multi":
            tables.append(
                TableSpec("multi_response", number, number, f"items.{item.id}", items=(item.id,))
            )
            continue
        tables.append(
            TableSpec("frequency", number, number, f"items.{item.id}", item=item.id, chart="bars")
        )
    heading = {lang: _t("questions", lang) for lang in _LANGS}
    return Layout(
        title={}, intro={}, numbering="sequential",
        sections=(SectionSpec(heading, tuple(tables)),), source=book.source, generic=True,
    )  # fmt: skip


# --------------------------------------------------------------------------------------
# Rendering a layout
# --------------------------------------------------------------------------------------


class _Fill(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def _caption_text(spec: TableSpec, ctx: _Context, values: Mapping[str, str]) -> str:
    text = spec.caption.get(ctx.lang, "")
    if not text:
        return ""
    fill = _Fill(values)
    if spec.item is not None and "item" not in fill:
        fill["item"] = ctx.label(spec.item)
    if spec.by is not None and "by" not in fill:
        fill["by"] = spec.by_label.get(ctx.lang) or ctx.label(spec.by)
    return text.format_map(fill)


def _table_block(spec: TableSpec, ctx: _Context) -> Table | None:
    built = KINDS[spec.kind].build(spec, ctx)
    result, chart = built
    p = getattr(result, "p", None)
    values = {"stars": stars(p) if isinstance(p, float) and not np.isnan(p) else ""}
    text = _caption_text(spec, ctx, values)
    if (
        text
        and dataclasses.is_dataclass(result)
        and "title" in {f.name for f in dataclasses.fields(result)}
    ):
        result = dataclasses.replace(result, title=text)
    title = text or str(getattr(result, "title", ""))
    if spec.kind == "crosstab":
        percent = spec.options.get("percent", "column")
        if percent == "row":
            result = _RowPercentages(result, title)
        title += _t(percent, ctx.lang)  # the caption says what the percentages are of
    caption = f"{_t('table', ctx.lang)} {spec.number} {title}".strip() if spec.number else title
    notes = (spec.note[ctx.lang],) if spec.note else ()
    return Table(spec.key, caption, result, chart if ctx.charts else None, notes)


def absent_items(layout: Layout, data: pd.DataFrame, book: Instrument) -> list[str]:
    """Items the layout uses that the data lack, in layout order."""
    ctx = _Context(data, book, "nl", None, False)
    seen: dict[str, None] = {}
    for spec in layout.tables():
        for item in spec.referenced():
            if not ctx.has(item):
                seen.setdefault(item)
    return list(seen)


def build_document(
    data: pd.DataFrame,
    book: Instrument,
    layout: Layout,
    *,
    lang: str,
    min_group_size: int,
    charts: bool,
    title: str = "",
    other_waves: Mapping[str, Callable[[], pd.DataFrame]] | None = None,
) -> Document:
    """Render ``layout`` on coded ``data`` (never modified) into a document.

    ``other_waves`` gives, per wave name, a function returning that wave's coded data,
    for the trend tables; a trend table without any of its waves' data is left out,
    and a note says so.
    """
    k = min_group_size if min_group_size else None
    ctx = _Context(data, book, lang, k, charts, other_waves=dict(other_waves or {}))
    wave = book.wave or book.name
    title = (
        layout.title.get(lang, "").format(wave=wave, name=book.title)
        or title
        or _t("title", lang, name=book.title)
    )
    blocks: list[Heading | Paragraph | Table] = [Heading(title, 1)]
    intro = layout.intro.get(lang) or _t("intro", lang, n="{n}")
    blocks.append(Paragraph(intro.format(n=len(data), k=min_group_size), "intro"))
    if min_group_size:
        blocks.append(
            Paragraph(_t("disclosure", lang, k=min_group_size, k1=min_group_size - 1), "intro")
        )
    else:
        blocks.append(Paragraph(_t("no_disclosure", lang), "intro"))
    if layout.gaps:
        blocks.append(
            Paragraph(layout.numbering_note[lang].format(missing=", ".join(layout.gaps)), "note")
        )
    absent = absent_items(layout, data, book)
    if absent:
        blocks.append(Paragraph(_t("missing", lang, items=", ".join(absent)), "note"))
    no_waves = [
        spec.options["waves"]
        for spec in layout.tables()
        if spec.kind == "trend" and not _trend_waves(spec, ctx)
    ]
    if no_waves:
        names = ", ".join(dict.fromkeys(w for waves in no_waves for w in waves))
        blocks.append(Paragraph(_t("no_waves", lang, waves=names), "note"))
    # Items of a trend table that no earlier wave given has: named, not followed.
    unlinked: dict[str, None] = {}
    for spec in layout.tables():
        if spec.kind == "trend" and _trend_waves(spec, ctx):
            unlinked.update(dict.fromkeys(i for i in _trend_items(spec, ctx)[1] if ctx.has(i)))
    if unlinked:
        given = ", ".join(w for w in ctx.other_waves if ctx.wave_data(w) is not None)
        items = ", ".join(ctx.label(i) for i in unlinked)
        blocks.append(Paragraph(_t("unlinked", lang, items=items, waves=given), "note"))
    for section in layout.sections:
        ctx.crosstabs = []
        body: list[Heading | Paragraph | Table] = []
        for spec in section.tables:
            if spec.kind != "significance" and not all(
                ctx.has(i) for i in (spec.item, spec.by, spec.outcome) if i
            ):
                continue
            present = tuple(i for i in spec.items if ctx.has(i))
            if spec.items and not present:
                continue
            if spec.kind == "significance" and not ctx.crosstabs:
                continue
            if spec.kind == "trend":
                present = tuple(i for i in _trend_items(spec, ctx)[0] if ctx.has(i))
                if not present:
                    continue
            try:
                block = _table_block(dataclasses.replace(spec, items=present), ctx)
            except ParameterError as exc:  # a field the table function refuses (an answer)
                raise DefinitionError(
                    f"{layout.source}: field '{spec.where}': {str(exc).rstrip('.')}. Correct "
                    "this table's fields in the layout."
                ) from exc
            if block is not None:
                body.append(block)
        if body:
            blocks.append(Heading(section.heading[lang], 2))
            if section.intro:
                blocks.append(Paragraph(section.intro[lang]))
            blocks.extend(body)
    return Document(title, lang, tuple(blocks), len(data))
