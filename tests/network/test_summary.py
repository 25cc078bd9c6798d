"""The weekly summary behind `silkhub network show`."""

from __future__ import annotations

from datetime import date

from silkhub.model import Mode, Network, PlaceKind
from silkhub.network import summarize


def test_weekly_departures_and_capacity_per_channel(tiny_hub: Network) -> None:
    """In the week of 3 Mar 2025 the Madrid freighter runs twice and the Oslo one six times."""
    summary = summarize(tiny_hub, date(2025, 3, 5))
    assert summary.week_start == date(2025, 3, 3)
    runs = {s.service_id: s.weekly_departures for s in summary.services}
    assert runs == {"1Z101": 2, "JD451": 6}
    air = next(c for c in summary.channels if c.mode is Mode.AIR)
    assert air.weekly_departures == 8
    assert air.weekly_capacity_kg == 2 * 110_000 + 6 * 60_000
    road = next(c for c in summary.channels if c.mode is Mode.ROAD)
    assert (road.services, road.links) == (0, 1)
    assert summary.places_by_kind == {PlaceKind.AIRPORT: 4, PlaceKind.ROAD_HUB: 1}


def test_outside_validity_nothing_runs(tiny_hub: Network) -> None:
    """A week before any calendar starts has no departures."""
    summary = summarize(tiny_hub, date(2024, 6, 1))
    assert all(c.weekly_departures == 0 for c in summary.channels)
