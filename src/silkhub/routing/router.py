"""The router: compile once over a network and a window of departures, then query fast.

``Router(network, departures)`` compiles the timetable into arrays (seconds of work for a
world-scale network); ``router.query(request)`` runs the McRAPTOR kernel and turns the
destination's Pareto labels back into ``Itinerary`` objects. ``Router.for_window`` expands
the departures itself. The router keeps only reusable scratch arrays between queries (one set
per thread), so one instance serves any number of queries and two routers can live side by side.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import math
import threading
from collections.abc import Sequence
from datetime import date

import numpy as np
import numpy.typing as npt
from numba.np.ufunc.parallel import threading_layer

from silkhub.model import Departure, Mode, Network
from silkhub.network import expand_departures
from silkhub.network.lookup import did_you_mean
from silkhub.routing import _kernel
from silkhub.routing.emissions import EmissionFactors, default_emission_factors
from silkhub.routing.fx import FxRates, default_fx_rates
from silkhub.routing.itinerary import Itinerary, Leg
from silkhub.routing.request import QuoteRequest
from silkhub.routing.tariff import chargeable_grams
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
_DAY = 86_400  # seconds
#: Labels a new workspace holds; a search that needs more stops, the pool grows 4×, it reruns.
_INITIAL_POOL = 1 << 12
#: Routes a thread of a two-thread search claims at a time: enough that neighbours in the
#: list (routes through one place, sharing cache lines) stay on one core, few enough that the
#: threads finish together.
_ROUTE_CHUNK = 16


#: Held around each two-thread search while Numba runs on its workqueue threading layer (its
#: fallback when neither OpenMP nor TBB loads): that layer aborts the process if two parallel
#: regions run at once, so two-thread queries from several Python threads must take turns.
_WORKQUEUE_TURNS = threading.Lock()


def _two_thread_guard() -> contextlib.AbstractContextManager[object]:
    """What a two-thread search must hold: nothing, or its turn on the workqueue layer."""
    try:
        layer = threading_layer()  # type: ignore[no-untyped-call]
    except ValueError:  # no parallel code has run yet: the layer is unknown, so take turns
        return _WORKQUEUE_TURNS
    return _WORKQUEUE_TURNS if layer == "workqueue" else contextlib.nullcontext()


def _checked_threads(threads: int) -> int:
    """``threads`` if the search can use that many per query (the int 1 or 2), else ValueError."""
    if isinstance(threads, bool) or not isinstance(threads, int) or threads not in (1, 2):
        raise ValueError(f"threads must be 1 or 2, not {threads!r}")
    return threads


class UnknownPlaceError(ValueError):
    """A request names a place the network does not have."""


class _Workspace:
    """The arrays one search writes: allocated once, reused, the label pool grown on demand.

    Allocating them per query cost more than a small search; keeping them in the router
    (one set per thread) rather than in module globals lets routers live side by side.
    """

    def __init__(
        self,
        n_places: int,
        n_routes: int,
        n_links: int,
        max_stops: int,
        max_rounds: int,
        shares: int = 1,
    ) -> None:
        i64, b = np.int64, np.bool_
        self.shares = shares
        # Per place: each thread's own new labels of a round (-1: none; the kernel leaves
        # them so), then the round's labels so far, then a row of -1 (see _kernel.search).
        self.mine = np.full((shares + 2, n_places), -1, i64)
        self.lb = np.empty((max_rounds, n_places, 3), i64)
        self.head = np.empty(n_places, i64)
        self.marked = np.zeros(n_places, b)
        self.next_marked = np.zeros(n_places, b)
        self.first_pos = np.full(n_routes, -1, i64)  # the kernel leaves it all -1 again
        self.useful_until = np.full(n_routes, -1, i64)  # and these two too
        self.dest_pos = np.full(n_routes, -1, i64)
        self.corner_t = np.empty(n_places, i64)
        self.corner_p = np.empty(n_places, i64)
        self.corner_c = np.empty(n_places, i64)
        self.route_list = np.empty(n_routes, i64)
        # One row per thread, rows at least 128 bytes apart, so that two threads never write
        # one cache line (which would cost a transfer between the cores at every write).
        width = max(max_stops + 1, 16)
        self.suf_t = np.empty((shares, width), i64)
        self.suf_p = np.empty((shares, width), i64)
        self.suf_c = np.empty((shares, width), i64)
        self.marked2 = np.zeros((shares, max(n_places, 128)), b)  # row 1: thread 1's marks
        self.share_out = np.zeros((shares, 16), i64)
        self.touched = np.empty((shares, max(n_places, 16)), i64)
        self.claim = np.zeros(16, i64)  # [0]: the next route to claim, [1]: how many at once
        self.route_cents = np.empty(n_routes, i64)
        self.link_cents = np.empty(n_links, i64)
        self._pool(_INITIAL_POOL)

    def _pool(self, capacity: int) -> None:
        """Allocate every array sized by the label pool, then swap them in together.

        All of them are allocated before any is replaced, so a ``MemoryError`` leaves the
        workspace as it was: the kernel takes its bounds from ``lt`` and must never see arrays
        of two sizes.
        """
        fresh = [np.empty(capacity, np.int64) for _ in range(15)]
        row_of = np.full(capacity, -1, np.int64)  # unwind's label → row map, kept all −1
        per_thread = [np.empty((self.shares, capacity), np.int64) for _ in range(5)]
        (
            self.lt, self.lfm, self.lprice, self.lco2, self.lround,
            self.lparent, self.lkind, self.lref, self.lboard, self.lalight, self.lnext,
            self.d_t, self.d_price, self.d_co2, self.d_label,
        ) = fresh  # fmt: skip
        self.rb_label, self.rb_trip, self.rb_board, self.rb_price, self.rb_co2 = per_thread
        self.row_of = row_of
        self.capacity = capacity

    def grow(self) -> None:
        """Make the label pool four times larger (a search ran out and stopped midway)."""
        self.first_pos.fill(-1)  # the stopped search left routes it had not scanned yet
        self._pool(self.capacity * 4)


class Router:
    """A compiled timetable plus the search; build once, query many times."""

    def __init__(
        self,
        network: Network,
        departures: Sequence[Departure],
        *,
        rates: FxRates | None = None,
        factors: EmissionFactors | None = None,
        threads: int = 1,
    ) -> None:
        # Threads one query uses: 2 splits each round's routes between two cores
        # (docs/routing.md, "Two threads per query"); 1 leaves the other core to other queries.
        self._threads = _checked_threads(threads)
        #: Routes a thread claims at a time (neighbours in the list share cache lines).
        self._route_chunk = _ROUTE_CHUNK
        self.network = network
        self.rates = rates if rates is not None else default_fx_rates()
        self.factors = factors if factors is not None else default_emission_factors()
        self.timetable: Timetable = compile_timetable(network, departures, self.rates, self.factors)
        # The search's arrays, allocated once per thread and reused by every query: a shared
        # router may serve several threads at once (the kernels release the GIL).
        self._local = threading.local()
        n_links = len(self.timetable.link_to)
        self._link_classes = np.zeros(n_links, np.int64)  # links carry every cargo class
        # Which routes and links a (modes, cargo class) filter lets a query use: few filters
        # occur, so each is worked out once per router.
        self._usable: dict[tuple[tuple[bool, ...], int], tuple[npt.NDArray[np.bool_], ...]] = {}
        self._usable_lock = threading.Lock()
        # What a leg carries, per route and per link, looked up once here rather than per leg
        # (indexing a NumPy array or the network's links per leg is slow).
        self._route_modes = tuple(MODES[m] for m in self.timetable.route_mode.tolist())
        links = [network.links[k] for k in self.timetable.link_key]
        self._link_services = tuple(f"link:{ln.from_place}>{ln.to_place}" for ln in links)
        self._link_modes = tuple(ln.mode for ln in links)

    @classmethod
    def for_window(
        cls,
        network: Network,
        start: date,
        end: date,
        *,
        rates: FxRates | None = None,
        factors: EmissionFactors | None = None,
        threads: int = 1,
    ) -> Router:
        """A router over every departure whose local start date lies in ``[start, end]``."""
        departures = expand_departures(network, start, end)
        return cls(network, departures, rates=rates, factors=factors, threads=threads)

    @property
    def threads(self) -> int:
        """Threads one query uses (1 or 2); fixed per router, see ``with_threads``."""
        return self._threads

    def with_threads(self, threads: int) -> Router:
        """A router over this one's compiled timetable that searches with ``threads`` threads.

        It shares the timetable and the cached filters, and keeps its own search arrays, so
        the two can serve queries side by side without compiling twice.
        """
        twin = copy.copy(self)
        twin._threads = _checked_threads(threads)
        twin._local = threading.local()
        return twin

    def _filters(self, request: QuoteRequest) -> tuple[npt.NDArray[np.bool_], ...]:
        """(route usable, link usable) under ``request``'s modes and cargo class."""
        allowed = tuple(request.allows(m) for m in MODES)
        bit = 0 if request.cargo_class is None else CLASS_BIT[request.cargo_class]
        found = self._usable.get((allowed, bit))
        if found is None:
            tt = self.timetable
            flags = np.array(allowed, dtype=np.bool_)
            route_ok = np.empty(tt.n_routes, np.bool_)
            link_ok = np.empty(len(tt.link_to), np.bool_)
            _kernel.usable(tt.route_mode, tt.route_class_mask, flags, bit, route_ok)
            _kernel.usable(tt.link_mode, self._link_classes, flags, bit, link_ok)
            with self._usable_lock:
                found = self._usable.setdefault((allowed, bit), (route_ok, link_ok))
        return found

    def _prices(self, request: QuoteRequest, ws: _Workspace) -> None:
        """Fill the workspace's cents per route and per link for ``request``'s shipment."""
        tt = self.timetable
        grams = request.weight_grams
        air_grams = chargeable_grams(Mode.AIR, request.weight_kg, request.volume_m3)
        quote_rate = self.rates.scaled(request.currency)
        air = MODE_CODE[Mode.AIR]
        _kernel.quote_cents(
            tt.route_mode, tt.route_ppk, tt.route_min, tt.route_rate, air, grams, air_grams,
            quote_rate, ws.route_cents,
        )  # fmt: skip
        _kernel.quote_cents(
            tt.link_mode, tt.link_ppk, tt.link_min, tt.link_rate, air, grams, air_grams,
            quote_rate, ws.link_cents,
        )  # fmt: skip

    def query(self, request: QuoteRequest) -> list[Itinerary]:
        """The Pareto-optimal itineraries (arrival, price, CO₂e) for ``request``, by arrival."""
        tt = self.timetable
        for name, place in (("origin", request.origin), ("destination", request.destination)):
            if place not in tt.place_index:
                hint = did_you_mean(self.network, place)
                raise UnknownPlaceError(f"{name} {place!r} is not a place of the network{hint}")
        ws = self._workspace(request.max_boardings)
        self._prices(request, ws)  # UnknownCurrencyError if the rates lack the quote currency
        route_ok, link_ok = self._filters(request)
        ready = epoch_seconds(request.ready)
        latest = (
            _FAR_FUTURE
            if request.latest_arrival is None
            else math.floor(request.latest_arrival.timestamp())
        )
        self._bounds(request, ws, route_ok, link_ok)
        nd = self._search(request, ws, route_ok, link_ok, ready, latest)
        return self._itineraries(request, ws, nd)

    def _bounds(
        self,
        request: QuoteRequest,
        ws: _Workspace,
        route_ok: npt.NDArray[np.bool_],
        link_ok: npt.NDArray[np.bool_],
    ) -> None:
        """Fill ``ws.lb``: per boardings left and place, what reaching the destination costs at least.

        Levels 0 .. max_boardings − 1 (a label has a boarding behind it). The top level is read
        only for the first round's labels (made, then re-checked before round 2), which the
        destination can hardly prune yet (it has at most the direct rides): 0 there, a true
        lower bound, costs nothing, where relaxing every edge of the network for it cost a
        fifth of a query. Needs the workspace's cents for ``request`` (``_prices``).
        """
        tt = self.timetable
        top = request.max_boardings - 1
        _kernel.hop_bounds(
            tt.place_index[request.destination], max(top - 1, 0), tt.redge_ptr, tt.redge_from,
            tt.redge_ref, tt.redge_time, tt.redge_gpt, tt.redge_legs, route_ok, ws.route_cents,
            link_ok, ws.link_cents, request.weight_kg / 1000.0, ws.lb, ws.marked, ws.next_marked,
        )  # fmt: skip
        if top >= 1:
            ws.lb[top] = 0

    def _search(
        self,
        request: QuoteRequest,
        ws: _Workspace,
        route_ok: npt.NDArray[np.bool_],
        link_ok: npt.NDArray[np.bool_],
        ready: int,
        latest: int,
    ) -> int:
        """Run the kernel, growing the label pool until the search fits; the front's size."""
        # The horizon counts from the exact ready time (``ready`` is rounded up to the second:
        # from it, a trip starting at 18:19:00 would pass for one ready at 18:18:59.5 + 24 h).
        last_start = math.floor(request.ready.timestamp()) + request.horizon_days * _DAY
        ws.claim[1] = max(self._route_chunk, 1)  # 0 would claim nothing, for ever
        tt = self.timetable
        route_cents, link_cents = ws.route_cents, ws.link_cents
        while True:
            with _two_thread_guard() if self._threads > 1 else contextlib.nullcontext():
                nd = _kernel.search(
                    tt.route_mode, route_ok, route_cents, tt.route_min_kg, tt.route_min_m3,
                    tt.route_loops,
                    tt.stop_ptr, tt.stop_place, tt.leg_gpt, tt.trip_ptr, tt.trip_start, tt.off_arr,
                    tt.off_dep, tt.cap_ptr, tt.cap_kg, tt.cap_m3, tt.pr_ptr, tt.pr_route, tt.pr_pos,
                    tt.link_ptr, tt.link_to, tt.link_mode, tt.link_dur, tt.link_gpt, link_ok,
                    link_cents, tt.transfer, ws.lb,
                    tt.place_index[request.origin], tt.place_index[request.destination],
                    ready, latest, last_start, request.weight_kg,
                    request.volume_m3,
                    request.weight_kg / 1000.0, request.max_boardings,
                    ws.lt, ws.lfm, ws.lprice, ws.lco2, ws.lround, ws.lparent, ws.lkind, ws.lref,
                    ws.lboard, ws.lalight, ws.lnext, ws.d_t, ws.d_price, ws.d_co2, ws.d_label,
                    ws.head, ws.mine, ws.marked, ws.next_marked, ws.first_pos, ws.route_list,
                    ws.rb_label, ws.rb_trip, ws.rb_board, ws.rb_price, ws.rb_co2,
                    ws.suf_t, ws.suf_p, ws.suf_c, ws.share_out, ws.marked2, ws.claim, ws.touched,
                    ws.useful_until, ws.dest_pos, ws.corner_t, ws.corner_p, ws.corner_c,
                )  # fmt: skip
            if nd >= 0:
                return int(nd)
            ws.grow()
            log.debug("label pool grown to %d", ws.capacity)

    def _workspace(self, max_boardings: int) -> _Workspace:
        """The reusable arrays of this router (allocated once, grown on demand)."""
        ws: _Workspace | None = getattr(self._local, "ws", None)
        if ws is None or ws.lb.shape[0] < max_boardings:
            tt = self.timetable
            max_stops = int(np.diff(tt.stop_ptr).max(initial=2))
            ws = _Workspace(
                tt.n_places,
                tt.n_routes,
                len(tt.link_to),
                max_stops,
                max(max_boardings, 4),
                self._threads,
            )
            self._local.ws = ws
        return ws

    def _itineraries(self, request: QuoteRequest, ws: _Workspace, nd: int) -> list[Itinerary]:
        """Turn the destination's labels into itineraries, sorted by arrival, price, CO₂e.

        The kernel keeps one label per point of the front (the first found, so the fewest
        boardings) and ``unwind`` walks each back to the origin. The itineraries of one front
        share most of their labels, so ``unwind`` gives one row per label on their paths and
        each itinerary as a list of rows: each leg is built once per query. An itinerary's
        totals are its last label's, the sums of its legs' figures.
        """
        tt = self.timetable
        ptr, picks, rows, kms, totals = _kernel.unwind(
            ws.d_label, ws.d_t, ws.d_price, ws.d_co2, nd, ws.lparent, ws.lkind, ws.lref,
            ws.lboard, ws.lalight, ws.lt, ws.lprice, ws.lco2, tt.trip_route, tt.stop_ptr,
            tt.trip_start, tt.off_dep, tt.stop_place, tt.leg_km, tt.link_from, tt.link_to,
            tt.link_km, ws.row_of,
        )  # fmt: skip
        legs = self._legs(rows.tolist(), kms.tolist(), request.currency)
        pick = legs.__getitem__
        bounds = ptr.tolist()
        order = picks.tolist()
        currency = request.currency
        make = tuple.__new__  # as in _legs
        return [
            make(
                Itinerary,
                (tuple(map(pick, order[bounds[i] : bounds[i + 1]])), cents, currency, grams),
            )
            for i, (cents, grams) in enumerate(totals.tolist())
        ]

    def _legs(self, rows: list[list[int]], kms: list[float], currency: str) -> list[Leg]:
        """The legs of ``_kernel.unwind``'s rows, in order.

        A leg's cents are the boarding's quote-currency price the search used (``quote_cents``,
        the integer twin of ``tariff.leg_price``) and its grams the sum of
        ``emissions.leg_co2e_grams`` over the legs ridden, computed by the same floating-point
        operations in the same order; the brute-force tests recompute both with the Decimal
        and float formulas and compare. One comprehension, because a method call per leg cost
        a third of building the answer.
        """
        tt = self.timetable
        places, services, trips = tt.place_ids, tt.route_service, tt.trip_departure_id
        route_modes, link_services, link_modes = (
            self._route_modes, self._link_services, self._link_modes
        )  # fmt: skip
        link = _kernel.KIND_LINK
        make = tuple.__new__  # Leg(...) through its Python-level __new__ costs twice as much
        return [
            make(
                Leg,
                (
                    link_services[ref] if kind == link else services[r],
                    None if kind == link else trips[ref],
                    link_modes[ref] if kind == link else route_modes[r],
                    places[src],
                    places[dst],
                    departure,
                    arrival,
                    km,
                    grams,
                    cents,
                    currency,
                ),
            )
            for (kind, ref, r, departure, arrival, src, dst, cents, grams), km in zip(
                rows, kms, strict=True
            )
        ]
