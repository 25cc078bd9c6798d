"""Each routing rule on a hand-built network small enough to check by hand."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from bruteforce import brute_force_front, check_itinerary

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
from silkhub.routing import (
    QuoteRequest,
    Router,
    UnknownPlaceError,
    quote,
    quote_window,
    within_time_bounds,
)

DAY = date(2025, 3, 3)  # a Monday


def _place(pid: str) -> Place:
    return Place(pid, pid, PlaceKind.AIRPORT, "CN", 34.0, 113.0 + len(pid), "UTC")


def _service(sid: str, mode: Mode, ppk: str, **kw: object) -> Service:
    return Service(sid, mode, "op", kw.pop("vehicle", ""), 1000.0, 10.0, Decimal(ppk),  # type: ignore[arg-type]
                   Decimal("0"), kw.pop("currency", "CNY"), **kw)  # type: ignore[arg-type]  # fmt: skip


def _net(
    services: list[tuple[Service, list[tuple[str, int | None, int | None]], str]],
    transfers: tuple[TransferRule, ...] = (),
    links: tuple[Link, ...] = (),
) -> Network:
    """Services as (service, [(place, arrival_min, departure_min)], start HH:MM daily)."""
    places = {p for _, stops, _ in services for p, _, _ in stops} | {
        p for link in links for p in (link.from_place, link.to_place)
    }
    return Network(
        places={p: _place(p) for p in places},
        services={s.service_id: s for s, _, _ in services},
        stops={
            s.service_id: tuple(
                Stop(s.service_id, k + 1, p, a, d, 1000.0 if k else None)
                for k, (p, a, d) in enumerate(stops)
            )
            for s, stops, _ in services
        },
        calendars=tuple(
            CalendarRule(s.service_id, (True,) * 7, time.fromisoformat(start), DAY, DAY)  # type: ignore[arg-type]
            for s, _, start in services
        ),
        transfers=transfers,
        links=links,
    )


def _ask(net: Network, at: str = "07:00", **kw: object) -> list[tuple[str, ...]]:
    request = QuoteRequest(
        origin=kw.pop("origin", "A"),  # type: ignore[arg-type]
        destination=kw.pop("destination", "C"),  # type: ignore[arg-type]
        ready=datetime.combine(DAY, time.fromisoformat(at), tzinfo=UTC),
        weight_kg=kw.pop("weight_kg", 100.0),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )
    return [tuple(leg.service_id for leg in it.legs) for it in quote(net, request)]


AB = (_service("AB", Mode.AIR, "10"), [("A", None, 0), ("B", 60, None)], "08:00")
BC = (_service("BC", Mode.AIR, "10"), [("B", None, 0), ("C", 60, None)], "09:30")


def test_acceptance_cut_off_at_origin() -> None:
    """The origin's transfer rule (no from_mode) is the acceptance cut-off."""
    net = _net([AB, BC], transfers=(TransferRule("A", 90, None, Mode.AIR),))
    assert _ask(net, "06:30") == [("AB", "BC")]
    assert _ask(net, "06:31") == []


def test_connection_needs_the_mode_specific_transfer() -> None:
    """At B, air→air needs 30 min (fits) but a rule of 31 min breaks the connection."""
    fits = _net([AB, BC], transfers=(TransferRule("B", 30, Mode.AIR, Mode.AIR),))
    assert _ask(fits) == [("AB", "BC")]
    breaks = _net([AB, BC], transfers=(TransferRule("B", 31, Mode.AIR, Mode.AIR),))
    assert _ask(breaks) == []
    other_mode = _net([AB, BC], transfers=(TransferRule("B", 300, Mode.RAIL, Mode.AIR),))
    assert _ask(other_mode) == [("AB", "BC")]


def test_staying_on_board_needs_no_transfer() -> None:
    """A multi-stop service can be ridden through a stop whose transfer time it could not make."""
    abc = (
        _service("ABC", Mode.AIR, "10"),
        [("A", None, 0), ("B", 60, 70), ("C", 130, None)],
        "08:00",
    )
    net = _net([abc], transfers=(TransferRule("B", 600),))
    assert _ask(net) == [("ABC",)]


def _train_abc_two_days() -> tuple[Network, list[Departure]]:
    """A daily train A → B → C at 08:00, run on DAY and the day after, and its departures."""
    abc = (
        _service("ABC", Mode.RAIL, "1"),
        [("A", None, 0), ("B", 60, 70), ("C", 130, None)],
        "08:00",
    )
    net = dataclasses.replace(
        _net([abc]),
        calendars=(CalendarRule("ABC", (True,) * 7, time(8), DAY, DAY + timedelta(days=1)),),  # type: ignore[arg-type]
    )
    return net, expand_departures(net, DAY, DAY + timedelta(days=1))


def test_full_leg_blocks_the_ride_but_not_a_shorter_one() -> None:
    """A departure full on B→C still carries A→B; the next day's run has room."""
    net, deps = _train_abc_two_days()
    first = dataclasses.replace(deps[0], remaining_kg=(500.0, 50.0))
    request = QuoteRequest("A", "C", datetime.combine(DAY, time(7), tzinfo=UTC), 100.0)
    (it,) = Router(net, [first, deps[1]]).query(request)
    assert it.legs[0].departure_id == deps[1].departure_id
    to_b = dataclasses.replace(request, destination="B")
    assert Router(net, [first, deps[1]]).query(to_b)[0].legs[0].departure_id == first.departure_id


def test_a_leg_without_room_for_the_volume_blocks_the_ride_whatever_the_weight() -> None:
    """Room is checked in m³ as well as kg: 1.5 m³ left on B→C turns a 2 m³ shipment away.

    Exactly the volume left still fits (room means at least the shipment's m³).
    """
    net, deps = _train_abc_two_days()
    first = dataclasses.replace(deps[0], remaining_m3=(10.0, 1.5))
    ready = datetime.combine(DAY, time(7), tzinfo=UTC)
    router = Router(net, [first, deps[1]])
    (it,) = router.query(QuoteRequest("A", "C", ready, 100.0, volume_m3=2.0))
    assert it.legs[0].departure_id == deps[1].departure_id
    (it,) = router.query(QuoteRequest("A", "B", ready, 100.0, volume_m3=2.0))
    assert it.legs[0].departure_id == first.departure_id
    (it,) = router.query(QuoteRequest("A", "C", ready, 100.0, volume_m3=1.5))
    assert it.legs[0].departure_id == first.departure_id


#: Per criterion, a place B whose bag holds a label good in it and one good in the others.
#: (AD, AB1, AB2, BD) as (mode, price per kg, minutes of the ride) and when BD leaves, and
#: the front. BD2 is faster in running time than BD but left before anyone reached B, which
#: keeps both labels at B alive for the bounds.
_CORNER_CASES = {
    # At B a fast dear label (AB1) and a slow cheap one (AB2) wait for BD. The direct train
    # AD arrives before either could by BD, cheaper than AB1 + BD and as clean as anything,
    # so the fast label is no use there; AB2 + BD is, being cheaper than AD.
    "price": (
        ((Mode.RAIL, "0.6", 480), (Mode.RAIL, "1", 60), (Mode.RAIL, "0.1", 180), "0.2"),
        "12:00",
        [("AD",), ("AB2", "BD")],
    ),
    # A clean slow train (AB2) to B is worth boarding BD, a flight is not: the direct truck
    # AD arrives first and cheapest but dirtier than AB2 + BD, cleaner than AB1 + BD.
    "CO2e": (
        ((Mode.ROAD, "0.1", 480), (Mode.AIR, "0.1", 60), (Mode.RAIL, "0.1", 180), "0.1"),
        "12:00",
        [("AD",), ("AB2", "BD")],
    ),
    # Only the fast flight to B (AB1) makes BD at 10:00, ahead of AD; the slow cheap train
    # (AB2) reaches B after BD left.
    "time": (
        ((Mode.RAIL, "0.2", 630), (Mode.AIR, "1", 60), (Mode.RAIL, "0.1", 180), "0.2"),
        "10:00",
        [("AB1", "BD"), ("AD",)],
    ),
}


@pytest.mark.parametrize("criterion", list(_CORNER_CASES))
def test_each_criterions_best_label_at_a_place_keeps_its_routes_in_play(criterion: str) -> None:
    """The corner of a bag takes each criterion's best, here from different labels.

    A corner with the worse label's time, price or CO₂e would rule out every boarding at B
    and lose the one itinerary through B on the front.
    """
    (ad, ab1, ab2, bd_ppk), bd_leaves, front = _CORNER_CASES[criterion]
    rides = [
        (_service(sid, mode, ppk), [(src, None, 0), (dst, minutes, None)], "08:00")
        for sid, src, dst, (mode, ppk, minutes) in (
            ("AD", "A", "D", ad), ("AB1", "A", "B", ab1), ("AB2", "A", "B", ab2)
        )
    ]  # fmt: skip
    net = _net(
        [
            *rides,
            (_service("BD", Mode.RAIL, bd_ppk), [("B", None, 0), ("D", 480, None)], bd_leaves),
            (_service("BD2", Mode.RAIL, bd_ppk), [("B", None, 0), ("D", 60, None)], "05:00"),
        ]
    )
    assert _ask(net, destination="D") == front


def test_links_start_at_once_and_chain() -> None:
    """Links need no transfer before them and can follow one another."""
    road = {"mode": Mode.ROAD, "distance_km": 10.0, "price_per_kg": Decimal("0.1"),
            "min_charge": Decimal("0"), "currency": "CNY"}  # fmt: skip
    links = (Link("A", "B", duration_min=30, **road), Link("B", "C", duration_min=30, **road))  # type: ignore[arg-type]
    net = _net([AB], transfers=(TransferRule("A", 600), TransferRule("B", 600)), links=links)
    assert _ask(net, "07:00") == [("link:A>B", "link:B>C")]
    assert _ask(net, "07:00", max_boardings=1) == []


def test_pareto_front_keeps_fast_dear_and_slow_cheap() -> None:
    """A dear fast flight and a cheap slow train are both on the front; a worse one is not."""
    fast = (_service("FAST", Mode.AIR, "30"), [("A", None, 0), ("C", 120, None)], "08:00")
    slow = (_service("SLOW", Mode.RAIL, "2"), [("A", None, 0), ("C", 2000, None)], "08:00")
    worse = (_service("WORSE", Mode.AIR, "31"), [("A", None, 0), ("C", 180, None)], "08:00")
    assert _ask(_net([fast, slow, worse])) == [("FAST",), ("SLOW",)]


def test_filters_modes_latest_arrival_and_cargo_class() -> None:
    """Allowed modes, latest arrival and cargo class each remove services from the search."""
    fast = (
        _service("FAST", Mode.AIR, "30", cargo_classes=frozenset({CargoClass.E_COMMERCE})),
        [("A", None, 0), ("C", 120, None)],
        "08:00",
    )
    slow = (_service("SLOW", Mode.RAIL, "2"), [("A", None, 0), ("C", 2000, None)], "08:00")
    net = _net([fast, slow])
    assert _ask(net, modes=frozenset({Mode.RAIL})) == [("SLOW",)]
    latest = datetime.combine(DAY, time(12), tzinfo=UTC)
    assert _ask(net, latest_arrival=latest) == [("FAST",)]
    assert _ask(net, cargo_class=CargoClass.DANGEROUS_GOODS) == [("SLOW",)]
    assert _ask(net, cargo_class=CargoClass.E_COMMERCE) == [("FAST",), ("SLOW",)]


def test_quote_currency_converts_each_leg() -> None:
    """A EUR tariff quoted in CNY is converted per leg at the table's rate."""
    eur = (
        _service("EUR", Mode.AIR, "1", currency="EUR"),
        [("A", None, 0), ("C", 60, None)],
        "08:00",
    )
    net = _net([eur])
    request = QuoteRequest("A", "C", datetime.combine(DAY, time(7), tzinfo=UTC), 100.0)
    (it,) = quote(net, request)
    assert it.price.currency == "CNY"
    assert it.price.amount == Decimal("832.07")  # 100.00 EUR × 8.3207
    in_eur = quote(net, dataclasses.replace(request, currency="EUR"))[0]
    assert in_eur.price.amount == Decimal("100.00")


def test_quote_reports_its_steps_to_a_progress_callback() -> None:
    """quote() says what it is doing before each slow step, then answers as without it."""
    net = _net([AB])
    request = QuoteRequest("A", "B", datetime.combine(DAY, time(7), tzinfo=UTC), 100.0)
    steps: list[str] = []
    answer = quote(net, request, progress=steps.append)
    assert answer == quote(net, request)
    assert [step.split()[0] for step in steps] == ["expanding", "compiling", "searching"]
    start, end = quote_window(net, request)
    assert end == DAY + timedelta(days=request.horizon_days + 1)
    assert steps[0] == f"expanding the departures of {start} .. {end}"


def test_unknown_place_is_an_error() -> None:
    """A request naming a place the network lacks raises UnknownPlaceError."""
    with pytest.raises(UnknownPlaceError, match="destination 'ZZZ' is not a place") as caught:
        _ask(_net([AB]), destination="ZZZ")
    assert "did you mean" not in str(caught.value)
    with pytest.raises(UnknownPlaceError, match="did you mean 'B'"):
        _ask(_net([AB]), destination="b")


def test_a_loop_service_is_never_ridden_back_to_where_it_was_boarded() -> None:
    """On A → B → A no leg goes A → A (a leg joins two places); A → B then B → A may."""
    net = _net(
        [
            (_service("LOOP", Mode.RAIL, "0.10"), [("A", None, 0), ("B", 60, 70), ("A", 130, None)], "08:00"),
            (_service("SEA", Mode.SEA, "0.50"), [("A", None, 0), ("C", 600, None)], "11:00"),
        ],
        transfers=(TransferRule("A", 48 * 60, None, Mode.SEA), TransferRule("A", 0, Mode.RAIL, Mode.SEA)),
    )  # fmt: skip
    departures = expand_departures(net, DAY, DAY + timedelta(days=2))
    router = Router(net, departures)
    to_c = QuoteRequest("A", "C", datetime.combine(DAY, time(7), tzinfo=UTC), 100.0)
    to_a = dataclasses.replace(to_c, origin="B", destination="A")
    assert [[(leg.from_place, leg.to_place) for leg in it.legs] for it in router.query(to_c)] == [
        [("A", "B"), ("B", "A"), ("A", "C")]  # the sea cut-off at A is 48 h, none after rail
    ]
    assert [[(leg.from_place, leg.to_place) for leg in it.legs] for it in router.query(to_a)] == [
        [("B", "A")]
    ]
    for request in (to_c, to_a):
        itineraries = router.query(request)
        assert {it.criteria for it in itineraries} == brute_force_front(net, departures, request)
        for it in itineraries:
            check_itinerary(net, departures, request, it)


def test_on_a_loop_a_ride_boarded_elsewhere_is_not_pruned_by_one_that_cannot_alight() -> None:
    """On a loop, a ride boarded at A does not rule out one boarded at B.

    On A → B → A the ride boarded at A (cheaper and cleaner, by the short road link) cannot
    get off at the second A, so it must not knock the ride boarded at B out of the route's
    bag: O → B by road, B → A by rail, then the 11:00 sailing, which after the road link
    alone is missed (48 h cut-off after road, none after rail).
    """
    road = {"mode": Mode.ROAD, "price_per_kg": Decimal("0.1"), "min_charge": Decimal("0"),
            "currency": "CNY"}  # fmt: skip
    net = _net(
        [
            (_service("LOOP", Mode.RAIL, "0.10"), [("A", None, 0), ("B", 60, 70), ("A", 130, None)], "08:00"),
            (_service("SEA", Mode.SEA, "0.50"), [("A", None, 0), ("C", 600, None)], "11:00"),
        ],
        transfers=(TransferRule("A", 48 * 60, Mode.ROAD, Mode.SEA), TransferRule("A", 0, Mode.RAIL, Mode.SEA)),
        links=(
            Link("O", "A", duration_min=30, distance_km=10.0, **road),  # type: ignore[arg-type]
            Link("O", "B", duration_min=60, distance_km=1000.0, **road),  # type: ignore[arg-type]
        ),
    )  # fmt: skip
    departures = expand_departures(net, DAY, DAY + timedelta(days=3))
    router = Router(net, departures)
    for boardings in (3, 4):
        request = QuoteRequest(
            "O", "C", datetime.combine(DAY, time(7), tzinfo=UTC), 100.0, max_boardings=boardings
        )
        itineraries = router.query(request)
        assert {it.criteria for it in itineraries} == brute_force_front(net, departures, request)
        assert [("O", "B"), ("B", "A"), ("A", "C")] in [
            [(leg.from_place, leg.to_place) for leg in it.legs] for it in itineraries
        ]


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        (datetime(2000, 1, 1, tzinfo=UTC), True),
        (datetime(2100, 1, 1, tzinfo=UTC), True),
        (datetime(1999, 12, 31, 23, 59, tzinfo=UTC), False),
        (datetime(2100, 1, 1, 0, 1, tzinfo=UTC), False),
        # 2000-01-01 07:00 at +08:00 is 1999-12-31 23:00 UTC
        (datetime(2000, 1, 1, 7, 0, tzinfo=timezone(timedelta(hours=8))), False),
        (datetime(2050, 6, 1), True),  # naive: read as UTC
        (datetime(1990, 6, 1), False),
    ],
)
def test_time_bounds_are_in_utc(moment: datetime, inside: bool) -> None:
    assert within_time_bounds(moment) is inside


def test_horizon_counts_from_the_exact_ready_time() -> None:
    """A 1-day horizon from 08:00 takes the next day's 08:00 trip; from 07:59:59.5 it does not.

    The search rounds ready up to the second (a shipment ready at 07:59:59.5 misses a trip at
    07:59:59); the horizon must not grow by that half second.
    """
    net = _net([(_service("AC", Mode.AIR, "10"), [("A", None, 0), ("C", 60, None)], "08:00")])
    tomorrow = DAY + timedelta(days=1)
    net = dataclasses.replace(
        net, calendars=(CalendarRule("AC", (True,) * 7, time(8), tomorrow, tomorrow),)
    )
    departures = expand_departures(net, DAY, tomorrow)
    on_time = datetime.combine(DAY, time(8), tzinfo=UTC)
    for ready, found in ((on_time, ["AC@2025-03-04"]), (on_time - timedelta(seconds=0.5), [])):
        request = QuoteRequest("A", "C", ready, 100.0, horizon_days=1)
        assert [it.legs[0].departure_id for it in quote(net, request)] == found, ready
        assert len(brute_force_front(net, departures, request)) == len(found)


@pytest.mark.parametrize(
    ("field", "moment"),
    [
        ("ready", datetime(9999, 12, 1, tzinfo=UTC)),
        ("ready", datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5)))),
        ("ready", datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))),
        ("ready", datetime(1999, 12, 31, 23, 59, tzinfo=UTC)),
        ("latest_arrival", datetime(2100, 1, 2, tzinfo=UTC)),
    ],
)
def test_request_refuses_times_outside_the_bounds(field: str, moment: datetime) -> None:
    """Far-off times are a ValueError when the request is built, not an overflow in quote()."""
    times = {"ready": datetime(2025, 3, 3, tzinfo=UTC), field: moment}
    with pytest.raises(ValueError, match=f"^{field} must be between 2000"):
        QuoteRequest("A", "C", weight_kg=1.0, **times)  # type: ignore[arg-type]


def _utc_place(pid: str, lon: float) -> Place:
    return Place(pid, pid, PlaceKind.ROAD_HUB, "CN", 30.0, lon, "UTC")


def _daily(sid: str, start: str, days: int = 3) -> CalendarRule:
    return CalendarRule(sid, (True,) * 7, time.fromisoformat(start), DAY, DAY + timedelta(days))


def _road(frm: str, to: str, minutes: int, km: float, ppk: str) -> Link:
    return Link(frm, to, Mode.ROAD, minutes, km, Decimal(ppk), Decimal("0"), "CNY")


def test_a_ride_boarded_upstream_whose_trip_moves_does_not_prune_one_boarded_downstream() -> None:
    """A daily train A → B → C: B → C is full on day 1, A → B on day 2.

    Boarded at A (the cheap link O → A), the ride must move to day 3's train; boarded at B
    (the dear link O → B), it takes day 2's. The ride from A, cheaper, must not knock the ride
    from B out of the route's bag: it has moved to a later trip because of a leg the other
    never rides. Without that rule the 2nd day's itinerary was lost (an audit's mutant).
    """
    train = Service("S", Mode.RAIL, "op", "train", 10000, 60, Decimal("1"), Decimal("0"), "CNY")
    net = Network(
        places={p: _utc_place(p, lon) for p, lon in (("O", 99), ("A", 100), ("B", 101), ("C", 102))},
        services={"S": train},
        stops={"S": (Stop("S", 1, "A", None, 0, None), Stop("S", 2, "B", 60, 120, None),
                     Stop("S", 3, "C", 180, None, None))},
        calendars=(_daily("S", "08:00", days=2),),
        transfers=(),
        links=(_road("O", "A", 30, 1.0, "1"), _road("O", "B", 30, 500.0, "5")),
    )  # fmt: skip
    departures = expand_departures(net, DAY, DAY + timedelta(days=2))
    departures[0] = dataclasses.replace(departures[0], remaining_kg=(10000.0, 0.0))
    departures[1] = dataclasses.replace(departures[1], remaining_kg=(0.0, 10000.0))
    request = QuoteRequest("O", "C", datetime.combine(DAY, time(7), tzinfo=UTC), 100, 0,
                           max_boardings=2)  # fmt: skip
    itineraries = Router(net, departures).query(request)
    assert {it.criteria for it in itineraries} == brute_force_front(net, departures, request)
    assert [it.legs[0].service_id for it in itineraries] == ["link:O>B", "link:O>A"]
    for it in itineraries:
        check_itinerary(net, departures, request, it)


def test_a_label_ready_later_for_a_mode_does_not_dominate_one_that_arrived_later() -> None:
    """Rail reaches X at 10:00 but needs 600 min to board air; the road link, at 11:00, none.

    The rail label is earlier, cheaper and cleaner, yet it must not remove the road label:
    only the road one makes the 12:00 flight. Dominance without the transfer per boarding mode
    had lost the fastest itinerary (an audit's mutant).
    """
    rail = Service("R", Mode.RAIL, "op", "train", 10000, 60, Decimal("0.1"), Decimal("0"), "CNY")
    air = Service("F", Mode.AIR, "op", "B777F", 10000, 60, Decimal("10"), Decimal("0"), "CNY")
    net = Network(
        places={p: _utc_place(p, lon) for p, lon in (("O", 100), ("X", 101), ("D", 110))},
        services={"R": rail, "F": air},
        stops={"R": (Stop("R", 1, "O", None, 0, 100.0), Stop("R", 2, "X", 120, None, 100.0)),
               "F": (Stop("F", 1, "X", None, 0, None), Stop("F", 2, "D", 120, None, None))},
        calendars=(_daily("R", "08:00"), _daily("F", "12:00")),
        transfers=(TransferRule("X", 600, Mode.RAIL, Mode.AIR),),
        links=(_road("O", "X", 180, 200.0, "1"),),
    )  # fmt: skip
    departures = expand_departures(net, DAY, DAY + timedelta(days=3))
    request = QuoteRequest("O", "D", datetime.combine(DAY, time(7, 30), tzinfo=UTC), 100, 0,
                           max_boardings=2)  # fmt: skip
    itineraries = Router(net, departures).query(request)
    assert {it.criteria for it in itineraries} == brute_force_front(net, departures, request)
    assert [[leg.service_id for leg in it.legs] for it in itineraries] == [
        ["link:O>X", "F"],
        ["R", "F"],
    ]
