"""Engines for SQLite (the embedded default) and PostgreSQL, configured the same way everywhere.

SQLite needs three things the driver does not give by default: WAL (readers never block the
writer, so the API keeps answering while capacity is reserved), enforced foreign keys, and a
busy timeout (a second writer waits instead of failing at once). Python's ``sqlite3`` also
opens transactions lazily and mishandles SAVEPOINT, so, as SQLAlchemy's documentation
recommends, the driver's own transaction handling is switched off and ``BEGIN`` is emitted
by SQLAlchemy itself.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

__all__ = [
    "SQLITE_BUSY_TIMEOUT_MS",
    "is_sqlite",
    "lock_on_postgresql",
    "make_engine",
    "make_sessionmaker",
    "normalize_url",
]

#: How long a SQLite writer waits for another writer before giving up.
SQLITE_BUSY_TIMEOUT_MS = 30_000


def normalize_url(url: str | URL) -> URL:
    """``url`` with the driver silkhub uses: ``postgresql://`` means psycopg 3."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def is_sqlite(engine: Engine) -> bool:
    """Whether ``engine`` talks to SQLite."""
    return engine.dialect.name == "sqlite"


def lock_on_postgresql(executor: Session | Connection, space: int, key: int = 0) -> None:
    """On PostgreSQL, hold the advisory lock (``space``, ``key``) until the transaction ends.

    SQLite needs none: a writing transaction there begins IMMEDIATE and so runs alone.
    PostgreSQL's READ COMMITTED lets two transactions read, then write, at once; those that
    must not (migrations, network imports, one organisation's customs writes) take a lock in
    their own ``space`` first. Taking it again in the same transaction is a no-op.
    """
    bind = executor.get_bind() if isinstance(executor, Session) else executor
    if bind.dialect.name == "postgresql":
        executor.execute(
            text("SELECT pg_advisory_xact_lock(CAST(:space AS integer), CAST(:key AS integer))"),
            {"space": space, "key": key},
        )


#: Pause between two tries at switching a new SQLite file to WAL.
_WAL_RETRY_PAUSE_S = 0.01


def _switch_to_wal(cursor: Any) -> None:
    """Put the file in WAL mode, waiting as long as the busy timeout for other processes.

    WAL mode is stored in the file, so only the first connections to a new file switch it.
    The switch needs an exclusive lock, and SQLite does not call the busy handler when the
    connection asking already holds the shared lock it read the header with (waiting could
    deadlock): while another process holds a write lock on the file, the pragma fails at once
    with "database is locked" whatever the busy timeout. The processes of a multi-worker server
    start together on a new data directory, so the switch is retried here until the busy
    timeout has passed.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                raise
            time.sleep(_WAL_RETRY_PAUSE_S)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (see below)
    cursor = dbapi_connection.cursor()
    # the busy timeout first: the WAL switch of a new file and every later write wait on it
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    _switch_to_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL: a crash loses no committed txn
    cursor.close()


#: Execution option naming how a SQLite transaction begins: "" (deferred) or "IMMEDIATE".
BEGIN_OPTION = "silkhub_sqlite_begin"


def _sqlite_begin(connection: Any) -> None:
    # A deferred transaction that read first and writes later fails at once with "database
    # is locked" when another writer committed in between (WAL snapshots cannot be upgraded);
    # write transactions therefore begin IMMEDIATE, taking the write lock (or waiting for it)
    # before their first read. See Store.write().
    mode = connection.get_execution_options().get(BEGIN_OPTION, "")
    if mode not in ("", "IMMEDIATE"):
        raise ValueError(f"{BEGIN_OPTION} must be '' or 'IMMEDIATE', not {mode!r}")
    connection.exec_driver_sql(f"BEGIN {mode}".rstrip())


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    """An engine for ``url``: SQLite files get WAL, foreign keys and a busy timeout.

    The folder of a SQLite file is created if missing, so a fresh data directory just works.
    """
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        connect_args = dict(kwargs.pop("connect_args", {}))
        connect_args.setdefault("check_same_thread", False)  # sessions move between threads
        engine = create_engine(parsed, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(parsed, **kwargs)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (the API serialises them then)."""
    return sessionmaker(engine, expire_on_commit=False)
