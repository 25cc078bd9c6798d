"""Closed vocabularies of the domain, kept as string enums so they read well in files and JSON."""

from enum import StrEnum


class Mode(StrEnum):
    """The transport mode of a service or link."""

    AIR = "air"
    RAIL = "rail"
    SEA = "sea"
    ROAD = "road"


class PlaceKind(StrEnum):
    """What a place is; it decides which modes may plausibly call there."""

    AIRPORT = "airport"
    RAIL_TERMINAL = "rail_terminal"
    SEAPORT = "seaport"
    ROAD_HUB = "road_hub"
    BORDER_CROSSING = "border_crossing"
    BONDED_ZONE = "bonded_zone"


class CargoClass(StrEnum):
    """Classes of cargo a service may restrict itself to."""

    GENERAL = "general"
    E_COMMERCE = "e-commerce"
    DANGEROUS_GOODS = "dangerous goods"
    TEMPERATURE_CONTROLLED = "temperature-controlled"
