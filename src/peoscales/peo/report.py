"""The PEO report: one self-contained HTML page (and optionally an .xlsx workbook).

The page holds the sample description, a table and an inline SVG chart per
fixed item, the crosstabs by employer type and experience with significance
marks, group means with ANOVA, the dichotomised crosstabs of seed 001 Tabel
2.10 and 2.11 and the thematic module. It loads nothing from elsewhere: the
styles are inline, the charts are SVG drawn by :mod:`peoscales.plot` (matplotlib,
text left as text so no font is embedded or fetched).
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from peoscales._document import (
    Chart,
    Document,
    Heading,
    Paragraph,
    Table,
    check_output,
    render_html,
    save,
)
from peoscales._results import Result, apa_number, format_p, stars
from peoscales._spreadsheet import keep_text_as_text
from peoscales._validation import check_option
from peoscales.errors import DataTypeError, ParameterError, SmallExpectedCountWarning
from peoscales.instruments.model import Instrument
from peoscales.peo.tables import (
    CrosstabTable,
    FrequencyTable,
    ItemTable,
    crosstab_table,
    dichotomy_table,
    frequency_table,
    group_means,
    item_table,
)
from peoscales.peo.tables.answers import _check_threshold, _resolve_codebook

__all__ = ["PeoReport", "report"]

SPACE_ITEMS = (
    "space_own_judgement",
    "space_do_what_is_needed",
    "space_invest_in_relationship",
    "space_reflect",
)
#: The fixed items in questionnaire order, with whether published tables list
#: their answers from the highest code down.
FIXED_ITEMS: tuple[tuple[str, bool, str | None], ...] = (
    ("space_overall", True, None),
    ("space_own_judgement", False, None),
    ("space_do_what_is_needed", False, None),
    ("space_invest_in_relationship", False, None),
    ("space_reflect", False, None),
    ("equipped", True, None),
    ("pct_direct_contact", False, "bands"),
    ("pct_indirect_work", False, "bands"),
    ("rules_negative_influence", True, None),
    ("work_pleasure", False, None),
    ("stay_one_year", True, None),
)

_HEAD: dict[str, dict[str, str]] = {
    "title": {
        "nl": "Professional-ervaringsonderzoek (PEO) {wave}",
        "en": "Professional experience survey (PEO) {wave}",
    },
    "intro": {
        "nl": "Rapportage van {n} respondenten. Cellen en groepen met minder dan {k} respondenten worden niet getoond.",
        "en": "Report on {n} respondents. Cells and groups with fewer than {k} respondents are not shown.",
    },
    "sample": {"nl": "1 Respons", "en": "1 Sample"},
    "fixed": {"nl": "2 Vast onderdeel", "en": "2 Fixed part"},
    "space": {"nl": "Ervaren professionele ruimte om ...", "en": "Experienced room to ..."},
    "sig": {
        "nl": "Verschillen naar type werkgever en werkervaring",
        "en": "Differences by employer type and experience",
    },
    "sig_note": {
        "nl": "Chi-kwadraattoets zonder continuïteitscorrectie op de inhoudelijke antwoorden; * p < .05, ** p < .01, *** p < .001.",
        "en": "Chi-square test without continuity correction on the substantive answers; * p < .05, ** p < .01, *** p < .001.",
    },
    "by_employer": {"nl": "naar type werkgever", "en": "by employer type"},
    "by_experience": {"nl": "naar werkervaring", "en": "by experience"},
    "means": {"nl": "Gemiddeld werkplezier", "en": "Mean work pleasure"},
    "relation": {
        "nl": "Relatie ervaren professionele ruimte en {what}",
        "en": "Experienced professional space and {what}",
    },
    "thematic": {"nl": "3 Thematisch deel", "en": "3 Thematic module"},
    "limit": {
        "nl": "Factoren die professionele ruimte beperken",
        "en": "Factors limiting professional space",
    },
    "adjust": {
        "nl": "Mogelijkheid tot aanpassing van beperkende factoren",
        "en": "Can the limiting factors be adjusted?",
    },
    "influence": {
        "nl": "Zaken die door onvoldoende professionele ruimte worden beïnvloed",
        "en": "What too little professional space affects",
    },
    "missing": {
        "nl": "Niet in de gegevens: {items}.",
        "en": "Not in the data: {items}.",
    },
    "item": {"nl": "Vraag", "en": "Item"},
    "chart": {"nl": "Grafiek: {what}", "en": "Chart: {what}"},
}


def _h(key: str, lang: str, **kwargs: Any) -> str:
    text = _HEAD[key].get(lang, _HEAD[key]["en"])
    return text.format(**kwargs) if kwargs else text


# --------------------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------------------


def _bar_chart(table: FrequencyTable) -> Chart:
    """The frequency table's bars, drawn by :func:`peoscales.plot.bars`."""
    frame = table.table[table.table["kind"].isin(["answer", "nonsubstantive"])]

    def draw(fig: Any) -> None:
        from peoscales import plot

        plot.bars(frame["percent"], lang=table.lang, ax=fig.add_subplot())

    return Chart(draw, 0.45 + 0.32 * len(frame), table.label)


def _stacked_chart(table: ItemTable) -> Chart:
    """The item table as diverging Likert bars (:func:`peoscales.plot.likert`)."""

    def draw(fig: Any) -> None:
        table.plot(ax=fig.add_subplot(), title=None)

    return Chart(draw, 1.8 + 0.35 * len(table.percentages), table.title)


# --------------------------------------------------------------------------------------
# The report object
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class PeoReport(Result):
    """A rendered PEO report.

    Attributes
    ----------
    html : str
        The self-contained HTML page.
    tables : dict
        The result objects behind the page, keyed like ``"2.1"`` or
        ``"2.5 employer"``; each has ``to_frame()`` and ``display_frame()``.
    wave, lang, n, min_group_size
        What the report describes and how.
    document : Document
        The report as blocks (headings, paragraphs, tables with their charts),
        from which the HTML page is rendered.
    """

    html: str
    tables: Mapping[str, Result] = field(default_factory=dict)
    wave: str = ""
    lang: str = "nl"
    n: int = 0
    min_group_size: int = 5
    title: str = "PEO report"
    document: Document | None = None

    def to_frame(self) -> pd.DataFrame:
        """One row per table: key and title."""
        return pd.DataFrame(
            {"title": [getattr(t, "title", "") for t in self.tables.values()]},
            index=pd.Index(list(self.tables), name="table"),
        )

    def summary(self) -> str:
        """The report's tables listed with their titles."""
        return (
            f"PEO report {self.wave} ({self.lang}), n = {self.n}, {len(self.tables)} tables\n"
            + self.to_frame().to_string()
        )

    def _repr_html_(self) -> str:
        return (
            "<iframe style='width:100%;height:600px;border:1px solid #ccc' srcdoc=\""
            + html.escape(self.html, quote=True)
            + '"></iframe>'
        )

    def save(self, path: str | Path) -> Path:
        """Write the report to ``path`` and return the path: an HTML page for
        ``.html``/``.htm`` (UTF-8), a Word file for ``.docx`` (needs python-docx,
        the ``report`` extra), both with the same tables."""
        if self.document is None:
            target = check_output(path)
            if target.suffix.lower() == ".docx":
                raise ParameterError(
                    f"out={str(target)!r}: this report was made without its document "
                    "and can only be saved as .html; build it with report(...) again."
                )
            target.write_text(self.html, encoding="utf-8")
            return target
        return save(self.document, path, html=self.html)

    def to_excel(self, path: str | Path) -> Path:
        """Write every table, as displayed (rounded and suppressed), to an .xlsx workbook.

        Text that starts like a formula is stored as text, never as a formula."""
        target = Path(path)
        if target.suffix.lower() != ".xlsx":
            raise ParameterError(f"xlsx={str(target)!r} must end in .xlsx.")
        if not target.parent.exists():
            raise FileNotFoundError(
                f"xlsx={str(target)!r}: folder {str(target.parent)!r} does not exist."
            )
        with pd.ExcelWriter(target, engine="openpyxl") as writer:
            for number, (key, table) in enumerate(self.tables.items(), start=1):
                # Excel sheet names: at most 31 characters, unique, no []:*?/\
                name = re.sub(r"[\[\]:*?/\\]", "_", f"{number:02d} {key}")[:31]
                frame = _display(table)
                frame.to_excel(writer, sheet_name=name)
                sheet = writer.sheets[name]
                row = (
                    frame.shape[0] + (frame.columns.nlevels if frame.columns.nlevels > 1 else 1) + 2
                )
                sheet.cell(row=row, column=1, value=getattr(table, "title", key))
                for offset, note in enumerate(_notes(table), start=1):
                    sheet.cell(row=row + offset, column=1, value=note)
                keep_text_as_text(sheet)  # labels and titles from the codebook stay text
        return target


def _display(table: Result) -> pd.DataFrame:
    return Table("", "", table).frame()


def _notes(table: Result) -> list[str]:
    return Table("", "", table).all_notes()


# --------------------------------------------------------------------------------------
# Building the page
# --------------------------------------------------------------------------------------


class _Page:
    """The blocks of a report, in order, as they are added."""

    def __init__(self, lang: str) -> None:
        self.blocks: list[Heading | Paragraph | Table] = []
        self.tables: dict[str, Result] = {}
        self.lang = lang

    def heading(self, text: str, level: int = 2) -> None:
        self.blocks.append(Heading(text, level))

    def para(self, text: str, css: str = "") -> None:
        self.blocks.append(Paragraph(text, css.removeprefix("peo-")))

    def table(self, key: str, result: Result, caption: str, chart: Chart | None = None) -> None:
        self.tables[key] = result
        self.blocks.append(Table(key, caption, result, chart))

    def document(self, title: str, n: int) -> Document:
        return Document(title, self.lang, tuple(self.blocks), n)


def _has(data: pd.DataFrame, book: Instrument, item: str) -> bool:
    if item in data.columns:
        return True
    entry = book.items.get(item)
    parts = tuple(getattr(entry, "combines", ()) or ())
    return bool(parts) and all(p in data.columns for p in parts)


def _caption(key: str, result: Result, lang: str) -> str:
    word = "Tabel" if lang == "nl" else "Table"
    return f"{word} {key.split()[0]} {getattr(result, 'title', '')}".strip()


def _significance(
    tables: Mapping[str, tuple[CrosstabTable | None, CrosstabTable | None]], lang: str
) -> pd.DataFrame:
    rows = []
    for _label, (emp, exp) in tables.items():
        row: dict[str, str] = {}
        for name, ct in (("by_employer", emp), ("by_experience", exp)):
            head = _h(name, lang)
            if ct is None or np.isnan(ct.p):
                row[f"{head}: χ²(df)"] = row[f"{head}: p"] = row[f"{head}: V"] = "—"
                continue
            row[f"{head}: χ²(df)"] = f"{apa_number(ct.chi2)} ({ct.df})"
            row[f"{head}: p"] = f"{format_p(ct.p)}{stars(ct.p)}"
            row[f"{head}: V"] = apa_number(ct.cramers_v, leading_zero=False)
        rows.append(row)
    return pd.DataFrame(rows, index=pd.Index(list(tables), name=_h("item", lang)))


@dataclass(frozen=True, eq=False, repr=False)
class _FrameResult(Result):
    """A plain table for the report (already formatted)."""

    frame: pd.DataFrame
    note: str = ""
    title: str = ""

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def display_frame(self) -> pd.DataFrame:
        return self.frame

    def notes(self) -> list[str]:
        return [self.note] if self.note else []

    def summary(self) -> str:
        return f"{self.title}\n{self.frame.to_string()}"


def _load(data_or_path: Any, wave: str) -> pd.DataFrame:
    """Coded data from a path, a raw export (read or as a DataFrame) or coded data."""
    from peoscales import peo
    from peoscales._io import SurveyExport, read_survey
    from peoscales.peo.coding import CodedWave

    if isinstance(data_or_path, CodedWave):
        return data_or_path.data
    if isinstance(data_or_path, (str, Path)):
        return _code(peo, read_survey(data_or_path), wave)
    if isinstance(data_or_path, SurveyExport):
        return _code(peo, data_or_path, wave)
    if not isinstance(data_or_path, pd.DataFrame):
        raise DataTypeError(
            f"data_or_path must be a DataFrame or a path to a survey export, got "
            f"{type(data_or_path).__name__}."
        )
    coded = [c for c, _, _ in FIXED_ITEMS if c in data_or_path.columns]
    if "employer" in data_or_path.columns and len(coded) >= 3:
        return data_or_path
    return _code(peo, data_or_path, wave)


def _code(peo: Any, raw: Any, wave: str) -> pd.DataFrame:
    result = peo.code_wave(raw, wave=wave)
    if isinstance(result, pd.DataFrame):
        return result
    for attr in ("data", "coded", "frame"):
        value = getattr(result, attr, None)
        if isinstance(value, pd.DataFrame):
            return value
    frame: pd.DataFrame = result.to_frame()
    return frame


def _demo() -> pd.DataFrame:
    from peoscales import peo

    loader = getattr(peo, "load_demo_export", None) or getattr(peo, "demo_export", None)
    if loader is None:  # pragma: no cover - the demo export ships with the package
        raise ParameterError("The embedded demo export is not available in this installation.")
    return _code(peo, loader(), "2021-09")


def report(
    data_or_path: Any = None,
    wave: str = "2021-09",
    *,
    lang: str = "nl",
    out: str | Path | None = None,
    min_group_size: int | None = 5,
    xlsx: str | Path | None = None,
    demo: bool = False,
    charts: bool = True,
) -> PeoReport:
    """Build the PEO report of one wave as a self-contained HTML page.

    Parameters
    ----------
    data_or_path : DataFrame, str or Path
        A survey export (path, read with :func:`peoscales.read_survey`), a raw
        export as a DataFrame (coded with :func:`peoscales.peo.code_wave`), or
        data coded already. Never modified.
    wave : str
        The wave's codebook, e.g. ``"2021-09"``.
    lang : {"nl", "en"}
        Language of the page.
    out : str or Path, optional
        Write the report here: an HTML page (``.html``, ``.htm``) or a Word
        file (``.docx``, needs python-docx), chosen by the suffix.
    min_group_size : int or None
        Cells and groups with fewer respondents are suppressed (see
        :mod:`peoscales.peo.tables`). ``None`` shows everything.
    xlsx : str or Path, optional
        Also write every table, as displayed, to this .xlsx workbook.
    demo : bool
        Use the embedded synthetic 2021 export (``data_or_path`` must be None).
    charts : bool
        Draw the charts (SVG in the HTML page, PNG in a Word file; needs
        matplotlib, the ``report`` extra).

    Returns
    -------
    PeoReport
        The page (``.html``) and the tables behind it (``.tables``).

    Notes
    -----
    Percentages are rounded half up, as in the published reports, so a column
    may add up to 99 or 101. Crosstabs are tested with Pearson's chi-square
    without continuity correction; group means with one-way ANOVA (and
    Welch's test). Tables follow seed 001 (PEO 2021): Tabel 1.1-1.3, 2.1-2.11
    and 3.1-3.4.
    """
    check_option("lang", lang, ("nl", "en"))
    if out is not None:
        check_output(out)  # a wrong suffix or folder fails before the report is built
    threshold = _check_threshold(min_group_size)
    with warnings.catch_warnings():
        # small expected counts are common in small groups: each table notes them
        warnings.simplefilter("ignore", SmallExpectedCountWarning)
        result = _build(data_or_path, wave, lang, threshold, demo, charts)
    if out is not None:
        result.save(out)
    if xlsx is not None:
        result.to_excel(xlsx)
    return result


def _build(
    data_or_path: Any, wave: str, lang: str, threshold: int, demo: bool, charts: bool
) -> PeoReport:
    if demo:
        if data_or_path is not None:
            raise ParameterError("Give either data_or_path or demo=True, not both.")
        data = _demo()
        wave = "2021-09"
    elif data_or_path is None:
        raise ParameterError("report needs data_or_path (or demo=True for the demo export).")
    else:
        data = _load(data_or_path, wave)
    book = _resolve_codebook(wave)
    if book is None:  # pragma: no cover - a wave name always resolves or raises
        raise ParameterError(f"wave={wave!r} does not name a codebook.")
    k = threshold if threshold else None
    page = _Page(lang)
    title = _h("title", lang, wave=wave)
    page.heading(title, 1)
    page.para(_h("intro", lang, n=len(data), k=threshold), "peo-intro")
    missing = [i for i, _, _ in FIXED_ITEMS if not _has(data, book, i)]
    if missing:
        page.para(_h("missing", lang, items=", ".join(missing)), "peo-note")

    def freq(key: str, item: str, descending: bool = False, grouping: str | None = None) -> None:
        if not _has(data, book, item):
            return
        ft = frequency_table(
            data,
            item,
            codebook=book,
            lang=lang,
            min_group_size=k,
            descending=descending,
            grouping=grouping,
        )
        chart = _bar_chart(ft) if charts and not ft.suppressed else None
        page.table(key, ft, _caption(key, ft, lang), chart)

    # 1 Sample
    page.heading(_h("sample", lang))
    freq("1.1", "employer")
    freq("1.2", "experience")
    if _has(data, book, "employer") and _has(data, book, "experience"):
        ct = crosstab_table(
            data, "experience", "employer", codebook=book, lang=lang, min_group_size=k
        )
        page.table("1.3", ct, _caption("1.3", ct, lang))

    # 2 Fixed part
    page.heading(_h("fixed", lang))
    freq("2.1", "space_overall", descending=True)
    space = [i for i in SPACE_ITEMS if _has(data, book, i)]
    if space:
        it = item_table(
            data, space, codebook=book, lang=lang, min_group_size=k, title=_h("space", lang)
        )
        page.table("2.2", it, _caption("2.2", it, lang), _stacked_chart(it) if charts else None)
    numbers = {
        "equipped": "2.4",
        "pct_direct_contact": "2.5",
        "pct_indirect_work": "2.6",
        "rules_negative_influence": "2.7",
        "work_pleasure": "2.8",
        "stay_one_year": "2.9",
    }
    for item, descending, grouping in FIXED_ITEMS:
        if item in numbers:
            freq(numbers[item], item, descending, grouping)

    if _has(data, book, "work_pleasure") and _has(data, book, "employer"):
        gm = group_means(
            data,
            "work_pleasure",
            "employer",
            codebook=book,
            lang=lang,
            min_group_size=k,
            title=f"{_h('means', lang)} {_h('by_employer', lang)}",
        )
        page.table("2.8 employer", gm, gm.title)
    if _has(data, book, "work_pleasure") and _has(data, book, "experience"):
        gm = group_means(
            data,
            "work_pleasure",
            "experience",
            codebook=book,
            lang=lang,
            min_group_size=k,
            title=f"{_h('means', lang)} {_h('by_experience', lang)}",
        )
        page.table("2.8 experience", gm, gm.title)

    # crosstabs of every fixed item by employer type and by experience
    sig: dict[str, tuple[CrosstabTable | None, CrosstabTable | None]] = {}
    for item, descending, grouping in FIXED_ITEMS:
        if not _has(data, book, item):
            continue
        if item == "work_pleasure":
            grouping = "bands"
        pair: list[CrosstabTable | None] = []
        for by, by_grouping, name in (
            ("employer", None, "by_employer"),
            ("experience", "experience_3", "by_experience"),
        ):
            if not _has(data, book, by):
                pair.append(None)
                continue
            ct = crosstab_table(
                data,
                item,
                by,
                codebook=book,
                grouping=grouping,
                by_grouping=by_grouping,
                lang=lang,
                min_group_size=k,
                descending=descending,
            )
            label = book.items[item].label(lang)
            ct = CrosstabTable(**{**ct.__dict__, "title": f"{label} {_h(name, lang)}{stars(ct.p)}"})
            page.table(f"{item} {by}", ct, ct.title)
            pair.append(ct)
        sig[book.items[item].label(lang)] = (pair[0], pair[1])
    if sig:
        overview = _FrameResult(_significance(sig, lang), _h("sig_note", lang), _h("sig", lang))
        page.table("2 significance", overview, _h("sig", lang))

    outcomes = (
        ("2.10", "work_pleasure", "bands", "werkplezier", "work pleasure"),
        ("2.11", "stay_one_year", "future3", "toekomst in jeugdhulp", "future in youth care"),
    )
    dich_items = [i for i in ("space_overall", *SPACE_ITEMS) if _has(data, book, i)]
    for key, outcome, grouping, what_nl, what_en in outcomes:
        if not dich_items or not _has(data, book, outcome):
            continue
        dt = dichotomy_table(
            data,
            dich_items,
            outcome,
            codebook=book,
            grouping="dichotomy",
            outcome_grouping=grouping,
            lang=lang,
            min_group_size=k,
            title=_h("relation", lang, what=what_nl if lang == "nl" else what_en),
        )
        page.table(key, dt, _caption(key, dt, lang))

    # 3 Thematic module: items combined over the two branches of the filter question
    combined = [i for i in book.items.values() if getattr(i, "combines", ())]
    if combined:
        page.heading(_h("thematic", lang))
    blocks = (
        ("3.1", "factor3", "limit", None),
        ("3.3", "yes_no", "adjust", None),
        ("3.4", "influence4", "influence", "influence3"),
    )
    for key, scale, head, grouping in blocks:
        ids = [i.id for i in combined if i.response_scale == scale and _has(data, book, i.id)]
        if not ids:
            continue
        it = item_table(
            data,
            ids,
            codebook=book,
            lang=lang,
            min_group_size=k,
            grouping=grouping,
            title=_h(head, lang),
        )
        page.table(key, it, _caption(key, it, lang), _stacked_chart(it) if charts else None)
        if key == "3.1" and _has(data, book, "most_limiting"):
            freq("3.2", "most_limiting")

    document = page.document(title, len(data))
    return PeoReport(
        html=render_html(document),
        document=document,
        tables=dict(page.tables),
        wave=wave,
        lang=lang,
        n=len(data),
        min_group_size=threshold,
        title=title,
    )
