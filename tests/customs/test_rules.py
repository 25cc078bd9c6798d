"""Each rule: a good case that passes (often right at the threshold) and a bad case that hits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from customs_builders import AS_OF, Msg, codes, encode, export_set, import_set, item, run

from silkhub.customs import (
    RULE_CODES,
    Action,
    RulesFileError,
    default_rules,
    load_rules,
    validate_lines,
)
from silkhub.customs._checks import Checker


def _export(**changes: Msg) -> list[Msg]:
    return list(export_set(**changes).values())


def _import(**changes: Msg) -> list[Msg]:
    return list(import_set(**changes).values())


def _laptops(qty: int, price: str, total_field: str = "goods_value") -> dict[str, Any]:
    total = f"{qty * float(price):.2f}"
    line = item(item_name="Laptop", hs_code="847130", unit="H87", qty=qty, price=price,
                total_price=total, origin_country="JP")  # fmt: skip
    return {"items": [line], total_field: total}


# (code, message_id that carries it, good messages, bad messages)
RULE_CASES: list[tuple[str, str, list[Msg], list[Msg]]] = [
    ("hs_code.unknown", "E1-I",
     _export(inventory={"items": [item(hs_code="61091000")]}),
     _export(inventory={"items": [item(hs_code="610999")]})),
    ("hs_code.unknown", "E1-O",
     _export(order={"items": [item(hs_code="8517130000")]}),
     _export(order={"items": [item(hs_code="8517120000")]})),  # HS 2017 code, gone in 2022
    ("country.unknown", "E1-W",
     _export(waybill={"consignee_country": "ES"}),
     _export(waybill={"consignee_country": "EU"})),
    ("country.unknown", "E1-O",
     _export(order={"items": [item(origin_country="DE")]}),
     _export(order={"items": [item(origin_country="de")]})),
    ("currency.unknown", "E1-P",
     _export(payment={"currency": "EUR"}),
     _export(payment={"currency": "EUX"})),
    ("currency.not_allowed", "I1-P",
     _import(payment={"currency": "CNY"}),
     _import(payment={"currency": "USD"})),
    ("unit.unknown", "E1-O",
     _export(order={"items": [item(unit="H87")]}),
     _export(order={"items": [item(unit="PCS")]})),
    ("value.not_positive", "E1-W",
     _export(waybill={"pieces": 1}),
     _export(waybill={"pieces": 0})),
    ("value.not_positive", "E1-O",
     _export(order={"freight": "0"}),
     _export(order={"freight": "-1.00"})),
    ("total.mismatch", "E1-O",
     _export(order={"items": [item(qty=3, price="33.33", total_price="100.00")]}),
     _export(order={"items": [item(qty=3, price="33.33", total_price="100.10")], "goods_value": "100.10"})),
    ("total.mismatch", "E1-I",
     _export(inventory={"total_value": "100.01"}, order={"goods_value": "100.01"}),
     _export(inventory={"total_value": "100.02"}, order={"goods_value": "100.02"})),
    ("match.missing_order", "E1-I",
     _export(),
     _export()[1:]),
    ("match.missing_payment", "I1-I",
     _import(),
     [m for m in _import() if m["type"] != "payment"]),
    ("match.missing_waybill", "E1-I",
     _export(),
     [m for m in _export() if m["type"] != "waybill"]),
    ("match.missing_waybill", "E1-I",
     _export(),
     _export(waybill={"logistics_no": "CGO-OTHER"})),
    ("match.amount_mismatch", "I1-I",
     _import(payment={"amount": "330.01"}),
     _import(payment={"amount": "330.02"})),
    ("match.amount_mismatch", "E1-I",
     _export(),
     _export(order={"currency": "USD"}, payment={"currency": "USD"})),
    ("limit.transaction", "I1-I",
     _import(order=_laptops(1, "5000.00"), inventory=_laptops(1, "5000.00", "total_value"), payment={"amount": "5030.00"}),
     _import(order=_laptops(1, "5000.01"), inventory=_laptops(1, "5000.01", "total_value"), payment={"amount": "5030.01"})),
    ("limit.annual", "I6-I",
     [m for n in range(1, 7) for m in import_set(f"I{n}", order=_laptops(1, "4333.33"), inventory=_laptops(1, "4333.33", "total_value"), payment={"amount": "4363.33"}).values()],
     [m for n in range(1, 7) for m in import_set(f"I{n}", order=_laptops(1, "4333.34"), inventory=_laptops(1, "4333.34", "total_value"), payment={"amount": "4363.34"}).values()]),
    ("weight.discrepancy", "E1-W",
     _export(waybill={"gross_weight_kg": "20.00", "measured_kg": "21.00"}),  # 5 % exactly
     _export(waybill={"gross_weight_kg": "20.00", "measured_kg": "21.01"})),
    ("weight.discrepancy", "E1-W",
     _export(waybill={"gross_weight_kg": "1.00", "measured_kg": "1.50"}),  # 0.5 kg exactly
     _export(waybill={"gross_weight_kg": "1.00", "measured_kg": "0.49"})),
    ("goods.restricted", "E1-I",
     _export(inventory={"items": [item(hs_code="8504400000")]}),
     _export(inventory={"items": [item(hs_code="8507600000")]})),
    ("party.screening_hit", "E1-W",
     _export(waybill={"consignee_name": "Rogue Trading Ltd"}),
     _export(waybill={"consignee_name": "ROGUE FREIGHT TRADING LTD."})),
    ("duplicate.message_id", "E1-P",
     _export(),
     [*_export(), _export()[1]]),
    ("match.conflict", "E1-W2",  # a second waybill while the order is open
     _export(),
     [*_export()[:3], {**_export()[2], "message_id": "E1-W2"}, _export()[3]]),
    ("ics2.incomplete", "E1-I",
     _export(waybill={"transport_mode": "rail", "awb_no": ""}),
     _export(waybill={"awb_no": "", "consignor_address": ""})),
]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "message_id", "good", "bad"),
    RULE_CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(RULE_CASES)],
)
def test_rule_good_and_bad(code: str, message_id: str, good: list[Msg], bad: list[Msg]) -> None:
    """The good case is clean; the bad case carries the code on the expected message."""
    good_verdicts = run(*good)
    assert all(not v.problems for v in good_verdicts.values()), good_verdicts
    bad_verdicts = run(*bad)
    assert code in codes(bad_verdicts.get(message_id)), bad_verdicts


def test_prohibited_goods_reject_and_restricted_goods_hold() -> None:
    """A restricted-goods entry carries its own action: weapons reject, batteries hold."""
    pistol = item(
        item_name="Pistol",
        hs_code="930200",
        unit="H87",
        qty=1,
        price="100.00",
        total_price="100.00",
    )
    verdicts = run(*_export(order={"items": [pistol]}, inventory={"items": [pistol]}))
    assert verdicts["E1-I"].state == "rejected"
    battery = item(hs_code="8507600000")
    verdicts = run(*_export(order={"items": [battery]}, inventory={"items": [battery]}))
    assert verdicts["E1-I"].state == "held"


def test_every_code_is_in_the_rules_file_with_an_action() -> None:
    """The shipped rules file documents every code silkhub can report."""
    rules = default_rules()
    assert rules.version
    for code in RULE_CODES:
        assert rules.rules[code].description
        assert isinstance(rules.action(code), Action)


def test_a_copied_rules_file_changes_a_threshold(tmp_path: Path) -> None:
    """A hub can loosen the weight tolerance in its own copy of the rules file."""
    shipped = Path(__file__).parents[2] / "src" / "silkhub" / "data" / "customs"
    for name in ("rules.toml", "restricted_goods.csv", "restricted_parties.csv"):
        (tmp_path / name).write_text((shipped / name).read_text(encoding="utf-8"), encoding="utf-8")
    text = (tmp_path / "rules.toml").read_text(encoding="utf-8")
    (tmp_path / "rules.toml").write_text(
        text.replace('weight_tolerance_ratio = "0.05"', 'weight_tolerance_ratio = "0.10"').replace(
            'version = "2025.2"', 'version = "zz-2025.2-loose"'
        ),
        encoding="utf-8",
    )
    rules = load_rules(tmp_path / "rules.toml")
    assert rules.version == "zz-2025.2-loose"
    assert str(rules.thresholds.weight_tolerance_ratio) == "0.10"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("version = ", "not valid TOML"),
        ('version = "x"\n[thresholds]\ntotal_tolerance = "abc"', "total_tolerance is not a number"),
        ('version = "x"', "no action for schema.invalid_json"),
        (
            'version = "x"\n[rules."schema.invalid_json"]\naction = "shrug"',
            "'shrug' is not a valid Action",
        ),
    ],
)
def test_bad_rules_files_say_what_is_wrong(tmp_path: Path, content: str, message: str) -> None:
    """A broken rules file raises RulesFileError naming the file and the problem."""
    path = tmp_path / "rules.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RulesFileError, match=message):
        load_rules(path)


def test_missing_rules_file_is_a_clear_error(tmp_path: Path) -> None:
    """A rules path that does not exist names itself."""
    with pytest.raises(RulesFileError, match="cannot read"):
        load_rules(tmp_path / "nope.toml")


def test_a_party_listed_for_two_countries_is_hit_in_both(tmp_path: Path) -> None:
    """The same name listed for RU and for BY hits a BY consignee too.

    The best name match over the whole list is the RU entry; it must not hide the BY one.
    """
    shipped = Path(__file__).parents[2] / "src" / "silkhub" / "data" / "customs"
    for name in ("rules.toml", "restricted_goods.csv", "restricted_parties.csv"):
        (tmp_path / name).write_text((shipped / name).read_text(encoding="utf-8"), encoding="utf-8")
    with (tmp_path / "restricted_parties.csv").open("a", encoding="utf-8") as parties:
        parties.write("Ivan Example Sanctioned,BY,test\n")
    rules = load_rules(tmp_path / "rules.toml")
    for country, hit in (("BY", True), ("RU", True), ("KZ", False)):
        messages = _export(
            waybill={"consignee_name": "Ivan Example Sanctioned", "consignee_country": country}
        )
        verdicts, _ = validate_lines(encode(*messages), rules, as_of=AS_OF)
        by_id = {v.message_id: v for v in verdicts}
        assert ("party.screening_hit" in codes(by_id.get("E1-W"))) is hit, country


def test_screening_keeps_one_party_list_per_listed_country_only() -> None:
    """Waybills to a thousand countries no party is listed for share one list, not a thousand.

    Keyed by the waybill's text, each bad country had cost a copy of the whole party list
    (a megabyte for 20,000 names): validate ran out of memory on a file of such lines.
    """
    rules = default_rules()
    checker = Checker(rules)
    listed = {p.country for p in rules.restricted_parties if p.country}
    unlisted = next(p.name for p in rules.restricted_parties if not p.country)
    for n in range(1000):
        assert checker._screen(unlisted, f"X{n:03d}") is not None  # the unlisted still hit
    assert len(checker._by_country) <= len(listed) + 1


@pytest.mark.parametrize(
    "written",
    [
        "Ｒｏｇｕｅ Ｆｒｅｉｇｈｔ Ｔｒａｄｉｎｇ Ｌｔｄ",  # full-width Latin
        "Ro\u200bgue Frei\u200dght Trading Ltd",  # zero-width space and joiner inside words
        "Rogue Freight Trading Ltd",
    ],
)
def test_screening_compares_names_as_they_look(written: str) -> None:
    """Full-width letters and invisible characters do not hide a listed party."""
    assert Checker(default_rules())._screen(written, "KZ") is not None


def test_a_combining_accent_screens_as_the_precomposed_letter(tmp_path: Path) -> None:
    """'Café' typed with U+0301 and with U+00E9 give the same verdict."""
    shipped = Path(__file__).parents[2] / "src" / "silkhub" / "data" / "customs"
    for name in ("rules.toml", "restricted_goods.csv", "restricted_parties.csv"):
        (tmp_path / name).write_text((shipped / name).read_text(encoding="utf-8"), encoding="utf-8")
    with (tmp_path / "restricted_parties.csv").open("a", encoding="utf-8") as parties:
        parties.write("Caf\u00e9 Ünal Handels,,test\n")
    checker = Checker(load_rules(tmp_path / "rules.toml"))
    composed = checker._screen("Caf\u00e9 \u00dcnal Handels", "DE")
    decomposed = checker._screen("Cafe\u0301 U\u0308nal Handels", "DE")
    assert composed is not None
    assert decomposed == composed
