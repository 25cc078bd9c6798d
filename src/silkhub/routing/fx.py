"""Exchange rates into the quote currency, from a dated reference-rate file.

Rates are kept as exact decimals (CNY per one unit of each currency) so that a conversion is
reproducible to the cent: ``amount × cny_per(from) / cny_per(to)``, rounded half-up to 0.01.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from types import MappingProxyType

from silkhub.model import Network, round_cents
from silkhub.reference import RateTable, embedded_rate_table, parse_rate_table

__all__ = [
    "RATE_DECIMALS",
    "FxRates",
    "UnknownCurrencyError",
    "check_currencies",
    "default_fx_rates",
    "load_fx_rates",
]

#: Rates carry at most this many decimals; the router scales them to integers by 10**6.
RATE_DECIMALS = 6
#: The dearest currency unit the exact integer pricing supports (KWD, the dearest, is ~24).
MAX_RATE = Decimal(40)


class UnknownCurrencyError(ValueError):
    """A tariff or a quote is in a currency the rate table has no rate for."""


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
        """The rate of ``code`` × 10**6 as an integer; ``UnknownCurrencyError`` if it has none."""
        try:
            return self._scaled[code]
        except KeyError:
            raise UnknownCurrencyError(f"no exchange rate for currency {code!r}") from None

    def convert(self, amount: Decimal, from_currency: str, to_currency: str) -> Decimal:
        """``amount`` in ``from_currency`` expressed in ``to_currency``, rounded to 0.01."""
        if from_currency == to_currency:
            return round_cents(amount)
        num, den = self.scaled(from_currency), self.scaled(to_currency)
        return round_cents(amount * num / den)


def _rates(table: RateTable) -> FxRates:
    return FxRates(table.cny_per_unit, as_of=table.as_of, source=table.source)


def load_fx_rates(text: str, origin: str = "fx_rates.csv") -> FxRates:
    """Parse a rate table in the ``fx_rates.csv`` format (currency, cny_per_unit, as_of, source)."""
    return _rates(parse_rate_table(text, origin))


@cache
def default_fx_rates() -> FxRates:
    """The embedded rate table (read once, on first use; immutable)."""
    return _rates(embedded_rate_table())


def check_currencies(network: Network, rates: FxRates) -> None:
    """Raise ``UnknownCurrencyError`` naming the first service or link ``rates`` cannot price.

    ``load_network`` refuses such networks already; this guards networks built by hand.
    """
    owners = [(f"service {s.service_id!r}", s.currency) for s in network.services.values()]
    owners += [(f"link {k.from_place}>{k.to_place}", k.currency) for k in network.links]
    for owner, currency in owners:
        if currency not in rates:
            raise UnknownCurrencyError(
                f"{owner} is priced in {currency!r}, for which silkhub has no exchange rate "
                f"(rates are known for {', '.join(sorted(rates.currencies))})"
            )
