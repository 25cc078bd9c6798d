"""Request-scoped dependencies: a database session and the network being served."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from silkhub.api.problems import ProblemError
from silkhub.store import NetworkRepository, NetworkRow, Store

__all__ = ["CurrentNetwork", "DbSession", "current_network", "get_session", "get_store"]


def get_store(request: Request) -> Store:
    """The store the app was created with."""
    store: Store = request.app.state.store
    return store


def get_session(request: Request) -> Iterator[Session]:
    """A session for one request; endpoints that write commit it themselves."""
    session = get_store(request).new_session()
    try:
        yield session
    finally:
        session.close()


DbSession = Annotated[Session, Depends(get_session)]


def current_network(session: DbSession) -> NetworkRow:
    """The network being served, or 503 while none has been imported."""
    row = NetworkRepository(session).current()
    if row is None:
        raise ProblemError(503, "no network has been imported yet (silkhub network import DIR)")
    return row


CurrentNetwork = Annotated[NetworkRow, Depends(current_network)]
