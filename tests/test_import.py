"""``import peoscales`` is light: public names load on first use, heavy libraries only
when a function needs them, and the namespace shows functions and results only."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import types

import peoscales

HEAVY = ("statsmodels", "matplotlib", "dask", "pingouin", "patsy", "docx", "openpyxl")


def _modules_after(code: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport json, sys; print(json.dumps(sorted(sys.modules)))"],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_loads_no_heavy_library() -> None:
    loaded = _modules_after("import peoscales")
    assert not [m for m in loaded if m.split(".")[0] in HEAVY]
    assert "pandas" not in loaded  # nothing is imported until it is used


def test_scoring_loads_no_statistics_library() -> None:
    loaded = _modules_after("import peoscales; peoscales.score")
    assert not [m for m in loaded if m.split(".")[0] in HEAVY]


def test_the_command_line_help_loads_no_data_library() -> None:
    loaded = _modules_after("import peoscales._cli")
    assert "pandas" not in loaded and "numpy" not in loaded


def test_every_public_name_resolves_and_equals_its_definition() -> None:
    for name in peoscales.__all__:
        value = getattr(peoscales, name)
        assert value is not None, name
        if not isinstance(value, types.ModuleType) and name in peoscales._LAZY:
            module = importlib.import_module(peoscales._LAZY[name])
            assert getattr(module, name) is value, name


def test_namespace_shows_functions_results_and_subpackages_only() -> None:
    shown = dir(peoscales)
    assert shown == sorted(peoscales.__all__)
    modules = [n for n in shown if isinstance(getattr(peoscales, n), types.ModuleType)]
    assert set(modules) <= set(peoscales._SUBMODULES)
    assert not [n for n in shown if n.startswith("_") and n != "__version__"]
    assert "correlation" not in shown and "regression" not in shown


def test_unknown_names_raise_attribute_error() -> None:
    try:
        peoscales.not_a_function  # noqa: B018
    except AttributeError as exc:
        assert "not_a_function" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("no AttributeError")
