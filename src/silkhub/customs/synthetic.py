"""Synthetic message files: complete orders with realistic defects, for demos and benchmarks.

Each order gives four lines (order, payment, waybill, inventory list). A share of them is
imported (B2C, CNY, with a buyer who shops again), the rest exported to Silk Road markets.
Lines of neighbouring orders are shuffled within a window, so a list may come before its
order (pre-declaration) — as on a real electronic port. With ``defect_rate`` > 0 a few
orders carry one of the defects customs brokers actually see; ``expected`` tells which.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import msgspec

__all__ = ["DEFECTS", "synthetic_lines"]

#: The defects ``synthetic_lines`` injects, each named by the code it should produce.
DEFECTS = (
    "hs_code.unknown",
    "country.unknown",
    "total.mismatch",
    "value.not_positive",
    "match.missing_waybill",
    "match.missing_payment",
    "match.amount_mismatch",
    "weight.discrepancy",
    "goods.restricted",
    "party.screening_hit",
    "limit.transaction",
    "duplicate.message_id",
    "schema.missing_field",
    "schema.bad_type",
    "schema.invalid_json",
)

_GOODS = (
    ("610910", "T-shirt, cotton", "C62", "45.00"),
    ("611020", "Pullover, cotton", "C62", "129.00"),
    ("640299", "Sports shoes", "PR", "259.00"),
    ("847130", "Laptop computer", "H87", "3899.00"),
    ("851762", "Wireless earbuds", "H87", "199.00"),
    ("950300", "Building-block toy", "SET", "89.90"),
    ("420222", "Handbag", "H87", "320.00"),
    ("330499", "Face cream", "BO", "158.00"),
    ("940360", "Wooden side table", "H87", "460.00"),
    ("852852", "Computer monitor", "H87", "899.00"),
)
#: B2C imports are small baskets: the per-transaction limit is 5,000 CNY.
_IMPORT_GOODS = tuple(g for g in _GOODS if Decimal(g[3]) < 500)
_EXPORT_MARKETS = (("ES", "EUR"), ("DE", "EUR"), ("BE", "EUR"), ("NO", "NOK"), ("GB", "GBP"),
                   ("HU", "EUR"), ("KZ", "USD"), ("UZ", "USD"), ("BD", "USD"), ("US", "USD"))  # fmt: skip
_NAMES = ("Lucía García", "Jonas Berg", "Emma Peeters", "Oliver Smith", "Anna Kovács",
          "Aigerim Sadykova", "Rahim Uddin", "Mia Schneider", "Ola Nordmann", "Sara Lopez")  # fmt: skip


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def _order_messages(n: int, rng: random.Random, defect: str | None) -> list[dict[str, Any]]:
    is_import = rng.random() < 0.3 or defect in {"match.missing_payment", "limit.transaction"}
    direction = "import" if is_import else "export"
    order_no = f"ZZ{n:010d}"
    items: list[dict[str, Any]] = []
    total = Decimal(0)
    for gnum in range(1, rng.choice((1, 1, 2, 3)) + 1):
        hs, name, unit, price = rng.choice(_IMPORT_GOODS if is_import else _GOODS)
        qty = rng.randint(1, 2 if is_import else 3)
        line_total = Decimal(price) * qty
        total += line_total
        items.append(
            {"gnum": gnum, "item_no": f"SKU-{hs}-{gnum}", "item_name": name,
             "hs_code": hs + rng.choice(("", "00", "0000")), "qty": qty, "unit": unit,
             "price": price, "total_price": _money(line_total),
             "origin_country": "CN" if not is_import else rng.choice(("JP", "KR", "DE", "FR", "AU"))}
        )  # fmt: skip
    if defect == "limit.transaction":
        items = [dict(items[0], qty=2, price="3899.00", total_price="7798.00", hs_code="847130")]
        total = Decimal("7798.00")
    if is_import:
        country, currency = "CN", "CNY"
        buyer = f"B{rng.randint(0, max(1, n // 3)):08d}"
    else:
        country, currency = rng.choice(_EXPORT_MARKETS)
        buyer = f"X{n:08d}"
    freight = Decimal(rng.choice(("0", "12.00", "25.50")))
    gross = Decimal(rng.randint(3, 60)) / 10
    name = rng.choice(_NAMES)
    common = {"direction": direction, "order_no": order_no}
    order: dict[str, Any] = {"type": "order", "message_id": f"{order_no}-O", **common,
             "mode": rng.choice(("9610", "1210")) if is_import else rng.choice(("9610", "9610", "9710", "9810")),
             "ebp_code": "4101960001", "ebc_code": f"41019{n % 50:05d}", "buyer_id": buyer,
             "buyer_name": name, "goods_value": _money(total), "freight": _money(freight),
             "currency": currency, "items": items}  # fmt: skip
    payment: dict[str, Any] = {"type": "payment", "message_id": f"{order_no}-P", **common,
               "pay_code": "31222699S7", "pay_transaction_id": f"PAY{n:012d}",
               "amount": _money(total + freight), "currency": currency, "payer_id": buyer}  # fmt: skip
    logistics_no = f"CGO{n:010d}"
    waybill: dict[str, Any] = {"type": "waybill", "message_id": f"{order_no}-W", **common,
               "logistics_code": "4101980001", "logistics_no": logistics_no,
               "consignee_name": name, "consignee_country": country,
               "gross_weight_kg": str(gross), "pieces": 1, "measured_kg": str(gross),
               "transport_mode": "air", "consignee_address": "1 Example Street",
               "consignor_name": "Henan Example Export Co.", "consignor_address": "Zhengzhou",
               "goods_description": items[0]["item_name"], "awb_no": f"999-{n % 10**8:08d}"}  # fmt: skip
    inventory: dict[str, Any] = {"type": "inventory", "message_id": f"{order_no}-I", **common,
                 "mode": order["mode"], "cop_no": f"COP{n:010d}", "logistics_no": logistics_no,
                 "port_code": "4604", "destination_country": country,
                 "gross_weight_kg": str(gross), "net_weight_kg": str(gross * Decimal("0.9")),
                 "total_value": _money(total), "currency": currency, "items": items,
                 "declared_on": "2026-11-23"}  # fmt: skip
    messages = [order, payment, waybill, inventory]
    if defect == "hs_code.unknown":
        inventory["items"] = [dict(items[0], hs_code="999999"), *items[1:]]
    elif defect == "country.unknown":
        waybill["consignee_country"] = "XX"
    elif defect == "total.mismatch":
        order["goods_value"] = _money(total + 10)
    elif defect == "value.not_positive":
        waybill["pieces"] = 0
    elif defect == "match.missing_waybill":
        messages.remove(waybill)
    elif defect == "match.missing_payment":
        messages.remove(payment)
    elif defect == "match.amount_mismatch":
        payment["amount"] = _money(total + freight + 5)
        if not is_import:  # export receipts are not matched: the list disagrees instead
            first = items[0]
            bigger = dict(first, qty=first["qty"] + 1, total_price=_money(Decimal(first["total_price"]) + Decimal(first["price"])))  # fmt: skip
            inventory["items"] = [bigger, *items[1:]]
            inventory["total_value"] = _money(total + Decimal(first["price"]))
    elif defect == "weight.discrepancy":
        waybill["measured_kg"] = str(gross + 3)
    elif defect == "goods.restricted":
        inventory["items"] = [dict(items[0], hs_code="850760"), *items[1:]]
    elif defect == "party.screening_hit":
        waybill["consignee_name"] = "Rogue Freight Trading Limited"
    elif defect == "duplicate.message_id":
        messages.append(dict(payment))
    return messages


def synthetic_lines(
    orders: int, *, seed: int, defect_rate: float = 0.03, window: int = 512
) -> Iterator[tuple[bytes, str | None]]:
    """(line, defect of its order or None) for ``orders`` complete orders.

    ``window`` orders' lines are shuffled together (seeded), so partners arrive out of order
    but close to each other, as on a live port; memory stays small for any ``orders``.
    """
    rng = random.Random(seed)
    encode = msgspec.json.encode
    chunk: list[tuple[bytes, str | None]] = []
    for n in range(orders):
        defect = rng.choice(DEFECTS) if rng.random() < defect_rate else None
        messages = _order_messages(n, rng, defect)
        lines = [encode(m) for m in messages]
        if defect == "schema.missing_field":
            del messages[0]["buyer_id"]
            lines[0] = encode(messages[0])
        elif defect == "schema.bad_type":
            messages[0]["goods_value"] = [1]
            lines[0] = encode(messages[0])
        elif defect == "schema.invalid_json":
            lines[1] = lines[1][:-7]
        chunk.extend((line, defect) for line in lines)
        if n % window == window - 1:
            rng.shuffle(chunk)
            yield from chunk
            chunk = []
    rng.shuffle(chunk)
    yield from chunk
