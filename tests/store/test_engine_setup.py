"""The SQLite engine: WAL, enforced foreign keys, a busy timeout; URLs pick psycopg 3."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import text

from silkhub.store import make_engine, normalize_url
from silkhub.store.engine import SQLITE_BUSY_TIMEOUT_MS


def test_sqlite_file_gets_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    """Every connection to a SQLite file runs in WAL mode with foreign keys on."""
    engine = make_engine(f"sqlite:///{tmp_path / 'new' / 'db.sqlite'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == SQLITE_BUSY_TIMEOUT_MS
    assert (tmp_path / "new" / "db.sqlite").exists()
    engine.dispose()


def test_a_new_file_another_process_is_writing_switches_to_wal_once_it_commits(
    tmp_path: Path,
) -> None:
    """The WAL switch waits for a writer on a new file instead of failing "database is locked".

    SQLite skips the busy handler for this switch (the asking connection already holds a shared
    lock), so without silkhub's own retry the connect fails at once; CI saw it when four
    processes migrated one new file together.
    """
    database = tmp_path / "busy.sqlite"
    writer = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    writer.execute("CREATE TABLE held (x INTEGER)")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO held VALUES (1)")
    assert writer.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    release = threading.Timer(0.3, writer.execute, args=("COMMIT",))
    release.start()
    engine = make_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("SELECT count(*) FROM held")).scalar() == 1
    finally:
        release.join()
        engine.dispose()
        writer.close()


def test_postgresql_urls_use_psycopg3() -> None:
    """A plain postgresql:// URL (as users write it) is served by psycopg 3."""
    assert normalize_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("sqlite:///x.db").drivername == "sqlite"


_MIGRATE = (
    "import sys; from silkhub.store import make_engine; from silkhub.store.migrate import "
    "upgrade; upgrade(make_engine('sqlite:///' + sys.argv[1])); print('migrated')"
)


def test_processes_starting_together_on_a_new_file_all_migrate(tmp_path: Path) -> None:
    """Four processes migrating one new SQLite file at once all succeed, one after the other.

    Before the migration took the write lock first, about one start in seven failed with
    "database is locked" (the processes of a multi-worker server start together).
    """
    for round_ in range(3):
        database = tmp_path / f"race{round_}.sqlite"
        starts = [
            subprocess.Popen(
                [sys.executable, "-c", _MIGRATE, str(database)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        # every process is waited for before any assertion, so a failure leaves none running
        results = [(process, *process.communicate(timeout=120)) for process in starts]
        for process, out, err in results:
            assert process.returncode == 0, err
            assert out.strip() == "migrated"
