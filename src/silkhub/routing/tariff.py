"""What one boarding costs, in exact decimal arithmetic and in its integer twin.

A boarding of a service (or a use of a link) costs ``max(min_charge, price_per_kg ×
chargeable kg)`` rounded half-up to 0.01 in the tariff's currency, then converted into the
quote currency and rounded to 0.01 again. Chargeable kg is taken to the gram (air: the larger
of actual and 167 kg/m³ volumetric weight). The router prices in integers — tariffs scaled
by 10**4 per kg, minimum charges by 10**7, rates by 10**6 — which gives exactly the same cents
as the Decimal functions here; the tests check the two against each other.
"""

from __future__ import annotations

from decimal import Decimal

from silkhub.model import (
    MAX_MIN_CHARGE,
    MAX_PRICE_PER_KG,
    MIN_CHARGE_DECIMALS,
    PRICE_PER_KG_DECIMALS,
    Mode,
    Money,
    chargeable_kg,
    round_cents,
)
from silkhub.routing.fx import FxRates

__all__ = [
    "MIN_CHARGE_SCALE",
    "PRICE_PER_KG_SCALE",
    "boarding_charge",
    "chargeable_grams",
    "integer_cents",
    "leg_price",
    "scaled_tariff",
]

PRICE_PER_KG_SCALE: int = 10**PRICE_PER_KG_DECIMALS
MIN_CHARGE_SCALE: int = 10**MIN_CHARGE_DECIMALS
#: price_per_kg (scaled) × grams is in units of 10**-7; one cent is 10**5 of them.
_UNITS_PER_CENT = MIN_CHARGE_SCALE // 100


def chargeable_grams(mode: Mode, weight_kg: float, volume_m3: float) -> int:
    """The chargeable weight of a shipment on ``mode``, to the gram."""
    return round(chargeable_kg(mode, weight_kg, volume_m3) * 1000)


def boarding_charge(price_per_kg: Decimal, min_charge: Decimal, grams: int) -> Decimal:
    """The charge for one boarding, rounded to 0.01 in the tariff's own currency."""
    return round_cents(max(min_charge, price_per_kg * Decimal(grams) / 1000))


def leg_price(
    price_per_kg: Decimal,
    min_charge: Decimal,
    currency: str,
    grams: int,
    quote_currency: str,
    rates: FxRates,
) -> Money:
    """The price of one boarding in the quote currency (charge → convert → round)."""
    charge = boarding_charge(price_per_kg, min_charge, grams)
    return Money(rates.convert(charge, currency, quote_currency), quote_currency)


def _scaled(value: Decimal, scale: int, what: str) -> int:
    scaled = value * scale
    if not value.is_finite() or value < 0 or scaled != scaled.to_integral_value():
        raise ValueError(f"{what} {value} must be ≥ 0 with at most {len(str(scale)) - 1} decimals")
    return int(scaled)


def scaled_tariff(price_per_kg: Decimal, min_charge: Decimal, owner: str) -> tuple[int, int]:
    """The integer form of a tariff: (price_per_kg × 10**4, min_charge × 10**7)."""
    if price_per_kg > MAX_PRICE_PER_KG:
        raise ValueError(f"{owner}: price_per_kg {price_per_kg} is above {MAX_PRICE_PER_KG}")
    if min_charge > MAX_MIN_CHARGE:
        raise ValueError(f"{owner}: min_charge {min_charge} is above {MAX_MIN_CHARGE}")
    return (
        _scaled(price_per_kg, PRICE_PER_KG_SCALE, f"{owner}: price_per_kg"),
        _scaled(min_charge, MIN_CHARGE_SCALE, f"{owner}: min_charge"),
    )


def integer_cents(ppk_units: int, min_units: int, grams: int, rate_from: int, rate_to: int) -> int:
    """The quote-currency cents of one boarding, in integers (mirrors ``leg_price``).

    The kernel inlines the same arithmetic; this Python twin exists to document and test it.
    """
    units = max(min_units, ppk_units * grams)
    cents = (units + _UNITS_PER_CENT // 2) // _UNITS_PER_CENT
    if rate_from == rate_to:
        return cents
    return (2 * cents * rate_from + rate_to) // (2 * rate_to)
