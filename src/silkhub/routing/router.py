"""The router: compile once over a network and a window of departures, then query fast.

``Router(network, departures)`` compiles the timetable into arrays (seconds of work for a
world-scale network); ``router.query(request)`` runs the McRAPTOR kernel and turns the
destination's Pareto labels back into ``Itinerary`` objects. ``Router.for_window`` expands
the departures itself. The router keeps no per-query state, so one instance serves any number
of queries (and two routers can live side by side).
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import numpy as np

from silkhub.model import Departure, Mode, Money, Network
from silkhub.network import expand_departures
from silkhub.routing import _kernel
from silkhub.routing.emissions import EmissionFactors, default_emission_factors, leg_co2e_grams
from silkhub.routing.fx import FxRates, default_fx_rates
from silkhub.routing.itinerary import Itinerary, Leg
from silkhub.routing.request import QuoteRequest
from silkhub.routing.tariff import chargeable_grams, leg_price
from silkhub.routing.timetable import (
    CLASS_BIT,
    MODE_CODE,
    MODES,
    Timetable,
    compile_timetable,
    epoch_seconds,
)

__all__ = ["Router", "UnknownPlaceError"]

log = logging.getLogger("silkhub.routing")

_FAR_FUTURE = np.iinfo(np.int64).max // 4
_UNITS_PER_CENT = 100_000


class UnknownPlaceError(ValueError):
    """A request names a place the network does not have."""


def _utc(seconds: int) -> datetime:
    return datetime.fromtimestamp(int(seconds), tz=UTC)


class _Workspace:
    """The arrays one search writes: allocated once, reused, the label pool grown on demand.

    Allocating them per query cost more than a small search; keeping them in the router
    (one set per thread) rather than in module globals lets routers live side by side.
    """

    def __init__(self, n_places: int, n_routes: int, max_stops: int, max_rounds: int) -> None:
        i64, b = np.int64, np.bool_
        self.lb = np.empty((max_rounds + 1, 3, n_places), i64)
        self.head = np.empty(n_places, i64)
        self.marked = np.zeros(n_places, b)
        self.next_marked = np.zeros(n_places, b)
        self.first_pos = np.full(n_routes, -1, i64)  # the kernel leaves it all -1 again
        self.route_list = np.empty(n_routes, i64)
        self.suf_t = np.empty(max_stops + 1, i64)
        self.suf_p = np.empty(max_stops + 1, i64)
        self.suf_c = np.empty(max_stops + 1, i64)
        self._pool(1 << 12)

    def _pool(self, capacity: int) -> None:
        i64 = np.int64
        self.capacity = capacity
        self.lt, self.lfm, self.lprice, self.lco2, self.lround = (
            np.empty(capacity, i64) for _ in range(5)
        )
        self.lparent, self.lkind, self.lref, self.lboard, self.lalight, self.lnext = (
            np.empty(capacity, i64) for _ in range(6)
        )
        self.d_t, self.d_price, self.d_co2, self.d_label = (
            np.empty(capacity, i64) for _ in range(4)
        )
        self.rb_label, self.rb_trip, self.rb_board, self.rb_price, self.rb_co2 = (
            np.empty(capacity, i64) for _ in range(5)
        )

    def grow(self) -> None:
        """Make the label pool four times larger (a search ran out and stopped midway)."""
        self._pool(self.capacity * 4)
        self.first_pos.fill(-1)  # the stopped search left routes it had not scanned yet


class Router:
    """A compiled timetable plus the search; build once, query many times."""

    def __init__(
        self,
        network: Network,
        departures: Sequence[Departure],
        *,
        rates: FxRates | None = None,
        factors: EmissionFactors | None = None,
    ) -> None:
        self.network = network
        self.rates = rates if rates is not None else default_fx_rates()
        self.factors = factors if factors is not None else default_emission_factors()
        self.timetable: Timetable = compile_timetable(network, departures, self.rates, self.factors)
        # The search's arrays, allocated once per thread and reused by every query: a shared
        # router may serve several threads at once (the kernels release the GIL).
        self._local = threading.local()
        self._intensities: dict[tuple[Mode, str], float] = {}  # factor lookups (regex), memoised

    @classmethod
    def for_window(
        cls,
        network: Network,
        start: date,
        end: date,
        *,
        rates: FxRates | None = None,
        factors: EmissionFactors | None = None,
    ) -> Router:
        """A router over every departure whose local start date lies in ``[start, end]``."""
        return cls(network, expand_departures(network, start, end), rates=rates, factors=factors)

    def _route_inputs(self, request: QuoteRequest) -> tuple[Any, ...]:
        tt = self.timetable
        rates = self.rates
        allowed = np.array([request.allows(m) for m in MODES], dtype=np.bool_)
        route_ok = allowed[tt.route_mode]
        if request.cargo_class is not None:
            bit = CLASS_BIT[request.cargo_class]
            route_ok &= (tt.route_class_mask == 0) | ((tt.route_class_mask & bit) != 0)
        grams = request.weight_grams
        air_grams = chargeable_grams(Mode.AIR, request.weight_kg, request.volume_m3)
        quote_rate = rates.scaled(request.currency)
        route_grams = np.where(tt.route_air == 1, air_grams, grams).astype(np.int64)
        route_cents = _cents(tt.route_ppk, tt.route_min, route_grams, tt.route_rate, quote_rate)
        route_free = (tt.route_min_kg >= request.weight_kg) & (tt.route_min_m3 >= request.volume_m3)
        link_ok = allowed[tt.link_mode]
        link_grams = np.where(tt.link_mode == MODE_CODE[Mode.AIR], air_grams, grams).astype(
            np.int64
        )
        link_cents = _cents(tt.link_ppk, tt.link_min, link_grams, tt.link_rate, quote_rate)
        return route_ok, route_cents, route_free, link_ok, link_cents

    def query(self, request: QuoteRequest) -> list[Itinerary]:
        """The Pareto-optimal itineraries (arrival, price, CO₂e) for ``request``, by arrival."""
        tt = self.timetable
        for name, place in (("origin", request.origin), ("destination", request.destination)):
            if place not in tt.place_index:
                raise UnknownPlaceError(f"{name} {place!r} is not a place of the network")
        if request.currency not in self.rates:
            raise ValueError(f"currency {request.currency!r} has no exchange rate in this router")
        route_ok, route_cents, route_free, link_ok, link_cents = self._route_inputs(request)
        ready = epoch_seconds(request.ready)
        latest = (
            _FAR_FUTURE
            if request.latest_arrival is None
            else math.floor(request.latest_arrival.timestamp())
        )
        ws = self._workspace(request.max_boardings)
        _kernel.hop_bounds(
            tt.place_index[request.destination], request.max_boardings, tt.redge_ptr,
            tt.redge_from, tt.redge_ref, tt.redge_time, tt.redge_gpt, tt.redge_legs, route_ok,
            route_cents, link_ok, link_cents, request.weight_kg / 1000.0, ws.lb, ws.marked,
            ws.next_marked,
        )  # fmt: skip
        while True:
            nd = _kernel.search(
                tt.route_mode, route_ok, route_cents, route_free,
                tt.stop_ptr, tt.stop_place, tt.leg_gpt, tt.trip_ptr, tt.time_ptr, tt.arr, tt.dep,
                tt.cap_ptr, tt.cap_kg, tt.cap_m3, tt.pr_ptr, tt.pr_route, tt.pr_pos,
                tt.link_ptr, tt.link_to, tt.link_mode, tt.link_dur, tt.link_gpt, link_ok,
                link_cents, tt.transfer, ws.lb,
                tt.place_index[request.origin], tt.place_index[request.destination],
                ready, latest, request.weight_kg, request.volume_m3,
                request.weight_kg / 1000.0, request.max_boardings,
                ws.lt, ws.lfm, ws.lprice, ws.lco2, ws.lround, ws.lparent, ws.lkind, ws.lref,
                ws.lboard, ws.lalight, ws.lnext, ws.d_t, ws.d_price, ws.d_co2, ws.d_label,
                ws.head, ws.marked, ws.next_marked, ws.first_pos, ws.route_list,
                ws.rb_label, ws.rb_trip, ws.rb_board, ws.rb_price, ws.rb_co2,
                ws.suf_t, ws.suf_p, ws.suf_c,
            )  # fmt: skip
            if nd >= 0:
                break
            ws.grow()
            log.debug("label pool grown to %d", ws.capacity)
        return self._itineraries(request, ws, int(nd))

    def _workspace(self, max_boardings: int) -> _Workspace:
        """The reusable arrays of this router (allocated once, grown on demand)."""
        ws: _Workspace | None = getattr(self._local, "ws", None)
        if ws is None or ws.lb.shape[0] < max_boardings + 1:
            tt = self.timetable
            max_stops = int(np.diff(tt.stop_ptr).max(initial=2))
            ws = _Workspace(tt.n_places, tt.n_routes, max_stops, max(max_boardings, 4))
            self._local.ws = ws
        return ws

    def _itineraries(self, request: QuoteRequest, ws: _Workspace, nd: int) -> list[Itinerary]:
        """Rebuild the destination's labels as itineraries (Decimal prices, checked)."""
        lt, lprice, lco2, lround = ws.lt, ws.lprice, ws.lco2, ws.lround
        lparent, lkind = ws.lparent, ws.lkind
        found = [int(x) for x in ws.d_label[:nd]]
        # one itinerary per point of the front (the kernel keeps the first, fewest boardings)
        found.sort(key=lambda x: (int(lt[x]), int(lprice[x]), int(lco2[x]), int(lround[x]), x))
        itineraries: list[Itinerary] = []
        memo: dict[int, Leg] = {}  # itineraries of one front share their first legs
        prices: dict[int, Money] = {}
        for x in found:
            point = (int(lt[x]), int(lprice[x]), int(lco2[x]))
            chain: list[int] = []
            y = x
            while lkind[y] != 0:
                chain.append(y)
                y = int(lparent[y])
            chain.reverse()
            legs: list[Leg] = []
            for c in chain:
                leg = memo.get(c)
                if leg is None:
                    leg = self._leg(request, c, int(lparent[c]), ws, prices)
                    memo[c] = leg
                legs.append(leg)
            total = Money.zero(request.currency)
            for leg in legs:
                total = total + leg.price
            itinerary = Itinerary(
                legs=tuple(legs), price=total, co2e_grams=sum(leg.co2e_grams for leg in legs)
            )
            if (
                itinerary.criteria != (itinerary.arrival, point[1], point[2])
                or epoch_seconds(itinerary.arrival) != point[0]
            ):
                raise AssertionError(f"kernel and reconstruction disagree on {itinerary.criteria}")
            itineraries.append(itinerary)
        return itineraries

    def _intensity(self, mode: Mode, vehicle: str) -> float:
        key = (mode, vehicle)
        if key not in self._intensities:
            self._intensities[key] = self.factors.factor_for(mode, vehicle).g_co2e_per_tkm_wtw
        return self._intensities[key]

    def _leg(
        self,
        request: QuoteRequest,
        label: int,
        parent: int,
        ws: _Workspace,
        prices: dict[int, Money],
    ) -> Leg:
        """The leg a label's last boarding made (``prices`` memoises one query's boardings)."""
        tt = self.timetable
        net = self.network
        lt = ws.lt
        if ws.lkind[label] == _kernel.KIND_LINK:
            e = int(ws.lref[label])
            link = net.links[tt.link_key[e]]
            price = prices.get(-1 - e)
            if price is None:
                grams = chargeable_grams(link.mode, request.weight_kg, request.volume_m3)
                price = leg_price(
                    link.price_per_kg,
                    link.min_charge,
                    link.currency,
                    grams,
                    request.currency,
                    self.rates,
                )
                prices[-1 - e] = price
            return Leg(
                service_id=f"link:{link.from_place}>{link.to_place}",
                departure_id=None,
                mode=link.mode,
                from_place=link.from_place,
                to_place=link.to_place,
                departure=_utc(int(lt[parent])),
                arrival=_utc(int(lt[label])),
                distance_km=float(tt.link_km[e]),
                co2e_grams=leg_co2e_grams(
                    self._intensity(link.mode, ""),
                    link.distance_km,
                    request.weight_kg,
                ),
                price=price,
            )
        trip = int(ws.lref[label])
        r = int(np.searchsorted(tt.trip_ptr, trip, side="right") - 1)
        j = trip - int(tt.trip_ptr[r])
        s0 = int(tt.stop_ptr[r])
        n_stops = int(tt.stop_ptr[r + 1]) - s0
        board, alight = int(ws.lboard[label]), int(ws.lalight[label])
        base = int(tt.time_ptr[r]) + j * n_stops
        service = net.services[tt.route_service[r]]
        intensity = self._intensity(service.mode, service.vehicle)
        kms = [float(km) for km in tt.leg_km[s0 + board : s0 + alight]]
        price = prices.get(r)
        if price is None:
            grams = chargeable_grams(service.mode, request.weight_kg, request.volume_m3)
            price = leg_price(
                service.price_per_kg,
                service.min_charge,
                service.currency,
                grams,
                request.currency,
                self.rates,
            )
            prices[r] = price
        return Leg(
            service_id=service.service_id,
            departure_id=tt.trip_departure_id[trip],
            mode=service.mode,
            from_place=tt.place_ids[int(tt.stop_place[s0 + board])],
            to_place=tt.place_ids[int(tt.stop_place[s0 + alight])],
            departure=_utc(int(tt.dep[base + board])),
            arrival=_utc(int(tt.arr[base + alight])),
            distance_km=float(sum(kms)),
            co2e_grams=sum(leg_co2e_grams(intensity, km, request.weight_kg) for km in kms),
            price=price,
        )


def _cents(ppk: Any, minimum: Any, grams: Any, rate: Any, quote_rate: int) -> Any:
    """Vectorised twin of ``tariff.integer_cents`` (exact int64 arithmetic)."""
    units = np.maximum(minimum, ppk * grams)
    cents = (units + _UNITS_PER_CENT // 2) // _UNITS_PER_CENT
    converted = (2 * cents * rate + quote_rate) // (2 * quote_rate)
    return np.where(rate == quote_rate, cents, converted).astype(np.int64)
