"""The server warms its quote engine in the background, so the first quote is not the slow one."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from apihub import Hub, hub_settings
from silkhub.api import app as app_module
from silkhub.api import create_app
from silkhub.api.quoting import QuoteEngine
from silkhub.settings import Settings
from silkhub.store import Role, Store, open_store


def test_the_router_is_compiled_before_the_first_quote(hub: Hub) -> None:
    app = hub.client.app
    app.state.warm_up.join(timeout=120)  # type: ignore[attr-defined]
    engine: QuoteEngine = app.state.quote_engine  # type: ignore[attr-defined]
    warmed = engine.compiled
    assert warmed is not None
    response = hub.client.post(
        "/v1/quotes",
        headers=hub.headers(role=Role.SHIPPER),
        json={"origin": "YIW", "destination": "MAD", "ready": "2025-03-03T08:00:00+08:00",
              "weight_kg": 500},
    )  # fmt: skip
    assert response.status_code == 201, response.text
    assert engine.compiled is warmed  # the quote used the router the warm-up compiled


def test_a_store_without_a_network_starts_and_warms_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = hub_settings(f"sqlite:///{tmp_path / 'empty.db'}")
    store = open_store(settings)
    with (
        caplog.at_level(logging.INFO, logger="silkhub.api"),
        TestClient(create_app(settings, store=store)) as client,
    ):
        client.app.state.warm_up.join(timeout=120)  # type: ignore[attr-defined]
        assert client.get("/v1/health").status_code == 200
        assert client.app.state.quote_engine.compiled is None  # type: ignore[attr-defined]
    assert "could not warm up" not in caplog.text


@dataclass
class _SlowWarmUp:
    """An app over an empty store whose warm-up waits for ``release``, and what happened."""

    settings: Settings
    store: Store
    release: threading.Event = field(default_factory=threading.Event)
    events: list[str] = field(default_factory=list)


@pytest.fixture
def slow_warm_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[_SlowWarmUp]:
    settings = hub_settings(f"sqlite:///{tmp_path / 'empty.db'}")
    slow = _SlowWarmUp(settings, open_store(settings))

    def warm_up(_engine: QuoteEngine, _store: object) -> None:
        slow.release.wait(timeout=60)
        slow.events.append("warm-up done")

    monkeypatch.setattr(QuoteEngine, "warm_up", warm_up)
    real_close = slow.store.close
    monkeypatch.setattr(
        slow.store, "close", lambda: (slow.events.append("store closed"), real_close())
    )
    yield slow
    slow.release.set()  # never leave the warm-up thread waiting


def test_shutdown_waits_for_the_warm_up_before_closing_the_store(
    slow_warm_up: _SlowWarmUp,
) -> None:
    with TestClient(create_app(slow_warm_up.settings, store=slow_warm_up.store)) as client:
        assert client.get("/v1/health").status_code == 200  # served while warming up
        threading.Timer(0.3, slow_warm_up.release.set).start()
    assert slow_warm_up.events == ["warm-up done", "store closed"]


def test_a_warm_up_that_outlasts_shutdown_is_logged(
    slow_warm_up: _SlowWarmUp, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(app_module, "_WARM_UP_JOIN_S", 0.2)
    with (
        caplog.at_level(logging.WARNING, logger="silkhub.api"),
        TestClient(create_app(slow_warm_up.settings, store=slow_warm_up.store)),
    ):
        pass
    assert "warm-up still runs after" in caplog.text
    assert slow_warm_up.events == ["store closed"]  # closed without waiting any longer
