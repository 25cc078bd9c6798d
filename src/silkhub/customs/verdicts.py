"""Clearance states and the verdict on one line of a batch."""

from __future__ import annotations

from enum import StrEnum

import msgspec

from silkhub.customs.problems import Problem

__all__ = ["FINAL_STATES", "ClearanceState", "LineVerdict"]


class ClearanceState(StrEnum):
    """Where an inventory list stands: declared → matched → risk_checked → a decision.

    ``declared``: received, waiting for its order, payment (imports) and waybill — a
    pre-declaration may wait days for the goods. ``matched``: the three orders agree.
    ``risk_checked``: the rules ran. Then ``released`` (low risk: automatically, any hour),
    ``inspection`` (physical check), ``held`` (an officer decides) or ``rejected``.
    """

    DECLARED = "declared"
    MATCHED = "matched"
    RISK_CHECKED = "risk_checked"
    RELEASED = "released"
    INSPECTION = "inspection"
    HELD = "held"
    REJECTED = "rejected"


#: States that end automatic processing (an officer may still move inspection/held on).
FINAL_STATES = frozenset(
    {
        ClearanceState.RELEASED,
        ClearanceState.INSPECTION,
        ClearanceState.HELD,
        ClearanceState.REJECTED,
    }
)


class LineVerdict(msgspec.Struct, frozen=True, gc=False):
    """What a batch says about one input line: its problems and, for a list, its state.

    Emitted for every inventory list and for every other line that has problems, once the
    verdict is final (a list's verdict waits for its order, payment and waybill). A frozen
    msgspec struct like the messages: a bulk run makes one per list, and a frozen dataclass
    costs five times as much to build.
    """

    line: int
    message_id: str | None
    problems: tuple[Problem, ...]
    state: ClearanceState | None = None
    order_no: str | None = None

    def __post_init__(self) -> None:
        if self.line < 0:
            raise ValueError("line numbers start at 1 (0 for messages without a line)")

    def report_entry(self) -> dict[str, object]:
        """The report's JSON object for this line: ``{"line", "message_id", "errors"}``."""
        return {
            "line": self.line,
            "message_id": self.message_id,
            "errors": [p.as_dict() for p in self.problems],
        }
