"""Multiple-response questions: shares of respondents and of responses, the number chosen
per respondent, options by group and options chosen together, each checked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from peoscales import peo
from peoscales.errors import ParameterError

LIMITS = [
    "limit_skj_insufficient",
    "limit_time_registration_insufficient",
    "limit_specialist_care_rules_insufficient",
    "limit_support_insufficient",
]


@pytest.fixture(scope="module")
def wave() -> peo.CodedWave:
    return peo.code_wave(peo.load_demo_export(), wave="2021-09")


def test_check_boxes_as_exported() -> None:
    boxes = pd.DataFrame(
        {
            "colleague": ["Collega", None, "Collega", "", "Collega"],
            "manager": [None, None, "Leidinggevende", "Leidinggevende", None],
            "other": ["Anders", None, None, None, None],
        },
        index=list("abcde"),
    )
    before = boxes.copy()
    t = peo.multi_response_table(boxes, ["colleague", "manager", "other"], sort="descending")
    assert list(t.table.index) == ["colleague", "manager", "other"]
    assert t.table["n"].tolist() == [3, 2, 1]
    assert t.n_base == 5  # check boxes: every respondent is in the base
    np.testing.assert_allclose(t.table["percent_of_respondents"], [60.0, 40.0, 20.0])
    np.testing.assert_allclose(t.table["percent_of_responses"], [50.0, 100 / 3, 100 / 6])
    assert t.n_chosen.tolist() == [1, 2, 2, 0]  # b none; d, e one; a, c two
    assert t.mean_chosen == pytest.approx(6 / 5)
    assert t.together.loc["colleague", "manager"] == 1
    pd.testing.assert_frame_equal(boxes, before)


def test_numbers_that_are_not_check_boxes_are_refused() -> None:
    with pytest.raises(ParameterError, match="other than 0 and 1"):
        peo.multi_response_table(pd.DataFrame({"a": [1, 2], "b": [0, 1]}), ["a", "b"])


def test_limiting_factors_named_with_a_grouping(wave: peo.CodedWave) -> None:
    t = peo.multi_response_table(
        wave, LIMITS, chosen="enigszins of in sterke mate", grouping="limiting", by="experience"
    )
    data = wave.data[LIMITS]
    named = data.isin(["enigszins", "in sterke mate"]).to_numpy()
    asked = data.notna().any(axis=1).to_numpy()
    assert t.n_base == int(asked.sum())
    np.testing.assert_array_equal(t.table["n"].to_numpy(), named[asked].sum(axis=0))
    assert t.mean_chosen == pytest.approx(named[asked].sum(axis=1).mean())
    np.testing.assert_array_equal(
        t.together.to_numpy(), named[asked].T.astype(int) @ named[asked].astype(int)
    )
    exp = wave.data["experience"].to_numpy()
    members = asked & (exp == "10+")
    np.testing.assert_allclose(
        t.by_group["10+"].to_numpy(), 100 * named[members].sum(axis=0) / members.sum()
    )


def test_chosen_by_codes_equals_chosen_by_group(wave: peo.CodedWave) -> None:
    by_group = peo.multi_response_table(
        wave, LIMITS, chosen="enigszins of in sterke mate", grouping="limiting"
    )
    by_codes = peo.multi_response_table(wave, LIMITS, chosen=[2, 3])
    pd.testing.assert_frame_equal(by_group.table, by_codes.table)


def test_an_unknown_chosen_answer_is_named(wave: peo.CodedWave) -> None:
    with pytest.raises(ParameterError, match=r"'veel' is not an answer of option"):
        peo.multi_response_table(wave, LIMITS, chosen="veel")
