"""Paired and one-sample t-tests and the Wilcoxon signed-rank test.

Reference values come from R (``tests/reference/within.R``: t.test, wilcox.test, and the
noncentral-t limits of d_z by uniroot on pt(ncp = )) on ``tests/reference/within_data.csv``.
Closed-form statistics to 1e-8; interval limits found by root search to 1e-6.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import peoscales
from peoscales import PairedTTestResult, WilcoxonResult
from peoscales.errors import (
    DataTypeError,
    InsufficientDataError,
    MissingColumnsError,
    ParameterError,
)

REFERENCE = Path(__file__).parent / "reference"
EXPECTED = json.loads((REFERENCE / "within_expected.json").read_text())
EXACT = 1e-8
ROOT = 1e-6
ALT = {"two.sided": "two-sided", "less": "less", "greater": "greater"}


def load() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "within_data.csv")


def near(ours: float, theirs: float | str, tol: float) -> bool:
    if isinstance(theirs, str):
        return ours == float(theirs.replace("Inf", "inf"))
    return abs(ours - theirs) <= tol


@pytest.mark.parametrize("case", EXPECTED["ttest"], ids=lambda c: f"{c['y']}-{c['alternative']}")
def test_ttest_matches_r(case: dict) -> None:
    data = load()
    kwargs = {
        "mu": case["mu"],
        "alternative": ALT[case["alternative"]],
        "confidence": case["confidence"],
    }
    if case["y"] is None:
        res = peoscales.one_sample_test(data, case["x"], **kwargs)
    else:
        res = peoscales.paired_test(data, case["x"], case["y"], **kwargs)
    assert isinstance(res, PairedTTestResult)
    assert res.n == case["n"] and res.n_excluded == case["n_excluded"]
    for key in ("t", "df", "p", "diff", "se", "ci_low", "ci_high", "dz"):
        assert near(getattr(res, key), case[key], EXACT), key
    for key in ("dz_ci_low", "dz_ci_high"):
        assert near(getattr(res, key), case[key], ROOT), key
    assert near(res.gz, case["j"] * case["dz"], EXACT)
    if case["y"] is not None:
        assert near(res.d_av, case["d_av"], EXACT)
        assert near(res.g_av, case["j"] * case["d_av"], EXACT)
        for key in ("d_av_ci_low", "d_av_ci_high"):
            assert near(getattr(res, key), case[key], ROOT), key
    else:
        assert math.isnan(res.d_av)


@pytest.mark.parametrize("case", EXPECTED["wilcoxon"], ids=lambda c: f"{c['x']}-{c['alternative']}")
def test_wilcoxon_matches_r(case: dict) -> None:
    data = load()
    exact = None if case["exact"] == "default" else case["exact"]
    kwargs = {
        "mu": case["mu"],
        "alternative": ALT[case["alternative"]],
        "exact": exact,
        "correction": case["correct"],
        "method": "wilcoxon",
    }
    if case["y"] is None:
        res = peoscales.one_sample_test(data, case["x"], **kwargs)
    else:
        res = peoscales.paired_test(data, case["x"], case["y"], **kwargs)
    assert isinstance(res, WilcoxonResult)
    assert (res.n, res.n_excluded, res.n_zero) == (case["n"], case["n_excluded"], case["n_zero"])
    assert res.w == case["w"]
    for key in ("p", "r_rb", "r_rb_ci_low", "r_rb_ci_high"):
        assert near(getattr(res, key), case[key], EXACT), key


def test_exact_default_follows_r() -> None:
    data = load()
    assert peoscales.paired_test(data, "a", "b", method="wilcoxon").exact
    assert not peoscales.paired_test(data, "ta", "tb", method="wilcoxon").exact


def test_paired_equals_one_sample_of_differences() -> None:
    data = load().dropna(subset=["a", "b"])
    diff = pd.DataFrame({"d": data["a"] - data["b"]})
    paired = peoscales.paired_test(data, "a", "b")
    single = peoscales.one_sample_test(diff, "d")
    for key in ("t", "df", "p", "dz", "dz_ci_low", "dz_ci_high", "ci_low", "ci_high"):
        assert getattr(paired, key) == pytest.approx(getattr(single, key), abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-5, 5, allow_nan=False), st.floats(-5, 5, allow_nan=False)),
        min_size=4,
        max_size=30,
    )
)
def test_swapping_columns_flips_the_signs(rows: list[tuple[float, float]]) -> None:
    data = pd.DataFrame(rows, columns=["x", "y"]).round(3)
    d = data["x"] - data["y"]
    if d.std() < 1e-3:
        return
    ab = peoscales.paired_test(data, "x", "y")
    ba = peoscales.paired_test(data, "y", "x")
    assert ab.t == pytest.approx(-ba.t, abs=1e-9)
    assert ab.p == pytest.approx(ba.p, abs=1e-12)
    assert ab.dz_ci_low == pytest.approx(-ba.dz_ci_high, abs=1e-7)
    if (d != 0).any():
        wa = peoscales.paired_test(data, "x", "y", method="wilcoxon")
        wb = peoscales.paired_test(data, "y", "x", method="wilcoxon")
        assert wa.r_rb == pytest.approx(-wb.r_rb, abs=1e-12)
        assert wa.p == pytest.approx(wb.p, abs=1e-12)


def test_input_untouched_and_missing_counted() -> None:
    data = load()
    before = data.copy()
    res = peoscales.paired_test(data, "ta", "b", method="wilcoxon")
    pd.testing.assert_frame_equal(data, before)
    assert res.n_excluded == 2  # ta missing in one row, b in another


def test_views() -> None:
    data = load()
    for res in (
        peoscales.paired_test(data, "a", "b"),
        peoscales.one_sample_test(data, "a", mu=3),
        peoscales.paired_test(data, "ta", "tb", method="wilcoxon"),
    ):
        frame = res.to_frame()
        assert frame.shape[0] == 1 and frame["n"].iloc[0] == res.n
        assert res.to_apa() in res.summary()
        assert "<table" in res._repr_html_()
    assert peoscales.paired_test(data, "a", "b").to_apa().startswith("t(37) = 1.35, p = .184")


def test_errors() -> None:
    data = load()
    with pytest.raises(MissingColumnsError, match="'bb'"):
        peoscales.paired_test(data, "a", "bb")
    with pytest.raises(DataTypeError, match="group"):
        peoscales.paired_test(data, "a", "group")
    with pytest.raises(ParameterError, match="both 'a'"):
        peoscales.paired_test(data, "a", "a")
    with pytest.raises(ParameterError, match="method"):
        peoscales.paired_test(data, "a", "b", method="sign")
    with pytest.raises(ParameterError, match="wilcoxon"):
        peoscales.paired_test(data, "a", "b", exact=True)
    with pytest.raises(ParameterError, match="mu"):
        peoscales.one_sample_test(data, "a", mu="drie")
    with pytest.raises(InsufficientDataError, match="at least two"):
        peoscales.paired_test(data.iloc[:1], "a", "b")
    same = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [0.0, 1.0, 2.0]})
    with pytest.raises(InsufficientDataError, match="no variance"):
        peoscales.paired_test(same, "x", "y")
    with pytest.raises(InsufficientDataError, match="nothing to rank"):
        peoscales.paired_test(same, "x", "y", mu=1, method="wilcoxon")
    assert np.isnan(peoscales.paired_test(data, "a", "b", method="wilcoxon").z)
