"""Read and validate instrument and codebook definitions written in TOML.

A definition is data. It is parsed with :mod:`tomllib` and checked field by
field; every problem raises :class:`~peoscales.errors.DefinitionError` naming
the file, the field and the fix. The file format is described in the user
guide (``docs/instruments.rst``).
"""

from __future__ import annotations

import copy
import itertools
import math
import re
import sys
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, cast

from peoscales.errors import DefinitionError
from peoscales.instruments.model import (
    AnswerGroup,
    AskedIf,
    Band,
    Grouping,
    Instrument,
    Item,
    ResponseOption,
    ResponseScale,
    Scale,
    normalize_label,
    option_column,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["build_instrument", "parse_definition", "parse_raw"]

# Matched with fullmatch: "$" would also match before a trailing newline ("brs\n").
_ID = re.compile(r"[a-z][a-z0-9_]*")
_LANGS = ("nl", "en")
_KINDS = ("likert", "ordinal", "nominal", "numeric", "text", "multi")
_STATUSES = ("verified", "secondary", "to verify")

#: Resolves the raw table of a base definition for ``[variant] base = ...``.
BaseResolver = Callable[[str], dict[str, Any]]


class _Ctx:
    """Where we are in the file, for error messages."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, fieldname: str, problem: str, fix: str) -> DefinitionError:
        return DefinitionError(f"{self.source}: field '{fieldname}': {problem}. {fix}")


def parse_raw(text: str, source: str) -> dict[str, Any]:
    """Parse TOML text, turning syntax errors into :class:`DefinitionError`."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(
            f"{source}: not valid TOML ({exc}). Fix the syntax at the position shown; "
            "duplicate keys or tables are a common cause."
        ) from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively.
        raise DefinitionError(
            f"{source}: arrays or tables are nested too deeply to read. A definition needs "
            "at most a few levels (items = [{ id = ... }]); flatten the nesting."
        ) from None


def parse_definition(
    text: str, source: str = "<string>", resolve_base: BaseResolver | None = None
) -> Instrument:
    """Parse TOML text into a validated :class:`Instrument`."""
    raw = parse_raw(text, source)
    return build_instrument(raw, source, resolve_base)


def _merge_variant(
    raw: dict[str, Any], ctx: _Ctx, resolve_base: BaseResolver | None
) -> dict[str, Any]:
    """Apply ``[variant]``: start from the base definition, keep some scales,
    override top-level fields and response scales."""
    variant = raw.get("variant")
    if variant is None:
        return raw
    if not isinstance(variant, dict) or not isinstance(variant.get("base"), str):
        raise ctx.fail(
            "variant.base", "missing or not a string", 'Name the base instrument: base = "swing".'
        )
    if resolve_base is None:
        raise ctx.fail(
            "variant.base",
            "variants need a registry to resolve the base",
            "Load the file with peoscales.load_instrument or register_instrument.",
        )
    try:
        base = copy.deepcopy(resolve_base(variant["base"]))
    except LookupError:
        raise ctx.fail(
            "variant.base",
            f"no instrument named {variant['base']!r}",
            "Register the base instrument first or correct the name.",
        ) from None
    merged = {k: v for k, v in base.items() if k not in ("variant",)}
    for key, value in raw.items():
        if key == "variant":
            continue
        if key == "response_scales":
            merged.setdefault("response_scales", {}).update(value)
        else:
            merged[key] = value
    keep = variant.get("scales")
    if keep is not None:
        scales = merged.get("scales", {})
        unknown = [s for s in keep if s not in scales]
        if unknown:
            raise ctx.fail(
                "variant.scales",
                f"names scales the base does not have: {unknown}",
                f"Choose from {sorted(scales)}.",
            )
        merged["scales"] = {s: scales[s] for s in keep}
    return merged


def _labels(table: Mapping[str, Any], ctx: _Ctx, fieldname: str) -> Mapping[str, str]:
    out = {}
    for lang in _LANGS:
        value = table.get(lang)
        if value is None:
            continue
        if not isinstance(value, str):
            raise ctx.fail(f"{fieldname}.{lang}", f"must be text, got {value!r}", "Quote it.")
        out[lang] = value
    return MappingProxyType(out)


def _number(value: Any, ctx: _Ctx, fieldname: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise ctx.fail(fieldname, f"must be a number, got {value!r}", "Write a plain number.")
    if math.isinf(value):
        # TOML allows inf; a range or code of inf would make scores come out inf.
        raise ctx.fail(
            fieldname, f"must be a finite number, got {value!r}", "Write a plain number."
        )
    return float(value)


def _check_id(value: Any, ctx: _Ctx, fieldname: str) -> str:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise ctx.fail(
            fieldname,
            f"{value!r} is not a valid id",
            "Use lower-case snake_case starting with a letter, e.g. 'wbns_competence_2'.",
        )
    return value


def _options(entries: Any, ctx: _Ctx, fieldname: str, substantive: bool) -> list[ResponseOption]:
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise ctx.fail(
            fieldname,
            "must be an array of tables",
            'Write options = [ {code = 1, nl = "..."}, ... ].',
        )
    out = []
    for i, entry in enumerate(entries):
        where = f"{fieldname}[{i}]"
        if not isinstance(entry, dict) or "code" not in entry:
            raise ctx.fail(where, "needs a code", 'Write { code = 1, nl = "...", en = "..." }.')
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ctx.fail(
                f"{where}.aliases", "must be a list of texts", 'Write aliases = ["..."].'
            )
        name = entry.get("name")
        if name is not None:
            name = _check_id(name, ctx, f"{where}.name")
        other = entry.get("other", False)
        if not isinstance(other, bool):
            raise ctx.fail(
                f"{where}.other", f"must be true or false, got {other!r}", "Write other = true."
            )
        out.append(
            ResponseOption(
                code=_number(entry["code"], ctx, f"{where}.code"),
                labels=_labels(entry, ctx, where),
                substantive=bool(entry.get("substantive", substantive)),
                aliases=tuple(aliases),
                name=name,
                other=other,
            )
        )
    return out


def _check_multi(options: list[ResponseOption], ctx: _Ctx, where: str) -> None:
    """A check-all-that-apply scale: two or more options, each giving a valid column."""
    if len(options) < 2:
        raise ctx.fail(
            f"{where}.options",
            "a multi (check all that apply) scale needs two or more options",
            'List them: options = [ {code = 1, nl = "..."}, {code = 2, nl = "..."} ].',
        )
    whole = [o.code for o in options if not float(o.code).is_integer() or o.code < 0]
    if whole:
        raise ctx.fail(
            f"{where}.options",
            f"codes {whole} are not whole numbers of 0 or more",
            "Number the options 1, 2, 3, ... as the survey tool does (they name the columns "
            "unless an option has a name).",
        )
    suffixes = [o.name or str(int(o.code)) for o in options]
    dup = sorted({x for x in suffixes if suffixes.count(x) > 1})
    if dup:
        raise ctx.fail(
            f"{where}.options",
            f"option name(s) {dup} are used twice",
            "Give every option its own name (the coded columns are named after it).",
        )
    others = [o.label() for o in options if o.other]
    if len(others) > 1:
        raise ctx.fail(
            f"{where}.options",
            f"more than one option is marked other = true ({others})",
            'Mark only the "Anders, namelijk ..." option.',
        )
    unlabelled = [o.code for o in options if not o.labels]
    if unlabelled:
        raise ctx.fail(
            f"{where}.options",
            f"options with codes {unlabelled} have no text",
            'Give each option its text: { code = 1, nl = "...", en = "..." }; exports are '
            "matched on it.",
        )


def _groupings(table: Any, ctx: _Ctx, fieldname: str, codes: set[float]) -> Mapping[str, Grouping]:
    if table is None:
        return MappingProxyType({})
    if not isinstance(table, dict):
        raise ctx.fail(
            fieldname, "must be a table of groupings", "Write [response_scales.X.groupings.NAME]."
        )
    out = {}
    for name, spec in table.items():
        where = f"{fieldname}.{name}"
        groups = spec.get("groups") if isinstance(spec, dict) else None
        if not isinstance(groups, list) or not groups:
            raise ctx.fail(
                f"{where}.groups", "must be a non-empty array", "List the groups in order."
            )
        built = []
        seen: dict[float, str] = {}
        for i, g in enumerate(groups):
            gwhere = f"{where}.groups[{i}]"
            gname = g.get("name") or g.get("en") or g.get("nl") or f"group_{i + 1}"
            if "codes" in g:
                gcodes = tuple(_number(c, ctx, f"{gwhere}.codes") for c in g["codes"])
                unknown = [c for c in gcodes if codes and c not in codes]
                if unknown:
                    raise ctx.fail(
                        f"{gwhere}.codes",
                        f"codes {unknown} are not answer codes",
                        f"Use codes from {sorted(codes)}.",
                    )
                for c in gcodes:
                    if c in seen:
                        raise ctx.fail(
                            f"{gwhere}.codes",
                            f"code {c:g} is already in group {seen[c]!r}",
                            "Put each code in one group only.",
                        )
                    seen[c] = gname
                built.append(AnswerGroup(gname, _labels(g, ctx, gwhere), codes=gcodes))
            elif "interval" in g:
                low, high = (_number(v, ctx, f"{gwhere}.interval") for v in g["interval"])
                if low > high:
                    raise ctx.fail(
                        f"{gwhere}.interval", f"low {low:g} exceeds high {high:g}", "Swap them."
                    )
                built.append(AnswerGroup(gname, _labels(g, ctx, gwhere), interval=(low, high)))
            else:
                raise ctx.fail(
                    gwhere, "needs codes or interval", "Write codes = [1, 2] or interval = [0, 20]."
                )
        out[name] = Grouping(name=name, groups=tuple(built))
    return MappingProxyType(out)


def _response_scale(rid: str, spec: Any, ctx: _Ctx) -> ResponseScale:
    where = f"response_scales.{rid}"
    if not isinstance(spec, dict):
        raise ctx.fail(where, "must be a table", f"Write [response_scales.{rid}].")
    kind = spec.get("kind", "likert")
    if kind not in _KINDS:
        raise ctx.fail(f"{where}.kind", f"{kind!r} is not a kind", f"Use one of {list(_KINDS)}.")
    options = _options(spec.get("options"), ctx, f"{where}.options", True)
    options += _options(spec.get("nonsubstantive"), ctx, f"{where}.nonsubstantive", False)
    codes = [o.code for o in options]
    dup = sorted({c for c in codes if codes.count(c) > 1})
    if dup:
        raise ctx.fail(
            f"{where}.options",
            f"code(s) {dup} used for more than one answer",
            "Give every answer its own code.",
        )
    seen: dict[str, float] = {}
    for option in options:
        for text in (*option.labels.values(), *option.aliases):
            key = normalize_label(text)
            if key in seen and seen[key] != option.code:
                raise ctx.fail(
                    f"{where}.options",
                    f"label {text!r} is mapped to two codes ({seen[key]:g} and {option.code:g})",
                    "Each label may stand for one code only; change one of them.",
                )
            seen[key] = option.code
    substantive = [o.code for o in options if o.substantive]
    lo = spec.get(
        "min", min(substantive) if substantive and kind in ("likert", "numeric") else None
    )
    hi = spec.get(
        "max", max(substantive) if substantive and kind in ("likert", "numeric") else None
    )
    lo = None if lo is None else _number(lo, ctx, f"{where}.min")
    hi = None if hi is None else _number(hi, ctx, f"{where}.max")
    if kind in ("likert", "numeric"):
        if lo is None or hi is None:
            raise ctx.fail(
                where,
                "a likert or numeric scale needs min and max",
                "Declare min = ... and max = ...; the range is never guessed from data.",
            )
        if lo >= hi:
            raise ctx.fail(
                f"{where}.min", f"min ({lo:g}) must be below max ({hi:g})", "Correct the range."
            )
        outside = [c for c in substantive if not lo <= c <= hi]
        if outside:
            raise ctx.fail(
                f"{where}.options",
                f"codes {outside} lie outside min..max {lo:g}..{hi:g}",
                "Correct the codes or the range.",
            )
        inside = [o.code for o in options if not o.substantive and lo <= o.code <= hi]
        if inside:
            raise ctx.fail(
                f"{where}.nonsubstantive",
                f"codes {inside} lie inside the substantive range",
                "Give non-substantive answers codes outside min..max (e.g. 9 or 99).",
            )
    if kind == "multi":
        _check_multi(options, ctx, where)
    misplaced = [o.code for o in options if (o.name is not None or o.other) and kind != "multi"]
    if misplaced:
        raise ctx.fail(
            f"{where}.options",
            f"options {misplaced} have a name or other = true, which only a multi scale uses",
            'Remove them, or declare kind = "multi" for a check-all-that-apply question.',
        )
    if kind in ("ordinal", "nominal") and not substantive:
        raise ctx.fail(
            f"{where}.options", "an ordinal or nominal scale needs options", "List the answers."
        )
    groupings = _groupings(spec.get("groupings"), ctx, f"{where}.groupings", set(codes))
    return ResponseScale(
        id=rid, kind=kind, options=tuple(options), min=lo, max=hi, groupings=groupings
    )


def _asked_if(spec: Any, ctx: _Ctx, where: str) -> AskedIf | None:
    if spec is None:
        return None
    if not isinstance(spec, dict) or "item" not in spec or "codes" not in spec:
        raise ctx.fail(
            where, 'must be { item = "...", codes = [...] }', "Name the filter item and its codes."
        )
    return AskedIf(
        item=str(spec["item"]), codes=tuple(_number(c, ctx, where) for c in spec["codes"])
    )


def _item(
    spec: Any,
    ctx: _Ctx,
    where: str,
    default_scale: str | None,
    scale: str | None,
    position: int | None,
) -> Item:
    if not isinstance(spec, dict):
        raise ctx.fail(where, "must be a table", 'Write [[...items]] with id = "...".')
    item_id = _check_id(spec.get("id"), ctx, f"{where}.id")
    rs = spec.get("response_scale", default_scale)
    if rs is None:
        raise ctx.fail(f"{where}.response_scale", "missing", "Name a table of [response_scales].")
    number = spec.get("number")
    if number is not None and (isinstance(number, bool) or not isinstance(number, int)):
        raise ctx.fail(
            f"{where}.number", f"must be a whole number, got {number!r}", "Write number = 3."
        )
    short = spec.get("short", {})
    same_as = spec.get("same_as", [])
    row = spec.get("row", {})
    other_of = spec.get("other_of")
    combines = spec.get("combines", [])
    for key, value in (("same_as", same_as), ("combines", combines)):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ctx.fail(f"{where}.{key}", "must be a list of texts", f'Write {key} = ["..."].')
    if other_of is not None and not isinstance(other_of, str):
        raise ctx.fail(f"{where}.other_of", "must be an item id", 'Write other_of = "employer".')
    return Item(
        id=item_id,
        response_scale=str(rs),
        text=_labels(spec, ctx, where),
        short=_labels(short, ctx, f"{where}.short")
        if isinstance(short, dict)
        else MappingProxyType({}),
        number=number,
        scale=scale,
        position=position,
        reverse=False,
        asked_if=_asked_if(spec.get("asked_if"), ctx, f"{where}.asked_if"),
        same_as=tuple(same_as),
        row=_labels(row, ctx, f"{where}.row") if isinstance(row, dict) else MappingProxyType({}),
        other_of=other_of,
        combines=tuple(combines),
    )


def _decimals(x: float) -> int:
    text = repr(float(x))
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def _bands(entries: Any, ctx: _Ctx, where: str) -> tuple[Band, ...]:
    if not entries:
        return ()
    bands = []
    for i, b in enumerate(entries):
        bwhere = f"{where}[{i}]"
        if not isinstance(b, dict) or "low" not in b or "high" not in b:
            raise ctx.fail(
                bwhere, "needs low and high", 'Write { name = "low", low = 1.0, high = 2.99 }.'
            )
        low, high = (
            _number(b["low"], ctx, f"{bwhere}.low"),
            _number(b["high"], ctx, f"{bwhere}.high"),
        )
        if low > high:
            raise ctx.fail(bwhere, f"low {low:g} exceeds high {high:g}", "Swap the bounds.")
        name = b.get("name") or b.get("en") or f"band_{i + 1}"
        bands.append(Band(name=str(name), low=low, high=high, labels=_labels(b, ctx, bwhere)))
    bands.sort(key=lambda band: band.low)
    for prev, nxt in itertools.pairwise(bands):
        if nxt.low <= prev.high:
            raise ctx.fail(
                where,
                f"bands {prev.name!r} ({prev.low:g}-{prev.high:g}) and {nxt.name!r} "
                f"({nxt.low:g}-{nxt.high:g}) overlap",
                "Make each band start above the previous one's high bound.",
            )
        step = 10.0 ** -max(_decimals(prev.high), _decimals(nxt.low))
        if nxt.low - prev.high > step + 1e-12:
            raise ctx.fail(
                where,
                f"there is a gap between {prev.name!r} (up to {prev.high:g}) and "
                f"{nxt.name!r} (from {nxt.low:g})",
                "Make the bands contiguous at the published precision.",
            )
    return tuple(bands)


def _check_multi_items(
    items: Mapping[str, Item], response_scales: Mapping[str, ResponseScale], ctx: _Ctx
) -> None:
    """Check-all-that-apply items code into one column per option: the columns must not
    take another item's id, and such an item cannot filter, combine or be combined."""
    owner: dict[str, str] = {}
    for item in items.values():
        rs = response_scales[item.response_scale]
        if rs.kind != "multi":
            continue
        for option in rs.options:
            column = option_column(item.id, option)
            names = [column, f"{column}_text"] if option.other else [column]
            for name in names:
                if name in items or name in owner:
                    raise ctx.fail(
                        f"items.{item.id}",
                        f"its option column {name!r} is also "
                        + (f"item {name!r}" if name in items else f"a column of {owner[name]!r}"),
                        "Rename the item or give the option another name (name = ...).",
                    )
                owner[name] = item.id
        if item.combines or item.other_of:
            raise ctx.fail(
                f"items.{item.id}",
                "a multi (check all that apply) item cannot combine items or be the text of "
                "an other answer",
                'Mark the "Anders, namelijk" option with other = true instead.',
            )
    for item in items.values():
        filt = item.asked_if.item if item.asked_if is not None else None
        if filt is not None and response_scales[items[filt].response_scale].kind == "multi":
            raise ctx.fail(
                f"items.{item.id}.asked_if.item",
                f"{filt!r} is a check-all-that-apply question, which cannot route",
                "Route on a single-answer question.",
            )
        for ref in (*item.combines, item.other_of):
            if ref is not None and response_scales[items[ref].response_scale].kind == "multi":
                raise ctx.fail(
                    f"items.{item.id}",
                    f"{ref!r} is a check-all-that-apply question",
                    'Its "Anders, namelijk" text is kept by the option marked other = true.',
                )


def build_instrument(
    raw: dict[str, Any], source: str, resolve_base: BaseResolver | None = None
) -> Instrument:
    """Validate a parsed TOML table into an :class:`Instrument`."""
    ctx = _Ctx(source)
    raw = _merge_variant(raw, ctx, resolve_base)
    name = _check_id(raw.get("name"), ctx, "name")
    kind = raw.get("kind", "instrument")
    if kind not in ("instrument", "codebook"):
        raise ctx.fail("kind", f"{kind!r} is not a kind", 'Use "instrument" or "codebook".')
    key = raw.get("key", {})
    status = key.get("status", "to verify")
    if status not in _STATUSES:
        raise ctx.fail(
            "key.status", f"{status!r} is not a status", f"Use one of {list(_STATUSES)}."
        )

    scales_raw = raw.get("response_scales", {})
    if not isinstance(scales_raw, dict) or not scales_raw:
        raise ctx.fail(
            "response_scales",
            "at least one response scale is needed",
            "Add [response_scales.NAME] with kind, min, max and options.",
        )
    response_scales = {
        rid: _response_scale(_check_id(rid, ctx, f"response_scales.{rid}"), spec, ctx)
        for rid, spec in scales_raw.items()
    }

    items: dict[str, Item] = {}

    def add(item: Item, where: str) -> None:
        if item.id in items:
            raise ctx.fail(
                f"{where}.id", f"duplicate item id {item.id!r}", "Give every item a unique id."
            )
        if item.response_scale not in response_scales:
            raise ctx.fail(
                f"{where}.response_scale",
                f"{item.response_scale!r} is not declared",
                f"Use one of {sorted(response_scales)} or add it under [response_scales].",
            )
        items[item.id] = item

    scales: dict[str, Scale] = {}
    for sid, spec in (raw.get("scales") or {}).items():
        where = f"scales.{sid}"
        _check_id(sid, ctx, where)
        if not isinstance(spec, dict):
            raise ctx.fail(where, "must be a table", f"Write [scales.{sid}].")
        rs = spec.get("response_scale")
        if rs not in response_scales:
            raise ctx.fail(
                f"{where}.response_scale",
                f"{rs!r} is not declared",
                f"Use one of {sorted(response_scales)}.",
            )
        if response_scales[rs].kind != "likert":
            raise ctx.fail(
                f"{where}.response_scale",
                f"{rs!r} is {response_scales[rs].kind}, not likert",
                "Scale scores need a likert response scale with a declared range.",
            )
        entries = spec.get("items")
        if not isinstance(entries, list) or not entries:
            raise ctx.fail(
                f"{where}.items",
                "a scale needs at least one item",
                f"Add [[scales.{sid}.items]] tables.",
            )
        ids = []
        for pos, entry in enumerate(entries, start=1):
            item = _item(entry, ctx, f"{where}.items[{pos - 1}]", rs, sid, pos)
            add(item, f"{where}.items[{pos - 1}]")
            ids.append(item.id)
        reverse = spec.get("reverse", [])
        unknown = [r for r in reverse if r not in ids]
        if unknown:
            raise ctx.fail(
                f"{where}.reverse",
                f"{unknown} name(s) no item of scale {sid!r}",
                f"List only ids of this scale's items: {ids}.",
            )
        for r in reverse:
            items[r] = Item(**{**items[r].__dict__, "reverse": True})
        method = spec.get("method", "mean")
        if method not in ("mean", "sum"):
            raise ctx.fail(
                f"{where}.method", f"{method!r} is not a scoring method", 'Use "mean" or "sum".'
            )
        min_valid = spec.get("min_valid")
        share = spec.get("min_valid_share")
        if min_valid is not None and share is not None:
            raise ctx.fail(
                f"{where}.min_valid", "both min_valid and min_valid_share are given", "Keep one."
            )
        if min_valid is not None and (
            isinstance(min_valid, bool)
            or not isinstance(min_valid, int)
            or not 1 <= min_valid <= len(ids)
        ):
            raise ctx.fail(
                f"{where}.min_valid",
                f"must be a whole number from 1 to {len(ids)}, got {min_valid!r}",
                "Give the least number of answered items a score needs.",
            )
        if share is not None and (not isinstance(share, (int, float)) or not 0 < share <= 1):
            raise ctx.fail(
                f"{where}.min_valid_share",
                f"must lie in (0, 1], got {share!r}",
                "Give the least share of answered items a score needs, e.g. 0.5.",
            )
        bands_spec = spec.get("bands")
        scales[sid] = Scale(
            id=sid,
            items=tuple(ids),
            response_scale=str(rs),
            labels=_labels(spec, ctx, where),
            reverse=frozenset(reverse),
            method=method,
            min_valid=min_valid,
            min_valid_share=None if share is None else float(share),
            bands=_bands(bands_spec, ctx, f"{where}.bands"),
            bands_source=str(spec.get("bands_source", "")),
        )

    for i, entry in enumerate(raw.get("items") or []):
        add(_item(entry, ctx, f"items[{i}]", None, None, None), f"items[{i}]")

    if not items:
        raise ctx.fail(
            "items", "the definition has no items", "Add [[scales.X.items]] or [[items]] tables."
        )
    for item in items.values():
        if item.asked_if is not None and item.asked_if.item not in items:
            raise ctx.fail(
                f"items.{item.id}.asked_if.item",
                f"{item.asked_if.item!r} is not an item",
                "Name the filter question's id.",
            )
    for item in items.values():
        for ref, field in ((item.other_of, "other_of"), *((c, "combines") for c in item.combines)):
            if ref is not None and ref not in items:
                raise ctx.fail(
                    f"items.{item.id}.{field}", f"{ref!r} is not an item", "Name an item id."
                )
        scales_of = {items[c].response_scale for c in item.combines}
        if item.combines and scales_of != {item.response_scale}:
            raise ctx.fail(
                f"items.{item.id}.combines",
                f"combined items use response scales {sorted(scales_of)}",
                f"Combine only items on the item's own response scale {item.response_scale!r}.",
            )
    _check_multi_items(items, response_scales, ctx)
    numbers = [it.number for it in items.values() if it.number is not None]
    dup_numbers = sorted({n for n in numbers if numbers.count(n) > 1})
    if dup_numbers:
        raise ctx.fail(
            "items.number", f"question number(s) {dup_numbers} used twice", "Number each item once."
        )

    return Instrument(
        name=name,
        title=str(raw.get("title", name)),
        kind=cast(Any, kind),
        response_scales=MappingProxyType(response_scales),
        items=MappingProxyType(items),
        scales=MappingProxyType(scales),
        description=str(raw.get("description", "")).strip(),
        citation=str(raw.get("citation", "")).strip(),
        licence=str(raw.get("licence", "")).strip(),
        key_source=str(key.get("source", "")).strip(),
        key_status=status,
        key_note=str(key.get("note", "")).strip(),
        wave=raw.get("wave"),
        source=source,
    )
