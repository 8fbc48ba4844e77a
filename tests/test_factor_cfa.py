"""CFA against lavaan (tests/reference/factor.R): HolzingerSwineford1939 and W-BNS demo data."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import peoscales as ps
from peoscales._kernels import factor as _k
from peoscales.errors import MissingColumnsError, OutOfRangeError, ParameterError
from peoscales.factor import _model

REF = Path(__file__).parent / "reference"
EXPECTED = json.loads((REF / "factor_cfa_expected.json").read_text())
HS = pd.read_csv(REF / "factor_hs_data.csv")
X = [f"x{i}" for i in range(1, 10)]
HS_MODEL = {"visual": X[:3], "textual": X[3:6], "speed": X[6:]}
FIT_NAMES = {
    "chi2": "chisq", "df": "df", "p": "pvalue", "cfi": "cfi", "tli": "tli", "rmsea": "rmsea",
    "rmsea_ci_low": "rmsea.ci.lower", "rmsea_ci_high": "rmsea.ci.upper",
    "rmsea_p": "rmsea.pvalue", "srmr": "srmr", "aic": "aic", "bic": "bic", "loglik": "logl",
}  # fmt: skip


def _compare(result: ps.CFAResult, key: str) -> None:
    ref = EXPECTED["cfa"][key]
    for ours, theirs in FIT_NAMES.items():
        # lavaan stops nlminb at rel.tol 1e-10: fit statistics agree to ~1e-8.
        assert getattr(result, ours) == pytest.approx(ref["fit"][theirs], rel=1e-6, abs=1e-8), ours
    params = pd.DataFrame(ref["params"]).merge(
        pd.DataFrame(ref["std"]), on=["lhs", "op", "rhs"], suffixes=("", "_std")
    )
    merged = result.parameters.merge(params, on=["lhs", "op", "rhs"], suffixes=("", "_r"))
    assert len(merged) == len(params) == len(result.parameters)
    np.testing.assert_allclose(merged["est"], merged["est_r"], atol=1e-5)
    free = merged["free"].to_numpy()
    np.testing.assert_allclose(merged["se"][free], merged["se_r"][free], atol=1e-5)
    np.testing.assert_allclose(merged["p"][free], merged["pvalue"][free], atol=1e-5)
    np.testing.assert_allclose(merged["std"], merged["std.all"], atol=1e-5)
    np.testing.assert_allclose(merged["std_se"][free], merged["se_std"][free], atol=1e-5)
    mi = result.modification_indices.merge(pd.DataFrame(ref["mi"]), on=["lhs", "op", "rhs"])
    assert len(mi) == len(ref["mi"]) == len(result.modification_indices)
    np.testing.assert_allclose(mi["mi_x"], mi["mi_y"], atol=1e-3)
    np.testing.assert_allclose(mi["epc_x"], mi["epc_y"], atol=1e-4)


def test_holzinger_swineford_matches_lavaan():
    result = ps.cfa(HS, HS_MODEL)
    _compare(result, "hs_ml")
    assert result.converged and result.n == 301 and result.n_excluded == 0
    assert result.to_apa() == (
        "χ²(24) = 85.31, p < .001, CFI = .93, TLI = .90, RMSEA = .092 [.071, .114], SRMR = .065"
    )


def test_wbns_from_the_instrument_matches_lavaan():
    data = ps.demo.load_mental_fitness()
    before = data.copy()
    result = ps.cfa(data, "wbns")
    pd.testing.assert_frame_equal(data, before)
    # lavaan's model names the factors autonomy etc.; ours uses the scale ids.
    renamed = result.parameters.replace(
        {f"wbns_{name}": name for name in ("autonomy", "competence", "relatedness")}
    )
    mi = result.modification_indices.replace(
        {f"wbns_{name}": name for name in ("autonomy", "competence", "relatedness")}
    )
    _compare(_replace(result, parameters=renamed, modification_indices=mi), "wbns_ml")
    assert result.n == EXPECTED["n_wbns"] and result.n + result.n_excluded == len(data)
    # Reverse-keyed items recoded: every loading positive.
    assert (result.loadings["beta"] > 0).all()
    assert "wbns_autonomy_2" in result.reversed


ROBUST_NAMES = {
    "chi2_scaled": "chisq.scaled", "p_scaled": "pvalue.scaled",
    "scaling_factor": "chisq.scaling.factor", "cfi_robust": "cfi.robust",
    "tli_robust": "tli.robust", "rmsea_robust": "rmsea.robust",
}  # fmt: skip


@pytest.mark.parametrize("key", ["hs_mlr", "wbns_mlr"])
def test_mlr_matches_lavaan(key):
    if key == "hs_mlr":
        result = ps.cfa(HS, HS_MODEL, estimator="MLR")
    else:
        result = ps.cfa(ps.demo.load_mental_fitness(), "wbns", estimator="MLR")
        names = {f"wbns_{name}": name for name in ("autonomy", "competence", "relatedness")}
        result = _replace(
            result,
            parameters=result.parameters.replace(names),
            modification_indices=result.modification_indices.replace(names),
        )
    ref = EXPECTED["cfa"][key]
    for ours, theirs in {**FIT_NAMES, **ROBUST_NAMES}.items():
        assert getattr(result, ours) == pytest.approx(ref["fit"][theirs], rel=1e-6, abs=1e-8), ours
    params = pd.DataFrame(ref["params"]).merge(
        pd.DataFrame(ref["std"]), on=["lhs", "op", "rhs"], suffixes=("", "_std")
    )
    merged = result.parameters.merge(params, on=["lhs", "op", "rhs"], suffixes=("", "_r"))
    assert len(merged) == len(params) == len(result.parameters)
    free = merged["free"].to_numpy()
    # Robust (Huber-White) standard errors, of the estimates and the standardised values.
    np.testing.assert_allclose(merged["se"][free], merged["se_r"][free], atol=1e-5)
    np.testing.assert_allclose(merged["std_se"][free], merged["se_std"][free], atol=1e-5)
    assert result.to_apa().startswith("scaled χ²(")


def _replace(result, **changes):
    import dataclasses

    return dataclasses.replace(result, **changes)


def test_instrument_route_equals_the_reversed_mapping():
    data = ps.demo.load_mental_fitness()
    instrument = ps.get_instrument("wbns")
    recoded = data.copy()
    for scale in instrument.scales.values():
        for item in scale.reverse:
            recoded[item] = 6 - recoded[item]
    mapping = {name: list(scale.items) for name, scale in instrument.scales.items()}
    a = ps.cfa(data, instrument)
    b = ps.cfa(recoded, mapping)
    pd.testing.assert_frame_equal(a.loadings, b.loadings, atol=1e-10)
    assert a.chi2 == pytest.approx(b.chi2, rel=1e-12)
    assert b.reversed == ()


def test_analytic_gradient_equals_numerical():
    x = HS[X].to_numpy(float)
    spec, _, _ = _model.build_spec(HS_MODEL, X, 1, frozenset(), True)
    cov = np.cov(x, rowvar=False, bias=True)[None]
    means = x.mean(axis=0)[None] + 0.1
    theta = _model.start_values(spec, HS_MODEL, X, cov, means) * 1.1
    weights = np.array([1.0])
    _, grad = _k.ml_discrepancy(theta, spec, cov, means, weights)
    h = 1e-6
    numeric = np.array([
        (_k.ml_discrepancy(theta + h * e, spec, cov, means, weights)[0]
         - _k.ml_discrepancy(theta - h * e, spec, cov, means, weights)[0]) / (2 * h)
        for e in np.eye(theta.size)
    ])  # fmt: skip
    np.testing.assert_allclose(grad, numeric, atol=1e-6)


@settings(max_examples=10, deadline=None)
@given(st.lists(st.floats(0.2, 5.0), min_size=9, max_size=9))
def test_rescaling_items_changes_loadings_not_fit(scales):
    scaled = HS[X] * np.asarray(scales)
    base = ps.cfa(HS, HS_MODEL)
    other = ps.cfa(scaled, HS_MODEL)
    assert other.chi2 == pytest.approx(base.chi2, rel=1e-7)
    np.testing.assert_allclose(other.loadings["beta"], base.loadings["beta"], atol=1e-6)


def test_missing_and_nonsubstantive_answers_are_counted():
    data = ps.demo.load_mental_fitness().head(300).copy()
    data.index = data.index + 500
    complete = data.filter(like="wbns_").notna().all(axis=1)
    result = ps.cfa(data, "wbns")
    assert result.n == complete.sum() and result.n_excluded == (~complete).sum()


def test_bad_input_gets_clear_errors():
    data = ps.demo.load_mental_fitness()
    with pytest.raises(ParameterError, match="not supported yet; use estimator='MLR'"):
        ps.cfa(data, "wbns", estimator="WLSMV")
    with pytest.raises(ParameterError, match="estimator="):
        ps.cfa(data, "wbns", estimator="GLS")
    with pytest.raises(ParameterError, match="no scale 'autonomy'"):
        ps.cfa(data, "wbns", scales=["autonomy"])
    with pytest.raises(ParameterError, match="at least two items"):
        ps.cfa(HS, {"visual": ["x1"]})
    with pytest.raises(MissingColumnsError, match="wbns_autonomy_1"):
        ps.cfa(data.drop(columns="wbns_autonomy_1"), "wbns")
    with pytest.raises(OutOfRangeError, match="wbns_autonomy_4"):
        ps.cfa(data.assign(wbns_autonomy_4=data["wbns_autonomy_4"].replace(5, 7)), "wbns")


def test_displays():
    result = ps.cfa(HS, HS_MODEL)
    text = result.summary()
    assert "Loadings" in text and "modification indices" in text and "CFI = .93" in text
    assert "<table" in result._repr_html_()
    assert list(result.to_frame().columns) == ["b", "se", "z", "p", "beta", "beta_se"]
