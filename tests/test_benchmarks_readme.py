"""benchmarks/README.md is generated from the scripts and their recorded ratios."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture
def make_readme():
    spec = importlib.util.spec_from_file_location("make_readme", BENCHMARKS / "make_readme.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_is_up_to_date(make_readme) -> None:
    readme = (BENCHMARKS / "README.md").read_text(encoding="utf-8")
    assert readme == make_readme.render(), "run python benchmarks/make_readme.py"


def test_every_benchmark_has_a_row(make_readme) -> None:
    text = make_readme.render()
    for script in BENCHMARKS.glob("bench_*.py"):
        assert f"| `{script.name}` |" in text


def test_recorded_ratios_show_as_a_range(make_readme, tmp_path, monkeypatch) -> None:
    results = tmp_path / "results"
    results.mkdir()
    runs = [
        {"measured": "2026-01-01 10:00", "cores": 2, "ratios": {"speed": 7.5}},
        {"measured": "2026-01-02 10:00", "cores": 2, "ratios": {"speed": 9.25}},
    ]
    (results / "bench_scoring.json").write_text(json.dumps({"runs": runs}))
    monkeypatch.setattr(make_readme, "RESULTS", results)
    text = make_readme.render()
    row = next(line for line in text.splitlines() if "`bench_scoring.py`" in line)
    assert "| speed | >= 8x | 7.50-9.25x |" in row
    assert "- `bench_scoring.py`: 2 run(s), last 2026-01-02 10:00 on 2 cores." in text
    assert "| not recorded yet |" in text  # the scripts without results


def test_every_benchmark_has_an_entry(make_readme) -> None:
    unlisted = [s.name for s in BENCHMARKS.glob("bench_*.py") if s.name not in make_readme.ENTRIES]
    assert not unlisted, "add their baseline and targets to make_readme.ENTRIES"


def test_a_script_without_an_entry_gets_a_row_that_says_so(make_readme, monkeypatch) -> None:
    monkeypatch.setattr(make_readme, "ENTRIES", {})
    text = make_readme.render()
    assert "| `bench_scoring.py` |" in text
    assert "(no entry in make_readme.ENTRIES yet)" in text
