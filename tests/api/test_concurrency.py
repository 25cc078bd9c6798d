"""The cap on requests using the database at once: queue, then 503; free paths never wait."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from sqlalchemy import create_engine
from sqlalchemy.pool import QueuePool, StaticPool

from silkhub.api.concurrency import ConcurrencyLimitMiddleware, request_limit


def _scope(path: str) -> dict[str, Any]:
    return {"type": "http", "path": path, "method": "GET", "headers": []}


async def _receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


def test_a_request_waiting_too_long_gets_503_with_retry_after() -> None:
    """One slot, held: the next request waits its time, then is told to come back."""
    sent: list[dict[str, Any]] = []

    async def send(message: Any) -> None:
        sent.append(message)

    async def main() -> None:
        release = anyio.Event()

        async def slow_app(scope: Any, receive: Any, send: Any) -> None:
            if scope["path"] != "/v1/health":
                await release.wait()

        limited = ConcurrencyLimitMiddleware(slow_app, limit=1, wait_seconds=0.05)
        with anyio.fail_after(5):
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(limited, _scope("/v1/places"), _receive, send)
                await anyio.sleep(0.01)
                await limited(_scope("/v1/places"), _receive, send)  # waits, then 503
                assert sent[0]["status"] == 503
                assert (b"retry-after", b"1") in sent[0]["headers"]
                await limited(_scope("/v1/health"), _receive, send)  # not counted: at once
                release.set()

    anyio.run(main)


def test_the_limit_leaves_two_connections_per_request() -> None:
    """SQLAlchemy's default pool (5 + 10 overflow) lets 7 requests in; others get a default."""
    engine = create_engine("sqlite:///:memory:", poolclass=QueuePool)
    assert request_limit(engine) == 7
    assert request_limit(create_engine("sqlite://", poolclass=StaticPool)) == 8
    with pytest.raises(ValueError, match="at least 1"):
        ConcurrencyLimitMiddleware(lambda *a: None, limit=0)  # type: ignore[arg-type]
