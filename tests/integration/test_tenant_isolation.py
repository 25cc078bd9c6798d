"""Tenant isolation for every tenant-owned object type: another tenant's object is a 404.

Today's tenant-owned objects are quotes and API keys. For each, another organisation's
caller gets exactly the answer an unknown id gets (404, same body apart from the id), never
the contents, and listings hold only the caller's own objects.
"""

from __future__ import annotations

from apihub import QUOTE_BODY, Hub, tenant_key
from silkhub.store import Role


def _without_id(body: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in body.items() if k not in ("detail", "instance")}


def test_quotes_are_invisible_to_other_tenants(hub: Hub) -> None:
    """Globex cannot read acme's quote by id or see it listed; a made-up id looks the same."""
    quote_id = hub.post("/v1/quotes", QUOTE_BODY, "acme", Role.SHIPPER).json()["id"]
    theirs = hub.get(f"/v1/quotes/{quote_id}", "globex", Role.ADMIN)
    unknown = hub.get("/v1/quotes/quo_ffffffffffffffffffffffffffffffff", "globex", Role.ADMIN)
    assert theirs.status_code == unknown.status_code == 404
    assert _without_id(theirs.json()) == _without_id(unknown.json())
    assert "CGO" not in theirs.text
    assert hub.get("/v1/quotes", "globex", Role.SHIPPER).json()["total"] == 0
    assert hub.get(f"/v1/quotes/{quote_id}", "acme", Role.FORWARDER).status_code == 200


def test_keys_are_invisible_and_unrevocable_to_other_tenants(hub: Hub) -> None:
    """Globex's admin lists only globex keys and cannot revoke acme's keys."""
    acme_keys = hub.get("/v1/admin/keys", "acme").json()["items"]
    globex_keys = hub.get("/v1/admin/keys", "globex").json()["items"]
    assert {k["id"] for k in acme_keys}.isdisjoint({k["id"] for k in globex_keys})
    assert all(k["name"].startswith("globex") for k in globex_keys)
    victim = acme_keys[0]["id"]
    answer = hub.delete(f"/v1/admin/keys/{victim}", "globex")
    assert answer.status_code == 404
    assert hub.get("/v1/places", "acme", Role(acme_keys[0]["role"])).status_code == 200


def test_admin_sees_only_its_own_organisation(hub: Hub) -> None:
    """/v1/admin/organisation names the caller's organisation."""
    assert hub.get("/v1/admin/organisation", "globex").json()["name"] == "globex"
    assert hub.get("/v1/admin/organisation", "acme").json()["name"] == "acme"


def test_key_created_by_one_tenant_belongs_to_it(hub: Hub) -> None:
    """A key an admin creates works for its own organisation's data only."""
    key = hub.post("/v1/admin/keys", {"role": "shipper"}, "globex").json()["key"]
    quote_id = hub.post("/v1/quotes", QUOTE_BODY, "acme", Role.SHIPPER).json()["id"]
    mine = hub.client.get("/v1/quotes", headers={"X-API-Key": key}).json()
    assert mine["total"] == 0
    assert hub.client.get(f"/v1/quotes/{quote_id}", headers={"X-API-Key": key}).status_code == 404
    assert tenant_key("globex", Role.SHIPPER) != key
