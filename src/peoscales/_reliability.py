"""Reliability: Cronbach's alpha with confidence intervals, omega, item analysis, polychoric.

Every statistic follows the definition of R's psych package (``alpha``, ``omega``,
``polychoric``) and is checked against it in the test suite; where peoscales
departs from psych (reverse keys, constant items, polychoric optimisation) the
docstrings say so.
"""

from __future__ import annotations

import contextlib
import html
import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import pandas as pd

from peoscales._kernels import polychoric as _poly
from peoscales._kernels import reliability as _k
from peoscales._kernels._blas import single_blas_thread
from peoscales._results import Result, apa_number
from peoscales._validation import (
    as_frame,
    check_option,
    check_probability,
    numeric_block,
    preview,
    require_columns,
)
from peoscales.errors import (
    ConstantColumnWarning,
    DataTypeError,
    InsufficientDataError,
    ParameterError,
    PeoscalesWarning,
    ReverseKeyWarning,
)
from peoscales.instruments.model import Instrument

__all__ = [
    "AlphaResult",
    "OmegaResult",
    "PolychoricResult",
    "ReliabilityResult",
    "ScaleReliability",
    "cronbach_alpha",
    "omega",
    "polychoric",
    "reliability",
]

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


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class ScaleReliability(Result):
    """Reliability of one scale, with its item analysis.

    Attributes
    ----------
    scale : str
        Scale id (or the name given for an ad-hoc item set).
    items : tuple
        The item columns, in scale order.
    reverse : tuple
        The reverse-keyed item columns.
    n : int
        Rows used: rows with at least one answered item (``missing="pairwise"``)
        or with every item answered (``"listwise"``).
    n_excluded : int
        Rows left out.
    k : int
        Number of items.
    alpha, std_alpha : float
        Raw (covariance) and standardised (correlation) alpha. With
        ``ordinal=True`` both are ordinal alpha, from the polychoric matrix.
    ci_low, ci_high : float
        Confidence interval of ``alpha`` (NaN when ``ci=None``).
    g6 : float
        Guttman's lambda-6 (from squared multiple correlations).
    average_r, median_r : float
        Mean and median inter-item correlation.
    omega_total : float
        McDonald's omega total from a one-factor minres model (NaN for k < 3).
        Items loading negatively on the factor are reversed for omega, as
        ``psych::omega`` does.
    omega_flipped : tuple
        The items reversed for omega total (empty when the keys are right).
    split_half_odd_even, split_half_random : float
        Spearman-Brown split-half reliability of the odd-even split, and its mean
        over all splits into halves (or over 10,000 random splits when there
        are more).
    item_table : DataFrame
        One row per item: ``n``, ``mean``, ``sd`` (as answered, before
        reversal), ``reversed``, ``r_cor``, ``r_drop``, ``alpha_if_deleted``.
    replicates : ndarray or None
        The bootstrap alphas (``ci="bootstrap"``).
    """

    scale: str
    items: tuple[Hashable, ...]
    reverse: tuple[Hashable, ...]
    n: int
    n_excluded: int
    k: int
    missing: str
    ordinal: bool
    alpha: float
    std_alpha: float
    ci_low: float
    ci_high: float
    ci_method: str | None
    level: float
    g6: float
    average_r: float
    median_r: float
    omega_total: float
    split_half_odd_even: float
    split_half_random: float
    item_table: pd.DataFrame
    replicates: np.ndarray | None = None
    label: str = ""
    omega_flipped: tuple[Hashable, ...] = ()
    title = "Reliability"

    def row(self) -> dict[str, Any]:
        """The scale's statistics as a flat dict (one row of :meth:`ReliabilityResult.table`)."""
        return {
            "k": self.k,
            "n": self.n,
            "n_excluded": self.n_excluded,
            "alpha": self.alpha,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "std_alpha": self.std_alpha,
            "g6": self.g6,
            "omega_total": self.omega_total,
            "average_r": self.average_r,
            "median_r": self.median_r,
            "split_half_odd_even": self.split_half_odd_even,
            "split_half_random": self.split_half_random,
        }

    def to_frame(self) -> pd.DataFrame:
        """The item table (one row per item)."""
        return self.item_table

    def to_apa(self, digits: int = 2) -> str:
        """APA report of alpha: ``α = .82, 95% CI [.80, .85]``."""
        return _alpha_apa(
            self.alpha, self.ci_low, self.ci_high, self.ci_method, self.level, self.ordinal, digits
        )

    def _heading(self) -> str:
        named = f" ({self.label})" if self.label and self.label != self.scale else ""
        return f"Reliability of {self.scale}{named}"

    def _facts(self) -> pd.DataFrame:
        """The scale's statistics as display strings (one frame for text and HTML)."""
        kind = "ordinal alpha" if self.ordinal else "alpha"
        rows: list[tuple[str, str]] = [
            ("k (items)", str(self.k)),
            ("n", f"{self.n} ({self.n_excluded} rows left out, {self.missing} deletion)"),
            (kind, _fmt(self.alpha)),
        ]
        if self.ci_method is not None:
            rows.append(
                (
                    _ci_label(self.level),
                    f"{_ci(self.ci_low, self.ci_high)} ({_CI_METHODS[self.ci_method]})",
                )
            )
        rows += [
            ("standardised alpha", _fmt(self.std_alpha)),
            ("G6 (smc)", _fmt(self.g6)),
            ("omega total", _fmt(self.omega_total)),
            ("average r", _fmt(self.average_r)),
            ("median r", _fmt(self.median_r)),
            ("split-half (odd-even)", _fmt(self.split_half_odd_even)),
            ("split-half (mean of splits)", _fmt(self.split_half_random)),
        ]
        # Left-aligned in the text view (trailing spaces vanish in HTML).
        width = max(len(v) for _, v in rows)
        return pd.DataFrame(
            {"value": [v.ljust(width) for _, v in rows]},
            index=pd.Index([k for k, _ in rows], name="statistic"),
        )

    def _items_display(self) -> pd.DataFrame:
        t = self.item_table
        shown = pd.DataFrame(index=t.index)
        shown["n"] = [str(int(v)) for v in t["n"]]
        shown["mean"] = [apa_number(v, 2) for v in t["mean"]]
        shown["sd"] = [apa_number(v, 2) for v in t["sd"]]
        shown["reversed"] = ["yes" if v else "no" for v in t["reversed"]]
        for col in ("r_cor", "r_drop", "alpha_if_deleted"):
            shown[col] = [_fmt(v) for v in t[col]]
        return shown

    def _parts(self) -> tuple[list[tuple[str | None, pd.DataFrame]], list[str]]:
        notes = [_flip_note(self.omega_flipped)] if self.omega_flipped else []
        return [(None, self._facts()), ("Items", self._items_display())], notes

    def summary(self) -> str:
        """Text: the scale's statistics (alpha with its interval, ...), then the item table."""
        tables, notes = self._parts()
        return _text(self._heading(), tables, notes)

    def _repr_html_(self) -> str:
        tables, notes = self._parts()
        return _html(self._heading(), tables, notes)


@dataclass(frozen=True, eq=False, repr=False)
class ReliabilityResult(Result):
    """Reliability of every scale of an instrument or item set.

    Index it by scale id (``result["brs"]``) for a :class:`ScaleReliability`.

    Attributes
    ----------
    scales : mapping of str to ScaleReliability
    omega_hierarchical : float
        Omega hierarchical of all items together, with one group factor per
        scale (NaN for a single scale, and when the scales come from more than
        one instrument).
    omega_total_all : float
        Omega total of all items together from the same bifactor model.
    """

    scales: Mapping[str, ScaleReliability]
    omega_hierarchical: float = float("nan")
    omega_total_all: float = float("nan")
    general_loadings: pd.Series | None = field(default=None)
    title = "Reliability"

    def __getitem__(self, scale: str) -> ScaleReliability:
        try:
            return self.scales[scale]
        except KeyError:
            raise ParameterError(
                f"No scale {scale!r} in this result; scales: {preview(list(self.scales))}."
            ) from None

    def table(self) -> pd.DataFrame:
        """One row per scale: k, n, alpha with CI, standardised alpha, G6, omega, r, split halves."""
        return pd.DataFrame(
            [s.row() for s in self.scales.values()], index=pd.Index(list(self.scales), name="scale")
        )

    def items(self) -> pd.DataFrame:
        """The item tables of all scales stacked, indexed by (scale, item)."""
        frames = {sid: s.item_table for sid, s in self.scales.items()}
        return pd.concat(frames, names=["scale", "item"])

    def to_frame(self) -> pd.DataFrame:
        """Same as :meth:`table`."""
        return self.table()

    def _display(self) -> pd.DataFrame:
        """The scale table as display strings (APA, 3 decimals): one frame for text and HTML."""
        table = self.table()
        shown = pd.DataFrame(index=table.index)
        shown["k"] = [str(int(v)) for v in table["k"]]
        shown["n"] = [str(int(v)) for v in table["n"]]
        shown["alpha"] = [_fmt(v) for v in table["alpha"]]
        if table["ci_low"].notna().any():
            shown[_ci_label(self._level())] = [
                _ci(lo, hi) for lo, hi in zip(table["ci_low"], table["ci_high"])
            ]
        for col, name in [
            ("std_alpha", "std alpha"),
            ("g6", "G6"),
            ("omega_total", "omega_t"),
            ("average_r", "mean r"),
            ("split_half_odd_even", "split-half"),
        ]:
            shown[name] = [_fmt(v) for v in table[col]]
        return shown

    def _notes(self) -> list[str]:
        notes = []
        methods = {s.ci_method for s in self.scales.values() if s.ci_method is not None}
        if methods:
            notes.append(
                f"{_ci_label(self._level())}: "
                + ", ".join(_CI_METHODS[m] for m in sorted(methods))
                + "."
            )
        if np.isfinite(self.omega_hierarchical):
            notes.append(
                f"All {sum(s.k for s in self.scales.values())} items, "
                f"{len(self.scales)} group factors: omega hierarchical = "
                f"{_fmt(self.omega_hierarchical)}, omega total = {_fmt(self.omega_total_all)}"
            )
        for sid, one in self.scales.items():
            if one.omega_flipped:
                notes.append(_flip_note(one.omega_flipped, f" of {sid}"))
        return notes

    def summary(self) -> str:
        """A text table of the scales, rounded for reading."""
        return _text("Reliability", [(None, self._display())], self._notes())

    def _level(self) -> float:
        return next(iter(self.scales.values())).level if self.scales else 0.95

    def _repr_html_(self) -> str:
        return _html("Reliability", [(None, self._display())], self._notes())


@dataclass(frozen=True, eq=False, repr=False)
class AlphaResult(Result):
    """Cronbach's alpha of one item set, with its confidence interval.

    ``float(result)`` gives alpha.
    """

    alpha: float
    std_alpha: float
    ci_low: float
    ci_high: float
    ci_method: str | None
    level: float
    n: int
    n_excluded: int
    k: int
    replicates: np.ndarray | None = None
    title = "Cronbach's alpha"

    def __float__(self) -> float:
        return float(self.alpha)

    def to_frame(self) -> pd.DataFrame:
        """One row: alpha, CI, standardised alpha, n, rows left out, k."""
        return pd.DataFrame(
            [
                {
                    "alpha": self.alpha,
                    "ci_low": self.ci_low,
                    "ci_high": self.ci_high,
                    "std_alpha": self.std_alpha,
                    "n": self.n,
                    "n_excluded": self.n_excluded,
                    "k": self.k,
                }
            ],
            index=["alpha"],
        )

    def summary(self) -> str:
        """``alpha = .81 [.77, .83] (95% feldt), k = 6, n = 400``."""
        ci = ""
        if self.ci_method is not None:
            ci = f" [{_fmt(self.ci_low)}, {_fmt(self.ci_high)}] ({self.level:.0%} {self.ci_method})"
        return f"alpha = {_fmt(self.alpha)}{ci}, k = {self.k}, n = {self.n}"

    def to_apa(self, digits: int = 2) -> str:
        """APA report: ``α = .82, 95% CI [.80, .85]``.

        Examples
        --------
        >>> import pandas as pd, peoscales
        >>> items = pd.DataFrame({"a": [1, 2, 3, 4, 5, 3], "b": [2, 2, 3, 5, 4, 3],
        ...                       "c": [1, 3, 3, 4, 5, 2]})
        >>> peoscales.cronbach_alpha(items).to_apa()
        'α = .93, 95% CI [.71, .99]'
        """
        return _alpha_apa(
            self.alpha, self.ci_low, self.ci_high, self.ci_method, self.level, False, digits
        )

    def _display(self) -> pd.DataFrame:
        row = {"alpha": _fmt(self.alpha)}
        if self.ci_method is not None:
            row[_ci_label(self.level)] = _ci(self.ci_low, self.ci_high)
            row["CI method"] = _CI_METHODS[self.ci_method]
        row |= {
            "std alpha": _fmt(self.std_alpha),
            "k": str(self.k),
            "n": str(self.n),
            "rows left out": str(self.n_excluded),
        }
        return pd.DataFrame([row], index=["items"])

    def _repr_html_(self) -> str:
        return _html(self.title, [(None, self._display())], [])


@dataclass(frozen=True, eq=False, repr=False)
class OmegaResult(Result):
    """McDonald's omega: total, and hierarchical when there are group factors."""

    omega_total: float
    omega_hierarchical: float
    n_factors: int
    general_loadings: pd.Series
    n: int
    n_excluded: int
    flipped: tuple[Hashable, ...] = ()
    title = "Omega"

    def __float__(self) -> float:
        return float(self.omega_total)

    def to_frame(self) -> pd.DataFrame:
        """One row: omega total, omega hierarchical, number of factors, n."""
        return pd.DataFrame(
            [
                {
                    "omega_total": self.omega_total,
                    "omega_hierarchical": self.omega_hierarchical,
                    "n_factors": self.n_factors,
                    "n": self.n,
                    "n_excluded": self.n_excluded,
                }
            ],
            index=["omega"],
        )

    def summary(self) -> str:
        """``omega total = .80, omega hierarchical = .57 (3 group factors)``."""
        text = f"omega total = {_fmt(self.omega_total)}"
        if self.n_factors > 1:
            text += (
                f", omega hierarchical = {_fmt(self.omega_hierarchical)} "
                f"({self.n_factors} group factors)"
            )
        text += f", n = {self.n}"
        if self.flipped:
            text += "\n" + _flip_note(self.flipped)
        return text

    def _display(self) -> pd.DataFrame:
        row = {"omega total": _fmt(self.omega_total)}
        if self.n_factors > 1:
            row["omega hierarchical"] = _fmt(self.omega_hierarchical)
            row["group factors"] = str(self.n_factors)
        row |= {"n": str(self.n), "rows left out": str(self.n_excluded)}
        return pd.DataFrame([row], index=["items"])

    def _repr_html_(self) -> str:
        notes = [_flip_note(self.flipped)] if self.flipped else []
        return _html(self.title, [(None, self._display())], notes)


@dataclass(frozen=True, eq=False, repr=False)
class PolychoricResult(Result):
    """Polychoric correlations with the thresholds and pairwise n behind them."""

    rho: pd.DataFrame
    tau: pd.DataFrame
    n: pd.DataFrame
    smoothed: bool
    global_thresholds: bool = True
    n_corrected: int = 0
    title = "Polychoric correlations"

    def to_frame(self) -> pd.DataFrame:
        """The correlation matrix."""
        return self.rho

    def summary(self) -> str:
        """The correlation matrix, rounded."""
        note = "\n(smoothed to be positive definite)" if self.smoothed else ""
        return (
            "Polychoric correlations\n"
            + self.rho.to_string(float_format=lambda v: f"{v:.3f}")
            + note
        )


# --------------------------------------------------------------------------------------
# Input handling
# --------------------------------------------------------------------------------------


def _item_sets(
    frame: pd.DataFrame,
    instrument: Any,
    scales: Sequence[str] | str | None,
    items: Sequence[Hashable] | Mapping[str, Sequence[Hashable]] | None,
    columns: Any,
    reverse: Sequence[Hashable] | None,
) -> tuple[list[tuple[str, str, list[Hashable], set[Hashable]]], np.ndarray, list[Hashable]]:
    """(scale id, label, columns, reversed columns) per scale, the item block and its columns."""
    if instrument is not None:
        if items is not None or reverse is not None:
            raise ParameterError(
                "Give either instrument= (reverse keys come from its definition) or "
                "items=/reverse= for an ad-hoc item set, not both."
            )
        from peoscales._scoring import _check_ranges, _instruments, _item_columns, _select_scales

        instruments = _instruments(instrument)
        chosen = _select_scales(instruments, scales)
        by_id = {iid: it for inst in instruments for iid, it in inst.items.items()}
        rs_of = {iid: inst.response_scale_of(iid) for inst in instruments for iid in inst.items}
        item_ids = list(dict.fromkeys(i for sc in chosen for i in sc.items))
        mapping = _item_columns(frame, instruments, [by_id[i] for i in item_ids], columns)
        colnames = [mapping[i] for i in item_ids]
        x = numeric_block(frame, colnames)
        for j, iid in enumerate(item_ids):
            codes = rs_of[iid].nonsubstantive_codes
            if codes:
                x[np.isin(x[:, j], codes), j] = np.nan
        low = np.array([rs_of[i].min for i in item_ids], dtype=np.float64)
        high = np.array([rs_of[i].max for i in item_ids], dtype=np.float64)
        integer = np.array([rs_of[i].is_integer_coded for i in item_ids])
        _check_ranges(x, frame, colnames, low, high, integer)
        sets = [
            (
                sc.id,
                sc.label("en"),
                [mapping[i] for i in sc.items],
                {mapping[i] for i in sc.items if i in sc.reverse or by_id[i].reverse},
            )
            for sc in chosen
        ]
        # Non-substantive answers are masked in x: hand the cleaned block on.
        return sets, x, colnames
    if scales is not None or columns is not None:
        raise ParameterError(
            "scales= and columns= select scales of an instrument; give instrument= too, "
            "or use items= for an ad-hoc item set."
        )
    if items is None:
        groups: dict[str, list[Hashable]] = {"scale": list(frame.columns)}
    elif isinstance(items, Mapping):
        groups = {str(k): list(v) for k, v in items.items()}
    elif isinstance(items, (str, bytes)):
        raise ParameterError(
            f"items must be a list of column names (or a dict of lists), got the string {items!r}."
        )
    else:
        groups = {"scale": list(items)}
    wanted = [c for cols in groups.values() for c in cols]
    require_columns(frame, wanted, "data")
    reverse_set = set(reverse or [])
    stray = [r for r in (reverse or []) if r not in set(wanted)]
    if stray:
        raise ParameterError(
            f"reverse names {preview(stray)}, which are not among the items "
            f"{preview(wanted)}; list reverse-keyed item columns only."
        )
    sets = [(sid, sid, cols, {c for c in cols if c in reverse_set}) for sid, cols in groups.items()]
    all_cols = list(dict.fromkeys(wanted))
    return sets, numeric_block(frame, all_cols), all_cols


def _check_block(x: np.ndarray, cols: list[Hashable], scale: str) -> None:
    if len(cols) < 2:
        raise InsufficientDataError(
            f"Scale {scale!r} has {len(cols)} item(s) ({preview(cols)}); reliability needs "
            "at least two items."
        )
    empty = [c for c, ok in zip(cols, (~np.isnan(x)).any(axis=0)) if not ok]
    if empty:
        raise InsufficientDataError(
            f"Column(s) {preview(empty)} of scale {scale!r} have no answers at all; "
            "remove them from the item set."
        )


def _constant_items(x: np.ndarray, cols: list[Hashable], scale: str) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        spread = np.nanmax(x, axis=0) - np.nanmin(x, axis=0)
    constant = ~(spread > 0)
    if constant.any():
        names = [c for c, bad in zip(cols, constant) if bad]
        warnings.warn(
            f"Item(s) {preview(names)} of scale {scale!r} have no variance (every answer "
            "the same), so alpha and the item statistics that need it are NaN. Leave "
            "these items out to get the reliability of the others.",
            ConstantColumnWarning,
            stacklevel=3,
        )
    return constant


def _rows(x: np.ndarray, missing: str) -> tuple[np.ndarray, int]:
    answered = ~np.isnan(x)
    keep = answered.all(axis=1) if missing == "listwise" else answered.any(axis=1)
    return x[keep], int((~keep).sum())


def _check_pairs(n_pairs: np.ndarray, cols: list[Hashable], scale: str) -> None:
    i, j = np.nonzero(np.triu(n_pairs < 2, 1))
    if i.size:
        pairs = [f"{cols[a]!r} & {cols[b]!r}" for a, b in zip(i, j)]
        raise InsufficientDataError(
            f"In scale {scale!r} some item pairs are answered together by fewer than two "
            f"respondents: {preview(pairs, 3)}. Their covariance cannot be estimated; "
            "remove one of each pair."
        )


def _codes(x: np.ndarray, argname: str, max_categories: int) -> tuple[np.ndarray, int]:
    observed = x[~np.isnan(x)]
    if observed.size == 0:
        raise InsufficientDataError(f"{argname} has no answers at all.")
    if np.any(observed != np.round(observed)):
        bad = np.unique(observed[observed != np.round(observed)])
        raise DataTypeError(
            f"{argname}: polychoric correlations need whole-number category codes, got "
            f"{preview(bad.tolist(), 4)}. Recode the answers to ordered integers first."
        )
    low, high = observed.min(), observed.max()
    n_cat = int(high - low) + 1
    if n_cat > max_categories:
        raise ParameterError(
            f"{argname} spans {n_cat} categories ({low:g} to {high:g}), more than "
            f"max_categories={max_categories}; polychoric correlations are meant for a few "
            "ordered categories. Use Pearson correlations (ordinal=False), or raise "
            "max_categories."
        )
    codes = np.where(np.isnan(x), -1, x - low).astype(np.int64)
    return codes, n_cat


def _global_rule(codes: np.ndarray) -> bool:
    """psych's rule: item thresholds unless the items' highest codes differ."""
    highest = np.max(codes, axis=0)
    return bool(highest.min() == highest.max())


def _polychoric_r(x: np.ndarray, argname: str, max_categories: int = 8) -> tuple[np.ndarray, bool]:
    codes, n_cat = _codes(x, argname, max_categories)
    rho, _, _, _ = _poly.polychoric_matrix(
        codes, n_cat, global_thresholds=_global_rule(codes), correct=0.5
    )
    if np.isnan(rho).any():
        return rho, False
    smoothed, changed = _poly.smooth_correlation(rho)
    return smoothed, changed


# --------------------------------------------------------------------------------------
# Per-scale computation
# --------------------------------------------------------------------------------------


def _bootstrap_context(ci: CI) -> contextlib.AbstractContextManager[Any]:
    """One BLAS thread while a bootstrap runs: it spreads its batches over threads itself."""
    return single_blas_thread() if ci == "bootstrap" else contextlib.nullcontext()


def _scale_reliability(
    x_all: np.ndarray,
    sid: str,
    label: str,
    cols: list[Hashable],
    reversed_cols: set[Hashable],
    *,
    ci: CI,
    level: float,
    n_boot: int,
    rng: np.random.Generator,
    missing: str,
    ordinal: bool,
    full: bool = True,
) -> ScaleReliability:
    _check_block(x_all, cols, sid)
    x, n_excluded = _rows(x_all, missing)
    k = len(cols)
    if x.shape[0] < 2:
        raise InsufficientDataError(
            f"Scale {sid!r}: {x.shape[0]} respondent(s) left after {missing} deletion "
            f"({n_excluded} rows left out); reliability needs at least two."
        )
    constant = _constant_items(x, cols, sid)
    sign = np.array([-1.0 if c in reversed_cols else 1.0 for c in cols])
    keyed = x * sign
    cov, n_pairs = _k.pairwise_cov(keyed)
    _check_pairs(n_pairs, cols, sid)
    if ordinal:
        # Polychoric r of the answers as given, then the keys applied as signs:
        # reversing an item's categories negates its polychoric correlations exactly.
        rho, _ = _polychoric_r(x, f"scale {sid!r}") if not constant.any() else (cov * np.nan, False)
        basis = rho * np.outer(sign, sign)
        corr = basis
    else:
        basis = cov
        # Without missing answers every pair has the same rows: r follows from the
        # covariances (pairwise_cor would repeat the products).
        complete = missing == "listwise" or bool(n_pairs.min() == x.shape[0])
        corr = _k.cov_to_cor(cov) if complete else _k.pairwise_cor(keyed)
    stats = _k.scale_statistics(basis)
    if constant.any():
        stats = {
            key: np.full_like(np.asarray(val, dtype=float), np.nan) for key, val in stats.items()
        }

    alpha = float(stats["std_alpha"] if ordinal else stats["raw_alpha"])
    n = int(x.shape[0])
    ci_low = ci_high = float("nan")
    replicates = None
    if ci == "feldt":
        ci_low, ci_high = _k.feldt_interval(alpha, n, k, level)
    elif ci == "bootstrap" and not constant.any():
        replicates = _k.bootstrap_alphas(keyed, n_boot, rng)
        tail = (1.0 - level) / 2.0
        ci_low, ci_high = (float(v) for v in np.nanquantile(replicates, [tail, 1.0 - tail]))

    omega_t = float("nan")
    omega_flipped: tuple[Hashable, ...] = ()
    if full and k >= 3 and not constant.any() and np.isfinite(corr).all():
        # As psych::omega (flip = TRUE): items loading negatively are reversed for omega.
        omega_t, _, omega_keys = _k.omega_one_factor(corr)
        omega_flipped = tuple(c for c, key in zip(cols, omega_keys) if key < 0)
    odd_even = split_mean = float("nan")
    if full and not constant.any():
        odd = np.zeros((1, k))
        odd[0, ::2] = 1.0
        odd_even = float(_k.spearman_brown_splits(basis, odd)[0])
        halves, _ = _k.split_vectors(k, MAX_SPLITS, rng)
        split_mean = float(np.mean(_k.spearman_brown_splits(basis, halves)))

    # cronbach_alpha (full=False) reports no item table: skip building one.
    item_table = _item_table(x, cols, reversed_cols, stats, ordinal) if full else pd.DataFrame()
    r_drop = np.asarray(stats["r_drop"])
    average_r = float(stats["average_r"])
    suspects = _reverse_suspects(corr, cols) if np.isfinite(corr).all() else []
    if suspects or (np.isfinite(average_r) and average_r < 0) or np.any(r_drop < 0):
        if not suspects:
            suspects = [c for c, r in zip(cols, r_drop) if r < 0]
        omega_note = ""
        if omega_flipped:
            omega_note = (
                f" Omega total reversed {preview(list(omega_flipped))} (as psych::omega, "
                "whose factor direction is arbitrary); alpha and the item statistics use "
                "the items as keyed."
            )
        warnings.warn(
            f"Items of scale {sid!r} correlate negatively with the rest of the scale "
            f"(average inter-item r = {average_r:.3f}); {preview(suspects)} "
            f"{'looks' if len(suspects) == 1 else 'look'} reverse-keyed. Check the "
            "instrument's reverse keys (or pass reverse=[...] for an ad-hoc item set); "
            f"alpha was computed without reversing anything.{omega_note}",
            ReverseKeyWarning,
            stacklevel=3,
        )
    elif omega_flipped:
        _warn_general_signs(omega_flipped, (), f"scale {sid!r}", stacklevel=4)
    return ScaleReliability(
        scale=sid,
        label=label,
        items=tuple(cols),
        reverse=tuple(c for c in cols if c in reversed_cols),
        n=n,
        n_excluded=n_excluded,
        k=k,
        missing=missing,
        ordinal=ordinal,
        alpha=alpha,
        std_alpha=float(stats["std_alpha"]),
        ci_low=ci_low,
        ci_high=ci_high,
        ci_method=ci,
        level=level,
        g6=float(stats["g6"]),
        average_r=average_r,
        median_r=float(stats["median_r"]),
        omega_total=omega_t,
        split_half_odd_even=odd_even,
        split_half_random=split_mean,
        item_table=item_table,
        replicates=replicates,
        omega_flipped=omega_flipped,
    )


def _item_table(
    x: np.ndarray,
    cols: list[Hashable],
    reversed_cols: set[Hashable],
    stats: dict[str, np.ndarray],
    ordinal: bool,
) -> pd.DataFrame:
    """Per item: n, mean, sd, reversed, r.cor, r.drop and alpha if deleted."""
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        means = np.nanmean(x, axis=0)
        sds = np.nanstd(x, axis=0, ddof=1)
    return pd.DataFrame(
        {
            "n": (~np.isnan(x)).sum(axis=0),
            "mean": means,
            "sd": sds,
            "reversed": [c in reversed_cols for c in cols],
            "r_cor": stats["r_cor"],
            "r_drop": stats["r_drop"],
            "alpha_if_deleted": stats["std_alpha_if_deleted" if ordinal else "alpha_if_deleted"],
        },
        index=pd.Index(cols, name="item"),
    )


def _reverse_suspects(corr: np.ndarray, cols: list[Hashable]) -> list[Hashable]:
    """Items loading negatively on the first principal component (as psych's check).

    The component is oriented so that most items load positively; on a tie, so
    that the first item does.
    """
    _, vectors = np.linalg.eigh(corr)
    v = vectors[:, -1]
    negative = int((v < 0).sum())
    if 2 * negative > len(v) or (2 * negative == len(v) and v[0] < 0):
        v = -v
    return [c for c, value in zip(cols, v) if value < 0]


def _check_common(
    ci: Any, level: Any, n_boot: Any, missing: Any, ordinal: Any
) -> tuple[CI, float, int, Missing, bool]:
    check_option("ci", ci, ["feldt", "bootstrap", None])
    check_option("missing", missing, ["pairwise", "listwise"])
    level = check_probability("conf_level", level)
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 10:
        raise ParameterError(f"n_boot must be a whole number of at least 10, got {n_boot!r}.")
    if not isinstance(ordinal, bool):
        raise ParameterError(f"ordinal must be True or False, got {ordinal!r}.")
    if ordinal and ci == "bootstrap":
        raise ParameterError(
            "ci='bootstrap' is not available with ordinal=True (each replicate would need "
            "its own polychoric matrix); use ci='feldt' or ci=None."
        )
    return ci, level, int(n_boot), missing, ordinal


# --------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------


def reliability(
    data: pd.DataFrame,
    instrument: str | Instrument | Sequence[str | Instrument] | None = None,
    *,
    scales: Sequence[str] | str | None = None,
    items: Sequence[Hashable] | Mapping[str, Sequence[Hashable]] | None = None,
    columns: Mapping[str, Hashable] | Literal["order"] | None = None,
    reverse: Sequence[Hashable] | None = None,
    ci: CI = "feldt",
    conf_level: float = 0.95,
    n_boot: int = 1000,
    seed: int | np.random.Generator | None = None,
    missing: Missing = "pairwise",
    ordinal: bool = False,
) -> ReliabilityResult:
    """Reliability and item analysis of each scale.

    Parameters
    ----------
    data : DataFrame
        One row per respondent, item codes in columns. Never modified.
    instrument : str, Instrument or list of them, optional
        Take scales, items and reverse keys from the instrument definition.
    scales : list of str, optional
        With ``instrument``: only these scales.
    items : list or dict of lists, optional
        Without ``instrument``: the item columns of one scale, or
        ``{scale name: [columns]}`` for several. Default: all columns, one scale.
    columns : dict or "order", optional
        With ``instrument``: item id to column name, as in :func:`peoscales.score`.
    reverse : list, optional
        With ``items``: the reverse-keyed columns. Never guessed: an item that
        correlates negatively with its scale gives a :class:`ReverseKeyWarning`.
    ci : {"feldt", "bootstrap", None}
        Interval for alpha: Feldt's F-based interval, a percentile bootstrap over
        respondents, or none.
    conf_level : float
        Confidence level of the interval.
    n_boot : int
        Bootstrap replicates.
    seed : int or Generator, optional
        Seed for the bootstrap and for random split halves (reproducible results).
    missing : {"pairwise", "listwise"}
        Pairwise covariances (as ``psych::alpha``; rows with no answer at all are
        left out) or complete rows only. The result reports ``n`` and
        ``n_excluded``.
    ordinal : bool
        Compute alpha, omega and the item statistics from polychoric
        correlations (ordinal alpha).

    Returns
    -------
    ReliabilityResult
        ``result.table()`` has one row per scale; ``result["scale"]`` the
        :class:`ScaleReliability` with its item table.

    Raises
    ------
    MissingColumnsError, DataTypeError, OutOfRangeError
        Absent columns, texts in item columns, codes outside the declared range.
    InsufficientDataError
        Fewer than two items, a column without answers, fewer than two
        respondents, or an item pair never answered together.

    Warns
    -----
    ReverseKeyWarning
        Items correlate negatively with the rest of their scale.
    ConstantColumnWarning
        An item has no variance; its scale's statistics are NaN (never 0).

    Notes
    -----
    With item covariance matrix :math:`C` (correlations :math:`R`) of :math:`k`
    items, following ``psych::alpha`` (Revelle, 2022):

    .. math::

        \\alpha = \\frac{k}{k-1}\\Big(1 - \\frac{\\operatorname{tr} C}{\\mathbf 1'C\\mathbf 1}\\Big),
        \\quad \\alpha_{std} = \\frac{k}{k-1}\\Big(1 - \\frac{k}{\\mathbf 1'R\\mathbf 1}\\Big),
        \\quad \\lambda_6 = 1 - \\frac{\\sum_j (1 - \\mathrm{smc}_j)}{\\mathbf 1'R\\mathbf 1}.

    ``r_drop`` correlates an item with the sum of the other items, ``r_cor``
    with the total corrected for item overlap (``R`` with the smc on its
    diagonal). Feldt's interval is :math:`1 - (1-\\alpha) F_{1-p/2}` to
    :math:`1 - (1-\\alpha) F_{p/2}` on :math:`(n-1, (n-1)(k-1))` df (Feldt,
    Woodruff & Salih, 1987), with ``n`` the rows used. Omega total is
    :math:`(\\mathbf 1'R\\mathbf 1 - \\sum u^2_j) / \\mathbf 1'R\\mathbf 1` from
    a one-factor minres model (McDonald, 1999; psych's definition, with ``R``
    the pairwise correlations); omega hierarchical uses a Schmid-Leiman
    transformation with one group factor per scale, as ``psych::omega``.
    Split halves use the Spearman-Brown formula :math:`2r/(1+r)`.

    Reverse keys: every statistic here depends on the data only through
    covariances, so a reverse-keyed item enters as its negation; no response
    range is needed or guessed. Item means and sds are reported as answered.
    Alpha and the item statistics never reverse anything themselves (as
    ``psych::alpha``); omega total reverses items that load negatively on its
    factor (as ``psych::omega``, ``flip = TRUE``), lists them in
    ``omega_flipped`` and says so in the :class:`ReverseKeyWarning`.

    Differences from psych: a constant item makes its scale NaN with a warning
    (psych drops it silently from the computation but keeps it in the count).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from peoscales._reliability import reliability
    >>> rng = np.random.default_rng(1)
    >>> trait = rng.normal(size=200)
    >>> answers = pd.DataFrame({f"q{j}": np.clip(np.round(3 + trait + rng.normal(size=200)), 1, 5)
    ...                         for j in range(1, 5)})
    >>> res = reliability(answers, items=["q1", "q2", "q3", "q4"])
    >>> round(res["scale"].alpha, 3)
    0.732
    >>> res.table()[["k", "n", "alpha"]].round(3)
           k    n  alpha
    scale
    scale  4  200  0.732
    """
    frame = as_frame(data)
    ci, level, n_boot, missing, ordinal = _check_common(ci, conf_level, n_boot, missing, ordinal)
    rng = np.random.default_rng(seed)
    sets, cleaned, all_cols = _item_sets(frame, instrument, scales, items, columns, reverse)
    position = {c: j for j, c in enumerate(all_cols)}
    results: dict[str, ScaleReliability] = {}
    with _bootstrap_context(ci):
        for sid, label, cols, rev in sets:
            block = cleaned[:, [position[c] for c in cols]]
            results[sid] = _scale_reliability(
                block,
                sid,
                label,
                cols,
                rev,
                ci=ci,
                level=level,
                n_boot=n_boot,
                rng=rng,
                missing=missing,
                ordinal=ordinal,
            )
    omega_h = omega_t_all = float("nan")
    gl = None
    # A general factor is sought within one instrument (or one ad-hoc set of scales),
    # not across instruments that measure different constructs.
    one_instrument = (
        instrument is None
        or isinstance(instrument, (str, Instrument))
        or (isinstance(instrument, Sequence) and len(instrument) == 1)
    )
    if len(sets) >= 2 and one_instrument:
        cols = [c for _, _, cs, _ in sets for c in cs]
        if len(set(cols)) == len(cols):
            rev = set().union(*(r for _, _, _, r in sets))
            block = cleaned[:, [position[c] for c in cols]]
            res = _omega_block(block, cols, rev, len(sets), missing, ordinal)
            if res is not None:
                omega_h, omega_t_all, g = res
                gl = pd.Series(g, index=pd.Index(cols, name="item"), name="g")
    return ReliabilityResult(
        scales=MappingProxyType(results),
        omega_hierarchical=omega_h,
        omega_total_all=omega_t_all,
        general_loadings=gl,
    )


def _omega_block(
    block: np.ndarray,
    cols: list[Hashable],
    reversed_cols: set[Hashable],
    n_factors: int,
    missing: str,
    ordinal: bool,
) -> tuple[float, float, np.ndarray] | None:
    x, _ = _rows(block, missing)
    if x.shape[0] < 2:
        return None
    with np.errstate(invalid="ignore"):
        spread = np.nanmax(x, axis=0) - np.nanmin(x, axis=0)
    if not (spread > 0).all():
        return None
    sign = np.array([-1.0 if c in reversed_cols else 1.0 for c in cols])
    if ordinal:
        rho, _ = _polychoric_r(x, "data")
        corr = rho * np.outer(sign, sign)
    else:
        keyed = x * sign
        corr = _k.pairwise_cor(keyed) if missing == "pairwise" else np.corrcoef(keyed.T)
    if not np.isfinite(corr).all():
        return None
    omega_h, omega_t, g, _ = _k.omega_hierarchical(corr, n_factors)
    return omega_h, omega_t, g


def _adhoc_block(
    items: Any, reverse: Sequence[Hashable] | None, argname: str = "items"
) -> tuple[np.ndarray, list[Hashable], set[Hashable], pd.DataFrame]:
    frame = as_frame(items, argname)
    cols = list(frame.columns)
    stray = [r for r in (reverse or []) if r not in set(cols)]
    if stray:
        raise ParameterError(
            f"reverse names {preview(stray)}, which are not columns of {argname} ({preview(cols)})."
        )
    return numeric_block(frame, cols, argname), cols, set(reverse or []), frame


def cronbach_alpha(
    items: pd.DataFrame,
    *,
    reverse: Sequence[Hashable] | None = None,
    ci: CI = "feldt",
    conf_level: float = 0.95,
    n_boot: int = 1000,
    seed: int | np.random.Generator | None = None,
    missing: Missing = "pairwise",
    ordinal: bool = False,
) -> AlphaResult:
    """Cronbach's alpha of the columns of ``items``, with a confidence interval.

    Parameters
    ----------
    items : DataFrame
        One column per item, one row per respondent. Never modified.
    reverse : list, optional
        Reverse-keyed columns (entered negated; see :func:`reliability`).
    ci, conf_level, n_boot, seed, missing, ordinal
        As in :func:`reliability`.

    Returns
    -------
    AlphaResult
        ``float(result)`` is alpha; ``n`` the rows used and ``n_excluded`` the
        rows left out.

    Notes
    -----
    :math:`\\alpha = \\frac{k}{k-1}(1 - \\operatorname{tr} C / \\mathbf 1'C\\mathbf 1)`
    (Cronbach, 1951) from pairwise covariances by default, as ``psych::alpha`` and
    ``pingouin.cronbach_alpha``. The bootstrap draws the resampling indices in
    batches of replicates, each batch from its own child generator of ``seed``
    (so results do not depend on the threads that share the batches), and
    computes every replicate's alpha from a few matrix products; the interval is
    the percentile interval.

    Examples
    --------
    >>> import pandas as pd, peoscales
    >>> items = pd.DataFrame({"a": [1, 2, 3, 4, 5, 3], "b": [2, 2, 3, 5, 4, 3],
    ...                       "c": [1, 3, 3, 4, 5, 2]})
    >>> res = peoscales.cronbach_alpha(items)
    >>> round(float(res), 4), res.n
    (0.9318, 6)
    """
    ci, level, n_boot, missing, ordinal = _check_common(ci, conf_level, n_boot, missing, ordinal)
    x, cols, rev, _ = _adhoc_block(items, reverse)
    with _bootstrap_context(ci):
        one = _scale_reliability(
            x,
            "items",
            "items",
            cols,
            rev,
            ci=ci,
            level=level,
            n_boot=n_boot,
            rng=np.random.default_rng(seed),
            missing=missing,
            ordinal=ordinal,
            full=False,
        )
    return AlphaResult(
        alpha=one.alpha,
        std_alpha=one.std_alpha,
        ci_low=one.ci_low,
        ci_high=one.ci_high,
        ci_method=ci,
        level=level,
        n=one.n,
        n_excluded=one.n_excluded,
        k=one.k,
        replicates=one.replicates,
    )


def omega(
    items: pd.DataFrame,
    *,
    n_factors: int = 1,
    reverse: Sequence[Hashable] | None = None,
    flip: bool = True,
    missing: Missing = "pairwise",
    ordinal: bool = False,
) -> OmegaResult:
    """McDonald's omega total, and omega hierarchical with group factors.

    Parameters
    ----------
    items : DataFrame
        One column per item. Never modified.
    n_factors : int
        1: omega total from a one-factor model. 2 or more: a Schmid-Leiman
        bifactor model with this many group factors, giving omega hierarchical
        too (as ``psych::omega(items, nfactors = n_factors)``).
    reverse : list, optional
        Reverse-keyed columns (entered negated).
    flip : bool
        Reverse the items that still load negatively on the general factor, as
        ``psych::omega`` does by default (``flip = TRUE``). They are listed in
        ``result.flipped`` and named in a :class:`ReverseKeyWarning`; declare
        them in ``reverse`` to make the keys explicit. ``False`` keeps the items
        as keyed (omega total is then misleading, and can be negative, when some
        load negatively; a warning says so).
    missing : {"pairwise", "listwise"}
    ordinal : bool
        Use polychoric instead of Pearson correlations.

    Returns
    -------
    OmegaResult
        ``float(result)`` is omega total; ``flipped`` the items reversed
        automatically.

    Warns
    -----
    ReverseKeyWarning
        Items load negatively on the general factor (they were reversed with
        ``flip=True``, left as they are with ``flip=False``).

    Notes
    -----
    Factors are fitted by minimum residual (unweighted least squares) on the
    correlation matrix :math:`R`; :math:`\\omega_t = (\\mathbf 1'R\\mathbf 1 -
    \\sum_j u_j^2)/\\mathbf 1'R\\mathbf 1` with uniquenesses :math:`u_j^2 = 1 -
    h_j^2`, and :math:`\\omega_h = (\\sum_j g_j)^2/\\mathbf 1'R\\mathbf 1` with the
    general-factor loadings :math:`g` of the Schmid-Leiman solution (oblimin
    group factors, the general factor from their correlations; with two group
    factors both load :math:`\\sqrt{\\phi_{12}}`). McDonald (1999); Zinbarg et
    al. (2005); Revelle (2022), ``psych::omega``.

    Reverse keys: with ``flip=True`` (psych's default) the items whose general
    loading is negative are reversed before :math:`\\mathbf 1'R\\mathbf 1` is
    taken, so reverse-keyed items that were not declared do not drag omega
    towards zero (or below it). The sign of a factor is arbitrary: the factor
    is oriented so that its loadings sum to a positive number (as ``psych::fa``),
    and when the reversed items outweigh the others it is the others that are
    reported as flipped; omega is the same either way.

    Examples
    --------
    >>> import numpy as np, pandas as pd, peoscales
    >>> rng = np.random.default_rng(3)
    >>> f = rng.normal(size=300)
    >>> items = pd.DataFrame({f"i{j}": 0.7 * f + rng.normal(size=300) for j in range(5)})
    >>> round(float(peoscales.omega(items)), 3)
    0.735
    """
    check_option("missing", missing, ["pairwise", "listwise"])
    if isinstance(n_factors, bool) or not isinstance(n_factors, (int, np.integer)) or n_factors < 1:
        raise ParameterError(f"n_factors must be a whole number of at least 1, got {n_factors!r}.")
    x_all, cols, rev, _ = _adhoc_block(items, reverse)
    _check_block(x_all, cols, "items")
    if len(cols) < 3 * n_factors:
        raise InsufficientDataError(
            f"omega with n_factors={n_factors} needs at least {3 * n_factors} items "
            f"(three per factor), got {len(cols)}."
        )
    x, n_excluded = _rows(x_all, missing)
    constant = _constant_items(x, cols, "items")
    nan = float("nan")
    if constant.any():
        g = np.full(len(cols), nan)
        return OmegaResult(
            nan, nan, n_factors, pd.Series(g, index=cols, name="g"), x.shape[0], n_excluded
        )
    if not isinstance(flip, bool):
        raise ParameterError(f"flip must be True or False, got {flip!r}.")
    sign = np.array([-1.0 if c in rev else 1.0 for c in cols])
    if ordinal:
        rho, _ = _polychoric_r(x, "items")
        corr = rho * np.outer(sign, sign)
    else:
        keyed = x * sign
        corr = _k.pairwise_cor(keyed) if missing == "pairwise" else np.corrcoef(keyed.T)
    if n_factors == 1:
        omega_t, load, keys = _k.omega_one_factor(corr, flip)
        omega_h = nan
    else:
        omega_h, omega_t, load, keys = _k.omega_hierarchical(corr, n_factors, flip)
    flipped = tuple(c for c, key in zip(cols, keys) if key < 0)
    negative = [c for c, value in zip(cols, load) if value < 0]
    _warn_general_signs(flipped, negative, "", stacklevel=3)
    return OmegaResult(
        omega_t,
        omega_h,
        n_factors,
        pd.Series(load, index=cols, name="g"),
        x.shape[0],
        n_excluded,
        flipped=flipped,
    )


def _warn_general_signs(
    flipped: Sequence[Hashable], negative: Sequence[Hashable], scale: str, stacklevel: int
) -> None:
    """Name the items omega reversed (or, without flipping, those loading negatively)."""
    where = f" of {scale}" if scale else ""
    if flipped:
        warnings.warn(
            f"Item(s) {preview(list(flipped))}{where} load negatively on the general "
            "factor and were reversed for omega, as psych::omega does (flip=True); the "
            "direction of a factor is arbitrary, so this equals reversing the other items. "
            "Declare reverse-keyed items with reverse=[...] (or in the instrument "
            "definition) to state the keys explicitly.",
            ReverseKeyWarning,
            stacklevel=stacklevel,
        )
    elif negative:
        warnings.warn(
            f"Item(s) {preview(list(negative))}{where} load negatively on the general "
            "factor and were not reversed (flip=False), so omega total is too low and may "
            "be negative. Declare them with reverse=[...] or use flip=True.",
            ReverseKeyWarning,
            stacklevel=stacklevel,
        )


def polychoric(
    items: pd.DataFrame,
    *,
    smooth: bool = True,
    correct: float = 0.5,
    global_thresholds: bool | None = None,
    max_categories: int = 8,
) -> PolychoricResult:
    """Polychoric correlations of ordered-category items (two-step maximum likelihood).

    Parameters
    ----------
    items : DataFrame
        Whole-number category codes, NaN where missing. Never modified.
    smooth : bool
        If the matrix is not positive definite, smooth it as ``psych::cor.smooth``
        (with a warning).
    correct : float
        Continuity correction for per-pair thresholds: ``correct / n`` is added
        to the empty cells of a pair's table (psych's default 0.5; 0 for none).
    global_thresholds : bool, optional
        ``True``: each item's thresholds from its own answers. ``False``: from
        each pair's table, with the continuity correction. Default: psych's rule,
        ``True`` unless the items' highest codes differ.
    max_categories : int
        Refuse items spanning more categories than this (psych: 8).

    Returns
    -------
    PolychoricResult
        ``rho``, thresholds ``tau`` and the pairwise ``n``.

    Notes
    -----
    Step 1: each item's thresholds are :math:`\\tau_c = \\Phi^{-1}(P(X \\le c))` from
    its own answers, on the categories from the smallest to the largest code in
    the data. Step 2: for each pair, :math:`\\rho` maximises
    :math:`\\sum_{ab} n_{ab} \\log P_{ab}(\\rho)`, the cell probabilities being
    rectangles of the bivariate normal (Olsson, 1979). This is
    ``psych::polychoric`` with its defaults: item thresholds (``global = TRUE``)
    unless the items' highest codes differ, in which case each pair's thresholds
    come from its own table, with empty cells raised to ``correct / n``
    (``result.n_corrected`` counts them; psych warns about them). Empty cells
    otherwise contribute nothing to the likelihood. One difference: psych stops
    its one-dimensional search at ``optimize``'s default tolerance (about 1e-4);
    peoscales runs it to 1e-12, so results differ from psych by up to ~2e-5 and
    agree with psych's own likelihood maximised tightly to ~1e-7.

    Examples
    --------
    >>> import pandas as pd, peoscales
    >>> items = pd.DataFrame({"a": [1, 1, 2, 2, 3, 3, 1, 2, 3, 2],
    ...                       "b": [1, 2, 2, 2, 3, 3, 1, 1, 3, 3]})
    >>> round(float(peoscales.polychoric(items).rho.loc["a", "b"]), 3)
    0.901
    """
    frame = as_frame(items, "items")
    cols = list(frame.columns)
    if len(cols) < 2:
        raise InsufficientDataError(
            f"items has {len(cols)} column(s); polychoric needs two or more."
        )
    x = numeric_block(frame, cols, "items")
    _check_block(x, cols, "items")
    _constant_items(x, cols, "items")
    codes, n_cat = _codes(x, "items", max_categories)
    try:
        correct = float(correct)
    except (TypeError, ValueError):
        raise ParameterError(f"correct must be a number >= 0, got {correct!r}.") from None
    if not correct >= 0:
        raise ParameterError(f"correct must be a number >= 0, got {correct!r}.")
    use_global = _global_rule(codes) if global_thresholds is None else bool(global_thresholds)
    rho, tau, n_pairs, n_corrected = _poly.polychoric_matrix(
        codes, n_cat, global_thresholds=use_global, correct=correct
    )
    changed = False
    if smooth and not np.isnan(rho).any():
        rho, changed = _poly.smooth_correlation(rho)
        if changed:
            warnings.warn(
                "The polychoric matrix was not positive definite and was smoothed "
                "(psych's cor.smooth); interpret it with care.",
                PeoscalesWarning,
                stacklevel=2,
            )
    low = int(np.nanmin(x))
    return PolychoricResult(
        rho=pd.DataFrame(rho, index=cols, columns=cols),
        tau=pd.DataFrame(
            tau, index=cols, columns=[f"{low + c}|{low + c + 1}" for c in range(n_cat - 1)]
        ),
        n=pd.DataFrame(n_pairs.astype(np.int64), index=cols, columns=cols),
        smoothed=changed,
        global_thresholds=use_global,
        n_corrected=n_corrected,
    )
