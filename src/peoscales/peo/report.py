"""The PEO report: one self-contained HTML page (and optionally an .xlsx workbook).

What the report shows is data: the ``[report]`` layout of the wave's codebook (or of
a report TOML beside it), checked and rendered by :mod:`peoscales.peo._layout` into a
:class:`~peoscales._document.Document`. A codebook without a layout gets one
frequency table per question. The page loads nothing from elsewhere: the styles are
inline, the charts are SVG drawn by :mod:`peoscales.plot` (matplotlib, text left as
text so no font is embedded or fetched).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from peoscales._document import (
    Document,
    check_output,
    framed,
    render_html,
    save,
    write_workbook,
)
from peoscales._results import Result
from peoscales._validation import check_option
from peoscales.errors import (
    DataTypeError,
    DefinitionError,
    ParameterError,
    SmallExpectedCountWarning,
)
from peoscales.instruments.model import Instrument
from peoscales.peo._layout import Layout, build_document, generic_layout, parse_layout
from peoscales.peo._layout import _FrameResult as _FrameResult  # the plain tables' class
from peoscales.peo.tables.answers import _check_threshold
from peoscales.peo.tables.answers import _resolve_codebook as _resolve_codebook  # used by tests

__all__ = ["PeoReport", "report"]

#: The four kinds of professional space of the fixed part (seed 001 Tabel 2.2).
SPACE_ITEMS = (
    "space_own_judgement",
    "space_do_what_is_needed",
    "space_invest_in_relationship",
    "space_reflect",
)


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
        return framed(self.html)

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
        return write_workbook(list(self.tables.items()), path)


# --------------------------------------------------------------------------------------
# Codebook, layout and data
# --------------------------------------------------------------------------------------


def _is_path(value: Any) -> bool:
    return isinstance(value, Path) or (
        isinstance(value, str)
        and (value.lower().endswith(".toml") or "/" in value or "\\" in value)
    )


def _registered_raw(book: Instrument) -> dict[str, Any] | None:
    """The TOML table a registered codebook was built from (None if it was not)."""
    from peoscales.instruments import registry

    registry._ensure_loaded()
    if registry._instruments.get(book.name) is not book:
        return None
    return registry._raw.get(book.name)


def _codebook_and_layout(codebook: Any, wave: str | None) -> tuple[Instrument, Layout]:
    """The codebook and the checked layout a ``codebook=`` / ``wave=`` pair names."""
    from peoscales.instruments.loader import build_instrument, parse_raw
    from peoscales.instruments.registry import _raw, read_definition_text
    from peoscales.peo.coding import get_codebook

    raw: dict[str, Any] | None
    if codebook is not None and not isinstance(codebook, (str, Path, Instrument)):
        raise ParameterError(
            f"codebook must be a wave or codebook name, a codebook or the path of a TOML "
            f"file, got {type(codebook).__name__}."
        )
    if codebook is None:
        book = get_codebook(wave or "2021-09")
        raw = _registered_raw(book)
        source = book.source
    elif isinstance(codebook, Path) or (isinstance(codebook, str) and _is_path(codebook)):
        path = Path(codebook)
        source = str(path)
        raw = parse_raw(read_definition_text(path), source)
        if raw.get("kind") == "report":
            ref = raw.get("codebook")
            if not isinstance(ref, str) or not ref:
                raise DefinitionError(
                    f"{source}: field 'codebook': missing. A report file names its codebook: "
                    'codebook = "2021-09" (a wave), "peo_2021_09" (a codebook) or a path.'
                )
            if _is_path(ref):
                book_path = Path(ref) if Path(ref).is_absolute() else path.parent / ref
                book_raw = parse_raw(read_definition_text(book_path), str(book_path))
                book = build_instrument(book_raw, str(book_path), _raw.__getitem__)
            else:
                book = get_codebook(ref)
            if "report" not in raw:
                raise DefinitionError(
                    f"{source}: field 'report': missing. A report file holds the layout in "
                    "[report] with title and [[report.sections]]."
                )
        else:
            book = build_instrument(raw, source, _raw.__getitem__)
            if book.kind != "codebook":
                raise DefinitionError(
                    f"{source}: field 'kind': {book.kind!r} is an instrument; a report needs a "
                    'codebook (kind = "codebook") or a report file (kind = "report").'
                )
    else:
        book = get_codebook(codebook)
        raw = _registered_raw(book)
        source = book.source
    if codebook is not None and wave is not None and book.wave not in (None, wave):
        raise ParameterError(
            f"wave={wave!r} does not match the codebook, which is of wave {book.wave!r}; "
            "give one of them."
        )
    if raw is None or "report" not in raw:
        return book, generic_layout(book)
    return book, parse_layout(raw["report"], book, source)


def _id_columns(data: pd.DataFrame, book: Instrument) -> int:
    """How many of the codebook's questions are columns of ``data`` by their item id."""
    return sum(
        1
        for item in book.items.values()
        if not item.combines and not item.other_of and item.id in data.columns
    )


def _coded(data: pd.DataFrame, book: Instrument) -> bool:
    """Whether ``data`` is coded already: columns named by item id, not by question text."""
    questions = sum(1 for it in book.items.values() if not it.combines and not it.other_of)
    return _id_columns(data, book) >= min(3, questions)


def _wave_of_coded(data: pd.DataFrame) -> Instrument | None:
    """The registered codebook whose item ids the columns of coded data match best."""
    from peoscales.peo.coding import _codebooks

    def fit(book: Instrument) -> tuple[int, float]:
        # most questions found, then the largest share of the codebook's questions
        # (coded 2022 data carry the fixed items' ids, which 2021 has as well)
        found = _id_columns(data, book)
        total = sum(1 for it in book.items.values() if not it.combines and not it.other_of)
        return found, found / max(total, 1)

    books = list(_codebooks().values())
    best = max(books, key=fit, default=None)
    return best if best is not None and _coded(data, best) else None


def _load(data_or_path: Any, book: Instrument, explicit: bool) -> pd.DataFrame:
    """Coded data from a path, a raw export (read or as a DataFrame) or coded data."""
    from peoscales._io import SurveyExport, read_survey
    from peoscales.peo.coding import CodedWave

    if isinstance(data_or_path, CodedWave):
        return data_or_path.data
    if isinstance(data_or_path, (str, Path)):
        return _code(read_survey(data_or_path), book, explicit)
    if isinstance(data_or_path, SurveyExport):
        return _code(data_or_path, book, explicit)
    if not isinstance(data_or_path, pd.DataFrame):
        raise DataTypeError(
            f"data_or_path must be a DataFrame or a path to a survey export, got "
            f"{type(data_or_path).__name__}."
        )
    if _coded(data_or_path, book):
        return data_or_path
    return _code(data_or_path, book, explicit)


def _other_waves(
    compare_with: Mapping[str, Any] | None, book: Instrument, demo: bool
) -> dict[str, Callable[[], pd.DataFrame]]:
    """Loaders of the other waves' coded data, for trend tables (run when a table needs
    them): the data given in ``compare_with``, else, for the demo, the other demo waves."""
    from functools import partial

    from peoscales.peo.coding import get_codebook
    from peoscales.peo.demo import DEMO_WAVES

    own = str(book.wave or book.name)
    if compare_with is None:
        if not demo:
            return {}
        return {w: partial(_demo, w) for w in DEMO_WAVES if w != own}
    if not isinstance(compare_with, Mapping):
        raise ParameterError(
            "compare_with must be a mapping of wave name to data, e.g. "
            f"{{'2021-09': 'export_2021.csv'}}; got {type(compare_with).__name__}."
        )
    loaders: dict[str, Callable[[], pd.DataFrame]] = {}
    for wave, value in compare_with.items():
        if str(wave) == own:
            raise ParameterError(
                f"compare_with names the report's own wave {own!r}; give the earlier waves."
            )
        loaders[str(wave)] = partial(_load, value, get_codebook(str(wave)), True)
    return loaders


def _code(raw: Any, book: Instrument, explicit: bool) -> pd.DataFrame:
    from peoscales.peo.coding import code_wave

    return code_wave(raw, wave=book if explicit else None).data


def _demo(wave: str = "2021-09", book: Instrument | None = None) -> pd.DataFrame:
    """The embedded synthetic export of ``wave``, coded (with ``book`` if given)."""
    from peoscales import peo
    from peoscales.peo.demo import DEMO_WAVES

    if wave not in DEMO_WAVES:
        raise ParameterError(
            f"demo=True: there is no demo export of {wave!r}; the demo exports are of the "
            f"waves {', '.join(DEMO_WAVES)}. Give your data instead of demo=True."
        )
    return _code(peo.load_demo_export(wave), book or peo.get_codebook(wave), True)


def report(
    data_or_path: Any = None,
    wave: str | None = None,
    *,
    codebook: Instrument | str | Path | None = None,
    lang: str = "nl",
    out: str | Path | None = None,
    min_group_size: int | None = 5,
    xlsx: str | Path | None = None,
    demo: bool = False,
    charts: bool = True,
    compare_with: Mapping[str, Any] | None = None,
) -> PeoReport:
    """Build the report of one PEO wave, as its layout declares, as a self-contained HTML page.

    Parameters
    ----------
    data_or_path : DataFrame, CodedWave, str or Path
        A survey export (path, read with :func:`peoscales.read_survey`), a raw
        export as a DataFrame (coded with :func:`peoscales.peo.code_wave`), or
        data coded already (columns named by item id). Never modified.
    wave : str, optional
        The wave, e.g. ``"2021-09"``. Naming it allows a partial export: the
        questions found are coded and a :class:`~peoscales.errors.PartialExportWarning`
        lists the others. Without it, coded data are matched to the codebook whose
        item ids they carry, and a raw export is coded as 2021-09 (an error says
        when another wave fits better).
    codebook : str, Path or Instrument, optional
        A codebook with a ``[report]`` layout: a registered name or wave, a
        codebook, or the path of a TOML file (a codebook, or a report file
        with ``kind = "report"`` that names its codebook). Default: the wave's.
        A codebook without a layout gives one frequency table per question.
    lang : {"nl", "en"}
        Language of the page.
    out : str or Path, optional
        Write the report here: an HTML page (``.html``, ``.htm``) or a Word
        file (``.docx``, needs python-docx), chosen by the suffix.
    min_group_size : int or None
        Cells and groups with fewer respondents are suppressed in tables by group
        (see :mod:`peoscales.peo.tables`). ``None`` shows everything.
    xlsx : str or Path, optional
        Also write every table, as displayed, to this .xlsx workbook.
    demo : bool
        Use the embedded synthetic export of ``wave`` (2020-05, 2021-09 or
        2022-04; default 2021-09), with ``data_or_path`` None.
    charts : bool
        Draw the charts (SVG in the HTML page, PNG in a Word file; needs
        matplotlib, the ``report`` extra).
    compare_with : mapping of wave name to data, optional
        Data of earlier waves for the layout's trend tables (``kind = "trend"``), each
        as ``data_or_path`` (coded with the codebook its name gives). With ``demo``,
        the other demo waves are used. A trend table without any of its waves' data
        is left out, and a note says so.

    Returns
    -------
    PeoReport
        The page (``.html``), the document behind it and its tables (``.tables``).

    Raises
    ------
    DefinitionError
        The layout names an unknown item, table kind, grouping or option; the
        message names the file and the field (``report.sections[1].tables[3].item``).

    Notes
    -----
    Percentages are rounded half up, as in the published reports, so a column
    may add up to 99 or 101. Crosstabs are tested with Pearson's chi-square
    without continuity correction; group means with one-way ANOVA (and
    Welch's test). The 2021-09 layout follows seed 001 (PEO 2021): Tabel
    1.1-1.3, 2.1-2.11 (without 2.3) and 3.1-3.4.

    Examples
    --------
    >>> from peoscales import peo
    >>> result = peo.report(demo=True, charts=False)
    >>> result.wave, result.n, list(result.tables)[:4]
    ('2021-09', 178, ['1.1', '1.2', '1.3', '2.1'])
    """
    check_option("lang", lang, ("nl", "en"))
    if out is not None:
        check_output(out)  # a wrong suffix or folder fails before the report is built
    threshold = _check_threshold(min_group_size)
    with warnings.catch_warnings():
        # small expected counts are common in small groups: each table notes them
        warnings.simplefilter("ignore", SmallExpectedCountWarning)
        result = _build(data_or_path, wave, codebook, lang, threshold, demo, charts, compare_with)
    if out is not None:
        result.save(out)
    if xlsx is not None:
        result.to_excel(xlsx)
    return result


def _build(
    data_or_path: Any,
    wave: str | None,
    codebook: Any,
    lang: str,
    threshold: int,
    demo: bool,
    charts: bool,
    compare_with: Mapping[str, Any] | None = None,
) -> PeoReport:
    from peoscales.peo.coding import CodedWave

    if demo:
        if data_or_path is not None:
            raise ParameterError("Give either data_or_path or demo=True, not both.")
        book, layout = _codebook_and_layout(codebook, wave or "2021-09")
        data = _demo(book.wave or book.name, book)
    elif data_or_path is None:
        raise ParameterError("report needs data_or_path (or demo=True for the demo export).")
    else:
        if codebook is None and wave is None and isinstance(data_or_path, CodedWave):
            codebook = data_or_path.codebook
        elif codebook is None and wave is None and isinstance(data_or_path, pd.DataFrame):
            codebook = _wave_of_coded(data_or_path)
        book, layout = _codebook_and_layout(codebook, wave)
        explicit = wave is not None or codebook is not None
        data = _load(data_or_path, book, explicit)
    document = build_document(
        data, book, layout, lang=lang, min_group_size=threshold, charts=charts,
        other_waves=_other_waves(compare_with, book, demo),
    )  # fmt: skip
    return PeoReport(
        html=render_html(document),
        document=document,
        tables=document.tables(),
        wave=str(book.wave or book.name),
        lang=lang,
        n=len(data),
        min_group_size=threshold,
        title=document.title,
    )
