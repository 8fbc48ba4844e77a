"""The built-in instruments agree with the published keys (docs: instruments.rst)."""

from __future__ import annotations

import pandas as pd
import pytest

import peoscales
from peoscales.errors import InstrumentNotFoundError, ParameterError


def test_list_instruments_table() -> None:
    table = peoscales.list_instruments()
    assert {"brs", "swing", "swing12", "swing12_0to3", "swing_1to4", "wbns"} <= set(table.index)
    assert list(table.columns) == [
        "title",
        "kind",
        "n_items",
        "n_scales",
        "scales",
        "key_status",
        "builtin",
    ]
    assert table.loc["swing", "n_items"] == 22
    assert table.loc["swing12", "n_items"] == 12
    assert table.loc["wbns", "n_items"] == 18


def test_get_instrument_suggests_close_names() -> None:
    with pytest.raises(
        InstrumentNotFoundError, match=r"No instrument named 'swing_12'\. Did you mean 'swing12'"
    ):
        peoscales.get_instrument("swing_12")
    with pytest.raises(ParameterError, match="must be a name or an Instrument, got int"):
        peoscales.get_instrument(12)  # type: ignore[arg-type]
    brs = peoscales.get_instrument("brs")
    assert peoscales.get_instrument(brs) is brs
    assert "Instrument 'brs'" in repr(brs)


def test_unknown_name_lists_instruments_and_codebooks_separately() -> None:
    with pytest.raises(InstrumentNotFoundError) as info:
        peoscales.get_instrument("brz")
    message = str(info.value)
    head, _, books = message.partition("; codebooks")
    assert "Did you mean 'brs'?" in head
    assert "Registered instruments: 'brs', 'swing', 'swing12'" in head
    assert "peo_" not in head
    assert books.startswith(
        " (survey questions, items only): 'mental_fitness_2021', 'peo_2020_05', 'peo_2021_09'"
    )
    assert message.endswith("add your own with peoscales.register_instrument(path).")
    # A codebook is still found by name, and close codebook names are suggested.
    assert peoscales.get_instrument("peo_2021_09").kind == "codebook"
    with pytest.raises(InstrumentNotFoundError, match=r"Did you mean 'peo_2021_09'"):
        peoscales.get_instrument("peo_2021-09")


def test_brs_key() -> None:
    # Smith et al. (2008): six items, 1-5, items 2, 4, 6 reversed, mean score.
    brs = peoscales.get_instrument("brs")
    scale = brs.scales["brs"]
    assert scale.items == tuple(f"brs_{i}" for i in range(1, 7))
    assert scale.reverse == frozenset({"brs_2", "brs_4", "brs_6"})
    assert scale.method == "mean"
    rs = brs.response_scales[scale.response_scale]
    assert (rs.min, rs.max) == (1.0, 5.0)
    # Dutch anchors of the 2021 survey: 'sterk mee oneens (1)' ... 'zeer mee eens (5)'.
    assert rs.code_labels("nl")[1.0] == "sterk mee oneens"
    assert rs.code_labels("nl")[5.0] == "zeer mee eens"
    assert [(b.name, b.low, b.high) for b in scale.bands] == [
        ("low", 1.0, 2.99),
        ("normal", 3.0, 4.3),
        ("high", 4.31, 5.0),
    ]
    assert brs.key_status == "verified"
    assert "Smith" in brs.citation and "2008" in brs.citation
    assert "secondary" in scale.bands_source


@pytest.mark.parametrize(
    ("name", "low", "high", "scales"),
    [
        ("swing", 0, 3, {"swing_nwhi": 8, "swing_nhwi": 4, "swing_pwhi": 5, "swing_phwi": 5}),
        ("swing_1to4", 1, 4, {"swing_nwhi": 8, "swing_nhwi": 4, "swing_pwhi": 5, "swing_phwi": 5}),
        ("swing12", 1, 4, {"swing_nwhi": 8, "swing_nhwi": 4}),
        ("swing12_0to3", 0, 3, {"swing_nwhi": 8, "swing_nhwi": 4}),
    ],
)
def test_swing_forms_and_codings(name: str, low: int, high: int, scales: dict[str, int]) -> None:
    # Geurts et al. (2005): 22 items in 4 scales of 8, 4, 5 and 5; no reverse keys.
    inst = peoscales.get_instrument(name)
    assert {sid: len(s.items) for sid, s in inst.scales.items()} == scales
    assert not any(it.reverse for it in inst.items.values())
    for sid in scales:
        rs = inst.response_scales[inst.scales[sid].response_scale]
        assert (rs.min, rs.max) == (low, high)
        labels = rs.code_labels("nl")
        assert labels[float(low)] == "(bijna) nooit" and labels[float(high)] == "(bijna) altijd"
    assert inst.key_status == "to verify"
    assert "Geurts" in inst.citation


def test_swing12_is_numbered_1_to_12() -> None:
    inst = peoscales.get_instrument("swing12")
    order = inst.administration_order
    assert order[:8] == tuple(f"swing_nwhi_{i}" for i in range(1, 9))
    assert order[8:] == tuple(f"swing_nhwi_{i}" for i in range(1, 5))


def test_wbns_key() -> None:
    # Van den Broeck et al. (2010), as usually reproduced (status: to verify).
    wbns = peoscales.get_instrument("wbns")
    expected = {
        "wbns_autonomy": {2, 3, 6},
        "wbns_competence": {1, 4},
        "wbns_relatedness": {1, 3, 5},
    }
    for sid, positions in expected.items():
        scale = wbns.scales[sid]
        assert len(scale.items) == 6
        assert scale.reverse == frozenset(f"{sid}_{p}" for p in positions)
    rs = wbns.response_scales["agree5"]
    assert (rs.min, rs.max) == (1.0, 5.0)
    assert rs.code_labels("nl")[1.0] == "helemaal niet akkoord"
    assert rs.code_labels("nl")[5.0] == "helemaal akkoord"
    assert wbns.key_status == "to verify"
    assert "Van den Broeck" in wbns.citation


def test_every_builtin_carries_citation_licence_and_key_source() -> None:
    table = peoscales.list_instruments()
    for name in table.index[table["builtin"] & (table["kind"] == "instrument")]:
        inst = peoscales.get_instrument(name)
        assert inst.citation and inst.licence and inst.key_source, name
        assert inst.key_status in ("verified", "secondary", "to verify")


def test_minimum_rules_of_the_builtins() -> None:
    # Our defaults, documented in instruments.rst: BRS 4 of 6, other scales half the items.
    required = {
        sid: s.required()
        for name in ("brs", "swing", "wbns")
        for sid, s in peoscales.get_instrument(name).scales.items()
    }
    assert required == {
        "brs": 4,
        "swing_nwhi": 4,
        "swing_nhwi": 2,
        "swing_pwhi": 3,
        "swing_phwi": 3,
        "wbns_autonomy": 3,
        "wbns_competence": 3,
        "wbns_relatedness": 3,
    }


def test_instruments_are_immutable() -> None:
    brs = peoscales.get_instrument("brs")
    with pytest.raises(AttributeError):
        brs.name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        brs.scales["other"] = brs.scales["brs"]  # type: ignore[index]
    assert isinstance(peoscales.list_instruments(), pd.DataFrame)
