"""Reading JSON lines: good lines become messages, bad ones every problem with its field."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import msgspec
import pytest
from customs_builders import export_set, import_set, item

from silkhub.customs import (
    CustomsMode,
    Direction,
    Inventory,
    Item,
    Order,
    message_to_json,
    parse_message,
    read_jsonl,
)


def test_a_good_order_line_becomes_an_order() -> None:
    """Fields, enums and exact decimals come through; numbers may be JSON numbers or text."""
    line = msgspec.json.encode(export_set()["order"])
    message, problems = parse_message(line)
    assert problems == []
    assert isinstance(message, Order)
    assert message.direction is Direction.EXPORT
    assert message.mode is CustomsMode.DIRECT
    assert message.goods_value == Decimal("100.00")
    assert message.items[0].qty == Decimal(2)


@pytest.mark.parametrize("kind", ["order", "payment", "waybill", "inventory"])
def test_every_kind_round_trips_through_json(kind: str) -> None:
    """message_to_json writes what parse_message reads back to an equal message."""
    for messages in (export_set(), import_set()):
        message, problems = parse_message(msgspec.json.encode(messages[kind]))
        assert problems == []
        assert message is not None
        again, _ = parse_message(message_to_json(message))
        assert again == message


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b'{"type": "order", "message_id": ', [("schema.invalid_json", "")]),
        (b"[1, 2]", [("schema.invalid_json", "")]),
        (b"\xff\xfe not utf-8", [("schema.invalid_json", "")]),
        # valid JSON around a Latin-1 byte: msgspec raises UnicodeDecodeError, not DecodeError
        (b'{"type": "order", "message_id": "caf\xe9"}', [("schema.invalid_json", "")]),
        (b'{"message_id": "x"}', [("schema.missing_field", "type")]),
        (b'{"type": "invoice"}', [("schema.bad_value", "type")]),
        (b'{"type": 7}', [("schema.bad_type", "type")]),
    ],
)
def test_lines_that_are_not_messages(line: bytes, expected: list[tuple[str, str]]) -> None:
    """Broken JSON, a non-object or an unknown type is one problem for the whole line."""
    message, problems = parse_message(line)
    assert message is None
    assert [(p.code, p.field) for p in problems] == expected


def test_every_missing_and_mistyped_field_is_listed() -> None:
    """The slow path names every problem of a bad line with its path, not just the first."""
    order = export_set()["order"]
    del order["buyer_id"]
    order["goods_value"] = "a lot"
    order["direction"] = "outbound"
    order["items"] = [item(qty=True), item(gnum=3, hs_code=610910)]
    message, problems = parse_message(msgspec.json.encode(order))
    assert message is None
    assert {(p.code, p.field) for p in problems} == {
        ("schema.missing_field", "buyer_id"),
        ("schema.bad_type", "goods_value"),
        ("schema.bad_value", "direction"),
        ("schema.bad_type", "items[0].qty"),
        ("schema.bad_type", "items[1].hs_code"),
        ("schema.bad_value", "items[1].gnum"),
    }


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"message_id": ""}, "message_id", "schema.missing_field"),
        ({"items": []}, "items", "schema.missing_field"),
        ({"items": "T-shirts"}, "items", "schema.bad_type"),
        ({"declared_on": "23/11/2026"}, "declared_on", "schema.bad_value"),
        ({"declared_on": 20261123}, "declared_on", "schema.bad_type"),
        ({"ceb": {"note": 1}}, "ceb", "schema.bad_type"),
        ({"net_weight_kg": None}, "net_weight_kg", "schema.missing_field"),
        # so large that Decimal arithmetic on it would overflow
        ({"total_value": "1e999999999"}, "total_value", "schema.bad_value"),
        ({"gross_weight_kg": 1e300}, "gross_weight_kg", "schema.bad_value"),
        ({"items": [item(qty="1e600000")]}, "items[0].qty", "schema.bad_value"),
        # null where the field may only be left out (msgspec's own wording had said "Expected
        # `str`, got `null`" under schema.bad_value)
        ({"ceb": None}, "ceb", "schema.bad_type"),
        # longer than the store's id columns (PostgreSQL would refuse it)
        ({"message_id": "I" * 101}, "message_id", "schema.bad_value"),
        ({"order_no": "O" * 101}, "order_no", "schema.bad_value"),
    ],
)
def test_field_problems_on_an_inventory(change: dict[str, object], field: str, code: str) -> None:
    """Empty, null, wrongly typed or unparseable values each give their code and field."""
    inventory = {**export_set()["inventory"], **change}
    message, problems = parse_message(msgspec.json.encode(inventory))
    assert message is None
    assert (code, field) in {(p.code, p.field) for p in problems}


def test_non_finite_numbers_are_bad_values() -> None:
    """NaN parses as a Decimal but the checks refuse it (schema.bad_value)."""
    from customs_builders import run

    messages = export_set(inventory={"gross_weight_kg": "NaN"})
    verdicts = run(*messages.values())
    assert ("schema.bad_value", "gross_weight_kg") in {
        (p.code, p.field) for p in verdicts["E1-I"].problems
    }


def test_message_invariants_guard_code_that_builds_messages() -> None:
    """Building a message by hand with a float or a gap in the numbering is a programming error."""
    one = Decimal(1)
    with pytest.raises(TypeError, match="must be a Decimal"):
        Item(1, "SKU", "T-shirt", "610910", 1.0, "C62", one, one, "CN")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="non-empty string"):
        Item(1, "", "T-shirt", "610910", one, "C62", one, one, "CN")
    second = Item(2, "SKU", "T-shirt", "610910", one, "C62", one, one, "CN")
    with pytest.raises(ValueError, match="numbered 1, 2, 3"):
        Inventory("I", Direction.EXPORT, "O", CustomsMode.DIRECT, "C", "L", "4604", "ES",
                  one, one, one, "EUR", (second,))  # fmt: skip


def test_read_jsonl_streams_a_file_with_line_numbers(mixed_day_file: Path) -> None:
    """Each non-blank line comes with its number; bad lines carry problems, not exceptions."""
    rows = list(read_jsonl(mixed_day_file))
    assert len(rows) == 19
    bad = [(number, problems[0].code) for number, message, problems in rows if message is None]
    assert bad == [(11, "schema.invalid_json")]


def test_ids_of_100_characters_are_kept_and_longer_ones_refused() -> None:
    """The limit is the store's: 100 characters pass, on every kind that carries the id."""
    for kind, message in export_set().items():
        at_limit = {**message, "message_id": "M" * 100}
        assert parse_message(msgspec.json.encode(at_limit))[0] is not None, kind
    order = export_set()["order"]
    for field in ("ebc_code", "buyer_id"):
        _, problems = parse_message(msgspec.json.encode({**order, field: "E" * 101}))
        assert [(p.code, p.field) for p in problems] == [("schema.bad_value", field)]


def test_null_is_the_field_left_out_only_where_the_field_may_be_null() -> None:
    """``declared_on`` and ``measured_kg`` may be null; a text field such as ``awb_no`` may not."""
    inventory = {**export_set()["inventory"], "declared_on": None}
    assert parse_message(msgspec.json.encode(inventory))[1] == []
    waybill = {**export_set()["waybill"], "measured_kg": None}
    assert parse_message(msgspec.json.encode(waybill))[1] == []
    _, problems = parse_message(msgspec.json.encode({**export_set()["waybill"], "awb_no": None}))
    assert [(p.code, p.field, p.message) for p in problems] == [
        ("schema.bad_type", "awb_no", "must not be null (leave the field out)")
    ]


def test_an_escaped_backslash_before_u0000_is_text_not_nul() -> None:
    """An escaped backslash followed by the text u0000 is kept as written; a NUL is refused."""
    order = {**export_set()["order"], "buyer_name": "back\\u0000slash"}
    message, problems = parse_message(msgspec.json.encode(order))
    assert problems == []
    assert message is not None
    assert message.buyer_name == "back\\u0000slash"
    nul = {**export_set()["order"], "buyer_name": "nul\u0000"}
    assert [(p.code, p.field) for p in parse_message(msgspec.json.encode(nul))[1]] == [
        ("schema.bad_value", "buyer_name")
    ]


@pytest.mark.parametrize(("pieces", "ok"), [(999_999_999, True), (10**9, False), (10**40, False)])
def test_pieces_fit_the_ceb_pack_number(pieces: int, ok: bool) -> None:
    """A waybill counts at most 999,999,999 parcels: the CEB packNo is an int of 9 digits.

    10**40 had been accepted, and write_ceb then wrote a document the XSD refuses.
    """
    waybill = dict(export_set()["waybill"], pieces=pieces)
    message, problems = parse_message(msgspec.json.encode(waybill))
    if ok:
        assert problems == []
        assert message is not None
    else:
        assert message is None
        assert [(p.code, p.field) for p in problems] == [("schema.bad_value", "pieces")]
        assert "packNo" in problems[0].message


@pytest.mark.parametrize("field", ["message_id", "order_no"])
@pytest.mark.parametrize("char", ["\t", "\r", "\x7f"])
def test_a_control_character_in_an_id_an_api_path_names_is_refused(field: str, char: str) -> None:
    """A list id with a TAB had been filed, but no API path could name it (GET answered 422)."""
    inventory = dict(export_set()["inventory"])
    inventory[field] = f"E1{char}I"
    message, problems = parse_message(msgspec.json.encode(inventory))
    assert message is None
    assert [(p.code, p.field) for p in problems] == [("schema.bad_value", field)]
    assert "control characters" in problems[0].message
