"""The search's lower bounds never promise less than an itinerary still needs.

``Router._bounds`` (``_kernel.hop_bounds``) gives, per boardings left and place, the least
time, price and CO₂e still needed to reach the destination; the search drops every label
whose value plus its bound is matched at the destination. A bound that overstates by a little
loses points of the front only now and then, where the front happens to be tight, so the
Pareto tests can miss it for hundreds of cases. Here every itinerary the brute force finds is
checked at each place it passes: what it still spends from there must be at least the bound.
"""

from __future__ import annotations

import numpy as np
from bruteforce import all_itineraries
from hypothesis import HealthCheck, given, settings
from netgen import Case, cases

from silkhub.routing import Router


def _bounds(case: Case) -> tuple[Router, np.ndarray]:
    """The bounds the router computes for ``case.request`` (a copy)."""
    router = Router(case.network, case.departures)
    request = case.request
    ws = router._workspace(request.max_boardings)
    router._prices(request, ws)
    route_ok, link_ok = router._filters(request)
    router._bounds(request, ws, route_ok, link_ok)
    return router, ws.lb[: request.max_boardings].copy()


def _check_every_itinerary(case: Case) -> int:
    """Assert the bounds hold at every place of every itinerary; the number of checks made."""
    router, lb = _bounds(case)
    index = router.timetable.place_index
    request = case.request
    checks = 0
    for path in all_itineraries(case.network, case.departures, request):
        end = path[-1]
        for state in path[1:-1]:  # after a boarding, before the destination
            left = request.max_boardings - state.boardings
            still = (
                (end.t - state.t).total_seconds(),
                end.price - state.price,
                end.co2 - state.co2,
            )
            bound = lb[left, index[state.place]].tolist()
            assert all(b <= s for b, s in zip(bound, still, strict=True)), (
                f"at {state.place} with {left} boardings left the bound {bound} exceeds what "
                f"the itinerary still needs {still}: {path}"
            )
            checks += 1
    return checks


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_bounds_hold_on_every_itinerary(case: Case) -> None:
    """Random small networks: links, multi-stop services, transfers, filters, capacity."""
    _check_every_itinerary(case)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases(rich=True))
def test_bounds_hold_on_busier_networks(case: Case) -> None:
    """More services, links and boardings: itineraries of three and four boardings."""
    _check_every_itinerary(case)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases(tight=True))
def test_bounds_hold_where_pruning_is_delicate(case: Case) -> None:
    """Daily trips, full legs, links into routes at several stops, long transfers."""
    _check_every_itinerary(case)


def test_the_checks_are_not_vacuous() -> None:
    """The random cases above do reach places with boardings left (else nothing is checked)."""
    seen = []

    @settings(max_examples=60, deadline=None, database=None)
    @given(case=cases(rich=True))
    def count(case: Case) -> None:
        seen.append(_check_every_itinerary(case))

    count()
    assert sum(seen) >= 100
    assert sum(1 for n in seen if n) >= 10
