"""Networks: load and validate the folder format, export it, expand calendars, measure distances.

The format is documented in docs/network-format.md. Loading collects every problem (file,
line, column, reason) instead of stopping at the first, because a planner fixing a hand-made
network wants the whole list at once.
"""

from silkhub.network.default import DEFAULT_NETWORK_NAME, default_network, default_network_path
from silkhub.network.distance import (
    AIR_DISTANCE_ADDITION_KM,
    great_circle_km,
    leg_distance_km,
    sea_route_km,
)
from silkhub.network.expand import expand_departures, local_start_utc, longest_run, zone
from silkhub.network.exporter import write_network
from silkhub.network.loader import load_network, read_network
from silkhub.network.problems import NetworkInvalidError, Problem
from silkhub.network.summary import NetworkSummary, summarize

__all__ = [
    "AIR_DISTANCE_ADDITION_KM",
    "DEFAULT_NETWORK_NAME",
    "NetworkInvalidError",
    "NetworkSummary",
    "Problem",
    "default_network",
    "default_network_path",
    "expand_departures",
    "great_circle_km",
    "leg_distance_km",
    "load_network",
    "local_start_utc",
    "longest_run",
    "read_network",
    "sea_route_km",
    "summarize",
    "write_network",
    "zone",
]
