"""Compile a network and its dated departures into flat NumPy arrays for the search kernel.

RAPTOR-family routers scan *routes*: sets of trips that call at the same stops with the same
running times, so trips never overtake one another and "the first trip that can be caught"
is found by binary search. Here a route is one service with one set of stop offsets (every
run of a service has the same elapsed minutes, so a service is normally one route). All
times are integer seconds since the Unix epoch (UTC); transfers are seconds too.

Compiling is the slow, once-per-window step; a query then touches only arrays.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from silkhub.model import CargoClass, Departure, Mode, Network
from silkhub.network import leg_distance_km
from silkhub.routing.emissions import EmissionFactors
from silkhub.routing.fx import FxRates
from silkhub.routing.tariff import scaled_tariff

__all__ = ["MODES", "Timetable", "compile_timetable", "epoch_seconds"]

log = logging.getLogger("silkhub.routing")

#: Mode codes used in the arrays; code 0 of "arrived by" means "nothing yet" (the origin).
MODES: tuple[Mode, ...] = (Mode.AIR, Mode.RAIL, Mode.SEA, Mode.ROAD)
MODE_CODE = {mode: i for i, mode in enumerate(MODES)}
CLASS_BIT = {cls: 1 << i for i, cls in enumerate(CargoClass)}

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
F64 = npt.NDArray[np.float64]
I8 = npt.NDArray[np.int8]
B = npt.NDArray[np.bool_]
#: What makes a route: its service, its stops' places and its running times (seconds from
#: the first departure to each stop's arrival and departure).
RouteKey = tuple[str, tuple[str, ...], tuple[tuple[int, int], ...]]


def epoch_seconds(moment: datetime) -> int:
    """Whole seconds since the epoch, rounded *up* (a ready time of 08:00:30 misses 08:00)."""
    ts = moment.timestamp()
    whole = int(ts)
    return whole + 1 if whole < ts else whole


@dataclass(frozen=True, slots=True, eq=False)
class Timetable:
    """The arrays a query reads; built once by ``compile_timetable``.

    Routes are stored CSR-style: route ``r`` has stops ``stop_ptr[r]:stop_ptr[r+1]`` and trips
    ``trip_ptr[r]:trip_ptr[r+1]`` (sorted by departure). Every trip of a route has the same
    running times, so trip ``t`` (a global index) arrives at stop ``s`` (indexed like
    ``stop_place``) at ``trip_start[t] + off_arr[s]`` and leaves at ``trip_start[t] +
    off_dep[s]`` (an offset of −1: no arrival at the first stop, no departure at the last).
    The capacity of trip ``j`` (0-based within the route) on leg ``i`` is at
    ``cap_ptr[r] + j * (n_stops - 1) + i``.
    """

    place_ids: tuple[str, ...]
    place_index: dict[str, int]
    # routes
    route_service: tuple[str, ...]
    route_mode: I8
    route_class_mask: I64  # 0: every cargo class; else a bit per accepted class
    route_ppk: I64
    route_min: I64
    route_rate: I64
    route_air: I8
    route_min_kg: F64
    route_min_m3: F64
    route_loops: B  # whether the route calls at some place twice
    stop_ptr: I64
    stop_place: I32
    leg_km: F64  # indexed like stop_place; entry i is the leg from stop i to stop i+1
    leg_gpt: F64  # g CO₂e per tonne on that leg (intensity × distance)
    trip_ptr: I64
    trip_route: I32  # the route of each trip (trip_ptr inverted)
    trip_departure_id: tuple[str, ...]
    trip_start: I64  # each trip's first departure
    off_arr: I64
    off_dep: I64
    cap_ptr: I64
    cap_kg: F64
    cap_m3: F64
    # place → (route, stop position)
    pr_ptr: I64
    pr_route: I32
    pr_pos: I32
    # links, grouped by start place
    link_ptr: I64
    link_from: I32
    link_to: I32
    link_mode: I8
    link_dur: I64
    link_km: F64
    link_gpt: F64
    link_ppk: I64
    link_min: I64
    link_rate: I64
    link_currency: tuple[str, ...]
    link_key: tuple[int, ...]  # index of each link in network.links
    # reverse "ride graph" for lower bounds: edges p → q (one per route stop pair or link),
    # grouped by q; redge_ref ≥ 0 is a route, < 0 the link −1 − ref
    redge_ptr: I64
    redge_from: I32
    redge_ref: I64
    redge_time: I64
    redge_gpt: F64
    redge_legs: I64
    # transfers: seconds, [place, arrived-by code (0 = origin, 1 + mode code), boarding mode]
    transfer: I64
    network: Network
    rates: FxRates
    factors: EmissionFactors

    @property
    def n_places(self) -> int:
        """Number of places."""
        return len(self.place_ids)

    @property
    def n_routes(self) -> int:
        """Number of routes."""
        return len(self.route_service)

    @property
    def n_trips(self) -> int:
        """Number of dated departures compiled."""
        return len(self.trip_departure_id)


def _offsets(dep: Departure) -> tuple[tuple[int, int], ...]:
    """Seconds from the first departure to each stop's arrival and departure (−1: none).

    Computed from the same whole epoch seconds the arrays hold, so every trip of a route is
    exactly its start plus the route's offsets.
    """
    start = epoch_seconds(dep.first_departure)
    return tuple(
        (
            -1 if st.arrival is None else epoch_seconds(st.arrival) - start,
            -1 if st.departure is None else epoch_seconds(st.departure) - start,
        )
        for st in dep.stop_times
    )


def _busiest_first(groups: Iterable[RouteKey]) -> list[RouteKey]:
    """Number the routes by their busiest stops, so that busy routes sit together in memory.

    A query scans the routes through the places its labels reach, and most of them reach
    the same few hubs, so the routes through hubs are scanned by nearly every query. Ordered
    by the ranks of their stops (a place's rank: how many routes call there, most first),
    the routes of each hub are neighbours in every per-route, per-stop and per-trip array,
    and the cache lines a query loads are shared by more of the routes it scans. Measured
    on the benchmark's world network: the same answers, 6-10 % less time per query than
    numbering by service id (docs/benchmarks.md).
    """
    keys = list(groups)
    calls = Counter(place for key in keys for place in set(key[1]))
    ranked = sorted(calls, key=lambda place: (-calls[place], place))
    rank = {place: i for i, place in enumerate(ranked)}
    return sorted(keys, key=lambda key: (sorted(rank[place] for place in key[1]), key))


def compile_timetable(
    network: Network,
    departures: Sequence[Departure],
    rates: FxRates,
    factors: EmissionFactors,
) -> Timetable:
    """Turn ``departures`` of ``network`` into a ``Timetable`` (grouping, sorting, pricing)."""
    place_ids = tuple(sorted(network.places))
    place_index = {p: i for i, p in enumerate(place_ids)}

    # Group trips into routes: same service, same stops, same running times.
    groups: dict[RouteKey, list[Departure]]
    groups = {}
    for dep in departures:
        if dep.service_id not in network.services:
            raise ValueError(f"departure {dep.departure_id}: unknown service {dep.service_id}")
        key = (dep.service_id, tuple(st.place_id for st in dep.stop_times), _offsets(dep))
        groups.setdefault(key, []).append(dep)

    route_keys = _busiest_first(groups)
    n_routes = len(route_keys)
    route_service: list[str] = []
    route_mode = np.zeros(n_routes, np.int8)
    route_class_mask = np.zeros(n_routes, np.int64)
    route_ppk = np.zeros(n_routes, np.int64)
    route_min = np.zeros(n_routes, np.int64)
    route_rate = np.zeros(n_routes, np.int64)
    route_air = np.zeros(n_routes, np.int8)
    route_min_kg = np.zeros(n_routes, np.float64)
    route_min_m3 = np.zeros(n_routes, np.float64)
    route_loops = np.zeros(n_routes, np.bool_)
    stop_ptr = np.zeros(n_routes + 1, np.int64)
    trip_ptr = np.zeros(n_routes + 1, np.int64)
    cap_ptr = np.zeros(n_routes + 1, np.int64)
    for r, key in enumerate(route_keys):
        n_stops, n_trips = len(key[1]), len(groups[key])
        stop_ptr[r + 1] = stop_ptr[r] + n_stops
        trip_ptr[r + 1] = trip_ptr[r] + n_trips
        cap_ptr[r + 1] = cap_ptr[r] + n_trips * (n_stops - 1)

    stop_place = np.zeros(int(stop_ptr[-1]), np.int32)
    leg_km = np.zeros(int(stop_ptr[-1]), np.float64)
    leg_gpt = np.zeros(int(stop_ptr[-1]), np.float64)
    off_arr = np.zeros(int(stop_ptr[-1]), np.int64)
    off_dep = np.zeros(int(stop_ptr[-1]), np.int64)
    trip_start = np.zeros(int(trip_ptr[-1]), np.int64)
    cap_kg = np.zeros(int(cap_ptr[-1]), np.float64)
    cap_m3 = np.zeros(int(cap_ptr[-1]), np.float64)
    trip_ids: list[str] = []
    km_cache: dict[tuple[str, int], float] = {}

    for r, key in enumerate(route_keys):
        service = network.services[key[0]]
        stops_pattern = key[1]
        n_stops = len(stops_pattern)
        route_service.append(service.service_id)
        route_loops[r] = len(set(stops_pattern)) < n_stops
        route_mode[r] = MODE_CODE[service.mode]
        route_air[r] = service.mode is Mode.AIR
        route_class_mask[r] = sum(CLASS_BIT[c] for c in service.cargo_classes)
        route_ppk[r], route_min[r] = scaled_tariff(
            service.price_per_kg, service.min_charge, f"service {service.service_id}"
        )
        route_rate[r] = rates.scaled(service.currency)
        intensity = factors.factor_for(service.mode, service.vehicle).g_co2e_per_tkm_wtw
        declared = network.stops.get(service.service_id, ())
        s0 = int(stop_ptr[r])
        for i, place in enumerate(stops_pattern):
            stop_place[s0 + i] = place_index[place]
            if i + 1 < n_stops:
                km = km_cache.get((service.service_id, i))
                if km is None:
                    nxt = declared[i + 1] if i + 1 < len(declared) else None
                    if nxt is not None and nxt.place_id == stops_pattern[i + 1] and nxt.distance_km:
                        km = float(nxt.distance_km)
                    else:
                        km = leg_distance_km(
                            service.mode,
                            network.places[place],
                            network.places[stops_pattern[i + 1]],
                        )
                    km_cache[(service.service_id, i)] = km
                leg_km[s0 + i] = km
                leg_gpt[s0 + i] = intensity * km
        for i, (arrive, leave) in enumerate(key[2]):
            off_arr[s0 + i] = arrive
            off_dep[s0 + i] = leave
        trips = sorted(groups[key], key=lambda d: (d.first_departure, d.departure_id))
        # One block assignment per route: a NumPy slice assignment per trip cost more than the
        # rest of the loop.
        t0 = int(trip_ptr[r])
        trip_ids.extend(trip.departure_id for trip in trips)
        trip_start[t0 : t0 + len(trips)] = [epoch_seconds(trip.first_departure) for trip in trips]
        block = slice(int(cap_ptr[r]), int(cap_ptr[r + 1]))
        cap_kg[block] = [kg for trip in trips for kg in trip.remaining_kg]
        cap_m3[block] = [m3 for trip in trips for m3 in trip.remaining_m3]
        route_min_kg[r] = cap_kg[block].min()
        route_min_m3[r] = cap_m3[block].min()

    # place → (route, position), sorted by place
    pr_place = stop_place.astype(np.int64)
    pr_route_all = np.repeat(np.arange(n_routes, dtype=np.int32), np.diff(stop_ptr))
    pr_pos_all = (np.arange(len(stop_place)) - np.repeat(stop_ptr[:-1], np.diff(stop_ptr))).astype(
        np.int32
    )
    order = np.argsort(pr_place, kind="stable")
    pr_ptr = np.zeros(len(place_ids) + 1, np.int64)
    np.cumsum(np.bincount(pr_place, minlength=len(place_ids)), out=pr_ptr[1:])

    # links grouped by start place
    links = sorted(
        range(len(network.links)),
        key=lambda k: (place_index[network.links[k].from_place], k),
    )
    n_links = len(links)
    link_from = np.zeros(n_links, np.int32)
    link_to = np.zeros(n_links, np.int32)
    link_mode = np.zeros(n_links, np.int8)
    link_dur = np.zeros(n_links, np.int64)
    link_km = np.zeros(n_links, np.float64)
    link_gpt = np.zeros(n_links, np.float64)
    link_ppk = np.zeros(n_links, np.int64)
    link_min = np.zeros(n_links, np.int64)
    link_rate = np.zeros(n_links, np.int64)
    for n, k in enumerate(links):
        link = network.links[k]
        link_from[n] = place_index[link.from_place]
        link_to[n] = place_index[link.to_place]
        link_mode[n] = MODE_CODE[link.mode]
        link_dur[n] = link.duration_min * 60
        link_km[n] = link.distance_km
        intensity = factors.factor_for(link.mode).g_co2e_per_tkm_wtw
        link_gpt[n] = intensity * link.distance_km
        link_ppk[n], link_min[n] = scaled_tariff(
            link.price_per_kg, link.min_charge, f"link {link.from_place}>{link.to_place}"
        )
        link_rate[n] = rates.scaled(link.currency)
    link_ptr = np.zeros(len(place_ids) + 1, np.int64)
    np.cumsum(np.bincount(link_from, minlength=len(place_ids)), out=link_ptr[1:])

    transfer = np.zeros((len(place_ids), 1 + len(MODES), len(MODES)), np.int64)
    for rule_place in {rule.place_id for rule in network.transfers}:
        p = place_index[rule_place]
        for a, arrived in enumerate((None, *MODES)):
            for b, boarding in enumerate(MODES):
                transfer[p, a, b] = 60 * network.transfer_minutes(rule_place, arrived, boarding)

    # The least transfer before boarding each mode at each place, for a shipment that arrived
    # by any mode: every label the bounds are added to has arrived somewhere, so a ride edge
    # of the bound graph costs this transfer plus its running time (links need none).
    least_transfer = transfer[:, 1:, :].min(axis=1)
    redges: list[tuple[int, int, int, int, float, int]] = []
    for r in range(n_routes):
        s0, s1 = int(stop_ptr[r]), int(stop_ptr[r + 1])
        for i in range(s1 - s0 - 1):
            gpt = 0.0
            for j in range(i + 1, s1 - s0):
                gpt += float(leg_gpt[s0 + j - 1])
                redges.append(
                    (
                        int(stop_place[s0 + j]),
                        int(stop_place[s0 + i]),
                        r,
                        int(off_arr[s0 + j] - off_dep[s0 + i])
                        + int(least_transfer[stop_place[s0 + i], route_mode[r]]),
                        gpt,
                        j - i,
                    )
                )
    for n in range(n_links):
        redges.append(
            (int(link_to[n]), int(link_from[n]), -1 - n, int(link_dur[n]), float(link_gpt[n]), 1)
        )
    redges.sort(key=lambda e: e[0])
    redge_to = np.array([e[0] for e in redges], np.int64)
    redge_from = np.array([e[1] for e in redges], np.int32)
    redge_ptr = np.zeros(len(place_ids) + 1, np.int64)
    np.cumsum(np.bincount(redge_to, minlength=len(place_ids)), out=redge_ptr[1:])

    log.debug("compiled %d routes, %d trips, %d links", n_routes, len(trip_ids), n_links)
    return Timetable(
        place_ids=place_ids,
        place_index=place_index,
        route_service=tuple(route_service),
        route_mode=route_mode,
        route_class_mask=route_class_mask,
        route_ppk=route_ppk,
        route_min=route_min,
        route_rate=route_rate,
        route_air=route_air,
        route_min_kg=route_min_kg,
        route_min_m3=route_min_m3,
        route_loops=route_loops,
        stop_ptr=stop_ptr,
        stop_place=stop_place,
        leg_km=leg_km,
        leg_gpt=leg_gpt,
        trip_ptr=trip_ptr,
        trip_route=np.repeat(np.arange(n_routes, dtype=np.int32), np.diff(trip_ptr)),
        trip_departure_id=tuple(trip_ids),
        trip_start=trip_start,
        off_arr=off_arr,
        off_dep=off_dep,
        cap_ptr=cap_ptr,
        cap_kg=cap_kg,
        cap_m3=cap_m3,
        pr_ptr=pr_ptr,
        pr_route=pr_route_all[order],
        pr_pos=pr_pos_all[order],
        link_ptr=link_ptr,
        link_from=link_from,
        link_to=link_to,
        link_mode=link_mode,
        link_dur=link_dur,
        link_km=link_km,
        link_gpt=link_gpt,
        link_ppk=link_ppk,
        link_min=link_min,
        link_rate=link_rate,
        link_currency=tuple(network.links[k].currency for k in links),
        link_key=tuple(links),
        redge_ptr=redge_ptr,
        redge_from=redge_from,
        redge_ref=np.array([e[2] for e in redges], np.int64),
        redge_time=np.array([e[3] for e in redges], np.int64),
        redge_gpt=np.array([e[4] for e in redges], np.float64),
        redge_legs=np.array([e[5] for e in redges], np.int64),
        transfer=transfer,
        network=network,
        rates=rates,
        factors=factors,
    )
