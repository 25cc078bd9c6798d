"""Three-order matching: compact facts kept per open order, and the cross-message checks.

A file of millions of lines cannot keep its messages: only the few facts matching needs are
kept per order until its inventory list can be decided — plain tuples of strings, ints and
Decimals, not message objects (docs/customs.md, "Memory model").
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from silkhub.customs._checks import Checker
from silkhub.customs.messages import CustomsMode, Direction, Inventory, Order, Payment, Waybill
from silkhub.customs.problems import Problem
from silkhub.customs.rules import Action, RuleSet
from silkhub.customs.verdicts import ClearanceState


class OrderFacts(NamedTuple):
    """What matching needs of an order."""

    line: int
    message_id: str
    direction: Direction
    mode: CustomsMode
    buyer_id: str
    goods_value: Decimal
    freight: Decimal
    currency: str
    ebc_code: str
    action: Action | None


class PaymentFacts(NamedTuple):
    """What matching needs of a payment."""

    line: int
    message_id: str
    amount: Decimal
    currency: str
    action: Action | None


class WaybillFacts(NamedTuple):
    """What matching needs of a waybill (``ics2_missing``: 7+1 elements it lacks, if in scope)."""

    line: int
    message_id: str
    logistics_no: str
    ics2_missing: tuple[str, ...]
    ics2_scope: bool
    consignee_country: str
    action: Action | None
    direction: Direction


class InventoryFacts(NamedTuple):
    """What matching needs of an inventory list, with its own problems so far."""

    line: int
    message_id: str
    direction: Direction
    mode: CustomsMode
    logistics_no: str
    total_value: Decimal
    currency: str
    short_hs: tuple[str, ...]
    declared_on: date | None
    action: Action | None
    problems: tuple[Problem, ...]


#: ``tuple.__new__(Facts, values)`` builds a NamedTuple without its Python-level __new__:
#: these are made once per message of a bulk run.
_new = tuple.__new__


def order_facts(line: int, o: Order, action: Action | None) -> OrderFacts:
    """The facts of an order."""
    return _new(OrderFacts, (
        line, o.message_id, o.direction, o.mode, o.buyer_id, o.goods_value, o.freight,
        o.currency, o.ebc_code, action,
    ))  # fmt: skip


def payment_facts(line: int, p: Payment, action: Action | None) -> PaymentFacts:
    """The facts of a payment."""
    return _new(PaymentFacts, (line, p.message_id, p.amount, p.currency, action))


def waybill_facts(line: int, w: Waybill, action: Action | None, checker: Checker) -> WaybillFacts:
    """The facts of a waybill, with its ICS2 gaps worked out once."""
    scope = checker.ics2_in_scope(w)
    return _new(WaybillFacts, (
        line, w.message_id, w.logistics_no, checker.ics2_missing(w) if scope else (), scope,
        w.consignee_country, action, w.direction,
    ))  # fmt: skip


def inventory_facts(
    line: int, i: Inventory, action: Action | None, problems: list[Problem], min_hs: int
) -> InventoryFacts:
    """The facts of an inventory list."""
    short = (
        tuple(item.hs_code for item in i.items if len(item.hs_code) < min_hs) if min_hs > 6 else ()
    )
    return _new(InventoryFacts, (
        line, i.message_id, i.direction, i.mode, i.logistics_no, i.total_value, i.currency,
        short, i.declared_on, action, tuple(problems),
    ))  # fmt: skip


def where(facts: OrderFacts | PaymentFacts | WaybillFacts | InventoryFacts) -> str:
    """How a problem names another message: its id, and its line when read from a file."""
    return f"{facts.message_id} (line {facts.line})" if facts.line else facts.message_id


def needs_payment(inventory: InventoryFacts) -> bool:
    """Imports are released only against a payment; export receipts are not matched."""
    return inventory.direction is Direction.IMPORT


def is_b2c_import(inventory: InventoryFacts | Inventory, rules: RuleSet) -> bool:
    """Whether the B2C import limits and import tax apply to this list."""
    return (
        inventory.direction is Direction.IMPORT
        and inventory.mode in rules.thresholds.b2c_import_modes
    )


def missing_problems(
    inventory: InventoryFacts,
    order: OrderFacts | None,
    payment: PaymentFacts | None,
    waybill: WaybillFacts | None,
    notes: dict[str, str] | None = None,
) -> list[Problem]:
    """``match.missing_*`` for each partner the list still waits for."""
    problems: list[Problem] = []
    if (
        order is not None
        and waybill is not None
        and waybill.logistics_no == inventory.logistics_no
        and (payment is not None or not needs_payment(inventory))
    ):
        return problems  # the common case: nothing is missing
    notes = notes or {}
    if order is None:
        problems.append(
            Problem(
                "match.missing_order",
                "order_no",
                "no valid order with this order_no" + notes.get("order", ""),
            )
        )
    if payment is None and needs_payment(inventory):
        problems.append(
            Problem(
                "match.missing_payment",
                "order_no",
                "no valid payment for this import order" + notes.get("payment", ""),
            )
        )
    if waybill is None:
        problems.append(
            Problem(
                "match.missing_waybill",
                "logistics_no",
                f"no valid waybill for this order_no{notes.get('waybill', '')}",
            )
        )
    elif waybill.logistics_no != inventory.logistics_no:
        problems.append(
            Problem(
                "match.missing_waybill",
                "logistics_no",
                f"no waybill {inventory.logistics_no} for this order: the order's waybill "
                f"{where(waybill)} is {waybill.logistics_no}",
            )
        )
    return problems


def cross_check(
    inventory: InventoryFacts,
    order: OrderFacts,
    payment: PaymentFacts | None,
    waybill: WaybillFacts,
    rules: RuleSet,
) -> list[Problem]:
    """The problems between a complete set of messages (amounts, limits, ICS2)."""
    problems: list[Problem] = []
    tolerance = rules.thresholds.total_tolerance
    if order.direction is not inventory.direction or order.mode is not inventory.mode:
        problems.append(
            Problem(
                "match.order_mismatch",
                "mode",
                f"order {where(order)} is a {order.direction} under {order.mode}, the list a "
                f"{inventory.direction} under {inventory.mode}",
            )
        )
    if waybill.direction is not inventory.direction:
        problems.append(
            Problem(
                "match.order_mismatch",
                "direction",
                f"waybill {where(waybill)} is for an {waybill.direction}, the list for an "
                f"{inventory.direction}",
            )
        )
    if payment is not None and needs_payment(inventory):
        due = order.goods_value + order.freight
        if payment.currency != order.currency or abs(payment.amount - due) > tolerance:
            problems.append(
                Problem(
                    "match.amount_mismatch",
                    "order_no",
                    f"payment {where(payment)} is {payment.amount} {payment.currency}, "
                    f"order {where(order)} is due {due} {order.currency} "
                    f"(goods_value + freight)",
                )
            )
    if (
        inventory.currency != order.currency
        or abs(inventory.total_value - order.goods_value) > tolerance
    ):
        problems.append(
            Problem(
                "match.amount_mismatch",
                "total_value",
                f"the list's total_value {inventory.total_value} {inventory.currency} is not the "
                f"goods_value {order.goods_value} {order.currency} of order {where(order)}",
            )
        )
    if (
        is_b2c_import(inventory, rules)
        and order.goods_value > rules.thresholds.transaction_limit_cny
    ):
        problems.append(
            Problem(
                "limit.transaction",
                "total_value",
                f"B2C import order of {order.goods_value} CNY is over the "
                f"{rules.thresholds.transaction_limit_cny} CNY limit per transaction",
            )
        )
    if waybill.ics2_scope and (waybill.ics2_missing or inventory.short_hs):
        gaps = list(waybill.ics2_missing)
        if inventory.short_hs:
            gaps.append(
                f"HS codes of {rules.ics2_hs_min_digits}+ digits ({', '.join(inventory.short_hs)})"
            )
        problems.append(
            Problem(
                "ics2.incomplete",
                "logistics_no",
                f"air shipment to {waybill.consignee_country} lacks ICS2 pre-loading data "
                f"(waybill {where(waybill)}): {', '.join(gaps)}",
            )
        )
    return problems


def decide(actions: list[Action | None]) -> ClearanceState:
    """The state a list takes from the actions of every problem that concerns it.

    Rejection wins; then a list still waiting for a partner stays declared; then the
    strongest risk action; no action at all means low risk: released.
    """
    present = {a for a in actions if a is not None}
    if Action.REJECT in present:
        return ClearanceState.REJECTED
    if Action.PENDING in present:
        return ClearanceState.DECLARED
    if Action.HOLD in present:
        return ClearanceState.HELD
    if Action.INSPECT in present:
        return ClearanceState.INSPECTION
    return ClearanceState.RELEASED
