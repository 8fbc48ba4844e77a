"""The ``peoscales`` command.

Subcommands:

``peoscales instruments``
    List the registered instruments.
``peoscales score INPUT --instrument NAME [...] --out FILE``
    Score a CSV or Excel file; write the scores as CSV, Excel or Parquet.
``peoscales demo``
    Score the embedded demo data set and print a summary.

Errors print one line to stderr (``peoscales: error: ...``) and the command
exits with status 1 (2 for bad arguments); no traceback is shown.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any, Literal, NoReturn

import pandas as pd

from peoscales._version import __version__
from peoscales.errors import IncompleteScoresWarning, ParameterError, PeoscalesError

__all__ = ["main"]

_READERS = {".csv": "csv", ".txt": "csv", ".xlsx": "excel", ".xls": "excel"}
_WRITERS = (".csv", ".xlsx", ".parquet")


class _UsageError(Exception):
    """Bad command-line arguments (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """An argument parser that raises instead of printing usage and exiting."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message} (see '{self.prog} --help')")


def _read_table(path: Path, sheet: str | None) -> pd.DataFrame:
    kind = _READERS.get(path.suffix.lower())
    if kind is None:
        raise ParameterError(
            f"INPUT {str(path)!r} has an unknown extension; give a .csv or .xlsx file."
        )
    if not path.is_file():
        raise FileNotFoundError(f"INPUT {str(path)!r} does not exist.")
    if kind == "csv":
        # Separator sniffed, so Dutch Excel exports with ';' work too.
        return pd.read_csv(path, sep=None, engine="python", encoding="utf-8-sig")
    return pd.read_excel(path, sheet_name=sheet if sheet is not None else 0)


def _write_table(frame: pd.DataFrame, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix not in _WRITERS:
        raise ParameterError(
            f"--out {str(path)!r}: unknown extension; use one of {', '.join(_WRITERS)}."
        )
    if not path.parent.exists():
        raise FileNotFoundError(f"--out {str(path)!r}: folder {str(path.parent)!r} does not exist.")
    if suffix == ".csv":
        frame.to_csv(path)
    elif suffix == ".xlsx":
        frame.to_excel(path)
    else:
        frame.to_parquet(path)


def _read_mapping(spec: str) -> dict[str, Hashable] | Literal["order"]:
    """``order`` or a mapping file: TOML or JSON table, or CSV with two columns."""
    if spec == "order":
        return "order"
    path = Path(spec)
    if not path.is_file():
        raise FileNotFoundError(f"--columns {spec!r}: no such file (or use --columns order).")
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
                f"--columns {spec!r}: give a .toml, .json or .csv mapping file, or 'order'."
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


def _cmd_instruments(args: argparse.Namespace) -> int:
    from peoscales.instruments.registry import list_instruments

    table = list_instruments()
    if not args.all:
        table = table[table["kind"] == "instrument"]
    rows = [("name", "items", "key", "scales", "title")]
    rows += [
        (str(name), str(r.n_items), str(r.key_status), str(r.scales), str(r.title))
        for name, r in table.iterrows()
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[4])
    return 0


def _cmd_score(args: argparse.Namespace) -> int:
    from peoscales.instruments.registry import get_instrument
    from peoscales.scoring import recode, score

    data = _read_table(Path(args.input), args.sheet)
    columns = _read_mapping(args.columns) if args.columns else None
    instruments = list(args.instrument)
    if args.id is not None:
        if args.id not in data.columns:
            raise ParameterError(f"--id {args.id!r} is not a column of {args.input!r}.")
        data = data.set_index(args.id)
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
    out = Path(args.out)
    _write_table(result.scores, out)
    below = int(result.n_below_minimum.max())
    note = f"; up to {below} respondent(s) per scale answered too few items" if below else ""
    print(
        f"Scored {len(result.scores)} respondents on {result.scores.shape[1]} scale(s) "
        f"({', '.join(result.scores.columns)}){note}; wrote {out}."
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
    result = report(
        args.input,
        args.wave,
        lang=args.lang,
        out=args.out,
        xlsx=args.xlsx,
        min_group_size=args.min_group_size,
        demo=args.demo,
    )
    extra = f" and {len(result.tables)} tables to {args.xlsx}" if args.xlsx else ""
    print(f"Report of {result.n} respondents (wave {result.wave}) written to {args.out}{extra}.")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="peoscales",
        description=f"Score validated instruments and survey data (peoscales {__version__}).",
    )
    parser.add_argument("--version", action="version", version=f"peoscales {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("instruments", help="list the registered instruments")
    p.add_argument("--all", action="store_true", help="include survey codebooks")
    p.set_defaults(run=_cmd_instruments)

    p = sub.add_parser(
        "score",
        help="score a CSV or Excel file",
        description="Score the scales of one or more instruments. Item columns are found "
        "by item id (brs_1, ...) unless --columns maps them.",
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
    p.set_defaults(run=_cmd_score)

    p = sub.add_parser("demo", help="score the embedded demo data set and print a summary")
    p.set_defaults(run=_cmd_demo)

    p = sub.add_parser("report", help="write the HTML report of a PEO survey export")
    p.add_argument("input", metavar="INPUT", nargs="?", help="a survey export (.csv, .xlsx, .sav)")
    p.add_argument("--demo", action="store_true", help="use the embedded synthetic 2021 export")
    p.add_argument("--wave", default="2021-09", help="the wave's codebook (default 2021-09)")
    p.add_argument("--out", "-o", required=True, metavar="FILE", help="the .html file to write")
    p.add_argument("--lang", choices=("nl", "en"), default="nl", help="language (default nl)")
    p.add_argument("--xlsx", metavar="FILE", help="also write the tables to this .xlsx file")
    p.add_argument(
        "--min-group-size", type=int, default=5, metavar="N", help="suppress cells below N"
    )
    p.set_defaults(run=_cmd_report)
    return parser


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
    >>> from peoscales.cli import main
    >>> main(["instruments"])  # doctest: +ELLIPSIS
    name ... title
    brs ... Brief Resilience Scale
    ...
    0
    >>> main(["score", "no-such-file.csv", "--instrument", "brs", "--out", "x.csv"])
    1
    """
    parser = _parser()
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
    except (PeoscalesError, FileNotFoundError, PermissionError, IsADirectoryError) as exc:
        print(f"peoscales: error: {_one_line(exc)}", file=sys.stderr)
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
