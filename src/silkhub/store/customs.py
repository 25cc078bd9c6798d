"""Customs clearance in the database: ``silkhub.customs.ClearanceRepository`` per tenant.

Five tables, every row carrying ``org_id`` and every query filtering on it, so one tenant's
dossiers, lists and audit log are invisible to another (an id of another tenant answers
"not found", like an id that never existed). Messages are kept as their JSON lines
(``silkhub.customs.message_to_json``), amounts as exact decimal text, times in UTC; the
audit table is only ever inserted into.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from silkhub.customs import (
    Action,
    AuditEntry,
    ClearanceState,
    Dossier,
    ImportTax,
    Inventory,
    InventoryRecord,
    ItemTax,
    Message,
    Order,
    Payment,
    Problem,
    Waybill,
    load_stored_message,
    message_to_json,
)
from silkhub.model import Money
from silkhub.store.engine import lock_on_postgresql
from silkhub.store.page import Page
from silkhub.store.tables import Base
from silkhub.store.types import DecimalText, UtcDateTime

__all__ = [
    "CustomsAuditRow",
    "CustomsDossierRow",
    "CustomsImportTotalRow",
    "CustomsInventoryRow",
    "CustomsMessageIdRow",
    "CustomsRepository",
]

#: The advisory-lock key space of customs writes (any fixed 32-bit number, ours: 'cust').
_CUSTOMS_LOCK_SPACE = 0x63757374


def _org_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)


class CustomsMessageIdRow(Base):
    """Every message id a tenant sent, for ``duplicate.message_id``."""

    __tablename__ = "customs_message_ids"

    org_id: Mapped[int] = _org_fk()
    message_id: Mapped[str] = mapped_column(String(100), primary_key=True)


class CustomsDossierRow(Base):
    """The valid order, payment and waybill of one order_no, and its list's id."""

    __tablename__ = "customs_dossiers"

    org_id: Mapped[int] = _org_fk()
    order_no: Mapped[str] = mapped_column(String(100), primary_key=True)
    order_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    payment_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    waybill_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    inventory_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    actions: Mapped[dict[str, Any]] = mapped_column(JSON)


class CustomsInventoryRow(Base):
    """An inventory list under clearance (its id is the list's message_id)."""

    __tablename__ = "customs_inventories"
    __table_args__ = (Index("ix_customs_inventories_org_id_state", "org_id", "state"),)

    org_id: Mapped[int] = _org_fk()
    inventory_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    order_no: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(16))
    inventory_json: Mapped[str] = mapped_column(Text)
    problems: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    exporter: Mapped[str] = mapped_column(String(100))
    buyer_id: Mapped[str] = mapped_column(String(100))
    declared_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    tax: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class CustomsAuditRow(Base):
    """One move of one list (insert-only)."""

    __tablename__ = "customs_audit"

    org_id: Mapped[int] = _org_fk()
    inventory_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(100))
    from_state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    rules_version: Mapped[str] = mapped_column(String(40))


class CustomsImportTotalRow(Base):
    """CNY of B2C imports released for a buyer in a calendar year (the annual limit)."""

    __tablename__ = "customs_import_totals"

    org_id: Mapped[int] = _org_fk()
    buyer_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    total: Mapped[Decimal] = mapped_column(DecimalText)


def _message(text: str | None) -> Message | None:
    if text is None:
        return None
    # the messages' invariants only, not the edge's later rules: older lists must still read
    return load_stored_message(text)


def _tax_json(tax: ImportTax | None) -> dict[str, Any] | None:
    if tax is None:
        return None
    return {
        "order_no": tax.order_no,
        "items": [
            {
                "gnum": i.gnum,
                "hs_code": i.hs_code,
                "dutiable_value": str(i.dutiable_value),
                "tariff": str(i.tariff),
                "consumption_tax": str(i.consumption_tax),
                "vat": str(i.vat),
            }
            for i in tax.items
        ],
        "tariff": str(tax.tariff.amount),
        "consumption_tax": str(tax.consumption_tax.amount),
        "vat": str(tax.vat.amount),
        "currency": tax.tariff.currency,
    }


def _tax(data: dict[str, Any] | None) -> ImportTax | None:
    if data is None:
        return None
    currency = str(data["currency"])
    return ImportTax(
        order_no=str(data["order_no"]),
        items=tuple(
            ItemTax(
                gnum=int(i["gnum"]),
                hs_code=str(i["hs_code"]),
                dutiable_value=Decimal(i["dutiable_value"]),
                tariff=Decimal(i["tariff"]),
                consumption_tax=Decimal(i["consumption_tax"]),
                vat=Decimal(i["vat"]),
            )
            for i in data["items"]
        ),
        tariff=Money(Decimal(data["tariff"]), currency),
        consumption_tax=Money(Decimal(data["consumption_tax"]), currency),
        vat=Money(Decimal(data["vat"]), currency),
    )


def _record(row: CustomsInventoryRow) -> InventoryRecord:
    inventory = _message(row.inventory_json)
    assert isinstance(inventory, Inventory)
    return InventoryRecord(
        inventory=inventory,
        state=ClearanceState(row.state),
        declared_at=row.declared_at,
        updated_at=row.updated_at,
        problems=tuple(Problem(p["code"], p["field"], p["message"]) for p in row.problems),
        exporter=row.exporter,
        buyer_id=row.buyer_id,
        released_at=row.released_at,
        tax=_tax(row.tax),
    )


class CustomsRepository:
    """One organisation's customs data: a ``ClearanceRepository`` on a SQLAlchemy session."""

    def __init__(self, session: Session, org_id: int, *, writing: bool = False) -> None:
        """``writing``: the session's transaction will change customs data; take the lock.

        Clearance reads, then writes (a dossier, a list's state, the buyer's totals). SQLite
        runs one writer at a time already (``BEGIN IMMEDIATE``); PostgreSQL's READ COMMITTED
        would let two officers decide one list, or two batches file one order, at once. So a
        writing transaction first takes a transaction-level advisory lock per organisation:
        one organisation's customs writes run one after another, other organisations' freely.
        """
        self.session = session
        self.org_id = org_id
        if writing:
            lock_on_postgresql(session, _CUSTOMS_LOCK_SPACE, org_id)

    # -- message ids and dossiers ----------------------------------------------------------

    def add_message_id(self, message_id: str) -> bool:
        """Record an id; False if this organisation sent it before."""
        if self.session.get(CustomsMessageIdRow, (self.org_id, message_id)) is not None:
            return False
        self.session.add(CustomsMessageIdRow(org_id=self.org_id, message_id=message_id))
        self.session.flush()
        return True

    def get_dossier(self, order_no: str) -> Dossier | None:
        """The dossier of an order of this organisation."""
        row = self.session.get(CustomsDossierRow, (self.org_id, order_no))
        if row is None:
            return None
        order, payment, waybill = (
            _message(row.order_json),
            _message(row.payment_json),
            _message(row.waybill_json),
        )
        return Dossier(
            order_no=row.order_no,
            order=order if isinstance(order, Order) else None,
            payment=payment if isinstance(payment, Payment) else None,
            waybill=waybill if isinstance(waybill, Waybill) else None,
            inventory_id=row.inventory_id,
            actions={k: Action(v) if v else None for k, v in row.actions.items()},
        )

    def put_dossier(self, dossier: Dossier) -> None:
        """Create or replace a dossier."""
        row = self.session.get(CustomsDossierRow, (self.org_id, dossier.order_no))
        if row is None:
            row = CustomsDossierRow(org_id=self.org_id, order_no=dossier.order_no)
            self.session.add(row)
        row.order_json = message_to_json(dossier.order).decode() if dossier.order else None
        row.payment_json = message_to_json(dossier.payment).decode() if dossier.payment else None
        row.waybill_json = message_to_json(dossier.waybill).decode() if dossier.waybill else None
        row.inventory_id = dossier.inventory_id
        row.actions = {k: (v.value if v else None) for k, v in dossier.actions.items()}
        self.session.flush()

    # -- inventory lists -------------------------------------------------------------------

    def get_inventory(self, inventory_id: str) -> InventoryRecord | None:
        """One list of this organisation."""
        row = self.session.get(CustomsInventoryRow, (self.org_id, inventory_id))
        return _record(row) if row is not None else None

    def put_inventory(self, record: InventoryRecord) -> None:
        """Create or replace a list."""
        row = self.session.get(CustomsInventoryRow, (self.org_id, record.inventory_id))
        if row is None:
            seq = self.session.scalar(
                select(func.coalesce(func.max(CustomsInventoryRow.seq), 0)).where(
                    CustomsInventoryRow.org_id == self.org_id
                )
            )
            row = CustomsInventoryRow(
                org_id=self.org_id, inventory_id=record.inventory_id, seq=int(seq or 0) + 1
            )
            self.session.add(row)
        row.order_no = record.order_no
        row.state = record.state.value
        row.inventory_json = message_to_json(record.inventory).decode()
        row.problems = [p.as_dict() for p in record.problems]
        row.exporter = record.exporter
        row.buyer_id = record.buyer_id
        row.declared_at = record.declared_at
        row.updated_at = record.updated_at
        row.released_at = record.released_at
        row.tax = _tax_json(record.tax)
        self.session.flush()

    def list_inventories(self, state: ClearanceState | None = None) -> Sequence[InventoryRecord]:
        """Every list, optionally in one state, in declaration order."""
        return self.page(state, limit=None, offset=0).items

    def page(
        self, state: ClearanceState | None, limit: int | None, offset: int
    ) -> Page[InventoryRecord]:
        """A page of lists, optionally in one state, in declaration order."""
        stmt = select(CustomsInventoryRow).where(CustomsInventoryRow.org_id == self.org_id)
        if state is not None:
            stmt = stmt.where(CustomsInventoryRow.state == state.value)
        total = self.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = self.session.scalars(
            stmt.order_by(CustomsInventoryRow.seq, CustomsInventoryRow.inventory_id)
            .limit(limit)
            .offset(offset)
        )
        return Page([_record(r) for r in rows], int(total))

    # -- the audit log ---------------------------------------------------------------------

    def append_audit(self, entry: AuditEntry) -> None:
        """Insert an entry (rows are never updated or deleted)."""
        self.session.add(
            CustomsAuditRow(
                org_id=self.org_id,
                inventory_id=entry.inventory_id,
                sequence=entry.sequence,
                at=entry.at,
                actor=entry.actor,
                from_state=entry.from_state.value if entry.from_state else None,
                to_state=entry.to_state.value,
                reason=entry.reason,
                rules_version=entry.rules_version,
            )
        )
        self.session.flush()

    def audit_trail(self, inventory_id: str) -> Sequence[AuditEntry]:
        """A list's entries in order."""
        rows = self.session.scalars(
            select(CustomsAuditRow)
            .where(
                CustomsAuditRow.org_id == self.org_id,
                CustomsAuditRow.inventory_id == inventory_id,
            )
            .order_by(CustomsAuditRow.sequence)
        )
        return [
            AuditEntry(
                inventory_id=r.inventory_id,
                sequence=r.sequence,
                at=r.at,
                actor=r.actor,
                from_state=ClearanceState(r.from_state) if r.from_state else None,
                to_state=ClearanceState(r.to_state),
                reason=r.reason,
                rules_version=r.rules_version,
            )
            for r in rows
        ]

    # -- yearly import totals --------------------------------------------------------------

    def import_total(self, buyer_id: str, year: int) -> Decimal:
        """CNY of B2C imports released for the buyer in the year."""
        row = self.session.get(CustomsImportTotalRow, (self.org_id, buyer_id, year))
        return row.total if row is not None else Decimal(0)

    def add_import_total(self, buyer_id: str, year: int, amount: Decimal) -> None:
        """Count a released import towards the buyer's year."""
        row = self.session.get(CustomsImportTotalRow, (self.org_id, buyer_id, year))
        if row is None:
            self.session.add(
                CustomsImportTotalRow(
                    org_id=self.org_id, buyer_id=buyer_id, year=year, total=amount
                )
            )
        else:
            row.total = row.total + amount
        self.session.flush()
