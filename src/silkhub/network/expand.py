"""Weekly patterns → dated departures, with time zones and DST handled exactly.

A service's ``start_time`` is a wall-clock time at its first stop; the stop minutes then
count *elapsed* time from that instant. So the first stop's local time is fixed and every
later stop is an absolute offset (a 10-hour flight is 600 minutes even across a DST change).

Wall-clock times that do not exist (spring-forward gap) or exist twice (fall-back) follow
Python's ``fold=0`` rule: a time in the gap is read with the offset before the change, which
moves it forward by the gap (02:30 → 03:30 CEST); an ambiguous time is its first occurrence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from silkhub.model import CalendarRule, Departure, Network, Stop, StopTime, departure_id


def longest_run(network: Network) -> timedelta:
    """How long the network's longest service takes from its first stop to its last.

    A departure that started this long before a moment can still be under way at it: the
    reach back of a quote's window and of the store's departure window.
    """
    minutes = max(
        (stop.arrival_min or 0 for stops in network.stops.values() for stop in stops), default=0
    )
    return timedelta(minutes=minutes)


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name`` (cached: ZoneInfo construction reads tzdata)."""
    return ZoneInfo(name)


def local_start_utc(rule: CalendarRule, day: date, timezone: str) -> datetime:
    """The UTC instant a run of ``rule`` starting on local date ``day`` leaves its first stop."""
    local = datetime.combine(day, rule.start_time, tzinfo=zone(timezone))
    # Round-trip through UTC normalises a wall time that falls in a DST gap (fold=0 rule).
    return local.astimezone(UTC)


#: Per stop: place, arrival and departure as time after the first departure (None: no call).
_Pattern = tuple[tuple[str, timedelta | None, timedelta | None], ...]


def _pattern(stops: tuple[Stop, ...]) -> _Pattern:
    """A service's stops as offsets, built once per calendar rule rather than once per run."""

    def after(minutes: int | None) -> timedelta | None:
        return None if minutes is None else timedelta(minutes=minutes)

    return tuple((s.place_id, after(s.arrival_min), after(s.departure_min)) for s in stops)


def _stop_times(pattern: _Pattern, start: datetime) -> tuple[StopTime, ...]:
    return tuple(
        StopTime(
            place,
            None if arrive is None else start + arrive,
            None if leave is None else start + leave,
        )
        for place, arrive, leave in pattern
    )


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def expand_departures(
    network: Network,
    start: date,
    end: date,
    service_ids: Iterable[str] | None = None,
) -> list[Departure]:
    """Every dated departure whose first stop's *local* date lies in ``[start, end]``.

    Departures come sorted by their first departure time. Each starts with the service's
    full capacity on every leg; the capacity stage lowers it as cargo is booked.
    """
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    wanted = None if service_ids is None else set(service_ids)
    departures: list[Departure] = []
    for rule in network.calendars:
        if wanted is not None and rule.service_id not in wanted:
            continue
        service = network.services[rule.service_id]
        stops = network.stops[rule.service_id]
        pattern = _pattern(stops)
        timezone = network.places[stops[0].place_id].timezone
        legs = len(stops) - 1
        full_kg = (service.capacity_kg,) * legs
        full_m3 = (service.capacity_m3,) * legs
        for day in _days(max(start, rule.valid_from), min(end, rule.valid_to)):
            if not rule.weekdays[day.weekday()]:
                continue
            departures.append(
                Departure(
                    departure_id=departure_id(rule.service_id, day),
                    service_id=rule.service_id,
                    service_date=day,
                    stop_times=_stop_times(pattern, local_start_utc(rule, day, timezone)),
                    remaining_kg=full_kg,
                    remaining_m3=full_m3,
                )
            )
    departures.sort(key=lambda d: (d.first_departure, d.service_id))
    return departures
