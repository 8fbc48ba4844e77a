"""Tests of peoscales.read_csv_dask: the values pandas reads, rows numbered across files.

The reference is ``pandas.read_csv`` on the same files (its C parser, independent of
pyarrow's), concatenated with rows numbered 0, 1, 2, ... across the files; scores and
correlations from the files read must equal the in-memory functions on that frame.
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
pytest.importorskip("pyarrow")

ITEMS = [f"brs_{k}" for k in range(1, 7)]


def answers(n: int, seed: int, start: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    codes = rng.integers(1, 6, size=(n, len(ITEMS))).astype(float)
    codes[rng.random(codes.shape) < 0.1] = np.nan
    frame = pd.DataFrame(codes, columns=ITEMS)
    frame.insert(0, "respondent", np.arange(start, start + n) * 10 + 7)
    return frame


def write_files(folder: Path, sizes: list[int]) -> list[pd.DataFrame]:
    parts, start = [], 0
    for k, n in enumerate(sizes):
        part = answers(n, seed=k, start=start)
        part.to_csv(folder / f"wave_{k:02d}.csv", index=False)
        parts.append(part)
        start += n
    return parts


def pandas_reference(folder: Path, columns: list[str] = ITEMS) -> pd.DataFrame:
    files = sorted(folder.glob("*.csv"))
    frames = [pd.read_csv(f) for f in files]
    # Empty files left out (pandas 2 warns when an all-empty frame joins a concat).
    frame = pd.concat([f for f in frames if len(f)] or frames[:1], ignore_index=True)
    return frame[columns].astype("float32")


def test_numbers_rows_across_files(tmp_path: Path) -> None:
    write_files(tmp_path, [500, 30, 1200])
    ddf = peoscales.read_csv_dask(str(tmp_path / "*.csv"), columns=ITEMS, blocksize=4000)
    assert ddf.npartitions > 3  # files cut into blocks
    assert ddf.known_divisions
    got = ddf.compute()
    pd.testing.assert_frame_equal(got, pandas_reference(tmp_path))
    assert got.index.equals(pd.RangeIndex(1730))
    # Known divisions: a row is found by its number.
    assert ddf.loc[1000].compute().index.tolist() == [1000]


def test_index_column_kept(tmp_path: Path) -> None:
    parts = write_files(tmp_path, [50, 70])
    got = peoscales.read_csv_dask(tmp_path / "*.csv", index="respondent").compute()
    expected = pd.concat(parts).set_index("respondent")[ITEMS].astype("float32")
    pd.testing.assert_frame_equal(got, expected)


def test_float64_and_non_integer_values(tmp_path: Path) -> None:
    frame = pd.DataFrame({"a": [1.5, np.nan, 3.25], "b": [1, 2, 1e9]})
    frame.to_csv(tmp_path / "x.csv", index=False)
    got = peoscales.read_csv_dask(tmp_path / "x.csv", dtype="float64").compute()
    pd.testing.assert_frame_equal(got, frame)


def test_scores_and_correlations_equal_in_memory(tmp_path: Path) -> None:
    write_files(tmp_path, [400, 333, 10])
    ddf = peoscales.read_csv_dask(
        [tmp_path / "wave_00.csv", str(tmp_path / "wave_0[12].csv")],
        columns=ITEMS,
        blocksize=3000,
    )
    reference = pandas_reference(tmp_path).astype(float)
    with pytest.warns(peoscales.errors.IncompleteScoresWarning):
        expected = peoscales.score(reference, "brs")
    pd.testing.assert_frame_equal(peoscales.score_dask(ddf, "brs").compute(), expected, rtol=1e-12)
    r = peoscales.corr_matrix_dask(ddf).r
    pd.testing.assert_frame_equal(r, peoscales.corr_matrix(reference).r, rtol=0, atol=1e-12)


def test_file_of_another_layout_named(tmp_path: Path) -> None:
    write_files(tmp_path, [20, 20])
    answers(5, seed=9).drop(columns="brs_3").to_csv(tmp_path / "wave_99.csv", index=False)
    with pytest.raises(MissingColumnsError, match=r"wave_99\.csv.*brs_3"):
        peoscales.read_csv_dask(tmp_path / "*.csv")


def test_text_named_by_file(tmp_path: Path) -> None:
    write_files(tmp_path, [20])
    frame = answers(4, seed=3)
    frame["brs_2"] = frame["brs_2"].astype(object)
    frame.loc[2, "brs_2"] = "agree"
    frame.to_csv(tmp_path / "wave_05.csv", index=False)
    ddf = peoscales.read_csv_dask(tmp_path / "*.csv")
    with pytest.raises(DataTypeError, match=r"wave_05\.csv.*text columns"):
        ddf.compute()


def test_blank_lines_refused_unless_an_index_column(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("respondent,x\n1,2\n\n2,3\n")
    with pytest.raises(DataTypeError, match=r"a\.csv.*index="):
        peoscales.read_csv_dask(tmp_path / "a.csv").compute()
    got = peoscales.read_csv_dask(tmp_path / "a.csv", index="respondent").compute()
    assert got["x"].tolist() == [2.0, 3.0]


def test_header_only_and_no_final_line_end(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x,y\n")
    (tmp_path / "b.csv").write_text("x,y\n1,2\n3,")
    got = peoscales.read_csv_dask(tmp_path / "*.csv").compute()
    assert got.index.tolist() == [0, 1]
    assert got["y"].isna().tolist() == [False, True]


def test_bad_arguments(tmp_path: Path) -> None:
    write_files(tmp_path, [5])
    with pytest.raises(FileNotFoundError, match="nothing_here"):
        peoscales.read_csv_dask(tmp_path / "nothing_here*.csv")
    with pytest.raises(ParameterError, match="dtype"):
        peoscales.read_csv_dask(tmp_path / "*.csv", dtype="int8")
    with pytest.raises(ParameterError, match="blocksize"):
        peoscales.read_csv_dask(tmp_path / "*.csv", blocksize="lots")
    with pytest.raises(ParameterError, match="columns"):
        peoscales.read_csv_dask(tmp_path / "*.csv", columns="brs_1")
    with pytest.raises(MissingColumnsError, match="index='id'"):
        peoscales.read_csv_dask(tmp_path / "*.csv", index="id")


def test_files_not_changed(tmp_path: Path) -> None:
    write_files(tmp_path, [30])
    before = (tmp_path / "wave_00.csv").read_bytes()
    peoscales.read_csv_dask(tmp_path / "*.csv").compute()
    assert (tmp_path / "wave_00.csv").read_bytes() == before


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    sizes=st.lists(st.integers(0, 60), min_size=1, max_size=4),
    blocksize=st.integers(1, 400),
)
def test_any_blocks_give_the_same_frame(
    tmp_path_factory: pytest.TempPathFactory, sizes: list[int], blocksize: int
) -> None:
    folder = tmp_path_factory.mktemp("blocks")
    write_files(folder, sizes)
    got = peoscales.read_csv_dask(folder / "*.csv", columns=ITEMS, blocksize=blocksize).compute()
    expected = pandas_reference(folder)
    pd.testing.assert_frame_equal(got, expected, check_index_type=False)
    assert got.index.tolist() == list(range(sum(sizes)))


def test_score_errors_name_the_file(tmp_path: Path) -> None:
    write_files(tmp_path, [20, 20])
    bad = answers(5, seed=4)
    bad.loc[3, "brs_4"] = 9
    bad.to_csv(tmp_path / "wave_07.csv", index=False)
    scores = peoscales.score_dask(peoscales.read_csv_dask(tmp_path / "*.csv", columns=ITEMS), "brs")
    with pytest.raises(peoscales.errors.OutOfRangeError, match=r"wave_07\.csv"):
        scores.compute()


def test_semicolons_windows_line_ends_and_column_order(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_bytes(b"id;x;y\r\n1;2;3\r\n2;;5\r\n")
    (tmp_path / "b.csv").write_bytes(b"y;id;x\r\n6;3;4\r\n")  # the same columns, reordered
    got = peoscales.read_csv_dask(tmp_path / "*.csv", columns=["x", "y"], sep=";").compute()
    expected = pd.DataFrame({"x": [2.0, np.nan, 4.0], "y": [3.0, 5.0, 6.0]}, dtype="float32")
    pd.testing.assert_frame_equal(got, expected)
    by_id = peoscales.read_csv_dask(tmp_path / "*.csv", index="id", sep=";").compute()
    assert by_id.index.tolist() == [1, 2, 3]
    assert by_id.columns.tolist() == ["x", "y"]


def test_text_message_names_the_column_values_and_rows(tmp_path: Path) -> None:
    # Rows are numbered across files: the fourth row of b.csv is row 5; with index= the
    # row is its id.
    (tmp_path / "a.csv").write_text("id,x,y\n1,1,2\n2,3,4\n")
    (tmp_path / "b.csv").write_text("id,x,y\n3,1,2\n4,5,\n5,2,NA\n6,veel,1\n7,4,weinig\n")
    with pytest.raises(
        DataTypeError,
        match=r"b\.csv.*non-numeric values in column\(s\) 'x' \(e\.g\. 'veel' in rows 5\); "
        r"'y' \(e\.g\. 'weinig' in rows 6\)",
    ):
        peoscales.read_csv_dask(tmp_path / "*.csv").compute()
    with pytest.raises(DataTypeError, match=r"'x' \(e\.g\. 'veel' in rows 6\)"):
        peoscales.read_csv_dask(tmp_path / "*.csv", index="id").compute()


def test_a_line_of_other_length_is_not_called_text(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x,y\n1,2\n3,4,5\n")
    with pytest.raises(DataTypeError, match=r"a\.csv.*as many fields as the header") as caught:
        peoscales.read_csv_dask(tmp_path / "a.csv").compute()
    assert "text columns" not in str(caught.value)


def test_paths_that_are_no_files(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "old.csv").mkdir()  # a folder a pattern matches
    (tmp_path / "a.csv").write_text("x,y\n1,2\n")
    with pytest.raises(ParameterError, match=r"path must be a file name.*got 5"):
        peoscales.read_csv_dask(5)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match=r"path must be a file name.*got None"):
        peoscales.read_csv_dask(None)  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError, match=r"'.*folder' is a folder.*folder.\*\.csv"):
        peoscales.read_csv_dask(tmp_path / "folder")
    got = peoscales.read_csv_dask(tmp_path / "*.csv").compute()
    assert got["x"].tolist() == [1.0]


def test_bad_columns_and_index(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("id,x,y\n1,2,3\n")
    read = peoscales.read_csv_dask
    with pytest.raises(ParameterError, match=r"columns names 'x' more than once"):
        read(tmp_path / "a.csv", columns=["x", "y", "x"])
    with pytest.raises(ParameterError, match=r"columns names 'id', which is index="):
        read(tmp_path / "a.csv", columns=["id", "x"], index="id")
    with pytest.raises(ParameterError, match=r"non-empty list of column names, got \[\]"):
        read(tmp_path / "a.csv", columns=[])
    with pytest.raises(ParameterError, match=r"non-empty list of column names, got 5"):
        read(tmp_path / "a.csv", columns=5)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match=r"index must be the name of one column, got \['id'\]"):
        read(tmp_path / "a.csv", index=["id"])  # type: ignore[arg-type]
    (tmp_path / "b.csv").write_text("id,x,x\n1,2,3\n")
    with pytest.raises(DuplicateColumnsError, match=r"b\.csv.*more than one column named 'x'"):
        read(tmp_path / "*.csv", columns=["x"])


def test_encodings(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_bytes("café,y\n1,2\n".encode("latin-1"))
    with pytest.raises(ParameterError, match=r"encoding='utf-9'"):
        peoscales.read_csv_dask(tmp_path / "a.csv", encoding="utf-9")
    with pytest.raises(DataTypeError, match=r"a\.csv.*not utf-8 text.*encoding='latin-1'"):
        peoscales.read_csv_dask(tmp_path / "a.csv")
    got = peoscales.read_csv_dask(tmp_path / "a.csv", encoding="latin-1").compute()
    assert got.columns.tolist() == ["café", "y"]
    # Excel's "CSV UTF-8" starts with a byte-order mark, no part of the first name.
    (tmp_path / "b.csv").write_bytes("\ufeffx,y\n1,2\n".encode())
    got = peoscales.read_csv_dask(tmp_path / "b.csv", columns=["x"]).compute()
    assert got.columns.tolist() == ["x"] and got["x"].tolist() == [1.0]


def test_numbers_beyond_float32_are_refused_not_made_infinite(tmp_path: Path) -> None:
    # float32 holds up to about 3.4e38: 1e39 would read as inf. An inf in the file stays.
    (tmp_path / "a.csv").write_text("x,y\n1.5,inf\n2,-1e39\n3,2\n")
    with pytest.raises(
        DataTypeError,
        match=r"a\.csv.*beyond the range of float32 in column\(s\) 'y' "
        r"\(e\.g\. -1e\+39 in rows 1\); read them with dtype='float64'",
    ):
        peoscales.read_csv_dask(tmp_path / "a.csv").compute()
    got = peoscales.read_csv_dask(tmp_path / "a.csv", dtype="float64").compute()
    assert got["y"].tolist() == [np.inf, -1e39, 2.0]


# --- the compiled parser against pyarrow's -------------------------------------------------
fields = st.one_of(
    st.just(""),
    st.from_regex(r"-?[0-9]{1,12}", fullmatch=True),
    st.sampled_from(["-0", "007", "+3", "3.5", " 4", "NA", "nan", "-", "1e3"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(fields, min_size=3, max_size=3), min_size=1, max_size=12),
    crlf=st.booleans(),
    last_newline=st.booleans(),
    text_column=st.sampled_from([None, "plain", "quoted"]),
    dtype=st.sampled_from(["float32", "float64"]),
    index=st.booleans(),
)
def test_the_compiled_parser_reads_what_pyarrow_reads(
    rows, crlf, last_newline, text_column, dtype, index
) -> None:
    # Same frame (or the same error) with and without the compiled parser: where the
    # lines are not whole numbers and empty fields, it hands the block to pyarrow.
    import tempfile

    from peoscales._kernels import native

    end = "\r\n" if crlf else "\n"
    header = ["id", "a", "b", "c"] + (["note"] if text_column else [])
    lines = []
    for number, row in enumerate(rows):
        extra = {None: [], "plain": [f"x{number}"], "quoted": ['"p,q"']}[text_column]
        lines.append(",".join([str(10 * number - 5), *row, *extra]))
    text = end.join([",".join(header), *lines]) + (end if last_newline else "")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wave.csv"
        path.write_bytes(text.encode())

        def read() -> object:
            try:
                ddf = peoscales.read_csv_dask(
                    str(path), columns=["a", "b", "c"], dtype=dtype, index="id" if index else None
                )
                return ddf.compute()
            except Exception as exc:  # compared below: the same error either way
                return type(exc)

        quick = read()
        with native.disabled():
            slow = read()
    if isinstance(slow, pd.DataFrame):
        assert isinstance(quick, pd.DataFrame)
        pd.testing.assert_frame_equal(quick, slow)
    else:
        assert quick is slow


@pytest.mark.skipif(
    __import__("peoscales._kernels.native", fromlist=["get"]).get() is None,
    reason="the compiled kernels are not built or are switched off",
)
def test_the_compiled_parser_names_what_it_cannot_use() -> None:
    from peoscales._kernels import native

    module = native.get()
    take = np.array([0, -1], dtype=np.int64)
    out = np.empty((1, 2), dtype=np.float32)
    assert module.parse_codes(b"1,x\n2,y\n", ",", 2, take, out, 2, None) == 2
    np.testing.assert_array_equal(out, [[1.0, 2.0]])
    assert module.parse_codes(b"1,x\n2,y\n3,z\n", ",", 2, take, out, 2, None) == -1  # too many
    assert module.parse_codes(b'1,"x"\n', ",", 2, take, out, 2, None) == -1  # a quote
    with pytest.raises(ValueError, match="cannot be used"):
        module.parse_codes(b"1\n", "5", 1, take[:1], out, 2, None)
    with pytest.raises(ValueError, match="is not a row"):
        module.parse_codes(b"1\n", ",", 1, np.array([-3]), out, 2, None)
    with pytest.raises(ValueError, match="must hold 2 float32 or float64"):
        module.parse_codes(b"1\n", ",", 1, take[:1], np.empty(1, np.float32), 2, None)
    with pytest.raises(TypeError, match="index must be an array"):
        module.parse_codes(b"1\n", ",", 1, np.array([-2]), out, 2, None)
