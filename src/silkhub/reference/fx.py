"""The embedded exchange-rate table: which currencies silkhub has a rate for, and the rates.

The figures live in ``silkhub/data/fx_rates.csv`` (currency, cny_per_unit, as_of, source).
They are reference data like the ISO code lists: ``silkhub.network`` checks that every tariff
is in a currency with a rate, ``silkhub.routing.FxRates`` adds the checks and the exact
integer form the router prices with. This module only reads the table.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from types import MappingProxyType

#: Where the embedded table is, inside the ``silkhub`` package.
FX_RATES_RESOURCE = "data/fx_rates.csv"


@dataclass(frozen=True, slots=True)
class RateTable:
    """A rate table as read: CNY per one unit of each currency, the dates and the sources."""

    cny_per_unit: Mapping[str, Decimal]
    as_of: str = ""
    source: str = ""


def parse_rate_table(text: str, origin: str = "fx_rates.csv") -> RateTable:
    """Read a table in the ``fx_rates.csv`` format; a bad number or a repeated code raises."""
    rates: dict[str, Decimal] = {}
    as_of: set[str] = set()
    sources: set[str] = set()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    for line, row in enumerate(reader, start=2):
        code = (row.get("currency") or "").strip()
        try:
            rate = Decimal((row.get("cny_per_unit") or "").strip())
        except InvalidOperation:
            raise ValueError(f"{origin}:{line}:cny_per_unit: not a decimal number") from None
        if code in rates:
            raise ValueError(f"{origin}:{line}:currency: {code} appears twice")
        rates[code] = rate
        as_of.add((row.get("as_of") or "").strip())
        sources.add((row.get("source") or "").strip())
    return RateTable(
        MappingProxyType(rates), as_of="; ".join(sorted(as_of)), source="; ".join(sorted(sources))
    )


@cache
def embedded_rate_table() -> RateTable:
    """The table shipped in ``silkhub/data/fx_rates.csv`` (read once, on first use)."""
    text = resources.files("silkhub").joinpath(FX_RATES_RESOURCE).read_text(encoding="utf-8")
    return parse_rate_table(text, f"silkhub/{FX_RATES_RESOURCE}")


def rated_currencies() -> frozenset[str]:
    """The currencies the embedded table has a rate for: those a quote can price."""
    return frozenset(embedded_rate_table().cny_per_unit)
