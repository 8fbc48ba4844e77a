"""Tests of the PEO report tables: R reference values, rounding, routing, suppression."""

from __future__ import annotations

import itertools
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peoscales._kernels.peo_tables import largest_remainder, suppress_cells
from peoscales.errors import (
    OutOfRangeError,
    ParameterError,
    SmallExpectedCountWarning,
    UnknownLabelError,
)
from peoscales.instruments.loader import parse_definition
from peoscales.peo.tables import (
    compare_waves,
    crosstab_table,
    dichotomy_table,
    frequency_table,
    group_means,
    item_table,
)

REFERENCE = Path(__file__).parent / "reference"

CODEBOOK = """
name = "peo_test_{tag}"
kind = "codebook"
title = "Test codebook"
wave = "{wave}"

[response_scales.space4]
kind = "ordinal"
options = [
  {{ code = 1, nl = "ruim onvoldoende", en = "clearly insufficient" }},
  {{ code = 2, nl = "onvoldoende", en = "insufficient" }},
  {{ code = 3, nl = "voldoende", en = "sufficient" }},
  {{ code = 4, nl = "ruim voldoende", en = "amply sufficient" }},
]
[response_scales.space4.groupings.dichotomy]
groups = [
  {{ name = "low", nl = "(ruim) onvoldoende", codes = [1, 2] }},
  {{ name = "high", nl = "(ruim) voldoende", codes = [3, 4] }},
]

[response_scales.chance]
kind = "ordinal"
options = [ {{ code = 1, nl = "klein" }}, {{ code = 2, nl = "groot" }} ]
nonsubstantive = [ {{ code = 9, nl = "weet niet", aliases = ["weet ik niet"] }} ]

[response_scales.mark]
kind = "numeric"
min = 1
max = 10
[response_scales.mark.groupings.bands]
groups = [
  {{ name = "low", nl = "1-5", interval = [1, 5] }},
  {{ name = "mid", nl = "6-7", interval = [6, 7] }},
  {{ name = "high", nl = "8-10", interval = [8, 10] }},
]

[response_scales.employer]
kind = "nominal"
options = [ {{ code = 1, nl = "Specialistisch" }}, {{ code = 2, nl = "GI" }},
            {{ code = 3, nl = "Lokaal team" }}, {{ code = 4, nl = "Anders" }} ]

[[items]]
id = "employer"
response_scale = "employer"
short = {{ nl = "Werkgever" }}

[[items]]
id = "space_overall"
response_scale = "space4"
short = {{ nl = "Ruimte algemeen" }}
same_as = ["{other}:space_overall"]

[[items]]
id = "space_reflect"
response_scale = "space4"
short = {{ nl = "Ruimte om te reflecteren" }}

[[items]]
id = "work_pleasure"
response_scale = "mark"
short = {{ nl = "Werkplezier" }}

[[items]]
id = "stay"
response_scale = "chance"
short = {{ nl = "Kans over een jaar" }}

[[items]]
id = "limit_a"
response_scale = "space4"
short = {{ nl = "Factor a" }}
asked_if = {{ item = "space_overall", codes = [1, 2] }}
"""


@pytest.fixture(scope="module")
def book():
    return parse_definition(CODEBOOK.format(wave="2099-01", other="2099-02", tag="a"))


@pytest.fixture(scope="module")
def book2():
    return parse_definition(CODEBOOK.format(wave="2099-02", other="2099-01", tag="b"))


@pytest.fixture
def survey():
    return pd.DataFrame(
        {
            "employer": [1, 1, 2, 3, 3, 3, 4, 2, 1, 3],
            "space_overall": [1, 2, 3, 4, 3, 3, 2, 1, 4, 3],
            "space_reflect": [
                "voldoende",
                "Onvoldoende ",
                None,
                "ruim voldoende",
                "voldoende",
                "ruim onvoldoende",
                "voldoende",
                "voldoende",
                "onvoldoende",
                None,
            ],
            "work_pleasure": [7, 8, 5, 9, 6, 7, 8, 3, 10, 7],
            "stay": [1, 2, 9, 2, 2, np.nan, 9, 1, 2, 2],
            "limit_a": [2, 3, np.nan, np.nan, np.nan, np.nan, np.nan, 1, np.nan, np.nan],
        },
        index=pd.Index(list("abcdefghij"), name="resp"),
    )


# ----- R reference (tests/reference/peo_tables.R) ---------------------------------------


@pytest.fixture(scope="module")
def reference():
    data = pd.read_csv(REFERENCE / "peo_tables_data.csv")
    expected = pd.read_csv(REFERENCE / "peo_tables_expected.csv", index_col="name")["value"]
    return data, expected.astype(float)


def test_crosstab_matches_r_chisq_test(reference):
    data, r = reference
    frame = pd.DataFrame(
        {
            "space": pd.Categorical(data["space"], categories=[1, 2, 3, 4]),
            "employer": pd.Categorical(data["employer"], categories=[1, 2, 3, 4]),
        }
    )
    with pytest.warns(SmallExpectedCountWarning):
        ct = crosstab_table(frame, "space", "employer", min_group_size=None)
    # closed-form statistics: agreement to rounding error
    assert ct.chi2 == pytest.approx(r["chi2"], abs=1e-10)
    assert ct.df == int(r["df"])
    assert ct.p == pytest.approx(r["p"], abs=1e-12)
    assert ct.cramers_v == pytest.approx(r["cramers_v"], abs=1e-12)
    residuals = ct.stdres.iloc[:, :4].to_numpy()
    for i, j in itertools.product(range(4), range(4)):
        assert residuals[i, j] == pytest.approx(r[f"stdres_{i + 1}_{j + 1}"], abs=1e-10)


def test_two_by_two_fisher_matches_r(reference):
    data, r = reference
    frame = pd.DataFrame(
        {
            "low": pd.Categorical(data["space"] <= 2, categories=[False, True]),
            "local": pd.Categorical(data["employer"] == 3, categories=[False, True]),
        }
    )
    ct = crosstab_table(frame, "low", "local", min_group_size=None)
    assert ct.chi2 == pytest.approx(r["chi2_2x2"], abs=1e-10)
    assert ct.p == pytest.approx(r["p_2x2"], abs=1e-12)
    assert ct.fisher_p == pytest.approx(r["fisher_p_2x2"], abs=1e-10)


def test_group_means_match_r_aov_and_oneway_test(reference):
    data, r = reference
    frame = pd.DataFrame(
        {
            "pleasure": data["pleasure"].astype(float),
            "employer": data["employer"].astype("category"),
        }
    )
    gm = group_means(frame, "pleasure", "employer", min_group_size=None)
    assert gm.f == pytest.approx(r["anova_f"], abs=1e-10)
    assert (gm.df1, gm.df2) == (int(r["anova_df1"]), int(r["anova_df2"]))
    assert gm.p == pytest.approx(r["anova_p"], abs=1e-12)
    assert gm.eta2 == pytest.approx(r["eta_squared"], abs=1e-12)
    assert gm.welch_f == pytest.approx(r["welch_f"], abs=1e-10)
    assert gm.welch_df2 == pytest.approx(r["welch_df2"], abs=1e-10)
    assert gm.welch_p == pytest.approx(r["welch_p"], abs=1e-12)
    means = frame.groupby("employer", observed=True)["pleasure"].agg(["count", "mean", "std"])
    np.testing.assert_allclose(gm.table["mean"].to_numpy()[:4], means["mean"], atol=1e-12)
    np.testing.assert_allclose(gm.table["sd"].to_numpy()[:4], means["std"], atol=1e-12)


def test_cramers_v_is_not_yates_corrected():
    # peers.md: pingouin reports .2814 (Yates) for this table; the uncorrected V is .3015
    frame = pd.DataFrame(
        {
            "answer": pd.Categorical(["no"] * 20 + ["yes"] * 30 + ["no"] * 35 + ["yes"] * 15),
            "group": pd.Categorical(["a"] * 50 + ["b"] * 50),
        }
    )
    ct = crosstab_table(frame, "answer", "group", min_group_size=None)
    assert ct.cramers_v == pytest.approx(0.30151134457776363, abs=1e-12)


# ----- frequency tables ------------------------------------------------------------------


def test_frequency_table_bases(book, survey):
    before = survey.copy()
    ft = frequency_table(survey, "stay", codebook=book, min_group_size=None)
    t = ft.table
    assert list(t.index) == ["klein", "groot", "weet niet", "Geen antwoord", "Niet gevraagd"]
    assert t["n"].tolist() == [2, 5, 2, 1, 0]
    # valid: weet niet counts in the base, the missing answer does not
    assert ft.n_base == 9
    assert t["percent"].iloc[:3].sum() == pytest.approx(100)
    sub = frequency_table(survey, "stay", codebook=book, percent_of="substantive")
    assert sub.n_base == 7
    assert np.isnan(sub.table["percent"].iloc[2])
    every = frequency_table(survey, "stay", codebook=book, percent_of="all")
    assert every.table["percent"].iloc[3] == pytest.approx(10.0)
    pd.testing.assert_frame_equal(survey, before)


def test_frequency_table_routing_counts_not_asked_separately(book, survey):
    ft = frequency_table(survey, "limit_a", codebook=book)
    t = ft.table
    # asked only of space_overall 1 or 2 (rows a, b, g, h); g did not answer
    assert t.loc["Geen antwoord", "n"] == 1
    assert t.loc["Niet gevraagd", "n"] == 6
    assert ft.n_base == 3


def test_frequency_table_texts_and_reverse(book, survey):
    ft = frequency_table(survey, "space_reflect", codebook=book, descending=True)
    assert list(ft.table.index[:4]) == [
        "ruim voldoende",
        "voldoende",
        "onvoldoende",
        "ruim onvoldoende",
    ]
    assert ft.table["n"].tolist()[:4] == [1, 4, 2, 1]


def test_numeric_item_rows_cover_the_declared_range(book, survey):
    ft = frequency_table(survey, "work_pleasure", codebook=book)
    assert list(ft.table.index[:10]) == [str(v) for v in range(1, 11)]
    banded = frequency_table(survey, "work_pleasure", codebook=book, grouping="bands")
    assert banded.table["n"].tolist()[:3] == [2, 4, 4]


def test_unknown_answer_is_an_error_naming_column_and_rows(book, survey):
    bad = survey.assign(space_reflect=survey["space_reflect"].replace("voldoende", "prima"))
    with pytest.raises(UnknownLabelError, match=r"'space_reflect'.*'prima'.*rows"):
        frequency_table(bad, "space_reflect", codebook=book)
    with pytest.raises(OutOfRangeError, match=r"'work_pleasure'.*11"):
        frequency_table(survey.assign(work_pleasure=11), "work_pleasure", codebook=book)
    with pytest.raises(ParameterError, match="percent_of"):
        frequency_table(survey, "stay", codebook=book, percent_of="rows")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match=r"grouping='nope'.*dichotomy"):
        frequency_table(survey, "space_reflect", codebook=book, grouping="nope")


def test_suppressed_when_the_base_is_small(book, survey):
    ft = frequency_table(survey.iloc[:3], "stay", codebook=book)
    assert ft.suppressed
    shown = ft.display_frame()
    assert (shown["n"] == "<5").all() and (shown["%"] == "").all()


# ----- rounding ----------------------------------------------------------------------------


def test_largest_remainder_seed001_table_1_1():
    # employer counts whose rounded percentages are the published 33/26/32/8 (sum 99)
    counts = np.array([59, 47, 57, 15])
    p = 100 * counts / counts.sum()
    assert largest_remainder(p).tolist() == [33, 26, 32, 9]
    frame = pd.DataFrame({"e": pd.Categorical(np.repeat(list("abcd"), counts))})
    ft = frequency_table(frame, "e", rounding="largest_remainder")
    assert ft.rounded().iloc[:4].tolist() == [33, 26, 32, 9]
    assert frequency_table(frame, "e").rounded().iloc[:4].tolist() == [33, 26, 32, 8]


@given(st.lists(st.integers(0, 500), min_size=1, max_size=12).filter(lambda c: sum(c) > 0))
def test_largest_remainder_adds_to_100(counts):
    c = np.asarray(counts, dtype=float)
    p = 100 * c / c.sum()
    r = largest_remainder(p)
    assert r.sum() == pytest.approx(100)
    assert np.all(r >= np.floor(p + 1e-9)) and np.all(np.abs(r - p) < 1)


# ----- item tables, crosstabs, dichotomies, waves -------------------------------------------


def test_item_table_rows_equal_frequency_tables(book, survey):
    it = item_table(survey, ["space_overall", "space_reflect"], codebook=book, min_group_size=None)
    ft = frequency_table(survey, "space_reflect", codebook=book)
    np.testing.assert_allclose(it.percentages.iloc[1], ft.table["percent"].iloc[:4])
    assert it.counts["n"].tolist() == [10, 8]
    with pytest.raises(ParameterError, match="other answers"):
        item_table(survey, ["space_overall", "stay"], codebook=book)


def test_dichotomy_table_counts_match_pandas(book, survey):
    with pytest.warns(SmallExpectedCountWarning):
        dt = dichotomy_table(
            survey,
            ["space_overall"],
            "work_pleasure",
            codebook=book,
            grouping="dichotomy",
            outcome_grouping="bands",
            min_group_size=None,
        )
    ct = dt.tables["space_overall"].counts
    bands = pd.cut(survey["work_pleasure"], [0, 5, 7, 10], labels=["1-5", "6-7", "8-10"])
    low = np.where(survey["space_overall"] <= 2, "(ruim) onvoldoende", "(ruim) voldoende")
    expected = pd.crosstab(bands, low)
    np.testing.assert_array_equal(ct.to_numpy(), expected.to_numpy())


def test_compare_waves_uses_same_as_links(book, book2, survey):
    later = survey.assign(space_overall=[4, 4, 3, 4, 3, 3, 3, 4, 4, 3])
    with pytest.warns(SmallExpectedCountWarning):
        wc = compare_waves(survey, later, codebook_a=book, codebook_b=book2, min_group_size=None)
    assert wc.waves == ("2099-01", "2099-02")
    counts = wc.counts.to_numpy()
    assert counts[:, 0].tolist() == [2, 2, 4, 2] and counts[:, 1].tolist() == [0, 0, 5, 5]
    # chi-square of the wave x answer table, computed directly
    from scipy.stats import chi2_contingency

    expected = chi2_contingency(counts, correction=False)
    assert wc.tests["chi2"].iloc[0] == pytest.approx(expected.statistic, abs=1e-12)
    with pytest.raises(ParameterError, match="no same_as link"):
        compare_waves(survey, later, codebook_a=book, codebook_b=book2, items=["stay"])


# ----- disclosure control -------------------------------------------------------------------


def _feasible_values(counts, hidden, published):
    """Every value each hidden cell can take given the visible cells, the row totals and
    the column totals flagged ``published`` (a small group's total is shown as <5)."""
    r, _c = counts.shape
    row_need = np.where(hidden, counts, 0).sum(axis=1)
    col_need = np.where(hidden, counts, 0).sum(axis=0)
    cells = [tuple(x) for x in np.argwhere(hidden)]
    seen = {cell: set() for cell in cells}

    def fill(i, col_left, assignment):
        if i == r:
            if not any(left for left, pub in zip(col_left, published) if pub):
                for cell, v in assignment.items():
                    seen[cell].add(v)
            return
        row_cells = [cell for cell in cells if cell[0] == i]
        ranges = [
            range((min(row_need[i], col_left[j]) if published[j] else row_need[i]) + 1)
            for _, j in row_cells
        ]
        for values in itertools.product(*ranges):
            if sum(values) != row_need[i]:
                continue
            left = list(col_left)
            for (_, j), v in zip(row_cells, values):
                left[j] -= v
            fill(i + 1, left, {**assignment, **dict(zip(row_cells, values))})

    fill(0, list(col_need), {})
    return seen


@given(
    st.integers(2, 3).flatmap(
        lambda r: st.integers(2, 3).flatmap(
            lambda c: st.lists(st.integers(0, 7), min_size=r * c, max_size=r * c).map(
                lambda v: np.asarray(v).reshape(r, c)
            )
        )
    )
)
def test_suppressed_cells_cannot_be_recovered_from_totals(counts):
    primary, complement, published = suppress_cells(counts, 5)
    hidden = primary | complement
    small = (counts >= 1) & (counts < 5)
    assert np.all(hidden[small])
    if counts.sum() < 5:
        # the whole table is a small group: its totals are not published either
        assert hidden[counts > 0].all()
        return
    if (counts.sum(axis=0) > 0).sum() < 2:
        # one group holds everyone: its column is the one-way table of the whole sample,
        # which the row totals publish by design (see the module docs)
        return
    assert not published[(counts.sum(axis=0) > 0) & (counts.sum(axis=0) < 5)].any()
    feasible = _feasible_values(counts, hidden, published)
    for (i, j), values in feasible.items():
        if counts[i, j] > 0:
            assert len(values) >= 2, (counts, hidden, (i, j), values)


def test_crosstab_display_marks_suppressed_cells(book, survey):
    with pytest.warns(SmallExpectedCountWarning):
        ct = crosstab_table(survey, "space_overall", "employer", codebook=book)
    shown = ct.display_frame()
    assert (shown.to_numpy() == "<5").any()
    assert any("<5" in n for n in ct.notes())
    # the percentages behind the marks stay available, unrounded, to the analyst
    assert ct.to_frame().notna().any().any()


def test_group_means_hide_a_lone_small_group_and_its_complement():
    frame = pd.DataFrame(
        {
            "score": np.arange(23, dtype=float) % 10,
            "team": pd.Categorical(["a"] * 10 + ["b"] * 9 + ["c"] * 4),
        }
    )
    gm = group_means(frame, "score", "team")
    assert gm.table["suppressed"].tolist() == [False, True, True, False]
    shown = gm.display_frame()
    assert shown.iloc[:3, 0].tolist() == ["10", "x", "<5"] and shown.iloc[2, 1] == ""


def test_group_means_refuse_an_item_without_an_order():
    # the mean of the employer codes (1 = specialist care, 2 = GI, ...) means nothing
    from peoscales import peo

    data = peo.code_wave(peo.load_demo_export(wave="2022-04"), wave="2022-04")
    with pytest.raises(ParameterError, match=r"item='employer' has a nominal answer scale"):
        group_means(data, "employer", "equipped")
    assert group_means(data, "equipped", "employer").n == 150  # ordinal: a mean of its codes


def test_compare_waves_with_the_built_in_codebooks():
    from peoscales import peo

    coded = peo.code_wave(peo.load_demo_export(), wave="2021-09").data
    later = coded.iloc[::2]
    with pytest.warns(SmallExpectedCountWarning):
        wc = compare_waves(coded, later, codebook_a="2021-09", codebook_b="2022-04")
    assert wc.waves == ("2021-09", "2022-04")
    assert wc.skipped == {"fixed_comments": "open question"}
    # percentages compared in the report's bands
    pct = wc.percentages.loc["Werktijd directe cliëntcontacten (%)"]
    assert list(pct.index) == ["20% of minder", "30-40%", "50-60%", "70% of meer"]
    expected = frequency_table(later, "equipped", codebook="2022-04", percent_of="substantive")
    np.testing.assert_allclose(
        wc.percentages.loc["Toegerust om vak uit te oefenen", "2022-04"].to_numpy(),
        expected.table["percent"].to_numpy()[:4],
    )


# ----- display language and labels ---------------------------------------------------------


def test_compare_waves_warns_once_naming_the_sparse_items():
    from peoscales import peo

    coded = peo.code_wave(peo.load_demo_export(), wave="2021-09").data
    later = coded.iloc[::2]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wc = compare_waves(coded, later, codebook_a="2021-09", codebook_b="2022-04")
    small = [w for w in caught if issubclass(w.category, SmallExpectedCountWarning)]
    assert len(small) == 1 and len(caught) == 1
    message = str(small[0].message)
    assert re.search(r"wave comparison of \d+ item\(s\): '", message)
    assert "may be inaccurate. Group the answers" in message
    assert wc.title == "Vergelijking van metingen"
    with pytest.warns(SmallExpectedCountWarning):
        english = compare_waves(coded, later, codebook_a="2021-09", codebook_b="2022-04", lang="en")
    assert english.title == "Comparison of waves"


def test_totals_and_group_mean_labels_follow_the_language():
    frame = pd.DataFrame(
        {
            "score": np.arange(30, dtype=float) % 7,
            "team": pd.Categorical(["a"] * 10 + ["b"] * 10 + ["c"] * 10),
        }
    )
    assert list(group_means(frame, "score", "team").display_frame().columns) == [
        "n",
        "Gemiddelde",
        "SD",
    ]
    gm_en = group_means(frame, "score", "team", lang="en")
    assert list(gm_en.display_frame().columns) == ["n", "Mean", "SD"]
    assert gm_en.display_frame().index[-1] == "Total"
    assert group_means(frame, "score", "team").display_frame().index[-1] == "Totaal"


def test_crosstab_total_column_is_totaal_in_dutch(book, survey):
    for lang, total in (("nl", "Totaal"), ("en", "Total")):
        with pytest.warns(SmallExpectedCountWarning):
            ct = crosstab_table(
                survey, "space_overall", "employer", codebook=book, lang=lang, min_group_size=None
            )
        assert total in list(ct.display_frame().columns.get_level_values(0)) + list(
            ct.display_frame().columns.get_level_values(-1)
        )
        assert "Alle" not in str(ct.display_frame().columns)


def test_frequency_display_omits_unanswered_rows_only_when_both_are_zero(book, survey):
    ft = frequency_table(survey, "space_overall", codebook=book)
    rows = list(ft.display_frame().index)
    table = ft.table.set_index("kind", append=True)
    unanswered = (
        table.xs("missing", level="kind")["n"].sum()
        + table.xs("not_asked", level="kind")["n"].sum()
    )
    assert ("Geen antwoord" in rows) == bool(unanswered)
    gap = survey.assign(space_overall=survey["space_overall"].astype(object))
    gap.iloc[0, gap.columns.get_loc("space_overall")] = None
    kept = frequency_table(gap, "space_overall", codebook=book).display_frame()
    assert "Geen antwoord" in kept.index and kept.loc["Geen antwoord", "n"] == "1"
    assert "Niet gevraagd" in kept.index  # kept beside a non-zero no-answer row


# ----- counting from the distinct codes equals counting the rows -------------------------


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    stay=st.lists(st.sampled_from([1.0, 2.0, 9.0, np.nan]), min_size=10, max_size=10),
    limit=st.lists(st.sampled_from([1.0, 2.0, 3.0, 4.0, np.nan]), min_size=10, max_size=10),
    text=st.lists(
        st.sampled_from(["voldoende", "onvoldoende", "niet gevraagd", None]),
        min_size=10,
        max_size=10,
    ),
    descending=st.booleans(),
    substantive_only=st.booleans(),
)
def test_answers_counted_from_distinct_codes_equal_the_rows(
    book, survey, stay, limit, text, descending, substantive_only
):
    from peoscales._kernels.peo_tables import count_all_codes
    from peoscales.peo.tables.answers import _answers

    data = survey.assign(stay=stay, limit_a=limit, space_reflect=text)
    for item in ("stay", "limit_a", "space_reflect", "work_pleasure"):
        ans = _answers(
            data, item, book, "nl", reverse=descending, substantive_only=substantive_only
        )
        k = len(ans.labels)
        from_codes = ans.count(k)  # before the rows' categories exist
        rows = count_all_codes(ans.cat, k)
        assert from_codes[0].tolist() == rows[0].tolist(), item
        assert {c: n for c, n in from_codes[1].items() if n} == {
            c: n for c, n in rows[1].items() if n
        }, item
        assert ans.count(k)[0].tolist() == rows[0].tolist()  # and after
        codes = data[item]
        if item != "space_reflect":
            # values: the substantive codes per row (9 is "weet niet" on the chance scale)
            weet_niet = (codes.to_numpy(dtype=float) == 9.0) & (item == "stay")
            expected = np.where(weet_niet, np.nan, codes)
            np.testing.assert_array_equal(ans.values, expected)
