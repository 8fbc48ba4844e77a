"""Confirmatory factor analysis of the scales of an instrument (or of a plain mapping)."""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from peoscales._results import (
    Result,
    apa_number,
    apa_p,
    ci_text,
    count_text,
    format_p,
    sections_html,
    sections_text,
)
from peoscales._validation import as_frame, check_option, numeric_block, preview, require_columns
from peoscales.errors import InsufficientDataError, OutOfRangeError, ParameterError
from peoscales.factor import _model
from peoscales.instruments.model import Instrument

__all__ = ["CFAResult", "cfa"]

ModelArg = str | Instrument | Mapping[str, Sequence[Hashable]]
ESTIMATORS = ("ML", "MLR", "WLSMV")

#: Fit indices in display order, with their labels.
FIT_LABELS = {
    "chi2": "χ²",
    "df": "df",
    "p": "p",
    "cfi": "CFI",
    "tli": "TLI",
    "rmsea": "RMSEA",
    "rmsea_ci_low": "RMSEA 90% low",
    "rmsea_ci_high": "RMSEA 90% high",
    "rmsea_p": "p-close (RMSEA ≤ .05)",
    "srmr": "SRMR",
    "aic": "AIC",
    "bic": "BIC",
    "loglik": "log-likelihood",
}


@dataclass(frozen=True)
class MeasurementModel:
    """Factors and their items, with the items recoded (reversed) before fitting."""

    factors: dict[str, tuple[Hashable, ...]]
    items: tuple[Hashable, ...]
    reversed: tuple[Hashable, ...]
    # Per reversed item, (low, high) of its declared range: recoded as low + high - x.
    ranges: dict[Hashable, tuple[float, float]]
    # Per item, the codes that count as missing (e.g. "weet niet") and the valid codes.
    nonsubstantive: dict[Hashable, tuple[float, ...]]
    substantive: dict[Hashable, tuple[float, ...]]


def measurement_model(model: ModelArg, scales: Sequence[str] | None = None) -> MeasurementModel:
    """Read the factors from an instrument (name or object) or a mapping."""
    if isinstance(model, Mapping):
        factors = {str(f): tuple(items) for f, items in model.items()}
        reversed_items: tuple[Hashable, ...] = ()
        ranges: dict[Hashable, tuple[float, float]] = {}
        nonsubstantive: dict[Hashable, tuple[float, ...]] = {}
        substantive: dict[Hashable, tuple[float, ...]] = {}
    else:
        from peoscales.instruments import get_instrument

        instrument = get_instrument(model) if isinstance(model, str) else model
        chosen = list(instrument.scales) if scales is None else list(scales)
        unknown = [s for s in chosen if s not in instrument.scales]
        if unknown:
            raise ParameterError(
                f"scales: {instrument.name!r} has no scale {preview(unknown)}; "
                f"its scales are {preview(list(instrument.scales), 20)}."
            )
        factors, reversed_list, ranges = {}, [], {}
        nonsubstantive, substantive = {}, {}
        for name in chosen:
            scale = instrument.scales[name]
            factors[name] = tuple(scale.items)
            response = instrument.response_scales[scale.response_scale]
            for item in scale.items:
                nonsubstantive[item] = tuple(response.nonsubstantive_codes)
                substantive[item] = tuple(response.substantive_codes)
            if scale.reverse:
                if response.min is None or response.max is None:
                    raise ParameterError(
                        f"Scale {name!r} has reverse-keyed items but its response scale "
                        f"{scale.response_scale!r} declares no min and max to reverse them on."
                    )
                for item in scale.items:
                    if item in scale.reverse:
                        reversed_list.append(item)
                        ranges[item] = (float(response.min), float(response.max))
        reversed_items = tuple(reversed_list)
    empty = [f for f, items in factors.items() if len(items) < 2]
    if not factors or empty:
        raise ParameterError(
            f"Every factor needs at least two items; {preview(empty) if empty else 'none given'}. "
            "Pass a mapping such as {'autonomy': ['a1', 'a2', 'a3']}."
        )
    items = tuple(dict.fromkeys(i for group in factors.values() for i in group))
    return MeasurementModel(factors, items, reversed_items, ranges, nonsubstantive, substantive)


def model_data(data: pd.DataFrame, spec: MeasurementModel) -> tuple[np.ndarray, np.ndarray, int]:
    """Complete rows of the items (reversed where keyed so, "weet niet" codes missing):
    the array, the boolean mask of rows kept, and the number of rows left out."""
    require_columns(data, spec.items)
    x = numeric_block(data, list(spec.items))
    for j, item in enumerate(spec.items):
        codes = spec.nonsubstantive.get(item, ())
        if codes:
            x[np.isin(x[:, j], codes), j] = np.nan
        valid = spec.substantive.get(item)
        if valid:
            column = x[:, j]
            bad = ~np.isnan(column) & ~np.isin(column, valid)
            if bad.any():
                rows = data.index[bad].tolist()
                raise OutOfRangeError(
                    f"Column {item!r} has codes outside its response scale "
                    f"({preview(sorted(set(column[bad].tolist())))} in rows {preview(rows, 3)}); "
                    "recode or set them to missing first (peoscales.recode)."
                )
        if item in spec.ranges:
            low, high = spec.ranges[item]
            x[:, j] = low + high - x[:, j]
    keep = ~np.isnan(x).any(axis=1)
    return x[keep], keep, int((~keep).sum())


@dataclass(frozen=True, eq=False, repr=False)
class CFAResult(Result):
    """A confirmatory factor analysis (lavaan's ``cfa`` with ML).

    Attributes
    ----------
    factors : dict
        Factor name to its items (the first item is the marker, loading fixed to 1).
    reversed : tuple
        Items recoded (``min + max − x``) before fitting, so that every loading of a
        well-keyed scale is positive.
    estimator : str
    parameters : DataFrame
        lavaan's parameter table: ``lhs``, ``op`` (``=~`` loading, ``~~`` (co)variance),
        ``rhs``, ``free``, ``est``, ``se``, ``z``, ``p``, and the standardised value
        ``std`` (lavaan's ``std.all``) with its delta-method ``std_se``.
    loadings : DataFrame
        One row per factor and item: ``b`` (unstandardised), ``se``, ``z``, ``p``,
        ``beta`` (standardised) and ``beta_se``.
    factor_corr : DataFrame
        Correlations between the factors.
    residual_variances : DataFrame
        Per item: ``b``, ``se`` and the standardised value ``beta`` (1 − R²).
    fit : Series
        The fit indices below, by name.
    chi2, df, p : float
        Likelihood-ratio test of the model against the saturated model.
    cfi, tli, rmsea, rmsea_ci_low, rmsea_ci_high, rmsea_p, srmr : float
        Fit indices; the RMSEA interval is 90 %, ``rmsea_p`` the test of close fit
        (RMSEA ≤ .05).
    aic, bic, loglik : float
    chi2_scaled, p_scaled, scaling_factor : float
        MLR: the Yuan-Bentler scaled χ² (χ² divided by the scaling factor, same df)
        and its p; NaN with ML.
    cfi_robust, tli_robust, rmsea_robust : float
        MLR: the robust CFI, TLI and RMSEA of Brosseau-Liard & Savalei (2014) and
        Brosseau-Liard, Savalei & Li (2012), as lavaan's ``cfi.robust`` etc.; NaN with ML.
    modification_indices : DataFrame
        Fixed-zero cross-loadings and residual covariances with ``mi`` and ``epc``,
        largest first.
    n, n_excluded : int
        Complete rows used; rows left out for a missing (or non-substantive) answer.
    converged : bool
    """

    factors: dict[str, tuple[Hashable, ...]]
    reversed: tuple[Hashable, ...]
    estimator: str
    parameters: pd.DataFrame
    loadings: pd.DataFrame
    factor_corr: pd.DataFrame
    residual_variances: pd.DataFrame
    fit: pd.Series
    chi2: float
    df: int
    p: float
    cfi: float
    tli: float
    rmsea: float
    rmsea_ci_low: float
    rmsea_ci_high: float
    rmsea_p: float
    srmr: float
    aic: float
    bic: float
    loglik: float
    chi2_scaled: float
    p_scaled: float
    scaling_factor: float
    cfi_robust: float
    tli_robust: float
    rmsea_robust: float
    modification_indices: pd.DataFrame
    n: int
    n_excluded: int
    converged: bool
    title = "Confirmatory factor analysis"

    def to_frame(self) -> pd.DataFrame:
        """The loadings table (unrounded)."""
        return self.loadings.copy()

    def to_apa(self) -> str:
        """``χ²(24) = 85.31, p < .001, CFI = .93, TLI = .90, RMSEA = .092 [.071, .114], SRMR = .065``.

        With MLR: the scaled χ² and the robust CFI, TLI and RMSEA (without interval).
        """
        if self.estimator == "MLR":
            return (
                f"scaled χ²({count_text(self.df)}) = {apa_number(self.chi2_scaled, 2)}, "
                f"{apa_p(self.p_scaled)}, "
                f"robust CFI = {apa_number(self.cfi_robust, 2, leading_zero=False)}, "
                f"TLI = {apa_number(self.tli_robust, 2, leading_zero=False)}, "
                f"RMSEA = {apa_number(self.rmsea_robust, 3, leading_zero=False)}, "
                f"SRMR = {apa_number(self.srmr, 3, leading_zero=False)}"
            )
        return (
            f"χ²({count_text(self.df)}) = {apa_number(self.chi2, 2)}, {apa_p(self.p)}, "
            f"CFI = {apa_number(self.cfi, 2, leading_zero=False)}, "
            f"TLI = {apa_number(self.tli, 2, leading_zero=False)}, "
            f"RMSEA = {apa_number(self.rmsea, 3, leading_zero=False)} "
            f"{ci_text(self.rmsea_ci_low, self.rmsea_ci_high, 3, leading_zero=False)}, "
            f"SRMR = {apa_number(self.srmr, 3, leading_zero=False)}"
        )

    def _sections(self) -> list[tuple[str | None, pd.DataFrame]]:
        loadings = pd.DataFrame(
            {
                "b": self.loadings["b"].map(lambda v: apa_number(v, 3)),
                "se": self.loadings["se"].map(lambda v: apa_number(v, 3)),
                "p": self.loadings["p"].map(format_p),
                "beta": self.loadings["beta"].map(lambda v: apa_number(v, 2)),
            }
        )
        phi = self.factor_corr.map(lambda v: apa_number(v, 2, leading_zero=False))
        mi = self.modification_indices.head(5)[["lhs", "op", "rhs", "mi", "epc"]].copy()
        mi["mi"] = mi["mi"].map(lambda v: apa_number(v, 2))
        mi["epc"] = mi["epc"].map(lambda v: apa_number(v, 3))
        return [
            ("Loadings", loadings),
            ("Factor correlations", phi),
            ("Largest modification indices", mi.set_index(["lhs", "op", "rhs"])),
        ]

    def _notes(self) -> list[str]:
        notes = [self.to_apa(), f"n = {self.n}; {self.n_excluded} rows excluded (listwise)."]
        if self.reversed:
            notes.append(
                f"Reverse-keyed items recoded before fitting: {preview(self.reversed, 20)}."
            )
        if not self.converged:
            notes.append("Warning: the estimation did not converge.")
        return notes

    def summary(self) -> str:
        """Text: loadings, factor correlations, largest modification indices, fit."""
        return sections_text(f"{self.title} ({self.estimator})", self._sections(), self._notes())

    def _repr_html_(self) -> str:
        return sections_html(f"{self.title} ({self.estimator})", self._sections(), self._notes())


def _loadings_table(parameters: pd.DataFrame) -> pd.DataFrame:
    rows = parameters[parameters["op"] == "=~"]
    table = pd.DataFrame(
        {
            "factor": rows["lhs"].to_numpy(),
            "item": rows["rhs"].to_numpy(),
            "b": rows["est"].to_numpy(),
            "se": rows["se"].to_numpy(),
            "z": rows["z"].to_numpy(),
            "p": rows["p"].to_numpy(),
            "beta": rows["std"].to_numpy(),
            "beta_se": rows["std_se"].to_numpy(),
        }
    )
    return table.set_index(["factor", "item"])


def cfa(
    data: pd.DataFrame,
    model: ModelArg,
    *,
    scales: Sequence[str] | None = None,
    estimator: Literal["ML", "MLR", "WLSMV"] = "ML",
) -> CFAResult:
    """Confirmatory factor analysis of an instrument's scales (or of a mapping).

    Parameters
    ----------
    data : DataFrame
        One column per item, named by the item ids. Not modified.
    model : str, Instrument or mapping
        An instrument (its name or the object): each scale is a factor and its
        items the indicators; reverse-keyed items are recoded (``min + max − x``)
        before fitting so that their loadings have the expected (positive) sign,
        and non-substantive codes (*weet niet*) count as missing. Or a plain
        mapping ``{factor: [columns]}`` fitted as given.
    scales : sequence of str, optional
        With an instrument: the scales to include (default all).
    estimator : {"ML", "MLR"}
        Maximum likelihood, or maximum likelihood with robust (Huber-White) standard
        errors and the Yuan-Bentler scaled χ² (lavaan's ``estimator="MLR"``), for
        items far from normal. ``"WLSMV"`` (ordinal items) is not supported yet and
        raises :class:`~peoscales.errors.ParameterError`.

    Returns
    -------
    CFAResult

    Raises
    ------
    ParameterError
        Unknown scales, a factor with fewer than two items, an unsupported estimator.
    MissingColumnsError, DataTypeError, OutOfRangeError
        Items absent from ``data``, text in item columns, codes outside the scale.
    InsufficientDataError
        Fewer complete rows than the model needs.

    Notes
    -----
    lavaan's defaults: the first item of a factor is the marker (loading 1), factor
    variances and covariances and residual variances are free, complete rows only
    (listwise). The ML discrepancy ``F = log|Σ| + tr(SΣ⁻¹) − log|S| − p`` with S the
    covariance matrix with divisor n is minimised with an analytic gradient
    (Fisher scoring with step halving); χ² = nF. Standard errors from the expected
    information; standardised values as lavaan's ``std.all`` with delta-method SEs.
    CFI and TLI against the independence model, RMSEA with its 90 % interval from
    the noncentral χ² (Browne & Cudeck, 1993), SRMR as lavaan's (Bentler's),
    modification indices as score tests with expected information (Sörbom, 1989).
    Checked against lavaan 0.6 on HolzingerSwineford1939 and the W-BNS demo data.

    Examples
    --------
    >>> import peoscales as ps
    >>> data = ps.demo.load_mental_fitness()
    >>> result = ps.cfa(data, "wbns")
    >>> result.df
    132
    >>> bool((result.loadings["beta"] > 0).all())
    True
    """
    data = as_frame(data)
    check_option("estimator", estimator, ESTIMATORS)
    if estimator == "WLSMV":
        raise ParameterError(
            "estimator='WLSMV' (ordinal items, polychoric correlations) is not supported "
            "yet; use estimator='MLR' (robust to non-normal items) or fit the model in R "
            "with lavaan::cfa(..., ordered=TRUE)."
        )
    spec = measurement_model(model, scales)
    x, _keep, n_excluded = model_data(data, spec)
    _check_rows(x, spec)
    robust = estimator == "MLR"
    # MLR needs the means in the model (saturated: estimates and χ² are those of ML).
    fitted = _model.fit_model([x], spec.factors, spec.items, meanstructure=robust, robust=robust)
    if robust:
        # As lavaan without a mean structure: intercepts are neither shown nor counted.
        table = fitted.parameters[fitted.parameters["op"] != "~1"].reset_index(drop=True)
        no_means = fitted.spec._replace(meanstructure=False)
        fitted = dataclasses.replace(
            fitted,
            parameters=table,
            n_params=fitted.n_params - len(spec.items),
            srmr=_model.srmr(no_means, fitted.theta, fitted.cov, fitted.means, fitted.weights),
        )
    return _result(fitted, spec, estimator, n_excluded, x if robust else None)


def _check_rows(x: np.ndarray, spec: MeasurementModel) -> None:
    p = len(spec.items)
    if len(x) <= p:
        raise InsufficientDataError(
            f"Only {len(x)} complete rows for {p} items; a CFA needs more rows than items "
            "(and in practice a few hundred)."
        )
    constant = [i for i, s in zip(spec.items, np.ptp(x, axis=0), strict=True) if s == 0]
    if constant:
        raise InsufficientDataError(f"Items without variance: {preview(constant)}.")


def _result(
    fitted: _model.FittedModel,
    spec: MeasurementModel,
    estimator: str,
    n_excluded: int,
    x: np.ndarray | None = None,
) -> CFAResult:
    names = list(spec.factors)
    indices = _model.fit_indices(fitted)
    table = fitted.parameters.drop(columns="group")
    phi_rows = table[(table["op"] == "~~") & table["lhs"].isin(names)]
    corr = pd.DataFrame(np.eye(len(names)), index=names, columns=names)
    for row in phi_rows.itertuples():
        corr.loc[row.lhs, row.rhs] = corr.loc[row.rhs, row.lhs] = row.std
    residual = table[(table["op"] == "~~") & (table["lhs"] == table["rhs"])]
    residual = residual[~residual["lhs"].isin(names)]
    residual_variances = pd.DataFrame(
        {"b": residual["est"].to_numpy(), "se": residual["se"].to_numpy(),
         "beta": residual["std"].to_numpy()},
        index=pd.Index(residual["lhs"].to_numpy(), name="item"),
    )  # fmt: skip
    mi = _model.modification_indices(fitted, names, spec.items).drop(columns="group")
    mi = mi.sort_values("mi", ascending=False, kind="stable").reset_index(drop=True)
    nan = float("nan")
    robust_names = ("chi2_scaled", "p_scaled", "scaling_factor", "cfi_robust", "tli_robust",
                    "rmsea_robust")  # fmt: skip
    indices.update(
        _model.robust_indices(fitted, [x]) if x is not None else dict.fromkeys(robust_names, nan)
    )
    fit = pd.Series(indices)
    values: dict[str, Any] = {k: float(v) for k, v in indices.items()}
    values["df"] = int(indices["df"])
    return CFAResult(
        factors=dict(spec.factors),
        reversed=spec.reversed,
        estimator=estimator,
        parameters=table,
        loadings=_loadings_table(table),
        factor_corr=corr,
        residual_variances=residual_variances,
        fit=fit,
        modification_indices=mi,
        n=fitted.n,
        n_excluded=n_excluded,
        converged=fitted.converged,
        **values,
    )
