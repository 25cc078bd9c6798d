"""The McRAPTOR search kernel over a compiled ``Timetable`` (Numba-compiled when available).

Round ``k`` extends the labels created in round ``k − 1`` by one boarding: a ride on a route
(boarded at a stop, alighted at any later stop) or one link. A label at a place is
(time, arrived-by mode, price cents, CO₂e grams, round). Because the transfer time depends on
the mode the shipment arrived by, a label dominates another at the same place only if it is
no later *and* ready no later for every boarding mode (``t + transfer[p, arrived, m]``), no
dearer and no dirtier. A label from an earlier round is never removed (it has boardings to
spare); labels at the destination are compared on (time, price, CO₂e) only and are never
extended (an extension can only arrive later). The kernel returns the label arrays; the
router turns the destination's labels back into legs.

Capacity: a trip can carry the shipment from stop i to stop j only if every leg between has
room. A route label keeps the earliest such trip; when the next leg is full it moves to the
earliest later trip with room on every leg since boarding. Route labels may only be pruned
by ones boarded at the same stop, unless the whole route has room for the shipment.
"""

from __future__ import annotations

import heapq

import numpy as np
from numba import njit

__all__ = ["N_MODES", "lower_bounds", "search"]

N_MODES = 4
KIND_ORIGIN = 0
KIND_TRIP = 1
KIND_LINK = 2


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
def _dest_dominated(t, price, co2, dest_head, lnext, lt, lprice, lco2, lalive):  # type: ignore[no-untyped-def]
    """Whether a destination label is no later, no dearer and no dirtier."""
    d = dest_head[0]
    while d >= 0:
        if lalive[d] and lt[d] <= t and lprice[d] <= price and lco2[d] <= co2:
            return True
        d = lnext[d]
    return False


INF = 1 << 60


@njit(cache=True, nogil=True)
def _backward(dest, redge_ptr, redge_from, redge_ref, weight, route_ok, link_ok, dist):  # type: ignore[no-untyped-def]
    """Dijkstra towards ``dest`` on the reverse ride graph: a lower bound per place."""
    dist[dest] = 0
    heap = [(np.int64(0), np.int64(dest))]
    while len(heap) > 0:
        d, q = heapq.heappop(heap)
        if d > dist[q]:
            continue
        for e in range(redge_ptr[q], redge_ptr[q + 1]):
            ref = redge_ref[e]
            if ref >= 0:
                if not route_ok[ref]:
                    continue
            elif not link_ok[-1 - ref]:
                continue
            p = redge_from[e]
            nd = d + weight[e]
            if nd < dist[p]:
                dist[p] = nd
                heapq.heappush(heap, (nd, np.int64(p)))


@njit(cache=True, nogil=True)
def lower_bounds(  # type: ignore[no-untyped-def]
    dest, n_places, redge_ptr, redge_from, redge_ref, redge_time, redge_gpt, redge_legs,
    route_ok, route_cents, link_ok, link_cents, tonnes,
):  # fmt: skip
    """Per place: least time, price, CO₂e and boardings still needed to reach ``dest``.

    Computed on the "ride graph" (an edge per stop pair of a route and per link, ignoring
    timetables and transfers), so each is a true lower bound: a label whose bounds are already
    dominated by a destination label, or that needs more boardings than it has left, is cut.
    """
    n_edges = redge_from.shape[0]
    weight = np.empty(n_edges, np.int64)
    out = np.full((4, n_places), INF, np.int64)
    for c in range(4):
        for e in range(n_edges):
            ref = redge_ref[e]
            if c == 0:
                weight[e] = redge_time[e]
            elif c == 1:
                weight[e] = route_cents[ref] if ref >= 0 else link_cents[-1 - ref]
            elif c == 2:
                weight[e] = max(
                    np.int64(0), np.int64(np.floor(redge_gpt[e] * tonnes)) - redge_legs[e]
                )
            else:
                weight[e] = 1
        _backward(dest, redge_ptr, redge_from, redge_ref, weight, route_ok, link_ok, out[c])
    return out


@njit(cache=True, nogil=True)
def _hopeless(p, t, price, co2, k, max_rounds, lb, dest_head, lnext, lt, lprice, lco2, lalive):  # type: ignore[no-untyped-def]
    """Whether a round-k label at p cannot lead to a new point of the front."""
    if lb[3, p] > max_rounds - k:
        return True
    return _dest_dominated(
        t + lb[0, p], price + lb[1, p], co2 + lb[2, p], dest_head, lnext, lt, lprice, lco2, lalive
    )


@njit(cache=True, nogil=True)
def search(  # type: ignore[no-untyped-def]
    # timetable
    route_mode,
    route_ok,
    route_cents,
    route_free,
    stop_ptr,
    stop_place,
    leg_gpt,
    trip_ptr,
    time_ptr,
    arr,
    dep,
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
    kg,
    m3,
    tonnes,
    max_rounds,
    capacity,
):
    """Run McRAPTOR; returns (n_labels, label arrays) or n_labels = -1 if ``capacity`` is short."""
    n_places = pr_ptr.shape[0] - 1
    n_routes = stop_ptr.shape[0] - 1
    lt = np.empty(capacity, np.int64)
    lfm = np.empty(capacity, np.int64)
    lprice = np.empty(capacity, np.int64)
    lco2 = np.empty(capacity, np.int64)
    lround = np.empty(capacity, np.int64)
    lplace = np.empty(capacity, np.int64)
    lparent = np.empty(capacity, np.int64)
    lkind = np.empty(capacity, np.int64)
    lref = np.empty(capacity, np.int64)
    lboard = np.empty(capacity, np.int64)
    lalight = np.empty(capacity, np.int64)
    lalive = np.zeros(capacity, np.bool_)
    lnext = np.empty(capacity, np.int64)
    head = np.full(n_places, -1, np.int64)
    dest_head = np.full(1, -1, np.int64)
    marked = np.zeros(n_places, np.bool_)
    next_marked = np.zeros(n_places, np.bool_)
    first_pos = np.full(n_routes, -1, np.int64)
    route_list = np.empty(n_routes, np.int64)
    # route bag
    rb_label = np.empty(capacity, np.int64)
    rb_trip = np.empty(capacity, np.int64)
    rb_board = np.empty(capacity, np.int64)
    rb_price = np.empty(capacity, np.int64)
    rb_co2 = np.empty(capacity, np.int64)

    lt[0] = ready
    lfm[0] = 0
    lprice[0] = 0
    lco2[0] = 0
    lround[0] = 0
    lplace[0] = origin
    lparent[0] = -1
    lkind[0] = KIND_ORIGIN
    lref[0] = -1
    lboard[0] = -1
    lalight[0] = -1
    lalive[0] = True
    lnext[0] = -1
    head[origin] = 0
    n = 1
    marked[origin] = True

    for k in range(1, max_rounds + 1):
        # ---- collect routes through marked places, from their earliest marked stop
        n_list = 0
        any_marked = False
        for p in range(n_places):
            if not marked[p]:
                continue
            any_marked = True
            for e in range(pr_ptr[p], pr_ptr[p + 1]):
                r = pr_route[e]
                if not route_ok[r]:
                    continue
                pos = pr_pos[e]
                if pos >= stop_ptr[r + 1] - stop_ptr[r] - 1:
                    continue  # the last stop: nothing to board
                if first_pos[r] < 0:
                    route_list[n_list] = r
                    n_list += 1
                    first_pos[r] = pos
                elif pos < first_pos[r]:
                    first_pos[r] = pos
        if not any_marked:
            break

        # ---- scan each route
        for li in range(n_list):
            r = route_list[li]
            i0 = first_pos[r]
            first_pos[r] = -1
            s0 = stop_ptr[r]
            n_stops = stop_ptr[r + 1] - s0
            legs = n_stops - 1
            t_lo = trip_ptr[r]
            n_trips = trip_ptr[r + 1] - t_lo
            tb = time_ptr[r]
            cb = cap_ptr[r]
            mode = route_mode[r] + 1  # as an "arrived-by" code
            bm = route_mode[r]
            free = route_free[r]
            nrb = 0
            for i in range(i0, n_stops):
                p = stop_place[s0 + i]
                # 1. alight the route bag here
                if nrb > 0:
                    for b in range(nrb):
                        t = arr[tb + rb_trip[b] * n_stops + i]
                        price = rb_price[b]
                        co2 = rb_co2[b]
                        if t > latest:
                            continue
                        if _hopeless(
                            p,
                            t,
                            price,
                            co2,
                            k,
                            max_rounds,
                            lb,
                            dest_head,
                            lnext,
                            lt,
                            lprice,
                            lco2,
                            lalive,
                        ):
                            continue
                        if p == dest:
                            ok = True
                        else:
                            ok = True
                            y = head[p]
                            while y >= 0:
                                if lalive[y] and _dominates(
                                    p,
                                    lt[y],
                                    lfm[y],
                                    lprice[y],
                                    lco2[y],
                                    t,
                                    mode,
                                    price,
                                    co2,
                                    transfer,
                                ):
                                    ok = False
                                    break
                                y = lnext[y]
                        if not ok:
                            continue
                        if n >= capacity:
                            return (
                                -1,
                                lt,
                                lfm,
                                lprice,
                                lco2,
                                lround,
                                lplace,
                                lparent,
                                lkind,
                                lref,
                                lboard,
                                lalight,
                                lalive,
                            )
                        if p == dest:
                            y = dest_head[0]
                            while y >= 0:
                                if (
                                    lalive[y]
                                    and t <= lt[y]
                                    and price <= lprice[y]
                                    and co2 <= lco2[y]
                                ):
                                    lalive[y] = False
                                y = lnext[y]
                        else:
                            y = head[p]
                            while y >= 0:
                                if (
                                    lalive[y]
                                    and lround[y] == k
                                    and _dominates(
                                        p,
                                        t,
                                        mode,
                                        price,
                                        co2,
                                        lt[y],
                                        lfm[y],
                                        lprice[y],
                                        lco2[y],
                                        transfer,
                                    )
                                ):
                                    lalive[y] = False
                                y = lnext[y]
                        lt[n] = t
                        lfm[n] = mode
                        lprice[n] = price
                        lco2[n] = co2
                        lround[n] = k
                        lplace[n] = p
                        lparent[n] = rb_label[b]
                        lkind[n] = KIND_TRIP
                        lref[n] = t_lo + rb_trip[b]
                        lboard[n] = rb_board[b]
                        lalight[n] = i
                        lalive[n] = True
                        if p == dest:
                            lnext[n] = dest_head[0]
                            dest_head[0] = n
                        else:
                            lnext[n] = head[p]
                            head[p] = n
                            next_marked[p] = True
                        n += 1
                if i == legs:
                    break
                # 2. board: labels of the previous round at this place join the route bag
                if marked[p] and p != dest:
                    x = head[p]
                    while x >= 0:
                        if lalive[x] and lround[x] == k - 1:
                            ready_t = lt[x] + transfer[p, lfm[x], bm]
                            lo = 0
                            hi = n_trips
                            while lo < hi:
                                mid = (lo + hi) // 2
                                if dep[tb + mid * n_stops + i] < ready_t:
                                    lo = mid + 1
                                else:
                                    hi = mid
                            j = lo
                            if not free:
                                while j < n_trips and not (
                                    cap_kg[cb + j * legs + i] >= kg
                                    and cap_m3[cb + j * legs + i] >= m3
                                ):
                                    j += 1
                            price = lprice[x] + route_cents[r]
                            co2 = lco2[x]
                            if j < n_trips and not _dest_dominated(
                                dep[tb + j * n_stops + i],
                                price,
                                co2,
                                dest_head,
                                lnext,
                                lt,
                                lprice,
                                lco2,
                                lalive,
                            ):
                                keep = True
                                for b in range(nrb):
                                    if (
                                        rb_trip[b] <= j
                                        and rb_price[b] <= price
                                        and rb_co2[b] <= co2
                                        and (free or rb_board[b] == i)
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
                            if j >= n_trips:
                                continue
                        t_next = arr[tb + j * n_stops + i + 1]
                        co2 = rb_co2[b] + grams
                        if t_next > latest:
                            continue
                        if _dest_dominated(
                            t_next, rb_price[b], co2, dest_head, lnext, lt, lprice, lco2, lalive
                        ):
                            continue
                        rb_label[w] = rb_label[b]
                        rb_trip[w] = j
                        rb_board[w] = rb_board[b]
                        rb_price[w] = rb_price[b]
                        rb_co2[w] = co2
                        w += 1
                    nrb = w

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
                while x >= 0:
                    if lalive[x] and lround[x] == k - 1:
                        t = lt[x] + link_dur[e]
                        price = lprice[x] + link_cents[e]
                        co2 = lco2[x] + np.int64(np.floor(link_gpt[e] * tonnes + 0.5))
                        ok = t <= latest and not _hopeless(
                            q,
                            t,
                            price,
                            co2,
                            k,
                            max_rounds,
                            lb,
                            dest_head,
                            lnext,
                            lt,
                            lprice,
                            lco2,
                            lalive,
                        )
                        if ok and q != dest:
                            y = head[q]
                            while y >= 0:
                                if lalive[y] and _dominates(
                                    q,
                                    lt[y],
                                    lfm[y],
                                    lprice[y],
                                    lco2[y],
                                    t,
                                    fm,
                                    price,
                                    co2,
                                    transfer,
                                ):
                                    ok = False
                                    break
                                y = lnext[y]
                        if ok:
                            if n >= capacity:
                                return (
                                    -1,
                                    lt,
                                    lfm,
                                    lprice,
                                    lco2,
                                    lround,
                                    lplace,
                                    lparent,
                                    lkind,
                                    lref,
                                    lboard,
                                    lalight,
                                    lalive,
                                )
                            if q == dest:
                                y = dest_head[0]
                                while y >= 0:
                                    if (
                                        lalive[y]
                                        and t <= lt[y]
                                        and price <= lprice[y]
                                        and co2 <= lco2[y]
                                    ):
                                        lalive[y] = False
                                    y = lnext[y]
                            else:
                                y = head[q]
                                while y >= 0:
                                    if (
                                        lalive[y]
                                        and lround[y] == k
                                        and _dominates(
                                            q,
                                            t,
                                            fm,
                                            price,
                                            co2,
                                            lt[y],
                                            lfm[y],
                                            lprice[y],
                                            lco2[y],
                                            transfer,
                                        )
                                    ):
                                        lalive[y] = False
                                    y = lnext[y]
                            lt[n] = t
                            lfm[n] = fm
                            lprice[n] = price
                            lco2[n] = co2
                            lround[n] = k
                            lplace[n] = q
                            lparent[n] = x
                            lkind[n] = KIND_LINK
                            lref[n] = e
                            lboard[n] = -1
                            lalight[n] = -1
                            lalive[n] = True
                            if q == dest:
                                lnext[n] = dest_head[0]
                                dest_head[0] = n
                            else:
                                lnext[n] = head[q]
                                head[q] = n
                                next_marked[q] = True
                            n += 1
                    x = lnext[x]

        for p in range(n_places):
            marked[p] = next_marked[p]
            next_marked[p] = False

    # the destination's labels are the answer: mark them by place
    return n, lt, lfm, lprice, lco2, lround, lplace, lparent, lkind, lref, lboard, lalight, lalive
