"""Initial schema: tenants, API keys, the network, dated departures with capacity, quotes.

Money columns are exact decimal text and times are stored in UTC (see silkhub.store.types);
this module spells them with plain SQLAlchemy types so it never changes when that code does.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "networks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("window_end", sa.Date(), nullable=False),
        sa.Column("capacity_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_networks")),
    )
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("name", name=op.f("uq_organisations_name")),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name=op.f("fk_api_keys_org_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("prefix", name=op.f("uq_api_keys_prefix")),
    )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_keys_org_id"), ["org_id"], unique=False)

    op.create_table(
        "calendars",
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(), nullable=False),
        sa.Column("weekdays", sa.String(length=7), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["networks.id"],
            name=op.f("fk_calendars_network_id_networks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("network_id", "ordinal", name=op.f("pk_calendars")),
    )
    op.create_table(
        "departures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("departure_id", sa.String(), nullable=False),
        sa.Column("service_id", sa.String(), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("first_departure", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_arrival", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["networks.id"],
            name=op.f("fk_departures_network_id_networks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_departures")),
        sa.UniqueConstraint(
            "network_id", "departure_id", name=op.f("uq_departures_network_id_departure_id")
        ),
    )
    with op.batch_alter_table("departures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_departures_network_id_first_departure"),
            ["network_id", "first_departure"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_departures_network_id_service_date"),
            ["network_id", "service_date"],
            unique=False,
        )

    op.create_table(
        "links",
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("from_place", sa.String(), nullable=False),
        sa.Column("to_place", sa.String(), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("duration_min", sa.Integer(), nullable=False),
        sa.Column("distance_km", sa.Double(), nullable=False),
        sa.Column("price_per_kg", sa.String(length=40), nullable=False),
        sa.Column("min_charge", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["networks.id"],
            name=op.f("fk_links_network_id_networks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("network_id", "ordinal", name=op.f("pk_links")),
    )
    op.create_table(
        "places",
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("lat", sa.Double(), nullable=False),
        sa.Column("lon", sa.Double(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("iata", sa.String(length=3), nullable=False),
        sa.Column("unlocode", sa.String(length=5), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["networks.id"],
            name=op.f("fk_places_network_id_networks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("network_id", "place_id", name=op.f("pk_places")),
    )
    op.create_table(
        "quotes",
        sa.Column("network_id", sa.Integer(), nullable=True),
        sa.Column("request", sa.JSON(), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["networks.id"],
            name=op.f("fk_quotes_network_id_networks"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name=op.f("fk_quotes_org_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quotes")),
    )
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quotes_org_id"), ["org_id"], unique=False)

    op.create_table(
        "services",
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("operator", sa.String(), nullable=False),
        sa.Column("vehicle", sa.String(), nullable=False),
        sa.Column("capacity_kg", sa.Double(), nullable=False),
        sa.Column("capacity_m3", sa.Double(), nullable=False),
        sa.Column("price_per_kg", sa.String(length=40), nullable=False),
        sa.Column("min_charge", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("cargo_classes", sa.String(), nullable=False),
        sa.Column("capacity_teu", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["networks.id"],
            name=op.f("fk_services_network_id_networks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("network_id", "service_id", name=op.f("pk_services")),
    )
    op.create_table(
        "transfers",
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.String(), nullable=False),
        sa.Column("min_minutes", sa.Integer(), nullable=False),
        sa.Column("from_mode", sa.String(length=8), nullable=True),
        sa.Column("to_mode", sa.String(length=8), nullable=True),
        sa.Column("source", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["networks.id"],
            name=op.f("fk_transfers_network_id_networks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("network_id", "ordinal", name=op.f("pk_transfers")),
    )
    op.create_table(
        "departure_legs",
        sa.Column("departure_pk", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("from_place", sa.String(), nullable=False),
        sa.Column("to_place", sa.String(), nullable=False),
        sa.Column("departs_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("arrives_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("capacity_kg", sa.Double(), nullable=False),
        sa.Column("capacity_m3", sa.Double(), nullable=False),
        sa.Column("remaining_kg", sa.Double(), nullable=False),
        sa.Column("remaining_m3", sa.Double(), nullable=False),
        sa.CheckConstraint(
            "remaining_kg >= 0", name=op.f("ck_departure_legs_remaining_kg_not_negative")
        ),
        sa.CheckConstraint(
            "remaining_m3 >= 0", name=op.f("ck_departure_legs_remaining_m3_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["departure_pk"],
            ["departures.id"],
            name=op.f("fk_departure_legs_departure_pk_departures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("departure_pk", "seq", name=op.f("pk_departure_legs")),
    )
    with op.batch_alter_table("departure_legs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_departure_legs_from_place_departure_pk"),
            ["from_place", "departure_pk"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_departure_legs_to_place_departure_pk"),
            ["to_place", "departure_pk"],
            unique=False,
        )

    op.create_table(
        "stops",
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.String(), nullable=False),
        sa.Column("arrival_min", sa.Integer(), nullable=True),
        sa.Column("departure_min", sa.Integer(), nullable=True),
        sa.Column("distance_km", sa.Double(), nullable=True),
        sa.ForeignKeyConstraint(
            ["network_id", "place_id"],
            ["places.network_id", "places.place_id"],
            name=op.f("fk_stops_network_id_place_id_places"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["network_id", "service_id"],
            ["services.network_id", "services.service_id"],
            name=op.f("fk_stops_network_id_service_id_services"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["networks.id"],
            name=op.f("fk_stops_network_id_networks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("network_id", "service_id", "seq", name=op.f("pk_stops")),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("stops")
    with op.batch_alter_table("departure_legs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_departure_legs_to_place_departure_pk"))
        batch_op.drop_index(batch_op.f("ix_departure_legs_from_place_departure_pk"))

    op.drop_table("departure_legs")
    op.drop_table("transfers")
    op.drop_table("services")
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quotes_org_id"))

    op.drop_table("quotes")
    op.drop_table("places")
    op.drop_table("links")
    with op.batch_alter_table("departures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_departures_network_id_service_date"))
        batch_op.drop_index(batch_op.f("ix_departures_network_id_first_departure"))

    op.drop_table("departures")
    op.drop_table("calendars")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_keys_org_id"))

    op.drop_table("api_keys")
    op.drop_table("organisations")
    op.drop_table("networks")
