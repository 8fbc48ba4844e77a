"""peoscales: psychometrics for workforce research.

Validated instruments and survey codebooks as data, fast vectorised scoring,
reliability, correlations with APA tables, group comparisons and regression,
and survey reports.
"""

from peoscales import demo, errors, peo
from peoscales._version import __version__
from peoscales.apa import ApaTable
from peoscales.correlation import CorrelationResult, corr_matrix
from peoscales.crosstab import CrosstabResult, crosstab, crosstab_from_table
from peoscales.describe import DescribeResult, describe
from peoscales.groups import (
    AnovaResult,
    KruskalResult,
    MannWhitneyResult,
    TTestResult,
    anova,
    ttest,
)
from peoscales.instruments import (
    Instrument,
    get_instrument,
    list_instruments,
    load_instrument,
    register_instrument,
)
from peoscales.io import SurveyExport, read_survey
from peoscales.peo.tables import FrequencyTable, frequency_table
from peoscales.scoring import ScoringResult, categorize, recode, score
from peoscales.simulate import simulate

__all__ = [
    "AnovaResult",
    "ApaTable",
    "CorrelationResult",
    "CrosstabResult",
    "DescribeResult",
    "FrequencyTable",
    "Instrument",
    "KruskalResult",
    "MannWhitneyResult",
    "ScoringResult",
    "SurveyExport",
    "TTestResult",
    "__version__",
    "anova",
    "categorize",
    "corr_matrix",
    "crosstab",
    "crosstab_from_table",
    "demo",
    "describe",
    "errors",
    "frequency_table",
    "get_instrument",
    "list_instruments",
    "load_instrument",
    "peo",
    "read_survey",
    "recode",
    "register_instrument",
    "score",
    "simulate",
    "ttest",
]
