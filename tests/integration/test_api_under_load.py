"""Many requests at once, on SQLite and on a real PostgreSQL: none waits on a jammed pool.

Endpoints run on AnyIO's worker threads and a request keeps its connection between steps.
About 65 requests at once had left every worker waiting for a connection held by requests
waiting for a worker: the whole API stood still for the pool's 30 s, then answered 500 (and
the unauthenticated readiness probe could do the same to everyone).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import partial

from apihub import Hub
from silkhub.store import Role

AT_ONCE = 120


def _all_at_once(calls: list[partial[object]]) -> list[object]:
    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(lambda call: call(), calls))


def test_many_listings_at_once_are_all_answered(hub: Hub) -> None:
    """120 place listings of one key at once: every one answers 200."""
    answers = _all_at_once([partial(hub.get, "/v1/places?limit=1", role=Role.SHIPPER)] * AT_ONCE)
    statuses = [a.status_code for a in answers]  # type: ignore[attr-defined]
    assert statuses == [200] * AT_ONCE, sorted(set(statuses))


def test_a_flood_of_readiness_probes_is_answered(hub: Hub) -> None:
    """120 unauthenticated readiness probes at once: every one answers 200, none 503."""
    answers = _all_at_once([partial(hub.client.get, "/v1/ready")] * AT_ONCE)
    statuses = [a.status_code for a in answers]  # type: ignore[attr-defined]
    assert statuses == [200] * AT_ONCE, sorted(set(statuses))
