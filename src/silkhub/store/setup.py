"""Opening the store: migrate, import the embedded network on first start, the demo tenant.

These are the steps ``silkhub serve`` and ``silkhub admin`` share, so a database is always
brought to the newest schema before anyone reads it, whichever command touches it first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from silkhub.model import Network
from silkhub.network import default_network
from silkhub.settings import Settings
from silkhub.store.engine import BEGIN_OPTION, make_engine, make_sessionmaker
from silkhub.store.migrate import upgrade
from silkhub.store.networks import NetworkRepository
from silkhub.store.tables import NetworkRow, OrganisationRow
from silkhub.store.tenants import ApiKeyRepository, NewKey, OrganisationRepository, Role
from silkhub.store.window import departure_window

__all__ = ["DEMO_ORG", "Store", "create_demo_org", "import_network", "open_store"]

log = logging.getLogger("silkhub.store")

#: The organisation created on first start, so a new user has a key to try the API with.
DEMO_ORG = "demo"


def utcnow() -> datetime:
    """Now, aware, in UTC."""
    return datetime.now(UTC)


class Store:
    """An engine and its session factories: what the API and the commands hold on to.

    ``session()`` is for reading; ``write()`` for any transaction that writes. The split
    matters on SQLite: a write transaction takes the database's write lock before its first
    read (``BEGIN IMMEDIATE``), so concurrent writers queue up instead of failing.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = make_sessionmaker(engine)
        self._writers = make_sessionmaker(engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"}))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A read transaction: committed if the block succeeds, else rolled back."""
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed if the block succeeds, else rolled back."""
        with self._writers.begin() as session:
            yield session

    def new_session(self) -> Session:
        """A plain session (the caller commits and closes it)."""
        return self._sessions()

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()


def import_network(
    store: Store, network: Network, settings: Settings, today: date | None = None
) -> NetworkRow:
    """Import ``network`` with the departure window of ``settings`` (see ``departure_window``)."""
    window = _window(network, settings, today)
    with store.write() as session:
        return NetworkRepository(session).import_network(network, window, utcnow())


def _window(network: Network, settings: Settings, today: date | None) -> tuple[date, date]:
    """The departure window ``settings`` give ``network`` on ``today`` (default: today)."""
    return departure_window(
        network,
        today or date.today(),
        settings.window_past_days,
        settings.window_future_days,
        settings.window_start,
        settings.window_end,
    )


def open_store(
    settings: Settings,
    *,
    today: date | None = None,
    network: Callable[[], Network] = default_network,
) -> Store:
    """The store of ``settings``, migrated; holding a network if ``import_default_network``."""
    engine = make_engine(settings.url)
    upgrade(engine)
    store = Store(engine)
    if settings.import_default_network:
        with store.session() as session:
            empty = NetworkRepository(session).version() is None
        if empty:
            _import_unless_another_did(store, network(), settings, today)
    return store


def _import_unless_another_did(
    store: Store, network: Network, settings: Settings, today: date | None
) -> None:
    """Import ``network`` into a store found empty, unless another process got there first.

    The workers of a multi-worker server start together on a new store and all find it
    empty; each looks again once it holds the import lock, so only the first imports (the
    others would each have replaced its network with an identical one, on PostgreSQL even
    kept several).
    """
    window = _window(network, settings, today)
    with store.write() as session:
        repository = NetworkRepository(session)
        repository.lock_imports()
        if repository.version() is not None:
            log.info("first start: another process has imported the network")
            return
        log.info("first start: importing the embedded network")
        repository.import_network(network, window, utcnow())


def create_demo_org(store: Store) -> NewKey | None:
    """On a store without organisations, create ``demo`` and an admin key; else ``None``."""
    with store.write() as session:
        if session.scalar(select(OrganisationRow.id).limit(1)) is not None:
            return None
        now = utcnow()
        org = OrganisationRepository(session).create(DEMO_ORG, now)
        return ApiKeyRepository(session).create(org, Role.ADMIN, now, name="demo admin")
