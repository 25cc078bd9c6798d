"""Persistence: SQLAlchemy 2 tables and repositories, Alembic migrations, SQLite or PostgreSQL.

A thin adapter in the sense of DESIGN.md: repositories turn rows into ``silkhub.model``
objects and back, and hold no business rules beyond the one that must live next to the data
(``reserve_capacity``: check and write capacity atomically). SQLite in WAL mode is the
default; ``SILKHUB_DATABASE_URL=postgresql://...`` selects PostgreSQL (psycopg 3).
"""

from silkhub.store.capacity import reserve_capacity
from silkhub.store.customs import CustomsRepository
from silkhub.store.departures import DepartureFilter, DepartureRecord, DepartureRepository
from silkhub.store.engine import is_sqlite, make_engine, make_sessionmaker, normalize_url
from silkhub.store.migrate import current_revision, downgrade, head_revision, upgrade
from silkhub.store.networks import NetworkRepository
from silkhub.store.page import Page
from silkhub.store.quotes import QuoteRepository
from silkhub.store.setup import DEMO_ORG, Store, create_demo_org, import_network, open_store, utcnow
from silkhub.store.tables import Base, NetworkRow, OrganisationRow, QuoteRow, TenantOwned
from silkhub.store.tenant import TenantRepository, new_public_id
from silkhub.store.tenants import (
    ApiKeyRepository,
    Caller,
    NewKey,
    OrganisationRepository,
    Role,
    hash_key,
)
from silkhub.store.window import departure_window

__all__ = [
    "DEMO_ORG",
    "ApiKeyRepository",
    "Base",
    "Caller",
    "CustomsRepository",
    "DepartureFilter",
    "DepartureRecord",
    "DepartureRepository",
    "NetworkRepository",
    "NetworkRow",
    "NewKey",
    "OrganisationRepository",
    "OrganisationRow",
    "Page",
    "QuoteRepository",
    "QuoteRow",
    "Role",
    "Store",
    "TenantOwned",
    "TenantRepository",
    "create_demo_org",
    "current_revision",
    "departure_window",
    "downgrade",
    "hash_key",
    "head_revision",
    "import_network",
    "is_sqlite",
    "make_engine",
    "make_sessionmaker",
    "new_public_id",
    "normalize_url",
    "open_store",
    "reserve_capacity",
    "upgrade",
    "utcnow",
]
