"""Three-order matching: any arrival order gives the same verdict; missing partners wait."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

import pytest
from customs_builders import AS_OF, codes, encode, export_set, import_set, run
from hypothesis import given, settings
from hypothesis import strategies as st

import silkhub.customs.validate as validate_module
from silkhub.customs import BatchValidator, ClearanceState, synthetic_lines, validate_lines


def test_export_matches_in_every_order_of_arrival() -> None:
    """All 24 orders of order, receipt, waybill and list release the export."""
    messages = list(export_set().values())
    for permutation in itertools.permutations(messages):
        verdicts = run(*permutation)
        assert verdicts["E1-I"].state is ClearanceState.RELEASED, permutation
        assert len(verdicts) == 1


def test_import_matches_in_every_order_of_arrival() -> None:
    """All 24 orders of an import's four messages release it, with no problem."""
    messages = list(import_set().values())
    for permutation in itertools.permutations(messages):
        verdicts = run(*permutation)
        assert verdicts["I1-I"].state is ClearanceState.RELEASED
        assert not verdicts["I1-I"].problems


def test_a_list_without_partners_stays_declared_with_every_missing_code() -> None:
    """A pre-declared import list alone: missing order, payment and waybill, state declared."""
    verdicts = run(import_set()["inventory"])
    assert verdicts["I1-I"].state is ClearanceState.DECLARED
    assert codes(verdicts["I1-I"]) == {
        "match.missing_order",
        "match.missing_payment",
        "match.missing_waybill",
    }


def test_an_export_needs_no_payment() -> None:
    """Export receipts are not matched: order, waybill and list are enough."""
    messages = export_set()
    verdicts = run(messages["order"], messages["waybill"], messages["inventory"])
    assert verdicts["E1-I"].state is ClearanceState.RELEASED


def test_a_rejected_partner_is_named_in_the_missing_problem() -> None:
    """A list whose order was rejected waits, and the report says which line was refused."""
    messages = export_set(order={"goods_value": "1.00"})
    verdicts = run(*messages.values())
    missing = next(p for p in verdicts["E1-I"].problems if p.code == "match.missing_order")
    assert "line 1 was rejected" in missing.message


def test_partner_risk_decides_the_list_state() -> None:
    """A weight discrepancy on the waybill sends the (otherwise clean) list to inspection."""
    messages = export_set(waybill={"measured_kg": "3.00"})
    verdicts = run(*messages.values())
    assert codes(verdicts["E1-W"]) == {"weight.discrepancy"}
    assert verdicts["E1-I"].state is ClearanceState.INSPECTION
    assert not verdicts["E1-I"].problems


def test_messages_days_apart_with_other_orders_between() -> None:
    """A list pre-declared at line 1 matches its order 1,000 lines later."""
    late = export_set("LATE")
    others = [m for n in range(250) for m in export_set(f"X{n}").values()]
    verdicts = run(late["inventory"], *others, late["order"], late["waybill"])
    assert verdicts["LATE-I"].state is ClearanceState.RELEASED


def test_memory_holds_only_open_orders() -> None:
    """Closed orders are forgotten: open orders stay near the shuffle window, not the file."""
    validator = BatchValidator(as_of=AS_OF)
    for number, (line, _) in enumerate(synthetic_lines(3000, seed=5, window=64), start=1):
        validator.feed_line(number, line)
    assert validator.summary.peak_open_orders < 200
    validator.finish()
    assert validator.open_orders == 0


def _verdicts(lines: list[bytes]) -> Counter[tuple[str | None, str | None, tuple[str, ...]]]:
    """The multiset of (message_id, state, problem codes): line numbers move with a shuffle."""
    verdicts, _ = validate_lines(lines, as_of=date(2026, 11, 23))
    return Counter(
        (v.message_id, v.state, tuple(sorted(p.code for p in v.problems))) for v in verdicts
    )


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), shuffle=st.randoms(use_true_random=False))
def test_shuffling_a_files_lines_does_not_change_the_verdicts(
    seed: int, shuffle: random.Random
) -> None:
    """Verdicts per message (codes and list states) are the same whatever the line order."""
    lines = [line for line, _ in synthetic_lines(40, seed=seed, defect_rate=0.4, window=40)]
    lines += encode(*[m for n in range(3) for m in import_set(f"BIG{n}", **_big(seed)).values()])
    shuffled = lines[:]
    shuffle.shuffle(shuffled)
    assert _verdicts(shuffled) == _verdicts(lines)


def _big(seed: int) -> dict[str, dict[str, object]]:
    """Three 4,500 CNY imports of one buyer: together over the annual limit."""
    from customs_builders import item

    laptop = item(item_name="Laptop", hs_code="847130", unit="H87", qty=1, price="4500.00",
                  total_price="4500.00", origin_country="JP")  # fmt: skip
    buyer = {"buyer_id": "CN-BIG", "goods_value": "4500.00", "items": [laptop]}
    return {
        "order": buyer,
        "payment": {"amount": "4530.00", "payer_id": "CN-BIG"},
        "inventory": {
            "total_value": "4500.00",
            "items": [laptop],
            "declared_on": f"2026-0{seed % 9 + 1}-01",
        },
    }


def test_a_re_sent_list_is_one_list_in_the_counts() -> None:
    """The same inventory line twice: the copy is a duplicate, not a second (rejected) list."""
    messages = list(export_set().values())
    inventory = next(m for m in messages if m["type"] == "inventory")
    verdicts, summary = validate_lines(encode(*messages, inventory), as_of=AS_OF)
    assert summary.states == Counter({"released": 1})
    duplicate = [v for v in verdicts if "duplicate.message_id" in codes(v)]
    assert [v.message_id for v in duplicate] == [inventory["message_id"]]


def test_the_default_declaration_date_is_today_in_china(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --as-of, validate dates lists by China's calendar, as live clearance does.

    The machine's own date (here a zone 19 hours behind China, on New Year's Eve at 20:00
    UTC) had put a list into another year of the annual limit. The clock is fixed, so the
    old ``date.today()`` fails this test at any hour.
    """
    instant = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)
    machine_zone = ZoneInfo("Pacific/Pago_Pago")

    class FrozenDatetime(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> FrozenDatetime:
            moment = instant.astimezone(tz or machine_zone)
            return cls.fromtimestamp(moment.timestamp(), moment.tzinfo)

    class FrozenDate(date):
        @classmethod
        def today(cls) -> FrozenDate:
            day = instant.astimezone(machine_zone).date()
            return cls(day.year, day.month, day.day)

    monkeypatch.setattr(validate_module, "datetime", FrozenDatetime)
    monkeypatch.setattr(validate_module, "date", FrozenDate)
    assert BatchValidator().as_of == date(2027, 1, 1)
