"""peoscales: psychometrics for workforce research.

Validated instruments and survey codebooks as data, fast vectorised scoring,
reliability, correlations with APA tables, group comparisons and regression,
and survey reports.
"""

from peoscales import demo, errors, peo
from peoscales._version import __version__
from peoscales.apa import ApaTable
from peoscales.correlation import CorrelationResult, corr_matrix
from peoscales.instruments import (
    Instrument,
    get_instrument,
    list_instruments,
    load_instrument,
    register_instrument,
)
from peoscales.io import SurveyExport, read_survey
from peoscales.scoring import ScoringResult, categorize, recode, score
from peoscales.simulate import simulate

__all__ = [
    "ApaTable",
    "CorrelationResult",
    "Instrument",
    "ScoringResult",
    "SurveyExport",
    "__version__",
    "categorize",
    "corr_matrix",
    "demo",
    "errors",
    "get_instrument",
    "list_instruments",
    "load_instrument",
    "peo",
    "read_survey",
    "recode",
    "register_instrument",
    "score",
    "simulate",
]
