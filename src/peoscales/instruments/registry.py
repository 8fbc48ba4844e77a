"""The registry of instruments: built-in definitions plus the caller's own."""

from __future__ import annotations

import threading
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from peoscales._validation import preview, suggest
from peoscales.errors import DefinitionError, InstrumentNotFoundError, ParameterError
from peoscales.instruments.loader import build_instrument, parse_raw
from peoscales.instruments.model import Instrument

__all__ = ["get_instrument", "list_instruments", "load_instrument", "register_instrument"]

_lock = threading.Lock()
_instruments: dict[str, Instrument] = {}
_raw: dict[str, dict[str, Any]] = {}
_builtin_names: set[str] = set()
_loaded = False


def _builtin_files() -> list[tuple[str, str]]:
    """(source name, TOML text) of every shipped definition."""
    out = []
    for package in ("peoscales.instruments.data", "peoscales.peo.codebooks"):
        try:
            folder = resources.files(package)
        except ModuleNotFoundError:
            continue
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".toml"):
                out.append((f"{package}/{entry.name}", entry.read_text(encoding="utf-8")))
    return out


def _ensure_loaded() -> None:
    global _loaded
    if _loaded:
        return
    with _lock:
        if _loaded:
            return
        pending = [(src, parse_raw(text, src)) for src, text in _builtin_files()]
        # Variants refer to their base by name, so load bases first.
        for _ in range(len(pending) + 1):
            waiting = []
            for src, raw in pending:
                base = (raw.get("variant") or {}).get("base")
                if base is not None and base not in _raw:
                    waiting.append((src, raw))
                    continue
                inst = build_instrument(raw, src, _raw.__getitem__)
                _instruments[inst.name] = inst
                _raw[inst.name] = raw if base is None else _resolved_raw(raw)
                _builtin_names.add(inst.name)
            pending = waiting
            if not pending:
                break
        if pending:  # pragma: no cover - a packaging error
            raise DefinitionError(f"built-in variants with unknown base: {[s for s, _ in pending]}")
        _loaded = True


def _resolved_raw(raw: dict[str, Any]) -> dict[str, Any]:
    """A variant's raw table merged with its base, so it can be a base itself."""
    from peoscales.instruments.loader import _Ctx, _merge_variant

    return _merge_variant(raw, _Ctx("<variant>"), _raw.__getitem__)


def list_instruments() -> pd.DataFrame:
    """List the registered instruments and codebooks.

    Returns
    -------
    pandas.DataFrame
        One row per instrument (indexed by name) with its title, kind, number of
        items and scales, the scale ids, and the verification status of its key.

    Examples
    --------
    >>> import peoscales
    >>> table = peoscales.list_instruments()
    >>> table.loc["wbns", "scales"]
    'wbns_autonomy, wbns_competence, wbns_relatedness'
    >>> table.loc["brs", "key_status"]
    'verified'
    """
    _ensure_loaded()
    rows = [
        {
            "name": inst.name,
            "title": inst.title,
            "kind": inst.kind,
            "n_items": len(inst.items),
            "n_scales": len(inst.scales),
            "scales": ", ".join(inst.scales),
            "key_status": inst.key_status,
            "builtin": inst.name in _builtin_names,
        }
        for inst in _instruments.values()
    ]
    return pd.DataFrame(rows).set_index("name").sort_index()


def get_instrument(name: str | Instrument) -> Instrument:
    """Return the registered instrument called ``name``.

    Parameters
    ----------
    name : str or Instrument
        A registered name such as ``"brs"``, ``"swing12"`` or ``"wbns"``. An
        :class:`Instrument` is returned unchanged.

    Raises
    ------
    InstrumentNotFoundError
        When no instrument has that name; the message lists close names.

    Examples
    --------
    >>> import peoscales
    >>> brs = peoscales.get_instrument("brs")
    >>> sorted(brs.scales["brs"].reverse)
    ['brs_2', 'brs_4', 'brs_6']
    """
    if isinstance(name, Instrument):
        return name
    if not isinstance(name, str):
        raise ParameterError(
            f"instrument must be a name or an Instrument, got {type(name).__name__}."
        )
    _ensure_loaded()
    try:
        return _instruments[name]
    except KeyError:
        close = suggest(name, _instruments)
        hint = f" Did you mean {preview(close)}?" if close else ""
        scorable = sorted(n for n, i in _instruments.items() if i.kind != "codebook")
        books = sorted(n for n, i in _instruments.items() if i.kind == "codebook")
        listed = f"Registered instruments: {preview(scorable, 20)}"
        if books:
            listed += f"; codebooks (survey questions, items only): {preview(books, 20)}"
        raise InstrumentNotFoundError(
            f"No instrument named {name!r}.{hint} {listed}; "
            "add your own with peoscales.register_instrument(path)."
        ) from None


def read_definition_text(path: Path) -> str:
    """The text of a definition file; anything that is not a readable UTF-8 file
    raises :class:`DefinitionError` naming the path."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DefinitionError(
            f"{path}: no such file. Give the path of a .toml definition."
        ) from None
    except IsADirectoryError:
        raise DefinitionError(
            f"{path}: is a folder, not a file. Give the path of a .toml definition inside it."
        ) from None
    except PermissionError:
        raise DefinitionError(
            f"{path}: permission denied. Make the file readable or copy it somewhere readable."
        ) from None
    except UnicodeDecodeError as exc:
        raise DefinitionError(f"{path}: not UTF-8 text ({exc}). Save the file as UTF-8.") from None
    except OSError as exc:
        raise DefinitionError(f"{path}: cannot be read ({exc.strerror or exc}).") from None


def load_instrument(path: str | Path) -> Instrument:
    """Read an instrument definition from a TOML file without registering it.

    The definition may be a variant of a registered instrument
    (``[variant] base = "swing"``).

    Raises
    ------
    DefinitionError
        With the file, the field and the fix when the definition is invalid.

    Examples
    --------
    A variant of the SWING that keeps one scale, written to a file:

    >>> import pathlib, tempfile, peoscales
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "swing_nwhi.toml"
    >>> _ = path.write_text('''
    ... name = "swing_nwhi_only"
    ... title = "SWING negative work-home interference"
    ... [variant]
    ... base = "swing"
    ... scales = ["swing_nwhi"]
    ... ''')
    >>> inst = peoscales.load_instrument(path)
    >>> list(inst.scales), len(inst.items)
    (['swing_nwhi'], 8)
    """
    _ensure_loaded()
    path = Path(path)
    raw = parse_raw(read_definition_text(path), str(path))
    return build_instrument(raw, str(path), _raw.__getitem__)


def register_instrument(
    definition: Instrument | str | Path, *, replace: bool = False
) -> Instrument:
    """Register a methodologist's own instrument so it can be used by name.

    Parameters
    ----------
    definition : Instrument, str or Path
        An :class:`Instrument` or the path of a TOML definition.
    replace : bool, default False
        Allow replacing an instrument of the same name (never a built-in one).

    Returns
    -------
    Instrument
        The registered instrument.

    Examples
    --------
    >>> import pathlib, tempfile, peoscales
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "team_climate.toml"
    >>> _ = path.write_text('''
    ... name = "team_climate"
    ... title = "Team climate (three items)"
    ... [response_scales.agree5]
    ... kind = "likert"
    ... min = 1
    ... max = 5
    ... [scales.climate]
    ... response_scale = "agree5"
    ... reverse = ["climate_3"]
    ... items = [{ id = "climate_1" }, { id = "climate_2" }, { id = "climate_3" }]
    ... ''')
    >>> inst = peoscales.register_instrument(path, replace=True)
    >>> answers = peoscales.simulate("team_climate", 3, seed=1)
    >>> list(peoscales.score(answers, "team_climate").columns)
    ['climate']
    """
    _ensure_loaded()
    raw: dict[str, Any] | None = None
    if isinstance(definition, Instrument):
        inst = definition
    elif isinstance(definition, (str, Path)):
        path = Path(definition)
        inst = load_instrument(path)
        raw = parse_raw(read_definition_text(path), str(path))
        if raw.get("variant"):
            raw = _resolved_raw(raw)
    else:
        raise ParameterError(
            f"definition must be an Instrument or a path to a TOML file, got {type(definition).__name__}."
        )
    with _lock:
        if inst.name in _builtin_names:
            raise ParameterError(
                f"{inst.name!r} is a built-in instrument and cannot be replaced; give yours another name."
            )
        if inst.name in _instruments and not replace:
            raise ParameterError(
                f"An instrument named {inst.name!r} is already registered; pass replace=True to replace it."
            )
        _instruments[inst.name] = inst
        if raw is not None:
            _raw[inst.name] = raw
    return inst


def _unregister(name: str) -> None:
    """Remove a caller-registered instrument (used by tests)."""
    with _lock:
        if name not in _builtin_names:
            _instruments.pop(name, None)
            _raw.pop(name, None)
