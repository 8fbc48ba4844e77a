"""Every public name follows the glossary (``peoscales._glossary``).

The walk covers every public function signature and every public result class
(dataclass fields, public properties and the arguments of public methods) of
``peoscales`` and each public subpackage, so a new function or subpackage is checked
as soon as it is exported.
"""

from __future__ import annotations

import re

import peoscales
from peoscales._deprecation import renamed_attributes
from peoscales._glossary import SECTIONS, deprecated_names, glossary, public_names
from peoscales._results import Result

#: Names known to be outside the glossary, with the reason. Strict: once such a name is
#: renamed the test fails until its entry here is removed.
KNOWN_OUTSIDE: dict[str, str] = {}


def _offenders() -> dict[str, list[str]]:
    known = glossary()
    return {name: places for name, places in public_names().items() if name not in known}


def test_every_public_name_is_in_the_glossary() -> None:
    offenders = {n: p for n, p in _offenders().items() if n not in KNOWN_OUTSIDE}
    lines = [
        f"  {name!r}: used in {', '.join(sorted(places))}" for name, places in offenders.items()
    ]
    assert not offenders, (
        "Public names outside the glossary. Use the glossary's name for the concept, or "
        "add the new concept to peoscales/_glossary.py:\n" + "\n".join(sorted(lines))
    )


def test_known_exceptions_are_still_needed() -> None:
    stale = sorted(set(KNOWN_OUTSIDE) - set(_offenders()))
    assert not stale, (
        f"these names now follow the glossary; remove them from KNOWN_OUTSIDE: {stale}"
    )


def test_glossary_is_well_formed() -> None:
    names = [term.name for _, terms in SECTIONS for term in terms]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    assert not duplicates, f"names defined twice: {duplicates}"
    concepts = [term.concept for _, terms in SECTIONS for term in terms]
    assert len(set(concepts)) == len(concepts), "two names for one concept"
    for name in names:
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", name), f"{name!r} is not snake_case"
    for _, terms in SECTIONS:
        for term in terms:
            assert term.meaning.strip() and term.concept.strip(), term


def test_the_vocabulary_of_the_core_concepts() -> None:
    """The names fixed for the concepts every result shares."""
    known = glossary()
    core = {
        "n_excluded": "rows left out",
        "chi2": "chi-square statistic",
        "f": "F statistic",
        "cramers_v": "Cramér's V",
        "confidence": "confidence level",
        "ci_method": "interval method",
        "r": "correlation coefficient",
        "between": "between-subjects factor",
    }
    for name, concept in core.items():
        assert known[name].concept == concept


def test_renamed_names_lead_to_glossary_names() -> None:
    known = glossary()
    for old, new, place in deprecated_names():
        for part in new.split(" and "):
            assert part in known, (
                f"{place}: {old!r} is renamed {part!r}, which is not in the glossary"
            )


def test_old_names_are_not_fields_of_their_class() -> None:
    """An old name must not also be a current attribute of the same class."""
    import dataclasses
    import inspect

    for module in (peoscales, peoscales.peo):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and issubclass(obj, Result) and dataclasses.is_dataclass(obj):
                fields = {f.name for f in dataclasses.fields(obj)}
                assert not fields & set(renamed_attributes(obj)), name


def test_the_walk_sees_functions_results_and_methods() -> None:
    """A guard against a walk that finds nothing and so cannot fail."""
    names = public_names()
    assert "peoscales.ttest() (argument)" in names["between"]
    assert "peoscales.TTestResult (attribute)" in names["n_excluded"]
    assert "peoscales.CorrelationResult.to_apa() (argument)" in names["decimals"]
    assert "peoscales.peo.GroupMeans (attribute)" in names["eta2"]
    assert any(place.startswith("peoscales.instruments.") for place in names["id"])
