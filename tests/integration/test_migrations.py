"""Migrations: upgrade an empty database to the schema of the tables, and downgrade it."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from silkhub.store import Base, current_revision, downgrade, head_revision, make_engine, upgrade

TABLES = {
    "organisations",
    "api_keys",
    "networks",
    "places",
    "services",
    "stops",
    "calendars",
    "transfers",
    "links",
    "departures",
    "departure_legs",
    "quotes",
}


def test_upgrade_from_empty_matches_the_tables_and_downgrade_removes_them(
    empty_database_url: str,
) -> None:
    """From empty to head gives exactly the declared schema; back to base leaves no table."""
    engine = make_engine(empty_database_url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        assert set(inspect(engine).get_table_names()) >= TABLES
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
        upgrade(engine)  # at head: a no-op
        downgrade(engine, "base")
        assert current_revision(engine) is None
        assert not TABLES & set(inspect(engine).get_table_names())
        upgrade(engine)  # and up again from scratch
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()
