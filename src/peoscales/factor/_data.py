"""Shared input handling of the factor models: item selection, missing values, correlations."""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from peoscales._validation import as_frame, check_option, numeric_block, preview, require_columns
from peoscales.errors import InsufficientDataError, ParameterError


class ItemMatrix(NamedTuple):
    """A correlation matrix of items and how it was obtained."""

    items: list[Hashable]
    r: np.ndarray
    x: np.ndarray  # rows used (listwise) or all rows with at least one answer (pairwise)
    n: int
    n_excluded: int


def item_columns(data: pd.DataFrame, items: Sequence[Hashable] | None) -> list[Hashable]:
    """The analysed columns: ``items`` or every column of ``data``."""
    columns = list(data.columns) if items is None else list(items)
    require_columns(data, columns)
    if len(columns) < 3:
        raise ParameterError(
            f"A factor analysis needs at least 3 items; got {len(columns)} "
            f"({preview(columns)}). Pass more columns with items=."
        )
    return columns


def _require_variance(columns: list[Hashable], x: np.ndarray) -> None:
    with warnings.catch_warnings():  # an all-empty column: NaN spread, reported below
        warnings.simplefilter("ignore", RuntimeWarning)
        spread = np.nanmax(x, axis=0) - np.nanmin(x, axis=0) if len(x) else np.zeros(len(columns))
    constant = [c for c, s in zip(columns, spread, strict=True) if not s > 0]
    if constant:
        raise InsufficientDataError(
            f"Items without variance: {preview(constant)}. Leave them out of items= "
            "(a constant item carries no information on the factors)."
        )


def item_correlations(
    data: pd.DataFrame, items: Sequence[Hashable] | None, missing: str
) -> ItemMatrix:
    """Pearson correlations of the items, listwise or pairwise, with the row counts."""
    data = as_frame(data)
    check_option("missing", missing, ("listwise", "pairwise"))
    columns = item_columns(data, items)
    x = numeric_block(data, columns)
    answered = ~np.isnan(x)
    if missing == "listwise":
        keep = answered.all(axis=1)
        x = x[keep]
        n_excluded = int((~keep).sum())
        if len(x) < 3:
            raise InsufficientDataError(
                f"Only {len(x)} rows of data are complete on the {len(columns)} items "
                f"({n_excluded} have a missing value); use missing='pairwise' or more data."
            )
        _require_variance(columns, x)
        r = np.corrcoef(x, rowvar=False)
    else:
        from peoscales._kernels.correlation import pairwise_pearson

        keep = answered.sum(axis=1) >= 2
        n_excluded = int((~keep).sum())
        x = x[keep]
        _require_variance(columns, x)
        r = pairwise_pearson(x).r
        if np.isnan(r).any():
            bad = [c for c, row in zip(columns, np.isnan(r).any(axis=1), strict=True) if row]
            raise InsufficientDataError(
                f"Items without two shared answers with every other item: {preview(bad)}. "
                "Leave them out of items= or use missing='listwise'."
            )
    if np.linalg.eigvalsh(r)[0] <= 1e-10:
        raise InsufficientDataError(
            "The item correlation matrix is singular (an item is a linear combination of "
            "others, or there are fewer rows than items); drop redundant items or add rows."
        )
    return ItemMatrix(columns, r, x, len(x), n_excluded)
