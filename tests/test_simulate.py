"""simulate() and the embedded demo data set."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

import peoscales
from peoscales.demo.make_mental_fitness import build_mental_fitness
from peoscales.errors import IncompleteScoresWarning, ParameterError

ALL = ["brs", "swing12", "wbns"]


def quiet_score(data: pd.DataFrame, instruments: list[str]) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IncompleteScoresWarning)
        return peoscales.score(data, instruments)


# ----------------------------------------------------------------------------- simulate


@given(
    st.sampled_from(["brs", "swing", "swing12_0to3", "wbns"]),
    st.integers(0, 30),
    st.integers(0, 2**32 - 1),
    st.floats(-1, 1),
)
def test_codes_lie_in_the_declared_range(name: str, n: int, seed: int, skew: float) -> None:
    data = peoscales.simulate(name, n, seed=seed, skew=skew)
    inst = peoscales.get_instrument(name)
    assert list(data.columns) == list(inst.administration_order)
    assert data.shape == (n, len(inst.items))
    assert (data.dtypes == np.float64).all()
    for col in data.columns:
        allowed = inst.response_scale_of(col).substantive_codes
        assert data[col].isin(allowed).all()


def test_reproducible_with_a_seed() -> None:
    a = peoscales.simulate(ALL, 50, seed=11, missing_share=0.1)
    pd.testing.assert_frame_equal(a, peoscales.simulate(ALL, 50, seed=11, missing_share=0.1))
    assert not a.equals(peoscales.simulate(ALL, 50, seed=12, missing_share=0.1))
    rng = np.random.default_rng(5)
    assert peoscales.simulate("brs", 3, seed=rng).shape == (3, 6)


def test_reverse_keyed_items_correlate_negatively_until_reversed() -> None:
    data = peoscales.simulate("wbns", 3000, seed=1)
    inst = peoscales.get_instrument("wbns")
    for sid, scale in inst.scales.items():
        block = data[list(scale.items)]
        r = block.corr()
        for a in scale.items:
            for b in scale.items:
                if a < b:
                    same = inst.items[a].reverse == inst.items[b].reverse
                    assert (r.loc[a, b] > 0.25) if same else (r.loc[a, b] < -0.25), (sid, a, b)
        reversed_ = block.copy()
        for iid in scale.reverse:
            reversed_[iid] = 6 - reversed_[iid]
        off = reversed_.corr().to_numpy()[np.triu_indices(6, 1)]
        assert off.min() > 0.25


def test_factor_correlation_shows_in_scale_scores() -> None:
    low = quiet_score(peoscales.simulate(ALL, 4000, seed=2, factor_corr=0.0), ALL).corr()
    high = quiet_score(peoscales.simulate(ALL, 4000, seed=2, factor_corr=0.6), ALL).corr()
    assert abs(low.loc["brs", "wbns_autonomy"]) < 0.06
    assert high.loc["brs", "wbns_autonomy"] > 0.35
    matrix = pd.DataFrame(
        np.eye(2), index=["swing_nwhi", "swing_nhwi"], columns=["swing_nwhi", "swing_nhwi"]
    )
    matrix.iloc[0, 1] = matrix.iloc[1, 0] = -0.5
    neg = quiet_score(peoscales.simulate("swing12", 3000, seed=3, factor_corr=matrix), ["swing12"])
    assert neg.corr().iloc[0, 1] < -0.3


def test_marginals_are_skewed_towards_the_keyed_high_end() -> None:
    data = peoscales.simulate("brs", 5000, seed=4, skew=0.3, item_spread=0.0)
    assert data["brs_1"].mean() > 3.2  # positively keyed: agreement
    assert data["brs_2"].mean() < 2.8  # reverse-keyed: disagreement, the mirror image
    assert data["brs_1"].mean() + data["brs_2"].mean() == pytest.approx(6, abs=0.1)
    assert set(data["brs_1"].unique()) == {1.0, 2.0, 3.0, 4.0, 5.0}
    flat = peoscales.simulate("brs", 5000, seed=4, skew=0.0, item_spread=0.0)
    assert abs(flat.to_numpy().mean() - 3.0) < 0.05


def test_missing_share_is_mcar() -> None:
    data = peoscales.simulate(ALL, 4000, seed=5, missing_share=0.2)
    share = data.isna().mean()
    assert share.between(0.17, 0.23).all()
    assert data.isna().sum(axis=1).var() == pytest.approx(36 * 0.2 * 0.8, rel=0.15)


def test_factor_scores_inject_structure() -> None:
    rng = np.random.default_rng(6)
    group = np.repeat([0.0, 1.0], 500)
    eta = pd.DataFrame({"brs": rng.standard_normal(1000) + 0.8 * group})
    scores = quiet_score(peoscales.simulate("brs", 1000, seed=7, factor_scores=eta), ["brs"])
    difference = scores["brs"][group == 1].mean() - scores["brs"][group == 0].mean()
    assert difference > 0.3
    assert np.corrcoef(scores["brs"], eta["brs"])[0, 1] > 0.8
    as_array = peoscales.simulate("brs", 1000, seed=7, factor_scores=eta.to_numpy())
    pd.testing.assert_frame_equal(
        as_array, peoscales.simulate("brs", 1000, seed=7, factor_scores=eta)
    )


def test_scales_subset() -> None:
    data = peoscales.simulate("wbns", 5, seed=8, scales=["wbns_competence"])
    assert list(data.columns) == [f"wbns_competence_{i}" for i in range(1, 7)]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n": -1}, "n must be a whole number"),
        ({"n": 2.5}, "n must be a whole number"),
        ({"missing_share": 1.0}, r"missing_share must lie in \[0, 1\)"),
        ({"loading": 1.0}, "loading must lie strictly between 0 and 1"),
        ({"loading": 0}, "loading must lie strictly between 0 and 1"),
        ({"factor_corr": -0.5}, "factor_corr=-0.5 gives no valid correlation matrix for 3 factors"),
        ({"factor_corr": np.eye(2)}, "factor_corr must be 3 x 3"),
        (
            {"factor_corr": np.array([[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]])},
            "not positive semi-definite",
        ),
        ({"factor_scores": np.zeros((4, 3))}, r"factor_scores must be n x scales = 5 x 3"),
        ({"factor_scores": pd.DataFrame({"wbns_autonomy": [0.0] * 5})}, "no column for scale"),
        ({"factor_scores": np.full((5, 3), np.nan)}, "must be finite"),
        ({"skew": 2}, r"skew must lie in \[-1, 1\]"),
        ({"seed": "abc"}, "seed must be None, a whole number or a numpy Generator"),
        ({"scales": ["brs"]}, r"unknown scale\(s\) 'brs'"),
    ],
)
def test_bad_options(kwargs: dict[str, object], match: str) -> None:
    args = {"n": 5, **kwargs}
    n = args.pop("n")
    with pytest.raises(ParameterError, match=match):
        peoscales.simulate("wbns", n, **args)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- demo data


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    return peoscales.demo.load_mental_fitness()


@pytest.fixture(scope="module")
def demo_scores(demo: pd.DataFrame) -> pd.DataFrame:
    with pytest.warns(IncompleteScoresWarning, match="wbns_autonomy: 3"):
        scores = peoscales.score(demo, ALL)
    return pd.concat([demo[["gender", "age", "education", "care_type"]], scores], axis=1)


def test_demo_file_is_what_the_generator_makes(demo: pd.DataFrame) -> None:
    built = build_mental_fitness().set_index("respondent")
    assert list(built.columns) == list(demo.columns)
    for col in demo.columns:
        np.testing.assert_array_equal(
            built[col].astype(object).where(built[col].notna(), None).to_numpy(),
            demo[col].astype(object).where(demo[col].notna(), None).to_numpy(),
        )


def test_demo_layout_and_dtypes(demo: pd.DataFrame) -> None:
    assert demo.shape == (499, 41)
    assert demo.index.name == "respondent" and demo.index.is_unique
    assert list(demo["education"].cat.categories) == ["mbo", "hbo", "wo"]
    assert demo["education"].cat.ordered
    assert list(demo["care_type"].cat.categories) == [
        "jeugd-ggz",
        "jeugdhulp",
        "jeugdbescherming",
        "overig",
    ]
    assert demo["gender"].value_counts()["vrouw"] / len(demo) == pytest.approx(0.85, abs=0.01)
    assert demo["gender"].isna().sum() == 2
    assert demo["age"].mean() == pytest.approx(43, abs=1)
    assert (demo["age"].min(), demo["age"].max()) == (22, 68)
    assert (demo["years_experience"] <= demo["age"] - 18).all()
    items = demo.columns[5:]
    assert len(items) == 36 and (demo[items].dtypes == np.float64).all()
    assert 0.005 < demo[items].isna().to_numpy().mean() < 0.03


def test_demo_over_80_percent_average_or_high_resilience(demo_scores: pd.DataFrame) -> None:
    bands = peoscales.categorize(demo_scores[["brs"]], "brs")["brs"]
    assert bands.isin(["normal", "high"]).mean() > 0.80
    assert (bands == "low").sum() > 20  # but not nobody low


def test_demo_resilience_higher_in_jeugdhulp_than_jeugdbescherming(
    demo_scores: pd.DataFrame,
) -> None:
    by = demo_scores.groupby("care_type", observed=True)["brs"]
    t = stats.ttest_ind(
        by.get_group("jeugdhulp"), by.get_group("jeugdbescherming"), equal_var=False
    )
    assert t.statistic > 3 and t.pvalue < 0.01
    anova = stats.f_oneway(*(g.dropna() for _, g in by))
    assert anova.pvalue < 0.01


def test_demo_correlations_as_in_the_report(demo_scores: pd.DataFrame) -> None:
    r = demo_scores.drop(columns=["gender", "education", "care_type"]).corr()
    needs = ["wbns_autonomy", "wbns_competence", "wbns_relatedness"]
    for need in needs:
        assert r.loc["swing_nwhi", need] < -0.2  # interference goes with lower needs
        assert r.loc["brs", need] > 0.2  # resilience with higher needs
    assert r.loc["swing_nwhi", "brs"] < -0.2
    assert r.loc["age", "wbns_competence"] > 0.15  # competence rises with age
    assert (
        demo_scores["wbns_competence"].mean()
        > demo_scores[["wbns_autonomy", "wbns_relatedness"]].mean().max()
    )
    assert demo_scores["swing_nhwi"].mean() > demo_scores["swing_nwhi"].mean()


def test_demo_hierarchical_regression_steps_add_variance(demo_scores: pd.DataFrame) -> None:
    import statsmodels.formula.api as smf

    d = demo_scores.dropna()
    step1 = smf.ols("brs ~ age + C(gender) + C(care_type)", d).fit()
    step2 = smf.ols("brs ~ age + C(gender) + C(care_type) + swing_nwhi + swing_nhwi", d).fit()
    step3 = smf.ols(
        "brs ~ age + C(gender) + C(care_type) + swing_nwhi + swing_nhwi"
        " + wbns_autonomy + wbns_competence + wbns_relatedness",
        d,
    ).fit()
    assert step2.compare_f_test(step1)[1] < 0.001
    assert step3.compare_f_test(step2)[1] < 0.001
    assert step3.rsquared - step1.rsquared > 0.15


def test_demo_report_sections() -> None:
    from peoscales.demo import SECTIONS, demo_report

    text = demo_report()
    for scale in (
        "brs",
        "swing_nwhi",
        "swing_nhwi",
        "wbns_autonomy",
        "wbns_competence",
        "wbns_relatedness",
    ):
        assert scale in text
    assert "Respondents:      499" in text
    assert "Average or high resilience:" in text
    only = demo_report([SECTIONS[0], ("Extra", lambda ctx: f"n = {len(ctx.scores)}")])
    assert "Extra\n-----\nn = 499" in only and "Scale scores" not in only
