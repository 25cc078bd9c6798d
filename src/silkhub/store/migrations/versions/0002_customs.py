"""Customs clearance: message ids, dossiers, inventory lists, the audit log, import totals.

Every table is tenant-scoped (``org_id`` first in its primary key). Like 0001, this module
spells columns with plain SQLAlchemy types: money as decimal text, times with time zone.

Revision ID: 0002_customs
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_customs"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _org(table: str) -> list[sa.Column[int] | sa.ForeignKeyConstraint]:
    return [
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name=op.f(f"fk_{table}_org_id_organisations"),
            ondelete="CASCADE",
        ),
    ]


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "customs_message_ids",
        *_org("customs_message_ids"),
        sa.Column("message_id", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("org_id", "message_id", name=op.f("pk_customs_message_ids")),
    )
    op.create_table(
        "customs_dossiers",
        *_org("customs_dossiers"),
        sa.Column("order_no", sa.String(length=100), nullable=False),
        sa.Column("order_json", sa.Text(), nullable=True),
        sa.Column("payment_json", sa.Text(), nullable=True),
        sa.Column("waybill_json", sa.Text(), nullable=True),
        sa.Column("inventory_id", sa.String(length=100), nullable=True),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("org_id", "order_no", name=op.f("pk_customs_dossiers")),
    )
    op.create_table(
        "customs_inventories",
        *_org("customs_inventories"),
        sa.Column("inventory_id", sa.String(length=100), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("order_no", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("inventory_json", sa.Text(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("exporter", sa.String(length=100), nullable=False),
        sa.Column("buyer_id", sa.String(length=100), nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tax", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("org_id", "inventory_id", name=op.f("pk_customs_inventories")),
    )
    op.create_index(
        "ix_customs_inventories_org_id_state", "customs_inventories", ["org_id", "state"]
    )
    op.create_table(
        "customs_audit",
        *_org("customs_audit"),
        sa.Column("inventory_id", sa.String(length=100), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("rules_version", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint(
            "org_id", "inventory_id", "sequence", name=op.f("pk_customs_audit")
        ),
    )
    op.create_table(
        "customs_import_totals",
        *_org("customs_import_totals"),
        sa.Column("buyer_id", sa.String(length=100), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("total", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint(
            "org_id", "buyer_id", "year", name=op.f("pk_customs_import_totals")
        ),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("customs_import_totals")
    op.drop_table("customs_audit")
    op.drop_index("ix_customs_inventories_org_id_state", table_name="customs_inventories")
    op.drop_table("customs_inventories")
    op.drop_table("customs_dossiers")
    op.drop_table("customs_message_ids")
