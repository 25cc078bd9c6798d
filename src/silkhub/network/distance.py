"""Distances between places, per mode, for emissions (ISO 14083) and reporting.

- air: great-circle distance + 95 km, the GLEC Framework / EN 16258 correction for
  take-off, landing and routing (GLEC Framework v3, section on air transport distances);
- sea: the shortest sea route between the two ports, computed by the ``searoute`` package;
- rail and road: great-circle distance × a detour factor (network files should give
  ``distance_km`` on stops and links where the real distance is known; it always wins).
"""

from __future__ import annotations

import math
from functools import lru_cache

from silkhub.model import Mode, Place

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius
AIR_DISTANCE_ADDITION_KM = 95.0
#: Land detour factors: rail and road routes are longer than the great circle. The values are
#: assumptions (typical network circuity for long-haul corridors), overridden by real distances.
LAND_DETOUR = {Mode.RAIL: 1.25, Mode.ROAD: 1.2}


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine great-circle distance on the mean Earth sphere."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@lru_cache(maxsize=4096)
def sea_route_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Shortest sea-lane distance between two ports (searoute; cached, it takes milliseconds)."""
    import searoute  # imported lazily: it loads its marine network on first use

    route = searoute.searoute((lon1, lat1), (lon2, lat2), units="km")
    return float(route["properties"]["length"])


def leg_distance_km(mode: Mode, origin: Place, destination: Place) -> float:
    """The distance a leg of ``mode`` covers between two places, by the rules above."""
    gc = great_circle_km(origin.lat, origin.lon, destination.lat, destination.lon)
    if mode is Mode.AIR:
        return gc + AIR_DISTANCE_ADDITION_KM
    if mode is Mode.SEA:
        return sea_route_km(origin.lon, origin.lat, destination.lon, destination.lat)
    return gc * LAND_DETOUR[mode]
