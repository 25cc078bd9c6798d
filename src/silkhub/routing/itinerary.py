"""The router's answer: itineraries made of legs, each with its time, price and CO₂e.

Both are immutable records that keep the search's own integers: Unix seconds for times,
cents for money and grams for CO₂e. Their ``departure``/``arrival``, ``price`` and ``co2e_kg``
give the familiar aware datetimes, ``Money`` and kilograms on demand. A front of thirty
itineraries has some seventy distinct legs, and building each as a validated frozen dataclass
holding two datetimes and a ``Money`` cost about 4.5 µs, a fifth of a whole query; a named
tuple of integers costs a tenth of that. The router builds them and guarantees what a
dataclass would have checked (a leg arrives after it leaves, between two different places;
the legs of an itinerary connect in place and time); the brute-force tests check it too.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import NamedTuple

from silkhub.model import Mode, Money

__all__ = ["Itinerary", "Leg"]


def _utc(epoch_seconds: int) -> datetime:
    return datetime.fromtimestamp(epoch_seconds, tz=UTC)


def _money(cents: int, currency: str) -> Money:
    return Money(Decimal(cents).scaleb(-2), currency)


class Leg(NamedTuple):
    """One boarding: a dated departure ridden from one stop to a later one, or a link.

    ``service_id`` is the service for a scheduled leg and ``link:FROM>TO`` for a link;
    ``departure_id`` is ``None`` for a link. ``departure_epoch``/``arrival_epoch`` are Unix
    seconds; ``price_cents`` is in hundredths of ``currency``, the quote currency.
    """

    service_id: str
    departure_id: str | None
    mode: Mode
    from_place: str
    to_place: str
    departure_epoch: int
    arrival_epoch: int
    distance_km: float
    co2e_grams: int
    price_cents: int
    currency: str

    @property
    def departure(self) -> datetime:
        """When the leg leaves (aware, UTC)."""
        return _utc(self.departure_epoch)

    @property
    def arrival(self) -> datetime:
        """When the leg arrives (aware, UTC)."""
        return _utc(self.arrival_epoch)

    @property
    def price(self) -> Money:
        """What this boarding costs, in the quote currency."""
        return _money(self.price_cents, self.currency)

    @property
    def co2e_kg(self) -> float:
        """CO₂e in kg (the leg is computed in whole grams)."""
        return self.co2e_grams / 1000

    @property
    def is_link(self) -> bool:
        """Whether the leg is an unscheduled link rather than a dated departure."""
        return self.departure_id is None


class Itinerary(NamedTuple):
    """A way from origin to destination: its legs, and the totals the front is made of.

    ``price_cents`` and ``co2e_grams`` are the sums of the legs' (each leg is priced and
    rounded on its own, so the total is exact).
    """

    legs: tuple[Leg, ...]
    price_cents: int
    currency: str
    co2e_grams: int

    @property
    def price(self) -> Money:
        """The total price in the quote currency."""
        return _money(self.price_cents, self.currency)

    @property
    def departure(self) -> datetime:
        """When the first leg leaves (a link leaves when the shipment is at its start)."""
        return self.legs[0].departure

    @property
    def arrival(self) -> datetime:
        """When the last leg arrives at the destination."""
        return self.legs[-1].arrival

    @property
    def origin(self) -> str:
        """Where the itinerary starts."""
        return self.legs[0].from_place

    @property
    def destination(self) -> str:
        """Where the itinerary ends."""
        return self.legs[-1].to_place

    @property
    def co2e_kg(self) -> float:
        """Total CO₂e in kg (the sum of the legs' whole grams)."""
        return self.co2e_grams / 1000

    @property
    def boardings(self) -> int:
        """Scheduled boardings plus link uses."""
        return len(self.legs)

    @property
    def criteria(self) -> tuple[datetime, int, int]:
        """The point of the Pareto front: (arrival, price in cents, grams CO₂e)."""
        return (self.arrival, self.price_cents, self.co2e_grams)
