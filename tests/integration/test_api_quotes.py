"""Quotes over the API: computed on the store's capacity, stored, read back."""

from __future__ import annotations

from datetime import date, datetime

from apihub import QUOTE_BODY, Hub
from silkhub.model import Network
from silkhub.network import expand_departures
from silkhub.routing import QuoteRequest, quote
from silkhub.store import DepartureRepository, NetworkRepository, Role, reserve_capacity


def test_quote_is_created_stored_and_read_back(hub: Hub, tiny_hub: Network) -> None:
    """POST answers 201 with the Pareto itineraries the router finds; GET returns the same."""
    created = hub.post("/v1/quotes", QUOTE_BODY, role=Role.SHIPPER)
    assert created.status_code == 201, created.text
    doc = created.json()
    assert created.headers["location"] == f"/v1/quotes/{doc['id']}"
    request = QuoteRequest(
        origin="CGO",
        destination="OSL",
        ready=datetime.fromisoformat(str(QUOTE_BODY["ready"])),
        weight_kg=500,
        volume_m3=2.5,
    )
    expected = quote(
        tiny_hub, request, expand_departures(tiny_hub, date(2025, 1, 1), date(2025, 6, 30))
    )
    assert [it["price"]["amount"] for it in doc["itineraries"]] == [
        str(it.price.amount) for it in expected
    ]
    first_leg = doc["itineraries"][0]["legs"][0]
    assert first_leg["departure_id"] == expected[0].legs[0].departure_id
    assert doc["request"]["ready"] == "2025-03-03T08:00:00+08:00"
    assert doc["departures_window"] == {"start": "2025-01-01", "end": "2025-06-30"}
    again = hub.get(f"/v1/quotes/{doc['id']}", role=Role.SHIPPER)
    assert again.json() == doc
    listed = hub.get("/v1/quotes", role=Role.FORWARDER).json()
    assert [q["id"] for q in listed["items"]] == [doc["id"]]


def test_ready_without_offset_is_local_time_at_the_origin(hub: Hub) -> None:
    """A naive ready time is read in the origin's zone, as the CLI does."""
    body = {**QUOTE_BODY, "ready": "2025-03-03T08:00:00"}
    doc = hub.post("/v1/quotes", body).json()
    assert doc["request"]["ready"] == "2025-03-03T08:00:00+08:00"


def test_horizon_days_limits_the_departures_searched(hub: Hub) -> None:
    """Only departures that start within horizon_days × 24 h of ready are used, as in the CLI."""
    wide = hub.post("/v1/quotes", QUOTE_BODY).json()["itineraries"]
    assert [it["departure"] for it in wide] == ["2025-03-04T09:30:00+08:00"]  # ready + 25.5 h
    narrow = hub.post("/v1/quotes", {**QUOTE_BODY, "horizon_days": 1})
    assert narrow.status_code == 201, narrow.text
    assert narrow.json()["itineraries"] == []
    assert hub.post("/v1/quotes", {**QUOTE_BODY, "horizon_days": 2}).json()["itineraries"] == wide


def test_quotes_see_capacity_changes_at_once(hub: Hub) -> None:
    """Once a departure is sold out, the next quote avoids it (the router cache is refreshed)."""
    before = hub.post("/v1/quotes", {**QUOTE_BODY, "modes": ["air"]}).json()
    first = before["itineraries"][0]["legs"][0]["departure_id"]
    with hub.store.session() as session:
        version = NetworkRepository(session).version()
        assert version is not None
        repo = DepartureRepository(session, version[0])
        record = repo.get(first)
        pk = repo.pk(first)
    assert record is not None
    assert pk is not None
    with hub.store.write() as session:
        legs = len(record.departure.remaining_kg)
        assert reserve_capacity(session, pk, 0, legs, min(record.departure.remaining_kg), 0.0)
    after = hub.post("/v1/quotes", {**QUOTE_BODY, "modes": ["air"]}).json()
    ridden = {leg["departure_id"] for it in after["itineraries"] for leg in it["legs"]}
    assert first not in ridden
    assert after["itineraries"]


def test_quote_outside_the_window_finds_nothing(hub: Hub) -> None:
    """A ready time after the stored departures answers no itineraries (and says the window)."""
    doc = hub.post("/v1/quotes", {**QUOTE_BODY, "ready": "2027-01-01T00:00:00Z"}).json()
    assert doc["itineraries"] == []
    assert doc["departures_window"]["end"] == "2025-06-30"


def test_naive_times_are_bounded_in_their_places_zone(hub: Hub) -> None:
    """A naive latest arrival is local at the destination, also against the 2000..2100 bounds.

    2100-01-01T00:30 in Oslo (+01:00) is 2099-12-31T23:30Z, inside the bounds; read as UTC it
    would be outside. A naive ready time just before 2000 at CGO is still refused.
    """
    late = hub.post("/v1/quotes", {**QUOTE_BODY, "latest_arrival": "2100-01-01T00:30:00"})
    assert late.status_code == 201, late.text
    assert late.json()["request"]["latest_arrival"] == "2100-01-01T00:30:00+01:00"
    early = hub.post("/v1/quotes", {**QUOTE_BODY, "ready": "2000-01-01T07:59:00"})
    assert early.status_code == 422
    assert "body.ready" in early.text
