"""Measurement invariance across groups: configural, metric, scalar and strict models."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from peoscales._results import (
    Result,
    apa_number,
    count_text,
    format_p,
    sections_html,
    sections_text,
)
from peoscales._validation import as_frame, check_option, preview, require_columns
from peoscales.errors import InsufficientDataError, ParameterError
from peoscales.factor import _model
from peoscales.factor._cfa import ModelArg, measurement_model, model_data

__all__ = ["InvarianceResult", "invariance"]

#: The steps and the parameters each holds equal across groups.
STEPS: dict[str, frozenset[str]] = {
    "configural": frozenset(),
    "metric": frozenset({"loadings"}),
    "scalar": frozenset({"loadings", "intercepts"}),
    "strict": frozenset({"loadings", "intercepts", "residuals"}),
}

#: Chen (2007): largest acceptable fall in CFI and rises in RMSEA and SRMR per step.
CHEN_2007 = {
    "metric": {"delta_cfi": -0.010, "delta_rmsea": 0.015, "delta_srmr": 0.030},
    "scalar": {"delta_cfi": -0.010, "delta_rmsea": 0.015, "delta_srmr": 0.010},
    "strict": {"delta_cfi": -0.010, "delta_rmsea": 0.015, "delta_srmr": 0.010},
}


@dataclass(frozen=True, eq=False, repr=False)
class InvarianceResult(Result):
    """Measurement invariance of a factor model across groups (lavaan's ``group.equal``).

    Attributes
    ----------
    table : DataFrame
        One row per step (``configural``, ``metric``, ``scalar``, optionally
        ``strict``): ``chi2``, ``df``, ``p``, ``cfi``, ``tli``, ``rmsea`` with
        ``rmsea_ci_low``/``rmsea_ci_high``, ``srmr``, ``aic``, ``bic``; against the step
        before: the χ² difference test (``chi2_diff``, ``df_diff``, ``p_diff``), the
        changes ``delta_cfi``, ``delta_rmsea``, ``delta_srmr`` and the ``verdict``
        (``"holds"`` when all three changes are within Chen's (2007) cut-offs,
        ``"not supported"`` otherwise).
    estimator : str
        ``"ML"`` or ``"MLR"`` (then the table also has the scaled χ² and the robust
        indices, and the differences are scaled).
    parameters : dict of DataFrame
        The parameter table of each step (with a ``group`` column).
    between : column name
        The grouping column.
    groups : tuple
        The group labels, in order of appearance (the first is the reference group
        whose factor means are fixed to 0 in the scalar and strict models).
    group_sizes : tuple of int
    factors : dict
    reversed : tuple
    n, n_excluded : int
    converged : bool
    """

    table: pd.DataFrame
    estimator: str
    parameters: dict[str, pd.DataFrame]
    between: Hashable
    groups: tuple[Hashable, ...]
    group_sizes: tuple[int, ...]
    factors: dict[str, tuple[Hashable, ...]]
    reversed: tuple[Hashable, ...]
    n: int
    n_excluded: int
    converged: bool

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Measurement invariance across {self.between}"

    def to_frame(self) -> pd.DataFrame:
        """The table of steps (unrounded)."""
        return self.table.copy()

    def _display(self) -> pd.DataFrame:
        t = self.table
        three = lambda v: apa_number(v, 3, leading_zero=False)  # noqa: E731
        robust = self.estimator == "MLR"
        chi2, cfi, rmsea = (
            ("chi2_scaled", "cfi_robust", "rmsea_robust") if robust else ("chi2", "cfi", "rmsea")
        )
        return pd.DataFrame(
            {
                "scaled χ²" if robust else "χ²": t[chi2].map(lambda v: apa_number(v, 2)),
                "df": t["df"].map(count_text),
                "CFI": t[cfi].map(three),
                "RMSEA": t[rmsea].map(three),
                "SRMR": t["srmr"].map(three),
                "scaled Δχ²" if robust else "Δχ²": t["chi2_diff"].map(lambda v: apa_number(v, 2)),
                "Δdf": t["df_diff"].map(count_text),
                "p": t["p_diff"].map(format_p),
                "ΔCFI": t["delta_cfi"].map(three),
                "ΔRMSEA": t["delta_rmsea"].map(three),
                "ΔSRMR": t["delta_srmr"].map(three),
                "verdict": t["verdict"].fillna(""),
            },
            index=t.index,
        )

    def _notes(self) -> list[str]:
        sizes = ", ".join(f"{g}: {n}" for g, n in zip(self.groups, self.group_sizes, strict=True))
        notes = [
            "Each step is compared with the one before. Cut-offs (Chen, 2007): ΔCFI ≥ −.010 "
            "and ΔRMSEA ≤ .015, with ΔSRMR ≤ .030 for metric and ≤ .010 for scalar and strict "
            "invariance. The χ² difference test is sensitive to large samples.",
            f"n = {self.n} ({sizes}); {self.n_excluded} rows excluded (listwise).",
        ]
        if not self.converged:
            notes.append("Warning: at least one model did not converge.")
        return notes

    def summary(self) -> str:
        """Text: the steps with fit, differences and verdicts, and the cut-offs."""
        return sections_text(self.title, [(None, self._display())], self._notes())

    def _repr_html_(self) -> str:
        return sections_html(self.title, [(None, self._display())], self._notes())


def invariance(
    data: pd.DataFrame,
    model: ModelArg,
    *,
    between: Hashable,
    scales: Sequence[str] | None = None,
    strict: bool = False,
    estimator: Literal["ML", "MLR"] = "ML",
) -> InvarianceResult:
    """Test measurement invariance of a factor model across groups.

    Parameters
    ----------
    data : DataFrame
        Items and the grouping column. Not modified.
    model : str, Instrument or mapping
        As in :func:`peoscales.cfa` (an instrument's scales, reverse keys handled).
    between : column name
        The groups to compare (care types, waves, languages).
    scales : sequence of str, optional
        With an instrument: the scales to include.
    strict : bool
        Also test strict invariance (equal residual variances).
    estimator : {"ML", "MLR"}
        With ``"MLR"`` every step is fitted with lavaan's robust ML: the table gains
        ``chi2_scaled``, ``p_scaled``, ``scaling_factor``, ``cfi_robust``,
        ``tli_robust`` and ``rmsea_robust``, the difference tests are Satorra-Bentler
        (2001) scaled differences (as ``lavTestLRT`` for MLR fits) and ΔCFI and ΔRMSEA
        use the robust indices.

    Returns
    -------
    InvarianceResult

    Notes
    -----
    Multi-group ML CFA with a mean structure, as lavaan's ``cfa(..., group=,
    group.equal=)``: configural (same pattern), metric (equal loadings), scalar
    (plus equal intercepts; factor means free in all but the first group), strict
    (plus equal residual variances). Consecutive models are compared with the
    likelihood-ratio χ² difference (lavaan's ``lavTestLRT``) and the changes in
    CFI, RMSEA and SRMR against Chen's (2007) cut-offs. Checked against lavaan on
    HolzingerSwineford1939 by school.

    Examples
    --------
    >>> import peoscales as ps
    >>> data = ps.demo.load_mental_fitness()
    >>> data = data[data["care_type"] != "overig"]
    >>> result = ps.invariance(data, "wbns", between="care_type")
    >>> list(result.table.index)
    ['configural', 'metric', 'scalar']
    """
    data = as_frame(data)
    check_option("estimator", estimator, ("ML", "MLR"))
    robust = estimator == "MLR"
    require_columns(data, [between])
    spec = measurement_model(model, scales)
    x, keep, n_excluded = model_data(data, spec)
    labels = data[between].to_numpy()[keep]
    has_group = pd.notna(labels)
    n_excluded += int((~has_group).sum())
    x, labels = x[has_group], labels[has_group]
    groups = tuple(pd.unique(labels))
    if len(groups) < 2:
        raise ParameterError(
            f"between={between!r} has {len(groups)} group(s) with complete answers; "
            "invariance needs at least two."
        )
    blocks = [x[labels == g] for g in groups]
    small = [g for g, b in zip(groups, blocks, strict=True) if len(b) <= len(spec.items)]
    if small:
        raise InsufficientDataError(
            f"Groups {preview(small)} of {between!r} have no more complete rows than the "
            f"{len(spec.items)} items; merge small groups or leave them out."
        )
    steps = [s for s in STEPS if s != "strict" or strict]
    rows, parameters, converged = [], {}, True
    for step in steps:
        fitted = _model.fit_model(
            blocks, spec.factors, spec.items, STEPS[step], True, groups, robust=robust
        )
        indices = _model.fit_indices(fitted)
        if robust:
            indices.update(_model.robust_indices(fitted, blocks))
        rows.append({"step": step, **indices})
        parameters[step] = fitted.parameters
        converged &= fitted.converged
    table = pd.DataFrame(rows).set_index("step")
    table["df"] = table["df"].astype(int)
    table = table.drop(columns=["rmsea_p", "loglik"])
    _compare_steps(table, robust)
    return InvarianceResult(
        estimator=estimator,
        table=table,
        parameters=parameters,
        between=between,
        groups=groups,
        group_sizes=tuple(len(b) for b in blocks),
        factors=dict(spec.factors),
        reversed=spec.reversed,
        n=len(x),
        n_excluded=n_excluded,
        converged=converged,
    )


def _compare_steps(table: pd.DataFrame, robust: bool) -> None:
    from scipy import stats

    df_diff = table["df"].diff()
    chi2_diff = table["chi2"].diff()
    if robust:
        # Satorra & Bentler (2001): the unscaled difference over the pooled scaling.
        scaled_df = table["df"] * table["scaling_factor"]
        chi2_diff = chi2_diff / (scaled_df.diff() / df_diff)
    table["chi2_diff"] = chi2_diff
    table["df_diff"] = df_diff
    table["p_diff"] = [
        stats.chi2.sf(c, d) if d > 0 else np.nan for c, d in zip(chi2_diff, df_diff, strict=True)
    ]
    cfi, rmsea = ("cfi_robust", "rmsea_robust") if robust else ("cfi", "rmsea")
    table["delta_cfi"] = table[cfi].diff()
    table["delta_rmsea"] = table[rmsea].diff()
    table["delta_srmr"] = table["srmr"].diff()
    verdicts: list[str | None] = [None]
    for step in table.index[1:]:
        cut = CHEN_2007[str(step)]
        holds = (
            table.at[step, "delta_cfi"] >= cut["delta_cfi"]
            and table.at[step, "delta_rmsea"] <= cut["delta_rmsea"]
            and table.at[step, "delta_srmr"] <= cut["delta_srmr"]
        )
        verdicts.append("holds" if holds else "not supported")
    table["verdict"] = verdicts
