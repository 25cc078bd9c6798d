"""The API renders itineraries exactly as ``silkhub quote --json`` prints them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from silkhub.api.quotes import ItineraryOut
from silkhub.network import default_network
from silkhub.routing import QuoteRequest, itinerary_json, quote


def test_a_zero_offset_keeps_the_clis_form() -> None:
    """East Midlands (Europe/London, +00:00 in winter): not rewritten as ``Z``."""
    network = default_network()
    ready = datetime(2026, 12, 1, 8, tzinfo=timezone(timedelta(hours=8)))
    (first, *_) = quote(network, QuoteRequest("CGO", "EMA", ready, 100.0))
    printed = itinerary_json(network, first, departure_ids=True)
    assert printed["arrival"].endswith("+00:00")
    served = ItineraryOut.model_validate(printed).model_dump(mode="json", by_alias=True)
    assert served == printed
