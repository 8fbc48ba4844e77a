"""Start-up time: ``import peoscales`` and ``peoscales --help`` against ``import pandas``.

Run: python benchmarks/bench_import.py [runs]

Each statement runs in a fresh interpreter, several times, interleaved so that a busy
machine slows both alike; the best and the median of the runs are printed, with the ratio
to ``import pandas`` (targets: import < 0.5 s, --help < 0.3 s). Also the first use of
``score`` and ``corr_matrix``, which load pandas and scipy.stats on demand.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from _harness import record

STATEMENTS = {
    "import pandas": [sys.executable, "-c", "import pandas"],
    "import peoscales": [sys.executable, "-c", "import peoscales"],
    "peoscales --help": [sys.executable, "-m", "peoscales", "--help"],
    "import + first score": [sys.executable, "-c", "import peoscales; peoscales.score"],
    "import + first corr_matrix": [sys.executable, "-c", "import peoscales; peoscales.corr_matrix"],
}


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    times: dict[str, list[float]] = {name: [] for name in STATEMENTS}
    for _ in range(runs):
        for name, command in STATEMENTS.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times[name].append(time.perf_counter() - start)
    pandas_best = min(times["import pandas"])
    print(f"{'statement':30} {'best s':>8} {'median s':>9} {'best / pandas':>14}")
    for name, values in times.items():
        best = min(values)
        print(f"{name:30} {best:8.3f} {statistics.median(values):9.3f} {best / pandas_best:14.2f}")
    record(
        "bench_import",
        {
            "import_s": min(times["import peoscales"]),
            "help_s": min(times["peoscales --help"]),
            "import_vs_pandas": min(times["import peoscales"]) / pandas_best,
        },
        size=f"best of {runs} fresh interpreters",
    )


if __name__ == "__main__":
    main()
