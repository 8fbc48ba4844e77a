"""The shared input checks: conversion of item columns to one float array."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from peoscales._validation import as_frame, numeric_block
from peoscales.errors import DataTypeError, DuplicateColumnsError


@pytest.mark.parametrize("order", [["a", "b", "c"], ["c", "a"], ["b"]])
def test_plain_numeric_columns_in_one_step_equal_column_by_column(order):
    frame = pd.DataFrame(
        {"a": [1, 2, 3], "b": [0.5, np.nan, 2.0], "c": np.array([7, 8, 9], dtype=np.uint8)}
    )
    block = numeric_block(frame, order)
    expected = np.column_stack([frame[c].to_numpy(dtype=float) for c in order])
    np.testing.assert_array_equal(block, expected)
    assert block.dtype == np.float64 and block.flags.c_contiguous
    # The result is a new array: writing to it leaves the caller's frame alone.
    block[:] = -1.0
    assert frame.loc[0, order[0]] != -1.0


def test_extension_bool_and_numeric_text_columns_are_converted():
    frame = pd.DataFrame(
        {
            "ints": pd.array([1, None, 3], dtype="Int64"),
            "flags": [True, False, True],
            "texts": ["1", "2.5", None],
        }
    )
    block = numeric_block(frame, ["ints", "flags", "texts"])
    np.testing.assert_array_equal(block, [[1.0, 1.0, 1.0], [np.nan, 0.0, 2.5], [3.0, 1.0, np.nan]])


def test_non_numeric_values_are_named_with_their_rows():
    frame = pd.DataFrame({"a": [1, 2], "sex": ["vrouw", "man"]}, index=[10, 11])
    with pytest.raises(DataTypeError, match=r"'sex' \(e\.g\. 'vrouw', 'man' in rows 10, 11\)"):
        numeric_block(frame, ["a", "sex"])


def test_duplicated_column_names_are_refused():
    frame = pd.DataFrame([[1, 2, 3]], columns=["a", "b", "a"])
    with pytest.raises(DuplicateColumnsError, match="'a'"):
        as_frame(frame)
