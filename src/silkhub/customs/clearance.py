"""The clearance lifecycle of inventory lists, with an append-only audit log.

Messages arrive one by one, in any order and days apart (a list is often pre-declared before
its goods reach the hub). ``Clearance.submit`` files each message in its order's dossier;
once a list's order, payment (imports) and waybill are there and agree, the list moves

    declared → matched → risk_checked → released | inspection | held | rejected

and every move is an ``AuditEntry`` (who, when, why, under which rules version). A list
with no rule hit is released at once by ``silkhub``, at any hour; an officer decides the
others with ``Clearance.decide``. Storage sits behind the small ``ClearanceRepository``
protocol: ``InMemoryClearanceRepository`` here, a database one in ``silkhub.store``.

Unlike the file validator (``BatchValidator``), which must give the same verdicts whatever
the order of the lines, the live service applies the annual import limit first come, first
served: the year's total is what was already released for the buyer.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Protocol
from zoneinfo import ZoneInfo

from silkhub.customs._checks import Checker
from silkhub.customs._matching import (
    cross_check,
    decide,
    inventory_facts,
    is_b2c_import,
    missing_problems,
    order_facts,
    payment_facts,
    waybill_facts,
)
from silkhub.customs.messages import Direction, Inventory, Message, Order, Payment, Waybill
from silkhub.customs.problems import Problem
from silkhub.customs.rules import Action, RuleSet, default_rules
from silkhub.customs.tax import ImportTax, TaxRates, default_tax_rates, import_tax
from silkhub.customs.verdicts import ClearanceState

__all__ = [
    "ALLOWED_TRANSITIONS",
    "CHINA_TIME",
    "OFFICER_DECISIONS",
    "SYSTEM_ACTOR",
    "AuditEntry",
    "Clearance",
    "ClearanceRepository",
    "Clock",
    "Dossier",
    "InMemoryClearanceRepository",
    "InventoryRecord",
    "ManualClock",
    "SubmitResult",
    "SystemClock",
    "TransitionError",
    "UnknownInventoryError",
]

logger = logging.getLogger("silkhub.customs")

#: The actor of automatic transitions.
SYSTEM_ACTOR = "silkhub"
#: Customs works in China Standard Time: declaration dates and summary months are local.
CHINA_TIME = ZoneInfo("Asia/Shanghai")

S = ClearanceState
#: Every move a list may make; anything else is a ``TransitionError``.
ALLOWED_TRANSITIONS: dict[ClearanceState, frozenset[ClearanceState]] = {
    S.DECLARED: frozenset({S.MATCHED, S.REJECTED}),
    S.MATCHED: frozenset({S.RISK_CHECKED, S.REJECTED}),
    S.RISK_CHECKED: frozenset({S.RELEASED, S.INSPECTION, S.HELD, S.REJECTED}),
    S.INSPECTION: frozenset({S.RELEASED, S.HELD, S.REJECTED}),
    S.HELD: frozenset({S.RELEASED, S.INSPECTION, S.REJECTED}),
    S.RELEASED: frozenset(),
    S.REJECTED: frozenset(),
}
#: Cross-message problems that mean the three orders do not agree: the list is rejected
#: before it is matched.
_DISAGREEMENTS = frozenset({"match.amount_mismatch", "match.order_mismatch"})
#: The states an officer's decision may set.
OFFICER_DECISIONS = frozenset({S.RELEASED, S.INSPECTION, S.HELD, S.REJECTED})
#: The states of the lists an officer decides on: the risk rules sent them to a person. A
#: declared list still waits for its partners, so releasing it would skip the three-order
#: match, the annual limit and the import tax.
OFFICER_CASES = frozenset({S.INSPECTION, S.HELD})


class TransitionError(ValueError):
    """A move the lifecycle does not allow (e.g. releasing a rejected list)."""


class UnknownInventoryError(KeyError):
    """No inventory list with that id."""


class Clock(Protocol):
    """Where the time comes from (a protocol so tests and simulations can set it)."""

    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


class SystemClock:
    """The computer's clock, in UTC."""

    def now(self) -> datetime:
        """The current UTC time."""
        return datetime.now(UTC)


class ManualClock:
    """A clock that shows what it is set to: for tests, demos and the digital twin."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start")
        self._now = start

    def now(self) -> datetime:
        """The time the clock is set to."""
        return self._now

    def set(self, when: datetime) -> None:
        """Move the clock (never backwards)."""
        if when < self._now:
            raise ValueError("a clock does not go back")
        self._now = when


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One move of one list: who did it, when, why, and under which rules."""

    inventory_id: str
    sequence: int
    at: datetime
    actor: str
    from_state: ClearanceState | None
    to_state: ClearanceState
    reason: str
    rules_version: str

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("audit times are timezone-aware")
        if not self.actor or not self.reason:
            raise ValueError("an audit entry names its actor and its reason")
        if self.sequence < 1:
            raise ValueError("audit sequence numbers start at 1")


@dataclass(frozen=True, slots=True)
class InventoryRecord:
    """An inventory list under clearance: the list itself, its state and what was found."""

    inventory: Inventory
    state: ClearanceState
    declared_at: datetime
    updated_at: datetime
    problems: tuple[Problem, ...] = ()
    exporter: str = ""
    buyer_id: str = ""
    released_at: datetime | None = None
    tax: ImportTax | None = None

    def __post_init__(self) -> None:
        if self.declared_at.tzinfo is None or self.updated_at.tzinfo is None:
            raise ValueError("record times are timezone-aware")

    @property
    def inventory_id(self) -> str:
        """The list's id: the message_id of the inventory message."""
        return self.inventory.message_id

    @property
    def order_no(self) -> str:
        """The order the list clears."""
        return self.inventory.order_no


@dataclass(frozen=True, slots=True)
class Dossier:
    """The valid messages of one order_no received so far, with the risk action of each."""

    order_no: str
    order: Order | None = None
    payment: Payment | None = None
    waybill: Waybill | None = None
    inventory_id: str | None = None
    actions: dict[str, Action | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.order_no:
            raise ValueError("a dossier needs an order_no")


class ClearanceRepository(Protocol):
    """Where clearance keeps dossiers, lists, the audit log and buyers' yearly import totals."""

    def add_message_id(self, message_id: str) -> bool:
        """Record an id; False if it was already known (a duplicate)."""
        ...

    def get_dossier(self, order_no: str) -> Dossier | None:
        """The dossier of an order, if any message of it came."""
        ...

    def put_dossier(self, dossier: Dossier) -> None:
        """Create or replace a dossier."""
        ...

    def get_inventory(self, inventory_id: str) -> InventoryRecord | None:
        """One list."""
        ...

    def put_inventory(self, record: InventoryRecord) -> None:
        """Create or replace a list."""
        ...

    def list_inventories(self, state: ClearanceState | None = None) -> Sequence[InventoryRecord]:
        """Lists, optionally in one state, in declaration order."""
        ...

    def append_audit(self, entry: AuditEntry) -> None:
        """Add an entry to the log (entries are never changed or removed)."""
        ...

    def audit_trail(self, inventory_id: str) -> Sequence[AuditEntry]:
        """A list's entries in order."""
        ...

    def import_total(self, buyer_id: str, year: int) -> Decimal:
        """CNY of B2C imports already released for a buyer in a calendar year."""
        ...

    def add_import_total(self, buyer_id: str, year: int, amount: Decimal) -> None:
        """Count a released B2C import towards the buyer's year."""
        ...


class InMemoryClearanceRepository:
    """A ``ClearanceRepository`` in dictionaries: for tests, demos and one-shot runs."""

    def __init__(self) -> None:
        self._ids: set[str] = set()
        self._dossiers: dict[str, Dossier] = {}
        self._inventories: dict[str, InventoryRecord] = {}
        self._audit: dict[str, list[AuditEntry]] = {}
        self._totals: dict[tuple[str, int], Decimal] = {}

    def add_message_id(self, message_id: str) -> bool:
        """Record an id; False if it was already known."""
        if message_id in self._ids:
            return False
        self._ids.add(message_id)
        return True

    def get_dossier(self, order_no: str) -> Dossier | None:
        """The dossier of an order."""
        return self._dossiers.get(order_no)

    def put_dossier(self, dossier: Dossier) -> None:
        """Create or replace a dossier."""
        self._dossiers[dossier.order_no] = dossier

    def get_inventory(self, inventory_id: str) -> InventoryRecord | None:
        """One list."""
        return self._inventories.get(inventory_id)

    def put_inventory(self, record: InventoryRecord) -> None:
        """Create or replace a list."""
        self._inventories[record.inventory_id] = record

    def list_inventories(self, state: ClearanceState | None = None) -> Sequence[InventoryRecord]:
        """Lists in declaration order, optionally in one state."""
        return [r for r in self._inventories.values() if state is None or r.state is state]

    def append_audit(self, entry: AuditEntry) -> None:
        """Append to the log."""
        self._audit.setdefault(entry.inventory_id, []).append(entry)

    def audit_trail(self, inventory_id: str) -> Sequence[AuditEntry]:
        """A copy of a list's entries."""
        return tuple(self._audit.get(inventory_id, ()))

    def import_total(self, buyer_id: str, year: int) -> Decimal:
        """Released B2C imports of the buyer in the year."""
        return self._totals.get((buyer_id, year), Decimal(0))

    def add_import_total(self, buyer_id: str, year: int, amount: Decimal) -> None:
        """Count a released import."""
        self._totals[(buyer_id, year)] = self.import_total(buyer_id, year) + amount


@dataclass(frozen=True, slots=True)
class SubmitResult:
    """What became of one submitted message (``index`` is its position in the batch)."""

    index: int
    message_id: str
    accepted: bool
    problems: tuple[Problem, ...]
    inventory_id: str | None = None
    state: ClearanceState | None = None
    #: what the list (``inventory_id``) was found to have when this message let it be matched:
    #: the disagreements between its messages, limits, ICS2; not the message's own problems
    list_problems: tuple[Problem, ...] = ()

    def __post_init__(self) -> None:
        if self.index < 0:
            raise ValueError("batch indices start at 0")


class Clearance:
    """The clearance service: file messages, match, check risk, decide, audit.

    Build it with a repository (and optionally rules, tax rates and a clock); it keeps no
    state of its own, so two services on one repository see the same lists.
    """

    def __init__(
        self,
        repository: ClearanceRepository,
        *,
        rules: RuleSet | None = None,
        tax_rates: TaxRates | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.repository = repository
        self.rules = rules or default_rules()
        self.tax_rates = tax_rates or default_tax_rates()
        self.clock: Clock = clock or SystemClock()
        self._checker = Checker(self.rules)

    # -- receiving messages ----------------------------------------------------------------

    def submit(self, messages: Iterable[Message], *, actor: str) -> list[SubmitResult]:
        """File each message; a bad one is refused with its problems, the others go on."""
        if not actor:
            raise ValueError("submit needs the actor (the broker or system sending)")
        return [self._submit_one(index, message, actor) for index, message in enumerate(messages)]

    def _submit_one(self, index: int, message: Message, actor: str) -> SubmitResult:
        repo = self.repository
        if not repo.add_message_id(message.message_id):
            problem = Problem(
                "duplicate.message_id", "message_id", f"{message.message_id!r} was seen before"
            )
            return SubmitResult(index, message.message_id, False, (problem,))
        problems, action = self._checker.check(message)
        dossier = repo.get_dossier(message.order_no) or Dossier(message.order_no)
        if isinstance(message, Inventory):
            return self._receive_inventory(index, message, problems, action, dossier, actor)
        if action is Action.REJECT:
            return SubmitResult(index, message.message_id, False, tuple(problems))
        if isinstance(message, Payment) and message.direction is Direction.EXPORT:
            return SubmitResult(index, message.message_id, True, tuple(problems))
        kind = message.kind.value
        if getattr(dossier, kind) is not None:
            conflict = Problem(
                "match.conflict",
                "order_no",
                f"order {message.order_no} already has a valid {kind}; the later one is refused",
            )
            return SubmitResult(index, message.message_id, False, (*problems, conflict))
        actions = {**dossier.actions, kind: action}
        if isinstance(message, Order):
            dossier = replace(dossier, order=message, actions=actions)
        elif isinstance(message, Payment):
            dossier = replace(dossier, payment=message, actions=actions)
        else:
            dossier = replace(dossier, waybill=message, actions=actions)
        repo.put_dossier(dossier)
        record, gained = self._advance(dossier, actor)
        return SubmitResult(
            index,
            message.message_id,
            True,
            tuple(problems),
            record.inventory_id if record else None,
            record.state if record else None,
            gained,
        )

    def _receive_inventory(
        self,
        index: int,
        message: Inventory,
        problems: list[Problem],
        action: Action | None,
        dossier: Dossier,
        actor: str,
    ) -> SubmitResult:
        repo = self.repository
        now = self.clock.now()
        if dossier.inventory_id is not None:
            conflict = Problem(
                "match.conflict",
                "order_no",
                f"order {message.order_no} already has inventory list {dossier.inventory_id}",
            )
            return SubmitResult(index, message.message_id, False, (*problems, conflict))
        record = InventoryRecord(message, S.DECLARED, now, now, tuple(problems))
        repo.put_inventory(record)
        self._audit(record, None, S.DECLARED, actor, "inventory list received", now)
        if action is Action.REJECT:
            record = self._move(record, S.REJECTED, SYSTEM_ACTOR, _reasons(problems), now)
            return SubmitResult(
                index, message.message_id, False, tuple(problems), record.inventory_id, record.state
            )
        dossier = replace(
            dossier,
            inventory_id=message.message_id,
            actions={**dossier.actions, "inventory": action},
        )
        repo.put_dossier(dossier)
        advanced, gained = self._advance(dossier, actor)
        record = advanced or record
        return SubmitResult(
            index,
            message.message_id,
            True,
            tuple(problems),
            record.inventory_id,
            record.state,
            gained,
        )

    # -- matching and risk -----------------------------------------------------------------

    def _advance(
        self, dossier: Dossier, actor: str
    ) -> tuple[InventoryRecord | None, tuple[Problem, ...]]:
        """Take a dossier's list as far as its messages allow; and the problems it gained.

        Those are what matching found (disagreements, limits): the submitter of the message
        that completed the list must hear of them, not only the list's record.
        """
        if dossier.inventory_id is None:
            return None, ()
        record = self.repository.get_inventory(dossier.inventory_id)
        if record is None or record.state is not S.DECLARED:
            return record, ()
        known = len(record.problems)
        record = self._match_and_decide(dossier, actor, record)
        return record, record.problems[known:]

    def _match_and_decide(
        self, dossier: Dossier, actor: str, record: InventoryRecord
    ) -> InventoryRecord:
        """Match a declared list with its messages, check risk and decide, if all are in."""
        inventory = record.inventory
        order, payment, waybill = dossier.order, dossier.payment, dossier.waybill
        facts = inventory_facts(
            0,
            inventory,
            dossier.actions.get("inventory"),
            list(record.problems),
            self.rules.ics2_hs_min_digits,
        )
        o = order_facts(0, order, dossier.actions.get("order")) if order else None
        p = payment_facts(0, payment, dossier.actions.get("payment")) if payment else None
        w = (
            waybill_facts(0, waybill, dossier.actions.get("waybill"), self._checker)
            if waybill
            else None
        )
        missing = missing_problems(facts, o, p, w)
        now = self.clock.now()
        if missing or o is None or w is None:
            return record  # still a pre-declaration: it waits, declared
        cross = cross_check(facts, o, p, w, self.rules)
        record = replace(record, exporter=o.ebc_code, buyer_id=o.buyer_id)
        agreement = [c for c in cross if c.code in _DISAGREEMENTS]
        if agreement:
            # every problem between the messages is kept, as ``validate`` reports them
            record = replace(record, problems=(*record.problems, *cross))
            return self._move(record, S.REJECTED, SYSTEM_ACTOR, _reasons(agreement), now)
        record = self._move(
            record,
            S.MATCHED,
            actor,
            f"order {o.message_id}, "
            + (f"payment {p.message_id}, " if p else "")
            + f"waybill {w.message_id} agree",
            now,
        )
        risk = [c for c in cross if c.code not in _DISAGREEMENTS]
        actions = [facts.action, o.action, w.action, *(self.rules.action(c.code) for c in risk)]
        if p is not None:
            actions.append(p.action)
        # A list the rules reject or keep waiting never counts toward the buyer's year, so
        # the annual limit is checked only for one that could be released (as in a file).
        if is_b2c_import(facts, self.rules) and decide(actions) not in (S.REJECTED, S.DECLARED):
            annual = self._annual_limit(o.buyer_id, o.goods_value, now)
            risk.extend(annual)
            actions.extend(self.rules.action(c.code) for c in annual)
        record = replace(record, problems=(*record.problems, *risk))
        partner_risks = [
            f"{kind} {action}"
            for kind, action in dossier.actions.items()
            if action and kind != "inventory"
        ]
        record = self._move(
            record,
            S.RISK_CHECKED,
            SYSTEM_ACTOR,
            f"rules {self.rules.version}: {len(record.problems)} problem(s)"
            + (f"; partner risks: {', '.join(partner_risks)}" if partner_risks else ""),
            now,
        )
        state = decide(actions)
        if state is S.RELEASED:
            return self._release(record, SYSTEM_ACTOR, "low risk: no rule hit", now, dossier)
        return self._move(
            record, state, SYSTEM_ACTOR, _reasons(record.problems) or "partner risk", now
        )

    def _annual_limit(self, buyer: str, value: Decimal, now: datetime) -> list[Problem]:
        # ``now`` is the moment the list would be released: checked and counted in one year
        year = _clearance_year(now)
        total = self.repository.import_total(buyer, year) + value
        limit = self.rules.thresholds.annual_limit_cny
        if total <= limit:
            return []
        return [
            Problem(
                "limit.annual",
                "order_no",
                f"buyer {buyer} would reach {total} CNY of B2C imports in {year}, over the "
                f"{limit} CNY annual limit",
            )
        ]

    def _release(
        self,
        record: InventoryRecord,
        actor: str,
        reason: str,
        now: datetime,
        dossier: Dossier | None = None,
    ) -> InventoryRecord:
        inventory = record.inventory
        dossier = dossier or self.repository.get_dossier(inventory.order_no)
        tax = None
        if (
            is_b2c_import(inventory, self.rules)
            and dossier is not None
            and dossier.order is not None
        ):
            tax = import_tax(inventory, dossier.order.freight, self.tax_rates)
            year = _clearance_year(now)
            self.repository.add_import_total(
                dossier.order.buyer_id, year, dossier.order.goods_value
            )
        record = replace(record, released_at=now, tax=tax)
        if tax is not None:
            reason += f"; import tax {tax.total}"
        return self._move(record, S.RELEASED, actor, reason, now)

    # -- officers --------------------------------------------------------------------------

    def decide(
        self, inventory_id: str, decision: ClearanceState, *, actor: str, reason: str
    ) -> InventoryRecord:
        """An officer's decision on a list (release, inspection, hold, reject), audited.

        Raises ``UnknownInventoryError`` or ``TransitionError``; role checks are the caller's
        (the API allows only ``customs_officer``).
        """
        if decision not in OFFICER_DECISIONS:
            raise TransitionError(
                f"an officer decides {', '.join(sorted(OFFICER_DECISIONS))}, not {decision}"
            )
        if not actor or not reason.strip():
            raise ValueError("a decision names its officer and its reason")
        record = self.repository.get_inventory(inventory_id)
        if record is None:
            raise UnknownInventoryError(inventory_id)
        if record.state not in OFFICER_CASES or decision not in ALLOWED_TRANSITIONS[record.state]:
            raise TransitionError(
                f"list {inventory_id} is {record.state}: it cannot become {decision} (an "
                f"officer decides on {' and '.join(sorted(OFFICER_CASES))} lists)"
            )
        now = self.clock.now()
        if decision is S.RELEASED:
            over = self._limit_on_release(record, now)
            if over:  # held since matching, the buyer's year may have filled up meanwhile
                raise TransitionError(
                    f"list {inventory_id} cannot be released: {over[0].message}; reject it"
                )
            return self._release(record, actor, reason, now)
        return self._move(record, decision, actor, reason, now)

    def _limit_on_release(self, record: InventoryRecord, now: datetime) -> list[Problem]:
        """The annual-limit problem releasing a B2C import list now would cause, if any."""
        inventory = record.inventory
        if not is_b2c_import(inventory, self.rules):
            return []
        dossier = self.repository.get_dossier(inventory.order_no)
        if dossier is None or dossier.order is None:
            return []
        return self._annual_limit(dossier.order.buyer_id, dossier.order.goods_value, now)

    # -- reading ---------------------------------------------------------------------------

    def inventory(self, inventory_id: str) -> InventoryRecord:
        """One list, or ``UnknownInventoryError``."""
        record = self.repository.get_inventory(inventory_id)
        if record is None:
            raise UnknownInventoryError(inventory_id)
        return record

    def inventories(self, state: ClearanceState | None = None) -> Sequence[InventoryRecord]:
        """Lists, optionally in one state."""
        return self.repository.list_inventories(state)

    def waiting_for(self, inventory_id: str) -> list[Problem]:
        """What a declared list still waits for (``match.missing_*``); [] once matched."""
        record = self.inventory(inventory_id)
        if record.state is not S.DECLARED:
            return []
        dossier = self.repository.get_dossier(record.order_no) or Dossier(record.order_no)
        facts = inventory_facts(0, record.inventory, None, [], self.rules.ics2_hs_min_digits)
        return missing_problems(
            facts,
            order_facts(0, dossier.order, None) if dossier.order else None,
            payment_facts(0, dossier.payment, None) if dossier.payment else None,
            waybill_facts(0, dossier.waybill, None, self._checker) if dossier.waybill else None,
        )

    def audit_trail(self, inventory_id: str) -> Sequence[AuditEntry]:
        """Every move of a list, oldest first."""
        self.inventory(inventory_id)
        return self.repository.audit_trail(inventory_id)

    # -- the log ---------------------------------------------------------------------------

    def _move(
        self, record: InventoryRecord, to: ClearanceState, actor: str, reason: str, now: datetime
    ) -> InventoryRecord:
        if to not in ALLOWED_TRANSITIONS[record.state]:
            raise TransitionError(f"list {record.inventory_id} is {record.state}: not {to}")
        moved = replace(record, state=to, updated_at=now)
        self.repository.put_inventory(moved)
        if to is S.REJECTED:
            self._free_list_slot(moved)
        self._audit(moved, record.state, to, actor, reason, now)
        logger.info("inventory %s: %s → %s (%s)", record.inventory_id, record.state, to, actor)
        return moved

    def _free_list_slot(self, record: InventoryRecord) -> None:
        """A rejected list leaves its order: a corrected list may be declared and matched.

        The order keeps its order, payment and waybill, so the new list is matched with them
        (as ``silkhub customs validate`` does); a second list while one is open, or after one
        was released, is still a ``match.conflict``.
        """
        dossier = self.repository.get_dossier(record.order_no)
        if dossier is None or dossier.inventory_id != record.inventory_id:
            return
        actions = {kind: a for kind, a in dossier.actions.items() if kind != "inventory"}
        self.repository.put_dossier(replace(dossier, inventory_id=None, actions=actions))

    def _audit(
        self,
        record: InventoryRecord,
        from_state: ClearanceState | None,
        to: ClearanceState,
        actor: str,
        reason: str,
        now: datetime,
    ) -> None:
        sequence = len(self.repository.audit_trail(record.inventory_id)) + 1
        self.repository.append_audit(
            AuditEntry(
                record.inventory_id,
                sequence,
                now,
                actor,
                from_state,
                to,
                reason,
                self.rules.version,
            )
        )


def _clearance_year(now: datetime) -> int:
    """The calendar year (in China) a list released ``now`` counts toward for the annual limit.

    Live clearance takes the year from its own clock, not from the list's ``declared_on``:
    the filer writes that date, and one of year 1 had put the sixth 4,500 CNY import of a
    buyer into another year's total, round the 26,000 CNY limit.
    """
    return now.astimezone(CHINA_TIME).year


def _reasons(problems: Iterable[Problem]) -> str:
    return "; ".join(f"{p.code}: {p.message}" for p in problems)
