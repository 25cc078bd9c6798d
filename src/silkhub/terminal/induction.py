"""Induction: weigh and scan each piece at the door and reconcile it with its waybill.

The security machines of the north cargo area weigh and scan each piece in one pass; the
measured weight must agree with the declared one before the piece may fly. The tolerance is
the customs rule ``weight.discrepancy``: the larger of a share of the declared weight and an
absolute margin (5 % or 0.5 kg by default), so a light parcel is not held for the weight of
its label. The numbers live in one place, the customs rules file
(``silkhub/data/customs/rules.toml``, thresholds ``weight_tolerance_ratio`` and
``weight_tolerance_kg``): ``WeightTolerance.from_customs()`` reads them, and the floor uses it
by default. The dataclass defaults mirror the shipped file (a test keeps them equal) for
callers that build a tolerance by hand; ``WeightTolerance.from_rule`` takes plain parameters.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from silkhub.customs import RuleSet

__all__ = [
    "DEFAULT_ABSOLUTE_KG",
    "DEFAULT_RELATIVE",
    "WEIGHT_RULE_ID",
    "InductionResult",
    "InductionVerdict",
    "Piece",
    "WeightTolerance",
    "reconcile_weight",
]

#: The customs rule this tolerance implements (owned by silkhub.customs' rules file).
WEIGHT_RULE_ID = "weight.discrepancy"
#: Default share of the declared weight the measurement may differ by (5 %).
DEFAULT_RELATIVE = 0.05
#: Default absolute margin in kg (0.5 kg), used when it is larger than the share.
DEFAULT_ABSOLUTE_KG = 0.5


@dataclass(frozen=True, slots=True)
class WeightTolerance:
    """How far a measured weight may stray from the declared one: max(share, margin)."""

    relative: float = DEFAULT_RELATIVE
    absolute_kg: float = DEFAULT_ABSOLUTE_KG
    rule_id: str = WEIGHT_RULE_ID

    def __post_init__(self) -> None:
        if not (math.isfinite(self.relative) and 0 <= self.relative < 1):
            raise ValueError(f"relative must be in [0, 1), got {self.relative}")
        if not (math.isfinite(self.absolute_kg) and self.absolute_kg >= 0):
            raise ValueError(f"absolute_kg must be 0 or more, got {self.absolute_kg}")

    @classmethod
    def from_rule(cls, params: Mapping[str, Any], rule_id: str = WEIGHT_RULE_ID) -> WeightTolerance:
        """A tolerance from a rule's parameters.

        Accepts ``relative`` (a share, 0.05) or ``percent`` (5), and ``absolute_kg`` (0.5);
        a missing key keeps its default. ``ValueError`` names a bad key.
        """
        known = {"relative", "percent", "absolute_kg"}
        unknown = sorted(set(params) - known)
        if unknown:
            raise ValueError(f"{rule_id}: unknown parameter(s) {', '.join(unknown)}")
        if "relative" in params and "percent" in params:
            raise ValueError(f"{rule_id}: give either relative or percent, not both")
        values: dict[str, float] = {}
        for key in known & set(params):
            value = params[key]
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{rule_id}: {key} must be a number, got {value!r}")
            values[key] = float(value)
        relative = values.get("relative", DEFAULT_RELATIVE)
        if "percent" in values:
            relative = values["percent"] / 100.0
        return cls(relative, values.get("absolute_kg", DEFAULT_ABSOLUTE_KG), rule_id)

    @classmethod
    def from_customs(cls, rules: RuleSet | None = None) -> WeightTolerance:
        """The tolerance of a customs rule set (the shipped one by default).

        Terminal and customs then judge a weight alike: change the rules file, both follow.
        """
        if rules is None:
            from silkhub.customs import default_rules  # the customs stage, loaded on demand

            rules = default_rules()
        thresholds = rules.thresholds
        return cls(
            float(thresholds.weight_tolerance_ratio),
            float(thresholds.weight_tolerance_kg),
            WEIGHT_RULE_ID,
        )

    def allowed_kg(self, declared_kg: float) -> float:
        """The largest difference accepted for a piece declared at ``declared_kg``."""
        return max(self.relative * declared_kg, self.absolute_kg)


@dataclass(frozen=True, slots=True)
class Piece:
    """A piece as its waybill declares it, booked on a departure."""

    piece_id: str
    waybill: str
    declared_kg: float
    volume_m3: float
    departure_id: str

    def __post_init__(self) -> None:
        for name in ("piece_id", "waybill", "departure_id"):
            if not getattr(self, name):
                raise ValueError(f"{name} must not be empty")
        if not (math.isfinite(self.declared_kg) and self.declared_kg > 0):
            raise ValueError(f"piece {self.piece_id}: declared_kg must be positive")
        if not (math.isfinite(self.volume_m3) and self.volume_m3 > 0):
            raise ValueError(f"piece {self.piece_id}: volume_m3 must be positive")


class InductionVerdict(StrEnum):
    """What the door decides."""

    ACCEPTED = "accepted"
    HELD = "held"


@dataclass(frozen=True, slots=True)
class InductionResult:
    """The reconciliation of one piece: verdict, measured and declared kg, the margin used."""

    piece_id: str
    verdict: InductionVerdict
    declared_kg: float
    measured_kg: float
    allowed_kg: float
    reason: str = ""

    @property
    def difference_kg(self) -> float:
        """Measured minus declared weight."""
        return self.measured_kg - self.declared_kg

    @property
    def accepted(self) -> bool:
        """Whether the piece may go on to storage."""
        return self.verdict is InductionVerdict.ACCEPTED


def _decimal(value: float) -> Decimal:
    """A float as the decimal it was written as (its shortest repr; NumPy floats too)."""
    return Decimal(repr(float(value)))


def reconcile_weight(
    piece: Piece, measured_kg: float, tolerance: WeightTolerance | None = None
) -> InductionResult:
    """Compare the scale's reading with the waybill: accepted, or held with the reason.

    A reading that is not a positive number (a scale fault) also holds the piece: a person
    must look at it, exactly as for a discrepancy.
    """
    tolerance = tolerance or WeightTolerance()
    allowed = tolerance.allowed_kg(piece.declared_kg)
    if not (math.isfinite(measured_kg) and measured_kg > 0):
        return InductionResult(
            piece.piece_id,
            InductionVerdict.HELD,
            piece.declared_kg,
            measured_kg,
            allowed,
            f"scale reading {measured_kg!r} is not a positive weight",
        )
    # In exact decimals of the numbers as written (the shortest repr of each float), as the
    # customs weight check does: 105.0 kg against 100 kg declared is exactly 5 % and passes,
    # 5.5000000009 kg against 5 kg is over the 0.5 kg margin and is held.
    difference = measured_kg - piece.declared_kg
    declared = _decimal(piece.declared_kg)
    exact_allowed = max(_decimal(tolerance.relative) * declared, _decimal(tolerance.absolute_kg))
    if abs(_decimal(measured_kg) - declared) <= exact_allowed:
        return InductionResult(
            piece.piece_id, InductionVerdict.ACCEPTED, piece.declared_kg, measured_kg, allowed
        )
    return InductionResult(
        piece.piece_id,
        InductionVerdict.HELD,
        piece.declared_kg,
        measured_kg,
        allowed,
        f"{tolerance.rule_id}: measured {measured_kg:.2f} kg vs declared "
        f"{piece.declared_kg:.2f} kg, difference {difference:+.2f} kg exceeds {allowed:.2f} kg",
    )
