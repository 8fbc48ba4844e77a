"""Multiple-response questions ("check all that apply", or the factors a respondent
names): each option is one column, chosen or not. The table gives each option's share of
respondents and of responses, how many options a respondent chose, the options by a
group, and which options were chosen together."""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from peoscales._validation import as_frame, check_option, preview, require_columns
from peoscales.errors import ParameterError
from peoscales.instruments.model import Instrument
from peoscales.peo.tables.answers import (
    _answers,
    _check_lang,
    _check_threshold,
    _codebook_or_wave,
    _resolve_codebook,
)
from peoscales.peo.tables.common import _ReportTable
from peoscales.peo.tables.groupings import GroupingSpec

__all__ = ["MultiResponseTable", "multi_response_table"]

#: Option labels that stay last when options are sorted ("Anders, namelijk...").
_OTHER = re.compile(r"^\s*(anders|overig|other)\b", re.IGNORECASE)


@dataclass(frozen=True, eq=False, repr=False)
class MultiResponseTable(_ReportTable):
    """Options of a multiple-response question: how often each was chosen.

    Attributes
    ----------
    table : DataFrame
        One row per option: ``n`` (respondents choosing it), ``percent_of_respondents``
        (of the respondents in the base) and ``percent_of_responses`` (of all choices).
    n_chosen : Series
        Respondents by the number of options they chose (0, 1, 2, ...), in the base.
    mean_chosen : float
        Mean number of options chosen per respondent in the base.
    together : DataFrame
        Respondents choosing both options of each pair (the diagonal: each option).
    by_group : DataFrame or None
        With ``by``: percentage of each group's respondents choosing each option.
    n_base : int
        Respondents in the base: those who answered at least one option (or, for
        check-box columns, every respondent asked).
    """

    options: tuple[str, ...]
    table: pd.DataFrame
    n_chosen: pd.Series
    mean_chosen: float
    together: pd.DataFrame
    by_group: pd.DataFrame | None
    n_base: int
    n_excluded: int
    min_group_size: int
    decimals: int
    lang: str
    title: str = "Multiple response"

    _css = "multi-response"

    def to_frame(self) -> pd.DataFrame:
        """The option table, unrounded."""
        return self.table

    def display_frame(self) -> pd.DataFrame:
        """Counts and rounded percentages; counts below ``min_group_size`` not shown."""
        t = self.table
        small = t["n"].to_numpy() < self.min_group_size
        fmt = f"{{:.{self.decimals}f}}"
        out = pd.DataFrame(
            {
                "n": np.where(small, f"<{self.min_group_size}", t["n"].astype(str)),
                "% resp.": np.where(
                    small, "", [fmt.format(v) for v in t["percent_of_respondents"]]
                ),
                "% responses" if self.lang == "en" else "% antwoorden": np.where(
                    small, "", [fmt.format(v) for v in t["percent_of_responses"]]
                ),
            },
            index=t.index,
        )
        return out

    def notes(self) -> list[str]:
        """The base and the mean number chosen."""
        if self.lang == "nl":
            out = [
                f"n = {self.n_base}; meer antwoorden mogelijk. Gemiddeld "
                f"{self.mean_chosen:.1f} genoemd per respondent."
            ]
        else:
            out = [
                f"n = {self.n_base}; more than one answer possible. On average "
                f"{self.mean_chosen:.1f} chosen per respondent."
            ]
        if (self.table["n"].to_numpy() < self.min_group_size).any():
            out.append(
                f"Aantallen onder {self.min_group_size} niet getoond."
                if self.lang == "nl"
                else f"Counts below {self.min_group_size} not shown."
            )
        return out


def multi_response_table(
    data: pd.DataFrame,
    options: Sequence[Hashable],
    *,
    chosen: Any = None,
    codebook: Instrument | str | None = None,
    grouping: GroupingSpec | None = None,
    by: Hashable | None = None,
    sort: Literal["descending", "ascending"] | None = None,
    lang: str = "nl",
    decimals: int = 0,
    min_group_size: int | None = 5,
    title: str | None = None,
) -> MultiResponseTable:
    """A multiple-response question: each option's share of respondents and responses.

    Parameters
    ----------
    data : DataFrame or CodedWave
        One row per respondent, one column per option.
    options : sequence of str, or str
        The option columns; or the id of a check-all-that-apply (``kind = "multi"``)
        codebook item, whose option columns :func:`code_wave` made (pass the
        ``CodedWave`` or ``codebook=``). Respondents the question was not put to are
        then outside the base.
    chosen : answer or list of answers, optional
        Which answers count as choosing an option, for options that are codebook items
        by answer label (after grouping) or code, e.g. ``chosen="enigszins of in sterke
        mate"`` with ``grouping="limiting"``, or ``chosen=[2, 3]``.
        Without it, the columns are check boxes as SurveyMonkey and Qualtrics export
        them: any non-empty value (the option's text, 1, True) is chosen; empty, 0 and
        False are not.
    codebook, grouping, lang, decimals, min_group_size, title
        As in :func:`frequency_table`.
    by : str, optional
        A grouping column: adds the percentage of each group choosing each option.
    sort : {"descending", "ascending"}, optional
        Order the options by how often they were chosen, "Anders" / "other" last.

    Returns
    -------
    MultiResponseTable

    Examples
    --------
    >>> import pandas as pd
    >>> from peoscales import peo
    >>> boxes = pd.DataFrame({"colleague": ["Collega", None, "Collega"],
    ...                       "manager": [None, None, "Leidinggevende"]})
    >>> t = peo.multi_response_table(boxes, ["colleague", "manager"])
    >>> t.table["n"].tolist(), round(t.mean_chosen, 2)
    ([2, 1], 1.0)

    Notes
    -----
    With codebook options, the base is the respondents who answered at least one
    option; with check boxes (no answer means "not chosen"), every respondent. A
    respondent who chose nothing counts in the base with 0 chosen. % of responses
    divides by all choices made, so those percentages add up to 100.
    """
    frame = as_frame(data)
    lang = _check_lang(lang)
    book = _resolve_codebook(_codebook_or_wave(codebook, data))
    option_labels: dict[str, str] = {}
    if (
        not isinstance(options, str)
        and isinstance(options, Sequence)
        and len(options) == 1
        and isinstance(options[0], str)
    ):
        options = options[0]  # a report layout lists the one item: items = ["support"]
    if isinstance(options, str):
        options, option_labels = _multi_item_columns(options, book, lang, chosen)
    if not isinstance(options, Sequence) or len(options) < 2:
        raise ParameterError(
            f"options must be a list of two or more option columns, or the id of a "
            f"check-all-that-apply codebook item, got {options!r}."
        )
    threshold = _check_threshold(min_group_size)
    sort = check_option("sort", sort, ("descending", "ascending", None))
    labels: list[str] = []
    if chosen is None:
        require_columns(frame, list(options), "options")
        picked = np.column_stack([_checked(frame[o], o) for o in options])
        # Check boxes coded by code_wave are NA where the question was not asked: those
        # respondents are outside the base. Elsewhere an empty box is "not chosen".
        asked = [
            frame[o].notna().to_numpy()
            for o in options
            if isinstance(frame[o].dtype, pd.BooleanDtype)
        ]
        answered = np.logical_or.reduce(asked) if asked else np.ones(len(frame), dtype=bool)
        for o in options:
            item = book.items.get(str(o)) if book is not None else None
            labels.append(
                option_labels.get(str(o)) or (item.label(lang) if item is not None else str(o))
            )
    else:
        wanted = list(chosen) if isinstance(chosen, (list, tuple, set)) else [chosen]
        columns = []
        seen = np.zeros(len(frame), dtype=bool)
        for o in options:
            ans = _answers(frame, o, book, lang, grouping, "options", substantive_only=True)
            unknown = [w for w in wanted if str(w) not in ans.labels and not _is_code(w)]
            if unknown:
                raise ParameterError(
                    f"chosen={chosen!r}: {preview(unknown)} is not an answer of option {o!r} "
                    f"(after grouping); its answers are {preview(list(ans.labels))}."
                )
            hit = np.zeros(len(frame), dtype=bool)
            for w in wanted:
                if str(w) in ans.labels:
                    hit |= ans.cat == ans.labels.index(str(w))
                else:
                    hit |= ans.values == float(w)
            columns.append(hit)
            seen |= ans.cat >= 0
            labels.append(ans.label)
        picked = np.column_stack(columns)
        answered = seen
    base = picked[answered]
    n_base = int(answered.sum())
    counts = base.sum(axis=0).astype(np.int64)
    total = int(counts.sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        table = pd.DataFrame(
            {
                "n": counts,
                "percent_of_respondents": 100.0 * counts / n_base if n_base else np.nan,
                "percent_of_responses": 100.0 * counts / total if total else np.nan,
            },
            index=pd.Index(labels, dtype=object),
        )
    per_person = base.sum(axis=1)
    n_chosen = pd.Series(
        np.bincount(per_person, minlength=len(options) + 1), name="respondents"
    ).rename_axis("chosen")
    together = pd.DataFrame(
        base.T.astype(np.int64) @ base.astype(np.int64), index=labels, columns=labels
    )
    by_group = None
    if by is not None:
        grp = _answers(frame, by, book, lang, None, "by", substantive_only=True)
        rows = []
        for position, _label in enumerate(grp.labels):
            members = answered & (grp.cat == position)
            k = int(members.sum())
            rows.append(
                100.0 * picked[members].sum(axis=0) / k if k else np.full(len(options), np.nan)
            )
        by_group = pd.DataFrame(np.column_stack(rows), index=labels, columns=list(grp.labels))
    if sort is not None:
        other = np.asarray([bool(_OTHER.match(lab)) for lab in labels])
        key = -counts if sort == "descending" else counts
        order = np.lexsort((key, other))
        table = table.iloc[order]
        together = together.iloc[order, order]
        if by_group is not None:
            by_group = by_group.iloc[order]
    return MultiResponseTable(
        options=tuple(str(o) for o in options),
        table=table,
        n_chosen=n_chosen,
        mean_chosen=float(per_person.mean()) if n_base else float("nan"),
        together=together,
        by_group=by_group,
        n_base=n_base,
        n_excluded=len(frame) - n_base,
        min_group_size=threshold,
        decimals=int(decimals),
        lang=lang,
        title=title or ("Meer antwoorden mogelijk" if lang == "nl" else "Multiple response"),
    )


def _multi_item_columns(
    item: str, book: Instrument | None, lang: str, chosen: Any
) -> tuple[list[str], dict[str, str]]:
    """The coded option columns of a check-all-that-apply item, and their labels."""
    from peoscales.instruments.model import option_column

    entry = book.items.get(item) if book is not None else None
    if book is None or entry is None or book.response_scale_of(item).kind != "multi":
        where = f"codebook {book.name!r}" if book is not None else "no codebook"
        raise ParameterError(
            f"options={item!r}: a single name must be a check-all-that-apply (multi) item "
            f"of the codebook ({where} has none by that name). Pass a coded wave or "
            "codebook=..., or list the option columns: options=['col_a', 'col_b', ...]."
        )
    if chosen is not None:
        raise ParameterError(
            f"chosen={chosen!r} does not apply to check-all-that-apply item {item!r}: its "
            "options are chosen or not. Leave chosen out."
        )
    opts = book.response_scale_of(item).options
    columns = [option_column(item, o) for o in opts]
    return columns, {c: o.label(lang) for c, o in zip(columns, opts, strict=True)}


def _is_code(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def _checked(series: pd.Series, name: Hashable) -> np.ndarray:
    """A check-box column as chosen (True) or not: any non-empty value but 0/False."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.fillna(False).to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = series.to_numpy(dtype=float, na_value=np.nan)
        bad = ~np.isnan(values) & ~np.isin(values, (0.0, 1.0))
        if bad.any():
            raise ParameterError(
                f"option {name!r} holds numbers other than 0 and 1 "
                f"({preview(sorted(set(values[bad].tolist())))}); a check-box column is 1 or "
                "empty when chosen or not. For coded answers, say which count with chosen=."
            )
        return values == 1.0
    text = series.astype("string").str.strip()
    return (text.notna() & (text != "") & (text != "0")).to_numpy(dtype=bool)
