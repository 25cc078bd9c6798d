"""Domain types only: places, services, stops, calendars, departures, money and units. No I/O."""

from silkhub.model.departures import Departure, StopTime, departure_id
from silkhub.model.enums import CargoClass, Mode, PlaceKind
from silkhub.model.money import Money, round_cents
from silkhub.model.network import (
    MAX_MIN_CHARGE,
    MAX_PRICE_PER_KG,
    MIN_CHARGE_DECIMALS,
    PRICE_PER_KG_DECIMALS,
    WEEKDAY_NAMES,
    CalendarRule,
    Link,
    Network,
    Place,
    Service,
    Stop,
    TransferRule,
)
from silkhub.model.units import AIR_VOLUMETRIC_KG_PER_M3, chargeable_kg

__all__ = [
    "AIR_VOLUMETRIC_KG_PER_M3",
    "MAX_MIN_CHARGE",
    "MAX_PRICE_PER_KG",
    "MIN_CHARGE_DECIMALS",
    "PRICE_PER_KG_DECIMALS",
    "WEEKDAY_NAMES",
    "CalendarRule",
    "CargoClass",
    "Departure",
    "Link",
    "Mode",
    "Money",
    "Network",
    "Place",
    "PlaceKind",
    "Service",
    "Stop",
    "StopTime",
    "TransferRule",
    "chargeable_kg",
    "departure_id",
    "round_cents",
]
