"""The page of published tables (``docs/seed_tables.rst``) says what each call gives: the
tests it names exist, and the calls it lists without another test give the published
layout (and, for Tabel 2.5, the published numbers) on the demo export of 2021."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pytest

from peoscales import peo
from peoscales.errors import SmallExpectedCountWarning

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "seed_tables.rst"
SPACE = ["space_do_what_is_needed", "space_invest_in_relationship", "space_reflect"]
FIVE = ["space_overall", "space_own_judgement", *SPACE]


@pytest.fixture(scope="module")
def coded() -> peo.CodedWave:
    return peo.code_wave(peo.load_demo_export(), wave="2021-09")


def _pct(values: np.ndarray) -> np.ndarray:
    return np.floor(np.asarray(values, dtype=float) + 0.5).astype(int)


def test_every_test_the_page_names_exists() -> None:
    named = re.findall(r"``(test_\w+\.py)::(test_\w+)``", PAGE.read_text(encoding="utf-8"))
    assert len(named) >= 20
    for module, name in named:
        source = (ROOT / "tests" / module).read_text(encoding="utf-8")
        assert re.search(rf"^def {name}\(", source, re.M), f"{module}::{name} is not a test"


def test_the_page_is_in_the_user_guide() -> None:
    index = (ROOT / "docs" / "index.rst").read_text(encoding="utf-8")
    assert re.search(r"^\s+seed_tables$", index, re.M)


def test_tabel_1_3_layout_and_its_all_employers_column(coded: peo.CodedWave) -> None:
    ct = peo.crosstab_table(coded, "experience", "employer")
    frame = ct.to_frame()
    assert list(frame.index) == ["0-3", "3-6", "6-10", "10+"]
    assert frame.columns[-1] == "Totaal" and frame.shape[1] == 5
    # "Minder dan 3 / 6 jaar ervaring", alle werkgevers: 23 and 46 as printed.
    cumulative = np.cumsum(frame["Totaal"].to_numpy())
    assert _pct(cumulative[:2]).tolist() == [23, 46]


def test_tabel_2_3_layout(coded: peo.CodedWave) -> None:
    t = peo.items_by_group(
        coded,
        SPACE,
        "employer",
        answer="(ruim) onvoldoende",
        grouping="dichotomy",
        by_grouping="specialist_gi_vs_local",
    )
    assert list(t.table.columns) == ["Special aanbieder / GI", "Lokale teams", "Totaal"]
    assert len(t.table) == 3
    assert (t.counts["Totaal"] == 163).all()


def test_tabel_2_5_by_employer(coded: peo.CodedWave) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallExpectedCountWarning)  # the demo's small cells
        ct = peo.crosstab_table(coded, "pct_direct_contact", "employer", grouping="bands")
    published = [[2, 11, 9, 0, 7], [31, 62, 42, 20, 42], [36, 17, 32, 33, 29], [31, 11, 18, 47, 23]]
    got = _pct(ct.to_frame().to_numpy())
    # Printed cells that no whole counts give are met within one point.
    assert np.abs(got - np.asarray(published)).max() <= 1
    assert (got == np.asarray(published)).mean() > 0.8


@pytest.mark.parametrize(
    ("outcome", "grouping", "rows"),
    [
        ("work_pleasure", "bands", ["1-5", "6-7", "8-10"]),
        ("stay_one_year", "future3", ["(redelijk) klein", "klein noch groot", "(redelijk) groot"]),
    ],
)
def test_tabel_2_10_and_2_11_layout(coded: peo.CodedWave, outcome, grouping, rows) -> None:
    with warnings.catch_warnings():
        # The demo's small cells are expected; the layout is what is checked here.
        warnings.simplefilter("ignore", SmallExpectedCountWarning)
        dt = peo.dichotomy_table(
            coded, FIVE, outcome, grouping="dichotomy", outcome_grouping=grouping
        )
    assert list(dt.tables) == FIVE
    for table in dt.tables.values():
        frame = table.to_frame()
        assert list(frame.index) == rows
        assert list(frame.columns) == ["(ruim) onvoldoende", "(ruim) voldoende"]
        assert table.n == 178
