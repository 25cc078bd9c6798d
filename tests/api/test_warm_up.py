"""The server warms its quote engine in the background, so the first quote is not the slow one."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from apihub import Hub, hub_settings
from silkhub.api import create_app
from silkhub.api.quoting import QuoteEngine
from silkhub.store import Role, open_store


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
