"""Sphinx directives that render the glossary from ``peoscales._glossary``.

``.. peoscales-glossary::`` gives one table per section (concept, name, meaning, where
the name is used); ``.. peoscales-deprecated-names::`` gives the table of old names
that still work. Both read the same data as the test of the public names, so the page
cannot drift from the code.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

#: How many places of use a row lists before it says "and N more".
MAX_PLACES = 4


def _cell(text: str) -> str:
    return text.replace("\n", " ")


def _short(place: str) -> str:
    return place.removeprefix("peoscales.")


def _list_table(header: list[str], rows: list[list[str]], widths: str) -> list[str]:
    lines = [".. list-table::", "   :header-rows: 1", f"   :widths: {widths}", ""]
    for row in [header, *rows]:
        lines.append(f"   * - {_cell(row[0])}")
        lines += [f"     - {_cell(value)}" for value in row[1:]]
    return lines


class _RstDirective(SphinxDirective):
    def _parse(self, lines: list[str]) -> list[nodes.Node]:
        container = nodes.container()
        self.state.nested_parse(StringList(lines, source="peoscales._glossary"), 0, container)
        return list(container.children)


class GlossaryDirective(_RstDirective):
    """One table per glossary section."""

    def run(self) -> list[nodes.Node]:
        from peoscales._glossary import SECTIONS, public_names

        used = public_names()
        lines: list[str] = []
        for title, terms in SECTIONS:
            lines += [f".. rubric:: {title}", ""]
            rows = []
            for term in terms:
                places = sorted({_short(p) for p in used.get(term.name, [])})
                shown = ", ".join(places[:MAX_PLACES])
                if len(places) > MAX_PLACES:
                    shown += f" and {len(places) - MAX_PLACES} more"
                rows.append([term.concept, f"``{term.name}``", term.meaning, shown or "(reserved)"])
            lines += _list_table(["Concept", "Name", "Meaning", "Used in"], rows, "20 14 40 26")
            lines.append("")
        return self._parse(lines)


class DeprecatedNamesDirective(_RstDirective):
    """The old names that still work, and their new names."""

    def run(self) -> list[nodes.Node]:
        from peoscales._deprecation import REMOVED_IN
        from peoscales._glossary import deprecated_names

        rows = [
            [f"``{old}``", f"``{new}``", _short(place)] for old, new, place in deprecated_names()
        ]
        lines = [
            f"These old names still work, with a ``DeprecatedNameWarning``, until "
            f"peoscales {REMOVED_IN}.",
            "",
            *_list_table(["Old name", "New name", "Where"], rows, "25 30 45"),
        ]
        return self._parse(lines)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("peoscales-glossary", GlossaryDirective)
    app.add_directive("peoscales-deprecated-names", DeprecatedNamesDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
