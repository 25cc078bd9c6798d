"""Conversions between the domain dataclasses and table rows, kept in one place.

Enums are stored as their values, cargo classes ``;``-joined, weekdays as ``0``/``1`` text;
everything else goes through as is (money as ``Decimal``, handled by ``DecimalText``).
"""

from __future__ import annotations

from dataclasses import fields
from enum import Enum
from typing import Any

from silkhub.model import (
    CalendarRule,
    CargoClass,
    Link,
    Mode,
    Place,
    PlaceKind,
    Service,
    Stop,
    TransferRule,
)
from silkhub.store.tables import CalendarRow, LinkRow, PlaceRow, ServiceRow, StopRow, TransferRow


def values(record: Any, **extra: Any) -> dict[str, Any]:
    """The column values of a domain dataclass (enums as their values), plus ``extra``."""
    out: dict[str, Any] = {}
    for field in fields(record):
        value = getattr(record, field.name)
        out[field.name] = value.value if isinstance(value, Enum) else value
    out.update(extra)
    return out


def weekdays_text(flags: tuple[bool, ...]) -> str:
    """``(True, False, ...)`` → ``"10..."``, Monday first."""
    return "".join("1" if flag else "0" for flag in flags)


def weekdays_flags(text: str) -> tuple[bool, bool, bool, bool, bool, bool, bool]:
    """``"1010100"`` → the seven weekday flags, Monday first."""
    mon, tue, wed, thu, fri, sat, sun = (ch == "1" for ch in text)
    return (mon, tue, wed, thu, fri, sat, sun)


def service_values(service: Service, network_id: int) -> dict[str, Any]:
    """A service's column values."""
    classes = ";".join(sorted(c.value for c in service.cargo_classes))
    return values(service, network_id=network_id, cargo_classes=classes)


def calendar_values(rule: CalendarRule, network_id: int, ordinal: int) -> dict[str, Any]:
    """A calendar rule's column values."""
    return values(
        rule, network_id=network_id, ordinal=ordinal, weekdays=weekdays_text(rule.weekdays)
    )


def _mode(value: str | None) -> Mode | None:
    return None if value is None else Mode(value)


def place(row: PlaceRow) -> Place:
    """The domain place of a row."""
    return Place(
        place_id=row.place_id,
        name=row.name,
        kind=PlaceKind(row.kind),
        country=row.country,
        lat=row.lat,
        lon=row.lon,
        timezone=row.timezone,
        iata=row.iata,
        unlocode=row.unlocode,
        source=row.source,
    )


def service(row: ServiceRow) -> Service:
    """The domain service of a row."""
    return Service(
        service_id=row.service_id,
        mode=Mode(row.mode),
        operator=row.operator,
        vehicle=row.vehicle,
        capacity_kg=row.capacity_kg,
        capacity_m3=row.capacity_m3,
        price_per_kg=row.price_per_kg,
        min_charge=row.min_charge,
        currency=row.currency,
        cargo_classes=frozenset(CargoClass(c) for c in row.cargo_classes.split(";") if c),
        capacity_teu=row.capacity_teu,
        name=row.name,
        source=row.source,
    )


def stop(row: StopRow) -> Stop:
    """The domain stop of a row."""
    return Stop(
        row.service_id, row.seq, row.place_id, row.arrival_min, row.departure_min, row.distance_km
    )


def calendar(row: CalendarRow) -> CalendarRule:
    """The domain calendar rule of a row."""
    return CalendarRule(
        row.service_id,
        weekdays_flags(row.weekdays),
        row.start_time,
        row.valid_from,
        row.valid_to,
        row.source,
    )


def transfer(row: TransferRow) -> TransferRule:
    """The domain transfer rule of a row."""
    return TransferRule(
        row.place_id, row.min_minutes, _mode(row.from_mode), _mode(row.to_mode), row.source
    )


def link(row: LinkRow) -> Link:
    """The domain link of a row."""
    return Link(
        row.from_place,
        row.to_place,
        Mode(row.mode),
        row.duration_min,
        row.distance_km,
        row.price_per_kg,
        row.min_charge,
        row.currency,
        row.source,
    )
