"""The reliability results: per scale, per instrument, alpha, omega and polychoric."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from peoscales._deprecation import renamed_arguments
from peoscales._reliability.display import (
    _CI_METHODS,
    _alpha_apa,
    _ci,
    _ci_label,
    _flip_note,
    _fmt,
    _html,
    _text,
)
from peoscales._results import Result, apa_number
from peoscales._validation import (
    preview,
)
from peoscales.errors import (
    ParameterError,
)


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
        Confidence interval of ``alpha`` (NaN when ``ci_method=None``).
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
        The bootstrap alphas (``ci_method="bootstrap"``).
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
    confidence: float
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

    _renamed: ClassVar[Mapping[str, str | tuple[str, ...]]] = {"level": "confidence"}

    def plot(self, ax: Any = None, *, lang: str = "nl", **style: Any) -> Any:
        """Corrected item-total r and alpha if deleted per item; see
        :func:`peoscales.plot.item_reliability`."""
        from peoscales import plot

        style.setdefault("title", self.scale)
        return plot.item_reliability(
            self.item_table, alpha=self.alpha, n=self.n, lang=lang, ax=ax, **style
        )

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

    @renamed_arguments(digits="decimals")
    def to_apa(self, decimals: int = 2) -> str:
        """APA report of alpha: ``α = .82, 95% CI [.80, .85]``."""
        return _alpha_apa(
            self.alpha,
            self.ci_low,
            self.ci_high,
            self.ci_method,
            self.confidence,
            self.ordinal,
            decimals,
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
                    _ci_label(self.confidence),
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
        return next(iter(self.scales.values())).confidence if self.scales else 0.95

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
    confidence: float
    n: int
    n_excluded: int
    k: int
    replicates: np.ndarray | None = None
    title = "Cronbach's alpha"

    _renamed: ClassVar[Mapping[str, str | tuple[str, ...]]] = {"level": "confidence"}

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
            ci = f" [{_fmt(self.ci_low)}, {_fmt(self.ci_high)}] ({self.confidence:.0%} {self.ci_method})"
        return f"alpha = {_fmt(self.alpha)}{ci}, k = {self.k}, n = {self.n}"

    @renamed_arguments(digits="decimals")
    def to_apa(self, decimals: int = 2) -> str:
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
            self.alpha, self.ci_low, self.ci_high, self.ci_method, self.confidence, False, decimals
        )

    def _display(self) -> pd.DataFrame:
        row = {"alpha": _fmt(self.alpha)}
        if self.ci_method is not None:
            row[_ci_label(self.confidence)] = _ci(self.ci_low, self.ci_high)
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

    r: pd.DataFrame
    tau: pd.DataFrame
    n: pd.DataFrame
    smoothed: bool
    global_thresholds: bool = True
    n_corrected: int = 0
    title = "Polychoric correlations"

    _renamed: ClassVar[Mapping[str, str | tuple[str, ...]]] = {"rho": "r"}

    def to_frame(self) -> pd.DataFrame:
        """The correlation matrix."""
        return self.r

    def summary(self) -> str:
        """The correlation matrix, rounded."""
        note = "\n(smoothed to be positive definite)" if self.smoothed else ""
        return (
            "Polychoric correlations\n" + self.r.to_string(float_format=lambda v: f"{v:.3f}") + note
        )
