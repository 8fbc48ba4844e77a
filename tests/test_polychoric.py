"""Tests of peoscales.polychoric and ordinal alpha/omega against R.

Reference: tests/reference/reliability.R (psych::polychoric, polycor::polychor).
Tolerances: thresholds are closed-form (1e-8); rho is iterative (1e-4 against psych's
defaults, whose optimiser stops near 1e-4; 1e-6 against psych's likelihood maximised
tightly).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import peoscales
from peoscales._kernels import polychoric as kern
from peoscales._reliability import reliability
from peoscales.errors import (
    ConstantColumnWarning,
    DataTypeError,
    InsufficientDataError,
    ParameterError,
)

REF = Path(__file__).parent / "reference"


@pytest.fixture(scope="module")
def ref() -> dict:
    with open(REF / "reliability_polychoric.json") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def ordinal() -> pd.DataFrame:
    return pd.read_csv(REF / "reliability_ordinal_data.csv")


@pytest.fixture(scope="module")
def ordinal_missing() -> pd.DataFrame:
    return pd.read_csv(REF / "reliability_ordinal_missing_data.csv")


def test_bivariate_normal_cdf_matches_scipy():
    rng = np.random.default_rng(0)
    h = rng.normal(size=60) * 1.5
    k = rng.normal(size=60) * 1.5
    r = np.concatenate(
        [rng.uniform(-0.9, 0.9, 40), rng.uniform(0.93, 0.9999, 10), -rng.uniform(0.93, 0.9999, 10)]
    )
    ours = kern.bvn_cdf(h, k, r)
    theirs = [
        stats.multivariate_normal.cdf([a, b], cov=[[1, c], [c, 1]], abseps=1e-12, releps=1e-12)
        for a, b, c in zip(h, k, r)
    ]
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-10)
    edge = kern.bvn_cdf(
        np.array([np.inf, -np.inf, 0.5, np.inf]), np.array([0.3, 1, np.inf, np.inf]), 0.4
    )
    np.testing.assert_allclose(edge, [stats.norm.cdf(0.3), 0, stats.norm.cdf(0.5), 1], atol=1e-15)


def test_polychoric_matches_psych(ordinal, ref):
    res = peoscales.polychoric(ordinal)
    np.testing.assert_allclose(res.tau, ref["tau"], rtol=0, atol=1e-8)
    np.testing.assert_allclose(res.r, ref["rho"], rtol=0, atol=1e-4)
    np.testing.assert_allclose(res.r, ref["rho_polycor"], rtol=0, atol=1e-4)
    # psych's own likelihood maximised to a tight tolerance: agreement to ~1e-7.
    np.testing.assert_allclose(res.r, ref["rho_tight"], rtol=0, atol=1e-6)
    assert (np.diag(res.n) == len(ordinal)).all()
    assert not res.smoothed
    assert list(res.tau.columns) == ["1|2", "2|3", "3|4"]


def test_polychoric_with_missing_matches_psych(ordinal_missing, ref):
    before = ordinal_missing.copy()
    res = peoscales.polychoric(ordinal_missing)
    np.testing.assert_allclose(res.tau, ref["tau_missing"], rtol=0, atol=1e-8)
    np.testing.assert_allclose(res.r, ref["rho_missing"], rtol=0, atol=1e-4)
    np.testing.assert_allclose(res.r, ref["rho_missing_tight"], rtol=0, atol=1e-6)
    both = ordinal_missing.notna().astype(int)
    np.testing.assert_array_equal(res.n, both.T @ both)
    pd.testing.assert_frame_equal(ordinal_missing, before)


def test_ordinal_alpha_and_omega_match_psych(ordinal, ref):
    res = reliability(ordinal, ordinal=True)["scale"]
    assert res.alpha == pytest.approx(ref["ordinal_alpha"][0], abs=1e-4)
    assert res.std_alpha == res.alpha
    assert res.omega_total == pytest.approx(ref["ordinal_omega_total"][0], abs=1e-4)
    assert res.ordinal
    omega = peoscales.omega(ordinal, ordinal=True)
    assert float(omega) == pytest.approx(ref["ordinal_omega_total"][0], abs=1e-4)


@settings(max_examples=25)
@given(seed=st.integers(0, 2**32 - 1))
def test_reversing_categories_negates_rho(seed):
    rng = np.random.default_rng(seed)
    latent = rng.multivariate_normal([0, 0, 0], [[1, 0.5, 0.3], [0.5, 1, 0.4], [0.3, 0.4, 1]], 200)
    codes = np.digitize(latent, [-0.8, 0.1, 0.9]) + 1
    data = pd.DataFrame(codes, columns=["a", "b", "c"]).astype(float)
    flipped = data.assign(b=5 - data["b"])
    r1 = peoscales.polychoric(data).r.to_numpy()
    r2 = peoscales.polychoric(flipped).r.to_numpy()
    sign = np.array([1, -1, 1])
    np.testing.assert_allclose(r2, r1 * np.outer(sign, sign), atol=1e-7)
    assert np.allclose(r1, r1.T) and (np.diag(r1) == 1).all()
    assert (np.abs(r1) <= 1).all()


def test_ordinal_reverse_keys(ordinal):
    flipped = ordinal.assign(o2=5 - ordinal["o2"])
    a = reliability(ordinal, ordinal=True)["scale"].alpha
    b = reliability(flipped, ordinal=True, items=list(flipped.columns), reverse=["o2"])[
        "scale"
    ].alpha
    assert b == pytest.approx(a, abs=1e-7)


def test_bad_input():
    with pytest.raises(DataTypeError, match="whole-number"):
        peoscales.polychoric(pd.DataFrame({"a": [1, 2.5, 3], "b": [1, 2, 3]}))
    with pytest.raises(ParameterError, match="max_categories=8"):
        peoscales.polychoric(pd.DataFrame({"a": [1, 12, 3], "b": [1, 2, 3]}))
    with pytest.raises(InsufficientDataError, match="two or more"):
        peoscales.polychoric(pd.DataFrame({"a": [1, 2, 3]}))
    with pytest.raises(ParameterError, match="bootstrap"):
        reliability(
            pd.DataFrame({"a": [1, 2, 3], "b": [1, 2, 3]}), ordinal=True, ci_method="bootstrap"
        )
    data = pd.DataFrame({"a": [1, 2, 3, 1, 2], "b": [2, 2, 2, 2, 2], "c": [1, 3, 3, 1, 2]})
    with pytest.warns(ConstantColumnWarning, match="'b'"):
        res = peoscales.polychoric(data)
    assert np.isnan(res.r.loc["a", "b"]) and np.isfinite(res.r.loc["a", "c"])


def test_display(ordinal):
    res = peoscales.polychoric(ordinal)
    assert "Polychoric correlations" in res.summary()
    assert res.to_frame().shape == (6, 6)
    assert "<table" in res._repr_html_()


def test_uneven_categories_use_pair_thresholds_and_continuity_correction(ref):
    """Items with different highest codes: psych's global = FALSE with correct = 0.5."""
    data = pd.read_csv(REF / "reliability_ordinal_uneven_data.csv")
    res = peoscales.polychoric(data)
    assert not res.global_thresholds
    assert res.n_corrected > 0
    np.testing.assert_allclose(res.r, ref["rho_uneven"], rtol=0, atol=1e-4)
    plain = peoscales.polychoric(data, correct=0)
    assert plain.n_corrected == 0
    np.testing.assert_allclose(plain.r, ref["rho_uneven_uncorrected"], rtol=0, atol=1e-4)
    # The correction matters: without it the estimates are far from psych's default.
    assert np.abs(plain.r.to_numpy() - np.array(ref["rho_uneven"])).max() > 0.05
    with pytest.raises(ParameterError, match="correct must be"):
        peoscales.polychoric(data, correct=-1)
