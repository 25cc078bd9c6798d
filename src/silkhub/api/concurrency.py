"""A cap on the requests using the database at once, so the connection pool can never jam.

Endpoints are synchronous: each step of a request (a dependency, the handler, serialising
the answer) runs on one of AnyIO's worker threads, and a request keeps its database
connection from one step to the next. With more requests than connections and workers, every
worker could end up waiting for a connection held by requests that are themselves waiting
for a worker: nothing moves until the pool's 30 s timeout, then 500s for everyone (about 65
concurrent requests did that on the SQLite defaults of 15 connections and 40 workers).

This middleware lets at most ``limit`` requests past it at once; the others wait here, on the
event loop, holding neither a worker nor a connection. A request holds at most two
connections (its read session and a write transaction), so half the pool's capacity is
always enough for every request let in. One that waits longer than ``wait_seconds`` gets a
503 with ``Retry-After``. Paths that never touch the database (the liveness probe, the docs)
are not counted, so they keep answering under any load.
"""

from __future__ import annotations

import anyio
from sqlalchemy import Engine
from sqlalchemy.pool import QueuePool
from starlette.types import ASGIApp, Receive, Scope, Send

from silkhub.api.problems import problem_response

__all__ = ["CONNECTIONS_PER_REQUEST", "ConcurrencyLimitMiddleware", "request_limit"]

#: The most connections one request holds at once: its session and a write transaction.
CONNECTIONS_PER_REQUEST = 2
#: When the pool does not say how many connections it has (an in-memory SQLite, tests).
_UNSIZED_POOL_LIMIT = 8
#: Paths that answer without the database (and ``/docs/...``, the offline docs' assets).
_FREE_PATHS = frozenset({"/v1/health", "/docs", "/openapi.json"})


def _needs_no_database(path: str) -> bool:
    return path in _FREE_PATHS or path.startswith("/docs/")


def request_limit(engine: Engine) -> int:
    """How many requests may use ``engine`` at once without waiting for a connection."""
    pool = engine.pool
    if isinstance(pool, QueuePool):
        # QueuePool has no public accessor for its overflow limit
        capacity = pool.size() + max(pool._max_overflow, 0)
        return max(1, capacity // CONNECTIONS_PER_REQUEST)
    return _UNSIZED_POOL_LIMIT


class ConcurrencyLimitMiddleware:
    """Let ``limit`` requests run at once; queue the rest, 503 after ``wait_seconds``."""

    def __init__(self, app: ASGIApp, limit: int, wait_seconds: float = 30.0) -> None:
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit}")
        self.app = app
        self.wait_seconds = wait_seconds
        self._slots = anyio.Semaphore(limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request once a slot is free (at once for the paths without database)."""
        path = scope.get("path", "")
        if scope["type"] != "http" or _needs_no_database(path):
            await self.app(scope, receive, send)
            return
        try:
            with anyio.fail_after(self.wait_seconds):
                await self._slots.acquire()
        except TimeoutError:
            detail = "the hub is answering as many requests as it can; try again shortly"
            await problem_response(503, detail, path, headers={"Retry-After": "1"})(
                scope, receive, send
            )
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._slots.release()
