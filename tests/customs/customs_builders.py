"""Builders of valid customs messages: each test takes a clean set and breaks one thing."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import msgspec

from silkhub.customs import LineVerdict, validate_lines

DATA = Path(__file__).parents[1] / "data" / "customs"
STANDARDS = Path(__file__).parents[2] / ".." / "shared" / "standards"
AS_OF = date(2026, 11, 23)

Msg = dict[str, Any]


def item(**changes: Any) -> Msg:
    """A T-shirt line: 2 × 50.00 = 100.00."""
    base: Msg = {
        "gnum": 1,
        "item_no": "SKU-TS-1",
        "item_name": "T-shirt, cotton",
        "hs_code": "6109100000",
        "qty": 2,
        "unit": "C62",
        "price": "50.00",
        "total_price": "100.00",
        "origin_country": "CN",
    }
    return {**base, **changes}


def export_set(order_no: str = "E1", **kind_changes: Msg) -> dict[str, Msg]:
    """A complete, clean 9610 export to Madrid by air: order, receipt, waybill, list."""
    common = {"direction": "export", "order_no": order_no}
    messages: dict[str, Msg] = {
        "order": {"type": "order", "message_id": f"{order_no}-O", **common, "mode": "9610",
                  "ebp_code": "4101960001", "ebc_code": "4101960002", "buyer_id": "ES-77",
                  "buyer_name": "Lucía García", "goods_value": "100.00", "freight": "10.00",
                  "currency": "EUR", "items": [item()]},
        "payment": {"type": "payment", "message_id": f"{order_no}-P", **common,
                    "pay_code": "31222699S7", "pay_transaction_id": f"PAY-{order_no}",
                    "amount": "110.00", "currency": "EUR", "payer_id": "ES-77"},
        "waybill": {"type": "waybill", "message_id": f"{order_no}-W", **common,
                    "logistics_code": "4101980001", "logistics_no": f"CGO{order_no}",
                    "consignee_name": "Lucía García", "consignee_country": "ES",
                    "gross_weight_kg": "0.80", "pieces": 1, "measured_kg": "0.82",
                    "transport_mode": "air", "consignee_address": "Calle Mayor 1, Madrid",
                    "consignor_name": "Henan Example Export Co.",
                    "consignor_address": "Zhengzhou Airport Economy Zone",
                    "goods_description": "cotton T-shirts", "awb_no": "999-12345675"},
        "inventory": {"type": "inventory", "message_id": f"{order_no}-I", **common,
                      "mode": "9610", "cop_no": f"COP-{order_no}", "logistics_no": f"CGO{order_no}",
                      "port_code": "4604", "destination_country": "ES", "gross_weight_kg": "0.80",
                      "net_weight_kg": "0.70", "total_value": "100.00", "currency": "EUR",
                      "items": [item()], "declared_on": "2026-11-20"},
    }  # fmt: skip
    return _apply(messages, kind_changes)


def import_set(order_no: str = "I1", **kind_changes: Msg) -> dict[str, Msg]:
    """A complete, clean 1210 bonded import for a buyer in Zhengzhou (CNY, 330.00)."""
    common = {"direction": "import", "order_no": order_no}
    face_cream = item(item_no="SKU-FC", item_name="Face cream", hs_code="3304990000",
                      qty=2, unit="BO", price="150.00", total_price="300.00", origin_country="FR")  # fmt: skip
    messages: dict[str, Msg] = {
        "order": {"type": "order", "message_id": f"{order_no}-O", **common, "mode": "1210",
                  "ebp_code": "4101960001", "ebc_code": "4101960003", "buyer_id": "CN-410100-1",
                  "buyer_name": "Wang Fang", "goods_value": "300.00", "freight": "30.00",
                  "currency": "CNY", "items": [face_cream]},
        "payment": {"type": "payment", "message_id": f"{order_no}-P", **common,
                    "pay_code": "31222699S7", "pay_transaction_id": f"PAY-{order_no}",
                    "amount": "330.00", "currency": "CNY", "payer_id": "CN-410100-1"},
        "waybill": {"type": "waybill", "message_id": f"{order_no}-W", **common,
                    "logistics_code": "4101980001", "logistics_no": f"ZZ{order_no}",
                    "consignee_name": "Wang Fang", "consignee_country": "CN",
                    "gross_weight_kg": "0.50", "pieces": 1, "transport_mode": "road"},
        "inventory": {"type": "inventory", "message_id": f"{order_no}-I", **common,
                      "mode": "1210", "cop_no": f"COP-{order_no}", "logistics_no": f"ZZ{order_no}",
                      "port_code": "4612", "destination_country": "CN", "gross_weight_kg": "0.50",
                      "net_weight_kg": "0.40", "total_value": "300.00", "currency": "CNY",
                      "items": [face_cream], "declared_on": "2026-11-20"},
    }  # fmt: skip
    return _apply(messages, kind_changes)


def _apply(messages: dict[str, Msg], changes: dict[str, Msg]) -> dict[str, Msg]:
    messages = copy.deepcopy(messages)
    for kind, change in changes.items():
        messages[kind].update(change)
    return messages


def encode(*messages: Msg) -> list[bytes]:
    """The JSON lines of some messages."""
    return [msgspec.json.encode(m) for m in messages]


def run(*messages: Msg) -> dict[str, LineVerdict]:
    """Validate messages as a file (in this order); verdicts by message_id (or line)."""
    verdicts, _ = validate_lines(encode(*messages), as_of=AS_OF)
    return {v.message_id or f"line {v.line}": v for v in verdicts}


def codes(verdict: LineVerdict | None) -> set[str]:
    """The problem codes of a verdict (none for a line without problems)."""
    return {p.code for p in verdict.problems} if verdict else set()
