"""The compiled router behind ``POST /v1/quotes``, cached per process and kept current.

Compiling the timetable takes a fraction of a second, a query about a millisecond, so the
router is built once and reused. It is keyed by the store's ``(network id, capacity
version)``: a re-import gives a new id and every capacity change bumps the version, so one
cheap read per request tells whether the cached router still sees the store's capacity. The
key is read *before* the departures, so a router is never older than its key.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from silkhub.model import Network
from silkhub.routing import QuoteRequest, Router, WindowCover, window_cover
from silkhub.store import DepartureRepository, NetworkRepository, NetworkRow, Store

__all__ = ["CompiledNetwork", "QuoteEngine"]

log = logging.getLogger("silkhub.api")


@dataclass(frozen=True, slots=True)
class CompiledNetwork:
    """A network with the router compiled over its stored departures."""

    network_id: int
    capacity_version: int
    network: Network
    router: Router
    #: which quotes the stored departure window answers in full (worked out once per import)
    cover: WindowCover


class QuoteEngine:
    """Hands out the router for the store's current network and capacity (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._compiled: CompiledNetwork | None = None

    @property
    def compiled(self) -> CompiledNetwork | None:
        """The router compiled last (``None`` before the first quote or warm-up)."""
        return self._compiled

    def warm_up(self, store: Store) -> float | None:
        """Compile the current network's router and answer one quote; the seconds it took.

        The first quote of a process would otherwise pay for compiling the timetable and for
        Numba loading the search kernels from its cache: about a second, against ten
        milliseconds for the next. ``None`` if the store has no network yet.
        """
        started = time.perf_counter()
        with store.session() as session:
            compiled = self.current(session)
        if compiled is None:
            return None
        places = sorted(compiled.network.places)
        if len(places) >= 2:
            compiled.router.query(QuoteRequest(places[0], places[1], datetime.now(UTC), 1.0))
        return time.perf_counter() - started

    def current(self, session: Session) -> CompiledNetwork | None:
        """The compiled current network, rebuilt if the store moved on; ``None`` if empty."""
        key = NetworkRepository(session).version()
        if key is None:
            return None
        with self._lock:
            compiled = self._compiled
            if compiled is not None and (compiled.network_id, compiled.capacity_version) == key:
                return compiled
            started = time.perf_counter()
            network_id, version = key
            if compiled is not None and compiled.network_id == network_id:
                network, cover = compiled.network, compiled.cover
            else:
                network = NetworkRepository(session).load_network(network_id)
                row = session.get(NetworkRow, network_id)
                assert row is not None  # version() just read it
                cover = window_cover(network, row.window_start, row.window_end)
            departures = DepartureRepository(session, network_id).all()
            compiled = CompiledNetwork(
                network_id, version, network, Router(network, departures), cover
            )
            self._compiled = compiled
            log.info(
                "router compiled over %d departures in %.2f s (network %d, capacity v%d)",
                len(departures),
                time.perf_counter() - started,
                network_id,
                version,
            )
            return compiled
