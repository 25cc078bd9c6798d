"""Store fixtures: a fresh SQLite store per test, empty or holding the tiny hub."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from silkhub.model import Network
from silkhub.settings import Settings
from silkhub.store import Store, import_network, open_store

#: The tiny hub's timetable runs in the first half of 2025; store all of it.
TINY_WINDOW = (date(2025, 1, 1), date(2025, 6, 30))


@pytest.fixture(scope="session")
def tiny_window() -> tuple[date, date]:
    """The service dates stored for the tiny hub: its whole timetable (January-June 2025)."""
    return TINY_WINDOW


@pytest.fixture
def store_settings(tmp_path: Path) -> Settings:
    """Settings for a SQLite store in the test's own folder, with the tiny hub's window."""
    return Settings(
        data_dir=tmp_path / "data",
        import_default_network=False,
        window_start=TINY_WINDOW[0],
        window_end=TINY_WINDOW[1],
    )


@pytest.fixture
def empty_store(store_settings: Settings) -> Iterator[Store]:
    """A migrated store holding nothing yet."""
    store = open_store(store_settings)
    yield store
    store.close()


@pytest.fixture
def tiny_store(empty_store: Store, store_settings: Settings, tiny_hub: Network) -> Store:
    """A store holding the tiny hub and its 195 departures of January-June 2025."""
    import_network(empty_store, tiny_hub, store_settings)
    return empty_store
