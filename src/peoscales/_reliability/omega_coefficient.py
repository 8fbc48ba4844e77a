"""``omega``: McDonald's omega total and hierarchical of a block of items."""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

from peoscales._kernels import reliability as _k
from peoscales._reliability.display import Missing
from peoscales._reliability.items import (
    _adhoc_block,
    _check_block,
    _constant_items,
    _polychoric_r,
    _rows,
)
from peoscales._reliability.results import OmegaResult
from peoscales._stack import user_stacklevel
from peoscales._validation import (
    check_option,
    preview,
)
from peoscales.errors import (
    InsufficientDataError,
    ParameterError,
    ReverseKeyWarning,
)


def _omega_block(
    block: np.ndarray,
    cols: list[Hashable],
    reversed_cols: set[Hashable],
    n_factors: int,
    missing: str,
    ordinal: bool,
) -> tuple[float, float, np.ndarray] | None:
    x, _ = _rows(block, missing)
    if x.shape[0] < 2:
        return None
    with np.errstate(invalid="ignore"):
        spread = np.nanmax(x, axis=0) - np.nanmin(x, axis=0)
    if not (spread > 0).all():
        return None
    sign = np.array([-1.0 if c in reversed_cols else 1.0 for c in cols])
    if ordinal:
        rho, _ = _polychoric_r(x, "data")
        corr = rho * np.outer(sign, sign)
    else:
        keyed = x * sign
        corr = _k.pairwise_cor(keyed) if missing == "pairwise" else np.corrcoef(keyed.T)
    if not np.isfinite(corr).all():
        return None
    omega_h, omega_t, g, _ = _k.omega_hierarchical(corr, n_factors)
    return omega_h, omega_t, g


def omega(
    items: pd.DataFrame,
    *,
    n_factors: int = 1,
    reverse: Sequence[Hashable] | None = None,
    flip: bool = True,
    missing: Missing = "pairwise",
    ordinal: bool = False,
    n_obs: int | None = None,
) -> OmegaResult:
    """McDonald's omega total, and omega hierarchical with group factors.

    Parameters
    ----------
    items : DataFrame
        One column per item. Never modified.
    n_factors : int
        1: omega total from a one-factor model. 2 or more: a Schmid-Leiman
        bifactor model with this many group factors, giving omega hierarchical
        too (as ``psych::omega(items, nfactors = n_factors)``).
    reverse : list, optional
        Reverse-keyed columns (entered negated).
    flip : bool
        Reverse the items that still load negatively on the general factor, as
        ``psych::omega`` does by default (``flip = TRUE``). They are listed in
        ``result.flipped`` and named in a :class:`ReverseKeyWarning`; declare
        them in ``reverse`` to make the keys explicit. ``False`` keeps the items
        as keyed (omega total is then misleading, and can be negative, when some
        load negatively; a warning says so).
    missing : {"pairwise", "listwise"}
    ordinal : bool
        Use polychoric instead of Pearson correlations.
    n_obs : int, optional
        Given: ``items`` is a correlation (or covariance) matrix of the items, with
        item names as row and column labels, from ``n_obs`` respondents (as
        ``psych::omega(r, n.obs=)``); a covariance matrix is turned into correlations.

    Returns
    -------
    OmegaResult
        ``float(result)`` is omega total; ``flipped`` the items reversed
        automatically.

    Warns
    -----
    ReverseKeyWarning
        Items load negatively on the general factor (they were reversed with
        ``flip=True``, left as they are with ``flip=False``).

    Notes
    -----
    Factors are fitted by minimum residual (unweighted least squares) on the
    correlation matrix :math:`R`; :math:`\\omega_t = (\\mathbf 1'R\\mathbf 1 -
    \\sum_j u_j^2)/\\mathbf 1'R\\mathbf 1` with uniquenesses :math:`u_j^2 = 1 -
    h_j^2`, and :math:`\\omega_h = (\\sum_j g_j)^2/\\mathbf 1'R\\mathbf 1` with the
    general-factor loadings :math:`g` of the Schmid-Leiman solution (oblimin
    group factors, the general factor from their correlations; with two group
    factors both load :math:`\\sqrt{\\phi_{12}}`). McDonald (1999); Zinbarg et
    al. (2005); Revelle (2022), ``psych::omega``.

    Reverse keys: with ``flip=True`` (psych's default) the items whose general
    loading is negative are reversed before :math:`\\mathbf 1'R\\mathbf 1` is
    taken, so reverse-keyed items that were not declared do not drag omega
    towards zero (or below it). The sign of a factor is arbitrary: the factor
    is oriented so that its loadings sum to a positive number (as ``psych::fa``),
    and when the reversed items outweigh the others it is the others that are
    reported as flipped; omega is the same either way.

    Examples
    --------
    >>> import numpy as np, pandas as pd, peoscales
    >>> rng = np.random.default_rng(3)
    >>> f = rng.normal(size=300)
    >>> items = pd.DataFrame({f"i{j}": 0.7 * f + rng.normal(size=300) for j in range(5)})
    >>> round(float(peoscales.omega(items)), 3)
    0.735
    """
    check_option("missing", missing, ["pairwise", "listwise"])
    if isinstance(n_factors, bool) or not isinstance(n_factors, (int, np.integer)) or n_factors < 1:
        raise ParameterError(f"n_factors must be a whole number of at least 1, got {n_factors!r}.")
    if n_obs is not None:
        return _omega_from_matrix(items, n_obs, n_factors, reverse, flip, ordinal)
    x_all, cols, rev, _ = _adhoc_block(items, reverse)
    _check_block(x_all, cols, "items")
    if len(cols) < 3 * n_factors:
        raise InsufficientDataError(
            f"omega with n_factors={n_factors} needs at least {3 * n_factors} items "
            f"(three per factor), got {len(cols)}."
        )
    x, n_excluded = _rows(x_all, missing)
    constant = _constant_items(x, cols, "items")
    nan = float("nan")
    if constant.any():
        g = np.full(len(cols), nan)
        return OmegaResult(
            nan, nan, n_factors, pd.Series(g, index=cols, name="g"), x.shape[0], n_excluded
        )
    if not isinstance(flip, bool):
        raise ParameterError(f"flip must be True or False, got {flip!r}.")
    sign = np.array([-1.0 if c in rev else 1.0 for c in cols])
    if ordinal:
        rho, _ = _polychoric_r(x, "items")
        corr = rho * np.outer(sign, sign)
    else:
        keyed = x * sign
        corr = _k.pairwise_cor(keyed) if missing == "pairwise" else np.corrcoef(keyed.T)
    if n_factors == 1:
        omega_t, load, keys = _k.omega_one_factor(corr, flip)
        omega_h = nan
    else:
        omega_h, omega_t, load, keys = _k.omega_hierarchical(corr, n_factors, flip)
    flipped = tuple(c for c, key in zip(cols, keys) if key < 0)
    negative = [c for c, value in zip(cols, load) if value < 0]
    _warn_general_signs(flipped, negative, "")
    return OmegaResult(
        omega_t,
        omega_h,
        n_factors,
        pd.Series(load, index=cols, name="g"),
        x.shape[0],
        n_excluded,
        flipped=flipped,
    )


def _omega_from_matrix(
    items: pd.DataFrame,
    n_obs: int,
    n_factors: int,
    reverse: Sequence[Hashable] | None,
    flip: bool,
    ordinal: bool,
) -> OmegaResult:
    from peoscales._reliability.matrix import item_matrix

    if ordinal:
        raise ParameterError(
            "ordinal=True needs raw item scores; pass a polychoric correlation matrix as "
            "items instead (peoscales.polychoric)."
        )
    if not isinstance(flip, bool):
        raise ParameterError(f"flip must be True or False, got {flip!r}.")
    c, cols, n = item_matrix(items, n_obs, reverse)
    if len(cols) < 3 * n_factors:
        raise InsufficientDataError(
            f"omega with n_factors={n_factors} needs at least {3 * n_factors} items "
            f"(three per factor), got {len(cols)}."
        )
    sd = np.sqrt(np.diag(c))
    corr = c / np.outer(sd, sd)
    nan = float("nan")
    if n_factors == 1:
        omega_t, load, keys = _k.omega_one_factor(corr, flip)
        omega_h = nan
    else:
        omega_h, omega_t, load, keys = _k.omega_hierarchical(corr, n_factors, flip)
    flipped = tuple(c for c, key in zip(cols, keys) if key < 0)
    negative = [c for c, value in zip(cols, load) if value < 0]
    _warn_general_signs(flipped, negative, "")
    return OmegaResult(
        omega_t, omega_h, n_factors, pd.Series(load, index=cols, name="g"), n, 0, flipped=flipped
    )


def _warn_general_signs(
    flipped: Sequence[Hashable], negative: Sequence[Hashable], scale: str
) -> None:
    """Name the items omega reversed (or, without flipping, those loading negatively)."""
    where = f" of {scale}" if scale else ""
    if flipped:
        warnings.warn(
            f"Item(s) {preview(list(flipped))}{where} load negatively on the general "
            "factor and were reversed for omega, as psych::omega does (flip=True); the "
            "direction of a factor is arbitrary, so this equals reversing the other items. "
            "Declare reverse-keyed items with reverse=[...] (or in the instrument "
            "definition) to state the keys explicitly.",
            ReverseKeyWarning,
            stacklevel=user_stacklevel(),
        )
    elif negative:
        warnings.warn(
            f"Item(s) {preview(list(negative))}{where} load negatively on the general "
            "factor and were not reversed (flip=False), so omega total is too low and may "
            "be negative. Declare them with reverse=[...] or use flip=True.",
            ReverseKeyWarning,
            stacklevel=user_stacklevel(),
        )
