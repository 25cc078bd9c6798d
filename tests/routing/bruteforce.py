"""A brute-force reference router: enumerate every itinerary, keep the Pareto front.

It reads the domain objects directly (departures, links, transfer rules, Decimal tariffs)
and shares nothing with the router but the documented per-leg formulas, so a disagreement
points at the router's search, not at a shared bug in the compiled arrays.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from silkhub.model import Departure, Mode, Network
from silkhub.network import leg_distance_km
from silkhub.routing import (
    Itinerary,
    QuoteRequest,
    chargeable_grams,
    default_emission_factors,
    default_fx_rates,
    leg_co2e_grams,
    leg_price,
)

Point = tuple[datetime, int, int]  # (arrival, price cents, grams CO₂e)


@dataclass(frozen=True)
class Step:
    """One leg found by the enumeration (enough to rebuild the point)."""

    label: str
    to_place: str
    arrival: datetime


def _cents(amount: object) -> int:
    return int(amount * 100)  # type: ignore[operator]


def leg_km(network: Network, service_id: str, board: int, alight: int) -> list[float]:
    """Per-leg distances of a ride: the stop's distance_km, else the computed distance."""
    stops = network.stops[service_id]
    mode = network.services[service_id].mode
    out = []
    for i in range(board, alight):
        nxt = stops[i + 1]
        if nxt.distance_km:
            out.append(float(nxt.distance_km))
        else:
            out.append(
                leg_distance_km(
                    mode, network.places[stops[i].place_id], network.places[nxt.place_id]
                )
            )
    return out


def ride_cost(
    network: Network, dep: Departure, board: int, alight: int, request: QuoteRequest
) -> tuple[int, int]:
    """(price cents in the quote currency, grams CO₂e) of riding ``dep`` from board to alight."""
    service = network.services[dep.service_id]
    grams = chargeable_grams(service.mode, request.weight_kg, request.volume_m3)
    price = leg_price(
        service.price_per_kg,
        service.min_charge,
        service.currency,
        grams,
        request.currency,
        default_fx_rates(),
    )
    factor = default_emission_factors().factor_for(service.mode, service.vehicle)
    co2 = sum(
        leg_co2e_grams(factor.g_co2e_per_tkm_wtw, km, request.weight_kg)
        for km in leg_km(network, dep.service_id, board, alight)
    )
    return _cents(price.amount), co2


def link_cost(network: Network, index: int, request: QuoteRequest) -> tuple[int, int]:
    """(price cents, grams CO₂e) of one use of link ``index``."""
    link = network.links[index]
    grams = chargeable_grams(link.mode, request.weight_kg, request.volume_m3)
    price = leg_price(
        link.price_per_kg,
        link.min_charge,
        link.currency,
        grams,
        request.currency,
        default_fx_rates(),
    )
    factor = default_emission_factors().factor_for(link.mode)
    return _cents(price.amount), leg_co2e_grams(
        factor.g_co2e_per_tkm_wtw, link.distance_km, request.weight_kg
    )


def _usable(network: Network, mode: Mode, request: QuoteRequest, service_id: str | None) -> bool:
    if not request.allows(mode):
        return False
    return service_id is None or network.services[service_id].accepts(request.cargo_class)


def whole_second_up(moment: datetime) -> datetime:
    """Where a search starts: the ready time with its fraction of a second rounded up.

    Times are whole seconds (docs/routing.md); the horizon still counts from the exact ready
    time.
    """
    if moment.microsecond:
        return moment.replace(microsecond=0) + timedelta(seconds=1)
    return moment


@dataclass(frozen=True)
class State:
    """Where a partial itinerary stands: after ``boardings`` boardings, at ``place`` at ``t``."""

    place: str
    t: datetime
    price: int
    co2: int
    boardings: int


def brute_force_front(
    network: Network, departures: list[Departure], request: QuoteRequest
) -> set[Point]:
    """Every itinerary's (arrival, price, CO₂e), reduced to the Pareto front."""
    return pareto(
        {(p[-1].t, p[-1].price, p[-1].co2) for p in all_itineraries(network, departures, request)}
    )


def all_itineraries(
    network: Network, departures: list[Departure], request: QuoteRequest
) -> Iterator[list[State]]:
    """Every itinerary to the destination, as the states it passes (origin first)."""
    path: list[State] = []
    costs: dict[tuple[str, int, int], tuple[int, int]] = {}
    latest = request.latest_arrival
    last_start = request.ready + timedelta(days=request.horizon_days)

    def visit(
        place: str, t: datetime, arrived_by: Mode | None, price: int, co2: int, boardings: int
    ) -> Iterator[list[State]]:
        path.append(State(place, t, price, co2, boardings))
        try:
            yield from extend(place, t, arrived_by, price, co2, boardings)
        finally:
            path.pop()

    def extend(
        place: str, t: datetime, arrived_by: Mode | None, price: int, co2: int, boardings: int
    ) -> Iterator[list[State]]:
        if place == request.destination and boardings:
            yield list(path)
            return  # going on and coming back can only arrive later and cost more
        if boardings == request.max_boardings:
            return
        for dep in departures:
            service = network.services[dep.service_id]
            if not _usable(network, service.mode, request, dep.service_id):
                continue
            if dep.first_departure > last_start:
                continue  # starts its run after the request's horizon
            ready = t + timedelta(minutes=network.transfer_minutes(place, arrived_by, service.mode))
            for i, st in enumerate(dep.stop_times[:-1]):
                if st.place_id != place or st.departure is None or st.departure < ready:
                    continue
                for j in range(i + 1, len(dep.stop_times)):
                    if not dep.can_carry(i, j, request.weight_kg, request.volume_m3):
                        break
                    arrival = dep.stop_times[j].arrival
                    assert arrival is not None
                    if latest is not None and arrival > latest:
                        break
                    if dep.stop_times[j].place_id == place:
                        continue  # a leg goes between two places (a loop's return is not one)
                    key = (dep.departure_id, i, j)
                    if key not in costs:
                        costs[key] = ride_cost(network, dep, i, j, request)
                    dp, dc = costs[key]
                    yield from visit(
                        dep.stop_times[j].place_id,
                        arrival,
                        service.mode,
                        price + dp,
                        co2 + dc,
                        boardings + 1,
                    )
        for index, link in enumerate(network.links):
            if link.from_place != place or not _usable(network, link.mode, request, None):
                continue
            arrival = t + timedelta(minutes=link.duration_min)
            if latest is not None and arrival > latest:
                continue
            dp, dc = link_cost(network, index, request)
            yield from visit(link.to_place, arrival, link.mode, price + dp, co2 + dc, boardings + 1)

    yield from visit(request.origin, whole_second_up(request.ready), None, 0, 0, 0)


def pareto(points: set[Point]) -> set[Point]:
    """The points no other point beats or equals in all three criteria."""
    return {
        p
        for p in points
        if not any(q != p and q[0] <= p[0] and q[1] <= p[1] and q[2] <= p[2] for q in points)
    }


def check_itinerary(
    network: Network, departures: list[Departure], request: QuoteRequest, it: Itinerary
) -> None:
    """Assert ``it`` obeys every rule: timetable, transfers, capacity, filters, totals."""
    by_id = {d.departure_id: d for d in departures}
    place, t, arrived_by = request.origin, whole_second_up(request.ready), None
    price = co2 = 0
    assert len(it.legs) <= request.max_boardings
    for leg in it.legs:
        assert leg.from_place == place
        assert leg.to_place != leg.from_place, leg
        assert leg.arrival > leg.departure, leg
        assert leg.currency == request.currency
        assert leg.price.currency == request.currency
        assert request.allows(leg.mode)
        if leg.departure_id is None:
            costs = {
                link_cost(network, k, request)
                for k, link in enumerate(network.links)
                if f"link:{link.from_place}>{link.to_place}" == leg.service_id
                and link.mode == leg.mode
                and timedelta(minutes=link.duration_min) == leg.arrival - leg.departure
            }
            assert leg.departure == t
            dp, dc = _cents(leg.price.amount), leg.co2e_grams
            assert (dp, dc) in costs  # parallel links may differ only in tariff
            assert any(
                leg.distance_km == link.distance_km
                for link in network.links
                if f"link:{link.from_place}>{link.to_place}" == leg.service_id
            ), leg
        else:
            dep = by_id[leg.departure_id]
            service = network.services[dep.service_id]
            assert service.accepts(request.cargo_class)
            places = [st.place_id for st in dep.stop_times]
            i = next(
                k
                for k in range(len(places) - 1)
                if places[k] == leg.from_place and dep.stop_times[k].departure == leg.departure
            )
            j = next(
                k
                for k in range(i + 1, len(places))
                if places[k] == leg.to_place and dep.stop_times[k].arrival == leg.arrival
            )
            assert dep.stop_times[j].arrival == leg.arrival
            transfer = timedelta(minutes=network.transfer_minutes(place, arrived_by, service.mode))
            assert t + transfer <= leg.departure
            assert dep.can_carry(i, j, request.weight_kg, request.volume_m3)
            assert dep.first_departure <= request.ready + timedelta(days=request.horizon_days)
            dp, dc = ride_cost(network, dep, i, j, request)
            km = sum(leg_km(network, dep.service_id, i, j))
            assert math.isclose(leg.distance_km, km, rel_tol=1e-12), (leg, km)
        assert _cents(leg.price.amount) == dp, (leg, dp, request)
        assert leg.co2e_grams == dc, (leg, dc, network.stops.get(leg.service_id))
        price, co2 = price + dp, co2 + dc
        place, t, arrived_by = leg.to_place, leg.arrival, leg.mode
    assert place == request.destination
    assert request.latest_arrival is None or it.arrival <= request.latest_arrival
    assert (_cents(it.price.amount), it.co2e_grams) == (price, co2)
    assert it.price.currency == request.currency
