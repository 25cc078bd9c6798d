"""Integration fixtures: a real PostgreSQL server for the session, and the API on both backends.

The server is Debian's PostgreSQL (``make test`` installs the package when it is missing),
initialised in a temporary folder, started on a free loopback port and stopped at the end.
PostgreSQL refuses to run as root, so under root it runs as the ``postgres`` system user.
Without PostgreSQL the PostgreSQL cases fail in CI (``CI=true``) and are skipped elsewhere,
with the reason.

``database_url`` is parametrized over ``sqlite`` and ``postgresql``: every test using it (or
``hub``, built on it) runs once per backend, each time on a fresh database cloned from a
seeded template (a file copy for SQLite, ``CREATE DATABASE ... TEMPLATE`` for PostgreSQL).
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from apihub import Hub, free_port, hub_settings, seed_hub
from silkhub.api import create_app
from silkhub.model import Network
from silkhub.store import open_store

BACKENDS = ("sqlite", "postgresql")


def _bindir() -> Path | None:
    """The newest installed PostgreSQL's bin folder (Debian layout, or initdb on PATH)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3])
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"PostgreSQL tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


@dataclass
class PostgresServer:
    """A running PostgreSQL server on 127.0.0.1 with trust authentication."""

    port: int
    names: Iterator[int]

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of ``database`` on this server."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str) -> None:
        """Run one statement in the ``postgres`` database (outside a transaction)."""
        dsn = f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(sql.encode())

    def new_database(self, template: str | None = None) -> str:
        """Create a fresh database (a copy of ``template`` if given); returns its name."""
        name = f"silkhub_test_{next(self.names)}"
        self.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return name

    def drop_database(self, name: str) -> None:
        """Drop ``name``, closing any connection left to it."""
        self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server of our own for the session, on a free loopback port."""
    bindir = _bindir()
    if bindir is None:
        _unavailable("PostgreSQL is not installed (make test installs Debian's postgresql)")
        raise AssertionError("unreachable")
    root = Path(tempfile.mkdtemp(prefix="silkhub-pg-"))
    data, sockets, log = root / "data", root / "sockets", root / "server.log"
    sockets.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            _unavailable("running as root, and there is no 'postgres' user to run the server")
            raise
        for path in (root, sockets):
            os.chown(path, account.pw_uid, account.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [*as_user, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
         "-E", "UTF8", "--locale=C", "--no-sync"],
        check=True, capture_output=True,
    )  # fmt: skip
    # The free port is found before the server binds it, so another process may take it in
    # between: then the start is tried again on another port.
    for attempt in range(3):
        port = free_port()
        options = (
            f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        started = subprocess.run(
            [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options,
             "-w", "-t", "60", "start"],
            capture_output=True, text=True,
        )  # fmt: skip
        if started.returncode == 0:
            break
        text = log.read_text() if log.exists() else ""
        if attempt < 2 and "could not bind" in text:
            log.unlink()
            continue
        shutil.rmtree(root, ignore_errors=True)
        _unavailable(f"the server did not start: {started.stderr}\n{text}")
    try:
        yield PostgresServer(port, itertools.count())
    finally:
        subprocess.run(
            [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_template(postgres_server: PostgresServer, tiny_hub: Network) -> str:
    """A seeded PostgreSQL database that every PostgreSQL test database is cloned from."""
    name = postgres_server.new_database()
    settings = hub_settings(postgres_server.url(name))
    store = open_store(settings)
    seed_hub(store, tiny_hub, settings)
    store.close()  # CREATE DATABASE ... TEMPLATE needs the template without connections
    return name


@pytest.fixture(scope="session")
def sqlite_seeded(tmp_path_factory: pytest.TempPathFactory, tiny_hub: Network) -> Path:
    """A seeded SQLite file that every SQLite test database is copied from."""
    path = tmp_path_factory.mktemp("template") / "silkhub.db"
    settings = hub_settings(f"sqlite:///{path}")
    store = open_store(settings)
    seed_hub(store, tiny_hub, settings)
    store.close()
    return path


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend a test runs on: ``sqlite`` or ``postgresql``."""
    name: str = request.param
    return name


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh seeded database on ``backend`` (dropped afterwards)."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_seeded")
        shutil.copyfile(template, tmp_path / "silkhub.db")
        yield f"sqlite:///{tmp_path / 'silkhub.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.new_database(template=request.getfixturevalue("postgres_template"))
    yield server.url(name)
    server.drop_database(name)


@pytest.fixture
def empty_database_url(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[str]:
    """A fresh, empty database on ``backend`` (no tables at all)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.new_database()
    yield server.url(name)
    server.drop_database(name)


@pytest.fixture
def hub(database_url: str, backend: str) -> Iterator[Hub]:
    """The API over a fresh seeded database, once per backend."""
    settings = hub_settings(database_url)
    store = open_store(settings)
    with TestClient(create_app(settings, store=store)) as client:
        yield Hub(client, store, backend)
