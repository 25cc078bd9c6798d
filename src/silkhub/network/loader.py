"""Load a network folder: read every file, check across files, build the domain objects."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

from silkhub.model import CalendarRule, Link, Network, Place, Service, Stop, TransferRule
from silkhub.network._csvio import Numbered, read_rows
from silkhub.network._rows import (
    FILES,
    RATED_CURRENCIES,
    CalendarRow,
    LinkRow,
    PlaceRow,
    ServiceRow,
    StopRow,
    TransferRow,
)
from silkhub.network.problems import NetworkInvalidError, Problem
from silkhub.reference import rated_currencies

R = TypeVar("R", PlaceRow, ServiceRow, StopRow, CalendarRow, TransferRow, LinkRow)
K = TypeVar("K", PlaceRow, ServiceRow)


def load_network(directory: Path | str, *, currencies: Collection[str] | None = None) -> Network:
    """The network in ``directory``; raises ``NetworkInvalidError`` listing every problem."""
    network, problems = read_network(directory, currencies=currencies)
    if problems or network is None:
        raise NetworkInvalidError(problems)
    return network


def read_network(
    directory: Path | str, *, currencies: Collection[str] | None = None
) -> tuple[Network | None, list[Problem]]:
    """``(network, [])`` for a valid folder, ``(None, problems)`` otherwise: errors as data.

    Every tariff must be in one of ``currencies``: by default those silkhub has an exchange
    rate for (``silkhub/data/fx_rates.csv``); pass the currencies of your own rate table.
    """
    folder = Path(directory)
    if not folder.is_dir():
        return None, [Problem(str(folder), 0, "", "is not a folder")]
    problems: list[Problem] = []

    # per file, the ids of rows already reported bad: no "unknown id" cascades from them
    rejected: dict[str, set[str]] = {name: set() for name in FILES}
    rated = rated_currencies() if currencies is None else frozenset(currencies)
    context = {RATED_CURRENCIES: rated}

    def read(name: str, model: type[R]) -> list[Numbered[R]]:
        path = folder / name
        if not path.is_file():
            if FILES[name][1]:
                problems.append(Problem(name, 0, "", "required file is missing"))
            return []
        return read_rows(path, model, problems, rejected[name], context)

    places = _unique(read("places.csv", PlaceRow), "places.csv", "place_id", problems)
    services = _unique(read("services.csv", ServiceRow), "services.csv", "service_id", problems)
    known_places = set(places) | rejected["places.csv"]
    known_services = set(services) | rejected["services.csv"]
    stop_rows = read("stops.csv", StopRow)
    calendar_rows = read("calendar.csv", CalendarRow)
    stops = _check_stops(stop_rows, known_places, known_services, problems)
    calendars = _check_calendars(calendar_rows, known_services, problems)
    transfers = _check_transfers(read("transfers.csv", TransferRow), known_places, problems)
    link_rows = read("links.csv", LinkRow)
    links = _check_links(link_rows, known_places, problems)
    # A service whose stop or calendar rows are bad was reported there already.
    called = {n.row.service_id for n in stop_rows} | rejected["stops.csv"]
    scheduled = {n.row.service_id for n in calendar_rows} | rejected["calendar.csv"]
    for service_id, numbered in services.items():
        if service_id not in called:
            problems.append(
                Problem(
                    "services.csv",
                    numbered.line,
                    "service_id",
                    f"service {service_id!r} has no stops",
                )
            )
        if service_id not in scheduled:
            problems.append(
                Problem(
                    "services.csv",
                    numbered.line,
                    "service_id",
                    f"service {service_id!r} has no calendar row",
                )
            )
    if problems:
        return None, sorted(problems, key=_file_order)

    network = Network(
        places={pid: _place(n.row) for pid, n in places.items()},
        services={sid: _service(n.row) for sid, n in services.items()},
        stops=stops,
        calendars=tuple(rule for rules in calendars.values() for rule in rules),
        transfers=transfers,
        links=links,
        name=folder.name,
    )
    return network, []


def _file_order(problem: Problem) -> tuple[int, int, str, str]:
    order = list(FILES).index(problem.file) if problem.file in FILES else -1
    return (order, problem.line, problem.column, problem.reason)


def _unique(
    rows: list[Numbered[K]], file: str, key: str, problems: list[Problem]
) -> dict[str, Numbered[K]]:
    seen: dict[str, Numbered[K]] = {}
    for numbered in rows:
        value = getattr(numbered.row, key)
        if value in seen:
            problems.append(
                Problem(
                    file,
                    numbered.line,
                    key,
                    f"{value!r} already defined on line {seen[value].line}",
                )
            )
        else:
            seen[value] = numbered
    return seen


def _place(row: PlaceRow) -> Place:
    return Place(
        place_id=row.place_id,
        name=row.name,
        kind=row.kind,
        country=row.country,
        lat=row.lat,
        lon=row.lon,
        timezone=row.timezone,
        iata=row.iata,
        unlocode=row.unlocode,
        source=row.source,
    )


def _service(row: ServiceRow) -> Service:
    return Service(
        service_id=row.service_id,
        mode=row.mode,
        operator=row.operator,
        vehicle=row.vehicle,
        capacity_kg=row.capacity_kg,
        capacity_m3=row.capacity_m3,
        price_per_kg=row.price_per_kg,
        min_charge=row.min_charge,
        currency=row.currency,
        cargo_classes=frozenset(row.cargo_classes),
        capacity_teu=row.capacity_teu,
        name=row.name,
        source=row.source,
    )


def _check_stops(
    rows: list[Numbered[StopRow]],
    places: set[str],
    services: set[str],
    problems: list[Problem],
) -> dict[str, tuple[Stop, ...]]:
    """Group stops per service and check sequence numbers and monotonic times."""
    file = "stops.csv"
    per_service: dict[str, list[Numbered[StopRow]]] = defaultdict(list)
    for numbered in rows:
        row = numbered.row
        if row.place_id not in places:
            problems.append(
                Problem(file, numbered.line, "place_id", f"unknown place {row.place_id!r}")
            )
        if row.service_id not in services:
            problems.append(
                Problem(file, numbered.line, "service_id", f"unknown service {row.service_id!r}")
            )
        per_service[row.service_id].append(numbered)

    result: dict[str, tuple[Stop, ...]] = {}
    for service_id, group in per_service.items():
        group.sort(key=lambda n: n.row.seq)
        before = len(problems)
        _check_stop_sequence(group, problems)
        if len(problems) == before and service_id in services:
            result[service_id] = tuple(
                Stop(
                    service_id,
                    n.row.seq,
                    n.row.place_id,
                    n.row.arrival_min,
                    n.row.departure_min,
                    n.row.distance_km,
                )
                for n in group
            )
    return result


def _check_stop_sequence(group: list[Numbered[StopRow]], problems: list[Problem]) -> None:
    file = "stops.csv"
    service_id = group[0].row.service_id

    def report(numbered: Numbered[StopRow], column: str, reason: str) -> None:
        problems.append(Problem(file, numbered.line, column, reason))

    if len(group) < 2:
        report(
            group[0],
            "service_id",
            f"service {service_id!r} has only one stop (at least two needed)",
        )
    for expected, numbered in enumerate(group, start=1):
        if numbered.row.seq != expected:
            report(
                numbered,
                "seq",
                f"seq {numbered.row.seq} of service {service_id!r}: expected {expected} (1..n without gaps or repeats)",
            )
            return  # times cannot be compared along a broken sequence
    previous_departure: int | None = None
    for index, numbered in enumerate(group):
        row, first, last = numbered.row, index == 0, index == len(group) - 1
        if first:
            if row.arrival_min is not None:
                report(numbered, "arrival_min", "must be empty on the first stop")
            if row.departure_min != 0:
                report(
                    numbered,
                    "departure_min",
                    "must be 0 on the first stop (minutes count from the start time)",
                )
            if row.distance_km is not None:
                report(
                    numbered,
                    "distance_km",
                    "must be empty on the first stop (distance is from the previous stop)",
                )
        else:
            if row.arrival_min is None:
                report(numbered, "arrival_min", "required on every stop but the first")
            elif previous_departure is not None and row.arrival_min <= previous_departure:
                report(
                    numbered,
                    "arrival_min",
                    f"arrival {row.arrival_min} is not after the previous stop's departure {previous_departure}",
                )
        if last:
            if row.departure_min is not None and len(group) > 1:
                report(numbered, "departure_min", "must be empty on the last stop")
        elif not first:
            if row.departure_min is None:
                report(numbered, "departure_min", "required on every stop but the last")
            elif row.arrival_min is not None and row.departure_min < row.arrival_min:
                report(
                    numbered,
                    "departure_min",
                    f"departure {row.departure_min} is before the arrival {row.arrival_min} at the same stop",
                )
        previous_departure = row.departure_min


def _check_calendars(
    rows: list[Numbered[CalendarRow]],
    services: set[str],
    problems: list[Problem],
) -> dict[str, list[CalendarRule]]:
    """Check references and date ranges; two rows of one service must never run on one date."""
    file = "calendar.csv"
    per_service: dict[str, list[Numbered[CalendarRow]]] = defaultdict(list)
    for numbered in rows:
        row = numbered.row
        if row.service_id not in services:
            problems.append(
                Problem(file, numbered.line, "service_id", f"unknown service {row.service_id!r}")
            )
        elif row.valid_to < row.valid_from:
            problems.append(
                Problem(
                    file,
                    numbered.line,
                    "valid_to",
                    f"{row.valid_to} is before valid_from {row.valid_from}",
                )
            )
        else:
            per_service[row.service_id].append(numbered)

    result: dict[str, list[CalendarRule]] = {}
    for service_id, group in per_service.items():
        for i, earlier in enumerate(group):
            for later in group[i + 1 :]:
                clash = _first_common_day(earlier.row, later.row)
                if clash is not None:
                    problems.append(
                        Problem(
                            file,
                            later.line,
                            "weekdays",
                            f"runs on {clash} like line {earlier.line} of the same service (calendar rows overlap)",
                        )
                    )
        result[service_id] = [_rule(n.row) for n in group]
    return result


def _first_common_day(a: CalendarRow, b: CalendarRow) -> str | None:
    start, end = max(a.valid_from, b.valid_from), min(a.valid_to, b.valid_to)
    day = start
    for _ in range(7):  # a weekday pattern repeats after 7 days
        if day > end:
            return None
        if a.weekdays[day.weekday()] == b.weekdays[day.weekday()] == "1":
            return day.isoformat()
        day += timedelta(days=1)
    return None


def _rule(row: CalendarRow) -> CalendarRule:
    flags = tuple(char == "1" for char in row.weekdays)
    assert len(flags) == 7  # guaranteed by the row model
    return CalendarRule(
        service_id=row.service_id,
        weekdays=(flags[0], flags[1], flags[2], flags[3], flags[4], flags[5], flags[6]),
        start_time=row.start_time,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        source=row.source,
    )


def _check_transfers(
    rows: list[Numbered[TransferRow]],
    places: set[str],
    problems: list[Problem],
) -> tuple[TransferRule, ...]:
    file = "transfers.csv"
    seen: dict[tuple[str, object, object], int] = {}
    rules = []
    for numbered in rows:
        row = numbered.row
        key = (row.place_id, row.from_mode, row.to_mode)
        if row.place_id not in places:
            problems.append(
                Problem(file, numbered.line, "place_id", f"unknown place {row.place_id!r}")
            )
        elif key in seen:
            problems.append(
                Problem(
                    file, numbered.line, "place_id", f"same place and modes as line {seen[key]}"
                )
            )
        else:
            seen[key] = numbered.line
            rules.append(
                TransferRule(row.place_id, row.min_minutes, row.from_mode, row.to_mode, row.source)
            )
    return tuple(rules)


def _check_links(
    rows: list[Numbered[LinkRow]], places: set[str], problems: list[Problem]
) -> tuple[Link, ...]:
    file = "links.csv"
    links = []
    for numbered in rows:
        row = numbered.row
        bad = False
        for column in ("from_place", "to_place"):
            if getattr(row, column) not in places:
                problems.append(
                    Problem(file, numbered.line, column, f"unknown place {getattr(row, column)!r}")
                )
                bad = True
        if row.from_place == row.to_place:
            problems.append(
                Problem(file, numbered.line, "to_place", "a link must lead to another place")
            )
            bad = True
        if not bad:
            links.append(
                Link(
                    row.from_place,
                    row.to_place,
                    row.mode,
                    row.duration_min,
                    row.distance_km,
                    row.price_per_kg,
                    row.min_charge,
                    row.currency,
                    row.source,
                )
            )
    return tuple(links)
