"""The router's answer: itineraries made of legs, each with its time, price and CO₂e."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from silkhub.model import Mode, Money

__all__ = ["Itinerary", "Leg"]


@dataclass(frozen=True, slots=True)
class Leg:
    """One boarding: a dated departure ridden from one stop to a later one, or a link.

    ``service_id`` is the service for a scheduled leg and ``link:FROM>TO`` for a link;
    ``departure_id`` is ``None`` for a link. Times are aware UTC datetimes.
    """

    service_id: str
    departure_id: str | None
    mode: Mode
    from_place: str
    to_place: str
    departure: datetime
    arrival: datetime
    distance_km: float
    co2e_grams: int
    price: Money

    def __post_init__(self) -> None:
        if self.arrival <= self.departure:
            raise ValueError(f"leg {self.service_id}: arrival must be after departure")
        if self.from_place == self.to_place:
            raise ValueError(f"leg {self.service_id}: from and to are the same place")

    @property
    def co2e_kg(self) -> float:
        """CO₂e in kg (the leg is computed in whole grams)."""
        return self.co2e_grams / 1000

    @property
    def is_link(self) -> bool:
        """Whether the leg is an unscheduled link rather than a dated departure."""
        return self.departure_id is None


@dataclass(frozen=True, slots=True)
class Itinerary:
    """A way from origin to destination: its legs, and the totals the front is made of."""

    legs: tuple[Leg, ...]
    price: Money
    co2e_grams: int

    def __post_init__(self) -> None:
        if not self.legs:
            raise ValueError("an itinerary needs at least one leg")
        for before, after in zip(self.legs, self.legs[1:], strict=False):
            if before.to_place != after.from_place or after.departure < before.arrival:
                raise ValueError("itinerary legs must connect in place and time")

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
        return (self.arrival, int(self.price.amount * 100), self.co2e_grams)
