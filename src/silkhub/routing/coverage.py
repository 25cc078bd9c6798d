"""Which quotes the departures of a window of service dates can answer in full.

A store (the API's) holds the dated departures of the service dates ``start .. end`` only.
A quote needs every departure still under way at its ready time (a train that left Zhengzhou
weeks ago may call at Almaty after it) and every one that starts within its horizon. When
some of those fall outside the window, the router would answer a front that looks complete
but is not, so the caller refuses such a quote and says which ready times or horizons fit.

The figures are worked out once per network and window, per service: the local midnight of
the first day missing (in its first stop's zone, where service dates are counted) and the
length of its run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from silkhub.model import Network
from silkhub.routing.request import QuoteRequest

__all__ = ["WindowCover", "cover_problem", "window_cover"]

_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class WindowCover:
    """When a window's departures leave a quote short (all instants aware UTC).

    Before the window, departures start from ``missing_from`` and until its first local
    midnight; they may still be under way until ``earliest_ready``. After it, departures are
    missing from ``held_until`` on, and may be under way until ``missing_end``. ``None``
    where the timetable runs on no day outside the window, on that side.
    """

    start: date
    end: date
    missing_from: datetime | None = None
    earliest_ready: datetime | None = None
    held_until: datetime | None = None
    missing_end: datetime | None = None


def _midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(0), ZoneInfo(zone)).astimezone(UTC)


def window_cover(network: Network, start: date, end: date) -> WindowCover:
    """What the departures of service dates ``start .. end`` of ``network`` leave out."""
    missing_from: datetime | None = None
    earliest_ready: datetime | None = None
    held_until: datetime | None = None
    missing_end: datetime | None = None
    rules_of: dict[str, list[tuple[date, date]]] = {}
    for rule in network.calendars:
        rules_of.setdefault(rule.service_id, []).append((rule.valid_from, rule.valid_to))
    for service_id, valid in rules_of.items():
        stops = network.stops.get(service_id)
        if not stops:
            continue
        zone = network.places[stops[0].place_id].timezone
        run = timedelta(minutes=max(stop.arrival_min or 0 for stop in stops))
        first = min(lo for lo, _ in valid)
        last = max(hi for _, hi in valid)
        if first < start:  # runs of service dates first .. start − 1 are not held
            begin, until = _midnight(first, zone), _midnight(start, zone) + run
            missing_from = begin if missing_from is None else min(missing_from, begin)
            earliest_ready = until if earliest_ready is None else max(earliest_ready, until)
        if last > end:  # runs of service dates end + 1 .. last are not held
            begin, until = _midnight(end + _DAY, zone), _midnight(last + _DAY, zone) + run
            held_until = begin if held_until is None else min(held_until, begin)
            missing_end = until if missing_end is None else max(missing_end, until)
    return WindowCover(start, end, missing_from, earliest_ready, held_until, missing_end)


def cover_problem(cover: WindowCover, request: QuoteRequest) -> tuple[str, str] | None:
    """(field, reason) if ``request`` needs departures outside the window; ``None`` if not.

    The router boards departures starting up to ``horizon_days`` × 24 h after the exact
    ready time (``last_start``), and a departure matters only while it is under way.
    """
    ready = request.ready
    last_start = ready.replace(microsecond=0) + request.horizon_days * _DAY
    held = f"the store holds the departures of service dates {cover.start} .. {cover.end}"
    if (
        cover.missing_from is not None
        and cover.earliest_ready is not None
        and ready < cover.earliest_ready
        and cover.missing_from <= last_start
    ):
        return (
            "ready",
            f"is too early: {held}, and a quote also needs the trains still under way at "
            f"ready; ready must be {cover.earliest_ready.isoformat()} or later",
        )
    if (
        cover.held_until is not None
        and cover.missing_end is not None
        and last_start >= cover.held_until
        and ready < cover.missing_end
    ):
        days = (cover.held_until - ready.replace(microsecond=0)) / _DAY
        longest = math.ceil(days) - 1  # the most whole days with last_start < held_until
        if longest < 1:
            return ("ready", f"is too late: {held}")
        return (
            "horizon_days",
            f"reaches past the stored departures ({held}): at most {longest} for this ready time",
        )
    return None
