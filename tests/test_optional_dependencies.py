"""A missing optional package gives an error that names the extra to install, in Python
and on the command line; pingouin is no runtime dependency."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import peoscales
from peoscales._cli import main
from peoscales.apa import ApaTable
from peoscales.errors import MissingDependencyError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def _hide(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    for name in names:
        monkeypatch.setitem(sys.modules, name, None)  # "import name" now fails


@pytest.mark.parametrize(
    ("module", "method", "extra"),
    [("openpyxl", "to_excel", "report"), ("docx", "to_docx", "report")],
)
def test_apa_table_files_name_the_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, module: str, method: str, extra: str
) -> None:
    _hide(monkeypatch, module)
    table = ApaTable(header=("a", "b"), rows=(("1", "2"),))
    with pytest.raises(MissingDependencyError, match=rf'pip install "peoscales\[{extra}\]"'):
        getattr(table, method)(tmp_path / "t.out")
    assert issubclass(MissingDependencyError, ImportError)


@pytest.mark.parametrize(
    ("module", "suffix", "extra"),
    [("openpyxl", ".xlsx", "report")],
)
def test_command_line_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    module: str,
    suffix: str,
    extra: str,
) -> None:
    data = peoscales.simulate("brs", 5, seed=1)
    data.insert(0, "id", list("abcde"))
    source = tmp_path / "a.csv"
    data.to_csv(source, index=False)
    _hide(monkeypatch, module)
    out = tmp_path / f"s{suffix}"
    code = main(["score", str(source), "-i", "brs", "--id", "id", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert f'pip install "peoscales[{extra}]"' in err
    assert "ModuleNotFoundError" not in err
    assert not out.exists()


def test_pingouin_is_a_test_dependency_only() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not [d for d in project["dependencies"] if d.startswith("pingouin")]
    assert [d for d in project["optional-dependencies"]["test"] if d.startswith("pingouin")]
    package = ROOT / "src" / "peoscales"
    assert not [
        p for p in package.rglob("*.py") if "import pingouin" in p.read_text(encoding="utf-8")
    ]


def test_every_runtime_dependency_is_imported_by_the_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    text = "\n".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "src" / "peoscales").rglob("*.py")
    )
    for requirement in project["dependencies"]:
        name = requirement.split(";")[0].split(">")[0].split("=")[0].strip().lower()
        module = {"tomli": "tomli", "factor_analyzer": "factor_analyzer"}.get(name, name)
        assert f"import {module}" in text or f"from {module}" in text, name


def test_parquet_output_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Only the writer is run with pyarrow hidden: pandas, once imported with pyarrow,
    # uses it for its own text columns, which a real install without pyarrow would not.
    import pandas as pd

    from peoscales._cli import _write_table

    _hide(monkeypatch, "pyarrow")
    with pytest.raises(MissingDependencyError, match=r'pip install "peoscales\[parquet\]"'):
        _write_table(pd.DataFrame({"brs": [1.0]}), tmp_path / "s.parquet")
    assert not (tmp_path / "s.parquet").exists()
