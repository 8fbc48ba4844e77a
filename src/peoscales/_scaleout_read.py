"""Reading folders of CSV files of answer codes into a dask DataFrame, fast.

:func:`read_csv_dask` splits the files into blocks of whole lines, numbers the rows
across all files (or takes an id column as the index), and parses each block with
pyarrow's CSV reader on one thread: dask runs the blocks side by side, and a reader with
threads of its own inside each block would compete with them for the cores.
"""

from __future__ import annotations

import codecs
import glob
import itertools
import mmap
import os
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from peoscales._kernels import native
from peoscales._validation import preview
from peoscales.errors import (
    DataTypeError,
    DuplicateColumnsError,
    MissingColumnsError,
    ParameterError,
)

if TYPE_CHECKING:
    from dask.dataframe import DataFrame as DaskDataFrame

__all__ = ["read_csv_dask", "read_parquet_dask"]

#: Bytes read at a time when counting lines or looking for the end of a block.
_READ = 2**22
_DTYPES = ("float32", "float64")


class _Block(NamedTuple):
    """Lines of one file, from byte ``start`` to ``stop``: rows ``first`` on."""

    path: str
    start: int
    stop: int
    first: int
    n_rows: int


def _files(path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[str]:
    """The files named: a path, a glob pattern, or a list of them, in sorted order per pattern."""
    if isinstance(path, (str, os.PathLike)):
        patterns: list[Any] = [path]
    elif isinstance(path, (list, tuple)):
        patterns = list(path)
    else:
        raise ParameterError(
            f"path must be a file name, a pattern or a list of them, got {path!r}."
        )
    if not patterns:
        raise ParameterError(
            "path is an empty list; pass a file, a pattern such as 'waves/*.csv' or a list of files."
        )
    files: list[str] = []
    for pattern in patterns:
        if not isinstance(pattern, (str, os.PathLike)):
            raise ParameterError(
                f"path must be a file name, a pattern or a list of them, got {pattern!r}."
            )
        text = os.fspath(pattern)
        if os.path.isdir(text):
            raise FileNotFoundError(
                f"path {text!r} is a folder; pass a pattern of its files, e.g. "
                f"{os.path.join(text, '*.csv')!r}."
            )
        # Folders a pattern matches (a folder named 'old.csv') hold no rows: left out.
        found = (
            [f for f in sorted(glob.glob(text)) if os.path.isfile(f)]
            if glob.has_magic(text)
            else [text]
        )
        if not found or not os.path.isfile(found[0]):
            raise FileNotFoundError(
                f"path {text!r} matches no file; check the folder and the pattern "
                "(e.g. 'waves/*.csv')."
            )
        files.extend(found)
    return files


def _header(path: str, sep: str, encoding: str) -> tuple[bytes, list[str]]:
    """The header line of a file (with its line end) and its column names."""
    with open(path, "rb") as handle:
        line = handle.readline()
    if not line.strip():
        raise DataTypeError(
            f"file {path!r} is empty or starts with a blank line; it needs a header row of column names."
        )
    try:
        text = line.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DataTypeError(
            f"file {path!r}: its header row is not {encoding} text ({exc.reason} at byte "
            f"{exc.start}: {line[exc.start : exc.start + 4]!r}); pass the file's encoding, "
            "e.g. encoding='latin-1' or 'cp1252'."
        ) from None
    # A byte-order mark (Excel's "CSV UTF-8") is no part of the first column's name.
    names = [name.strip().strip('"') for name in text.lstrip("\ufeff").rstrip("\r\n").split(sep)]
    return line, names


def _blocks(path: str, header: int, blocksize: int, count: bool) -> list[tuple[int, int, int]]:
    """(start, stop, lines) of the blocks of a file: about ``blocksize`` bytes each,
    cut after a line end. Lines are counted only when ``count`` (a pass over the file)."""
    size = os.path.getsize(path)
    cuts = [header]
    with open(path, "rb") as handle:
        while cuts[-1] < size:
            goal = cuts[-1] + blocksize
            if goal >= size:
                cuts.append(size)
                break
            handle.seek(goal)
            while True:  # to the end of the line the goal falls in
                piece = handle.read(_READ)
                end = piece.find(b"\n")
                if end >= 0:
                    cuts.append(min(size, handle.tell() - len(piece) + end + 1))
                    break
                if not piece:
                    cuts.append(size)
                    break
        blocks = []
        for start, stop in itertools.pairwise(cuts):
            lines = 0
            if count:
                lines = _count_lines(handle, start, stop)
            blocks.append((start, stop, lines))
    return blocks


def _count_lines(handle: Any, start: int, stop: int) -> int:
    """Lines between bytes ``start`` and ``stop`` of an open file, a last line without
    its line end included. Counted on the file mapped into memory: no copy is read."""
    if stop <= start:
        return 0
    with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        text = np.frombuffer(mapped, dtype=np.uint8)
        lines = 0
        for first in range(start, stop, _READ):
            lines += int(np.count_nonzero(text[first : min(first + _READ, stop)] == 10))
        lines += int(text[stop - 1] != 10)
        del text  # the mapping closes only when no array looks at it
    return lines


def _fill(row: np.ndarray, column: Any) -> None:
    """Copy a pyarrow column of numbers into ``row``, NaN where a value is missing.

    Straight from the column's buffers: its values converted in one numpy copy, and
    NaN set where its validity bits are 0 by integer operations on the values' bits
    (``x | 0x7FC00000`` is a NaN for every float32 ``x``; likewise in float64):
    faster than pyarrow's cast and conversion, which copy twice, and than a masked
    assignment (0.3 ms for a column of 262,144 values, more than the rest). A missing
    value's NaN keeps the other bits of what its slot holds (NaN all the same).
    """
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    unsigned, quiet_nan = (
        (np.uint32, np.uint32(0x7FC00000))
        if row.dtype == np.float32
        else (np.uint64, np.uint64(0x7FF8000000000000))
    )
    done = 0
    for chunk in column.chunks:
        n = len(chunk)
        if pa.types.is_null(chunk.type):  # a column of missing values only (no buffers)
            row[done : done + n] = np.nan
            done += n
            continue
        if pa.types.is_boolean(chunk.type):  # bits, not bytes: as 0 and 1
            chunk = pc.cast(chunk, pa.int8())
        validity, data = chunk.buffers()[:2]
        kind = np.dtype(chunk.type.to_pandas_dtype())
        values = np.frombuffer(data, dtype=kind, count=n, offset=chunk.offset * kind.itemsize)
        out = row[done : done + n]
        with np.errstate(over="ignore"):  # beyond float32: inf, refused by the caller
            out[:] = values
        if chunk.null_count:
            # Only the bytes of the chunk's bits: a slice of a longer array starts at bit
            # ``offset`` of its parent's buffer, anywhere in a byte.
            first, skip = divmod(chunk.offset, 8)
            covering = np.frombuffer(
                validity, dtype=np.uint8, count=(skip + n + 7) // 8, offset=first
            )
            bits = np.unpackbits(covering, count=skip + n, bitorder="little")[skip:]
            # 1 - 1 = 0 where answered, all ones where missing: the NaN's bits or nothing.
            missing = np.subtract(bits, 1, dtype=unsigned)
            missing &= quiet_nan
            bits_of_out = out.view(unsigned)
            np.bitwise_or(bits_of_out, missing, out=bits_of_out)
        done += n


def _read_block(
    block: _Block,
    file_names: list[str],
    names: list[str],
    index: str | None,
    dtype: str,
    sep: str,
    encoding: str,
) -> pd.DataFrame:
    """One block as a DataFrame of ``dtype`` columns (one block of memory), its index
    the row numbers counted across files or the ``index`` column."""
    import pyarrow as pa
    import pyarrow.csv as pacsv  # type: ignore[import-untyped]

    if block.stop == block.start:  # a file of a header row only
        return _empty(names, index, dtype)
    with open(block.path, "rb") as handle:
        handle.seek(block.start)
        text = handle.read(block.stop - block.start)
    quick = _parse_simple(text, block, file_names, names, index, dtype, sep, encoding)
    if quick is not None:
        return quick
    read = pacsv.ReadOptions(use_threads=False, encoding=encoding, column_names=file_names)
    parse = pacsv.ParseOptions(delimiter=sep)
    wanted = names if index is None else [index, *names]

    def parsed(kind: Any) -> Any:
        types = dict.fromkeys(names, kind)
        convert = pacsv.ConvertOptions(include_columns=wanted, column_types=types)
        return pacsv.read_csv(pa.py_buffer(text), read, parse, convert)

    narrowed = False  # numbers other than whole ones parsed as float32
    try:
        # Answer codes are whole numbers: parsing them as such is a third faster than as
        # floats; a block with other numbers is parsed again as floats.
        table = parsed(pa.int16())
    except pa.ArrowInvalid:
        narrowed = dtype == "float32"
        try:
            table = parsed(pa.float64() if dtype == "float64" else pa.float32())
        except pa.ArrowInvalid as exc:
            raise _unreadable(block, exc, lambda: parsed(pa.string()), names, index, sep) from None
    if index is None and table.num_rows != block.n_rows:
        raise DataTypeError(
            f"file {block.path!r} (bytes {block.start}-{block.stop}): {table.num_rows} rows "
            f"read where the file has {block.n_rows} lines (blank lines, or line breaks "
            "inside quoted text?). Number the rows by an id column instead: index='...'."
        )
    # Columns side by side in one (columns x rows) array: its transpose is the layout of
    # a DataFrame's block, so the frame wraps it without a copy.
    values = np.empty((len(names), table.num_rows), dtype=dtype)
    for row, name in zip(values, names):
        _fill(row, table.column(name))
    if index is None:
        labels: pd.Index = pd.RangeIndex(block.first, block.first + block.n_rows)
    else:
        labels = pd.Index(table.column(index).to_numpy(zero_copy_only=False), name=index)
    if narrowed and np.isinf(values).any():
        _check_float32_range(block, values, parsed(pa.float64()), names, labels)
    return pd.DataFrame(values.T, index=labels, columns=names, copy=False)


#: Bytes that read the same in every encoding the compiled parser accepts.
_ASCII_CSV = "0123456789-,;\t|\r\n"


def _parse_simple(
    text: bytes,
    block: _Block,
    file_names: list[str],
    names: list[str],
    index: str | None,
    dtype: str,
    sep: str,
    encoding: str,
) -> pd.DataFrame | None:
    """The block parsed by the compiled parser (``parse_codes`` in ``_native.c``), or
    None where it does not apply: lines other than whole numbers and empty fields, an
    encoding in which digits are not single ASCII bytes, or no compiled kernels.

    Where it applies, the values are those pyarrow reads (whole numbers of up to nine
    digits, exact in float64 and rounded once to float32), about four times faster.
    """
    # getattr: a build older than the parser (an in-place build not redone) lacks it.
    compiled = getattr(native.get(), "parse_codes", None)
    if compiled is None or ord(sep) > 127 or sep.isdigit() or sep in "-\r\n":
        return None
    try:
        if (_ASCII_CSV + sep).encode(encoding) != (_ASCII_CSV + sep).encode("ascii"):
            return None
    except UnicodeError:
        return None
    lines = block.n_rows if index is None else text.count(b"\n") + (not text.endswith(b"\n"))
    position = {name: row for row, name in enumerate(names)}
    take = np.array(
        [position.get(name, -2 if name == index else -1) for name in file_names], dtype=np.int64
    )
    values = np.empty((len(names), lines), dtype=dtype)
    labels = np.empty(lines, dtype=np.int64) if index is not None else None
    done = compiled(text, sep, len(file_names), take, values, lines, labels)
    if done != lines:
        return None
    frame_index: pd.Index = (
        pd.RangeIndex(block.first, block.first + lines)
        if labels is None
        else pd.Index(labels, name=index)
    )
    return pd.DataFrame(values.T, index=frame_index, columns=names, copy=False)


def _check_float32_range(
    block: _Block, values: np.ndarray, wide: Any, names: list[str], labels: pd.Index
) -> None:
    """Refuse numbers that float32 cannot hold (beyond 3.4e38: they would read as
    infinite), naming them; an ``inf`` written in the file stays infinite."""
    problems = []
    for row, name in zip(values, names):
        exact = wide.column(name).to_numpy(zero_copy_only=False)
        bad = np.isinf(row) & np.isfinite(exact)
        if bad.any():
            examples = list(dict.fromkeys(exact[bad].tolist()))
            problems.append(
                f"{name!r} (e.g. {preview(examples, 3)} in rows {preview(labels[bad].tolist(), 3)})"
            )
    if problems:
        raise DataTypeError(
            f"file {block.path!r} (bytes {block.start}-{block.stop}): numbers beyond the "
            f"range of float32 in column(s) {'; '.join(problems)}; read them with "
            "dtype='float64'."
        )


def _unreadable(
    block: _Block, exc: Exception, as_text: Any, names: list[str], index: str | None, sep: str
) -> DataTypeError:
    """The error for a block pyarrow cannot read as numbers: the columns, texts and rows
    at fault, found by reading the block again as text (only after a failure)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    where = f"file {block.path!r} (bytes {block.start}-{block.stop})"
    try:
        table = as_text()
    except pa.ArrowInvalid as parse_error:  # not a text in a number column: the lines
        return DataTypeError(
            f"{where}: {parse_error}. Every line needs as many fields as the header (a "
            f"line cut short or with extra fields, or a separator other than sep={sep!r}?)."
        )
    frame = table.to_pandas()
    if index is None:
        frame.index = pd.RangeIndex(block.first, block.first + len(frame))
    else:
        frame = frame.set_index(index)
    missing = set(pacsv.ConvertOptions().null_values)  # what pyarrow reads as missing
    problems = []
    for name in names:
        text = frame[name]
        bad = pd.to_numeric(text, errors="coerce").isna() & ~text.isin(missing)
        if bad.any():
            values = list(dict.fromkeys(text[bad].tolist()))
            rows = frame.index[bad.to_numpy()].tolist()
            problems.append(f"{name!r} (e.g. {preview(values, 3)} in rows {preview(rows, 3)})")
    found = f"non-numeric values in column(s) {'; '.join(problems)}" if problems else str(exc)
    return DataTypeError(
        f"{where}: {found}. read_csv_dask reads numbers (answer codes) only; leave text "
        "columns out with columns=[...], or recode them first."
    )


def _empty(names: list[str], index: str | None, dtype: str) -> pd.DataFrame:
    """A frame without rows, of the columns and types read (dask's meta)."""
    return pd.DataFrame(
        {name: pd.Series(dtype=dtype) for name in names},
        index=pd.RangeIndex(0) if index is None else pd.Index([], name=index),
    )


def _wanted_columns(
    columns: Sequence[Hashable] | None, names: list[str], index: str | None
) -> list[str]:
    """The columns to read: ``columns`` checked, or all of ``names`` but the index."""
    if columns is None:
        return [n for n in names if n != index]
    if isinstance(columns, str):
        raise ParameterError(
            f"columns must be a list of names, got the string {columns!r}; write columns=[{columns!r}]."
        )
    if not isinstance(columns, Sequence) or not columns:
        raise ParameterError(f"columns must be a non-empty list of column names, got {columns!r}.")
    wanted = [str(c) for c in columns]
    twice = [c for c in dict.fromkeys(wanted) if wanted.count(c) > 1]
    if twice:
        raise ParameterError(
            f"columns names {preview(twice)} more than once; name each column once."
        )
    if index in wanted:
        raise ParameterError(
            f"columns names {index!r}, which is index=; leave it out of columns (it "
            "becomes the index)."
        )
    return wanted


def _check_file_columns(
    file: str, file_names: list[str], wanted: list[str], index: str | None
) -> None:
    """Refuse a file that lacks a column read, or has two columns of such a name."""
    asked = [*wanted, *([index] if index else [])]
    twice = list(dict.fromkeys(c for c in asked if file_names.count(c) > 1))
    if twice:
        raise DuplicateColumnsError(
            f"file {file!r} has more than one column named {preview(twice)}; rename "
            "them so each name is unique, or leave them out with columns=[...]."
        )
    missing = [c for c in asked if c not in file_names]
    if missing:
        raise MissingColumnsError(
            f"file {file!r} has no column(s) {preview(missing)}, which were asked for "
            f"(its columns: {preview(file_names)}). Read only files of one layout, or "
            "choose their common columns with columns=[...]."
        )


def read_csv_dask(
    path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    columns: Sequence[Hashable] | None = None,
    index: str | None = None,
    dtype: str = "float32",
    blocksize: int | str = "16MB",
    sep: str = ",",
    encoding: str = "utf-8",
) -> DaskDataFrame:
    """Read CSV files of answer codes into a dask DataFrame, numbered across the files.

    A faster reader than ``dask.dataframe.read_csv`` for what peoscales scores and
    correlates: numbers in a folder of CSV files of one layout. Each file is cut into
    blocks of whole lines; each block becomes a partition, parsed by pyarrow's CSV
    reader on one thread (dask runs the partitions side by side) into one
    ``float32`` (or ``float64``) array. Nothing is parsed until the result is computed.

    Parameters
    ----------
    path : str, path or list of them
        A file, a glob pattern (``"waves/*.csv"``, files taken in sorted order) or a
        list of files or patterns. Every file has a header row with the same columns.
    columns : sequence of column names, optional
        The columns to read, in this order (default: all but ``index``). Reading only
        the item columns saves time and memory.
    index : str, optional
        A column of respondent ids to use as the index. By default the rows are
        numbered 0, 1, 2, ... across all files, in the order of the files, so every
        respondent has a label of its own (which costs one quick pass over the files
        to count their lines; dask's ``read_csv`` numbers every file from 0 again).
    dtype : {"float32", "float64"}, default "float32"
        Type of the columns read. Answer codes fit ``float32`` exactly (and use half
        the memory); missing answers are NaN.
    blocksize : int or str, default "16MB"
        Bytes of text per partition (``"64MB"``, ``2**24``).
    sep, encoding
        The field separator and the text encoding of the files.

    Returns
    -------
    dask DataFrame
        Lazy; one partition per block; known divisions when the rows are numbered.

    Raises
    ------
    ImportError
        dask or pyarrow is not installed (``pip install "peoscales[dask]"``).
    FileNotFoundError
        ``path`` matches no file, or is a folder (folders a pattern matches are left
        out).
    MissingColumnsError
        At once: ``columns`` or ``index`` names a column that a file lacks (the message
        names the file).
    DuplicateColumnsError
        At once: a file has two columns of a name that is read.
    DataTypeError
        At once: a file that is empty, starts with a blank line or whose header is not
        text in ``encoding``. When computed: non-numeric values (the message names the
        columns, a few of the values and their rows), a line with more or fewer fields
        than the header, or a block whose rows cannot be counted (blank lines, line
        breaks inside quotes: use ``index``); the message names the file and the bytes
        of the block.
    ParameterError
        An unknown ``dtype`` or ``encoding``, a ``blocksize`` that is not a positive
        size, a ``path`` that is no file name, pattern or list of them, ``columns``
        that is not a non-empty list of names (or names one twice, or the index), an
        ``index`` that is not one column name.

    Notes
    -----
    A block ends at a line end, so a line break inside a quoted field would cut a row
    in two (as in ``dask.dataframe.read_csv``); answer codes have none.
    The values are those pandas reads from the same files: the codes, with
    missing values as NaN.

    Examples
    --------
    >>> import os, tempfile
    >>> import pandas as pd
    >>> import peoscales
    >>> folder = tempfile.mkdtemp()
    >>> pd.DataFrame({"brs_1": [4, 2], "brs_2": [2, None]}).to_csv(
    ...     os.path.join(folder, "a.csv"), index=False)
    >>> pd.DataFrame({"brs_1": [5], "brs_2": [1]}).to_csv(
    ...     os.path.join(folder, "b.csv"), index=False)
    >>> answers = peoscales.read_csv_dask(os.path.join(folder, "*.csv"))
    >>> answers.compute()
       brs_1  brs_2
    0    4.0    2.0
    1    2.0    NaN
    2    5.0    1.0
    """
    from peoscales._scaleout import _require_dask

    dd = _require_dask("read_csv_dask")
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            'read_csv_dask needs pyarrow; install it with pip install "peoscales[dask]".'
        ) from exc
    if dtype not in _DTYPES:
        raise ParameterError(f"dtype must be one of {_DTYPES}, got {dtype!r}.")
    size = _blocksize(blocksize)
    if not isinstance(sep, str) or len(sep) != 1:
        raise ParameterError(f"sep must be one character, got {sep!r}.")
    try:
        codecs.lookup(encoding)
    except (LookupError, TypeError):
        raise ParameterError(
            f"encoding={encoding!r} is not a text encoding Python knows; e.g. 'utf-8', "
            "'latin-1' or 'cp1252'."
        ) from None
    if index is not None and not isinstance(index, str):
        raise ParameterError(f"index must be the name of one column, got {index!r}.")
    files = _files(path)
    header, names = _header(files[0], sep, encoding)
    if index is not None and index not in names:
        raise MissingColumnsError(
            f"index={index!r} is not a column of file {files[0]!r} (columns: {preview(names)})."
        )
    wanted = _wanted_columns(columns, names, index)
    blocks: list[_Block] = []
    names_of: dict[str, list[str]] = {}
    first = 0
    for file in files:
        file_header, file_names = (
            _header(file, sep, encoding) if file != files[0] else (header, names)
        )
        names_of[file] = file_names
        _check_file_columns(file, file_names, wanted, index)
        for start, stop, lines in _blocks(file, len(file_header), size, index is None):
            blocks.append(_Block(file, start, stop, first, lines))
            first += lines
    if not blocks:  # header rows only
        blocks = [_Block(files[0], len(header), len(header), 0, 0)]
    meta = _empty(wanted, index, dtype)
    divisions = None
    if index is None:
        divisions = [b.first for b in blocks] + [max(blocks[-1].first + blocks[-1].n_rows - 1, 0)]
    return dd.from_map(
        _BlockReader(names_of, wanted, index, dtype, sep, encoding),
        blocks,
        meta=meta,
        divisions=divisions,
        label="read-csv-peoscales",
        enforce_metadata=False,
    )


class _BlockReader:
    """The function dask calls per block (a class, so that it pickles to workers)."""

    def __init__(
        self,
        names_of: dict[str, list[str]],
        names: list[str],
        index: str | None,
        dtype: str,
        sep: str,
        encoding: str,
    ) -> None:
        self.names_of, self.names, self.index = names_of, names, index
        self.dtype, self.sep, self.encoding = dtype, sep, encoding

    def __call__(self, block: _Block) -> pd.DataFrame:
        return _read_block(
            block,
            self.names_of[block.path],
            self.names,
            self.index,
            self.dtype,
            self.sep,
            self.encoding,
        )


def _blocksize(blocksize: int | str) -> int:
    if isinstance(blocksize, str):
        from dask.utils import parse_bytes

        try:
            value = int(parse_bytes(blocksize))
        except (ValueError, TypeError):
            value = 0
    elif isinstance(blocksize, (int, np.integer)) and not isinstance(blocksize, bool):
        value = int(blocksize)
    else:
        value = 0
    if value <= 0:
        raise ParameterError(
            f"blocksize must be a positive number of bytes or a size such as '16MB', got {blocksize!r}."
        )
    return value


# --- Parquet -------------------------------------------------------------------------------
#: Whole numbers up to these magnitudes are exact in each dtype (24- and 53-bit
#: significands); beyond, some are rounded.
_WHOLE = {"float32": 2**24, "float64": 2**53}


class _RowGroup(NamedTuple):
    """Row group ``group`` of a Parquet file: rows ``first`` on. ``look`` names the
    columns whose values ``dtype`` might change: their statistics do not rule it out."""

    path: str
    group: int
    first: int
    n_rows: int
    look: tuple[str, ...] = ()


def _parquet_files(
    path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
) -> list[str]:
    """The files named: a file, a folder (its ``*.parquet`` files), a pattern or a list."""
    if isinstance(path, (str, os.PathLike)):
        items: list[Any] = [path]
    elif isinstance(path, (list, tuple)) and path:
        items = list(path)
    else:
        raise ParameterError(
            "path must be a Parquet file, a folder of them, a pattern such as "
            f"'waves/*.parquet' or a list of those, got {path!r}."
        )
    files: list[str] = []
    for item in items:
        if isinstance(item, (str, os.PathLike)) and os.path.isdir(item):
            found = sorted(glob.glob(os.path.join(os.fspath(item), "*.parquet")))
            if not found:
                raise FileNotFoundError(
                    f"folder {os.fspath(item)!r} has no *.parquet files; pass the files or "
                    "a pattern of them."
                )
            files.extend(found)
        else:
            files.extend(_files(item))
    return files


def _open_parquet(path: str) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    try:
        return pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise DataTypeError(
            f"file {path!r} cannot be read as Parquet ({exc}); pass Parquet files only "
            "(CSV files: read_csv_dask)."
        ) from None


def _pandas_index_columns(schema: Any) -> set[str]:
    """The columns in which pandas stored a frame's index (``__index_level_0__`` for an
    index other than 0, 1, 2, ...; or a named one): ``pandas.read_parquet`` makes
    them the index, not columns."""
    try:
        stored = schema.pandas_metadata
    except (ValueError, TypeError):  # metadata that is not pandas' JSON
        return set()
    if not isinstance(stored, dict):
        return set()
    return {c for c in stored.get("index_columns", []) if isinstance(c, str)}


def _may_change(kind: Any, dtype: str) -> bool:
    """Whether ``dtype`` may change some values of an Arrow type: whole numbers of more
    bits than its significand (rounded), and float64 in float32 (beyond its range)."""
    import pyarrow as pa

    if pa.types.is_integer(kind):
        return bool(kind.bit_width > (16 if dtype == "float32" else 32))
    return dtype == "float32" and pa.types.is_float64(kind)


def _parquet_layout(
    path: str, wanted: list[str], index: str | None, dtype: str
) -> list[tuple[int, int, tuple[str, ...]]]:
    """Check a file's columns and types; its row groups as (number, rows, columns to
    look at when read). Values ``dtype`` would change are refused at once where a row
    group's statistics (its least and greatest values) show them."""
    import pyarrow as pa

    handle = _open_parquet(path)
    schema = handle.schema_arrow
    _check_file_columns(path, list(schema.names), wanted, index)
    odd = []
    for name in wanted:
        kind = schema.field(name).type
        if not (
            pa.types.is_integer(kind)
            or pa.types.is_floating(kind)
            or pa.types.is_boolean(kind)
            or pa.types.is_null(kind)  # a column of missing values only (None in pandas)
        ):
            odd.append(f"{name!r} ({kind})")
    if odd:
        raise DataTypeError(
            f"file {path!r}: column(s) {', '.join(odd[:5])} do not hold numbers. "
            "read_parquet_dask reads numbers (answer codes) only; leave such columns out "
            "with columns=[...], or recode them to numbers first."
        )
    meta = handle.metadata
    wide = [name for name in wanted if _may_change(schema.field(name).type, dtype)]
    if not wide:  # answer codes of 8 or 16 bits: nothing to look at
        return [(g, meta.row_group(g).num_rows, ()) for g in range(meta.num_row_groups)]
    leaves = [meta.schema.column(j) for j in range(meta.num_columns)]
    # A column of the file's top level is the leaf of its name (a nested one's path
    # has its parent's name before it).
    leaf = {c.path: j for j, c in enumerate(leaves) if c.path == c.name}
    groups = []
    for g in range(meta.num_row_groups):
        row_group = meta.row_group(g)
        look = tuple(
            name
            for name in wide
            if name not in leaf
            or _needs_look(
                path,
                g,
                name,
                row_group.column(leaf[name]).statistics,
                schema.field(name).type,
                dtype,
            )
        )
        groups.append((g, row_group.num_rows, look))
    return groups


def _needs_look(path: str, group: int, name: str, statistics: Any, kind: Any, dtype: str) -> bool:
    """Whether a column of a row group needs a look at its values when read: not when
    its least and greatest values show that ``dtype`` holds every value between;
    refused at once when one of them is a value ``dtype`` does not hold."""
    import pyarrow as pa

    if statistics is None or not statistics.has_min_max:
        return True
    ends = [statistics.min, statistics.max]
    with np.errstate(over="ignore"):
        narrowed = [float(np.array(v, dtype=np.float64).astype(dtype)) for v in ends]
    if pa.types.is_integer(kind):
        # Whole numbers: ``v`` is exact (a Python int), compared exactly with the float.
        changed = [v for v, f in zip(ends, narrowed) if f != v]
        held = all(abs(v) <= _WHOLE[dtype] for v in ends)
    else:  # float64 in float32: every value between two finite float32 ends is finite
        changed = [v for v, f in zip(ends, narrowed) if np.isinf(f) and np.isfinite(v)]
        held = all(np.isfinite(f) for f in narrowed)
    if changed:
        raise _changed_error(path, group, name, changed, dtype)
    return not held


def _changed_error(
    path: str, group: int, name: str, values: list[Any], dtype: str
) -> DataTypeError:
    """The error for numbers ``dtype`` would change, with what to do about them."""
    examples = list(dict.fromkeys(values))
    if dtype == "float32" and all(float(v) == v for v in examples):
        hint = "read them with dtype='float64'"
    else:  # whole numbers beyond 2**53: no float holds them
        hint = (
            "no float type holds them exactly: leave the column out with columns=[...], "
            "or use it as the index (index=...) if it holds ids"
        )
    return DataTypeError(
        f"file {path!r}, row group {group}: column {name!r} holds numbers {dtype} cannot "
        f"hold (e.g. {preview(examples, 3)}); {hint}."
    )


def _read_row_group(
    group: _RowGroup, names: list[str], index: str | None, dtype: str
) -> pd.DataFrame:
    """One row group as a DataFrame of ``dtype`` columns (one block of memory)."""
    import pyarrow as pa

    wanted = names if index is None else [*names, index]
    try:
        table = _open_parquet(group.path).read_row_group(
            group.group, columns=wanted, use_threads=False
        )
    except (pa.ArrowInvalid, OSError) as exc:
        raise DataTypeError(
            f"file {group.path!r}, row group {group.group}: cannot be read ({exc})."
        ) from None
    values = np.empty((len(names), table.num_rows), dtype=dtype)
    for row, name in zip(values, names):
        column = table.column(name)
        _fill(row, column)
        if name in group.look:
            _check_changed(group, row, column, name, dtype)
    if index is None:
        labels: pd.Index = pd.RangeIndex(group.first, group.first + group.n_rows)
    else:
        labels = _parquet_labels(table.column(index), index)
    return pd.DataFrame(values.T, index=labels, columns=names, copy=False)


def _parquet_labels(column: Any, index: str) -> pd.Index:
    """An index of an Arrow column's values, as pandas converts them; of no values,
    given the column's type (dask's meta)."""
    import pyarrow as pa

    if isinstance(column, pa.DataType):
        column = pa.chunked_array([], type=column)
    # Through a table, as pandas.read_parquet converts (text as pandas' str, not string).
    return pd.Index(pa.table({index: column}).to_pandas()[index], name=index)


def _check_changed(group: _RowGroup, row: np.ndarray, column: Any, name: str, dtype: str) -> None:
    """Refuse values ``row`` does not hold as they are in ``column``: whole numbers
    rounded (beyond 2**24 in float32, 2**53 in float64) and float64 numbers beyond
    float32's range (infinite). Other decimals are rounded to float32 by request."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_floating(column.type):
        exact = column.to_numpy(zero_copy_only=False)
        bad = np.isinf(row) & np.isfinite(exact)
    else:
        exact = pc.fill_null(column, 0).to_numpy()  # whole numbers, none rounded
        back = row.astype(np.float64)
        bad = np.zeros(len(row), dtype=bool)
        with np.errstate(invalid="ignore"):
            big = np.abs(back) >= _WHOLE[dtype]  # only these may be rounded; NaN is not
        if big.any():
            near, whole = back[big], exact[big]
            # Compared as whole numbers, exactly; a float beyond the column type's
            # range is none of its values.
            inside = near < float(np.iinfo(whole.dtype).max)
            changed = ~inside
            changed[inside] = near[inside].astype(whole.dtype) != whole[inside]
            bad[big] = changed
    if bad.any():
        raise _changed_error(group.path, group.group, name, exact[bad].tolist(), dtype)


def read_parquet_dask(
    path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    columns: Sequence[Hashable] | None = None,
    index: str | None = None,
    dtype: str = "float32",
) -> DaskDataFrame:
    """Read Parquet files of answer codes into a dask DataFrame, numbered across the files.

    The Parquet twin of :func:`read_csv_dask`: one partition per row group, read by
    pyarrow on one thread (dask runs the partitions side by side) straight into one
    ``float32`` (or ``float64``) array, with only the columns asked for read from the
    files. The files' footers are read at once (to check their columns, count their
    rows and look at each row group's least and greatest values); nothing else is read
    until the result is computed.

    Parameters
    ----------
    path : str, path or list of them
        A Parquet file, a folder (its ``*.parquet`` files, in sorted order), a glob
        pattern (``"waves/*.parquet"``) or a list of those. The files hold the same
        columns.
    columns : sequence of column names, optional
        The columns to read, in this order (default: all but ``index`` and those in
        which pandas stored a frame's index, such as ``__index_level_0__``: what
        ``pandas.read_parquet`` reads as columns).
    index : str, optional
        A column of respondent ids to use as the index. By default the rows are
        numbered 0, 1, 2, ... across all files, in the order of the files (from the row
        counts in the footers: no pass over the data), so every respondent has a label
        of its own and dask knows where every partition starts.
    dtype : {"float32", "float64"}, default "float32"
        Type of the columns read. Answer codes fit ``float32`` exactly (and use half
        the memory); missing values are NaN (a column stored as missing values only,
        too); True/False read as 1 and 0.

    Returns
    -------
    dask DataFrame
        Lazy; one partition per row group (write the files with row groups of a few
        hundred thousand rows, e.g. ``row_group_size=2**18``, to spread the work).

    Raises
    ------
    ImportError
        dask or pyarrow is not installed (``pip install "peoscales[dask]"``).
    FileNotFoundError
        ``path`` matches no file, or is a folder without ``*.parquet`` files.
    MissingColumnsError
        At once: ``columns`` or ``index`` names a column a file lacks (the message names
        the file).
    DuplicateColumnsError
        At once: a file has two columns of a name that is read.
    DataTypeError
        At once: a file that is not Parquet, or a column read that does not hold
        numbers (text, categories, dates; the message names the columns and their
        types). Numbers ``dtype`` would change: with ``float32``, whole numbers beyond
        2**24 that it rounds or numbers beyond its range (read them with
        ``dtype="float64"``); with either, whole numbers beyond 2**53 that it rounds
        (ids: ``index=...``). The message names the file, the row group and the column;
        raised at once where the row group's statistics (which pyarrow and pandas write
        by default) show such a number, otherwise when computed.
    ParameterError
        An unknown ``dtype``, a ``path`` that is no file name, folder, pattern or list of
        them, ``columns`` that is not a non-empty list of names (or names one twice, or
        the index), an ``index`` that is not one column name.

    Notes
    -----
    The values are those ``pandas.read_parquet`` reads from the same files, as
    ``dtype``, with missing values NaN. Reading straight into one array skips pyarrow's
    conversion to pandas (a ``float64`` copy of each ``int8`` column with missing values
    and then a consolidation of the columns), which took about as long as reading the
    row group itself.

    Whether a column of wide numbers (32- or 64-bit whole numbers, ``float64``) fits
    ``dtype`` is decided from each row group's least and greatest values where the
    file holds them: no look at the values is needed when both fit, such as ids below
    2**24 in ``float32``.

    Examples
    --------
    >>> import os, tempfile
    >>> import pandas as pd
    >>> import peoscales
    >>> folder = tempfile.mkdtemp()
    >>> pd.DataFrame({"brs_1": [4, 2], "brs_2": [2, None]}).to_parquet(
    ...     os.path.join(folder, "a.parquet"))
    >>> pd.DataFrame({"brs_1": [5], "brs_2": [1]}).to_parquet(
    ...     os.path.join(folder, "b.parquet"))
    >>> answers = peoscales.read_parquet_dask(folder)
    >>> answers.divisions
    (0, 2, 2)
    >>> answers.compute()
       brs_1  brs_2
    0    4.0    2.0
    1    2.0    NaN
    2    5.0    1.0
    """
    from peoscales._scaleout import _require_dask

    dd = _require_dask("read_parquet_dask")
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            'read_parquet_dask needs pyarrow; install it with pip install "peoscales[dask]".'
        ) from exc
    if dtype not in _DTYPES:
        raise ParameterError(f"dtype must be one of {_DTYPES}, got {dtype!r}.")
    if index is not None and not isinstance(index, str):
        raise ParameterError(f"index must be the name of one column, got {index!r}.")
    files = _parquet_files(path)
    schema = _open_parquet(files[0]).schema_arrow
    names = list(schema.names)
    if index is not None and index not in names:
        raise MissingColumnsError(
            f"index={index!r} is not a column of file {files[0]!r} (columns: {preview(names)})."
        )
    stored_index = _pandas_index_columns(schema)
    wanted = _wanted_columns(columns, [n for n in names if n not in stored_index], index)
    groups: list[_RowGroup] = []
    first = 0
    for file in files:
        for group, rows, look in _parquet_layout(file, wanted, index, dtype):
            if rows:  # an empty row group holds no rows (and would repeat a division)
                groups.append(_RowGroup(file, group, first, rows, look))
                first += rows
    meta = _empty(wanted, index, dtype)
    if index is not None:  # labels of the index column's type, as each partition has
        meta.index = _parquet_labels(schema.field(index).type, index)
    if not groups:  # files without rows: one empty partition
        groups = [_RowGroup(files[0], -1, 0, 0)]
    divisions = None
    if index is None:
        divisions = [g.first for g in groups] + [max(groups[-1].first + groups[-1].n_rows - 1, 0)]
    return dd.from_map(
        _RowGroupReader(wanted, index, dtype, meta),
        groups,
        meta=meta,
        divisions=divisions,
        label="read-parquet-peoscales",
        enforce_metadata=False,
    )


class _RowGroupReader:
    """The function dask calls per row group (a class, so that it pickles to workers)."""

    def __init__(self, names: list[str], index: str | None, dtype: str, meta: pd.DataFrame) -> None:
        self.names, self.index, self.dtype, self.meta = names, index, dtype, meta

    def __call__(self, group: _RowGroup) -> pd.DataFrame:
        if group.n_rows == 0:  # the one partition of files without rows
            return self.meta.copy()
        return _read_row_group(group, self.names, self.index, self.dtype)
