"""TOML definitions: every definition error is refused naming the file, the field and the fix;
a methodologist's own scale can be loaded, registered and scored; TOML is never executed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import peoscales
from peoscales.errors import DefinitionError, InstrumentNotFoundError, ParameterError
from peoscales.instruments.registry import _unregister

VALID = """
name = "team_climate"
title = "Team climate (a methodologist's own scale)"
citation = "Our lab (2026). Unpublished."
licence = "CC BY 4.0"

[key]
source = "Our own validation study"
status = "verified"

[response_scales.agree]
kind = "likert"
min = 1
max = 5
options = [
  { code = 1, nl = "oneens", en = "disagree" },
  { code = 2, nl = "beetje oneens", en = "somewhat disagree" },
  { code = 3, nl = "neutraal", en = "neutral" },
  { code = 4, nl = "beetje eens", en = "somewhat agree" },
  { code = 5, nl = "eens", en = "agree" },
]

[scales.climate]
en = "Team climate"
response_scale = "agree"
min_valid = 2
reverse = ["climate_2"]
bands = [
  { name = "poor", low = 1.0, high = 2.49 },
  { name = "fair", low = 2.5, high = 3.99 },
  { name = "good", low = 4.0, high = 5.0 },
]

[[scales.climate.items]]
id = "climate_1"
number = 1
en = "We help each other"

[[scales.climate.items]]
id = "climate_2"
number = 2
en = "Colleagues let me down"

[[scales.climate.items]]
id = "climate_3"
number = 3
en = "We talk openly"
"""


def write(tmp_path: Path, text: str, name: str = "team_climate.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def cleanup() -> Iterator[None]:
    yield
    for name in ("team_climate", "team_climate_short"):
        _unregister(name)


def test_load_register_and_score_own_scale(tmp_path: Path, cleanup: None) -> None:
    path = write(tmp_path, VALID)
    inst = peoscales.load_instrument(path)
    assert inst.name == "team_climate" and inst.source == str(path)
    assert inst.key_status == "verified"
    with pytest.raises(InstrumentNotFoundError, match="No instrument named 'team_climate'"):
        peoscales.get_instrument("team_climate")  # loading does not register
    registered = peoscales.register_instrument(path)
    assert peoscales.get_instrument("team_climate") is registered
    assert "team_climate" in peoscales.list_instruments().index
    assert not peoscales.list_instruments().loc["team_climate", "builtin"]
    data = pd.DataFrame({"climate_1": [5, 2], "climate_2": [1, 4], "climate_3": [4, 3]})
    scores = peoscales.score(data, "team_climate")
    assert scores["climate"].tolist() == pytest.approx([14 / 3, 7 / 3])
    assert peoscales.categorize(scores, "team_climate")["climate"].tolist() == ["good", "poor"]


def test_register_refuses_duplicates_and_builtin_names(tmp_path: Path, cleanup: None) -> None:
    path = write(tmp_path, VALID)
    peoscales.register_instrument(path)
    with pytest.raises(ParameterError, match="already registered; pass replace=True"):
        peoscales.register_instrument(path)
    assert peoscales.register_instrument(path, replace=True).name == "team_climate"
    builtin = write(tmp_path, VALID.replace('name = "team_climate"', 'name = "brs"'), "brs.toml")
    with pytest.raises(ParameterError, match="'brs' is a built-in instrument"):
        peoscales.register_instrument(builtin, replace=True)
    with pytest.raises(ParameterError, match="must be an Instrument or a path"):
        peoscales.register_instrument(42)  # type: ignore[arg-type]


def test_register_an_instrument_object(cleanup: None) -> None:
    from peoscales.instruments.loader import parse_definition

    inst = parse_definition(VALID, "<test>")
    assert peoscales.register_instrument(inst) is inst
    assert peoscales.get_instrument("team_climate") is inst


def test_variant_of_own_scale(tmp_path: Path, cleanup: None) -> None:
    peoscales.register_instrument(write(tmp_path, VALID))
    variant = write(
        tmp_path,
        'name = "team_climate_short"\ntitle = "short form"\n[variant]\nbase = "team_climate"\n',
        "short.toml",
    )
    inst = peoscales.register_instrument(variant)
    assert list(inst.scales) == ["climate"]
    assert inst.items["climate_2"].reverse


# ------------------------------------------------------------------ definition errors


def _refused(tmp_path: Path, text: str, field: str, problem: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(DefinitionError) as info:
        peoscales.load_instrument(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert f"field '{field}'" in message, message
    assert problem in message, message


def test_duplicate_item_ids(tmp_path: Path) -> None:
    text = VALID.replace('id = "climate_3"', 'id = "climate_1"')
    _refused(
        tmp_path, text, "scales.climate.items[2].id", "duplicate item id 'climate_1'. Give every"
    )


def test_reverse_key_naming_no_item(tmp_path: Path) -> None:
    text = VALID.replace('reverse = ["climate_2"]', 'reverse = ["climate_9"]')
    _refused(
        tmp_path, text, "scales.climate.reverse", "['climate_9'] name(s) no item of scale 'climate'"
    )


def test_min_not_below_max(tmp_path: Path) -> None:
    text = VALID.replace("min = 1\nmax = 5", "min = 5\nmax = 5")
    _refused(tmp_path, text, "response_scales.agree.min", "min (5) must be below max (5)")


def test_range_defaults_to_the_declared_options_not_the_data(tmp_path: Path) -> None:
    text = VALID.replace("min = 1\nmax = 5\noptions = [", "options = [").replace(
        '{ code = 1, nl = "oneens", en = "disagree" },', ""
    )
    # Without min/max the range is taken from the declared options, never from data.
    inst = peoscales.load_instrument(write(tmp_path, text))
    assert (inst.response_scales["agree"].min, inst.response_scales["agree"].max) == (2.0, 5.0)


def test_overlapping_bands(tmp_path: Path) -> None:
    text = VALID.replace("low = 2.5, high = 3.99", "low = 2.4, high = 3.99")
    _refused(
        tmp_path,
        text,
        "scales.climate.bands",
        "bands 'poor' (1-2.49) and 'fair' (2.4-3.99) overlap",
    )


def test_gapped_bands(tmp_path: Path) -> None:
    text = VALID.replace("low = 4.0, high = 5.0", "low = 4.2, high = 5.0")
    _refused(
        tmp_path,
        text,
        "scales.climate.bands",
        "gap between 'fair' (up to 3.99) and 'good' (from 4.2)",
    )


def test_label_mapped_to_two_codes(tmp_path: Path) -> None:
    text = VALID.replace('{ code = 3, nl = "neutraal"', '{ code = 3, nl = "Eens "')
    _refused(
        tmp_path,
        text,
        "response_scales.agree.options",
        "label 'eens' is mapped to two codes (3 and 5)",
    )


def test_code_used_twice(tmp_path: Path) -> None:
    text = VALID.replace('{ code = 4, nl = "beetje eens"', '{ code = 3, nl = "beetje eens"')
    _refused(
        tmp_path, text, "response_scales.agree.options", "code(s) [3.0] used for more than one"
    )


def test_invalid_toml(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace('title = "Team', "title = Team"))
    with pytest.raises(DefinitionError, match=rf"^{path}: not valid TOML \(.*line 3.*\)\. Fix"):
        peoscales.load_instrument(path)
    dup = write(tmp_path, VALID + '\n[key]\nstatus = "verified"\n', "dup.toml")
    with pytest.raises(DefinitionError, match="not valid TOML"):
        peoscales.load_instrument(dup)


def test_unknown_variant_base(tmp_path: Path) -> None:
    text = 'name = "mine"\n[variant]\nbase = "swnig"\n'
    _refused(tmp_path, text, "variant.base", "no instrument named 'swnig'")


def test_variant_keeping_unknown_scales(tmp_path: Path) -> None:
    text = 'name = "mine"\n[variant]\nbase = "swing"\nscales = ["swing_nwhi", "swing_xx"]\n'
    _refused(tmp_path, text, "variant.scales", "['swing_xx']")


@pytest.mark.parametrize(
    ("old", "new", "field", "problem"),
    [
        (
            'name = "team_climate"',
            'name = "Team Climate"',
            "name",
            "'Team Climate' is not a valid id",
        ),
        ('status = "verified"', 'status = "checked"', "key.status", "'checked' is not a status"),
        (
            'kind = "likert"',
            'kind = "slider"',
            "response_scales.agree.kind",
            "'slider' is not a kind",
        ),
        ("min_valid = 2", "min_valid = 4", "scales.climate.min_valid", "from 1 to 3, got 4"),
        ("min_valid = 2", "min_valid_share = 1.5", "scales.climate.min_valid_share", "(0, 1]"),
        (
            'response_scale = "agree"\nmin_valid',
            'response_scale = "agreement"\nmin_valid',
            "scales.climate.response_scale",
            "'agreement' is not declared",
        ),
        (
            "min = 1\nmax = 5",
            "min = 1\nmax = 4",
            "response_scales.agree.options",
            "codes [5.0] lie outside",
        ),
        ("number = 3", "number = 2", "items.number", "question number(s) [2] used twice"),
        (
            "{ code = 5, nl",
            '{ code = "five", nl',
            "response_scales.agree.options[4].code",
            "must be a number",
        ),
    ],
)
def test_other_definition_errors(
    tmp_path: Path, old: str, new: str, field: str, problem: str
) -> None:
    assert old in VALID
    _refused(tmp_path, VALID.replace(old, new, 1), field, problem)


def test_missing_file_and_non_utf8(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError, match=r"nothere\.toml: no such file"):
        peoscales.load_instrument(tmp_path / "nothere.toml")
    path = tmp_path / "latin1.toml"
    path.write_bytes(VALID.replace("neutraal", "neutraal é").encode("latin-1"))
    with pytest.raises(DefinitionError, match="not UTF-8 text"):
        peoscales.load_instrument(path)


# ------------------------------------------------------------------ TOML is data


def test_toml_never_executes_code(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    payload = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    text = VALID.replace('title = "Team climate', f'title = "{payload} Team climate').replace(
        'en = "We help each other"', f'en = "{payload}"'
    )
    inst = peoscales.load_instrument(write(tmp_path, text))
    assert inst.title.startswith("__import__")
    assert inst.items["climate_1"].question("en") == payload
    assert not marker.exists()
    # A name that is code is not an id: refused, not run.
    evil = VALID.replace('name = "team_climate"', f'name = "{payload}"')
    with pytest.raises(DefinitionError, match="is not a valid id"):
        peoscales.load_instrument(write(tmp_path, evil, "evil.toml"))
    assert not marker.exists()
