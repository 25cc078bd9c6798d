"""Places, services and departures over the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from apihub import Hub
from silkhub.store import Role


def test_places_list_and_one(hub: Hub) -> None:
    """The tiny hub's five places are listed by id; one place reads back in full."""
    page = hub.get("/v1/places", role=Role.SHIPPER).json()
    assert page["total"] == 5
    assert [p["place_id"] for p in page["items"]] == ["CGO", "KGF", "MAD", "OSL", "YIW"]
    osl = hub.get("/v1/places/OSL", role=Role.SHIPPER).json()
    assert osl["timezone"] == "Europe/Oslo"
    assert osl["kind"] == "airport"


def test_services_with_stops_and_calendar(hub: Hub) -> None:
    """A service shows its route, exact money, stops and calendar rows."""
    services = hub.get("/v1/services?mode=air", role=Role.FORWARDER).json()
    assert [s["service_id"] for s in services["items"]] == ["1Z101", "JD451"]
    jd = hub.get("/v1/services/JD451", role=Role.FORWARDER).json()
    assert jd["route"] == ["CGO", "KGF", "OSL"]
    assert [s["seq"] for s in jd["stops"]] == [1, 2, 3]
    assert [c["weekdays"] for c in jd["calendars"]] == ["0101010", "1010100"]
    madrid = hub.get("/v1/services/1Z101", role=Role.FORWARDER).json()
    assert madrid["price_per_kg"] == "32.50"


def test_departures_filter_and_paginate_with_next_links(hub: Hub) -> None:
    """Following `next` walks every matching departure once, in order."""
    url: str | None = (
        "/v1/departures?origin=CGO&destination=OSL&from=2025-03-01&to=2025-03-31&limit=5"
    )
    seen: list[str] = []
    total = None
    while url is not None:
        page = hub.get(url, role=Role.PLANNER).json()
        total = page["total"]
        seen += [d["departure_id"] for d in page["items"]]
        url = page["next"]
    assert total == len(seen) == len(set(seen))
    assert all(d.startswith("JD451@2025-03-") for d in seen)
    assert total == 26  # JD451 runs Monday to Saturday: 31 days less 5 Sundays


def test_departure_shows_capacity_per_leg(hub: Hub) -> None:
    """A departure lists its stop times in UTC and the capacity left on each leg."""
    dep = hub.get("/v1/departures/JD451@2025-03-04", role=Role.TERMINAL_OPERATOR).json()
    assert [s["place_id"] for s in dep["stops"]] == ["CGO", "KGF", "OSL"]
    assert dep["departure"].endswith("Z")
    assert [(leg["from_place"], leg["to_place"]) for leg in dep["legs"]] == [
        ("CGO", "KGF"),
        ("KGF", "OSL"),
    ]
    assert all(leg["remaining_kg"] == leg["capacity_kg"] == 60_000.0 for leg in dep["legs"])


def test_departure_ids_take_a_service_id_of_up_to_100_characters(hub: Hub) -> None:
    """A 100-character service id with its date is looked up (404 when unknown), not refused.

    The network format allows service ids of 100 characters; a departure's id adds 11.
    """
    unknown = hub.get(f"/v1/departures/{'S' * 100}@2025-03-04", role=Role.TERMINAL_OPERATOR)
    assert unknown.status_code == 404, unknown.text
    bad = hub.get(f"/v1/departures/{'S' * 101}@2025-03-04", role=Role.TERMINAL_OPERATOR)
    assert bad.status_code == 422


def test_mode_and_date_filters(hub: Hub) -> None:
    """No rail departures in the tiny hub; one week holds eight air departures."""
    assert hub.get("/v1/departures?mode=rail").json()["total"] == 0
    week = hub.get("/v1/departures?from=2025-03-03&to=2025-03-09&limit=500").json()
    assert week["total"] == 8
    assert week["next"] is None


def test_date_filters_take_iso_dates_only(hub: Hub) -> None:
    """Unix seconds or a date-time (whose offset would be dropped) are not taken for a date."""
    for bad in ("1740787200", "2025-03-03T00:00:00+08:00"):
        response = hub.get(f"/v1/departures?from={bad}")
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "query.from"
    assert hub.get("/v1/departures?from=2025-03-03").status_code == 200


def test_a_calendar_start_time_fits_its_declared_schema(hub: Hub) -> None:
    """A local time without offset, declared as a pattern, not as JSON Schema's "time".

    The "time" format is RFC 3339's full-time, which needs an offset: "21:00:00" broke the
    document's own schema for every service.
    """
    schema = hub.client.get("/openapi.json").json()["components"]["schemas"]["CalendarOut"]
    declared = schema["properties"]["start_time"]
    assert "format" not in declared
    jd = hub.get("/v1/services/JD451", role=Role.FORWARDER).json()
    for calendar in jd["calendars"]:
        assert re.fullmatch(declared["pattern"], calendar["start_time"]), calendar
