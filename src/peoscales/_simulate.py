"""Synthetic questionnaire responses from a factor model with thresholds.

Used by the demo data set, the tests, the benchmarks and the notebooks. The
responses are plausible, not realistic in every respect: each scale measures one
latent factor, the factors correlate, and every item is a noisy, thresholded
indicator of its factor. Reverse-keyed items load negatively, so that after
reversal every item of a scale correlates positively with the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtri
from scipy.stats import binom

from peoscales._deprecation import renamed_arguments
from peoscales._scoring import _instruments, _select_scales
from peoscales._validation import generator, physical_memory, preview
from peoscales.errors import DataTypeError, ParameterError
from peoscales.instruments.model import Instrument, ResponseScale

__all__ = ["simulate"]

InstrumentLike = str | Instrument


def _rng(seed: Any) -> np.random.Generator:
    return generator(seed)


def _share(name: str, value: Any, *, upper_open: bool) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a number, got {value!r}.") from None
    ok = 0.0 <= out < 1.0 if upper_open else 0.0 <= out <= 1.0
    if isinstance(value, bool) or not ok:
        bound = "[0, 1)" if upper_open else "[0, 1]"
        raise ParameterError(f"{name} must lie in {bound}, got {value!r}.")
    return out


def _factor_correlation(factor_corr: Any, names: list[str]) -> np.ndarray:
    """The factor correlation matrix from a common value or a full matrix."""
    s = len(names)
    if isinstance(factor_corr, pd.DataFrame):
        missing = [n for n in names if n not in factor_corr.index or n not in factor_corr.columns]
        if missing:
            raise ParameterError(
                f"factor_corr has no row/column for scale(s) {preview(missing)}; "
                f"label it with the scale ids {preview(names, 10)}."
            )
        matrix = factor_corr.loc[names, names].to_numpy(dtype=float)
    elif np.ndim(factor_corr) == 0:
        try:
            r = float(factor_corr)
        except (TypeError, ValueError):
            raise ParameterError(
                f"factor_corr must be a number or a matrix, got {factor_corr!r}."
            ) from None
        lower = -1.0 / (s - 1) if s > 1 else -1.0
        if not lower < r < 1.0:
            raise ParameterError(
                f"factor_corr={r!r} gives no valid correlation matrix for {s} factors; "
                f"use a value between {lower:.3g} and 1 (exclusive)."
            )
        matrix = np.full((s, s), r)
        np.fill_diagonal(matrix, 1.0)
    else:
        matrix = np.asarray(factor_corr, dtype=float)
        if matrix.shape != (s, s):
            raise ParameterError(
                f"factor_corr must be {s} x {s} (one row per scale: {preview(names, 10)}), "
                f"got shape {matrix.shape}."
            )
    if not np.allclose(matrix, matrix.T) or not np.allclose(np.diag(matrix), 1.0):
        raise ParameterError("factor_corr must be symmetric with ones on the diagonal.")
    if np.linalg.eigvalsh(matrix).min() < -1e-10:
        raise ParameterError(
            "factor_corr is not positive semi-definite, so no data can have these "
            "correlations; lower the off-diagonal values."
        )
    return matrix


def _factor_scores(
    factor_scores: Any, n: int, names: list[str], corr: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    if factor_scores is None:
        # Eigen-decomposition rather than Cholesky: works for singular matrices too.
        values, vectors = np.linalg.eigh(corr)
        root = vectors * np.sqrt(np.clip(values, 0.0, None))
        return rng.standard_normal((n, len(names))) @ root.T
    if isinstance(factor_scores, pd.DataFrame):
        missing = [s for s in names if s not in factor_scores.columns]
        if missing:
            raise ParameterError(
                f"factor_scores has no column for scale(s) {preview(missing)}; name its "
                f"columns by scale id ({preview(names, 10)})."
            )
        block = factor_scores[names]
        if not all(pd.api.types.is_numeric_dtype(t) for t in block.dtypes):
            raise DataTypeError("factor_scores must hold numbers only.")
        scores = block.to_numpy(dtype=float)
    else:
        scores = np.asarray(factor_scores, dtype=float)
        if scores.ndim == 1 and len(names) == 1:
            scores = scores[:, None]
    if scores.shape != (n, len(names)):
        raise ParameterError(
            f"factor_scores must be n x scales = {n} x {len(names)} "
            f"({preview(names, 10)}), got shape {scores.shape}."
        )
    if not np.isfinite(scores).all():
        raise ParameterError("factor_scores must be finite numbers (no NaN or infinity).")
    return scores


def _codes(rs: ResponseScale) -> np.ndarray:
    """The substantive codes of a likert scale, in order."""
    codes = np.asarray(rs.substantive_codes, dtype=float)
    if codes.size >= 2:
        return np.sort(codes)
    # A likert scale without listed options: whole numbers over the declared range.
    return np.arange(float(rs.min or 0.0), float(rs.max or 0.0) + 1.0)


def _thresholds(n_codes: int, skew: float) -> np.ndarray:
    """Latent thresholds giving a bell-shaped marginal tilted towards the high codes.

    Category probabilities are a binomial(K - 1, 0.5 + skew / 3) shape mixed with
    20% uniform, so every code occurs; the thresholds are their normal quantiles.
    """
    q = 0.5 + skew / 3.0
    pmf = binom.pmf(np.arange(n_codes), n_codes - 1, q)
    probs = 0.8 * pmf + 0.2 / n_codes
    return ndtri(np.cumsum(probs)[:-1] / probs.sum())


def _physical_memory() -> int | None:
    return physical_memory()


def _check_size(n: int, n_items: int, n_factors: int) -> None:
    """Refuse, before allocating anything, a simulation that cannot fit in memory.

    The arrays alive at once are the latent scores, the codes, one block of
    positions and the factor scores: about four float64 values per answer.
    """
    needed = 8 * (4 * n * n_items + n * n_factors)
    memory = _physical_memory()
    if memory is not None and needed > memory:
        raise ParameterError(
            f"n={n:,} respondents x {n_items} items needs about {needed / 2**30:,.1f} GiB, "
            f"more than this computer's {memory / 2**30:,.1f} GiB of memory. Simulate fewer "
            "respondents, or several batches (each with its own seed) written out one by one."
        )


@renamed_arguments(missing="missing_share")
def simulate(
    instrument: InstrumentLike | Sequence[InstrumentLike],
    n: int,
    *,
    seed: int | np.random.Generator | None = None,
    scales: Sequence[str] | str | None = None,
    missing_share: float = 0.0,
    loading: float = 0.7,
    factor_corr: float | np.ndarray | pd.DataFrame = 0.3,
    factor_scores: np.ndarray | pd.DataFrame | None = None,
    skew: float = 0.3,
    item_spread: float = 0.15,
) -> pd.DataFrame:
    """Simulate plausible responses to one or more instruments.

    Parameters
    ----------
    instrument : str, Instrument or list of them
        E.g. ``"brs"`` or ``["brs", "swing12", "wbns"]``.
    n : int
        Number of respondents.
    seed : int or numpy.random.Generator, optional
        Makes the result reproducible.
    scales : list of str, optional
        Simulate only the items of these scales (default: all scales).
    missing_share : float, default 0.0
        Share of answers left empty, completely at random (MCAR), in [0, 1).
    loading : float, default 0.7
        Standardised loading of every item on its scale's factor, in (0, 1).
    factor_corr : float or matrix, default 0.3
        Correlation between the factors: one common value, or an s x s matrix
        (a DataFrame labelled by scale id, or an array in scale order).
    factor_scores : array or DataFrame, optional
        n x s latent scores to use instead of drawing them, one column per scale
        (a DataFrame with scale-id columns, or an array in scale order). Use it to
        build in group differences or relations with other variables; on the
        standard-normal scale a shift of 0.5 is about half a standard deviation
        of the item latents. ``factor_corr`` is then ignored.
    skew : float, default 0.3
        Tilt of the answer distributions towards the keyed-high end of each item,
        in [-1, 1]: 0 gives symmetric bell-shaped marginals; positive values give
        the mild acquiescence typical of agreement scales. Reverse-keyed items
        tilt towards the low codes, so their reversed codes tilt high as well.
    item_spread : float, default 0.15
        Standard deviation of a random shift of each item's thresholds, so that
        items differ a little in difficulty.

    Returns
    -------
    DataFrame
        One column per item (item ids, questionnaire order), float codes within
        the declared response range, NaN for missing answers; a RangeIndex.

    Raises
    ------
    ParameterError
        For an unknown instrument or scale, an option outside its range, or an
        ``n`` so large that the answers cannot fit in memory (checked first).

    Notes
    -----
    For respondent :math:`i` and item :math:`j` of scale :math:`s(j)` the item
    latent is

    .. math:: z_{ij} = \\pm\\lambda\\,\\eta_{i,s(j)} + \\sqrt{1 - \\lambda^2}\\,
              \\varepsilon_{ij}, \\qquad \\eta_i \\sim N(0, \\Phi),\\;
              \\varepsilon_{ij} \\sim N(0, 1),

    with the minus sign for reverse-keyed items. The code is the
    :math:`c`-th response option when :math:`\\tau_{j,c-1} < z_{ij} \\le
    \\tau_{j,c}`: the graded-threshold model behind ordinal factor analysis
    (e.g. Muthén, 1984, Psychometrika 49, 115-132). The thresholds are normal
    quantiles of a binomial-shaped marginal tilted by ``skew``, mirrored for
    reverse-keyed items, and shifted per item by ``item_spread``.

    Examples
    --------
    >>> import peoscales
    >>> answers = peoscales.simulate("brs", 4, seed=1)
    >>> list(answers.columns)
    ['brs_1', 'brs_2', 'brs_3', 'brs_4', 'brs_5', 'brs_6']
    >>> bool(answers.isin([1.0, 2.0, 3.0, 4.0, 5.0]).all().all())
    True
    >>> many = peoscales.simulate(["brs", "swing12"], 1000, seed=2, missing_share=0.05)
    >>> round(float(many.isna().mean().mean()), 2)
    0.05
    """
    instruments = _instruments(instrument)
    chosen = _select_scales(instruments, scales)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ParameterError(f"n must be a whole number of respondents (0 or more), got {n!r}.")
    n = int(n)
    _check_size(n, sum(len(scale.items) for scale in chosen), len(chosen))
    rng = _rng(seed)
    missing_share = _share("missing_share", missing_share, upper_open=True)
    lam = _share("loading", loading, upper_open=False)
    if not 0.0 < lam < 1.0:
        raise ParameterError(f"loading must lie strictly between 0 and 1, got {loading!r}.")
    try:
        skew = float(skew)
        spread = float(item_spread)
    except (TypeError, ValueError):
        raise ParameterError("skew and item_spread must be numbers.") from None
    if not -1.0 <= skew <= 1.0:
        raise ParameterError(f"skew must lie in [-1, 1], got {skew!r}.")
    if not 0.0 <= spread <= 1.0:
        raise ParameterError(f"item_spread must lie in [0, 1], got {item_spread!r}.")

    names = [s.id for s in chosen]
    corr = _factor_correlation(factor_corr, names) if factor_scores is None else None
    eta = _factor_scores(
        factor_scores, n, names, corr if corr is not None else np.eye(len(names)), rng
    )

    # Items in questionnaire order, instrument by instrument.
    wanted = {iid: k for k, scale in enumerate(chosen) for iid in scale.items}
    item_ids: list[str] = []
    rs_of: dict[str, ResponseScale] = {}
    reverse: list[bool] = []
    for inst in instruments:
        for iid in inst.administration_order:
            if iid in wanted:
                item_ids.append(iid)
                rs_of[iid] = inst.response_scale_of(iid)
                reverse.append(inst.items[iid].reverse)
    factor_of = np.array([wanted[i] for i in item_ids], dtype=np.intp)
    sign = np.where(reverse, -1.0, 1.0)

    latent = eta[:, factor_of] * (lam * sign)
    latent += np.sqrt(1.0 - lam**2) * rng.standard_normal(latent.shape)
    shift = rng.normal(0.0, spread, size=len(item_ids)) if spread > 0 else np.zeros(len(item_ids))

    out = np.empty(latent.shape)
    groups: dict[str, list[int]] = {}
    for j, iid in enumerate(item_ids):
        groups.setdefault(rs_of[iid].id + f"@{id(rs_of[iid])}", []).append(j)
    for cols in groups.values():  # one pass per response scale, vectorised within
        idx = np.asarray(cols, dtype=np.intp)
        codes = _codes(rs_of[item_ids[cols[0]]])
        base = _thresholds(codes.size, skew)
        # Reverse-keyed items: mirrored thresholds, so their marginals tilt low.
        tau = np.where(sign[idx, None] < 0, -base[::-1], base) + shift[idx, None]
        position = np.zeros((n, idx.size), dtype=np.intp)
        block = latent[:, idx]
        for c in range(tau.shape[1]):
            position += block > tau[:, c]
        out[:, idx] = codes[position]
    if missing_share > 0:
        out[rng.random(out.shape) < missing_share] = np.nan
    return pd.DataFrame(out, columns=item_ids)
