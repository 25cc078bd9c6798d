"""Domain types: money, chargeable weight, transfer rules, departures."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from silkhub.model import (
    CargoClass,
    Departure,
    Mode,
    Money,
    Network,
    StopTime,
    TransferRule,
    chargeable_kg,
    round_cents,
)


def test_money_adds_within_one_currency_only() -> None:
    """Sums stay exact; mixing currencies is refused."""
    assert Money(Decimal("0.10"), "CNY") + Money(Decimal("0.20"), "CNY") == Money(
        Decimal("0.30"), "CNY"
    )
    with pytest.raises(ValueError, match="cannot add"):
        _ = Money(Decimal(1), "CNY") + Money(Decimal(1), "EUR")


@pytest.mark.parametrize("bad", ["cny", "RMB1", "€"])
def test_money_needs_an_iso_shaped_code(bad: str) -> None:
    """A currency is three upper-case letters."""
    with pytest.raises(ValueError, match="ISO 4217"):
        Money(Decimal(1), bad)


def test_money_refuses_floats() -> None:
    """Floats never carry money."""
    with pytest.raises(TypeError):
        Money(1.5, "CNY")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "rounded"), [("2.345", "2.35"), ("2.344", "2.34"), ("-1.005", "-1.01")]
)
def test_round_cents_is_half_up(amount: str, rounded: str) -> None:
    """Tariffs round half up to the cent."""
    assert round_cents(Decimal(amount)) == Decimal(rounded)


@pytest.mark.parametrize(
    ("mode", "kg", "m3", "expected"),
    [
        (Mode.AIR, 500.0, 2.5, 500.0),  # 2.5 m³ × 167 = 417.5 < 500
        (Mode.AIR, 100.0, 2.0, 334.0),  # light and bulky: volumetric wins
        (Mode.RAIL, 100.0, 2.0, 100.0),  # rail sells actual weight
        (Mode.ROAD, 100.0, 2.0, 100.0),
    ],
)
def test_chargeable_weight(mode: Mode, kg: float, m3: float, expected: float) -> None:
    """Air charges max(actual, 167 kg/m³ × volume); other modes the actual weight."""
    assert chargeable_kg(mode, kg, m3) == pytest.approx(expected)


def test_most_specific_transfer_rule_wins(tiny_hub: Network) -> None:
    """At CGO: air→air 120 min beats the generic 180 min to air; other places have none."""
    assert tiny_hub.transfer_minutes("CGO", Mode.AIR, Mode.AIR) == 120
    assert tiny_hub.transfer_minutes("CGO", Mode.ROAD, Mode.AIR) == 180
    assert tiny_hub.transfer_minutes("CGO", None, Mode.AIR) == 180
    assert tiny_hub.transfer_minutes("CGO", None, Mode.RAIL) == 0
    assert tiny_hub.transfer_minutes("MAD", Mode.AIR, Mode.AIR) == 0


@pytest.mark.parametrize("reverse", [False, True])
def test_equally_specific_transfer_rules_give_the_longer_time_in_any_order(
    tiny_hub: Network, reverse: bool
) -> None:
    """A from-road rule and a to-air rule both match road → air: the longer, in either order.

    The first row had won, so reordering transfers.csv moved a Yiwu → Madrid arrival by
    three days.
    """
    rules = [TransferRule("CGO", 4200, Mode.ROAD, None), TransferRule("CGO", 180, None, Mode.AIR)]
    net = dataclasses.replace(tiny_hub, transfers=tuple(rules[::-1] if reverse else rules))
    assert net.transfer_minutes("CGO", Mode.ROAD, Mode.AIR) == 4200
    assert net.transfer_minutes("CGO", Mode.RAIL, Mode.AIR) == 180
    assert net.transfer_minutes("CGO", Mode.ROAD, Mode.RAIL) == 4200


def test_service_cargo_classes(tiny_hub: Network) -> None:
    """A service with classes accepts only those; one without accepts all."""
    madrid, oslo = tiny_hub.services["1Z101"], tiny_hub.services["JD451"]
    assert madrid.accepts(CargoClass.E_COMMERCE)
    assert not madrid.accepts(CargoClass.DANGEROUS_GOODS)
    assert oslo.accepts(CargoClass.DANGEROUS_GOODS)
    assert madrid.accepts(None)


def _departure(kg: tuple[float, ...]) -> Departure:
    t = datetime(2025, 3, 3, tzinfo=UTC)
    stops = tuple(
        StopTime(f"P{i}", t if i else None, t if i < len(kg) else None) for i in range(len(kg) + 1)
    )
    return Departure("S@2025-03-03", "S", date(2025, 3, 3), stops, kg, (10.0,) * len(kg))


def test_departure_capacity_is_checked_on_every_leg_used() -> None:
    """A shipment fits only if each leg between boarding and alighting has room."""
    run = _departure((500.0, 100.0, 500.0))
    assert run.can_carry(0, 1, 400.0, 1.0)
    assert not run.can_carry(0, 2, 400.0, 1.0)
    assert run.can_carry(2, 3, 400.0, 1.0)
    assert not run.can_carry(2, 3, 400.0, 11.0)


def test_departure_needs_capacity_per_leg() -> None:
    """A departure with a capacity count that does not match its legs is refused."""
    with pytest.raises(ValueError, match="capacity for each"):
        Departure("x", "S", date(2025, 3, 3), _departure((1.0, 1.0)).stop_times, (1.0,), (1.0,))
