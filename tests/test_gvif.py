"""Generalised VIF of regression terms against ``car::vif``.

Reference values: ``tests/reference/gvif.R`` on ``tests/reference/regression_data.csv``.
GVIF is a ratio of determinants, exact to rounding: 1e-8.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import peoscales
from peoscales._kernels.regression import generalized_vif, variance_inflation

REFERENCE = Path(__file__).parent / "reference"
EXPECTED = json.loads((REFERENCE / "gvif_expected.json").read_text())


def load() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "regression_data.csv")


def check(table: pd.DataFrame, case: dict, terms: list[str]) -> None:
    assert list(table.index) == terms
    np.testing.assert_allclose(table["gvif"], case["gvif"], rtol=0, atol=1e-8)
    np.testing.assert_array_equal(table["df"], case["df"])
    np.testing.assert_allclose(table["gvif_adjusted"], case["gvif_adjusted"], rtol=0, atol=1e-8)


def test_list_model_matches_car() -> None:
    case = EXPECTED["list_model"]
    res = peoscales.regress(load(), "brs", case["predictors"])
    assert res.gvif is not None
    check(res.gvif, case, case["term"])
    # A one-column term's GVIF is its ordinary VIF.
    assert res.gvif.loc["age", "gvif"] == pytest.approx(
        res.coefficients.loc["age", "vif"], abs=1e-12
    )


def test_formula_model_matches_car() -> None:
    case = EXPECTED["formula_model"]
    res = peoscales.regress(load(), case["formula"])
    assert res.gvif is not None
    check(res.gvif, case, ["C(care_type)", *case["term"][1:]])


def test_hierarchical_model_reports_the_final_model() -> None:
    case = EXPECTED["list_model"]
    res = peoscales.regress(
        load(), "brs", blocks=[["wbns_autonomy", "care_type"], ["age", "swing_nwhi"]]
    )
    assert res.gvif is not None
    check(res.gvif, case, case["term"])


def test_display_shows_gvif_only_with_a_factor() -> None:
    data = load()
    with_factor = peoscales.regress(data, "brs", ["age", "care_type"])
    assert "Generalised VIF per term" in with_factor.summary()
    assert "Generalised VIF" in with_factor._repr_html_()
    numeric = peoscales.regress(data, "brs", ["age", "wbns_autonomy"])
    assert "Generalised VIF" not in numeric.summary()


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**31), st.integers(2, 6))
def test_single_columns_give_the_vif(seed: int, p: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(40, p)) @ rng.normal(size=(p, p))
    groups = [np.array([j]) for j in range(p)]
    np.testing.assert_allclose(generalized_vif(x, groups), variance_inflation(x), rtol=1e-9)
    # GVIF does not depend on how a group's columns are coded (any invertible recoding).
    mixed = x.copy()
    mixed[:, :2] = x[:, :2] @ np.array([[1.0, 2.0], [0.5, -1.0]])
    together = [np.array([0, 1]), *[np.array([j]) for j in range(2, p)]]
    np.testing.assert_allclose(
        generalized_vif(mixed, together), generalized_vif(x, together), rtol=1e-7
    )
