"""Where a warning should point: the first frame outside peoscales."""

from __future__ import annotations

import inspect
import os

_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def user_stacklevel() -> int:
    """The ``stacklevel`` that makes a warning point at the caller's own code.

    Call it as ``warnings.warn(message, category, stacklevel=user_stacklevel())``:
    the warning then names the user's line (a notebook cell, a script), not a
    line inside the package, however deep in peoscales it is raised. A fixed
    number cannot do that, as one warning is reached through paths of different
    depth (pandas finds its level the same way).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warnings.warn("here", UserWarning, stacklevel=user_stacklevel())
    >>> caught[0].filename.startswith(_PACKAGE)
    False
    """
    level = 0
    frame = inspect.currentframe()
    try:
        while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
            frame = frame.f_back
            level += 1
    finally:
        del frame  # break the reference cycle a frame object makes
    return level
