"""The JSON shapes of the API (Pydantic v2): checked on the way in, documented in OpenAPI.

Times are ISO 8601 in UTC (``Z``); money is a decimal string with its ISO 4217 currency;
masses in kg and volumes in m³, as everywhere in silkhub.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema

from silkhub.model import CargoClass, Mode, Place, PlaceKind, Service
from silkhub.store import DepartureRecord

__all__ = [
    "DEPARTURE_ID_PATTERN",
    "CalendarOut",
    "DepartureOut",
    "DeparturePage",
    "Identifier",
    "LegCapacityOut",
    "PlaceOut",
    "PlacePage",
    "ServiceDetailOut",
    "ServiceOut",
    "ServicePage",
    "StopOut",
    "StopTimeOut",
]

#: Ids of places, services, departures, quotes: printable text without control characters.
IDENTIFIER_PATTERN = r"^[^\x00-\x1f\x7f]{1,100}$"
#: A dated departure's id: its service's id (up to 100 characters) and ``@YYYY-MM-DD``.
DEPARTURE_ID_PATTERN = r"^[^\x00-\x1f\x7f]{1,100}@\d{4}-\d{2}-\d{2}$"
Identifier = Annotated[str, StringConstraints(pattern=IDENTIFIER_PATTERN)]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class PlaceOut(_Out):
    """A place of the network."""

    place_id: str
    name: str
    kind: PlaceKind
    country: str
    lat: float
    lon: float
    timezone: str
    iata: str
    unlocode: str
    source: str

    @classmethod
    def of(cls, place: Place) -> PlaceOut:
        """The API view of a domain place."""
        return cls(
            place_id=place.place_id,
            name=place.name,
            kind=place.kind,
            country=place.country,
            lat=place.lat,
            lon=place.lon,
            timezone=place.timezone,
            iata=place.iata,
            unlocode=place.unlocode,
            source=place.source,
        )


class ServiceOut(_Out):
    """A scheduled service; ``route`` lists its stops' places in order."""

    service_id: str
    name: str
    mode: Mode
    operator: str
    vehicle: str
    capacity_kg: float
    capacity_m3: float
    capacity_teu: int | None
    price_per_kg: Decimal
    min_charge: Decimal
    currency: str
    cargo_classes: list[CargoClass] = Field(description="Empty: every class is accepted.")
    route: list[str]
    source: str

    @classmethod
    def of(cls, service: Service, route: list[str]) -> ServiceOut:
        """The API view of a domain service."""
        return cls(
            service_id=service.service_id,
            name=service.name,
            mode=service.mode,
            operator=service.operator,
            vehicle=service.vehicle,
            capacity_kg=service.capacity_kg,
            capacity_m3=service.capacity_m3,
            capacity_teu=service.capacity_teu,
            price_per_kg=service.price_per_kg,
            min_charge=service.min_charge,
            currency=service.currency,
            cargo_classes=sorted(service.cargo_classes),
            route=route,
            source=service.source,
        )


class StopOut(_Out):
    """A call of a service, in minutes from its start."""

    seq: int
    place_id: str
    arrival_min: int | None
    departure_min: int | None
    distance_km: float | None


class CalendarOut(_Out):
    """A weekly pattern: ``weekdays`` is 7 characters of 0/1, Monday first."""

    weekdays: str
    # A local wall-clock time without an offset: JSON Schema's "time" format (RFC 3339
    # full-time) demands one, so the schema gives the shape as a pattern instead.
    start_time: Annotated[
        time,
        WithJsonSchema({"type": "string", "pattern": r"^\d{2}:\d{2}:\d{2}(\.\d+)?$"}),
    ] = Field(description="Local time at the first stop (HH:MM:SS, no offset).")
    valid_from: date
    valid_to: date


class ServiceDetailOut(ServiceOut):
    """A service with its stops and calendar."""

    stops: list[StopOut]
    calendars: list[CalendarOut]


class StopTimeOut(_Out):
    """When a dated departure is at one of its stops (UTC)."""

    place_id: str
    arrival: datetime | None
    departure: datetime | None


class LegCapacityOut(_Out):
    """One leg of a dated departure and the capacity still for sale on it."""

    from_place: str
    to_place: str
    departure: datetime
    arrival: datetime
    capacity_kg: float
    capacity_m3: float
    remaining_kg: float
    remaining_m3: float


class DepartureOut(_Out):
    """A dated run of a service, its stop times and its capacity per leg."""

    departure_id: str = Field(description="`SERVICE@YYYY-MM-DD` (local date at the first stop).")
    service_id: str
    mode: Mode
    service_date: date
    departure: datetime
    arrival: datetime
    stops: list[StopTimeOut]
    legs: list[LegCapacityOut]

    @classmethod
    def of(cls, record: DepartureRecord) -> DepartureOut:
        """The API view of a stored departure."""
        d = record.departure
        st = d.stop_times
        legs = []
        for i in range(len(st) - 1):
            leaves, arrives = st[i].departure, st[i + 1].arrival
            assert leaves is not None
            assert arrives is not None
            legs.append(
                LegCapacityOut(
                    from_place=st[i].place_id,
                    to_place=st[i + 1].place_id,
                    departure=leaves,
                    arrival=arrives,
                    capacity_kg=record.capacity_kg[i],
                    capacity_m3=record.capacity_m3[i],
                    remaining_kg=d.remaining_kg[i],
                    remaining_m3=d.remaining_m3[i],
                )
            )
        return cls(
            departure_id=d.departure_id,
            service_id=d.service_id,
            mode=record.mode,
            service_date=d.service_date,
            departure=d.first_departure,
            arrival=d.last_arrival,
            stops=[
                StopTimeOut(place_id=s.place_id, arrival=s.arrival, departure=s.departure)
                for s in st
            ],
            legs=legs,
        )


class _PageOut(_Out):
    total: int = Field(description="Items across all pages.")
    limit: int
    offset: int
    next: str | None = Field(description="Relative URL of the next page; null on the last.")


class PlacePage(_PageOut):
    """A page of places."""

    items: list[PlaceOut]


class ServicePage(_PageOut):
    """A page of services."""

    items: list[ServiceOut]


class DeparturePage(_PageOut):
    """A page of dated departures."""

    items: list[DepartureOut]
