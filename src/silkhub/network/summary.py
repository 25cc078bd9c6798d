"""A planner's summary of a network for one week: what runs, how often, with what capacity."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from silkhub.model import Mode, Network, PlaceKind
from silkhub.network.expand import expand_departures


@dataclass(frozen=True, slots=True)
class ServiceLine:
    """One service in the summary: its route and its runs in the week."""

    service_id: str
    mode: Mode
    operator: str
    vehicle: str
    route: tuple[str, ...]
    weekly_departures: int
    capacity_kg: float


@dataclass(frozen=True, slots=True)
class ChannelLine:
    """Totals of one mode (the hub's "channels": air, rail, sea, road) in the week."""

    mode: Mode
    services: int
    weekly_departures: int
    weekly_capacity_kg: float
    weekly_capacity_m3: float
    weekly_capacity_teu: int
    links: int


@dataclass(frozen=True, slots=True)
class NetworkSummary:
    """Counts and weekly capacity of a network for the week starting ``week_start`` (a Monday)."""

    name: str
    week_start: date
    places_by_kind: dict[PlaceKind, int]
    services: tuple[ServiceLine, ...]
    channels: tuple[ChannelLine, ...]

    @property
    def place_count(self) -> int:
        """All places."""
        return sum(self.places_by_kind.values())


def summarize(network: Network, week_of: date) -> NetworkSummary:
    """Summarise the week (Monday to Sunday) that contains ``week_of``.

    Capacity is counted once per departure (the first leg's), so a multi-stop service is not
    counted twice; departures are counted by the local date of their first stop.
    """
    monday = week_of - timedelta(days=week_of.weekday())
    departures = expand_departures(network, monday, monday + timedelta(days=6))
    runs = Counter(d.service_id for d in departures)
    service_lines = tuple(
        ServiceLine(
            service_id=s.service_id,
            mode=s.mode,
            operator=s.operator,
            vehicle=s.vehicle,
            route=tuple(stop.place_id for stop in network.stops[s.service_id]),
            weekly_departures=runs[s.service_id],
            capacity_kg=s.capacity_kg,
        )
        for s in sorted(network.services.values(), key=lambda s: (s.mode, s.service_id))
    )
    channels = []
    for mode in Mode:
        services = [s for s in network.services.values() if s.mode is mode]
        channels.append(
            ChannelLine(
                mode=mode,
                services=len(services),
                weekly_departures=sum(runs[s.service_id] for s in services),
                weekly_capacity_kg=sum(runs[s.service_id] * s.capacity_kg for s in services),
                weekly_capacity_m3=sum(runs[s.service_id] * s.capacity_m3 for s in services),
                weekly_capacity_teu=sum(
                    runs[s.service_id] * (s.capacity_teu or 0) for s in services
                ),
                links=sum(1 for link in network.links if link.mode is mode),
            )
        )
    kinds = Counter(p.kind for p in network.places.values())
    return NetworkSummary(
        name=network.name,
        week_start=monday,
        places_by_kind={kind: kinds[kind] for kind in PlaceKind if kinds[kind]},
        services=service_lines,
        channels=tuple(channels),
    )
