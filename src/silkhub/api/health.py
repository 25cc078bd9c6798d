"""``/v1/health`` (the process answers) and ``/v1/ready`` (it can serve: database and network).

Both are open without a key: load balancers and orchestrators probe them, and they reveal
nothing but liveness, the version and the departure window.
"""

from __future__ import annotations

import logging
from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from silkhub import __version__
from silkhub.api.deps import DbSession
from silkhub.api.problems import ProblemError, problem_responses
from silkhub.store import NetworkRepository

__all__ = ["router"]

log = logging.getLogger("silkhub.api")

router = APIRouter(prefix="/v1", tags=["health"])


class HealthOut(BaseModel):
    """The process is up."""

    status: str
    version: str


class ReadyOut(BaseModel):
    """The service can answer: its database responds and a network is loaded."""

    status: str
    database: str
    network: str
    departures_from: date
    departures_to: date


@router.get("/health", response_model=HealthOut, summary="Liveness (no key needed)")
def health() -> HealthOut:
    """Always 200 while the process runs."""
    return HealthOut(status="ok", version=__version__)


@router.get(
    "/ready",
    response_model=ReadyOut,
    responses=problem_responses(503),
    summary="Readiness: database reachable and a network imported (no key needed)",
)
def ready(session: DbSession) -> ReadyOut:
    """200 when the database answers and holds a network, else 503 problem+json."""
    try:
        session.execute(text("SELECT 1"))
        network = NetworkRepository(session).current()
    except SQLAlchemyError as exc:
        log.warning("readiness check failed: %s", exc)
        raise ProblemError(503, "the database does not answer") from exc
    if network is None:
        raise ProblemError(503, "no network has been imported yet")
    return ReadyOut(
        status="ready",
        database=session.get_bind().dialect.name,
        network=network.name,
        departures_from=network.window_start,
        departures_to=network.window_end,
    )
