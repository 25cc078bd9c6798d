"""API fixtures on SQLite: a fresh seeded hub per test, copied from one template file."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from apihub import Hub, hub_settings, seed_hub
from silkhub.api import create_app
from silkhub.model import Network
from silkhub.store import open_store


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory, tiny_hub: Network) -> Path:
    """A seeded SQLite database file, built once per session and copied by each test."""
    path = tmp_path_factory.mktemp("template") / "silkhub.db"
    settings = hub_settings(f"sqlite:///{path}")
    store = open_store(settings)
    seed_hub(store, tiny_hub, settings)
    store.close()  # checkpoints the WAL into the file
    return path


@pytest.fixture
def hub(sqlite_template: Path, tmp_path: Path) -> Iterator[Hub]:
    """The API over a fresh copy of the seeded SQLite store."""
    path = tmp_path / "silkhub.db"
    shutil.copyfile(sqlite_template, path)
    settings = hub_settings(f"sqlite:///{path}")
    store = open_store(settings)
    with TestClient(create_app(settings, store=store)) as client:
        yield Hub(client, store, "sqlite")
