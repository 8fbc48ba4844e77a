"""Write ``benchmarks/README.md``: every benchmark, its baseline, target and last ratios.

    python benchmarks/make_readme.py          # write the README
    python benchmarks/make_readme.py --check  # exit 1 when the README is out of date

What each script measures is the first line of its docstring; its baseline and targets
are listed in :data:`ENTRIES` below (a ``bench_*.py`` without an entry gets a row that
says so: add one);
the measured ratios are read from ``results/<script>.json``, which a script writes
through ``_harness.record`` each time it runs (the README is then regenerated). The
table shows the range over the last runs kept, so one lucky or unlucky run on a shared
machine does not stand alone. Nothing here is typed by hand but the targets.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
RESULTS = HERE / "results"


class Entry(NamedTuple):
    baseline: str
    #: Ratio name (as the script records it) -> target, e.g. {"speed": ">= 8x"}.
    targets: dict[str, str]


ENTRIES: dict[str, Entry] = {
    "bench_alpha.py": Entry(
        "pingouin.cronbach_alpha on each of the same 1,000 resamples",
        {"complete": ">= 200x", "missing": ">= 200x"},
    ),
    "bench_correlation.py": Entry(
        "pandas DataFrame.corr() (r only)", {"speed": "faster than pandas"}
    ),
    "bench_factor.py": Entry(
        "a Python loop of eigvalsh (parallel analysis); semopy (CFA)",
        {"parallel_analysis.speed": "faster", "cfa.speed": "faster"},
    ),
    "bench_groups.py": Entry(
        "pandas agg; pingouin ttest, anova, pairwise tests, chi2_independence",
        {"welch_ttest": ">= 1x pingouin"},
    ),
    "bench_import.py": Entry("import pandas", {"import_s": "< 0.5 s", "help_s": "< 0.3 s"}),
    "bench_mediation.py": Entry(
        "pingouin.mediation_analysis with the same number of resamples", {"speed": ">= 100x"}
    ),
    "bench_multi_coding.py": Entry(
        "frame.notna() / Series.str.get_dummies (ratios: code_wave time / pandas time)",
        {
            f"{layout}.time n={n}": "flat as n grows"
            for layout in ("boxes", "listed")
            for n in ("10,000", "100,000", "1,000,000")
        },
    ),
    "bench_outofcore.py": Entry(
        "pandas read_csv(chunksize=1,000,000) + the same arithmetic, its own process",
        {
            "score_csv.speed": ">= 2x",
            "score_parquet.speed": ">= 4x",
            "corr_csv.speed": ">= 2x",
            "corr_parquet.speed": ">= 4x",
            "score_csv.memory": "<= 1x",
            "score_parquet.memory": "<= 1x",
            "corr_csv.memory": "<= 1x",
            "corr_parquet.memory": "<= 1x",
        },
    ),
    "bench_peo_tables.py": Entry(
        "value_counts, pd.crosstab", {"frequency_vs_value_counts": "<= 1.5x"}
    ),
    "bench_plot.py": Entry(
        "value_counts per item (counting)", {"likert_s": "< 1 s", "heatmap_s": "< 1 s"}
    ),
    "bench_regression.py": Entry(
        "statsmodels OLS per step, z-scored betas, anova_lm, VIF per predictor",
        {"speed": "faster"},
    ),
    "bench_scaleout.py": Entry(
        "the same statistics on the data in memory (ratios: dask / in memory)",
        {
            "corr.time": "report",
            "corr.memory": "< 1x",
            "score.time": "report",
            "score.memory": "< 1x",
        },
    ),
    "bench_scoring.py": Entry(
        "idiomatic pandas (copy, reverse, mean per scale, mask by count)",
        {"speed": ">= 8x", "vs_read_pass": "<= 4x"},
    ),
    "bench_study.py": Entry(
        "the same analyses called directly (score, reliability, categorize, corr_matrix, anova)",
        {"overhead": "<= 1.5x"},
    ),
    "bench_trend.py": Entry(
        "pd.crosstab, scipy chi2_contingency and f_oneway", {"speed": "faster"}
    ),
}


#: The row of a script that has no entry yet.
UNLISTED = Entry("(no entry in make_readme.ENTRIES yet)", {"": ""})


def what_it_measures(script: Path) -> str:
    """The first line of the script's docstring (read, not imported)."""
    doc = ast.get_docstring(ast.parse(script.read_text(encoding="utf-8"))) or ""
    return doc.strip().splitlines()[0].rstrip(".") if doc.strip() else script.stem


def measured(script: Path) -> dict[str, tuple[float, float]]:
    """Ratio name -> (lowest, highest) over the runs kept for the script."""
    path = RESULTS / f"{script.stem}.json"
    if not path.exists():
        return {}
    ranges: dict[str, tuple[float, float]] = {}
    for run in json.loads(path.read_text())["runs"]:
        for name, value in run["ratios"].items():
            low, high = ranges.get(name, (value, value))
            ranges[name] = (min(low, value), max(high, value))
    return ranges


def last_run(script: Path) -> str:
    path = RESULTS / f"{script.stem}.json"
    if not path.exists():
        return ""
    runs = json.loads(path.read_text())["runs"]
    last = runs[-1]
    size = f", {last['size']}" if "size" in last else ""
    return f"{len(runs)} run(s), last {last['measured']} on {last['cores']} cores{size}"


def _number(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:.0f}"


def _shown(name: str, low: float, high: float) -> str:
    """``1.10-1.32x`` for ratios; ``0.03-0.05 s`` for times (names ending in ``_s``)."""
    unit = " s" if name.endswith("_s") else "x"
    if _number(low) == _number(high):  # equal as shown: one figure, not "0.02-0.02"
        return f"{_number(low)}{unit}"
    return f"{_number(low)}-{_number(high)}{unit}"


def render() -> str:
    scripts = sorted(HERE.glob("bench_*.py"))
    lines = [
        "# Benchmarks",
        "",
        "Generated by `python benchmarks/make_readme.py` from each script's docstring, the",
        "targets in `make_readme.ENTRIES` and the ratios the scripts record in",
        "`results/<script>.json` when they run (the range over the last runs kept). Do not",
        "edit by hand. Ratios are measured side by side with the baseline in the same run;",
        "`speed` is baseline time / peoscales time, `memory` peoscales / baseline peak.",
        "",
        "| benchmark | what it measures | baseline | ratio | target | last measured |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    notes = []
    for script in scripts:
        entry = ENTRIES.get(script.name, UNLISTED)
        ranges = measured(script)
        names = list(dict.fromkeys([*entry.targets, *ranges]))
        for k, name in enumerate(names):
            low_high = ranges.get(name)
            shown = "not recorded yet" if low_high is None else _shown(name, *low_high)
            first = k == 0
            lines.append(
                f"| {'`' + script.name + '`' if first else ''} "
                f"| {what_it_measures(script) if first else ''} "
                f"| {entry.baseline if first else ''} | {name} "
                f"| {entry.targets.get(name, '')} | {shown} |"
            )
        run = last_run(script)
        if run:
            notes.append(f"- `{script.name}`: {run}.")
    if notes:
        lines += ["", "Runs recorded:", "", *notes]
    return "\n".join(lines) + "\n"


def write() -> None:
    README.write_text(render(), encoding="utf-8")


def main() -> None:
    if "--check" in sys.argv[1:]:
        current = README.read_text(encoding="utf-8") if README.exists() else ""
        if current != render():
            print("benchmarks/README.md is out of date: run python benchmarks/make_readme.py")
            raise SystemExit(1)
        return
    write()
    print(f"wrote {README}")


if __name__ == "__main__":
    main()
