"""The tables: tenants and keys, the imported network, dated departures with capacity, quotes.

The network tables hold every field of ``silkhub.model.Network`` (order included, through
``ordinal`` columns), so the network read back from the store equals the one imported. Each
dated departure has one row per leg with the capacity still for sale; a CHECK constraint
keeps it from going below zero whatever code runs, and ``silkhub.store.reserve_capacity`` is
the only code that lowers it.

Tenant-owned rows (quotes today; shipments, bookings, declarations later) carry ``org_id``
through the ``TenantOwned`` mixin, and are read only through ``silkhub.store.tenant``.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Double,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from silkhub.store.types import DecimalText, UtcDateTime

__all__ = [
    "ApiKeyRow",
    "Base",
    "CalendarRow",
    "DepartureLegRow",
    "DepartureRow",
    "LinkRow",
    "NetworkRow",
    "OrganisationRow",
    "PlaceRow",
    "QuoteRow",
    "ServiceRow",
    "StopRow",
    "TenantOwned",
    "TransferRow",
]

#: Stable constraint names, so Alembic migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The declarative base of every silkhub table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# --- tenants and keys -------------------------------------------------------------------


class OrganisationRow(Base):
    """A tenant: every tenant-owned row belongs to exactly one organisation."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ApiKeyRow(Base):
    """An API key: only its SHA-256 hash is kept; ``prefix`` finds the row without the secret."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class TenantOwned:
    """Mixin for rows that belong to one organisation (read them through ``store.tenant``).

    Tenant-owned objects get a random public id (``quo_…``): sequential ids would let a
    caller count another tenant's objects even when it cannot read them.
    """

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    @declared_attr
    def org_id(cls) -> Mapped[int]:  # noqa: N805 - SQLAlchemy passes the class
        """The owning organisation."""
        return mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)


# --- the network --------------------------------------------------------------------------


class NetworkRow(Base):
    """An imported network; the store serves the latest one (the highest id).

    ``capacity_version`` goes up with every capacity change, so a process that caches a
    compiled timetable knows, with one cheap read, whether its copy is still current.
    """

    __tablename__ = "networks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime)
    window_start: Mapped[date] = mapped_column(Date)
    window_end: Mapped[date] = mapped_column(Date)
    capacity_version: Mapped[int] = mapped_column(Integer, default=0)


def _network_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("networks.id", ondelete="CASCADE"), primary_key=True)


class PlaceRow(Base):
    """A place of a network (``silkhub.model.Place``)."""

    __tablename__ = "places"

    network_id: Mapped[int] = _network_fk()
    place_id: Mapped[str] = mapped_column(String, primary_key=True)
    name: Mapped[str] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String(32))
    country: Mapped[str] = mapped_column(String(2))
    lat: Mapped[float] = mapped_column(Double)
    lon: Mapped[float] = mapped_column(Double)
    timezone: Mapped[str] = mapped_column(String(64))
    iata: Mapped[str] = mapped_column(String(3))
    unlocode: Mapped[str] = mapped_column(String(5))
    source: Mapped[str] = mapped_column(String)


class ServiceRow(Base):
    """A scheduled service (``silkhub.model.Service``); cargo classes are ``;``-joined."""

    __tablename__ = "services"

    network_id: Mapped[int] = _network_fk()
    service_id: Mapped[str] = mapped_column(String, primary_key=True)
    mode: Mapped[str] = mapped_column(String(8))
    operator: Mapped[str] = mapped_column(String)
    vehicle: Mapped[str] = mapped_column(String)
    capacity_kg: Mapped[float] = mapped_column(Double)
    capacity_m3: Mapped[float] = mapped_column(Double)
    price_per_kg: Mapped[Decimal] = mapped_column(DecimalText)
    min_charge: Mapped[Decimal] = mapped_column(DecimalText)
    currency: Mapped[str] = mapped_column(String(3))
    cargo_classes: Mapped[str] = mapped_column(String)
    capacity_teu: Mapped[int | None] = mapped_column(Integer, nullable=True)
    name: Mapped[str] = mapped_column(String)
    source: Mapped[str] = mapped_column(String)


class StopRow(Base):
    """A call of a service at a place (``silkhub.model.Stop``)."""

    __tablename__ = "stops"
    __table_args__ = (
        ForeignKeyConstraint(
            ["network_id", "service_id"],
            ["services.network_id", "services.service_id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["network_id", "place_id"],
            ["places.network_id", "places.place_id"],
            ondelete="CASCADE",
        ),
    )

    network_id: Mapped[int] = _network_fk()
    service_id: Mapped[str] = mapped_column(String, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[str] = mapped_column(String)
    arrival_min: Mapped[int | None] = mapped_column(Integer, nullable=True)
    departure_min: Mapped[int | None] = mapped_column(Integer, nullable=True)
    distance_km: Mapped[float | None] = mapped_column(Double, nullable=True)


class CalendarRow(Base):
    """A weekly pattern (``silkhub.model.CalendarRule``); ``ordinal`` keeps the file order."""

    __tablename__ = "calendars"

    network_id: Mapped[int] = _network_fk()
    ordinal: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(String)
    weekdays: Mapped[str] = mapped_column(String(7))
    start_time: Mapped[time] = mapped_column(Time)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String)


class TransferRow(Base):
    """A minimum transfer time (``silkhub.model.TransferRule``)."""

    __tablename__ = "transfers"

    network_id: Mapped[int] = _network_fk()
    ordinal: Mapped[int] = mapped_column(Integer, primary_key=True)
    place_id: Mapped[str] = mapped_column(String)
    min_minutes: Mapped[int] = mapped_column(Integer)
    from_mode: Mapped[str | None] = mapped_column(String(8), nullable=True)
    to_mode: Mapped[str | None] = mapped_column(String(8), nullable=True)
    source: Mapped[str] = mapped_column(String)


class LinkRow(Base):
    """An unscheduled link (``silkhub.model.Link``)."""

    __tablename__ = "links"

    network_id: Mapped[int] = _network_fk()
    ordinal: Mapped[int] = mapped_column(Integer, primary_key=True)
    from_place: Mapped[str] = mapped_column(String)
    to_place: Mapped[str] = mapped_column(String)
    mode: Mapped[str] = mapped_column(String(8))
    duration_min: Mapped[int] = mapped_column(Integer)
    distance_km: Mapped[float] = mapped_column(Double)
    price_per_kg: Mapped[Decimal] = mapped_column(DecimalText)
    min_charge: Mapped[Decimal] = mapped_column(DecimalText)
    currency: Mapped[str] = mapped_column(String(3))
    source: Mapped[str] = mapped_column(String)


# --- dated departures and their capacity -------------------------------------------------


class DepartureRow(Base):
    """One dated run of a service (``silkhub.model.Departure`` without its legs)."""

    __tablename__ = "departures"
    __table_args__ = (
        UniqueConstraint("network_id", "departure_id"),
        Index(None, "network_id", "first_departure"),
        Index(None, "network_id", "service_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    departure_id: Mapped[str] = mapped_column(String)
    service_id: Mapped[str] = mapped_column(String)
    service_date: Mapped[date] = mapped_column(Date)
    first_departure: Mapped[datetime] = mapped_column(UtcDateTime)
    last_arrival: Mapped[datetime] = mapped_column(UtcDateTime)


class DepartureLegRow(Base):
    """Leg ``seq`` of a dated departure (stop ``seq`` to ``seq + 1``) and its remaining capacity."""

    __tablename__ = "departure_legs"
    __table_args__ = (
        CheckConstraint("remaining_kg >= 0", name="remaining_kg_not_negative"),
        CheckConstraint("remaining_m3 >= 0", name="remaining_m3_not_negative"),
        # (place, departure) so "does this run call at X" is one index probe per departure
        Index(None, "from_place", "departure_pk"),
        Index(None, "to_place", "departure_pk"),
    )

    departure_pk: Mapped[int] = mapped_column(
        ForeignKey("departures.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    from_place: Mapped[str] = mapped_column(String)
    to_place: Mapped[str] = mapped_column(String)
    departs_at: Mapped[datetime] = mapped_column(UtcDateTime)
    arrives_at: Mapped[datetime] = mapped_column(UtcDateTime)
    capacity_kg: Mapped[float] = mapped_column(Double)
    capacity_m3: Mapped[float] = mapped_column(Double)
    remaining_kg: Mapped[float] = mapped_column(Double)
    remaining_m3: Mapped[float] = mapped_column(Double)


# --- tenant-owned objects -----------------------------------------------------------------


class QuoteRow(TenantOwned, Base):
    """A quote a tenant asked for: the request and the itineraries answered, kept as JSON."""

    __tablename__ = "quotes"

    network_id: Mapped[int | None] = mapped_column(
        ForeignKey("networks.id", ondelete="SET NULL"), nullable=True
    )
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    answer: Mapped[dict[str, Any]] = mapped_column(JSON)
