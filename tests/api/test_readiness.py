"""Readiness and the empty store: 503 until a network is imported, never a 500."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from silkhub.api import create_app
from silkhub.settings import Settings
from silkhub.store import create_demo_org, open_store


def test_empty_store_is_alive_but_not_ready(tmp_path: Path) -> None:
    """Without a network, health is 200, readiness and network endpoints are 503 problems."""
    settings = Settings(data_dir=tmp_path, import_default_network=False)
    store = open_store(settings)
    new = create_demo_org(store)
    assert new is not None
    with TestClient(create_app(settings, store=store)) as client:
        assert client.get("/v1/health").status_code == 200
        ready = client.get("/v1/ready")
        assert ready.status_code == 503
        assert ready.headers["content-type"] == "application/problem+json"
        headers = {"X-API-Key": new.plaintext}
        places = client.get("/v1/places", headers=headers)
        assert places.status_code == 503
        assert "silkhub network import" in places.json()["detail"]
        body = {"origin": "CGO", "destination": "MAD", "ready": "2025-03-03T08:00Z", "weight_kg": 1}
        assert client.post("/v1/quotes", json=body, headers=headers).status_code == 503
