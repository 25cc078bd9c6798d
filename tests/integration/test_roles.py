"""Roles: who may call what.

Network reads are open to every role; quotes to those who ship, sell or plan freight; key
management to admins.
"""

from __future__ import annotations

import pytest

from apihub import QUOTE_BODY, Hub
from silkhub.store import Role

EVERYONE = frozenset(Role)
QUOTERS = frozenset({Role.SHIPPER, Role.FORWARDER, Role.PLANNER, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})

RULES = [
    ("GET", "/v1/places", EVERYONE),
    ("GET", "/v1/services", EVERYONE),
    ("GET", "/v1/departures", EVERYONE),
    ("GET", "/v1/departures/JD451@2025-03-04", EVERYONE),
    ("POST", "/v1/quotes", QUOTERS),
    ("GET", "/v1/quotes", QUOTERS),
    ("GET", "/v1/admin/organisation", ADMINS),
    ("GET", "/v1/admin/keys", ADMINS),
    ("POST", "/v1/admin/keys", ADMINS),
]


@pytest.mark.parametrize(("method", "url", "allowed"), RULES)
def test_each_role_gets_in_or_a_403(
    hub: Hub, method: str, url: str, allowed: frozenset[Role]
) -> None:
    """Allowed roles get a 2xx; every other role gets 403 problem+json naming the roles."""
    body = QUOTE_BODY if url == "/v1/quotes" else {"role": "shipper"}
    for role in Role:
        response = hub.get(url, role=role) if method == "GET" else hub.post(url, body, role=role)
        if role in allowed:
            assert response.status_code in (200, 201), (role, response.text)
        else:
            assert response.status_code == 403, (role, response.text)
            assert role.value in response.json()["detail"]
