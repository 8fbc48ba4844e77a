"""The ``peoscales`` command.

Subcommands:

``peoscales instruments [--all]``
    List the instruments that can be scored (``--all``: also the PEO codebooks).
``peoscales score INPUT --instrument NAME [...] --out FILE``
    Score a CSV or Excel file; write the scores as CSV, Excel or Parquet.
``peoscales demo``
    Score the embedded demo data set and print a summary.
``peoscales report INPUT --out FILE``
    Write the report of a PEO survey export (HTML page, or Word file for .docx).
``peoscales report DATA --instrument NAME [...] [--by COLUMN] --out FILE``
    Write the study report of one or more instruments (scores, reliability, norm
    bands, correlations, group comparisons).

Errors print one line to stderr (``peoscales: error: ...``) and the command
exits with status 1 (2 for bad arguments); no traceback is shown. Advice in
the library's messages that is phrased for Python (``min_valid=7``,
``columns={...}``) is given in command-line terms (``--min-valid 7``,
``--columns FILE``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import sys
import textwrap
import warnings
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn, cast

from peoscales._version import __version__
from peoscales.errors import (
    IncompleteScoresWarning,
    MissingColumnsError,
    ParameterError,
    PeoscalesError,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["main"]

_READERS = {".csv": "csv", ".txt": "csv", ".xlsx": "excel", ".xls": "excel"}
_WRITERS = (".csv", ".xlsx", ".parquet")


class _UsageError(Exception):
    """Bad command-line arguments (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """An argument parser that raises instead of printing usage and exiting."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message} (see '{self.prog} --help')")


def _input_path(spec: str) -> Path:
    """The INPUT file of a command; the same wording for every command."""
    path = Path(spec)
    if path.is_dir():
        raise ParameterError(f"INPUT {spec!r} is a folder; give the file itself.")
    if not path.exists():
        raise FileNotFoundError(f"INPUT {spec!r} does not exist.")
    return path


def _check_outputs(
    outputs: Sequence[tuple[str, Path]], inputs: Sequence[tuple[str, Path]], force: bool
) -> list[Path]:
    """Refuse an output that is one of the inputs (the same file once links are resolved)
    or another output, and an existing file unless ``--force``.

    Checked before anything is read or written, so a refused command changes nothing.
    Returns the outputs that already exist (and will be replaced, with ``--force``), so
    the summary can say so.
    """
    replaced: list[Path] = []
    seen: list[tuple[str, Path]] = []
    for flag, out in outputs:
        if out.is_dir():
            raise _UsageError(f"{flag} {str(out)!r} is a folder; give a file name inside it.")
        for other_flag, other in [*inputs, *seen]:
            if _same_file(out, other):
                what = "your input" if (other_flag, other) in inputs else "another output"
                raise _UsageError(
                    f"{flag} {str(out)!r} is the same file as {other_flag} {str(other)!r} "
                    f"({what}); writing would replace it. Choose another output file."
                )
        if out.exists():
            if not force:
                raise _UsageError(
                    f"{flag} {str(out)!r} already exists; add --force to replace it, or "
                    "choose another output file."
                )
            replaced.append(out)
        seen.append((flag, out))
    return replaced


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (links and relative paths resolved)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def _replaced_note(replaced: Sequence[Path]) -> str:
    return f" (replaced the existing {', '.join(map(str, replaced))})" if replaced else ""


def _read_table(path: Path, sheet: str | None) -> pd.DataFrame:
    import pandas as pd

    kind = _READERS.get(path.suffix.lower())
    if kind is None:
        raise ParameterError(
            f"INPUT {str(path)!r} has an unknown extension; give a .csv or .xlsx file."
        )
    if kind == "csv":
        # The survey reader's checks: a binary file, a malformed line or a separator
        # that cannot be told is an error naming the file (and line); the separator and
        # decimal comma of Dutch Excel files are detected.
        from peoscales._io import read_csv_frame

        return read_csv_frame(path)
    from peoscales._optional import require

    require("openpyxl", "Reading .xlsx files")
    return pd.read_excel(path, sheet_name=sheet if sheet is not None else 0)


def _write_table(frame: pd.DataFrame, path: Path) -> None:
    import pandas as pd

    suffix = path.suffix.lower()
    if suffix not in _WRITERS:
        raise ParameterError(
            f"--out {str(path)!r}: unknown extension; use one of {', '.join(_WRITERS)}."
        )
    if not path.parent.exists():
        raise FileNotFoundError(f"--out {str(path)!r}: folder {str(path.parent)!r} does not exist.")
    if suffix == ".csv":
        frame.to_csv(path)
        _warn_formula_like(frame, path)
    elif suffix == ".xlsx":
        from peoscales._optional import require
        from peoscales._spreadsheet import keep_text_as_text

        require("openpyxl", "Writing .xlsx files")

        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            frame.to_excel(writer, sheet_name="scores")
            keep_text_as_text(writer.sheets["scores"])  # ids "=..." stay text
    else:
        from peoscales._optional import require

        require("pyarrow", "Writing .parquet files")
        frame.to_parquet(path)


def _warn_formula_like(frame: pd.DataFrame, path: Path) -> None:
    """CSV keeps values exactly; warn when Excel would run some of them as formulas."""

    from peoscales._spreadsheet import formula_like
    from peoscales._validation import preview

    found = formula_like(frame)
    if found:
        where = "; ".join(f"{name}: {preview(values)}" for name, values in found.items())
        print(
            f"peoscales: warning: {path} holds text that Excel would read as a formula "
            f"({where}). The values are written as they are; open the file by importing it "
            "as text, or write .xlsx, where such text is stored as text.",
            file=sys.stderr,
        )


def _read_mapping(spec: str, *, order: bool = True) -> dict[str, Hashable] | Literal["order"]:
    """``order`` (when allowed) or a mapping file: TOML or JSON table, or CSV with two columns."""
    import pandas as pd

    if spec == "order" and order:
        return "order"
    path = Path(spec)
    if not path.is_file():
        alternative = " (or use --columns order)" if order else ""
        raise FileNotFoundError(f"--columns {spec!r}: no such file{alternative}.")
    suffix = path.suffix.lower()
    raw: Any
    try:
        if suffix == ".toml":
            from peoscales.instruments.loader import tomllib

            raw = tomllib.loads(path.read_text(encoding="utf-8"))
            raw = raw.get("columns", raw)
        elif suffix == ".json":
            raw = json.loads(path.read_text(encoding="utf-8"))
        elif suffix == ".csv":
            table = pd.read_csv(path, dtype=str, sep=None, engine="python", encoding="utf-8-sig")
            if table.shape[1] != 2:
                raise ParameterError(
                    f"--columns {spec!r}: a CSV mapping needs exactly two columns (item id, "
                    f"column name), found {table.shape[1]}."
                )
            raw = dict(zip(table.iloc[:, 0].str.strip(), table.iloc[:, 1].str.strip()))
        else:
            raise ParameterError(
                f"--columns {spec!r}: give a .toml, .json or .csv mapping file"
                + (", or 'order'." if order else ".")
            )
    except (ValueError, UnicodeDecodeError) as exc:
        if isinstance(exc, PeoscalesError):
            raise
        raise ParameterError(f"--columns {spec!r}: cannot read the mapping ({exc}).") from None
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise ParameterError(
            f"--columns {spec!r}: the mapping must pair item ids with column names "
            '(e.g. brs_1 = "Q1"), all as text.'
        )
    return dict(raw)


def _min_valid(text: str | None) -> int | float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ParameterError(
            f"--min-valid {text!r}: give a number of items (e.g. 4) or a share (e.g. 0.5)."
        ) from None
    return int(value) if value.is_integer() and value >= 1 else value


def _columns_table(rows: Sequence[tuple[str, ...]]) -> list[str]:
    """Left-aligned columns; the last cell (a title) is not padded."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1] for row in rows
    ]


def _cmd_instruments(args: argparse.Namespace) -> int:
    from peoscales.instruments.registry import get_instrument, list_instruments

    table = list_instruments()
    scorable = table[table["kind"] != "codebook"]
    rows = [("name", "items", "key", "scales", "title")]
    rows += [
        (str(name), str(r.n_items), str(r.key_status), str(r.scales), str(r.title))
        for name, r in scorable.iterrows()
    ]
    lines = ["Instruments (score with: peoscales score FILE -i NAME -o SCORES.csv)", ""]
    lines += _columns_table(rows)
    lines += [
        "",
        "key: verified = confirmed in the original publication; secondary = from secondary "
        "sources that agree; to verify = as usually reproduced, check before you publish.",
    ]
    books = table[table["kind"] == "codebook"]
    if args.all and len(books):
        rows = [("name", "wave", "items", "key", "title")]
        rows += [
            (str(name), str(get_instrument(str(name)).wave or ""), str(r.n_items),
             str(r.key_status), str(r.title))
            for name, r in books.iterrows()
        ]  # fmt: skip
        lines += [
            "",
            "Survey codebooks, items only (report a PEO wave with: peoscales report EXPORT "
            "--wave WAVE -o REPORT.html)",
            "",
            *_columns_table(rows),
        ]
    elif len(books):
        lines += [f"{len(books)} survey codebook(s) not shown: peoscales instruments --all"]
    print("\n".join(lines))
    return 0


def _looks_like_id(name: Hashable) -> bool:
    """Column names such as ``id``, ``RespondentID``, ``Respondent ID``, ``resp_nr``."""
    text = str(name)
    return bool(
        re.search(r"(^|[^A-Za-z])(id|ID|Id)([^A-Za-z]|$)|[a-z](ID|Id)$", text)
        or re.search(r"respond|nummer|(^|[^a-z])nr($|[^a-z])", text.casefold())
    )


def _flag(name: Hashable) -> str:
    """A column name as typed on the command line."""
    return shlex.quote(str(name))


def _instrument_items(
    names: list[str], scales: list[str] | None
) -> tuple[list[str], list[str]] | None:
    """Item ids the chosen scales need, and every item in questionnaire order.

    None when the library should explain the request (unknown scales, codebooks).
    """
    from peoscales.instruments.registry import get_instrument

    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ParameterError(
            f"--instrument {twice[0]} is given more than once; name each instrument once."
        )
    insts = [get_instrument(n) for n in names]
    available = {sid: s for inst in insts for sid, s in inst.scales.items()}
    if not available or (scales is not None and any(s not in available for s in scales)):
        return None
    chosen = [s for sid, s in available.items() if scales is None or sid in scales]
    needed = list(dict.fromkeys(i for s in chosen for i in s.items))
    order = [i for inst in insts for i in inst.administration_order]
    return needed, order


def _check_order(
    data: pd.DataFrame, source: str, order: list[str], names: list[str], has_id: bool
) -> None:
    """``--columns order`` needs exactly the item columns; say which extra columns there are."""

    from peoscales._validation import preview

    n, k = data.shape[1], len(order)
    if n == k:
        return
    what = f"{k} for {', '.join(names)}"
    columns = f"Its columns: {preview(list(data.columns), 8)}."
    if n < k:
        raise ParameterError(
            f"--columns order needs one column per item in questionnaire order ({what}), but "
            f"{source!r} has only {n}. {columns} Check that the file holds every item, or map "
            "the items it has with --columns FILE."
        )
    ids = [c for c in data.columns if _looks_like_id(c)]
    if ids and not has_id:
        advice = (
            f"{preview(ids, 3)} look{'s' if len(ids) == 1 else ''} like a respondent id: add "
            f"--id {_flag(ids[0])} to keep it as the row label"
            + (" and leave the other extra columns out of the file" if n - k > 1 else "")
        )
    elif not has_id:
        advice = "name the respondent id column with --id COLUMN and leave other columns out"
    else:
        advice = "leave the columns that are not items out of the file"
    raise ParameterError(
        f"--columns order needs one column per item in questionnaire order ({what}), but "
        f"{source!r} has {n} ({n - k} more). {columns} To fix: {advice}, or map item ids to "
        "column names with --columns FILE."
    )


def _check_item_columns(
    data: pd.DataFrame, source: str, needed: list[str], order: list[str], has_id: bool
) -> None:
    """Without --columns the items are found by id; summarise what is missing and the fix."""

    from peoscales._validation import preview, suggest

    missing = [i for i in needed if i not in data.columns]
    if not missing:
        return
    spare = [c for c in data.columns if c not in set(needed)]
    head = (
        f"{source!r} has no column for {len(missing)} of the {len(needed)} items "
        f"({preview(missing, 4)}); its columns: {preview(list(data.columns), 8)}."
    )
    close = {i: suggest(i, spare, n=1) for i in missing}
    hits = {i: c[0] for i, c in close.items() if c}
    ids = [c for c in spare if _looks_like_id(c)]
    named = [c for c in spare if not _looks_like_id(c)]
    example = f'{missing[0]} = "{named[0] if named else "Q1"}"'
    mapping = f"map item ids to column names with --columns FILE (e.g. {example})"
    if len(hits) == len(missing) and len(set(hits.values())) == len(hits):
        pairs = ", ".join(f"{c!r} for {i!r}" for i, c in list(hits.items())[:3])
        more = " ..." if len(hits) > 3 else ""
        advice = f"Did you mean {pairs}{more}? Rename those columns, or {mapping}."
    elif len(spare) == len(order) and len(spare) == data.shape[1]:
        advice = (
            f"The {len(spare)} columns look like the items in questionnaire order: use "
            f"--columns order, or {mapping}."
        )
    elif not has_id and len(ids) == 1 and data.shape[1] - 1 == len(order):
        advice = (
            f"The columns look like a respondent id ({ids[0]!r}) and the items in "
            f"questionnaire order: use --id {_flag(ids[0])} --columns order, or {mapping}."
        )
    else:
        advice = f"To fix: {mapping}."
    raise MissingColumnsError(f"{head} {advice}")


#: Column names taken as the respondent id when --id is not given, as the survey tools
#: and spreadsheets name it (compared without case, spaces, underscores and dashes).
_ID_NAMES = (
    "respondentid",  # SurveyMonkey "Respondent ID"
    "responseid",  # Qualtrics "ResponseId"
    "id",
    "respondent",
    "respondentnr",
    "respondentnummer",
    "nr",
)


def _auto_id(data: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The respondent id when --id is not given: a column named like one of ``_ID_NAMES``
    whose values are unique, else the line of each respondent in the file (the header is
    line 1), so that rows are never labelled 0, 1, 2 and merged back by position."""
    key = {re.sub(r"[\s_\-]", "", str(c).casefold()): c for c in data.columns}
    for name in _ID_NAMES:
        column = key.get(name)
        if column is None:
            continue
        if data[column].notna().all() and data[column].is_unique:
            return data.set_index(column), f"ids from column {str(column)!r}"
        return _line_numbers(data), (
            f"column {str(column)!r} has repeated or empty values, so respondents are "
            "labelled by their line in the file (the header is line 1)"
        )
    return _line_numbers(data), (
        "no id column found (give one with --id COLUMN), so respondents are labelled by "
        "their line in the file (the header is line 1)"
    )


def _line_numbers(data: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    return data.set_axis(pd.RangeIndex(2, len(data) + 2, name="line"), axis=0)


def _set_id(data: pd.DataFrame, column: str, source: str) -> pd.DataFrame:

    from peoscales._validation import preview, suggest

    if column not in data.columns:
        close = suggest(column, data.columns)
        hint = f" Did you mean {preview(close)}?" if close else ""
        raise MissingColumnsError(
            f"--id {column!r} is not a column of {source!r}.{hint} "
            f"Its columns: {preview(list(data.columns), 8)}."
        )
    return data.set_index(column)


def _cmd_score(args: argparse.Namespace) -> int:
    from peoscales._scoring import recode, score
    from peoscales.instruments.registry import get_instrument

    source = _input_path(args.input)
    out = Path(args.out)
    inputs = [("INPUT", source)]
    if args.columns and args.columns != "order":
        inputs.append(("--columns", Path(args.columns)))
    replaced = _check_outputs([("--out", out)], inputs, args.force)
    data = _read_table(source, args.sheet)
    columns = _read_mapping(args.columns) if args.columns else None
    instruments = list(args.instrument)
    if args.id is not None:
        data = _set_id(data, args.id, args.input)
        id_note = f"ids from column {args.id!r}"
    else:
        data, id_note = _auto_id(data)
    has_id = data.index.name != "line"
    items = _instrument_items(instruments, args.scales)
    if items is not None and columns == "order":
        _check_order(data, args.input, items[1], instruments, has_id)
    elif items is not None and columns is None:
        _check_item_columns(data, args.input, *items, has_id)
    if args.recode:
        mapping = columns if isinstance(columns, dict) else None
        if columns == "order":
            order = [i for name in instruments for i in get_instrument(name).administration_order]
            if len(order) == data.shape[1]:  # otherwise score() explains the mismatch
                mapping = dict(zip(order, data.columns))
        data = recode(data, instruments, columns=mapping)
    with warnings.catch_warnings():
        # Respondents below the minimum are reported in the summary line instead.
        warnings.simplefilter("ignore", IncompleteScoresWarning)
        result = score(
            data,
            instruments,
            scales=args.scales,
            columns=columns,
            min_valid=_min_valid(args.min_valid),
            method=args.method,
            details=True,
        )
    _write_table(result.scores, out)
    below = int(result.n_below_minimum.max())
    note = f"; up to {below} respondent(s) per scale answered too few items" if below else ""
    print(
        f"Scored {len(result.scores)} respondents on {result.scores.shape[1]} scale(s) "
        f"({', '.join(result.scores.columns)}){note}; {id_note}; wrote {out}"
        f"{_replaced_note(replaced)}."
    )
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from peoscales.demo import demo_report

    print(demo_report(), end="")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from peoscales.peo.report import report

    if args.demo == (args.input is not None):
        raise _UsageError("give INPUT or --demo (one of them)")
    if args.instrument:
        return _study_report(args)
    if args.by is not None:
        raise _UsageError("--by compares groups in a study report; add --instrument NAME")
    source: Any = None
    inputs: list[tuple[str, Path]] = []
    if args.input is not None:
        inputs.append(("INPUT", _input_path(args.input)))
    if args.columns:
        inputs.append(("--columns", Path(args.columns)))
    if args.codebook:
        inputs.append(("--codebook", Path(args.codebook)))
    compare_with = _compare_with(args.compare_with)
    inputs += [("--compare-with", path) for path in (compare_with or {}).values()]
    outputs = [("--out", Path(args.out))]
    if args.xlsx:
        outputs.append(("--xlsx", Path(args.xlsx)))
    replaced = _check_outputs(outputs, inputs, args.force)
    if args.input is not None:
        source = _input_path(args.input)
        if args.columns:
            from peoscales.peo import code_wave

            mapping = _read_mapping(args.columns, order=False)
            wave: Any = args.wave
            if args.codebook:
                from peoscales.peo.report import _codebook_and_layout

                wave = _codebook_and_layout(args.codebook, args.wave)[0]
            source = code_wave(source, wave=wave, columns=cast(dict[str, Hashable], mapping))
    elif args.columns:
        raise _UsageError("--columns maps the questions of INPUT; it does not go with --demo")
    result = report(
        source,
        args.wave,
        codebook=args.codebook,
        lang=args.lang,
        out=args.out,
        xlsx=args.xlsx,
        min_group_size=args.min_group_size,
        demo=args.demo,
        compare_with=compare_with,
    )
    extra = f" and {len(result.tables)} tables to {args.xlsx}" if args.xlsx else ""
    print(
        f"Report of {result.n} respondents (wave {result.wave}) written to {args.out}{extra}"
        f"{_replaced_note(replaced)}."
    )
    return 0


def _compare_with(entries: list[str] | None) -> dict[str, Path] | None:
    """``--compare-with WAVE=FILE`` (repeated): the earlier waves' exports by wave."""
    if not entries:
        return None
    out: dict[str, Path] = {}
    for entry in entries:
        wave, sep, spec = (part.strip() for part in entry.partition("="))
        if not sep or not wave or not spec:
            raise _UsageError(
                f"--compare-with takes WAVE=FILE, e.g. 2021-09=export_2021.csv; got {entry!r}"
            )
        path = Path(spec)
        if not path.is_file():
            raise FileNotFoundError(f"--compare-with {wave}: {spec!r} is not a file.")
        out[wave] = path
    return out


def _study_report(args: argparse.Namespace) -> int:
    """``peoscales report DATA --instrument NAME ...``: the study report of instruments."""
    from peoscales._study import study_report

    if args.wave is not None:
        raise _UsageError("--wave is for PEO wave reports; it does not go with --instrument")
    inputs: list[tuple[str, Path]] = []
    if args.input is not None:
        inputs.append(("INPUT", _input_path(args.input)))
    mapping = None
    if args.columns and args.demo:
        raise _UsageError("--columns maps the columns of DATA; it does not go with --demo")
    if args.columns:
        inputs.append(("--columns", Path(args.columns)))
        mapping = cast(dict[str, Hashable], _read_mapping(args.columns, order=False))
    codebook: Any = args.codebook
    if codebook is not None and Path(codebook).suffix.lower() == ".toml":
        from peoscales.instruments import load_instrument

        inputs.append(("--codebook", Path(codebook)))
        codebook = load_instrument(_input_path(codebook))
    outputs = [("--out", Path(args.out))]
    if args.xlsx:
        outputs.append(("--xlsx", Path(args.xlsx)))
    replaced = _check_outputs(outputs, inputs, args.force)
    if args.demo:
        from peoscales.demo import load_mental_fitness

        # the demo data with the survey's other questions, tabulated by their codebook
        data = load_mental_fitness(questions=True)
        codebook = codebook or "mental_fitness_2021"
        where = "the embedded mental-fitness demo data"
    else:
        data, _ = _auto_id(_read_table(_input_path(args.input), args.sheet))
        where = args.input
    result = study_report(
        data,
        list(args.instrument),
        by=args.by,
        lang=args.lang,
        min_group_size=args.min_group_size,
        out=args.out,
        codebook=codebook,
        columns=mapping,
    )
    extra = ""
    if args.xlsx:
        result.to_excel(args.xlsx)
        extra = f" and {len(result.to_frame())} tables to {args.xlsx}"
    print(
        f"Study report of {result.n} respondents ({', '.join(result.instruments)}) from "
        f"{where} written to {args.out}{extra}{_replaced_note(replaced)}."
    )
    return 0


_EXAMPLES = {
    "instruments": """\
examples:
  peoscales instruments           the instruments that can be scored
  peoscales instruments --all     also the survey codebooks""",
    "score": """\
examples:
  peoscales score answers.csv -i brs --id RespondentID -o scores.csv
  peoscales score survey.xlsx -i brs -i swing12 --columns order --id id -o scores.xlsx
  peoscales score export.csv -i wbns --columns mapping.toml --recode -o scores.parquet

A mapping file pairs item ids with column names: TOML or JSON (brs_1 = "Q7_1")
or a CSV file with two columns (item id, column name).""",
    "demo": """\
example:
  peoscales demo""",
    "report": """\
examples:
  peoscales report export.csv --wave 2021-09 -o report.html
  peoscales report export.csv --lang en -o report.html --xlsx tables.xlsx
  peoscales report --demo -o demo.html
  peoscales report --demo -o demo.docx        the same report as a Word file
  peoscales report --demo --wave 2020-05 -o demo_2020.html
  peoscales report export.csv --codebook my_survey.toml -o report.html
  peoscales report export_2022.csv --wave 2022-04 --compare-with 2021-09=export_2021.csv -o report.html
  peoscales report data.csv -i brs -i swing12 -i wbns --by care_type -o study.html
  peoscales report --demo -i brs -i swing12 -i wbns --by care_type -o study.html

A --columns file pairs PEO item ids with column headers of the export
(work_pleasure = "Plezier in je werk (1-10)") for questions that are not found
by their text. With --instrument the report is a study report of validated
instruments (DATA: one row per respondent, item columns named by item id); its
--codebook (a name such as mental_fitness_2021, or a .toml file) tabulates the
survey's other questions.""",
    "validate": """\
examples:
  peoscales validate my_scale.toml data.csv -o report.html
  peoscales validate my_scale.toml data.xlsx --by care_type -o report.html""",
}


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and examples as written; option help in a column wide enough for
    the command names."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30)
        # argparse measures the options but not the command names listed under COMMAND,
        # so 'instruments' would push its help onto the next line.
        self._action_max_length = len("    instruments")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="peoscales",
        formatter_class=_Formatter,
        description=f"Score validated instruments and survey data (peoscales {__version__}).",
        epilog="Run 'peoscales COMMAND --help' for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"peoscales {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, summary: str, description: str = "") -> argparse.ArgumentParser:
        text = f"{summary[0].upper()}{summary[1:]}. {description}".strip()
        return sub.add_parser(
            name,
            help=summary,
            description=textwrap.fill(text, 79),
            epilog=_EXAMPLES[name],
            formatter_class=_Formatter,
        )

    p = command(
        "instruments",
        "list the instruments that can be scored",
        "With --all, also the survey codebooks (items only, for coding exports and "
        "'peoscales report').",
    )
    p.add_argument("--all", action="store_true", help="also list the survey codebooks")
    p.set_defaults(run=_cmd_instruments)

    p = command(
        "score",
        "score one or more instruments in a CSV or Excel file",
        "Item columns are found by item id (brs_1, ...) unless --columns maps them.",
    )
    p.add_argument("input", metavar="INPUT", help="a .csv or .xlsx file, one row per respondent")
    p.add_argument(
        "--instrument",
        "-i",
        action="append",
        required=True,
        metavar="NAME",
        help="instrument to score (repeat for several), e.g. brs, swing12, wbns",
    )
    p.add_argument("--scales", nargs="+", metavar="SCALE", help="score only these scales")
    p.add_argument(
        "--columns",
        metavar="MAPPING",
        help="a .toml, .json or .csv file mapping item ids to column names, or 'order' "
        "for columns in questionnaire order",
    )
    p.add_argument(
        "--min-valid",
        metavar="N",
        help="least number (e.g. 4) or share (e.g. 0.5) of answered items a score needs",
    )
    p.add_argument("--method", choices=("mean", "sum"), help="override the scoring method")
    p.add_argument(
        "--recode", action="store_true", help="turn response texts into codes before scoring"
    )
    p.add_argument("--id", metavar="COLUMN", help="respondent id column to keep as row label")
    p.add_argument("--sheet", metavar="NAME", help="Excel sheet to read (default: the first)")
    p.add_argument(
        "--out", "-o", required=True, metavar="FILE", help="output .csv, .xlsx or .parquet"
    )
    p.add_argument("--force", action="store_true", help=_FORCE_HELP)
    p.set_defaults(run=_cmd_score)

    p = command("demo", "score the embedded demo data set and print a summary")
    p.set_defaults(run=_cmd_demo)

    p = command(
        "report",
        "write the report of a PEO survey export (HTML, or Word for .docx)",
        "Questions are found by their text in the wave's codebook.",
    )
    p.add_argument("input", metavar="INPUT", nargs="?", help="a survey export (.csv, .xlsx, .sav)")
    p.add_argument(
        "--demo",
        action="store_true",
        help="use the embedded synthetic export of --wave (2020-05, 2021-09 or 2022-04; "
        "default 2021-09; with --instrument: the mental-fitness demo data)",
    )
    p.add_argument(
        "--wave",
        help="the wave, e.g. 2021-09 (naming it allows an export with only some of its "
        "questions; default: coded data's own wave, else 2021-09)",
    )
    p.add_argument(
        "--codebook",
        metavar="FILE",
        help='a codebook (or report file, kind = "report") whose [report] layout to render',
    )
    p.add_argument(
        "--instrument",
        "-i",
        action="append",
        metavar="NAME",
        help="write a study report of this instrument (repeat for several), e.g. brs",
    )
    p.add_argument("--by", metavar="COLUMN", help="with --instrument: compare the groups of COLUMN")
    p.add_argument("--sheet", metavar="NAME", help="Excel sheet to read (with --instrument)")
    p.add_argument(
        "--columns",
        metavar="FILE",
        help="a .toml, .json or .csv file mapping item ids to column headers of INPUT",
    )
    p.add_argument(
        "--out", "-o", required=True, metavar="FILE", help="the .html or .docx file to write"
    )
    p.add_argument("--lang", choices=("nl", "en"), default="nl", help="language (default nl)")
    p.add_argument("--xlsx", metavar="FILE", help="also write the tables to this .xlsx file")
    p.add_argument(
        "--min-group-size", type=int, default=5, metavar="N", help="suppress cells below N"
    )
    p.add_argument(
        "--compare-with",
        action="append",
        metavar="WAVE=FILE",
        help="the export of an earlier wave for the layout's trend tables (repeat for "
        "several), e.g. 2021-09=export_2021.csv",
    )
    p.add_argument("--force", action="store_true", help=_FORCE_HELP)
    p.set_defaults(run=_cmd_report)

    p = command(
        "validate",
        "check a scale definition against data and write an HTML report",
        "Checks the file and the data, then item distributions, reliability, EFA with "
        "parallel analysis, CFA of the declared scales and invariance across --by.",
    )
    p.add_argument("definition", metavar="DEFINITION", help="a .toml definition or a name")
    p.add_argument("input", metavar="DATA", help="a .csv or .xlsx file, one row per respondent")
    p.add_argument("--by", metavar="COLUMN", help="test measurement invariance across COLUMN")
    p.add_argument("--sheet", metavar="NAME", help="Excel sheet to read (default: the first)")
    p.add_argument(
        "--out", "-o", required=True, metavar="FILE", help="the .html or .docx file to write"
    )
    p.add_argument("--force", action="store_true", help=_FORCE_HELP)
    p.set_defaults(run=_cmd_validate)
    return parser


def _cmd_validate(args: argparse.Namespace) -> int:
    from peoscales.factor import validate_scale

    source = _input_path(args.input)
    inputs = [("DATA", source)]
    if Path(args.definition).suffix == ".toml":
        inputs.append(("DEFINITION", Path(args.definition)))
    replaced = _check_outputs([("--out", Path(args.out))], inputs, args.force)
    data = _read_table(source, args.sheet)
    result = validate_scale(args.definition, data, by=args.by)
    result.write(args.out)
    status = "all checks passed" if result.passed else "some checks failed"
    print(
        f"Validation of {result.instrument.name!r}: {status}, {len(result.flags)} flag(s); "
        f"report written to {args.out}{_replaced_note(replaced)}."
    )
    return 0


_FORCE_HELP = "replace output files that already exist (an input is never replaced)"


def _scales_flag(match: re.Match[str]) -> str:
    names = re.findall(r"'([^']*)'", match.group(1))
    return "--scales " + " ".join(_flag(n) for n in names)


#: Python-API advice in the library's messages, and its command-line form. Applied in
#: order to the one-line error the command prints; the library's messages stay as they are.
_ADVICE: dict[str, list[tuple[str, str | Callable[[re.Match[str]], str]]]] = {
    "score": [
        (
            r"^data \(columns mapping\) has no column",
            "{input} (as mapped by --columns) has no column",
        ),
        (r"Correct the columns mapping", "Correct the --columns file"),
        (r"^data has", "{input} has"),
        (r"columns='order'", "--columns order"),
        (r"columns=\{\.\.\.\}", "--columns FILE"),
        (r"^columns maps", "--columns maps"),
        (
            r"select the item columns first, e\.g\. data\[item_columns\]",
            "name the respondent id column with --id COLUMN and leave other columns out",
        ),
        (r"\bmin_valid=([^\s,;:]+)", r"--min-valid \1"),
        (r"\bmin_valid must", "--min-valid must"),
        (r"\bscales=\[([^\]]*)\]", _scales_flag),
        (
            r"\(peoscales\.recode for instrument items\)",
            "(--recode turns response texts into codes)",
        ),
        (r"\(e\.g\. '(\w+)' for", r"(e.g. -i \1 for"),
        (
            r"\(a codebook has items only\)\.",
            "(a codebook has items only; for a PEO export use 'peoscales report').",
        ),
    ],
    "report": [
        (r"\bwave='([^']*)'", r"--wave \1"),
        (
            r"map the columns yourself with columns=\{\.\.\.\}",
            "map its questions to the codebook's items with --columns FILE",
        ),
        (
            r"code_wave\(\.\.\., columns=\{'([^']+)': <column>(, \.\.\.)?\}\)",
            r'--columns FILE (\1 = "column header"\2)',
        ),
        (r"see peoscales\.peo\.list_waves\(\)", "see 'peoscales instruments --all'"),
        (
            r"pass check_routing=False to keep these answers",
            "code the export in Python with peoscales.peo.code_wave(..., check_routing=False) "
            "to keep these answers",
        ),
        (r"\bmin_group_size\b", "--min-group-size"),
        (r"\bxlsx='([^']*)'", r"--xlsx \1"),
        (r"\bout='([^']*)'", r"--out \1"),
        (r"\bcompare_with\b", "--compare-with"),
    ],
}
_ADVICE_ANY = [
    (r"add your own with peoscales\.register_instrument\(path\)", "see 'peoscales instruments'"),
]


def _cli_text(text: str, args: argparse.Namespace | None) -> str:
    """The library's message with Python-API advice put in command-line terms."""
    command = getattr(args, "command", None)
    for pattern, repl in [*_ADVICE.get(command or "", []), *_ADVICE_ANY]:
        if isinstance(repl, str) and "{input}" in repl:
            # Literal text: a Windows path's backslashes are not group references.
            literal = repl.replace("{input}", repr(getattr(args, "input", "INPUT")))
            repl = lambda _match, literal=literal: literal  # noqa: E731
        text = re.sub(pattern, repl, text)
    return text


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``peoscales`` command and return its exit status.

    Parameters
    ----------
    argv : list of str, optional
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 1 on an error in the data or files, 2 on bad arguments.

    Examples
    --------
    >>> from peoscales._cli import main
    >>> main(["instruments"])  # doctest: +ELLIPSIS
    Instruments (score with: peoscales score FILE -i NAME -o SCORES.csv)
    <BLANKLINE>
    name ... title
    brs ... Brief Resilience Scale
    ...
    0
    >>> main(["score", "no-such-file.csv", "--instrument", "brs", "--out", "x.csv"])
    1
    """
    parser = _parser()
    args: argparse.Namespace | None = None
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
        if args.command is None:
            raise _UsageError(
                "choose a command: instruments, score, demo or report (see 'peoscales --help')"
            )
        return int(args.run(args))
    except SystemExit as exc:  # --help and --version print and exit
        return exc.code if isinstance(exc.code, int) else 0
    except _UsageError as exc:
        print(f"peoscales: error: {exc}", file=sys.stderr)
        return 2
    except PeoscalesError as exc:
        print(f"peoscales: error: {_cli_text(_one_line(exc), args)}", file=sys.stderr)
        return 1
    except (FileNotFoundError, PermissionError, IsADirectoryError) as exc:
        print(f"peoscales: error: {_cli_text(_one_line(exc), args)}", file=sys.stderr)
        return 1
    except (OSError, ValueError, ImportError) as exc:
        # Unreadable files, spreadsheet engines, missing optional packages (pyarrow).
        print(f"peoscales: error: {type(exc).__name__}: {_one_line(exc)}", file=sys.stderr)
        return 1


def _one_line(exc: BaseException) -> str:
    text = (
        str(exc)
        if not isinstance(exc, FileNotFoundError) or exc.filename is None
        else (f"{exc.filename}: no such file")
    )
    return " ".join(text.split())


if __name__ == "__main__":  # pragma: no cover - a command
    sys.exit(main())
