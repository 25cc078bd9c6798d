"""Customs ids and actors at the store's column limits, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from apihub import Hub
from silkhub.store import ApiKeyRepository, OrganisationRepository, Role, utcnow

MIXED_DAY = Path(__file__).parents[1] / "data" / "customs" / "mixed_day.jsonl"


def _export_e1() -> list[dict[str, Any]]:
    chosen: dict[str, dict[str, Any]] = {}
    for line in MIXED_DAY.read_text(encoding="utf-8").splitlines():
        if line.endswith("}") and (m := json.loads(line))["order_no"] == "E1":
            chosen.setdefault(m["message_id"], m)
    return list(chosen.values())


def test_an_id_too_long_for_the_store_refuses_only_its_message(hub: Hub) -> None:
    """101 characters: that message is refused by name (PostgreSQL had answered 500)."""
    messages = _export_e1()
    long_one = {**messages[0], "message_id": "X" * 101}
    response = hub.post("/v1/customs/messages", [*messages, long_one], role=Role.FORWARDER)
    assert response.status_code == 200, response.text
    last = response.json()["results"][-1]
    assert last["accepted"] is False
    assert [(p["code"], p["field"]) for p in last["problems"]] == [
        ("schema.bad_value", "message_id")
    ]
    assert response.json()["accepted"] == len(messages)


def test_an_organisation_with_a_long_name_files_messages(hub: Hub) -> None:
    """The audit trail's actor is cut to its column: a 100-character name files and decides."""
    name = "N" * 100
    with hub.store.session() as session:
        org = OrganisationRepository(session).create(name, utcnow())
        key = ApiKeyRepository(session).create(org, Role.FORWARDER, utcnow()).plaintext
    response = hub.client.post(
        "/v1/customs/messages", json=_export_e1(), headers={"X-API-Key": key}
    )
    assert response.status_code == 200, response.text
    assert response.json()["accepted"] == 4


def test_text_the_store_cannot_hold_refuses_only_its_message(hub: Hub) -> None:
    """NUL in an id, '/' in an id, a lone surrogate: that message is refused, the rest filed.

    On PostgreSQL the NUL had been a 500 losing the batch; a surrogate had been a 500 on
    both backends; an id with '/' had been filed but no API path could name it.
    """
    messages = _export_e1()
    nul = {**messages[0], "message_id": "N\u0000UL"}
    slash = {**messages[0], "message_id": "2025/E1-I"}
    body = (
        json.dumps([*messages, nul, slash])[:-1] + ', {"type": "order", "message_id": "S\\ud800"}]'
    )
    response = hub.post_text("/v1/customs/messages", body, role=Role.FORWARDER)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["accepted"] == len(messages)
    refused = answer["results"][len(messages) :]
    assert [r["accepted"] for r in refused] == [False, False, False]
    assert refused[0]["problems"][0]["code"] == "schema.bad_value"
    assert "control characters" in refused[0]["problems"][0]["message"]  # NUL is one
    assert "'/'" in refused[1]["problems"][0]["message"]
    assert refused[2]["message_id"] is None
    assert refused[2]["problems"][0]["code"] == "schema.invalid_json"


def test_a_decision_reason_with_nul_is_a_422(hub: Hub) -> None:
    """The reason goes to the audit trail, which PostgreSQL's text cannot give a NUL."""
    response = hub.post(
        "/v1/customs/inventories/E4-I/decision",
        {"decision": "inspection", "reason": "ok\u0000x"},
        role=Role.CUSTOMS_OFFICER,
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "body.reason"
