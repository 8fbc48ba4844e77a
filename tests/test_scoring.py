"""Scoring, recoding and norm bands: reference values, invariants and bad input."""

from __future__ import annotations

import copy
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import peoscales
from peoscales._kernels.scoring import reverse_codes
from peoscales.errors import (
    DataTypeError,
    DuplicateColumnsError,
    IncompleteScoresWarning,
    InstrumentNotFoundError,
    MissingColumnsError,
    OutOfRangeError,
    ParameterError,
    UnknownLabelError,
)
from peoscales.instruments.registry import _unregister

REFERENCE = Path(__file__).parent / "reference"
ALL = ["brs", "swing12", "wbns"]
BRS_ITEMS = [f"brs_{i}" for i in range(1, 7)]


def brs_frame(rows: list[list[float]], index: list | None = None) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=BRS_ITEMS, index=index, dtype=float)


def plain_score(data: pd.DataFrame, instrument: str, required: dict[str, int]) -> pd.DataFrame:
    """Per-respondent, per-item Python loop: the definition of a scale score."""
    inst = peoscales.get_instrument(instrument)
    out = {}
    for sid, scale in inst.scales.items():
        values = []
        for _, row in data.iterrows():
            answered = []
            for iid in scale.items:
                v = row[iid]
                if math.isnan(v):
                    continue
                rs = inst.response_scale_of(iid)
                answered.append(rs.min + rs.max - v if inst.items[iid].reverse else v)
            ok = len(answered) >= required.get(sid, scale.required())
            values.append(sum(answered) / len(answered) if ok else math.nan)
        out[sid] = values
    return pd.DataFrame(out, index=data.index)


# --------------------------------------------------------------------------- R reference


def _compare(ours: pd.DataFrame, psych: pd.DataFrame) -> float:
    ours = ours[psych.columns]
    assert ours.index.equals(psych.index)
    assert (ours.isna().to_numpy() == psych.isna().to_numpy()).all()
    return float(np.nanmax(np.abs(ours.to_numpy() - psych.to_numpy())))


def test_matches_psych_scoreitems_declared_range() -> None:
    # psych::scoreItems(keys, items, impute = "none", min, max): mean of answered items
    # after reversal on the declared range. Exact arithmetic: 1e-10.
    data = pd.read_csv(REFERENCE / "scoring_data.csv", index_col="row")
    psych = pd.read_csv(REFERENCE / "scoring_psych.csv", index_col="row")
    # Rows with a whole scale unanswered stay missing, and the warning says so.
    with pytest.warns(IncompleteScoresWarning, match="brs: 2"):
        ours = peoscales.score(data, ["brs", "swing_1to4", "wbns"], min_valid=1)
    assert _compare(ours, psych) < 1e-10
    assert list(psych.columns) == list(ours.columns)  # every scale of these instruments


def test_matches_psych_scoreitems_0to3_coding() -> None:
    data = pd.read_csv(REFERENCE / "scoring_data_0to3.csv", index_col="row")
    psych = pd.read_csv(REFERENCE / "scoring_psych_0to3.csv", index_col="row")
    assert _compare(peoscales.score(data, "swing", min_valid=1), psych) < 1e-10


def test_psych_default_range_differs_when_a_code_is_never_observed() -> None:
    # No respondent used code 5: psych's default reverses with 1 + 4 instead of 1 + 5, so
    # each reverse-keyed item is one point too low (three of six items: 0.5 on the mean).
    data = pd.read_csv(REFERENCE / "scoring_brs_partial.csv", index_col="row")
    assert data.max().max() == 4
    psych = pd.read_csv(REFERENCE / "scoring_psych_partial.csv", index_col="row")
    ours = peoscales.score(data, "brs", min_valid=1)["brs"]
    np.testing.assert_allclose(ours, psych["brs_declared"], rtol=0, atol=1e-10)
    # psych's default is off by (reverse-keyed items answered) / (items answered).
    gap = ours - psych["brs_psych_default"]
    answered = data.notna()
    share = answered[["brs_2", "brs_4", "brs_6"]].sum(axis=1) / answered.sum(axis=1)
    np.testing.assert_allclose(gap, share, rtol=0, atol=1e-10)
    assert gap.min() > 0


def test_default_minimum_leaves_incomplete_respondents_missing_and_says_how_many() -> None:
    data = pd.read_csv(REFERENCE / "scoring_data.csv", index_col="row")
    with pytest.warns(IncompleteScoresWarning, match=r"brs: \d+"):
        result = peoscales.score(data, ["brs", "swing_1to4", "wbns"], details=True)
    answered = data[BRS_ITEMS].notna().sum(axis=1)
    assert result.n_below_minimum["brs"] == int((answered < 4).sum())
    assert result.scores["brs"].isna().equals(answered < 4)
    assert len(result.scores) == len(data)  # no row dropped
    assert "n_below_minimum" in result.table().columns
    assert "Scale scores for 300 respondents" in result.summary()


# ------------------------------------------------------------------- worked examples


def test_brs_worked_example() -> None:
    # Items 2, 4, 6 reversed as 6 - x: (4 + 4 + 5 + 5 + 4 + 4) / 6 = 26 / 6.
    data = brs_frame([[4, 2, 5, 1, 4, 2]], index=["anna"])
    assert peoscales.score(data, "brs").loc["anna", "brs"] == pytest.approx(26 / 6, abs=1e-12)


def test_minimum_valid_boundary_exactly_as_documented() -> None:
    # BRS needs 4 of 6 answered items: 3 answered is missing, 4 answered is scored.
    nan = np.nan
    data = brs_frame([[5, 1, 5, nan, nan, nan], [5, 1, 5, 1, nan, nan]], index=["k-1", "k"])
    with pytest.warns(IncompleteScoresWarning, match="brs: 1"):
        result = peoscales.score(data, "brs", details=True)
    assert math.isnan(result.scores.loc["k-1", "brs"])
    assert result.scores.loc["k", "brs"] == 5.0
    assert result.required["brs"] == 4
    assert result.n_below_minimum["brs"] == 1
    assert result.answered.loc["k-1", "brs"] == 3


@pytest.mark.parametrize(
    ("rule", "k", "required"),
    [(2, 6, 2), (0.5, 6, 3), (0.5, 8, 4), (0.5, 4, 2), (0.3, 6, 2), (0.34, 6, 3), (6, 6, 6)],
)
def test_minimum_valid_override_count_or_share(rule: float, k: int, required: int) -> None:
    scale = {6: "brs", 8: "swing_nwhi", 4: "swing_nhwi"}[k]
    instrument = "brs" if scale == "brs" else "swing12"
    items = list(peoscales.get_instrument(instrument).scales[scale].items)
    rows = [[2.0] * a + [np.nan] * (k - a) for a in (required - 1, required)]
    data = pd.DataFrame(rows, columns=items, index=["below", "at"])
    with pytest.warns(IncompleteScoresWarning, match=f"{scale}: 1"):
        out = peoscales.score(data, instrument, scales=[scale], min_valid=rule)
    assert math.isnan(out.loc["below", scale])
    assert not math.isnan(out.loc["at", scale])


def test_min_valid_per_scale_dict_and_bad_values() -> None:
    data = peoscales.simulate("wbns", 5, seed=1)
    out = peoscales.score(data, "wbns", min_valid={"wbns_autonomy": 6})
    assert out.notna().all().all()
    for bad in (0, 7, -1, 1.5, "4", True):
        with pytest.raises(ParameterError, match="min_valid"):
            peoscales.score(data, "wbns", min_valid=bad)


def test_prorated_sum_is_mean_times_number_of_items() -> None:
    data = brs_frame([[4, 2, 5, 1, np.nan, 2], [1, 5, 1, 5, 1, 5]])
    means = peoscales.score(data, "brs")
    sums = peoscales.score(data, "brs", method="sum")
    np.testing.assert_allclose(sums["brs"], means["brs"] * 6, rtol=0, atol=1e-12)
    assert sums.loc[1, "brs"] == 6.0  # all lowest after reversal: 6 x 1
    # (4 + 4 + 5 + 5 + 4) / 5 answered x 6 items
    assert sums.loc[0, "brs"] == pytest.approx(22 / 5 * 6, abs=1e-12)
    with pytest.raises(ParameterError, match="method='median'"):
        peoscales.score(data, "brs", method="median")  # type: ignore[call-overload]


# ----------------------------------------------------------------------- properties


codes15 = st.sampled_from([np.nan, 1.0, 2.0, 3.0, 4.0, 5.0])
codes14 = st.sampled_from([np.nan, 1.0, 2.0, 3.0, 4.0])


@st.composite
def all_items(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 12))
    five = draw(hnp.arrays(float, (n, 24), elements=codes15))
    four = draw(hnp.arrays(float, (n, 12), elements=codes14))
    brs = peoscales.get_instrument("brs").administration_order
    wbns = peoscales.get_instrument("wbns").administration_order
    swing = peoscales.get_instrument("swing12").administration_order
    return pd.concat(
        [
            pd.DataFrame(five[:, :6], columns=brs),
            pd.DataFrame(four, columns=swing),
            pd.DataFrame(five[:, 6:], columns=wbns),
        ],
        axis=1,
    )


def _quiet_score(data: pd.DataFrame, *args: object, **kwargs: object) -> pd.DataFrame:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IncompleteScoresWarning)
        return peoscales.score(data, *args, **kwargs)  # type: ignore[call-overload, no-any-return]


@given(all_items())
def test_vectorised_kernel_equals_plain_per_respondent_computation(data: pd.DataFrame) -> None:
    ours = _quiet_score(data, ALL)
    expected = pd.concat([plain_score(data, name, {}) for name in ALL], axis=1)
    pd.testing.assert_frame_equal(ours, expected[ours.columns], rtol=0, atol=1e-12)


@given(hnp.arrays(float, (7, 3), elements=st.integers(0, 10).map(float)))
def test_reversal_twice_is_the_identity(x: np.ndarray) -> None:
    low, high = np.array([0.0, 1.0, 2.0]), np.array([10.0, 11.0, 12.0])
    np.testing.assert_array_equal(reverse_codes(reverse_codes(x, low, high), low, high), x)


@given(all_items())
def test_reversing_the_data_and_the_key_gives_the_same_scores(data: pd.DataFrame) -> None:
    # Reversed items pre-reversed in the data, scored with a key without reversals.
    inst = peoscales.get_instrument("brs")
    flipped = data[BRS_ITEMS].copy()
    for iid in inst.scales["brs"].reverse:
        flipped[iid] = 6 - flipped[iid]
    plain = peoscales.Instrument(
        **{
            **inst.__dict__,
            "name": "brs_unkeyed",
            "items": {
                k: type(v)(**{**v.__dict__, "reverse": False}) for k, v in inst.items.items()
            },
        }
    )
    ours = _quiet_score(data, "brs")
    again = _quiet_score(flipped, plain)
    pd.testing.assert_frame_equal(ours, again)


@given(all_items(), st.randoms(use_true_random=False))
def test_column_order_does_not_change_scores(data: pd.DataFrame, rnd: object) -> None:
    columns = list(data.columns)
    rnd.shuffle(columns)  # type: ignore[attr-defined]
    pd.testing.assert_frame_equal(_quiet_score(data, ALL), _quiet_score(data[columns], ALL))


@given(all_items(), st.randoms(use_true_random=False))
def test_columns_mapping_permutation_does_not_change_scores(
    data: pd.DataFrame, rnd: object
) -> None:
    names = [f"Q{i}" for i in range(data.shape[1])]
    rnd.shuffle(names)  # type: ignore[attr-defined]
    mapping = dict(zip(data.columns, names))
    renamed = data.rename(columns=mapping)
    order = list(renamed.columns)
    rnd.shuffle(order)  # type: ignore[attr-defined]
    pd.testing.assert_frame_equal(
        _quiet_score(data, ALL), _quiet_score(renamed[order], ALL, columns=mapping)
    )


@given(all_items())
def test_columns_order_positional(data: pd.DataFrame) -> None:
    order = [i for name in ALL for i in peoscales.get_instrument(name).administration_order]
    positional = data[order].set_axis([f"V{i}" for i in range(len(order))], axis=1)
    pd.testing.assert_frame_equal(
        _quiet_score(data, ALL), _quiet_score(positional, ALL, columns="order")
    )


def test_wbns_administered_in_another_order_is_mapped_by_columns() -> None:
    data = peoscales.simulate("wbns", 40, seed=3)
    # A version that interleaves the scales: autonomy_1, competence_1, relatedness_1, ...
    interleaved = [
        f"wbns_{s}_{i}" for i in range(1, 7) for s in ("autonomy", "competence", "relatedness")
    ]
    survey = data[interleaved].set_axis([f"q{i + 1}" for i in range(18)], axis=1)
    mapping = {iid: f"q{i + 1}" for i, iid in enumerate(interleaved)}
    pd.testing.assert_frame_equal(
        peoscales.score(data, "wbns"), peoscales.score(survey, "wbns", columns=mapping)
    )


# ---------------------------------------------------------------- non-substantive codes

NONSUB_TOML = """
name = "{name}"
title = "Scale with a don't-know answer"
[response_scales.agree]
kind = "likert"
min = 1
max = 4
options = [
  {{ code = 1, nl = "helemaal niet", en = "not at all" }},
  {{ code = 2, nl = "een beetje", en = "a little" }},
  {{ code = 3, nl = "nogal", en = "quite" }},
  {{ code = 4, nl = "'t klopt helemaal", en = "it's entirely true" }},
]
nonsubstantive = [ {{ code = 9, nl = "weet niet", en = "don't know" }} ]
[scales.mood]
response_scale = "agree"
min_valid = 2
reverse = ["mood_3"]
[[scales.mood.items]]
id = "mood_1"
[[scales.mood.items]]
id = "mood_2"
[[scales.mood.items]]
id = "mood_3"
"""


@pytest.fixture
def own_scale(tmp_path: Path) -> peoscales.Instrument:
    path = tmp_path / "mood.toml"
    path.write_text(NONSUB_TOML.format(name="test_mood"), encoding="utf-8")
    inst = peoscales.register_instrument(path, replace=True)
    yield inst
    _unregister("test_mood")


def test_nonsubstantive_code_counts_as_not_answered(own_scale: peoscales.Instrument) -> None:
    data = pd.DataFrame({"mood_1": [4, 9, 9], "mood_2": [2, 2, 9], "mood_3": [9, 1, 1]})
    with pytest.warns(IncompleteScoresWarning, match="mood: 1"):
        result = peoscales.score(data, "test_mood", details=True)
    assert result.scores["mood"].tolist()[:2] == [3.0, 3.0]  # (4+2)/2; (2 + (5-1))/2
    assert math.isnan(result.scores["mood"].iloc[2])
    assert result.n_nonsubstantive["mood"] == 4
    assert data.iloc[0, 2] == 9  # the caller's 9 is untouched


def test_recode_nonsubstantive_and_curly_quotes(own_scale: peoscales.Instrument) -> None:
    raw = pd.DataFrame(
        {
            "mood_1": ["\u2018T KLOPT  helemaal", "weet niet", "Don\u2019t know"],
            "mood_2": ["it\u2019s entirely true", " een beetje ", "a little (2)"],
            "mood_3": ["nogal", None, "9"],
        }
    )
    codes = peoscales.recode(raw, "test_mood")
    assert codes["mood_1"].tolist() == [4.0, 9.0, 9.0]
    assert codes["mood_2"].tolist() == [4.0, 2.0, 2.0]
    assert codes["mood_3"].tolist()[0] == 3.0 and math.isnan(codes["mood_3"].tolist()[1])


# ------------------------------------------------------------------------- recode


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("name", ["brs", "swing12", "swing12_0to3", "wbns"])
def test_recode_round_trip(name: str, lang: str) -> None:
    codes = peoscales.simulate(name, 60, seed=4, missing_share=0.1)
    inst = peoscales.get_instrument(name)
    labels = codes.copy().astype(object)
    for col in codes.columns:
        table = inst.response_scale_of(col).code_labels(lang)
        labels[col] = codes[col].map(table)
    np.testing.assert_array_equal(peoscales.recode(labels, name).to_numpy(), codes.to_numpy())


@given(
    st.lists(st.sampled_from([1, 2, 3, 4, 5]), min_size=1, max_size=20),
    st.sampled_from(["nl", "en"]),
    st.sampled_from(
        [str.upper, str.lower, str.title, lambda s: f"  {s} ", lambda s: s.replace(" ", "   ")]
    ),
)
def test_recode_tolerates_case_and_white_space(codes: list[int], lang: str, mess: object) -> None:
    table = peoscales.get_instrument("brs").response_scale_of("brs_1").code_labels(lang)
    texts = [mess(table[float(c)]) for c in codes]  # type: ignore[operator]
    out = peoscales.recode(pd.DataFrame({"brs_1": texts}), "brs")
    assert out["brs_1"].tolist() == [float(c) for c in codes]


def test_recode_reports_every_unknown_label_at_once_and_changes_nothing() -> None:
    raw = pd.DataFrame(
        {
            "brs_1": ["mee eens", "heel erg mee eens", "heel erg mee eens", "?"],
            "brs_2": ["neutraal", "neutraal", "mee oneens (4)", None],
            "age": [30, 40, 50, 60],
        }
    )
    before = raw.copy(deep=True)
    with pytest.raises(UnknownLabelError) as info:
        peoscales.recode(raw, "brs")
    message = str(info.value)
    assert "3 unknown response text(s)" in message
    assert "'brs_1': 'heel erg mee eens' (2x, did you mean 'zeer mee eens'?)" in message
    assert "'brs_1': '?' (1x)" in message
    assert "'brs_2': 'mee oneens (4)' (1x" in message  # label and code disagree
    assert "nothing was recoded" in message
    pd.testing.assert_frame_equal(raw, before)


def test_recode_keeps_other_columns_and_index() -> None:
    raw = pd.DataFrame(
        {"brs_1": ["zeer mee eens (5)", "Sterk mee oneens"], "note": ["a", "b"]},
        index=pd.Index(["r9", "r2"], name="id"),
    )
    out = peoscales.recode(raw, "brs")
    assert out.index.equals(raw.index)
    assert out["note"].tolist() == ["a", "b"]
    assert out["brs_1"].tolist() == [5.0, 1.0]
    assert raw["brs_1"].tolist() == ["zeer mee eens (5)", "Sterk mee oneens"]


# --------------------------------------------------------------------- bad input


def test_out_of_range_code_names_column_value_and_row() -> None:
    data = brs_frame([[4, 2, 5, 1, 4, 2], [4, 2, 7, 1, 4, 2]], index=["a", "b"])
    with pytest.raises(
        OutOfRangeError,
        match=r"'brs_3' \(expected whole numbers 1-5\): values 7\.0 in rows 'b'.*never clipped",
    ):
        peoscales.score(data, "brs")


def test_non_whole_code_is_refused() -> None:
    data = brs_frame([[4, 2, 2.5, 1, 4, 2]])
    with pytest.raises(OutOfRangeError, match=r"'brs_3'.*2\.5"):
        peoscales.score(data, "brs")


def test_texts_left_in_item_columns() -> None:
    data = brs_frame([[4, 2, 5, 1, 4, 2]] * 2).astype(object)
    data.loc[1, "brs_2"] = "mee eens"
    with pytest.raises(DataTypeError, match=r"'brs_2' \(e\.g\. 'mee eens' in rows 1\).*recode"):
        peoscales.score(data, "brs")


def test_missing_item_columns_name_them_and_close_matches() -> None:
    data = brs_frame([[4, 2, 5, 1, 4, 2]]).rename(columns={"brs_3": "BRS 3", "brs_5": "brs5"})
    with pytest.raises(
        MissingColumnsError,
        match=r"no column 'brs_3', 'brs_5'\. 'brs_3': did you mean 'BRS 3'.*'brs_5': did you mean 'brs5'",
    ):
        peoscales.score(data, "brs")


def test_duplicated_column_names() -> None:
    data = pd.DataFrame([[1, 2, 3, 4, 5, 1, 2]], columns=[*BRS_ITEMS, "brs_1"])
    with pytest.raises(DuplicateColumnsError, match=r"duplicated column names: 'brs_1'"):
        peoscales.score(data, "brs")


def test_mapping_to_absent_columns() -> None:
    data = brs_frame([[4, 2, 5, 1, 4, 2]]).rename(columns={"brs_1": "Q1"})
    with pytest.raises(
        MissingColumnsError, match=r"no column 'Q01'\. 'Q01': did you mean 'Q1'\?.*columns mapping"
    ):
        peoscales.score(data, "brs", columns={"brs_1": "Q01"})


def test_mapping_with_unknown_item_id_or_wrong_type() -> None:
    data = brs_frame([[4, 2, 5, 1, 4, 2]])
    with pytest.raises(ParameterError, match=r"unknown item id\(s\) 'brs_7'"):
        peoscales.score(data, "brs", columns={"brs_7": "brs_1"})
    with pytest.raises(ParameterError, match="columns='positional' is not supported"):
        peoscales.score(data, "brs", columns="positional")  # type: ignore[call-overload]
    with pytest.raises(ParameterError, match="needs exactly one column per item"):
        peoscales.score(data.iloc[:, :5], "brs", columns="order")


def test_mixed_codings_swing_partly_0_to_3() -> None:
    data = peoscales.simulate("swing12", 50, seed=5)
    mixed = data.copy()
    shifted = ["swing_nwhi_2", "swing_nhwi_4"]
    mixed[shifted] = mixed[shifted] - 1  # these two columns exported as 0-3
    with pytest.raises(
        OutOfRangeError,
        match=r"'swing_nwhi_2' \(expected whole numbers 1-4\): values 0\.0.*look coded 0-3 instead of 1-4.*mixes codings",
    ):
        peoscales.score(mixed, "swing12")
    # All columns 0-3: the hint names the variant for that coding, which then scores them.
    with pytest.raises(OutOfRangeError, match="swing12_0to3"):
        peoscales.score(data - 1, "swing12")
    pd.testing.assert_frame_equal(
        peoscales.score(data - 1, "swing12_0to3") + 1, peoscales.score(data, "swing12")
    )


def test_unknown_instrument_and_scale() -> None:
    data = brs_frame([[4, 2, 5, 1, 4, 2]])
    with pytest.raises(InstrumentNotFoundError, match=r"No instrument named 'bsr'\. Did you mean"):
        peoscales.score(data, "bsr")
    with pytest.raises(ParameterError, match=r"unknown scale\(s\) 'resilience'"):
        peoscales.score(data, "brs", scales=["resilience"])
    with pytest.raises(DataTypeError, match="data must be a pandas DataFrame, got ndarray"):
        peoscales.score(data.to_numpy(), "brs")
    with pytest.raises(ParameterError, match="each instrument may be named once"):
        peoscales.score(data, ["brs", "brs"])
    with pytest.raises(ParameterError, match="more than one of the instruments"):
        peoscales.score(data, ["swing12", "swing_1to4"])


def test_callers_frame_unchanged_index_kept_no_row_dropped() -> None:
    data = peoscales.simulate(ALL, 30, seed=6, missing_share=0.3)
    data.index = pd.Index([f"p{i}" for i in range(29, -1, -1)], name="respondent")
    data["note"] = "x"
    data.loc["p3", [c for c in data.columns if c.startswith("brs")]] = np.nan
    before = copy.deepcopy(data)
    with pytest.warns(IncompleteScoresWarning):
        scores = peoscales.score(data, ALL)
    with pytest.warns(IncompleteScoresWarning):
        peoscales.categorize(peoscales.score(data, "brs"), "brs")
    pd.testing.assert_frame_equal(data, before)
    assert scores.index.equals(data.index)
    assert len(scores) == len(data)
    assert math.isnan(scores.loc["p3", "brs"])
    bad = data.copy()
    bad.iloc[0, 0] = 9
    with pytest.raises(OutOfRangeError, match="'p29'"):
        peoscales.score(bad, ALL)
    pd.testing.assert_frame_equal(data, before)


# ------------------------------------------------------------------------ categorize


def test_categorize_brs_bands_at_the_published_bounds() -> None:
    scores = pd.Series(
        [1.0, 2.99, 2.995, 3.0, 4.3, 4.305, 4.31, 5.0, np.nan], name="brs", index=list("abcdefghi")
    )
    bands = peoscales.categorize(scores, "brs")["brs"]
    assert bands.tolist()[:8] == ["low", "low", "low", "normal", "normal", "normal", "high", "high"]
    assert pd.isna(bands.iloc[8])
    assert bands.cat.ordered
    assert bands.index.equals(scores.index)
    dutch = peoscales.categorize(scores, "brs", lang="nl")["brs"]
    assert list(dutch.cat.categories) == ["laag", "gemiddeld", "hoog"]


def test_categorize_bad_input() -> None:
    with pytest.raises(
        OutOfRangeError, match=r"scores\['brs'\] has values outside the bands 1-5: 5\.5"
    ):
        peoscales.categorize(pd.Series([3.0, 5.5], name="brs"), "brs")
    with pytest.raises(MissingColumnsError, match="no column named after a scale with norm bands"):
        peoscales.categorize(pd.DataFrame({"resilience": [3.0]}), "brs")


# ---------------------------------------------------------------- frames of several blocks


def _assembled(data: pd.DataFrame) -> pd.DataFrame:
    """The same answers as a notebook builds them: instruments joined, an id in front,
    an integer column and the items in another order than the instrument's."""
    parts = [data[[c for c in data.columns if c.startswith(p)]] for p in ("brs", "swing", "wbns")]
    frame = pd.concat([parts[2], parts[0].copy(), parts[1][parts[1].columns[::-1]]], axis=1)
    frame.insert(0, "id", np.arange(len(frame)))
    frame["brs_2"] = frame["brs_2"].fillna(3).astype(np.int64)
    return frame


@pytest.fixture
def column_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hand the columns to the kernel one by one from small frames on (usually 50,000 rows)."""
    monkeypatch.setattr(peoscales._scoring, "COLUMN_ROWS", 10)


@pytest.mark.filterwarnings("ignore::peoscales.errors.IncompleteScoresWarning")
def test_a_frame_of_several_blocks_scores_as_one_array(monkeypatch: pytest.MonkeyPatch) -> None:
    data = peoscales.simulate(["brs", "swing12", "wbns"], 3000, seed=4, missing_share=0.1)
    frame = _assembled(data)
    before = frame.copy()
    instruments = ["brs", "swing12", "wbns"]
    theirs = peoscales.score(frame, instruments, details=True)  # one interleaved array
    monkeypatch.setattr(peoscales._scoring, "COLUMN_ROWS", 10)
    ours = peoscales.score(frame, instruments, details=True)  # column by column
    pd.testing.assert_frame_equal(ours.scores, theirs.scores, check_exact=True)
    pd.testing.assert_frame_equal(ours.answered, theirs.answered, check_exact=True)
    pd.testing.assert_frame_equal(frame, before)  # the caller's frame is untouched


def test_one_stored_block_is_read_in_place_and_other_layouts_are_not() -> None:
    from peoscales._scoring import _stored_runs

    # One stored block with a column per row (``copy()`` stores it so in pandas 2 and 3;
    # a frame built from a 2-D array may keep that array's column order instead)
    answers = np.random.default_rng(1).integers(1, 6, size=(100, 6)).astype(float)
    data = pd.DataFrame(answers, columns=[f"brs_{i}" for i in range(1, 7)]).copy()
    columns = [data[c].to_numpy() for c in data.columns]
    (block,) = _stored_runs(columns)
    assert np.shares_memory(block, columns[0]) and not block.flags.writeable
    np.testing.assert_array_equal(block.T, data.to_numpy())
    assert len(_stored_runs(columns[1:4])) == 1  # consecutive rows of the block
    assert [r.shape[0] for r in _stored_runs(columns[::-1])] == [1] * 6  # another order
    assert [r.shape[0] for r in _stored_runs([*columns[:2], columns[4], columns[5]])] == [2, 2]
    loose = [np.arange(100.0), np.arange(100), columns[0]]
    runs = _stored_runs(loose)
    assert [r.shape for r in runs] == [(1, 100)] * 3
    assert all(np.array_equal(r[0], c) for r, c in zip(runs, loose))


@pytest.mark.usefixtures("column_path", "own_scale")
def test_column_path_finds_codes_out_of_range_and_nonsubstantive_codes() -> None:
    data = pd.DataFrame({"mood_1": [4, 9, 9, 2], "mood_2": [2.0, 2, 9, 3], "mood_3": [9, 1, 1, 2]})
    data.insert(0, "id", range(4))
    with pytest.warns(IncompleteScoresWarning, match="mood: 1"):
        result = peoscales.score(data, "test_mood", details=True)
    assert result.scores["mood"].tolist()[:2] == [3.0, 3.0]
    assert result.n_nonsubstantive["mood"] == 4
    data.loc[3, "mood_2"] = 7.0
    with pytest.raises(OutOfRangeError, match="mood_2"):
        peoscales.score(data, "test_mood")
