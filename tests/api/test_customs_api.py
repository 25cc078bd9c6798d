"""`/v1/customs`: batches answered per message, lists per tenant, decisions by officers only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from apihub import Hub
from silkhub.store import Role

MIXED_DAY = Path(__file__).parents[1] / "data" / "customs" / "mixed_day.jsonl"


def _day() -> list[Any]:
    lines = MIXED_DAY.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) if line.endswith("}") else None for line in lines]


def _orders(*order_nos: str) -> list[dict[str, Any]]:
    """The mixed day's messages of some orders (E1 clean export, I1 clean import, E4 battery)."""
    chosen: dict[str, dict[str, Any]] = {}
    for m in _day():
        if m is not None and m["order_no"] in order_nos:
            chosen.setdefault(m["message_id"], m)  # the day resends one receipt: keep the first
    return list(chosen.values())


def _submit(hub: Hub, messages: list[Any], org: str = "acme", role: Role = Role.FORWARDER) -> Any:
    response = hub.post("/v1/customs/messages", messages, org=org, role=role)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_clean_export_is_released_and_audited(hub: Hub) -> None:
    """Four messages, list first: released automatically, with a four-step audit trail."""
    answer = _submit(hub, _orders("E1"))
    assert (answer["accepted"], answer["rejected"]) == (4, 0)
    # list (declared), order (still no waybill), waybill (released), receipt (not matched)
    assert [r["state"] for r in answer["results"]] == ["declared", "declared", "released", None]
    listed = hub.get("/v1/customs/inventories?state=released", role=Role.FORWARDER).json()
    assert [i["id"] for i in listed["items"]] == ["E1-I"]
    assert listed["items"][0]["exporter"] == "4101960002"
    trail = hub.get("/v1/customs/inventories/E1-I/audit", role=Role.CUSTOMS_OFFICER).json()
    assert [(e["from_state"], e["to_state"]) for e in trail] == [
        (None, "declared"),
        ("declared", "matched"),
        ("matched", "risk_checked"),
        ("risk_checked", "released"),
    ]
    assert trail[0]["actor"] == f"acme/forwarder#{trail[0]['actor'].split('#')[1]}"
    assert trail[-1]["actor"] == "silkhub"


def test_a_batch_answers_each_message_and_keeps_the_good_ones(hub: Hub) -> None:
    """Errors as data: a broken message and a duplicate are refused, the rest filed."""
    messages = [*_orders("I1"), {"type": "order", "message_id": "BAD"}, _orders("I1")[0]]
    answer = _submit(hub, messages)
    assert (answer["accepted"], answer["rejected"]) == (4, 2)
    bad = answer["results"][4]
    assert (bad["index"], bad["message_id"], bad["accepted"]) == (4, "BAD", False)
    assert {p["code"] for p in bad["problems"]} == {"schema.missing_field"}
    assert answer["results"][5]["problems"][0]["code"] == "duplicate.message_id"
    record = hub.get("/v1/customs/inventories/I1-I", role=Role.FORWARDER).json()
    assert record["state"] == "released"
    assert record["tax"]["total"] == "76.09"


def test_a_batch_entry_that_is_not_an_object_refuses_only_itself(hub: Hub) -> None:
    """A number or a string in the list is one refused entry; the messages around it are filed."""
    messages = [*_orders("I1"), 5, "x"]
    answer = _submit(hub, messages)
    assert (answer["accepted"], answer["rejected"]) == (4, 2)
    for entry in answer["results"][4:]:
        assert (entry["accepted"], entry["message_id"]) == (False, None)
        assert [p["code"] for p in entry["problems"]] == ["schema.invalid_json"]
    record = hub.get("/v1/customs/inventories/I1-I", role=Role.FORWARDER).json()
    assert record["state"] == "released"


def test_held_list_is_released_by_an_officer_only(hub: Hub) -> None:
    """A lithium battery is held; forwarders and admins get 403; the officer decides."""
    _submit(hub, _orders("E4"))
    assert hub.get("/v1/customs/inventories/E4-I", role=Role.FORWARDER).json()["state"] == "held"
    decision = {"decision": "released", "reason": "UN 3481 paperwork checked"}
    for role in (Role.FORWARDER, Role.ADMIN, Role.SHIPPER):
        response = hub.post("/v1/customs/inventories/E4-I/decision", decision, role=role)
        assert response.status_code == 403
        assert response.headers["content-type"].startswith("application/problem+json")
    response = hub.post(
        "/v1/customs/inventories/E4-I/decision", decision, role=Role.CUSTOMS_OFFICER
    )
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "released"
    last = hub.get("/v1/customs/inventories/E4-I/audit", role=Role.CUSTOMS_OFFICER).json()[-1]
    assert (last["from_state"], last["to_state"], last["reason"]) == (
        "held",
        "released",
        "UN 3481 paperwork checked",
    )
    again = hub.post("/v1/customs/inventories/E4-I/decision", decision, role=Role.CUSTOMS_OFFICER)
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"decision": "matched", "reason": "x"}, 422),
        ({"decision": "released", "reason": "   "}, 422),
        ({"decision": "released"}, 422),
        ({"decision": "released", "reason": "x", "extra": 1}, 422),
    ],
)
def test_bad_decisions_are_422(hub: Hub, body: dict[str, Any], status: int) -> None:
    """A decision must be one of the four and carry a reason."""
    _submit(hub, _orders("E4"))
    response = hub.post("/v1/customs/inventories/E4-I/decision", body, role=Role.CUSTOMS_OFFICER)
    assert response.status_code == status


def test_a_state_that_is_no_decision_is_refused_naming_the_four(hub: Hub) -> None:
    """The 422 and the OpenAPI schema offer the four decisions, not every clearance state."""
    _submit(hub, _orders("E4"))
    body = {"decision": "declared", "reason": "x"}
    response = hub.post("/v1/customs/inventories/E4-I/decision", body, role=Role.CUSTOMS_OFFICER)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "body.decision"
    assert "'released', 'inspection', 'held' or 'rejected'" in error["reason"]
    schema = hub.client.get("/openapi.json").json()["components"]["schemas"]["DecisionIn"]
    assert schema["properties"]["decision"]["enum"] == [
        "released",
        "inspection",
        "held",
        "rejected",
    ]


def test_tenants_never_see_each_others_lists(hub: Hub) -> None:
    """Globex gets 404 for acme's list, its audit and a decision, and lists nothing of it."""
    _submit(hub, _orders("E1", "E4"))
    for url in ("/v1/customs/inventories/E1-I", "/v1/customs/inventories/E4-I/audit"):
        assert hub.get(url, org="globex", role=Role.CUSTOMS_OFFICER).status_code == 404
    decision = {"decision": "rejected", "reason": "not yours"}
    response = hub.post(
        "/v1/customs/inventories/E4-I/decision", decision, org="globex", role=Role.CUSTOMS_OFFICER
    )
    assert response.status_code == 404
    assert (
        hub.get("/v1/customs/inventories", org="globex", role=Role.FORWARDER).json()["total"] == 0
    )
    # The same message ids are no duplicates in another tenant.
    answer = _submit(hub, _orders("E1"), org="globex")
    assert answer["accepted"] == 4
    assert hub.get("/v1/customs/inventories/E4-I", role=Role.FORWARDER).json()["state"] == "held"


@pytest.mark.parametrize(
    ("method", "url", "role"),
    [
        ("post", "/v1/customs/messages", Role.CUSTOMS_OFFICER),
        ("post", "/v1/customs/messages", Role.TERMINAL_OPERATOR),
        ("get", "/v1/customs/inventories", Role.TERMINAL_OPERATOR),
        ("get", "/v1/customs/inventories", Role.PLANNER),
    ],
)
def test_roles_outside_customs_are_403(hub: Hub, method: str, url: str, role: Role) -> None:
    """Officers do not file messages; terminal operators and planners do not see lists."""
    if method == "post":
        response = hub.post(url, _orders("E1"), role=role)
    else:
        response = hub.get(url, role=role)
    assert response.status_code == 403


def test_batches_are_limited_and_must_be_a_list(hub: Hub) -> None:
    """An empty batch, an object instead of a list, or over 1,000 messages is a 422."""
    assert hub.post("/v1/customs/messages", [], role=Role.FORWARDER).status_code == 422
    assert (
        hub.post("/v1/customs/messages", {"type": "order"}, role=Role.FORWARDER).status_code == 422
    )
    too_many = [{"type": "order"}] * 1001
    assert hub.post("/v1/customs/messages", too_many, role=Role.FORWARDER).status_code == 422


def test_listing_filters_by_state_and_pages(hub: Hub) -> None:
    """?state= narrows the list; limit/offset page it with a next link."""
    _submit(hub, [*_orders("E1", "E4"), *_orders("I1")])
    everything = hub.get("/v1/customs/inventories?limit=2", role=Role.FORWARDER).json()
    assert everything["total"] == 3
    assert everything["next"] is not None
    held = hub.get("/v1/customs/inventories?state=held", role=Role.FORWARDER).json()
    assert [i["id"] for i in held["items"]] == ["E4-I"]
    assert hub.get("/v1/customs/inventories?state=lost", role=Role.FORWARDER).status_code == 422


def test_json_numbers_in_a_batch_are_read_exactly(hub: Hub) -> None:
    """A weight sent as a JSON number keeps every digit, as in a file (no binary float)."""
    messages = _orders("E1")
    body = json.dumps(messages).replace(
        '"net_weight_kg": "0.70"', '"net_weight_kg": 0.7000000000000000001'
    )
    assert "0.7000000000000000001" in body
    response = hub.post_text("/v1/customs/messages", body, role=Role.FORWARDER)
    assert response.status_code == 200, response.text
    record = hub.get("/v1/customs/inventories/E1-I", role=Role.FORWARDER).json()
    assert record["inventory"]["net_weight_kg"] == "0.7000000000000000001"


@pytest.mark.parametrize("list_first", [True, False])
def test_what_matching_finds_is_answered_to_the_message_that_completed_the_list(
    hub: Hub, list_first: bool
) -> None:
    """An order in USD for a list in EUR: the completing message's answer says why it failed."""
    messages = _orders("E1")
    for m in messages:
        if m["type"] == "order":
            m["currency"] = "USD"
    messages.sort(key=lambda m: (m["type"] != "inventory") == list_first)
    answer = _submit(hub, messages)
    (completing,) = [r for r in answer["results"] if r["state"] == "rejected"]
    assert completing["accepted"] is True  # the message itself is fine
    assert completing["problems"] == []
    assert [p["code"] for p in completing["list_problems"]] == ["match.amount_mismatch"]
    record = hub.get("/v1/customs/inventories/E1-I", role=Role.FORWARDER).json()
    assert "match.amount_mismatch" in {p["code"] for p in record["problems"]}


def test_a_nan_in_a_batch_refuses_only_its_message_and_keeps_the_others_exact(hub: Hub) -> None:
    """NaN (which Python's parser takes) is schema.invalid_json for its message, as in a file.

    It had sent the whole batch through binary floats (0.7000000000000000001 became 0.7) and
    answered its own message schema.missing_field.
    """
    messages = _orders("E1")
    body = json.dumps(messages).replace(
        '"net_weight_kg": "0.70"', '"net_weight_kg": 0.7000000000000000001'
    )
    body = body[:-1] + ', {"type": "order", "message_id": "X1", "goods_value": NaN}]'
    response = hub.post_text("/v1/customs/messages", body, role=Role.FORWARDER)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["accepted"] == len(messages)
    last = answer["results"][-1]
    assert (last["accepted"], last["problems"][0]["code"]) == (False, "schema.invalid_json")
    record = hub.get("/v1/customs/inventories/E1-I", role=Role.FORWARDER).json()
    assert record["inventory"]["net_weight_kg"] == "0.7000000000000000001"


@pytest.mark.parametrize(
    ("bad", "message_id"),
    [
        (b'{"type": "payment", "message_id": "BIG", "amount": ' + b"1" * 4301 + b"}", None),
        (b'{"type": "order", "message_id": "DEEP", "x": ' + b"[" * 995 + b"]" * 995 + b"}", None),
        (b"", None),  # "[..., ]": an empty last element
    ],
    ids=["4301-digit number", "nested 995 deep", "trailing comma"],
)
def test_a_message_python_cannot_parse_refuses_only_itself(
    hub: Hub, bad: bytes, message_id: str | None
) -> None:
    """As a line of a file: the bad element is schema.invalid_json, the others are filed.

    FastAPI's parser had refused the whole batch with one 422, so its good messages were lost.
    """
    messages = _orders("E1")
    body = json.dumps(messages).encode()[:-1] + b", " + bad + b"]"
    response = hub.client.post(
        "/v1/customs/messages",
        content=body,
        headers={**hub.headers(role=Role.FORWARDER), "content-type": "application/json"},
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["accepted"] == len(messages)
    last = answer["results"][-1]
    assert last["index"] == len(messages)
    assert (last["accepted"], last["message_id"]) == (False, message_id)
    assert [p["code"] for p in last["problems"]] == ["schema.invalid_json"]
    assert hub.get("/v1/customs/inventories/E1-I", role=Role.FORWARDER).status_code == 200


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"type": "order"}', "must be a JSON array of messages"),
        (b"[{}", "the batch's array is not closed"),
        (b"[{}] []", "text after the batch's array"),
        (b"[]", "must hold 1 to 1,000 messages, not 0"),
        # GBK: the second byte of 乗 is "\\", so where the strings end cannot be told
        ('[{"buyer_name": "乗"}, {"type": "order"}]'.encode("gbk"), "not UTF-8 text (byte 17)"),
        (b"[" + b"{}," * 1000 + b'{"x": NaN}]', "must hold 1 to 1,000 messages, not more"),
    ],
)
def test_a_body_that_is_no_batch_is_a_422_naming_the_body(
    hub: Hub, body: bytes, reason: str
) -> None:
    """No array, an unclosed one, text after it, or an empty one: 422 with the reason."""
    response = hub.client.post(
        "/v1/customs/messages",
        content=body,
        headers={**hub.headers(role=Role.FORWARDER), "content-type": "application/json"},
    )
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert error["field"] == "body"
    assert reason in error["reason"]


def test_a_batch_after_a_byte_order_mark_is_filed(hub: Hub) -> None:
    """A UTF-8 BOM before the array is skipped, as it was when FastAPI parsed the body."""
    body = b"\xef\xbb\xbf" + json.dumps(_orders("E1")).encode()
    response = hub.client.post(
        "/v1/customs/messages",
        content=body,
        headers={**hub.headers(role=Role.FORWARDER), "content-type": "application/json"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["accepted"] == len(_orders("E1"))
