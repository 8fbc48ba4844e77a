"""Moderation: coefficients, simple slopes, Johnson–Neyman and ΔR² against R.

Reference values: ``tests/reference/moderation.R`` (lm with centred predictors, slopes
from vcov, Johnson–Neyman roots by polyroot) on ``tests/reference/mediation_data.csv``.
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
from peoscales import ModerationResult
from peoscales.errors import CollinearityError, MissingColumnsError, ParameterError

REFERENCE = Path(__file__).parent / "reference"
EXPECTED = json.loads((REFERENCE / "moderation_expected.json").read_text())
EXACT = 1e-8


def load() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "mediation_data.csv")


def as_list(value: object) -> list:
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("case", EXPECTED, ids=lambda c: f"{c['x']}-{c['w']}-{c['center']}")
def test_matches_r(case: dict) -> None:
    covs = as_list(case["covariates"])
    values = None if len(as_list(case["values"])) == 3 and case["center"] else case["values"]
    res = peoscales.moderate(
        load(), case["x"], case["w"], "y", covariates=covs, center=case["center"], values=values
    )
    assert isinstance(res, ModerationResult)
    assert (res.n, res.n_excluded) == (case["n"], case["n_excluded"])
    coef = res.coefficients
    for key in ("b", "se", "t", "p", "ci_low", "ci_high"):
        np.testing.assert_allclose(coef[key], case[key], rtol=0, atol=EXACT, err_msg=key)
    assert res.r2 == pytest.approx(case["r2"], abs=EXACT)
    assert res.r2_change == pytest.approx(case["r2_change"], abs=EXACT)
    assert res.f_change == pytest.approx(case["f_change"], abs=1e-7)
    assert res.p_change == pytest.approx(case["p_change"], abs=EXACT)
    slopes = res.simple_slopes
    np.testing.assert_allclose(slopes["value"], case["values"], rtol=0, atol=1e-12)
    for ours, theirs in (("b", "slope"), ("se", "slope_se"), ("t", "slope_t"), ("p", "slope_p")):
        np.testing.assert_allclose(slopes[ours], case[theirs], rtol=0, atol=EXACT, err_msg=ours)
    np.testing.assert_allclose(res.johnson_neyman, as_list(case["johnson_neyman"]), atol=1e-8)
    lines = res.plot_data
    for ours, theirs in (
        ("x", "plot_x"),
        ("moderator", "plot_w"),
        ("y", "plot_y"),
        ("se", "plot_se"),
        ("ci_low", "plot_ci_low"),
        ("ci_high", "plot_ci_high"),
    ):
        np.testing.assert_allclose(lines[ours], case[theirs], rtol=0, atol=EXACT, err_msg=ours)
    effects = res.conditional_effects
    assert effects is not None
    for ours, theirs in (
        ("moderator", "effects_w"),
        ("b", "effects_b"),
        ("se", "effects_se"),
        ("ci_low", "effects_ci_low"),
        ("ci_high", "effects_ci_high"),
    ):
        np.testing.assert_allclose(effects[ours], case[theirs], rtol=0, atol=EXACT, err_msg=ours)


def test_centring_changes_only_the_lower_order_terms() -> None:
    data = load()
    centred = peoscales.moderate(data, "x", "m1", "y", covariates=["age"])
    raw = peoscales.moderate(data, "x", "m1", "y", covariates=["age"], center=False)
    for key in ("b", "se", "t", "p"):
        assert centred.coefficients.loc["x:m1", key] == pytest.approx(
            raw.coefficients.loc["x:m1", key], abs=1e-10
        )
    pd.testing.assert_frame_equal(centred.simple_slopes, raw.simple_slopes, atol=1e-10)
    np.testing.assert_allclose(centred.johnson_neyman, raw.johnson_neyman, atol=1e-8)
    pd.testing.assert_frame_equal(centred.plot_data, raw.plot_data, atol=1e-10)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**31))
def test_regions_agree_with_the_simple_slopes(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x, w = rng.normal(size=80), rng.normal(size=80)
    y = 0.3 * x + 0.4 * x * w + rng.normal(size=80)
    data = pd.DataFrame({"x": x, "w": w, "y": y})
    res = peoscales.moderate(data, "x", "w", "y", values=np.linspace(w.min(), w.max(), 9))
    for row in res.simple_slopes.itertuples():
        region = res.regions[(res.regions.low <= row.value) & (row.value <= res.regions.high)]
        if any(abs(row.value - b) < 1e-6 for b in res.johnson_neyman):
            continue
        assert bool(region["significant"].iloc[0]) == (row.p < 0.05)


def test_views_and_plot_data() -> None:
    data = load()
    before = data.copy()
    res = peoscales.moderate(data, "x", "m2", "y", covariates=["age"])
    pd.testing.assert_frame_equal(data, before)
    assert res.plot_data.shape == (3 * 21, 7)
    assert res.to_apa().startswith("interaction b = ")
    text = res.summary()
    assert "Johnson–Neyman" in text and res.to_apa() in text
    assert "<table" in res._repr_html_()
    assert res.to_frame() is res.simple_slopes


def test_errors() -> None:
    data = load()
    with pytest.raises(MissingColumnsError):
        peoscales.moderate(data, "x", "zz", "y")
    with pytest.raises(ParameterError, match="more than once"):
        peoscales.moderate(data, "x", "x", "y")
    with pytest.raises(ParameterError, match="values"):
        peoscales.moderate(data, "x", "m1", "y", values=["laag"])
    with pytest.raises(CollinearityError):
        peoscales.moderate(data.assign(k=1.0), "x", "k", "y")
