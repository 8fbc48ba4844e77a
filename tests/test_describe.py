"""Descriptives against R's psych::describe (type = 3 skew and kurtosis), per group too.

Reference values: ``tests/reference/groups.R`` on ``tests/reference/groups_data.csv``.
All statistics are closed-form: agreement to 1e-10 absolute.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import peoscales
from peoscales.errors import DataTypeError, MissingColumnsError, ParameterError

REFERENCE = Path(__file__).parent / "reference"
EXPECTED = json.loads((REFERENCE / "groups_expected.json").read_text())
LEVELS = ["jeugdhulp", "jeugdbescherming", "jeugdreclassering", "gesloten"]
TOL = 1e-10
STATS = ["n", "mean", "sd", "median", "trimmed", "mad", "min", "max", "range", "skew"]


def load() -> pd.DataFrame:
    data = pd.read_csv(REFERENCE / "groups_data.csv")
    data["type"] = pd.Categorical(data["type"], categories=LEVELS)
    return data


def assert_row(row: pd.Series, ref: dict) -> None:
    for key in [*STATS, "kurtosis", "se"]:
        assert abs(row[key] - ref[key]) <= TOL, key


@pytest.mark.parametrize("column", ["resilience", "competence"])
def test_describe_matches_psych(column: str) -> None:
    data = load()
    res = peoscales.describe(data)  # default: the numeric columns
    assert res.to_frame().index.tolist() == ["resilience", "competence"]
    row = res.to_frame().loc[column]
    assert_row(row, EXPECTED["describe"][column])
    assert row["missing"] == data[column].isna().sum()


def test_describe_by_group_matches_psych() -> None:
    data = load()
    res = peoscales.describe(data, ["resilience", "competence"], by="type")
    table = res.to_frame()
    assert table.index.get_level_values("type").unique().tolist() == LEVELS
    for group in LEVELS:
        for column in ("resilience", "competence"):
            assert_row(table.loc[(group, column)], EXPECTED["describe_by"][group][column])
            in_group = data["type"] == group
            assert table.loc[(group, column), "missing"] == data.loc[in_group, column].isna().sum()
    assert res.n_excluded == data["type"].isna().sum() == 3
    assert "rows without a value of 'type': 3" in res.summary()
    assert "rows without a value of 'type': 3" in html.unescape(res._repr_html_())


def test_describe_by_keeps_caller_order_and_unused_groups() -> None:
    data = load()
    order = ["gesloten", "jeugdhulp", "jeugdbescherming", "jeugdreclassering", "pleegzorg"]
    data["type"] = data["type"].cat.reorder_categories(order[:4]).cat.add_categories("pleegzorg")
    table = peoscales.describe(data, "resilience", by="type").to_frame()
    assert table.index.get_level_values("type").tolist() == order
    empty = table.loc[("pleegzorg", "resilience")]
    assert empty["n"] == 0 and np.isnan(empty["mean"])


def test_apa_and_text() -> None:
    res = peoscales.describe(load(), "resilience")
    ref = EXPECTED["describe"]["resilience"]
    assert res.to_apa() == (
        f"resilience (n = {ref['n']}): M = {ref['mean']:.2f}, SD = {ref['sd']:.2f}"
    )
    text = res.summary()
    assert "Kurtosis" in text and "Trimmed M (10%)" in text
    # Summary and HTML show the same three decimals.
    mean = f"{ref['mean']:.3f}"
    assert f" {mean} " in text and f"<td>{mean}</td>" in res._repr_html_()


def test_small_columns_give_nan_without_warnings() -> None:
    data = pd.DataFrame({"one": [1.0, np.nan, np.nan], "none": [np.nan] * 3})
    table = peoscales.describe(data).to_frame()
    assert table.loc["one", "n"] == 1 and table.loc["one", "mean"] == 1.0
    assert np.isnan(table.loc["one", "sd"]) and np.isnan(table.loc["one", "skew"])
    assert table.loc["none", "n"] == 0 and np.isnan(table.loc["none", "median"])


def test_bad_input() -> None:
    data = load()
    with pytest.raises(MissingColumnsError, match=r"'resillience': did you mean 'resilience'"):
        peoscales.describe(data, ["resillience"])
    with pytest.raises(MissingColumnsError, match=r"'Type': did you mean 'type'"):
        peoscales.describe(data, "resilience", by="Type")
    with pytest.raises(DataTypeError, match=r"non-numeric values in column\(s\) 'sex'"):
        peoscales.describe(data, ["resilience", "sex"])
    with pytest.raises(ParameterError, match=r"by='type' is also listed in columns"):
        peoscales.describe(data, ["resilience", "type"], by="type")
    with pytest.raises(DataTypeError, match="no numeric columns"):
        peoscales.describe(data[["sex", "type"]])
    with pytest.raises(DataTypeError, match="must be a pandas DataFrame"):
        peoscales.describe([1, 2, 3])  # type: ignore[arg-type]


def test_input_untouched() -> None:
    data = load()
    before = data.copy(deep=True)
    peoscales.describe(data, by="type")
    pd.testing.assert_frame_equal(data, before)


@given(
    x=hnp.arrays(
        np.float64,
        st.integers(3, 40),
        elements=st.floats(-1e3, 1e3, allow_nan=False),
    ),
    shift=st.floats(-100, 100),
    scale=st.floats(0.1, 10),
)
def test_moments_follow_their_definitions(x: np.ndarray, shift: float, scale: float) -> None:
    if np.std(x) < 1e-6 * max(1.0, np.abs(x).max()):
        return
    a = peoscales.describe(pd.DataFrame({"x": x})).to_frame().loc["x"]
    b = peoscales.describe(pd.DataFrame({"x": shift + scale * x})).to_frame().loc["x"]
    c = peoscales.describe(pd.DataFrame({"x": -x})).to_frame().loc["x"]
    assert a["mean"] == pytest.approx(np.mean(x), rel=1e-9, abs=1e-9)
    assert a["sd"] == pytest.approx(np.std(x, ddof=1), rel=1e-9)
    assert a["median"] == pytest.approx(np.median(x), rel=1e-12, abs=1e-12)
    # skew and kurtosis do not change under a positive linear transformation;
    # reflecting the data flips the sign of the skew only
    assert b["skew"] == pytest.approx(a["skew"], rel=1e-6, abs=1e-6)
    assert b["kurtosis"] == pytest.approx(a["kurtosis"], rel=1e-6, abs=1e-6)
    assert c["skew"] == pytest.approx(-a["skew"], rel=1e-9, abs=1e-9)
    assert c["kurtosis"] == pytest.approx(a["kurtosis"], rel=1e-9, abs=1e-9)


def test_text_column_error_shows_distinct_values_and_suggests_frequency_tables() -> None:
    data = pd.DataFrame({"sex": ["vrouw"] * 5 + ["man", "vrouw"], "y": range(7)})
    with pytest.raises(DataTypeError) as info:
        peoscales.describe(data, ["y", "sex"])
    message = str(info.value)
    assert "(e.g. 'vrouw', 'man' in rows 0, 1, 2 (and 4 more))" in message
    assert "peoscales.frequency_table" in message and "peoscales.crosstab" in message


@pytest.mark.parametrize("value", [0.1, -4999 / 97, 1234 / 97, 7.0])
def test_a_column_of_one_value_has_no_spread_and_no_skew(value: float) -> None:
    # sum / n of three equal values can miss the value by an ulp; R's describe gives
    # sd 0 and NaN skew and kurtosis, and so must the deviations from the exact mean.
    row = peoscales.describe(pd.DataFrame({"x": [value, value, np.nan, value]})).table.loc["x"]
    assert row["mean"] == value
    assert row["sd"] == 0.0
    assert np.isnan(row["skew"]) and np.isnan(row["kurtosis"])
