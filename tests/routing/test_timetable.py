"""The compiled timetable's numbering: routes through the busiest places come first."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

from silkhub.network import default_network, expand_departures
from silkhub.routing import Router


def test_routes_are_numbered_by_their_busiest_stops() -> None:
    net = default_network()
    departures = expand_departures(net, date(2025, 9, 1), date(2025, 9, 14))
    tt = Router(net, departures).timetable
    stops = [
        [tt.place_ids[p] for p in tt.stop_place[tt.stop_ptr[r] : tt.stop_ptr[r + 1]]]
        for r in range(tt.n_routes)
    ]
    calls = Counter(place for route in stops for place in set(route))  # routes per place
    rank = {p: i for i, p in enumerate(sorted(calls, key=lambda p: (-calls[p], p)))}
    keys = [sorted(rank[p] for p in route) for route in stops]
    assert keys == sorted(keys)
    busiest = max(calls.values())
    assert any(calls[p] == busiest for p in stops[0])

    shuffled = list(departures)
    random.Random(3).shuffle(shuffled)
    again = Router(net, shuffled).timetable
    assert again.route_service == tt.route_service
    assert (again.trip_start == tt.trip_start).all()
