"""Distances per mode: great circle (+95 km for air), sea lanes, land detours."""

from __future__ import annotations

import pytest

from silkhub.model import Mode, Network
from silkhub.network import great_circle_km, leg_distance_km


def test_great_circle_of_a_known_pair() -> None:
    """One degree of latitude along a meridian is about 111.2 km."""
    assert great_circle_km(0.0, 0.0, 1.0, 0.0) == pytest.approx(111.19, abs=0.01)


def test_great_circle_is_symmetric_and_zero_on_itself() -> None:
    """Distance does not depend on direction; a place is 0 km from itself."""
    assert great_circle_km(34.5, 113.8, 40.5, -3.6) == pytest.approx(
        great_circle_km(40.5, -3.6, 34.5, 113.8)
    )
    assert great_circle_km(34.5, 113.8, 34.5, 113.8) == 0.0


def test_air_adds_95_km_to_the_great_circle(tiny_hub: Network) -> None:
    """Air legs follow the GLEC rule: great circle + 95 km."""
    cgo, mad = tiny_hub.places["CGO"], tiny_hub.places["MAD"]
    gc = great_circle_km(cgo.lat, cgo.lon, mad.lat, mad.lon)
    assert 9400 < gc < 9600  # Zhengzhou–Madrid is about 9,500 km
    assert leg_distance_km(Mode.AIR, cgo, mad) == pytest.approx(gc + 95)


def test_land_legs_are_longer_than_the_great_circle(tiny_hub: Network) -> None:
    """Rail and road apply a detour factor above 1."""
    yiw, cgo = tiny_hub.places["YIW"], tiny_hub.places["CGO"]
    gc = great_circle_km(yiw.lat, yiw.lon, cgo.lat, cgo.lon)
    assert leg_distance_km(Mode.ROAD, yiw, cgo) > gc
    assert leg_distance_km(Mode.RAIL, yiw, cgo) > gc
