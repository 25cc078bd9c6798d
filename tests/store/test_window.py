"""Which service dates are stored on import (the departure window)."""

from __future__ import annotations

from datetime import date, time

import pytest

from silkhub.model import CalendarRule, Network
from silkhub.store import departure_window

TODAY = date(2026, 11, 23)


def _network(valid_from: date, valid_to: date) -> Network:
    rule = CalendarRule("S1", (True,) * 7, time(8, 0), valid_from, valid_to)
    return Network(places={}, services={}, stops={}, calendars=(rule,))


@pytest.mark.parametrize(
    ("valid", "expected"),
    [
        # a long timetable: the rolling window, today − 30 .. today + 180
        ((date(2024, 1, 1), date(2030, 1, 1)), (date(2026, 10, 24), date(2027, 5, 22))),
        # a timetable ending soon: cut to its last day
        ((date(2024, 1, 1), date(2026, 12, 31)), (date(2026, 10, 24), date(2026, 12, 31))),
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
    assert departure_window(empty, TODAY, 1, 2) == (date(2026, 11, 22), date(2026, 11, 25))
