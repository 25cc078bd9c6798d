"""API keys: X-API-Key or Bearer; missing, wrong, malformed and revoked keys get 401."""

from __future__ import annotations

import pytest

from apihub import Hub, tenant_key
from silkhub.store import Role


def test_health_needs_no_key(hub: Hub) -> None:
    """Liveness and readiness answer without a key."""
    assert hub.client.get("/v1/health").json()["status"] == "ok"
    ready = hub.client.get("/v1/ready").json()
    assert ready["status"] == "ready"
    assert ready["network"] == "tiny_hub"


@pytest.mark.parametrize(
    "url", ["/v1/places", "/v1/services", "/v1/departures", "/v1/quotes", "/v1/admin/keys"]
)
def test_every_other_endpoint_needs_a_key(hub: Hub, url: str) -> None:
    """Without a key every endpoint but health answers 401."""
    assert hub.client.get(url).status_code == 401


def test_bearer_and_header_keys_both_work(hub: Hub) -> None:
    """The same key works as X-API-Key and as a bearer token."""
    key = tenant_key("acme", Role.PLANNER)
    assert hub.client.get("/v1/places", headers={"X-API-Key": key}).status_code == 200
    bearer = {"Authorization": f"Bearer {key}"}
    assert hub.client.get("/v1/places", headers=bearer).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"X-API-Key": "shk_000000000000_" + "A" * 43},
        {"X-API-Key": "not a key"},
        {"X-API-Key": tenant_key("acme", Role.ADMIN)[:-1] + "-"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer"},
    ],
)
def test_bad_keys_are_refused(hub: Hub, headers: dict[str, str]) -> None:
    """Unknown, malformed and tampered keys, and other auth schemes, answer 401."""
    response = hub.client.get("/v1/places", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"].startswith(("an API key is required", "the API key is not"))


def test_revoked_key_stops_working(hub: Hub) -> None:
    """Once an admin revokes a key, it answers 401."""
    keys = hub.get("/v1/admin/keys").json()["items"]
    planner = next(k for k in keys if k["role"] == "planner")
    assert hub.get("/v1/places", role=Role.PLANNER).status_code == 200
    assert hub.delete(f"/v1/admin/keys/{planner['id']}").status_code == 204
    assert hub.get("/v1/places", role=Role.PLANNER).status_code == 401
    revoked = next(k for k in hub.get("/v1/admin/keys").json()["items"] if k["id"] == planner["id"])
    assert revoked["revoked_at"] is not None


def test_created_key_is_shown_once_and_works(hub: Hub) -> None:
    """A key created through the API is in the answer only, and then authenticates."""
    created = hub.post("/v1/admin/keys", {"role": "shipper", "name": "warehouse"})
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    assert hub.client.get("/v1/places", headers={"X-API-Key": key}).status_code == 200
    listed = hub.get("/v1/admin/keys").text
    assert key not in listed
    assert created.json()["prefix"] in listed
