"""Quotes the stored departures cannot answer in full are refused, naming what to change."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from apihub import QUOTE_BODY, Hub, hub_settings, seed_hub
from silkhub.api import create_app
from silkhub.model import Network
from silkhub.network import expand_departures
from silkhub.routing import QuoteRequest, quote
from silkhub.store import open_store


def _problem_fields(response: object) -> dict[str, str]:
    doc = response.json()  # type: ignore[attr-defined]
    return {e["field"]: e["reason"] for e in doc["errors"]}


def test_a_horizon_past_the_stored_departures_is_refused(hub: Hub, tiny_hub: Network) -> None:
    """The tiny hub's timetable runs to 2025-12-31 but the store holds 2025-01-01 .. 06-30.

    Ready on 06-20T00:00Z with the default 45 days would search departures the store lacks:
    the first missing one starts on 07-01 at CGO, 06-30T16:00Z. The answer names the longest
    horizon that fits, 10 days (to 06-30T00:00Z), and that one is answered in full.
    """
    late = {**QUOTE_BODY, "ready": "2025-06-20T08:00:00+08:00"}
    refused = hub.post("/v1/quotes", late)
    assert refused.status_code == 422, refused.text
    assert "at most 10 for this ready time" in _problem_fields(refused)["body.horizon_days"]
    fits = hub.post("/v1/quotes", {**late, "horizon_days": 10})
    assert fits.status_code == 201, fits.text
    request = QuoteRequest(
        "CGO", "OSL", datetime.fromisoformat(late["ready"]), 500, 2.5, horizon_days=10
    )
    everything = expand_departures(tiny_hub, date(2025, 1, 1), date(2025, 12, 31))
    assert [it["price"]["amount"] for it in fits.json()["itineraries"]] == [
        str(it.price.amount) for it in quote(tiny_hub, request, everything)
    ]
    assert hub.post("/v1/quotes", {**late, "horizon_days": 11}).status_code == 422
    one_day = hub.post(
        "/v1/quotes", {**QUOTE_BODY, "ready": "2025-06-29T08:00:00Z", "horizon_days": 1}
    )
    assert one_day.status_code == 201, one_day.text


def test_a_ready_time_after_the_stored_departures_is_refused(hub: Hub) -> None:
    """Ready on 06-30T08:00Z, 8 hours before the first missing departure: nothing fits."""
    refused = hub.post("/v1/quotes", {**QUOTE_BODY, "ready": "2025-06-30T08:00:00Z"})
    assert refused.status_code == 422, refused.text
    assert "too late" in _problem_fields(refused)["body.ready"]


@pytest.fixture
def march_hub(tiny_hub: Network, tmp_path: Path) -> Iterator[Hub]:
    """The tiny hub with only the departures from 2025-03-01 on stored."""
    settings = hub_settings(f"sqlite:///{tmp_path / 'march.db'}").model_copy(
        update={"window_start": date(2025, 3, 1)}
    )
    store = open_store(settings)
    seed_hub(store, tiny_hub, settings)
    with TestClient(create_app(settings, store=store)) as client:
        yield Hub(client, store, "sqlite")


def test_a_ready_time_too_early_for_trains_under_way_is_refused(march_hub: Hub) -> None:
    """Trains that started before 03-01 are not stored: ready must be after they are all in.

    The last of them starts before midnight at CGO (02-28T16:00Z) and runs 15 h at most, so
    ready must be 2025-03-01T07:00Z or later; a ready time before the timetable starts, with
    a horizon that ends before it too, needs nothing and finds nothing.
    """
    early = march_hub.post("/v1/quotes", {**QUOTE_BODY, "ready": "2025-03-01T06:59:00Z"})
    assert early.status_code == 422, early.text
    assert "2025-03-01T07:00:00+00:00 or later" in _problem_fields(early)["body.ready"]
    fits = march_hub.post("/v1/quotes", {**QUOTE_BODY, "ready": "2025-03-01T07:00:00Z"})
    assert fits.status_code == 201, fits.text
    before = {**QUOTE_BODY, "ready": "2024-12-01T00:00:00Z", "horizon_days": 10}
    nothing = march_hub.post("/v1/quotes", before)
    assert nothing.status_code == 201, nothing.text
    assert nothing.json()["itineraries"] == []
