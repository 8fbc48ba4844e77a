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


@pytest.mark.parametrize("ids", [[31, 17, 5], ["r31", "r17", "r5"]])
def test_the_index_has_the_type_of_the_id_column(tmp_path: Path, ids: list) -> None:
    pq.write_table(pa.table({"id": ids, "q": [1, 2, 3]}), tmp_path / "a.parquet", row_group_size=2)
    ddf = peoscales.read_parquet_dask(tmp_path, index="id")
    got = ddf.compute()
    assert got.index.tolist() == ids
    assert ddf._meta.index.dtype == got.index.dtype
    assert isinstance(ids[0], str) or got.index.dtype == np.int64
    assert not ddf.known_divisions


def test_the_index_pandas_stored_is_no_column(tmp_path: Path) -> None:
    # pandas writes an index other than 0, 1, 2, ... (a filtered frame's) as a column
    # '__index_level_0__', and a named one under its name; it reads them as the index.
    frame = pd.DataFrame({"respondent": [10, 12, 11, 13], "q1": [1, 2, 3, 4], "q2": [4, 3, 2, 1]})
    frame[frame.q1 != 2].to_parquet(tmp_path / "a.parquet")
    frame.set_index("respondent").to_parquet(tmp_path / "b.parquet")
    assert "__index_level_0__" in pq.read_schema(tmp_path / "a.parquet").names
    got = peoscales.read_parquet_dask(tmp_path / "a.parquet").compute()
    assert list(got.columns) == list(pd.read_parquet(tmp_path / "a.parquet").columns)
    got = peoscales.read_parquet_dask(tmp_path / "b.parquet").compute()
    assert list(got.columns) == ["q1", "q2"]
    got = peoscales.read_parquet_dask(tmp_path / "b.parquet", index="respondent").compute()
    pd.testing.assert_frame_equal(got, pd.read_parquet(tmp_path / "b.parquet").astype("float32"))
    # Asked for by name, it is read.
    got = peoscales.read_parquet_dask(tmp_path / "a.parquet", columns=["__index_level_0__"])
    assert got.compute()["__index_level_0__"].tolist() == [0.0, 2.0, 3.0]


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
    dtype=st.sampled_from(["float32", "float64"]),
    statistics=st.booleans(),
)
def test_any_row_groups_and_missing_answers_read_as_pandas_reads(
    sizes: list[int], row_group: int, missing: float, seed: int, dtype: str, statistics: bool
) -> None:
    import tempfile

    rng = np.random.default_rng(seed)
    kinds = [pa.int8(), pa.int16(), pa.int64(), pa.float64()]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for k, n in enumerate(sizes):
            codes = rng.integers(-3, 9, size=(n, 4))
            gone = rng.random(codes.shape) < missing
            table = pa.table(
                [pa.array(codes[:, j], mask=gone[:, j]).cast(kinds[j]) for j in range(4)],
                names=["a", "b", "c", "d"],
            )
            pq.write_table(
                table, folder / f"p{k}.parquet", row_group_size=row_group,
                write_statistics=statistics,
            )  # fmt: skip
        ddf = peoscales.read_parquet_dask(folder, dtype=dtype)
        got = ddf.compute()
        expected = pandas_reference(folder, ["a", "b", "c", "d"], dtype)
    pd.testing.assert_frame_equal(got, expected, check_index_type=False)
    assert got.index.tolist() == list(range(sum(sizes)))
    assert ddf.known_divisions


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(
        st.one_of(st.none(), st.integers(-(2**26), 2**26), st.integers(-(2**63), 2**63 - 1)),
        min_size=1,
        max_size=30,
    ),
    row_group=st.integers(1, 10),
    statistics=st.booleans(),
    dtype=st.sampled_from(["float32", "float64"]),
)
def test_whole_numbers_are_refused_exactly_when_rounded(
    values: list, row_group: int, statistics: bool, dtype: str
) -> None:
    import tempfile

    kind = np.float32 if dtype == "float32" else np.float64
    rounded = [v for v in values if v is not None and int(kind(v)) != v]
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "a.parquet"
        pq.write_table(
            pa.table({"x": pa.array(values, pa.int64())}), path, row_group_size=row_group,
            write_statistics=statistics,
        )  # fmt: skip
        if rounded:
            with pytest.raises(DataTypeError, match=rf"'x' holds numbers {dtype} cannot hold"):
                peoscales.read_parquet_dask(path, dtype=dtype).compute()
            return
        got = peoscales.read_parquet_dask(path, dtype=dtype).compute()["x"].tolist()
    assert [None if np.isnan(g) else int(g) for g in got] == values


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


def write_x(folder: Path, values: list, kind: pa.DataType, statistics: bool) -> Path:
    path = folder / "a.parquet"
    pq.write_table(pa.table({"x": pa.array(values, kind)}), path, write_statistics=statistics)
    return path


@pytest.mark.parametrize("statistics", [True, False])
@pytest.mark.parametrize(
    ("values", "kind"),
    [
        ([1, 2**24 + 1], pa.int64()),
        ([None, 3, 2**31 - 1], pa.int32()),
        ([5, 2**32 - 1], pa.uint32()),
        ([1.0, None, 1e39], pa.float64()),
        ([-1e39, 1.0], pa.float64()),
    ],
)
def test_numbers_float32_would_change_are_refused(
    tmp_path: Path, values: list, kind: pa.DataType, statistics: bool
) -> None:
    # From the row group's least and greatest values at once; without them, when read.
    write_x(tmp_path, values, kind, statistics)
    message = r"a\.parquet', row group 0: column 'x' holds numbers float32 cannot hold"
    with pytest.raises(DataTypeError, match=message + r".*read them with dtype='float64'"):
        peoscales.read_parquet_dask(tmp_path).compute()
    if not statistics:
        peoscales.read_parquet_dask(tmp_path)  # nothing read yet
    wide = peoscales.read_parquet_dask(tmp_path, dtype="float64").compute()
    np.testing.assert_array_equal(wide["x"], np.array(values, dtype=np.float64))


@pytest.mark.parametrize("statistics", [True, False])
def test_a_rounded_number_between_exact_ends_is_found_when_read(
    tmp_path: Path, statistics: bool
) -> None:
    # 2**25 and -2**26 are float32 numbers; 2**24 + 3 between them is not.
    write_x(tmp_path, [2**25, 2**24 + 3, -(2**26), None], pa.int64(), statistics)
    ddf = peoscales.read_parquet_dask(tmp_path)
    with pytest.raises(
        DataTypeError, match=r"column 'x' holds numbers float32 cannot hold \(e\.g\. 16777219\)"
    ):
        ddf.compute()


@pytest.mark.parametrize("statistics", [True, False])
@pytest.mark.parametrize(
    ("values", "kind"),
    [
        ([2**25, -(2**30), None, 2**40], pa.int64()),
        ([2**64 - 2**40, 7], pa.uint64()),
        ([3.0e38, -3.0e38, None], pa.float64()),
        ([float("inf"), 1.0, float("-inf"), float("nan")], pa.float64()),
    ],
)
def test_big_numbers_float32_holds_are_read(
    tmp_path: Path, values: list, kind: pa.DataType, statistics: bool
) -> None:
    write_x(tmp_path, values, kind, statistics)
    got = peoscales.read_parquet_dask(tmp_path).compute()["x"].to_numpy()
    expected = pd.read_parquet(tmp_path / "a.parquet")["x"].astype("float32").to_numpy()
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("statistics", [True, False])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_whole_numbers_no_float_holds_are_refused(
    tmp_path: Path, dtype: str, statistics: bool
) -> None:
    # Beyond 2**53 float64 rounds too: a hint to read them as float64 would not help.
    write_x(tmp_path, [12, 2**53 + 1], pa.int64(), statistics)
    with pytest.raises(
        DataTypeError,
        match=rf"'x' holds numbers {dtype} cannot hold \(e\.g\. 9007199254740993\); no float "
        r"type holds them exactly: leave the column out with columns=\[\.\.\.\], or use it "
        r"as the index",
    ):
        peoscales.read_parquet_dask(tmp_path, dtype=dtype).compute()
    write_x(tmp_path, [12, 2**64 - 1], pa.uint64(), statistics)
    with pytest.raises(DataTypeError, match=r"e\.g\. 18446744073709551615"):
        peoscales.read_parquet_dask(tmp_path, dtype=dtype).compute()
    # As the index they are kept whole.
    pq.write_table(
        pa.table({"id": pa.array([2**53 + 1, 2**60 + 3]), "q": [1, 2]}),
        tmp_path / "a.parquet",
        write_statistics=statistics,
    )
    got = peoscales.read_parquet_dask(tmp_path, index="id", dtype=dtype).compute()
    assert got.index.tolist() == [2**53 + 1, 2**60 + 3]


def test_values_are_looked_at_only_where_the_statistics_leave_it_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import peoscales._scaleout_read as reader

    looked: list[str] = []
    real = reader._check_changed
    monkeypatch.setattr(
        reader, "_check_changed", lambda group, row, column, name, dtype: (
            looked.append(f"{Path(group.path).name}:{group.group}:{name}"),
            real(group, row, column, name, dtype),
        )
    )  # fmt: skip
    ids = pa.array(np.arange(300, dtype=np.int64) * 1000)  # up to 299,000: float32 holds them
    rows = np.arange(300, dtype=np.int64)
    big = pa.array(np.where(rows < 150, rows, rows * 2**20))  # 2nd row group: beyond 2**24
    pq.write_table(pa.table({"id": ids, "big": big}), tmp_path / "a.parquet", row_group_size=150)
    pq.write_table(pa.table({"id": ids, "big": big}), tmp_path / "b.parquet", row_group_size=150,
                   write_statistics=["big"])  # fmt: skip
    got = peoscales.read_parquet_dask(tmp_path).compute(scheduler="sync")
    assert sorted(looked) == [
        "a.parquet:1:big",
        "b.parquet:0:id",
        "b.parquet:1:big",
        "b.parquet:1:id",
    ]
    looked.clear()
    peoscales.read_parquet_dask(tmp_path, dtype="float64").compute(scheduler="sync")
    assert sorted(looked) == ["b.parquet:0:id", "b.parquet:1:id"]  # no statistics
    expected = pandas_reference(tmp_path, ["id", "big"])
    pd.testing.assert_frame_equal(got, expected)


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
    pq.write_table(pa.table({"x": pa.array([], pa.int8())}), tmp_path / "b.parquet")
    ddf = peoscales.read_parquet_dask(tmp_path)
    assert ddf.npartitions == 1
    assert ddf.divisions == (0, 0)
    got = ddf.compute()
    assert got.shape == (0, 1)
    assert got["x"].dtype == np.float32
    assert isinstance(got.index, pd.RangeIndex)
    table = pa.table({"id": pa.array([], pa.int64()), "x": pa.array([], pa.int8())})
    pq.write_table(table, tmp_path / "a.parquet")
    pq.write_table(table, tmp_path / "b.parquet")
    got = peoscales.read_parquet_dask(tmp_path, index="id", dtype="float64").compute()
    assert got.shape == (0, 1)
    assert got.index.name == "id"
    assert got.index.dtype == np.int64
    assert got["x"].dtype == np.float64


def test_a_file_without_row_groups_among_others(tmp_path: Path) -> None:
    write_files(tmp_path, [0, 150, 0, 60])  # a file of one row group of no rows, ...
    schema = pq.read_schema(tmp_path / "wave_01.parquet")
    pq.ParquetWriter(tmp_path / "wave_00.parquet", schema).close()  # ... one of none
    assert pq.ParquetFile(tmp_path / "wave_00.parquet").metadata.num_row_groups == 0
    assert pq.ParquetFile(tmp_path / "wave_02.parquet").metadata.num_row_groups == 1
    ddf = peoscales.read_parquet_dask(tmp_path, columns=ITEMS)
    assert ddf.divisions == (0, 100, 150, 209)
    pd.testing.assert_frame_equal(ddf.compute(), pandas_reference(tmp_path, ITEMS))
