"""A folder of files read with dask: one odd file is named in the error."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import peoscales
from peoscales.errors import DataTypeError, MissingColumnsError

dd = pytest.importorskip("dask.dataframe")

ITEMS = [f"brs_{i}" for i in range(1, 7)]


def folder(tmp_path, odd: str) -> str:
    rng = np.random.default_rng(3)
    for k in range(3):
        frame = pd.DataFrame(rng.integers(1, 6, size=(5, 6)), columns=ITEMS)
        frame.to_csv(tmp_path / f"wave_{k}.csv", index=False)
    odd_path = tmp_path / "wave_3.csv"
    if odd == "shape":
        pd.DataFrame(rng.integers(1, 6, size=(5, 5)), columns=ITEMS[:5]).to_csv(
            odd_path, index=False
        )
    else:  # a quote never closed: the CSV reader cannot read it
        odd_path.write_text(",".join(ITEMS) + '\n3,3,"3,3,3,3\n4,4,4,4,4,4\n', encoding="utf-8")
    return str(tmp_path / "*.csv")


def test_score_dask_names_the_file_of_another_shape(tmp_path):
    ddf = dd.read_csv(folder(tmp_path, "shape"))
    with pytest.raises(MissingColumnsError, match=r"wave_3\.csv.*partition 3.*'brs_6'"):
        peoscales.score_dask(ddf, "brs").compute()


def test_corr_matrix_dask_names_the_file_of_another_shape(tmp_path):
    ddf = dd.read_csv(folder(tmp_path, "shape"))
    with pytest.raises(MissingColumnsError, match=r"wave_3\.csv.*'brs_6'.*different columns"):
        peoscales.corr_matrix_dask(ddf)


def test_corr_matrix_dask_names_the_damaged_file(tmp_path):
    ddf = dd.read_csv(folder(tmp_path, "damaged"))
    with pytest.raises(DataTypeError, match=r"wave_3\.csv.*ParserError.*damaged"):
        peoscales.corr_matrix_dask(ddf)


def test_from_pandas_names_the_partition(tmp_path):
    data = pd.DataFrame({"brs_1": [1.0, 2.0, 9.0, 3.0]})
    for item in ITEMS[1:]:
        data[item] = 3.0
    ddf = dd.from_pandas(data, npartitions=2)
    with pytest.raises(peoscales.errors.OutOfRangeError, match=r"^partition 1: "):
        peoscales.score_dask(ddf, "brs").compute()
