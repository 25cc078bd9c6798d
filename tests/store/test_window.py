"""Which service dates are stored on import (the departure window)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from silkhub.model import CalendarRule, Network, Place, PlaceKind, Stop
from silkhub.routing import QuoteRequest, cover_problem, window_cover
from silkhub.store import departure_window

TODAY = date(2026, 11, 23)


def _network(valid_from: date, valid_to: date) -> Network:
    rule = CalendarRule("S1", (True,) * 7, time(8, 0), valid_from, valid_to)
    return Network(places={}, services={}, stops={}, calendars=(rule,))


@pytest.mark.parametrize(
    ("valid", "expected"),
    [
        # a long timetable: the rolling window, today − 30 − 2 .. today + 180 (services of no
        # length: the reach back is the 26 hours the time zones span, in whole days)
        ((date(2024, 1, 1), date(2030, 1, 1)), (date(2026, 10, 22), date(2027, 5, 22))),
        # a timetable ending soon: cut to its last day
        ((date(2024, 1, 1), date(2026, 12, 31)), (date(2026, 10, 22), date(2026, 12, 31))),
        # a timetable starting later: from its first day
        ((date(2027, 1, 1), date(2030, 1, 1)), (date(2027, 1, 1), date(2027, 5, 22))),
        # wholly in the past: from its first day over a window of the same length
        ((date(2025, 1, 1), date(2025, 6, 30)), (date(2025, 1, 1), date(2025, 6, 30))),
        ((date(2020, 1, 1), date(2022, 1, 1)), (date(2020, 1, 1), date(2020, 7, 29))),
    ],
)
def test_rolling_window_is_cut_to_the_timetable(
    valid: tuple[date, date], expected: tuple[date, date]
) -> None:
    """The default window is the rolling one cut to the timetable, or its start if disjoint."""
    assert departure_window(_network(*valid), TODAY) == expected


def test_explicit_bounds_win() -> None:
    """Fixed start and end are kept as given, whatever the timetable says."""
    network = _network(date(2024, 1, 1), date(2030, 1, 1))
    assert departure_window(network, TODAY, start=date(2025, 3, 1), end=date(2025, 3, 31)) == (
        date(2025, 3, 1),
        date(2025, 3, 31),
    )


def test_network_without_calendars_gets_the_rolling_window() -> None:
    """With nothing to cut to, the rolling window stands."""
    empty = Network(places={}, services={}, stops={})
    assert departure_window(empty, TODAY, 1, 2) == (date(2026, 11, 20), date(2026, 11, 25))


def test_window_reaches_back_by_the_longest_run_and_the_zones() -> None:
    """A train under way for 41 days 1 hour must be stored: 41 d 1 h + 26 h = 43 days more back.

    The store then answers in full a quote ready at today − 30 days at local midnight in the
    earliest zone (UTC+14), for a train counted in the latest (UTC−12).
    """
    rule = CalendarRule("S1", (True,) * 7, time(8, 0), date(2024, 1, 1), date(2030, 1, 1))
    stops = (
        Stop("S1", 1, "A", None, 0, None),
        Stop("S1", 2, "B", 41 * 24 * 60 + 60, None, None),
    )
    places = {
        "A": Place("A", "A", PlaceKind.RAIL_TERMINAL, "KI", 0.0, 0.0, "Etc/GMT+12"),
        "B": Place("B", "B", PlaceKind.RAIL_TERMINAL, "KI", 0.0, 1.0, "Pacific/Kiritimati"),
    }
    network = Network(places=places, services={}, stops={"S1": stops}, calendars=(rule,))
    window = departure_window(network, TODAY)
    assert window == (date(2026, 9, 11), date(2027, 5, 22))
    cover = window_cover(network, *window)
    kiritimati = ZoneInfo("Pacific/Kiritimati")
    ready = datetime(2026, 10, 24, tzinfo=kiritimati)  # 2026-10-23T10:00Z
    assert cover_problem(cover, QuoteRequest("B", "A", ready, 1.0)) is None
    early = QuoteRequest("B", "A", datetime(2026, 10, 22, 12, tzinfo=UTC), 1.0)
    assert cover_problem(cover, early) == (
        "ready",
        "is too early: the store holds the departures of service dates 2026-09-11 .. "
        "2027-05-22, and a quote also needs the trains still under way at ready; ready must "
        "be 2026-10-22T13:00:00+00:00 or later",
    )
