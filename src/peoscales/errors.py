"""The errors and warnings peoscales raises.

Every exception derives from :class:`PeoscalesError` and from the built-in class a
caller would expect (``ValueError``, ``TypeError``, ``LookupError``), so both
``except peoscales.errors.MissingColumnsError`` and ``except ValueError`` work.
Messages name the argument or column, show a few offending values (with row
labels where there are rows) and say how to fix the problem.
"""

from __future__ import annotations

__all__ = [
    "AmbiguousMatchError",
    "CollinearityError",
    "ColumnError",
    "ConstantColumnWarning",
    "DataTypeError",
    "DefinitionError",
    "DeprecatedNameWarning",
    "DuplicateColumnsError",
    "IncompleteScoresWarning",
    "InstrumentNotFoundError",
    "InsufficientDataError",
    "MissingColumnsError",
    "MissingDataWarning",
    "OutOfRangeError",
    "ParameterError",
    "PartialExportWarning",
    "PeoscalesError",
    "PeoscalesWarning",
    "ReverseKeyWarning",
    "SkippedLinesWarning",
    "SmallExpectedCountWarning",
    "SurveyFormatError",
    "UnknownLabelError",
]


class PeoscalesError(Exception):
    """Base class of every error raised by peoscales."""


class ParameterError(PeoscalesError, ValueError):
    """An argument has a value the function does not accept."""


class DefinitionError(PeoscalesError, ValueError):
    """An instrument or codebook definition (TOML) is invalid.

    The message names the file, the field and the fix.
    """


class InstrumentNotFoundError(PeoscalesError, LookupError):
    """No instrument or codebook is registered under the requested name."""


class ColumnError(PeoscalesError, ValueError):
    """A problem with the columns of the caller's data."""


class MissingColumnsError(ColumnError):
    """Columns that the analysis needs are absent from the data."""


class DuplicateColumnsError(ColumnError):
    """The data has two or more columns with the same name."""


class NonFiniteValueError(ParameterError):
    """Infinite numbers, or numbers so large that sums of squares overflow (|x| > 1e150)."""


class DataTypeError(PeoscalesError, TypeError):
    """Data of the wrong type: text where numbers are needed, a non-DataFrame input."""


class OutOfRangeError(PeoscalesError, ValueError):
    """Codes outside the declared response range (a 7 on a 1-5 scale)."""


class UnknownLabelError(PeoscalesError, ValueError):
    """Response texts that the instrument or codebook does not know."""


class InsufficientDataError(PeoscalesError, ValueError):
    """Too few cases, items or groups for the requested analysis."""


class CollinearityError(PeoscalesError, ValueError):
    """Predictors that are perfectly collinear."""


class SurveyFormatError(PeoscalesError, ValueError):
    """A file that is not a survey export of the expected kind or wave."""


class AmbiguousMatchError(PeoscalesError, ValueError):
    """A codebook item matches more than one column of a survey export."""


class MissingDependencyError(PeoscalesError, ImportError):
    """An optional package that a feature needs is not installed; the message names the
    extra that brings it (``pip install "peoscales[report]"``)."""


class PeoscalesWarning(UserWarning):
    """Base class of every warning issued by peoscales."""


class IncompleteScoresWarning(PeoscalesWarning):
    """Some respondents answered too few items and got a missing score."""


class ConstantColumnWarning(PeoscalesWarning):
    """A column has zero variance; statistics that need variance are NaN."""


class ReverseKeyWarning(PeoscalesWarning):
    """Items correlate negatively with their scale: a reverse key may be missing."""


class SmallExpectedCountWarning(PeoscalesWarning):
    """Expected cell counts are too small for the chi-square approximation."""


class MissingDataWarning(PeoscalesWarning):
    """Rows were left out of an analysis because of missing values."""


class PartialExportWarning(PeoscalesWarning):
    """A survey export of a named wave holds only some of its questions; the others are
    absent from the coded data and the report says so."""


class SkippedLinesWarning(PeoscalesWarning):
    """Malformed lines of a file were left out on request (``on_bad_lines="skip"``)."""


class DeprecatedNameWarning(PeoscalesWarning, FutureWarning):
    """An argument or result attribute was used by a name that has been renamed.

    The old name still works until the version given in the message. It is a
    :class:`FutureWarning` (shown by default, also from imported code), because the
    people who must act on it are the analysts writing the calls, not only developers.
    """
