"""Linear regression for survey reports: b, SE, beta, t, p, CI, VIF and hierarchical ΔR²."""

from __future__ import annotations

import ast
import builtins
import functools
import html
import math
import sys
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from peoscales._deprecation import renamed_arguments
from peoscales._kernels.regression import (
    design_rank,
    generalized_vif,
    linear_dependencies,
    r2_change_test,
    standardized_coefficients,
    variance_inflation,
)
from peoscales._results import (
    Result,
    Section,
    apa_number,
    apa_p,
    format_p,
    sections_html,
    sections_text,
    stars,
)
from peoscales._validation import (
    as_frame,
    check_finite,
    check_option,
    check_probability,
    numeric_block,
    numeric_like,
    preview,
    require_columns,
)
from peoscales.errors import (
    CollinearityError,
    DataTypeError,
    InsufficientDataError,
    ParameterError,
)

if TYPE_CHECKING:
    import patsy

__all__ = ["RegressionResult", "RegressionStep", "regress"]

#: Covariance estimators accepted by ``robust`` (statsmodels' heteroscedasticity-
#: consistent sandwich estimators, the ones R's ``sandwich::vcovHC`` calls the same).
ROBUST_TYPES = (None, "HC0", "HC1", "HC2", "HC3")
INTERCEPT = "Intercept"
COEF_COLUMNS = ["b", "se", "beta", "t", "p", "ci_low", "ci_high", "vif"]
STEP_COLUMNS = [
    "r2",
    "adj_r2",
    "f",
    "df1",
    "df2",
    "p",
    "r2_change",
    "f_change",
    "df1_change",
    "df2_change",
    "p_change",
]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, eq=False, repr=False)
class RegressionStep(Result):
    """One step (model) of a hierarchical regression.

    Attributes
    ----------
    step : int
        1 for the first block, 2 for the first and second blocks, and so on.
    added : tuple of str
        Design columns (terms) entered at this step.
    variables : tuple of str
        The predictors (data columns) entered at this step.
    coefficients : DataFrame
        The model's coefficient table (see :meth:`RegressionResult.to_frame`).
    r2, adj_r2, f, df1, df2, p : float
        The model's R², adjusted R² and overall F test.
    r2_change, f_change, df1_change, df2_change, p_change : float
        R² change against the previous step and its F test (SPSS "Change
        Statistics"). For step 1 these equal R² and the overall F test.
    """

    step: int
    added: tuple[str, ...]
    variables: tuple[str, ...]
    coefficients: pd.DataFrame
    r2: float
    adj_r2: float
    f: float
    df1: int
    df2: int
    p: float
    r2_change: float
    f_change: float
    df1_change: int
    df2_change: int
    p_change: float
    confidence: float = 0.95
    title = "Regression step"

    def to_frame(self) -> pd.DataFrame:
        """The coefficient table of this step's model."""
        return self.coefficients

    def to_apa(self) -> str:
        """The R² change of this step, e.g. ``ΔR² = .08, F(2, 284) = 16.16, p < .001``."""
        return (
            f"ΔR² = {apa_number(self.r2_change, 2, leading_zero=False)}, "
            f"F({self.df1_change}, {self.df2_change}) = {apa_number(self.f_change, 2)}, "
            f"{apa_p(self.p_change)}"
        )

    @property
    def heading(self) -> str:
        """``Step 2 (entered swing_nwhi)``."""
        return f"Step {self.step} (entered {', '.join(self.variables)})"

    def _sections(self) -> list[Section]:
        return [
            ("Model summary", _steps_display([self])),
            ("Coefficients", _coefficient_display(self.coefficients, self.df2, self.confidence)),
        ]

    def summary(self) -> str:
        """Text: the step's fit and R² change (as the model summary) and its coefficients."""
        return sections_text(self.heading, self._sections())

    def _repr_html_(self) -> str:
        return sections_html(f"{self.title}: {self.heading}", self._sections())


@dataclass(frozen=True, eq=False, repr=False)
class RegressionResult(Result):
    """An OLS regression, optionally in hierarchical steps.

    Attributes
    ----------
    dv : str
        The dependent variable (outcome).
    formula : str
        The final model as a formula (for the record; categorical predictors show as
        their dummy columns).
    coefficients : DataFrame
        Final model: one row per term (``Intercept`` first), columns ``b``, ``se``,
        ``beta`` (only with ``standardize=True``), ``t``, ``p``, ``ci_low``,
        ``ci_high``, ``vif``. Unrounded.
    r2, adj_r2 : float
        R² and adjusted R² of the final model.
    f, df1, df2, p : float
        Overall F test of the final model (a robust Wald F with ``robust``).
    n : int
        Rows in the analysis sample (complete on every variable of every block).
    n_excluded : int
        Rows left out because of a missing value in any of those variables.
    excluded : Index
        Labels (the caller's index) of the rows left out.
    steps : tuple of RegressionStep
        One per block; a single step for a plain regression.
    robust : str or None
        Covariance estimator used for SE, t, p, CI and the F tests.
    reference : dict
        Reference (omitted) level of each categorical predictor.
    confidence : float
        Level of the confidence intervals.
    fit : statsmodels RegressionResults
        The final fitted model, for anything not tabulated here.
    gvif : DataFrame or None
        Generalised VIF per model term of the final model (``car::vif``): ``gvif``,
        ``df`` (design columns of the term: a factor's dummies count together) and
        ``gvif_adjusted`` = GVIF^(1/(2 df)), comparable with the square root of an
        ordinary VIF. For a one-column term GVIF is its VIF. None without slopes.
    """

    dv: str
    formula: str
    coefficients: pd.DataFrame
    r2: float
    adj_r2: float
    f: float
    df1: int
    df2: int
    p: float
    n: int
    n_excluded: int
    excluded: pd.Index
    steps: tuple[RegressionStep, ...]
    robust: str | None
    reference: dict[str, Any] = field(default_factory=dict)
    confidence: float = 0.95
    fit: Any = None
    gvif: pd.DataFrame | None = None
    title = "Linear regression"

    _renamed: ClassVar[Mapping[str, str | tuple[str, ...]]] = {
        "dependent": "dv",
        "n_dropped": "n_excluded",
        "dropped": "excluded",
    }

    def plot(self, ax: Any = None, *, lang: str = "nl", **style: Any) -> Any:
        """Standardised coefficients (β) with their intervals, one colour per step.

        The interval of β is the interval of b times β / b (the same rescaling
        that turns b into β). See :func:`peoscales.plot.coefficients`.
        """
        from peoscales import plot

        steps = [s.coefficients for s in self.steps] if len(self.steps) > 1 else [self.coefficients]
        parts = []
        for number, coef in enumerate(steps, start=1):
            coef = coef.drop(index="Intercept", errors="ignore")
            with np.errstate(divide="ignore", invalid="ignore"):
                scale = coef["beta"] / coef["b"]
            parts.append(
                pd.DataFrame(
                    {
                        "estimate": coef["beta"],
                        "ci_low": coef["ci_low"] * scale,
                        "ci_high": coef["ci_high"] * scale,
                        "step": number,
                    }
                )
            )
        return plot.coefficients(pd.concat(parts), n=self.n, lang=lang, ax=ax, **style)

    @property
    def hierarchical(self) -> bool:
        """True when the model was entered in two or more blocks."""
        return len(self.steps) > 1

    def to_frame(self) -> pd.DataFrame:
        """The final model's coefficient table (unrounded), one row per term."""
        return self.coefficients

    def steps_frame(self) -> pd.DataFrame:
        """Model summary per step: R², adjusted R², F, and the R² change with its F test.

        The columns match SPSS's "Model Summary" with "Change Statistics".
        """
        rows = {s.step: [getattr(s, c) for c in STEP_COLUMNS] for s in self.steps}
        frame = pd.DataFrame.from_dict(rows, orient="index", columns=STEP_COLUMNS)
        frame.index.name = "step"
        return frame

    def to_apa(self, term: str | None = None, *, step: int | None = None) -> str:
        """The APA report string.

        Without arguments: the final model, ``R² = .23, F(3, 495) = 49.12, p < .001``.
        With ``step=k``: the R² change of step ``k``. With ``term``: one coefficient,
        ``β = .32, t(495) = 7.01, p < .001`` (``b = ...`` when betas were not asked for).
        """
        if step is not None:
            numbers = [s.step for s in self.steps]
            if step not in numbers:
                raise ParameterError(f"step={step!r}: this model has steps {numbers}.")
            return self.steps[step - 1].to_apa()
        if term is not None:
            if term not in self.coefficients.index:
                raise ParameterError(
                    f"term={term!r} is not in the model; terms are "
                    f"{preview(list(self.coefficients.index), 10)}."
                )
            row = self.coefficients.loc[term]
            if "beta" in row.index and not math.isnan(row["beta"]):
                effect = f"β = {apa_number(row['beta'], 2, leading_zero=False)}"
            else:
                effect = f"b = {apa_number(row['b'], 2)}"
            return f"{effect}, t({self.df2}) = {apa_number(row['t'], 2)}, {apa_p(row['p'])}"
        return (
            f"R² = {apa_number(self.r2, 2, leading_zero=False)}, "
            f"F({self.df1}, {self.df2}) = {apa_number(self.f, 2)}, {apa_p(self.p)}"
        )

    def _header(self) -> str:
        dropped = (
            f", {self.n_excluded} row(s) with missing values left out"
            if self.n_excluded
            else ", no rows left out"
        )
        se = f"; {self.robust} robust standard errors" if self.robust else ""
        return (
            f"Linear regression of {self.dv} (OLS{se}), n = {self.n}{dropped}\n"
            f"R² = {apa_number(self.r2, 3, leading_zero=False)}, adjusted R² = "
            f"{apa_number(self.adj_r2, 3, leading_zero=False)}, "
            f"F({self.df1}, {self.df2}) = {apa_number(self.f, 2)}, {apa_p(self.p)}"
        )

    def summary(self) -> str:
        """Text: fit of the final model, the steps (if any) and the coefficients."""
        parts = [self._header()]
        if self.hierarchical:
            parts.append("Model summary per step\n" + _steps_display(self.steps).to_string())
        parts.append(_coefficient_display(self.coefficients, self.df2, self.confidence).to_string())
        if self._has_factor():
            parts.append("Generalised VIF per term\n" + _gvif_display(self.gvif).to_string())
        return "\n".join(parts)

    def _has_factor(self) -> bool:
        return self.gvif is not None and bool((self.gvif["df"] > 1).any())

    def _repr_html_(self) -> str:
        header = "<br>".join(html.escape(line) for line in self._header().split("\n"))
        parts = [f"<div class='peoscales-result'><strong>{html.escape(self.title)}</strong>"]
        parts.append(f"<p>{header}</p>")
        if self.hierarchical:
            parts.append("<p><em>Model summary per step</em></p>")
            parts.append(_steps_display(self.steps).to_html(border=0))
        parts.append("<p><em>Coefficients</em></p>")
        coefficients = _coefficient_display(self.coefficients, self.df2, self.confidence)
        parts.append(coefficients.to_html(border=0))
        if self._has_factor():
            parts.append("<p><em>Generalised VIF per term</em></p>")
            parts.append(_gvif_display(self.gvif).to_html(border=0))
        parts.append("</div>")
        return "".join(parts)


def _gvif_display(gvif: pd.DataFrame | None) -> pd.DataFrame:
    """The GVIF table as display strings, as ``car::vif`` prints it."""
    table = gvif if gvif is not None else pd.DataFrame(columns=["gvif", "df", "gvif_adjusted"])
    return pd.DataFrame(
        {
            "GVIF": [apa_number(v, 2) for v in table["gvif"]],
            "Df": [str(int(v)) for v in table["df"]],
            "GVIF^(1/(2·Df))": [apa_number(v, 2) for v in table["gvif_adjusted"]],
        },
        index=table.index,
    )


def _gvif_table(design: _Design) -> pd.DataFrame | None:
    """Generalised VIF of each term of the final model (columns grouped by term)."""
    terms = list(dict.fromkeys(t for t in design.term_of[1:]))
    if not terms:
        return None
    position = np.asarray(design.term_of[1:], dtype=object)
    groups = [np.flatnonzero(position == t) for t in terms]
    gvif = generalized_vif(design.x[:, 1:], groups)
    df = np.array([g.size for g in groups], dtype=np.int64)
    return pd.DataFrame(
        {"gvif": gvif, "df": df, "gvif_adjusted": gvif ** (1 / (2 * df))},
        index=pd.Index(terms, name="term"),
    )


def _steps_display(steps: Sequence[RegressionStep]) -> pd.DataFrame:
    """Model summary per step as display strings (SPSS "Model Summary", "Change Statistics")."""
    return pd.DataFrame(
        {
            "entered": [", ".join(s.variables) for s in steps],
            "R²": [apa_number(s.r2, 3, leading_zero=False) for s in steps],
            "adj. R²": [apa_number(s.adj_r2, 3, leading_zero=False) for s in steps],
            "ΔR²": [apa_number(s.r2_change, 3, leading_zero=False) for s in steps],
            "F change": [apa_number(s.f_change, 2) for s in steps],
            "df1": [str(s.df1_change) for s in steps],
            "df2": [str(s.df2_change) for s in steps],
            "p": [format_p(s.p_change) for s in steps],
        },
        index=pd.Index([s.step for s in steps], name="step"),
    )


def _coefficient_display(
    coef: pd.DataFrame, df_resid: int, confidence: float = 0.95
) -> pd.DataFrame:
    """Rounded, APA-styled strings for a coefficient table (display only)."""
    out = pd.DataFrame(index=coef.index)
    out["b"] = [apa_number(v, 3) for v in coef["b"]]
    out["SE"] = [apa_number(v, 3) for v in coef["se"]]
    if "beta" in coef.columns:
        out["β"] = [
            "" if math.isnan(v) else apa_number(v, 3, leading_zero=False) for v in coef["beta"]
        ]
    out[f"t({df_resid})"] = [apa_number(v, 2) for v in coef["t"]]
    out["p"] = [f"{format_p(v)}{stars(v)}" for v in coef["p"]]
    out[f"{confidence:.0%} CI"] = [
        f"[{apa_number(lo, 3)}, {apa_number(hi, 3)}]"
        for lo, hi in zip(coef["ci_low"], coef["ci_high"])
    ]
    out["VIF"] = ["" if math.isnan(v) else apa_number(v, 2) for v in coef["vif"]]
    return out


# --------------------------------------------------------------------------- input


def _as_name_list(value: Any, argname: str) -> list[Hashable]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence) and not isinstance(value, bytes) and len(value) > 0:
        return list(value)
    raise ParameterError(
        f"{argname} must be a column name or a non-empty list of column names, got {value!r}."
    )


@functools.cache
def _known_callables() -> frozenset[str]:
    """Names a formula may call without them being data columns (patsy's and Python's)."""
    import patsy

    return frozenset(dir(patsy.builtins)) | frozenset(dir(builtins)) | {"np", "numpy"}


def _formula_variables(
    formula: str, data: pd.DataFrame, env: patsy.EvalEnvironment
) -> tuple[list[Hashable], list[Hashable]]:
    """Return the data columns used on the left and on the right of ``formula``.

    Names that are neither columns nor known functions raise
    :class:`MissingColumnsError` with close column names.
    """
    import patsy

    try:
        desc = patsy.ModelDesc.from_formula(formula)
    except patsy.PatsyError as exc:
        raise ParameterError(f"formula {formula!r} cannot be parsed: {exc}") from None
    sides: list[list[Hashable]] = []
    unknown: list[str] = []
    columns = set(data.columns)
    for termlist in (desc.lhs_termlist, desc.rhs_termlist):
        found: list[Hashable] = []
        for term in termlist:
            for factor in term.factors:
                code = getattr(factor, "code", None)
                if code is None:  # pragma: no cover - patsy formulas give EvalFactors
                    continue
                for node in ast.walk(ast.parse(code, mode="eval")):
                    name: Any = None
                    if isinstance(node, ast.Name):
                        name = node.id
                    elif (
                        isinstance(node, ast.Call)
                        and isinstance(node.func, ast.Name)
                        and node.func.id == "Q"
                        and node.args
                        and isinstance(node.args[0], ast.Constant)
                    ):
                        name = node.args[0].value
                    if name is None:
                        continue
                    if name in columns:
                        found.append(name)
                    elif name not in _known_callables() and name not in env.namespace:
                        unknown.append(name)
        sides.append(list(dict.fromkeys(found)))
    if unknown:
        require_columns(data, list(dict.fromkeys(unknown)))
    lhs, rhs = sides
    if len(lhs) != 1:
        raise ParameterError(
            f"formula {formula!r} needs exactly one data column on the left of '~', found {lhs!r}."
        )
    return lhs, rhs


def _caller_depth() -> int:
    """How many frames up regress's caller is, past the wrappers that keep old argument
    names working: a formula's names (np.log, the caller's own functions and variables)
    are looked up where the user wrote it."""
    depth = 2  # this function's caller (regress) is 1; its caller is 2
    frame = sys._getframe(depth)
    while frame.f_back is not None and frame.f_globals.get("__name__") == "peoscales._deprecation":
        frame = frame.f_back
        depth += 1
    return depth - 1  # as patsy counts from regress


def _numeric_dependent(data: pd.DataFrame, column: Hashable) -> np.ndarray:
    series = data[column]
    if numeric_like(series):
        return numeric_block(data, [column], "the dependent variable")[:, 0]
    converted = pd.to_numeric(series, errors="coerce")
    bad = converted.isna() & series.notna()
    if bad.any():
        raise DataTypeError(
            f"The dependent variable {column!r} is not numeric: values "
            f"{preview(series[bad].unique().tolist(), 3)} in rows "
            f"{preview(series.index[bad.to_numpy()].tolist(), 3)}. regress fits a linear "
            "model to a numeric outcome; score the scale first (peoscales.score), recode the "
            "texts to numbers, or compare groups with peoscales.crosstab."
        )
    return converted.to_numpy(dtype="float64", na_value=np.nan)


def _is_categorical(series: pd.Series) -> bool:
    # Dates are not categories (one dummy per day): the numeric checks refuse them by name.
    return not (
        pd.api.types.is_bool_dtype(series.dtype)
        or pd.api.types.is_numeric_dtype(series.dtype)
        or pd.api.types.is_datetime64_any_dtype(series.dtype)
        or pd.api.types.is_timedelta64_dtype(series.dtype)
    )


def _levels(series: pd.Series, column: Hashable, wanted: Any) -> list[Any]:
    """Observed levels of a categorical predictor, the reference level first."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        present = set(series.dropna().unique().tolist())
        levels = [c for c in series.cat.categories.tolist() if c in present]
    else:
        levels = sorted(series.dropna().unique().tolist(), key=lambda v: (str(type(v)), v))
    if len(levels) < 2:
        # Otherwise the term would drop out of the model without a word.
        raise InsufficientDataError(
            f"Predictor {column!r} has {'one level, ' + repr(levels[0]) if levels else 'no values'} "
            "in the analysis sample, so it cannot explain anything. Leave it out, or check "
            "the data (rows with missing values on any model variable are left out first)."
        )
    if wanted is None:
        return levels
    match = [lv for lv in levels if lv == wanted] or [lv for lv in levels if str(lv) == str(wanted)]
    if not match:
        raise ParameterError(
            f"reference={{{column!r}: {wanted!r}}}: {wanted!r} is not a level of {column!r} "
            f"in the analysis sample; levels are {preview(levels, 10)}. Rows with missing "
            "values on any model variable are left out before levels are counted."
        )
    ref = match[0]
    return [ref, *(lv for lv in levels if lv is not ref and lv != ref)]


def _check_reference(
    reference: Mapping[Hashable, Any] | None, candidates: list[Hashable]
) -> dict[Hashable, Any]:
    if reference is None:
        return {}
    if not isinstance(reference, Mapping):
        raise ParameterError(
            "reference must be a dict of column -> reference level, e.g. "
            f"{{'care_type': 'jeugdhulp'}}, got {reference!r}."
        )
    stray = [k for k in reference if k not in candidates]
    if stray:
        raise ParameterError(
            f"reference names {preview(stray)}, which is not a predictor of this model; "
            f"predictors are {preview(candidates, 10)}."
        )
    return dict(reference)


# --------------------------------------------------------------------------- design


@dataclass
class _Design:
    x: np.ndarray  # (n, p) with the intercept in column 0
    names: list[str]
    block_of: list[int]  # block index per column (-1 for the intercept)
    term_of: list[str]  # model term per column ("" for the intercept): a factor's dummies share one


def _list_design(
    work: pd.DataFrame, blocks: list[list[Hashable]], categorical: dict[Hashable, list[Any]]
) -> _Design:
    n = len(work)
    columns: list[np.ndarray] = [np.ones(n)]
    names = [INTERCEPT]
    block_of = [-1]
    term_of = [""]
    for b, block in enumerate(blocks):
        for col in block:
            if col in categorical:
                levels = categorical[col]
                codes = work[col].to_numpy(dtype=object)
                for level in levels[1:]:
                    columns.append((codes == level).astype(np.float64))
                    names.append(f"{col}[T.{level}]")
                    block_of.append(b)
                    term_of.append(str(col))
            else:
                columns.append(work[col].to_numpy(dtype="float64"))
                names.append(str(col))
                block_of.append(b)
                term_of.append(str(col))
    return _Design(np.column_stack(columns), names, block_of, term_of)


def _formula_design(formula: str, work: pd.DataFrame, env: patsy.EvalEnvironment) -> _Design:
    import patsy

    try:
        _, x = patsy.dmatrices(
            formula, work, eval_env=env, NA_action="raise", return_type="dataframe"
        )
    except patsy.PatsyError as exc:
        raise ParameterError(
            f"formula {formula!r} cannot be evaluated on the data: {exc}"
        ) from None
    names = [str(c) for c in x.columns]
    terms = [""] * len(names)
    for term, where in x.design_info.term_slices.items():
        for j in range(where.start, where.stop):
            terms[j] = "" if names[j] == INTERCEPT else term.name()
    if INTERCEPT not in names:
        raise ParameterError(
            f"formula {formula!r} has no intercept; regress fits models with an intercept "
            "(R² and the F test assume one). Remove '- 1' or '0 +' from the formula."
        )
    order = [names.index(INTERCEPT), *(i for i, c in enumerate(names) if c != INTERCEPT)]
    values = x.to_numpy(dtype="float64")[:, order]
    ordered = [names[i] for i in order]
    return _Design(values, ordered, [-1] + [0] * (len(ordered) - 1), [terms[i] for i in order])


def _combination(names: list[str], cols: np.ndarray, weights: np.ndarray) -> str:
    """``1.000·'a' − 0.500·'b' + 3.000`` for an error message."""
    text = ""
    for c, w in zip(cols, weights):
        value = apa_number(abs(float(w)), 3)
        piece = value if names[c] == INTERCEPT else f"{value}·{names[c]!r}"
        if not text:
            text = ("−" if w < 0 else "") + piece
        else:
            text += f" {'−' if w < 0 else '+'} {piece}"
    return text


def _raise_collinear(design: _Design) -> None:
    problems = []
    named: set[str] = set()
    for j, cols, weights in linear_dependencies(design.x):
        name = design.names[j]
        named.add(name)
        others = [design.names[c] for c in cols]
        named.update(o for o in others if o != INTERCEPT)
        if cols.size == 0:
            problems.append(f"{name!r} is zero in every row")
        elif others == [INTERCEPT]:
            problems.append(f"{name!r} is constant in the analysis sample")
        else:
            problems.append(f"{name!r} = {_combination(design.names, cols, weights)}")
    raise CollinearityError(
        f"Perfectly collinear predictors {preview(sorted(named), 10)}: {'; '.join(problems)}. "
        "A predictor that is an exact combination of others (a total next to its "
        "subscales, a dummy for every category, a constant) cannot be estimated; leave one "
        "of the named predictors out."
    )


# --------------------------------------------------------------------------- fitting


def _fit(y: np.ndarray, x: np.ndarray, robust: str | None) -> Any:
    # QR, as R's lm; statsmodels' default pseudo-inverse runs an SVD of the whole
    # n x p design, several times slower on large samples. The design has full rank
    # here (checked before fitting), where both give the same least-squares solution.
    import statsmodels.api as sm

    model = sm.OLS(y, x)
    if robust is None:
        return model.fit(method="qr")
    return model.fit(method="qr", cov_type=robust, use_t=True)


def _step_fit(y: np.ndarray, x: np.ndarray, robust: str | None) -> tuple[Any, float, float]:
    """Fit one step and its overall F test.

    A perfect fit (no residual variance) has an infinite F and p = 0; numpy's
    division warnings for it are expected, not a sign of trouble.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        res = _fit(y, x, robust)
        f, f_p = _overall_f(res, x.shape[1] - 1, robust)
    if res.ssr == 0 and robust is None:
        f, f_p = math.inf, 0.0
    return res, f, f_p


def _coefficients(
    res: Any, x: np.ndarray, y: np.ndarray, names: list[str], standardize: bool, alpha: float
) -> pd.DataFrame:
    params = np.asarray(res.params)
    ci = np.asarray(res.conf_int(alpha=alpha))
    beta = np.full(len(names), np.nan)
    vif = np.full(len(names), np.nan)
    if len(names) > 1:
        beta[1:] = standardized_coefficients(x[:, 1:], y, params[1:])
        vif[1:] = variance_inflation(x[:, 1:])
    frame = pd.DataFrame(
        {
            "b": params,
            "se": np.asarray(res.bse),
            "beta": beta,
            "t": np.asarray(res.tvalues),
            "p": np.asarray(res.pvalues),
            "ci_low": ci[:, 0],
            "ci_high": ci[:, 1],
            "vif": vif,
        },
        index=pd.Index(names, name="term"),
    )
    if not standardize:
        frame = frame.drop(columns="beta")
    return frame


def _overall_f(res: Any, k: int, robust: str | None) -> tuple[float, float]:
    """Overall F test of a model with ``k`` slopes (a Wald F with a robust covariance)."""
    if k == 0:
        return math.nan, math.nan
    if robust is None:
        return float(res.fvalue), float(res.f_pvalue)
    restriction = np.eye(k + 1)[1:]
    test = res.f_test(restriction)
    return float(np.squeeze(test.fvalue)), float(test.pvalue)


@renamed_arguments(conf_level="confidence")
def regress(
    data: pd.DataFrame,
    formula_or_y: str | Hashable,
    predictors: Sequence[Hashable] | Hashable | None = None,
    *,
    standardize: bool = True,
    blocks: Sequence[Any] | None = None,
    robust: str | None = None,
    reference: Mapping[Hashable, Any] | None = None,
    confidence: float = 0.95,
) -> RegressionResult:
    """Ordinary least squares regression with the statistics of an SPSS report.

    Parameters
    ----------
    data : DataFrame
        One row per respondent. Never modified.
    formula_or_y : str
        Either a formula, ``"brs ~ wbns_autonomy + C(care_type)"`` (patsy syntax, as in
        statsmodels), or the name of the dependent variable.
    predictors : list of str, optional
        Predictor columns when ``formula_or_y`` is a column name. Columns holding text
        (or a pandas categorical) are dummy-coded against a reference level.
    standardize : bool, default True
        Add the standardized coefficients (``beta``).
    blocks : list of lists of str, optional
        Hierarchical regression: the predictors entered in steps, e.g.
        ``[["wbns_autonomy", "wbns_competence"], ["swing_nwhi", "swing_nhwi"]]``.
        Every step is fitted on the same rows: those complete on the dependent
        variable and every predictor of every block. Use instead of ``predictors``
        (with the dependent variable's name, not a formula).
    robust : {None, "HC0", "HC1", "HC2", "HC3"}, optional
        Heteroscedasticity-consistent standard errors (statsmodels' ``cov_type``);
        t, p, CIs and the F tests (as Wald tests) use them. R², b and beta do not
        change.
    reference : dict, optional
        Reference (omitted) level per categorical predictor, e.g.
        ``{"care_type": "jeugdhulp"}``. Default: the first level (sorted, or the
        categorical's own order). A numeric column named here is treated as
        categorical.
    confidence : float, default 0.95
        Level of the confidence intervals of the coefficients.

    Returns
    -------
    RegressionResult
        ``to_frame()`` gives the coefficient table, ``steps_frame()`` the model
        summary per step, ``to_apa()`` the report strings; ``n`` and ``n_excluded``
        count the rows used and left out.

    Raises
    ------
    MissingColumnsError
        A named column is absent (close names are suggested).
    DataTypeError
        The dependent variable is not numeric.
    CollinearityError
        Predictors are perfectly collinear (the message names them and the exact
        dependency).
    InsufficientDataError
        Fewer complete rows than coefficients + 1, or a constant dependent variable.
    ParameterError
        Bad options: an unknown reference level, a predictor in two blocks, etc.

    See Also
    --------
    statsmodels.formula.api.ols : the fit behind this function.

    Notes
    -----
    Coefficients, SEs, t, p and CIs are those of statsmodels' ``OLS`` (R's ``lm``,
    ``summary.lm`` and ``confint``). Rows with a missing value on any variable of any
    block are left out first and counted (``n_excluded``, labels in ``excluded``);
    nothing is imputed.

    Standardized coefficients follow SPSS: :math:`\\beta_j = b_j\\, s_{x_j} / s_y`, with
    standard deviations of the design column and the outcome on the analysis sample;
    this equals the slope of ``lm(scale(y) ~ scale(x))``. For a dummy the "one SD of
    x" is one SD of a 0/1 indicator, which depends on the group sizes: report ``b``
    (the difference from the reference group in raw units) for categories, and
    ``beta`` for the continuous predictors.

    VIF per design column is :math:`1 / (1 - R_j^2)`, from the regression of that
    column on the other predictors (the diagonal of the inverse correlation
    matrix); for a factor with more than two levels it is per dummy, as in SPSS. Next
    to it, ``gvif`` gives the generalised VIF per term of ``car::vif`` (Fox & Monette,
    1992): :math:`\\mathrm{GVIF} = \\det R_{11} \\det R_{22} / \\det R`, with
    :math:`R` the correlation matrix of the design columns, :math:`R_{11}` that of the
    term's columns and :math:`R_{22}` that of the others, and
    :math:`\\mathrm{GVIF}^{1/(2 Df)}`.

    The R² change of step :math:`k` is tested with
    :math:`F = \\frac{(R^2_k - R^2_{k-1}) / d_1}{(1 - R^2_k) / d_2}`,
    :math:`d_1` the columns added and :math:`d_2 = n - p_k - 1` (SPSS "F Change", R's
    ``anova(m_{k-1}, m_k)``). With ``robust`` it is the Wald F of the added
    coefficients with the robust covariance (``lmtest::waldtest``).

    References: Cohen, J., Cohen, P., West, S. G., & Aiken, L. S. (2003). *Applied
    multiple regression/correlation analysis for the behavioral sciences* (3rd ed.),
    chapters 3 and 5. Long, J. S., & Ervin, L. H. (2000). Using heteroscedasticity
    consistent standard errors in the linear regression model. *The American
    Statistician*, 54(3), 217-224.

    Examples
    --------
    >>> import pandas as pd
    >>> import peoscales
    >>> df = pd.DataFrame({
    ...     "brs": [3.2, 3.8, 2.9, 4.1, 3.5, 3.0, 4.4, 2.7, 3.9, 3.3, 3.6, 2.8],
    ...     "autonomy": [3.0, 4.0, 2.5, 4.5, 3.0, 3.5, 4.5, 2.0, 4.0, None, 3.5, 3.0],
    ...     "care_type": ["jeugdhulp", "jeugdhulp", "ggz", "jeugdhulp", "ggz", "ggz",
    ...                   "jeugdhulp", "ggz", "jeugdhulp", "ggz", "jeugdhulp", "ggz"],
    ... })
    >>> res = peoscales.regress(df, "brs", ["autonomy", "care_type"],
    ...                         reference={"care_type": "jeugdhulp"})
    >>> res.n, res.n_excluded
    (11, 1)
    >>> res.to_apa()
    'R² = .85, F(2, 8) = 21.99, p < .001'
    >>> res.to_apa("autonomy")
    'β = .70, t(8) = 3.46, p = .009'
    >>> res.to_frame()[["b", "beta"]].round(3)
                          b   beta
    term
    Intercept         1.885    NaN
    autonomy          0.498  0.701
    care_type[T.ggz] -0.298 -0.274

    Hierarchical: autonomy first, then the type of care. Step 2 adds little.

    >>> steps = peoscales.regress(df, "brs", blocks=[["autonomy"], ["care_type"]],
    ...                           reference={"care_type": "jeugdhulp"})
    >>> steps.steps_frame()[["r2", "r2_change", "f_change", "p_change"]].round(3)
             r2  r2_change  f_change  p_change
    step
    1     0.811      0.811    38.596     0.000
    2     0.846      0.035     1.828     0.213
    >>> steps.to_apa(step=2)
    'ΔR² = .04, F(1, 8) = 1.83, p = .213'
    """
    import patsy

    frame = as_frame(data)
    robust = check_option("robust", robust, ROBUST_TYPES)
    alpha = 1.0 - check_probability("confidence", confidence)
    if not isinstance(standardize, bool):
        raise ParameterError(f"standardize must be True or False, got {standardize!r}.")

    is_formula = isinstance(formula_or_y, str) and "~" in formula_or_y
    env = patsy.EvalEnvironment.capture(_caller_depth())
    block_lists: list[list[Hashable]]
    if is_formula:
        if predictors is not None or blocks is not None:
            raise ParameterError(
                "With a formula, leave predictors and blocks out; for a hierarchical model "
                "give the dependent variable's name and blocks=[[...], [...]]."
            )
        lhs, rhs = _formula_variables(str(formula_or_y), frame, env)
        dependent = lhs[0]
        variables = list(dict.fromkeys([dependent, *rhs]))
        block_lists = []
    else:
        dependent = formula_or_y
        if blocks is not None and predictors is not None:
            raise ParameterError(
                "Give either predictors (one model) or blocks (a hierarchical model), not both."
            )
        if blocks is None:
            if predictors is None:
                raise ParameterError(
                    f"No predictors: give predictors=[...] with the dependent variable "
                    f"{dependent!r}, or a formula such as '{dependent} ~ x1 + x2'."
                )
            block_lists = [_as_name_list(predictors, "predictors")]
        else:
            if isinstance(blocks, str) or not isinstance(blocks, Sequence) or not blocks:
                raise ParameterError(
                    "blocks must be a list of lists of column names, e.g. "
                    f"[['wbns_autonomy'], ['swing_nwhi']], got {blocks!r}."
                )
            block_lists = [_as_name_list(b, f"blocks[{i}]") for i, b in enumerate(blocks)]
        flat = [c for b in block_lists for c in b]
        twice = sorted({str(c) for c in flat if flat.count(c) > 1})
        if twice:
            raise ParameterError(
                f"Predictor(s) {preview(twice)} named more than once (in predictors or across "
                "blocks); enter each predictor once, in the block where it first appears."
            )
        if dependent in flat:
            raise ParameterError(
                f"The dependent variable {dependent!r} is also among the predictors; "
                "take it out of the predictors."
            )
        variables = [dependent, *flat]
        require_columns(frame, variables)
    # The dependent variable must be numeric; predictors may be text (categorical).
    y_all = _numeric_dependent(frame, dependent)

    predictors_all = [v for v in variables if v != dependent]
    ref_wanted = _check_reference(reference, predictors_all)

    # Listwise deletion over every variable of every block, counted and reported.
    complete = frame[variables].notna().all(axis=1).to_numpy() & ~np.isnan(y_all)
    dropped = frame.index[~complete]
    work = frame.loc[complete, variables]
    y = y_all[complete]

    categorical: dict[Hashable, list[Any]] = {}
    replaced: dict[Hashable, pd.Series] = {}
    for col in predictors_all:
        series = work[col]
        if _is_categorical(series) or col in ref_wanted:
            levels = _levels(series, col, ref_wanted.get(col))
            categorical[col] = levels
            replaced[col] = pd.Series(
                pd.Categorical(series.tolist(), categories=levels), index=series.index
            )
        else:
            numeric_block(work, [col])  # the shared checks: complex, inf, overflow-size values
    # A private copy: categorical predictors with the reference level first, and the
    # dependent variable as the floats checked above (text digits included).
    work = work.copy()
    for col, values in replaced.items():
        work[col] = values
    work[dependent] = y

    if is_formula:
        design = _formula_design(str(formula_or_y), work, env)
    else:
        design = _list_design(work, block_lists, categorical)

    n, p = design.x.shape
    # A formula can make infinite values from finite ones (np.log(0), 1/x).
    check_finite(
        design.x, design.names, pd.RangeIndex(1, n + 1), "the design matrix (rows numbered from 1)"
    )
    if n < p + 1:
        raise InsufficientDataError(
            f"{n} complete row(s) for {p} coefficients: a regression needs more rows than "
            f"coefficients. {len(dropped)} row(s) were left out for missing values; "
            "use fewer predictors or more data."
        )
    if np.ptp(y) == 0 or np.var(y) == 0:
        raise InsufficientDataError(
            f"The dependent variable {dependent!r} has the same value ({y[0]:g}) in all "
            f"{n} rows of the analysis sample; there is no variance to explain."
        )
    if design_rank(design.x) < p:
        _raise_collinear(design)

    n_blocks = max(design.block_of) + 1
    steps: list[RegressionStep] = []
    previous: Any = None
    previous_cols: list[int] = [0]
    final: Any = None
    for b in range(n_blocks):
        cols = [j for j, blk in enumerate(design.block_of) if blk <= b]
        x = design.x[:, cols]
        names = [design.names[j] for j in cols]
        res, f, f_p = _step_fit(y, x, robust)
        added = [j for j in cols if j not in previous_cols]
        df1_change = len(added)
        df2 = round(res.df_resid)
        if previous is None:
            f_change, p_change = f, f_p
        elif robust is None:
            with np.errstate(divide="ignore", invalid="ignore"):
                f_change, p_change = r2_change_test(previous.ssr, res.ssr, df1_change, df2)
        else:
            restriction = np.zeros((df1_change, len(cols)))
            for i, j in enumerate(added):
                restriction[i, cols.index(j)] = 1.0
            test = res.f_test(restriction)
            f_change, p_change = float(np.squeeze(test.fvalue)), float(test.pvalue)
        r2_prev = 0.0 if previous is None else float(previous.rsquared)
        steps.append(
            RegressionStep(
                step=b + 1,
                added=tuple(design.names[j] for j in added),
                variables=tuple(str(v) for v in block_lists[b])
                if block_lists
                else tuple(design.names[j] for j in added),
                coefficients=_coefficients(res, x, y, names, standardize, alpha),
                r2=float(res.rsquared),
                adj_r2=float(res.rsquared_adj),
                f=f,
                df1=len(cols) - 1,
                df2=df2,
                p=f_p,
                r2_change=float(res.rsquared) - r2_prev,
                f_change=f_change,
                df1_change=df1_change,
                df2_change=df2,
                p_change=p_change,
                confidence=confidence,
            )
        )
        previous, previous_cols, final = res, cols, res

    last = steps[-1]
    formula = f"{dependent} ~ " + " + ".join(design.names[1:])
    return RegressionResult(
        dv=str(dependent),
        formula=formula,
        coefficients=last.coefficients,
        r2=last.r2,
        adj_r2=last.adj_r2,
        f=last.f,
        df1=last.df1,
        df2=last.df2,
        p=last.p,
        n=n,
        n_excluded=len(dropped),
        excluded=dropped,
        steps=tuple(steps),
        robust=robust,
        reference={str(k): v[0] for k, v in categorical.items()},
        confidence=confidence,
        fit=final,
        gvif=_gvif_table(design),
    )
