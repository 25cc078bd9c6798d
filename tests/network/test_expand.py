"""Calendar expansion: weekly patterns become dated departures, exactly, across DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from silkhub.model import CalendarRule, Mode, Network, Place, PlaceKind, Service, Stop
from silkhub.network import expand_departures

ZONES = [
    "Asia/Shanghai",
    "Europe/Madrid",
    "Europe/London",
    "America/Chicago",
    "Asia/Almaty",
    "Australia/Sydney",
]


def _network(
    zone: str, rules: list[CalendarRule], minutes: list[tuple[int | None, int | None]]
) -> Network:
    """A one-service network whose first stop lies in ``zone``."""
    places = {
        f"P{i}": Place(
            f"P{i}", f"Place {i}", PlaceKind.AIRPORT, "ES", 40.0, -3.0, zone if i == 0 else "UTC"
        )
        for i in range(len(minutes))
    }
    service = Service(
        "S1", Mode.AIR, "Op", "B747-400F", 1000.0, 10.0, Decimal(1), Decimal(0), "CNY"
    )
    stops = tuple(Stop("S1", i + 1, f"P{i}", arr, dep) for i, (arr, dep) in enumerate(minutes))
    return Network(
        places=places, services={"S1": service}, stops={"S1": stops}, calendars=tuple(rules)
    )


def _rule(start: time, valid_from: date, valid_to: date, weekdays: str = "1111111") -> CalendarRule:
    flags = tuple(c == "1" for c in weekdays)
    return CalendarRule("S1", flags, start, valid_from, valid_to)  # type: ignore[arg-type]


DIRECT = [(None, 0), (300, None)]


def test_start_time_is_local_wall_clock_in_both_seasons() -> None:
    """18:19 in Madrid is 17:19 UTC in winter and 16:19 UTC in summer."""
    net = _network(
        "Europe/Madrid", [_rule(time(18, 19), date(2025, 3, 1), date(2025, 4, 30))], DIRECT
    )
    by_date = {
        d.service_date: d for d in expand_departures(net, date(2025, 3, 1), date(2025, 4, 30))
    }
    assert by_date[date(2025, 3, 29)].first_departure == datetime(2025, 3, 29, 17, 19, tzinfo=UTC)
    assert by_date[date(2025, 3, 30)].first_departure == datetime(2025, 3, 30, 16, 19, tzinfo=UTC)


def test_start_in_spring_forward_gap_moves_forward() -> None:
    """02:30 does not exist in Madrid on 30 Mar 2025; the run leaves at 03:30 CEST (01:30 UTC)."""
    net = _network(
        "Europe/Madrid", [_rule(time(2, 30), date(2025, 3, 30), date(2025, 3, 30))], DIRECT
    )
    (run,) = expand_departures(net, date(2025, 3, 30), date(2025, 3, 30))
    assert run.first_departure == datetime(2025, 3, 30, 1, 30, tzinfo=UTC)
    assert run.first_departure.astimezone(ZoneInfo("Europe/Madrid")).time() == time(3, 30)


def test_start_in_fall_back_overlap_takes_first_occurrence() -> None:
    """02:30 happens twice in Madrid on 26 Oct 2025; the run leaves at the first (CEST, 00:30 UTC)."""
    net = _network(
        "Europe/Madrid", [_rule(time(2, 30), date(2025, 10, 26), date(2025, 10, 26))], DIRECT
    )
    (run,) = expand_departures(net, date(2025, 10, 26), date(2025, 10, 26))
    assert run.first_departure == datetime(2025, 10, 26, 0, 30, tzinfo=UTC)


def test_stop_minutes_are_elapsed_time_across_a_dst_change() -> None:
    """A 300-minute run starting before the change still takes exactly 300 minutes."""
    net = _network(
        "Europe/Madrid", [_rule(time(23, 0), date(2025, 3, 29), date(2025, 3, 29))], DIRECT
    )
    (run,) = expand_departures(net, date(2025, 3, 29), date(2025, 3, 29))
    assert run.last_arrival - run.first_departure == timedelta(minutes=300)
    assert run.last_arrival == datetime(2025, 3, 30, 3, 0, tzinfo=UTC)


def test_departure_ids_and_full_capacity_per_leg() -> None:
    """Each run is SERVICE@local-date and starts with the service's capacity on every leg."""
    net = _network(
        "Asia/Shanghai",
        [_rule(time(1, 0), date(2025, 3, 3), date(2025, 3, 3))],
        [(None, 0), (60, 90), (200, None)],
    )
    (run,) = expand_departures(net, date(2025, 3, 3), date(2025, 3, 3))
    assert run.departure_id == "S1@2025-03-03"
    assert run.remaining_kg == (1000.0, 1000.0)
    assert run.remaining_m3 == (10.0, 10.0)
    # 01:00 in Shanghai on 3 Mar is 17:00 UTC on 2 Mar: the service date stays local.
    assert run.first_departure == datetime(2025, 3, 2, 17, 0, tzinfo=UTC)


def test_window_is_clipped_to_validity_and_sorted() -> None:
    """Only dates inside both the window and the rule come out, in time order."""
    rules = [_rule(time(9, 0), date(2025, 1, 1), date(2025, 1, 10), "1010100")]
    net = _network("Asia/Shanghai", rules, DIRECT)
    runs = expand_departures(net, date(2024, 12, 25), date(2025, 1, 8))
    assert [r.service_date for r in runs] == [
        date(2025, 1, 1),
        date(2025, 1, 3),
        date(2025, 1, 6),
        date(2025, 1, 8),
    ]


def test_reversed_window_is_an_error() -> None:
    """An end before the start is a programming error, not an empty answer."""
    net = _network(
        "Asia/Shanghai", [_rule(time(9, 0), date(2025, 1, 1), date(2025, 1, 10))], DIRECT
    )
    with pytest.raises(ValueError, match="before start"):
        expand_departures(net, date(2025, 1, 5), date(2025, 1, 1))


@st.composite
def timetables(draw: st.DrawFn) -> tuple[str, CalendarRule, list[tuple[int | None, int | None]]]:
    """A zone, one calendar rule and a valid stop pattern of 2 to 5 stops."""
    zone = draw(st.sampled_from(ZONES))
    weekdays = draw(st.text(alphabet="01", min_size=7, max_size=7).filter(lambda w: "1" in w))
    start = time(draw(st.integers(0, 23)), draw(st.integers(0, 59)))
    valid_from = draw(st.dates(date(2024, 1, 1), date(2026, 12, 1)))
    valid_to = valid_from + timedelta(days=draw(st.integers(0, 120)))
    count = draw(st.integers(2, 5))
    minutes: list[tuple[int | None, int | None]] = [(None, 0)]
    clock = 0
    for i in range(1, count):
        arrival = clock + draw(st.integers(1, 3000))
        departure = None if i == count - 1 else arrival + draw(st.integers(0, 600))
        minutes.append((arrival, departure))
        clock = departure or arrival
    return zone, _rule(start, valid_from, valid_to, weekdays), minutes


@settings(max_examples=200, deadline=None)
@given(timetables(), st.integers(-30, 60), st.integers(0, 90))
def test_expansion_yields_exactly_the_weekdays_asked(
    timetable: tuple[str, CalendarRule, list[tuple[int | None, int | None]]],
    offset: int,
    length: int,
) -> None:
    """Runs fall on exactly the asked weekdays inside validity ∩ window, at the local start time."""
    zone, rule, minutes = timetable
    start = rule.valid_from + timedelta(days=offset)
    end = start + timedelta(days=length)
    runs = expand_departures(_network(zone, [rule], minutes), start, end)
    expected = [
        start + timedelta(days=i)
        for i in range(length + 1)
        if rule.runs_on(start + timedelta(days=i))
    ]
    assert sorted(r.service_date for r in runs) == expected
    for run in runs:
        local = run.first_departure.astimezone(ZoneInfo(zone))
        # Equal to the wall-clock start, except when it fell in a DST gap and moved forward.
        moved = local.replace(tzinfo=None) - datetime.combine(run.service_date, rule.start_time)
        assert timedelta(0) <= moved <= timedelta(hours=1)


@settings(max_examples=200, deadline=None)
@given(timetables())
def test_every_departures_stop_times_increase(
    timetable: tuple[str, CalendarRule, list[tuple[int | None, int | None]]],
) -> None:
    """Along every dated departure, arrival ≤ departure at a stop and each arrival is later."""
    zone, rule, minutes = timetable
    runs = expand_departures(_network(zone, [rule], minutes), rule.valid_from, rule.valid_to)
    if (rule.valid_to - rule.valid_from).days >= 6:
        assert runs, "a full week of validity with a weekday set must run at least once"
    for run in runs:
        previous = None
        for stop in run.stop_times:
            if stop.arrival is not None:
                assert previous is not None
                assert stop.arrival > previous
                assert stop.arrival.tzinfo is UTC
            if stop.departure is not None and stop.arrival is not None:
                assert stop.departure >= stop.arrival
            previous = stop.departure
