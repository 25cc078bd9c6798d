"""Validate and match a stream of messages: the engine behind ``silkhub customs validate``.

Build, feed, finish: a ``BatchValidator`` is built with a rule set, fed one line at a time
(in any order: a list's order may come days later, or earlier), and finished when the input
ends. Each call hands back the verdicts that have just become final, so a caller can write
its report while reading, and memory holds only the orders still open (see docs/customs.md,
"Memory model"). The verdicts do not depend on the order of the lines, but for which of two
messages of one kind is the later one (a ``match.conflict``) and for amendments: a corrected
list is matched only after the partners that decided the rejected one.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

from silkhub.customs._checks import Checker
from silkhub.customs._matching import (
    InventoryFacts,
    OrderFacts,
    PaymentFacts,
    WaybillFacts,
    cross_check,
    decide,
    inventory_facts,
    is_b2c_import,
    missing_problems,
    order_facts,
    payment_facts,
    waybill_facts,
)
from silkhub.customs.clearance import CHINA_TIME
from silkhub.customs.jsonl import MessageReader
from silkhub.customs.messages import Direction, Inventory, Message, Order, Payment, Waybill
from silkhub.customs.problems import Problem
from silkhub.customs.rules import Action, RuleSet, default_rules
from silkhub.customs.verdicts import ClearanceState, LineVerdict

#: Enum members as module constants: attribute look-ups on an Enum class cost ~100 ns.
_EXPORT = Direction.EXPORT
_IMPORT = Direction.IMPORT
_REJECT = Action.REJECT
_RELEASED = ClearanceState.RELEASED

__all__ = ["BatchSummary", "BatchValidator", "validate_lines"]

logger = logging.getLogger("silkhub.customs")


class _Open:
    """The messages of one order_no seen so far (facts only) and notes on rejected ones."""

    __slots__ = ("inventory", "list_rejected", "notes", "order", "payment", "waybill")

    def __init__(self) -> None:
        self.order: OrderFacts | None = None
        self.payment: PaymentFacts | None = None
        self.waybill: WaybillFacts | None = None
        self.inventory: InventoryFacts | None = None
        self.notes: dict[str, str] | None = None
        #: a list of this order was rejected after matching: a corrected one may follow
        self.list_rejected = False


class _Annual:
    """A B2C import list waiting for the end of the file to have its annual limit checked."""

    __slots__ = (
        "buyer",
        "declared_on",
        "line",
        "message_id",
        "order_no",
        "others",
        "problems",
        "value",
    )

    def __init__(
        self,
        buyer: str,
        declared_on: date,
        line: int,
        message_id: str,
        order_no: str,
        value: Decimal,
        problems: tuple[Problem, ...],
        others: tuple[Action | None, ...],
    ) -> None:
        self.buyer = buyer
        self.declared_on = declared_on
        self.line = line
        self.message_id = message_id
        self.order_no = order_no
        self.value = value
        self.problems = problems
        self.others = others


class BatchSummary:
    """Counts kept while a batch runs: lines, messages by kind, problems by code, lists by state."""

    def __init__(self) -> None:
        self.lines = 0
        self.messages: Counter[str] = Counter()
        self.problems: Counter[str] = Counter()
        self.states: Counter[str] = Counter()
        self.lines_with_problems = 0
        self.awaiting_inventory = 0
        self.peak_open_orders = 0


class BatchValidator:
    """Checks, matches and decides a stream of messages (see the module docstring).

    ``as_of`` is the declaration date assumed for lists without ``declared_on`` (it decides
    the calendar year of the annual import limit); by default today in China, as live
    clearance takes it (the machine's own date had put a list near New Year in another year).
    """

    def __init__(self, rules: RuleSet | None = None, *, as_of: date | None = None) -> None:
        self.rules = rules or default_rules()
        self.as_of = as_of or datetime.now(UTC).astimezone(CHINA_TIME).date()
        self._summary = BatchSummary()
        self._checker = Checker(self.rules)
        self._reader = MessageReader()
        self._open: dict[str, _Open] = {}
        self._seen: set[str] = set()
        #: orders whose list was decided (and not rejected), with the kinds of message they
        #: had: a later message of one of those kinds, or a later list, is a conflict
        self._decided: dict[str, frozenset[str]] = {}
        self._annual: list[_Annual] = []
        self._min_hs = self.rules.ics2_hs_min_digits
        self._finished = False
        self._kinds: dict[type[Message], int] = {Order: 0, Payment: 0, Waybill: 0, Inventory: 0}

    @property
    def summary(self) -> BatchSummary:
        """The counts so far (messages by kind, problems by code, lists by state...)."""
        for cls, count in self._kinds.items():
            self._summary.messages[cls.kind] = count
        return self._summary

    @property
    def open_orders(self) -> int:
        """Orders with messages still waiting for their partners."""
        return len(self._open)

    # -- feeding ---------------------------------------------------------------------------

    def feed_line(self, line_no: int, line: bytes | str) -> list[LineVerdict]:
        """Parse and feed one JSON line; blank lines are skipped."""
        if not line or line.isspace():
            return []
        message, problems = self._reader.parse(line)
        return self.feed(line_no, message, problems)

    def feed(
        self, line_no: int, message: Message | None, problems: list[Problem] | None = None
    ) -> list[LineVerdict]:
        """Feed one parsed line (a message, or the problems that stopped it being one)."""
        if self._finished:
            raise RuntimeError("this batch is finished; build a new BatchValidator")
        self._summary.lines += 1
        if message is None:
            return self._emit([LineVerdict(line_no, None, tuple(problems or ()))])
        cls = type(message)
        self._kinds[cls] += 1
        message_id = message.message_id
        if message_id in self._seen:
            return self._emit(
                [
                    LineVerdict(
                        line_no,
                        message_id,
                        (
                            Problem(
                                "duplicate.message_id",
                                "message_id",
                                f"{message_id!r} was seen before",
                            ),
                        ),
                        None,  # a re-sent line, not a list of its own: the list keeps its state
                        message.order_no,
                    )
                ]
            )
        self._seen.add(message_id)
        own, action = self._checker.check(message)
        if cls is Inventory:
            return self._inventory(line_no, message, own, action)  # type: ignore[arg-type]
        if cls is Payment and message.direction is _EXPORT:
            # Export receipts are checked but not matched: a list is released without one.
            return self._emit([LineVerdict(line_no, message_id, tuple(own))]) if own else []
        verdicts = [LineVerdict(line_no, message_id, tuple(own))] if own else []
        if action is _REJECT:
            self._note_rejected(message, line_no)
            return self._emit(verdicts)
        had = self._decided.get(message.order_no)
        if had is not None:  # as live clearance: a slot already filled conflicts, a free one
            if message.kind in had:  # takes the message, which can change nothing any more
                return self._emit(
                    [LineVerdict(line_no, message_id, (*own, _decided(message.kind)))]
                )
            return self._emit(verdicts)
        state = self._open.get(message.order_no)
        if state is None:
            state = self._open[message.order_no] = _Open()
            self._track_open()
        conflict = self._store(state, line_no, message, action)  # type: ignore[arg-type]
        if conflict is not None:
            return self._emit(
                [LineVerdict(line_no, message_id, (*own, conflict))]
                if own
                else [LineVerdict(line_no, message_id, (conflict,))]
            )
        verdicts.extend(self._try_close(message.order_no, state))
        return self._emit(verdicts)

    def _store(
        self, state: _Open, line_no: int, message: Order | Payment | Waybill, action: Action | None
    ) -> Problem | None:
        if isinstance(message, Order):
            if state.order is not None:
                return _conflict("order", state.order.line)
            state.order = order_facts(line_no, message, action)
        elif isinstance(message, Payment):
            if state.payment is not None:
                return _conflict("payment", state.payment.line)
            state.payment = payment_facts(line_no, message, action)
        else:
            if state.waybill is not None:
                return _conflict("waybill", state.waybill.line)
            state.waybill = waybill_facts(line_no, message, action, self._checker)
        return None

    def _inventory(
        self, line_no: int, message: Inventory, own: list[Problem], action: Action | None
    ) -> list[LineVerdict]:
        # a second list (one open, or one decided) is refused, also when refused for itself
        conflict = self._list_conflict(message.order_no)
        if action is _REJECT or conflict is not None:
            if action is _REJECT:
                self._note_rejected(message, line_no)
            problems = (*own, conflict) if conflict is not None else tuple(own)
            return self._emit(
                [
                    LineVerdict(
                        line_no,
                        message.message_id,
                        problems,
                        ClearanceState.REJECTED,
                        message.order_no,
                    )
                ]
            )
        state = self._open.get(message.order_no)
        if state is None:
            state = self._open[message.order_no] = _Open()
            self._track_open()
        state.inventory = inventory_facts(line_no, message, action, own, self._min_hs)
        return self._emit(self._try_close(message.order_no, state))

    def _list_conflict(self, order_no: str) -> Problem | None:
        """The ``match.conflict`` a new list of ``order_no`` meets, as in live clearance."""
        if order_no in self._decided:
            return _decided("inventory list")
        state = self._open.get(order_no)
        if state is not None and state.inventory is not None:
            return _conflict("inventory list", state.inventory.line)
        return None

    def _note_rejected(self, message: Message, line_no: int) -> None:
        """Remember, for an open order, that one of its messages was refused (for the report)."""
        state = self._open.get(message.order_no)
        if state is None:
            state = self._open[message.order_no] = _Open()
            self._track_open()
        if state.notes is None:
            state.notes = {}
        state.notes[message.kind] = f" (the {message.kind} on line {line_no} was rejected)"

    def _track_open(self) -> None:
        if len(self._open) > self._summary.peak_open_orders:
            self._summary.peak_open_orders = len(self._open)

    # -- deciding --------------------------------------------------------------------------

    def _try_close(self, order_no: str, state: _Open) -> list[LineVerdict]:
        inventory, order, waybill = state.inventory, state.order, state.waybill
        if inventory is None or order is None or waybill is None:
            return []
        if state.payment is None and inventory.direction is _IMPORT:
            return []
        if missing_problems(inventory, order, state.payment, waybill):
            return []  # a waybill for another logistics_no: it stays declared, as live
        del self._open[order_no]
        verdicts = self._decide(order_no, state, inventory, order, waybill)
        if verdicts and verdicts[0].state is ClearanceState.REJECTED:
            # as live clearance does: the order keeps its partners, and a corrected list of
            # the same order_no is matched with them
            state.inventory = None
            state.list_rejected = True
            self._open[order_no] = state
        else:
            self._decided[order_no] = _WITH_PAYMENT if state.payment is not None else _NO_PAYMENT
        return verdicts

    def _decide(
        self,
        order_no: str,
        state: _Open,
        inventory: InventoryFacts,
        order: OrderFacts,
        waybill: WaybillFacts,
    ) -> list[LineVerdict]:
        cross = cross_check(inventory, order, state.payment, waybill, self.rules)
        actions = [inventory.action, order.action, waybill.action]
        if state.payment is not None:
            actions.append(state.payment.action)
        if cross:
            problems = (*inventory.problems, *cross)
            actions.extend(self.rules.action(p.code) for p in cross)
        else:
            problems = inventory.problems
        verdict_state = _RELEASED if actions.count(None) == len(actions) else decide(actions)
        if (
            verdict_state is not ClearanceState.REJECTED
            and verdict_state is not ClearanceState.DECLARED
            and is_b2c_import(inventory, self.rules)
        ):
            self._annual.append(
                _Annual(
                    order.buyer_id,
                    inventory.declared_on or self.as_of,
                    inventory.line,
                    inventory.message_id,
                    order_no,
                    order.goods_value,
                    problems,
                    tuple(actions),
                )
            )
            return []
        return [
            LineVerdict(inventory.line, inventory.message_id, problems, verdict_state, order_no)
        ]

    def finish(self) -> list[LineVerdict]:
        """End of input: lists still missing a partner, then the annual import limits."""
        if self._finished:
            return []
        self._finished = True
        verdicts: list[LineVerdict] = []
        for order_no, state in self._open.items():
            inventory = state.inventory
            if inventory is None:
                if (state.order or state.payment or state.waybill) and not state.list_rejected:
                    self._summary.awaiting_inventory += 1
                continue
            missing = missing_problems(
                inventory, state.order, state.payment, state.waybill, state.notes
            )
            verdicts.append(
                LineVerdict(
                    inventory.line,
                    inventory.message_id,
                    (*inventory.problems, *missing),
                    ClearanceState.REJECTED
                    if inventory.action is _REJECT
                    else ClearanceState.DECLARED,
                    order_no,
                )
            )
        self._open.clear()
        verdicts.extend(self._annual_limits())
        return self._emit(verdicts)

    def _annual_limits(self) -> Iterator[LineVerdict]:
        """Cumulate each buyer's B2C imports per calendar year in (date, order_no) order.

        The order is the lists' own, not the file's, so that shuffling a file cannot change
        which list goes over the limit.
        """
        limit = self.rules.thresholds.annual_limit_cny
        pending = sorted(
            self._annual, key=lambda a: (a.buyer, a.declared_on, a.order_no, a.message_id)
        )
        self._annual = []
        totals: dict[tuple[str, int], Decimal] = {}
        for entry in pending:
            key = (entry.buyer, entry.declared_on.year)
            total = totals.get(key, Decimal(0)) + entry.value
            problems = entry.problems
            actions = list(entry.others)
            if total > limit:
                problems = (
                    *problems,
                    Problem(
                        "limit.annual",
                        "order_no",
                        f"buyer {entry.buyer} would reach {total} CNY of B2C imports in "
                        f"{entry.declared_on.year}, over the {limit} CNY annual limit",
                    ),
                )
                actions.append(self.rules.action("limit.annual"))
            elif decide(actions) is ClearanceState.RELEASED:
                totals[key] = total  # the limit counts released imports, as live clearance does
            yield LineVerdict(
                entry.line, entry.message_id, problems, decide(actions), entry.order_no
            )

    def _emit(self, verdicts: list[LineVerdict]) -> list[LineVerdict]:
        if not verdicts:
            return verdicts
        summary = self._summary
        for verdict in verdicts:
            if verdict.problems:
                summary.lines_with_problems += 1
                for problem in verdict.problems:
                    summary.problems[problem.code] += 1
            if verdict.state is not None:
                summary.states[verdict.state] += 1
        return verdicts


_NO_PAYMENT = frozenset({"order", "waybill"})
_WITH_PAYMENT = frozenset({"order", "payment", "waybill"})


def _decided(kind: str) -> Problem:
    return Problem(
        "match.conflict",
        "order_no",
        f"this order's inventory list was already decided; the later {kind} is refused",
    )


def _conflict(kind: str, line: int) -> Problem:
    return Problem(
        "match.conflict",
        "order_no",
        f"this order already has a valid {kind} (line {line}); the later one is refused",
    )


def validate_lines(
    lines: Iterable[bytes | str], rules: RuleSet | None = None, *, as_of: date | None = None
) -> tuple[list[LineVerdict], BatchSummary]:
    """Validate a whole (small) batch in memory: every verdict, sorted by line, and the counts."""
    validator = BatchValidator(rules, as_of=as_of)
    verdicts: list[LineVerdict] = []
    for number, line in enumerate(lines, start=1):
        verdicts.extend(validator.feed_line(number, line))
    verdicts.extend(validator.finish())
    verdicts.sort(key=lambda v: v.line)
    return verdicts, validator.summary
