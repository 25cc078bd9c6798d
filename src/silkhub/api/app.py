"""The FastAPI application factory: one app per store, nothing global.

``create_app(settings)`` opens (and migrates) the store named by the settings, imports the
embedded network on first start, and wires the routers, the problem+json handlers, the body
size limit and the offline docs. Two apps on two databases can live in one process (tests do
exactly that). ``create_app_from_env`` is the factory for ``uvicorn --factory``.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from silkhub import __version__
from silkhub.api import admin, customs, health, network, quotes, terminal
from silkhub.api.concurrency import ConcurrencyLimitMiddleware, request_limit
from silkhub.api.docs import install_docs
from silkhub.api.limits import BodySizeLimitMiddleware
from silkhub.api.problems import CatchAllMiddleware, install_problem_handlers
from silkhub.api.quoting import QuoteEngine
from silkhub.settings import Settings
from silkhub.store import Store, open_store

__all__ = ["create_app", "create_app_from_env"]

log = logging.getLogger("silkhub.api")
#: How long shutdown waits for a warm-up still running before it closes the store.
_WARM_UP_JOIN_S = 30.0

DESCRIPTION = """\
The silkhub hub API: the network (places, services, dated departures with the capacity left
per leg) and quotes (Pareto-optimal itineraries over arrival, price and CO₂e).

Every endpoint but `/v1/health` and `/v1/ready` needs an API key, sent as `X-API-Key: shk_…`
or `Authorization: Bearer shk_…`. Errors are RFC 9457 `application/problem+json`. See
docs/api.md in the repository for the full contract.
"""


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    """The API over ``store`` (or the store of ``settings``, opened and migrated here).

    The app owns the store from then on: it closes it when it shuts down.
    """
    settings = settings or Settings()
    if store is None:
        store = open_store(settings)
    owned = store

    engine = QuoteEngine()

    @asynccontextmanager
    async def lifespan(served: FastAPI) -> AsyncIterator[None]:
        # Warm the quote engine in the background: the server answers at once, and the
        # first quote no longer waits about a second for the router and its kernels.
        warming = threading.Thread(
            target=_warm_up, args=(engine, owned), name="silkhub-warm-up", daemon=True
        )
        served.state.warm_up = warming
        warming.start()
        yield
        # Before the store it reads is closed; joined on a worker thread, so that the event
        # loop is not blocked meanwhile.
        await asyncio.to_thread(warming.join, _WARM_UP_JOIN_S)
        if warming.is_alive():
            log.warning(
                "the quote engine's warm-up still runs after %.0f s; closing the store anyway",
                _WARM_UP_JOIN_S,
            )
        owned.close()

    app = FastAPI(
        title="silkhub",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.settings = settings
    app.state.quote_engine = engine
    install_problem_handlers(app)
    for module in (health, network, quotes, admin, customs, terminal):
        app.include_router(module.router)
    install_docs(app)
    # Added last = outermost: the size limit runs before anything reads the body, and the
    # catch-all turns any escaping exception into a problem+json 500. The cap on requests
    # using the database sits inside the size limit, so a slow upload holds no slot.
    app.add_middleware(ConcurrencyLimitMiddleware, limit=request_limit(store.engine))
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(CatchAllMiddleware)
    return app


def _warm_up(engine: QuoteEngine, store: Store) -> None:
    """``engine.warm_up(store)``, logged; a failure is only logged (the next quote retries)."""
    try:
        took = engine.warm_up(store)
    except Exception:  # a background nicety must never take the server down
        log.warning("could not warm up the quote engine", exc_info=True)
        return
    if took is not None:
        log.info("quote engine warmed up in %.2f s", took)


def create_app_from_env() -> FastAPI:
    """``create_app(Settings())``: configuration from ``SILKHUB_*`` variables."""
    return create_app(Settings())
