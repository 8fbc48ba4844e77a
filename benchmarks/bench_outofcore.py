"""Out-of-core scoring and correlations: dask on CSV and Parquet files versus pandas chunks.

The script makes a folder of CSV files of Likert answers (and the same data as Parquet),
then runs each method in a separate process, one after the other, and reads that
process's wall time from the first read to the result (libraries imported before: pandas
for the baseline, dask.dataframe, about 0.8 s, for the others), its peak resident memory
(``VmHWM``, which counts everything the process touched: libraries, buffers, dask's own
bookkeeping), and its CPU time (user + system, all threads; steadier than wall time on a
machine shared with other work). Every method computes the same statistics, and the
script checks that they agree before it prints any ratio.

    python benchmarks/bench_outofcore.py                 # 0.25 GB of CSV, a quick look
    python benchmarks/bench_outofcore.py --size-gb 2     # the target size
    python benchmarks/bench_outofcore.py --dir /data/x   # keep the files elsewhere

Data: one ``respondent`` number per row (counted across the files) and 20 Likert items
(BRS, SWING-12, two more five-point items), 5% of the answers missing, in files of about
``--file-mb`` MB each.

Methods:

- **baseline, pandas chunks**: ``pd.read_csv(file, chunksize=1_000_000)`` for each file
  (what one writes by hand for data that do not fit), then the same arithmetic per chunk:
  ``peoscales.score`` and sums of the scores; correlation moments merged exactly, as
  ``corr_matrix_dask`` does.
- **dask, CSV**: ``peoscales.read_csv_dask`` of the item columns only, ``float32`` codes,
  partitions of ``--blocksize`` (16 MB) parsed by pyarrow on one thread each, then
  ``score_dask`` (``.sum()`` and ``.count()`` of the scores) or ``corr_matrix_dask``.
  ``--engine c`` (or ``pyarrow``) times ``dd.read_csv`` with ``usecols``, ``float32``
  dtypes and that parser instead (pyarrow's threads compete with dask's there).
- **dask, Parquet**: ``peoscales.read_parquet_dask`` of the item columns only (column
  projection), one partition per row group of 262,144 rows, read by pyarrow on one thread
  each straight into ``float32``; ``--parquet-reader dask`` times ``dd.read_parquet`` of
  the same columns (``split_row_groups=True``) instead.

Targets: dask at least 2x faster than the baseline on CSV and 4x on Parquet, with a peak
memory no higher than the baseline's. The ratios are recorded in
``benchmarks/results/bench_outofcore.json`` and ``benchmarks/README.md`` is regenerated.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from _harness import record

INSTRUMENTS = ["brs", "swing12"]
EXTRA = ["q1", "q2"]


def item_columns() -> list[str]:
    import peoscales

    names = [iid for name in INSTRUMENTS for iid in peoscales.get_instrument(name).items]
    return names + EXTRA


# --- making the data ----------------------------------------------------------------------
def make_data(folder: Path, size_gb: float, file_mb: float, seed: int = 2026) -> int:
    """Write CSV files of about ``size_gb`` GB in ``folder/csv`` and the same as Parquet."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    columns = item_columns()
    high = np.array([4 if c.startswith("swing") else 5 for c in columns])
    bytes_per_row = 9 + 2 * len(columns)  # respondent number and "3," per item, roughly
    rows_per_file = max(1000, int(file_mb * 2**20 / bytes_per_row))
    n_files = max(2, round(size_gb * 2**30 / (rows_per_file * bytes_per_row)))
    (folder / "csv").mkdir(parents=True, exist_ok=True)
    (folder / "parquet").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    start = 0
    for k in range(n_files):
        trait = rng.standard_normal((rows_per_file, 1))
        raw = 3 + 0.8 * trait + rng.standard_normal((rows_per_file, len(columns)))
        codes = np.clip(np.rint(raw), 1, high).astype(np.int8)
        missing = rng.random(codes.shape) < 0.05
        arrays = [pa.array(np.arange(start, start + rows_per_file, dtype=np.int64))]
        arrays += [pa.array(codes[:, j], mask=missing[:, j]) for j in range(len(columns))]
        table = pa.table(arrays, names=["respondent", *columns])
        pacsv.write_csv(table, folder / "csv" / f"part_{k:04d}.csv")
        # Row groups of 256k rows: dask reads one per partition (split_row_groups).
        pq.write_table(table, folder / "parquet" / f"part_{k:04d}.parquet", row_group_size=2**18)
        start += rows_per_file
    (folder / "rows.txt").write_text(str(start))
    return start


# --- the methods, each run in its own process ---------------------------------------------
def _summary_of_scores(sums: Any, counts: Any) -> dict[str, list[float]]:
    return {"sum": [float(v) for v in sums], "count": [float(v) for v in counts]}


def run_method(method: str, folder: Path, options: argparse.Namespace) -> dict[str, Any]:
    import warnings

    import pandas as pd

    import peoscales
    from peoscales.errors import IncompleteScoresWarning

    warnings.simplefilter("ignore", IncompleteScoresWarning)
    columns = item_columns()
    csv_files = sorted((folder / "csv").glob("*.csv"))
    if not method.startswith("pandas"):
        # Imported before the clock starts, as pandas is for the baseline: importing
        # dask.dataframe takes about 0.8 s, a cost of the session, not of the reading.
        import dask
        import dask.dataframe as dd
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_start = usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    if method.startswith("pandas"):
        from functools import reduce

        from peoscales._kernels.correlation import merge_pearson_moments, pearson_moments

        sums: Any = 0.0
        counts: Any = 0
        moments = []
        for path in csv_files:
            for chunk in pd.read_csv(path, chunksize=1_000_000):
                if method == "pandas_score":
                    scores = peoscales.score(chunk, INSTRUMENTS)
                    sums = scores.sum() + sums
                    counts = scores.count() + counts
                else:
                    moments.append(pearson_moments(chunk[columns].to_numpy(dtype=np.float64)))
        if method == "pandas_score":
            out: Any = _summary_of_scores(sums, counts)
        else:
            from peoscales._kernels.correlation import pearson_from_moments

            total = reduce(merge_pearson_moments, moments)
            out = {"r": pearson_from_moments(total).r.tolist()}
    else:
        kind, what = method.split("_")[1:]
        if kind == "csv" and options.engine == "peoscales":
            ddf = peoscales.read_csv_dask(
                str(folder / "csv" / "*.csv"),
                columns=columns,
                dtype=options.dtype,
                blocksize=options.blocksize,
            )
        elif kind == "csv":
            ddf = dd.read_csv(
                str(folder / "csv" / "*.csv"),
                usecols=columns,
                dtype=dict.fromkeys(columns, options.dtype),
                blocksize=options.blocksize,
                engine=options.engine,
            )
        elif options.parquet_reader == "peoscales":
            ddf = peoscales.read_parquet_dask(folder / "parquet", columns=columns)
        else:
            ddf = dd.read_parquet(
                str(folder / "parquet"),
                columns=columns,
                split_row_groups=True,
            )
        if what == "score":
            scores = peoscales.score_dask(ddf, INSTRUMENTS)
            sums, counts = dask.compute(scores.sum(), scores.count())
            out = _summary_of_scores(sums, counts)
        else:
            out = {"r": peoscales.corr_matrix_dask(ddf).r.to_numpy().tolist()}
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu_start
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak_rss_mb(), "out": out}


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM), in MB.

    Not ``ru_maxrss``: Linux carries that over from the parent through fork and exec, so
    a child started by a process that had made the data would report the parent's peak.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux


def in_process(method: str, folder: Path, options: argparse.Namespace) -> dict[str, Any]:
    """Run one method in a fresh Python process (its own peak memory)."""
    command = [sys.executable, __file__, "--run", method, "--folder", str(folder)]
    command += ["--blocksize", options.blocksize, "--engine", options.engine]
    command += ["--dtype", options.dtype, "--parquet-reader", options.parquet_reader]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    if done.returncode:
        raise RuntimeError(f"{method} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def check_same(results: dict[str, dict[str, Any]]) -> None:
    base_s = results["pandas_score"]["out"]
    base_r = np.array(results["pandas_corr"]["out"]["r"])
    for name, res in results.items():
        if name.endswith("score"):
            np.testing.assert_array_equal(res["out"]["count"], base_s["count"])
            np.testing.assert_allclose(res["out"]["sum"], base_s["sum"], rtol=1e-10)
        else:
            np.testing.assert_allclose(np.array(res["out"]["r"]), base_r, rtol=0, atol=1e-10)


METHODS = [
    "pandas_score",
    "dask_csv_score",
    "dask_parquet_score",
    "pandas_corr",
    "dask_csv_corr",
    "dask_parquet_corr",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-gb", type=float, default=0.25)
    parser.add_argument("--file-mb", type=float, default=64.0)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/peoscales_outofcore"))
    parser.add_argument("--repeat", type=int, default=1, help="runs per method (best kept)")
    parser.add_argument("--blocksize", default="16MB", help="dask's CSV partition size")
    parser.add_argument(
        "--engine",
        default="peoscales",
        choices=["peoscales", "c", "pyarrow"],
        help="CSV reader: peoscales.read_csv_dask, or dd.read_csv with this engine",
    )
    parser.add_argument("--dtype", default="float32", help="dtype of the codes read from CSV")
    parser.add_argument(
        "--parquet-reader",
        default="peoscales",
        choices=["peoscales", "dask"],
        help="Parquet reader: peoscales.read_parquet_dask, or dd.read_parquet",
    )
    parser.add_argument("--run", help=argparse.SUPPRESS)  # one method, in a child process
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    folder = args.folder or args.dir / f"{args.size_gb:g}gb"
    if args.run:
        print(json.dumps(run_method(args.run, folder, args)))
        return
    if not (folder / "rows.txt").exists():
        t0 = time.perf_counter()
        rows = make_data(folder, args.size_gb, args.file_mb)
        print(f"made {rows:,} rows in {time.perf_counter() - t0:.0f} s")
    rows = int((folder / "rows.txt").read_text())
    csv_bytes = sum(p.stat().st_size for p in (folder / "csv").glob("*.csv"))
    pq_bytes = sum(p.stat().st_size for p in (folder / "parquet").glob("*.parquet"))
    print(
        f"{rows:,} rows x {len(item_columns())} items: CSV {csv_bytes / 2**30:.2f} GiB, "
        f"Parquet {pq_bytes / 2**30:.2f} GiB, {os.cpu_count()} cores\n"
    )
    results: dict[str, dict[str, Any]] = {}
    for method in METHODS:
        runs = [in_process(method, folder, args) for _ in range(args.repeat)]
        best = min(runs, key=lambda r: r["seconds"])
        best["peak_mb"] = max(r["peak_mb"] for r in runs)
        results[method] = best
        print(
            f"{method:20} {best['seconds']:8.2f} s wall {best['cpu']:8.2f} s CPU "
            f"{best['peak_mb']:8.0f} MB peak RSS"
        )
    check_same(results)
    print("\nall methods agree (score sums to 1e-10 relative, r to 1e-10)\n")
    ratios: dict[str, dict[str, float]] = {}
    for what in ("score", "corr"):
        base = results[f"pandas_{what}"]
        for kind in ("csv", "parquet"):
            ours = results[f"dask_{kind}_{what}"]
            speed = base["seconds"] / ours["seconds"]
            cpu = base["cpu"] / ours["cpu"]
            memory = ours["peak_mb"] / base["peak_mb"]
            ratios[f"{what}_{kind}"] = {"speed": speed, "cpu": cpu, "memory": memory}
            target = 2 if kind == "csv" else 4
            print(
                f"{what:5} dask {kind:8} {speed:5.2f}x faster than pandas chunks "
                f"(target {target}x; {cpu:4.2f}x less CPU), peak memory {memory:4.2f}x "
                "(target <= 1)"
            )
    record(
        "bench_outofcore",
        {f"{case}.{kind}": value for case, got in ratios.items() for kind, value in got.items()},
        size=f"{rows:,} rows, {csv_bytes / 2**30:.2f} GiB CSV",
        seconds={k: round(v["seconds"], 3) for k, v in results.items()},
        cpu_seconds={k: round(v["cpu"], 3) for k, v in results.items()},
        peak_mb={k: round(v["peak_mb"], 1) for k, v in results.items()},
    )


if __name__ == "__main__":
    main()
