"""Reliability from a covariance or correlation matrix and its number of observations.

``cronbach_alpha(matrix, n_obs=...)`` and ``omega(matrix, n_obs=...)`` take the matrix
instead of raw items, as psych's ``alpha`` and ``omega`` do (a published correlation
table, or data that may not leave the organisation).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from peoscales._validation import as_frame, numeric_block, preview
from peoscales.errors import ParameterError

#: Largest asymmetry accepted in a matrix given as input (rounding in published tables).
SYMMETRY_TOLERANCE = 1e-6


def item_matrix(
    matrix: Any, n_obs: Any, reverse: Sequence[Hashable] | None, argname: str = "items"
) -> tuple[np.ndarray, list[Hashable], int]:
    """The checked, symmetrised matrix with reverse-keyed items' signs turned, its
    item names and ``n_obs``."""
    frame = as_frame(matrix, argname)
    cols = list(frame.columns)
    if isinstance(n_obs, bool) or not isinstance(n_obs, (int, np.integer)) or n_obs < 2:
        raise ParameterError(
            f"n_obs must be the whole number of respondents the matrix is based on (at "
            f"least 2), got {n_obs!r}."
        )
    if frame.shape[0] != frame.shape[1] or list(frame.index) != cols:
        raise ParameterError(
            f"With n_obs, {argname} must be a square covariance or correlation matrix whose "
            f"row labels equal its column labels; got {frame.shape[0]} rows "
            f"({preview(list(frame.index))}) and {frame.shape[1]} columns "
            f"({preview(cols)}). Leave n_obs out to pass raw item scores."
        )
    c = numeric_block(frame, cols, argname)
    if not np.isfinite(c).all():
        raise ParameterError(f"The matrix {argname} has missing or infinite values.")
    if np.abs(c - c.T).max() > SYMMETRY_TOLERANCE * max(1.0, float(np.abs(c).max())):
        raise ParameterError(f"The matrix {argname} is not symmetric; pass a covariance or "
                             "correlation matrix.")  # fmt: skip
    if not (np.diag(c) > 0).all():
        bad = [col for col, v in zip(cols, np.diag(c), strict=True) if not v > 0]
        raise ParameterError(
            f"Items without variance on the diagonal of {argname}: {preview(bad)}."
        )
    stray = [r for r in (reverse or []) if r not in set(cols)]
    if stray:
        raise ParameterError(
            f"reverse names {preview(stray)}, which are not items of {argname} ({preview(cols)})."
        )
    sign = np.array([-1.0 if col in set(reverse or []) else 1.0 for col in cols])
    c = (c + c.T) / 2 * np.outer(sign, sign)
    return c, cols, int(n_obs)


def alpha_from_matrix(c: np.ndarray) -> tuple[float, float]:
    """Raw alpha from the matrix as given, standardised alpha from its correlations."""
    k = c.shape[0]
    raw = k / (k - 1) * (1 - np.trace(c) / c.sum())
    sd = np.sqrt(np.diag(c))
    r = c / np.outer(sd, sd)
    std = k / (k - 1) * (1 - k / r.sum())
    return float(raw), float(std)
