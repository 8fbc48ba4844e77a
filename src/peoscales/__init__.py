"""peoscales: psychometrics for workforce research.

Validated instruments and survey codebooks as data, fast vectorised scoring,
reliability, correlations with APA tables, group comparisons and regression,
and survey reports.

Everything public is importable from here (``peoscales.score``, ``from peoscales import
corr_matrix``), but nothing is imported until it is first used (PEP 562), so that
``import peoscales`` and the command line start fast, and statsmodels, scipy.optimize,
matplotlib and the report machinery load only when a function needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from peoscales._version import __version__

#: Subpackages and public modules, imported on first use.
_SUBMODULES = frozenset(["demo", "errors", "factor", "peo", "plot"])

#: Every public function and result class, by the private module that defines it.
_LAZY: dict[str, str] = {
    "AlphaResult": "peoscales._reliability",
    "AnovaResult": "peoscales._groups",
    "ApaTable": "peoscales.apa",
    "CFAResult": "peoscales.factor",
    "CorrelationResult": "peoscales._correlation",
    "CrosstabResult": "peoscales._crosstab",
    "DescribeResult": "peoscales._describe",
    "EFAResult": "peoscales.factor",
    "FrequencyTable": "peoscales.peo.tables",
    "FriedmanResult": "peoscales._rm_anova",
    "Instrument": "peoscales.instruments",
    "InvarianceResult": "peoscales.factor",
    "KruskalResult": "peoscales._groups",
    "MannWhitneyResult": "peoscales._groups",
    "MediationResult": "peoscales._mediation",
    "ModerationResult": "peoscales._moderation",
    "OmegaResult": "peoscales._reliability",
    "PairedTTestResult": "peoscales._paired",
    "ParallelAnalysisResult": "peoscales.factor",
    "PolychoricResult": "peoscales._reliability",
    "RMAnovaResult": "peoscales._rm_anova",
    "RegressionResult": "peoscales._regression",
    "RegressionStep": "peoscales._regression",
    "ReliabilityResult": "peoscales._reliability",
    "ScaleReliability": "peoscales._reliability",
    "ScaleValidation": "peoscales.factor",
    "ScoringResult": "peoscales._scoring",
    "StudyReport": "peoscales._study",
    "SuitabilityResult": "peoscales.factor",
    "SurveyExport": "peoscales._io",
    "TTestResult": "peoscales._groups",
    "WilcoxonResult": "peoscales._paired",
    "anova": "peoscales._groups",
    "categorize": "peoscales._scoring",
    "cfa": "peoscales.factor",
    "corr_matrix": "peoscales._correlation",
    "corr_matrix_dask": "peoscales._scaleout",
    "cronbach_alpha": "peoscales._reliability",
    "crosstab": "peoscales._crosstab",
    "crosstab_from_table": "peoscales._crosstab",
    "describe": "peoscales._describe",
    "describe_dask": "peoscales._scaleout_stats",
    "efa": "peoscales.factor",
    "factor_suitability": "peoscales.factor",
    "frequency_table": "peoscales.peo.tables",
    "frequency_table_dask": "peoscales._scaleout_stats",
    "get_instrument": "peoscales.instruments",
    "invariance": "peoscales.factor",
    "list_instruments": "peoscales.instruments",
    "load_instrument": "peoscales.instruments",
    "mediate": "peoscales._mediation",
    "moderate": "peoscales._moderation",
    "omega": "peoscales._reliability.omega_coefficient",
    "one_sample_test": "peoscales._paired",
    "paired_test": "peoscales._paired",
    "parallel_analysis": "peoscales.factor",
    "polychoric": "peoscales._reliability.polychoric_matrix",
    "read_csv_dask": "peoscales._scaleout_read",
    "read_parquet_dask": "peoscales._scaleout_read",
    "read_survey": "peoscales._io",
    "recode": "peoscales._scoring",
    "register_instrument": "peoscales.instruments",
    "regress": "peoscales._regression",
    "reliability": "peoscales._reliability",
    "reliability_dask": "peoscales._scaleout_stats",
    "rm_anova": "peoscales._rm_anova",
    "score": "peoscales._scoring",
    "score_dask": "peoscales._scaleout",
    "simulate": "peoscales._simulate",
    "study_report": "peoscales._study",
    "ttest": "peoscales._groups",
    "validate_scale": "peoscales.factor",
}

__all__ = [
    "AlphaResult",
    "AnovaResult",
    "ApaTable",
    "CFAResult",
    "CorrelationResult",
    "CrosstabResult",
    "DescribeResult",
    "EFAResult",
    "FrequencyTable",
    "FriedmanResult",
    "Instrument",
    "InvarianceResult",
    "KruskalResult",
    "MannWhitneyResult",
    "MediationResult",
    "ModerationResult",
    "OmegaResult",
    "PairedTTestResult",
    "ParallelAnalysisResult",
    "PolychoricResult",
    "RMAnovaResult",
    "RegressionResult",
    "RegressionStep",
    "ReliabilityResult",
    "ScaleReliability",
    "ScaleValidation",
    "ScoringResult",
    "StudyReport",
    "SuitabilityResult",
    "SurveyExport",
    "TTestResult",
    "WilcoxonResult",
    "__version__",
    "anova",
    "categorize",
    "cfa",
    "corr_matrix",
    "corr_matrix_dask",
    "cronbach_alpha",
    "crosstab",
    "crosstab_from_table",
    "demo",
    "describe",
    "describe_dask",
    "efa",
    "errors",
    "factor",
    "factor_suitability",
    "frequency_table",
    "frequency_table_dask",
    "get_instrument",
    "invariance",
    "list_instruments",
    "load_instrument",
    "mediate",
    "moderate",
    "omega",
    "one_sample_test",
    "paired_test",
    "parallel_analysis",
    "peo",
    "plot",
    "polychoric",
    "read_csv_dask",
    "read_parquet_dask",
    "read_survey",
    "recode",
    "register_instrument",
    "regress",
    "reliability",
    "reliability_dask",
    "rm_anova",
    "score",
    "score_dask",
    "simulate",
    "study_report",
    "ttest",
    "validate_scale",
]


def __getattr__(name: str) -> Any:
    """Import a public name (or subpackage) on first use, then keep it here."""
    if name in _SUBMODULES:
        value: Any = importlib.import_module(f"peoscales.{name}")
    elif name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    else:
        raise AttributeError(f"module 'peoscales' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """What tab completion shows: the public functions, results and subpackages."""
    return sorted(__all__)


if TYPE_CHECKING:  # the same names, for type checkers and editors
    from peoscales import (
        demo,
        errors,
        factor,
        peo,
        plot,
    )
    from peoscales._correlation import CorrelationResult, corr_matrix
    from peoscales._crosstab import CrosstabResult, crosstab, crosstab_from_table
    from peoscales._describe import DescribeResult, describe
    from peoscales._groups import (
        AnovaResult,
        KruskalResult,
        MannWhitneyResult,
        TTestResult,
        anova,
        ttest,
    )
    from peoscales._io import SurveyExport, read_survey
    from peoscales._mediation import MediationResult, mediate
    from peoscales._moderation import ModerationResult, moderate
    from peoscales._paired import PairedTTestResult, WilcoxonResult, one_sample_test, paired_test
    from peoscales._regression import RegressionResult, RegressionStep, regress
    from peoscales._reliability import (
        AlphaResult,
        OmegaResult,
        PolychoricResult,
        ReliabilityResult,
        ScaleReliability,
        cronbach_alpha,
        reliability,
    )
    from peoscales._reliability.omega_coefficient import omega
    from peoscales._reliability.polychoric_matrix import polychoric
    from peoscales._rm_anova import FriedmanResult, RMAnovaResult, rm_anova
    from peoscales._scaleout import corr_matrix_dask, score_dask
    from peoscales._scaleout_read import read_csv_dask, read_parquet_dask
    from peoscales._scaleout_stats import describe_dask, frequency_table_dask, reliability_dask
    from peoscales._scoring import ScoringResult, categorize, recode, score
    from peoscales._simulate import simulate
    from peoscales._study import StudyReport, study_report
    from peoscales.apa import ApaTable
    from peoscales.factor import (
        CFAResult,
        EFAResult,
        InvarianceResult,
        ParallelAnalysisResult,
        ScaleValidation,
        SuitabilityResult,
        cfa,
        efa,
        factor_suitability,
        invariance,
        parallel_analysis,
        validate_scale,
    )
    from peoscales.instruments import (
        Instrument,
        get_instrument,
        list_instruments,
        load_instrument,
        register_instrument,
    )
    from peoscales.peo.tables import FrequencyTable, frequency_table
