"""Crosstabs: chi-square, Cramér's V, adjusted residuals and Fisher's test against R.

Reference values: ``tests/reference/groups.R`` (chisq.test with $expected and $stdres,
fisher.test) on ``tests/reference/groups_data.csv``. Closed-form statistics to 1e-8.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import peoscales
from peoscales.errors import (
    DataTypeError,
    InsufficientDataError,
    MissingColumnsError,
    ParameterError,
    SmallExpectedCountWarning,
)

REFERENCE = Path(__file__).parent / "reference"
EXPECTED = json.loads((REFERENCE / "groups_expected.json").read_text())["crosstab"]
LEVELS = ["jeugdhulp", "jeugdbescherming", "jeugdreclassering", "gesloten"]
EXACT = 1e-8


def load() -> pd.DataFrame:
    data = pd.read_csv(REFERENCE / "groups_data.csv")
    data["type"] = pd.Categorical(data["type"], categories=LEVELS)
    data["age_band"] = pd.Categorical(
        data["age_band"], categories=["<30", "30-45", ">45"], ordered=True
    )
    return data


def small_by_rule(expected: np.ndarray) -> bool:
    return bool((expected < 5).mean() > 0.2 or (expected < 1).any())


CASES = {
    "sex_by_type": ("sex", "type", False),
    "senior_by_sex": ("senior", "sex", False),
    "senior_by_sex_yates": ("senior", "sex", True),
    "age_by_type": ("age_band", "type", False),
}


@pytest.mark.parametrize("name", list(CASES))
def test_crosstab_matches_r(name: str) -> None:
    row, col, correction = CASES[name]
    case = EXPECTED[name]
    r_expected = np.asarray(case["expected"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = peoscales.crosstab(load(), row, col, correction=correction)
    warned = any(issubclass(w.category, SmallExpectedCountWarning) for w in caught)
    assert warned == small_by_rule(r_expected) == res.small_expected
    assert res.counts.index.tolist() == case["rows"]
    assert res.counts.columns.tolist() == case["cols"]
    assert np.array_equal(res.counts.to_numpy(), np.asarray(case["counts"]))
    assert abs(res.chi2 - case["chisq"]) <= EXACT
    assert res.df == case["df"]
    assert abs(res.p - case["p"]) <= EXACT
    assert np.allclose(res.expected.to_numpy(), r_expected, atol=EXACT, rtol=0)
    assert np.allclose(res.stdres.to_numpy(), np.asarray(case["stdres"]), atol=EXACT, rtol=0)
    assert abs(res.cramers_v - case["V"]) <= EXACT
    if "fisher_p" in case:
        assert res.fisher_p is not None and res.odds_ratio is not None
        assert abs(res.fisher_p - case["fisher_p"]) <= EXACT
        # conditional MLE of the odds ratio and its exact CI are found by root finding
        # in both R (uniroot, tol ~1e-4 relative on the log scale) and scipy: 1e-4.
        assert res.odds_ratio == pytest.approx(case["fisher_or"], rel=1e-4)
        assert res.odds_ratio_ci_low is not None and res.odds_ratio_ci_high is not None
        assert res.odds_ratio_ci_low == pytest.approx(case["fisher_or_low"], rel=1e-4)
        assert res.odds_ratio_ci_high == pytest.approx(case["fisher_or_high"], rel=1e-4)
    else:
        assert res.fisher_p is None


def test_cramers_v_uses_uncorrected_chisq_on_2x2() -> None:
    # pingouin computes V from the Yates-corrected statistic on 2 x 2 tables: .2814.
    table = pd.DataFrame(
        [[20, 30], [35, 15]],
        index=pd.Index(["a", "b"], name="r"),
        columns=pd.Index(["x", "y"], name="c"),
    )
    plain = EXPECTED["peer_defect"]
    yates = EXPECTED["peer_defect_yates"]
    for correction, case in ((False, plain), (True, yates)):
        res = peoscales.crosstab_from_table(table, correction=correction)
        assert abs(res.chi2 - case["chisq"]) <= EXACT
        assert abs(res.p - case["p"]) <= EXACT
        assert abs(res.cramers_v - (1 / 11) ** 0.5) <= EXACT  # sqrt((100/11) / 100)
        assert abs(res.cramers_v - plain["V"]) <= EXACT
        assert round(res.cramers_v, 4) == 0.3015
        assert round(res.cramers_v, 4) != 0.2814
    long = pd.DataFrame(
        {"r": ["a"] * 50 + ["b"] * 50, "c": ["x"] * 20 + ["y"] * 30 + ["x"] * 35 + ["y"] * 15}
    )
    _, _, pingouin_stats = pg.chi2_independence(long, "r", "c", correction=True)
    assert round(float(pingouin_stats.loc[0, "cramer"]), 4) == 0.2814  # the peer defect
    # R: chisq.test(correct = TRUE) X-squared = 7.919, p = .00489
    assert peoscales.crosstab(long, "r", "c", correction=True).to_apa() == (
        "χ²(1, N = 100) = 7.92, p = .005, V = .30"
    )
    assert peoscales.crosstab(long, "r", "c").to_apa() == "χ²(1, N = 100) = 9.09, p = .003, V = .30"


def test_small_expected_counts_warn_and_fisher_is_reported() -> None:
    data = pd.DataFrame({"a": ["x"] * 6 + ["y"] * 4, "b": ["p"] * 5 + ["q"] * 5})
    with pytest.warns(SmallExpectedCountWarning, match=r"4 of 4 cells below 5 .*Fisher's exact"):
        res = peoscales.crosstab(data, "a", "b")
    assert res.small_expected
    # R: fisher.test(matrix(c(5, 0, 1, 4), 2)) p = 0.04761905 (= 2 * 5 / 210)
    assert res.fisher_p == pytest.approx(10 / 210, abs=EXACT)


def test_category_order_and_ordered_kept() -> None:
    with pytest.warns(SmallExpectedCountWarning, match=r"'age_band' by 'type': 4 of 12 cells"):
        res = peoscales.crosstab(load(), "age_band", "type")
    assert res.counts.index.tolist() == ["<30", "30-45", ">45"]
    assert isinstance(res.counts.index, pd.CategoricalIndex)
    assert res.counts.index.ordered
    assert res.counts.columns.tolist() == LEVELS
    assert not res.counts.columns.ordered
    assert res.counts.index.name == "age_band" and res.counts.columns.name == "type"


def test_dropped_rows_are_counted() -> None:
    data = load()
    res = peoscales.crosstab(data, "sex", "type")
    expected = int((data["sex"].isna() | data["type"].isna()).sum())
    assert res.n_excluded == expected
    assert res.n == len(data) - expected


def test_percentages_and_frame() -> None:
    data = pd.DataFrame({"a": list("xxyyyy"), "b": list("pqpqqq")})
    with pytest.warns(SmallExpectedCountWarning, match="inaccurate. Merge sparse categories"):
        col = peoscales.crosstab(data, "a", "b", percent_of="col", fisher=False)
    assert col.percentages.loc["x", "p"] == pytest.approx(50.0)
    assert col.percentages.loc["y", "q"] == pytest.approx(75.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallExpectedCountWarning)
        row = peoscales.crosstab(data, "a", "b", percent_of="row", fisher=False)
        total = peoscales.crosstab(data, "a", "b", percent_of="total", fisher=False)
    assert row.percentages.loc["y", "q"] == pytest.approx(75.0)
    assert total.percentages.loc["y", "q"] == pytest.approx(50.0)
    frame = col.to_frame()
    assert frame.loc["Total", ("Total", "n")] == 6
    assert frame.loc["x", ("p", "n")] == 1
    assert frame.loc["Total", ("q", "%")] == pytest.approx(100.0)
    assert "χ²(1, N = 6)" in col.summary()
    assert "<table" in col._repr_html_()


def test_from_table_keeps_labels_and_accepts_arrays() -> None:
    table = pd.DataFrame(
        [[12, 5, 3], [7, 9, 14]],
        index=pd.Index(["man", "vrouw"], name="geslacht"),
        columns=pd.Index(["laag", "midden", "hoog"], name="werkdruk"),
    )
    res = peoscales.crosstab_from_table(table)
    assert res.counts.index.tolist() == ["man", "vrouw"]
    assert res.stdres.columns.name == "werkdruk"
    assert res.title == "Crosstab of geslacht by werkdruk"
    plain = peoscales.crosstab_from_table(table.to_numpy())
    assert plain.chi2 == pytest.approx(res.chi2, abs=1e-12)
    # R: chisq.test(matrix(c(12, 7, 5, 9, 3, 14), 2))$statistic = 8.9376...
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / 50
    assert res.chi2 == pytest.approx(((table.to_numpy() - expected) ** 2 / expected).sum())


def test_empty_row_is_shown_but_not_tested() -> None:
    data = pd.DataFrame({"a": list("xxxyyy"), "b": list("ppqqpq")})
    data["a"] = pd.Categorical(data["a"], categories=["x", "y", "z"])
    with pytest.warns(SmallExpectedCountWarning):
        res = peoscales.crosstab(data, "a", "b")
    assert res.counts.index.tolist() == ["x", "y", "z"]
    assert res.counts.loc["z"].sum() == 0
    assert res.df == 1
    assert np.isnan(res.stdres.loc["z"]).all()


# --------------------------------------------------------------------------- bad input


def test_bad_input() -> None:
    data = load()
    with pytest.raises(MissingColumnsError, match=r"'Sex': did you mean 'sex'"):
        peoscales.crosstab(data, "Sex", "type")
    with pytest.raises(ParameterError, match=r"fisher=True: .* this table is 2 x 4"):
        peoscales.crosstab(data, "sex", "type", fisher=True)
    with pytest.raises(ParameterError, match=r"percent_of='column' is not supported"):
        peoscales.crosstab(data, "sex", "type", percent_of="column")  # type: ignore[arg-type]
    one = pd.DataFrame({"a": ["x", "x", "x"], "b": ["p", "q", "p"]})
    with pytest.raises(InsufficientDataError, match=r"at least two categories .* 'a' \(has 1\)"):
        peoscales.crosstab(one, "a", "b")
    with pytest.raises(DataTypeError, match=r"non-negative whole counts.*-3"):
        peoscales.crosstab_from_table(pd.DataFrame([[1, -3], [4, 5]]))
    with pytest.raises(DataTypeError, match=r"non-negative whole counts.*2.5"):
        peoscales.crosstab_from_table(np.array([[1.0, 2.5], [4.0, 5.0]]))


def test_input_untouched() -> None:
    data = load()
    before = data.copy(deep=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallExpectedCountWarning)
        peoscales.crosstab(data, "sex", "type")
    pd.testing.assert_frame_equal(data, before)


# --------------------------------------------------------------------------- properties

tables = hnp.arrays(
    np.int64,
    st.tuples(st.integers(2, 5), st.integers(2, 5)),
    elements=st.integers(0, 40),
)


@given(counts=tables, percent=st.sampled_from(["col", "row", "total"]))
def test_v_in_unit_interval_and_percentages_sum_to_100(counts: np.ndarray, percent: str) -> None:
    if (counts.sum(axis=1) > 0).sum() < 2 or (counts.sum(axis=0) > 0).sum() < 2:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallExpectedCountWarning)
        res = peoscales.crosstab_from_table(counts, percent_of=percent)  # type: ignore[arg-type]
    assert 0.0 <= res.cramers_v <= 1.0
    pct = res.percentages.to_numpy()
    if percent == "col":
        sums = np.nansum(pct, axis=0)[counts.sum(axis=0) > 0]
    elif percent == "row":
        sums = np.nansum(pct, axis=1)[counts.sum(axis=1) > 0]
    else:
        sums = np.array([pct.sum()])
    assert np.allclose(sums, 100.0, atol=1e-9)
    # transposing the table leaves the test unchanged
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallExpectedCountWarning)
        flipped = peoscales.crosstab_from_table(counts.T)
    assert flipped.chi2 == pytest.approx(res.chi2, rel=1e-9, abs=1e-12)
    assert abs(flipped.cramers_v - res.cramers_v) <= 1e-12


def test_display_counts_percentages_and_fisher() -> None:
    res = peoscales.crosstab_from_table(pd.DataFrame([[20, 30], [35, 15]]))
    text = res.summary()
    page = res._repr_html_()
    assert text.splitlines()[0] == "Crosstab"
    assert "<td>20</td>" in page and "<td>36.4</td>" in page and "20.0" not in page
    assert f"odds ratio = {res.odds_ratio:.2f}" in text and "95% CI [0." in text
    assert "χ²(1, N = 100) = 9.09" in page
