"""Reliability of one scale: alpha with its interval, omega, split halves and the item analysis."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Hashable
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from peoscales._kernels import reliability as _k
from peoscales._kernels._blas import single_blas_thread
from peoscales._reliability.display import CI, MAX_SPLITS, Missing
from peoscales._reliability.items import (
    _check_block,
    _check_pairs,
    _constant_items,
    _polychoric_r,
    _rows,
)
from peoscales._reliability.omega_coefficient import _warn_general_signs
from peoscales._reliability.results import ScaleReliability
from peoscales._stack import user_stacklevel
from peoscales._validation import (
    check_memory,
    check_option,
    check_probability,
    preview,
)
from peoscales.errors import (
    InsufficientDataError,
    ParameterError,
    ReverseKeyWarning,
)


def _bootstrap_context(ci: CI) -> contextlib.AbstractContextManager[Any]:
    """One BLAS thread while a bootstrap runs: it spreads its batches over threads itself."""
    return single_blas_thread() if ci == "bootstrap" else contextlib.nullcontext()


def _scale_reliability(
    x_all: np.ndarray,
    sid: str,
    label: str,
    cols: list[Hashable],
    reversed_cols: set[Hashable],
    *,
    ci: CI,
    level: float,
    n_boot: int,
    rng: np.random.Generator,
    missing: str,
    ordinal: bool,
    full: bool = True,
) -> ScaleReliability:
    _check_block(x_all, cols, sid)
    x, n_excluded = _rows(x_all, missing)
    # Column-major: the per-item reductions below (spread, counts, sums) run ten times
    # faster over contiguous columns than over the rows of a row-major array.
    x = np.asfortranarray(x)
    _check_respondents(x.shape[0], n_excluded, sid, missing)
    constant = _constant_items(x, cols, sid)
    sign = np.array([-1.0 if c in reversed_cols else 1.0 for c in cols])
    keyed = x * sign
    pair_r = None
    if not ordinal and missing != "listwise" and np.isnan(keyed).any():
        # Covariances and pairwise correlations from one set of products.
        cov, n_pairs, pair_r = _k.pairwise_cov_cor(keyed)
    else:
        cov, n_pairs = _k.pairwise_cov(keyed)
    _check_pairs(n_pairs, cols, sid)
    if ordinal:
        # Polychoric r of the answers as given, then the keys applied as signs:
        # reversing an item's categories negates its polychoric correlations exactly.
        rho, _ = _polychoric_r(x, f"scale {sid!r}") if not constant.any() else (cov * np.nan, False)
        basis = rho * np.outer(sign, sign)
        corr = basis
    else:
        basis = cov
        # Without missing answers every pair has the same rows: r follows from the
        # covariances (pairwise_cor would repeat the products).
        complete = missing == "listwise" or bool(n_pairs.min() == x.shape[0])
        corr = _k.cov_to_cor(cov) if complete or pair_r is None else pair_r
    item_moments = None
    if full:  # cronbach_alpha (full=False) reports no item table: skip its moments.
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            item_moments = _ItemMoments(
                n=(~np.isnan(x)).sum(axis=0),
                mean=np.nanmean(x, axis=0),
                sd=np.nanstd(x, axis=0, ddof=1),
            )
    return _scale_from_matrices(
        basis,
        corr,
        sid,
        label,
        cols,
        reversed_cols,
        n=int(x.shape[0]),
        n_excluded=n_excluded,
        constant=constant,
        item_moments=item_moments,
        ci=ci,
        level=level,
        rng=rng,
        missing=missing,
        ordinal=ordinal,
        full=full,
        bootstrap=lambda: _k.bootstrap_alphas(keyed, n_boot, rng),
    )


def _check_respondents(n: int, n_excluded: int, sid: str, missing: str) -> None:
    if n < 2:
        raise InsufficientDataError(
            f"Scale {sid!r}: {n} respondent(s) left after {missing} deletion "
            f"({n_excluded} rows left out); reliability needs at least two."
        )


class _ItemMoments(NamedTuple):
    """Answers, mean and sd (n - 1) of each item, as answered (before any reversal)."""

    n: np.ndarray
    mean: np.ndarray
    sd: np.ndarray


def _scale_from_matrices(
    basis: np.ndarray,
    corr: np.ndarray,
    sid: str,
    label: str,
    cols: list[Hashable],
    reversed_cols: set[Hashable],
    *,
    n: int,
    n_excluded: int,
    constant: np.ndarray,
    item_moments: _ItemMoments | None,
    ci: CI,
    level: float,
    rng: np.random.Generator,
    missing: str,
    ordinal: bool,
    full: bool = True,
    bootstrap: Callable[[], np.ndarray] | None = None,
) -> ScaleReliability:
    """Every statistic of one scale from its keyed covariance (or polychoric) matrix
    ``basis`` and correlation matrix ``corr``: they depend on the data through these
    matrices only, so a reduction of data read in partitions gives the same result.

    ``bootstrap`` draws the replicate alphas (it needs the rows); None refuses
    ``ci="bootstrap"``.
    """
    k = len(cols)
    stats = _k.scale_statistics(basis)
    if constant.any():
        stats = {
            key: np.full_like(np.asarray(val, dtype=float), np.nan) for key, val in stats.items()
        }

    alpha = float(stats["std_alpha"] if ordinal else stats["raw_alpha"])
    ci_low = ci_high = float("nan")
    replicates = None
    if ci == "feldt":
        ci_low, ci_high = _k.feldt_interval(alpha, n, k, level)
    elif ci == "bootstrap" and not constant.any():
        if bootstrap is None:  # pragma: no cover - the public layer refuses it first
            raise ParameterError("a bootstrap interval needs the respondents' rows.")
        replicates = bootstrap()
        tail = (1.0 - level) / 2.0
        # nanquantile is several times slower than quantile: only where a replicate is NaN.
        quantile = np.nanquantile if np.isnan(replicates).any() else np.quantile
        ci_low, ci_high = (float(v) for v in quantile(replicates, [tail, 1.0 - tail]))

    omega_t = float("nan")
    omega_flipped: tuple[Hashable, ...] = ()
    if full and k >= 3 and not constant.any() and np.isfinite(corr).all():
        # As psych::omega (flip = TRUE): items loading negatively are reversed for omega.
        omega_t, _, omega_keys = _k.omega_one_factor(corr)
        omega_flipped = tuple(c for c, key in zip(cols, omega_keys) if key < 0)
    odd_even = split_mean = float("nan")
    if full and not constant.any():
        odd = np.zeros((1, k))
        odd[0, ::2] = 1.0
        odd_even = float(_k.spearman_brown_splits(basis, odd)[0])
        halves, _ = _k.split_vectors(k, MAX_SPLITS, rng)
        split_mean = float(np.mean(_k.spearman_brown_splits(basis, halves)))

    item_table = (
        _item_table(item_moments, cols, reversed_cols, stats, ordinal)
        if full and item_moments is not None
        else pd.DataFrame()
    )
    r_drop = np.asarray(stats["r_drop"])
    average_r = float(stats["average_r"])
    suspects = _reverse_suspects(corr, cols) if np.isfinite(corr).all() else []
    if suspects or (np.isfinite(average_r) and average_r < 0) or np.any(r_drop < 0):
        if not suspects:
            suspects = [c for c, r in zip(cols, r_drop) if r < 0]
        omega_note = ""
        if omega_flipped:
            omega_note = (
                f" Omega total reversed {preview(list(omega_flipped))} (as psych::omega, "
                "whose factor direction is arbitrary); alpha and the item statistics use "
                "the items as keyed."
            )
        warnings.warn(
            f"Items of scale {sid!r} correlate negatively with the rest of the scale "
            f"(average inter-item r = {average_r:.3f}); {preview(suspects)} "
            f"{'looks' if len(suspects) == 1 else 'look'} reverse-keyed. Check the "
            "instrument's reverse keys (or pass reverse=[...] for an ad-hoc item set); "
            f"alpha was computed without reversing anything.{omega_note}",
            ReverseKeyWarning,
            stacklevel=user_stacklevel(),
        )
    elif omega_flipped:
        _warn_general_signs(omega_flipped, (), f"scale {sid!r}")
    return ScaleReliability(
        scale=sid,
        label=label,
        items=tuple(cols),
        reverse=tuple(c for c in cols if c in reversed_cols),
        n=n,
        n_excluded=n_excluded,
        k=k,
        missing=missing,
        ordinal=ordinal,
        alpha=alpha,
        std_alpha=float(stats["std_alpha"]),
        ci_low=ci_low,
        ci_high=ci_high,
        ci_method=ci,
        confidence=level,
        g6=float(stats["g6"]),
        average_r=average_r,
        median_r=float(stats["median_r"]),
        omega_total=omega_t,
        split_half_odd_even=odd_even,
        split_half_random=split_mean,
        item_table=item_table,
        replicates=replicates,
        omega_flipped=omega_flipped,
    )


def _item_table(
    item_moments: _ItemMoments,
    cols: list[Hashable],
    reversed_cols: set[Hashable],
    stats: dict[str, np.ndarray],
    ordinal: bool,
) -> pd.DataFrame:
    """Per item: n, mean, sd, reversed, r.cor, r.drop and alpha if deleted."""
    return pd.DataFrame(
        {
            "n": item_moments.n,
            "mean": item_moments.mean,
            "sd": item_moments.sd,
            "reversed": [c in reversed_cols for c in cols],
            "r_cor": stats["r_cor"],
            "r_drop": stats["r_drop"],
            "alpha_if_deleted": stats["std_alpha_if_deleted" if ordinal else "alpha_if_deleted"],
        },
        index=pd.Index(cols, name="item"),
    )


def _reverse_suspects(corr: np.ndarray, cols: list[Hashable]) -> list[Hashable]:
    """Items loading negatively on the first principal component (as psych's check).

    The component is oriented so that most items load positively; on a tie, so
    that the first item does.
    """
    _, vectors = np.linalg.eigh(corr)
    v = vectors[:, -1]
    negative = int((v < 0).sum())
    if 2 * negative > len(v) or (2 * negative == len(v) and v[0] < 0):
        v = -v
    return [c for c, value in zip(cols, v) if value < 0]


def _check_common(
    ci: Any, level: Any, n_boot: Any, missing: Any, ordinal: Any
) -> tuple[CI, float, int, Missing, bool]:
    check_option("ci_method", ci, ["feldt", "bootstrap", None])
    check_option("missing", missing, ["pairwise", "listwise"])
    level = check_probability("confidence", level)
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 10:
        raise ParameterError(f"n_boot must be a whole number of at least 10, got {n_boot!r}.")
    if ci == "bootstrap":
        # About four float64 values per replicate are alive at once (the estimates,
        # their sorted copy and the interval's work arrays).
        check_memory(f"n_boot={n_boot:,}", 32.0 * n_boot, "Use fewer replicates (1,000 to 10,000).")
    if not isinstance(ordinal, bool):
        raise ParameterError(f"ordinal must be True or False, got {ordinal!r}.")
    if ordinal and ci == "bootstrap":
        raise ParameterError(
            "ci_method='bootstrap' is not available with ordinal=True (each replicate would need "
            "its own polychoric matrix); use ci_method='feldt' or ci_method=None."
        )
    return ci, level, int(n_boot), missing, ordinal
