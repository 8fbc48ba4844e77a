"""Edge values get the same treatment in every public function: infinite values, values
so large that sums overflow, complex numbers and True/False where codes are needed all
raise a named error that names the column, through one shared validation path."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

import peoscales
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


@pytest.mark.parametrize("call", list(CALLS))
def test_values_too_large_to_sum_are_refused(base: pd.DataFrame, call: str) -> None:
    data = base.assign(x=base["x"] * 1e300)
    with pytest.raises(
        NonFiniteValueError, match=r"beyond \+/-1e\+150 in column\(s\) 'x'.*rescale"
    ):
        CALLS[call](data)


def test_large_but_summable_values_are_right(base: pd.DataFrame) -> None:
    scaled = base.assign(x=base["x"] * 1e100)
    ours = peoscales.corr_matrix(scaled[["x", "y"]]).r.loc["x", "y"]
    assert ours == pytest.approx(np.corrcoef(base["x"], base["y"])[0, 1], abs=1e-12)


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
