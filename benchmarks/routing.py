"""Routing benchmark: three-criteria quotes on a synthetic world-scale network.

Generates a network (places, services with several stops, weekly calendars mixed across
modes, links, transfer rules), compiles a ``Router`` over a window of dated departures and
times random queries. The baseline, measured in the same run on the same departures, is
earliest-arrival Dijkstra on a time-expanded graph built with networkx (one criterion, no
links or capacity: a deliberately easier problem). Prints build time, memory, p50/p95/p99
latency with one thread per query and (on two cores or more) with two, whether both gave the
same fronts, and every figure's ratio to the baseline; also times the embedded Zhengzhou
network (one thread). The routers and the baseline are timed block by block (100 queries by
each in turn), so a machine whose speed drifts over minutes slows both alike. ``--phases``
breaks down the one-thread router's queries.

    python benchmarks/routing.py                      # default: 2,000 places, 100,000 weekly departures
    python benchmarks/routing.py --places 300 --departures 10000 --queries 200   # quick
    python benchmarks/routing.py --services 20000 --stops 6 --links 8000 --phases # other shapes
"""

from __future__ import annotations

import argparse
import gc
import itertools
import logging
import math
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from typing import Any

import networkx as nx
import numpy as np
import psutil

from silkhub.model import (
    CalendarRule,
    Link,
    Mode,
    Network,
    Place,
    PlaceKind,
    Service,
    Stop,
    TransferRule,
)
from silkhub.network import default_network, expand_departures, great_circle_km
from silkhub.routing import QuoteRequest, Router

log = logging.getLogger("silkhub.benchmarks")

START = date(2026, 11, 23)  # a Monday
#: mode → (share of services, km/h, price per kg range, stops allowed, hub-to-hub radius km)
MODES = {
    Mode.AIR: (0.30, 750.0, (15, 45), 3000.0),
    Mode.RAIL: (0.20, 45.0, (3, 9), 2500.0),
    Mode.SEA: (0.10, 28.0, (1, 3), 6000.0),
    Mode.ROAD: (0.40, 55.0, (4, 12), 900.0),
}
#: A vehicle per mode (the network format requires one), worded so that each picks its mode's
#: default emission factor, as an unnamed vehicle would.
VEHICLES = {
    Mode.AIR: "cargo aircraft",
    Mode.RAIL: "container train",
    Mode.SEA: "container ship",
    Mode.ROAD: "truck",
}
#: Queries per timing block: the routers and then the baseline answer each block in turn.
BLOCK = 100
ZONES = ("UTC", "Asia/Shanghai", "Europe/Madrid", "America/New_York", "Asia/Almaty")


def generate(
    places: int,
    weekly_departures: int,
    max_stops: int,
    links: int,
    seed: int,
    n_services: int | None = None,
) -> Network:
    """A random network with regional clusters, hub-heavy services and local truck links.

    Each service runs 1–7 days a week until the weekly departures are reached; with
    ``n_services`` given, exactly that many services share the departures as evenly as the
    week allows (so ``weekly_departures`` must lie between ``n_services`` and 7 times that).
    """
    if n_services is not None and not n_services <= weekly_departures <= 7 * n_services:
        raise ValueError(
            f"{weekly_departures} weekly departures cannot be shared by {n_services} services "
            "running 1-7 days a week"
        )
    rng = random.Random(seed)
    centres = [(rng.uniform(-40, 60), rng.uniform(-120, 150)) for _ in range(max(1, places // 100))]
    place_list: list[Place] = []
    for i in range(places):
        lat0, lon0 = rng.choice(centres)
        place_list.append(
            Place(
                f"P{i:05d}", f"Place {i}", PlaceKind.ROAD_HUB, "CN",
                max(-89.0, min(89.0, lat0 + rng.gauss(0, 6))),
                max(-179.0, min(179.0, lon0 + rng.gauss(0, 8))),
                rng.choice(ZONES),
            )
        )  # fmt: skip
    weights = [1.0 / (1 + i) ** 0.7 for i in range(places)]  # hubs: low ids are busier
    cum = list(itertools.accumulate(weights))
    population = range(places)

    def hub() -> int:
        return rng.choices(population, cum_weights=cum)[0]

    coords = np.array([(p.lat, p.lon) for p in place_list])

    def near(origin: int, radius: float) -> int:
        for _ in range(30):
            j = hub()
            if j != origin and great_circle_km(*coords[origin], *coords[j]) <= radius:
                return j
        j = origin
        while j == origin:
            j = rng.randrange(places)
        return j

    services: dict[str, Service] = {}
    stops: dict[str, tuple[Stop, ...]] = {}
    calendars: list[CalendarRule] = []
    made = 0
    s = 0
    mode_list = list(MODES)
    shares = [MODES[m][0] for m in mode_list]
    while made < weekly_departures if n_services is None else s < n_services:
        mode = rng.choices(mode_list, shares)[0]
        _share, speed, (lo, hi), radius = MODES[mode]
        n_stops = rng.randint(2, max_stops)
        route = [hub()]
        while len(route) < n_stops:
            nxt = near(route[-1], radius)
            if nxt not in route:
                route.append(nxt)
            elif rng.random() < 0.3:
                break
        sid = f"{mode.value[:2].upper()}{s:06d}"
        minute = 0
        stop_list = []
        for k, p in enumerate(route):
            km = None
            arrival = None
            if k:
                km = max(1.0, great_circle_km(*coords[route[k - 1]], *coords[p]) * 1.2)
                minute += max(30, int(km / speed * 60))
                arrival = minute
                minute += rng.choice((30, 60, 120))
            departure = minute if k < len(route) - 1 else None
            stop_list.append(Stop(sid, k + 1, place_list[p].place_id, arrival, departure, km))
        if len(stop_list) < 2:
            continue
        if n_services is None:
            runs = rng.randint(1, 7)
        else:  # share what is left evenly over the services still to make
            runs = (weekly_departures - made) // (n_services - s)
        days = sorted(rng.sample(range(7), runs))
        services[sid] = Service(
            sid, mode, "synthetic", VEHICLES[mode], 20_000.0, 150.0,
            Decimal(rng.randint(lo * 100, hi * 100)) / 100 / (10 if mode is not Mode.AIR else 1),
            Decimal(rng.randint(50, 500)), "CNY",
        )  # fmt: skip
        stops[sid] = tuple(stop_list)
        calendars.append(
            CalendarRule(
                sid,
                tuple(d in days for d in range(7)),  # type: ignore[arg-type]
                dtime(rng.randrange(24), rng.choice((0, 15, 30, 45))),
                START - timedelta(days=7),
                START + timedelta(days=366),
            )
        )
        made += runs
        s += 1
    link_list = []
    for _ in range(links):
        a = rng.randrange(places)
        b = near(a, 400.0)
        km = max(1.0, great_circle_km(*coords[a], *coords[b]) * 1.2)
        link_list.append(
            Link(
                place_list[a].place_id, place_list[b].place_id, Mode.ROAD,
                int(km / 50 * 60) + 60, km, Decimal("0.8"), Decimal("150"), "CNY",
            )
        )  # fmt: skip
    transfers = []
    for place in place_list:
        pid = place.place_id
        transfers.append(TransferRule(pid, rng.choice((60, 120, 180)), None, Mode.AIR))
        transfers.append(TransferRule(pid, rng.choice((240, 480, 720)), None, Mode.RAIL))
        transfers.append(TransferRule(pid, rng.choice((720, 1440)), None, Mode.SEA))
        transfers.append(TransferRule(pid, 60, Mode.AIR, Mode.AIR))
    return Network(
        places={place.place_id: place for place in place_list},
        services=services,
        stops=stops,
        calendars=tuple(calendars),
        transfers=tuple(transfers),
        links=tuple(link_list),
        name=f"synthetic-{places}-{weekly_departures}-{seed}",
    )


def build_baseline(router: Router) -> tuple[nx.DiGraph, dict[int, tuple[np.ndarray, list[int]]]]:
    """A time-expanded graph: event nodes, ride/dwell edges, transfer and waiting edges."""
    tt = router.timetable
    g = nx.DiGraph()
    deps_at: dict[int, list[tuple[int, int]]] = {}
    arrs_at: dict[int, list[tuple[int, int]]] = {}
    node = 0
    max_transfer = tt.transfer.max(axis=(1, 2))  # one transfer per place: the longest rule
    for r in range(tt.n_routes):
        s0, s1 = int(tt.stop_ptr[r]), int(tt.stop_ptr[r + 1])
        n_stops = s1 - s0
        arrive, leave = tt.off_arr[s0:s1].tolist(), tt.off_dep[s0:s1].tolist()
        for t in range(int(tt.trip_ptr[r]), int(tt.trip_ptr[r + 1])):
            start = int(tt.trip_start[t])
            prev = None
            for i in range(n_stops):
                p = int(tt.stop_place[s0 + i])
                if i:
                    a = node
                    node += 1
                    arrs_at.setdefault(p, []).append((start + arrive[i], a))
                    g.add_edge(prev, a, weight=arrive[i] - leave[i - 1])
                if i < n_stops - 1:
                    d = node
                    node += 1
                    deps_at.setdefault(p, []).append((start + leave[i], d))
                    if i:
                        g.add_edge(a, d, weight=leave[i] - arrive[i])
                    prev = d
    index: dict[int, tuple[np.ndarray, list[int]]] = {}
    for p, events in deps_at.items():
        events.sort()
        times = np.array([t for t, _ in events])
        nodes = [n for _, n in events]
        for k in range(len(nodes) - 1):
            g.add_edge(nodes[k], nodes[k + 1], weight=int(times[k + 1] - times[k]))
        index[p] = (times, nodes)
    for p, events in arrs_at.items():
        if p not in index:
            continue
        times, nodes = index[p]
        for t, a in events:
            k = int(np.searchsorted(times, t + int(max_transfer[p])))
            if k < len(nodes):
                g.add_edge(a, nodes[k], weight=int(times[k] - t))
        for _t, a in events:
            g.add_edge(a, ("sink", p), weight=0)
    return g, index


def baseline_query(
    g: nx.DiGraph,
    index: dict[int, tuple[np.ndarray, list[int]]],
    origin: int,
    dest: int,
    ready: int,
) -> float | None:
    """Earliest arrival (seconds after ready) by Dijkstra from the first catchable departure."""
    if origin not in index or ("sink", dest) not in g:
        return None
    times, nodes = index[origin]
    k = int(np.searchsorted(times, ready))
    if k >= len(nodes):
        return None
    g.add_edge("source", nodes[k], weight=int(times[k] - ready))
    try:
        return float(nx.dijkstra_path_length(g, "source", ("sink", dest))) + 0.0
    except nx.NetworkXNoPath:
        return None
    finally:
        g.remove_node("source")


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


def rss_mib() -> float:
    """Resident memory of this process in MiB."""
    return float(psutil.Process(os.getpid()).memory_info().rss) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--places", type=int, default=2000)
    parser.add_argument("--departures", type=int, default=100_000, help="weekly departures")
    parser.add_argument(
        "--services",
        type=int,
        default=None,
        help="number of services (default: as many as the departures need)",
    )
    parser.add_argument("--stops", type=int, default=4, help="most stops per service")
    parser.add_argument("--links", type=int, default=4000)
    parser.add_argument("--days", type=int, default=14, help="window of dated departures")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument(
        "--baseline-queries",
        type=int,
        default=None,
        help="how many of the queries the baseline answers too (default: all of them)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--phases", action="store_true", help="also time each phase of a query (slower)"
    )
    args = parser.parse_args()
    if args.queries < 1:
        parser.error("--queries must be at least 1")
    if args.baseline_queries is not None and not 1 <= args.baseline_queries <= args.queries:
        parser.error("--baseline-queries must be between 1 and --queries")

    rss0 = rss_mib()
    t0 = time.perf_counter()
    try:
        net = generate(
            args.places, args.departures, args.stops, args.links, args.seed, args.services
        )
    except ValueError as exc:
        parser.error(str(exc))
    t_gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    departures = expand_departures(net, START, START + timedelta(days=args.days - 1))
    t_expand = time.perf_counter() - t0
    t0 = time.perf_counter()
    router = Router(net, departures)
    t_build = time.perf_counter() - t0
    del departures
    gc.collect()
    tt = router.timetable
    arrays = sum(v.nbytes for v in vars_of(tt) if isinstance(v, np.ndarray)) / 2**20
    print(
        f"network: {args.places} places, {len(net.services)} services, {args.departures} weekly "
        f"departures, {len(net.links)} links; window {args.days} days = {tt.n_trips} dated "
        f"departures, {tt.n_routes} routes"
    )
    print(f"generate {t_gen:.1f} s, expand {t_expand:.1f} s, compile {t_build:.1f} s; "
          f"timetable arrays {arrays:.0f} MiB, process RSS {rss_mib() - rss0:.0f} MiB over start")  # fmt: skip

    rng = random.Random(args.seed + 1)
    ids = sorted(net.places)
    base_time = datetime.combine(START, dtime(0), tzinfo=UTC)
    requests = []
    for _ in range(args.queries):
        o, d = rng.sample(ids, 2)
        ready = base_time + timedelta(minutes=rng.randrange(3 * 24 * 60))
        requests.append(QuoteRequest(o, d, ready, rng.choice((50.0, 500.0, 5000.0)), 1.0))
    # One thread per query, and two (each round's routes split between the cores) when the
    # machine has two cores.
    routers = {1: router}
    if (os.cpu_count() or 1) >= 2:
        routers[2] = router.with_threads(2)
    t0 = time.perf_counter()
    router.query(requests[0])  # JIT compile / load from the cache
    print(f"first query (Numba compile or cache load) {time.perf_counter() - t0:.2f} s")
    for extra in list(routers.values())[1:]:
        extra.query(requests[0])

    # An untimed pass first: the memory the queries add, and whether every thread count finds
    # the same fronts (the label pools grow here, as they would in a server's first queries).
    sizes: dict[int, list[int]] = {threads: [] for threads in routers}
    points: dict[int, list[list[tuple[int, int, int]]]] = {threads: [] for threads in routers}
    rss1 = rss_mib()
    for threads, each in routers.items():
        for req in requests:
            its = each.query(req)
            sizes[threads].append(len(its))
            points[threads].append(sorted(it.criteria for it in its))
    growth = rss_mib() - rss1

    rss2 = rss_mib()
    t0 = time.perf_counter()
    g, index = build_baseline(router)
    t_base_build = time.perf_counter() - t0
    base_mem = rss_mib() - rss2
    n_base = len(requests) if args.baseline_queries is None else args.baseline_queries

    # Timed in blocks of BLOCK queries: each block by every router (their order alternating),
    # then by the baseline, so that the router and the baseline meet the same phases of a
    # noisy machine (timed minutes apart, their ratio moved by a third from run to run).
    lat: dict[int, list[float]] = {threads: [] for threads in routers}
    blat: list[float] = []
    for first in range(0, len(requests), BLOCK):
        block = requests[first : first + BLOCK]
        for threads in sorted(routers, reverse=(first // BLOCK) % 2 == 1):
            each = routers[threads]
            for req in block:
                t0 = time.perf_counter()
                each.query(req)
                lat[threads].append((time.perf_counter() - t0) * 1000)
        for req in block[: max(0, n_base - first)]:
            src, dst = tt.place_index[req.origin], tt.place_index[req.destination]
            t0 = time.perf_counter()
            baseline_query(g, index, src, dst, int(req.ready.timestamp()))
            blat.append((time.perf_counter() - t0) * 1000)

    for threads, times in lat.items():
        fronts = sizes[threads]
        print(
            f"router, {len(requests)} queries, {threads} thread{'s' if threads > 1 else ''}: "
            f"p50 {pct(times, 50):.2f} ms, p95 {pct(times, 95):.2f} ms, "
            f"p99 {pct(times, 99):.2f} ms, mean {statistics.mean(times):.2f} ms; "
            f"answered {sum(1 for n in fronts if n)}; mean front {statistics.mean(fronts):.1f}, "
            f"max {max(fronts)}"
        )
    fronts_agree = all(points[t] == points[1] for t in points)
    print(f"RSS growth during queries {growth:.0f} MiB; the same fronts (arrival, price, CO2e "
          f"points) with every thread count: {'yes' if fronts_agree else 'NO'}")  # fmt: skip
    print(
        f"baseline (networkx time-expanded Dijkstra, earliest arrival only): graph "
        f"{g.number_of_nodes()} nodes / {g.number_of_edges()} edges, build {t_base_build:.1f} s, "
        f"~{base_mem:.0f} MiB; {len(blat)} queries p50 {pct(blat, 50):.1f} ms, "
        f"p95 {pct(blat, 95):.1f} ms, p99 {pct(blat, 99):.1f} ms"
    )
    # Ratios over the same queries: the router's figures on the baseline's subset.
    for threads, times in lat.items():
        same = times[: len(blat)]
        per_query = [b / r for b, r in zip(blat, same, strict=True)]
        print(
            f"ratio baseline/router ({threads} thread{'s' if threads > 1 else ''}) on the same "
            f"{len(blat)} queries: p50 {pct(blat, 50) / pct(same, 50):.0f}x, "
            f"p95 {pct(blat, 95) / pct(same, 95):.0f}x, p99 {pct(blat, 99) / pct(same, 99):.0f}x; "
            f"median per-query speed-up {statistics.median(per_query):.0f}x"
        )
    if args.phases:
        print(phase_breakdown(router, requests))
    print(f"build: baseline/router {t_base_build / (t_expand + t_build):.2f}x (router incl. "
          f"expansion)")  # fmt: skip

    zz = default_network()
    zrouter = Router.for_window(zz, START - timedelta(days=1), START + timedelta(days=45))
    zids = sorted(zz.places)
    zlat = []
    for _ in range(max(200, args.queries // 5)):
        o, d = rng.sample(zids, 2)
        req = QuoteRequest(o, d, base_time + timedelta(minutes=rng.randrange(7 * 1440)), 500.0, 2.5)
        t0 = time.perf_counter()
        zrouter.query(req)
        zlat.append((time.perf_counter() - t0) * 1000)
    print(
        f"embedded Zhengzhou network ({zrouter.timetable.n_trips} departures over 47 days), "
        f"{len(zlat)} queries: p50 {pct(zlat, 50):.3f} ms, p95 {pct(zlat, 95):.3f} ms, "
        f"p99 {pct(zlat, 99):.3f} ms"
    )


def phase_breakdown(router: Router, requests: list[QuoteRequest]) -> str:
    """Mean time per query in each kernel and in building the itineraries (wrapped timers)."""
    from silkhub.routing import _kernel
    from silkhub.routing import router as router_module

    spent: dict[str, float] = {}

    def timed(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*a: Any) -> Any:
            t = time.perf_counter()
            try:
                return func(*a)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - t

        return wrapper

    kernels = ("quote_cents", "hop_bounds", "search")
    saved = {name: getattr(_kernel, name) for name in kernels}
    saved_its = router_module.Router._itineraries
    for name in kernels:
        setattr(_kernel, name, timed(name, saved[name]))
    router_module.Router._itineraries = timed("itineraries", saved_its)  # type: ignore[method-assign]
    try:
        t0 = time.perf_counter()
        for req in requests:
            router.query(req)
        total = time.perf_counter() - t0
    finally:
        for name in kernels:
            setattr(_kernel, name, saved[name])
        router_module.Router._itineraries = saved_its  # type: ignore[method-assign]
    n = len(requests)
    parts = ", ".join(
        f"{name} {spent.get(name, 0.0) / n * 1000:.3f}" for name in (*kernels, "itineraries")
    )
    return f"phases, mean ms per query: {parts}; total {total / n * 1000:.3f} (timers included)"


def vars_of(obj: object) -> list[object]:
    """The attribute values of a slotted dataclass."""
    return [getattr(obj, name) for name in getattr(obj, "__slots__", ())]


if __name__ == "__main__":
    main()
