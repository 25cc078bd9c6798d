"""``quote()``: the one-call way to ask for itineraries (expands departures, builds a router)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from silkhub.model import Departure, Network
from silkhub.network import expand_departures
from silkhub.routing.fx import check_currencies, default_fx_rates
from silkhub.routing.itinerary import Itinerary
from silkhub.routing.request import QuoteRequest
from silkhub.routing.router import Router

__all__ = ["quote", "quote_window"]


def quote_window(request: QuoteRequest) -> tuple[date, date]:
    """The local-date window of departures a request needs: ready − 1 day .. ready + horizon.

    The day before covers places whose local date is behind UTC's.
    """
    start = (request.ready - timedelta(days=1)).date()
    end = (request.ready + timedelta(days=request.horizon_days)).date()
    return start, end


def quote(
    network: Network,
    request: QuoteRequest,
    departures: Sequence[Departure] | None = None,
) -> list[Itinerary]:
    """The Pareto-optimal itineraries for ``request``, sorted by arrival.

    Without ``departures`` the window ``quote_window(request)`` is expanded from the network's
    calendars; pass departures to quote against reduced remaining capacity. To answer many
    requests over one network, build a ``Router`` once instead. A service or link in a
    currency without an exchange rate raises ``UnknownCurrencyError`` (a ``ValueError``).
    """
    check_currencies(network, default_fx_rates())
    if departures is None:
        start, end = quote_window(request)
        departures = expand_departures(network, start, end)
    return Router(network, departures).query(request)
