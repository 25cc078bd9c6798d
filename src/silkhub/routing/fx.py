"""Exchange rates into the quote currency, from a dated reference-rate file.

Rates are kept as exact decimals (CNY per one unit of each currency) so that a conversion is
reproducible to the cent: ``amount × cny_per(from) / cny_per(to)``, rounded half-up to 0.01.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from types import MappingProxyType

from silkhub.model import round_cents

__all__ = ["RATE_DECIMALS", "FxRates", "default_fx_rates", "load_fx_rates"]

#: Rates carry at most this many decimals; the router scales them to integers by 10**6.
RATE_DECIMALS = 6
#: The dearest currency unit the exact integer pricing supports (KWD, the dearest, is ~24).
MAX_RATE = Decimal(40)


@dataclass(frozen=True, slots=True)
class FxRates:
    """CNY per one unit of each currency, with the date and source of the figures."""

    cny_per_unit: Mapping[str, Decimal]
    as_of: str = ""
    source: str = ""
    _scaled: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        scaled: dict[str, int] = {}
        for code, rate in self.cny_per_unit.items():
            if len(code) != 3 or not code.isalpha() or not code.isupper():
                raise ValueError(f"currency {code!r} is not a 3-letter ISO 4217 code")
            if not isinstance(rate, Decimal) or not rate.is_finite() or rate <= 0:
                raise ValueError(f"rate of {code} must be a positive Decimal (got {rate!r})")
            if rate > MAX_RATE:
                raise ValueError(f"rate of {code} is above {MAX_RATE} CNY per unit")
            units = rate.scaleb(RATE_DECIMALS)
            if units != units.to_integral_value():
                raise ValueError(f"rate of {code} has more than {RATE_DECIMALS} decimals: {rate}")
            scaled[code] = int(units)
        if scaled.get("CNY") != 10**RATE_DECIMALS:
            raise ValueError("the rate table must hold CNY at exactly 1")
        object.__setattr__(self, "cny_per_unit", MappingProxyType(dict(self.cny_per_unit)))
        object.__setattr__(self, "_scaled", MappingProxyType(scaled))

    def __contains__(self, code: object) -> bool:
        return code in self.cny_per_unit

    def __iter__(self) -> Iterator[str]:
        return iter(self.cny_per_unit)

    @property
    def currencies(self) -> frozenset[str]:
        """Every currency the table knows."""
        return frozenset(self.cny_per_unit)

    def scaled(self, code: str) -> int:
        """The rate of ``code`` × 10**6 as an integer (for exact integer conversion)."""
        try:
            return self._scaled[code]
        except KeyError:
            raise KeyError(f"no exchange rate for currency {code!r}") from None

    def convert(self, amount: Decimal, from_currency: str, to_currency: str) -> Decimal:
        """``amount`` in ``from_currency`` expressed in ``to_currency``, rounded to 0.01."""
        if from_currency == to_currency:
            return round_cents(amount)
        num, den = self.scaled(from_currency), self.scaled(to_currency)
        return round_cents(amount * num / den)


def _parse(text: str, origin: str) -> FxRates:
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
    return FxRates(rates, as_of="; ".join(sorted(as_of)), source="; ".join(sorted(sources)))


def load_fx_rates(text: str, origin: str = "fx_rates.csv") -> FxRates:
    """Parse a rate table in the ``fx_rates.csv`` format (currency, cny_per_unit, as_of, source)."""
    return _parse(text, origin)


@cache
def default_fx_rates() -> FxRates:
    """The embedded rate table (read once, on first use; immutable)."""
    text = resources.files("silkhub").joinpath("data/fx_rates.csv").read_text(encoding="utf-8")
    return _parse(text, "silkhub/data/fx_rates.csv")
