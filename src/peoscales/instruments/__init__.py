"""Instruments and survey codebooks as data: the model, the TOML loader and the registry."""

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
)
from peoscales.instruments.registry import (
    get_instrument,
    list_instruments,
    load_instrument,
    register_instrument,
)

__all__ = [
    "AnswerGroup",
    "AskedIf",
    "Band",
    "Grouping",
    "Instrument",
    "Item",
    "ResponseOption",
    "ResponseScale",
    "Scale",
    "get_instrument",
    "list_instruments",
    "load_instrument",
    "register_instrument",
]
