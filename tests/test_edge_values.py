"""Edge values get the same treatment in every public function, through one shared
validation path: infinite values, complex numbers and True/False where codes are needed
raise a named error that names the column; columns of extreme magnitude (1e300, 1e-300),
whose sums overflow or vanish, are computed right on an exact power-of-two scale
(correlations, descriptives) or refused (where results carry the data's unit)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import peoscales
from peoscales._validation import MAX_MAGNITUDE, MIN_MAGNITUDE, power_of_two_scales
from peoscales.errors import DataTypeError, NonFiniteValueError


@pytest.fixture(scope="module")
def base() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 40
    frame = pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "y": rng.normal(size=n),
            "z": rng.normal(size=n),
            "g": np.repeat(["a", "b"], n // 2),
        },
        index=pd.Index([f"p{i}" for i in range(n)], name="id"),
    )
    return frame


CALLS: dict[str, Callable[[pd.DataFrame], Any]] = {
    "corr_matrix": lambda d: peoscales.corr_matrix(d[["x", "y", "z"]]),
    "corr_matrix spearman": lambda d: peoscales.corr_matrix(d[["x", "y", "z"]], method="spearman"),
    "describe": lambda d: peoscales.describe(d, ["x", "y"]),
    "describe by": lambda d: peoscales.describe(d, ["x", "y"], by="g"),
    "ttest": lambda d: peoscales.ttest(d, "x", "g"),
    "ttest mann-whitney": lambda d: peoscales.ttest(d, "x", "g", method="mann-whitney"),
    "anova": lambda d: peoscales.anova(d, "x", "g"),
    "regress outcome": lambda d: peoscales.regress(d, "x", ["y", "z"]),
    "regress predictor": lambda d: peoscales.regress(d, "y", ["x", "z"]),
    "regress formula": lambda d: peoscales.regress(d, "y ~ x + z"),
    "cronbach_alpha": lambda d: peoscales.cronbach_alpha(d[["x", "y", "z"]]),
}


def _with(base: pd.DataFrame, value: Any, dtype: Any = None) -> pd.DataFrame:
    data = base.copy()
    column = data["x"].astype(dtype) if dtype is not None else data["x"].copy()
    column.iloc[3] = value
    data["x"] = column
    return data


@pytest.mark.parametrize("call", list(CALLS))
@pytest.mark.parametrize("value", [np.inf, -np.inf])
def test_infinite_values_are_refused_naming_column_and_row(
    base: pd.DataFrame, call: str, value: float
) -> None:
    data = _with(base, value)
    before = data.copy()
    with pytest.raises(NonFiniteValueError, match=r"infinite values in column\(s\) 'x'.*p3"):
        CALLS[call](data)
    pd.testing.assert_frame_equal(data, before)


RESCALED = ["corr_matrix", "corr_matrix spearman", "describe", "describe by"]


@pytest.mark.parametrize("call", [c for c in CALLS if c not in RESCALED])
@pytest.mark.parametrize("factor", [1e300, 1e140, 1e-160, 1e-300])
def test_values_of_extreme_magnitude_are_refused_where_results_carry_their_unit(
    base: pd.DataFrame, call: str, factor: float
) -> None:
    # 1e140 and 1e-160 passed a check on squares alone, then overflowed (a raw
    # OverflowError in ttest, ZeroDivisionError) or vanished ("no variance").
    data = base.assign(x=base["x"] * factor)
    with pytest.raises(
        NonFiniteValueError, match=r"extreme magnitude in column\(s\) 'x' \(largest.*Rescale"
    ):
        CALLS[call](data)


def test_values_within_the_range_are_computed(base: pd.DataFrame) -> None:
    plain = peoscales.ttest(base, "x", "g").to_frame()["t"].iloc[0]
    for factor in (1e60, 1e-60):
        scaled = peoscales.ttest(base.assign(x=base["x"] * factor), "x", "g").to_frame()
        assert scaled["t"].iloc[0] == pytest.approx(plain, rel=1e-12)


@pytest.mark.parametrize("factor", [1e300, 1e100, 1e-300, 2.0**600])
@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall"])
def test_corr_matrix_is_right_for_extreme_magnitudes(
    base: pd.DataFrame, factor: float, method: str
) -> None:
    data = base[["x", "y", "z"]]
    plain = peoscales.corr_matrix(data, method=method)
    res = peoscales.corr_matrix(data.assign(x=data["x"] * factor), method=method)
    np.testing.assert_allclose(res.r.to_numpy(), plain.r.to_numpy(), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(res.p.to_numpy(), plain.p.to_numpy(), rtol=1e-9)
    if method == "pearson":
        # Means and SDs stay in the caller's unit.
        assert res.mean["x"] == pytest.approx(plain.mean["x"] * factor, rel=1e-12)
        assert res.sd["x"] == pytest.approx(plain.sd["x"] * factor, rel=1e-12)
        assert res.sd["y"] == plain.sd["y"]


@pytest.mark.parametrize("factor", [1e300, 1e140, 1e-160, 1e-300])
def test_describe_is_right_for_extreme_magnitudes(base: pd.DataFrame, factor: float) -> None:
    plain = peoscales.describe(base, ["x", "y"]).to_frame()
    res = peoscales.describe(base.assign(x=base["x"] * factor), ["x", "y"]).to_frame()
    for stat in ["mean", "sd", "median", "trimmed", "mad", "min", "max", "range", "se"]:
        assert res.loc["x", stat] == pytest.approx(plain.loc["x", stat] * factor, rel=1e-12)
    for stat in ["skew", "kurtosis", "n", "missing"]:
        assert res.loc["x", stat] == pytest.approx(plain.loc["x", stat], rel=1e-12)
    pd.testing.assert_series_equal(res.loc["y"], plain.loc["y"])
    by = peoscales.describe(base.assign(x=base["x"] * factor), ["x"], by="g").to_frame()
    plain_by = peoscales.describe(base, ["x"], by="g").to_frame()
    np.testing.assert_allclose(by["sd"], plain_by["sd"] * factor, rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    exponent=st.integers(-1000, 1000),
    # Within 12 orders of magnitude of each other: relative to the largest, a value
    # 1e-311 times smaller is lost in any sum anyway (and would become subnormal).
    values=st.lists(
        st.floats(-1e6, 1e6).filter(lambda v: v == 0 or abs(v) > 1e-6), min_size=3, max_size=30
    ),
)
def test_power_of_two_scaling_is_exact(exponent: int, values: list[float]) -> None:
    x = np.ldexp(np.array(values)[:, None], exponent)
    scales = power_of_two_scales(x)
    size = np.abs(x).max()
    if scales is None:
        assert size <= MAX_MAGNITUDE and (size == 0 or size >= MIN_MAGNITUDE)
        return
    mantissa, _ = np.frexp(scales)
    assert (mantissa == 0.5).all()  # a power of two
    np.testing.assert_array_equal((x / scales) * scales, x)
    assert 0.5 <= np.abs(x / scales).max() <= 1.0


def test_paired_test_far_in_the_tails_gives_an_interval() -> None:
    # A large negative t: scipy's noncentral t is NaN far in its tails, which stopped the
    # search for the d_z interval with a raw "solver cannot continue".
    data = pd.DataFrame({"a": [0.0, 0.0, 0.0, 0.0], "b": [-4.0, -4.0, -4.0, -3.375]})
    forward = peoscales.paired_test(data, "a", "b").to_frame()
    backward = peoscales.paired_test(data, "b", "a").to_frame()
    assert backward["t"].iloc[0] == -forward["t"].iloc[0]
    low = backward.filter(like="ci_low").to_numpy(dtype=float)
    high = forward.filter(like="ci_high").to_numpy(dtype=float)
    assert np.isfinite(low).all()
    np.testing.assert_allclose(low, -high, rtol=1e-9)


def test_reliability_refuses_true_false_items() -> None:
    answers = peoscales.simulate("brs", 30, seed=1)
    answers["brs_1"] = answers["brs_1"] > 3
    with pytest.raises(DataTypeError, match=r"'brs_1' holds True/False, not answer codes"):
        peoscales.reliability(answers, "brs")


@pytest.mark.parametrize("call", list(CALLS))
def test_complex_numbers_are_refused(base: pd.DataFrame, call: str) -> None:
    data = base.assign(x=base["x"].astype(complex) + 1j)
    with pytest.raises(DataTypeError, match=r"'x' holds complex numbers"):
        CALLS[call](data)


def test_score_refuses_true_false_items() -> None:
    answers = peoscales.simulate("brs", 6, seed=1)
    answers["brs_1"] = answers["brs_1"] > 3
    with pytest.raises(DataTypeError, match=r"'brs_1' holds True/False, not answer codes"):
        peoscales.score(answers, "brs")


def test_score_refuses_infinite_codes() -> None:
    answers = peoscales.simulate("brs", 6, seed=1).astype(float)
    answers.iloc[2, 0] = np.inf
    with pytest.raises(peoscales.errors.PeoscalesError, match="brs_1"):
        peoscales.score(answers, "brs")


def test_a_formula_that_makes_infinite_values_is_refused(base: pd.DataFrame) -> None:
    data = base.assign(w=np.abs(base["x"]))
    data.iloc[5, data.columns.get_loc("w")] = 0.0
    with np.errstate(divide="ignore"), pytest.raises(NonFiniteValueError, match=r"np\.log\(w\)"):
        peoscales.regress(data, "y ~ np.log(w)")


def test_formula_names_are_found_where_the_caller_wrote_them(base: pd.DataFrame) -> None:
    def squared(v: pd.Series) -> pd.Series:
        return v**2

    res = peoscales.regress(base.assign(w=base["x"].abs() + 1), "y ~ np.log(w) + squared(z)")
    assert list(res.to_frame().index)[-2:] == ["np.log(w)", "squared(z)"]


def test_true_false_still_counts_where_it_is_a_proportion(base: pd.DataFrame) -> None:
    # describe of a True/False column is a share; a dummy predictor is a 0/1 variable.
    data = base.assign(flag=base["x"] > 0)
    assert peoscales.describe(data, ["flag"]).to_frame()["mean"].iloc[0] == pytest.approx(
        float((base["x"] > 0).mean())
    )


@pytest.mark.parametrize("call", list(CALLS))
@pytest.mark.parametrize("kind", ["dates", "durations"])
def test_dates_are_refused_not_read_as_nanoseconds(
    base: pd.DataFrame, call: str, kind: str
) -> None:
    days = pd.to_timedelta(np.arange(len(base)), unit="D")
    column = pd.Timestamp("2024-01-01") + days if kind == "dates" else days
    with pytest.raises(DataTypeError, match=r"'x' holds dates or durations"):
        CALLS[call](base.assign(x=column))


def test_a_categorical_of_numbers_is_its_numbers_everywhere(base: pd.DataFrame) -> None:
    codes = pd.Series(np.tile([1, 2, 3, 4, 5], 8), index=base.index)
    plain = base.assign(x=codes)
    cat = base.assign(x=codes.astype("category"))
    assert peoscales.ttest(cat, "x", "g").t == peoscales.ttest(plain, "x", "g").t
    assert peoscales.describe(cat, ["x"]).to_frame()["mean"].iloc[0] == 3.0
    words = base.assign(x=pd.Categorical(["laag", "hoog"] * 20))
    with pytest.raises(DataTypeError, match=r"'x'.*'laag'"):
        peoscales.ttest(words, "x", "g")


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("shape", [(1, 1), (5, 1), (2000, 18), (101, 7)])
def test_column_bounds_of_blocks_equal_one_reduction(monkeypatch, order, shape) -> None:
    # check_finite's column bounds, taken over column-major copies of blocks of rows
    # (here of 16 values) for row-major input: the same as one reduction, NaN ignored.
    import peoscales._validation as validation

    monkeypatch.setattr(validation, "_BOUNDS_BLOCK", 16)
    rng = np.random.default_rng(sum(shape))
    x = rng.normal(size=shape)
    x[rng.random(shape) < 0.3] = np.nan
    x[:, -1] = np.nan  # a column without values: NaN bounds
    x[0, 0] = np.inf
    x = np.asarray(x, order=order)
    top, bottom = validation._column_bounds(x)
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(top, np.fmax.reduce(x, axis=0))
        np.testing.assert_array_equal(bottom, np.fmin.reduce(x, axis=0))
