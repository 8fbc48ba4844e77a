"""Answer groupings given on the fly: a mapping of new labels to answers, bands of a
numeric item, or one answer against the rest, as well as a codebook grouping's name.

Every table function takes ``grouping=`` in any of these forms and they all go through
:func:`resolve_grouping`, so a grouping behaves the same in every table. Non-substantive
answers ("weet niet") are placed explicitly: listed in a group they join it; otherwise
they are kept apart as rows of their own (and left out where a table counts substantive
answers only). The table's notes say which.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np

from peoscales._validation import preview
from peoscales.errors import ParameterError, UnknownLabelError
from peoscales.instruments.model import AnswerGroup, Grouping, ResponseScale, normalize_label

__all__ = ["REST", "GroupingSpec", "bands", "resolve_grouping", "versus_rest"]


class _Rest:
    """The answers no other group takes (see :data:`REST`)."""

    def __repr__(self) -> str:
        return "REST"


#: In an inline grouping, the group of every substantive answer not listed elsewhere:
#: ``{"GI": ["Gecertificeerde instelling"], "the rest": REST}``.
REST = _Rest()

#: What ``grouping=`` accepts: a codebook grouping's name, a :class:`Grouping` (from
#: :func:`bands` or :func:`versus_rest`), or a mapping of new label to answers.
GroupingSpec = str | Grouping | Mapping[str, Any]


def bands(
    cuts: Sequence[float], *, labels: Sequence[str] | None = None, unit: str = ""
) -> Grouping:
    """Bands of a numeric item cut at the given points: ``bands([50], unit="%")`` gives
    "< 50%" and "50% or more".

    Parameters
    ----------
    cuts : sequence of float
        Increasing cut points; a value equal to a cut point falls in the band above it.
    labels : sequence of str, optional
        One label per band (``len(cuts) + 1``); by default "< 50", "50 – 75", "75 or more"
        in English and "< 50", "50 – 75", "75 of meer" in Dutch.
    unit : str
        Appended to the numbers of the default labels, e.g. ``"%"``.

    Examples
    --------
    >>> from peoscales.peo import bands
    >>> [g.label("en") for g in bands([50], unit="%").groups]
    ['< 50%', '50% or more']
    """
    points = [float(c) for c in cuts]
    if not points or any(not np.isfinite(c) for c in points) or points != sorted(set(points)):
        raise ParameterError(
            f"cuts must be one or more increasing finite numbers, got {list(cuts)!r}."
        )
    edges = [-np.inf, *points, np.inf]
    if labels is not None and len(labels) != len(points) + 1:
        raise ParameterError(
            f"labels must give one label per band: {len(points) + 1} for {len(points)} cut "
            f"point(s), got {len(labels)}."
        )

    def num(v: float) -> str:
        return f"{v:g}{unit}"

    groups = []
    for i in range(len(edges) - 1):
        low, high = edges[i], edges[i + 1]
        if labels is not None:
            text = {"nl": str(labels[i]), "en": str(labels[i])}
        elif i == 0:
            text = {"nl": f"< {num(high)}", "en": f"< {num(high)}"}
        elif i == len(edges) - 2:
            text = {"nl": f"{num(low)} of meer", "en": f"{num(low)} or more"}
        else:
            text = {"nl": f"{num(low)} – {num(high)}", "en": f"{num(low)} – {num(high)}"}
        # A closed interval ending just below the next cut: [low, high).
        top = float(np.nextafter(high, -np.inf)) if np.isfinite(high) else np.inf
        groups.append(
            AnswerGroup(f"band_{i + 1}", MappingProxyType(text), interval=(float(low), top))
        )
    return Grouping(name=f"bands {points}", groups=tuple(groups))


def versus_rest(
    answers: Any, *, label: str | None = None, rest_label: str | None = None
) -> dict[str, Any]:
    """One answer (or several) against all other substantive answers, e.g. "GI vs the rest".

    Returns an inline grouping (a mapping) for ``grouping=``; answers are codes or
    answer texts of the item's answer scale.

    Examples
    --------
    >>> from peoscales.peo import versus_rest
    >>> versus_rest("Gecertificeerde instelling", label="GI", rest_label="overig")
    {'GI': ['Gecertificeerde instelling'], 'overig': REST}
    """
    chosen = list(answers) if isinstance(answers, (list, tuple, set)) else [answers]
    if not chosen:
        raise ParameterError("versus_rest needs at least one answer.")
    name = label if label is not None else " / ".join(str(a) for a in chosen)
    rest = rest_label if rest_label is not None else "overig"
    if rest == name:
        raise ParameterError(f"label and rest_label must differ, both are {name!r}.")
    return {name: chosen, rest: REST}


def resolve_grouping(spec: GroupingSpec, rs: ResponseScale, item: str, argname: str) -> Grouping:
    """The :class:`Grouping` a ``grouping=`` argument stands for on this answer scale."""
    if isinstance(spec, Grouping):
        return spec
    if isinstance(spec, str):
        if spec not in rs.groupings:
            raise ParameterError(
                f"{argname}={spec!r} is not defined for item {item!r}; its answer scale "
                f"{rs.id!r} has groupings {preview(list(rs.groupings)) or 'none'}. Give the "
                "grouping inline instead: a mapping of new label to answers, "
                "peoscales.peo.bands([...]) or peoscales.peo.versus_rest(...)."
            )
        return rs.groupings[spec]
    if not isinstance(spec, Mapping) or not spec:
        raise ParameterError(
            f"{argname} must be a grouping's name, a mapping of new label to answers "
            f"(e.g. {{'changed': [1, 3], 'the same': [2]}}), bands([...]) or versus_rest(...); "
            f"got {spec!r}."
        )
    label_map = rs.label_map()
    known = {float(o.code) for o in rs.options}
    groups = []
    seen: dict[float, str] = {}
    for label, answers in spec.items():
        if answers is REST:
            groups.append(AnswerGroup(str(label), MappingProxyType({}), rest=True))
            continue
        listed = list(answers) if isinstance(answers, (list, tuple, set, range)) else [answers]
        codes = []
        unknown: list[Any] = []
        for answer in listed:
            if isinstance(answer, str):
                key = normalize_label(answer)
                if key in label_map:
                    codes.append(float(label_map[key]))
                    continue
                unknown.append(answer)
            elif isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(
                answer, bool
            ):
                code = float(answer)
                if known and code not in known and not _in_range(rs, code):
                    unknown.append(answer)
                else:
                    codes.append(code)
            else:
                unknown.append(answer)
        if unknown:
            raise UnknownLabelError(
                f"{argname}: group {label!r} lists answer(s) {preview(unknown)} that item "
                f"{item!r} does not have; its answers are "
                f"{preview([f'{o.code:g} = {o.label()}' for o in rs.options], 12)}."
            )
        for code in codes:
            if code in seen:
                raise ParameterError(
                    f"{argname}: answer {code:g} is in both group {seen[code]!r} and group "
                    f"{label!r}; put each answer in one group only."
                )
            seen[code] = str(label)
        groups.append(AnswerGroup(str(label), MappingProxyType({}), codes=tuple(codes)))
    return Grouping(name="inline", groups=tuple(groups))


def _in_range(rs: ResponseScale, code: float) -> bool:
    return rs.min is not None and rs.max is not None and rs.min <= code <= rs.max
