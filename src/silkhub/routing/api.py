"""``quote()``: the one-call way to ask for itineraries (expands departures, builds a router)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from silkhub.model import Departure, Network
from silkhub.network import expand_departures, longest_run
from silkhub.routing.fx import check_currencies, default_fx_rates
from silkhub.routing.itinerary import Itinerary
from silkhub.routing.request import QuoteRequest
from silkhub.routing.router import Router

__all__ = ["quote", "quote_window"]


def quote_window(network: Network, request: QuoteRequest) -> tuple[date, date]:
    """The local-date window of departures a request needs.

    From ready − the longest run − 1 day to ready + horizon + 1 day. A departure that started
    before ready can still call at the origin after it (a train that left Zhengzhou days ago
    passes Almaty today), so the window reaches back by the longest run of any service. The
    router boards only departures that start within the horizon (``horizon_days`` × 24 h after
    ready); the day added at each end covers places whose local date differs from the ready
    time's.
    """
    start = (request.ready - longest_run(network) - timedelta(days=1)).date()
    end = (request.ready + timedelta(days=request.horizon_days + 1)).date()
    return start, end


def quote(
    network: Network,
    request: QuoteRequest,
    departures: Sequence[Departure] | None = None,
    *,
    progress: Callable[[str], None] | None = None,
) -> list[Itinerary]:
    """The Pareto-optimal itineraries for ``request``, sorted by arrival.

    Without ``departures`` the window ``quote_window(network, request)`` is expanded from the
    network's calendars; pass departures to quote against reduced remaining capacity. To answer many
    requests over one network, build a ``Router`` once instead. A service or link in a
    currency without an exchange rate raises ``UnknownCurrencyError`` (a ``ValueError``).
    ``progress``, if given, is told what is being done before each step: on a world-scale
    network, expanding and compiling a 45-day window takes tens of seconds.
    """
    say = progress if progress is not None else _quiet
    check_currencies(network, default_fx_rates())
    if departures is None:
        start, end = quote_window(network, request)
        say(f"expanding the departures of {start} .. {end}")
        departures = expand_departures(network, start, end)
    say(f"compiling {len(departures):,} departures")
    router = Router(network, departures)
    say("searching")
    return router.query(request)


def _quiet(_: str) -> None:
    """The progress callback of a caller that wants none."""
