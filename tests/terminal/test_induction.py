"""Induction: the measured weight against the waybill, with the customs tolerance."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from silkhub.terminal import (
    DEFAULT_ABSOLUTE_KG,
    DEFAULT_RELATIVE,
    InductionVerdict,
    Piece,
    WeightTolerance,
    reconcile_weight,
)


def _piece(declared: float) -> Piece:
    return Piece("P1", "880-12345675", declared, 0.1, "D001-MAD")


@pytest.mark.parametrize(
    ("declared", "measured", "verdict"),
    [
        (100.0, 100.0, "accepted"),
        (100.0, 105.0, "accepted"),  # exactly 5 %
        (100.0, 95.0, "accepted"),
        (100.0, 105.01, "held"),
        (100.0, 94.9, "held"),
        (5.0, 5.5, "accepted"),  # 0.5 kg beats 5 % (0.25 kg) for light parcels
        (5.0, 4.5, "accepted"),
        (5.0, 5.51, "held"),
        (5.0, 5.5000000009, "held"),  # exact decimals, as customs: no float slack
        (20.0, 21.0, "accepted"),  # 5 % of 20 is 1.0000000000000000555 in binary
        (20.0, 21.000000001, "held"),
        (10.0, 10.5, "accepted"),  # the two margins meet at 10 kg
        (10.0, 10.51, "held"),
        (2000.0, 2099.0, "accepted"),
        (2000.0, 1899.0, "held"),
        (1.0, 0.0, "held"),  # a scale reading of zero is a fault
        (1.0, math.nan, "held"),
    ],
)
def test_default_tolerance_is_five_percent_or_half_a_kilo(
    declared: float, measured: float, verdict: str
) -> None:
    """A piece passes when |measured − declared| ≤ max(5 % of declared, 0.5 kg)."""
    result = reconcile_weight(_piece(declared), measured)
    assert result.verdict == InductionVerdict(verdict)
    assert result.accepted == (verdict == "accepted")


def test_held_piece_says_why() -> None:
    """The reason names the rule, both weights, the difference and the margin."""
    result = reconcile_weight(_piece(100.0), 112.0)
    assert result.reason == (
        "weight.discrepancy: measured 112.00 kg vs declared 100.00 kg, "
        "difference +12.00 kg exceeds 5.00 kg"
    )
    assert result.difference_kg == pytest.approx(12.0)
    assert result.allowed_kg == pytest.approx(5.0)


def test_defaults_come_from_one_place() -> None:
    """The dataclass defaults are the module constants (5 %, 0.5 kg)."""
    tolerance = WeightTolerance()
    assert (tolerance.relative, tolerance.absolute_kg) == (DEFAULT_RELATIVE, DEFAULT_ABSOLUTE_KG)
    assert (DEFAULT_RELATIVE, DEFAULT_ABSOLUTE_KG) == (0.05, 0.5)


def test_defaults_agree_with_the_customs_rules_file() -> None:
    """The terminal reads the customs rule weight.discrepancy; the constants mirror it."""
    from silkhub.customs import RuleSet, Thresholds, default_rules

    assert WeightTolerance.from_customs() == WeightTolerance()
    rules = default_rules()
    stricter = RuleSet(
        rules.version,
        rules.rules,
        Thresholds(weight_tolerance_ratio=Decimal("0.02"), weight_tolerance_kg=Decimal("0.2")),
    )
    tolerance = WeightTolerance.from_customs(stricter)
    assert (tolerance.relative, tolerance.absolute_kg) == (0.02, 0.2)


def test_stricter_tolerance() -> None:
    """A 2 % / 0.2 kg rule holds what the default would pass."""
    strict = WeightTolerance(relative=0.02, absolute_kg=0.2)
    assert not reconcile_weight(_piece(100.0), 104.0, strict).accepted
    assert reconcile_weight(_piece(100.0), 104.0).accepted


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, (0.05, 0.5)),
        ({"relative": 0.03}, (0.03, 0.5)),
        ({"percent": 4, "absolute_kg": 1}, (0.04, 1.0)),
    ],
)
def test_tolerance_from_customs_rule_parameters(params: dict, expected: tuple) -> None:
    """A customs rule's parameters (share or percent, absolute kg) build the tolerance."""
    tolerance = WeightTolerance.from_rule(params)
    assert (tolerance.relative, tolerance.absolute_kg) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"relative": 0.05, "percent": 5}, "either relative or percent"),
        ({"tolerance": 1}, "unknown parameter"),
        ({"absolute_kg": "half"}, "must be a number"),
        ({"relative": 1.5}, r"relative must be in \[0, 1\)"),
        ({"absolute_kg": -1}, "absolute_kg must be 0 or more"),
    ],
)
def test_bad_rule_parameters_are_refused(params: dict, message: str) -> None:
    """Bad parameters name the rule and the key."""
    with pytest.raises(ValueError, match=message):
        WeightTolerance.from_rule(params)


def test_piece_checks_itself() -> None:
    """A piece needs ids, a positive declared weight and volume."""
    with pytest.raises(ValueError, match="declared_kg"):
        Piece("P", "W", 0.0, 0.1, "D")
    with pytest.raises(ValueError, match="volume_m3"):
        Piece("P", "W", 1.0, -1.0, "D")
    with pytest.raises(ValueError, match="piece_id"):
        Piece("", "W", 1.0, 1.0, "D")
