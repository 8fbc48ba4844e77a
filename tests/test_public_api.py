"""Checks that hold for every public function: input types, option values, no mutation."""

from __future__ import annotations

import copy
import inspect
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import peoscales
from peoscales.errors import DataTypeError, ParameterError, PeoscalesError


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    """Items, scores and groups in one frame, with a non-default index."""
    items = peoscales.simulate(["brs", "wbns"], 120, seed=3, missing_share=0.03)
    scores = peoscales.score(items, ["brs", "wbns"], min_valid=1)
    rng = np.random.default_rng(4)
    groups = pd.DataFrame(
        {
            "care_type": pd.Categorical(rng.choice(["jeugdhulp", "jeugd-ggz", "overig"], 120)),
            "gender": rng.choice(["vrouw", "man"], 120),
        },
        index=items.index,
    )
    out = pd.concat([items, scores, groups], axis=1)
    out.index = pd.Index([f"r{i:03d}" for i in range(len(out))], name="respondent")
    return out


BRS = [f"brs_{i}" for i in range(1, 7)]


def calls(frame: pd.DataFrame) -> dict[str, Callable[[Any], Any]]:
    """One typical call per public function that takes a data frame."""
    return {
        "score": lambda d: peoscales.score(d, "brs"),
        "recode": lambda d: peoscales.recode(d, "brs"),
        "categorize": lambda d: peoscales.categorize(d, "brs"),
        "reliability": lambda d: peoscales.reliability(d, "brs"),
        "cronbach_alpha": lambda d: peoscales.cronbach_alpha(d),
        "omega": lambda d: peoscales.omega(d),
        "polychoric": lambda d: peoscales.polychoric(d),
        "corr_matrix": lambda d: peoscales.corr_matrix(d),
        "describe": lambda d: peoscales.describe(d),
        "ttest": lambda d: peoscales.ttest(d, "brs", "gender"),
        "anova": lambda d: peoscales.anova(d, "brs", "care_type"),
        "paired_test": lambda d: peoscales.paired_test(d, "wbns_autonomy", "wbns_competence"),
        "one_sample_test": lambda d: peoscales.one_sample_test(d, "brs", mu=3),
        "rm_anova": lambda d: peoscales.rm_anova(
            d, ["wbns_autonomy", "wbns_competence", "wbns_relatedness"]
        ),
        "moderate": lambda d: peoscales.moderate(d, "wbns_autonomy", "wbns_competence", "brs"),
        "mediate": lambda d: peoscales.mediate(
            d, "brs", "wbns_autonomy", "wbns_competence", n_boot=200, seed=1
        ),
        "crosstab": lambda d: peoscales.crosstab(d, "care_type", "gender"),
        "regress": lambda d: peoscales.regress(d, "brs", ["wbns_autonomy", "wbns_competence"]),
        "study_report": lambda d: peoscales.study_report(d, "brs", by="gender", charts=False),
    }


def data_for(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    if name in ("cronbach_alpha", "omega", "polychoric", "recode"):
        return frame[BRS]
    if name == "categorize":
        return frame[["brs"]]
    if name == "corr_matrix":
        return frame[["brs", "wbns_autonomy", "wbns_competence", "wbns_relatedness"]]
    return frame


FUNCTIONS = [
    "score", "recode", "categorize", "reliability", "cronbach_alpha", "omega", "polychoric",
    "corr_matrix", "describe", "ttest", "anova", "crosstab", "regress", "paired_test",
    "one_sample_test", "mediate", "rm_anova",
    "moderate", "study_report",
]  # fmt: skip


def test_all_is_sorted_and_importable() -> None:
    names = [n for n in peoscales.__all__ if n != "__version__"]
    assert names == sorted(names, key=lambda n: (not n[0].isupper(), n))
    for name in peoscales.__all__:
        assert hasattr(peoscales, name), name


def test_every_function_in_all_is_covered_here() -> None:
    functions = {n for n in peoscales.__all__ if inspect.isfunction(getattr(peoscales, n))} - {
        "get_instrument",
        "list_instruments",
        "load_instrument",
        "register_instrument",
    }
    functions -= {"simulate", "read_survey", "frequency_table", "crosstab_from_table"}
    # dask DataFrames: tests/test_scaleout.py, test_scaleout_stats.py, test_scaleout_read.py
    functions -= {
        "read_csv_dask",
        "read_parquet_dask",
        "score_dask",
        "corr_matrix_dask",
        "reliability_dask",
        "describe_dask",
        "frequency_table_dask",
    }
    # Factor models: tests/test_factor_*.py (input checks, caller's data untouched).
    functions -= {
        "efa",
        "factor_suitability",
        "parallel_analysis",
        "cfa",
        "invariance",
        "validate_scale",
    }
    assert functions <= set(FUNCTIONS), sorted(functions - set(FUNCTIONS))


@pytest.mark.parametrize("name", FUNCTIONS)
def test_rejects_non_dataframe_input(name: str, frame: pd.DataFrame) -> None:
    call = calls(frame)[name]
    with pytest.raises(DataTypeError, match="DataFrame"):
        call([[1, 2], [3, 4]])


@pytest.mark.parametrize("name", FUNCTIONS)
def test_never_mutates_and_keeps_the_index(name: str, frame: pd.DataFrame) -> None:
    data = data_for(name, frame).copy()
    before = copy.deepcopy(data)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", peoscales.errors.PeoscalesWarning)
        result = calls(frame)[name](data)
    pd.testing.assert_frame_equal(data, before)
    if isinstance(result, pd.DataFrame) and len(result) == len(data):
        assert result.index.equals(data.index)


OPTION_CASES = [
    ("corr_matrix", lambda d: peoscales.corr_matrix(d, method="pearsn"), "method"),
    ("corr_matrix", lambda d: peoscales.corr_matrix(d, missing="drop"), "missing"),
    ("corr_matrix", lambda d: peoscales.corr_matrix(d, adjust="sidak"), "adjust"),
    ("cronbach_alpha", lambda d: peoscales.cronbach_alpha(d, ci_method="wald"), "ci_method"),
    ("cronbach_alpha", lambda d: peoscales.cronbach_alpha(d, missing="mean"), "missing"),
    ("ttest", lambda d: peoscales.ttest(d, "brs", "gender", alternative="both"), "alternative"),
    ("ttest", lambda d: peoscales.ttest(d, "brs", "gender", method="welch"), "method"),
    ("anova", lambda d: peoscales.anova(d, "brs", "care_type", posthoc="scheffe"), "posthoc"),
    (
        "paired_test",
        lambda d: peoscales.paired_test(d, "wbns_autonomy", "brs", method="sign"),
        "method",
    ),
    (
        "crosstab",
        lambda d: peoscales.crosstab(d, "care_type", "gender", percent_of="cell"),
        "percent_of",
    ),
    ("score", lambda d: peoscales.score(d, "brs", method="median"), "method"),
    ("score", lambda d: peoscales.score(d, "brs", columns="alphabetical"), "columns"),
]


@pytest.mark.parametrize(("name", "call", "argument"), OPTION_CASES)
def test_unknown_option_names_the_argument(
    name: str, call: Callable[[pd.DataFrame], Any], argument: str, frame: pd.DataFrame
) -> None:
    with pytest.raises(ParameterError, match=re.escape(argument)):
        call(data_for(name, frame))


def test_errors_derive_from_builtin_classes() -> None:
    for name in peoscales.errors.__all__:
        cls = getattr(peoscales.errors, name)
        if issubclass(cls, PeoscalesError) and cls is not PeoscalesError:
            assert issubclass(cls, (ValueError, TypeError, LookupError)), name


@pytest.mark.parametrize(
    "name", [n for n in peoscales.__all__ if inspect.isfunction(getattr(peoscales, n))]
)
def test_public_functions_have_examples(name: str) -> None:
    doc = inspect.getdoc(getattr(peoscales, name)) or ""
    assert "Examples\n--------" in doc, f"{name} has no Examples section"


def test_package_is_typed_and_versioned() -> None:
    assert resources.files("peoscales").joinpath("py.typed").is_file()
    assert re.fullmatch(r"\d+\.\d+\.\d+", peoscales.__version__)


def test_definitions_are_never_executed() -> None:
    """Definitions are data: the package never evaluates text it reads."""
    source = Path(peoscales.__file__).parent
    offenders = [
        str(p.relative_to(source))
        for p in source.rglob("*.py")
        if re.search(r"(?<![\w.])(eval|exec)\(", p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
