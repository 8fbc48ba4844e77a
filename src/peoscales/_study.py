"""Study reports for validated instruments (the kind of seed report 002).

A study report describes a sample that answered one or more instruments: who
answered, the scale scores with their reliability, the share of respondents per
norm band, the correlations of the scales with alpha on the diagonal and the
differences between the groups of one background column. Every number comes from
the package's own functions (:func:`~peoscales.score`,
:func:`~peoscales.reliability`, :func:`~peoscales.categorize`,
:func:`~peoscales.corr_matrix`, :func:`~peoscales.ttest`,
:func:`~peoscales.anova`); this module only lays them out as a
:class:`~peoscales._document.Document`, rendered like the PEO report.
"""

from __future__ import annotations

import textwrap
import warnings
from collections.abc import Hashable, Mapping, Sequence
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
    framed,
    render_html,
    save,
    write_workbook,
)
from peoscales._results import Result, apa_number, ci_text, format_p
from peoscales._validation import as_frame, check_option, preview, require_columns
from peoscales.errors import IncompleteScoresWarning, InsufficientDataError, ParameterError
from peoscales.instruments.model import Instrument

__all__ = ["StudyReport", "study_report"]

#: Significance level below which the pairs of groups are compared.
ALPHA = 0.05

#: Background columns with more distinct values than this are not tabulated
#: (respondent ids, open answers); the report names them.
MAX_CATEGORIES = 12

_TEXT: dict[str, dict[str, str]] = {
    "title": {"nl": "Studierapport: {names}", "en": "Study report: {names}"},
    "intro": {
        "nl": "Rapportage van {n} respondenten.",
        "en": "Report on {n} respondents.",
    },
    "suppress": {
        "nl": "Groepen en cellen met minder dan {k} respondenten worden niet getoond "
        "(weergegeven als < {k}) en niet vergeleken.",
        "en": "Groups and cells with fewer than {k} respondents are not shown (shown as "
        "< {k}) and not compared.",
    },
    "sample": {"nl": "1 Steekproef", "en": "1 Sample"},
    "groups": {"nl": "Respondenten naar {by}", "en": "Respondents by {by}"},
    "categorical": {"nl": "Achtergrondkenmerken", "en": "Background characteristics"},
    "numeric": {"nl": "Numerieke achtergrondkenmerken", "en": "Numeric background variables"},
    "not_shown": {
        "nl": "Niet getabelleerd (meer dan {m} verschillende waarden): {cols}.",
        "en": "Not tabulated (more than {m} distinct values): {cols}.",
    },
    "unreported": {
        "nl": "Niet getabelleerd (items van instrumenten die dit rapport niet beschrijft): {cols}.",
        "en": "Not tabulated (items of instruments this report does not cover): {cols}.",
    },
    "scores": {"nl": "2 Schaalscores en betrouwbaarheid", "en": "2 Scale scores and reliability"},
    "scores_table": {
        "nl": "Schaalscores en interne consistentie",
        "en": "Scale scores and internal consistency",
    },
    "scores_note": {
        "nl": "n: respondenten met een score; n_excluded: respondenten die te weinig items "
        "beantwoordden voor een score (minimum per schaal: {req}). α: Cronbach's alpha "
        "met {conf}%-betrouwbaarheidsinterval (Feldt); ωt: McDonald's omega total.",
        "en": "n: respondents with a score; n_excluded: respondents who answered too few "
        "items for a score (least per scale: {req}). α: Cronbach's alpha with its {conf}% "
        "confidence interval (Feldt); ωt: McDonald's omega total.",
    },
    "bands": {"nl": "3 Normgroepen", "en": "3 Norm bands"},
    "bands_table": {"nl": "Verdeling over de normgroepen", "en": "Respondents per norm band"},
    "bands_note": {
        "nl": "Percentages van de respondenten met een score; grenzen zoals gepubliceerd in "
        "de definitie van het instrument.",
        "en": "Percentages of the respondents with a score; bounds as published in the "
        "instrument's definition.",
    },
    "no_bands": {
        "nl": "Geen van de schalen heeft normgroepen in de definitie van het instrument.",
        "en": "None of the scales has norm bands in its instrument's definition.",
    },
    "corr": {"nl": "4 Samenhang tussen de schalen", "en": "4 Correlations of the scales"},
    "corr_table": {
        "nl": "Gemiddelden, standaarddeviaties en correlaties",
        "en": "Means, standard deviations and correlations",
    },
    "compare": {"nl": "5 Verschillen naar {by}", "en": "5 Differences by {by}"},
    "compare_table": {"nl": "Schaalscores naar {by}", "en": "Scale scores by {by}"},
    "compare_t": {
        "nl": "M (SD) per groep. Welch-t-toets (geen aanname van gelijke varianties); "
        "d: Cohens d met {conf}%-BI.",
        "en": "M (SD) per group. Welch's t-test (no equal-variance assumption); d: Cohen's "
        "d with its {conf}% CI.",
    },
    "compare_f": {
        "nl": "M (SD) per groep. Welch-F-toets (geen aanname van gelijke varianties); η² en "
        "ω² uit de klassieke variantieanalyse, F(df) daarvan ter vergelijking.",
        "en": "M (SD) per group. Welch's F test (no equal-variance assumption); η² and ω² "
        "from the classical one-way ANOVA, whose F(df) is shown for comparison.",
    },
    "posthoc_table": {
        "nl": "Paarsgewijze verschillen ({method})",
        "en": "Pairwise differences ({method})",
    },
    "posthoc_note": {
        "nl": "Verschil = gemiddelde van de eerste min dat van de tweede groep, met {conf}%-BI "
        "en gecorrigeerde p.",
        "en": "Difference = mean of the first minus that of the second group, with its "
        "{conf}% CI and adjusted p.",
    },
    "left_out": {
        "nl": "Niet vergeleken (minder dan {k} respondenten): {groups}.",
        "en": "Not compared (fewer than {k} respondents): {groups}.",
    },
    "no_answer": {
        "nl": "{n} respondent(en) zonder waarde voor {by} tellen niet mee.",
        "en": "{n} respondent(s) without a value of {by} are left out.",
    },
    "no_test": {
        "nl": "{scale}: niet getoetst. {reason}",
        "en": "{scale}: not tested. {reason}",
    },
    "too_few": {
        "nl": "Minder dan twee groepen met ten minste {k} respondenten: geen vergelijking.",
        "en": "Fewer than two groups of at least {k} respondents: no comparison.",
    },
    "questions": {"nl": "6 Overige vragen", "en": "6 Other questions"},
    "questions_intro": {
        "nl": "Vragen van codeboek {name} ({title}).",
        "en": "Questions of codebook {name} ({title}).",
    },
    "numeric_items": {"nl": "Numerieke vragen", "en": "Numeric questions"},
    "scale": {"nl": "Schaal", "en": "Scale"},
    "variable": {"nl": "Variabele", "en": "Variable"},
    "category": {"nl": "Categorie", "en": "Category"},
    "band": {"nl": "Normgroep", "en": "Band"},
    "range": {"nl": "Bereik", "en": "Range"},
    "missing": {"nl": "onbekend", "en": "unknown"},
    "total": {"nl": "Totaal", "en": "Total"},
    "pair": {"nl": "Paar", "en": "Pair"},
    "difference": {"nl": "Verschil", "en": "Difference"},
}


def _t(key: str, lang: str, **kwargs: Any) -> str:
    text = _TEXT[key][lang]
    return text.format(**kwargs) if kwargs else text


# --------------------------------------------------------------------------------------
# The result
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class StudyReport(Result):
    """A study report of one or more instruments (see :func:`study_report`).

    Attributes
    ----------
    html : str
        The self-contained HTML page.
    document : Document
        The report as blocks (headings, paragraphs, tables with their charts),
        from which the page (and a Word file) is rendered.
    tables : dict
        The results behind the report, unrounded: ``"scoring"``
        (:class:`~peoscales.ScoringResult`), ``"reliability"``
        (:class:`~peoscales.ReliabilityResult`), ``"correlations"``
        (:class:`~peoscales.CorrelationResult`), ``"<scale> by <by>"``
        (:class:`~peoscales.TTestResult` or :class:`~peoscales.AnovaResult`) and
        the tables made here (``"groups"``, ``"background"``,
        ``"background numeric"``, ``"bands"``), each a result with ``to_frame()``.
    instruments : tuple of str
        The instruments reported.
    by : hashable or None
        The column whose groups are compared.
    lang : str
        Language of the report.
    n : int
        Respondents in the data.
    min_group_size : int
        Groups and cells below this size are not shown or compared (0: all shown).
    title : str
        The report's title.
    """

    html: str
    document: Document
    tables: Mapping[str, Result] = field(default_factory=dict)
    instruments: tuple[str, ...] = ()
    by: Hashable | None = None
    lang: str = "nl"
    n: int = 0
    min_group_size: int = 5
    title: str = "Study report"

    def to_frame(self) -> pd.DataFrame:
        """One row per table of the report: its key and caption."""
        rows = [(b.key, b.caption) for b in self.document.blocks if isinstance(b, Table)]
        return pd.DataFrame(
            {"title": [caption for _, caption in rows]},
            index=pd.Index([key for key, _ in rows], name="table"),
        )

    def summary(self) -> str:
        """The report's tables listed with their captions."""
        return (
            f"{self.title} ({self.lang}), n = {self.n}, {len(self.to_frame())} tables\n"
            + self.to_frame().to_string()
        )

    def _repr_html_(self) -> str:
        return framed(self.html)

    def save(self, path: str | Path) -> Path:
        """Write the report to ``path`` and return the path: an HTML page for
        ``.html``/``.htm`` (UTF-8), a Word file for ``.docx`` (needs python-docx,
        the ``report`` extra), both with the same tables."""
        return save(self.document, path, html=self.html)

    def to_excel(self, path: str | Path) -> Path:
        """Write every table of the report, as displayed, to a sheet of an .xlsx
        workbook (text that starts like a formula is stored as text)."""
        blocks = [(b.key, b.result) for b in self.document.blocks if isinstance(b, Table)]
        return write_workbook(blocks, path)


@dataclass(frozen=True, eq=False, repr=False)
class _Shown(Result):
    """A table made for the report: the numbers (``to_frame``) and the text shown."""

    numbers: pd.DataFrame
    shown: pd.DataFrame
    note: str = ""
    title: str = ""

    def to_frame(self) -> pd.DataFrame:
        return self.numbers.copy()

    def display_frame(self) -> pd.DataFrame:
        return self.shown

    def notes(self) -> list[str]:
        return [self.note] if self.note else []

    def summary(self) -> str:
        return f"{self.title}\n{self.shown.to_string()}"


# --------------------------------------------------------------------------------------
# Building the report
# --------------------------------------------------------------------------------------


def study_report(
    data: pd.DataFrame,
    instruments: str | Instrument | Sequence[str | Instrument] = ("brs", "swing12", "wbns"),
    *,
    by: Hashable | None = None,
    lang: str = "nl",
    min_group_size: int | None = 5,
    out: str | Path | None = None,
    charts: bool = True,
    confidence: float = 0.95,
    codebook: str | Instrument | None = None,
    columns: Mapping[str, Hashable] | None = None,
) -> StudyReport:
    """Build the report of a study with validated instruments.

    Parameters
    ----------
    data : DataFrame
        One row per respondent: the item columns of the instruments (named by
        item id) and any background columns. Never modified.
    instruments : str, Instrument or list of them, default ("brs", "swing12", "wbns")
        The instruments to report.
    by : column name, optional
        Compare the scale scores between the groups of this column (a Welch
        t-test for two groups, a Welch ANOVA with Games-Howell pairs for more).
    lang : {"nl", "en"}, default "nl"
        Language of the report.
    min_group_size : int or None, default 5
        Groups and cells with fewer respondents are shown as ``< k`` and not
        compared; ``None`` shows everything.
    out : str or Path, optional
        Also write the report here: an HTML page (``.html``, ``.htm``) or a Word
        file (``.docx``, needs python-docx), chosen by the suffix.
    charts : bool, default True
        Draw the charts (needs matplotlib, the ``report`` extra).
    confidence : float, default 0.95
        Level of the confidence intervals.
    codebook : str or Instrument, optional
        A survey codebook (e.g. ``"mental_fitness_2021"``) of the other questions
        in ``data``: its items get a section of their own, tabulated as the PEO
        report does (answers in codebook order with their labels, a check-all-
        that-apply question as a multiple-response table, rows of one question
        with one answer scale as an item table). Columns before the instruments'
        first item column are background and describe the sample (section 1),
        also when they are codebook items.
    columns : dict, optional
        Maps item ids (``"brs_2"``) to the caller's column names, for data whose
        item columns are not named by item id (e.g. ``{"brs_1": "Q7_1"}``); the
        report names them by item id.

    Returns
    -------
    StudyReport
        The page (``.html``), its blocks (``.document``) and the unrounded
        results behind it (``.tables``).

    Raises
    ------
    DataTypeError
        ``data`` is not a DataFrame.
    MissingColumnsError
        ``by`` or the instruments' item columns are not in ``data``.
    ParameterError
        ``lang``, ``min_group_size`` or ``confidence`` out of range.

    Notes
    -----
    Sections: (1) the sample: respondents per group of ``by`` and the
    background columns (not the items); (2) per scale the number of items, the
    respondents scored and left out (too few answered items), mean and SD of
    the score, Cronbach's alpha with its Feldt interval and omega total
    (:func:`peoscales.reliability`); (3) the share per norm band for scales
    whose definition has bands (:func:`peoscales.categorize`); (4) the APA
    correlation table of the scale scores with alpha on the diagonal (pairwise
    deletion); (5) the scores by ``by``: Welch's tests, which do not assume equal
    variances (Welch, 1951; Delacre, Lakens & Leys, 2017), with Cohen's d and
    its interval for two groups, or eta squared and omega squared with the
    Games-Howell pairs for more. Respondents without a value of ``by`` and
    groups below ``min_group_size`` are left out of the comparison and named in
    its note; a scale whose test is undefined (a group of one, or without
    variance, when ``min_group_size`` lets such groups in) gets an empty row and
    the reason in the note. No statistic is computed here: every number is that
    of the function named.

    Examples
    --------
    >>> import peoscales
    >>> data = peoscales.demo.load_mental_fitness()
    >>> rep = peoscales.study_report(data, ["brs", "wbns"], by="care_type", charts=False)
    >>> rep.to_frame()["title"].tolist()[3:]  # doctest: +NORMALIZE_WHITESPACE
    ['Tabel 2.1 Schaalscores en interne consistentie',
     'Tabel 3.1 Verdeling over de normgroepen',
     'Tabel 4.1 Gemiddelden, standaarddeviaties en correlaties',
     'Tabel 5.1 Schaalscores naar care_type',
     'Tabel 5.2 Paarsgewijze verschillen (Games–Howell)']
    >>> round(rep.tables["reliability"].scales["brs"].alpha, 2)
    0.82
    >>> rep.tables["brs by care_type"].welch["p"] < 0.001
    True
    """
    from peoscales.peo.tables.answers import _check_threshold

    data = _renamed(as_frame(data), columns)
    check_option("lang", lang, ("nl", "en"))
    threshold = _check_threshold(min_group_size)
    if not isinstance(charts, (bool, np.bool_)):
        raise ParameterError(f"charts must be True or False, got {charts!r}.")
    if not isinstance(confidence, (int, float)) or not 0 < confidence < 1:
        raise ParameterError(
            f"confidence must lie between 0 and 1 (e.g. 0.95), got {confidence!r}."
        )
    if by is not None:
        require_columns(data, [by], "data")
    if out is not None:
        check_output(out)  # a wrong suffix or folder fails before the report is built
    names = _instrument_list(instruments)
    book = _codebook(codebook)
    report = _build(data, names, by, lang, threshold, bool(charts), float(confidence), book)
    if out is not None:
        report.save(out)
    return report


def _instrument_list(instruments: Any) -> list[Instrument]:
    from peoscales.instruments.registry import get_instrument

    if isinstance(instruments, (str, Instrument)):
        instruments = [instruments]
    if not isinstance(instruments, Sequence) or not instruments:
        raise ParameterError(
            f"instruments must name one or more instruments (e.g. ['brs', 'wbns']), got "
            f"{instruments!r}."
        )
    out = [i if isinstance(i, Instrument) else get_instrument(i) for i in instruments]
    codebooks = [i.name for i in out if i.kind == "codebook"]
    if codebooks:
        raise ParameterError(
            f"instruments: {preview(codebooks)} is a survey codebook, which has no scales; "
            "report a PEO wave with peoscales.peo.report."
        )
    return out


def _renamed(data: pd.DataFrame, columns: Any) -> pd.DataFrame:
    """``data`` with the mapped columns named by item id (a new frame; the caller's
    is never changed)."""
    if columns is None:
        return data
    if not isinstance(columns, Mapping) or not all(isinstance(k, str) for k in columns):
        raise ParameterError(
            f"columns must map item ids to column names, e.g. {{'brs_1': 'Q7_1'}}, got "
            f"{type(columns).__name__}."
        )
    require_columns(data, list(columns.values()), "data")
    taken = [k for k, v in columns.items() if k in data.columns and k != v]
    if taken:
        raise ParameterError(
            f"columns maps {preview(taken)} to other columns, but data also has columns of "
            "those names; drop or rename them first."
        )
    return as_frame(data.rename(columns={v: k for k, v in columns.items()}))


def _instrument_items() -> set[str]:
    """Item ids of every registered instrument (not the codebooks)."""
    from peoscales.instruments.registry import get_instrument, list_instruments

    table = list_instruments()
    names = table.index[table["kind"] != "codebook"]
    return {item for name in names for item in get_instrument(str(name)).items}


def _codebook(codebook: Any) -> Instrument | None:
    if codebook is None:
        return None
    if isinstance(codebook, (str, Instrument)):
        from peoscales.peo.coding import get_codebook

        return get_codebook(codebook)
    raise ParameterError(
        f"codebook must name a survey codebook (e.g. 'mental_fitness_2021') or be one, got "
        f"{type(codebook).__name__}."
    )


def _codebook_columns(book: Instrument, data: pd.DataFrame) -> dict[str, list[Hashable]]:
    """The columns of ``data`` that hold each codebook item (several for a check-all-
    that-apply item: one per option, and its "other" text)."""
    from peoscales.peo.coding import multi_columns

    out: dict[str, list[Hashable]] = {}
    for column, (item, _option, _text) in multi_columns(book).items():
        if column in data.columns:
            out.setdefault(item, []).append(column)
    for item in book.items:
        if item in data.columns:
            out.setdefault(item, []).append(item)
    return out


def _questions(
    data: pd.DataFrame,
    book: Instrument,
    present: Mapping[str, list[Hashable]],
    by: Hashable | None,
    lang: str,
    k: int,
    charts: bool,
) -> list[tuple[str, Result, str, Chart | None]]:
    """The codebook's tables of its items in ``data``, in questionnaire order: (key,
    result, caption, chart). Rows of one question on one answer scale form one table."""
    from peoscales.peo._layout import _bar_chart, _stacked_chart
    from peoscales.peo.tables import frequency_table, item_table
    from peoscales.peo.tables.multi import multi_response_table

    limit = k or None
    out: list[tuple[str, Result, str, Chart | None]] = []
    numeric: list[str] = []
    items = [it for it in book.items.values() if it.id in present and it.id != by]
    position = 0
    while position < len(items):
        item = items[position]
        scale = book.response_scales[item.response_scale]
        position += 1
        if item.other_of or scale.kind == "text":
            continue  # open answers are shown only when coded
        label = item.label(lang)
        if scale.kind == "numeric":
            numeric.append(item.id)
        elif scale.kind == "multi":
            table: Any = multi_response_table(
                data, item.id, codebook=book, lang=lang, min_group_size=limit, title=label
            )
            out.append((item.id, table, label, None))
        else:
            rows = [item]
            while (
                position < len(items)
                and items[position].response_scale == item.response_scale
                and items[position].text == item.text
                and items[position].row
            ):
                rows.append(items[position])
                position += 1
            if len(rows) > 1:
                ids = [r.id for r in rows]
                title = item.question(lang)
                table = item_table(
                    data, ids, codebook=book, lang=lang, min_group_size=limit, title=title
                )
                chart = _stacked_chart(table) if charts else None
                out.append((" ".join(ids), table, title, chart))
            else:
                table = frequency_table(
                    data, item.id, codebook=book, lang=lang, min_group_size=limit
                )
                chart = _bar_chart(table) if charts and not table.suppressed else None
                out.append((item.id, table, label, chart))
    if numeric:
        _, table, _ = _background(
            data, numeric, lang, k, {i: book.items[i].label(lang) for i in numeric}
        )
        if table is not None:
            out.insert(0, ("numeric questions", table, _t("numeric_items", lang), None))
    return out


def _label(value: Any, lang: str) -> str:
    return _t("missing", lang) if pd.isna(value) else str(value)


def _count(n: int, k: int) -> str:
    """A count as shown: below the threshold as ``< k``."""
    return f"< {k}" if 0 < n < k else str(n)


def _percent(n: int, total: int, k: int) -> str:
    if 0 < n < k or total == 0:
        return ""
    return f"{100 * n / total:.0f}"


def _counts(series: pd.Series) -> pd.Series:
    """Counts per value in display order (categories in their order), unknown last."""
    counts = series.value_counts(sort=False, dropna=True)
    if not isinstance(series.dtype, pd.CategoricalDtype):
        counts = counts.sort_index()
    n_missing = int(series.isna().sum())
    if n_missing:
        counts = pd.concat([counts, pd.Series([n_missing], index=[np.nan])])
    return counts.astype(np.int64)


def _group_table(series: pd.Series, lang: str, k: int, name: str) -> _Shown:
    counts = _counts(series)
    total = int(counts.sum())
    labels = [_label(v, lang) for v in counts.index]
    numbers = pd.DataFrame(
        {"n": counts.to_numpy(), "%": 100 * counts.to_numpy() / total},
        index=pd.Index(labels, name=str(series.name)),
    )
    shown = pd.DataFrame(
        {
            "n": [_count(int(c), k) for c in counts] + [str(total)],
            "%": [_percent(int(c), total, k) for c in counts] + ["100"],
        },
        index=pd.Index([*labels, _t("total", lang)], name=name),
    )
    title = _t("groups", lang, by=name)
    return _Shown(numbers, shown, title=title)


def _background(
    data: pd.DataFrame,
    columns: Sequence[Hashable],
    lang: str,
    k: int,
    names: Mapping[Hashable, str] | None = None,
) -> tuple[_Shown | None, _Shown | None, list[Hashable]]:
    """Tables of the background columns: categories (count, %) and numbers (M, SD, range),
    each column shown by its name in ``names`` (a codebook's label) if it has one."""
    names = names or {}
    from peoscales._validation import numeric_like

    categorical: list[Hashable] = []
    numeric: list[Hashable] = []
    wide: list[Hashable] = []
    for col in columns:
        series = data[col]
        is_number = numeric_like(series) and not isinstance(series.dtype, pd.CategoricalDtype)
        if is_number and series.dtype != bool and series.nunique() > MAX_CATEGORIES:
            numeric.append(col)
        elif series.nunique() <= MAX_CATEGORIES:
            categorical.append(col)
        else:
            wide.append(col)
    cat_table = None
    if categorical:
        number_rows, shown_rows, index, shown_index = [], [], [], []
        for col in categorical:
            counts = _counts(data[col])
            total = int(counts.sum())
            for value, count in counts.items():
                index.append((str(col), _label(value, lang)))
                shown_index.append((names.get(col, str(col)), _label(value, lang)))
                number_rows.append((int(count), 100 * count / total))
                shown_rows.append((_count(int(count), k), _percent(int(count), total, k)))
        levels = [_t("variable", lang), _t("category", lang)]
        cat_table = _Shown(
            pd.DataFrame(
                number_rows,
                index=pd.MultiIndex.from_tuples(index, names=levels),
                columns=["n", "%"],
            ),
            pd.DataFrame(
                shown_rows,
                index=pd.MultiIndex.from_tuples(shown_index, names=levels),
                columns=["n", "%"],
            ),
            title=_t("categorical", lang),
        )
    num_table = None
    if numeric:
        from peoscales._describe import describe

        table = describe(data, numeric).table
        numbers = table[["n", "missing", "mean", "sd", "min", "max"]]
        shown = pd.DataFrame(
            {
                # plain lists: the shown index holds labels, not the column names
                "n": numbers["n"].astype(np.int64).astype(str).tolist(),
                "M": numbers["mean"].map(lambda v: apa_number(v, 1)).tolist(),
                "SD": numbers["sd"].map(lambda v: apa_number(v, 1)).tolist(),
                _t("range", lang): [
                    f"{apa_number(lo, 0)}–{apa_number(hi, 0)}"
                    if float(lo).is_integer() and float(hi).is_integer()
                    else f"{apa_number(lo)}–{apa_number(hi)}"
                    for lo, hi in zip(numbers["min"], numbers["max"])
                ],
            },
            index=pd.Index(
                [names.get(c, str(c)) for c in numbers.index], name=_t("variable", lang)
            ),
        )
        num_table = _Shown(numbers, shown, title=_t("numeric", lang))
    return cat_table, num_table, wide


def _scale_labels(instruments: list[Instrument], lang: str) -> dict[str, str]:
    return {sid: s.label(lang) for inst in instruments for sid, s in inst.scales.items()}


def _scores_table(
    scoring: Any, rel: Any, labels: Mapping[str, str], lang: str, confidence: float
) -> _Shown:
    table = scoring.table()
    reliab = rel.table()
    numbers = pd.DataFrame(
        {
            "k": table["items"].astype(np.int64),
            "n": table["n_scored"].astype(np.int64),
            "n_excluded": table["n_below_minimum"].astype(np.int64),
            "mean": table["mean"],
            "sd": table["sd"],
            "alpha": reliab["alpha"].reindex(table.index),
            "ci_low": reliab["ci_low"].reindex(table.index),
            "ci_high": reliab["ci_high"].reindex(table.index),
            "omega_total": reliab["omega_total"].reindex(table.index),
        },
        index=table.index,
    )
    conf = f"{100 * confidence:g}"
    shown = pd.DataFrame(
        {
            "k": numbers["k"].astype(str),
            "n": numbers["n"].astype(str),
            "n_excluded": numbers["n_excluded"].astype(str),
            "M": numbers["mean"].map(apa_number),
            "SD": numbers["sd"].map(apa_number),
            "α": numbers["alpha"].map(lambda v: apa_number(v, leading_zero=False)),
            f"{conf}% CI": [
                ci_text(lo, hi, 2, leading_zero=False)
                for lo, hi in zip(numbers["ci_low"], numbers["ci_high"])
            ],
            "ωt": numbers["omega_total"].map(lambda v: apa_number(v, leading_zero=False)),
        }
    )
    shown.index = pd.Index([labels.get(s, s) for s in table.index], name=_t("scale", lang))
    required = ", ".join(f"{labels.get(s, s)} {int(r)}" for s, r in table["required"].items())
    note = _t("scores_note", lang, req=required, conf=conf)
    return _Shown(numbers, shown, note=note, title=_t("scores_table", lang))


def _bands_table(
    scores: pd.DataFrame, instruments: list[Instrument], labels: Mapping[str, str], lang: str
) -> _Shown | None:
    from peoscales._scoring import categorize

    banded = {sid: s for inst in instruments for sid, s in inst.scales.items() if s.bands}
    columns = [c for c in scores.columns if c in banded]
    if not columns:
        return None
    bands = categorize(scores[columns], instruments, lang=lang)
    index, number_rows, shown_rows = [], [], []
    for sid in columns:
        counts = bands[sid].value_counts(sort=False)
        total = int(counts.sum())
        for band, (label, count) in zip(banded[sid].bands, counts.items()):
            index.append((labels.get(sid, sid), str(label)))
            share = 100 * count / total if total else np.nan
            number_rows.append((band.low, band.high, int(count), share))
            shown_rows.append(
                (f"{apa_number(band.low)}–{apa_number(band.high)}", str(count), f"{share:.1f}")
            )
    idx = pd.MultiIndex.from_tuples(index, names=[_t("scale", lang), _t("band", lang)])
    return _Shown(
        pd.DataFrame(number_rows, index=idx, columns=["low", "high", "n", "%"]),
        pd.DataFrame(shown_rows, index=idx, columns=[_t("range", lang), "n", "%"]),
        note=_t("bands_note", lang),
        title=_t("bands_table", lang),
    )


def _bands_chart(scores: pd.DataFrame, instruments: list[Instrument], lang: str) -> Chart:
    banded = [(sid, s) for inst in instruments for sid, s in inst.scales.items() if s.bands]
    banded = [(sid, s) for sid, s in banded if sid in scores.columns]

    def draw(fig: Any) -> None:
        from peoscales import plot

        axes = fig.subplots(1, len(banded), squeeze=False)[0]
        for ax, (sid, scale) in zip(axes, banded):
            plot.score_bands(
                scores[sid], scale.bands, xlabel=scale.label(lang), title="", lang=lang, ax=ax
            )

    return Chart(draw, 2.6, _t("bands_table", lang))


def _comparisons(
    frame: pd.DataFrame,
    scales: list[str],
    by: Hashable,
    labels: Mapping[str, str],
    lang: str,
    k: int,
    confidence: float,
    charts: bool,
    by_name: str,
) -> tuple[dict[str, Result], list[Table], list[str]]:
    """Tests of every scale between the groups of ``by`` and their tables."""

    group = frame[by]
    notes: list[str] = []
    n_missing = int(group.isna().sum())
    if n_missing:
        notes.append(_t("no_answer", lang, n=n_missing, by=by_name))
    counts = group.value_counts(sort=False)
    if not isinstance(group.dtype, pd.CategoricalDtype):
        counts = counts.sort_index()
    counts = counts[counts > 0]
    kept = [g for g, c in counts.items() if c >= k]
    small = [str(g) for g, c in counts.items() if c < k]
    if small:
        notes.append(_t("left_out", lang, k=k, groups=", ".join(small)))
    if len(kept) < 2:
        return {}, [], [*notes, _t("too_few", lang, k=k)]
    rows = frame[group.isin(kept)].copy()
    # the groups compared, in their order, as a plain categorical (no empty categories)
    rows[by] = pd.Categorical(rows[by].astype(object), categories=kept)
    results: dict[str, Result] = {}
    conf = f"{100 * confidence:g}"
    shown_rows: list[dict[str, str]] = []
    number_rows: list[dict[str, float]] = []
    two = len(kept) == 2
    tested: list[str] = []
    for sid in scales:
        key = f"{sid} by {by}"
        try:
            res: Any = _test(rows, sid, by, two, confidence)
        except InsufficientDataError as exc:
            # one scale that cannot be tested (a group without variance, or with one
            # score) does not stop the report: its row is empty and the note says why
            notes.append(_t("no_test", lang, scale=labels.get(sid, sid), reason=exc))
            shown_rows.append({str(g): "—" for g in kept})
            number_rows.append({})
            continue
        results[key] = res
        tested.append(sid)
        desc = res.descriptives
        cells = {
            str(g): f"{apa_number(desc.loc[g, 'mean'])} ({apa_number(desc.loc[g, 'sd'])})"
            for g in kept
        }
        if two:
            cells.update(
                {
                    "t (df)": f"{apa_number(res.t)} ({apa_number(res.df, 1)})",
                    "p": format_p(res.p),
                    "d": apa_number(res.d),
                    f"{conf}% CI": ci_text(res.d_ci_low, res.d_ci_high, 2),
                }
            )
            number_rows.append(
                {"t": res.t, "df": res.df, "p": res.p, "d": res.d,
                 "ci_low": res.d_ci_low, "ci_high": res.d_ci_high}
            )  # fmt: skip
        else:
            w = res.welch
            cells.update(
                {
                    "F (df)": f"{apa_number(res.f)} ({res.df1:g}, {res.df2:g})",
                    "Welch F (df)": f"{apa_number(w['f'])} ({w['df1']:g}, {apa_number(w['df2'], 1)})",
                    "p": format_p(w["p"]),
                    "η²": apa_number(res.eta2, leading_zero=False),
                    "ω²": apa_number(res.omega2, leading_zero=False),
                }
            )
            number_rows.append(
                {"f": res.f, "welch_f": w["f"], "df1": w["df1"], "df2": w["df2"], "p": w["p"],
                 "eta2": res.eta2, "omega2": res.omega2}
            )  # fmt: skip
        shown_rows.append(cells)
    index = pd.Index([labels.get(s, s) for s in scales], name=_t("scale", lang))
    caption = _t("compare_table", lang, by=by_name)
    note = _t("compare_t" if two else "compare_f", lang, conf=conf)
    summary = _Shown(
        pd.DataFrame(number_rows, index=pd.Index(scales, name="scale")),
        pd.DataFrame(shown_rows, index=index),
        note=" ".join([note, *notes]),
        title=caption,
    )
    chart = (
        _means_chart(results, rows, tested, by, labels, lang, by_name)
        if charts and tested
        else None
    )
    blocks = [Table(f"by {by}", caption, summary, chart)]
    results[f"by {by}"] = summary
    if not two:
        pairs = _posthoc(results, tested, by, labels, lang, conf)
        if pairs is not None:
            method = next(
                getattr(r, "posthoc_method", "")
                for r in results.values()
                if getattr(r, "posthoc", None) is not None
            )
            caption = _t("posthoc_table", lang, method=method)
            results[f"pairs by {by}"] = pairs
            blocks.append(Table(f"pairs by {by}", caption, pairs))
    return results, blocks, []


def _test(rows: pd.DataFrame, sid: str, by: Hashable, two: bool, confidence: float) -> Any:
    """Welch's t-test for two groups, else Welch's ANOVA (with its pairs where the
    groups differ: Games-Howell intervals are costly)."""
    from peoscales._groups import anova, ttest

    if two:
        return ttest(rows, sid, by, confidence=confidence)
    res: Any = anova(rows, sid, by, welch=True, posthoc=None, confidence=confidence)
    if res.welch["p"] < ALPHA:
        res = anova(rows, sid, by, welch=True, confidence=confidence)
    return res


def _posthoc(
    results: Mapping[str, Any],
    scales: list[str],
    by: Hashable,
    labels: Mapping[str, str],
    lang: str,
    conf: str,
) -> _Shown | None:
    index, number_rows, shown_rows = [], [], []
    for sid in scales:
        table = results[f"{sid} by {by}"].posthoc
        if table is None or len(table) == 0:  # the groups do not differ: no pairs
            continue
        for row in table.itertuples(index=False):
            values = dict(zip(table.columns, row))
            index.append((labels.get(sid, sid), f"{values['group1']} – {values['group2']}"))
            number_rows.append((values["diff"], values["95% low"], values["95% high"], values["p"]))
            shown_rows.append(
                (
                    apa_number(values["diff"]),
                    ci_text(values["95% low"], values["95% high"], 2),
                    format_p(values["p"]),
                )
            )
    if not index:
        return None
    idx = pd.MultiIndex.from_tuples(index, names=[_t("scale", lang), _t("pair", lang)])
    diff = _t("difference", lang)
    return _Shown(
        pd.DataFrame(number_rows, index=idx, columns=["diff", "ci_low", "ci_high", "p_adjusted"]),
        pd.DataFrame(shown_rows, index=idx, columns=[diff, f"{conf}% CI", "p (adj.)"]),
        note=_t("posthoc_note", lang, conf=conf),
        title=_t("posthoc_table", lang, method=""),
    )


def _means_chart(
    results: Mapping[str, Any],
    rows: pd.DataFrame,
    scales: list[str],
    by: Hashable,
    labels: Mapping[str, str],
    lang: str,
    by_name: str,
) -> Chart:
    """Each scale's scores by group (points, means with their intervals), three a row."""
    ncols = min(3, len(scales))
    nrows = -(-len(scales) // ncols)

    def draw(fig: Any) -> None:
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        for ax, sid in zip(axes, scales):
            results[f"{sid} by {by}"].plot(ax=ax, data=rows, lang=lang)
            ax.set_title("", loc="left")  # each group's n is under its label
            ax.set_title(textwrap.fill(labels.get(sid, sid), 24), fontsize=8)
            ax.set_ylabel("")
            ax.tick_params(axis="x", labelrotation=40, labelsize=7)
            for tick in ax.get_xticklabels():  # long group names end under their point
                tick.set_horizontalalignment("right")
                tick.set_rotation_mode("anchor")
        for ax in axes[len(scales) :]:
            ax.set_visible(False)
        fig.subplots_adjust(hspace=0.9, wspace=0.35)

    return Chart(draw, 3.4 * nrows, _t("compare_table", lang, by=by_name))


def _correlations(
    scores: pd.DataFrame,
    rel: Any,
    labels: Mapping[str, str],
    lang: str,
    confidence: float,
    charts: bool,
    tables: dict[str, Result],
    add: Any,
) -> None:
    """The APA correlation table of the scores with alpha on the diagonal, and its heatmap."""
    from peoscales._correlation import corr_matrix

    corr = corr_matrix(scores, confidence=confidence)
    # .tables keeps the unrounded correlations; the page shows the APA table
    tables["correlations"] = corr
    alphas = rel.table()["alpha"]
    apa = corr.to_apa(labels=labels, diagonal=alphas, title=_t("corr_table", lang))
    heat = None
    if charts:
        names: dict[Hashable, str] = {}
        names.update(labels)

        def draw(fig: Any) -> None:
            from peoscales import plot

            plot.correlation_heatmap(
                corr.r, p=corr.p, alpha=alphas, labels=names, lang=lang, ax=fig.add_subplot()
            )

        heat = Chart(draw, 4.5, _t("corr_table", lang))
    add("correlations", "4.1", apa, _t("corr_table", lang), chart=heat, notes=(apa.note,))


def _build(
    data: pd.DataFrame,
    instruments: list[Instrument],
    by: Hashable | None,
    lang: str,
    k: int,
    charts: bool,
    confidence: float,
    book: Instrument | None = None,
) -> StudyReport:
    from peoscales._reliability import reliability
    from peoscales._scoring import score

    names = [inst.name for inst in instruments]
    with warnings.catch_warnings():
        # respondents with too few answered items are counted in the scores table
        warnings.simplefilter("ignore", IncompleteScoresWarning)
        scoring = score(data, instruments, details=True)
    rel = reliability(data, instruments, confidence=confidence)
    scores = scoring.scores
    labels = _scale_labels(instruments, lang)
    scales = list(scores.columns)
    # columns that are codebook items are shown by the codebook's label
    item_names: dict[Hashable, str] = {}
    if book is not None:
        item_names.update({item.id: item.label(lang) for item in book.items.values()})
    by_name = item_names.get(by, str(by)) if by is not None else ""

    items = {i for inst in instruments for i in inst.items}
    blocks: list[Heading | Paragraph | Table] = []
    tables: dict[str, Result] = {}

    def add(key: str, number: str, result: Result, caption: str, **kw: Any) -> None:
        word = "Tabel" if lang == "nl" else "Table"
        if key not in tables:
            tables[key] = result
        blocks.append(Table(key, f"{word} {number} {caption}", result, **kw))

    shown_names = ", ".join(inst.name.upper() for inst in instruments)
    title = _t("title", lang, names=shown_names)
    blocks.append(Heading(title, 1))
    blocks.append(Paragraph(_t("intro", lang, n=len(data)), "intro"))
    if k:
        blocks.append(Paragraph(_t("suppress", lang, k=k), "intro"))

    # 1 Sample
    blocks.append(Heading(_t("sample", lang)))
    number = 1
    if by is not None:
        groups = _group_table(data[by], lang, k, by_name)
        add("groups", f"1.{number}", groups, groups.title)
        number += 1
    present = _codebook_columns(book, data) if book is not None else {}
    # columns before the first item column describe the sample, as questionnaires
    # ask the background first; the codebook's other questions get section 6
    first = next((j for j, c in enumerate(data.columns) if c in items), len(data.columns))
    sample = set(data.columns[:first])
    present = {i: cols for i, cols in present.items() if not set(cols) <= sample}
    asked = {c for columns in present.values() for c in columns}
    background = [c for c in data.columns if c not in items and c != by and c not in asked]
    # answers to instruments not reported are no background
    known = _instrument_items()
    unreported = [c for c in background if c in known]
    background = [c for c in background if c not in set(unreported)]
    cat_table, num_table, wide = _background(data, background, lang, k, item_names)
    if cat_table is not None:
        add("background", f"1.{number}", cat_table, cat_table.title)
        number += 1
    if num_table is not None:
        add("background numeric", f"1.{number}", num_table, num_table.title)
    if wide:
        blocks.append(
            Paragraph(_t("not_shown", lang, m=MAX_CATEGORIES, cols=preview(wide)), "note")
        )
    if unreported:
        blocks.append(Paragraph(_t("unreported", lang, cols=preview(unreported)), "note"))

    # 2 Scale scores and reliability
    blocks.append(Heading(_t("scores", lang)))
    tables["scoring"] = scoring
    tables["reliability"] = rel
    shown = _scores_table(scoring, rel, labels, lang, confidence)
    add("scores", "2.1", shown, shown.title)

    # 3 Norm bands
    blocks.append(Heading(_t("bands", lang)))
    bands = _bands_table(scores, instruments, labels, lang)
    if bands is None:
        blocks.append(Paragraph(_t("no_bands", lang), "note"))
    else:
        chart = _bands_chart(scores, instruments, lang) if charts else None
        add("bands", "3.1", bands, bands.title, chart=chart)

    # 4 Correlations, alpha on the diagonal
    if len(scales) > 1:
        blocks.append(Heading(_t("corr", lang)))
        _correlations(scores, rel, labels, lang, confidence, charts, tables, add)

    # 5 Groups
    if by is not None:
        blocks.append(Heading(_t("compare", lang, by=by_name)))
        frame = pd.concat([data[[by]], scores], axis=1)
        results, group_blocks, notes = _comparisons(
            frame, scales, by, labels, lang, k, confidence, charts, by_name
        )
        tables.update(results)
        for position, block in enumerate(group_blocks, start=1):
            add(block.key, f"5.{position}", block.result, block.caption, chart=block.chart)
        blocks.extend(Paragraph(n, "note") for n in notes)

    # 6 The codebook's questions
    if book is not None and present:
        blocks.append(Heading(_t("questions", lang)))
        blocks.append(Paragraph(_t("questions_intro", lang, name=book.name, title=book.title)))
        tables6 = _questions(data, book, present, by, lang, k, charts)
        for position, (key, result, caption, chart) in enumerate(tables6, start=1):
            add(key, f"6.{position}", result, caption, chart=chart)

    document = Document(title, lang, tuple(blocks), len(data))
    return StudyReport(
        html=render_html(document),
        document=document,
        tables=tables,
        instruments=tuple(names),
        by=by,
        lang=lang,
        n=len(data),
        min_group_size=k,
        title=title,
    )
