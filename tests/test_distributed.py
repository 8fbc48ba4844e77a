"""The dask functions on a real cluster: dask.distributed with two worker processes.

The same calls as on dask's local scheduler, computed by a ``LocalCluster`` of two
processes (one thread each), so every partition is pickled to a worker, computed there
and its statistics sent back. Results must equal the in-memory functions to 1e-12.
Marked ``distributed``: deselect with ``-m "not distributed"``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import peoscales
from peoscales import peo
from peoscales.errors import IncompleteScoresWarning

distributed = pytest.importorskip("distributed")
dd = pytest.importorskip("dask.dataframe")

pytestmark = pytest.mark.distributed

SAME = 1e-12
INSTRUMENTS = ["brs", "swing12", "wbns"]


@pytest.fixture(scope="module")
def client():
    with warnings.catch_warnings():
        # Starting a cluster may warn about the machine (ports, memory limits): not ours.
        warnings.simplefilter("ignore")
        cluster = distributed.LocalCluster(
            processes=True, n_workers=2, threads_per_worker=1, dashboard_address=None
        )
        client = distributed.Client(cluster)
    try:
        yield client
    finally:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            client.close()
            cluster.close()


def in_memory_scores(data: pd.DataFrame, instrument) -> pd.DataFrame:
    """peoscales.score, without its warning about respondents below the minimum (the
    dask version issues none; both give those respondents a missing score)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IncompleteScoresWarning)
        return peoscales.score(data, instrument)


@pytest.fixture(scope="module")
def answers() -> pd.DataFrame:
    data = peoscales.simulate(INSTRUMENTS, 3000, seed=11, missing_share=0.05)
    data.index = pd.Index([f"p{i:05d}" for i in range(len(data))], name="respondent")
    return data


def test_the_work_runs_on_the_workers(client, answers) -> None:
    ddf = dd.from_pandas(answers, npartitions=6)
    scores = peoscales.score_dask(ddf, INSTRUMENTS)
    future = client.compute(scores)
    computed = future.result()
    assert len(client.scheduler_info()["workers"]) == 2
    who = client.who_has(future)
    assert who  # the result was held by a worker process
    whole = in_memory_scores(answers, INSTRUMENTS)
    # (dask stores text labels as its own string dtype; the labels and order are kept)
    assert computed.index.tolist() == whole.index.tolist()
    pd.testing.assert_frame_equal(
        computed, whole, check_exact=False, atol=SAME, rtol=0, check_index_type=False
    )


def test_corr_matrix_dask_on_the_cluster(client, answers) -> None:
    scores = in_memory_scores(answers, INSTRUMENTS)
    ours = peoscales.corr_matrix_dask(dd.from_pandas(scores, npartitions=5), adjust="holm")
    whole = peoscales.corr_matrix(scores, adjust="holm")
    for name in ("r", "n", "p", "p_adjusted", "ci_low", "ci_high"):
        np.testing.assert_allclose(getattr(ours, name), getattr(whole, name), atol=SAME, rtol=0)


@pytest.mark.parametrize("missing", ["pairwise", "listwise"])
def test_reliability_dask_on_the_cluster(client, answers, missing) -> None:
    ddf = dd.from_pandas(answers, npartitions=4)
    ours = peoscales.reliability_dask(ddf, "wbns", missing=missing, seed=3)
    whole = peoscales.reliability(answers, "wbns", missing=missing, seed=3)
    left, right = ours.table(), whole.table()
    iterative = ["omega_total"]  # a minres fit, stopped at its tolerance
    pd.testing.assert_frame_equal(
        left.drop(columns=iterative), right.drop(columns=iterative),
        check_exact=False, atol=SAME, rtol=0,
    )  # fmt: skip
    np.testing.assert_allclose(left[iterative], right[iterative], atol=1e-9)
    pd.testing.assert_frame_equal(ours.items(), whole.items(), check_exact=False, atol=SAME, rtol=0)


def test_describe_dask_on_the_cluster(client, answers) -> None:
    scores = in_memory_scores(answers, INSTRUMENTS)
    ours = peoscales.describe_dask(dd.from_pandas(scores, npartitions=4))
    whole = peoscales.describe(scores)
    pd.testing.assert_frame_equal(ours.table, whole.table, check_exact=False, atol=SAME, rtol=0)


def test_frequency_table_dask_on_the_cluster(client) -> None:
    wave = peo.code_wave(peo.load_demo_export(), wave="2021-09").data
    ddf = dd.from_pandas(wave, npartitions=3)
    for item in ("stay_one_year", "space_reflect", "employer"):
        ours = peoscales.frequency_table_dask(ddf, item, codebook="2021-09")
        whole = peoscales.frequency_table(wave, item, codebook="2021-09")
        pd.testing.assert_frame_equal(ours.table, whole.table)


def test_progress_bar_on_the_cluster(client, answers, capsys) -> None:
    ddf = dd.from_pandas(answers[["brs_1", "brs_2", "brs_3"]], npartitions=3)
    ours = peoscales.corr_matrix_dask(ddf, progress=True)
    np.testing.assert_allclose(
        ours.r, peoscales.corr_matrix(answers[["brs_1", "brs_2", "brs_3"]]).r, atol=SAME
    )
    assert "100%" in capsys.readouterr().out


def test_respondent_index_across_files(client, answers, tmp_path: Path) -> None:
    """dask's read_csv numbers the rows of each file from 0; an id column keeps them."""
    for k, start in enumerate(range(0, len(answers), 1000)):
        answers.iloc[start : start + 1000].to_csv(tmp_path / f"wave_{k}.csv")
    read = dd.read_csv(str(tmp_path / "wave_*.csv"))
    numbered = peoscales.score_dask(read, "brs").compute()
    assert not numbered.index.is_unique  # 0, 1, ... again in every file
    by_id = dd.read_csv(str(tmp_path / "wave_*.csv")).set_index("respondent", sorted=True)
    scores = peoscales.score_dask(by_id, "brs").compute()
    whole = in_memory_scores(answers, "brs")
    assert scores.index.tolist() == whole.index.tolist()
    np.testing.assert_allclose(scores["brs"], whole["brs"], atol=SAME, rtol=0)
