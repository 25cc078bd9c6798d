"""The clearance lifecycle: states, the audit log, officers' decisions, tax and summaries."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import msgspec
import pytest
from customs_builders import AS_OF, Msg, codes, encode, export_set, import_set, item, run

from silkhub.customs import (
    SYSTEM_ACTOR,
    Clearance,
    ClearanceState,
    InMemoryClearanceRepository,
    ManualClock,
    Message,
    TransitionError,
    UnknownInventoryError,
    import_tax,
    monthly_summary,
    parse_message,
    validate_lines,
)

S = ClearanceState
T0 = datetime(2026, 11, 20, 1, 30, tzinfo=UTC)  # 09:30 in Zhengzhou


def messages(*raw: Msg) -> list[Message]:
    parsed = [parse_message(msgspec.json.encode(m))[0] for m in raw]
    assert all(m is not None for m in parsed)
    return [m for m in parsed if m is not None]


@pytest.fixture
def clock() -> ManualClock:
    """A clock set to 20 Nov 2026, 09:30 China time."""
    return ManualClock(T0)


@pytest.fixture
def clearance(clock: ManualClock) -> Clearance:
    """A clearance service on an empty in-memory repository."""
    return Clearance(InMemoryClearanceRepository(), clock=clock)


def test_pre_declared_list_waits_then_is_released_with_a_full_audit(
    clearance: Clearance, clock: ManualClock
) -> None:
    """List first (declared), partners two days later: matched, risk-checked, released."""
    e = export_set()
    [result] = clearance.submit(messages(e["inventory"]), actor="broker-1")
    assert (result.accepted, result.state) == (True, S.DECLARED)
    assert {p.code for p in clearance.waiting_for("E1-I")} == {
        "match.missing_order",
        "match.missing_waybill",
    }
    clock.set(T0 + timedelta(days=2))
    results = clearance.submit(messages(e["order"], e["waybill"]), actor="broker-1")
    assert results[-1].state is S.RELEASED
    trail = clearance.audit_trail("E1-I")
    assert [(a.from_state, a.to_state) for a in trail] == [
        (None, S.DECLARED),
        (S.DECLARED, S.MATCHED),
        (S.MATCHED, S.RISK_CHECKED),
        (S.RISK_CHECKED, S.RELEASED),
    ]
    assert trail[0].at == T0
    assert trail[-1].at == T0 + timedelta(days=2)
    assert trail[-1].actor == SYSTEM_ACTOR
    assert trail[-1].reason == "low risk: no rule hit"
    assert [a.sequence for a in trail] == [1, 2, 3, 4]
    assert all(a.rules_version == clearance.rules.version for a in trail)
    assert clearance.waiting_for("E1-I") == []


def test_risky_list_is_held_and_an_officer_releases_it(clearance: Clearance) -> None:
    """A lithium battery is held; the officer's release is audited with their reason."""
    battery = item(hs_code="8507600000", unit="H87")
    e = export_set(order={"items": [battery]}, inventory={"items": [battery]})
    clearance.submit(messages(*e.values()), actor="broker-1")
    assert clearance.inventory("E1-I").state is S.HELD
    assert [r.inventory_id for r in clearance.inventories(S.HELD)] == ["E1-I"]
    record = clearance.decide(
        "E1-I", S.RELEASED, actor="officer-7", reason="UN 3481 paperwork seen"
    )
    assert record.state is S.RELEASED
    last = clearance.audit_trail("E1-I")[-1]
    assert (last.actor, last.reason, last.from_state) == (
        "officer-7",
        "UN 3481 paperwork seen",
        S.HELD,
    )


@pytest.mark.parametrize(
    ("start_change", "decision"),
    [
        ({}, S.HELD),  # released is final
        ({"waybill": {"pieces": 0}}, S.RELEASED),  # declared: not matched yet
        # a declared list cannot be held either: held → released would skip the three-order
        # match, the annual limit and the import tax
        ({"waybill": {"pieces": 0}}, S.HELD),
        ({"waybill": {"pieces": 0}}, S.REJECTED),
    ],
)
def test_officers_cannot_skip_the_lifecycle(
    clearance: Clearance, start_change: dict[str, Msg], decision: ClearanceState
) -> None:
    """Moves outside the lifecycle are refused with TransitionError."""
    clearance.submit(messages(*export_set(**start_change).values()), actor="broker-1")
    with pytest.raises(TransitionError):
        clearance.decide("E1-I", decision, actor="officer-7", reason="try")


def test_decisions_need_a_known_list_and_a_reason(clearance: Clearance) -> None:
    """An unknown id and an empty reason are refused."""
    with pytest.raises(UnknownInventoryError):
        clearance.decide("NOPE", S.RELEASED, actor="officer-7", reason="x")
    clearance.submit(messages(*export_set().values()), actor="broker-1")
    with pytest.raises(ValueError, match="reason"):
        clearance.decide("E1-I", S.REJECTED, actor="officer-7", reason=" ")
    with pytest.raises(TransitionError):
        clearance.decide("E1-I", S.MATCHED, actor="officer-7", reason="x")


def test_bad_messages_are_refused_and_the_batch_goes_on(clearance: Clearance) -> None:
    """Errors as data: a bad order is refused with its problems, the others are filed."""
    e = export_set(order={"goods_value": "99.00"})
    results = clearance.submit(messages(e["order"], e["waybill"], e["order"]), actor="broker-1")
    assert [r.accepted for r in results] == [False, True, False]
    assert results[0].problems[0].code == "total.mismatch"
    assert results[2].problems[0].code == "duplicate.message_id"


def test_amount_mismatch_rejects_the_list(clearance: Clearance) -> None:
    """Payment and order that disagree reject an import list straight from declared."""
    i = import_set(payment={"amount": "331.00"})
    clearance.submit(messages(*i.values()), actor="broker-1")
    record = clearance.inventory("I1-I")
    assert record.state is S.REJECTED
    assert record.problems[0].code == "match.amount_mismatch"


@pytest.mark.parametrize(
    "change",
    [
        {"order": {"mode": "9610"}},  # a 9610 order for a 1210 list
        {"waybill": {"direction": "export"}},  # an export waybill for an import list
    ],
)
def test_an_order_or_waybill_of_another_kind_rejects_the_list(
    clearance: Clearance, change: dict[str, Msg]
) -> None:
    """Order and waybill must be for the list's direction and mode, in clearance and in a file."""
    i = import_set(**change)
    clearance.submit(messages(*i.values()), actor="broker-1")
    record = clearance.inventory("I1-I")
    assert record.state is S.REJECTED
    assert "match.order_mismatch" in {p.code for p in record.problems}
    assert record.tax is None
    assert "match.order_mismatch" in codes(run(*import_set(**change).values())["I1-I"])


def test_import_release_carries_the_cross_border_retail_tax(clearance: Clearance) -> None:
    """1210 face cream: 0 % tariff, VAT 13 % and consumption tax 15 %, both at 70 %."""
    clearance.submit(messages(*import_set().values()), actor="broker-1")
    record = clearance.inventory("I1-I")
    assert record.state is S.RELEASED
    assert record.tax is not None
    assert str(record.tax.tariff.amount) == "0.00"
    assert str(record.tax.consumption_tax.amount) == "40.76"  # 330 / 0.85 × 0.15 × 0.7
    assert str(record.tax.vat.amount) == "35.33"  # (330 + 58.24) × 0.13 × 0.7
    assert "import tax 76.09 CNY" in clearance.audit_trail("I1-I")[-1].reason


def test_live_annual_limit_counts_released_imports_first_come_first_served(
    clearance: Clearance,
) -> None:
    """Six 4,500 CNY imports of one buyer: the sixth would pass 26,000 and is rejected."""
    laptop = item(hs_code="847130", unit="H87", qty=1, price="4500.00", total_price="4500.00")
    for n in range(1, 7):
        i = import_set(
            f"L{n}",
            order={"items": [laptop], "goods_value": "4500.00"},
            payment={"amount": "4530.00"},
            inventory={"items": [laptop], "total_value": "4500.00"},
        )
        clearance.submit(messages(*i.values()), actor="broker-1")
    states = [clearance.inventory(f"L{n}-I").state for n in range(1, 7)]
    assert states == [S.RELEASED] * 5 + [S.REJECTED]
    assert clearance.inventory("L6-I").problems[-1].code == "limit.annual"


def _b2c_imports(first_hs: str, count: int = 6) -> list[dict[str, Msg]]:
    """``count`` 4,500 CNY imports of one buyer; the first of HS ``first_hs``."""
    sets = []
    for n in range(1, count + 1):
        goods = item(
            hs_code=first_hs if n == 1 else "847130",
            unit="H87",
            qty=1,
            price="4500.00",
            total_price="4500.00",
        )
        sets.append(
            import_set(
                f"L{n}",
                order={"items": [goods], "goods_value": "4500.00"},
                payment={"amount": "4530.00"},
                inventory={"items": [goods], "total_value": "4500.00"},
            )
        )
    return sets


def test_the_annual_limit_counts_released_imports_in_files_as_live(clearance: Clearance) -> None:
    """A held list does not count toward the limit, in a file as in live clearance.

    The first of six 4,500 CNY imports is held (a lithium battery); the five others reach
    22,500 CNY of released imports, under the 26,000 limit, so all five are released.
    """
    sets = _b2c_imports("8507600000")
    for i in sets:
        clearance.submit(messages(*i.values()), actor="broker-1")
    live = [clearance.inventory(f"L{n}-I").state for n in range(1, 7)]
    assert live == [S.HELD] + [S.RELEASED] * 5
    verdicts = run(*(m for i in sets for m in i.values()))
    assert [verdicts[f"L{n}-I"].state for n in range(1, 7)] == live


def test_releasing_a_held_list_over_the_annual_limit_is_refused(clearance: Clearance) -> None:
    """Held at 0 CNY of imports, the battery list would take the buyer to 27,000 CNY by now."""
    for i in _b2c_imports("8507600000"):
        clearance.submit(messages(*i.values()), actor="broker-1")
    with pytest.raises(TransitionError, match="annual limit"):
        clearance.decide("L1-I", S.RELEASED, actor="officer-7", reason="paperwork seen")
    assert clearance.inventory("L1-I").state is S.HELD
    record = clearance.decide("L1-I", S.REJECTED, actor="officer-7", reason="over the limit")
    assert record.state is S.REJECTED


def test_import_tax_rejects_a_list_not_in_cny() -> None:
    """The retail import tax is computed in CNY only."""
    [inventory] = messages(export_set()["inventory"])
    assert inventory.kind == "inventory"
    with pytest.raises(ValueError, match="CNY"):
        import_tax(inventory, Decimal(0))  # type: ignore[arg-type]


def test_monthly_summary_consolidates_by_exporter_heading_and_destination(
    clearance: Clearance, clock: ManualClock
) -> None:
    """Released November exports group by exporter, HS heading and destination."""
    shoes = item(hs_code="640299", unit="PR", qty=1, price="60.00", total_price="60.00", gnum=2)
    two_items = {"items": [item(), shoes], "goods_value": "160.00"}
    for n in range(3):
        e = export_set(f"N{n}", order=two_items, inventory={**two_items, "total_value": "160.00"})
        clearance.submit(messages(*e.values()), actor="broker-1")
    clock.set(datetime(2026, 11, 30, 17, 0, tzinfo=UTC))  # 1 December in Zhengzhou
    clearance.submit(messages(*export_set("DEC").values()), actor="broker-1")
    clearance.submit(messages(*import_set().values()), actor="broker-1")
    lines = monthly_summary(clearance.inventories(), "2026-11")
    assert [(s.hs_heading, s.lists, s.items, str(s.total_value)) for s in lines] == [
        ("6109", 3, 3, "300.00"),
        ("6402", 3, 3, "180.00"),
    ]
    assert {s.exporter for s in lines} == {"4101960002"}
    assert {(s.destination_country, s.currency) for s in lines} == {("ES", "EUR")}
    assert lines[0].quantity == {"C62": Decimal(6)}
    assert str(lines[0].gross_weight_kg + lines[1].gross_weight_kg) == "2.400"
    assert len(monthly_summary(clearance.inventories(), "2026-12")) == 1


def test_manual_clock_does_not_go_back() -> None:
    """Audit times only move forward."""
    clock = ManualClock(T0)
    with pytest.raises(ValueError, match="back"):
        clock.set(T0 - timedelta(seconds=1))


def _file_and_live(*raw: Msg) -> tuple[dict[str, tuple[S | None, set[str]]], dict[str, S]]:
    """Each list's (state, problem codes) in a file, and each list's state in live clearance."""
    in_file = {v.message_id or "": (v.state, codes(v)) for v in run(*raw).values()}
    clearance = Clearance(InMemoryClearanceRepository(), clock=ManualClock(T0))
    clearance.submit(messages(*raw), actor="broker-1")
    live = {r.inventory_id: r.state for r in clearance.inventories()}
    return in_file, live


def test_a_corrected_list_after_a_rejection_is_matched_in_files_and_live() -> None:
    """A list rejected at matching frees its order: a corrected list is matched and released.

    The order is in USD, the first list in EUR (amount mismatch); the second list says USD.
    """
    e = export_set(order={"currency": "USD"})
    corrected = {**e["inventory"], "message_id": "E1-I2", "currency": "USD"}
    in_file, live = _file_and_live(*e.values(), corrected)
    assert in_file["E1-I"] == (S.REJECTED, {"match.amount_mismatch"})
    assert in_file["E1-I2"] == (S.RELEASED, set())
    assert live == {"E1-I": S.REJECTED, "E1-I2": S.RELEASED}


@pytest.mark.parametrize("resent_first", [True, False])
def test_an_order_re_sent_for_a_decided_list_conflicts_in_files_and_live(
    resent_first: bool,
) -> None:
    """A second order for E1, before or after its list is released: match.conflict either way."""
    e = list(export_set().values())
    order = next(m for m in e if m["type"] == "order")
    resent = {**order, "message_id": "E1-O2"}
    # the original order first in both cases; the re-sent one before or after the list closes
    rest = [m for m in e if m is not order]
    ordered = [order, resent, *rest] if resent_first else [order, *rest, resent]
    in_file, live = _file_and_live(*ordered)
    later = "E1-O2"
    assert "match.conflict" in in_file[later][1]
    assert live == {"E1-I": S.RELEASED}


def test_a_waybill_for_another_parcel_leaves_the_list_declared_in_files_and_live() -> None:
    """The waybill's logistics_no is another parcel's: the list waits, unmatched, in both.

    Its order is in another currency too, but a list is not cross-checked before its partners
    are in (the file had rejected it for the amounts while live clearance kept it waiting).
    """
    e = export_set(waybill={"logistics_no": "CGO-OTHER"}, order={"currency": "USD"})
    in_file, live = _file_and_live(*e.values())
    assert in_file["E1-I"][0] is S.DECLARED
    assert "match.missing_waybill" in in_file["E1-I"][1]
    assert "match.amount_mismatch" not in in_file["E1-I"][1]
    assert live == {"E1-I": S.DECLARED}


def test_a_later_list_for_a_released_order_conflicts_in_files_and_live() -> None:
    """E1 released; a second list E1-I2 for it is match.conflict and changes nothing."""
    e = export_set()
    second = {**e["inventory"], "message_id": "E1-I2"}
    in_file, live = _file_and_live(*e.values(), second)
    assert in_file["E1-I2"] == (S.REJECTED, {"match.conflict"})
    assert live == {"E1-I": S.RELEASED}


def test_a_late_payment_for_a_released_export_is_accepted_in_files_and_live() -> None:
    """An export has no payment slot filled: a late payment is taken, as live does, silently."""
    e = export_set()
    late = {**import_set()["payment"], "message_id": "P-late", "order_no": "E1"}
    in_file, _ = _file_and_live(*e.values(), late)
    assert "P-late" not in in_file  # no problem: no verdict line
    clearance = Clearance(InMemoryClearanceRepository(), clock=ManualClock(T0))
    results = clearance.submit(messages(*e.values(), late), actor="broker-1")
    assert results[-1].accepted
    assert results[-1].problems == ()


def test_a_re_sent_order_is_refused_live_and_counted_nowhere() -> None:
    """Live clearance refuses the second order of a released list with match.conflict."""
    e = list(export_set().values())
    resent = {**export_set()["order"], "message_id": "E1-O2"}
    clearance = Clearance(InMemoryClearanceRepository(), clock=ManualClock(T0))
    results = clearance.submit(messages(*e, resent), actor="broker-1")
    assert not results[-1].accepted
    assert [p.code for p in results[-1].problems] == ["match.conflict"]


def test_a_second_list_with_its_own_defect_reports_the_conflict_too() -> None:
    """A second list for an open order, refused for an unknown HS code: both problems, in both."""
    e = export_set()
    second = {
        **e["inventory"],
        "message_id": "E1-I2",
        "items": [{**e["inventory"]["items"][0], "hs_code": "0000000000"}],
    }
    in_file, _ = _file_and_live(e["inventory"], second)
    assert {"match.conflict", "hs_code.unknown"} <= in_file["E1-I2"][1]
    clearance = Clearance(InMemoryClearanceRepository(), clock=ManualClock(T0))
    results = clearance.submit(messages(e["inventory"], second), actor="broker-1")
    assert {"match.conflict", "hs_code.unknown"} <= {p.code for p in results[-1].problems}


def test_an_order_whose_list_was_rejected_does_not_await_a_first_list() -> None:
    """It awaits a corrected list: it is not counted among the pre-declared orders."""
    e = export_set(order={"currency": "USD"})
    _, summary = validate_lines(encode(*e.values()), as_of=AS_OF)
    assert summary.states == Counter({"rejected": 1})
    assert summary.awaiting_inventory == 0


def test_monthly_summary_keeps_the_third_decimal_and_refuses_month_13(
    clearance: Clearance, clock: ManualClock
) -> None:
    """Three lists of 10.125 KWD total 30.375 KWD (rounding to cents gave 30.38)."""
    dinars = {"items": [item(qty=1, price="10.125", total_price="10.125")], "goods_value": "10.125"}
    for n in range(3):
        e = export_set(
            f"K{n}",
            order={**dinars, "currency": "KWD"},
            inventory={**dinars, "total_value": "10.125", "currency": "KWD"},
        )
        clearance.submit(messages(*e.values()), actor="broker-1")
    (line,) = monthly_summary(clearance.inventories(), "2026-11")
    assert (line.currency, line.lists, str(line.total_value)) == ("KWD", 3, "30.375")
    for month in ("2026-13", "2026-00", "２０２６-11"):
        with pytest.raises(ValueError, match="month is YYYY-MM"):
            monthly_summary(clearance.inventories(), month)


def _over_the_transaction_limit(order_no: str, **changes: Msg) -> dict[str, Msg]:
    """A 6,000 CNY B2C import: over the 5,000 CNY limit per transaction."""
    laptop = item(hs_code="847130", unit="H87", qty=1, price="6000.00", total_price="6000.00")
    base = {
        "order": {"items": [laptop], "goods_value": "6000.00"},
        "payment": {"amount": "6030.00"},
        "inventory": {"items": [laptop], "total_value": "6000.00"},
    }
    for kind, change in changes.items():
        base[kind] = {**base[kind], **change}
    return import_set(order_no, **base)


@pytest.mark.parametrize(
    "changes",
    [
        {},  # over the limit alone
        {"payment": {"amount": "6031.00"}},  # and the payment disagrees
    ],
    ids=["over-limit", "over-limit-and-mismatch"],
)
def test_live_clearance_reports_the_codes_validate_reports(
    clearance: Clearance, changes: dict[str, Msg]
) -> None:
    """A B2C list over the transaction limit, five imports into a buyer's year.

    Live matching had kept only the mismatch when rejecting (``limit.transaction`` was lost)
    and had checked the annual limit on a list the 5,000 CNY limit already rejects.
    """
    earlier = _b2c_imports("847130", count=5)  # 22,500 CNY released this year
    late = _over_the_transaction_limit("L9", **changes)
    for i in (*earlier, late):
        clearance.submit(messages(*i.values()), actor="broker-1")
    record = clearance.inventory("L9-I")
    verdicts = run(*(m for i in (*earlier, late) for m in i.values()))
    assert record.state is verdicts["L9-I"].state is S.REJECTED
    assert {p.code for p in record.problems} == codes(verdicts["L9-I"])
    assert "limit.transaction" in codes(verdicts["L9-I"])
    assert "limit.annual" not in codes(verdicts["L9-I"])


@pytest.mark.parametrize("declared_on", ["0001-06-01", "9999-12-31", "2025-12-31"])
def test_live_clearance_counts_a_list_in_the_year_it_clears_whatever_it_says(
    clearance: Clearance, declared_on: str
) -> None:
    """Six 4,500 CNY imports of one buyer: the sixth is over the limit whatever its date.

    The year had come from the list's own ``declared_on``, so a sixth list dated year 1 was
    counted in another year's total and released, round the 26,000 CNY limit.
    """
    sets = _b2c_imports("847130")
    sets[-1]["inventory"]["declared_on"] = declared_on
    for i in sets:
        clearance.submit(messages(*i.values()), actor="broker-1")
    states = [clearance.inventory(f"L{n}-I").state for n in range(1, 7)]
    assert states == [S.RELEASED] * 5 + [S.REJECTED]
    assert "in 2026" in clearance.inventory("L6-I").problems[-1].message
