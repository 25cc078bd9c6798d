"""The OpenAPI document and a docs page that works offline (no CDN, no external host)."""

from __future__ import annotations

import re

from apihub import Hub


def test_openapi_lists_the_v1_operations_and_both_key_schemes(hub: Hub) -> None:
    """/openapi.json is public and documents every endpoint under /v1 and the two key schemes."""
    doc = hub.client.get("/openapi.json").json()
    paths = set(doc["paths"])
    assert {
        "/v1/health",
        "/v1/ready",
        "/v1/places",
        "/v1/places/{place_id}",
        "/v1/services",
        "/v1/services/{service_id}",
        "/v1/departures",
        "/v1/departures/{departure_id}",
        "/v1/quotes",
        "/v1/quotes/{quote_id}",
        "/v1/admin/organisation",
        "/v1/admin/keys",
        "/v1/admin/keys/{key_id}",
    } <= paths
    assert all(path.startswith("/v1/") for path in paths)
    assert set(doc["components"]["securitySchemes"]) == {"ApiKey", "Bearer"}
    assert "ProblemOut" in doc["components"]["schemas"]


def test_docs_page_references_no_external_host(hub: Hub) -> None:
    """/docs loads Swagger UI from this server only, so it works without internet."""
    page = hub.client.get("/docs")
    assert page.status_code == 200
    urls = re.findall(r"""(?:src|href|url)\s*[:=]\s*["']([^"']+)["']""", page.text)
    assert urls
    assert all(u.startswith("/") and not u.startswith("//") for u in urls), urls
    assert "http://" not in page.text
    assert "https://" not in page.text
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        served = hub.client.get(f"/docs/assets/{asset}")
        assert served.status_code == 200
        assert len(served.content) > 10_000
