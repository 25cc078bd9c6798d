"""The SQLite engine: WAL, enforced foreign keys, a busy timeout; URLs pick psycopg 3."""

from __future__ import annotations

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


def test_postgresql_urls_use_psycopg3() -> None:
    """A plain postgresql:// URL (as users write it) is served by psycopg 3."""
    assert normalize_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("sqlite:///x.db").drivername == "sqlite"
