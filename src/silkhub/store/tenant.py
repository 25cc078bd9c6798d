"""Tenant scoping: the only way tenant-owned rows are read or written.

A repository is built for one organisation and every query it makes carries
``org_id = :caller``. Asking for another tenant's object therefore finds nothing — the API
answers 404, the same as for an id that never existed, so not even existence leaks. Later
object types (shipments, bookings, declarations) subclass ``TenantRepository`` the way
``QuoteRepository`` does.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from silkhub.store.page import Page
from silkhub.store.tables import TenantOwned

__all__ = ["TenantRepository", "new_public_id"]

M = TypeVar("M", bound=TenantOwned)


def new_public_id(prefix: str) -> str:
    """A random, unguessable object id such as ``quo_3f9a…`` (128 bits)."""
    return f"{prefix}_{secrets.token_hex(16)}"


class TenantRepository(Generic[M]):
    """Rows of ``model`` that belong to one organisation; subclasses set ``model``/``id_prefix``."""

    model: ClassVar[type[Any]]
    id_prefix: ClassVar[str]

    def __init__(self, session: Session, org_id: int) -> None:
        self.session = session
        self.org_id = org_id

    def _scoped(self) -> Select[M]:
        return select(self.model).where(self.model.org_id == self.org_id)

    def add(self, row: M, now: datetime) -> M:
        """Store ``row`` as this organisation's, with a new public id."""
        row.org_id = self.org_id
        row.id = new_public_id(self.id_prefix)
        row.created_at = now
        self.session.add(row)
        self.session.flush()
        return row

    def get(self, object_id: str) -> M | None:
        """The object ``object_id`` if this organisation owns it, else ``None``."""
        return self.session.scalars(self._scoped().where(self.model.id == object_id)).first()

    def list(self, limit: int, offset: int) -> Page[M]:
        """The organisation's objects, newest first."""
        stmt = self._scoped()
        total = self.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = self.session.scalars(
            stmt.order_by(self.model.created_at.desc(), self.model.id).limit(limit).offset(offset)
        )
        return Page(list(rows), int(total))
