"""Definition files at their edges: every odd file or value becomes a DefinitionError
naming the file and the field, never a raw Python exception or a silently odd instrument."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import peoscales
from peoscales.errors import DefinitionError

from .test_loader import VALID


def _write(tmp_path: Path, text: str, name: str = "scale.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_valid_definition_loads(tmp_path: Path) -> None:
    assert peoscales.load_instrument(_write(tmp_path, VALID)).name == "team_climate"


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('name = "team_climate"', 'name = "team_climate\\n"', "name"),
        ('name = "team_climate"', 'name = "team_climate\\r\\n"', "name"),
        ('id = "climate_1"', 'id = "climate_1\\n"', "scales.climate.items[0].id"),
        ("[scales.climate]", '[scales."climate\\n"]', "scales"),
    ],
)
def test_ids_with_a_trailing_newline_are_refused(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    path = _write(tmp_path, VALID.replace(old, new, 1))
    with pytest.raises(
        DefinitionError, match=re.escape(str(path)) + ".*field '" + re.escape(field)
    ):
        peoscales.load_instrument(path)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("max = 5", "max = inf", "response_scales.agree.max"),
        ("min = 1", "min = -inf", "response_scales.agree.min"),
        ("{ code = 5,", "{ code = inf,", "response_scales.agree.options[4].code"),
        ("low = 4.0, high = 5.0", "low = 4.0, high = inf", "scales.climate.bands"),
        ("max = 5", "max = nan", "response_scales.agree.max"),
    ],
)
def test_infinite_or_nan_numbers_are_refused(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    path = _write(tmp_path, VALID.replace(old, new, 1))
    with pytest.raises(DefinitionError, match=re.escape(field)):
        peoscales.load_instrument(path)


def test_very_deep_nesting_names_the_file(tmp_path: Path) -> None:
    depth = 100_000
    path = _write(tmp_path, "name = " + "[" * depth + "]" * depth + "\n")
    with pytest.raises(DefinitionError, match=re.escape(str(path)) + ".*nested too deeply"):
        peoscales.load_instrument(path)


@pytest.mark.parametrize("function", ["load_instrument", "register_instrument"])
def test_a_folder_is_not_a_definition(tmp_path: Path, function: str) -> None:
    folder = tmp_path / "defs.toml"
    folder.mkdir()
    with pytest.raises(DefinitionError, match=re.escape(str(folder)) + ".*is a folder"):
        getattr(peoscales, function)(folder)


def test_a_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError, match="no such file"):
        peoscales.register_instrument(tmp_path / "absent.toml")


def test_binary_file_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "scale.toml"
    path.write_bytes(b"\xff\xfe\x00name")
    with pytest.raises(DefinitionError, match="not UTF-8"):
        peoscales.load_instrument(path)


def test_instrument_name_lookup_does_not_strip_newlines() -> None:
    with pytest.raises(peoscales.errors.InstrumentNotFoundError):
        peoscales.get_instrument("brs\n")
