"""Measurement invariance against lavaan (group.equal, lavTestLRT) on HolzingerSwineford1939."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import peoscales as ps
from peoscales.errors import MissingColumnsError, ParameterError

REF = Path(__file__).parent / "reference"
EXPECTED = json.loads((REF / "factor_cfa_expected.json").read_text())["invariance"]["ML"]
HS = pd.read_csv(REF / "factor_hs_data.csv")
X = [f"x{i}" for i in range(1, 10)]
HS_MODEL = {"visual": X[:3], "textual": X[3:6], "speed": X[6:]}
FIT_NAMES = {
    "chi2": "chisq", "df": "df", "p": "pvalue", "cfi": "cfi", "tli": "tli", "rmsea": "rmsea",
    "rmsea_ci_low": "rmsea.ci.lower", "rmsea_ci_high": "rmsea.ci.upper", "srmr": "srmr",
    "aic": "aic", "bic": "bic",
}  # fmt: skip


@pytest.fixture(scope="module")
def result() -> ps.InvarianceResult:
    return ps.invariance(HS, HS_MODEL, between="school", strict=True)


def test_each_step_matches_lavaan(result):
    # lavaan stops its optimiser at rel.tol 1e-10; SRMR moves by up to 2e-7 with that.
    for step in ["configural", "metric", "scalar", "strict"]:
        ref = EXPECTED["fit"][step]
        for ours, theirs in FIT_NAMES.items():
            expected = ref[theirs]
            assert result.table.at[step, ours] == pytest.approx(expected, rel=1e-6, abs=1e-6), (
                step,
                ours,
            )
    assert result.converged
    assert result.groups == ("Pasteur", "Grant-White")
    assert result.group_sizes == (156, 145)


def test_difference_tests_match_lav_test_lrt(result):
    lrt = EXPECTED["lrt"]
    np.testing.assert_allclose(result.table["chi2_diff"].iloc[1:], lrt["chisq_diff"][1:], rtol=1e-6)
    np.testing.assert_array_equal(result.table["df_diff"].iloc[1:], lrt["df_diff"][1:])
    np.testing.assert_allclose(result.table["p_diff"].iloc[1:], lrt["p"][1:], rtol=1e-5)


def test_equal_loadings_match_lavaan_metric_model(result):
    ref = pd.DataFrame(EXPECTED["metric_loadings"])
    ref = ref[ref["op"] == "=~"]
    ours = result.parameters["metric"]
    ours = ours[ours["op"] == "=~"]
    # lavaan numbers the groups 1, 2 in order of appearance, as the result's groups.
    np.testing.assert_allclose(ours["est"], ref["est"], atol=1e-5)
    np.testing.assert_allclose(ours["se"].fillna(0), ref["se"], atol=1e-5)
    first, second = (ours[ours["group"] == g]["est"].to_numpy() for g in result.groups)
    np.testing.assert_allclose(first, second, atol=0)


def test_verdicts_follow_chen_2007(result):
    t = result.table
    assert t.at["metric", "verdict"] == "holds"
    # Scalar: CFI falls by .038 (more than .010), so scalar invariance is not supported.
    assert t.at["scalar", "delta_cfi"] < -0.01
    assert t.at["scalar", "verdict"] == "not supported"
    assert pd.isna(t.at["configural", "verdict"])
    assert "Chen, 2007" in result.summary()
    assert "<table" in result._repr_html_()


def test_rows_without_group_are_counted_and_data_untouched():
    data = HS.copy()
    data.loc[[0, 5], "school"] = None
    data.loc[7, "x3"] = np.nan
    before = data.copy()
    result = ps.invariance(data, HS_MODEL, between="school")
    pd.testing.assert_frame_equal(data, before)
    assert result.n == 298 and result.n_excluded == 3
    assert list(result.table.index) == ["configural", "metric", "scalar"]


def test_bad_input_gets_clear_errors():
    with pytest.raises(MissingColumnsError, match="schol"):
        ps.invariance(HS, HS_MODEL, between="schol")
    with pytest.raises(ParameterError, match="at least two"):
        ps.invariance(HS.assign(school="one"), HS_MODEL, between="school")


def test_mlr_steps_and_scaled_differences_match_lavaan():
    ref = json.loads((REF / "factor_cfa_expected.json").read_text())["invariance"]["MLR"]
    result = ps.invariance(HS, HS_MODEL, between="school", strict=True, estimator="MLR")
    robust = {
        "chi2_scaled": "chisq.scaled", "scaling_factor": "chisq.scaling.factor",
        "cfi_robust": "cfi.robust", "tli_robust": "tli.robust", "rmsea_robust": "rmsea.robust",
    }  # fmt: skip
    for step in ["configural", "metric", "scalar", "strict"]:
        for ours, theirs in {**FIT_NAMES, **robust}.items():
            # The scaling factors agree to 1e-6 (lavaan's optimiser tolerance).
            expected = ref["fit"][step][theirs]
            assert result.table.at[step, ours] == pytest.approx(expected, rel=1e-5, abs=1e-6), (
                step,
                ours,
            )
    # lavTestLRT on MLR fits: Satorra-Bentler (2001) scaled differences.
    lrt = ref["lrt"]
    np.testing.assert_allclose(result.table["chi2_diff"].iloc[1:], lrt["chisq_diff"][1:], rtol=1e-5)
    np.testing.assert_allclose(result.table["p_diff"].iloc[1:], lrt["p"][1:], rtol=1e-4)
    assert "scaled Δχ²" in result.summary()
