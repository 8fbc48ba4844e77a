"""The drawing functions behind :mod:`peoscales.plot` (plain data in, ``Axes`` out)."""

from __future__ import annotations

import contextlib
import html
import io
import re
import textwrap
import warnings
from collections.abc import Hashable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from peoscales._results import format_p, stars
from peoscales.errors import ColumnError, DataTypeError, ParameterError, UnknownLabelError

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
_NEUTRAL = "#bdbdbd"
_BAND_SHADES = ("#f4a582", "#f7f7f7", "#92c5de", "#d1e5f0", "#fddbc7")

_TEXT: dict[str, dict[str, str]] = {
    "percent": {"nl": "Percentage", "en": "Percent"},
    "not_shown": {"nl": "niet getoond: {what}", "en": "not shown: {what}"},
    "suppressed": {
        "nl": "cellen met minder dan {k} waarnemingen niet getoond",
        "en": "cells with fewer than {k} observations not shown",
    },
    "mean": {"nl": "Gemiddelde", "en": "Mean"},
    "ci": {"nl": "{level:.0%}-betrouwbaarheidsinterval", "en": "{level:.0%} confidence interval"},
    "r_drop": {
        "nl": "Gecorrigeerde item-totaalcorrelatie",
        "en": "Corrected item-total correlation",
    },
    "alpha_if": {"nl": "Alfa zonder dit item", "en": "Alpha if item deleted"},
    "alpha_line": {"nl": "alfa van de schaal", "en": "scale alpha"},
    "beta": {"nl": "Gestandaardiseerde coëfficiënt β", "en": "Standardised coefficient β"},
    "step": {"nl": "Stap {k}", "en": "Step {k}"},
    "score": {"nl": "Score", "en": "Score"},
    "count": {"nl": "Aantal", "en": "Count"},
    "wave": {"nl": "Meting", "en": "Wave"},
    "share": {"nl": "Aandeel (%)", "en": "Share (%)"},
    "diagonal": {"nl": "diagonaal: alfa", "en": "diagonal: alpha"},
    "predictor": {"nl": "Voorspeller", "en": "Predictor"},
    "predicted": {"nl": "Voorspelde uitkomst", "en": "Predicted outcome"},
    "moderator": {"nl": "Moderator", "en": "Moderator"},
    "slope": {"nl": "Helling van de voorspeller", "en": "Slope of the predictor"},
    "jn": {"nl": "Johnson–Neyman-grens", "en": "Johnson–Neyman boundary"},
    "interval": {"nl": "betrouwbaarheidsinterval", "en": "confidence interval"},
    "band": {
        "nl": "vlakken: {level:.0%}-betrouwbaarheidsinterval",
        "en": "bands: {level:.0%} confidence interval",
    },
}


def _t(key: str, lang: str, **kwargs: Any) -> str:
    if lang not in ("nl", "en"):
        raise ParameterError(f"lang must be 'nl' or 'en', got {lang!r}.")
    text = _TEXT[key][lang]
    return text.format(**kwargs) if kwargs else text


def _esc(text: Any) -> str:
    """A label as literal text: a ``$`` is a dollar sign, never the start of mathtext."""
    return str(text).replace("$", r"\$")


def _axes(ax: Any, size: tuple[float, float]) -> Any:
    if ax is not None:
        return ax
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - the report extra installs it
        raise ImportError("Charts need matplotlib: pip install 'peoscales[report]'.") from exc
    _fig, new = plt.subplots(figsize=size)
    return new


def _tidy(ax: Any, title: str | None, n: Any, lang: str) -> None:
    """APA-like finish: no top/right spine, the title with n as its subtitle."""
    ax.spines[["top", "right"]].set_visible(False)
    parts = [textwrap.fill(_esc(title), 80)] if title else []
    if n is not None and np.ndim(n) == 0:
        parts.append(f"n = {int(n)}")
    if parts:
        ax.set_title("\n".join(parts), loc="left", fontsize=10)


def _frame(value: Any, argname: str) -> pd.DataFrame:
    if isinstance(value, pd.DataFrame):
        return value
    if isinstance(value, pd.Series):
        return value.to_frame()
    raise ParameterError(
        f"{argname} must be a pandas DataFrame, got {type(value).__name__}; "
        "build one with pd.DataFrame(...)."
    )


def _pct_text(values: np.ndarray, decimals: int) -> list[str]:
    from peoscales._kernels.peo_tables import round_half_up

    shown = round_half_up(np.asarray(values, dtype=float), decimals)
    return ["" if np.isnan(v) else f"{v:.{decimals}f}%" for v in shown]


# --------------------------------------------------------------------------------------
# Likert items
# --------------------------------------------------------------------------------------


def likert_percentages(
    data: pd.DataFrame,
    items: Sequence[Hashable],
    codes: Sequence[float],
    labels: Sequence[str] | None = None,
    *,
    by: Hashable | None = None,
) -> pd.DataFrame:
    """Percentages of each answer per item (and per group), counted in one pass.

    Parameters
    ----------
    data : DataFrame
        One row per respondent; the items hold numeric answer codes.
    items : sequence
        Columns of ``data`` answered on one response scale.
    codes : sequence of float
        The answer codes in scale order (non-substantive codes included, last).
    labels : sequence of str, optional
        The answer labels for the columns (default: the codes).
    by : column, optional
        Split each item by this column: the rows become ``(item, group)``.

    Returns
    -------
    DataFrame
        One row per item (or item and group), one column per answer with the
        percentage of the answered rows, and ``n`` (rows that answered). Missing
        answers are left out of the base.

    Notes
    -----
    Each answer code is counted over the whole ``items × respondents`` array in
    one vectorised comparison (a scale has a handful of codes), and groups are
    summed with one matrix product against the group indicator, so the cost is
    linear in the number of cells and there is no loop over items or people.
    Values outside ``codes`` are refused, with a few of them named.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1, 2, 2, np.nan], "b": [3, 3, 1, 2]})
    >>> likert_percentages(df, ["a", "b"], [1, 2, 3], ["no", "maybe", "yes"]).round(1)
         no  maybe   yes  n
    a  33.3   66.7   0.0  3
    b  25.0   25.0  50.0  4
    """
    items = list(items)
    missing = [c for c in [*items, *([by] if by is not None else [])] if c not in data.columns]
    if missing:
        raise ColumnError(f"data has no column(s) {missing[:5]!r}; check the item names.")
    code_arr = np.asarray(codes, dtype=float)
    names = [str(c) for c in (labels if labels is not None else codes)]
    if len(names) != len(code_arr):
        raise ParameterError(
            f"labels has {len(names)} entries but codes has {len(code_arr)}; give one per code."
        )
    from peoscales._kernels.likert import count_answers

    try:
        x = data[items].to_numpy(dtype=float).T
    except (TypeError, ValueError) as exc:
        raise DataTypeError(
            f"items must hold numeric answer codes; {exc}. Code the answers first "
            "(peoscales.score or peoscales.recode)."
        ) from exc
    if by is None:
        groups: list[Any] = []
        counts, answered = count_answers(x, code_arr)
    else:
        group, uniques = pd.factorize(data[by], sort=True)
        groups = list(uniques)
        counts, answered = count_answers(x, code_arr, group, len(groups))
    if np.any(answered != counts.sum(axis=2)):
        bad = x[~np.isnan(x) & ~np.isin(x, code_arr)]
        shown = sorted({float(v) for v in bad[:50]})[:5]
        raise UnknownLabelError(
            f"items hold codes outside codes={list(code_arr)}: {shown}; "
            "recode them or add them to codes."
        )
    m, k = len(items), len(code_arr)
    n_groups = counts.shape[0]
    totals = counts.sum(axis=2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.where(totals > 0, 100.0 * counts / np.maximum(totals, 1), np.nan)
    if by is None:
        index: pd.Index = pd.Index(items)
        flat_pct, flat_n = pct[0], totals[0, :, 0]
    else:
        index = pd.MultiIndex.from_product([items, groups], names=["item", by])
        flat_pct = pct.transpose(1, 0, 2).reshape(m * n_groups, k)
        flat_n = totals[:, :, 0].T.reshape(-1)
    out = pd.DataFrame(flat_pct, index=index, columns=names)
    out["n"] = flat_n.astype(np.int64)
    return out


def likert_scale(
    data: pd.DataFrame,
    instrument: Any,
    scale: str,
    *,
    by: Hashable | None = None,
    lang: str = "nl",
    title: str | None = None,
    ax: Any = None,
) -> Any:
    """Diverging Likert bars of one scale of an instrument, labelled from its definition.

    Parameters
    ----------
    data : DataFrame
        Item codes in the instrument's item columns.
    instrument : str or Instrument
        A registered instrument name (``"brs"``) or an :class:`~peoscales.Instrument`.
    scale : str
        The scale whose items to draw.
    by : column, optional
        Split each item by this column.
    lang, title, ax
        Language of the answer and item labels; title (default: the scale's
        label); the Axes.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Answers the response scale marks as non-substantive are counted in the
    base and left out of the bars (and named in the title), as in
    :func:`likert`. Item labels are the item's short text in ``lang``, else its
    text, else its id.

    Examples
    --------
    >>> import peoscales as ps
    >>> ax = likert_scale(ps.demo.load_mental_fitness(), "brs", "brs", lang="en")
    >>> [c.get_label() for c in ax.containers][:2]
    ['strongly disagree', 'disagree']
    """
    from peoscales.instruments import get_instrument

    inst = get_instrument(instrument) if isinstance(instrument, str) else instrument
    if scale not in inst.scales:
        raise UnknownLabelError(
            f"scale={scale!r} is not a scale of {inst.name!r}; choose one of {list(inst.scales)}."
        )
    items = inst.scale_items(scale)
    options = inst.response_scale_of(items[0].id).options
    labels = [o.labels.get(lang, o.labels.get("en", str(o.code))) for o in options]
    pct = likert_percentages(data, [i.id for i in items], [o.code for o in options], labels, by=by)

    def item_label(item: Any) -> str:
        for texts in (item.short, item.text):
            if texts:
                return str(texts.get(lang) or next(iter(texts.values())))
        return str(item.id)

    names = {i.id: item_label(i) for i in items}
    pct = pct.rename(index=names, level=0 if by is not None else None)
    skip = [label for label, o in zip(labels, options) if not o.substantive]
    info = inst.scales[scale]
    default = info.labels.get(lang) if getattr(info, "labels", None) else None
    return likert(
        pct, nonsubstantive=skip, n=len(data), title=title or default or scale, lang=lang, ax=ax
    )


def scale_labels(columns: Sequence[Hashable], lang: str = "nl") -> dict[Hashable, str]:
    """Labels of the columns that are named after a scale of a registered instrument.

    Parameters
    ----------
    columns : sequence
        Column names, such as the scores from :func:`peoscales.score`.
    lang : {"nl", "en"}

    Returns
    -------
    dict
        Column to label, for the columns that name a scale with a label in
        ``lang`` (or in English); other columns are left out.

    Examples
    --------
    >>> scale_labels(["brs", "age"], lang="en")
    {'brs': 'Resilience'}
    """
    from peoscales.instruments import get_instrument, list_instruments

    wanted = {c for c in columns if isinstance(c, str)}
    found: dict[Hashable, str] = {}
    for name in list_instruments().index:
        if not wanted - found.keys():
            break
        for sid, info in get_instrument(name).scales.items():
            texts = getattr(info, "labels", None) or {}
            label = texts.get(lang) or texts.get("en")
            if sid in wanted and sid not in found and label:
                found[sid] = str(label)
    return {c: found[c] for c in columns if c in found}


def _diverging_colors(k: int, neutral: int | None) -> list[Any]:
    from matplotlib import colormaps

    ramp = colormaps["RdBu"]
    colors = [ramp(v) for v in np.linspace(0.12, 0.88, k)]
    if neutral is not None:
        colors[neutral] = _NEUTRAL
    return colors


def likert(
    percentages: pd.DataFrame,
    *,
    neutral: Hashable | None = None,
    nonsubstantive: Sequence[Hashable] = (),
    n: int | None = None,
    title: str | None = None,
    lang: str = "nl",
    decimals: int = 0,
    ax: Any = None,
) -> Any:
    """Diverging stacked bars of Likert answers, centred on the neutral answer.

    Parameters
    ----------
    percentages : DataFrame
        One row per item (or group), one column per answer in scale order, as
        percentages. A column ``n`` (as from :func:`likert_percentages`) is
        used for the row labels.
    neutral : column label, optional
        The middle answer, split half left, half right of zero. Default: the
        middle column when the number of substantive answers is odd, none when
        it is even.
    nonsubstantive : sequence of column labels
        Answers such as "weet niet": left out of the bars and named in the title.
    n : int, optional
        Number of respondents, shown in the title.
    title : str, optional
    lang : {"nl", "en"}
        Language of the axis labels.
    decimals : int
        Decimals of the percentage labels inside the bars.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        One bar container per substantive answer (its label is the answer), in
        scale order; bar widths equal the percentages.

    Notes
    -----
    The layout follows Heiberger & Robbins (2014), *Design of diverging stacked
    bar charts for Likert scales and other applications*, J. Stat. Softw. 57(5):
    disagreeing answers left of zero, agreeing answers right, the neutral answer
    straddling zero.

    Examples
    --------
    >>> pct = pd.DataFrame({"no": [20.0, 50.0], "so-so": [30.0, 20.0], "yes": [50.0, 30.0]},
    ...                    index=["item 1", "item 2"])
    >>> ax = likert(pct, lang="en")
    >>> [c.get_label() for c in ax.containers]
    ['no', 'so-so', 'yes']
    """
    frame = _frame(percentages, "percentages")
    row_n = frame["n"] if "n" in frame.columns else None
    cats = [c for c in frame.columns if c != "n"]
    skip = set(nonsubstantive)
    unknown = [c for c in skip if c not in cats]
    if unknown:
        raise UnknownLabelError(
            f"nonsubstantive names {unknown!r}, not columns of percentages {cats[:6]!r}."
        )
    subst = [c for c in cats if c not in skip]
    if not subst:
        raise ParameterError("percentages has no substantive answer columns to draw.")
    k = len(subst)
    if neutral is None:
        mid = k // 2 if k % 2 else None
    elif neutral in subst:
        mid = subst.index(neutral)
    else:
        raise UnknownLabelError(f"neutral={neutral!r} is not one of the answers {subst!r}.")
    values = np.nan_to_num(frame[subst].to_numpy(dtype=float))
    n_left = mid if mid is not None else k // 2
    left = -values[:, :n_left].sum(axis=1)
    if mid is not None:
        left = left - values[:, mid] / 2
    rows = [
        textwrap.fill(_esc(i if not isinstance(i, tuple) else " – ".join(map(str, i))), 48)
        for i in frame.index
    ]
    if row_n is not None:
        rows = [f"{r} (n = {int(v)})" for r, v in zip(rows, row_n)]
    ax = _axes(ax, (7.5, 1.4 + 0.38 * len(rows)))
    y = np.arange(len(rows))[::-1]
    colors = _diverging_colors(k, mid)
    start = left.copy()
    for j, name in enumerate(subst):
        bars_ = ax.barh(
            y, values[:, j], left=start, color=colors[j], label=_esc(name), edgecolor="white"
        )
        labels = [
            t if v >= 8 else "" for t, v in zip(_pct_text(values[:, j], decimals), values[:, j])
        ]
        ax.bar_label(bars_, labels=labels, label_type="center", fontsize=7)
        start = start + values[:, j]
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.set_yticks(y, rows)
    reach = max(float(np.abs(left).max(initial=0)), float(start.max(initial=0)), 10.0)
    ax.set_xlim(-reach * 1.05, reach * 1.05)
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{abs(v):.0f}"))
    ax.set_xlabel(_t("percent", lang))
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12 - 0.6 / max(len(rows), 1)),
        ncol=min(k, 5),
        frameon=False,
        fontsize=8,
    )
    note = ""
    if skip:
        note = _t("not_shown", lang, what=", ".join(str(s) for s in cats if s in skip))
    _tidy(ax, "; ".join(p for p in (title, note) if p) or None, n, lang)
    return ax


# --------------------------------------------------------------------------------------
# Frequency and crosstab bars
# --------------------------------------------------------------------------------------


def bars(
    percentages: pd.Series,
    *,
    n: int | None = None,
    title: str | None = None,
    lang: str = "nl",
    decimals: int = 0,
    color: str = PALETTE[0],
    ax: Any = None,
) -> Any:
    """Horizontal bars of percentages with the rounded percentage at each bar.

    Parameters
    ----------
    percentages : Series
        Percentages indexed by the answer labels, in the order to draw (top first).
        NaN draws no bar.
    n : int, optional
        The base of the percentages, shown in the title.
    title, lang, decimals, color, ax
        Title; language of the axis label; decimals of the labels; bar colour;
        the Axes to draw on.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    The labels are rounded half up (62.5 → 63), as the report tables round, so
    a label and its table cell always agree; the bars keep the exact value.

    Examples
    --------
    >>> ax = bars(pd.Series({"yes": 62.5, "no": 37.5}), n=8, lang="en")
    >>> [float(round(p.get_width(), 1)) for p in ax.patches]
    [62.5, 37.5]
    """
    if not isinstance(percentages, pd.Series):
        raise ParameterError(
            f"percentages must be a pandas Series, got {type(percentages).__name__}."
        )
    values = percentages.to_numpy(dtype=float)
    labels = [_esc(i) for i in percentages.index]
    ax = _axes(ax, (6.5, 0.8 + 0.32 * len(labels)))
    y = np.arange(len(labels))[::-1]
    keep = ~np.isnan(values)
    drawn = ax.barh(y[keep], values[keep], color=color)
    ax.bar_label(drawn, labels=_pct_text(values[keep], decimals), padding=2, fontsize=8)
    ax.set_yticks(y, labels)
    ax.set_xlim(0, max(100.0, float(np.nanmax(values, initial=0)) * 1.1))
    ax.set_xlabel(_t("percent", lang))
    _tidy(ax, title, n, lang)
    return ax


def grouped_bars(
    percentages: pd.DataFrame,
    *,
    suppressed: pd.DataFrame | np.ndarray | None = None,
    stacked: bool = False,
    min_group_size: int | None = None,
    n: int | None = None,
    title: str | None = None,
    lang: str = "nl",
    ax: Any = None,
) -> Any:
    """Column percentages of a crosstab as grouped or 100%-stacked bars.

    Parameters
    ----------
    percentages : DataFrame
        Answers as rows, groups as columns, column percentages.
    suppressed : DataFrame or bool array, optional
        Cells hidden for small-cell protection: they are never drawn.
    stacked : bool
        One 100%-stacked horizontal bar per group instead of grouped bars.
    min_group_size : int, optional
        The suppression threshold, named in the title when a cell is hidden.
    n, title, lang, ax
        As in :func:`bars`.

    Returns
    -------
    matplotlib.axes.Axes
        One bar container per answer (labelled with the answer); a suppressed
        cell has no bar.

    Notes
    -----
    In the stacked form a hidden cell keeps its place (the bar after it starts
    where it would have), so the drawn segments stay at their true position and
    nothing about the hidden cell is shown beyond what the table's totals show.

    Examples
    --------
    >>> pct = pd.DataFrame({"A": [40.0, 60.0], "B": [75.0, 25.0]}, index=["yes", "no"])
    >>> ax = grouped_bars(pct, lang="en")
    >>> [int(round(p.get_height())) for p in ax.patches]
    [40, 60, 75, 25]
    """
    frame = _frame(percentages, "percentages")
    values = frame.to_numpy(dtype=float)
    if suppressed is None:
        hidden = np.zeros(values.shape, dtype=bool)
    else:
        hidden = np.asarray(suppressed, dtype=bool)
        if hidden.shape != values.shape:
            raise ParameterError(
                f"suppressed has shape {hidden.shape}, percentages {values.shape}; "
                "give one flag per cell."
            )
    draw = ~hidden & ~np.isnan(values)
    answers = [textwrap.fill(_esc(a), 32) for a in frame.index]
    groups = [textwrap.fill(_esc(g), 32) for g in frame.columns]
    n_ans, n_grp = values.shape
    if stacked:
        ax = _axes(ax, (7.5, 1.4 + 0.4 * n_grp))
        y = np.arange(n_grp)[::-1]
        start = np.zeros(n_grp)
        for i, name in enumerate(answers):
            keep = draw[i]
            width = np.where(keep, values[i], 0.0)
            cont = ax.barh(
                y[keep], width[keep], left=start[keep], label=name,
                color=PALETTE[i % len(PALETTE)], edgecolor="white",
            )  # fmt: skip
            labels = [t if v >= 6 else "" for t, v in zip(_pct_text(width[keep], 0), width[keep])]
            ax.bar_label(cont, labels=labels, label_type="center", fontsize=7)
            # hidden cells still take their place so the drawn segments keep their true position
            start = start + np.where(np.isnan(values[i]), 0.0, values[i])
        ax.set_yticks(y, groups)
        ax.set_xlim(0, 100)
        ax.set_xlabel(_t("percent", lang))
    else:
        ax = _axes(ax, (7.5, 3.6))
        width = 0.8 / max(n_grp, 1)
        x = np.arange(n_ans)
        for j, name in enumerate(groups):
            keep = draw[:, j]
            ax.bar(
                x[keep] + (j - (n_grp - 1) / 2) * width, values[keep, j], width=width,
                label=name, color=PALETTE[j % len(PALETTE)],
            )  # fmt: skip
        ax.set_xticks(x, answers, rotation=20 if max(map(len, answers), default=0) > 12 else 0)
        ax.set_ylim(0, 100)
        ax.set_ylabel(_t("percent", lang))
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=3)
    note = ""
    if hidden.any():
        note = _t("suppressed", lang, k=min_group_size if min_group_size else "k")
    _tidy(ax, "; ".join(p for p in (title, note) if p) or None, n, lang)
    return ax


# --------------------------------------------------------------------------------------
# Correlation heatmap
# --------------------------------------------------------------------------------------


def correlation_heatmap(
    r: pd.DataFrame,
    *,
    p: pd.DataFrame | None = None,
    alpha: Mapping[Hashable, float] | pd.Series | None = None,
    labels: Mapping[Hashable, str] | None = None,
    annotate: bool | None = None,
    n: int | None = None,
    title: str | None = None,
    lang: str = "nl",
    ax: Any = None,
) -> Any:
    """Lower-triangle heatmap of a correlation matrix, colours fixed at −1..1.

    Parameters
    ----------
    r : DataFrame
        Square correlation matrix.
    p : DataFrame, optional
        p-values of the same shape: stars after r (``*`` < .05, ``**`` < .01,
        ``***`` < .001).
    alpha : mapping or Series, optional
        Reliability per variable, written on the diagonal.
    labels : mapping, optional
        Display label per variable (e.g. from the instrument).
    annotate : bool, optional
        Write r in the cells; default when there are at most 30 variables.
    n, title, lang, ax
        As in :func:`bars`.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    The colour scale is fixed at −1..1 (ColorBrewer RdBu), so the same r has the
    same colour in every figure. r is written without its leading zero, as APA
    style asks for statistics that cannot exceed 1; stars follow
    ``peoscales.apa`` (``*`` p < .05, ``**`` p < .01, ``***`` p < .001).

    Examples
    --------
    >>> r = pd.DataFrame([[1, .5], [.5, 1]], index=["a", "b"], columns=["a", "b"])
    >>> ax = correlation_heatmap(r, lang="en")
    >>> [t.get_text() for t in ax.texts]
    ['.50']
    """
    frame = _frame(r, "r")
    if frame.shape[0] != frame.shape[1]:
        raise ParameterError(f"r must be square, got shape {frame.shape}.")
    values = frame.to_numpy(dtype=float)
    k = values.shape[0]
    pvals = None if p is None else _frame(p, "p").to_numpy(dtype=float)
    names = [_esc((labels or {}).get(c, c)) for c in frame.columns]
    side = max(4.5, 1.5 + 0.45 * min(k, 30))
    ax = _axes(ax, (side + 1.2, side))
    lower = np.tril(np.ones((k, k), dtype=bool), -1)
    shown = np.where(lower, values, np.nan)
    image = ax.imshow(shown, cmap="RdBu_r", vmin=-1.0, vmax=1.0, interpolation="nearest")
    if annotate is None:
        annotate = k <= 30
    if annotate:
        rows, cols = np.nonzero(lower)
        for i, j in zip(rows, cols):
            v = values[i, j]
            if np.isnan(v):
                continue
            mark = stars(float(pvals[i, j])) if pvals is not None else ""
            text = f"{v:.2f}".replace("0.", ".", 1) + mark
            ax.text(j, i, text, ha="center", va="center", fontsize=7,
                    color="white" if abs(v) > 0.6 else "black")  # fmt: skip
    if alpha is not None:
        given = dict(alpha)
        for pos, c in enumerate(frame.columns):
            a = given.get(c)
            if a is not None and not np.isnan(a):
                ax.text(pos, pos, f"{a:.2f}".replace("0.", ".", 1), ha="center", va="center",
                        fontsize=7, fontstyle="italic")  # fmt: skip
    ax.set_xticks(np.arange(k), names, rotation=45, ha="right", rotation_mode="anchor")
    ax.set_yticks(np.arange(k), names)
    ax.spines[:].set_visible(False)
    ax.figure.colorbar(image, ax=ax, shrink=0.7, label="r")
    note = _t("diagonal", lang) if alpha is not None else ""
    _tidy(ax, "; ".join(x for x in (title, note) if x) or None, n, lang)
    ax.spines[:].set_visible(False)
    return ax


# --------------------------------------------------------------------------------------
# Group means
# --------------------------------------------------------------------------------------


@contextlib.contextmanager
def _errorbar_quirk() -> Iterator[None]:
    """matplotlib 3.10 (the newest for Python 3.10) tests the truth of a one-element array
    when an error bar has a single point, which numpy 2.x warns about (a matplotlib defect,
    fixed in 3.11). The bars are drawn right; only that warning is silenced."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", "Conversion of an array with ndim > 0 to a scalar", DeprecationWarning
        )
        yield


def group_means(
    descriptives: pd.DataFrame,
    *,
    confidence: float = 0.95,
    raw: Mapping[Hashable, Any] | None = None,
    kind: str = "strip",
    pairs: pd.DataFrame | None = None,
    brackets: str = "significant",
    ylabel: str | None = None,
    title: str | None = None,
    lang: str = "nl",
    ax: Any = None,
) -> Any:
    """Group means with confidence intervals, optional raw data and post-hoc brackets.

    Parameters
    ----------
    descriptives : DataFrame
        One row per group with ``n``, ``mean`` and either ``ci_low``/``ci_high``
        or ``se`` (as ``TTestResult.descriptives``).
    confidence : float
        Level of the interval computed from ``se``: mean ± t(n − 1) · se.
    raw : mapping, optional
        Observations per group, drawn behind the means.
    kind : {"strip", "violin"}
        How the raw observations are drawn.
    pairs : DataFrame, optional
        Post-hoc comparisons with ``group1``, ``group2`` and ``p_adjusted`` (or ``p``).
    brackets : {"significant", "all", "none"}
        Which pairs get a bracket with their adjusted p.
    ylabel, title, lang, ax
        Axis label (default "Mean"), title, language, Axes.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.lines[0]`` holds the means; each bracket's p is in ``ax.texts``.

    Notes
    -----
    The interval is mean ± t_{1−(1−confidence)/2, n−1} · se, the usual
    t-interval for a mean.

    Examples
    --------
    >>> desc = pd.DataFrame({"n": [10, 12], "mean": [3.0, 3.5], "se": [0.2, 0.25]},
    ...                     index=["a", "b"])
    >>> ax = group_means(desc, lang="en")
    >>> ax.lines[0].get_ydata().tolist()
    [3.0, 3.5]
    """
    from scipy import stats

    frame = _frame(descriptives, "descriptives")
    need = {"n", "mean"}
    if not need <= set(frame.columns) or not (
        {"ci_low", "ci_high"} <= set(frame.columns) or "se" in frame.columns
    ):
        raise ColumnError(
            f"descriptives needs columns n, mean and se (or ci_low, ci_high); "
            f"it has {list(frame.columns)}."
        )
    if kind not in ("strip", "violin"):
        raise ParameterError(f"kind must be 'strip' or 'violin', got {kind!r}.")
    if brackets not in ("significant", "all", "none"):
        raise ParameterError(f"brackets must be 'significant', 'all' or 'none', got {brackets!r}.")
    mean = frame["mean"].to_numpy(dtype=float)
    if {"ci_low", "ci_high"} <= set(frame.columns):
        low = frame["ci_low"].to_numpy(dtype=float)
        high = frame["ci_high"].to_numpy(dtype=float)
    else:
        nn = frame["n"].to_numpy(dtype=float)
        half = stats.t.ppf(0.5 + confidence / 2, np.maximum(nn - 1, 1)) * frame["se"].to_numpy(
            float
        )
        low, high = mean - half, mean + half
    groups = list(frame.index)
    x = np.arange(len(groups), dtype=float)
    ax = _axes(ax, (1.8 + 1.0 * len(groups), 3.8))
    top = float(np.nanmax(high)) if len(high) else 0.0
    bottom = float(np.nanmin(low)) if len(low) else 0.0
    if raw is not None:
        rng = np.random.default_rng(0)  # fixed jitter: the same data draw the same picture
        for i, g in enumerate(groups):
            obs = np.asarray(raw.get(g, []), dtype=float)
            obs = obs[~np.isnan(obs)]
            if not len(obs):
                continue
            top, bottom = max(top, float(obs.max())), min(bottom, float(obs.min()))
            if kind == "violin" and len(obs) > 1:
                parts = ax.violinplot(obs, positions=[i], showextrema=False, widths=0.7)
                for body in parts["bodies"]:
                    body.set_facecolor(PALETTE[4])
                    body.set_alpha(0.35)
            else:
                ax.scatter(i + rng.uniform(-0.2, 0.2, len(obs)), obs, s=6, alpha=0.3,
                           color=PALETTE[4], linewidths=0)  # fmt: skip
    with _errorbar_quirk():
        ax.errorbar(x, mean, yerr=[mean - low, high - mean], fmt="o", color=PALETTE[0],
                    capsize=4, markersize=6, zorder=3)  # fmt: skip
    ax.set_xticks(x, [f"{_esc(g)}\n(n = {int(v)})" for g, v in zip(groups, frame["n"])])
    ax.set_xlim(-0.6, len(groups) - 0.4)
    ax.set_ylabel(_esc(ylabel) if ylabel else _t("mean", lang))
    if pairs is not None and brackets != "none":
        pcol = "p_adjusted" if "p_adjusted" in pairs.columns else "p"
        span = max(top - bottom, 1e-9)
        level = top + 0.06 * span
        position = {g: i for i, g in enumerate(groups)}
        for _, row in pairs.iterrows():
            pv = float(row[pcol])
            if brackets == "significant" and not pv < 0.05:
                continue
            a, b = position.get(row["group1"]), position.get(row["group2"])
            if a is None or b is None:
                continue
            ax.plot([a, a, b, b], [level, level + 0.02 * span, level + 0.02 * span, level],
                    color="#333333", linewidth=0.8)  # fmt: skip
            shown = format_p(pv)
            text = f"p {shown}" if shown.startswith("<") else f"p = {shown}"
            ax.text((a + b) / 2, level + 0.03 * span, text, ha="center", va="bottom", fontsize=7)
            level += 0.1 * span
        ax.set_ylim(top=max(ax.get_ylim()[1], level + 0.05 * span))
    n_total = int(frame["n"].sum())
    _tidy(ax, title, n_total, lang)
    return ax


# --------------------------------------------------------------------------------------
# Scale scores and norm bands
# --------------------------------------------------------------------------------------


def score_bands(
    scores: Any,
    bands: Sequence[Any],
    *,
    bins: int = 20,
    xlabel: str | None = None,
    title: str | None = None,
    lang: str = "nl",
    ax: Any = None,
) -> Any:
    """Histogram of a scale score with the norm bands shaded and the share per band.

    Parameters
    ----------
    scores : array-like
        Scale scores; NaN is left out (and the count in the title excludes it).
    bands : sequence of (label, low, high) or of instrument bands
        The bands in ascending order, e.g. ``instrument.scales[id].bands`` (then
        labelled in ``lang``).
    bins, xlabel, title, lang, ax
        Histogram bins; axis label (default "Score"); title; language; Axes.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.texts`` holds one ``"label\\nxx%"`` annotation per band.

    Notes
    -----
    A score belongs to the last band whose lower bound it reaches, as in
    :func:`peoscales.categorize`, so a score between two published bounds
    (e.g. 2.995 between 2.99 and 3.00) joins the lower band.

    Examples
    --------
    >>> ax = score_bands([1.5, 2.5, 3.5, 4.5], [("low", 1, 2.99), ("high", 3, 5)], lang="en")
    >>> [t.get_text() for t in ax.texts]
    ['low\\n50%', 'high\\n50%']
    """
    values = np.asarray(scores, dtype=float).ravel()
    values = values[~np.isnan(values)]
    bands = [
        (b.labels.get(lang, b.name), b.low, b.high) if hasattr(b, "labels") else tuple(b)
        for b in bands
    ]
    if not bands:
        raise ParameterError("bands is empty; give (label, low, high) per band.")
    lows = np.array([b[1] for b in bands], dtype=float)
    if np.any(np.diff(lows) <= 0):
        raise ParameterError(
            f"bands must be in ascending order of their lower bound, got {list(lows)}."
        )
    ax = _axes(ax, (6.5, 3.6))
    start, stop = float(bands[0][1]), float(bands[-1][2])
    ax.hist(values, bins=np.linspace(start, stop, bins + 1), color=PALETTE[0], edgecolor="white")
    which = np.searchsorted(lows, values, side="right") - 1
    inside = (which >= 0) & (values <= stop)
    share = np.bincount(which[inside], minlength=len(bands)) / max(len(values), 1) * 100
    edges = [*[b[1] for b in bands[1:]], stop]
    for i, (label, low, _high) in enumerate(bands):
        ax.axvspan(low, edges[i], color=_BAND_SHADES[i % len(_BAND_SHADES)], alpha=0.45, zorder=0)
        ax.text((low + edges[i]) / 2, 0.97, f"{_esc(label)}\n{share[i]:.0f}%",
                transform=ax.get_xaxis_transform(), ha="center", va="top", fontsize=8)  # fmt: skip
    ax.set_xlim(start, stop)
    ax.set_xlabel(_esc(xlabel) if xlabel else _t("score", lang))
    ax.set_ylabel(_t("count", lang))
    ax.margins(y=0.25)
    _tidy(ax, title, len(values), lang)
    return ax


# --------------------------------------------------------------------------------------
# Regression and reliability
# --------------------------------------------------------------------------------------


def coefficients(
    estimates: pd.DataFrame,
    *,
    xlabel: str | None = None,
    n: int | None = None,
    title: str | None = None,
    lang: str = "nl",
    ax: Any = None,
) -> Any:
    """Coefficient plot: estimates with their intervals, one colour per model step.

    Parameters
    ----------
    estimates : DataFrame
        One row per term with ``estimate``, ``ci_low``, ``ci_high`` and
        optionally ``step`` (1, 2, ...); the index names the terms.
    xlabel, n, title, lang, ax
        Axis label (default "Standardised coefficient β"), n, title, language, Axes.

    Returns
    -------
    matplotlib.axes.Axes
        One error-bar container per step.

    Notes
    -----
    Terms keep one row each; with several steps their estimates are drawn
    side by side, so a coefficient that changes when a block is added is seen
    to change (hierarchical regression; Cohen, Cohen, West & Aiken, 2003).

    Examples
    --------
    >>> est = pd.DataFrame({"estimate": [0.3, -0.1], "ci_low": [0.1, -0.3],
    ...                     "ci_high": [0.5, 0.1]}, index=["x1", "x2"])
    >>> ax = coefficients(est, lang="en")
    >>> ax.containers[0].lines[0].get_xdata().tolist()
    [0.3, -0.1]
    """
    frame = _frame(estimates, "estimates")
    need = {"estimate", "ci_low", "ci_high"}
    if not need <= set(frame.columns):
        raise ColumnError(f"estimates needs columns {sorted(need)}; it has {list(frame.columns)}.")
    steps = frame["step"].to_numpy() if "step" in frame.columns else np.ones(len(frame), int)
    unique_steps = list(dict.fromkeys(steps.tolist()))
    terms = list(dict.fromkeys(frame.index))
    ax = _axes(ax, (6.0, 1.2 + 0.4 * len(terms) * max(1, len(unique_steps)) ** 0.5))
    base = {t: len(terms) - 1 - i for i, t in enumerate(terms)}
    offset = 0.6 / max(len(unique_steps), 1)
    for s_i, step in enumerate(unique_steps):
        part = frame[steps == step]
        y = np.array([base[t] for t in part.index], dtype=float)
        if len(unique_steps) > 1:
            y = y + (len(unique_steps) - 1) / 2 * offset - s_i * offset
        est = part["estimate"].to_numpy(dtype=float)
        with _errorbar_quirk():
            ax.errorbar(
                est, y,
                xerr=[est - part["ci_low"].to_numpy(float), part["ci_high"].to_numpy(float) - est],
                fmt="o", capsize=3, color=PALETTE[s_i % len(PALETTE)],
                label=_t("step", lang, k=step) if len(unique_steps) > 1 else None,
            )  # fmt: skip
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.set_yticks([base[t] for t in terms], [_esc(t) for t in terms])
    ax.set_xlabel(_esc(xlabel) if xlabel else _t("beta", lang))
    if len(unique_steps) > 1:
        ax.legend(frameon=False, fontsize=8)
    _tidy(ax, title, n, lang)
    return ax


def interaction(
    plot_data: pd.DataFrame,
    *,
    xlabel: str | None = None,
    ylabel: str | None = None,
    moderator: str | None = None,
    band: bool = True,
    confidence: float | None = None,
    n: int | None = None,
    title: str | None = None,
    lang: str = "nl",
    ax: Any = None,
) -> Any:
    r"""Interaction plot: one line of predicted y along x per value of the moderator.

    Parameters
    ----------
    plot_data : DataFrame
        One row per point with ``at`` (the line's label, e.g. ``"−1 SD"``), ``x`` and
        ``y``; with ``band``, also ``ci_low`` and ``ci_high``; optionally ``moderator``
        (its value, shown in the legend). :attr:`ModerationResult.plot_data` is such a
        frame.
    xlabel, ylabel : str, optional
        Axis labels (default "Predictor" and "Predicted outcome" in ``lang``).
    moderator : str, optional
        The legend's title (default "Moderator").
    band : bool, default True
        Shade each line's confidence interval.
    confidence : float, optional
        The interval's level, named under the title.
    n, title, lang, ax
        n, title, language, Axes.

    Returns
    -------
    matplotlib.axes.Axes
        One line per moderator value (in ``plot_data``'s order) and, with ``band``, one
        shaded band per line.

    Notes
    -----
    Simple slopes (Aiken & West, 1991): each line is the predicted y at one value of
    the moderator (by default its mean − 1 SD, mean and mean + 1 SD) for x from its
    mean − 1 SD to mean + 1 SD; lines that are not parallel show the interaction. The
    band is the interval of the predicted mean, :math:`\hat y \pm t_{crit} SE`,
    narrowest at the mean of x. Lines differ in colour and dash, so they stay apart
    in grey print.

    Examples
    --------
    >>> lines = pd.DataFrame({"at": ["low", "low", "high", "high"],
    ...                       "x": [0.0, 1.0, 0.0, 1.0], "y": [1.0, 1.5, 1.0, 2.5],
    ...                       "ci_low": [0.8, 1.3, 0.8, 2.3], "ci_high": [1.2, 1.7, 1.2, 2.7]})
    >>> ax = interaction(lines, lang="en")
    >>> [line.get_ydata().tolist() for line in ax.get_lines()]
    [[1.0, 1.5], [1.0, 2.5]]
    """
    frame = _frame(plot_data, "plot_data")
    if not isinstance(band, (bool, np.bool_)):
        raise ParameterError(f"band must be True or False, got {band!r}.")
    need = {"at", "x", "y"} | ({"ci_low", "ci_high"} if band else set())
    if not need <= set(frame.columns):
        raise ColumnError(
            f"plot_data needs columns {sorted(need)}; it has {list(frame.columns)}."
            + (" Pass band=False to draw the lines without intervals." if band else "")
        )
    ax = _axes(ax, (6.0, 4.2))
    dashes = ("--", "-", ":", "-.")
    for i, label in enumerate(dict.fromkeys(frame["at"])):
        part = frame[frame["at"] == label]
        colour = PALETTE[i % len(PALETTE)]
        shown = _esc(label)
        if "moderator" in part.columns and "=" not in str(label):
            shown = f"{shown} ({float(part['moderator'].iloc[0]):.2f})"
        xs = part["x"].to_numpy(dtype=float)
        ax.plot(xs, part["y"].to_numpy(dtype=float), color=colour,
                linestyle=dashes[i % len(dashes)], linewidth=1.8, label=shown)  # fmt: skip
        if band:
            ax.fill_between(xs, part["ci_low"].to_numpy(dtype=float),
                            part["ci_high"].to_numpy(dtype=float), color=colour, alpha=0.15,
                            linewidth=0)  # fmt: skip
    ax.set_xlabel(_esc(xlabel) if xlabel else _t("predictor", lang))
    ax.set_ylabel(_esc(ylabel) if ylabel else _t("predicted", lang))
    ax.legend(title=_esc(moderator) if moderator else _t("moderator", lang), frameon=False,
              fontsize=8, title_fontsize=8)  # fmt: skip
    note = _t("band", lang, level=confidence) if band and confidence is not None else None
    _tidy(ax, "; ".join(p for p in (title, note) if p) or None, n, lang)
    return ax


def johnson_neyman(
    conditional_effects: pd.DataFrame,
    *,
    johnson_neyman: Sequence[float] = (),
    xlabel: str | None = None,
    ylabel: str | None = None,
    confidence: float | None = None,
    n: int | None = None,
    title: str | None = None,
    lang: str = "nl",
    ax: Any = None,
) -> Any:
    r"""Johnson–Neyman plot: the slope of x along the moderator, with its interval.

    Parameters
    ----------
    conditional_effects : DataFrame
        One row per moderator value with ``moderator``, ``b``, ``ci_low`` and ``ci_high``
        (:attr:`ModerationResult.conditional_effects`).
    johnson_neyman : sequence of float, optional
        The moderator values where the slope is exactly significant, drawn as dashed
        vertical lines (those inside the plotted range).
    xlabel, ylabel : str, optional
        Axis labels (default "Moderator" and "Slope of the predictor" in ``lang``).
    confidence : float, optional
        The interval's level, named in the legend.
    n, title, lang, ax
        n, title, language, Axes.

    Returns
    -------
    matplotlib.axes.Axes
        The slope as the first line, its interval as a shaded band, the zero line and one
        dashed line per boundary.

    Notes
    -----
    Johnson & Neyman (1936); Bauer & Curran (2005). The slope of x at w is
    :math:`b_1 + b_3 w` with :math:`SE^2 = V_{11} + 2 w V_{13} + w^2 V_{33}`; where the
    band lies wholly above or below zero the slope differs from zero at the chosen level,
    and the boundaries are where the band touches zero.

    Examples
    --------
    >>> effects = pd.DataFrame({"moderator": [0.0, 1.0, 2.0], "b": [0.1, 0.3, 0.5],
    ...                         "ci_low": [-0.1, 0.05, 0.2], "ci_high": [0.3, 0.55, 0.8]})
    >>> ax = johnson_neyman(effects, johnson_neyman=[0.8], lang="en")
    >>> ax.get_lines()[0].get_ydata().tolist()
    [0.1, 0.3, 0.5]
    """
    frame = _frame(conditional_effects, "conditional_effects")
    need = {"moderator", "b", "ci_low", "ci_high"}
    if not need <= set(frame.columns):
        raise ColumnError(
            f"conditional_effects needs columns {sorted(need)}; it has {list(frame.columns)}."
        )
    try:
        bounds = [float(v) for v in johnson_neyman]
    except (TypeError, ValueError):
        raise ParameterError(
            f"johnson_neyman must be numbers (moderator values), got {johnson_neyman!r}."
        ) from None
    ax = _axes(ax, (6.0, 4.2))
    w = frame["moderator"].to_numpy(dtype=float)
    band = _t("ci", lang, level=confidence) if confidence is not None else _t("interval", lang)
    ax.plot(w, frame["b"].to_numpy(dtype=float), color=PALETTE[0], linewidth=1.8)
    ax.fill_between(w, frame["ci_low"].to_numpy(dtype=float),
                    frame["ci_high"].to_numpy(dtype=float), color=PALETTE[0], alpha=0.2,
                    linewidth=0, label=band)  # fmt: skip
    ax.axhline(0, color="#444444", linewidth=0.8)
    inside = [v for v in bounds if w.size and w.min() <= v <= w.max()]
    for i, value in enumerate(inside):
        ax.axvline(value, color=PALETTE[5], linestyle="--", linewidth=1.2,
                   label=_t("jn", lang) if i == 0 else None)  # fmt: skip
    ax.set_xlabel(_esc(xlabel) if xlabel else _t("moderator", lang))
    ax.set_ylabel(_esc(ylabel) if ylabel else _t("slope", lang))
    ax.legend(frameon=False, fontsize=8)
    _tidy(ax, title, n, lang)
    return ax


def item_reliability(
    item_table: pd.DataFrame,
    *,
    alpha: float | None = None,
    labels: Mapping[Hashable, str] | None = None,
    n: int | None = None,
    title: str | None = None,
    lang: str = "nl",
    ax: Any = None,
) -> Any:
    """Two panels per item: corrected item-total r and alpha if the item is deleted.

    Parameters
    ----------
    item_table : DataFrame
        One row per item with ``r_drop`` and ``alpha_if_deleted`` (as
        ``ScaleReliability.item_table``).
    alpha : float, optional
        The scale's alpha, drawn as a reference line in the right panel.
    labels, n, title, lang
        Display label per item, n, title, language.
    ax : pair of Axes, optional
        The two Axes to draw on; default a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Notes
    -----
    ``r_drop`` is the correlation of the item with the sum of the other items
    (psych's ``r.drop``); the dotted line marks .30, a common lower bound. An
    item whose alpha-if-deleted lies right of the scale's alpha lowers alpha.

    Examples
    --------
    >>> tab = pd.DataFrame({"r_drop": [0.5, 0.2], "alpha_if_deleted": [0.6, 0.8]},
    ...                    index=["q1", "q2"])
    >>> fig = item_reliability(tab, alpha=0.7, lang="en")
    >>> [float(round(p.get_width(), 2)) for p in fig.axes[0].patches]
    [0.5, 0.2]
    """
    frame = _frame(item_table, "item_table")
    need = {"r_drop", "alpha_if_deleted"}
    if not need <= set(frame.columns):
        raise ColumnError(f"item_table needs columns {sorted(need)}; it has {list(frame.columns)}.")
    if ax is None:
        import matplotlib.pyplot as plt

        fig, (left, right) = plt.subplots(1, 2, figsize=(8.0, 1.2 + 0.35 * len(frame)), sharey=True)
    else:
        left, right = ax
        fig = left.figure
    names = [_esc((labels or {}).get(i, i)) for i in frame.index]
    y = np.arange(len(names))[::-1]
    left.barh(y, frame["r_drop"].to_numpy(dtype=float), color=PALETTE[0])
    left.axvline(0.3, color="#888888", linestyle=":", linewidth=0.8)  # common rule of thumb
    left.set_yticks(y, names)
    left.set_xlabel(_t("r_drop", lang))
    right.plot(frame["alpha_if_deleted"].to_numpy(dtype=float), y, "o", color=PALETTE[1])
    if alpha is not None:
        right.axvline(alpha, color="#444444", linewidth=0.8, label=_t("alpha_line", lang))
        right.legend(frameon=False, fontsize=8)
    right.set_xlabel(_t("alpha_if", lang))
    _tidy(left, title, n, lang)
    _tidy(right, None, None, lang)
    return fig


# --------------------------------------------------------------------------------------
# Waves
# --------------------------------------------------------------------------------------


def trend(
    frame: pd.DataFrame,
    *,
    kind: str = "shares",
    ylabel: str | None = None,
    n: Sequence[int] | None = None,
    title: str | None = None,
    lang: str = "nl",
    ax: Any = None,
) -> Any:
    """A trend across waves: category shares, or a mean with its interval.

    Parameters
    ----------
    frame : DataFrame
        Waves as rows, in time order. ``kind="shares"``: one column per
        category with its percentage. ``kind="mean"``: columns ``mean``,
        ``ci_low`` and ``ci_high``.
    kind : {"shares", "mean"}
    ylabel : str, optional
    n : sequence of int, optional
        Respondents per wave, added to the wave labels.
    title, lang, ax
        As in :func:`bars`.

    Returns
    -------
    matplotlib.axes.Axes
        One line per category (labelled with it), or one line of means with error bars.

    Notes
    -----
    Waves are equally spaced on the x axis, in the order of the rows: the chart
    shows change between waves, not time between them. Means are drawn with their
    intervals as error bars. A wave whose values are NaN (a wave without the item,
    or one too small to show) breaks the line there.

    Examples
    --------
    >>> shares = pd.DataFrame({"agree": [40.0, 55.0], "disagree": [60.0, 45.0]},
    ...                       index=["2020", "2021"])
    >>> ax = trend(shares, lang="en")
    >>> [line.get_ydata().tolist() for line in ax.lines]
    [[40.0, 55.0], [60.0, 45.0]]
    """
    data = _frame(frame, "frame")
    waves = [_esc(w) for w in data.index]
    if n is not None:
        waves = [f"{w}\n(n = {int(v)})" for w, v in zip(waves, n)]
    x = np.arange(len(waves))
    ax = _axes(ax, (1.8 + 1.2 * len(waves), 3.6))
    if kind == "shares":
        for j, col in enumerate(data.columns):
            ax.plot(x, data[col].to_numpy(dtype=float), marker="o", label=_esc(col),
                    color=PALETTE[j % len(PALETTE)])  # fmt: skip
        ax.set_ylim(0, 100)
        ax.set_ylabel(_esc(ylabel) if ylabel else _t("share", lang))
        ax.legend(frameon=False, fontsize=8)
    elif kind == "mean":
        need = {"mean", "ci_low", "ci_high"}
        if not need <= set(data.columns):
            raise ColumnError(f"frame needs columns {sorted(need)}; it has {list(data.columns)}.")
        mean = data["mean"].to_numpy(dtype=float)
        low, high = data["ci_low"].to_numpy(float), data["ci_high"].to_numpy(float)
        with _errorbar_quirk():
            ax.errorbar(x, mean, yerr=[mean - low, high - mean], fmt="-o", color=PALETTE[0],
                        capsize=4)  # fmt: skip
        ax.set_ylabel(_esc(ylabel) if ylabel else _t("mean", lang))
    else:
        raise ParameterError(f"kind must be 'shares' or 'mean', got {kind!r}.")
    ax.set_xticks(x, waves)
    ax.set_xlabel(_t("wave", lang))
    _tidy(ax, title, None, lang)
    return ax


# --------------------------------------------------------------------------------------
# SVG output (the PEO report embeds charts inline)
# --------------------------------------------------------------------------------------


def to_svg(figure: Any, label: str) -> str:
    """The figure as an inline, self-contained ``<svg>`` element.

    Text stays text (``svg.fonttype = none``), ids are stable between runs and
    the accessible label is HTML-escaped; matplotlib escapes the text itself.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> _ax = bars(pd.Series({"a <b>": 50.0}), ax=fig.add_subplot())
    >>> svg = to_svg(fig, "a & b")
    >>> svg.startswith("<svg") and 'aria-label="a &amp; b"' in svg and "a &lt;b&gt;" in svg
    True
    """
    import matplotlib

    rc: dict[Any, Any] = {"svg.fonttype": "none", "svg.hashsalt": "peoscales"}
    with matplotlib.rc_context(rc):
        buffer = io.StringIO()
        figure.savefig(
            buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None}
        )
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = text.replace(
        "<svg ", f'<svg role="img" aria-label="{html.escape(label)}" class="peo-chart" ', 1
    )
    # no stylesheet references: the page must render offline
    return re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
