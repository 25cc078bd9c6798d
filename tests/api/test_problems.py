"""Errors are RFC 9457 problem+json naming the field and the reason; nothing answers 500."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from apihub import QUOTE_BODY, Hub
from silkhub.api import PROBLEM_MEDIA_TYPE
from silkhub.api.problems import _PATTERN_REASONS
from silkhub.store import Role


def _problem(response: object, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    body: dict[str, object] = response.json()
    assert body["status"] == status
    assert body["title"]
    return body


def _fields(body: dict[str, object]) -> dict[str, str]:
    errors = body["errors"]
    assert isinstance(errors, list)
    return {e["field"]: e["reason"] for e in errors}


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"weight_kg": -1}, "body.weight_kg", "greater than 0"),
        ({"weight_kg": "heavy"}, "body.weight_kg", "valid number"),
        ({"weight_kg": 0.0001}, "body.weight_kg", "0.001"),
        ({"weight_kg": True}, "body.weight_kg", "valid number"),
        ({"weight_kg": "500"}, "body.weight_kg", "valid number"),
        ({"volume_m3": False}, "body.volume_m3", "valid number"),
        ({"ready": 1756684800}, "body.ready", "ISO 8601 date-time string"),
        ({"latest_arrival": 1756684800}, "body.latest_arrival", "ISO 8601 date-time string"),
        ({"ready": "1756684800"}, "body.ready", "ISO 8601 date-time string"),
        ({"max_boardings": True}, "body.max_boardings", "valid integer"),
        ({"max_boardings": "3"}, "body.max_boardings", "valid integer"),
        ({"horizon_days": True}, "body.horizon_days", "valid integer"),
        ({"ready": "next tuesday"}, "body.ready", "ISO 8601 date-time string"),
        ({"ready": "2025-02-30T08:00:00Z"}, "body.ready", "datetime"),
        ({"ready": "0001-01-01T00:00:00+14:00"}, "body.ready", "between 2000"),
        ({"ready": "2000-01-01T00:00:00+08:00"}, "body.ready", "(UTC)"),
        # naive: local time at CGO (+08:00), so 1999-12-31T21:00Z
        ({"ready": "2000-01-01T05:00:00"}, "body.ready", "between 2000"),
        ({"origin": "ZZZ"}, "body.origin", "unknown place 'ZZZ'"),
        ({"destination": "ESMAD"}, "body.destination", "did you mean 'MAD'"),
        ({"destination": "CGO"}, "body", "different places"),
        ({"currency": "XXX"}, "body.currency", "no exchange rate"),
        ({"currency": "eur"}, "body.currency", "three capital letters (ISO 4217)"),
        ({"modes": ["hyperloop"]}, "body.modes.0", "air"),
        ({"modes": []}, "body.modes", "at least 1"),
        ({"max_boardings": 9}, "body.max_boardings", "less than or equal to 8"),
        ({"latest_arrival": "2025-03-01T00:00:00Z"}, "body.latest_arrival", "after the ready time"),
        ({"colour": "red"}, "body.colour", "Extra inputs"),
        ({"origin": "CG\u0000O"}, "body.origin", "without control characters"),
    ],
)
def test_bad_quote_fields_are_named(
    hub: Hub, change: dict[str, object], field: str, reason: str
) -> None:
    """Each bad field of a quote request is reported as body.<field> with the reason."""
    body = _problem(hub.post("/v1/quotes", {**QUOTE_BODY, **change}), 422)
    fields = _fields(body)
    assert field in fields, fields
    assert reason in fields[field]


def test_missing_fields_are_all_listed(hub: Hub) -> None:
    """An empty body lists every required field at once."""
    fields = _fields(_problem(hub.post("/v1/quotes", {}), 422))
    assert {"body.origin", "body.destination", "body.ready", "body.weight_kg"} <= set(fields)


def test_both_unknown_places_are_listed(hub: Hub) -> None:
    """An unknown origin and an unknown destination are reported together."""
    body = _problem(
        hub.post("/v1/quotes", {**QUOTE_BODY, "origin": "XXX", "destination": "YYY"}), 422
    )
    fields = _fields(body)
    assert "unknown place 'XXX'" in fields["body.origin"]
    assert "unknown place 'YYY'" in fields["body.destination"]
    assert (
        body["detail"]
        == f"body.origin: {fields['body.origin']}; body.destination: {fields['body.destination']}"
    )


def test_broken_json_is_a_422_at_the_body(hub: Hub) -> None:
    """Unparseable JSON names the body and where parsing failed."""
    response = hub.client.post(
        "/v1/quotes",
        content=b'{"origin": ',
        headers={**hub.headers(), "content-type": "application/json"},
    )
    fields = _fields(_problem(response, 422))
    assert "invalid JSON" in fields["body"]


@pytest.mark.parametrize(
    "content",
    [b"[" * 100_000 + b"]" * 100_000, b'{"weight_kg": ' + b"9" * 5000 + b"}"],
    ids=["nested too deeply", "a 5,000-digit number"],
)
def test_json_the_parser_gives_up_on_is_a_422_at_the_body(hub: Hub, content: bytes) -> None:
    """Bodies Python's JSON parser cannot take are bad JSON too: 422 naming the body."""
    response = hub.client.post(
        "/v1/quotes", content=content, headers={**hub.headers(), "content-type": "application/json"}
    )
    fields = _fields(_problem(response, 422))
    assert "invalid JSON" in fields["body"]


def test_a_body_that_is_not_utf8_says_so(hub: Hub) -> None:
    """A Latin-1 byte in a quote: the reason is the encoding, not nesting or a long number."""
    response = hub.client.post(
        "/v1/quotes",
        content='{"origin": "Alcal\u00e1"}'.encode("latin-1"),
        headers={**hub.headers(), "content-type": "application/json"},
    )
    fields = _fields(_problem(response, 422))
    assert fields["body"] == "invalid JSON: the body is not UTF-8 text (byte 17)"


_UNPARSEABLE_BODIES = pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"decision": ', "invalid JSON at character 13"),
        ('{"reason": "Alcal\u00e1"}'.encode("latin-1"), "not UTF-8 text (byte 17)"),
        (b"[" * 100_000 + b"]" * 100_000, "cannot be parsed (nested too deeply"),
    ],
    ids=["broken", "latin-1", "nested too deeply"],
)
_DECISION = "/v1/customs/inventories/E1-I/decision"


@_UNPARSEABLE_BODIES
def test_a_body_that_is_not_json_waits_for_the_key(hub: Hub, content: bytes, reason: str) -> None:
    """Without a valid key, an unparseable body is a 401 like any other request, not a 422.

    FastAPI parses the body before any dependency runs; the route class runs the key and
    role checks first (docs/api.md, the order of errors).
    """
    json_type = {"content-type": "application/json"}
    for headers in ({}, {"X-API-Key": "shk_000000000000_" + "x" * 43}):
        response = hub.client.post(_DECISION, content=content, headers={**headers, **json_type})
        body = _problem(response, 401)
        assert "errors" not in body or not body["errors"], body
        assert response.headers["www-authenticate"].startswith("Bearer")
    response = hub.client.post(
        "/v1/quotes", content=content, headers={"content-type": "application/json"}
    )
    _problem(response, 401)


@_UNPARSEABLE_BODIES
def test_a_body_that_is_not_json_waits_for_the_role(hub: Hub, content: bytes, reason: str) -> None:
    """A forwarder may not decide lists: 403 whatever the body; an officer learns it is bad."""
    json_type = {"content-type": "application/json"}
    forwarder = {**hub.headers(role=Role.FORWARDER), **json_type}
    response = hub.client.post(_DECISION, content=content, headers=forwarder)
    assert "customs_officer" in str(_problem(response, 403)["detail"])
    officer = {**hub.headers(role=Role.CUSTOMS_OFFICER), **json_type}
    response = hub.client.post(_DECISION, content=content, headers=officer)
    fields = _fields(_problem(response, 422))
    assert set(fields) == {"body"}
    assert reason in fields["body"], fields


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/v1/departures?limit=0", "query.limit"),
        ("/v1/departures?limit=501", "query.limit"),
        ("/v1/departures?offset=-1", "query.offset"),
        ("/v1/departures?from=2025-02-30", "query.from"),
        ("/v1/departures?from=2025-03-09&to=2025-03-01", "query.to"),
        ("/v1/departures?mode=teleport", "query.mode"),
        ("/v1/places?country=china", "query.country"),
        ("/v1/admin/keys/0", "path.key_id"),
    ],
)
def test_bad_query_and_path_parameters_are_named(hub: Hub, url: str, field: str) -> None:
    """Bad query and path parameters answer 422 naming query.<name> or path.<name>."""
    method = hub.delete if "/keys/" in url else hub.get
    assert field in _fields(_problem(method(url), 422))


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/v1/places/NOWHERE", 404),
        ("/v1/services/NO-SUCH", 404),
        ("/v1/departures/JD451@2031-01-01", 404),
        ("/v1/quotes/quo_00000000000000000000000000000000", 404),
        ("/v1/no-such-endpoint", 404),
    ],
)
def test_unknown_things_are_404_problems(hub: Hub, url: str, status: int) -> None:
    """Unknown ids and routes answer 404 problem+json."""
    body = _problem(hub.get(url), status)
    assert body["instance"] == url.split("?")[0]


@pytest.mark.parametrize(
    ("path", "allowed"),
    [("/v1/quotes", "GET, POST"), ("/v1/admin/keys", "GET, POST"), ("/v1/places", "GET")],
)
def test_a_405_lists_every_method_of_the_path(hub: Hub, path: str, allowed: str) -> None:
    """``Allow`` names all the path's methods; it had named only the first route's."""
    response = hub.client.put(path, headers=hub.headers())
    assert response.status_code == 405
    assert response.headers["allow"] == allowed


def test_wrong_method_is_a_405_problem(hub: Hub) -> None:
    """A known path with the wrong method answers 405 problem+json."""
    _problem(hub.client.put("/v1/places", headers=hub.headers()), 405)


def test_oversized_body_is_refused_with_413(hub: Hub) -> None:
    """A body over 1 MiB is refused before it is parsed, declared or streamed."""
    big = b"[" + b"1," * (600 * 1024) + b"1]"
    response = hub.client.post(
        "/v1/quotes", content=big, headers={**hub.headers(), "content-type": "application/json"}
    )
    assert "larger than 1048576 bytes" in str(_problem(response, 413)["detail"])

    def chunks() -> object:
        for _ in range(20):
            yield b"x" * 100_000

    streamed = hub.client.post(
        "/v1/quotes",
        content=chunks(),
        headers={**hub.headers(), "content-type": "application/json"},
    )
    _problem(streamed, 413)


def test_unexpected_errors_are_opaque_logged_500s(
    hub: Hub, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug answers a 500 problem that leaks nothing, and the traceback goes to the log."""
    app = hub.client.app
    assert isinstance(app, FastAPI)

    @app.get("/v1/boom")
    def boom() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    with caplog.at_level(logging.ERROR, logger="silkhub.api"):
        response = TestClient(app, raise_server_exceptions=False).get("/v1/boom")
    body = _problem(response, 500)
    assert "hunter2" not in response.text
    assert body["detail"] == "an internal error occurred; it has been logged"
    assert "hunter2" in caplog.text


def test_problem_errors_need_no_key_to_be_problems(hub: Hub) -> None:
    """Even the 401 for a missing key is problem+json, with a WWW-Authenticate challenge."""
    response = hub.client.get("/v1/places")
    _problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert hub.get("/v1/places", role=Role.SHIPPER).status_code == 200


def _patterns(node: object) -> set[str]:
    if isinstance(node, dict):
        found = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
        return found.union(*(_patterns(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_patterns(v) for v in node))
    return set()


def test_every_pattern_of_the_api_is_explained_in_words(hub: Hub) -> None:
    """A value that misses a field's pattern is told what it must be, not shown the regex."""
    patterns = _patterns(hub.client.get("/openapi.json").json())
    assert patterns
    assert patterns <= set(_PATTERN_REASONS), patterns - set(_PATTERN_REASONS)


def test_a_blank_reason_is_told_so_in_words(hub: Hub) -> None:
    """A decision whose reason is a space: 'must not be blank', not a regular expression."""
    response = hub.post(
        "/v1/customs/inventories/X/decision",
        {"decision": "released", "reason": " "},
        role=Role.CUSTOMS_OFFICER,
    )
    fields = _fields(_problem(response, 422))
    assert fields["body.reason"] == "must not be blank, nor hold a NUL character"


def test_the_quote_schema_declares_what_the_endpoint_takes(hub: Hub) -> None:
    """The quote body's schema is no narrower or wider than what the endpoint takes.

    Times without an offset and dates alone are taken, so no RFC 3339 date-time format; a
    weight is taken to the gram, so the least weight is over half a gram, not over 0.
    """
    schema = hub.client.get("/openapi.json").json()["components"]["schemas"]["QuoteIn"]
    assert "format" not in schema["properties"]["ready"]
    assert schema["properties"]["weight_kg"]["exclusiveMinimum"] == 0.0005
    for ready in ("2025-03-03T08:00", "2025-03-03"):
        assert hub.post("/v1/quotes", {**QUOTE_BODY, "ready": ready}).status_code == 201
    assert hub.post("/v1/quotes", {**QUOTE_BODY, "weight_kg": 0.0006}).status_code == 201
    fields = _fields(_problem(hub.post("/v1/quotes", {**QUOTE_BODY, "weight_kg": 0.0004}), 422))
    assert fields["body.weight_kg"] == "must be at least 0.001 kg"
