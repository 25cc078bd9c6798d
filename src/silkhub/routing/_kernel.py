"""The McRAPTOR search kernel over a compiled ``Timetable`` (Numba-compiled).

Round ``k`` extends the labels created in round ``k − 1`` by one boarding: a ride on a route
(boarded at a stop, alighted at any later stop) or one link. A label at a place is
(time, arrived-by mode, price cents, CO₂e grams, round). Because the transfer time depends on
the mode the shipment arrived by, a label dominates another at the same place only if it is
no later *and* ready no later for every boarding mode (``t + transfer[p, arrived, m]``), no
dearer and no dirtier. A label from an earlier round is never removed (it has boardings to
spare); labels at the destination are compared on (time, price, CO₂e) only and are never
extended (an extension can only arrive later).

Pruning (each test only drops what cannot give a new point of the front):

* ``hop_bounds`` computes, per query, the least time, price and CO₂e still needed to reach
  the destination from each place with at most ``h`` more boardings (a backward
  Bellman–Ford on the "ride graph": an edge per stop pair of a route, costing its running
  time plus the least transfer before boarding its mode, and per link; timetables ignored).
  Bounding by boardings left makes the bounds tighter than one Dijkstra per criterion, and a
  place that cannot reach the destination in ``h`` boardings gets none.
* A label, a boarding or a ride whose value plus its bound is already matched by a
  destination label is dropped. For a ride the bound is taken over every later stop of the
  route it could still alight at (``_suffix_bounds``), so hopeless rides stop early; a
  boarding is first tested as if a trip left the moment the label arrived, before its trip
  is looked up, and first of all for the corner of its place's bag (least time, price and
  CO₂e of the labels there): if even that is hopeless, no label there is tried. A scan stops
  at the first stop after which no stop can still finish.
* Before a round extends the previous round's labels, those the destination's labels (grown
  since) now make hopeless are unlinked (``_drop_hopeless``), and a place left without any is
  unmarked.
* Routes worth scanning in a round are collected from the marked places, or, when that is
  cheaper, from the places that can still finish (``_collect_from_finishers``). A round
  extends by links first, then scans the routes that reach the destination, then the rest,
  so that the destination's new labels prune as much of the round as they can.

Bags: each place's labels are a singly linked list, newest round first (so a scan for the
previous round's labels stops at the first older one); labels dominated within their round
are unlinked at once. The destination's bag is a small array sorted by time, so the
dominance test stops at the first label that arrives later. All arrays live in a
``Workspace`` the router allocates once and reuses for every query.

Capacity: a trip can carry the shipment from stop i to stop j only if every leg between has
room. A route label keeps the earliest such trip; when the next leg is full it moves to the
earliest later trip with room on every leg since boarding. Route labels may only be pruned
by ones boarded at the same stop, unless the whole route has room for the shipment; on a
route that calls at a place twice, only by ones boarded at the same place, since no one
alights where they boarded.

Two threads (``Router(threads=2)``): a round's links, its routes that reach the destination
and the merging run on one thread; its other routes are scanned by both at once
(``_scan_phase``), each claiming chunks of the list from an atomic counter. They go last so
that both threads meet every destination label of the round, as one thread would.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from silkhub.routing._intrinsics import fetch_add, prefetch

__all__ = ["INF", "KIND_LINK", "KIND_ORIGIN", "KIND_TRIP", "N_MODES", "hop_bounds", "search"]

N_MODES = 4
KIND_ORIGIN = 0
KIND_TRIP = 1
KIND_LINK = 2
INF = 1 << 60
#: What ``_collect_from_finishers`` returns instead of a count of routes.
_WALK_MARKED = -1
_NONE_MARKED = -2


@njit(cache=True, nogil=True)
def _dominates(p, ya, yfm, yprice, yco2, xa, xfm, xprice, xco2, transfer):  # type: ignore[no-untyped-def]
    """Whether label y dominates x at place p (time, readiness per mode, price, CO₂e)."""
    if ya > xa or yprice > xprice or yco2 > xco2:
        return False
    for m in range(N_MODES):  # noqa: SIM110 - a plain loop compiles in Numba
        if ya + transfer[p, yfm, m] > xa + transfer[p, xfm, m]:
            return False
    return True


@njit(cache=True, nogil=True)
def _dominated_at(p, t, fm, price, co2, head, lnext, lt, lfm, lprice, lco2, transfer):  # type: ignore[no-untyped-def]
    """Whether a label already at place p (any round) dominates a new one (t, fm, price, co2)."""
    y = head[p]
    while y >= 0:
        if _dominates(p, lt[y], lfm[y], lprice[y], lco2[y], t, fm, price, co2, transfer):
            return True
        y = lnext[y]
    return False


@njit(cache=True, nogil=True)
def _write_label(  # type: ignore[no-untyped-def]
    n, t, fm, price, co2, k, parent, kind, ref, board, alight, lt, lfm, lprice, lco2, lround,
    lparent, lkind, lref, lboard, lalight,
):  # fmt: skip
    """Fill label n of the pool (``lnext`` is set when it is linked into a bag)."""
    lt[n] = t
    lfm[n] = fm
    lprice[n] = price
    lco2[n] = co2
    lround[n] = k
    lparent[n] = parent
    lkind[n] = kind
    lref[n] = ref
    lboard[n] = board
    lalight[n] = alight


@njit(cache=True, nogil=True)
def _dest_dominated(t, price, co2, d_t, d_price, d_co2, nd):  # type: ignore[no-untyped-def]
    """Whether a destination label is no later, no dearer and no dirtier (bag sorted by time)."""
    for i in range(nd):
        if d_t[i] > t:
            return False
        if d_price[i] <= price and d_co2[i] <= co2:
            return True
    return False


@njit(cache=True, nogil=True)
def _dest_insert(t, price, co2, label, d_t, d_price, d_co2, d_label, nd):  # type: ignore[no-untyped-def]
    """Add a (non-dominated) destination label, drop those it dominates; the new size."""
    w = 0
    for i in range(nd):
        if t <= d_t[i] and price <= d_price[i] and co2 <= d_co2[i]:
            continue
        d_t[w] = d_t[i]
        d_price[w] = d_price[i]
        d_co2[w] = d_co2[i]
        d_label[w] = d_label[i]
        w += 1
    i = w
    while i > 0 and d_t[i - 1] > t:
        d_t[i] = d_t[i - 1]
        d_price[i] = d_price[i - 1]
        d_co2[i] = d_co2[i - 1]
        d_label[i] = d_label[i - 1]
        i -= 1
    d_t[i] = t
    d_price[i] = price
    d_co2[i] = co2
    d_label[i] = label
    return w + 1


@njit(cache=True, nogil=True)
def hop_bounds(  # type: ignore[no-untyped-def]
    dest, max_hops, redge_ptr, redge_from, redge_ref, redge_time, redge_gpt, redge_legs,
    route_ok, route_cents, link_ok, link_cents, tonnes, lb, changed, next_changed,
):  # fmt: skip
    """Fill ``lb[h, p, c]``: least time (c=0), price (1), CO₂e (2) from p with ≤ h boardings.

    Each ride-graph edge (a stop pair of a route, or a link) costs its running time, its
    boarding's cents and a lower bound of its grams (rounding can only lose half a gram per
    leg), so every entry is a true lower bound; ``INF`` where ``dest`` is out of reach.
    Bellman–Ford in rounds, relaxing only edges into places that changed in the last round.
    The search reads levels 0 .. max_boardings − 1 (a label has a boarding behind it); the
    router computes all but the top one, read only for the first round's labels, and leaves
    that 0.
    """
    n_places = lb.shape[1]
    for c in range(3):
        for p in range(n_places):
            lb[0, p, c] = INF
        lb[0, dest, c] = 0
    for p in range(n_places):
        changed[p] = False
    changed[dest] = True
    for h in range(1, max_hops + 1):
        any_changed = False
        for c in range(3):
            for p in range(n_places):
                lb[h, p, c] = lb[h - 1, p, c]
        for p in range(n_places):
            next_changed[p] = False
        for q in range(n_places):
            if not changed[q]:
                continue
            tq = lb[h - 1, q, 0]
            pq = lb[h - 1, q, 1]
            cq = lb[h - 1, q, 2]
            for e in range(redge_ptr[q], redge_ptr[q + 1]):
                ref = redge_ref[e]
                if ref >= 0:
                    if not route_ok[ref]:
                        continue
                    cents = route_cents[ref]
                else:
                    if not link_ok[-1 - ref]:
                        continue
                    cents = link_cents[-1 - ref]
                # Branch-free relaxation: whether an edge improves a criterion is a coin toss
                # the branch predictor loses, and min/or compile to conditional moves (the
                # query measured 4-6 % faster than with three ifs).
                p = redge_from[e]
                v0 = tq + redge_time[e]
                v1 = pq + cents
                g = np.int64(np.floor(redge_gpt[e] * tonnes)) - redge_legs[e]
                v2 = cq + max(g, np.int64(0))
                o0 = lb[h, p, 0]
                o1 = lb[h, p, 1]
                o2 = lb[h, p, 2]
                lb[h, p, 0] = min(o0, v0)
                lb[h, p, 1] = min(o1, v1)
                lb[h, p, 2] = min(o2, v2)
                upd = (v0 < o0) | (v1 < o1) | (v2 < o2)
                next_changed[p] = next_changed[p] | upd
                any_changed = any_changed | upd
        for p in range(n_places):
            changed[p] = next_changed[p]
        if not any_changed:
            for hh in range(h + 1, max_hops + 1):
                for c in range(3):
                    for p in range(n_places):
                        lb[hh, p, c] = lb[h, p, c]
            break


@njit(cache=True, nogil=True)
def _hopeless(p, t, price, co2, h, lb, d_t, d_price, d_co2, nd):  # type: ignore[no-untyped-def]
    """Whether a label at p with h boardings left cannot lead to a new point of the front."""
    bt = lb[h, p, 0]
    if bt >= INF:
        return True
    return _dest_dominated(t + bt, price + lb[h, p, 1], co2 + lb[h, p, 2], d_t, d_price, d_co2, nd)


@njit(cache=True, nogil=True)
def _first_trip(trip_start, t_lo, n_trips, ready_t):  # type: ignore[no-untyped-def]
    """The first trip j (0-based) of a route with ``trip_start[t_lo + j]`` ≥ ``ready_t``.

    ``n_trips`` if none. Galloping from the first trip, then bisecting: a shipment is
    usually ready early in the window, so the answer tends to be one of the first trips,
    and a plain bisection's unpredictable branches and scattered reads cost more.
    """
    if n_trips == 0 or trip_start[t_lo] >= ready_t:
        return 0
    lo = 0  # trip lo starts before ready_t; the answer is in (lo, hi]
    step = 1
    hi = 1
    while hi < n_trips and trip_start[t_lo + hi] < ready_t:
        lo = hi
        step *= 2
        hi = lo + step
    if hi > n_trips:
        hi = n_trips
    lo += 1
    while lo < hi:
        mid = (lo + hi) // 2
        if trip_start[t_lo + mid] < ready_t:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True, nogil=True)
def _suffix_bounds(  # type: ignore[no-untyped-def]
    s0, i0, n_stops, stop_place, leg_gpt, off_arr, tonnes, lb, h, suf_t, suf_p, suf_c
):
    """Per stop s ≥ i0 of a route: the least (time after arriving at s, price, CO₂e) to finish.

    Over every stop s' ≥ s the ride could alight at: running time s → s' (the same for every
    trip of the route) plus the bound at s', and the grams of legs s .. s' − 1 plus the
    bound's; price only the bound's (the boarding is already paid).
    """
    bt = np.int64(INF)
    bp = np.int64(INF)
    bc = np.int64(INF)
    for s in range(n_stops - 1, i0, -1):
        q = stop_place[s0 + s]
        if s < n_stops - 1:
            bt += off_arr[s0 + s + 1] - off_arr[s0 + s]
            bc += np.int64(np.floor(leg_gpt[s0 + s] * tonnes + 0.5))
        lt = lb[h, q, 0]
        if lt < INF:
            if lt < bt:
                bt = lt
            if lb[h, q, 1] < bp:
                bp = lb[h, q, 1]
            if lb[h, q, 2] < bc:
                bc = lb[h, q, 2]
        suf_t[s] = bt
        suf_p[s] = bp
        suf_c[s] = bc
        if bt > INF:
            bt = np.int64(INF)
        if bc > INF:
            bc = np.int64(INF)


@njit(cache=True, nogil=True)
def _prefetch_route(  # type: ignore[no-untyped-def]
    r, stop_ptr, trip_ptr, cap_ptr, route_mode, route_min_kg, route_min_m3, route_cents
):
    """Prefetch the per-route fields a scan of route r reads first."""
    prefetch(stop_ptr, r)
    prefetch(trip_ptr, r)
    prefetch(cap_ptr, r)
    prefetch(route_mode, r)
    prefetch(route_min_kg, r)
    prefetch(route_min_m3, r)
    prefetch(route_cents, r)


@njit(cache=True, nogil=True)
def _prefetch_first_stop(  # type: ignore[no-untyped-def]
    r, stop_ptr, trip_ptr, stop_place, off_arr, off_dep, leg_gpt, trip_start
):
    """Prefetch route r's first stop (place, offsets, grams) and its first trip's start."""
    s0 = stop_ptr[r]
    prefetch(stop_place, s0)
    prefetch(off_arr, s0)
    prefetch(off_dep, s0)
    prefetch(leg_gpt, s0)
    prefetch(trip_start, trip_ptr[r])


@njit(cache=True, nogil=True)
def _mark_dest_routes(dest, pr_ptr, pr_route, pr_pos, dest_pos, on):  # type: ignore[no-untyped-def]
    """Set (``on``) or clear ``dest_pos`` for the routes that call at the destination."""
    for e in range(pr_ptr[dest], pr_ptr[dest + 1]):
        r = pr_route[e]
        if not on:
            dest_pos[r] = -1
        elif pr_pos[e] > dest_pos[r]:
            dest_pos[r] = pr_pos[e]


@njit(cache=True, nogil=True)
def _scan_routes(  # type: ignore[no-untyped-def]
    route_mode, route_cents, route_min_kg, route_min_m3, route_loops, stop_ptr, stop_place,
    leg_gpt, trip_ptr, trip_start, off_arr, off_dep, cap_ptr, cap_kg, cap_m3, transfer, lb,
    dest, latest, last_start, kg, m3, tonnes, k, h,
    lt, lfm, lprice, lco2, lround, lparent, lkind, lref, lboard, lalight, lnext, n, step, stop,
    d_t, d_price, d_co2, d_label, nd, head, mine, base, marked, next_marked, first_pos,
    route_list, claim, n_list, touched, rb_label, rb_trip, rb_board, rb_price, rb_co2, suf_t,
    suf_p, suf_c,
    c_t, c_p, c_c,
):  # fmt: skip
    """Scan round k's routes ``route_list[claim[0]:n_list]``; (n, nd, fitted, places touched).

    Routes are claimed ``claim[1]`` at a time from the shared counter ``claim[0]``, so two
    threads can run this at once over one list. Boardings read the round's start bags
    (``head``: labels of round k − 1 and older). A new label is checked against the labels in
    ``mine`` and in ``base`` and filed in ``mine`` (a thread's own lists, whose places it
    lists in ``touched``; or, for one thread, ``mine`` is the round's bags and ``base`` all
    −1); it goes in the given destination bag and takes pool slot ``n``, moving by ``step``
    (+1 or −1) until ``stop``. ``fitted`` is False if the pool ran out.
    """
    nt = 0
    while True:
        c = fetch_add(claim, 0, claim[1])
        if c >= n_list:
            break
        c_end = min(c + claim[1], n_list)
        for li in range(c, c_end):
            # Ask for the lines of the routes next in line while this one is scanned (see
            # _prefetch): the fields of the one after next, the first stop and trip of the
            # next (whose stop pointer the previous turn asked for).
            if li + 2 < n_list:
                _prefetch_route(
                        route_list[li + 2], stop_ptr, trip_ptr, cap_ptr, route_mode, route_min_kg,
                        route_min_m3, route_cents,
                    )  # fmt: skip
            if li + 1 < n_list:
                _prefetch_first_stop(
                        route_list[li + 1], stop_ptr, trip_ptr, stop_place, off_arr, off_dep,
                        leg_gpt, trip_start,
                    )  # fmt: skip
            r = route_list[li]
            i0 = first_pos[r]  # reset after the round: the other thread reads its neighbours
            s0 = stop_ptr[r]
            n_stops = stop_ptr[r + 1] - s0
            legs = n_stops - 1
            t_lo = trip_ptr[r]
            n_trips = trip_ptr[r + 1] - t_lo
            cb = cap_ptr[r]
            mode = route_mode[r] + 1  # as an "arrived-by" code
            bm = route_mode[r]
            free = route_min_kg[r] >= kg and route_min_m3[r] >= m3  # room on every trip
            loops = route_loops[r]  # then no one alights where they boarded, see below
            cents = route_cents[r]
            _suffix_bounds(
                s0, i0, n_stops, stop_place, leg_gpt, off_arr, tonnes, lb, h, suf_t, suf_p, suf_c
            )
            nrb = 0
            for i in range(i0, n_stops):
                p = stop_place[s0 + i]
                # 1. alight the route bag here (a leg goes between two places: on a route that
                # calls at a place twice, no one alights where they boarded)
                for b in range(nrb):
                    if stop_place[s0 + rb_board[b]] == p:
                        continue
                    t = trip_start[t_lo + rb_trip[b]] + off_arr[s0 + i]
                    price = rb_price[b]
                    co2 = rb_co2[b]
                    if p == dest:
                        if _dest_dominated(t, price, co2, d_t, d_price, d_co2, nd):
                            continue
                    else:
                        if _hopeless(p, t, price, co2, h, lb, d_t, d_price, d_co2, nd):
                            continue
                        if _dominated_at(
                            p, t, mode, price, co2, mine, lnext, lt, lfm, lprice, lco2, transfer
                        ) or _dominated_at(
                            p, t, mode, price, co2, base, lnext, lt, lfm, lprice, lco2, transfer
                        ):
                            continue
                    if n == stop:
                        return n, nd, False, nt
                    _write_label(
                            n, t, mode, price, co2, k, rb_label[b], KIND_TRIP, t_lo + rb_trip[b],
                            rb_board[b], i, lt, lfm, lprice, lco2, lround, lparent, lkind, lref,
                            lboard, lalight,
                        )  # fmt: skip
                    if p == dest:
                        nd = _dest_insert(t, price, co2, n, d_t, d_price, d_co2, d_label, nd)
                    else:
                        if mine[p] < 0:  # (before the unlinking, which may empty it)
                            touched[nt] = p
                            nt += 1
                        _unlink_dominated(
                            p, k, t, mode, price, co2, mine, lnext, lt, lfm, lprice, lco2,
                            lround, transfer,
                        )  # fmt: skip
                        lnext[n] = mine[p]
                        mine[p] = n
                        next_marked[p] = True
                    n += step
                if i == legs or suf_t[i + 1] >= INF:
                    break  # the last stop, or no later stop can still finish
                # 2. board: labels of the previous round at this place join the route bag
                if marked[p] and p != dest:
                    # What boarding here adds at the least, whichever trip is caught: the
                    # running time to the next stop and that leg's grams, then the bounds.
                    least_t = off_arr[s0 + i + 1] - off_dep[s0 + i] + suf_t[i + 1]
                    add_t = off_arr[s0 + i + 1] + suf_t[i + 1]
                    add_p = cents + suf_p[i + 1]
                    add_c = np.int64(np.floor(leg_gpt[s0 + i] * tonnes + 0.5)) + suf_c[i + 1]
                    x = head[p]
                    if _dest_dominated(
                        c_t[p] + least_t, c_p[p] + add_p, c_c[p] + add_c, d_t, d_price, d_co2, nd
                    ):  # so is every label here: none is earlier, cheaper or cleaner
                        x = -1
                    while x >= 0 and lround[x] >= k - 1:
                        if lround[x] != k - 1 or _dest_dominated(
                            lt[x] + least_t,
                            lprice[x] + add_p,
                            lco2[x] + add_c,
                            d_t,
                            d_price,
                            d_co2,
                            nd,
                        ):  # hopeless even if a trip left the moment it arrived
                            x = lnext[x]
                            continue
                        ready_t = lt[x] + transfer[p, lfm[x], bm]
                        j = _first_trip(trip_start, t_lo, n_trips, ready_t - off_dep[s0 + i])
                        if not free:
                            while j < n_trips and not (
                                cap_kg[cb + j * legs + i] >= kg and cap_m3[cb + j * legs + i] >= m3
                            ):
                                j += 1
                        price = lprice[x] + cents
                        co2 = lco2[x]
                        if j < n_trips and trip_start[t_lo + j] > last_start:
                            j = n_trips  # trips are by start: none later is in the horizon
                        if j < n_trips and not _dest_dominated(
                            trip_start[t_lo + j] + add_t,
                            price + suf_p[i + 1],
                            co2 + add_c,
                            d_t,
                            d_price,
                            d_co2,
                            nd,
                        ):
                            # A label in the bag covers this one only if it can alight
                            # wherever this one can: on a route that calls at a place twice,
                            # only if both boarded at the same place; and only if its trip
                            # keeps room as far (boarded at the same stop, or room on every
                            # trip). This one, boarded later, covers a bag label's trips, so
                            # it may replace it whatever the capacity.
                            keep = True
                            for b in range(nrb):
                                if (
                                    rb_trip[b] <= j
                                    and rb_price[b] <= price
                                    and rb_co2[b] <= co2
                                    and (free or rb_board[b] == i)
                                    and (not loops or stop_place[s0 + rb_board[b]] == p)
                                ):
                                    keep = False
                                    break
                            if keep:
                                w = 0
                                for b in range(nrb):
                                    if not (
                                        j <= rb_trip[b]
                                        and price <= rb_price[b]
                                        and co2 <= rb_co2[b]
                                        and (not loops or stop_place[s0 + rb_board[b]] == p)
                                    ):
                                        rb_label[w] = rb_label[b]
                                        rb_trip[w] = rb_trip[b]
                                        rb_board[w] = rb_board[b]
                                        rb_price[w] = rb_price[b]
                                        rb_co2[w] = rb_co2[b]
                                        w += 1
                                nrb = w
                                rb_label[nrb] = x
                                rb_trip[nrb] = j
                                rb_board[nrb] = i
                                rb_price[nrb] = price
                                rb_co2[nrb] = co2
                                nrb += 1
                        x = lnext[x]
                # 3. ride leg i: keep room for the shipment, add its CO₂e, drop the hopeless
                if nrb > 0:
                    grams = np.int64(np.floor(leg_gpt[s0 + i] * tonnes + 0.5))
                    w = 0
                    for b in range(nrb):
                        j = rb_trip[b]
                        if not free:
                            bi = rb_board[b]
                            while j < n_trips:
                                room = True
                                for g in range(bi, i + 1):
                                    at = cb + j * legs + g
                                    if cap_kg[at] < kg or cap_m3[at] < m3:
                                        room = False
                                        break
                                if room:
                                    break
                                j += 1
                            if j >= n_trips or trip_start[t_lo + j] > last_start:
                                continue
                        t_next = trip_start[t_lo + j] + off_arr[s0 + i + 1]
                        co2 = rb_co2[b] + grams
                        if t_next > latest:
                            continue
                        if _dest_dominated(
                            t_next + suf_t[i + 1],
                            rb_price[b] + suf_p[i + 1],
                            co2 + suf_c[i + 1],
                            d_t,
                            d_price,
                            d_co2,
                            nd,
                        ):
                            continue
                        rb_label[w] = rb_label[b]
                        rb_trip[w] = j
                        rb_board[w] = rb_board[b]
                        rb_price[w] = rb_price[b]
                        rb_co2[w] = co2
                        w += 1
                    nrb = w

    return n, nd, True, nt


@njit(cache=True, nogil=True, parallel=True)
def _scan_phase(  # type: ignore[no-untyped-def]
    route_mode, route_cents, route_min_kg, route_min_m3, route_loops, stop_ptr, stop_place,
    leg_gpt, trip_ptr, trip_start, off_arr, off_dep, cap_ptr, cap_kg, cap_m3, transfer, lb,
    dest, latest, last_start, kg, m3, tonnes, k, h,
    lt, lfm, lprice, lco2, lround, lparent, lkind, lref, lboard, lalight, lnext, n, top,
    d_t, d_price, d_co2, d_label, nd, head, mine, marked, next_marked, marked2, first_pos,
    route_list, lo, hi, rb_label, rb_trip, rb_board, rb_price, rb_co2, suf_t, suf_p, suf_c,
    c_t, c_p, c_c, share_out, claim, touched,
):  # fmt: skip
    """Scan routes ``route_list[lo:hi]`` on two threads at once, then merge; (n, top, fitted).

    Both threads check their new labels against the round's labels so far (``cur`` =
    ``mine[2]``), which neither changes, and file them in their own lists (``mine[s]``).
    Thread 0 takes pool slots up from ``n`` and thread 1 down from ``top``, each in its half of
    the free slots, so the pool's free slots stay one block. Their labels are then filed into
    ``cur`` (``_merge_shares``). Nothing either thread writes is read or written by the other
    until then, except the claim counter, which is atomic. The destination's bag is read by
    both and written by neither: these are the routes that do not call at the destination
    after their first marked stop, so none of them can alight there.
    """
    n_places = head.shape[0]
    cur = mine[2]  # unchanged until the merge: what both threads build on
    mid = n + (top - n) // 2
    claim[0] = lo
    for s in prange(2):
        marks = next_marked if s == 0 else marked2[1]
        first = n if s == 0 else top - 1
        step = 1 if s == 0 else -1
        stop = mid if s == 0 else mid - 1
        share_out[s, 0], share_out[s, 1], share_out[s, 2], share_out[s, 3] = _scan_routes(
            route_mode, route_cents, route_min_kg, route_min_m3, route_loops, stop_ptr,
            stop_place, leg_gpt, trip_ptr, trip_start, off_arr, off_dep, cap_ptr, cap_kg,
            cap_m3, transfer, lb, dest, latest, last_start, kg, m3, tonnes, k, h, lt, lfm,
            lprice, lco2, lround, lparent, lkind, lref, lboard, lalight, lnext, first, step,
            stop, d_t, d_price, d_co2, d_label, nd, head, mine[s], cur,
            marked, marks, first_pos, route_list, claim, hi, touched[s], rb_label[s],
            rb_trip[s], rb_board[s], rb_price[s], rb_co2[s], suf_t[s], suf_p[s], suf_c[s],
            c_t, c_p, c_c,
        )  # fmt: skip
    for p in range(n_places):
        next_marked[p] = next_marked[p] | marked2[1, p]
        marked2[1, p] = False
    if share_out[0, 2] == 0 or share_out[1, 2] == 0:
        for s in range(2):
            for i in range(share_out[s, 3]):
                mine[s, touched[s, i]] = -1
        return n, top, False
    _merge_shares(
        k, mine, touched, share_out[0, 3], share_out[1, 3], lnext, lt, lfm, lprice, lco2, lround,
        transfer,
    )  # fmt: skip
    return share_out[0, 0], share_out[1, 0] + 1, True


@njit(cache=True, nogil=True)
def _merge_shares(  # type: ignore[no-untyped-def]
    k, mine, touched, nt0, nt1, lnext, lt, lfm, lprice, lco2, lround, transfer
):  # fmt: skip
    """File both threads' new labels into the round's bags ``cur`` (``mine[2]``).

    Each share's new labels at a place (a list from ``mine[s, p]``, at the places listed in
    ``touched[s]``) are Pareto-optimal among themselves and were checked against ``cur``.
    Share 1's are filed among share 0's (dropped if one there dominates them, else unlinking
    those they dominate), then each place's list goes on top of its ``cur`` bag; the lists are
    left empty for the next round. A label of ``cur`` that a thread's label dominates stays: it
    is a true label and only costs the next round a look.
    """
    cur = mine[2]
    own = mine[0]
    for i in range(nt1):
        p = touched[1, i]
        y = mine[1, p]
        mine[1, p] = -1
        if own[p] < 0:
            touched[0, nt0] = p
            nt0 += 1
        while y >= 0:
            nxt = lnext[y]
            if not _dominated_at(
                p, lt[y], lfm[y], lprice[y], lco2[y], own, lnext, lt, lfm, lprice, lco2, transfer
            ):
                _unlink_dominated(
                    p, k, lt[y], lfm[y], lprice[y], lco2[y], own, lnext, lt, lfm, lprice, lco2,
                    lround, transfer,
                )  # fmt: skip
                lnext[y] = own[p]
                own[p] = y
            y = nxt
    for i in range(nt0):
        p = touched[0, i]
        y = own[p]
        if y >= 0:
            while lnext[y] >= 0:
                y = lnext[y]
            lnext[y] = cur[p]
            cur[p] = own[p]
            own[p] = -1


@njit(cache=True, nogil=True)
def search(  # type: ignore[no-untyped-def]
    # timetable
    route_mode,
    route_ok,
    route_cents,
    route_min_kg,
    route_min_m3,
    route_loops,
    stop_ptr,
    stop_place,
    leg_gpt,
    trip_ptr,
    trip_start,
    off_arr,
    off_dep,
    cap_ptr,
    cap_kg,
    cap_m3,
    pr_ptr,
    pr_route,
    pr_pos,
    link_ptr,
    link_to,
    link_mode,
    link_dur,
    link_gpt,
    link_ok,
    link_cents,
    transfer,
    lb,
    # query
    origin,
    dest,
    ready,
    latest,
    last_start,
    kg,
    m3,
    tonnes,
    max_rounds,
    # workspace: the label pool
    lt,
    lfm,
    lprice,
    lco2,
    lround,
    lparent,
    lkind,
    lref,
    lboard,
    lalight,
    lnext,
    # workspace: the destination's bag
    d_t,
    d_price,
    d_co2,
    d_label,
    # workspace: per place / per route scratch
    head,
    mine,
    marked,
    next_marked,
    first_pos,
    route_list,
    # workspace: the route bag and the suffix bounds, one per share
    rb_label,
    rb_trip,
    rb_board,
    rb_price,
    rb_co2,
    suf_t,
    suf_p,
    suf_c,
    share_out,
    marked2,
    claim,
    touched,
    useful_until,
    dest_pos,
    # workspace: the corner of each place's bag of the previous round (see _drop_hopeless)
    c_t,
    c_p,
    c_c,
):
    """Run McRAPTOR; the number of destination labels (in ``d_label``), or -1 if the pool is short.

    It runs on ``share_out.shape[0]`` threads (1 or 2; see the module's docstring). Only trips
    that start (leave their first stop) by ``last_start`` are boarded: the request's horizon.
    Arrivals after ``latest`` are dropped.

    ``dest_pos`` is −1 for every route between searches; during one it holds the last position
    of the destination on each route that calls there (set here, cleared before returning).
    """
    _mark_dest_routes(dest, pr_ptr, pr_route, pr_pos, dest_pos, True)
    capacity = lt.shape[0]
    shares = share_out.shape[0]
    # ``mine``'s rows: each thread's own new labels (all −1 between phases: _scan_phase leaves
    # them so), the round's labels so far, and a row that is all −1 for good (no second bag
    # with one thread, and in phase A). The router fills it with −1 once.
    cur = mine[shares]  # the round's labels so far, merged, on top of ``head``
    base = mine[shares + 1]
    top = capacity  # share 1 takes pool slots downward from here
    n_places = head.shape[0]
    for p in range(n_places):
        head[p] = -1
        marked[p] = False
        next_marked[p] = False

    lt[0] = ready
    lfm[0] = 0
    lprice[0] = 0
    lco2[0] = 0
    lround[0] = 0
    lparent[0] = -1
    lkind[0] = KIND_ORIGIN
    lref[0] = -1
    lboard[0] = -1
    lalight[0] = -1
    lnext[0] = -1
    head[origin] = 0
    n = 1
    nd = 0
    marked[origin] = True
    c_t[origin] = ready
    c_p[origin] = 0
    c_c[origin] = 0

    for k in range(1, max_rounds + 1):
        h = max_rounds - k  # boardings left after this round's
        if k > 1:
            _drop_hopeless(
                k - 1, h + 1, marked, head, lnext, lround, lt, lprice, lco2, lb, d_t, d_price,
                d_co2, nd, c_t, c_p, c_c,
            )  # fmt: skip
        for p in range(n_places):
            cur[p] = head[p]
        # ---- links from marked places
        for p in range(n_places):
            if not marked[p] or p == dest:
                continue
            for e in range(link_ptr[p], link_ptr[p + 1]):
                if not link_ok[e]:
                    continue
                q = link_to[e]
                fm = link_mode[e] + 1
                x = head[p]
                while x >= 0 and lround[x] >= k - 1:
                    if lround[x] != k - 1:
                        x = lnext[x]
                        continue
                    t = lt[x] + link_dur[e]
                    price = lprice[x] + link_cents[e]
                    co2 = lco2[x] + np.int64(np.floor(link_gpt[e] * tonnes + 0.5))
                    x_here = x
                    x = lnext[x]
                    if t > latest or _hopeless(q, t, price, co2, h, lb, d_t, d_price, d_co2, nd):
                        continue
                    if q != dest and _dominated_at(
                        q, t, fm, price, co2, cur, lnext, lt, lfm, lprice, lco2, transfer
                    ):
                        continue
                    if n >= top:
                        _mark_dest_routes(dest, pr_ptr, pr_route, pr_pos, dest_pos, False)
                        return -1
                    _write_label(
                        n, t, fm, price, co2, k, x_here, KIND_LINK, e, -1, -1, lt, lfm, lprice,
                        lco2, lround, lparent, lkind, lref, lboard, lalight,
                    )  # fmt: skip
                    # Filed as in the ride step below: kept inline in both, as a shared
                    # helper with this many arrays measured 18 % slower.
                    if q == dest:
                        nd = _dest_insert(t, price, co2, n, d_t, d_price, d_co2, d_label, nd)
                    else:
                        _unlink_dominated(
                            q, k, t, fm, price, co2, cur, lnext, lt, lfm, lprice, lco2,
                            lround, transfer,
                        )  # fmt: skip
                        lnext[n] = cur[q]
                        cur[q] = n
                        next_marked[q] = True
                    n += 1

        # ---- collect routes through marked places, from their earliest marked stop
        n_list = _collect_from_finishers(
            h, lb, marked, route_ok, stop_ptr, stop_place, pr_ptr, pr_route, pr_pos,
            first_pos, route_list, useful_until,
        )  # fmt: skip
        if n_list == _NONE_MARKED:
            break
        if n_list == _WALK_MARKED:
            n_list = _collect_from_marked(
                h, lb, marked, route_ok, stop_ptr, stop_place, pr_ptr, pr_route, pr_pos,
                first_pos, route_list,
            )  # fmt: skip
        # Routes that reach the destination go first: the labels they leave there prune the
        # boardings and rides of every other route of the round.
        front = 0
        for li in range(n_list):
            r = route_list[li]
            if dest_pos[r] > first_pos[r]:
                route_list[li] = route_list[front]
                route_list[front] = r
                front += 1

        # ---- scan the routes: those that reach the destination first, then the others, in
        # two shares at once (one per core) when the search has two
        split = front if shares > 1 else n_list
        claim[0] = 0
        n, nd, fitted, _ = _scan_routes(
            route_mode, route_cents, route_min_kg, route_min_m3, route_loops, stop_ptr,
            stop_place, leg_gpt, trip_ptr, trip_start, off_arr, off_dep, cap_ptr, cap_kg,
            cap_m3, transfer, lb, dest, latest, last_start, kg, m3, tonnes, k, h, lt, lfm,
            lprice, lco2, lround, lparent, lkind, lref, lboard, lalight, lnext, n, 1, top,
            d_t, d_price, d_co2, d_label, nd, head, cur, base, marked, next_marked,
            first_pos, route_list, claim, split, touched[0], rb_label[0], rb_trip[0], rb_board[0],
            rb_price[0], rb_co2[0], suf_t[0], suf_p[0], suf_c[0], c_t, c_p, c_c,
        )  # fmt: skip
        if fitted and split < n_list:
            n, top, fitted = _scan_phase(
                route_mode, route_cents, route_min_kg, route_min_m3, route_loops, stop_ptr,
                stop_place, leg_gpt, trip_ptr, trip_start, off_arr, off_dep, cap_ptr,
                cap_kg, cap_m3, transfer, lb, dest, latest, last_start, kg, m3, tonnes, k,
                h, lt, lfm, lprice, lco2, lround, lparent, lkind, lref, lboard, lalight,
                lnext, n, top, d_t, d_price, d_co2, d_label, nd, head, mine, marked,
                next_marked, marked2, first_pos, route_list, split, n_list, rb_label,
                rb_trip, rb_board, rb_price, rb_co2, suf_t, suf_p, suf_c, c_t, c_p, c_c,
                share_out, claim, touched,
            )  # fmt: skip
        for li in range(n_list):
            first_pos[route_list[li]] = -1
        if not fitted:
            _mark_dest_routes(dest, pr_ptr, pr_route, pr_pos, dest_pos, False)
            return -1
        for p in range(n_places):
            head[p] = cur[p]

        for p in range(n_places):
            marked[p] = next_marked[p]
            next_marked[p] = False

    _mark_dest_routes(dest, pr_ptr, pr_route, pr_pos, dest_pos, False)
    return nd


@njit(cache=True, nogil=True)
def _collect_from_marked(  # type: ignore[no-untyped-def]
    h, lb, marked, route_ok, stop_ptr, stop_place, pr_ptr, pr_route, pr_pos, first_pos,
    route_list,
):  # fmt: skip
    """Collect the routes through marked places that a later stop lets finish; their number."""
    n_list = 0
    for p in range(marked.shape[0]):
        if not marked[p]:
            continue
        for e in range(pr_ptr[p], pr_ptr[p + 1]):
            r = pr_route[e]
            if not route_ok[r]:
                continue
            pos = pr_pos[e]
            s0 = stop_ptr[r]
            if first_pos[r] >= 0 and pos >= first_pos[r]:
                continue
            # only if a later stop can still reach the destination in h boardings
            useful = False
            for s in range(s0 + pos + 1, stop_ptr[r + 1]):
                if lb[h, stop_place[s], 0] < INF:
                    useful = True
                    break
            if not useful:
                continue
            if first_pos[r] < 0:
                route_list[n_list] = r
                n_list += 1
            first_pos[r] = pos
    return n_list


@njit(cache=True, nogil=True)
def _collect_from_finishers(  # type: ignore[no-untyped-def]
    h, lb, marked, route_ok, stop_ptr, stop_place, pr_ptr, pr_route, pr_pos, first_pos,
    route_list, useful_until,
):  # fmt: skip
    """Collect this round's routes from the places that can still finish, when that is cheaper.

    A route is worth scanning from its earliest marked stop only if a later stop can reach the
    destination with ``h`` boardings left. Walking every route through every marked place to
    find them costs a cache miss or two per (place, route) pair and dominated the search in
    the middle rounds; when the places with a finite bound have fewer routes than the marked
    places, it is cheaper to start from them: mark on each route the last stop that can still
    finish, then look for a marked stop before it. Returns the number of routes collected
    (in ``route_list``, ``first_pos`` set), ``_WALK_MARKED`` to let the caller walk the marked
    places instead, or ``_NONE_MARKED`` when no place is marked (the search is over).
    """
    n_places = marked.shape[0]
    via_marked = 0
    via_useful = 0
    for p in range(n_places):
        deg = pr_ptr[p + 1] - pr_ptr[p]
        if marked[p]:
            via_marked += deg
        if lb[h, p, 0] < INF:
            via_useful += deg
    if via_marked == 0:
        any_marked = False
        for p in range(n_places):
            if marked[p]:
                any_marked = True
                break
        return 0 if any_marked else _NONE_MARKED
    if 2 * via_useful >= via_marked:
        return _WALK_MARKED
    n_cand = 0
    for q in range(n_places):
        if lb[h, q, 0] >= INF:
            continue
        for e in range(pr_ptr[q], pr_ptr[q + 1]):
            pos = pr_pos[e]
            r = pr_route[e]
            if pos == 0 or not route_ok[r]:
                continue
            if useful_until[r] < 0:
                route_list[n_cand] = r
                n_cand += 1
                useful_until[r] = pos
            elif pos > useful_until[r]:
                useful_until[r] = pos
    n_list = 0
    for c in range(n_cand):
        r = route_list[c]
        s0 = stop_ptr[r]
        for pos in range(useful_until[r]):
            if marked[stop_place[s0 + pos]]:
                first_pos[r] = pos
                route_list[n_list] = r
                n_list += 1
                break
        useful_until[r] = -1
    return n_list


@njit(cache=True, nogil=True)
def _drop_hopeless(  # type: ignore[no-untyped-def]
    k, h, marked, head, lnext, lround, lt, lprice, lco2, lb, d_t, d_price, d_co2, nd, c_t, c_p,
    c_c,
):  # fmt: skip
    """Before labels of round k are extended, unlink those the destination now makes hopeless.

    A label was checked against the destination's labels when it was made, but the
    destination gains labels during the round, and each that arrived after it may rule it
    out. Checking once per label here spares a boarding attempt on every route and link at
    its place; a place left with no live label of round k is unmarked, so its routes are not
    even collected. Unlinking is safe: a later label that such a label would have dominated
    at the place is hopeless by the same test and is dropped when made.

    ``c_t``/``c_p``/``c_c`` get the least time, price and CO₂e of each place's survivors (the
    corner of its bag): a boarding whose least additions make even the corner hopeless is
    hopeless for every label there, and is skipped with one test instead of one per label.
    The round only adds labels of round k + 1, so the corners hold for the whole round.
    """
    for p in range(marked.shape[0]):
        if not marked[p]:
            continue
        alive = False
        mt = np.int64(INF)
        mp = np.int64(INF)
        mc = np.int64(INF)
        prev = -1
        y = head[p]
        while y >= 0 and lround[y] == k:
            nxt = lnext[y]
            if _hopeless(p, lt[y], lprice[y], lco2[y], h, lb, d_t, d_price, d_co2, nd):
                if prev < 0:
                    head[p] = nxt
                else:
                    lnext[prev] = nxt
            else:
                alive = True
                prev = y
                mt = min(mt, lt[y])
                mp = min(mp, lprice[y])
                mc = min(mc, lco2[y])
            y = nxt
        c_t[p] = mt
        c_p[p] = mp
        c_c[p] = mc
        if not alive:
            marked[p] = False


@njit(cache=True, nogil=True)
def _unlink_dominated(  # type: ignore[no-untyped-def]
    p, k, t, fm, price, co2, head, lnext, lt, lfm, lprice, lco2, lround, transfer
):
    """Unlink the round-k labels at p that a new label (t, fm, price, co2) dominates.

    Earlier rounds' labels stay (they have boardings to spare); the list is newest round
    first, so the walk stops at the first older label. A thread of ``_scan_phase`` calls it on
    its own lists, which end at −1, so it never reaches the round's shared labels.
    """
    prev = -1
    y = head[p]
    while y >= 0 and lround[y] == k:
        nxt = lnext[y]
        if _dominates(p, t, fm, price, co2, lt[y], lfm[y], lprice[y], lco2[y], transfer):
            if prev < 0:
                head[p] = nxt
            else:
                lnext[prev] = nxt
        else:
            prev = y
        y = nxt


@njit(cache=True, nogil=True)
def _front_order(d_t, d_price, d_co2, nd):  # type: ignore[no-untyped-def]
    """The destination's labels by arrival, then price, then CO₂e (positions in its bag).

    The bag is kept sorted by arrival, so an insertion sort only reorders ties: linear here,
    where sorting in NumPy cost three fancy indexings and a lexsort per query.
    """
    order = np.arange(nd)
    for i in range(1, nd):
        x = order[i]
        j = i - 1
        key = (d_t[x], d_price[x], d_co2[x])
        while j >= 0 and (d_t[order[j]], d_price[order[j]], d_co2[order[j]]) > key:
            order[j + 1] = order[j]
            j -= 1
        order[j + 1] = x
    return order


@njit(cache=True, nogil=True)
def unwind(  # type: ignore[no-untyped-def]
    d_label, d_t, d_price, d_co2, nd, lparent, lkind, lref, lboard, lalight, lt, lprice, lco2,
    trip_route, stop_ptr, trip_start, off_dep, stop_place, leg_km, link_from, link_to, link_km,
    row_of,
):  # fmt: skip
    """The front's itineraries, sorted, as legs: one row per label on their paths, and picks.

    Returns ``ptr``, ``picks``, ``rows``, ``kms`` and ``totals``: itinerary i (by arrival,
    price, CO₂e) is made of the rows ``picks[ptr[i]:ptr[i+1]]``, first leg first, and costs
    ``totals[i]`` (cents, grams). The paths of one front share most of their labels, so each
    label gets one row (kind, ref, route, departure, arrival, from place, to place, cents,
    grams) and its kilometres; ref is the trip for a ride (route −1 for a link) and the link
    otherwise. A leg's cents and grams are what its label added to its parent's, so they are
    the search's own figures. Doing this walk here spares the router a Python loop over NumPy
    scalars for every leg, and building a leg twice. ``row_of`` (one entry per pool slot, all
    −1) maps a label to its row while this runs and is left all −1.
    """
    order = _front_order(d_t, d_price, d_co2, nd)
    found = np.empty(nd, np.int64)
    totals = np.empty((nd, 2), np.int64)
    ptr = np.zeros(nd + 1, np.int64)
    for i in range(nd):
        y = d_label[order[i]]
        found[i] = y
        totals[i, 0] = lprice[y]
        totals[i, 1] = lco2[y]
        c = 0
        while lkind[y] != KIND_ORIGIN:
            c += 1
            y = lparent[y]
        ptr[i + 1] = ptr[i] + c
    label_of = np.empty(ptr[nd], np.int64)
    picks = np.empty(ptr[nd], np.int64)
    n_rows = 0
    for i in range(nd):
        y = found[i]
        at = ptr[i + 1] - 1
        while lkind[y] != KIND_ORIGIN:
            if row_of[y] < 0:
                row_of[y] = n_rows
                label_of[n_rows] = y
                n_rows += 1
            picks[at] = row_of[y]
            at -= 1
            y = lparent[y]
    for w in range(n_rows):
        row_of[label_of[w]] = -1  # the workspace's map is all −1 again for the next query
    rows = np.empty((n_rows, 9), np.int64)
    kms = np.zeros(n_rows, np.float64)
    for w in range(n_rows):
        y = label_of[w]
        ref = lref[y]
        parent = lparent[y]
        rows[w, 0] = lkind[y]
        rows[w, 1] = ref
        rows[w, 4] = lt[y]
        rows[w, 7] = lprice[y] - lprice[parent]
        rows[w, 8] = lco2[y] - lco2[parent]
        if lkind[y] == KIND_LINK:
            rows[w, 2] = -1
            rows[w, 3] = lt[parent]
            rows[w, 5] = link_from[ref]
            rows[w, 6] = link_to[ref]
            kms[w] = link_km[ref]
        else:
            r = trip_route[ref]
            s0 = stop_ptr[r]
            board = lboard[y]
            alight = lalight[y]
            rows[w, 2] = r
            rows[w, 3] = trip_start[ref] + off_dep[s0 + board]
            rows[w, 5] = stop_place[s0 + board]
            rows[w, 6] = stop_place[s0 + alight]
            km = 0.0
            for s in range(s0 + board, s0 + alight):
                km += leg_km[s]
            kms[w] = km
    return ptr, picks, rows, kms, totals


@njit(cache=True, nogil=True)
def usable(mode, class_mask, allowed, class_bit, ok):  # type: ignore[no-untyped-def]
    """Per route (or link): whether a request's modes and cargo class let it be used."""
    for r in range(mode.shape[0]):
        cm = class_mask[r]
        ok[r] = allowed[mode[r]] and (class_bit == 0 or cm == 0 or (cm & class_bit) != 0)


@njit(cache=True, nogil=True)
def quote_cents(  # type: ignore[no-untyped-def]
    mode, ppk, minimum, rate, air_code, grams, air_grams, quote_rate, cents
):  # fmt: skip
    """Per route (or link) for one shipment: what boarding it costs, in quote-currency cents.

    The integer twin of ``tariff.leg_price`` (see ``tariff.integer_cents``); one pass instead
    of a dozen NumPy temporaries, which cost more than the search on small networks. It runs
    over every route of the network for each query, so it is written without branches, and
    both integer divisions (to cents, then into the quote currency) take the float quotient
    and correct it with exact integer tests: within the model's limits (units below 2**54,
    cents below 2**37) it is off by less than one. The quotient to cents is never one too
    low (a whole number of cents is exact as a double, and the double nearest 1e-5 is a
    little above it), so it needs only the correction down; the conversion's can be off
    either way. LLVM vectorises this form; with an unsigned division by a constant for the
    first step it did not, and the pass took 1.5× as long (0.110 against 0.074 ms for 25,137
    routes); with a branch and a division per route, about twice as long again.
    """
    unit = 100_000  # one cent in units of 10**-7
    per_unit = 1.0 / unit  # the double nearest 1e-5
    d = 2 * quote_rate
    inverse = 1.0 / d
    for r in range(mode.shape[0]):
        g = air_grams if mode[r] == air_code else grams
        units = max(ppk[r] * g, minimum[r]) + unit // 2  # units of 10**-7, plus half a cent
        c = np.int64(units * per_unit)  # never negative, so truncation is the floor
        c -= np.int64(c * unit > units)
        x = 2 * c * rate[r] + quote_rate  # the same rate: floor(x / d) == c
        q = np.int64(x * inverse)
        q -= np.int64(q * d > x)
        q += np.int64((q + 1) * d <= x)
        cents[r] = q
