"""``reserve_capacity`` under concurrency: many clients at once never oversell a leg."""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor

from apihub import hub_settings
from silkhub.store import (
    DepartureRepository,
    NetworkRepository,
    Store,
    open_store,
    reserve_capacity,
)

CAPACITY_KG = 60_000.0  # JD451, both legs
CLIENTS = 8
ATTEMPTS = 12


def _open(database_url: str) -> tuple[Store, int, int]:
    store = open_store(hub_settings(database_url))
    with store.session() as session:
        version = NetworkRepository(session).version()
        assert version is not None
        pk = DepartureRepository(session, version[0]).pk("JD451@2025-03-04")
    assert pk is not None
    return store, version[0], pk


def test_concurrent_reservations_never_oversell(database_url: str) -> None:
    """Eight clients racing for 7 t each on one departure sell exactly what fits, no more."""
    store, network_id, pk = _open(database_url)
    barrier = threading.Barrier(CLIENTS)
    rng = random.Random(7)
    plans = [
        [rng.choice([(0, 1), (1, 2), (0, 2)]) for _ in range(ATTEMPTS)] for _ in range(CLIENTS)
    ]

    def client(plan: list[tuple[int, int]]) -> list[tuple[int, int]]:
        won = []
        barrier.wait()
        for board, alight in plan:
            with store.write() as session:
                if reserve_capacity(session, pk, board, alight, 7_000.0, 1.0):
                    won.append((board, alight))
        return won

    try:
        with ThreadPoolExecutor(CLIENTS) as pool:
            results = [r for won in pool.map(client, plans) for r in won]
        with store.session() as session:
            record = DepartureRepository(session, network_id).get("JD451@2025-03-04")
            version = NetworkRepository(session).version()
    finally:
        store.close()
    assert record is not None
    for leg in (0, 1):
        sold = sum(7_000.0 for board, alight in results if board <= leg < alight)
        assert sold <= CAPACITY_KG
        assert record.departure.remaining_kg[leg] == CAPACITY_KG - sold
        assert record.departure.remaining_kg[leg] < 7_000.0  # the leg really was contended full
    assert version == (network_id, len(results))
