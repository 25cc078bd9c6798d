"""Hypothesis strategies: small random networks, their departures and a request on them.

The networks are tiny on purpose (the brute force is exponential) but reach every rule:
multi-stop services, mode-specific transfers, links (chained), cargo classes, currencies,
time zones with DST, reduced remaining capacity and latest-arrival / mode filters.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from silkhub.model import (
    CalendarRule,
    CargoClass,
    Departure,
    Link,
    Mode,
    Network,
    Place,
    PlaceKind,
    Service,
    Stop,
    TransferRule,
)
from silkhub.network import expand_departures
from silkhub.routing import DEFAULT_HORIZON_DAYS, QuoteRequest

ZONES = ("UTC", "Asia/Shanghai", "Europe/Madrid", "America/New_York")
CURRENCIES = ("CNY", "USD", "EUR")
WINDOW_START = date(2025, 3, 27)  # the last weekend of March: Madrid changes to summer time
WINDOW_DAYS = 4
MODES = tuple(Mode)


@dataclasses.dataclass(frozen=True)
class Case:
    """A random network, its departures (some with little room left) and a request."""

    network: Network
    departures: list[Departure]
    request: QuoteRequest


def _money(draw: st.DrawFn, top: int) -> Decimal:
    return Decimal(draw(st.integers(0, top * 100))) / 100


@st.composite
def cases(draw: st.DrawFn, rich: bool = False, tight: bool = False) -> Case:
    """Draw a whole case; ``rich`` draws busier networks (more services, links, boardings).

    ``tight`` makes likelier the cases where pruning is most delicate, which plain draws
    seldom make (likelier only: see test_pareto):
    daily multi-stop services (one route's trips on consecutive days), links from the origin
    to many places (the same route boarded at several stops in one round), half the
    departures nearly sold out (a trip moving to a later day past a full leg) and long
    mode-specific transfers (a label earlier but ready later for the next mode).
    """
    n_places = draw(st.integers(3, 5))
    places = {
        f"P{i}": Place(
            place_id=f"P{i}",
            name=f"Place {i}",
            kind=PlaceKind.ROAD_HUB,
            country="CN",
            lat=draw(st.floats(20, 55)),
            lon=draw(st.floats(0, 120)),
            timezone=draw(st.sampled_from(ZONES)),
        )
        for i in range(n_places)
    }
    ids = sorted(places)
    services: dict[str, Service] = {}
    stops: dict[str, tuple[Stop, ...]] = {}
    calendars: list[CalendarRule] = []
    for s in range(draw(st.integers(5, 9) if rich else st.integers(2, 7))):
        sid = f"S{s}"
        mode = draw(st.sampled_from(MODES))
        route = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=4))
        route = [p for k, p in enumerate(route) if k == 0 or p != route[k - 1]]
        if len(route) < 2:
            route = [ids[0], ids[1]]
        classes: frozenset[CargoClass] = frozenset()
        if draw(st.integers(0, 4)) == 0:
            classes = draw(st.frozensets(st.sampled_from(list(CargoClass)), min_size=1, max_size=2))
        services[sid] = Service(
            service_id=sid,
            mode=mode,
            operator="op",
            vehicle=draw(st.sampled_from(["", "B777F", "electric", "feeder 900 TEU", "40t"])),
            capacity_kg=10_000,
            capacity_m3=60,
            price_per_kg=_money(draw, 30),
            min_charge=_money(draw, 500),
            currency=draw(st.sampled_from(CURRENCIES)),
            cargo_classes=classes,
        )
        minute = 0
        stop_list = []
        for k, place in enumerate(route):
            arrival = None
            if k:
                minute += draw(st.integers(30, 900))
                arrival = minute
                minute += draw(st.integers(0, 300))
            departure = minute if k < len(route) - 1 else None
            has_km = mode is Mode.SEA or draw(st.booleans())
            km = float(draw(st.integers(10, 9000))) if k and has_km else None
            stop_list.append(Stop(sid, k + 1, place, arrival, departure, km))
        stops[sid] = tuple(stop_list)
        weekdays = tuple(
            draw(
                st.lists(st.integers(0, 2), min_size=7, max_size=7).map(
                    lambda days: [d > 0 for d in days]
                )
            )
        )
        if not any(weekdays):
            weekdays = (True, False, False, True, False, False, False)
        if tight:
            weekdays = (True,) * 7
        calendars.append(
            CalendarRule(
                sid,
                weekdays,  # type: ignore[arg-type]
                time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30, 45]))),
                WINDOW_START,
                WINDOW_START + timedelta(days=WINDOW_DAYS),
            )
        )
    transfers: dict[tuple[str, Mode | None, Mode | None], TransferRule] = {}
    for _ in range(draw(st.integers(3, 8) if tight else st.integers(0, 6))):
        place = draw(st.sampled_from(ids))
        frm = draw(st.none() | st.sampled_from(MODES))
        to = draw(st.none() | st.sampled_from(MODES))
        minutes = draw(st.integers(0, 1800 if tight else 600))
        transfers[(place, frm, to)] = TransferRule(place, minutes, frm, to)
    links = []
    origin, destination = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
    for _ in range(draw(st.integers(2, 6) if rich or tight else st.integers(0, 5))):
        a, b = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
        if tight and a != origin and b != origin and draw(st.booleans()):
            a = origin
        links.append(
            Link(
                a, b, draw(st.sampled_from([Mode.ROAD, Mode.ROAD, Mode.RAIL])),
                draw(st.integers(1, 1500)), float(draw(st.integers(1, 1500))),
                _money(draw, 3), _money(draw, 300), draw(st.sampled_from(CURRENCIES)),
            )
        )  # fmt: skip
    network = Network(
        places=places,
        services=services,
        stops=stops,
        calendars=tuple(calendars),
        transfers=tuple(transfers.values()),
        links=tuple(links),
    )
    weight = draw(st.integers(1, 3_000_000)) / 1000
    volume = draw(st.integers(0, 20_000)) / 1000
    departures = expand_departures(
        network, WINDOW_START, WINDOW_START + timedelta(days=WINDOW_DAYS)
    )
    reduced = []
    for dep in departures:
        # a quarter of the departures are nearly sold out (half, when tight)
        if draw(st.integers(0, 1 if tight else 3)) == 0:
            legs = len(dep.remaining_kg)
            room = [
                draw(st.sampled_from([0.0, weight / 2, weight, weight * 2, 10_000.0]))
                for _ in range(legs)
            ]
            space = [  # and the volume binds too, on its own legs
                draw(st.sampled_from([0.0, volume / 2, volume, volume * 2, 60.0]))
                for _ in range(legs)
            ]
            dep = dataclasses.replace(dep, remaining_kg=tuple(room), remaining_m3=tuple(space))
        reduced.append(dep)
    ready = datetime.combine(WINDOW_START, time(0), tzinfo=UTC) + timedelta(
        minutes=draw(st.integers(-600, 2 * 24 * 60)),
        seconds=draw(st.sampled_from([0, 0, 30, 59.5])),
    )
    latest = None
    if draw(st.integers(0, 4)) == 0:
        latest = ready + timedelta(minutes=draw(st.integers(60, 8 * 24 * 60)))
    modes = None
    if draw(st.integers(0, 4)) == 0:
        modes = frozenset(draw(st.lists(st.sampled_from(MODES), min_size=1, max_size=3)))
    request = QuoteRequest(
        origin=origin,
        destination=destination,
        ready=ready,
        weight_kg=weight,
        volume_m3=volume,
        max_boardings=draw(st.integers(3, 4) if rich else st.integers(1, 4)),
        latest_arrival=latest,
        modes=modes,
        cargo_class=draw(st.sampled_from([None, None, None, *CargoClass])),
        currency=draw(st.sampled_from(CURRENCIES)),
        horizon_days=draw(st.sampled_from([1, 2, DEFAULT_HORIZON_DAYS])),  # 1 and 2 bind
    )
    return Case(network, reduced, request)


def _gadget_place(pid: str, lon: float) -> Place:
    return Place(pid, pid, PlaceKind.ROAD_HUB, "CN", 30.0, lon, "UTC")


def _gadget_service(sid: str, mode: Mode, price_per_kg: Decimal) -> Service:
    return Service(sid, mode, "op", "", 10_000, 60, price_per_kg, Decimal("0"), "CNY")


@st.composite
def gadgets(draw: st.DrawFn) -> Case:
    """Draw one of the two shapes where pruning is most delicate, with random figures.

    The plain draws of ``cases`` almost never build them (see test_pareto); these build them
    every time, and the figures decide whether the delicate comparison comes up:

    * **a trip that moves**: a daily train A → B → C over three days with each leg of each
      day full or free, reached from O by a link to A and a link to B (two boarding stops of
      one route in one round, whose rides may sit on different days);
    * **ready later for a mode**: O → X by train and by road link, then a daily flight X → D,
      with transfers at X that depend on the mode arrived by (a label earlier, cheaper and
      cleaner may still be ready later for the flight).

    A third service with random stops among the places adds noise.
    """
    moving = draw(st.booleans())
    ready_minute = draw(st.integers(0, 60))
    names = ("O", "A", "B", "C") if moving else ("O", "X", "D")
    places = {p: _gadget_place(p, 100.0 + i) for i, p in enumerate(names)}
    money = st.integers(1, 2000).map(lambda c: Decimal(c) / 100)
    minutes = st.integers(1, 1440)
    start = st.builds(time, st.integers(0, 23), st.sampled_from([0, 30]))
    services: dict[str, Service] = {}
    stops: dict[str, tuple[Stop, ...]] = {}
    calendars = []
    transfers = []
    links = []

    def daily(sid: str, at: time) -> CalendarRule:
        return CalendarRule(sid, (True,) * 7, at, WINDOW_START, WINDOW_START + timedelta(3))

    if moving:
        first, dwell, second = draw(minutes), draw(st.integers(0, 240)), draw(minutes)
        services["T"] = _gadget_service("T", Mode.RAIL, draw(money))
        stops["T"] = (
            Stop("T", 1, "A", None, 0, None),
            Stop("T", 2, "B", first, first + dwell, None),
            Stop("T", 3, "C", first + dwell + second, None, None),
        )
        hour = draw(st.integers(2, 20))  # the train leaves A at hh:00, after the link O → A
        calendars.append(daily("T", time(hour)))
        # O → A is short, cheap and clean; O → B dearer and dirtier, and reaches B between the
        # first and the second day's train, so that the two rides can sit on different days.
        price_a, km_a = draw(money), float(draw(st.integers(1, 450)))
        to_b = hour * 60 + first + dwell + draw(st.integers(1, 1439)) - ready_minute
        links += [
            Link("O", "A", Mode.ROAD, draw(st.integers(1, 60)), km_a, price_a, Decimal(0), "CNY"),
            Link("O", "B", Mode.ROAD, to_b, km_a + draw(st.integers(0, 450)),
                 price_a + draw(money), Decimal(0), "CNY"),
        ]  # fmt: skip
        origin, destination = "O", "C"
    else:
        # The train reaches X first and is cheaper and cleaner than the road link, which
        # arrives up to two hours later; but after rail the flight needs a longer transfer, so
        # the flight may leave after the road link is ready and before the train's cargo is.
        rail_price = draw(money)
        services["R"] = _gadget_service("R", Mode.RAIL, rail_price)
        services["F"] = _gadget_service("F", Mode.AIR, draw(money))
        rail_hour, rail_run = draw(st.integers(1, 6)), draw(st.integers(30, 300))
        rail_in = rail_hour * 60 + rail_run
        road_in = rail_in + draw(st.integers(1, 120))
        after_road = draw(st.integers(0, 60))
        flight = min(-(-(road_in + after_road) // 30) * 30 + 30 * draw(st.integers(-1, 2)), 1410)
        stops["R"] = (Stop("R", 1, "O", None, 0, 100.0), Stop("R", 2, "X", rail_run, None, 100.0))
        stops["F"] = (
            Stop("F", 1, "X", None, 0, None),
            Stop("F", 2, "D", draw(minutes), None, None),
        )
        calendars += [daily("R", time(rail_hour)), daily("F", time(flight // 60, flight % 60))]
        links.append(
            Link("O", "X", Mode.ROAD, road_in - ready_minute, float(draw(st.integers(100, 900))),
                 rail_price + draw(money), Decimal(0), "CNY")
        )  # fmt: skip
        after_rail = max(flight - rail_in + draw(st.integers(-30, 600)), 0)
        transfers += [
            TransferRule("X", after_rail, Mode.RAIL, Mode.AIR),
            TransferRule("X", after_road, Mode.ROAD, Mode.AIR),
        ]
        origin, destination = "O", "D"
    if draw(st.booleans()):  # noise: a service among the same places
        route = draw(st.lists(st.sampled_from(names), min_size=2, max_size=3, unique=True))
        services["N"] = _gadget_service("N", draw(st.sampled_from(MODES)), draw(money))
        offsets = sorted(
            draw(st.lists(minutes, min_size=len(route), max_size=len(route), unique=True))
        )
        stops["N"] = tuple(
            Stop(
                "N",
                k + 1,
                p,
                None if k == 0 else offsets[k],
                None if k == len(route) - 1 else offsets[k],
                None,
            )
            for k, p in enumerate(route)
        )
        calendars.append(daily("N", draw(start)))
    network = Network(
        places=places,
        services=services,
        stops=stops,
        calendars=tuple(calendars),
        transfers=tuple(transfers),
        links=tuple(links),
    )
    weight = float(draw(st.integers(1, 500)))
    departures = expand_departures(network, WINDOW_START, WINDOW_START + timedelta(days=3))
    full_or_free = st.sampled_from([0.0, 10_000.0])
    departures = [
        dataclasses.replace(dep, remaining_kg=tuple(draw(full_or_free) for _ in dep.remaining_kg))
        if dep.service_id == "T"
        else dep
        for dep in departures
    ]
    request = QuoteRequest(
        origin,
        destination,
        datetime.combine(WINDOW_START, time(0), tzinfo=UTC) + timedelta(minutes=ready_minute),
        weight,
        0.0,
        max_boardings=draw(st.integers(2, 3)),
    )
    return Case(network, departures, request)
