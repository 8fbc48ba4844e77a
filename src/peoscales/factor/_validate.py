"""The validation report for a scale definition: checks, items, reliability, EFA, CFA,
invariance and flags, as one result with an HTML page."""

from __future__ import annotations

import html
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from peoscales._results import Result, apa_number, sections_html, sections_text
from peoscales._validation import as_frame, numeric_block, require_columns
from peoscales.factor._cfa import CFAResult, cfa, measurement_model
from peoscales.factor._efa import (
    EFAResult,
    ParallelAnalysisResult,
    SuitabilityResult,
    efa,
    factor_suitability,
    parallel_analysis,
)
from peoscales.factor._invariance import InvarianceResult, invariance
from peoscales.instruments.model import Instrument

__all__ = ["ScaleValidation", "validate_scale"]

#: Share of answers at the lowest or highest code above which an item is flagged
#: (Terwee et al., 2007: floor or ceiling effects above 15 %).
FLOOR_CEILING = 0.15
#: Standardised CFA loadings below this are flagged as weak.
WEAK_LOADING = 0.40
#: EFA loadings below this on the item's own factor are flagged.
EFA_CUT = 0.30

_PAGE_CSS = (
    "body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#222}"
    "table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.2rem .6rem;"
    "border-bottom:1px solid #ddd;text-align:right}th{background:#f4f4f4}"
    ".problem{color:#a00}.peoscales-result{margin:1rem 0}"
)


@dataclass(frozen=True, eq=False, repr=False)
class ScaleValidation(Result):
    """What a methodologist checks before trusting a scale definition.

    Attributes
    ----------
    instrument : Instrument
        The definition checked.
    checks : DataFrame
        One row per check of the definition against the data (``check``, ``ok``,
        ``detail``): items present, codes within the response scales, enough rows.
    items : DataFrame
        Per item: ``scale``, ``reversed``, ``n``, ``missing_share``, ``mean``, ``sd``
        (on the recoded item), ``floor`` and ``ceiling`` (shares at the lowest and
        highest code).
    reliability : ReliabilityResult or None
    suitability : SuitabilityResult or None
    parallel : ParallelAnalysisResult or None
    efa : EFAResult or None
        With as many factors as the definition has scales (oblimin).
    cfa : CFAResult or None
        The declared structure.
    invariance : InvarianceResult or None
        Across ``by`` when given.
    flags : DataFrame
        Problems found, one row each: ``item``, ``flag`` and ``detail``.
    by : column name or None
    """

    instrument: Instrument
    checks: pd.DataFrame
    items: pd.DataFrame
    reliability: Any
    suitability: SuitabilityResult | None
    parallel: ParallelAnalysisResult | None
    efa: EFAResult | None
    cfa: CFAResult | None
    invariance: InvarianceResult | None
    flags: pd.DataFrame
    by: Hashable | None

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Validation of {self.instrument.name!r}"

    @property
    def passed(self) -> bool:
        """Every check of the definition against the data passed."""
        return bool(self.checks["ok"].all())

    def to_frame(self) -> pd.DataFrame:
        """The flags (empty when nothing was found)."""
        return self.flags.copy()

    def _item_display(self) -> pd.DataFrame:
        frame = self.items.copy()
        for column in ("missing_share", "floor", "ceiling"):
            frame[column] = frame[column].map(lambda v: f"{100 * v:.1f}%")
        for column in ("mean", "sd"):
            frame[column] = frame[column].map(lambda v: apa_number(v, 2))
        return frame

    def summary(self) -> str:
        """Text: checks, flags and the fit of the declared structure."""
        sections: list[tuple[str | None, pd.DataFrame]] = [("Checks", self.checks)]
        sections.append(("Flags", self.flags if len(self.flags) else pd.DataFrame({"": ["none"]})))
        notes = [f"CFA: {self.cfa.to_apa()}; n = {self.cfa.n}."] if self.cfa is not None else []
        return sections_text(self.title, sections, notes)

    def _repr_html_(self) -> str:
        notes = [f"CFA: {self.cfa.to_apa()}; n = {self.cfa.n}."] if self.cfa is not None else []
        return sections_html(self.title, [("Checks", self.checks), ("Flags", self.flags)], notes)

    def to_html(self) -> str:
        """A self-contained HTML page with every part of the validation."""
        parts = [f"<h1>{html.escape(self.title)}</h1>"]
        parts.append(f"<p>{html.escape(self.instrument.title)}</p>")
        parts.append(sections_html("Checks of the definition", [(None, self.checks)]))
        flags = self.flags if len(self.flags) else pd.DataFrame({"flag": ["none"]})
        parts.append(sections_html("Flags", [(None, flags)]))
        parts.append(sections_html("Items", [(None, self._item_display())]))
        for result in (
            self.reliability,
            self.suitability,
            self.parallel,
            self.efa,
            self.cfa,
            self.invariance,
        ):
            if result is not None:
                parts.append(result._repr_html_())
        return (
            "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(self.title)}</title><style>{_PAGE_CSS}</style></head>"
            f"<body><main>{''.join(parts)}</main></body></html>\n"
        )

    def write(self, path: str | Path) -> Path:
        """Write :meth:`to_html` to ``path`` (UTF-8) and return the path."""
        target = Path(path)
        target.write_text(self.to_html(), encoding="utf-8")
        return target


def _load_definition(definition: str | Path | Instrument) -> Instrument:
    from peoscales.instruments import get_instrument, load_instrument

    if isinstance(definition, Instrument):
        return definition
    path = Path(definition)
    if path.suffix == ".toml" or path.exists():
        return load_instrument(path)
    return get_instrument(str(definition))


def validate_scale(
    definition: str | Path | Instrument,
    data: pd.DataFrame,
    *,
    by: Hashable | None = None,
    n_boot: int = 100,
    seed: int | None = 0,
) -> ScaleValidation:
    """Check a scale definition against data: the file, the items, reliability, EFA,
    CFA of the declared structure, invariance across ``by``, and flags.

    Parameters
    ----------
    definition : path, name or Instrument
        A TOML definition file (its schema is checked on loading), the name of a
        registered instrument, or an :class:`~peoscales.Instrument`.
    data : DataFrame
        Item columns named by item id (and the ``by`` column). Not modified.
    by : column name, optional
        Groups to test measurement invariance across (care type, wave, language).
    n_boot, seed
        Replicates and seed of the parallel analysis.

    Returns
    -------
    ScaleValidation

    Notes
    -----
    Flags: items whose answers sit at the lowest or highest code more than 15 % of
    the time (floor/ceiling, Terwee et al., 2007); items whose main EFA factor is
    not their scale's factor, or that load below .30 on it; negative standardised
    CFA loadings after the declared reversal (a reverse key that looks wrong);
    standardised CFA loadings below .40. The EFA extracts as many factors as there
    are scales (minres, oblimin), each factor matched to the scale whose items load
    on it most.

    Examples
    --------
    >>> import peoscales as ps
    >>> data = ps.demo.load_mental_fitness()
    >>> report = ps.validate_scale("wbns", data, n_boot=20)
    >>> report.passed
    True
    """
    data = as_frame(data)
    if by is not None:
        require_columns(data, [by])
    instrument = _load_definition(definition)
    spec = measurement_model(instrument)
    checks: list[dict[str, Any]] = []
    absent = [i for i in spec.items if i not in data.columns]
    checks.append(
        {
            "check": "items present in the data",
            "ok": not absent,
            "detail": f"missing: {', '.join(map(str, absent))}" if absent else "all present",
        }
    )
    if absent:
        return _partial(instrument, checks, by)
    x = numeric_block(data, list(spec.items))
    bad = []
    for j, item in enumerate(spec.items):
        codes = spec.nonsubstantive.get(item, ())
        column = np.where(np.isin(x[:, j], codes), np.nan, x[:, j])
        valid = spec.substantive.get(item)
        if valid and (~np.isnan(column) & ~np.isin(column, valid)).any():
            bad.append(item)
        x[:, j] = column
    checks.append(
        {
            "check": "codes within the response scales",
            "ok": not bad,
            "detail": f"out of range: {', '.join(map(str, bad))}" if bad else "all valid",
        }
    )
    if bad:
        return _partial(instrument, checks, by)
    items = _item_table(x, spec)
    complete = int((~np.isnan(x).any(axis=1)).sum())
    enough = complete > 2 * len(spec.items)
    checks.append(
        {
            "check": "complete rows for factor models",
            "ok": enough,
            "detail": f"{complete} complete rows for {len(spec.items)} items",
        }
    )
    if not enough:
        return _partial(instrument, checks, by, items)
    from peoscales._reliability import reliability

    recoded = pd.DataFrame(x, columns=list(spec.items), index=data.index)
    for item in spec.reversed:
        low, high = spec.ranges[item]
        recoded[item] = low + high - recoded[item]
    rel = reliability(data, instrument)
    suitability = factor_suitability(recoded)
    parallel = parallel_analysis(recoded, n_boot=n_boot, seed=seed)
    n_scales = len(spec.factors)
    exploratory = efa(recoded, n_scales) if n_scales > 1 else efa(recoded, 1, rotation=None)
    confirmatory = cfa(data, instrument)
    across = invariance(data, instrument, between=by) if by is not None else None
    flags = _flags(items, spec, exploratory, confirmatory)
    return ScaleValidation(
        instrument=instrument,
        checks=pd.DataFrame(checks),
        items=items,
        reliability=rel,
        suitability=suitability,
        parallel=parallel,
        efa=exploratory,
        cfa=confirmatory,
        invariance=across,
        flags=flags,
        by=by,
    )


def _partial(
    instrument: Instrument,
    checks: list[dict[str, Any]],
    by: Hashable | None,
    items: pd.DataFrame | None = None,
) -> ScaleValidation:
    return ScaleValidation(
        instrument=instrument,
        checks=pd.DataFrame(checks),
        items=items if items is not None else pd.DataFrame(),
        reliability=None,
        suitability=None,
        parallel=None,
        efa=None,
        cfa=None,
        invariance=None,
        flags=pd.DataFrame(columns=["item", "flag", "detail"]),
        by=by,
    )


def _item_table(x: np.ndarray, spec: Any) -> pd.DataFrame:
    scale_of = {item: scale for scale, items in spec.factors.items() for item in items}
    answered = ~np.isnan(x)
    rows = []
    for j, item in enumerate(spec.items):
        column = x[answered[:, j], j]
        valid = spec.substantive.get(item) or (
            (float(column.min()), float(column.max())) if column.size else (np.nan, np.nan)
        )
        low, high = min(valid), max(valid)
        n = column.size
        rows.append(
            {
                "item": item,
                "scale": scale_of[item],
                "reversed": item in spec.reversed,
                "n": n,
                "missing_share": 1 - n / len(x) if len(x) else np.nan,
                "mean": column.mean() if n else np.nan,
                "sd": column.std(ddof=1) if n > 1 else np.nan,
                "floor": (column == low).mean() if n else np.nan,
                "ceiling": (column == high).mean() if n else np.nan,
            }
        )
    return pd.DataFrame(rows).set_index("item")


def _flags(
    items: pd.DataFrame, spec: Any, exploratory: EFAResult, confirmatory: CFAResult
) -> pd.DataFrame:
    flags: list[dict[str, Any]] = []
    for item, row in items.iterrows():
        for side in ("floor", "ceiling"):
            if row[side] > FLOOR_CEILING:
                flags.append(
                    {
                        "item": item,
                        "flag": f"{side} effect",
                        "detail": f"{100 * row[side]:.0f}% of the answers at the "
                        f"{'lowest' if side == 'floor' else 'highest'} code",
                    }
                )
    loadings = exploratory.loadings.abs()
    # Each scale's factor: the one its items load on most, on average.
    factor_of = {
        scale: loadings.loc[list(members)].mean().idxmax()
        for scale, members in spec.factors.items()
    }
    for item in spec.items:
        scale = items.at[item, "scale"]
        own = factor_of[scale]
        main = loadings.loc[item].idxmax()
        if main != own or loadings.at[item, own] < EFA_CUT:
            flags.append(
                {
                    "item": item,
                    "flag": "loads on another scale",
                    "detail": f"EFA: {loadings.at[item, own]:.2f} on {scale}'s factor {own}, "
                    f"{loadings.at[item, main]:.2f} on {main}",
                }
            )
    for (factor, item), row in confirmatory.loadings.iterrows():
        if row["beta"] < 0:
            keyed = "reversed" if item in spec.reversed else "not reversed"
            flags.append(
                {
                    "item": item,
                    "flag": "reverse key looks wrong",
                    "detail": f"negative standardised loading {row['beta']:.2f} on {factor} "
                    f"({keyed} in the definition)",
                }
            )
        elif row["beta"] < WEAK_LOADING:
            flags.append(
                {
                    "item": item,
                    "flag": "weak loading",
                    "detail": f"standardised CFA loading {row['beta']:.2f} on {factor}",
                }
            )
    return pd.DataFrame(flags, columns=["item", "flag", "detail"])
