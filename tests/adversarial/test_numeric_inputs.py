"""Hostile data against every public analysis function: the catalogue's numeric part.

Each function meets each kind of odd input (not a frame, no rows, duplicated or missing
columns, text, infinite, complex, extreme, empty, constant, True/False, nullable, text
digits, dates, a duplicated index, ...). The table says what must happen: the input is
valid and the result equals an independent computation on the cleaned numbers
("handled"), or a named peoscales error whose message names the column ("refused").
Nothing may end in a raw exception or a silently different number, and the caller's data
is never modified.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import peoscales
from peoscales import errors as E

# --- the data every case starts from --------------------------------------------------


def base() -> pd.DataFrame:
    """30 respondents: three correlated 1-5 items a, b, c and two grouping columns."""
    rng = np.random.default_rng(20261204)
    latent = rng.normal(size=30)
    items = {
        name: np.clip(np.round(3 + latent + rng.normal(scale=0.9, size=30)), 1, 5).astype(int)
        for name in "abc"
    }
    return pd.DataFrame(
        {**items, "g": ["m", "v"] * 15, "g3": ["x", "y", "z"] * 10},
        index=pd.Index([f"r{i}" for i in range(30)], name="id"),
    )


ITEMS = ["a", "b", "c"]


def clean(data: pd.DataFrame) -> pd.DataFrame:
    """The items as the float numbers they stand for (what a reference computes on)."""
    out = data.copy()
    for col in ITEMS:
        if col in out:
            out[col] = pd.to_numeric(out[col].astype(object), errors="raise").astype(float)
    return out


# --- the functions, each with an independent reference for a valid input --------------


@dataclass(frozen=True)
class Function:
    call: Callable[[Any], Any]
    # observed number(s) from the result, and the same computed independently
    observed: Callable[[Any], Any]
    reference: Callable[[pd.DataFrame], Any]
    rtol: float = 1e-9


def _unit(d: pd.DataFrame) -> pd.DataFrame:
    """The items divided by their largest value: same correlations, no overflow in pandas."""
    return d[ITEMS] / d[ITEMS].abs().max()


def _alpha(d: pd.DataFrame) -> float:
    x = _items_only(d).dropna()
    k = x.shape[1]
    return k / (k - 1) * (1 - x.var(ddof=1).sum() / x.sum(axis=1).var(ddof=1))


def _ols(d: pd.DataFrame, y: str, xs: list[str]) -> np.ndarray:
    part = d[[y, *xs]].dropna()
    design = np.column_stack([np.ones(len(part)), part[xs].to_numpy(float)])
    return np.linalg.lstsq(design, part[y].to_numpy(float), rcond=None)[0]


def _indirect(d: pd.DataFrame) -> float:
    part = d[ITEMS].dropna()
    a = _ols(part, "b", ["a"])[1]
    b = _ols(part, "c", ["a", "b"])[2]
    return float(a * b)


def _welch(d: pd.DataFrame) -> float:
    part = d.dropna(subset=["a", "g"])
    groups = [part.loc[part["g"] == g, "a"] for g in sorted(part["g"].unique())]
    return float(stats.ttest_ind(*groups, equal_var=False).statistic)


def _oneway(d: pd.DataFrame) -> float:
    part = d.dropna(subset=["a", "g3"])
    groups = [part.loc[part["g3"] == g, "a"] for g in sorted(part["g3"].unique())]
    return float(stats.f_oneway(*groups).statistic)


def _items_only(d: Any) -> Any:
    return d[[c for c in d.columns if c not in ("g", "g3")]] if isinstance(d, pd.DataFrame) else d


FUNCTIONS: dict[str, Function] = {
    "describe": Function(
        lambda d: peoscales.describe(d, ITEMS),
        lambda r: r.to_frame()["mean"].to_numpy(),
        lambda d: d[ITEMS].mean().to_numpy(),
    ),
    "corr_matrix": Function(
        lambda d: peoscales.corr_matrix(d, columns=ITEMS),
        lambda r: r.r.to_numpy(),
        lambda d: _unit(d).corr().to_numpy(),
    ),
    "corr_matrix_spearman": Function(
        lambda d: peoscales.corr_matrix(d, columns=ITEMS, method="spearman"),
        lambda r: r.r.to_numpy(),
        lambda d: _unit(d).corr(method="spearman").to_numpy(),
    ),
    "ttest": Function(
        lambda d: peoscales.ttest(d, "a", "g"),
        lambda r: r.t,
        _welch,
    ),
    "anova": Function(
        lambda d: peoscales.anova(d, "a", "g3", posthoc=None),
        lambda r: r.f,
        _oneway,
    ),
    "regress": Function(
        lambda d: peoscales.regress(d, "a", ["b", "c"]),
        lambda r: r.to_frame()["b"].to_numpy(),
        lambda d: _ols(d, "a", ["b", "c"]),
    ),
    "paired_test": Function(
        lambda d: peoscales.paired_test(d, "a", "b"),
        lambda r: r.t,
        lambda d: float(stats.ttest_rel(*d[["a", "b"]].dropna().to_numpy().T).statistic),
    ),
    "one_sample_test": Function(
        lambda d: peoscales.one_sample_test(d, "a", mu=3),
        lambda r: r.t,
        lambda d: float(stats.ttest_1samp(d["a"].dropna(), 3).statistic),
    ),
    "cronbach_alpha": Function(
        lambda d: peoscales.cronbach_alpha(_items_only(d), missing="listwise", ci_method="feldt"),
        lambda r: r.alpha,
        _alpha,
    ),
    "reliability_items": Function(
        lambda d: peoscales.reliability(d, items=ITEMS, missing="listwise"),
        lambda r: r.to_frame()["alpha"].iloc[0],
        _alpha,
    ),
    "mediate": Function(
        lambda d: peoscales.mediate(d, "a", "b", "c", n_boot=100, seed=1),
        lambda r: r.indirect,
        _indirect,
    ),
}


# --- the odd inputs, and what each must do by default ---------------------------------


@dataclass(frozen=True)
class Handled:
    """Valid: the result equals the reference computed on ``clean(data)``; warnings of
    the listed peoscales classes may be issued (and no other warning)."""

    warns: tuple[type[Warning], ...] = ()


@dataclass(frozen=True)
class Refused:
    """A named peoscales error whose message matches (naming the column or argument)."""

    error: type[E.PeoscalesError]
    match: str


def _set(col: str, row: int, value: Any, dtype: Any = object) -> Callable[[pd.DataFrame], Any]:
    def make(d: pd.DataFrame) -> pd.DataFrame:
        d = d.copy()
        d[col] = d[col].astype(dtype)
        d.iloc[row, d.columns.get_loc(col)] = value
        return d

    return make


def _column(col: str, values: Callable[[pd.Series], Any]) -> Callable[[pd.DataFrame], Any]:
    def make(d: pd.DataFrame) -> pd.DataFrame:
        d = d.copy()
        d[col] = values(d[col])
        return d

    return make


INPUTS: dict[str, tuple[Callable[[pd.DataFrame], Any], Handled | Refused]] = {
    "list_of_rows": (
        lambda d: d.to_numpy().tolist(),
        Refused(E.DataTypeError, r"(data|items) must be a pandas DataFrame.*got list"),
    ),
    "numpy_array": (
        lambda d: d[ITEMS].to_numpy(),
        Refused(E.DataTypeError, r"(data|items) must be a pandas DataFrame.*got ndarray"),
    ),
    "none": (
        lambda d: None,
        Refused(E.DataTypeError, r"(data|items) must be a pandas DataFrame.*got NoneType"),
    ),
    "no_rows": (
        lambda d: d.iloc[:0],
        Refused(E.InsufficientDataError, r"."),
    ),
    "duplicated_column": (
        lambda d: pd.concat([d, d[["a"]]], axis=1),
        Refused(E.DuplicateColumnsError, r"duplicated column names: 'a'"),
    ),
    "column_missing": (
        lambda d: d.drop(columns="a").rename(columns={"b": "b", "c": "c"}).assign(A=d["a"]),
        Refused(E.MissingColumnsError, r"no column 'a'.*did you mean 'A'"),
    ),
    "text_in_numbers": (
        _set("a", 4, "drie"),
        Refused(E.DataTypeError, r"'a'.*'drie'.*r4"),
    ),
    "infinite": (
        _set("a", 5, np.inf, float),
        Refused(E.NonFiniteValueError, r"infinite values in column\(s\) 'a' \(rows 'r5'\)"),
    ),
    "minus_infinite": (
        _set("b", 6, -np.inf, float),
        Refused(E.NonFiniteValueError, r"infinite values in column\(s\) 'b' \(rows 'r6'\)"),
    ),
    "complex": (
        _column("a", lambda s: s.astype(complex) + 1j),
        Refused(E.DataTypeError, r"'a' holds complex numbers"),
    ),
    "complex_zero_imaginary": (
        _column("a", lambda s: s.astype(complex)),
        Refused(E.DataTypeError, r"'a' holds complex numbers"),
    ),
    "extreme_1e300": (
        _column("a", lambda s: s * 1e300),
        Refused(E.NonFiniteValueError, r"extreme magnitude in column\(s\) 'a'"),
    ),
    "extreme_1e-300": (
        _column("a", lambda s: s * 1e-300),
        Refused(E.NonFiniteValueError, r"extreme magnitude in column\(s\) 'a'"),
    ),
    "missing_values": (_set("a", 2, np.nan, float), Handled()),
    "nullable_integers": (
        lambda d: d.astype({"a": "Int64"}).assign(a=lambda x: x["a"].mask(x.index == "r3")),
        Handled(),
    ),
    "nullable_floats": (lambda d: d.astype({"a": "Float64", "b": "Float64"}), Handled()),
    "text_digits": (_column("a", lambda s: s.astype(str)), Handled()),
    "text_digits_with_blank": (
        _column("a", lambda s: s.astype(str).where(s.index != "r7", None)),
        Handled(),
    ),
    "float32": (lambda d: d.astype(dict.fromkeys(ITEMS, np.float32)), Handled()),
    "uint8": (lambda d: d.astype(dict.fromkeys(ITEMS, np.uint8)), Handled()),
    "duplicated_index": (lambda d: d.set_axis(["same"] * len(d)), Handled()),
    "integer_index_unsorted": (lambda d: d.set_axis(np.arange(len(d))[::-1]), Handled()),
    "dates": (
        _column("a", lambda s: pd.Timestamp("2024-01-01") + pd.to_timedelta(s, unit="D")),
        Refused(E.DataTypeError, r"'a'.*dates"),
    ),
    "durations": (
        _column("a", lambda s: pd.to_timedelta(s, unit="D")),
        Refused(E.DataTypeError, r"'a'.*dates"),
    ),
    "categorical_codes": (_column("a", lambda s: s.astype("category")), Handled()),
    "mixed_text_and_numbers": (
        _column("a", lambda s: s.astype(object).where(s.index != "r1", "n.v.t.")),
        Refused(E.DataTypeError, r"'a'.*'n\.v\.t\.'.*r1"),
    ),
}

# Where a function must behave otherwise than the default, and why.
OVERRIDES: dict[tuple[str, str], Handled | Refused] = {
    # Correlations and descriptives are computed right at any magnitude (exact rescaling).
    **{
        (f, x): Handled()
        for f in ("describe", "corr_matrix", "corr_matrix_spearman")
        for x in ("extreme_1e300", "extreme_1e-300")
    },
    # describe of no rows is a table of n = 0 and NaN, not an error.
    ("describe", "no_rows"): Handled(),
    # cronbach_alpha takes every column it is given: 'A' is simply an item.
    ("cronbach_alpha", "column_missing"): Handled(),
    # Functions that do not use column b are not concerned by what it holds.
    **{(f, "minus_infinite"): Handled() for f in ("ttest", "anova", "one_sample_test")},
}


def _expected(function: str, given: str) -> Handled | Refused:
    return OVERRIDES.get((function, given), INPUTS[given][1])


CASES = [(f, x) for f in FUNCTIONS for x in INPUTS]


def _same(observed: Any, expected: Any, rtol: float) -> None:
    np.testing.assert_allclose(
        np.asarray(observed, dtype=float), np.asarray(expected, dtype=float), rtol=rtol, atol=1e-12
    )


@pytest.mark.parametrize(("function", "given"), CASES, ids=[f"{f}-{x}" for f, x in CASES])
def test_numeric_input(function: str, given: str) -> None:
    spec = FUNCTIONS[function]
    make, _ = INPUTS[given]
    data = make(base())
    before = data.copy() if isinstance(data, pd.DataFrame) else None
    expected = _expected(function, given)
    if isinstance(expected, Refused):
        with pytest.raises(expected.error, match=expected.match):
            spec.call(data)
    else:
        with warnings.catch_warnings():
            for warning in expected.warns:
                warnings.simplefilter("ignore", warning)
            result = spec.call(data)
        _same(spec.observed(result), spec.reference(clean(data)), spec.rtol)
    if before is not None:
        pd.testing.assert_frame_equal(data, before)  # never modified


def test_the_numeric_table_covers_every_pair() -> None:
    assert len(CASES) == len(FUNCTIONS) * len(INPUTS)
    assert all(isinstance(_expected(f, x), (Handled, Refused)) for f, x in CASES)
    assert not [k for k in OVERRIDES if k not in set(CASES)]
    refusals = [e for e in (_expected(f, x) for f, x in CASES) if isinstance(e, Refused)]
    assert all(e.error is not E.PeoscalesError for e in refusals)
