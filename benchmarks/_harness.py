"""Timing and memory measurement shared by the benchmark scripts.

Time is the best wall time of several runs, none of them traced; peak memory is the
largest allocation tracemalloc sees during one separate run (numpy reports its buffers to
it). The scripts import this module by name, as ``python benchmarks/bench_x.py`` puts
this folder on the path.
"""

from __future__ import annotations

import json
import os
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

#: Bytes in a mebibyte, for printing peaks.
MB = 2**20


def timed(fn: Callable[[], T], repeat: int = 3) -> tuple[T, float]:
    """The result of the last of ``repeat`` runs and the best wall time in seconds."""
    best = float("inf")
    out: T | None = None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return out, best  # type: ignore[return-value]


def best_cpu_time(fn: Callable[[], object], repeat: int = 3) -> float:
    """Best CPU time of this process (all its threads) over ``repeat`` runs, in seconds.

    Steadier than wall time on a shared machine, where other work takes the cores: a
    ratio of CPU times says how much work each side does, whatever the load.
    """
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def best_time(fn: Callable[[], object], repeat: int = 3) -> float:
    """Best wall time of ``repeat`` runs, in seconds."""
    return timed(fn, repeat)[1]


def peak_bytes(fn: Callable[[], object]) -> int:
    """Peak traced allocation of one run, in bytes."""
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def peak_mb(fn: Callable[[], object]) -> float:
    """Peak traced allocation of one run, in MB."""
    return peak_bytes(fn) / MB


#: Where each benchmark's last measured figures are kept (one JSON file per script).
RESULTS = Path(__file__).resolve().parent / "results"
#: Runs kept per benchmark: the README shows the range of the last ones.
RUNS_KEPT = 5


def record(benchmark: str, ratios: dict[str, float], **about: object) -> Path:
    """Keep a run's ratios (name -> measured ratio) in ``results/<benchmark>.json``, with
    the last few runs before it, and regenerate ``benchmarks/README.md`` from them.

    ``benchmark`` is the script's stem (``"bench_outofcore"``); ``about`` adds facts
    printed with the run (data size, cores, timings).
    """
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{benchmark}.json"
    runs = json.loads(path.read_text())["runs"] if path.exists() else []
    run = {"measured": time.strftime("%Y-%m-%d %H:%M"), "cores": os.cpu_count(), **about}
    run["ratios"] = {name: round(float(value), 3) for name, value in ratios.items()}
    runs = [*runs, run][-RUNS_KEPT:]
    path.write_text(json.dumps({"benchmark": f"{benchmark}.py", "runs": runs}, indent=2) + "\n")
    import make_readme  # this folder is on the path when a benchmark script runs

    make_readme.write()
    return path
