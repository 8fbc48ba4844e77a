"""Trends across waves (peo.trend): R reference values (tests/reference/trend.R), a hand
computation of the Cochran–Armitage test, invariants, and compare_waves as its two-wave case."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peoscales import peo
from peoscales._kernels.peo_tables import cochran_armitage, linear_by_linear
from peoscales.errors import (
    DataTypeError,
    InstrumentNotFoundError,
    ParameterError,
    SmallExpectedCountWarning,
)

REFERENCE = Path(__file__).parent / "reference"
R = json.loads((REFERENCE / "trend_expected.json").read_text(encoding="utf-8"))
WAVES = ("2020-05", "2021-09", "2022-04")
#: The waves' dates in years, as the R script scores them.
DATES = (2020 + 4 / 12, 2021 + 8 / 12, 2022 + 3 / 12)
EQUIPPED = "Toegerust om vak uit te oefenen"
PLEASURE = "Werkplezier (1-10)"
TOL = {"rel": 1e-8, "abs": 1e-10}


def _reference_waves() -> dict[str, pd.DataFrame]:
    data = pd.read_csv(REFERENCE / "trend_data.csv", dtype={"wave": str})
    out = {w: data[data["wave"] == w].drop(columns="wave") for w in WAVES}
    # work_pleasure was not asked in 2020: the column is not in that wave's data
    out["2020-05"] = out["2020-05"].drop(columns="work_pleasure")
    return out


@pytest.fixture(scope="module")
def waves() -> dict[str, pd.DataFrame]:
    return _reference_waves()


def _check(ours: float, r: float) -> None:
    assert ours == pytest.approx(r, **TOL)


# ----- R reference --------------------------------------------------------------------


def test_answers_of_three_waves_match_chisq_test_and_linear_by_linear(waves) -> None:
    t = peo.trend(waves, ["equipped"], min_group_size=None)
    ref = R["equipped"]
    counts = t.counts.loc[EQUIPPED].to_numpy(dtype=np.int64)
    np.testing.assert_array_equal(counts.T, np.asarray(ref["counts"]))
    test = t.tests.loc[EQUIPPED]
    for key in ("chi2", "p", "cramers_v"):
        _check(test[key], ref["chisq"][key])
    assert test["df"] == ref["chisq"]["df"]
    assert test["trend_test"] == "linear_by_linear"
    _check(test["trend_chi2"], ref["lbl"]["chi2"])
    _check(test["trend_p"], ref["lbl"]["p"])
    dated = peo.trend(waves, ["equipped"], wave_scores=DATES).tests.loc[EQUIPPED]
    _check(dated["trend_chi2"], ref["lbl_dates"]["chi2"])
    _check(dated["trend_p"], ref["lbl_dates"]["p"])
    # three answers missing: counted, not silently dropped
    assert test["n_excluded"] == 3


def test_dichotomy_matches_prop_trend_test(waves) -> None:
    ref = R["equipped_dichotomy"]
    for scores, key in ((None, "trend"), (DATES, "trend_dates")):
        t = peo.trend(waves, "equipped", grouping="dichotomy", wave_scores=scores)
        counts = t.counts.loc[EQUIPPED].to_numpy(dtype=np.int64)
        np.testing.assert_array_equal(counts[0], ref["low"])
        np.testing.assert_array_equal(counts.sum(axis=0), ref["n"])
        test = t.tests.loc[EQUIPPED]
        assert test["trend_test"] == "cochran_armitage"
        _check(test["trend_chi2"], ref[key]["chi2"])
        _check(test["trend_p"], ref[key]["p"])
        for stat in ("chi2", "p", "cramers_v"):
            _check(test[stat], ref["chisq"][stat])
    # the share followed can be named; either answer gives the same statistic
    named = peo.trend(waves, "equipped", grouping="dichotomy", answer="(meer dan) voldoende")
    _check(named.tests.loc[EQUIPPED, "trend_chi2"], ref["trend"]["chi2"])


def test_numeric_item_bands_means_anova_and_welch_match_r(waves) -> None:
    t = peo.trend(waves, "work_pleasure", confidence=0.95)
    ref = R["work_pleasure"]
    assert t.missing_waves == {PLEASURE: ("2020-05",)}
    counts = t.counts.loc[PLEASURE]
    assert counts["2020-05"].isna().all()
    np.testing.assert_array_equal(
        counts[["2021-09", "2022-04"]].to_numpy(dtype=np.int64).T, ref["bands_counts"]
    )
    test = t.tests.loc[PLEASURE]
    for key in ("chi2", "p", "cramers_v"):
        _check(test[key], ref["chisq"][key])
    # bands are ordered: scored 1-3 against the wave's position among all waves (2, 3)
    _check(test["trend_chi2"], ref["lbl"]["chi2"])
    means = ref["means"]
    for wave, expected in means["per_wave"].items():
        row = t.means.loc[(PLEASURE, wave)]
        assert row["n"] == expected["n"]
        for key in ("mean", "sd", "ci_low", "ci_high"):
            _check(row[key], expected[key])
    mt = t.mean_tests.loc[PLEASURE]
    for key in ("f", "p", "eta2", "omega2", "welch_f", "welch_df2", "welch_p"):
        _check(mt[key], means[key])
    _check(mt["f"], means["f_oneway"])
    assert (mt["df1"], mt["df2"]) == (means["df1"], means["df2"])


def test_cochran_armitage_by_hand() -> None:
    # 1, 2 and 4 of 5 in three waves scored 1, 2, 3: the mean score is 2, the pooled
    # share 7/15, sum x (s - 2) = -1 + 0 + 4 = 3, sum n (s - 2)^2 = 10, so
    # chi2 = 3^2 / (7/15 * 8/15 * 10) = 2025 / 560.
    chi2, p = cochran_armitage(np.array([1, 2, 4]), np.array([5, 5, 5]), np.array([1, 2, 3]))
    assert chi2 == pytest.approx(2025 / 560, rel=1e-14)
    _check(chi2, R["tiny"]["chi2"])
    _check(p, R["tiny"]["p"])
    # shifting or stretching the scores changes nothing; no variation gives NaN
    again, _ = cochran_armitage(np.array([1, 2, 4]), np.array([5, 5, 5]), np.array([10, 30, 50]))
    assert again == pytest.approx(chi2, rel=1e-12)
    assert np.isnan(cochran_armitage(np.array([0, 0]), np.array([4, 6]), np.array([1, 2]))[0])


def test_linear_by_linear_is_n_minus_one_r_squared() -> None:
    rng = np.random.default_rng(3)
    rows, cols = rng.integers(0, 4, 200), rng.integers(0, 3, 200)
    table = np.zeros((4, 3))
    np.add.at(table, (rows, cols), 1)
    m2, _ = linear_by_linear(table, np.arange(4.0), np.array([0.0, 1.5, 4.0]))
    r = np.corrcoef(rows, np.array([0.0, 1.5, 4.0])[cols])[0, 1]
    assert m2 == pytest.approx(199 * r * r, rel=1e-12)


# ----- invariants ---------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=2, max_size=6),
    st.floats(0.1, 10), st.floats(-50, 50),
)  # fmt: skip
def test_cochran_armitage_invariants(cells, scale, shift) -> None:
    x = np.array([c[0] for c in cells], dtype=float)
    n = x + np.array([c[1] for c in cells], dtype=float)
    scores = np.arange(1.0, len(cells) + 1.0)
    chi2, p = cochran_armitage(x, n, scores)
    if np.isnan(chi2):
        return
    # scores enter only through their spacing
    again, _ = cochran_armitage(x, n, scale * scores + shift)
    assert again == pytest.approx(chi2, rel=1e-9)
    assert 0 <= p <= 1
    # it is N r^2 of the 0/1 answer and the scores over the respondents, and the
    # linear-by-linear statistic of the same 2 x k table is (N - 1) r^2
    total = n.sum()
    m2, _ = linear_by_linear(np.vstack([x, n - x]), np.array([1.0, 0.0]), scores)
    assert chi2 == pytest.approx(m2 * total / (total - 1), rel=1e-9)
    if (n > 0).sum() == 2:
        # two groups: Pearson's chi-square of the 2 x 2 table
        from scipy.stats import chi2_contingency

        table = np.vstack([x, n - x])[:, n > 0]
        expected = chi2_contingency(table, correction=False).statistic
        assert chi2 == pytest.approx(expected, rel=1e-9)


def _frames_equal(a: peo.TrendTable, b: peo.TrendTable) -> None:
    pd.testing.assert_frame_equal(a.percentages, b.percentages)
    pd.testing.assert_frame_equal(a.counts, b.counts)
    pd.testing.assert_frame_equal(a.tests, b.tests, rtol=1e-12)
    pd.testing.assert_frame_equal(a.means, b.means, rtol=1e-12)
    pd.testing.assert_frame_equal(a.mean_tests, b.mean_tests, rtol=1e-12)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_permuting_respondents_within_waves_changes_nothing(seed) -> None:
    waves = _reference_waves()
    rng = np.random.default_rng(seed)
    shuffled = {w: d.iloc[rng.permutation(len(d))] for w, d in waves.items()}
    items = ["equipped", "work_pleasure"]
    _frames_equal(peo.trend(waves, items), peo.trend(shuffled, items))


#: Linked items of 2021-09 and 2022-04, in the codebooks' order (compare_waves' order).
_LINKED = ["equipped", "rules_negative_influence", "work_pleasure", "space_overall"]


def _random_wave(rng: np.random.Generator, n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "equipped": rng.integers(1, 5, n).astype(float),
            "work_pleasure": rng.integers(1, 11, n).astype(float),
            "space_overall": rng.integers(1, 5, n).astype(float),
            "rules_negative_influence": rng.integers(1, 4, n).astype(float),
        }
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1), st.integers(8, 60), st.integers(8, 60))
def test_two_wave_trend_is_compare_waves(seed, n_a, n_b) -> None:
    rng = np.random.default_rng(seed)
    a, b = _random_wave(rng, n_a), _random_wave(rng, n_b)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallExpectedCountWarning)
        wc = peo.compare_waves(a, b, codebook_a="2021-09", codebook_b="2022-04", items=_LINKED)
        t = peo.trend({"2021-09": a, "2022-04": b}, _LINKED)
    pd.testing.assert_frame_equal(wc.percentages, t.percentages)
    np.testing.assert_array_equal(wc.counts.to_numpy(), t.counts.to_numpy(dtype=np.int64))
    pd.testing.assert_frame_equal(wc.tests[["chi2", "df", "p", "cramers_v"]],
                                  t.tests[["chi2", "df", "p", "cramers_v"]])  # fmt: skip


# ----- inputs and errors --------------------------------------------------------------


def test_inputs_are_not_modified_and_every_item_is_linked_by_default(waves) -> None:
    before = {w: d.copy() for w, d in waves.items()}
    t = peo.trend(waves)
    for w in WAVES:
        pd.testing.assert_frame_equal(waves[w], before[w])
    assert t.waves == WAVES
    # only equipped and work_pleasure have data; the other linked items are not in it
    assert list(t.tests.index) == [EQUIPPED, PLEASURE]
    assert t.skipped.pop("fixed_comments") == "open question"
    assert t.skipped["employer"] == "in the data of no wave"
    assert set(t.skipped.values()) == {"in the data of no wave"}


def test_a_survey_export_and_codebooks_for_other_names() -> None:
    export = peo.load_demo_export()
    coded = peo.code_wave(export, wave="2021-09").data
    later = coded.iloc[::2]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallExpectedCountWarning)
        t = peo.trend({"2021-09": export, "later": later}, ["equipped"],
                      codebooks={"later": "2022-04"})  # fmt: skip
        direct = peo.trend({"2021-09": coded, "later": later}, ["equipped"],
                           codebooks={"later": "2022-04"})  # fmt: skip
    assert t.waves == ("2021-09", "later")
    _frames_equal(t, direct)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"items": ["equiped"]}, ParameterError, "Did you mean 'equipped'"),
        ({"items": ["space_overall_2020"]}, ParameterError, "not an item"),
        ({"items": ["change_n_requests"]}, ParameterError, "no same_as link"),
        ({"wave_scores": [1, 2]}, ParameterError, "one finite number per wave"),
        ({"wave_scores": ["a", "b", "c"]}, ParameterError, "wave_scores must be numbers"),
        ({"adjust": "sidak"}, ParameterError, "adjust"),
        ({"confidence": 95}, ParameterError, "confidence"),
        ({"ordered": "yes"}, ParameterError, "ordered"),
        ({"answer": "x", "items": ["equipped"]}, ParameterError, "answer='x' is not an answer"),
        ({"codebooks": {"2019": "2021-09"}}, ParameterError, "not in waves"),
        ({"codebooks": {"2020-05": 5}}, ParameterError, r"codebooks\['2020-05'\] must be"),
        ({"items": []}, ParameterError, "items is empty"),
        ({"items": [None]}, ParameterError, r"items must be item ids \(text\), got None"),
        ({"grouping": "dichotomie"}, ParameterError, "grouping='dichotomie' is not defined"),
    ],
)
def test_bad_arguments_are_named(waves, kwargs, error, match) -> None:
    with pytest.raises(error, match=match):
        peo.trend(waves, **kwargs)


def test_bad_waves_are_named(waves) -> None:
    with pytest.raises(ParameterError, match="two or more waves"):
        peo.trend({"2021-09": waves["2021-09"]})
    with pytest.raises(DataTypeError, match=r"waves\['2022-04'\] is a ndarray"):
        peo.trend({"2021-09": waves["2021-09"], "2022-04": np.zeros(3)})
    with pytest.raises(DataTypeError, match=r"waves\[0\] is a DataFrame"):
        peo.trend([waves["2021-09"], waves["2022-04"]])
    with pytest.raises(DataTypeError, match="mapping of wave name"):
        peo.trend("2021-09")
    with pytest.raises(InstrumentNotFoundError, match=r"waves\['2030-01'\].*codebooks="):
        peo.trend({"2030-01": waves["2021-09"], "2022-04": waves["2022-04"]})


def test_waves_without_answers_give_no_statistics_and_no_raw_missing_values(waves) -> None:
    empty = {"2021-09": waves["2021-09"].iloc[:0], "2022-04": waves["2022-04"]}
    t = peo.trend(empty, ["equipped", "work_pleasure"], min_group_size=None)
    assert t.tests["chi2"].isna().all() and t.mean_tests["f"].isna().all()
    shown = t.display_frame()
    assert (shown["2021-09"].drop(index="n", level=1) == "").all()
    assert not re.search(r"\b(nan|NaN|None|<NA>)\b", t._repr_html_())
    assert not shown.isin(["— [—, —]"]).any().any()


# ----- display ------------------------------------------------------------------------


def test_display_marks_small_waves_and_lacking_waves(waves) -> None:
    small = dict(waves)
    small["2022-04"] = waves["2022-04"].iloc[:3]
    with pytest.warns(SmallExpectedCountWarning, match="wave comparison of 2 item"):
        t = peo.trend(small, ["equipped", "work_pleasure"], lang="en")
    equipped, pleasure = "Equipped for the job", "Work pleasure (1-10)"
    shown = t.display_frame()
    assert (shown.loc[equipped, "2022-04"] == "<5").all()
    # the wave that lacks work_pleasure shows nothing, and a note names it
    assert (shown.loc[pleasure, "2020-05"] == "").all()
    assert f"Not in 2020-05: {pleasure}." in t.notes()
    assert any(n.startswith("<5:") for n in t.notes())
    mean_row = shown.loc[(pleasure, "Mean [95% CI]")]
    m = t.means.loc[(pleasure, "2021-09")]
    assert mean_row["2021-09"] == f"{m['mean']:.2f} [{m['ci_low']:.2f}, {m['ci_high']:.2f}]"
    assert mean_row["2022-04"] == "<5"
    assert "Trend across waves" in t.summary() and "<table" in t._repr_html_()


def test_adjusted_p_values_are_shown_when_asked(waves) -> None:
    t = peo.trend(waves, ["equipped", "work_pleasure"], adjust="holm")
    from peoscales._kernels.posthoc import p_adjust

    np.testing.assert_allclose(t.tests["p_adjusted"], p_adjust(t.tests["p"].to_numpy(), "holm"))
    assert "p (adj.)" in t.display_frame().columns


def test_plot_draws_one_line_per_answer_or_the_means(waves) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    t = peo.trend(waves, ["equipped", "work_pleasure"], grouping=None)
    ax = t.plot("equipped", ax=Figure().add_subplot())
    shares = t.percentages.loc[EQUIPPED]
    assert len(ax.lines) == len(shares.index)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), shares.iloc[0].to_numpy(dtype=float))
    ax = t.plot(PLEASURE, ax=Figure().add_subplot())
    means = t.means.loc[PLEASURE, "mean"].to_numpy()
    np.testing.assert_allclose(ax.lines[0].get_ydata(), means)
    with pytest.raises(ParameterError, match="numeric item"):
        t.plot("equipped", kind="mean")
    with pytest.raises(ParameterError, match="not an item of this trend"):
        t.plot("stay")


def test_small_count_warning_points_at_the_caller(waves) -> None:
    small = {w: d.iloc[:12] for w, d in waves.items()}
    with pytest.warns(SmallExpectedCountWarning) as caught:
        peo.trend(small, ["equipped"])
    assert {w.filename for w in caught} == {__file__}


def test_mean_chart_has_error_bars_of_the_intervals(waves) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    t = peo.trend(waves, "work_pleasure")
    ax = t.plot(ax=Figure().add_subplot())
    bars = ax.containers[0]
    segments = bars.lines[2][0].get_segments()
    m = t.means.loc[PLEASURE]
    np.testing.assert_allclose([s[0][1] for s in segments], m["ci_low"].to_numpy())
    np.testing.assert_allclose([s[1][1] for s in segments], m["ci_high"].to_numpy())


def test_a_list_of_coded_waves_takes_their_names_and_codebooks(waves) -> None:
    def coded(wave: str) -> peo.CodedWave:
        data = waves[wave]
        return peo.CodedWave(
            data=data, asked=data.notna(), codebook=peo.get_codebook(wave),
            matched={c: c for c in data.columns}, unmatched=(), unused=(), source="test",
        )  # fmt: skip

    listed = peo.trend([coded(w) for w in WAVES], ["equipped"])
    _frames_equal(listed, peo.trend(waves, ["equipped"]))
    assert listed.waves == WAVES


def test_unordered_waves_have_no_trend_test(waves) -> None:
    t = peo.trend(waves, ["equipped", "work_pleasure"], ordered=False)
    assert (t.tests["trend_test"] == "").all() and t.tests["trend_p"].isna().all()
    assert (t.display_frame()["p trend"] == "").all()
    assert not any("trend (" in n for n in t.notes())
    # the chi-square tests do not depend on the order
    ordered = peo.trend(waves, ["equipped", "work_pleasure"])
    pd.testing.assert_series_equal(t.tests["chi2"], ordered.tests["chi2"])


# ----- the three demo waves -----------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> dict[str, object]:
    return {w: peo.load_demo_export(wave=w) for w in WAVES}


def test_committed_demo_counts_are_those_of_the_demo_exports() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "trend_demo_counts", REFERENCE / "trend_demo_counts.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = pd.read_csv(
        REFERENCE / "trend_demo_counts.csv", dtype={"item": str, "answer": str}
    ).astype(dict.fromkeys(WAVES, "Int64"))
    pd.testing.assert_frame_equal(module.demo_counts(), committed)


def test_equipped_and_work_pleasure_across_the_three_demo_waves_match_r(demo) -> None:
    committed = pd.read_csv(REFERENCE / "trend_demo_counts.csv", dtype={"answer": str})
    ref = R["demo"]
    # three, two and one respondent(s) answered "nauwelijks": small expected counts
    with pytest.warns(SmallExpectedCountWarning, match="1 item.*Toegerust"):
        t = peo.trend(demo, ["equipped", "work_pleasure"], min_group_size=None)
    assert t.waves == WAVES and t.missing_waves == {PLEASURE: ("2020-05",)}
    equipped = committed[committed["item"] == "equipped"][list(WAVES)].to_numpy()
    np.testing.assert_array_equal(t.counts.loc[EQUIPPED].to_numpy(dtype=np.int64), equipped)
    test = t.tests.loc[EQUIPPED]
    for key in ("chi2", "p", "cramers_v"):
        _check(test[key], ref["equipped"]["chisq"][key])
    test = t.tests.loc[PLEASURE]
    for key in ("chi2", "p", "cramers_v"):
        _check(test[key], ref["work_pleasure"]["chisq"][key])
    _check(test["trend_chi2"], ref["work_pleasure"]["lbl"]["chi2"])
    _check(test["trend_p"], ref["work_pleasure"]["lbl"]["p"])
    means = ref["work_pleasure"]["means"]
    for wave, expected in means["per_wave"].items():
        for key in ("n", "mean", "sd", "ci_low", "ci_high"):
            _check(t.means.loc[(PLEASURE, wave), key], expected[key])
    mt = t.mean_tests.loc[PLEASURE]
    for key in ("f", "p", "eta2", "omega2", "welch_f", "welch_df2", "welch_p"):
        _check(mt[key], means[key])
    # the share answering "onvoldoende of nauwelijks": Cochran–Armitage over the waves
    dichotomy = peo.trend(demo, "equipped", grouping="dichotomy").tests.loc[EQUIPPED]
    assert dichotomy["trend_test"] == "cochran_armitage"
    for key in ("chi2", "p"):
        _check(dichotomy[f"trend_{key}"], ref["equipped"]["trend"][key])
        _check(dichotomy[key], ref["equipped"]["dichotomy_chisq"][key])


def test_display_frame_heads_are_in_the_table_language() -> None:
    rng = np.random.default_rng(3)
    labels = ["ruim onvoldoende", "onvoldoende", "voldoende", "ruim voldoende"]
    shown = {}
    for lang in ("nl", "en"):
        waves = {
            w: pd.DataFrame(
                {"space_reflect": pd.Categorical(rng.choice(labels, 60), categories=labels)}
            )
            for w in ("2021-09", "2022-04")
        }
        shown[lang] = peo.trend(waves, ["space_reflect"], lang=lang).display_frame()
    assert shown["nl"].index.names == ["Vraag", "Antwoord"]
    assert shown["en"].index.names == ["Item", "Answer"]
