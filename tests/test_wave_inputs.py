"""A coded wave (and a read survey export) is accepted wherever a DataFrame is, and the
codebook comes with the wave; anything else gets a message that says what to pass."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import peoscales
from peoscales import peo
from peoscales.errors import DataTypeError

pytestmark = pytest.mark.filterwarnings("ignore::peoscales.errors.SmallExpectedCountWarning")


@pytest.fixture(scope="module")
def wave() -> peo.CodedWave:
    return peo.code_wave(peo.load_demo_export(), wave="2021-09")


def _same(a: object, b: object) -> None:
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame())  # type: ignore[attr-defined]


def test_frequency_table_takes_a_coded_wave(wave: peo.CodedWave) -> None:
    _same(
        peoscales.frequency_table(wave, "space_overall"),
        peoscales.frequency_table(wave.data, "space_overall", codebook="2021-09"),
    )


def test_every_table_function_takes_a_coded_wave(wave: peo.CodedWave) -> None:
    d, book = wave.data, "2021-09"
    _same(
        peo.crosstab_table(wave, "space_overall", "experience"),
        peo.crosstab_table(d, "space_overall", "experience", codebook=book),
    )
    items = ["space_own_judgement", "space_do_what_is_needed"]
    _same(peo.item_table(wave, items), peo.item_table(d, items, codebook=book))
    _same(
        peo.group_means(wave, "work_pleasure", "experience"),
        peo.group_means(d, "work_pleasure", "experience", codebook=book),
    )
    _same(
        peo.dichotomy_table(wave, ["space_overall"], "work_pleasure", grouping="dichotomy", outcome_grouping="bands"),
        peo.dichotomy_table(d, ["space_overall"], "work_pleasure", codebook=book, grouping="dichotomy", outcome_grouping="bands"),
    )  # fmt: skip


def test_statistics_take_a_coded_wave(wave: peo.CodedWave) -> None:
    ours = peoscales.describe(wave, ["work_pleasure", "pct_direct_contact"]).to_frame()
    direct = peoscales.describe(wave.data, ["work_pleasure", "pct_direct_contact"]).to_frame()
    pd.testing.assert_frame_equal(ours, direct)


def test_a_read_export_is_taken_as_its_data(tmp_path) -> None:
    export = peoscales.read_survey(peo.demo_export_path())
    column = next(
        c
        for c in export.data.columns
        if "werkplezier" in str(c).lower() or "plezier" in str(c).lower()
    )
    assert peoscales.describe(export, [column]).to_frame().shape[0] == 1


@pytest.mark.parametrize(
    ("data", "advice"),
    [
        (np.zeros((3, 2)), "pandas.DataFrame(array, columns="),
        ({"a": [1, 2]}, "pandas.DataFrame(your_dict)"),
        ([[1, 2], [3, 4]], "pandas.DataFrame(rows, columns="),
        ("answers.csv", "peoscales.read_survey(path)"),
    ],
)
def test_other_inputs_get_a_fix_that_works(data: object, advice: str) -> None:
    with pytest.raises(
        DataTypeError, match=r"got \w+: .*" + advice.replace("(", r"\(").replace(")", r"\)")
    ):
        peoscales.describe(data)  # type: ignore[arg-type]
