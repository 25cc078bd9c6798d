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
        self._capacity = 1 << 12  # label pool size; grows when a query needs more
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
        lb = _kernel.lower_bounds(
            tt.place_index[request.destination], tt.n_places, tt.redge_ptr, tt.redge_from,
            tt.redge_ref, tt.redge_time, tt.redge_gpt, tt.redge_legs, route_ok, route_cents,
            link_ok, link_cents, request.weight_kg / 1000.0,
        )  # fmt: skip
        while True:
            out = _kernel.search(
                tt.route_mode, route_ok, route_cents, route_free,
                tt.stop_ptr, tt.stop_place, tt.leg_gpt, tt.trip_ptr, tt.time_ptr, tt.arr, tt.dep,
                tt.cap_ptr, tt.cap_kg, tt.cap_m3, tt.pr_ptr, tt.pr_route, tt.pr_pos,
                tt.link_ptr, tt.link_to, tt.link_mode, tt.link_dur, tt.link_gpt, link_ok,
                link_cents, tt.transfer, lb,
                tt.place_index[request.origin], tt.place_index[request.destination],
                ready, latest, request.weight_kg, request.volume_m3,
                request.weight_kg / 1000.0, request.max_boardings, self._capacity,
            )  # fmt: skip
            if out[0] >= 0:
                break
            self._capacity *= 4
            log.debug("label pool grown to %d", self._capacity)
        return self._itineraries(request, out)

    def _itineraries(self, request: QuoteRequest, out: tuple[Any, ...]) -> list[Itinerary]:
        n, lt, _lfm, lprice, lco2, lround, lplace, lparent, lkind, lref, lboard, lalight, lalive = (
            out
        )
        dest = self.timetable.place_index[request.destination]
        found = [x for x in range(int(n)) if lalive[x] and lplace[x] == dest and lkind[x] != 0]
        # one itinerary per point of the front: fewest boardings first, then discovery order
        found.sort(key=lambda x: (int(lt[x]), int(lprice[x]), int(lco2[x]), int(lround[x]), x))
        itineraries: list[Itinerary] = []
        seen: set[tuple[int, int, int]] = set()
        for x in found:
            point = (int(lt[x]), int(lprice[x]), int(lco2[x]))
            if point in seen:
                continue
            seen.add(point)
            chain: list[int] = []
            y = x
            while lkind[y] != 0:
                chain.append(y)
                y = int(lparent[y])
            chain.reverse()
            legs = tuple(
                self._leg(request, int(c), int(lparent[c]), lt, lkind, lref, lboard, lalight)
                for c in chain
            )
            total = Money.zero(request.currency)
            for leg in legs:
                total = total + leg.price
            itinerary = Itinerary(
                legs=legs, price=total, co2e_grams=sum(leg.co2e_grams for leg in legs)
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
        lt: Any,
        lkind: Any,
        lref: Any,
        lboard: Any,
        lalight: Any,
    ) -> Leg:
        tt = self.timetable
        net = self.network
        if lkind[label] == _kernel.KIND_LINK:
            e = int(lref[label])
            link = net.links[tt.link_key[e]]
            grams = chargeable_grams(link.mode, request.weight_kg, request.volume_m3)
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
                price=leg_price(
                    link.price_per_kg,
                    link.min_charge,
                    link.currency,
                    grams,
                    request.currency,
                    self.rates,
                ),
            )
        trip = int(lref[label])
        r = int(np.searchsorted(tt.trip_ptr, trip, side="right") - 1)
        j = trip - int(tt.trip_ptr[r])
        s0 = int(tt.stop_ptr[r])
        n_stops = int(tt.stop_ptr[r + 1]) - s0
        board, alight = int(lboard[label]), int(lalight[label])
        base = int(tt.time_ptr[r]) + j * n_stops
        service = net.services[tt.route_service[r]]
        intensity = self._intensity(service.mode, service.vehicle)
        grams_co2 = sum(
            leg_co2e_grams(intensity, float(tt.leg_km[s0 + i]), request.weight_kg)
            for i in range(board, alight)
        )
        grams = chargeable_grams(service.mode, request.weight_kg, request.volume_m3)
        return Leg(
            service_id=service.service_id,
            departure_id=tt.trip_departure_id[trip],
            mode=service.mode,
            from_place=tt.place_ids[int(tt.stop_place[s0 + board])],
            to_place=tt.place_ids[int(tt.stop_place[s0 + alight])],
            departure=_utc(int(tt.dep[base + board])),
            arrival=_utc(int(tt.arr[base + alight])),
            distance_km=float(sum(tt.leg_km[s0 + i] for i in range(board, alight))),
            co2e_grams=grams_co2,
            price=leg_price(
                service.price_per_kg,
                service.min_charge,
                service.currency,
                grams,
                request.currency,
                self.rates,
            ),
        )


def _cents(ppk: Any, minimum: Any, grams: Any, rate: Any, quote_rate: int) -> Any:
    """Vectorised twin of ``tariff.integer_cents`` (exact int64 arithmetic)."""
    units = np.maximum(minimum, ppk * grams)
    cents = (units + _UNITS_PER_CENT // 2) // _UNITS_PER_CENT
    converted = (2 * cents * rate + quote_rate) // (2 * quote_rate)
    return np.where(rate == quote_rate, cents, converted).astype(np.int64)
