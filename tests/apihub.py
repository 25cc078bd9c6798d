"""Helpers shared by the API and integration tests: a seeded hub and its deterministic keys.

A seeded store holds the tiny hub (its whole 2025 timetable) and two tenants, ``acme`` and
``globex``, each with one key per role. The keys are derived from (organisation, role), so a
test asks for ``tenant_key("acme", Role.SHIPPER)`` instead of threading secrets around, and a
database cloned from a seeded template accepts the same keys.
"""

from __future__ import annotations

import base64
import hashlib
import socket
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from silkhub.model import Network
from silkhub.settings import Settings
from silkhub.store import OrganisationRepository, Role, Store, hash_key, import_network, utcnow
from silkhub.store.tables import ApiKeyRow

TENANTS = ("acme", "globex")
TINY_WINDOW = (date(2025, 1, 1), date(2025, 6, 30))


def free_port() -> int:
    """A loopback port nothing listens on now (a fixed one fails wherever a server holds it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tenant_key(org: str, role: Role) -> str:
    """The API key of ``org``'s ``role`` in a seeded store (same in every seeded database)."""
    seed = f"{org}:{role.value}".encode()
    prefix = hashlib.md5(seed, usedforsecurity=False).hexdigest()[:12]
    secret = base64.urlsafe_b64encode(hashlib.sha256(seed).digest()).decode().rstrip("=")
    return f"shk_{prefix}_{secret}"


def hub_settings(url: str) -> Settings:
    """Settings for a seeded store at ``url`` (the tiny hub's window, no embedded network)."""
    return Settings(
        database_url=url,
        import_default_network=False,
        window_start=TINY_WINDOW[0],
        window_end=TINY_WINDOW[1],
    )


def seed_hub(store: Store, network: Network, settings: Settings) -> None:
    """Import ``network`` and create the tenants with one key per role each."""
    import_network(store, network, settings)
    with store.session() as session:
        for org_name in TENANTS:
            org = OrganisationRepository(session).create(org_name, utcnow())
            for role in Role:
                key = tenant_key(org_name, role)
                session.add(
                    ApiKeyRow(
                        org_id=org.id,
                        prefix=key.split("_")[1],
                        key_hash=hash_key(key),
                        role=role.value,
                        name=f"{org_name} {role.value}",
                        created_at=utcnow(),
                    )
                )


@dataclass
class Hub:
    """A test client on a seeded store, with the keys to call it as anyone."""

    client: TestClient
    store: Store
    backend: str

    def headers(self, org: str = "acme", role: Role = Role.ADMIN) -> dict[str, str]:
        """The ``X-API-Key`` header of ``org``'s ``role``."""
        return {"X-API-Key": tenant_key(org, role)}

    def get(self, url: str, org: str = "acme", role: Role = Role.ADMIN, **kw: Any) -> Any:
        """GET as ``org``'s ``role``."""
        return self.client.get(url, headers=self.headers(org, role), **kw)

    def post(self, url: str, body: Any, org: str = "acme", role: Role = Role.ADMIN) -> Any:
        """POST JSON as ``org``'s ``role``."""
        return self.client.post(url, json=body, headers=self.headers(org, role))

    def post_text(self, url: str, text: str, org: str = "acme", role: Role = Role.ADMIN) -> Any:
        """POST ``text`` as the JSON body, as written (numbers, NaN, escapes kept)."""
        headers = {**self.headers(org, role), "content-type": "application/json"}
        return self.client.post(url, content=text.encode(), headers=headers)

    def delete(self, url: str, org: str = "acme", role: Role = Role.ADMIN) -> Any:
        """DELETE as ``org``'s ``role``."""
        return self.client.delete(url, headers=self.headers(org, role))


#: A quote request the tiny hub answers (CGO → OSL on JD451, early March 2025).
QUOTE_BODY = {
    "origin": "CGO",
    "destination": "OSL",
    "ready": "2025-03-03T08:00:00+08:00",
    "weight_kg": 500,
    "volume_m3": 2.5,
}
