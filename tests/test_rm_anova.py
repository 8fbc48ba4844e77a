"""Repeated-measures and mixed ANOVA, Mauchly, GG/HF corrections and Friedman, against R.

Reference values: ``tests/reference/within.R`` (``car::Anova`` on the multivariate lm with
``idata``, ``pairwise.t.test(paired = TRUE)``, ``friedman.test``) on
``tests/reference/within_data.csv``. Closed-form statistics to 1e-8.
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
from peoscales import FriedmanResult, RMAnovaResult
from peoscales.errors import InsufficientDataError, MissingColumnsError, ParameterError

REFERENCE = Path(__file__).parent / "reference"
EXPECTED = json.loads((REFERENCE / "within_expected.json").read_text())
EXACT = 1e-8


def load() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "within_data.csv")


def as_list(value: object) -> list:
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize(
    "case", EXPECTED["rm_anova"], ids=lambda c: f"{len(c['columns'])}-{c['between']}"
)
def test_rm_anova_matches_car(case: dict) -> None:
    res = peoscales.rm_anova(load(), case["columns"], between=case["between"])
    assert isinstance(res, RMAnovaResult)
    assert (res.n, res.n_excluded) == (case["n"], case["n_excluded"])
    table = res.table
    assert list(table.index) == as_list(case["effects"])
    for key in ("ss", "df1", "df2", "ss_error", "f", "p", "eta2_partial", "eta2_generalized"):
        np.testing.assert_allclose(table[key], as_list(case[key]), rtol=0, atol=EXACT, err_msg=key)
    within = table.loc[table["epsilon_gg"].notna()]
    np.testing.assert_allclose(within["epsilon_gg"], case["epsilon_gg"], rtol=0, atol=EXACT)
    np.testing.assert_allclose(within["epsilon_hf"], case["epsilon_hf"], rtol=0, atol=EXACT)
    np.testing.assert_allclose(within["p_gg"], as_list(case["p_gg"]), rtol=0, atol=EXACT)
    np.testing.assert_allclose(within["p_hf"], as_list(case["p_hf"]), rtol=0, atol=EXACT)
    assert res.mauchly["w"].iloc[0] == pytest.approx(case["mauchly_w"], abs=EXACT)
    assert res.mauchly["p"].iloc[0] == pytest.approx(case["mauchly_p"], abs=EXACT)
    ph = res.posthoc
    assert ph is not None
    for row, theirs in zip(ph.itertuples(), case["posthoc"]):
        assert (row.level1, row.level2) == (theirs["level1"], theirs["level2"])
        for key, ours in (
            ("diff", row.diff),
            ("t", row.t),
            ("p", row.p),
            ("p_holm", row.p_adjusted),
        ):
            assert ours == pytest.approx(theirs[key], abs=EXACT), key


@pytest.mark.parametrize(
    "case",
    [c for c in EXPECTED["rm_anova"] if c["between"] is not None],
    ids=lambda c: f"{len(c['columns'])}-{c['simple_adjust']}",
)
def test_mixed_simple_comparisons_match_r(case: dict) -> None:
    """Paired tests inside each group (pairwise.t.test, paired) and Welch tests of the
    groups at each condition (t.test), each family adjusted on its own."""
    res = peoscales.rm_anova(
        load(), case["columns"], between=case["between"], adjust=case["simple_adjust"]
    )
    assert isinstance(res, RMAnovaResult)
    for ours, theirs, keys in (
        (res.posthoc_within, case["posthoc_by_group"], ("group", "level1", "level2")),
        (res.posthoc_between, case["posthoc_by_level"], ("level", "group1", "group2")),
    ):
        assert ours is not None and len(ours) == len(theirs)
        for row, ref in zip(ours.to_dict("records"), theirs, strict=True):
            assert tuple(row[k] for k in keys) == tuple(ref[k] for k in keys)
            for key in ("diff", "se", "t", "df", "p", "p_adjusted"):
                assert row[key] == pytest.approx(ref[key], abs=EXACT), key
    text = res.summary()
    assert "within each group of group" in text and "Welch t-tests of group" in text


def test_simple_comparisons_only_in_a_mixed_design() -> None:
    data = load()
    single = peoscales.rm_anova(data, ["a", "b", "c"])
    assert single.posthoc_within is None and single.posthoc_between is None
    quiet = peoscales.rm_anova(data, ["a", "b", "c"], between="group", posthoc=False)
    assert quiet.posthoc_within is None and quiet.posthoc_between is None


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**31), st.integers(2, 4), st.integers(2, 3))
def test_simple_comparisons_equal_the_one_group_tests(seed: int, k: int, g: int) -> None:
    """Each group's paired tests are those of an ANOVA of that group alone (independent
    path: the single-group post-hoc), and the between tests are scipy's Welch test."""
    from scipy import stats

    rng = np.random.default_rng(seed)
    n = 6 * g
    cols = [f"c{i}" for i in range(k)]
    data = pd.DataFrame(rng.normal(size=(n, k)), columns=cols)
    data["grp"] = rng.permutation(np.repeat([f"g{i}" for i in range(g)], 6))
    res = peoscales.rm_anova(data, cols, between="grp", adjust="bonferroni")
    for label, part in data.groupby("grp"):
        alone = peoscales.rm_anova(part, cols, adjust="bonferroni").posthoc
        mine = res.posthoc_within[res.posthoc_within["group"] == label]
        for key in ("diff", "se", "t", "p", "p_adjusted"):
            np.testing.assert_allclose(mine[key], alone[key], rtol=1e-10, atol=1e-14)
    for row in res.posthoc_between.itertuples():
        a = data.loc[data["grp"] == row.group1, row.level]
        b = data.loc[data["grp"] == row.group2, row.level]
        ref = stats.ttest_ind(a, b, equal_var=False)
        assert row.t == pytest.approx(ref.statistic, rel=1e-10)
        assert row.p == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-15)


@pytest.mark.parametrize("case", EXPECTED["friedman"], ids=lambda c: "-".join(c["columns"]))
def test_friedman_matches_r(case: dict) -> None:
    res = peoscales.rm_anova(load(), case["columns"], method="friedman")
    assert isinstance(res, FriedmanResult)
    assert res.n == case["n"]
    for key in ("chi2", "df", "p", "kendalls_w"):
        assert getattr(res, key) == pytest.approx(case[key], abs=EXACT), key


def long_form(data: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return data.melt(
        id_vars=["id", "group"], value_vars=columns, var_name="need", value_name="score"
    )


def test_long_input_equals_wide() -> None:
    data = load()
    wide = peoscales.rm_anova(data, ["a", "b", "c"], between="group")
    long = long_form(data, ["a", "b", "c"]).sample(frac=1, random_state=3)
    res = peoscales.rm_anova(long, dv="score", within="need", subject="id", between="group")
    pd.testing.assert_frame_equal(
        res.table.rename(index=lambda s: s.replace("need", "condition")), wide.table
    )
    assert res.n_excluded == wide.n_excluded
    friedman = peoscales.rm_anova(long, dv="score", within="need", subject="id", method="friedman")
    assert friedman.chi2 == pytest.approx(
        peoscales.rm_anova(data, ["a", "b", "c"], method="friedman").chi2, abs=1e-12
    )


def test_two_conditions_is_the_paired_t_test_squared() -> None:
    data = load()
    res = peoscales.rm_anova(data, ["a", "b"])
    paired = peoscales.paired_test(data, "a", "b")
    assert res.f == pytest.approx(paired.t**2, abs=1e-9)
    assert res.p == pytest.approx(paired.p, abs=1e-12)
    assert res.table["epsilon_gg"].iloc[0] == 1.0 and np.isnan(res.mauchly["w"].iloc[0])


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**31), st.integers(3, 5))
def test_condition_order_does_not_matter(seed: int, k: int) -> None:
    rng = np.random.default_rng(seed)
    y = rng.normal(size=(15, 1)) + rng.normal(size=(15, k))
    data = pd.DataFrame(y, columns=[f"c{j}" for j in range(k)])
    cols = list(data.columns)
    a = peoscales.rm_anova(data, cols)
    b = peoscales.rm_anova(data, cols[::-1])
    for key in ("f", "p", "eta2_generalized"):
        assert getattr(a, key) == pytest.approx(getattr(b, key), rel=1e-9)
    assert a.mauchly["w"].iloc[0] == pytest.approx(b.mauchly["w"].iloc[0], rel=1e-8)
    assert a.table["epsilon_gg"].iloc[0] == pytest.approx(b.table["epsilon_gg"].iloc[0], rel=1e-8)


def test_views_and_apa() -> None:
    data = load()
    before = data.copy()
    mixed = peoscales.rm_anova(data, ["a", "b", "c"], between="group", adjust="bonferroni")
    pd.testing.assert_frame_equal(data, before)
    assert mixed.to_apa().startswith("F(2, 70) = 3.45, p = .037")
    assert mixed.to_apa("group").startswith("F(2, 35) = 3.24")
    assert "p (bonferroni)" in mixed.summary() and "<table" in mixed._repr_html_()
    assert mixed.descriptives.shape[0] == 9
    friedman = peoscales.rm_anova(data, ["a", "b", "c"], method="friedman")
    assert friedman.to_apa() in friedman.summary() and "<table" in friedman._repr_html_()
    assert friedman.to_frame()["kendalls_w"].iloc[0] == friedman.kendalls_w


def test_errors() -> None:
    data = load()
    with pytest.raises(ParameterError, match="at least two"):
        peoscales.rm_anova(data, ["a"])
    with pytest.raises(MissingColumnsError, match="'d'"):
        peoscales.rm_anova(data, ["a", "d"])
    with pytest.raises(ParameterError, match="missing"):
        peoscales.rm_anova(data, dv="a", within="group")
    with pytest.raises(ParameterError, match="not both"):
        peoscales.rm_anova(data, ["a", "b"], dv="a")
    long = long_form(data, ["a", "b"])
    with pytest.raises(ParameterError, match="one row per person"):
        peoscales.rm_anova(pd.concat([long, long.head(2)]), dv="score", within="need", subject="id")
    varying = long.assign(group=np.where(long["need"] == "a", "g1", "g2"))
    with pytest.raises(ParameterError, match="constant within a person"):
        peoscales.rm_anova(varying, dv="score", within="need", subject="id", between="group")
    with pytest.raises(ParameterError, match="friedman"):
        peoscales.rm_anova(data, ["a", "b"], between="group", method="friedman")
    with pytest.raises(ParameterError, match="adjust"):
        peoscales.rm_anova(data, ["a", "b"], adjust="sidak")
    flat = pd.DataFrame({"a": [1.0, 2, 3], "b": [1.5, 2.5, 3.5], "c": [1.0, 2, 3]})
    with pytest.raises(InsufficientDataError, match="no within-person error"):
        peoscales.rm_anova(flat, ["a", "b", "c"])
    with pytest.raises(InsufficientDataError, match="complete persons"):
        peoscales.rm_anova(data.head(1), ["a", "b"])


def test_apa_uses_greenhouse_geisser_when_sphericity_fails() -> None:
    rng = np.random.default_rng(11)
    person = rng.normal(size=(60, 1))
    # Very unequal variances of the differences: sphericity clearly violated.
    y = person + rng.normal(size=(60, 4)) * np.array([0.1, 0.1, 2.0, 3.0]) + [0, 0.1, 0.5, 0.9]
    res = peoscales.rm_anova(pd.DataFrame(y, columns=list("abcd")), list("abcd"))
    assert res.mauchly["p"].iloc[0] < 0.05
    row = res.table.iloc[0]
    eps = row["epsilon_gg"]
    assert eps < 0.9
    assert res.to_apa().startswith(
        f"F({row['df1'] * eps:.2f}, {row['df2'] * eps:.2f})".replace("-", "−")
    )
    assert res.to_apa().endswith(f"ε = {f'{eps:.2f}'.lstrip('0')}")


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**31), st.integers(3, 6), st.booleans())
def test_friedman_equals_scipy(seed: int, k: int, ties: bool) -> None:
    from scipy import stats

    rng = np.random.default_rng(seed)
    y = rng.normal(size=(12, k))
    if ties:
        y = np.round(y)
    data = pd.DataFrame(y, columns=[f"c{j}" for j in range(k)])
    if (y == y[:, :1]).all():
        with pytest.raises(InsufficientDataError, match="nothing to rank"):
            peoscales.rm_anova(data, list(data.columns), method="friedman")
        return
    ours = peoscales.rm_anova(data, list(data.columns), method="friedman")
    theirs = stats.friedmanchisquare(*y.T)
    assert ours.chi2 == pytest.approx(theirs.statistic, rel=1e-10)
    assert ours.p == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-15)


P_ADJUST_NA = json.loads((REFERENCE / "p_adjust_na_expected.json").read_text())


@pytest.mark.parametrize("case", P_ADJUST_NA, ids=lambda c: str(len(c["p"])))
@pytest.mark.parametrize("method", ["holm", "bonferroni", "fdr_bh", "none"])
def test_p_adjust_leaves_missing_p_out_as_r(case: dict, method: str) -> None:
    from peoscales._kernels.posthoc import p_adjust, p_adjust_by

    p = np.array([np.nan if v is None else v for v in case["p"]], dtype=float)
    want = np.array([np.nan if v is None else v for v in case["adjusted"][method]], dtype=float)
    np.testing.assert_allclose(p_adjust(p, method), want, rtol=1e-12, atol=0)
    family = np.zeros(p.size, dtype=int)
    np.testing.assert_allclose(p_adjust_by(p, family, method), want, rtol=1e-12, atol=0)


def test_a_group_of_one_does_not_inflate_the_others_adjustment() -> None:
    # the tests with the group of one have no p; the a-b test is the only one adjusted
    rng = np.random.default_rng(1)
    data = pd.DataFrame(
        {"g": ["a"] * 6 + ["b"] * 5 + ["c"], "t1": rng.normal(size=12), "t2": rng.normal(size=12)}
    )
    res = peoscales.rm_anova(data, ["t1", "t2"], between="g")
    between = res.posthoc_between
    assert between is not None
    done = between["p"].notna()
    assert done.sum() == 2 and between["p_adjusted"][~done].isna().all()
    np.testing.assert_array_equal(between["p_adjusted"][done], between["p"][done])
