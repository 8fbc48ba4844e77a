"""Every example of the user guide runs as written and prints what the page shows.

For each page ``docs/*.rst`` the ``.. code-block:: python`` blocks run top to bottom in
one namespace, in a fresh temporary working folder (so examples that write files write
there), under the suite's warning filter (``error``): an example that warns fails.

Other blocks:

- ``.. code-block:: text`` with ``:class: output`` shows what the Python block before it
  prints; the test compares the two (trailing white space and surrounding blank lines
  ignored);
- ``.. code-block:: toml`` whose first line is a comment naming a file
  (``# team_climate.toml``) is written to that file in the working folder, so that the
  page's next examples can read it; a TOML block defining an instrument (a top-level
  ``name`` and ``scales`` or ``[variant]``) is loaded with
  :func:`peoscales.load_instrument`;
- ``text``, ``console``, ``bash``, ``shell``, ``none`` blocks are shown, not run;
- a plain ``::`` literal block must not be Python: a literal block that compiles as
  Python and mentions ``peoscales`` fails the test, as it would not be run.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # tomli is a dependency below Python 3.11
    import tomli as tomllib

import peoscales
from peoscales.instruments import registry

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = sorted(DOCS.glob("*.rst"))

#: Pages that are not user-guide prose with examples.
NO_EXAMPLES = {"api.rst", "changelog.rst", "glossary.rst", "notebooks.rst"}

#: Languages that are shown but not run.
SHOWN_ONLY = {"text", "console", "bash", "shell", "none"}

_CODE = re.compile(
    r"^(?P<indent>[ \t]*)\.\. (?:code-block|code|sourcecode)::[ \t]*(?P<lang>\S*)[ \t]*$"
)
_DIRECTIVE = re.compile(r"^[ \t]*\.\. [\w:-]+::")
_OPTION = re.compile(r"^[ \t]*:(?P<name>[\w-]+):[ \t]*(?P<value>.*)$")
_FILE_COMMENT = re.compile(r"^#\s*(?P<file>[\w.-]+\.toml)\s*$")


@dataclass(frozen=True)
class Block:
    """A literal block of a page: its language (``None`` for ``::``), classes and text."""

    language: str | None
    classes: tuple[str, ...]
    text: str
    line: int


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _body(lines: list[str], start: int, indent: int) -> tuple[str, int]:
    """The block indented deeper than ``indent`` from line ``start``; returns text and end."""
    end = start
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > indent):
        end += 1
    return textwrap.dedent("\n".join(lines[start:end])).strip("\n"), end


def extract_blocks(text: str) -> list[Block]:
    """Every code-block and ``::`` literal block of an RST text, in page order."""
    lines = text.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        match = _CODE.match(line)
        if match:
            indent = len(match["indent"])
            classes: tuple[str, ...] = ()
            j = i + 1
            while (
                j < len(lines)
                and (option := _OPTION.match(lines[j]))
                and _indent(lines[j]) > indent
            ):
                if option["name"] == "class":
                    classes = tuple(option["value"].split())
                j += 1
            body, end = _body(lines, j, indent)
            blocks.append(Block(match["lang"] or None, classes, body, i + 1))
            i = end
            continue
        if line.rstrip().endswith("::") and not _DIRECTIVE.match(line):
            body, end = _body(lines, i + 1, _indent(line))
            blocks.append(Block(None, (), body, i + 1))
            i = end
            continue
        i += 1
    return blocks


def _is_python(text: str) -> bool:
    try:
        compile(text, "<literal>", "exec")
    except SyntaxError:
        return False
    return "peoscales" in text


@pytest.fixture
def restore_registry() -> Iterator[None]:
    """Remove instruments a page registers, so pages do not affect other tests."""
    before = set(registry._instruments)
    yield
    for name in set(registry._instruments) - before:
        registry._unregister(name)


def _normalised(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_examples_run(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restore_registry: None
) -> None:
    blocks = extract_blocks(page.read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    printed: str | None = None
    for block in blocks:
        where = f"{page.name}, line {block.line}"
        if block.language == "python":
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(block.text, where, "exec"), namespace)
            printed = out.getvalue()
        elif "output" in block.classes:
            assert printed is not None, f"{where}: an output block must follow a Python block"
            assert _normalised(printed) == _normalised(block.text), (
                f"{where}: the page shows other output than the example prints:\n{printed}"
            )
            printed = None
        elif block.language == "toml":
            first = block.text.splitlines()[0].strip()
            if (named := _FILE_COMMENT.match(first)) is not None:
                (tmp_path / named["file"]).write_text(block.text + "\n", encoding="utf-8")
            table = tomllib.loads(block.text)
            if "name" in table and ("scales" in table or "variant" in table):
                path = tmp_path / f"_{page.stem}_{block.line}.toml"
                path.write_text(block.text + "\n", encoding="utf-8")
                assert peoscales.load_instrument(path).name == table["name"]
        elif block.language is None:
            assert not _is_python(block.text), (
                f"{where}: a '::' literal block with Python is not run; "
                "mark it '.. code-block:: python'"
            )
        else:
            assert block.language in SHOWN_ONLY, (
                f"{where}: unknown code-block language {block.language!r}; "
                f"use python, toml or one of {sorted(SHOWN_ONLY)}"
            )


@pytest.mark.parametrize(
    "page", [p for p in PAGES if p.name not in NO_EXAMPLES], ids=lambda p: p.name
)
def test_user_guide_pages_have_python_examples(page: Path) -> None:
    # Guards the extraction: a page whose examples are not recognised would pass emptily.
    blocks = extract_blocks(page.read_text(encoding="utf-8"))
    assert any(b.language == "python" for b in blocks), f"{page.name}: no Python example found"


def test_extract_blocks_reads_languages_options_and_literals() -> None:
    text = textwrap.dedent(
        """\
        Intro::

           pip install .

        .. code-block:: python

           x = 1

           print(x)

        .. code-block:: text
           :class: output

           1

        .. note::

           .. code-block:: toml

              # a.toml
              name = "a"

        .. math::

           a = b
        After.
        """
    )
    blocks = extract_blocks(text)
    assert [(b.language, b.classes, b.text) for b in blocks] == [
        (None, (), "pip install ."),
        ("python", (), "x = 1\n\nprint(x)"),
        ("text", ("output",), "1"),
        ("toml", (), '# a.toml\nname = "a"'),
    ]
    assert [b.line for b in blocks] == [1, 5, 11, 18]
    assert _is_python("import peoscales") and not _is_python("pip install .")
