"""peoscales: psychometrics for workforce research.

Validated instruments and survey codebooks as data, fast vectorised scoring,
reliability, correlations with APA tables, group comparisons and regression,
and survey reports.
"""

from peoscales import demo, errors, factor, peo
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
    omega,
    polychoric,
    reliability,
)
from peoscales._rm_anova import FriedmanResult, RMAnovaResult, rm_anova
from peoscales._scaleout import corr_matrix_dask, score_dask
from peoscales._scoring import ScoringResult, categorize, recode, score
from peoscales._simulate import simulate
from peoscales._version import __version__
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
    "efa",
    "errors",
    "factor",
    "factor_suitability",
    "frequency_table",
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
    "polychoric",
    "read_survey",
    "recode",
    "register_instrument",
    "regress",
    "reliability",
    "rm_anova",
    "score",
    "score_dask",
    "simulate",
    "ttest",
    "validate_scale",
]
