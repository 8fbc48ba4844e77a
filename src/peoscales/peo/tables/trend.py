"""Trends across waves: the items two or more waves share, with tests of change."""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from peoscales._kernels.groups import oneway_anova, welch_anova
from peoscales._kernels.peo_tables import (
    cochran_armitage,
    linear_by_linear,
    round_half_up,
)
from peoscales._kernels.posthoc import ADJUST_METHODS, p_adjust
from peoscales._results import apa_number, apa_p, format_p, stars
from peoscales._stack import user_stacklevel
from peoscales._validation import as_frame, check_option, check_probability, preview, suggest
from peoscales.errors import DataTypeError, ParameterError, SmallExpectedCountWarning
from peoscales.instruments.model import Instrument
from peoscales.peo.tables.answers import _answers, _check_lang, _check_threshold
from peoscales.peo.tables.common import _ReportTable, _t
from peoscales.peo.tables.crosstabs import _association
from peoscales.peo.tables.frequency import frequency_table
from peoscales.peo.tables.groupings import GroupingSpec

#: Columns of :attr:`TrendTable.means`.
_MEAN_COLUMNS = ["n", "mean", "sd", "ci_low", "ci_high"]


@dataclass(frozen=True, eq=False, repr=False)
class TrendTable(_ReportTable):
    """Items followed across two or more waves: shares (and means) per wave, tests of change.

    Attributes
    ----------
    waves : tuple of str
        The waves, in the order given (the order of a trend).
    percentages : DataFrame
        Rows (item, answer), one column per wave; unrounded percentages of the
        substantive answers. NaN where a wave lacks the item.
    counts : DataFrame
        The counts behind ``percentages`` (nullable integers, ``<NA>`` where a wave
        lacks the item).
    tests : DataFrame
        One row per item (by its label; ``item_id`` is its id in the first wave that
        has it): ``chi2``, ``df``, ``p``, ``cramers_v`` of the waves x
        answers table; ``trend_test`` (``"cochran_armitage"``, ``"linear_by_linear"``
        or ``""``), ``trend_chi2``, ``trend_p``; ``p_adjusted`` and
        ``trend_p_adjusted`` (by ``adjust``, over the items); ``n_excluded``, the
        respondents of the waves with the item who gave no substantive answer (no
        answer, not asked, ``weet niet``).
    means : DataFrame
        For numeric items, rows (item, wave): ``n``, ``mean``, ``sd``, ``ci_low``,
        ``ci_high``.
    mean_tests : DataFrame
        For numeric items, one row each: one-way ANOVA across the waves (``f``,
        ``df1``, ``df2``, ``p``, ``eta2``, ``omega2``), Welch's ANOVA (``welch_f``,
        ``welch_df2``, ``welch_p``) and ``p_adjusted``.
    missing_waves : dict
        Item label to the waves that lack it (not in their codebook, or not in
        their data); the item is trended over the other waves.
    skipped : dict
        Linked items that could not be trended, with the reason.
    ordered, wave_scores, adjust, confidence
        The options the trend was made with (``wave_scores``: the score of each wave
        in the trend tests).
    """

    waves: tuple[str, ...]
    percentages: pd.DataFrame
    counts: pd.DataFrame
    tests: pd.DataFrame
    means: pd.DataFrame
    mean_tests: pd.DataFrame
    missing_waves: Mapping[str, tuple[str, ...]]
    skipped: Mapping[str, str]
    ordered: bool
    wave_scores: tuple[float, ...]
    adjust: str
    confidence: float
    decimals: int
    min_group_size: int
    lang: str
    title: str = "Trend across waves"
    grouping_notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """Percentages per wave (unrounded)."""
        return self.percentages.copy()

    def _small(self, item: str, wave: str) -> bool:
        n = self.counts.loc[item, wave].sum(min_count=1)
        return bool(not pd.isna(n) and n < self.min_group_size)

    def display_frame(self) -> pd.DataFrame:
        """Rounded percentages per wave, the base n per wave, the mean with its interval
        (numeric items), and the p-values of the tests of change."""
        mark = f"<{self.min_group_size}"
        adjusted = self.adjust != "none"
        rows: list[tuple[str, str]] = []
        cells: list[list[str]] = []
        for item in dict.fromkeys(self.percentages.index.get_level_values(0)):
            pct = self.percentages.loc[item]
            counts = self.counts.loc[item]
            test = self.tests.loc[item]
            small = {w: self._small(item, w) for w in self.waves}
            p_value = test["p_adjusted"] if adjusted else test["p"]
            trend_p = test["trend_p_adjusted"] if adjusted else test["trend_p"]
            for position, answer in enumerate(pct.index):
                row = [
                    mark if small[w] else ("" if np.isnan(v) else self._percent(float(v)))
                    for w, v in zip(self.waves, pct.loc[answer].to_numpy(dtype=float))
                ]
                first = position == 0
                row += [_p_text(p_value) if first else "", _p_text(trend_p) if first else ""]
                rows.append((item, str(answer)))
                cells.append(row)
            totals = counts.sum(axis=0, min_count=1)
            rows.append((item, _t("n", self.lang)))
            cells.append(
                [
                    "" if pd.isna(totals[w]) else (mark if small[w] else str(int(totals[w])))
                    for w in self.waves
                ]
                + ["", ""]
            )
            if item in self.mean_tests.index:
                means = self.means.loc[item]
                row = []
                for w in self.waves:
                    if w not in means.index or means.loc[w, "n"] == 0:
                        row.append("")
                    elif small[w]:
                        row.append(mark)
                    else:
                        m = means.loc[w]
                        row.append(
                            f"{apa_number(m['mean'])} [{apa_number(m['ci_low'])}, "
                            f"{apa_number(m['ci_high'])}]"
                        )
                mt = self.mean_tests.loc[item]
                row += [_p_text(mt["p_adjusted"] if adjusted else mt["p"]), ""]
                rows.append((item, _t("mean_ci", self.lang, c=f"{100 * self.confidence:g}")))
                cells.append(row)
        p_name = "p (adj.)" if adjusted else "p"
        columns = [*self.waves, p_name, f"{p_name} trend"]
        names = [_t("item", self.lang), _t("answer", self.lang)]
        index = pd.MultiIndex.from_tuples(rows, names=names)
        return pd.DataFrame(cells, index=index, columns=columns)

    def _percent(self, value: float) -> str:
        shown = float(round_half_up(np.asarray([value]), self.decimals)[0])
        return f"{shown:.{self.decimals}f}"

    def notes(self) -> list[str]:
        """The percentage base, the tests per item, the waves that lack an item."""
        out = [_t("substantive", self.lang, ns=_t("dontknow", self.lang))]
        names = {
            "cochran_armitage": "Cochran–Armitage",
            "linear_by_linear": "linear-by-linear" if self.lang == "en" else "lineair-bij-lineair",
        }
        for item, r in self.tests.iterrows():
            text = (
                f"{item}: χ²({int(r['df'])}) = {apa_number(r['chi2'])}, {apa_p(r['p'])}, "
                f"V = {apa_number(r['cramers_v'], leading_zero=False)}"
                if not math.isnan(r["chi2"])
                else f"{item}: χ² —"
            )
            if r["trend_test"] and not math.isnan(r["trend_chi2"]):
                text += (
                    f"; trend ({names[r['trend_test']]}) χ²(1) = "
                    f"{apa_number(r['trend_chi2'])}, {apa_p(r['trend_p'])}"
                )
            out.append(text)
        for item, r in self.mean_tests.iterrows():
            if math.isnan(r["f"]):
                continue
            text = (
                f"{item}: F({int(r['df1'])}, {int(r['df2'])}) = {apa_number(r['f'])}, "
                f"{apa_p(r['p'])}, η² = {apa_number(r['eta2'], leading_zero=False)}, "
                f"ω² = {apa_number(r['omega2'], leading_zero=False)}"
            )
            if not math.isnan(r["welch_f"]):
                text += (
                    f"; Welch F({int(r['df1'])}, {apa_number(r['welch_df2'], 1)}) = "
                    f"{apa_number(r['welch_f'])}, {apa_p(r['welch_p'])}"
                )
            out.append(text)
        if self.adjust != "none":
            out.append(_t("adjusted", self.lang, method=self.adjust))
        # one note per set of lacking waves, not one per item
        lacking: dict[tuple[str, ...], list[str]] = {}
        for item, waves in self.missing_waves.items():
            lacking.setdefault(tuple(waves), []).append(item)
        out += [
            _t("not_in_wave", self.lang, waves=", ".join(waves), items="; ".join(items))
            for waves, items in lacking.items()
        ]
        if any(self._small(i, w) for i in self.tests.index for w in self.waves):
            out.append(_t("suppressed", self.lang, k=self.min_group_size))
        out += [f"{item}: {why}" for item, why in self.skipped.items()]
        out.extend(self.grouping_notes)
        return out

    def plot(
        self, item: str | None = None, *, kind: str | None = None, ax: Any = None, **style: Any
    ) -> Any:
        """Shares (or the mean with its interval) of one item per wave as a line chart;
        see :func:`peoscales.plot.trend`.

        ``item`` is an item's label or id (default: the first item); ``kind`` is
        ``"shares"`` or ``"mean"`` (default: the mean of a numeric item). Waves whose
        base is below ``min_group_size`` are left out of the lines.
        """
        from peoscales import plot

        label = self._label_of(item)
        if kind is None:
            kind = "mean" if label in self.mean_tests.index else "shares"
        check_option("kind", kind, ("shares", "mean"))
        hidden = [w for w in self.waves if self._small(label, w)]
        n = self.counts.loc[label].sum(axis=0, min_count=1)
        present = [w for w in self.waves if not pd.isna(n[w])]
        style.setdefault("title", label)
        style.setdefault("lang", self.lang)
        if kind == "mean":
            if label not in self.mean_tests.index:
                raise ParameterError(
                    f"kind='mean' needs a numeric item; {label!r} has answer categories. "
                    "Use kind='shares'."
                )
            frame = self.means.loc[label].reindex(present)[["mean", "ci_low", "ci_high"]]
        else:
            frame = self.percentages.loc[label].T.reindex(present)
        frame.loc[hidden] = np.nan
        return plot.trend(frame, kind=kind, n=[int(n[w]) for w in present], ax=ax, **style)

    def _label_of(self, item: str | None) -> str:
        labels = list(self.tests.index)
        if item is None:
            return str(labels[0])
        if item in labels:
            return item
        ids = dict(zip(self.tests["item_id"], labels))
        if item in ids:
            return str(ids[item])
        raise ParameterError(
            f"item={item!r} is not an item of this trend; its items are "
            f"{preview(list(ids) + labels, 12)}."
        )

    _css = "waves"


def _p_text(p: float) -> str:
    return "" if p is None or math.isnan(p) else f"{format_p(p)}{stars(p)}"


# --------------------------------------------------------------------------------------
# Reading the waves and linking their items
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Wave:
    name: str
    data: pd.DataFrame
    book: Instrument


def _read_waves(waves: Any, codebooks: Mapping[str, Instrument | str] | None) -> list[_Wave]:
    """The waves as (name, coded data, codebook), in the order given."""
    from peoscales._io import SurveyExport
    from peoscales.peo.coding import CodedWave, code_wave, get_codebook

    books = dict(codebooks or {})
    if isinstance(waves, Mapping):
        given = list(waves.items())
    elif isinstance(waves, Sequence) and not isinstance(waves, str):
        given = []
        for position, value in enumerate(waves):
            if not isinstance(value, CodedWave):
                raise DataTypeError(
                    f"waves[{position}] is a {type(value).__name__}; a list of waves must hold "
                    "coded waves (peoscales.peo.code_wave). Give other data as a mapping of "
                    "wave name to data: {'2021-09': data_2021, '2022-04': data_2022}."
                )
            given.append((value.wave, value))
    else:
        raise DataTypeError(
            f"waves must be a mapping of wave name to coded data, or a list of coded waves; "
            f"got {type(waves).__name__}."
        )
    unknown_books = sorted(set(books) - {str(name) for name, _ in given})
    if unknown_books:
        raise ParameterError(
            f"codebooks names wave(s) {preview(unknown_books)} that are not in waves "
            f"({preview([str(n) for n, _ in given])})."
        )
    for name, book_value in books.items():
        if not isinstance(book_value, (Instrument, str)):
            raise ParameterError(
                f"codebooks[{name!r}] must be a codebook or a wave's name such as '2021-09', "
                f"got {type(book_value).__name__}."
            )
    out: list[_Wave] = []
    for name, value in given:
        name = str(name)
        book_given = books.get(name)
        if isinstance(value, CodedWave):
            book = get_codebook(book_given) if book_given is not None else value.codebook
            out.append(_Wave(name, value.data, book))
            continue
        if not isinstance(value, (SurveyExport, pd.DataFrame)):
            raise DataTypeError(
                f"waves[{name!r}] is a {type(value).__name__}; give the wave's coded data "
                "(a DataFrame or peoscales.peo.code_wave's result) or its survey export "
                "(peoscales.read_survey)."
            )
        wave_book = _codebook_named(name) if book_given is None else get_codebook(book_given)
        if isinstance(value, SurveyExport):
            coded = code_wave(value, wave=wave_book)
            out.append(_Wave(name, coded.data, coded.codebook))
        else:
            out.append(_Wave(name, as_frame(value, f"waves[{name!r}]"), wave_book))
    names = [w.name for w in out]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ParameterError(f"waves holds wave(s) {preview(twice)} twice; name each wave once.")
    if len(out) < 2:
        raise ParameterError(f"A trend needs two or more waves; got {len(out)} ({preview(names)}).")
    return out


def _links(a: Instrument, b: Instrument) -> list[tuple[str, str]]:
    wave_a, wave_b = a.wave or a.name, b.wave or b.name
    pairs = []
    for item in a.items.values():
        for ref in item.same_as:
            wave, _, other = ref.partition(":")
            if wave in (wave_b, b.name) and other in b.items:
                pairs.append((item.id, other))
    for item in b.items.values():
        for ref in item.same_as:
            wave, _, other = ref.partition(":")
            if wave in (wave_a, a.name) and other in a.items:
                pairs.append((other, item.id))
    return list(dict.fromkeys(pairs))


def _codebook_named(name: str) -> Instrument:
    """The codebook of the wave a key of ``waves`` names."""
    from peoscales.errors import InstrumentNotFoundError
    from peoscales.peo.coding import get_codebook

    try:
        return get_codebook(name)
    except InstrumentNotFoundError as error:
        raise InstrumentNotFoundError(
            f"waves[{name!r}]: {error} Name the key after its wave, or give its codebook: "
            f"codebooks={{{name!r}: ...}}."
        ) from None


def _chains(books: Sequence[Instrument]) -> list[tuple[str | None, ...]]:
    """Items linked across the waves (``same_as`` in any codebook, in either direction):
    per chain, the item id of each wave (None where the wave lacks it), in the order of
    the first wave that has the item."""
    parent: dict[tuple[int, str], tuple[int, str]] = {}

    def root(node: tuple[int, str]) -> tuple[int, str]:
        while parent.get(node, node) != node:
            node = parent[node]
        return node

    for i in range(len(books)):
        for j in range(i + 1, len(books)):
            for a, b in _links(books[i], books[j]):
                ra, rb = root((i, a)), root((j, b))
                if ra != rb:
                    parent[rb] = ra
    members: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for w, book in enumerate(books):
        for item_id in book.items:
            members.setdefault(root((w, item_id)), []).append((w, item_id))
    chains = []
    for nodes in members.values():
        chain: list[str | None] = [None] * len(books)
        for w, item_id in nodes:
            chain[w] = chain[w] or item_id
        chains.append(tuple(chain))
    return chains


def _chosen_chains(
    chains: list[tuple[str | None, ...]], items: Sequence[str] | str | None, waves: list[_Wave]
) -> list[tuple[str | None, ...]]:
    linked = [c for c in chains if sum(i is not None for i in c) >= 2]
    if items is None:
        if not linked:
            raise ParameterError(
                f"The codebooks of {preview([w.name for w in waves])} link no items "
                "(same_as); nothing to trend."
            )
        return linked
    wanted = [items] if isinstance(items, str) else list(items)
    if not wanted:
        raise ParameterError("items is empty; give item ids, or None for every linked item.")
    odd = [i for i in wanted if not isinstance(i, str)]
    if odd:
        raise ParameterError(f"items must be item ids (text), got {preview(odd)}.")
    chosen: list[tuple[str | None, ...]] = []
    for item in wanted:
        found = next((c for c in chains if item in c), None)
        if found is None:
            everything = [i for w in waves for i in w.book.items]
            close = suggest(item, everything)
            hint = f" Did you mean {preview(close)}?" if close else ""
            raise ParameterError(
                f"items: {item!r} is not an item of the codebooks of "
                f"{preview([w.name for w in waves])}.{hint}"
            )
        if found not in linked:
            wave = next(w.name for w, i in zip(waves, found) if i is not None)
            raise ParameterError(
                f"items: {item!r} ({wave}) has no same_as link to another wave; linked "
                f"items: {preview([next(i for i in c if i) for c in linked], 12)}."
            )
        if found not in chosen:
            chosen.append(found)
    return chosen


# --------------------------------------------------------------------------------------
# One implementation behind trend and compare_waves
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Parts:
    percentages: pd.DataFrame
    counts: pd.DataFrame
    tests: pd.DataFrame
    means: pd.DataFrame
    mean_tests: pd.DataFrame
    missing_waves: dict[str, tuple[str, ...]]
    skipped: dict[str, str]
    grouping_notes: tuple[str, ...]


def _trend_parts(
    waves: list[_Wave],
    chains: list[tuple[str | None, ...]],
    *,
    grouping: GroupingSpec | None,
    answer: str | None,
    ordered: bool,
    scores: np.ndarray,
    confidence: float,
    lang: str,
    with_means: bool,
) -> _Parts:
    """Shares, tests and means per linked item; items that cannot be trended are
    listed in ``skipped``. Warns once when expected counts are small."""
    from scipy import stats

    names = [w.name for w in waves]
    rows_pct: list[pd.DataFrame] = []
    rows_n: list[pd.DataFrame] = []
    tests: list[dict[str, Any]] = []
    mean_rows: list[pd.DataFrame] = []
    mean_tests: list[dict[str, Any]] = []
    missing_waves: dict[str, tuple[str, ...]] = {}
    skipped: dict[str, str] = {}
    sparse: list[str] = []
    grouping_notes: list[str] = []
    for chain in chains:
        in_book = [w for w, i in enumerate(chain) if i is not None]
        key = str(chain[in_book[0]])
        scales = {w: waves[w].book.response_scale_of(str(chain[w])) for w in in_book}
        if any(rs.kind == "text" for rs in scales.values()):
            skipped[key] = "open question"
            continue
        # a codebook grouping's name applies to the items whose answer scale has it
        applies = grouping
        if isinstance(grouping, str) and not all(
            grouping in rs.groupings for rs in scales.values()
        ):
            applies = None
        first = scales[in_book[0]]
        differ = next(
            (rs for rs in scales.values() if rs.substantive_codes != first.substantive_codes),
            None,
        )
        if differ is not None and applies is None:
            skipped[key] = (
                f"answer codes differ between the waves ({preview(first.substantive_codes)} vs "
                f"{preview(differ.substantive_codes)})"
            )
            continue
        present = [w for w in in_book if chain[w] in waves[w].data.columns]
        if len(present) < 2:
            if len(waves) == 2:
                skipped[key] = "not in the data of both waves"
            elif present:
                skipped[key] = f"only in the data of {names[present[0]]}"
            else:
                skipped[key] = "in the data of no wave"
            continue
        numeric = all(scales[w].kind == "numeric" for w in present)
        # numbers (a 1-10 mark, a percentage) are compared in their report bands
        use = applies
        if use is None and numeric and all("bands" in scales[w].groupings for w in present):
            use = "bands"
        tables = {
            w: frequency_table(
                waves[w].data,
                chain[w],
                codebook=waves[w].book,
                percent_of="substantive",
                lang=lang,
                grouping=use,
            )
            for w in present
        }
        answers = {w: t.table.index[t.table["kind"] == "answer"] for w, t in tables.items()}
        reference = answers[present[0]]
        if any(len(a) != len(reference) for a in answers.values()) or (
            applies is not None and any(list(a) != list(reference) for a in answers.values())
        ):
            skipped[key] = (
                f"the answers differ between the waves ({preview(list(reference))} vs "
                f"{preview(next(list(a) for a in answers.values() if list(a) != list(reference)))})"
            )
            continue
        label = tables[present[0]].label
        for t in tables.values():
            grouping_notes.extend(n for n in t.grouping_notes if n not in grouping_notes)
        counts = np.column_stack(
            [t.table.loc[t.table["kind"] == "answer", "n"].to_numpy() for t in tables.values()]
        )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", SmallExpectedCountWarning)
            assoc = _association(counts, key, "wave")
        for caught_warning in caught:
            if issubclass(caught_warning.category, SmallExpectedCountWarning):
                sparse.append(label)
            else:  # pragma: no cover - no other warning is expected here
                warnings.warn(
                    caught_warning.message, caught_warning.category, stacklevel=user_stacklevel()
                )
        lacking = tuple(names[w] for w in range(len(waves)) if w not in present)
        if lacking:
            missing_waves[label] = lacking
        full = np.full((counts.shape[0], len(waves)), np.nan)
        full[:, present] = counts
        index = pd.MultiIndex.from_product([[label], list(reference)], names=["item", "answer"])
        rows_n.append(pd.DataFrame(full, index=index, columns=names))
        with np.errstate(invalid="ignore", divide="ignore"):
            rows_pct.append(
                pd.DataFrame(
                    100.0 * full / full.sum(axis=0, keepdims=True), index=index, columns=names
                )
            )
        trend_test, trend_chi2, trend_p = "", np.nan, np.nan
        if ordered:
            wave_scores = scores[present]
            k = counts.shape[0]
            if answer is not None:
                labels = [str(a) for a in reference]
                if answer not in labels:
                    raise ParameterError(
                        f"answer={answer!r} is not an answer of item {key!r} (after grouping); "
                        f"its answers are {preview(labels)}."
                    )
                trend_test = "cochran_armitage"
                trend_chi2, trend_p = cochran_armitage(
                    counts[labels.index(answer)], counts.sum(axis=0), wave_scores
                )
            elif k == 2:
                trend_test = "cochran_armitage"
                trend_chi2, trend_p = cochran_armitage(counts[0], counts.sum(axis=0), wave_scores)
            elif all(scales[w].kind != "nominal" for w in present):
                # ordered answers: scored by their position (equally spaced)
                trend_test = "linear_by_linear"
                trend_chi2, trend_p = linear_by_linear(counts, np.arange(1.0, k + 1.0), wave_scores)
        tests.append(
            {
                "item": label,
                "item_id": key,
                "chi2": assoc.chi2,
                "df": assoc.df,
                "p": assoc.p,
                "cramers_v": assoc.cramers_v,
                "trend_test": trend_test,
                "trend_chi2": trend_chi2,
                "trend_p": trend_p,
                "n_excluded": sum(t.n_total - t.n_base for t in tables.values()),
            }
        )
        if with_means and numeric:
            values = [
                _answers(waves[w].data, chain[w], waves[w].book, lang).values for w in present
            ]
            samples = [v[~np.isnan(v)] for v in values]
            n = np.array([s.size for s in samples], dtype=np.float64)
            mean = np.array([s.mean() if s.size else np.nan for s in samples])
            var = np.array([s.var(ddof=1) if s.size > 1 else np.nan for s in samples])
            sd = np.sqrt(var)
            with np.errstate(invalid="ignore", divide="ignore"):
                half = stats.t.ppf(0.5 + confidence / 2, n - 1) * sd / np.sqrt(n)
            mean_rows.append(
                pd.DataFrame(
                    {
                        "n": n.astype(np.int64),
                        "mean": mean,
                        "sd": sd,
                        "ci_low": mean - half,
                        "ci_high": mean + half,
                    },
                    index=pd.MultiIndex.from_product(
                        [[label], [names[w] for w in present]], names=["item", "wave"]
                    ),
                )
            )
            mean_tests.append({"item": label, **_mean_tests(n, mean, var)})
    if sparse:
        # One warning for the comparison, not one per item.
        sparse = list(dict.fromkeys(sparse))
        warnings.warn(
            f"Expected counts are small in the wave comparison of {len(sparse)} item(s): "
            f"{preview(sparse, 5)}; their chi-square p-values may be inaccurate. Group the "
            "answers (a codebook grouping such as 'dichotomy'), or read these tests with care.",
            SmallExpectedCountWarning,
            stacklevel=user_stacklevel(),
        )
    if not tests:
        raise ParameterError(
            f"No linked item could be compared: {preview([f'{k}: {v}' for k, v in skipped.items()])}."
        )
    empty_means = pd.DataFrame(
        columns=_MEAN_COLUMNS,
        index=pd.MultiIndex.from_arrays([[], []], names=["item", "wave"]),
        dtype=float,
    )
    mean_columns = ["f", "df1", "df2", "p", "eta2", "omega2", "welch_f", "welch_df2", "welch_p"]
    return _Parts(
        percentages=pd.concat(rows_pct),
        counts=pd.concat(rows_n).astype("Int64"),
        tests=pd.DataFrame(tests).set_index("item"),
        means=pd.concat(mean_rows) if mean_rows else empty_means,
        mean_tests=(
            pd.DataFrame(mean_tests).set_index("item")
            if mean_tests
            else pd.DataFrame(columns=mean_columns, index=pd.Index([], name="item"), dtype=float)
        ),
        missing_waves=missing_waves,
        skipped=skipped,
        grouping_notes=tuple(grouping_notes),
    )


def _mean_tests(n: np.ndarray, mean: np.ndarray, var: np.ndarray) -> dict[str, float]:
    """One-way ANOVA and Welch's ANOVA of the waves with values (the kernels of
    :func:`peoscales.anova`)."""
    out = dict.fromkeys(
        ["f", "df1", "df2", "p", "eta2", "omega2", "welch_f", "welch_df2", "welch_p"], np.nan
    )
    used = n > 0
    n, mean, var = n[used], mean[used], np.where(n[used] > 1, var[used], 0.0)
    if n.size < 2 or n.sum() <= n.size:
        return out
    classic = oneway_anova(n, mean, var)
    out.update(
        f=classic["F"], df1=float(n.size - 1), df2=float(n.sum() - n.size), p=classic["p"],
        eta2=classic["eta2"], omega2=classic["omega2"],
    )  # fmt: skip
    if (n >= 2).all() and (var > 0).all():
        welch = welch_anova(n, mean, var)
        out.update(welch_f=welch["F"], welch_df2=welch["df2"], welch_p=welch["p"])
    return out


def _adjusted(p: pd.Series, method: str) -> np.ndarray:
    values = p.to_numpy(dtype=float)
    out = np.full(values.shape, np.nan)
    ok = ~np.isnan(values)
    out[ok] = p_adjust(values[ok], method)
    return out


# --------------------------------------------------------------------------------------
# The public function
# --------------------------------------------------------------------------------------


def trend(
    waves: Mapping[str, Any] | Sequence[Any],
    items: Sequence[str] | str | None = None,
    *,
    codebooks: Mapping[str, Instrument | str] | None = None,
    grouping: GroupingSpec | None = None,
    answer: str | None = None,
    ordered: bool = True,
    wave_scores: Sequence[float] | None = None,
    adjust: str = "none",
    confidence: float = 0.95,
    lang: str = "nl",
    decimals: int = 0,
    min_group_size: int | None = 5,
    title: str | None = None,
) -> TrendTable:
    """Follow items across two or more waves: shares (and means) per wave, tests of change.

    Items are linked through the codebooks' ``same_as`` entries, in any codebook and
    either direction (``same_as = ["2021-09:equipped"]``). An item that some waves lack
    (not in their codebook or not in their data) is trended over the others, and
    :attr:`TrendTable.missing_waves` names the waves that lack it. With two waves this
    is :func:`compare_waves`, which gives the same numbers.

    Parameters
    ----------
    waves : mapping of wave name to data, or list of CodedWave
        The waves in time order: coded waves (:func:`peoscales.peo.code_wave`), coded
        DataFrames (their codebook is the wave named by the key, or ``codebooks``) or
        survey exports as read (:func:`peoscales.read_survey`; coded with the key's
        wave). Never modified.
    items : str or list of str, optional
        Item ids (of any wave) to trend; default every item linked across two or more
        waves.
    codebooks : mapping of wave name to codebook, optional
        Codebooks (or their wave names) for waves whose key is not a wave's name.
    grouping : str or mapping, optional
        A grouping of the answers (``"dichotomy"``, a mapping of new label to answers,
        :func:`bands`, :func:`versus_rest`), used in every wave. A grouping's name
        applies to the items whose answer scale defines it; numeric items without a
        grouping are shown in their codebook's ``bands``.
    answer : str, optional
        The answer (after grouping) whose share the trend test follows; default: the
        first answer when there are two.
    ordered : bool, default True
        The waves are in time order: add a test for a trend (see Notes).
    wave_scores : sequence of float, optional
        Scores of the waves for the trend test (default 1, 2, 3, ...), e.g. the years.
    adjust : {"none", "holm", "bonferroni", "fdr_bh"}
        Adjustment of the p-values for the number of items (``p_adjusted``).
    confidence : float, default 0.95
        Confidence level of the intervals of the means.
    lang, decimals, min_group_size, title
        As in :func:`frequency_table`; a wave with fewer respondents than
        ``min_group_size`` is not shown.

    Returns
    -------
    TrendTable

    Raises
    ------
    ParameterError
        Fewer than two waves, an item that no codebook has or that links to no other
        wave, a wave name given twice, an ``answer`` an item does not have.
    DataTypeError
        A wave that is not coded data or a survey export.

    Notes
    -----
    Shares are percentages of the substantive answers. Change across the waves is
    tested on the waves x answers table with Pearson's chi-square without continuity
    correction (df = (answers − 1)(waves − 1)) and Cramér's V. The waves are
    independent samples (PEO responses are anonymous). With ``ordered`` and two
    answers (or an ``answer``), the Cochran–Armitage test for a trend in the share
    :math:`p_i = x_i / n_i` over wave scores :math:`s_i` (Armitage, 1955; R's
    ``prop.trend.test``):

    .. math:: \\chi^2_1 = \\frac{\\left(\\sum_i x_i (s_i - \\bar s)\\right)^2}
              {\\bar p (1 - \\bar p) \\sum_i n_i (s_i - \\bar s)^2},
              \\quad \\bar s = \\frac{\\sum_i n_i s_i}{N}, \\; \\bar p = \\frac{\\sum_i x_i}{N};

    with more ordered answers (scored 1, 2, ...), the linear-by-linear association
    test :math:`M^2 = (N - 1) r^2`, with :math:`r` the correlation of answer and wave
    scores over the respondents (Agresti, 2007, *An Introduction to Categorical Data
    Analysis*, sec. 2.5). For numeric items the mean per wave has a t interval
    :math:`\\bar x \\pm t_{n-1} s / \\sqrt n`; the waves' means are compared with
    one-way ANOVA (η², ω²) and Welch's ANOVA (R's ``oneway.test``).

    Examples
    --------
    >>> import pandas as pd
    >>> from peoscales import peo
    >>> answers = peo.get_codebook("2021-09").response_scale_of("equipped").options
    >>> def wave(counts):  # coded data: one row per respondent
    ...     return pd.DataFrame({"equipped": [o.code for o, k in zip(answers, counts)
    ...                                       for _ in range(k)]})
    >>> t = peo.trend({"2020-05": wave([5, 30, 120, 25]), "2021-09": wave([8, 50, 100, 20]),
    ...                "2022-04": wave([12, 50, 100, 18])}, "equipped", grouping="dichotomy")
    >>> t.percentages.round(1).to_numpy().tolist()
    [[19.4, 32.6, 34.4], [80.6, 67.4, 65.6]]
    >>> r = t.tests.iloc[0]  # R: chisq.test(correct = FALSE), prop.trend.test
    >>> round(float(r.chi2), 3), int(r.df), r.trend_test, round(float(r.trend_chi2), 3)
    (11.72, 2, 'cochran_armitage', 9.873)
    """
    lang = _check_lang(lang)
    threshold = _check_threshold(min_group_size)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 3:
        raise ParameterError(f"decimals must be a whole number from 0 to 3, got {decimals!r}.")
    check_option("adjust", adjust, tuple(ADJUST_METHODS))
    level = check_probability("confidence", confidence)
    if not isinstance(ordered, (bool, np.bool_)):
        raise ParameterError(f"ordered must be True or False, got {ordered!r}.")
    read = _read_waves(waves, codebooks)
    if wave_scores is None:
        scores = np.arange(1.0, len(read) + 1.0)
    else:
        try:
            scores = np.asarray(list(wave_scores), dtype=np.float64)
        except (TypeError, ValueError):
            raise ParameterError(
                f"wave_scores must be numbers, one per wave; got {wave_scores!r}."
            ) from None
        if scores.shape != (len(read),) or not np.isfinite(scores).all():
            raise ParameterError(
                f"wave_scores must give one finite number per wave ({len(read)}: "
                f"{preview([w.name for w in read])}); got {list(wave_scores)!r}."
            )
    if answer is not None and not isinstance(answer, str):
        raise ParameterError(f"answer must be one answer's label, got {answer!r}.")
    chains = _chosen_chains(_chains([w.book for w in read]), items, read)
    if isinstance(grouping, str):
        scales = [
            [w.book.response_scale_of(str(i)) for w, i in zip(read, chain) if i is not None]
            for chain in chains
        ]
        if not any(all(grouping in rs.groupings for rs in chain) for chain in scales):
            available = sorted({g for chain in scales for rs in chain for g in rs.groupings})
            raise ParameterError(
                f"grouping={grouping!r} is not defined for any of the items trended; their "
                f"answer scales have groupings {preview(available, 12) or 'none'}. Give the "
                "grouping inline instead: a mapping of new label to answers, "
                "peoscales.peo.bands([...]) or peoscales.peo.versus_rest(...)."
            )
    parts = _trend_parts(
        read, chains, grouping=grouping, answer=answer, ordered=bool(ordered),
        scores=scores, confidence=level, lang=lang, with_means=True,
    )  # fmt: skip
    tests = parts.tests.assign(
        p_adjusted=_adjusted(parts.tests["p"], adjust),
        trend_p_adjusted=_adjusted(parts.tests["trend_p"], adjust),
    )
    mean_tests = parts.mean_tests.assign(p_adjusted=_adjusted(parts.mean_tests["p"], adjust))
    return TrendTable(
        waves=tuple(w.name for w in read),
        percentages=parts.percentages,
        counts=parts.counts,
        tests=tests,
        means=parts.means,
        mean_tests=mean_tests,
        missing_waves=parts.missing_waves,
        skipped=parts.skipped,
        ordered=bool(ordered),
        wave_scores=tuple(float(s) for s in scores),
        adjust=adjust,
        confidence=level,
        decimals=decimals,
        min_group_size=threshold,
        lang=lang,
        title=title or _t("trend_title", lang),
        grouping_notes=parts.grouping_notes,
    )
