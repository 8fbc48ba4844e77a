"""t-tests, Mann-Whitney, one-way ANOVA, Welch, post-hoc tests and Kruskal-Wallis.

Reference values come from R (``tests/reference/groups.R``: t.test, wilcox.test, aov,
oneway.test, TukeyHSD, kruskal.test, a Games-Howell written from its formula, effectsize)
on ``tests/reference/groups_data.csv``. Exact maths is checked to 1e-8 absolute.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import peoscales
from peoscales._groups import AnovaResult, KruskalResult, MannWhitneyResult, TTestResult
from peoscales._kernels.groups import ptukey, qtukey
from peoscales.errors import (
    DataTypeError,
    InsufficientDataError,
    MissingColumnsError,
    ParameterError,
)

REFERENCE = Path(__file__).parent / "reference"
EXPECTED = json.loads((REFERENCE / "groups_expected.json").read_text())
LEVELS = ["jeugdhulp", "jeugdbescherming", "jeugdreclassering", "gesloten"]
EXACT = 1e-8  # closed-form statistics and p-values from the t, F, chi2 and normal laws
ALT = {"two.sided": "two-sided", "less": "less", "greater": "greater"}


def load() -> pd.DataFrame:
    data = pd.read_csv(REFERENCE / "groups_data.csv")
    data["type"] = pd.Categorical(data["type"], categories=LEVELS)
    return data


def num(value: float | str) -> float:
    return float(value.replace("Inf", "inf")) if isinstance(value, str) else float(value)


def close(ours: float, theirs: float | str, tol: float = EXACT) -> bool:
    theirs = num(theirs)
    if math.isinf(theirs):
        return ours == theirs
    return abs(ours - theirs) <= tol


# --------------------------------------------------------------------------- t-test vs R


@pytest.mark.parametrize("case", EXPECTED["ttest"], ids=lambda c: f"{c['dv']}-{c['alternative']}")
def test_ttest_matches_r(case: dict) -> None:
    res = peoscales.ttest(
        load(),
        case["dv"],
        "type",
        groups=(case["group1"], case["group2"]),
        equal_var=case["equal_var"],
        alternative=ALT[case["alternative"]],
        confidence=case["conf_level"],
    )
    assert isinstance(res, TTestResult)
    for ours, key in [
        (res.t, "t"),
        (res.df, "df"),
        (res.p, "p"),
        (res.diff, "diff"),
        (res.ci_low, "ci_low"),
        (res.ci_high, "ci_high"),
        (res.d, "d"),
        (res.g, "g"),
    ]:
        assert close(ours, case[key]), key
    # Noncentral-t limits: both sides solve pt(t, df, ncp) = p to ~1e-13 (R with uniroot,
    # R's pnt itself being accurate to about 1e-12), so 1e-8 is safe.
    for ours, key in [
        (res.d_ci_low, "d_low"),
        (res.d_ci_high, "d_high"),
        (res.g_ci_low, "g_low"),
        (res.g_ci_high, "g_high"),
    ]:
        assert close(ours, case[key]), key
    # effectsize::cohens_d finds the same limits with optim(abstol = 1e-9), which stops
    # about 1e-8 short of the root: agreement to 1e-6 only, by its own precision.
    assert close(res.d, case["effectsize_d"])
    assert close(res.d_ci_low, case["effectsize_d_low"], 1e-6)
    assert close(res.d_ci_high, case["effectsize_d_high"], 1e-6)
    assert res.descriptives["n"].tolist() == [case["n1"], case["n2"]]


def test_ttest_apa_string_from_r_values() -> None:
    # R: t = 1.9477, df = 46.305, p = .0575, d = 0.5017 (first reference case)
    res = peoscales.ttest(load(), "resilience", "type", groups=("jeugdhulp", "jeugdbescherming"))
    assert res.to_apa() == "t(46.31) = 1.95, p = .058, d = 0.50"
    student = peoscales.ttest(
        load(), "resilience", "type", groups=("jeugdhulp", "jeugdbescherming"), equal_var=True
    )
    assert student.to_apa().startswith("t(69) = ")


def test_ttest_default_two_groups_in_category_order() -> None:
    data = load()
    two = data[data["type"].isin(["jeugdbescherming", "gesloten"])].copy()
    two["type"] = two["type"].cat.remove_unused_categories()
    res = peoscales.ttest(two, "resilience", "type")
    assert res.groups == ("jeugdbescherming", "gesloten")
    y = two.dropna(subset=["resilience"])
    expected = (
        y.loc[y["type"] == "jeugdbescherming", "resilience"].mean()
        - y.loc[y["type"] == "gesloten", "resilience"].mean()
    )
    assert res.diff == pytest.approx(expected, abs=1e-12)


def test_ttest_counts_dropped_rows() -> None:
    data = load()
    res = peoscales.ttest(data, "resilience", "type", groups=("jeugdhulp", "gesloten"))
    in_groups = data["type"].isin(["jeugdhulp", "gesloten"])
    expected = int((in_groups & data["resilience"].isna()).sum() + data["type"].isna().sum())
    assert res.n_excluded == expected
    assert res.n == int((in_groups & data["resilience"].notna()).sum())
    assert "rows left out for missing values: " + str(expected) in res.summary()


# ----------------------------------------------------------------- Mann-Whitney vs R


@pytest.mark.parametrize(
    "case", EXPECTED["wilcox"], ids=lambda c: f"{c['dv']}-{c['group1']}-{c['exact']}"
)
def test_mann_whitney_matches_r(case: dict) -> None:
    exact = None if case["exact"] == "default" else case["exact"]
    res = peoscales.ttest(
        load(),
        case["dv"],
        "type",
        groups=(case["group1"], case["group2"]),
        method="mann-whitney",
        alternative=ALT[case["alternative"]],
        exact=exact,
    )
    assert isinstance(res, MannWhitneyResult)
    assert res.u == case["U"]
    assert close(res.p, case["p"])
    assert close(res.r_rb, case["r"])
    assert close(res.r_rb_ci_low, case["r_low"])
    assert close(res.r_rb_ci_high, case["r_high"])
    # R's default: exact without ties when both groups are under 50
    assert res.exact == (exact is None and not case["ties"] and max(case["n1"], case["n2"]) < 50)


def test_mann_whitney_exact_with_ties_is_refused() -> None:
    with pytest.raises(ParameterError, match=r"exact=True: 'competence' has tied values"):
        peoscales.ttest(
            load(),
            "competence",
            "type",
            groups=("gesloten", "jeugdhulp"),
            method="mann-whitney",
            exact=True,
        )


def test_mann_whitney_apa() -> None:
    res = peoscales.ttest(
        load(),
        "competence",
        "type",
        groups=("jeugdreclassering", "gesloten"),
        method="mann-whitney",
    )
    # R: W = 57.5, p = .0276, r = -.4796
    assert res.to_apa() == "U = 57.5, p = .028, r = −.48"


# ------------------------------------------------------------------------ ANOVA vs R


@pytest.mark.parametrize("case", EXPECTED["anova"], ids=lambda c: c["dv"])
def test_anova_table_matches_r(case: dict) -> None:
    res = peoscales.anova(load(), case["dv"], "type", welch=True, posthoc=None)
    assert isinstance(res, AnovaResult)
    table = res.to_frame()
    assert close(table.loc["between", "SS"], case["ss_between"])
    assert close(table.loc["within", "SS"], case["ss_within"])
    assert table.loc["between", "df"] == case["df_between"]
    assert table.loc["within", "df"] == case["df_within"]
    assert close(table.loc["within", "MS"], case["ms_within"])
    assert close(res.f, case["F"])
    assert close(res.p, case["p"])
    assert close(res.eta2, case["eta2"])
    assert close(res.omega2, case["omega2"])
    assert res.welch is not None
    assert close(res.welch["f"], case["welch_F"])
    assert res.welch["df1"] == case["welch_df1"]
    assert close(res.welch["df2"], case["welch_df2"])
    assert close(res.welch["p"], case["welch_p"])
    desc = res.descriptives
    assert desc.index.tolist() == LEVELS
    assert desc["n"].tolist() == [case["group_n"][g] for g in LEVELS]
    assert np.allclose(desc["mean"], [case["group_mean"][g] for g in LEVELS], atol=EXACT, rtol=0)
    assert np.allclose(desc["sd"], [case["group_sd"][g] for g in LEVELS], atol=EXACT, rtol=0)


@pytest.mark.parametrize("case", EXPECTED["anova"], ids=lambda c: c["dv"])
def test_tukey_matches_r(case: dict) -> None:
    res = peoscales.anova(load(), case["dv"], "type", posthoc="tukey")
    ph = res.posthoc
    assert ph is not None
    assert res.posthoc_method == "Tukey HSD"
    r = pd.DataFrame(case["tukey"])
    # R lists pairs "later-earlier" with diff = mean(later) - mean(earlier); we list
    # (group1, group2) with diff = mean(group1) - mean(group2), in the same pair order.
    assert ph["group1"].tolist() == r["earlier"].tolist()
    assert ph["group2"].tolist() == r["later"].tolist()
    assert np.allclose(ph["diff"], -r["diff"], atol=EXACT, rtol=0)
    # p from the studentized range: the same algorithm as R's ptukey, so 1e-12.
    assert np.allclose(ph["p"], r["p"], atol=1e-12, rtol=0)
    # CI uses the quantile, which R's qtukey finds by secant iteration stopping at a
    # relative change of 1e-4 (observed differences up to ~5e-8), ours to 1e-13: 1e-7.
    assert np.allclose(ph["95% low"], -r["upr"], atol=1e-7, rtol=0)
    assert np.allclose(ph["95% high"], -r["lwr"], atol=1e-7, rtol=0)


@pytest.mark.parametrize("case", EXPECTED["anova"], ids=lambda c: c["dv"])
def test_games_howell_matches_r_and_pingouin(case: dict) -> None:
    data = load()
    res = peoscales.anova(data, case["dv"], "type", welch=True)  # default post-hoc: G-H
    ph = res.posthoc
    assert ph is not None
    assert res.posthoc_method == "Games–Howell"
    r = pd.DataFrame(case["games_howell"])
    assert ph["group1"].tolist() == r["group1"].tolist()
    assert ph["group2"].tolist() == r["group2"].tolist()
    for col in ("diff", "se", "df", "q"):
        assert np.allclose(ph[col], r[col], atol=EXACT, rtol=0), col
    assert np.allclose(ph["p"], r["p"], atol=1e-12, rtol=0)
    # qtukey precision in R (see the Tukey test): CIs to 1e-7.
    assert np.allclose(ph["95% low"], r["ci_low"], atol=1e-7, rtol=0)
    assert np.allclose(ph["95% high"], r["ci_high"], atol=1e-7, rtol=0)
    # pingouin implements the same formula; its p-values agree.
    theirs = pg.pairwise_gameshowell(
        data.dropna(subset=[case["dv"], "type"]), dv=case["dv"], between="type"
    )
    merged = ph.merge(theirs, left_on=["group1", "group2"], right_on=["A", "B"])
    assert len(merged) == len(ph)
    assert np.allclose(merged["p"], merged["pval"], atol=1e-6, rtol=0)


def test_ptukey_matches_r_and_scipy() -> None:
    grid = pd.DataFrame(EXPECTED["ptukey"])
    ours = np.concatenate(
        [ptukey(g["q"].to_numpy(), int(k), g["df"].to_numpy()) for k, g in grid.groupby("k")]
    )
    theirs = np.concatenate([g["p"].to_numpy() for _, g in grid.groupby("k")])
    # the port of R's algorithm reproduces R to rounding error
    assert np.abs(ours - theirs).max() <= 1e-13
    # and agrees with scipy's exact integration where R's quadrature is accurate
    # (df from 5 to 3000; R is off by up to ~1e-5 for df < 3 and by ~5e-5 beyond df 25000,
    # where it drops df altogether)
    typical = grid[(grid["df"] >= 5) & (grid["df"] <= 3000) & (grid["q"] <= 6)]
    for k, g in typical.groupby("k"):
        exact = stats.studentized_range.cdf(g["q"].to_numpy(), int(k), g["df"].to_numpy())
        assert np.allclose(ptukey(g["q"].to_numpy(), int(k), g["df"].to_numpy()), exact, atol=1e-8)


def test_qtukey_inverts_ptukey_tighter_than_r() -> None:
    grid = pd.DataFrame(EXPECTED["qtukey"])
    for (p, k), g in grid.groupby(["p", "k"]):
        q = qtukey(float(p), int(k), g["df"].to_numpy())
        # R's qtukey stops at a relative change of 1e-4 of its secant iteration
        assert np.allclose(q, g["q"], rtol=0, atol=1e-6)
        assert np.allclose(ptukey(q, int(k), g["df"].to_numpy()), p, rtol=0, atol=1e-12)


@pytest.mark.parametrize("case", EXPECTED["anova"], ids=lambda c: c["dv"])
def test_kruskal_matches_r(case: dict) -> None:
    res = peoscales.anova(load(), case["dv"], "type", method="kruskal")
    assert isinstance(res, KruskalResult)
    assert close(res.h, case["kruskal_H"])
    assert res.df == case["kruskal_df"]
    assert close(res.p, case["kruskal_p"])
    assert close(res.eta2_h, case["kruskal_eta2"])
    assert res.descriptives.index.tolist() == LEVELS
    assert res.to_apa().startswith(f"H(3) = {case['kruskal_H']:.2f}, ")


def test_anova_apa_and_displays() -> None:
    case = EXPECTED["anova"][0]
    res = peoscales.anova(load(), "resilience", "type")
    # R: F(3, 96) = 6.979, p = .00027, eta2 = .179
    assert case["F"] == pytest.approx(6.979, abs=1e-3)
    assert res.to_apa() == "F(3, 96) = 6.98, p < .001, η² = .18"
    welch = peoscales.anova(load(), "resilience", "type", welch=True)
    assert welch.to_apa().startswith(f"Welch's F(3, {case['welch_df2']:.2f}) = ")
    text = res.summary()
    assert "Tukey HSD" in text and "Between groups" in text and "rows left out" in text
    page = res._repr_html_()
    assert "<table" in page and "η²" in page
    # Summary and HTML show the same table: η² to three decimals in both, p the APA way.
    eta = f"{res.eta2:.3f}".lstrip("0")
    assert f"<td>{eta}</td>" in page and f" {eta} " in text
    assert "<td>&lt; .001</td>" in page and "0.000" not in page
    # Post-hoc pairs are labelled by their groups, not by a row number.
    first = res.posthoc.iloc[0]
    assert f"<th>{first['group1']} – {first['group2']}</th>" in page
    assert "diff" not in page and "95% low" not in page


def test_anova_counts_dropped_rows() -> None:
    data = load()
    res = peoscales.anova(data, "resilience", "type")
    expected = int((data["resilience"].isna() | data["type"].isna()).sum())
    assert res.n_excluded == expected
    assert res.n + res.n_excluded == len(data)


def test_unused_categories_are_left_out() -> None:
    data = load()
    data["type"] = data["type"].cat.add_categories(["pleegzorg"])
    res = peoscales.anova(data, "resilience", "type")
    assert "pleegzorg" not in res.descriptives.index
    assert res.df1 == 3


# -------------------------------------------------------------------------- bad input


def test_group_with_one_case() -> None:
    data = pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0, 5.0], "g": ["a", "a", "b", "b", "c"]})
    with pytest.raises(InsufficientDataError, match=r"group\(s\) 'c' \(n = 1\) of column 'g'"):
        peoscales.anova(data, "y", "g")


def test_single_group() -> None:
    data = pd.DataFrame({"y": [1.0, 2.0, 3.0], "g": ["a", "a", "a"]})
    with pytest.raises(InsufficientDataError, match=r"at least 2 groups .* has 1: 'a'"):
        peoscales.anova(data, "y", "g")
    with pytest.raises(InsufficientDataError, match="at least 2 groups"):
        peoscales.ttest(data, "y", "g")


def test_non_numeric_dv() -> None:
    data = load()
    with pytest.raises(DataTypeError, match=r"dv='sex' must be a numeric column .*'vrouw'"):
        peoscales.anova(data, "sex", "type")
    with pytest.raises(DataTypeError, match=r"dv='type' must be a numeric column"):
        peoscales.ttest(data, "type", "sex")


def test_unknown_column_suggests_close_names() -> None:
    with pytest.raises(MissingColumnsError, match=r"'Resilience': did you mean 'resilience'"):
        peoscales.anova(load(), "Resilience", "type")
    with pytest.raises(MissingColumnsError, match=r"'typ'.*did you mean 'type'"):
        peoscales.ttest(load(), "resilience", "typ")


def test_more_than_two_groups_needs_a_choice() -> None:
    with pytest.raises(ParameterError, match=r"has 4 groups .* groups=\('jeugdhulp', "):
        peoscales.ttest(load(), "resilience", "type")


def test_unknown_group_label() -> None:
    with pytest.raises(ParameterError, match=r"'pleegzorg' is not a value of column 'type'"):
        peoscales.ttest(load(), "resilience", "type", groups=("jeugdhulp", "pleegzorg"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"alternative": "two.sided"}, r"alternative='two.sided' is not supported"),
        ({"method": "welch"}, r"method='welch' is not supported"),
        ({"confidence": 95}, r"confidence must lie between 0 and 1"),
        ({"equal_var": "yes"}, r"equal_var must be True or False"),
        ({"exact": True}, r"exact applies to method='mann-whitney' only"),
    ],
)
def test_ttest_bad_options(kwargs: dict, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        peoscales.ttest(load(), "resilience", "type", groups=("jeugdhulp", "gesloten"), **kwargs)


def test_anova_bad_options() -> None:
    with pytest.raises(ParameterError, match=r"posthoc='bonferroni' is not supported"):
        peoscales.anova(load(), "resilience", "type", posthoc="bonferroni")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match=r"does not apply to method='kruskal'"):
        peoscales.anova(load(), "resilience", "type", method="kruskal", posthoc="tukey")


def test_zero_variance_everywhere() -> None:
    data = pd.DataFrame({"y": [2.0, 2.0, 2.0, 2.0], "g": ["a", "a", "b", "b"]})
    with pytest.raises(InsufficientDataError, match=r"'y' has no variance in every group"):
        peoscales.ttest(data, "y", "g")


def test_inputs_untouched_and_index_kept() -> None:
    data = load()
    data.index = [f"p{i}" for i in range(len(data))]
    before = data.copy(deep=True)
    peoscales.ttest(data, "resilience", "type", groups=("jeugdhulp", "gesloten"))
    peoscales.anova(data, "resilience", "type", welch=True)
    peoscales.anova(data, "resilience", "type", method="kruskal")
    pd.testing.assert_frame_equal(data, before)


# ---------------------------------------------------------------------------- properties

samples = st.lists(
    st.floats(min_value=-100, max_value=100, allow_nan=False, width=32), min_size=3, max_size=30
)


def _spread(values: list[float]) -> bool:
    return float(np.std(values)) > 1e-3


@given(a=samples, b=samples)
def test_welch_t_is_antisymmetric_in_group_order(a: list[float], b: list[float]) -> None:
    if not (_spread(a) and _spread(b)):
        return
    data = pd.DataFrame({"y": a + b, "g": ["a"] * len(a) + ["b"] * len(b)})
    ab = peoscales.ttest(data, "y", "g", groups=("a", "b"))
    ba = peoscales.ttest(data, "y", "g", groups=("b", "a"))
    assert isinstance(ab, TTestResult) and isinstance(ba, TTestResult)
    assert ab.t == pytest.approx(-ba.t, rel=1e-9, abs=1e-9)
    assert ab.df == pytest.approx(ba.df, rel=1e-9)
    assert ab.p == pytest.approx(ba.p, rel=1e-7, abs=1e-12)
    assert ab.d == pytest.approx(-ba.d, rel=1e-9, abs=1e-9)
    assert ab.ci_low == pytest.approx(-ba.ci_high, rel=1e-9, abs=1e-9)


@settings(max_examples=25)  # each call integrates the studentized range numerically
@given(
    values=st.lists(
        st.floats(min_value=-50, max_value=50, allow_nan=False, width=32), min_size=9, max_size=40
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_anova_invariant_to_row_order(values: list[float], seed: int) -> None:
    groups = (["a", "b", "c"] * len(values))[: len(values)]
    data = pd.DataFrame({"y": values, "g": groups})
    if data.groupby("g")["y"].std().min() < 1e-3:
        return
    shuffled = data.sample(frac=1, random_state=seed % (2**32))
    one = peoscales.anova(data, "y", "g")
    two = peoscales.anova(shuffled, "y", "g")
    assert one.f == pytest.approx(two.f, rel=1e-9, abs=1e-12)
    assert one.p == pytest.approx(two.p, rel=1e-7, abs=1e-12)
    assert one.posthoc is not None and two.posthoc is not None
    assert np.allclose(one.posthoc["p"], two.posthoc["p"], rtol=1e-7, atol=1e-10)


def test_ttest_ignores_unused_categories() -> None:
    data = load()
    two = data[data["type"].isin(["jeugdbescherming", "gesloten"])]  # 4 categories, 2 used
    res = peoscales.ttest(two, "resilience", "type")
    assert res.groups == ("jeugdbescherming", "gesloten")


def test_categorical_dv_is_refused() -> None:
    data = load()
    with pytest.raises(DataTypeError, match=r"dv='age_band' must be a numeric column"):
        peoscales.anova(data.astype({"age_band": "category"}), "age_band", "type")


def test_numbers_stored_as_text_are_used() -> None:
    data = load()
    as_text = data.assign(
        resilience=data["resilience"].map(lambda v: None if pd.isna(v) else str(v))
    )
    res = peoscales.anova(as_text, "resilience", "type", posthoc=None)
    assert abs(res.f - EXPECTED["anova"][0]["F"]) <= 1e-8


def test_games_howell_needs_variance_in_every_group() -> None:
    data = pd.DataFrame({"y": [1.0, 2.0, 3.0, 5.0, 5.0, 5.0], "g": list("aaabbb")})
    with pytest.raises(InsufficientDataError, match=r"no variance in group\(s\) 'b'.*welch=False"):
        peoscales.anova(data, "y", "g", welch=True)
    # Tukey pools the variance and is fine
    assert peoscales.anova(data, "y", "g").posthoc is not None


def test_displays_of_every_result() -> None:
    data = load()
    pair = ("jeugdhulp", "gesloten")
    t = peoscales.ttest(data, "resilience", "type", groups=pair, alternative="less")
    mw = peoscales.ttest(data, "resilience", "type", groups=pair, method="mann-whitney")
    kw = peoscales.anova(data, "resilience", "type", method="kruskal")
    for res, words in [
        (t, ["Welch's t-test", "(less)", "Cohen's d", "Hedges' g", "95% CI"]),
        (mw, ["Mann–Whitney", "rank-biserial", "Mean rank", "p from"]),
        (kw, ["Kruskal–Wallis", "H(3)", "Mean rank", "η²H"]),
    ]:
        text = res.summary()
        assert all(w in text for w in words), text
        assert repr(res) == text
        html = res._repr_html_()
        assert html.startswith('<div class="peoscales-result">') and "<table" in html
        # Readable labels, true minus signs only, missing values as a dash.
        assert not re.search(r"n_excluded|eta2_h|mean_rank| low<| high<", html)
        assert not re.search(r"(?<![\w(])-\d", text + html), text
        frame = res.to_frame()
        assert len(frame) == 1 and frame["n_excluded"].iloc[0] == res.n_excluded
    assert t.to_frame()["diff 95% low"].iloc[0] == -math.inf


def test_mann_whitney_names_its_p_value_method() -> None:
    df = pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0, 5.5, 6.5, 7.5, 8.5], "g": ["a"] * 4 + ["b"] * 4})
    exact = peoscales.ttest(df, "y", "g", method="mann-whitney")
    assert exact.exact
    page = exact._repr_html_()
    assert "<td>exact</td>" in page and "0.000" not in page
    assert exact.summary().count("exact") == 2  # heading and table
    tied = peoscales.ttest(df.assign(y=[1.0, 1, 2, 2, 3, 3, 4, 4]), "y", "g", method="mann-whitney")
    assert "<td>normal approximation</td>" in tied._repr_html_()


def test_ttest_display_uses_true_minus_signs_throughout() -> None:
    df = pd.DataFrame({"y": [3.0, 3.2, 2.9, 3.1, 3.6, 3.9, 3.7, 4.0], "g": ["a"] * 4 + ["b"] * 4})
    res = peoscales.ttest(df, "y", "g")
    text = res.summary()
    d = f"{res.d:.3f}".replace("-", "\u2212")
    assert res.d < 0 and re.search(f"Cohen's d +{d} +\\[\u2212", text), text
    assert "-" not in re.sub(r"[A-Za-z]-[A-Za-z]|-test", "", text)
    assert f"<td>{d}</td>" in res._repr_html_()


def test_ttest_solves_the_d_interval_only_when_read(monkeypatch: pytest.MonkeyPatch) -> None:
    from peoscales._kernels import groups as kern

    calls = []
    solve = kern.nct_ci

    def counted(t: float, df: float, level: float) -> tuple[float, float]:
        calls.append((t, df, level))
        return solve(t, df, level)

    monkeypatch.setattr(kern, "nct_ci", counted)
    res = peoscales.ttest(load(), "resilience", "type", groups=("jeugdhulp", "gesloten"))
    assert res.p > 0 and calls == []
    low, high = res.d_ci_low, res.d_ci_high
    j = kern.hedges_j(res.n - 2)
    assert (res.g_ci_low, res.g_ci_high) == (low * j, high * j)
    assert len(calls) == 1  # solved once, then kept
    assert low < res.d < high
    assert "d 95% low" in res.to_frame().columns and len(calls) == 1


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-1, 4), st.one_of(st.none(), st.floats(-1e3, 1e3))), min_size=1)
)
def test_binned_moments_equal_moments_of_the_usable_rows(rows: list) -> None:
    from peoscales._kernels import groups as kern

    k = 3
    codes = np.array([c for c, _ in rows], dtype=np.intp)
    y = np.array([np.nan if v is None else v for _, v in rows])
    usable = (codes >= 0) & (codes < k) & ~np.isnan(y)
    bins = np.where(usable, codes, k + 1)
    ours = kern.binned_moments(y, bins, k)
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = kern.group_moments(y[usable], codes[usable], k)
    for a, b in zip(ours, expected):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-9, equal_nan=True)
