"""Charts are tested for what they show: bar lengths, labels, stars, hidden cells.

Every expected value comes from the result or table the chart draws, or is recomputed
here independently (pandas counts, scipy quantiles, ``categorize``), never from the chart.
"""

from __future__ import annotations

import importlib
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import peoscales as ps  # noqa: E402
from peoscales import peo, plot  # noqa: E402
from peoscales._results import stars  # noqa: E402
from peoscales.errors import (  # noqa: E402
    ColumnError,
    DataTypeError,
    ParameterError,
    UnknownLabelError,
)

LANGS = ("nl", "en")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def mf() -> pd.DataFrame:
    return ps.demo.load_mental_fitness()


@pytest.fixture(scope="module")
def peo_data():
    report = importlib.import_module("peoscales.peo.report")
    return report._demo(), report._resolve_codebook("2021-09")


def _widths(container) -> list[float]:
    return [float(p.get_width()) for p in container.patches]


def _tick_labels(axis) -> list[str]:
    return [t.get_text() for t in axis.get_ticklabels()]


def test_import_peoscales_does_not_import_matplotlib():
    code = "import sys, peoscales, peoscales.plot; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- 1 Likert ------------------------------------------------------------------------


def test_likert_percentages_match_pandas_counts(mf):
    items = [f"brs_{i}" for i in range(1, 7)]
    got = plot.likert_percentages(mf, items, [1, 2, 3, 4, 5])
    for item in items:
        answered = mf[item].dropna()
        expected = answered.value_counts(normalize=True).reindex([1.0, 2, 3, 4, 5], fill_value=0)
        np.testing.assert_allclose(
            got.loc[item, ["1", "2", "3", "4", "5"]], 100 * expected, atol=1e-12
        )
        assert got.loc[item, "n"] == len(answered)


def test_likert_percentages_by_group_match_crosstab(mf):
    got = plot.likert_percentages(mf, ["brs_1", "brs_2"], [1, 2, 3, 4, 5], by="care_type")
    for (item, group), row in got.iterrows():
        part = mf.loc[mf["care_type"] == group, item].dropna()
        expected = part.value_counts(normalize=True).reindex([1.0, 2, 3, 4, 5], fill_value=0)
        np.testing.assert_allclose(row[["1", "2", "3", "4", "5"]], 100 * expected, atol=1e-12)
    assert len(got) == 2 * mf["care_type"].nunique()


@settings(max_examples=40)
@given(
    st.lists(st.sampled_from([1.0, 2.0, 3.0, np.nan]), min_size=1, max_size=30),
    st.lists(st.sampled_from(["x", "y", None]), min_size=30, max_size=30),
)
def test_likert_percentages_property_matches_value_counts(answers, groups):
    df = pd.DataFrame({"a": answers, "g": groups[: len(answers)]})
    got = plot.likert_percentages(df, ["a"], [1, 2, 3], by="g")
    for (_item, g), row in got.iterrows():
        part = df.loc[df["g"] == g, "a"].dropna()
        assert row["n"] == len(part)
        if len(part):
            expected = part.value_counts(normalize=True).reindex([1.0, 2, 3], fill_value=0)
            np.testing.assert_allclose(row[["1", "2", "3"]], 100 * expected, atol=1e-12)
        else:
            assert row[["1", "2", "3"]].isna().all()


def test_likert_percentages_reject_unknown_codes():
    with pytest.raises(UnknownLabelError, match=r"codes outside.*\[7\.0\]"):
        plot.likert_percentages(pd.DataFrame({"a": [1, 7]}), ["a"], [1, 2, 3])
    with pytest.raises(UnknownLabelError, match=r"\[2\.5\]"):
        plot.likert_percentages(
            pd.DataFrame({"a": [1, 2.5], "g": ["x", "y"]}), ["a"], [1, 2], by="g"
        )
    with pytest.raises(DataTypeError, match="numeric answer codes"):
        plot.likert_percentages(pd.DataFrame({"a": ["eens"]}), ["a"], [1, 2, 3])
    with pytest.raises(ColumnError, match="nope"):
        plot.likert_percentages(pd.DataFrame({"a": [1]}), ["nope"], [1, 2, 3])


@pytest.mark.parametrize("lang", LANGS)
def test_likert_bars_equal_item_table_and_codebook_labels(peo_data, lang):
    data, book = peo_data
    items = importlib.import_module("peoscales.peo.report").SPACE_ITEMS
    table = peo.item_table(data, items, codebook=book, lang=lang, min_group_size=5)
    ax = table.plot()
    assert [c.get_label() for c in ax.containers] == list(table.percentages.columns)
    for container, col in zip(ax.containers, table.percentages.columns):
        # rows are drawn top to bottom: patch i belongs to row i
        np.testing.assert_allclose(_widths(container), table.percentages[col], atol=1e-12)
    rows = _tick_labels(ax.yaxis)
    assert [r.rsplit(" (n = ", 1)[0].replace("\n", " ") for r in rows] == list(
        table.percentages.index
    )
    assert ax.get_xlabel() == ("Percentage" if lang == "nl" else "Percent")


def test_likert_is_centred_on_the_neutral_answer():
    pct = pd.DataFrame({"a": [10.0], "b": [20.0], "c": [30.0], "d": [25.0], "e": [15.0]})
    ax = plot.likert(pct)
    lefts = [c.patches[0].get_x() for c in ax.containers]
    # 10 + 20 + half of 30 to the left of zero
    assert lefts[0] == pytest.approx(-45.0)
    assert lefts[2] + 15.0 == pytest.approx(0.0)
    even = plot.likert(pct[["a", "b", "d", "e"]])
    assert even.containers[2].patches[0].get_x() == pytest.approx(0.0)


def test_likert_leaves_out_nonsubstantive_and_says_so():
    pct = pd.DataFrame({"oneens": [30.0], "eens": [60.0], "weet niet": [10.0]}, index=["q"])
    ax = plot.likert(pct, nonsubstantive=["weet niet"], lang="nl")
    assert [c.get_label() for c in ax.containers] == ["oneens", "eens"]
    assert "niet getoond: weet niet" in ax.get_title(loc="left")
    en = plot.likert(pct, nonsubstantive=["weet niet"], lang="en")
    assert "not shown: weet niet" in en.get_title(loc="left")
    with pytest.raises(UnknownLabelError, match="nonsubstantive"):
        plot.likert(pct, nonsubstantive=["dunno"])


def test_likert_of_an_instrument_scale_uses_its_labels(mf):
    inst = ps.get_instrument("brs")
    options = inst.response_scales["agree5"].options
    for lang in LANGS:
        labels = [o.labels[lang] for o in options]
        pct = plot.likert_percentages(
            mf, [f"brs_{i}" for i in range(1, 7)], [o.code for o in options], labels
        )
        ax = plot.likert(pct, lang=lang)
        assert [c.get_label() for c in ax.containers] == labels
        assert ax.containers[2].patches[0].get_facecolor()[:3] == pytest.approx(
            mpl.colors.to_rgb("#bdbdbd")
        )


# --- 2 Frequency and crosstab bars -----------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_frequency_bars_equal_table_percentages(peo_data, lang):
    data, book = peo_data
    ft = peo.frequency_table(data, "employer", codebook=book, lang=lang, min_group_size=5)
    ax = ft.plot()
    shown = ft.table[ft.table["kind"].isin(["answer", "nonsubstantive"])]
    np.testing.assert_allclose(_widths(ax.containers[0]), shown["percent"].dropna(), atol=1e-12)
    assert _tick_labels(ax.yaxis) == list(shown.index)
    labels = [t.get_text() for t in ax.texts]
    assert labels == [f"{v:.0f}%" for v in np.floor(shown["percent"].dropna() + 0.5)]


def test_suppressed_frequency_table_draws_no_bar(peo_data):
    data, book = peo_data
    ft = peo.frequency_table(data.head(3), "employer", codebook=book, min_group_size=5)
    assert ft.suppressed
    assert len(ft.plot().patches) == 0


@pytest.mark.parametrize("stacked", [True, False])
def test_crosstab_table_never_draws_a_suppressed_cell(peo_data, stacked):
    data, book = peo_data
    ct = peo.crosstab_table(
        data, "experience", "employer", codebook=book, lang="en", min_group_size=10
    )
    hidden = ct.primary.to_numpy() | ct.complementary.to_numpy()
    assert hidden.any(), "the fixture must contain suppressed cells"
    ax = ct.plot(stacked=stacked)
    pct = ct.percentages.to_numpy(dtype=float)
    visible = ~hidden & ~np.isnan(pct)
    assert len(ax.patches) == int(visible.sum())
    sizes = sorted(p.get_width() if stacked else p.get_height() for p in ax.patches)
    np.testing.assert_allclose(sizes, np.sort(pct[visible]), atol=1e-12)
    assert "fewer than 10" in ax.get_title(loc="left")


def test_crosstab_result_grouped_bars_are_column_percentages(mf):
    res = ps.crosstab(mf, "education", "care_type")
    ax = res.plot(lang="en")
    assert [c.get_label() for c in ax.containers] == list(res.percentages.columns)
    for container, col in zip(ax.containers, res.percentages.columns):
        heights = [p.get_height() for p in container.patches]
        np.testing.assert_allclose(heights, res.percentages[col], atol=1e-12)
    assert _tick_labels(ax.xaxis) == list(res.percentages.index)
    stacked = res.plot(stacked=True)
    assert len(stacked.patches) == res.percentages.size


def test_grouped_bars_with_one_group_and_a_missing_category():
    pct = pd.DataFrame({"only": [70.0, np.nan, 30.0]}, index=["a", "b", "c"])
    ax = plot.grouped_bars(pct)
    assert [p.get_height() for p in ax.patches] == [70.0, 30.0]
    with pytest.raises(ParameterError, match="suppressed has shape"):
        plot.grouped_bars(pct, suppressed=np.zeros((2, 2), bool))


# --- 3 Correlation heatmap -------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_heatmap_stars_match_p_values(mf, lang):
    cols = ["age", "years_experience", "brs_1", "brs_2", "wbns_autonomy_1"]
    res = ps.corr_matrix(mf, columns=cols, adjust="holm")
    alpha = {"brs_1": 0.81}
    ax = res.plot(alpha=alpha, labels={"age": "Leeftijd $"}, lang=lang)
    k = len(cols)
    cell_texts = [t for t in ax.texts if t.get_fontstyle() != "italic"]
    assert len(cell_texts) == k * (k - 1) // 2  # lower triangle only
    for t in cell_texts:
        j, i = (round(v) for v in t.get_position())
        assert i > j
        r, p = res.r.iloc[i, j], res.p_adjusted.iloc[i, j]
        assert t.get_text() == f"{r:.2f}".replace("0.", ".", 1) + stars(p)
        assert t.get_text().count("*") == int(p < 0.05) + int(p < 0.01) + int(p < 0.001)
    diag = [t for t in ax.texts if t.get_fontstyle() == "italic"]
    assert [(t.get_text(), t.get_position()) for t in diag] == [(".81", (2, 2))]
    image = ax.images[0]
    assert image.get_clim() == (-1.0, 1.0)
    assert np.isnan(image.get_array().filled(np.nan)[0, 1])  # upper triangle empty
    assert _tick_labels(ax.yaxis)[0] == r"Leeftijd \$"  # escaped: drawn as a dollar sign


def test_heatmap_of_many_variables_skips_cell_text():
    rng = np.random.default_rng(1)
    r = pd.DataFrame(np.corrcoef(rng.normal(size=(40, 200))))
    ax = plot.correlation_heatmap(r)
    assert len(ax.texts) == 0 and ax.images[0].get_array().count() == 40 * 39 // 2


# --- 4 Group comparison ----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_ttest_plot_means_and_intervals(mf, lang):
    from scipy import stats

    two = mf[mf["gender"].isin(["vrouw", "man"])]
    res = ps.ttest(two, "age", "gender")
    ax = res.plot(data=two, lang=lang)
    desc = res.descriptives
    line = ax.containers[0].lines[0]
    np.testing.assert_allclose(line.get_ydata(), desc["mean"], atol=1e-12)
    half = stats.t.ppf(0.975, desc["n"] - 1) * desc["se"]
    segments = ax.containers[0].lines[2][0].get_segments()
    np.testing.assert_allclose([s[0][1] for s in segments], desc["mean"] - half, atol=1e-10)
    np.testing.assert_allclose([s[1][1] for s in segments], desc["mean"] + half, atol=1e-10)
    scatters = [c for c in ax.collections if isinstance(c, mpl.collections.PathCollection)]
    drawn = [len(c.get_offsets()) for c in scatters]
    assert drawn == desc["n"].tolist()  # every observation drawn, per group
    assert ax.get_ylabel() == "age"


def test_anova_brackets_are_the_significant_adjusted_pairs():
    rng = np.random.default_rng(3)
    data = pd.DataFrame({"g": np.repeat(["a", "b", "c", "d"], 40), "y": rng.normal(size=160)})
    data.loc[data["g"] == "d", "y"] += 1.5
    res = ps.anova(data, "y", "g", posthoc="tukey")
    ax = res.plot(data=data, kind="violin")
    significant = res.posthoc[res.posthoc["p"] < 0.05]
    assert len(significant) == 3
    texts = [t.get_text() for t in ax.texts]
    from peoscales._results import format_p

    expected = [
        f"p {format_p(p)}" if format_p(p).startswith("<") else f"p = {format_p(p)}"
        for p in significant["p"]
    ]
    assert texts == expected
    every = res.plot(brackets="all")
    assert len(every.texts) == len(res.posthoc)
    one = plot.group_means(res.descriptives.iloc[:1])
    assert len(one.containers[0].lines[0].get_ydata()) == 1


# --- 5 Scale scores and norm bands ----------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_score_bands_shares_equal_categorize(mf, lang):
    scores = ps.score(mf, "brs")
    bands = ps.get_instrument("brs").scales["brs"].bands
    ax = plot.score_bands(scores["brs"], bands, lang=lang)
    cats = ps.categorize(scores, "brs")["brs"]
    share = cats.value_counts(normalize=True, sort=False) * 100 * cats.notna().mean()
    expected = [f"{b.labels[lang]}\n{share[b.name]:.0f}%" for b in bands]
    assert [t.get_text() for t in ax.texts] == expected
    assert sum(p.get_height() for p in ax.containers[0]) == scores["brs"].notna().sum()


# --- 6 Regression ------------------------------------------------------------------------


def test_regression_plot_shows_beta_with_rescaled_interval(mf):
    cols = ["age", "years_experience", "brs_1", "wbns_autonomy_1"]
    res = ps.regress(mf, "age", blocks=[["years_experience"], ["brs_1", "wbns_autonomy_1"]])
    ax = res.plot(lang="en")
    assert len(ax.containers) == len(res.steps) == 2
    last = res.steps[-1].coefficients.drop(index="Intercept")
    np.testing.assert_allclose(ax.containers[1].lines[0].get_xdata(), last["beta"], atol=1e-12)
    # independent reference: the same model on z-scored variables has b = beta, and
    # its interval is the interval of beta
    used = mf[cols].dropna()
    z = (used - used.mean()) / used.std(ddof=1)
    ref = ps.regress(z, "age", ["years_experience", "brs_1", "wbns_autonomy_1"], standardize=False)
    ref_coef = ref.coefficients.drop(index="Intercept")
    segments = ax.containers[1].lines[2][0].get_segments()
    np.testing.assert_allclose([s[0][0] for s in segments], ref_coef["ci_low"], atol=1e-10)
    np.testing.assert_allclose([s[1][0] for s in segments], ref_coef["ci_high"], atol=1e-10)
    assert "Intercept" not in _tick_labels(ax.yaxis)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Step 1", "Step 2"]


@pytest.mark.parametrize("lang", LANGS)
def test_interaction_plot_draws_the_simple_slopes(mf, lang):
    data = mf.join(ps.score(mf, ["brs", "swing12"]))
    res = ps.moderate(data, "swing_nwhi", "age", "brs")
    ax = res.plot(lang=lang)
    lines = ax.get_lines()
    assert len(lines) == 3
    at = res.simple_slopes["value"].to_numpy()
    for line, slope in zip(lines, res.simple_slopes["b"], strict=True):
        xs, ys = line.get_xdata(), line.get_ydata()
        # each line has the simple slope at its moderator value (independent: the table)
        np.testing.assert_allclose(np.diff(ys) / np.diff(xs), slope, rtol=1e-10)
        # and spans mean ± 1 SD of x in the analysis sample
        used = data[["swing_nwhi", "age", "brs"]].dropna()["swing_nwhi"]
        np.testing.assert_allclose(
            [xs[0], xs[-1]], used.mean() + np.array([-1, 1]) * used.std(), rtol=1e-12
        )
    # one band per line, lying around it: the line is inside its band everywhere
    bands = ax.collections
    assert len(bands) == 3
    for line, poly in zip(lines, bands, strict=True):
        path = poly.get_paths()[0]
        assert path.contains_points(
            np.column_stack([line.get_xdata(), line.get_ydata()])[1:-1]
        ).all()
    legend = ax.get_legend()
    assert legend.get_title().get_text() == "age"
    assert [t.get_text() for t in legend.get_texts()] == [
        f"{label} ({value:.2f})" for label, value in zip(res.simple_slopes.index, at, strict=True)
    ]
    assert ax.get_xlabel() == "swing_nwhi" and ax.get_ylabel() == "brs"
    expected = {"nl": "95%-betrouwbaarheidsinterval", "en": "95% confidence interval"}[lang]
    assert expected in ax.get_title(loc="left") and f"n = {res.n}" in ax.get_title(loc="left")


def test_interaction_plot_without_bands_and_its_errors():
    lines = pd.DataFrame({"at": ["w = 1"] * 2 + ["w = 2"] * 2, "x": [0.0, 2.0] * 2,
                          "y": [1.0, 2.0, 1.0, 3.0]})  # fmt: skip
    ax = plot.interaction(lines, band=False, lang="en")
    assert not ax.collections
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["w = 1", "w = 2"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Predictor", "Predicted outcome")
    assert ax.get_legend().get_title().get_text() == "Moderator"
    with pytest.raises(ColumnError, match=r"ci_high.*band=False"):
        plot.interaction(lines)
    with pytest.raises(ParameterError, match="band must be True or False"):
        plot.interaction(lines, band="yes")
    with pytest.raises(ParameterError, match="lang"):
        plot.interaction(lines, band=False, lang="de")


@pytest.mark.parametrize("lang", LANGS)
def test_johnson_neyman_plot(lang):
    rng = np.random.default_rng(11)
    x, w = rng.normal(size=300), rng.normal(size=300)
    data = pd.DataFrame({"x": x, "w": w, "y": 0.2 * x + 0.3 * x * w + rng.normal(size=300)})
    res = ps.moderate(data, "x", "w", "y")
    assert len(res.johnson_neyman) == 2
    ax = res.plot_johnson_neyman(lang=lang)
    slope = ax.get_lines()[0]
    effects = res.conditional_effects
    np.testing.assert_allclose(slope.get_xdata(), effects["moderator"], rtol=0, atol=0)
    np.testing.assert_allclose(slope.get_ydata(), effects["b"], rtol=0, atol=0)
    # the line's slope along w is the interaction coefficient (independent: the table)
    b3 = res.coefficients.loc["x:w", "b"]
    np.testing.assert_allclose(np.diff(slope.get_ydata()) / np.diff(slope.get_xdata()), b3)
    inside = [v for v in res.johnson_neyman if w.min() <= v <= w.max()]
    drawn = [line.get_xdata()[0] for line in ax.get_lines()[1:] if line.get_linestyle() == "--"]
    np.testing.assert_allclose(drawn, inside, rtol=0, atol=0)
    assert len(ax.collections) == 1
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    expected = {"nl": "Johnson–Neyman-grens", "en": "Johnson–Neyman boundary"}[lang]
    assert expected in texts and any("95%" in t for t in texts)
    assert ax.get_xlabel() == "w"
    assert ax.get_ylabel() == {"nl": "Helling van x", "en": "Slope of x"}[lang]


def test_johnson_neyman_plot_errors():
    effects = pd.DataFrame({"moderator": [0.0, 1.0], "b": [0.1, 0.2]})
    with pytest.raises(ColumnError, match="ci_high"):
        plot.johnson_neyman(effects)
    effects["ci_low"], effects["ci_high"] = [-0.1, 0.0], [0.3, 0.4]
    with pytest.raises(ParameterError, match="johnson_neyman must be numbers"):
        plot.johnson_neyman(effects, johnson_neyman=["a"])
    ax = plot.johnson_neyman(effects, johnson_neyman=[5.0], lang="en")  # outside: not drawn
    assert [line.get_linestyle() for line in ax.get_lines()].count("--") == 0
    assert "confidence interval" in [t.get_text() for t in ax.get_legend().get_texts()]


# --- 7 Reliability ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_reliability_plot_shows_item_table(mf, lang):
    scale = ps.reliability(mf, "brs").scales["brs"]
    fig = scale.plot(lang=lang)
    left, right = fig.axes
    np.testing.assert_allclose(
        [p.get_width() for p in left.patches], scale.item_table["r_drop"], atol=1e-12
    )
    np.testing.assert_allclose(
        right.lines[0].get_xdata(), scale.item_table["alpha_if_deleted"], atol=1e-12
    )
    assert right.lines[1].get_xdata()[0] == pytest.approx(scale.alpha)
    assert _tick_labels(left.yaxis) == list(scale.item_table.index)


# --- 8 Waves --------------------------------------------------------------------------


def test_trend_shares_and_mean():
    shares = pd.DataFrame(
        {"eens": [40.0, 55.0, 50.0], "oneens": [60.0, 45.0, 50.0]},
        index=["2020-05", "2021-09", "2022-04"],
    )
    ax = plot.trend(shares, n=[120, 99, 150])
    assert [line.get_label() for line in ax.lines] == ["eens", "oneens"]
    assert ax.lines[1].get_ydata().tolist() == [60.0, 45.0, 50.0]
    assert _tick_labels(ax.xaxis)[0] == "2020-05\n(n = 120)"
    means = pd.DataFrame({"mean": [3.1, 3.4], "ci_low": [2.9, 3.2], "ci_high": [3.3, 3.6]})
    ax = plot.trend(means, kind="mean", lang="en")
    assert ax.lines[0].get_ydata().tolist() == [3.1, 3.4] and ax.get_xlabel() == "Wave"
    with pytest.raises(ColumnError, match="ci_low"):
        plot.trend(means[["mean"]], kind="mean")


def test_bad_language_is_a_clear_error():
    with pytest.raises(ParameterError, match="lang must be 'nl' or 'en'"):
        plot.bars(pd.Series({"a": 1.0}), lang="de")


# --- the PEO report draws through peoscales.plot -------------------------------------


def test_report_charts_are_inline_svg_from_the_plot_module(monkeypatch):
    from peoscales.peo.report import report

    calls: list[str] = []
    for name in ("bars", "likert"):
        original = getattr(plot, name)

        def spy(*args, _original=original, _name=name, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(plot, name, spy)
    result = report(demo=True, lang="en")
    assert result.html.count('<svg role="img"') == len(calls) >= 10
    assert {"bars", "likert"} <= set(calls)


def test_svg_text_with_dollars_and_markup_is_escaped():
    from matplotlib.figure import Figure

    fig = Figure()
    label = "Salaris $5 - $10 per uur, 50% ^_{x} <b>"
    plot.bars(pd.Series({label: 40.0, "Bonus $x^{$ per jaar": 60.0}), ax=fig.add_subplot())
    svg = plot.to_svg(fig, 'chart "1" & <2>')
    assert ">Salaris $5 - $10 per uur, 50% ^_{x} &lt;b&gt;<" in svg
    assert ">Bonus $x^{$ per jaar<" in svg
    assert 'aria-label="chart &quot;1&quot; &amp; &lt;2&gt;"' in svg


@pytest.mark.parametrize("lang", LANGS)
def test_likert_scale_uses_the_instruments_labels(mf, lang):
    inst = ps.get_instrument("wbns")
    ax = plot.likert_scale(mf, "wbns", "wbns_autonomy", by="care_type", lang=lang)
    options = inst.response_scale_of("wbns_autonomy_1").options
    assert [c.get_label() for c in ax.containers] == [o.labels[lang] for o in options]
    assert ax.get_title(loc="left").startswith(inst.scales["wbns_autonomy"].labels[lang])
    rows = _tick_labels(ax.yaxis)
    groups = sorted(mf["care_type"].dropna().unique())
    assert len(rows) == len(inst.scale_items("wbns_autonomy")) * len(groups)
    expected = plot.likert_percentages(
        mf, list(inst.scales["wbns_autonomy"].items), [o.code for o in options], by="care_type"
    )
    first = ax.containers[0]
    np.testing.assert_allclose(_widths(first), expected.iloc[:, 0], atol=1e-12)
    with pytest.raises(UnknownLabelError, match="not a scale of 'wbns'"):
        plot.likert_scale(mf, "wbns", "brs")


@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_labels_its_axes_in_the_language_asked(mf, lang):
    words = {"nl": ("Percentage", "Gemiddelde", "Aantal", "Meting", "coëfficiënt"),
             "en": ("Percent", "Mean", "Count", "Wave", "coefficient")}[lang]  # fmt: skip
    pct = pd.DataFrame({"a": [50.0], "b": [50.0]}, index=["q"])
    assert plot.likert(pct, lang=lang).get_xlabel() == words[0]
    assert plot.bars(pd.Series({"a": 1.0}), lang=lang).get_xlabel() == words[0]
    assert plot.grouped_bars(pct, lang=lang).get_ylabel() == words[0]
    assert plot.grouped_bars(pct, stacked=True, lang=lang).get_xlabel() == words[0]
    desc = pd.DataFrame({"n": [5], "mean": [1.0], "se": [0.1]}, index=["g"])
    assert plot.group_means(desc, lang=lang).get_ylabel() == words[1]
    assert plot.score_bands([1.0, 2.0], [("x", 1, 3)], lang=lang).get_ylabel() == words[2]
    assert plot.trend(pct, lang=lang).get_xlabel() == words[3]
    est = pd.DataFrame({"estimate": [0.1], "ci_low": [0.0], "ci_high": [0.2]}, index=["x"])
    assert words[4] in plot.coefficients(est, lang=lang).get_xlabel()
    tab = pd.DataFrame({"r_drop": [0.5], "alpha_if_deleted": [0.6]}, index=["q"])
    right = plot.item_reliability(tab, lang=lang).axes[1]
    assert right.get_xlabel() == (
        "Alfa zonder dit item" if lang == "nl" else "Alpha if item deleted"
    )


def test_many_groups_get_a_bar_and_a_mean_each():
    groups = [f"team {i}" for i in range(12)]
    pct = pd.DataFrame(np.full((3, 12), 100 / 3), index=["low", "mid", "high"], columns=groups)
    ax = plot.grouped_bars(pct)
    assert [c.get_label() for c in ax.containers] == groups
    assert len(ax.patches) == 36
    # the palette repeats after eight groups, in order
    assert (
        ax.containers[8].patches[0].get_facecolor() == ax.containers[0].patches[0].get_facecolor()
    )
    desc = pd.DataFrame({"n": range(10, 22), "mean": np.arange(12.0), "se": 0.5}, index=groups)
    means = plot.group_means(desc)
    assert means.containers[0].lines[0].get_ydata().tolist() == list(np.arange(12.0))


def test_item_table_chart_leaves_out_its_nonsubstantive_answers(peo_data):
    data, book = peo_data
    table = peo.item_table(data, ["stay_one_year"], codebook=book, lang="nl")
    assert table.nonsubstantive, "the fixture item has a non-substantive answer"
    ax = table.plot()
    drawn = [c.get_label() for c in ax.containers]
    assert drawn == [c for c in table.percentages.columns if c not in table.nonsubstantive]
    assert "niet getoond: " + ", ".join(table.nonsubstantive) in ax.get_title(loc="left")


@pytest.mark.parametrize("lang", LANGS)
def test_heatmap_labels_scales_from_their_instrument(mf, lang):
    scores = ps.score(mf, ["brs", "swing12"]).join(mf[["age"]])
    ax = ps.corr_matrix(scores).plot(lang=lang, labels={"age": "leeftijd"})
    expected = [
        ps.get_instrument(inst).scales[s].labels[lang]
        for inst, s in (("brs", "brs"), ("swing12", "swing_nwhi"), ("swing12", "swing_nhwi"))
    ]
    assert _tick_labels(ax.yaxis) == [*expected, "leeftijd"]
