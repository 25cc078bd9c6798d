"""Which service dates are stored on import (the departure window)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from silkhub.model import CalendarRule, Network, Stop
from silkhub.routing import QuoteRequest, quote_window
from silkhub.store import departure_window

TODAY = date(2026, 11, 23)


def _network(valid_from: date, valid_to: date) -> Network:
    rule = CalendarRule("S1", (True,) * 7, time(8, 0), valid_from, valid_to)
    return Network(places={}, services={}, stops={}, calendars=(rule,))


@pytest.mark.parametrize(
    ("valid", "expected"),
    [
        # a long timetable: the rolling window, today − 30 − 1 .. today + 180 (services of no
        # length: the reach back is the day quote_window adds)
        ((date(2024, 1, 1), date(2030, 1, 1)), (date(2026, 10, 23), date(2027, 5, 22))),
        # a timetable ending soon: cut to its last day
        ((date(2024, 1, 1), date(2026, 12, 31)), (date(2026, 10, 23), date(2026, 12, 31))),
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
    assert departure_window(empty, TODAY, 1, 2) == (date(2026, 11, 21), date(2026, 11, 25))


def test_window_reaches_back_by_the_longest_run() -> None:
    """A train under way for 41 days 1 hour must be stored: 42 days and a day more back."""
    rule = CalendarRule("S1", (True,) * 7, time(8, 0), date(2024, 1, 1), date(2030, 1, 1))
    stops = (
        Stop("S1", 1, "A", None, 0, None),
        Stop("S1", 2, "B", 41 * 24 * 60 + 60, None, None),
    )
    network = Network(places={}, services={}, stops={"S1": stops}, calendars=(rule,))
    assert departure_window(network, TODAY) == (date(2026, 9, 11), date(2027, 5, 22))
    assert quote_window_start(network) >= date(2026, 9, 11)


def quote_window_start(network: Network) -> date:
    """What a quote ready at the window's first rolling day (today − 30) needs first."""
    request = QuoteRequest("A", "B", datetime(2026, 10, 24, tzinfo=UTC), 1.0)
    return quote_window(network, request)[0]
