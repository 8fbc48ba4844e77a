"""recode knows the Dutch wordings questionnaires use for the same answers, and suggests
the closest known answer for an unknown one."""

from __future__ import annotations

import pandas as pd
import pytest

import peoscales
from peoscales.errors import UnknownLabelError

BRS = {
    "zeer mee oneens": 1, "sterk mee oneens": 1, "helemaal mee oneens": 1, "helemaal oneens": 1,
    "mee oneens": 2, "oneens": 2, "neutraal": 3, "niet mee eens, niet mee oneens": 3,
    "mee eens": 4, "eens": 4, "zeer mee eens": 5, "helemaal mee eens": 5, "Sterk mee eens": 5,
}  # fmt: skip
WBNS = {
    "helemaal niet akkoord": 1, "helemaal mee oneens": 1, "zeer mee oneens": 1,
    "niet akkoord": 2, "mee oneens": 2, "neutraal": 3, "akkoord": 4, "mee eens": 4,
    "helemaal akkoord": 5, "helemaal mee eens": 5, "zeer mee eens": 5,
}  # fmt: skip


@pytest.mark.parametrize(("instrument", "variants"), [("brs", BRS), ("wbns", WBNS)])
def test_dutch_variants_are_recoded(instrument: str, variants: dict[str, int]) -> None:
    items = peoscales.get_instrument(instrument).administration_order
    texts = list(variants)
    frame = pd.DataFrame(dict.fromkeys(items, texts))
    coded = peoscales.recode(frame, instrument)
    assert coded[items[0]].tolist() == [float(c) for c in variants.values()]


def test_an_unknown_answer_gets_the_closest_known_one() -> None:
    frame = pd.DataFrame({f"brs_{i}": ["mee eens"] for i in range(1, 7)})
    frame.loc[0, "brs_3"] = "helemaal mee oneenz"
    with pytest.raises(
        UnknownLabelError,
        match=r"'brs_3': 'helemaal mee oneenz' \(1x, did you mean 'helemaal mee oneens'\?\)",
    ):
        peoscales.recode(frame, "brs")


def test_no_suggestion_when_nothing_is_close() -> None:
    frame = pd.DataFrame({f"brs_{i}": ["mee eens"] for i in range(1, 7)})
    frame.loc[0, "brs_1"] = "banaan"
    with pytest.raises(UnknownLabelError) as info:
        peoscales.recode(frame, "brs")
    assert "did you mean" not in str(info.value)


def test_wbns_licence_says_non_commercial() -> None:
    assert "non-commercial" in peoscales.get_instrument("wbns").licence.lower()
