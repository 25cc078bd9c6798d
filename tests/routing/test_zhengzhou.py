"""The seed cases on the embedded Zhengzhou network, plus a brute-force check on it."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import pytest
from bruteforce import brute_force_front, check_itinerary

from silkhub.model import CargoClass, Mode, Network
from silkhub.network import default_network, expand_departures
from silkhub.routing import Itinerary, QuoteRequest, Router, quote, quote_window

READY = datetime.fromisoformat("2025-09-01T08:00+08:00")


@pytest.fixture(scope="module")
def zhengzhou() -> Network:
    """The embedded Zhengzhou hub network."""
    return default_network()


def _ask(net: Network, origin: str, destination: str, **kw: object) -> list[Itinerary]:
    request = QuoteRequest(origin, destination, READY, 500.0, 2.5, **kw)  # type: ignore[arg-type]
    itineraries = quote(net, request)
    departures = expand_departures(net, *quote_window(net, request))
    for it in itineraries:
        check_itinerary(net, departures, request, it)
    return itineraries


def test_yiwu_to_madrid_by_truck_and_the_madrid_freighter(zhengzhou: Network) -> None:
    """Yiwu cargo is trucked to Zhengzhou airport and flown on the Madrid freighter."""
    itineraries = _ask(zhengzhou, "YIW", "MAD")
    assert itineraries
    shapes = [[(leg.mode, leg.from_place, leg.to_place) for leg in it.legs] for it in itineraries]
    assert any(
        shape[0] == (Mode.ROAD, "YIW", "CGO") and shape[-1] == (Mode.AIR, "CGO", "MAD")
        for shape in shapes
    )


def test_zhengzhou_to_felixstowe_rail_then_sea_via_qingdao(zhengzhou: Network) -> None:
    """Rail from the land port to Qingdao, then a sailing to Felixstowe, is on the front."""
    itineraries = _ask(zhengzhou, "CNZGZ", "GBFXT")
    assert any(
        [leg.mode for leg in it.legs] == [Mode.RAIL, Mode.SEA] and it.legs[0].to_place == "CNTAO"
        for it in itineraries
    )


def test_zhengzhou_to_almaty_offers_tir_and_train(zhengzhou: Network) -> None:
    """To Almaty the front holds a TIR truck run and a train, the train cheaper and cleaner."""
    itineraries = _ask(zhengzhou, "CNZGZ", "KZALA")
    by_road = [it for it in itineraries if all(leg.mode is Mode.ROAD for leg in it.legs)]
    by_rail = [it for it in itineraries if any(leg.mode is Mode.RAIL for leg in it.legs)]
    assert by_road
    assert by_rail
    cheapest_train = min(by_rail, key=lambda it: it.price.amount)
    assert all(cheapest_train.price.amount < truck.price.amount for truck in by_road)
    assert all(cheapest_train.co2e_grams < truck.co2e_grams for truck in by_road)


def test_quote_boards_a_train_that_left_before_the_ready_time(zhengzhou: Network) -> None:
    """A train that left Zhengzhou days before the shipment is ready still calls at Almaty.

    ``quote()`` must answer as a router over every departure since long before would: here
    the front holds a train that started its run more than a day before the ready time.
    """
    ready = datetime.fromisoformat("2026-12-01T08:00+05:00")
    request = QuoteRequest("KZALA", "UZTAS", ready, 500.0, 2.5)
    start, end = quote_window(zhengzhou, request)
    assert start < (ready - timedelta(days=7)).date()  # the CRE trains run for days
    wide = Router.for_window(zhengzhou, start - timedelta(days=90), end).query(request)
    itineraries = quote(zhengzhou, request)
    assert itineraries == wide
    departures = {d.departure_id: d for d in expand_departures(zhengzhou, start, end)}
    started_before = [
        leg
        for it in itineraries
        for leg in it.legs
        if leg.departure_id is not None
        and departures[leg.departure_id].stop_times[0].departure < ready - timedelta(days=1)
    ]
    assert started_before


@pytest.mark.parametrize(
    ("origin", "destination"), [("YIW", "MAD"), ("CNZGZ", "KZALA"), ("CGO", "ALA")]
)
@pytest.mark.parametrize("threads", [1, 2])
def test_front_equals_brute_force_on_the_embedded_network(
    zhengzhou: Network, origin: str, destination: str, threads: int
) -> None:
    """Over a ten-day window the router's front on the real network equals the brute force."""
    departures = expand_departures(zhengzhou, date(2025, 8, 31), date(2025, 9, 10))
    request = QuoteRequest(origin, destination, READY, 500.0, 2.5, max_boardings=3)
    router = Router(zhengzhou, departures, threads=threads)
    router._route_chunk = 1  # with two threads, both get routes on this small network
    got = {it.criteria for it in router.query(request)}
    assert got == brute_force_front(zhengzhou, departures, request)
    later = dataclasses.replace(request, ready=READY + timedelta(days=2))
    assert {it.criteria for it in router.query(later)} == brute_force_front(
        zhengzhou, departures, later
    )


@pytest.mark.parametrize("threads", [1, 2])
def test_a_search_that_outgrows_its_label_pool_reruns_to_the_same_front(
    zhengzhou: Network, monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    """A tiny label pool makes searches stop midway and grow; fronts still equal brute force."""
    import silkhub.routing.router as router_module

    departures = expand_departures(zhengzhou, date(2025, 8, 31), date(2025, 9, 10))
    requests = [
        QuoteRequest(o, d, READY + timedelta(hours=h), 500.0, 2.5, max_boardings=3)
        for h, (o, d) in enumerate([("YIW", "MAD"), ("CNZGZ", "KZALA"), ("CGO", "ALA")] * 2)
    ]
    monkeypatch.setattr(router_module, "_INITIAL_POOL", 2)
    # its workspace is reused by every query below
    router = Router(zhengzhou, departures, threads=threads)
    router._route_chunk = 1
    for request in requests:
        got = {it.criteria for it in router.query(request)}
        assert got == brute_force_front(zhengzhou, departures, request)


def test_one_router_serves_interleaved_filters_and_weights_exactly(zhengzhou: Network) -> None:
    """Cached filters, reused arrays: alternating modes, classes and weights still give the front."""
    departures = expand_departures(zhengzhou, date(2025, 8, 31), date(2025, 9, 10))
    router = Router(zhengzhou, departures)
    variants: list[dict[str, object]] = [
        {},
        {"modes": frozenset({Mode.RAIL, Mode.ROAD})},
        {"cargo_class": CargoClass.DANGEROUS_GOODS},
        {"modes": frozenset({Mode.AIR, Mode.ROAD}), "cargo_class": CargoClass.E_COMMERCE},
        {},
    ]
    for (origin, destination), weight in (
        (("YIW", "MAD"), 50.0),
        (("CGO", "ALA"), 2000.0),
        (("CNZGZ", "KZALA"), 500.0),
    ):
        for extra in variants:
            request = QuoteRequest(
                origin,
                destination,
                READY,
                weight,
                1.0,
                max_boardings=3,
                **extra,  # type: ignore[arg-type]
            )
            got = {it.criteria for it in router.query(request)}
            assert got == brute_force_front(zhengzhou, departures, request), (request, extra)
