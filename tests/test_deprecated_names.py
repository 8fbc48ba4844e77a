"""Old argument and attribute names keep working, with a warning, until they are removed.

Every renamed result attribute (a class's ``_renamed`` mapping) and every renamed
keyword argument (``@renamed_arguments``) of the public API is exercised here: the old
name warns with :class:`~peoscales.errors.DeprecatedNameWarning`, names the new one,
and gives exactly what the new name gives. A rename without a case here fails
``test_every_renamed_attribute_is_exercised`` / ``test_every_renamed_argument_is_exercised``.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import peoscales
from peoscales._deprecation import REMOVED_IN, renamed_attributes
from peoscales._results import Result
from peoscales.errors import (
    DeprecatedNameWarning,
    ParameterError,
    PeoscalesWarning,
    SmallExpectedCountWarning,
)

BRS = [f"brs_{i}" for i in range(1, 7)]


def public_objects() -> Iterator[tuple[str, Any]]:
    """Every object named in the ``__all__`` of peoscales and its public subpackages."""
    seen: set[int] = set()
    for module in _public_modules():
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if id(obj) not in seen and not inspect.ismodule(obj):
                seen.add(id(obj))
                yield f"{module.__name__}.{name}", obj


def _public_modules() -> list[Any]:
    import importlib
    import pkgutil

    modules = [peoscales]
    for info in pkgutil.iter_modules(peoscales.__path__):
        if not info.name.startswith("_"):
            modules.append(importlib.import_module(f"peoscales.{info.name}"))
    return modules


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    mf = peoscales.demo.load_mental_fitness()
    with warnings.catch_warnings():
        # Three demo respondents stopped before the W-BNS.
        warnings.simplefilter("ignore", PeoscalesWarning)
        scores = peoscales.score(mf, ["brs", "swing12", "wbns"])
    return mf.join(scores)


@pytest.fixture(scope="module")
def coded() -> pd.DataFrame:
    from peoscales import peo

    return peo.code_wave(peo.load_demo_export(), wave="2021-09").data


@pytest.fixture(scope="module")
def results(data: pd.DataFrame, coded: pd.DataFrame) -> dict[str, Result]:
    """One result of each class that has renamed attributes."""
    from peoscales import peo

    two_by_two = pd.DataFrame([[20, 30], [35, 15]])
    space = ["space_own_judgement", "space_do_what_is_needed", "space_reflect"]
    half = len(coded) // 2
    with warnings.catch_warnings():
        # Small expected counts are expected in crosstabs of 178 respondents.
        warnings.simplefilter("ignore", PeoscalesWarning)
        crosstab_table = peo.crosstab_table(
            coded, "space_do_what_is_needed", "employer", codebook="2021-09"
        )
        waves = peo.compare_waves(
            coded.iloc[:half], coded.iloc[half:], codebook_a="2021-09", codebook_b="2022-04"
        )
    brs = data[BRS]
    return {
        "AlphaResult": peoscales.cronbach_alpha(brs, reverse=["brs_2", "brs_4", "brs_6"]),
        "ScaleReliability": peoscales.reliability(data, "brs")["brs"],
        "PolychoricResult": peoscales.polychoric(brs),
        "ItemTable": peo.item_table(coded, space, codebook="2021-09"),
        "CrosstabTable": crosstab_table,
        "GroupMeans": peo.group_means(coded, "work_pleasure", "employer", codebook="2021-09"),
        "WaveComparison": waves,
        "TTestResult": peoscales.ttest(data, "brs", "gender"),
        "PairedTTestResult": peoscales.paired_test(data, "swing_nwhi", "swing_nhwi"),
        "MannWhitneyResult": peoscales.ttest(data, "brs", "gender", method="mann-whitney"),
        "AnovaResult": peoscales.anova(data, "brs", "care_type", welch=True),
        "KruskalResult": peoscales.anova(data, "brs", "care_type", method="kruskal"),
        "CrosstabResult": peoscales.crosstab_from_table(two_by_two),
        "CorrelationResult": peoscales.corr_matrix(data[["brs", "age", "swing_nwhi"]]),
        "RegressionResult": peoscales.regress(data, "brs", ["age", "swing_nwhi"]),
        "DescribeResult": peoscales.describe(data, "brs", by="care_type"),
    }


def renamed_classes() -> list[tuple[str, type]]:
    return [
        (name.rsplit(".", 1)[1], obj)
        for name, obj in public_objects()
        if inspect.isclass(obj) and issubclass(obj, Result) and renamed_attributes(obj)
    ]


def test_every_renamed_attribute_is_exercised(results: dict[str, Result]) -> None:
    missing = sorted({name for name, _ in renamed_classes()} - set(results))
    assert not missing, f"add a result of these classes to the fixture: {missing}"


def _same(old: Any, new: Any) -> bool:
    if isinstance(new, tuple):
        return old == new
    return old is new or (isinstance(new, float) and np.isnan(new) and np.isnan(old))


@pytest.mark.parametrize("name", [name for name, _ in renamed_classes()])
def test_old_attribute_names_warn_and_give_the_new_value(
    name: str, results: dict[str, Result]
) -> None:
    res = results[name]
    for old, new in renamed_attributes(type(res)).items():
        news = new if isinstance(new, tuple) else (new,)
        for part in news:
            assert hasattr(res, part), f"{name}._renamed: {old!r} -> {part!r}, no such attribute"
        with pytest.warns(DeprecatedNameWarning) as caught:
            value = getattr(res, old)
        message = str(caught[0].message)
        assert old in message and news[0] in message and REMOVED_IN in message
        expected = (
            getattr(res, new) if isinstance(new, str) else tuple(getattr(res, p) for p in new)
        )
        assert _same(value, expected), (name, old)


def test_unknown_attributes_still_raise(results: dict[str, Result]) -> None:
    with pytest.raises(AttributeError, match="'TTestResult' object has no attribute 'nope'"):
        _ = results["TTestResult"].nope  # type: ignore[attr-defined]
    assert not hasattr(results["TTestResult"], "n_droped")


def test_the_pair_of_odds_ratio_limits_keeps_its_old_tuple_form(
    results: dict[str, Result],
) -> None:
    res = results["CrosstabResult"]
    with pytest.warns(DeprecatedNameWarning):
        pair = res.odds_ratio_ci  # type: ignore[attr-defined]
    assert pair == (res.odds_ratio_ci_low, res.odds_ratio_ci_high)  # type: ignore[attr-defined]
    bigger = peoscales.crosstab_from_table(pd.DataFrame([[20, 30, 5], [35, 15, 9]]))
    with pytest.warns(DeprecatedNameWarning):
        assert bigger.odds_ratio_ci is None  # type: ignore[attr-defined]


def test_welch_statistic_keeps_its_old_key(results: dict[str, Result]) -> None:
    welch = results["AnovaResult"].welch  # type: ignore[attr-defined]
    with pytest.warns(DeprecatedNameWarning, match="'F' has been renamed 'f'"):
        assert welch["F"] == welch["f"]
    with pytest.raises(KeyError):
        welch["G"]


# --------------------------------------------------------------------------------------
# Keyword arguments
# --------------------------------------------------------------------------------------


def _calls(
    data: pd.DataFrame, coded: pd.DataFrame, tmp: Path
) -> dict[str, tuple[Callable[..., Any], dict[str, Any]]]:
    """Per function: a call taking the renamed arguments, and their values by old name."""
    from peoscales import peo

    space = ["space_own_judgement", "space_do_what_is_needed", "space_reflect"]

    def quiet(call: Callable[..., Any]) -> Callable[..., Any]:
        def run(**kw: Any) -> Any:
            with warnings.catch_warnings():
                # Small expected counts in crosstabs of 178 respondents.
                warnings.simplefilter("ignore", SmallExpectedCountWarning)
                return call(**kw)

        return run

    two_by_two = pd.DataFrame([[20, 30], [35, 15]])
    corr = data[["brs", "age", "swing_nwhi"]]

    def excel(**kw: Any) -> str:
        book = tmp / "table.xlsx"
        peoscales.corr_matrix(corr).to_apa().to_excel(book, **kw)
        return repr(pd.read_excel(book, sheet_name=None, header=None))

    brs = data[BRS]
    return {
        "reliability": (
            lambda **kw: peoscales.reliability(data, "brs", n_boot=20, seed=1, **kw),
            {"ci": "bootstrap", "conf_level": 0.9},
        ),
        "cronbach_alpha": (
            lambda **kw: peoscales.cronbach_alpha(brs, reverse=BRS[1::2], n_boot=20, seed=1, **kw),
            {"ci": "bootstrap", "conf_level": 0.9},
        ),
        "AlphaResult.to_apa": (
            lambda **kw: peoscales.cronbach_alpha(brs, reverse=BRS[1::2]).to_apa(**kw),
            {"digits": 3},
        ),
        "ScaleReliability.to_apa": (
            lambda **kw: peoscales.reliability(data, "brs")["brs"].to_apa(**kw),
            {"digits": 3},
        ),
        "CorrelationResult.to_apa": (
            lambda **kw: peoscales.corr_matrix(corr).to_apa(**kw).to_text(),
            {"digits": 3},
        ),
        "ApaTable.to_excel": (excel, {"sheet_name": "Bijlage"}),
        "frequency_table": (
            lambda **kw: peoscales.frequency_table(
                coded, "space_overall", codebook="2021-09", **kw
            ),
            {"reverse": True},
        ),
        "item_table": (
            lambda **kw: peo.item_table(coded, space, codebook="2021-09", **kw),
            {"reverse": True},
        ),
        "crosstab_table": (
            quiet(
                lambda **kw: peo.crosstab_table(
                    coded, "space_do_what_is_needed", "employer", codebook="2021-09", **kw
                )
            ),
            {"reverse": True},
        ),
        "dichotomy_table": (
            quiet(
                lambda **kw: peo.dichotomy_table(
                    coded,
                    ["space_overall", *space],
                    "work_pleasure",
                    codebook="2021-09",
                    grouping="dichotomy",
                    outcome_grouping="bands",
                    **kw,
                )
            ),
            {"reverse": True},
        ),
        "ttest": (
            lambda **kw: peoscales.ttest(data, "brs", **kw),
            {"group": "gender", "conf_level": 0.9},
        ),
        "anova": (
            lambda **kw: peoscales.anova(data, "brs", "care_type", **kw),
            {"conf_level": 0.9},
        ),
        "crosstab": (
            lambda **kw: peoscales.crosstab(data, "gender", "care_type", **kw),
            {"percent": "row"},
        ),
        "crosstab_from_table": (
            lambda **kw: peoscales.crosstab_from_table(two_by_two, **kw),
            {"percent": "total"},
        ),
        "corr_matrix": (lambda **kw: peoscales.corr_matrix(corr, **kw), {"ci": 0.9}),
        "corr_matrix_dask": (
            lambda **kw: peoscales.corr_matrix_dask(_dask(corr), **kw),
            {"ci": 0.9},
        ),
        "regress": (
            lambda **kw: peoscales.regress(data, "brs", ["age", "swing_nwhi"], **kw),
            {"conf_level": 0.9},
        ),
        "simulate": (
            lambda **kw: peoscales.simulate("brs", 30, seed=1, **kw),
            {"missing": 0.2},
        ),
    }


def _dask(frame: pd.DataFrame) -> Any:
    import dask.dataframe as dd

    return dd.from_pandas(frame, npartitions=2)


def renamed_functions() -> list[tuple[str, Any]]:
    """Public functions and public methods of public classes with renamed arguments."""
    found = []
    for name, obj in public_objects():
        short = name.rsplit(".", 1)[1]
        if inspect.isclass(obj):
            for method_name, method in inspect.getmembers(obj, inspect.isfunction):
                if not method_name.startswith("_") and getattr(method, "_renamed_arguments", None):
                    found.append((f"{short}.{method_name}", method))
        elif callable(obj) and getattr(obj, "_renamed_arguments", None):
            found.append((short, obj))
    return found


def test_every_renamed_argument_is_exercised(
    data: pd.DataFrame, coded: pd.DataFrame, tmp_path: Path
) -> None:
    calls = _calls(data, coded, tmp_path)
    found = dict(renamed_functions())
    lost = sorted(set(calls) - set(found))
    assert not lost, f"these functions no longer take their old argument names: {lost}"
    for name, func in renamed_functions():
        assert name in calls, f"add a call of {name}() to _calls"
        assert set(calls[name][1]) == set(func._renamed_arguments), name


def _as_text(res: Any) -> str:
    if isinstance(res, str):
        return res
    if isinstance(res, pd.DataFrame):
        return res.to_csv()
    return res.summary()


@pytest.mark.parametrize("name", [name for name, _ in renamed_functions()])
def test_old_argument_names_warn_and_give_the_same_result(
    name: str, data: pd.DataFrame, coded: pd.DataFrame, tmp_path: Path
) -> None:
    func = dict(renamed_functions())[name]
    call, old_kwargs = _calls(data, coded, tmp_path)[name]
    new_kwargs = {func._renamed_arguments[k]: v for k, v in old_kwargs.items()}
    for new in new_kwargs:
        assert new in inspect.signature(func).parameters, (name, new)
    for old in old_kwargs:
        assert old not in inspect.signature(func).parameters, (name, old)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        expected = call(**new_kwargs)
    with pytest.warns(DeprecatedNameWarning) as caught:
        got = call(**old_kwargs)
    assert len(caught) == len(old_kwargs)
    assert all(f"{name}()" in str(w.message) for w in caught)
    assert _as_text(got) == _as_text(expected)
    # Giving both names is a mistake, not a silent choice.
    old, value = next(iter(old_kwargs.items()))
    with pytest.raises(ParameterError, match=f"{old}=.*{func._renamed_arguments[old]}="):
        call(**{old: value, func._renamed_arguments[old]: value})


def test_the_warning_is_a_future_warning_pointing_at_the_caller(data: pd.DataFrame) -> None:
    with pytest.warns(FutureWarning) as caught:
        peoscales.ttest(data, "brs", group="gender")
    assert caught[0].filename == __file__
    with pytest.warns(FutureWarning) as caught:
        _ = peoscales.ttest(data, "brs", "gender").n_dropped  # type: ignore[attr-defined]
    assert caught[0].filename == __file__
