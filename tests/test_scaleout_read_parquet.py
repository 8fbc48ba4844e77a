"""Tests of peoscales.read_parquet_dask: the values pandas reads, rows numbered across files.

The reference is ``pandas.read_parquet`` on the same files (pyarrow's conversion to
pandas, independent of the reader's own buffer copies), concatenated with rows numbered
0, 1, 2, ... across the files; scores and correlations from the files read must equal
the in-memory functions on that frame.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import peoscales
from peoscales.errors import (
    DataTypeError,
    DuplicateColumnsError,
    MissingColumnsError,
    ParameterError,
)

pytest.importorskip("dask.dataframe")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

ITEMS = [f"brs_{k}" for k in range(1, 7)]


def answers(n: int, seed: int, start: int = 0) -> pa.Table:
    """Codes as int8 with missing values (how pandas writes Int8), an id and a float."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(1, 6, size=(n, len(ITEMS))).astype(np.int8)
    missing = rng.random(codes.shape) < 0.1
    arrays = [pa.array(np.arange(start, start + n) * 10 + 7)]
    arrays += [pa.array(codes[:, j], mask=missing[:, j]) for j in range(len(ITEMS))]
    arrays.append(pa.array(rng.normal(size=n)))
    return pa.table(arrays, names=["respondent", *ITEMS, "score"])


def write_files(folder: Path, sizes: list[int], row_group: int = 100) -> None:
    start = 0
    for k, n in enumerate(sizes):
        pq.write_table(answers(n, seed=k, start=start), folder / f"wave_{k:02d}.parquet",
                       row_group_size=row_group)  # fmt: skip
        start += n


def pandas_reference(folder: Path, columns: list[str], dtype: str = "float32") -> pd.DataFrame:
    frames = [pd.read_parquet(f) for f in sorted(folder.glob("*.parquet"))]
    frame = pd.concat([f for f in frames if len(f)] or frames[:1], ignore_index=True)
    return frame[columns].astype(dtype)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_numbers_rows_across_files_and_row_groups(tmp_path: Path, dtype: str) -> None:
    write_files(tmp_path, [250, 30, 0, 420])
    ddf = peoscales.read_parquet_dask(tmp_path, columns=[*ITEMS, "score"], dtype=dtype)
    assert ddf.known_divisions
    assert ddf.npartitions == 3 + 1 + 5  # row groups of 100 rows; the empty file has none
    got = ddf.compute()
    expected = pandas_reference(tmp_path, [*ITEMS, "score"], dtype)
    pd.testing.assert_frame_equal(got, expected)
    assert got.index.equals(pd.RangeIndex(700))


def test_an_id_column_as_index(tmp_path: Path) -> None:
    write_files(tmp_path, [120, 90])
    got = peoscales.read_parquet_dask(str(tmp_path / "*.parquet"), index="respondent").compute()
    expected = pandas_reference(tmp_path, [*ITEMS, "score"])
    expected.index = pd.Index(np.arange(210) * 10 + 7, name="respondent")
    pd.testing.assert_frame_equal(got, expected)


def test_true_false_read_as_one_and_zero(tmp_path: Path) -> None:
    table = pa.table({"agree": pa.array([True, False, None, True]), "x": [1, 2, 3, 4]})
    pq.write_table(table, tmp_path / "a.parquet")
    got = peoscales.read_parquet_dask(tmp_path / "a.parquet").compute()
    np.testing.assert_array_equal(got["agree"], np.array([1, 0, np.nan, 1], dtype=np.float32))


def test_a_column_of_missing_values_only_reads_as_nan(tmp_path: Path) -> None:
    # pandas writes a column of None as Arrow's null type, which has no buffers.
    pd.DataFrame({"q1": [None, None, None], "q2": [1, 2, 3]}).to_parquet(tmp_path / "a.parquet")
    assert pq.read_schema(tmp_path / "a.parquet").field("q1").type == pa.null()
    got = peoscales.read_parquet_dask(tmp_path).compute()
    expected = pd.DataFrame({"q1": [np.nan] * 3, "q2": [1.0, 2.0, 3.0]}, dtype="float32")
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.filterwarnings("ignore::peoscales.errors.IncompleteScoresWarning")
def test_scores_and_correlations_equal_the_in_memory_ones(tmp_path: Path) -> None:
    write_files(tmp_path, [400, 333, 267], row_group=128)
    ddf = peoscales.read_parquet_dask(tmp_path, columns=ITEMS)
    frame = pandas_reference(tmp_path, ITEMS).astype("float64")
    scores = peoscales.score_dask(ddf, ["brs"]).compute()
    expected = peoscales.score(frame, ["brs"])
    np.testing.assert_allclose(scores.to_numpy(), expected.to_numpy(), rtol=0, atol=1e-12)
    r = peoscales.corr_matrix_dask(ddf).r
    np.testing.assert_allclose(r, peoscales.corr_matrix(frame).r, rtol=0, atol=1e-12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sizes=st.lists(st.integers(0, 70), min_size=1, max_size=4),
    row_group=st.integers(1, 40),
    missing=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**16),
)
def test_any_row_groups_and_missing_answers_read_as_pandas_reads(
    sizes: list[int], row_group: int, missing: float, seed: int
) -> None:
    import tempfile

    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for k, n in enumerate(sizes):
            codes = rng.integers(-3, 9, size=(n, 3))
            gone = rng.random(codes.shape) < missing
            table = pa.table(
                [pa.array(codes[:, j], mask=gone[:, j], type=pa.int16()) for j in range(3)],
                names=["a", "b", "c"],
            )
            pq.write_table(table, folder / f"p{k}.parquet", row_group_size=row_group)
        got = peoscales.read_parquet_dask(folder).compute()
        expected = pandas_reference(folder, ["a", "b", "c"])
    pd.testing.assert_frame_equal(got, expected, check_index_type=False)
    assert got.index.tolist() == list(range(sum(sizes)))


def test_fill_handles_arrays_that_start_inside_a_byte() -> None:
    # Slices of an arrow array keep the parent's validity bits at an offset: in any
    # byte of the buffer, at any bit of it.
    from peoscales._scaleout_read import _fill

    rng = np.random.default_rng(5)
    codes = rng.integers(-5, 9, size=80)
    values = pa.array(codes, mask=rng.random(80) < 0.3, type=pa.int8())
    for dtype in (np.float32, np.float64):
        for start in range(0, 30):
            for length in (0, 1, 7, 8, 9, 33):
                part = pa.chunked_array(
                    [values.slice(start, length), values.slice(start + 3, 11)], type=pa.int8()
                )
                row = np.empty(length + 11, dtype=dtype)
                _fill(row, part)
                expected = np.concatenate([c.to_numpy(zero_copy_only=False) for c in part.chunks])
                np.testing.assert_array_equal(row, expected.astype(dtype))


# --- errors --------------------------------------------------------------------------------
def test_a_column_a_file_lacks_is_named_with_the_file(tmp_path: Path) -> None:
    write_files(tmp_path, [20])
    pq.write_table(pa.table({"brs_1": [1, 2]}), tmp_path / "wave_99.parquet")
    with pytest.raises(MissingColumnsError, match=r"wave_99\.parquet.*'brs_2'"):
        peoscales.read_parquet_dask(tmp_path, columns=ITEMS)
    with pytest.raises(MissingColumnsError, match="index='id' is not a column"):
        peoscales.read_parquet_dask(tmp_path, index="id")


def test_columns_that_are_not_numbers_are_refused_at_once(tmp_path: Path) -> None:
    table = pa.table({"team": ["a", "b"], "brs_1": [1, 2], "when": pa.array([1, 2], pa.date32())})
    pq.write_table(table, tmp_path / "a.parquet")
    with pytest.raises(DataTypeError, match=r"'team' \(string\), 'when' \(date32\[day\]\)"):
        peoscales.read_parquet_dask(tmp_path)
    assert peoscales.read_parquet_dask(tmp_path, columns=["brs_1"]).compute().shape == (2, 1)
    got = peoscales.read_parquet_dask(tmp_path, columns=["brs_1"], index="team").compute()
    assert got.index.tolist() == ["a", "b"]


def test_a_duplicated_column_is_refused(tmp_path: Path) -> None:
    table = pa.Table.from_arrays([pa.array([1, 2]), pa.array([3, 4])], names=["x", "x"])
    pq.write_table(table, tmp_path / "a.parquet")
    with pytest.raises(DuplicateColumnsError, match="more than one column named 'x'"):
        peoscales.read_parquet_dask(tmp_path / "a.parquet")


def test_a_file_that_is_not_parquet_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.parquet").write_text("brs_1\n1\n")
    with pytest.raises(DataTypeError, match=r"a\.parquet' cannot be read as Parquet"):
        peoscales.read_parquet_dask(tmp_path)


@pytest.mark.parametrize(
    ("values", "kind"),
    [([1, 2**24 + 1], pa.int64()), ([1.0, 1e39], pa.float64()), ([3, 2**31 - 1], pa.int32())],
)
def test_numbers_float32_would_change_are_refused(tmp_path: Path, values, kind) -> None:
    pq.write_table(pa.table({"x": pa.array(values, kind)}), tmp_path / "a.parquet")
    ddf = peoscales.read_parquet_dask(tmp_path)
    with pytest.raises(DataTypeError, match=r"column 'x' holds numbers float32 cannot hold"):
        ddf.compute()
    wide = peoscales.read_parquet_dask(tmp_path, dtype="float64").compute()
    np.testing.assert_array_equal(wide["x"], np.array(values, dtype=np.float64))


def test_decimals_are_rounded_to_float32_by_request(tmp_path: Path) -> None:
    pq.write_table(pa.table({"x": [0.1, 2.5, None]}), tmp_path / "a.parquet")
    got = peoscales.read_parquet_dask(tmp_path).compute()["x"].to_numpy()
    np.testing.assert_array_equal(got, np.array([0.1, 2.5, np.nan], dtype=np.float32))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"dtype": "int8"}, ParameterError, "dtype must be one of"),
        ({"index": 3}, ParameterError, "index must be the name of one column"),
        ({"columns": "brs_1"}, ParameterError, "got the string 'brs_1'"),
        ({"columns": []}, ParameterError, "non-empty list"),
        ({"columns": ["brs_1", "brs_1"]}, ParameterError, "more than once"),
        ({"columns": ["respondent"], "index": "respondent"}, ParameterError, "which is index="),
    ],
)
def test_arguments_are_checked(tmp_path: Path, kwargs, error, match) -> None:
    write_files(tmp_path, [10])
    with pytest.raises(error, match=match):
        peoscales.read_parquet_dask(tmp_path, **kwargs)


def test_paths_are_checked(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"has no \*\.parquet files"):
        peoscales.read_parquet_dask(tmp_path)
    with pytest.raises(FileNotFoundError, match="matches no file"):
        peoscales.read_parquet_dask(str(tmp_path / "*.parquet"))
    with pytest.raises(ParameterError, match="path must be a Parquet file"):
        peoscales.read_parquet_dask(3)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="path must be a Parquet file"):
        peoscales.read_parquet_dask([])


def test_files_without_rows_give_an_empty_frame(tmp_path: Path) -> None:
    pq.write_table(pa.table({"x": pa.array([], pa.int8())}), tmp_path / "a.parquet")
    got = peoscales.read_parquet_dask(tmp_path).compute()
    assert got.shape == (0, 1)
    assert got["x"].dtype == np.float32
